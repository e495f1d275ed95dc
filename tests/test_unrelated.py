"""The abstention bar measured per index: how covered everyday questions unrelated to the
documents look on it (assistant/unrelated.py)."""
from __future__ import annotations

import json

import pytest

from assistant import Abstention, AnswerSettings, Assistant, build_index
from assistant.api import ensure_index
from assistant import unrelated
from assistant.settings import WEIGHTED_ABSTAIN_BELOW

FIXED = AnswerSettings(abstention=Abstention(unrelated_quantile=None))


def test_the_build_records_the_scores_and_answers_use_them_without_measuring(
        assistant, seed_index, monkeypatch):
    entry = json.loads((seed_index / "manifest.json").read_text())["unrelated"]
    assert entry["questions"] == len(entry["scores"]) == len(unrelated.questions()) >= 150
    assert entry["scores"] == sorted(entry["scores"])
    fresh = Assistant.load(seed_index)
    monkeypatch.setattr(unrelated, "measure", lambda a: pytest.fail("measured again"))
    assert fresh.answerer.unrelated_scores() == entry["scores"]
    # The page is about trafficking: most unrelated questions find little there, so its bar
    # is lower than the fixed one.
    assert fresh.answerer.thresholds()[0] < WEIGHTED_ABSTAIN_BELOW


def test_the_bar_is_a_quantile_of_the_scores_never_above_the_fixed_one():
    low, high = [0.01 * i for i in range(21)], [0.4 + 0.01 * i for i in range(21)]
    a = Abstention()
    assert a.thresholds(low)[0] == pytest.approx(0.19)  # the 95th percentile of 0 .. 0.2
    assert a.thresholds(high)[0] == WEIGHTED_ABSTAIN_BELOW  # a broad collection: the fixed bar
    assert a.thresholds(None)[0] == WEIGHTED_ABSTAIN_BELOW
    assert Abstention(unrelated_quantile=None).thresholds(low)[0] == WEIGHTED_ABSTAIN_BELOW
    assert Abstention(threshold=0.3).thresholds(low)[0] == 0.3  # an explicit one is kept
    assert Abstention(unrelated_quantile=0.5).thresholds(low)[0] == pytest.approx(0.1)
    with pytest.raises(ValueError, match="unrelated_quantile"):
        Abstention(unrelated_quantile=1.5)


def test_paraphrased_questions_the_fixed_bar_refused_are_shown_tentatively(assistant):
    fixed = assistant.with_settings(FIXED)
    assert assistant.answerer.thresholds()[0] < fixed.answerer.thresholds()[0]
    for question, quoted in (("How long can exploited foreigners think things over?",
                              "90 day reflection period"),
                             ("Which charities got government cash?", "EUR 90,000")):
        assert fixed.answer(question).abstained, question
        r = assistant.answer(question)
        assert r.tentative and not r.abstained and quoted in r.quotes[0].text, question
    for question in ("What is the capital of Australia?", "How do I bake sourdough bread?",
                     "Who won the last Champions League final?"):
        assert assistant.answer(question).abstained, question


def test_other_settings_measure_their_own_scores_once(assistant, monkeypatch):
    from assistant.settings import Weights

    from collections import OrderedDict

    monkeypatch.setattr(unrelated, "_MEASURED", OrderedDict())  # whatever ran before
    other = assistant.with_settings(AnswerSettings(weights=Weights(meaning=1.0)))
    calls = []
    real = unrelated.measure
    monkeypatch.setattr(unrelated, "measure", lambda a: calls.append(1) or real(a))
    scores = other.answerer.unrelated_scores()
    other.answer("Who funds victim assistance?")
    # answer(..., settings=...) makes a new answerer per call: measured once all the same
    again = assistant.with_settings(AnswerSettings(weights=Weights(meaning=1.0)))
    again.answer("Who funds victim assistance?")
    assert calls == [1] and len(scores) == len(unrelated.questions())
    assert again.answerer.unrelated_scores() == scores
    assert scores != assistant.answerer.unrelated_scores()


def test_an_unchanged_corpus_rebuilds_only_to_add_missing_scores(seed_corpus, tmp_path):
    index = tmp_path / "index"
    build_index(seed_corpus, index)
    manifest_path = index / "manifest.json"
    first = json.loads(manifest_path.read_text())
    again = build_index(seed_corpus, index)
    assert json.loads(manifest_path.read_text())["build_id"] == first["build_id"]
    assert again.embedded == 0
    # An index from before the scores (or with scores of other defaults) gets them on the
    # next build, without embedding anything again.
    del first["unrelated"]
    manifest_path.write_text(json.dumps(first))
    report = build_index(seed_corpus, index)
    rebuilt = json.loads(manifest_path.read_text())
    assert rebuilt["build_id"] != first["build_id"] and report.embedded == 0
    assert len(rebuilt["unrelated"]["scores"]) == len(unrelated.questions())
    # The app's start-up (ensure_index) does the same for an index from before the scores.
    del rebuilt["unrelated"]
    manifest_path.write_text(json.dumps(rebuilt))
    assert ensure_index(seed_corpus, index) is not None
    assert "unrelated" in json.loads(manifest_path.read_text())
    assert ensure_index(seed_corpus, index) is None  # and then nothing more


def test_the_command_line_build_records_them_and_a_failure_keeps_the_previous_index(
        seed_corpus, tmp_path, monkeypatch):
    from assistant.cli import build_main

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "slovenia.txt").write_text((seed_corpus / "slovenia.txt").read_text())
    assert build_main(["--corpus", str(corpus), "--index", str(index), "--quiet"]) == 0
    manifest = json.loads((index / "manifest.json").read_text())
    assert len(manifest["unrelated"]["scores"]) == len(unrelated.questions())
    # Measuring fails (a bug, a full disk): the build fails and the index stays as it was.
    before = (index / "manifest.json").read_text()
    (corpus / "extra.txt").write_text("A second document about something else entirely.\n")

    def broken(answerer):
        raise RuntimeError("measuring failed")

    monkeypatch.setattr(unrelated, "measure", broken)
    with pytest.raises(RuntimeError, match="measuring failed"):
        build_index(corpus, index)
    assert (index / "manifest.json").read_text() == before
    assert Assistant.load(index).answer("Who funds victim assistance?").quotes
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("index.")]


def test_a_collection_over_the_size_limit_keeps_the_fixed_bar(seed_corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(unrelated, "MAX_PASSAGES", 5)  # the seed page has 10 passages
    monkeypatch.setattr(unrelated, "measure", lambda a: pytest.fail("measured"))
    index = tmp_path / "index"
    build_index(seed_corpus, index)
    entry = json.loads((index / "manifest.json").read_text())["unrelated"]
    assert "skipped" in entry and "scores" not in entry
    assert Assistant.load(index).answerer.thresholds()[0] == WEIGHTED_ABSTAIN_BELOW
    build_id = json.loads((index / "manifest.json").read_text())["build_id"]
    build_index(seed_corpus, index)  # up to date: nothing to do
    assert json.loads((index / "manifest.json").read_text())["build_id"] == build_id


@pytest.mark.parametrize("entry", [
    "not an entry", ["a", "list"], {"fingerprint": 5, "scores": []},
    {"scores": ["0.1"] * 160}, {"scores": [None] * 160}, {"scores": [[0.1]] * 160},
    {"scores": [float("nan")] * 160}, {"scores": [-5.0] * 160}, {"scores": [True] * 160},
    {"scores": [0.1] * 3}])
def test_a_damaged_entry_is_measured_again_and_repaired_by_the_next_build(
        seed_corpus, tmp_path, entry):
    index = tmp_path / "index"
    build_index(seed_corpus, index)
    path = index / "manifest.json"
    good = json.loads(path.read_text())
    manifest = dict(good)
    if isinstance(entry, dict):  # keep the fingerprint, damage the rest
        entry = {"fingerprint": good["unrelated"]["fingerprint"], **entry}
    manifest["unrelated"] = entry
    path.write_text(json.dumps(manifest))
    a = Assistant.load(index)
    assert a.answerer.unrelated_scores() == good["unrelated"]["scores"]  # measured again
    assert a.answer("How do I bake sourdough bread?").abstained
    assert ensure_index(seed_corpus, index) is not None  # and rebuilt
    assert json.loads(path.read_text())["unrelated"]["scores"] == good["unrelated"]["scores"]
