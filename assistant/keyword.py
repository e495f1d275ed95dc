"""BM25 over passages (bm25s), saved as JSON and .npy files, never pickled."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer: Snowball stemmers in C

    return Stemmer.Stemmer(STEMMER)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    # Question words carry no content for matching passages ("what", "who", "how").
    return frozenset(STOPWORDS_EN) | {
        "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "do", "does",
        "did", "can", "could", "would", "should", "may", "might", "must", "shall", "has", "have",
        "had", "i", "me", "my", "you", "your", "we", "our", "us", "tell", "about", "its", "it's",
        "am", "been", "being", "from", "any", "all", "also", "than", "so", "s",
    }


def tokenize(text: str) -> list[str]:
    """Lowercased, stemmed content words; numbers are kept ("187", "90")."""
    if len(text) > _CACHED_LENGTH:  # a passage at a build: read once
        return list(_tokens.__wrapped__(text))
    return list(_tokens(text))


# An answer reads the same questions' and sentences' words many times over (each check, each
# candidate): about 90 calls per answer, most of them repeats. Long texts are not kept: a
# build reads each passage once, and would fill the cache with them.
_CACHED_LENGTH = 600


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    words = [w for w in _WORD.findall(text.lower()) if w not in stopwords()]
    return tuple(_stemmer().stemWords(words)) if words else ()


# BM25 parameters, chosen on SciFact train queries (benchmarks/fusion.py, README "Figures"): a
# low k1 saturates term frequency early, which suits passages of ~120 tokens.
PARAMS = {"k1": 0.5, "b": 0.75}
STEMMER = "english"
TOKENIZER_VERSION = 1  # bump when ``tokenize`` changes what it produces


def settings() -> dict:
    """Everything that decides the keyword indexes' content, for the manifest: a change to
    any of it (BM25 parameters, stemmer, stop words, tokenizer) makes an index stale."""
    import hashlib

    words = "\n".join(sorted(stopwords())).encode("utf-8")
    return {**PARAMS, "stemmer": STEMMER, "tokenizer": TOKENIZER_VERSION,
            "stopwords": hashlib.sha256(words).hexdigest()[:16]}


class KeywordIndex:
    def __init__(self, bm25):
        self._bm25 = bm25

    @classmethod
    def build(cls, token_lists: Iterable[Sequence[str]]) -> "KeywordIndex":
        """Index token lists, consumed one at a time and kept as int32 id arrays: a corpus's
        tokens as Python strings cost ~15x more memory than the text they came from."""
        import bm25s
        from bm25s.tokenization import Tokenized

        vocab: dict[str, int] = {}
        ids = []
        for tokens in token_lists:
            ids.append(np.fromiter((vocab.setdefault(t, len(vocab)) for t in tokens),
                                   dtype=np.int32))
        if not vocab:
            vocab[""] = 0  # bm25s needs a vocabulary, even for documents without words
        bm25 = bm25s.BM25(**PARAMS)
        bm25.index(Tokenized(ids=ids, vocab=vocab), show_progress=False)
        return cls(bm25)

    def save(self, folder: Path) -> None:
        self._bm25.save(str(folder), allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> "KeywordIndex":
        import bm25s

        return cls(bm25s.BM25.load(str(folder), mmap=False, allow_pickle=False))

    @property
    def size(self) -> int:
        return int(self._bm25.scores["num_docs"])

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every passage (position = row in the index)."""
        known = [t for t in query_tokens if t in self._bm25.vocab_dict]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def idf_unseen(self) -> float:
        """The IDF a token would have if one passage held it."""
        n = self.size
        return float(np.log(1 + (n - 1 + 0.5) / (1 + 0.5)))

    def _postings(self, token: str) -> np.ndarray:
        """The rows holding ``token``, as the index stores them (empty for unknown tokens)."""
        tid = self._bm25.vocab_dict.get(token)
        indptr = self._bm25.scores["indptr"]
        if tid is None or tid + 1 >= len(indptr):
            return np.zeros(0, dtype=np.int64)
        return self._bm25.scores["indices"][indptr[tid]:indptr[tid + 1]]

    def contains(self, token: str, row: int) -> bool:
        """Whether the text at ``row`` holds ``token``: one look at the token's postings."""
        return bool(np.any(self._postings(token) == row))

    def rows(self, token: str) -> np.ndarray:
        """The rows whose text holds ``token`` (its postings), in order."""
        return np.unique(self._postings(token))

    def df(self, token: str) -> int:
        """In how many passages a token occurs (0 for unknown tokens)."""
        return len(self._postings(token))

    def idf(self, token: str) -> float:
        """Inverse document frequency of a token over passages (0 for unknown tokens)."""
        df = self.df(token)
        if df == 0:
            return 0.0
        return float(np.log(1 + (self.size - df + 0.5) / (df + 0.5)))
