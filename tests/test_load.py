"""Load: 32 gradio_client users at once, and memory across 2,000 questions (slow marker)."""
from __future__ import annotations

import shutil
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from load import Server, memory_flat, run_load  # noqa: E402

pytestmark = pytest.mark.slow


def test_32_concurrent_users_without_errors(seed_corpus, seed_index, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(seed_index, index)
    server = Server(seed_corpus, index)
    try:
        # 32 at once is the concurrency under test; 10 questions each keeps the suite short
        # (benchmarks/load.py measures 25 each for the README's figures).
        r = run_load(server.url, users=32, per_user=10)
    finally:
        server.close()
    print(f"\n32 users x 10: p50 {r['p50']:.0f} ms ({r['p50'] / r['single_p50']:.1f}x single), "
          f"p95 {r['p95']:.0f} ms ({r['p95'] / r['single_p95']:.1f}x), {r['wall_s']:.1f} s")
    assert r["requests"] == 32 * 10
    assert r["errors"] == []


def test_memory_stays_flat_over_2000_questions(seed_index):
    start, end = memory_flat(seed_index, 2000)
    print(f"\nRSS {start:.0f} MB -> {end:.0f} MB over 2000 questions")
    assert end - start < 40, (start, end)
