"""A loaded index: ``load(folder) -> Index``, checked against its manifest."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import storage
from ..keyword import KeywordIndex
from ..nearwords import WordVectors
from ..types import Document, Passage
from . import ann
from .format import (DENSE, DOC_KEYWORD_DIR, DOCUMENTS, FORMAT_VERSION, KEYWORD_DIR, PASSAGES,
                     REUSABLE_FORMATS, SENTENCE_VECTORS, SENTENCES, VECTORS, WORD_VECTORS,
                     WORDS, IndexLoadError, backend_of, read_manifest, rebuild_hint,
                     row_to_doc, row_to_passage, verify)


@dataclass
class Index:
    """Everything an answer needs, in memory (or memory-mapped for large collections)."""

    path: Path
    manifest: dict
    documents: dict[str, Document]
    passages: list[Passage]
    vectors: np.ndarray  # rows aligned with ``passages``
    dense: object  # the FAISS index of ``vectors``: IndexFlatIP, or IndexIVFFlat when large
    keyword: KeywordIndex
    doc_keyword: KeywordIndex  # one row per document, in ``documents`` order
    sentence_spans: np.ndarray | None = None  # (document position, start, end), by document
    sentence_vectors: np.ndarray | None = None
    # The documents' words and their vectors (``nearwords``); None in an index built before
    # they were kept, whose questions are read by their own words only.
    words: WordVectors | None = None
    doc_pos: np.ndarray = field(init=False, repr=False)  # passage row -> document position
    doc_sentence_starts: np.ndarray | None = field(init=False, repr=False)
    field_values: dict | None = field(default=None, init=False, repr=False)  # see search
    # The documents' words, read on the first question that needs them (spelling.vocabulary)
    spelling: object | None = field(default=None, init=False, repr=False)

    def __post_init__(self):
        position = {d: i for i, d in enumerate(self.documents)}
        self._position = position
        self.doc_pos = np.fromiter((position[p.doc_id] for p in self.passages), dtype=np.int64,
                                   count=len(self.passages))
        self.doc_sentence_starts = None
        if self.sentence_spans is not None:
            # sentence rows of document d: doc_sentence_starts[d]:doc_sentence_starts[d + 1]
            self.doc_sentence_starts = np.searchsorted(self.sentence_spans[:, 0],
                                                       np.arange(len(self.documents) + 1))

    def doc_position(self, doc_id: str) -> int:
        """The document's row in ``documents`` order (and in the document keyword index)."""
        return self._position[doc_id]

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

    @property
    def has_sentence_vectors(self) -> bool:
        return self.sentence_vectors is not None and len(self.sentence_vectors) > 0


def load(index_dir: str | os.PathLike, *, model: str | None = None, check: bool = True,
         for_reuse: bool = False) -> Index:
    """Load ``index_dir``; ``model`` must match the one it was built with, if given. Every
    file is checked against the manifest's checksums unless ``check`` is False. A build loads
    the previous index ``for_reuse``, which also accepts the formats in REUSABLE_FORMATS."""
    from ..embedding import canonical_name

    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir, REUSABLE_FORMATS if for_reuse else (FORMAT_VERSION,))
    built_with = manifest["model"]["name"]
    if model is not None and canonical_name(model) != built_with:
        raise IndexLoadError(
            f"{index_dir}/ was built with model {built_with!r}, not {canonical_name(model)!r}; "
            f"rebuild it with: python build_index.py --index {index_dir} --model {model} --full")
    if check:
        verify(index_dir, manifest)
    try:
        documents = {}
        for row in storage.read_jsonl(index_dir / DOCUMENTS):
            d = row_to_doc(row)
            documents[d.doc_id] = d
        passages = [row_to_passage(r, documents) for r in storage.read_jsonl(index_dir / PASSAGES)]
    except Exception as e:  # a damaged file can fail in many ways; name the folder and the fix
        raise _unreadable(index_dir, e) from None
    return assemble(index_dir, manifest, documents, passages)


def _unreadable(index_dir: Path, e: Exception) -> IndexLoadError:
    err = IndexLoadError(f"cannot read the index in {index_dir}/ ({type(e).__name__}: {e}); "
                         f"{rebuild_hint(index_dir)}")
    err.reason = f"{type(e).__name__}: {e}"
    return err


def read_words(index_dir: Path) -> WordVectors:
    """The documents' words and their vectors (``words.json``, ``word_vectors.npy``), checked
    as the build writes them; ValueError naming the file otherwise."""
    listed = json.loads((Path(index_dir) / WORDS).read_text(encoding="utf-8"))
    # Words as the build writes them (``nearwords.document_words``): an empty one had become a
    # search term that the keyword index could not score.
    if not isinstance(listed, list) or not all(
            isinstance(w, str) and w.isalpha() and w.islower() for w in listed):
        raise ValueError(f"{WORDS} is not a list of lower-case words")
    # Memory-mapped: only the float32 copy WordVectors makes stays in memory.
    vecs = np.load(Path(index_dir) / WORD_VECTORS, allow_pickle=False, mmap_mode="r")
    if vecs.dtype.kind != "f" or vecs.ndim != 2:
        raise ValueError(f"{WORD_VECTORS} does not hold normalised vectors")
    words = WordVectors(tuple(listed), vecs)
    # Normalised, or the cosines they give mean nothing (an int8 file of the right shape had
    # given "cosines" of 60).
    norms = np.linalg.norm(words.matrix, axis=1)
    if not (np.isfinite(norms).all() and np.allclose(norms, 1.0, atol=0.02)):
        raise ValueError(f"{WORD_VECTORS} does not hold normalised vectors")
    return words


def assemble(index_dir: Path, manifest: dict, documents: dict[str, Document],
             passages: list[Passage], *, dense=None, keyword: KeywordIndex | None = None,
             doc_keyword: KeywordIndex | None = None, mapped: bool = False) -> Index:
    """The index of ``index_dir`` around documents and passages already read, and read the
    rest from the folder. A build that measures its new index passes what it still holds (the
    FAISS index, the keyword indexes) and ``mapped`` (sentence vectors memory-mapped): no
    second copy of anything large."""
    index_dir = Path(index_dir)
    try:
        # Small indexes: the flat FAISS index is read into memory and ``vectors`` is a view of
        # what it holds. Large ones: the IVF index holds its lists, and vectors.npy is
        # memory-mapped (pages come in as fusion touches them; processes share them).
        dense_cfg = manifest.get("dense") or {"kind": "flat"}
        if dense_cfg["kind"] == "flat" and "faiss" not in dense_cfg:  # format 2, for reuse
            vectors = np.load(index_dir / VECTORS, allow_pickle=False)
            dense = ann.build_flat(vectors)
        elif dense_cfg["kind"] == "flat":  # FAISS holds the vectors: one copy, read once
            dense = dense if dense is not None else ann.read_dense(index_dir / DENSE, dense_cfg)
            vectors = ann.flat_vectors(dense)
        else:
            dense = dense if dense is not None else ann.read_dense(index_dir / DENSE, dense_cfg)
            vectors = np.load(index_dir / VECTORS, allow_pickle=False, mmap_mode="r")
        keyword = keyword or KeywordIndex.load(index_dir / KEYWORD_DIR)
        doc_keyword = doc_keyword or KeywordIndex.load(index_dir / DOC_KEYWORD_DIR)
        spans = svecs = words = None
        if manifest.get("word_vectors"):
            words = read_words(index_dir)
        if manifest.get("sentence_vectors"):
            spans = np.load(index_dir / SENTENCES, allow_pickle=False)
            svecs = np.load(index_dir / SENTENCE_VECTORS, allow_pickle=False,
                            mmap_mode="r" if mapped else None)
    except IndexLoadError:
        raise
    except Exception as e:  # a damaged file can fail in many ways; name the folder and the fix
        raise _unreadable(index_dir, e) from None
    if not (len(passages) == vectors.shape[0] == keyword.size) \
            or dense.ntotal != len(passages) \
            or doc_keyword.size != len(documents):
        raise IndexLoadError(f"{index_dir}/ is inconsistent (passage counts differ between "
                             f"files); {rebuild_hint(index_dir)}")
    if vectors.shape[1] != manifest["model"]["dimension"]:
        raise IndexLoadError(f"{index_dir}/{VECTORS} has dimension {vectors.shape[1]}, manifest "
                             f"says {manifest['model']['dimension']}; {rebuild_hint(index_dir)}")
    if spans is not None and (len(spans) != len(svecs)
                              or np.unique(spans[:, 0]).size != len(documents)):
        raise IndexLoadError(f"{index_dir}/ is inconsistent (sentence files); "
                             f"{rebuild_hint(index_dir)}")
    if words is not None and words.vectors.shape[1:] != (manifest["model"]["dimension"],):
        raise IndexLoadError(f"{index_dir}/ is inconsistent (word vectors); "
                             f"{rebuild_hint(index_dir)}")
    return Index(index_dir, manifest, documents, passages, vectors, dense, keyword, doc_keyword,
                 spans, svecs, words)
