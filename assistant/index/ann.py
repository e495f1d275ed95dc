"""The approximate (FAISS IVF) dense index of large collections."""
from __future__ import annotations

from pathlib import Path

import numpy as np

# Above this many passages, dense search goes through an approximate FAISS IVF index; below,
# an exact scan of the vectors is fast enough (benchmarks/scale.py) and needs no second copy.
ANN_THRESHOLD = 200_000


def ivf_params(n: int) -> tuple[int, int]:
    """(nlist, nprobe) for ``n`` vectors: ~4 sqrt(n) lists, and enough probes for recall@10
    >= 0.95 against exact search (measured in benchmarks/scale.py)."""
    nlist = int(min(65536, max(64, 4 * np.sqrt(n))))
    nlist = max(1, min(nlist, n))  # k-means needs at least one training point per list
    return nlist, min(nlist, max(16, nlist // 16))


def build_ivf(vectors: np.ndarray):
    """The approximate inner-product index over ``vectors`` (ids = rows), nprobe set."""
    import faiss

    n, dim = vectors.shape
    nlist, nprobe = ivf_params(n)
    quantizer = faiss.IndexFlatIP(dim)
    ivf = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(0)  # a fixed sample: the same corpus gives the same index
    sample = np.sort(rng.choice(n, size=min(n, 40 * nlist), replace=False))
    ivf.train(np.ascontiguousarray(vectors[sample]))
    for i in range(0, n, 65536):  # add in slices: no full in-memory copy of a memmap
        ivf.add(np.ascontiguousarray(vectors[i:i + 65536]))
    ivf.nprobe = nprobe
    return ivf


def write_ivf(vectors: np.ndarray, path: Path) -> dict:
    """Build and save the IVF index; the manifest's description of it."""
    import faiss

    ivf = build_ivf(vectors)
    faiss.write_index(ivf, str(path))
    return {"kind": "ivf", "nlist": ivf.nlist, "nprobe": ivf.nprobe}


def read_ivf(path: Path, cfg: dict):
    import faiss

    index = faiss.read_index(str(path))
    index.nprobe = int(cfg["nprobe"])
    return index
