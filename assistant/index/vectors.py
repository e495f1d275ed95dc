"""The vector files of an index: written straight to a memory map, filled slice by slice."""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np


def vector_file(path: Path, n: int, dim: int) -> np.ndarray:
    """A writable memory map for ``n`` vectors, with its disk space reserved up front: writing
    to a mapped page on a full disk kills the process (SIGBUS) instead of raising."""
    vectors = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(n, dim))
    with open(path, "r+b") as f:
        os.posix_fallocate(f.fileno(), 0, os.fstat(f.fileno()).st_size)
    return vectors


def encode_into(embedder, texts: Sequence[str], rows: Sequence[int], out: np.ndarray,
                progress: bool, on_progress: Callable[[str, float], None] | None,
                batch: int = 256, desc: str = "Embedding passages") -> None:
    """Encode ``texts`` into ``out[rows]`` in slices, so a progress bar (terminal, with an
    ETA) or a callback (web page) can follow and memory stays bounded."""
    from tqdm.auto import tqdm

    bar = tqdm(total=len(texts), desc=desc, unit="text", disable=not progress,
               dynamic_ncols=True)
    try:
        for i in range(0, len(texts), batch):
            out[rows[i:i + batch]] = embedder.encode(texts[i:i + batch])
            bar.update(len(texts[i:i + batch]))
            if on_progress:
                on_progress(desc, min(1.0, (i + batch) / len(texts)))
    finally:
        bar.close()


def encode_in_context_into(embedder, texts: Sequence[str], rows: Sequence[int],
                           spans: Sequence[Sequence[tuple[int, int]]],
                           span_rows: Sequence[Sequence[int]], vectors: np.ndarray,
                           write_vector: Sequence[bool], sentence_vectors: np.ndarray,
                           progress: bool,
                           on_progress: Callable[[str, float], None] | None,
                           batch: int = 256, desc: str = "Embedding passages") -> list[int]:
    """One run of the model per passage gives its vector (into ``vectors[rows[i]]`` where
    ``write_vector[i]``) and the vectors of its sentences, pooled in context (into
    ``sentence_vectors[span_rows[i]]``). The sentence rows no word piece reached (past the
    model's window) are returned, to be embedded alone."""
    from tqdm.auto import tqdm

    missed: list[int] = []
    bar = tqdm(total=len(texts), desc=desc, unit="text", disable=not progress,
               dynamic_ncols=True)
    try:
        for i in range(0, len(texts), batch):
            vecs, parts = embedder.encode_spans(texts[i:i + batch], spans[i:i + batch])
            for j, (vec, part) in enumerate(zip(vecs, parts)):
                if write_vector[i + j]:
                    vectors[rows[i + j]] = vec
                for srow, svec in zip(span_rows[i + j], part):
                    if np.isnan(svec[0]):
                        missed.append(srow)
                    else:
                        sentence_vectors[srow] = svec
            bar.update(len(vecs))
            if on_progress:
                on_progress(desc, min(1.0, (i + batch) / len(texts)))
    finally:
        bar.close()
    return missed
