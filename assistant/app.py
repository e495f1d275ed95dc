"""The Gradio web chat and its API endpoints: only the wiring of the page to the other modules
(``endpoints`` checks requests, ``render`` shows text, ``uploads`` adds documents).

Document text reaches the page only through ``render``, so a document can never inject markup,
script, links or LaTeX. Handlers catch every exception: users see a short message, the log gets
the traceback. Nothing about the corpus is part of the page as served: the header, the "Search
in" choices and the example questions are loaded by each page view (after the login, with
``--auth``), so they are also always those of the index in use.
"""
from __future__ import annotations

import html
import logging
import os
import traceback
from pathlib import Path

from . import endpoints, render
from .api import Assistant, LiveAssistant, ensure_index
from .endpoints import (ALL_DOCUMENTS, MAX_HISTORY, BadRequest, check_question,
                        example_questions, filter_choices, parse_filter)
from .queries import MAX_QUESTION_CHARS
from .search import MODES
from .uploads import (UPLOAD_MAX_BYTES, UPLOAD_MAX_FILES, UPLOAD_SUFFIXES, UploadRejected,
                      add_documents, discard_temporary, safe_name, save_uploads)

__all__ = ["AppState", "create_app", "prepare", "launch_options", "ALL_DOCUMENTS",
           "filter_choices", "parse_filter", "safe_name", "save_uploads", "UPLOAD_MAX_FILES"]

log = logging.getLogger("verbatim.app")

CSS = """
.src { border-left: 4px solid #7c9cbf; padding: 6px 10px; margin: 8px 0; background: #f7f9fc; }
.src-head { font-weight: 600; margin-bottom: 4px; overflow-wrap: anywhere; }
.src-body { white-space: pre-wrap; line-height: 1.45; overflow-wrap: anywhere; }
.src mark { background: #ffe58a; padding: 0 1px; }
.src.closest { border-left-color: #bbb; background: #fafafa; }
.notice { color: #555; font-style: italic; }
.vq { white-space: pre-wrap; overflow-wrap: anywhere; }
.vq-question { white-space: pre-wrap; overflow-wrap: anywhere; }
.vq-tentative { color: #8a5a00; font-style: italic; }
.vq-maybe { color: #8a5a00; font-style: italic; white-space: nowrap; }
#chat .message-content { overflow-wrap: anywhere; }
.doc-view { border-top: 1px solid #ddd; margin-top: 12px; padding-top: 8px; }
.doc-head { font-weight: 600; margin-bottom: 6px; overflow-wrap: anywhere; }
.doc-body { max-height: 640px; overflow-y: auto; }
.src-link { text-decoration: none; }
.vq-actions { margin-top: 6px; }
.vq-copy { font-size: 0.85em; padding: 2px 10px; border: 1px solid #bbb; border-radius: 4px;
           background: #fff; cursor: pointer; }
"""


class AppState(LiveAssistant):
    """The live index of a running server, and whether it accepts uploads."""

    def __init__(self, corpus_dir: str | Path | None, index_dir: str | Path,
                 assistant: Assistant | None = None, read_only: bool = False,
                 backend: str | None = None):
        super().__init__(corpus_dir, index_dir, backend)
        self.read_only = read_only
        if assistant is not None:
            self._assistant, self._stamp = assistant, self._manifest_stamp()

    @property
    def assistant(self) -> Assistant:
        return self.current()

    def known_files(self) -> dict[str, str]:
        """SHA-256 -> corpus file, for every file in the corpus folder: from the manifest when
        its size and time match, hashed otherwise (files added since the last build)."""
        from .index.staleness import corpus_hashes

        return corpus_hashes(self.corpus_dir, self.current().index.manifest)


def _sources(state: AppState, reply) -> str:
    return render.sources_html(state.current().document, reply)


def document_view(assistant: Assistant, params: dict) -> str:
    """The document view for a link's ``doc``, ``start`` and ``end``, or why it cannot be."""
    doc = assistant.index.documents.get(str(params.get("doc", "")))

    def number(key):
        try:
            return int(str(params.get(key, "")))
        except ValueError:
            return params.get(key)

    start, end = number("start"), number("end")
    problem = render.link_problem(doc, start, end)
    if problem:
        return f"<p class='notice'>{html.escape(problem)}</p>"
    return render.document_html(doc, [(start, end)])


def page_address(request) -> str:
    """The page's public address, as the visitor's browser has it (behind a proxy too), for
    the links in copied and exported citations; "" when the request does not tell."""
    from gradio import route_utils

    try:
        req = request.request
        root_path = getattr(getattr(req, "app", None), "root_path", None)
        return route_utils.get_root_url(req, route_utils.get_api_call_path(req), root_path)
    except Exception:  # no request (a direct call), or a Gradio without these helpers
        return ""


def _mcp_results_as_json() -> None:
    """MCP tool results as JSON text. Gradio's MCP server writes a tool's result as ``str()``
    of it, a Python literal (single quotes, True, None) that MCP clients and models expecting
    JSON misread; the result is turned into JSON text before Gradio writes it. Wraps the one
    method that does so, once; a Gradio without it is left as it is (the test says which)."""
    import json

    try:
        from gradio.mcp import GradioMCPServer
        from gradio_client.utils import is_file_obj_with_meta
    except ImportError:  # gradio without its [mcp] extra
        return
    original = getattr(GradioMCPServer, "postprocess_output_data", None)
    if original is None or getattr(original, "_verbatim_json", False):
        return

    def postprocess_output_data(self, data, *args, **kwargs):
        data = [json.dumps(x, ensure_ascii=False)
                if isinstance(x, (dict, list)) and not is_file_obj_with_meta(x) else x
                for x in data]
        return original(self, data, *args, **kwargs)

    postprocess_output_data._verbatim_json = True
    GradioMCPServer.postprocess_output_data = postprocess_output_data


def create_app(state: AppState):
    import gradio as gr

    _mcp_results_as_json()

    def refresh(request: gr.Request):
        """What the page shows about the index, read at every page view; and what its link
        asks for: ``?doc=<id>&start=&end=`` opens the document view at that span, ``?q=``
        asks that question."""
        a = state.current()
        params = dict(request.query_params) if request is not None else {}
        view, chatted = gr.update(), (gr.update(),) * 6
        if "doc" in params:
            view = gr.update(value=document_view(a, params), visible=True)
        if isinstance(params.get("q"), str) and params["q"].strip():
            chatted = chat(params["q"], [], [], 3, "hybrid", "", [], request)
            chatted = chatted[:4] + chatted[5:]
        return (render.header_markdown(a.info), gr.update(choices=filter_choices(a)),
                gr.update(samples=[[e] for e in example_questions(a)]), view, *chatted)

    # Gradio passes the request to a parameter annotated with its class; this module's
    # annotations are strings and gradio is imported here only, so name the class itself.
    refresh.__annotations__["request"] = gr.Request

    def chat(message, messages, turns, n_quotes, mode, scope="", transcript=None,
             request=None):
        # The conversation lives in server-side state: the Chatbot is an output only, so no
        # client can hand the server message objects (files, URLs) to process.
        history = list(messages if isinstance(messages, list) else [])
        turns = [t for t in (turns if isinstance(turns, list) else []) if isinstance(t, str)]
        transcript = [t for t in (transcript if isinstance(transcript, list) else [])
                      if isinstance(t, str)]
        unchanged = (transcript, render.conversation_markdown(transcript))
        try:
            problem = check_question(message)
            if not problem and scope and parse_filter(scope) is None:
                problem = "That \"Search in\" choice is not valid; choose one from the list."
            assistant = state.current()
            if problem:
                shown = message if isinstance(message, str) and message.strip() \
                    and len(message) <= 500 else "…"
                history += [{"role": "user", "content": render.chat_question(shown)},
                            {"role": "assistant", "content": problem}]
                return history, history, turns, _sources(state, None), "", *unchanged
            base = page_address(request)
            reply = assistant.answer(message, turns[-MAX_HISTORY:],
                                     max_quotes=endpoints.whole_number(n_quotes, "quotes", 1, 5),
                                     mode=endpoints.search_mode(mode), where=parse_filter(scope))
            history += [{"role": "user", "content": render.chat_question(message)},
                        {"role": "assistant",
                         "content": render.chat_answer(reply.quotes, reply.closest,
                                                       reply.tentative, base,
                                                       reply.caveats)}]
            transcript = transcript + [render.turn_markdown(message, reply, base)]
            return (history, history, turns + [message],
                    render.sources_html(assistant.document, reply), "", transcript,
                    render.conversation_markdown(transcript))
        except Exception:
            log.error("chat failed:\n%s", traceback.format_exc())
            history += [{"role": "assistant",
                         "content": "Sorry, something went wrong answering that. Please try again."}]
            return history, history, turns, _sources(state, None), "", *unchanged

    chat.__annotations__["request"] = gr.Request

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
                lambda: state.rebuild(on_progress=lambda desc, frac: progress(frac, desc=desc)),
                lambda: list(state.current().index.manifest.get("files", {})))
            if outcome.build_problem:
                log.warning("upload saved, index not rebuilt: %s", outcome.build_problem)
            a = state.current()
            return (outcome.message(), render.header_markdown(a.info),
                    gr.update(choices=filter_choices(a)))
        except UploadRejected as e:
            return f"Not added: {e}", gr.update(), gr.update()
        except Exception as e:
            log.error("upload failed:\n%s", traceback.format_exc())
            return (f"Could not rebuild the index ({type(e).__name__}); the previous index is "
                    "still in use.", gr.update(), gr.update())
        finally:
            discard_temporary(paths)

    def retrieve(question: str | None = None, k: int = 5, mode: str = "hybrid",
                 where: dict | str | None = None) -> list[dict]:
        """Search the document collection and return the passages that best match a question,
        best first. Each passage is copied verbatim from its document: text equals the
        document's text from character start to character end. Use this to see the context;
        use answer to get the sentences that answer.

        Args:
            question: the question or search words, in plain language (at most 2,000 characters).
            k: how many passages to return, 1 to 50.
            mode: "hybrid" (meaning and keywords, best in general), "semantic" (meaning only) or "keyword" (exact words, good for names, numbers and article references).
            where: optional filter on document metadata, e.g. {"country": "Slovenia"} or {"doc_id": ["a.pdf", "b.txt"]}; a list matches any of its values.

        Returns:
            A list of passages, each with text, doc_id, title, section, start, end, page (PDFs) and score.
        """
        try:
            return endpoints.retrieve(state.current(), question, k, mode, where)
        except BadRequest as e:
            raise gr.Error(str(e), print_exception=False) from None
        except Exception:
            log.error("retrieve failed:\n%s", traceback.format_exc())
            raise gr.Error("Something went wrong searching; please try again.",
                           print_exception=False) from None

    def answer(question: str | None = None, history: list[str] | None = None,
               max_quotes: int = 3, mode: str = "hybrid",
               where: dict | str | None = None) -> dict:
        """Answer a question about the document collection only with verbatim quotes from the
        documents, each with its source. Quotes are never paraphrased: each quote's text equals
        its document's text from character start to character end, so it can be cited
        exactly. Cite the title, section and page given with each quote. If abstained is true,
        the documents do not answer the question: say so, and do not present the closest
        passages as an answer. If tentative is true, the quotes may not answer the question:
        say that they are the nearest the documents come.

        Args:
            question: the question, in plain language (at most 2,000 characters).
            history: earlier questions of the same conversation, oldest first, so that a follow-up such as "Who pays for it?" is understood; empty for a new question.
            max_quotes: how many quotes to return at most, 1 to 10.
            mode: "hybrid" (default, best in general), "semantic" or "keyword".
            where: optional filter on document metadata, e.g. {"country": "Slovenia"} or {"doc_id": "report.pdf"}.

        Returns:
            abstained, tentative, caveats (why a tentative answer may not answer), confidence, quotes (text, doc_id, title, section, start, end, page, score), closest (when abstaining: the nearest passages, not an answer) and markdown.
        """
        try:
            return endpoints.answer(state.current(), question, history, max_quotes, mode, where)
        except BadRequest as e:
            raise gr.Error(str(e), print_exception=False) from None
        except Exception:
            log.error("answer failed:\n%s", traceback.format_exc())
            raise gr.Error("Something went wrong answering; please try again.",
                           print_exception=False) from None

    with gr.Blocks(title="Verbatim — quotes from your documents",
                   delete_cache=(3600, 3600)) as demo:
        header = gr.Markdown(render.INTRO, elem_id="header")
        turns = gr.State([])
        messages = gr.State([])
        transcript = gr.State([])
        # The conversation as Markdown, for "Export conversation" (which saves it in the
        # browser: no file is written on the server).
        exported = gr.Textbox(render.conversation_markdown([]), visible=False,
                              elem_id="export-markdown")
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
                with gr.Row():
                    clear = gr.Button("New conversation", size="sm")
                    export = gr.Button("Export conversation", size="sm", elem_id="export")
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                sources = gr.HTML(_sources(state, None), elem_id="sources")
                document = gr.HTML(visible=False, elem_id="document")
        if not state.read_only:
            with gr.Accordion("Add documents", open=False, elem_id="upload"):
                gr.Markdown(f"Upload {', '.join(UPLOAD_SUFFIXES)} files (at most "
                            f"{UPLOAD_MAX_FILES} files, {UPLOAD_MAX_BYTES // (1024 * 1024)} MB "
                            "each). They are added to the corpus and the index is rebuilt.")
                # No ``file_types``: Gradio would refuse a whole upload for one file of another
                # type, without naming it; the server names each file it refuses
                # (``uploads.sort_uploads``) and adds the others.
                files = gr.File(file_count="multiple", label="Documents",
                                elem_id="upload-files")
                add_button = gr.Button("Add and rebuild", elem_id="upload-button")
                # Plain text: file names and record ids are the uploader's, so the status is
                # never rendered as Markdown (a link, a form, an image to fetch).
                status = gr.Textbox(show_label=False, interactive=False, lines=2,
                                    elem_id="upload-status")
            # Callable by the page and clients, but undocumented: so never an MCP tool.
            add_button.click(add, [files], [status, header, scope], api_name="add_documents",
                             api_visibility="undocumented", concurrency_limit=1)

        demo.load(refresh, None, [header, scope, examples, document, messages, chatbot, turns,
                                  sources, transcript, exported], api_visibility="private").then(
            None, None, None, api_visibility="private",
            js="() => { const m = document.querySelector('#document mark'); "
               "if (m) m.scrollIntoView({block: 'center'}); }")
        asking = dict(fn=chat,
                      inputs=[question, messages, turns, n_quotes, mode, scope, transcript],
                      outputs=[messages, chatbot, turns, sources, question, transcript, exported])
        # An example question is asked at once (it had only filled the box).
        examples.click(lambda sample: sample[0] if sample else "", examples, question,
                       api_visibility="private").then(**asking, api_visibility="private")
        question.submit(**asking, api_name="chat", api_visibility="undocumented")
        def new_conversation():
            return [], [], [], _sources(state, None), [], render.conversation_markdown([])

        # The chat panel's own trash button empties only what the browser shows: the
        # conversation the answers are read with lives in server-side state, so it is reset
        # here as "New conversation" resets it (else the next question was read with a history
        # the user had cleared away, and the export still held it).
        conversation_parts = [messages, chatbot, turns, sources, transcript, exported]
        clear.click(new_conversation, None, conversation_parts, api_visibility="private")
        chatbot.clear(new_conversation, None, conversation_parts, api_visibility="private")
        export.click(None, [exported], None, api_visibility="private", js=SAVE_SCRIPT)
        gr.api(retrieve, api_name="retrieve")
        gr.api(answer, api_name="answer")
    demo.queue(default_concurrency_limit=8)
    return demo


# Saves the conversation's Markdown as a file, in the browser.
SAVE_SCRIPT = """(markdown) => {
  const blob = new Blob([markdown], {type: 'text/markdown;charset=utf-8'});
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'verbatim-conversation-' + new Date().toISOString().slice(0, 10) + '.md';
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}"""


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

    opts = {"css": CSS, "head": render.COPY_SCRIPT, "show_error": False,
            "max_file_size": UPLOAD_MAX_BYTES}
    if state.read_only:
        opts["app_kwargs"] = {"middleware": [Middleware(_NoUploads)]}
    return opts


def prepare(corpus_dir: str | Path | None, index_dir: str | Path, read_only: bool = False,
            progress: bool = True, backend: str | None = None) -> AppState:
    """Build the index when missing or stale, then load it. Without a corpus folder the index
    is served as it is, and adding documents is off (there is no folder to add them to)."""
    from .index import BuildError, is_index_folder

    index_dir = Path(index_dir)
    if corpus_dir is None:
        if not is_index_folder(index_dir):
            raise BuildError(f"no index at {index_dir}/; pass --corpus to build one from a "
                             "folder of documents")
        print(f"Serving {index_dir}/ as it is (no --corpus given, so it is not rebuilt and "
              "adding documents is off).", flush=True)
        return AppState(None, index_dir, Assistant.load(index_dir), read_only=True,
                        backend=backend)
    corpus_dir = Path(corpus_dir)
    if corpus_dir.is_dir():
        print(f"Checking the index against {corpus_dir}/ …", flush=True)
    elif not is_index_folder(index_dir):
        # An index alone may be served (a copy made elsewhere); with neither, say both.
        what = "is not a folder" if corpus_dir.exists() else "not found"
        raise BuildError(f"corpus folder {what}: {corpus_dir}, and there is no index at "
                         f"{index_dir}/ to serve; pass --corpus (and --index)")
    report = ensure_index(corpus_dir, index_dir, progress=progress, backend=backend)
    if report is not None:
        print(report.summary(), flush=True)
    return AppState(corpus_dir, index_dir, Assistant.load(index_dir), read_only=read_only,
                    backend=backend)
