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

import hashlib
import json
import logging
import os
import re
import shutil
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .keyword import stopwords, tokenize

# A word as read here: three letters or more, letters only (figures, codes and the parts of
# names like "x^3" have no neighbours worth reading). Not a part of a hyphenated word
# ("kick-off": "kick" is no word of it), nor the stub of a contraction ("won't": "won" was read
# as "win" and "prize").
_WORD = re.compile(r"(?<![\w'’-])[^\W\d_]{3,}(?![\w-])(?!['’]t\b)")
# A web or e-mail address: its parts ("gov" of "www.inspectorate.gov.kv") are no words, and
# "government" had been read as "gov".
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+", re.IGNORECASE)
# A word opening a sentence or a line: its capital says nothing about it being a name.
_OPENS = re.compile(r"(?:^\s*|[.!?:]\s+|\n\s*|[\"'“‘(]\s*)$")


def document_words(texts: Iterable[str]) -> list[str]:
    """One written form of each stemmed word of ``texts`` (the form written most often, lower
    case on a tie), sorted; stop words, numbers in words and names left out. A word written
    most often with a capital, where a sentence or a line does not open with it, is taken for
    a name: a question's word read as a name of the documents ("state" as "Slovenia") would
    ask about what they name instead."""
    chosen = (min(c, key=lambda w: (-c[w], not w.islower(), w))
              for c in _written_forms(texts).values())
    return sorted(w for w in chosen if w.islower())


def name_forms(texts: Iterable[str]) -> dict[str, str]:
    """The documents' names as they write them, by their lower case ("croatia": "Croatia"):
    the words they write with a capital where no sentence or line opens with them, and never
    in lower case where none does."""
    out: dict[str, str] = {}
    # (A word opening a sentence or a line is no evidence either way: "Valmora is ..." had
    # counted as "valmora" in lower case, and the country was never read as a name.)
    for c in _written_forms(texts, openers=False).values():
        if c and not any(w.islower() for w in c):
            # Each form by its own lower case ("valmora": "Valmora", "valmoran": "Valmoran";
            # the stem's most written form alone had left "valmora" unread as a name), the
            # most written where forms differ only in case.
            for w in sorted(c, key=lambda w: (-c[w], w)):
                out.setdefault(w.lower(), w)
    return out


def _written_forms(texts: Iterable[str], openers: bool = True) -> dict[str, Counter]:
    """Each stemmed word's written forms and how often each is written (lower case where it
    opens a sentence or a line; not counted there without ``openers``)."""
    forms: dict[str, Counter] = {}
    # Each written word stemmed once (a collection repeats its words: SciFact's 5,183
    # abstracts took 1.9 s stemmed at every occurrence); None for one that is not read.
    stems: dict[str, str | None] = {}
    for text in texts:
        text = _ADDRESS.sub(lambda m: " " * len(m.group()), text)
        # Without ``openers``, words of a line in Title Case ("Access to Shelters and
        # Support", a heading) say nothing either: their capitals are the line's.
        titled = [] if openers else _title_case_lines(text)
        for m in _WORD.finditer(text):
            if titled and _within(titled, m.start()):
                continue
            w = m.group()
            low = w.lower()
            stem = stems.get(low, "")
            if stem == "":
                # Letters only, as the index's reader checks: the pattern's letters take in
                # superscripts and other number signs ("km²" of a SciFact abstract), and a
                # build holding one had failed its own read-back.
                read = low not in stopwords() and low not in NOT_READ and low.isalpha()
                stem = stems[low] = ((tokenize(low) or [None])[0]) if read else None
            if stem:
                # (a word in lower case is written so wherever it stands)
                opens = w != low and _OPENS.search(text, max(0, m.start() - 8),
                                                   m.start()) is not None
                if opens and not openers:
                    continue
                forms.setdefault(stem, Counter())[low if opens else w] += 1
    return forms


_LINE = re.compile(r"[^\n]+")


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """The spans of ``text``'s lines whose words of three letters or more mostly open with a
    capital (at least two such words): headings and titles in Title Case."""
    out = []
    for m in _LINE.finditer(text):
        words = [w for w in _WORD.findall(m.group()) if len(w) >= 3]
        if len(words) >= 2 and sum(w[0].isupper() for w in words) * 4 >= len(words) * 3:
            out.append(m.span())
    return out


def _within(spans: list[tuple[int, int]], pos: int) -> bool:
    import bisect

    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def as_stored(v: np.ndarray) -> np.ndarray:
    """Vectors at the precision word vectors are stored in (float16), as float32."""
    return np.asarray(v, dtype=np.float16).astype(np.float32)


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

    def nearest(self, vector: np.ndarray, count: int, min_cosine: float, word: str = ""
                ) -> tuple[tuple[str, float], ...]:
        """The stems of the ``count`` words nearest ``vector`` (normalised) at ``min_cosine``
        or nearer, nearest first, with their cosines; not a word that negates ``word`` (the
        question's) or that it negates by a prefix: "unpaid" is not "paid"."""
        if not len(self.words) or count <= 0:
            return ()
        cos = self.matrix @ np.asarray(vector, dtype=np.float32)
        want = count + 1  # room for one negation left out
        top = np.argpartition(-cos, want - 1)[:want] if want < len(cos) \
            else np.arange(len(cos))
        top = top[np.lexsort((top, -cos[top]))]  # nearest first; on a tie, the first word
        return tuple((self.stems[i], float(cos[i])) for i in top
                     if cos[i] >= min_cosine and not negates(word, self.words[i]))[:count]


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
# Numbers in words, months and weekdays: each lies near the others ("twenty" near "fifteen"
# at 0.69), and a question naming another figure or date than the documents asks about what
# they do not say. Left out on both sides, like figures.
NUMBER_WORDS = frozenset("""
    zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred hundreds thousand thousands million millions billion billions dozen dozens
    first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth
    twentieth hundredth thousandth half halves twice thrice double triple quarter quarters
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    """.split())
NOT_READ = FUNCTION_WORDS | NUMBER_WORDS
_NEGATING = ("un", "in", "im", "il", "ir", "non", "non-", "dis")


def negates(a: str, b: str) -> bool:
    """Whether one word is the other with a negating prefix ("paid", "unpaid")."""
    a, b = a.lower(), b.lower()
    return any(a == p + b or b == p + a for p in _NEGATING)


# The most words of one question read so, the first ones: each costs a run of the model and a
# pass over the documents' words, and a question of hundreds of made-up words took 1.4 s on
# 25,000 document words. Of the evaluation set's 783 questions and earlier questions, one has
# eight such words, none more; the others six or fewer.
MAX_UNSEEN = 8
# After "how" a word asks for a kind of answer ("how long", "how big"), not about a topic.
_AFTER_HOW = re.compile(r"\bhow\s+([^\W\d_]+)", re.IGNORECASE)


def unseen_words(question: str, seen: Callable[[str], bool],
                 skip: Collection[str] = ()) -> list[tuple[str, str, int, int]]:
    """(word, stem, start, end) of each content word of ``question`` written in lower case (or
    opening it with a capital) whose stem ``seen`` says no document uses, but those in ``skip`` (words
    that name nothing asked: "many" is no "one"). A word typed with a capital elsewhere is
    taken for a name and read as typed: "Croatia" is not "Slovenia"."""
    out: list[tuple[str, str, int, int]] = []
    taken: set[str] = set()
    asks_kind = {m.start(1) for m in _AFTER_HOW.finditer(question)}
    first = re.search(r"[^\W\d_]", question)
    for m in _WORD.finditer(question):
        w = m.group()
        if first is not None and m.start() == first.start() and w[1:].islower():
            w = w.lower()  # the question's first word, not "Croatia" in "Is Croatia ...?"
        if not w.islower() or w in stopwords() or w in NOT_READ or w in skip \
                or m.start() in asks_kind:
            continue
        stem = tokenize(w)
        if stem and stem[0] not in taken and not seen(stem[0]):
            taken.add(stem[0])
            out.append((w, stem[0], m.start(), m.end()))
            if len(out) == MAX_UNSEEN:
                break
    return out


class WordCache:
    """Question words' vectors, each embedded alone, by word: bounded, thread-safe. They
    depend on the model only, so answerers of one model share one (``TokenCache.words``)."""

    def __init__(self, max_words: int = 4096):
        self.max_words = max_words
        self._items: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def get_many(self, words: Sequence[str], encode: Callable[[list[str]], np.ndarray]
                 ) -> dict[str, np.ndarray]:
        """The vector of each of ``words``, those not yet held encoded (outside the lock)."""
        with self._lock:
            found = {w: self._items[w] for w in words if w in self._items}
        missing = list(dict.fromkeys(w for w in words if w not in found))
        if missing:
            # At the precision the documents' words and the common words are stored in: a
            # word's vector is then the same whether it was read from those or embedded now.
            got = as_stored(normalised(np.asarray(encode(missing), dtype=np.float32)))
            found.update(zip(missing, got))
            with self._lock:
                if len(self._items) + len(missing) > self.max_words:
                    self._items.clear()  # questions' words: no order worth keeping
                self._items.update(zip(missing, got))
        return found


# --- common English words, embedded once per model -------------------------------------------
# A question's word that no document uses is embedded alone when it is asked (``WordCache``):
# about 0.4 ms a word with int8 on 2 cores, against about 1 ms for the whole question, so a
# question of three new words took over twice as long to answer as to encode. The most
# frequent English words (``data/common_words.txt``, written by benchmarks/common_words.py)
# are embedded once per model instead, into the user's cache folder, by the first build with
# that model (``index.builder``), the chat's start-up (``__main__``) or the evaluation; a word
# of the list is then read, not run. The documents' own words are taken from it too when an
# index is built. Only for the ONNX backends: they run every text alone, so a word's vector is
# the same read from the list or embedded when asked (both kept at float16); torch pads a batch
# of words together, which moves a word's vector in its last bits.

COMMON_WORDS_FILE = Path(__file__).resolve().parent / "data" / "common_words.txt"
_COMMON_FORMAT = 1
_COMMON_MANIFEST = "common_words.json"
_COMMON_VECTORS = "vectors.npy"
_COMMON_BACKENDS = ("onnx", "onnx-int8")
_log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def common_word_list() -> tuple[str, ...]:
    """The common words, most frequent first (the file's lines, but its comments)."""
    text = COMMON_WORDS_FILE.read_text(encoding="utf-8")
    return tuple(w for w in (line.strip() for line in text.splitlines())
                 if w and not w.startswith("#"))


@lru_cache(maxsize=1)
def _list_digest() -> str:
    return hashlib.sha256("\n".join(common_word_list()).encode()).hexdigest()


def _identity(embedder) -> dict | None:
    """What the common words' vectors depend on: the model and its backend (by its exported
    files, whose folder name hashes the model's files and the libraries' versions), the
    dimension and the word list. None where nothing is kept: a stand-in model (tests, a
    caller's own) and the torch backend (see above)."""
    name, backend = getattr(embedder, "name", None), getattr(embedder, "backend", None)
    dimension, folder = getattr(embedder, "dimension", None), getattr(embedder, "folder", None)
    if not isinstance(name, str) or backend not in _COMMON_BACKENDS \
            or not isinstance(dimension, int) or folder is None:
        return None
    return {"format": _COMMON_FORMAT, "model": name, "backend": backend,
            "export": Path(folder).name, "dimension": dimension, "words": _list_digest()}


def common_words_folder(embedder) -> Path | None:
    """Where the common words' vectors of ``embedder`` are kept (under the cache folder of the
    ONNX exports, ``$VERBATIM_CACHE`` or ``~/.cache/verbatim``); None where none are kept."""
    from .onnx_export import cache_root

    ident = _identity(embedder)
    if ident is None:
        return None
    return cache_root() / "words" / _folder_key(tuple(sorted(ident.items())))


@lru_cache(maxsize=64)
def _folder_key(ident: tuple) -> str:
    # (kept: asked at every answer that reads a word the documents never use)
    return hashlib.sha256(json.dumps(dict(ident), sort_keys=True).encode()).hexdigest()[:20]


class CommonWords:
    """The common words' vectors of one model (float16, memory-mapped), by word."""

    def __init__(self, words: Sequence[str], vectors: np.ndarray):
        if len(words) != len(vectors):
            raise ValueError("CommonWords: as many vectors as words are needed")
        self.vectors = vectors
        self._rows = {w: i for i, w in enumerate(words)}

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, word: str) -> bool:
        return word in self._rows

    def vectors_of(self, words: Iterable[str]) -> dict[str, np.ndarray]:
        """The float32 vector of each of ``words`` the list holds."""
        return {w: np.asarray(self.vectors[i], dtype=np.float32)
                for w in words if (i := self._rows.get(w)) is not None}


_tables: dict[Path, CommonWords] = {}
# Folders found unwritable by this process: it does not embed the list again at every build.
_unwritable: set[Path] = set()
_tables_lock = threading.Lock()


def common_words(embedder) -> CommonWords | None:
    """The common words' vectors of ``embedder``, when they have been embedded (on this
    machine, with this model, backend and word list); None otherwise (or where none are kept),
    and the words are then embedded as they are asked."""
    folder = common_words_folder(embedder)
    if folder is None:
        return None
    with _tables_lock:
        table = _tables.get(folder)
    if table is not None:
        return table
    table = _read_common(folder, _identity(embedder))
    if table is not None:
        with _tables_lock:
            table = _tables.setdefault(folder, table)
    return table


def _read_common(folder: Path, ident: dict) -> CommonWords | None:
    """The table in ``folder`` when it is complete, of ``ident`` and intact (its checksum
    read once per process: a file zeroed by a crash would read as vectors of nothing)."""
    from .storage import sha256_file

    try:
        manifest = json.loads((folder / _COMMON_MANIFEST).read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or manifest.get("identity") != ident \
                or sha256_file(folder / _COMMON_VECTORS) != manifest.get("sha256"):
            return None
        vectors = np.load(folder / _COMMON_VECTORS, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError):
        return None  # not made yet, or half made by a process that died: made again
    words = common_word_list()
    if vectors.dtype != np.float16 or vectors.shape != (len(words), ident["dimension"]):
        return None
    return CommonWords(words, vectors)


def _ours(folder: Path) -> bool:
    """Whether ``folder`` is one this code wrote (a manifest of its format, and no other
    files), whatever it holds now: only such a folder is ever replaced."""
    try:
        manifest = json.loads((folder / _COMMON_MANIFEST).read_text(encoding="utf-8"))
        return isinstance(manifest, dict) \
            and (manifest.get("identity") or {}).get("format") == _COMMON_FORMAT \
            and set(os.listdir(folder)) <= {_COMMON_MANIFEST, _COMMON_VECTORS}
    except (OSError, ValueError, AttributeError):
        return False


def ensure_common_words(embedder, progress: bool = False,
                        on_progress: Callable[[str, float], None] | None = None
                        ) -> CommonWords | None:
    """``common_words`` of ``embedder``, embedding them first if they are not there yet (8 s
    with int8 on 2 cores, once per model and machine), one process at a time. None where none
    are kept, or when the cache folder cannot be written (the words are then embedded as they
    are asked, and this process does not try again)."""
    from filelock import FileLock, Timeout

    from .storage import fsync_dir

    folder = common_words_folder(embedder)
    if folder is None or folder in _unwritable:
        return None
    table = common_words(embedder)
    if table is not None:
        return table
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(folder.parent / f".{folder.name}.lock"), timeout=600)
        with lock:
            table = common_words(embedder)  # made by another process while this one waited
            if table is not None:
                return table
            # What a process that died while writing left (under the lock no one writes).
            for left in folder.parent.glob(f".{folder.name}.*.tmp"):
                shutil.rmtree(left, ignore_errors=True)
            if folder.exists() and not _ours(folder):
                raise OSError(f"{folder} holds files this program did not write")
            tmp = folder.parent / f".{folder.name}.{uuid.uuid4().hex}.tmp"
            tmp.mkdir()
            try:
                _write_common(tmp, _identity(embedder),
                              _embed_common(embedder, progress, on_progress))
                if folder.exists():  # an older or damaged copy of ours
                    shutil.rmtree(folder)
                os.replace(tmp, folder)
                fsync_dir(folder.parent)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    except (OSError, Timeout) as e:
        _log.warning("the common words' vectors are not kept in %s (%s): words are embedded "
                     "as they are asked", folder, e)
        with _tables_lock:
            _unwritable.add(folder)
        return None
    return common_words(embedder)


def _embed_common(embedder, progress: bool,
                  on_progress: Callable[[str, float], None] | None) -> np.ndarray:
    from tqdm.auto import tqdm

    words = list(common_word_list())
    desc = "Embedding common English words (once per model)"
    out = np.zeros((len(words), embedder.dimension), dtype=np.float16)
    bar = tqdm(total=len(words), desc=desc, unit="word", disable=not progress,
               dynamic_ncols=True)
    try:
        step = 1024
        for i in range(0, len(words), step):
            out[i:i + step] = normalised(np.asarray(embedder.encode(words[i:i + step]),
                                                    dtype=np.float32))
            bar.update(len(words[i:i + step]))
            if on_progress:
                on_progress(desc, min(1.0, (i + step) / len(words)))
    finally:
        bar.close()
    return out


def _write_common(folder: Path, ident: dict, vectors: np.ndarray) -> None:
    """The vectors and their manifest (with the vectors' checksum), flushed to disk before the
    folder is moved into place whole: a reader sees all of it or none."""
    from .storage import fsync_tree, sha256_file, write_json

    with open(folder / _COMMON_VECTORS, "wb") as f:
        np.save(f, vectors, allow_pickle=False)
    write_json(folder / _COMMON_MANIFEST, {"identity": ident, "count": len(vectors),
                                           "sha256": sha256_file(folder / _COMMON_VECTORS)})
    fsync_tree(folder)
