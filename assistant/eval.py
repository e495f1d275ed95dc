"""``python -m assistant.eval``: the same command as ``python -m assistant.evaluation``, kept
so that existing scripts and the README's older commands keep working."""
import sys

from .evaluation.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
