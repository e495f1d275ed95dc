"""The documents' words with a vector each, and a question's words that the documents never
use read as the nearest of theirs.

A question put in other words than its answer ("How many cops work on it full time?" for
"About fifteen officers are assigned full time ...") finds nothing by its own words: the
keyword search and the words a sentence shares with the question (``quoting.lexical_coverage``)
count "cops" as absent everywhere, while the model puts it next to "police" and "officers".
So each word of the documents is embedded once, alone, when the index is built
(``index.builder``), and a question's word that no document uses is read as its nearest words
of the documents (``near_words``), when they are near enough: added to the keyword search,
and, in the words part of a sentence's evidence, counted as held at their cosine.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

import numpy as np

from .keyword import stopwords, tokenize

# A word as read here: three letters or more, letters only (figures, codes and the parts of
# names like "x^3" have no neighbours worth reading).
_WORD = re.compile(r"(?<![\w'-])[^\W\d_]{3,}(?![\w])")


def document_words(texts: Iterable[str]) -> list[str]:
    """One written form of each stemmed word of ``texts`` (the form written most often; the
    first of those in alphabetical order on a tie), sorted; stop words and names left out. A
    word written most often with a capital is taken for a name: a question's word read as a
    name of the documents ("state" as "Slovenia") would ask about what they name instead."""
    forms: dict[str, Counter] = {}
    for text in texts:
        for m in _WORD.finditer(text):
            w = m.group()
            if w.lower() in stopwords():
                continue
            stem = tokenize(w.lower())
            if stem:
                forms.setdefault(stem[0], Counter())[w] += 1
    chosen = (min(c, key=lambda w: (-c[w], w)) for c in forms.values())
    return sorted(w for w in chosen if w.islower())


def normalised(v: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (a row of zeros stays so)."""
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(n > 0, n, 1.0)


@dataclass(frozen=True)
class WordVectors:
    """The documents' words (``document_words``) and their vectors, row by row."""

    words: tuple[str, ...]
    vectors: np.ndarray  # (len(words), dimension) float16, L2-normalised, as stored
    stems: tuple[str, ...] = field(init=False, repr=False)
    # ``vectors`` in float32, made once: converting 13,120 words (SciFact) at every question
    # took 9.7 ms, the product with a float32 copy 0.4 ms.
    matrix: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if len(self.words) != len(self.vectors):
            raise ValueError("WordVectors: as many vectors as words are needed")
        object.__setattr__(self, "stems", tuple(
            (tokenize(w) or [w])[0] for w in self.words))
        object.__setattr__(self, "matrix", np.asarray(self.vectors, dtype=np.float32))

    def by_word(self) -> dict[str, np.ndarray]:
        return dict(zip(self.words, self.vectors))

    def nearest(self, vector: np.ndarray, count: int, min_cosine: float
                ) -> tuple[tuple[str, float], ...]:
        """The stems of the ``count`` words nearest ``vector`` (normalised) at ``min_cosine``
        or nearer, nearest first, with their cosines."""
        if not len(self.words) or count <= 0:
            return ()
        cos = self.matrix @ np.asarray(vector, dtype=np.float32)
        top = np.argpartition(-cos, count - 1)[:count] if count < len(cos) \
            else np.arange(len(cos))
        top = top[np.lexsort((top, -cos[top]))]  # nearest first; on a tie, the first word
        return tuple((self.stems[i], float(cos[i])) for i in top if cos[i] >= min_cosine)


# English function words the keyword index's short stop list keeps (pronouns, prepositions,
# conjunctions, auxiliaries, adverbs of time and degree), and nouns as general ("people",
# "things", "way": on a labour inspectorate's report "people" was read as "workers" and
# "human"). They name no topic, and their
# nearest words are others of their kind: "before" read as "previous" had pulled a question
# about drafting strategies to the sentence on a previous project, and "How are you today?",
# with "today" read as "day", got the "90 day reflection period" instead of a refusal.
FUNCTION_WORDS = frozenset("""
    he him his she her hers herself himself itself they them themselves theirs yourself
    yours ours ourselves one ones someone somebody something anyone anybody anything everyone
    everybody everything nobody nothing none other others another each every either neither
    both few several such same own those these this that there here
    above across after against along among around before behind below beneath beside besides
    between beyond despite down during except inside near off onto out outside over past per
    since through throughout till toward towards under underneath unlike until up upon via
    versus within without
    although because else however though unless whereas whether while yet
    again already also always anyway ever never often once perhaps quite rather really
    sometimes soon still then thus too usually very
    now nowadays currently today tonight tomorrow yesterday
    shall will would could should might must may can cannot did does doing done had has
    having get gets got getting let lets
    long far old big large many much more most less least
    people person persons thing things stuff lot lots kind kinds sort sorts way ways
    """.split())
# After "how" a word asks for a kind of answer ("how long", "how big"), not about a topic.
_AFTER_HOW = re.compile(r"\bhow\s+([^\W\d_]+)", re.IGNORECASE)


def unseen_words(question: str, seen: Callable[[str], bool],
                 skip: Collection[str] = ()) -> list[tuple[str, str, int, int]]:
    """(word, stem, start, end) of each content word of ``question`` written in lower case (or opening it
    with a capital) whose stem ``seen`` says no document uses, but those in ``skip`` (words
    that name nothing asked: "many" is no "one"). A word typed with a capital elsewhere is
    taken for a name and read as typed: "Croatia" is not "Slovenia"."""
    out, taken = [], set()
    asks_kind = {m.start(1) for m in _AFTER_HOW.finditer(question)}
    for i, m in enumerate(_WORD.finditer(question)):
        w = m.group()
        if i == 0 and w[:1].isupper() and w[1:].islower():
            w = w.lower()
        if not w.islower() or w in stopwords() or w in FUNCTION_WORDS or w in skip \
                or m.start() in asks_kind:
            continue
        stem = tokenize(w)
        if stem and stem[0] not in taken and not seen(stem[0]):
            taken.add(stem[0])
            out.append((w, stem[0], m.start(), m.end()))
    return out
