"""python -m assistant.ask "question": answer from the terminal."""
import sys

from .cli import ask_main

if __name__ == "__main__":
    sys.exit(ask_main())
