#!/usr/bin/env python
"""Build or update the Verbatim index: python build_index.py [--corpus corpus] [--index index]."""
import sys

if __name__ == "__main__":
    try:
        from assistant.cli import build_main, run
    except KeyboardInterrupt:  # Ctrl-C while the libraries load: nothing was started
        sys.exit("error: interrupted; the previous index is unchanged")
    sys.exit(run(build_main))
