import json
import subprocess
import sys

from conftest import ROOT


def run(*args, cwd=ROOT, timeout=300):
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def test_build_index_cli(seed_corpus, tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_bytes((seed_corpus / "slovenia.txt").read_bytes())
    (tmp_path / "corpus" / "broken.txt").write_bytes(b"caf\xe9 bad")  # Latin-1
    r = run(str(ROOT / "build_index.py"), "--corpus", str(tmp_path / "corpus"), "--index",
            str(tmp_path / "index"))
    assert r.returncode == 0, r.stderr
    assert "Indexed 1 document, " in r.stdout  # "1 document", not "1 documents"
    assert "broken.txt: not valid UTF-8" in r.stdout
    assert "Embedding passages" in r.stderr  # the progress bar
    assert json.loads((tmp_path / "index" / "manifest.json").read_text())["counts"]["documents"] == 1


def test_build_index_fatal_errors_are_one_line(tmp_path):
    r = run(str(ROOT / "build_index.py"), "--corpus", str(tmp_path / "missing"), "--index",
            str(tmp_path / "index"))
    assert r.returncode != 0
    assert r.stderr.strip() == f"error: corpus folder not found: {tmp_path / 'missing'}"
    (tmp_path / "empty").mkdir()
    r = run(str(ROOT / "build_index.py"), "--corpus", str(tmp_path / "empty"), "--index",
            str(tmp_path / "index"))
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "no readable document" in r.stderr


def test_build_index_unwritable_index(seed_corpus, tmp_path):
    target = tmp_path / "file"
    target.write_text("not a folder")
    r = run(str(ROOT / "build_index.py"), "--corpus", str(seed_corpus), "--index",
            str(target / "index"))
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert r.stderr.startswith("error:")


def test_ask_cli(seed_corpus, seed_index):
    r = run("-m", "assistant.ask", "--index", str(seed_index), "--corpus", str(seed_corpus),
            "Who pays for it?", "--history", "What help is available for victims?")
    assert r.returncode == 0, r.stderr
    assert "EUR 90,000" in r.stdout and "[1]" in r.stdout and "slovenia.txt" in r.stdout
    r = run("-m", "assistant.ask", "--index", str(seed_index), "--corpus", str(seed_corpus),
            "How do I bake bread?")
    assert "do not cover" in r.stdout


def test_ask_cli_refuses_a_count_below_one_in_a_line():
    from assistant.cli import ask_main

    import pytest

    with pytest.raises(SystemExit) as e:
        ask_main(["-k", "0", "Who pays?"])
    assert e.value.code == 2


def test_ask_cli_names_what_is_wrong_with_the_index_path(tmp_path, capsys):
    # The hints had pointed a rebuild at the wrong place (a folder of other files, a file, "").
    import pytest

    from assistant.cli import ask_main

    (tmp_path / "notes.txt").write_text("mine")
    assert ask_main(["--index", str(tmp_path), "budget?"]) == 1
    assert "is not a Verbatim index" in capsys.readouterr().err
    assert ask_main(["--index", str(tmp_path / "notes.txt"), "budget?"]) == 1
    assert "is a file, not an index folder" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        ask_main(["--index", "", "budget?"])
    assert e.value.code == 2 and "must name a folder" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_eval_cli(seed_corpus, seed_index):
    from conftest import DATA

    r = run("-m", "assistant.eval", str(DATA / "extra_questions.jsonl"), "--index", str(seed_index),
            "--corpus", str(seed_corpus))
    assert r.returncode == 0, r.stderr
    assert "hit@1 100.0%" in r.stdout and "abstention accuracy 100.0%" in r.stdout


def test_start_up_errors_are_one_line(seed_corpus, seed_index):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = run("-m", "assistant", "--corpus", str(seed_corpus), "--index", str(seed_index),
                "--port", str(port))
        assert r.returncode == 1 and r.stderr.strip() == \
            f"error: port {port} is in use; pass --port"
    r = run("-m", "assistant", "--host", "no-such-host.invalid", "--port", str(port))
    assert r.returncode == 1 and "is not an address or a known host name" in r.stderr
    r = run("-m", "assistant", "--corpus", str(seed_corpus / "missing"), "--index",
            str(seed_corpus / "no-index"), "--port", str(port))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip() == (f"error: corpus folder not found: {seed_corpus / 'missing'}, "
                                f"and there is no index at {seed_corpus / 'no-index'}/ to "
                                "serve; pass --corpus (and --index)")
    assert "Traceback" not in r.stderr and "ERROR" not in r.stderr


def test_counts_are_said_in_the_singular_and_plural():
    from assistant.wording import count

    assert (count(1, "document"), count(2, "document"), count(0, "passage")) == \
        ("1 document", "2 documents", "0 passages")
    assert count(12000, "entry", "entries") == "12,000 entries"


def test_an_index_from_a_newer_version_is_refused_not_replaced(seed_corpus, tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    manifest = '{"format_version": 999, "build_id": "x", "checksums": {}}'
    (index / "manifest.json").write_text(manifest)
    (index / ".verbatim-index").write_text("made by a newer version")
    r = run("-m", "assistant", "--corpus", str(seed_corpus), "--index", str(index),
            "--port", "1")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "was built by a newer Verbatim (index format 999" in r.stderr
    assert (index / "manifest.json").read_text() == manifest  # left as it was


def test_verbatim_command_dispatches(seed_corpus, seed_index):
    r = run("-c", "from assistant.cli import main; raise SystemExit(main(['ask', '--index', "
                  f"{str(seed_index)!r}, '--corpus', {str(seed_corpus)!r}, "
                  "'How long is the reflection period?']))")
    assert r.returncode == 0 and "90 day reflection period" in r.stdout
    r = run("-c", "from assistant.cli import main; raise SystemExit(main(['fly']))")
    assert r.returncode == 2 and "unknown command 'fly'" in r.stderr


def test_an_index_named_without_a_corpus_is_used_as_it_is(seed_corpus, tmp_path):
    """``ask --index X`` (or ``python -m assistant --index X``) without ``--corpus`` must not
    rebuild X from ./corpus: X may have been built from another folder."""
    from assistant.app import prepare

    corpus = tmp_path / "other"
    corpus.mkdir()
    (corpus / "badgers.md").write_text("# Badgers\n\nBadgers eat earthworms, mostly.\n")
    index = tmp_path / "index"
    assert run(str(ROOT / "build_index.py"), "--corpus", str(corpus), "--index",
               str(index)).returncode == 0
    before = (index / "manifest.json").read_text()
    r = run("-m", "assistant.ask", "--index", str(index), "What do badgers eat?")
    assert r.returncode == 0 and "earthworms" in r.stdout, r.stdout + r.stderr
    assert (index / "manifest.json").read_text() == before  # not rebuilt from ./corpus
    state = prepare(None, index)
    assert state.read_only and state.current().index.manifest["build_id"] in before
    r = run("-m", "assistant.ask", "--index", str(tmp_path / "none"), "anything?")
    assert r.returncode == 1 and "Traceback" not in r.stderr


def test_a_reader_that_goes_away_gets_no_traceback(seed_index):
    # "ask ... | head -1" had printed a BrokenPipeError stack trace (found by a probe): the
    # pipe here is closed before the answer is written.
    import os

    read, write = os.pipe()
    os.close(read)
    try:
        r = subprocess.run([sys.executable, "-m", "assistant.ask", "--index", str(seed_index),
                            "Who investigates trafficking?"], cwd=ROOT, stdout=write,
                           stderr=subprocess.PIPE, text=True, timeout=300)
    finally:
        os.close(write)
    assert "Traceback" not in r.stderr and r.returncode == 1, r.stderr


def test_ctrl_c_outside_a_commands_own_handling_ends_in_one_line(capsys):
    from assistant.cli import run

    def interrupted(argv):
        raise KeyboardInterrupt

    assert run(interrupted) == 130
    assert capsys.readouterr().err == "error: interrupted\n"
    assert "run(main)" in (ROOT / "assistant" / "__main__.py").read_text()  # the web chat too


def test_the_server_keeps_gradio_files_in_a_folder_of_its_own_and_removes_it(seed_corpus,
                                                                              seed_index,
                                                                              tmp_path):
    """Gradio's uploads go to a temporary folder the server made, removed when it stops on
    SIGTERM: the shared /tmp/gradio had kept an empty file for every upload broken off."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from conftest import ROOT

    temp = tmp_path / "tmp"
    temp.mkdir()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "GRADIO_TEMP_DIR"}
    env["TMPDIR"] = str(temp)
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "--corpus", str(seed_corpus),
                             "--index", str(seed_index), "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if "Verbatim is ready" in line or not line:
                break
        assert "Verbatim is ready" in line
        own = list(temp.glob("verbatim-gradio-*"))
        assert len(own) == 1 and own[0].is_dir()
        body = (b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n"
                b"Content-Type: text/plain\r\n\r\nhello\r\n--b--\r\n")
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/gradio_api/upload", data=body, method="POST",
            headers={"Content-Type": "multipart/form-data; boundary=b"})
        with urllib.request.urlopen(request, timeout=30) as r:
            assert r.status == 200
        assert any(p.is_file() for p in own[0].rglob("*"))  # the upload landed in it
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        assert not own[0].exists() and not list(temp.glob("verbatim-gradio-*"))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
