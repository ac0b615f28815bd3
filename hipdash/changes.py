"""Changing a session day, safely when several tabs or devices have it open.

Every change (a tick, Tick all, Clear this day, the guided view's Done, Undo) is a set of
intents: for an item, what the tab showed (`seen`) and what the person wants (`want`). Under
the log's lock, with the day as it is on disk now, an item is written only if the disk
still holds what the tab showed; an item someone else changed since is left as it is and
reported (even when it is already as wanted: the tab's picture was out of date), so one
device never silently erases another's change. Undo is the same rule run backwards: an
item goes back only where the log still holds what this tab wrote.

Pure rules on the real log; the Streamlit pages keep a `History` per tab and day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from hipdash.log import Change, CheckoffLog, now_iso


@dataclass(frozen=True)
class Intent:
    """One item as a tab showed it (`seen`) and as the person wants it (`want`)."""

    item: str
    seen: bool
    want: bool


@dataclass(frozen=True)
class Edit:
    """One item written: from `before` (on disk, under the lock) to `after`."""

    item: str
    before: bool
    after: bool


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
) -> Outcome:
    """Write, in one append under the lock, every intent whose item is still as the tab
    saw it and not yet as wanted; raises StoreWriteError (then nothing was written)."""
    wanted = list(wanted)
    with log.store.locked() as held:
        current = log.day_state(day, routine, held.read())
        written, left = [], []
        for intent in wanted:
            on_disk = bool(current.get(intent.item))
            if on_disk != intent.seen:  # changed elsewhere since the tab saw it: theirs stays
                left.append(intent.item)
            elif on_disk != intent.want:
                written.append(Edit(intent.item, on_disk, intent.want))
        stamp = now_iso(now)
        held.append(
            [log.row(Change(day, routine, edit.item, edit.after), stamp) for edit in written]
        )
    return Outcome(tuple(written), tuple(left))


@dataclass(frozen=True)
class History:
    """One tab's changes to one day, newest last: what Undo takes back."""

    done: tuple[Outcome, ...] = ()

    @property
    def can_undo(self) -> bool:
        return bool(self.done)

    def after(self, outcome: Outcome) -> History:
        """The history with a change added (a change that wrote nothing is not kept:
        Undo takes back the last change that did something)."""
        return replace(self, done=(*self.done, outcome)) if outcome.written else self

    def undo(
        self, log: CheckoffLog, day: date, routine: str, now: datetime | None = None
    ) -> tuple[History, Outcome]:
        """Take the last change back where the log still holds what it wrote; the history
        without it. Raises StoreWriteError (then the history is unchanged)."""
        if not self.done:
            return self, Outcome()
        last = self.done[-1]
        back = [Intent(edit.item, edit.after, edit.before) for edit in last.written]
        outcome = apply(log, day, routine, back, now)
        left = tuple(dict.fromkeys((*last.left, *outcome.left)))  # all this tab did not do
        return replace(self, done=self.done[:-1]), Outcome(outcome.written, left)
