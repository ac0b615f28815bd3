"""Consistency numbers from the check-off log: days, ISO weeks, streaks, adherence.

Pure functions of a routine's day states (`CheckoffLog.day_states()`, or a log frame
of its rows), a Routine, `today` and the session share, so every number
on the Progress page can be checked against a small hand-made log. Two plain tables
carry everything:

* the day table: one row per day that has any row for the routine (done / total of the
  routine's items as it was that day, whether it is a session);
* the week table: one row per ISO week (Monday to Sunday) with its sessions and its
  `target`, lowered by the week's marked days (rest, sick, travel).

Marked days: each marked day on which no session was done lowers that week's target by
one. A week whose target falls to 0 is *excused*: it neither breaks nor extends a streak.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from hipdash import fields
from hipdash.daystate import DayStates, among
from hipdash.models import Routine
from hipdash.words import plural

# The ranges the Progress page offers, in weeks ending with the current one (None = all).
RANGES: dict[str, int | None] = {"12 weeks": 12, "26 weeks": 26, "52 weeks": 52, "All time": None}
HEATMAP_WEEKS = 26
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_NS = "datetime64[ns]"
_EPSILON = 1e-9  # 8 of 16 at a share of 0.5 must count, whatever the float rounding


def monday(day: date | pd.Timestamp) -> date:
    """The Monday that starts the ISO week of `day`."""
    day = pd.Timestamp(day).date()
    return day - timedelta(days=day.weekday())


def iso_weeks(dates: pd.Series) -> list[str]:
    """'2026-W48' for each date: the ISO year and week, which its week's Thursday decides."""
    days = dates.to_numpy().astype("datetime64[D]")
    return _iso_labels(days)


def _iso_labels(days: np.ndarray) -> list[str]:
    # With numpy: years of weeks are thousands of labels on every Progress render.
    thursday = days - (days.astype(int) + 3) % 7 + 3  # 1970-01-01 was a Thursday
    year = thursday.astype("datetime64[Y]")
    years = (year.astype(int) + 1970).tolist()
    weeks = ((thursday - year.astype("datetime64[D]")).astype(int) // 7 + 1).tolist()
    return [f"{y}-W{w:02d}" for y, w in zip(years, weeks, strict=True)]


@lru_cache(maxsize=8)
def _week_labels(first: date, count: int) -> tuple[str, ...]:
    """The labels of `count` weeks from the Monday `first`: the same all-time weeks on
    every rerun, so made once."""
    return tuple(_iso_labels(np.datetime64(first, "D") + 7 * np.arange(count)))


def is_session(done, total: int, share: float):
    """A day is a session when at least `share` of the routine's items are done; `done` is
    a count or an array of counts (then an array of answers)."""
    return (total > 0) & (done > 0) & (done >= share * total - _EPSILON)


def day_count(routine: Routine, day: date, state: Mapping[str, bool]) -> tuple[int, int]:
    """A day's items done and its total, as the routine was that day: an item added later
    is left out (`Routine.counted_keys_on`), and one done that day but no longer in the
    routine counts on both sides (it was in the routine then), so that removing or renaming
    an exercise never undoes a session: a past day's share stays, or grows. An item moved
    to another section whose tick came with it (`services.checkoffs.carry_moved`) counts
    once: under its new key where that counts that day, else under its old one."""
    keys = routine.counted_keys_on(day)
    counted, current = set(keys), set(routine.item_keys)
    ticked = [key for key, done in state.items() if done]
    here = {_unplaced(key) for key in ticked if key in counted}
    gone = sum(1 for key in ticked if key not in current and _unplaced(key) not in here)
    return sum(1 for key in keys if state.get(key)) + gone, len(keys) + gone


def _unplaced(key: str) -> str:
    """An item's key without its section: the same item moved to another section."""
    return key.partition("/")[2]


def _gone(states: DayStates, routine: Routine) -> np.ndarray:
    """Per day, the items done that `day_count` counts though no longer in the routine."""
    joined = dict(routine.added)
    placed: dict[str, list[tuple[int, date | None]]] = {}
    for key in routine.counted_keys:
        if key in states.items:
            column = states.items.index(key)
            placed.setdefault(_unplaced(key), []).append((column, joined.get(key)))
    gone = np.zeros(len(states.dates), dtype=np.int64)
    for column in np.flatnonzero(~states.columns(routine.item_keys)):
        ticked = states.done[:, column]
        for moved, since in placed.get(_unplaced(states.items[column]), ()):
            there = states.done[:, moved]
            if since is not None:  # counted from the day it joined only
                there = there & (states.dates >= np.datetime64(since, "ns"))
            ticked = ticked & ~there
        gone += ticked
    return gone


def _states(log: DayStates | pd.DataFrame, routine: Routine) -> DayStates:
    """The day states of a routine from either a log frame or `CheckoffLog.day_states`."""
    return DayStates.from_frame(log, routine.id) if isinstance(log, pd.DataFrame) else log


def day_table(
    log: DayStates | pd.DataFrame,
    routine: Routine,
    today: date,
    share: float,
    first: date | None = None,
) -> pd.DataFrame:
    """One row per day up to `today` (from `first`) that has any log row for the routine,
    oldest first.

    `log` is the routine's `DayStates` (or a log frame, reduced to them). Columns: date
    (datetime64), done and total (`day_count`: the routine's items that day but optional
    ones), share, session, other_done (of those, the items done that are no longer in the
    routine, which the history names).
    """
    return _day_frame(_day_columns(_states(log, routine), routine, today, share, first))


def _day_columns(
    states: DayStates, routine: Routine, today: date, share: float, first: date | None = None
) -> dict[str, np.ndarray]:
    """The day table's columns as arrays: all Progress needs on every render, without the
    frame (building frames of years of days cost more than the sums)."""
    states = states.up_to(pd.Timestamp(today), first and pd.Timestamp(first))
    done, total = _counted(states, routine)
    other = _gone(states, routine)
    done, total = done + other, total + other  # as `day_count`: they were in it that day
    return {
        "date": states.dates,
        "done": done,
        "total": total,
        "share": np.divide(done, total, out=np.zeros(len(done)), where=total > 0),
        "session": is_session(done, total, share),
        "other_done": other,
    }


def _counted(states: DayStates, routine: Routine) -> tuple[np.ndarray, np.ndarray]:
    """Per day, the counted items done and their number, as the routine was that day: the
    days before an item joined (`Routine.added`) are judged without it."""
    done = np.zeros(len(states.dates), dtype=np.int64)
    total = np.zeros(len(states.dates), dtype=np.int64)
    joined = sorted({since for _, since in routine.added})
    starts = [None, *joined]  # each span: from one joining day to the next
    for start, end in zip(starts, [*joined, None], strict=True):
        rows: np.ndarray | slice = slice(None)  # no item joined later: every day at once
        if start is not None or end is not None:
            rows = np.ones(len(states.dates), dtype=bool)
            if start is not None:
                rows &= states.dates >= np.datetime64(start, "ns")
            if end is not None:
                rows &= states.dates < np.datetime64(end, "ns")
        keys = routine.counted_keys_on(start or date.min)
        # floats count ones exactly, and faster than a boolean sum over years of days
        cols = states.columns(keys).astype(np.float32)
        done[rows] = (states.done[rows].astype(np.float32) @ cols).astype(np.int64)
        total[rows] = len(keys)
    return done, total


def _day_frame(columns: Mapping[str, np.ndarray]) -> pd.DataFrame:
    return pd.DataFrame({**columns, "date": pd.DatetimeIndex(columns["date"])})


def week_table(
    days: pd.DataFrame,
    target: int,
    today: date,
    start: date | None = None,
    marked: Iterable[date] = (),
) -> pd.DataFrame:
    """One row per ISO week from `start` (default: the first logged week) to today's week.

    Columns: week_start (datetime64, a Monday), week ('2026-W48'), sessions, marked (days
    marked rest/sick/travel without a session), target (the routine's, minus marked),
    excused (target lowered to 0), met, current (today's week, still open).
    """
    dates = days["date"].to_numpy(dtype="datetime64[D]")
    return week_frame(
        _week_columns(dates, days["session"].to_numpy(bool), target, today, marked, start)
    )


def _week_columns(
    dates: np.ndarray,
    session: np.ndarray,
    target: int,
    today: date,
    marked: Iterable[date],
    start: date | None = None,
) -> dict[str, np.ndarray | tuple[str, ...]]:
    """The week table's columns from the day table's dates and session flags (oldest
    first), from the week of `start` (None: the first day's, or today's if none) to
    today's."""
    dates = dates.astype("datetime64[D]", copy=False)
    sessions = dates[session]
    this_monday = monday(today)
    first = start if start is not None else dates[0].item() if len(dates) else this_monday
    first = min(monday(first), this_monday)
    count = (this_monday - first).days // 7 + 1
    starts = np.datetime64(first, "D") + 7 * np.arange(count)
    off = np.array(sorted(set(marked)), dtype="datetime64[D]")
    off = off[(off <= np.datetime64(today, "D")) & ~among(off, sessions)]
    per_week = _per_week(sessions, starts[0], count)
    marked_days = _per_week(off, starts[0], count)
    targets = np.clip(target - marked_days, 0, None)
    excused = targets == 0
    return {
        "week_start": starts.astype(_NS),
        "week": _week_labels(first, count),
        "sessions": per_week,
        "marked": marked_days,
        "target": targets,
        "excused": excused,
        "met": (per_week >= targets) & ~excused,
        "current": np.arange(count) == count - 1,  # the weeks end with today's
    }


def week_frame(columns: Mapping[str, np.ndarray | tuple[str, ...]]) -> pd.DataFrame:
    """The week table of these columns (`Progress.week_columns_in`)."""
    return pd.DataFrame(columns)


def _per_week(dates: np.ndarray, first: np.datetime64, count: int) -> np.ndarray:
    """How many of `dates` (datetime64[D]) fall in each of `count` weeks from `first`."""
    index = (dates - first).astype(np.int64) // 7
    index = index[(index >= 0) & (index < count)]
    return np.bincount(index, minlength=count).astype(np.int64)


def sessions_needed(total: int, share: float) -> int:
    """How many of `total` items make a day a session (8 of 16 at a share of 0.5)."""
    return next(n for n in range(1, total + 1) if is_session(n, total, share)) if total else 0


def week_of(
    states: DayStates,
    routine: Routine,
    day: date,
    today: date,
    share: float,
    marked: Iterable[date] = (),
) -> tuple[int, int]:
    """(sessions, target) of the week of `day`, as Progress counts them, from that week's
    days only: cheap enough for every tick."""
    first = monday(day)
    last = min(first + timedelta(days=6), today)
    days = day_table(states, routine, last, share, first)
    target = routine.schedule.sessions_per_week
    week = week_table(days, target, last, first, marked).iloc[-1]
    return int(week["sessions"]), int(week["target"])


def range_start(today: date, weeks: int | None) -> date | None:
    """The Monday that starts a range of `weeks` weeks ending with today's; None = all time."""
    return None if weeks is None else monday(today) - timedelta(weeks=weeks - 1)


@dataclass(frozen=True)
class Streaks:
    current: int
    best: int


def streaks(weeks: pd.DataFrame) -> Streaks:
    """Consecutive weeks that met the target.

    The current streak ends with the last complete week; the open current week adds one
    once it has met the target and never breaks the streak before then. Excused weeks
    (every training day marked off) are passed over. `weeks` must run without gaps up to
    the current week (as `week_table` makes it).
    """
    return _streaks({name: weeks[name].to_numpy(bool) for name in ("excused", "met", "current")})


def _streaks(weeks: Mapping[str, np.ndarray]) -> Streaks:
    kept = ~weeks["excused"]
    met = weeks["met"][kept]
    open_week = weeks["current"][kept]
    complete = met[~open_week]
    misses = np.flatnonzero(~complete)
    run = len(complete) - 1 - misses[-1] if len(misses) else len(complete)
    current = int(run) + int(met[open_week].any())
    edges = np.diff(np.concatenate(([0], met.astype(np.int8), [0])))
    best = int((np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)).max(initial=0))
    return Streaks(current=current, best=best)


@dataclass(frozen=True)
class SessionAdherence:
    """Sessions done against sessions planned over some weeks."""

    done: int
    planned: int

    @property
    def share(self) -> float | None:
        return self.done / self.planned if self.planned else None

    @property
    def text(self) -> str:
        """'30 of 34 planned sessions (88%)'."""
        share = "" if self.share is None else f" ({self.share:.0%})"
        return f"{self.done} of {self.planned} planned sessions{share}"


def session_adherence(weeks: pd.DataFrame) -> SessionAdherence:
    """The sessions of `weeks` (a week table) against the sum of their targets, which the
    days marked off already lowered. The open week plans only what it has done so far: as
    with the streak, a week cannot count against you before it is over."""
    sessions = weeks["sessions"].to_numpy()
    targets = weeks["target"].to_numpy()
    targets = np.where(weeks["current"].to_numpy(bool), np.minimum(sessions, targets), targets)
    return SessionAdherence(done=int(sessions.sum()), planned=int(targets.sum()))


@dataclass(frozen=True)
class PainSummary:
    """How many sessions have a pain score, and the average before and after."""

    sessions: int
    before: float | None
    after: float | None

    @property
    def text(self) -> str:
        """'Average pain 4.2 before, 1.8 after (22 sessions)'."""
        if not self.sessions:
            return "No pain scores"
        before = "–" if self.before is None else f"{self.before:.1f}"
        after = "–" if self.after is None else f"{self.after:.1f}"
        return f"Average pain {before} before, {after} after ({plural(self.sessions, 'session')})"


def pain_summary(details: pd.DataFrame) -> PainSummary:
    """From session details (pain_before, pain_after): the sessions with either noted."""
    before, after = details["pain_before"], details["pain_after"]
    noted = int((before.notna() | after.notna()).sum())

    def mean(values: pd.Series) -> float | None:
        return float(values.mean()) if values.notna().any() else None

    return PainSummary(noted, mean(before), mean(after))


@dataclass(frozen=True)
class Summary:
    """The numbers of the Progress page's tiles."""

    this_week: int
    target: int
    current_streak: int
    best_streak: int
    last_4_weeks: int
    total: int
    days_logged: int


@dataclass(frozen=True)
class Progress:
    """Everything the Progress page draws for one routine, computed once per run.

    The day and week tables are kept as columns of arrays and made into frames only when
    asked for: the page as it opens needs the tiles and a range of weeks, not frames of
    years of days."""

    routine: Routine
    today: date
    share: float
    states: DayStates  # the item states per day it was computed from
    day_columns: Mapping[str, np.ndarray]  # day_table's columns
    week_columns: Mapping[str, np.ndarray | tuple[str, ...]]  # week_table's, all time
    summary: Summary
    marked: frozenset[date] = frozenset()  # days marked rest / sick / travel

    @cached_property
    def days(self) -> pd.DataFrame:
        """The day table (`day_table`)."""
        return _day_frame(self.day_columns)

    @cached_property
    def weeks(self) -> pd.DataFrame:
        """The week table over all time (`week_table`)."""
        return week_frame(self.week_columns)

    def weeks_in(self, range_weeks: int | None) -> pd.DataFrame:
        """The week table for a range (see RANGES) ending with today's week."""
        return self.weeks_between(range_start(self.today, range_weeks), self.today)

    def days_in(self, range_weeks: int | None) -> pd.DataFrame:
        return self.days_between(range_start(self.today, range_weeks), self.today)

    def weeks_between(self, start: date | None, end: date) -> pd.DataFrame:
        """The weeks from the one holding `start` (None: the first) to the one holding `end`.

        A slice of the all-time table, which starts with the first logged week: a routine
        begun three weeks ago shows three weeks, not nine empty ones before them."""
        return week_frame(self.week_columns_between(start, end))

    def week_columns_in(self, range_weeks: int | None) -> dict[str, np.ndarray | tuple]:
        """`weeks_in` as columns of arrays (views of the all-time ones)."""
        return self.week_columns_between(range_start(self.today, range_weeks), self.today)

    def week_columns_between(self, start: date | None, end: date) -> dict:
        """`weeks_between` as columns of arrays."""
        starts = self.week_columns["week_start"]
        first = 0 if start is None else np.searchsorted(starts, _ns(monday(start)))
        last = np.searchsorted(starts, _ns(monday(end)), side="right")
        return {name: column[first:last] for name, column in self.week_columns.items()}

    def days_between(self, start: date | None, end: date) -> pd.DataFrame:
        """The logged days from `start` (None: the first) to `end`, inclusive."""
        return between(self.days, "date", start, end)


def _ns(day: date) -> np.datetime64:
    return np.datetime64(day, "ns")


def between(table: pd.DataFrame, column: str, start: date | None, end: date | None):
    """The rows of `table` whose `column` date is from `start` to `end` (None: open)."""
    keep = pd.Series(True, index=table.index)
    if start is not None:
        keep &= table[column] >= pd.Timestamp(start)
    if end is not None:
        keep &= table[column] <= pd.Timestamp(end)
    return table if keep.all() else table[keep]


def in_range(table: pd.DataFrame, column: str, today: date, weeks: int | None) -> pd.DataFrame:
    """The rows of `table` whose `column` date falls in the range of `weeks` up to today."""
    return between(table, column, range_start(today, weeks), None)


def progress(
    log: DayStates | pd.DataFrame,
    routine: Routine,
    today: date,
    share: float,
    marked: Iterable[date] = (),
) -> Progress:
    """All the Progress numbers, from the routine's `DayStates` (or a log frame); `marked`
    are the days marked rest / sick / travel."""
    marked = frozenset(marked)
    states = _states(log, routine)
    days = _day_columns(states, routine, today, share)
    session_days = days["date"][days["session"]]
    target = routine.schedule.sessions_per_week
    weeks = _week_columns(days["date"], days["session"], target, today, marked)
    streak = _streaks(weeks)
    summary = Summary(
        this_week=int(weeks["sessions"][-1]),
        target=int(weeks["target"][-1]),
        current_streak=streak.current,
        best_streak=streak.best,
        last_4_weeks=int((session_days >= _ns(today - timedelta(days=27))).sum()),
        total=len(session_days),
        days_logged=len(days["date"]),
    )
    return Progress(routine, today, share, states, days, weeks, summary, marked)


def heatmap_cells(
    days: pd.DataFrame,
    today: date,
    weeks: int = HEATMAP_WEEKS,
    marks: Mapping[date, str] | None = None,
) -> pd.DataFrame:
    """One row per calendar day of the last `weeks` ISO weeks up to today (none after it).

    Days without log rows have done 0 and logged False, so partial and empty days differ;
    `marked` holds a day's mark label ("sick: flu") or "".
    """
    dates = pd.date_range(range_start(today, weeks), today, freq="D").as_unit("ns")
    known = days.set_index("date").reindex(dates)
    labels = marks or {}
    return pd.DataFrame(
        {
            "date": dates,
            "done": known["done"].fillna(0).astype(int).to_numpy(),
            "total": int(days["total"].iloc[0]) if len(days) else 0,
            "share": known["share"].fillna(0.0).to_numpy(dtype=float),
            "session": known["session"].eq(True).to_numpy(),
            "other_done": known["other_done"].fillna(0).astype(int).to_numpy(),
            "logged": known["done"].notna().to_numpy(),
            "week_start": dates - pd.to_timedelta(dates.day_of_week, unit="D"),
            "weekday": np.array(WEEKDAYS)[dates.day_of_week],
            "marked": [labels.get(d, "") for d in dates.date],
        }
    )


def exercise_key(item: str) -> str:
    """The exercise an item belongs to: 'section/exercise' of 'section/exercise[/step]'."""
    return "/".join(item.split("/")[:2])


def adherence(log: DayStates | pd.DataFrame, routine: Routine, days: pd.DataFrame) -> pd.DataFrame:
    """For each item: on how many of the session days in `days` it was done, of those
    since it joined the routine (`Routine.added`: an exercise added today is not "0 of 35",
    the most skipped).

    Sorted with the most skipped current item first (ties in routine order), then those
    with no session since they joined; items no longer in the routine that were done on
    those days come last, titled by their key. Columns: item, title, done, sessions,
    share (NaN without sessions), current.
    """
    states, joined = _states(log, routine), dict(routine.added)
    session_dates = days.loc[days["session"], "date"]
    since = {d: _since(session_dates, d) for d in {None, *joined.values()}}
    done = {d: states.done_on(dates) for d, dates in since.items()}  # a tick before it joined
    titles = {item.key: item.title for item in routine.items()}  # (a past day's box) is none
    retired = sorted(k for k, n in done[None].items() if n and k not in titles)
    keys = list(titles) + retired
    table = pd.DataFrame(
        {
            "item": keys,
            "title": [titles.get(k, k) for k in keys],
            "done": [int(done[joined.get(k)].get(k, 0)) for k in keys],
            "sessions": [len(since[joined.get(k)]) for k in keys],
            "current": [k in titles for k in keys],
            "order": range(len(keys)),
        }
    )
    table["share"] = table["done"] / table["sessions"].where(table["sessions"] > 0)
    table = table.sort_values(
        ["current", "share", "order"], ascending=[False, True, True], na_position="last"
    )
    return table.drop(columns="order").reset_index(drop=True)


def _since(session_dates: pd.Series, joined: date | None) -> pd.Series:
    return session_dates if joined is None else session_dates[session_dates >= pd.Timestamp(joined)]


def history(
    days: pd.DataFrame,
    details: pd.DataFrame | None = None,
    marks: Mapping[date, str] | None = None,
) -> pd.DataFrame:
    """The day table for people, newest first: `done / total`, whether it counted, and the
    session details (pain before → after, minutes, note) and day marks of those days.

    `details` has session_date, pain_before, pain_after, minutes, note (one row per day);
    `marks` maps a date to its label ("sick: flu"). Days with only details or a mark are
    listed too, with "–" for done.
    """
    table = days.set_index("date")
    if details is not None and len(details):
        table = table.join(details.set_index("session_date"), how="outer")
    if marks:
        index = pd.DatetimeIndex(pd.to_datetime(list(marks)), name="date")
        table = table.join(pd.Series(list(marks.values()), index=index, name="marked"), how="outer")
    table = table.sort_index(ascending=False)
    dates = table.index.to_series()
    done = table["done"]
    logged = done.notna()

    def column(name: str, fill: object = "") -> list:
        if name not in table:
            return [fill] * len(table)
        return [fill if pd.isna(v) else v for v in table[name]]

    pain = [
        ""
        if pd.isna(b) and pd.isna(a)
        else f"{'–' if pd.isna(b) else int(b)} → {'–' if pd.isna(a) else int(a)}"
        for b, a in zip(column("pain_before", None), column("pain_after", None), strict=True)
    ]
    return pd.DataFrame(
        {
            "Date": dates.dt.date.to_numpy(),
            "Day": [WEEKDAYS[d] for d in dates.dt.day_of_week],
            "Done": [
                f"{int(d)} / {int(t)}" if ok else "–"
                for d, t, ok in zip(done, table["total"], logged, strict=True)
            ],
            "Session": (table["session"].fillna(False).astype(bool)).to_numpy(),
            "No longer in routine": table["other_done"].fillna(0).astype(int).to_numpy(),
            "Pain": pain,
            "Minutes": pd.array(column("minutes", None), dtype="Int64"),
            "Note": column("note"),
            "Marked": column("marked"),
        }
    ).reset_index(drop=True)


def csv_text(table: pd.DataFrame) -> str:
    """A table as CSV for a person's spreadsheet: every text cell `fields.neutralise`d, so
    a note such as `=HYPERLINK(..)` stays text there."""
    safe = table.copy()
    for name in safe.columns:
        if pd.api.types.is_object_dtype(safe[name]) or pd.api.types.is_string_dtype(safe[name]):
            safe[name] = [fields.neutralise(v) if isinstance(v, str) else v for v in safe[name]]
    return safe.to_csv(index=False, lineterminator="\n")


def days_csv(days: pd.DataFrame, routine_id: str) -> str:
    """The per-day summary as CSV text (one row per logged day, oldest first)."""
    table = pd.DataFrame(
        {
            "date": days["date"].dt.strftime("%Y-%m-%d"),
            "iso_week": iso_weeks(days["date"]),
            "routine": routine_id,
            "done": days["done"],
            "total": days["total"],
            "share": days["share"].round(3),
            "session": days["session"].astype(int),
            "done_not_in_routine": days["other_done"],
        }
    )
    return csv_text(table)
