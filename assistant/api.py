"""The public surface: ``Assistant``, ``build_index``, ``retrieve``, ``answer``."""
from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from . import index as _index
from . import quoting
from .chunking import ChunkParams
from .embedding import TokenVectors
from .search import MODES, search, to_hit
from .types import Answer, BuildReport, Document, Hit

MAX_QUESTION_CHARS = 2000  # longer input is cut: no question needs more, and encoding is O(n)
# Token vectors of recently quoted passages stay cached (LRU): ~120 KB a passage (float16),
# so ~550 passages; a miss costs one run of the model over the passage.
TOKEN_CACHE_BYTES = 64 * 2**20

# Words that point back to something said earlier ("Who pays for it?").
_BACK_REFERENCE = re.compile(
    r"\b(it|its|they|them|their|theirs|these|those|this|he|she|him|his|her|hers|the same)\b",
    re.IGNORECASE)


def is_follow_up(question: str) -> bool:
    return bool(_BACK_REFERENCE.search(question))


def clean_question(question: str) -> str:
    if not isinstance(question, str):
        raise TypeError("question must be a string")
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in question)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:MAX_QUESTION_CHARS]


def build_index(corpus_dir: str | os.PathLike = "corpus", index_dir: str | os.PathLike = "index",
                model: str | None = None, *, full: bool = False, progress: bool = False,
                params: ChunkParams | None = None, backend: str | None = None,
                on_progress=None, embedder=None,
                sentence_vectors: bool | None = None) -> BuildReport:
    """Index every readable document under ``corpus_dir`` into ``index_dir``.

    Incremental: only new or changed files are embedded. Broken files are reported in the
    returned ``BuildReport`` and skipped. The previous index stays in place until the new one
    is complete. Raises ``BuildError`` when nothing can be built.

    ``backend`` is ``"torch"``, ``"onnx"`` or ``"onnx-int8"``; by default an existing index
    keeps its backend and a new one gets ``embedding.DEFAULT_BACKEND``. ``embedder`` replaces
    the model with any object that has ``encode(texts) -> float32 array``, ``dimension`` and
    ``backend`` (tests and benchmarks use stand-ins). ``sentence_vectors=True`` also embeds
    every sentence (about twice the build time): better rankings (README, "Figures"); None
    keeps what an existing index has.
    """
    return _index.build(corpus_dir, index_dir, model, full=full, params=params,
                        progress=progress, backend=backend, on_progress=on_progress,
                        embedder=embedder, sentence_vectors=sentence_vectors)


class Assistant:
    """A loaded index plus its model: retrieve passages and answer with verbatim quotes."""

    def __init__(self, idx: _index.Index, embedder=None):
        self._index = idx
        self._embedder = embedder
        self._token_cache: OrderedDict[int, TokenVectors] = OrderedDict()
        self._token_cache_bytes = 0
        self._lock = threading.Lock()

    @classmethod
    def load(cls, index_dir: str | os.PathLike = "index", *, model: str | None = None,
             check: bool = True) -> "Assistant":
        """Load ``index_dir``; ``model`` must match the one it was built with, if given."""
        return cls(_index.load(index_dir, model=model, check=check))

    # --- facts about the index ---
    @property
    def index(self) -> _index.Index:
        return self._index

    @property
    def info(self) -> dict:
        m = self._index.manifest
        return {"documents": m["counts"]["documents"], "passages": m["counts"]["passages"],
                "model": m["model"]["name"], "backend": self._index.backend,
                "built_at": m["built_at"],
                "build_id": m["build_id"], "index_dir": str(self._index.path)}

    def document(self, doc_id: str) -> Document:
        try:
            return self._index.documents[doc_id]
        except KeyError:
            raise KeyError(f"no document {doc_id!r} in the index") from None

    @property
    def documents(self) -> list[Document]:
        return list(self._index.documents.values())

    # --- model ---
    @property
    def embedder(self):
        if self._embedder is None:
            from .embedding import get_embedder

            self._embedder = get_embedder(self._index.model, self._index.backend)
        return self._embedder

    def _encode_query(self, text: str) -> np.ndarray:
        return self.embedder.encode([text])[0]

    def _encode_question(self, text: str) -> tuple[np.ndarray, TokenVectors]:
        """The question's vector and token vectors. An embedder without token vectors (a
        stand-in, a custom object) is read as if the whole question were one token."""
        emb = self.embedder
        if getattr(emb, "has_token_vectors", False):
            return emb.encode_query(text)
        vec = emb.encode([text])[0]
        return vec, TokenVectors(vec[None].astype(np.float16), np.array([[0, len(text)]], np.int32))

    def _token_vectors(self, rows: Sequence[int]) -> dict[int, TokenVectors]:
        """Token vectors of the passages at ``rows``; the ones not cached are encoded in one
        call (an embedder without token vectors gets one "token" per sentence)."""
        found: dict[int, TokenVectors] = {}
        with self._lock:
            for r in rows:
                tv = self._token_cache.get(r)
                if tv is not None:
                    self._token_cache.move_to_end(r)
                    found[r] = tv
        missing = [r for r in dict.fromkeys(rows) if r not in found]
        if not missing:
            return found
        idx, emb = self._index, self.embedder
        passages = [idx.passages[r] for r in missing]
        if getattr(emb, "has_token_vectors", False):
            fresh = emb.encode_tokens([p.text for p in passages])
        else:
            fresh = []
            for p in passages:
                text = idx.documents[p.doc_id].text
                vecs = emb.encode([text[a:b] for a, b in p.sentences])
                offs = np.array([(a - p.start, b - p.start) for a, b in p.sentences], np.int32)
                fresh.append(TokenVectors(np.asarray(vecs).astype(np.float16), offs.reshape(-1, 2)))
        with self._lock:
            for r, tv in zip(missing, fresh):
                found[r] = tv
                if r not in self._token_cache:
                    self._token_cache[r] = tv
                    self._token_cache_bytes += tv.nbytes
            while self._token_cache_bytes > TOKEN_CACHE_BYTES and len(self._token_cache) > 1:
                _, old = self._token_cache.popitem(last=False)
                self._token_cache_bytes -= old.nbytes
        return found

    # --- the two questions people ask ---
    def _query(self, question: str, history: Sequence[str] | None) -> tuple[str, str]:
        """(text to search with, earlier context used), following up only when the question
        points back to something ("it", "its", "they") so self-contained questions stay put."""
        q = clean_question(question)
        past = [clean_question(h) for h in (history or []) if isinstance(h, str) and h.strip()]
        if past and is_follow_up(q):
            return f"{past[-1]} {q}", past[-1]
        return q, ""

    def retrieve(self, question: str, k: int = 5, *, history: Sequence[str] | None = None,
                 mode: str = "hybrid", where: Mapping | None = None) -> list[Hit]:
        """The ``k`` passages that best match the question, best first."""
        text, _ = self._query(question, history)
        if not text or k <= 0:
            return []
        qvec = self._encode_query(text) if mode != "keyword" else None
        return [to_hit(self._index, s) for s in
                search(self._index, qvec, text, k=k, mode=mode, where=where)]

    def _evidence(self, text: str, asked: str, context: str, *, mode: str = "hybrid",
                  where: Mapping | None = None, k: int = 5
                  ) -> tuple[list, dict[str, list[quoting.Evidence]]]:
        """The top ``k`` passages for ``text`` and the evidence for each of their sentences."""
        qvec, qtok = self._encode_question(text)
        scored = search(self._index, qvec if mode != "keyword" else None, text, k=k,
                        mode=mode, where=where)
        if not scored:
            return [], {}
        terms = quoting.query_terms(self._index, asked, context)
        # _query puts the context first: "<earlier message> <question>".
        q = quoting.query_tokens(qtok, text, len(context) + 1 if context else 0)
        tokens = self._token_vectors([s.row for s in scored])
        return scored, quoting.sentence_pool(self._index, scored, qvec, q, tokens.__getitem__,
                                             terms)

    def answer(self, question: str, history: Sequence[str] | None = None, *, max_quotes: int = 3,
               mode: str = "hybrid", where: Mapping | None = None, passages: int = 5) -> Answer:
        """Up to ``max_quotes`` verbatim quotes that answer the question, or an abstention."""
        text, context = self._query(question, history)
        asked = clean_question(question)
        if not text:
            return quoting.build_answer(asked, (), 0.0)
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r}; choose one of {', '.join(MODES)}")
        scored, pool = self._evidence(text, asked, context, mode=mode, where=where, k=passages)
        if not scored:
            return quoting.build_answer(asked, (), 0.0)
        cands = quoting.rank(self._index, pool)
        if not cands:  # passages without sentences: nothing to quote
            return quoting.build_answer(asked, (), 0.0)
        by_row = {s.row: s for s in scored}
        best = cands[0]
        conf = quoting.confidence(best, by_row[best.row].dense)
        if conf < quoting.ABSTAIN_BELOW:
            closest = [to_hit(self._index, s) for s in scored[:2]]
            return quoting.build_answer(asked, (), conf, closest)
        chosen = quoting.pick(cands, max(1, max_quotes))
        quotes = [quoting.make_quote(self._index, c, by_row) for c in chosen]
        return quoting.build_answer(asked, quotes, conf)


def ensure_index(corpus_dir: str | os.PathLike = "corpus", index_dir: str | os.PathLike = "index",
                 *, progress: bool = False, backend: str | None = None) -> BuildReport | None:
    """Build ``index_dir`` from ``corpus_dir`` when it is missing or stale (or embedded with
    another ``backend`` than the one asked for); the report, or None when the index was
    already current (or there is no corpus folder to build from)."""
    if Path(corpus_dir).is_dir() and _index.is_stale(corpus_dir, index_dir, backend):
        return build_index(corpus_dir, index_dir, progress=progress, backend=backend)
    return None


# --- module-level shortcuts on ./index, built from ./corpus when missing or stale ---------

_default_lock = threading.Lock()
_default: dict[tuple[str, str], Assistant] = {}


def _default_assistant(corpus_dir: str | os.PathLike = "corpus",
                       index_dir: str | os.PathLike = "index") -> Assistant:
    key = (str(Path(corpus_dir).resolve()), str(Path(index_dir).resolve()))
    with _default_lock:
        current = _default.get(key)
        if ensure_index(corpus_dir, index_dir) is not None:
            current = None
        if current is None or current.index.build_id != _index.read_manifest(index_dir).get("build_id"):
            current = _default[key] = Assistant.load(index_dir)
        return current


def retrieve(question: str, k: int = 5, **kwargs) -> list[Hit]:
    """``Assistant.retrieve`` on ./index (built from ./corpus when missing or stale)."""
    return _default_assistant().retrieve(question, k, **kwargs)


def answer(question: str, history: Sequence[str] | None = None, **kwargs) -> Answer:
    """``Assistant.answer`` on ./index (built from ./corpus when missing or stale)."""
    return _default_assistant().answer(question, history, **kwargs)
