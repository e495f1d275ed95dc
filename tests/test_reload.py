"""A running app picks up an index rebuilt by another process, without failing requests."""
from __future__ import annotations

import shutil
import subprocess
import sys
import threading

from assistant.app import AppState
from assistant import Assistant
from conftest import ROOT


def test_rebuild_by_another_process_is_picked_up_mid_traffic(seed_corpus, seed_index, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(seed_corpus, corpus)
    index = tmp_path / "index"
    shutil.copytree(seed_index, index)
    state = AppState(corpus, index, Assistant.load(index))
    old_id = state.current().index.build_id

    errors: list[BaseException] = []
    answered = [0]
    stop = threading.Event()

    def traffic():
        while not stop.is_set():
            try:
                reply = state.current().answer("Who coordinates anti-trafficking work?")
                assert reply.quotes
                answered[0] += 1
            except BaseException as e:  # collected: the test fails on any
                errors.append(e)

    threads = [threading.Thread(target=traffic) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        (corpus / "hotline.md").write_text(
            "# Hotline\n\nThe national hotline for victims answers calls in seven languages.\n")
        out = subprocess.run([sys.executable, "build_index.py", "--corpus", str(corpus),
                              "--index", str(index), "--quiet"], cwd=ROOT, capture_output=True,
                             text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        before = answered[0]
        while answered[0] < before + 5 and not errors:  # requests keep flowing after the swap
            threading.Event().wait(0.05)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors, errors[:3]
    now = state.current()
    assert now.index.build_id != old_id and "hotline.md" in now.index.documents
    reply = now.answer("In how many languages does the hotline answer calls?")
    assert reply.quotes[0].doc_id == "hotline.md"


def test_documents_deleted_or_changed_while_serving(seed_corpus, seed_index, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(seed_corpus, corpus)
    (corpus / "a.md").write_text("# Hotline\n\nThe hotline answers calls in seven languages.\n")
    (corpus / "b.md").write_text("# Courts\n\nJudges received training on victim rights.\n")
    index = tmp_path / "index"
    shutil.copytree(seed_index, index)
    state = AppState(corpus, index, Assistant.load(index))
    state.rebuild()
    (corpus / "b.md").unlink()
    (corpus / "a.md").write_text("# Hotline\n\nThe hotline answers calls in nine languages.\n")
    # Still serving from the index: quotes come from the indexed text, nothing re-reads files.
    reply = state.current().answer("Who received training on victim rights?")
    assert reply.quotes and reply.quotes[0].doc_id == "b.md"
    report = state.rebuild()
    assert (report.changed, report.removed) == (1, 1)
    now = state.current()
    assert "b.md" not in now.index.documents
    assert "nine languages" in now.answer("How many languages does the hotline use?").quotes[0].text
