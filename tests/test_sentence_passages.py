"""Quotes are also taken from the passages holding the sentences closest to the question
(``search(sentence_passages=...)``, ``QuoteRules.sentence_passages``)."""
from __future__ import annotations

import numpy as np
import pytest

from assistant.search import passages_of_best_sentences, search
from assistant.settings import QuoteRules

QUESTION = "Which professions were trained to recognise victims?"


def _brute_force(index, qvec, rows, n, ranked=0):
    """The same by hand: every sentence of the candidates' documents, best first, mapped to
    the first of the ``ranked`` rows holding it, else the first candidate passage (in text
    order) holding it."""
    docs = list(index.documents.values())
    cands = sorted(((k >= ranked, index.passages[r].start, r) for k, r in enumerate(rows)))
    cands = [(start, r) for _, start, r in cands]
    scored = sorted(((float(index.sentence_vectors[i] @ qvec), i)
                     for i in range(len(index.sentence_spans))
                     if index.sentence_spans[i][0] in {int(index.doc_pos[r]) for r in rows}),
                    reverse=True)
    out = []
    for _, i in scored:
        d, a, b = (int(x) for x in index.sentence_spans[i])
        row = next((r for _, r in cands if index.doc_pos[r] == d
                    and index.passages[r].start <= a and b <= index.passages[r].end), None)
        if row is not None and row not in out:
            out.append(row)
        if len(out) == n:
            break
    assert docs  # the index has documents
    return out


def test_the_passages_of_the_closest_sentences_follow_the_best_passages(assistant):
    index = assistant.index
    assert index.has_sentence_vectors
    qvec = assistant.embedder.encode([QUESTION])[0]
    plain = search(index, qvec, QUESTION, k=2)
    more = search(index, qvec, QUESTION, k=2, sentence_passages=5)
    assert more[:2] == plain  # the best passages first, as they were
    rows = [s.row for s in more]
    assert len(rows) == len(set(rows)) and 2 < len(rows) <= 2 + 5
    every = search(index, qvec, QUESTION, k=len(index.passages))
    ordered = [s.row for s in every]
    assert ordered[:2] == rows[:2]
    best = passages_of_best_sentences(index, qvec, np.array(ordered), 5, ranked=2)
    assert best == _brute_force(index, qvec, ordered, 5, ranked=2)
    assert rows[2:] == [r for r in best if r not in rows[:2]]
    # A sentence one of the best passages holds brings in no other passage that holds it too
    # (passages overlap by a sentence).
    for r in rows[2:]:
        p = index.passages[r]
        held = [sp for sp in p.sentences
                if any(sp in index.passages[t].sentences for t in rows[:2])]
        assert len(held) < len(p.sentences)
    # Without preference, the first passage in text order holding a sentence stands for it.
    assert passages_of_best_sentences(index, qvec, np.array(ordered), 5) == \
        _brute_force(index, qvec, ordered, 5)
    # Each appended passage keeps its own search evidence (fused, dense and keyword scores).
    by_row = {s.row: s for s in every}
    assert all(s == by_row[s.row] for s in more)


def test_no_extra_passages_in_keyword_mode_when_off_or_filtered_out(assistant):
    index = assistant.index
    qvec = assistant.embedder.encode([QUESTION])[0]
    assert search(index, qvec, QUESTION, k=2, sentence_passages=0) == \
        search(index, qvec, QUESTION, k=2)
    assert len(search(index, qvec, QUESTION, k=2, mode="keyword", sentence_passages=5)) <= 2
    assert search(index, qvec, QUESTION, k=0, sentence_passages=5) == []
    # A filter that leaves nothing leaves no extra passage either.
    assert search(index, qvec, QUESTION, k=2, sentence_passages=5,
                  where={"doc_id": "no-such-document"}) == []


def test_answers_quote_from_them_and_the_setting_is_checked(assistant):
    from assistant import AnswerSettings

    question = "Who coordinates the fight against trafficking?"
    rows = [s.row for s in assistant.evidence(question).scored]
    off = assistant.with_settings(AnswerSettings(quotes=QuoteRules(sentence_passages=0)))
    assert len(off.evidence(question).scored) == 5
    wide = assistant.with_settings(AnswerSettings(quotes=QuoteRules(sentence_margin=None)))
    wide_rows = [s.row for s in wide.evidence(question).scored]
    assert len(wide_rows) > 5  # this question's closest sentences lie in other passages too
    # The margin keeps the passages of the sentences nearly as close as the best passages'.
    assert 5 <= len(rows) <= len(wide_rows) and rows == wide_rows[:len(rows)]
    with pytest.raises(ValueError, match="sentence_passages"):
        QuoteRules(sentence_passages=-1)
    with pytest.raises(ValueError, match="sentence_passages"):
        QuoteRules(sentence_passages=2.5)
    with pytest.raises(ValueError, match="sentence_margin"):
        QuoteRules(sentence_margin=-0.1)


def test_the_margin_keeps_sentences_near_the_best_passages_best(assistant):
    index = assistant.index
    qvec = assistant.embedder.encode([QUESTION])[0]
    ordered = np.array([s.row for s in search(index, qvec, QUESTION, k=len(index.passages))])
    wide = passages_of_best_sentences(index, qvec, ordered, 8, ranked=2)
    narrow = passages_of_best_sentences(index, qvec, ordered, 8, ranked=2, margin=0.0)
    assert narrow == wide[:len(narrow)]
    docs = list(index.documents.values())

    def best_of(row):
        p = index.passages[row]
        d = int(index.doc_pos[row])
        return max(float(index.sentence_vectors[i] @ qvec)
                   for i in range(len(index.sentence_spans))
                   if int(index.sentence_spans[i][0]) == d
                   and p.start <= index.sentence_spans[i][1] < index.sentence_spans[i][2] <= p.end)
    floor = max(best_of(r) for r in ordered[:2])
    assert all(best_of(r) >= floor - 1e-6 for r in narrow if r not in ordered[:2])
    assert docs


def test_an_abstention_offers_the_best_passages_as_closest_not_the_added_ones(assistant):
    """The passages added for their sentences follow the best ones in the evidence; the
    closest passages an abstention offers are the best ones only."""
    question = "How tall is Mount Everest?"
    assert len(assistant.evidence(question, passages=1).scored) > 1  # passages were added
    for passages in (1, 2, 5):
        reply = assistant.answer(question, passages=passages)
        assert reply.abstained
        best = assistant.retrieve(question, k=min(passages, 2))
        assert [(h.doc_id, h.start) for h in reply.closest] == \
            [(h.doc_id, h.start) for h in best]
