"""Retrieval quality on a BEIR-format dataset (corpus.jsonl, queries.jsonl, qrels/<split>.tsv).

Documents are ranked by their best passage, through the same search the chat uses, and scored
with the usual BEIR metrics: nDCG@10, recall@100 and MRR@10.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..loading import record_id
from ..search import search
from ..settings import Fusion
from .metrics import mrr_at_k, ndcg_at_k, recall_at_k
from .workdir import corpus_with


@dataclass(frozen=True)
class BeirScores:
    mode: str
    queries: int
    ndcg_at_10: float
    recall_at_100: float
    mrr_at_10: float


def load_split(folder: str | Path, split: str = "test"
               ) -> tuple[dict[str, str], dict[str, dict[str, int]]]:
    """(queries by id, relevance judgements by query id) for one split."""
    folder = Path(folder)
    qrels_path = folder / "qrels" / f"{split}.tsv"
    if not qrels_path.is_file():
        have = sorted(p.stem for p in (folder / "qrels").glob("*.tsv"))
        raise ValueError(f"no {qrels_path}; splits here: {', '.join(have) or 'none'}")
    qrels: dict[str, dict[str, int]] = {}
    with open(qrels_path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or parts[0] == "query-id":
                continue
            qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    queries = {}
    with open(folder / "queries.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                if str(row["_id"]) in qrels:
                    queries[str(row["_id"])] = row["text"]
    return queries, qrels


def rank_documents(index, scored) -> list[str]:
    """The dataset's own document ids, in the order of their best passage."""
    seen: set[str] = set()
    out = []
    for s in scored:
        d = index.passages[s.row].doc_id
        if d not in seen:
            seen.add(d)
            out.append(record_id(index.documents[d]))
    return out


def prepare_corpus(folder: str | Path, work: str | Path) -> Path:
    """A corpus folder under ``work`` holding a copy of the dataset's corpus.jsonl."""
    src = Path(folder) / "corpus.jsonl"
    if not src.is_file():
        raise ValueError(f"no {src}: a BEIR folder has corpus.jsonl, queries.jsonl and qrels/")
    return corpus_with(work, "corpus.jsonl", src)


def evaluate(assistant, queries: dict[str, str], qrels: dict[str, dict[str, int]],
             modes: Sequence[str] = ("hybrid", "semantic", "keyword"),
             depth: int = 100) -> list[BeirScores]:
    """Scores per search mode; each query is encoded once and searched in every mode."""
    fusion = Fusion(candidates=3 * depth)
    qids = sorted(queries)
    vecs = assistant.embedder.encode([queries[q] for q in qids]) if qids else []
    # The words of the documents near a query's words that they never use, as ``retrieve``
    # searches for them too (``nearwords``).
    reader = assistant.answerer
    near = {q: reader.near_terms(reader.near_words(queries[q]), queries[q]) for q in qids}
    totals = {m: [0.0, 0.0, 0.0] for m in modes}
    for qid, qvec in zip(qids, vecs):
        for m in modes:
            # Enough passages that ``depth`` distinct documents are nearly always reached.
            scored = search(assistant.index, qvec, queries[qid], k=3 * depth, mode=m,
                            fusion=fusion, near=near[qid])
            ranked = rank_documents(assistant.index, scored)
            t = totals[m]
            t[0] += ndcg_at_k(ranked, qrels[qid], 10)
            t[1] += recall_at_k(ranked, qrels[qid], depth)
            t[2] += mrr_at_k(ranked, qrels[qid], 10)
    n = max(1, len(qids))
    return [BeirScores(m, len(qids), t[0] / n, t[1] / n, t[2] / n) for m, t in totals.items()]


def format_scores(name: str, split: str, scores: list[BeirScores]) -> str:
    lines = [f"{name} ({split}, {scores[0].queries if scores else 0} queries)",
             f"  {'mode':<10} {'nDCG@10':>8} {'R@100':>8} {'MRR@10':>8}"]
    for s in scores:
        lines.append(f"  {s.mode:<10} {s.ndcg_at_10:>8.4f} {s.recall_at_100:>8.4f} "
                     f"{s.mrr_at_10:>8.4f}")
    return "\n".join(lines)
