"""Words for counts in what hipdash says."""

from __future__ import annotations


def plural(count: int, word: str) -> str:
    """'1 week', '3 weeks', '0 sections': a count with its word (regular plurals only)."""
    return f"{count} {word}{'' if count == 1 else 's'}"
