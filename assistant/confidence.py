"""How sure an answer is: two logistic regressions over the evidence of the best quote, fitted
on the fitting part of the evaluation set (``benchmarks/calibrate.py``), stored as JSON beside
this file with their provenance.

- ``answers``: the probability that the top quote answers the question. It is
  ``Answer.confidence``; below one threshold the quotes are shown as tentative.
- ``covers``: the probability that the documents answer the question at all (whichever quote
  comes first). Below the other threshold the answer abstains. A separate model because a
  question the documents answer, whose best quote is not the right one, must not be refused.

The features survive paraphrase (meaning and the word-piece match carry most of the weight),
and include checks that a near-topic question fails: specifics it names (a year, a number, a
name) that the quoted document never mentions, and a "how many" question whose quote holds no
number.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .keyword import tokenize

MODEL_FILE = Path(__file__).with_name("confidence.json")

FEATURES = ("meaning", "match", "passage_match", "lexical", "passage_dense", "fused",
            "score", "margin", "unseen", "specifics_missing", "number_missing", "terms")
# The coverage model leaves out the near-topic checks: they say a quote is not the answer, not
# that the documents are about something else.
COVER_FEATURES = ("meaning", "match", "passage_match", "lexical", "passage_dense", "fused",
                  "score", "margin", "unseen", "terms")

_SPECIFIC = re.compile(r"\b(\d[\d.,/-]*|[A-Z][\w-]*[A-Z0-9][\w-]*|[A-Z][a-z]+)\b")
_COUNT_QUESTION = re.compile(r"\b(how (many|much|long|old)|what (year|percentage|number)|"
                             r"which year|when)\b", re.I)
_HAS_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                         r"twelve|fifteen|twenty|thirty|hundred|thousand|million|first|"
                         r"second|third)\b", re.I)


def specifics(question: str) -> list[str]:
    """Numbers and names in a question (not its first word, which is capitalised anyway)."""
    words = list(_SPECIFIC.finditer(question))
    return [m.group(0) for m in words if m.start() > 0 and tokenize(m.group(0))]


def features(best, second, passage_dense: float, fused: float, asked: str,
             unseen_share: float, holds: Callable[[str], bool], quote_text: str
             ) -> dict[str, float]:
    """The evidence of the best candidate as the model reads it. ``holds(word)``: whether the
    quote's document holds a word the question names (looked up, not scanned: a document may
    be long)."""
    spec = specifics(asked)
    missing = [s for s in spec if not holds(s)]
    return {
        "meaning": best.evidence.meaning, "match": best.evidence.match,
        "passage_match": best.evidence.passage_match,
        "lexical": best.evidence.written_lexical,
        "passage_dense": passage_dense, "fused": fused, "score": best.score,
        "margin": best.score - (second.score if second is not None else 0.0),
        "unseen": unseen_share,
        "specifics_missing": len(missing) / len(spec) if spec else 0.0,
        "number_missing": float(bool(_COUNT_QUESTION.search(asked))
                                and not _HAS_NUMBER.search(quote_text)),
        "terms": math.log1p(len(tokenize(asked))),
    }


@dataclass(frozen=True)
class ConfidenceModel:
    """A fitted logistic regression: p = sigmoid(intercept + coef . (x - mean) / scale)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    provenance: dict

    def probability(self, values: dict[str, float]) -> float:
        z = self.intercept + sum(c * (values[f] - m) / s for f, m, s, c in
                                 zip(self.features, self.mean, self.scale, self.coef))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def to_json(self) -> dict:
        return {"features": list(self.features), "mean": list(self.mean),
                "scale": list(self.scale), "coef": list(self.coef),
                "intercept": self.intercept, "provenance": self.provenance}

    @classmethod
    def from_json(cls, data: dict) -> "ConfidenceModel":
        n = len(data["features"])
        if not all(len(data[k]) == n for k in ("mean", "scale", "coef")) \
                or set(data["features"]) - set(FEATURES):
            raise ValueError("confidence model: features, mean, scale and coef must match "
                             f"and name known features ({', '.join(FEATURES)})")
        return cls(tuple(data["features"]), tuple(map(float, data["mean"])),
                   tuple(map(float, data["scale"])), tuple(map(float, data["coef"])),
                   float(data["intercept"]), dict(data.get("provenance") or {}))


@dataclass(frozen=True)
class Calibration:
    """The two models and the thresholds chosen with them."""

    answers: ConfidenceModel
    covers: ConfidenceModel
    abstain_below: float  # on ``covers``
    tentative_below: float  # on ``answers``
    provenance: dict

    def to_json(self) -> dict:
        return {"answers": self.answers.to_json(), "covers": self.covers.to_json(),
                "thresholds": {"abstain_below": self.abstain_below,
                               "tentative_below": self.tentative_below},
                "provenance": self.provenance}

    @classmethod
    def from_json(cls, data: dict) -> "Calibration":
        t = data["thresholds"]
        return cls(ConfidenceModel.from_json(data["answers"]),
                   ConfidenceModel.from_json(data["covers"]), float(t["abstain_below"]),
                   float(t["tentative_below"]), dict(data.get("provenance") or {}))


@lru_cache(maxsize=1)
def default_model() -> Calibration | None:
    """The shipped calibration, or None when there is none (then the hand-weighted confidence
    is used)."""
    try:
        return Calibration.from_json(json.loads(MODEL_FILE.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None


def fit(rows: Sequence[dict[str, float]], labels: Sequence[int], names: Sequence[str] = FEATURES,
        l2: float = 1.0, iterations: int = 50) -> tuple[tuple, tuple, tuple, float]:
    """L2-regularised logistic regression by Newton's method (IRLS) on standardised features:
    (mean, scale, coef, intercept). numpy only; deterministic."""
    import numpy as np

    x = np.array([[r[f] for f in names] for r in rows], dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    w = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[0] = 0.0  # the intercept is not shrunk
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -40, 40)))
        grad = z.T @ (p - y) + reg * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return tuple(mean), tuple(scale), tuple(w[1:]), float(w[0])
