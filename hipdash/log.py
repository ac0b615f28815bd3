"""The check-off log: one CSV row per tick or un-tick, the last row per item wins.

`data/checkoffs.csv` columns: recorded_at, session_date, routine, item, done.
Nothing is rewritten: un-ticking appends a row with done=0, so the full history
of clicks is kept and a crash can lose at most the click being written.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from hipdash import fields
from hipdash.daystate import DayStates
from hipdash.store import AppendOnlyCsv, Snapshot

COLUMNS = ("recorded_at", "session_date", "routine", "item", "done")


@dataclass(frozen=True)
class Change:
    """One tick (done=True) or un-tick (done=False) of an item on a session day."""

    session_date: date
    routine: str
    item: str
    done: bool


def _parse(values: list[str]) -> tuple | str:
    recorded_at, session_date, routine, item, done = values
    problem = (
        fields.timestamp_problem(recorded_at)
        or fields.date_problem(session_date)
        or fields.routine_problem(routine)
    )
    if problem:
        return problem
    if not fields.ITEM_KEY.match(item):
        return "item is not section/exercise[/step]"
    if done not in ("0", "1"):
        return "done is not 0 or 1"
    # Dates, routines and items repeat on every line: one shared copy of each keeps years of
    # history small in memory (about a third less at 100,000 lines).
    return (
        recorded_at,
        sys.intern(session_date),
        sys.intern(routine),
        sys.intern(item),
        done == "1",
    )


def now_iso(now: datetime | None = None) -> str:
    """The click time as an ISO timestamp with its UTC offset (local time if `now` is naive)."""
    moment = now or datetime.now()
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.isoformat(timespec="seconds")


class CheckoffLog:
    """The log file behind a small interface: record changes, read day states and frames."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.store = AppendOnlyCsv(self.path, COLUMNS, _parse)

    def record(self, changes: Iterable[Change], now: datetime | None = None) -> None:
        """Append the changes as one write; raises StoreWriteError if they were not saved."""
        stamp = now_iso(now)
        rows = []
        for c in changes:
            if not fields.ROUTINE_ID.match(c.routine) or not fields.ITEM_KEY.match(c.item):
                raise ValueError(f"not a loggable routine/item: {c.routine!r} {c.item!r}")
            rows.append(
                (stamp, c.session_date.isoformat(), c.routine, c.item, "1" if c.done else "0")
            )
        self.store.append(rows)

    def write_problem(self) -> str | None:
        """Why a tick could not be saved right now (checked up front), or None."""
        return self.store.write_problem()

    def snapshot(self) -> Snapshot:
        return self.store.read()

    def day_state(self, session_date: date, routine: str) -> dict[str, bool]:
        """Item -> done for one session day, from the latest row of each item."""
        return dict(_index(self.path, self.snapshot()).get((session_date.isoformat(), routine), {}))

    def frame(self) -> pd.DataFrame:
        """Every readable row in file order, typed: session_date as datetime64, done as bool."""
        return _frame(self.path, self.snapshot())

    def day_states(self, routine: str) -> DayStates:
        """Each item's state on each logged day of a routine (what Progress counts), kept up
        to date with the appended rows only; equal to `DayStates.from_frame(self.frame(), ...)`."""
        return _day_states(self.path, self.snapshot(), routine)

    def latest(self) -> pd.DataFrame:
        """The state of every (session_date, routine, item) that has a row: its last row."""
        frame = self.frame()
        return frame.drop_duplicates(["session_date", "routine", "item"], keep="last")


# Derived views are cached per file and extended with the new rows only. `records` only
# grows within a generation (other threads may append to it), so each update reads up to a
# length taken once.
_derived_lock = threading.Lock()
_index_cache: dict[Path, tuple[int, int, dict]] = {}
_frame_cache: dict[Path, tuple[int, int, pd.DataFrame]] = {}
_states_cache: dict[tuple[Path, str], tuple[int, int, DayStates]] = {}


def _index(path: Path, snap: Snapshot) -> dict[tuple[str, str], dict[str, bool]]:
    with _derived_lock:
        return _index_locked(path, snap, len(snap.records))


def _index_locked(path: Path, snap: Snapshot, end: int) -> dict[tuple[str, str], dict[str, bool]]:
    generation, seen, index = _index_cache.get(path, (-1, 0, {}))
    if generation != snap.generation or seen > end:
        seen, index = 0, {}
    for _, day, routine, item, done in snap.records[seen:end]:
        index.setdefault((day, routine), {})[item] = done
    _index_cache[path] = (snap.generation, end, index)
    return index


def _day_states(path: Path, snap: Snapshot, routine: str) -> DayStates:
    with _derived_lock:
        end = len(snap.records)
        index = _index_locked(path, snap, end)
        generation, seen, states = _states_cache.get((path, routine), (-1, 0, DayStates.empty()))
        if generation != snap.generation or seen > end:
            seen, states = 0, DayStates.empty()
        days = {r[1] for r in snap.records[seen:end] if r[2] == routine}
        states = states.updated({day: index[(day, routine)] for day in days})
        _states_cache[(path, routine)] = (snap.generation, end, states)
        return states


def _frame(path: Path, snap: Snapshot) -> pd.DataFrame:
    with _derived_lock:
        cached = _frame_cache.get(path)
        if cached and cached[0] == snap.generation and cached[1] == len(snap.records):
            return cached[2]
        frame = pd.DataFrame.from_records(snap.records, columns=list(COLUMNS))
        frame["session_date"] = pd.to_datetime(frame["session_date"], format="%Y-%m-%d")
        frame["done"] = frame["done"].astype(bool)
        _frame_cache[path] = (snap.generation, len(snap.records), frame)
        return frame
