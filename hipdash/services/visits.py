"""What the app remembers of a person's visits (`appstate`): the routine used last, which
the next visit opens on, and the guided screen shown last, where a session resumes."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from hipdash import appstate
from hipdash.appstate import Place


def use_routine(data_dir: Path, routine: str) -> None:
    """Remember `routine` as the one used last (written only when it changes, so opening
    a page writes nothing). Raises StoreWriteError."""
    appstate.remember_routine(data_dir, routine)


def show_screen(data_dir: Path, routine: str, day: date, screen: str, now: datetime) -> Place:
    """Remember the guided screen shown now, as a new visit of it. Raises StoreWriteError."""
    return appstate.show(data_dir, routine, day, screen, now)
