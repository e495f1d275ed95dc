"""Text out of HTML, PDF and DOCX files, as blocks that become one Document.

Each extractor returns the document's title and its blocks (a heading or a paragraph of body
text, with the page it is on for PDFs); ``assemble`` joins the blocks into the one text that
the index stores and quotes from, so every offset refers to that extracted text. Maintained
libraries do the format work: trafilatura (main text of web pages, without navigation and
boilerplate), pypdf (text layer per page), python-docx (paragraphs and their styles).
"""
from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .structure import Unit, is_heading_line, sections_from_units
from .types import Document
from .wording import count


class ExtractError(ValueError):
    """The file cannot give any text; the message says why, for the build report."""


# Limits on what one file may expand to. Upload size limits say nothing about this: a 1.6 MB
# .docx can hold XML that inflates to 1 GB. Over a limit the file is skipped with the reason,
# before the expensive step; peak memory while extracting one file stays within the budget the
# README gives ("Security"), measured in benchmarks/extraction.py.
MAX_HTML_BYTES = 4 * 2**20  # raw page size: pathological markup costs ~170 MB per MB
# The start of the reason a file over the time limit is skipped with (``loading.is_transient``).
TIME_LIMIT_REASON = "reading its text took more than"
MAX_EXTRACT_SECONDS = 60  # a PDF's pages are read until this much time has passed
MAX_TABLE_CELLS = 20_000  # cells of one Word table, as written (spans are not expanded)
MAX_DOCX_XML_BYTES = 32 * 2**20  # the XML parts of a .docx (parsed into trees), as declared
MAX_DOCX_UNZIPPED_BYTES = 256 * 2**20  # all parts (images included: python-docx loads them)
MAX_PDF_PAGES = 3000
MAX_EXTRACTED_CHARS = 16 * 2**20  # text of one extracted document


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB"


def check_text_size(chars: int) -> None:
    if chars > MAX_EXTRACTED_CHARS:
        raise ExtractError(f"its text is longer than {MAX_EXTRACTED_CHARS:,} characters, the "
                           "limit for one document; split it into smaller files")


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" or "body"
    text: str
    page: int = 0  # 1-based page number (PDF); 0 when the format has no pages


_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n\s*\n")


def _clean(text: str) -> str:
    lines = [_SPACES.sub(" ", ln).strip() for ln in text.replace("\r", "\n").split("\n")]
    return "\n".join(ln for ln in lines if ln)


def assemble(doc_id: str, title: str, blocks: list[Block], *, source: str,
             metadata: dict | None = None) -> Document:
    """One Document from blocks: texts joined by blank lines, a Section per run of body blocks
    under a heading, and the start offset of every page."""
    parts: list[str] = []
    units: list[Unit] = []
    pages: list[int] = []
    pos = 0
    for b in blocks:
        text = _clean(b.text)
        if not text:
            continue
        if parts:
            parts.append("\n\n")
            pos += 2
        while b.page and len(pages) < b.page:
            pages.append(pos)
        parts.append(text)
        units.append(Unit(pos, pos + len(text), b.kind, text))
        pos += len(text)
    sections = sections_from_units(units)
    text = "".join(parts)
    check_text_size(len(text))
    if not sections:
        raise ExtractError("no body text found")
    return Document(doc_id=doc_id, title=title.strip() or Path(doc_id).stem, text=text,
                    sections=tuple(sections), metadata=dict(metadata or {}), source=source,
                    pages=tuple(pages))


# --- HTML -----------------------------------------------------------------------------------

def html_blocks(data: bytes) -> tuple[str, list[Block], dict]:
    import logging

    import trafilatura
    from lxml import etree

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # we report our own reason

    if len(data) > MAX_HTML_BYTES:
        raise ExtractError(f"the page is larger than {_mb(MAX_HTML_BYTES)}, the limit for HTML")
    try:
        html = data.decode("utf-8")
    except UnicodeDecodeError:
        html = data.decode("cp1252", errors="replace")
    page = _without_crowded_inline(_parse_page(html))
    _wrap_loose_text(page)
    _mark_list_items(page)
    _with_content_asides(page)
    # trafilatura reads a copy of our tree (it cleans the tree it is given): parsed from the
    # text by its own parser, a page nested deeper than 256 levels lost everything after.
    try:
        if page is not None and _more_elements_than(page, MAX_EXTRACTED_ELEMENTS):
            # trafilatura's time grows with the square of a page's elements (100,000 tiny
            # paragraphs 7.4 s, 437,000 in 3.5 MB 184 s): read as below instead, linear.
            xml = None
        else:
            xml = trafilatura.extract(copy.deepcopy(page) if page is not None else html,
                                      output_format="xml", include_comments=False,
                                      include_tables=True, include_links=False,
                                      favor_recall=True)
    except (etree.XMLSyntaxError, RecursionError):
        # trafilatura parses its own output with libxml2's default depth of 256, and recurses
        # on nested elements: lists nested 130 deep had skipped the page. Read as trafilatura
        # finds no paragraph: the page's own text, in order (``_body_blocks``).
        xml = None
    meta = trafilatura.extract_metadata(html)
    root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(huge_tree=True)) if xml else None
    for lb in (root.iter("lb") if root is not None else ()):
        lb.text = "\n"  # a line break (<br>) breaks the line: "night.Calls" had run together
    blocks: list[Block] = []
    main = root.find("main") if root is not None else None
    for el in (main if main is not None else root if root is not None else ()):
        tag = el.tag
        if tag == "head":
            blocks.append(Block("heading", "".join(el.itertext())))
        elif tag == "list":
            lines: list[str] = []
            _list_lines(el, lines)
            blocks.append(Block("body", "\n".join(lines)))
        elif tag == "table":
            rows = [" | ".join("".join(c.itertext()).strip() for c in r.iter("cell"))
                    for r in el.iter("row")]
            blocks.append(Block("body", "\n".join(r for r in rows if r.strip(" |"))))
        else:
            blocks.append(Block("body", "".join(el.itertext())))
    if page is not None and not any(b.kind == "heading" for b in blocks):
        blocks = _with_source_headings(page, blocks)
    if page is not None and not any(b.kind == "body" and b.text.strip() for b in blocks):
        # trafilatura found no paragraph (text written straight into <body>, between
        # headings, or with <br>): the page's own text, in order, rather than losing the file.
        blocks = _body_blocks(page)
    if not any(b.kind == "body" and b.text.strip() for b in blocks):
        raise ExtractError("no main text found in the page")
    metadata = {}
    title = ""
    if meta is not None:
        title = meta.title or ""
        # No date: trafilatura guesses one even from a copyright line, and a wrong date
        # is worse than none.
        for key, value in (("author", meta.author), ("site", meta.sitename), ("url", meta.url)):
            if value:
                metadata[key] = value
    if not title and blocks and blocks[0].kind == "heading":
        title = blocks[0].text
    # The page's own H1 repeats its <title>: keep it out of the text's first section heading.
    # (A page without a <title> has one guessed from its first heading, which stays.)
    if blocks and blocks[0].kind == "heading" and _clean(blocks[0].text) == _clean(title) \
            and _page_title(page):
        blocks = blocks[1:]
    return title, blocks, metadata


_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "nav", "header", "footer",
                           "aside", "form", "head", "title"})
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "tr", "table", "section",
                         "article", "main", "blockquote", "pre", "dd", "dt", "dl", "hr"})


# A box beside the text inside <main> or <article> ("Contact", "Key facts") whose text is
# mostly its own, not links: content, which trafilatura and the fallback walk would drop as
# an <aside>. A box of links ("Related articles", "Share") stays out.
_ASIDE_MAX_LINK_SHARE = 0.5


# A box named as clutter by a word of its class or id ("newsletter", "share" ...) stays out
# however few links it has; whole words only: "social-services-contact" and "key-facts
# shareable" are content (a probe's), and a box of related links is mostly links.
_CLUTTER = frozenset("newsletter newsletters subscribe subscription signup share sharing "
                     "promo promotion advert advertisement ad ads cookie cookies banner".split())


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _list_lines(el, out: list[str]) -> None:
    """A list of trafilatura's output as lines, each item (with the mark ``_mark_list_items``
    gave it) on its own line and a nested list's items on lines of their own after it: an
    item's text had run into its nested items' ("safe.call 112 if needed"), which then came
    again."""
    for item in el.iterfind("item"):
        own, nested = [item.text or ""], []
        after: list[str] = []  # the item's text after a nested list: a line after its items
        for child in item:
            if child.tag == "list":
                nested.append(child)
                if (child.tail or "").strip():
                    after.append(child.tail.strip())
                continue
            if child.tag in ("p", "div", "head", "quote"):  # a block: apart from the rest
                text = "".join(child.itertext()).strip()
                before = "".join(own)
                if text:
                    own.append(("" if not before.strip() or before[-1].isspace() else " ")
                               + text)
                if child.tail and child.tail.strip() and not child.tail[0].isspace():
                    own.append(" ")
            else:
                own.append("".join(child.itertext()))
            own.append(child.tail or "")
        line = "".join(own).strip()
        if line:
            out.append(line)
        for sub in nested:
            _list_lines(sub, out)
        out.extend(after)


# Elements that make a block of their own; text beside them in a container is a block too.
_BLOCKS = frozenset((
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "div", "dl",
    "fieldset", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "main", "menu", "nav", "noscript", "ol", "p", "pre", "section", "table",
    "ul", "script", "style", "template", "iframe", "video", "audio", "canvas", "svg", "object"))
_CONTAINERS = ("body", "main", "article", "section", "div", "aside", "blockquote", "center")


def _wrap_loose_text(page) -> None:
    """Put each run of text written straight into a container beside its blocks ("<p>Intro
    </p>The helpline is 080 1722 ...<br>Calls are free.") into a paragraph of its own, as a
    browser shows it: trafilatura keeps only paragraphs, and the helpline's sentence had been
    lost without a word. ``page`` is changed in place."""
    from lxml import etree

    if page is None:
        return
    for el in list(page.iter(*_CONTAINERS)):
        children = list(el)
        if not any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in children):
            continue  # text and inline elements only: a paragraph already
        loose = (el.text or "").strip() or any(
            (c.tail or "").strip() or (isinstance(c.tag, str) and c.tag not in _BLOCKS
                                       and c.tag != "br")
            for c in children)
        if not loose:
            continue
        out, run = [], None

        def new_run(text: str | None = None):
            p = etree.Element("p")
            p.text = text
            out.append(p)
            return p

        if (el.text or "").strip():
            run = new_run(el.text)
        el.text = None if run is not None else el.text
        for c in children:
            tail = c.tail
            if not isinstance(c.tag, str) or c.tag in _BLOCKS:
                out.append(c)
                run = None
                if tail and tail.strip():
                    c.tail = None
                    run = new_run(tail)
            else:  # inline (a link, emphasis, a line break): into the run
                if run is None:
                    if c.tag == "br" and not (tail or "").strip():
                        out.append(c)  # a line break between blocks: left as it is
                        continue
                    run = new_run()
                run.append(c)
        el[:] = out


_NO_MARKS = re.compile(r"list-style(?:-type)?\s*:\s*none", re.IGNORECASE)
_OL_TYPES = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}


def _mark_list_items(page) -> None:
    """Open each item of the page's lists with the mark a browser shows: "•", or its number
    in a numbered list ("3.", "c.", "iv."), counted as a browser counts (``start``, ``type``,
    ``reversed``, an item's ``value``; an empty item counts too). trafilatura keeps none of
    these, and without marks a list's items read as loose sentences. ``page`` is changed in
    place."""
    if page is None:
        return
    for lst in page.iter("ol", "ul"):
        items = [c for c in lst if c.tag == "li"]
        if _NO_MARKS.search(lst.get("style", "")):
            continue  # a list the page shows without marks (a menu, a row of links)
        ordered = lst.tag == "ol"
        down = ordered and lst.get("reversed") is not None
        n = _int(lst.get("start"), len(items) if down else 1, lowest=-MAX_LIST_START)
        fmt = _OL_TYPES.get(lst.get("type", ""), "decimal")
        for li in items:
            if ordered:
                n = _int(li.get("value"), n, lowest=-MAX_LIST_START)
                mark = (_number(n, fmt) if n > 0 else str(n)) + "."
                n += -1 if down else 1
            else:
                mark = "•"
            # (an empty item counts, but shows no line; not text_content(): over nested lists
            # that is quadratic in the page)
            if (li.text or "").strip() or len(li):
                li.text = f"{mark} {li.text or ''}"


def _with_content_asides(page) -> None:
    """Each content box (``_ASIDE_MAX_LINK_SHARE``) of the page made a <section>, so that it
    is read with the text: a labour inspectorate's page had lost its contact box (telephone,
    e-mail, address) inside <main>. ``page`` is changed in place."""
    if page is None:
        return
    for el in list(page.iter("aside")):
        if not any(a.tag in ("main", "article") for a in el.iterancestors()):
            continue
        text = len(el.text_content().strip())
        links = sum(len(a.text_content().strip()) for a in el.iter("a"))
        named = set(re.split(r"[\W_]+", f"{el.get('class', '')} {el.get('id', '')}".lower()))
        # (a box the page hides is no text of it: a probe's <aside hidden> was indexed)
        hidden = el.get("hidden") is not None or el.get("aria-hidden") == "true" \
            or _HIDDEN_STYLE.search(el.get("style", "")) is not None
        if text and links < _ASIDE_MAX_LINK_SHARE * text and not named & _CLUTTER \
                and not hidden:
            el.tag = "section"


# A page with more inline elements than this (emphasis, spans, labels ...: any element that is
# not a block, a link, a line break, an image or a table's) has their tags taken out, text
# kept: trafilatura's handling of them is quadratic in a paragraph (a 3.9 MB paragraph of <b>
# had taken over five minutes; 32,000 <span> in 480 KB, 13.6 s; 160,000 <label>, 42 s). It
# keeps none of them anyway. Links stay: they tell boilerplate.
CROWDED_INLINE = 5000
_NOT_INLINE = _BLOCKS | frozenset((
    "html", "head", "title", "meta", "link", "base", "body", "li", "dt", "dd", "thead",
    "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col", "figcaption", "summary",
    "legend", "br", "a", "img", "picture", "source", "embed", "math", "frameset", "frame",
    "noframes"))


def _without_crowded_inline(page):
    """``page``, or a copy without its inline tags when it has more than ``CROWDED_INLINE``.
    The copy is parsed again from its markup: stripped in place, the text stays in as many
    pieces as there were tags, and each read of it joins them all (as slow again)."""
    import lxml.html
    from lxml import etree

    if page is None:
        return page
    inline: set[str] = set()
    count = 0
    for el in page.iter():
        tag = el.tag
        if isinstance(tag, str) and tag not in _NOT_INLINE:
            inline.add(tag)
            count += 1
    if count <= CROWDED_INLINE:
        return page
    etree.strip_tags(page, *inline)
    return _parse_page(lxml.html.tostring(page, encoding="unicode"))


# Past this many elements a page is read by ``_body_blocks`` (its text in order, without
# scripts, navigation, headers and footers) rather than by trafilatura.
MAX_EXTRACTED_ELEMENTS = 100_000


def _more_elements_than(page, n: int) -> bool:
    for i, _ in enumerate(page.iter()):
        if i >= n:
            return True
    return False


def _parse_page(html: str):
    """The page as an lxml tree, or None when it cannot be parsed. Nested up to libxml2's
    2,048 levels (``huge_tree``; the page's size is bounded by ``MAX_HTML_BYTES``), not 256:
    unclosed tags nest a legacy page deeply, and the text after that depth was lost without a
    word. Deeper still, ``ExtractError``: the page cannot be read whole."""
    import lxml.html

    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        page = lxml.html.document_fromstring(html, parser=parser)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return None
    if any("Excessive depth" in e.message for e in parser.error_log):
        raise ExtractError("its markup is nested too deeply (more than 2,048 levels) to be "
                           "read whole")
    return page


def _page_title(page) -> str:
    if page is None:
        return ""
    title = page.find(".//title")
    return _clean(title.text_content()) if title is not None else ""


def _body_blocks(page) -> list[Block]:
    """The text of a page's <body> in order: its headings, and the text between them broken
    at block elements and <br>; scripts, navigation, headers and footers left out. One walk
    of the tree, without recursion (a page may nest thousands of elements)."""
    from lxml import etree

    body = page.find("body")
    blocks: list[Block] = []
    buf: list[str] = []

    def flush() -> None:
        text = _clean(" ".join(buf))
        buf.clear()
        if text:
            blocks.append(Block("body", text))
    walker = etree.iterwalk(body if body is not None else page, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIPPED_TAGS or tag in _HEADING_TAGS:
                if tag in _HEADING_TAGS:
                    flush()
                    heading = _clean(el.text_content())
                    if heading:
                        blocks.append(Block("heading", heading))
                walker.skip_subtree()
                continue
            if tag in _BLOCK_TAGS:
                flush()
            if el.text and tag:
                buf.append(el.text)
        else:
            if tag in _BLOCK_TAGS:
                flush()
            if el.tail:
                buf.append(el.tail)
    flush()
    return blocks


def _with_source_headings(page, blocks: list[Block]) -> list[Block]:
    """``blocks`` with the page's own headings put back before the paragraphs they head.
    trafilatura keeps headings when a page has an <article> or <main>, but drops them from a
    plain <body> of <h2> and <p> (a blind probe's page: every quote cited an empty section).
    Each paragraph is found by its text among the page's elements in order, and the last
    heading before it heads it."""
    heading_of: dict[str, str] = {}  # a block element's text -> the heading before it
    heading, found = "", False
    # Nested list items (or cells) each read their whole subtree: over a thousand nested items
    # holding 1 MB that is quadratic (8 s; 4 MB, half a minute), so reading stops after this
    # many characters, with the headings found so far.
    budget = 4 * MAX_HTML_BYTES
    for el in page.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _HEADING_TAGS:
            heading, found = _clean(el.text_content()), True
        # (not <div>: nested ones would each read their whole subtree, on a page of any size)
        elif tag in ("p", "li", "td", "th", "dd", "dt", "blockquote", "pre"):
            raw = el.text_content()
            budget -= len(raw)
            if budget < 0:
                break
            text = _clean(raw)
            if text and text not in heading_of:
                heading_of[text] = heading
    if not found:
        return blocks
    out: list[Block] = []
    current = ""
    for b in blocks:
        under = heading_of.get(_clean(b.text)) if b.kind == "body" else None
        if under and under != current:
            out.append(Block("heading", under))
            current = under
        out.append(b)
    return out


# --- PDF ------------------------------------------------------------------------------------

def pdf_blocks(path: Path) -> tuple[str, list[Block], dict]:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # warnings about odd but readable files
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractError("the PDF is encrypted with a password")
        n_pages = len(reader.pages)
        if n_pages > MAX_PDF_PAGES:
            raise ExtractError(f"it has {n_pages:,} pages, over the limit of {MAX_PDF_PAGES:,}; "
                               "split it into smaller files")
        import time

        pages, chars, t0 = [], 0, time.monotonic()
        for p in reader.pages:
            pages.append(p.extract_text() or "")
            chars += len(pages[-1])
            check_text_size(chars)
            if time.monotonic() - t0 > MAX_EXTRACT_SECONDS:
                # The same words at every try (no page reached): the reason is compared
                # between builds, and a busy machine stops at another page each time.
                raise ExtractError(f"{TIME_LIMIT_REASON} {MAX_EXTRACT_SECONDS} s (of its "
                                   f"{n_pages:,} pages); it may be damaged or built to be slow, "
                                   "or the machine was busy: the next build tries again")
    except ExtractError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as e:
        raise ExtractError(f"not a readable PDF ({type(e).__name__}: {e})") from None
    except Exception as e:  # pypdf raises many types on damaged files
        raise ExtractError(f"not a readable PDF ({type(e).__name__})") from None
    if not any(p.strip() for p in pages):
        raise ExtractError(f"no text layer in {count(len(pages), 'page')} (a scanned PDF?); "
                           "run OCR on it and add the result")
    blocks: list[Block] = []
    for n, page in enumerate(without_running_lines(pages), start=1):
        blocks.extend(_page_blocks(page, n) or [Block("body", "", n)])
    meta = reader.metadata or {}
    title = ""
    try:
        title = str(meta.get("/Title") or "").strip()
    except Exception:
        title = ""
    metadata = {"pages": len(pages)}
    return title, blocks, metadata


# How many lines at each end of a page may be a running header or footer.
RUNNING_EDGE_LINES = 2
# A page number as running footers and headers write it: "Page 3", "Page 3 of 40", "3 of 40",
# "- 3 -", or a bare number equal to the page's own (a bare number may be an amount or a vote).
_PAGE_LABEL = re.compile(r"(page\s+(?P<a>\d+)(\s*(of|/)\s*\d+)?|(?P<b>\d+)\s*(of|/)\s*\d+|"
                         r"[-–—]\s*(?P<c>\d+)\s*[-–—]|(?P<d>\d+))", re.IGNORECASE)
# A running header recurs on at least this many pages (and on half of them at least), and has
# at least two words: "Yes", "Continued" or a vote count at page ends are content.
RUNNING_MIN_PAGES = 3


# A page label inside a line, its page's number written "#" (``_with_page_number``): "page #",
# "# of 8", "# / 8", "- # -".
# Not "# of 9" inside a sentence ("Inspectors visited 3 of 9 farms" at the top of page 3,
# a probe's): "of" counts only opening the line; and "# | Annual Report" or "Report | #",
# a number set apart by a bar or a bullet at either end.
_PAGE_LABEL_IN = re.compile(r"\bpage\s+#|^#\s*(?:of|/)\s*\d|[-–—]\s*#\s*[-–—]|"
                            r"^#\s*[|·•]|[|·•]\s*#$", re.IGNORECASE)


def _with_page_number(line: str, n: int) -> str:
    """``line`` with the page's own number, standing as a number, written "#" where it first
    stands ("Page 8 of 8" as "Page # of 8", like "Page 2 of 8")."""
    return re.sub(rf"(?<!\d){n}(?!\d)", "#", line, count=1)


def without_running_lines(pages: list[str]) -> list[str]:
    """The pages without their running headers and footers, which were quoted as the law's
    words, and whose header before an article's heading hid the heading (a probe's code lost
    "Article 111" as a section):

    - a page number at either end of a page ("Page 3 of 40", "- 3 -", or "3" on page 3);
    - a line of two words or more at either end of at least half the pages, and at least
      ``RUNNING_MIN_PAGES`` of them, exactly as it is: its first occurrence stays (a title,
      a table's header row), set apart as a paragraph of its own, later ones go.

    "Article 12" and "Article 15" at the tops of pages differ, so they stay; so do amounts, a
    "Yes" or a "Continued" at page ends."""
    def page_number(line: str, n: int, bare: bool = True) -> bool:
        m = _PAGE_LABEL.fullmatch(" ".join(line.split()))
        if not m:
            return False
        if m.group("a") is not None:  # "Page 3", "Page 3 of 40"
            return True
        figure = next(g for g in m.group("b", "c", "d") if g is not None)
        # "3 of 40", "- 3 -" and a bare "3" only as the page's own number ("2/3" is a share)
        return int(figure) == n and (bare or m.group("d") is None)

    def edges(lines: list[str]) -> list[int]:
        k = RUNNING_EDGE_LINES
        return sorted(set(range(min(k, len(lines)))) | set(range(max(0, len(lines) - k),
                                                                 len(lines))))

    if len(pages) < 2:
        return pages
    split = [[ln for ln in p.split("\n") if ln.strip()] for p in pages]
    norm = [[" ".join(ln.split()).lower() for ln in lines] for lines in split]
    recurs = max(RUNNING_MIN_PAGES, (len(pages) + 1) // 2)  # pages a running line is on
    seen = Counter(line for lines in norm for line in {lines[i] for i in edges(lines)}
                   if len(line.split()) >= 2)
    running = {line for line, c in seen.items() if c >= recurs}
    # A line that recurs with only the page's own number changed ("Page 2 of 8Nordhaven
    # Institute ...": a page label run into a footer, as chromium prints its margin boxes)
    # goes everywhere, its first occurrence too: it is no title. "Article 12" and "Article
    # 15" at the tops of pages 3 and 4 differ in another number, and stay.
    # (The printed number may be the page's own or one less, after an unnumbered cover.)
    numbered_form = [[(_with_page_number(line, n), _with_page_number(line, n - 1))
                      for line in lines] for n, lines in enumerate(norm, start=1)]
    seen_numbered = Counter(form for lines, forms in zip(norm, numbered_form)
                            for i in set(edges(lines)) for form in set(forms[i])
                            if form != lines[i] and _PAGE_LABEL_IN.search(form))
    running_numbered = {line for line, c in seen_numbered.items() if c >= recurs}
    # A bare number is the page's own only where most pages carry theirs so.
    numbered = sum(any(page_number(lines[i], n) and not page_number(lines[i], n, bare=False)
                       for i in edges(lines)) for n, lines in enumerate(split, start=1))
    bare = numbered >= max(2, (len(pages) + 1) // 2)
    out, first_seen = [], set()
    for n, (page, lines, low) in enumerate(zip(pages, split, norm), start=1):
        drop, apart = set(), set()
        for i in edges(lines):
            if page_number(lines[i], n, bare) \
                    or any(f in running_numbered for f in numbered_form[n - 1][i]):
                drop.add(i)
            elif low[i] in running:
                (drop if low[i] in first_seen else apart).add(i)
                first_seen.add(low[i])
        if not drop and not apart:
            out.append(page)
            continue
        kept, k = [], -1  # every other line as it was, blank lines (paragraph breaks) too
        for line in page.split("\n"):
            if line.strip():
                k += 1
                if k in drop:
                    continue
                if k in apart:  # a paragraph of its own: the heading after it stays one
                    kept += ["", line, ""]
                    continue
            kept.append(line)
        out.append("\n".join(kept))
    return out


def _page_blocks(page: str, n: int) -> list[Block]:
    """Paragraphs of one page: split at blank lines, and at short standalone lines that look
    like headings (PDF text layers rarely keep blank lines)."""
    out: list[Block] = []
    for para in _BLANKS.split(page.replace("\r", "\n")):
        run: list[str] = []
        lines = [ln for ln in para.split("\n") if ln.strip()]
        for i, line in enumerate(lines):
            if is_heading_line(line) and i + 1 < len(lines) and len(line.split()) <= 8 \
                    and (not run or run[-1].rstrip().endswith((".", ":", "!", "?"))):
                if run:
                    out.append(Block("body", "\n".join(run), n))
                    run = []
                out.append(Block("heading", line, n))
            else:
                run.append(line)
        if run:
            out.append(Block("body", "\n".join(run), n))
    return out


def _table_text(tbl, numbering: _Numbering | None = None) -> str:
    """A Word table's rows as "cell | cell" lines, read from the XML as written: python-docx's
    cell grid expands horizontal and vertical spans, which a crafted table inflates to
    millions of cells from a few kilobytes. A cell's paragraphs are joined by a space (they
    had run together, "Helpline operatorShelters"), and a list paragraph stands on a line of
    its own with its mark."""
    from docx.text.paragraph import Paragraph

    rows, cells = [], 0
    for tr in tbl.iter(f"{_W}tr"):
        texts = []
        for tc in tr.iterchildren(f"{_W}tc"):
            cells += 1
            if cells > MAX_TABLE_CELLS:
                raise ExtractError(f"a table has more than {MAX_TABLE_CELLS:,} cells, the limit")
            cell = ""
            for para in tc.iter(f"{_W}p"):
                text = Paragraph(para, None).text.strip()
                mark = numbering.mark(para) if numbering is not None else ""
                if text:
                    # (a list item on a line of its own: run on, "call 112 2. Notify NATCO"
                    # read as one sentence)
                    cell += ("\n" if mark else " ") if cell else ""
                    cell += f"{mark} {text}" if mark else text
            texts.append(cell)
        row = " | ".join(texts)
        if row.strip(" |"):
            rows.append(row)
    return "\n".join(rows)


# --- DOCX -----------------------------------------------------------------------------------

def docx_blocks(path: Path) -> tuple[str, list[Block], dict]:
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            # zipfile never inflates a part beyond the size its header declares, so checking
            # the declared sizes bounds what python-docx can be made to parse.
            unzipped = sum(i.file_size for i in z.infolist())
            xml = sum(i.file_size for i in z.infolist()
                      if i.filename.endswith((".xml", ".rels")))
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise ExtractError(f"not a readable Word document ({type(e).__name__})") from None
    if xml > MAX_DOCX_XML_BYTES:
        raise ExtractError(f"its XML expands to {_mb(xml)}, more than the "
                           f"{_mb(MAX_DOCX_XML_BYTES)} limit for a Word document")
    if unzipped > MAX_DOCX_UNZIPPED_BYTES:
        raise ExtractError(f"it expands to {_mb(unzipped)}, more than the "
                           f"{_mb(MAX_DOCX_UNZIPPED_BYTES)} limit for a Word document")
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError

        d = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ExtractError(f"not a readable Word document ({type(e).__name__})") from None
    except PackageNotFoundError:
        raise ExtractError("not a readable Word document (not a .docx package)") from None
    from docx.text.paragraph import Paragraph

    # Style names by id, read once: python-docx's Paragraph.style looks the default style up
    # by scanning every style, for every paragraph (48 s for a 4 MB document.xml).
    names = {s.style_id: s.name or "" for s in d.styles}
    default = next((s.name or "" for s in d.styles
                    if s.type == 1 and s.element.default), "")  # WD_STYLE_TYPE.PARAGRAPH
    numbering = _Numbering(d)
    blocks: list[Block] = []
    title = (d.core_properties.title or "").strip()
    chars = 0
    for child in d.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, d)
            style = names.get(child.style, default) if child.style else default
            if style == "Title":
                title = title or p.text
                continue
            kind = "heading" if style.startswith("Heading") else "body"
            # (a numbered heading is marked too: it counts in its outline list, "2.1" after
            # the heading "2." numbered by the same list)
            mark = numbering.mark(child)
            blocks.append(Block(kind, f"{mark} {p.text}" if mark and p.text.strip() else p.text))
        elif tag == "tbl":
            blocks.append(Block("body", _table_text(child, numbering)))
        else:
            continue
        chars += len(blocks[-1].text) if blocks else 0
        check_text_size(chars)
    if not title:
        title = next((b.text for b in blocks if b.kind == "heading" and b.text.strip()), "")
    metadata = {}
    if d.core_properties.author:
        metadata["author"] = d.core_properties.author
    return title, blocks, metadata


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ROMAN = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90),
          ("l", 50), ("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


def _roman(n: int) -> str:
    out = []
    for letters, value in _ROMAN:
        k, n = divmod(n, value)
        out.append(letters * k)
    return "".join(out)


def _letters(n: int) -> str:
    # Word's way: a ... z, then aa ... zz, aaa ...
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


# Word's own largest start value; a document's may be anything (a hostile one's 10**12 had
# made a roman numeral of a million letters, built in quadratic time).
MAX_LIST_START = 32767


def _number(n: int, fmt: str) -> str:
    if not 0 < n <= 3999 and fmt in ("lowerRoman", "upperRoman", "lowerLetter", "upperLetter"):
        return str(n)  # past what either writes sensibly
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "ordinal" and n >= 0:
        suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"
    return str(n)  # decimal, and the scripts' and words' formats Word also has


def _int(value: str | None, default: int, lowest: int = 0) -> int:
    """An attribute's whole number (a list's start, an item's value or level), within what a
    list can count to."""
    try:
        n = int(value) if value is not None else default
    except ValueError:
        return default
    return max(lowest, min(n, MAX_LIST_START))


class _Numbering:
    """The mark Word shows before a list paragraph ("•", "3.", "b)"), which python-docx's text
    leaves out: without it a list's items read as loose sentences, and a numbered step
    cannot be cited by its number. Counted as Word counts: per list definition
    (``abstractNum``: the list instances, ``numId``, that share one continue its count, and
    one restarting a level, ``startOverride``, restarts it where it first appears) and
    level, a deeper level starting again under each item of a higher one; a paragraph's own
    numbering, or else its style's (and the styles it is based on)."""

    MAX_LEVELS = 9  # Word's levels are 0-8

    def __init__(self, d):
        # numId -> level -> (format, text with %1..%9 for the levels' numbers, start)
        self.lists: dict[str, dict[int, tuple[str, str, int]]] = {}
        # numId -> (its list definition, the levels it restarts)
        self.instances: dict[str, tuple[str | None, frozenset[int]]] = {}
        # list definition -> count per level (None: not started; a list may start at 0)
        self.counts: dict[str | None, list[int | None]] = {}
        self.seen: set[tuple[str, int]] = set()
        self.styles: dict[str, tuple[str | None, int | None, str | None]] = {}
        self.style_levels: dict[str, int] = {}  # style id -> the list level that names it
        # (list definition, level) in legal numbering: every level's number in figures
        # ("1.1" under "I.", where the level above is shown in roman numerals)
        self.legal: set[tuple[str | None, int]] = set()
        try:
            root = d.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):  # no numbering part
            root = None
        if root is not None:
            abstract, links, defines = {}, {}, {}
            for a in root.iterfind(_W + "abstractNum"):
                levels = {}
                aid = a.get(_W + "abstractNumId")
                for lvl in a.iterfind(_W + "lvl"):
                    i = _int(lvl.get(_W + "ilvl"), 0)
                    if self._val(lvl, "pStyle"):
                        # a style numbered at this level (Word's outline-numbered headings:
                        # "Heading 2" names its level here, not in its own numbering)
                        self.style_levels.setdefault(self._val(lvl, "pStyle"), i)
                    levels[i] = (self._val(lvl, "numFmt") or "decimal",
                                 self._val(lvl, "lvlText") or "", _int(self._val(lvl, "start"), 1))
                    if lvl.find(_W + "isLgl") is not None:
                        self.legal.add((aid, i))
                abstract[aid] = levels
                # A list defined by a list style: its levels are those of the list defining
                # the style ("numStyleLink" here, "styleLink" there).
                if self._val(a, "numStyleLink"):
                    links[aid] = self._val(a, "numStyleLink")
                if self._val(a, "styleLink"):
                    defines[self._val(a, "styleLink")] = aid
            definition = {aid: aid for aid in abstract}
            for aid, style in links.items():
                if not abstract[aid] and defines.get(style) in abstract:
                    abstract[aid] = abstract[defines[style]]
                    definition[aid] = defines[style]
            for num in root.iterfind(_W + "num"):
                ref = num.find(_W + "abstractNumId")
                aid = ref.get(_W + "val") if ref is not None else None
                levels = dict(abstract.get(aid, {}))
                restarted = set()
                for o in num.iterfind(_W + "lvlOverride"):
                    i, start = _int(o.get(_W + "ilvl"), 0), self._val(o, "startOverride")
                    if start is not None and i in levels:
                        fmt, text, _ = levels[i]
                        levels[i] = (fmt, text, _int(start, 1))
                        restarted.add(i)
                self.lists[num.get(_W + "numId")] = levels
                self.instances[num.get(_W + "numId")] = (definition.get(aid, aid),
                                                         frozenset(restarted))
        for st in d.styles.element.iterfind(_W + "style"):
            if st.get(_W + "styleId") is None:  # (malformed: it would be every plain paragraph's)
                continue
            num_pr = st.find(f"{_W}pPr/{_W}numPr")
            based = st.find(_W + "basedOn")
            level = self._val(num_pr, "ilvl") if num_pr is not None else None
            self.styles[st.get(_W + "styleId")] = (
                self._val(num_pr, "numId") if num_pr is not None else None,
                _int(level, 0) if level is not None else None,
                based.get(_W + "val") if based is not None else None)

    @staticmethod
    def _val(el, name: str) -> str | None:
        child = el.find(_W + name) if el is not None else None
        return child.get(_W + "val") if child is not None else None

    def _num_pr(self, p) -> tuple[str | None, int]:
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        own_level = None  # a paragraph may set its level and take its list from its style
        if num_pr is not None:
            num_id = self._val(num_pr, "numId")
            level = self._val(num_pr, "ilvl")
            if num_id is not None:
                return num_id, _int(level, 0)
            own_level = _int(level, 0) if level is not None else None
        style = p.find(f"{_W}pPr/{_W}pStyle")
        sid = own_style = style.get(_W + "val") if style is not None else None
        for _ in range(10):  # the basedOn chain, bounded (a document may make it loop)
            if sid not in self.styles:
                break
            found, (num_id, level, based) = sid, self.styles[sid]
            if num_id is not None:
                if own_level is not None:
                    return num_id, own_level
                if level is not None:
                    return num_id, level
                return num_id, self.style_levels.get(own_style,
                                                     self.style_levels.get(found, 0))
            sid = based
        return None, 0

    def mark(self, p) -> str:
        num_id, level = self._num_pr(p)
        levels = self.lists.get(num_id) if num_id not in (None, "0") else None
        if not levels or level not in levels or not 0 <= level < self.MAX_LEVELS:
            return ""
        definition, restarted = self.instances.get(num_id, (num_id, frozenset()))
        counts = self.counts.setdefault(definition, [None] * self.MAX_LEVELS)
        if (num_id, level) not in self.seen:
            self.seen.add((num_id, level))
            if level in restarted:
                counts[level] = None
        fmt, text, start = levels[level]
        counts[level] = start if counts[level] is None else counts[level] + 1
        for deeper in range(level + 1, self.MAX_LEVELS):
            counts[deeper] = None
        if fmt == "bullet":
            return "•"
        if fmt == "none":
            return ""

        def number(m: re.Match) -> str:
            i = int(m.group(1)) - 1
            if i > level or i not in levels:
                return ""
            n = counts[i]
            shown = "decimal" if (definition, level) in self.legal else levels[i][0]
            return _number(levels[i][2] if n is None else n, shown)

        return re.sub(r"%([1-9])", number, text).strip()
