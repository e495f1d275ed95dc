"""A build replaces only what it can prove is an index: the user's folders and files survive
every wrong --index."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import Assistant, BuildError, build_index
from conftest import ROOT, SEED_CORPUS


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _user_folder(path: Path) -> Path:
    path.mkdir(parents=True)
    (path / "letter.txt").write_text("Dear Ana, ...")
    (path / "photos").mkdir()
    (path / "photos" / "a.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    return path


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_a_folder_that_is_not_an_index_is_refused_and_kept(seed_corpus, tmp_path):
    docs = _user_folder(tmp_path / "Documents")
    before = _tree(docs)
    with pytest.raises(BuildError, match="not a Verbatim index and is not empty"):
        build_index(seed_corpus, docs)
    assert _tree(docs) == before
    out = _cli("build_index.py", "--corpus", str(seed_corpus), "--index", str(docs), "--quiet")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "not a Verbatim index" in out.stderr
    assert _tree(docs) == before


def test_the_chat_refuses_such_a_folder_too(seed_corpus, tmp_path):
    docs = _user_folder(tmp_path / "somedir")
    before = _tree(docs)
    out = _cli("-m", "assistant", "--corpus", str(seed_corpus), "--index", str(docs),
               "--port", "1")
    assert out.returncode == 1 and "not a Verbatim index" in out.stderr
    assert "Traceback" not in out.stderr and _tree(docs) == before


def test_a_file_is_refused_and_not_renamed(seed_corpus, tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("my notes")
    with pytest.raises(BuildError, match="is a file"):
        build_index(seed_corpus, f)
    assert f.read_text() == "my notes" and [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_corpus_and_folders_around_it_are_refused(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_CORPUS / "slovenia.txt", corpus)
    before = _tree(tmp_path)
    with pytest.raises(BuildError, match="is the corpus folder"):
        build_index(corpus, corpus)
    with pytest.raises(BuildError, match="inside the corpus folder"):
        build_index(corpus, corpus / "index")
    with pytest.raises(BuildError, match="contains the corpus folder"):
        build_index(corpus, tmp_path)
    assert _tree(tmp_path) == before


def test_a_link_as_index_is_refused(seed_corpus, tmp_path):
    target = _user_folder(tmp_path / "real")
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(BuildError, match="symbolic link"):
        build_index(seed_corpus, tmp_path / "link")
    assert (tmp_path / "link").is_symlink() and (target / "letter.txt").exists()


def test_empty_folder_and_existing_index_are_accepted(seed_corpus, seed_index, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build_index(seed_corpus, empty).documents == 1
    # An index from before the marker file (manifest only) is still recognised as ours.
    legacy = tmp_path / "legacy"
    shutil.copytree(seed_index, legacy)
    (legacy / ".verbatim-index").unlink()
    assert build_index(seed_corpus, legacy, full=True).documents == 1
    assert Assistant.load(legacy).answer("How long is the reflection period?").quotes


@pytest.mark.parametrize("placed", ["MY_NOTES.txt", "mydir/f", "keyword/notes.txt"])
def test_files_a_user_put_inside_an_index_stop_a_rebuild(seed_corpus, seed_index, tmp_path,
                                                         placed):
    # A rebuild replaces the whole folder: a file a user put there had been deleted with it,
    # with no word (found by a probe).
    index = tmp_path / "index"
    shutil.copytree(seed_index, index)
    (index / placed).parent.mkdir(parents=True, exist_ok=True)
    (index / placed).write_text("mine")
    before = _tree(index)
    with pytest.raises(BuildError, match="holds files that no build wrote") as e:
        build_index(seed_corpus, index, full=True)
    assert placed.split("/")[0] in str(e.value)
    assert _tree(index) == before
    r = _cli("build_index.py", "--corpus", str(seed_corpus), "--index", str(index), "--quiet")
    assert r.returncode == 1 and "no build wrote" in r.stderr and "Traceback" not in r.stderr
    (index / placed).unlink()
    if placed == "mydir/f":
        (index / "mydir").rmdir()
    assert build_index(seed_corpus, index, full=True).documents == 1  # ours alone: rebuilt


def test_files_put_into_the_index_while_it_is_built_stop_the_swap(seed_corpus, tmp_path,
                                                                  monkeypatch):
    # The check at the start alone let a build of hours delete a file put there meanwhile,
    # with the old index it swapped out (found by a probe).
    from assistant.index import builder

    index = tmp_path / "index"
    build_index(seed_corpus, index)
    before = _tree(index)
    real_read_back = builder._read_back

    def read_back_then_a_user_writes(*args):
        real_read_back(*args)
        (index / "notes.txt").write_text("mine")

    monkeypatch.setattr(builder, "_read_back", read_back_then_a_user_writes)
    with pytest.raises(BuildError, match="while the index was being built.*notes.txt"):
        build_index(seed_corpus, index, full=True)
    assert _tree(index) == {**before, "notes.txt": b"mine"}
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]  # no temporary folder left


def test_a_file_put_in_just_before_the_swap_is_kept_with_the_old_index(seed_corpus, tmp_path,
                                                                       monkeypatch):
    from assistant.index import builder

    index = tmp_path / "index"
    build_index(seed_corpus, index)
    real_check = builder._refuse_files_put_in_meanwhile

    def check_then_a_user_writes(folder):
        real_check(folder)
        (index / "late.txt").write_text("mine")

    monkeypatch.setattr(builder, "_refuse_files_put_in_meanwhile", check_then_a_user_writes)
    build_index(seed_corpus, index, full=True)
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("index.kept-")]
    assert len(kept) == 1 and (kept[0] / "late.txt").read_text() == "mine"
    assert not (index / "late.txt").exists() and Assistant.load(index).answer("shelter")
    monkeypatch.undo()
    build_index(seed_corpus, index, full=True)  # later builds leave the kept folder alone
    assert (kept[0] / "late.txt").read_text() == "mine"


def test_when_keeping_the_old_index_aside_fails_the_users_file_survives(seed_corpus, tmp_path,
                                                                        monkeypatch):
    # The build's clean-up had deleted the swapped-out folder, the user's file in it, and said
    # "the previous index is unchanged" (found by a review).
    from assistant import storage
    from assistant.index import builder

    index = tmp_path / "index"
    build_index(seed_corpus, index)
    real_check, real_rename = builder._refuse_files_put_in_meanwhile, storage.os.rename

    def check_then_a_user_writes(folder):
        real_check(folder)
        (index / "late.txt").write_text("mine")

    def rename(a, b):
        if ".kept-" in str(b):
            raise OSError(28, "No space left on device", str(b))
        return real_rename(a, b)

    monkeypatch.setattr(builder, "_refuse_files_put_in_meanwhile", check_then_a_user_writes)
    monkeypatch.setattr(storage.os, "rename", rename)
    with pytest.raises(BuildError, match="the new index is in place") as e:
        build_index(seed_corpus, index, full=True)
    assert "previous index is unchanged" not in str(e.value)
    monkeypatch.undo()
    build_index(seed_corpus, index, full=True)  # nor does a later build's clean-up delete it
    assert [p.read_text() for p in tmp_path.rglob("late.txt")] == ["mine"]


def test_ctrl_c_after_the_swap_does_not_claim_the_old_index_is_in_place(seed_corpus,
                                                                         tmp_path, monkeypatch):
    from assistant import storage

    index = tmp_path / "index"
    build_index(seed_corpus, index)
    real_retire = storage._retire

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(storage, "_retire", interrupted)
    with pytest.raises(BuildError, match="after the new index was put in place"):
        build_index(seed_corpus, index, full=True)
    monkeypatch.setattr(storage, "_retire", real_retire)
    assert Assistant.load(index).answer("shelter")  # the new index is whole


def test_an_index_whose_manifest_is_unreadable_is_compared_by_its_names(tmp_path):
    from assistant.index.format import foreign_files

    folder = tmp_path / "index"
    (folder / "keyword").mkdir(parents=True)
    (folder / ".verbatim-index").write_text("")
    (folder / "keyword" / "vocab.index.json").write_text("{}")
    (folder / "vectors.npy").write_bytes(b"")
    assert foreign_files(folder) == []
    (folder / "mine.txt").write_text("x")
    assert foreign_files(folder) == ["mine.txt"]


def test_a_folder_the_check_cannot_read_or_an_odd_name_is_named_too(seed_corpus, seed_index,
                                                                     tmp_path, monkeypatch):
    import os

    from assistant.index.format import foreign_files

    index = tmp_path / "index"
    shutil.copytree(seed_index, index)
    (index / "red\x1b[31m.txt").write_text("mine")
    with pytest.raises(BuildError) as e:  # shown on one line, without the escape itself
        build_index(seed_corpus, index, full=True)
    assert "\x1b" not in str(e.value) and "\\x1b" in str(e.value)
    (index / "red\x1b[31m.txt").unlink()
    scandir = os.scandir

    def unreadable(path):  # as a folder with no read permission is for a user other than root
        if str(path).endswith("keyword"):
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)
    monkeypatch.setattr(os, "scandir", unreadable)
    assert foreign_files(index) == ["keyword/ (unreadable)"]


def test_cleanup_removes_only_our_leftovers(seed_corpus, tmp_path):
    index = tmp_path / "index"
    build_index(seed_corpus, index)
    mine = _user_folder(tmp_path / "index.tmp-mine")  # the user's, despite the name
    (tmp_path / "index.old-2024").mkdir()
    (tmp_path / "index.old-2024" / "keep.txt").write_text("keep")
    ours = tmp_path / "index.tmp-deadbeef"  # a killed build's folder: marked, in progress
    ours.mkdir()
    (ours / ".verbatim-index").write_text("x")
    (ours / ".verbatim-in-progress").write_text("x")
    copy = tmp_path / "index.tmp-0badc0de"  # a user's copy of a finished index: kept
    shutil.copytree(index, copy)
    backup = tmp_path / "index.old-mybackup"
    shutil.copytree(index, backup)
    empty = tmp_path / "index.tmp-0000beef"  # a user's empty folder, named as ours are
    empty.mkdir()
    build_index(seed_corpus, index, full=True)
    assert empty.is_dir()
    assert (mine / "letter.txt").exists() and (tmp_path / "index.old-2024" / "keep.txt").exists()
    assert not ours.exists() and copy.exists() and backup.exists()
    assert not (index / ".verbatim-in-progress").exists()


def test_cleanup_reads_an_index_name_literally(seed_corpus, tmp_path):
    # "ix[1]" had been read as a glob pattern: a killed build's folder was never removed.
    index = tmp_path / "ix[1]"
    ours = tmp_path / "ix[1].tmp-deadbeef"
    ours.mkdir()
    (ours / ".verbatim-index").write_text("x")
    (ours / ".verbatim-in-progress").write_text("x")
    build_index(seed_corpus, index)
    assert not ours.exists() and (index / "manifest.json").exists()


def test_unwritable_place_is_reported_as_such(seed_corpus):
    out = _cli("build_index.py", "--corpus", str(seed_corpus), "--index", "/proc/x", "--quiet")
    assert out.returncode == 1 and "another build" not in out.stderr
    assert "/proc" in out.stderr and "Traceback" not in out.stderr


def test_index_folder_holds_the_marker(seed_index):
    marker = seed_index / ".verbatim-index"
    assert marker.is_file()
    assert ".verbatim-index" in json.loads((seed_index / "manifest.json").read_text())["checksums"]


def test_a_removal_cut_short_leaves_a_folder_cleanup_still_knows(tmp_path, monkeypatch):
    """Deleting one of our folders takes its marker and in-progress flag last, so a process
    killed half-way through never leaves an unflagged leftover that no cleanup may touch."""
    from assistant import storage

    target = tmp_path / "index"
    leftover = storage.new_sibling(target, "tmp")
    for name in ("a.npy", "b.jsonl", "c.json"):
        (leftover / name).write_text("x")
    real_unlink, calls = Path.unlink, []

    def dying_unlink(self, *args, **kwargs):
        calls.append(self.name)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the kill, half-way through
        return real_unlink(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", dying_unlink)
    with pytest.raises(KeyboardInterrupt):
        storage.remove_ours(leftover)
    monkeypatch.setattr(Path, "unlink", real_unlink)
    assert (leftover / storage.IN_PROGRESS).exists() and (leftover / storage.MARKER).exists()
    storage.remove_leftovers(target)
    assert not leftover.exists()
