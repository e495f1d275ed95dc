"""A quote grows by the neighbouring sentence that holds what the question asks and the quote
does not (``quoting._grow_to_cover``): a project named in one sentence, who approved it in the
next."""
from __future__ import annotations

import numpy as np
import pytest

from assistant import quoting
from assistant.settings import QuoteRules

# Three sentences of one paragraph, then a fourth after a paragraph break.
TEXT = "Aaa bbb ccc. Ddd eee fff. Ggg hhh iii.\n\nJjj kkk lll."
SPANS = [(0, 12), (13, 25), (26, 38), (40, 52)]


def _seq(pieces: list[list[float]]) -> list[quoting.Evidence]:
    return [quoting.Evidence(a, b, 0, 0.5, float(sum(p)), 0.5, 0.5, 1.0,
                             pieces=np.asarray(p, dtype=np.float32))
            for (a, b), p in zip(SPANS, pieces)]


@pytest.mark.parametrize("pieces, i, expected", [
    # The second sentence holds the question's second word, which the first lacks: it joins.
    ([[0.5, 0.1], [0.1, 0.4], [0.1, 0.1], [0.5, 0.5]], 0, (0, 1)),
    # A neighbour that adds less than the gain (0.02 of the question) stays out.
    ([[0.5, 0.1], [0.1, 0.11], [0.1, 0.1], [0.5, 0.5]], 0, (0, 0)),
    # Growth looks both ways: the sentence before holds the missing word.
    ([[0.1, 0.4], [0.5, 0.1], [0.1, 0.1], [0.5, 0.5]], 1, (0, 1)),
    # Not across a paragraph break, however much the next paragraph holds.
    ([[0.1, 0.1], [0.1, 0.1], [0.5, 0.1], [0.1, 0.5]], 2, (2, 2)),
    # At most max_sentences (3): the first then the third join, nothing more can.
    ([[0.1, 0.1, 0.5], [0.5, 0.1, 0.1], [0.1, 0.5, 0.1], [0.5, 0.5, 0.5]], 1, (0, 2)),
])
def test_a_neighbour_joins_when_it_holds_what_the_quote_lacks(pieces, i, expected):
    assert quoting._grow_to_cover(TEXT, _seq(pieces), i, i, QuoteRules()) == expected


def test_growth_can_be_turned_off_and_is_bounded_in_characters():
    seq = _seq([[0.5, 0.1], [0.1, 0.4], [0.1, 0.1], [0.5, 0.5]])
    assert quoting._grow_to_cover(TEXT, seq, 0, 0, QuoteRules(cover_gain=0.0)) == (0, 0)
    assert quoting._grow_to_cover(TEXT, seq, 0, 0, QuoteRules(cover_max_chars=20)) == (0, 0)
    assert quoting._grow_to_cover(TEXT, seq, 0, 0, QuoteRules(cover_max_chars=25)) == (0, 1)
    with pytest.raises(ValueError, match="cover_gain"):
        QuoteRules(cover_gain=2.0)
    with pytest.raises(ValueError, match="cover_max_chars"):
        QuoteRules(cover_max_chars=0)


def test_evidence_without_word_pieces_is_left_as_it_is():
    seq = _seq([[0.5, 0.1], [0.1, 0.4], [0.1, 0.1], [0.5, 0.5]])
    seq[1].pieces = None
    assert quoting._grow_to_cover(TEXT, seq, 0, 0, QuoteRules()) == (0, 0)


def test_the_sentence_saying_who_approved_joins_the_one_naming_the_project(tmp_path):
    """End to end, with the model: the project is named in one sentence, who approved it in
    the next, which shares only the verb with the question."""
    from assistant import AnswerSettings
    from conftest import assistant_over

    text = ("In 2012 the ministry and its partners prepared a proposal for the Safe Passage "
            "project on the northern border. The proposal was approved by the European "
            "Commission in March 2013. Training for border guards began in the same year.\n\n"
            "The harbour office opened in 2021 and employs twelve people.")
    a = assistant_over(tmp_path, {"doc.md": f"# Notes\n\n{text}\n"})
    question = "Who approved the Safe Passage project?"
    top = a.answer(question).quotes[0].text
    assert "Safe Passage" in top and "European Commission" in top
    assert "Training" not in top  # the third sentence adds nothing the question asks
    # Without the rule the first sentence stands alone. (Asked "Which body ...?": for "Who
    # approved ...?" a top quote naming nobody now gives way to one naming someone,
    # ``Answerer._agent_first``, which would join them too; and "The proposal ..." names
    # again what the first sentence named, so the sentence following on joins it as well,
    # ``quoting.names_again``, unless that is off too.)
    off = a.with_settings(AnswerSettings(quotes=QuoteRules(cover_gain=0.0,
                                                           follow_on_share=0.0)))
    which = "Which body approved the Safe Passage project?"
    assert "European Commission" in a.answer(which).quotes[0].text
    assert "European Commission" not in off.answer(which).quotes[0].text


def test_a_sentence_introducing_a_missing_link_joins_only_when_asked_where_to_read():
    """"... can be found at the following link:" ends its paragraph; the link is gone. It
    holds the project's name, which the question names too, but says nothing else."""
    text = "Aaa bbb ccc. Ddd eee at the following link:\n\nJjj kkk lll."
    spans = [(0, 12), (13, 43), (45, 57)]
    seq = [quoting.Evidence(a, b, 0, 0.5, 0.5, 0.5, 0.5, 1.0,
                            pieces=np.asarray(p, dtype=np.float32))
           for (a, b), p in zip(spans, [[0.5, 0.1], [0.1, 0.5], [0.5, 0.5]])]
    assert quoting._grow_to_cover(text, seq, 0, 0, QuoteRules()) == (0, 0)
    assert quoting._grow_to_cover(text, seq, 0, 0, QuoteRules(), pointer=True) == (0, 1)


def test_a_grown_quote_does_not_make_a_change_of_subject_a_follow_up(assistant):
    """Whether a quote found with the conversation speaks to what is asked now is measured on
    its scored sentence: each word's best match over a grown quote can only rise, and had
    lifted "Are you a robot?" over the bar on noise."""
    reply = assistant.answer("Are you a robot?",
                             history=["Which article of the Criminal Code covers child "
                                      "pornography?"])
    assert reply.abstained


def test_a_quote_grows_to_cover_what_is_asked_now_not_the_conversation(assistant):
    """The conversation's words are the subject, not what is asked: a neighbour holding only
    them does not join. "Where was the kick-off conference held?" after a question on the
    project had grown back to a sentence naming the project ("As JITs are a tool ...")."""
    question = "Where was the kick-off conference held?"
    alone = assistant.answer(question).quotes[0]
    after = assistant.answer(question, history=["What is the JIT THB WB project?"]).quotes[0]
    assert (after.start, after.end) == (alone.start, alone.end)
    assert "Sofia" in after.text and "As JITs" not in after.text


def test_the_conversations_word_pieces_are_not_asked():
    from assistant.embedding import get_embedder

    e = get_embedder(None, "onnx")
    context, asked = "What is the JIT project?", "Who funds it?"
    text = f"{context} {asked}"
    _, tv = e.encode_query(text)
    q = quoting.query_tokens(tv, text, len(context) + 1)
    starts = tv.offsets[:, 0]
    assert q.asked is not None and len(q.asked) == len(starts)
    assert all(q.asked[k] == (starts[k] >= len(context) + 1) for k in range(len(starts)))
    # A question with no word of its own ("Why?") asks about the conversation's subject:
    # every piece counts.
    text = f"{context} Why?"
    _, tv = e.encode_query(text)
    assert quoting.query_tokens(tv, text, len(context) + 1).asked is None


def test_a_row_of_a_long_table_is_quoted_from_the_tables_header(tmp_path):
    # A table longer than a passage's sentence is cut by its rows: a row alone is figures
    # without their names, so its quote opens at the header.
    from conftest import assistant_over

    rows = [f"| Region {i} | {100 + i} | {40 + i} |" for i in range(30)]
    text = ("# Inspections\n\nThe table gives the inspections and the victims found by region.\n\n"
            "| Region | Inspections | Victims found |\n|---|---|---|\n" + "\n".join(rows[:6])
            + "\n| Harbour district | 812 | 97 |\n" + "\n".join(rows[6:])
            + "\n\nInspections rose in every region.\n")
    a = assistant_over(tmp_path, {"report.md": text})
    r = a.answer("How many inspections were there in the Harbour district?")
    assert r.quotes[0].text.startswith("| Region | Inspections | Victims found |")
    assert "| Harbour district | 812 | 97 |" in r.quotes[0].text


def test_a_row_whose_header_is_in_another_passage_is_quoted_alone(tmp_path):
    # The header of a table of 300 rows is in the first passage only: a later row had been
    # quoted from the first row of its passage, rows of other districts before it.
    from conftest import assistant_over

    rows = "\n".join(f"| District {i} | {7000 + i} | {9000 + i} |" for i in range(300))
    text = "# Inspections\n\n| District | Inspections | Workers |\n|---|---|---|\n" + rows + "\n"
    a = assistant_over(tmp_path, {"report.md": text})
    r = a.answer("District 45 inspections")
    assert r.quotes[0].text.startswith("| District 45 |")
