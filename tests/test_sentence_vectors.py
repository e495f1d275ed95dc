"""Stored sentence vectors (on by default for a new index; build_index(sentence_vectors=...))."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from assistant import Assistant, build_index
from assistant.evaluation.questions import evaluate, read_questions
from conftest import eval_file


@pytest.fixture(scope="module")
def sv_index(seed_corpus, tmp_path_factory):
    index = tmp_path_factory.mktemp("sv") / "index"
    build_index(seed_corpus, index, sentence_vectors=True)
    return index


def test_every_sentence_has_a_vector_read_in_its_passage(sv_index):
    """In context: a sentence's vector is the mean of its word pieces in the run of the first
    passage that holds it, from the same run as that passage's vector."""
    from assistant.index.format import embed_text

    a = Assistant.load(sv_index)
    idx = a.index
    assert idx.manifest["sentence_vectors"] is True
    assert idx.manifest["sentence_pooling"] == "in-context"
    spans = {(int(idx.doc_pos[r]), s, e) for r, p in enumerate(idx.passages)
             for s, e in p.sentences}
    assert {tuple(map(int, x)) for x in idx.sentence_spans} == spans
    docs = list(idx.documents.values())
    checked = 0
    for row, (d, s, e) in enumerate(idx.sentence_spans):
        doc = docs[d]
        p = next(p for p in idx.passages if p.doc_id == doc.doc_id and (s, e) in p.sentences)
        text = embed_text(doc.title, p.section, p.text)
        shift = len(text) - len(p.text)
        vec, (part,) = a.embedder.encode_spans([text], [[(shift + s - p.start,
                                                          shift + e - p.start)]])
        assert np.allclose(part[0], idx.sentence_vectors[row], atol=1e-5)
        assert np.allclose(vec[0], idx.vectors[p.pid], atol=1e-5)
        checked += 1
    assert checked == len(idx.sentence_spans) > 10
    alone = a.embedder.encode([docs[d].text[s:e] for d, s, e in idx.sentence_spans[:5]])
    assert not np.allclose(alone, idx.sentence_vectors[:5], atol=1e-3)  # context matters


def test_an_embedder_that_cannot_pool_spans_embeds_sentences_alone(seed_corpus, tmp_path):
    from assistant.embedding import get_embedder

    class EncodeOnly:  # a caller's model with only encode()
        def __init__(self):
            self._e = get_embedder(None, "onnx")
            self.name, self.backend, self.dimension = self._e.name, "custom", self._e.dimension

        def encode(self, texts):
            return self._e.encode(texts)

    build_index(seed_corpus, tmp_path / "index", embedder=EncodeOnly())
    idx = Assistant.load(tmp_path / "index").index
    assert idx.manifest["sentence_pooling"] == "separate"
    docs = list(idx.documents.values())
    texts = [docs[d].text[s:e] for d, s, e in idx.sentence_spans]
    assert np.allclose(get_embedder(None, "onnx").encode(texts), idx.sentence_vectors,
                       atol=1e-5)
    from assistant.embedding import ModelError

    with pytest.raises(ModelError, match="caller's own embedding model"):
        Assistant.load(tmp_path / "index").embedder
    # rebuilt without that model: the package's backend, sentences read in context, and every
    # passage counted as run (the report does not hide the cost)
    report = build_index(seed_corpus, tmp_path / "index")
    again = Assistant.load(tmp_path / "index").index
    assert again.manifest["sentence_pooling"] == "in-context" and again.backend != "custom"
    assert report.embedded == len(again.passages)


def test_answers_with_sentence_vectors_meet_the_seed_targets(sv_index):
    m = evaluate(Assistant.load(sv_index), read_questions(eval_file("seed_questions.jsonl")))
    assert m.hit_at(1) >= 0.9 and m.hit_at(3) == 1.0
    assert not any(o.abstained for o in m.outcomes)


def test_incremental_sentence_vectors_equal_a_full_build(seed_corpus, sv_index, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(seed_corpus, corpus)
    (corpus / "new.md").write_text("# Hotline\n\nThe hotline answers in seven languages. "
                                   "It is free of charge.\n")
    inc = tmp_path / "inc"
    shutil.copytree(sv_index, inc)
    report = build_index(corpus, inc)  # keeps sentence vectors without being asked again
    assert report.embedded == 1
    full = tmp_path / "full"
    build_index(corpus, full, sentence_vectors=True, full=True)
    a, b = Assistant.load(inc), Assistant.load(full)
    assert np.array_equal(a.index.sentence_spans, b.index.sentence_spans)
    assert np.allclose(a.index.sentence_vectors, b.index.sentence_vectors, atol=1e-5)
    q = "How many languages does the hotline answer in?"
    assert a.answer(q).quotes[0].text == b.answer(q).quotes[0].text
    off = build_index(corpus, inc, sentence_vectors=False)
    assert off.embedded == 0 and Assistant.load(inc).index.sentence_vectors is None


def test_best_sentence_cosine_matches_a_full_scan(sv_index):
    from assistant.search import best_sentence_cosine

    a = Assistant.load(sv_index)
    idx = a.index
    q = a.embedder.encode(["Who coordinates anti-trafficking work?"])[0]
    full = np.full(len(idx.documents), -9.0)
    np.maximum.at(full, idx.sentence_spans[:, 0], idx.sentence_vectors @ q)
    docs = idx.doc_pos[[0, len(idx.passages) - 1, 0]]
    assert np.allclose(best_sentence_cosine(idx, q, docs), full[docs])
