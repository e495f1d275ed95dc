"""Small real HTML, PDF and DOCX files for tests, made at test time (no binary fixtures)."""
from __future__ import annotations

from pathlib import Path


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(path: Path, pages: list[list[str]], title: str | None = None) -> Path:
    """A minimal PDF 1.4 with one text line per item (Helvetica), a page per list; an empty
    list makes a page with no text layer, like a scan."""
    objects: list[str] = []
    kids = []
    n_pages = len(pages)
    # 1 catalog, 2 pages, 3 font, then (page, content) pairs, then info
    for i, lines in enumerate(pages):
        page_no, content_no = 4 + 2 * i, 5 + 2 * i
        kids.append(f"{page_no} 0 R")
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
        for line in lines:
            ops.append(f"{_pdf_string(line)} Tj T*")
        ops.append("ET")
        stream = "\n".join(ops) if lines else ""
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_no} 0 R >>")
        objects.append(f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream")
    head = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {n_pages} >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    all_objects = head + objects
    info_no = None
    if title:
        all_objects.append(f"<< /Title {_pdf_string(title)} >>")
        info_no = len(all_objects)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(all_objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(all_objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    trailer = f"<< /Size {len(all_objects) + 1} /Root 1 0 R"
    if info_no:
        trailer += f" /Info {info_no} 0 R"
    out += f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def make_docx(path: Path, title: str, parts: list[tuple[str, str]]) -> Path:
    """``parts``: (style, text), style "h1"/"h2" for headings, "p" for body paragraphs, or
    the name of a paragraph style of Word's template ("List Bullet", "List Number")."""
    import docx

    d = docx.Document()
    d.add_heading(title, level=0)  # the "Title" style
    for style, text in parts:
        if style in ("h1", "h2", "h3"):
            d.add_heading(text, level=int(style[1:]))
        elif style == "p":
            d.add_paragraph(text)
        else:
            d.add_paragraph(text, style=style)
    d.save(str(path))
    return path


def make_html(path: Path, title: str, parts: list[tuple[str, str]]) -> Path:
    import html

    body = []
    for style, text in parts:
        tag = style if style.startswith("h") else "p"
        body.append(f"<{tag}>{html.escape(text)}</{tag}>")
    path.write_text(
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body>"
        "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
        "<li><a href='/contact'>Contact us</a></li></ul></nav>"
        f"<main><article><h1>{html.escape(title)}</h1>{''.join(body)}</article></main>"
        "<footer><p>Cookie settings · Privacy policy · © 2024 Example Ministry</p></footer>"
        "</body></html>", encoding="utf-8")
    return path
