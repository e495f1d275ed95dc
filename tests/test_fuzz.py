"""Bad and random input: loading, chunking and answering never raise, quotes stay verbatim."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.chunking import ChunkParams, chunk_document
from assistant.loading import CorpusFile, load_file

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _load(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    skipped = []
    docs = list(load_file(CorpusFile(path, name), skipped.append))
    return docs, skipped


@FAST
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".md", ".jsonl", ".html"]))
def test_random_bytes_load_or_skip_with_a_reason(tmp_path, data, suffix):
    docs, skipped = _load(tmp_path, "f" + suffix, data)
    assert docs or skipped  # never silently nothing
    for s in skipped:
        assert s.reason
    for d in docs:
        for sec in d.sections:
            assert 0 <= sec.start <= sec.end <= len(d.text)
        for p in chunk_document(d, ChunkParams()):
            assert d.text[p.start:p.end] == p.text


_records = st.one_of(
    st.dictionaries(st.sampled_from(["_id", "id", "title", "text", "metadata", "x"]),
                    st.one_of(st.none(), st.integers(), st.text(max_size=80), st.booleans(),
                              st.lists(st.integers(), max_size=2),
                              st.dictionaries(st.text(max_size=5), st.text(max_size=5),
                                              max_size=2)), max_size=5),
    st.integers(), st.text(max_size=20))


@FAST
@given(records=st.lists(_records, min_size=1, max_size=8))
def test_jsonl_lines_with_missing_or_wrong_fields(tmp_path, records):
    data = "\n".join(json.dumps(r) for r in records).encode()
    docs, skipped = _load(tmp_path, "r.jsonl", data)
    assert len(docs) + len(skipped) <= len(records)
    for s in skipped:
        assert s.path.startswith("r.jsonl line ") and s.reason


@FAST
@given(question=st.text(max_size=300))
def test_answer_never_raises_and_quotes_are_verbatim(assistant, question):
    reply = assistant.answer(question)
    assert reply.abstained == (not reply.quotes)
    for q in reply.quotes:
        assert assistant.document(q.doc_id).text[q.start:q.end] == q.text
    hits = assistant.retrieve(question, k=3)
    for h in hits:
        assert assistant.document(h.doc_id).text[h.start:h.end] == h.text


def test_large_text_file_is_streamed_in_parts(tmp_path):
    from assistant.loading import PART_CHARS

    path = tmp_path / "big.txt"
    para = "Labour inspectors visited {} sites and referred {} presumed victims.\r\n"
    with open(path, "w", newline="") as f:
        f.write("Annual Inspection Report\r\n\r\n")
        for i in range(200_000):
            f.write(para.format(i, i % 7) + ("\r\n" if i % 3 == 2 else ""))
    assert path.stat().st_size > 12 * 2**20
    skipped = []
    docs = list(load_file(CorpusFile(path, "big.txt"), skipped.append))
    assert skipped == [] and len(docs) >= 12
    assert [d.doc_id for d in docs[:2]] == ["big.txt#1", "big.txt#2"]
    assert docs[0].title == "Annual Inspection Report"
    assert docs[1].title == "Annual Inspection Report (part 2)"
    # Nothing lost or changed: the parts are the file, newlines normalised, in order.
    whole = path.read_bytes().decode().replace("\r\n", "\n")
    assert "".join(d.text for d in docs) == whole
    assert max(len(d.text) for d in docs) <= PART_CHARS


def test_huge_binary_file_is_skipped_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: 200 MB of NUL bytes by size
    skipped = []
    assert list(load_file(CorpusFile(path, "huge.txt"), skipped.append)) == []
    assert "binary" in skipped[0].reason


def test_one_megabyte_question(assistant):
    reply = assistant.answer("Who coordinates the fight against trafficking? " * 22_000)
    assert len(reply.question) <= 2000
    for q in reply.quotes:
        assert assistant.document(q.doc_id).text[q.start:q.end] == q.text
