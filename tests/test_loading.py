import json
import os

from assistant.loading import discover, load_file, parse_text


def load_all(folder):
    files, skipped = discover(folder)
    docs = []
    for f in files:
        docs.extend(load_file(f, skipped.append))
    return docs, skipped


def reasons(skipped):
    return {s.path: s.reason for s in skipped}


def test_seed_title_sections_and_metadata(seed_corpus):
    docs, skipped = load_all(seed_corpus)
    assert skipped == []
    (doc,) = docs
    assert doc.doc_id == "slovenia.txt"
    assert doc.title == "Together Against Trafficking in Human Beings"
    headings = [s.heading for s in doc.sections]
    assert "Residence permit" in headings
    assert "Investigation and prosecution" in headings
    assert doc.metadata["country"] == "Slovenia"
    body = "".join(doc.text[s.start:s.end] for s in doc.sections)
    for meta_line in ("Section Member States", "Country Slovenia", "TOC Heading"):
        assert meta_line in doc.text  # the text is kept as it is...
        assert meta_line not in body  # ...but page metadata is never body text
    assert "Residence permit\n" not in body  # headings are not body either


def test_text_is_file_content_with_normalised_newlines(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"Title\r\n\r\nFirst paragraph here.\rSecond line.\r\n")
    (doc,), _ = load_all(tmp_path)
    assert doc.text == "Title\n\nFirst paragraph here.\nSecond line.\n"


def test_markdown_heading_and_front_matter(tmp_path):
    (tmp_path / "notes.md").write_text(
        "---\ncountry: Austria\n---\n# Report on Austria\n\nIntro text here.\n\n"
        "## Shelters\nThere are three shelters.\n\nShort heading\n\nBody under it.\n",
        encoding="utf-8")
    (doc,), _ = load_all(tmp_path)
    assert doc.title == "Report on Austria"
    assert doc.metadata["country"] == "Austria"
    assert [s.heading for s in doc.sections] == ["", "Shelters", "Short heading"]
    assert doc.text[doc.sections[1].start:doc.sections[1].end] == "There are three shelters."


def test_bad_files_are_reported_and_skipped(tmp_path):
    (tmp_path / "good.txt").write_text("Good\n\nSome real content here.", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 au lait is nice.".encode("latin-1"))
    (tmp_path / "empty.md").write_text("   \n\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (tmp_path / "ignored.csv").write_text("a,b", encoding="utf-8")
    docs, skipped = load_all(tmp_path)
    assert [d.doc_id for d in docs] == ["good.txt"]
    r = reasons(skipped)
    assert "not valid UTF-8" in r["latin1.txt"]
    assert r["empty.md"] == "empty file"
    assert "binary" in r["binary.txt"]
    assert "ignored.csv" not in r


def test_files_under_a_wrong_ending_are_named_for_what_they_hold(tmp_path):
    # A PDF or a ZIP saved as .html had been indexed as the characters of its binary form
    # (found by a probe); their opening bytes say what they are.
    import random

    (tmp_path / "good.html").write_text("<html><body><h1>Notes</h1><p>The shelter has twelve "
                                        "beds and opened in 2019.</p></body></html>")
    (tmp_path / "report.html").write_bytes(b"%PDF-1.4\n%\xd3\xeb\xe9\xe1\n1 0 obj\n<<>>\n")
    (tmp_path / "archive.htm").write_bytes(b"PK\x03\x04\x14\x00" + b"hello world " * 20)
    rng = random.Random(7)
    noise = bytes(rng.randrange(1, 256) for _ in range(3000))  # no NUL
    (tmp_path / "noise.txt").write_bytes(noise)
    (tmp_path / "page.txt").write_text("Form feeds\f and escapes \x1b[0m stay text.\n\nMore.")
    # A review's: text that only looks so at first, or holds a control character or two
    (tmp_path / "pdf-note.txt").write_text("%PDF-1.7 is the format of most reports we get.")
    (tmp_path / "gif-note.md").write_text("GIF89a files are images, not documents.")
    (tmp_path / "dos.txt").write_bytes(b"Hotline: 112.\r\n\x1a")
    (tmp_path / "manpage.txt").write_bytes(b"N\x08NA\x08AM\x08ME\n\nshelter - a safe place")
    docs, skipped = load_all(tmp_path)
    assert sorted(d.doc_id for d in docs) == ["dos.txt", "gif-note.md", "good.html",
                                              "manpage.txt", "page.txt", "pdf-note.txt"]
    r = reasons(skipped)
    assert r["report.html"] == "not an HTML page but a PDF document; give it the .pdf ending"
    assert r["archive.htm"].startswith("not an HTML page but a ZIP archive")
    assert r["noise.txt"] == "not text but binary content"


def test_utf16_text_and_pages_are_read(tmp_path):
    # A review's: a page saved as UTF-16 ("Unicode", with its byte-order mark) was refused;
    # browsers read it, and so did the reader before.
    (tmp_path / "wide.txt").write_bytes("Notes\n\nThe shelter has twelve beds.".encode("utf-16"))
    (tmp_path / "wide.html").write_bytes(
        "<html><head><title>Wide page</title></head><body><main><h1>Wide page</h1><p>The "
        "hotline answers in eight languages, day and night.</p></main></body></html>"
        .encode("utf-16"))
    (tmp_path / "broken.txt").write_bytes("Notes".encode("utf-16") + b"\x00\xd8")
    docs, skipped = load_all(tmp_path)
    text = {d.doc_id: d.text for d in docs}
    assert "The shelter has twelve beds." in text["wide.txt"]
    assert "answers in eight languages" in text["wide.html"]
    assert reasons(skipped)["broken.txt"].startswith("not valid UTF-16")


def test_utf32_utf16_without_a_mark_and_stray_nuls_are_read(tmp_path):
    # A probe's: UTF-32 had been read as UTF-16 (its mark opens like UTF-16's), text saved as
    # UTF-16 without a mark and a text with one stray NUL were lost as "binary content", and
    # a text opening with "%PDF-1.7" that spoke of an "object" was taken for a PDF.
    (tmp_path / "u32.txt").write_bytes("Notes\n\nThe shelter has twelve beds.".encode("utf-32"))
    (tmp_path / "le.txt").write_bytes("Notes\n\nThe hotline is free.".encode("utf-16-le"))
    (tmp_path / "be.html").write_bytes("<html><body><main><h1>Page</h1><p>The office opens at "
                                       "nine every weekday.</p></main></body></html>"
                                       .encode("utf-16-be"))
    (tmp_path / "nul.txt").write_bytes(b"Notes\n\n" + b"Victims may stay. " * 300 + b"\x00end.")
    (tmp_path / "pdf-words.txt").write_text("%PDF-1.7 is the format the ministry uses. Each "
                                            "object in the file is numbered.")
    docs, skipped = load_all(tmp_path)
    text = {d.doc_id: d.text for d in docs}
    assert not skipped, skipped
    assert "The shelter has twelve beds." in text["u32.txt"]
    assert "The hotline is free." in text["le.txt"]
    assert "opens at nine every weekday" in text["be.html"]
    assert text["nul.txt"].endswith("Victims may stay. end.")
    assert "Each object in the file is numbered." in text["pdf-words.txt"]


def test_recursive_ids_are_relative_paths(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "deeper" / "x.md").write_text("# X\n\nText of x.", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "y.txt").write_text("Y\n\nhidden", encoding="utf-8")
    docs, _ = load_all(tmp_path)
    assert [d.doc_id for d in docs] == ["sub/deeper/x.md"]


def test_symlink_outside_corpus_is_skipped(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("Secret\n\nNot part of the corpus.", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    os.symlink(outside, corpus / "link.txt")
    docs, skipped = load_all(corpus)
    assert docs == []
    assert "outside the corpus" in reasons(skipped)["link.txt"]


def test_jsonl_documents_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"_id": "d1", "title": "One", "text": "First document text.",
                    "metadata": {"country": "Slovenia"}}),
        "{not json",
        json.dumps({"id": 7, "title": "Seven", "text": "Integer id is fine."}),
        json.dumps({"title": "No id", "text": "x"}),
        json.dumps({"_id": "d2", "title": "Bad text", "text": 5}),
        json.dumps({"_id": "d3", "title": ["wrong"], "text": "x"}),
        json.dumps({"_id": "d1", "title": "Dup", "text": "Duplicate id."}),
        json.dumps(["not", "an", "object"]),
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, skipped = load_all(tmp_path)
    assert [d.doc_id for d in docs] == ["c.jsonl#d1", "c.jsonl#7"]
    assert docs[0].metadata == {"country": "Slovenia"} and docs[0].title == "One"
    r = reasons(skipped)
    assert set(r) == {f"c.jsonl line {n}" for n in (2, 4, 5, 6, 7, 8)}
    assert "JSON" in r["c.jsonl line 2"]
    assert '"_id"' in r["c.jsonl line 4"]
    assert '"text"' in r["c.jsonl line 5"]
    assert '"title"' in r["c.jsonl line 6"]
    assert "duplicate" in r["c.jsonl line 7"]


def test_unreadable_file_is_skipped(tmp_path, monkeypatch):
    # Root (as in CI) reads any file whatever its mode, so simulate the permission error.
    from pathlib import Path

    p = tmp_path / "locked.txt"
    p.write_text("Locked\n\ntext", encoding="utf-8")
    (tmp_path / "fine.txt").write_text("Fine\n\ntext", encoding="utf-8")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    docs, skipped = load_all(tmp_path)
    assert [d.doc_id for d in docs] == ["fine.txt"]
    assert reasons(skipped)["locked.txt"] == "cannot read: Permission denied"


def test_heading_rules():
    doc = parse_text("d", "Title line\n\nA paragraph that is body text. It has two sentences.\n\n"
                     "More can be found at the following link:\n\nNext heading\n\nBody.\n",
                     markdown=False)
    assert doc.title == "Title line"
    assert [s.heading for s in doc.sections] == ["", "Next heading"]


# --- found by probing the corpus folder -------------------------------------------------------

def test_what_is_not_a_regular_file_is_skipped_with_a_reason_never_read(tmp_path):
    # A named pipe called inbox.txt had blocked the build, the chat's start and "ask" for ever;
    # a link that loops had crashed them with a traceback.
    (tmp_path / "fine.txt").write_text("Fine\n\ntext", encoding="utf-8")
    os.mkfifo(tmp_path / "inbox.txt")
    os.symlink("loop.txt", tmp_path / "loop.txt")
    os.symlink("gone.txt", tmp_path / "broken.txt")
    files, skipped = discover(tmp_path)
    assert [f.rel for f in files] == ["fine.txt"]
    why = reasons(skipped)
    assert "not a regular file" in why["inbox.txt"]
    assert "loops" in why["loop.txt"] and "does not exist" in why["broken.txt"]


def test_folders_left_out_are_named(tmp_path, monkeypatch):
    (tmp_path / "fine.txt").write_text("Fine\n\ntext", encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "a.txt").write_text("A\n\ntext", encoding="utf-8")
    elsewhere = tmp_path.parent / (tmp_path.name + "-elsewhere")
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text("B\n\ntext", encoding="utf-8")
    os.symlink(elsewhere, tmp_path / "linked")
    real = os.scandir

    def scandir(path="."):  # root reads any folder whatever its mode: simulate the refusal
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, skipped = discover(tmp_path)
    assert [f.rel for f in files] == ["fine.txt"]
    why = reasons(skipped)
    assert why["locked/"] == "cannot read this folder: Permission denied"
    assert "link to a folder, not followed" in why["linked/"]


def test_skipped_names_reach_the_terminal_escaped():
    from assistant.types import SkippedFile

    shown = str(SkippedFile("bad\nname\x1b[31mred.txt", "empty file"))
    assert "\n" not in shown and "\x1b" not in shown and "red.txt" in shown
    assert str(SkippedFile("plain ščž.txt", "empty file")) == "plain ščž.txt: empty file"
