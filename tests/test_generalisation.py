"""Three outcomes, follow-ups decided by evidence, the evaluation set and the confidence fit."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant import Abstention, AnswerSettings
from assistant.queries import make_query
from conftest import ROOT

SET = ROOT / "benchmarks" / "questions"


def test_tentative_answers_show_quotes_with_a_label(assistant):
    always_tentative = assistant.with_settings(AnswerSettings(abstention=Abstention(
        threshold=0.0, tentative_below=2.0)))
    r = always_tentative.answer("How long is the reflection period?")
    assert r.tentative and not r.abstained and r.quotes
    assert "may not answer your question" in r.markdown
    confident = assistant.answer("How long is the reflection period?")
    assert not confident.tentative and "may not answer" not in confident.markdown
    assert confident.caveats == () and r.caveats == ("they match your question only loosely",)
    assert "only loosely" in r.markdown
    # A quote holding every word asked is not said to match only loosely (that would be
    # false); its doubt is said otherwise.
    r = always_tentative.answer("Who approved the JIT THB WB project?")
    assert "approved by the European Commission" in r.quotes[0].text
    assert r.caveats == ("they hold the words of your question, but may not say what it asks",)
    # A word pointing back, or a single word, is no word of the question a quote could hold.
    from assistant.quoting import holds_asked_words
    assert holds_asked_words("Who approved the project?", "The project was approved by them.")
    assert not holds_asked_words("And who investigates them?", "They told them to investigate.")
    assert not holds_asked_words("What time is it?", "About fifteen officers work full time.")
    # A year the document never names is said once, by the document check.
    later = assistant.answer("How long was the reflection period in 2030?")
    assert "the document quoted never mentions “2030”" in later.caveats
    assert not any("your question names" in c for c in later.caveats)
    # The figure check names what was counted: a quote giving "19 minors" for "how many
    # children" had been said to give no figure at all (found by a probe).
    shelters = assistant.answer("How many shelters are there in Slovenia?")
    assert "no figure in the quote is followed by the word “shelters”" in shelters.caveats


def test_the_answer_model_ships_as_json_and_gives_the_confidence(assistant):
    from assistant.confidence import FEATURES, MODEL_FILE, default_model

    from assistant.settings import UNLIKELY_BELOW

    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))  # JSON, no pickle
    assert set(data["provenance"]) >= {"data", "date", "features", "unlikely_below"}
    # The default bar is the one chosen with this model (benchmarks/calibrate.py prints it).
    assert data["provenance"]["unlikely_below"] == UNLIKELY_BELOW
    model = default_model().answers
    assert model.features == FEATURES
    a = assistant.answerer
    ev, _ = a.evidence(make_query("How long is the reflection period?"))
    j = a.judge(ev)
    r = assistant.answer("How long is the reflection period?")
    # The answer's confidence is the model's probability that its top quote answers; the
    # weighted score still decides abstention and follow-ups.
    assert r.confidence == pytest.approx(model.probability(a.features(ev, j.candidates)))
    assert 0.0 < r.confidence < 1.0 and r.confidence != pytest.approx(j.confidence)


def test_an_abstention_claims_no_confidence(assistant):
    # The answer model may give gibberish a middling probability; no quote is offered, so the
    # answer claims none.
    for question in ("a" * 500, "What is the capital of Australia?"):
        r = assistant.answer(question)
        assert r.abstained and r.confidence == 0.0


def test_an_answer_the_model_finds_unlikely_is_tentative(assistant):
    question = "How long is the reflection period?"
    p = assistant.answer(question).confidence
    doubting = assistant.with_settings(AnswerSettings(abstention=Abstention(
        unlikely_below=min(1.0, p + 0.01))))
    r = doubting.answer(question)
    assert r.tentative and r.quotes and "may not answer" in r.markdown
    for trusting in (Abstention(unlikely_below=None),
                     Abstention(unlikely_below=max(0.0, p - 0.01))):
        assert not assistant.with_settings(AnswerSettings(abstention=trusting)).answer(
            question).tentative


def test_the_coverage_bar_ships_with_the_model():
    from assistant.confidence import COVER_FEATURES, MODEL_FILE

    from assistant.settings import UNRELATED_BELOW

    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert data["provenance"]["unrelated_below"] == UNRELATED_BELOW
    assert tuple(data["covers"]["features"]) == COVER_FEATURES
    assert "off-topic" in data["provenance"]["data"]  # the off-topic set it also learnt from


def _covered(assistant, question):
    a = assistant.answerer
    ev, _ = a.evidence(make_query(question))
    j = a.judge(ev)
    return a.covered_probability(ev, a.features(ev, j.candidates))


def test_a_question_sharing_only_a_word_with_the_documents_is_refused(assistant):
    # "Sofia" is on the page (a conference was held there); restaurants are not. The weighted
    # bar had let it through as tentative.
    question = "What are good restaurants in Sofia?"
    unbarred = assistant.with_settings(AnswerSettings(abstention=Abstention(
        unrelated_below=None)))
    assert not unbarred.answer(question).abstained
    r = assistant.answer(question)
    assert r.abstained and r.confidence == 0.0 and not r.quotes and r.closest
    # (Restaurants are an errand as well, refused at any bar: the bar is shown on another.)
    question = "What river flows through Sofia?"
    p = _covered(assistant, question)
    for bar, refused in ((p + 0.01, True), (max(0.0, p - 0.01), False)):
        a = assistant.with_settings(AnswerSettings(abstention=Abstention(unrelated_below=bar)))
        assert a.answer(question).abstained is refused
    # A real question in other words than the page's is well above the bar.
    assert _covered(assistant, "Which charities got government cash?") > 2 * p
    assert not assistant.answer("Which charities got government cash?").abstained


def test_a_misspelt_question_is_not_refused_as_unrelated(assistant):
    # Misspellings thin the evidence as much as a change of subject; a review found these
    # refused by the coverage bar, though the right quote was shown before it.
    strict = assistant.with_settings(AnswerSettings(abstention=Abstention(unrelated_below=1.0)))
    for question in ("how lng is the refection period", "were was the kickoff conferance",
                     "how mnay days do foregin vicitms get"):
        assert _covered(assistant, question) < assistant.settings.abstention.unrelated_below
        r = strict.answer(question)
        assert not r.abstained and r.quotes, question
    assert strict.answer("how long is the reflection period").abstained  # the rule applies


def test_misspellings_are_one_edit_from_the_documents_words():
    from assistant import spelling

    vocab = spelling.vocabulary(["The reflection period of the Government lasts 90 days.",
                                 "Victims may apply; time is short."])
    assert spelling.misspelt("how lng is the refection priod", vocab) == [
        ("refection", "reflection"), ("priod", "period")]
    assert spelling.misspelt("goverment vicitms", vocab) == [("goverment", "government"),
                                                            ("vicitms", "victims")]
    # Inflections, short words, figures and words two edits away are none.
    assert spelling.misspelt("What's 17 times 4? apply lasts dayz reflexions", vocab) == []
    # Nor is a word of the language one edit from a word of the documents ("where" from
    # "there", "right" from "fight"): a probe found every "Where ...?" exempt from the bar.
    vocab = spelling.vocabulary(["There the fight went on."])
    assert spelling.misspelt("where right", vocab) == [("where", "there"), ("right", "fight")]
    assert spelling.misspelt("where right", vocab, lambda w: w in {"where", "right"}) == []


def test_words_typed_whole_or_cut_short_are_read_as_the_documents_write_them(assistant):
    from assistant import spelling

    vocab = spelling.vocabulary(["The Kick-off Conference was held in Sofia; the follow-up",
                                 "meeting and the conference report. A workplace, a work-place."])
    assert vocab.compounds == {"kickoff": "kick-off", "followup": "follow-up"}
    assert spelling.corrected("Where was the Kickoff conf, and the followup?", vocab) == \
        "Where was the Kick-off conference, and the follow-up?"
    # Cut short, a word starting two of the documents' words stands for neither ("meet" is a
    # word anyway); a word of the language, a name and a word too short stay as written.
    assert spelling.completed("conf", vocab) == "conference"
    assert spelling.completed("repo", vocab) == "report"
    vocab = spelling.vocabulary(["prosecutor prosecution conference"])
    assert spelling.completed("prosec", vocab) is None
    assert spelling.corrected("Is the conf with Confe ready? con", vocab,
                              lambda w: w == "ready") == "Is the conference with Confe ready? con"
    # A probe's note-style question had been refused.
    r = assistant.answer("wher was kickoff conf")
    assert not r.abstained and "Kick-off Conference in Sofia" in r.quotes[0].text


def test_a_misspelt_word_of_the_documents_is_searched_as_they_spell_it(assistant):
    from assistant import spelling

    vocab = spelling.vocabulary(["The reflection period of the Government lasts 90 days.",
                                 "Victims may apply; the terms in Boston."])
    assert spelling.corrected("How long is the refelction priod for victmis?", vocab) == \
        "How long is the reflection period for victims?"
    assert spelling.corrected("Refelction?", vocab) == "Reflection?"
    # A word of the language stays, though one edit from a word of the documents ("germs" of
    # "terms", "boson" of "Boston", "approves" of "approved": each had been "corrected" on the
    # evaluation set before the English word list was asked), and so does a name.
    for text in ("What do germs cause?", "What is a boson?", "Who approves it?",
                 "Who led the Tories?"):
        assert spelling.corrected(text, vocab) == text, text
    r = assistant.answer("How long is the refelction period for foreign victmis?")
    assert r.question == "How long is the refelction period for foreign victmis?"
    assert not r.tentative and "90 day reflection period" in r.quotes[0].text
    # Retrieval reads the question as answer() does, alone and in a conversation.
    assert assistant.retrieve("refelction period", 3) == assistant.retrieve("reflection period", 3)
    assert assistant.retrieve("And for how lnog?", 3, history=["What is the refelction period?"]) \
        == assistant.retrieve("And for how lnog?", 3, history=["What is the reflection period?"])


def test_a_requests_opening_is_not_searched(assistant):
    from assistant.quoting import without_preamble

    for typed, searched in (("Please tell me: who approves the plans?", "who approves the plans?"),
                            ("Can you tell me who funds NGOs?", "who funds NGOs?"),
                            ("Hi, could you please tell me when it was adopted?",
                             "when it was adopted?"),
                            ("I'd like to know how long the period is", "how long the period is"),
                            ("Do you know who runs the shelters?", "who runs the shelters?")):
        assert without_preamble(typed) == searched, typed
    # Nothing else is an opening, and nothing is left empty.
    for question in ("Who tells me the truth?", "Do you know?", "Please tell me"):
        assert without_preamble(question) == question
    plain = assistant.answer("Who approves the National Action Plans?")
    r = assistant.answer("Please tell me: who approves the National Action Plans?")
    assert r.question == "Please tell me: who approves the National Action Plans?"
    assert r.quotes[0].text == plain.quotes[0].text and r.tentative == plain.tentative


def test_the_model_vocabulary_tells_words_from_misspellings(assistant):
    from assistant.embedding import knows_word

    assert knows_word(assistant.embedder, "where") and knows_word(assistant.embedder, "Right")
    assert knows_word(assistant.embedder, "goverment") is False
    assert knows_word(object(), "where") is None  # a custom model without a vocabulary
    # So a question in real words sharing only "Sofia" with the page is refused, while a
    # misspelt one about the page is not.
    assert assistant.answer("Where are good restaurants in Sofia?").abstained
    assert assistant.answerer.misspelt("how lng is the refection period")
    assert not assistant.answerer.misspelt("Where are good restaurants in Sofia?")


def test_a_country_no_document_names_is_asked_about_elsewhere():
    from assistant.checks import asks_unnamed_country

    df = {"slovenia": 9, "croatia": 1, "bulgarian": 1, "unit": 1, "kingdom": 1}.get
    places = frozenset({"slovenia"})
    for question, country in [
            ("How do I apply for a work permit in Canada?", "Canada"),
            ("what is the reflection period in austria", "Austria"),
            ("What's the capital of Australia?", "Australia"),
            ("Do victims get trafficked to Japan?", "Japan"),
            # named by the page, itself or by its people ("Bulgarian partners")
            ("Is the reflection period the same in Croatia?", None),
            ("Which workshops were held in Bulgaria?", None),
            # where the victims come from is no place asked about; nor is one beside the
            # page's own place
            ("What help do victims from Nigeria get?", None),
            ("Can a citizen of Ukraine who is a victim get a residence permit?", None),
            ("Is the reflection period also granted to nationals of Moldova?", None),
            ("Are foreign victims sent back to Nigeria after the trial?", None),
            ("Can victims trafficked in Italy stay in Slovenia?", None),
            ("How does Slovenia compare to Germany?", None),
            ("Do victims in Canada get the Slovenian residence permit?", None),
            # inside a longer name, or named by the page by another of its names
            ("Is it the same in the United States of America?", None),
            ("What about the case of Georgia Smith?", None),
            ("What is the reflection period in the UK?", None)]:
        assert asks_unnamed_country(question, lambda t: df(t, 0), places) == country, question


def test_a_question_about_another_country_is_refused(assistant, tmp_path):
    from conftest import assistant_over

    for q in ("How do I apply for a work permit in Canada?",
              "What is the reflection period for trafficking victims in Austria?"):
        assert assistant.answer(q).abstained, q
    history = ["What is the reflection period for identified foreign victims?"]
    assert assistant.answer("is it the same 90 days in austria?", history).abstained
    assert not assistant.answer("What help do victims from Nigeria get?").abstained
    # A collection about no place of its own (a licence) may apply anywhere: not refused.
    licence = assistant_over(tmp_path, {"licence.txt": (
        "Free Licence\n\nYou may copy and distribute the Program in any medium, provided that "
        "you keep this notice. The licence applies worldwide, for the full term of the "
        "copyright. You may charge a fee for the physical act of transferring a copy.")})
    assert not licence.answer("Can I distribute copies of the Program in Germany?").abstained


def test_a_question_on_the_collections_subject_is_not_refused_as_unrelated(assistant):
    # "traffickers" is in every passage of the page: a question naming it in everyday words
    # ("arrests") is on the subject, however thin its evidence. A probe found these refused.
    strict = assistant.with_settings(AnswerSettings(abstention=Abstention(unrelated_below=1.0)))
    for question in ("Who arrests traffickers?", "Who takes traffickers to court?"):
        assert _covered(assistant, question) is None
        assert not strict.answer(question).abstained, question


def test_a_question_naming_only_the_setting_is_not_refused_for_that(assistant):
    # "Slovenia" is in most passages of the page. Refusing questions whose only word of the
    # page is such a name was tried and dropped: a review found "How much did Slovenia
    # spend?" and "What does Slovenia offer?" refused. An errand is refused all the same.
    assert assistant.answer("Can you write me a poem about Slovenia?").abstained
    for question in ("How much did Slovenia spend?", "What does Slovenia offer?",
                     "How does Slovenia help victims?"):
        assert not assistant.answer(question).abstained, question


def test_the_coverage_bar_leaves_follow_ups_to_the_conversation(assistant):
    # At the highest bar every question it judges is refused, so what it leaves alone shows.
    strict = assistant.with_settings(AnswerSettings(abstention=Abstention(unrelated_below=1.0)))
    assert strict.answer("How long is the reflection period for foreign victims?").abstained
    history = ["What does the government prioritise to protect children?"]
    for question, past in (("Who pays for it?", ["Who runs the shelters?"]),
                           ("Which article covers that?", history),  # "that" may point back
                           ("Trafficking?", []),  # one word of its own: too little to judge
                           ("What about lawyers?", ["What help do victims get?"])):
        assert not strict.answer(question, past).abstained, question
        assert _covered(strict, question) is None, question
    # A question read with the conversation is not judged alone: alone, it would be.
    past = ["What help do victims get?"]
    ev, j = strict.answerer.best_reading("And the medical side?", past, "hybrid", None, 5)
    assert ev.query.context and not strict.answer("And the medical side?", past).abstained
    alone = strict.answerer.evidence(make_query("And the medical side?"))[0]
    assert strict.answerer.unrelated(alone, strict.answerer.features(
        alone, strict.answerer.judge(alone).candidates))
    # The fitted mode has its own coverage threshold; this bar is the default mode's.
    fitted = assistant.with_settings(AnswerSettings(abstention=Abstention(
        fitted=True, unrelated_below=1.0)))
    assert not fitted.answer("How long is the reflection period for foreign victims?").abstained


def test_shared_words_without_shared_meaning_are_not_a_confident_answer(assistant):
    # "what time is it" shares one word with "... assigned full time ..." and nothing of its
    # meaning; the words alone had carried it over the bar, and it was answered confidently.
    for question in ("what time is it", "What time is it"):
        r = assistant.answer(question)
        assert r.abstained or r.tentative, (question, r.quotes[0].text)
    # The floor is what holds it (the time-of-day check, ``lacks_clock_time``, would too).
    unfloored = assistant.with_settings(AnswerSettings(abstention=Abstention(
        meaning_floor=None, require_specifics=False)))
    assert not unfloored.answer("what time is it").tentative
    assert not assistant.answer("How long is the reflection period?").tentative


def test_invalid_abstention_settings_are_refused():
    with pytest.raises(ValueError, match="Abstention.unlikely_below"):
        Abstention(unlikely_below=1.5)
    with pytest.raises(ValueError, match="Abstention.unrelated_below"):
        Abstention(unrelated_below=-0.5)
    with pytest.raises(ValueError, match="Abstention.meaning_floor"):
        Abstention(meaning_floor=-0.1)
    with pytest.raises(ValueError, match="Abstention.threshold"):
        Abstention(threshold=float("nan"))
    with pytest.raises(ValueError, match="Fusion.dense_weight"):
        AnswerSettings().fusion.__class__(dense_weight=1.5)


@pytest.mark.parametrize("history, question, expected", [
    (["What help is available for victims?"], "Who pays for it?", "EUR 90,000"),
    (["What help do victims receive?"], "And legal aid?", "legal assistance"),
    (["Who investigates trafficking in Slovenia?"], "How many prosecutors are there?",
     "11 prosecutors"),
])
def test_follow_ups_are_read_with_the_conversation_when_needed(assistant, history, question,
                                                               expected):
    r = assistant.answer(question, history)
    assert r.quotes
    if expected:
        assert expected in r.quotes[0].text


def test_a_follow_up_the_documents_do_not_answer_is_never_answered_confidently(assistant):
    # The page gives the reflection period of foreign victims, nothing for children: the
    # earlier answer may be offered tentatively, or the question refused, never asserted.
    r = assistant.answer("And for children?",
                         ["What is the reflection period for identified foreign victims?"])
    assert r.abstained or r.tentative


@pytest.mark.parametrize("history, message", [
    (["What help do victims receive?"], "Is it going to rain tomorrow?"),
    (["What help do victims receive?"], "Tell me a joke."),
    (["Who investigates trafficking offences?"], "Who built you?"),
    # No content words but the assistant itself: small talk, never read as a follow-up.
    (["How many police officers work on trafficking?"], "How are you?"),
    (["How many police officers work on trafficking?"], "What can you do?"),
])
def test_a_change_of_subject_is_not_answered_from_the_conversation(assistant, history, message):
    # Each leans on the conversation (a pronoun, or words the page never uses); the quote the
    # conversation finds says nothing about what is asked, so no quote is shown.
    r = assistant.answer(message, history)
    assert r.abstained and not r.quotes


def test_a_self_contained_question_stays_put_after_any_history(assistant):
    for history in (["What help is available for victims?"],
                    ["Who investigates trafficking?", "How many officers?"]):
        assert assistant.answer("What is the capital of Australia?", history).abstained
        r = assistant.answer("How long is the reflection period for foreign victims?", history)
        assert "90 day reflection period" in r.quotes[0].text


@pytest.mark.parametrize("question", [
    "Who pays for it?", "Is it legal?", "Does it apply to children?", "Is it full time?",
    "How long does it take?", "Is it used to fund shelters?", "Did it help to reduce crime?",
    "Is it available to foreigners?", "Is it true that they got permits?", "The same for kids?"])
def test_a_pronoun_that_stands_for_something_earlier_points_back(question):
    from assistant.queries import points_back

    assert points_back(question)


@pytest.mark.parametrize("question", [
    "Is it safe to give my dog grapes?", "What year is it?", "what time is it", "Is it raining?",
    "Is it going to rain?", "Is it worth learning Slovenian first?", "Is it too late for me to apply?",
    "How much does it cost to apply for a permit?", "Whose job is it to judge the code?",
    "What matters when it comes to kids?", "Is it legal for employers to keep passports?",
    "Is it really possible to appeal a decision?", "It seems victims are fined; why?",
    "Is it the case that victims must testify?", "Is it cold in Ljubljana?"])
def test_a_pleonastic_it_does_not_point_back(question):
    # The "it" of "Is it safe to ...?" stands for the clause after it, not for anything said
    # earlier: the question asks something by itself.
    from assistant.queries import points_back

    assert not points_back(question)


@pytest.mark.parametrize("history, question", [
    (["Are the officers assigned full time?"], "What time is it?"),
    (["Who provides vocational training to victims?"], "Is it hard to learn Slovenian?"),
])
def test_a_question_with_a_pleonastic_it_is_read_as_if_asked_alone(assistant, history, question):
    # A whole clause about nothing said earlier: a word it shares with the last answer ("time"
    # in "full time") does not make it a follow-up. (After the officers, "What time is it?" was
    # answered confidently with their quote.)
    alone, after = assistant.answer(question), assistant.answer(question, history)
    assert (after.quotes, after.tentative, after.abstained, after.confidence) == \
        (alone.quotes, alone.tentative, alone.abstained, alone.confidence)


@pytest.mark.parametrize("history, question, refused", [
    (["What are the goals of prevention?"], "What day is it?", False),
    (["Who did Slovenia work with on the JIT project?"], "What year is it?", False),
    (["Who did Slovenia work with on the JIT project?"],
     "Is it safe to swim in the Adriatic in May?", True),
])
def test_a_question_with_a_pleonastic_it_is_not_answered_from_the_conversation(
        assistant, history, question, refused):
    # Each was answered from the conversation (the first two confidently, the last
    # tentatively) while its "it" made it a follow-up. Read alone, none gets a confident
    # quote; the last is refused.
    r = assistant.answer(question, history)
    assert r.abstained if refused else (r.abstained or r.tentative)


def test_words_of_the_conversation_are_not_what_a_question_asks_about():
    from assistant.quoting import asked_terms, conversational_words

    assert asked_terms("Sorry, how long was it again?") == asked_terms("how long was it")
    assert asked_terms("Say that again?") == [] and asked_terms("Thanks!") == []
    assert conversational_words("Can you repeat that?") == {"repeat"}
    # "repeat", "say" and "come" are words of the conversation only when asking again.
    assert asked_terms("Are repeat offenders prosecuted?")[0] == "repeat"
    assert asked_terms("What does the law say about victims?") == ["law", "say", "victim"]
    # Quantifiers and "were" ask about nothing: "And how many were children?" is one word
    # long, a follow-up (it had counted three and was read with the conversation confidently).
    assert asked_terms("And how many were children?") == ["children"]
    assert asked_terms("How much more money was there?") == ["money"]
    # Nor do the indefinite pronouns and "else" ("anyone else?" had been read alone, refused).
    assert asked_terms("anyone else?") == [] and asked_terms("Who else?") == []
    assert asked_terms("whats the hotline number") == asked_terms("what is the hotline number")


def test_a_short_follow_up_half_in_the_documents_words_is_read_with_the_conversation(
        assistant):
    # "recent focus?": "focus" is no word of the page; alone it is refused, and it had been
    # refused here too (the test wanted most of its words to be the page's).
    history = ["how is trafficking prevention organised in slovenia"]
    assert assistant.answer("recent focus?").abstained
    reply = assistant.answer("recent focus?", history)
    assert reply.tentative and "a special emphasis has been made on education and " \
        "training" in reply.quotes[0].text
    # A change of subject in words the page never uses is still refused.
    assert assistant.answer("and the weather?", history).abstained


def test_a_short_follow_up_naming_its_thing_by_the_is_read_with_the_conversation(assistant):
    # "the total amount": no word of the page, but "the" says it is one the conversation
    # spoke of (a blind probe's, refused). Not so when it asks about the present, nor with a
    # name of its own.
    history = ["What did the government fund for trafficking victims in 2013?",
               "Which NGOs got the money?"]
    assert assistant.answer("What was the total amount?").abstained
    reply = assistant.answer("What was the total amount?", history)
    assert reply.tentative and "EUR 90,000" in reply.quotes[0].text
    assert assistant.answer("What's the exchange rate today?", history).abstained
    assert assistant.answer("What is the capital of Australia?", history).abstained


def test_a_short_follow_up_going_on_gets_the_candidate_speaking_to_its_words(assistant):
    # "and out in the regions?" clears the bar alone but reads as unrelated to the page, so it
    # had been refused; with the conversation its top quote is the officers' sentence just
    # quoted, and the candidate naming "each of the 11 regional police directorates" comes
    # first (here with the officers' sentence it leans on).
    history = ["who investigates trafficking cases in slovenia, is it regular police?",
               "how many officers work on it full time"]
    reply = assistant.answer("and out in the regions?", history)
    assert reply.tentative and "11 regional police directorates" in reply.quotes[0].text
    # Changes of subject are still refused, going on or not, with a word of the page or not
    # (an attack probe's: "and regional football?" had been shown the regional directorates).
    for q in ("and regional football?", "and in the regional weather?",
              "and their favourite food?", "recent weather?",
              "and the weather in ljubljana?", "How are you today?",
              "What's the population of Norway?", "random q but how do i get red wine out "
              "of a carpet"):
        assert assistant.answer(q, history).abstained, q


def test_a_name_asked_of_someone_the_documents_never_mention_is_doubted(assistant):
    from assistant.checks import unmentioned_post

    df = {"prosecutor": 3, "sequel": 1, "ngo": 4}.get
    df0 = lambda t: df(t) or 0  # noqa: E731
    assert unmentioned_post("What is the name of Slovenia's national rapporteur on "
                            "trafficking?", df0) == "national rapporteur"
    assert unmentioned_post("the name of the ombudsman for children?", df0) == "ombudsman"
    # one the documents mention (or a word of its root), a pronoun, a question asking no name;
    # nor "Who is the ...?", which asks who in words of its own (an attack probe's: "Who is
    # the competent authority ...?" had been doubted, "Who are the recipients ...?" too)
    for q in ("Who is the ombudsman for children?", "Who is the competent authority?",
              "Who are the recipients of the EUR 90,000?", "What is the name of the sequel?",
              "What are the names of the NGOs?", "Who are they?", "Who runs the ombudsman?",
              # who may, not a post (a review's); a person, no post
              "Who is eligible for a temporary residence permit?",
              "Who is entitled to a reflection period?", "Who is the best person to contact?"):
        assert unmentioned_post(q, df0) is None, q
    # The page names no rapporteur: a sentence naming the Employment Service had been the
    # confident answer.
    r = assistant.answer("What is the name of Slovenia's national rapporteur on trafficking?")
    assert r.abstained or (r.tentative and any("rapporteur" in c for c in r.caveats))


def test_where_the_description_is_asks_where_to_read(assistant):
    from assistant.quoting import asks_where_to_read

    assert asks_where_to_read("Where is the description of the JIT THB WB project?")
    assert asks_where_to_read("where's the documentation")
    # The project's title had been the confident answer.
    r = assistant.answer("Where is the description of the JIT THB WB project?")
    assert "A description of the project as well as all other relevant information can be " \
        "found" in r.quotes[0].text


def test_where_and_a_word_of_finding_are_read_on_one_line():
    from assistant.quoting import asks_where_to_read, where_to_read_form

    assert where_to_read_form("Where can I find stats, and where can I read more?") \
        == "Where can I find stats"
    assert where_to_read_form("so where\nwhere do I find it") == "where do I find"
    # a word of finding on the next line is not asked where to find
    assert not asks_where_to_read("where\nfind")
    # a word of finding that as often asks for a place or a service: where to read when the
    # reader finds or a source is named ("Where do victims get help?" had quoted the page's
    # pointer to the annual report, confidently)
    for q in ("Where do victims get help?", "Where is shelter available?",
              "kestria: where do trafficked kids get housed?",
              "where was the opening get-together held"):
        assert not asks_where_to_read(q), q
    for q in ("where can I see their audited accounts?", "Where can I get a copy of it?",
              "Where are the statistics available?", "where can i get more info on it"):
        assert asks_where_to_read(q), q
    # (a long message of "where" is read once per line, not from every "where" again)
    assert not asks_where_to_read("where " * 2000) and where_to_read_form("where " * 2000) == ""


def test_which_website_or_report_holds_something_asks_where_to_read(assistant):
    from assistant.quoting import asks_where_to_read

    for q in ("what website describes the joint teams project?", "Which site has more on it?",
              "which report lists the figures on prosecutions?", "which link?"):
        assert asks_where_to_read(q), q
    # not a workplace, nor a source of money, nor a report asked about
    for q in ("Which sites do victims work at?", "what sources of funding exist?",
              "Which reports are annual?"):
        assert not asks_where_to_read(q), q
    r = assistant.answer("what website describes the joint teams project?")
    assert r.quotes and "official website of the JIT THB WB" in r.quotes[0].text


def test_a_continuation_naming_a_source_after_a_where_to_read_question_asks_where(assistant):
    # The plans asked for are no source word ("statistics" is): the continuation had been
    # read as a question on the plans and quoted their sentence.
    r = assistant.answer("and what about the figures on investigations?",
                         ["where can I find the national action plans on prevention?"])
    assert r.quotes and "Annual Reports by the IWG" in r.quotes[0].text


def test_a_follow_up_opening_with_a_preposition_and_a_question_word_asks(assistant):
    # "with whom" (no question mark) had been taken for small talk, read alone and refused.
    history = ["how is trafficking prevention organised in slovenia",
               "which ministry prepared the jit thb wb proposal"]
    reply = assistant.answer("with whom", history)
    assert reply.quotes and "in cooperation with Bulgarian partners" in reply.quotes[0].text


@pytest.mark.parametrize("message, again", [
    ("Say that again?", True), ("Come again?", True), ("repeat", True), ("Can you repeat?", True),
    ("Could you repeat the number?", True), ("Repeat the amount please", True),
    ("thanks again", False), ("okay thanks again", False), ("Again, thank you!", False),
    ("Are repeat offenders prosecuted?", False), ("What does the law say?", False)])
def test_what_asks_for_the_last_answer_again(message, again):
    from assistant.quoting import asks_again

    assert asks_again(message) is again


@pytest.mark.parametrize("history, message, expected", [
    (["How many prosecutors deal with THB offences?"], "Say that again?", "two of whom deal with THB"),
    (["What two issues does the government link to human trafficking?"], "Come again?",
     "closely related"),
    (["What is the reflection period for foreign victims?"], "Can you repeat that?",
     "90 day reflection period"),
    (["How many officers work full time on human trafficking?"], "How many are there again?",
     "About fifteen officers"),
])
def test_asking_again_is_answered_from_the_conversation(assistant, history, message, expected):
    r = assistant.answer(message, history)
    assert not r.abstained and expected in r.quotes[0].text


@pytest.mark.parametrize("message", ["Thanks!", "ok", "hmm", "Thank you, bye", "Okay thanks",
                                     "okay thanks again"])
def test_taking_leave_after_a_question_is_not_a_follow_up(assistant, message):
    # Each was shown the previous answer's quote (tentatively) when read with the conversation.
    assert assistant.answer(message, ["Who funds the shelters?"]).abstained


def test_a_place_named_in_passing_must_be_in_the_quote():
    from assistant.checks import lacks_asked_place

    df = {"croatia": 1, "slovenia": 9, "sofia": 1}.get
    df0 = lambda t: df(t) or 0
    quote = "Identified foreign victims are granted a 90 day reflection period."
    assert lacks_asked_place("What is the reflection period in Croatia?", quote, df0)
    # The collection's subject (named in many passages) need not be repeated by the quote, a
    # place the quote names is answered, and one the collection never names is left to the
    # document check.
    assert not lacks_asked_place("What is the reflection period in Slovenia?", quote, df0)
    assert not lacks_asked_place("Who met in Sofia?", "They met in Sofia in 2013.", df0)
    assert not lacks_asked_place("What is the reflection period in Peru?", quote, df0)
    assert not lacks_asked_place("In which year?", quote, df0)


@pytest.mark.parametrize("question", ["What is the reflection period in Croatia?",
                                      "How many officers investigate trafficking in Serbia?"])
def test_a_question_about_a_place_the_page_names_in_passing_is_tentative(assistant, question):
    # The page names Croatia and Serbia once, in a list of workshops; both were answered
    # confidently with the Slovenian figure.
    r = assistant.answer(question)
    assert r.tentative and r.quotes


def test_a_name_mentioned_in_passing_must_be_in_the_quoted_passage():
    from assistant.checks import names_unmentioned

    df = {"croatia": 1, "slovenia": 9, "slovenian": 2, "caritas": 1, "mpl": 1}.get
    df0 = lambda t: df(t) or 0
    passage = "Identified foreign victims are granted a 90 day reflection period."
    assert names_unmentioned("How many prosecutors does Croatia have?", passage, df0) \
        == ["Croatia"]
    assert names_unmentioned("Does Croatia's police help?", passage, df0) == ["Croatia's"]
    # The subject (in many passages), a word made from it, a name the passage holds (perhaps
    # in the sentence before the quote), an abbreviation and one the collection never names
    # (the document check's) are not flagged.
    assert not names_unmentioned("How many prosecutors does Slovenia have?", passage, df0)
    assert not names_unmentioned("What did the Slovenian government fund?", passage, df0)
    assert not names_unmentioned("Does Caritas run it?", "Caritas runs a shelter. " + passage,
                                 df0)
    assert not names_unmentioned("Does the MPL's text allow it?", passage, df0)
    assert not names_unmentioned("How many prosecutors does Peru have?", passage, df0)
    # A word of the subject ("Court", in many passages of a judgment) does not hide the word
    # naming something in passing ("Supreme", of the appeal's next instance: a blind probe's
    # near-topic question had been answered confidently by the case's heading).
    df = {"suprem": 1, "court": 32, "maszek": 9}.get
    df0 = lambda t: df(t) or 0
    heading = "Case No. CA-CR 2024/0417 State Prosecutor v. Dorin Maszek"
    assert names_unmentioned("What did the Supreme Court decide in the Maszek case?", heading,
                             df0) == ["Supreme Court"]
    assert not names_unmentioned("What did the Court decide in the Maszek case?", heading, df0)
    # A person named once in full and later by the surname is whom the text is about (an
    # attack probe's: right answers on "Mr Holt" had been doubted).
    df = {"kasimir": 1, "holt": 12, "court": 32}.get
    assert not names_unmentioned("Did the Court confirm Kasimir Holt's sentence?",
                                 "37. The Court confirmed Mr Holt's sentence.",
                                 lambda t: df(t) or 0)


@pytest.mark.parametrize("question", ["How many prosecutors does Serbia have for trafficking "
                                      "cases?",
                                      "Does Albania have officers assigned full time to "
                                      "trafficking?"])
def test_a_country_the_page_lists_in_passing_is_not_answered_for_with_confidence(assistant,
                                                                                 question):
    # Both were answered confidently with the Slovenian figures: the page names Serbia and
    # Albania once, in a list of workshops.
    r = assistant.answer(question)
    assert r.tentative and r.quotes
    assert any("which the quoted passage does not mention" in c for c in r.caveats)


@pytest.mark.parametrize("question, quote, kind", [
    ("What is the hotline number for victims?", "During 2013 the Government provided EUR 90,000.",
     "a phone number"),
    ("Which number should victims dial?", "Victims may call the SOS line.", "a phone number"),
    ("What is the e-mail address of Ključ?", "Ključ runs a shelter.", "an e-mail address"),
    ("What's their website?", "See the report of 2014.", "a web address"),
    ("What is the postal address of the Foundation?",
     "Except as provided in Section 10.3, no one other than the steward may modify it.",
     "a postal address"),
    ("What is the address of Association Ključ?",
     "The Government funded an Association of 3 NGOs (Association Ključ, ...).", "a postal address"),
    ("Give me the link to the National Action Plans",
     "The field of prevention is defined in National Action Plans.", "a web address"),
    # keyword questions (a probe's "NATCO postal address" was answered confidently by a
    # sentence giving an e-mail address)
    ("NATCO postal address", "Forms are sent by e-mail to nrm@natco.gov.ks.", "a postal address"),
    ("data protection officer email?", "The officer answers within 30 days.", "an e-mail address"),
    ("helpline number?", "The helpline is free of charge.", "a phone number"),
    ("police phone number please", "The police investigate.", "a phone number"),
    # a count or an amount is no number to call (a probe's hotline question had been answered,
    # confidently, by the hotline's calls)
    ("What's the hotline number of the labour inspectorate?",
     "In 2024 the hotline received 1,126 calls, of which 304 led to an inspection.",
     "a phone number"),
    ("what number can workers call?", "The budget for the measure is EUR 350,000.",
     "a phone number"),
    ("helpline number?", "Trafficking is an offence under Article 113 of the Criminal Code.",
     "a phone number"),
])
def test_a_question_asking_how_to_reach_someone_needs_the_detail_in_the_quote(question, quote,
                                                                              kind):
    from assistant.checks import lacks_contact_detail

    assert lacks_contact_detail(question, quote) == kind


@pytest.mark.parametrize("question, quote", [
    ("What is the hotline number for victims?", "Call the SOS line on 080 1722."),
    ("What is the number to call for help?", "Dial 112."),
    ("What is the e-mail address of Ključ?", "Write to info@kljuc.si."),
    ("What's their website?", "See www.kljuc.si for more."),
    ("What is the postal address of the Foundation?", "51 Franklin Street, Boston."),
    # not asking for a way to reach anyone
    ("How does the plan address child trafficking?", "It funds prevention."),
    ("Is there a helpline for victims?", "The SOS telephone line helps victims."),
    ("What number of victims were identified?", "Several victims were identified."),
    ("Do dendritic cells have any link to our nerves?", "They are not connected to nerves."),
    ("Is there a link between poverty and trafficking?", "Poverty is a risk factor."),
    ("What is the link between child pornography and trafficking?", "They are related."),
    ("What is the website for?", "It informs victims."),
    # the detail as a topic, not asked for
    ("Is a phone number needed to apply for a permit?", "Victims may apply for a permit."),
    ("Can a company sell my e-mail address?", "Data must be protected."),
    ("What is the e-mail policy of the ministry?", "The ministry answers in writing."),
    ("Do I have to give my home address to the police?", "Victims must report."),
    ("Do I need an e-mail address to register as a victim?", "Victims register in person."),
    ("change of address", "Victims must report."), ("update my email", "Data are protected."),
    # a review's: a keyword phrase with a preposition or a verb, or a link that is no web link
    ("Recruitment via e-mail", "Recruiters contact victims online."),
    ("Gaps the action plan must address?", "The plan sets priorities."),
    ("Victims without a registered address", "Victims may register later."),
    ("Organised crime links", "Criminal groups cooperate."),
    ("Trafficking poverty link", "Poverty is a risk factor."),
    ("Notification of change of address", "Victims notify the police within eight days."),
    ("Deadline for reporting change of address", "Victims notify the police."),
    ("Disclosure of victim phone number", "Numbers are never disclosed."),
    ("Is an email address enough?", "Victims register in person."),
    # a number in groups, or a short one to call
    ("What is the phone number of the helpline?", "It is reached on 01 45 67 89 10."),
    ("What is the emergency number?", "Dial 15 for help."),
    ("What is the emergency number?", "In danger, call the police on 112."),
    ("What is the emergency number?", "The police emergency number 112 answers at night."),
    ("hotline number?", "The national hotline 0800 1818 is free of charge."),
    # an e-mail address asked for is no postal address
    ("What is the e-mail address of Ključ?", "Write to info@kljuc.si."),
])
def test_a_quote_giving_the_detail_or_a_question_not_asking_for_one_passes(question, quote):
    from assistant.checks import lacks_contact_detail

    assert lacks_contact_detail(question, quote) is None


@pytest.mark.parametrize("question, quote, label", [
    ("What is the phone number of the Special Unit?",
     "Where a worker is in immediate danger, inspectors must call the police emergency "
     "number 112 without waiting for the Special Unit.", "police emergency number"),
    ("What's the Special Unit's telephone number?",
     "Inspectors call the police on 113, and the Special Unit later.", "police"),
    # a number to call under no one's name
    ("What is the phone number of the Special Unit?",
     "Inspectors must call 112 without waiting for the Special Unit.", None),
    ("Ključ hotline number?", "Ključ refers victims to the SOS line 080 11 55.", "SOS line"),
    # the number's label names what is asked about, or no one
    ("What is the phone number of the Special Unit?",
     "The Special Unit can be reached on 01 234 5678.", None),
    ("What is the phone number of the Special Unit?",
     "Special Unit on Labour Exploitation, tel. 01 234 567", None),
    ("What is the phone number of the Special Unit?",
     "Call the police on 113 or the Special Unit on 01 234 567.", None),
    # the quote does not name what is asked about; a question naming no one; no number asked
    ("What is the phone number of the Special Unit?", "Telephone: +387 21 440 900", None),
    ("What is the helpline number?", "Victims can call the police on 113.", None),
    ("Who runs the Special Unit?", "Call the police on 113, not the Special Unit.", None),
    # the body's own line (an attack probe's)
    ("What is the phone number of the Specialised Office?",
     "The Specialised Office deals with trafficking. Its reception desk answers on 01 434 19 00.",
     None),
    # the callers are not whose number it is (a review's: right answers had been doubted)
    ("What is the helpline number for workers and members of the public?",
     "Workers and members of the public can call the national anti-trafficking helpline on "
     "0800 555 140.", None),
    ("What number should victims call?", "Victims can call the SOS helpline 080 11 55.", None),
    # after "is", how the subject is reached, not whose number it is
    ("What is the phone number of the Labour Inspectorate?",
     "The Labour Inspectorate is reachable on 0800 4455.", None),
    ("What is the phone number of the Labour Inspectorate?",
     "Tell the Labour Inspectorate; the police hotline is open day and night on 113.",
     "police hotline"),
    # an attack probe's: subjects joined, another's number after "and", a relative clause
    ("What is the phone number of the Labour Inspectorate?",
     "The police are reachable on 112 and the Labour Inspectorate on 0800 4455.", None),
    ("What is the phone number of the Labour Inspectorate?",
     "Both the Labour Inspectorate and La Strada are available on 0800 4455.", None),
    ("What is the phone number of the Labour Inspectorate?",
     "The Labour Inspectorate refers cases to the police, which is reachable on 112.",
     "police"),
    ("What is the phone number of the Labour Inspectorate?",
     "The Labour Inspectorate's number is 0800 4455.", None),
])
def test_a_number_labelled_as_anothers_is_told(question, quote, label):
    from assistant.checks import others_phone_number

    assert others_phone_number(question, quote) == label


def test_a_web_address_the_page_does_not_give_is_not_answered_with_confidence(assistant):
    # The page gives no web address; this was answered confidently with its sentence on the
    # government's priorities.
    r = assistant.answer("What's the website of the Slovenian government office for "
                         "trafficking?")
    assert r.tentative and r.quotes
    assert "your question asks for a web address and the quote gives none" in r.caveats


@pytest.mark.parametrize("question, flagged", [
    ("Who heads the police anti-trafficking unit?", True),
    ("Who chairs the IWG?", True),
    ("Who is the head of the Specialised Service?", True),
    # a service's runner, a body's competence, the past, and "leads to" ask for no head
    ("Who is in charge of prosecuting trafficking?", False),
    ("Who runs the shelter?", False),
    ("Who are the chief partners of the ministry?", False),
    ("Who leads victims into trafficking?", False),
    ("Who are the directors of the Service?", True),
    ("Who is the national coordinator for anti-trafficking?", True),
    # whose post, with words before it (a blind probe's)
    ("who is slovenia's national anti-trafficking coordinator", True),
    ("Who is the IWG's current chair?", True),
    ("Who led the Normans into England?", False),
    ("Who leads to the arrest?", False),
])
def test_a_question_asking_who_heads_something_needs_a_quote_that_says(question, flagged):
    from assistant.checks import lacks_asked_head

    assert lacks_asked_head(question, "Offences are investigated by the criminal police units.") \
        is flagged
    assert not lacks_asked_head(question, "The IWG is headed by the State Secretary.")


def test_who_heads_a_unit_the_page_only_names_is_not_answered_with_confidence(assistant):
    # The page says which police units investigate trafficking, not who heads them; this was
    # answered confidently with that sentence.
    r = assistant.answer("Who heads the police units that investigate trafficking offences?")
    assert r.tentative and r.quotes
    assert any("who heads" in c for c in r.caveats)


_CITES_187 = ("The government gives priority to child pornography, closely related to human "
              "trafficking. In the Penal Code, child pornography on the Internet is a criminal "
              "offence under Article 187(2) and (3) of the Criminal Code.")


@pytest.mark.parametrize("question, asked", [
    ("Which article of the Criminal Code defines trafficking?", "trafficking"),
    ("What article of the criminal code covers human trafficking?", "human trafficking"),
    ("Which article of the Slovenian Criminal Code defines the offence of trafficking in human "
     "beings?", "trafficking in human beings"),
    ("What section deals with forced labour?", "forced labour"),
    # asked of the article the quote cites, or of nothing beyond the frame: no verdict
    ("Under which article is child pornography a criminal offence?", ""),
    ("Which article covers child pornography online?", ""),
    ("Which article?", ""), ("Which article exactly?", ""), ("Which article covers that?", ""),
    # not asking which article
    ("What does the Criminal Code say about trafficking?", ""),
])
def test_an_article_cited_for_something_else_does_not_answer_which_article(question, asked):
    from assistant.checks import unbound_article

    assert unbound_article(question, _CITES_187) == asked
    # A quote citing no article at all is left to the other checks.
    assert unbound_article(question, "Trafficking is a criminal offence.") == ""


def test_which_article_defines_trafficking_is_not_answered_with_the_pornography_article(
        assistant):
    # The page cites one article, Article 187, for child pornography, in the sentence after
    # one naming trafficking: it had been the confident answer.
    r = assistant.answer("Which article of the Criminal Code defines trafficking?")
    assert r.tentative and "Article 187" in r.quotes[0].text
    assert any("not for “trafficking”" in c for c in r.caveats)
    r = assistant.answer("Under which article is child pornography a criminal offence?")
    assert not r.tentative and "Article 187" in r.quotes[0].text


def test_a_document_holds_the_names_it_goes_by_and_the_words_made_from_them(assistant,
                                                                            licences_index):
    from assistant import Assistant

    # The page says "Bulgarian partners", never "Bulgaria": not a word it never mentions.
    r = assistant.answer("What role did Bulgaria play in the JIT project?")
    assert not any("never mentions" in c for c in r.caveats)
    # The Quentor licence never writes "QPL", but its file is QPL-2.0.txt.
    lic = Assistant.load(licences_index)
    for question in ("Does the QPL let me share the software?",
                     "Does QPLv2 let me share the software?"):
        r = lic.answer(question)
        assert r.quotes and r.quotes[0].doc_id == "QPL-2.0.txt"
        assert not any("never mentions" in c for c in r.caveats), r.caveats
    # another version of it is not held: QPL-2.0.txt is not QPLv3
    r = lic.answer("Does QPLv3 let me share the software?")
    assert r.quotes and r.quotes[0].doc_id == "QPL-2.0.txt"
    assert any("never mentions “QPLv3”" in c for c in r.caveats), r.caveats


@pytest.mark.parametrize("question, answer", [
    ("What does the Vantor licence say about commercial use?", "You may sell copies"),
    ("How does termination of rights work under Vantor?", "Your rights end"),
])
def test_a_numbered_heading_is_not_quoted_as_the_answer(licences_index, question, answer):
    from assistant import Assistant

    # Plain text keeps "2. Commercial Use." among the sentences; it matched the question best
    # and was quoted alone.
    r = Assistant.load(licences_index).answer(question)
    assert r.quotes[0].text.startswith(answer)


def test_a_run_in_heading_and_its_label_are_not_quoted_as_the_answer(licences_index):
    from assistant import Assistant

    # "3. Warranty." opens the line of its section's first sentence; "Warranty." had been
    # quoted alone, and "Redistribution." for the redistribution question. A heading is quoted
    # with what it heads.
    a = Assistant.load(licences_index)
    top = a.answer("What does Kestrel say about warranty?").quotes[0].text
    assert "The work comes with no warranty" in top
    top = a.answer("What does the Kestrel licence say about redistribution?").quotes[0].text
    assert top not in ("Redistribution.", "2. Redistribution.", "2.")


def test_what_reads_as_a_numbered_heading():
    from assistant.quoting import _heading_alone

    def alone(line: str, sentence: str | None = None) -> bool:
        text = f"Intro.\n\n{line}\n\nBody text follows here."
        s = sentence or line.strip()
        start = text.index(s)
        return _heading_alone(text, start, start + len(s))

    assert alone("  13. Use with the GNU Affero General Public License.")
    assert alone("  13. Use with the GNU Affero General Public License.",
                 "Use with the GNU Affero General Public License.")  # split from its number
    assert alone("2.1. Grants")
    assert alone("Article 3. Rights of presumed victims.")  # labelled: in any case
    assert not alone("1. Victims must register.")
    assert not alone("Identified foreign victims are granted a 90 day reflection period.")
    # a run-in heading opening its line is one; a sentence inside a line is not
    assert alone("4. Termination. Your rights end if you break the terms.", "4. Termination.")
    assert not alone("As said in 4. Termination. Rights end.", "Termination.")
    from assistant.quoting import _label

    assert _label("x 4. y", 2, 4) and _label("Article 12.", 0, 11)
    assert not _label("4 victims were found.", 0, 21)
    for line in ("1. Call 113.", "116 006 Victim Support Helpline", "90 Days.",
                 "51 Franklin Street, Fifth Floor, Boston"):
        assert not alone(line)


def test_a_list_s_lead_in_is_quoted_with_its_first_item(tmp_path):
    from conftest import assistant_over

    a = assistant_over(tmp_path, {"plan.txt": (
        "National Action Plan 2024\n\nMeasures\n\nThe Government adopted the plan in March "
        "2024. The plan sets out how victims are identified and supported.\n\n"
        "A \"presumed victim\"\n    means\n\n    (a) a person whom the police or an NGO believes "
        "to have been trafficked; or\n\n    (b) a person who says so and whose account is not "
        "manifestly unfounded.\n\nShelters are run by NGOs and funded by the Ministry of "
        "Labour.\n")})
    # "A "presumed victim" means" had been quoted alone, without what it means; the items
    # follow as far as the quote may hold (three sentences).
    quote = a.answer("What is a presumed victim?").quotes[0].text
    assert quote.startswith('A "presumed victim"') and "(a) a person whom the police" in quote
    assert "(b) a person who says so" in quote


def test_words_made_from_a_place():
    from assistant.checks import names_unmentioned
    from assistant.places import place_forms

    assert "Bulgarian" in place_forms("Bulgaria") and "German" in place_forms("Germany")
    assert "Bulgaria" in place_forms("Bulgarians") and "Italy" in place_forms("Italian")
    # not the bare stem of a place in "-a": another word
    assert "Niger" not in place_forms("Nigeria") and "Roman" not in place_forms("Romania")
    assert place_forms("EU") == [] and place_forms("trafficking") == []
    df = {"bulgaria": 1, "bulgarian": 1, "germani": 9, "german": 1}.get
    df0 = lambda t: df(t) or 0
    # the passage names the place, the question its people (or the other way round)
    assert not names_unmentioned("Which Bulgarians were identified?", "Victims from Bulgaria.",
                                 df0)
    assert not names_unmentioned("What did Bulgaria do?", "With Bulgarian partners.", df0)
    # "German" where "Germany" is the collection's subject (stemmed "germani")
    assert not names_unmentioned("Do German courts hear them?", "Courts hear them.", df0)


_LICENCES = {
    "Zorblax-1.0.txt": (
        "Zorblax Public Licence\n\nThis file is subject to the terms of the Zorblax Public "
        "Licence, version 1.0. If a copy of the Zorblax licence was not sent with this file, ask "
        "the sender for one.\n\nTermination\n\nYour rights end automatically if you break these "
        "terms. They come back if you put the breach right within 30 days of being told of it. "
        "Rights granted to others before the end stay in force.\n\nPatents\n\nEach contributor "
        "grants a licence to its patents that the contribution reads on. This grant ends for "
        "anyone who sues a contributor over a patent.\n"),
    "Vantor-3.txt": (
        "Vantor Licence\n\nTERMS AND CONDITIONS\n\n  1. Definitions.\n\n  A \"work\" means any "
        "text released under this licence.\n\n  2. Commercial Use.\n\n  You may sell copies of "
        "the work and charge for support. You must give buyers the same freedoms you received."
        "\n\n  3. Termination of Rights.\n\n  Your rights end if you break these terms, and come "
        "back when you stop.\n"),
    "Kestrel-1.txt": (
        "Kestrel Licence\n\n   1. Definitions. A \"work\" is any program released under this "
        "licence.\n\n   2. Redistribution. You may give copies of the work to anyone, provided "
        "that you keep this notice with every copy.\n\n   3. Warranty. The work comes with no "
        "warranty of any kind.\n"),
    "QPL-2.0.txt": (
        "Quentor Licence\n\nUse of this software is governed by the Quentor Licence. You may "
        "copy and share the software in any medium. You must keep all copyright notices intact. "
        "There is no warranty of any kind.\n"),
}


def _index_over(tmp_path_factory, name: str, files: dict[str, str]):
    """An index of ``files`` (name -> text) built in a fresh folder: its path."""
    from conftest import assistant_over

    folder = tmp_path_factory.mktemp(name)
    assistant_over(folder, files)
    return folder / "index"


@pytest.fixture(scope="module")
def licences_index(tmp_path_factory):
    return _index_over(tmp_path_factory, "licences", _LICENCES)


def test_the_words_a_document_goes_by():
    from assistant.quoting import document_names
    from assistant.types import Document

    doc = Document("licences/MPL-2.0.txt", "Mozilla Public License Version 2.0", "text", ())
    assert {"mpl", "mozilla"} <= document_names(doc)
    # a record's collection file names the collection, not the record
    assert "squad" not in document_names(Document("squad.jsonl#000-001", "Normans", "t", ()))


@pytest.mark.parametrize("question, answer", [
    ("Under the Zorblax licence, can I get my rights back after a breach?", "They come back"),
    ("What does the Zorblax licence say about patents?", "grants a licence to its patents"),
    ("Does Zorblax let me recover my rights if I fix a violation?", "They come back"),
    # a word of the file name names the document however it is typed
    ("under the zorblax licence, can i get my rights back after a breach?", "They come back"),
])
def test_a_sentence_repeating_the_documents_name_does_not_outrank_the_answer(licences_index,
                                                                             question, answer):
    from dataclasses import replace

    from assistant import Assistant
    from assistant.settings import AnswerSettings

    index = licences_index
    default = Assistant.load(index)
    assert answer in default.answer(question).quotes[0].text
    # Where a name counts only where it is written, the licence's header ("This file is
    # subject to the terms of the Zorblax Public Licence") or its opening line wins.
    s = AnswerSettings()
    literal = Assistant.load(index, settings=replace(s, quotes=replace(s.quotes,
                                                                       names_implied=False)))
    assert answer not in literal.answer(question).quotes[0].text


def test_a_question_naming_one_document_is_answered_from_it(licences_index):
    from dataclasses import replace

    from assistant import Assistant
    from assistant.settings import AnswerSettings

    question = "Under the QPL, can I sell copies?"
    a = Assistant.load(licences_index)
    assert a.answerer.named_document(question) == "QPL-2.0.txt"
    out = a.answer(question)
    assert out.quotes and {q.doc_id for q in out.quotes} == {"QPL-2.0.txt"}
    # Read from every document, the Vantor licence's "You may sell copies" comes first.
    s = AnswerSettings()
    anywhere = Assistant.load(licences_index, settings=replace(s, quotes=replace(
        s.quotes, named_document=False)))
    assert anywhere.answer(question).quotes[0].doc_id == "Vantor-3.txt"
    # An earlier question on another document, and a question pointing back to it: the name
    # may be an object of that one. Standing alone, the question turns to the QPL.
    assert a.answerer.named_document("Is the QPL compatible with it?",
                                     ["What does the Zorblax licence say?"]) is None
    assert a.answerer.named_document(question, ["What does the Zorblax licence say?"]) \
        == "QPL-2.0.txt"
    assert a.answerer.named_document(question, ["And the QPL?"]) == "QPL-2.0.txt"
    # A question saying nothing but the name turns to it.
    assert a.answerer.named_document("And under the QPL?",
                                     ["What does the Zorblax licence say?"]) == "QPL-2.0.txt"
    # retrieve and evidence read it as answer does; an empty filter filters nothing
    assert {h.doc_id for h in a.retrieve(question)} == {"QPL-2.0.txt"}
    assert {q.doc_id for q in a.answer(question, where={}).quotes} == {"QPL-2.0.txt"}
    assert {a.index.passages[s.row].doc_id for s in a.evidence(question).scored} \
        == {"QPL-2.0.txt"}
    # An English word of a file name ("Kestrel"), two names, or none: no document named.
    assert a.answerer.named_document("Under the Kestrel licence, can I sell copies?") is None
    assert a.answerer.named_document("Is the QPL like Zorblax?") is None
    assert a.answerer.named_document("Can I sell copies?") is None


def test_a_name_another_document_uses_names_no_document(tmp_path):
    from conftest import assistant_over

    a = assistant_over(tmp_path, {
        "EU-strategy.txt": "The strategy sets out five priorities for the years ahead.\n",
        "QPL-2.0.txt": "You may copy and share the software in any medium.\n",
        "slovenia.txt": ("Slovenia works with the EU on victim protection. The licence text "
                         "is at https://example.org/why-not-qpl.html for reference.\n"),
    })
    # The Slovenia page speaks of the EU: "EU" does not name the strategy.
    assert a.answerer.named_document("What does the EU do for victims?") is None
    # A web address holding the name is no mention of it.
    assert a.answerer.named_document("What does the QPL allow?") == "QPL-2.0.txt"


_SCOPED = {
    "inspection-guidance.txt": (
        "Detecting forced labour: guidance for inspectors\n\nPurpose\n\nThis guidance explains "
        "how labour inspectors of the Republic of Norvania should recognise and respond to "
        "signs of forced labour during inspections.\n\nReferral\n\nWhen an inspector finds "
        "three or more indicators, the case must be referred to the police within two working "
        "days. The referral describes the indicators observed.\n\nTraining\n\nEvery new "
        "inspector completes a two-day course, and experienced staff repeat it every three "
        "years. The course was developed with trade unions.\n\nContact\n\nLabour Inspectorate "
        "of Norvania, 17 Harbour Street, Velmora.\n"),
    "shelter-report.txt": (
        "Annual report of the Harbour shelter\n\nThe Harbour shelter in Estavia has 12 beds "
        "for women. In 2023 it housed 41 residents. Cases are referred by social services and "
        "the police. Estavia funds half of its costs.\n"),
}


@pytest.fixture(scope="module")
def scoped_index(tmp_path_factory):
    return _index_over(tmp_path_factory, "scoped", _SCOPED)


def test_two_words_of_a_file_name_typed_together_name_it():
    from assistant.quoting import _word_pairs, file_phrases
    from assistant.types import Document

    plan = Document("plans/national_action_plan.txt", "Plan", "text", ())
    assert ("action", "plan") in file_phrases(plan)
    assert file_phrases(Document("squad.jsonl#12", "Normans", "t", ())) == frozenset()
    assert ("action", "plan") in _word_pairs(("under", "action", "action", "plan"))


def test_the_place_a_document_is_about():
    from assistant.quoting import scope_names
    from assistant.types import Document

    guidance = Document("g.txt", "Guidance", _SCOPED["inspection-guidance.txt"], ())
    assert scope_names(guidance) == {"norvania"}
    # a country by its name, in the title or opening, named again further on
    page = Document("p.txt", "Slovenia", "Slovenia has a plan. Croatia too. Slovenia acts.", ())
    assert scope_names(page) == {"slovenia"}
    # named once only, or only after the opening: not what the document is about
    once = Document("o.txt", "Report", "The Republic of Norvania signed. " + "x. " * 400
                    + "Croatia and Croatia.", ())
    assert scope_names(once) == frozenset()
    # (a review's) an English word after "State of" is no place; a name need not be ASCII
    state = "The State of the Environment. The Environment is fine."
    assert scope_names(Document("s.txt", "State", state, ())) == frozenset()
    turkiye = "The Republic of Türkiye signed. Türkiye acts."
    assert scope_names(Document("t.txt", "T", turkiye, ())) == {"türkiy"}


@pytest.mark.parametrize("question, answer", [
    ("What's the time limit for inspectors in Norvania to pass a case on?", "within two working"),
    # typed in small letters
    ("norvania: time limit for inspectors to pass a case on", "within two working"),
])
def test_a_question_naming_the_place_a_document_is_about_gets_its_answer(scoped_index,
                                                                        question, answer):
    from dataclasses import replace

    from assistant import Assistant
    from assistant.settings import AnswerSettings

    out = Assistant.load(scoped_index).answer(question)
    assert answer in out.quotes[0].text
    # Where the place counts only where it is written, the opening sentence naming it wins.
    s = AnswerSettings()
    literal = Assistant.load(scoped_index, settings=replace(s, quotes=replace(
        s.quotes, names_implied=False, named_document=False)))
    assert answer not in literal.answer(question).quotes[0].text


def test_an_english_word_of_a_file_name_names_no_document(tmp_path):
    # An attack probe's: "polici", the stem of "policy", is in no dictionary, and the privacy
    # policy had been searched alone for the sick leave policy, and the answer refused.
    from conftest import assistant_over

    a = assistant_over(tmp_path, {
        "privacy_policy.txt": "We keep personal data for two years. You may ask for a copy.\n",
        "employee_handbook.txt": ("Sick leave must be reported to your manager before 10 a.m. "
                                  "Travel costs are reimbursed within 30 days.\n"),
        "LGPL-3.txt": "You must give a copy of this licence with the library.\n",
        "GPL-3.txt": ("You may convey copies of the program. See "
                      "gnu.org/philosophy/why-not-lgpl.html and write to licensing@lgpl.org.\n"),
    })
    assert a.answerer.named_document("What is the sick leave policy?") is None
    r = a.answer("What is the sick leave policy?")
    assert not r.abstained and r.quotes[0].doc_id == "employee_handbook.txt"
    # a version run into the name; a bare web or e-mail address is no mention in the prose
    assert a.answerer.named_document("Under LGPLv3 must I give a copy?") == "LGPL-3.txt"
    assert a.answerer.named_document("Does the LGPL let me link?") == "LGPL-3.txt"
    # a full question switching document turns to it; one pointing back does not
    assert a.answerer.named_document("Does the LGPL need a copy?",
                                     ["Can I convey the GPL program?"]) == "LGPL-3.txt"
    assert a.answerer.named_document("Do I ship the LGPL with it?",
                                     ["Can I convey the GPL program?"]) is None


def test_an_answer_from_the_document_about_a_place_is_not_doubted_for_it(scoped_index):
    from assistant import Assistant

    r = Assistant.load(scoped_index).answer(
        "What's the time limit for inspectors in Norvania to pass a case on?")
    assert "within two working" in r.quotes[0].text
    assert not any("Norvania" in c or "place" in c for c in r.caveats), r.caveats


def test_the_evaluation_set_is_split_by_document_and_sized():
    from assistant.evaluation import sets

    corpora, qs = sets.load_set(SET)
    assert set(corpora) == {"seed", "squad", "licences"}
    answerable = [q for q in qs if q.answerable]
    assert len(answerable) >= 300 and len(qs) - len(answerable) >= 150
    follow = [q for q in qs if q.cls in ("follow-up-pronoun", "follow-up-ellipsis",
                                         "topic-switch", "chain")]
    assert len(follow) >= 40 and all(q.history for q in follow)
    # every document (split unit) is wholly in one part
    parts: dict[tuple[str, str], set[str]] = {}
    for q in qs:
        parts.setdefault((q.corpus, q.doc), set()).add(q.split)
    assert all(len(s) == 1 for s in parts.values())
    assert {q.split for q in qs} == {"fit", "held-out"}


def test_logistic_fit_recovers_a_known_model():
    from assistant.confidence import fit

    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 2))
    p = 1 / (1 + np.exp(-(0.5 + 2.0 * x[:, 0] - 1.0 * x[:, 1])))
    y = (rng.random(4000) < p).astype(int)
    rows = [{"a": a, "b": b} for a, b in x]
    mean, scale, coef, intercept = fit(rows, y, ("a", "b"), l2=0.01)
    # coefficients are on standardised features: undo the scaling to compare
    raw = np.array(coef) / np.array(scale)
    assert raw == pytest.approx([2.0, -1.0], abs=0.15)


def test_expected_calibration_error():
    from assistant.evaluation.sets import SetOutcome, SetQuestion, expected_calibration_error

    q = SetQuestion("x", "seed", "d", "fit", "answerable", "lexical", "q", (), ("a",))
    perfect = [SetOutcome(q, "answer", 1 if i < 80 else None, 0.8) for i in range(100)]
    assert expected_calibration_error(perfect)[0] == pytest.approx(0.0)
    over = [SetOutcome(q, "answer", 1 if i < 50 else None, 0.9) for i in range(100)]
    assert expected_calibration_error(over)[0] == pytest.approx(0.4)


def test_set_command_reports_classes_and_calibration(seed_index, seed_corpus, tmp_path):
    import shutil
    import subprocess
    import sys

    small = tmp_path / "set"
    small.mkdir()
    (small / "corpora.json").write_text(json.dumps({"seed": {"folder": str(seed_corpus)}}))
    lines = [l for l in (SET / "seed.jsonl").read_text().splitlines() if l.strip()][:40]
    (small / "seed.jsonl").write_text("\n".join(lines) + "\n")
    shutil.copytree(seed_index, tmp_path / "work" / "set-seed" / "index")
    out = subprocess.run([sys.executable, "-m", "assistant.evaluation", "--set", str(small),
                          "--part", "all", "--work", str(tmp_path / "work" / "set-seed")],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "answerable, by class" in out.stdout and "expected calibration error" in out.stdout


def test_a_question_about_where_to_read_more_gets_the_pointer_sentence(assistant):
    from assistant.quoting import asks_where_to_read

    assert asks_where_to_read("Where can I read more about the prevention work?")
    assert asks_where_to_read("Is there a website with details on the project?")
    assert not asks_where_to_read("Where did the project hold its first event?")
    r = assistant.answer("Where can I read more about the prevention work?")
    assert "More about the field of prevention can be found" in r.quotes[0].text


def test_specifics_are_the_figures_and_names_a_question_asks_about():
    from assistant.checks import missing_specifics, specifics

    assert specifics("How many victims were identified in 2015?") == ["2015"]
    assert specifics("Does Croatia fund shelters?") == ["Croatia"]
    assert specifics("What does Article 113 say about EUR 90,000?") == \
        ["Article", "113", "EUR", "90,000"]
    assert specifics("Is the hotline free?") == []
    # a day of the week however typed (the seventh probe's "is the Estavian Savings Bank open
    # on saturdays?" was answered confidently by the NGO's bank account)
    assert specifics("is the Estavian Savings Bank open on saturdays?") == \
        ["Estavian", "Savings", "Bank", "saturdays"]
    assert specifics("Is it open on Sunday or monday?") == ["Sunday", "monday"]
    assert specifics("Is the sundial a symbol?") == []
    # a hyphenated name names its capitalised part: "Slovenia-based" names Slovenia
    assert specifics("Are there Slovenia-based NGOs or Bosnia-Herzegovina ones?") == \
        ["Slovenia", "NGOs", "Bosnia-Herzegovina"]
    # An amount with cents of nothing is the amount a document gives without them (a probe's
    # false "never mentions “12,500.00”" on a quote saying EUR 12,500).
    assert specifics("Was 12,500.00 paid, or 12,500.50?") == ["12,500", "12,500.50"]
    held = {"croatia"}.__contains__
    assert missing_specifics("Did Croatia or Austria act in 2015?",
                             lambda w: held(w.lower())) == ["Austria", "2015"]


def test_a_question_naming_what_its_document_lacks_is_answered_tentatively(assistant):
    """The seed page gives the 90-day reflection period for Slovenia: asked about another
    country or a year it never mentions, the quote is shown, labelled as maybe not the
    answer; asked about what it does hold, it is a plain answer."""
    plain = assistant.answer("What is the reflection period for identified foreign victims?")
    assert not plain.abstained and not plain.tentative
    # (Asked only of a country the page never names, it is refused since the sixth session of
    # 2026-12-07: test_a_question_about_another_country_is_refused. Asked beside Slovenia, it
    # is answered, labelled.)
    compared = ("Is the reflection period for identified foreign victims in Slovenia the same "
                "as in Portugal?")
    for q in (compared,
              "What was the reflection period for identified foreign victims in 1987?"):
        reply = assistant.answer(q)
        assert reply.quotes and reply.tentative, q
    assert any("“Portugal”" in c for c in assistant.answer(compared).caveats)
    off = assistant.with_settings(AnswerSettings(abstention=Abstention(require_specifics=False)))
    assert not any("Portugal" in c for c in off.answer(compared).caveats)


def test_the_document_keyword_index_answers_whether_a_document_holds_a_word(assistant):
    idx = assistant.index
    pos = idx.doc_position("slovenia.txt")
    assert idx.doc_keyword.contains("sloven", pos) or idx.doc_keyword.contains("slovenia", pos)
    assert idx.doc_keyword.contains("croatia", pos)  # named once, among the origins
    assert not idx.doc_keyword.contains("portug", pos) and not idx.doc_keyword.contains("portugal", pos)
    assert not idx.doc_keyword.contains("no-such-token", pos)


def test_a_question_asking_when_gets_the_sentence_giving_a_date(assistant):
    # The project's title had been quoted first: it names the project and gives no date.
    reply = assistant.answer("when did the JIT THB WB project kick off")
    assert reply.quotes and "October 2013" in reply.quotes[0].text
    # A figure is no date: the prosecutors' "11" had been put first, and the caveat lost (a
    # review's).
    reply = assistant.answer("When were the anti-organised crime units created?")
    assert "anti-organised crime units" in reply.quotes[0].text
    assert any("gives no date" in c for c in reply.caveats)
    # Nor any date of the document: the one put first holds a word of the question the top
    # quote lacks (an attack probe's: the 2012 proposal had come first for the approval).
    reply = assistant.answer("when did the European Commission approve the project?")
    assert any("gives no date" in c for c in reply.caveats)


def test_a_follow_up_continuing_a_question_on_where_to_read_asks_the_same():
    from assistant.queries import Query, asks_where_to_read

    last = "where can i find stats on trafficking prosecutions in slovenia"
    for q in ("and for info on victim assistance?", "and what about prevention?",
              "or on prevention?"):
        assert asks_where_to_read(Query(q, last)), q
        assert not asks_where_to_read(Query(q)), q  # alone, it asks no such thing
    # a question of its own, or one not continuing, or after a question asking something else
    assert not asks_where_to_read(Query("and who prosecutes?", last))
    assert not asks_where_to_read(Query("what about who prosecutes?", last))
    assert not asks_where_to_read(Query("victim assistance?", last))
    assert not asks_where_to_read(Query("and for victim assistance?", "who prosecutes?"))


def test_a_follow_up_continuing_a_question_on_where_to_read_gets_a_pointer(assistant):
    history = ["where can i find stats on trafficking prosecutions in slovenia"]
    reply = assistant.answer("and for info on victim assistance?", history)
    assert reply.quotes and "More about the field of Assistance and support provided to " \
        "victims can be found" in reply.quotes[0].text
    reply = assistant.answer("and who prosecutes?", history)
    assert reply.quotes and "Specialised Office of State Prosecutor" in reply.quotes[0].text
    # Two steps on, it keeps the form and not the first topic: read after the statistics'
    # question's words, "and prevention?" had been given the prosecution statistics' pointer.
    reply = assistant.answer("and prevention?", ["where can i find stats on thb prosecutions",
                                                 "and on victim assistance?"])
    assert reply.quotes and "More about the field of prevention can be found" \
        in reply.quotes[0].text


def test_a_continuation_of_a_question_on_where_to_read_takes_only_its_form(assistant):
    from assistant.queries import Query, asks_where_to_read, follow_up_candidates

    readings = follow_up_candidates("and prevention?", ["where can i find stats on thb "
                                                        "prosecutions"])
    assert readings == [Query("and prevention?"),
                        Query("and prevention?", "where can i find stats")]
    # Up to its first word of finding, after two steps too (a review's: the form had run to
    # "... and for info", and the prosecution statistics came back, confidently).
    history = ["where can i find stats on thb prosecutions", "and for info on victim assistance?"]
    assert follow_up_candidates("and prevention?", history)[-1] == \
        Query("and prevention?", "where can i find stats")
    r = assistant.answer("and prevention?", history)
    assert "More about the field of prevention can be found" in r.quotes[0].text
    # A question of its own anywhere in it, or one after a question asking where to go, not
    # where to read, is no such continuation (a review's).
    assert not asks_where_to_read(Query("and, by the way, who prosecutes?", history[0]))
    assert not asks_where_to_read(Query("and for how long?", "Where can victims get a "
                                        "temporary residence permit?"))
    r = assistant.answer("and for how long?", ["Where can victims get a temporary residence "
                                               "permit?"])
    assert "for the duration of the trial" in r.quotes[0].text
    # A pointer is no answer to a topic it does not name (an attack probe's): off-topic ones
    # are refused, and one the page answers without a pointer gets its sentence.
    for q in ("and for info on bitcoin?", "and for info on football?",
              "and the lottery numbers?"):
        assert assistant.answer(q, history[:1]).abstained, q
    r = assistant.answer("and for info on the residence permit?", history[:1])
    assert "temporary residence permit" in r.quotes[0].text
    # a question of its own keeps the conversation as it is
    readings = follow_up_candidates("and who prosecutes?", ["where can i find stats?"])
    assert readings[1] == Query("and who prosecutes?", "where can i find stats?")


def test_retrieve_reads_a_follow_up_as_answer_does(assistant):
    history = ["What help is available for victims?"]
    for q in ("Who pays for it?", "What is the capital of Australia?"):
        reply = assistant.answer(q, history)
        hits = assistant.retrieve(q, 5, history=history)
        if reply.quotes:
            assert any(h.doc_id == reply.quotes[0].doc_id and h.start <= reply.quotes[0].start
                       and reply.quotes[0].end <= h.end for h in hits), q
    ev = assistant.evidence("Who pays for it?", history)
    assert ev.query.context  # read with the conversation, as answer reads it


def test_a_country_typed_in_small_letters_is_known_by_its_name():
    from assistant.places import country_name

    assert country_name("austria") == "Austria"
    assert country_name("croatia") == "Croatia"
    # as users name them where ISO 3166 does not, and as they are written (a review's)
    assert [country_name(w) for w in ("russia", "turkey", "uk", "kosovo", "iran")] == \
        ["Russia", "Turkey", "UK", "Kosovo", "Iran"]
    # not a word of another kind, nor one typed with capitals already (the checks read it)
    assert country_name("reflection") is None
    assert country_name("Austria") is None and country_name("austrian") is None


def test_stop_words_and_title_case_are_not_taken_for_names():
    from assistant.checks import specifics

    assert specifics("Is the fee due in May?") == []
    assert specifics("What is the fee in the US?") == []
    assert specifics("Which office in The Hague handles refunds?") == ["Hague"]
    assert specifics("Re: Which Office Handles Late Filing Fees Now?") == []
    assert specifics("Did Annabel Goldie stay on after the 2011 election?") == \
        ["Annabel", "Goldie", "2011"]


def test_a_question_asking_how_many_needs_a_figure_in_its_quote():
    from assistant.checks import lacks_asked_number

    assert lacks_asked_number("How many shelters are there?", "Shelters are run by NGOs.")
    # A maximum, an average, a longest ... is a figure too (a probe: "What is the maximum
    # prison sentence?" was confident with the report's opening sentence).
    assert lacks_asked_number("What is the maximum prison sentence?",
                              "This report collects the official figures of the Office.")
    assert not lacks_asked_number("What's the longest sentence?",
                                  "It is punishable by imprisonment of up to twelve years.")
    # In a table the figure stands under the heading that names what it counts.
    table = "Year | Unaccompanied children | Of whom girls\n2019 | 312 | 41\n2020 | 188 | 22"
    assert not lacks_asked_number("How many unaccompanied children applied in 2019?", table)
    assert lacks_asked_number("How many unaccompanied children applied in 2019?",
                              "Unaccompanied children are placed with guardians.")
    assert lacks_asked_number("How many judges were trained?", table)  # another heading
    assert not lacks_asked_number("How many shelters are there?", "There are 12 shelters.")
    assert not lacks_asked_number("How many shelters are there?", "There are two shelters.")
    assert not lacks_asked_number("How many officers?", "About fifteen officers work on it.")
    assert not lacks_asked_number("In what year was it founded?", "It was founded in 2004.")
    # A question that opens by going on from the last one asks all the same.
    assert lacks_asked_number("And how many prosecutors?", "They prosecute the cases.")
    assert lacks_asked_number("So, how much money was given?", "Money was given.")
    # "What is the population / budget / rate ..." asks for a figure too.
    assert lacks_asked_number("What's the population of Slovenia?",
                              "Prevention goals include raising target population awareness.")
    assert lacks_asked_number("What was the total budget?", "The budget was approved.")
    # What is counted is named before the first function word: "were" after a figure ("81
    # were women") counts no convictions; nor does a figure count what the next sentence
    # names (a blind probe's two confident answers).
    assert lacks_asked_number("How many trafficking convictions were there in 2023?",
                              "In 2023 we assisted 147 victims. Of them, 81 were women.")
    assert not lacks_asked_number("How many trafficking convictions were there in 2023?",
                                  "In 2023 the courts handed down 12 convictions.")
    assert lacks_asked_number("How many inspectors does the Inspectorate employ?",
                              "It replaces Guideline No. 4/2018. It applies to all inspectors.")
    assert not lacks_asked_number("How many inspectors does the Inspectorate employ?",
                                  "The Inspectorate employs 85 inspectors.")
    # None is a figure, and "once" says how many times (a conversation probe's false caveats).
    assert not lacks_asked_number("How many suspended sentences were given in 2022?",
                                  "No suspended sentence was given in 2022.")
    assert not lacks_asked_number("How many times can a victim be interviewed?",
                                  "The victim is interviewed at most once.")
    assert lacks_asked_number("How many victims were identified?", "No information is given.")
    assert not lacks_asked_number("What was the total budget?", "It was EUR 500,000.")
    assert not lacks_asked_number("What is the name of the project?", "It is called JIT.")
    # A year is not the amount or count asked for ...
    assert lacks_asked_number("How much money did the project receive?",
                              "In 2012 the Ministry prepared a project proposal.")
    assert lacks_asked_number("How many people attended?", "The conference took place in 2013.")
    # ... but a figure beside one is.
    assert not lacks_asked_number("How much did the Government give in 2013?",
                                  "During 2013 the Government provided about EUR 90,000.")
    assert not lacks_asked_number("How many were there?", "In 2013, 2,013 were counted.")
    assert not lacks_asked_number("How many victims were identified?", "1500 victims were found.")
    assert not lacks_asked_number("How much did it cost?", "It cost EUR 2000.")
    assert not lacks_asked_number("In what years were reports published?",
                                  "They were published in 2012 and 2013.")
    assert lacks_asked_number("How many people attended?", "It took place in October 2013.")
    # Words that only begin like the figure words, or name something else, ask for no figure.
    for question in ("What amounts to exploitation?", "What shared responsibilities exist?",
                     "What yearly reports are there?", "What proportionality test applies?",
                     "What is the target population of the campaign?"):
        assert not lacks_asked_number(question, "Exploitation includes forced labour."), question
    assert not lacks_asked_number("Who runs the shelters?", "Shelters are run by NGOs.")
    # "how long" is often answered without a figure ("for the duration of the trial")
    assert not lacks_asked_number("How long may they stay?", "For the duration of the trial.")


def test_where_an_office_is_asks_for_its_address():
    from assistant.checks import lacks_contact_detail

    years = "In 2021, Velmora's inspectors carried out 1,142 inspections. Since 2019 it grew."
    for q in ("where is the inspectorate's office located", "Where's the office?",
              "Where are their headquarters?"):
        assert lacks_contact_detail(q, years) == "a postal address", q  # a year is no number
        assert lacks_contact_detail(q, "Inspectorate, 17 Harbour Street, Velmora") is None
    for q in ("Where is the Office for Victims report published?", "Where is the seat belt rule?"):
        assert lacks_contact_detail(q, years) is None, q


def test_the_number_of_something_is_asked_like_how_many():
    from assistant.checks import asks_a_figure, counted_words, lacks_asked_number

    for q in ("what's the headcount of officers on trafficking?",
              "What is the number of officers on trafficking?"):
        assert asks_a_figure(q) and counted_words(q, shown=True) == ["officers"]
        assert not lacks_asked_number(q, "About fifteen officers are assigned full time.")
        assert lacks_asked_number(q, "Offences are investigated by the police.")
    # only the number asked for (a review's): not a fax number, nor why a number fell
    for q in ("What is the fax number of Nordhaven Police?",
              "Why did the number of convictions fall?"):
        assert counted_words(q) == []


def test_how_many_of_them_were_x_counts_x():
    # "how many of them were foreigners?" counted nothing, so any figure passed: a quote saying
    # most victims were foreign nationals, beside a count of traffickers, was confident.
    from assistant.checks import counted_words, lacks_asked_number

    assert counted_words("how many of them were foreigners?") == ["foreigners"]
    assert counted_words("How many of those are women?", shown=True) == ["women"]
    assert counted_words("how many of them were actually about trafficking?") == []
    assert counted_words("How many of them are there?") == []
    q = "how many of them were foreigners?"
    assert lacks_asked_number(q, "Most victims were foreign nationals. 39 traffickers were "
                                 "prosecuted in 2023.")
    assert not lacks_asked_number(q, "Of the 39, 12 were foreign nationals.")


def test_a_follow_up_is_checked_against_the_year_of_the_conversation(tmp_path):
    # A probe's: "how many of them were foreigners?" after a question on 2023 was answered
    # confidently by the sentence on 2022.
    from conftest import assistant_over

    from assistant.checks import with_conversation_year

    a = assistant_over(tmp_path, {"figures.txt": (
        "Annual figures\n\nIdentification\n\nIn 2022, 41 victims were identified, 12 of them "
        "foreigners. In 2023, 30 victims were identified; nine of them were children.\n\n"
        "Shelters\n\nTwo shelters take in women and children.\n")})
    r = a.answer("how many of them were foreigners?", ["How many victims were identified in 2023?"])
    assert r.tentative and any("about 2022" in c for c in r.caveats), r.caveats
    r = a.answer("how many of them were foreigners?", ["How many victims were identified in 2022?"])
    assert not r.tentative and "12 of them foreigners" in r.quotes[0].text
    # a follow-up naming or placing its own time keeps it
    assert with_conversation_year("and in 2022?", "in 2023") == "and in 2022?"
    assert with_conversation_year("and the year before?", "in 2023") == "and the year before?"
    assert with_conversation_year("who funds it?", "shelters in 2013") == "who funds it? (in 2013)"


def test_how_many_needs_a_figure_of_what_is_counted_and_a_year_question_a_year():
    from assistant.checks import lacks_asked_number

    # A figure of something else is no count of what was asked ...
    shelters = ("During 2013 the Government provided about EUR 90,000 to two non-governmental "
                "organisations, an Association of 3 NGOs and Caritas.")
    assert lacks_asked_number("How many shelters are there in Slovenia?", shelters)
    assert lacks_asked_number("How many people died in total?",
                              "The colonies had a population of 60,000 settlers.")
    # ... the figure of the thing counted is, a few words away or in words.
    assert not lacks_asked_number("How many NGOs got the money?", shelters)
    assert not lacks_asked_number("How many regional police directorates are there?",
                                  "One investigator at each of the 11 regional police "
                                  "directorates coordinates.")
    assert not lacks_asked_number("how many officers work on it",
                                  "About fifteen officers are assigned full time.")
    # The day of a date is not a count ...
    assert lacks_asked_number("How many barrels were produced?",
                              "Saudi Arabia joined the embargo on October 16, 1973.")
    assert lacks_asked_number("How many were there?", "It was signed on 29 June 2007.")
    assert not lacks_asked_number("How many were there?", "On 29 June 2007, 12 were there.")
    # ... digits inside a name ("CC0", "GPLv3") are no figure, and a question asking what year
    # needs a year, not any figure.
    assert lacks_asked_number("In which year did Creative Commons publish CC0?",
                              "Creative Commons is not a party to CC0.")
    assert lacks_asked_number("What year was it adopted?", "It has 3 parts.")
    assert not lacks_asked_number("What year was it adopted?", "It was adopted in 1066.")
    assert not lacks_asked_number("In which years?", "Reports from the 1990s.")
    # A year looks like one: "Article 187" is no year, "in 911" is.
    assert lacks_asked_number("In what year was it made an offence?",
                              "It is an offence under Article 187(2) and (3).")
    assert not lacks_asked_number("In what year did the duchy begin?",
                                  "The Duchy of Normandy began in 911 as a fiefdom.")
    # A question that asks for a year anywhere in it, not only at its start.
    assert lacks_asked_number("Who started the society, and in what year?",
                              "The society maintains a church in Virginia.")
    assert not lacks_asked_number("Who started the society, and in what year?",
                                  "It was founded in 1883 by descendants of Huguenots.")


def test_a_document_spelling_an_abbreviation_out_is_not_said_never_to_mention_it(tmp_path):
    # "the document quoted never mentions “EU”" had made a right answer tentative: the quote
    # itself said "the European Union" (a blind probe).
    from conftest import assistant_over

    a = assistant_over(tmp_path, {"plan.md": (
        "# Budget\n\nThe total budget of the plan is EUR 4.2 million, of which EUR 1.3 million "
        "comes from the Internal Security Fund of the European Union.\n\n# Shelters\n\nTwo "
        "shelters are run by non-governmental organisations.\n")})
    r = a.answer("How much does the EU contribute to the plan?")
    assert "European Union" in r.quotes[0].text
    assert not any("never mentions" in c for c in r.caveats)
    # An abbreviation the document does not spell out is still said to be missing.
    r = a.answer("How much does the UN contribute to the plan?")
    assert any("never mentions “UN”" in c for c in r.caveats)


def test_a_question_naming_a_year_needs_that_year_around_its_quote():
    from assistant.checks import lacks_asked_year

    passage = ("In 2022, 214 presumed victims were referred, and 131 were identified. The "
               "average prison sentence imposed was five years.")
    assert lacks_asked_year("How many victims were identified in 2021?", passage)
    assert lacks_asked_year("What was the average sentence in 2020?", passage)
    assert not lacks_asked_year("How many victims were identified in 2022?", passage)
    assert not lacks_asked_year("What was the average sentence?", passage)  # no year asked
    # A passage that dates nothing gives no verdict; a figure is not a year.
    assert not lacks_asked_year("How much was paid in 2013?", "EUR 90,000 was paid.")
    assert lacks_asked_year("What changed in the 1990s?", "The law of 2009 changed it.")
    assert not lacks_asked_year("What happened in 2012-2013?", "During 2013 the Government ...")
    # A number with a year is no year of the text's ("Guideline No. 7/2023" replacing "No.
    # 4/2018" was said to be about 2018); a date's year is.
    assert not lacks_asked_year("Which guideline did Guideline 7/2023 replace?",
                                "This guideline replaces Guideline No. 4/2018.")
    assert lacks_asked_year("What happened in 2023?", "The office opened on 15/06/2024.")


def test_a_follow_up_asking_another_year_gets_the_sentence_that_gives_it(tmp_path):
    # A probe: "And in 2021?" after a question on 2019 quoted the 2019 sentence again (the
    # conversation's words favour it) though the next sentences give 2021.
    from conftest import assistant_over

    a = assistant_over(tmp_path, {"stats.md": (
        "# Applications\n\nThe number of asylum applications changed sharply over five years. "
        "In 2019 the National Migration Office registered 4,812 asylum applications. Travel "
        "restrictions reduced the number to 2,965 applications in 2020. The figure recovered "
        "to 5,430 applications in 2021. In 2022 the office registered 9,127 applications, "
        "mainly because of arrivals from conflict areas.\n\n# Shelters\n\nTwo shelters "
        "offer 36 places in total.\n")})
    first = "How many asylum applications were registered in 2019?"
    assert "4,812" in a.answer(first).quotes[0].text
    r = a.answer("And in 2021?", [first])
    assert "5,430" in r.quotes[0].text, r.quotes[0].text


def test_an_answer_dated_another_year_is_tentative(tmp_path):
    # A probe's near-topic questions: the 2022 figures were given confidently for 2021.
    from conftest import assistant_over

    a = assistant_over(tmp_path, {"report.md": (
        "# Victims\n\nIn 2022, 214 presumed victims were referred to the Mechanism, and 131 of "
        "them were formally identified. Nineteen of the identified victims were under 18.\n\n"
        "# Law\n\nThe law on trafficking was adopted in 2009 and amended in 2021 to cover "
        "forced begging.\n")})
    other_year = a.answer("How many victims were formally identified in 2021?")
    assert other_year.quotes and "131" in other_year.quotes[0].text and other_year.tentative
    # Said, so that a reader can check it against the quote.
    assert "your question names 2021; the quoted text is about 2022" in other_year.caveats
    assert "names 2021" in other_year.markdown
    same_year = a.answer("How many victims were formally identified in 2022?")
    assert same_year.quotes and "131" in same_year.quotes[0].text and not same_year.tentative


def test_a_question_on_one_year_is_not_answered_with_the_figure_of_another(tmp_path):
    # A probe's own corpus: "How many inspections did ACT carry out in 2022?" got the 2023
    # figure confidently; the 2022 one, in the next sentence, came second.
    from conftest import assistant_over
    from assistant.checks import time_frame_years

    assert time_frame_years("How many were there in 2022, and during 2021?") == ["2022", "2021"]
    assert time_frame_years("What was spent for the year 2020?") == ["2020"]
    assert time_frame_years("What ended the 1973 embargo?") == []  # a name, not a time
    a = assistant_over(tmp_path, {"inspection.md": (
        "# Results\n\nIn 2023 the Labour Inspectorate carried out 1,142 inspections in "
        "high-risk sectors and referred 63 cases to the police. In 2022 the corresponding "
        "figures were 987 inspections and 41 referrals.\n\n# Training\n\nEvery inspector "
        "attends a two-day course on indicators of forced labour.\n")})
    r = a.answer("How many inspections did the Labour Inspectorate carry out in 2022?")
    assert "987" in r.quotes[0].text, r.quotes[0].text
    assert "1,142" in a.answer("How many inspections did the Labour Inspectorate carry out in "
                               "2023?").quotes[0].text


def test_a_chain_of_fields_is_quoted_back_to_its_item_and_label(tmp_path):
    # From a review: "Responsible body: Police Academy. Deadline: 2025." was quoted without
    # the measure it belongs to, beside another measure's quote.
    from conftest import assistant_over

    a = assistant_over(tmp_path, {"plan.txt": (
        "Action Plan\n\nArea 2: Protection\n\nMeasure 2.3. Improve shelter standards for "
        "children. Responsible body: Ministry of Labour. Deadline: 2026. Measure 2.4. Train "
        "border police. Responsible body: Police Academy. Deadline: 2025.\n")})
    quotes = [q.text for q in a.answer("What is the deadline for improving shelter "
                                        "standards?").quotes]
    assert "Measure 2.4. Train border police. Responsible body: Police Academy. Deadline: " \
           "2025." in quotes, quotes


def test_the_year_rule_leaves_a_right_answer_first(tmp_path):
    # From a review of the rule: "the 2022 work programme" is no sentence about 2022, a quote
    # dated "last year" may answer for 2022, and 1500 euros is no year.
    from conftest import assistant_over
    from assistant.checks import time_frame_years

    assert time_frame_years("Who pays for 1200 shelter places?") == []
    assert time_frame_years("How much did it cost in 2020 terms?") == []
    a = assistant_over(tmp_path, {"report.txt": (
        "Annual Report of the Labour Inspectorate for 2022\n\nLast year, inspectors carried "
        "out 987 inspections, compared with 850 in 2021. Most inspections concerned "
        "construction sites. The 2022 work programme had set a target of 1,200 inspections, "
        "which was not reached because of staff shortages.\n\nCompensation\n\nEach victim "
        "received a one-off payment of 1500 euros from the fund. In 2021 the fund opened a "
        "regional office in Maribor with 3 staff.\n")})
    r = a.answer("How many inspections were carried out in 2022?")
    assert "987 inspections" in r.quotes[0].text, r.quotes[0].text
    r = a.answer("How much did each victim receive from the fund in 2021?")
    assert "1500 euros" in r.quotes[0].text, r.quotes[0].text


def test_a_field_of_a_numbered_item_is_quoted_with_its_item_and_label(tmp_path):
    # A probe's action plan: "Responsible body: AIMA." was quoted alone, under the question of
    # another measure, and "Measure 5.2." stood as a quote of its own.
    from conftest import assistant_over

    a = assistant_over(tmp_path, {"plan.txt": (
        "Action Plan 2024-2027\n\nArea 2: Protection\n\nMeasure 2.3. Guarantee a reflection "
        "period of at least 60 days for all presumed victims. Responsible body: Agency for "
        "Migration and Asylum.\n\nMeasure 2.4. Create an assistance protocol for child "
        "victims. Responsible body: Commission for the Rights of Children.\n")})
    for question in ("Who is responsible for the assistance protocol for child victims?",
                     "Which body is responsible for the reflection period?"):
        quotes = [q.text for q in a.answer(question).quotes]
        # A quote of a measure names it; a field standing alone (when the quote before it
        # holds its measure already) is the next sentence of that quote, never of another.
        for n, quote in enumerate(quotes):
            if quote.startswith("Responsible body"):
                assert n > 0 and quotes[n - 1].startswith("Measure"), quotes
            else:
                assert quote.startswith("Measure"), quotes


def test_a_figure_the_question_names_is_not_the_answer_it_asks_for():
    from assistant.checks import lacks_asked_number

    assert lacks_asked_number("What is the maximum penalty under Article 160?",
                              "The defendants were charged under Article 160 of the Code.")
    assert not lacks_asked_number("What is the maximum penalty under Article 160?",
                                  "Article 160 provides for up to 12 years in prison.")
    assert lacks_asked_number("What year was the 1973 embargo lifted?",
                              "The 1973 embargo hit Europe hard.")
    assert not lacks_asked_number("What year was the 1973 embargo lifted?",
                                  "The 1973 embargo was lifted in March 1974.")


def test_a_question_asking_when_something_happened_needs_a_date_in_its_quote(assistant):
    from assistant.checks import lacks_asked_time

    assert lacks_asked_time("When was the plan adopted?", "The plan is prepared by the office.")
    assert lacks_asked_time("when did he die?", "Before his arrival, the region was calm.")
    assert lacks_asked_time("Since when?", "Training of prosecutors has been a priority.")
    assert not lacks_asked_time("And since when?", "It has existed since 2004.")
    # "Since when" asks for a point in time, which a figure of something else is not.
    assert lacks_asked_time("Since when are victims granted a reflection period?",
                            "Identified foreign victims are granted a 90 day reflection period.")
    assert lacks_asked_time("Since when is it an offence?", "It is an offence under Article 187.")
    for quote in ("It was adopted in 2004.", "It was adopted in March.",
                  "It was adopted two decades ago."):
        assert not lacks_asked_time("When was the plan adopted?", quote), quote
    # Present tense asks for a condition, which a sentence without a date answers.
    assert not lacks_asked_time("When can victims apply?", "Victims who assist can apply.")
    r = assistant.answer("When did Slovenia approve its very first national action plan?")
    assert r.abstained or r.tentative


def test_a_question_asking_for_a_time_of_day_needs_one_in_its_quote(assistant):
    from assistant.checks import lacks_clock_time

    assert lacks_clock_time("what time does it close today?",
                            "In the recent years, a special emphasis has been made on training.")
    assert lacks_clock_time("What are the opening hours?", "The shelter is run by an NGO.")
    # Any figure counts: times are written in too many ways to tell ("10–18", "1730 hrs").
    assert not lacks_clock_time("What are the opening hours?", "It was opened in 2004.")
    for quote in ("It is open from 9 a.m. to 5 p.m.", "It closes at 17:00.",
                  "The hotline answers 24 hours a day.", "It is open Monday to Friday.",
                  "Open Tue–Sun 10–18.", "The café closes at 17h30.", "Open Mon-Fri."):
        assert not lacks_clock_time("What time does it close?", quote), quote
    # A span is not a time of day, and "when does it close?" may ask for a date (a review:
    # "When does the reflection period close?" had been told it asked for a time of day).
    for question in ("What time period does the report cover?", "What time-frame applies?",
                     "What time frames apply?", "What time of year is it held?",
                     "When does the reflection period close?", "When did the shelter close?"):
        assert not lacks_clock_time(question, "In the recent years, training was stepped up."), \
            question
    # A change of subject that points back: the conversation's reading must not make a quote
    # about something else a confident answer.
    r = assistant.answer("what time does it close today?",
                         history=["Who coordinates anti-trafficking work in Slovenia?"])
    assert r.abstained or r.tentative
    assert r.abstained or any("time of day" in c for c in r.caveats)


def test_a_question_about_one_of_a_series_by_its_place_needs_the_quote_to_say_it(assistant):
    from assistant.checks import lacks_asked_order

    first = "The first event was the Kick-off Conference in Sofia, followed by workshops."
    assert lacks_asked_order("Where was the final conference held?", first) == "final"
    assert lacks_asked_order("Where will the next workshop take place?", first) == "next"
    assert lacks_asked_order("What was the last country to host a workshop?", first) == "last"
    assert lacks_asked_order("Where was the first conference held?", first) is None
    assert lacks_asked_order("Where was the closing event?", "The project closed in Zagreb.") \
        is None
    # Not a place in a series: an adverb, a time of the asker's ("last year"), a fixed phrase,
    # a name, or a first one of a page that has one (a review: "What is the initial reflection
    # period?" had been made tentative).
    for question in ("What happens next?", "How many victims were identified the last year?",
                     "Who is the next of kin?", "What is the final decision?",
                     "When did the Second World War end?", "What is the initial period?",
                     "How long is the first reflection period granted to victims?"):
        assert lacks_asked_order(question, first) is None, question
    assert lacks_asked_order("Where is the next meeting?", "It meets again in Brussels.") is None
    # A plan that follows or replaces another names the previous one (a blind probe).
    assert lacks_asked_order("What did the previous plan achieve?",
                             "It follows the plan for the period 2020-2023.") is None
    assert lacks_asked_order("What did the previous guideline say?",
                             "It replaces Guideline No. 4/2018.") is None
    assert lacks_asked_order("What did the previous plan achieve?", first) == "previous"
    # End to end: the page names only the first event, so "the last" one is not answered.
    r = assistant.answer("Which city hosted the last conference of the JIT project?")
    assert r.abstained or any("“last”" in c for c in r.caveats)


def test_a_question_asking_for_a_penalty_needs_one_in_its_quote(assistant):
    from assistant.checks import lacks_asked_penalty

    offence = "It is defined as a criminal offence under Article 187 of the Penal Code."
    for question in ("What penalty does Article 187 provide?", "What is the prison term for it?",
                     "How long is the jail term for traffickers?", "What fine applies?"):
        assert lacks_asked_penalty(question, offence), question
    for quote in ("It is punishable by imprisonment.", "It carries up to 12 years.",
                  "Offenders face ten-year terms.", "A fine of EUR 500 applies."):
        assert not lacks_asked_penalty("What is the penalty for it?", quote), quote
    # "In recent years" is no term; a question naming penalties on its way to asking something
    # else asks for none.
    assert lacks_asked_penalty("What is the penalty?", "Projects ran in recent years.")
    assert not lacks_asked_penalty(
        "What triggered Brussels to consider criminal penalties for dumping waste?", offence)
    # A sentence of a text, a prison, sanctions between states (a review's cases), and a
    # penalty paid in money.
    for question in ("Which sentence mentions Article 187?", "Which prison is he in?",
                     "What sanctions did the EU impose?"):
        assert not lacks_asked_penalty(question, offence), question
    for quote in ("Late filers shall pay a surcharge of 5 percent.", "It costs EUR 250."):
        assert not lacks_asked_penalty("What is the penalty for late filing?", quote), quote
    # A keyword question asks as well (a blind probe's "Penalty for trafficking in Slovenia?"
    # had been answered confidently).
    for question in ("Penalty for trafficking in Slovenia?", "Maximum sentence for forced labour?",
                     "And the punishment for it?"):
        assert lacks_asked_penalty(question, offence), question
    r = assistant.answer("What punishment does the law set for forwarding child pornography?")
    assert r.abstained or "your question asks for a penalty and the quote gives none" \
        in r.caveats


def test_a_question_about_a_moment_counted_from_now_needs_its_quote_to_speak_of_it(
        assistant):
    from assistant.checks import lacks_asked_moment

    quote = "Meetings are broadcast on the Parliament's own channel."
    assert lacks_asked_moment("What's on TV tonight?", quote) == "tonight"
    assert lacks_asked_moment("Is the hotline open this weekend?", quote) == "this weekend"
    assert lacks_asked_moment("What is on today?", "Today the office is closed.") is None
    # "Now" and "nowadays" alone are no moment of the asker's, nor "today's" or a name; a quote
    # speaking of the present may answer ("Currently ...").
    for question in ("What happens now?", "Is the code still in force nowadays?",
                     "What skills do today's workers need?", "What does TODAY stand for?"):
        assert lacks_asked_moment(question, quote) is None, question
    assert lacks_asked_moment("How many shelters operate today?",
                              "Currently, two shelters operate in the country.") is None
    # The page says who prosecutes as it was written; whether that holds today it cannot say.
    r = assistant.answer("Who prosecutes trafficking cases today?")
    assert r.abstained or "your question asks about “today” and the quote does not speak of " \
        "it" in r.caveats


def test_a_name_the_document_holds_in_the_plural_is_held(assistant):
    # The page speaks of "3 NGOs"; the keyword index does not stem an abbreviation, and "Which
    # NGO ...?" had been told the document never mentions "NGO" (a blind probe).
    r = assistant.answer("Which NGO runs a shelter specifically for male victims?")
    assert not any("never mentions “NGO”" in c for c in r.caveats)
    r = assistant.answer("Which NGO runs the shelters in Croatia?")
    assert not any("“NGO”" in c for c in r.caveats)


def test_a_question_asking_for_a_comparison_needs_one_in_its_quote(assistant):
    from assistant.checks import lacks_asked_comparison

    fact = "Identified foreign victims are granted a 90 day reflection period."
    for question in ("Is the reflection period longer for child victims?",
                     "Are children granted a longer period than adults?",
                     "Is labour exploitation more common than sexual exploitation?"):
        assert lacks_asked_comparison(question, fact), question
    assert not lacks_asked_comparison("Is it longer for children?",
                                      "Child victims are granted a longer period.")
    # A threshold, a name or a comparative used otherwise asks for no comparison.
    for question in ("Do more than two NGOs get funding?", "Can it be used in a larger work?",
                     "Can the person later revoke it?", "What is the reflection period?"):
        assert not lacks_asked_comparison(question, fact), question
    r = assistant.answer("Do child victims get a longer reflection period than adults?")
    assert r.abstained or "your question asks for a comparison and the quote makes none" \
        in r.caveats
    # Closing on a comparative and what it qualifies asks for a comparison too (a probe's
    # confident answer), unless the document names a thing so ("a larger work").
    from assistant.checks import compared_thing
    assert compared_thing("Are children granted a longer reflection period?") == \
        "longer reflection"
    assert compared_thing("Can it be used in a larger work?") == "larger work"
    for question in ("Who gets more support?", "Is there more?", "Do more than two NGOs apply?"):
        assert compared_thing(question) is None, question
    r = assistant.answer("Are children granted a longer reflection period?")
    assert r.tentative and "your question asks for a comparison and the quote makes none" \
        in r.caveats


def test_a_caveat_about_a_figure_names_the_words_it_looked_for(assistant):
    # "fifteen officers" is a figure of cops in other words: the caveat must not say the
    # quote gives none, only that no figure is followed by the question's words.
    r = assistant.answer("How many cops work on this full time?")
    assert r.quotes and "fifteen officers" in r.quotes[0].text
    assert "no figure in the quote is followed by the words “cops” or “work”" in r.caveats
    assert not any("gives no figure" in c for c in r.caveats)


def test_vague_quantities_are_not_figures_and_malformed_where_and_links_are_explained():
    from assistant.endpoints import BadRequest, where_filter
    from assistant.checks import lacks_asked_number
    from assistant.render import link_problem

    assert lacks_asked_number("How many years in prison for trafficking?",
                              "Several projects have been undertaken in recent years.")
    with pytest.raises(BadRequest, match="where must be"):
        where_filter("[" * 5000)
    doc = type("D", (), {"text": "x" * 50, "title": "T"})()
    for start, end in ((-5, 3), ("abc", 4), (0, None), (9, 3)):
        assert "not valid" in link_problem(doc, start, end)
    assert "does not have" in link_problem(doc, 0, 99)


def test_a_short_follow_up_refused_alone_is_answered_tentatively_with_the_conversation(
        assistant):
    from assistant import Abstention, AnswerSettings

    history = ["What is the reflection period for identified foreign victims?"]
    question = "And during the trial?"
    # With the fixed threshold alone, the documents seem not to answer it alone (the default
    # bar on this narrow page is lower: tests/test_unrelated.py).
    fixed = assistant.with_settings(AnswerSettings(abstention=Abstention(unrelated_quantile=None)))
    assert fixed.answer(question).abstained
    r = fixed.answer(question, history)
    assert r.quotes and r.tentative and not r.abstained
    assert "may not answer" in r.markdown
    assert fixed.evidence(question, history).query.context  # read as answer reads it
    # Words the documents never use may change the subject: never a confident answer.
    for other in ("And the weather?", "What about football?", "Any good restaurants?"):
        r = assistant.answer(other, history)
        assert r.abstained or r.tentative, other
    # ... and after a conversation the documents do not cover either, they are refused.
    for history, other in ((["What is the capital of Australia?"], "And the weather?"),
                           (["How do I bake bread?"], "And cakes?")):
        assert assistant.answer(other, history).abstained, other


def test_the_conversation_never_makes_a_question_in_foreign_words_confident(assistant):
    history = ["Who funds victim assistance?"]
    for question in ("How old is he?", "What currency do they use?",
                     "What is the capital of Slovenia?"):
        r = assistant.answer(question, history)
        assert r.abstained or r.tentative, question


def test_a_question_without_words_follows_nothing_up(assistant):
    for question in ("🙂", "???"):
        assert assistant.answer(question, ["Who funds victim assistance?"]).abstained


def test_a_follow_up_naming_only_the_kind_of_answer_asks_it_of_the_conversation(assistant):
    # A probe's: alone, "year" found "in recent years", and "What year?" after the question on
    # the proposal's author quoted that sentence instead of the one dating the proposal.
    earlier = ["Who prepared the JIT THB WB proposal?"]
    for question in ("What year?", "In what year was that?", "Which date?"):
        r = assistant.answer(question, earlier)
        assert not r.abstained and "In 2012 the Slovenian Ministry" in r.quotes[0].text, question
    # Still not a follow-up of a question the documents do not answer.
    assert assistant.answer("What year?", ["What is the capital of Australia?"]).abstained


def test_a_one_word_question_stands_alone_after_unrelated_history(assistant):
    for question, history in (("Trafficking?", ["What is the capital of Australia?"]),
                              ("Police?", ["Who founded Caritas Slovenia?"])):
        alone, after = assistant.answer(question), assistant.answer(question, history)
        # (Whether a one-word question is labelled tentative is the answer model's to say.)
        assert not alone.abstained and alone.quotes
        assert after.quotes and after.quotes[0].text == alone.quotes[0].text, question


def test_history_is_a_list_one_string_or_any_iterable(assistant):
    question, earlier = "Who pays for it?", "What help is available for victims?"
    expected = assistant.answer(question, [earlier]).quotes
    assert "EUR 90,000" in expected[0].text
    assert assistant.answer(question, earlier).quotes == expected
    assert assistant.answer(question, iter([earlier])).quotes == expected
    # One chat message is one question, not an iterable of its keys.
    assert assistant.answer(question, {"role": "user", "content": earlier}).quotes == expected
    assert assistant.retrieve(question, 5, history=earlier) == \
        assistant.retrieve(question, 5, history=[earlier])
    with pytest.raises(ValueError, match="history item 0: a chat role is a string"):
        assistant.answer(question, [{"role": ["user"], "content": earlier}])
    with pytest.raises(TypeError, match="history must be a list of earlier questions"):
        assistant.answer(question, 5)
    # An item that is no question is said, not silently left out (the HTTP API answers 400).
    for bad in ([earlier, 42], [None], [{"role": "user", "content": ["x"]}]):
        with pytest.raises(TypeError, match="history item"):
            assistant.answer(question, bad)
        with pytest.raises(TypeError, match="history item"):
            assistant.retrieve(question, 5, history=bad)
    with pytest.raises(TypeError, match="not bytes"):
        assistant.answer(question, earlier.encode())
    # Roles as chat APIs spell them count; an unknown one is said, not taken for the assistant's.
    for role in ("User", " user ", "human"):
        assert assistant.answer(question, [{"role": role, "content": earlier}]).quotes == expected
    assert assistant.answer(question, [{"role": "System", "content": earlier}]).quotes != expected
    with pytest.raises(ValueError, match="unknown chat role"):
        assistant.answer(question, [{"role": "customer", "content": earlier}])


def test_a_one_word_follow_up_whose_word_the_conversation_quote_lacks(assistant):
    """"What about 2012?" after a question on 2013 funding: the conversation's quote is about
    2013, so it is shown only tentatively; a lone "IWG?" keeps its own quote, which names it."""
    funding = ["How much did the Government provide to NGOs in 2013?"]
    for question in ("What about 2012?", "And in Croatia?"):
        r = assistant.answer(question, funding)
        assert r.abstained or r.tentative, question
    help_ = ["What help is available for victims?"]
    alone, after = assistant.answer("IWG?"), assistant.answer("IWG?", help_)
    assert "IWG" in alone.quotes[0].text and after.quotes[0].text == alone.quotes[0].text


def test_history_as_chat_messages_and_questions_in_compatibility_forms(assistant):
    from assistant.queries import clean_question, conversation

    history = [{"role": "user", "content": "Who funds victim assistance?"},
               {"role": "assistant", "content": "During 2013 the Government provided ..."}]
    assert conversation(history)[0] == "Who funds victim assistance?"
    asked = "How much did they give?"
    by_messages = assistant.answer(asked, history)
    by_strings = assistant.answer(asked, ["Who funds victim assistance?"])
    assert by_messages.quotes and by_messages.quotes == by_strings.quotes
    assert assistant.answer(asked).abstained  # the conversation is what it answers by
    # Full-width letters read as the letters they stand for.
    assert clean_question("ＨＯＷ ＭＡＮＹ officers?") == "HOW MANY officers?"
    # Invisible format characters inside a word do not split it; control characters and the
    # zero-width space (a word break) read as spaces.
    assert clean_question("And pro\u00adsecu\u200dtors\u200e?\ufeff") == "And prosecutors?"
    assert clean_question("Who\u200bpays\x07for it?") == "Who pays for it?"
    assert assistant.answer("Ｈｏｗ ｍａｎｙ ｏｆｆｉｃｅｒｓ work on trafficking?").quotes


def test_a_numbered_item_the_document_numbers_otherwise_is_answered_tentatively(assistant):
    """The seed page cites Article 187 of the Criminal Code and no other article: a question
    about Article 90 (a figure the page holds, in "90 day reflection period") gets the Article
    187 quote only tentatively, one about Article 187 a plain answer."""
    from assistant.checks import numbered, numbers_after, unnumbered

    assert numbered("What does Article 113 say?") == [("article", "113")]
    # Figures placed by a preposition, a month or a time word name no numbered item.
    for q in ("What changed since 2009?", "Was it signed in October 1973?",
              "Who ran it in the late 1700s?", "Can children under 18 apply?",
              "How much was EUR 90,000 worth?"):
        assert numbered(q) == [], q
    text = "See version 3 of the licence, and Version 2.0 before it."
    figures = numbers_after(text, "version")
    assert figures == {"3", "2.0"}
    assert unnumbered(("version", "4"), figures)
    assert not unnumbered(("version", "3"), figures) and not unnumbered(("version", "2"), figures)
    # A document that numbers no such thing says nothing either way.
    assert not unnumbered(("chapter", "9"), numbers_after(text, "chapter"))
    # A letter after the figure is part of it: a probe's "Article 111a" (a code with Article
    # 111 only) had been taken for Article 111 and answered confidently.
    assert numbered("What does Article 111a say?") == [("article", "111a")]
    assert numbered("What does the 12th Article 12th say?") == [("article", "12")]
    code = numbers_after("Article 111 (1) ... Article 113a ...", "article")
    assert code == {"111", "113a"}
    assert unnumbered(("article", "111a"), code) and not unnumbered(("article", "113a"), code)

    plain = assistant.answer("What does Article 187 of the Criminal Code define?")
    assert plain.quotes and "Article 187" in plain.quotes[0].text and not plain.tentative
    other = assistant.answer("What does Article 90 of the Criminal Code define?")
    assert other.abstained or other.tentative


def test_words_that_go_on_from_the_last_answer_make_a_follow_up(assistant):
    """"What came next?" names nothing the documents hold; "next" goes on from the last
    question, so it is read with the conversation (tentatively: the evidence is the
    conversation's). A self-contained question using "next" stays put."""
    history = ["What was the first event of the JIT THB WB project?"]
    for q in ("What came next?", "And afterwards?", "Who else took part?"):
        ev = assistant.evidence(q, history)
        assert ev.query.context, q
        reply = assistant.answer(q, history)
        assert reply.quotes and "Kick-off Conference" in reply.quotes[0].text, q
    # In a longer, self-contained question those words belong to the question itself.
    unrelated = ["How many prosecutors are in the Specialised Service?"]
    for own in ("What is the next step for victims after the reflection period?",
                "Which countries hosted workshops next?",
                "Which organisations received funding from the Government in 2013 instead?"):
        assert not assistant.evidence(own, unrelated).query.context, own


def test_the_numbered_item_check_is_bounded(assistant, monkeypatch):
    """A question naming many numbered items scans the document for the first few only."""
    from assistant import answering, checks

    scanned = []
    real = checks.numbers_after
    monkeypatch.setattr(checks, "numbers_after",
                        lambda text, word: scanned.append(word) or real(text, word))
    words = " ".join(f"item{i} {i}" for i in range(50))
    # A fresh answerer (an empty scan cache) that never abstains nor doubts, so the check runs.
    a = assistant.with_settings(AnswerSettings(abstention=Abstention(
        threshold=0.0, tentative_below=0.0, unlikely_below=None)))
    reply = a.answer(f"What does Article 90 of the Criminal Code define? {words}")
    assert reply.quotes
    assert 0 < len(scanned) <= answering.MAX_NUMBERED_ITEMS < 50


def test_digits_of_other_scripts_read_as_the_documents_figures(assistant):
    from assistant.queries import clean_question

    assert clean_question("What does Article \u0661\u0668\u0667 say?") == \
        "What does Article 187 say?"
    reply = assistant.answer("What does Article \u0661\u0668\u0667 of the Criminal Code define?")
    assert reply.quotes and "Article 187" in reply.quotes[0].text and not reply.tentative


def test_the_asked_thing_s_own_name_is_not_the_name_asked_for():
    # A probe: "What is the name of the National Anti-Trafficking Coordinator?" was answered
    # confidently with "The Office of the National ... Coordinator records ...": "Office" had
    # counted as a name given.
    from assistant.checks import lacks_asked_name

    q = "What is the name of the National Anti-Trafficking Coordinator?"
    assert lacks_asked_name(q, "The Office of the National Anti-Trafficking Coordinator "
                               "records every person identified.")
    assert not lacks_asked_name(q, "The National Anti-Trafficking Coordinator Ana Novak "
                                   "chairs the group.")
    assert not lacks_asked_name(q, "The Coordinator is Ana Novak, a judge.")
    # "Who is the ...?" asks for a person (or a body) by name too.
    who = "Who is the anti-trafficking coordinator?"
    assert lacks_asked_name(who, "The Office of the National Anti-Trafficking Coordinator "
                                 "records every person identified.")
    assert not lacks_asked_name(who, "The coordinator is State Secretary Ana Novak.")
    assert not lacks_asked_name("Who investigates trafficking?", "The police investigate it.")


def test_a_question_asking_which_country_or_language_needs_a_name_in_its_quote():
    from assistant.checks import lacks_asked_name

    treaty = ("No covered work shall be deemed part of an effective technological measure "
              "under article 11 of the WIPO copyright treaty adopted on 20 December 1996.")
    # Only names the question already gives, a month and a stop word: no country is named.
    assert lacks_asked_name("Which countries have ratified the WIPO Copyright Treaty?", treaty)
    assert not lacks_asked_name("Which countries took part?",
                                "The project brought together Slovenia, Croatia and Serbia.")
    assert lacks_asked_name("What's the name of the national coordinator?",
                            "The national coordinator chairs the working group.")
    assert not lacks_asked_name("What is the name of the coordinator?",
                                "The group is chaired by the State Secretary, Ms Novak.")
    assert lacks_asked_name("In which language were the workshops held?",
                            "The workshops were held in October in the capital.")
    # Names in any script, at a sentence's start, after two spaces or in quotation marks.
    for quote in ("It was hosted by Žalec.", "Slovenia hosted the event.",
                  'It was hosted by  "Slovenia".', "It was hosted by\nÎle-de-France."):
        assert not lacks_asked_name("Which country hosted it?", quote), quote
    # A question offering the choices is answered by one of them.
    assert not lacks_asked_name("Which country, Slovenia or Croatia?", "It was in Slovenia.")
    # Bodies are often described in lower case: not this rule's business, nor other questions.
    assert not lacks_asked_name("Which agency investigates trafficking offences?",
                                "They are investigated by units within the police force.")
    assert not lacks_asked_name("How long is the reflection period?", "It lasts 90 days.")

def test_an_earlier_message_of_only_invisible_characters_is_no_question():
    """A history item that is empty once cleaned ("\\u200b", "\\x00") does not stand in for
    the last question: the conversation read is the one before it."""
    from assistant.queries import follow_up_candidates

    q1 = "What is the reflection period for foreign victims?"
    plain = follow_up_candidates("Can they get papers too?", [q1])
    for junk in ("\u200b", "\x00\ufeff", "\u200b \u200b"):
        assert follow_up_candidates("Can they get papers too?", [q1, junk]) == plain, junk
    # Only the last two questions are read, however long the history.
    many = [q1] * 10_000 + ["How long is it?"]
    assert follow_up_candidates("And then?", many)[-1].context == f"{q1} How long is it?"


def test_two_earlier_questions_are_read_together_only_after_a_follow_up():
    """A chain (the last two questions as context) is read when the last was itself a short
    follow-up; a self-contained last question carries its own subject, and the one before it
    had pulled "Who pays for it?" to Article 187 and refused it."""
    from assistant.queries import follow_up_candidates

    older = "What does Article 187 of the Criminal Code cover?"
    for last, chain in (("What help is available for victims?", False),
                        ("Can they get a residence permit?", True),
                        ("And Installation Information?", True),
                        ("Where was it?", True), ("Who approves them?", True)):
        contexts = [q.context for q in follow_up_candidates("Who pays for it?", [older, last])]
        assert contexts[:2] == ["", last]
        assert (f"{older} {last}" in contexts) is chain, last


def test_a_follow_up_after_two_self_contained_questions_is_answered(assistant):
    history = ["What does Article 187 of the Criminal Code cover?",
               "What help is available for victims?"]
    for h in (history[1:], history, ["Who investigates trafficking?"] + history):
        reply = assistant.answer("Who pays for it?", history=h)
        assert not reply.abstained and "EUR 90,000" in " ".join(q.text for q in reply.quotes)


def test_a_question_about_what_came_after_is_answered_by_the_next_sentence(tmp_path):
    from assistant import quoting

    from conftest import assistant_over

    assert [quoting.asks_sequel(q) for q in (
        "What happened after the conference?", "Once the 90 days are over, what then?",
        "What was held before the workshops?", "Who won before and after?",
        "Who runs the shelter?")] == [1, 1, -1, 0, 0]
    a = assistant_over(tmp_path, {"campaign.txt": (
        "Braddock led the column towards the fort in the summer of 1755. "
        "Braddock called for a retreat, and he was killed in the battle. "
        "The remaining troops were brought back to Virginia by George Washington. "
        "The campaign had cost the colony dearly.\n")})
    question = "What happened after Braddock was killed?"
    top = a.answer(question).quotes[0].text
    assert top.startswith("Braddock called for a retreat") and "George Washington" in top
    # Without the rule the sentence naming the death is quoted alone: it is what matches.
    import unittest.mock

    with unittest.mock.patch.object(quoting, "asks_sequel", lambda q: 0):
        assert "George Washington" not in a.answer(question).quotes[0].text


@pytest.mark.parametrize("question, asked", [
    ("What does JIT stand for?", ("JIT", True)), ("What does the acronym NRM mean?", ("NRM", True)),
    ("What's NAP short for?", ("NAP", True)), ("What is the IWG?", ("IWG", False)),
    ("Who is GRETA?", ("GRETA", False)), ("What is it?", None), ("What is Caritas?", None),
    ("what does it stand for", None), ("What is the IWG doing about it?", None),
    # a plural asks what its singular stands for
    ("What does NGOs stand for?", ("NGO", True)), ("What are NGOs?", ("NGO", False)),
    ("What is Os?", None)])
def test_a_question_about_an_abbreviation_is_recognised(question, asked):
    from assistant import abbreviations

    assert abbreviations.asked_abbreviation(question) == asked


def test_spelling_out_an_abbreviation():
    from assistant import abbreviations

    title = ('"Use of Joint Investigation Teams (JIT) to fight Trafficking in Human Beings in '
             'the Western Balkans" (JIT THB WB)')
    assert all(abbreviations.spells_out(title, a) for a in ("JIT", "THB", "WB"))
    assert not abbreviations.spells_out(title, "IWG")
    assert not abbreviations.spells_out("As JITs are a tool rarely used", "JIT")
    # a hyphenated word counts whole or by its halves; from three letters, small letters
    # too where the text writes the abbreviation itself
    assert abbreviations.spells_out("two non-governmental organisations- an Association of 3 NGOs",
                              "NGO")
    assert abbreviations.spells_out("the Non-Governmental Organisation", "NGO")
    assert abbreviations.spells_out("The Inter-Agency Working Group (IWG) meets", "IWG")
    assert abbreviations.spells_out("Organization for Security and Co-operation in Europe", "OSCE")
    assert abbreviations.spells_out("victims of trafficking in human beings (THB)", "THB")
    assert not abbreviations.spells_out("victims of trafficking in human beings", "THB")
    assert not abbreviations.spells_out("Labour inspectors work globally with partners.", "IWG")
    assert not abbreviations.spells_out("and every user", "EU")  # two small letters: chance
    assert not abbreviations.spells_out("not a government office of NGOs", "NGO")  # "a": no letter


def test_a_page_spelling_out_a_plural_in_small_letters_gets_no_false_caveat(assistant):
    r = assistant.answer("What does NGO stand for?")
    assert "non-governmental organisations" in r.quotes[0].text
    assert not any("spell it out" in c for c in r.caveats), r.caveats


def test_the_words_that_spell_an_abbreviation_out():
    from assistant.abbreviations import spelt_out_as

    title = ('"Use of Joint Investigation Teams (JIT) to fight Trafficking in Human Beings in '
             'the Western Balkans" (JIT THB WB)')
    assert spelt_out_as(title, "JIT") == "Joint Investigation Teams"  # defined by it
    # a name that goes on after a short word ("in the Western Balkans") still spells it out
    assert spelt_out_as(title, "THB") == "Trafficking in Human Beings"
    assert spelt_out_as(title, "IWG") is None
    # a stop word gives no initial, and a name spans no punctuation
    assert spelt_out_as("If the Program is run, it must say so.", "IP") is None
    assert spelt_out_as("It ended. Human Beings were freed.", "IHB") is None
    assert spelt_out_as("permits.\n\nResidence Permit\n\nIdentified victims", "RPI") is None
    # not inside a longer name of capitals ("Court" goes on), nor of abbreviations
    assert spelt_out_as("the European Union Court Bureau", "EUC") is None
    assert spelt_out_as("Laws of the European Union Council apply.", "EUC") == \
        "European Union Council"
    assert spelt_out_as("Antibodies IgG and IgM", "II") is None
    # two letters only where defined
    assert spelt_out_as("Laws of the European Union apply.", "EU") is None
    assert spelt_out_as("Laws of the European Union (EU) apply.", "EU") == "European Union"


def test_an_abbreviation_the_documents_spell_out_is_searched_spelt_out(tmp_path):
    from assistant.queries import Query
    from conftest import assistant_over

    a = assistant_over(tmp_path, {
        "ZPL-1.0.txt": ("Zorblax Public Licence\n\nThe Zorblax Public Licence (ZPL) lets you "
                        "share the work. The Zorblax Public Licence ends if you break it. The "
                        "Zorblax Public Licence has no warranty.\n"),
        "support.txt": ("Help for victims\n\nThe Office for Victim Support (OVS) runs two shelters. The Office for "
                        "Victim Support is funded by the state. The Office for Victim Support "
                        "answers calls at night.\n"),
        "teams.txt": ("Rescue at sea\n\nJoint Rescue Teams (JRT) work at sea. JRT members train weekly. JRT "
                      "boats are fast.\n")})
    glossed = a.answerer.glossed
    # mostly spelt out by the documents, typed in capitals or in lower case
    assert glossed(Query("Who funds the OVS?")) == "Who funds the office for victim support?"
    assert glossed(Query("who funds the ovs")) == "who funds the office for victim support"
    # mostly written as the abbreviation: the question's word is already theirs
    assert glossed(Query("How often do JRT members train?")) == \
        "How often do JRT members train?"
    # the name a document goes by (its file name) counts as held by all of it already
    assert glossed(Query("Does the ZPL have a warranty?")) == "Does the ZPL have a warranty?"
    # one of a name of abbreviations, a Roman numeral, and the conversation's: left as typed
    assert glossed(Query("the OVS JRT plan")) == "the OVS JRT plan"
    assert glossed(Query("Did Harold II fund the OVS?")) == \
        "Did Harold II fund the office for victim support?"
    assert glossed(Query("And at night?", "Who funds the OVS?")) == \
        "Who funds the OVS? And at night?"
    # in capitals inside a hyphenated word too ("anti-THB"), but not one of a name of
    # abbreviations joined by hyphens, nor a part of a hyphenated word in small letters
    assert glossed(Query("Who runs the anti-OVS plans?")) == \
        "Who runs the anti-office for victim support plans?"
    assert glossed(Query("Which OVS-run shelters exist?")) == \
        "Which office for victim support-run shelters exist?"
    assert glossed(Query("Is the OVS-JRT plan over?")) == "Is the OVS-JRT plan over?"
    assert glossed(Query("Who runs the anti-ovs plans?")) == "Who runs the anti-ovs plans?"


def test_a_row_of_abbreviations_is_known_in_any_document(tmp_path):
    # "kpq", written in capitals only in the last of 22 documents: a name of abbreviations
    # with "ovs", left as typed. Only the first 20 documents of the collection had been read.
    from assistant.queries import Query
    from conftest import assistant_over

    files = {f"a{i:02}.txt": f"Filler page {i}\n\nNothing is said here.\n" for i in range(21)}
    files["z-support.txt"] = ("Help\n\nThe Office for Victim Support (OVS) runs shelters. The "
                          "Office for Victim Support is funded by the state. The Office for "
                          "Victim Support answers calls. The OVS KPQ plan is new.\n")
    answerer = assistant_over(tmp_path, files).answerer
    glossed = answerer.glossed
    assert glossed(Query("who funds the ovs")) == "who funds the office for victim support"
    assert glossed(Query("what is the ovs kpq plan")) == "what is the ovs kpq plan"
    # A neighbour is looked up in the documents once, however often a question repeats it:
    # a probe's 2,000 characters of "THB zxq" had read 2 MB of text for each (15 s).
    calls = []
    real = answerer._in_capitals
    answerer._in_capitals = lambda *a: calls.append(a) or real(*a)
    assert glossed(Query("the ovs kpq and ovs kpq and ovs kpq plan")) == \
        "the ovs kpq and ovs kpq and ovs kpq plan"
    assert calls == []  # known already from the question before


def test_a_question_naming_the_subject_by_its_abbreviation_finds_its_sentence(assistant):
    from assistant.queries import Query

    # "THB" had found the project whose title holds it, not who investigates such offences.
    r = assistant.answer("Which part of law enforcement handles THB probes?")
    assert "anti-organised crime units" in r.quotes[0].text
    # The spelling out picks the sentence but makes no answer surer: the page gives no
    # convictions, and read "slovenia trafficking in human beings convictions 2012" every
    # sentence on trafficking in human beings had matched it confidently.
    r = assistant.answer("slovenia thb convictions 2012")
    assert r.abstained or r.tentative
    # ... as the question as written is answered, once its candidates are reordered
    r = assistant.answer("What is THB?")
    assert r.abstained or r.tentative
    # Only an abbreviation the documents use: the title's "Together Against Trafficking"
    # spells out "TAT" by chance, and a question about it had been answered.
    assert assistant.answerer.glossed(Query("What is TAT?")) == "What is TAT?"
    assert assistant.answer("What is TAT?").abstained
    # Spelt out or not, by settings.
    from assistant import Assistant
    from assistant.settings import AnswerSettings, QuoteRules

    plain = Assistant(assistant.index, settings=AnswerSettings(quotes=QuoteRules(glosses=False)))
    assert plain.answerer.glossed(Query("who investigates thb cases")) == \
        "who investigates thb cases"
    assert assistant.answerer.glossed(Query("who investigates thb cases")) == \
        "who investigates trafficking in human beings cases"


def test_what_an_abbreviation_stands_for_is_quoted_where_it_is_spelt_out(assistant):
    # The sentence using "JITs" matched best; the one spelling out "Joint Investigation
    # Teams (JIT)" was second (a probe's finding).
    for question in ("What does JIT stand for?", "What is JIT?"):
        r = assistant.answer(question)
        assert "Joint Investigation Teams (JIT)" in r.quotes[0].text, question
    # The page never spells out IWG: said, as a reason the answer is tentative.
    r = assistant.answer("What does IWG stand for?")
    assert r.tentative and any("does not spell it out" in c for c in r.caveats)


_PLAN = """# Action plan 2025-2028

## 1. Introduction

The plan was adopted by the Government in March 2025. Its total budget is EUR 3.1 million
for four years, of which EUR 0.9 million comes from the European Union.

## 2. Objectives

The plan has three objectives: to prevent exploitation, to protect victims and to punish
offenders.

## 3. Measures

### Measure 3.1 — Regional prosecutors

The State Prosecutor's Office shall name a prosecutor for exploitation cases in each of its
five regional offices by the end of 2025. The budget for the measure is EUR 80,000.

### Measure 3.2 — Following the money

In every investigation the police shall open a parallel inquiry to trace and seize the
proceeds of crime. Seized assets go to a fund from which help for victims is paid.

### Measure 3.3 — Work abroad

The police will sign agreements with the police of two neighbouring states by the end of 2026.
"""


def test_what_mentions_a_numbered_unit_of_a_text():
    from assistant.checks import in_unit, mentions_unit, text_units

    assert text_units("What is the budget for Measure 3.2?") == [("measure", "3.2")]
    # Versions and other figures are no units of a text.
    assert text_units("What does GPL version 3 say?") == []
    assert text_units("How many victims in 2023?") == []
    # Each is looked for in every candidate's passage: a visitor naming fifty gets three read.
    many = " ".join(f"Article {i}" for i in range(1, 51))
    assert text_units(f"What do {many} say?") == [("article", "1"), ("article", "2"),
                                                  ("article", "3")]
    unit = ("measure", "3.2")
    assert mentions_unit("Text.", "Measure 3.2 — Following the money", unit)
    assert mentions_unit("As Measure 3.2 says, ...", "", unit)
    assert mentions_unit("3.2 Following the money\nText.", "", unit)  # a numbered heading
    # Not the "3" of a heading over unit 3.2, nor another unit's numbered heading.
    assert not mentions_unit("Text.", "3. Measures", unit)
    assert not mentions_unit("Step 3.2 Check the papers\n", "", unit)
    assert mentions_unit("Text.", "Article 4.0", ("article", "4"))  # "4" and "4.0" alike
    # A quote from the plan's introduction is not from Measure 3.2; one under its heading is.
    plan = ("## 1. Introduction\n\nThe total budget of the plan is EUR 3.1 million.\n\n"
            "### Measure 3.2 — Following the money\n\nThe police open a parallel inquiry.\n")
    intro, body = plan.index("The total"), plan.index("The police")
    passage = plan[intro:plan.index("\n", intro)]  # passages do not cross headings
    assert not in_unit(plan, intro, intro + 20, passage, "1. Introduction", unit)
    assert in_unit(plan, body, len(plan) - 1, plan[body:], "Measure 3.2 — Following the money",
                   unit)


def test_a_question_naming_a_numbered_unit_is_answered_from_it(tmp_path):
    # A blind probe's: "What does Measure 3.2 do?" quoted the plan's objectives (its own
    # section came second and its sentences, which do not name it, scored lower), and the
    # plan's total budget was given confidently for one measure's.
    from conftest import assistant_over

    a = assistant_over(tmp_path, {"plan.md": _PLAN})
    r = a.answer("What does Measure 3.2 do?")
    assert not r.abstained and "parallel inquiry" in r.quotes[0].text
    assert "Measure 3.2" in r.quotes[0].section
    # A unit whose passage the search did not find is looked up by its heading.
    r = a.answer("Who is responsible for Measure 3.1?")
    assert not r.abstained and "Measure 3.1" in r.quotes[0].section
    # The measure gives no budget: said, not answered with the plan's.
    r = a.answer("What is the budget for Measure 3.2?")
    assert r.tentative and "3.1 million" not in r.quotes[0].text
    # A unit the plan does not have.
    r = a.answer("What is the budget of Measure 9.9?")
    assert r.abstained or (r.tentative and any("9.9" in c for c in r.caveats))


def test_a_message_asking_about_nothing_is_not_answered(tmp_path):
    # A blind probe's: on a report whose foreword says "I thank our staff", "Thanks, that's
    # all!" and "thank you" were answered (tentatively) with that sentence.
    from conftest import assistant_over

    a = assistant_over(tmp_path, {"report.txt": (
        "Foreword\n\nI thank our staff, our volunteers and our donors, without whom none of "
        "this work would have been possible.\n\nHotline\n\nThe hotline 0800 1818 is free of "
        "charge and answers from Monday to Saturday.\n")})
    for message in ("Thanks, that's all!", "thank you", "Why?"):
        r = a.answer(message)
        assert r.abstained and not r.quotes, message
    r = a.answer("Thanks, that's all!", ["What is the number of the hotline?"])
    assert r.abstained and not r.quotes
    assert "0800 1818" in a.answer("What is the number of the hotline?").quotes[0].text


@pytest.fixture(scope="module")
def arvenia(tmp_path_factory):
    """Four documents on a fictional country (an action plan, a labour-inspection guideline,
    an NGO's annual report, a victims' FAQ page) that a blind probing helper wrote in the
    seventh session of 2026-12-06 (tests/data/arvenia)."""
    from conftest import assistant_over

    folder = Path(__file__).parent / "data" / "arvenia"
    return assistant_over(tmp_path_factory.mktemp("arvenia"),
                          {f.name: f.read_text(encoding="utf-8") for f in folder.iterdir()})


def test_where_to_read_is_answered_by_the_sentence_that_points_there(arvenia):
    # The probe's: "Where can I read the yearly reports?" quoted, confidently, the sentence
    # saying the reports are published each year; the one giving the website came second.
    from assistant.quoting import points_to_source

    assert points_to_source("It is published on the website of the Government.")
    assert points_to_source("More can be found in the National Action Plans at www.vlada.si.")
    assert not points_to_source("The Office shall publish an annual report.")
    assert not points_to_source("Write to guideline7@sli.gov.ar.")  # an e-mail address
    r = arvenia.answer("Where can I read the yearly reports on trafficking?")
    # (with the sentence before it, which it goes on about: "The reports ...")
    assert "The reports are published on the website" in r.quotes[0].text


def test_the_probes_false_caveats_stay_away(arvenia):
    r = arvenia.answer("How much does the EU contribute to the plan?")
    assert "European Union" in r.quotes[0].text
    assert not any("never mentions" in c for c in r.caveats)
    r = arvenia.answer("Which guideline did Guideline 7/2023 replace?")
    assert not any("names 2023" in c for c in r.caveats)
    for question in ("How many trafficking convictions were there in 2023?",
                     "How many inspectors does the State Labour Inspectorate employ?"):
        r = arvenia.answer(question)
        assert r.abstained or r.tentative, question
    assert arvenia.answer("Thanks, that's all!").abstained


@pytest.mark.parametrize("question, asks", [
    ("What is the purpose of the JIT THB WB project?", True),
    ("What are the aims of the plan?", True), ("What is the goal behind the campaign?", True),
    ("Why was the Specialised Service set up?", True),
    ("What does the project aim to do?", True),
    ("The new JIT project in the western balkans - what's it actually meant to achieve?", True),
    ("What is the project trying to accomplish?", True), ("What's the point of it?", True),
    ("Who is the point of contact?", False),
    # what money went to, or what a word means, is not what something is for
    ("What was it for?", False), ("What is the money for?", False),
    ("What are the prevention goals?", False), ("Why are victims reluctant to testify?", False),
])
def test_what_asks_what_something_is_for(question, asks):
    from assistant.checks import asks_purpose, lacks_asked_purpose

    assert asks_purpose(question) is asks
    title = 'The title of the new project is "Use of Joint Investigation Teams to fight THB".'
    assert lacks_asked_purpose(question, title) is asks
    assert not lacks_asked_purpose(question, "It brings prosecutors together in order to promote "
                                             "the use of joint teams.")


def test_the_purpose_of_a_project_is_quoted_from_the_sentence_that_states_it(assistant):
    # The project's title had been the confident answer; the sentence after it says what the
    # project does it for (a blind probe's, on the default page).
    r = assistant.answer("What is the purpose of the JIT THB WB project?")
    assert "in order to promote" in r.quotes[0].text


def test_who_does_something_is_answered_by_the_sentence_naming_the_doer(arvenia):
    from assistant.checks import asks_agent, names_agent

    assert asks_agent("Who delivers the forced labour course?")
    assert asks_agent("And who approved it?")
    assert not asks_agent("Who is the coordinator?") and not asks_agent("Who can apply?")
    q = "Who delivers the forced labour course?"
    # A sentence's first word names nobody; a name inside it, or a passive's doer, does.
    assert not names_agent(q, "Every new inspector completes a two-day course.")
    assert names_agent(q, "The training is provided by the Police Academy.")
    assert names_agent(q, "Offences are investigated by anti-organised crime units.")
    assert names_agent(q, "It is run with the help of Caritas.")
    assert not names_agent(q, "Every program is threatened constantly by software patents.")
    # The probe's: the sentence naming the course was the confident answer; the next one
    # says who gives it.
    r = arvenia.answer("Who delivers the forced labour course for new inspectors?")
    assert "Police Academy" in r.quotes[0].text


def test_who_does_something_is_not_answered_by_who_does_another_thing(assistant):
    from assistant.checks import does_asked_deed

    q = "who investigates trafficking cases in slovenia"
    assert does_asked_deed(q, "Offences are investigated by anti-organised crime units.")
    assert does_asked_deed(q, "An investigator at each directorate coordinates.")
    assert not does_asked_deed(q, "Prosecution falls within the competence of the Office.")
    assert does_asked_deed("Who is the coordinator?", "Anything at all.")  # asks no deed
    # the verb in passing, of a sentence whose doer did something else (a review's)
    assert not does_asked_deed(q, "The project, approved by the Commission, helps them in "
                                  "investigating and prosecuting cases.")
    # the deed in the active voice is the deed (an attack probe's: "Who prepared the
    # proposal?" had lost the Ministry's sentence to one "prepared by the IWG")
    assert does_asked_deed("Who prepared the proposal?", "In 2012 the Ministry of the Interior "
                           "prepared the proposal.")
    assert not does_asked_deed(q, "The investigation took two years.")
    r = assistant.answer("Who prepared the proposal?")
    assert "Slovenian Ministry of the Interior" in r.quotes[0].text
    r = assistant.answer("Who investigates trafficking cases?")
    assert "investigated by anti-organised crime units" in r.quotes[0].text
    # The prosecutors' sentence names a body too, for prosecuting: it had been the confident
    # answer; the sentence after it names who investigates.
    r = assistant.answer(q)
    assert "investigated by anti-organised crime units" in r.quotes[0].text
    r = assistant.answer("who prosecutes trafficking cases?")
    assert "Specialised Office of State Prosecutor" in r.quotes[0].text


@pytest.fixture(scope="module")
def valdoria(tmp_path_factory):
    """Four documents on a fictional country (a monitoring body's evaluation report, a digest
    of two judgments, a procedure for child victims, a shelter's web page) that a second blind
    probing helper wrote in the seventh session of 2026-12-06 (tests/data/valdoria)."""
    from conftest import assistant_over

    folder = Path(__file__).parent / "data" / "valdoria"
    return assistant_over(tmp_path_factory.mktemp("valdoria"),
                          {f.name: f.read_text(encoding="utf-8") for f in folder.iterdir()})


def test_a_numbered_unit_is_read_from_its_label_not_its_passage():
    from assistant.checks import in_unit, unit_label_before

    text = ("Recommendations\n\nRecommendation 4. Give victims a lawyer early.\n\n"
            "Recommendation 5. Adopt a provision on non-punishment.\n")
    r5 = text.index("Adopt")
    assert unit_label_before(text, r5, r5 + 5, "recommendation") == "5"
    passage = text  # one passage holding both
    assert not in_unit(text, r5, len(text) - 1, passage, "", ("recommendation", "4"))
    assert in_unit(text, r5, len(text) - 1, passage, "", ("recommendation", "5"))
    # Plain text numbers its sections without the word.
    licence = "5. Conveying Modified Source Versions.\n\nYou may convey a work based on it.\n"
    body = licence.index("You")
    assert in_unit(licence, body, len(licence) - 1, licence, "", ("section", "5"))
    assert not in_unit(licence, body, len(licence) - 1, licence, "", ("step", "5"))


def test_a_question_naming_a_recommendation_gets_that_recommendation(valdoria):
    # The second probe's: the passage held Recommendations 1 to 7, so Recommendation 5 passed
    # for an answer to "What does Recommendation 4 say?".
    for n in (2, 4, 6):
        r = valdoria.answer(f"What does Recommendation {n} say?")
        assert r.quotes[0].text.startswith(f"Recommendation {n}."), n


def test_the_second_probes_near_topic_answers_are_not_confident(valdoria):
    from assistant.checks import lacks_asked_amount, lacks_asked_number

    # A quote dated other years does not give the year asked, though its passage names it.
    r = valdoria.answer("How many labour inspections were carried out in 2022?")
    assert r.tentative and any("names 2022" in c for c in r.caveats)
    # A subsidy "for up to one more year" is no sum of money.
    assert lacks_asked_amount("How much is the rent subsidy?", "a rent subsidy for one year")
    assert not lacks_asked_amount("How much is the rent subsidy?", "The subsidy is EUR 200.")
    assert not lacks_asked_amount("What is the fee?", "The service is free of charge.")
    assert not lacks_asked_amount("How much time do victims get?", "They get 90 days.")
    # A currency code is in capitals by a figure: a year before an abbreviation, or "and 3",
    # is no sum (a seventh probe's "how much do hotline counsellors earn?" was confident).
    assert lacks_asked_amount("How much do counsellors earn?",
                              "At the end of 2023, SHE employed 19 staff and 3 lawyers.")
    for paid in ("EUR 90,000", "90,000 EUR", "10 eur", "MDL 20,000", "USD100", "2 million.",
                 "a 3 billion budget", "50 cents"):
        assert not lacks_asked_amount("How much do counsellors earn?", f"They earn {paid}.")
    # A count in millions and a share "per cent" are no sums (a ninth probe's campaign cost
    # and programme budget had been answered confidently by them).
    assert lacks_asked_amount("how much did the campaign cost?",
                              "It reached an estimated 1.8 million people.")
    assert lacks_asked_amount("what was the total budget of the programme?",
                              "It was financed 62 per cent from the state budget.")
    # "how big / high / large" a sum is asks one too (an eighth probe's "how big are the fines
    # for employers ...?" was answered confidently by "may impose administrative fines").
    fines = "The Inspectorate may still impose administrative fines for breaches of labour law."
    assert lacks_asked_amount("how big are the fines for employers?", fines)
    assert lacks_asked_amount("How high is the fee?", "A fee is charged.")
    assert not lacks_asked_amount("how big are the fines?", "Fines reach EUR 20,000.")
    assert not lacks_asked_amount("How big is the team?", "The team has 12 members.")
    # Two words before the sum's name (a fourteenth probe's "What is the statutory minimum
    # wage in Valmora?" had been answered confidently by "failures to pay the statutory
    # minimum wage"); not a preposition's object ("the purpose of fines").
    wage = "43 licences were revoked for failures to pay the statutory minimum wage."
    assert lacks_asked_amount("What is the statutory minimum wage in Valmora?", wage)
    assert lacks_asked_amount("whats the average monthly salary", "Salaries vary.")
    assert not lacks_asked_amount("What is the purpose of fines?", "Fines deter abuse.")
    assert not lacks_asked_amount("What is the public transport price reform?", "It is new.")
    # (a review's) a pay gap, a share of fines, the budget's purpose ask for no sum; a figure
    # by an abbreviation that is no currency's code is none
    for q in ("How high is the gender pay gap?", "How large is the share of fines paid?",
              "What is the budget for?", "What is the budget period?"):
        assert not lacks_asked_amount(q, "It is 12 per cent.")
    for no_sum in ("In 2022 NGO shelters took in 45 victims.", "There were 45 THB cases.",
                   "2 million refugees arrived."):
        assert lacks_asked_amount("How much funding did the NGOs receive?", no_sum)
    r = valdoria.answer("How much is the rent subsidy in the transitional housing programme?")
    assert r.abstained or r.tentative
    # A share counts nothing.
    assert lacks_asked_number("How many foreign victims were identified in 2023?",
                              "Only 9% of foreign victims identified were granted a permit.")
    assert not lacks_asked_number("How many foreign victims were identified in 2023?",
                                  "In 2023, 45 foreign victims were identified.")


def test_a_heading_is_quoted_with_what_it_heads(tmp_path):
    from conftest import assistant_over

    a = assistant_over(tmp_path, {"sop.txt": (
        "Procedure\n\nStep 1. Immediate protection. Any professional who suspects that a child "
        "is a victim shall first make sure that the child is safe.\n\nStep 2. Notification. "
        "The professional shall call the Duty Line within two hours of the first contact.\n")})
    r = a.answer("What does Step 2 cover?")
    assert r.quotes[0].text.startswith("Step 2. Notification.") and "Duty Line" in r.quotes[0].text


def test_a_follow_up_is_answered_with_its_own_words_not_the_last_answer_again(assistant):
    # The second probe's, on the default page: the conversation's words brought back the
    # reflection-period sentence, confidently; the next candidate holds "residence permit".
    history = ["How long is the reflection period for foreign victims?"]
    r = assistant.answer("Can they get a residence permit?", history)
    assert "temporary residence permit" in r.quotes[0].text


def test_the_reviews_findings_on_this_sessions_rules(arvenia):
    """A review of the seventh session's diff reproduced these; each is put right."""
    from assistant import checks, quoting

    # A year asked "for 2025" is a time too; "the 1973 embargo" names a thing.
    assert checks.other_time_years("What was the budget for 2025?",
                                     "The total budget for 2024 was EUR 1.2 million.")
    assert checks.other_time_years("How much did oil rise by the end of the 1973 embargo?",
                                    "By the end of the embargo in March 1974 ...") is None
    # A number with a year is no year; a month's is.
    assert checks._years("Guideline No. 7/2023 and Decision 123/2024") == []
    assert checks._years("valid since 03/2024") == ["2024"]
    # A quote under "Article 114" citing "Article 112" is Article 114's (a probe's: "What does
    # Article 112 say?" had been answered confidently from the articles citing it).
    code = ("Article 112\n\n(1) Whoever recruits a person shall be punished.\n\nArticle 114\n\n"
            "(1) Where an offence under Article 112 is committed by an official, more.\n")
    cite = code.index("(1) Where")
    assert not checks.in_unit(code, cite, len(code) - 1, code[cite:], "", ("article", "112"))
    assert checks.in_unit(code, cite, len(code) - 1, code[cite:], "", ("article", "114"))
    # Paragraph numbers are no article labels; labels inside the quote are not its own.
    law = ("Article 2\nDefinitions\n5. The consent of a victim shall be irrelevant.\n\n"
           "Article 3\nPenalties\n1. Trafficking is punished.\n2. Against a child, more.\n")
    a3 = law.index("Article 3")
    assert not checks.in_unit(law, a3, len(law) - 1, law, "", ("article", "2"))
    # Years and plurals.
    assert checks.text_units("How many trafficking cases 2024?") == []
    md = "## Activity 2 - Training\n\nThe police train officers."
    assert checks.in_unit(md, md.index("The"), len(md), md, "", ("activities", "2"))
    # Who needs / gets something asks for a kind of person, not a doer.
    assert not checks.asks_agent("Who needs a work permit?")
    assert not checks.asks_agent("Who qualifies for a temporary residence permit?")
    # A passive answer with no noun counts what the question counts.
    assert not checks.lacks_asked_number("How many victims were identified in 2023?",
                                          "In 2023, 120 were identified, of whom 81 were women.")
    # Currencies by their codes and names.
    for sum_ in ("up to MDL 20,000", "RUR 20,000", "10 EUR", "5,000 denars", "3.1 million"):
        assert not checks.lacks_asked_amount("How much compensation is paid?", sum_), sum_
    # A quote opening with the article it cites cites it for all it says.
    assert checks.unbound_article("Which article defines trafficking?", "Article 2\n"
                                   "Definitions\n1. Trafficking in human beings means ...") == ""
    # "follows" or "last" alone name no previous one; "can be found in agriculture" points
    # nowhere.
    assert checks.lacks_asked_order("What did the previous plan achieve?",
                                     "The new plan follows a human-rights based approach.")
    assert checks.lacks_asked_order("What did the previous plan achieve?", "At last, it passed.")
    assert not quoting.points_to_source("Victims can be found in agriculture and construction.")
    assert not quoting.points_to_source("The helpline is available in seven languages.")
    # Off-topic questions naming a unit are refused, not answered from the plan's Measure.
    for q in ("What is step 4 of the pancake recipe?", "How do I bake bread, step 2?",
              "What does Measure 3.2 say about football stadiums?"):
        assert arvenia.answer(q).abstained, q
    # A labelled heading is quoted with what it heads.
    assert "The inspector checks" in arvenia.answer("what is step 4").quotes[0].text


def test_shorthand_of_hasty_typing_is_written_out():
    from assistant.spelling import written_out

    assert written_out("what abt art. 113 pls") == "what about article 113 please"
    assert written_out("what is step4, and measure3.2?") == "what is step 4, and measure 3.2?"
    assert written_out("Sec.6c or §§ 12") == "section 6c or sections 12"
    assert written_out("para 2 of ch. 3") == "paragraph 2 of chapter 3"
    # Names, years and words that only look alike stay as written.
    for kept in ("U.S. law", "the art 2024 fair", "the rec room", "Article 113", "UR code",
                 "about", "artist 5", "abtX", "the u.s. position", "the SEC 10 filing",
                 "a par 3 hole"):
        assert written_out(kept) == kept, kept


def test_a_clipped_word_the_documents_never_use_is_written_out_as_they_spell_it():
    from assistant.spelling import written_out

    never = lambda w: False  # noqa: E731
    assert written_out("and the other org?", never) == "and the other organisation?"
    assert written_out("more info, stats at uni", never) == \
        "more information, statistics at university"
    american = {"organizations"}.__contains__
    assert written_out("which orgs got it?", american) == "which organizations got it?"
    assert written_out("which org got it?", american) == "which organization got it?"
    # A word the documents use stays; so do capitals, addresses and the question without a
    # view of the documents.
    assert written_out("more info", {"info"}.__contains__) == "more info"
    for kept in ("ORG chart", "info@ngo.si", "www.ngo.org", "the .org site"):
        assert written_out(kept, never) == kept, kept
    assert written_out("which orgs got it?") == "which orgs got it?"


def test_a_clipped_word_is_read_as_the_word_meant(assistant):
    # "org" is no word of the page: read alone, the follow-up had been refused.
    reply = assistant.answer("and the other org?", ["which groups were in the association of "
                                                     "3 ngos"])
    assert reply.quotes and "Caritas Slovenia" in reply.quotes[0].text


def test_a_unit_the_question_writes_out_is_found_as_the_document_shortens_it(tmp_path):
    # A review's: "art 12" written out as "article 12" no longer found the document's "Art. 12",
    # and the right quote got a false "the quote is not from it".
    from assistant.checks import _figures_after, unit_label_before
    from conftest import assistant_over

    text = ("Art. 12 Berth fees\nThe berth fee is EUR 120 per day.\n\n§ 8 Appeals\nAn appeal "
            "may be lodged by the ship's owner within 15 days.\n")
    assert _figures_after(text, "article") == {"12"} and _figures_after(text, "section") == {"8"}
    assert unit_label_before(text, text.index("An appeal"), len(text), "section") == "8"
    assert not _figures_after("The artist 15 sang.", "article")
    a = assistant_over(tmp_path, {"port.txt": text})
    for question, expected in (("What is the berth fee under art 12?", "EUR 120"),
                               ("Who can appeal under § 8?", "ship's owner")):
        r = a.answer(question)
        assert expected in r.quotes[0].text, question
        assert not any("not from it" in c for c in r.caveats), question


def test_units_typed_in_haste_are_read_as_the_units(arvenia):
    # A careless user's "art. 113", "step4" and "what abt measure 3.2" had been refused.
    for typed, spelt in (("what is step4", "what is step 4"),
                         ("what abt measure 3.2", "what about Measure 3.2"),
                         ("what does art. 113 say", "What does Article 113 say")):
        r, right = arvenia.answer(typed), arvenia.answer(spelt)
        assert not r.abstained, typed
        assert r.quotes[0].text == right.quotes[0].text, typed


def test_abbreviations_a_document_spells_out_are_read_in_one_pass():
    from assistant.abbreviations import spelt_abbreviations

    spelt = spelt_abbreviations("Money from the Internal Security Fund of the European Union.")
    assert {"EU", "ISF", "ISFEU"} <= spelt and "UN" not in spelt
    # At most six letters: a run of capitalised words gives no longer ones.
    assert max(map(len, spelt_abbreviations("The " * 50))) == 6


@pytest.fixture(scope="module")
def norland(tmp_path_factory):
    """Three documents (a referral mechanism guide, statistics for 2021-2023, an NGO's project
    page) that a third blind probing helper wrote to try conversations, in the seventh session
    of 2026-12-06 (tests/data/norland)."""
    from conftest import assistant_over

    folder = Path(__file__).parent / "data" / "norland"
    return assistant_over(tmp_path_factory.mktemp("norland"),
                          {f.name: f.read_text(encoding="utf-8") for f in folder.iterdir()})


def test_a_follow_up_with_no_word_of_its_own_is_read_with_the_conversation(norland):
    # The probe's: "What were they about?" after a question on the helpline's calls was
    # refused; read alone it asks about nothing, so it is read with the conversation.
    r = norland.answer("What were they about?",
                       ["How many calls did the Open Doors helpline receive?"])
    assert not r.abstained and "unpaid wages" in r.quotes[0].text
    assert norland.answer("What were they about?").abstained  # alone: about nothing
    # "got" and "since" are no words of its own either.
    r = norland.answer("Who got it?", ["What was the average prison sentence in 2023?",
                                       "What was the longest sentence?"])
    assert not r.abstained and "leader of a criminal group" in r.quotes[0].text


@pytest.fixture(scope="module")
def dravonia(tmp_path_factory):
    """Four documents on a fictional country (a labour inspectorate's annual report, a
    procedure for identifying and referring victims in 13 steps, a bulletin of two judgments,
    a shelter's web page) that a blind probing helper wrote in the eighth session of
    2026-12-06 (tests/data/dravonia)."""
    from conftest import assistant_over

    folder = Path(__file__).parent / "data" / "dravonia"
    return assistant_over(tmp_path_factory.mktemp("dravonia"),
                          {f.name: f.read_text(encoding="utf-8") for f in folder.iterdir()})


def test_asking_what_a_step_says_is_answered_by_the_sentence_opening_it(dravonia):
    # A probe's "What happens in Step 7?" was refused ("happens" is no word of the documents)
    # and, once answered, quoted the step's last sentence.
    from assistant.checks import asks_what_unit_says, names_unit

    for question in ("What happens in Step 7?", "what is step 7", "What does Step 7 say?"):
        r = dravonia.answer(question)
        assert not r.abstained and r.quotes[0].text.startswith("Step 7. The Identification"), \
            question
    assert asks_what_unit_says("What does Article 113 say?")
    assert not asks_what_unit_says("Who takes part in Step 7?")
    assert names_unit("Step 7. The team meets.", ("step", "7"))
    assert not names_unit("As in step 17, the team meets.", ("step", "7"))


def test_a_figure_of_another_year_is_not_given_for_the_year_asked(dravonia):
    # A probe's: the quote named 2021 (an appointment) and gave the 2023 budget; the answer
    # to "What was the inspectorate's budget in 2021?" was confident.
    from assistant.checks import figures_of_other_years

    text = ("The Chief Inspector was appointed in September 2021. In 2023 its budget amounted "
            "to 14.2 million dravs.")
    assert figures_of_other_years("What was the budget in 2021?", text) == (["2021"], ["2023"])
    assert figures_of_other_years("What was the budget in 2023?", text) is None
    assert figures_of_other_years("When was the Chief Inspector appointed?", text) is None
    assert figures_of_other_years("How many inspections were made in 2021?",
                                  "In 2021 the inspectorate made 3,450 inspections.") is None
    r = dravonia.answer("What was the inspectorate's budget in 2021?")
    assert r.tentative and "your question names 2021; the quoted figures are for 2023" \
        in r.caveats
    assert not dravonia.answer("What was the inspectorate's budget in 2023?").tentative
    # The year a figure is compared with is not the figure's (a review's confident 2022
    # budget); a range holds the years within it.
    compared = "In 2023 its budget amounted to 14.2 million, 9 per cent more than in 2022."
    assert figures_of_other_years("What was the budget in 2022?", compared) == \
        (["2022"], ["2023"])
    assert figures_of_other_years("How many visitors came in 2022?", "Between 2021 and 2023 "
                                  "the museum had 45,000 visitors a year.") is None
    r = dravonia.answer("What was the inspectorate's budget in 2022?")
    assert r.tentative and "your question names 2022; the quoted figures are for 2023" \
        in r.caveats


def test_the_probes_rules_and_predecessors(dravonia):
    from assistant import checks, quoting

    # Who came before someone is not answered by the sentence naming the one in office.
    assert checks.lacks_asked_order("Who was the Chief Inspector before Marta Kovanic?",
                                     "Marta Kovanic was appointed in September 2021.") == \
        "previous"
    assert checks.lacks_asked_order("Who preceded her?", "She succeeded Ivan Petrov.") is None
    assert checks.lacks_asked_order("Who must be told before the interview?", "No one.") is None
    r = dravonia.answer("Who was the Chief Inspector before Marta Kovanic?")
    assert r.tentative and any("“previous”" in c for c in r.caveats)
    # A rule of dashes is no part of a quote.
    text = "Intro.\n\n-----\nJudgment 2: High Court (the Nightclub case)\n-----\n\nFacts"
    a, b = quoting.without_rules(text, text.index("-----"), text.index("\n\nFacts"))
    assert text[a:b] == "Judgment 2: High Court (the Nightclub case)"
    assert quoting.without_rules("-----", 0, 5) == (0, 5)
    r = dravonia.answer("And in the Nightclub case?",
                        ["What sentence did the court give in the Greenhouse case?"])
    assert not r.quotes[0].text.startswith("-")


def test_a_sentence_with_no_word_is_no_quote(tmp_path):
    # A review's "What does Section 2 say?" got a rule of "=" as its quote.
    from conftest import assistant_over

    a = assistant_over(tmp_path, {"review.txt": (
        "1. Overview\n\nThe Port Authority is led by a director.\n\n=====================\n\n"
        "2. Operations\n\nDredging takes place twice a year.\n\n=====================\n\n"
        "3. Fees\n\nThe berth fee is EUR 120 per day.\n")})
    r = a.answer("What does Section 2 say?")
    assert r.quotes and any(c.isalnum() for c in r.quotes[0].text)


def test_a_figure_of_how_often_does_not_count_what_its_sentence_names():
    # Counting it was tried for a probe's "Joint inspections ... were carried out on 64
    # occasions" and dropped: a review found "Inspectors visited the terminal 12 times" then
    # answering how many inspectors, and "three times higher" how many fines, confidently.
    from assistant.checks import lacks_asked_number

    assert lacks_asked_number("How many inspectors visited the container terminal?",
                              "Inspectors visited the container terminal 12 times in 2023.")
    assert lacks_asked_number("How many fines were imposed in 2023?",
                              "In 2023 the fines imposed were three times higher.")


def test_an_errand_asked_of_a_place_the_documents_name_is_refused(dravonia, tmp_path):
    # A probe's "What is the weather in Velgrad?" was answered confidently with the sentence
    # naming the city; an everyday errand the documents never speak of, with no word of theirs
    # but names, is refused. A word of theirs makes it a question about them.
    for question in ("What is the weather in Velgrad?", "Any good restaurants in Port Sela?"):
        assert dravonia.answer(question).abstained, question
    assert not dravonia.answer("Is the shelter in Velgrad?").abstained
    from conftest import assistant_over

    a = assistant_over(tmp_path, {"history.txt": (
        "In 1281 the Mongol fleet sailed for Japan a second time. A typhoon destroyed most of "
        "the fleet before the army could land.\n")})
    r = a.answer("What weather ruined the Mongol fleet's second attempt?")
    assert not r.abstained and "typhoon" in r.quotes[0].text


def test_an_errand_the_documents_speak_of_only_elsewhere_is_refused(assistant, tmp_path):
    # The seed page's "target population" does not answer "What is the population of
    # Slovenia?" (shown tentatively): an errand's word the documents use, but in no sentence
    # naming what the question names, is not theirs for it.
    assert assistant.answer("What is the population of Slovenia?").abstained
    assert not assistant.answer("What training is offered in Slovenia?").abstained
    # Words framing an errand ("this year", "time zone", "good") do not make it the page's,
    # though it says "in recent years" and "full time" (a blind probe's, shown tentatively).
    for question in ("who won eurovision this year?", "what time zone is montenegro in?"):
        assert assistant.answer(question).abstained, question
    assert not assistant.answer("How many days does the reflection period last?").abstained
    from conftest import assistant_over

    a = assistant_over(tmp_path, {"almanac.txt": (
        "Norvania has a population of 4.2 million. Its shelters work with the target "
        "population of young migrants.\n"), "profile.txt": (
        "Country profile\n\nValdoria lies between the hills and the sea. Its climate is mild. "
        "The capital is Port Sela. The official language is Valdorian.\n")})
    r = a.answer("What is the population of Norvania?")
    assert not r.abstained and "4.2 million" in r.quotes[0].text
    # (a review's) said of it by a sentence leaning on one naming it, or by its people's word
    for question, answer in (("What is the climate of Valdoria?", "mild"),
                             ("What is the capital of Valdoria?", "Port Sela"),
                             ("Which language is spoken in Valdoria?", "Valdorian")):
        r = a.answer(question)
        assert not r.abstained and any(answer in q.text for q in r.quotes), question


@pytest.mark.parametrize("question, quote, bound", [
    ("What is the minimum period for which work can be suspended?",
     "The inspector may order the suspension of work at the site for up to 30 days.", "minimum"),
    ("How long is the shortest stay?", "A stay shall not exceed 90 days.", "minimum"),
    ("What is the maximum fine?", "The employer shall be fined at least EUR 500.", "maximum"),
    ("For how long at most?", "Residents stay for a minimum of six months.", "maximum"),
    # the bound asked is given, or both are, or none is
    ("What is the maximum fine?", "A fine of up to EUR 5,000 applies.", None),
    ("What is the minimum stay?", "Stays last at least 30 and at most 90 days.", None),
    ("How long is the reflection period?", "The period lasts at least 30 days.", None),
    ("What is the minimum wage?", "The minimum wage is EUR 1,203 a month.", None),
])
def test_a_question_asking_one_bound_is_not_answered_by_the_other(question, quote, bound):
    from assistant.checks import opposite_bound

    assert opposite_bound(question, quote) == bound


@pytest.mark.parametrize("question, quote, mismatch", [
    ("what is the maximum penalty for trafficking under Article 187?",
     "The average prison sentence imposed for trafficking was 4.2 years.",
     ("a maximum", "an average")),
    ("What is the shortest stay?", "On average, victims stay 45 days.", ("a minimum", "an average")),
    ("What is the average length of stay in a shelter?",
     "A stay in a shelter normally lasts up to six months.", ("an average", "a maximum")),
    ("How long do victims usually stay?", "Victims stay for at least 30 days.",
     ("an average", "a minimum")),
    # the one asked is given too, or the question asks neither
    ("what is the maximum penalty?", "Up to 12 years; the average sentence was 4.2 years.", None),
    ("what is the average sentence?", "The average sentence was 4.2 years.", None),
    ("What does THB mean?", "Shelters take victims for up to 90 days.", None),
    ("How long is the stay?", "The average stay was 45 days.", None),
    ("What is the average sentence for trafficking?",
     "The maximum penalty is 15 years. Sentences imposed averaged 4.2 years.", None),
])
def test_an_average_asked_is_no_bound_and_a_bound_no_average(question, quote, mismatch):
    from assistant.checks import average_mismatch

    assert average_mismatch(question, quote) == mismatch


def test_a_minimum_asked_where_the_text_gives_only_a_maximum_is_doubted(kestovia):
    r = kestovia.answer("What is the minimum period for which work at a site can be "
                        "suspended?")
    assert r.tentative and any("asks for a minimum" in c for c in r.caveats)
    r = kestovia.answer("What is the maximum period for which work at a site can be "
                        "suspended?")
    assert "up to 30 days" in r.quotes[0].text
    assert not any("asks for a maximum" in c for c in r.caveats)


@pytest.mark.parametrize("question, earlier, searched", [
    ("And the year before?", "How many people did the shelter accommodate in 2023?",
     "And in 2022?"),
    ("What about the previous year?", "What was the budget in 2013?", "What about in 2012?"),
    ("And a year later?", "What happened in 2012?", "And in 2013?"),
    # a year of its own, none or several before it, or a year counted from the asker's now
    ("And the year before, 2019?", "What happened in 2021?", "And the year before, 2019?"),
    ("And the year before?", "How many were referred?", "And the year before?"),
    ("And the year before?", "Compare 2012 and 2013.", "And the year before?"),
    ("And next year?", "What happened in 2012?", "And next year?"),
])
def test_a_year_named_relative_to_the_last_questions_is_written_out(question, earlier, searched):
    from assistant.checks import with_year_named

    assert with_year_named(question, earlier) == searched


def test_the_year_before_is_answered_by_the_sentence_that_gives_it(kestovia):
    r = kestovia.answer("And the year before?",
                        ["How many people did Harbour House accommodate in 2023?"])
    assert "47 in 2022" in r.quotes[0].text
    assert r.question == "And the year before?"  # shown as typed


@pytest.mark.parametrize("question", [
    "What time is it?", "what time is it in beijing right now", "What day is it today?",
    "what's today's date", "Can you tell me the time?", "What year is it?",
    "What time is it please?", "Do you know what time it is?", "What day is today?",
    "what is todays date", "What time is it now in Ljubljana, Slovenia?"])
def test_a_question_on_the_moment_now_is_seen(question):
    from assistant.checks import asks_the_moment

    assert asks_the_moment(question)


@pytest.mark.parametrize("question", [
    "What year was it?", "What day is it held?", "What time is the hotline open?",
    "What's the date of the kick-off conference?", "Which year is it in the report?",
    "What is the time limit for appeals?", "What is the time in custody?",
    "What's the date in Annex II?", "What is the date here?"])
def test_a_question_on_a_time_the_documents_may_give_is_not_taken_for_the_moment(question):
    from assistant.checks import asks_the_moment

    assert not asks_the_moment(question)


def test_after_a_question_the_bare_date_asks_the_date_of_what_was_asked():
    from assistant.checks import asks_the_moment

    assert asks_the_moment("What is the date?") and not asks_the_moment(
        "What is the date?", in_conversation=True)
    assert asks_the_moment("What time is it?", in_conversation=True)
    assert asks_the_moment("What's the date today?", in_conversation=True)


def test_the_moment_now_is_refused_alone_and_after_a_question_sharing_its_word(assistant):
    # "time" is in "assigned full time", "day" in "a 90 day reflection period": no answer.
    assert assistant.answer("What time is it?").abstained
    assert assistant.answer("What day is it?").abstained
    assert assistant.answer(
        "What time is it?", ["How many officers work on trafficking full time?"]).abstained


@pytest.mark.parametrize("follow_up", ["In what year?", "What year was it?", "What year?"])
def test_a_follow_up_asking_only_a_kind_of_answer_asks_it_of_the_last_subject(
        assistant, follow_up):
    # Its one word is no topic: read as one, "year" had drawn "In what year?" to "recent
    # years", and "What year was it?" had been read alone, as if it asked the year now.
    r = assistant.answer(follow_up, ["When was the JIT project proposal prepared?"])
    assert not r.abstained and r.quotes[0].text.startswith("In 2012 the Slovenian Ministry")


@pytest.mark.parametrize("question,about_it", [
    ("Who built you?", True), ("How old are you?", True), ("Are you a robot?", True),
    ("What's your name?", True), ("who created you", True),
    ("Who grants you the licence?", False), ("Are you allowed to sell copies?", False),
    ("How old are you when you can consent?", False), ("What are you allowed to do?", False)])
def test_a_question_about_the_assistant_itself_is_seen(question, about_it):
    from assistant.checks import asks_about_the_assistant

    assert asks_about_the_assistant(question) is about_it


def test_a_question_about_the_assistant_is_refused_after_a_question_sharing_its_word(
        assistant):
    # "old" had been read with the question on children, and shown its sentence.
    assert assistant.answer(
        "How old are you?",
        ["What does the government prioritise when it comes to children?"]).abstained


def test_the_documents_names_are_known_by_their_lower_case():
    from assistant.nearwords import name_forms

    forms = name_forms(["Workshops were held in Serbia and Croatia. The state pays. State "
                        "aid is given by the Caritas Slovenia network."])
    assert forms["croatia"] == "Croatia" and forms["caritas"] == "Caritas"
    assert "state" not in forms and "workshops" not in forms  # written in lower case too
    # A name opening a sentence or a line is no evidence against it, and each of a stem's
    # forms is known by its own lower case (a ninth probe's "population of valmora").
    forms = name_forms(["Valmora is a country of destination.\nValmora has 9 regions. The "
                        "Valmoran workforce grew, as in Valmora and Ostria."])
    assert forms["valmora"] == "Valmora" and forms["valmoran"] == "Valmoran"
    assert "has" not in forms and "the" not in forms
    # A heading in Title Case says nothing of its words either (a review's "Shelters").
    forms = name_forms(["Access to Shelters and Support\nShelters are run by NGOs. Support is "
                        "free in Valmora."])
    assert "shelters" not in forms and "support" not in forms and forms["valmora"] == "Valmora"


def test_a_place_typed_in_lower_case_is_checked_as_a_name(assistant):
    # The page names Croatia (a workshop there): the 90 days are Slovenia's, not Croatia's.
    r = assistant.answer("how long is the reflection period for victims in croatia?")
    assert r.tentative and "90 day" in r.quotes[0].text
    assert not assistant.answer("how long is the reflection period for victims?").tentative


def test_a_place_named_only_by_its_peoples_word_is_named_in_passing():
    from assistant.checks import lacks_asked_place, names_unmentioned

    # The page says "Bulgarian partners" and never "Bulgaria": the place is named in passing,
    # not never (a blind probe's question was answered with the Slovenian 90 days).
    df = {"bulgarian": 1, "slovenia": 9}.get
    df0 = lambda t: df(t) or 0
    quote = "Identified foreign victims are granted a 90 day reflection period."
    assert lacks_asked_place("What is the reflection period in Bulgaria?", quote, df0)
    assert names_unmentioned("Does Bulgaria grant one?", quote, df0) == ["Bulgaria"]
    assert not lacks_asked_place("Who worked in Bulgaria?", "With Bulgarian partners.", df0)


@pytest.mark.parametrize("question", [
    "what is the reflection period for trafficking victims in bulgaria?",
    "what is the reflection period for trafficking victims in Bulgaria?"])
def test_a_place_the_page_names_by_its_people_is_not_answered_for(assistant, question):
    r = assistant.answer(question)
    assert r.tentative and "90 day" in r.quotes[0].text
    assert any("place" in c for c in r.caveats)


def test_the_capacity_a_question_is_asked_in():
    from assistant.checks import foreign_role

    df = {"victim": 5, "student": 0}.get
    df0 = lambda t: df(t) or 0
    assert foreign_role("How do I apply for a work permit as a software developer?", df0) \
        == "software developer"
    assert foreign_role("how do i renew my permit as an erasmus student in slovenia?", df0) \
        == "erasmus student"
    # a capacity the documents speak of, a fixed phrase, "such as", and none at all
    assert foreign_role("Can I get a residence permit as a victim?", df0) is None
    assert foreign_role("What happens as a result?", df0) is None
    assert foreign_role("Are people such as a tourist covered?", df0) is None
    assert foreign_role("How do I apply for a work permit?", df0) is None
    # what a thing is taken for is no capacity; a role in the plural or of the documents' root
    # is theirs (a review's false caveats)
    assert foreign_role("Is child pornography punished as a felony?", df0) is None
    assert foreign_role("Is it given as a right?", df0) is None
    df2 = {"ngos": 2}.get
    assert foreign_role("Can I get funding as an NGO?", lambda t: df2(t) or 0) is None
    words = ("studying", "working")
    starts = lambda p: any(w.startswith(p) for w in words)
    assert foreign_role("Can a victim stay longer as a student?", df0, starts) is None
    assert foreign_role("How do I renew my permit as an erasmus student?", df0, starts) \
        == "erasmus student"


@pytest.mark.parametrize("question", [
    "how do i apply for a slovenian work permit as a software developer?",
    "how do i renew my residence permit as an erasmus student in slovenia?"])
def test_a_rule_for_someone_else_is_no_confident_answer(assistant, question):
    # Both got the rule for foreign victims with confidence (a blind probe's off-topic
    # questions); the page never speaks of such people.
    r = assistant.answer(question)
    assert r.abstained or r.tentative
    assert r.abstained or any("never mention" in c for c in r.caveats)


def test_a_units_number_counts_nothing():
    from assistant.checks import gives_counted_figure

    q = "How many printed copies trigger the cover text requirement?"
    assert not gives_counted_figure(q, "If the Cover Text requirement of section 3 is "
                                       "applicable to these copies of the Document")
    assert not gives_counted_figure(q, "Article 12 applies to copies sold.")
    assert gives_counted_figure(q, "If you publish more than 100 copies, covers are needed.")


def test_a_counted_word_the_documents_never_use_is_read_by_its_near_words():
    from assistant.checks import gives_counted_figure

    q = "how many cops are on THB cases?"
    text = "About fifteen officers are assigned full time to the policing of trafficking."
    assert not gives_counted_figure(q, text)
    assert gives_counted_figure(q, text, {"cop": (("polic", 0.92), ("offic", 0.65))})


@pytest.mark.parametrize("question", ["how many cops work exclusively on THB cases",
                                      "how many police officers work exclusively on THB cases"])
def test_a_how_many_question_gets_the_sentence_counting_what_it_asks(assistant, question):
    # The prosecutors' sentence ("There are 11 prosecutors ...") came first: it counts
    # prosecutors, not police officers.
    r = assistant.answer(question)
    assert r.quotes and "About fifteen officers" in r.quotes[0].text


def test_a_sentence_naming_again_what_the_one_before_named_goes_on_about_it():
    from assistant.quoting import names_again

    title = 'The title of the new project is "Use of Joint Investigation Teams" (JIT THB WB).'
    assert names_again(title, "The project, which was approved by the European Commission, "
                              "brings together prosecutors.")
    assert not names_again(title, "The police investigate offences.")
    assert not names_again(title, "Projects were funded.")  # no "The": not the same thing
    # a word telling one of a kind from another is not the thing ("The first workshop")
    assert not names_again("The first event was the conference.",
                           "The first workshop was in Slovenia.")
    # or with "this" / "these" and one of its words, anywhere in the sentence
    office = "Cases fall within the competence of the Specialised Office of State Prosecutor."
    assert names_again(office, "There are 11 prosecutors within this Specialised Service.")
    assert names_again("Victims get shelter.", "Most of these victims are women.")
    assert not names_again(office, "In this context, the police act.")
    # a phrase naming nothing said, though its word was ("time", "end")
    assert not names_again("It took time.", "This time, the office acted.")
    assert not names_again("At the end of 2013, the plan ended.", "To this end, it met.")
    assert not names_again(office, "There are 11 prosecutors in Slovenia.")


@pytest.mark.parametrize("question", ["How is the Specialised Office of State Prosecutor staffed?",
                                      "how big is the specialised prosecution office?"])
def test_the_sentence_after_the_one_naming_an_office_is_quoted_with_it(assistant, question):
    # "There are 11 prosecutors within this Specialised Service" goes on about the office the
    # sentence before names; quoted alone, that sentence said nothing of its staff.
    r = assistant.answer(question)
    assert r.quotes and "There are 11 prosecutors" in r.quotes[0].text


def test_what_a_project_does_is_quoted_with_the_sentence_naming_it(assistant):
    # Its title sentence alone had been the confident answer (a blind probe's; the sentence
    # after it, "The project, which ... brings together ...", says what it does).
    r = assistant.answer("What does the JIT THB WB project actually do?")
    assert r.quotes and "brings together representatives" in r.quotes[0].text


@pytest.mark.parametrize("question", [
    "cheap flights from sofia to ljubljana?",
    "Who won the last handball match between Croatia and Slovenia?",
    "What's the VAT rate in Slovenia?",
    # a sixteenth's: the almanac's, framed by words the page uses ("rarely used", "rights")
    "What currency does Bosnia and Herzegovina use?",
    "who is the prime minister of slovenia right now",
    # the almanac's memberships and other countries' currencies
    "Is Albania in the Schengen area?", "Is Slovenia in NATO?",
    "Can I pay in euros in Serbia or do I need dinars?",
    # "they", the people of the place it names: no follow-up when asked alone
    "What currency do they use in Serbia and Albania?",
    "what language do they speak in north macedonia?",
    # an eighteenth's: cooking and cars, everyday errands too
    "how do I make a traditional Slovenian cheese cake",
    "where can I get my car repaired in ljubljana",
    # a twentieth's: the almanac's history
    "when did croatia gain independence",
    # a twenty-first's: a month the page names ("October 2013") frames an errand, and a
    # place typed first in small letters is a name
    "cheap flights sofia to ljubljana in october", "serbia vs croatia football result"])
def test_an_errand_naming_the_pages_places_is_refused(assistant, question):
    # Two blind probes' off-topic questions, shown the Sofia conference or the workshops'
    # countries tentatively; a place typed in lower case is a name too ("sofia").
    assert assistant.answer(question).abstained


@pytest.mark.parametrize("question, history", [
    ("whats the weather in sofia this weekend", []),
    ("whats the weather in sofia this weekend",
     ["wich prosecutors office is competent for thb", "how many prosecutors there?"]),
    ("can you book me a hotel in sarajevo", ["what residence permit can foreign victims get"]),
    ("And the weather?", ["What protection do foreign victims get?"]),
    # a fifth's: the almanac's facts about the page's countries
    ("What's the capital of Slovenia?", []), ("Who is the current President of Slovenia?", []),
    ("Do I need a visa to visit Montenegro as a US citizen?", []),
    ("ok thanks. What is the capital of Croatia?",
     ["What special protective measures exist for children in Slovenia?"])])
def test_an_errand_after_a_question_is_refused(assistant, question, history):
    # A fourth blind probe's: "this weekend" had read as pointing back, and an errand sharing
    # "can" with the last question was shown its answer again, tentatively.
    assert assistant.answer(question, history).abstained


@pytest.mark.parametrize("question", ["And prosecutors?", "and prosecutors?"])
def test_and_x_after_how_many_asks_how_many_x(assistant, question):
    # Two blind probes': the conversation's words had kept the officers' sentence first.
    r = assistant.answer(question, ["How many police officers work on trafficking full time?"])
    assert r.quotes and "There are 11 prosecutors" in r.quotes[0].text
    assert r.tentative


def test_how_long_is_asked_of_the_last_answer(assistant):
    # Read after both questions, the first one's "how long ... reflect" had won: the 90 day
    # reflection period, not how long the permit lets victims stay.
    history = ["How long do identified foreign victims get to reflect?",
               "And can they get a residence permit?"]
    for question in ("until when?", "For how long?"):
        r = assistant.answer(question, history)
        assert r.quotes and "for the duration of the trial" in r.quotes[0].text, question
        assert r.tentative  # found by reading it with the earlier questions
    # Asked of the reflection period, it stays there.
    r = assistant.answer("how long is it", ["What is the reflection period for foreign victims?"])
    assert "90 day reflection period" in r.quotes[0].text


def test_how_many_is_asked_of_the_last_answer(assistant):
    # The last answer names the police units; with the conversation's words, the prosecutors'
    # count had come first, confidently.
    r = assistant.answer("How many are they?", ["Who investigates THB?"])
    assert r.quotes and "About fifteen officers are assigned full time" in r.quotes[0].text
    assert r.tentative
    # After the prosecution office, it counts the prosecutors.
    r = assistant.answer("How many are they?", ["Which office prosecutes trafficking cases?"])
    assert "There are 11 prosecutors" in r.quotes[0].text


def test_since_when_is_asked_of_the_last_answer(tmp_path):
    # "When was that?" after a question on who coordinates: the conversation's words kept the
    # coordinating sentence first, and the year is in the next one.
    from conftest import assistant_over

    a = assistant_over(tmp_path, {"office.txt": (
        "The National Office for Victims\n\nCoordination\n\nThe Office for Victims of Crime "
        "coordinates the work of all ministries against trafficking. It was set up in 2009 by "
        "a decree of the Government. Its director reports to Parliament every year.\n\n"
        "Shelters\n\nTwo shelters take in women and children. They are run by the Red Cross "
        "and funded by the state.\n")})
    r = a.answer("when was that?", ["Who coordinates the work against trafficking?"])
    assert r.quotes and "It was set up in 2009" in r.quotes[0].text, r.quotes
    assert r.tentative
    # Nothing after the last answer says when: it is not made to.
    r = a.answer("since when?", ["Who runs the shelters?"])
    assert "2009" not in r.quotes[0].text and r.tentative


@pytest.mark.parametrize("question, only", [
    ("Since when?", True), ("when was that?", True), ("and in what year?", True),
    ("When did the project start?", False), ("Since when does the Office exist?", False),
    ("when is the deadline", False)])
def test_a_question_asking_only_when(question, only):
    from assistant.checks import asks_only_time

    assert asks_only_time(question) == only


def test_a_month_is_a_time_and_may_is_not():
    from assistant.checks import gives_time

    assert gives_time("It was set up in 2009.") and gives_time("In May the plan was adopted.")
    assert gives_time("It was signed on 3 May.") and gives_time("It opened on 14.03.2011.")
    assert not gives_time("Victims may obtain a permit.")
    # a review's: a modal opening a sentence, a count, an article's number
    for text in ("May victims refuse the interview?", "There are 2010 shelters.",
                 "Article 2015 of the Code applies."):
        assert not gives_time(text), text


@pytest.mark.parametrize("question, only", [
    ("How many are they?", True), ("how many of them are there?", True), ("How many?", True),
    ("How many prosecutors?", False), ("how many of them do trafficking?", False),
    ("and how many were women?", False), ("How long is it?", False)])
def test_a_question_asking_only_how_many(question, only):
    from assistant.checks import asks_only_count

    assert asks_only_count(question) == only


@pytest.mark.parametrize("question, only", [
    ("For how long?", True), ("and until when?", True), ("for how many months?", True),
    ("how long is it", True), ("How long is the reflection period?", False),
    ("Who else?", False), ("How fast?", True), ("and how quickly?", True),
    ("How quickly did the number of victims rise?", False)])
def test_a_question_asking_only_how_long(question, only):
    from assistant.checks import asks_only_duration

    assert asks_only_duration(question) == only


def test_these_days_said_earlier_are_followed_up(assistant):
    r = assistant.answer("Are these days extendable?", ["How long is the reflection period?"])
    assert r.quotes and "90 day reflection period" in r.quotes[0].text


def test_the_time_of_asking_points_back_to_nothing():
    from assistant.queries import points_back

    assert not points_back("whats the weather in sofia this weekend")
    assert not points_back("how many victims were identified this year")
    assert not points_back("How much is a flat white in London these days?")
    assert points_back("what did this project do")
    # a review's: these still point back
    assert points_back("Did this week-long course happen?")
    assert points_back("Can victims work during these days?")
    assert points_back("Are these days extendable?")


@pytest.mark.parametrize("question, history, expected", [
    ("where can i read them?", ["who prepares the national action plans on trafficking"],
     "More about the field of prevention can be found in National Action Plans"),
    ("where are the stats?", ["who investigates thb cases"],
     "The statistics and the trends about the field of investigation"),
    ("where are the stats?", [],
     "The statistics and the trends about the field of investigation"),
    ("where are the annual reports about victim support", [],
     "More about the field of Assistance and support provided to victims can be found"),
    ("Are the trafficking statistics published in the IWG's annual reports - correct?", [],
     "The statistics and the trends about the field of investigation"),
    # a sixth blind probe's: "where's", and a word for a text that is no report
    ("where's the longer write-up on helping survivors?", [],
     "More about the field of Assistance and support provided to victims can be found")])
def test_where_to_read_after_a_question_gets_the_pointer(assistant, question, history, expected):
    # A fourth blind probe's: refused, as no word of the pointer sentence is the question's
    # ("read", "stats"); the sentence saying where to find them speaks to it all the same.
    r = assistant.answer(question, history)
    assert r.quotes and expected in r.quotes[0].text


@pytest.mark.parametrize("question", [
    "Where are the documents for the permit application submitted?",
    "Where are the required documents?",
    "where were the reports submitted?", "Where were the annual reports presented?",
    "Where do the reports say victims come from?", "Where is the data protection authority?"])
def test_asking_where_something_happened_is_not_asking_where_to_read(question):
    from assistant.quoting import asks_where_to_read

    assert not asks_where_to_read(question)


def test_an_errand_word_in_a_question_on_the_documents_is_no_errand(assistant):
    # "victims" is the page's word: the question is asked as before.
    assert not assistant.answer("Can victims travel by train to their home country?").abstained
    assert not assistant.answer("Do victims get their passports back?").abstained
    # a frame word ("used") with no errand word is the page's as ever
    assert not assistant.answer("Which tools are rarely used in South-eastern Europe?").abstained
    # the page gives sums in "EUR": euros are no errand of it
    assert not assistant.answer("How many euros did the NGOs get?").abstained


@pytest.mark.parametrize("message, sums", [
    ("what's 2+2", True), ("What is 15 x 3?", True), ("how much is 100 - 20?", True),
    ("12 divided by 4", True), ("calculate 3*7", True),
    ("2012-2013?", False), ("24/7?", False), ("2011/36?", False), ("2013?", False),
    ("2013 - 2014", False), ("2012 / 2013?", False), ("24 / 7?", False),
    ("What is Article 187(2)?", False), ("What is 90,000 EUR in dollars?", False)])
def test_a_sum_to_work_out(message, sums):
    from assistant.checks import asks_arithmetic

    assert asks_arithmetic(message) is sums


@pytest.mark.parametrize("history", [[], ["How many prosecutors deal with THB?"]])
def test_a_sum_is_refused_alone_or_after_a_question(assistant, history):
    # A blind probe's "what's 2+2" after a question had been shown "Article 187(2)".
    assert assistant.answer("what's 2+2", history).abstained


@pytest.mark.parametrize("history", [[], ["Can victims stay after the trial?"]])
def test_a_request_to_translate_is_refused(assistant, history):
    # Asked by two blind probes after a question; shown a sentence naming Slovenia.
    assert assistant.answer("translate 'good morning' into Slovenian please", history).abstained


@pytest.mark.parametrize("question, asks", [
    ("Why?", True), ("And why?", True), ("why those two?", True),
    ("How come victims get a permit?", True), ("What was the reason for the project?", True),
    ("Who came up with it, and why?", True), ("Can you tell me why victims stay?", True),
    ("what's the reason for it?", True), ("For what reason?", True),
    ("What is the project about?", False), ("Who funds the shelters?", False)])
def test_what_asks_why(question, asks):
    from assistant.checks import asks_reason

    assert asks_reason(question) is asks


def test_what_gives_a_reason():
    from assistant.checks import states_reason

    assert states_reason("As JITs are a tool rarely used by countries of the South-eastern "
                         "Europe, knowledge of this tool is a precondition for its use.")
    assert states_reason("It was set up in order to promote the use of joint teams.")
    assert states_reason("He opposed it, arguing that the burden would outweigh the benefits.")
    assert not states_reason('The title of the new project is "Use of Joint Investigation '
                             'Teams (JIT) to fight Trafficking in Human Beings".')
    assert not states_reason("As a rule, the office publishes a report.")
    assert not states_reason("Since 2013 the Government has provided EUR 90,000.")
    assert not states_reason("Thus far no victims were found; as many as 40 were heard.")


def test_a_question_asking_a_sequels_name_is_quoted_with_its_title(assistant):
    # A blind probe's: confidently quoted the sentence on the proposal, without the title.
    r = assistant.answer("What's the sequel to the JIT THB project called?")
    assert "The title of the new project is" in r.quotes[0].text


def test_a_question_asking_why_gets_the_sentence_giving_a_reason(assistant):
    # The prosecutors' sentence had come first; the one saying why the Employment Service's
    # officers are trained ("with the purpose of their early detection ...") is the answer.
    # (A question of the evaluation set's fitting part.)
    r = assistant.answer("Why are job centre officials being briefed about THB?")
    assert "with the purpose of their early detection" in r.quotes[0].text


@pytest.mark.parametrize("question, asks", [
    ("What is the title of the new JIT project?", True),
    ("The earlier JIT project - what is the name of its sequel?", True),
    ("what was the new project called?", True), ("The follow-up's name?", True),
    ("what's the new project called?", True),
    # six words between (a blind probe's)
    ("What's the sequel to the JIT THB project called?", True),
    # what a plan calls for is no title (an attack probe's)
    ("What were the three main measures the national strategy called for?", False),
    ("What's the name of the national coordinator?", False),
    ("What is the name of the current President of Warsaw?", False),
    ("Who approved the project?", False)])
def test_what_asks_what_something_is_called(question, asks):
    from assistant.checks import asks_title

    assert asks_title(question) is asks


def test_what_says_what_something_is_called():
    from assistant.checks import gives_title

    assert gives_title('The title of the new project is "Use of Joint Investigation Teams".')
    assert gives_title("They launched a programme called Safe Passage.")
    assert not gives_title("The Commission called for more cooperation.")
    assert not gives_title("The so-called loverboy method is common.")
    assert not gives_title("In 2012 the Ministry prepared the proposal for a sequel of the "
                           'previously concluded project "The introduction of JITs".')
    # A title in quotation marks after its word gives it, when that is what is looked for
    # (the earlier project's: the sentence names it only in passing).
    assert gives_title("In 2012 the Ministry prepared the proposal for a sequel of the "
                       'previously concluded project "The introduction of JITs".', quoted=True)
    assert gives_title('the action plan “Safe Futures” was adopted', quoted=True)
    assert not gives_title('the project "and" its sequel', quoted=True)
    assert not gives_title("The project was approved.", quoted=True)


def test_the_earlier_projects_name_is_quoted_from_the_sentence_naming_it(assistant):
    # The sentence on what the new project does had been the confident answer.
    r = assistant.answer("what was the earlier jit project called")
    assert "The introduction of the requirements for establishing" in r.quotes[0].text
    r = assistant.answer("The earlier JIT project for South-eastern Europe - what is the name "
                         "of its sequel?")
    assert "The title of the new project is" in r.quotes[0].text
    # A top quote giving the new one's title does not stay for the earlier one's (a
    # review's: it had been the confident answer).
    r = assistant.answer("What is the title of the earlier JIT THB project?")
    assert "The introduction of the requirements for establishing" in r.quotes[0].text


def test_the_name_of_a_sequel_is_quoted_from_the_sentence_giving_it(assistant):
    # The sentence on the 2012 proposal had been the confident answer, alone.
    r = assistant.answer("what is the name of the sequel the ministry prepared in 2012?")
    assert "The title of the new project is" in r.quotes[0].text


def test_a_place_name_with_a_small_word_is_named_by_a_quote_naming_it():
    from assistant.checks import lacks_asked_place

    df = lambda t: 1
    assert not lacks_asked_place("What meeting took place in The Hague?",
                                 "A meeting took place in The Hague in 2013.", df)


@pytest.mark.parametrize("question, held", [
    ("Why has the government prioritised child pornography?", "two issues closely related"),
    ("What was the previous project called?", "previously concluded")])
def test_an_answer_type_rule_keeps_a_right_top_quote(assistant, question, held):
    # A review's: the reason rule had moved up a reason for something else (and the answer
    # was then refused), the title rule the new project's title for the previous one's.
    r = assistant.answer(question)
    assert not r.abstained and held in r.quotes[0].text


@pytest.mark.parametrize("question, term", [
    ("What does 'convey' mean in GPL version 3?", "convey"),
    ("What is an Application under the LGPL?", "Application"),
    ("LGPL: what is the Linked Version?", "Linked Version"),
    ("GPLv3 definition of a User Product?", "User Product"),
    ("meaning of covered work", "covered work"),
    ("What is the reflection period?", "reflection period"),
    # asking something of it, not what it is
    ("What is the reflection period for foreign victims?", None),
    ("Who is the head?", None), ("What does the licence say about patents?", None)])
def test_a_question_asking_what_a_term_means(question, term):
    from assistant.checks import defined_term

    assert defined_term(question) == term


def test_a_sentence_defining_a_term():
    from assistant.checks import defines

    assert defines("convey", 'To "convey" a work means any kind of propagation')
    assert defines("Application", 'An "Application" is any work that makes use of it')
    assert defines("Linked Version", 'the Combined Work was made is also called the "Linked '
                   'Version".')
    assert defines("Larger Work", '1.7. "Larger Work"\n    means a work that combines ...')
    assert defines("User Product", 'A "User Product" is either (1) a "consumer product"')
    # naming the term is not defining it
    assert not defines("Application", '"The Library" refers to a covered work governed by '
                       "this License, other than an Application or a Combined Work")
    assert not defines("reflection period", "Victims are granted a 90 day reflection period.")


def test_the_sentence_defining_the_term_asked_comes_first(tmp_path):
    from conftest import assistant_over

    a = assistant_over(tmp_path, {"licence.txt": (
        "0. Additional Definitions.\n\n"
        '"The Library" refers to a covered work governed by this License, other than an '
        "Application or a Combined Work as defined below.\n\n"
        'An "Application" is any work that makes use of an interface provided by the Library, '
        "but which is not otherwise based on the Library.\n\n"
        "1. Exception.\n\nYou may convey a covered work without being bound by section 3.\n")})
    r = a.answer("What is an Application under this licence?")
    assert r.quotes and 'An "Application" is any work' in r.quotes[0].text


def test_only_a_sentence_defining_a_bare_term_as_its_subject_defines_it():
    from assistant.checks import defined_term, defines

    # a review's: the term named inside another's subject is not defined
    assert not defines("human trafficking", "Efforts to prevent human trafficking include "
                       "projects and awareness-raising campaigns.")
    assert defines("trafficking", "Trafficking in human beings means the recruitment of ...")
    assert defined_term("What is the definition of covered work?") == "covered work"
    assert defined_term("what is meant by the term trafficking") == "trafficking"


def test_the_question_forms_read_long_blank_runs_as_one_blank():
    from assistant.checks import defined_term

    # A review's: three overlapping runs of blanks had taken 97 s at 800 characters (this
    # test would hang, not fail, if they came back). A run of blanks reads as one.
    for form in ("define x", "what is x", "what does x mean"):
        assert defined_term(form + " in" + " " * 3000 + "the GPL?") \
            == defined_term(form + " in the GPL?") == "x"


def test_an_introduction_before_a_question_is_told_from_the_question():
    from assistant.quoting import introduction_before

    assert introduction_before("I'm a labour inspector in Koper. Who checks work permits?") == \
        ("I'm a labour inspector in Koper.", "Who checks work permits?")
    assert introduction_before("We are an NGO. We run a shelter. Who funds shelters?") == \
        ("We are an NGO. We run a shelter.", "Who funds shelters?")
    assert introduction_before("As a prosecutor, I need this. What is the penalty?") is not None
    assert introduction_before("As a labour inspector, I check farms. Who funds it?") is not None
    # greeted first, typed without the apostrophe or the question mark, thanked after
    assert introduction_before("Hi, I'm a prosecutor. Who investigates it? Thanks a lot!") == \
        ("Hi, I'm a prosecutor.", "Who investigates it?")
    assert introduction_before("Im a police officer in Slovenia. what time is it") == \
        ("Im a police officer in Slovenia.", "what time is it")
    # one sentence; two questions; no question at the end; what happened, not who asks
    for message in ("I'm a prosecutor: who funds shelters?", "I'm new. Who funds it? And how?",
                    "I'm a prosecutor. Tell me who funds shelters.",
                    "My client was trafficked from Nigeria. Can she stay?",
                    "Foreign victims who help the police. How long may they stay?",
                    "As a result of the reforms, victims get help. What changed?"):
        assert introduction_before(message) is None, message


def test_a_continuation_asking_nothing_of_its_own_is_elliptical():
    from assistant.queries import elliptical

    for q in ("and in recent years?", "What about the regional police?", "and for children?",
              "And 'Object' form?", "or in 2014?"):
        assert elliptical(q), q
    for q in ("and who prosecutes?", "and for how long?", "And what is the JIT project?",
              "and is it free?", "in recent years?", "and?", "What are the goals?"):
        assert not elliptical(q), q


@pytest.mark.parametrize("history", ["What does prevention aim for?",
                                     "Which goals does prevention have?"])
def test_an_elliptical_follow_up_is_read_with_the_conversation(assistant, history):
    # Read alone (it has two words of its own), "and in recent years?" had found the
    # victims' projects "in recent years", not the prevention paragraph's recent training.
    r = assistant.answer("and in recent years?", history=[history])
    assert r.quotes and "special emphasis" in r.quotes[0].text


def test_what_a_question_asks_the_time_after_and_a_sentence_saying_it():
    from assistant.quoting import after_what, speaks_of_after

    what = after_what("What happens after the 30-day assessment period?")
    assert what >= {"assess", "period"}
    assert speaks_of_after("After the 30-day assessment period, the resident may stay.", what)
    # naming the period is not saying what follows it
    assert not speaks_of_after("The first 30 days are considered an assessment period.", what)
    assert not speaks_of_after("After the trial, victims may stay.", what)
    assert after_what("What is the assessment period?") == frozenset()


def test_a_question_asking_past_a_limit_of_time():
    from assistant.quoting import asks_beyond, speaks_of_extension

    for q in ("Can someone stay longer than the six months?", "beyond the 90 days?",
              "can they stay past the reflection period"):
        assert asks_beyond(q), q
    for q in ("How long is the stay?", "Is the stay longer than the flight?"):
        assert not asks_beyond(q), q
    assert speaks_of_extension("The stay can be extended by a further six months.")
    assert not speaks_of_extension("The stay lasts up to six months.")


def test_a_question_asking_peoples_names_needs_a_person_named():
    from assistant.checks import lacks_person_name

    office = "There are 11 prosecutors within this Specialised Service of the Republic of Slovenia."
    for q in ("what are the names of the two thb prosecutors",
              "whats the name of the head prosecutor there?",
              "What is the name of Slovenia's national rapporteur on trafficking?"):
        assert lacks_person_name(q, office), q
        assert not lacks_person_name(q, "The unit has been led by Inspector Dara Kovenko."), q
    # a body's or a place's capitalised words name no one; a body's name is not asked for here
    assert lacks_person_name("names of the judges?", "Caritas Slovenia met in March 2013.")
    for q in ("what's the name of the hotline group that got funds",
              "what are the names of the 4 ngos the inspectorate works with?"):
        assert not lacks_person_name(q, office), q


def test_a_keyword_question_closing_with_the_phone_asks_for_a_number(assistant):
    from assistant.checks import lacks_contact_detail

    for q in ("association ključ phone?", "labour inspectorate phone", "police telephone"):
        assert lacks_contact_detail(q, "The police investigate.") == "a phone number", q
    for q in ("Is a phone needed?", "phone scams by traffickers", "smartphone apps for victims"):
        assert lacks_contact_detail(q, "The police investigate.") is None, q
    # it had been answered confidently by a sentence naming the association and no number
    r = assistant.answer("association ključ phone?")
    assert r.abstained or r.tentative


def test_a_pronoun_after_a_short_opening_leans_on_the_sentence_before():
    from assistant.quoting import refers_back

    for sentence in ("In 2024 they numbered 139, most of them young women.",
                     "On average it was 19 months in 2024.", "Since then it has grown."):
        assert refers_back(sentence), sentence
    # an "it" that stands for nothing said, or a name after the opening
    for sentence in ("In 2024 it was decided to act.", "In Slovenia, it is important to note.",
                     "In 2013 the Government provided about EUR 90,000."):
        assert not refers_back(sentence), sentence


def test_an_attack_probes_cases_of_the_eighth_session():
    """A review that attacked this session's rules (2026-12-07, eighth session)."""
    from assistant.checks import lacks_person_name, phone_numbers
    from assistant.chunking import sentences
    from assistant.quoting import (after_what, asks_beyond, asks_where_to_read, refers_back,
                                   speaks_of_after)

    # a number to call under "reached at"; a count after "number was" or "on" is none
    assert [m.group() for m in phone_numbers("The line can be reached at 4477.")] == ["4477"]
    assert not phone_numbers("In 2023 the number was 149 complaints.")
    assert not phone_numbers("Inspections were carried out on 153 occasions.")
    # a title before a person's name; "member states" are not people
    for quote in ("The office is led by Prosecutor Ana Marlow.", "Ms Mojca NOVAK leads it.",
                  "Justice Anna Novak and Justice Chad Ferrell sat."):
        assert not lacks_person_name("What is the name of the head prosecutor?", quote), quote
    assert not lacks_person_name("names of the member states?", "Germany and France.")
    # "over the years" asks of a span, not past its end
    assert not asks_beyond("How many permits were granted over the years?")
    # what happens after the thing is said by a sentence opening so, not one mentioning it
    what = after_what("What happens once a resident leaves the shelter?")
    assert not speaks_of_after("Data are kept for five years after they leave the shelter.",
                               what)
    # a pronoun opening a clause that points forward leans on nothing before
    for sentence in ("Before they leave, residents sign.", "Until they turn 18, children stay.",
                     "Since they arrived, it rained.", "In Veldora it is illegal to do it."):
        assert not refers_back(sentence), sentence
    assert refers_back("Then they launched a raid.")
    # many "get"s after a "where", and a table's rule after a long run of spaces, read once
    assert not asks_where_to_read("where " + "get " * 4000)
    text = "| a | b |\n" + " " * 20000 + "x\n| c | d |\n|---|---|\n| 1 | 2 |"
    assert [text[s:e] for s, e in sentences(text, 0, len(text))][-1] == \
        "| c | d |\n|---|---|\n| 1 | 2 |"


@pytest.mark.parametrize("message", ["Hi, I'm 16. Can I stay in a shelter?",
                                     "I'm researching foreign victims. how many were there?"])
def test_an_introduction_the_question_asks_of_is_read_with_it(assistant, message):
    # "I" is the one introduced; "how many were there" counts nothing of its own: read whole
    assert assistant.evidence(message).query.asked == message


@pytest.mark.parametrize("sentence, plans", [
    ("Subject to funding, the telephone line will operate 24 hours a day, seven days a week, "
     "from 1 September 2026.", True),
    ("The ministry plans to open two more shelters.", True),
    ("A new unit is expected to start work next spring.", True),
    ("The shelter will open a second house next year.", True),
    # what is, and a rule or a promise put with "will" or "shall" (no time to come after it)
    ("Counsellors offer support directly in the following languages:", False),
    ("Identified victims will be granted a 90 day reflection period.", False),
    ("This License will therefore apply to the whole of the work.", False),
    ("The victims acted of their own free will in 2021.", False),
    # an attack probe's: an FAQ's promise, a name given, "will" as a noun, an aim, a rule of
    # a past year, a deadline put with "shall"
    ("We will never share your details with the police without your consent.", False),
    ("In March 2025 a woman we will call Anika, 34, from Pellonia, contacted us.", False),
    ("In 2023 the police identified 45 persons held against their will.", False),
    ("The project aims to improve the identification of victims.", False),
    ("The amendment adopted in 2022 provides that victims shall be granted a permit.", False),
    ("By 30 June 2025, each of the eight regions of Estavia shall establish a team.", False),
])
def test_a_sentence_about_plans_is_told_from_one_about_what_is(sentence, plans):
    from assistant.checks import speaks_of_plans

    assert speaks_of_plans(sentence) is plans


@pytest.mark.parametrize("question, future", [
    ("Which languages does the helpline offer?", False),
    ("languges helpline offers", False),
    ("What languages will the helpline add?", True),
    ("Any plans for new languages?", True),
    ("What happens next year?", True),
    ("How many calls were there in 2025?", True),
])
def test_a_question_about_what_is_to_come_is_told(question, future):
    from assistant.checks import asks_future

    assert asks_future(question) is future


@pytest.mark.parametrize("text, months", [
    ("How many contacts came in between July and September?", {"july", "september"}),
    ("Q3 (July to September) | 1,897 contacts", {"july", "september"}),
    ("the chat was introduced in May 2023", {"may"}),
    # "may" as a verb, in any case
    ("May I call at night?", set()), ("may i call at night", set()),
    # an attack probe's: a list, a person's first name, a sentence opening "In May"
    ("in April, May and June", {"april", "may", "june"}), ("June Smith said so", set()),
    ("Judge April Novak ruled", set()), ("In May we opened a shelter", {"may"}),
    ("Victims may stay for 90 days.", set()), ("How many calls were there?", set()),
])
def test_the_months_a_text_names(text, months):
    from assistant.checks import months_named

    assert months_named(text) == months


@pytest.mark.parametrize("question, quote, other", [
    ("Who is the second defendant in the greenhouse case?",
     "4. The first defendant, Dorin Maszek (born 1979), managed the company.", "second"),
    ("what did the 3rd defendant do?", "The first defendant, Dorin Maszek, ran it.", "third"),
    # the quote names the one asked, names none, or the question names two or none
    ("Who is the second defendant?", "The first and second defendants appealed.", None),
    ("Who is the second defendant?", "Elvira Tansky owned the agency.", None),
    ("Were the first and second defendants convicted?", "The first defendant was.", None),
    ("Who is the defendant?", "The first defendant, Dorin Maszek.", None),
])
def test_a_quote_about_another_of_several_is_told(question, quote, other):
    from assistant.checks import names_other_ordinal

    assert names_other_ordinal(question, quote) == other


@pytest.mark.parametrize("text, gives", [
    ("open Monday to Friday from 9:00 to 17:00", True), ("from 8 am to 6 pm", True),
    ("staffed 24 hours a day", True), ("open 24/7", True), ("closes at 17h30", True),
    ("from 10.00 to 13.00", True), ("In 2024, 41 cases were opened.", False),
    ("Article 12.30 applies.", False), ("the 2.30 rate", False), ("1.5 million euros", False)])
def test_a_time_of_day_is_told_from_other_figures(text, gives):
    from assistant import checks

    assert checks.gives_clock_time(text) is gives


def test_which_article_needs_a_quote_citing_one():
    from assistant import checks

    asked = "which article of the trafficking act defines exploitation?"
    assert checks.lacks_cited_unit(asked, "The main legal instrument is the Act of 2017.")
    assert not checks.lacks_cited_unit(asked, "Article 113 of the Criminal Code defines it.")
    assert not checks.lacks_cited_unit(asked, "Article XXII\nRecruitment fees\nNo fee ...")
    # Which provisions, which paragraph, which section (a statute's sections are headed by
    # their bare number, "15 Withholding of identity documents"; "what section of the
    # population"): asked of what they say, not of a number.
    assert not checks.lacks_cited_unit("Which provisions cover forced begging?",
                                       "The amendment added forced begging to the Act.")
    assert not checks.lacks_cited_unit("Which section makes it an offence to retain a "
                                       "passport?", "15 Withholding of identity documents")


@pytest.mark.parametrize("question, apart", [
    ("what are lanterna's opening hours on weekdays?", True),
    ("And who brings the charges?", False),            # goes on
    ("Why did the appeal court think that wasn't enough?", False),  # leans on "that"
    ("Still used anywhere?", False),
    ("under what conditions", False),                  # too few words of its own
    ("And what did Edmonds do that same year?", False)])
def test_a_question_standing_apart_is_told_from_a_follow_up(question, apart):
    from assistant.answering import Answerer
    from assistant.quoting import asked_terms

    assert Answerer._stands_apart(question, asked_terms(question)) is apart


def test_what_happens_when_something_ends_asks_what_follows():
    from assistant import quoting

    for question in ("what happens when the reflection period ends?",
                     "what do victims get when their permit expires?"):
        assert quoting.asks_sequel(question) == 1, question
    # asked when it ends, not what follows
    assert quoting.asks_sequel("When does the project end?") == 0
    assert quoting.asks_sequel("When will the plan end?") == 0
    what = quoting.after_what("what happens after the 60-day reflection period ends?")
    assert quoting.speaks_of_after("17. When the reflection period ends, a victim may be "
                                   "issued a temporary residence permit.", what)
    assert not quoting.speaks_of_after("16. The law provides for a reflection period of 60 "
                                       "days.", what)


def test_a_number_to_call_after_on_a_few_words_after_call():
    from assistant import checks

    def numbers(text):
        return [m.group() for m in checks.phone_numbers(text)]

    assert numbers("If a worker is in immediate danger, call the police on 112 straight "
                   "away.") == ["112"]
    assert numbers("Contact the team leader on 4455 at any time.") == ["4455"]
    # counts after "on" are no numbers to call
    assert numbers("The police intervened on 153 occasions.") == []
    assert numbers("We reached out to employers on 112 farms.") == []
