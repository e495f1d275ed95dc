"""Choose the sentence-score weights on data: SQuAD, tuned on one half of the articles.

    python benchmarks/quotes.py [--squad FILE] [--backend onnx] [--max-chars 210]

Every answerable question of the even-numbered articles is the tuning set; the odd-numbered
articles are held out (``--tune-on odd`` swaps them). For each question the evidence of every candidate sentence (the top
five passages, as ``answer()`` sees them) is computed once; then weights are searched
coordinate by coordinate for the best quote hit@1 on the tuning half, with the mean length of
the top quote kept at most ``--max-chars`` (longer quotes contain the answer more often, which
is not what is being tuned). Prints the current weights' figures on both halves, the weights
found and their figures on the held-out half. Abstention is left out here: this measures the
choice of quote (``python -m assistant.eval --squad`` measures the whole answer).
"""
from __future__ import annotations

import argparse
import time
from dataclasses import fields, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"

GRID = {"meaning": [0.2, 0.35, 0.5, 0.7, 0.9], "match": [0.1, 0.2, 0.3, 0.5, 0.8],
        "passage_match": [0.0, 0.2, 0.4, 0.6], "lexical": [0.1, 0.2, 0.3, 0.4],
        "passage": [0.0, 0.05, 0.1, 0.2, 0.3],
        "neighbour_share": [0.9, 0.92, 0.93, 0.94, 0.95]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--squad", default=str(SHARED / "squad2-dev-half" / "dev-v2.0.json"))
    ap.add_argument("--backend", default="onnx")
    ap.add_argument("--max-chars", type=float, default=210.0)
    ap.add_argument("--rounds", type=int, default=2, help="search rounds (0: only measure)")
    ap.add_argument("--passages", type=int, default=5, help="best passages quoted from, as answer() (besides those holding the closest sentences)")
    ap.add_argument("--tune-on", choices=("even", "odd"), default="even",
                    help="which half of the articles to tune on (the other is held out)")
    args = ap.parse_args()

    from assistant import Assistant, Weights, build_index, quoting
    from assistant.evaluation import squad
    from assistant.loading import record_id

    data = squad.load(args.squad)
    work = ROOT / "benchmarks" / "results" / f"squad-{args.backend}"
    build_index(squad.prepare_corpus(data, work), work / "index", backend=args.backend,
                progress=True)
    a = Assistant.load(work / "index")
    index = a.index
    t = time.perf_counter()
    items = []  # (article is even, answers, pool)
    for q in data.questions:
        if q.answers and q.doc_id in index.documents:
            pool = a.evidence(q.question, passages=args.passages).pool
            article = int(record_id(index.documents[q.doc_id]).split("-")[0])
            items.append((article % 2 == 0, q.answers, pool))
    print(f"evidence for {len(items)} questions in {time.perf_counter() - t:.0f} s")

    def measure(w: Weights, even: bool | None) -> tuple[float, float, int]:
        hits = chars = n = 0
        for is_even, answers, pool in items:
            if even is not None and is_even != even:
                continue
            n += 1
            chosen = quoting.pick(quoting.rank(index, pool, w), 1)
            if chosen:
                c = chosen[0]
                quote = index.documents[c.doc_id].text[c.start:c.end]
                hits += any(x in quote for x in answers)
                chars += len(quote)
        return hits / max(n, 1), chars / max(n, 1), n

    tune_even = args.tune_on == "even"

    def objective(w: Weights) -> float:
        hit, chars, _ = measure(w, tune_even)
        return hit - 0.002 * max(0.0, chars - args.max_chars)

    def show(label: str, w: Weights) -> None:
        halves = (("even articles", True), ("odd articles", False))
        for name, part in sorted(halves, key=lambda h: h[1] != tune_even) + [("all", None)]:
            name = name if part is None else \
                f"{'tuning' if part == tune_even else 'held out'} ({name})"
            hit, chars, n = measure(w, part)
            print(f"  {label:<10} {name:<24} n={n:<5} quote hit@1 {hit:.1%}  "
                  f"mean top-quote length {chars:.0f} chars")

    current = Weights()
    show("current", current)
    best, best_obj = current, objective(current)
    for r in range(args.rounds):
        for f in fields(Weights):
            for v in GRID.get(f.name, ()):  # "context" is chosen elsewhere (weights.py)
                w = replace(best, **{f.name: v})
                o = objective(w)
                if o > best_obj + 1e-9:
                    best, best_obj = w, o
        print(f"round {r + 1}: {best}")
    if args.rounds:
        show("found", best)


if __name__ == "__main__":
    main()
