"""Evaluate answers and retrieval (``python -m assistant.evaluation``; ``python -m
assistant.eval`` is the same command).

    python -m assistant.evaluation FILE.jsonl [FILE ...] [--index index]   question files
    python -m assistant.evaluation --beir DATASET_DIR [--split test]        BEIR retrieval
    python -m assistant.evaluation --squad dev-v2.0.json                    SQuAD quotes

Question files: see ``questions``.

``--beir`` and ``--squad`` index the dataset into a work folder (``--work``, by default under
the user cache) once; later runs reuse that index.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .questions import Metrics, evaluate, format_metrics, read_questions
from ..wording import count


def main(argv: list[str] | None = None) -> int:
    from ..cli import add_backend_argument, add_mode, add_paths

    parser = argparse.ArgumentParser(prog="python -m assistant.evaluation",
                                     description="Evaluate answers (question files) or retrieval "
                                                 "(BEIR, SQuAD).")
    parser.add_argument("files", nargs="*", help="question files (.jsonl)")
    add_paths(parser, corpus_help="corpus to build from when the index is missing or stale")
    add_mode(parser)
    parser.add_argument("-v", "--verbose", action="store_true", help="print each question")
    parser.add_argument("--beir", metavar="DIR", help="a BEIR dataset folder (corpus.jsonl, "
                        "queries.jsonl, qrels/)")
    parser.add_argument("--squad", metavar="FILE", help="a SQuAD v2 JSON file")
    parser.add_argument("--set", metavar="DIR", dest="qset",
                        help="an evaluation set folder (corpora.json and question files), e.g. "
                             "benchmarks/questions")
    parser.add_argument("--part", choices=("held-out", "fit", "all"), default="held-out",
                        help="which part of the set to ask (default: held-out)")
    parser.add_argument("--split", default="test", help="BEIR qrels split (default: test)")
    parser.add_argument("--limit", type=int, default=None,
                        help="use only the first N queries / questions (sorted by id)")
    add_backend_argument(parser, "embedding backend for the dataset index (--beir / --squad)")
    parser.add_argument("--sentence-vectors", action=argparse.BooleanOptionalAction,
                        default=True,
                        help="build the dataset index with sentence vectors, as a new index "
                             "has by default (--no-sentence-vectors: without)")
    parser.add_argument("--work", default=None,
                        help="folder for the dataset's corpus copy and index "
                             "(default: a folder per dataset and backend in the user cache)")
    args = parser.parse_args(argv)
    chosen = [bool(args.files), bool(args.beir), bool(args.squad), bool(args.qset)]
    if sum(chosen) != 1:
        parser.error("give question files, or --beir DIR, --squad FILE or --set DIR "
                     "(one of them)")

    from ..embedding import ModelError
    from ..index import BuildError, IndexLoadError

    try:
        if args.beir:
            return _run_beir(args)
        if args.squad:
            return _run_squad(args)
        if args.qset:
            return _run_set(args)
        return _run_files(args)
    except (BuildError, IndexLoadError, ModelError, ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


def _work_dir(args, name: str) -> Path:
    from .workdir import work_dir

    return Path(args.work) if args.work else work_dir(name, args.backend)


def _build(corpus: Path, index: Path, backend: str | None, sentences: bool = True):
    import time

    from ..api import Assistant, build_index
    from ..nearwords import ensure_common_words

    t = time.perf_counter()
    report = build_index(corpus, index, progress=sys.stderr.isatty(), backend=backend,
                         sentence_vectors=sentences)
    if report.embedded:
        print(f"indexed {count(report.documents, 'document')}, {count(report.passages, 'passage')} "
              f"({report.backend}) in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    assistant = Assistant.load(index)
    # (an index built before them has none: the answers are the same, only slower)
    ensure_common_words(assistant.answerer.embedder, progress=sys.stderr.isatty())
    return assistant


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


def _run_set(args) -> int:
    from . import sets

    corpora, questions = sets.load_set(args.qset)
    if args.part != "all":
        questions = [q for q in questions if q.split == args.part]
    if args.limit:
        questions = questions[: args.limit]
    assistants = {}
    for name in sorted({q.corpus for q in questions}):
        # one folder per corpus, also under --work: each corpus has its own index
        work = Path(args.work) / name if args.work else _work_dir(args, f"set-{name}")
        folder = sets.corpus_folder(corpora[name], work)
        assistants[name] = _build(folder, work / "index", args.backend, args.sentence_vectors)
    outcomes = sets.run_set(questions, assistants, mode=args.mode)
    if args.verbose:
        for o in outcomes:
            q = o.question
            ok = o.rank == 1 if q.answerable else o.outcome == "abstain"
            print(f"  {'ok ' if ok else 'MISS'} {q.id:<10} {q.cls:<18} {o.outcome:<9} "
                  f"{o.confidence:.2f}  {q.q[:70]}  ->  {o.top_quote[:80]!r}")
    print(sets.format_report(outcomes, f"{args.qset} ({args.part}, {len(outcomes)} questions)"))
    return 0


def _run_files(args) -> int:
    from ..api import Assistant, ensure_index
    from ..cli import corpus_to_update

    ensure_index(corpus_to_update(args), args.index)
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


if __name__ == "__main__":  # python -m assistant.evaluation
    sys.exit(main())
