"""Answers and document text as people see them: Markdown (``Answer.markdown``), the chat's
HTML, and plain text (terminal, clipboard), with one citation format.

Document text is untrusted and must be shown exactly as it is: no Markdown, no HTML, no link
made from a URL in it, no LaTeX. Escaping Markdown with backslashes is not enough (a renderer's
autolinks keep the backslashes inside URLs and link them), so every ASCII punctuation character
becomes a numeric character reference: the renderer's source then holds no syntax at all, and
the browser shows the character itself. Bidirectional control characters, which would reorder
what is shown around them, are shown as their code point instead ("⟨U+202E⟩").
"""
from __future__ import annotations

import html
import re
from collections.abc import Sequence

from .wording import count

# Invisible characters that change the display order of the text around them, or hide inside
# it (zero-width spaces and joiners, soft hyphens, byte-order marks): shown as code points.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                          "\u200e\u200f\u061c\u200b\u200c\u200d\u2060\ufeff\u00ad")
_KEEP = frozenset(" ,;?")  # punctuation that no renderer gives a meaning to


def _shown_as_code(chars) -> dict[int, str]:
    return {ord(ch): f"⟨U+{ord(ch):04X}⟩" for ch in chars}


_VISIBLE = _shown_as_code(BIDI_CONTROLS)
# For a terminal (and the clipboard, which may be pasted into one) also every control
# character but tab and newline: escape sequences in a document could otherwise clear the
# screen, retitle the window or hide a link.
_TERMINAL = _VISIBLE | _shown_as_code(
    chr(c) for c in [*range(0x20), *range(0x7f, 0xa0)] if chr(c) not in "\t\n")


def visible(text: str, controls: bool = False) -> str:
    """``text`` as it is shown: bidirectional controls replaced by their code point; with
    ``controls``, also the control characters a terminal would act on."""
    return text.translate(_TERMINAL if controls else _VISIBLE)


def _encode(ch: str) -> str:
    if ch in BIDI_CONTROLS:
        return f"⟨U+{ord(ch):04X}⟩"
    if ch in "&<>":
        return html.escape(ch)
    if ch < "\x80" and not ch.isalnum() and ch not in _KEEP:
        return f"&#{ord(ch)};"
    return ch


# Every character ``_encode`` changes, as a ``str.translate`` table (one pass in C).
_TABLE = {ord(ch): _encode(ch) for ch in
          [chr(c) for c in range(128) if chr(c) != "\n"] + sorted(BIDI_CONTROLS)
          if _encode(ch) != ch}


def literal(text: str, newline: str = "&#10;") -> str:
    """Text for a Markdown or HTML renderer that shows it literally, character for character.
    Newlines become ``newline``: by default a character reference, so that the text is one line
    of source (shown as lines under CSS ``white-space: pre-wrap``)."""
    return text.translate(_TABLE).replace("\n", newline)


def citation(title: str, section: str = "", page: int | None = None) -> str:
    """The one citation format: "Title, Section, p. 12" (plain text)."""
    return title + (f", {section}" if section else "") + (f", p. {page}" if page else "")


def citation_literal(title: str, section: str = "", page: int | None = None) -> str:
    """``citation`` for a renderer: the document's title and section literal, the rest ours."""
    return literal(citation(title, section)) + (f", p. {page}" if page else "")


NOT_COVERED = "The documents do not cover this question."
TENTATIVE = "These passages may not answer your question."


# Beside each quote of a tentative answer: the label above the quotes scrolls out of sight
# when the answer is long (the chat shows its end), so every citation says it too.
MAY_NOT_ANSWER = "may not answer"


def tentative_label(caveats: Sequence[str] = ()) -> str:
    """The label of a tentative answer, saying why when the reasons are known
    (``Answer.caveats``)."""
    return f"{TENTATIVE[:-1]}: {'; '.join(caveats)}." if caveats else TENTATIVE
NOT_COVERED_DETAIL = "Nothing in them answers it closely enough to quote."


def _snippet(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


# --- Markdown (Answer.markdown) ----------------------------------------------------------------

def _lead(line: str) -> str:
    stripped = line.lstrip(" ")
    return "&#32;" * (len(line) - len(stripped)) + stripped


def answer_markdown(quotes: Sequence, closest: Sequence = (), tentative: bool = False,
                    caveats: Sequence[str] = ()) -> str:
    """Block quotes, each followed by its numbered citation; or the abstention with the closest
    passages, marked as not an answer. Portable Markdown: any renderer shows the text
    literally."""
    if not quotes:
        md = f"**{NOT_COVERED}** {NOT_COVERED_DETAIL}"
        if closest:
            md += "\n\nClosest passages (not an answer):"
            for h in closest:
                md += (f"\n- *{citation_literal(h.title, h.section, h.page)}*: "
                       f"{literal(_snippet(h.text), ' ')}")
        return md
    parts = []
    for n, q in enumerate(quotes, start=1):
        # Leading spaces as references too: four of them would start a code block.
        body = "\n".join("> " + _lead(line) if line.strip() else ">"
                         for line in literal(q.text, "\n").split("\n"))
        maybe = f" *({MAY_NOT_ANSWER})*" if tentative else ""
        parts.append(f"{body}\n\n[{n}] {citation_literal(q.title, q.section, q.page)}{maybe}")
    label = literal(tentative_label(caveats), " ")
    return (f"*{label}*\n\n" if tentative else "") + "\n\n".join(parts)


# --- the chat (HTML inside the Chatbot's Markdown) ---------------------------------------------

def chat_question(text: str) -> str:
    """A user's question in the chat: shown as typed, never as Markdown (an image in it would
    make the browser fetch a URL)."""
    return f'<div class="vq-question">{literal(text)}</div>'


def chat_answer(quotes: Sequence, closest: Sequence = (), tentative: bool = False,
                base: str = "", caveats: Sequence[str] = ()) -> str:
    """An answer in the chat. Each quote is one HTML block (a single source line, so Markdown
    never looks inside it), shown with its exact spaces and line breaks. Each citation number
    links to the document view at the quote (``base`` is the page's address); the answer ends
    with a button that copies the quotes and their citations as plain text (``copy_text``)."""
    if not quotes:
        out = f"**{NOT_COVERED}** {NOT_COVERED_DETAIL}"
        if closest:
            out += "\n\nClosest passages (not an answer):\n"
            out += "\n".join(f"- *{citation_literal(h.title, h.section, h.page)}*: "
                             f"{literal(_snippet(h.text), ' ')}" for h in closest)
        return out
    parts = []
    for n, q in enumerate(quotes, start=1):
        maybe = f' <span class="vq-maybe">({MAY_NOT_ANSWER})</span>' if tentative else ""
        parts.append(f'<blockquote class="vq">{literal(q.text)}</blockquote>\n\n'
                     f"{_numbered_link(n, q)} {citation_literal(q.title, q.section, q.page)}"
                     f"{maybe}")
    head = (f'<p class="vq-tentative">{literal(tentative_label(caveats))}</p>\n\n'
            if tentative else "")
    # The clipboard text rides in the button's value, entity-encoded like every document text
    # (the chat's sanitiser removes data- attributes); the page's script (COPY_SCRIPT) copies it.
    button = (f'<div class="vq-actions"><button class="vq-copy" type="button" '
              f'value="{literal(copy_text(quotes, tentative, base, caveats))}" '
              'title="Copy the quotes with their citations">Copy quotes</button></div>')
    return head + "\n\n".join(parts) + "\n\n" + button


def _numbered_link(n: int, q) -> str:
    return (f"<a class='src-link' href='{html.escape(source_link(q.doc_id, q.start, q.end))}' "
            "target='_blank' rel='noopener' title='Open the document at this quote (new "
            f"tab)'>[{n}]</a>")


# What the copy buttons run: one listener for the whole page, so that answers added later need
# no script of their own. The clipboard API exists only in secure contexts (https, localhost);
# elsewhere a selected text area and execCommand do the same.
COPY_SCRIPT = """<script>
document.addEventListener('click', async (event) => {
  const button = event.target.closest && event.target.closest('button.vq-copy');
  if (!button) return;
  const text = button.value || '';
  let done = false;
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text); done = true;
    }
  } catch (e) { done = false; }
  if (!done) {
    const area = document.createElement('textarea');
    area.value = text; area.setAttribute('readonly', '');
    area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select();
    try { done = document.execCommand('copy'); } catch (e) { done = false; }
    area.remove();
  }
  button.textContent = done ? 'Copied' : 'Copy failed: select the text instead';
  setTimeout(() => { button.textContent = 'Copy quotes'; }, 2000);
});
</script>"""


# --- plain text (terminal, clipboard) ----------------------------------------------------------

def answer_plain(quotes: Sequence, closest: Sequence = (), *, offsets: bool = True,
                 tentative: bool = False, caveats: Sequence[str] = ()) -> str:
    if not quotes:
        lines = [NOT_COVERED]
        lines += [f"  (closest, not an answer: "
                  f"{visible(citation(h.title, h.section, h.page), True)})"
                  for h in closest]
        return "\n".join(lines)
    out = []
    for n, q in enumerate(quotes, start=1):
        where = citation(q.title, q.section, q.page)
        if offsets:
            where += f" ({q.doc_id}, characters {q.start}–{q.end})"
        out.append(f"[{n}] “{visible(q.text, True)}”\n    {visible(where, True)}")
    return (f"({tentative_label(caveats)})\n\n" if tentative else "") + "\n\n".join(out)


def link(base: str, q) -> str:
    """The absolute link to a quote's document view: ``base`` is the page's address."""
    return base.rstrip("/") + "/" + source_link(q.doc_id, q.start, q.end)


def cite_plain(q, base: str = "") -> str:
    """A quote's citation as people paste it into a report: title, section, page, link."""
    where = visible(" ".join(citation(q.title, q.section, q.page).split()), True)
    return where + (f", {link(base, q)}" if base else "")


def copy_text(quotes: Sequence, tentative: bool = False, base: str = "",
              caveats: Sequence[str] = ()) -> str:
    """What the copy button puts on the clipboard: each quote in quotation marks, exactly as
    the document has it, followed by its citation."""
    out = [f"“{visible(q.text, True)}”\n— {cite_plain(q, base)}" for q in quotes]
    return (f"({tentative_label(caveats)})\n\n" if tentative else "") + "\n\n".join(out)


# --- the conversation as a Markdown file ------------------------------------------------------

# Backslash-escaped wherever they stand: what would otherwise make emphasis, code, links,
# images, HTML, tables or character references. Line starts are handled by ``_md_line``.
_MD_ESCAPES = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>!|~&$"})


def _md_line(line: str) -> str:
    body = line.translate(_MD_ESCAPES)
    stripped = body.lstrip(" \t")
    # Leading blanks as references: four spaces or a tab would start a code block.
    lead = "".join("&#9;" if ch == "\t" else "&#32;" for ch in body[:len(body) - len(stripped)])
    digits = len(stripped) - len(stripped.lstrip("0123456789"))
    marker = stripped[digits:digits + 1] if digits else stripped[:1]
    if marker and marker in ("#-+=>" if not digits else ".)"):  # headings, lists, rules
        stripped = stripped[:digits] + "\\" + stripped[digits:]
    return lead + stripped


def markdown_text(text: str, prefix: str = "") -> str:
    """Document text as readable Markdown that renders to exactly that text: every line
    behind ``prefix`` (``"> "`` for a block quote), special characters backslash-escaped,
    line breaks kept as hard breaks."""
    lines = [visible(line) for line in re.split(r"\r\n|\r|\n", text)]
    out = []
    for line, after in zip(lines, lines[1:] + [""]):
        if not line.strip():
            out.append(prefix.rstrip())
            continue
        # A backslash at the end of a line is a hard line break, unless a blank line follows.
        out.append(prefix + _md_line(line) + ("\\" if after.strip() else ""))
    return "\n".join(out)


def turn_markdown(question: str, reply, base: str = "") -> str:
    """One question and its answer for the exported conversation."""
    heading = _md_line(visible(" ".join(question.split())))
    if heading.endswith("#") and not heading.endswith("\\#"):  # a closing "#" sequence
        heading = heading[:-1] + "\\#"  # would be taken off the heading
    out = [f"## {heading}"]
    if reply.abstained:
        out.append(f"*{NOT_COVERED}*")
        for h in reply.closest:
            # With its link: two passages of one section would otherwise read the same.
            out.append(f"- Closest, not an answer: {_md_cite(h)}"
                       + (f", <{link(base, h)}>" if base else ""))
        return "\n\n".join(out)
    if reply.tentative:
        out.append(f"*{markdown_text(tentative_label(reply.caveats))}*")
    for n, q in enumerate(reply.quotes, start=1):
        cite = _md_cite(q)
        out.append(markdown_text(q.text, "> "))
        out.append(f"[{n}] {cite}" + (f", <{link(base, q)}>" if base else ""))
    return "\n\n".join(out)


def _md_cite(x) -> str:
    """A citation on one Markdown line: a title with line breaks in it stays one line."""
    return markdown_text(" ".join(citation(x.title, x.section, x.page).split()))


def conversation_markdown(turns: Sequence[str], title: str = "Verbatim conversation") -> str:
    """The exported conversation: the ``turn_markdown`` of each question, oldest first (an
    export before any question says so, rather than being a file with a heading only)."""
    body = "\n\n".join(turns) if turns else "No question has been asked yet."
    return f"# {title}\n\n{body}\n"


# --- the page's HTML (header, sources panel) ---------------------------------------------------

INTRO = ("# Verbatim\n"
         "Answers questions about your documents **only with verbatim quotes**, each with its "
         "source. When the documents do not answer, it says so.")


def header_markdown(info: dict) -> str:
    built = info["built_at"].replace("T", " ").replace("+00:00", " UTC")
    return (f"{INTRO}\n\n"
            f"Loaded: {count(info['documents'], 'document')}, "
            f"{count(info['passages'], 'passage')} · "
            f"model `{info['model']}` ({_backend(info)}) · index built {built}")


def _backend(info: dict) -> str:
    backend, reason = info.get("backend", "torch"), info.get("backend_reason", "")
    return f"{backend}: {reason}" if reason and reason != "as the index was built" else backend


def context_html(doc_text: str, start: int, end: int, marks: Sequence[tuple[int, int]]) -> str:
    """``doc_text[start:end]`` as literal HTML, with the ``marks`` spans wrapped in <mark>."""
    out, pos = [], start
    for a, b in sorted(marks):
        a, b = max(a, start), min(b, end)
        if a < pos or a >= b:
            continue
        out.append(literal(doc_text[pos:a]))
        out.append(f"<mark>{literal(doc_text[a:b])}</mark>")
        pos = b
    out.append(literal(doc_text[pos:end]))
    return "".join(out)


def sources_html(document, reply) -> str:
    """The sources panel: each passage the answer quotes, once, with every quoted sentence in
    it highlighted; or, on abstention, the closest passages marked as not an answer.
    ``document(doc_id)`` gives a document."""
    if reply is None:
        return "<p class='notice'>Sources of the latest answer appear here.</p>"
    if reply.abstained:
        if not reply.closest:
            return f"<p class='notice'>{html.escape(NOT_COVERED)}</p>"
        parts = [f"<p class='notice'>{html.escape(NOT_COVERED)} Closest passages, "
                 "<b>not an answer</b>:</p>"]
        for h in reply.closest:
            text = document(h.doc_id).text
            parts.append(f"<div class='src closest'><div class='src-head'>"
                         f"{citation_literal(h.title, h.section, h.page)}"
                         f"</div><div class='src-body'>{context_html(text, h.start, h.end, [])}"
                         "</div></div>")
        return "".join(parts)
    groups: dict[tuple, list] = {}
    # A tentative answer says so here too: its label in the chat may be out of sight.
    head = (f"<p class='notice vq-tentative'>{literal(tentative_label(reply.caveats))}</p>"
            if reply.tentative else "")
    for n, q in enumerate(reply.quotes, start=1):
        key = (q.doc_id, q.passage.start, q.passage.end) if q.passage else \
            (q.doc_id, q.start, q.end)
        groups.setdefault(key, []).append((n, q))
    parts = []
    for (doc_id, start, end), quotes in groups.items():
        text = document(doc_id).text
        start = min([start] + [q.start for _, q in quotes])
        end = max([end] + [q.end for _, q in quotes])
        first = quotes[0][1]
        numbers = " ".join(_numbered_link(n, q) for n, q in quotes)
        spans = ", ".join(f"{q.start}–{q.end}" for _, q in quotes)
        parts.append(f"<div class='src' id='source-{quotes[0][0]}'><div class='src-head'>"
                     f"{numbers} {citation_literal(first.title, first.section, first.page)} "
                     f"<small>({literal(doc_id)}, characters {spans})</small></div>"
                     f"<div class='src-body'>"
                     f"{context_html(text, start, end, [(q.start, q.end) for _, q in quotes])}"
                     "</div></div>")
    return head + "".join(parts)


# --- links to the source, and the document view ------------------------------------------------

def source_link(doc_id: str, start: int, end: int) -> str:
    """The page's link to a span of a document (survives restarts while the text is the same)."""
    from urllib.parse import urlencode

    return "?" + urlencode({"doc": doc_id, "start": start, "end": end})


def document_html(doc, spans: Sequence[tuple[int, int]]) -> str:
    """A whole document, literal, with ``spans`` highlighted (the first one is scrolled to);
    the page number of the first span for PDFs."""
    first = min(spans) if spans else None
    page = doc.page_at(first[0]) if first else None
    head = (f"<div class='doc-head'>{literal(doc.title)} <small>({literal(doc.doc_id)}"
            + (f", characters {first[0]}–{first[1]}" if first else "")
            + (f", p. {page}" if page else "") + ")</small></div>")
    return (f"<div class='doc-view'>{head}<div class='src-body doc-body'>"
            f"{context_html(doc.text, 0, len(doc.text), list(spans))}</div></div>")


def link_problem(doc, start, end) -> str | None:
    """Why a link's span cannot be shown, in words for the reader; None when it can."""
    if doc is None:
        return "This link points to a document the index no longer holds."
    if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start < end:
        return ("This link is not valid: it needs a start and an end character, whole numbers "
                "with the start before the end (?doc=<id>&start=<s>&end=<e>).")
    if end > len(doc.text):
        # Said both ways: a link typed or edited by hand is as likely as a changed document.
        return (f"This link points to characters {start}–{end} of {doc.title}, which it does "
                f"not have (it has {len(doc.text):,} characters): the link may be mistyped, or "
                "the document has changed since the link was made.")
    return None
