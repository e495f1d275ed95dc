"""Adding documents from the web page: checked, saved into the corpus folder without ever
overwriting a file, indexed; a saved file that could not be indexed is removed again (it was
created by this upload, so nothing of the user's is touched) and every skip is reported.

Uploaders are untrusted: names are sanitised, sizes and types checked on the server, the same
content is never stored twice, and the temporary copies the web server made are deleted.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .index import BuildError, BuildLocked
from .loading import SUPPORTED_SUFFIXES
from .types import BuildReport
from .wording import count

log = logging.getLogger(__name__)

UPLOAD_MAX_FILES = 20
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_SUFFIXES = SUPPORTED_SUFFIXES

# Letters and digits of any script stay ("poročilo_2023.pdf"; they had become "poro_ilo"):
# spaces, punctuation, symbols and control or direction characters do not.
_UNSAFE = re.compile(r"[^\w.-]+")
_STEM_MAX_BYTES = 200  # in UTF-8, under the 255 bytes a file name may take


def safe_name(name: str) -> str:
    """A plain file name: no folders, no leading dots, only letters and digits (of any
    script), ``._-``."""
    import unicodedata

    base = os.path.basename(unicodedata.normalize("NFC", name).replace("\\", "/"))
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = _UNSAFE.sub("_", stem).strip("._-")[:100]
    while len(stem.encode("utf-8")) > _STEM_MAX_BYTES:
        stem = stem[:-1]
    stem = stem.strip("._-") or "document"
    suffix = re.sub(r"[^A-Za-z0-9]+", "", suffix).lower()
    return f"{stem}.{suffix}" if suffix else stem


def _sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class Upload:
    path: str  # the web server's temporary copy
    name: str  # as the uploader named it
    clean: str  # the name it gets in the corpus (before de-duplication)
    sha256: str


class UploadRejected(ValueError):
    """An upload breaks a rule (count, size, type, name); the message says which."""


def sort_uploads(paths: Sequence[str], names: Sequence[str]
                 ) -> tuple[list[Upload], list[str]]:
    """The uploads that may be added, and "name: reason" for each that may not (its type,
    size or emptiness): one bad file does not keep the others out. Too many files at once
    refuses them all (``UploadRejected``)."""
    if len(paths) > UPLOAD_MAX_FILES:
        raise UploadRejected(f"at most {UPLOAD_MAX_FILES} files at once (got {len(paths)})")
    checked, refused = [], []
    for path, name in zip(paths, names):
        clean = safe_name(name)
        size = os.path.getsize(path)
        if Path(clean).suffix.lower() not in UPLOAD_SUFFIXES:
            refused.append(f"{name}: only {', '.join(UPLOAD_SUFFIXES)} files can be added")
        elif size > UPLOAD_MAX_BYTES:
            refused.append(f"{name}: {size / 1e6:.1f} MB is over the "
                           f"{UPLOAD_MAX_BYTES // (1024 * 1024)} MB limit")
        elif size == 0:
            refused.append(f"{name}: the file is empty")
        else:
            checked.append(Upload(path, name, clean, _sha256(path)))
    return checked, refused


def check_uploads(paths: Sequence[str], names: Sequence[str]) -> list[Upload]:
    """The uploads, checked on the server; ``UploadRejected`` naming the first problem."""
    checked, refused = sort_uploads(paths, names)
    if refused:
        raise UploadRejected(refused[0])
    return checked


def save(upload: Upload, corpus_dir: Path) -> str:
    """Copy one upload into the corpus folder under a free name (``report-1.md`` when
    ``report.md`` is taken); never overwrites, never leaves the folder. The saved name."""
    corpus = corpus_dir.resolve()
    stem, suffix = Path(upload.clean).stem, Path(upload.clean).suffix
    target, n = corpus / upload.clean, 1
    while True:
        if not target.resolve().is_relative_to(corpus):
            raise UploadRejected(f"{upload.clean}: not a safe file name")
        try:
            # O_EXCL: an existing document is never overwritten, even by a racing upload.
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            break
        except FileExistsError:
            target, n = corpus / f"{stem}-{n}{suffix}", n + 1
    with os.fdopen(fd, "wb") as out, open(upload.path, "rb") as src:
        while block := src.read(1 << 20):
            out.write(block)
    return target.name


def save_uploads(paths: Sequence[str], names: Sequence[str], corpus_dir: Path) -> list[str]:
    """Check and save uploads (no de-duplication, no indexing); the saved names."""
    return [save(u, corpus_dir) for u in check_uploads(paths, names)]


@dataclass(frozen=True)
class UploadOutcome:
    indexed: tuple[str, ...] = ()  # saved and indexed (corpus file names)
    refused: tuple[str, ...] = ()  # "name: reason" (its type, size or emptiness; not saved)
    already: tuple[str, ...] = ()  # "name (same content as x.pdf)" (not saved)
    removed: tuple[str, ...] = ()  # "name: reason" (saved, unreadable, removed again)
    record_skips: tuple[str, ...] = ()  # "x.jsonl line 3: reason" (the rest of x.jsonl indexed)
    kept_for_later: tuple[str, ...] = ()  # saved while another build ran, or one failed
    report: BuildReport | None = None
    # Why the build failed (for the server's log: it may name the server's folders); the
    # saved files wait for the next build.
    build_problem: str = ""

    def message(self) -> str:
        parts = []
        if self.indexed and self.report is not None:
            r = self.report
            parts.append(f"Added {', '.join(self.indexed)}. Index rebuilt: "
                         f"{count(r.documents, 'document')}, {count(r.passages, 'passage')} "
                         f"({count(r.embedded, 'passage')} embedded).")
        if self.kept_for_later and self.build_problem:
            parts.append(f"Saved {', '.join(self.kept_for_later)}, but the index could not be "
                         "rebuilt (the server's log says why; the operator can fix it); the "
                         "previous index is still in use, and these files were kept and will "
                         "be indexed by the next build that succeeds.")
        elif self.kept_for_later:
            parts.append(f"Saved {', '.join(self.kept_for_later)}, but another build of the "
                         "index is running (perhaps from the command line); these files were "
                         "kept and will be indexed by the next build.")
        if self.refused:
            parts.append("Not added: " + "; ".join(self.refused) + ".")
        if self.already:
            parts.append("Not added, already in the corpus: " + "; ".join(self.already) + ".")
        if self.removed:
            parts.append("Not added, could not be read (nothing was kept): "
                         + "; ".join(self.removed) + ".")
        if self.record_skips:
            parts.append("Skipped records: " + "; ".join(self.record_skips) + ".")
        return " ".join(parts) or "Nothing was added."


def add_documents(paths: Sequence[str], names: Sequence[str], corpus_dir: Path,
                  known: dict[str, str], rebuild: Callable[[], BuildReport],
                  indexed_files: Callable[[], Sequence[str]]) -> UploadOutcome:
    """Save the uploads into ``corpus_dir`` and index them with ``rebuild``.

    ``known`` maps the SHA-256 of every file the index already holds to its name: the same
    content is not stored again. ``rebuild`` raises ``BuildLocked`` when another build runs;
    the saved files then stay for the next build. ``indexed_files`` lists the corpus files the
    index holds after the rebuild: a saved file that is not among them is removed again.
    """
    uploads, refused = sort_uploads(paths, names)
    saved: dict[str, str] = {}  # corpus name -> sha256
    already = []
    seen = dict(known)
    for u in uploads:
        if u.sha256 in seen:
            already.append(f"{u.name} (same content as {seen[u.sha256]})")
            continue
        name = save(u, corpus_dir)
        saved[name] = u.sha256
        seen[u.sha256] = name
    if not saved:
        return UploadOutcome(refused=tuple(refused), already=tuple(already))
    try:
        report = rebuild()
    except BuildLocked:
        return UploadOutcome(refused=tuple(refused), already=tuple(already),
                             kept_for_later=tuple(saved))
    except BuildError as e:  # a refusal (the index folder holds a user's file, ...)
        return UploadOutcome(refused=tuple(refused), already=tuple(already),
                             kept_for_later=tuple(saved), build_problem=str(e))
    removed, record_skips = [], []
    reasons: dict[str, list[str]] = {}
    for s in report.skipped:
        if s.path in saved:
            reasons.setdefault(s.path, []).append(s.reason)
        elif s.path.split(" ", 1)[0] in saved:
            record_skips.append(str(s))
    indexed = set(indexed_files())
    for name in list(saved):
        if name in indexed:
            continue
        # Nothing of it was indexed: it was created by this upload, so take it back.
        path = corpus_dir / name
        if path.is_file() and not path.is_symlink() and _sha256(path) == saved[name]:
            path.unlink()
        del saved[name]
        removed.append(f"{name}: " + ("; ".join(reasons.get(name, [])) or
                                      "no readable document in it"))
    if removed:
        # So the index no longer lists the removed files. What this upload embedded was
        # embedded by the first build: the count adds both (it had said "0 passages embedded").
        # Another build taking the lock in between will drop them itself.
        try:
            again = rebuild()
            report = replace(again, embedded=report.embedded + again.embedded)
        except (BuildLocked, BuildError) as e:  # the index lists them until the next build
            log.warning("index not rebuilt after removing unreadable uploads: %s", e)
    return UploadOutcome(indexed=tuple(saved), refused=tuple(refused), already=tuple(already),
                         removed=tuple(removed),
                         record_skips=tuple(record_skips), report=report)


def discard_temporary(paths: Sequence[str]) -> None:
    """Delete the web server's temporary copies of uploads (only files inside its upload
    folder, so nothing else can be named here)."""
    try:
        from gradio.utils import get_upload_folder

        root = Path(get_upload_folder()).resolve()
    except Exception:  # noqa: BLE001 - no gradio: nothing of its to clean
        return
    for p in paths:
        path = Path(p).resolve()
        if path.is_relative_to(root) and path != root and path.is_file():
            path.unlink(missing_ok=True)
            if path.parent != root:
                try:
                    path.parent.rmdir()  # gradio keeps each upload in a folder of its own
                except OSError:
                    pass
