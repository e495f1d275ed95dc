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
    known = {**manifest.get("skipped_files", {}), **manifest.get("files", {})}
    if {f.rel for f in files} != set(known):
        return True
    for f in files:
        entry = known[f.rel]
        try:
            st = f.path.stat()
        except OSError:
            return True
        if st.st_size == entry.get("size") and st.st_mtime_ns == entry.get("mtime_ns"):
            continue
        if "sha256" not in entry or storage.sha256_file(f.path) != entry["sha256"]:
            return True
    return False
