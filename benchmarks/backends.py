"""Embedding backends compared, as ratios to torch fp32 measured in the same run.

    python benchmarks/backends.py [--docs 400] [--skip-quality] [--skip-startup]

1. Speed: raw ``encode`` passages/s and full-build passages/s (the whole pipeline: loading,
   chunking, embedding, writing) on the same SciFact passages, per backend; the default build
   (backend chosen for this CPU, default index settings) against torch fp32 without sentence
   vectors; and each backend's arithmetic rate as a share of this CPU's measured peak: a
   matrix product of the same precision (fp32 ``MatMul``, int8 ``MatMulInteger``) run by ONNX
   Runtime on the same cores.
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


def peak_gops(threads: int) -> dict[str, float]:
    """Billions of multiply-adds x2 per second of one large matrix product per precision,
    on ``threads`` cores: the ceiling the model's products can approach."""
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper

    m = k = n = 1024
    out = {}
    for name, op, ta, tb, tc in (("fp32", "MatMul", TensorProto.FLOAT, TensorProto.FLOAT,
                                  TensorProto.FLOAT),
                                 ("int8", "MatMulInteger", TensorProto.UINT8, TensorProto.INT8,
                                  TensorProto.INT32)):
        graph = helper.make_graph(
            [helper.make_node(op, ["a", "b"], ["c"])], "peak",
            [helper.make_tensor_value_info("a", ta, [m, k]),
             helper.make_tensor_value_info("b", tb, [k, n])],
            [helper.make_tensor_value_info("c", tc, [m, n])])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        sess = ort.InferenceSession(model.SerializeToString(), opts,
                                    providers=["CPUExecutionProvider"])
        rng = np.random.default_rng(0)
        feeds = ({"a": rng.standard_normal((m, k), np.float32),
                  "b": rng.standard_normal((k, n), np.float32)} if name == "fp32" else
                 {"a": rng.integers(0, 255, (m, k), dtype=np.uint8),
                  "b": rng.integers(-127, 127, (k, n), dtype=np.int8)})
        sess.run(None, feeds)
        best = float("inf")
        for _ in range(20):
            t = time.perf_counter()
            sess.run(None, feeds)
            best = min(best, time.perf_counter() - t)
        out[name] = 2 * m * k * n / best / 1e9
    return out


def model_gop(texts, embedder) -> float:
    """Billions of operations (2 per multiply-add) of the model's matrix products over
    ``texts``, from its configuration and each text's word-piece count."""
    from tokenizers import Tokenizer

    from assistant.embedding import resolve_model

    cfg = json.loads((Path(resolve_model(None)) / "config.json").read_text())
    h, ffn, layers = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_hidden_layers"]
    tok = Tokenizer.from_file(str(embedder.folder / "tokenizer.json"))
    tok.enable_truncation(embedder.max_seq_length)
    total = 0.0
    for e in tok.encode_batch(list(texts)):
        t = len(e.ids)
        # per layer: Q, K, V and output projections, the two feed-forward products, and the
        # attention's two products over the sequence
        total += layers * (2 * t * (4 * h * h + 2 * h * ffn) + 2 * 2 * t * t * h)
    return total / 1e9


def speed(n_docs: int) -> None:
    from assistant import build_index
    from assistant.embedding import choose_backend, cpu_count, get_embedder
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
        default = []
        for _ in range(2):  # interleaved rounds: drift on a shared machine hits all alike
            for b in BACKENDS:
                emb = get_embedder(None, b)
                t = time.perf_counter()
                emb.encode(texts)
                raw[b].append(len(texts) / (time.perf_counter() - t))
                t = time.perf_counter()
                r = build_index(corpus, tmp / f"index-{b}", backend=b, full=True,
                                sentence_vectors=False)
                built[b].append(r.embedded / (time.perf_counter() - t))
            t = time.perf_counter()  # what the README's commands do: no flag at all
            r = build_index(corpus, tmp / "index-default", full=True)
            default.append(r.passages / (time.perf_counter() - t))
            default_backend = r.backend
        print(f"\n1. Speed: {len(texts)} SciFact passages ({n_docs} abstracts), best of 2 rounds, "
              f"{cpu_count()} cores")
        print(f"  {'backend':<10} {'encode/s':>9} {'build/s':>9} {'build vs torch':>15} "
              f"{'build vs own encode':>20}")
        base = max(built["torch"])
        for b in BACKENDS:
            print(f"  {b:<10} {max(raw[b]):>9.1f} {max(built[b]):>9.1f} "
                  f"{max(built[b]) / base:>14.2f}x {max(built[b]) / max(raw[b]):>19.2f}")
        print(f"  default build ({default_backend}, {choose_backend()}; default index settings"
              f"): {max(default):.1f} passages/s = {max(default) / base:.2f}x torch fp32 "
              "without sentence vectors")
        peak = peak_gops(cpu_count())
        work = model_gop(texts, get_embedder(None, "onnx"))
        print(f"  peak of this CPU ({cpu_count()} cores, ONNX Runtime): fp32 MatMul "
              f"{peak['fp32']:.0f} GOP/s, int8 MatMulInteger {peak['int8']:.0f} GOP/s; the "
              f"model's products over these passages: {work:.0f} GOP")
        for b in BACKENDS:
            rate = work * max(raw[b]) / len(texts)
            kind = "int8" if b == "onnx-int8" else "fp32"
            print(f"  {b:<10} encodes at {rate:.0f} GOP/s = {rate / peak[kind]:.0%} of the "
                  f"{kind} peak")


def quality() -> None:
    """The gate that decides a default: SciFact test nDCG@10 at most 0.005 below torch fp32,
    and every seed question answered as torch answers it. Each backend builds the default
    index (with sentence vectors). "int8 index, fp32 questions" is an int8 index queried on a
    CPU without a fast int8 dot product (embedding.query_backend)."""
    from assistant import Assistant, build_index
    from assistant.embedding import get_embedder
    from assistant.evaluation import beir
    from assistant.evaluation.questions import evaluate, read_questions

    print("\n2. Quality gate (SciFact test nDCG@10; seed sets hit@1 and abstentions)")
    queries, qrels = beir.load_split(SHARED / "scifact", "test")
    seed_sets = [read_questions(SHARED / f) for f in
                 ("seed_questions.jsonl", "seed_followups.jsonl", "seed_offtopic.jsonl")]
    seed_sets.append(read_questions(ROOT / "tests" / "data" / "extra_questions.jsonl"))
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for b in BACKENDS:
            work = ROOT / "benchmarks" / "results" / f"scifact-{b}"
            corpus = beir.prepare_corpus(SHARED / "scifact", work)
            build_index(corpus, work / "index", backend=b, sentence_vectors=True)
            build_index(ROOT / "corpus", Path(tmp) / b, backend=b, sentence_vectors=True)
            variants = [(b, None)]
            if b == "onnx-int8":
                variants.append(("int8 index, fp32 questions", get_embedder(None, "onnx")))
            for name, embedder in variants:
                sci = Assistant(Assistant.load(work / "index").index, embedder=embedder)
                seed = Assistant(Assistant.load(Path(tmp) / b).index, embedder=embedder)
                hybrid = beir.evaluate(sci, queries, qrels, modes=("hybrid",))[0]
                outcomes = [o for s in seed_sets for o in evaluate(seed, s).outcomes]
                right = [o.abstained if o.expected_abstain else o.rank == 1 for o in outcomes]
                rows[name] = (hybrid.ndcg_at_10, right)
    base, base_right = rows["torch"]
    print(f"  {'backend':<28} {'nDCG@10':>8} {'vs torch':>9} {'seed+own right':>15}  gate")
    for name, (ndcg, right) in rows.items():
        lost = sum(1 for r, t in zip(right, base_right) if t and not r)
        problems = (["nDCG more than 0.005 below torch"] if ndcg < base - 0.005 else []) + \
            ([f"{lost} seed answers lost"] if lost else [])
        gate = "FAIL: " + ", ".join(problems) if problems else "pass"
        print(f"  {name:<28} {ndcg:>8.4f} {ndcg - base:>+9.4f} {sum(right):>8}/{len(right):<6}  "
              f"{'baseline' if name == 'torch' else gate}")


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
    # Questions in other words than the page's, asked alone: most hold a word it never uses,
    # which is embedded alone the first time it is asked (``Answerer.near_words``).
    paraphrases = [r["q"] for r in read_questions(ROOT / "benchmarks" / "questions" / "seed.jsonl")
                   if r.get("class") == "paraphrase" and not r.get("history")]
    claims = [json.loads(line)["text"] for line in
              open(SHARED / "scifact" / "queries.jsonl", encoding="utf-8")][:40]
    with tempfile.TemporaryDirectory() as tmp:
        build_index(ROOT / "corpus", Path(tmp) / "index", backend=b)
        seed = Assistant.load(Path(tmp) / "index")
        targets = [("seed", seed, qs), ("reworded", seed, paraphrases)]
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
            if name == "reworded":
                # Each question's unseen words asked for the first time: the vectors of
                # question words (shared by the answerers of one model) are dropped before each
                # answer. Beside it, the same answers reading no word as the documents'
                # (``NearWords(count=0)``): the difference is the cost of the new words.
                from assistant import AnswerSettings, NearWords

                off = a.with_settings(AnswerSettings(near_words=NearWords(count=0)))
                cold = {True: [], False: []}
                for _ in range(3):
                    for q in questions:
                        for near, x in ((True, a), (False, off)):
                            a.answerer.cache.words.clear()
                            t = time.perf_counter()
                            x.answer(q)
                            cold[near].append((time.perf_counter() - t) * 1000)
                for near, label in ((True, "new words"), (False, "words off")):
                    c = np.percentile(cold[near], 50)
                    print(f"  {b:<10} {label:<8} {e:>7.1f} {'':>15} {c:>7.1f} ({c / e:.2f}x)")


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
    ap.add_argument("--docs", type=int, default=400, help="SciFact abstracts for the speed test")
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
