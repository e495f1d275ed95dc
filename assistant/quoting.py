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

from .chunking import table_row
from .embedding import TokenVectors
from .index import Index
from .keyword import tokenize
from .places import country_names
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


# Or a pronoun as the subject after a short opening ("In 2024 they numbered 139", "On average
# it was 19 months"): the sentence says more of what the one before named.
# After a preposition or a conjunction, one word at least comes between, and no pronoun: a
# pronoun right after it opens a clause that points forward ("Before they leave, residents
# ...", "Until they turn 18, ...", "Since they arrived, it ..."); and "it"
# standing for what follows ("In Veldora it is illegal to ...", "it was decided that ...")
# points back to nothing.
_OPENING_THEN_PRONOUN = re.compile(
    r"^(?:(?:In|On|By|Since|From|At|During|Until|Over|After|Before|Last)"
    r"(?:\s+(?!(?:it|they|he|she|we|you|I)\b)[\w-]+){1,2}|"
    r"(?:Today|Now|Then|Later|Overall|Together|Altogether|Again|Currently)(?:\s+[\w-]+){0,2})"
    r",?\s+"
    r"(?:it|they|he|she)\s+(?!(?:is|was|has\s+been|will\s+be)\s+(?:also\s+|not\s+)?[\w-]+\s+"
    r"(?:to|that)\b)(?!(?:is|was)\s+(?:also\s+)?(?:important|necessary|possible|expected|"
    r"estimated|planned|hoped|likely|unlikely|clear|said|reported|decided|agreed|announced|"
    r"found|noted)\b)")


def refers_back(sentence: str) -> bool:
    """Whether ``sentence`` opens leaning on the one before: a pronoun or a connective, or a
    pronoun as the subject after a short opening (``_OPENING_THEN_PRONOUN``)."""
    return bool(_ANAPHORA.match(sentence) or _CONNECTIVE.match(sentence)
                or _OPENING_THEN_PRONOUN.match(sentence))


# A sentence opening with "The" and a noun ("The project, which was approved ..."), past
# words that only tell one of a kind from another ("The first workshop", "The new law").
_DEFINITE_OPENING = re.compile(
    r"^The\s+(?:(?:first|second|third|new|same|other|following|next|last|former|latter|above|"
    r"said|previous|final|main|current|earlier|later|original)\s+)*([a-z][\w-]*)\b")


# "this" or "these" and the word after them, anywhere in a sentence ("There are 11 prosecutors
# within this Specialised Service"), not in a phrase that names nothing said ("this time", "to
# this end", "in this regard").
_DEMONSTRATIVE = re.compile(
    r"\b(?:this|these)\s+(?!(?:time|times|way|ways|end|regard|respect|point|purpose|context|"
    r"moment|stage)\b)([^\W\d_][\w-]*)")


def names_again(sentence: str, after: str) -> bool:
    """Whether ``after`` opens with "The" and a noun of ``sentence`` ("The title of the new
    project is ..." then "The project, which was approved by the European Commission, brings
    together ..."), or names one of its words with "this" or "these" ("... the Specialised
    Office of State Prosecutor ..." then "There are 11 prosecutors within this Specialised
    Service"): it goes on about the thing the sentence named, as a pronoun would."""
    m = _DEFINITE_OPENING.match(after)
    named = [m.group(1)] if m is not None and m.group(0).count(" ") == 1 else []
    named += [d.group(1) for d in _DEMONSTRATIVE.finditer(after)]
    if not named:  # most sentences: the sentence before is not read
        return False
    held = set(tokenize(sentence))
    return any(set(tokenize(w)) & held for w in named)


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


WORD = re.compile(r"\w+")


def query_tokens(tv: TokenVectors, text: str, context_chars: int = 0,
                 context_weight: float = Weights.context) -> QueryTokens:
    """Weights for the word pieces of ``text`` (whose first ``context_chars`` characters are
    earlier context). A word piece counts when its word is a content word."""
    weights = np.zeros(len(tv.offsets), dtype=np.float32)
    words = [(m.start(), m.end(), tokenize(m.group())) for m in WORD.finditer(text)]
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
LETTERS_WORD = re.compile(r"\b[^\W\d_]{3,}\b")
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
    countries = country_names()

    def country(w: str) -> bool:
        return countries.get(w.casefold()) == w

    found = {w for w in (m.group(1) for m in _JURISDICTION.finditer(opening))
             if _name_like(w) and (country(w) or not in_dictionary(w.lower()))}
    found |= {w for w in LETTERS_WORD.findall(opening) if _name_like(w) and country(w)}
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
# one may be a follow-up (``queries.is_follow_up``).
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


# A message opening by saying who asks ("I'm a labour inspector", "We are an NGO", "As a
# prosecutor, ..."), not what happened ("My client was trafficked ...").
# A greeting may come first ("Hi, I'm ..."), and the apostrophe may be left out ("Im a ...").
_ABOUT_THE_ASKER = re.compile(
    r"^\W*(?:(?:hi|hello|hey|dear\s+\w+|good\s+(?:morning|afternoon|evening))\b[\s,!.]*)?"
    r"(?:i['’]?m|i\s+am|i\s+work(?:ed)?|i['’]ve\s+been|we['’]re|we\s+are|we\s+work|"
    # "As a prosecutor, ...", not "As a result of ..."
    r"as\s+an?\s+[^\W\d_]+(?:[\s-]+[^\W\d_]+)?\s*,)", re.IGNORECASE)
# Thanks after the question ("... ? Thanks a lot."): no part of it.
_THANKS_AFTER = re.compile(
    r"^\W*(?:many\s+)?(?:thanks|thank\s+you|thx|cheers)(?:\s+(?:a\s+lot|so\s+much|very\s+much|"
    r"in\s+advance))?\W*$", re.IGNORECASE)
# A last sentence typed without its question mark that opens as a question does ("What time
# is it", "how many officers work on it").
_OPENS_AS_QUESTION = re.compile(
    r"^\W*(?:what|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|can|"
    r"could|would|will|should|shall|may|might|must|has|have|had)\b", re.IGNORECASE)


def introduction_before(question: str) -> tuple[str, str] | None:
    """(the introduction, the question) of a message that says who asks before its question
    ("I'm a prosecutor in Zagreb and we are setting up a joint team. Was there ever a workshop
    on JITs in Croatia?"): the question proper is its last sentence, ending with a question
    mark, after sentences that ask nothing, the first of them about the asker. None for any
    other message: of one sentence, of more than one question ("Who funds it? And how
    much?"), or telling what the question is about ("My client was trafficked from Nigeria
    and helps the police. Can she stay?")."""
    from .chunking import sentences

    if not _ABOUT_THE_ASKER.match(question):
        return None
    spans = sentences(question, 0, len(question))
    while spans and _THANKS_AFTER.match(question[spans[-1][0]:spans[-1][1]]):
        spans = spans[:-1]
    if len(spans) < 2:
        return None
    said, asked = spans[:-1], question[spans[-1][0]:spans[-1][1]]
    if not (asked.rstrip().endswith("?") or _OPENS_AS_QUESTION.match(asked)) \
            or any("?" in question[a:b] for a, b in said):
        return None
    return question[said[0][0]:said[-1][1]], asked


def conversational_words(question: str) -> frozenset[str]:
    """The words of ``question`` (lowercased) that belong to the conversation, not to what it
    asks about."""
    words = {w.lower() for w in WORD.findall(question)}
    out = words & _CONVERSATIONAL
    if asks_again(question):
        out |= words & _ASKING_AGAIN_WORDS
    return frozenset(out)


# Words that name only the kind of answer wanted ("What year?", "Which date?", "In what year
# was that?"): such a follow-up asks it of the conversation's subject, like "When?" (read
# alone, "year" had found "in recent years"; ``Answerer._reading``).
ANSWER_KINDS = frozenset(tokenize(
    "year years date dates day month place location venue amount sum figure number"))

# A word in a quote, and whether it is capitalised (any script: "Žalec", "Île-de-France").
QUOTE_WORD = re.compile(r"[^\W\d_][\w'-]*")


# Function words the keyword index's short stop list keeps (it is BM25's, and changing it would
# change every index): quantifiers and "were". Counted as content words, they made "And
# how many were children?" a question of three words, too many to be read as a follow-up.
# "since" and "got" too: "Since when?" and "Who got it?" ask nothing of their own
# (a conversation probe's refusals, after the answer that held what they ask).
# (And the indefinite pronouns and "else", which name nothing asked about: "anyone else?";
# and "whats", "what's" typed without its apostrophe. Not "exactly": without it "Which ones
# exactly?" was read alone, its support of the conversation's quote measured on the word.)
FUNCTION_WORDS = frozenset("were many much more most some very just only since got anyone "
                            "anybody anything someone somebody something everyone everybody "
                            "everything else whats".split())


def unasked_words(question: str) -> frozenset[str]:
    """The words of ``question`` (lowercased) that name nothing it asks about: those of the
    conversation (``conversational_words``) and function words ("many", "were")."""
    return conversational_words(question) | FUNCTION_WORDS


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
    return tokenize(" ".join(w for w in WORD.findall(question) if w.lower() not in skip))


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
    for m in WORD.finditer(question):
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
    low = text.lower()
    if "http" not in low and "www." not in low:
        return []  # (most passages: the pattern's scan costs more than this)
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
        total = vecs[lo:hi].sum(axis=0)  # the mean's cosine: the count divides out
        meaning[i] = float(total @ qv) / max(float(np.sqrt(total @ total)), 1e-12)
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
# (Its "where ... find" branch is ``_where_finding``: as one pattern, "where\b.*\bfind" tried
# from every "where" of a long message of them costs time quadratic in its length.)
_WHERE_TO_READ = re.compile(
    r"\b(where(?:'s|\s+is|\s+are)\s+(?:the\s+)?"
    r"(?:\w+\s+){0,2}(?:stats|statistics|data|figures|reports?|write-?ups?|summary|"
    r"overview|breakdown|description|documentation)(?:\s+(?:about|on|for|of)|(?=\W*$))|"
    r"(more|further) (about|info|information|"
    r"details)|read (more|about)|learn more|find out more|(is|are) there (a|an|any) "
    r"(site|website|page|link|document|article|report)|(published|documented|reported) "
    r"(in|on|at)|"
    # "which website has the full description ...?", "what report lists the statistics?"
    r"(which|what)\s+(?:web\s?sites?|web\s?pages?|links?|urls?|"
    r"(?:sites?|reports?|documents?|publications?)(?=\s+(?:has|have|holds?|gives?|contains?|lists?|"
    r"describes?|covers?|publishes|explains?|details?|shows?)\b)))\b", re.IGNORECASE)


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


_WHERE = re.compile(r"\bwhere\b", re.IGNORECASE)
# (not "get" of "get-together")
_FINDING_WORD = re.compile(r"\b" + _FINDING + r"\b(?!-\w)", re.IGNORECASE)
# Words of finding that as often ask for a place or a service ("Where do victims get help?",
# "Where is shelter available?"): they ask where to read when the reader is the one finding
# ("where can I see their accounts?") or a source is named ("where are the statistics
# available?").
_FINDING_OR_GETTING = frozenset({"find", "see", "look", "available", "found", "get"})
_THE_READER = re.compile(r"\b(?:i|we|you|one)\b", re.IGNORECASE)


def _where_finding(question: str) -> str:
    """The words from a line's first "where" to the first word of finding or reading after
    it on that line ("where can i find"), or "": a word of finding after a later "where" of
    the line is after its first too, so one look per line is enough."""
    source = None  # whether the question names a source, read once if needed
    for line in question.split("\n"):
        where = _WHERE.search(line)
        if where is None:
            continue
        reader = _THE_READER.search(line, where.end())  # the first, read once
        for finding in _FINDING_WORD.finditer(line, where.end()):
            if finding.group(0).lower() in _FINDING_OR_GETTING \
                    and not (reader and reader.end() <= finding.start()):
                if source is None:
                    source = names_source(question)
                if not source:
                    continue
            return line[where.start():finding.end()]
    return ""


def asks_where_to_read(question: str) -> bool:
    return bool(_where_finding(question) or _WHERE_TO_READ.search(question))


def where_to_read_form(question: str) -> str:
    """The words by which a question asks where to read, up to the first word of finding or
    reading, with the first word of the source it asks for ("where can i find stats" of "where
    can i find stats on thb prosecutions and for info on victims"), or ""."""
    m = _WHERE_TO_READ.search(question)
    form = _where_finding(question) or (m.group(0) if m else "")
    if not form:
        return ""
    source = _SOURCE_WORD.search(question)
    return form if source is None or _SOURCE_WORD.search(form) else f"{form} {source.group(0)}"


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
    return asks_where_to_read(question) and names_source(question)


def names_source(question: str) -> bool:
    """Whether a question names a source to read (``_SOURCE_WORD``: statistics, reports, a
    website ...)."""
    return bool(_SOURCE_WORD.search(question))


# A question about what came after something ("What happened after the conference?", "Once
# the 90 days are over, ...", "after I die"), or before it. Chosen on the fitting part: hit@1
# 130 to 135 of 247 (after-period 13 to 16), quotes 268 to 273 characters on average.
# "what happens when the reflection period ends?" asks it as well; "When does the project
# end?" asks when, not what follows.
_ENDS = r"(?:ends?|ended|expires?|expired|runs?\s+out|ran\s+out|is\s+over|are\s+over|finish(?:es)?)\b"
_WHEN_NOT_ASKED = (r"when\s+(?!(?:does|did|do|will|would|is|was|are|were|should|can|could|has|"
                   r"have|had|shall|must|might|may)\b)")
_ASKS_AFTER = re.compile(r"\b(after|afterwards|once|following)\b|\b" + _WHEN_NOT_ASKED
                         + r"(?:[\w'’-]+\s+){1,6}?" + _ENDS, re.IGNORECASE)
_ASKS_BEFORE = re.compile(r"\b(before|prior to|preceded)\b", re.IGNORECASE)


def asks_sequel(question: str) -> int:
    """1 for a question about what came after something, -1 before, 0 neither (or both)."""
    return int(bool(_ASKS_AFTER.search(question))) - int(bool(_ASKS_BEFORE.search(question)))


# What a question asks about the time after: the words after its "after" ("after the 30-day
# assessment period"), up to the clause's end.
_AFTER_WHAT = re.compile(r"\b(?:after|once|following)\s+([^,;:?!.]+)|\b" + _WHEN_NOT_ASKED
                         + r"((?:[\w'’-]+\s+){1,6}?)" + _ENDS, re.IGNORECASE)
# (Opening a sentence: a sentence saying what happens after the thing, not one mentioning
# that something else happens after it: "Personal data are kept for five years after they
# leave the shelter" does not say what happens once a resident leaves.)
_AFTER_IN_TEXT = re.compile(r"(?:^|(?<=[.!?]\s))(?:(?:After|Once|Following|At the end of|Beyond)"
                            r"\s+((?:[\w'’-]+\W+){1,6})|When\s+((?:[\w'’-]+\s+){1,6}?)"
                            + _ENDS + ")")


def after_what(question: str) -> frozenset[str]:
    """The content words (stemmed) of what a question asks about the time after ("30",
    "day", "assess", "period" of "What happens after the 30-day assessment period?")."""
    m = _AFTER_WHAT.search(question)
    if m is None:
        return frozenset()
    words = [w for w in WORD.findall(m.group(1) or m.group(2))
             if w.lower() not in FUNCTION_WORDS][:5]
    return frozenset(t for w in words for t in tokenize(w))


def speaks_of_after(text: str, what: frozenset[str]) -> bool:
    """Whether ``text`` says what comes after the thing (``after_what``): a sentence opening
    with "After" or "At the end of" followed, within six words, by half its words or more
    ("After the 30-day assessment period, the resident may stay ...")."""
    if not what:
        return False
    need = (len(what) + 1) // 2
    return any(len(what & set(tokenize(m.group(1) or m.group(2)))) >= need
               for m in _AFTER_IN_TEXT.finditer(text))


# A question asking about going past a limit of time ("Can someone stay longer than the six
# months?", "beyond the 90 days"), and a sentence saying how it is done ("the stay can be
# extended by a further six months").
# ("over" is left out: "granted over the years" asks of a span, not past its end.)
_ASKS_BEYOND = re.compile(r"\b(?:longer\s+than|beyond|past\s+the|exceed\w*|more\s+than)\b",
                          re.IGNORECASE)
_A_TIME_OR_LIMIT = re.compile(r"\b(?:days?|weeks?|months?|years?|period|limit|deadline|stay)\b",
                              re.IGNORECASE)
_SPEAKS_OF_EXTENSION = re.compile(r"\b(?:extend\w*|extension|prolong\w*|renew\w*)\b",
                                  re.IGNORECASE)


def asks_beyond(question: str) -> bool:
    """Whether a question asks about going past a limit of time (``_ASKS_BEYOND``, with a
    time or a limit after it)."""
    m = _ASKS_BEYOND.search(question)  # the first: any later one is followed by less
    return m is not None and bool(_A_TIME_OR_LIMIT.search(question, m.end()))


def speaks_of_extension(text: str) -> bool:
    """Whether ``text`` says a time is extended, prolonged or renewed."""
    return bool(_SPEAKS_OF_EXTENSION.search(text))


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
            first = _with_item_number(text, seq, _with_antecedent(text, seq, first))
            first = _with_table_header(text, seq, first, last, rules)
            out.append(Candidate(doc_id, seq[first].start, seq[last].end, x.score, x))
    out.sort(key=lambda c: -c.score)
    return out


def _with_table_header(text: str, seq: list[Evidence], first: int, last: int,
                       rules: QuoteRules) -> int:
    """A quote of a table's rows is quoted from the table's first row, its header ("| Sector |
    Targeted inspections | Workers checked |"): a row alone is figures without their names.
    The rows between come too, the quote being one span of the text; not when that would
    double ``rules.cover_max_chars``, or when the header is not among the sentences read."""
    if not table_row(text, seq[first].start, seq[first].end):
        return first  # most quotes
    k = first
    while k > 0 and table_row(text, seq[k - 1].start, seq[k - 1].end) \
            and text[seq[k - 1].end:seq[k].start].count("\n") == 1 \
            and not text[seq[k - 1].end:seq[k].start].strip():
        k -= 1
    line_start = text.rfind("\n", 0, seq[k].start) + 1
    if line_start and table_row(text, text.rfind("\n", 0, line_start - 1) + 1, line_start - 1):
        return first  # the header is in a passage not read: no row stands in for it
    if k < first and seq[last].end - seq[k].start <= 2 * rules.cover_max_chars:
        return k
    return first


def _with_antecedent(text: str, seq: list[Evidence], first: int) -> int:
    """A quote grown back onto a sentence leaning on the one before ("It has eight beds ...")
    is quoted with that one too ("Since 2022 the shelter in Port Seldar has had a separate
    wing for men."): alone, "It" read as the thing the quote named next (a probe's "How many
    beds does the shelter in Kelmar have?" had been answered, confidently, by "It has eight
    beds ... The shelter in Kelmar is ..."). One sentence, over the quote's bounds."""
    if first > 0 and refers_back(text[seq[first].start:seq[first].end]) \
            and _adjacent(text, seq[first - 1], seq[first]):
        return first - 1
    return first


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
