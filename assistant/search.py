"""A question -> ranked passages: dense (exact, or FAISS IVF on large indexes), keyword (BM25),
or both fused.

Fusion is a convex combination of the dense cosine and a keyword score. Unlike reciprocal-rank
fusion it keeps how far apart the scores are, which matters when one side is sure (an exact
"Article 187" match) and the other is not. The keyword score blends the passage's BM25 with its
whole document's BM25 (each divided by its best score for the question): a passage is more likely
what is asked for when the rest of its document is about the same thing. The weights are
``settings.Fusion``, chosen on SciFact train queries with benchmarks/fusion.py (README,
"Figures").
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .index import Index
from .keyword import tokenize
from .settings import Fusion
from .types import Hit

MODES = ("hybrid", "semantic", "keyword")


@dataclass(frozen=True)
class Scored:
    """Per-passage evidence, kept separately so later stages can reason about each part."""

    row: int
    fused: float
    dense: float  # the dense side: the passage's cosine (blended with its document's best
    # sentence's cosine on an index with sentence vectors)
    keyword: float  # the keyword side: BM25 / best BM25 among the candidates (0..1), blended
    # with the document's BM25
    # The keyword side by the question's own words, when words near those the documents never
    # use were searched too (``near``); None otherwise. The answer model reads it.
    written_keyword: float | None = None

    @property
    def keyword_as_written(self) -> float:
        return self.keyword if self.written_keyword is None else self.written_keyword


# Bounds on a ``where`` filter: it comes from API callers, and matching must cost time that
# does not grow with what they send (a 40,000-item list once took 49 s of CPU).
MAX_WHERE_KEYS = 8
MAX_WHERE_VALUES = 100
MAX_WHERE_VALUE_CHARS = 2000
_SCALARS = (str, int, float, bool)


def check_where(where) -> dict | None:
    """``where`` as a dict of field -> value or list of values; ValueError saying what is wrong
    with anything else. None or {} means no filter."""
    if where is None:
        return None
    if not isinstance(where, Mapping):
        raise ValueError('where must be an object of field -> value, such as '
                         '{"country": "Slovenia"} or {"doc_id": ["a.txt", "b.pdf"]}; got '
                         f"{type(where).__name__}")
    if len(where) > MAX_WHERE_KEYS:
        raise ValueError(f"where may name at most {MAX_WHERE_KEYS} fields (got {len(where)})")
    out = {}
    for key, value in where.items():
        if not isinstance(key, str) or not key:
            raise ValueError("where: every field name must be a non-empty string")
        values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
        if len(values) > MAX_WHERE_VALUES:
            raise ValueError(f"where[{key!r}] lists {len(values)} values; at most "
                             f"{MAX_WHERE_VALUES} are allowed")
        for v in values:
            if not isinstance(v, _SCALARS):
                raise ValueError(f"where[{key!r}]: values must be strings or numbers, not "
                                 f"{type(v).__name__}")
            if len(str(v)) > MAX_WHERE_VALUE_CHARS:
                raise ValueError(f"where[{key!r}]: a value is longer than "
                                 f"{MAX_WHERE_VALUE_CHARS} characters")
        out[key] = value
    return out or None


def _field_values(index: Index) -> dict[str, dict[str, set[int]]]:
    """field -> casefolded value -> positions of the documents that have it; built once per
    loaded index, on the first filtered search."""
    cached = index.field_values
    if cached is None:
        cached = {}
        for pos, d in enumerate(index.documents.values()):
            # The document's own id, title and file win over metadata of the same name: a
            # document's metadata must never make it match another document's id.
            fields = {**d.metadata, "doc_id": d.doc_id, "title": d.title, "source": d.source}
            for k, v in fields.items():
                if v is not None:
                    cached.setdefault(k, {}).setdefault(str(v).casefold(), set()).add(pos)
        index.field_values = cached
    return cached


def allowed_rows(index: Index, where: Mapping | None) -> np.ndarray | None:
    """Rows whose document matches every ``where`` item (metadata, or doc_id / title /
    source); a list value matches any of its items. Set lookups per value, then one pass over
    the passages: the cost does not depend on how many values a caller sends."""
    where = check_where(where)
    if not where:
        return None
    values = _field_values(index)
    docs: set[int] | None = None
    for key, wanted in where.items():
        items = wanted if isinstance(wanted, (list, tuple, set, frozenset)) else [wanted]
        by_value = values.get(key, {})
        match: set[int] = set()
        for w in items:
            match |= by_value.get(str(w).casefold(), set())
        docs = match if docs is None else docs & match
        if not docs:
            return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.isin(index.doc_pos, np.fromiter(docs, dtype=np.int64)))


EXACT_FILTER_MAX = 50_000  # a filter allowing fewer rows is searched exactly, even with ANN


def dense_scores(index: Index, qvec: np.ndarray, n: int, rows: np.ndarray | None
                 ) -> dict[int, float]:
    """Cosine of the ``n`` nearest passages (within ``rows`` when given), by row. The one place
    that decides how: an IVF index is searched through FAISS (a filter through an ID selector)
    unless a filter leaves few rows; every exact search is one matrix-vector product over the
    vectors the flat FAISS index holds (``Index.vectors`` is a view of them), which measured
    1.7-4.3x faster for one query than FAISS's own flat search on 2 cores (top 100 identical;
    benchmarks/scale.py, README "Large collections")."""
    total = len(index.passages)
    n = min(n, total if rows is None else len(rows))
    if n <= 0:
        return {}
    q = np.asarray(qvec, dtype=np.float32).reshape(-1)
    ivf = hasattr(index.dense, "nprobe")
    if not ivf or (rows is not None and len(rows) <= EXACT_FILTER_MAX):
        sub = index.vectors if rows is None else index.vectors[rows]
        scores = sub @ q
        top = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
        found = top if rows is None else rows[top]
        return {int(r): float(s) for r, s in zip(found, scores[top])}
    import faiss

    params = faiss.SearchParametersIVF(nprobe=index.dense.nprobe)
    if rows is not None:
        params.sel = faiss.IDSelectorBatch(rows.astype(np.int64))
    scores, ids = index.dense.search(q.reshape(1, -1), n, params=params)
    return {int(r): float(s) for s, r in zip(scores[0], ids[0]) if r >= 0}


def search(index: Index, qvec: np.ndarray | None, query_text: str, *, k: int = 5,
           mode: str = "hybrid", where: Mapping | None = None,
           fusion: Fusion = Fusion(), sentence_passages: int = 0,
           sentence_margin: float | None = None, near: Sequence[str] = ()) -> list[Scored]:
    """The top ``k`` passages for a question, best first, with their evidence. ``near``:
    stemmed words of the documents searched for besides the question's (those near its words
    that they never use, ``nearwords``). With
    ``sentence_passages`` (and stored sentence vectors, outside keyword mode), the candidates
    holding the sentences closest to the question follow them, up to that many passages
    counting those already among the top ``k``, and, with ``sentence_margin``, for sentences
    within that cosine of the best sentence of the top ``k`` or closer
    (``passages_of_best_sentences``)."""
    if mode not in MODES:
        raise ValueError(f"unknown search mode {mode!r}; choose one of {', '.join(MODES)}")
    sentences = index.has_sentence_vectors
    dense_weight = fusion.dense_weight_for(sentences)
    doc_share, sentence_share, candidates = fusion.doc_share, fusion.sentence_share, \
        fusion.candidates
    rows = allowed_rows(index, where)
    if rows is not None and len(rows) == 0:
        return []
    n_pass = len(index.passages)

    # Both sides are scored in every mode: the mode decides which passages are candidates and
    # how they rank, while an answer's confidence reads both sides of what was found.
    # BM25 adds up over a query's words: the question's own and the near ones are scored
    # apart, for the answer model's reading of the question as written (``written_keyword``).
    own_bm25, own_doc_bm25 = _bm25(index, tokenize(query_text), rows, doc_share)
    bm25, doc_bm25 = own_bm25, own_doc_bm25
    if near:
        near_bm25, near_doc_bm25 = _bm25(index, near, rows, doc_share)
        bm25 = own_bm25 + near_bm25
        doc_bm25 = own_doc_bm25 + near_doc_bm25 if doc_bm25 is not None else None

    cand: set[int] = set()
    dense: dict[int, float] = {}
    if mode != "keyword" and qvec is not None:
        dense = dense_scores(index, qvec, candidates, rows)
        cand.update(dense)
    if mode != "semantic":
        n = min(candidates, n_pass)
        top = np.argpartition(-bm25, n - 1)[:n] if n < n_pass else np.arange(n_pass)
        cand.update(int(r) for r in top if bm25[r] > 0)
    if not cand:
        return []

    cand_rows = np.fromiter(cand, dtype=np.int64)
    extra = bool(sentence_passages and sentences and qvec is not None and mode != "keyword"
                 and k > 0)
    scored_sentences = sentence_scores(index, qvec, index.doc_pos[cand_rows]) \
        if sentences and qvec is not None and (sentence_share or extra) else None
    if qvec is not None:
        # Exact cosine for keyword-only candidates too, so fusion compares like with like.
        cos = index.vectors[cand_rows] @ qvec.reshape(-1)
        if sentences and sentence_share:
            best = best_sentence_cosine(index, qvec, index.doc_pos[cand_rows], scored_sentences)
            cos = (1 - sentence_share) * cos + sentence_share * best
    else:
        cos = np.zeros(len(cand_rows), dtype=np.float32)
    raw = bm25[cand_rows]
    kw = _keyword_side(index, raw, doc_bm25, cand_rows, doc_share)
    written = _keyword_side(index, own_bm25[cand_rows], own_doc_bm25, cand_rows, doc_share) \
        if near else None
    if mode == "semantic":
        fused = cos
    elif mode == "keyword":
        fused = kw
    elif fusion.method == "rrf":
        fused = _rrf(cos, raw, dense_weight, fusion.rrf_k)
    else:
        fused = dense_weight * cos + (1 - dense_weight) * kw
    order = np.argsort(-fused, kind="stable")
    top = list(order[:k])
    if extra:
        taken = {int(cand_rows[i]) for i in top}
        top += [int(np.flatnonzero(cand_rows == r)[0]) for r in passages_of_best_sentences(
                    index, qvec, cand_rows[order], sentence_passages, len(top), scored_sentences,
                    sentence_margin)
                if r not in taken]
    return [Scored(int(cand_rows[i]), float(fused[i]), float(cos[i]), float(kw[i]),
                   float(written[i]) if written is not None else None)
            for i in top]


def _bm25(index: Index, tokens: Sequence[str], rows: np.ndarray | None, doc_share: float
          ) -> tuple[np.ndarray, np.ndarray | None]:
    """BM25 of every passage and (with ``doc_share``) of every document; zero outside
    ``rows`` when a filter gives them."""
    bm25 = index.keyword.scores(tokens)
    doc_bm25 = index.doc_keyword.scores(tokens) if doc_share else None
    if rows is not None:
        mask = np.zeros(len(bm25), dtype=bool)
        mask[rows] = True
        bm25 = np.where(mask, bm25, 0.0)
        if doc_bm25 is not None:
            doc_mask = np.zeros(len(doc_bm25), dtype=bool)
            doc_mask[index.doc_pos[rows]] = True
            doc_bm25 = np.where(doc_mask, doc_bm25, 0.0)
    return bm25, doc_bm25


def _keyword_side(index: Index, raw: np.ndarray, doc_bm25: np.ndarray | None,
                  cand_rows: np.ndarray, doc_share: float) -> np.ndarray:
    """The keyword side of each candidate (``raw``: their BM25, in ``cand_rows`` order): its
    BM25 over the best candidate's, blended with its document's BM25 over the best
    document's."""
    best = float(raw.max()) if len(raw) else 0.0
    kw = raw / best if best > 0 else np.zeros_like(raw)
    if doc_bm25 is not None and doc_bm25.max() > 0:
        kw = (1 - doc_share) * kw + doc_share * doc_bm25[index.doc_pos[cand_rows]] / doc_bm25.max()
    return kw


@dataclass(frozen=True)
class SentenceScores:
    """The cosine of the question with every sentence of some documents (stored sentence
    vectors), computed once per search for both uses below."""

    rows: np.ndarray  # sentence rows (into ``Index.sentence_spans``), document by document
    scores: np.ndarray  # their cosines, aligned with ``rows``
    docs: np.ndarray  # the distinct document positions scored, ascending
    runs: np.ndarray  # where each document's sentences start in ``rows`` (len(docs) + 1)


def sentence_scores(index: Index, qvec: np.ndarray, docs: np.ndarray) -> SentenceScores:
    """Score every sentence of the documents at positions ``docs`` (repeats allowed)."""
    uniq = np.unique(docs)
    starts = index.doc_sentence_starts[uniq]
    lengths = index.doc_sentence_starts[uniq + 1] - starts
    runs = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    rows = np.repeat(starts - runs[:-1], lengths) + np.arange(runs[-1])
    scores = index.sentence_vectors[rows] @ np.asarray(qvec, dtype=np.float32).reshape(-1)
    return SentenceScores(rows, scores, uniq, runs)


def best_sentence_cosine(index: Index, qvec: np.ndarray, docs: np.ndarray,
                         scored: SentenceScores | None = None) -> np.ndarray:
    """For each document position in ``docs``, the best cosine of one of its sentences (0 for
    a document without any). Only the candidates' documents are scored, not every sentence
    of the index."""
    s = scored if scored is not None else sentence_scores(index, qvec, docs)
    per_doc = np.zeros(len(s.docs), dtype=np.float32)
    has = s.runs[1:] > s.runs[:-1]
    if has.any():
        per_doc[has] = np.maximum.reduceat(s.scores, s.runs[:-1][has])
    return per_doc[np.searchsorted(s.docs, docs)]


def passages_of_best_sentences(index: Index, qvec: np.ndarray, rows: np.ndarray, n: int,
                               ranked: int = 0, scored: SentenceScores | None = None,
                               margin: float | None = None) -> list[int]:
    """Of the passages ``rows``, up to ``n`` that hold the sentences closest to the question,
    by their stored vectors, best sentence first. A passage can rank low while holding the one
    sentence that answers in other words (its other sentences are about something else); such
    a sentence is often among the few closest, though its passage is not among the first
    five. Passages overlap: a sentence that one of the first ``ranked`` rows holds counts as
    that passage's (so it brings in no other). With ``margin``, the sentences that count stop
    at the best one of those ``ranked`` rows less ``margin``: a sentence well below what the
    best passages already hold adds a passage to read and seldom the answer."""
    if not index.has_sentence_vectors or n <= 0 or not len(rows):
        return []
    s = scored if scored is not None else sentence_scores(index, qvec, index.doc_pos[rows])
    if not len(s.scores):
        return []
    take = min(4 * n, len(s.scores))
    best = np.argpartition(-s.scores, take - 1)[:take]
    best = best[np.argsort(-s.scores[best], kind="stable")]
    row_docs = index.doc_pos[rows]

    def holder(d: int, a: int, b: int) -> int | None:
        """The candidate of document ``d`` that holds the sentence ``a:b``: one of the first
        ``ranked`` if any does, else the first in text order."""
        held = []
        for k in np.flatnonzero(row_docs == d).tolist():
            p = index.passages[int(rows[k])]
            if p.start <= a and b <= p.end:
                held.append((k >= ranked, p.start, int(rows[k])))
        return min(held)[2] if held else None

    out: list[int] = []
    ranked_rows = set(rows[:ranked].tolist())
    floor = None  # the best ranked row's best sentence, less the margin
    for i in best:
        d, a, b = (int(x) for x in index.sentence_spans[s.rows[i]])
        row = holder(d, a, b)
        if margin is not None:
            if floor is None and row in ranked_rows:
                floor = float(s.scores[i]) - margin
            if floor is not None and s.scores[i] < floor:
                break
        if row is not None and row not in out:
            out.append(row)
            if len(out) == n:
                break
    return out


def _rrf(dense: np.ndarray, bm25: np.ndarray, dense_weight: float, rrf_k: int) -> np.ndarray:
    """Weighted reciprocal-rank fusion, kept for comparison (see benchmarks/fusion.py)."""
    def ranks(x):
        r = np.empty(len(x), dtype=np.float64)
        r[np.argsort(-x, kind="stable")] = np.arange(1, len(x) + 1)
        return r
    kw = np.where(bm25 > 0, 1.0 / (rrf_k + ranks(bm25)), 0.0)
    return (2 * dense_weight / (rrf_k + ranks(dense)) + 2 * (1 - dense_weight) * kw
            ).astype(np.float32)


def to_hit(index: Index, s: Scored) -> Hit:
    p = index.passages[s.row]
    d = index.documents[p.doc_id]
    return Hit(text=p.text, doc_id=p.doc_id, title=d.title, section=p.section, start=p.start,
               end=p.end, score=round(s.fused, 6), pid=p.pid, dense_score=round(s.dense, 6),
               keyword_score=round(s.keyword, 6), page=d.page_at(p.start))
