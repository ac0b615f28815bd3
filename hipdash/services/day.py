"""What a person says about a day: marked rest / sick / travel, and how an exercise felt.
Each is decided under the file's lock on the file as it is now."""

from __future__ import annotations

from datetime import date, datetime

from hipdash.feelings import FeelingLog
from hipdash.sessions import SessionLog


def mark(sessions: SessionLog, day: date, kind: str, reason: str, now: datetime) -> None:
    """Mark `day` rest / sick / travel with an optional reason; kind "" clears the mark.
    Raises ValueError (not a kind) or StoreWriteError."""
    sessions.mark_day(day, kind, reason, now)


def feel(
    feelings: FeelingLog, day: date, routine: str, exercise: str, feeling: str, now: datetime
) -> bool:
    """Note how an exercise felt that day ("" clears it); whether a line was written (a tap
    that arrives twice writes once). Raises ValueError or StoreWriteError."""
    return feelings.record(day, routine, exercise, feeling, now)
