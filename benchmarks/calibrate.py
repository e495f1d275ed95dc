"""Fit the answer confidence and choose its thresholds on the fitting part of the evaluation
set; report calibration on the held-out part.

    python benchmarks/calibrate.py [--set benchmarks/questions] [--backend onnx] [--write]

1. Every fitting question is read every way a conversation allows (alone, after the last
   question, after the last two); each reading's evidence gives one row of features
   (``assistant.confidence.FEATURES``).
2. Two logistic regressions (L2, Newton) are fitted on those rows: ``answers`` (label 1 when the
   top quote holds an expected substring; the confidence) and ``covers`` (label 1 for an
   answerable question, whatever its top quote; the abstention).
3. Thresholds, on the fitting part, as answered: abstain below the coverage of the most
   covered off-topic question (so that none is shown), reporting how many answerable questions
   that abstains on (the target is at most 2%); tentative below the confidence under which at
   least 95% of near-topic questions fall.
4. The bar under which the default (weighted) confidence's answers are labelled unlikely
   (``Abstention.unlikely_below``), chosen on the fitting part: the lowest within two of the
   fewest labelling errors (confident but wrong, plus right but tentative). Printed, and kept in
   the provenance; the setting's default is set by hand from it.
5. With --write: the model, thresholds and provenance go to assistant/confidence.json.
6. Held-out figures (never used above): the evaluation report and expected calibration error
   of the fitted model and of the default (weighted) confidence, and a reliability diagram of
   both (docs/reliability.png; needs matplotlib: pip install -e ".[bench]").
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default=str(ROOT / "benchmarks" / "questions"))
    ap.add_argument("--backend", default=None)
    ap.add_argument("--write", action="store_true", help="write assistant/confidence.json")
    ap.add_argument("--l2", type=float, default=1.0)
    args = ap.parse_args()

    from assistant import Abstention, AnswerSettings
    from assistant.answering import Query as answerer_query
    from assistant.answering import follow_up_candidates
    from assistant.confidence import (COVER_FEATURES, FEATURES, MODEL_FILE, Calibration,
                                      ConfidenceModel, fit)
    from assistant.evaluation import sets

    corpora, questions = sets.load_set(args.set)
    plain = AnswerSettings(abstention=Abstention(fitted=False, threshold=-1e9))
    assistants = sets.assistants_for(corpora, args.backend, plain)

    rows, labels, covered = [], [], []
    fitting = [q for q in questions if q.split == "fit"]
    for q in fitting:
        answerer = assistants[q.corpus].answerer
        for reading in follow_up_candidates(q.q, list(q.history)):
            ev, _ = answerer.evidence(reading)
            j = answerer.judge(ev)
            if not j.candidates:
                continue
            best = j.candidates[0]
            text = answerer.index.documents[best.doc_id].text[best.start:best.end]
            rows.append(answerer.features(ev, j.candidates))
            labels.append(int(q.answerable and any(s in text for s in q.any)))
            covered.append(int(q.answerable))
    answers = ConfidenceModel(FEATURES, *fit(rows, labels, FEATURES, l2=args.l2), {})
    covers = ConfidenceModel(COVER_FEATURES, *fit(rows, covered, COVER_FEATURES, l2=args.l2),
                             {})
    print(f"fitted on {len(rows)} readings of {len(fitting)} fitting questions "
          f"({sum(labels)} with the right top quote, {sum(covered)} answerable)")
    for name, m in (("answers", answers), ("covers", covers)):
        print(f"  {name}: " + ", ".join(f"{f} {c:+.2f}" for f, c in zip(m.features, m.coef)))

    # Thresholds on the fitting part, with the decision as answer() makes it.
    model = Calibration(answers, covers, 0.0, 0.0, {})
    backup = MODEL_FILE.read_text() if MODEL_FILE.exists() else None
    MODEL_FILE.write_text(json.dumps(model.to_json()))
    from assistant.confidence import default_model
    default_model.cache_clear()
    try:
        fitted = {n: a.with_settings(AnswerSettings()) for n, a in assistants.items()}
        coverage, confidence = {}, {}
        for q in fitting:  # the reading answer() chooses, and its two probabilities
            answerer = fitted[q.corpus].answerer
            if q.history:
                ev, j = answerer.best_reading(q.q, list(q.history), "hybrid", None, 5)
            else:
                ev, _ = answerer.evidence(answerer_query(q.q))
                j = answerer.judge(ev)
            coverage[q.id], confidence[q.id] = j.coverage, j.confidence
        kind = lambda k, d: np.array([d[q.id] for q in fitting if q.kind == k])
        ans, off = kind("answerable", coverage), kind("off-topic", coverage)
        abstain_below = float(off.max()) + 1e-4
        print(f"abstain below coverage {abstain_below:.3f}: on the fitting part, answerable "
              f"questions abstained {np.mean(ans < abstain_below):.1%} (target at most 2%), "
              "off-topic shown 0")
        near = kind("near-topic", confidence)
        tentative_below = float(np.quantile(near, 0.95)) + 1e-4
        model = Calibration(answers, covers, round(abstain_below, 4), round(tentative_below, 4),
                            {})
        thresholds = {"abstain_below": model.abstain_below,
                      "tentative_below": model.tentative_below}
        print(f"thresholds: {thresholds}")
        model.provenance.update(
            thresholds=thresholds,
            data=f"{_shown(args.set)}: the fitting part ({len(fitting)} questions, {len(rows)} "
                 "readings), split by document",
            date=dt.date.today().isoformat(), features=list(FEATURES), l2=args.l2,
            fitted_by="benchmarks/calibrate.py")
        MODEL_FILE.write_text(json.dumps(model.to_json(), indent=2) + "\n")
        default_model.cache_clear()
        # The bar under which the default (weighted) confidence's answers are labelled
        # unlikely (Abstention.unlikely_below), on the fitting part as answer() reads it: the
        # lowest bar within two of the fewest labelling errors (shown confidently but wrong,
        # plus right but shown as tentative). The errors change little over a wide range of
        # bars; the lowest of that range labels the fewest right answers.
        unlabelled = {n: a.with_settings(AnswerSettings(abstention=Abstention(
            unlikely_below=None))) for n, a in assistants.items()}
        seen = [(q, sets.judge(q, unlabelled[q.corpus].answer(q.q, list(q.history))))
                for q in fitting]
        errors = {}
        for bar in np.round(np.arange(0.0, 0.81, 0.01), 2):
            wrong = right_doubted = 0
            for q, o in seen:
                if o.outcome == "abstain":
                    continue
                confident = o.outcome == "answer" and o.confidence >= bar
                right = q.answerable and o.rank == 1
                wrong += confident and not right
                right_doubted += right and not confident
            errors[float(bar)] = int(wrong + right_doubted)
        print("  labelling errors by bar: " + ", ".join(
            f"{b:.2f} {e}" for b, e in errors.items() if round(b * 100) % 4 == 0))
        best = min(errors.values())
        unlikely_below = min(b for b, e in errors.items() if e <= best + 2)
        print(f"unlikely below {unlikely_below:.2f} (Abstention.unlikely_below): fitting part "
              f"labelling errors {errors[unlikely_below]} against {errors[0.0]} with no such "
              f"bar (fewest {best}, at {min(b for b, e in errors.items() if e == best):.2f})")
        model.provenance["unlikely_below"] = unlikely_below
        MODEL_FILE.write_text(json.dumps(model.to_json(), indent=2) + "\n")

        held = [q for q in questions if q.split == "held-out"]
        series = {}
        for label, abstention in (("fitted model (Abstention(fitted=True))",
                                   Abstention(fitted=True)),
                                  ("default: weighted confidence", Abstention())):
            chosen = {n: a.with_settings(AnswerSettings(abstention=abstention))
                      for n, a in assistants.items()}
            out = sets.run_set(held, chosen)
            print(sets.format_report(out, f"held-out part ({len(out)} questions), {label}"))
            series[label] = sets.expected_calibration_error(out)
        _diagram(series, ROOT / "docs" / "reliability.png", len(held))
    finally:
        if not args.write:
            if backup is None:
                MODEL_FILE.unlink(missing_ok=True)
            else:
                MODEL_FILE.write_text(backup)


def _shown(folder: str) -> str:
    """A set folder as the provenance records it: relative to the project when inside it."""
    path = Path(folder).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _diagram(series: dict, path: Path, n: int) -> None:
    """Each confidence's reliability on the held-out part, as one PNG."""
    try:
        import matplotlib
    except ImportError:
        print("reliability diagram not drawn: it needs matplotlib "
              "(pip install -e '.[bench]')")
        return
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.2, 5.2), dpi=100)
    ax.plot([0, 1], [0, 1], color="#999", linestyle="--", linewidth=1, label="perfect")
    for (label, (ece, table)), colour in zip(series.items(), ("#2b6cb0", "#c05621")):
        conf = [c for c, _, _ in table]
        acc = [a for _, a, _ in table]
        sizes = [20 + 3 * k for _, _, k in table]
        ax.plot(conf, acc, color=colour, linewidth=1.5)
        ax.scatter(conf, acc, s=sizes, color=colour, zorder=3, label=f"{label}, ECE {ece:.3f}")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence (mean in bin)")
    ax.set_ylabel("share whose top quote answers")
    ax.set_title(f"Reliability, held-out part ({n} questions)")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    print(f"reliability diagram: {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
