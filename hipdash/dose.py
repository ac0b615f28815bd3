"""What an exercise asks for, as something a timer can run: sets, sides, reps, holds, rests.

A routine states it in words ("3 × 20 s each side", "3 × 8", "hold 60 s", "5 minutes")
and may state it explicitly (`sets`, `reps`, `sides`, `hold_seconds`, `rest_seconds` in
the YAML). `parse` reads the words; `Dose.merged` lets the explicit fields win; what a
guided session makes of it is `hipdash.script`'s. Pure: text in, frozen data out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_REST_SECONDS = 10
# The bounds a routine file may state, checked by the loader (hipdash.routines) and the
# editor alike: name -> (lowest, highest).
LIMITS: dict[str, tuple[int, int]] = {
    "sets": (1, 20),
    "reps": (1, 500),
    "sides": (1, 2),
    "hold_seconds": (1, 3600),
    "rest_seconds": (0, 600),
}
FIELDS = tuple(LIMITS)
# The doses a guided session offers in one tap where an exercise states none: the words
# saved as its dose (each reads back as itself), and the one that says no timer is wanted.
QUICK = ("30 s", "45 s", "60 s", "30 s each side", "3 × 10")
NO_TIMER = "no timer"
# A section's own numbers: `rounds` (a circuit: each exercise in turn, then all again) and
# `rest_seconds` (the rest before each of its exercises after the first).
SECTION_LIMITS: dict[str, tuple[int, int]] = {"rounds": (1, 20), "rest_seconds": (0, 600)}
SECTION_FIELDS = tuple(SECTION_LIMITS)


@dataclass(frozen=True)
class Dose:
    """The parts of a dose; None where the words (or the file) do not say."""

    sets: int | None = None
    reps: int | None = None
    sides: int | None = None
    hold_seconds: int | None = None
    rest_seconds: int | None = None

    def merged(self, explicit: Dose) -> Dose:
        """This dose with every field that `explicit` states replaced by it."""
        stated = {f: getattr(explicit, f) for f in FIELDS}
        return Dose(*(getattr(self, f) if v is None else v for f, v in stated.items()))

    def against(self, words: str) -> tuple[tuple[str, int, int], ...]:
        """Where these explicit numbers differ from what `words` state: (field, the
        number, the words' value). A number the words do not state differs from nothing."""
        said = parse(words)
        out = []
        for name in FIELDS:
            mine, theirs = getattr(self, name), getattr(said, name)
            if mine is not None and theirs is not None and mine != theirs:
                out.append((name, mine, theirs))
        return tuple(out)


def edited(words_before: str, before: Dose, words: str, typed: Dose) -> Dose:
    """The explicit numbers an exercise keeps when a person edits its dose's words and
    numbers (docs/decisions.md): a number they changed holds; one they left follows new
    words: it takes what the new words state, and is dropped where it only repeated the old
    words and the new ones say nothing of it. Unchanged words leave the numbers as typed."""
    if " ".join(words.split()) == " ".join(words_before.split()):
        return typed
    old, new = parse(words_before), parse(words)
    out = {}
    for name in FIELDS:
        kept, was = getattr(typed, name), getattr(before, name)
        if kept != was or was is None:
            out[name] = kept
        elif getattr(new, name) is not None:
            out[name] = getattr(new, name)
        else:
            out[name] = None if was == getattr(old, name) else was
    return Dose(**out)


_N = r"(\d{1,4})"
_RANGE = r"(\d{1,4})(?:\s*(?:-|–|to)\s*(\d{1,4}))?"
_SECONDS = r"(?:seconds?|secs?|s)"
_MINUTES = r"(?:minutes?|mins?|m)"
_UNIT = rf"(?P<unit>{_SECONDS}|{_MINUTES})"
_TIMES = r"\s*[x×*]\s*"

_SIDES = re.compile(
    r"\b(?:each|per|every|a|both)\s+(?:side|leg|arm|direction|way|hip)s?\b|\bbilateral(?:ly)?\b"
    r"|\b(?:left|right)\s+(?:and|&|/)\s+(?:left|right)\b|\bL\s*/\s*R\b"
    r"|\bleft\b[^()]{0,24}\bright\b|\bright\b[^()]{0,24}\bleft\b",  # 30s left, 30s right
    re.IGNORECASE,
)
_REST = re.compile(
    rf"\brest(?:ing)?\s*(?:of|for)?\s*{_N}\s*{_UNIT}\b|\b{_N}\s*(?P<unit2>{_SECONDS}|{_MINUTES})"
    r"\s+(?:rests?|breaks?|pauses?)\b",
    re.IGNORECASE,
)
_HOLD = re.compile(
    rf"\bhold(?:\s+(?:it|them|each|for))*\s+{_RANGE}\s*{_UNIT}\b"
    rf"|\b{_RANGE}\s*(?P<unit2>{_SECONDS}|{_MINUTES})\s+holds?\b",
    re.IGNORECASE,
)
# "3 × 20 s", "2 x 1 min", "3x30s", "3 × 20-30 s"
_SETS_OF_TIME = re.compile(rf"\b{_N}{_TIMES}{_RANGE}\s*{_UNIT}(?![a-z])", re.IGNORECASE)
# "3 × 8", "15x3", "10-15x3", "3 x 8-10"
_SETS_OF_REPS = re.compile(rf"\b{_RANGE}{_TIMES}{_RANGE}\b(?!\s*{_UNIT}(?![a-z]))", re.IGNORECASE)
# "3 sets of 10", "3 sets x 10 reps", "3 sets", "2 rounds", "10 reps", "x10"
_SETS_WORD = re.compile(
    rf"\b{_N}\s*(?:sets?|rounds?)\b(?:\s*(?:of|x|×)\s*{_RANGE}(?:\s*reps?)?)?", re.I
)
_REPS_WORD = re.compile(
    rf"\b{_RANGE}\s*(?:reps?|repetitions?|times\b"
    r"|(?=(?:each|per)\s+(?:side|leg|arm|way|direction)))"
    rf"|(?:^|\s)[x×]\s*{_N}\b",
    re.IGNORECASE,
)
# A lone duration: "5 minutes", "30 s", "1 min", "30-60 s"
_TIME = re.compile(rf"\b{_RANGE}\s*{_UNIT}(?![a-z])", re.IGNORECASE)


def _seconds(amount: str, unit: str) -> int:
    return int(amount) * (60 if unit.lower().startswith("m") else 1)


def _within(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    low, high = LIMITS[name]
    return value if low <= value <= high else None


def _sets_and_reps(first: tuple[str, str | None], second: tuple[str, str | None]) -> tuple:
    """`3 × 8` is 3 sets of 8; `15x3` is 3 sets of 15 and `10-15x3` 3 sets of 10 (the
    larger number, or a range, is the reps: people write both orders; a range counts from
    its lower end, here as everywhere in a dose)."""
    a, b = int(first[0]), int(second[0])
    if first[1] is not None or (second[1] is None and a > b and b <= 10):
        return b, a  # reps × sets
    return a, b


def parse(text: str) -> Dose:
    """The sets, reps, sides, hold and rest that a dose's words state, each within what a
    timer runs (`LIMITS`). A range ("8-10 reps", "20-30 s") counts from its lower end:
    what the dose asks at least."""
    said = _stated(text)
    return Dose(*(_within(name, getattr(said, name)) for name in FIELDS))


def beyond(text: str) -> tuple[tuple[str, int, int, int], ...]:
    """The numbers a dose's words state that `parse` leaves out, being past what a timer
    runs ("30 sets of 10": 30 sets): (field, the number, lowest, highest)."""
    said = _stated(text)
    out = []
    for name in FIELDS:
        value, (low, high) = getattr(said, name), LIMITS[name]
        if value is not None and not low <= value <= high:
            out.append((name, value, low, high))
    return tuple(out)


def _stated(text: str) -> Dose:
    """What the words state, whatever the numbers."""
    text = (text or "").strip()
    if not text:
        return Dose()
    sides = 2 if _SIDES.search(text) else None
    rest = hold = sets = reps = None
    if found := _REST.search(text):
        rest = _seconds_any(found)
        text = text[: found.start()] + " " + text[found.end() :]
    if found := _HOLD.search(text):
        hold = _seconds_any(found)
    elif found := _SETS_OF_TIME.search(text):
        sets, hold = int(found[1]), _seconds(found[2], found["unit"])
    elif found := _SETS_OF_REPS.search(text):
        sets, reps = _sets_and_reps((found[1], found[2]), (found[3], found[4]))
    else:
        if found := _SETS_WORD.search(text):
            sets, reps = int(found[1]), int(found[2]) if found[2] else None
        if reps is None and (found := _REPS_WORD.search(text)):
            reps = int(found[1] or found[3])
        if reps is None and sets is None and (found := _TIME.search(text)):
            hold = _seconds(found[1], found["unit"])
    return Dose(sets, reps, sides, hold, rest)


def _seconds_any(found: re.Match) -> int | None:
    amounts = [g for g in found.groups() if g and g.isdigit()]
    unit = found["unit"] or found["unit2"]
    return _seconds(amounts[0], unit) if amounts and unit else None


def find_hold(text: str) -> tuple[int, int, int] | None:
    """Where `text` states a hold ("hold 60 s", "30 s hold") and for how long:
    (start, end, seconds), or None. The importer cuts it out of an exercise's line."""
    found = _HOLD.search(text or "")
    seconds = _within("hold_seconds", _seconds_any(found)) if found else None
    return (found.start(), found.end(), seconds) if seconds else None


def duration(seconds: int) -> str:
    """'20 s', '1 min', '1 min 30 s', '5 min': a 5-minute dose is never '300 s'."""
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min" + (f" {rest} s" if rest else "")


def timed_rest(dose: Dose) -> int | None:
    """The rest a guided session times between sets of holds (the default where the dose
    states none), or None where it times none (reps, or a single set)."""
    if not (dose.hold_seconds and (dose.sets or 1) > 1):
        return None
    return DEFAULT_REST_SECONDS if dose.rest_seconds is None else dose.rest_seconds


def runs_as(dose: Dose) -> str:
    """What a guided session times of a dose, in the usual words: '2 × 60 s each side,
    10 s rest' (a rest is timed between sets of holds only); '' for none."""
    text, rest = describe(dose), timed_rest(dose)
    if rest is None:
        return text
    return f"{text}, {duration(rest)} rest" if rest else f"{text}, no rest"


def describe(dose: Dose) -> str:
    """The dose in the usual words: '3 × 20 s each side', '3 × 8', 'hold 1 min'."""
    amount = duration(dose.hold_seconds) if dose.hold_seconds else str(dose.reps or "")
    if dose.sets and dose.sets > 1 and amount:
        text = f"{dose.sets} × {amount}"
    elif dose.sets and dose.sets > 1:
        text = f"{dose.sets} sets"
    elif dose.hold_seconds:
        text = f"hold {amount}"
    else:
        text = f"{amount} reps" if amount else ""
    return f"{text} each side".strip() if dose.sides == 2 else text
