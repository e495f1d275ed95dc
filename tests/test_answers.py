import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DATA, eval_file

from assistant.evaluation.questions import evaluate, read_questions


def check_verbatim(assistant, reply):
    for q in reply.quotes:
        assert assistant.document(q.doc_id).text[q.start:q.end] == q.text


def sentence_count(text):
    return len(re.findall(r"[.!?](\s|$)", text)) or 1


@pytest.mark.parametrize("name", ["seed_questions.jsonl", "seed_followups.jsonl"])
def test_seed_sets_meet_targets(assistant, name):
    m = evaluate(assistant, read_questions(eval_file(name)))
    assert m.hit_at(1) >= 0.9
    assert m.hit_at(3) == 1.0
    if "followups" in name:
        assert m.hit_at(1) == 1.0
    assert not any(o.abstained for o in m.outcomes)


def test_seed_off_topic_abstains(assistant):
    m = evaluate(assistant, read_questions(eval_file("seed_offtopic.jsonl")))
    assert all(o.abstained for o in m.outcomes)


def test_own_question_set(assistant):
    """Questions written for this project (not in shared/): paraphrases, names, numbers,
    follow-ups and off-topic questions."""
    m = evaluate(assistant, read_questions(DATA / "extra_questions.jsonl"))
    assert m.hit_at(1) >= 0.9 and m.hit_at(3) == 1.0
    assert m.abstention_accuracy == 1.0


def test_follow_ups_written_by_others(assistant):
    """Follow-ups written by a helper probing the follow-up rules, who had not seen the
    evaluation set: asking again ("Sorry, how many was that?"), for a detail of the last answer
    ("Which article is it?") or for the next fact ("Who approved it?")."""
    m = evaluate(assistant, read_questions(DATA / "followups_by_others.jsonl"))
    # 95.0% measured since words of the conversation ("sorry", "again") are not what is asked
    # (87.5% before: asking again was refused); 97.5% since quantifiers are not either.
    assert m.hit_at(1) >= 0.95


def test_conversations_by_others(assistant):
    """Conversations written by a helper who saw the page but not the code: 70 changes of
    subject after one or two questions ("Is it going to rain?", "Who built you?"), which must
    be refused, and 40 short follow-ups the page answers. Floors a little under the figures
    measured (45/70 refused, hit@1 72.5%: README, "Follow-ups")."""
    m = evaluate(assistant, read_questions(DATA / "conversations_by_others.jsonl"))
    refused, changes = m.off_topic_abstained
    assert changes == 70 and refused >= 42
    assert m.hit_at(1) >= 0.67


def test_questions_by_others(assistant):
    """85 questions on the seed page by a helper that saw the page but no code nor question set
    (2026-12-05): 50 answerable (close wording, paraphrases, yes/no, where to read more), 20
    near-topic, 15 off-topic. Floors a little under the figures measured (hit@1 90%, 30 of the
    39 confident answers right, none of them to an answerable question wrong; README)."""
    rows = read_questions(DATA / "questions_by_others.jsonl")
    m = evaluate(assistant, rows)
    assert m.hit_at(1) >= 0.85
    confident = right = 0
    for row in rows:
        r = assistant.answer(row["q"])
        if r.abstained or r.tentative:
            continue
        confident += 1
        right += bool(row.get("any")) and any(s in r.quotes[0].text for s in row["any"])
    assert right >= 0.7 * confident


@dataclass
class ProbeOutcome:
    """What a blind probe's questions got: hit@1 over its answerable ones, its changes of
    subject to small talk and how many were refused, confident answers to questions the page
    does not answer, and confident wrong answers to ones it does."""

    hit_at_1: float
    small_talk: int = 0
    refused: int = 0
    confident_unanswerable: int = 0
    confident_wrong: int = 0
    off_topic: int = 0
    off_topic_refused: int = 0


def probe_outcome(assistant, name: str) -> ProbeOutcome:
    rows = read_questions(DATA / name)
    out = ProbeOutcome(evaluate(assistant, rows).hit_at(1))
    for row in rows:
        r = assistant.answer(row["q"], row.get("history") or [])
        sure = not (r.abstained or r.tentative)
        if row["kind"] == "small-talk-after":
            out.small_talk += 1
            out.refused += r.abstained
        elif not row["any"]:
            out.confident_unanswerable += sure
            if row["kind"] == "off-topic":
                out.off_topic += 1
                out.off_topic_refused += r.abstained
        elif sure:
            out.confident_wrong += not any(s in r.quotes[0].text for s in row["any"])
    return out


def small_talk_refused(assistant, name: str) -> tuple[int, int]:
    """(how many, how many refused) of a probe's small talk (kind "small-talk")."""
    talk = [r for r in read_questions(DATA / name) if r["kind"] == "small-talk"]
    return len(talk), sum(assistant.answer(r["q"], r.get("history") or []).abstained
                          for r in talk)


def test_a_blind_probe_by_others(assistant):
    """80 questions on the seed page by a helper that saw the page but no code nor question set
    (2026-12-06, tenth session): paraphrases, follow-ups, near-topic and off-topic questions,
    small talk after a question. Floors a little under the figures measured (hit@1 88.9% over
    the 45 answerable, none answered confidently and wrongly, the 10 changes of subject to small
    talk all refused: README, "Evaluation")."""
    o = probe_outcome(assistant, "probe_by_others.jsonl")
    assert o.hit_at_1 >= 0.84 and o.confident_wrong == 0
    assert o.small_talk == 10 and o.refused >= 9


def test_a_second_blind_probe_by_others(assistant):
    """100 more questions on the seed page by a helper that saw only the page (2026-12-06,
    eleventh session). Measured blind: hit@1 76.7% over the 60 answerable, and three questions
    the page does not answer got confident quotes (a rule for Bulgaria, work and residence
    permits for a software developer and a student); after the fixes they prompted, 78.3% and
    none (README, "Evaluation"). Floors a little under those figures."""
    o = probe_outcome(assistant, "probe2_by_others.jsonl")
    assert o.hit_at_1 >= 0.75 and o.confident_unanswerable == 0
    assert o.small_talk == 10 and o.refused >= 9


def test_a_third_blind_probe_by_others(assistant):
    """90 questions on the seed page by a helper that saw only the page (2026-12-06, eleventh
    session): yes/no, where to read, the sentence after the topic's, after a period, and 30
    follow-ups (elliptical, pronouns, chains, changes of topic). Measured blind: hit@1 90.0%
    over the 60 answerable, none of the 20 near-topic or off-topic questions answered
    confidently, 8 of the 10 changes to small talk refused; 91.7% after one rule it shares
    with the fitting part (README, "Evaluation"). Floors a little under."""
    o = probe_outcome(assistant, "probe3_by_others.jsonl")
    assert o.hit_at_1 >= 0.87 and o.confident_unanswerable == 0
    assert o.small_talk == 10 and o.refused >= 7


def test_a_fourth_blind_probe_by_others(assistant):
    """100 questions on the seed page by a helper that saw only the page (2026-12-07): terse
    search-box queries, typos, everyday words, yes/no, and 21 in conversations. Measured
    blind: hit@1 91.0% over the 67 answerable, none answered confidently and wrongly, one of
    the 17 near-topic questions answered confidently ("does slovenia have a national
    rapporteur on trafficking?"), 12 of the 16 off-topic ones refused; after the changes it
    prompted (abbreviations searched spelt out, "this weekend", errands and where to read
    after a question), 95.5%, still none wrong and one near-topic, 14 of 16 refused (README,
    "Evaluation"). Floors a little under."""
    o = probe_outcome(assistant, "probe4_by_others.jsonl")
    assert o.hit_at_1 >= 0.92 and o.confident_wrong == 0 and o.confident_unanswerable <= 1
    assert o.off_topic == 16 and o.off_topic_refused >= 13


def test_a_fifth_blind_probe_by_others(assistant):
    """102 questions on the seed page by a helper that saw only the page (2026-12-07):
    verification questions (some with a wrong detail), negation and comparison, two-part
    questions, half-quotes, and 27 in conversations of up to five turns. Measured blind:
    hit@1 95.4% over the 65 answerable, none answered confidently and wrongly, one of the 20
    near-topic questions answered confidently (a form to fill in for the permit), 6 of the 17
    off-topic ones refused and none answered confidently; after the two rules it prompted
    ("published in" asks where to read; a country's capital, president, flag, language,
    climate, a visa or a drive are errands), 96.9% and 11 of 17 refused (README,
    "Evaluation"). Floors a little under."""
    o = probe_outcome(assistant, "probe5_by_others.jsonl")
    assert o.hit_at_1 >= 0.93 and o.confident_wrong == 0 and o.confident_unanswerable <= 1
    assert o.off_topic == 17 and o.off_topic_refused >= 10


def test_a_sixth_blind_probe_by_others(assistant):
    """100 questions on the seed page by a helper that saw only the page (2026-12-07, second
    session): heavy paraphrase ("a roof over their heads", "brussels green light"), "is it
    true" with a wrong detail, and 31 in conversations. Measured blind: hit@1 79.0% over the
    62 answerable (6 refused), none answered confidently and wrongly, none of the 38 near-topic
    or off-topic ones confidently, 14 of the 18 off-topic refused; 80.6% after the where-to-read
    form it prompted (README, "Evaluation"). Floors a little under."""
    o = probe_outcome(assistant, "probe6_by_others.jsonl")
    assert o.hit_at_1 >= 0.77 and o.confident_wrong == 0 and o.confident_unanswerable == 0
    assert o.off_topic == 18 and o.off_topic_refused >= 12


def test_an_eleventh_blind_probe_of_conversations(assistant):
    """76 turns in 25 conversations on the seed page by a helper that saw only the page
    (2026-12-07, fourth session): follow-ups with and without pronouns, two-step chains,
    changes of subject, yes/no, near-topic and off-topic turns in the middle of a
    conversation. Measured blind: hit@1 82.5% over the 63 answerable (52), none answered
    confidently and wrongly, one of the 9 near-topic turns answered confidently ("is it the
    same 90 days in austria?"), 3 of the 4 off-topic refused; 84.1% (53) and none of the
    near-topic confidently after the rules it prompted (a country typed in lower case is a
    name; a question asking when gets a dated candidate first), 85.7% (54) after a follow-up
    continuing a question on where to read asks the same, 87.3% (55) after clipped words
    ("org") are written out, 88.9% (56) after a short follow-up going on gets the candidate
    speaking to its words. README, "Evaluation"."""
    o = probe_outcome(assistant, "probe11_by_others.jsonl")
    assert o.hit_at_1 >= 0.87 and o.confident_wrong == 0 and o.confident_unanswerable == 0
    assert o.off_topic == 4 and o.off_topic_refused >= 3


def test_a_twelfth_blind_probe_of_follow_ups(assistant):
    """93 turns in 30 conversations on the seed page by a helper that saw only the page
    (2026-12-07, fourth session), most of them follow-ups: 26 elliptical ("anyone else?",
    "with whom", "which acts exactly"), 11 with a pronoun, 5 chains, 6 changes of subject, 13
    unanswerable (4 off-topic). Measured blind: hit@1 82.5% over the 80 answerable (66), 3
    answered confidently and wrongly, none of the unanswerable confidently, 3 of 4 off-topic
    refused; 86.2% (69) and one confident wrong answer after the rules it prompted (who does
    a deed; the earlier project's title in quotation marks; indefinite pronouns and "else"
    ask about nothing; "with whom" asks), 87.5% (70) after a continuation of a question on
    where to read takes its form only, 88.8% (71) after a short follow-up half in the page's
    words is read with the conversation, 90.0% (72) after the review's fixes. README,
    "Evaluation"."""
    o = probe_outcome(assistant, "probe12_by_others.jsonl")
    assert o.hit_at_1 >= 0.88 and o.confident_wrong <= 1 and o.confident_unanswerable == 0
    assert o.off_topic == 4 and o.off_topic_refused >= 3


def test_a_thirteenth_blind_probe_of_single_questions(assistant):
    """100 single questions on the seed page by a helper that saw only the page (2026-12-07,
    fourth session), as six kinds of user would type them: 65 answerable (32 paraphrases), 20
    near-topic, 15 off-topic. Measured blind: hit@1 80.0% (52), 1 confident and wrong, 2
    near-topic answered confidently, 12 of 15 off-topic refused; 81.5% (53), none wrong and 1
    near-topic confidently after the two rules it prompted; 13 of 15 off-topic refused after
    roads and taxes joined the errands. README, "Evaluation"."""
    o = probe_outcome(assistant, "probe13_by_others.jsonl")
    assert o.hit_at_1 >= 0.8 and o.confident_wrong == 0 and o.confident_unanswerable <= 1
    assert o.off_topic == 15 and o.off_topic_refused >= 12


def test_a_sixteenth_blind_probe_on_the_seed_page(assistant):
    """100 questions on the seed page by a helper that saw only the page (2026-12-07, sixth
    session), tagged by the issue's classes: 40 answerable (20 paraphrases sharing no content
    word with the answer), 25 follow-ups (ellipsis, pronouns, chains, changes of topic), 15
    near-topic, 12 off-topic, 8 changes of subject to small talk. Measured blind: hit@1 92.3%
    (60 of 65), none confident and wrong, 3 answerable refused, 1 near-topic answered
    confidently, 7 of 12 off-topic refused, all small talk refused; 93.8% and 11 of 12 after
    the changes it prompted. README, "Evaluation"."""
    o = probe_outcome(assistant, "probe16_by_others.jsonl")
    assert o.hit_at_1 >= 0.92 and o.confident_wrong == 0 and o.confident_unanswerable <= 1
    assert o.off_topic == 12 and o.off_topic_refused >= 11
    assert o.small_talk == 8 and o.refused == 8


def test_a_seventeenth_blind_probe_of_questions_naming_other_countries(assistant):
    """50 questions on the seed page naming other countries, nationalities or places, by a
    helper that saw only the page (2026-12-07, sixth session, after that session's rule on a
    country no document names): 25 answerable (a victim's nationality, the workshops'
    countries, partners), 15 near-topic (another country's figures or rules), 10 off-topic.
    Blind: hit@1 92.0% (23), none refused, 13 confident and right, none confident and wrong;
    2 near-topic refused (Austria, Hungary), 2 answered confidently; 8 of 10 off-topic refused.
    The code of the session's start: the same answers, no near-topic refused, 7 of 10
    off-topic. README, "Evaluation"."""
    o = probe_outcome(assistant, "probe17_by_others.jsonl")
    assert o.hit_at_1 >= 0.9 and o.confident_wrong == 0 and o.confident_unanswerable <= 2
    assert o.off_topic == 10 and o.off_topic_refused >= 8
    rows = [r for r in read_questions(DATA / "probe17_by_others.jsonl") if r["any"]]
    assert not any(assistant.answer(r["q"], r.get("history") or []).abstained for r in rows)


def test_an_eighteenth_blind_probe_on_the_seed_page(assistant):
    """80 questions on the seed page by a helper that saw only the page (2026-12-07, seventh
    session), as people who work against trafficking type them: 34 answerable (14
    paraphrases, yes/no, pointers, neighbours, after a period, 4 introduced by who asks), 20
    follow-ups (ellipsis, pronouns, chains, changes of topic), 12 near-topic, 10 off-topic (3
    after a question), 4 small talk. Blind: hit@1 83.3% (45 of 54), none confident and wrong,
    2 answerable refused, no near-topic answered confidently, 9 of 10 off-topic refused; 85.2%,
    1 refused and 10 of 10 after the changes it prompted (an abbreviation inside a hyphenated
    word, a message introducing who asks, cakes as errands). README, "Evaluation"."""
    o = probe_outcome(assistant, "probe18_by_others.jsonl")
    assert o.hit_at_1 >= 0.83 and o.confident_wrong == 0 and o.confident_unanswerable == 0
    assert o.off_topic == 10 and o.off_topic_refused >= 9
    assert small_talk_refused(assistant, "probe18_by_others.jsonl") == (4, 4)


def test_a_nineteenth_blind_probe_of_conversations(assistant):
    """70 questions on the seed page by a helper that saw only the page (2026-12-07, seventh
    session), most in conversations: 40 follow-ups (10 elliptical, 8 with a pronoun, 8 third or
    fourth turns of a chain, 8 changes of topic, 6 yes/no), 12 answerable asked alone, 8
    near-topic (4 after a question), 6 off-topic (4 changing the subject), 4 small talk after
    a question. Blind: hit@1 90.4% (47 of 52; follow-ups 38 of 40, 95.0%), hit@3 98.1%,
    none refused, none confident and wrong; 1 near-topic answered confidently ("what are the
    names of the two thb prosecutors"); 5 of 6 off-topic and 4 of 4 small talk refused;
    94.2% (follow-ups 39 of 40) after the two changes it prompted (an elliptical follow-up
    takes the more confident reading; a sentence naming the quoted one's thing with "this"
    joins the quote). README, "Evaluation"."""
    o = probe_outcome(assistant, "probe19_by_others.jsonl")
    assert o.hit_at_1 >= 0.92 and o.confident_wrong == 0 and o.confident_unanswerable <= 1
    assert o.off_topic == 6 and o.off_topic_refused >= 5
    assert small_talk_refused(assistant, "probe19_by_others.jsonl") == (4, 4)
    rows = read_questions(DATA / "probe19_by_others.jsonl")
    assert not any(assistant.answer(r["q"], r["history"]).abstained for r in rows if r["any"])


def test_a_twentieth_blind_probe_of_the_issues_classes(assistant):
    """70 questions on the seed page by a helper that saw only the page (2026-12-07, seventh
    session): 36 answerable asked alone (10 yes/no, 5 where to read, 6 the sentence next to
    the topic's, 5 after a period, 10 sharing no content word with the answer), 14 follow-ups,
    10 near-topic, 7 off-topic, 3 small talk. Blind: hit@1 88.0% (44 of 50), none confident
    and wrong, 2 answerable refused (deep paraphrases), no near-topic answered confidently, 6 of
    7 off-topic refused; 92.0% and 7 of 7 after the changes it prompted (which website or
    report asks where to read, a source named after a where-to-read question, independence as
    an errand). README, "Evaluation"."""
    o = probe_outcome(assistant, "probe20_by_others.jsonl")
    assert o.hit_at_1 >= 0.9 and o.confident_wrong == 0 and o.confident_unanswerable == 0
    assert o.off_topic == 7 and o.off_topic_refused >= 6
    assert small_talk_refused(assistant, "probe20_by_others.jsonl") == (3, 3)


def test_a_twenty_first_blind_probe_typed_in_haste(assistant):
    """60 questions on the seed page by a helper that saw only the page (2026-12-07, seventh
    session), typed as on a phone: 30 answerable asked alone (8 terse, 8 with typos, 6 yes/no,
    8 paraphrases), 12 follow-ups, 8 near-topic, 6 off-topic, 4 small talk. Blind: hit@1
    90.5% (38 of 42; answerable 28 of 30), none refused alone, none confident and wrong, no
    near-topic answered confidently, 4 of 6 off-topic refused ("cheapest flights sofia to
    ljubljana in october", "serbia vs albania football score last night??" shown
    tentatively); 6 of 6 after the change it prompted (months frame an errand; a place typed
    first in small letters is a name). README, "Evaluation"."""
    o = probe_outcome(assistant, "probe21_by_others.jsonl")
    assert o.hit_at_1 >= 0.9 and o.confident_wrong == 0 and o.confident_unanswerable == 0
    assert o.off_topic == 6 and o.off_topic_refused >= 6
    assert small_talk_refused(assistant, "probe21_by_others.jsonl") == (4, 4)
    rows = read_questions(DATA / "probe21_by_others.jsonl")
    assert not any(assistant.answer(r["q"]).abstained for r in rows
                   if r["kind"] == "answerable")


def test_a_twenty_fifth_blind_probe_on_the_seed_page(assistant):
    """90 questions on the seed page by a helper that saw the page but no code nor question set
    (2026-12-07, ninth session): 65 answerable (14 paraphrases, 18 follow-ups, 8 yes/no, 6
    terse, 6 figures, 5 neighbour, 4 after-period, 4 where-published), 15 near-topic, 10
    off-topic. Blind: hit@1 92.3% (60), hit@3 100%, none refused, one confident and wrong
    ("What's the sequel to the JIT THB project called?"), no near-topic answered
    confidently, all 10 off-topic refused; 93.8% (61) and none wrong after the change it
    prompted. README, "Evaluation"."""
    o = probe_outcome(assistant, "probe25_by_others.jsonl")
    assert o.hit_at_1 >= 0.93 and o.confident_wrong == 0 and o.confident_unanswerable == 0
    assert o.off_topic == 10 and o.off_topic_refused >= 10
    rows = read_questions(DATA / "probe25_by_others.jsonl")
    assert not any(assistant.answer(r["q"], r["history"]).abstained for r in rows
                   if r["kind"] == "answerable")


@pytest.fixture(scope="module")
def estavia(tmp_path_factory):
    """Two documents the seventh probe's helper wrote (an action plan and an NGO's annual
    report of a made-up country): a collection nothing was tuned on before."""
    from conftest import assistant_over

    files = {p.name: p.read_text(encoding="utf-8") for p in (DATA / "estavia").glob("*.txt")}
    return assistant_over(tmp_path_factory.mktemp("estavia"), files)


def test_a_seventh_blind_probe_on_new_documents(estavia):
    """100 questions by the helper that wrote the two documents (2026-12-07, second session).
    Far below the seed page, and kept as a floor so that it can only rise: measured blind,
    hit@1 54.8% over the 62 answerable, 15 of them refused (their coverage just under this
    index's bar, 0.279), 5 answered confidently and wrongly, 5 of the 38 near-topic or
    off-topic answered confidently, 13 of the 18 off-topic refused; 56.5% and 4 wrong after the
    rule it prompted (a one-word question pointing back keeps the conversation); 2 of the 38
    answered confidently after the third session's ("how many of them were X", a day of the
    week typed in small letters). README, "Known limits"."""
    o = probe_outcome(estavia, "probe7_by_others.jsonl")
    assert o.hit_at_1 >= 0.53 and o.confident_wrong <= 5 and o.confident_unanswerable <= 3
    assert o.off_topic == 18 and o.off_topic_refused >= 11


@pytest.fixture(scope="module")
def norvania(tmp_path_factory):
    """A web page and a Markdown document the eighth probe's helper wrote (a labour
    inspectorate's guidance, with navigation, a cookie banner, a table and a contact box; an
    inter-agency protocol on child victims)."""
    from conftest import assistant_over

    files = {p.name: p.read_text(encoding="utf-8") for p in (DATA / "norvania").iterdir()}
    return assistant_over(tmp_path_factory.mktemp("norvania"), files)


def test_an_eighth_blind_probe_on_a_web_page_and_markdown(norvania):
    """80 questions by the helper that wrote the two documents (2026-12-07, second session):
    table cells, list items, contact details, boilerplate words (cookies, sitemap, press
    office), follow-ups. Measured blind: hit@1 68.0% over the 50 answerable (the quote's
    Markdown emphasis read as the helper's plain text), 4 answered confidently and wrongly,
    one of the 30 unanswerable answered confidently, all 15 off-topic refused; 72.0%, 2 and
    none after the changes it prompted (the contact box read, a follow-up's own words before
    the form's rules, "how big are the fines"); 74.0% and none confidently wrong with the
    list items' marks (third session). README, "Evaluation"."""
    o = probe_outcome(norvania, "probe8_by_others.jsonl")
    assert o.hit_at_1 >= 0.72 and o.confident_wrong <= 1 and o.confident_unanswerable == 0
    assert o.off_topic == 15 and o.off_topic_refused >= 14


@pytest.fixture(scope="module")
def valmora(tmp_path_factory):
    """A PDF report the ninth probe's helper wrote and printed with chromium (title page,
    contents, numbered chapters, tables, endnotes, a running header and footer)."""
    import shutil

    from assistant import Assistant, build_index

    folder = tmp_path_factory.mktemp("valmora")
    shutil.copytree(DATA / "valmora", folder / "corpus")
    build_index(folder / "corpus", folder / "index")
    return Assistant.load(folder / "index")


def test_a_ninth_blind_probe_on_a_pdf_report(valmora):
    """70 questions by the helper that wrote the report (2026-12-07, second session).
    Measured blind: hit@1 63.6% over the 44 answerable (5 refused), 3 answered confidently
    and wrongly, 5 of the 26 unanswerable answered confidently, 7 of the 13 off-topic refused;
    after the changes it prompted (a count in millions and "per cent" are no sums, "what's
    the budget" asks for one, a name opening a sentence is still a name, "population" an
    errand): 63.6%, 2, 2 and 8; with the page label run into the footer left out of the text,
    56.8% (passages cut elsewhere; "where in the report is victim identification discussed?"
    quotes the section, not the contents line); one unanswerable answered confidently after
    the third session's average-or-bound check. README, "Evaluation"."""
    o = probe_outcome(valmora, "probe9_by_others.jsonl")
    assert o.hit_at_1 >= 0.54 and o.confident_wrong <= 2 and o.confident_unanswerable <= 1
    assert o.off_topic == 13 and o.off_topic_refused >= 8
    # The almanac's population of a country the report names in every chapter.
    assert valmora.answer("what is the population of valmora").abstained


@pytest.fixture(scope="module")
def kestria(tmp_path_factory):
    """A Word document the tenth probe's helper wrote with python-docx (numbered headings, lists,
    a quoted article, a statistics table and a table of contact points, a page header and
    footer)."""
    import shutil

    from assistant import Assistant, build_index

    folder = tmp_path_factory.mktemp("kestria")
    shutil.copytree(DATA / "kestria", folder / "corpus")
    build_index(folder / "corpus", folder / "index")
    return Assistant.load(folder / "index")


def test_a_tenth_blind_probe_on_a_word_document(kestria):
    """80 questions by the helper that wrote the document (2026-12-07, third session).
    Measured blind: hit@1 70.0% over the 50 answerable (2 refused), 6 answered confidently and
    wrongly, 2 of the 30 unanswerable answered confidently, 13 of the 15 off-topic refused;
    after the change it prompted (a keyword question closing with a contact detail asks for
    it), 5 confidently wrong; one unanswerable confident after the average-or-bound check.
    README, "Evaluation"."""
    o = probe_outcome(kestria, "probe10_by_others.jsonl")
    assert o.hit_at_1 >= 0.66 and o.confident_wrong <= 5 and o.confident_unanswerable <= 1
    assert o.off_topic == 15 and o.off_topic_refused >= 13
    # The page header and footer are not the document's text.
    doc = next(iter(kestria.index.documents.values()))
    assert "OFFICIAL" not in doc.text and "Kestria NRM Guidelines - 2024" not in doc.text


@pytest.fixture(scope="module")
def seven_documents(tmp_path_factory):
    """The seed page and the six documents of the seventh to tenth probes in one collection:
    four made-up countries' action plan, NGO report, guidance, protocol, evaluation and
    referral guidelines, as text, Markdown, HTML, PDF and Word."""
    import shutil

    from assistant import Assistant, build_index

    folder = tmp_path_factory.mktemp("seven")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name in ("estavia", "norvania", "valmora", "kestria"):
        for p in (DATA / name).iterdir():
            shutil.copy(p, corpus / p.name)
    shutil.copy(Path(__file__).parent.parent / "corpus" / "slovenia.txt", corpus)
    build_index(corpus, folder / "index")
    return Assistant.load(folder / "index")


def test_a_fourteenth_blind_probe_on_seven_documents_together(seven_documents):
    """110 questions on the seven documents together by a helper that saw only their text
    (2026-12-07, fifth session): 75 answerable, 23 of them naming their document ("the child
    protocol: ...", "under the action plan ...") and most naming a country, 18 follow-ups,
    some changing document; 20 near-topic; 15 off-topic. Measured blind: hit@1 36.0% (27),
    the right document at the top 60 times, 8 answered confidently and wrongly, 3 near-topic
    confidently, 13 of 15 off-topic refused; 44.0% (33) and 7 wrong after the place a
    document is about counted as held by each of its sentences, 2 near-topic confidently after
    the sum check read two words before the sum's name; 45.3% (34) after two words of a file
    name typed together named it, and "and in Kestria?" turned to it; 42.7% (32) after a file
    name's English words ("guidance", "referral") stopped naming it. README, "Evaluation"."""
    o = probe_outcome(seven_documents, "probe14_by_others.jsonl")
    assert o.hit_at_1 >= 0.42 and o.confident_wrong <= 7 and o.confident_unanswerable <= 2
    assert o.off_topic == 15 and o.off_topic_refused >= 13


def test_a_fifteenth_blind_probe_on_seven_documents_together(seven_documents):
    """90 questions on the same seven documents by another helper that saw only their text
    (2026-12-07, fifth session), written after the rules probe 14 prompted and asked before
    any was made from it: 60 answerable (35 paraphrases, 17 follow-ups, 51 naming a country,
    organisation or document), 18 near-topic, 12 off-topic. Blind: hit@1 60.0% (36), hit@3
    73.3%, 5 confident and wrong, no near-topic question answered confidently, 7 of 12
    off-topic refused and 1 answered confidently (the opening hours of a bank whose account
    the NGO report gives, by the hotline's "24/7"); with the code of the session's start,
    55.0% (33), 68.3%, 5 and 1 near-topic confidently. 9 of 12 off-topic refused after an
    errand's word counted as unused where no sentence holds it with the name asked about.
    README, "Evaluation"."""
    o = probe_outcome(seven_documents, "probe15_by_others.jsonl")
    assert o.hit_at_1 >= 0.58 and o.confident_wrong <= 5 and o.confident_unanswerable <= 1
    assert o.off_topic == 12 and o.off_topic_refused >= 9


@pytest.fixture(scope="module")
def mirelia(tmp_path_factory):
    """A labour inspectorate's annual report in Markdown (with a table) and an NGO's shelter
    guidelines as a web page, written by the twenty-second probe's helper (2026-12-07, eighth
    session)."""
    from conftest import assistant_over

    files = {p.name: p.read_text(encoding="utf-8") for p in (DATA / "mirelia").iterdir()}
    return assistant_over(tmp_path_factory.mktemp("mirelia"), files)


def test_a_twenty_second_blind_probe_on_a_report_and_a_web_page(mirelia):
    """90 questions by the helper that wrote the two documents and saw no code: 65 answerable
    (10 paraphrases, 7 yes/no, 5 where-published, 6 neighbour, 5 after-period, 6 terse, 4 on
    the table, 22 follow-ups), 15 near-topic, 10 off-topic. Blind: hit@1 66.2% (43), hit@3
    76.9%, 4 refused, 5 confident and wrong, one near-topic confidently ("How many beds does
    the shelter in Kelmar have?", by a quote opening "It has eight beds", the shelter it
    names left out), all 10 off-topic refused. After the changes it prompted (that quote names
    its shelter; the sentence saying what comes after a period put first): 69.2% (45), 4
    confident and wrong. README, "Evaluation"."""
    o = probe_outcome(mirelia, "probe22_by_others.jsonl")
    assert o.hit_at_1 >= 0.67 and o.confident_wrong <= 4 and o.confident_unanswerable <= 1
    assert o.off_topic == 10 and o.off_topic_refused >= 10


@pytest.fixture(scope="module")
def tavoria(tmp_path_factory):
    """A national rapporteur's statistical report (plain text, numbered sections, figures by
    year) and a ministry's FAQ for employers and workers in Markdown, written by the
    twenty-third probe's helper (2026-12-07, eighth session)."""
    from conftest import assistant_over

    files = {p.name: p.read_text(encoding="utf-8") for p in (DATA / "tavoria").iterdir()}
    return assistant_over(tmp_path_factory.mktemp("tavoria"), files)


def test_a_twenty_third_blind_probe_on_a_statistical_report_and_an_faq(tavoria):
    """90 questions by the helper that wrote the two documents and saw no code nor earlier
    probe: 65 answerable (10 paraphrases, 5 yes/no, 3 where-published, 5 neighbour, 4
    after-period, 6 terse, 6 figures, 4 FAQ headings paraphrased, 22 follow-ups), 15
    near-topic, 10 off-topic. Blind (with this session's earlier changes): hit@1 67.7% (44),
    hit@3 81.5%, 1 refused, 6 confident and wrong, one near-topic confidently ("How many
    labour exploitation victims worked in fishing in 2024?"), all 10 off-topic refused;
    69.2% and 5 after the change it prompted (a pronoun after a short opening leans on the
    sentence before: "In 2024 they numbered 139"). README, "Evaluation"."""
    o = probe_outcome(tavoria, "probe23_by_others.jsonl")
    assert o.hit_at_1 >= 0.67 and o.confident_wrong <= 5 and o.confident_unanswerable <= 1
    assert o.off_topic == 10 and o.off_topic_refused >= 10


def test_a_follow_up_on_a_group_takes_the_sentence_going_on_about_it(tavoria):
    # "In 2024 they numbered 139, ..." goes on about "Tavorian nationals" of the sentence
    # before: it joins the quote (it had been left out, the quote answering nothing new).
    r = tavoria.answer("And Tavorians?",
                       ["Which nationality was most common among foreign victims in 2024?"])
    assert "In 2024 they numbered 139" in r.quotes[0].text


def test_a_quote_grown_onto_a_sentence_leaning_back_takes_the_one_before(mirelia):
    # "It has eight beds ... The shelter in Kelmar is ..." had read as Kelmar's eight beds.
    r = mirelia.answer("How many beds does the shelter in Kelmar have?")
    assert r.quotes[0].text.startswith("Since 2022 the shelter in Port Seldar")


def test_the_sentence_saying_what_comes_after_is_put_before_the_one_naming_it(mirelia):
    # "The first 30 days of accommodation are considered an assessment period." had been the
    # confident answer; the sentence after it says what follows.
    r = mirelia.answer("What happens after the 30-day assessment period?")
    assert "may stay in the shelter for up to six months" in r.quotes[0].text
    # and past a limit of time, the sentence saying it is extended before the one stating it
    r = mirelia.answer("Can someone stay longer than the six months?")
    assert "can be extended by a further six months" in r.quotes[0].text


def test_a_count_is_no_phone_number(mirelia):
    # "In 2024 the hotline received 1,126 calls, of which 304 ..." had been the confident
    # answer: 304 read as a number to call.
    r = mirelia.answer("What's the hotline number of the labour inspectorate?")
    assert "0800 4455" in r.quotes[0].text
    r = mirelia.answer("what number can workers call?")
    assert "0800 4455" in r.quotes[0].text


def test_a_numbered_step_is_quoted_with_its_number(kestria):
    # The splitter makes "3." a sentence of its own, and the quote had begun after it: the
    # reader could not cite the step.
    r = kestria.answer("what number do I ring if someone is in danger right now")
    assert r.quotes[0].text.startswith("1. Make sure the person is safe."), r.quotes[0].text


def test_an_average_asked_of_a_document_giving_a_bound_is_doubted(kestria):
    # "A stay in a shelter normally lasts up to six months." had answered it confidently.
    r = kestria.answer("What is the average length of stay in a shelter?")
    assert r.tentative and any("asks for an average and the quote gives only a maximum" in c
                               for c in r.caveats), r.caveats


def test_who_does_it_after_a_question_gets_the_sentence_naming_who(norvania):
    # The follow-up's own words ("carries ... out") had put the sentence saying when the
    # assessment is carried out back in front of the one saying by whom, confidently.
    r = norvania.answer("who carries it out?", ["when do they do an age assessment?"])
    assert "conducted by a social worker and a psychologist" in r.quotes[0].text


def test_a_question_asking_for_a_contact_detail_gets_the_line_giving_it(norvania):
    # The contact box's lines score low on meaning: a sentence naming the unit had come first.
    r = norvania.answer("what is the postal address of the special unit?")
    assert "17 Harbour Street, Velmora" in r.quotes[0].text
    # Asked where the office is and not found among the candidates: said, not confident.
    r = norvania.answer("where is the inspectorate's office located")
    assert r.tentative and any("postal address" in c for c in r.caveats)


def test_a_number_given_as_another_bodys_is_not_the_one_asked_for(norvania):
    # "call the police emergency number 112 without waiting for the Special Unit" names the
    # unit and gives a number, the police's; it had been the confident answer. The contact
    # box's line under the unit's name comes first instead.
    for q in ("What is the phone number of the Special Unit?", "special unit phone number"):
        r = norvania.answer(q)
        assert "+387 21 440 900" in r.quotes[0].text, q


def test_a_number_given_as_another_bodys_is_said_to_be_theirs(tmp_path):
    # Without the unit's own number in the documents, the police's is shown, tentatively and
    # saying whose it is.
    from conftest import assistant_over

    a = assistant_over(tmp_path, {"guidance.txt": (
        "Labour inspection guidance\n\nThe Special Unit on Labour Exploitation coordinates all "
        "cases in which trafficking is suspected.\n\nWhere a worker is in immediate danger, "
        "inspectors must call the police emergency number 112 without waiting for the Special "
        "Unit.\n\nA follow-up inspection is carried out within three months.\n")})
    r = a.answer("What is the phone number of the Special Unit?")
    assert r.quotes and "112" in r.quotes[0].text
    assert r.tentative and any("“police emergency number”" in c for c in r.caveats)


def test_a_one_word_question_pointing_back_keeps_the_conversation(estavia):
    # Read alone, "paid" found a grant "paid only in June 2023" with more confidence, and it
    # was quoted confidently.
    r = estavia.answer("what were they paid?", ["tell me about the greenhouse case"])
    assert r.quotes and "they were paid EUR 2.10 per hour" in r.quotes[0].text


def test_how_many_of_them_were_foreigners_is_not_answered_by_a_loose_figure(estavia):
    # The documents do not say how many convicted traffickers were foreigners: a quote saying
    # most victims were foreign nationals, grown to a count of suspects, was confident.
    r = estavia.answer("how many of them were foreigners?",
                       ["how many traffickers were convicted in 2023?"])
    assert r.abstained or r.tentative


@pytest.mark.parametrize("question", ["What is the capital of Australia?", "How do I bake bread?"])
def test_out_of_corpus_questions_abstain(assistant, question):
    reply = assistant.answer(question)
    assert reply.abstained and reply.quotes == ()
    assert "do not cover" in reply.markdown


def test_answer_shape(assistant):
    reply = assistant.answer("What is the reflection period for identified foreign victims?")
    assert not reply.abstained and 1 <= len(reply.quotes) <= 3
    check_verbatim(assistant, reply)
    top = reply.quotes[0]
    assert "90 day reflection period" in top.text
    assert top.doc_id == "slovenia.txt"
    assert top.title == "Together Against Trafficking in Human Beings"
    assert top.section == "Residence permit"
    assert [q.score for q in reply.quotes] == sorted((q.score for q in reply.quotes), reverse=True)
    for q in reply.quotes:
        assert 1 <= sentence_count(q.text) <= 3
        passage = assistant.document(q.doc_id).text
        assert len(q.text) < len(passage)
    assert "> Identified foreign victims" in reply.markdown
    assert "[1] Together Against Trafficking in Human Beings, Residence permit" in reply.markdown


def test_quotes_never_include_page_metadata(assistant):
    for q in ["Which country is this about?", "Section Member States", "TOC Heading",
              "Country Slovenia"]:
        for quote in assistant.answer(q).quotes:
            for meta in ("Section Member States", "Country Slovenia", "TOC Heading"):
                assert meta not in quote.text


def test_follow_up_uses_history(assistant):
    reply = assistant.answer("Who pays for it?", history=["What help is available for victims?"])
    assert not reply.abstained
    assert "EUR 90,000" in reply.quotes[0].text


def test_self_contained_question_ignores_history(assistant):
    reply = assistant.answer("How many prosecutors work in the Specialised Service?",
                             history=["What is the reflection period for foreign victims?"])
    assert "11 prosecutors" in reply.quotes[0].text


def test_names_and_numbers_are_found(assistant):
    for question, expected in [("JIT THB WB", "JIT THB WB"), ("Article 187", "Article 187"),
                               ("EUR 90,000", "EUR 90,000")]:
        hits = assistant.retrieve(question, k=3)
        assert expected in hits[0].text, question


def test_retrieve_returns_ranked_hits(assistant):
    hits = assistant.retrieve("Who investigates trafficking?", k=4)
    assert 1 <= len(hits) <= 4
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for h in hits:
        assert assistant.document(h.doc_id).text[h.start:h.end] == h.text
        assert h.title and isinstance(h.section, str)


@pytest.mark.parametrize("mode", ["semantic", "keyword", "hybrid"])
def test_search_modes(assistant, mode):
    hits = assistant.retrieve("reflection period", k=2, mode=mode)
    assert "reflection period" in hits[0].text


def test_a_keyword_search_still_weighs_the_passages_meaning(assistant):
    # The keyword mode picks passages by their words alone, but the answer's confidence reads
    # their dense score too: it had been 0 there, and every keyword answer looked doubtful.
    ev = assistant.evidence("Who investigates trafficking?", mode="keyword")
    assert ev.scored and all(s.dense > 0 for s in ev.scored)
    assert all(s.keyword >= 0 for s in assistant.evidence("Who investigates trafficking?",
                                                          mode="semantic").scored)


@pytest.mark.parametrize("question", ["How long is the reflection period?",
                                      "Who investigates trafficking?"])
def test_the_same_quote_is_as_sure_in_every_search_mode(assistant, question):
    # The answer model reads the passage's fused score as hybrid search gives it: a keyword
    # score in its place had made keyword answers tentative (0.17), a cosine alone made
    # semantic ones surer than hybrid (an off-topic question confident on the fitting part).
    replies = {m: assistant.answer(question, mode=m) for m in ("hybrid", "semantic", "keyword")}
    top = {m: r.quotes[0].text for m, r in replies.items() if r.quotes}
    assert len(top) == 3 and len(set(top.values())) == 1  # each mode finds the same sentence
    assert len({round(r.confidence, 6) for r in replies.values()}) == 1
    assert not replies["keyword"].tentative


def test_bad_mode_is_a_clear_error(assistant):
    with pytest.raises(ValueError, match="unknown search mode"):
        assistant.retrieve("x", mode="fuzzy")


@pytest.mark.parametrize("call, error, message", [
    (lambda a: a.retrieve("Who investigates?", k=0), ValueError, "k must be at least 1"),
    (lambda a: a.retrieve("Who investigates?", k=True), TypeError, "k must be a whole number"),
    (lambda a: a.retrieve("Who investigates?", k=2.5), TypeError, "k must be a whole number"),
    (lambda a: a.answer("Who investigates?", max_quotes=-1), ValueError, "max_quotes must be"),
    (lambda a: a.answer("Who investigates?", passages=0), ValueError, "passages must be at"),
    (lambda a: a.evidence("Who investigates?", passages="5"), TypeError, "passages must be"),
])
def test_counts_are_checked(assistant, call, error, message):
    # k=0 had returned nothing, passages=0 an abstention, k=True one hit: no word of why.
    with pytest.raises(error, match=message):
        call(assistant)


def test_a_folder_given_for_a_loaded_index_is_a_clear_error(tmp_path):
    from assistant import Assistant

    with pytest.raises(TypeError, match=r"use Assistant\.load"):
        Assistant(str(tmp_path))


@pytest.mark.parametrize("question", ["", "   ", "?!?", "\x00\x01", "😀😀", "ما هو",
                                      "a" * 100_000])
def test_odd_questions_do_not_crash(assistant, question):
    reply = assistant.answer(question)
    check_verbatim(assistant, reply)
    if not question.strip():
        assert reply.abstained


def test_markdown_escapes_document_text():
    from assistant.render import answer_markdown
    from assistant.types import Quote

    q = Quote("<script>alert(1)</script> [x](http://e.vil) **b** www.x.org $$a$$", "d",
              "T <b>", "S", 0, 10, 1.0)
    md = answer_markdown([q])
    assert "<script>" not in md and "<b>" not in md
    assert "](http" not in md and "**b**" not in md
    assert "http:" not in md and "www." not in md and "$$" not in md


def test_module_level_functions_build_when_missing(seed_corpus, tmp_path, monkeypatch):
    import shutil

    import assistant as pkg

    shutil.copytree(seed_corpus, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    hits = pkg.retrieve("reflection period", k=2)
    assert (tmp_path / "index" / "manifest.json").exists()
    assert "reflection period" in hits[0].text
    assert "90 day" in pkg.answer("How long is the reflection period?").quotes[0].text
    # A changed corpus makes the index stale: the next call rebuilds it.
    (tmp_path / "corpus" / "extra.txt").write_text(
        "Extra\n\nThe hotline number for victims is 080 1234.\n", encoding="utf-8")
    assert "080 1234" in pkg.answer("What is the hotline number for victims?").quotes[0].text


def test_an_unknown_document_id_is_a_key_error_that_reads_plainly(assistant):
    with pytest.raises(KeyError) as e:
        assistant.document("nope.txt")
    assert str(e.value) == "no document 'nope.txt' in the index"


def test_answering_leaves_no_telemetry_behind(seed_index, tmp_path):
    # A probe found ONNX Runtime's event queue (with a device id) written under the user's
    # home on every answer.
    from conftest import run_python

    out = run_python(f"""
import os
os.environ.setdefault("VERBATIM_CACHE", os.path.expanduser("~/.cache/verbatim"))
os.environ["HOME"] = {str(tmp_path)!r}
from assistant import Assistant
Assistant.load({str(seed_index)!r}).answer("Who investigates trafficking?")
print(sorted(os.listdir(os.path.join({str(tmp_path)!r}, ".cache")))
      if os.path.isdir(os.path.join({str(tmp_path)!r}, ".cache")) else [])
""")
    assert "Microsoft" not in out


def test_a_message_saying_who_asks_is_answered_by_its_question_when_that_is_surer(assistant):
    # The introduction says who asks: the question alone is read too, and answered when it is
    # the more confident reading; the answer keeps the whole message as its question.
    question = "Who investigates trafficking offences?"
    message = "I'm a journalist writing about the project with Bulgaria. " + question
    whole, alone = assistant.answer(message), assistant.answer(question)
    assert whole.question == message
    assert [q.text for q in whole.quotes] == [q.text for q in alone.quotes]
    assert whole.confidence == alone.confidence and not whole.tentative
    assert assistant.evidence(message).query.asked == question


def test_a_question_pointing_back_to_its_introduction_is_read_with_it(assistant):
    # "she" is the victim of the introduction: alone, "Can she stay in Slovenia?" had found
    # the sentence on staying to work or study, more confidently.
    a = assistant.answer("I'm helping a victim who testifies against her traffickers. Can she "
                         "stay in Slovenia?")
    assert a.quotes and "temporary residence permit" in a.quotes[0].text


@pytest.mark.parametrize("question, quoted", [
    ("I'm a prosecutor. Who investigates trafficking cases?", "anti-organised crime units"),
    ("I'm a police officer in Slovenia. What's the time?", None),
    ("I'm a student from Slovenia. Who won the 2018 World Cup?", None),
    # as typed: a greeting, no apostrophe, no question mark, thanks after
    ("Hi, I'm a prosecutor. Who investigates trafficking cases? Thanks", "anti-organised crime"),
    ("Im a police officer in Slovenia. What time is it", None)])
def test_who_asks_does_not_pull_the_answer(assistant, question, quoted):
    # An attack probe's: read whole, the role's words had quoted the prosecutors' office
    # confidently, and made off-topic questions look covered.
    r = assistant.answer(question)
    if quoted is None:
        assert r.abstained
    else:
        assert r.quotes and quoted in r.quotes[0].text


@pytest.fixture(scope="module")
def corvalia(tmp_path_factory):
    """An appellate court's judgment summary in plain text (numbered paragraphs) and an NGO
    helpline's annual report as a web page (a list, a table, plans for the next year),
    written by the twenty-fourth probe's helper (2026-12-07, ninth session)."""
    from conftest import assistant_over

    files = {p.name: p.read_text(encoding="utf-8") for p in (DATA / "corvalia").iterdir()}
    return assistant_over(tmp_path_factory.mktemp("corvalia"), files)


def test_a_twenty_fourth_blind_probe_on_a_judgment_and_a_helpline_report(corvalia):
    """90 questions by the helper that wrote the two documents and saw no code nor earlier
    probe: 65 answerable (12 paraphrases, 20 follow-ups, 6 yes/no, 6 terse, 6 figures, 5
    neighbour, 4 after-period, 3 where-published, 3 on the table), 15 near-topic, 10
    off-topic. Blind: hit@1 50.8% (33), hit@3 60.0%, 9 refused, 4 confident and wrong, 3
    near-topic confidently, all 10 off-topic refused; 55.4% (36), 3 and 2 after the changes
    it prompted (a question about what is is not answered by a sentence about plans; months
    named; a name's words of the subject do not hide the rest). README, "Evaluation"."""
    o = probe_outcome(corvalia, "probe24_by_others.jsonl")
    assert o.hit_at_1 >= 0.55 and o.confident_wrong <= 3 and o.confident_unanswerable <= 2
    assert o.off_topic == 10 and o.off_topic_refused >= 10


def test_a_question_about_what_is_is_not_answered_by_plans(corvalia):
    # The report's plans ("We will also add Arabic and Tagalog to the languages offered ...")
    # had been quoted confidently; the list of languages offered now comes first.
    r = corvalia.answer("which languages does the helpline offer?")
    assert "Counsellors offer support directly in the following languages" in r.quotes[0].text
    r = corvalia.answer("What languages will the helpline add?")
    assert "We will also add Arabic and Tagalog" in r.quotes[0].text
    # A promise and a name given with "we will" are no plans (an attack probe's: "a woman we
    # will call Anika, 34" had lost its place to a sentence without her age).
    r = corvalia.answer("How old was Anika?")
    assert "Anika, 34" in r.quotes[0].text


def test_a_place_question_is_not_asked_of_a_month(corvalia):
    # "in December" had been read as a place the quote does not name (an attack probe's).
    r = corvalia.answer("Is the helpline open on Sundays in December?")
    assert not any("place" in c for c in r.caveats)


def test_a_question_naming_months_takes_the_row_naming_them(corvalia):
    # "The quietest month was January, with 398 contacts." had come first; the table's third
    # quarter, "Q3 (July to September) | 1,897 contacts", answers.
    r = corvalia.answer("How many contacts came in between July and September?")
    assert "Q3 (July to September)" in r.quotes[0].text


def test_a_court_the_quote_does_not_name_is_said(corvalia):
    # The judgment is the appeal court's; it names the Supreme Court once, as where a further
    # appeal may go. The case's heading had answered confidently.
    r = corvalia.answer("What did the Supreme Court decide in the Maszek case?")
    assert r.tentative
    assert any("Supreme Court" in c for c in r.caveats)


def test_a_question_about_the_second_of_several_gets_the_second(corvalia):
    # A blind probe's: "4. ... the first defendant, Dorin Maszek ..." had come first for the
    # second defendant, and for the follow-up asking about her.
    r = corvalia.answer("Who is the second defendant in the greenhouse case?")
    assert "The second defendant, Elvira Tansky" in r.quotes[0].text
    r = corvalia.answer("What was her role exactly?",
                        ["Who is the second defendant in the greenhouse case?"])
    assert "The second defendant, Elvira Tansky" in r.quotes[0].text


@pytest.fixture(scope="module")
def lumeria(tmp_path_factory):
    """A labour inspectorate's guidance in Markdown (a list of indicators, a numbered
    procedure, contacts, a table), a monitoring body's evaluation report in plain text
    (numbered paragraphs, figures by year, plans) and an NGO's FAQ as a web page, written by
    the twenty-sixth probe's helper (2026-12-08, first session)."""
    from conftest import assistant_over

    files = {p.name: p.read_text(encoding="utf-8") for p in (DATA / "lumeria").iterdir()}
    return assistant_over(tmp_path_factory.mktemp("lumeria"), files)


def test_a_twenty_sixth_blind_probe_on_guidance_a_report_and_an_faq(lumeria):
    """90 questions by the helper that wrote the three documents and saw no code: 65
    answerable (23 paraphrases, 12 follow-ups, 6 yes/no, 5 where-published, 5 neighbour, 4
    beyond, 10 direct), 15 near-topic, 10 off-topic. Blind: hit@1 73.8% (48), hit@3 81.5%, 3
    refused, 1 confident and wrong, 3 near-topic confidently, 8 of 10 off-topic refused;
    78.5% (51), 2 and 9 after the changes it prompted (opening hours; a question standing
    apart stays put; which article; "when ... ends"; "call the police on 112"; errands framed
    by "recommend"). README, "Evaluation"."""
    o = probe_outcome(lumeria, "probe26_by_others.jsonl")
    assert o.hit_at_1 >= 0.78 and o.confident_wrong <= 1 and o.confident_unanswerable <= 2
    assert o.off_topic == 10 and o.off_topic_refused >= 9


def test_opening_hours_are_answered_by_the_hours(lumeria):
    # The course run "together with the Lanterna Support Centre" had come first: it names
    # Lanterna, and no time of day.
    r = lumeria.answer("what are lanterna's opening hours on weekdays?")
    assert "open Monday to Friday from 9:00 to 17:00" in r.quotes[0].text


def test_a_question_standing_apart_is_not_read_with_the_conversation(lumeria):
    # After a question on convictions, its reading with the conversation was surer (the
    # convictions' paragraph holds "opened") and had been taken.
    question = "what are lanterna's opening hours on weekdays?"
    alone = lumeria.answer(question)
    after = lumeria.answer(question, ["how many convictions for trafficking were there in 2024?"])
    assert after.quotes[0].text == alone.quotes[0].text
    # A follow-up leaning on the conversation by a word ("that") is still read with it.
    r = lumeria.answer("How long does that last?", ["how long is the reflection period in lumeria?"])
    assert "60 days" in r.quotes[0].text


def test_a_question_asking_which_article_is_not_answered_by_a_quote_citing_none(lumeria):
    # The report names the act, never an article of it; the quote had been confident.
    r = lumeria.answer("which article of the trafficking act defines exploitation?")
    assert r.tentative or r.abstained
    if r.quotes:
        assert any("article or section" in c for c in r.caveats)


def test_an_errand_framed_by_recommend_is_refused(lumeria):
    # "recommend" is a word of the report ("recommendations"); the Varo Valley is named in
    # the guidance: the hiking trail had been shown the guidance's purpose, tentatively.
    assert lumeria.answer("recommend a good hiking trail in the varo valley").abstained
    r = lumeria.answer("What do the evaluators recommend on compensation?")
    assert not r.abstained and "compensation" in r.quotes[0].text


def test_what_happens_when_a_period_ends_is_what_follows_it(lumeria):
    # The paragraph naming the 60 days had come first; the next one opens "When the
    # reflection period ends, ...".
    r = lumeria.answer("what happens after the 60-day reflection period ends?")
    assert "temporary residence permit valid for one year" in r.quotes[0].text


def test_a_follow_up_asking_the_number_gets_the_one_to_call(lumeria):
    # "call the police on 112 straight away" had not read as a number to call ("straight"
    # after it), and the list of contacts had been put first.
    r = lumeria.answer("and what number do they call?",
                       ["what should an inspector do after spotting signs of forced labour?",
                        "what if the worker is in danger right now?"])
    assert "call the police on 112" in r.quotes[0].text


@pytest.fixture(scope="module")
def haven(tmp_path_factory):
    """An NGO's leaflet with its office hours, a drop-in centre's page, a trafficking act with
    Roman-numbered articles, a statute with bare-numbered sections and an annual report's
    figures: written by the attack probe on the twenty-sixth probe's rules (2026-12-08)."""
    from conftest import assistant_over

    files = {p.name: p.read_text(encoding="utf-8") for p in (DATA / "haven").iterdir()}
    return assistant_over(tmp_path_factory.mktemp("haven"), files)


def test_the_new_rules_leave_right_answers_alone(haven):
    # Each of these had been made wrong or doubted by a first form of the rules (an attack
    # probe's): hours "9 to 5" read as no time of day; a follow-up naming nothing new read
    # alone, answered from the other organisation; "Article XXII" read as no article; "how
    # many of the victims were children" counting victims.
    r = haven.answer("What are the opening hours of the counselling office?")
    assert "open Monday to Friday, 9 to 5" in r.quotes[0].text
    r = haven.answer("Is legal advice free of charge?", ["What does Haven Kestria offer victims?"])
    assert "Our services are free of charge" in r.quotes[0].text
    r = haven.answer("Which article prohibits recruitment fees?")
    assert "Article XXII" in r.quotes[0].text
    assert not any("article or section" in c for c in r.caveats)
    r = haven.answer("How many of the victims were children?")
    assert "38 were children" in r.quotes[0].text
