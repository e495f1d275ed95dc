"""The Gradio web chat and its API endpoints.

Document text reaches the page only through ``render`` (chat) or ``html.escape``-based helpers
(sources panel), so a document can never inject markup, script, links or LaTeX. Handlers catch
every exception: users see a short message, the log gets the traceback. Nothing about the
corpus is part of the page as served: the header, the "Search in" choices and the example
questions are loaded by each page view (after the login, with ``--auth``), so they are also
always those of the index in use.
"""
from __future__ import annotations

import html
import json
import logging
import os
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from . import render
from .api import MAX_QUESTION_CHARS, Assistant, build_index, ensure_index
from .search import MODES, check_where
from .types import Answer
from .uploads import (UPLOAD_MAX_BYTES, UPLOAD_MAX_FILES, UPLOAD_SUFFIXES, add_documents,
                      discard_temporary, safe_name, save_uploads)

__all__ = ["AppState", "create_app", "prepare", "launch_options", "safe_name", "save_uploads",
           "UPLOAD_MAX_FILES"]

log = logging.getLogger("verbatim.app")

MAX_HISTORY = 6  # earlier user turns considered for follow-ups
MAX_API_K = 50
MAX_API_QUOTES = 10

CSS = """
.src { border-left: 4px solid #7c9cbf; padding: 6px 10px; margin: 8px 0; background: #f7f9fc; }
.src-head { font-weight: 600; margin-bottom: 4px; overflow-wrap: anywhere; }
.src-body { white-space: pre-wrap; line-height: 1.45; overflow-wrap: anywhere; }
.src mark { background: #ffe58a; padding: 0 1px; }
.src.closest { border-left-color: #bbb; background: #fafafa; }
.notice { color: #555; font-style: italic; }
.vq { white-space: pre-wrap; overflow-wrap: anywhere; }
.vq-question { white-space: pre-wrap; overflow-wrap: anywhere; }
#chat .message-content { overflow-wrap: anywhere; }
"""


@dataclass
class AppState:
    """The live index; swapped for a new one when a rebuild lands on disk."""

    corpus_dir: Path
    index_dir: Path
    assistant: Assistant
    read_only: bool = False
    backend: str | None = None
    _stamp: tuple = ()
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _build_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        self._stamp = self._manifest_stamp()

    def _manifest_stamp(self) -> tuple:
        try:
            st = (self.index_dir / "manifest.json").stat()
            return (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            return ()

    def current(self) -> Assistant:
        """The assistant for the index now on disk (reloaded when another process rebuilt it).

        Requests already running keep the object they started with, so a swap never breaks
        them.
        """
        stamp = self._manifest_stamp()
        if stamp and stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    try:
                        self.assistant = Assistant.load(self.index_dir)
                        self._stamp = stamp
                    except Exception:  # half-visible or damaged: keep serving the loaded one
                        log.warning("could not reload index; still serving the previous one",
                                    exc_info=True)
        return self.assistant

    def rebuild(self, on_progress=None):
        with self._build_lock:
            report = build_index(self.corpus_dir, self.index_dir, on_progress=on_progress,
                                 backend=self.backend)
            with self._lock:
                self.assistant = Assistant.load(self.index_dir)
                self._stamp = self._manifest_stamp()
            return report

    def known_files(self) -> dict[str, str]:
        """SHA-256 -> corpus file, for every file in the corpus folder: from the manifest when
        its size and time match, hashed otherwise (files added since the last build)."""
        from .loading import discover
        from .storage import sha256_file

        manifest = self.current().index.manifest
        listed = {**manifest.get("skipped_files", {}), **manifest.get("files", {})}
        out = {}
        for f in discover(self.corpus_dir)[0]:
            entry = listed.get(f.rel, {})
            try:
                st = f.path.stat()
                same = (st.st_size, st.st_mtime_ns) == (entry.get("size"), entry.get("mtime_ns"))
                out[entry["sha256"] if same and "sha256" in entry else sha256_file(f.path)] = f.rel
            except OSError:
                continue
        return out


# --- presentation helpers (pure) ----------------------------------------------------------

INTRO = ("# Verbatim\n"
         "Answers questions about your documents **only with verbatim quotes**, each with its "
         "source. When the documents do not answer, it says so.")


def header_markdown(info: dict) -> str:
    built = info["built_at"].replace("T", " ").replace("+00:00", " UTC")
    return (f"{INTRO}\n\n"
            f"Loaded: **{info['documents']}** documents, **{info['passages']}** passages · "
            f"model `{info['model']}` ({info.get('backend', 'torch')}) · index built {built}")


def _context(doc_text: str, start: int, end: int, marks: list[tuple[int, int]]) -> str:
    """``doc_text[start:end]`` as literal HTML, with the ``marks`` spans wrapped in <mark>."""
    out, pos = [], start
    for a, b in sorted(marks):
        a, b = max(a, start), min(b, end)
        if a < pos or a >= b:
            continue
        out.append(render.literal(doc_text[pos:a]))
        out.append(f"<mark>{render.literal(doc_text[a:b])}</mark>")
        pos = b
    out.append(render.literal(doc_text[pos:end]))
    return "".join(out)


def _label(title: str, section: str, page: int | None = None) -> str:
    return render.citation_literal(title, section, page)


ALL_DOCUMENTS = "All documents"
FILTER_SKIP_KEYS = {"url", "pages"}  # per-document values: the document choice covers them
MAX_FILTER_CHOICES = 300


def filter_choices(assistant: Assistant) -> list[tuple[str, str]]:
    """(label, value) pairs for the "Search in" menu: every document, then every metadata
    value that groups documents (e.g. country: Slovenia). Values are JSON ``where`` filters."""
    docs = sorted(assistant.documents, key=lambda d: d.title.casefold())
    meta: dict[str, set[str]] = {}
    for d in docs:
        for k, v in d.metadata.items():
            if k not in FILTER_SKIP_KEYS and isinstance(v, (str, int, float)) and str(v).strip():
                meta.setdefault(k, set()).add(str(v))
    out = [(ALL_DOCUMENTS, "")]
    for k in sorted(meta):
        if len(meta[k]) < len(docs) or len(docs) == 1:
            out += [(render.visible(f"{k}: {v}"), json.dumps({k: v})) for v in sorted(meta[k])]
    out += [(render.visible(f"Document: {d.title}" + (f" ({d.doc_id})" if d.title != d.doc_id
                                                      else "")),
             json.dumps({"doc_id": d.doc_id})) for d in docs]
    return out[:MAX_FILTER_CHOICES]


def parse_filter(value) -> dict | None:
    """The ``where`` dict of a menu value; None for all documents or anything malformed."""
    if not value or not isinstance(value, str):
        return None
    try:
        where = json.loads(value)
    except ValueError:
        return None
    if not isinstance(where, dict):
        return None
    try:
        return check_where(where)
    except ValueError:
        return None


def sources_html(assistant: Assistant, reply: Answer | None) -> str:
    """Each passage the answer quotes, once, with every quoted sentence in it highlighted."""
    if reply is None:
        return "<p class='notice'>Sources of the latest answer appear here.</p>"
    if reply.abstained:
        if not reply.closest:
            return f"<p class='notice'>{html.escape(render.NOT_COVERED)}</p>"
        parts = [f"<p class='notice'>{html.escape(render.NOT_COVERED)} Closest passages, "
                 "<b>not an answer</b>:</p>"]
        for h in reply.closest:
            text = assistant.document(h.doc_id).text
            parts.append(f"<div class='src closest'><div class='src-head'>"
                         f"{_label(h.title, h.section, h.page)}"
                         f"</div><div class='src-body'>{_context(text, h.start, h.end, [])}"
                         "</div></div>")
        return "".join(parts)
    groups: dict[tuple, list[tuple[int, object]]] = {}
    for n, q in enumerate(reply.quotes, start=1):
        key = (q.doc_id, q.passage.start, q.passage.end) if q.passage else (q.doc_id, q.start,
                                                                           q.end)
        groups.setdefault(key, []).append((n, q))
    parts = []
    for (doc_id, start, end), quotes in groups.items():
        text = assistant.document(doc_id).text
        start = min([start] + [q.start for _, q in quotes])
        end = max([end] + [q.end for _, q in quotes])
        first = quotes[0][1]
        numbers = " ".join(f"[{n}]" for n, _ in quotes)
        spans = ", ".join(f"{q.start}–{q.end}" for _, q in quotes)
        parts.append(f"<div class='src' id='source-{quotes[0][0]}'><div class='src-head'>"
                     f"{numbers} {_label(first.title, first.section, first.page)} <small>("
                     f"{render.literal(doc_id)}, characters {spans})</small></div>"
                     f"<div class='src-body'>"
                     f"{_context(text, start, end, [(q.start, q.end) for _, q in quotes])}"
                     "</div></div>")
    return "".join(parts)


def example_questions(assistant: Assistant, n: int = 4) -> list[str]:
    """Questions drawn from the corpus itself: its section headings."""
    seen, out = set(), []
    for d in assistant.documents:
        for s in d.sections:
            h = render.visible(s.heading.strip())
            if h and h.lower() not in seen and len(h.split()) <= 8:
                seen.add(h.lower())
                out.append(f"What do the documents say about {h[0].lower() + h[1:]}?")
            if len(out) >= n:
                return out
    return out


def check_question(message) -> str | None:
    """A friendly problem with the question, or None when it can be asked."""
    if not isinstance(message, str) or not message.strip():
        return "Please type a question about the documents."
    if len(message) > MAX_QUESTION_CHARS:
        return (f"That question is {len(message):,} characters long; please ask in at most "
                f"{MAX_QUESTION_CHARS:,} characters.")
    return None


# --- API input: every value checked, every problem named ----------------------------------------

class BadRequest(ValueError):
    """An API argument is wrong; the message says which and how."""


def whole_number(value, name: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or (isinstance(value, float) and not value.is_integer()):
        raise BadRequest(f"{name} must be a whole number from {lo} to {hi} (got {value!r})")
    if not lo <= value <= hi:
        raise BadRequest(f"{name} must be from {lo} to {hi} (got {int(value)})")
    return int(value)


def search_mode(mode) -> str:
    if mode not in MODES:
        raise BadRequest(f"mode must be one of {', '.join(MODES)} (got {mode!r})")
    return mode


def where_filter(where) -> dict | None:
    """A ``where`` object, or the JSON text of one (as the page's own menu sends)."""
    if where is None or where == "":
        return None
    if isinstance(where, str):
        try:
            where = json.loads(where)
        except ValueError:
            raise BadRequest('where must be an object such as {"country": "Slovenia"} '
                             "(or its JSON text); this text is not JSON") from None
    try:
        return check_where(where)
    except ValueError as e:
        raise BadRequest(str(e)) from None


def history_turns(history) -> list[str]:
    if history is None:
        return []
    if not isinstance(history, (list, tuple)) or not all(isinstance(h, str) for h in history):
        raise BadRequest("history must be a list of the earlier questions (strings), oldest "
                         "first")
    return [h for h in history if h.strip()][-MAX_HISTORY:]


def question_text(question) -> str:
    problem = check_question(question)
    if problem:
        raise BadRequest(problem)
    return question


def hit_dict(h) -> dict:
    return {"text": h.text, "doc_id": h.doc_id, "title": h.title, "section": h.section,
            "start": h.start, "end": h.end, "page": h.page, "score": h.score}


def answer_dict(reply: Answer) -> dict:
    return {"abstained": reply.abstained, "confidence": reply.confidence,
            "markdown": reply.markdown,
            "quotes": [{**hit_dict(q), "passage": None} for q in reply.quotes],
            "closest": [hit_dict(h) for h in reply.closest]}


# --- the page ---------------------------------------------------------------------------------

def create_app(state: AppState):
    import gradio as gr

    def refresh():
        """What the page shows about the index, read at every page view."""
        a = state.current()
        return (header_markdown(a.info), gr.update(choices=filter_choices(a)),
                gr.update(samples=[[e] for e in example_questions(a)]))

    def chat(message, history, turns, n_quotes, mode, scope=""):
        history, turns = list(history or []), list(turns or [])
        try:
            problem = check_question(message)
            assistant = state.current()
            if problem:
                shown = message if isinstance(message, str) and message.strip() \
                    and len(message) <= 500 else "…"
                history += [{"role": "user", "content": render.chat_question(shown)},
                            {"role": "assistant", "content": problem}]
                return history, turns, sources_html(assistant, None), ""
            reply = assistant.answer(message, turns[-MAX_HISTORY:],
                                     max_quotes=whole_number(n_quotes, "quotes", 1, 5),
                                     mode=search_mode(mode), where=parse_filter(scope))
            history += [{"role": "user", "content": render.chat_question(message)},
                        {"role": "assistant",
                         "content": render.chat_answer(reply.quotes, reply.closest)}]
            return history, turns + [message], sources_html(assistant, reply), ""
        except Exception:
            log.error("chat failed:\n%s", traceback.format_exc())
            history += [{"role": "assistant",
                         "content": "Sorry, something went wrong answering that. Please try again."}]
            return history, turns, sources_html(state.assistant, None), ""

    def add(files, progress=gr.Progress()):
        paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in files or []]
        try:
            if state.read_only:
                return "Adding documents is disabled on this server.", gr.update(), gr.update()
            if not paths:
                return "Choose one or more files first.", gr.update(), gr.update()
            names = [getattr(f, "orig_name", None) or os.path.basename(p)
                     for f, p in zip(files, paths)]
            progress(0, desc="Rebuilding the index")
            outcome = add_documents(
                paths, names, state.corpus_dir, state.known_files(),
                lambda: state.rebuild(on_progress=lambda desc, frac: progress(frac, desc=desc)))
            a = state.current()
            return (outcome.message(), header_markdown(a.info),
                    gr.update(choices=filter_choices(a)))
        except ValueError as e:
            return f"Not added: {e}", gr.update(), gr.update()
        except Exception as e:
            log.error("upload failed:\n%s", traceback.format_exc())
            return (f"Could not rebuild the index ({type(e).__name__}); the previous index is "
                    "still in use.", gr.update(), gr.update())
        finally:
            discard_temporary(paths)

    def api_retrieve(question: str | None = None, k: int = 5, mode: str = "hybrid",
                     where: dict | str | None = None) -> list[dict]:
        """The k passages that best match the question, best first: text, doc_id, title,
        section, start, end, page, score. Passage text is verbatim:
        document.text[start:end]. ``where`` restricts the search, e.g. {"country":
        "Slovenia"} or {"doc_id": ["a.pdf", "b.txt"]}."""
        try:
            hits = state.current().retrieve(question_text(question),
                                            k=whole_number(k, "k", 1, MAX_API_K),
                                            mode=search_mode(mode), where=where_filter(where))
        except BadRequest as e:
            raise gr.Error(str(e)) from None
        except Exception:
            log.error("retrieve failed:\n%s", traceback.format_exc())
            raise gr.Error("Something went wrong searching; please try again.") from None
        return [hit_dict(h) for h in hits]

    def api_answer(question: str | None = None, history: list[str] | None = None,
                   max_quotes: int = 3, mode: str = "hybrid",
                   where: dict | str | None = None) -> dict:
        """Verbatim quotes that answer the question, each with its document, section, page
        and character offsets (the quote is exactly document.text[start:end]); or, when the
        documents do not answer, abstained=true and the closest passages (not an answer).
        ``history``: earlier questions of the conversation, oldest first (for follow-ups).
        ``where`` restricts the search, e.g. {"country": "Slovenia"}."""
        try:
            reply = state.current().answer(
                question_text(question), history_turns(history),
                max_quotes=whole_number(max_quotes, "max_quotes", 1, MAX_API_QUOTES),
                mode=search_mode(mode), where=where_filter(where))
        except BadRequest as e:
            raise gr.Error(str(e)) from None
        except Exception:
            log.error("answer failed:\n%s", traceback.format_exc())
            raise gr.Error("Something went wrong answering; please try again.") from None
        return answer_dict(reply)

    with gr.Blocks(title="Verbatim — quotes from your documents",
                   delete_cache=(3600, 3600)) as demo:
        header = gr.Markdown(INTRO, elem_id="header")
        turns = gr.State([])
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Chat", elem_id="chat", height=480,
                                     sanitize_html=True, allow_tags=False, render_markdown=True,
                                     latex_delimiters=[], buttons=[], feedback_options=None)
                scope = gr.Dropdown([(ALL_DOCUMENTS, "")], value="", label="Search in",
                                    elem_id="filter", filterable=True,
                                    allow_custom_value=True)
                question = gr.Textbox(placeholder="Ask a question about the documents and press Enter",
                                      show_label=False, elem_id="question", max_lines=4,
                                      max_length=MAX_QUESTION_CHARS * 2)
                examples = gr.Dataset(components=[question], samples=[],
                                      label="Example questions", elem_id="examples")
                with gr.Accordion("Settings", open=False):
                    n_quotes = gr.Slider(1, 5, value=3, step=1, label="Number of quotes")
                    mode = gr.Radio(list(MODES), value="hybrid", label="Search mode")
                clear = gr.Button("New conversation", size="sm")
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                sources = gr.HTML(sources_html(state.assistant, None), elem_id="sources")
        if not state.read_only:
            with gr.Accordion("Add documents", open=False, elem_id="upload"):
                gr.Markdown(f"Upload {', '.join(UPLOAD_SUFFIXES)} files (at most "
                            f"{UPLOAD_MAX_FILES} files, {UPLOAD_MAX_BYTES // (1024 * 1024)} MB "
                            "each). They are added to the corpus and the index is rebuilt.")
                files = gr.File(file_count="multiple", file_types=list(UPLOAD_SUFFIXES),
                                label="Documents", elem_id="upload-files")
                add_button = gr.Button("Add and rebuild", elem_id="upload-button")
                status = gr.Markdown(elem_id="upload-status")
            add_button.click(add, [files], [status, header, scope], api_name="add_documents",
                             concurrency_limit=1)

        demo.load(refresh, None, [header, scope, examples], api_visibility="private")
        examples.click(lambda sample: sample[0] if sample else "", examples, question,
                       api_visibility="private")
        question.submit(chat, [question, chatbot, turns, n_quotes, mode, scope],
                        [chatbot, turns, sources, question],
                        api_name="chat", api_visibility="undocumented")
        clear.click(lambda: ([], [], sources_html(state.assistant, None)), None,
                    [chatbot, turns, sources], api_visibility="private")
        gr.api(api_retrieve, api_name="retrieve")
        gr.api(api_answer, api_name="answer")
    demo.queue(default_concurrency_limit=8)
    return demo


class _NoUploads:
    """ASGI middleware for read-only servers: Gradio's upload routes store any file sent to
    them (up to 1,000 per request) whether or not the page has an upload field."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"].rstrip("/").endswith(
                ("/gradio_api/upload", "/gradio_api/upload_progress")):
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body",
                        "body": b"This server is read-only: uploads are disabled."})
            return
        await self.app(scope, receive, send)


def launch_options(state: AppState) -> dict:
    """``demo.launch`` arguments that the app's safety depends on."""
    from starlette.middleware import Middleware

    opts = {"css": CSS, "show_error": False, "max_file_size": UPLOAD_MAX_BYTES}
    if state.read_only:
        opts["app_kwargs"] = {"middleware": [Middleware(_NoUploads)]}
    return opts


def prepare(corpus_dir: str | Path, index_dir: str | Path, read_only: bool = False,
            progress: bool = True, backend: str | None = None) -> AppState:
    """Build the index when missing or stale, then load it."""
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    if corpus_dir.is_dir():
        print(f"Checking the index against {corpus_dir}/ …", flush=True)
    report = ensure_index(corpus_dir, index_dir, progress=progress, backend=backend)
    if report is not None:
        print(report.summary(), flush=True)
    return AppState(corpus_dir, index_dir, Assistant.load(index_dir), read_only=read_only,
                    backend=backend)
