"""Taking answers away from the page: the copy button, the exported conversation, the chat's
citation links and the merged sources panel, in Chromium against a live server."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from assistant.render import tentative_label
from conftest import save_screenshot, serve_app
from test_web_hardening import TRICKY, _ask, _open

HOURS = ("# Helpline hours\n\n"
         "The night helpline opens at ten in the evening. "
         "The night helpline closes at six in the morning. "
         "Volunteers staff the night helpline in pairs.\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory, seed_index):
    demo, url, state = serve_app(tmp_path_factory.mktemp("take"), seed_index,
                              {"tricky.md": TRICKY, "hours.md": HOURS})
    yield {"url": url, "state": state}
    demo.close()


@pytest.fixture(scope="module")
def client(site):
    from gradio_client import Client

    return Client(site["url"], verbose=False)


def quotes_of(reply: dict) -> list:
    return [SimpleNamespace(**q) for q in reply["quotes"]]


REGISTRY_Q = "Where is the helpline registry published and how long are entries kept?"


@pytest.mark.browser
def test_copy_button_copies_the_quotes_and_their_citations(browser, client, site):
    from assistant.render import copy_text, visible

    reply = client.predict(REGISTRY_Q, [], 3, "hybrid", None, api_name="/answer")
    assert reply["quotes"] and not reply["abstained"]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"],
                              origin=site["url"].rstrip("/"))
    pg = context.new_page()
    pg.goto(site["url"])
    pg.wait_for_selector("#question textarea", timeout=60_000)
    _ask(pg, REGISTRY_Q)
    button = pg.locator("#chat button.vq-copy").last
    button.click()
    pg.wait_for_function("() => [...document.querySelectorAll('#chat button.vq-copy')]"
                         ".some(b => b.textContent === 'Copied')", timeout=10_000)
    copied = pg.evaluate("() => navigator.clipboard.readText()")
    base = site["url"].rstrip("/")
    assert copied == copy_text(quotes_of(reply), reply["tentative"], base, reply["caveats"])
    for q in reply["quotes"]:  # each quote verbatim, then title, section and a working link
        assert f"“{visible(q['text'])}”" in copied
        assert f"{base}/?doc={q['doc_id']}&start={q['start']}&end={q['end']}" in copied
    link = copied.split(", http", 1)[1].split("\n", 1)[0]
    view = context.new_page()
    view.goto("http" + link)
    view.wait_for_selector("#document mark", timeout=60_000)
    assert view.locator("#document mark").first.inner_text() in copied
    context.close()


@pytest.mark.browser
def test_export_downloads_the_conversation_as_markdown(browser, client, site, tmp_path):
    from markdown_it import MarkdownIt

    from assistant.render import visible

    answered = client.predict(REGISTRY_Q, [], 3, "hybrid", None, api_name="/answer")
    pg = _open(browser, site["url"])
    _ask(pg, REGISTRY_Q)
    _ask(pg, "How do I bake sourdough bread?")
    with pg.expect_download() as download:
        pg.locator("#export").click()
    path = tmp_path / "conversation.md"
    download.value.save_as(path)
    assert download.value.suggested_filename.endswith(".md")
    md = path.read_text(encoding="utf-8")
    assert md.startswith("# Verbatim conversation")
    assert "## How do I bake sourdough bread?" in md and "do not cover" in md
    base = site["url"].rstrip("/")
    html = MarkdownIt("commonmark").render(md)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    shown = [" ".join(b.get_text().split()) for b in soup.find_all("blockquote")]
    for q in answered["quotes"]:  # rendered, every quote reads exactly as in its document
        assert " ".join(visible(q["text"]).split()) in shown, (q["text"], shown)
        assert f"<{base}/?doc={q['doc_id']}&start={q['start']}&end={q['end']}>" in md
    # the document's own Markdown and links stay text: only our citation links are links
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert hrefs and all(h.startswith(base + "/?doc=") for h in hrefs), hrefs
    assert not soup.find_all(["img", "b", "script"])
    pg.close()


@pytest.mark.browser
def test_chat_citation_opens_the_document_view(browser, client, site, tmp_path):
    q = "What is the reflection period for identified foreign victims?"
    quote = client.predict(q, [], 3, "hybrid", None, api_name="/answer")["quotes"][0]
    pg = _open(browser, site["url"])
    _ask(pg, q)
    link = pg.locator("#chat a.src-link").first
    assert link.inner_text() == "[1]"
    with pg.context.expect_page() as opened:
        link.click()
    view = opened.value
    view.wait_for_selector("#document mark", timeout=60_000)
    assert view.locator("#document mark").first.inner_text() == quote["text"]
    view.wait_for_timeout(500)
    save_screenshot(view, "document-view.png", tmp_path)
    assert view.evaluate("() => { const r = document.querySelector('#document mark')"
                         ".getBoundingClientRect(); return r.top >= 0 && "
                         "r.bottom <= window.innerHeight; }")
    view.close()
    pg.close()


@pytest.mark.browser
def test_sources_show_each_passage_once_with_all_its_quotes(browser, client, site):
    q = "When does the night helpline open and when does it close?"
    reply = client.predict(q, [], 3, "hybrid", {"doc_id": "hours.md"}, api_name="/answer")
    spans = [(x["doc_id"], x["start"], x["end"]) for x in reply["quotes"]]
    assert len(spans) >= 2, reply  # the test needs two quotes from the one short passage
    pg = _open(browser, site["url"])
    pg.locator("#filter input").click()
    pg.locator("#filter input").fill("Helpline hours")
    pg.get_by_role("option", name="Document: Helpline hours (hours.md)").first.click()
    pg.wait_for_timeout(300)
    _ask(pg, q)
    assert pg.locator("#sources .src").count() == 1
    marks = pg.locator("#sources .src mark")
    assert marks.count() == len(spans)
    assert sorted(marks.nth(i).inner_text() for i in range(marks.count())) == \
        sorted(x["text"] for x in reply["quotes"])
    pg.close()


# --- the texts behind the buttons (no browser) -------------------------------------------------

@pytest.mark.browser
def test_a_tentative_answer_shows_why_in_the_chat(browser, client, site):
    question = "How long was the reflection period in 2019?"
    reply = client.predict(question, [], 3, "hybrid", None, api_name="/answer")
    assert reply["tentative"] and reply["caveats"]
    pg = browser.new_page()
    pg.goto(site["url"])
    pg.wait_for_selector("#question textarea", timeout=60_000)
    _ask(pg, question)
    label = pg.locator("#chat .vq-tentative").last
    label.wait_for(timeout=30_000)
    assert label.inner_text() == tentative_label(reply["caveats"])
    pg.close()


def test_an_export_before_any_question_says_so():
    from assistant.render import conversation_markdown

    assert conversation_markdown([]) == ("# Verbatim conversation\n\n"
                                         "No question has been asked yet.\n")


def test_copy_text_labels_tentative_answers_and_cites_every_quote():
    from assistant.render import TENTATIVE, copy_text

    q = SimpleNamespace(text="Shelters are funded by the state.", title="Report", section="Funding",
                        page=4, doc_id="r.pdf", start=10, end=43)
    assert copy_text([q], False, "https://x.org/verbatim") == (
        "“Shelters are funded by the state.”\n— Report, Funding, p. 4, "
        "https://x.org/verbatim/?doc=r.pdf&start=10&end=43")
    assert copy_text([q, q], True, "").startswith(f"({TENTATIVE})\n\n“Shelters")
    assert copy_text([q], True, "", ["your question names 2021"]).startswith(
        "(These passages may not answer your question: your question names 2021.)\n\n")


def test_the_reasons_of_a_tentative_answer_are_shown_literally():
    from assistant.render import answer_markdown, answer_plain, chat_answer

    q = SimpleNamespace(text="Shelters are funded.", title="Report", section="", page=None,
                        doc_id="r.txt", start=0, end=20)
    why = ["a <b>reason</b> *with* marks"]
    for text in (answer_markdown([q], (), True, why), chat_answer([q], (), True, "", why)):
        assert "<b>" not in text and "*with*" not in text and "reason" in text
    assert "a <b>reason</b> *with* marks" in answer_plain([q], tentative=True, caveats=why)
    assert "reason" not in answer_markdown([q], (), False, why)  # only with the label


def test_every_quote_of_a_tentative_answer_says_it_may_not_answer():
    """The label above a long tentative answer scrolls out of sight (the chat shows the
    answer's end), so each quote's citation and the Sources panel say it too."""
    from assistant.render import MAY_NOT_ANSWER, answer_markdown, chat_answer, sources_html

    q = SimpleNamespace(text="Shelters are funded.", title="Report", section="", page=None,
                        doc_id="r.txt", start=0, end=20, passage=None)
    for tentative in (True, False):
        for text in (answer_markdown([q, q, q], (), tentative),
                     chat_answer([q, q, q], (), tentative, "")):
            assert text.count(f"({MAY_NOT_ANSWER})") == (3 if tentative else 0)
        reply = SimpleNamespace(abstained=False, quotes=[q], tentative=tentative,
                                caveats=("your question names 2021",) if tentative else ())
        doc = SimpleNamespace(text="Shelters are funded. More text.")
        panel = sources_html(lambda _id: doc, reply)
        assert ("vq-tentative" in panel and "your question names 2021" in panel) is tentative


_ALPHABET = "ab 1.)#-+=>*_`[]()<>!&|~$\\\n\t:/é\u202e"


def test_exported_markdown_renders_to_exactly_the_quoted_text():
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from markdown_it import MarkdownIt
    from bs4 import BeautifulSoup

    from assistant.render import markdown_text, visible

    md = MarkdownIt("commonmark")

    @settings(max_examples=400, deadline=None, derandomize=True)
    @given(st.text(alphabet=_ALPHABET, min_size=1, max_size=60))
    def check(text):
        soup = BeautifulSoup(md.render(markdown_text(text, "> ")), "html.parser")
        assert not soup.find_all(["a", "img", "code", "pre", "em", "strong", "h1", "h2", "ul",
                                  "ol", "hr", "script"]), md.render(markdown_text(text, "> "))
        assert " ".join(soup.get_text().split()) == " ".join(visible(text).split())

    check()


def test_exported_markdown_keeps_titles_and_headings_whole():
    from markdown_it import MarkdownIt

    from assistant.render import turn_markdown

    q = SimpleNamespace(text="Pay the fee.", title="Annual report\r# Pay at www.x.example",
                        section="Fees\rline", page=None, doc_id="a.txt", start=0, end=12)
    reply = SimpleNamespace(abstained=False, tentative=False, quotes=[q], closest=[])
    html = MarkdownIt("commonmark").render(turn_markdown("Which form is item #", reply, ""))
    assert "<h1>" not in html and html.count("<h2>") == 1
    assert "Which form is item #</h2>" in html
    assert "Annual report # Pay at www.x.example, Fees line" in html


def test_terminal_text_shows_control_characters_and_headings_keep_a_lone_hash():
    from markdown_it import MarkdownIt

    from assistant.render import answer_plain, copy_text, turn_markdown

    q = SimpleNamespace(text="Clear \x1b[2J and \x1b]0;PWNED\x07 here.", title="T\rx",
                        section="", page=None, doc_id="t.txt", start=0, end=10)
    for text in (answer_plain([q]), copy_text([q])):
        assert "\x1b" not in text and "\x07" not in text and "\r" not in text
        assert "⟨U+001B⟩[2J" in text
    reply = SimpleNamespace(abstained=True, tentative=False, quotes=[], closest=[])
    assert "<h2>#</h2>" in MarkdownIt("commonmark").render(turn_markdown("#", reply))


def test_an_exported_refusal_links_each_closest_passage():
    """Two closest passages of one section read the same by title and section: each has its
    link to the document view."""
    from assistant.render import turn_markdown

    hits = [SimpleNamespace(title="Report", section="Funding", page=None, doc_id="r.txt",
                            start=a, end=b, text="x") for a, b in ((0, 40), (41, 90))]
    reply = SimpleNamespace(abstained=True, closest=hits, quotes=(), tentative=False,
                            caveats=())
    md = turn_markdown("Who pays?", reply, "https://x.org/v")
    assert "<https://x.org/v/?doc=r.txt&start=0&end=40>" in md
    assert "<https://x.org/v/?doc=r.txt&start=41&end=90>" in md
    assert "<http" not in turn_markdown("Who pays?", reply, "")
