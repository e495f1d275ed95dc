"""Faults during builds: SIGKILL at random moments, a full disk. The previous index must keep
loading and answering every time, and the next build must complete."""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import Assistant, BuildError, build_index
from conftest import ROOT, run_python

pytestmark = pytest.mark.slow

QUESTION = "Which body coordinates anti-trafficking work in Slovenia?"


def _extra_doc(n: int) -> str:
    return (f"Report number {n}\n\nSection {n}\n\nThis report number {n} describes measure "
            f"{n} against labour exploitation in region {n}. Inspectors visited {n * 3} "
            f"workplaces and referred {n} presumed victims to support services.\n")


def _build_cmd(corpus: Path, index: Path) -> list[str]:
    return [sys.executable, "build_index.py", "--corpus", str(corpus), "--index", str(index),
            "--quiet"]


def _check_answers(index: Path) -> str:
    """The index loads (every checksum verified) and answers; its build id."""
    a = Assistant.load(index)
    reply = a.answer(QUESTION)
    assert not reply.abstained and reply.quotes, reply
    return a.index.build_id


def test_sigkill_during_builds_never_breaks_the_index(seed_corpus, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(seed_corpus, corpus)
    for n in range(30):
        (corpus / f"extra-{n:03d}.txt").write_text(_extra_doc(n))
    index = tmp_path / "index"
    subprocess.run(_build_cmd(corpus, index), cwd=ROOT, check=True, capture_output=True)
    # How long a typical build of this loop takes (an incremental one): kills land anywhere
    # in it, from interpreter start-up to the swap.
    (corpus / "extra-000.txt").write_text(_extra_doc(999))
    t = time.perf_counter()
    subprocess.run(_build_cmd(corpus, index), cwd=ROOT, check=True, capture_output=True)
    typical = time.perf_counter() - t
    _check_answers(index)

    rng = random.Random(20261127)
    kills = completed = 0
    for round_no in range(20):
        # Change the corpus so that every build has real work: add, change, delete.
        (corpus / f"new-{round_no:03d}.txt").write_text(_extra_doc(100 + round_no))
        (corpus / f"extra-{round_no:03d}.txt").write_text(_extra_doc(200 + round_no))
        if round_no % 3 == 0:
            (corpus / f"extra-{29 - round_no:03d}.txt").unlink(missing_ok=True)
        proc = subprocess.Popen(_build_cmd(corpus, index), cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, typical * 0.95))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        # The index on disk is the previous one or the new one, never a broken one.
        _check_answers(index)
        if round_no % 4 == 3:  # and a following build completes
            done = subprocess.run(_build_cmd(corpus, index), cwd=ROOT, capture_output=True,
                                  text=True)
            assert done.returncode == 0, done.stderr
            completed += 1
            _check_answers(index)
            assert not [p for p in tmp_path.iterdir() if p.name.startswith("index.")], \
                "temporary folders of killed builds must be cleaned up"
    assert kills >= 12, f"only {kills} builds were killed mid-way; the timing is off"
    final = build_index(corpus, index)
    assert final.documents == len(list(corpus.glob("*.txt")))
    print(f"{kills} SIGKILLs, {completed} completed builds, index intact every time")


@pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0,
                    reason="needs root to mount a small tmpfs")
def test_disk_full_fails_clearly_and_keeps_the_index(seed_corpus, tmp_path):
    mnt = tmp_path / "small"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", str(mnt)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount tmpfs here")
    try:
        index = mnt / "index"
        build_index(seed_corpus, index)
        before = _check_answers(index)
        corpus = tmp_path / "corpus"
        shutil.copytree(seed_corpus, corpus)
        for n in range(400):  # far more than the remaining space holds
            (corpus / f"extra-{n:03d}.txt").write_text(_extra_doc(n) * 3)
        with pytest.raises((BuildError, OSError)) as err:
            build_index(corpus, index)
        assert "No space left" in str(err.value) or "space" in str(err.value).lower()
        assert _check_answers(index) == before
        assert not [p for p in mnt.iterdir() if p.name.startswith("index.")]
        out = subprocess.run(_build_cmd(corpus, index), cwd=ROOT, capture_output=True, text=True)
        assert out.returncode == 1 and "No space left" in out.stderr
        assert "Traceback" not in out.stderr and "previous index is unchanged" in out.stderr
        assert _check_answers(index) == before
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)  # lazy: maps may be open


def test_200_mb_text_file_is_loaded_as_a_stream_in_bounded_memory(tmp_path):
    """The loader never holds the whole file: parts are produced one at a time."""
    path = tmp_path / "big.txt"
    para = ("Labour inspectors visited {} workplaces and referred presumed victims of "
            "trafficking to the support services of the region.\n\n")
    with open(path, "w") as f:
        f.write("Big Report\n\n")
        i = 0
        while f.tell() < 200 * 2**20:
            f.write(para.format(i))
            i += 1
    out = run_python(
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from assistant.loading import CorpusFile, load_file\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "skipped = []; parts = chars = 0\n"
        f"for d in load_file(CorpusFile(Path({str(path)!r}), 'big.txt'), skipped.append):\n"
        "    parts += 1; chars += len(d.text)\n"
        "grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024\n"
        "print(parts, chars, len(skipped), round(grown))\n")
    parts, chars, n_skipped, grown_mb = map(int, out.split())
    print(f"\n200 MB file: {parts} parts, peak memory grew {grown_mb} MB while loading")
    assert n_skipped == 0 and parts >= 190 and chars >= 200 * 2**20 - 2**20
    assert grown_mb < 100, grown_mb  # a few parts at a time, never the file
