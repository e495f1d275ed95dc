"""The public surface: ``Assistant``, ``build_index``, ``retrieve``, ``answer``."""
from __future__ import annotations

import functools
import numbers
import os
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from . import index as _index
from .answering import Answerer, Evidence
from .chunking import ChunkParams
from .embedding import BACKENDS, ModelError, as_embedder, get_embedder, query_backend
from .index import BuildSettings
from .queries import MAX_QUESTION_CHARS, conversation, in_conversation, make_query
from .search import to_hit
from .settings import AnswerSettings
from .types import Answer, BuildReport, Document, Hit
from . import unrelated

__all__ = ["Assistant", "LiveAssistant", "build_index", "ensure_index", "retrieve", "answer",
           "MAX_QUESTION_CHARS"]


def _count(value, name: str) -> int:
    """A count argument checked: a 0, a negative, a fraction or True had given an empty or
    one-item result with no word of why."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number of at least 1 (got {value!r})")
    if value < 1:
        raise ValueError(f"{name} must be at least 1 (got {value})")
    return int(value)


def build_index(corpus_dir: str | os.PathLike = "corpus", index_dir: str | os.PathLike = "index",
                model: str | None = None, *, full: bool = False, progress: bool = False,
                params: ChunkParams | None = None, backend: str | None = None,
                on_progress=None, embedder=None, sentence_vectors: bool | None = None,
                settings: BuildSettings | None = None) -> BuildReport:
    """Index every readable document under ``corpus_dir`` into ``index_dir``.

    Incremental: only new or changed files are embedded. Broken files are reported in the
    returned ``BuildReport`` and skipped. The previous index stays in place until the new one
    is complete. Raises ``BuildError`` when nothing can be built.

    ``backend`` is ``"torch"``, ``"onnx"`` or ``"onnx-int8"``; by default an existing index
    keeps its backend and a new one gets ``embedding.choose_backend()`` (int8 where
    the CPU has a fast int8 dot product, fp32 ONNX elsewhere). ``embedder`` replaces
    the model with any object that has ``encode(texts) -> float32 array``, ``dimension`` and
    ``backend`` (tests and benchmarks use stand-ins). ``sentence_vectors`` gives every sentence
    a vector too, pooled from its passage's run of the model (a stand-in ``embedder`` without
    ``encode_spans`` embeds each sentence alone); None keeps what an existing index has, and a
    new index gets them. ``settings`` (a ``BuildSettings``)
    may be given instead of the separate arguments.
    """
    if settings is None:
        settings = BuildSettings(model=model, backend=backend, sentence_vectors=sentence_vectors,
                                 full=full, chunking=params or ChunkParams())
    return _index.build(corpus_dir, index_dir, settings, progress=progress,
                        on_progress=on_progress, embedder=embedder,
                        annotate=unrelated.Recorder(_default_answerer))


def _default_answerer(idx: _index.Index, embedder) -> Answerer:
    """An answerer with the default settings over a just-written index."""
    return Answerer(idx, as_embedder(embedder), AnswerSettings())


class DocumentNotFound(KeyError):
    """``Assistant.document`` of an id the index does not hold: a KeyError whose message reads
    as written (a plain KeyError shows its message quoted, as a key)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class Assistant:
    """A loaded index plus its model: retrieve passages and answer with verbatim quotes.

    ``settings`` (an ``AnswerSettings``) replaces the measured defaults of fusion, sentence
    scoring, abstention and quoting."""

    def __init__(self, idx: _index.Index, embedder=None, settings: AnswerSettings | None = None):
        if isinstance(idx, (str, os.PathLike)):
            raise TypeError(f"Assistant takes a loaded index; to open the folder {os.fspath(idx)!r}"
                            f" use Assistant.load({os.fspath(idx)!r})")
        if settings is not None and not isinstance(settings, AnswerSettings):
            raise TypeError("settings must be an AnswerSettings")
        self._index = idx
        self._model = embedder
        self.settings = settings or AnswerSettings()
        self._answerer: Answerer | None = None
        self._lock = threading.Lock()

    @classmethod
    def load(cls, index_dir: str | os.PathLike = "index", *, model: str | None = None,
             check: bool = True, settings: AnswerSettings | None = None) -> "Assistant":
        """Load ``index_dir``; ``model`` must match the one it was built with, if given."""
        return cls(_index.load(index_dir, model=model, check=check), settings=settings)

    # --- facts about the index ---
    @property
    def index(self) -> _index.Index:
        return self._index

    @property
    def info(self) -> dict:
        m = self._index.manifest
        return {"documents": m["counts"]["documents"], "passages": m["counts"]["passages"],
                "model": m["model"]["name"], "backend": self._index.backend,
                "backend_reason": query_backend(self._index.backend).reason,
                "built_at": m["built_at"],
                "build_id": m["build_id"], "index_dir": str(self._index.path)}

    def document(self, doc_id: str) -> Document:
        try:
            return self._index.documents[doc_id]
        except KeyError:
            raise DocumentNotFound(f"no document {doc_id!r} in the index") from None

    @property
    def documents(self) -> list[Document]:
        return list(self._index.documents.values())

    # --- model ---
    @property
    def embedder(self):
        """The model the index was built with (loaded on first use), on the backend that
        ``embedding.query_backend`` gives for the index's on this CPU."""
        if self._model is None:
            backend = self._index.backend
            if backend not in BACKENDS:
                raise ModelError(
                    f"{self._index.path}/ was built with a caller's own embedding model "
                    f"(backend {backend!r}): give it as Assistant(index, embedder=...), or "
                    f"rebuild the index: python build_index.py --index {self._index.path} "
                    "--full")
            self._model = get_embedder(self._index.model, query_backend(backend).backend)
        return self._model

    @property
    def answerer(self) -> Answerer:
        if self._answerer is None:
            with self._lock:
                if self._answerer is None:
                    self._answerer = Answerer(self._index, as_embedder(self.embedder),
                                              self.settings)
        return self._answerer

    def with_settings(self, settings: AnswerSettings) -> "Assistant":
        """The same index, model and word-piece cache with other settings."""
        other = Assistant(self._index, self._model, settings)
        other._answerer = Answerer(self._index, self.answerer.embedder, settings,
                                   self.answerer.cache)
        return other

    # --- the two questions people ask ---
    def retrieve(self, question: str, k: int = 5, *, history: Sequence[str] | None = None,
                 mode: str = "hybrid", where: Mapping | None = None) -> list[Hit]:
        """The ``k`` passages that best match the question, best first. With ``history``, the
        question is read as ``answer`` reads it (alone or with the conversation, decided by
        the evidence), so both see the same passages."""
        query, history = self.answerer.as_searched(make_query(question), conversation(history))
        where = self.answerer.scoped(query.asked, history, where)
        if in_conversation(history):
            ev, _ = self.answerer.best_reading(query.asked, history, mode, where, 5, query.typed)
            query = ev.query
        scored = self.answerer.retrieve(query, _count(k, "k"), mode, where)
        return [to_hit(self._index, s) for s in scored]

    def evidence(self, question: str, history: Sequence[str] | None = None, *,
                 mode: str = "hybrid", where: Mapping | None = None,
                 passages: int = 5) -> Evidence:
        """What ``answer`` decides on (the passages and every sentence's evidence), for
        benchmarks that re-rank it under other settings (``Answerer.decide``)."""
        history, passages = conversation(history), _count(passages, "passages")
        query, history = self.answerer.as_searched(make_query(question), history)
        where = self.answerer.scoped(query.asked, history, where)
        if in_conversation(history):
            ev, _ = self.answerer.best_reading(query.asked, history, mode, where, passages,
                                               query.typed)
            return ev
        return self.answerer.read_message(query, mode, where, passages)[0]

    def answer(self, question: str, history: Sequence[str] | None = None, *, max_quotes: int = 3,
               mode: str = "hybrid", where: Mapping | None = None, passages: int = 5) -> Answer:
        """Up to ``max_quotes`` verbatim quotes that answer the question, or an abstention."""
        return self.answerer.answer(make_query(question), _count(max_quotes, "max_quotes"), mode,
                                    where, _count(passages, "passages"),
                                    history=conversation(history))


def ensure_index(corpus_dir: str | os.PathLike | None = "corpus", index_dir: str | os.PathLike = "index",
                 *, progress: bool = False, backend: str | None = None) -> BuildReport | None:
    """Build ``index_dir`` from ``corpus_dir`` when it is missing or stale (or embedded with
    another ``backend`` than the one asked for); the report, or None when the index was
    already current (or there is no corpus folder to build from)."""
    _index.check_not_newer(index_dir)
    if corpus_dir is not None and Path(corpus_dir).is_dir() and (
            _index.is_stale(corpus_dir, index_dir, backend) or _incomplete(index_dir)):
        model, params = _built_with(index_dir)
        return build_index(corpus_dir, index_dir, model, progress=progress, backend=backend,
                           params=params)
    return None


def _built_with(index_dir: str | os.PathLike) -> tuple[str | None, ChunkParams | None]:
    """The model and chunking an existing index was built with, for rebuilding it as it was
    (a rebuild with the defaults had re-embedded a custom model's index with the packaged
    model); None for a missing or unreadable index, which gets the defaults."""
    try:
        manifest = _index.read_manifest(index_dir, _index.REUSABLE_FORMATS)
        chunking = manifest.get("chunking")
        return manifest["model"]["name"], ChunkParams(**chunking) if chunking else None
    except (_index.IndexLoadError, KeyError, TypeError):
        return None, None


def _incomplete(index_dir: str | os.PathLike) -> bool:
    """An index of the package's own model built before the abstention bar was recorded (or
    with other defaults), or before its words had vectors (``nearwords``): a rebuild adds them
    without embedding a passage again, where the first answer of every process would measure
    the bar, and questions would be read by their own words only. Read once per manifest
    (module-level ``answer`` asks at every call)."""
    try:
        st = (Path(index_dir) / "manifest.json").stat()
    except OSError:
        return False  # is_stale decides about a missing index
    return _manifest_incomplete(str(Path(index_dir).resolve()), st.st_ino, st.st_mtime_ns,
                                st.st_size)


@functools.lru_cache(maxsize=8)
def _manifest_incomplete(index_dir: str, *_stamp) -> bool:
    try:
        manifest = _index.read_manifest(index_dir)
    except _index.IndexLoadError:
        return False  # is_stale decides about an unreadable index
    return manifest.get("model", {}).get("backend") in BACKENDS \
        and (not unrelated.current(manifest) or not manifest.get("word_vectors"))


class LiveAssistant:
    """The assistant for the index now on disk: reloaded when another process (or
    ``rebuild``) swaps in a new index. Requests already running keep the object they started
    with, so a swap never breaks them. The web app and the module-level functions share it."""

    def __init__(self, corpus_dir: str | os.PathLike | None, index_dir: str | os.PathLike,
                 backend: str | None = None, settings: AnswerSettings | None = None):
        # No corpus folder: the index is used as it is, never rebuilt.
        self.corpus_dir = Path(corpus_dir) if corpus_dir is not None else None
        self.index_dir = Path(index_dir)
        self.backend, self.settings = backend, settings
        self._assistant: Assistant | None = None
        self._stamp: tuple = ()
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()

    def _manifest_stamp(self) -> tuple:
        try:
            st = (self.index_dir / "manifest.json").stat()
            return (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            return ()

    def _load(self) -> None:
        stamp = self._manifest_stamp()
        self._assistant = Assistant.load(self.index_dir, settings=self.settings)
        self._stamp = stamp

    def current(self, *, build_if_stale: bool = False) -> Assistant:
        """The assistant for the index on disk; with ``build_if_stale``, the corpus is checked
        first (one ``stat`` per file) and the index rebuilt when it changed."""
        if build_if_stale:
            with self._build_lock:
                if ensure_index(self.corpus_dir, self.index_dir, backend=self.backend):
                    with self._lock:
                        self._load()
        stamp = self._manifest_stamp()
        if self._assistant is None or (stamp and stamp != self._stamp):
            with self._lock:
                if self._assistant is None:
                    self._load()
                elif stamp and stamp != self._stamp:
                    try:
                        self._load()
                    except Exception:  # half-visible or damaged: keep serving the loaded one
                        import logging

                        logging.getLogger("verbatim").warning(
                            "could not reload the index; still serving the previous one",
                            exc_info=True)
        return self._assistant

    def rebuild(self, on_progress=None) -> BuildReport:
        """Rebuild from the corpus and serve the new index at once."""
        with self._build_lock:
            report = build_index(self.corpus_dir, self.index_dir, on_progress=on_progress,
                                 backend=self.backend)
            with self._lock:
                self._load()
            return report


# --- module-level shortcuts on ./index, built from ./corpus when missing or stale ---------

_default_lock = threading.Lock()
_default: dict[tuple[str, str], LiveAssistant] = {}


def _default_assistant(corpus_dir: str | os.PathLike = "corpus",
                       index_dir: str | os.PathLike = "index") -> Assistant:
    key = (str(Path(corpus_dir).resolve()), str(Path(index_dir).resolve()))
    with _default_lock:
        live = _default.setdefault(key, LiveAssistant(corpus_dir, index_dir))
    return live.current(build_if_stale=True)


def retrieve(question: str, k: int = 5, **kwargs) -> list[Hit]:
    """``Assistant.retrieve`` on ./index (built from ./corpus when missing or stale)."""
    return _default_assistant().retrieve(question, k, **kwargs)


def answer(question: str, history: Sequence[str] | None = None, *,
           settings: AnswerSettings | None = None, **kwargs) -> Answer:
    """``Assistant.answer`` on ./index (built from ./corpus when missing or stale);
    ``settings`` answers with other settings than the defaults."""
    a = _default_assistant()
    if settings is not None:
        a = a.with_settings(settings)
    return a.answer(question, history, **kwargs)
