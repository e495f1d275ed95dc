"""How counts are said in messages: "1 document", "2 documents", "12,000 passages"."""
from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, in the plural unless ``n`` is 1 (``plural`` for irregular ones)."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
