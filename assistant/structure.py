"""The structure of a document's text: paragraphs, headings, sections, title and page
metadata, recorded as offsets into the unchanged text (so every quote can be checked against
the original). Used by the text readers (``loading``) and the extractors (``extract``).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from .types import Document, Section


class Unit(NamedTuple):
    """A heading or a run of body text: ``text[start:end]``; ``label`` is a heading's text."""

    start: int
    end: int
    kind: str  # "heading" or "body"
    label: str = ""


# A heading is a short line standing alone; longer lines, or lines that end like a sentence
# ("... at the following link:"), are body text.
MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 100
_SENTENCE_END = (".", "!", "?", ":", ";", ",")

# Page metadata printed at the foot of exported web pages ("Country Slovenia", "TOC Heading").
# Only a final paragraph made entirely of such lines is treated as metadata.
_META_LINE = re.compile(
    r"^(?P<key>TOC Heading|Section|Country|Countries|Region|Language|Source|Date|Tags?|Category)"
    r"(?::\s*|\s+|$)(?P<value>.*)$"
)
# No nested or adjacent unbounded quantifiers: "# a" + " " * N + "b" once took seconds per line.
_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")


def _heading_label(raw: str | None) -> str:
    """A Markdown heading's text without its optional closing run of #."""
    label = (raw or "").strip()
    bare = label.rstrip("#")
    if bare != label and (not bare or bare[-1] in " \t"):
        label = bare.strip()
    return label
_BLANK_LINES = re.compile(r"\n[ \t]*\n[\s]*")
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)



def paragraphs(text: str, base: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: runs of text between blank lines, whitespace-trimmed."""
    out = []
    pos = 0
    for m in _BLANK_LINES.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    result = []
    for s, e in out:
        chunk = text[s:e]
        stripped = chunk.strip()
        if not stripped:
            continue
        s2 = s + (len(chunk) - len(chunk.lstrip()))
        result.append((base + s2, base + s2 + len(stripped)))
    return result


def is_heading_line(line: str) -> bool:
    """A short line standing alone, not ending like a sentence, starting with a capital or a
    digit: a heading in text that has no markup."""
    line = line.strip()
    if not line or "\n" in line or len(line) > MAX_HEADING_CHARS:
        return False
    if line.endswith(_SENTENCE_END):
        return False
    if len(line.split()) > MAX_HEADING_WORDS:
        return False
    return line[0].isupper() or line[0].isdigit()


def _meta_block(lines: list[str]) -> dict | None:
    meta = {}
    for line in lines:
        m = _META_LINE.match(line.strip())
        if not m:
            return None
        value = m.group("value").strip()
        if value:
            meta[m.group("key").lower().replace(" ", "_")] = value
    return meta


def _front_matter(text: str) -> tuple[dict, int]:
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, 0
    meta = {}
    for line in m.group(1).split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip() and value.strip():
            meta[key.strip().lower()] = value.strip().strip("'\"")
    return meta, m.end()


def parse_text(doc_id: str, text: str, *, markdown: bool, source: str = "", title: str = "",
               metadata: dict | None = None) -> Document:
    """Find the title, section headings, page metadata and body sections of a text.

    The text itself is kept unchanged; structure is recorded as offsets so that every quote
    can be checked against the original.
    """
    meta = dict(metadata or {})
    fm, body_start = _front_matter(text) if markdown else ({}, 0)
    for k, v in fm.items():
        meta.setdefault(k, v)

    blocks = paragraphs(text[body_start:], base=body_start)
    units: list[Unit] = []
    for s, e in blocks:
        if not markdown:
            units.append(Unit(s, e, "body", ""))
            continue
        # A Markdown heading may sit directly above its paragraph, without a blank line.
        pos, run = s, None
        for line in text[s:e].split("\n"):
            ls, le = pos, pos + len(line)
            pos = le + 1
            hm = _MD_HEADING.match(line)
            if hm:
                if run:
                    units.append(Unit(run[0], run[1], "body", ""))
                units.append(Unit(ls, le, "heading", _heading_label(hm.group(2))))
                run = None
            elif line.strip():
                lead = len(line) - len(line.lstrip())
                run = [ls + lead, le] if run is None else [run[0], le]
        if run:
            units.append(Unit(run[0], run[1], "body", ""))

    # Trailing page metadata ("Section Member States / Country Slovenia / TOC Heading").
    if len(units) > 1 and units[-1][2] == "body":
        s, e, _, _ = units[-1]
        found = _meta_block(text[s:e].split("\n"))
        if found is not None:
            for k, v in found.items():
                meta.setdefault(k, v)
            units.pop()

    # Title: the first Markdown heading, else the first line when it stands alone.
    if not title:
        if markdown:
            first_heading = next((u for u in units if u[2] == "heading"), None)
            if first_heading is not None:
                title = first_heading[3].strip()
                if units and units[0] is first_heading:
                    units.pop(0)
        if not title and units:
            s, e, kind, label = units[0]
            first_line = text[s:e].split("\n", 1)[0].strip()
            if kind == "heading":
                title = label.strip()
                units.pop(0)
            elif "\n" not in text[s:e] and len(units) > 1 and len(first_line) <= 200:
                title = first_line
                units.pop(0)
            else:
                title = first_line[:120]

    # Plain-text headings (in Markdown too): a short single line between two paragraphs.
    for i, (s, e, kind, _) in enumerate(units):
        if kind == "body" and i + 1 < len(units) and is_heading_line(text[s:e]):
            units[i] = Unit(s, e, "heading", text[s:e].strip())

    return Document(doc_id=doc_id, title=title or doc_id, text=text,
                    sections=tuple(sections_from_units(units)), metadata=meta, source=source)


# A heading that is only a numbered item's label ("Article 112", "Section 3.1"): the heading
# right after it is its title, and the two are one section's heading.
_ITEM_LABEL = re.compile(r"(?i:Article|Art\.|Section|Chapter|Part|Title|Book|Measure|Annex|"
                         r"Appendix|Schedule|Rule|Regulation|Clause|Paragraph)\s+"
                         r"(\d+[a-z]?(\.\d+)*|[IVXLC]+)")


def sections_from_units(units: Sequence[Unit]) -> list[Section]:
    """One Section per run of body units under a heading unit. "Article 112" directly followed
    by its title heading is one heading, "Article 112 — Use of services of a victim": the title
    alone had hidden the article's number from citations and from questions naming it."""
    sections: list[Section] = []
    heading = ""
    cur: list[int] | None = None
    after_heading = False
    for s, e, kind, label in units:
        if kind == "heading":
            if cur:
                sections.append(Section(heading, cur[0], cur[1]))
            label = " ".join(label.split())
            # (Only a title joins a label: "Part II" then "Article 4" is a new label.)
            heading = f"{heading} — {label}" if after_heading and cur is None \
                and _ITEM_LABEL.fullmatch(heading) and not _ITEM_LABEL.fullmatch(label) \
                else label
            cur = None
            after_heading = True
            continue
        after_heading = False
        if cur is None:
            cur = [s, e]
        else:
            cur[1] = e
    if cur:
        sections.append(Section(heading, cur[0], cur[1]))
    return sections
