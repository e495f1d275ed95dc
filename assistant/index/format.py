"""The index folder on disk: its file names, its manifest, how records are written and read,
how it is verified, and the errors that say how to fix a problem.

Layout (all JSON or raw arrays; nothing is pickled):

    index/
      .verbatim-index   marker: this folder was made by Verbatim and may be replaced by it
      manifest.json     format, model, dimension, chunking, keyword settings, corpus file
                        hashes, skipped files, library versions, checksums of every file
      documents.jsonl   doc_id, title, source, metadata, sections, text (offsets refer to it)
      passages.jsonl    pid, doc_id, section, start, end, sentence spans (text = doc.text[start:end])
      vectors.npy       one normalised float32 row per passage, in passages.jsonl order
      dense.faiss       the FAISS index of those vectors: exact (flat) below ann.ANN_THRESHOLD
                        passages, approximate (IVF) from there up
      keyword/          the BM25 index of passages as bm25s saves it (JSON + .npy)
      keyword_docs/     the BM25 index of whole documents (title + text), in documents.jsonl order
      sentences.npy,    only with sentence vectors: (document position, start, end) of every
      sentence_vectors.npy  distinct sentence, sorted by document, and its vector
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from .. import storage
from ..types import Document, Passage, Section

FORMAT_VERSION = 3  # 2: keyword_docs/; 3: dense.faiss at every size
# Formats whose vectors a build may still reuse (it writes the current format): an upgrade
# does not re-embed a whole corpus.
REUSABLE_FORMATS = (2, 3)
MANIFEST = "manifest.json"
DOCUMENTS = "documents.jsonl"
PASSAGES = "passages.jsonl"
VECTORS = "vectors.npy"
DENSE = "dense.faiss"
KEYWORD_DIR = "keyword"
DOC_KEYWORD_DIR = "keyword_docs"
SENTENCES = "sentences.npy"
SENTENCE_VECTORS = "sentence_vectors.npy"
WORDS = "words.json"  # the documents' words (nearwords.document_words)
WORD_VECTORS = "word_vectors.npy"  # one vector each, embedded alone

# What the model reads for a passage. Bump the version whenever ``embed_text`` changes: the
# manifest records it, and an index embedded another way is never reused for its vectors.
EMBED_FORMAT_VERSION = 1
_LEGACY_EMBED_FORMATS = {"title — section\\ntext": 1}  # manifests before the integer version


def embed_text(title: str, section: str, text: str) -> str:
    """What the model reads for a passage: its title and heading give short passages context."""
    head = " — ".join(x for x in (title.strip(), section.strip()) if x)
    return f"{head}\n{text}" if head else text


def embed_format_of(manifest: dict) -> int | None:
    value = manifest.get("embed_format")
    return _LEGACY_EMBED_FORMATS.get(value, value) if isinstance(value, str) else value


class IndexLoadError(RuntimeError):
    """The index folder is missing, damaged, or was built differently (message says how to fix)."""

    # What is wrong, without the folder and the hint to rebuild it: a build says it of its own
    # new index (``builder``). None where the message is all there is.
    reason: str | None = None


class BuildError(RuntimeError):
    """A build cannot proceed (message is one line for the user)."""


class BuildLocked(BuildError):
    """Another build of the same index is running."""


def rebuild_hint(index_dir: Path) -> str:
    return f"rebuild it with: python build_index.py --index {index_dir} --full"


def check_not_newer(index_dir: str | os.PathLike) -> None:
    """Refuse, with how to go on, an index written by a newer Verbatim: an automatic rebuild
    would silently replace it with an older format that the newer version must then rebuild."""
    try:
        version = json.loads((Path(index_dir) / MANIFEST).read_text(encoding="utf-8")) \
            .get("format_version")
    except (OSError, ValueError, AttributeError):
        return
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise IndexLoadError(
            f"{index_dir}/ was built by a newer Verbatim (index format {version}; this version "
            f"reads format {FORMAT_VERSION}): start that version, pass another --index, or "
            f"replace it for this version: {rebuild_hint(Path(index_dir))}")


def backend_of(manifest: dict) -> str:
    """The embedding backend recorded in a manifest (indexes from before backends: torch)."""
    return manifest["model"].get("backend", "torch")


def is_index_folder(folder: Path) -> bool:
    """Whether ``folder`` provably holds a Verbatim index (or a temporary build of one): it has
    the marker file, or (indexes from before the marker) a manifest this program wrote."""
    if storage.is_marked(folder):
        return True
    try:
        m = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(m, dict) and {"format_version", "build_id", "checksums"} <= set(m)


# Every name a build writes at the top of an index folder: what a folder whose manifest cannot
# be read is compared against.
LAYOUT = frozenset({storage.MARKER, storage.IN_PROGRESS, MANIFEST, DOCUMENTS, PASSAGES, VECTORS,
                    DENSE, KEYWORD_DIR, DOC_KEYWORD_DIR, SENTENCES, SENTENCE_VECTORS, WORDS,
                    WORD_VECTORS})
MAX_FOREIGN_LISTED = 50


def foreign_files(folder: Path) -> list[str]:
    """What an index folder holds that no build wrote (a user's notes, a copied file): paths
    relative to it ("/" after a folder), sorted, at most ``MAX_FOREIGN_LISTED``. A rebuild
    replaces the whole folder, so these would be lost with it. Compared against the files its
    manifest lists or, when that cannot be read, the names a build writes at the top."""
    try:
        m = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        written = set(m["checksums"]) | {MANIFEST}
    except (OSError, ValueError, TypeError, KeyError):
        written = None
    flags = {storage.MARKER, storage.IN_PROGRESS}

    def expected(path: str, is_dir: bool) -> bool:
        if path in flags:
            return True
        if written is None:  # no list: a build's own names, and anything inside its folders
            return path.split("/")[0] in LAYOUT
        return any(w.startswith(path + "/") for w in written) if is_dir else path in written

    out: list[str] = []

    def unreadable(e: OSError) -> None:  # a folder it cannot look into may hold anything
        out.append(Path(e.filename).relative_to(folder).as_posix() + "/ (unreadable)")

    for root, dirs, files in os.walk(folder, onerror=unreadable):  # links listed, not followed
        rel = Path(root).relative_to(folder)
        names = [(d, True) for d in dirs] + [(f, False) for f in files]
        unexpected = {n for n, is_dir in names
                      if not expected((rel / n).as_posix(), is_dir)}
        out += [(rel / n).as_posix() + ("/" if is_dir else "") for n, is_dir in names
                if n in unexpected]
        dirs[:] = [d for d in dirs if d not in unexpected]
        if len(out) >= MAX_FOREIGN_LISTED:
            break
    return sorted(out)[:MAX_FOREIGN_LISTED]


# --- records ------------------------------------------------------------------------------------

def doc_to_row(d: Document) -> dict:
    return {"doc_id": d.doc_id, "title": d.title, "source": d.source,
            "metadata": dict(d.metadata), "sections": [[s.heading, s.start, s.end]
                                                       for s in d.sections],
            "pages": list(d.pages), "text": d.text}


def row_to_doc(r: dict) -> Document:
    return Document(doc_id=r["doc_id"], title=r["title"], text=r["text"],
                    source=r.get("source", ""),
                    sections=tuple(Section(h, s, e) for h, s, e in r["sections"]),
                    metadata=r.get("metadata") or {}, pages=tuple(r.get("pages") or ()))


def passage_to_row(p: Passage) -> dict:
    return {"pid": p.pid, "doc_id": p.doc_id, "section": p.section, "start": p.start,
            "end": p.end, "sentences": [list(s) for s in p.sentences]}


def row_to_passage(r: dict, docs: dict[str, Document]) -> Passage:
    text = docs[r["doc_id"]].text[r["start"]:r["end"]]
    return Passage(pid=r["pid"], doc_id=r["doc_id"], section=r["section"], start=r["start"],
                   end=r["end"], text=text, sentences=tuple(tuple(s) for s in r["sentences"]))


# --- manifest and checksums -------------------------------------------------------------------

def read_manifest(index_dir: str | os.PathLike,
                  formats: tuple[int, ...] = (FORMAT_VERSION,)) -> dict:
    """The manifest of ``index_dir`` in a format this version reads (``formats``);
    IndexLoadError saying how to build or rebuild otherwise."""
    index_dir = Path(index_dir)
    storage.recover(index_dir, is_index_folder)
    path = index_dir / MANIFEST
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexLoadError(f"{index_dir} is a file, not an index folder; give the folder a "
                             "build wrote (default: index)")
    if not index_dir.is_dir():
        raise IndexLoadError(f"no index at {index_dir}/; build one with: python build_index.py "
                             f"--index {index_dir}")
    if not path.is_file():
        if not is_index_folder(index_dir) and any(index_dir.iterdir()):
            # A build would refuse to replace it: pointing there would only lead to that.
            raise IndexLoadError(f"{index_dir}/ is not a Verbatim index (a folder of other "
                                 "files); give the folder a build wrote (default: index), or "
                                 "build into a new one: python build_index.py --index NEW_FOLDER")
        raise IndexLoadError(f"{path} is missing; {rebuild_hint(index_dir)}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise IndexLoadError(f"{path} is unreadable ({e}); {rebuild_hint(index_dir)}") from None
    version = manifest.get("format_version")
    if version not in formats:
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


def checksums(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): storage.sha256_file(p)
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != storage.IN_PROGRESS}
