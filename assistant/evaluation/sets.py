"""Evaluation sets: questions written the way users ask, over several corpora, split by
document into a part to fit on and a held-out part.

A set is a folder holding ``corpora.json`` (each corpus by name: ``{"folder": path}`` or
``{"squad": path to a SQuAD JSON file}``, paths relative to the folder) and ``*.jsonl``
question files, one object a line:

    id, corpus, doc (the split unit), split ("fit" | "held-out"),
    kind ("answerable" | "off-topic" | "near-topic"), class, q, history (optional),
    any (answerable: substrings, any one of which a correct quote contains)
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

KINDS = ("answerable", "off-topic", "near-topic")
SPLITS = ("fit", "held-out")


@dataclass(frozen=True)
class SetQuestion:
    id: str
    corpus: str
    doc: str
    split: str
    kind: str
    cls: str
    q: str
    history: tuple[str, ...] = ()
    any: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.kind == "answerable"


@dataclass(frozen=True)
class CorpusSpec:
    name: str
    folder: Path | None = None  # a corpus folder
    squad: Path | None = None  # or a SQuAD JSON file, indexed paragraph by paragraph


def load_set(folder: str | Path) -> tuple[dict[str, CorpusSpec], list[SetQuestion]]:
    """The corpora and questions of a set folder; ValueError naming the first bad line."""
    folder = Path(folder)
    try:
        raw = json.loads((folder / "corpora.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ValueError(f"{folder}/corpora.json: {e}") from None
    corpora = {}
    for name, spec in raw.items():
        corpora[name] = CorpusSpec(name, (folder / spec["folder"]).resolve() if "folder" in spec
                                   else None,
                                   (folder / spec["squad"]).resolve() if "squad" in spec else None)
    questions: list[SetQuestion] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                q = SetQuestion(r["id"], r["corpus"], r["doc"], r["split"], r["kind"],
                                r["class"], r["q"], tuple(r.get("history") or ()),
                                tuple(r.get("any") or ()))
            except (ValueError, KeyError, TypeError) as e:
                raise ValueError(f"{path} line {n}: {e}") from None
            if q.corpus not in corpora or q.split not in SPLITS or q.kind not in KINDS \
                    or q.id in seen or (q.answerable != bool(q.any)):
                raise ValueError(f"{path} line {n}: bad corpus, split, kind, id or answers")
            seen.add(q.id)
            questions.append(q)
    return corpora, questions


def corpus_folder(spec: CorpusSpec, work: Path) -> Path:
    """The folder to index for a corpus (a SQuAD file becomes one .jsonl under ``work``)."""
    if spec.folder is not None:
        return spec.folder
    from . import squad

    return squad.prepare_corpus(squad.load(spec.squad), work / spec.name)


def assistants_for(corpora: dict[str, CorpusSpec], backend: str | None = None,
                   settings=None) -> dict:
    """Each corpus of a set indexed in its work folder (built, or brought up to date) and
    loaded: what the benchmarks that tune on a set start from."""
    from ..api import Assistant, build_index
    from ..nearwords import ensure_common_words
    from .workdir import work_dir

    out = {}
    for name, spec in corpora.items():
        work = work_dir(f"set-{name}", backend)
        build_index(corpus_folder(spec, work), work / "index", backend=backend)
        out[name] = Assistant.load(work / "index", settings=settings)
        # (an index built before them has none: the answers are the same, only slower)
        ensure_common_words(out[name].answerer.embedder)
    return out


@dataclass
class SetOutcome:
    question: SetQuestion
    outcome: str  # "answer", "tentative" or "abstain"
    rank: int | None  # 1-based rank of the first quote holding an expected substring
    confidence: float
    top_quote: str = ""

    @property
    def shown(self) -> bool:
        """Quotes were shown (confidently or tentatively)."""
        return self.outcome != "abstain"


def judge(question: SetQuestion, reply) -> SetOutcome:
    rank = None
    for i, quote in enumerate(reply.quotes, start=1):
        if any(s in quote.text for s in question.any):
            rank = i
            break
    outcome = "abstain" if reply.abstained else \
        "tentative" if getattr(reply, "tentative", False) else "answer"
    return SetOutcome(question, outcome, rank, float(reply.confidence),
                      reply.quotes[0].text if reply.quotes else "")


def run_set(questions: Iterable[SetQuestion], assistants: dict, **answer_kwargs
            ) -> list[SetOutcome]:
    """Ask every question of its corpus's assistant."""
    out = []
    for q in questions:
        reply = assistants[q.corpus].answer(q.q, list(q.history), **answer_kwargs)
        out.append(judge(q, reply))
    return out


# --- figures ---------------------------------------------------------------------------------

@dataclass
class Tally:
    n: int = 0
    hit1: int = 0
    hit3: int = 0
    answered: int = 0  # confident answers
    tentative: int = 0
    abstained: int = 0

    def add(self, o: SetOutcome) -> None:
        self.n += 1
        self.hit1 += o.rank == 1
        self.hit3 += o.rank is not None and o.rank <= 3
        self.answered += o.outcome == "answer"
        self.tentative += o.outcome == "tentative"
        self.abstained += o.outcome == "abstain"


def tallies(outcomes: Sequence[SetOutcome], key) -> dict[str, Tally]:
    out: dict[str, Tally] = defaultdict(Tally)
    for o in outcomes:
        out[key(o)].add(o)
    return dict(sorted(out.items()))


def expected_calibration_error(outcomes: Sequence[SetOutcome], bins: int = 10
                               ) -> tuple[float, list[tuple[float, float, int]]]:
    """ECE of the confidence as the probability that the top quote answers (1 when an
    answerable question's top quote holds an expected substring, else 0); and per bin (mean
    confidence, share correct, count)."""
    per_bin: list[list[tuple[float, int]]] = [[] for _ in range(bins)]
    for o in outcomes:
        p = min(max(o.confidence, 0.0), 1.0)
        per_bin[min(int(p * bins), bins - 1)].append((p, int(o.rank == 1)))
    total = sum(len(b) for b in per_bin) or 1
    ece, table = 0.0, []
    for b in per_bin:
        if not b:
            continue
        conf = sum(p for p, _ in b) / len(b)
        acc = sum(y for _, y in b) / len(b)
        ece += len(b) / total * abs(conf - acc)
        table.append((conf, acc, len(b)))
    return ece, table


def _pct(a: int, n: int) -> str:
    return f"{a / n:6.1%}" if n else "     -"


def format_report(outcomes: Sequence[SetOutcome], title: str) -> str:
    """Answerable: hit@1, hit@3, tentative, abstained per class and per corpus; unanswerable:
    answered, tentative, abstained per kind and corpus; calibration."""
    lines = [title]
    answerable = [o for o in outcomes if o.question.answerable]
    others = [o for o in outcomes if not o.question.answerable]
    head = f"  {'':<34}{'n':>5} {'hit@1':>6} {'hit@3':>6} {'tent.':>6} {'abst.':>6}"

    def rows(groups: dict[str, Tally]) -> list[str]:
        return [f"  {name:<34}{t.n:>5} {_pct(t.hit1, t.n)} {_pct(t.hit3, t.n)} "
                f"{_pct(t.tentative, t.n)} {_pct(t.abstained, t.n)}" for name, t in groups.items()]

    if answerable:
        lines += ["answerable, by class", head]
        lines += rows(tallies(answerable, lambda o: o.question.cls))
        lines += ["answerable, by corpus", head]
        lines += rows(tallies(answerable, lambda o: o.question.corpus))
        lines += rows({"all answerable": tallies(answerable, lambda o: "x")["x"]})
    if others:
        lines += ["not answerable", f"  {'':<34}{'n':>5} {'answ.':>6} {'tent.':>6} {'abst.':>6}"]
        groups = tallies(others, lambda o: f"{o.question.kind} / {o.question.corpus}")
        groups.update(tallies(others, lambda o: f"{o.question.kind} / all"))
        lines += [f"  {name:<34}{t.n:>5} {_pct(t.answered, t.n)} {_pct(t.tentative, t.n)} "
                  f"{_pct(t.abstained, t.n)}" for name, t in sorted(groups.items())]
    ece, _ = expected_calibration_error(outcomes)
    lines.append(f"calibration: expected calibration error {ece:.3f} over {len(outcomes)} "
                 "questions (10 bins; confidence = probability that the top quote answers)")
    return "\n".join(lines)
