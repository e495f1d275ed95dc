"""Large corpora: build memory, incremental rebuilds, approximate search, query latency.

    python benchmarks/scale.py [--docs 100000] [--big-file-mb 200] [--rebuild-docs 10000]
                               [--real-model]

1. Build of a generated corpus of --docs documents (10 .jsonl files): seconds, passages and
   peak memory (RSS of the build process), beside the same for a tenth of it, so memory is
   seen to grow with the corpus text rather than with copies of the vectors; then one
   --big-file-mb text file, which is streamed in parts.
2. Rebuilds on a --rebuild-docs corpus of .txt files: with nothing changed, and after adding
   one file, each as a fraction of the full build.
3. Dense search: recall@10 of the IVF index against exact search, on the real SciFact passage
   vectors (benchmarks/results/scifact-onnx, when built) and on 1M synthetic clustered
   vectors; and p50/p95 latency of exact search at 10k and 100k and of IVF at 1M passages.

Embedding 100k documents with the real model takes hours on 2 cores, so parts 1 and 2 use a
stand-in embedder (deterministic vectors from a hash of the text) unless --real-model is
given: they measure the pipeline around the model. The model's own speed is measured by
benchmarks/backends.py.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

WORDS = ("trafficking victims labour exploitation inspectors police prosecution shelter "
         "referral mechanism assistance identification training recruitment agency wages "
         "passport border asylum minors children court sentence fine report action plan "
         "coordinator ministry cooperation europol eurojust investigation witness protection "
         "compensation residence permit reflection period hotline awareness campaign survey "
         "forced begging criminality sexual domestic servitude organ removal marriage").split()


class StandInEmbedder:
    """Deterministic unit vectors from the text's hash: the pipeline without the model."""

    backend = "stand-in"
    dimension = 384

    def encode(self, texts, **_):
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for i, t in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little")
            v = np.random.default_rng(seed).standard_normal(self.dimension)
            out[i] = v / np.linalg.norm(v)
        return out


def make_doc(rng: np.random.Generator, n: int) -> str:
    sentences = []
    for _ in range(int(rng.integers(4, 9))):
        words = rng.choice(WORDS, size=int(rng.integers(8, 20)))
        sentences.append(" ".join(words).capitalize() + f" (case {n}).")
    return " ".join(sentences)


def make_jsonl_corpus(folder: Path, n_docs: int, files: int = 10) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(1)
    per = n_docs // files
    for f in range(files):
        with open(folder / f"part-{f:02d}.jsonl", "w", encoding="utf-8") as out:
            for i in range(per):
                n = f * per + i
                out.write(json.dumps({"_id": f"d{n}", "title": f"Case file {n}",
                                      "text": make_doc(rng, n)}) + "\n")
    return folder


def make_txt_corpus(folder: Path, n_docs: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(2)
    for n in range(n_docs):
        (folder / f"doc-{n:06d}.txt").write_text(f"Case file {n}\n\n{make_doc(rng, n)}\n")
    return folder


BUILD_SNIPPET = """
import json, resource, time
from assistant import build_index
from scale import StandInEmbedder
emb = None if {real} else StandInEmbedder()
t = time.perf_counter()
r = build_index({corpus!r}, {index!r}, embedder=emb, progress={progress}, full={full})
print(json.dumps({{"seconds": time.perf_counter() - t, "passages": r.passages,
                  "documents": r.documents, "embedded": r.embedded,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run_build(corpus: Path, index: Path, real: bool, progress: bool = False,
              full: bool = False) -> dict:
    code = BUILD_SNIPPET.format(corpus=str(Path(corpus).resolve()),
                                index=str(Path(index).resolve()), real=real,
                                progress=progress, full=full)
    out = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                         cwd=ROOT / "benchmarks",  # the child imports scale.StandInEmbedder
                         stderr=None if progress else subprocess.PIPE)
    if out.returncode != 0:
        raise RuntimeError((out.stderr or "")[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def part_build(n_docs: int, real: bool, tmp: Path) -> None:
    print(f"\n1. Build memory ({'real model' if real else 'stand-in embedder'})")
    print(f"  {'documents':>10} {'passages':>9} {'seconds':>8} {'passages/s':>11} {'peak RSS MB':>12}")
    for n in (n_docs // 10, n_docs):
        corpus = make_jsonl_corpus(tmp / f"c{n}", n)
        r = run_build(corpus, tmp / f"i{n}", real, progress=(n == n_docs))
        print(f"  {r['documents']:>10} {r['passages']:>9} {r['seconds']:>8.1f} "
              f"{r['passages'] / r['seconds']:>11.0f} {r['peak_mb']:>12.0f}")
        shutil.rmtree(corpus)
        shutil.rmtree(tmp / f"i{n}")


def part_big_file(mb: int, real: bool, tmp: Path) -> None:
    corpus = tmp / "big"
    corpus.mkdir()
    rng = np.random.default_rng(4)
    with open(corpus / "big.txt", "w", encoding="utf-8") as f:
        f.write("Big Report\n\n")
        n = 0
        while f.tell() < mb * 2**20:
            f.write(make_doc(rng, n) + "\n\n")
            n += 1
    r = run_build(corpus, tmp / "big-index", real)
    print(f"\n1b. One {mb} MB text file ({'real model' if real else 'stand-in embedder'}): "
          f"{r['documents']} parts, {r['passages']} passages, {r['seconds']:.0f} s, "
          f"peak RSS {r['peak_mb']:.0f} MB")
    shutil.rmtree(corpus)
    shutil.rmtree(tmp / "big-index")


def part_rebuild(n_docs: int, real: bool, tmp: Path) -> None:
    corpus = make_txt_corpus(tmp / "rc", n_docs)
    index = tmp / "ri"
    full = run_build(corpus, index, real, full=True)
    same = run_build(corpus, index, real)
    rng = np.random.default_rng(3)
    (corpus / "added.txt").write_text(f"A new report\n\n{make_doc(rng, 10**7)}\n")
    one = run_build(corpus, index, real)
    print(f"\n2. Rebuilds of a {n_docs}-document corpus ({'real model' if real else 'stand-in'})")
    print(f"  full build             {full['seconds']:7.2f} s  ({full['passages']} passages)")
    print(f"  nothing changed        {same['seconds']:7.2f} s  ({same['seconds'] / full['seconds']:.3f} "
          f"of full, {same['embedded']} embedded)")
    print(f"  one file added         {one['seconds']:7.2f} s  ({one['seconds'] / full['seconds']:.3f} "
          f"of full, {one['embedded']} embedded)")


def clustered(n: int, dim: int = 384, centers: int = 2000, seed: int = 0) -> np.ndarray:
    """Unit vectors around random centres: nearer to real embeddings than uniform noise."""
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((centers, dim)).astype(np.float32)
    out = np.empty((n, dim), dtype=np.float32)
    for i in range(0, n, 100_000):
        m = min(100_000, n - i)
        out[i:i + m] = c[rng.integers(0, centers, m)] + 0.9 * rng.standard_normal((m, dim))
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> tuple[list, list]:
    """Seconds per query and the top-``k`` row set of an exact matrix-vector search."""
    times, tops = [], []
    for q in queries:
        t = time.perf_counter()
        top = np.argpartition(-(vectors @ q), k - 1)[:k]
        times.append(time.perf_counter() - t)
        tops.append(set(top.tolist()))
    return times, tops


def recall_and_latency(vectors: np.ndarray, queries: np.ndarray, label: str,
                       ann: bool) -> None:
    from assistant.index.ann import build_ivf

    n = len(vectors)
    t_exact, exact = exact_top(vectors, queries, 10)
    line = f"  {label:<34} {n:>9} exact p50 {np.percentile(t_exact, 50) * 1000:6.1f} ms " \
           f"p95 {np.percentile(t_exact, 95) * 1000:6.1f} ms"
    if ann:
        t = time.perf_counter()
        ivf = build_ivf(vectors)  # exactly what a build writes above ANN_THRESHOLD
        build = time.perf_counter() - t
        nlist, nprobe = ivf.nlist, ivf.nprobe
        t_ann, rec = [], []
        for q, ex in zip(queries, exact):
            t = time.perf_counter()
            _, ids = ivf.search(q.reshape(1, -1), 10)
            t_ann.append(time.perf_counter() - t)
            rec.append(len(ex & set(ids[0].tolist())) / 10)
        line += (f" | IVF nlist {nlist} nprobe {nprobe}: recall@10 {np.mean(rec):.3f}, "
                 f"p50 {np.percentile(t_ann, 50) * 1000:.1f} ms p95 "
                 f"{np.percentile(t_ann, 95) * 1000:.1f} ms (built in {build:.0f} s)")
    print(line)


def part_search(n_queries: int) -> None:
    print("\n3. Dense search: exact vs IVF (recall@10 against exact)")
    sci = ROOT / "benchmarks" / "results" / "scifact-onnx" / "index"
    if (sci / "manifest.json").exists():
        from assistant import Assistant

        a = Assistant.load(sci)
        qs = [json.loads(line)["text"] for line in
              open(ROOT.parent / "shared" / "eval" / "scifact" / "queries.jsonl")][:n_queries]
        recall_and_latency(np.ascontiguousarray(a.index.vectors),
                           a.embedder.encode(qs), "SciFact passages (real vectors)", True)
    rng = np.random.default_rng(5)
    for n, ann in ((10_000, False), (100_000, False), (1_000_000, True)):
        vecs = clustered(n)
        qs = vecs[rng.choice(n, n_queries, replace=False)] + \
            0.3 * rng.standard_normal((n_queries, 384)).astype(np.float32)
        qs /= np.linalg.norm(qs, axis=1, keepdims=True)
        recall_and_latency(vecs, qs, "synthetic clustered", ann)
        del vecs


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


def part_flat(n_queries: int, sizes=(10_000, 100_000, 1_000_000)) -> None:
    """The exact FAISS index (IndexFlatIP, what every index below the IVF threshold now holds)
    against the numpy scan it replaced, on the same vectors and queries: latency of one query
    (p50/p95), top-100 agreement, memory of what is loaded, and load time from disk."""
    import faiss

    from assistant.index.ann import build_flat, flat_vectors

    print("\n4. Exact search: FAISS IndexFlatIP vs numpy (one query at a time, top 100)")
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            vecs = clustered(n)
            qs = vecs[rng.choice(n, n_queries, replace=False)] + \
                0.3 * rng.standard_normal((n_queries, 384)).astype(np.float32)
            qs /= np.linalg.norm(qs, axis=1, keepdims=True)
            npy, fai = Path(tmp) / "v.npy", Path(tmp) / "v.faiss"
            np.save(npy, vecs)
            faiss.write_index(build_flat(vecs), str(fai))
            del vecs
            before = _rss_mb()
            t = time.perf_counter()
            arr = np.load(npy)
            load_np, mem_np = time.perf_counter() - t, _rss_mb() - before
            t_np, tops = exact_top(arr, qs, 100)
            del arr
            before = _rss_mb()
            t = time.perf_counter()
            flat = faiss.read_index(str(fai))
            view = flat_vectors(flat)
            load_fa, mem_fa = time.perf_counter() - t, _rss_mb() - before
            t_fa, t_view, agree = [], [], 0
            for q in qs:  # what search.dense_scores does: numpy over FAISS's copy
                t = time.perf_counter()
                s = view @ q
                np.argpartition(-s, 99)[:100]
                t_view.append(time.perf_counter() - t)
            # Separately: FAISS's OpenMP threads keep spinning after a search and slow a numpy
            # product that follows at once.
            for q, top in zip(qs, tops):
                t = time.perf_counter()
                _, ids = flat.search(q[None], 100)
                t_fa.append(time.perf_counter() - t)
                agree += len(top & set(ids[0].tolist()))
            p = lambda xs, k: np.percentile(xs, k) * 1000
            print(f"  {n:>9,} vectors: numpy p50 {p(t_np, 50):.2f} ms p95 {p(t_np, 95):.2f} ms, "
                  f"load {load_np:.2f} s, +{mem_np:.0f} MB | FAISS flat search p50 "
                  f"{p(t_fa, 50):.2f} ms p95 {p(t_fa, 95):.2f} ms "
                  f"({p(t_fa, 50) / p(t_np, 50):.2f}x numpy), load {load_fa:.2f} s, "
                  f"+{mem_fa:.0f} MB | numpy over the FAISS-held vectors p50 "
                  f"{p(t_view, 50):.2f} ms ({p(t_view, 50) / p(t_np, 50):.2f}x) | top-100 "
                  f"agreement {agree / (100 * len(qs)):.4f}")
            del flat, view


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--rebuild-docs", type=int, default=10_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--real-model", action="store_true")
    ap.add_argument("--big-file-mb", type=int, default=200, help="0 to skip")
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--skip-rebuild", action="store_true")
    ap.add_argument("--skip-search", action="store_true")
    ap.add_argument("--skip-flat", action="store_true")
    ap.add_argument("--only-flat", action="store_true", help="only part 4")
    args = ap.parse_args()
    if args.only_flat:
        part_flat(args.queries)
        return
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_build:
            part_build(args.docs, args.real_model, Path(tmp))
            if args.big_file_mb:
                part_big_file(args.big_file_mb, args.real_model, Path(tmp))
        if not args.skip_rebuild:
            part_rebuild(args.rebuild_docs, args.real_model, Path(tmp))
    if not args.skip_search:
        part_search(args.queries)
    if not args.skip_flat:
        part_flat(args.queries)


if __name__ == "__main__":
    main()
