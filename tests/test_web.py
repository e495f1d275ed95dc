"""The web chat against a live server on 127.0.0.1: API through gradio_client, page in Chromium."""
from __future__ import annotations


import pytest

from conftest import free_port, save_screenshot, serve_app

EVIL = """# Hostile page

The shelter hotline is open daily <script>window.__pwned = 1</script> from eight to eight.
Staff <img src=x onerror="window.__pwned = 2"> answer every call in person.
<b id="injected">Injected bold</b> and [call the hotline](javascript:window.__pwned=3) **now**.
"""

@pytest.fixture(scope="module")
def server(tmp_path_factory, seed_index):
    demo, url, state = serve_app(tmp_path_factory.mktemp("web"), seed_index, {"evil.md": EVIL})
    yield {"url": url, "corpus": state.corpus_dir, "state": state}
    demo.close()


@pytest.fixture(scope="module")
def client(server):
    from gradio_client import Client

    return Client(server["url"], verbose=False)


def test_api_answer_quotes_with_citation(client):
    r = client.predict("What is the reflection period for identified foreign victims?", [], 3,
                       "hybrid", api_name="/answer")
    assert not r["abstained"]
    assert "90 day reflection period" in r["quotes"][0]["text"]
    assert r["quotes"][0]["doc_id"] == "slovenia.txt"
    assert "[1] Together Against Trafficking in Human Beings, Residence permit" in r["markdown"]
    assert r["tentative"] is False and r["caveats"] == []
    later = client.predict("How long was the reflection period in 2019?", [], 3, "hybrid",
                           api_name="/answer")  # the page never names 2019
    assert later["tentative"] and "the document quoted never mentions “2019”" in later["caveats"]


def test_api_follow_up(client):
    r = client.predict("Who pays for it?", ["What help is available for victims?"], 3, "hybrid",
                       api_name="/answer")
    assert "EUR 90,000" in r["quotes"][0]["text"]


def test_api_off_topic_abstains(client):
    r = client.predict("What is the capital of Australia?", [], 3, "hybrid", api_name="/answer")
    assert r["abstained"] and r["quotes"] == []


def test_api_retrieve(client):
    hits = client.predict("Article 187", 3, "keyword", api_name="/retrieve")
    assert "Article 187" in hits[0]["text"] and len(hits) <= 3


def test_api_rejects_bad_questions_cleanly(client):
    from gradio_client.exceptions import AppError

    for q in ["", "x" * 100_000]:
        with pytest.raises(AppError) as e:
            client.predict(q, [], 3, "hybrid", api_name="/answer")
        assert "Traceback" not in str(e.value)
    # ...and keeps serving afterwards
    assert not client.predict("Who investigates trafficking?", [], 1, "hybrid",
                              api_name="/answer")["abstained"]


def test_upload_then_ask(client, server):
    from gradio_client import handle_file

    src = server["corpus"].parent / "upload src"
    src.mkdir()
    doc = src / "new report.md"
    doc.write_text("# Night shelter report\n\nThe night shelter in Maribor opened in March 2021 "
                   "with fourteen beds for survivors.\n", encoding="utf-8")
    status, _, _ = client.predict([handle_file(str(doc))], api_name="/add_documents")
    assert "Added new_report.md" in status, status
    assert (server["corpus"] / "new_report.md").exists()
    r = client.predict("How many beds does the night shelter in Maribor have?", [], 3, "hybrid",
                       api_name="/answer")
    assert "fourteen beds" in r["quotes"][0]["text"]
    assert r["quotes"][0]["doc_id"] == "new_report.md"
    # the same file again is not stored twice
    status, _, _ = client.predict([handle_file(str(doc))], api_name="/add_documents")
    assert "already in the corpus: new report.md (same content as new_report.md)" in status
    assert not (server["corpus"] / "new_report-1.md").exists()
    # another file of the same name is saved beside it, never over it
    doc.write_text("# Day centre report\n\nThe day centre in Koper opened in May 2022 for "
                   "people referred by labour inspectors.\n", encoding="utf-8")
    status, _, _ = client.predict([handle_file(str(doc))], api_name="/add_documents")
    assert "Added new_report-1.md" in status, status
    assert "fourteen beds" in (server["corpus"] / "new_report.md").read_text()


def test_upload_limits(server, tmp_path):
    from assistant.app import UPLOAD_MAX_FILES, safe_name, save_uploads

    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\..\\x.md") == "x.md"
    assert safe_name(".hidden.txt") == "hidden.txt"
    # letters of any script stay (a probe's "ünïcödé ✓.md" had become "n_c_d.md"); direction
    # and control characters do not; a long name fits a file system's 255 bytes
    assert safe_name("poročilo 2023.pdf") == "poročilo_2023.pdf"
    assert safe_name("ab\u202ecd\x00.txt") == "ab_cd.txt"
    assert len(safe_name("日本語" * 60 + ".txt").encode()) <= 255
    bad = tmp_path / "x.exe"
    bad.write_bytes(b"MZ")
    with pytest.raises(ValueError, match="only"):
        save_uploads([str(bad)], ["x.exe"], server["corpus"])
    ok = tmp_path / "ok.txt"
    ok.write_text("fine")
    with pytest.raises(ValueError, match="at most"):
        save_uploads([str(ok)] * (UPLOAD_MAX_FILES + 1), ["ok.txt"] * (UPLOAD_MAX_FILES + 1),
                     server["corpus"])


def test_read_only_hides_upload(seed_index, seed_corpus):
    from assistant.app import AppState, create_app
    from assistant import Assistant

    state = AppState(seed_corpus, seed_index, Assistant.load(seed_index), read_only=True)
    demo = create_app(state)
    names = {d.get("api_name") for d in demo.config["dependencies"]}
    assert "add_documents" not in names
    assert "retrieve" in names and "answer" in names


# --- in a real browser -------------------------------------------------------------------

@pytest.fixture(scope="module")
def page(server, browser):
    pg = browser.new_page(viewport={"width": 1400, "height": 1000})
    pg.goto(server["url"])
    pg.wait_for_selector("#question textarea", timeout=60_000)
    yield pg
    pg.close()


def ask(page, question):
    before = page.locator("#chat .message").count()
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#chat .message').length >= n + 2", arg=before,
        timeout=60_000)
    page.wait_for_timeout(300)
    return page.locator("#chat .message").last.inner_text()


@pytest.mark.browser
def test_browser_question_shows_quote_citation_and_highlight(page, tmp_path):
    assert "documents" in page.locator("#header").inner_text()
    text = ask(page, "What is the reflection period for identified foreign victims?")
    assert "Identified foreign victims are granted a 90 day reflection period." in text
    assert "[1] Together Against Trafficking in Human Beings, Residence permit" in text
    assert page.locator("#chat blockquote").count() >= 1
    mark = page.locator("#sources mark").first
    assert "90 day reflection period" in mark.inner_text()
    assert "[1]" in page.locator("#sources").inner_text()
    assert save_screenshot(page, "answer.png", tmp_path).stat().st_size > 10_000


@pytest.mark.browser
def test_browser_malicious_document_is_shown_as_text(page, tmp_path):
    text = ask(page, "When is the shelter hotline open and who answers the calls?")
    page.wait_for_timeout(500)
    assert "<script>" in text or "<img" in text  # shown literally, as text
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.locator("#injected").count() == 0
    assert page.locator("#chat img[src='x'], #sources img[src='x']").count() == 0
    assert page.locator("#chat a[href^='javascript'], #sources a[href^='javascript']").count() == 0
    assert page.locator("#chat script, #sources script").count() == 0
    save_screenshot(page, "evil.png", tmp_path)


@pytest.mark.browser
def test_browser_off_topic_and_empty(page):
    assert "do not cover" in ask(page, "How do I bake bread?")
    box = page.locator("#question textarea")
    box.fill("   ")
    box.press("Enter")
    page.wait_for_timeout(1500)
    assert "Traceback" not in page.content()


@pytest.mark.browser
def test_browser_follow_up_uses_chat_history(page):
    ask(page, "What help is available for victims?")
    text = ask(page, "Who pays for it?")
    assert "EUR 90,000" in text


@pytest.mark.browser
def test_browser_chat_panels_clear_button_starts_a_new_conversation(page):
    """The chat panel's trash button clears the conversation the answers are read with, not
    only what the page shows."""
    ask(page, "What help is available for victims?")
    page.locator("#chat button[aria-label='Clear']").click()
    page.wait_for_function("() => document.querySelectorAll('#chat .message').length == 0",
                           timeout=10_000)
    page.wait_for_timeout(500)
    text = ask(page, "Who pays for it?")
    shown = " ".join(page.locator("#chat .message").all_inner_texts())
    assert "What help is available" not in shown  # the cleared exchange did not come back
    # "it" stands for nothing now: read alone, the question is refused (with the history it
    # was answered with the funding sentence)
    assert "do not cover" in text


@pytest.mark.browser
def test_browser_an_example_question_is_asked_when_clicked(page):
    page.locator("button:has-text('New conversation')").click()
    page.wait_for_function("() => document.querySelectorAll('#chat .message').length == 0",
                           timeout=10_000)
    page.wait_for_selector("#examples .gallery button", timeout=30_000)  # filled on page load
    example = page.locator("#examples .gallery button").first
    asked = example.inner_text().strip()[:30]  # (the button shortens a long one)
    example.click()
    page.wait_for_function("() => document.querySelectorAll('#chat .message').length >= 2",
                           timeout=60_000)
    assert asked and page.locator("#chat .message").first.inner_text().startswith(asked)


@pytest.mark.browser
def test_browser_search_in_one_document(page):
    """The "Search in" menu restricts answers to the chosen document."""
    def choose(label):
        box = page.locator("#filter input")
        box.click()
        box.fill(label[:12])
        page.get_by_role("option", name=label).first.click()
        page.wait_for_timeout(300)

    choose("Document: Hostile page (evil.md)")
    text = ask(page, "When is the shelter hotline open?")
    assert "Hostile page" in text and "Together Against Trafficking" not in text
    text = ask(page, "What is the reflection period for identified foreign victims?")
    assert "90 day reflection period" not in text  # that answer lives in the other document
    choose("All documents")
    text = ask(page, "What is the reflection period for identified foreign victims?")
    assert "90 day reflection period" in text


def test_auth_protects_page_and_api(seed_index, seed_corpus):
    import httpx
    from gradio_client import Client

    from assistant import Assistant
    from assistant.__main__ import parse_auth
    from assistant.app import AppState, create_app

    assert parse_auth("ana:s3cret:x") == ("ana", "s3cret:x")
    assert parse_auth("nopassword") == () and parse_auth(None) is None
    state = AppState(seed_corpus, seed_index, Assistant.load(seed_index), read_only=True)
    demo = create_app(state)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                auth=("ana", "s3cret"))
    url = f"http://127.0.0.1:{port}/"
    try:
        assert httpx.get(url + "config").status_code in (401, 403)
        with pytest.raises(Exception):
            Client(url, verbose=False)
        c = Client(url, auth=("ana", "s3cret"), verbose=False)
        r = c.predict("How long is the reflection period?", [], 1, "hybrid", api_name="/answer")
        assert "90 day" in r["quotes"][0]["text"]
    finally:
        demo.close()
