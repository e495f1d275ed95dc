"""Token vectors (both backends) and the sentence evidence built from them."""
from __future__ import annotations

import numpy as np
import pytest

from assistant import quoting
from assistant.embedding import TokenVectors, get_embedder

TEXT = ("The Normans gave their name to Normandy, a region in France. "
        "Their duke William conquered England in 1066.")


@pytest.fixture(scope="module")
def onnx():
    return get_embedder(None, "onnx")


def test_token_offsets_cover_the_text_and_vectors_are_unit(onnx):
    tv = onnx.encode_tokens([TEXT])[0]
    assert tv.vectors.dtype == np.float32 and tv.vectors.shape[1] == onnx.dimension
    norms = np.linalg.norm(tv.vectors.astype(np.float32), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-2)
    pieces = [TEXT[a:b] for a, b in tv.offsets]
    assert pieces[0] == "The" and "1066" in "".join(pieces) and pieces[-1] == "."
    assert np.all(np.diff(tv.offsets[:, 0]) > 0)  # in text order, no special tokens


def test_long_text_is_windowed_not_truncated(onnx):
    long = " ".join([TEXT] * 40)  # ~900 word pieces, the model's window is 256
    tv = onnx.encode_tokens([long, TEXT])[0]
    assert tv.offsets[-1, 1] == len(long)
    assert len(tv.offsets) > 3 * onnx.max_seq_length
    assert np.all(np.diff(tv.offsets[:, 0]) > 0)
    assert onnx.encode_tokens([""])[0].vectors.shape == (0, onnx.dimension)


def test_query_vector_is_the_encode_vector(onnx):
    vec, tv = onnx.encode_query("Who conquered England?")
    assert float(vec @ onnx.encode(["Who conquered England?"])[0]) > 0.9999
    assert len(tv.offsets) == 4  # Who / conquered / England / ?


def test_torch_and_onnx_token_vectors_agree(onnx):
    torch_emb = get_embedder(None, "torch")
    assert torch_emb.has_token_vectors and onnx.has_token_vectors
    a, b = onnx.encode_tokens([TEXT])[0], torch_emb.encode_tokens([TEXT])[0]
    assert np.array_equal(a.offsets, b.offsets)
    cos = np.sum(a.vectors.astype(np.float32) * b.vectors.astype(np.float32), axis=1)
    assert cos.min() > 0.999
    va, ta = onnx.encode_query(TEXT)
    vb, tb = torch_emb.encode_query(TEXT)
    assert float(va @ vb) > 0.9999 and np.array_equal(ta.offsets, tb.offsets)


def test_query_token_weights_count_content_words_and_less_context(onnx):
    from assistant import Weights

    text = "What help is there? Who pays for it?"
    _, tv = onnx.encode_query(text)
    q = quoting.query_tokens(tv, text, context_chars=len("What help is there? "))
    w = {text[a:b]: float(x) for (a, b), x in zip(tv.offsets, q.weights)}
    assert w["What"] == w["is"] == w["?"] == w["Who"] == w["for"] == 0.0
    assert w["help"] == pytest.approx(w["pays"] * Weights().context)
    q = quoting.query_tokens(tv, text, len("What help is there? "), context_weight=0.5)
    w = {text[a:b]: float(x) for (a, b), x in zip(tv.offsets, q.weights)}
    assert w["help"] == pytest.approx(w["pays"] / 2)
    assert q.weights.sum() == pytest.approx(1.0)
    only_stopwords = quoting.query_tokens(*reversed(onnx.encode_query("what is it?")), 0) \
        if False else quoting.query_tokens(onnx.encode_query("what is it?")[1], "what is it?")
    assert only_stopwords.weights.sum() == pytest.approx(1.0)


def test_the_sentence_that_holds_the_asked_words_matches_best(onnx):
    question = "In which year did William conquer England?"
    qvec, qtok = onnx.encode_query(question)
    q = quoting.query_tokens(qtok, question)
    base = 100  # the passage starts at offset 100 of its document
    first_end = TEXT.index(".") + 1
    spans = [(base, base + first_end), (base + first_end + 1, base + len(TEXT))]
    ev = quoting.passage_evidence(q, qvec, onnx.encode_tokens([TEXT])[0], base, spans)
    assert ev.match[1] > ev.match[0] and ev.meaning[1] > ev.meaning[0]
    assert ev.passage_match >= ev.match.max() - 1e-6  # the passage holds both sentences


def test_evidence_of_an_empty_passage_is_zero():
    q = quoting.QueryTokens(np.ones((1, 4), np.float32) / 2, np.ones(1, np.float32))
    empty = TokenVectors(np.zeros((0, 4), np.float32), np.zeros((0, 2), np.int32))
    ev = quoting.passage_evidence(q, np.ones(4, np.float32) / 2, empty, 0, [(0, 5)])
    assert ev.match.tolist() == [0.0] and ev.passage_match == 0.0


def test_weights_are_a_weighted_mean():
    e = quoting.Evidence(0, 1, 0, meaning=1, match=1, passage_match=1, lexical=1, passage=1)
    assert quoting.Weights().score(e) == pytest.approx(1.0)
    only_lexical = quoting.Weights(meaning=0, match=0, passage_match=0, lexical=1, passage=0)
    assert only_lexical.score(quoting.Evidence(0, 1, 0, 0.9, 0.9, 0.9, 0.25, 0.9)) == 0.25


def test_a_neighbour_joins_a_quote_on_its_own_evidence_not_its_passage():
    """Sentences of one passage share its passage-level evidence, which would make any
    neighbour look nearly as good as the quoted sentence; only their own parts are compared."""
    class Doc:
        text = "Alpha beta gamma. Delta epsilon zeta. Eta theta iota."

    class Index:
        documents = {"d": Doc()}

    def ev(start, end, meaning, match, lexical):
        return quoting.Evidence(start, end, 0, meaning=meaning, match=match, passage_match=0.9,
                                lexical=lexical, passage=1.0)
    w = quoting.Weights()
    strong, weak = ev(0, 17, 0.8, 0.8, 0.8), ev(18, 36, 0.72, 0.72, 0.72)
    assert w.score(weak) >= w.neighbour_share * w.score(strong)  # passage parts dominate
    assert w.own_score(weak) < w.neighbour_share * w.own_score(strong)
    best = quoting.rank(Index(), {"d": [strong, weak, ev(37, 53, 0.1, 0.1, 0.1)]}, w)[0]
    assert (best.start, best.end) == (0, 17)
    close = ev(18, 36, 0.78, 0.79, 0.8)
    best = quoting.rank(Index(), {"d": [strong, close]}, w)[0]
    assert (best.start, best.end) == (0, 36)


def test_a_quote_whose_neighbour_is_taken_keeps_its_own_sentence():
    def cand(start, end, score, core):
        ev = quoting.Evidence(*core, row=0, meaning=0.5, match=0.5, passage_match=0.5,
                              lexical=0.5, passage=1.0)
        return quoting.Candidate("d", start, end, score, ev)
    first = cand(10, 20, 0.9, (10, 20))
    grown = cand(0, 20, 0.85, (0, 9))  # its own sentence 0-9 took in 10-20
    chosen = quoting.pick([first, grown], 3)
    assert [(c.start, c.end) for c in chosen] == [(10, 20), (0, 9)]
    inside = cand(12, 18, 0.8, (12, 18))  # wholly inside a chosen quote: dropped
    assert len(quoting.pick([first, inside], 3)) == 1


def test_token_cache_is_bounded_by_bytes(seed_index, monkeypatch):
    from assistant import Assistant

    a = Assistant.load(seed_index)
    cache = a.answerer.cache
    cache.max_bytes = 300_000  # a few passages
    touched = set()
    for question in ("Which body coordinates anti-trafficking work in Slovenia?",
                     "What residence permits can victims get?", "How are victims identified?",
                     "Who funds the shelters?", "What does the criminal code say?"):
        touched.update(h.pid for h in a.retrieve(question, k=5))
        a.answer(question)
    assert 0 < len(cache) < len(touched)
    assert cache.nbytes == sum(tv.nbytes for tv in cache.values()) <= 300_000


class SentenceOnlyEmbedder:
    """A stand-in with ``encode`` only (no token vectors), over the real model."""

    def __init__(self, inner):
        self._inner, self.dimension, self.backend = inner, inner.dimension, inner.backend

    def encode(self, texts, **kw):
        return self._inner.encode(texts, **kw)


def test_an_embedder_without_token_vectors_still_answers(seed_index, onnx):
    from assistant import Assistant
    from assistant import index as _index

    a = Assistant(_index.load(seed_index), embedder=SentenceOnlyEmbedder(onnx))
    reply = a.answer("Which body coordinates anti-trafficking work in Slovenia?")
    assert not reply.abstained and reply.quotes
    for q in reply.quotes:
        assert a.document(q.doc_id).text[q.start:q.end] == q.text
    assert a.answer("What is the best pizza in Naples?").abstained


@pytest.mark.parametrize("text, question, subject, answer", [
    ("Many refugees settled in the Dutch Republic after 1685. One of the most prominent "
     "refugees in the Netherlands was the philosopher Pierre Bayle. He began teaching in "
     "Rotterdam, where he also published his dictionary. Others went to England and Prussia.",
     "In which Dutch city did Pierre Bayle work as a teacher?", "Pierre Bayle", "Rotterdam"),
    # A connective leans on the sentence before as a pronoun does.
    ("The harbour was rebuilt in 2015. In the 2019 vote the Green list lost three seats on "
     "the council, and its mayor Marta Kovac said the result was a good one. Nevertheless, "
     "she resigned as mayor a week later. The new harbour office opened in 2021.",
     "Did Marta Kovac stay on as mayor after the 2019 vote?", "Marta Kovac", "resigned"),
])
def test_a_next_sentence_that_refers_back_joins_the_quote(tmp_path, text, question, subject,
                                                           answer):
    """The subject in one sentence, what the question asks of it in the next ("He ...",
    "Nevertheless, she ..."): the quote takes both in, unless follow_on_share is 0 (and the
    growth by what a neighbour covers, and by the sentence after for a question on what came
    after, which take such a sentence in too, are off)."""
    from assistant import AnswerSettings
    from assistant.settings import QuoteRules
    from conftest import assistant_over

    a = assistant_over(tmp_path, {"doc.md": f"# Notes\n\n{text}\n"})
    top = a.answer(question).quotes[0].text
    assert subject in top and answer in top
    off = a.with_settings(AnswerSettings(quotes=QuoteRules(follow_on_share=0.0,
                                                           cover_gain=0.0, sequel=False)))
    top = off.answer(question).quotes[0].text
    assert answer not in top or subject not in top


@pytest.mark.parametrize("sentence, leans", [
    ("He began teaching in Rotterdam.", True),
    ("Nevertheless, she resigned a week later.", True),
    ("As a result, the council met again.", True),
    ("Instead, the funds went to shelters.", True),
    ("Stillwater is a town.", False),
    ("The council met in June.", False),
])
def test_a_sentence_that_opens_leaning_on_the_one_before(sentence, leans):
    from assistant.quoting import refers_back

    assert refers_back(sentence) is leans


def test_the_words_of_a_web_address_answer_only_where_to_read(tmp_path):
    # "But first, please read <https://www.gnu.org/licenses/why-not-lgpl.html>." had been the
    # confident answer to every question naming the LGPL, on the words of its address.
    from assistant.quoting import url_spans, without_urls
    from conftest import assistant_over

    text = "see <https://www.gnu.org/licenses/why-not-lgpl.html>. Or www.example.org/a."
    assert [text[a:b] for a, b in url_spans(text)] == [
        "<https://www.gnu.org/licenses/why-not-lgpl.html>", "www.example.org/a."]
    assert "lgpl" not in without_urls(text)
    a = assistant_over(tmp_path, {"licence.md": (
        "# Definitions\n\nAn Application is any work that makes use of an interface "
        "provided by the Library, but which is not otherwise based on the Library. The "
        "Library may be linked with such works. Some libraries should stay free. But first, "
        "please read <https://www.gnu.org/licenses/why-not-lgpl.html>.\n")})
    top = a.answer("What is an Application under the LGPL?").quotes[0].text
    assert "An Application is any work" in top and "why-not-lgpl" not in top
    pointer = a.answer("Where can I read why not to use the LGPL?").quotes[0].text
    assert "why-not-lgpl" in pointer


def test_asked_support_reads_the_question_s_own_words(onnx):
    quote = TEXT[TEXT.index("Their"):]
    tv = onnx.encode_tokens([TEXT])[0]
    span = (TEXT.index("Their"), len(TEXT))

    def support(question):
        return quoting.asked_support(question, onnx.encode_query(question)[1], quote, tv, 0,
                                     span)

    assert support("Who conquered England?") == 1.0  # the quote holds every content word
    related, unrelated = support("Which monarch invaded?"), support("Is it sunny outside?")
    assert related > unrelated  # in other words, but about what the quote says
    assert support("Why?") is None and support("And them?") is None  # nothing of its own
    # A model without word pieces (one vector for the whole question) gives no verdict.
    whole = TokenVectors(np.ones((1, onnx.dimension), np.float32), np.array([[0, 14]]))
    assert quoting.asked_support("Is it sunny?", whole, quote, tv, 0, span) is None
