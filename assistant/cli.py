"""Command-line entry points: argument parsing and printing only."""
from __future__ import annotations

import argparse
import os
import sys


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


DEFAULT_CORPUS, DEFAULT_INDEX = "corpus", "index"


def add_paths(parser: argparse.ArgumentParser, corpus_help: str | None = None) -> None:
    """``--corpus`` and ``--index``, as every command takes them."""
    parser.add_argument("--corpus", default=None, type=_folder,
                        help=corpus_help or f"folder of documents (default: {DEFAULT_CORPUS})")
    parser.add_argument("--index", default=DEFAULT_INDEX, type=_folder,
                        help=f"index folder (default: {DEFAULT_INDEX})")


def _folder(text: str) -> str:
    # An empty path would be read as the current folder.
    if not text.strip():
        raise argparse.ArgumentTypeError("must name a folder, not be empty")
    return text


def corpus_to_update(args) -> str | None:
    """The corpus folder a command may build or update its index from: the one named with
    ``--corpus``; without it, ./corpus for the default index only. An ``--index`` named alone
    is used as it is: never rebuilt from a folder the user did not name (it may have been
    built from another corpus)."""
    if args.corpus is not None:
        return args.corpus
    return DEFAULT_CORPUS if args.index == DEFAULT_INDEX else None


def add_mode(parser: argparse.ArgumentParser) -> None:
    from .search import MODES

    parser.add_argument("--mode", default=MODES[0], choices=MODES,
                        help=f"search mode (default: {MODES[0]})")


def add_backend_argument(parser: argparse.ArgumentParser,
                         help: str | None = None) -> None:
    """``--backend``, as build_index.py, python -m assistant and the eval command take it."""
    from .embedding import BACKENDS

    parser.add_argument("--backend", default=None, choices=BACKENDS,
                        help=help or "embedding backend (default: the existing index's, else "
                                     "onnx-int8 where the CPU has a fast int8 dot product such "
                                     "as AVX-512 VNNI, onnx elsewhere)")


def build_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_index.py",
                                     description="Index the documents of a corpus folder.")
    add_paths(parser)
    parser.add_argument("--model", default=None,
                        help="sentence-transformers model name or path "
                             "(default: the packaged all-MiniLM-L6-v2)")
    parser.add_argument("--full", action="store_true",
                        help="re-embed everything instead of only new and changed files")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_backend_argument(parser)
    parser.add_argument("--sentence-vectors", action=argparse.BooleanOptionalAction,
                        default=None, help="a vector for every sentence too, pooled from its "
                        "passage's run of the model: better rankings (default: as the existing "
                        "index; on for a new one)")
    args = parser.parse_args(argv)

    from .api import build_index
    from .embedding import ModelError
    from .index import BuildError, BuildSettings

    try:
        settings = BuildSettings(model=args.model, backend=args.backend,
                                 sentence_vectors=args.sentence_vectors, full=args.full)
        report = build_index(args.corpus or DEFAULT_CORPUS, args.index, settings=settings,
                             progress=not args.quiet)
    except (BuildError, ModelError) as e:
        return _fail(str(e))
    except KeyboardInterrupt:
        return _fail("interrupted; the previous index is unchanged")
    except OSError as e:
        return _fail(f"{e.strerror or e}: {e.filename or args.index}; the previous index is unchanged")
    print(report.summary())
    return 0


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def ask_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.ask",
                                     description="Ask the documents a question from the terminal.")
    parser.add_argument("question", nargs="+", help="the question")
    add_paths(parser, corpus_help="corpus to build from when the index is missing or stale "
                                  "(default: corpus, for the default index only)")
    parser.add_argument("--history", action="append", default=[],
                        help="an earlier question of the conversation (repeatable, oldest first)")
    parser.add_argument("-k", "--quotes", type=_at_least_one, default=3,
                        help="most quotes to show")
    add_mode(parser)
    parser.add_argument("--json", action="store_true", help="print the answer as JSON")
    args = parser.parse_args(argv)
    question = " ".join(args.question)
    if not question.strip():
        print("Please type a question, e.g. python -m assistant.ask \"Who investigates "
              "trafficking?\"", file=sys.stderr)
        return 2

    from .api import Assistant, ensure_index
    from .embedding import ModelError
    from .index import BuildError, IndexLoadError

    try:
        ensure_index(corpus_to_update(args), args.index)
        reply = Assistant.load(args.index).answer(question, args.history,
                                                  max_quotes=args.quotes, mode=args.mode)
    except (BuildError, IndexLoadError, ModelError) as e:
        return _fail(str(e))
    if args.json:
        import dataclasses
        import json

        print(json.dumps(dataclasses.asdict(reply), ensure_ascii=False, indent=2))
        return 0
    from .render import answer_plain

    print(answer_plain(reply.quotes, reply.closest, tentative=reply.tentative,
                       caveats=reply.caveats))
    return 0


COMMANDS = {
    "serve": ("the web chat (python -m assistant)", "assistant.__main__"),
    "build": ("index the corpus folder (python build_index.py)", "assistant.cli:build_main"),
    "ask": ("ask from the terminal (python -m assistant.ask)", "assistant.cli:ask_main"),
    "eval": ("evaluate answers or retrieval (python -m assistant.evaluation)",
             "assistant.evaluation.__main__"),
}


def run(command, argv: list[str] | None = None) -> int:
    """A command's exit status, with no traceback for what is not an error of the program: a
    reader that went away (``ask ... | head -1``: the broken pipe had printed a stack trace)
    and Ctrl-C before the command's own handling (while it imports its libraries)."""
    try:
        status = command(argv)
        sys.stdout.flush()  # a broken pipe shows here, not at exit (where none catches it)
        return status
    except BrokenPipeError:
        # Nothing more can be said to that reader; point stdout at nothing so that Python's
        # own flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


def main(argv: list[str] | None = None) -> int:
    """``verbatim serve | build | ask | eval``: the same commands under one name."""
    import importlib

    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in COMMANDS:
        usage = "usage: verbatim {serve,build,ask,eval} [options]\n\n" + "\n".join(
            f"  {name:<6} {text}" for name, (text, _) in COMMANDS.items())
        usage += "\n\n'verbatim COMMAND --help' shows a command's options."
        if argv and argv[0] not in ("-h", "--help"):
            print(f"error: unknown command {argv[0]!r}\n\n{usage}", file=sys.stderr)
            return 2
        print(usage)
        return 0 if argv else 2
    module, _, func = COMMANDS[argv[0]][1].partition(":")
    return run(lambda rest: importlib.import_module(module).__dict__[func or "main"](rest),
               argv[1:])
