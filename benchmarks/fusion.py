"""Choose the fusion of dense and keyword scores on data: SciFact *train* queries only.

    python benchmarks/fusion.py [--backend onnx] [--limit 0]

Prints nDCG@10 on the SciFact train queries (documents ranked by their best passage) for dense
only, keyword only, convex fusion at several dense weights and document-BM25 shares, and
reciprocal-rank fusion; and, for each setting, hit@1 on the seed and own question sets. The
SciFact index is the one ``python -m assistant.eval --beir`` builds in
benchmarks/results/scifact-<backend>/ (built here when missing). Test queries are never used.
"""
from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", default="onnx")
    ap.add_argument("--limit", type=int, default=0, help="train queries to use (0: all 809)")
    ap.add_argument("--sentence-vectors", action="store_true",
                    help="use an index with sentence vectors (benchmarks/results/"
                         "scifact-<backend>-sv) and compare sentence shares")
    args = ap.parse_args()

    from assistant import AnswerSettings, Assistant, Fusion, build_index
    from assistant.evaluation import beir
    from assistant.search import search
    from assistant.evaluation.questions import evaluate, read_questions

    work = ROOT / "benchmarks" / "results" / \
        f"scifact-{args.backend}{'-sv' if args.sentence_vectors else ''}"
    build_index(beir.prepare_corpus(SHARED / "scifact", work), work / "index",
                backend=args.backend, progress=True, sentence_vectors=args.sentence_vectors)
    a = Assistant.load(work / "index")
    queries, qrels = beir.load_split(SHARED / "scifact", "train")
    qids = sorted(queries)[: args.limit or None]
    qvecs = a.embedder.encode([queries[q] for q in qids])

    with __import__("tempfile").TemporaryDirectory() as tmp:
        build_index(ROOT / "corpus", Path(tmp) / "index", backend=args.backend)
        seed = Assistant.load(Path(tmp) / "index")
        sets = [read_questions(SHARED / f) for f in ("seed_questions.jsonl",
                                                     "seed_followups.jsonl")]
        sets.append(read_questions(ROOT / "tests" / "data" / "extra_questions.jsonl"))
        seed_q = [q for s in sets for q in s if q.get("any")]

        if args.sentence_vectors:
            build_index(ROOT / "corpus", Path(tmp) / "index", backend=args.backend,
                        sentence_vectors=True)
            seed = Assistant.load(Path(tmp) / "index")
            configs = [("hybrid", "convex", w, 0.5, g) for g in (0.0, 0.2, 0.4, 0.6)
                       for w in (0.65, 0.7)]
        else:
            configs = [("semantic", "convex", 1.0, 0.0, 0.0), ("keyword", "convex", 0.0, 0.0, 0.0),
                       ("keyword", "convex", 0.0, 0.5, 0.0)]
            configs += [("hybrid", "convex", w, d, 0.0) for d in (0.0, 0.3, 0.5, 0.7)
                        for w in (0.5, 0.6, 0.65, 0.7)]
            configs += [("hybrid", "rrf", w, 0.0, 0.0) for w in (0.5, 0.6, 0.7)]
        print(f"{len(qids)} SciFact train queries, backend {args.backend}")
        print(f"{'mode':<9}{'fusion':<7}{'dense w':>8}{'doc share':>10}{'sent share':>11}"
              f"{'nDCG@10':>9}{'seed+own hit@1':>16}")
        for mode, method, w, d, g in configs:
            fusion = Fusion(dense_weight=w, dense_weight_with_sentences=w, method=method,
                            doc_share=d, sentence_share=g)
            total = 0.0
            for qid, qv in zip(qids, qvecs):
                scored = search(a.index, qv, queries[qid], k=30, mode=mode, fusion=fusion)
                total += beir.ndcg_at_k(beir.rank_documents(a.index, scored), qrels[qid])
            m = evaluate(seed.with_settings(AnswerSettings(fusion=fusion)), seed_q, mode=mode)
            print(f"{mode:<9}{method:<7}{w:>8.2f}{d:>10.1f}{g:>11.1f}{total / len(qids):>9.4f}"
                  f"{m.hit_at(1):>16.1%}")


if __name__ == "__main__":
    main()
