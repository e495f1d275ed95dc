"""Choose the fusion of dense and keyword rankings on data (SciFact train queries + seed sets).

    python benchmarks/fusion.py [--scifact ../shared/eval/scifact] [--limit 300]

Prints nDCG@10 on SciFact *train* queries (documents ranked by their best passage) for dense
only, keyword only, convex fusion and reciprocal-rank fusion at several weights, and hit@1 on
the seed question sets for the same settings. The SciFact index is built once and cached in
benchmarks/results/.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from beir import docs_by_best_passage, load_queries, ndcg_at_10  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scifact", default=str(ROOT.parent / "shared" / "eval" / "scifact"))
    ap.add_argument("--limit", type=int, default=300, help="train queries to use")
    args = ap.parse_args()

    from assistant import Assistant, build_index
    from assistant.eval import evaluate, read_questions
    from assistant.search import search

    folder = Path(args.scifact)
    work = ROOT / "benchmarks" / "results" / "scifact"
    (work / "corpus").mkdir(parents=True, exist_ok=True)
    link = work / "corpus" / "corpus.jsonl"
    if link.is_symlink() or not link.exists():
        link.unlink(missing_ok=True)
        import shutil

        shutil.copy(folder / "corpus.jsonl", link)  # a copy: links out of a corpus are skipped
    t = time.perf_counter()
    report = build_index(work / "corpus", work / "index", progress=True)
    print(f"SciFact index: {report.documents} documents, {report.passages} passages "
          f"({time.perf_counter() - t:.0f} s)")
    a = Assistant.load(work / "index")
    queries, qrels = load_queries(folder, "train")
    qids = sorted(queries)[: args.limit]
    qvecs = a.embedder.encode([queries[q] for q in qids])

    seed = Assistant.load(ROOT / "index") if (ROOT / "index").exists() else None
    if seed is None:
        build_index(ROOT / "corpus", ROOT / "index")
        seed = Assistant.load(ROOT / "index")
    sets = [read_questions(ROOT.parent / "shared" / "eval" / f)
            for f in ("seed_questions.jsonl", "seed_followups.jsonl")]
    sets.append(read_questions(ROOT / "tests" / "data" / "extra_questions.jsonl"))
    seed_q = [q for s in sets for q in s if q.get("any")]

    import assistant.search as S

    configs = [("semantic", "convex", 1.0), ("keyword", "convex", 0.0)]
    configs += [("hybrid", f, w) for f in ("convex", "rrf") for w in (0.3, 0.4, 0.5, 0.6, 0.7)]
    print(f"{'setting':<22} {'SciFact train nDCG@10':>22} {'seed+own hit@1':>15}")
    for mode, fusion, w in configs:
        total = 0.0
        for qid, qv in zip(qids, qvecs):
            scored = search(a.index, qv, queries[qid], k=100, mode=mode, dense_weight=w,
                            fusion=fusion)
            total += ndcg_at_10(docs_by_best_passage(a.index, scored), qrels[qid])
        old = (S.DENSE_WEIGHT, S.search.__kwdefaults__["fusion"])
        S.search.__kwdefaults__["dense_weight"] = w
        S.search.__kwdefaults__["fusion"] = fusion
        m = evaluate(seed, seed_q, mode=mode)
        S.search.__kwdefaults__["dense_weight"], S.search.__kwdefaults__["fusion"] = old
        print(f"{mode + ' ' + fusion + ' ' + str(w):<22} {total / len(qids):>22.4f} "
              f"{m.hit_at(1):>15.1%}")


if __name__ == "__main__":
    main()
