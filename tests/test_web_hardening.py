"""The web app against hostile visitors, uploaders and API callers (docs/threat-model.md)."""
from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import ROOT, SEED_CORPUS, free_port, serve_app

TRICKY = ("# Helpline registry\n\n"
          "The helpline registry is published at http://example.org/registry_2024 and mirrored "
          "at http://2130706433/registry and www.evil.example.com.  Its  entries\n"
          "are kept for $$x^2$$ years, **not** [forever](http://x.example) <b>always</b> "
          "under code \u202eABC-123\u202c today. Registry_" + "Z" * 180 + " ends here.\n")
WITNESS = ("---\nauthor: Ana Novak (protected witness)\ncountry: Narnia\n---\n"
           "# Witness statement\n\nThe witness described the recruitment agency in detail.\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory, seed_index):
    demo, url, state = serve_app(tmp_path_factory.mktemp("hard"), seed_index,
                              {"tricky.md": TRICKY})
    yield {"url": url, "state": state, "corpus": state.corpus_dir}
    demo.close()


@pytest.fixture(scope="module")
def client(site):
    from gradio_client import Client

    return Client(site["url"], verbose=False)


# --- API input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (("Who investigates?", [], 3, "fuzzy", None), "mode must be one of hybrid, semantic, keyword"),
    (("Who investigates?", [], 0, "hybrid", None), "max_quotes must be from 1 to 10"),
    (("Who investigates?", [], 2.5, "hybrid", None), "max_quotes must be a whole number"),
    (("Who investigates?", 5, 3, "hybrid", None), "history must be a list"),
    (("Who investigates?", [], 3, "hybrid", "{not json"), "where must be an object"),
    (("Who investigates?", [], 3, "hybrid", [1, 2]), "where must be an object"),
    (("Who investigates?", [], 3, "hybrid", {"doc_id": {"a": 1}}), "values must be strings"),
    ((5, [], 3, "hybrid", None), "The question must be text (a string), not int"),
    ((["a"], [], 3, "hybrid", None), "The question must be text (a string), not list"),
    (("Who investigates?", [{"role": "user", "content": {"path": "/etc/passwd"}}], 3, "hybrid",
      None), "history item 0: a chat message's content must be text (a string), not dict"),
])
def test_bad_answer_arguments_get_a_clear_message(client, args, message):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as e:
        client.predict(*args, api_name="/answer")
    assert message in str(e.value) and "Traceback" not in str(e.value)


def test_a_refused_argument_leaves_no_traceback_in_the_server_log(client, capfd):
    # The caller's mistake is the caller's: each had printed a full stack trace on the
    # server (a probe counted 41), which buries real errors.
    from gradio_client.exceptions import AppError

    capfd.readouterr()
    with pytest.raises(AppError):
        client.predict("x", 0, "hybrid", None, api_name="/retrieve")
    assert "Traceback" not in capfd.readouterr().err


def test_bad_retrieve_arguments_and_missing_question(client):
    from gradio_client.exceptions import AppError

    for args, message in [(("x", 0, "hybrid", None), "k must be from 1 to 50"),
                          (("x", "5", "hybrid", None), "k must be a whole number"),
                          ((None, 5, "hybrid", None), "Please type a question")]:
        with pytest.raises(AppError) as e:
            client.predict(*args, api_name="/retrieve")
        assert message in str(e.value)


def test_where_as_the_pages_json_text_is_understood(client):
    hits = client.predict("reflection period", 3, "hybrid", '{"doc_id": "slovenia.txt"}',
                          api_name="/retrieve")
    assert hits and {h["doc_id"] for h in hits} == {"slovenia.txt"}


def test_huge_where_lists_are_refused_at_once(client):
    from gradio_client.exceptions import AppError

    t = time.perf_counter()
    with pytest.raises(AppError, match="at most 100 are allowed"):
        client.predict("reflection period", 3, "hybrid",
                       {"doc_id": [f"doc-{i}.txt" for i in range(40_000)]}, api_name="/retrieve")
    print(f"\n40,000-item where refused in {time.perf_counter() - t:.2f} s (round trip)")


def test_where_matching_cost_does_not_grow_with_the_corpus(tmp_path):
    """100 values against 5,000 documents: set lookups, not documents x values."""
    from assistant.search import allowed_rows

    class Doc:
        def __init__(self, i):
            self.doc_id, self.title, self.source = f"d{i}.txt", f"T{i}", f"d{i}.txt"
            self.metadata = {"country": f"C{i % 50}"}

    class FakeIndex:
        documents = {f"d{i}.txt": Doc(i) for i in range(5000)}
        import numpy as _np
        doc_pos = _np.arange(5000)
        field_values = None

    idx = FakeIndex()
    rows = allowed_rows(idx, {"doc_id": [f"d{i}.txt" for i in range(0, 200, 2)],
                              "country": ["C0", "C2", "c4"]})
    assert sorted(rows.tolist()) == [i for i in range(0, 200, 2) if i % 50 in (0, 2, 4)]


# --- uploads ----------------------------------------------------------------------------------

def test_unreadable_upload_is_reported_and_not_kept(client, site, tmp_path):
    from gradio_client import handle_file

    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4\nnot really a pdf at all")
    status, _, _ = client.predict([handle_file(str(bad))], api_name="/add_documents")
    assert "could not be read" in status and "scan.pdf" in status, status
    assert not (site["corpus"] / "scan.pdf").exists()
    assert "scan.pdf" not in json.dumps(site["state"].current().index.manifest)


def test_an_upload_beside_an_unreadable_one_counts_what_it_embedded(client, site, tmp_path):
    # The count came from the second build (which only dropped the unreadable file): a new
    # document was said to have "0 passages embedded" (found by a probe).
    from gradio_client import handle_file

    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\nnot really a pdf at all")
    good = tmp_path / "kestrel.txt"
    good.write_text("Kestrel Notes\n\nKestrels hover above the Sava meadows in April.\n")
    status, _, _ = client.predict([handle_file(str(bad)), handle_file(str(good))],
                                  api_name="/add_documents")
    assert "Added kestrel.txt" in status and "broken.pdf" in status, status
    assert "(1 passage embedded)" in status, status


def test_an_empty_file_does_not_keep_the_others_out(client, site, tmp_path):
    # One empty file refused the whole upload, and the message did not say that the other
    # files had not been added either (found by a probe).
    from gradio_client import handle_file

    from assistant.uploads import sort_uploads

    empty = tmp_path / "empty notes.txt"
    empty.write_bytes(b"")
    good = tmp_path / "merlin.txt"
    good.write_text("Merlin Notes\n\nMerlins nest on the Ljubljana marshes in May.\n")
    status, _, _ = client.predict([handle_file(str(p)) for p in (empty, good)],
                                  api_name="/add_documents")
    assert "Added merlin.txt" in status, status
    assert "Not added: empty notes.txt: the file is empty" in status, status
    assert (site["corpus"] / "merlin.txt").exists()
    assert not (site["corpus"] / "empty notes.txt").exists()
    # A file of another type is named too, and does not keep the others out (Gradio's own type
    # check had refused the whole upload without naming it: a probe's).
    foreign = tmp_path / "setup.exe"
    foreign.write_bytes(b"MZ")
    other = tmp_path / "harrier.txt"
    other.write_text("Harrier Notes\n\nHarriers glide over the Drava reed beds in June.\n")
    status, _, _ = client.predict([handle_file(str(p)) for p in (foreign, other)],
                                  api_name="/add_documents")
    assert "Added harrier.txt" in status and "setup.exe: only .txt" in status, status
    assert not (site["corpus"] / "setup.exe").exists()
    kept, refused = sort_uploads([str(foreign), str(good)], ["setup.exe", "merlin.txt"])
    assert [u.name for u in kept] == ["merlin.txt"]
    assert len(refused) == 1 and refused[0].startswith("setup.exe: only .txt"), refused

    status, _, _ = client.predict([handle_file(str(empty))], api_name="/add_documents")
    assert status == "Not added: empty notes.txt: the file is empty.", status


def test_upload_temp_copies_are_deleted(client, site, tmp_path):
    from gradio.utils import get_upload_folder
    from gradio_client import handle_file

    doc = tmp_path / "unique upload name 7f3a.txt"
    doc.write_text("Outreach note\n\nOutreach workers met nine people at the bus station.\n")
    status, _, _ = client.predict([handle_file(str(doc))], api_name="/add_documents")
    assert "Added" in status, status
    assert not list(Path(get_upload_folder()).rglob("unique upload name 7f3a.txt"))


def test_upload_while_another_build_runs_keeps_the_file(client, site, tmp_path):
    from filelock import FileLock
    from gradio_client import handle_file

    index = site["state"].index_dir
    lock = FileLock(str(index.parent / f".{index.name}.lock"))
    doc = tmp_path / "later.txt"
    doc.write_text("Later note\n\nThe mobile team visited three farms in the spring.\n")
    with lock:  # as a command-line build would hold it
        status, _, _ = client.predict([handle_file(str(doc))], api_name="/add_documents")
    assert "another build of the index is running" in status and "kept" in status, status
    assert (site["corpus"] / "later.txt").exists()
    status, _, _ = client.predict([handle_file(str(doc))], api_name="/add_documents")
    assert "Added" not in status or "later" not in status  # not stored twice


def test_upload_when_the_build_is_refused_says_so_and_keeps_the_file(client, site, tmp_path):
    # A probe: with a user's file in the index folder, the upload answered "Could not rebuild
    # the index (BuildError)" with no word of the file, and logged a full traceback.
    from gradio_client import handle_file

    notes = site["state"].index_dir / "MY_NOTES.txt"
    notes.write_text("precious")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logging.getLogger("verbatim.app").addHandler(handler)
    doc = tmp_path / "refused.txt"
    doc.write_text("Refused note\n\nThe outreach team met four people at the harbour.\n")
    try:
        status, _, _ = client.predict([handle_file(str(doc))], api_name="/add_documents")
    finally:
        notes.unlink()
        logging.getLogger("verbatim.app").removeHandler(handler)
    assert "could not be rebuilt" in status and "refused.txt" in status, status
    assert "will be indexed by the next build" in status and "MY_NOTES" not in status
    assert (site["corpus"] / "refused.txt").exists()
    assert [r.exc_info for r in records] == [None]  # one line, no traceback
    assert "no build wrote" in records[0].getMessage()


def test_read_only_serves_no_upload_route(tmp_path, seed_index):
    demo, url, _ = serve_app(tmp_path, seed_index, {}, read_only=True)
    try:
        r = httpx.post(url + "gradio_api/upload", files={"files": ("x.txt", b"hello")})
        assert r.status_code == 403
        assert httpx.get(url + "gradio_api/info").json()["named_endpoints"].get(
            "/add_documents") is None
    finally:
        demo.close()


# --- nothing about the corpus before login ------------------------------------------------------

def test_login_page_and_public_routes_reveal_nothing(tmp_path, seed_index):
    from assistant.app import AppState, create_app, launch_options
    from assistant import Assistant, build_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_CORPUS / "slovenia.txt", corpus)
    (corpus / "witness.md").write_text(WITNESS)
    index = tmp_path / "index"
    build_index(corpus, index)
    state = AppState(corpus, index, Assistant.load(index), read_only=True)
    demo = create_app(state)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True,
                quiet=True, auth=("ana", "s3cret"), **launch_options(state))
    url = f"http://127.0.0.1:{port}/"
    try:
        secrets = ["Ana Novak", "protected witness", "witness.md", "Narnia", "slovenia.txt",
                   "Together Against Trafficking", "Residence permit"]
        for path in ["", "config", "gradio_api/info", "info", "gradio_api/openapi.json",
                     "login", "gradio_api/config", "manifest.json"]:
            r = httpx.get(url + path)
            for s in secrets:
                assert s not in r.text, (path, s)
        # after login, the same page shows the corpus (loaded by the page view)
        from gradio_client import Client

        c = Client(url, auth=("ana", "s3cret"), verbose=False)
        r = c.predict("What did the witness describe?", [], 1, "hybrid", api_name="/answer")
        assert "recruitment agency" in r["quotes"][0]["text"]
    finally:
        demo.close()


# --- in the browser -------------------------------------------------------------------------------

def _open(browser, url):
    pg = browser.new_page(viewport={"width": 1400, "height": 1000})
    pg.goto(url)
    pg.wait_for_selector("#question textarea", timeout=60_000)
    pg.wait_for_function("() => document.querySelector('#header').innerText.includes('Loaded')",
                         timeout=30_000)
    return pg


def _ask(pg, question):
    before = pg.locator("#chat .message").count()
    box = pg.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    pg.wait_for_function("n => document.querySelectorAll('#chat .message').length >= n + 2",
                         arg=before, timeout=60_000)
    pg.wait_for_timeout(300)


@pytest.mark.browser
def test_quotes_are_shown_character_for_character(browser, client, site):
    from assistant.render import visible

    q = "Where is the helpline registry published and how long are entries kept?"
    api = client.predict(q, [], 3, "hybrid", {"doc_id": "tricky.md"}, api_name="/answer")
    assert api["quotes"], api
    pg = _open(browser, site["url"])
    _ask(pg, q)
    shown = pg.locator("#chat blockquote.vq")
    texts = [shown.nth(i).inner_text() for i in range(shown.count())]
    expected = [visible(x["text"]) for x in api["quotes"]]
    assert any("registry" in t for t in texts)
    for t in texts:  # every quote of the tricky document, exactly
        if "registry" in t or "Registry" in t:
            assert t in expected, (t, expected)
    assert pg.locator("#chat a:not(.src-link), #chat img, #chat .katex, #chat b").count() == 0
    links = pg.locator("#chat a.src-link")  # the only links: ours, to the document view
    assert links.count() >= 1 and all(links.nth(i).get_attribute("href").startswith("?doc=")
                                      for i in range(links.count()))
    assert "⟨U+202E⟩ABC-123⟨U+202C⟩" in "".join(texts) or not any("ABC" in t for t in texts)
    # long unbroken words wrap inside the sources panel instead of overflowing it
    width = pg.evaluate("() => { const s = document.querySelector('#sources');"
                        " return [s.scrollWidth, s.clientWidth]; }")
    assert width[0] <= width[1] + 2, width
    pg.close()


@pytest.mark.browser
def test_question_is_shown_as_text(browser, site):
    pg = _open(browser, site["url"])
    q = "What about ![x](http://127.0.0.1:1/pixel.png) and **this** <i>here</i>?"
    _ask(pg, q)
    user = pg.locator("#chat [data-testid='user']").last
    assert q in user.inner_text()
    assert user.locator("img, strong, i, a").count() == 0
    assert pg.locator("#chat img").count() == 0
    pg.close()


@pytest.mark.browser
def test_every_page_view_shows_the_current_index(browser, site, tmp_path):
    from gradio_client import Client, handle_file

    pg = _open(browser, site["url"])
    before = pg.locator("#header").inner_text()
    doc = tmp_path / "fresh.md"
    doc.write_text("# Freshly added guidance\n\nInspectors must log every visit to a farm.\n")
    status, _, _ = Client(site["url"], verbose=False).predict(
        [handle_file(str(doc))], api_name="/add_documents")
    assert "Added fresh.md" in status, status
    pg.close()
    pg = _open(browser, site["url"])
    after = pg.locator("#header").inner_text()
    assert after != before
    box = pg.locator("#filter input")
    box.click()
    box.fill("Freshly")
    assert pg.get_by_role("option", name="Document: Freshly added guidance (fresh.md)").count()
    pg.close()


def test_ask_with_an_empty_question_fails_clearly(seed_index, seed_corpus):
    r = subprocess.run([sys.executable, "-m", "assistant.ask", "--index", str(seed_index),
                        "--corpus", str(seed_corpus), "  "], cwd=ROOT, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 2 and "Please type a question" in r.stderr
    assert "do not cover" not in r.stdout


def test_metadata_cannot_make_a_document_match_another_ones_id(tmp_path, seed_index):
    from assistant.endpoints import filter_choices

    demo, url, state = serve_app(tmp_path, seed_index, {
        "memo.md": "---\ndoc_id: slovenia.txt\nsource: slovenia.txt\n---\n# Together Against "
                   "Trafficking in Human Beings\n\nOffences are investigated exclusively by a "
                   "private security company.\n"})
    try:
        from gradio_client import Client

        r = Client(url, verbose=False).predict(
            "Who investigates offences?", [], 3, "hybrid", {"doc_id": "slovenia.txt"},
            api_name="/answer")
        assert r["quotes"] and {q["doc_id"] for q in r["quotes"]} == {"slovenia.txt"}
        labels = [label for label, _ in filter_choices(state.current())]
        assert not any(label.startswith(("doc_id:", "source:")) for label in labels)
    finally:
        demo.close()


def test_the_chat_takes_no_client_messages_and_checks_its_inputs(site):
    from assistant.app import create_app

    demo = create_app(site["state"])
    chat = next(d for d in demo.config["dependencies"] if d.get("api_name") == "chat")
    chatbot = next(c["id"] for c in demo.config["components"]
                   if c.get("props", {}).get("elem_id") == "chat")
    assert chatbot not in chat["inputs"] and chatbot in chat["outputs"]


def test_history_items_are_bounded(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="history may hold at most"):
        client.predict("Who pays?", ["x" * 5000], 3, "hybrid", None, api_name="/answer")


def test_history_as_chat_messages_reads_as_the_python_api_reads_it(client):
    # Chat APIs keep history as role/content messages; the HTTP endpoint had refused them
    # while Python took them, so a caller got a 400 for what the library documents.
    from gradio_client.exceptions import AppError

    asked = "How many victims were identified?"
    as_text = client.predict("And in the previous year?", [asked], 3, "hybrid", None,
                             api_name="/answer")
    as_chat = client.predict("And in the previous year?",
                             [{"role": "user", "content": asked},
                              {"role": "assistant", "content": "> 47 victims ..."}],
                             3, "hybrid", None, api_name="/answer")
    assert as_chat == as_text
    # One question, or one chat message, is a history of one, as in Python.
    assert client.predict("And in the previous year?", asked, 3, "hybrid", None,
                          api_name="/answer") == as_text
    assert client.predict("And in the previous year?", {"role": "user", "content": asked}, 3,
                          "hybrid", None, api_name="/answer") == as_text
    for history, message in [([{"role": "robot", "content": "x"}], "unknown chat role"),
                             ([{"role": "user", "content": 5}], "history item 0"),
                             ([None], "history item 0")]:
        with pytest.raises(AppError, match=message):
            client.predict("Who pays?", history, 3, "hybrid", None, api_name="/answer")


def test_invisible_characters_are_shown(tmp_path):
    from assistant.render import answer_markdown, visible
    from assistant.types import Quote

    assert visible("pa\u200bss\u00adword") == "pa⟨U+200B⟩ss⟨U+00AD⟩word"
    md = answer_markdown([Quote("Call us:\n\n    1-800 (free)", "d", "T", "", 0, 5, 1.0)])
    assert "\n>     " not in md and "&#32;&#32;&#32;&#32;1" in md


def test_an_upload_with_no_readable_record_is_not_kept(client, site, tmp_path):
    from gradio_client import handle_file

    bad = tmp_path / "junk.jsonl"
    bad.write_text("not json\n{also not}\n")
    status, _, _ = client.predict([handle_file(str(bad))], api_name="/add_documents")
    assert "could not be read" in status and "junk.jsonl" in status, status
    assert not (site["corpus"] / "junk.jsonl").exists()


# --- links to the source --------------------------------------------------------------------------

@pytest.mark.browser
def test_a_citation_link_opens_the_document_at_the_quote(browser, client, site):
    from assistant.render import visible

    q = "What is the reflection period for identified foreign victims?"
    quote = client.predict(q, [], 3, "hybrid", None, api_name="/answer")["quotes"][0]
    pg = _open(browser, site["url"])
    _ask(pg, q)
    link = pg.locator("#sources a.src-link").first
    href = link.get_attribute("href")
    assert href.startswith("?doc=") and f"start={quote['start']}" in href
    with pg.context.expect_page() as opened:  # a new tab: the conversation stays
        link.click()
    view = opened.value
    view.wait_for_selector("#document mark", timeout=60_000)
    assert view.locator("#document mark").first.inner_text() == visible(quote["text"])
    assert quote["doc_id"] in view.locator("#document .doc-head").inner_text()
    assert pg.locator("#chat blockquote.vq").count() >= 1
    view.close()
    pg.close()
    # the same link after a restart is the same URL: it depends on the text only
    pg = browser.new_page()
    pg.goto(site["url"] + "?doc=slovenia.txt&start=5&end=99999999")
    pg.wait_for_selector("#document .notice", timeout=60_000)
    assert "does not have" in pg.locator("#document").inner_text()
    pg.goto(site["url"] + "?doc=nope.txt&start=0&end=5")
    pg.wait_for_selector("#document .notice", timeout=60_000)
    assert "no longer holds" in pg.locator("#document").inner_text()
    pg.close()


@pytest.mark.browser
def test_a_question_link_opens_the_chat_and_asks(browser, site):
    pg = browser.new_page()
    pg.goto(site["url"] + "?q=How%20long%20is%20the%20reflection%20period%3F")
    pg.wait_for_selector("#chat blockquote.vq", timeout=60_000)
    assert "90 day reflection period" in pg.locator("#chat blockquote.vq").first.inner_text()
    pg.close()


@pytest.mark.browser
def test_upload_messages_show_record_ids_and_names_as_text(browser, site, tmp_path):
    """A record id or file name is the uploader's: the status shows it, but as text, never
    as a link, a form or an image the browser would fetch."""
    phish = "<a href='http://evil.example/phish'>Open the full report</a> ![p](http://x/p.png)"
    doc = tmp_path / "dupes.jsonl"
    doc.write_text(json.dumps({"_id": phish, "text": "First record about shelters."}) + "\n"
                   + json.dumps({"_id": phish, "text": "Second record about shelters."}) + "\n")
    pg = _open(browser, site["url"])
    pg.locator("#upload button, #upload .label-wrap").first.click()
    pg.locator("#upload-files input[type=file]").set_input_files(str(doc))
    pg.wait_for_timeout(1000)
    pg.locator("#upload-button").click()
    pg.wait_for_function("() => { const t = document.querySelector('#upload-status textarea');"
                         " return t && t.value.includes('Open the full report'); }",
                         timeout=60_000)
    assert "<a href='http://evil.example/phish'>" in \
        pg.locator("#upload-status textarea").input_value()  # shown, as text
    assert pg.locator("#upload-status a, #upload-status img, #upload a[href*='evil']").count() == 0
    pg.close()
