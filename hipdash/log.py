"""The check-off log: one CSV row per tick or un-tick, the latest row per item wins.

`data/checkoffs.csv` columns: recorded_at, session_date, routine, item, done.
Nothing is rewritten: un-ticking appends a row with done=0, so the full history
of clicks is kept and a crash can lose at most the click being written. "Latest" is by
`recorded_at` (`hipdash.stamps`): rows merged in from another computer's copy of the log
land after this computer's, whenever they were made.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from hipdash import fields, stamps, store
from hipdash.daystate import DayStates
from hipdash.store import AppendOnlyCsv, FileKind, Snapshot
from hipdash.writers import writer

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


KIND = FileKind("checkoffs.csv", COLUMNS, _parse)


now_iso = stamps.now_iso  # where the other files' writers have always found it


class CheckoffLog:
    """The log file behind a small interface: record changes, read day states and frames."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.store = AppendOnlyCsv(self.path, KIND.columns, KIND.parse)

    @writer
    def record(self, changes: Iterable[Change], now: datetime | None = None) -> None:
        """Append the changes as one write; raises StoreWriteError if they were not saved."""
        changes = list(changes)
        with self.store.locked() as held:
            _, when = _index(self.path, held.read())
            days = (when.get((c.session_date.isoformat(), c.routine), {}) for c in changes)
            stamp = stamps.after(now, (d.get(c.item) for d, c in zip(days, changes, strict=True)))
            held.append([self.row(c, stamp) for c in changes])

    @writer
    def record_each(self, timed: Iterable[tuple[Change, datetime]]) -> int:
        """Append changes made one after another, each at its own time, in one write: the
        lines `record` would write for each in turn (demo data's weeks of clicks), with one
        fsync instead of one per click. Returns how many."""
        rows, latest = [], {}  # the stamps written here (the index is shared: never changed)
        with self.store.locked() as held:
            _, when = _index(self.path, held.read())
            for change, at in timed:
                key = (change.session_date.isoformat(), change.routine, change.item)
                replaced = latest.get(key) or when.get(key[:2], {}).get(change.item)
                latest[key] = stamps.after(at, [replaced])
                rows.append(self.row(change, latest[key]))
            held.append(rows)
        return len(rows)

    @staticmethod
    def row(change: Change, stamp: str) -> tuple[str, ...]:
        """The line of one change; refuses ids that are not log-safe."""
        if not fields.SLUG.match(change.routine) or not fields.ITEM_KEY.match(change.item):
            raise ValueError(f"not a loggable routine/item: {change.routine!r} {change.item!r}")
        done = "1" if change.done else "0"
        return (stamp, fields.day_text(change.session_date), change.routine, change.item, done)

    def write_problem(self) -> str | None:
        """Why a tick could not be saved right now (checked up front), or None."""
        return self.store.write_problem()

    def snapshot(self) -> Snapshot:
        return self.store.read()

    def day_state(
        self, session_date: date, routine: str, snap: Snapshot | None = None
    ) -> dict[str, bool]:
        """Item -> done for one session day, from the latest row of each item (in `snap`, a
        read taken under the lock, or the file as it is now)."""
        index, _ = _index(self.path, snap or self.snapshot())
        return dict(index.get((session_date.isoformat(), routine), {}))

    def day_rows(
        self, session_date: date, routine: str, snap: Snapshot | None = None
    ) -> dict[str, int]:
        """Item -> how many rows it has on one session day: the number of its last row, which
        tells Undo whether a row it wrote is still the item's newest (`hipdash.changes`)."""
        rows = store.fold(("rows", self.path), snap or self.snapshot(), dict, _count_rows)
        return dict(rows.get((session_date.isoformat(), routine), {}))

    def stamp(
        self, session_date: date, routine: str, items: Iterable[str], snap: Snapshot, now=None
    ) -> str:
        """The `recorded_at` of rows that change these items (`stamps.after`: never before
        the rows they replace, in `snap`, read under the lock)."""
        _, when = _index(self.path, snap)
        latest = when.get((session_date.isoformat(), routine), {})
        return stamps.after(now, (latest.get(item) for item in items))

    @writer
    def carry(self, routine: str, moves: Mapping[str, str], now: datetime | None = None) -> int:
        """Give items their ticks under new keys: an exercise moved to another section is
        logged under a new key (`old -> new` in `moves`). Every day whose last row of an old
        key is a tick gets that tick for its new key, unless the new key already has a row
        that day (it is newer). Appended in one write under the lock, on the log as it is
        now: nothing is rewritten, and the old rows stay. Returns the rows written."""
        stamp = now_iso(now)
        with self.store.locked() as locked:
            index, _ = _index(self.path, locked.read())
            rows = [
                self.row(Change(date.fromisoformat(day), routine, new, True), stamp)
                for (day, rid), items in sorted(index.items())
                if rid == routine
                for old, new in moves.items()
                if items.get(old) and new not in items
            ]
            locked.append(rows)
        return len(rows)

    def day_states(self, routine: str) -> DayStates:
        """Each item's state on each logged day of a routine (what Progress counts), kept up
        to date with the appended rows only."""
        return _day_states(self.path, self.snapshot(), routine)


def _add_to_index(folded: tuple[dict, dict], records) -> tuple[dict, dict]:
    index, when = folded
    for stamp, day, routine, item, done in records:
        seen = when.setdefault((day, routine), {})
        if item not in seen or stamps.not_before(stamp, seen[item]):
            seen[item] = stamp
            index.setdefault((day, routine), {})[item] = done
    return folded


def _count_rows(rows: dict, records) -> dict:
    for _, day, routine, item, _done in records:
        counts = rows.setdefault((day, routine), {})
        counts[item] = counts.get(item, 0) + 1
    return rows


def latest(records) -> tuple[dict, dict]:
    """`_index` of a list of records (a backup's): the latest state of every item."""
    return _add_to_index(({}, {}), records)


def _index(path: Path, snap: Snapshot, end: int | None = None) -> tuple[dict, dict]:
    """(day, routine) -> {item: done}: the latest state of every item of every day; and
    (day, routine) -> {item: recorded_at} of the rows that state comes from."""
    return store.fold(("index", path), snap, lambda: ({}, {}), _add_to_index, end)


def _day_states(path: Path, snap: Snapshot, routine: str) -> DayStates:
    with store.folding_lock():  # the index and the states over the same records
        end = len(snap.records)
        index, _ = _index(path, snap, end)

        def add(states: DayStates, records) -> DayStates:
            days = {r[1] for r in records if r[2] == routine}
            return states.updated({day: index[(day, routine)] for day in days})

        return store.fold(("states", path, routine), snap, DayStates.empty, add, end)
