"""Files on disk: JSON lines, checksums, durable writes and the atomic swap of a folder.

Nothing here knows what an index holds; ``index.py`` decides that.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import logging
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

log = logging.getLogger(__name__)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_jsonl(path: Path, rows: Iterable[dict]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False))
            f.write("\n")
            n += 1
        f.flush()
        os.fsync(f.fileno())
    return n


def read_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def write_json(path: Path, data: dict | list) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2, sort_keys=True)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())


def fsync_tree(folder: Path) -> None:
    """Flush every file and folder below ``folder`` so a crash after the swap loses nothing."""
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(dirpath))


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Every folder this program creates holds this file, so that cleaning up can prove a folder is
# its own before deleting it: a user's folder that happens to be named "index.tmp-x" is kept.
MARKER = ".verbatim-index"


def mark(folder: Path) -> None:
    (folder / MARKER).write_text("This folder was created by Verbatim (an index or a temporary "
                                 "build of one); Verbatim may replace or delete it.\n",
                                 encoding="utf-8")


def is_marked(folder: Path) -> bool:
    return (folder / MARKER).is_file() and not (folder / MARKER).is_symlink()


# A build in progress (or killed) leaves this file in its temporary folder, and a swap in
# progress in the folder it renames aside: cleanup needs both the exact name pattern and this
# file, so a user's copy of an index named "index.tmp-keep" or "index.old-backup" is kept.
IN_PROGRESS = ".verbatim-in-progress"


def new_sibling(target: Path, tag: str) -> Path:
    """A fresh, marked folder beside ``target`` (same file system, so renames are atomic),
    flagged as in progress until ``swap_in`` makes it the target."""
    path = target.parent / f"{target.name}.{tag}-{uuid.uuid4().hex[:8]}"
    path.mkdir(parents=True)
    mark(path)
    (path / IN_PROGRESS).write_text("a build in progress\n", encoding="utf-8")
    try:  # the new index is as private as the one it replaces
        if target.is_dir():
            os.chmod(path, os.stat(target).st_mode & 0o7777)
    except OSError:
        pass
    return path


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd = -100
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0


def swap_in(new: Path, target: Path, holds_others=None, on_swapped=None) -> None:
    """Make ``new`` become ``target``; at every instant ``target`` is a complete folder.

    With RENAME_EXCHANGE there is no moment without a ``target``. Elsewhere the old folder is
    first renamed aside, and ``recover`` puts it back if we die between the two renames.
    ``holds_others(folder)``: whether the swapped-out folder holds something this program did
    not write; such a folder is kept (``_retire``), not deleted. ``on_swapped()`` is called as
    soon as ``new`` is the target: from then on, ``new`` is no longer the caller's to delete.
    """
    if not target.exists():
        os.rename(new, target)
        fsync_dir(target.parent)
        (target / IN_PROGRESS).unlink(missing_ok=True)
        return
    # Flag the old folder too: if we die right after the exchange, it lies under the
    # temporary name and the next cleanup must know it for ours.
    (target / IN_PROGRESS).write_text("swapped out\n", encoding="utf-8")
    if _exchange(new, target):
        if on_swapped is not None:
            on_swapped()
        fsync_dir(target.parent)
        (target / IN_PROGRESS).unlink(missing_ok=True)
        _retire(new, target, holds_others)  # ``new`` now holds the old index
        return
    old = target.parent / f"{target.name}.old-{uuid.uuid4().hex[:8]}"
    (target / IN_PROGRESS).write_text("renamed aside by a swap\n", encoding="utf-8")
    os.rename(target, old)
    os.rename(new, target)
    if on_swapped is not None:
        on_swapped()
    fsync_dir(target.parent)
    (target / IN_PROGRESS).unlink(missing_ok=True)
    _retire(old, target, holds_others)


def _retire(old: Path, target: Path, holds_others) -> None:
    """Delete the swapped-out index, or keep it under a name of its own when it holds anything
    else: no cleanup deletes a folder named so, or one without the in-progress flag."""
    try:
        if holds_others is not None and holds_others(old):
            kept = target.parent / f"{target.name}.kept-{uuid.uuid4().hex[:8]}"
            os.rename(old, kept)
            (kept / IN_PROGRESS).unlink(missing_ok=True)
            log.warning("%s held files that no build wrote; the previous index and those "
                        "files were kept in %s", target, kept)
            return
    except BaseException:
        # Undecided (interrupted, or the rename failed): keep it, unflagged, which no cleanup
        # deletes; nothing of a user's may go with it.
        (old / IN_PROGRESS).unlink(missing_ok=True)
        raise
    remove_ours(old)


def remove_ours(folder: Path) -> None:
    """Delete a folder this module made, its marker and in-progress flag last: a process
    killed half-way leaves a folder that the next cleanup still knows for ours (``_ours``),
    never one stripped of the files that prove it."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name in (MARKER, IN_PROGRESS):
            continue
        child = folder / name
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            try:
                child.unlink()
            except OSError:
                pass
    for name in (IN_PROGRESS, MARKER):
        try:
            (folder / name).unlink()
        except OSError:
            pass
    try:
        folder.rmdir()
    except OSError:
        pass


def _ours(pattern: str, parent: Path, owned) -> list[Path]:
    """Folders named exactly as this module names them (``<name>.tmp-<8 hex digits>``), still
    flagged in progress, and proven ours by ``owned``."""
    import re

    exact = re.compile(re.escape(pattern[:-1]) + r"[0-9a-f]{8}")

    def flagged(p: Path) -> bool:
        try:  # killed between marking the folder and flagging it: nothing else inside
            names = set(os.listdir(p))
            if names <= {MARKER, IN_PROGRESS} and MARKER in names:
                return True
        except OSError:
            return False
        # (An empty folder may be a user's, whatever its name: kept. One of ours killed
        # between its creation and its marker stays behind empty, which costs nothing.)
        return (p / IN_PROGRESS).is_file() and owned(p)

    try:  # listed, not globbed: an index named "ix[1]" is no pattern
        names = sorted(os.listdir(parent))
    except OSError:
        return []
    return [parent / n for n in names if exact.fullmatch(n) and (parent / n).is_dir()
            and not (parent / n).is_symlink() and flagged(parent / n)]


def recover(target: Path, owned=is_marked) -> None:
    """Undo a swap interrupted between its two renames (non-Linux fallback only)."""
    if target.exists() or target.is_symlink():
        return
    olds = sorted(_ours(f"{target.name}.old-*", target.parent, owned),
                  key=lambda p: p.stat().st_mtime)
    if olds:
        os.rename(olds[-1], target)
        (target / IN_PROGRESS).unlink(missing_ok=True)


def remove_leftovers(target: Path, owned=is_marked) -> None:
    """Delete temporary folders of builds that were killed before they finished: only those
    that ``owned`` proves are ours (by default: they hold the marker file)."""
    for pattern in (f"{target.name}.tmp-*", f"{target.name}.old-*"):
        for p in _ours(pattern, target.parent, owned):
            remove_ours(p)
