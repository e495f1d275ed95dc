"""The FAISS index of the passage vectors: exact (``IndexFlatIP``) below ANN_THRESHOLD
passages, approximate (``IndexIVFFlat``) from there up. Every index folder holds one
(``dense.faiss``); ``vectors.npy`` stays beside it as the source it is built from, which makes
incremental builds reuse vectors and the read-back check simple."""
from __future__ import annotations

from pathlib import Path

import numpy as np

# From this many passages, dense search is approximate (IVF); below, exact (flat) search is fast
# enough (benchmarks/scale.py).
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


def build_flat(vectors: np.ndarray):
    """The exact inner-product index over ``vectors`` (ids = rows)."""
    import faiss

    flat = faiss.IndexFlatIP(int(vectors.shape[1]))
    for i in range(0, len(vectors), 65536):  # add in slices: no full in-memory copy of a memmap
        flat.add(np.ascontiguousarray(vectors[i:i + 65536], dtype=np.float32))
    return flat


def write_dense(vectors: np.ndarray, path: Path, ann_threshold: int) -> tuple[dict, object]:
    """Build and save the FAISS index of ``vectors``: the manifest's description of it, and
    the index (a build measures the new index with it rather than reading a second copy)."""
    import faiss

    if len(vectors) >= ann_threshold:
        ivf = build_ivf(vectors)
        faiss.write_index(ivf, str(path))
        return {"kind": "ivf", "faiss": "IndexIVFFlat", "metric": "inner_product",
                "nlist": ivf.nlist, "nprobe": ivf.nprobe, "ntotal": int(ivf.ntotal)}, ivf
    flat = build_flat(vectors)
    faiss.write_index(flat, str(path))
    return {"kind": "flat", "faiss": "IndexFlatIP", "metric": "inner_product",
            "ntotal": int(flat.ntotal)}, flat


def read_dense(path: Path, cfg: dict):
    import faiss

    index = faiss.read_index(str(path))
    if cfg["kind"] == "ivf":
        index.nprobe = int(cfg["nprobe"])
    return index


def flat_vectors(index) -> np.ndarray:
    """The vectors an ``IndexFlatIP`` holds, as a numpy view (no copy): a small index keeps its
    vectors once, inside FAISS."""
    import faiss

    n, d = int(index.ntotal), int(index.d)
    return faiss.rev_swig_ptr(index.get_xb(), n * d).reshape(n, d)
