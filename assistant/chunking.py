"""Documents -> passages on sentence boundaries, never across sections, always verbatim.

Every span produced here is an offset pair into ``Document.text``; the text of a passage or a
sentence is always ``document.text[start:end]``, never rebuilt from pieces.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .types import Document, Passage

_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class ChunkParams:
    # all-MiniLM-L6-v2 was trained on 128 word pieces and truncates at 256. Our estimate counts
    # words and punctuation, which undercounts word pieces by roughly a quarter, so 120
    # estimated tokens stays well inside the window even with the title and heading prepended.
    max_tokens: int = 120
    overlap_sentences: int = 1
    language: str = "en"

    def to_dict(self) -> dict:
        return asdict(self)


def count_tokens(text: str) -> int:
    return len(_TOKEN.findall(text))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# A table's row as the loaders write it: cells between pipes ("| Construction | 138 |", a
# Markdown table) or joined by them ("Construction | 138", a web page's or Word table's).
_TABLE_ROW = re.compile(r"\s*\|.*\|\s*|[^|\n]*\S \| \S[^\n]*")
# The rule under a Markdown table's header ("|---|:---:|"): cells of dashes, maybe with colons.
_TABLE_RULE_CELL = re.compile(r":?-{2,}:?")


def _table_rule(line: str) -> bool:
    """Whether ``line`` is the rule under a Markdown table's header (``_TABLE_RULE_CELL``
    between pipes). (Split, not one pattern: spaces around optional pipes had backtracked
    quadratically on a long run of spaces.)"""
    cells = line.strip().strip("|").split("|")
    return all(_TABLE_RULE_CELL.fullmatch(c.strip()) for c in cells)


def _tables(text: str) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """The tables of ``text``, (start, end, row spans): runs of two or more lines that are
    each a table's row; a header keeps the rule under it."""
    out: list[tuple[int, int, list[tuple[int, int]]]] = []
    rows: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n") + [""]:
        start, end = pos, pos + len(line)
        pos = end + 1
        if line.strip() and rows and _table_rule(line):
            rows[-1] = (rows[-1][0], end)
        elif line.strip() and _TABLE_ROW.fullmatch(line):
            rows.append((start, end))
        else:
            if len(rows) >= 2:
                out.append((rows[0][0], rows[-1][1], [_trim(text, s, e) for s, e in rows]))
            rows = []
    return out


def table_row(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a whole line (or a header and the rule under it) that
    reads as a table's row (``_tables``)."""
    if text.find("|", start, end) < 0:  # most sentences: asked of every candidate quoted
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if text[line_start:start].strip() or text[end:line_end if line_end >= 0 else None].strip():
        return False
    first_end = text.find("\n", start, end)
    return bool(_TABLE_ROW.fullmatch(text, start, first_end if first_end >= 0 else end))


def _segment(text: str, language: str, max_tokens: int | None = None
             ) -> list[tuple[int, int]]:
    """Sentence spans of ``text``: sentencex's, but a table (``_tables``) is one sentence, or
    a sentence a row when it is longer than ``max_tokens`` (a long table had been cut into
    windows of words across its rows). A small table stays whole: a row alone matches a
    question less well than the table read together, and is figures without their names."""
    out: list[tuple[int, int]] = []
    pos = 0
    for start, end, rows in _tables(text):
        out += [(pos + s, pos + e) for s, e in _prose(text[pos:start], language)]
        whole = max_tokens is None or count_tokens(text[start:end]) <= max_tokens
        out += [_trim(text, start, end)] if whole else rows
        pos = end
    return out + [(pos + s, pos + e) for s, e in _prose(text[pos:], language)]


def _prose(text: str, language: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` from sentencex, checked against the text itself."""
    from sentencex import get_sentence_boundaries  # a Rust extension: fast, char offsets

    spans = []
    try:
        bounds = get_sentence_boundaries(language, text)
    except Exception:  # an unusual input must not lose the text: fall back to lines
        bounds = None
    if bounds is not None:
        pos = 0
        for b in bounds:
            s, e = b["start_index"], b["end_index"]
            if not (0 <= s <= e <= len(text)) or text[s:e] != b["text"]:
                found = text.find(b["text"], pos)
                if found < 0:
                    bounds = None
                    break
                s, e = found, found + len(b["text"])
            pos = e
            spans.append((s, e))
    if bounds is None:
        spans, pos = [], 0
        for line in text.split("\n"):
            spans.append((pos, pos + len(line)))
            pos += len(line) + 1
    out = []
    for s, e in spans:
        s, e = _trim(text, s, e)
        if s < e:
            out.append((s, e))
    return out


def _split_long(text: str, start: int, end: int, max_tokens: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence into windows of whole tokens."""
    tokens = [m.span() for m in _TOKEN.finditer(text, start, end)]
    if len(tokens) <= max_tokens:
        return [(start, end)]
    pieces = []
    for i in range(0, len(tokens), max_tokens):
        window = tokens[i:i + max_tokens]
        pieces.append((window[0][0], window[-1][1]))
    return pieces


def sentences(text: str, start: int, end: int, *, language: str = "en",
              max_tokens: int | None = None) -> list[tuple[int, int]]:
    """Absolute (start, end) spans of the sentences in ``text[start:end]``."""
    spans = [(start + s, start + e)
             for s, e in _segment(text[start:end], language, max_tokens)]
    if max_tokens is None:
        return spans
    out: list[tuple[int, int]] = []
    for s, e in spans:
        out.extend(_split_long(text, s, e, max_tokens))
    return out


def chunk_document(doc: Document, params: ChunkParams = ChunkParams(), first_pid: int = 0
                   ) -> list[Passage]:
    """Greedy packing of whole sentences into passages of at most ``max_tokens``.

    Consecutive passages share ``overlap_sentences`` sentences so that an answer spanning a
    passage boundary is still found whole in one passage.
    """
    passages: list[Passage] = []
    text = doc.text
    for section in doc.sections:
        sents = sentences(text, section.start, section.end, language=params.language,
                          max_tokens=params.max_tokens)
        sizes = [count_tokens(text[s:e]) for s, e in sents]
        i = 0
        while i < len(sents):
            j, total = i, 0
            while j < len(sents) and (j == i or total + sizes[j] <= params.max_tokens):
                total += sizes[j]
                j += 1
            group = sents[i:j]
            s, e = group[0][0], group[-1][1]
            passages.append(Passage(pid=first_pid + len(passages), doc_id=doc.doc_id,
                                    section=section.heading, start=s, end=e, text=text[s:e],
                                    sentences=tuple(group)))
            if j >= len(sents):
                break
            i = max(i + 1, j - params.overlap_sentences)
    return passages
