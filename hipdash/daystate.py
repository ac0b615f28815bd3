"""The check-off log reduced to what the consistency numbers need: for one routine, the
state of every item on every logged day, as a small boolean table (a row per day, a
column per item ever logged).

Years of history are large as rows (100,000 rows of routine 1) but small as days
(~6,000 days × 16 items), and every Progress number is a sum over this table. So the
Progress page never has to turn the whole log into a frame: `hipdash.log` keeps one
`DayStates` per routine up to date as rows are appended, redoing only the days the new
rows touch (`DayStates.updated`). `DayStates.from_frame` computes the same table from a
log frame in one go: the reference the cached one is tested against.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

_NS = "datetime64[ns]"


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False  # shared between reruns and sessions: nobody may change it
    return array


def among(values: np.ndarray, sorted_values: np.ndarray) -> np.ndarray:
    """`np.isin(values, sorted_values)` for an already sorted second array, without the
    sorts `np.isin` does (years of days, on every Progress render and tick)."""
    if not len(sorted_values):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(sorted_values, values).clip(max=len(sorted_values) - 1)
    return sorted_values[at] == values


@dataclass(frozen=True, eq=False)
class DayStates:
    """`done[i, j]`: on `dates[i]` the last row of item `items[j]` was a tick.

    Days are those with any row for the routine (an un-ticked day is a row of False),
    oldest first; items are every item key logged for the routine, in first-seen order.
    The arrays are read-only.
    """

    dates: np.ndarray  # datetime64[ns], sorted, unique
    items: tuple[str, ...]
    done: np.ndarray  # bool, shape (len(dates), len(items))

    @classmethod
    def empty(cls) -> DayStates:
        return cls(_frozen(np.array([], dtype=_NS)), (), _frozen(np.zeros((0, 0), dtype=bool)))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, routine_id: str) -> DayStates:
        """From a frame of log rows (session_date, routine, item, done): the last row per
        day and item wins."""
        rows = frame[frame["routine"] == routine_id]
        if rows.empty:
            return cls.empty()
        state = rows.drop_duplicates(["session_date", "item"], keep="last")
        wide = state.pivot(index="session_date", columns="item", values="done")
        wide = wide.sort_index().fillna(False).astype(bool)
        dates = wide.index.to_numpy().astype(_NS)
        return cls(_frozen(dates), tuple(wide.columns), _frozen(wide.to_numpy(dtype=bool)))

    def updated(self, days: Mapping[str, Mapping[str, bool]]) -> DayStates:
        """A copy in which each day in `days` (ISO date -> its items' whole state) replaces
        that day's row, or is added; new items get a column (False on other days)."""
        if not days:
            return self
        known = set(self.items)
        new_items = [i for state in days.values() for i in state if i not in known]
        items = self.items + tuple(dict.fromkeys(new_items))
        column = {item: j for j, item in enumerate(items)}
        changed = np.array(sorted(days), dtype=_NS)
        if not new_items and among(changed, self.dates).all():
            # The usual tick: a day that already has a row. Copy, no re-sort.
            dates, done = self.dates, self.done.copy()
        else:
            dates = np.union1d(self.dates, changed)
            done = np.zeros((len(dates), len(items)), dtype=bool)
            done[np.searchsorted(dates, self.dates), : len(self.items)] = self.done
        for row, day in zip(np.searchsorted(dates, changed), sorted(days), strict=True):
            done[row] = False
            for item, ticked in days[day].items():
                done[row, column[item]] = ticked
        return DayStates(_frozen(dates), items, _frozen(done))

    def up_to(self, last: pd.Timestamp, first: pd.Timestamp | None = None) -> DayStates:
        """The days on or before `last` (and on or after `first`, when given)."""
        keep = self.dates <= np.datetime64(last, "ns")
        if first is not None:
            keep &= self.dates >= np.datetime64(first, "ns")
        if keep.all():
            return self
        return DayStates(_frozen(self.dates[keep]), self.items, _frozen(self.done[keep]))

    def columns(self, keys: Iterable[str]) -> np.ndarray:
        """A column mask: True for the items among `keys`."""
        wanted = set(keys)
        return np.array([item in wanted for item in self.items], dtype=bool)

    def done_on(self, dates: Iterable) -> dict[str, int]:
        """Item -> on how many of `dates` (logged days among them) it was done."""
        rows = np.isin(self.dates, np.asarray(pd.to_datetime(list(dates)), dtype=_NS))
        counts = self.done[rows].sum(axis=0)
        return {item: int(n) for item, n in zip(self.items, counts, strict=True)}
