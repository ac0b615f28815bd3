"""Checks for the values stored in hipdash's CSV files, shared by every file kind.

Each check returns None when the value is fine, or the reason it is not, so a
line parser can skip the line with a message a person understands.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

# A moment with its UTC offset: hours 00-23, minutes and seconds 00-59, an offset under a
# day (what `datetime.fromisoformat` reads); its day is checked as a real date apart.
_HOUR = r"(?:[01]\d|2[0-3])"
RECORDED_AT = re.compile(
    rf"^(\d{{4}}-\d{{2}}-\d{{2}})T{_HOUR}:[0-5]\d:[0-5]\d(?:\.\d{{1,6}})?"
    rf"(?:Z|[+-]{_HOUR}:[0-5]\d)$"
)
# An id (of a routine, section, exercise or step): lower-case ASCII letters, digits, '-' and
# '_', at most 64, starting and ending with a letter or digit. No dots, slashes or NUL, so
# a routine id is safe as a file name. Item keys are ids joined by '/'.
ID = r"[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?"
SLUG = re.compile(rf"^{ID}$")
ITEM_KEY = re.compile(rf"^{ID}(?:/{ID}){{1,2}}$")
EXERCISE_KEY = re.compile(rf"^{ID}/{ID}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_valid_dates: set[str] = set()  # a log has few distinct days: check each once
_real_days: set[str] = set()  # the days of the timestamps read so far, each checked once
# The days a record may be about: none before this, none more than a year after the
# clock's today (a day `0001-01-01` read back as 1754 in a chart and made the report
# count 42,614 planned sessions).
FIRST_DAY = date(2000, 1, 1)
# The years a change may be stamped in: wide, for a computer whose clock was wrong (1970
# after a dead battery: its lines still count), short of the last year, where the next
# stamp after one (`stamps.after`, a microsecond later, in another offset) would overflow.
STAMP_YEARS = (1900, 9998)
DAYS_AHEAD = 366


def timestamp_problem(value: str, name: str = "recorded_at") -> str | None:
    """None for a real moment with its offset: a hand-edited '2026-02-30T…' or 'T25:00'
    matches a looser pattern, then wins every comparison as text or stops a reader that
    parses it (`stamps.instant`)."""
    match = RECORDED_AT.match(value)
    if match is None:
        return f"{name} is not a timestamp with offset"
    day = match[1]
    if day not in _real_days:
        try:
            real = STAMP_YEARS[0] <= date.fromisoformat(day).year <= STAMP_YEARS[1]
        except ValueError:
            real = False
        if not real:
            return f"{name} is not a real moment"
        _real_days.add(day)
    return None


def date_problem(value: str, name: str = "session_date") -> str | None:
    if value in _valid_dates:
        return None
    if not _DATE.match(value):
        return f"{name} is not a YYYY-MM-DD date"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return f"{name} is not a real date"
    if not in_window(day):
        return f"{name} is not a day from {FIRST_DAY} to a year ahead"
    _valid_dates.add(value)  # still valid tomorrow: the window only grows
    return None


def day_text(day: date) -> str:
    """A day as a record stores it; ValueError for one the reader would skip (`in_window`)."""
    if not in_window(day):
        raise ValueError(f"{day} is not a day from {FIRST_DAY} to a year ahead")
    return day.isoformat()


def in_window(day: date, today: date | None = None) -> bool:
    """Whether a record may be about `day`: from FIRST_DAY to DAYS_AHEAD after `today`
    (the clock's, not a pinned HIPDASH_TODAY: a file reads the same whatever day is shown)."""
    latest = (today or date.today()) + timedelta(days=DAYS_AHEAD)
    return FIRST_DAY <= day <= latest


def routine_problem(value: str) -> str | None:
    return None if SLUG.match(value) else "routine is not a routine id"


def int_problem(value: str, name: str, low: int, high: int) -> str | None:
    """Empty (not given) or a whole number from low to high."""
    if value == "" or (value.isdigit() and low <= int(value) <= high):
        return None
    return f"{name} is not a whole number from {low} to {high}"


# What a spreadsheet takes for the start of a formula (OWASP's CSV-injection advice).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: a leading `'` when it would start a formula.
    Every CSV that hipdash writes or offers passes its text cells through this."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def encode_text(text: str) -> str:
    """Free text on one line, safe in a spreadsheet: backslashes and line breaks become
    `\\\\` and `\\n`, a leading `'` becomes `\\'`, and text that would start a formula
    gets a leading `'` (`neutralise`), which `decode_text` removes again."""
    flat = text.replace("\r\n", "\n").replace("\r", "\n")
    stored = flat.replace("\\", "\\\\").replace("\n", "\\n")
    if stored.startswith("'"):
        stored = "\\" + stored  # a quote typed first stays a quote, never a marker
    return neutralise(stored)


def decode_text(value: str) -> str:
    """The inverse of `encode_text`; values written before text was neutralised (a
    formula stored as typed) read as they always did. A carriage return that another
    program left in a quoted cell reads as the line break `encode_text` would have made."""
    if value[:1] == "'" and value[1:2] in FORMULA_START:
        value = value[1:]
    out, chars = [], iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append("\n" if nxt == "n" else nxt)
        else:
            out.append(ch)
    text = "".join(out)
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def reencode_text(cell: str) -> str:
    """A stored text cell as `encode_text` writes it (a formula neutralised, a carriage
    return escaped as a line break): reads the same, and is safe in a spreadsheet and on
    one line."""
    return encode_text(decode_text(cell))
