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
    from assistant.queries import Query

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
    from assistant.answering import LEANS

    r = kestovia.answer("Who paid for the trip?", history)
    assert not r.abstained and "covered travel costs" in r.quotes[0].text
    assert LEANS not in r.caveats  # found by its own words, read as the documents say them
    # Without near words it is refused, or shown only as the conversation's reading, leaning
    # on the last question's words (a short follow-up half in the documents' words).
    alone = kestovia.with_settings(AnswerSettings(near_words=NearWords(count=0)))
    r = alone.answer("Who paid for the trip?", history)
    assert r.abstained or LEANS in r.caveats or "covered travel costs" not in r.quotes[0].text


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


# --- common English words, embedded once per model -------------------------------------------

def _counting(monkeypatch, embedder) -> list[str]:
    """Every text ``embedder`` is asked to encode from now on (the model is shared by the
    process: the patch is undone after the test)."""
    seen: list[str] = []
    encode = embedder.encode

    def counted(texts, *args, **kwargs):
        seen.extend(texts)
        return encode(texts, *args, **kwargs)

    monkeypatch.setattr(embedder, "encode", counted)
    return seen


def test_a_common_word_is_read_from_the_vectors_made_once_not_run_through_the_model(
        assistant, monkeypatch):
    from assistant import nearwords

    a = assistant.answerer
    table = nearwords.common_words(a.embedder)  # made by the build of the session's index
    assert table is not None and "cops" in table and "zorblat" not in table
    a.cache.words.clear()
    ran = _counting(monkeypatch, a.embedder)
    near = a.near_words("How many cops and zorblats work on it?")
    assert "cop" in near
    assert "cops" not in ran and "zorblats" in ran  # only the word the list lacks is run


def test_a_words_vector_is_the_same_from_the_common_words_and_run_on_its_own(assistant):
    """So an answer does not depend on whether the common words have been made yet."""
    from assistant import nearwords

    a = assistant.answerer
    table = nearwords.common_words(a.embedder)
    words = ["cops", "kids", "cash"]
    run = nearwords.WordCache().get_many(words, a.embedder.encode)
    read = table.vectors_of(words)
    for w in words:
        assert read[w].dtype == np.float32 and np.array_equal(read[w], run[w])


@pytest.fixture
def small_word_list(monkeypatch, tmp_path):
    """A fresh cache folder and a list of a few words, so making the vectors takes no time."""
    from assistant import nearwords

    words = ("cops", "kids", "cash", "lawyers", "survivors")
    monkeypatch.setenv("VERBATIM_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(nearwords, "common_word_list", lambda: words)
    monkeypatch.setattr(nearwords, "_list_digest", lambda: "test-" + ",".join(words))
    return words


def test_common_words_are_made_once_per_model_and_a_damaged_copy_is_made_again(
        assistant, small_word_list, monkeypatch):
    from assistant import nearwords

    emb = assistant.answerer.embedder
    assert nearwords.common_words(emb) is None  # not made yet in this cache folder
    ran = _counting(monkeypatch, emb)
    table = nearwords.ensure_common_words(emb)
    assert len(table) == len(small_word_list) and sorted(ran) == sorted(small_word_list)
    folder = nearwords.common_words_folder(emb)
    assert sorted(p.name for p in folder.iterdir()) == ["common_words.json", "vectors.npy"]
    assert not list(folder.parent.glob("*.tmp"))  # no leftovers (the lock file stays)
    ran.clear()
    assert nearwords.ensure_common_words(emb) is table and ran == []

    # A copy cut short (a process that died while writing) is not read, and is made again.
    nearwords._tables.clear()
    np.save(folder / "vectors.npy", np.zeros((2, 3), dtype=np.float16))
    assert nearwords.common_words(emb) is None
    again = nearwords.ensure_common_words(emb)
    assert again is not None and len(again) == len(small_word_list) and ran


def test_a_cache_folder_holding_anything_else_is_left_as_it_is(
        assistant, small_word_list, caplog, monkeypatch):
    from assistant import nearwords

    emb = assistant.answerer.embedder
    folder = nearwords.common_words_folder(emb)
    folder.mkdir(parents=True)
    (folder / "vectors.npy").write_text("mine")  # a name this code uses, and no manifest
    ran = _counting(monkeypatch, emb)
    assert nearwords.ensure_common_words(emb) is None  # words are embedded as asked
    assert (folder / "vectors.npy").read_text() == "mine" and ran == []
    assert "did not write" in caplog.text


def test_vectors_damaged_in_place_are_not_read(assistant, small_word_list):
    """A crash can leave a file of the right size full of zeros: its checksum says so."""
    from assistant import nearwords

    emb = assistant.answerer.embedder
    nearwords.ensure_common_words(emb)
    folder = nearwords.common_words_folder(emb)
    vectors = np.load(folder / "vectors.npy")
    np.save(folder / "vectors.npy", np.zeros_like(vectors))
    nearwords._tables.pop(folder, None)
    assert nearwords.common_words(emb) is None
    again = nearwords.ensure_common_words(emb)
    assert np.array_equal(np.asarray(again.vectors), vectors)


def test_an_unwritable_cache_folder_costs_no_embedding(
        assistant, small_word_list, tmp_path, monkeypatch, caplog):
    from assistant import nearwords

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("VERBATIM_CACHE", str(blocker))
    emb = assistant.answerer.embedder
    ran = _counting(monkeypatch, emb)
    assert nearwords.ensure_common_words(emb) is None and ran == []
    assert "not kept" in caplog.text
    assert nearwords.ensure_common_words(emb) is None and ran == []  # not tried again


def test_no_common_words_for_torch_which_pads_words_together():
    from assistant import nearwords
    from assistant.embedding import get_embedder

    assert nearwords.common_words_folder(get_embedder(None, "torch")) is None


def test_no_common_words_for_a_stand_in_model():
    from assistant import nearwords

    class StandIn:
        dimension, name, backend = 3, "stand-in", "custom"

        def encode(self, texts):
            return np.ones((len(texts), 3), dtype=np.float32)

    assert nearwords.common_words_folder(StandIn()) is None
    assert nearwords.ensure_common_words(StandIn()) is None


def test_a_build_takes_the_documents_common_words_from_the_list(
        assistant, small_word_list, tmp_path, monkeypatch):
    from assistant import nearwords
    from assistant.embedding import get_embedder

    emb = get_embedder(assistant.index.model, assistant.index.backend)
    nearwords.ensure_common_words(emb)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Cops and lawyers met the survivors. Prosecutors listened.\n")
    ran = _counting(monkeypatch, emb)
    build_index(corpus, tmp_path / "index", backend=assistant.index.backend)
    words = json.loads((tmp_path / "index" / "words.json").read_text())
    assert {"cops", "lawyers", "survivors", "prosecutors"} <= set(words)
    assert "prosecutors" in ran and not {"cops", "lawyers", "survivors"} & set(ran)


def test_what_a_process_killed_while_writing_left_is_cleared_at_the_next_making(
        assistant, small_word_list):
    from assistant import nearwords

    emb = assistant.answerer.embedder
    folder = nearwords.common_words_folder(emb)
    left = folder.parent / f".{folder.name}.0123abcd.tmp"
    left.mkdir(parents=True)
    (left / "vectors.npy").write_bytes(b"half")
    assert nearwords.ensure_common_words(emb) is not None
    assert not left.exists()


def test_a_word_with_a_superscript_is_no_word_of_the_documents(tmp_path):
    """The index's reader takes letters only; a build of a text with "km²" had failed its own
    read-back (SciFact)."""
    assert document_words(["An area of 20 km² and a volume of 5 m³ near Ljubljana."]) == \
        ["area", "volume"]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("The forest covers 20 km² of land; its lakes hold 5 m³.\n")
    build_index(corpus, tmp_path / "index")
    from assistant import Assistant

    words = Assistant.load(tmp_path / "index").index.words.words
    assert "forest" in words and not [w for w in words if not w.isalpha()]


@pytest.mark.parametrize("measured", [True, False])
def test_a_new_index_whose_words_do_not_load_is_not_swapped_in(tmp_path, monkeypatch, measured):
    """A build whose words file its reader refuses fails with what is wrong, keeps the previous
    index, and names no temporary folder to rebuild (it had said "rebuild it with: python
    build_index.py --index .../index.tmp-..."). Whether or not the build measures its new index
    (``api.build_index`` does; ``index.build`` alone does not)."""
    from assistant import index as _index
    from assistant.index import builder

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Victims are referred to shelters by the police.\n")
    build_index(corpus, tmp_path / "index")
    before = (tmp_path / "index" / "manifest.json").read_text()
    (corpus / "b.txt").write_text("Prosecutors bring the charges.\n")
    monkeypatch.setattr(builder, "document_words", lambda texts: ["charges", "km²"])
    with pytest.raises(_index.BuildError) as e:
        if measured:
            build_index(corpus, tmp_path / "index")
        else:
            _index.build(corpus, tmp_path / "index", _index.BuildSettings())
    assert "read-back check failed" in str(e.value) and "lower-case words" in str(e.value)
    assert ".tmp" not in str(e.value)
    assert (tmp_path / "index" / "manifest.json").read_text() == before
    assert not [p for p in tmp_path.iterdir() if "tmp" in p.name]
