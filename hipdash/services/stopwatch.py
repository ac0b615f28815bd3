"""The session's stopwatch and the minutes it gives, without ever changing a saved number
behind the person's back.

The stopwatch's start is kept in the data dir (`appstate`); the minutes of a session are
in its details (`sessions.csv`). Saving the details stops that session's stopwatch (its
minutes are then the ones the person saved). Stopping it over minutes already saved for
the session, and different, writes nothing: it says both, and the person picks one
(`keep`). Every write acts on the files as they are now (`SessionLog.save` with `seen`,
checked under the file's lock), with `now` passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from hipdash import appstate
from hipdash.sessions import MAX_MINUTES, DetailsConflict, SessionDetails, SessionLog

TRIES = 3  # another device saving between our read and our write: look again, this often
RAN_BY_ITSELF = timedelta(hours=1)  # a countdown started longer ago than this: not counted
CLOCK_SKEW = timedelta(minutes=1)  # a start this far after now: another computer's clock


@dataclass(frozen=True)
class Stopped:
    """What a Stop did. `timed`: the stopwatch's minutes (None: it was not running);
    `saved`: the minutes the session had; `asked`: both differ, or (`too_long`) the
    stopwatch ran longer than a session can last, or (`ahead`) it started after now (on
    another computer, whose clock is ahead of this one's), and nothing was changed: the
    stopwatch still runs until the person picks minutes (`keep`) or drops it (`discard`)."""

    timed: int | None
    saved: int | None = None
    asked: bool = False
    too_long: bool = False
    ahead: timedelta | None = None

    @property
    def unusable(self) -> bool:
        """Its minutes cannot be the session's (too long, or started after now): the person
        enters them or drops the stopwatch, rather than pick between two numbers."""
        return self.too_long or self.ahead is not None

    @property
    def question(self) -> str:
        """'The stopwatch says 120 min; 2 min are saved for this session.'"""
        if self.ahead:
            return (
                f"The stopwatch started {round(self.ahead.total_seconds() / 60):,} min after "
                "this computer's time now: a clock set on another computer?"
            )
        if self.too_long:
            hours, minutes = divmod(self.timed or 0, 60)
            return (
                f"The stopwatch has run for {hours:,} h {minutes} min, longer than a session "
                f"can last ({MAX_MINUTES // 60} h)."
            )
        return (
            f"The stopwatch says {self.timed} min; {self.saved} min "
            f"{'is' if self.saved == 1 else 'are'} saved for this session."
        )


def start(data_dir: Path, routine: str, day: date, now: datetime) -> datetime:
    """Start the session's stopwatch (a running one keeps its start); when it started.
    Raises StoreWriteError."""
    return appstate.start_timer(data_dir, routine, day, now)


def timed(data_dir: Path, sessions: SessionLog, routine: str, day: date) -> bool:
    """Whether the session is timed already: its stopwatch runs, or its minutes are saved."""
    running = appstate.read(data_dir).started(routine, day) is not None
    return running or _minutes(sessions.details(day, routine)) is not None


def begin(
    data_dir: Path,
    sessions: SessionLog,
    routine: str,
    day: date,
    now: datetime,
    since: datetime | None = None,
) -> bool:
    """The session's first real action (in the guided view: a Start, a Done) starts its
    stopwatch, unless the session is `timed` already: opening or going back is not a
    session, and one timed to its finish is not timed again. `since`: when a countdown
    that started by itself led to this action; counted from then if recent. Whether it
    was started. Raises StoreWriteError."""
    if timed(data_dir, sessions, routine, day):
        return False
    ran = since is not None and timedelta(0) <= now - since <= RAN_BY_ITSELF
    start(data_dir, routine, day, since if ran else now)
    return True


def stop(data_dir: Path, sessions: SessionLog, routine: str, day: date, now: datetime) -> Stopped:
    """Stop the session's stopwatch and save its minutes, unless other minutes are saved
    already: then change nothing and ask. Raises StoreWriteError / ValueError if refused."""
    started = appstate.read(data_dir).started(routine, day)
    if started is None:
        return Stopped(None, _minutes(sessions.details(day, routine)))
    timed = appstate.elapsed_minutes(started, now)
    ahead = started - now if started - now > CLOCK_SKEW else None
    if timed > MAX_MINUTES or ahead:  # no session's minutes: ask rather than save a wrong one
        saved = _minutes(sessions.details(day, routine))
        return Stopped(timed, saved, asked=True, too_long=timed > MAX_MINUTES, ahead=ahead)
    for _ in range(TRIES):
        seen = sessions.details(day, routine)
        saved = _minutes(seen)
        if saved is not None and saved != timed:
            return Stopped(timed, saved, asked=True)
        try:
            if saved is None:
                details = replace(seen or SessionDetails(day, routine), minutes=timed)
                sessions.save(details, now, seen=seen)
        except DetailsConflict:
            continue  # saved elsewhere just now: look again
        appstate.stop_timer(data_dir, routine, day, now)
        return Stopped(timed, saved)
    return Stopped(timed, _minutes(sessions.details(day, routine)), asked=True)


def keep(
    data_dir: Path,
    sessions: SessionLog,
    routine: str,
    day: date,
    minutes: int,
    shown: int | None,
    now: datetime,
) -> None:
    """The person's pick after `stop` asked: keep `minutes` for the session (`shown`: the
    saved minutes the question showed) and stop the stopwatch. Raises DetailsConflict when
    the details changed elsewhere since the question was shown (nothing is written)."""
    seen = sessions.details(day, routine)
    if _minutes(seen) != shown:
        raise DetailsConflict(seen)
    if minutes != shown:
        sessions.save(replace(seen or SessionDetails(day, routine), minutes=minutes), now, seen)
    appstate.stop_timer(data_dir, routine, day, now)


def discard(data_dir: Path, routine: str, day: date, now: datetime) -> None:
    """Stop the session's stopwatch without saving its minutes."""
    appstate.stop_timer(data_dir, routine, day, now)


def save_details(
    data_dir: Path,
    sessions: SessionLog,
    details: SessionDetails,
    seen: SessionDetails | None,
    now: datetime,
) -> bool:
    """Save a session's details (refused with DetailsConflict if they changed elsewhere
    since `seen`), then stop its stopwatch: the minutes are now the person's own. Whether
    a stopwatch was running."""
    sessions.save(details, now, seen=seen)
    return appstate.stop_timer(data_dir, details.routine, details.session_date, now) is not None


def _minutes(details: SessionDetails | None) -> int | None:
    return details.minutes if details else None
