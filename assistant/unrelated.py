"""How well questions that have nothing to do with the documents score on them: the bar an
answer must clear, measured per index.

The evidence of an unrelated question depends on the collection. On one page about
trafficking, "how long do I boil an egg" finds nothing close (coverage about 0.05); on 646
encyclopedia paragraphs, a general-knowledge question often finds a paragraph near it (0.3 to
0.8). One fixed abstention threshold is therefore too high for a narrow collection, where it
refuses paraphrased real questions, and lower than a broad one would need. So every build asks a fixed
set of questions (``data/unrelated_questions.txt``: 80 everyday ones, 80 general-knowledge
ones; written by helpers that saw neither the documents nor any evaluation set) of the new
index and records how covered each one looked. The answer abstains below
``Abstention.unrelated_quantile`` of those scores (about one in twenty such questions gets past
it, tentatively) or below the fixed threshold, whichever is lower: the fixed threshold stays
the most an index may ask.

The scores depend on the answer settings and the query backend; an index whose recorded scores
were made with others (custom settings, an int8 index queried in fp32) has them measured in
memory on first use (``scores``), once per index build and settings.
"""
from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

QUESTIONS_FILE = Path(__file__).with_name("data") / "unrelated_questions.txt"
MANIFEST_KEY = "unrelated"


@lru_cache(maxsize=1)
def questions() -> tuple[str, ...]:
    lines = QUESTIONS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(q.strip() for q in lines if q.strip())


def fingerprint(settings, backend: str) -> str:
    """What the scores depend on: the questions, every setting that changes a question's
    coverage (not the thresholds), and the backend that encodes the questions."""
    a = settings.abstention
    parts = (questions(), settings.fusion, settings.weights, settings.quotes,
             settings.near_words, a.fitted, a.meaning, a.passage_dense, a.lexical, backend)
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


def measure(answerer) -> list[float]:
    """Each unrelated question's coverage (``Answerer.coverage``) on the answerer's index,
    sorted."""
    return sorted(round(float(answerer.coverage(q)), 6) for q in questions())


# Scores measured for other settings, by (index build, fingerprint): ``answer(...,
# settings=...)`` makes a new answerer for every call, which must not measure them again.
_MEASURED: OrderedDict[tuple[str, str], list[float]] = OrderedDict()
_MEASURED_MAX = 16
_LOCK = threading.Lock()


# Above this many passages the fixed bar is kept and nothing is measured: there 160 questions
# cost what 160 answers cost (37 s and 2 GB more at the peak of a build of 308,507 passages
# in 201 long documents, whose every sentence a question's candidates bring in), and a
# collection that large is rarely narrow.
MAX_PASSAGES = 100_000


def measurable(index) -> bool:
    return len(index.passages) <= MAX_PASSAGES


def scores(answerer) -> list[float]:
    """The unrelated questions' coverage for an answerer: as its index's build recorded them
    when made with the same settings and backend, else measured once per index build; none
    (the fixed bar) for an index over ``MAX_PASSAGES``."""
    if not measurable(answerer.index):
        return []
    key = fingerprint(answerer.settings, answerer.embedder.backend)
    found = recorded(answerer.index.manifest, key)
    if found is not None:
        return found
    cache_key = (answerer.index.build_id or f"unsaved-{id(answerer.index)}", key)
    with _LOCK:
        found = _MEASURED.get(cache_key)
    if found is None:
        found = measure(answerer)
        with _LOCK:
            _MEASURED[cache_key] = found
            while len(_MEASURED) > _MEASURED_MAX:
                _MEASURED.popitem(last=False)
    return found


def _entry(manifest: dict) -> dict:
    """The manifest's entry if it is well formed: a fingerprint, and either a reason it was
    skipped or one finite score in [-1, 1] per question (a hand-edited or damaged entry could
    otherwise crash every answer, or set the bar to nothing). Else an empty one: measured
    again, and rebuilt by the next build."""
    entry = manifest.get(MANIFEST_KEY)
    if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
        return {}
    if "skipped" in entry and "scores" not in entry:
        return entry
    scores = entry.get("scores")
    if isinstance(scores, list) and len(scores) == len(questions()) and all(
            type(x) in (int, float) and math.isfinite(x) and -1 <= x <= 1 for x in scores):
        return entry
    return {}


def current(manifest: dict) -> bool:
    """Whether an index's recorded entry is the one a build would record now: made with the
    default settings on the index's own backend (the one a build encodes with; an index
    queried on another backend measures its own when answering)."""
    return _entry(manifest).get("fingerprint") == _default_fingerprint(
        manifest.get("model", {}).get("backend", ""))


def _default_fingerprint(backend: str) -> str:
    from .settings import DEFAULT

    return fingerprint(DEFAULT, backend)


def recorded(manifest: dict, key: str) -> list[float] | None:
    """The scores a build recorded, if made with the same ``fingerprint``."""
    entry = _entry(manifest)
    if entry.get("fingerprint") != key or "scores" not in entry:
        return None
    return [float(x) for x in entry["scores"]]


class Recorder:
    """What a build records in the manifest (``index.build(..., annotate=Recorder(...))``):
    the scores with the default answer settings, encoded with the build's own model.
    ``make_answerer(index, embedder)`` gives the answerer over the new index."""

    key = MANIFEST_KEY

    def __init__(self, make_answerer: Callable[[object, object], object]):
        self.make_answerer = make_answerer

    def current(self, manifest: dict) -> bool:
        return current(manifest)

    def __call__(self, index, embedder) -> dict:
        answerer = self.make_answerer(index, embedder)
        backend = answerer.embedder.backend
        entry = {"fingerprint": _default_fingerprint(backend), "backend": backend,
                 "questions": len(questions())}
        if not measurable(index):
            return {**entry, "skipped": f"more than {MAX_PASSAGES} passages: the fixed bar"}
        return {**entry, "scores": measure(answerer)}
