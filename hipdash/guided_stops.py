"""A guided session: the routine one exercise at a time, then a finish with the numbers.

Pure: the stops of a routine (a circuit's exercises once per round), where a session
resumes (the screen shown last, else the first exercise not done), the exercises left
undone, and the finish screen's numbers, which are Progress's own (`hipdash.stats`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from hipdash import explain, stats
from hipdash.daystate import DayStates
from hipdash.models import Exercise, Routine, Section, exercise_items

FINISH = "finish"  # the id of the screen after the last stop


@dataclass(frozen=True)
class Stop:
    """One screen: an exercise (in a circuit, one round of it), and where it is."""

    section: Section
    exercise: Exercise
    number: int  # 1-based
    total: int
    round: int = 1

    @property
    def key(self) -> str:
        """The exercise's key in the log: `section/exercise`."""
        return f"{self.section.id}/{self.exercise.id}"

    @property
    def id(self) -> str:
        """The screen's own id: the key, and in a circuit `@round`."""
        return f"{self.key}@{self.round}" if self.section.circuit else self.key

    @property
    def rounds(self) -> int:
        return self.section.rounds or 1

    @property
    def last_round(self) -> bool:
        """Done here ticks the exercise (in a circuit, only in its last round)."""
        return self.round >= self.rounds

    @property
    def items(self) -> tuple[str, ...]:
        """The log keys Done ticks: the exercise, or each of its steps."""
        return tuple(item.key for item in exercise_items(self.section, self.exercise))

    @property
    def position(self) -> str:
        """'Strengthen · 7 of 13', in a circuit 'Circuit · round 2 of 3 · 7 of 19'."""
        round_of = f" · round {self.round} of {self.rounds}" if self.section.circuit else ""
        return f"{self.section.title}{round_of} · {self.number} of {self.total}"

    def done(self, state: Mapping[str, bool]) -> bool:
        return all(state.get(key) for key in self.items)


def stops(routine: Routine) -> tuple[Stop, ...]:
    """Every screen in order: a section's exercises, a circuit's once per round."""
    visits = [
        (section, exercise, n)
        for section in routine.sections
        for n in range(1, (section.rounds or 1) + 1)
        for exercise in section.exercises
    ]
    return tuple(
        Stop(section, exercise, number, len(visits), n)
        for number, (section, exercise, n) in enumerate(visits, start=1)
    )


def first_open(all_stops: tuple[Stop, ...], state: Mapping[str, bool]) -> int:
    """The first exercise not done (the finish if all are)."""
    return next((i for i, stop in enumerate(all_stops) if not stop.done(state)), len(all_stops))


def all_done(all_stops: tuple[Stop, ...], state: Mapping[str, bool]) -> bool:
    """Every exercise of the session ticked, on Today or in it."""
    return first_open(all_stops, state) == len(all_stops)


def next_open(all_stops: tuple[Stop, ...], index: int, state: Mapping[str, bool]) -> int:
    """The screen after `index` that is not done yet (the finish if none): moving on never
    lands on an exercise already ticked, on Today or before."""
    later = range(index + 1, len(all_stops))
    return next((i for i in later if not all_stops[i].done(state)), len(all_stops))


def resume(all_stops: tuple[Stop, ...], state: Mapping[str, bool], shown: str | None) -> int:
    """Where a session resumes: the screen shown last (`shown`, a stop's id or FINISH), if
    the routine still has it; else the first exercise not done."""
    if shown == FINISH:
        return len(all_stops)
    found = find(all_stops, shown)
    return first_open(all_stops, state) if found is None else found


def find(all_stops: tuple[Stop, ...], screen: str | None) -> int | None:
    """The index of the stop whose id is `screen`; None if the routine has none (edited)."""
    return next((i for i, stop in enumerate(all_stops) if stop.id == screen), None)


def undone(all_stops: tuple[Stop, ...], state: Mapping[str, bool]) -> tuple[tuple[int, Stop], ...]:
    """The exercises not done, each with the screen to go back to (a circuit's: its last
    round, where Done ticks it), in session order."""
    last: dict[str, int] = {stop.key: i for i, stop in enumerate(all_stops)}
    return tuple((i, all_stops[i]) for i in sorted(last.values()) if not all_stops[i].done(state))


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
        return explain.week_count(self.week_sessions, self.week_target)


def finish(
    states: DayStates,
    routine: Routine,
    state: Mapping[str, bool],
    day: date,
    today: date,
    share: float,
    marked: Iterable[date] = (),
) -> Finish:
    done, total = stats.day_count(routine, day, state)
    week_sessions, week_target = stats.week_of(states, routine, day, today, share, marked)
    summary = stats.progress(states, routine, today, share, marked).summary
    return Finish(
        done=done,
        total=total,
        needed=stats.sessions_needed(total, share),
        counted=bool(stats.is_session(done, total, share)),
        week_sessions=week_sessions,
        week_target=week_target,
        streak=summary.current_streak,
    )
