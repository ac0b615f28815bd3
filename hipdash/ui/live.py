"""Pages notice what other tabs and devices write, without a reload.

A page remembers the signature (inode, size, modification time) of the data files as it
read them; a tiny fragment compares them every two seconds and reruns the page only when
one changed. The check is a few `stat` calls and draws nothing, so a phone does not redraw
the page every second, and a rerun keeps what the browser holds (an open video, a running
countdown: Today's cards patch only what changed).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from hipdash import config, store
from hipdash.follow import records
from hipdash.library import library_signature
from hipdash.sync import merge
from hipdash.ui import keys

CHECK_EVERY_SECONDS = 2


def data_files() -> list[Path]:
    directory = config.data_dir()
    return [
        directory / name for name in ("checkoffs.csv", "sessions.csv", "days.csv", "feelings.csv")
    ]


def now() -> dict:
    """The signatures of every data file and routine, as `seen_now` keeps them."""
    return _now(data_files())


def _now(paths: list[Path]) -> dict:
    found = dict(zip(map(str, paths), store.signature(paths), strict=True))
    routines = library_signature(config.data_dir(), config.routines_dir())  # yours and bundled
    return {**found, "routines": routines, "notes": records.signature(config.data_dir())}


def seen_now(paths: list[Path] | None = None) -> None:
    """Call before reading the files (all, or `paths` only: a fragment that rereads just
    the log): what is shown is at least as new as these signatures."""
    seen = st.session_state.setdefault(keys.LIVE_SEEN, {})
    if paths is None:
        seen.update(_now(data_files()))
        st.session_state[keys.LIVE_RUN] = st.session_state.get(keys.LIVE_RUN, 0) + 1
    else:  # a tick's fragment: only the log's signature, not every routine file's too
        seen.update(zip(map(str, paths), store.signature(paths), strict=True))


def seen_files(*names: str) -> None:
    """For a fragment that rereads only these files (a tick rereads the log): its own write
    is seen, so the watch does not rerun the whole page for it a moment later."""
    seen_now([config.data_dir() / name for name in names])


def stale(who: str) -> bool:
    """Whether a data file (or a routine) changed since the page last read them, for the
    fragment `who` rerunning alone with what the page read. In the page's own run, no: it
    took their signatures at its top (`seen_now`) a moment ago, and a second look at every
    file would only slow each render."""
    return _alone(who) and _changed()


def _changed() -> bool:
    return st.session_state.get(keys.LIVE_SEEN) != now()


def _alone(who: str) -> bool:
    """Whether the fragment `who` runs alone: no page run (`seen_now`, which counts them)
    since its last run. A page that does not count its runs has every run checked."""
    run = st.session_state.get(keys.LIVE_RUN, 0)
    last = st.session_state.setdefault(keys.LIVE_RUN_OF, {})
    alone = last.get(who) == run
    last[who] = run
    return alone


@st.fragment(run_every=CHECK_EVERY_SECONDS)
def watch() -> None:
    """Rerun the page when a data file (or a routine) changed since it was last read, or a
    sync tool set a conflict copy beside one (the page's read merges it). Checked when it
    reruns alone, every two seconds: in the page's own run the files were just read."""
    if _alone("watch") and (_changed() or merge.any_pending(config.data_dir())):
        st.rerun()
