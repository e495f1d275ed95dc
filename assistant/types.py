"""The values that cross module lines. Frozen, so a stage can never mutate another's output.

Offsets are the source of truth: a passage, hit or quote is always
``document.text[start:end]``, never text rebuilt from pieces.
"""
from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from .wording import count


@dataclass(frozen=True)
class Section:
    """A run of body text in a document, under one heading.

    ``start``/``end`` are offsets into ``Document.text``; headings, the title line and page
    metadata lie outside every section, so they are never chunked or quoted.
    """

    heading: str
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """One document as indexed: its text exactly as extracted (every offset refers to it),
    its structure, and what is known about it.

    ``metadata`` (author, country, url, pages, ...) is read-only.
    """

    doc_id: str  # the file's path in the corpus; "file.jsonl#id" for records, "f.txt#2" for parts
    title: str
    text: str
    sections: tuple[Section, ...]
    metadata: Mapping = field(default_factory=dict, hash=False, compare=False)
    source: str = ""  # the file it came from, relative to the corpus folder
    pages: tuple[int, ...] = ()  # start offset of each page (PDF), page 1 first; () if none

    def __post_init__(self):
        object.__setattr__(self, "metadata", MappingProxyType(dict(self.metadata or {})))

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding ``offset``, or None for a document without pages."""
        if not self.pages:
            return None
        return max(1, bisect.bisect_right(self.pages, offset))


@dataclass(frozen=True)
class Passage:
    """A verbatim slice of a document, the unit of retrieval: ``document.text[start:end] ==
    text``, with the absolute spans of its sentences."""

    pid: int
    doc_id: str
    section: str
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...]  # absolute (start, end) of each sentence


@dataclass(frozen=True)
class SkippedFile:
    """A corpus file (or one record or part of it: ``path`` is then "x.jsonl line 3") that
    was not indexed, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        # A file name is anyone's: shown escaped when it holds a control character or a line
        # break, which had coloured the terminal or split the build's summary.
        return f"{_printable(self.path)}: {_printable(self.reason)}"


def _printable(text: str) -> str:
    return text if text.isprintable() else ascii(text)


@dataclass(frozen=True)
class Hit:
    """A retrieved passage with its citation and scores (``score`` is the fused score)."""

    text: str
    doc_id: str
    title: str
    section: str
    start: int
    end: int
    score: float
    pid: int = -1
    dense_score: float = 0.0
    keyword_score: float = 0.0
    page: int | None = None  # PDF page the passage starts on


@dataclass(frozen=True)
class Quote:
    """One to three consecutive sentences quoted verbatim: ``document.text[start:end] ==
    text``, with the citation and the passage it was taken from."""

    text: str
    doc_id: str
    title: str
    section: str
    start: int
    end: int
    score: float
    passage: Hit | None = None  # the passage the quote was taken from, for context
    page: int | None = None  # PDF page the quote starts on


@dataclass(frozen=True)
class Answer:
    """What ``answer`` returns: quotes (confident, or ``tentative``: they may not answer), or
    an abstention with the closest passages (which are explicitly not an answer).
    ``markdown`` shows it, with the text literal."""

    question: str
    quotes: tuple[Quote, ...]
    abstained: bool
    markdown: str
    closest: tuple[Hit, ...] = ()  # when abstaining: nearest passages, explicitly not an answer
    confidence: float = 0.0  # the probability that the top quote answers (fitted model)
    tentative: bool = False  # quotes shown, but they may not answer the question
    # Why they may not, when known, in words a reader can check against the quote ("the
    # question names 2021; the quoted passage is about 2022"): the checks that failed.
    caveats: tuple[str, ...] = ()


@dataclass(frozen=True)
class BuildReport:
    """What a build did: counts, files added / changed / removed / unchanged, passages
    embedded in this run, skipped files and why, seconds."""

    documents: int
    passages: int
    skipped: tuple[SkippedFile, ...]
    seconds: float
    index_dir: str = ""
    model: str = ""
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    embedded: int = 0  # passages embedded in this run (0 when nothing changed)
    backend: str = ""
    backend_reason: str = ""  # why this backend: the CPU's int8 support, the index's, asked

    def summary(self) -> str:
        lines = [
            f"Indexed {count(self.documents, 'document')}, {count(self.passages, 'passage')} "
            f"in {self.seconds:.1f} s (model: {self.model}, backend: {self.backend}"
            + (f" ({self.backend_reason})" if self.backend_reason else "") + ").",
            f"Files: {self.added} added, {self.changed} changed, {self.removed} removed, "
            f"{self.unchanged} unchanged; {count(self.embedded, 'passage')} embedded in this "
            "run.",
        ]
        if self.skipped:
            lines.append(f"Skipped {len(self.skipped)}:")
            lines.extend(f"  - {s}" for s in self.skipped)
        return "\n".join(lines)
