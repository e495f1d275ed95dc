"""Embedding backends compared, as ratios to torch fp32 measured in the same run.

    python benchmarks/backends.py [--docs 300] [--skip-quality] [--skip-startup]

1. Speed: raw ``encode`` passages/s and full-build passages/s (the whole pipeline: loading,
   chunking, embedding, writing) on the same SciFact passages, per backend.
2. Quality gate: SciFact test nDCG@10 per backend (the index of each backend is built once by
   ``python -m assistant.eval --beir`` into benchmarks/results/scifact-<backend>/ and reused),
   and hit@1 on the seed question sets.
3. Queries: p50 of encode / retrieve / answer on the seed index and the SciFact index.
4. Start-up: seconds from ``python -m assistant`` to "ready" and to the first answered HTTP
   request, per backend.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"
BACKENDS = ("torch", "onnx", "onnx-int8")


def scifact_subset(n: int, folder: Path) -> Path:
    corpus = folder / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    with open(SHARED / "scifact" / "corpus.jsonl", encoding="utf-8") as f, \
            open(corpus / "scifact.jsonl", "w", encoding="utf-8") as out:
        for i, line in enumerate(f):
            if i >= n:
                break
            out.write(line)
    return corpus


def speed(n_docs: int) -> None:
    from assistant import build_index
    from assistant.embedding import get_embedder
    from assistant.index import embed_text, load

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = scifact_subset(n_docs, tmp)
        for b in BACKENDS:  # load (and export) every model first: not part of the timing
            get_embedder(None, b).encode(["warm up"])
        build_index(corpus, tmp / "probe", backend="torch")
        idx = load(tmp / "probe")
        texts = [embed_text(idx.documents[p.doc_id].title, p.section, p.text)
                 for p in idx.passages]
        raw, built = {b: [] for b in BACKENDS}, {b: [] for b in BACKENDS}
        for _ in range(2):  # interleaved rounds: drift on a shared machine hits all alike
            for b in BACKENDS:
                emb = get_embedder(None, b)
                t = time.perf_counter()
                emb.encode(texts)
                raw[b].append(len(texts) / (time.perf_counter() - t))
                t = time.perf_counter()
                r = build_index(corpus, tmp / f"index-{b}", backend=b, full=True)
                built[b].append(r.embedded / (time.perf_counter() - t))
        print(f"\n1. Speed: {len(texts)} SciFact passages ({n_docs} abstracts), best of 2 rounds")
        print(f"  {'backend':<10} {'encode/s':>9} {'build/s':>9} {'build vs torch':>15} "
              f"{'build vs own encode':>20}")
        base = max(built["torch"])
        for b in BACKENDS:
            print(f"  {b:<10} {max(raw[b]):>9.1f} {max(built[b]):>9.1f} "
                  f"{max(built[b]) / base:>14.2f}x {max(built[b]) / max(raw[b]):>19.2f}")


def quality() -> None:
    from assistant import Assistant, build_index
    from assistant.evaluation import beir
    from assistant.evaluation.questions import evaluate, read_questions

    print("\n2. Quality gate (SciFact test nDCG@10; seed sets hit@1)")
    queries, qrels = beir.load_split(SHARED / "scifact", "test")
    seed_sets = [read_questions(SHARED / f) for f in
                 ("seed_questions.jsonl", "seed_followups.jsonl", "seed_offtopic.jsonl")]
    seed_sets.append(read_questions(ROOT / "tests" / "data" / "extra_questions.jsonl"))
    rows = {}
    for b in BACKENDS:
        work = ROOT / "benchmarks" / "results" / f"scifact-{b}"
        corpus = beir.prepare_corpus(SHARED / "scifact", work)
        build_index(corpus, work / "index", backend=b)
        a = Assistant.load(work / "index")
        hybrid = beir.evaluate(a, queries, qrels, modes=("hybrid",))[0]
        with tempfile.TemporaryDirectory() as tmp:
            build_index(ROOT / "corpus", Path(tmp) / "index", backend=b)
            seed = Assistant.load(Path(tmp) / "index")
            outcomes = [o for s in seed_sets for o in evaluate(seed, s).outcomes]
        right = [o.abstained if o.expected_abstain else o.rank == 1 for o in outcomes]
        rows[b] = (hybrid.ndcg_at_10, sum(right), len(right))
    base = rows["torch"][0]
    print(f"  {'backend':<10} {'nDCG@10':>8} {'vs torch':>9} {'seed+own right':>15}  gate")
    for b, (ndcg, ok, n) in rows.items():
        gate = "pass" if ndcg >= base - 0.005 and ok == rows["torch"][1] else "FAIL"
        print(f"  {b:<10} {ndcg:>8.4f} {ndcg - base:>+9.4f} {ok:>8}/{n:<6}  {gate}")


def latency() -> None:
    """Each backend in a process of its own, as a server runs one: a backend can set process
    wide state (the torch backend limits numpy's OpenBLAS threads, see embedding.py)."""
    print("\n3. Query latency, p50 ms (ratio to encoding the same question)")
    print(f"  {'backend':<10} {'index':<8} {'encode':>7} {'retrieve':>15} {'answer':>15}",
          flush=True)
    for b in BACKENDS:
        subprocess.run([sys.executable, __file__, "--latency-of", b], check=True)


def latency_of(b: str) -> None:
    from assistant import Assistant, build_index
    from assistant.evaluation.questions import read_questions

    qs = [r["q"] for f in ("seed_questions.jsonl", "seed_followups.jsonl")
          for r in read_questions(SHARED / f)]
    claims = [json.loads(line)["text"] for line in
              open(SHARED / "scifact" / "queries.jsonl", encoding="utf-8")][:40]
    with tempfile.TemporaryDirectory() as tmp:
        build_index(ROOT / "corpus", Path(tmp) / "index", backend=b)
        targets = [("seed", Assistant.load(Path(tmp) / "index"), qs)]
        sci = ROOT / "benchmarks" / "results" / f"scifact-{b}" / "index"
        if (sci / "manifest.json").exists():
            targets.append(("scifact", Assistant.load(sci), claims))
        for name, a, questions in targets:
            for q in questions:  # first answers fill the word-piece cache
                a.answer(q)
            enc, ret, ans = [], [], []
            for _ in range(3):
                for q in questions:
                    for fn, out in ((lambda: a.embedder.encode([q]), enc),
                                    (lambda: a.retrieve(q, 5), ret),
                                    (lambda: a.answer(q), ans)):
                        t = time.perf_counter()
                        fn()
                        out.append((time.perf_counter() - t) * 1000)
            e = np.percentile(enc, 50)
            r, s = np.percentile(ret, 50), np.percentile(ans, 50)
            print(f"  {b:<10} {name:<8} {e:>7.1f} {r:>7.1f} ({r / e:.2f}x) "
                  f"{s:>7.1f} ({s / e:.2f}x)")


def startup() -> None:
    print("\n4. Start-up of python -m assistant (index already built), seconds")
    print(f"  {'backend':<10} {'import':>7} {'ready':>7} {'first answer':>13}")
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False")
    for b in BACKENDS:
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus"
            shutil.copytree(ROOT / "corpus", corpus)
            subprocess.run([sys.executable, "build_index.py", "--corpus", str(corpus), "--index",
                            str(Path(tmp) / "index"), "--backend", b, "--quiet"], cwd=ROOT,
                           check=True, capture_output=True)
            imp = subprocess.run([sys.executable, "-c", "import time; t=time.perf_counter(); "
                                  "import assistant.app; print(time.perf_counter()-t)"],
                                 cwd=ROOT, capture_output=True, text=True, env=env)
            port = 7900 + BACKENDS.index(b)
            t = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "assistant", "--corpus", str(corpus),
                                     "--index", str(Path(tmp) / "index"), "--port", str(port)],
                                    cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, env=env)
            try:
                ready = None
                for line in proc.stdout:
                    if "ready" in line:
                        ready = time.perf_counter() - t
                        break
                first = None
                body = json.dumps({"data": ["Who coordinates anti-trafficking work?"]}).encode()
                while first is None and time.perf_counter() - t < 120:
                    try:
                        req = urllib.request.Request(
                            f"http://127.0.0.1:{port}/gradio_api/call/retrieve", data=body,
                            headers={"Content-Type": "application/json"})
                        event = json.loads(urllib.request.urlopen(req, timeout=30).read())
                        urllib.request.urlopen(f"http://127.0.0.1:{port}/gradio_api/call/"
                                               f"retrieve/{event['event_id']}", timeout=30).read()
                        first = time.perf_counter() - t
                    except OSError:
                        time.sleep(0.05)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
            print(f"  {b:<10} {float(imp.stdout or 'nan'):>7.2f} {ready or float('nan'):>7.2f} "
                  f"{first or float('nan'):>13.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=300, help="SciFact abstracts for the speed test")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-quality", action="store_true")
    ap.add_argument("--skip-latency", action="store_true")
    ap.add_argument("--skip-startup", action="store_true")
    ap.add_argument("--latency-of", choices=BACKENDS, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.latency_of:
        return latency_of(args.latency_of)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if not args.skip_speed:
        speed(args.docs)
    if not args.skip_quality:
        quality()
    if not args.skip_latency:
        latency()
    if not args.skip_startup:
        startup()


if __name__ == "__main__":
    main()
