"""How an exercise felt in a session (easy, right, hard, painful): one optional tap each.

`feelings.csv` beside the check-off log, with its guarantees (`hipdash.store`): whole
lines, locked, fsynced, nothing rewritten; the latest line per session and exercise (by
`recorded_at`, `hipdash.stamps`) wins, and an empty feeling clears one. Progress and the
report summarise the last few sessions of each exercise ("painful in 3 of the last 5").
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from hipdash import fields, stamps, store
from hipdash.store import FileKind, Snapshot
from hipdash.writers import writer

COLUMNS = ("recorded_at", "session_date", "routine", "exercise", "feeling")
FEELINGS = ("easy", "right", "hard", "painful")
LABELS = {"easy": "Easy", "right": "Right", "hard": "Hard", "painful": "Painful"}
RECENT = 5  # sessions looked back on in a summary


def _parse(values: list[str]) -> tuple | str:
    recorded_at, day, routine, exercise, feeling = values
    problem = (
        fields.timestamp_problem(recorded_at)
        or fields.date_problem(day)
        or fields.routine_problem(routine)
    )
    if problem:
        return problem
    if not fields.EXERCISE_KEY.match(exercise):
        return "exercise is not section/exercise"
    if feeling not in FEELINGS and feeling != "":
        return f"feeling is not one of {', '.join(FEELINGS)} (or empty to clear)"
    return (sys.intern(day), sys.intern(routine), sys.intern(exercise), feeling, recorded_at)


KIND = FileKind("feelings.csv", COLUMNS, _parse)


def _add(folded: tuple[dict, dict], records) -> tuple[dict, dict]:
    latest, when = folded
    for day, routine, exercise, feeling, stamp in records:
        key = (routine, exercise, day)
        if key not in when or stamps.not_before(stamp, when[key]):
            latest[key], when[key] = feeling, stamp
    return folded


@dataclass(frozen=True)
class Recent:
    """How one exercise felt over its last sessions with a feeling noted, newest first."""

    exercise: str
    feelings: tuple[str, ...]

    @property
    def counts(self) -> Counter:
        return Counter(self.feelings)

    @property
    def summary(self) -> str:
        """'painful in 3 of the last 5 sessions' (the hardest feeling noted), or ''."""
        if not self.feelings:
            return ""
        worst = next(f for f in reversed(FEELINGS) if f in self.feelings)
        n, total = self.counts[worst], len(self.feelings)
        if total == 1:
            return f"{worst} in the last session"
        return f"{worst} in {n} of the last {total} sessions"


class FeelingLog:
    """The feelings file of one data dir."""

    def __init__(self, data_dir: Path):
        self.store = KIND.store(data_dir)

    @property
    def path(self) -> Path:
        return self.store.path

    @writer
    def record(
        self,
        session_date: date,
        routine: str,
        exercise: str,
        feeling: str,
        now: datetime | None = None,
    ) -> bool:
        """Note (or with "" clear) how an exercise felt; raises ValueError or StoreWriteError.

        Decided on the file as it is now, under the lock: a feeling already noted is not
        written again, so a tap that arrives twice (or from two devices) adds one line.
        Returns whether a line was written."""
        if fields.routine_problem(routine) or not fields.EXERCISE_KEY.match(exercise):
            raise ValueError(f"not a routine's exercise: {routine!r} {exercise!r}")
        if feeling not in FEELINGS and feeling != "":
            raise ValueError(f"a feeling is one of {', '.join(FEELINGS)}, not {feeling!r}")
        day = fields.day_text(session_date)
        key = (routine, exercise, day)
        with self.store.locked() as locked:
            latest, when = self._folded(locked.read())
            if latest.get(key, "") == feeling:
                return False
            locked.append([(stamps.after(now, [when.get(key)]), day, routine, exercise, feeling)])
        return True

    def snapshot(self) -> Snapshot:
        return self.store.read()

    def _folded(self, snap: Snapshot | None = None) -> tuple[dict, dict]:
        """(routine, exercise, day) -> its feeling, and -> the recorded_at of that line."""
        return store.fold(("feelings", self.path), snap or self.snapshot(), lambda: ({}, {}), _add)

    def _latest(self, snap: Snapshot | None = None) -> dict[tuple[str, str, str], str]:
        return self._folded(snap)[0]

    def feeling(self, session_date: date, routine: str, exercise: str) -> str:
        """The feeling noted for one exercise in one session ('' if none)."""
        return self._latest().get((routine, exercise, session_date.isoformat()), "")

    def recent(
        self, routine: str, until: date | None = None, since: date | None = None, n: int = RECENT
    ) -> dict[str, Recent]:
        """Exercise key -> its last `n` noted feelings (in sessions from `since` up to
        `until`, inclusive), for the exercises of `routine` that have any."""
        by_exercise: dict[str, list[tuple[str, str]]] = {}
        first = since.isoformat() if since else ""
        last = until.isoformat() if until else "9999"
        for (rid, exercise, day), feeling in self._latest().items():
            if rid == routine and feeling and first <= day <= last:
                by_exercise.setdefault(exercise, []).append((day, feeling))
        return {
            exercise: Recent(exercise, tuple(f for _, f in sorted(noted, reverse=True)[:n]))
            for exercise, noted in by_exercise.items()
        }
