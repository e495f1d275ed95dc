"""Ranked passages -> the sentences that answer, or an honest abstention.

Pure functions over already computed evidence (vectors, BM25 weights); the caller does the I/O
and the model calls.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from .embedding import TokenVectors
from .index import Index
from .keyword import stopwords, tokenize
from .search import Scored, to_hit
from .settings import QuoteRules, Weights
from .types import Quote

# A sentence that opens with one of these words leans on the sentence before it.
_ANAPHORA = re.compile(r"^(It|Its|This|These|That|Those|They|Their|Them|He|She|His|Her|Such|"
                       r"Both|The latter|The former|Moreover|However|Furthermore|In addition|"
                       r"Therefore|Thus|Also)\b")
# More openings that lean on the sentence before: contrast and consequence ("Nevertheless, she
# too announced ...", "As a result, ...").
_CONNECTIVE = re.compile(r"^(Nevertheless|Nonetheless|Instead|Consequently|As a result|"
                         r"Accordingly|Hence|Still|Yet|Otherwise|Even so)\b")


def refers_back(sentence: str) -> bool:
    """Whether ``sentence`` opens leaning on the one before: a pronoun or a connective."""
    return bool(_ANAPHORA.match(sentence) or _CONNECTIVE.match(sentence))


# A sentence opening with "The" and a noun ("The project, which was approved ..."), past
# words that only tell one of a kind from another ("The first workshop", "The new law").
_DEFINITE_OPENING = re.compile(
    r"^The\s+(?:(?:first|second|third|new|same|other|following|next|last|former|latter|above|"
    r"said|previous|final|main|current|earlier|later|original)\s+)*([a-z][\w-]*)\b")


def names_again(sentence: str, after: str) -> bool:
    """Whether ``after`` opens with "The" and a noun of ``sentence`` ("The title of the new
    project is ..." then "The project, which was approved by the European Commission, brings
    together ..."): it goes on about the thing the sentence named, as a pronoun would."""
    m = _DEFINITE_OPENING.match(after)
    return m is not None and m.group(0).count(" ") == 1 \
        and bool(set(tokenize(m.group(1))) & set(tokenize(sentence)))


# A numbered item's label standing as a sentence of its own ("Measure 2.3.", "Article 12."),
# and a field of that item ("Responsible body: ...", "Deadline: 2026."): in action plans and
# codes each means nothing without the item it belongs to, and a quote of a field alone may be
# read as another item's (a probe's "Responsible body: AIMA" belonged to the measure before).
_LABEL_ONLY = re.compile(r"^\W*(Measure|Article|Section|Chapter|Part|Step|Item|Action|Activity|"
                         r"Objective|Goal|Task|Priority|Recommendation|Rule|Principle|Clause|"
                         r"Annex|Appendix|Paragraph|Point|Outcome|Output|Target|Indicator)"
                         r"\s+\d+(\.\d+)*\.?\s*$")
# A field's name: one to three words, not an article or pronoun ("The reason is simple: ...",
# "This means: ..." are prose), nor a letter ("Q:", "A:" of a list of questions).
_FIELD = re.compile(r"^(?!(The|A|An|This|That|These|Those|It|Its|Our|Their|His|Her|My|Your|We|"
                    r"They|He|She|I|You|Here|There|Note)\b)[A-Z][\w-]+(\s+[\w-]+){0,2}:\s")


@dataclass(frozen=True)
class Candidate:
    doc_id: str
    start: int
    end: int
    score: float
    evidence: "Evidence"  # of the scored sentence; start/end may take in its neighbours

    @property
    def row(self) -> int:
        """The passage row in the index that the scored sentence was taken from."""
        return self.evidence.row


@dataclass(frozen=True)
class QueryTerms:
    weights: dict[str, float]  # stemmed term -> weight (IDF, lower for history terms)
    # A term no document uses -> the documents' words near it, with their cosines
    # (``nearwords``): a sentence holding one holds the term at that cosine.
    near: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(self.weights.values())


def query_terms(index: Index, question: str, context: str = "",
                context_weight: float = Weights.context,
                near: dict[str, tuple[tuple[str, float], ...]] | None = None) -> QueryTerms:
    """IDF weights of the question's words. A word the corpus never uses ("Kublai", "bread")
    weighs as much as the rarest word it does use: its absence is evidence that the documents
    are about something else, unless a sentence holds a word near it (``near``, by term)."""
    weights: dict[str, float] = {}
    unseen = index.keyword.idf_unseen()
    for t in tokenize(context):
        weights[t] = context_weight * (index.keyword.idf(t) or unseen)
    kind = asks_only_kind(question) if context else frozenset()
    for t in tokenize(question):
        if t not in kind:
            weights[t] = index.keyword.idf(t) or unseen
    kept = {t: w for t, w in weights.items() if w > 0}
    return QueryTerms(kept, {t: v for t, v in (near or {}).items() if t in kept and v})


def lexical_coverage(terms: QueryTerms, text: str, implied: frozenset[str] = frozenset()
                     ) -> float:
    """IDF-weighted share of the question's content words that ``text`` contains (or that
    its document holds throughout: ``implied``); a word it lacks counts at the cosine of the
    nearest of its near words (``QueryTerms.near``) that it holds."""
    if terms.total <= 0:
        return 0.0
    present = _word_set(text)
    total = 0.0
    for t, w in terms.weights.items():
        if t in present or t in implied:
            total += w
        elif t in terms.near:
            total += w * max((c for s, c in terms.near[t] if s in present), default=0.0)
    return total / terms.total


@functools.lru_cache(maxsize=16384)
def _word_set(sentence: str) -> frozenset[str]:
    """The stemmed words of a sentence: the same top passages' sentences come back question
    after question, and stemming them again was a tenth of an answer's time."""
    return frozenset(tokenize(sentence))


@dataclass(frozen=True)
class QueryTokens:
    """The question's token vectors and how much each counts: content words 1, words from an
    earlier message (a follow-up's context) ``context_weight`` (``Weights.context``), question
    words and punctuation 0."""

    vectors: np.ndarray  # (m, dimension) float32, L2-normalised
    weights: np.ndarray  # (m,) summing to 1 (all zero only when nothing can be matched)
    # (m,) 1 for a piece of the question asked now, 0 for one of the conversation before it:
    # what a quote grows to cover (``_grow_to_cover``) is what is asked now. None: all asked.
    asked: np.ndarray | None = None
    # Per word piece, the stemmed word it is part of, when that word is written as a name
    # (capitalised after the first word, or in capitals: "MPL", "Slovenia"); "" otherwise.
    # Such a word may name a document, which then holds it in every sentence
    # (``document_names``). A follow-up's conversation names its document too ("Does CC0
    # waive moral rights?" then "And privacy?").
    names: tuple[str, ...] = ()
    # Per word piece, the stemmed content word it is part of, however written ("" for none):
    # a word of a document's file name names it in any case ("the gpl", ``file_names``).
    words: tuple[str, ...] = ()


_WORD = re.compile(r"\w+")


def query_tokens(tv: TokenVectors, text: str, context_chars: int = 0,
                 context_weight: float = Weights.context) -> QueryTokens:
    """Weights for the word pieces of ``text`` (whose first ``context_chars`` characters are
    earlier context). A word piece counts when its word is a content word."""
    weights = np.zeros(len(tv.offsets), dtype=np.float32)
    words = [(m.start(), m.end(), tokenize(m.group())) for m in _WORD.finditer(text)]
    kind = asks_only_kind(text[context_chars:]) if context_chars else frozenset()
    starts = [w[0] for w in words]
    named = _written_as_names(text, words)
    names = [""] * len(tv.offsets)
    stems = [""] * len(tv.offsets)
    for k, (a, _) in enumerate(tv.offsets.tolist()):
        i = bisect.bisect_right(starts, a) - 1
        if i >= 0 and a < words[i][1] and words[i][2] and (
                a < context_chars or words[i][2][0] not in kind):
            weights[k] = context_weight if a < context_chars else 1.0
            stems[k] = words[i][2][0]
            if i in named:
                names[k] = words[i][2][0]
    if not weights.any():  # only question words: better to match them than nothing
        weights[:] = 1.0
    total = weights.sum()
    asked = (np.asarray(tv.offsets[:, 0]) >= context_chars).astype(np.float32) \
        if len(tv.offsets) else np.zeros(0, dtype=np.float32)
    if not (asked * weights).any():
        # Nothing asked in words of its own ("Why?", "When?"): what it asks about is the
        # conversation's subject, and its words are what a quote grows to cover.
        asked = None
    return QueryTokens(np.asarray(tv.vectors, dtype=np.float32),
                       weights / total if total else weights, asked, tuple(names), tuple(stems))


def _written_as_names(text: str, words: Sequence[tuple[int, int, list[str]]]) -> set[int]:
    """Which of ``words`` (start, end, tokens) are written as names: in capitals ("MPL",
    "CC0"), or capitalised and not opening a sentence ("the Mozilla licence")."""
    out = set()
    for i, (a, b, toks) in enumerate(words):
        w = text[a:b]
        if not toks or not w[0].isupper():
            continue
        opening = not text[:a].strip() or text[:a].rstrip()[-1] in ".?!:;\"'(\n"
        if (len(w) > 1 and w.upper() == w) or not opening:
            out.add(i)
    return out


def document_names(document) -> frozenset[str]:
    """The stemmed words a document goes by: its title's, and its file name's ("MPL-2.0.txt":
    "mpl")."""
    return frozenset(tokenize(document.title or "")) | file_names(document)


# The place a document is about, as its opening names it: "the Republic of Norvania", "the
# Government of the Republic of Estavia" (``scope_names``).
_JURISDICTION = re.compile(
    r"\b(?:Republic|Kingdom|Government|State|Principality|Federation|Commonwealth|Duchy)"
    r"\s+of\s+(?:the\s+)?(?:(?:Republic|Kingdom|State|Federation)\s+of\s+(?:the\s+)?)?"
    r"([^\W\d_]{3,})\b")
_LETTERS_WORD = re.compile(r"\b[^\W\d_]{3,}\b")
# How much of a document's text (after its title) is its opening, where it says what it is
# about.
SCOPE_OPENING_CHARS = 1000


def _name_like(word: str) -> bool:
    """Written as a name: a capital, then small letters ("Norvania", "Türkiye")."""
    return word[:1].isupper() and word[1:].islower()


def scope_names(document) -> frozenset[str]:
    """The stemmed names of the places a document is about: a country (ISO 3166, by
    pycountry), or X of "the Republic (Kingdom, Government, State ...) of X" where X is no
    English word ("the State of the Environment" is about no place), that its title or
    opening names, and that its text names at least twice. A question's "in Norvania" then
    asks about the whole document, not about its opening sentence ("This guidance explains
    how labour inspectors of the Republic of Norvania should ..."), which had answered every
    question naming the country."""
    from .spelling import in_dictionary

    opening = f"{document.title or ''}\n{document.text[:SCOPE_OPENING_CHARS]}"
    countries = _country_names()

    def country(w: str) -> bool:
        return countries.get(w.casefold()) == w

    found = {w for w in (m.group(1) for m in _JURISDICTION.finditer(opening))
             if _name_like(w) and (country(w) or not in_dictionary(w.lower()))}
    found |= {w for w in _LETTERS_WORD.findall(opening) if _name_like(w) and country(w)}
    out: set[str] = set()
    for w in found:
        # Two mentions are enough: a long document is not read to its end for each name.
        if len(list(itertools.islice(re.finditer(rf"\b{re.escape(w)}\b", document.text),
                                     2))) == 2:
            out.update(tokenize(w))
    return frozenset(out)


def file_names(document) -> frozenset[str]:
    """The stemmed words of a document's file name ("GPL-3.txt": "gpl"); not its figures (a
    question's "3" asks about section 3 as often as version 3), and none for a record or a
    part of a collection file ("squad.jsonl#12" names the collection). Those that are no
    English word ("gpl", not "report" or "annual") name it however typed (``Answerer``)."""
    return frozenset(_file_words(document))


def file_phrases(document) -> frozenset[tuple[str, str]]:
    """Each two words next to each other in a document's file name, stemmed
    ("national_action_plan.txt": ("nation", "action"), ("action", "plan")): typed together in
    a question ("under the action plan, ..."), they name it however typed, though each is an
    English word (``_implied_names``)."""
    words = _file_words(document)
    return frozenset(zip(words, words[1:]))


def _file_words(document) -> tuple[str, ...]:
    return _file_words_of(document.doc_id)


@functools.lru_cache(maxsize=4096)
def _file_words_of(doc_id: str) -> tuple[str, ...]:
    return tuple(t for w in file_name_words(doc_id) for t in tokenize(w))


@functools.lru_cache(maxsize=4096)
def file_name_words(doc_id: str) -> tuple[str, ...]:
    """The words of a document's file name as written, in small letters, without its
    figures; none for a record of a collection file. Composed first: a name stored
    decomposed, as some systems write "Žalec", had split into "z" and "alec"."""
    if "#" in doc_id:
        return ()
    stem = unicodedata.normalize("NFC", doc_id.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    return tuple(w.lower() for w in re.findall(r"[^\W_]+", stem) if not w.isdigit()
                 and tokenize(w))


def _word_pairs(stems: Sequence[str]) -> frozenset[tuple[str, str]]:
    """Each two words next to each other among a question's stemmed word pieces (a word cut
    into several pieces counted once)."""
    seq: list[str] = []
    for w in stems:
        if w and (not seq or seq[-1] != w):
            seq.append(w)
    return frozenset(zip(seq, seq[1:]))


# Pronouns that point back to something said earlier ("Who pays for it?"): a question holding
# one may be a follow-up (``answering.is_follow_up``).
BACK_REFERENCES = frozenset("it its they them their theirs these those this he she him his her "
                            "hers".split())
# What such a question names with them, and with these words, is the earlier question's
# subject, not something asked of the quote by itself (``asked_support``). "that", "one" and
# "there" are left out of the follow-up marks: too many questions that stand alone hold them.
_POINTS_BACK = BACK_REFERENCES | {"that", "one", "ones", "there"}
_POINTS_BACK_TERMS = frozenset(tokenize(" ".join(_POINTS_BACK)))


# Words of the conversation rather than of what is asked: politeness, apology, thanks and
# asking again ("Sorry, how many was that?", "Say that again?", "Really? Only two?"). They
# name nothing a quote could hold. "say", "come" and "repeat" are such words only when the
# message asks again ("Come again?", "Can you repeat that?"); "Are repeat offenders
# prosecuted?" asks about repeat offenders.
_CONVERSATIONAL = frozenset("sorry pardon please pls plz thanks thank thx ok okay again really "
                            "hmm um uh oops".split())
_ASKING_AGAIN_WORDS = frozenset("say come repeat".split())
_ASKS_AGAIN = re.compile(
    r"\b(again|repeat\s+(that|it|this|the\s+\w+))\b"
    # "Repeat the amount please", "Can you repeat?", "could you please repeat the number"
    r"|^\W*(please\W+)?((can|could|would|will)\s+you\s+(please\s+)?)?repeat\b",
    re.IGNORECASE)
# "Thanks again" thanks again; it asks nothing again.
_THANKS_AGAIN = re.compile(
    r"\b(thanks|thank\s+you|thx)\W+again\b|\bagain\W+(thanks|thank\s+you|thx)\b", re.IGNORECASE)


def asks_again(question: str) -> bool:
    """Whether a message asks for the last answer again ("Say that again?", "Can you repeat
    the amount?"), not for something new."""
    return bool(_ASKS_AGAIN.search(_THANKS_AGAIN.sub(" ", question)))


# A request's opening that asks nothing itself ("Please tell me: ...", "Can you tell me who
# ...?", "I'd like to know ...", "Do you know ...?"): searched, its words only thin the
# question's evidence (on the seed sets, "Please tell me: " before each question made 5 of 38
# confident right answers tentative).
_PREAMBLE = re.compile(
    r"^\W*(?:(?:hi|hello|hey)\b[\s,!.]*)?(?:please\s+)?"
    r"(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:tell|show|explain\s+to|let)\s+me"
    r"|tell\s+me|i(?:'d|\s+would)\s+like\s+to\s+know|i\s+want\s+to\s+know|do\s+you\s+know"
    r"|i\s+(?:was\s+)?wonder(?:ing)?)\b(?:\s+please)?[\s,:;-]*(?=\w)", re.IGNORECASE)


def without_preamble(question: str) -> str:
    """``question`` without a request's opening that asks nothing itself ("Please tell me:
    who approves the plans?" -> "who approves the plans?"); as it is when nothing would be
    left."""
    return _PREAMBLE.sub("", question, count=1) or question


def conversational_words(question: str) -> frozenset[str]:
    """The words of ``question`` (lowercased) that belong to the conversation, not to what it
    asks about."""
    words = {w.lower() for w in _WORD.findall(question)}
    out = words & _CONVERSATIONAL
    if asks_again(question):
        out |= words & _ASKING_AGAIN_WORDS
    return frozenset(out)


# Function words the keyword index's short stop list keeps (it is BM25's, and changing it would
# change every index): quantifiers and "were". Counted as content words, they made "And
# how many were children?" a question of three words, too many to be read as a follow-up.
# "since" and "got" too: "Since when?" and "Who got it?" ask nothing of their own
# (a conversation probe's refusals, after the answer that held what they ask).
# (And the indefinite pronouns and "else", which name nothing asked about: "anyone else?";
# and "whats", "what's" typed without its apostrophe. Not "exactly": without it "Which ones
# exactly?" was read alone, its support of the conversation's quote measured on the word.)
_FUNCTION_WORDS = frozenset("were many much more most some very just only since got anyone "
                            "anybody anything someone somebody something everyone everybody "
                            "everything else whats".split())


def unasked_words(question: str) -> frozenset[str]:
    """The words of ``question`` (lowercased) that name nothing it asks about: those of the
    conversation (``conversational_words``) and function words ("many", "were")."""
    return conversational_words(question) | _FUNCTION_WORDS


def asks_only_kind(question: str) -> frozenset[str]:
    """The words of a question that asks only for a kind of answer ("In what year?", "What
    date was that?", "Which place?"): after a conversation it asks that of the conversation's
    subject, like "When?", and its word is no topic. Read as one, "year" had drawn "In what
    year?" after "When was the JIT project prepared?" to a sentence on "recent years". Empty
    for a question with any other word ("In what year did the plan start?")."""
    terms = set(asked_terms(question))
    return frozenset(terms) if terms and terms <= ANSWER_KINDS else frozenset()


def asked_terms(question: str) -> list[str]:
    """The content words (``keyword.tokenize``) of what a question asks about, without the
    words of the conversation (``conversational_words``) and function words."""
    skip = unasked_words(question)
    return tokenize(" ".join(w for w in _WORD.findall(question) if w.lower() not in skip))


def holds_asked_words(question: str, text: str) -> bool:
    """Whether ``text`` holds every word a question asks about (``asked_terms``, as the
    keyword index stems them), words pointing back aside ("them"); False for a question that
    asks about fewer than two words (holding the "time" of "What time is it?" says nothing)."""
    terms = set(asked_terms(question)) - _POINTS_BACK_TERMS
    return len(terms) >= 2 and terms <= _word_set(text)


def asked_support(question: str, qtok: TokenVectors, quote: str, tv: TokenVectors,
                  base: int, span: tuple[int, int]) -> float | None:
    """How well a quote found with the conversation supports what the question itself asks:
    the mean, over the question's content words (not those pointing back), of each word's
    support. A word the quote holds counts 1; another counts its word pieces' best cosine with
    the quote's word pieces, read in context ("kids" finds "children", "rain" finds nothing in a
    sentence about shelters). ``qtok``: the question's word pieces, read alone; ``tv``: the
    word pieces of the passage holding the quote, ``base`` its offset in the document and
    ``span`` the quote's. None when it cannot be told (no content words; a model without word
    pieces)."""
    starts, ends = tv.offsets[:, 0] + base, tv.offsets[:, 1] + base
    lo, hi = np.searchsorted(starts, span[0]), np.searchsorted(ends, span[1], side="right")
    if hi <= lo or not len(qtok.offsets):
        return None
    best = (np.asarray(qtok.vectors, dtype=np.float32)
            @ np.asarray(tv.vectors[lo:hi], dtype=np.float32).T).max(axis=1)
    held = _word_set(quote)
    q_starts, q_ends = qtok.offsets[:, 0], qtok.offsets[:, 1]
    support = []
    skip = _POINTS_BACK | conversational_words(question)
    for m in _WORD.finditer(question):
        words = tokenize(m.group())
        if not words or m.group().lower() in skip:
            continue
        if set(words) <= held:
            support.append(1.0)
            continue
        a, b = np.searchsorted(q_starts, m.start()), np.searchsorted(q_ends, m.end(), "right")
        if b <= a:  # one vector for the whole question: no word-by-word reading
            return None
        support.append(float(best[a:b].mean()))
    return float(np.mean(support)) if support else None


@dataclass(frozen=True)
class PassageEvidence:
    meaning: np.ndarray  # per sentence: cosine of the question and the sentence in context
    match: np.ndarray  # per sentence: word-by-word match (see ``passage_evidence``)
    passage_match: float  # the same match over the whole passage
    # (sentences, question word pieces): each piece's best cosine in the sentence, times its
    # weight, for the pieces asked now (the conversation's are 0). What a quote grown by a
    # neighbour covers is the element-wise maximum of their rows (``_grow_to_cover``).
    pieces: np.ndarray | None = None


# A web address in a text: its words ("why-not-lgpl.html") say where to read, not what the
# sentence says.
_URL = re.compile(r"<?\b(?:https?://|www\.)[^\s<>]+>?", re.IGNORECASE)


def url_spans(text: str, base: int = 0) -> list[tuple[int, int]]:
    """Where ``text`` holds web addresses, as offsets plus ``base``."""
    return [(m.start() + base, m.end() + base) for m in _URL.finditer(text)]


def without_urls(text: str) -> str:
    return _URL.sub(" ", text)


def passage_evidence(q: QueryTokens, qvec: np.ndarray, tv: TokenVectors, base: int,
                     spans: Sequence[tuple[int, int]],
                     unmatched: Sequence[tuple[int, int]] = (),
                     floor: np.ndarray | None = None) -> PassageEvidence:
    """How well each sentence of a passage answers, from the passage's token vectors.

    The passage is run through the model once, so every word piece is read in its context
    (a sentence's "it" knows what it refers to). A sentence's meaning is the mean of its
    word pieces' vectors. Its match is, for each question word piece, the best cosine with
    one of the sentence's word pieces, averaged by weight: a late-interaction score (as in
    ColBERT) that rewards a sentence holding each thing the question names, in any wording.
    ``base`` is the document offset of the passage text the offsets refer to. Word pieces
    inside ``unmatched`` spans (web addresses) match nothing. ``floor`` (per question piece)
    is the least cosine each piece has in every sentence: what the document holds throughout.
    """
    n = len(spans)
    meaning, match = np.zeros(n, dtype=np.float32), np.zeros(n, dtype=np.float32)
    pieces = np.zeros((n, len(q.weights)), dtype=np.float32)
    if not len(tv.offsets) or not len(q.weights):
        return PassageEvidence(meaning, match, 0.0, pieces)
    vecs = np.asarray(tv.vectors, dtype=np.float32)  # no copy: kept as float32
    sims = q.vectors @ vecs.T  # (question pieces, passage pieces)
    qv = np.asarray(qvec, dtype=np.float32).reshape(-1)
    starts, ends = tv.offsets[:, 0] + base, tv.offsets[:, 1] + base
    for a, b in unmatched:
        sims[:, (starts >= a) & (ends <= b)] = 0.0
    for i, (a, b) in enumerate(spans):
        lo, hi = np.searchsorted(starts, a), np.searchsorted(ends, b, side="right")
        if hi <= lo:
            continue
        mean = vecs[lo:hi].mean(axis=0)
        meaning[i] = float(mean @ qv) / max(float(np.linalg.norm(mean)), 1e-12)
        best = sims[:, lo:hi].max(axis=1)
        if floor is not None:
            best = np.maximum(best, floor)
        best = best * q.weights
        match[i] = float(best.sum())
        pieces[i] = best if q.asked is None else best * q.asked
    whole = sims.max(axis=1)
    if floor is not None:
        whole = np.maximum(whole, floor)
    return PassageEvidence(meaning, match, float(whole @ q.weights), pieces)


@dataclass
class Evidence:
    """One candidate sentence and what speaks for it."""

    start: int
    end: int
    row: int  # the best-scoring retrieved passage that holds it
    meaning: float
    match: float
    passage_match: float
    lexical: float
    passage: float
    score: float = 0.0
    # Per question word piece, its weighted best cosine in the sentence (``PassageEvidence``).
    pieces: np.ndarray | None = field(default=None, compare=False, repr=False)
    # ``lexical`` counting only the question's own words, not the documents' words near
    # those they never use (``QueryTerms.near``); None when it is ``lexical``. The answer
    # model reads it: fitted on words as written, it had made a near word a certainty ("Which
    # is the best phone line provider?" confident on the sentence naming the "SOS telephone
    # line").
    written: float | None = field(default=None, compare=False)

    @property
    def written_lexical(self) -> float:
        return self.lexical if self.written is None else self.written


def as_written(c: Candidate, weights: Weights) -> Candidate:
    """``c`` with the score its sentence would have by the question's own words alone
    (``Evidence.written``): the score's words part without the documents' near words, any
    down-weighting kept."""
    e = c.evidence
    full = weights.score(e)
    if e.written is None or full == 0:
        return c
    return replace(c, score=c.score * weights.score(replace(e, lexical=e.written)) / full)


def sentence_pool(index: Index, scored: Sequence[Scored], qvec: np.ndarray, q: QueryTokens,
                  token_vectors: Callable[[int], TokenVectors], terms: QueryTerms,
                  pointer: bool = False,
                  names: Callable[[str], tuple[frozenset[str], frozenset[str]]] | None = None
                  ) -> dict[str, list[Evidence]]:
    """The evidence for every sentence of the top passages, per document in text order.

    Sentences are pooled per document (passages overlap), so a quote can take in a neighbour
    that sits in the next passage; a sentence in two passages keeps the better passage. The
    words of a web address match the question's only when it asks where to read
    (``pointer``): "But first, please read <https://www.gnu.org/licenses/why-not-lgpl.html>"
    had answered every question naming the LGPL.

    ``names`` (a document id to the words it goes by when written as names,
    ``document_names``, and those of its file name, which name it however written,
    ``file_names``): a name the question gives a document counts as held by each of its
    sentences, as well as the best of its retrieved passages holds it (``_implied_names``).
    """
    if not scored:
        return {}
    top = max(s.fused for s in scored)
    written = replace(terms, near={}) if terms.near else None
    implied = _implied_names(index, scored, qvec, q, token_vectors, names) if names else {}
    pool: dict[str, dict[tuple[int, int], Evidence]] = {}
    for s in scored:
        p = index.passages[s.row]
        text = index.documents[p.doc_id].text
        urls = [] if pointer else url_spans(text[p.start:p.end], p.start)
        held, floor = implied.get(p.doc_id, (frozenset(), None))
        ev = passage_evidence(q, qvec, token_vectors(s.row), p.start, p.sentences, urls, floor)
        rel = max(s.fused, 0.0) / top if top > 0 else 0.0  # nothing matched: no credit
        sents = pool.setdefault(p.doc_id, {})
        for i, (a, b) in enumerate(p.sentences):
            known = sents.get((a, b))
            if known is not None and known.passage >= rel:
                continue
            words = text[a:b] if not urls else without_urls(text[a:b])
            lexical = lexical_coverage(terms, words, held)
            sents[(a, b)] = Evidence(a, b, s.row, float(ev.meaning[i]), float(ev.match[i]),
                                     ev.passage_match, lexical, rel,
                                     pieces=ev.pieces[i] if ev.pieces is not None else None,
                                     written=lexical_coverage(written, words, held)
                                     if written is not None else None)
    return {d: sorted(v.values(), key=lambda x: x.start) for d, v in pool.items()}


def _implied_names(index: Index, scored: Sequence[Scored], qvec: np.ndarray, q: QueryTokens,
                   token_vectors: Callable[[int], TokenVectors],
                   names: Callable[[str], tuple[frozenset[str], frozenset[str]]]
                   ) -> dict[str, tuple[frozenset[str], np.ndarray]]:
    """Per document the question names (``QueryTokens.names`` among the words it goes by, or
    ``QueryTokens.words`` among its file name's, or two of them in a row as in its file name,
    ``file_phrases``), those words and the least cosine each
    question piece then has in its sentences: for the name's pieces, the best any of its
    retrieved passages gives them; -1 (no floor) for the rest."""
    named = {t for t in q.names if t}
    typed = {t for t in q.words if t}
    if not typed:
        return {}
    pairs = _word_pairs(q.words)
    out: dict[str, tuple[frozenset[str], np.ndarray]] = {}
    for s in scored:
        doc_id = index.passages[s.row].doc_id
        goes_by, file = names(doc_id)
        held = (named & goes_by) | (typed & file) | {
            w for pair in pairs & file_phrases(index.documents[doc_id]) for w in pair}
        if not held:
            continue
        rows = np.array([t in held for t in q.words])
        tv = token_vectors(s.row)
        if not len(tv.offsets):
            continue
        best = (q.vectors[rows] @ np.asarray(tv.vectors, dtype=np.float32).T).max(axis=1)
        known = out.get(doc_id)
        # (-1 for the other pieces: no cosine is below it, so the floor leaves them alone)
        floor = known[1] if known else np.full(len(q.words), -1.0, dtype=np.float32)
        floor[rows] = np.maximum(floor[rows], best)
        out[doc_id] = (frozenset(held), floor)
    return out


# A question that asks where something is written, published or can be read about: its answer
# is the pointer sentence ("... can be found in ... at the following link:"), which is
# otherwise down-weighted for the list or link it introduces and no longer holds.
# The words of finding or reading after "where" ("where can i find ...").
_FINDING = (r"(find|read|see|look|published|written|documented|available|described|found|get|"
            r"info|information|details?|learn)")
_WHERE_TO_READ = re.compile(
    r"\b(where\b.*\b" + _FINDING + r"|where(?:'s|\s+is|\s+are)\s+(?:the\s+)?"
    r"(?:\w+\s+){0,2}(?:stats|statistics|data|figures|reports?|write-?ups?|summary|"
    r"overview|breakdown|description|documentation)(?:\s+(?:about|on|for|of)|(?=\W*$))|"
    r"(more|further) (about|info|information|"
    r"details)|read (more|about)|learn more|find out more|(is|are) there (a|an|any) "
    r"(site|website|page|link|document|article|report)|(published|documented|reported) "
    r"(in|on|at))\b", re.IGNORECASE)


# What a sentence that says where to read something holds: a web address, or words of finding
# or publishing it somewhere ("can be found in", "is published on the website").
_POINTS_TO_SOURCE = re.compile(
    r"https?://|\bwww\.|(?<![@.\w-])[\w-]+\.(?:org|gov|int|eu|com|net)\b|\b(?:can|may) be "
    r"(?:found|read|consulted|downloaded|obtained|accessed|viewed)\s+(?:in|at|on|from|via|"
    r"through)\s+(?:(?:the|our|their|its|this|a|an)\s+)?(?:\w+\s+){0,3}?(?:websites?|sites?|"
    r"pages?|links?|portal|reports?|plans?|documents?|publications?|annex\w*|chapters?|"
    r"sections?|appendix\w*|brochures?|leaflets?|guides?|handbooks?|(?-i:[A-Z])\w+)\b|\b(?:is|are) "
    r"(?:available|published|posted)\s+(?:on|at)\s+(?:(?:the|our|their|its)\s+)?(?:\w+\s+){0,2}?"
    r"(?:websites?|sites?|pages?|internet|web|portal|links?)\b|\bwebsite|\bweb ?site|"
    r"\bweb ?page|\bhomepage", re.IGNORECASE)


def points_to_source(text: str) -> bool:
    """Whether ``text`` says where something can be read: a web address, or "can be found
    in", "is published on ...", "the website"."""
    return bool(_POINTS_TO_SOURCE.search(text))


def asks_where_to_read(question: str) -> bool:
    return bool(_WHERE_TO_READ.search(question))


def where_to_read_form(question: str) -> str:
    """The words by which a question asks where to read, up to the first word of finding or
    reading, with the first word of the source it asks for ("where can i find stats" of "where
    can i find stats on thb prosecutions and for info on victims"), or ""."""
    m = _WHERE_TO_READ_FORM.search(question) or _WHERE_TO_READ.search(question)
    if m is None:
        return ""
    form = m.group(0)
    source = _SOURCE_WORD.search(question)
    return form if source is None or _SOURCE_WORD.search(form) else f"{form} {source.group(0)}"


# The first branch of _WHERE_TO_READ, up to its first word of finding rather than its last.
_WHERE_TO_READ_FORM = re.compile(r"\bwhere\b.*?\b" + _FINDING + r"\b", re.IGNORECASE)
# What a question asks where to read about when it asks for a source, not for help or a
# place ("where can i find stats on ...", not "Where can victims get a permit?"): a source's
# word. Only such a question passes its form on to a follow-up continuing it.
_SOURCE_WORD = re.compile(
    r"\b(stats|statistics|data|figures|reports?|info|information|details|more|documents?|"
    r"documentation|descriptions?|website|websites|web\s*site|links?|site|page|publications?|"
    r"read|published|documented|learn|write-?ups?|summary|overview|breakdown)\b", re.IGNORECASE)


# The source words as the keyword index stems them: what a follow-up asks for, not about
# ("and for info on victim assistance?" asks about victim assistance).
SOURCE_TERMS = frozenset(tokenize(
    "stats statistics data figures report reports info information details more document "
    "documents documentation description descriptions website websites site link links page "
    "publication publications read published documented learn summary overview breakdown"))


def topic_terms(question: str) -> frozenset[str]:
    """What a question asks about besides a source and the words pointing back
    (``asked_terms``): "victim", "assist" of "and for info on victim assistance?", none of
    "where can i read them?"."""
    return frozenset(asked_terms(question)) - SOURCE_TERMS - _POINTS_BACK_TERMS


def asks_for_source(question: str) -> bool:
    """Whether a question asks where to read, about a source (``_SOURCE_WORD``): "where can i
    find stats on thb prosecutions", not "Where can victims get help?"."""
    return asks_where_to_read(question) and bool(_SOURCE_WORD.search(question))


# A question about what came after something ("What happened after the conference?", "Once
# the 90 days are over, ...", "after I die"), or before it. Chosen on the fitting part: hit@1
# 130 to 135 of 247 (after-period 13 to 16), quotes 268 to 273 characters on average.
_ASKS_AFTER = re.compile(r"\b(after|afterwards|once|following)\b", re.IGNORECASE)
_ASKS_BEFORE = re.compile(r"\b(before|prior to|preceded)\b", re.IGNORECASE)


def asks_sequel(question: str) -> int:
    """1 for a question about what came after something, -1 before, 0 neither (or both)."""
    return int(bool(_ASKS_AFTER.search(question))) - int(bool(_ASKS_BEFORE.search(question)))


def rank(index: Index, pool: dict[str, list[Evidence]], weights: Weights = Weights(),
         rules: QuoteRules = QuoteRules(), pointer: bool = False, sequel: int = 0
         ) -> list[Candidate]:
    """Score every pooled sentence, grow each into a quote, best first. ``pointer``: the
    question asks where to read about something, so sentences pointing elsewhere keep their
    score. ``sequel`` (``asks_sequel``): the question asks what came after (1) or before (-1)
    something; the sentence that names it is what matches best, and the answer is most often
    the one that follows (precedes) it, which then joins the quote."""
    out: list[Candidate] = []
    for doc_id, seq in pool.items():
        text = index.documents[doc_id].text
        own = []
        for k, x in enumerate(seq):
            x.score = weights.score(x)
            own.append(weights.own_score(x))
            # A heading or a label names what follows; a line ending in a colon introduces
            # what is gone.
            if ((_dangling(text, x.end) and not _introduces_list(text, seq, k))
                    or _heading_alone(text, x.start, x.end) or _label(text, x.start, x.end)
                    or not _HAS_WORD.search(text, x.start, x.end)) and not pointer:
                x.score *= rules.dangling_penalty
                own[-1] *= rules.dangling_penalty
        for i, x in enumerate(seq):
            first, last = _extend(text, seq, own, i, weights.neighbour_share,
                                  rules.max_sentences, rules.follow_on_share)
            first, last = _grow_to_cover(text, seq, first, last, rules, pointer)
            if sequel and rules.sequel:
                first, last = _take_sequel(text, seq, first, last, rules, sequel)
            first = _with_item_number(text, seq, first)
            out.append(Candidate(doc_id, seq[first].start, seq[last].end, x.score, x))
    out.sort(key=lambda c: -c.score)
    return out


def _with_item_number(text: str, seq: list[Evidence], first: int) -> int:
    """A quote opening a numbered item's line is quoted with the item's number ("3. Complete
    Referral Form NRM-1 ..."; the splitter makes "3." a sentence of its own): a reader cites
    the step by it. A few characters, over the quote's bounds."""
    if first > 0 and _NUMBER_LABEL.fullmatch(text[seq[first - 1].start:seq[first - 1].end]
                                             .strip()) \
            and _adjacent(text, seq[first - 1], seq[first]) \
            and "\n" not in text[seq[first - 1].end:seq[first].start]:  # on the item's line
        return first - 1
    return first


def _take_sequel(text: str, seq: list[Evidence], first: int, last: int, rules: QuoteRules,
                 sequel: int) -> tuple[int, int]:
    """The quote with the adjacent sentence after it (``sequel`` 1) or before it (-1), when
    that keeps it within ``rules.max_sentences`` and ``rules.cover_max_chars``."""
    k = last + 1 if sequel > 0 else first - 1
    if not 0 <= k < len(seq) or last - first + 1 >= rules.max_sentences:
        return first, last
    a, b = min(k, first), max(k, last)
    if not _adjacent(text, seq[min(k, last)], seq[max(k, first)]) \
            or seq[b].end - seq[a].start > rules.cover_max_chars:
        return first, last
    return a, b


# A list item's opening mark: "(a)", "b)", "1)", "iv)", "-", "•".
_LIST_ITEM = re.compile(r"(?:\(?(?:[a-z]|\d{1,2}|[ivx]{1,4})\)|[-•*–])\s")
_FINISHED = tuple(".!?\"'”’)]")


def _introduces_list(text: str, seq: list[Evidence], i: int) -> bool:
    """Sentence ``i`` ends its paragraph unfinished or with a colon ("... means", "... the
    following:") and the next paragraph opens a list ("(a) that the initial Contributor ..."):
    the sentence introduces that list, which is here (not gone: ``_dangling``), and is quoted
    with its first item."""
    return not text[seq[i].end - 1:seq[i].end].endswith(_FINISHED) \
        and _item_follows(text, seq, i)


def _next_item(text: str, seq: list[Evidence], i: int) -> bool:
    """Sentence ``i`` is a list item and the next paragraph is the next item."""
    return bool(_LIST_ITEM.match(text, seq[i].start)) and _item_follows(text, seq, i)


def _item_follows(text: str, seq: list[Evidence], i: int) -> bool:
    """The next pooled sentence opens the next line (or paragraph) of the text, and a list
    item."""
    if i + 1 >= len(seq):
        return False
    gap = text[seq[i].end:seq[i + 1].start]
    return seq[i].end <= seq[i + 1].start and gap.strip() == "" and "\n" in gap \
        and bool(_LIST_ITEM.match(text, seq[i + 1].start))


def _dangling(text: str, end: int) -> bool:
    """A paragraph's last sentence that ends with a colon introduces something (a link, a list)
    the text no longer has: "... can be found at the following link:". Not an answer."""
    return text[end - 1:end] == ":" and (end >= len(text) or text[end:end + 2].strip() == "")


# A numbered heading in title case ("8. Termination.", "13. Use with the GNU Affero General
# Public License."): its words are capitalised but for these.
_NUMBERED_HEADING = re.compile(r"\d{1,3}(?:\.\d+)*\.\s+(\D+?)\.?")
# Or a labelled one in any case ("Article 3. Rights of presumed victims."): the label says it.
_LABELLED_HEADING = re.compile(r"(?:(?:Article|Art\.|Section|Sec\.|Chapter|Part|Title|Annex|"
                               r"Appendix|Schedule|Clause|Measure|Step|Stage|Phase)\s+|§\s*)"
                               r"\d{1,3}[a-z]?"
                               r"(?:\.\d+)*\.?\s+[A-Z]\D*?\.?")
_SMALL = frozenset("a an and as at by for from in into nor of on onto or over than that the "
                   "these this those to under upon via with".split())
_HEADING_MAX_CHARS = 120
_NUMBER_LABEL = re.compile(r"\d{1,3}(?:\.\d+)*\.")


def _heading_alone(text: str, start: int, end: int) -> bool:
    """A sentence that is a numbered heading in title case on a line of its own ("13. Use
    with the GNU Affero General Public License.", split from its number or not) or opening
    its line ("4. Redistribution. You may reproduce ..."), or a labelled one in any case
    ("Article 3. Rights of presumed victims."): plain text keeps such headings among the
    sentences, and one matches a question naming its subject best while it answers nothing. A
    numbered line that reads as a sentence ("1. Victims must register."), holds a further
    figure ("1. Call 113."), or has no full stop after its number ("116 006 Victim Support
    Helpline", "51 Franklin Street") is not one. The line may go on past the sentence: a
    run-in heading's body ("Step 4. Check the documents. The inspector checks ...")."""
    if end - start > _HEADING_MAX_CHARS:
        return False
    # Only so far back: a long line is no heading, and a document on one line (a record, a
    # PDF's text) must not be scanned end to end for every candidate sentence.
    lo = max(0, start - _HEADING_MAX_CHARS)
    line_start = text.rfind("\n", lo, start)
    if line_start < 0 and lo > 0:
        return False  # inside a long line
    # (A line going on past the window is a run-in heading's body: "Step 4. Check the
    # documents. The inspector checks ...".)
    before = text[line_start + 1:start]
    if before.strip() and not _NUMBER_LABEL.fullmatch(before.strip()):
        return False  # the sentence is inside its line
    # The sentence with the number the splitter may have cut from it; a run-in heading is
    # followed by its body on the same line ("4. Redistribution. You may reproduce ...").
    line = (before + text[start:end]).strip()
    if len(line.split()) > 12:
        return False
    if _LABELLED_HEADING.fullmatch(line):
        return True
    m = _NUMBERED_HEADING.fullmatch(line)
    if m is None:
        return False
    words = re.findall(r"[^\W\d_][\w'’-]*", m.group(1))
    return bool(words) and all(w[0].isupper() or w.lower() in _SMALL for w in words)


# A sentence with no letter nor figure (a rule of "=" a splitter kept as a sentence): a
# review's "What does Section 2 say?" was answered with one.
_HAS_WORD = re.compile(r"[^\W_]")


def _label(text: str, start: int, end: int) -> bool:
    """A sentence that is only a numbered item's label ("4.", "Article 12."): it scores by its
    passage alone, and is quoted with what it labels when that is chosen (``_extend``)."""
    sentence = text[start:end].strip()
    return len(sentence) <= 24 and bool(_NUMBER_LABEL.fullmatch(sentence)
                                        or _LABEL_ONLY.match(sentence))


def _adjacent(text: str, a: Evidence, b: Evidence) -> bool:
    """Consecutive in the document: nothing but spaces between them (no heading, no paragraph)."""
    gap = text[a.end:b.start]
    return a.end <= b.start and gap.strip() == "" and "\n\n" not in gap


def _extend(text: str, seq: list[Evidence], own: list[float], i: int, share: float,
            max_sentences: int, follow: float = 0.0) -> tuple[int, int]:
    """Grow sentence ``i`` into a quote that reads on its own: up to three sentences, taking in
    a neighbour that scores nearly as well (``share`` of its score), the sentence a leading
    "It"/"This" refers to, and a next sentence that refers back to it when that scores at
    least ``follow`` of it. Neighbours are compared by their own evidence (``own``), without
    what they share with the sentence by sitting in the same passage."""
    first = last = i
    best = own[i]
    sentence = text[seq[i].start:seq[i].end]
    if i > 0 and _adjacent(text, seq[i - 1], seq[i]) \
            and (refers_back(sentence) or _FIELD.match(sentence)):
        first = i - 1
    # A field after other fields ("Responsible body: ... Deadline: 2025."): back to the item.
    while first > 0 and last - first + 1 < max_sentences \
            and _FIELD.match(text[seq[first].start:seq[first].end]) \
            and _adjacent(text, seq[first - 1], seq[first]):
        first -= 1
    if _LABEL_ONLY.match(sentence) and last + 1 < len(seq) \
            and _adjacent(text, seq[last], seq[last + 1]):
        last += 1  # a label quotes what it labels
    if first > 0 and _introduces_list(text, seq, first - 1):
        first -= 1  # a list's first item is quoted with its lead-in
    if _introduces_list(text, seq, last) and last - first + 1 < max_sentences:
        last += 1  # and a list's lead-in its first items, as many as the quote may hold
        while last - first + 1 < max_sentences and _next_item(text, seq, last):
            last += 1
    # The first sentence under a heading is quoted with it, and its label ("Step 2."
    # "Notification." "The professional shall ...").
    if first == last and first > 0 and _adjacent(text, seq[first - 1], seq[first]):
        back = first - 2 if first > 1 and _adjacent(text, seq[first - 2], seq[first - 1]) \
            and _LABEL_ONLY.match(text[seq[first - 2].start:seq[first - 2].end]) else first - 1
        if _heading_alone(text, seq[back].start, seq[first - 1].end):
            first = back
    if first > 0 and _adjacent(text, seq[first - 1], seq[first]) \
            and _LABEL_ONLY.match(text[seq[first - 1].start:seq[first - 1].end]):
        first -= 1  # and an item is quoted with its label (a few characters, over the bound)
    # A heading (with its label: "Step 8." "Durable solution.") is quoted with what it heads.
    if last + 1 < len(seq) and last - first + 1 < max_sentences \
            and _heading_alone(text, seq[first].start, seq[last].end) \
            and _adjacent(text, seq[last], seq[last + 1]):
        last += 1
    # The next sentence goes on about this one ("He began teaching in Rotterdam."): it joins
    # the quote at a lower share, as it often holds what the question asks of the subject.
    if follow and last + 1 < len(seq) and last - first + 1 < max_sentences \
            and _adjacent(text, seq[last], seq[last + 1]) \
            and (refers_back(nxt := text[seq[last + 1].start:seq[last + 1].end])
                 or names_again(text[seq[last].start:seq[last].end], nxt)) \
            and own[last + 1] >= follow * best:
        last += 1
    while last - first + 1 < max_sentences:
        prev_ok = first > 0 and _adjacent(text, seq[first - 1], seq[first]) \
            and own[first - 1] >= share * best
        next_ok = last + 1 < len(seq) and _adjacent(text, seq[last], seq[last + 1]) \
            and own[last + 1] >= share * best
        if prev_ok and (not next_ok or own[first - 1] >= own[last + 1]):
            first -= 1
        elif next_ok:
            last += 1
        else:
            break
    return first, last


def _grow_to_cover(text: str, seq: list[Evidence], first: int, last: int, rules: QuoteRules,
                   pointer: bool = False) -> tuple[int, int]:
    """Grow a quote by the adjacent sentence that matches what the question asks and the quote
    does not yet hold: the sentence naming a project is followed by the one saying who funds
    it, and a question naming both is answered by the two together. A neighbour joins when the
    question's word-piece match of the quote and it together (each piece's best in either)
    exceeds the quote's by ``rules.cover_gain``, while the quote stays within
    ``rules.max_sentences`` and ``rules.cover_max_chars``. A sentence introducing a link or
    list the text no longer has (``_dangling``) joins only when the question asks where to read
    (``pointer``). A question read as one piece (an embedder without word pieces) has nothing
    to cover piece by piece: no growth."""
    if not rules.cover_gain or any(seq[k].pieces is None or len(seq[k].pieces) < 2
                                   for k in range(first, last + 1)):
        return first, last
    covered = np.maximum.reduce([seq[k].pieces for k in range(first, last + 1)])
    while last - first + 1 < rules.max_sentences:
        options = []
        if last + 1 < len(seq) and _adjacent(text, seq[last], seq[last + 1]):
            options.append(last + 1)
        if first > 0 and _adjacent(text, seq[first - 1], seq[first]):
            options.append(first - 1)
        options = [(float(np.maximum(covered, seq[k].pieces).sum() - covered.sum()), k)
                   for k in options if seq[k].pieces is not None
                   and (pointer or not _dangling(text, seq[k].end))
                   and seq[max(k, last)].end - seq[min(k, first)].start
                   <= rules.cover_max_chars]
        if not options:
            break
        gain, k = max(options)
        if gain < rules.cover_gain:
            break
        covered = np.maximum(covered, seq[k].pieces)
        first, last = min(first, k), max(last, k)
    return first, last


def pick(cands: Sequence[Candidate], max_quotes: int, rules: QuoteRules = QuoteRules()
         ) -> list[Candidate]:
    """The best non-overlapping candidates, best first. A candidate whose neighbours are
    already quoted is still quoted by its own sentence, when that is not."""
    chosen: list[Candidate] = []
    for c in cands:
        if len(chosen) >= max_quotes:
            break
        if chosen and c.score < rules.relative_floor * chosen[0].score:
            break
        if any(_overlaps(c, o) for o in chosen):
            c = replace(c, start=c.evidence.start, end=c.evidence.end)
            if any(_overlaps(c, o) for o in chosen):
                continue
        chosen.append(c)
    return chosen


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


def make_quote(index: Index, c: Candidate, scored_by_row: dict[int, Scored]) -> Quote:
    p = index.passages[c.row]
    d = index.documents[p.doc_id]
    start, end = without_rules(d.text, c.start, c.end)
    return Quote(text=d.text[start:end], doc_id=d.doc_id, title=d.title, section=p.section,
                 start=start, end=end, score=round(c.score, 6),
                 passage=to_hit(index, scored_by_row[c.row]), page=d.page_at(start))


def without_rules(text: str, start: int, end: int) -> tuple[int, int]:
    """The span ``start:end`` of ``text`` without the lines at its ends that hold no letter
    nor figure (``_HAS_WORD``: a rule of dashes above a heading had opened a quote:
    "-----...\nJudgment 2: ..."), nor the spaces around; as it is when nothing else is
    left."""
    a, b = start, end
    while a < b:
        line = text.find("\n", a, b)
        if line < 0 or _HAS_WORD.search(text, a, line):
            break
        a = line + 1
    while a < b:
        line = text.rfind("\n", a, b)
        if line < 0 or _HAS_WORD.search(text, line, b):
            break
        b = line
    part = text[a:b]
    a, b = a + len(part) - len(part.lstrip()), a + len(part.rstrip())
    return (a, b) if a < b else (start, end)


# --- what an abbreviation stands for ---------------------------------------------------------

# A question asking what an abbreviation stands for ("What does JIT stand for?", "What does
# THB mean?", "What's NAP short for?") or what it is ("What is the IWG?", "What is ISEC?").
_ABBREVIATION = r"([A-Z][A-Z0-9]{1,7})"
_ASKS_EXPANSION = re.compile(
    rf"^\W*what\s+(?:does|do|did)\s+(?:the\s+)?(?:abbreviation\s+|acronym\s+)?{_ABBREVIATION}"
    r"\s+(?:stand|mean)\b|"
    rf"^\W*what(?:'s|\s+is)\s+(?:the\s+)?{_ABBREVIATION}\s+(?:short|an?\s+abbreviation)\s+for\b|"
    rf"\b(?:abbreviation|acronym)\s+{_ABBREVIATION}\b", re.IGNORECASE)
_ASKS_WHAT_IS = re.compile(
    rf"^\W*(?i:what|who)(?i:'s|\s+is|\s+are)\s+(?i:the\s+|an?\s+)?{_ABBREVIATION}s?\W*$")
# Words that may sit inside a name without giving it a letter ("Trafficking in Human Beings").
_LINKS = frozenset("of in the for and on to at by against with de".split())


def asked_abbreviation(question: str) -> tuple[str, bool] | None:
    """The abbreviation a question asks about, and whether it asks what it stands for (True)
    or only what it is (False); None when it asks neither. Only an abbreviation written in
    capitals counts ("JIT", "IWG"; not "it")."""
    m = _ASKS_EXPANSION.search(question)
    found = _singular_abbreviation(next((g for g in m.groups() if g), None) if m else None)
    if found is not None:
        return found, True
    m = _ASKS_WHAT_IS.search(question.strip())
    found = _singular_abbreviation(m.group(1) if m else None)
    return (found, False) if found is not None else None


def _singular_abbreviation(word: str | None) -> str | None:
    """``word`` if written in capitals, or without its plural's small "s" ("NGOs" -> "NGO":
    a page spelling out "non-governmental organisations" answers what "NGOs" stand for too);
    else None."""
    if word is None:
        return None
    if word.isupper():
        return word
    if len(word) > 2 and word[-1] == "s" and word[:-1].isupper():
        return word[:-1]
    return None


MAX_SPELT_LETTERS = 6


def spelt_abbreviations(text: str) -> frozenset[str]:
    """Every abbreviation of two to ``MAX_SPELT_LETTERS`` letters that ``text`` spells out
    (``spells_out``): the initials of capitalised words in a row, linked only by at most three
    short words in a row. One pass, whatever the abbreviations asked: "EU" for "the European
    Union", "CC" for "Creative Commons"."""
    words = _QUOTE_WORD.findall(text)
    out: set[str] = set()
    for i, w in enumerate(words):
        if not w[0].isupper():
            continue
        letters, j, links = w[0].upper(), i + 1, 0
        while len(letters) < MAX_SPELT_LETTERS and j < len(words) and links <= 3:
            v = words[j]
            if v[0].isupper():
                letters += v[0].upper()
                out.add(letters)
                links = 0
            elif v.lower() in _LINKS:
                links += 1
            else:
                break
            j += 1
    return frozenset(out)


def spells_out(text: str, abbreviation: str) -> bool:
    """Whether ``text`` spells the abbreviation out: words whose first letters give it, in a
    row (linked only by short words such as "in", "of", "the"), as in "Joint Investigation
    Teams (JIT)" or "Trafficking in Human Beings" for THB. A hyphenated word counts whole
    ("Inter-Agency Working Group" for IWG) or by its halves ("Non-Governmental
    Organisation" for NGO). Words in small letters count too, from three letters on, where
    the text also writes the abbreviation itself: "two non-governmental organisations- an
    Association of 3 NGOs" spells out NGO (a false "does not spell it out" had been said of
    it), while "inspectors work globally" is no IWG by chance."""
    letters = abbreviation.upper()
    small = len(letters) >= 3 and re.search(
        rf"\b{re.escape(abbreviation)}s?\b", text) is not None
    common = stopwords()
    found = _QUOTE_WORD.findall(text)
    whole = [w.strip("-") for w in found if w.strip("-")]
    halves = [p for w in found for p in w.split("-") if p]

    def initial(v: str, letter: str) -> bool:
        return v[0].upper() == letter and (v[0].isupper() or small and v not in common)

    def spelt(words: list[str]) -> bool:
        for i, w in enumerate(words):
            if not initial(w, letters[0]):
                continue
            k, j = 1, i + 1
            while k < len(letters) and j < len(words):
                v = words[j]
                if initial(v, letters[k]):
                    k += 1
                elif v.lower() not in _LINKS:
                    break
                j += 1
            if k == len(letters):
                return True
        return False

    return spelt(whole) or (halves != whole and spelt(halves))


def spelt_out_as(text: str, abbreviation: str) -> str | None:
    """The words of ``text`` that spell the abbreviation out (``spells_out``), or None: those
    it is defined by ("Joint Investigation Teams (JIT)") first, else the first name whose
    initials are exactly it ("... to fight Trafficking in Human Beings in the Western Balkans"
    for THB: a name may go on after a short word, not after another capital). A name spans
    no punctuation, so a sentence's first word is no initial of the next sentence's name. Two
    letters only where defined: by chance, "IgG and IgM" had spelt out the "II" of "Harold
    II"."""
    letters = abbreviation.upper()
    if len(letters) < 2:
        return None
    defined = re.compile(r"\s*\(\s*" + re.escape(abbreviation) + r"\b")
    words = list(_QUOTE_WORD.finditer(text))
    common = stopwords()

    def initial(v: str, letter: str) -> bool:
        # A capitalised word, not a stop word ("If the Program" is no "IP") nor an
        # abbreviation itself ("IgG and IgM" is no "II").
        return v[0] == letter and v[1:] == v[1:].lower() and v.lower() not in common

    found = None
    for i, m in enumerate(words):
        w = m.group()
        if not initial(w, letters[0]):
            continue
        k, j, last = 1, i + 1, i
        while k < len(letters) and j < len(words):
            v = words[j].group()
            if text[words[j - 1].end():words[j].start()].strip(" \t"):
                break  # punctuation or a line break ends a name
            if initial(v, letters[k]):
                k, last = k + 1, j
            elif v.lower() not in _LINKS:
                break
            j += 1
        if k < len(letters):
            continue
        end = words[last].end()
        if defined.match(text, end):
            return text[m.start():end]
        if found is not None or len(letters) < 3:
            continue  # two letters spell out by chance too often, unless defined
        before = words[i - 1] if i else None
        starts = before is None or not before.group()[0].isupper() \
            or before.group().lower() in _LINKS \
            or bool(text[before.end():m.start()].strip(" \t"))
        after = words[last + 1] if last + 1 < len(words) else None
        ends = after is None or not after.group()[0].isupper() \
            or bool(text[end:after.start()].strip(" \t"))
        if starts and ends:
            found = text[m.start():end]
    return found

# --- what a question names that its document must hold ----------------------------------------

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december")
_MONTH_NAMES = frozenset(_MONTHS.split("|"))

# A figure (a year, an article number, an amount) or a name in the middle of a question (a
# capital after a word, a comma or a bracket; not after a colon, which starts a sentence).
_SPECIFIC = re.compile(r"(?<![\w.])(\d[\d,.]*\d|\d)(?![\w])|(?<=[\w,;)] )([A-Z][\w'-]*\w)")
_CAPITALISED = re.compile(r"(?<=\s)[A-Z]")
_NO_CENTS = re.compile(r"(?<=\d)[.,]00$")


def specifics(question: str) -> list[str]:
    """The figures and names a question asks about: numbers ("2015", "187", "1.5") and
    capitalised words after its first word ("Croatia", "Europol"). A document that holds none
    of one of them cannot be what the question asks about, however close its topic."""
    words = question.split()
    # In Title Case or CAPITALS every word is capitalised: none of them marks a name.
    title_case = len(words) > 4 and len(_CAPITALISED.findall(question)) >= 0.6 * (len(words) - 1)
    out = []
    for m in _SPECIFIC.finditer(question):
        word = m.group(1) or (None if title_case else _named_part(m.group(2)))
        if m.group(1):  # no cents: "EUR 12,500.00" is the 12,500 a document gives
            word = _NO_CENTS.sub("", word)
        # A stop word ("May", "The", "US", "IT") carries no content to look for.
        if word and word not in out and (m.group(1) or tokenize(word)):
            out.append(word)
    # A day of the week names a day however it is typed ("open on saturdays?").
    out += [m.group(0) for m in _WEEKDAY.finditer(question)
            if m.group(0)[0].islower() and m.group(0) not in out]
    return out


_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b", re.IGNORECASE)


def _named_part(word: str) -> str:
    """A hyphenated name without its parts in small letters: "Slovenia-based" names
    Slovenia, and a page on Slovenia's NGOs had been said never to mention
    "Slovenia-based"."""
    parts = word.split("-")
    named = [p for p in parts if p[:1].isupper()]
    return "-".join(named) if 0 < len(named) < len(parts) else word


# Everyday errands and pastimes that no collection of documents on a subject answers (the
# weather, travel, roads and taxes, food, entertainment, sport, home computing), and the
# almanac's facts about a country (its capital, president, flag, language, climate): a closed
# class, like a stop list. A word of it that the documents use is theirs (a report on hotels'
# staff), so it counts only when they never do (``Answerer._asks_only_errand``).
ERRANDS = frozenset(tokenize(
    "weather forecast sunny rain raining snow snowing flight flights taxi ticket tickets "
    "hotel hotels restaurant restaurants recipe recipes cook cooking bake baking pizza "
    "coffee dinner lunch breakfast menu movie movies film films song songs lyrics poem "
    "poems joke jokes novel novels netflix football soccer basketball tennis shopping "
    "discount password router wifi tip tipping vacation holiday holidays tourist tourists "
    "sightseeing museum museums beach beaches airline airlines airport airports train trains "
    "bus buses trip trips ski skiing resort resorts hiking lake lakes mountain mountains "
    "cuisine dish dishes dessert vegetarian vegan wine beer cocktail handball volleyball "
    "hockey golf rugby cricket baseball marathon olympics laptop smartphone iphone android "
    "wallet roaming currency passport parking translate translation visa visas drive driving "
    "capital president prime anthem flag climate timezone language languages dialect religion "
    "inhabitants population vat tax taxes vignette motorway motorways highway highways toll "
    "tolls food foods favourite favorite lottery bitcoin crypto horoscope horoscopes celebrity "
    "celebrities gossip eurovision zone zones dinar dinars schengen nato eurozone"))
# Words that name only the kind of answer wanted ("What year?", "Which date?", "In what year
# was that?"): such a follow-up asks it of the conversation's subject, like "When?" (read
# alone, "year" had found "in recent years"; ``Answerer._reading``).
ANSWER_KINDS = frozenset(tokenize(
    "year years date dates day month place location venue amount sum figure number"))


def names_in(question: str) -> frozenset[str]:
    """The words (``keyword.tokenize``) of the names a question gives (``specifics`` that are
    words), not those labelling a numbered item ("Measure" of "Measure 3.1")."""
    items = {w for w, _ in numbered(question)}
    return frozenset(t for w in specifics(question) if not w[:1].isdigit()
                     and w.casefold() not in items for t in tokenize(w))


def missing_specifics(question: str, holds: Callable[[str], bool]) -> list[str]:
    """The ``specifics`` of ``question`` for which ``holds(word)`` is false."""
    return [w for w in specifics(question) if not holds(w)]


# A numbered item: a word and the figure right after it ("Article 187", "version 4",
# "Directive 96/9", "section 6c").
# (A letter right after the figure is part of it: "Article 111a" is not Article 111.)
_ITEM_FIGURE = r"(\d+(?:[./]\d+)*(?:[a-z](?![a-z]))?)"
_NUMBERED = re.compile(r"\b([A-Za-z][\w-]*)\s+" + _ITEM_FIGURE + r"(?![\d.,/]?\d)")


# Words before a figure that place it ("since 2009", "under 18", "the late 1700s", "October
# 1973") rather than name a numbered item: prepositions, order and time words and months, a
# closed class.
_NOT_NUMBERING = frozenset(
    "since during until till between around after before over under within per from to by at "
    "in on of for with without about above below past near than up down across through "
    "throughout beyond toward towards against among amongst via last first next top only "
    "approximately nearly almost roughly some least most aged age ages early late mid "
    "circa".split()) | _MONTH_NAMES


def numbered(question: str) -> list[tuple[str, str]]:
    """The numbered items a question names, as (word, figure): "What does Article 113 say?"
    -> [("article", "113")]. Words that carry no content ("in 2013", "of 5") are left out."""
    return [(m.group(1).casefold(), m.group(2)) for m in _NUMBERED.finditer(question)
            if tokenize(m.group(1)) and m.group(1).casefold() not in _NOT_NUMBERING]


def numbers_after(text: str, word: str) -> frozenset[str]:
    """Every figure that follows ``word`` in ``text`` ("Article 187", "article 14" ->
    {"187", "14"}): how a document numbers the things it calls ``word``."""
    return _figures_after(text, word)


def _figures_after(text: str, word: str) -> frozenset[str]:
    pattern = re.compile(_word_or_short(word, r"\s+") + _ITEM_FIGURE, re.IGNORECASE)
    return frozenset(m.group(1) for m in pattern.finditer(text))


# How documents shorten a unit's word ("Art. 12", "Sec 6", "§ 8"): a question's "article 12"
# (``spelling.written_out`` writes "art. 12" out) is their "Art. 12".
_SHORT_FORMS = {"article": r"arts?\.?", "section": r"secs?\.?|§§?", "paragraph": r"paras?\.?",
                "chapter": r"chap\.?|ch\."}


def _word_or_short(word: str, space: str, whole: str | None = None) -> str:
    """A pattern for ``word`` (or the pattern ``whole`` for it) then ``space``, or for its
    short forms, then ``space`` or, after a full stop or "§", no space at all."""
    short = _SHORT_FORMS.get(_singular(word.lower()))
    whole = rf"\b(?:{whole or re.escape(word)}){space}"
    if not short:
        return whole
    return rf"(?:{whole}|(?<![\w.])(?:{short})(?:{space}|(?<=[.§])))"


def unnumbered(item: tuple[str, str], figures: frozenset[str]) -> bool:
    """Whether a document that numbers its ``item[0]``s as ``figures`` lacks ``item``: it
    numbers them ("version 3"), but never with this figure ("version 4"). A document that
    never numbers them says nothing either way. "4" and "4.0" are the same figure."""
    def same(a: str, b: str) -> bool:
        return a == b or a.startswith(b + ".") or b.startswith(a + ".")
    return bool(figures) and not any(same(item[1], f) for f in figures)


# The numbered units of a text a question may ask about ("Measure 3.2", "Article 113", "step
# 4"): a quote from elsewhere does not answer for them. Not versions ("GPL 3", "version 2.1"):
# a document is the version it is, and its passages do not repeat its number.
MAX_TEXT_UNITS = 3
_TEXT_UNITS = frozenset(
    "article articles section sections measure measures clause clauses paragraph paragraphs "
    "chapter chapters annex annexes appendix step steps objective objectives recommendation "
    "recommendations rule rules point points activity activities action actions goal goals "
    "pillar pillars priority priorities indicator indicators task tasks case cases".split())
# A line opening with a number ("6. Conveying Non-Source Forms.", "3.2 Financial ..."): a
# numbered unit's heading in plain text, which does not repeat the unit's word.
_NUMBERED_LINE = re.compile(r"(?m)^[ \t#]*(?:([A-Za-z]+)[ \t]+)?(\d{1,3}(?:\.\d{1,3})*[a-z]?)"
                            r"(?:[.):]|[ \t]+[—–-])?[ \t]")


# How far before a sentence its unit's label is looked for ("Recommendation 4." opening the
# paragraph it is in), and the units that plain text numbers without their word ("6. Conveying
# Non-Source Forms." for section 6; not articles: a law numbers its paragraphs so).
UNIT_LOOKBACK = 4000
_BARE_UNITS = frozenset({"section", "sections"})


def _singular(word: str) -> str:
    """"activities" -> "activity", "annexes" -> "annex", "cases" -> "case"."""
    w = word.lower()
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("xes", "sses", "ches", "shes")):
        return w[:-2]
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def _unit_word(word: str) -> str:
    """A pattern for a unit's word, singular or plural ("activit(?:y|ies)")."""
    w = _singular(word)
    return re.escape(w[:-1]) + "(?:y|ies)" if w.endswith("y") else re.escape(w) + "(?:s|es)?"


def unit_label_before(text: str, start: int, end: int, word: str) -> str | None:
    """The figure of the last label of a ``word`` unit opening a line at or before ``start``
    (and not more than ``UNIT_LOOKBACK`` characters before it): "Recommendation 4. Ensure ..."
    or "## Case 2: ..." labels what follows it, up to the next label. Labels inside the quote
    are not its own (a law's "2." of a paragraph of Article 3)."""
    bare = r"|(?P<bare>\d{1,3})\.[ \t]+(?=[A-Z])" if word in _BARE_UNITS else ""
    label = _word_or_short(word, r"[ \t]+", _unit_word(word))
    pattern = re.compile(rf"(?im)^[ \t#*>_-]*(?:{label}(?P<fig>"
                         rf"\d+(?:[./]\d+)*[a-z]?)\b{bare})")
    found = None
    for m in pattern.finditer(text, max(0, start - UNIT_LOOKBACK), end):
        if m.start() > start:
            break
        found = m.group("fig") or m.group("bare")
    return found


def in_unit(text: str, start: int, end: int, passage: str, section: str,
            unit: tuple[str, str]) -> bool:
    """Whether the quote ``text[start:end]`` is from a numbered unit: the last label of such
    units at or before it is this one's (a quote under "Article 114" that cites "Article 112"
    is Article 114's, not 112's); with no label before it, it names the unit, or its section
    heading or else its passage does (``mentions_unit``)."""
    asked = unit[1].removesuffix(".0")
    label = unit_label_before(text, start, end, unit[0])
    if label is not None:
        return label.removesuffix(".0") == asked
    named = set(_figures_after(text[start:end], unit[0])) | set(
        _figures_after(text[start:end], _singular(unit[0])))
    if any(f.removesuffix(".0") == asked for f in named):
        return True
    return mentions_unit(passage, section, unit)


# The words of asking what a unit says, which a text seldom uses ("What does Recommendation 2
# say?", "What does step 4 involve?").
_UNIT_ASKING = frozenset(tokenize(
    "say says said require requires involve involves mean means ask asks cover covers "
    "contain contains demand demands need needs tell tells read reads explain explains "
    "happen happens happened describe describes concern concerns entail entails state states "
    "provide provides specify specifies deal deals"))


def asks_only_of_documents(question: str, known: Callable[[str], bool]) -> bool:
    """Whether every word a question asks about, the words of asking what a unit says aside,
    is one the documents use (``known``): "What does Measure 3.2 do?" is; "What is step 4 of
    the pancake recipe?" is not."""
    return all(known(t) or t in _UNIT_ASKING or t in _ARTICLE_FRAME
               for t in asked_terms(question))


def asks_what_unit_says(question: str) -> bool:
    """Whether a question naming numbered units asks only what they say ("What happens in
    Step 7?", "What does Article 113 say?"): no word of it but the units' and words of asking
    what a text says. Its answer opens the unit."""
    units = text_units(question)
    if not units:
        return False
    own = set(tokenize(" ".join(f"{w} {f}" for w, f in units)))
    return all(t in own or t in _UNIT_ASKING or t in _ARTICLE_FRAME
               for t in asked_terms(question))


def names_unit(sentence: str, unit: tuple[str, str]) -> bool:
    """Whether a sentence names the unit itself ("Step 7. The team shall ...")."""
    asked = unit[1].removesuffix(".0")
    return any(f.removesuffix(".0") == asked
               for w in (unit[0], _singular(unit[0])) for f in _figures_after(sentence, w))


def text_units(question: str) -> list[tuple[str, str]]:
    """The numbered units of a text a question names (``numbered``, of ``_TEXT_UNITS``), the
    first ``MAX_TEXT_UNITS``: each is looked for in every candidate's passage. Not a year
    ("cases 2024", "goals 2030")."""
    return [item for item in numbered(question) if item[0] in _TEXT_UNITS
            and not re.fullmatch(r"\d{4,}", item[1])][:MAX_TEXT_UNITS]


def mentions_unit(text: str, section: str, unit: tuple[str, str]) -> bool:
    """Whether a passage (``text`` under the heading ``section``) mentions a numbered unit,
    with the unit's word ("Measure 3.2", "under Article 113") or as a numbered heading
    ("6. Conveying Non-Source Forms.")."""
    hay = f"{section}\n{text}"
    word = _singular(unit[0])
    figures = set(_figures_after(hay, unit[0])) | set(_figures_after(hay, word))
    # A heading line with the unit's word ("Step 4.", not "Measure 4.1 —"), or with none for
    # the units plain text numbers so ("6. Conveying Non-Source Forms.": section 6) and for a
    # figure with its parts ("3.2 Following the money": measure 3.2, not step 5 of "5.").
    figures |= {f for w, f in _NUMBERED_LINE.findall(hay)
                if (not w and (unit[0] in _BARE_UNITS or "." in f))
                or _singular(w) == word}
    # The same figure, "4" and "4.0" alike; not the "2" of a heading over unit "2.2".
    asked = unit[1].removesuffix(".0")
    return any(f.removesuffix(".0") == asked for f in figures)


# A question that asks for a count, an amount, a share or a year.
_ASKS_NUMBER = re.compile(r"^\W*((and|so|but|also|ok|okay|then|tell me)\W+)*"
                          r"(how (many|much|old)|what (percentage|proportion|share|"
                          r"number|amount|year)|in (what|which) year|which year|"
                          # "What's the population of ...?", "What was the budget?"
                          # (of someone: "What was the inspectorate's budget?")
                          r"what(\W?s|\s+(is|was|are|were))\s+(the\s+)?([\w-]+['’]s?\s+)?"
                          r"(population|budget|cost|price|percentage|proportion|share|number|"
                          r"amount|total|rate|salary|wage|age|size|sum|head\s?count|tally|"
                          # "What is the maximum sentence?", "What's the average wait?"
                          r"maximum|minimum|average|mean|median|highest|lowest|longest|"
                          r"shortest)s?)\b", re.IGNORECASE)
# A digit that is not inside a word: digits in "CC0" or "GPLv3" name something; they are not a
# figure or a date.
_DIGIT = r"(?<![^\W\d_])\d"
# A figure: digits, or a number in words. Not "several", "many" or "no": a sentence about
# something else holds them as easily as the answer does.
_NUMBER = re.compile(_DIGIT + r"|\b(one|two|three|four|five|six|seven|eight|nine|ten|"
                     r"eleven|twelve|(thir|four|fif|six|seven|eigh|nine)teen|twenty|thirty|forty|"
                     r"fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|"
                     r"dozens?|half|once|twice)\b", re.IGNORECASE)


# A question asking when something happened (a time point, in the past tense): "When was it
# adopted?", "When did he die?". Present-tense "when" often asks for a condition
# ("When can a victim apply?"), which a sentence without a date answers.
_ASKS_PAST_TIME = re.compile(r"^\W*when (was|were|did)\b", re.IGNORECASE)
# "Since when ...?" asks for a point in time: a year, a month or a span ("for decades"), not any
# figure ("a 90 day period", "Article 187").
_ASKS_SINCE_WHEN = re.compile(r"^\W*((and|so|but)\W+)?since when\b", re.IGNORECASE)
# A date or a time: digits, a month, or a span of years. Not "before" or "after": a sentence
# about something else holds them as easily.
_TIME_WORD = re.compile(rf"\b({_MONTHS}|century|centuries|decades?|years?|ago)\b",
                        re.IGNORECASE)
_TIME = re.compile(rf"{_DIGIT}|{_TIME_WORD.pattern}", re.IGNORECASE)


# A question asking how long something lasts ("For how long?", "Until when?", "How many
# months?"), and what a sentence says a span with: a figure of days to years, or "for the
# duration of", "until", "as long as", "permanently".
_ASKS_DURATION = re.compile(r"\b(how\s+long|until\s+when|till\s+when|how\s+many\s+(days|"
                            r"weeks|months|years))\b", re.IGNORECASE)
_DURATION = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|thirty|sixty|ninety)"
    r"[\s-]+(hours?|days?|weeks?|months?|years?)\b|\bfor\s+the\s+duration\s+of\b|\buntil\b|"
    r"\bas\s+long\s+as\b|\bpermanent(ly)?\b|\bindefinitely\b", re.IGNORECASE)


def asks_only_duration(question: str) -> bool:
    """Whether a question asks how long something lasts and nothing else of its own ("For
    how long?", "and until when?"; not "How long is the reflection period?")."""
    return bool(_ASKS_DURATION.search(question)) and not (
        set(asked_terms(_ASKS_DURATION.sub(" ", question))) - ANSWER_KINDS)


def asks_only_count(question: str) -> bool:
    """Whether a question asks how many and names nothing it counts ("How many are they?",
    "how many of them are there?", "How many?"): it counts what the last answer names."""
    return bool(_HOW_MANY_ALONE.search(question)) and not counted_words(question) \
        and not set(asked_terms(question)) - ANSWER_KINDS - BACK_REFERENCES


def asks_only_time(question: str) -> bool:
    """Whether a question asks when and names nothing of its own ("Since when?", "When was
    that?", "and in what year?"; not "When did the project start?"): it asks it of what the
    last answer names."""
    return bool(_WHEN_ALONE.search(question)) \
        and not set(asked_terms(question)) - ANSWER_KINDS - BACK_REFERENCES


_WHEN_ALONE = re.compile(r"^\W*(?:(?:and|so|but|ok|okay)\W+)?(?:since\s+when|from\s+when|"
                         r"as\s+of\s+when|when|(?:in\s+|from\s+)?(?:what|which)\s+year)\b",
                         re.IGNORECASE)


def gives_time(text: str) -> bool:
    """Whether ``text`` says when: a year as a time ("in 2010", "since 1991", "October 2013";
    not "2010 shelters" nor "Article 2015"), a month as one ("in May", "3 May"; not "May
    victims refuse?"), or a date in figures ("14.03.2011")."""
    return bool(_YEAR.search(text) or _DATED_MONTH.search(text) or _NUMERIC_DATE.search(text))


# A date written in figures ("14.03.2011", "3/5/2019", "2011-03-14").
_NUMERIC_DATE = re.compile(r"\b(?:\d{1,2}[./]\d{1,2}[./](?:1[89]|20)\d\d|"
                           r"(?:1[89]|20)\d\d-\d{1,2}-\d{1,2})\b")


# (capitalised: "victims may obtain" names no month)
_MONTH_CAPITALISED = "|".join(m.capitalize() for m in _MONTHS.split("|"))
_DATED_MONTH = re.compile(rf"\b(?i:in|since|from|until|till|by|of|early|late|mid|last|next|"
                          rf"during|before|after)\s+(?:{_MONTH_CAPITALISED})\b|"
                          rf"\b(?:{_MONTH_CAPITALISED})\s+\d|\d\s+(?:{_MONTH_CAPITALISED})\b")


_HOW_MANY_ALONE = re.compile(r"\bhow many\b", re.IGNORECASE)


def gives_duration(text: str) -> bool:
    """Whether ``text`` says how long something lasts ("a 90 day reflection period", "for the
    duration of the trial")."""
    return bool(_DURATION.search(text))


def lacks_asked_time(question: str, quote: str) -> bool:
    """A question asking when something happened, answered by a quote with no date, year or
    time word at all: it cannot be the answer."""
    if _ASKS_SINCE_WHEN.search(question):
        return not (_A_YEAR.search(quote) or _TIME_WORD.search(quote))
    return bool(_ASKS_PAST_TIME.search(question)) and not _TIME.search(quote)


# A question about one of a series by its later place in it ("the final conference", "the
# next workshop", "the last country to host ..."), and the words by which a quote can say so.
# Not "first" or "initial": "the first reflection period" of a page with one is the same thing
# (a review of the fifth session of 2026-12-06), and a first one is what pages name.
_ORDER = {
    "final": r"final\w*|last|conclu\w*|clos\w*|end\w*",
    "last": r"last|final\w*|conclu\w*|clos\w*|end\w*",
    "closing": r"clos\w*|final\w*|last|conclu\w*|end\w*",
    "latest": r"latest|recent\w*|last|current\w*|new\w*",
    "most recent": r"recent\w*|latest|last|current\w*|new\w*",
    "next": r"next|upcoming|subsequent\w*|future|plan\w*|will|following|after\w*|then|again|"
            r"later",
    "upcoming": r"upcoming|next|future|plan\w*|will|again|later",
    # ("follows the plan for 2020-2023", "It replaces Guideline No. 4/2018" name it too)
    # (a plan that follows or replaces a named or dated one names it: "follows the plan for
    # the period 2020-2023", "replaces Guideline No. 4/2018"; not "followed by ...", nor
    # "follows a human-rights based approach")
    "previous": r"previous\w*|earlier|prior|former\w*|preced\w*|before|(?:follows|succeeds|"
                r"replac(?:es|ing)|supersed(?:es|ing))\s+(?:\S+\s+){0,5}?(?:\d{4}|No\.|"
                r"(?-i:[A-Z])\w*)",
}
# Lower case, after a determiner and before a noun: "the next conference"; not "What happens
# next?", "last year" (a time of the asker's, which the year checks judge), a fixed phrase
# ("next of kin", "last name", "final decision", "last resort") nor a name ("the Last Supper").
_ASKS_ORDER = re.compile(
    r"\b(?i:the|its|their|a|an|this|that|which|what)\s+(?:very\s+)?(" + "|".join(_ORDER)
    + r")\s+(?!(?:time|times|year|years|month|months|week|weeks|day|days|night|of|to|name|names|"
    r"decision|decisions|say|word|words|resort|minute|straw|date|dates|deadline)\b)[A-Za-z]")


# Who came before someone named ("Who was the Chief Inspector before Marta Kovanic?", "Who
# preceded her?", "her predecessor"): a question about the previous one too. A probe's was
# answered confidently by the sentence naming the one now in office.
# (Asked of a person: "Who was / held / led ... before <Name>", not a clause "applicants who
# registered before March", "before I go" or "before Step 6".)
_ASKS_PREDECESSOR = re.compile(
    r"^\W*who\s+(?:was|were|is|held|led|headed|ran|chaired|served)\b[^?.!]*\b"
    r"(?:before|prior\s+to)\s+(?!(?i:" + _MONTHS + r")\b)(?-i:[A-Z][a-z]+)\b(?!\s+\d)|"
    r"\bwho\s+preceded\b|\bpredecessors?\b", re.IGNORECASE)


def lacks_asked_order(question: str, quote: str) -> str | None:
    """The later place in a series that a question asks about ("final") when the quote says
    nothing of the kind (a quote naming only "the first event" does not say which was the
    final one); "previous" for one asking who came before someone the quote does not place
    so."""
    for m in _ASKS_ORDER.finditer(question):
        word = m.group(1)
        if not re.search(rf"\b({_ORDER[word]})\b", quote, re.IGNORECASE):
            return word
    if _ASKS_PREDECESSOR.search(question) and not re.search(
            rf"\b({_ORDER['previous']}|until|succeed\w*|took\s+over)\b", quote, re.IGNORECASE):
        return "previous"
    return None


# A question asking for a penalty: "what", "which", "how long / much / severe" and, within
# the next few words, the penalty asked for ("What penalty does Article 187 provide ...?",
# "What is the prison term for ...?", "How long is the sentence ...?"). Not one naming
# penalties on the way to asking something else ("What triggered Brussels to consider
# criminal penalties ...?"), a sentence of a text ("Which sentence mentions ...?"), a prison
# ("Which prison is he in?") nor sanctions between states.
_PENALTY_ASKED = (r"(penalt(y|ies)|punishments?|sentences?(?!\s+(mentions?|says?|states?|"
                  r"contains?|describes?|refers?|names?|speaks?|talks?|is\s+structured|of|in|"
                  r"from|on)\b)|prison\s+(terms?|sentences?)|jail\s+(terms?|time)|"
                  r"imprisonment|fines?)")
# Or the penalty alone, as a keyword question opens ("Penalty for trafficking in Slovenia?",
# "Maximum sentence for forced labour?": a blind probe's, left confident by the first form).
_ASKS_PENALTY = re.compile(
    r"\b(what|which|how)\b[^?]{0,30}?\b" + _PENALTY_ASKED + r"\b"
    r"|^\W*((and|so)\s+)?((the|a)\s+)?((maximum|minimum|max|min|usual|typical)\s+)?"
    + _PENALTY_ASKED + r"\s+(for|under|of|in)\b", re.IGNORECASE)
# What a quote giving a penalty says: the penalty's own words, a term ("up to 12 years"; not
# "in recent years"), or a sum to pay ("liable to pay EUR 500", "a surcharge of 5 percent").
_PENALTY = re.compile(r"\b(penalt\w*|punish\w*|imprison\w*|prison\w*|jail\w*|fine[sd]?|"
                      r"sentenc\w*|sanction\w*|custod\w*|detention|pa(y|id|ys|ying)|"
                      r"surcharges?|fees?|forfeit\w*|confiscat\w*|deport\w*|disqualif\w*|"
                      r"community service|eur|euros?|usd|dollars?|pounds?|percent)\b|[€$£%]|("
                      + _NUMBER.pattern + r")[\s-]+(years?|months?|weeks?|days?)\b",
                      re.IGNORECASE)


# A question asking for a sum of money: "how much" with a word of money in it ("How much is the
# rent subsidy?", "How much did the Government provide?" is left to the figure check: it names
# no money), or "what is the cost / price / fee / salary ...". A sum is written with a currency
# or its sign; "free (of charge)" or "no fee" answers too.
_MONEY_WORDS = (r"(?:cost|costs|price|prices|fee|fees|subsid(?:y|ies)|salar(?:y|ies)|wages?|"
                r"budget|funding|funds?|money|grants?|payments?|compensation|damages|fines?|"
                r"allowances?|rent|charges?|donations?|contributions?|spend|spent|earn|earns|"
                r"worth|paid|pay|pays|award|awarded)")
_ASKS_AMOUNT = re.compile(r"\bhow\s+much\b(?=[^?.!]*\b" + _MONEY_WORDS + r"\b)|"
                          # "how big are the fines ...?": the sum itself, not "how high is
                          # the gender pay gap?" nor "how large is the share of fines ...?"
                          r"\bhow\s+(?:big|large|high|steep|heavy)\s+(?:is|are|was|were)\s+"
                          r"(?:the\s+|their\s+|its\s+)?(?:[\w-]+\s+)?" + _MONEY_WORDS
                          + r"(?!\s+(?:gap|share|rate|ratio|of)\b)\b|\bwhat(?:\W?s|\s+"
                          r"(?:is|was|are|were))\s+(?:the\s+)?(?:[\w-]+['’]s?\s+)?"
                          # "the statutory minimum wage", "the average monthly salary"; not
                          # "the purpose of fines"
                          r"(?:(?!(?:of|for|on|in|to|about|behind|with|from)\b)[\w-]+\s+){0,2}"
                          r"(?:cost|price|fee|budget(?!\s+(?:for\s*\?|period|line|cycle|year|"
                          r"process|procedure|structure))|"
                          r"salary|wage|subsidy|allowance|rent|fine)s?\b"
                          # "the public transport price reform" asks for no sum
                          r"(?!\s+(?:reforms?|polic(?:y|ies)|rules?|procedures?|priorities|"
                          r"systems?|regimes?|debates?|laws?|schemes?))", re.IGNORECASE)
# A sum: a currency sign, a currency code by a figure ("MDL 20,000", "20,000 RUR", "10 EUR"),
# a currency's name, or "free" / "no fee".
# (A currency code is one of ``_CURRENCY_CODES``, in capitals, by a figure that ends in a
# digit: "and 3", "2023, SHE" and "2022 NGO" had read as sums.)
# ("1.8 million people" is a count, not a sum: a figure in millions counts unless a word for
# people or things counted follows; a currency the list does not know, "14.2 million dravs",
# still counts.)
_CURRENCY_CODES = ("EUR USD GBP CHF JPY CNY RUB UAH PLN CZK HUF RON BGN RSD BAM MKD ALL MDL GEL "
                   "AMD AZN TRY SEK NOK DKK ISK HRK INR BRL CAD AUD NZD ZAR MXN KRW SGD HKD AED "
                   "SAR ILS EGP NGN KES PHP IDR MYR VND PKR BDT LKR NPR RUR").split()
# ("THB", the baht's code, is this domain's "trafficking in human beings": not a currency.)
_CODE = r"(?-i:" + "|".join(_CURRENCY_CODES) + r")"
# Words for people or things counted in millions: "1.8 million people" is no sum.
_COUNTED_IN_MILLIONS = "|".join((
    "people persons? inhabitants residents citizens users visitors viewers listeners readers "
    "households refugees families children women men adults migrants workers victims "
    "students voters members calls views copies items units tonnes tons kilometres "
    "kilometers km hectares litres liters barrels cases records pages downloads times hours "
    "days years").split())
_AMOUNT = re.compile(r"[€$£¥₴₽₺₾₸]|\bK[čc]\b|\bz[łl]\b|\b" + _CODE + r"\s?\d|"
                     r"\d(?:[\d.,]*\d)?\s?(?:" + _CODE + r"\b"
                     r"|(?:million|billion|thousand|bn)\b(?!\s+(?:" + _COUNTED_IN_MILLIONS
                     + r")\b))|\b(?:eur(?:os?)?|(?<!per\s)cents?|dollars?|pounds?|usd|gbp|"
                     r"francs?|dinars?|denars?|kunas?|lei|leu|leva|lev|lek[eë]?|lari|lira|liras|"
                     r"zlot(?:y|ys|ych)|forints?|rubles?|roubles?|hryvnias?|yen|yuan|rupees?|"
                     r"crowns?|kron(?:a|or|er|e)|marks?|pence|manat|tenge|dram|som)\b|\bfree\b|"
                     r"\bno\s+(?:fee|charge|cost)s?\b|\bnothing\b", re.IGNORECASE)


def lacks_asked_amount(question: str, quote: str) -> bool:
    """A question asking for a sum of money, answered by a quote that gives none (no currency
    nor its sign: "a rent subsidy for up to one more year" gives no amount of the subsidy)."""
    return bool(_ASKS_AMOUNT.search(question)) and not _AMOUNT.search(quote)


def lacks_asked_penalty(question: str, quote: str) -> bool:
    """A question asking what penalty applies, answered by a quote that gives none (one that
    says only that something is an offence, or who prosecutes it)."""
    return bool(_ASKS_PENALTY.search(question)) and not _PENALTY.search(quote)


# A question asking which article, section or clause says something ("Which article of the
# Criminal Code defines trafficking?"), and the words it asks about: not the words of the frame
# (the numbered unit, the text it belongs to, "defines", "covers" ...). A quote citing an
# article only for something else ("... child pornography ... under Article 187 of the Criminal
# Code", in the sentence after one naming trafficking) does not answer it.
# (Case matters only for the text's name: its words are capitalised, or words of a code.)
_ASKS_ARTICLE = re.compile(
    r"\b(?i:which|what)\s+(?i:articles?|sections?|subsections?|clauses?|paragraphs?|"
    r"provisions?)\b((?:\s+(?i:of|in|under)(?:\s+(?i:the))?(?:\s+(?:[A-Z][\w.-]*|\d[\w.-]*|"
    r"(?i:" + "|".join(
        "criminal penal civil labour labor code law act licence license convention directive "
        "regulation treaty constitution statute public general protocol agreement".split())
    + r")\b))+)?)")
# The verbs of asking what a unit of a text does, as ``keyword.tokenize`` stems them.
_ARTICLE_FRAME = frozenset(tokenize(
    "article articles section sections subsection clause clauses paragraph paragraphs "
    "provision provisions defines define defined definition covers cover covered deals deal "
    "regulates regulate governs govern says say sets set lays lay contains contain provides "
    "provide concerns concern applies apply addresses address refers refer mentions mention "
    "states state specifies specify describes describe explains explain talks talk handles "
    "handle treats treat discusses discuss criminalises criminalise criminalizes criminalize "
    "prohibits prohibit bans ban punishes punish makes make lists list exactly number "
    "relevant applicable offence offences offense offenses crime crimes criminal"))
# A cited unit: "Article 187(2)", "Art. 12", "section 6b", "§ 3", "paragraph 2".
_CITED_UNIT = re.compile(r"\b(?:articles?|art\.|sections?|subsections?|clauses?|paragraphs?|"
                         r"para\.)\s*\(?\d|§\s*\d", re.IGNORECASE)


def unbound_article(question: str, quote: str) -> str:
    """For a question asking which article (section, clause ...) says something, what it asks
    about (the question's words from the first to the last it asks about) when no sentence of
    the quote that cites an article holds any of them: the article the quote cites is cited for
    something else. Empty when the question asks no such thing, names nothing beyond the frame
    ("Which article?" after a question), or the quote cites no article (other checks read what
    it lacks)."""
    m = _ASKS_ARTICLE.search(question)
    if m is None or not _CITED_UNIT.search(quote):
        return ""
    skip = conversational_words(question) | _FUNCTION_WORDS
    words = [w for w in _WORD.finditer(question)
             if not (m.start() <= w.start() < m.end()) and (t := tokenize(w.group()))
             and not set(t) <= _ARTICLE_FRAME and w.group().lower() not in skip]
    asked = set(tokenize(" ".join(w.group() for w in words)))
    if not asked:
        return ""
    from .chunking import sentences

    # A quote opening with the unit it cites ("Article 2\nDefinitions\n1. Trafficking ...
    # means ...") cites it for all it says.
    if _CITED_UNIT.match(quote.lstrip(" \t\n#*")) and asked & set(tokenize(quote)):
        return ""
    for a, b in sentences(quote, 0, len(quote)):
        part = quote[a:b]
        if _CITED_UNIT.search(part) and asked & set(tokenize(part)):
            return ""
    return question[words[0].start():words[-1].end()]


# A question asking what something is for ("What is the purpose of the project?", "What are
# the aims of the plan?", "Why was the unit set up?"), and the words by which a sentence says
# what something is for. Not "to fight ..." alone: a project's title says that much. Not
# "What was it for?" either: after "How much did the Government provide?" it asks what the
# money went to ("for victim assistance"), which no word of purpose says.
_ASKS_PURPOSE = re.compile(
    r"\b(?:purposes?|aims?|goals?|objectives?|intentions?|missions?|rationale)\s+(?:of|for|"
    r"behind)\b|\bwhy\s+(?:was|were|is|are|did)\s+"
    r"[\w\s-]{1,60}?\b(?:set\s+up|created|established|launched|founded|introduced|started|"
    r"adopted)\b|\bwhat\s+(?:does|did|do)\s+[\w\s-]{1,60}?\baims?\s+(?:to|at|for)\b|"
    # "what's it meant to achieve?", "what is it trying to accomplish?", "the point of it"
    r"\b(?:meant|supposed|intended|designed|trying|hoping|hopes?|set\s+out|want(?:s|ed)?)\s+"
    r"to\s+(?:achieve|accomplish|attain)\b|\bthe\s+point\s+of\b(?!\s+contact)",
    re.IGNORECASE)
_PURPOSE = re.compile(r"\b(?:in\s+order\s+to|so\s+as\s+to|so\s+that|aim\w*|goals?|"
                      r"objectives?|purposes?|intend\w*|intention\w*|seeks?\s+to|designed\s+to|"
                      r"meant\s+to|with\s+a\s+view\s+to|mission)\b", re.IGNORECASE)


# A question asking why ("Why?", "and why was it set up?", "What is the reason for ...?",
# "How come ...?"), and the words by which a sentence gives a reason or a cause.
_ASKS_REASON = re.compile(r"\bwhy\b|^\W*(?:(?:and|but|so|ok|okay)\W+)?how\s+come\b|"
                          r"\bwhat(?:['’]s|\s+(?:is|was|are|were))\s+the\s+(?:reasons?|"
                          r"rationale)\b|\bfor\s+what\s+reasons?\b", re.IGNORECASE)
# ("since" as a time, "Since 2013", "thus far", and "As many as ..." give no reason)
_REASON = re.compile(r"\b(?:because|since(?!\s+(?:\d\w*|the\s+\d\w*|then|when|last|early|late|"
                     rf"{_MONTHS})\b)|due\s+to|owing\s+to|thanks\s+to|given\s+that|"
                     r"in\s+order\s+to|so\s+as\s+to|so\s+that|purposes?|aims?|aimed|reasons?|"
                     r"as\s+a\s+result|therefore|hence|thus(?!\s+far)|precondition|"
                     r"to\s+ensure|caused?|led\s+to|argu(?:e|ed|es|ing)|"
                     r"(?:felt|believed|feared)\s+that)\b|"
                     r"(?:^|[.;:]\s+)As\s+(?!(?:a|an|the|well|of|to|for|many|much|such|soon|long|"
                     r"far|regards)\b)\w", re.IGNORECASE)


def asks_reason(question: str) -> bool:
    """Whether a question asks why something is or was so."""
    return bool(_ASKS_REASON.search(question))


def states_reason(text: str) -> bool:
    """Whether ``text`` gives a reason, a cause or a purpose ("because", "due to", "in order
    to", "As JITs are a tool rarely used ..., knowledge ... is a precondition ...")."""
    return bool(_REASON.search(text))


# A question asking what a work or an undertaking is called ("What is the title of the new
# JIT project?", "what is the name of its sequel?", "what was the new project called?"), not a
# person's name; and how a sentence gives a title ("The title of the new project is ...",
# "a programme called ...").
_TITLED = (r"(?:project|programme|program|scheme|plan|initiative|campaign|strategy|law|act|"
           r"report|document|book|film|album|song|sequel|follow[- ]?(?:up|on)|conference|"
           r"network|study|survey)s?")
_ASKS_TITLE = re.compile(
    rf"\b(?:title|name)\s+of\s+(?:(?:the|its|their|this|that|his|her)\s+)?(?:[\w'-]+\s+){{0,3}}?"
    rf"{_TITLED}\b|\bwhat(?:['’]s|\s+(?:is|was|are|were))\s+(?:(?:the|its|their)\s+)?"
    rf"(?:[\w'-]+\s+){{0,4}}?"
    rf"{_TITLED}\s+called\b|\b{_TITLED}(?:['’]s)?\s+(?:title|name)\b", re.IGNORECASE)
_GIVES_TITLE = re.compile(r"\b(?:title|name)\s+of\s+[^.]{0,80}?\b(?:is|was)\b|"
                          r"(?<!so-)\b(?:called|entitled|titled|named|known\s+as)\b"
                          r"(?!\s+(?:for|to|on|upon|in|by)\b)", re.IGNORECASE)
# A work's title in quotation marks right after its word: 'the previously concluded project
# "The introduction of the requirements for ..."'.
_QUOTED_TITLE = re.compile(rf"\b{_TITLED}\s*(?:[:,]\s*)?[\"“„«]\s*(?-i:[A-Z])", re.IGNORECASE)


# A question asking what a term means: "What does 'convey' mean in GPL version 3?", "What is
# an Application under the LGPL?", "GPLv3 definition of a User Product?", "meaning of
# covered work". The term is at most four words, in quotation marks or not; a place or
# document after it ("in GPL version 3", "under the LGPL") is no part of it.
_QUOTES = "'\"“”‘’"
_TERM = rf"[{_QUOTES}]?((?:[\w-]+\s+){{0,3}}?[\w-]+)[{_QUOTES}]?"
_WITHIN = r"(?:,?\s(?:in|under|according\s+to|for\s+the\s+purposes\s+of)\s[^?\s][^?]*)?"
_ASKS_MEANING = re.compile(
    rf"\bwhat\s+(?:does|do)\s+(?:the\s+)?(?:term\s+|word\s+|phrase\s+)?{_TERM}\s+mean\b"
    rf"|^\W*(?:[\w.-]+\s*:\s*)?what(?:['’]s|\s+is|\s+are)\s+"
    rf"(?!(?:the\s+)?(?:definition|meaning)\s+of\b|meant\s+by\b)"
    rf"(?:an?\s+|the\s+)?{_TERM}{_WITHIN}\s*\??\s*$"
    rf"|\b(?:define|definition\s+of|meaning\s+of|meant\s+by)\s+(?:an?\s+|the\s+)?"
    rf"(?:term\s+|word\s+|phrase\s+)?{_TERM}"
    rf"{_WITHIN}\s*\??\s*$", re.IGNORECASE)


def defined_term(question: str) -> str | None:
    """The term a question asks the meaning of (``_ASKS_MEANING``), or None."""
    m = _ASKS_MEANING.search(" ".join(question.split()))
    if m is None:
        return None
    term = next(g for g in m.groups() if g)
    return term if tokenize(term) else None


# What follows a term being defined, within three words: '"Larger Work" means ...'.
_MEANS = (r"(?:\s+[\w-]+){0,3}?\s+(?:means|mean|shall\s+mean|refers\s+to|is\s+defined\s+as|"
          r"are\s+defined\s+as|is\s+any|are\s+any)\b")


def defines(term: str, text: str) -> bool:
    """Whether a sentence says what ``term`` means: '"The Program" refers to ...', 'To
    "convey" a work means ...', 'An "Application" is any work ...', '"Source" form shall mean
    ...', '... is also called the "Linked Version"', 'X (hereinafter "Y") ...'."""
    t = r"\s+".join(map(re.escape, term.split()))
    q, means = f"[{_QUOTES}]", _MEANS
    # In quotation marks, the term is being defined wherever it stands; bare, only as the
    # sentence's subject ("Efforts to prevent human trafficking include ..." defines nothing).
    return re.search(
        rf"{q}{t}{q}{means}|{q}{t}{q}\s+(?:is|are|includes?)\b"
        rf"|^\W*(?:[\d.]+\s+)?(?:to\s+|the\s+|an?\s+)?{t}{means}"
        rf"|\b(?:called|termed|known\s+as|hereinafter)\s+(?:the\s+)?{q}{t}{q}",
        text.strip(), re.IGNORECASE) is not None


def asks_title(question: str) -> bool:
    """Whether a question asks what a work or an undertaking is called (a project, a plan, a
    report ...; not a person)."""
    return bool(_ASKS_TITLE.search(question))


def title_asked(question: str) -> str:
    """The words asking for a title ("What was the previous project called", "name of its
    sequel"), or "" for a question asking none: what they name is the thing whose title is
    asked ("The earlier project - what is the name of its sequel?" asks the new one's)."""
    m = _ASKS_TITLE.search(question)
    return m.group(0) if m else ""


def gives_title(text: str, quoted: bool = False) -> bool:
    """Whether ``text`` says what something is called ("The title of the new project is
    ..."); with ``quoted``, or gives its title in quotation marks after its word ('the
    previously concluded project "The introduction of ..."', which says what it is called
    only in passing)."""
    return bool(_GIVES_TITLE.search(text) or (quoted and _QUOTED_TITLE.search(text)))


def asks_purpose(question: str) -> bool:
    """Whether a question asks what something is for: its purpose, aim or goal, or why it was
    set up."""
    return bool(_ASKS_PURPOSE.search(question))


def states_purpose(text: str) -> bool:
    """Whether ``text`` says what something is for ("in order to promote", "aims to", "the
    goal is")."""
    return bool(_PURPOSE.search(text))


def lacks_asked_purpose(question: str, quote: str) -> bool:
    """A question asking what something is for, answered by a quote that says nothing of what
    anything is for (a project's title: "The title of the new project is ...")."""
    return asks_purpose(question) and not states_purpose(quote)


# A day or a moment counted from the asker's now ("today", "tonight", "this weekend", "right
# now"), in lower case (not a name, "TODAY"): a document says what held when it was written.
# Not "now" or "nowadays" alone ("What happens now?", "still in force nowadays" of a text saying
# what survives today), nor "today's" ("today's workers" are present-day ones).
_MOMENT = re.compile(r"\b(today(?!'s)|tonight|tomorrow|yesterday|right now|this (morning|"
                     r"afternoon|evening|week|weekend|month)|next (week|weekend|month)|last "
                     r"(night|week|weekend))\b")
# What a quote says of the present, or of days, that may answer it ("Currently, two shelters
# operate", "open daily", "on Saturday and Sunday").
_PRESENT = re.compile(r"\b(today|tonight|tomorrow|yesterday|now|currently|nowadays|presently|"
                      r"at present|at the moment|to date|this (morning|afternoon|evening|week|"
                      r"weekend|month)|daily|every day|saturdays?|sundays?|weekends?|"
                      r"evenings?|nights?)\b", re.IGNORECASE)


# A question asking what the time, the day or the date is now ("What time is it?", "what's
# today's date", "What day is today?", "what time is it in Beijing right now"): no document
# answers it, written as it was at another moment; its one word ("time", "day") had found "full
# time" and "a 90 day reflection period". Not in the past ("What year was it?" after a
# question on an event asks the event's year), nor followed by what it asks about ("What day
# is it held?", "What time is it open?"), nor of a place without a word for now ("What is the
# time in custody?", "What's the date in Annex II?" ask about the text).
_NOW = r"(?:now|today|tonight|currently|at\s+the\s+moment|right\s+now)"
_ASKS_NOW = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|hey|hi|hello|sorry|please|excuse\s+me)\W+)*(?P<core>"
    r"(?P<clock>what\s+time\s+(?:is\s+it|it\s+is)|what(?:['’]s|\s+is)\s+the\s+time"
    r"|(?:(?:can|could|would)\s+you\s+)?(?:tell|give)\s+me\s+(?:the\s+time|what\s+time\s+it\s+is)"
    r"|(?:do|does)\s+(?:you|anyone)\s+(?:know|have)\s+(?:the\s+time|what\s+time\s+it\s+is))"
    r"|(?P<isit>(?:what|which)\s+(?:day|date|year|month)(?:\s+of\s+the\s+(?:week|month|year))?"
    r"\s+is\s+it)"
    r"|what(?:['’]s|\s+is)\s+(?:the\s+)?(?:date|day)"
    r"|what(?:['’]s|\s+is)\s+(?:today['’]?s|todays)\s+date"
    r"|what\s+day\s+is(?=\s+today)"
    r"|(?:(?:can|could|would)\s+you\s+)?(?:tell|give)\s+me\s+the\s+date)"
    r"(?P<tail>(?:\s*,?\s+(?:" + _NOW + r"|here|there|please|in\s+(?!(?:the|this|that|these|"
    r"those|a|an|its|their|his|her|our|your|my)\b)[^\W\d_][\w-]*(?:\s*,?\s+[^\W\d_][\w-]*)?))*)"
    r"\W*$", re.IGNORECASE)
_NOW_WORD = re.compile(r"\b" + _NOW + r"\b", re.IGNORECASE)


def asks_the_moment(question: str, in_conversation: bool = False) -> bool:
    """Whether a question asks what the time, day or date is now (``_ASKS_NOW``). After a
    conversation, only the clock ("What time is it?"), "What day (year, ...) is it?" or a
    form saying "now" ("What's the date today?") is taken so: "What is the date?" after a
    question on a conference asks its date. (Read as one, "What day is it?" after a question
    on prevention's goals had quoted them confidently.)"""
    m = _ASKS_NOW.search(question.strip())
    if m is None:
        return False
    clock, tail = m.group("clock") is not None, m.group("tail")
    now = bool(_NOW_WORD.search(m.group(0).replace("today's", "today")))
    if re.search(r"\bin\s", tail, re.IGNORECASE) and not now:
        return False
    if re.search(r"\b(here|there)\b", tail, re.IGNORECASE) and not (clock or now):
        return False  # "What is the date here?" of a text
    return not in_conversation or now or clock or m.group("isit") is not None


# A question about the assistant itself ("Who built you?", "How old are you?", "Are you a
# robot?", "What's your name?"): a closed class, like ``ERRANDS``. Its one word may be the
# documents' ("program" of a licence, "old" near "children"), and it had been shown their
# sentences. Only the whole question: "Who grants you the licence?" asks about the text's "you".
_ABOUT_YOU = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|hey|hi|hello|sorry|please|but)\W+)*(?:"
    r"(?:who|what)\s+(?:made|built|created|programmed|designed|developed|trained|coded|wrote|"
    r"owns|runs|powers)\s+you"
    r"|(?:who|what)\s+(?:are|r)\s+(?:you|u)"
    r"|how\s+old\s+are\s+you"
    r"|where\s+are\s+you\s+(?:from|based|located|hosted)"
    r"|are\s+you\s+(?:an?\s+)?(?:robot|bot|human|person|real|machine|chatbot|ai|computer|"
    r"program|alive|sentient|conscious)"
    r"|what(?:['’]s|\s+is)\s+your\s+name)\W*$", re.IGNORECASE)


def asks_about_the_assistant(question: str) -> bool:
    """Whether a question asks about the assistant itself (``_ABOUT_YOU``)."""
    return bool(_ABOUT_YOU.search(question.strip()))


# A sum to work out ("what's 2+2", "how much is 15 x 3?", "12 divided by 4"): figures joined
# by operators, with at most a "what is" or "calculate" before them.
_NUMBER_TERM = r"-?\d+(?:[.,]\d+)?"
# (a hyphen or a slash between figures only with spaces: "2012-2013" is a period, "24/7" and
# "2011/36" are no sums, "100 - 20" is one)
_SUM_SIGN = r"[+*x×÷^]|plus|minus|times|multiplied\s+by|divided\s+by"
_OPERATOR = rf"(?:{_SUM_SIGN}|(?<=\s)[-/](?=\s))"
_YEAR_FIGURE = re.compile(r"1\d\d\d|20\d\d")
_ARITHMETIC = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|hey|please|quick(?:\s+question)?)\W+)*"
    r"(?:(?:what|how\s+much)(?:['’]s|\s+is|\s+are|\s+does)?|calculate|compute|solve)?\s*"
    rf"{_NUMBER_TERM}(?:\s*{_OPERATOR}\s*{_NUMBER_TERM})+\s*(?:=|equals?|make)?\s*\W*$",
    re.IGNORECASE)


def asks_arithmetic(question: str) -> bool:
    """Whether a message is only a sum to work out ("what's 2+2"): no document answers it,
    and its figures had found "Article 187(2)" of the seed page, shown tentatively after a
    question (a blind probe's). Years apart by a dash or a slash ("2013 - 2014", "2012 /
    2013") are a period, and "24 / 7" is all day: no sums."""
    m = _ARITHMETIC.match(question.strip())
    if m is None:
        return False
    figures = re.findall(r"\d+", m.group(0))
    if not re.search(_SUM_SIGN, m.group(0), re.IGNORECASE):
        if all(_YEAR_FIGURE.fullmatch(f) for f in figures) or figures == ["24", "7"]:
            return False
    return True



def lacks_asked_moment(question: str, quote: str) -> str | None:
    """The moment counted from now that a question asks about ("tonight") when the quote does
    not speak of the present or of that moment: it says what held when its document was
    written."""
    m = _MOMENT.search(question)
    if m is None or _PRESENT.search(quote):
        return None
    return m.group(0)


# A question asking for a comparison ("Is the reflection period longer for child victims?",
# "Is labour exploitation more common than sexual exploitation?"): a comparative word asked
# against something ("than", "for", "in" ... or closing the question), in a question with
# "than" or one asking yes or no. Not a threshold ("more than two") nor a name ("a larger
# work").
_COMPARATIVE = (r"(more|less|fewer|longer|shorter|higher|lower|bigger|smaller|greater|larger|"
                r"better|worse|older|younger|cheaper|stricter|harsher|faster|slower|stronger|"
                r"weaker)")
_ASKS_COMPARISON = re.compile(
    r"\b" + _COMPARATIVE + r"\b(?!\s+than\s+(" + _NUMBER.pattern + r"|a\s+(few|dozen)))"
    r"(?=(\s+\w+){0,4}\s+than\b|\s+(for|in|among|with|at)\b|\W*$)", re.IGNORECASE)
_YES_NO = re.compile(r"^\W*((and|so|but)\s+)?(is|are|was|were|do|does|did|can|could|will|would|"
                     r"has|have|had|should)\b", re.IGNORECASE)
# What a quote making a comparison says.
_COMPARES = re.compile(
    r"\b(than|more|less|fewer|most|least|longer|shorter|higher|lower|greater|larger|smaller|"
    r"bigger|better|worse|earlier|later|older|younger|majority|minority|compared|comparison|"
    r"versus|vs|whereas|increas\w*|decreas\w*|rise|rose|risen|fell|fall\w*|doubl\w*|twice|"
    r"same|equal\w*|exceed\w*|outnumber\w*)\b", re.IGNORECASE)


# A bound asked for, and a bound given. A text that gives only the longest time or the
# highest sum ("suspension of work for up to 30 days") does not give the least one, and
# "What is the minimum period ...?" had been answered by it with confidence (a blind probe
# of the ninth session of 2026-12-06); nor the other way round.
_ASKS_LEAST = re.compile(r"\b(minimum|min|at\s+least|shortest|lowest|smallest|fewest)\b",
                         re.IGNORECASE)
_ASKS_MOST = re.compile(r"\b(maximum|max|at\s+most|longest|highest|largest|up\s+to|"
                        r"no\s+more\s+than)\b", re.IGNORECASE)
_GIVES_MOST = re.compile(r"\b(up\s+to|at\s+most|maximum|max|(no|not)\s+more\s+than|"
                         r"(not|never)\s+(to\s+)?exceed\w*|shall\s+not\s+exceed)\b",
                         re.IGNORECASE)
_GIVES_LEAST = re.compile(r"\b(at\s+least|minimum|min|(no|not)\s+less\s+than|or\s+more|"
                          r"or\s+longer)\b", re.IGNORECASE)


# A year named relative to one the conversation named ("And the year before?" after a
# question on 2023): two blind probes asked so, and the sentence on 2023 was quoted again, or
# another one, confidently. Not "next year" or "last year", which count from the asker's now.
_YEAR_BEFORE = re.compile(
    r"\b(the\s+)?(year\s+before|previous\s+year|prior\s+year|preceding\s+year|"
    r"year\s+prior|a\s+year\s+earlier)\b", re.IGNORECASE)
_YEAR_AFTER = re.compile(
    r"\b(the\s+)?(year\s+after|following\s+year|a\s+year\s+later)\b",
    re.IGNORECASE)


def with_year_named(question: str, earlier: str) -> str:
    """``question`` with a year it names relative to the one year of ``earlier`` (the last
    question before it) written out: "And the year before?" after a question on 2023 is "And
    in 2022?". As it is when it names a year itself, or ``earlier`` names none or several."""
    years = set(_years(earlier))
    if len(years) != 1 or _years(question):
        return question
    year = int(years.pop())
    for pattern, shift in ((_YEAR_BEFORE, -1), (_YEAR_AFTER, 1)):
        if pattern.search(question):
            return pattern.sub(f"in {year + shift}", question, count=1)
    return question


def opposite_bound(question: str, quote: str) -> str | None:
    """"minimum" for a question asking the least of something whose quote gives only the
    most ("up to 30 days"), "maximum" for the other way round; None otherwise."""
    if _ASKS_LEAST.search(question) and _GIVES_MOST.search(quote) \
            and not _GIVES_LEAST.search(quote):
        return "minimum"
    if _ASKS_MOST.search(question) and _GIVES_LEAST.search(quote) \
            and not _GIVES_MOST.search(quote):
        return "maximum"
    return None


def average_mismatch(question: str, quote: str) -> tuple[str, str] | None:
    """(what is asked, what the quote gives) when one is an average and the other a bound:
    ("a maximum", "an average") for "the maximum penalty" answered by "The average prison
    sentence imposed was 4.2 years"; ("an average", "a maximum") for "the average length of
    stay" answered by "A stay normally lasts up to six months". None otherwise."""
    most, least = _GIVES_MOST.search(quote), _GIVES_LEAST.search(quote)
    if _GIVES_AVERAGE.search(quote):
        if most or least:
            return None
        if _ASKS_MOST.search(question) and not _ASKS_LEAST.search(question):
            return "a maximum", "an average"
        if _ASKS_LEAST.search(question) and not _ASKS_MOST.search(question):
            return "a minimum", "an average"
    elif _ASKS_AVERAGE.search(question) and bool(most) != bool(least):
        return "an average", "a maximum" if most else "a minimum"
    return None


_GIVES_AVERAGE = re.compile(r"\b(averag(?:e|es|ed|ing)|mean|median|on\s+average)\b",
                            re.IGNORECASE)
# ("mean" is left out of the question's: "What does THB mean?")
_ASKS_AVERAGE = re.compile(r"\b(average|median|typical|typically|usual|usually)\b",
                           re.IGNORECASE)


def lacks_asked_comparison(question: str, quote: str) -> bool:
    """A question asking how two things compare, answered by a quote that compares nothing
    (it gives the one fact the page has: "Identified foreign victims are granted a 90 day
    reflection period" for "Is it longer for child victims?")."""
    return bool(_ASKS_COMPARISON.search(question)) \
        and bool(re.search(r"\bthan\b", question, re.IGNORECASE) or _YES_NO.search(question)) \
        and not makes_comparison(quote)


# A yes/no question closing on a comparative and what it qualifies ("Are children granted a
# longer reflection period?", "Do men get more support?"): it asks whether the thing is so
# compared. A document may name a thing so ("a larger work" of a licence): the phrase it
# holds asks for no comparison (``Answerer``).
# After "a" or "an", or a quantity ("more support"): "Can younger children stay?" and "Are
# older victims helped?" name a group, not a comparison (a review's false caveats).
_COMPARED_THING = re.compile(r"(?:\ban?\s+" + _COMPARATIVE + r"|\b(more|less|fewer))\s+"
                             r"([a-z][\w-]*)(?:\s+[a-z][\w-]*)?\W*$", re.IGNORECASE)


def compared_thing(question: str) -> str | None:
    """The comparative and the next word of a yes/no question closing on them ("longer
    reflection" of "Are children granted a longer reflection period?"), or None."""
    if not _YES_NO.search(question) or re.search(r"\bthan\b", question, re.IGNORECASE):
        return None  # (one with "than" is ``lacks_asked_comparison``'s)
    m = _COMPARED_THING.search(question)
    return f"{m.group(1) or m.group(2)} {m.group(3)}" if m else None


def makes_comparison(quote: str) -> bool:
    """Whether a quote says how things compare (``_COMPARES``)."""
    return bool(_COMPARES.search(quote))


# A question asking who heads something now ("Who heads the police unit?", "Who chairs the
# IWG?", "Who is the head of ...?"), and what a quote saying it holds: a word of heading or
# leading, or of a post that heads ("Director", "Minister", "coordinator"). A quote that says
# only what the body does ("Offences ... are investigated by the units of the police") does not
# say who heads it. Not "who runs / manages" (a service is "provided by" or "operated by" its
# runner), "who is in charge of prosecuting ...?" (a body's competence answers it) nor the past
# ("Who led the Normans?" is answered by what they did).
# The post asked for ends the phrase or is "of" something: "Who is the chief of ...?", not
# "Who are the chief partners?"; leading someone into something is no heading ("Who leads
# victims into trafficking?"). It may be whose, and have up to three words before it ("who is
# slovenia's national anti-trafficking coordinator": a blind probe's, answered confidently by
# the police units that investigate).
_ASKS_HEAD = re.compile(
    r"\bwho\s+(?:currently\s+)?(?:heads|leads|chairs|directs|presides\s+over)\b"
    r"(?!\s+(?:to|by|for|from|with|into|away|out|up)\b)(?![^?.!]*\b(?:into|astray)\b)"
    r"|\bwho(?:'s|’s|\s+is|\s+are)\s+(?:the\s+|currently\s+the\s+)?(?:[\w-]+['’]s\s+)?"
    r"(?![\w-]+ing\b)(?:(?!(?:the|of|to|for|with|by|and|or|from)\b)[\w-]+\s+){0,3}"
    r"(?:heads?|leaders?|chairs?|chairm[ae]n|chairwom[ae]n|chairpersons?|directors?|chiefs?|"
    r"presidents?|managers?|boss(?:es)?|coordinators?)(?=\s*(?:[?.!,]|$)|\s+(?:of|for)\b)",
    re.IGNORECASE)
_HEADS = re.compile(
    r"\b(?:head\w*|lead\w*|led|chair\w*|direct(?:or|ors|s|ed|orate)|chief\w*|president\w*|"
    r"manag\w*|coordinat\w*|in\s+charge|responsib\w*|run\s+by|minister\w*|secretar\w*|"
    r"commissioner\w*|boss\w*|presid\w*|governor\w*|mayor\w*|commander\w*)\b", re.IGNORECASE)


def lacks_asked_head(question: str, quote: str) -> bool:
    """A question asking who heads, chairs or leads something, answered by a quote that says
    nothing of heading or leading anything."""
    return bool(_ASKS_HEAD.search(question)) and not _HEADS.search(quote)


# A question asking for a time of day or opening hours ("What time does it close?", "What are
# the opening hours?"), not a span ("what time period", "what time-frame", "what time of
# year"). "When does it close?" may ask for a date as well ("When does the reflection period
# close?"): not this check's. A sentence that only dates something ("in recent years") does not
# answer it.
_ASKS_CLOCK = re.compile(
    r"\b(what|which) time\b(?![\s-]*(periods?|frames?|spans?|limits?|lines?|scales?|zones?|"
    r"windows?|horizons?|constraints?|tables?|budgets?|of\s+(the\s+)?(year|life|history|"
    r"month|season))\b)|\b(opening|closing|office|business|visiting|working) hours\b",
    re.IGNORECASE)
# A time of day, a day of the week (or its abbreviation) or a part of the day, a month; any
# figure at all ("10–18", "17h30", "1730 hrs", "15/06/2024"): the check stays out of the way of
# every way of writing a time it does not know.
_CLOCK = re.compile(
    rf"\d|\b(o'clock|noon|midday|midnight|hours|daily|around the clock|round the clock|"
    rf"half past|quarter (past|to)|dawn|dusk|sunrise|sunset|"
    rf"mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    rf"mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|weekdays?|"
    rf"weekends?|mornings?|afternoons?|evenings?|nights?|{_MONTHS})\b", re.IGNORECASE)


def lacks_clock_time(question: str, quote: str) -> bool:
    """A question asking for a time of day or opening hours, answered by a quote with none."""
    return bool(_ASKS_CLOCK.search(question)) and not _CLOCK.search(quote)


# A question asking for a way to reach someone (a phone number, an e-mail or postal address, a
# web address), and what a quote giving one must hold: a figure, an "@", a web address, a
# house number or postcode by a name. A question asking whether there is a helpline asks for
# none; "address" as a verb ("How does the plan address child trafficking?") is not read.
# The detail is asked for: the detail after a request ("what is", "give me", "I need",
# "do you have"; a few words may come between: "What is the hotline number ...?") and before
# the question's end or "of", "for", "to" ... ("What is the address of ...?"), or opening a
# keyword question ("Phone number of the SOS line?"). Not the detail as a topic: "Is a phone
# number needed to apply?", "Can a company sell my e-mail address?", "What is the e-mail
# policy?", "What is the link between poverty and trafficking?", "What is the website for?".
_ASKING = (r"(?:\bwhat(?:'s|’s|\s+is|\s+are|\s+was)|\bwhich\s+(?:is|are)|"
           r"\b(?:give|send|tell|show|find|get)\s+(?:me|us)|"
           # "I need the number of ...", not "Do I need an e-mail address to register?"
           r"\bI\s+(?:need|want|am\s+looking\s+for|'m\s+looking\s+for)(?=\s+(?:the|their|its|"
           r"his|her|your)\b)|\bdo\s+you\s+know|\bdo\s+(?:you|they|we)\s+have)")


# Or closing a keyword question of a few words that opens with no question word nor verb
# ("NATCO postal address", "data protection officer email?", "police phone number").
# Not a phrase with a preposition or a verb in it ("Recruitment via e-mail", "Victims without
# a registered address", "Gaps the action plan must address?").
_KEYWORD_OPENING = (r"^\W*(?!(?:what|which|who|whom|whose|how|why|when|where|is|are|was|were|"
                    r"do|does|did|can|could|should|would|will|may|must|has|have|had|i|we|you|"
                    r"they|it|please|update|change|delete|remove)\b)"
                    r"(?:(?!(?:via|without|with|by|through|from|into|about|against|in|on|to|"
                    r"of|for|change|changes|changed|disclosure|"
                    r"must|can|could|should|will|would|may|might|shall|not|no|need|needs|"
                    r"needed|is|are|was|were|be)\b)[\w'’.@&-]+\s+){0,5}")


def _asks_detail(noun: str, keyword: str | None = None) -> re.Pattern:
    """``keyword``: the nouns a keyword question may close with, when fewer than ``noun``
    ("Organised crime links" asks for no web address)."""
    return re.compile(
        rf"{_ASKING}\s+(?:[\w'’-]+\s+){{0,4}}?{noun}"
        rf"(?=\s*(?:[?.!,;:]|$)|\s+(?:of|for|to|at|in|please)\b(?!\s*\?))"
        rf"|^\W*(?:(?:the|their|its|your)\s+)?{noun}\s+(?:of|for)\b"
        rf"|{_KEYWORD_OPENING}{keyword or noun}(?:\s+please)?\W*$", re.IGNORECASE)


_CONTACT_ASKS = (
    ("a phone number", re.compile(
        _asks_detail(r"(?:(?:tele)?phone|hotline|helpline|help-line|fax|contact|emergency|"
                     r"toll-free|mobile|cell)\s+numbers?").pattern
        + r"|\bnumbers?\s+(?:to|I\s+can|I\s+should|one\s+can)\s+(?:call|ring|dial)\b"
        r"|\b(?:what|which)\s+number\s+(?:can|should|do|could|must)\s+"
        r"(?:I|we|you|they|victims?|one)\s+(?:call|ring|dial)\b", re.IGNORECASE),
     # three digits or more in a row, not a year ("2013") nor the end of an amount ("90,000");
     # digits in groups ("01 45 67 89 10", "+386 1 234"); a short number to call ("Dial 15")
     re.compile(r"(?<![\d,.])(?!(?:19|20)\d\d(?!\d))\d{3,}|\+?\d{1,4}(?:[\s./-]\d{2,4}){2,}|"
                r"\b(?:call|dial|ring|tel\.?|telephone|phone)\s*:?\s*\+?\d", re.IGNORECASE)),
    ("an e-mail address", _asks_detail(r"e-?mail(?:\s+address(?:es)?)?"),
     re.compile(r"@|[\[(]at[\])]", re.IGNORECASE)),
    ("a web address", _asks_detail(r"(?:web\s*sites?|homepages?|web\s*pages?|urls?|"
                                   r"web\s+address(?:es)?|(?:web\s*)?links?)",
                                   keyword=r"(?:web\s*sites?|homepages?|urls?|"
                                   r"web\s+address(?:es)?|web\s*links?)"),
     # (no "\b" before a run of word characters and hyphens: on "a-a-a-..." it restarted at
     # every hyphen, quadratic in the quote's length)
     re.compile(r"https?://|\bwww\.|(?<![\w-])[\w-]+\.(?:org|com|net|eu|gov|int|edu|info|io)\b|"
                r"(?<![\w-])[\w-]+(?:\.[\w-]+)+\.[a-z]{2}/", re.IGNORECASE)),
    ("a postal address", re.compile(
        _asks_detail(r"(?:(?:postal|street|mailing|office|home|physical|registered|visiting)"
                     r"\s+)?address(?:es)?").pattern
        # "where is the inspectorate's office located?", "where are their offices?"; not
        # "where is the Office for Victims report published?"
        + r"|\bwhere(?:\s+is|\s+are|'s|’s)\s+(?:the\s+|their\s+|its\s+)?(?:[\w'’-]+\s+){0,3}?"
        r"(?:office|offices|headquarters|hq|premises)(?:\s+(?:located|based|situated))?"
        r"\s*[?.!]*\s*$", re.IGNORECASE),
     # a house number or postcode by a name ("51 Franklin Street", "1000 Ljubljana",
     # "Trg OF 13,"), or a post box: not any figure ("Section 10.3", "3 NGOs")
     # (not a year: "In 2021, Velmora's inspectors ...", "Since 2019 Nordhaven has ...")
     re.compile(r"\b(?!(?:1[89]|20)\d\d\b)\d{1,6}[A-Za-z]?,?\s+[A-Z][a-z][\w-]*|"
                r"\bP\.?\s?O\.?\s+Box\b|"
                r"\b[A-Z][\w-]*\s+(?!(?:1[89]|20)\d\d\b)\d{1,5}[A-Za-z]?,\s")),
)


# The capacity a question is asked in ("... a work permit as a software developer?", "my
# residence permit as an erasmus student"): "as a" or "as an" and up to three words before a
# preposition, a clause or the end. Not "such as a ...", nor a fixed phrase ("as a result").
_AS_ROLE = re.compile(r"(?:\b(?P<before>[\w'-]+)\s+)?\bas\s+an?\s+"
                      r"(?P<role>(?:[^\W\d_][\w'-]*\s+){0,2}[^\W\d_][\w'-]*)"
                      r"(?=\s*(?:[?.!,;:]|$|\s+(?:in|at|on|from|for|to|with|who|that|and|or|"
                      r"if|when|while|because|so|but)\b))", re.IGNORECASE)
_NOT_A_ROLE = frozenset(("result", "whole", "rule", "matter", "consequence", "minimum",
                         "maximum", "precaution", "last", "first", "final", "general", "right",
                         "group", "team"))
# Verbs after which "as a ..." says what a thing is taken for, not whom the asker is ("punished
# as a felony", "treated as a misdemeanour", "given as a right").
_TAKEN_AS = frozenset(("treated", "punished", "defined", "classified", "classed", "count",
                       "counts", "counted", "regarded", "considered", "given", "seen",
                       "recognised", "recognized", "listed", "registered", "described",
                       "known", "used", "qualify", "qualifies", "prosecuted", "charged",
                       "sentenced", "tried", "categorised", "categorized", "is", "are", "was",
                       "were", "be", "been", "such"))


def foreign_role(question: str, df: Callable[[str], int],
                 starts: Callable[[str], bool] | None = None) -> str | None:
    """The capacity a question asks in ("as a software developer", "as an erasmus student")
    when the collection never uses one of its words (``df``: in how many passages a token
    occurs; nor the word in the singular or plural, nor, by ``starts``, a word of its root:
    "student" is spoken of where the documents say "studying"): the documents say nothing of
    such a person, so a quote on their rule for someone else ("Foreign victims ... can apply
    for a temporary residence permit") does not answer it. Two blind probes' questions on
    work and residence permits were answered confidently so. Not after a verb saying what a
    thing is taken for ("punished as a felony", ``_TAKEN_AS``)."""
    for m in _AS_ROLE.finditer(question):
        role = m.group("role")
        before = (m.group("before") or "").lower()
        tokens = tokenize(role)
        if tokens and not set(role.lower().split()) & _NOT_A_ROLE and before not in _TAKEN_AS \
                and not all(_mentioned(w, df, starts) for w in role.split() if tokenize(w)):
            return role
    return None


# The one whose name a question asks: "What is the name of Slovenia's national rapporteur on
# trafficking?", "name of the rapporteur": the words before "of", "for", "on", "in", a clause
# or the end. Not "Who is the ...?": "Who is the competent authority ...?" and "Who are the
# recipients ...?" ask who, in words of their own (an attack probe's), and "Who is eligible
# ...?" who may.
_POST_ENDS = r"(?:of|for|on|in|at|to|who|that|with)\b"
_ASKED_WHOSE_NAME = re.compile(
    r"\bnames?\s+of\s+(?:(?:the|a|an|its|their|his|her)\s+)?(?:[\w-]+(?:'s|’s)\s+)?"
    rf"(?P<post>(?:(?!{_POST_ENDS})[^\W\d_][\w-]*\s+){{0,2}}?(?!{_POST_ENDS})[^\W\d_][\w-]*)"
    rf"(?=\s*(?:[?.!,;:]|$)|\s+{_POST_ENDS})", re.IGNORECASE)


def unmentioned_post(question: str, df: Callable[[str], int],
                     starts: Callable[[str], bool] | None = None) -> str | None:
    """The one whose name a question asks ("national rapporteur" of "What is the name of
    Slovenia's national rapporteur on trafficking?"), when the collection never uses the word
    that names it, its last (``df``: in how many passages a token occurs; nor in the singular
    or plural, nor by ``starts`` a word of its root, as ``foreign_role``): a name the quote
    gives is someone else's. A blind probe's question was answered confidently with a
    sentence naming the Employment Service of Slovenia."""
    m = _ASKED_WHOSE_NAME.search(question)
    if m is None:
        return None
    post = m.group("post")
    head = post.split()[-1]
    if not tokenize(head) or head.lower() in _ANYONE or _mentioned(head, df, starts):
        return None
    return post


# Words for a person that name no post ("Who is the best person to contact?").
_ANYONE = frozenset("person persons people one ones someone somebody man woman men women "
                    "individual individuals guy contact".split())


def _mentioned(word: str, df: Callable[[str], int],
               starts: Callable[[str], bool] | None) -> bool:
    """Whether the collection uses a word of a role: itself, in the singular or plural ("NGO"
    where it says "NGOs"), or a word of the same root (``starts``, the documents' words by
    their start: "student" where they say "studying", "worker" where they say "working")."""
    low = word.lower()
    forms = {low, low + "s", low[:-1] if low.endswith("s") else low}
    if any(df(t) for f in forms for t in tokenize(f)):
        return True
    if starts is None:
        return False
    root = low
    for suffix in ("ents", "ers", "ors", "ent", "er", "or", "s"):
        if root.endswith(suffix) and len(root) - len(suffix) >= 4:
            root = root[:-len(suffix)]
            break
    return len(root) >= 4 and starts(root)


def lacks_contact_detail(question: str, quote: str) -> str | None:
    """What way to reach someone a question asks for ("a phone number") when the quote does
    not give it (no figure, no "@", no web address): the page may name the helpline and give
    no number. The first kind asked is the one read: "the e-mail address" asks for no postal
    address."""
    for kind, asks, gives in _CONTACT_ASKS:
        if asks.search(question):
            return None if gives.search(quote) else kind
    return None


# Words that say a figure is a phone number, or how to use it, without saying whose it is
# ("call the 24-hour toll-free hotline on", "Tel.:", "mobile"). The question's own words of
# this kind do not name whose number it asks for either.
_CONTACT_WORDS = frozenset(tokenize(
    "call calls calling called dial ring reach reached contact contacted number numbers "
    "phone telephone tel fax mobile cell hotline helpline help line lines emergency free "
    "toll-free 24-hour hours hour day days week available via using give gives given "
    "what which whose who where how can could may must should need want tell find get "
    "send show please address e-mail email also reception desk switchboard office line "
    "answers answered duty officer own main central general direct"))
_PHONE_ASKS, _PHONE_GIVES = _CONTACT_ASKS[0][1], _CONTACT_ASKS[0][2]
# The words before a figure, back to the opening of its clause or the verb that says to use
# it: the label a number is given under ("call the police emergency number 112", "refers
# victims to the SOS line 080 11 55", "Telephone: +387 21 440 900").
_LABEL_START = re.compile(r"[.;,!?()\[\]\n]|\b(?:and|or|but|without|while|which|who|unless|"
                          r"before|after|if|when|call|calls|calling|called|dial|dialling|ring|"
                          r"contact|contacted|reach|reached|reaching|to|is|are|was|were|be)\b",
                          re.IGNORECASE)
_LABEL_ENDS = re.compile(r"^(?:(?:the|a|an|their|its|his|her)\s+)?(.*?)(?:\s+(?:on|at|via))?"
                         r"[\s:–-]*$", re.IGNORECASE | re.DOTALL)


# Whose number a question asks: the words after "number of" ("the phone number of the Special
# Unit"), before "'s" ("the Special Unit's telephone number"), or opening a keyword question
# ("special unit phone number"). Not those after "for" ("the helpline number for workers"),
# nor a subject ("What number should victims call?"): those are the callers.
_HOLDER_OF = re.compile(r"\b(?:numbers?|lines?|hotline|helpline|phone|telephone|contacts?)\s+of\s+"
                        r"(?P<h>[^?!.,;]+)", re.IGNORECASE)
_HOLDER_POSSESSIVE = re.compile(r"(?P<h>(?:[\w-]+\s+){0,4}?[\w-]+)(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?"
                                r"(?:numbers?|hotline|helpline|phone|telephone)\b", re.IGNORECASE)
_HOLDER_KEYWORD = re.compile(_KEYWORD_OPENING.replace("{0,5}", "{1,5}")
                             + r"(?:(?:tele)?phone|hotline|helpline|contact|fax)?\s*numbers?\W*$",
                             re.IGNORECASE)


_OWN = re.compile(r"\b(?:its|their|his|her|our)\b", re.IGNORECASE)


def _holder(question: str) -> str:
    """The words naming whose phone number a question asks (``_HOLDER_OF`` ...), or ""."""
    m = _HOLDER_OF.search(question) or _HOLDER_POSSESSIVE.search(question)
    if m is not None:
        return m.group("h")
    m = _HOLDER_KEYWORD.search(question)
    return m.group(0) if m is not None else ""


def others_phone_number(question: str, quote: str) -> str | None:
    """The label of another's number ("police emergency number") when a question asks for
    the phone number of someone the quote names ("What is the phone number of the Special
    Unit?"), and every number the quote gives is labelled as someone else's, the label
    naming none of the question's words ("inspectors must call the police emergency number
    112 without waiting for the Special Unit"). ``lacks_contact_detail`` sees that the quote
    gives a number, not whose. A number whose label names no one ("Telephone: ...", "can be
    reached on 01 ...") is anyone's the quote names; None then, and when the quote does not
    name what the question asks about (the other checks say so)."""
    if not _PHONE_ASKS.search(question):
        return None
    holder = set(tokenize(_holder(question))) - _CONTACT_WORDS
    if not holder or not holder <= set(tokenize(quote)):
        return None
    labels = []
    # Where each clause opens, found once (a quote of many numbers is read in one pass).
    openings = [c.end() for c in _LABEL_START.finditer(quote)]
    for m in _PHONE_GIVES.finditer(quote):
        if m.group()[0].isalpha():  # "call 112", "Tel. 01 ...": a number under no one's name
            return None
        before = quote[:m.start()]
        i = bisect.bisect_right(openings, m.start()) - 1
        opening = openings[i] if i >= 0 else 0
        label = _LABEL_ENDS.match(" ".join(before[opening:].split()[-6:])).group(1)
        words = set(tokenize(label)) - _CONTACT_WORDS
        # ("Its reception desk answers on ...", "has its own line": the body's own)
        if not words or words & holder or _OWN.search(before[opening:]):
            return None
        labels.append(label)
    return labels[0] if labels else None


# A year as a time ("in 2012", "since 2009", "October 2013", "2012-2013"), not an amount
# ("EUR 2000", "2000 victims") or part of a larger figure ("90,000").
_YEAR = re.compile(rf"\b(in|since|until|till|by|from|to|during|of|between|and|before|after|"
                   rf"{_MONTHS})\s+(1[0-9]|20)\d\d(\s*[-\u2013]\s*((1[0-9]|20)?\d\d))?"
                   r"(?![.,]?\d)", re.IGNORECASE)
# The day of a date ("October 16, 1973", "29 June 2007", "June 3rd"): a time, not a count.
_DAY_BEFORE = re.compile(rf"\b\d{{1,2}}(st|nd|rd|th)?\s+(of\s+)?(?=({_MONTHS})\b)", re.IGNORECASE)
_DAY_AFTER = re.compile(rf"\b({_MONTHS})\s+\d{{1,2}}(st|nd|rd|th)?\b(?!\d),?", re.IGNORECASE)


def _without_dates(text: str) -> str:
    text = _DAY_AFTER.sub(lambda m: m.group(1), _DAY_BEFORE.sub("", text))
    return _YEAR.sub(lambda m: m.group(1), text)


_ASKS_YEAR = re.compile(r"\b(what|which) years?\b(?!-)", re.IGNORECASE)
# A year in a quote: four digits from 1000 to 2099 on their own ("1066", "2013", "the 1990s"),
# or three after a word of time ("in 911"); not part of a larger figure ("90,000") nor a number
# such as "Article 187".
_A_YEAR = re.compile(r"((?<![\w,.])(1[0-9]|20)\d\d|\b(in|since|by|from|until|till|of|around|"
                     r"after|before|during|circa|c\.)\s+\d{3})s?(?![\w]|[.,]\d)", re.IGNORECASE)

# "How many shelters / people died / regional police directorates ...": the words that name
# what is counted, up to the first stop word ("does", "are", "in").
# "How many X", or "the number of X" and its everyday forms ("what's the headcount of
# detectives ...?").
# Only the number asked for: "what is the (total) number of X", or a keyword question opening
# with it; not "the fax number of ..." nor "why did the number of convictions fall?".
_HOW_MANY = re.compile(r"(?:\bhow many|(?:\bwhat(?:'s|’s|s|\s+is|\s+was|\s+are|\s+were)\s+|^\W*)"
                       r"(?:the\s+)?(?:total\s+|overall\s+)?(?:number|head\s?count|tally)\s+of)"
                       r"\s+([\w'-]+(?:\s+[\w'-]+){0,3})", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)")
_SHARE_AFTER = re.compile(r"[\d.,]*\s*(?:%|per\s?cent\b|percent\b)", re.IGNORECASE)
_COUNT_WINDOW = 4  # words after a figure that may name what it counts ("11 regional police
# directorates")


_OF_THEM_WERE = re.compile(r"of\s+(?:them|those|these|whom)\s+(?:were|are|was|is)\s+"
                           r"(?:(?:\w+ly|also|still|even|then|ever)\s+)?(.+)", re.IGNORECASE)


def counted_words(question: str, shown: bool = False) -> list[str]:
    """The words naming what a "how many" question counts ("How many regional police
    directorates ...": regional, police, directorates), as written. ``shown``: only up to a
    function word, for saying it ("victims", not "victims were formally identified")."""
    m = _HOW_MANY.search(question)
    words = m.group(1).split() if m else []
    # "how many of them were foreigners?": what is counted is what they were
    of_them = _OF_THEM_WERE.match(question, m.start(1)) if m else None
    if of_them:
        words = re.findall(r"[\w'-]+", of_them.group(1))[:4]
    out: list[str] = []
    for word in words:
        if not tokenize(word) or (shown and word.lower() in _FUNCTION_WORDS):
            break
        out.append(word)
    return out


def asks_a_figure(question: str) -> bool:
    """Whether a question asks how many, how much, what share ... (not what year)."""
    return bool(_ASKS_NUMBER.search(question)) and not _ASKS_YEAR.search(question)


def gives_counted_figure(question: str, text: str,
                         near: dict[str, tuple[tuple[str, float], ...]] | None = None) -> bool:
    """Whether ``text`` gives a figure of what a figure question counts, by the words that
    name it up to the first function word ("victims", not "victims were identified", whose
    "were" any sentence with a figure may hold); for a question naming nothing counted, any
    figure it does not name itself. ``near``: the documents' words near a counted word they
    never use (``QueryTerms.near``: "cops" counted by "policing")."""
    counted = _counted(question, shown=True)
    for t in list(counted):
        counted.update(stem for stem, _ in (near or {}).get(t, ()))
    return _gives_figure(question, text, counted)


def _counted(question: str, shown: bool = False) -> set[str]:
    return {t for w in counted_words(question, shown) for t in tokenize(w)}


def _gives_figure(question: str, text: str, counted: set[str]) -> bool:
    """A figure followed by one of ``counted`` (or in a table under it); with nothing counted,
    any figure that is not a date nor one the question names itself."""
    if counted:
        return _counts(text, counted) or _counts_in_a_table(text, counted)
    return bool(_NUMBER.search(_without_dates(_without_figures_of(question, text))))


_NONE_OF = re.compile(r"\b(?:no|none\s+of\s+the|not\s+a\s+single|zero)\s+"
                      r"((?:[\w'-]+\s+){0,2}[\w'-]+)", re.IGNORECASE)
_TIMES = re.compile(r"\b(?:once|twice|thrice|never)\b", re.IGNORECASE)


_INSIDE_FIGURE = re.compile(r"\d[.,]?$")
# The word labelling a number as a unit's ("section 3", "Article 187", "No. 4", "§ 2").
_LABEL_BEFORE = re.compile(r"(?:\b(?:articles?|art|sections?|subsections?|clauses?|"
                           r"paragraphs?|para|chapters?|parts?|steps?|measures?|no|nr)\.?|§)"
                           r"\s*\(?$", re.IGNORECASE)


def _counts(quote: str, counted: set[str]) -> bool:
    """Whether a figure in ``quote`` is followed, within a few words, by one of ``counted``;
    or "no" is ("no suspended sentence was given": none), or, for "how many times", "once",
    "twice" or "never" says how often."""
    if "time" in counted and _TIMES.search(quote):
        return True
    if any(set(tokenize(m.group(1))) & counted for m in _NONE_OF.finditer(quote)):
        return True
    text = _without_dates(quote)
    for m in _NUMBER.finditer(text):
        rest = text[m.end():m.end() + 80]
        # A share counts nothing: "only 9% of foreign victims" is no number of them; nor does
        # a unit's number ("the Cover Text requirement of section 3 is applicable to these
        # copies" gives no number of copies).
        # (A figure is read from its first digit: ``_NUMBER`` finds each digit of "12".)
        if _SHARE_AFTER.match(rest) or _INSIDE_FIGURE.search(text, max(0, m.start() - 2),
                                                             m.start()) \
                or _LABEL_BEFORE.search(text, max(0, m.start() - 16), m.start()):
            continue
        # Within its sentence: "It replaces Guideline No. 4/2018. It applies to all inspectors"
        # counts no inspectors.
        after = _SENTENCE_END.split(rest, 1)[0]
        after = _WORD.findall(after)[:_COUNT_WINDOW + 1]
        if any(set(tokenize(w)) & counted for w in after):
            return True
    return False



# A question asking which place or language, or for a name: its answer names one. Bodies
# ("which agency / organisation / ministry") are left out: their answers are often described
# in lower case ("anti-organised crime units within the police force").
_ASKS_NAME = re.compile(
    r"\b(which|what)\s+(countries|country|cities|city|towns?|languages?|nations?|regions?|"
    r"provinces?)\b|"
    r"\bwhat(\W?s|\s+(is|was|are|were))\s+(the\s+)?names?\b|"
    r"\bwhat\s+(is|was|are|were)\s+(it|they|he|she|this|that)\s+called\b|"
    # "Who is the national coordinator?", "Who was the first First Minister?": a person.
    r"^\W*who(\W?s|\s+(is|was))\s+(the|its|their|[\w-]+['’]s)\s+", re.IGNORECASE)
# A word in a quote, and whether it is capitalised (any script: "Žalec", "Île-de-France").
_QUOTE_WORD = re.compile(r"[^\W\d_][\w'-]*")


# Words that may link the capitalised words of one name ("Office of the National ...").
_NAME_LINKS = frozenset({"of", "the", "for", "and", "on", "in"})


def _name_runs(text: str) -> list[list[str]]:
    """Capitalised words in a row, linked only by spaces and ``_NAME_LINKS``: one name each."""
    runs: list[list[str]] = []
    run: list[str] = []
    end = 0
    for m in _QUOTE_WORD.finditer(text):
        w, gap = m.group(0), text[end:m.start()]
        if run and gap.strip():  # punctuation between: the name has ended
            runs.append(run)
            run = []
        end = m.end()
        if w[0].isupper():
            run.append(w)
        elif not (run and w in _NAME_LINKS):
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


# "Who approves / delivers / funded ...?": a question asking who does something, by a verb of
# doing (not "who needs / gets / qualifies ...", whose answer is a kind of person: "a victim
# who holds a permit", nor "who is ...").
_DOER_VERBS = (r"deliver|run|ran|fund|financ|approv|prepar|organi[sz]|manag|operat|lead|led|"
               r"chair|coordinat|provid|pay|paid|investigat|prosecut|decid|appoint|issu|sign|"
               r"adopt|draft|wr[io]te|written|found|creat|establish|conduct|carr(?:y|ies|ied)|"
               r"monitor|supervis|train|publish|overs(?:ee|aw)|send|sent|review|evaluat|assess|"
               r"implement|administer|host|award|grant|certif|regist|draw|drew|launch|initiat|"
               r"sponsor|commission|order|build|built|develop|design|produc|support|teach|taught")
_ASKS_AGENT = re.compile(r"^\W*(?:(?:and|so|but|then)\s+)?who\s+(?:(?:has|have|had|will|would|"
                         r"did|does|do)\s+)?(?P<verb>" + _DOER_VERBS + r")\w*\b", re.IGNORECASE)
# Who does it, in the passive ("investigated by anti-organised crime units", "provided by the
# Police Academy"), or a name after "by".
_BY_AGENT = re.compile(r"\b[Bb]y\s+(?:the\s+|a\s+|an\s+)?[A-Z]|\b(?i:\w+ed|run|led|given|done|"
                       r"taught|made|held|paid|kept|borne|drawn|set\s+up|carried\s+out|"
                       r"overseen|undertaken|written|chosen|built|sent)\s+(?i:by)\b")


def asks_agent(question: str) -> bool:
    """Whether a question asks who does something ("Who delivers the course?")."""
    return bool(_ASKS_AGENT.search(question))


_INNER_CAPITAL = re.compile(r"(?<=[\w,;:)] )[A-Z][\w'-]*")


def does_asked_deed(question: str, text: str) -> bool:
    """Whether ``text`` says who does the deed a question asks who does: its verb's root as a
    verb ("the Ministry ... prepared the proposal", "investigated by anti-organised crime
    units") or as a doer's noun ("an investigator at each ..."), for "Who investigates
    ...?". Not the verb in passing ("... in investigating and prosecuting cases", of a
    sentence whose doer approved something else), nor the deed's noun ("investigation").
    True for a question asking no such thing."""
    m = _ASKS_AGENT.search(question)
    if m is None:
        return True
    root = re.escape(m.group("verb"))
    return re.search(rf"\b{root}(?:e|es|ed|s|d|or|ors|er|ers)?\b", text,
                     re.IGNORECASE) is not None


def names_agent(question: str, text: str) -> bool:
    """Whether ``text`` names someone who does something: "by" someone ("provided by the
    Police Academy"), or a capitalised word inside a sentence that the question does not
    give (a sentence's first word names nobody: "Every new inspector ...")."""
    if _BY_AGENT.search(text):
        return True
    known = {w.casefold() for w in _QUOTE_WORD.findall(question)} | _MONTH_NAMES
    return any(w.casefold() not in known and tokenize(w) for w in _INNER_CAPITAL.findall(text))


def lacks_asked_name(question: str, quote: str) -> bool:
    """A question asking which country, city or language (or what something is called),
    answered by a quote that names nothing the question does not already name (a capitalised
    word, in any script, other than the question's words, months and stop words; a sentence's
    first word counts): it cannot be the answer. A question offering the choices ("Slovenia or
    Croatia?") is left out: its answer names one of them."""
    if not _ASKS_NAME.search(question) or re.search(r"\bor\b", question, re.IGNORECASE):
        return False
    return _names_nothing_new(question, quote)


def _names_nothing_new(question: str, quote: str) -> bool:
    """Whether ``quote`` names nothing the question does not already name (``lacks_asked_name``)."""
    known = {w.casefold() for w in _QUOTE_WORD.findall(question)} | _MONTH_NAMES
    # The words of a name that lead up to one of the question's are the asked thing's own
    # ("The Office of the National Anti-Trafficking Coordinator" for "What is the name of the
    # National Anti-Trafficking Coordinator?"), not the name asked for; words after it may be
    # ("National Coordinator Ana Novak").
    for words in _name_runs(quote):
        held = [i for i, w in enumerate(words) if w.casefold() in known and tokenize(w)]
        if held:
            known |= {w.casefold() for w in words[:held[-1] + 1]}
    # A capitalised stop word ("No", "The") opens a sentence; it names nothing.
    return all(w.casefold() in known or not tokenize(w)
               for w in _QUOTE_WORD.findall(quote) if w[0].isupper())


# A place a question asks about: "in" or "from" and a capitalised name, after the first word
# ("... in Croatia?", "victims from Nigeria").
_IN_PLACE = re.compile(r"(?<=\w )(?:in|from)\s+([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)")
# A name the collection mentions in at most this many passages is a detail of them, not their
# subject (the seed page names Slovenia in most passages, Croatia in one list).
RARE_PLACE_PASSAGES = 2


def lacks_asked_place(question: str, quote: str, df: Callable[[str], int]) -> bool:
    """A question asking about a place ("How long is the reflection period in Croatia?") that
    the collection names only in passing (in at most ``RARE_PLACE_PASSAGES`` passages, by
    ``df``: in how many passages a token occurs), answered by a quote that does not name it:
    the quote is about somewhere else. (A place the document never names is the document
    check's: ``missing_specifics``.)"""
    held = set(tokenize(quote))
    for m in _IN_PLACE.finditer(question):
        if _named_in_passing_not_held(m.group(1), held, df):
            return True
    return False


def _named_in_passing_not_held(name: str, held: set[str], df: Callable[[str], int]) -> bool:
    """Whether the collection names ``name`` only in passing (each of its words, or a word
    made from it, in 1 to ``RARE_PLACE_PASSAGES`` passages by ``df``) and ``held`` (a text's
    tokens) does not name it."""
    words = [w for w in name.split() if tokenize(w)]
    return bool(words) and not all(_names_place(w, held) for w in words) \
        and all(0 < _place_passages(w, df) <= RARE_PLACE_PASSAGES for w in words)


def _names_place(word: str, held: set[str]) -> bool:
    """Whether ``held`` (a text's tokens) names ``word``, itself or as a word made from it
    (``place_forms``: "Bulgarian" names Bulgaria)."""
    return any(set(t) <= held for t in map(tokenize, [word, *place_forms(word)]) if t)


def _place_passages(word: str, df: Callable[[str], int]) -> int:
    """In how many passages (by ``df``) the collection names a place, by its own word or a
    word made from it: a page that says only "Bulgarian partners" names Bulgaria (a blind
    probe's "reflection period in Bulgaria" was answered from the Slovenian rule, as the
    page held no token "bulgaria" and the place counted as never named)."""
    return max((df(t) for f in [word, *place_forms(word)] for t in tokenize(f)), default=0)


# A name a question asks about anywhere after its first word ("How many prosecutors does
# Croatia have?"): capitalised words, not written in capitals alone (an abbreviation such as
# "MPL", "MPL's" or "NGOs" is often spelt out or put in the plural by the text, so how many
# passages hold it says little).
_NAME_WORD = r"(?![A-Z]+s\b)[A-Z][\w-]*[a-z][\w-]*(?:'[a-z]*)?"
_ASKED_NAME = re.compile(rf"(?<=\w )({_NAME_WORD}(?:\s+{_NAME_WORD})*)")


def names_unmentioned(question: str, passage: str, df: Callable[[str], int]) -> list[str]:
    """The names a question asks about that the collection mentions only in passing (in at
    most ``RARE_PLACE_PASSAGES`` passages, by ``df``) and that the quote's passage does not
    mention, itself or as a word made from it (``place_forms``): "How many prosecutors does
    Croatia have?" answered from a passage about Slovenia. ``lacks_asked_place`` reads only a
    place after "in" or "from", and needs the quote itself to name it; a name the answer's
    passage holds may be named in the sentence before the quote ("Caritas ... It runs a
    shelter"), so the passage is enough here."""
    held = set(tokenize(passage))
    out = []
    for m in _ASKED_NAME.finditer(question):
        if _named_in_passing_not_held(m.group(1), held, df) \
                and not any(_of_a_subject(w, df) for w in m.group(1).split()):
            out.append(m.group(1))
    return list(dict.fromkeys(out))


# Countries as users name them where ISO 3166 does not ("Russian Federation", "Türkiye",
# "Bosnia and Herzegovina"), and Kosovo, which it does not list.
_COUNTRY_SHORT_NAMES = frozenset(("Russia", "Turkey", "Kosovo", "Bosnia", "Macedonia", "UK",
                                  "USA", "Britain", "England", "Scotland", "Wales", "America"))


@functools.cache
def _country_names() -> dict[str, str]:
    """The one-word names of the world's countries and territories (ISO 3166, by pycountry),
    by their small letters: "austria" -> "Austria", "uk" -> "UK"."""
    import pycountry

    names = {getattr(c, a, None) for c in pycountry.countries for a in ("name", "common_name")}
    # "Iran, Islamic Republic of" is Iran; and the short names ISO 3166 does not give.
    short = {n.split(",")[0] for n in names if n} | _COUNTRY_SHORT_NAMES
    return {n.casefold(): n for n in short if " " not in n}


def country_name(word: str) -> str | None:
    """A word typed in small letters that names a country ("austria"), as the name is written
    ("Austria"); None for any other word."""
    return _country_names().get(word) if word.islower() else None


def place_forms(word: str) -> list[str]:
    """The words for a place and for its people made from each other: "Bulgaria" and
    "Bulgarian(s)", "Croatia" and "Croatian", "Germany" and "German", "Italy" and "Italian",
    "Japan" and "Japanese". Not the bare stem of a place in "-a" ("Niger" from "Nigeria",
    "Roman" from "Romania": other words)."""
    if len(word) < 4 or not word[:1].isupper():
        return []
    w = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    out = []
    if w.endswith("a"):  # a place: Bulgaria, Korea
        out.append(w + "n")
    if w.endswith("y"):  # Germany, Italy
        out += [w[:-1], w[:-1] + "ian"]
    if not w.endswith(("a", "y", "ese", "ish")):  # Japan, Vietnam, Sudan
        out += [w + "ese"]
    if w.endswith("ian"):  # a people: Italian, Croatian
        out += [w[:-1], w[:-3] + "y"]
    elif w.endswith("an"):  # Bulgarian, German, Korean
        out += [w[:-1], w + "y"]
    if w.endswith("ese"):  # Japanese, Chinese
        out += [w[:-3], w[:-3] + "a"]
    return list(dict.fromkeys(f for f in out if f != word and len(f) > 3))


# A place a question asks about: "in Germany", "of Australia", "to the UK". Not where someone
# comes from or is sent back to ("victims from Nigeria", "citizens of Ukraine", "sent back to
# Nigeria"): a page on Slovenia speaks of foreign victims, whoever they are.
_ASKED_COUNTRY = re.compile(r"\b(?:in|of|to)\s+(?:the\s+)?([^\W\d_][\w'’-]*)", re.IGNORECASE)
_SOMEONES_COUNTRY = frozenset(tokenize(
    "citizen citizens national nationals native natives origin born back return returned "
    "returning deported repatriated sent"))
_LAST_WORD = re.compile(r"([^\W\d_][\w'’-]*)\W*$")
# The ISO 3166 country a short name stands for, where pycountry's lookup does not find it.
_COUNTRY_ALIASES = {"UK": "GB", "Britain": "GB", "England": "GB", "Scotland": "GB",
                    "Wales": "GB", "America": "US", "Russia": "RU", "Turkey": "TR",
                    "Bosnia": "BA", "Macedonia": "MK"}


@functools.cache
def _country_forms(name: str) -> tuple[str, ...]:
    """A country's names: as asked, ISO 3166's (pycountry: "United Kingdom", "Czech
    Republic" for "UK", "Czechia"), and the words for its people (``place_forms``)."""
    import pycountry

    try:
        c = pycountry.countries.lookup(_COUNTRY_ALIASES.get(name, name))
    except LookupError:
        c = None
    names = [name] + ([n for n in (getattr(c, a, None) for a in
                                   ("name", "common_name", "official_name")) if n]
                      if c is not None else [])
    return tuple(dict.fromkeys([*names, *place_forms(name)]))


def asks_unnamed_country(question: str, df: Callable[[str], int],
                         places: frozenset[str]) -> str | None:
    """The country a question asks about ("in Germany", "of australia") that the collection
    never names, by any of its names or its people's (``_country_forms``; ``df``: in how many
    passages a token occurs), when the question names none of ``places`` (the stems of the
    places the documents are about, ``scope_names``), itself or by its people ("Slovenian");
    None otherwise. A country typed in small letters counts ("in austria": after "in", "of" or
    "to", "turkey" is seldom the bird); one inside a longer name does not ("United States of
    America", "Georgia Smith")."""
    words = _LETTERS_WORD.findall(question)
    if any(set(tokenize(f)) & places for w in words
           for f in (w, *place_forms(w[:1].upper() + w[1:]))):
        return None
    for m in _ASKED_COUNTRY.finditer(question):
        w = m.group(1)
        name = _country_names().get(w.casefold())
        if name is None or not (w.islower() or w[:1].isupper()):
            continue
        before = _LAST_WORD.search(question, 0, m.start())
        after = question[m.end():].split(None, 1)
        if before is not None and (set(tokenize(before.group(1))) & _SOMEONES_COUNTRY
                                   or (before.group(1)[:1].isupper()
                                       and before.start() > 0)):
            continue
        if after and after[0][:1].isupper() and not w.islower():
            continue
        named = (tokens and all(map(df, tokens))
                 for tokens in map(tokenize, _country_forms(name)))
        if not any(named):
            return name
    return None


def _of_a_subject(word: str, df: Callable[[str], int]) -> bool:
    """A word made from a name the collection mentions often ("Slovenian" where "Slovenia"
    is in many passages): the collection's subject, not a detail of it."""
    return any(df(t) > RARE_PLACE_PASSAGES for f in place_forms(word) for t in tokenize(f))


# A year in a question or a passage: four digits from 1000 to 2099 standing alone ("in 2021",
# "2012-2013", "the 1990s", "03/2024"), not inside a larger figure ("90,000", "EUR 20000").
_YEAR_NUMBER = re.compile(r"(?<![\w,.])((?:1[0-9]|20)\d\d)s?(?![\w]|[.,]\d)")
# A number with a year, which is no year of the text: "Guideline No. 7/2023", "Decision
# 123/2024", "K 118/2021" (a number after "No." or a capitalised word); not a date's "03/2024"
# or "15/06/2024".
_NUMBER_WITH_YEAR = re.compile(r"(?:\b(?:No|Nr|no|nr|Number|number)\.?\s*|\b[A-Z][\w.-]*\s+)"
                               r"\d{1,3}/$")


def with_conversation_year(question: str, context: str) -> str:
    """``question`` as its checks read it when it follows up a question naming one year and
    names no time of its own ("how many of them were foreigners?" after "How many victims were
    identified in 2023?"): with that year ("... (in 2023)"), so that a quote about 2022 is
    said to be. As it is otherwise."""
    years = set(_years(context))
    if len(years) != 1 or _years(question) or _TIME_OF_ITS_OWN.search(question):
        return question
    return f"{question} (in {years.pop()})"


# A follow-up that places itself in time ("what happened before that?", "and the year after?",
# "since when?"): the conversation's year is not its own.
_TIME_OF_ITS_OWN = re.compile(r"\b(before|after|earlier|later|previous|prior|next|last|since|"
                              r"until|till|year|years|decade|ago|when|then|now|today|"
                              r"currently|recent\w*)\b", re.IGNORECASE)


def _years(text: str) -> list[str]:
    """The years ``text`` names (``_YEAR_NUMBER``), but those of numbers with a year."""
    return [m.group(1) for m in _YEAR_NUMBER.finditer(text)
            if not (text[m.start() - 1:m.start()] == "/"
                    and _NUMBER_WITH_YEAR.search(text, max(0, m.start() - 30), m.start()))]


# A year that names a thing rather than a time: after "the", "its" ... and before a word ("the
# 1973 embargo", "the 2021 amendment").
_THING_YEAR = re.compile(r"\b(?:the|a|an|its|their|this|that)\s+((?:1[0-9]|20)\d\d)\s+[a-z]",
                         re.IGNORECASE)


# A year the question asks about as its time ("in 2022", "during 2019", "for 2021"), not one
# that names a thing ("the 1973 embargo", "the 2021 amendment").
_TIME_YEAR = re.compile(r"\b(?:(?:in|during|throughout)\s+(?:the\s+year\s+)?|for\s+the\s+year\s+)"
                        r"((?:1[0-9]|20)\d\d)(?![\w/-]|[.,]\d|\s+(?:terms|prices|money|"
                        r"dollars|euros|values?)\b)", re.IGNORECASE)


def time_frame_years(question: str) -> list[str]:
    """The years a question asks about as its time frame, in order ("in 2022", not "the 2022
    programme", "1200 places" or "in 2020 terms")."""
    return list(dict.fromkeys(m.group(1) for m in _TIME_YEAR.finditer(question)))


def other_years(question: str, passage: str) -> tuple[list[str], list[str]] | None:
    """(the years a question names, the years its passage names instead) when the passage
    names years and none of the question's; None otherwise (``lacks_asked_year``)."""
    asked = set(_years(question))
    if not asked:
        return None
    given = set(_years(passage))
    return (sorted(asked), sorted(given)) if given and not asked & given else None


def other_time_years(question: str, text: str) -> tuple[list[str], list[str]] | None:
    """``other_years`` for the years a question asks about as times ("in 2022", "for 2025"),
    not those naming a thing ("the 1973 embargo" is answered by "the end of the embargo in
    March 1974")."""
    asked = set(_years(question)) - {m.group(1) for m in _THING_YEAR.finditer(question)}
    if not asked:
        return None
    given = set(_years(text))
    return (sorted(asked), sorted(given)) if given and not asked & given else None


# Where one sentence of a quote ends and the next begins (good enough within a quote, whose
# sentences the index has already cut).
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"'“(]?[A-Z0-9])")


def figures_of_other_years(question: str, quote: str) -> tuple[list[str], list[str]] | None:
    """(the years a question asking for a figure names, the years of the quote's sentences
    that give a figure instead) when those sentences are dated and not with a year asked;
    None otherwise. A quote may name the year asked in one sentence and give another year's
    figure in the next: "... appointed in September 2021. In 2023 its budget amounted to
    14.2 million" had answered "What was the budget in 2021?" confidently."""
    if not _ASKS_NUMBER.search(question) or asks_for_year(question):
        return None
    asked = set(_years(question)) - {m.group(1) for m in _THING_YEAR.finditer(question)}
    if not asked:
        return None
    given: set[str] = set()
    for sentence in _SENTENCE_BREAK.split(quote):
        if _NUMBER.search(_without_dates(_without_figures_of(question, sentence))):
            for m in _YEAR_RANGE.finditer(sentence):  # "between 2021 and 2023": 2022 too
                a, b = int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4))
                if 0 < b - a < 50:
                    given |= {str(y) for y in range(a, b + 1)}
            # The year a figure is compared with is not the figure's ("In 2023 its budget
            # amounted to 14.2 million, 9 per cent more than in 2022" gives no 2022 budget).
            given |= set(_years(_COMPARED_WITH.sub(" ", sentence)))
    return (sorted(asked), sorted(given)) if given and not asked & given else None


_YEAR_RANGE = re.compile(r"\b(?:between|from)\s+((?:1[0-9]|20)\d\d)\s+(?:and|to|until|till)\s+"
                         r"((?:1[0-9]|20)\d\d)\b|\b((?:1[0-9]|20)\d\d)\s*[-–]\s*((?:1[0-9]|20)\d\d)\b",
                         re.IGNORECASE)
_COMPARED_WITH = re.compile(r"\b(?:compared\s+(?:with|to)|than|since|up\s+from|down\s+from|"
                            r"as\s+against|against)\s+(?:(?:in|the\s+year|that\s+of)\s+)?"
                            r"(?:1[0-9]|20)\d\d\b", re.IGNORECASE)


def names_asked_year(question: str, text: str) -> bool:
    """Whether ``text`` names a year the question names."""
    return bool(set(_years(question)) & set(_years(text)))


def lacks_asked_year(question: str, passage: str) -> bool:
    """A question naming a year ("How many victims were identified in 2021?") answered from a
    passage that names other years and not that one: the quote gives another year's figure
    ("In 2022, 214 ..."), or a figure its passage dates otherwise. (A year the whole document
    lacks is the document check's: ``missing_specifics``.)"""
    return other_years(question, passage) is not None


def lacks_asked_number(question: str, quote: str) -> bool:
    """A question asking how many, how much, how old, what share or what year, answered by a
    quote with no figure at all (a year or the day of a date does not count, unless the
    question asks for a year, anywhere in it, which needs one), or asking how many of something
    with no figure followed by its name: it cannot be the answer. ("How long" is left out: "for
    the duration of the trial" answers it.)"""
    if _ASKS_YEAR.search(question):  # anywhere: "Who founded it, and in what year?"
        return not _A_YEAR.search(_without_figures_of(question, quote))
    if not _ASKS_NUMBER.search(question):
        return False
    # What is counted, and what is said of it ("victims were identified": a quote saying "120
    # were identified" answers), but no function word ("81 were women" counts no convictions).
    counted = {t for w in counted_words(question) if w.lower() not in _FUNCTION_WORDS
               for t in tokenize(w)}
    return not _gives_figure(question, quote, counted)


_FIGURE = re.compile(_DIGIT + r"[\d.,/]*\d|" + _DIGIT)
_OFFERS_CHOICES = re.compile(r"\d[\w.,]*\s+or\s+\w*\s*\d", re.IGNORECASE)


def asks_for_year(question: str) -> bool:
    """Whether a question asks what year (``lacks_asked_number`` then wants a year)."""
    return bool(_ASKS_YEAR.search(question))


def _without_figures_of(question: str, quote: str) -> str:
    """``quote`` without the figures the question itself names: "What is the maximum penalty
    under Article 160?" is not answered by the 160 of "charged under Article 160", nor "What
    year was the 1973 embargo lifted?" by its 1973."""
    if _OFFERS_CHOICES.search(question):  # "Which year had more, 2019 or 2020?"
        return quote
    for figure in {m.group(0) for m in _FIGURE.finditer(question)}:
        quote = re.sub(r"(?<![\w.,])" + re.escape(figure) + r"(?![\w]|[.,]\d)", " ", quote)
    return quote


# A table written as text: cells between bars, or tab-separated.
_TABLE = re.compile(r"\|[^|\n]*\||\t")


def _counts_in_a_table(quote: str, counted: set[str]) -> bool:
    """A table whose headings name what is counted and whose cells hold figures ("Year |
    Unaccompanied children / 2019 | 312"): the figure stands under its heading, not after it."""
    return bool(_TABLE.search(quote)) and bool(_NUMBER.search(_without_dates(quote))) \
        and bool(counted & set(tokenize(quote)))
