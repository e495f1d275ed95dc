"""python -m assistant.ask "question": answer from the terminal."""
import sys

from .cli import ask_main, run

if __name__ == "__main__":
    sys.exit(run(ask_main))
