"""python -m assistant: build the index if needed, then serve the web chat."""
from __future__ import annotations

import argparse
import os
import sys


def parse_auth(value: str | None) -> tuple[str, str] | tuple | None:
    """(user, password) from "user:password"; None when unset; () when malformed."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        return ()
    return (user, password)


def check_address(host: str, port: int) -> str | None:
    """Why the server could not listen on ``host``:``port``, or None: checked before anything
    is built or loaded, so a mistyped host or a busy port costs one line, not a traceback."""
    import errno
    import socket

    if not 0 < port < 65536:
        return f"--port {port} is not a port number (1-65535)"
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return f"--host {host} is not an address or a known host name"
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                return f"port {port} is in use; pass --port"
            return f"cannot serve on {host}:{port} ({e.strerror or e}); pass another --host"
    return None


def main(argv: list[str] | None = None) -> int:
    from .cli import add_backend_argument, add_paths

    parser = argparse.ArgumentParser(prog="python -m assistant",
                                     description="Serve the Verbatim web chat.")
    add_paths(parser)
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--read-only", action="store_true",
                        help="hide and disable adding documents from the page")
    parser.add_argument("--auth", default=None, metavar="USER:PASSWORD",
                        help="require this login for the page and the API (or set "
                             "VERBATIM_AUTH, which keeps the password out of shell history)")
    parser.add_argument("--mcp", action="store_true",
                        help="also serve retrieve and answer as MCP tools for AI assistants, at "
                             "/gradio_api/mcp/ (read-only tools; not with --auth)")
    add_backend_argument(parser)
    args = parser.parse_args(argv)
    auth = parse_auth(args.auth or os.environ.get("VERBATIM_AUTH"))
    if auth == ():
        print("error: --auth / VERBATIM_AUTH must look like user:password", file=sys.stderr)
        return 2
    if args.mcp and auth:
        # Gradio's MCP endpoint is served outside its login, and its tools cannot call a
        # logged-in app: rather than an open door beside a locked one, no MCP with a login.
        print("error: --mcp cannot be combined with a login (--auth / VERBATIM_AUTH) yet; "
              "serve MCP on 127.0.0.1 without a login", file=sys.stderr)
        return 2

    problem = check_address(args.host, args.port)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    # Gradio's uploads and cache go to a temporary folder of this server's own, unless the
    # operator named one (GRADIO_TEMP_DIR), and it is removed when the server stops: the shared
    # /tmp/gradio kept an empty file for every upload a client broke off. SIGTERM (systemd,
    # docker stop) is taken as Ctrl-C, so the folder goes then too.
    import signal
    import tempfile

    own_temp = None
    if not os.environ.get("GRADIO_TEMP_DIR"):
        own_temp = os.environ["GRADIO_TEMP_DIR"] = tempfile.mkdtemp(prefix="verbatim-gradio-")
    def stop(*_):  # as Ctrl-C: Gradio closes its server first, a build stops as it would
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (main() called from a test's thread)
        previous = None
    try:
        return _serve(args, auth)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if own_temp is not None:
            import shutil

            shutil.rmtree(own_temp, ignore_errors=True)
            os.environ.pop("GRADIO_TEMP_DIR", None)


def _serve(args: argparse.Namespace, auth) -> int:
    from .app import create_app, launch_options, prepare
    from .cli import corpus_to_update
    from .embedding import ModelError
    from .index import BuildError, IndexLoadError
    from .nearwords import ensure_common_words

    try:
        state = prepare(corpus_to_update(args), args.index, read_only=args.read_only,
                        backend=args.backend)
    except (BuildError, IndexLoadError, ModelError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    embedder = state.current().embedder  # load the model now, not on the first question
    # The common English words' vectors of this model (``nearwords``): made by any build
    # since they exist, so only an index built before needs them made here, once per model.
    ensure_common_words(embedder, progress=True)
    demo = create_app(state)
    if args.host not in ("127.0.0.1", "localhost", "::1") and auth is None:
        print(f"warning: serving on {args.host} without --auth: anyone who can reach this "
              "address can use the chat and its API.", file=sys.stderr)
    try:
        demo.launch(server_name=args.host, server_port=args.port, quiet=True, auth=auth,
                    footer_links=["api"], prevent_thread_lock=True, mcp_server=args.mcp,
                    **launch_options(state))
    except OSError as e:  # Gradio reports a port in use or an address it cannot bind as OSError
        if "empty port" in str(e):
            print(f"error: port {args.port} is in use; pass --port", file=sys.stderr)
        else:
            print(f"error: cannot serve on {args.host}:{args.port} ({e.strerror or e}); "
                  "pass another --host or --port", file=sys.stderr)
        return 1
    # Only now is the server listening: "ready" means a request will be answered.
    shown = f"http://{'127.0.0.1' if args.host == '0.0.0.0' else args.host}:{args.port}/"
    print(f"Verbatim is ready: {shown}", flush=True)
    if args.mcp:
        print(f"MCP server (tools: retrieve, answer): {shown}gradio_api/mcp/", flush=True)
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    from .cli import run

    # Ctrl-C while the index is built or the model loads ends with one line (a build keeps the
    # previous index); at the prompt it had printed a traceback.
    sys.exit(run(main))
