"""Write ``assistant/data/common_words.txt``: the English words whose vectors are embedded once
per model (``nearwords.CommonWords``), so that a question's word no document uses is not run
through the model while the asker waits.

The list is pyspellchecker's English word frequencies (already a dependency, for
``spelling``), most frequent first: lower-case ASCII words of three letters or more, without the
words a question never has read as the documents' (stop words, function words, numbers in
words: ``nearwords.unseen_words`` skips them). Of the words of the fitting part's questions that
their documents never use (780, in ``benchmarks/questions`` and ``benchmarks/offtopic``), the
first 10,000 words of the list hold 79.7%, 20,000 88.7%, 30,000 92.7% and 60,000 95.0%
(2026-12-06).

    python benchmarks/common_words.py [--count 30000]
"""
from __future__ import annotations

import argparse
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "assistant" / "data" / "common_words.txt"


def common_words(count: int) -> list[str]:
    from spellchecker import SpellChecker

    from assistant.keyword import stopwords
    from assistant.nearwords import NOT_READ

    freq = SpellChecker(language="en").word_frequency.dictionary
    # Most frequent first; a tie in alphabetical order, so the list does not depend on the
    # dictionary's order.
    ranked = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))
    words = [w for w, _ in ranked if len(w) >= 3 and w.isascii() and w.isalpha()
             and w.islower() and w not in stopwords() and w not in NOT_READ]
    return words[:count]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=30_000)
    args = ap.parse_args()
    import spellchecker

    words = common_words(args.count)
    head = (f"# The {len(words):,} most frequent English words of pyspellchecker "
            f"{getattr(spellchecker, '__version__', '?')}'s list, without stop and function "
            "words: written by benchmarks/common_words.py.\n")
    OUT.write_text(head + "\n".join(words) + "\n", encoding="utf-8")
    print(f"wrote {len(words):,} words to {OUT}")


if __name__ == "__main__":
    main()
