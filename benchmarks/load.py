"""Load and memory: many chat users at once, and thousands of questions in one process.

    python benchmarks/load.py [--users 32] [--questions 25] [--memory-questions 2000]

1. Starts ``python -m assistant --read-only`` on a free loopback port with the seed corpus,
   measures one user asking --questions questions through gradio_client (the baseline), then
   --users users asking --questions each at the same time. Prints errors, p50/p95 latency and
   their ratio to the single-user figures of the same run, and the server's RSS.
2. Asks --memory-questions questions of one in-process Assistant and prints its RSS at the
   start and the end.
tests/test_load.py runs both with the issue's numbers.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"


def questions() -> list[str]:
    out = []
    for name in ("seed_questions.jsonl", "seed_followups.jsonl", "seed_offtopic.jsonl"):
        path = EVAL / name if (EVAL / name).exists() else ROOT / "tests" / "data" / "seed" / name
        out += [json.loads(line)["q"] for line in open(path, encoding="utf-8") if line.strip()]
    out += [json.loads(line)["q"] for line in
            open(ROOT / "tests" / "data" / "extra_questions.jsonl", encoding="utf-8")]
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python -m assistant`` in a subprocess, on loopback."""

    def __init__(self, corpus: Path, index: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "--corpus", str(corpus), "--index", str(index),
             "--port", str(self.port), "--read-only"], cwd=ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 300
        for line in self.proc.stdout:
            if "ready" in line or time.time() > deadline:
                break
        threading.Thread(target=lambda: [None for _ in self.proc.stdout], daemon=True).start()

    def rss_mb(self) -> float:
        import psutil

        return psutil.Process(self.proc.pid).memory_info().rss / 2**20

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def _user(url: str, qs: list[str], times: list[float], errors: list[str],
          start: threading.Barrier | None) -> None:
    from gradio_client import Client

    try:
        client = Client(url, verbose=False)
    except Exception as e:  # counted, not raised: the figure is the error count
        errors.append(f"connect: {e}")
        return
    if start is not None:
        start.wait()
    for q in qs:
        t = time.perf_counter()
        try:
            r = client.predict(q, [], 3, "hybrid", None, api_name="/answer")
            if not isinstance(r, dict) or "abstained" not in r:
                errors.append(f"bad reply to {q!r}")
        except Exception as e:
            errors.append(f"{type(e).__name__}: {e}")
        times.append(time.perf_counter() - t)


def run_load(url: str, users: int, per_user: int) -> dict:
    qs = questions()
    single: list[float] = []
    errors: list[str] = []
    _user(url, [qs[i % len(qs)] for i in range(per_user)], single, errors, None)
    times: list[float] = []
    barrier = threading.Barrier(users)
    threads = [threading.Thread(target=_user, args=(
        url, [qs[(u * 7 + i) % len(qs)] for i in range(per_user)], times, errors, barrier))
        for u in range(users)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t
    p = lambda xs, q: float(np.percentile(xs, q)) * 1000 if xs else float("nan")
    return {"requests": len(times), "errors": errors, "wall_s": wall,
            "single_p50": p(single, 50), "single_p95": p(single, 95),
            "p50": p(times, 50), "p95": p(times, 95)}


def memory_flat(index: Path, n: int) -> tuple[float, float]:
    import psutil

    from assistant import Assistant

    a = Assistant.load(index)
    qs = questions()
    proc = psutil.Process()
    for q in qs * 2:  # warm: model, caches, allocator
        a.answer(q)
    start = proc.memory_info().rss / 2**20
    for i in range(n):
        q = qs[i % len(qs)]
        a.answer(f"{q} {i}" if i % 2 else q)  # half of them never seen before
    return start, proc.memory_info().rss / 2**20


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=32)
    ap.add_argument("--questions", type=int, default=25)
    ap.add_argument("--memory-questions", type=int, default=2000)
    args = ap.parse_args()
    from assistant import build_index

    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        build_index(ROOT / "corpus", index)
        server = Server(ROOT / "corpus", index)
        try:
            rss0 = server.rss_mb()
            r = run_load(server.url, args.users, args.questions)
            rss1 = server.rss_mb()
        finally:
            server.close()
        print(f"1. {args.users} users x {args.questions} questions: {r['requests']} requests in "
              f"{r['wall_s']:.1f} s, {len(r['errors'])} errors")
        print(f"   single user p50 {r['single_p50']:.0f} ms p95 {r['single_p95']:.0f} ms; under "
              f"load p50 {r['p50']:.0f} ms ({r['p50'] / r['single_p50']:.1f}x) p95 "
              f"{r['p95']:.0f} ms ({r['p95'] / r['single_p95']:.1f}x); server RSS {rss0:.0f} -> "
              f"{rss1:.0f} MB")
        start, end = memory_flat(index, args.memory_questions)
        print(f"2. {args.memory_questions} questions in one process: RSS {start:.0f} MB at the "
              f"start, {end:.0f} MB at the end ({end - start:+.0f} MB)")


if __name__ == "__main__":
    main()
