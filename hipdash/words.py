"""Words: counts as hipdash says them, and titles as it compares them."""

from __future__ import annotations

import re
import unicodedata
from datetime import date


def normalise(title: str) -> str:
    """`Couch stretch:` and `couch  Stretch` are the same exercise."""
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def plural(count: int, word: str) -> str:
    """'1 week', '3 weeks', '0 sections': a count with its word (regular plurals only)."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def day_words(day: date, today: date) -> str:
    """'Fri 20 Nov', with its year when not this year's ('Tue 1 Jan 2019'): a day named on
    a page, beside today."""
    year = "" if day.year == today.year else f" {day.year}"
    return f"{day:%a} {day.day} {day:%b}{year}"
