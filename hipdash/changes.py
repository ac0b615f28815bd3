"""Changing a session day, safely when several tabs or devices have it open.

Every change (a tick, Tick all, Clear this day, the guided view's Done, Undo) is a set of
intents: for an item, what the tab showed (`seen`) and what the person wants (`want`). Under
the log's lock, with the day as it is on disk now, an item is written only if the disk
still holds what the tab showed; an item someone else changed since is left as it is and
reported (even when it is already as wanted: the tab's picture was out of date), so one
device never silently erases another's change.

Undo takes back only the tab's own row: each row written is numbered (the item's rows that
day, counted), and an item goes back only while no newer row for it exists from anywhere
but this tab's own undone changes. Matching values are not enough: another device that
unticked and ticked again leaves the value as this tab wrote it, but the tick is theirs.

Pure rules on the real log; the Streamlit pages keep a `History` per tab and day, which
the browser keeps across a reload of the tab (`History.to_data` / `from_data`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import date, datetime

from hipdash.log import Change, CheckoffLog


@dataclass(frozen=True)
class Intent:
    """One item as a tab showed it (`seen`) and as the person wants it (`want`). An undo
    gives `after_row`: the row it takes back, which must still be the item's newest but
    for the tab's own undone rows."""

    item: str
    seen: bool
    want: bool
    after_row: int = 0


@dataclass(frozen=True)
class Edit:
    """One item written: from `before` (on disk, under the lock) to `after`, as the item's
    `row`-th row of the day."""

    item: str
    before: bool
    after: bool
    row: int = 0


@dataclass(frozen=True)
class Outcome:
    """What a change did: the items written, and the items left as they are because
    another tab or device changed them since this tab saw them."""

    written: tuple[Edit, ...] = ()
    left: tuple[str, ...] = ()


def intents(seen: Mapping[str, bool], items: Iterable[str], want: bool) -> list[Intent]:
    """Intents to set `items` to `want`, from the states a tab showed (missing = unticked)."""
    return [Intent(item, bool(seen.get(item)), want) for item in items]


def apply(
    log: CheckoffLog,
    day: date,
    routine: str,
    wanted: Iterable[Intent],
    now: datetime | None = None,
    own: Set[tuple[str, int]] = frozenset(),
) -> Outcome:
    """Write, in one append under the lock, every intent whose item is still as the tab
    saw it and not yet as wanted (and, for an undo, whose newer rows are all in `own`, the
    tab's rows); raises StoreWriteError (then nothing was written)."""
    wanted = list(wanted)
    with log.store.locked() as held:
        snap = held.read()
        current = log.day_state(day, routine, snap)
        rows = log.day_rows(day, routine, snap)
        written, left = [], []
        for intent in wanted:
            on_disk = bool(current.get(intent.item))
            count = rows.get(intent.item, 0)
            newer = range(intent.after_row + 1, count + 1) if intent.after_row else ()
            if on_disk != intent.seen or any((intent.item, n) not in own for n in newer):
                left.append(intent.item)  # changed elsewhere since the tab saw it: theirs stays
            elif on_disk != intent.want:
                written.append(Edit(intent.item, on_disk, intent.want, count + 1))
                rows[intent.item] = count + 1
        stamp = log.stamp(day, routine, [edit.item for edit in written], snap, now)
        held.append(
            [log.row(Change(day, routine, edit.item, edit.after), stamp) for edit in written]
        )
    return Outcome(tuple(written), tuple(left))


@dataclass(frozen=True)
class History:
    """One tab's changes to one day, newest last: what Undo takes back; and every row the
    tab wrote that day (`own`), so Undo can tell its own rows from anyone else's."""

    done: tuple[Outcome, ...] = ()
    own: frozenset[tuple[str, int]] = frozenset()

    @property
    def can_undo(self) -> bool:
        return bool(self.done)

    def after(self, outcome: Outcome) -> History:
        """The history with a change added (a change that wrote nothing is not kept:
        Undo takes back the last change that did something); the oldest are forgotten
        beyond `KEPT` changes."""
        if not outcome.written:
            return self
        done = (*self.done, outcome)[-KEPT:]
        return _pruned(done, self.own | {(e.item, e.row) for e in outcome.written})

    def then(self, later: History) -> History:
        """This history followed by a later one of the same tab (a kept one, restored
        after a reload, followed by what the tab did since). A change both hold (handed
        back by a page that kept what this tab had already) is kept once: a row is one
        change's alone."""
        rows = {(e.item, e.row) for o in later.done for e in o.written}
        earlier = tuple(o for o in self.done if not rows & {(e.item, e.row) for e in o.written})
        return _pruned((*earlier, *later.done)[-KEPT:], self.own | later.own)

    def undo(
        self, log: CheckoffLog, day: date, routine: str, now: datetime | None = None
    ) -> tuple[History, Outcome]:
        """Take the last change back where no newer row than this tab's own stands over
        it; the history without it. Raises StoreWriteError (then the history is
        unchanged)."""
        if not self.done:
            return self, Outcome()
        last = self.done[-1]
        back = [Intent(e.item, e.after, e.before, e.row) for e in last.written]
        outcome = apply(log, day, routine, back, now, self.own)
        left = tuple(dict.fromkeys((*last.left, *outcome.left)))  # all this tab did not do
        own = self.own | {(e.item, e.row) for e in outcome.written}
        return _pruned(self.done[:-1], own), Outcome(outcome.written, left)

    def to_data(self) -> dict:
        """The history as JSON-able data, for the browser to keep across a reload."""
        return {
            "done": [
                [[[e.item, e.before, e.after, e.row] for e in o.written], list(o.left)]
                for o in self.done
            ],
            "own": sorted([item, n] for item, n in self.own),
        }

    @classmethod
    def from_data(cls, data: object, items: Set[str]) -> History:
        """A history the browser kept (`to_data`), for a routine with these `items`;
        anything malformed or about other items gives an empty history (it is input)."""
        try:
            done = tuple(
                Outcome(tuple(_edit(e, items) for e in new), tuple(_item(i, items) for i in left))
                for new, left in data["done"][-KEPT:]  # type: ignore[index]
            )
            own = frozenset((_item(i, items), _row(n)) for i, n in data["own"])  # type: ignore[index]
        except (TypeError, ValueError, KeyError):
            return cls()
        return _pruned(tuple(o for o in done if o.written), own)


KEPT = 100  # changes a tab can undo


def _pruned(done: tuple[Outcome, ...], own: Set[tuple[str, int]]) -> History:
    """The history with only the own rows that can matter: those after the oldest row
    an undo may still take back, per item."""
    oldest: dict[str, int] = {}
    for outcome in done:
        for e in outcome.written:
            oldest[e.item] = min(oldest.get(e.item, e.row), e.row)
    kept = frozenset((item, n) for item, n in own if item in oldest and n >= oldest[item])
    return History(done, kept)


def _item(value: object, items: Set[str]) -> str:
    if not isinstance(value, str) or value not in items:
        raise ValueError(value)
    return value


def _edit(value: object, items: Set[str]) -> Edit:
    item, before, after, row = value  # type: ignore[misc]
    if not (isinstance(before, bool) and isinstance(after, bool)) or before == after:
        raise ValueError(value)
    return Edit(_item(item, items), before, after, _row(row))


def _row(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 1 << 40:
        raise ValueError(value)
    return value
