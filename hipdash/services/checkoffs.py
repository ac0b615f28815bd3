"""The check-off log's actions besides a tick (ticks and their undo: `changes.History`):
an exercise moved to another section keeps its earlier ticks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from hipdash.log import CheckoffLog
from hipdash.models import Routine


def carry_moved(
    log: CheckoffLog, saved: Routine, was: str, moved_to: str, items: Iterable[str], now: datetime
) -> int:
    """The exercise `was` ("section/exercise") is now `moved_to` in the saved routine, so
    the log names its items by new keys: their earlier ticks are carried over (appended,
    the old rows stay). `items`: the exercise's item keys before the move. The rows
    written; raises StoreWriteError."""
    kept = set(saved.item_keys)
    moves = {key: moved_to + key[len(was) :] for key in items if key.startswith(was)}
    return log.carry(saved.id, {old: new for old, new in moves.items() if new in kept}, now)
