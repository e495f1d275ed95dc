"""A question's words that the documents never use, read as the nearest of their words
(``assistant.nearwords``): the documents' words and their vectors in the index, what a
question's unseen words are, and what the search and the words evidence make of them."""
import json

import numpy as np
import pytest

from assistant import AnswerSettings, NearWords, build_index
from assistant.api import ensure_index
from assistant.nearwords import WordVectors, document_words, unseen_words


def test_the_documents_words_are_one_form_per_stem_without_names_or_stop_words():
    words = document_words(["The victims were victims. Victim support in Slovenia and Caritas.",
                            "Victims of the police; police officers in Slovenia."])
    assert "victims" in words and "victim" not in words  # the form written most often
    assert "police" in words and "officers" in words and "support" in words
    assert "slovenia" not in words and "Slovenia" not in words  # a name
    assert "Caritas" not in words and "caritas" not in words
    assert "the" not in words and "and" not in words
    assert words == sorted(words)


def test_a_questions_unseen_words_are_its_lower_case_content_words():
    def seen(stem):
        return stem in {"victim", "polic"}

    found = [w for w, *_ in unseen_words("Kids and cops: how long do victims wait in Croatia "
                                        "before a trial?", seen)]
    # "Kids" opens the question; "Croatia" is a name; "long" asks for a kind of answer after
    # "how"; "before" is a function word; "victims" is the documents' own word.
    assert found == ["kids", "cops", "wait", "trial"]
    assert unseen_words("How many cops?", seen, skip={"cops"}) == []
    (word, stem, start, end), = unseen_words("Do the kids wait?", lambda s: s != "kid")
    assert (word, stem) == ("kids", "kid") and "Do the kids wait?"[start:end] == "kids"


def test_nearest_words_are_those_at_the_cosine_or_nearer_nearest_first():
    v = np.eye(3, dtype=np.float16)
    words = WordVectors(("police", "officers", "weather"), v)
    q = np.array([0.9, 0.43, 0.0], dtype=np.float32)
    q /= np.linalg.norm(q)
    near = words.nearest(q, 2, 0.4)
    assert [s for s, _ in near] == ["polic", "offic"] and near[0][1] > near[1][1]
    assert [s for s, _ in words.nearest(q, 2, 0.5)] == ["polic"]
    assert words.nearest(q, 0, 0.0) == ()
    with pytest.raises(ValueError):
        WordVectors(("a",), np.zeros((2, 3), dtype=np.float16))


def test_settings_are_checked():
    with pytest.raises(ValueError, match="NearWords.count"):
        NearWords(count=-1)
    with pytest.raises(ValueError, match="NearWords.min_cosine"):
        NearWords(min_cosine=1.5)
    with pytest.raises(ValueError, match="AnswerSettings.near_words"):
        AnswerSettings(near_words=2)


def test_the_index_keeps_the_documents_words_with_their_vectors(seed_index):
    manifest = json.loads((seed_index / "manifest.json").read_text())
    assert manifest["word_vectors"] is True
    words = json.loads((seed_index / "words.json").read_text())
    vectors = np.load(seed_index / "word_vectors.npy")
    assert "police" in words and "children" in words
    assert vectors.shape == (len(words), manifest["model"]["dimension"])
    assert np.allclose(np.linalg.norm(vectors.astype(np.float32), axis=1), 1.0, atol=1e-2)


def test_a_word_the_documents_never_use_finds_theirs(assistant):
    near = assistant.answerer.near_words("How many cops work on it?")
    assert "polic" in [s for s, _ in near["cop"]]
    assert assistant.answerer.near_words("How many police officers?") == {}
    # In the keyword search alone, "cops" finds the police's passage only through its near
    # words; read by its own words only, it finds nothing.
    hits = assistant.retrieve("cops", k=1, mode="keyword")
    assert hits and "police" in hits[0].text
    alone = assistant.with_settings(AnswerSettings(near_words=NearWords(count=0)))
    assert alone.retrieve("cops", k=1, mode="keyword") == []


def test_a_sentence_holding_a_near_word_holds_the_question_word_at_its_cosine(assistant):
    alone = assistant.with_settings(AnswerSettings(near_words=NearWords(count=0)))
    question = "Which money paid for the project with Bulgarian partners?"

    def lexical(a):
        ev = a.evidence(question)
        return max(e.lexical for doc, sentences in ev.pool.items() for e in sentences
                   if "funding" in a.index.documents[doc].text[e.start:e.end])

    assert lexical(assistant) > lexical(alone) > 0


def test_an_index_from_before_word_vectors_gets_them_without_embedding_passages(
        seed_corpus, tmp_path):
    index = tmp_path / "index"
    build_index(seed_corpus, index)
    manifest_path = index / "manifest.json"
    m = json.loads(manifest_path.read_text())
    del m["word_vectors"]
    manifest_path.write_text(json.dumps(m))
    report = ensure_index(seed_corpus, index)  # as the app's start-up does
    assert report is not None and report.embedded == 0
    assert json.loads(manifest_path.read_text())["word_vectors"] is True
    assert ensure_index(seed_corpus, index) is None


def test_near_words_choose_the_sentence_but_make_no_answer_surer(assistant):
    """The answer model was fitted on the question's own words: it reads the keyword side,
    the words part and the score as written, so a near word ("phone": "telephone") that
    picks the same sentence leaves the confidence where it was."""
    question = "Which is the best phone line provider in Slovenia?"
    assert "phone" in assistant.answerer.near_words(question)
    alone = assistant.with_settings(AnswerSettings(near_words=NearWords(count=0)))
    seen = []
    for a in (assistant, alone):
        ev = a.evidence(question)
        cands = a.answerer.judge(ev).candidates
        seen.append((cands[0].start, a.answerer.features(ev, cands)))
    (start, near), (start_alone, written) = seen
    assert start == start_alone
    # (the score's passage part may move a little: the passage's fused score is the search's)
    assert near == pytest.approx(written, abs=0.005)
    # while the sentence's own evidence does count the near word
    ev = assistant.evidence(question)
    best = max((e for sentences in ev.pool.values() for e in sentences), key=lambda e: e.lexical)
    assert best.lexical > best.written_lexical


def test_what_a_question_word_is_not_read_as():
    def seen(stem):
        return False

    def words(q):
        return [w for w, *_ in unseen_words(q, seen)]

    # A name after a short opening word is still a name; the opening word itself is not.
    assert words("Is Croatia involved?") == ["involved"]
    assert words("Kids?") == ["kids"]
    # Contractions' stubs, halves of hyphenated words, numbers, months: no words to read.
    assert words("Why won't they refund my trip?") == ["refund", "trip"]
    assert words("When was the kick-off of the self-employed scheme?") == ["scheme"]
    assert words("Are there twenty officers since March?") == ["officers"]


def test_the_documents_words_read_capitals_that_open_a_sentence_as_lower_case():
    words = document_words(["Police in Slovenia\n\nThe police work. Prosecutors handle it. "
                            "Slovenia funds them, and in Slovenia the State decides."])
    assert "police" in words and "prosecutors" in words
    assert "slovenia" not in words and "Slovenia" not in words
    assert "twenty" not in document_words(["There are twenty officers."])


def test_a_word_and_its_negation_are_not_near():
    v = np.array([[1.0, 0.0], [0.8, 0.6]], dtype=np.float16)
    words = WordVectors(("paid", "salary"), v)
    q = np.array([1.0, 0.0], dtype=np.float32)
    assert [s for s, _ in words.nearest(q, 1, 0.5)] == ["paid"]
    assert [s for s, _ in words.nearest(q, 1, 0.5, "unpaid")] == ["salari"]


def test_the_word_cache_keeps_a_questions_words_when_it_overflows():
    from assistant.nearwords import WordCache

    cache = WordCache(max_words=1)
    calls = []

    def encode(ws):
        calls.append(list(ws))
        return np.ones((len(ws), 3), dtype=np.float32)

    got = cache.get_many(["cops", "survivors", "cops"], encode)
    assert set(got) == {"cops", "survivors"} and calls == [["cops", "survivors"]]
    assert set(cache.get_many(["cops", "lawyers"], encode)) == {"cops", "lawyers"}


def test_near_terms_are_searched_once_and_not_when_the_question_holds_them():
    from assistant.answering import Answerer

    near = {"cop": (("polic", 0.9), ("offic", 0.6)), "squad": (("offic", 0.6),)}
    assert Answerer.near_terms(near) == ["polic", "offic"]
    assert Answerer.near_terms(near, "police and cops") == ["offic"]


def test_a_follow_ups_first_word_is_read_as_its_first(assistant):
    from assistant.answering import Query

    q = Query("Kids?", context="What support do victims receive?")
    assert "kid" in assistant.answerer.query_near_words(q)
    assert "kid" not in assistant.answerer.near_words(q.text)  # mid-text, "Kids" is a name


def test_word_vectors_that_are_no_normalised_floats_are_refused(seed_index, tmp_path):
    import shutil

    from assistant import IndexLoadError
    from assistant.index import load

    idx = tmp_path / "index"
    shutil.copytree(seed_index, idx)
    v = np.load(idx / "word_vectors.npy")
    np.save(idx / "word_vectors.npy", (v * 100).astype(np.int8))
    with pytest.raises(IndexLoadError, match="word_vectors.npy"):
        load(idx, check=False)


def test_the_start_up_upgrade_keeps_the_indexs_chunking(seed_corpus, tmp_path):
    from assistant.chunking import ChunkParams

    index = tmp_path / "index"
    build_index(seed_corpus, index, params=ChunkParams(max_tokens=60))
    manifest_path = index / "manifest.json"
    m = json.loads(manifest_path.read_text())
    del m["word_vectors"]
    manifest_path.write_text(json.dumps(m))
    report = ensure_index(seed_corpus, index)
    assert report is not None and report.embedded == 0
    assert json.loads(manifest_path.read_text())["chunking"]["max_tokens"] == 60


def test_a_follow_up_in_other_words_finds_what_the_documents_say(kestovia):
    history = ["How many residents returned to their country of origin?"]
    r = kestovia.answer("Who paid for the trip?", history)
    assert not r.abstained and "covered travel costs" in r.quotes[0].text
    alone = kestovia.with_settings(AnswerSettings(near_words=NearWords(count=0)))
    r = alone.answer("Who paid for the trip?", history)
    assert r.abstained or "covered travel costs" not in r.quotes[0].text


def test_the_parts_of_a_web_address_are_no_words_of_the_documents(kestovia):
    words = kestovia.index.words.words
    assert "shelter" in words and "gov" not in words  # www.inspectorate.gov.kv



def test_a_question_of_many_unknown_words_reads_only_the_first_ones():
    from assistant.nearwords import MAX_UNSEEN

    question = " ".join(f"zq{chr(97 + i // 26)}{chr(97 + i % 26)}x" for i in range(50))
    found = unseen_words(question, lambda stem: False)
    assert len(found) == MAX_UNSEEN and found[0][0] == "zqaax"


def test_a_words_file_with_an_empty_word_is_refused(seed_index, tmp_path):
    import shutil

    from assistant import IndexLoadError
    from assistant.index import load

    idx = tmp_path / "index"
    shutil.copytree(seed_index, idx)
    words = json.loads((idx / "words.json").read_text())
    (idx / "words.json").write_text(json.dumps([""] * len(words)))
    with pytest.raises(IndexLoadError, match="words.json"):
        load(idx, check=False)
