"""Quotes are also taken from the passages holding the sentences closest to the question
(``search(sentence_passages=...)``, ``QuoteRules.sentence_passages``)."""
from __future__ import annotations

import numpy as np
import pytest

from assistant.search import passages_of_best_sentences, search
from assistant.settings import QuoteRules

QUESTION = "Which professions were trained to recognise victims?"


def _brute_force(index, qvec, rows, n):
    """The same by hand: every sentence of the candidates' documents, best first, mapped to
    the first candidate passage (in text order) holding it."""
    docs = list(index.documents.values())
    cands = sorted(((index.passages[r].start, r) for r in rows), key=lambda t: t[0])
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
    best = passages_of_best_sentences(index, qvec, np.array([s.row for s in every]), 5)
    assert best == _brute_force(index, qvec, [s.row for s in every], 5)
    assert rows[2:] == [r for r in best if r not in rows[:2]]
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
    ev = assistant.evidence(question)
    off = assistant.with_settings(AnswerSettings(quotes=QuoteRules(sentence_passages=0)))
    assert len(off.evidence(question).scored) == 5
    assert len(ev.scored) > 5  # this question's closest sentences lie in other passages too
    with pytest.raises(ValueError, match="sentence_passages"):
        QuoteRules(sentence_passages=-1)
    with pytest.raises(ValueError, match="sentence_passages"):
        QuoteRules(sentence_passages=2.5)
