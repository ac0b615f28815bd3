"""What a guided session does and says at one stop: its phases, in order, with what each
shows and what is spoken as it starts.

A timed set is a lead-in ("Get ready"), a countdown per side with "Switch sides" between,
and a rest before the next set; a set of reps is one tap ("Set 2 of 3 done"). A circuit
runs one set per round, and a section's rest comes before each of its exercises after
the first. Pure: the browser runs the phases (`hipdash/ui/phases.js`) by the clock; the
lead-ins' lengths are the person's settings there (`LEAD_SECONDS` here): an exercise's
first lead-in is the time to get into position (unless a rest comes first), the others
the short one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hipdash import dose as doses
from hipdash.dose import DEFAULT_REST_SECONDS, Dose
from hipdash.guided_stops import Stop
from hipdash.importing.kinds import is_dose
from hipdash.models import Step

LEAD_SECONDS = 3
STEPS_SAID = 6  # an exercise's steps said on arrival; more are counted ("and 2 more")
SIDES = ("left side", "right side")
_MARKS = re.compile(r"\s*[.,;:!?…](?:\s*[.,;:!?…])*")  # a run of marks, spaces between
_STRONGEST = "?!.…;:,"  # a run is said as its strongest mark ("video:." as ".")


@dataclass(frozen=True)
class Phase:
    """One part of a stop. `kind`: lead, work, switch, rest (countdowns of `seconds`) or tap
    (waits for `action`, the button's words); `set` is the set it belongs to (Restart set
    goes back to that set's first phase)."""

    kind: str
    label: str  # shown big: "Set 2 of 3 · left side"
    seconds: int | None
    say: str  # spoken as it starts
    set: int
    action: str = ""


@dataclass(frozen=True)
class Script:
    """A stop's phases; `arrival` is said as it starts, `ending` when its last phase ends
    ("Next: Clamshell."). Arriving just after the stop before said `named` (its "Next:
    Clamshell."), `brief` is said instead: the arrival without the title said a moment ago.
    No phases: the exercise has nothing to time or count."""

    phases: tuple[Phase, ...]
    arrival: str
    ending: str
    reps: int | None = None  # shown with each tap
    named: str = ""
    brief: str = ""

    @property
    def timed(self) -> bool:
        return any(p.kind == "work" for p in self.phases)


def script(stop: Stop, following: Stop | None = None) -> Script:
    """The phases of `stop`; `following` is the stop after it, named at the end."""
    dose = stop.exercise.amounts
    sets = 1 if stop.section.circuit else dose.sets or 1
    sides = dose.sides or 1
    phases: list[Phase] = []
    rest = stop.section.rest_seconds
    if rest and stop.number > 1 and _after_same_section(stop):
        phases.append(
            Phase("rest", f"Rest · next: {stop.exercise.title}", rest, _rest_words(rest), 1)
        )
    if dose.hold_seconds:
        phases += _timed(stop, dose, sets, sides)
    elif sets * sides > 1:
        phases += _taps(stop, sets, sides)
    elif phases:  # a rest, then the exercise itself: a tap says it was done
        phases.append(Phase("tap", stop.exercise.title, None, "Go.", 1, "Done"))
    ending = named_next(following) if following else ""
    brief = arrival(stop, dose, titled=False)
    return Script(tuple(phases), arrival(stop, dose), ending, dose.reps, named_next(stop), brief)


def named_next(stop: Stop) -> str:
    """'Next: Clamshell.': said as the stop before this one ends."""
    return f"Next: {sentence(stop.exercise.title)}"


def _after_same_section(stop: Stop) -> bool:
    """Not the first screen of its section (a section's rest is between its exercises)."""
    index = [ex.id for ex in stop.section.exercises].index(stop.exercise.id)
    return index > 0 or stop.round > 1


def _timed(stop: Stop, dose: Dose, sets: int, sides: int) -> list[Phase]:
    rest = DEFAULT_REST_SECONDS if dose.rest_seconds is None else dose.rest_seconds
    phases: list[Phase] = []
    for n in range(1, sets + 1):
        if n > 1 and rest:
            phases.append(Phase("rest", "Rest", rest, _rest_words(rest), n - 1))
        first = label(stop, n, sets, 1, sides)
        phases.append(
            Phase("lead", f"Get ready · {first}", LEAD_SECONDS, _lead_words(stop, first), n)
        )
        for side in range(1, sides + 1):
            shown = label(stop, n, sets, side, sides)
            if side > 1:
                phases.append(
                    Phase("switch", f"Switch sides · {shown}", LEAD_SECONDS, "Switch sides.", n)
                )
            phases.append(Phase("work", shown, dose.hold_seconds, "Go.", n))
    return phases


def _lead_words(stop: Stop, first: str) -> str:
    """'Set 2 of 3. Left side. Get ready.'; in a circuit without its round, which the
    arrival has just said ('Plank. Round 2 of 3. 30 seconds.')."""
    if stop.section.circuit:
        first = first.removeprefix(_round(stop)).strip(" ·")
    return f"{_spoken(first)} Get ready." if first else "Get ready."


def _taps(stop: Stop, sets: int, sides: int) -> list[Phase]:
    phases = []
    for n in range(1, sets + 1):
        for side in range(1, sides + 1):
            shown = label(stop, n, sets, side, sides)
            phases.append(Phase("tap", shown, None, _spoken(shown), n, f"{shown} done"))
    return phases


def label(stop: Stop, n: int, sets: int, side: int, sides: int) -> str:
    """'Set 2 of 3 · left side', 'Round 2 of 3', 'Right side', or 'Hold'."""
    return set_label(n, sets, side, sides, _round(stop) if stop.section.circuit else "")


def _round(stop: Stop) -> str:
    return f"Round {stop.round} of {stop.rounds}"


def holds(dose: Dose, circuit: bool = False) -> list[str]:
    """Each hold of a timed dose, in order, as Today's card counts them down ('Set 1 of 2 ·
    left side', 'Set 1 of 2 · right side', …); a single hold: none. In a circuit a round is
    one set, as in the guided session."""
    sets, sides = 1 if circuit else dose.sets or 1, dose.sides or 1
    if not dose.hold_seconds or sets * sides == 1:
        return []
    return [set_label(n, sets, s, sides) for n in range(1, sets + 1) for s in range(1, sides + 1)]


def set_label(n: int, sets: int, side: int, sides: int, first: str = "") -> str:
    """'Set 2 of 3 · left side' (`first` in place of the set: a circuit's round)."""
    parts = [first] if first else [f"Set {n} of {sets}"] if sets > 1 else []
    if sides > 1:
        parts.append(SIDES[side - 1] if parts else SIDES[side - 1].capitalize())
    return " · ".join(parts) or "Hold"


def _spoken(shown: str) -> str:
    """'Set 2 of 3 · left side' as said: 'Set 2 of 3. Left side.'"""
    return " ".join(f"{part[0].upper()}{part[1:]}." for part in shown.split(" · "))


def arrival(stop: Stop, dose: Dose, titled: bool = True) -> str:
    """'Dead bug. 3 sets of 8.' (in a circuit the round's own: 'Squats. Round 2 of 3. 8
    reps.'); not `titled`, without 'Dead bug.'. An exercise made of steps says them, as
    the screen lists them: hands-free, the person hears what to do."""
    words = [sentence(stop.exercise.title)] if titled else []
    if stop.section.circuit:
        words.append(f"{_round(stop)}.")
        dose = Dose(None, dose.reps, dose.sides, dose.hold_seconds)
    if stop.round == 1:  # a circuit's later rounds: said in its first
        words += _steps_words(stop)
    said = spoken_dose(dose)
    return " ".join(words + ([f"{said[0].upper()}{said[1:]}."] if said else []))


def _steps_words(stop: Stop) -> list[str]:
    steps = stop.exercise.steps
    said = [step_words(step) for step in steps[:STEPS_SAID]]
    return said + ([f"And {len(steps) - STEPS_SAID} more."] if len(steps) > STEPS_SAID else [])


def step_words(step: Step) -> str:
    """'Dead bug.', and its dose when its notes are one, as the note gave it ("- Dead bug —
    3 × 10" under a group): 'Dead bug. 3 sets of 10.'. Notes with other words are for
    reading: "Slowly, 2 seconds down" is a pace, not a 2 s hold."""
    said = spoken_dose(doses.parse(step.notes)) if is_dose(step.notes) else ""
    return " ".join([sentence(step.title), *([f"{said[0].upper()}{said[1:]}."] if said else [])])


def sentence(words: str) -> str:
    """Words from a note (a title) as one spoken sentence: each run of punctuation one
    mark, and one full stop at the end unless it asks or exclaims. A heading-like line
    ("…in the following video:") was said "video:."."""
    text = phrase(words)
    return text if not text or text.endswith(("?", "!")) else f"{text}."


def phrase(words: str) -> str:
    """A title as a phrase that more words follow ("✓ … done"): each run of punctuation
    one mark, none trailing but a question's or an exclamation's."""
    text = _MARKS.sub(lambda run: _strongest(run[0]), " ".join(words.split()))
    return text.rstrip(" .,;:…-–—")


def _strongest(run: str) -> str:
    return next(mark for mark in _STRONGEST if mark in run).replace("…", ".")


def spoken_dose(dose: Dose) -> str:
    """A dose as said aloud: '3 sets of 20 seconds each side', '3 sets of 8', '5 minutes'."""
    amount = seconds_words(dose.hold_seconds) if dose.hold_seconds else ""
    amount = amount or (f"{dose.reps} rep{'s' if dose.reps != 1 else ''}" if dose.reps else "")
    if dose.sets and dose.sets > 1:
        text = f"{dose.sets} sets of {amount.removesuffix(' reps')}" if amount else ""
        text = text or f"{dose.sets} sets"
    else:
        text = amount
    return f"{text} each side".strip() if dose.sides == 2 else text


def seconds_words(seconds: int) -> str:
    """'20 seconds', '1 minute', '1 minute 30 seconds'."""
    minutes, rest = divmod(seconds, 60)
    parts = [f"{minutes} minute{'s' if minutes != 1 else ''}"] if minutes else []
    parts += [f"{rest} second{'s' if rest != 1 else ''}"] if rest or not minutes else []
    return " ".join(parts)


def _rest_words(seconds: int) -> str:
    return f"Rest, {seconds_words(seconds)}."


def finish_words(verdict: str, week: str) -> str:
    """At the finish: 'Session counted. 2 of 3 this week.'"""
    return f"{verdict}. {week}."
