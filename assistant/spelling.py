"""Whether a question's word looks like a misspelling of a word the documents use, and the
question with it put right.

A misspelled question ("how long is the refection period") finds its answer by the words it
gets right, but its evidence looks thin, like a question about something else. So it is
searched with its misspellings put right (``corrected``, through ``Answerer.as_searched``), and
the check keeps it from being refused as unrelated (``Answerer.unrelated``). One edit (a letter
added, dropped, changed, or two swapped: Damerau's four) separates a misspelling from the word
meant; an inflection is not one ("times" of "time", "funds" of "fund"), nor a word the
embedding model knows whole ("where" of "there"), nor, for putting right, a word of an English
word list ("germs" of "terms").
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

# A word as the check reads it: letters only, so figures and codes ("x^3", "CC0") are no words.
_WORD = re.compile(r"[^\W\d_]+")
MIN_LENGTH = 5  # shorter words are one edit from too many others ("live", "line")
_ALPHABET_MAX = 100  # beyond (a script of thousands of signs), the letters of a-z and the word


@dataclass(frozen=True)
class Vocabulary:
    """The distinct words of some texts, in lower case, and the letters they are written in."""

    words: frozenset[str]
    letters: str
    # Hyphenated words of the texts by the word they make written together ("kickoff" ->
    # "kick-off"): typed whole, such a word matched none of its parts, and "where was the
    # kickoff conf" was refused.
    compounds: dict[str, str] = field(default_factory=dict)
    ordered: tuple[str, ...] = ()  # ``words`` sorted: the words a typed start may stand for


# A hyphenated word of two or three parts, each of letters ("Kick-off", "follow-up").
_HYPHENATED = re.compile(r"(?<![\w-])[^\W\d_]+(?:-[^\W\d_]+){1,2}(?![\w-])")


def vocabulary(texts: Iterable[str]) -> Vocabulary:
    out: set[str] = set()
    compounds: dict[str, str] = {}
    for text in texts:
        out.update(m.group().lower() for m in _WORD.finditer(text))
        for m in _HYPHENATED.finditer(text):
            written = m.group().lower()
            compounds.setdefault(written.replace("-", ""), written)
    # A word the texts also write whole stays as they write it.
    return Vocabulary(frozenset(out), "".join(sorted({c for w in out for c in w})),
                      {k: v for k, v in compounds.items() if k not in out}, tuple(sorted(out)))


# A word cut short ("conf", "wher") is read as the one word of the documents it starts, when
# it is no word itself; cut any shorter, it starts too many.
MIN_CUT = 4
MAX_CUT = 6


def completed(word: str, vocab: Vocabulary) -> str | None:
    """The one word of the documents that ``word`` (lower case) starts and is shorter than by
    at least two letters ("conf" -> "conference"); None when none or several do."""
    if not MIN_CUT <= len(word) <= MAX_CUT or word in vocab.words or not vocab.ordered:
        return None
    # The words starting with it follow it in order: one is the word, two are too many.
    i = bisect.bisect_left(vocab.ordered, word)
    starting = [w for w in vocab.ordered[i:i + 2] if w.startswith(word)]
    return starting[0] if len(starting) == 1 and len(starting[0]) >= len(word) + 2 else None


def _one_edit(word: str, alphabet: Iterable[str]) -> Iterable[str]:
    """Every string one edit away from ``word`` (Damerau: insertion, deletion, substitution,
    transposition of neighbours), some more than once."""
    for i in range(len(word) + 1):
        a, b = word[:i], word[i:]
        if b:
            yield a + b[1:]  # deletion
            if len(b) > 1:
                yield a + b[1] + b[0] + b[2:]  # transposition
        for c in alphabet:
            yield a + c + b  # insertion
            if b:
                yield a + c + b[1:]  # substitution


def misspelt(question: str, vocab: Vocabulary,
             known: Callable[[str], bool | None] | None = None) -> list[tuple[str, str]]:
    """The words of ``question`` that the documents' ``vocab`` lacks but holds one edit away,
    each with the word it likely stands for: ("refection", "reflection"). A word that only
    adds or drops an ending ("times" for "time") is an inflection, not a misspelling; nor is a
    word that ``known`` says is a word of the language (the embedding model's vocabulary holds
    it whole: "where" is one edit from "there", "right" from "fight"; None: cannot tell)."""
    out = []
    for m in _WORD.finditer(question):
        w = m.group().lower()
        if len(w) < MIN_LENGTH or w in vocab.words or (known is not None and known(w)):
            continue
        alphabet = vocab.letters if len(vocab.letters) <= _ALPHABET_MAX \
            else sorted(set("abcdefghijklmnopqrstuvwxyz") | set(w))
        meant = next((c for c in _one_edit(w, alphabet) if c in vocab.words
                      and not (c.startswith(w) or w.startswith(c))), None)
        if meant is not None:
            out.append((w, meant))
    return out


def corrected(text: str, vocab: Vocabulary,
              known: Callable[[str], bool | None] | None = None) -> str:
    """``text`` with each of its misspellings (``misspelt``) replaced by the word of the
    documents it likely stands for, capitalised as written: "How long is the refelction
    period?" -> "How long is the reflection period?". A word of the language (``known``, and
    the English word list of ``in_dictionary``: "germs" is no misspelling of "terms", nor
    "boson" of "Boston") and a capitalised word after the first (a name: "Tories", "Camino")
    stay as written. A word the documents hyphenate is written as they do ("kickoff" ->
    "kick-off"), and one cut short as the one word of theirs it starts (``completed``)."""
    if vocab.compounds:
        text = _WORD.sub(lambda m: _cased(m.group(), vocab.compounds.get(m.group().lower())),
                         text)
    first = _WORD.search(text)
    names = {m.group().lower() for m in _WORD.finditer(text)
             if m.group()[:1].isupper() and first is not None and m.start() > first.start()}

    def is_word(w: str) -> bool:
        return bool(known is not None and known(w)) or in_dictionary(w)

    meant = {w: right for w, right in misspelt(text, vocab, is_word) if w not in names}
    for m in _WORD.finditer(text):  # words cut short ("conf")
        w = m.group().lower()
        if w not in meant and w not in names:
            right = completed(w, vocab)
            if right is not None and not is_word(w):
                meant[w] = right
    if not meant:
        return text

    def fix(m: re.Match) -> str:
        return _cased(m.group(), meant.get(m.group().lower()))
    return _WORD.sub(fix, text)


def _cased(typed: str, meant: str | None) -> str:
    """``meant`` capitalised as ``typed`` was ("Refelction" -> "Reflection"), or ``typed``
    when nothing is meant instead."""
    if meant is None:
        return typed
    return meant[:1].upper() + meant[1:] if typed[:1].isupper() else meant


# Shorthand of hasty typing, lower case only ("U" may be a name), for the words meant: a
# question asking "abt" something asks about a word no document holds, and was refused.
_SHORTHAND = {"abt": "about", "u": "you", "ur": "your", "pls": "please", "plz": "please",
              "thx": "thanks", "govt": "government", "dept": "department",
              "approx": "approximately", "yr": "year", "yrs": "years", "w/o": "without",
              "b/c": "because", "bc": "because"}
_SHORTHAND_WORD = re.compile(r"(?<![\w/.-])(" + "|".join(
    re.escape(w) for w in sorted(_SHORTHAND, key=len, reverse=True)) + r")(?![\w/-]|\.\w)")
# Words clipped in speech ("which orgs got it?", "more info", "at uni"), for the words meant:
# written out only where the documents never use the clipped word itself (a page may say
# "more info at"), lower case only ("ORG" may be a name).
# (A word spelt two ways is written out as the documents spell it.)
_CLIPPED = {"org": ("organisation", "organization"),
            "orgs": ("organisations", "organizations"), "info": ("information",),
            "stats": ("statistics",), "uni": ("university",), "unis": ("universities",),
            "intl": ("international",), "natl": ("national",), "govts": ("governments",),
            "depts": ("departments",), "ppl": ("people",), "hrs": ("hours",),
            "mgmt": ("management",)}
_CLIPPED_WORD = re.compile(r"(?<![\w/.@-])(" + "|".join(
    re.escape(w) for w in sorted(_CLIPPED, key=len, reverse=True)) + r")(?![\w/@-]|\.\w)")
# A numbered unit abbreviated ("art. 113", "Sec 6", "para.2", "§ 4") or glued to its number
# ("step4", "measure3.2"): written out, so that it is read as the unit (``checks.text_units``).
# Without a full stop only before a number that is no year ("art 2024 fair" stays).
_UNIT_SHORT = {"art": "article", "arts": "articles", "sec": "section", "secs": "sections",
               "para": "paragraph", "paras": "paragraphs", "par": "paragraph",
               "ch": "chapter", "chap": "chapter", "rec": "recommendation", "§": "section",
               "§§": "sections"}
# ("SEC 10", in capitals, is a name; "par 3" of golf and "ch 4" are left alone: with a full
# stop they are units.)
_UNIT_ABBREVIATED = re.compile(
    r"(?<![\w.])((?i:arts?|secs?|paras?|par|chap|ch|rec)\.\s*|(?:[Aa]rts?|[Ss]ecs?|[Pp]aras?|"
    r"[Cc]hap|[Rr]ec)\s+|§§?\s*)(?=\d{1,3}(?!\d))")
_UNIT_GLUED = re.compile(
    r"(?i)\b(article|section|measure|clause|paragraph|chapter|annex|appendix|step|objective|"
    r"recommendation|rule|point|activity|action|goal|pillar|priority|indicator|task)s?"
    r"(?=\d{1,3}(?!\d))")


def written_out(text: str, used: Callable[[str], bool] | None = None) -> str:
    """``text`` with the shorthand of hasty typing written out: "what abt art. 113" -> "what
    about article 113", "what is step4" -> "what is step 4"; and a clipped word ("orgs",
    "info") that ``used`` (whether the documents use a word) says they never use."""
    text = _SHORTHAND_WORD.sub(lambda m: _SHORTHAND[m.group(1)], text)
    if used is not None:
        def meant(clipped: str) -> str:
            if used(clipped):
                return clipped
            words = _CLIPPED[clipped]
            # (as the documents spell it in the singular or the plural: "organizations" is
            # spelt with a z in "org" too)
            return next((w for w in words if used(w) or used(w + "s")
                         or (w.endswith("s") and used(w[:-1]))), words[0])
        text = _CLIPPED_WORD.sub(lambda m: meant(m.group(1)), text)
    text = _UNIT_ABBREVIATED.sub(
        lambda m: _UNIT_SHORT[m.group(1).rstrip(". \t\n").lower()] + " ", text)
    return _UNIT_GLUED.sub(lambda m: m.group(0) + " ", text)


@lru_cache(maxsize=1)
def _dictionary():
    from spellchecker import SpellChecker  # 0.2 s and 160,000 words: loaded on first need

    return SpellChecker(distance=1)


def in_dictionary(word: str) -> bool:
    """Whether an English word list (pyspellchecker's) holds ``word``."""
    return word.lower() in _dictionary()
