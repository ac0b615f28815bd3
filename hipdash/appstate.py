"""Small things the app remembers between visits, in `app-state.json` in the data dir: the
routine last used, when a session's stopwatch was started (so a reload, another tab or
the phone keep it running), and the guided session's screen shown last (where it resumes).

Not part of backups: a running stopwatch and the last routine are not history. A restore
moves the file aside with the data it replaces when it says where a session was (a guided
screen, a stopwatch): that session was of the replaced log (`hipdash.backup.archive`).
The file is replaced atomically under a lock, read with `safefile.read_plain` (a size
cap, no link, no FIFO), and a file that is not what we wrote is ignored (the defaults are
used) rather than trusted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType

from filelock import Timeout

from hipdash import fields, locks, private, safefile
from hipdash.store import LOCK_TIMEOUT_SECONDS, StoreWriteError
from hipdash.writers import writer

FILE = "app-state.json"
MAX_BYTES = 64 * 1024
KEEP_TIMERS_DAYS = 2  # a stopwatch left running, a guided screen, are forgotten after this
_SCREEN = re.compile(rf"^(?:{fields.ID}/{fields.ID}(?:@\d{{1,2}})?|finish)$")


@dataclass(frozen=True)
class Place:
    """The guided screen shown last: a stop's id (or "finish"), and since when. A new
    visit of the same screen has a new `since`, which names what the browser kept of it."""

    screen: str
    since: str


@dataclass(frozen=True)
class AppState:
    last_routine: str = ""
    timers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    places: Mapping[str, Place] = field(default_factory=lambda: MappingProxyType({}))

    def started(self, routine: str, day: date) -> datetime | None:
        """When the stopwatch of this session was started, if it runs."""
        stamp = self.timers.get(_timer_key(routine, day))
        return datetime.fromisoformat(stamp) if stamp else None

    def place(self, routine: str, day: date) -> Place | None:
        """The guided session's screen shown last for this session, if remembered."""
        return self.places.get(_timer_key(routine, day))


def _timer_key(routine: str, day: date) -> str:
    return f"{routine}/{day.isoformat()}"


def read(data_dir: Path) -> AppState:
    """What was remembered, or the defaults when there is nothing (usable) yet."""
    return read_file(Path(data_dir) / FILE)


def read_file(path: Path) -> AppState:
    """The app state one file holds (this one, or a sync tool's copy of it)."""
    return _from_data(_load(path))


def usable(path: Path) -> bool:
    """Whether a file (a sync tool's copy of this one) holds app state at all: a copy that
    does not never replaces one that does, however new."""
    return isinstance(_load(path), dict)


def _load(path: Path):
    try:
        return json.loads(safefile.read_plain(path, MAX_BYTES))
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None


def _from_data(data) -> AppState:
    if not isinstance(data, dict):
        return AppState()
    last = data.get("last_routine")
    last = last if isinstance(last, str) and fields.SLUG.match(last) else ""
    timers = data.get("timers")
    kept = {}
    for key, stamp in timers.items() if isinstance(timers, dict) else ():
        routine, _, day = str(key).rpartition("/")
        if fields.SLUG.match(routine) and fields.date_problem(day) is None and _moment(stamp):
            kept[key] = stamp
    return AppState(last, MappingProxyType(kept), MappingProxyType(_places(data.get("places"))))


def _moment(stamp) -> bool:
    """A timestamp with its offset that is a real moment: a hand-edited '2026-02-30T…'
    would stop the guided view."""
    return isinstance(stamp, str) and fields.timestamp_problem(stamp) is None


def _places(data) -> dict[str, Place]:
    kept = {}
    for key, value in data.items() if isinstance(data, dict) else ():
        routine, _, day = str(key).rpartition("/")
        screen = value.get("screen") if isinstance(value, dict) else None
        since = value.get("since") if isinstance(value, dict) else None
        if (
            fields.SLUG.match(routine)
            and fields.date_problem(day) is None
            and isinstance(screen, str)
            and _SCREEN.match(screen)
            and _moment(since)
        ):
            kept[key] = Place(screen, since)
    return kept


@writer
def update(data_dir: Path, change: Callable[[AppState], AppState]) -> AppState:
    """Read, change and write back the state under a lock; raises StoreWriteError."""
    data_dir = Path(data_dir)
    try:
        private.make_dir(data_dir)
        with locks.file_lock(locks.lock_for(data_dir / FILE), LOCK_TIMEOUT_SECONDS):
            new = change(read(data_dir))
            private.write_over(data_dir / FILE, json.dumps(_data(new), indent=1).encode())
    except Timeout:
        raise StoreWriteError(f"{data_dir / FILE} is locked by another writer") from None
    except OSError as exc:
        raise StoreWriteError(
            f"Could not save to {data_dir / FILE}: {exc.strerror or exc}"
        ) from exc
    return new


def _data(state: AppState) -> dict:
    places = {k: {"screen": p.screen, "since": p.since} for k, p in state.places.items()}
    return {"last_routine": state.last_routine, "timers": dict(state.timers), "places": places}


@writer
def remember_routine(data_dir: Path, routine: str) -> None:
    if read(data_dir).last_routine != routine:
        update(data_dir, lambda s: replace(s, last_routine=routine))


@writer
def start_timer(data_dir: Path, routine: str, day: date, now: datetime) -> datetime:
    """Start this session's stopwatch (a running one keeps its start); when it started."""

    def change(state: AppState) -> AppState:
        timers = {k: v for k, v in state.timers.items() if _recent(v, now)}
        timers.setdefault(_timer_key(routine, day), now.isoformat(timespec="seconds"))
        return replace(state, timers=MappingProxyType(timers))

    return update(data_dir, change).started(routine, day)


@writer
def stop_timer(data_dir: Path, routine: str, day: date, now: datetime) -> int | None:
    """Stop this session's stopwatch; its minutes (rounded, at least 1), None if none ran."""
    started = read(data_dir).started(routine, day)
    key = _timer_key(routine, day)
    update(
        data_dir,
        lambda s: replace(
            s, timers=MappingProxyType({k: v for k, v in s.timers.items() if k != key})
        ),
    )
    return None if started is None else elapsed_minutes(started, now)


@writer
def show(data_dir: Path, routine: str, day: date, screen: str, now: datetime) -> Place:
    """Remember the guided screen shown now (a new visit of it); the place remembered."""
    place = Place(screen, now.isoformat(timespec="microseconds"))

    def change(state: AppState) -> AppState:
        places = {k: p for k, p in state.places.items() if _recent(p.since, now)}
        places[_timer_key(routine, day)] = place
        return replace(state, places=MappingProxyType(places))

    update(data_dir, change)
    return place


def elapsed_minutes(started: datetime, now: datetime) -> int:
    return max(1, round((now - started).total_seconds() / 60))


def _recent(stamp: str, now: datetime) -> bool:
    return now - datetime.fromisoformat(stamp) < timedelta(days=KEEP_TIMERS_DAYS)
