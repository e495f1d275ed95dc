"""The incremental plan: which files, passages and sentences can keep what the previous index
computed for them, and what must be embedded."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from ..loading import CorpusFile
from ..types import Document, Passage
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


def plan_sentences(results: list[FileResult], old: Index | None) -> SentencePlan:
    """Every distinct sentence of the new index, and which keep an old sentence's vector."""
    spans: list[tuple[int, int, int]] = []
    texts: list[str] = []
    pos = 0
    for r in results:
        by_doc: dict[str, list[Passage]] = {}
        for p in r.passages:
            by_doc.setdefault(p.doc_id, []).append(p)
        for d in r.documents:
            seen: set[tuple[int, int]] = set()
            for p in by_doc.get(d.doc_id, ()):
                for a, b in p.sentences:
                    if (a, b) not in seen:
                        seen.add((a, b))
                        spans.append((pos, a, b))
                        texts.append(d.text[a:b])
            pos += 1
    old_rows: dict[str, int] = {}
    if old is not None and old.sentence_vectors is not None:
        docs = list(old.documents.values())
        for row, (dp, a, b) in enumerate(old.sentence_spans):
            old_rows[text_key(docs[dp].text[a:b])] = row
    arr = np.asarray(spans, dtype=np.int64).reshape(-1, 3)
    order = np.lexsort((arr[:, 1], arr[:, 0]))  # by document, then position
    texts = [texts[i] for i in order]
    reuse = {}
    for i, t in enumerate(texts):
        hit = old_rows.get(text_key(t))
        if hit is not None:
            reuse[i] = hit
    return SentencePlan(arr[order], texts, reuse)
