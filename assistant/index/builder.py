"""Building an index folder from a corpus folder: incremental, verified, swapped in atomically.

A build writes a marked sibling ``<index>.tmp-*`` folder, reads it back and verifies it, and
swaps it in atomically, so an interrupted or failed build leaves the previous index untouched.
It only ever replaces a folder that it can prove is an index (``check_index_target``).
"""
from __future__ import annotations

import datetime as _dt
import os
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata as _pkg
from pathlib import Path
from typing import Protocol

import numpy as np

from .. import keyword, storage
from ..chunking import ChunkParams, chunk_document
from ..keyword import KeywordIndex, tokenize
from ..loading import (READERS_VERSION, CorpusFile, discover, is_transient, is_whole_file_skip,
                       load_file)
from ..nearwords import document_words, ensure_common_words, normalised
from ..types import BuildReport, Document, Passage, SkippedFile
from . import ann
from .format import (DENSE, DOC_KEYWORD_DIR, DOCUMENTS, EMBED_FORMAT_VERSION, FORMAT_VERSION,
                     KEYWORD_DIR, MANIFEST, PASSAGES, REUSABLE_FORMATS, SENTENCE_VECTORS,
                     SENTENCES, VECTORS, WORD_VECTORS, WORDS,
                     BuildError, BuildLocked, IndexLoadError, backend_of, checksums,
                     doc_to_row, embed_format_of, embed_text, foreign_files, is_index_folder,
                     passage_to_row,
                     read_manifest, verify)
from .plan import (IN_CONTEXT, SEPARATE, FileResult, OldByFile, group_by_file,
                   plan_sentences, plan_vectors)
from .reader import Index, assemble, load, read_words
from .vectors import encode_in_context_into, encode_into, vector_file

# The libraries that read corpus files: a remembered skip is only trusted while they and the
# readers (loading.READERS_VERSION) are the same.
READER_LIBRARIES = ("trafilatura", "lxml", "pypdf", "python-docx")
ProgressCallback = Callable[[str, float], None]


class Annotation(Protocol):
    """An entry a build adds to the manifest, measured on the new index with its model
    (``assistant.unrelated.Recorder``). A build whose corpus did not change still runs when
    ``current`` says the old index's entry is out of date."""

    key: str

    def current(self, manifest: dict) -> bool: ...

    def __call__(self, index: Index, embedder) -> dict: ...


@dataclass(frozen=True)
class BuildSettings:
    """What a build makes. ``None`` for ``backend`` and ``sentence_vectors`` keeps what the
    existing index has (a new index gets the defaults)."""

    model: str | None = None  # a sentence-transformers name or folder; None: the packaged one
    backend: str | None = None  # "onnx", "onnx-int8" or "torch"
    sentence_vectors: bool | None = None  # a vector for every sentence too (new index: yes)
    full: bool = False  # re-embed everything instead of reusing unchanged vectors
    chunking: ChunkParams = field(default_factory=ChunkParams)
    ann_threshold: int = ann.ANN_THRESHOLD  # from this many passages, an IVF index

    def __post_init__(self):
        if self.backend is not None:
            from ..embedding import BACKENDS

            if self.backend not in BACKENDS and self.backend != "custom":
                raise BuildError(f"unknown backend {self.backend!r}; choose one of "
                                 f"{', '.join(BACKENDS)}")
        if not isinstance(self.chunking, ChunkParams):
            raise BuildError("BuildSettings.chunking must be a ChunkParams")
        if isinstance(self.ann_threshold, bool) or not isinstance(self.ann_threshold, int) \
                or self.ann_threshold < 1:
            raise BuildError(f"BuildSettings.ann_threshold must be a whole number >= 1 "
                             f"(got {self.ann_threshold!r})")


def check_index_target(index_dir: Path, corpus_dir: Path | None = None) -> None:
    """Refuse an index path whose replacement could destroy something that is not an index:
    a file, a link, a non-empty folder that is not an index, the corpus or a folder inside it
    or around it. A build replaces the whole folder, so this is checked before anything else.
    """
    shown = str(index_dir)
    if index_dir.is_symlink():
        raise BuildError(f"--index {shown} is a symbolic link; give the folder it points to")
    if index_dir.exists() and not index_dir.is_dir():
        raise BuildError(f"--index {shown} is a file, not an index folder; choose another path")
    if corpus_dir is not None:
        idx, corpus = index_dir.resolve(), corpus_dir.resolve()
        if idx == corpus:
            raise BuildError(f"--index {shown} is the corpus folder; the index needs a folder "
                             "of its own (default: index)")
        if idx.is_relative_to(corpus):
            raise BuildError(f"--index {shown} is inside the corpus folder {corpus_dir}; put "
                             "the index outside it (default: index)")
        if corpus.is_relative_to(idx):
            raise BuildError(f"--index {shown} contains the corpus folder {corpus_dir}; the "
                             "index needs a folder of its own (default: index)")
    if index_dir.is_dir():
        try:
            empty = next(index_dir.iterdir(), None) is None
        except OSError as e:
            raise BuildError(f"cannot read --index {shown}: {e.strerror or e}") from None
        if not empty and not is_index_folder(index_dir):
            raise BuildError(f"--index {shown} is a folder that is not a Verbatim index and is "
                             "not empty; a build would replace it, so choose a new or empty "
                             "folder")
        foreign = foreign_files(index_dir) if not empty else []
        if foreign:
            raise BuildError(f"--index {shown} holds files that no build wrote "
                             f"({_shown_names(foreign)}); a build replaces the whole folder, so "
                             "move them out of it first")


def _shown_names(names: list[str]) -> str:
    """Names as a terminal shows them on one line: a control character in a name had coloured
    the terminal, a line break split the message."""
    return ", ".join(f if f.isprintable() else ascii(f) for f in names[:5]) \
        + (", ..." if len(names) > 5 else "")


def _refuse_files_put_in_meanwhile(index_dir: Path) -> None:
    """The check of ``check_index_target`` again, right before the swap: a build may run for
    hours, and a file put into the index folder meanwhile would go with the old index."""
    foreign = foreign_files(index_dir) if index_dir.is_dir() else []
    if foreign:
        raise BuildError(f"files were put into --index {index_dir} while the index was being "
                         f"built ({_shown_names(foreign)}); the new index was not swapped in, "
                         "so the previous one and those files are unchanged; move them out "
                         "and build again")


def library_versions() -> dict:
    out = {}
    for name in ("faiss-cpu", "bm25s", "sentence-transformers", "torch", "onnxruntime",
                 "sentencex", "PyStemmer") + READER_LIBRARIES:
        try:
            out[name] = _pkg.version(name)
        except _pkg.PackageNotFoundError:
            pass
    return out


def _same_readers(manifest: dict | None) -> bool:
    """Whether the index was read from its files by the readers (and their libraries) of
    today: what it extracted, or failed to, can then stand for an unchanged file."""
    if not manifest or manifest.get("readers") != READERS_VERSION:
        return False
    libs, now = manifest.get("libraries", {}), library_versions()
    return all(libs.get(n) == now.get(n) for n in READER_LIBRARIES)


def _remembered_skips(manifest: dict | None) -> dict[str, dict]:
    """rel -> {"sha256", "reasons"} of files the previous build could not read at all (not
    for a failure of the moment, which an index of an earlier version may have recorded)."""
    if not _same_readers(manifest):
        return {}
    return {rel: e for rel, e in manifest.get("skipped_files", {}).items()
            if "sha256" in e and e.get("reasons")
            and not any(is_transient(str(r)) for r in e["reasons"])}


def build(corpus_dir: str | os.PathLike = "corpus", index_dir: str | os.PathLike = "index",
          settings: BuildSettings | None = None, *, progress: bool = False,
          on_progress: ProgressCallback | None = None, embedder=None,
          annotate: Annotation | None = None) -> BuildReport:
    """Build or update the index; see ``assistant.build_index`` for the public contract.

    ``embedder`` replaces the model with any object that has ``encode(texts)``,
    ``dimension`` and ``backend`` (tests and benchmarks use stand-ins). ``annotate`` adds
    an entry to the manifest, measured on the new index before it is swapped in.
    """
    from filelock import FileLock, Timeout

    settings = settings or BuildSettings()
    t0 = time.perf_counter()
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    if not corpus_dir.is_dir():
        what = "is not a folder" if corpus_dir.exists() else "not found"
        raise BuildError(f"corpus folder {what}: {corpus_dir}")
    check_index_target(index_dir, corpus_dir)
    # "." or "index/sub/.." name the folder by another name: one name for the lock and swap.
    index_dir = Path(os.path.normpath(os.path.abspath(index_dir)))
    check_index_target(index_dir, corpus_dir)
    parent = index_dir.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BuildError(f"cannot create the index folder's parent {parent}: {e.strerror}") from None
    if not os.access(parent, os.W_OK) or (index_dir.exists() and not os.access(index_dir, os.W_OK)):
        raise BuildError(f"index folder is not writable: {index_dir}")

    lock_path = parent / f".{index_dir.name}.lock"
    try:  # filelock reports a lock it cannot create as "held by someone else": ask first
        with open(lock_path, "a"):
            pass
    except OSError as e:
        raise BuildError(f"cannot create the build lock {lock_path}: {e.strerror or e}; "
                         "choose an index folder on a writable disk") from None
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise BuildLocked(f"another build is already running on {index_dir} "
                          f"(lock {lock.lock_file}); wait for it to finish") from None
    try:
        storage.recover(index_dir, is_index_folder)
        # A leftover that holds a user's file (an old index swapped out by a build killed
        # before it could keep it aside) is not ours to delete.
        storage.remove_leftovers(index_dir,
                                 lambda p: is_index_folder(p) and not foreign_files(p))
        return _Build(corpus_dir, index_dir, settings, t0, progress, on_progress,
                      embedder, annotate).run()
    finally:
        lock.release()


class _Build:
    """One build, under the lock: read the corpus, plan the reuse, write, verify, swap."""

    def __init__(self, corpus_dir: Path, index_dir: Path, settings: BuildSettings, t0: float,
                 progress: bool, on_progress: ProgressCallback | None, embedder,
                 annotate: Annotation | None = None):
        from ..embedding import BACKENDS, canonical_name, choose_backend, int8_dot_product

        self.corpus_dir, self.index_dir, self.t0 = corpus_dir, index_dir, t0
        self.annotate = annotate
        self.progress, self.on_progress, self.embedder = progress, on_progress, embedder
        self.model_arg = settings.model
        self.model_name = canonical_name(settings.model)
        self.params = settings.chunking
        self.full = settings.full
        self.swapped = False  # the new index is in place (``storage.swap_in``)
        self.ann_threshold = settings.ann_threshold
        try:
            self.current = read_manifest(index_dir, REUSABLE_FORMATS)
        except IndexLoadError:
            self.current = None
        backend = settings.backend
        if embedder is not None:  # a caller's own embedder (tests, benchmarks) names its backend
            backend = getattr(embedder, "backend", backend) or "custom"
        self.explicit_backend = backend is not None
        self.backend_reason = "as asked" if backend is not None else ""
        if backend is None:  # keep what the index was built with; a change means re-embedding
            kept = backend_of(self.current) if self.current else None
            if kept == "onnx-int8" and not int8_dot_product():
                kept = None  # this CPU would not give that index's int8 vectors: choose anew
            if kept not in BACKENDS:
                kept = None  # built with a caller's own model, which this build was not given
            if kept:
                backend, self.backend_reason = kept, "as the index was built"
            else:
                choice = choose_backend()
                backend, self.backend_reason = choice.backend, choice.reason
        self.backend = backend
        sentences = settings.sentence_vectors
        if sentences is None:  # keep what the index has; a new index gets them
            sentences = bool(self.current.get("sentence_vectors")) if self.current else True
        self.with_sentences = bool(sentences)

    # --- reading the corpus -----------------------------------------------------------------

    def _previous(self) -> Index | None:
        """The current index if it can be reused for an incremental build."""
        if self.full or not self.index_dir.exists():
            return None
        try:
            old = load(self.index_dir, check=True, for_reuse=True)
        except IndexLoadError:
            return None  # damaged or another format: rebuild everything
        if old.model != self.model_name or old.backend != self.backend \
                or old.manifest.get("chunking") != self.params.to_dict() \
                or embed_format_of(old.manifest) != EMBED_FORMAT_VERSION:
            return None
        return old

    def run(self) -> BuildReport:
        files, skipped = discover(self.corpus_dir)
        skipped = list(skipped)
        old = self._previous()
        old_files = old.manifest.get("files", {}) if old else {}
        listed = old_files or (self.current or {}).get("files", {})
        # After an upgrade of a reader or its library, unchanged files are read again (their
        # passages keep their vectors where the text is the same): an incremental build had
        # kept the old extraction, unlike a full one.
        reread = old is not None and not _same_readers(old.manifest)
        old_by_file = group_by_file(old)
        remembered = {} if self.full else _remembered_skips(self.current)
        unreadable: dict[str, tuple[str, list[str]]] = {}  # rel -> (sha256, reasons)

        results: list[FileResult] = []
        seen_hashes: dict[str, str] = {}
        seen_ids: dict[str, str] = {}  # document id -> the file that gave it
        added = changed = unchanged = 0
        for f in files:
            try:
                st = f.path.stat()
                digest = storage.sha256_file(f.path)
            except OSError as e:
                skipped.append(SkippedFile(f.rel, f"cannot read: {e.strerror or e}"))
                continue
            if digest in seen_hashes:
                skipped.append(SkippedFile(f.rel, f"same content as {seen_hashes[digest]}; "
                                                  "indexed once"))
                continue
            prev = old_files.get(f.rel)
            if prev and prev.get("sha256") == digest and f.rel in old_by_file \
                    and not reread:
                docs, ps, rows = old_by_file[f.rel]
                if not any(d.doc_id in seen_ids for d in docs):
                    seen_ids.update((d.doc_id, f.rel) for d in docs)
                    parts = tuple(SkippedFile(str(s.get("path", f.rel)), str(s.get("reason", "")))
                                  for s in prev.get("skipped_parts", ()) if isinstance(s, dict))
                    skipped.extend(parts)
                    results.append(FileResult(f, digest, docs, ps, list(rows), st.st_size,
                                              st.st_mtime_ns, parts))
                    seen_hashes[digest] = f.rel
                    unchanged += 1
                    continue
            known_bad = remembered.get(f.rel)
            if known_bad and known_bad["sha256"] == digest:  # unchanged since it failed
                skipped.extend(SkippedFile(f.rel, r) for r in known_bad["reasons"])
                unreadable[f.rel] = (digest, list(known_bad["reasons"]))
                continue
            file_skips: list[SkippedFile] = []
            loaded = list(load_file(f, file_skips.append))
            if any(is_whole_file_skip(f, s) for s in file_skips):
                loaded = []  # failed part-way: none of it, rather than an arbitrary part
                reasons = [s.reason for s in file_skips if is_whole_file_skip(f, s)]
                if not any(map(is_transient, reasons)):
                    # Remembered until the file changes; a failure of the moment (a time or
                    # memory limit on a busy machine) is tried again by the next build.
                    unreadable[f.rel] = (digest, reasons)
            docs = []
            for d in loaded:
                if d.doc_id in seen_ids:  # only possible with crafted file names: keep the first
                    file_skips.append(SkippedFile(f"{f.rel} document {d.doc_id!r}",
                                                  f"id already used by {seen_ids[d.doc_id]}"))
                    continue
                seen_ids[d.doc_id] = f.rel
                docs.append(d)
            skipped.extend(file_skips)
            if not docs:
                continue
            passages = [p for d in docs for p in chunk_document(d, self.params)]
            results.append(FileResult(f, digest, docs, passages, None, st.st_size,
                                      st.st_mtime_ns, tuple(file_skips)))
            # A copy is "indexed once" only when this one was indexed: a copy that could not
            # be read (a .jsonl of a .txt's bytes, an empty file) had hidden the readable one.
            seen_hashes[digest] = f.rel
            # Counted against the index there now, also when its vectors are not reused (--full,
            # another model): it had said every file was added.
            before = listed.get(f.rel)
            if not before:
                added += 1
            elif before.get("sha256") == digest:
                unchanged += 1
            else:
                changed += 1
        removed = len(set(listed) - {r.file.rel for r in results})

        if not results:
            reasons = "; ".join(str(s) for s in skipped[:3]) or \
                "no supported files (.txt, .md, .jsonl, .html, .pdf, .docx)"
            raise BuildError(f"no readable document in {self.corpus_dir} ({reasons})")

        report = dict(documents=sum(len(r.documents) for r in results),
                      passages=sum(len(r.passages) for r in results), skipped=tuple(skipped),
                      index_dir=str(self.index_dir), model=self.model_name, unchanged=unchanged,
                      backend=self.backend, backend_reason=self.backend_reason)
        nothing_changed = (old is not None and added == 0 and changed == 0 and removed == 0
                           and not reread  # what was read again is written, with its versions
                           and old.manifest.get("format_version") == FORMAT_VERSION
                           and old.manifest.get("keyword") == keyword.settings()
                           and old.manifest.get("readers") == READERS_VERSION
                           and bool(old.manifest.get("sentence_vectors")) == self.with_sentences
                           and bool(old.manifest.get("word_vectors"))
                           and (not self.with_sentences
                                or old.manifest.get("sentence_pooling", SEPARATE)
                                == self._pooling())
                           and sorted(old.manifest.get("skipped", [])) == sorted(map(str, skipped))
                           and (self.annotate is None or self.annotate.current(old.manifest)))
        if nothing_changed:
            return BuildReport(**report, seconds=time.perf_counter() - self.t0)
        embedded = self._write_new(files, results, old, old_by_file, skipped, unreadable)
        report.update(backend=self.backend, backend_reason=self.backend_reason)  # may fall back
        return BuildReport(**report, seconds=time.perf_counter() - self.t0, added=added,
                           changed=changed, removed=removed, embedded=embedded)

    # --- writing ----------------------------------------------------------------------------

    def _model(self):
        """The model for the backend; a backend chosen by default falls back to torch when the
        model cannot be exported to ONNX (an architecture the exporter does not handle)."""
        from ..embedding import ModelError, get_embedder

        try:
            return get_embedder(self.model_arg, self.backend)
        except ModelError as e:
            if self.explicit_backend or self.backend == "torch":
                raise
            print(f"warning: {e}; using the torch backend instead", file=sys.stderr)
            return get_embedder(self.model_arg, "torch")

    def _write_new(self, files, results, old, old_by_file: OldByFile, skipped, unreadable) -> int:
        """Write the new index beside the old one, verify it and swap it in; the number of
        passages embedded."""
        # Vectors go straight into the new index's vectors.npy (a memory map), file by file in
        # final order: unchanged files copy their rows from the old index, identical passages
        # reuse theirs, the rest is encoded. No second copy of all vectors is ever held.
        tmp = storage.new_sibling(self.index_dir, "tmp")
        try:
            plan = plan_vectors(results, old, old_by_file)
            splan = plan_sentences(results, old, self._pooling()) if self.with_sentences \
                else None
            if (plan.encode_texts or (splan and len(splan.reuse) < len(splan.texts))) \
                    and self.embedder is None:
                self.embedder = self._model()
                if self.embedder.backend != self.backend:  # fell back: old vectors differ
                    self.backend = self.embedder.backend
                    self.backend_reason = "the model cannot be exported to ONNX"
                    plan = plan_vectors(results, None, {})
                    splan = plan_sentences(results, None, self._pooling()) if splan else None
            dim = int(self.embedder.dimension) if self.embedder is not None \
                else int(old.vectors.shape[1])
            n = sum(len(r.passages) for r in results)
            vectors = vector_file(tmp / VECTORS, n, dim)
            for dst, rows in plan.copies:
                vectors[dst] = old.vectors[rows]
            embedded = len(plan.encode_texts)
            if splan is not None and splan.sources is not None:
                # passages run again for their sentences alone count too: each is a run
                embedded = self._write_in_context(tmp, results, old, plan, splan, vectors)
            else:
                if plan.encode_texts:
                    encode_into(self.embedder, plan.encode_texts, plan.encode_rows, vectors,
                                self.progress, self.on_progress)
                if splan is not None:
                    self._write_sentences(tmp, old, splan)
            del plan, splan  # the texts to embed are a copy of every new passage
            vectors.flush()
            self._write(tmp, files, results, vectors, skipped, unreadable, old)
        except BaseException as e:
            if self.swapped:  # ``tmp`` now holds the previous index, which swap_in dealt with
                if isinstance(e, KeyboardInterrupt):  # not "the previous index is unchanged"
                    raise BuildError(f"interrupted after the new index was put in place in "
                                     f"{self.index_dir}; the previous one may remain beside it "
                                     f"as {self.index_dir.name}.tmp-*") from None
                if isinstance(e, OSError):
                    raise BuildError(f"the new index is in place in {self.index_dir}, but the "
                                     f"previous one could not be removed ({_write_error(e)}); "
                                     f"it may remain beside it as {self.index_dir.name}.tmp-*"
                                     ) from None
                raise
            storage.remove_ours(tmp)
            if isinstance(e, OSError):
                raise BuildError(f"cannot write the new index beside {self.index_dir} "
                                 f"({_write_error(e)}); the previous index is unchanged") from None
            raise
        return embedded

    def _pooling(self) -> str:
        """In context with the package's backends (one run gives a passage and its
        sentences); separately with a caller's embedder that cannot pool spans."""
        if self.embedder is not None:
            return IN_CONTEXT if hasattr(self.embedder, "encode_spans") else SEPARATE
        from ..embedding import BACKENDS

        return IN_CONTEXT if self.backend in BACKENDS else SEPARATE

    def _write_in_context(self, tmp: Path, results: list[FileResult], old: Index | None,
                          plan, splan, vectors: np.ndarray) -> int:
        """Passages and their sentences from one run of the model each: every passage that
        needs a vector, and every passage that is the first to hold a sentence that needs
        one. Unchanged ones keep theirs."""
        np.save(tmp / SENTENCES, splan.spans, allow_pickle=False)
        out = vector_file(tmp / SENTENCE_VECTORS, len(splan.texts), vectors.shape[1])
        wanted: dict[int, list[tuple[int, int, int]]] = {}  # passage row -> sentence jobs
        for i, (prow, a, b) in enumerate(splan.sources):
            hit = splan.reuse.get(i)
            if hit is not None:
                out[i] = old.sentence_vectors[hit]
            else:
                wanted.setdefault(prow, []).append((i, a, b))
        texts_of = dict(zip(plan.encode_rows, plan.encode_texts))
        encoded = set(texts_of)
        rows = sorted(encoded | set(wanted))
        if rows:
            missing = [r for r in rows if r not in texts_of]
            if missing:
                texts_of.update(_embedded_texts(results, missing))
            missed = encode_in_context_into(
                self.embedder, [texts_of[r] for r in rows], rows,
                [[(a, b) for _, a, b in wanted.get(r, ())] for r in rows],
                [[i for i, _, _ in wanted.get(r, ())] for r in rows], vectors,
                [r in encoded for r in rows],
                out, self.progress, self.on_progress)
            if missed:  # sentences past the model's window: their own text
                out[missed] = self.embedder.encode([splan.texts[i] for i in missed])
        out.flush()
        return len(rows)

    def _write_sentences(self, tmp: Path, old: Index | None, plan) -> None:
        """Vectors of every distinct sentence (its own text), for the search's sentence
        evidence. Unchanged sentences keep theirs."""
        np.save(tmp / SENTENCES, plan.spans, allow_pickle=False)
        out = vector_file(tmp / SENTENCE_VECTORS, len(plan.texts), int(self.embedder.dimension))
        need_rows, need_texts = [], []
        for i, t in enumerate(plan.texts):
            hit = plan.reuse.get(i)
            if hit is not None:
                out[i] = old.sentence_vectors[hit]
            else:
                need_rows.append(i)
                need_texts.append(t)
        if need_texts:
            encode_into(self.embedder, need_texts, need_rows, out, self.progress,
                        self.on_progress, desc="Embedding sentences")
        out.flush()

    def _write_words(self, tmp: Path, documents: list[Document], old: Index | None,
                     dim: int) -> None:
        """The documents' words and a vector of each, embedded alone (``nearwords``); words
        the previous index had keep their vectors."""
        words = document_words(f"{d.title}\n{d.text}" for d in documents)
        # (not across a change of backend: the model fell back to torch, ``_write_new``)
        reuse = old.words.by_word() if old is not None and old.words is not None \
            and old.backend == self.backend else {}
        if self.embedder is None:
            self.embedder = self._model()
        # The common English words' vectors, embedded once per model (tens of seconds, the
        # first time): the chat reads a question's common word from them, and the documents'
        # words that are common need not be run again.
        common = ensure_common_words(self.embedder, self.progress, self.on_progress) \
            if getattr(self.embedder, "backend", None) == self.backend else None
        if common is not None:
            reuse = {**common.vectors_of(w for w in words if w not in reuse), **reuse}
        out = np.zeros((len(words), dim), dtype=np.float32)
        need = []
        for i, w in enumerate(words):
            known = reuse.get(w)
            if known is None:
                need.append(i)
            else:
                out[i] = known
        if need:
            encode_into(self.embedder, [words[i] for i in need], need, out, self.progress,
                        self.on_progress, desc="Embedding words")
        np.save(tmp / WORD_VECTORS, normalised(out).astype(np.float16), allow_pickle=False)
        storage.write_json(tmp / WORDS, words)

    def _write(self, tmp: Path, files: list[CorpusFile], results: list[FileResult],
               vectors: np.ndarray, skipped: list[SkippedFile],
               unreadable: dict[str, tuple[str, list[str]]], old: Index | None) -> None:
        documents: list[Document] = [d for r in results for d in r.documents]
        passages: list[Passage] = []
        pid = 0
        for r in results:
            for p in r.passages:
                passages.append(Passage(pid, p.doc_id, p.section, p.start, p.end, p.text,
                                        p.sentences))
                pid += 1
        storage.write_jsonl(tmp / DOCUMENTS, (doc_to_row(d) for d in documents))
        storage.write_jsonl(tmp / PASSAGES, (passage_to_row(p) for p in passages))
        dense_cfg, dense = ann.write_dense(vectors, tmp / DENSE, self.ann_threshold)
        if self.annotate is None:  # kept only to measure the new index with (below)
            dense = None
        titles = {d.doc_id: d.title for d in documents}
        kw = KeywordIndex.build(tokenize(f"{titles[p.doc_id]} {p.section} {p.text}")
                                for p in passages)
        (tmp / KEYWORD_DIR).mkdir()
        kw.save(tmp / KEYWORD_DIR)
        doc_kw = KeywordIndex.build(tokenize(f"{d.title} {d.text}") for d in documents)
        (tmp / DOC_KEYWORD_DIR).mkdir()
        doc_kw.save(tmp / DOC_KEYWORD_DIR)
        self._write_words(tmp, documents, old, int(vectors.shape[1]))
        manifest = {
            "format_version": FORMAT_VERSION,
            "build_id": uuid.uuid4().hex,
            "built_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "model": {"name": self.model_name, "dimension": int(vectors.shape[1]),
                      "backend": self.backend},
            "chunking": self.params.to_dict(),
            "embed_format": EMBED_FORMAT_VERSION,
            "keyword": keyword.settings(),
            "dense": dense_cfg,
            "sentence_vectors": (tmp / SENTENCE_VECTORS).exists(),
            "sentence_pooling": self._pooling() if (tmp / SENTENCE_VECTORS).exists() else None,
            "word_vectors": True,
            "counts": {"documents": len(documents), "passages": len(passages)},
            "files": {r.file.rel: {"sha256": r.sha256, "size": r.size, "mtime_ns": r.mtime_ns,
                                   "documents": len(r.documents), "passages": len(r.passages),
                                   **({"skipped_parts": [{"path": s.path, "reason": s.reason}
                                                         for s in r.skipped_parts]}
                                      if r.skipped_parts else {})}
                      for r in results},
            "skipped": [str(s) for s in skipped],
            "skipped_files": _unindexed_stats(files, {r.file.rel for r in results}, unreadable),
            "readers": READERS_VERSION,
            "libraries": library_versions(),
            "build_seconds": round(time.perf_counter() - self.t0, 3),
            "checksums": checksums(tmp),
        }
        if self.annotate is not None:  # measured on the new index, before it is swapped in
            if self.embedder is None:
                self.embedder = self._model()
            # A model that fell back to torch: its scores would not be the index's backend's;
            # answers measure their own then.
            if (getattr(self.embedder, "backend", None) or self.backend) == self.backend:
                try:
                    new = assemble(tmp, manifest, {d.doc_id: d for d in documents}, passages,
                                   dense=dense, keyword=kw, doc_keyword=doc_kw, mapped=True)
                except IndexLoadError as e:
                    # Said as what it is: the new index, not one to rebuild by hand (its hint
                    # named the build's own temporary folder).
                    raise BuildError("read-back check failed: the new index does not load "
                                     f"({e.reason or e}); the previous index "
                                     "is kept") from None
                manifest[self.annotate.key] = self.annotate(new, self.embedder)
                del new
        del dense, kw, doc_kw
        storage.write_json(tmp / MANIFEST, manifest)
        storage.fsync_tree(tmp)
        _read_back(tmp, len(documents), len(passages))  # never swap in what we cannot read back
        _refuse_files_put_in_meanwhile(self.index_dir)
        # (and should one land between that look and the swap, the old index's folder is kept)
        storage.swap_in(tmp, self.index_dir, holds_others=lambda f: bool(foreign_files(f)),
                        on_swapped=lambda: setattr(self, "swapped", True))


def _unindexed_stats(files: list[CorpusFile], indexed: set[str],
                     unreadable: dict[str, tuple[str, list[str]]]) -> dict:
    """Size and mtime of corpus files that gave no document, so a staleness check notices
    when one of them is fixed; for files no reader could read, their hash and reasons, so that
    the next build skips them again without reading them (an 80,000-page scan costs seconds
    every time)."""
    out = {}
    for f in files:
        if f.rel in indexed:
            continue
        try:
            st = f.path.stat()
        except OSError:
            continue
        out[f.rel] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
        if f.rel in unreadable:
            digest, reasons = unreadable[f.rel]
            out[f.rel].update(sha256=digest, reasons=reasons)
    return out


def _read_back(path: Path, n_docs: int, n_passages: int) -> None:
    """What ``load`` checks, without building a second copy of the documents in memory: the
    manifest, every checksum, the record counts, the vector shape and the keyword indexes."""
    manifest = read_manifest(path)
    verify(path, manifest)
    for name, expected in ((DOCUMENTS, n_docs), (PASSAGES, n_passages)):
        with open(path / name, "rb") as f:
            if sum(1 for _ in f) != expected:
                raise BuildError(f"read-back check failed: {name} does not hold {expected} rows")
    vectors = np.load(path / VECTORS, mmap_mode="r", allow_pickle=False)
    if vectors.shape[0] != n_passages:
        raise BuildError(f"read-back check failed: {VECTORS} has the wrong number of rows")
    if KeywordIndex.load(path / KEYWORD_DIR).size != n_passages or \
            KeywordIndex.load(path / DOC_KEYWORD_DIR).size != n_docs:
        raise BuildError("read-back check failed: a keyword index has the wrong size")
    if manifest.get("word_vectors"):
        try:
            read_words(path)
        except (OSError, ValueError) as e:
            raise BuildError(f"read-back check failed: {e}") from None


def _write_error(e: OSError) -> str:
    import errno

    # numpy reports a short write ("N requested and M written") without an errno.
    if e.errno in (errno.ENOSPC, errno.EDQUOT) or "requested and" in str(e):
        return "No space left on device: free some space and rebuild"
    return f"{e.strerror or e}" + (f": {e.filename}" if e.filename else "")


def _embedded_texts(results: list[FileResult], rows: list[int]) -> dict[int, str]:
    """What the model reads for the passages at ``rows`` of the new index."""
    wanted, out, row = set(rows), {}, 0
    for r in results:
        titles = {d.doc_id: d.title for d in r.documents}
        for i, p in enumerate(r.passages):
            if row + i in wanted:
                out[row + i] = embed_text(titles[p.doc_id], p.section, p.text)
        row += len(r.passages)
    return out
