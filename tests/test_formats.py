"""HTML, PDF and DOCX documents: extracted text, structure, pages, filters, broken files."""
from __future__ import annotations

import json

import pytest

from assistant import Assistant, build_index
from assistant.app import ALL_DOCUMENTS, filter_choices, parse_filter
from docmaker import make_docx, make_html, make_pdf


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("mixed")
    make_html(corpus / "referral.html", "National referral mechanism", [
        ("p", "The national referral mechanism sets out the roles of each institution in "
              "identifying and assisting victims of trafficking."),
        ("h2", "Police"),
        ("p", "The police are responsible for the criminal investigation and for informing "
              "presumed victims of their rights in a language they understand."),
        ("h2", "Social services"),
        ("p", "Social work centres arrange safe accommodation within twenty-four hours."),
    ])
    make_pdf(corpus / "report.pdf", [
        ["Annual Report on Trafficking", "Introduction",
         "The report covers the year 2023 and all twelve regions of the country.",
         "It was prepared by the office of the national coordinator."],
        ["Victim support",
         "Shelters offered forty places for victims of trafficking in 2023.",
         "Funding for the shelters came from the state budget and from the European Union."],
    ], title="Annual Report 2023")
    make_docx(corpus / "guidelines.docx", "Guidelines for labour inspectors", [
        ("h1", "Indicators of forced labour"),
        ("p", "Withheld wages and excessive recruitment fees are indicators of forced labour."),
        ("h2", "Identity documents"),
        ("p", "Confiscated passports must be reported to the police at once."),
    ])
    make_pdf(corpus / "scan.pdf", [[], []])
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    (corpus / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    (corpus / "empty.html").write_text("")
    with open(corpus / "countries.jsonl", "w") as f:
        for cid, country, text in [
            ("si", "Slovenia", "Slovenia adopted a new action plan on trafficking in 2024."),
            ("at", "Austria", "Austria adopted a new action plan on trafficking in 2021."),
        ]:
            f.write(json.dumps({"_id": cid, "title": f"{country} page", "text": text,
                                "metadata": {"country": country}}) + "\n")
    index = tmp_path_factory.mktemp("mixed-index") / "index"
    report = build_index(corpus, index)
    return report, Assistant.load(index)


def test_broken_and_scanned_files_are_reported_and_skipped(mixed):
    report, a = mixed
    reasons = {s.path: s.reason for s in report.skipped}
    assert "no text layer" in reasons["scan.pdf"] and "OCR" in reasons["scan.pdf"]
    assert "not a readable PDF" in reasons["broken.pdf"]
    assert "not a readable Word document" in reasons["broken.docx"]
    assert "empty" in reasons["empty.html"]
    assert {d.doc_id for d in a.documents} == {"referral.html", "report.pdf",
                                              "guidelines.docx", "countries.jsonl#si",
                                              "countries.jsonl#at"}


def test_word_lists_keep_their_bullets_and_numbers(tmp_path):
    # python-docx's text leaves out the mark Word shows before a list paragraph: a list's
    # items read as loose sentences, and a numbered step could not be cited by its number.
    import docx

    from assistant.extract import docx_blocks

    path = make_docx(tmp_path / "steps.docx", "Referral steps", [
        ("h1", "Indicators"),
        ("p", "The following indicators are often seen:"),
        ("List Bullet", "the person does not hold their own passport;"),
        ("List Bullet", "the person works excessive hours for little or no pay."),
        ("h1", "Steps"),
        ("List Number", "Make sure the person is safe."),
        ("List Number", "Explain who you are."),
        ("List Number", "Send the referral form within 48 hours."),
        ("p", "A note between two lists."),
        ("List Number 2", "Open a file."),
    ])
    d = docx.Document(str(path))  # a paragraph whose own numbering is switched off
    para = d.add_paragraph("Not an item.", style="List Number")
    para.paragraph_format.element.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = 0
    d.save(str(path))
    _, blocks, _ = docx_blocks(path)
    texts = [b.text for b in blocks]
    assert "• the person does not hold their own passport;" in texts
    assert texts.index("1. Make sure the person is safe.") < texts.index("2. Explain who you are.")
    assert "3. Send the referral form within 48 hours." in texts
    assert "A note between two lists." in texts and "1. Open a file." in texts
    assert "Not an item." in texts
    # The lead-in is quoted with the items it introduces.
    from assistant import Assistant, build_index

    (tmp_path / "corpus").mkdir()
    path.rename(tmp_path / "corpus" / "steps.docx")
    build_index(tmp_path / "corpus", tmp_path / "index")
    r = Assistant.load(tmp_path / "index").answer("Which indicators are often seen?")
    assert "The following indicators are often seen:\n\n• the person does not hold" \
        in r.quotes[0].text, r.quotes[0].text


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def add_word_list(d, num_id: int, levels_xml: str, override_xml: str = "") -> None:
    """A list definition of ``levels_xml`` (``<w:lvl>`` elements) and an instance of it, both
    numbered ``num_id``, in Word document ``d``."""
    from docx.oxml import parse_xml

    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="{num_id}">'
                                  f'{levels_xml}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId '
                               f'w:val="{num_id}"/>{override_xml}</w:num>'))


def add_word_item(d, text: str, num_id: int, level: int, style: str | None = None) -> None:
    from docx.oxml import parse_xml

    d.add_paragraph(text, style=style)._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def test_word_outline_numbered_headings_take_their_level_from_the_list(tmp_path):
    # Word's outline-numbered headings: each heading style gives only the list, and the list's
    # level names the style ("pStyle"); "Heading 2" had been numbered at the first level
    # ("2. Purpose" for "1.1 Purpose": a wrong number, quoted and cited). A probe's.
    import docx
    from docx.oxml import parse_xml

    from assistant.extract import docx_blocks

    d = docx.Document()
    add_word_list(d, 70, '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
                         '<w:pStyle w:val="Heading1"/><w:lvlText w:val="%1."/></w:lvl>'
                         '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
                         '<w:pStyle w:val="Heading2"/><w:lvlText w:val="%1.%2"/></w:lvl>')
    for sid in ("Heading1", "Heading2"):
        d.styles.element.get_by_id(sid).get_or_add_pPr().append(
            parse_xml(f'<w:numPr {W_NS}><w:numId w:val="70"/></w:numPr>'))
    for text, level in (("Scope", 1), ("Purpose", 2), ("Users", 2), ("Definitions", 1),
                        ("Victim", 2)):
        d.add_heading(text, level)
    d.save(str(tmp_path / "outline.docx"))
    assert [b.text for b in docx_blocks(tmp_path / "outline.docx")[1]] == [
        "1. Scope", "1.1 Purpose", "1.2 Users", "2. Definitions", "2.1 Victim"]


def test_word_legal_numbering_and_ordinals(tmp_path):
    # A probe's: legal numbering ("isLgl": "1.1" under "I.") and ordinals ("1st") were shown
    # as their levels' own formats ("I.1") and as figures ("1").
    import docx

    from assistant.extract import docx_blocks

    d = docx.Document()
    add_word_list(d, 60, '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
                         '<w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/>'
                         '<w:isLgl/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>'
                         '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="ordinal"/>'
                         '<w:lvlText w:val="%3"/></w:lvl>')
    for text, level in (("Part", 0), ("Clause", 1), ("first", 2), ("second", 2),
                        ("Part two", 0), ("Clause two", 1)):
        add_word_item(d, text, 60, level)
    d.save(str(tmp_path / "legal.docx"))
    assert [b.text for b in docx_blocks(tmp_path / "legal.docx")[1]] == [
        "I. Part", "1.1 Clause", "1st first", "2nd second", "II. Part two", "2.1 Clause two"]


def test_word_table_cells_keep_their_paragraphs_apart_and_their_list_marks(tmp_path):
    # A cell's paragraphs had run together ("Helpline operatorShelters for women"), and its
    # list paragraphs had no marks; a tab in a paragraph is kept.
    import docx

    from assistant.extract import docx_blocks

    d = docx.Document()
    row = d.add_table(rows=1, cols=2).rows[0]
    row.cells[0].paragraphs[0].add_run("Helpline operator")
    row.cells[0].add_paragraph("Shelters for women")
    row.cells[1].paragraphs[0].add_run("Steps:")
    row.cells[1].add_paragraph("Call", style="List Bullet")
    row.cells[1].add_paragraph("Refer", style="List Bullet")
    d.save(str(tmp_path / "cells.docx"))
    _, blocks, _ = docx_blocks(tmp_path / "cells.docx")
    # (a list item on a line of its own: run on, "call 112 2. Notify NATCO" read as one
    # sentence, a probe's)
    assert [b.text for b in blocks] == ["Helpline operator Shelters for women | Steps:\n• Call\n"
                                        "• Refer"]


def test_word_outline_numbering_levels_and_hostile_start_values(tmp_path):
    # A review's: numbered headings did not count in their outline list ("1.3" where Word shows
    # "2.1"), and a start value of 10**12 made a roman numeral in quadratic time.
    import docx
    from docx.oxml import parse_xml

    from assistant.extract import docx_blocks

    w = W_NS
    d = docx.Document()
    numbering = d.part.numbering_part.element

    def add_list(num_id, levels, start=None):
        add_word_list(d, num_id, "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>' for i, (fmt, text) in enumerate(levels)),
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            if start is not None else "")

    def item(text, num_id, level, style=None):
        add_word_item(d, text, num_id, level, style)

    add_list(90, [("decimal", "%1."), ("decimal", "%1.%2"), ("lowerLetter", "(%3)")])
    add_list(91, [("lowerRoman", "%1)")], start=10**12)
    add_list(92, [("upperLetter", "%1.")], start=27)
    add_list(93, [("lowerRoman", "%1.")], start=14)
    add_list(96, [("decimal", "%1.")], start=0)
    # Instances of one list definition share its count; one restarting it restarts it where it
    # first appears (ECMA-376 17.9; as Word shows).
    numbering.append(parse_xml(f'<w:num {w} w:numId="94"><w:abstractNumId w:val="93"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="95"><w:abstractNumId w:val="93"/>'
                               '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>'
                               '</w:lvlOverride></w:num>'))
    item("Scope", 90, 0, "Heading 1")
    item("First clause.", 90, 1)
    item("A sub-clause.", 90, 2)
    item("Second clause.", 90, 1)
    item("Definitions", 90, 0, "Heading 1")
    item("Third clause.", 90, 1)
    item("Far on.", 91, 0)
    item("Twenty-seventh.", 92, 0)
    item("Fourteenth.", 93, 0)
    item("Fifteenth.", 94, 0)
    item("Sixteenth.", 93, 0)
    item("Restarted.", 95, 0)
    item("Second again.", 93, 0)
    item("Zero.", 96, 0)
    item("One.", 96, 0)
    d.save(str(tmp_path / "outline.docx"))
    _, blocks, _ = docx_blocks(tmp_path / "outline.docx")
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "1. Scope"), ("body", "1.1 First clause."), ("body", "(a) A sub-clause."),
        ("body", "1.2 Second clause."), ("heading", "2. Definitions"),
        ("body", "2.1 Third clause."), ("body", "32767) Far on."), ("body", "AA. Twenty-seventh."),
        ("body", "xiv. Fourteenth."), ("body", "xv. Fifteenth."), ("body", "xvi. Sixteenth."),
        ("body", "i. Restarted."), ("body", "ii. Second again."), ("body", "0. Zero."),
        ("body", "1. One.")]


def test_a_web_page_list_keeps_its_marks_and_nested_items_once(tmp_path):
    # An item's text ran into its nested items' ("safe.call 112 if needed"), which then came
    # again as lines of their own; and a review's: numbers as a browser counts them.
    from assistant.extract import html_blocks

    page = ("<html><head><title>Steps</title></head><body><main><h1>Steps</h1>"
            "<p>Intro text long enough to be kept by the extractor here.</p>"
            "<p>The following steps apply:</p><ol start='4'><li>Make sure the person is "
            "<b>safe</b>.<ul><li>call 112 if needed</li><li>stay calm</li></ul></li>"
            "<li>Explain who you are.</li><li></li><li>Refer.</li><li value='10'>Close.</li></ol>"
            "<ol type='a' reversed><li>third</li><li>second</li><li>first</li></ol>"
            "<dl><dt>Victim</dt><dd>A person who has been trafficked.</dd></dl>"
            "<p>More text here to be kept by the extractor again.</p></main></body></html>")
    texts = [b.text for b in html_blocks(page.encode())[1]]
    assert "4. Make sure the person is safe.\n• call 112 if needed\n• stay calm\n" \
           "5. Explain who you are.\n7. Refer.\n10. Close." in texts, texts
    assert "c. third\nb. second\na. first" in texts, texts
    assert not any("•" in t for t in texts if "Victim" in t), texts  # no bullets a browser lacks
    # two paragraphs of one item stay apart (a probe's "item two.Second para")
    page = ("<html><head><title>T</title></head><body><main><h1>T</h1><p>Intro text long enough "
            "to be kept by the extractor here.</p><ul><li><p>Item two.</p><p>Second para.</p>"
            "</li></ul><p>More text here to be kept by the extractor again.</p></main></body>"
            "</html>")
    texts = [b.text for b in html_blocks(page.encode())[1]]
    assert any("Item two. Second para." in t for t in texts), texts
    # text after a nested list comes after its items; a list shown without marks gets none
    page = ("<html><head><title>T</title></head><body><main><h1>T</h1><p>Intro text long enough "
            "to be kept by the extractor here.</p><ul><li>Parent<ul><li>child</li></ul>after "
            "it</li></ul><ul style='list-style: none'><li>plain one</li><li>plain two</li></ul>"
            "<p>More text here to be kept by the extractor again.</p></main></body></html>")
    texts = [b.text for b in html_blocks(page.encode())[1]]
    assert "• Parent\n• child\nafter it" in texts and "plain one\nplain two" in texts, texts


def test_text_written_beside_a_pages_blocks_is_kept(tmp_path):
    # A probe's: text straight in <body> after a paragraph was lost ("The helpline is 080 1722
    # ..."), and a line break inside a paragraph ran its lines together ("night.Calls").
    from assistant.extract import html_blocks

    page = ("<html><head><title>Help</title></head><body><p>Intro paragraph of the page about "
            "shelters.</p>The helpline is 080 1722 and <b>answers</b> day and night.<br>Calls "
            "are free.<p>Two shelters take in women and children.</p></body></html>")
    texts = [b.text for b in html_blocks(page.encode())[1]]
    assert texts == ["Intro paragraph of the page about shelters.",
                     "The helpline is 080 1722 and answers day and night.\nCalls are free.",
                     "Two shelters take in women and children."], texts


def test_a_page_of_very_many_elements_is_read_without_trafilatura(monkeypatch):
    # trafilatura's time grows with the square of a page's elements (437,000 tiny paragraphs in
    # 3.5 MB took 184 s; benchmarks/extraction.py): past a bound the page's own text is read.
    from assistant import extract

    import trafilatura

    monkeypatch.setattr(extract, "MAX_EXTRACTED_ELEMENTS", 50)
    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: pytest.fail("trafilatura ran"))
    page = ("<html><head><title>Many</title></head><body><nav><a href='/'>Home</a></nav><main>"
            + "".join(f"<p>Paragraph {i} of the report.</p>" for i in range(60))
            + "</main><footer>Cookie settings</footer></body></html>")
    texts = [b.text for b in extract.html_blocks(page.encode())[1]]
    assert texts[0] == "Paragraph 0 of the report." and texts[-1] == "Paragraph 59 of the report."
    assert not any("Home" in t or "Cookie" in t for t in texts)


def test_html_main_text_without_boilerplate(mixed):
    _, a = mixed
    d = a.document("referral.html")
    assert d.title == "National referral mechanism"
    for junk in ("Cookie settings", "Contact us", "Privacy policy", "News"):
        assert junk not in d.text
    assert [s.heading for s in d.sections] == ["", "Police", "Social services"]


def test_html_headings_of_a_page_without_article_or_main(tmp_path):
    # trafilatura drops the <h2> headings of some pages made of a plain <body> of headings and
    # paragraphs (this one a blind probe wrote, in the corpus it wrote): every quote had been
    # cited with an empty section.
    from pathlib import Path

    page = Path(__file__).parent / "data" / "norland" / "ngo_project.html"
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "project.html").write_bytes(page.read_bytes())
    build_index(tmp_path / "c", tmp_path / "i")
    a = Assistant.load(tmp_path / "i")
    d = a.document("project.html")
    headings = [s.heading for s in d.sections]
    assert headings[:5] == ["", "Summary", "Partners", "Funding", "Target groups"]
    r = a.answer("How much is the EU grant for SAFE HARVEST?")
    assert "EUR 485,000" in r.quotes[0].text and r.quotes[0].section == "Funding"


@pytest.mark.parametrize("page, headings, text", [
    # Text written straight into <body>, between headings, and with <br>: trafilatura finds
    # no paragraph, and the file had been skipped with "no body text found" (a probe's).
    ("<html><body>Intro text here.<h2>Measure 6.1 Awareness</h2>Schools run awareness "
     "campaigns every spring.<h2>Measure 6.2 Media</h2>Television spots are broadcast twice a "
     "year.</body></html>",
     ["", "Measure 6.1 Awareness", "Measure 6.2 Media"], "Schools run awareness campaigns"),
    ("<html><head><title>Plan</title></head><body><h2>Measure 7.1 Data</h2>The statistics "
     "office collects data on victims.<br>It publishes them yearly.<script>var x=1;</script>"
     "<h2>Measure 7.2 Research</h2>Universities study labour exploitation.</body></html>",
     ["Measure 7.1 Data", "Measure 7.2 Research"], "It publishes them yearly."),
    # No <title>: the title is guessed from the first heading, which stays a section.
    ("<html><body><h2>Measure 4.1 Financial investigations</h2><p>Police follow the money in "
     "each case.</p><h2>Measure 4.2 Prosecution</h2><p>Prosecutors specialise in trafficking."
     "</p></body></html>",
     ["Measure 4.1 Financial investigations", "Measure 4.2 Prosecution"], "Police follow"),
])
def test_html_text_outside_paragraphs_is_kept_under_its_headings(tmp_path, page, headings,
                                                                 text):
    from assistant.extract import html_blocks

    title, blocks, _ = html_blocks(page.encode("utf-8"))
    assert [b.text for b in blocks if b.kind == "heading"] == [h for h in headings if h]
    assert any(text in b.text for b in blocks if b.kind == "body")
    assert not any("var x" in b.text for b in blocks)


def test_docx_headings_come_from_paragraph_styles(mixed):
    _, a = mixed
    d = a.document("guidelines.docx")
    assert d.title == "Guidelines for labour inspectors"
    assert [s.heading for s in d.sections] == ["Indicators of forced labour", "Identity documents"]


def test_pdf_pages_reach_passages_quotes_and_citations(mixed):
    _, a = mixed
    d = a.document("report.pdf")
    assert d.title == "Annual Report 2023" and len(d.pages) == 2
    reply = a.answer("How many shelter places were offered for victims?")
    top = reply.quotes[0]
    assert top.doc_id == "report.pdf" and "forty places" in top.text
    assert top.page == 2 and top.passage.page == 2
    assert "p. 2" in reply.markdown
    hit = a.retrieve("who prepared the annual report", k=1, where={"doc_id": "report.pdf"})[0]
    assert hit.page == 1


def test_every_offset_is_verbatim_in_every_format(mixed):
    _, a = mixed
    for p in a.index.passages:
        d = a.document(p.doc_id)
        assert d.text[p.start:p.end] == p.text
        for s, e in p.sentences:
            assert p.start <= s < e <= p.end
    for q in ("What must happen with confiscated passports?", "Who investigates?",
              "When did Slovenia adopt an action plan?"):
        for quote in a.answer(q).quotes:
            assert a.document(quote.doc_id).text[quote.start:quote.end] == quote.text


def test_where_filters_by_metadata_and_document(mixed):
    _, a = mixed
    q = "When was the action plan on trafficking adopted?"
    assert {h.doc_id for h in a.retrieve(q, k=5, where={"country": "Austria"})} == {"countries.jsonl#at"}
    reply = a.answer(q, where={"country": "Slovenia"})
    assert reply.quotes and all(x.doc_id == "countries.jsonl#si" for x in reply.quotes)
    only = a.retrieve("victims", k=10, where={"doc_id": "guidelines.docx"})
    assert only and {h.doc_id for h in only} == {"guidelines.docx"}
    assert a.retrieve(q, where={"country": "Narnia"}) == []


def test_filter_menu_choices(mixed):
    _, a = mixed
    choices = filter_choices(a)
    labels = [c[0] for c in choices]
    assert labels[0] == ALL_DOCUMENTS and choices[0][1] == ""
    assert "country: Slovenia" in labels and "country: Austria" in labels
    assert any(label.startswith("Document: Annual Report 2023") for label in labels)
    for _, value in choices[1:]:
        where = parse_filter(value)
        assert where and a.retrieve("trafficking", k=1, where=where) is not None
    assert parse_filter("") is None and parse_filter("{not json") is None
    assert parse_filter("[1, 2]") is None


def test_pdf_running_headers_and_footers_are_left_out_and_article_headings_kept(tmp_path):
    # A probe's criminal code: the running header and "Page N of 4" were quoted as the law's
    # words, the header hid "Article 111" (its text was cited under no section), and the title
    # line after "Article 112" hid the article's number.
    header, pages = "CRIMINAL CODE OF THE REPUBLIC - Consolidated text", []
    articles = [("Article 111", "Trafficking in human beings",
                 "(1) Whoever recruits a person for exploitation shall be punished by "
                 "imprisonment of one to ten years."),
                ("Article 112", "Use of services of a victim",
                 "(1) Whoever knowingly uses the services of a victim of trafficking shall be "
                 "punished by imprisonment of six months to five years."),
                ("Article 113", "Forced labour",
                 "(1) Whoever forces another person to work shall be punished by imprisonment "
                 "of up to five years.")]
    for n, (label, title, text) in enumerate(articles, start=1):
        pages.append([header, label, title, text, f"Page {n} of {len(articles)}"])
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    make_pdf(corpus / "code.pdf", pages)
    build_index(corpus, tmp_path / "index")
    a = Assistant.load(tmp_path / "index")
    doc = a.document("code.pdf")
    # The header's first occurrence stays (it may be the title), set apart; later ones go.
    assert doc.text.count("Consolidated text") == 1 and "Page 1 of" not in doc.text
    assert [s.heading for s in doc.sections if s.heading] == [
        "Article 111 — Trafficking in human beings", "Article 112 — Use of services of a victim",
        "Article 113 — Forced labour"]
    q = a.answer("What is the penalty for using the services of a victim?").quotes[0]
    assert "six months to five years" in q.text and q.section.startswith("Article 112")
    assert q.page == 2 and doc.text[q.start:q.end] == q.text and "Consolidated" not in q.text


def test_pdf_edge_lines_that_are_content_stay():
    # From a review: amounts and votes at page ends, a table's header row, a "Yes" or a
    # "Continued" recurring on a few pages had been dropped as running lines.
    from assistant.extract import without_running_lines

    pages = ["Fines\n(2) The number of daily units is at least\n5", "Votes\nIn favour:\n7",
             "Result\nAgainst:\n2"]
    assert without_running_lines(pages) == pages
    table = ["Offence | Min | Max\nTheft | 1 | 5", "Offence | Min | Max\nFraud | 2 | 8"]
    assert without_running_lines(table) == table
    short = ["Q1 ...\nYes\nContinued", "Q2 ...\nYes\nContinued", "Q3 ...\nNo"]
    assert without_running_lines(short) == short
    # Page numbers go: written as such, or bare where most pages carry their own.
    assert without_running_lines(["One.\n1", "Two.\n2", "Three.\n3"]) == ["One.", "Two.",
                                                                           "Three."]
    assert without_running_lines(["One.\n- 1 -", "Two.\nPage 2 of 2"]) == ["One.", "Two."]


def test_a_pdf_page_label_run_into_a_footer_goes_and_numbered_content_stays():
    # Chromium prints its margin boxes as one line, "Page 4 of 8Nordhaven Institute ...": a
    # ninth probe's quotes had begun with it.
    from assistant.extract import without_running_lines

    pages = ["Title page\nText one."] + [
        f"Header of the report\nPage {n} of 5Institute of Studies\nBody {n}." for n in range(2, 6)]
    out = without_running_lines(pages)
    assert not any("Institute of Studies" in p for p in out)
    assert [p.strip().split("\n")[-1] for p in out[1:]] == [f"Body {n}." for n in range(2, 6)]
    # After an unnumbered cover, the printed number is one less than the page's.
    covered = ["Cover\nText."] + [
        f"Header of the report\nPage {n - 1} of 4Institute of Studies\nBody {n}." for n in range(2, 6)]
    assert not any("Institute of Studies" in p for p in without_running_lines(covered))
    # A sentence at the top of each page counting as many as the page's number is content
    # (a probe's); a footer "N | Annual Report 2023" is not.
    counting = ["Cover\nText."] + [f"Inspectors visited {n} of 9 farms.\nBody {n}.\nEnd {n}."
                                    for n in range(2, 7)]
    assert without_running_lines(counting) == counting
    barred = ["Title\nText one."] + [f"Body {n} says things.\nEnd {n}.\n{n} | Annual Report 2023"
                                      for n in range(2, 6)]
    assert not any("Annual Report" in p for p in without_running_lines(barred))
    # Other numbers at the tops of pages are content: "Article 12", "Article 15" ...
    articles = ["Intro.\nMore", "Article 12\nText a.", "Article 15\nText b.", "Article 17\nText c."]
    assert without_running_lines(articles) == articles


def test_a_content_box_in_the_main_text_is_read_and_a_box_of_links_is_not():
    # A blind probe's labour inspectorate page had lost its contact box (an <aside> inside
    # <main>): "what's their email" could not be answered.
    from assistant.extract import html_blocks

    page = ("<html><head><title>Guidance</title></head><body><nav><a href='/'>Home</a></nav>"
            "<main><h1>Guidance</h1><p>Inspectors refer presumed victims to the police within "
            "24 hours of the visit.</p><p>The referral describes the indicators observed.</p>"
            "<aside class='contact-box'><h2>Contact</h2><p>Telephone: +387 21 440 900</p>"
            "<p>E-mail: unit@inspectorate.gov.nv</p></aside>"
            "<aside class='related'><h2>Related</h2><ul><li><a href='/a'>Annual report 2022"
            "</a></li><li><a href='/b'>Press releases archive</a></li></ul></aside>"
            "<aside class='newsletter'><p>Sign up for our monthly updates.</p></aside>"
            "<aside id='social-services-contact'><p>Social services: +387 21 440 911</p></aside>"
            "<aside hidden><p>A hidden draft note.</p></aside>"
            "<aside style='display: none'><p>An invisible styled note.</p></aside></main>"
            "<aside><p>Sidebar outside the main text.</p></aside>"
            "<footer>Copyright</footer></body></html>")
    _, blocks, _ = html_blocks(page.encode("utf-8"))
    text = "\n".join(b.text for b in blocks)
    assert "+387 21 440 900" in text and "unit@inspectorate.gov.nv" in text
    assert "Press releases archive" not in text and "Sidebar outside" not in text
    assert "monthly updates" not in text  # a box named as clutter
    assert "+387 21 440 911" in text  # "social" and "services" are no clutter's words
    assert "hidden draft" not in text and "invisible styled" not in text
    assert "within 24 hours" in text
