"""Evaluate answers and retrieval.

    python -m assistant.eval FILE.jsonl [FILE ...] [--index index]   question files
    python -m assistant.eval --beir DATASET_DIR [--split test]        BEIR retrieval metrics
    python -m assistant.eval --squad dev-v2.0.json                    SQuAD quote accuracy

A question file has one JSON object a line: ``q``, optional ``history`` (earlier user messages,
oldest first) and ``any`` (substrings of the document, any one of which a correct quote
contains). A line without ``any`` is a question the documents do not answer: the assistant must
abstain.

``--beir`` and ``--squad`` index the dataset into a work folder (``--work``, by default under
the user cache) once; later runs reuse that index.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Outcome:
    question: str
    expected_abstain: bool
    abstained: bool
    rank: int | None  # 1-based rank of the first quote containing an expected substring
    top_quote: str = ""


@dataclass
class Metrics:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def answerable(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.expected_abstain]

    def hit_at(self, k: int) -> float:
        a = self.answerable
        return sum(1 for o in a if o.rank is not None and o.rank <= k) / len(a) if a else float("nan")

    @property
    def mrr(self) -> float:
        a = self.answerable
        return sum(1 / o.rank for o in a if o.rank) / len(a) if a else float("nan")

    @property
    def abstention_accuracy(self) -> float:
        o = self.outcomes
        return sum(1 for x in o if x.abstained == x.expected_abstain) / len(o) if o else float("nan")

    @property
    def off_topic_abstained(self) -> tuple[int, int]:
        off = [o for o in self.outcomes if o.expected_abstain]
        return sum(1 for o in off if o.abstained), len(off)

    def as_dict(self) -> dict:
        done, total = self.off_topic_abstained
        return {"questions": len(self.outcomes), "answerable": len(self.answerable),
                "hit@1": self.hit_at(1), "hit@3": self.hit_at(3), "mrr": self.mrr,
                "abstention_accuracy": self.abstention_accuracy,
                "off_topic_abstained": f"{done}/{total}"}


def read_questions(path: str | Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path} line {n}: not valid JSON ({e.msg})") from None
            if not isinstance(row, dict) or not isinstance(row.get("q"), str):
                raise ValueError(f'{path} line {n}: needs a "q" string')
            rows.append(row)
    return rows


def evaluate(assistant, questions: list[dict], **answer_kwargs) -> Metrics:
    m = Metrics()
    for row in questions:
        reply = assistant.answer(row["q"], row.get("history") or [], **answer_kwargs)
        expected = row.get("any")
        rank = None
        if expected:
            for i, q in enumerate(reply.quotes, start=1):
                if any(s in q.text for s in expected):
                    rank = i
                    break
        m.outcomes.append(Outcome(row["q"], not expected, reply.abstained, rank,
                                  reply.quotes[0].text if reply.quotes else ""))
    return m


def format_metrics(name: str, m: Metrics) -> str:
    d = m.as_dict()
    parts = [f"{name}: {d['questions']} questions"]
    if d["answerable"]:
        parts.append(f"hit@1 {d['hit@1']:.1%}  hit@3 {d['hit@3']:.1%}  MRR {d['mrr']:.3f}")
    parts.append(f"abstention accuracy {d['abstention_accuracy']:.1%}"
                 f" (off-topic abstained {d['off_topic_abstained']})")
    return "  ".join(parts)


def main(argv: list[str] | None = None) -> int:
    from .cli import add_backend_argument

    parser = argparse.ArgumentParser(prog="python -m assistant.eval",
                                     description="Evaluate answers (question files) or retrieval "
                                                 "(BEIR, SQuAD).")
    parser.add_argument("files", nargs="*", help="question files (.jsonl)")
    parser.add_argument("--index", default="index")
    parser.add_argument("--corpus", default="corpus",
                        help="corpus to build from when the index is missing or stale")
    parser.add_argument("--mode", default="hybrid", choices=["hybrid", "semantic", "keyword"])
    parser.add_argument("-v", "--verbose", action="store_true", help="print each question")
    parser.add_argument("--beir", metavar="DIR", help="a BEIR dataset folder (corpus.jsonl, "
                        "queries.jsonl, qrels/)")
    parser.add_argument("--squad", metavar="FILE", help="a SQuAD v2 JSON file")
    parser.add_argument("--split", default="test", help="BEIR qrels split (default: test)")
    parser.add_argument("--limit", type=int, default=None,
                        help="use only the first N queries / questions (sorted by id)")
    add_backend_argument(parser, "embedding backend for the dataset index (--beir / --squad)")
    parser.add_argument("--sentence-vectors", action="store_true",
                        help="build the dataset index with sentence vectors too")
    parser.add_argument("--work", default=None,
                        help="folder for the dataset's corpus copy and index "
                             "(default: a folder per dataset and backend in the user cache)")
    args = parser.parse_args(argv)
    chosen = [bool(args.files), bool(args.beir), bool(args.squad)]
    if sum(chosen) != 1:
        parser.error("give question files, or --beir DIR, or --squad FILE (one of them)")

    from .embedding import ModelError
    from .index import BuildError, IndexLoadError

    try:
        if args.beir:
            return _run_beir(args)
        if args.squad:
            return _run_squad(args)
        return _run_files(args)
    except (BuildError, IndexLoadError, ModelError, ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


def _work_dir(args, name: str) -> Path:
    if args.work:
        return Path(args.work)
    from .embedding import DEFAULT_BACKEND
    from .onnx_export import cache_root

    return cache_root() / "eval" / f"{name}-{args.backend or DEFAULT_BACKEND}"


def _build(corpus: Path, index: Path, backend: str | None, sentences: bool = False):
    import time

    from .api import Assistant, build_index

    t = time.perf_counter()
    report = build_index(corpus, index, progress=sys.stderr.isatty(), backend=backend,
                         sentence_vectors=sentences)
    if report.embedded:
        print(f"indexed {report.documents} documents, {report.passages} passages "
              f"({report.backend}) in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return Assistant.load(index)


def _run_beir(args) -> int:
    from . import beir

    folder = Path(args.beir)
    queries, qrels = beir.load_split(folder, args.split)
    if args.limit:
        queries = {q: queries[q] for q in sorted(queries)[: args.limit]}
    work = _work_dir(args, folder.resolve().name)
    assistant = _build(beir.prepare_corpus(folder, work), work / "index", args.backend,
                       args.sentence_vectors)
    scores = beir.evaluate(assistant, queries, qrels)
    print(beir.format_scores(folder.name, args.split, scores)
          + f"\n  (model {assistant.index.model}, backend {assistant.index.backend}"
          + (", sentence vectors" if assistant.index.sentence_vectors is not None else "") + ")")
    return 0


def _run_squad(args) -> int:
    from . import squad

    work = _work_dir(args, "squad-" + Path(args.squad).stem)
    data = squad.load(args.squad)
    assistant = _build(squad.prepare_corpus(data, work), work / "index", args.backend,
                       args.sentence_vectors)
    report = squad.evaluate(assistant, data, limit=args.limit)
    print(squad.format_report(report)
          + f"\n  (model {assistant.index.model}, backend {assistant.index.backend}"
          + (", sentence vectors" if assistant.index.sentence_vectors is not None else "") + ")")
    return 0


def _run_files(args) -> int:
    from .api import Assistant, ensure_index

    ensure_index(args.corpus, args.index)
    assistant = Assistant.load(args.index)
    sets = [(f, read_questions(f)) for f in args.files]
    total = Metrics()
    for name, questions in sets:
        m = evaluate(assistant, questions, mode=args.mode)
        total.outcomes.extend(m.outcomes)
        if args.verbose:
            for o in m.outcomes:
                ok = o.abstained if o.expected_abstain else o.rank == 1
                print(f"  {'ok ' if ok else 'MISS'} {o.question}  ->  "
                      f"{'(abstained)' if o.abstained else o.top_quote[:100]}")
        print(format_metrics(name, m))
    if len(sets) > 1:
        print(format_metrics("all", total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
