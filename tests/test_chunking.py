from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.chunking import ChunkParams, chunk_document, count_tokens, sentences
from assistant.loading import parse_text

# Text built from pieces that stress segmentation: abbreviations, numbers, quotes, headings,
# blank lines, Unicode (including combining marks and astral characters), odd whitespace.
PIECES = st.sampled_from([
    "Dr. Smith arrived.", "EUR 90,000 was paid.", "See Article 187(2).", "e.g. this", "\n", "\n\n",
    "\n\n# Heading\n\n", "Residence permit", "  ", "\t", "Ključ", "😀", "é", "e\u0301", "...", "?!",
    "\u00a0", "\u2028", "\r\n", "“quoted”", "a", "1.", "THB", ":",
])
TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=60).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT, markdown=st.booleans(), max_tokens=st.integers(min_value=3, max_value=60),
       overlap=st.integers(min_value=0, max_value=2))
def test_passages_are_always_verbatim(text, markdown, max_tokens, overlap):
    doc = parse_text("d", text, markdown=markdown)
    params = ChunkParams(max_tokens=max_tokens, overlap_sentences=overlap)
    passages = chunk_document(doc, params)
    for p in passages:
        assert doc.text[p.start:p.end] == p.text
        assert p.text.strip() == p.text and p.text
        for a, b in p.sentences:
            assert p.start <= a < b <= p.end
        assert any(s.start <= p.start and p.end <= s.end and s.heading == p.section
                   for s in doc.sections), "a passage must lie inside one section"


def test_passages_never_cross_sections(seed_corpus):
    from assistant.loading import discover, load_file

    files, _ = discover(seed_corpus)
    (doc,) = list(load_file(files[0], print))
    passages = chunk_document(doc)
    for p in passages:
        (section,) = [s for s in doc.sections if s.start <= p.start and p.end <= s.end]
        assert section.heading == p.section
        assert count_tokens(p.text) <= ChunkParams().max_tokens


def test_sentences_follow_a_real_segmenter():
    text = "Dr. Smith went to Washington D.C. in 2013. He said: \"EUR 90,000 was paid.\" See Article 187(2)."
    spans = sentences(text, 0, len(text))
    assert [text[a:b] for a, b in spans] == [
        "Dr. Smith went to Washington D.C. in 2013.",
        "He said: \"EUR 90,000 was paid.\"",
        "See Article 187(2).",
    ]


def test_long_sentence_is_cut_into_windows():
    text = " ".join(["word"] * 500)
    doc = parse_text("d", text, markdown=False)
    passages = chunk_document(doc, ChunkParams(max_tokens=100))
    assert len(passages) >= 5
    assert all(count_tokens(p.text) <= 100 for p in passages)
    assert all(doc.text[p.start:p.end] == p.text for p in passages)


def test_overlap_shares_one_sentence():
    text = "Intro\n\n" + " ".join(f"Sentence number {i} is here." for i in range(40))
    doc = parse_text("d", text, markdown=False)
    ps = chunk_document(doc, ChunkParams(max_tokens=30, overlap_sentences=1))
    assert len(ps) > 2
    for a, b in zip(ps, ps[1:]):
        assert a.sentences[-1] == b.sentences[0]


def test_a_tables_rows_are_sentences_of_their_own():
    # A table had been one sentence, and a long one cut into windows of words across its rows.
    rows = [f"| Sector {i} | {100 + i} | {2000 + i} |" for i in range(40)]
    text = ("The table below shows the inspections.\n\n| Sector | Inspections | Workers |\n"
            "|---|:---:|---|\n" + "\n".join(rows) + "\n\nAgriculture led. Construction came next.")
    spans = [text[a:b] for a, b in sentences(text, 0, len(text), max_tokens=120)]
    assert spans[1] == "| Sector | Inspections | Workers |\n|---|:---:|---|"  # with its rule
    assert spans[2:42] == rows
    assert spans[0] == "The table below shows the inspections." and spans[-1] == "Construction came next."
    # a web page's or Word table's rows, cells joined by " | "
    text = "Name | Age\n" + "\n".join(f"Person {i} | {i}" for i in range(40)) + "\nAfter. More."
    spans = [text[a:b] for a, b in sentences(text, 0, len(text), max_tokens=120)]
    assert spans[:2] == ["Name | Age", "Person 0 | 0"] and spans[-2:] == ["After.", "More."]
    # a small table is one sentence, and one line with a pipe is no table
    text = "Name | Age\nAnn | 3\nBob | 4\nAfter the table. More."
    assert [text[a:b] for a, b in sentences(text, 0, len(text), max_tokens=120)] == \
        ["Name | Age\nAnn | 3\nBob | 4", "After the table.", "More."]
    text = "Home | About. The plan was adopted."
    assert len(sentences(text, 0, len(text))) == 2


def test_a_table_row_is_told_by_its_line():
    from assistant.chunking import table_row

    text = "Intro.\n| a | b |\n|---|---|\n| 1 | 2 |\nplain | text\nno pipes"
    for row, expected in (("| a | b |\n|---|---|", True), ("| 1 | 2 |", True),
                          ("plain | text", True), ("no pipes", False), ("a | b", False)):
        i = text.find(row)
        assert table_row(text, i, i + len(row)) is expected, row
