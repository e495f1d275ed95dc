"""The Gradio web chat and its API endpoints.

All document text reaches the page escaped (``html.escape`` for HTML, Markdown escaping in chat
messages), so a document can never inject markup or script. Handlers catch every exception:
users see a short message, the log gets the traceback.
"""
from __future__ import annotations

import json
import html
import logging
import os
import re
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .api import MAX_QUESTION_CHARS, Assistant, build_index, ensure_index
from .loading import SUPPORTED_SUFFIXES
from .quoting import NOT_COVERED
from .types import Answer

log = logging.getLogger("verbatim.app")

UPLOAD_MAX_FILES = 20
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
UPLOAD_SUFFIXES = SUPPORTED_SUFFIXES
MAX_HISTORY = 6  # earlier user turns considered for follow-ups

CSS = """
.src { border-left: 4px solid #7c9cbf; padding: 6px 10px; margin: 8px 0; background: #f7f9fc; }
.src-head { font-weight: 600; margin-bottom: 4px; }
.src-body { white-space: pre-wrap; line-height: 1.45; }
.src mark { background: #ffe58a; padding: 0 1px; }
.src.closest { border-left-color: #bbb; background: #fafafa; }
.notice { color: #555; font-style: italic; }
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


# --- presentation helpers (pure) ----------------------------------------------------------

def header_markdown(info: dict) -> str:
    built = info["built_at"].replace("T", " ").replace("+00:00", " UTC")
    return (
        "# Verbatim\n"
        "Answers questions about your documents **only with verbatim quotes**, each with its "
        "source. When the documents do not answer, it says so.\n\n"
        f"Loaded: **{info['documents']}** documents, **{info['passages']}** passages · "
        f"model `{info['model']}` ({info.get('backend', 'torch')}) · index built {built}"
    )


def _context(doc_text: str, start: int, end: int, marks: list[tuple[int, int]]) -> str:
    """Escaped ``doc_text[start:end]`` with the ``marks`` spans wrapped in <mark>."""
    out, pos = [], start
    for a, b in sorted(marks):
        a, b = max(a, start), min(b, end)
        if a < pos or a >= b:
            continue
        out.append(html.escape(doc_text[pos:a]))
        out.append(f"<mark>{html.escape(doc_text[a:b])}</mark>")
        pos = b
    out.append(html.escape(doc_text[pos:end]))
    return "".join(out)


def _label(title: str, section: str, page: int | None = None) -> str:
    return html.escape(title) + (f" — {html.escape(section)}" if section else "") \
        + (f", p. {page}" if page else "")


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
            out += [(f"{k}: {v}", json.dumps({k: v})) for v in sorted(meta[k])]
    out += [(f"Document: {d.title}" + (f" ({d.doc_id})" if d.title != d.doc_id else ""),
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
    if not isinstance(where, dict) or not all(isinstance(k, str) for k in where):
        return None
    return where or None


def sources_html(assistant: Assistant, reply: Answer | None) -> str:
    if reply is None:
        return "<p class='notice'>Sources of the latest answer appear here.</p>"
    if reply.abstained:
        if not reply.closest:
            return f"<p class='notice'>{html.escape(NOT_COVERED)}</p>"
        parts = [f"<p class='notice'>{html.escape(NOT_COVERED)} Closest passages, "
                 "<b>not an answer</b>:</p>"]
        for h in reply.closest:
            text = assistant.document(h.doc_id).text
            parts.append(f"<div class='src closest'><div class='src-head'>"
                         f"{_label(h.title, h.section, h.page)}"
                         f"</div><div class='src-body'>{_context(text, h.start, h.end, [])}</div></div>")
        return "".join(parts)
    parts = []
    for n, q in enumerate(reply.quotes, start=1):
        text = assistant.document(q.doc_id).text
        p = q.passage
        start = min(q.start, p.start) if p else q.start
        end = max(q.end, p.end) if p else q.end
        parts.append(f"<div class='src' id='source-{n}'><div class='src-head'>[{n}] "
                     f"{_label(q.title, q.section, q.page)} <small>({html.escape(q.doc_id)}, "
                     f"characters {q.start}–{q.end})</small></div>"
                     f"<div class='src-body'>{_context(text, start, end, [(q.start, q.end)])}</div></div>")
    return "".join(parts)


def example_questions(assistant: Assistant, n: int = 4) -> list[str]:
    """Questions drawn from the corpus itself: its section headings."""
    seen, out = set(), []
    for d in assistant.documents:
        for s in d.sections:
            h = s.heading.strip()
            if h and h.lower() not in seen and len(h.split()) <= 8:
                seen.add(h.lower())
                out.append(f"What do the documents say about {h[0].lower() + h[1:]}?")
            if len(out) >= n:
                return out
    return out


def _text_of(content) -> str:
    """The text of a chat message, whatever shape Gradio gives it."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("value") or "")
    if isinstance(content, (list, tuple)):
        return " ".join(_text_of(c) for c in content)
    return ""


def user_turns(history) -> list[str]:
    turns = []
    for m in history or []:
        if isinstance(m, dict) and m.get("role") == "user":
            t = _text_of(m.get("content")).strip()
            if t:
                turns.append(t)
    return turns[-MAX_HISTORY:]


def check_question(message) -> str | None:
    """A friendly problem with the question, or None when it can be asked."""
    if not isinstance(message, str) or not message.strip():
        return "Please type a question about the documents."
    if len(message) > MAX_QUESTION_CHARS:
        return (f"That question is {len(message):,} characters long; please ask in at most "
                f"{MAX_QUESTION_CHARS:,} characters.")
    return None


# --- uploads --------------------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """A plain file name: no folders, no leading dots, only letters, digits, ``._-``."""
    base = os.path.basename(name.replace("\\", "/"))
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = _UNSAFE.sub("_", stem).strip("._-") or "document"
    suffix = _UNSAFE.sub("", suffix).lower()
    return f"{stem[:100]}.{suffix}" if suffix else stem[:100]


def save_uploads(paths: list[str], names: list[str], corpus_dir: Path) -> list[str]:
    """Copy uploaded files into the corpus folder; never overwrite, never leave it."""
    if len(paths) > UPLOAD_MAX_FILES:
        raise ValueError(f"at most {UPLOAD_MAX_FILES} files at once (got {len(paths)})")
    checked = []
    for path, name in zip(paths, names):
        clean = safe_name(name)
        suffix = Path(clean).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise ValueError(f"{name}: only {', '.join(UPLOAD_SUFFIXES)} files can be added")
        size = os.path.getsize(path)
        if size > UPLOAD_MAX_BYTES:
            raise ValueError(f"{name}: {size / 1e6:.1f} MB is over the "
                             f"{UPLOAD_MAX_BYTES // (1024 * 1024)} MB limit")
        if size == 0:
            raise ValueError(f"{name}: the file is empty")
        checked.append((path, clean))
    corpus = corpus_dir.resolve()
    saved = []
    for path, clean in checked:
        stem, suffix = Path(clean).stem, Path(clean).suffix
        target = corpus / clean
        n = 1
        while True:
            if not target.resolve().is_relative_to(corpus):
                raise ValueError(f"{clean}: not a safe file name")
            try:
                # O_EXCL: an existing document is never overwritten, even by a racing upload.
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                break
            except FileExistsError:
                target = corpus / f"{stem}-{n}{suffix}"
                n += 1
        with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
            while block := src.read(1 << 20):
                out.write(block)
        saved.append(target.name)
    return saved


# --- the page ---------------------------------------------------------------------------------

def create_app(state: AppState):
    import gradio as gr

    def chat(message, history, n_quotes, mode, scope=""):
        history = list(history or [])
        try:
            problem = check_question(message)
            assistant = state.current()
            if problem:
                history += [{"role": "user", "content": message if isinstance(message, str) and
                             message.strip() and len(message) <= 500 else "…"},
                            {"role": "assistant", "content": problem}]
                return history, sources_html(assistant, None), ""
            reply = assistant.answer(message, user_turns(history), max_quotes=int(n_quotes),
                                     mode=mode, where=parse_filter(scope))
            history += [{"role": "user", "content": message},
                        {"role": "assistant", "content": reply.markdown}]
            return history, sources_html(assistant, reply), ""
        except Exception:
            log.error("chat failed:\n%s", traceback.format_exc())
            history += [{"role": "assistant",
                         "content": "Sorry, something went wrong answering that. Please try again."}]
            return history, sources_html(state.assistant, None), ""

    def add_documents(files, progress=gr.Progress()):
        try:
            if state.read_only:
                return "Adding documents is disabled on this server.", gr.update(), gr.update()
            if not files:
                return "Choose one or more files first.", gr.update(), gr.update()
            paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in files]
            names = [getattr(f, "orig_name", None) or os.path.basename(p)
                     for f, p in zip(files, paths)]
            saved = save_uploads(paths, names, state.corpus_dir)
            progress(0, desc="Rebuilding the index")
            report = state.rebuild(on_progress=lambda desc, frac: progress(frac, desc=desc))
            msg = (f"Added {', '.join(saved)}. Index rebuilt: {report.documents} documents, "
                   f"{report.passages} passages ({report.embedded} passages embedded).")
            new_skips = [str(s) for s in report.skipped if any(str(s).startswith(n) for n in saved)]
            if new_skips:
                msg += " Skipped: " + "; ".join(new_skips)
            return (msg, header_markdown(state.assistant.info),
                    gr.update(choices=filter_choices(state.assistant)))
        except ValueError as e:
            return f"Not added: {e}", gr.update(), gr.update()
        except Exception as e:
            log.error("upload failed:\n%s", traceback.format_exc())
            return (f"Could not rebuild the index ({type(e).__name__}); the previous index is "
                    "still in use.", gr.update(), gr.update())

    def api_retrieve(question: str, k: int = 5, mode: str = "hybrid",
                     where: dict | None = None) -> list[dict]:
        """The k passages that best match the question: text, doc_id, title, section, start,
        end, page, score. ``where`` restricts the search, e.g. {"country": "Slovenia"}."""
        problem = check_question(question)
        if problem:
            raise gr.Error(problem)
        hits = state.current().retrieve(question, k=max(1, min(int(k), 50)), mode=mode,
                                        where=where if isinstance(where, dict) else None)
        return [_hit_dict(h) for h in hits]

    def api_answer(question: str, history: list[str] | None = None, max_quotes: int = 3,
                   mode: str = "hybrid", where: dict | None = None) -> dict:
        """Verbatim quotes that answer the question, or an abstention. ``where`` restricts
        the search, e.g. {"country": "Slovenia"} or {"doc_id": "report.pdf"}."""
        problem = check_question(question)
        if problem:
            raise gr.Error(problem)
        reply = state.current().answer(question, history or [],
                                       max_quotes=max(1, min(int(max_quotes), 10)), mode=mode,
                                       where=where if isinstance(where, dict) else None)
        return {"abstained": reply.abstained, "markdown": reply.markdown,
                "quotes": [{**_hit_dict(q), "passage": None} for q in reply.quotes],
                "closest": [_hit_dict(h) for h in reply.closest]}

    assistant = state.current()
    with gr.Blocks(title="Verbatim — quotes from your documents") as demo:
        header = gr.Markdown(header_markdown(assistant.info), elem_id="header")
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Chat", elem_id="chat", height=480,
                                     sanitize_html=True, allow_tags=False, render_markdown=True,
                                     feedback_options=None)
                scope = gr.Dropdown(filter_choices(assistant), value="", label="Search in",
                                    elem_id="filter", filterable=True)
                question = gr.Textbox(placeholder="Ask a question about the documents and press Enter",
                                      show_label=False, elem_id="question", max_lines=4,
                                      max_length=MAX_QUESTION_CHARS * 2)
                examples = example_questions(assistant)
                if examples:
                    gr.Examples(examples=[[e] for e in examples], inputs=[question],
                                label="Example questions")
                with gr.Accordion("Settings", open=False):
                    n_quotes = gr.Slider(1, 5, value=3, step=1, label="Number of quotes")
                    mode = gr.Radio(["hybrid", "semantic", "keyword"], value="hybrid",
                                    label="Search mode")
                clear = gr.Button("New conversation", size="sm")
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                sources = gr.HTML(sources_html(assistant, None), elem_id="sources")
        if not state.read_only:
            with gr.Accordion("Add documents", open=False, elem_id="upload"):
                gr.Markdown(f"Upload {', '.join(UPLOAD_SUFFIXES)} files (at most "
                            f"{UPLOAD_MAX_FILES} files, {UPLOAD_MAX_BYTES // (1024 * 1024)} MB "
                            "each). They are added to the corpus and the index is rebuilt.")
                files = gr.File(file_count="multiple", file_types=list(UPLOAD_SUFFIXES),
                                label="Documents", elem_id="upload-files")
                add = gr.Button("Add and rebuild", elem_id="upload-button")
                status = gr.Markdown(elem_id="upload-status")
            add.click(add_documents, [files], [status, header, scope], api_name="add_documents",
                      concurrency_limit=1)

        question.submit(chat, [question, chatbot, n_quotes, mode, scope],
                        [chatbot, sources, question],
                        api_name="chat", api_visibility="undocumented")
        clear.click(lambda: ([], sources_html(state.assistant, None)), None, [chatbot, sources],
                    api_visibility="private")
        gr.api(api_retrieve, api_name="retrieve")
        gr.api(api_answer, api_name="answer")
    demo.queue(default_concurrency_limit=8)
    return demo


def _hit_dict(h) -> dict:
    return {"text": h.text, "doc_id": h.doc_id, "title": h.title, "section": h.section,
            "start": h.start, "end": h.end, "page": h.page, "score": h.score}


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
