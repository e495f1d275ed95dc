"""The incremental plan: which files, passages and sentences can keep what the previous index
computed for them, and what must be embedded."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from ..loading import CorpusFile
from ..types import Document, Passage, SkippedFile
from .format import embed_text
from .reader import Index


def text_key(text: str) -> str:
    """A content hash: equal texts share one vector, whatever file or row they come from."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass
class FileResult:
    """One corpus file as the new index will hold it."""

    file: CorpusFile
    sha256: str
    documents: list[Document]
    passages: list[Passage]  # pids are provisional; renumbered when the index is assembled
    old_rows: list[int] | None  # rows of an unchanged file's passages in the old index
    size: int = 0
    mtime_ns: int = 0
    # Parts of the file that were not indexed ("x.jsonl line 3"): said again by every build
    # that keeps the file unchanged, since it is not read again.
    skipped_parts: tuple[SkippedFile, ...] = ()


OldByFile = dict[str, tuple[list[Document], list[Passage], list[int]]]


def group_by_file(old: Index | None) -> OldByFile:
    """The previous index's documents, passages and their rows, by source file."""
    out: OldByFile = {}
    if old is None:
        return out
    for d in old.documents.values():
        out.setdefault(d.source, ([], [], []))[0].append(d)
    for row, p in enumerate(old.passages):
        src = old.documents[p.doc_id].source
        out[src][1].append(p)
        out[src][2].append(row)
    return out


@dataclass
class VectorPlan:
    copies: list[tuple[np.ndarray, np.ndarray]]  # (new rows, old rows), in bounded slices
    encode_rows: list[int]
    encode_texts: list[str]


def plan_vectors(results: list[FileResult], old: Index | None, old_by_file: OldByFile
                 ) -> VectorPlan:
    """Where each new row's vector comes from: copied from the old index (an unchanged file's
    rows, or any passage whose embedded text is the same), or encoded."""
    reuse: dict[str, int] = {}
    if old is not None:
        for d_list, p_list, rows in old_by_file.values():
            titles = {d.doc_id: d.title for d in d_list}
            for p, row in zip(p_list, rows):
                reuse[text_key(embed_text(titles[p.doc_id], p.section, p.text))] = row
    dst_rows: list[int] = []
    src_rows: list[int] = []
    need_rows: list[int] = []
    need_texts: list[str] = []
    row = 0
    for r in results:
        if old is not None and r.old_rows is not None:
            dst_rows.extend(range(row, row + len(r.old_rows)))
            src_rows.extend(r.old_rows)
        else:
            titles = {d.doc_id: d.title for d in r.documents}
            for i, p in enumerate(r.passages):
                text = embed_text(titles[p.doc_id], p.section, p.text)
                hit = reuse.get(text_key(text))
                if hit is not None:
                    dst_rows.append(row + i)
                    src_rows.append(hit)
                else:
                    need_rows.append(row + i)
                    need_texts.append(text)
        row += len(r.passages)
    copies = [(np.asarray(dst_rows[i:i + 65536]), np.asarray(src_rows[i:i + 65536]))
              for i in range(0, len(dst_rows), 65536)]  # bounded temporary copies
    return VectorPlan(copies, need_rows, need_texts)


@dataclass
class SentencePlan:
    spans: np.ndarray  # (document position, start, end), sorted by document then start
    texts: list[str]
    reuse: dict[int, int]  # new row -> old row
    # In context only: each sentence's passage row and its span in that passage's embedded
    # text (the sentence's vector is pooled from that passage's run of the model).
    sources: list[tuple[int, int, int]] | None = None


# How sentence vectors are made: "in-context" pools a sentence's word pieces from the run of
# the first passage that holds it (no extra model run); "separate" embeds its text alone.
IN_CONTEXT, SEPARATE = "in-context", "separate"


def _sentences(documents: list[Document], passages_of, in_context: bool):
    """Every distinct sentence, document by document in order of first appearance:
    (document position, start, end, passage row, start and end in the passage's embedded
    text, the key its vector is reused by, its text). ``passages_of(position, document)``
    gives (row, passage)s. In context, the key is the passage's embedded text and the span in
    it; separately, the sentence's text."""
    for pos, d in enumerate(documents):
        seen: set[tuple[int, int]] = set()
        for prow, p in passages_of(pos, d):
            embedded = embed_text(d.title, p.section, p.text)
            shift = len(embedded) - len(p.text)  # where the passage's text starts in it
            passage_key = text_key(embedded) if in_context else ""
            for a, b in p.sentences:
                if (a, b) not in seen:
                    seen.add((a, b))
                    ca, cb, text = shift + a - p.start, shift + b - p.start, d.text[a:b]
                    key = f"{passage_key}:{ca}:{cb}" if in_context else text_key(text)
                    yield pos, a, b, prow, ca, cb, key, text


def plan_sentences(results: list[FileResult], old: Index | None,
                   pooling: str = SEPARATE) -> SentencePlan:
    """Every distinct sentence of the new index, and which keep an old sentence's vector: a
    separate vector is reused for the same sentence text, an in-context one for the same
    span of the same passage text (so an incremental build equals a full one)."""
    in_context = pooling == IN_CONTEXT
    docs: list[Document] = []
    rows_of: dict[int, list[tuple[int, Passage]]] = {}
    row = 0
    for r in results:
        by_doc: dict[str, list[tuple[int, Passage]]] = {}
        for i, p in enumerate(r.passages):
            by_doc.setdefault(p.doc_id, []).append((row + i, p))
        for d in r.documents:
            rows_of[len(docs)] = by_doc.get(d.doc_id, [])
            docs.append(d)
        row += len(r.passages)
    found = list(_sentences(docs, lambda pos, d: rows_of[pos], in_context))
    spans = [(pos, a, b) for pos, a, b, *_ in found]
    texts = [x[7] for x in found]
    keys = [x[6] for x in found]
    old_rows: dict[str, int] = {}
    if old is not None and old.sentence_vectors is not None \
            and old.manifest.get("sentence_pooling", SEPARATE) == pooling:
        old_docs = list(old.documents.values())
        by_old: dict[str, list[tuple[int, Passage]]] = {}
        for prow, p in enumerate(old.passages):
            by_old.setdefault(p.doc_id, []).append((prow, p))
        found_old = sorted(_sentences(old_docs, lambda pos, d: by_old.get(d.doc_id, []),
                                      in_context), key=lambda x: (x[0], x[1]))
        for orow, (pos, a, b, _, _, _, key, _) in enumerate(found_old):
            if tuple(old.sentence_spans[orow]) != (pos, a, b):
                old_rows.clear()  # not the layout this code writes: reuse nothing
                break
            old_rows[key] = orow
    arr = np.asarray(spans, dtype=np.int64).reshape(-1, 3)
    order = np.lexsort((arr[:, 1], arr[:, 0]))  # by document, then position
    texts = [texts[i] for i in order]
    keys = [keys[i] for i in order]
    reuse = {}
    for i, k in enumerate(keys):
        hit = old_rows.get(k)
        if hit is not None:
            reuse[i] = hit
    sources = [(found[i][3], found[i][4], found[i][5]) for i in order] if in_context else None
    return SentencePlan(arr[order], texts, reuse, sources)
