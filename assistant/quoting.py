"""Ranked passages -> the sentences that answer, or an honest abstention.

Pure functions over already computed evidence (vectors, BM25 weights); the caller does the I/O
and the model calls.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .index import Index
from .keyword import tokenize
from .search import Scored, to_hit
from .types import Answer, Hit, Quote

MAX_QUOTE_SENTENCES = 3
# Weights of the sentence score: meaning of the sentence, question words it contains, and how
# well its passage as a whole matched (see README, "Answers").
W_SEMANTIC, W_LEXICAL, W_PASSAGE = 0.5, 0.3, 0.2
# Abstain below this confidence (see README, "Abstention", for the calibration).
ABSTAIN_BELOW = 0.35
# A neighbouring sentence joins the quote when it scores at least this share of the best.
NEIGHBOUR_SHARE = 0.9
DANGLING_PENALTY = 0.6
# Further quotes must score at least this share of the best one.
RELATIVE_FLOOR = 0.75
# A sentence that opens with one of these words leans on the sentence before it.
_ANAPHORA = re.compile(r"^(It|Its|This|These|That|Those|They|Their|Them|He|She|His|Her|Such|"
                       r"Both|The latter|The former|Moreover|However|Furthermore|In addition|"
                       r"Therefore|Thus|Also)\b")


@dataclass(frozen=True)
class Candidate:
    row: int  # passage row in the index
    doc_id: str
    start: int
    end: int
    score: float
    semantic: float
    lexical: float
    passage: float


@dataclass(frozen=True)
class QueryTerms:
    weights: dict[str, float]  # stemmed term -> weight (IDF, lower for history terms)

    @property
    def total(self) -> float:
        return sum(self.weights.values())


def query_terms(index: Index, question: str, context: str = "") -> QueryTerms:
    """IDF weights of the question's words. A word the corpus never uses ("Kublai", "bread")
    weighs as much as the rarest word it does use: its absence is evidence that the documents
    are about something else."""
    weights: dict[str, float] = {}
    unseen = index.keyword.idf_unseen()
    for t in tokenize(context):
        weights[t] = 0.5 * (index.keyword.idf(t) or unseen)
    for t in tokenize(question):
        weights[t] = index.keyword.idf(t) or unseen
    return QueryTerms({t: w for t, w in weights.items() if w > 0})


def lexical_coverage(terms: QueryTerms, text: str) -> float:
    """IDF-weighted share of the question's content words that ``text`` contains."""
    if terms.total <= 0:
        return 0.0
    present = set(tokenize(text))
    return sum(w for t, w in terms.weights.items() if t in present) / terms.total


@dataclass
class _Sentence:
    start: int
    end: int
    row: int  # the best-scoring retrieved passage that holds it
    semantic: float
    lexical: float
    passage: float
    score: float = 0.0


def candidates(index: Index, scored: Sequence[Scored], qvec: np.ndarray,
               sentence_vectors: Callable[[int], np.ndarray], terms: QueryTerms
               ) -> list[Candidate]:
    """Score every sentence of the top passages, then grow each into a quote.

    Sentences are pooled per document (passages overlap), so a quote can take in a neighbour
    that sits in the next passage.
    """
    if not scored:
        return []
    top = max(s.fused for s in scored) or 1.0
    pool: dict[str, dict[tuple[int, int], _Sentence]] = {}
    for s in scored:
        p = index.passages[s.row]
        text = index.documents[p.doc_id].text
        sem = sentence_vectors(s.row) @ qvec.reshape(-1)
        rel = s.fused / top
        sents = pool.setdefault(p.doc_id, {})
        for i, (a, b) in enumerate(p.sentences):
            known = sents.get((a, b))
            if known is not None and known.passage >= rel:
                continue
            sents[(a, b)] = _Sentence(a, b, s.row, float(sem[i]),
                                      lexical_coverage(terms, text[a:b]), rel)
    out: list[Candidate] = []
    for doc_id, sents in pool.items():
        text = index.documents[doc_id].text
        seq = sorted(sents.values(), key=lambda x: x.start)
        for x in seq:
            x.score = W_SEMANTIC * x.semantic + W_LEXICAL * x.lexical + W_PASSAGE * x.passage
            if _dangling(text, x.end):
                x.score *= DANGLING_PENALTY
        for i, x in enumerate(seq):
            first, last = _extend(text, seq, i)
            out.append(Candidate(x.row, doc_id, seq[first].start, seq[last].end, x.score,
                                 x.semantic, x.lexical, x.passage))
    out.sort(key=lambda c: -c.score)
    return out


def _dangling(text: str, end: int) -> bool:
    """A paragraph's last sentence that ends with a colon introduces something (a link, a list)
    the text no longer has: "... can be found at the following link:". Not an answer."""
    return text[end - 1:end] == ":" and (end >= len(text) or text[end:end + 2].strip() == "")


def _adjacent(text: str, a: _Sentence, b: _Sentence) -> bool:
    """Consecutive in the document: nothing but spaces between them (no heading, no paragraph)."""
    gap = text[a.end:b.start]
    return a.end <= b.start and gap.strip() == "" and "\n\n" not in gap


def _extend(text: str, seq: list[_Sentence], i: int) -> tuple[int, int]:
    """Grow sentence ``i`` into a quote that reads on its own: up to three sentences, taking in
    a neighbour that scores nearly as well, or the sentence a leading "It"/"This" refers to."""
    first = last = i
    best = seq[i].score
    if i > 0 and _adjacent(text, seq[i - 1], seq[i]) and _ANAPHORA.match(text[seq[i].start:seq[i].end]):
        first = i - 1
    while last - first + 1 < MAX_QUOTE_SENTENCES:
        prev_ok = first > 0 and _adjacent(text, seq[first - 1], seq[first]) \
            and seq[first - 1].score >= NEIGHBOUR_SHARE * best
        next_ok = last + 1 < len(seq) and _adjacent(text, seq[last], seq[last + 1]) \
            and seq[last + 1].score >= NEIGHBOUR_SHARE * best
        if prev_ok and (not next_ok or seq[first - 1].score >= seq[last + 1].score):
            first -= 1
        elif next_ok:
            last += 1
        else:
            break
    return first, last


def confidence(c: Candidate, passage_dense: float) -> float:
    """How sure we are that the best candidate answers: its meaning and words, and its passage's."""
    return 0.45 * c.semantic + 0.25 * passage_dense + 0.30 * c.lexical


def pick(cands: Sequence[Candidate], max_quotes: int) -> list[Candidate]:
    """The best non-overlapping candidates, best first."""
    chosen: list[Candidate] = []
    for c in cands:
        if len(chosen) >= max_quotes:
            break
        if chosen and c.score < RELATIVE_FLOOR * chosen[0].score:
            break
        if any(_overlaps(c, o) for o in chosen):
            continue
        chosen.append(c)
    return chosen


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


def make_quote(index: Index, c: Candidate, scored_by_row: dict[int, Scored]) -> Quote:
    p = index.passages[c.row]
    d = index.documents[p.doc_id]
    return Quote(text=d.text[c.start:c.end], doc_id=d.doc_id, title=d.title, section=p.section,
                 start=c.start, end=c.end, score=round(c.score, 6),
                 passage=to_hit(index, scored_by_row[c.row]), page=d.page_at(c.start))


# --- presentation -----------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def escape_markdown(text: str) -> str:
    """Show document text literally: no Markdown, no HTML, no links from the document."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def cite(title: str, section: str, page: int | None = None) -> str:
    return escape_markdown(title) + (f", {escape_markdown(section)}" if section else "") \
        + (f", p. {page}" if page else "")


NOT_COVERED = "The documents do not cover this question."


def answer_markdown(quotes: Sequence[Quote]) -> str:
    parts = []
    for n, q in enumerate(quotes, start=1):
        body = "\n".join("> " + line if line.strip() else ">"
                         for line in escape_markdown(q.text).split("\n"))
        parts.append(f"{body}\n\n[{n}] {cite(q.title, q.section, q.page)}")
    return "\n\n".join(parts)


def abstain_markdown(closest: Sequence[Hit]) -> str:
    md = f"**{NOT_COVERED}** Nothing in them answers it closely enough to quote."
    if closest:
        md += "\n\nClosest passages (not an answer):"
        for h in closest:
            snippet = h.text if len(h.text) <= 200 else h.text[:200].rsplit(" ", 1)[0] + " …"
            md += f"\n- *{cite(h.title, h.section, h.page)}*: {escape_markdown(snippet)}"
    return md


def build_answer(question: str, quotes: Sequence[Quote], conf: float,
                 closest: Sequence[Hit] = ()) -> Answer:
    if quotes:
        return Answer(question, tuple(quotes), False, answer_markdown(quotes), (), conf)
    return Answer(question, (), True, abstain_markdown(closest), tuple(closest), conf)
