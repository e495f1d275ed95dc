"""Choose ``Abstention.unrelated_quantile`` on the fitting part of the evaluation set; report
the held-out part.

    python benchmarks/unrelated.py [--set benchmarks/questions] [--backend ...]

Each corpus's index records how covered the everyday questions of
``assistant/data/unrelated_questions.txt`` look on it (``assistant.unrelated``). For each
quantile of those scores the fitting part is answered with the abstention threshold lowered to
it (never raised above the fixed one). The choice: the quantile with the fewest errors of the
two kinds abstention trades, as shares: answerable questions refused plus off-topic questions
shown (ties to the higher quantile). (A first rule, "the highest quantile refusing at most 2%
of the answerable", picked 0.9 because 5 of 247 is 2.02%, which shows 7 of 42 off-topic
questions; both rules use the fitting part only.) The held-out part is printed for the chosen
quantile and for the fixed threshold alone, and never used to choose.
"""
from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUANTILES = (1.0, 0.98, 0.95, 0.9, 0.85, 0.8)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default=str(ROOT / "benchmarks" / "questions"))
    ap.add_argument("--backend", default=None)
    args = ap.parse_args()

    import numpy as np

    from assistant import Abstention, AnswerSettings
    from assistant.evaluation import sets

    corpora, questions = sets.load_set(args.set)
    base = sets.assistants_for(corpora, args.backend)
    for name, a in base.items():
        scores = a.answerer.unrelated_scores()
        print(f"{name}: {len(scores)} unrelated questions, coverage quantiles "
              + ", ".join(f"{q:.2f}: {np.quantile(scores, q):.3f}" for q in QUANTILES))

    def run(part: str, quantile: float | None):
        settings = AnswerSettings(abstention=Abstention(unrelated_quantile=quantile))
        assistants = {n: a.with_settings(settings) for n, a in base.items()}
        return sets.run_set([q for q in questions if q.split == part], assistants)

    def summary(out) -> tuple[float, int, int, str]:
        ans = [o for o in out if o.question.answerable]
        off = [o for o in out if o.question.kind == "off-topic"]
        near = [o for o in out if o.question.kind == "near-topic"]
        abstained = sum(o.outcome == "abstain" for o in ans) / len(ans)
        shown = sum(o.shown for o in off)
        hit1 = sum(o.rank == 1 for o in ans) / len(ans)
        text = (f"answerable abstained {abstained:.1%}, hit@1 {hit1:.1%}; off-topic shown "
                f"{shown}/{len(off)} ({sum(o.outcome == 'answer' for o in off)} confidently); "
                f"near-topic answered {sum(o.outcome == 'answer' for o in near)}/{len(near)}")
        return abstained, shown, len(off), text

    print("\nfitting part")
    chosen, best = None, None
    for quantile in (None, *QUANTILES):
        abstained, shown, n_off, text = summary(run("fit", quantile))
        errors = abstained + shown / n_off
        print(f"  quantile {quantile if quantile is not None else 'none (fixed only)':<18} {text}"
              f"; errors {errors:.3f}")
        if quantile is not None and (best is None or errors < best - 1e-9):
            chosen, best = quantile, errors
    print(f"chosen: {chosen} (fewest errors: answerable refused + off-topic shown, as shares)")
    print("\nheld-out part (never used to choose)")
    for quantile in (None, chosen):
        out = run("held-out", quantile)
        print(f"  quantile {quantile if quantile is not None else 'none (fixed only)':<18} "
              f"{summary(out)[3]}")
    print(sets.format_report(out, f"held-out part, quantile {chosen}"))


if __name__ == "__main__":
    main()
