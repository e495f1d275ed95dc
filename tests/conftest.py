"""One index of the seed corpus, built once per test session and shared (read-only)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
SEED_CORPUS = ROOT / "corpus"
EVAL_DIR = ROOT.parent / "shared" / "eval"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session", autouse=True)
def onnx_cache(tmp_path_factory) -> Path:
    """A fresh cache for ONNX exports, so every run exercises the export itself."""
    path = tmp_path_factory.mktemp("verbatim-cache")
    os.environ["VERBATIM_CACHE"] = str(path)
    return path


@pytest.fixture(scope="session")
def seed_corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus")
    shutil.copy(SEED_CORPUS / "slovenia.txt", path / "slovenia.txt")
    return path


@pytest.fixture(scope="session")
def seed_index(seed_corpus, tmp_path_factory) -> Path:
    from assistant import build_index

    index = tmp_path_factory.mktemp("built") / "index"
    build_index(seed_corpus, index)
    return index


@pytest.fixture(scope="session")
def assistant(seed_index):
    from assistant import Assistant

    return Assistant.load(seed_index)


def assistant_over(folder: Path, files: dict[str, str]):
    """An assistant over a corpus of ``files`` (name -> text) built in ``folder``: for tests
    that need a text of their own."""
    from assistant import Assistant, build_index

    corpus = folder / "corpus"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    build_index(corpus, folder / "index")
    return Assistant.load(folder / "index")


def run_python(code: str, timeout: int = 300) -> str:
    """Run ``code`` in a fresh interpreter from the project root (so that what it imports and
    how much memory it uses are its own); its stdout, or the test fails with its stderr."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=timeout)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def eval_file(name: str) -> Path:
    """A seed question set from shared/eval, or its copy in tests/data/seed when the checkout
    has no shared/ folder beside it."""
    path = EVAL_DIR / name
    return path if path.exists() else DATA / "seed" / name


def save_screenshot(page, name: str, tmp_path: Path) -> Path:
    """A full-page screenshot for reviewers: in the test's folder, and in $SHOT_DIR if set."""
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=True)
    if os.environ.get("SHOT_DIR"):
        shutil.copy(path, os.environ["SHOT_DIR"])
    return path


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium through Playwright, one per test module."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_app(root: Path, seed_index: Path, extra: dict[str, str], *, read_only: bool = False,
              **launch):
    """A live server on 127.0.0.1 over the seed page plus ``extra`` documents (name -> text),
    started as ``python -m assistant`` starts it (``prepare``: the copied seed index is
    brought up to date incrementally). ``launch`` adds ``demo.launch`` arguments (e.g.
    ``mcp_server=True``). Returns (demo, url, state); the caller closes the demo."""
    from assistant.app import create_app, launch_options, prepare

    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_CORPUS / "slovenia.txt", corpus)
    for name, text in extra.items():
        (corpus / name).write_text(text, encoding="utf-8")
    index = root / "index"
    shutil.copytree(seed_index, index)
    state = prepare(corpus, index, read_only=read_only, progress=False)
    demo = create_app(state)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True,
                quiet=True, **launch_options(state), **launch)
    return demo, f"http://127.0.0.1:{port}/", state


@pytest.fixture(scope="session")
def kestovia(tmp_path_factory):
    """Three documents on a fictional country (a shelter's annual report, a labour
    inspectorate's circular, a national action plan) that a blind probing helper wrote in the
    ninth session of 2026-12-06 to try the reading of words the documents never use
    (tests/data/kestovia)."""
    folder = Path(__file__).parent / "data" / "kestovia"
    return assistant_over(tmp_path_factory.mktemp("kestovia"),
                          {f.name: f.read_text(encoding="utf-8") for f in folder.iterdir()})
