#!/usr/bin/env python
"""Build or update the Verbatim index: python build_index.py [--corpus corpus] [--index index]."""
import sys

from assistant.cli import build_main

if __name__ == "__main__":
    sys.exit(build_main())
