"""Whether an index still matches its corpus folder, at the cost of one ``stat`` per file."""
from __future__ import annotations

import os

from .. import keyword, storage
from ..loading import discover
from .format import IndexLoadError, backend_of, read_manifest


def is_stale(corpus_dir: str | os.PathLike, index_dir: str | os.PathLike,
             backend: str | None = None) -> bool:
    """Whether the corpus differs from what the index was built from (or, when ``backend`` is
    given, the index was embedded with another backend; or its keyword indexes were built with
    other settings: BM25 parameters, stemmer, stop words, tokenizer).

    Files whose size and modification time match the manifest are trusted without hashing.
    """
    try:
        manifest = read_manifest(index_dir)
    except IndexLoadError:
        return True
    if backend is not None and backend_of(manifest) != backend:
        return True
    if manifest.get("keyword") != keyword.settings():
        return True
    files, _ = discover(corpus_dir)
    known = _listed(manifest)
    if {f.rel for f in files} != set(known):
        return True
    for f in files:
        entry = known[f.rel]
        try:
            if _unchanged(f.path.stat(), entry):
                continue
            if "sha256" not in entry or storage.sha256_file(f.path) != entry["sha256"]:
                return True
        except OSError:
            return True
    return False


def _unchanged(st: os.stat_result, entry: dict) -> bool:
    """The file still has the size and modification time the manifest recorded."""
    return (st.st_size, st.st_mtime_ns) == (entry.get("size"), entry.get("mtime_ns"))


def _listed(manifest: dict) -> dict[str, dict]:
    """Every corpus file the manifest knows, indexed or not."""
    return {**manifest.get("skipped_files", {}), **manifest.get("files", {})}


def file_sha256(path, entry: dict) -> str:
    """A corpus file's SHA-256: the manifest's, when the file's size and modification time
    are still those the manifest recorded (one ``stat``), else hashed."""
    if "sha256" in entry and _unchanged(path.stat(), entry):
        return entry["sha256"]
    return storage.sha256_file(path)


def corpus_hashes(corpus_dir: str | os.PathLike, manifest: dict) -> dict[str, str]:
    """SHA-256 -> corpus file, for every file in the corpus folder (trusting the manifest as
    ``is_stale`` does)."""
    known = _listed(manifest)
    out = {}
    for f in discover(corpus_dir)[0]:
        try:
            out[file_sha256(f.path, known.get(f.rel, {}))] = f.rel
        except OSError:
            continue
    return out
