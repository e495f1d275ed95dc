"""Query latency on an index, as ratios to the raw encoding of the same question.

    python benchmarks/latency.py [--index index] [--repeat 3]

For each seed question: raw ``embedder.encode([q])``, ``Assistant.retrieve`` and
``Assistant.answer`` (first call per question includes encoding that question's candidate
sentences; later calls hit the sentence cache). Prints p50/p95 in ms and the p50 ratios.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(fn, *args, **kwargs) -> float:
    t = time.perf_counter()
    fn(*args, **kwargs)
    return (time.perf_counter() - t) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", default=str(ROOT / "index"))
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from assistant import Assistant, build_index
    from assistant.eval import read_questions

    if not (Path(args.index) / "manifest.json").exists():
        build_index(ROOT / "corpus", args.index)
    a = Assistant.load(args.index)
    qs = [r["q"] for f in ("seed_questions.jsonl", "seed_followups.jsonl", "seed_offtopic.jsonl")
          for r in read_questions(ROOT.parent / "shared" / "eval" / f)]
    a.answer("warm up")
    enc, ret, first, ans = [], [], [], []
    for q in qs:
        first.append(timed(a.answer, q))
    for _ in range(args.repeat):
        for q in qs:
            enc.append(timed(a.embedder.encode, [q]))
            ret.append(timed(a.retrieve, q, 5))
            ans.append(timed(a.answer, q))
    p = lambda x: (np.percentile(x, 50), np.percentile(x, 95))
    print(f"index: {a.info['passages']} passages, {len(qs)} questions x {args.repeat}")
    for name, xs in [("encode question", enc), ("retrieve", ret), ("answer (cached sentences)", ans),
                     ("answer (first time)", first)]:
        p50, p95 = p(xs)
        print(f"{name:<28} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  p50 ratio to encode {p50 / p(enc)[0]:.2f}")


if __name__ == "__main__":
    main()
