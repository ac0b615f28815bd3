"""Per-session details and marked days, in append-only files beside the check-off log.

`sessions.csv`: pain before/after (0–10), minutes taken and a note for one
session (a date and a routine). `days.csv`: a date marked as a rest, sick or
travel day, with an optional reason. Both follow the check-off log's rules
(`hipdash.store`): whole lines, locked, fsynced, nothing rewritten, the latest
line per key (by `recorded_at`, `hipdash.stamps`) wins — saving again or clearing a mark
is a new line.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from hipdash import fields, stamps, store
from hipdash.store import FileKind, Snapshot
from hipdash.writers import writer

SESSION_COLUMNS = (
    "recorded_at",
    "session_date",
    "routine",
    "pain_before",
    "pain_after",
    "minutes",
    "note",
)
DAY_COLUMNS = ("recorded_at", "day", "kind", "reason")
DAY_KINDS = ("rest", "sick", "travel")
MAX_MINUTES = 1440
MAX_TEXT = 2000


@dataclass(frozen=True)
class SessionDetails:
    session_date: date
    routine: str
    pain_before: int | None = None
    pain_after: int | None = None
    minutes: int | None = None
    note: str = ""
    # When it was saved: which of two saves is the later; not part of what the details are.
    recorded_at: str = field(default="", compare=False, repr=False)


ANY = object()  # `save(seen=ANY)`: save whatever is on disk now


class DetailsConflict(Exception):
    """Another tab or device saved different details since this one loaded them."""

    def __init__(self, current: SessionDetails | None):
        self.current = current
        super().__init__("these details were changed on another device")


@dataclass(frozen=True)
class DayMark:
    """A day the person could not be expected to train; kind is rest, sick or travel."""

    day: date
    kind: str
    reason: str = ""

    @property
    def label(self) -> str:
        """'sick: flu', or just 'sick'."""
        return f"{self.kind}: {self.reason}" if self.reason else self.kind


def _opt_int(value: str) -> int | None:
    return int(value) if value else None


def _parse_session(values: list[str]) -> tuple | str:
    recorded_at, day, routine, before, after, minutes, note = values
    problem = (
        fields.timestamp_problem(recorded_at)
        or fields.date_problem(day)
        or fields.routine_problem(routine)
        or fields.int_problem(before, "pain_before", 0, 10)
        or fields.int_problem(after, "pain_after", 0, 10)
        or fields.int_problem(minutes, "minutes", 0, MAX_MINUTES)
    )
    text = fields.decode_text(note)
    problem = problem or _long(text, "note")
    if problem:
        return problem
    return SessionDetails(
        date.fromisoformat(day),
        routine,
        _opt_int(before),
        _opt_int(after),
        _opt_int(minutes),
        text,
        recorded_at,
    )


def _parse_day(values: list[str]) -> tuple | str:
    recorded_at, day, kind, reason = values
    problem = fields.timestamp_problem(recorded_at) or fields.date_problem(day, "day")
    if problem:
        return problem
    if kind not in DAY_KINDS and kind != "":
        return f"kind is not one of {', '.join(DAY_KINDS)} (or empty to clear)"
    text = fields.decode_text(reason)
    return _long(text, "reason") or (date.fromisoformat(day), kind, text, recorded_at)


def _long(text: str, name: str) -> str | None:
    """Why free text is not kept: longer than a person types in the app (a hand edit). A
    save that carried it would otherwise keep only part of it."""
    return f"{name} is longer than {MAX_TEXT:,} characters" if len(text) > MAX_TEXT else None


SESSION_KIND = FileKind("sessions.csv", SESSION_COLUMNS, _parse_session, quoted=True)
DAY_KIND = FileKind("days.csv", DAY_COLUMNS, _parse_day, quoted=True)


def _check_int(value: int | None, name: str, low: int, high: int) -> str:
    """The value as stored; refused now if the reader would skip its line."""
    text = "" if value is None else str(value)
    problem = fields.int_problem(text, name, low, high)
    if problem:
        raise ValueError(problem)
    return text


def _check_text(text: str, name: str) -> str:
    """Free text as stored; refused now, never cut, if the reader would skip its line."""
    text = text.strip()
    problem = _long(text, name)
    if problem:
        raise ValueError(problem)
    return fields.encode_text(text)


def _add_latest(latest: dict, records) -> dict:
    for record in records:
        key = (record.session_date, record.routine)
        if key not in latest or stamps.not_before(record.recorded_at, latest[key].recorded_at):
            latest[key] = record
    return latest


def _add_marks(latest: dict, records) -> dict:
    for day, kind, reason, stamp in records:
        if day not in latest or stamps.not_before(stamp, latest[day][2]):
            latest[day] = (kind, reason, stamp)
    return latest


def latest_details(records) -> dict[tuple[date, str], SessionDetails]:
    """(date, routine) -> the latest details saved for that session."""
    return _add_latest({}, records)


def latest_marks(records) -> dict[date, tuple[str, str, str]]:
    """Day -> (kind, reason, recorded_at) of its latest line ("" kind: cleared)."""
    return _add_marks({}, records)


_frames_lock = threading.Lock()
_frames: dict[tuple[Path, str | None], tuple[tuple[int, int], pd.DataFrame]] = {}


class SessionLog:
    """Session details and day marks of one data dir."""

    def __init__(self, data_dir: Path):
        data_dir = Path(data_dir)
        self.sessions = SESSION_KIND.store(data_dir)
        self.days = DAY_KIND.store(data_dir)

    # -- session details -------------------------------------------------------------------

    @writer
    def save(
        self,
        details: SessionDetails,
        now: datetime | None = None,
        seen: SessionDetails | None | object = ANY,
    ) -> None:
        """Record the details (all fields at once); raises ValueError or StoreWriteError.

        With `seen` (the details this tab loaded, None if there were none), the save is
        refused with `DetailsConflict` when another tab or device saved different details
        since: checked under the file's lock, so nothing slips in between."""
        if fields.routine_problem(details.routine):
            raise ValueError(f"not a routine id: {details.routine!r}")
        row = [
            "",  # when: decided under the lock (after the details it replaces)
            fields.day_text(details.session_date),
            details.routine,
            _check_int(details.pain_before, "pain_before", 0, 10),
            _check_int(details.pain_after, "pain_after", 0, 10),
            _check_int(details.minutes, "minutes", 0, MAX_MINUTES),
            _check_text(details.note, "note"),
        ]
        with self.sessions.locked() as held:
            current = self._latest(held.read())[1].get((details.session_date, details.routine))
            if seen is not ANY and current != seen and current != details:
                raise DetailsConflict(current)
            row[0] = stamps.after(now, [current and current.recorded_at])
            held.append([row])

    def details(self, session_date: date, routine: str) -> SessionDetails | None:
        """The latest details saved for one session, if any (looked up, not searched for:
        Today asks on every rerun, and years of sessions are thousands of lines)."""
        return self._latest()[1].get((session_date, routine))

    def details_frame(self, routine: str | None = None) -> pd.DataFrame:
        """Latest details per session (one row per date and routine), oldest first.

        Kept until the file changes: treat it as read-only."""
        version, latest = self._latest()
        key = (self.sessions.path, routine)
        with _frames_lock:
            cached = _frames.get(key)
            if cached and cached[0] == version:
                return cached[1]
            records = [r for r in latest.values() if routine is None or r.routine == routine]
        columns = list(SESSION_COLUMNS[1:])
        frame = pd.DataFrame([r.__dict__ for r in records], columns=columns)
        frame["session_date"] = pd.to_datetime(frame["session_date"])
        for col in ("pain_before", "pain_after", "minutes"):
            frame[col] = frame[col].astype("Int64")
        frame = frame.sort_values("session_date", kind="stable").reset_index(drop=True)
        with _frames_lock:
            _frames[key] = (version, frame)
        return frame

    def details_version(self) -> tuple[str, int, int]:
        """Changes whenever sessions.csv does (its path, read generation and line count):
        a key for what is computed from the details."""
        return (str(self.sessions.path), *self._latest()[0])

    def _latest(
        self, snap: Snapshot | None = None
    ) -> tuple[tuple[int, int], dict[tuple[date, str], SessionDetails]]:
        """The latest details per (date, routine), extended with the lines appended since
        the last call; with the (generation, lines) it was made from. Shared: read only."""
        snap = snap or self.sessions.read()
        with store.folding_lock():
            end = len(snap.records)
            latest = store.fold(("sessions", self.sessions.path), snap, dict, _add_latest, end)
            return (snap.generation, end), latest

    # -- marked days -----------------------------------------------------------------------

    @writer
    def mark_day(self, day: date, kind: str, reason: str = "", now: datetime | None = None):
        """Mark a day as rest/sick/travel; kind "" clears the mark."""
        if kind not in DAY_KINDS and kind != "":
            raise ValueError(f"a day is marked {', '.join(DAY_KINDS)} or cleared, not {kind!r}")
        reason = _check_text(reason, "reason") if kind else ""
        with self.days.locked() as held:
            current = self._marks(held.read()).get(day)
            stamp = stamps.after(now, [current and current[2]])
            held.append([(stamp, fields.day_text(day), kind, reason)])

    def day_marks(self) -> dict[date, DayMark]:
        """The current mark of every marked day (cleared days are left out)."""
        latest = self._marks()
        return {d: DayMark(d, k, r) for d, (k, r, _) in sorted(latest.items()) if k}

    def _marks(self, snap: Snapshot | None = None) -> dict[date, tuple[str, str, str]]:
        """Day -> (kind, reason, recorded_at) of its latest line. Shared: read only."""
        return store.fold(("days", self.days.path), snap or self.days.read(), dict, _add_marks)

    def snapshots(self) -> tuple[Snapshot, Snapshot]:
        """Both files as read, for showing their unreadable lines."""
        return self.sessions.read(), self.days.read()
