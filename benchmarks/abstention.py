"""Calibrate the abstention threshold on data.

    python benchmarks/abstention.py [--squad ../shared/eval/squad2-dev-half/dev-v2.0.json] [--n 600]

Positives: every answerable question of the seed sets and of tests/data (they must be answered).
Negatives: the off-topic questions, plus SQuAD questions (Wikipedia topics: the Normans,
the Amazon, ...) asked of the seed index, which cannot answer them. Prints the confidence
distribution of both and, for a range of thresholds, the share of positives answered and of
negatives abstained.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--squad", default=str(ROOT.parent / "shared" / "eval" / "squad2-dev-half" / "dev-v2.0.json"))
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--index", default=str(ROOT / "index"))
    args = ap.parse_args()

    from assistant import Abstention, AnswerSettings, Assistant, build_index
    from assistant.evaluation.questions import read_questions

    if not (Path(args.index) / "manifest.json").exists():
        build_index(ROOT / "corpus", args.index)
    # The bars on this index (the abstention bar may be lowered by the unrelated questions'
    # scores: assistant/unrelated.py).
    current, tentative = Assistant.load(args.index).answerer.thresholds()
    # Never abstain here, so that every confidence is seen.
    a = Assistant.load(args.index, settings=AnswerSettings(abstention=Abstention(threshold=-1e9)))
    files = [ROOT.parent / "shared" / "eval" / f for f in
             ("seed_questions.jsonl", "seed_followups.jsonl", "seed_offtopic.jsonl")]
    files.append(ROOT / "tests" / "data" / "extra_questions.jsonl")
    rows = [r for f in files if f.exists() for r in read_questions(f)]
    squad = json.loads(Path(args.squad).read_text(encoding="utf-8"))
    sq = [qa["question"] for art in squad["data"] for p in art["paragraphs"] for qa in p["qas"]]
    step = max(1, len(sq) // args.n)
    rows += [{"q": q} for q in sq[::step][: args.n]]

    pos, neg = [], []
    for r in rows:
        # The coverage the abstention bar is compared with (the weighted score), not
        # Answer.confidence (the answer model's probability).
        coverage = a.answerer.judge(a.evidence(r["q"], r.get("history") or [])).coverage
        (pos if r.get("any") else neg).append(coverage)
    pos, neg = np.array(pos), np.array(neg)
    pct = lambda x: " ".join(f"{v:.3f}" for v in np.percentile(x, [0, 5, 50, 95, 100]))
    print(f"positives (n={len(pos)}): min/p5/p50/p95/max {pct(pos)}")
    print(f"negatives (n={len(neg)}): min/p5/p50/p95/max {pct(neg)}")
    print(f"{'threshold':>9} {'answered (pos)':>15} {'abstained (neg)':>16}")
    for t in sorted({*np.round(np.arange(0.10, 0.56, 0.05), 2), current, tentative}):
        print(f"{t:>9.2f} {np.mean(pos >= t):>15.1%} {np.mean(neg < t):>16.1%}")
    print(f"current thresholds: abstain below {current}, tentative below {tentative}: "
          f"answered {np.mean(pos >= current):.1%} of positives ({np.mean(pos >= tentative):.1%}"
          f" confidently); negatives abstained {np.mean(neg < current):.1%}, confidently "
          f"answered {np.mean(neg >= tentative):.1%}")


if __name__ == "__main__":
    main()
