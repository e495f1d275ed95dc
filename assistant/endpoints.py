"""The ``retrieve`` and ``answer`` endpoints, whatever serves them (the web page's API, the MCP
tools): every argument from an untrusted caller checked with a message that names it, results
as JSON-ready dicts. Also the page's "Search in" choices and example questions.
"""
from __future__ import annotations

import json

from .api import Assistant
from .queries import MAX_QUESTION_CHARS, conversation
from .render import visible
from .search import MODES, check_where
from .types import Answer

MAX_HISTORY = 6  # earlier user turns considered for follow-ups
MAX_HISTORY_ITEMS = 100  # what a caller may send
MAX_K = 50
MAX_QUOTES = 10


class BadRequest(ValueError):
    """An argument is wrong; the message says which and how."""


def check_question(message) -> str | None:
    """A friendly problem with the question, or None when it can be asked."""
    if message is not None and not isinstance(message, str):
        return f"The question must be text (a string), not {type(message).__name__}."
    if not isinstance(message, str) or not message.strip():
        return "Please type a question about the documents."
    if len(message) > MAX_QUESTION_CHARS:
        return (f"That question is {len(message):,} characters long; please ask in at most "
                f"{MAX_QUESTION_CHARS:,} characters.")
    return None


def question_text(question) -> str:
    problem = check_question(question)
    if problem:
        raise BadRequest(problem)
    return question


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
        except (ValueError, RecursionError):  # RecursionError: nesting thousands deep
            raise BadRequest('where must be an object such as {"country": "Slovenia"} '
                             "(or its JSON text); this text is not JSON") from None
    try:
        return check_where(where)
    except ValueError as e:
        raise BadRequest(str(e)) from None


def history_turns(history) -> list[str]:
    """The earlier questions: a list of strings or of chat messages (``{"role": "user",
    "content": "..."}``, the assistant's own left out), or one of either, as the Python API
    takes them."""
    if history is None:
        return []
    if isinstance(history, (str, dict)):  # one question, or one chat message
        history = [history]
    if not isinstance(history, (list, tuple)):
        raise BadRequest("history must be a list of the earlier questions (strings or chat "
                         "messages), oldest first")
    too_long = BadRequest(f"history may hold at most {MAX_HISTORY_ITEMS} questions of at "
                          f"most {MAX_QUESTION_CHARS:,} characters each")
    if len(history) > MAX_HISTORY_ITEMS:
        raise too_long
    try:
        turns = conversation(history)
    except (TypeError, ValueError) as e:
        raise BadRequest(str(e)) from None
    if any(len(h) > MAX_QUESTION_CHARS for h in turns):
        raise too_long
    return [h for h in turns if h.strip()][-MAX_HISTORY:]


def hit_dict(h) -> dict:
    return {"text": h.text, "doc_id": h.doc_id, "title": h.title, "section": h.section,
            "start": h.start, "end": h.end, "page": h.page, "score": h.score}


def answer_dict(reply: Answer) -> dict:
    return {"abstained": reply.abstained, "tentative": reply.tentative,
            "caveats": list(reply.caveats), "confidence": reply.confidence,
            "markdown": reply.markdown,
            "quotes": [{**hit_dict(q), "passage": None} for q in reply.quotes],
            "closest": [hit_dict(h) for h in reply.closest]}


def retrieve(assistant: Assistant, question=None, k=5, mode="hybrid", where=None) -> list[dict]:
    """The checked ``retrieve`` endpoint; BadRequest for a wrong argument."""
    hits = assistant.retrieve(question_text(question), k=whole_number(k, "k", 1, MAX_K),
                              mode=search_mode(mode), where=where_filter(where))
    return [hit_dict(h) for h in hits]


def answer(assistant: Assistant, question=None, history=None, max_quotes=3, mode="hybrid",
           where=None) -> dict:
    """The checked ``answer`` endpoint; BadRequest for a wrong argument."""
    reply = assistant.answer(question_text(question), history_turns(history),
                             max_quotes=whole_number(max_quotes, "max_quotes", 1, MAX_QUOTES),
                             mode=search_mode(mode), where=where_filter(where))
    return answer_dict(reply)


# --- the page's choices -------------------------------------------------------------------------

ALL_DOCUMENTS = "All documents"
# Per-document values (the document choice covers them), and the document's own fields, which
# metadata can never stand for.
FILTER_SKIP_KEYS = {"url", "pages", "doc_id", "title", "source"}
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
            out += [(visible(f"{k}: {v}"), json.dumps({k: v})) for v in sorted(meta[k])]
    out += [(visible(f"Document: {d.title}" + (f" ({d.doc_id})" if d.title != d.doc_id
                                               else "")),
             json.dumps({"doc_id": d.doc_id})) for d in docs]
    out = [(label, value) for label, value in out if parse_filter(value) or not value]
    return out[:MAX_FILTER_CHOICES]


def parse_filter(value) -> dict | None:
    """The ``where`` dict of a menu value; None for all documents or anything malformed."""
    if not value or not isinstance(value, str):
        return None
    try:
        return where_filter(value)
    except BadRequest:
        return None


def example_questions(assistant: Assistant, n: int = 4) -> list[str]:
    """Questions drawn from the corpus itself: its section headings."""
    seen, out = set(), []
    for d in assistant.documents:
        for s in d.sections:
            h = visible(s.heading.strip())
            if h and h.lower() not in seen and len(h.split()) <= 8:
                seen.add(h.lower())
                out.append(f"What do the documents say about {h[0].lower() + h[1:]}?")
            if len(out) >= n:
                return out
    return out
