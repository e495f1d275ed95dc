"""Corpus files -> Documents.

Each reader turns one file into Documents and reports what it could not read as SkippedFile
values instead of raising, so one broken file never stops a build. Offsets in every Document
refer to ``Document.text`` exactly as returned here.
"""
from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .structure import parse_text
from .types import Document, SkippedFile

# Bump when what a reader accepts or produces changes (limits included): builds then read
# again the files an earlier build could not read, instead of trusting its remembered reasons.
READERS_VERSION = 13  # 3: PDF running headers and footers left out; "Article 5" + title headings joined
# 4: the headings of a web page trafilatura dropped (a plain <body> of <h2> and <p>) put back;
# 5: a page's text straight in <body> read, a page without <title> keeps its first heading;
# 6: a content box (<aside> in <main> or <article>, mostly not links) read with the text;
# 7: a PDF's running line with its page's number in a label ("Page 2 of 8...") left out;
# 8: that number may be one less (an unnumbered cover); a box named as clutter stays out;
# 9: "N of 9" only opening a line, "N | title" footers; clutter by whole words; hidden boxes out
# 10: a PDF, Word document, image, UTF-16 or binary file under a text or page ending skipped
# 11: list items with their marks ("•", "3."), a web page's nested list items once each
# 12: web pages nested past 256 levels read whole (to 2,048); crowded emphasis tags taken out
# 13: list marks as a browser or Word counts them (start, type, value; outline headings);
#     UTF-16 pages and text read; short texts with a control character or two are text; Word
#     table cells' paragraphs apart, with their list marks; UTF-32, UTF-16 without a mark,
#     stray NULs; any crowded inline tag; loose text beside blocks kept, <br> breaks lines;
#     pages of over 100,000 elements read without trafilatura

Reader = Callable[["CorpusFile", Callable[[SkippedFile], None]], Iterator[Document]]

@dataclass(frozen=True)
class CorpusFile:
    path: Path  # absolute
    rel: str  # relative to the corpus folder, with forward slashes: the document id


def discover(corpus_dir: str | os.PathLike, suffixes: tuple[str, ...] | None = None
             ) -> tuple[list[CorpusFile], list[SkippedFile]]:
    """All supported files under ``corpus_dir``, recursively, in a stable order.

    Hidden files and folders are ignored. Skipped with a reason: links that lead outside the
    corpus (following them would index, and later quote, files the user never added), links
    that loop or lead nowhere, links to folders (not followed), folders that cannot be read,
    and anything that is not a regular file (a named pipe would block the build for ever).
    """
    suffixes = suffixes or SUPPORTED_SUFFIXES
    root = Path(corpus_dir).resolve()
    files: list[CorpusFile] = []
    skipped: list[SkippedFile] = []

    def unreadable(e: OSError) -> None:
        rel = Path(e.filename).relative_to(root).as_posix() if e.filename else "."
        skipped.append(SkippedFile(rel + "/", f"cannot read this folder: {e.strerror or e}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=False):
        here = Path(dirpath)
        for d in sorted(dirnames):
            if not d.startswith(".") and (here / d).is_symlink():
                skipped.append(SkippedFile((here / d).relative_to(root).as_posix() + "/",
                                           "symbolic link to a folder, not followed; put the "
                                           "files themselves in the corpus folder"))
        dirnames[:] = sorted(d for d in dirnames
                             if not d.startswith(".") and not (here / d).is_symlink())
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = here / name
            if path.suffix.lower() not in suffixes:
                continue
            rel = path.relative_to(root).as_posix()
            problem = _not_a_file(path, root)
            if problem:
                skipped.append(SkippedFile(rel, problem))
                continue
            files.append(CorpusFile(path, rel))
    skipped.sort(key=lambda s: s.path)
    return files, skipped


def _not_a_file(path: Path, root: Path) -> str | None:
    """Why ``path`` is not a regular file of the corpus to read, or None."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except RuntimeError:  # Python 3.11 raises it for a loop, later versions OSError
            return "symbolic link that loops back on itself"
        except OSError:
            return "symbolic link to a file that does not exist (or loops back on itself)"
        if not target.is_relative_to(root):
            return "symbolic link to a file outside the corpus folder"
    try:
        mode = path.stat().st_mode
    except OSError as e:
        return f"cannot read: {e.strerror or e}"
    if not stat.S_ISREG(mode):
        return "not a regular file (a named pipe, socket or device), so not read"
    return None


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# What a file holds when its opening bytes say so: a PDF or a Word document saved under a
# text or web page's ending would otherwise be indexed as characters of its binary form. (A
# text may open with "%PDF-" or "GIF89a" in words: a PDF also names an object early on, and a
# GIF's next bytes are binary.)
_MAGIC = (
    (b"%PDF-", lambda head: re.search(rb"\d+\s+\d+\s+obj\b", head) is not None,
     "a PDF document; give it the .pdf ending"),
    (b"PK\x03\x04", None, "a ZIP archive (a .docx document is one; give it the .docx ending)"),
    (b"\xd0\xcf\x11\xe0", None, "an old Office document (.doc); save it as .docx or PDF"),
    (b"\x89PNG", None, "an image"), (b"\xff\xd8\xff", None, "an image"),
    (b"GIF8", lambda head: b"\x00" in head[:16], "an image"),
)
# Control characters other than tab, newline, form feed, escape, backspace (man pages) and
# DOS's end-of-file mark: text has next to none.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (8, 9, 10, 11, 12, 13, 26, 27))
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")  # (the first opens like UTF-16's)


def unicode_encoding(data: bytes) -> str | None:
    """"utf-32" or "utf-16" for text opening with that byte-order mark; "utf-16-le" or
    "utf-16-be" for text without one whose every other byte is zero (English or other Latin
    text saved as "Unicode" without a mark); None otherwise."""
    if data.startswith(_UTF32_BOMS):
        return "utf-32"
    if data.startswith(_UTF16_BOMS):
        return "utf-16"
    head = data[:8192]
    head = head[:len(head) // 2 * 2]
    if len(head) >= 8:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.01 * len(even):
            return "utf-16-le"
        if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.01 * len(odd):
            return "utf-16-be"
    return None


def foreign_content(data: bytes) -> str | None:
    """What the file's opening bytes show it holds instead of text ("a PDF document; ..."),
    or None when they may be text: an announced format, or control characters (NUL among
    them; more than four and more than 1%, or an eighth of a short file) in the first 8 KB.
    Text in UTF-16 or UTF-32 is text (``unicode_encoding``): ``decode_text`` reads it."""
    head = data[:8192]
    if unicode_encoding(data):
        return None
    for magic, confirms, what in _MAGIC:
        if head.lstrip(b" \t\r\n").startswith(magic) and (confirms is None or confirms(head)):
            return what
    # (a stray NUL counts as one of them: a text is not lost for one; a short file is binary
    # by its share of them)
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > max(4, len(head) / 100) or (controls and controls >= len(head) / 8):
        return "binary content"
    return None


def sniffed_encoding(data: bytes, kind: str) -> str | None:
    """The Unicode encoding of ``data`` when it is not UTF-8 (``unicode_encoding``); a
    ValueError naming what it holds instead of ``kind`` ("not text but a PDF document; ...")
    when its opening bytes show it (``foreign_content``)."""
    foreign = foreign_content(data)
    if foreign:
        raise ValueError(f"not {kind} but {foreign}")
    return unicode_encoding(data)


def decode_text(data: bytes) -> str:
    """UTF-8 text with newlines normalised; ValueError with a reason a user can act on."""
    if not data.strip():
        raise ValueError("empty file")
    encoding = sniffed_encoding(data, "text")
    try:
        text = data.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValueError(f"not valid {(encoding or 'utf-8').upper()} (byte {e.start}); save it "
                         "as UTF-8 and rebuild") from None
    text = text.replace("\x00", "")  # a stray NUL is no character of the text
    text = normalise_newlines(text)
    if not text.strip():
        raise ValueError("empty file")
    return text


# Text files above this size are read as a stream and indexed in parts of about this size, cut
# at paragraph breaks ("report.txt#1", "report.txt#2", ...): a 200 MB file is never one string.
STREAM_ABOVE_BYTES = 8 * 1024 * 1024
PART_CHARS = 1024 * 1024


def load_file(file: CorpusFile, on_skip: Callable[[SkippedFile], None]) -> Iterator[Document]:
    """Documents of one corpus file; problems go to ``on_skip`` and the rest still loads.

    This is the one guard around every reader: whatever a reader or the library under it raises
    (a damaged zip, malformed XML, a parser's own bug, memory), the file is reported with the
    reason and the build goes on. A file that fails part-way reports ``SkippedFile(file.rel,
    ...)``; callers drop the documents it had already given (``is_whole_file_skip``).
    """
    try:
        for doc in _read_file(file, on_skip):
            problem = unstorable(doc)
            if problem:  # a .jsonl record is skipped alone; any other file as a whole
                if file.path.suffix.lower() != ".jsonl":
                    on_skip(SkippedFile(file.rel, problem))
                    return
                on_skip(SkippedFile(f"{file.rel} record {record_id(doc)!r}", problem))
                continue
            yield doc
    except Exception as e:  # noqa: BLE001 - any library, any format: skip the file, keep going
        on_skip(SkippedFile(file.rel, failure_reason(e)))


def unstorable(doc: Document) -> str | None:
    """Why a document cannot be stored as UTF-8 (a lone surrogate, which some PDF fonts and
    JSON escapes produce), or None."""
    try:
        for value in (doc.text, doc.title, doc.doc_id,
                      json.dumps(dict(doc.metadata), ensure_ascii=False)):
            value.encode("utf-8")
    except UnicodeEncodeError as e:
        return (f"contains a character that is not valid Unicode text (U+{ord(e.object[e.start]):04X}, "
                "an unpaired surrogate)")
    except (TypeError, ValueError, RecursionError):
        return "its metadata cannot be stored as JSON"
    return None


def failure_reason(e: BaseException) -> str:
    """A one-line reason for a file that could not be read, from any exception."""
    if isinstance(e, ValueError) and type(e).__name__ in ("ExtractError", "ValueError"):
        return str(e)
    if isinstance(e, OSError):
        return f"cannot read: {e.strerror or e}"
    if isinstance(e, MemoryError):
        return MEMORY_REASON
    detail = " ".join(str(e).split())[:200]
    return f"cannot read: {type(e).__name__}" + (f" ({detail})" if detail else "")


# Failures of the moment rather than of the file: a time limit on a busy machine, memory.
# A build does not remember them, so the next one reads the file again.
MEMORY_REASON = "cannot read: not enough memory to extract it"


def is_transient(reason: str) -> bool:
    from .extract import TIME_LIMIT_REASON

    return reason.startswith((TIME_LIMIT_REASON, MEMORY_REASON))


def is_whole_file_skip(file: CorpusFile, skip: SkippedFile) -> bool:
    return skip.path == file.rel


def _read_file(file: CorpusFile, on_skip: Callable[[SkippedFile], None]) -> Iterator[Document]:
    yield from READERS[file.path.suffix.lower()](file, on_skip)


def _read_text(file: CorpusFile, on_skip: Callable[[SkippedFile], None]) -> Iterator[Document]:
    """A .txt or .md file: whole, or as a stream of parts when it is large."""
    markdown = file.path.suffix.lower() == ".md"
    try:
        if file.path.stat().st_size > STREAM_ABOVE_BYTES:
            yield from _load_text_parts(file, markdown, on_skip)
            return
        data = file.path.read_bytes()
    except OSError as e:
        on_skip(SkippedFile(file.rel, f"cannot read: {e.strerror or e}"))
        return
    try:
        text = decode_text(data)
    except ValueError as e:
        on_skip(SkippedFile(file.rel, str(e)))
        return
    doc = parse_text(file.rel, text, markdown=markdown, source=file.rel)
    if not doc.sections:
        on_skip(SkippedFile(file.rel, "no body text (only a title, headings or metadata)"))
        return
    yield doc


def _read_extracted(file: CorpusFile, on_skip: Callable[[SkippedFile], None]
                    ) -> Iterator[Document]:
    """HTML, PDF or DOCX through ``extract``; its ExtractError (a ValueError) is the reason."""
    from . import extract

    suffix = file.path.suffix.lower()
    try:
        if suffix in (".html", ".htm"):
            data = file.path.read_bytes()
            if not data.strip():
                raise extract.ExtractError("empty file")
            encoding = sniffed_encoding(data, "an HTML page")
            if encoding:  # a page saved as UTF-16 or UTF-32 ("Unicode")
                try:
                    data = data.decode(encoding).encode("utf-8")
                except UnicodeDecodeError as e:
                    raise extract.ExtractError(
                        f"not valid {encoding.upper()} (byte {e.start})") from None
            title, blocks, meta = extract.html_blocks(data)
        elif suffix == ".pdf":
            title, blocks, meta = extract.pdf_blocks(file.path)
        else:
            title, blocks, meta = extract.docx_blocks(file.path)
        doc = extract.assemble(file.rel, title, blocks, source=file.rel, metadata=meta)
    except ValueError as e:
        on_skip(SkippedFile(file.rel, str(e)))
        return
    except OSError as e:
        on_skip(SkippedFile(file.rel, f"cannot read: {e.strerror or e}"))
        return
    yield doc


def _load_text_parts(file: CorpusFile, markdown: bool,
                     on_skip: Callable[[SkippedFile], None]) -> Iterator[Document]:
    """A large text file, decoded incrementally and cut into parts at paragraph breaks."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    buf, title, n, read = "", "", 0, 0
    with open(file.path, "rb") as f:
        while True:
            block = f.read(1 << 20)
            foreign = foreign_content(block) if n == 0 and read == 0 else None
            if n == 0 and read == 0 and unicode_encoding(block):
                foreign = "UTF-16 or UTF-32 text too large to read as it is; save it as UTF-8"
            if foreign:
                on_skip(SkippedFile(file.rel, f"not text but {foreign}"))
                return
            final = not block
            try:
                buf += decoder.decode(block, final)
            except UnicodeDecodeError as e:
                on_skip(SkippedFile(file.rel, f"not valid UTF-8 (near byte {read + e.start}); "
                                              "save it as UTF-8 and rebuild"))
                return
            read += len(block)
            hold = "" if final or not buf.endswith("\r") else "\r"  # a \r\n cut in two
            buf = normalise_newlines(buf[:len(buf) - len(hold)]) + hold
            while len(buf) > PART_CHARS or (final and buf.strip()):
                cut = len(buf)
                if len(buf) > PART_CHARS:
                    cut = buf.rfind("\n\n", PART_CHARS // 2, PART_CHARS)
                    if cut < 0:
                        cut = buf.rfind("\n", PART_CHARS // 2, PART_CHARS)
                    if cut < 0:
                        cut = PART_CHARS
                part, buf = buf[:cut], buf[cut:]
                n += 1
                doc = parse_text(f"{file.rel}#{n}", part, markdown=markdown, source=file.rel,
                                 title=f"{title} (part {n})" if title else "")
                if n == 1:
                    title = doc.title
                if doc.sections:
                    yield doc
            if final:
                break
    if n == 0:
        on_skip(SkippedFile(file.rel, "empty file"))


MAX_RECORD_BYTES = 16 * 2**20  # one .jsonl line: a record is one document, not a corpus


def _bounded_lines(f, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) of a binary file, never holding more than ``limit`` bytes of one
    line: a longer line is read past and given as None."""
    lineno = 0
    while raw := f.readline(limit + 1):
        lineno += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield lineno, None
        else:
            yield lineno, raw


def _read_jsonl(file: CorpusFile, on_skip: Callable[[SkippedFile], None]) -> Iterator[Document]:
    seen: set[str] = set()
    lines = 0
    with open(file.path, "rb") as f:
        for lineno, raw in _bounded_lines(f, MAX_RECORD_BYTES):
            where = f"{file.rel} line {lineno}"
            if raw is None:
                lines += 1
                on_skip(SkippedFile(where, f"longer than {MAX_RECORD_BYTES // 2**20} MB, the "
                                           "limit for one record"))
                continue
            if not raw.strip():
                continue
            lines += 1
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                on_skip(SkippedFile(where, "not valid UTF-8"))
                continue
            except json.JSONDecodeError as e:
                on_skip(SkippedFile(where, f"not valid JSON ({e.msg})"))
                continue
            except (ValueError, RecursionError) as e:  # over-deep nesting, huge integers
                on_skip(SkippedFile(where, f"not readable JSON ({type(e).__name__})"))
                continue
            try:
                doc = _record_to_document(record, file.rel)
            except (ValueError, RecursionError) as e:
                on_skip(SkippedFile(where, str(e) if isinstance(e, ValueError)
                                    else "not readable (nested too deeply)"))
                continue
            if doc.doc_id in seen:
                on_skip(SkippedFile(where, f"duplicate id {doc.doc_id!r}"))
                continue
            seen.add(doc.doc_id)
            yield doc
    if lines == 0:
        on_skip(SkippedFile(file.rel, "empty file"))


def record_doc_id(source: str, record_id: str) -> str:
    """The document id of a ``.jsonl`` record: its file, then its own id. Ids from different
    files can never collide, so a record can never take over another file's document (an
    uploaded ``0.jsonl`` with ``"_id": "slovenia.txt"`` gives ``0.jsonl#slovenia.txt``)."""
    return f"{source}#{record_id}"


def record_id(doc: Document) -> str:
    """The id a ``.jsonl`` record gave itself (the document id without its file)."""
    return doc.doc_id.removeprefix(f"{doc.source}#")


def _record_to_document(record: object, source: str) -> Document:
    if not isinstance(record, dict):
        raise ValueError("each line must be a JSON object")
    doc_id = record.get("_id", record.get("id"))
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)) or str(doc_id).strip() == "":
        raise ValueError('missing "_id" (or "id"): a non-empty string or integer')
    text = record.get("text")
    if not isinstance(text, str):
        raise ValueError('"text" must be a string')
    title = record.get("title", "")
    if title is None:
        title = ""
    if not isinstance(title, str):
        raise ValueError('"title" must be a string')
    metadata = record.get("metadata", {})
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise ValueError('"metadata" must be an object')
    text = normalise_newlines(text)
    if not text.strip():
        raise ValueError('"text" is empty')
    doc = parse_text(record_doc_id(source, str(doc_id)), text, markdown=False, source=source,
                     title=title.strip() or str(doc_id), metadata=metadata)
    if not doc.sections:
        raise ValueError("no body text")
    return doc


# The reader of each supported file type (by suffix). A new format: a reader here, or an
# extractor in ``extract`` that ``_read_extracted`` calls.
READERS: dict[str, Reader] = {
    ".txt": _read_text, ".md": _read_text, ".jsonl": _read_jsonl,
    ".html": _read_extracted, ".htm": _read_extracted, ".pdf": _read_extracted,
    ".docx": _read_extracted,
}
SUPPORTED_SUFFIXES = tuple(READERS)
