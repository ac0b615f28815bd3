"""When a change was made, and which of two changes to the same thing is the later.

Every line of the CSV files starts with `recorded_at`: the moment of the click, in ISO 8601
with its UTC offset. On one computer lines are appended in the order they were made; lines
merged in from another computer's copy of the file (`hipdash.sync`) come after them, though
they may have been made before. So the state of a thing is its line with the latest
`recorded_at`, compared as instants (two computers, or one across a change to summer
time, write different offsets); lines of the same instant keep the file's order. Both
computers then reach the same state from the same lines, whatever order they hold them in.

A new line is never stamped before the line it replaces (`after`): a clock set back, or
another computer's clock ahead of this one, cannot make a change lose to the very state
the person saw and changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

TICK = timedelta(microseconds=1)


def now_iso(now: datetime | None = None) -> str:
    """The click time as an ISO timestamp with its UTC offset (local time if `now` is naive),
    to the microsecond (left out when it is 0), so that changes a second apart keep their order."""
    moment = now or datetime.now()
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.isoformat()


def instant(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def not_before(new: str, old: str) -> bool:
    """Whether `new` was recorded at the same instant as `old` or later. Stamps of the same
    width and offset (nearly all of them) compare as text, without parsing."""
    if len(new) == len(old) and new[-6:] == old[-6:]:
        return new >= old
    return instant(new) >= instant(old)


def after(now: datetime | None, replaced: Iterable[str | None]) -> str:
    """`now` as a stamp, moved to a microsecond after the latest of the stamps it replaces
    when the clock says otherwise (it is behind the computer that wrote them)."""
    stamp = now_iso(now)
    latest = max((instant(s) for s in replaced if s), default=None)
    if latest is None or instant(stamp) > latest:
        return stamp
    return (latest + TICK).astimezone(instant(stamp).tzinfo).isoformat()
