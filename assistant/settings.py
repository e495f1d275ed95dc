"""Every tuned setting of answering, in frozen values a caller can replace.

``AnswerSettings`` is what ``Assistant(index, settings=...)`` and ``answer(...,
settings=...)`` take: how the two rankings are fused (``Fusion``), how a sentence's evidence
adds up to its score (``Weights``), when to abstain (``Abstention``) and how quotes are grown
and chosen (``QuoteRules``). The defaults are the measured ones; the README ("Figures") says
how each was chosen. Invalid values are refused when the object is made, with a message that
names the field.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields


def _check_share(obj, *names: str) -> None:
    for name in names:
        v = getattr(obj, name)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) \
                or not 0.0 <= v <= 1.0:
            raise ValueError(f"{type(obj).__name__}.{name} must be a number from 0 to 1 "
                             f"(got {v!r})")


def _check_weight(obj, *names: str) -> None:
    for name in names:
        v = getattr(obj, name)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) \
                or v < 0:
            raise ValueError(f"{type(obj).__name__}.{name} must be a number >= 0 (got {v!r})")


def _check_count(obj, name: str, lo: int = 1) -> None:
    v = getattr(obj, name)
    if isinstance(v, bool) or not isinstance(v, int) or v < lo:
        raise ValueError(f"{type(obj).__name__}.{name} must be a whole number >= {lo} "
                         f"(got {v!r})")


@dataclass(frozen=True)
class Fusion:
    """How the dense (meaning) and keyword (BM25) rankings become one.

    The fused score of a passage is ``dense_weight * cosine + (1 - dense_weight) * keyword``,
    where the keyword side takes ``doc_share`` from the BM25 of the passage's whole document.
    With stored sentence vectors, the dense side takes ``sentence_share`` from the best
    sentence of the passage's document. ``candidates`` passages per side are fused.
    """

    dense_weight: float = 0.65
    dense_weight_with_sentences: float = 0.7
    doc_share: float = 0.5
    sentence_share: float = 0.2
    candidates: int = 100
    method: str = "convex"  # or "rrf" (reciprocal-rank fusion, kept for comparison)
    rrf_k: int = 60

    def __post_init__(self):
        _check_share(self, "dense_weight", "dense_weight_with_sentences", "doc_share",
                     "sentence_share")
        _check_count(self, "candidates")
        _check_count(self, "rrf_k")
        if self.method not in ("convex", "rrf"):
            raise ValueError(f"Fusion.method must be 'convex' or 'rrf' (got {self.method!r})")

    def dense_weight_for(self, sentences: bool) -> float:
        """The dense side's weight on an index with (or without) sentence vectors."""
        return self.dense_weight_with_sentences if sentences else self.dense_weight


@dataclass(frozen=True)
class Weights:
    """How a sentence's evidence adds up to its score: a weighted mean of the parts."""

    # Chosen by benchmarks/weights.py on the evaluation set's fitting part and SQuAD's fitting
    # articles, at the former quote length (README, "Figures").
    meaning: float = 0.7  # cosine of the question and the sentence, read in its passage
    match: float = 0.15  # word-by-word match of the question in the sentence
    passage_match: float = 1.2  # the same over the sentence's whole passage
    lexical: float = 0.2  # IDF share of the question's words that the sentence contains
    passage: float = 0.1  # the passage's retrieval score, relative to the best passage's
    # A neighbouring sentence joins the quote when its own evidence (``own_score``) is at least
    # this share of the quoted sentence's.
    neighbour_share: float = 0.95
    # What a word of the conversation (a follow-up's context) weighs in the match and words
    # parts, against 1 for a word of the question: enough to keep the subject, little enough
    # that the quote moves on from the last answer ("Can they get papers to stay as well?"
    # after the reflection period). Chosen on the fitting part (0.5, 0.35, 0.25 tried; 0.35
    # and 0.25 equal, the nearer to the former 0.5 kept; README, "Figures").
    context: float = 0.35

    def __post_init__(self):
        _check_weight(self, "meaning", "match", "passage_match", "lexical", "passage")
        _check_share(self, "neighbour_share", "context")

    def score(self, e) -> float:
        total = self.meaning + self.match + self.passage_match + self.lexical + self.passage
        return (self.meaning * e.meaning + self.match * e.match
                + self.passage_match * e.passage_match + self.lexical * e.lexical
                + self.passage * e.passage) / (total or 1.0)

    def own_score(self, e) -> float:
        """The score from the sentence's own evidence, without the parts it shares with every
        sentence of its passage: what decides whether a neighbour joins a quote."""
        total = self.meaning + self.match + self.lexical
        return (self.meaning * e.meaning + self.match * e.match
                + self.lexical * e.lexical) / (total or 1.0)


# Thresholds of the hand-weighted confidence (README, "Abstention"). Abstain below the first,
# chosen on the fitting part of the evaluation set (benchmarks/questions): at 0.28 it abstains
# on 7.7% of the answerable questions there against 26% at the former 0.36. Between the two,
# quotes are shown as tentative: what used to be refused is now shown, labelled, and every
# answer that was confident stays confident.
WEIGHTED_ABSTAIN_BELOW = 0.28
WEIGHTED_TENTATIVE_BELOW = 0.36
UNLIKELY_BELOW = 0.56
UNRELATED_BELOW = 0.1574


@dataclass(frozen=True)
class Abstention:
    """When the documents are taken not to answer, and when an answer is only tentative.

    With ``fitted=True`` and the fitted models (``confidence.json``), the confidence is the
    probability that the top quote answers, and the coverage the probability that the
    documents answer at all: a coverage below ``threshold`` abstains; a confidence below
    ``tentative_below`` shows the quotes as possibly not answering. None takes the thresholds
    chosen with the models. By default (``fitted=False``), the hand-weighted sum of the best
    candidate's meaning, its passage's dense score and its words decides, with the thresholds
    below (README, "Abstention"); the answer model's probability is still the answer's
    confidence, and below ``unlikely_below`` it shows the quotes as possibly not answering
    too. Without a model file, the weighted sum is the confidence as well.
    """

    threshold: float | None = None
    tentative_below: float | None = None
    fitted: bool = False
    # Abstain below this quantile of the coverage that questions unrelated to the documents
    # (everyday and general-knowledge ones) get on the index (``assistant.unrelated``), when
    # that is lower than the fixed threshold: a narrow collection gives unrelated questions little evidence, so a lower bar
    # there keeps paraphrased real questions. None: the fixed threshold only. Chosen on the
    # fitting part of the evaluation set (README, "Abstention").
    unrelated_quantile: float | None = 0.95
    # A question naming a figure or a name that the top quote's document never contains
    # ("in 2015", "in Croatia"), asking how many or how much of a quote with no figure, or when
    # something happened of a quote with no date, or for a time of day or a penalty of a quote
    # with none, about "today" of a quote that does not speak of it, or for a comparison of a
    # quote that makes none, is answered only tentatively (checks.missing_specifics,
    # lacks_asked_number, lacks_asked_time, lacks_clock_time, lacks_asked_moment,
    # lacks_asked_comparison, lacks_asked_order, lacks_asked_penalty, lacks_cited_unit).
    require_specifics: bool = True
    # With the weighted confidence, an answer is also shown as tentative when the shipped answer
    # model (``confidence.json``: a logistic regression fitted on the fitting part of the
    # evaluation set) gives its top quote a probability of answering below this; None: never.
    # That probability is then ``Answer.confidence``. Chosen on the fitting part: the lowest bar
    # within two of the fewest labelling errors, confident but wrong counted twice plus right
    # but tentative (README, "Abstention and tentative answers").
    unlikely_below: float | None = UNLIKELY_BELOW
    # With the weighted confidence, a question read by itself (not with the conversation, not
    # pointing back, with at least two words of its own, none of them of the collection's
    # subject, none misspelt) abstains when the shipped coverage
    # model (``confidence.json``: the probability that the documents answer the question at
    # all, fitted on the answerable and the off-topic questions of the fitting part) gives it
    # less than this; None: never. It catches questions that share a word with the documents
    # and nothing else ("What are good restaurants in Sofia?" of a page naming Sofia), which
    # the weighted bar lets through as tentative. Chosen on the fitting part: the highest bar
    # at which none of its answerable questions newly abstains (README, "Abstention").
    unrelated_below: float | None = UNRELATED_BELOW
    # A top quote whose meaning is this far from the question's (the cosine of their vectors
    # below this) is shown as tentative, however many of its words it shares: "what time is
    # it" had been answered confidently with "... assigned full time ..." (meaning 0.11) on
    # its shared word alone. None: no floor. Set well below the fitting part's confident
    # answers (lowest 0.37) and right answers shown at all (lowest 0.28), so it changes none
    # of them; for the default model (other models' cosines lie elsewhere).
    meaning_floor: float | None = 0.25
    meaning: float = 0.45
    passage_dense: float = 0.25
    lexical: float = 0.30

    def __post_init__(self):
        for name in ("threshold", "tentative_below", "meaning", "passage_dense", "lexical"):
            v = getattr(self, name)
            if v is None and name in ("threshold", "tentative_below"):
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise ValueError(f"Abstention.{name} must be a number (got {v!r})")
        if self.unrelated_quantile is not None:
            _check_share(self, "unrelated_quantile")
        if self.unlikely_below is not None:
            _check_share(self, "unlikely_below")
        if self.unrelated_below is not None:
            _check_share(self, "unrelated_below")
        if self.meaning_floor is not None:
            _check_share(self, "meaning_floor")
        for name in ("fitted", "require_specifics"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"Abstention.{name} must be True or False")

    def model(self):
        """The fitted confidence model in use, or None for the hand-weighted confidence."""
        if not self.fitted:
            return None
        from .confidence import default_model

        return default_model()

    def answer_model(self):
        """The shipped model of whether the top quote answers (``confidence.json``), or None
        without one. Its probability is ``Answer.confidence`` in either mode."""
        from .confidence import default_model

        model = default_model()
        return model.answers if model is not None else None

    def coverage_model(self):
        """The shipped model of whether the documents answer the question at all
        (``confidence.json``), or None without one: the fitted mode's abstention, and the
        default mode's ``unrelated_below``."""
        from .confidence import default_model

        model = default_model()
        return model.covers if model is not None else None

    @property
    def adapts(self) -> bool:
        """Whether the abstention threshold depends on the index (``unrelated_quantile``)."""
        return self.threshold is None and self.unrelated_quantile is not None

    def thresholds(self, unrelated: Sequence[float] | None = None) -> tuple[float, float]:
        """(abstain below, tentative below): the first on the coverage, the second on the
        confidence (the same number without a fitted model). ``unrelated``: the coverage of
        the unrelated questions on this index, which may lower the first (``adapts``)."""
        model = self.model()
        if model is None:
            t = WEIGHTED_ABSTAIN_BELOW if self.threshold is None else self.threshold
            tent = WEIGHTED_TENTATIVE_BELOW if self.tentative_below is None \
                else self.tentative_below
            tent = max(t, tent)
        else:
            t = model.abstain_below if self.threshold is None else self.threshold
            tent = model.tentative_below if self.tentative_below is None \
                else self.tentative_below
        if self.adapts and unrelated:
            import numpy as np

            t = min(t, float(np.quantile(np.asarray(unrelated, dtype=np.float64),
                                         self.unrelated_quantile)))
        return t, tent

    def weighted(self, evidence, passage_dense: float) -> float:
        """The hand-weighted confidence (without a fitted model)."""
        return (self.meaning * evidence.meaning + self.passage_dense * passage_dense
                + self.lexical * evidence.lexical)


@dataclass(frozen=True)
class QuoteRules:
    """How candidates become quotes."""

    max_sentences: int = 3  # a quote is one to this many consecutive sentences
    relative_floor: float = 0.75  # further quotes score at least this share of the best
    dangling_penalty: float = 0.6  # a paragraph's last sentence ending in ":" (its list is gone)
    # A next sentence that refers back ("He ...", "It ...") joins the quote when it scores at
    # least this share of the quote's sentence (0: never). Chosen on the evaluation set's
    # fitting part (README, "Figures").
    follow_on_share: float = 0.7
    # A neighbour joins the quote when it holds what the question asks and the quote does not:
    # the question's word-piece match of both together is higher by at least this much (a
    # share of the question; 0: never), and the quote stays within ``cover_max_chars``.
    # Chosen on the evaluation set's fitting part (README, "Figures").
    cover_gain: float = 0.02
    cover_max_chars: int = 500
    # A question about what came after (before) something takes in the sentence after (before)
    # the one that names it, within ``max_sentences`` and ``cover_max_chars``
    # (``quoting.asks_sequel``; False: never). Chosen on the fitting part (README, "How
    # answers are made").
    sequel: bool = True
    # Besides the best passages, quotes are taken from the passages holding this many of the
    # sentences closest to the question (stored sentence vectors; 0: none): the sentence that
    # answers in other words often sits in a passage that ranks low as a whole. Chosen on the
    # evaluation set's fitting part (README, "Figures").
    sentence_passages: int = 5
    # Only for sentences at most this far (cosine) below the best sentence the best passages
    # hold (None: any of the closest): fewer passages to read, as many answers found.
    # Chosen on the fitting part (README, "Figures").
    sentence_margin: float | None = 0.02
    # A name the question gives a document by (a word of its title or file name, written
    # capitalised: "the MPL", "Slovenia"; a file name's word that is no English word however
    # typed: "the gpl") counts as held by every sentence of that document,
    # so a sentence merely repeating the name ("This Source Code Form is subject to the terms
    # of the Mozilla Public License") gains nothing over the one that answers
    # (``quoting.document_names``; False: names count only where written).
    names_implied: bool = True
    # An abbreviation in the question that the documents mostly spell out ("THB": "Trafficking
    # in Human Beings") is searched as they spell it (``Answerer.glossed``; False: as typed).
    glosses: bool = True
    # A question naming one document by its file name's own word or the place it is about
    # ("Under the MPL, ...", "in Norvania") is answered from that document only
    # (``Answerer.named_document``; False: from any).
    named_document: bool = True

    def __post_init__(self):
        _check_count(self, "max_sentences")
        _check_count(self, "cover_max_chars")
        _check_count(self, "sentence_passages", lo=0)
        if self.sentence_margin is not None:
            _check_share(self, "sentence_margin")
        _check_share(self, "relative_floor", "dangling_penalty", "follow_on_share",
                     "cover_gain")
        for name in ("sequel", "names_implied", "glosses", "named_document"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"QuoteRules.{name} must be True or False")


@dataclass(frozen=True)
class NearWords:
    """How a question's word that the documents never use is read (``nearwords``): as up to
    ``count`` of their words whose vectors are at ``min_cosine`` of its or nearer, in the
    keyword search and in the words a sentence shares with the question. ``count=0`` reads
    every question by its own words only. Chosen on the evaluation set's fitting part: in a
    prototype, every cosine from 0.5 to 0.65 with one to three words gained at hit@1 and
    hit@3; the middle of that range is kept (README, "How answers are made")."""

    count: int = 2
    min_cosine: float = 0.6

    def __post_init__(self):
        _check_count(self, "count", lo=0)
        _check_share(self, "min_cosine")


@dataclass(frozen=True)
class AnswerSettings:
    """All settings of answering; ``AnswerSettings()`` is the measured default."""

    fusion: Fusion = field(default_factory=Fusion)
    weights: Weights = field(default_factory=Weights)
    abstention: Abstention = field(default_factory=Abstention)
    quotes: QuoteRules = field(default_factory=QuoteRules)
    near_words: NearWords = field(default_factory=NearWords)

    def __post_init__(self):
        for f in fields(self):
            want = f.default_factory  # type: ignore[misc]
            if not isinstance(getattr(self, f.name), want):
                raise ValueError(f"AnswerSettings.{f.name} must be an {want.__name__}"
                                 if want.__name__[0] in "AEIOU" else
                                 f"AnswerSettings.{f.name} must be a {want.__name__}")


DEFAULT = AnswerSettings()
