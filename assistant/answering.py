"""A question -> an Answer: the one place that knows the order of the steps.

    Query (question + what it follows up)  ->  search (fused passages)
      ->  evidence (each sentence of the best passages, read word piece by word piece)
      ->  rank (sentences grown into quotes)  ->  abstain, or pick the quotes  ->  Answer

``Answerer`` owns the model calls and the word-piece cache; ``search`` and ``quoting`` are pure
functions over the index and already computed vectors.
"""
from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from . import abbreviations, checks, nearwords, places, quoting, spelling
from .embedding import Embedder, TokenVectors, knows_word
from .index import Index
from .queries import (ADDRESSES_READER, ASKS, CONTINUES, FOLLOW_UP_TERMS, GOES_ON, HAS_WORD,
                      PLEONASTIC_IT, Query, UNDERSPECIFIED_TERMS, asks_where_to_read,
                      clean_question, elliptical, follow_up_candidates, in_conversation,
                      is_follow_up, make_query, names_by_article, points_back, stands_alone)
from .render import answer_markdown
from .search import MODES, Scored, allowed_rows, search, to_hit
from .settings import AnswerSettings
from .types import Answer, Hit, Quote

# Token vectors of recently quoted passages stay cached (LRU): ~240 KB a passage (float32, so
# that scoring them needs no conversion), so ~270 passages; a miss costs one run of the model
# over the passage.
TOKEN_CACHE_BYTES = 64 * 2**20


# An address without "http" or "www" ("gnu.org/philosophy/why-not-lgpl.html",
# "licensing@mpl.org"): no mention of a name in the prose (``_prose_uses``). Not "LGPL-3.0".
# (Begun only where a run of word characters, dots and dashes begins, so that a long run of
# them is read once, not once from each of its dashes.)
_BARE_ADDRESS = re.compile(r"(?<![\w.@-])[\w-]+@\S+|(?<![\w.-])[\w-]+(?:\.[\w-]+)+(?:/\S*)?")


def _without_addresses(text: str) -> str:
    """``text`` without e-mail addresses and bare web addresses (one ending in a domain's
    letters, or with a path: "gnu.org/why-not-lgpl.html"; not "LGPL-3.0", nor "e.g.")."""
    def drop(m: re.Match) -> str:
        a = m.group()
        host = a.split("/", 1)[0]
        domain = host.rsplit(".", 1)[-1]
        address = "@" in a or "/" in a or (2 <= len(domain) <= 6 and domain.isalpha()
                                            and len(host) > 4)
        return " " if address else a

    return _BARE_ADDRESS.sub(drop, text)


# A name with its version run into it: "LGPLv3", "MPL2", "qpl1.0".
_VERSIONED_NAME = re.compile(r"([a-z]{2,}?)v?\d+(?:\.\d+)*")


def _with_unversioned(tokens: Sequence[str]) -> set[str]:
    """The tokens, and each name's without the version run into it ("lgplv3": "lgpl")."""
    out = set(tokens)
    for t in tokens:
        m = _VERSIONED_NAME.fullmatch(t)
        if m:
            out.add(m.group(1))
    return out


@functools.cache
def _stemmed(words: frozenset[str]) -> frozenset[str]:
    """A fixed list of words (``ERRAND_FRAME``, ``nearwords.FUNCTION_WORDS``) as the keyword
    index stems them; once per list."""
    from .keyword import tokenize

    return frozenset(t for w in words for t in tokenize(w))


# How far down a follow-up's candidates to look for one naming its one asked word
# (``Answerer._naming_first``).
NAMING_CANDIDATES = 10
# A question asking of the one who asks ("Can I stay?", "do the rules apply to me"): what they
# said of themselves is part of it.
_ASKS_OF_THE_ASKER = re.compile(r"\b(?:I|me|my|mine|myself|we|us|our|ours)\b", re.IGNORECASE)
# How far down a reading with the conversation whose top quote does not speak to the words
# of a question going on ("and out in the regions?") looks for one that does (``best_reading``).
SUPPORT_CANDIDATES = 4
# With the conversation, the answer's confidence must be higher by this much to be preferred
# over the question alone (a self-contained question stays put); and alone, by as much over the
# conversation for a one-word question pointing back ("What were they paid?").
FOLLOW_UP_MARGIN = 0.15
# A reading with the conversation that leans on it (tentative) is kept only if its top quote
# supports the question's own words at least this much (``quoting.asked_support``). Chosen on
# the fitting part of the evaluation set (README, "Follow-ups"): of 0.15, 0.2, 0.25 and 0.3,
# the highest that loses none of its right follow-ups; messages that change the subject ("Is
# it going to rain?") mostly score 0.03 to 0.15, follow-ups 0.1 to 1.
ASKED_SUPPORT = 0.15


class TokenCache:
    """Word-piece vectors of passages by index row: least recently used first out, bounded in
    bytes. Thread-safe; a miss is computed outside the lock."""

    def __init__(self, max_bytes: int = TOKEN_CACHE_BYTES):
        self.max_bytes = max_bytes
        # Question words' vectors (``Answerer.near_words``), of the same model.
        self.words = nearwords.WordCache()
        self._items: OrderedDict[int, TokenVectors] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def nbytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def values(self) -> list[TokenVectors]:
        with self._lock:
            return list(self._items.values())

    def get_many(self, rows: Sequence[int],
                 compute: Callable[[list[int]], list[TokenVectors]]) -> dict[int, TokenVectors]:
        found: dict[int, TokenVectors] = {}
        with self._lock:
            for r in rows:
                tv = self._items.get(r)
                if tv is not None:
                    self._items.move_to_end(r)
                    found[r] = tv
        missing = [r for r in dict.fromkeys(rows) if r not in found]
        if not missing:
            return found
        fresh = compute(missing)
        with self._lock:
            for r, tv in zip(missing, fresh):
                found[r] = tv
                if r not in self._items:
                    self._items[r] = tv
                    self._bytes += tv.nbytes
            while self._bytes > self.max_bytes and len(self._items) > 1:
                _, old = self._items.popitem(last=False)
                self._bytes -= old.nbytes
        return found


@dataclass(frozen=True)
class Evidence:
    """What ``answer`` decides on: the retrieved passages and every sentence's evidence, per
    document in text order. Benchmarks re-rank it with other settings without the model."""

    query: Query
    scored: tuple[Scored, ...]
    pool: dict[str, list[quoting.Evidence]]
    terms: quoting.QueryTerms | None = None
    question_tokens: TokenVectors | None = None  # the word pieces of ``query.text``
    # How many of ``scored`` are the best passages, in order; those after them were added for
    # holding the sentences closest to the question (``QuoteRules.sentence_passages``).
    ranked: int | None = None
    # The evidence of the question as written, when its abbreviations were searched spelt out
    # (``Answerer.glossed``): the spelling out picks the sentence, but makes no answer surer.
    as_written: "Evidence | None" = None

    @property
    def best(self) -> tuple[Scored, ...]:
        """The best passages, in order, without those added for their sentences."""
        return self.scored if self.ranked is None else self.scored[:self.ranked]


def build_answer(question: str, quotes: Sequence[Quote], conf: float,
                 closest: Sequence[Hit] = (), tentative: bool = False,
                 caveats: Sequence[str] = ()) -> Answer:
    if quotes:
        caveats = tuple(caveats) if tentative else ()
        return Answer(question, tuple(quotes), False,
                      answer_markdown(quotes, (), tentative, caveats), (), conf, tentative,
                      caveats)
    return Answer(question, (), True, answer_markdown((), closest), tuple(closest), conf)


@dataclass(frozen=True)
class Judgement:
    """The best candidates of some evidence; how sure the answer would be (``confidence``:
    the top quote answers) and whether the documents answer at all (``coverage``)."""

    candidates: list
    confidence: float
    coverage: float
    # The reading leans on the conversation for a question that does not stand by itself
    # (``Answerer.best_reading``): its answer can be tentative at best (``_leaning``).
    leans_on_conversation: bool = False
    # The question names a numbered unit of a text ("Measure 3.2") and the top quote's passage
    # is that unit's (``Answerer._named_unit_first``): the documents cover it, however thinly
    # its sentences match; the answer is not refused.
    names_found_unit: bool = False
    # The judgement of the question as written, its candidates reordered (``Evidence.
    # as_written``), when its abbreviations were searched spelt out: it caps the confidence.
    as_written: "Judgement | None" = None


def _leaning(reading: tuple[Evidence, Judgement]) -> tuple[Evidence, Judgement]:
    return reading[0], replace(reading[1], leans_on_conversation=True)


# A name with its version run into it: "LGPL3", "MPL2.0", and in capitals before a "v",
# "GPLv3"; the figures of a title or file name ("GPL-3.txt": "3").
_VERSIONED = re.compile(r"([A-Za-z]{2,})(\d+(?:\.\d+)*)")
_VERSIONED_CAPS = re.compile(r"([A-Z]{2,})v(\d+(?:\.\d+)*)")
_FIGURE = re.compile(r"\d+(?:\.\d+)*")


def _listed(items: Sequence[str], most: int, sep: str = ", ") -> str:
    return sep.join(items[:most]) + (" ..." if len(items) > most else "")


# Why an answer is tentative (``Answer.caveats``), besides the checks of what is asked.
LEANS = "they were found by reading your question with the earlier ones"
LOOSE = "they match your question only loosely"
# The same doubt about a top quote that holds every word the question asks about, where "only
# loosely" would be false (a probe's "Was the project approved by the European Commission?",
# quoting "The project, which was approved by the European Commission ..."). It stays
# tentative: "How many prosecutors deal with terrorism cases?" holds its words in a sentence
# counting the prosecutors of an office that deals with terrorism among other crimes.
LOOSE_WORDS = "they hold the words of your question, but may not say what it asks"


# The numbered-item check (``Answerer._unheld``) scans a document's text once per word: a
# visitor's question may name many ("x 1 y 2 z 3 ..."), so only the first few are checked, and
# only in documents short enough to scan in tens of milliseconds (measured: 10 MB in 0.6 s, 2 MB
# in 37-72 ms on a busy machine; a visitor's new words miss the cache).
MAX_NUMBERED_ITEMS = 3
MAX_NUMBERED_SCAN_CHARS = 500_000
MAX_NUMBERED_CACHED = 4096
# Words that frame an errand without making it the documents' ("who won eurovision this
# year?", "what time zone is montenegro in?", "anyone got a good recipe? need it", "what
# currency do they use?", "who is prime minister right now?", "recommend a good hiking trail
# in the varo valley"): a page saying "in recent years", "full time", "rarely used" or "the
# evaluators recommend" does not answer them.
ERRAND_FRAME = frozenset("time times year years week weeks day days month months hour hours "
                         "good best nice need needs true way ways anyone got use uses used right "
                         "recommend suggest nearby "
                         "current currently january february march april may june july august "
                         "september october november december".split())
# Passages read for a word said of a name (``_said_of``); more, and it counts as said.
MAX_COOCCURRENCE_ROWS = 50
# An abbreviation's spelling out is looked for in at most this many documents using it, of
# at most this many characters in all besides a definition's surroundings (``MAX_SPELT_SPAN``
# before it), and for at most this many new words of a question (``Answerer.glossed``).
MAX_GLOSS_DOCUMENTS = 20
MAX_GLOSS_CHARS = 300_000
MAX_SPELT_SPAN = 300
MAX_GLOSS_LOOKUPS = 4
_NOT_LOOKED_UP = object()


def _said(text: str, words: str, exact: bool = False) -> int:
    """How often ``text`` says ``words`` (as words; in any case unless ``exact``)."""
    pattern = r"(?<![\w-])" + r"\s+".join(map(re.escape, words.split())) + r"(?![\w-])"
    return len(re.findall(pattern, text, 0 if exact else re.IGNORECASE))


# The words next to a word, across a space only (``Answerer._among_abbreviations``).
_WORD_BEFORE = re.compile(r"(?<![\w'-])([A-Za-z][A-Za-z0-9]*)[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+([A-Za-z][A-Za-z0-9]*)(?![\w'-])")
# A Roman numeral in capitals ("II", "XIV"), read as a numeral, not an abbreviation.
_ROMAN = re.compile(r"(?=[IVXLCDM])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
# A word that may be an abbreviation: letters (and figures after the first), two to eight;
# in capitals, also as part of a hyphenated word ("anti-THB roadmaps", "THB-related"), which
# the model read as a rare word as it reads "THB" alone; not one of a name of abbreviations
# joined by hyphens ("JIT-THB-WB").
_ABBREVIATION_WORD = re.compile(r"(?<![\w'’-])[A-Za-z][A-Za-z0-9]{1,7}(?![\w'’-])|"
                                r"(?<![\w'’])(?<![A-Z0-9]-)[A-Z][A-Z0-9]{1,7}(?![\w'’]|-[A-Z0-9])")
# Passages under the heading of a numbered unit a question names, added to those retrieved
# when none of them mentions it (``Answerer._unit_passages``).
MAX_UNIT_PASSAGES = 2
# How far down a question asking who does something looks for a candidate that names someone
# (``Answerer._agent_first``): the next three. Ten changed one fitting question's wrong answer
# for another wrong one, and the sentence naming the doer sits next to the one naming the
# thing done.
AGENT_CANDIDATES = 4
# Words by which a question leans on what was said before it (``Answerer._stands_apart``).
_LEANS_BACK = re.compile(r"\b(?:it|its|they|them|their|theirs|this|that|these|those|he|him|his|"
                         r"she|her|there|same|such|still|also|too|else|other|another|then|"
                         r"former|latter|above|aforementioned)\b", re.IGNORECASE)
# How many candidates a question asking for a phone number or an address looks through for one
# giving it (``_contact_first``): a contact box's lines score low on meaning.
CONTACT_CANDIDATES = 10
# How far down a question asking who does something, whose top quote names someone for
# another deed, looks for one naming who does the deed asked (``_agent_first``): as far as for
# anyone who does something, the next three.
DEED_CANDIDATES = AGENT_CANDIDATES
# How far down a question asking when looks for a candidate giving a date (``_time_first``):
# as far as for who does something.
TIME_CANDIDATES = 4
# A follow-up asking only how many looks through this many candidates for the last answer's
# sentence or one after it, within this many characters (``_last_answer_first``).
LAST_ANSWER_CANDIDATES = 12
LAST_ANSWER_SPAN = 600
# How far down a follow-up whose top quote holds none of its own words looks for one holding
# two of them (``Answerer._own_words_first``).
OWN_WORDS_CANDIDATES = 4
# A question about an earlier one of a kind ("the previous project").
_EARLIER = re.compile(r"\b(?:previous|earlier|old|former|original|prior|first|concluded)\b",
                      re.IGNORECASE)
# How far down a question asking what something is called looks for a candidate saying it
# (``_title_first``).
TITLE_CANDIDATES = 4
# How far down a question about what is looks past a top quote about plans (``_present_first``).
PRESENT_CANDIDATES = 5
# How far down a question asking why looks for a candidate giving a reason
# (``_reason_first``): as far as for who does something.
REASON_CANDIDATES = 4
# How far down a "how many" question's candidates the one counting what it asks is looked
# for (``_counted_first``): as far as the candidates of who does something.
COUNTED_CANDIDATES = 4
# The candidates a question asking what comes after something looks among for one saying it
# (``Answerer._sequel_first``).
SEQUEL_CANDIDATES = 4


class Answerer:
    """The answering pipeline over one index and its model."""

    def __init__(self, index: Index, embedder: Embedder, settings: AnswerSettings,
                 cache: TokenCache | None = None):
        self.index, self.embedder, self.settings = index, embedder, settings
        self.cache = cache if cache is not None else TokenCache()
        self._thresholds: tuple[float, float] | None = None
        self._thresholds_lock = threading.Lock()
        # (document, word) -> the figures that follow the word in the document (``_unheld``);
        # the words come from visitors' questions, so the cache is bounded.
        self._numbers_after: dict[tuple[str, str], frozenset[str]] = {}
        # document -> the abbreviations it spells out (``_holder``); one entry per document
        self._spelt: dict[str, frozenset[str]] = {}
        # abbreviation -> the words the documents spell it out with, or None (``glossed``);
        # the abbreviations come from visitors' questions, so the cache is bounded.
        self._glosses: dict[str, str | None] = {}
        # word typed in lower case -> whether the documents write it in capitals
        # (``_written_in_capitals``); bounded like the glosses
        self._capitals: dict[str, bool] = {}
        # heading -> the passage rows under it (``_unit_passages``), made on first use
        self._sections: dict[str, list[int]] | None = None
        # the documents' names by their lower case (``_with_names``), made on first use
        self._name_forms: dict[str, str] | None = None
        # document -> the words it goes by, and those of its file name
        # (``quoting.document_names``, ``quoting.file_names``); one entry per document of the
        # index, which does not change under this answerer.
        self._doc_names: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        self._scope: dict[str, frozenset[str]] = {}  # the places of ``_names_of``
        # (the places of all documents together, whether each document has one): ``_places``
        self._all_places: tuple[frozenset[str], bool] | None = None
        # (document, word) -> whether the document's prose (not its web addresses) uses the
        # word (``named_document``); the words come from visitors' questions, so bounded.
        self._prose_uses_cache: dict[tuple[str, str], bool] = {}
        # word -> the documents it names however typed (``_documents_by_name``)
        self._by_name: dict[str, tuple[str, ...]] | None = None
        self._by_name_lock = threading.Lock()
        self._ids: list[str] | None = None  # ``_document_ids``

    def near_words(self, text: str) -> dict[str, tuple[tuple[str, float], ...]]:
        """Each stemmed word of ``text`` that no document uses (``nearwords.unseen_words``),
        with the documents' words near it (``NearWords``): empty for an index without word
        vectors, or with ``NearWords(count=0)``. Each such word is embedded alone, as the
        documents' words were, once per model (``TokenCache.words``; about 0.4 ms a word with
        int8), unless it is one of the common English words embedded once per model
        (``nearwords.common_words``). Read from the question's own word pieces instead, at no cost, a word lies
        further from them (cosines about two thirds as high); at the bar that gave the same
        hit@1 on the fitting part (0.35), more near-topic questions were answered confidently
        there (8.5% against 6.8%)."""
        near = self.settings.near_words
        words = self.index.words
        if words is None or near.count == 0 or not text:
            return {}
        unseen = nearwords.unseen_words(text, lambda t: self.index.keyword.df(t) > 0,
                                        quoting.unasked_words(text))
        if not unseen:
            return {}
        asked = [w for w, _, _, _ in unseen]
        # A common English word is read from the vectors embedded once per model; only the
        # others are run through the model now (``nearwords.common_words``).
        table = nearwords.common_words(self.embedder)
        vectors = table.vectors_of(asked) if table is not None else {}
        rest = [w for w in asked if w not in vectors]
        if rest:
            vectors.update(self.cache.words.get_many(rest, self.embedder.encode))
        out = {}
        for w, stem, _, _ in unseen:
            found = words.nearest(vectors[w], near.count, near.min_cosine, w)
            if found:
                out[stem] = found
        return out

    def query_near_words(self, query: Query) -> dict[str, tuple[tuple[str, float], ...]]:
        """``near_words`` of a query's conversation and of its question, each read by itself:
        the question's first word opens it ("Kids?" after a question is no name)."""
        return {**self.near_words(query.context), **self.near_words(query.asked)}

    @staticmethod
    def near_terms(near: dict[str, tuple[tuple[str, float], ...]], text: str = "") -> list[str]:
        """The documents' words to search for besides a question's own (``near_words``),
        each once and none that ``text`` (the question) holds: BM25 adds up a word given
        twice."""
        from .keyword import tokenize

        own = set(tokenize(text))
        return [t for t in dict.fromkeys(stem for found in near.values() for stem, _ in found)
                if t not in own]

    def _names_of(self, doc_id: str) -> tuple[frozenset[str], frozenset[str]]:
        names = self._doc_names.get(doc_id)
        if names is None:
            from .keyword import tokenize
            from .spelling import in_dictionary

            d = self.index.documents[doc_id]
            # A file name's word names the document however typed ("the gpl") unless it is
            # an English word: "the annual budget" does not name 2023-annual-report.pdf. The
            # place it is about, however typed too ("norvania: ...").
            # (The dictionary is asked the word as written: "polici", the stem of "policy",
            # is in none, and privacy_policy.txt had been named by "the sick leave policy".)
            scope = self._scope[doc_id] = quoting.scope_names(d)
            own = frozenset(t for w in quoting.file_name_words(doc_id) if not in_dictionary(w)
                            for t in tokenize(w))
            names = self._doc_names[doc_id] = (quoting.document_names(d) | scope, own | scope)
        return names

    def _places(self) -> tuple[frozenset[str], bool]:
        """The places the documents are about (``_scope_of``), all together, and whether every
        document is about one; read once per answerer, not at each question."""
        if self._all_places is None:
            scopes = [self._scope_of(d) for d in self.index.documents]
            self._all_places = (frozenset().union(*scopes), bool(scopes) and all(scopes))
        return self._all_places

    def _scope_of(self, doc_id: str) -> frozenset[str]:
        """The places a document is about (``quoting.scope_names``), as ``_names_of`` read
        them."""
        self._names_of(doc_id)
        return self._scope[doc_id]

    def scoped(self, asked: str, history: Sequence[str] | None, where: Mapping | None
               ) -> Mapping | None:
        """The filter a question is searched with: the caller's, or else the one document it
        names (``named_document``; ``QuoteRules.named_document``). ``answer``, ``retrieve``
        and ``evidence`` all read a question through it."""
        # An empty filter filters nothing, as ``search.check_where`` reads it; anything else
        # the caller sent is theirs, checked where it is used.
        callers = where is not None and not (isinstance(where, Mapping) and len(where) == 0)
        if callers or not self.settings.quotes.named_document:
            return where
        named = self.named_document(asked, history)
        return {"doc_id": named} if named is not None else where

    def named_document(self, asked: str, history: Sequence[str] | None = None) -> str | None:
        """The one document a question names by its file name's own word ("Under the MPL,
        ...", "cc0: can I ...", for MPL-2.0.txt and CC0-1.0.txt; ``quoting.file_names``) or
        by the place it is about (``quoting.scope_names``), to quote only from it. None if it
        names none or several; if an earlier question of the conversation named another
        (unless the question says nothing but the name: "And in Kestria?"); or if another
        document's prose uses the word (the Slovenia page says "EU": "What does the EU do?"
        does not name eu-strategy.pdf). A licence's answer had come from another licence that
        merely mentions it ("What qualifies as an acceptable .so/.dll approach for LGPL
        compliance?" was answered from the GPL's closing words on libraries), and counting
        the name as held by every sentence of its document (``QuoteRules.names_implied``) had
        not kept it out."""
        from .keyword import tokenize

        if len(self.index.documents) < 2:
            return None
        by_name = self._documents_by_name()

        def named(text: str) -> set[str]:
            return {d for t in _with_unversioned(tokenize(text)) for d in by_name.get(t, ())}

        found = named(asked)
        if len(found) != 1:
            return None
        doc_id = found.pop()
        own = _with_unversioned(tokenize(asked))
        words = own & self._names_of(doc_id)[1]
        # "Do I need to ship the GPL text with it?" in a conversation on the LGPL asks
        # about the LGPL, which names the GPL; "Does the MPL waive moral rights?", pointing
        # back to nothing, or "And under the QPL?", asking nothing but the name, turns to it.
        if history and points_back(asked) \
                and own - words - _stemmed(nearwords.FUNCTION_WORDS) and any(
                d != doc_id for h in history if isinstance(h, str) for d in named(h)):
            return None
        ids = self._document_ids()
        others = {ids[int(pos)] for w in words for pos in self.index.doc_keyword.rows(w)}
        return None if any(self._prose_uses(d, w) for w in words for d in others - {doc_id}) \
            else doc_id

    def _document_ids(self) -> list[str]:
        """The documents' ids by their row in the document keyword index."""
        if self._ids is None:
            self._ids = list(self.index.documents)
        return self._ids

    def _documents_by_name(self) -> dict[str, tuple[str, ...]]:
        """Each word that names a document however typed (``_names_of``) and the documents
        it names; made once per answerer, as a question must not cost a pass over every
        document (8.8 ms a question over SciFact's 5,183)."""
        if self._by_name is None:
            with self._by_name_lock:  # once, whichever web thread asks first
                if self._by_name is None:
                    by_name: dict[str, list[str]] = {}
                    for d in self.index.documents:
                        for t in self._names_of(d)[1]:
                            by_name.setdefault(t, []).append(d)
                    self._by_name = {t: tuple(ds) for t, ds in by_name.items()}
        return self._by_name

    def _prose_uses(self, doc_id: str, word: str) -> bool:
        """Whether a document uses a (stemmed) word outside its web addresses: the GPL's
        "why-not-lgpl.html" does not speak of the LGPL."""
        from .keyword import tokenize

        if not self.index.doc_keyword.contains(word, self.index.doc_position(doc_id)):
            return False
        key = (doc_id, word)
        used = self._prose_uses_cache.get(key)
        if used is None:
            text = _without_addresses(quoting.without_urls(self.index.documents[doc_id].text))
            used = word in set(tokenize(text))
            if len(self._prose_uses_cache) >= MAX_NUMBERED_CACHED:
                self._prose_uses_cache.clear()
            self._prose_uses_cache[key] = used
        return used

    def _document_names(self, doc_id: str) -> frozenset[str]:
        return self._names_of(doc_id)[0]

    def unrelated_scores(self) -> list[float]:
        """The coverage of the questions unrelated to any documents (``assistant.unrelated``)
        on this index: as its build recorded them, or, for other settings or another query
        backend, measured once per index build."""
        from . import unrelated

        return unrelated.scores(self)

    def coverage(self, question: str) -> float:
        """How covered a question asked alone looks (``Judgement.coverage``)."""
        ev, _ = self.evidence(make_query(question))
        return self.judge(ev).coverage

    def thresholds(self) -> tuple[float, float]:
        """(abstain below, tentative below) on this index (``Abstention.thresholds``)."""
        if self._thresholds is None:  # once, not at every answer (it may have to measure)
            with self._thresholds_lock:
                if self._thresholds is None:
                    a = self.settings.abstention
                    self._thresholds = a.thresholds(self.unrelated_scores() if a.adapts
                                                    else None)
        return self._thresholds

    def _passage_tokens(self, rows: Sequence[int]) -> dict[int, TokenVectors]:
        def compute(missing: list[int]) -> list[TokenVectors]:
            passages = [self.index.passages[r] for r in missing]
            return self.embedder.encode_tokens(
                [p.text for p in passages],
                [[(a - p.start, b - p.start) for a, b in p.sentences] for p in passages])
        return self.cache.get_many(rows, compute)

    def retrieve(self, query: Query, k: int, mode: str, where: Mapping | None) -> list[Scored]:
        if not query.text or k <= 0:
            return []
        # The model reads the abbreviations spelt out; the keyword index, as typed: documents
        # that only write "THB" are found by it (``glossed``).
        qvec = self.embedder.encode([self.glossed(query)])[0] if mode != "keyword" else None
        near = self.query_near_words(query)
        return search(self.index, qvec, query.text, k=k, mode=mode, where=where,
                      fusion=self.settings.fusion, near=self.near_terms(near, query.text))

    def evidence(self, query: Query, mode: str = "hybrid", where: Mapping | None = None,
                 passages: int = 5, glossed: bool = True) -> tuple[Evidence, np.ndarray]:
        """The top ``passages`` passages (and those holding the sentences closest to the
        question, ``QuoteRules.sentence_passages``) and the evidence of each of their
        sentences; and the question's vector. With ``glossed``, the abbreviations the
        documents spell out are searched spelt out (``glossed``), and the evidence of the
        question as written comes with it (``Evidence.as_written``)."""
        text = self.glossed(query) if glossed else query.text
        qvec, qtok = self.embedder.encode_query(text)
        near = self.query_near_words(query)
        # The vector goes to a keyword search too: it picks no passage there, but gives each
        # passage found its dense score, without which every keyword answer looked doubtful.
        # The keyword index reads the question as typed: documents that only write "THB"
        # are found by it, whatever the others spell out (a probe's).
        scored = search(self.index, qvec, query.text, k=passages, mode=mode, where=where,
                        fusion=self.settings.fusion,
                        sentence_passages=self.settings.quotes.sentence_passages,
                        sentence_margin=self.settings.quotes.sentence_margin,
                        near=self.near_terms(near, query.text))
        if not scored:
            return Evidence(query, (), {}), qvec
        scored = scored + self._unit_passages(query.asked, qvec, scored, where)
        w = self.settings.weights.context
        terms = quoting.query_terms(self.index, query.asked, query.context, w, near)
        q = quoting.query_tokens(qtok, text, query.asked_at, w)
        tokens = self._passage_tokens([s.row for s in scored])
        pool = quoting.sentence_pool(self.index, scored, qvec, q, tokens.__getitem__, terms,
                                     asks_where_to_read(query),
                                     self._names_of if self.settings.quotes.names_implied
                                     else None)
        written = self.evidence(query, mode, where, passages, glossed=False)[0] \
            if text != query.text else None
        return Evidence(query, tuple(scored), pool, terms, qtok,
                        ranked=min(passages, len(scored)), as_written=written), qvec

    def glossed(self, query: Query) -> str:
        """``query.text`` with the question's abbreviations written as the documents mostly
        spell them out (``_spelt_out``): "who investigates trafficking in human beings cases"
        for "who investigates thb cases". The model reads an abbreviation as a rare word, and
        a question saying "THB" had found the project whose title holds "THB", not the
        sentence on who investigates trafficking in human beings. Written in its place, not
        after the question in brackets (fitting part: hit@1 59.5% to 60.3%, against no
        change). Only the question's own: the conversation's would pull a change of subject
        back to it. What is searched only: the question's checks read it as asked."""
        from .keyword import tokenize
        from .spelling import in_dictionary

        text, asked = query.text, query.asked
        if not self.settings.quotes.glosses:
            return text
        found: dict[tuple[int, int], str] = {}
        # A question typed in capitals ("WHO INVESTIGATES THB") has its words read as typed
        # in lower case: only those no dictionary holds may be abbreviations.
        letters = [c for c in asked if c.isalpha()]
        shouted = sum(c.isupper() for c in letters) * 2 > len(letters)
        looked_up = 0
        for m in _ABBREVIATION_WORD.finditer(asked):
            word = m.group().lower() if shouted else m.group()
            if _ROMAN.fullmatch(word):  # "Harold II", "Article IV": a numeral
                continue
            capitals = word.isupper()
            tokens = tokenize(word)
            # A word the documents use as a word of their own, in capitals or (typed in lower
            # case, "thb") no dictionary holds; looked up once per index and word.
            if len(tokens) != 1 or not self.index.doc_keyword.df(tokens[0]) or not capitals \
                    and (len(word) < 3 or in_dictionary(word)):
                continue
            key = word if capitals else word.lower()  # capitals are read otherwise
            phrase = self._glosses.get(key, _NOT_LOOKED_UP)
            if phrase is _NOT_LOOKED_UP:
                if looked_up == MAX_GLOSS_LOOKUPS:  # a long question costs no more
                    continue
                looked_up += 1
                phrase = self._spelt_out(word, tokens[0])
                if len(self._glosses) >= MAX_NUMBERED_CACHED:
                    self._glosses.clear()
                self._glosses[key] = phrase
            # Not one of a name of abbreviations ("JIT THB WB", "jit thb wb"): a name of its
            # own, which the documents write as such.
            if phrase and phrase.lower() not in text.lower() \
                    and not self._among_abbreviations(asked, m.start(), m.end(), shouted):
                found[m.span()] = phrase
        if not found:
            return text
        pieces, last = [], 0
        for (a, b), phrase in sorted(found.items()):
            pieces += [asked[last:a], phrase.lower()]
            last = b
        return text[:query.asked_at] + "".join(pieces) + asked[last:]

    def _among_abbreviations(self, asked: str, start: int, end: int, shouted: bool) -> bool:
        """Whether the word at ``asked[start:end]`` stands next to another abbreviation: one
        in capitals, or, typed in lower case, one the documents write in capitals and no
        dictionary holds."""
        from .keyword import tokenize
        from .spelling import in_dictionary

        before = _WORD_BEFORE.search(asked, 0, start)
        after = _WORD_AFTER.match(asked, end)
        for m in (before, after):
            if m is None:
                continue
            w = m.group(1)
            if w.isupper() and not shouted and len(w) >= 2:
                return True
            tokens = tokenize(w)
            if (w.islower() or shouted) and 2 <= len(w) <= 8 and len(tokens) == 1 \
                    and not in_dictionary(w) and self._written_in_capitals(w.lower(), tokens[0]):
                return True
        return False

    def _written_in_capitals(self, word: str, token: str) -> bool:
        """Whether the documents write ``word`` in capitals (``_in_capitals``), once per index
        and word: a visitor's question of hundreds of made-up words next to an abbreviation
        had read the documents for each (15 s for 2,000 characters over 2 MB)."""
        seen = self._capitals.get(word)
        if seen is None:
            seen = bool(self._in_capitals(word, token))
            if len(self._capitals) >= MAX_NUMBERED_CACHED:
                self._capitals.clear()
            self._capitals[word] = seen
        return seen

    def _in_capitals(self, word: str, token: str) -> list:
        """The documents (at most ``MAX_GLOSS_DOCUMENTS`` of those the keyword index finds
        ``token`` in) that write ``word`` in capitals, as an abbreviation."""
        key, docs = word.upper(), list(self.index.documents.values())
        return [d for d in (docs[r] for r in self.index.doc_keyword.rows(token)
                            [:MAX_GLOSS_DOCUMENTS]) if _said(d.text, key, True)]

    def _spelt_out(self, word: str, token: str) -> str | None:
        """The words the documents that write ``word`` in capitals (their keyword ``token``)
        spell it out with (``abbreviations.spelt_out_as``), when together they say it in full more
        often than abbreviated; None otherwise, and for the name a document goes by. Only
        documents using it are read, so chance initials ("Together Against Trafficking" for
        "TAT") spell out nothing; a definition ("... (THB)") is looked for first, and a long
        text is read around it only, within ``MAX_GLOSS_CHARS`` in all."""
        key = word.upper()
        using = self._in_capitals(word, token)
        phrase, budget = None, MAX_GLOSS_CHARS
        for d in using:
            if any(token in names for names in self._names_of(d.doc_id)):
                # The document's own name ("the GPL" of GPL-3.txt) already counts as held by
                # every sentence of it; spelt out, it pulled the search to the title lines.
                return None
            if phrase is not None:
                continue
            m = re.search(r"\(\s*" + re.escape(key) + r"\b", d.text)
            if m is not None:
                phrase = abbreviations.spelt_out_as(
                    d.text[max(0, m.start() - MAX_SPELT_SPAN):m.end() + 1], key)
            if phrase is None and len(d.text) <= budget:
                budget -= len(d.text)
                phrase = abbreviations.spelt_out_as(d.text, key)
        if phrase is None:
            return None
        # Mostly written as the abbreviation ("JIT"): the question's word is already theirs,
        # and the spelling out, written in one title, had pulled the search to it.
        full = sum(_said(d.text, phrase) for d in using)
        return phrase if full > sum(_said(d.text, key, True) for d in using) else None

    def _unit_passages(self, asked: str, qvec: np.ndarray, scored: Sequence[Scored],
                       where: Mapping | None) -> list[Scored]:
        """For a question naming a numbered unit of a text ("Who is responsible for Measure
        3.1?") that no retrieved passage mentions, the first passages under a heading naming
        it (at most ``MAX_UNIT_PASSAGES``): its sentences seldom repeat the unit's name, and the
        search had found the other measures' passages, alike in their words."""
        units = checks.text_units(asked)
        if not units:
            return []
        found = [self.index.passages[s.row] for s in scored]
        if any(checks.mentions_unit(p.text, p.section, u) for p in found for u in units):
            return []
        if self._sections is None:  # once per index: the rows under each heading
            sections: dict[str, list[int]] = {}
            for row, p in enumerate(self.index.passages):
                sections.setdefault(p.section, []).append(row)
            self._sections = sections
        # Under a filter (the caller's, or the document the question names), its rows only.
        allowed = allowed_rows(self.index, where) if where else None
        allowed_set = set(allowed.tolist()) if allowed is not None else None
        rows = [r for section, rs in self._sections.items() if section
                and any(checks.mentions_unit("", section, u) for u in units)
                for r in rs if allowed_set is None or r in allowed_set][:MAX_UNIT_PASSAGES]
        q = np.asarray(qvec, dtype=np.float32).reshape(-1)
        w = self.settings.fusion.dense_weight_for(self.index.has_sentence_vectors)
        out = []
        for r in rows:
            dense = float(self.index.vectors[r] @ q)
            out.append(Scored(r, w * dense, dense, 0.0))
        return out

    def judge(self, ev: Evidence) -> Judgement:
        """Rank the candidates and compute the confidence (fitted model, or the weighted sum)."""
        s = self.settings
        if not ev.scored:
            return Judgement([], 0.0, 0.0)
        cands = quoting.rank(self.index, ev.pool, s.weights, s.quotes,
                             asks_where_to_read(ev.query),
                             quoting.asks_sequel(ev.query.asked))
        if not cands:  # passages without sentences: nothing to quote
            return Judgement([], 0.0, 0.0)
        by_row = {x.row: x for x in ev.scored}
        best = cands[0]
        model = s.abstention.model()
        # No surer than the question as written (``Evidence.as_written``): "slovenia thb
        # convictions 2012", read "slovenia trafficking in human beings convictions 2012",
        # matched every sentence on trafficking in human beings, and a page that gives no
        # convictions was quoted confidently.
        jw = self.reorder(ev.as_written, self.judge(ev.as_written)) \
            if ev.as_written is not None else None
        written = jw.confidence if jw is not None else 1.0  # 0 where it finds nothing
        if model is None:
            conf = s.abstention.weighted(best.evidence, by_row[best.row].dense)
            return Judgement(cands, min(conf, written), conf, as_written=jw)
        values = self.features(ev, cands)
        return Judgement(cands, min(model.answers.probability(values), written),
                         model.covers.probability(values), as_written=jw)

    def features(self, ev: Evidence, cands) -> dict[str, float]:
        """The confidence model's features for the best candidate."""
        from .confidence import features

        best = cands[0]
        second = next((c for c in cands[1:] if (c.doc_id, c.evidence.start) !=
                       (best.doc_id, best.evidence.start)), None)
        scored = next(x for x in ev.scored if x.row == best.row)
        # The model was fitted on the question's words as written: a word of the documents
        # near one they never use picks the sentence, but makes no answer surer.
        weights = self.settings.weights
        best = quoting.as_written(best, weights)
        second = quoting.as_written(second, weights) if second is not None else None
        terms = ev.terms or quoting.query_terms(self.index, ev.query.asked, ev.query.context,
                                                self.settings.weights.context)
        unseen = sum(w for t, w in terms.weights.items() if not self.index.keyword.idf(t))
        doc = self.index.documents[best.doc_id].text
        # The fused score as hybrid search gives it, whichever mode found the passage: the
        # model was fitted on it, and a keyword or semantic score read in its place had made
        # keyword answers look doubtful and semantic ones sure.
        fusion = self.settings.fusion
        w = fusion.dense_weight_for(self.index.has_sentence_vectors)
        fused = w * scored.dense + (1 - w) * scored.keyword_as_written \
            if fusion.method == "convex" else scored.fused
        return features(best, second, scored.dense, fused, ev.query.asked,
                        unseen / terms.total if terms.total else 0.0, self._holder(best.doc_id),
                        doc[best.start:best.end])

    def _holder(self, doc_id: str) -> Callable[[str], bool]:
        """Whether a document (its text, title or metadata) holds a word a question names,
        looked up in the document keyword index (no scan of its text)."""
        from .keyword import tokenize

        d = self.index.documents[doc_id]
        pos = self.index.doc_position(doc_id)
        meta = " ".join(str(v) for v in d.metadata.values()).lower()
        names = self._document_names(doc_id)
        figures = _FIGURE.findall(f"{d.title} {d.doc_id.rsplit('/', 1)[-1]}")

        def held(w: str) -> bool:
            tokens = tokenize(w) or [w.lower()]
            return all(t in names or self.index.doc_keyword.contains(t, pos) for t in tokens)

        def holds(word: str) -> bool:
            # Or its plural or singular: the keyword index does not stem an abbreviation, and
            # a page speaking of "3 NGOs" had been said never to mention "NGO". Or a word made
            # from it ("Bulgarian partners" for "Bulgaria"), or a version of a name the document
            # goes by ("GPLv3" in "GPL-3.txt", named in its file name, not in its text).
            other = word[:-1] if word[-1:] in "sS" and len(word) > 2 else word + "s"
            return word.lower() in meta or held(word) or held(other) \
                or any(held(w) for w in places.place_forms(word)) or named_version(word) \
                or spelt_out(word)

        def spelt_out(word: str) -> bool:
            # "EU" in a document saying "the European Union" (a blind probe's false caveat).
            # Every abbreviation a document spells out is read in one pass, once per document:
            # a visitor's new words cost no further scan.
            if not (2 <= len(word) <= abbreviations.MAX_SPELT_LETTERS and word.isalpha()
                    and word.isupper()) or len(d.text) > MAX_NUMBERED_SCAN_CHARS:
                return False
            spelt = self._spelt.get(doc_id)
            if spelt is None:
                spelt = self._spelt[doc_id] = abbreviations.spelt_abbreviations(
                    f"{d.title}\n{d.text}")
            return word in spelt

        def named_version(word: str) -> bool:
            # "GPLv3" for GPL-3.txt: the name, and the version among the figures of the title
            # or file name ("GPLv2" is not held by it).
            m = _VERSIONED_CAPS.fullmatch(word) or _VERSIONED.fullmatch(word)
            return m is not None and held(m.group(1)) and any(
                f == m.group(2) or f.startswith(m.group(2) + ".")
                or m.group(2).startswith(f + ".") for f in figures)
        return holds

    def decide(self, ev: Evidence, max_quotes: int, judgement: Judgement | None = None
               ) -> Answer:
        """Abstain, answer tentatively, or quote: the pure step after the evidence."""
        asked, s = ev.query.asked, self.settings
        j = self.reorder(ev, judgement or self.judge(ev))
        if not j.candidates:
            return build_answer(asked, (), 0.0)
        if not ev.query.context and not quoting.asked_terms(asked):
            # Read alone, it asks about nothing ("Thanks, that's all!", "Why?" with nothing
            # before it): a sentence sharing its one word ("I thank our staff") is no answer.
            return build_answer(asked, (), 0.0, [to_hit(self.index, x) for x in ev.best[:2]])
        abstain_below, tentative_below = self.thresholds()
        values = None
        if (j.coverage >= abstain_below or j.names_found_unit) and not s.abstention.fitted:
            values = self.features(ev, j.candidates)
        if not j.names_found_unit and (j.coverage < abstain_below
                                       or self.unrelated(ev, values)):
            # No quote is offered, so none is claimed to answer (gibberish such as "aaaa" may
            # score 0.4 on the model: its features are no question's).
            closest = [to_hit(self.index, x) for x in ev.best[:2]]
            return build_answer(asked, (), 0.0, closest)
        # The probability that the top quote answers (the shipped answer model), when the
        # confidence is the weighted one: it is the answer's confidence, and labels unlikely
        # answers (``Abstention.unlikely_below``).
        conf, unlikely = j.confidence, False
        model = None if s.abstention.fitted else s.abstention.answer_model()
        if model is not None:
            conf = model.probability(values)
            jw = j.as_written
            if jw is not None:  # no surer than as written (``judge``)
                conf = min(conf, model.probability(self.features(
                    ev.as_written, jw.candidates))) if jw.candidates else 0.0
            unlikely = s.abstention.unlikely_below is not None \
                and conf < s.abstention.unlikely_below
        by_row = {x.row: x for x in ev.scored}
        chosen = quoting.pick(j.candidates, max(1, max_quotes), s.quotes)
        quotes = [quoting.make_quote(self.index, c, by_row) for c in chosen]
        floor = s.abstention.meaning_floor
        loose = j.confidence < tentative_below or unlikely \
            or (floor is not None and chosen[0].evidence.meaning < floor)
        caveats = [LEANS] if j.leans_on_conversation else []
        if loose:
            caveats.append(LOOSE_WORDS if quoting.holds_asked_words(asked, quotes[0].text)
                           else LOOSE)
        if s.abstention.require_specifics:
            caveats += self._failed_checks(
                checks.with_conversation_year(asked, ev.query.context), quotes[0])
        return build_answer(asked, quotes, conf, tentative=bool(caveats), caveats=caveats)

    def covered_probability(self, ev: Evidence, values: dict[str, float] | None
                            ) -> float | None:
        """The shipped coverage model's probability that the documents answer the question
        at all (``features`` ``values`` of its best candidate), for a question read by itself
        that stands alone: not read with the conversation, not pointing back ("Who pays for
        it?", "Which article covers that?"), with at least two words of its own (a lone
        "Trafficking?" has too little to judge) and none of the collection's subject. None
        otherwise, or without a model."""
        if values is None or not stands_alone(ev.query):
            return None
        asked = ev.query.asked
        terms = quoting.asked_terms(asked)
        if len(terms) < 2:
            return None
        # A word of the collection's own subject (in at least half of its passages: "Who
        # arrests traffickers?" of a page on trafficking) makes it a question on the subject,
        # however thinly the rest of it matches.
        n = len(self.index.passages)
        if any(self.index.keyword.df(t) * 2 >= n for t in terms):
            return None
        model = self.settings.abstention.coverage_model()
        return model.probability(values) if model is not None else None

    def unrelated_probability(self, ev: Evidence, values: dict[str, float] | None,
                              below: float = 1.0) -> float | None:
        """``covered_probability``, for the questions ``unrelated`` may refuse: None also for
        a misspelt one ("how long is the refection period" reads as thinly as a question
        about something else; it is left to the weighted bar). The misspelling is looked for
        only under ``below``: it reads the documents' words on its first use."""
        p = self.covered_probability(ev, values)
        return None if p is None or (p < below and self.misspelt(ev.query.typed
                                                               or ev.query.asked)) else p

    def unrelated(self, ev: Evidence, values: dict[str, float] | None) -> bool:
        """Whether a question standing alone is taken to be about something the documents do
        not cover (``Abstention.unrelated_below``), though it clears the weighted bar: it
        shares a word with them and little else ("What are good restaurants in Sofia?")."""
        bar = self.settings.abstention.unrelated_below
        if bar is None or self.settings.abstention.fitted:
            return False
        p = self.unrelated_probability(ev, values, bar)
        return (p is not None and p < bar) or self._asks_only_errand(ev) \
            or self._asks_elsewhere(ev.query.asked) \
            or (not ev.query.context and (checks.asks_the_moment(ev.query.asked)
                                          or checks.asks_about_the_assistant(ev.query.asked)
                                          or checks.asks_arithmetic(ev.query.asked)))

    def _asks_elsewhere(self, asked: str) -> bool:
        """Whether a question asks about a country no document names, when every document is
        about a place of its own (``_scope_of``): "What is the reflection period in Austria?"
        of a page on Slovenia, "How do I apply for a work permit in Canada?" (shown the
        page's residence permits tentatively). A collection with a document about no place
        (a licence) may apply anywhere: there, it is left to the other checks."""
        places, every_document = self._places()
        return every_document and checks.asks_unnamed_country(
            asked, self.index.keyword.df, places) is not None

    def _asks_only_errand(self, ev: Evidence) -> bool:
        """Whether a question read alone asks an everyday errand the documents never speak of
        (a word of ``checks.ERRANDS`` they never use: "weather", "restaurant", "recipe") and
        holds no word of theirs but names: "What is the weather in Velgrad?" of documents
        naming the city was answered confidently with the sentence naming it. "What weather
        ruined the Mongol fleet's second attempt?" holds "fleet" and is asked as before."""
        asked = ev.query.asked
        # A name typed in lower case ("flights from sofia") is a name as the documents write
        # it ("Sofia"), not a word of theirs.
        named = checks.names_in(self._with_names(asked)) | self._first_word_named(asked)
        # Read alone, a pronoun naming the people of a place the question names is theirs, not
        # the conversation's: "What currency do they use in Serbia and Albania?".
        alone = stands_alone(ev.query) or (not ev.query.context and bool(named))
        if not alone or checks.numbered(asked):
            return False
        kw = self.index.keyword
        terms = quoting.asked_terms(asked)
        # An errand's word the documents use, but never in a passage naming what the question
        # names, is not theirs for it either: the Slovenia page's "target population" does not
        # answer "What is the population of Slovenia?", nor a hotel in one report "a good hotel
        # in Varnesk" (a blind probe's).
        held_names = [t for t in named if kw.df(t)]

        def unused(t: str) -> bool:
            return kw.df(t) == 0 or t in checks.ERRANDS and bool(held_names) and not any(
                self._said_of(t, n) for n in held_names)

        if not any(t in checks.ERRANDS and unused(t) for t in terms):
            return False
        return all(unused(t) for t in terms if t not in named and t not in _stemmed(ERRAND_FRAME)) \
            and not self.misspelt(ev.query.typed or asked)

    def _first_word_named(self, asked: str) -> frozenset[str]:
        """The question's first word, typed in lower case, when the documents write it only as
        a name or it names a country ("serbia vs albania football score last night??"):
        ``checks.names_in`` leaves a question's first word out, as any question capitalises
        it."""
        from .keyword import tokenize

        m = re.match(r"[^\w]*([^\W\d_]+)", asked)
        if m is None or not m.group(1).islower() or self._with_names(m.group(1)) == m.group(1):
            return frozenset()
        return frozenset(tokenize(m.group(1)))

    def _said_of(self, word: str, name: str) -> bool:
        """Whether the documents use ``word`` (stemmed) of what ``name`` names: in a sentence
        naming it, by itself or by its people's word ("Norvanian" for "Norvania"), or in one
        leaning on such a sentence before it, by a pronoun, a connective or "The" ("Slovenia
        lies ... Its population is ... The capital is ..."), or under a heading naming it.
        Read in the passages holding the word, or if more than ``MAX_COOCCURRENCE_ROWS``, in
        those holding the name too (more again, and it counts as said)."""
        from .keyword import tokenize

        kw = self.index.keyword
        rows = kw.rows(word)
        if len(rows) > MAX_COOCCURRENCE_ROWS:  # those naming it by itself, then
            rows = np.intersect1d(rows, kw.rows(name))
            if len(rows) > MAX_COOCCURRENCE_ROWS:
                return True

        def names(tokens: set[str]) -> bool:
            return any(t.startswith(name) for t in tokens)

        for row in rows:
            p = self.index.passages[int(row)]
            text = self.index.documents[p.doc_id].text
            # under a heading naming it ("Country profile: Slovenia"), every sentence (not
            # under a title: the Valmora report's says "Valmora", and its "in the capital"
            # does not say which city that is)
            if names(set(tokenize(p.section or ""))):
                if any(word in tokenize(text[x:y]) for x, y in p.sentences):
                    return True
                continue
            about = False  # the sentence before is about it
            for x, y in p.sentences:
                sentence = text[x:y].lstrip()
                tokens = set(tokenize(sentence))
                # leaning on one about it: a pronoun, a connective, or "The" and a noun
                # ("Slovenia lies ... Its population is ... The capital is Ljubljana.")
                about = names(tokens) or about and (quoting.refers_back(sentence)
                                                    or sentence.startswith("The "))
                if about and word in tokens:
                    return True
        return False

    def _names_errand(self, asked: str) -> bool:
        """Whether a question names an everyday errand the documents never speak of (a word of
        ``checks.ERRANDS`` they never use), whatever else it holds: "and regional football?"
        after the officers working full time is no follow-up (an attack probe's)."""
        df = self.index.keyword.df
        return any(t in checks.ERRANDS and df(t) == 0 for t in quoting.asked_terms(asked))

    def _starts_word(self, prefix: str) -> bool:
        """Whether a word of the documents starts with ``prefix`` (lower case)."""
        import bisect

        ordered = self._vocabulary().ordered
        i = bisect.bisect_left(ordered, prefix)
        return i < len(ordered) and ordered[i].startswith(prefix)

    def _vocabulary(self) -> spelling.Vocabulary:
        if self.index.spelling is None:  # once per index; two threads may both build it
            self.index.spelling = spelling.vocabulary(
                d.text for d in self.index.documents.values())
        return self.index.spelling

    def misspelt(self, question: str) -> bool:
        """Whether a word of the question looks like a misspelling of one of the documents'
        words (``spelling.misspelt``, with the model's vocabulary for the words it knows)."""
        return bool(spelling.misspelt(question, self._vocabulary(), self._knows_word))

    def _knows_word(self, word: str) -> bool | None:
        return knows_word(self.embedder, word)

    def as_searched(self, query: Query, history: Sequence[str] | None = None
                    ) -> tuple[Query, list | None]:
        """The query and the earlier questions as they are searched: misspellings of the
        documents' words put right (``spelt_right``), the query without a request's
        opening ("Please tell me: ...", ``quoting.without_preamble``) and with a year it names
        relative to the last question's written out ("the year before": ``quoting.
        with_year_named``); it keeps how it was typed (``Query.typed``)."""
        right = self.spelt_right(quoting.without_preamble(query.asked))
        if right != query.asked:
            query = replace(query, asked=right, typed=query.asked)
        if history:
            # Only the last two earlier questions are ever read (``follow_up_candidates``):
            # a long history, or a long question in it, costs nothing more to put right.
            past: list[str] = []
            for h in reversed(list(history)):
                if len(past) == 2:
                    break
                if isinstance(h, str) and (cleaned := clean_question(h)):
                    past.insert(0, self.spelt_right(cleaned))
            history = past
            if past:
                named = checks.with_year_named(query.asked, past[-1])
                if named != query.asked:
                    query = replace(query, asked=named, typed=query.typed or query.asked)
        return query, history

    def spelt_right(self, text: str) -> str:
        """``text`` with its shorthand written out (``spelling.written_out``) and its
        misspellings of the documents' words put right (``spelling.corrected``): what is
        searched and checked for a question typed in haste."""
        vocabulary = self._vocabulary()
        return spelling.corrected(spelling.written_out(text, vocabulary.words.__contains__),
                                  vocabulary, self._knows_word)

    def _failed_checks(self, asked: str, top: Quote) -> list[str]:
        """What the question asks that the top quote cannot give (``quoting.lacks_*``), said
        for the reader."""
        asked = self._with_names(asked)
        out = []
        unheld = self._unheld(asked, top.doc_id)
        if unheld:
            out.append("the document quoted never mentions "
                       + _listed([f"“{w[:40]}”" for w in unheld], 3))
        if checks.lacks_asked_number(asked, top.text):
            counted = checks.counted_words(asked, shown=True)
            # Named as words, so a reader can check it: a quote giving "19 minors" for "how
            # many children", or "fifteen officers" for "how many cops", holds a figure, only
            # not of the word asked ("gives no figure of cops" would be false).
            words = " or ".join(f"“{w[:30]}”" for w in counted[:3])
            out.append("your question asks for a year the quote does not give"
                       if checks.asks_for_year(asked) else
                       f"no figure in the quote is followed by the word{'s' * (len(counted) > 1)}"
                       f" {words}" if counted else
                       "your question asks for a figure the quote does not give")
        abbreviation = abbreviations.asked_abbreviation(asked)
        if abbreviation is not None and abbreviation[1] \
                and not abbreviations.spells_out(top.text, abbreviation[0]):
            out.append(f"your question asks what “{abbreviation[0]}” stands for and the quote "
                       "does not spell it out")
        if checks.lacks_asked_name(asked, top.text):
            out.append("your question asks for a name and the quote names none")
        elif checks.lacks_person_name(asked, top.text):
            out.append("your question asks for a person's name and the quote names no one")
        if checks.lacks_asked_time(asked, top.text):
            out.append("your question asks when and the quote gives no date")
        if checks.lacks_asked_amount(asked, top.text) \
                and not checks.lacks_asked_number(asked, top.text):  # (said already if so)
            out.append("your question asks for a sum of money and the quote gives none")
        if checks.lacks_asked_penalty(asked, top.text):
            out.append("your question asks for a penalty and the quote gives none")
        if checks.lacks_asked_head(asked, top.text):
            out.append("your question asks who heads it and the quote does not say who heads "
                       "or leads anything")
        order = checks.lacks_asked_order(asked, top.text)
        if order:
            out.append(f"your question asks about the “{order}” one and the quote does not "
                       "say which that is")
        cited_for = checks.unbound_article(asked, top.text)
        if checks.lacks_cited_unit(asked, f"{top.section}\n{top.text}"):
            out.append("your question asks which article or section says it, and the quote "
                       "cites none")
        elif cited_for:
            out.append(f"the quote cites an article or section, but not for “{cited_for[:60]}”")
        if checks.lacks_asked_purpose(asked, top.text):
            out.append("your question asks what it is for and the quote does not say")
        compared = checks.compared_thing(asked)
        if checks.lacks_asked_comparison(asked, top.text) or (
                compared and not checks.makes_comparison(top.text)
                and not self._holds_phrase(top.doc_id, compared)):
            out.append("your question asks for a comparison and the quote makes none")
        bound = checks.opposite_bound(asked, top.text)
        if bound:
            given = "maximum" if bound == "minimum" else "minimum"
            out.append(f"your question asks for a {bound} and the quote gives only a {given}")
        mismatch = checks.average_mismatch(asked, top.text)
        if mismatch:
            out.append(f"your question asks for {mismatch[0]} and the quote gives only "
                       f"{mismatch[1]}")
        moment = checks.lacks_asked_moment(asked, top.text)
        if moment:
            out.append(f"your question asks about “{moment}” and the quote does not speak of it")
        if checks.lacks_clock_time(asked, top.text):
            out.append("your question asks for a time of day and the quote gives none")
        contact = checks.lacks_contact_detail(asked, top.text)
        if contact:
            out.append(f"your question asks for {contact} and the quote gives none")
        others = checks.others_phone_number(asked, top.text)
        if others:
            out.append(f"the quote's number is given as “{others[:60]}”, not as the number "
                       "your question asks for")
        post = checks.unmentioned_post(asked, self.index.keyword.df, self._starts_word)
        if post:
            out.append(f"the documents never mention “{post[:40]}”, whom your question asks "
                       "about")
        role = checks.foreign_role(asked, self.index.keyword.df, self._starts_word)
        if role:
            out.append(f"your question asks as “{role[:40]}”, whom the documents never "
                       "mention")
        around = self._around(top)
        unheld_folded = {w.casefold() for w in unheld}  # said already: not said again
        # The place the quote's document is about is the quote's place too.
        scope = " ".join(self._scope_of(top.doc_id))
        if checks.lacks_asked_place(asked, f"{top.text}\n{scope}", self.index.keyword.df):
            out.append("the quote does not name the place your question asks about")
        else:
            names = [n for n in checks.names_unmentioned(asked, f"{around}\n{scope}",
                                                          self.index.keyword.df)
                     if not set(n.casefold().split()) & unheld_folded]
            if names:
                out.append(f"your question names {_listed([f'“{n[:40]}”' for n in names], 3)}"
                           f", which the quoted passage does not mention")
        items = [i for i in self._units_elsewhere(asked, top) if i.casefold() not in unheld_folded]
        if items:
            out.append(f"your question asks about {_listed([f'“{i[:40]}”' for i in items], 3)}"
                       ", and the quote is not from it")
        # A quote that dates what it says is judged by its own years ("3,450 inspections in
        # 2023, compared with 2,900 in 2021" does not give 2022, though its passage names
        # 2022 elsewhere); one that dates nothing, by its passage's.
        dated = checks.other_time_years(asked, top.text)
        years = dated or (None if checks.names_asked_year(asked, top.text)
                          else checks.other_years(asked, around))
        figures = None if years else checks.figures_of_other_years(asked, top.text)
        if figures and not set(figures[0]) <= set(unheld):
            out.append(f"your question names {_listed(figures[0], 3, ' and ')}; the quoted "
                       f"figures are for {_listed(figures[1], 4)}")
        if years and not set(years[0]) <= set(unheld):  # (a year no word of it says already)
            out.append(f"your question names {_listed(years[0], 3, ' and ')}; the quoted "
                       f"{'text' if dated else 'passage'} is about {_listed(years[1], 4)}")
        return out

    def _with_names(self, asked: str) -> str:
        """The question with a word that the documents write only as a name, typed in lower
        case, written as they write it ("how long is the reflection period in croatia":
        "Croatia"), and a country's name they never write, as it is written ("austria"): the
        checks read names by their capitals, and users type in lower case.
        Read on "croatia", the check of a name its quote's passage does not mention had not
        seen it, and a blind probe's question got the Slovenian 90 days confidently."""
        from .keyword import tokenize

        forms = self._name_forms
        if forms is None:
            forms = self._name_forms = nearwords.name_forms(
                f"{d.title}\n{d.text}" for d in self.index.documents.values())

        def written(word: str) -> str:
            if not word.islower():
                return word
            if word in forms:
                return forms[word]
            # A place the documents name only by its people's word ("bulgaria" where they
            # write "Bulgarian partners"), or never ("austria"): a word of theirs it is not.
            name = word.capitalize()
            if any(self.index.keyword.df(t) for t in tokenize(word)):
                return word
            country = places.country_name(word)
            if country:
                return country
            return name if any(f.lower() in forms for f in places.place_forms(name)) else word
        return re.sub(r"[^\W\d_]+", lambda m: written(m.group()), asked)

    def _holds_phrase(self, doc_id: str, phrase: str) -> bool:
        """Whether a document's text holds ``phrase`` (words apart by spaces, any case); True
        for one too long to scan per answer (no verdict)."""
        text = self.index.documents[doc_id].text
        if len(text) > MAX_NUMBERED_SCAN_CHARS:
            return True
        words = [re.escape(w) for w in phrase.split()]
        return re.search(r"\b" + r"\s+".join(words) + r"\b", text, re.IGNORECASE) is not None

    def _units_elsewhere(self, asked: str, quote: Quote) -> list[str]:
        """The numbered units the question names that the quote is not from (``in_unit``),
        as the question writes them."""
        text = self.index.documents[quote.doc_id].text
        passage = quote.passage.text if quote.passage else ""
        out = []
        for unit in checks.text_units(asked):
            if not checks.in_unit(text, quote.start, quote.end, passage, quote.section, unit):
                m = re.search(rf"\b{re.escape(unit[0])}\s+{re.escape(unit[1])}", asked,
                              re.IGNORECASE)
                out.append(m.group(0) if m else f"{unit[0]} {unit[1]}")
        return out

    def _around(self, quote: Quote) -> str:
        """The quote and the passage it was taken from: what dates it."""
        d = self.index.documents[quote.doc_id]
        start = min(quote.start, quote.passage.start) if quote.passage else quote.start
        end = max(quote.end, quote.passage.end) if quote.passage else quote.end
        return d.text[start:end]

    def _unheld(self, asked: str, doc_id: str) -> list[str]:
        """What the question names that the document (its text, title or metadata) does not
        hold (``missing_specifics``), looked up in the document keyword index; and the
        numbered items it names that the document numbers otherwise ("version 4" where it has
        only "version 3": ``checks.numbered``)."""
        d = self.index.documents[doc_id]
        missing = checks.missing_specifics(asked, self._holder(doc_id))
        if len(d.text) > MAX_NUMBERED_SCAN_CHARS:  # too long to scan per answer: no verdict
            return missing
        for item in checks.numbered(asked)[:MAX_NUMBERED_ITEMS]:
            # The one scan of a document's text, only for a question naming a numbered item
            # ("Article 113"), and once per document and word.
            key = (doc_id, item[0])
            figures = self._numbers_after.get(key)
            if figures is None:
                if len(self._numbers_after) >= MAX_NUMBERED_CACHED:
                    self._numbers_after.clear()
                figures = self._numbers_after[key] = checks.numbers_after(d.text, item[0])
            if checks.unnumbered(item, figures):
                missing.append(" ".join(item))
        return missing

    def best_reading(self, question: str, history: Sequence[str] | None, mode: str,
                     where: Mapping | None, passages: int, typed: str = ""
                     ) -> tuple[Evidence, Judgement]:
        """Which reading of a question in a conversation to answer, decided by evidence:

        - no words at all ("???"): alone;
        - underspecified (at most one content word) and opening as a continuation ("And for
          children?", "What about 2014?"): with the conversation;
        - other underspecified ones ("Why?", "Trafficking?") and those pointing back ("Who pays
          for it?"): with the conversation if it is more confident than alone;
        - underspecified, with the conversation, but its top quote lacks the one word asked
          ("What about 2012?" after 2013): tentatively; a lone word ("IWG?") is read alone
          instead when that quote names it and is covered;
        - otherwise the question stays put, unless it is on topic by itself and a reading with
          the conversation is clearly more confident. A self-contained question about
          something else ("What is the capital of Australia?") is never carried by the
          conversation's words;
        - one that alone would be refused but reads as a short follow-up on the documents'
          topic (at most ``FOLLOW_UP_TERMS`` content words, most of them the documents'),
          that the conversation covers: with the conversation, tentatively.

        A reading with the conversation for a question mostly in words the documents never
        use ("How old is he?", "And the weather?") is tentative at best. Such a tentative
        reading is dropped for the question alone when its top quote does not speak to the
        question's own words (``ASKED_SUPPORT``): "Is it going to rain?" after a question on
        shelters is not a follow-up, and tentative quotes would show it the earlier answer.
        """
        readings = follow_up_candidates(question, history)
        if typed and readings:  # the question alone, as typed before its spelling was put right
            readings[0] = replace(readings[0], typed=typed)
        judged = []
        for q in readings:
            ev, _ = self.evidence(q, mode, where, passages)
            judged.append((ev, self.judge(ev)))
        alone = judged[0]
        if len(judged) == 1:
            return alone
        chosen = self._reading(readings, judged)
        if chosen[1].leans_on_conversation and not self._supports_asked(alone, chosen):
            # A reading already in doubt (the question does not stand by itself, or is in
            # words the documents never use) whose quote is the conversation's subject again,
            # with nothing that speaks to what is asked now ("Is it going to rain?", "Tell me a
            # joke"): a change of subject, not a follow-up. Read alone, as asked (which
            # mostly refuses it). But a question that says it goes on ("and out in the
            # regions?" after the officers working full time) takes the first of the reading's
            # next candidates that speaks to its words, when one does.
            ev, j = chosen
            supported = next((i for i in range(1, min(len(j.candidates), SUPPORT_CANDIDATES))
                              if self._supports_asked(alone, chosen, i)), None) \
                if CONTINUES.match(question) and not self._names_errand(question) else None
            if supported is None:
                return alone
            chosen = (ev, replace(self._put_first(ev, j, supported), leans_on_conversation=True))
        if chosen is not alone:
            return self._last_answer_first(chosen, history, mode, where, passages)
        return chosen

    def _last_answer(self, history: Sequence[str] | None, mode: str, where: Mapping | None,
                     passages: int) -> quoting.Candidate | None:
        """The last question's top candidate, read after the one before it when it points
        back: the answer the conversation has just been given."""
        past = [h for h in (history or []) if isinstance(h, str) and h.strip()]
        if not past:
            return None
        context = past[-2] if len(past) > 1 and is_follow_up(past[-1]) else ""
        last_ev, _ = self.evidence(Query(clean_question(past[-1]), clean_question(context)),
                                   mode, where, passages)
        last = self.reorder(last_ev, self.judge(last_ev)).candidates
        return last[0] if last else None

    def _last_answer_first(self, reading: tuple[Evidence, Judgement],
                           history: Sequence[str] | None, mode: str, where: Mapping | None,
                           passages: int) -> tuple[Evidence, Judgement]:
        """For a follow-up asking only how long ("For how long?", "Until when?"), the
        candidate quoting the last question's answer put first when that answer says how long
        (``checks.gives_duration``): the question asks it of that answer. Read after the two
        last questions, "For how long?" after "What is the reflection period for foreign
        victims?" and "Can they get a residence permit?" had quoted the 90 day reflection
        period, not the permit's "for the duration of the trial". Likewise for one asking only
        how many ("How many are they?", ``checks.asks_only_count``): the nearest candidate
        giving a figure from the last answer's sentence on, in its passage; "How many are
        they?" after "Who investigates THB?" (the police units) had counted the prosecutors,
        confidently. And for one asking only when ("Since when?", ``checks.asks_only_time``):
        the nearest giving a year or a month. The last answer is the last question's top
        candidate, read after the one before it when it points back."""
        ev, j = reading
        asked = ev.query.asked
        duration = checks.asks_only_duration(asked)
        count = checks.asks_only_count(asked)
        when = not duration and checks.asks_only_time(asked)
        if not j.candidates or not (duration or count or when) or GOES_ON.search(asked):
            return reading
        top = self._last_answer(history, mode, where, passages)
        if top is None:
            return reading
        text = self.index.documents[top.doc_id].text
        if duration:
            if not checks.gives_duration(text[top.start:top.end]):
                return reading
            key = (top.doc_id, top.evidence.start)
            good = [i for i, c in enumerate(j.candidates) if (c.doc_id, c.evidence.start) == key]
        else:
            # The last answer's sentence, or one after it in its passage within
            # ``LAST_ANSWER_SPAN`` characters, that gives a figure: "How many are they?" after
            # "Who investigates THB?" counts the units named. Or a year or month: "Since
            # when?" after "Which body coordinates the referral mechanism?" ("... It was
            # established in 2010").
            gives = checks.gives_time if when else (
                lambda text: not checks.lacks_asked_number(asked, text))
            good = [i for i, c in enumerate(j.candidates[:LAST_ANSWER_CANDIDATES])
                    if c.doc_id == top.doc_id and c.evidence.row == top.evidence.row
                    and 0 <= c.evidence.start - top.evidence.start <= LAST_ANSWER_SPAN
                    and gives(self._text(c))]
            good.sort(key=lambda i: j.candidates[i].evidence.start)
        if not good:
            return reading
        i = good[0]
        return reading if i == 0 else (ev, replace(self._put_first(ev, j, i),
                                                   leans_on_conversation=True))

    def _reading(self, readings: list[Query], judged: list[tuple[Evidence, Judgement]]
                 ) -> tuple[Evidence, Judgement]:
        """``best_reading``'s choice by the rules in its docstring, before the support check."""
        alone = judged[0]
        asked = readings[0].asked
        if not HAS_WORD.search(asked):  # "???", an emoji: nothing asked, nothing to follow up
            return alone
        # The words asked about, not those of the conversation ("Sorry, how many was that?"
        # asks about nothing new: it is asked again, of the conversation).
        terms = quoting.asked_terms(asked)
        asks_again = quoting.asks_again(asked)
        # Not a question, and nothing to ask about or words of the conversation in it
        # ("Thanks!", "ok", "Thank you, bye"): taking leave, not following up. "Please list
        # them" points back and "and for children please" goes on: both are read as usual.
        chatting = not asks_again and not ASKS.search(asked) and not CONTINUES.match(asked) \
            and (not terms or (bool(quoting.conversational_words(asked))
                               and not points_back(asked)))
        if chatting or (not terms and not asks_again and ADDRESSES_READER.search(asked)):
            # Or nothing to ask about but the assistant ("How are you?", "What can you do?"):
            # small talk, not a follow-up ("Why?", "When was that?" have no content words
            # either, but ask something).
            return alone
        if checks.asks_the_moment(asked, in_conversation=True) \
                or checks.asks_about_the_assistant(asked) or checks.asks_arithmetic(asked) \
                or (PLEONASTIC_IT.search(asked) and not points_back(asked)) \
                or self._asks_only_errand(alone[0]):
            # A whole clause about nothing said earlier ("What time is it?", "Is it safe to
            # ...?", "What's the date today?", "How old are you?"), or an errand the documents
            # never speak of ("can you book me a hotel in sarajevo" after a question on
            # residence permits): its words are its own, however few, and a word it shares
            # with the last answer ("time" in "full time", "can") is no follow-up.
            return alone
        best_context = max(judged[1:], key=lambda x: x[1].confidence)
        pointing = [x for x in judged[1:] if asks_where_to_read(x[0].query)]
        if not quoting.asks_where_to_read(asked) and pointing:
            # "and for info on victim assistance?" after "where can i find stats on ...": it
            # asks the same of something else, however many words of its own it has; so does
            # "and prevention?" after that, read after the two last questions. Only when the
            # pointer found names what it asks about: "and for info on bitcoin?" and "and for
            # info on the residence permit?" (a page with no pointer for it) had been shown
            # the nearest pointer (an attack probe's).
            reading = max(pointing, key=lambda x: x[1].confidence)
            if quoting.topic_terms(asked) and self._pointer_speaks_to(reading, asked):
                return reading
        gain = best_context[1].confidence - alone[1].confidence
        abstain_below = self.thresholds()[0]
        if len(terms) <= UNDERSPECIFIED_TERMS:
            # "And for children?" continues the conversation; "Trafficking?" after a question
            # on something else stands by itself unless the conversation reads better.
            continues = bool(CONTINUES.match(asked))
            # With no word of its own ("Since when?", "Who got it?", "What were they
            # about?"), it asks about the conversation however thin the reading: alone, it asks
            # about nothing (and is refused, ``decide``). So with only the kind of answer it
            # wants ("What year?").
            if set(terms) <= quoting.ANSWER_KINDS:
                terms = []
            # One pointing back ("What were they paid?" after "Tell me about the greenhouse
            # case") asks about the conversation: read alone, its one word found a grant "paid
            # only in June" with more confidence. Like a question standing alone, it is read the
            # other way only when that is clearly more confident.
            back = FOLLOW_UP_MARGIN if points_back(asked) else 0.0
            chosen = best_context if continues or gain > -back or not terms else alone
            if chosen is not alone and terms and not is_follow_up(asked) \
                    and self.uses_documents_words(terms) and not self._quote_names(chosen, terms):
                # "What about 2012?", "IWG?": the conversation's quote does not name what is
                # asked (a question pointing back, "What did they use it for?", asks about the
                # conversation's subject instead). A lone "IWG?" may be a new question, read
                # alone when that quote names it; "And X?" stays in the conversation (alone,
                # "And Korea?" finds Korea anywhere), tentatively.
                if not continues and self._quote_names(alone, terms) \
                        and alone[1].coverage >= abstain_below:
                    return alone
                # A year or a figure asked for ("And in 2021?") is in the sentence that answers
                # or in none: the one that names it comes first. (A word, "And in Europe?", may
                # be named by a sentence about something else.)
                named = self._naming_first(chosen, terms) \
                    if all(t.isdigit() for t in terms) else None
                if named is not None:
                    return named
                # "And prosecutors?" after "How many police officers ...?": how many of them,
                # tentatively still (the figure is found by the form of the question before).
                counted = self._counted_again(chosen, readings[1].context) if continues else None
                return _leaning(counted if counted is not None else chosen)
        elif is_follow_up(asked):
            chosen = best_context if gain > 0 else alone
        elif alone[1].coverage >= abstain_below and (
                gain >= FOLLOW_UP_MARGIN or not self._refused_as_unrelated(alone)):
            # A question going on with nothing asked of its own ("and in recent years?" after
            # the prevention goals; alone, it had found the victims' projects "in recent
            # years") takes the more confident reading, as one pointing back does, not the
            # margin of a question standing alone ("And General Question Time?" after First
            # Minister's Question Time is still better read alone). Refused alone, it is a
            # short follow-up like any other (below).
            clearer = gain > 0 if elliptical(asked) else gain >= FOLLOW_UP_MARGIN
            chosen = best_context if clearer else alone
            if chosen is not alone and self._stands_apart(asked, terms) \
                    and self._names_anew(asked, readings[-1].context) \
                    and self._support(alone, best_context) < self._support(alone, alone):
                # A question standing by itself, naming what the conversation did not, whose
                # reading with the conversation is more confident only by the conversation's
                # words: its quote speaks less to what is asked than the question's own. A
                # change of subject ("what are lanterna's opening hours on weekdays?" after a
                # question on convictions had been shown the convictions, for "opened"). One
                # naming nothing new may ask of what the conversation named ("Is legal advice
                # free of charge?" after "What does Haven Kestria offer victims?").
                chosen = alone
        elif len(terms) <= FOLLOW_UP_TERMS and (self.uses_documents_words(terms, half=True)
                                                or names_by_article(asked)) \
                and not self._names_errand(asked) and best_context[1].coverage >= abstain_below:
            # Refused alone, but a short follow-up on the documents' topic ("And during the
            # trial?", "Anyone else funded?") that the conversation covers: tentatively, as
            # the evidence is the conversation's, not the question's.
            return _leaning(best_context)
        else:
            return alone
        if chosen is not alone and not self.uses_documents_words(terms):
            # The conversation carries a question in words the documents never use ("How old
            # is he?", "What is the capital of Slovenia?"): it may be about something else.
            return _leaning(chosen)
        return chosen

    def _pointer_speaks_to(self, reading: tuple[Evidence, Judgement], asked: str
                           ) -> bool | None:
        """Whether the reading's top sentence, once reordered, a pointer to a source, names
        what the question asks about besides a source (True when it asks about nothing else:
        "where can i read them?"); None when that sentence points nowhere. An attack probe's
        "and for info on bitcoin?" after "where can i find stats on ..." had been shown the
        statistics' pointer."""
        from .keyword import tokenize

        top = self.reorder(*reading).candidates[:1]
        if not top:
            return None
        c = top[0]
        sentence = self.index.documents[c.doc_id].text[c.evidence.start:c.evidence.end]
        if not quoting.points_to_source(sentence):
            return None
        own = quoting.topic_terms(asked)
        return not own or bool(own & set(tokenize(sentence)))

    def _refused_as_unrelated(self, reading: tuple[Evidence, Judgement]) -> bool:
        """Whether ``decide`` refuses a reading as unrelated to the documents though it clears
        the bar (``unrelated``)."""
        ev, j = reading
        if not j.candidates or j.names_found_unit or self.settings.abstention.fitted:
            return False
        return self.unrelated(ev, self.features(ev, self.reorder(ev, j).candidates))

    def _supports_asked(self, alone: tuple[Evidence, Judgement],
                        reading: tuple[Evidence, Judgement], i: int = 0) -> bool:
        """Whether the top quote (or the ``i``-th candidate) of a reading with the conversation
        speaks to what the question asks by itself (``quoting.asked_support`` at least
        ``ASKED_SUPPORT``; a question without content words, "Why?", always passes)."""
        j = reading[1]
        qtok = alone[0].question_tokens
        if not j.candidates or qtok is None:
            return True
        c = j.candidates[i]
        if asks_where_to_read(reading[0].query):
            # "where can i read them?" after a question on the action plans: the sentence
            # saying where they can be found (first once the candidates are reordered,
            # ``reorder``) speaks to it, in no word of it; but a pointer to something else
            # does not speak to "and for info on bitcoin?", however near "info" lies.
            # (Asked by the question itself, any pointer speaks to it: "where can i get more
            # details on that scheme online?" names the scheme in words of its own.)
            asked = alone[0].query.asked
            speaks = self._pointer_speaks_to(reading, asked)
            if speaks is not None:
                return speaks or quoting.asks_where_to_read(asked)
        s = self._sentence_support(alone, c)
        return s is None or s >= ASKED_SUPPORT

    def _sentence_support(self, alone: tuple[Evidence, Judgement], c) -> float | None:
        """``quoting.asked_support`` of candidate ``c``'s sentence for the question read alone.
        The scored sentence, not the quote grown around it: each word's best cosine over more
        sentences can only rise, so a grown quote lifted "Are you a robot?" over the bar on
        noise."""
        p = self.index.passages[c.evidence.row]
        tv = self._passage_tokens([c.evidence.row])[c.evidence.row]
        a, b = c.evidence.start, c.evidence.end
        return quoting.asked_support(alone[0].query.asked, alone[0].question_tokens,
                                     self.index.documents[c.doc_id].text[a:b], tv, p.start,
                                     (a, b))

    @staticmethod
    def _stands_apart(asked: str, terms: Sequence[str]) -> bool:
        """Whether a question says all it asks about: three words of its own at least, no
        opening that goes on ("And who brings the charges?"), no word that leans on what was
        said ("Why did the appeal court think that wasn't enough?", "Still used anywhere?",
        "that same year")."""
        return len([t for t in terms if t not in nearwords.FUNCTION_WORDS]) >= 3 \
            and not CONTINUES.match(asked) and not _LEANS_BACK.search(asked)

    def _names_anew(self, asked: str, conversation: str) -> bool:
        """Whether a question names something (``checks.names_in``, a name typed in lower case
        read as the documents write it) that the conversation does not."""
        from .keyword import tokenize

        named = checks.names_in(self._with_names(asked)) | self._first_word_named(asked)
        return bool(named - set(tokenize(conversation)))

    def _support(self, alone: tuple[Evidence, Judgement],
                 reading: tuple[Evidence, Judgement]) -> float:
        """How well the top sentence of ``reading`` speaks to what the question asks by itself
        (``quoting.asked_support``); 1 when it cannot be told."""
        if not reading[1].candidates or alone[0].question_tokens is None:
            return 1.0
        s = self._sentence_support(alone, reading[1].candidates[0])
        return 1.0 if s is None else s

    def _counted_again(self, reading: tuple[Evidence, Judgement], last: str
                       ) -> tuple[Evidence, Judgement] | None:
        """"And X?" after a question asking how many of something ("How many police officers
        work full time on trafficking?" then "And prosecutors?") asks how many X: the first of
        the reading's next candidates that counts X (``checks.gives_counted_figure``) comes
        first; None when none does, or the last question counted nothing. The conversation's
        words had kept the officers' sentence first."""
        ev, j = reading
        if not checks.counted_words(last, shown=True):
            return None
        asked = "how many " + CONTINUES.sub("", ev.query.asked, count=1).strip()
        near = ev.terms.near if ev.terms is not None else None
        promoted = self._promote(
            ev, j, lambda text: checks.gives_counted_figure(asked, text, near),
            COUNTED_CANDIDATES)
        return (ev, promoted) if promoted is not j else None

    def _naming_first(self, reading: tuple[Evidence, Judgement], terms: Sequence[str]
                      ) -> tuple[Evidence, Judgement] | None:
        """The reading with its best candidate that names every one of ``terms`` put first
        ("And in 2021?" after a question on 2019: the sentence of the same passage that gives
        2021, not the 2019 one the conversation's words favour); None when no candidate among
        the first ``NAMING_CANDIDATES`` does."""
        ev, j = reading
        for i, c in enumerate(j.candidates[1:NAMING_CANDIDATES], start=1):
            if self._names(c, terms):
                return ev, self._put_first(ev, j, i)
        return None

    def _put_first(self, ev: Evidence, j: Judgement, i: int) -> Judgement:
        """``j`` with its candidate ``i`` first, and the confidence of that candidate."""
        c = j.candidates[i]
        dense = next(x.dense for x in ev.scored if x.row == c.row)
        return replace(j, candidates=[c] + j.candidates[:i] + j.candidates[i + 1:],
                       confidence=self.settings.abstention.weighted(c.evidence, dense))

    def reorder(self, ev: Evidence, j: Judgement) -> Judgement:
        """The candidates with one that gives what the question's form asks for put first,
        when the best does not: what is rather than what is planned (``_present_first``),
        the year a figure is asked of (``_asked_year_first``), the months a question names
        (``_asked_month_first``), the one of several a question names by its place
        (``_ordinal_first``), a count
        of what "how many" names (``_counted_first``), what a project is called
        (``_title_first``), what a term means (``_defined_first``), what an abbreviation
        stands for (``_spelt_out_first``), where to read (``_pointer_first``), a way to reach
        someone (``_contact_first``), when (``_time_first``), at what time of day
        (``_clock_first``), what something is for
        (``_purpose_first``), why (``_reason_first``), who does it (``_agent_first``), after a
        follow-up's own words (``_own_words_first``, first), and last the numbered unit a
        question names (``_named_unit_first``)."""
        # The unit a question names goes last: it has the final say, so that no other rule
        # moves its quote away (and what ``names_found_unit`` claims stays true). A follow-up's
        # own words go first, so that the rules of the question's form come after them: "who
        # carries it out?" had had its sentence naming who moved back behind the one holding
        # "carried out".
        for rule in (self._own_words_first, self._present_first, self._asked_year_first,
                     self._asked_month_first, self._ordinal_first, self._counted_first,
                     self._title_first, self._defined_first, self._spelt_out_first,
                     self._pointer_first,
                     self._contact_first, self._time_first, self._clock_first,
                     self._purpose_first,
                     self._reason_first, self._agent_first, self._sequel_first,
                     self._named_unit_first):
            j = rule(ev, j)
        return j

    def _counted_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question asking how many of something ("How many police officers work on THB
        cases?") whose top quote counts something else ("There are 11 prosecutors ...")
        while one of the next candidates of the same document counts what is asked ("About
        fifteen officers are assigned ..."): that candidate comes first. A year asked of is
        ``_asked_year_first``'s: it has put its sentence first already."""
        asked = ev.query.asked
        if not checks.counted_words(asked, shown=True) or checks.time_frame_years(asked):
            return j
        near = ev.terms.near if ev.terms is not None else None
        return self._promote(ev, j, lambda text: checks.gives_counted_figure(asked, text, near),
                             COUNTED_CANDIDATES, same_doc=True)

    def _present_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question about what is ("Which languages does the helpline offer?") whose top
        quote says what is to come ("We will also add Arabic and Tagalog to the languages
        offered ...", a report's plans for next year), while one of the next candidates of the
        same document says what is and shares a word of the question's own ("Counsellors
        offer support directly in the following languages: ..."): that candidate comes
        first. A question asking of the future, or naming a year, keeps its order, and so
        does one read after such a question."""
        asked = ev.query.asked
        # (read with the conversation, the future may have been asked before: "Any new
        # languages?" after "What does the helpline plan to do in 2026?")
        if not j.candidates or checks.asks_future(asked) \
                or (ev.query.context and checks.asks_future(ev.query.context)):
            return j
        from .keyword import tokenize

        terms = set(quoting.asked_terms(asked))

        def sentence(c) -> str:
            return self.index.documents[c.doc_id].text[c.evidence.start:c.evidence.end]

        def planned(c) -> bool:
            # A sentence about plans, or one with "will" under a heading of plans ("Plans for
            # 2026") or going on from such a sentence ("We will also add Arabic and Tagalog
            # ..." after "... from 1 September 2026.")
            s = sentence(c)
            if checks.speaks_of_plans(s):
                return True
            if not checks.says_will(s):
                return False
            p = self.index.passages[c.evidence.row]
            if checks.heads_plans(p.section):
                return True
            before = [(a, b) for a, b in p.sentences if b <= c.evidence.start]
            if not before:
                return False
            a, b = before[-1]
            return checks.speaks_of_plans(self.index.documents[c.doc_id].text[a:b])

        top = j.candidates[0]
        if not terms or not planned(top):
            return j
        # (or no further in meaning than the plan: "The telephone line is open Monday to
        # Friday ..." for "when can i ring the hotline during the week")
        return self._promote(
            ev, j, lambda c: not planned(c)
            and (bool(terms & set(tokenize(sentence(c))))
                 or c.evidence.meaning >= top.evidence.meaning),
            PRESENT_CANDIDATES, same_doc=True, whole=True)

    def _sequel_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question asking what comes after something ("What happens after the 30-day
        assessment period?") whose top quote only names it ("The first 30 days of
        accommodation are considered an assessment period."), while one of the next
        candidates of the same document says what follows it ("After the 30-day assessment
        period, the resident may stay ..."): that candidate comes first. So, for a question
        asking about going past a limit of time ("Can someone stay longer than the six
        months?"), is one saying it is extended ("the stay can be extended by a further six
        months") before the one stating the limit ("... for up to six months")."""
        asked = ev.query.asked
        if quoting.asks_beyond(asked) and not quoting.speaks_of_extension(asked):
            j = self._promote(ev, j, quoting.speaks_of_extension, SEQUEL_CANDIDATES,
                              same_doc=True)
        if quoting.asks_sequel(asked) <= 0:
            return j
        what = quoting.after_what(asked)
        return self._promote(ev, j, lambda text: quoting.speaks_of_after(text, what),
                             SEQUEL_CANDIDATES, same_doc=True)

    def _own_words_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question read with the conversation whose top quote holds none of its own words
        ("Can they get a residence permit?" after the reflection period: the conversation's
        words favour the reflection-period sentence again), while one of the next three
        candidates holds two of them: that candidate comes first. Only for a question with two
        words of its own or more: with one ("And in Europe?") it lost a right answer."""
        if not ev.query.context or not j.candidates:
            return j
        from .keyword import tokenize

        terms = {t for t in quoting.asked_terms(ev.query.asked) if self.index.keyword.idf(t)}
        if len(terms) < 2 or terms & set(tokenize(self._text(j.candidates[0]))):
            return j
        return self._promote(ev, j, lambda text: len(terms & set(tokenize(text))) >= 2,
                             OWN_WORDS_CANDIDATES)

    def _contact_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question asking for a way to reach someone (a phone number, an e-mail, web or
        postal address: ``checks.lacks_contact_detail``) whose top quote gives none, while
        one of the next candidates of the same document does: that candidate comes first. A
        web page's contact box ("17 Harbour Street, Velmora") had lost to a sentence naming
        the office, confidently."""
        asked = ev.query.asked  # (a question asking for none: every quote is good, none moves)
        return self._promote(ev, j, lambda text: not checks.lacks_contact_detail(asked, text)
                             and not checks.others_phone_number(asked, text),
                             CONTACT_CANDIDATES, same_doc=True)

    def _agent_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question asking who does something ("Who delivers the forced labour course?")
        whose top quote names nobody ("Every new inspector completes a two-day course ..."),
        while one of the next candidates of the same document does ("The training is provided
        by the Police Academy ..."): that candidate comes first."""
        asked = ev.query.asked
        if not checks.asks_agent(asked) or not j.candidates:
            return j
        # Naming someone, but for another deed ("Who investigates trafficking cases?":
        # "Prosecution of trafficking cases falls within the competence of the Specialised
        # Office of State Prosecutor", confidently), while a next candidate names the one who
        # does it ("investigated by anti-organised crime units").
        if checks.names_agent(asked, self._text(j.candidates[0])):
            return self._promote(ev, j, lambda text: checks.does_asked_deed(asked, text)
                                 and checks.names_agent(asked, text),
                                 DEED_CANDIDATES, same_doc=True)
        return self._promote(ev, j, lambda text: checks.names_agent(asked, text),
                             AGENT_CANDIDATES, same_doc=True)

    def _time_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question asking when something happened ("when did the JIT THB WB project kick
        off") whose top quote gives no date (``checks.lacks_asked_time``: the project's
        title), while one of the next candidates of the same document does ("The first event
        that took place was the Kick-off Conference in Sofia in October 2013"): that candidate
        comes first. Not for a follow-up ("Since when?"): a date elsewhere in the document is
        not the conversation's (``_last_answer_first`` looks after the last answer)."""
        asked = ev.query.asked
        if ev.query.context or not j.candidates \
                or not checks.lacks_asked_time(asked, self._text(j.candidates[0])):
            return j
        from .keyword import tokenize

        # A date, not any figure ("There are 11 prosecutors" gives no time, though the check
        # of a quote's figures lets it pass), in a sentence holding a word of the question the
        # top quote lacks ("kick" of "kick off": the Kick-off Conference). Any date of the
        # document had been put first, for "when did the European Commission approve the
        # project?" the 2012 proposal's (an attack probe's).
        lacking = set(quoting.asked_terms(asked)) - set(tokenize(self._text(j.candidates[0])))
        return self._promote(ev, j, lambda text: checks.gives_time(text)
                             and bool(lacking & set(tokenize(text))),
                             TIME_CANDIDATES, same_doc=True)

    def _clock_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question asking for opening hours or a time of day ("what are lanterna's opening
        hours on weekdays?") whose top quote gives none (the course run with the Lanterna
        Support Centre) while one of the next candidates does, and holds a word of the
        question ("Our drop-in office is open Monday to Friday from 9:00 to 17:00"): that
        candidate comes first. Of any document: an organisation's hours are most often on its
        own page, not in the text that names it."""
        asked = ev.query.asked
        # Only a top quote with no figure, day nor word of time at all (``lacks_clock_time``):
        # "open Monday to Friday, 9 to 5" gives the hours in a form ``gives_clock_time`` does
        # not read, and had lost its place to another office's "from 16:00 to 18:00" (an
        # attack probe's).
        if not j.candidates or not checks.lacks_clock_time(asked, self._text(j.candidates[0])):
            return j
        from .keyword import tokenize

        own = set(quoting.asked_terms(asked))
        return self._promote(ev, j, lambda text: checks.gives_clock_time(text)
                             and bool(own & set(tokenize(text))), TIME_CANDIDATES)

    def _purpose_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question asking what something is for ("What is the purpose of the JIT THB WB
        project?") whose top quote says nothing of what anything is for (the project's title),
        while one of the next candidates of the same document does ("... brings together
        representatives of the prosecution and the police in order to promote ..."): that
        candidate comes first."""
        if not checks.asks_purpose(ev.query.asked):
            return j
        return self._promote(ev, j, checks.states_purpose, same_doc=True)

    def _defined_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question asking what a term means ("What is an Application under the LGPL?",
        ``checks.defined_term``) whose top quote does not define it ('"The Library" refers to
        a covered work ..., other than an Application'), while one of the next candidates of
        the same document does ('An "Application" is any work ...', ``checks.defines``):
        that candidate comes first."""
        term = checks.defined_term(ev.query.asked)
        if term is None:
            return j
        return self._promote(ev, j, lambda text: checks.defines(term, text),
                             NAMING_CANDIDATES, same_doc=True)

    def _title_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question asking what a project (plan, report ...) is called whose top quote says
        what nothing is called ("In 2012 the Slovenian Ministry of the Interior ... prepared
        the proposal for a sequel ..."), while one of the next candidates of the same document
        does ("The title of the new project is ..."): that candidate comes first. Asked the
        earlier one's, a title in quotation marks after its word gives it too ('the previously
        concluded project "The introduction of ..."'); asked another's, such a sentence may
        name the earlier one in passing (the 2012 proposal's, for "the name of its sequel")."""
        asked = ev.query.asked
        if not j.candidates or not checks.asks_title(asked):
            return j
        from .keyword import tokenize

        # Not another one's title: "What was the previous project called?" is not answered
        # by "The title of the new project is ...", nor a question naming "ISEC" by a quote
        # that does not (a review's).
        phrase = checks.title_asked(asked)
        earlier = bool(_EARLIER.search(phrase))
        names = checks.names_in(phrase)

        def sentence(c) -> str:
            return self.index.documents[c.doc_id].text[c.evidence.start:c.evidence.end]

        def newer(c) -> bool:
            return earlier and re.search(r"\bnew\b", sentence(c), re.IGNORECASE) is not None

        top = j.candidates[0]
        if checks.gives_title(self._text(top)) and not newer(top):
            return j

        def titles_it(c) -> bool:
            # (the sentence that titles it, not the quote grown around it: the earlier
            # project's sentence grows into the next, "The title of the new project is ...")
            return checks.gives_title(sentence(c), quoted=earlier) \
                and names <= set(tokenize(self._text(c))) and not newer(c)
        return self._promote(ev, j, titles_it, TITLE_CANDIDATES, same_doc=True, whole=True)

    def _reason_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question asking why ("Why?" after what the JIT project is trying to achieve)
        whose top quote gives no reason (the project's title), while one of the next
        candidates of the same document does ("As JITs are a tool rarely used ..."): that
        candidate comes first."""
        from .keyword import tokenize

        if not j.candidates or not checks.asks_reason(ev.query.asked) \
                or checks.states_reason(self._text(j.candidates[0])):
            return j
        asked = quoting.asked_terms(ev.query.asked)
        if ev.query.context and set(asked) & set(tokenize(self._text(j.candidates[0]))):
            # A follow-up whose top quote holds its own words ("why those two?" after the
            # government's two priorities, "... which are two issues closely related to human
            # trafficking") is answered by that sentence's own clause.
            return j
        # The reason must be about what is asked: a sentence giving a reason for something
        # else ("... with the purpose of their early detection") had displaced the answer to
        # "Why has the government prioritised child pornography?" (a review's). A word the
        # documents never use counts by its near words ("job" by "work").
        near = ev.terms.near if ev.terms is not None else {}
        own = {t for t in asked if self.index.keyword.idf(t)} \
            | {stem for t in asked for stem, _ in near.get(t, ())}
        return self._promote(ev, j, lambda text: checks.states_reason(text) and (
            not own or bool(own & set(tokenize(text)))), REASON_CANDIDATES, same_doc=True)

    def _pointer_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question asking where to read about something ("Where can I read the yearly
        reports?") whose top quote points nowhere ("The Office shall publish an annual report
        ..."), while one of the next candidates does ("The reports are published on the
        website of the Government at www.gov.ar/trafficking."): that candidate comes first."""
        if not asks_where_to_read(ev.query):
            return j
        return self._promote(ev, j, quoting.points_to_source)

    def _named_unit_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question naming a numbered unit of a text ("What does Measure 3.2 do?", "What
        does step 4 require?") whose top quote is not from it (``checks.in_unit``), while one
        of the next candidates is (under the heading "Measure 3.2 — Financial investigations",
        or the label "Recommendation 4."): that candidate comes first. A blind probe's: the
        plan's objectives were quoted, and the measure's own section came second."""
        units = checks.text_units(ev.query.asked)
        if not units or not j.candidates:
            return j

        def mentions(c) -> bool:
            p = self.index.passages[c.row]
            text = self.index.documents[c.doc_id].text
            return any(checks.in_unit(text, c.start, c.end, p.text, p.section, u)
                       for u in units)
        # Not refused when the rest of the question is in the documents' words: "What does
        # Measure 3.2 do?" is; "What is step 4 of the pancake recipe?" is not.
        found = checks.asks_only_of_documents(ev.query.asked,
                                               lambda t: bool(self.index.keyword.idf(t)))
        # "What happens in Step 7?" is answered by the sentence opening the step ("Step 7. The
        # Identification Team shall interview ..."), not by its third: for a question asking
        # only what a unit says, its candidate naming the unit comes before its others.
        opening = checks.asks_what_unit_says(ev.query.asked)
        first = None
        for i, c in enumerate(j.candidates):
            if mentions(c):
                if not opening or any(checks.names_unit(self._text(c), u) for u in units):
                    first = i
                    break
                if first is None:
                    first = i
        if first is None:
            return j
        return replace(j if first == 0 else self._put_first(ev, j, first), names_found_unit=found)

    def _spelt_out_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question asking what an abbreviation stands for or is ("What does JIT stand for?",
        "What is JIT?") whose top quote only uses it ("As JITs are a tool rarely used ..."),
        while one of the next candidates spells it out ("Joint Investigation Teams (JIT)"):
        that candidate comes first."""
        asked = abbreviations.asked_abbreviation(ev.query.asked)
        if asked is None:
            return j
        return self._promote(ev, j, lambda text: abbreviations.spells_out(text, asked[0]))

    def _promote(self, ev: Evidence, j: Judgement, good: Callable, limit: int | None =
                 NAMING_CANDIDATES, same_doc: bool = False, whole: bool = False) -> Judgement:
        """``j`` with the first of its next candidates (up to ``limit``; of the top one's
        document only, with ``same_doc``) whose quote is ``good`` put first; ``j`` itself when
        its top quote is good already, or none of them is. ``good`` reads the quote's text, or
        with ``whole`` the candidate. The search of the reordering rules (``reorder``)."""
        def passes(c) -> bool:
            return good(c) if whole else good(self._text(c))
        if not j.candidates or passes(j.candidates[0]):
            return j
        doc = j.candidates[0].doc_id
        for i, c in enumerate(j.candidates[1:limit], start=1):
            if (not same_doc or c.doc_id == doc) and passes(c):
                return self._put_first(ev, j, i)
        return j

    def _asked_year_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question about a year ("How many inspections were carried out in 2022?") whose top
        quote gives another year ("In 2023 ... 1,142 inspections") while a sentence among the
        next candidates gives the one asked ("In 2022 the corresponding figures were 987"):
        that sentence comes first. A top quote that names no year may take its year from the
        sentence before; it stays."""
        asked = ev.query.asked
        years = checks.time_frame_years(asked)
        if not years or not j.candidates or self._names(j.candidates[0], years):
            return j
        top = j.candidates[0]
        # Years as times on both sides: a quote dated "last year" or giving "1500 euros" stays,
        # and "the 2022 work programme" is not a sentence about 2022.
        if not checks.time_frame_years(self._text(top)) or not checks.asks_a_figure(asked):
            return j
        for i, c in enumerate(j.candidates[1:NAMING_CANDIDATES], start=1):
            text = self._text(c)
            # It must give what is asked, too: for a year the documents give no figure of,
            # a sentence that merely names the year ("amended in 2021") is no answer.
            if set(years) <= set(checks.time_frame_years(text)) \
                    and checks.gives_counted_figure(asked, text):
                return self._put_first(ev, j, i)
        return j

    def _asked_month_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question naming months ("How many contacts came in between July and
        September?") whose top quote names none of them ("The quietest month was January
        ..."), while one of the next candidates of the same document names them all ("Q3
        (July to September) | 1,897 contacts ..."): that candidate comes first."""
        months = checks.months_named(ev.query.asked)
        if not months or not j.candidates \
                or checks.months_named(self._text(j.candidates[0])) & months:
            return j
        return self._promote(ev, j, lambda text: months <= checks.months_named(text),
                             NAMING_CANDIDATES, same_doc=True)

    def _ordinal_first(self, ev: Evidence, j: Judgement) -> Judgement:
        """A question about one of several by its place ("Who is the second defendant in the
        greenhouse case?") whose top quote names the same noun only by another place ("4. ...
        the first defendant, Dorin Maszek ..."), while one of the next candidates of the same
        document names the one asked ("5. The second defendant, Elvira Tansky ..."): that
        candidate comes first. Read with the conversation, a question naming no place asks
        about the one the conversation named ("What was her role exactly?" after "Who is the
        second defendant ...?")."""
        asked = ev.query.asked
        if checks.asked_ordinal(asked) is None and ev.query.context:
            asked = ev.query.context
        if not j.candidates or not checks.names_other_ordinal(asked, self._text(j.candidates[0])):
            return j
        return self._promote(ev, j, lambda text: checks.names_ordinal(asked, text),
                             NAMING_CANDIDATES, same_doc=True)

    def _text(self, c) -> str:
        return self.index.documents[c.doc_id].text[c.start:c.end]

    def _quote_names(self, reading: tuple[Evidence, Judgement], terms: Sequence[str]) -> bool:
        """Whether the reading's top quote holds every one of ``terms``."""
        return bool(reading[1].candidates) and self._names(reading[1].candidates[0], terms)

    def _names(self, c, terms: Sequence[str]) -> bool:
        """Whether a candidate's quote holds every one of ``terms``."""
        from .keyword import tokenize

        return set(terms) <= set(tokenize(self._text(c)))

    def uses_documents_words(self, terms: Sequence[str], half: bool = False) -> bool:
        """Whether most of a question's content words (``keyword.tokenize``; or all of none:
        "Why?") are words the documents use, or with ``half`` at least half of them. A short
        question that mostly does not ("And the weather?") changes the subject rather than
        following up."""
        used = sum(1 for t in terms if self.index.keyword.idf(t)) * 2
        return used >= len(terms) if half else used > len(terms) or not terms

    def answer(self, query: Query, max_quotes: int = 3, mode: str = "hybrid",
               where: Mapping | None = None, passages: int = 5,
               history: Sequence[str] | None = None) -> Answer:
        """Answer ``query``; with ``history`` (and the question in ``query.asked``), the
        reading is decided by evidence (``best_reading``)."""
        if not query.text:
            return build_answer(query.asked, (), 0.0)
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r}; choose one of {', '.join(MODES)}")
        # A misspelt word of the documents is searched as they spell it ("refelction"): its
        # evidence had looked thin, and a question typed in haste was refused or answered
        # tentatively. The answer keeps the question as it was asked.
        query, history = self.as_searched(query, history)
        where = self.scoped(query.asked, history, where)
        if in_conversation(history):
            ev, j = self.best_reading(query.asked, history, mode, where, passages, query.typed)
            out = self.decide(ev, max_quotes, j)
        else:
            ev, j = self.read_message(query, mode, where, passages)
            out = self.decide(ev, max_quotes, j)
        # The question as typed, whichever reading answered it.
        return replace(out, question=query.typed or query.asked)

    def read_message(self, query: Query, mode: str = "hybrid", where: Mapping | None = None,
                     passages: int = 5) -> tuple[Evidence, Judgement]:
        """The evidence of a question asked alone and its judgement. A message that says who
        asks before its question (``quoting.introduction_before``: "I'm a prosecutor in Zagreb
        and we are setting up a joint team. Was there ever a workshop on JITs in Croatia?") is
        answered by its question: who asks is no part of what is asked, and the prosecutor's
        words had pulled the quote to another project ("I'm a prosecutor. Who investigates
        trafficking cases?" to the prosecutors' office, confidently), and made an off-topic
        question look covered ("I'm a police officer in Slovenia. What's the time?"). Read
        whole, as any other message, when its question points back to the introduction ("I'm
        helping a victim who testifies. Can she stay?") or it tells what happened ("My client
        was trafficked and helps the police. Can she stay?"), asks of the asker ("I'm 16. Can
        I stay in a shelter?": the age is part of it), or counts nothing of its own ("I'm
        researching Vietnamese victims. how many were there in 2024")."""
        said = quoting.introduction_before(query.asked)
        question = replace(query, asked=said[1], typed=query.typed or query.asked) \
            if said is not None else None
        if question is not None and stands_alone(question) \
                and not _ASKS_OF_THE_ASKER.search(said[1]) \
                and not (checks.asks_a_figure(said[1])
                         and not checks.counted_words(said[1], shown=True)):
            query = question
        ev, _ = self.evidence(query, mode, where, passages)
        return ev, self.judge(ev)
