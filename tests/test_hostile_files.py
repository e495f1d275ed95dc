"""Hostile and broken corpus files: whatever a file holds, it is skipped with a reason and the
rest is indexed; no file can expand without bound; no record can take another file's id."""
from __future__ import annotations

import io
import json
import random
import shutil
import struct
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import Assistant, build_index
from assistant.loading import CorpusFile, load_file
from conftest import SEED_CORPUS, run_python
from docmaker import make_docx, make_html, make_pdf

PARTS = [("h1", "Shelters"), ("p", "Shelters offered forty places for victims in 2023."),
         ("h2", "Funding"), ("p", "Funding came from the state budget and the European Union.")]


def _load(path: Path, rel: str | None = None):
    skipped = []
    docs = list(load_file(CorpusFile(path, rel or path.name), skipped.append))
    return docs, skipped


def _rezip(src: bytes, replace: dict[str, bytes]) -> bytes:
    """The same zip with some members' bytes replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w",
                                                                    zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            z.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
    return out.getvalue()


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, bytes]:
    """One valid file of every supported format."""
    d = tmp_path_factory.mktemp("samples")
    make_docx(d / "a.docx", "Shelter report", PARTS)
    make_html(d / "a.html", "Shelter report", PARTS)
    make_pdf(d / "a.pdf", [["Shelter report", "Shelters offered forty places in 2023."],
                           ["Funding came from the state budget."]], title="Shelter report")
    text = "Shelter report\n\nShelters\n\nShelters offered forty places for victims in 2023.\n"
    out = {".docx": (d / "a.docx").read_bytes(), ".html": (d / "a.html").read_bytes(),
           ".pdf": (d / "a.pdf").read_bytes(), ".txt": text.encode(),
           ".md": ("# Shelter report\n\n" + text).encode(),
           ".jsonl": (json.dumps({"_id": "a", "title": "Shelter report", "text": text}) + "\n"
                      + json.dumps({"_id": "b", "text": "Funding came from the budget."})
                      + "\n").encode()}
    for suffix, data in out.items():  # every sample is itself readable
        path = d / f"ok{suffix}"
        path.write_bytes(data)
        docs, skipped = _load(path)
        assert docs and not skipped, (suffix, skipped)
    return out


def test_docx_with_damaged_xml_is_skipped_and_the_rest_indexed(samples, tmp_path):
    """lxml's XMLSyntaxError is not a ValueError: it used to stop every build."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_CORPUS / "slovenia.txt", corpus)
    broken = _rezip(samples[".docx"], {"word/document.xml": b"<w:document><w:body><w:p>"})
    (corpus / "damaged.docx").write_bytes(broken)
    report = build_index(corpus, tmp_path / "index")
    reasons = {s.path: s.reason for s in report.skipped}
    assert "XMLSyntaxError" in reasons["damaged.docx"], reasons
    assert report.documents == 1
    out = run_python("from assistant.cli import build_main\n"
                     f"raise SystemExit(build_main(['--corpus', {str(corpus)!r}, '--index', "
                     f"{str(tmp_path / 'index2')!r}, '--quiet']))")
    assert "damaged.docx" in out and "Traceback" not in out


def test_a_reader_that_raises_anything_skips_only_its_file(tmp_path, monkeypatch):
    """The guard is one place around every reader: an unexpected exception type from any
    library is a reason, not a crash."""
    from assistant import extract

    class Surprise(Exception):
        pass

    def boom(*_):
        raise Surprise("the parser fell over")

    monkeypatch.setattr(extract, "html_blocks", boom)
    (tmp_path / "page.html").write_text("<html><body><p>Hello there.</p></body></html>")
    (tmp_path / "fine.txt").write_text("Fine\n\nSome text here.\n")
    docs, skipped = _load(tmp_path / "page.html")
    assert docs == [] and "Surprise" in skipped[0].reason and "fell over" in skipped[0].reason


_MUTATIONS = st.sampled_from(["flip", "truncate", "insert", "inner"])


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(suffix=st.sampled_from([".txt", ".md", ".jsonl", ".html", ".pdf", ".docx"]),
       mutation=_MUTATIONS, seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40))
def test_fuzz_every_format_never_raises(samples, tmp_path, suffix, mutation, seed, n):
    rng = random.Random(seed)
    data = bytearray(samples[suffix])
    if mutation == "inner" and suffix == ".docx":  # a valid zip around damaged XML
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
            xml = bytearray(z.read("word/document.xml"))
        for _ in range(n):
            xml[rng.randrange(len(xml))] = rng.randrange(256)
        data = bytearray(_rezip(bytes(data), {"word/document.xml": bytes(xml)}))
    elif mutation in ("flip", "inner"):
        for _ in range(n):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif mutation == "truncate":
        data = data[: rng.randrange(len(data))]
    else:
        at = rng.randrange(len(data) + 1)
        data[at:at] = bytes(rng.randrange(256) for _ in range(n))
    path = tmp_path / f"fuzzed{suffix}"
    path.write_bytes(bytes(data))
    docs, skipped = _load(path)  # must not raise
    assert docs or skipped
    assert all(s.reason for s in skipped)
    if any(s.path == path.name for s in skipped):
        return  # the file failed as a whole (partial results are dropped by the builder)
    for d in docs:
        for sec in d.sections:
            assert 0 <= sec.start <= sec.end <= len(d.text)


def _docx_bomb(path: Path, inflated_mb: int) -> None:
    """A valid .docx whose document.xml inflates to ``inflated_mb`` MB of XML."""
    src = io.BytesIO()
    make_docx_path = path.with_suffix(".src.docx")
    make_docx(make_docx_path, "Bomb", PARTS)
    with zipfile.ZipFile(make_docx_path) as zin, zipfile.ZipFile(path, "w",
                                                                   zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info.filename, zin.read(info.filename))
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.'
                    b'org/wordprocessingml/2006/main"><w:body>')
            chunk = b"<w:p><w:r><w:t>forty places</w:t></w:r></w:p>" * 20_000
            for _ in range(inflated_mb * 2**20 // len(chunk)):
                f.write(chunk)
            f.write(b"</w:body></w:document>")
    make_docx_path.unlink()
    del src


def test_docx_bomb_is_skipped_in_bounded_memory(tmp_path):
    bomb = tmp_path / "bomb.docx"
    _docx_bomb(bomb, 400)
    assert bomb.stat().st_size < 8 * 2**20  # small on disk, 400 MB inflated
    out = run_python(
        "import resource\n"
        "from pathlib import Path\n"
        "from assistant.loading import CorpusFile, load_file\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "skipped = []\n"
        f"docs = list(load_file(CorpusFile(Path({str(bomb)!r}), 'bomb.docx'), skipped.append))\n"
        "grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024\n"
        "print(len(docs), grown, skipped[0].reason)\n")
    n_docs, grown_mb, reason = out.split(" ", 2)
    assert n_docs == "0" and "expands to" in reason and "limit" in reason, out
    assert int(grown_mb) < 100, out


def test_docx_that_lies_about_its_size_is_skipped(samples, tmp_path):
    """A central directory that declares a small size: zipfile stops there, the XML is cut
    short, and the file is skipped (never inflated past the declared size)."""
    data = bytearray(samples[".docx"])
    name = b"word/document.xml"
    cd = data.rfind(b"PK\x01\x02", 0, data.rfind(name))  # its central directory entry
    struct.pack_into("<I", data, cd + 24, 100)  # uncompressed size field
    path = tmp_path / "liar.docx"
    path.write_bytes(bytes(data))
    docs, skipped = _load(path)
    assert docs == [] and skipped and skipped[0].path == "liar.docx"


def test_pdf_with_too_many_pages_is_skipped(tmp_path, monkeypatch):
    from assistant import extract

    monkeypatch.setattr(extract, "MAX_PDF_PAGES", 3)
    make_pdf(tmp_path / "long.pdf", [["Page text number %d." % i] for i in range(5)])
    docs, skipped = _load(tmp_path / "long.pdf")
    assert docs == [] and "5 pages, over the limit of 3" in skipped[0].reason


def test_extracted_text_is_bounded(tmp_path, monkeypatch):
    from assistant import extract

    monkeypatch.setattr(extract, "MAX_EXTRACTED_CHARS", 1000)
    make_html(tmp_path / "long.html", "Long", [("p", "Forty places for victims. " * 100)])
    docs, skipped = _load(tmp_path / "long.html")
    assert docs == [] and "longer than 1,000 characters" in skipped[0].reason


def test_over_long_jsonl_record_is_skipped_without_holding_it(tmp_path, monkeypatch):
    from assistant import loading

    monkeypatch.setattr(loading, "MAX_RECORD_BYTES", 1000)
    lines = [json.dumps({"_id": "ok", "text": "A short record about shelters."}),
             json.dumps({"_id": "big", "text": "x " * 5000}),
             json.dumps({"_id": "ok2", "text": "Another short record about funding."})]
    (tmp_path / "r.jsonl").write_text("\n".join(lines) + "\n")
    docs, skipped = _load(tmp_path / "r.jsonl")
    assert [d.doc_id for d in docs] == ["r.jsonl#ok", "r.jsonl#ok2"]
    assert skipped[0].path == "r.jsonl line 2" and "limit for one record" in skipped[0].reason


def test_jsonl_record_cannot_take_over_another_files_document(tmp_path):
    """An uploaded 0.jsonl sorts before slovenia.txt; its record claiming that id used to win."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_CORPUS / "slovenia.txt", corpus)
    (corpus / "0.jsonl").write_text(json.dumps({
        "_id": "slovenia.txt", "title": "Together Against Trafficking in Human Beings",
        "text": "Identified foreign victims are granted a 3 day reflection period."}) + "\n")
    build_index(corpus, tmp_path / "index")
    a = Assistant.load(tmp_path / "index")
    real = a.document("slovenia.txt")
    assert real.source == "slovenia.txt" and "90 day reflection period" in real.text
    assert a.document("0.jsonl#slovenia.txt").source == "0.jsonl"


def test_unreadable_files_are_not_read_again_until_they_change(tmp_path, monkeypatch):
    from assistant.index import builder as index_module

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_CORPUS / "slovenia.txt", corpus)
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4\nnot a real pdf")
    build_index(corpus, tmp_path / "index")
    reads = []
    real = index_module.load_file

    def counting(f, on_skip):
        reads.append(f.rel)
        return real(f, on_skip)

    monkeypatch.setattr(index_module, "load_file", counting)
    (corpus / "new.txt").write_text("New\n\nShelters opened in two more towns.\n")
    report = build_index(corpus, tmp_path / "index")
    assert reads == ["new.txt"]  # the broken PDF was not parsed again
    assert "not a readable PDF" in {s.path: s.reason for s in report.skipped}["scan.pdf"]
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4\nstill not a real pdf, but changed")
    build_index(corpus, tmp_path / "index")
    assert reads[-1] == "scan.pdf"


def test_a_failure_of_the_moment_is_tried_again_by_the_next_build(tmp_path, monkeypatch):
    # A PDF over the time limit on a busy machine had stayed out of every later build until
    # the file changed (found by a probe).
    from assistant import extract

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_CORPUS / "slovenia.txt", corpus)
    make_pdf(corpus / "law.pdf", [["Article 7. Shelters are open at night."]])
    monkeypatch.setattr(extract, "MAX_EXTRACT_SECONDS", -1)
    report = build_index(corpus, tmp_path / "index")
    assert "took more than" in {s.path: s.reason for s in report.skipped}["law.pdf"]
    manifest = tmp_path / "index" / "manifest.json"
    built = json.loads(manifest.read_text())["build_id"]
    report = build_index(corpus, tmp_path / "index")  # tried again, and the same words:
    assert "law.pdf" in {s.path for s in report.skipped}
    assert json.loads(manifest.read_text())["build_id"] == built  # no rewrite for nothing
    # An index of an earlier version remembered such a failure with the file's hash: it is
    # tried again all the same.
    m = json.loads(manifest.read_text())
    from assistant.storage import sha256_file

    m["skipped_files"]["law.pdf"].update(sha256=sha256_file(corpus / "law.pdf"),
                                         reasons=[report.skipped[0].reason])
    manifest.write_text(json.dumps(m))
    monkeypatch.undo()
    report = build_index(corpus, tmp_path / "index")
    assert "law.pdf" not in {s.path for s in report.skipped}
    assert report.documents == 2


def test_a_copy_that_could_not_be_read_does_not_hide_the_readable_one(tmp_path):
    # b.txt was reported as "same content as a.jsonl; indexed once" although a.jsonl, read as
    # JSON lines, had given nothing: the text was in no index (found by a probe).
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "Heron Notes\n\nHerons fish in the Ljubljanica river at dawn every day.\n"
    (corpus / "a.jsonl").write_text(text)
    (corpus / "b.txt").write_text(text)
    (corpus / "c.txt").write_text(text)
    report = build_index(corpus, tmp_path / "index")
    why = {s.path: s.reason for s in report.skipped}
    assert "not valid JSON" in why["a.jsonl line 1"] or "JSON" in str(why)
    assert why["c.txt"].startswith("same content as b.txt")
    assert [d for d in Assistant.load(tmp_path / "index").index.documents] == ["b.txt"]


# --- found by probing as an attacker (docs/threat-model.md) -----------------------------------

def test_unpaired_surrogates_skip_a_record_or_a_file_and_the_build_goes_on(tmp_path,
                                                                          monkeypatch):
    from assistant import extract

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_CORPUS / "slovenia.txt", corpus)
    (corpus / "r.jsonl").write_text('{"_id": "s", "text": "hello \\ud800 there"}\n'
                                    '{"_id": "ok", "text": "Shelters opened in Koper."}\n')
    real = extract.html_blocks
    monkeypatch.setattr(extract, "html_blocks", lambda data: (
        "T", [extract.Block("body", "font map gave \ud800 here")], {}))
    (corpus / "page.html").write_text("<p>x</p>")
    report = build_index(corpus, tmp_path / "index")
    reasons = {s.path: s.reason for s in report.skipped}
    assert "unpaired surrogate" in reasons["r.jsonl record 's'"]
    assert "unpaired surrogate" in reasons["page.html"]
    assert report.documents == 2  # slovenia.txt and r.jsonl#ok
    monkeypatch.setattr(extract, "html_blocks", real)


def test_a_bad_jsonl_line_of_any_kind_skips_only_that_line(tmp_path):
    lines = [json.dumps({"_id": "a", "text": "First record."}),
             '{"_id": "deep", "metadata": ' + "[" * 100_000 + "]" * 100_000 + ', "text": "x"}',
             '{"_id": ' + "9" * 5000 + ', "text": "huge id"}',
             json.dumps({"_id": "b", "text": "Last record."})]
    (tmp_path / "r.jsonl").write_text("\n".join(lines) + "\n")
    docs, skipped = _load(tmp_path / "r.jsonl")
    assert [d.doc_id for d in docs] == ["r.jsonl#a", "r.jsonl#b"]
    assert {s.path for s in skipped} == {"r.jsonl line 2", "r.jsonl line 3"}


def test_markdown_heading_lines_cannot_stall_loading(tmp_path):
    """The old heading pattern was cubic on '# a' + spaces + 'b' (5.7 s for 2,000 spaces)."""
    (tmp_path / "h.md").write_text("# Title #\n\n# a" + " " * 20_000 + "b\n\nBody text.\n")
    docs, skipped = _load(tmp_path / "h.md")
    assert docs[0].title == "Title" and docs[0].sections[0].heading.startswith("a")


def test_word_tables_are_read_as_written_not_expanded(tmp_path):
    """A gridSpan of ten million used to make python-docx build ten million cells."""
    import docx

    d = docx.Document()
    d.add_paragraph("Shelter capacity by region.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Region", "Places"
    table.cell(1, 0).text, table.cell(1, 1).text = "Koper", "14"
    tc = table._tbl.tr_lst[1].tc_lst[0]
    from docx.oxml import parse_xml

    tc.get_or_add_tcPr().append(parse_xml(
        '<w:gridSpan xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'w:val="10000000"/>'))
    d.save(str(tmp_path / "t.docx"))
    docs, skipped = _load(tmp_path / "t.docx")
    assert not skipped and "Koper | 14" in docs[0].text


def test_html_nested_deeply_is_read_whole_or_skipped_with_the_reason(tmp_path):
    # Past 256 levels libxml2 stopped, and the text after the nest was lost without a word.
    from assistant.extract import ExtractError, html_blocks

    def page(levels: int) -> bytes:
        return ("<html><head><title>Deep</title></head><body><main><h1>Deep</h1>"
                "<p>Labour inspectors visited farms in the spring.</p>" + "<div>" * levels
                + "<p>Inside the nest: twelve referrals.</p>" + "</div>" * levels
                + "<p>After the nest: the referrals rose.</p></main></body></html>").encode()

    _, blocks, _ = html_blocks(page(300))
    texts = [b.text for b in blocks]
    assert "Inside the nest: twelve referrals." in texts
    assert "After the nest: the referrals rose." in texts
    with pytest.raises(ExtractError, match="nested too deeply"):
        html_blocks(page(3000))
    # Lists nested 130 and 600 deep (a review's): trafilatura parses its own output at the
    # default depth and recurses, and the page had been skipped; it is read as the page's text.
    for levels in (130, 600):
        nest = ("<html><head><title>Lists</title></head><body><main><h1>Lists</h1>"
                "<p>Labour inspectors visited farms in the spring.</p>"
                + "<ul><li>item " * levels + "</li></ul>" * levels
                + "<p>After the lists: the referrals rose.</p></main></body></html>")
        texts = [b.text for b in html_blocks(nest.encode())[1]]
        assert "After the lists: the referrals rose." in texts
        assert sum(t.count("item") for t in texts) == levels


def test_a_page_crowded_with_inline_tags_is_read_as_its_text():
    # trafilatura's handling of emphasis and spans is quadratic in a paragraph's children (a
    # 4 MB page of <b>x</b> took over five minutes; a review's 32,000 <span> in 480 KB, 13.6 s,
    # and <span>s each holding <b>s got past a guard on children): the reader takes the tags
    # out, keeping the text. The time is measured in benchmarks/extraction.py.
    from assistant.extract import CROWDED_INLINE, html_blocks

    n = CROWDED_INLINE // 2 + 1
    words = "".join(f"<span><b>w{i}</b></span> " for i in range(n))
    page = ("<html><head><title>Crowded</title></head><body><main><h1>Crowded</h1>"
            "<p>Labour inspectors visited farms in the spring.</p><p>Words: "
            + words + "end.</p><p>Closing: <em>twelve</em> referrals.</p></main></body></html>")
    _, blocks, _ = html_blocks(page.encode())
    texts = [b.text for b in blocks]
    assert "Words: " + "".join(f"w{i} " for i in range(n)) + "end." in texts
    assert "Closing: twelve referrals." in texts
    # any inline element, not only emphasis (a probe's 160,000 <label>: 42 s)
    labels = ("<html><head><title>Labels</title></head><body><main><h1>Labels</h1><p>Words: "
              + "".join(f"<label>w{i}</label> " for i in range(CROWDED_INLINE + 1))
              + "end.</p></main></body></html>")
    texts = [b.text for b in html_blocks(labels.encode())[1]]
    assert any(t.startswith("Words: w0 w1 w2") and t.endswith("end.") for t in texts)
