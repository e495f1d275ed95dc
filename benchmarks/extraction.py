"""Peak memory of reading one file at and beyond the extraction limits.

    python benchmarks/extraction.py

Each case runs in a fresh interpreter that imports the readers first, then reads one file with
``assistant.loading.load_file``; printed: the file's size on disk, what happened (documents or
the skip reason), seconds, and how much the process's peak RSS grew while reading. The
README's security section quotes these figures as the memory budget for one file.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(path: Path, xml_mb: float) -> Path:
    """A Word document whose document.xml is about ``xml_mb`` MB of paragraphs."""
    import docx as python_docx

    src = path.with_suffix(".base.docx")
    python_docx.Document().save(str(src))
    para = (b"<w:p><w:r><w:t>Labour inspectors visited %d workplaces and referred presumed "
            b"victims to support services.</w:t></w:r></w:p>")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            if info.filename != "word/document.xml":
                z.writestr(info.filename, zin.read(info.filename))
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><w:document ' + _NS + b"><w:body>")
            n = 0
            while n < xml_mb * 2**20:
                chunk = b"".join(para % i for i in range(n, n + 1000))
                f.write(chunk)
                n += len(chunk)
            f.write(b"</w:body></w:document>")
    src.unlink()
    return path


def html(path: Path, mb: float) -> Path:
    para = "<p>Labour inspectors visited {} workplaces and referred presumed victims.</p>\n"
    with open(path, "w") as f:
        f.write("<html><head><title>Big page</title></head><body><main><h1>Big page</h1>")
        i = 0
        while f.tell() < mb * 2**20:  # distinct paragraphs: trafilatura drops repeated ones
            f.write(para.format(i))
            i += 1
        f.write("</main></body></html>")
    return path


def crowded_html(path: Path, mb: float) -> Path:
    """One paragraph of emphasis tags ("<b>x</b>" ...): trafilatura's handling of emphasis is
    quadratic in a paragraph's children, so the reader takes the tags out first."""
    with open(path, "w") as f:
        f.write("<html><head><title>Crowded page</title></head><body><main><h1>Crowded</h1>"
                "<p>Labour inspectors visited workplaces.</p><p>")
        while f.tell() < mb * 2**20:
            f.write("<b>x</b>" * 1024)
        f.write("</p></main></body></html>")
    return path


def deep_html(path: Path, levels: int) -> Path:
    """Text nested ``levels`` deep, and a paragraph after the nest."""
    path.write_text("<html><head><title>Deep page</title></head><body><main><h1>Deep</h1>"
                    "<p>Labour inspectors visited workplaces.</p>" + "<div>" * levels
                    + "<p>Inside the nest.</p>" + "</div>" * levels
                    + "<p>After the nest: referrals rose.</p></main></body></html>")
    return path


def nested_lists_html(path: Path, levels: int, mb: float) -> Path:
    """Lists nested ``levels`` deep around ``mb`` of text: each item's text holds the rest."""
    path.write_text("<html><head><title>Lists</title></head><body><main><h1>Lists</h1>"
                    "<p>Labour inspectors visited workplaces.</p>" + "<ul><li>item " * levels
                    + "x" * int(mb * 2**20) + "</li></ul>" * levels
                    + "<p>After the lists.</p></main></body></html>")
    return path


def tiny_paragraphs_html(path: Path, mb: float) -> Path:
    """Paragraphs of one letter, with text between them: trafilatura's time grows with the
    square of a page's elements, so past ``MAX_EXTRACTED_ELEMENTS`` the page is read
    otherwise."""
    with open(path, "w") as f:
        f.write("<html><head><title>Tiny</title></head><body>")
        while f.tell() < mb * 2**20:
            f.write("<p>x</p>t" * 1024)
        f.write("</body></html>")
    return path


def measure(path: Path) -> str:
    code = (
        "import resource, time\n"
        "from pathlib import Path\n"
        "import docx, pypdf, trafilatura, lxml.etree\n"
        "from assistant.loading import CorpusFile, load_file\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "t = time.perf_counter(); skipped = []\n"
        f"docs = list(load_file(CorpusFile(Path({str(path)!r}), {path.name!r}), skipped.append))\n"
        "grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024\n"
        "what = f'{len(docs)} document(s), {sum(len(d.text) for d in docs):,} characters' if "
        "docs else 'skipped: ' + skipped[0].reason[:70]\n"
        "print(f'{what} | {time.perf_counter() - t:.1f} s | peak RSS +{grown:.0f} MB')\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() or out.stderr.strip().splitlines()[-1]


def main() -> None:
    from assistant import extract

    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        xml_mb = extract.MAX_DOCX_XML_BYTES / 2**20
        html_mb = extract.MAX_HTML_BYTES / 2**20
        cases = [
            (f"docx, {xml_mb - 1:.0f} MB of XML (just under the limit)",
             docx(d / "under.docx", xml_mb - 1)),
            ("docx bomb, 1 GB of XML", docx(d / "bomb.docx", 1024)),
            (f"HTML, {html_mb - 0.5:.1f} MB (just under the limit)",
             html(d / "page.html", html_mb - 0.5)),
            (f"HTML, {2 * html_mb:.0f} MB (over the limit)", html(d / "big.html", 2 * html_mb)),
            (f"HTML, {html_mb - 0.5:.1f} MB, one paragraph of <b>",
             crowded_html(d / "crowded.html", html_mb - 0.5)),
            ("HTML nested 2,000 levels deep", deep_html(d / "deep.html", 2000)),
            ("HTML nested 3,000 levels deep", deep_html(d / "deeper.html", 3000)),
            ("HTML, 1,000 nested lists around 3 MB", nested_lists_html(d / "lists.html", 1000, 3)),
            (f"HTML, {html_mb - 0.5:.1f} MB of one-letter paragraphs",
             tiny_paragraphs_html(d / "tiny.html", html_mb - 0.5)),
        ]
        print(f"{'file':<42} {'on disk':>9} | result")
        for label, path in cases:
            print(f"{label:<42} {path.stat().st_size / 2**20:>7.1f} MB | {measure(path)}")


if __name__ == "__main__":
    main()
