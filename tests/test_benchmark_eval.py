"""The BEIR and SQuAD evaluation commands, on small datasets made at test time."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.evaluation import beir, squad
from conftest import EVAL_DIR, ROOT, eval_file


def test_metrics_by_hand():
    rel = {"a": 1, "b": 2}
    assert beir.ndcg_at_k(["b", "a", "x"], rel) == pytest.approx(1.0)
    # b at rank 2 and a at rank 3: (3/log2(3) + 1/2) / (3 + 1/log2(3))
    assert beir.ndcg_at_k(["x", "b", "a"], rel) == pytest.approx(
        (3 / 1.5849625 + 1 / 2) / (3 + 1 / 1.5849625), rel=1e-6)
    assert beir.recall_at_k(["a", "x"], rel, 100) == 0.5
    assert beir.recall_at_k(["x"] * 5 + ["a"], rel, 5) == 0.0
    assert beir.mrr_at_k(["x", "y", "b"], rel) == pytest.approx(1 / 3)
    assert beir.mrr_at_k(["x"] * 10 + ["a"], rel) == 0.0


def _write_beir(folder, docs, queries, qrels):
    (folder / "qrels").mkdir(parents=True)
    with open(folder / "corpus.jsonl", "w") as f:
        for d in docs:
            f.write(json.dumps(d) + "\n")
    with open(folder / "queries.jsonl", "w") as f:
        for q in queries:
            f.write(json.dumps(q) + "\n")
    with open(folder / "qrels" / "test.tsv", "w") as f:
        f.write("query-id\tcorpus-id\tscore\n")
        for q, d in qrels:
            f.write(f"{q}\t{d}\t1\n")


@pytest.fixture(scope="module")
def seed_beir(tmp_path_factory, assistant):
    """A BEIR dataset from the seed corpus: one document per section; a seed question is
    relevant to the sections whose text holds its expected answer."""
    folder = tmp_path_factory.mktemp("seed-beir")
    doc = assistant.documents[0]
    docs = [{"_id": f"s{i}", "title": s.heading, "text": doc.text[s.start:s.end]}
            for i, s in enumerate(doc.sections) if doc.text[s.start:s.end].strip()]
    queries, qrels = [], []
    rows = [json.loads(line) for line in open(eval_file("seed_questions.jsonl"))]
    for n, row in enumerate(rows):
        hits = [d["_id"] for d in docs if any(a in d["text"] for a in row["any"])]
        if hits:
            queries.append({"_id": f"q{n}", "text": row["q"]})
            qrels += [(f"q{n}", h) for h in hits]
    if not queries:
        pytest.skip("no seed question set")
    _write_beir(folder, docs, queries, qrels)
    return folder


def test_beir_command_prints_all_metrics_per_mode(seed_beir, tmp_path):
    out = subprocess.run([sys.executable, "-m", "assistant.eval", "--beir", str(seed_beir),
                          "--work", str(tmp_path / "work")],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = {ln.split()[0]: ln.split()[1:] for ln in out.stdout.splitlines()[2:5]}
    assert set(lines) == {"hybrid", "semantic", "keyword"}
    ndcg, recall, mrr = map(float, lines["hybrid"])
    assert ndcg > 0.8 and recall == 1.0 and mrr > 0.8  # the seed questions are easy
    # A second run reuses the index built in the work folder.
    again = subprocess.run([sys.executable, "-m", "assistant.eval", "--beir", str(seed_beir),
                            "--work", str(tmp_path / "work")],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.stdout == out.stdout and "indexed" not in again.stderr


def test_beir_errors_are_clear(tmp_path):
    out = subprocess.run([sys.executable, "-m", "assistant.eval", "--beir", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "qrels" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.skipif(not (EVAL_DIR / "squad2-dev-half").exists(), reason="needs ../shared/eval")
def test_squad_subset(tmp_path):
    raw = json.loads((EVAL_DIR / "squad2-dev-half" / "dev-v2.0.json").read_text())
    small = {"version": raw["version"], "data": [dict(raw["data"][0], paragraphs=raw["data"][0]
                                                       ["paragraphs"][:12])]}
    path = tmp_path / "mini.json"
    path.write_text(json.dumps(small))
    data = squad.load(path)
    assert len(data.documents) == 12 and data.documents[0][1] == raw["data"][0]["title"]

    from assistant import Assistant, build_index

    corpus = squad.prepare_corpus(data, tmp_path / "work")
    build_index(corpus, tmp_path / "work" / "index")
    a = Assistant.load(tmp_path / "work" / "index")
    report = squad.evaluate(a, data)
    assert report.answerable == sum(1 for q in data.questions if q.answers)
    ours, bm25, dense = report.methods
    for m in report.methods:
        assert 0 <= m.hit1 <= m.hit3 <= report.answerable
    # Not the benchmark target (benchmarks/ holds that), but the method must be in its league.
    assert ours.hit1 / report.answerable > 0.5
    text = squad.format_report(report)
    assert "best BM25 sentence" in text and "unanswerable" in text
