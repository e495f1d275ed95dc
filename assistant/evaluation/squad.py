"""Quote accuracy on SQuAD v2: does the top quote contain the answer?

Each paragraph is indexed as a document (title = article title). For every answerable question
the assistant's top quote (hit@1) and top three quotes (hit@3) are checked for an answer text,
beside two baselines that pick from the very same sentences: the best BM25 sentence and the
best dense sentence (same model, same backend). Unanswerable questions are on-topic by
construction, so how often the assistant abstains on them is reported, not targeted.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..keyword import KeywordIndex, tokenize
from ..loading import record_doc_id
from .workdir import corpus_with

CORPUS_FILE = "squad.jsonl"


@dataclass(frozen=True)
class SquadQuestion:
    qid: str
    question: str
    doc_id: str  # in the index: squad.jsonl#<article>-<paragraph>
    answers: tuple[str, ...]  # empty: unanswerable


@dataclass(frozen=True)
class SquadData:
    documents: tuple[tuple[str, str, str], ...]  # (record id, title, context)
    questions: tuple[SquadQuestion, ...]


@dataclass
class MethodScore:
    name: str
    hit1: int = 0
    hit3: int = 0
    chars: int = 0  # total length of the top quote, to compare like with like

    def row(self, n: int) -> str:
        return (f"  {self.name:<28} {self.hit1 / n:>8.1%} {self.hit3 / n:>8.1%} "
                f"{self.chars / n:>9.0f}")


@dataclass
class SquadReport:
    answerable: int
    unanswerable: int
    methods: list[MethodScore] = field(default_factory=list)
    abstained_answerable: int = 0
    abstained_unanswerable: int = 0
    sentences: int = 0


def load(path: str | Path) -> SquadData:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    docs, questions = [], []
    for a, article in enumerate(raw["data"]):
        title = article.get("title", "").replace("_", " ")
        for p, para in enumerate(article["paragraphs"]):
            record = f"{a:03d}-{p:03d}"  # article-paragraph
            doc_id = record_doc_id(CORPUS_FILE, record)
            docs.append((record, title, para["context"]))
            for qa in para["qas"]:
                answers = () if qa.get("is_impossible") else tuple(
                    dict.fromkeys(x["text"] for x in qa.get("answers", []) if x["text"].strip()))
                questions.append(SquadQuestion(qa["id"], qa["question"], doc_id, answers))
    return SquadData(tuple(docs), tuple(questions))


def prepare_corpus(data: SquadData, work: str | Path) -> Path:
    """A corpus folder under ``work`` holding the paragraphs as squad.jsonl."""
    body = "".join(json.dumps({"_id": d, "title": t, "text": c}, ensure_ascii=False) + "\n"
                   for d, t, c in data.documents).encode("utf-8")
    return corpus_with(work, CORPUS_FILE, body)


def _sentences(index) -> list[tuple[str, int, int]]:
    """Every distinct sentence span of the index, as the quoting step sees them."""
    seen: dict[tuple[str, int, int], None] = {}
    for p in index.passages:
        for a, b in p.sentences:
            seen.setdefault((p.doc_id, a, b))
    return list(seen)


def evaluate(assistant, data: SquadData, limit: int | None = None) -> SquadReport:
    index = assistant.index
    qs = [q for q in data.questions if q.doc_id in index.documents]
    answerable = [q for q in qs if q.answers]
    unanswerable = [q for q in qs if not q.answers]
    if limit:
        answerable, unanswerable = answerable[:limit], unanswerable[:limit]

    spans = _sentences(index)
    texts = [index.documents[d].text[a:b] for d, a, b in spans]
    kw = KeywordIndex.build(tokenize(t) for t in texts)
    svecs = assistant.embedder.encode(texts)
    qvecs = assistant.embedder.encode([q.question for q in answerable])

    ours = MethodScore("Verbatim answer() quotes")
    bm25 = MethodScore("best BM25 sentence")
    dense = MethodScore("best dense sentence")
    report = SquadReport(len(answerable), len(unanswerable), [ours, bm25, dense],
                         sentences=len(spans))

    def score(method: MethodScore, quotes: list[str], answers: tuple[str, ...]) -> None:
        hits = [any(a in t for a in answers) for t in quotes[:3]]
        method.hit1 += bool(hits[:1] and hits[0])
        method.hit3 += any(hits)
        method.chars += len(quotes[0]) if quotes else 0

    for q, qv in zip(answerable, qvecs):
        reply = assistant.answer(q.question, max_quotes=3)
        report.abstained_answerable += reply.abstained
        score(ours, [x.text for x in reply.quotes], q.answers)
        s = kw.scores(tokenize(q.question))
        top = np.argsort(-s, kind="stable")[:3]
        score(bm25, [texts[i] for i in top if s[i] > 0], q.answers)
        top = np.argsort(-(svecs @ qv), kind="stable")[:3]
        score(dense, [texts[i] for i in top], q.answers)
    for q in unanswerable:
        report.abstained_unanswerable += assistant.answer(q.question, max_quotes=3).abstained
    return report


def format_report(r: SquadReport) -> str:
    n = max(1, r.answerable)
    lines = [f"SQuAD: {r.answerable} answerable questions, {r.sentences} candidate sentences",
             f"  {'method':<28} {'hit@1':>8} {'hit@3':>8} {'chars@1':>9}"]
    lines += [m.row(n) for m in r.methods]
    lines.append(f"  answer() abstained on {r.abstained_answerable} answerable "
                 f"({r.abstained_answerable / n:.1%}), and on {r.abstained_unanswerable} of "
                 f"{r.unanswerable} unanswerable "
                 f"({r.abstained_unanswerable / max(1, r.unanswerable):.1%})")
    return "\n".join(lines)
