"""Where hipdash keeps things, read from the environment at the edges of the app.

`HIPDASH_DATA_DIR` holds the user's logs: by default `data/` in a clone (run with
`streamlit run app.py`), and the platform's user data dir (`platformdirs`:
`$XDG_DATA_HOME/hipdash`, i.e. `~/.local/share/hipdash`, on Linux) when hipdash is
installed as a package (`hipdash serve`). `HIPDASH_ROUTINES_DIR` (default: the bundled
`routines/`) the routine YAML files that come with hipdash.
`HIPDASH_TODAY` (YYYY-MM-DD) pins "today" for demos and tests (`today_problem`).
`HIPDASH_SESSION_SHARE` (default 0.5) is the share of a routine's items that
makes a day count as a session. `HIPDASH_TIMER_SCALE` speeds countdowns up for tests.
`HIPDASH_PASSCODE`, when set, must be given before any
page is shown (see the README for what it does and does not protect).
`HIPDASH_NOTES_DIR` (none by default) is the folder of notes (an Obsidian vault) whose notes
the Routines page may follow by path; without it, only the command line follows notes.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from hipdash import fields

PACKAGE_DIR = Path(__file__).resolve().parent
# An installed hipdash carries the clone's front (app.py, pages/, routines/ and
# .streamlit/config.toml) as hipdash/webapp/ (pyproject.toml); a clone has them at its root.
INSTALLED = (PACKAGE_DIR / "webapp" / "app.py").is_file()
PROJECT_DIR = PACKAGE_DIR / "webapp" if INSTALLED else PACKAGE_DIR.parent
APP = PROJECT_DIR / "app.py"
DEFAULT_SESSION_SHARE = 0.5


def default_data_dir() -> Path:
    """`data/` in a clone; the platform's user data dir for an installed hipdash (which
    has no folder of its own to write in)."""
    if not INSTALLED:
        return PROJECT_DIR / "data"
    import platformdirs  # only here: a clone's pages never need it

    return Path(platformdirs.user_data_dir("hipdash", appauthor=False))


def data_dir() -> Path:
    return Path(os.environ.get("HIPDASH_DATA_DIR") or default_data_dir()).expanduser()


def routines_dir() -> Path:
    return Path(os.environ.get("HIPDASH_ROUTINES_DIR") or PROJECT_DIR / "routines").expanduser()


def checkoffs_path(directory: Path | None = None) -> Path:
    """The check-off log in `directory` (default: the data dir)."""
    return Path(directory or data_dir()) / "checkoffs.csv"


def today() -> date:
    """The local date, unless HIPDASH_TODAY pins it to a day; a pin that is not one is
    passed over here (`today_problem` says why: the pages show it, a command refuses)."""
    pinned = os.environ.get("HIPDASH_TODAY")
    return date.fromisoformat(pinned) if pinned and not today_problem() else date.today()


PIN_FIX = "unset it, or set it to a day (YYYY-MM-DD)"  # what to do, said by commands and pages


def today_problem() -> str | None:
    """Why HIPDASH_TODAY cannot pin today (not a real YYYY-MM-DD date a record may be about:
    the pages could not count back from it), or None."""
    pinned = os.environ.get("HIPDASH_TODAY")
    problem = pinned and fields.date_problem(pinned, "HIPDASH_TODAY")
    return f"{problem} ({pinned!r})" if problem else None


def session_share() -> float:
    """The share of items that makes a session; out-of-range values fall back to 0.5."""
    try:
        share = float(os.environ.get("HIPDASH_SESSION_SHARE", DEFAULT_SESSION_SHARE))
    except ValueError:
        return DEFAULT_SESSION_SHARE
    return share if 0 < share <= 1 else DEFAULT_SESSION_SHARE


def timer_scale() -> float:
    """`HIPDASH_TIMER_SCALE` (0 < x <= 1, default 1) runs countdowns faster, for tests and
    demos: 0.05 makes a 20 s hold take one second (it still shows 20 s)."""
    try:
        scale = float(os.environ.get("HIPDASH_TIMER_SCALE", 1))
    except ValueError:
        return 1.0
    return scale if 0 < scale <= 1 else 1.0


def notes_dir() -> Path | None:
    """The folder the Routines page may follow notes in (`HIPDASH_NOTES_DIR`), or None."""
    value = os.environ.get("HIPDASH_NOTES_DIR")
    return Path(value).expanduser() if value else None


def passcode() -> str | None:
    """The shared passcode that guards the pages, or None when there is none."""
    return os.environ.get("HIPDASH_PASSCODE") or None
