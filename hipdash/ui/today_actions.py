"""The actions the Today component (today.js) sends back, as types, and the one place
that reads them. The page is their only sender, but what arrives is still input: a
message that is not one of these is refused (`parse` gives None), never a traceback.

The cards' actions are written through `hipdash.changes` (today_view); the top's
(`TOP`: the date box, After the session, the guided and stopwatch buttons) are
today_top's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType


@dataclass(frozen=True)
class Tick:
    """One box: `seen` is what the tab showed, `want` what the person wants now."""

    item: str
    seen: bool
    want: bool


@dataclass(frozen=True)
class TickSection:
    """Tick all of a section; `seen`: each item's box as the tab showed it."""

    section: str
    seen: Mapping[str, bool] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Clear:
    """Untick every item shown ticked (`seen`)."""

    seen: Mapping[str, bool] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Undo:
    """Take back this tab's last change."""


@dataclass(frozen=True)
class Restore:
    """The undo history the tab kept in its session storage under `key`, after a reload
    (checked by `History.from_data`)."""

    key: str
    history: object


@dataclass(frozen=True)
class ShowDay:
    """Another day chosen in the date box."""

    day: date


@dataclass(frozen=True)
class OpenAfter:
    """The "After the session" panel opened (or closed)."""

    open: bool


@dataclass(frozen=True)
class StartGuided:
    """Start guided session: the stopwatch starts and the guided view opens."""


@dataclass(frozen=True)
class Stopwatch:
    """The stopwatch button: start it, or stop it."""

    start: bool


Action = Tick | TickSection | Clear | Undo | Restore | ShowDay | OpenAfter | StartGuided | Stopwatch
TOP = (ShowDay, OpenAfter, StartGuided, Stopwatch)  # the top's, answered by today_top


def parse(message: object) -> tuple[int, Action | None]:
    """The message's sequence number (0 if it has none) and its action, or None for one
    that is not an action of the component."""
    if not isinstance(message, dict):
        return 0, None
    seq = message.get("seq")
    seq = seq if isinstance(seq, int) and not isinstance(seq, bool) and seq >= 0 else 0
    reader = _READERS.get(message.get("kind")) if isinstance(message.get("kind"), str) else None
    try:
        return seq, reader(message) if reader else None
    except (TypeError, ValueError):
        return seq, None


def _seen(value: object) -> Mapping[str, bool]:
    if not isinstance(value, dict):
        raise TypeError("seen is not a mapping")
    return MappingProxyType({k: v is True for k, v in value.items() if isinstance(k, str)})


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError("not true or false")
    return value


_READERS = {
    "tick": lambda m: Tick(_text(m.get("item")), m.get("seen") is True, _flag(m.get("want"))),
    "section": lambda m: TickSection(_text(m.get("section")), _seen(m.get("seen"))),
    "clear": lambda m: Clear(_seen(m.get("seen"))),
    "undo": lambda m: Undo(),
    "restore": lambda m: Restore(_text(m.get("key")), m.get("history")),
    "day": lambda m: ShowDay(date.fromisoformat(_text(m.get("date")))),
    "after": lambda m: OpenAfter(m.get("open") is True),
    "guided": lambda m: StartGuided(),
    "timer": lambda m: Stopwatch(m.get("start") is True),
}
