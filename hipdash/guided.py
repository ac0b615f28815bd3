"""A guided session: the routine one exercise at a time, then a finish with the numbers.

Pure: the stops of a routine, where a session resumes (the first exercise not done, from
the log), and the finish screen's numbers, which are Progress's own (`hipdash.stats`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from hipdash import stats
from hipdash.daystate import DayStates
from hipdash.models import Exercise, Routine, Section, exercise_items


@dataclass(frozen=True)
class Stop:
    """One screen: an exercise, and where it is in the session."""

    section: Section
    exercise: Exercise
    number: int  # 1-based
    total: int

    @property
    def key(self) -> str:
        return f"{self.section.id}/{self.exercise.id}"

    @property
    def items(self) -> tuple[str, ...]:
        """The log keys Done ticks: the exercise, or each of its steps."""
        return tuple(item.key for item in exercise_items(self.section, self.exercise))

    @property
    def position(self) -> str:
        """'Strengthen · 7 of 13'."""
        return f"{self.section.title} · {self.number} of {self.total}"

    def done(self, state: Mapping[str, bool]) -> bool:
        return all(state.get(key) for key in self.items)


def stops(routine: Routine) -> tuple[Stop, ...]:
    pairs = [(s, ex) for s in routine.sections for ex in s.exercises]
    return tuple(Stop(s, ex, n, len(pairs)) for n, (s, ex) in enumerate(pairs, start=1))


def first_open(all_stops: tuple[Stop, ...], state: Mapping[str, bool]) -> int:
    """Where a session resumes: the first exercise not done (the finish if all are)."""
    return next((i for i, stop in enumerate(all_stops) if not stop.done(state)), len(all_stops))


@dataclass(frozen=True)
class Finish:
    """The finish screen's numbers, as Progress counts them."""

    done: int
    total: int
    needed: int
    counted: bool
    week_sessions: int
    week_target: int
    streak: int

    @property
    def verdict(self) -> str:
        """'Session counted', or how many more items it needs."""
        if self.counted:
            return "Session counted"
        more = self.needed - self.done
        return f"{more} more item{'s' if more != 1 else ''} to count this session"

    @property
    def week(self) -> str:
        return f"{self.week_sessions} of {self.week_target} this week"


def finish(
    states: DayStates,
    routine: Routine,
    state: Mapping[str, bool],
    day: date,
    today: date,
    share: float,
    marked: Iterable[date] = (),
) -> Finish:
    keys = routine.counted_keys
    done = sum(1 for key in keys if state.get(key))
    week_sessions, week_target = stats.week_of(states, routine, day, today, share, marked)
    summary = stats.progress(states, routine, today, share, marked).summary
    return Finish(
        done=done,
        total=len(keys),
        needed=stats.sessions_needed(len(keys), share),
        counted=bool(stats.is_session(done, len(keys), share)),
        week_sessions=week_sessions,
        week_target=week_target,
        streak=summary.current_streak,
    )
