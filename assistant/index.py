"""The index folder: build, save, load and verify.

Layout (all JSON or raw arrays; nothing is pickled):

    index/
      manifest.json     format, model, dimension, chunking, corpus file hashes, checksums
      documents.jsonl   doc_id, title, source, metadata, sections, text (offsets refer to it)
      passages.jsonl    pid, doc_id, section, start, end, sentence spans (text = doc.text[start:end])
      vectors.npy       one normalised float32 row per passage, in passages.jsonl order
      dense.faiss       only above ANN_THRESHOLD passages: an approximate (IVF) inner-product
                        index over those rows, ids = rows; below it search is exact (numpy)
      keyword/          the BM25 index of passages as bm25s saves it (JSON + .npy)
      keyword_docs/     the BM25 index of whole documents (title + text), in documents.jsonl order
      sentences.npy,    only with sentence vectors: (document position, start, end) of every
      sentence_vectors.npy  distinct sentence, sorted by document, and its vector

A build writes a sibling ``index.tmp-*`` folder, verifies it, and swaps it in atomically, so an
interrupted or failed build leaves the previous index untouched.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata as _pkg
from pathlib import Path

import numpy as np

from . import storage
from .chunking import ChunkParams, chunk_document
from .keyword import PARAMS as KEYWORD_PARAMS
from .keyword import KeywordIndex, tokenize
from .loading import READERS_VERSION, CorpusFile, discover, is_whole_file_skip, load_file
from .types import BuildReport, Document, Passage, Section, SkippedFile

FORMAT_VERSION = 2  # 2: keyword_docs/
MANIFEST = "manifest.json"
DATA_FILES = ("documents.jsonl", "passages.jsonl", "vectors.npy")
# Above this many passages, dense search goes through an approximate FAISS IVF index; below,
# an exact scan of the vectors is fast enough (benchmarks/scale.py: ~10 ms at 100k passages
# on 2 cores) and needs no second copy of them.
ANN_THRESHOLD = 200_000
KEYWORD_DIR = "keyword"
DOC_KEYWORD_DIR = "keyword_docs"


class IndexLoadError(RuntimeError):
    """The index folder is missing, damaged, or was built differently (message says how to fix)."""


class BuildError(RuntimeError):
    """A build cannot proceed (message is one line for the user)."""


class BuildLocked(BuildError):
    """Another build of the same index is running."""


def is_index_folder(folder: Path) -> bool:
    """Whether ``folder`` provably holds a Verbatim index (or a temporary build of one): it has
    the marker file, or (indexes from before the marker) a manifest this program wrote."""
    import json

    if storage.is_marked(folder):
        return True
    try:
        m = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(m, dict) and {"format_version", "build_id", "checksums"} <= set(m)


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


def rebuild_hint(index_dir: Path) -> str:
    return f"rebuild it with: python build_index.py --index {index_dir} --full"


def embed_text(title: str, section: str, text: str) -> str:
    """What the model reads for a passage: its title and heading give short passages context."""
    head = " — ".join(x for x in (title.strip(), section.strip()) if x)
    return f"{head}\n{text}" if head else text


# --- the loaded index -------------------------------------------------------------------

@dataclass
class Index:
    path: Path
    manifest: dict
    documents: dict[str, Document]
    passages: list[Passage]
    vectors: np.ndarray  # rows aligned with ``passages``
    dense: object | None  # faiss index above ANN_THRESHOLD; None: exact search on ``vectors``
    keyword: KeywordIndex
    doc_keyword: KeywordIndex  # one row per document, in ``documents`` order
    sentence_spans: np.ndarray | None = None  # (document position, start, end), by document
    sentence_vectors: np.ndarray | None = None
    row_of: dict[int, int] = field(default_factory=dict)
    doc_pos: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __post_init__(self):
        self.row_of = {p.pid: i for i, p in enumerate(self.passages)}
        position = {d: i for i, d in enumerate(self.documents)}
        # passage row -> document position, for document-level scores
        self.doc_pos = np.fromiter((position[p.doc_id] for p in self.passages), dtype=np.int64,
                                   count=len(self.passages))
        self.doc_sentence_starts = None
        if self.sentence_spans is not None:
            # sentence rows of document d: doc_sentence_starts[d]:doc_sentence_starts[d + 1]
            self.doc_sentence_starts = np.searchsorted(self.sentence_spans[:, 0],
                                                       np.arange(len(self.documents) + 1))

    @property
    def model(self) -> str:
        return self.manifest["model"]["name"]

    @property
    def backend(self) -> str:
        """The embedding backend the index was built with; queries must use the same one."""
        return backend_of(self.manifest)

    @property
    def build_id(self) -> str:
        return self.manifest.get("build_id", "")


def _doc_to_row(d: Document) -> dict:
    return {"doc_id": d.doc_id, "title": d.title, "source": d.source, "metadata": d.metadata,
            "sections": [[s.heading, s.start, s.end] for s in d.sections],
            "pages": list(d.pages), "text": d.text}


def _row_to_doc(r: dict) -> Document:
    return Document(doc_id=r["doc_id"], title=r["title"], text=r["text"], source=r.get("source", ""),
                    sections=tuple(Section(h, s, e) for h, s, e in r["sections"]),
                    metadata=r.get("metadata") or {}, pages=tuple(r.get("pages") or ()))


def _passage_to_row(p: Passage) -> dict:
    return {"pid": p.pid, "doc_id": p.doc_id, "section": p.section, "start": p.start,
            "end": p.end, "sentences": [list(s) for s in p.sentences]}


def _row_to_passage(r: dict, docs: dict[str, Document]) -> Passage:
    text = docs[r["doc_id"]].text[r["start"]:r["end"]]
    return Passage(pid=r["pid"], doc_id=r["doc_id"], section=r["section"], start=r["start"],
                   end=r["end"], text=text, sentences=tuple(tuple(s) for s in r["sentences"]))


def read_manifest(index_dir: str | os.PathLike) -> dict:
    import json

    index_dir = Path(index_dir)
    storage.recover(index_dir, is_index_folder)
    path = index_dir / MANIFEST
    if not index_dir.is_dir():
        raise IndexLoadError(f"no index at {index_dir}/; build one with: python build_index.py "
                          f"--index {index_dir}")
    if not path.is_file():
        raise IndexLoadError(f"{path} is missing; {rebuild_hint(index_dir)}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise IndexLoadError(f"{path} is unreadable ({e}); {rebuild_hint(index_dir)}") from None
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise IndexLoadError(
            f"{index_dir}/ has index format {version!r}, this version of Verbatim reads format "
            f"{FORMAT_VERSION}; {rebuild_hint(index_dir)}")
    return manifest


def verify(index_dir: Path, manifest: dict) -> None:
    """Check every file against the manifest's checksums; name the first one that differs."""
    for name, expected in sorted(manifest.get("checksums", {}).items()):
        path = index_dir / name
        if not path.is_file():
            raise IndexLoadError(f"{path} is missing; {rebuild_hint(index_dir)}")
        if storage.sha256_file(path) != expected:
            raise IndexLoadError(f"{path} is damaged (checksum mismatch: truncated or altered); "
                              f"{rebuild_hint(index_dir)}")


def load(index_dir: str | os.PathLike, *, model: str | None = None, check: bool = True) -> Index:
    import faiss

    from .embedding import canonical_name

    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    built_with = manifest["model"]["name"]
    if model is not None and canonical_name(model) != built_with:
        raise IndexLoadError(
            f"{index_dir}/ was built with model {built_with!r}, not {canonical_name(model)!r}; "
            f"rebuild it with: python build_index.py --index {index_dir} --model {model} --full")
    if check:
        verify(index_dir, manifest)
    try:
        documents = {}
        for row in storage.read_jsonl(index_dir / "documents.jsonl"):
            d = _row_to_doc(row)
            documents[d.doc_id] = d
        passages = [_row_to_passage(r, documents)
                    for r in storage.read_jsonl(index_dir / "passages.jsonl")]
        # Large indexes are memory-mapped (pages come in as searches touch them, and processes
        # serving the same index share them); small ones are read into memory, where the exact
        # scan runs ~5x faster than over a map (benchmarks/backends.py, SciFact).
        big = manifest.get("counts", {}).get("passages", 0) >= ANN_THRESHOLD
        vectors = np.load(index_dir / "vectors.npy", allow_pickle=False,
                          mmap_mode="r" if big else None)
        dense_cfg = manifest.get("dense") or {"kind": "flat"}
        dense = None
        if dense_cfg["kind"] == "ivf":
            dense = faiss.read_index(str(index_dir / "dense.faiss"))
            dense.nprobe = int(dense_cfg["nprobe"])
        keyword = KeywordIndex.load(index_dir / KEYWORD_DIR)
        doc_keyword = KeywordIndex.load(index_dir / DOC_KEYWORD_DIR)
        spans = svecs = None
        if manifest.get("sentence_vectors"):
            spans = np.load(index_dir / "sentences.npy", allow_pickle=False)
            svecs = np.load(index_dir / "sentence_vectors.npy", allow_pickle=False)
    except IndexLoadError:
        raise
    except Exception as e:  # a damaged file can fail in many ways; name the folder and the fix
        raise IndexLoadError(f"cannot read the index in {index_dir}/ ({type(e).__name__}: {e}); "
                          f"{rebuild_hint(index_dir)}") from None
    if not (len(passages) == vectors.shape[0] == keyword.size) \
            or (dense is not None and dense.ntotal != len(passages)) \
            or doc_keyword.size != len(documents):
        raise IndexLoadError(f"{index_dir}/ is inconsistent (passage counts differ between files); "
                          f"{rebuild_hint(index_dir)}")
    if vectors.shape[1] != manifest["model"]["dimension"]:
        raise IndexLoadError(f"{index_dir}/vectors.npy has dimension {vectors.shape[1]}, manifest "
                          f"says {manifest['model']['dimension']}; {rebuild_hint(index_dir)}")
    if spans is not None and (len(spans) != len(svecs)
                              or np.unique(spans[:, 0]).size != len(documents)):
        raise IndexLoadError(f"{index_dir}/ is inconsistent (sentence files); "
                             f"{rebuild_hint(index_dir)}")
    return Index(index_dir, manifest, documents, passages, vectors, dense, keyword, doc_keyword,
                 spans, svecs)


# --- building ---------------------------------------------------------------------------

# The libraries that read corpus files: a remembered skip is only trusted while they and the
# readers (loading.READERS_VERSION) are the same.
READER_LIBRARIES = ("trafilatura", "lxml", "pypdf", "python-docx")


def _remembered_skips(manifest: dict | None) -> dict[str, dict]:
    """rel -> {"sha256", "reasons"} of files the previous build could not read at all."""
    if not manifest or manifest.get("readers") != READERS_VERSION:
        return {}
    libs, now = manifest.get("libraries", {}), _library_versions()
    if any(libs.get(n) != now.get(n) for n in READER_LIBRARIES):
        return {}
    return {rel: e for rel, e in manifest.get("skipped_files", {}).items()
            if "sha256" in e and e.get("reasons")}


def _library_versions() -> dict:
    out = {}
    for name in ("faiss-cpu", "bm25s", "sentence-transformers", "torch", "onnxruntime",
                 "sentencex", "PyStemmer") + READER_LIBRARIES:
        try:
            out[name] = _pkg.version(name)
        except _pkg.PackageNotFoundError:
            pass
    return out


def _passage_key(embedded: str) -> str:
    return hashlib.sha1(embedded.encode("utf-8")).hexdigest()


@dataclass
class _FileResult:
    file: CorpusFile
    sha256: str
    documents: list[Document]
    passages: list[Passage]  # pids are provisional; renumbered when the index is assembled
    old_rows: list[int] | None  # rows of an unchanged file's passages in the old index
    size: int = 0
    mtime_ns: int = 0


def is_stale(corpus_dir: str | os.PathLike, index_dir: str | os.PathLike,
             backend: str | None = None) -> bool:
    """Whether the corpus differs from what the index was built from (or, when ``backend`` is
    given, the index was embedded with another backend).

    Files whose size and modification time match the manifest are trusted without hashing,
    so the check costs one ``stat`` per file.
    """
    try:
        manifest = read_manifest(index_dir)
    except IndexLoadError:
        return True
    if backend is not None and backend_of(manifest) != backend:
        return True
    if manifest.get("keyword") != KEYWORD_PARAMS:  # keyword indexes built with other settings
        return True
    files, _ = discover(corpus_dir)
    known = {**manifest.get("skipped_files", {}), **manifest.get("files", {})}
    if {f.rel for f in files} != set(known):
        return True
    for f in files:
        entry = known[f.rel]
        try:
            st = f.path.stat()
        except OSError:
            return True
        if st.st_size == entry.get("size") and st.st_mtime_ns == entry.get("mtime_ns"):
            continue
        if "sha256" not in entry or storage.sha256_file(f.path) != entry["sha256"]:
            return True
    return False


def build(corpus_dir: str | os.PathLike = "corpus", index_dir: str | os.PathLike = "index",
          model: str | None = None, *, full: bool = False, params: ChunkParams | None = None,
          progress: bool = False, embedder=None, backend: str | None = None,
          on_progress: Callable[[str, float], None] | None = None,
          ann_threshold: int = ANN_THRESHOLD,
          sentence_vectors: bool | None = None) -> BuildReport:
    """Build or update the index; see ``assistant.build_index`` for the public contract."""
    from filelock import FileLock, Timeout

    from .embedding import canonical_name, check_backend

    if embedder is not None:  # a caller's own embedder (tests, benchmarks) names its backend
        backend = getattr(embedder, "backend", backend) or "custom"
    else:
        try:
            backend = check_backend(backend) if backend is not None else None
        except ValueError as e:
            raise BuildError(str(e)) from None

    t0 = time.perf_counter()
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    params = params or ChunkParams()
    if not corpus_dir.is_dir():
        raise BuildError(f"corpus folder not found: {corpus_dir}")
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
        storage.remove_leftovers(index_dir, is_index_folder)
        explicit = backend is not None
        try:
            current = read_manifest(index_dir)
        except IndexLoadError:
            current = None
        if backend is None:  # keep what the index was built with; a change means re-embedding
            backend = backend_of(current) if current else check_backend(None)
        if sentence_vectors is None:  # keep what the index has
            sentence_vectors = bool(current and current.get("sentence_vectors"))
        return _build_locked(corpus_dir, index_dir, canonical_name(model), model, backend, full,
                             params, progress, embedder, on_progress, t0, explicit,
                             ann_threshold, bool(sentence_vectors))
    finally:
        lock.release()


def backend_of(manifest: dict) -> str:
    """The embedding backend recorded in a manifest (indexes from before backends: torch)."""
    return manifest["model"].get("backend", "torch")


def _previous(index_dir: Path, model_name: str, backend: str, params: ChunkParams,
              full: bool) -> Index | None:
    """The current index if it can be reused for an incremental build."""
    if full or not index_dir.exists():
        return None
    try:
        old = load(index_dir, check=True)
    except IndexLoadError:
        return None  # damaged or another format: rebuild everything
    if old.model != model_name or old.backend != backend \
            or old.manifest.get("chunking") != params.to_dict() \
            or old.manifest.get("embed_format") != _EMBED_FORMAT:
        return None
    return old


_EMBED_FORMAT = "title — section\\ntext"


def _build_locked(corpus_dir, index_dir, model_name, model_arg, backend, full, params, progress,
                  embedder, on_progress, t0, explicit_backend=True,
                  ann_threshold=ANN_THRESHOLD, with_sentences=False) -> BuildReport:
    files, skipped = discover(corpus_dir)
    skipped = list(skipped)
    old = _previous(index_dir, model_name, backend, params, full)
    old_files = old.manifest.get("files", {}) if old else {}

    # Group the old index's content by source file, for reuse.
    old_by_file: dict[str, tuple[list[Document], list[Passage], list[int]]] = {}
    if old:
        for d in old.documents.values():
            old_by_file.setdefault(d.source, ([], [], []))[0].append(d)
        for row, p in enumerate(old.passages):
            src = old.documents[p.doc_id].source
            old_by_file[src][1].append(p)
            old_by_file[src][2].append(row)

    try:
        remembered = {} if full else _remembered_skips(read_manifest(index_dir))
    except IndexLoadError:
        remembered = {}
    unreadable: dict[str, tuple[str, list[str]]] = {}  # rel -> (sha256, reasons)

    results: list[_FileResult] = []
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
            skipped.append(SkippedFile(f.rel, f"same content as {seen_hashes[digest]}; indexed once"))
            continue
        seen_hashes[digest] = f.rel
        prev = old_files.get(f.rel)
        if prev and prev.get("sha256") == digest and f.rel in old_by_file:
            docs, ps, rows = old_by_file[f.rel]
            if not any(d.doc_id in seen_ids for d in docs):
                seen_ids.update((d.doc_id, f.rel) for d in docs)
                results.append(_FileResult(f, digest, docs, ps, list(rows), st.st_size,
                                           st.st_mtime_ns))
                unchanged += 1
                continue
        known_bad = remembered.get(f.rel)
        if known_bad and known_bad["sha256"] == digest:  # unchanged since it failed: no re-read
            skipped.extend(SkippedFile(f.rel, r) for r in known_bad["reasons"])
            unreadable[f.rel] = (digest, list(known_bad["reasons"]))
            continue
        file_skips: list[SkippedFile] = []
        loaded = list(load_file(f, file_skips.append))
        if any(is_whole_file_skip(f, s) for s in file_skips):
            loaded = []  # failed part-way: none of it, rather than an arbitrary part
            unreadable[f.rel] = (digest, [s.reason for s in file_skips
                                          if is_whole_file_skip(f, s)])
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
        passages = [p for d in docs for p in chunk_document(d, params)]
        results.append(_FileResult(f, digest, docs, passages, None, st.st_size, st.st_mtime_ns))
        if prev:
            changed += 1
        else:
            added += 1
    removed = len(set(old_files) - {r.file.rel for r in results})

    if not results:
        reasons = "; ".join(str(s) for s in skipped[:3]) or "no supported files (.txt, .md, .jsonl, .html, .pdf, .docx)"
        raise BuildError(f"no readable document in {corpus_dir} ({reasons})")

    nothing_changed = (old is not None and added == 0 and changed == 0 and removed == 0
                       and old.manifest.get("keyword") == KEYWORD_PARAMS
                       and old.manifest.get("readers") == READERS_VERSION
                       and bool(old.manifest.get("sentence_vectors")) == with_sentences
                       and sorted(old.manifest.get("skipped", [])) == sorted(map(str, skipped)))
    if nothing_changed:
        n_docs = sum(len(r.documents) for r in results)
        return BuildReport(documents=n_docs, passages=sum(len(r.passages) for r in results),
                           skipped=tuple(skipped), seconds=time.perf_counter() - t0,
                           index_dir=str(index_dir), model=model_name, unchanged=unchanged,
                           backend=backend)

    # Vectors go straight into the new index's vectors.npy (a memory map), file by file in
    # final order: unchanged files copy their rows from the old index, identical passages
    # reuse theirs, the rest is encoded. No second copy of all vectors is ever held.
    tmp = storage.new_sibling(index_dir, "tmp")
    try:
        copies, need_rows, need_texts = _plan(results, old, old_by_file)
        if need_texts and embedder is None:
            embedder = _embedder(model_arg, backend, explicit_backend)
            if embedder.backend != backend:  # fell back: old vectors are another backend's
                backend = embedder.backend
                copies, need_rows, need_texts = _plan(results, None, {})
        dim = int(embedder.dimension) if need_texts else int(old.vectors.shape[1])
        n = sum(len(r.passages) for r in results)
        vectors = _vector_file(tmp / "vectors.npy", n, dim)
        for dst, rows in copies:
            vectors[dst] = old.vectors[rows]
        embedded = len(need_texts)
        if need_texts:
            _encode(embedder, need_texts, need_rows, vectors, progress, on_progress)
        del need_texts, need_rows, copies  # the texts to embed are a copy of every new passage
        vectors.flush()
        if with_sentences:
            if embedder is None:
                embedder = _embedder(model_arg, backend, True)
            _write_sentences(tmp, results, old, embedder, progress, on_progress)
        _write(tmp, files, index_dir, results, vectors, skipped, model_name, backend, params,
               t0, ann_threshold, unreadable)
    except BaseException as e:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(e, OSError):
            raise BuildError(f"cannot write the new index beside {index_dir} "
                             f"({_write_error(e)}); the previous index is unchanged") from None
        raise
    n_docs = sum(len(r.documents) for r in results)
    return BuildReport(documents=n_docs, passages=n, skipped=tuple(skipped),
                       seconds=time.perf_counter() - t0, index_dir=str(index_dir),
                       model=model_name, added=added, changed=changed, removed=removed,
                       unchanged=unchanged, embedded=embedded, backend=backend)


def _vector_file(path: Path, n: int, dim: int) -> np.ndarray:
    """A writable memory map for the vectors, with its disk space reserved up front: writing
    to a mapped page on a full disk kills the process (SIGBUS) instead of raising."""
    vectors = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(n, dim))
    with open(path, "r+b") as f:
        os.posix_fallocate(f.fileno(), 0, os.fstat(f.fileno()).st_size)
    return vectors


def _write_sentences(tmp: Path, results: list[_FileResult], old: Index | None, embedder,
                     progress: bool, on_progress) -> None:
    """Vectors of every distinct sentence (its own text), for the search's sentence evidence.
    Unchanged sentences keep theirs."""
    spans: list[tuple[int, int, int]] = []
    texts: list[str] = []
    pos = 0
    for r in results:
        by_doc: dict[str, list[Passage]] = {}
        for p in r.passages:
            by_doc.setdefault(p.doc_id, []).append(p)
        for d in r.documents:
            seen: set[tuple[int, int]] = set()
            for p in by_doc.get(d.doc_id, ()):
                for a, b in p.sentences:
                    if (a, b) not in seen:
                        seen.add((a, b))
                        spans.append((pos, a, b))
                        texts.append(d.text[a:b])
            pos += 1
    reuse: dict[str, int] = {}
    if old is not None and old.sentence_vectors is not None:
        docs = list(old.documents.values())
        for row, (dp, a, b) in enumerate(old.sentence_spans):
            reuse[_passage_key(docs[dp].text[a:b])] = row
    arr = np.asarray(spans, dtype=np.int64).reshape(-1, 3)
    order = np.lexsort((arr[:, 1], arr[:, 0]))  # by document, then position
    arr = arr[order]
    texts = [texts[i] for i in order]
    np.save(tmp / "sentences.npy", arr, allow_pickle=False)
    out = _vector_file(tmp / "sentence_vectors.npy", len(texts), int(embedder.dimension))
    need_rows, need_texts = [], []
    for i, t in enumerate(texts):
        hit = reuse.get(_passage_key(t))
        if hit is not None:
            out[i] = old.sentence_vectors[hit]
        else:
            need_rows.append(i)
            need_texts.append(t)
    if need_texts:
        _encode(embedder, need_texts, need_rows, out, progress, on_progress,
                desc="Embedding sentences")
    out.flush()


def _plan(results: list[_FileResult], old: Index | None, old_by_file: dict
          ) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[int], list[str]]:
    """Where each new row's vector comes from: ``copies`` (new rows, old rows) and the rows
    and texts to encode."""
    reuse: dict[str, int] = {}
    if old is not None:
        for d_list, p_list, rows in old_by_file.values():
            titles = {d.doc_id: d.title for d in d_list}
            for p, row in zip(p_list, rows):
                reuse[_passage_key(embed_text(titles[p.doc_id], p.section, p.text))] = row
    dst_rows: list[int] = []
    src_rows: list[int] = []
    need_rows: list[int] = []
    need_texts: list[str] = []
    row = 0
    for r in results:
        if old is not None and r.old_rows is not None:
            dst_rows.extend(range(row, row + len(r.old_rows)))
            src_rows.extend(r.old_rows)
        else:
            titles = {d.doc_id: d.title for d in r.documents}
            for i, p in enumerate(r.passages):
                text = embed_text(titles[p.doc_id], p.section, p.text)
                hit = reuse.get(_passage_key(text))
                if hit is not None:
                    dst_rows.append(row + i)
                    src_rows.append(hit)
                else:
                    need_rows.append(row + i)
                    need_texts.append(text)
        row += len(r.passages)
    copies = []
    for i in range(0, len(dst_rows), 65536):  # bounded temporary copies
        copies.append((np.asarray(dst_rows[i:i + 65536]), np.asarray(src_rows[i:i + 65536])))
    return copies, need_rows, need_texts


def _embedder(model_arg, backend: str, explicit: bool):
    """The model for ``backend``; a backend chosen by default falls back to torch when the
    model cannot be exported to ONNX (an architecture the exporter does not handle)."""
    import sys

    from .embedding import ModelError, get_embedder

    try:
        return get_embedder(model_arg, backend)
    except ModelError as e:
        if explicit or backend == "torch":
            raise
        print(f"warning: {e}; using the torch backend instead", file=sys.stderr)
        return get_embedder(model_arg, "torch")


def _encode(embedder, texts: list[str], rows: list[int], out: np.ndarray, progress: bool,
            on_progress: Callable[[str, float], None] | None, batch: int = 256,
            desc: str = "Embedding passages") -> None:
    """Encode ``texts`` into ``out[rows]`` in slices, so a progress bar (terminal, with an
    ETA) or a callback (web page) can follow and memory stays bounded."""
    from tqdm.auto import tqdm

    bar = tqdm(total=len(texts), desc=desc, unit="text", disable=not progress,
               dynamic_ncols=True)
    try:
        for i in range(0, len(texts), batch):
            out[rows[i:i + batch]] = embedder.encode(texts[i:i + batch])
            bar.update(len(texts[i:i + batch]))
            if on_progress:
                on_progress(desc, min(1.0, (i + batch) / len(texts)))
    finally:
        bar.close()


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


def _write(tmp: Path, files: list[CorpusFile], index_dir: Path, results: list[_FileResult],
           vectors: np.ndarray, skipped: list[SkippedFile], model_name: str, backend: str,
           params: ChunkParams, t0: float, ann_threshold: int,
           unreadable: dict[str, tuple[str, list[str]]]) -> None:
    import uuid

    documents: list[Document] = [d for r in results for d in r.documents]
    passages: list[Passage] = []
    pid = 0
    for r in results:
        for p in r.passages:
            passages.append(Passage(pid, p.doc_id, p.section, p.start, p.end, p.text,
                                    p.sentences))
            pid += 1
    storage.write_jsonl(tmp / "documents.jsonl", (_doc_to_row(d) for d in documents))
    storage.write_jsonl(tmp / "passages.jsonl", (_passage_to_row(p) for p in passages))
    dense_cfg: dict = {"kind": "flat"}
    if len(passages) >= ann_threshold:
        dense_cfg = _write_ivf(vectors, tmp / "dense.faiss")
    titles = {d.doc_id: d.title for d in documents}
    kw = KeywordIndex.build(tokenize(f"{titles[p.doc_id]} {p.section} {p.text}")
                            for p in passages)
    (tmp / KEYWORD_DIR).mkdir()
    kw.save(tmp / KEYWORD_DIR)
    del kw
    doc_kw = KeywordIndex.build(tokenize(f"{d.title} {d.text}") for d in documents)
    (tmp / DOC_KEYWORD_DIR).mkdir()
    doc_kw.save(tmp / DOC_KEYWORD_DIR)
    del doc_kw
    checksums = {}
    for path in sorted(tmp.rglob("*")):
        if path.is_file():
            checksums[path.relative_to(tmp).as_posix()] = storage.sha256_file(path)
    manifest = {
        "format_version": FORMAT_VERSION,
        "build_id": uuid.uuid4().hex,
        "built_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "model": {"name": model_name, "dimension": int(vectors.shape[1]), "backend": backend},
        "chunking": params.to_dict(),
        "embed_format": _EMBED_FORMAT,
        "keyword": KEYWORD_PARAMS,
        "dense": dense_cfg,
        "sentence_vectors": (tmp / "sentence_vectors.npy").exists(),
        "counts": {"documents": len(documents), "passages": len(passages)},
        "files": {r.file.rel: {"sha256": r.sha256, "size": r.size, "mtime_ns": r.mtime_ns,
                               "documents": len(r.documents), "passages": len(r.passages)}
                  for r in results},
        "skipped": [str(s) for s in skipped],
        "skipped_files": _unindexed_stats(files, {r.file.rel for r in results}, unreadable),
        "readers": READERS_VERSION,
        "libraries": _library_versions(),
        "build_seconds": round(time.perf_counter() - t0, 3),
        "checksums": checksums,
    }
    storage.write_json(tmp / MANIFEST, manifest)
    storage.fsync_tree(tmp)
    _read_back(tmp, len(documents), len(passages))  # never swap in what we cannot read back
    storage.swap_in(tmp, index_dir)


def _read_back(path: Path, n_docs: int, n_passages: int) -> None:
    """What ``load`` checks, without building a second copy of the documents in memory: the
    manifest, every checksum, the record counts, the vector shape and the keyword indexes."""
    manifest = read_manifest(path)
    verify(path, manifest)
    for name, expected in (("documents.jsonl", n_docs), ("passages.jsonl", n_passages)):
        with open(path / name, "rb") as f:
            if sum(1 for _ in f) != expected:
                raise BuildError(f"read-back check failed: {name} does not hold {expected} rows")
    vectors = np.load(path / "vectors.npy", mmap_mode="r", allow_pickle=False)
    if vectors.shape[0] != n_passages:
        raise BuildError("read-back check failed: vectors.npy has the wrong number of rows")
    if KeywordIndex.load(path / KEYWORD_DIR).size != n_passages or \
            KeywordIndex.load(path / DOC_KEYWORD_DIR).size != n_docs:
        raise BuildError("read-back check failed: a keyword index has the wrong size")


def ivf_params(n: int) -> tuple[int, int]:
    """(nlist, nprobe) for ``n`` vectors: ~4 sqrt(n) lists, and enough probes for recall@10
    >= 0.95 against exact search (measured in benchmarks/scale.py)."""
    nlist = int(min(65536, max(64, 4 * np.sqrt(n))))
    nlist = max(1, min(nlist, n))  # k-means needs at least one training point per list
    return nlist, min(nlist, max(16, nlist // 16))


def build_ivf(vectors: np.ndarray):
    """The approximate inner-product index over ``vectors`` (ids = rows), nprobe set."""
    import faiss

    n, dim = vectors.shape
    nlist, nprobe = ivf_params(n)
    quantizer = faiss.IndexFlatIP(dim)
    ivf = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(0)  # a fixed sample: the same corpus gives the same index
    sample = np.sort(rng.choice(n, size=min(n, 40 * nlist), replace=False))
    ivf.train(np.ascontiguousarray(vectors[sample]))
    for i in range(0, n, 65536):  # add in slices: no full in-memory copy of a memmap
        ivf.add(np.ascontiguousarray(vectors[i:i + 65536]))
    ivf.nprobe = nprobe
    return ivf


def _write_ivf(vectors: np.ndarray, path: Path) -> dict:
    import faiss

    ivf = build_ivf(vectors)
    faiss.write_index(ivf, str(path))
    return {"kind": "ivf", "nlist": ivf.nlist, "nprobe": ivf.nprobe}


def _write_error(e: OSError) -> str:
    import errno

    # numpy reports a short write ("N requested and M written") without an errno.
    if e.errno in (errno.ENOSPC, errno.EDQUOT) or "requested and" in str(e):
        return "No space left on device: free some space and rebuild"
    return f"{e.strerror or e}" + (f": {e.filename}" if e.filename else "")
