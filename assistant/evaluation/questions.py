"""Question files: one JSON object a line with ``q``, optional ``history`` (earlier user
messages, oldest first) and ``any`` (substrings of the document, any one of which a correct
quote contains). A line without ``any`` is a question the documents do not answer: the
assistant must abstain."""
from __future__ import annotations

import json
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
