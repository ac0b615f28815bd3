"""What one browser tab knows of a routine's day beyond the log, kept in its Streamlit
session: its undo history, the last action answered, what to say. Today's cards and the
guided view share it, so a tick made in either joins the same undo history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date

import streamlit as st

from hipdash.changes import History, Outcome
from hipdash.log import CheckoffLog
from hipdash.models import Routine
from hipdash.store import StoreWriteError
from hipdash.ui import keys


@dataclass(frozen=True)
class TabDay:
    """What this tab knows of one routine's day beyond the log: its undo history, the
    last action it has answered (so the page knows which clicks are saved), and what to
    say about the last action. The browser keeps the history in the tab's session storage
    and hands it back after a reload (`restored`: it has been asked for)."""

    history: History = field(default_factory=History)
    ack: int = 0
    message: tuple[str, str] | None = None  # (kind, text): kind is "error" or "info"
    failed: str = ""  # the item whose tick could not be saved
    restored: bool = False


def history_key(routine: Routine, day: date) -> str:
    """Where the browser keeps this day's undo history in the tab's session storage."""
    return f"hipdash-undo:{routine.id}:{day.isoformat()}"


@dataclass(frozen=True)
class Here:
    """What the page's server session adds to the cards' data: its own mark (for handing
    back the undo history), whether the "After the session" panel is open and the last of
    the cards' actions it took (`answered`). A first screen drawn before Streamlit is up has
    no session yet (`first`)."""

    session: str = ""
    after_open: bool = False
    first: bool = False
    answered: int = 0


def session_mark() -> str:
    """This server session's own id, made at its first render."""
    return st.session_state.setdefault(keys.SESSION_MARK, uuid.uuid4().hex)


def browser_data(routine: Routine, day: date, tab: TabDay, session: str | None = None) -> dict:
    """The undo history for the browser to keep in the tab, and what it needs to hand it
    back: after a reload, and when the page reconnects to a new server session (the app
    started again, or a phone away longer than the server keeps a session), which starts
    with an empty history the browser must not take for the tab's."""
    return {
        "history": tab.history.to_data(),
        "history_key": history_key(routine, day),
        "restored": tab.restored,
        "session": session_mark() if session is None else session,
    }


def restore(routine: Routine, day: date, tab: TabDay, key: str, kept: object) -> TabDay:
    """The tab with the history its browser kept before a reload put before what it did
    since (checked by `History.from_data`; one kept for another routine or day is not, nor
    one asked again after the first was answered: an Undo since may have taken part back)."""
    if key != history_key(routine, day) or tab.restored:
        return tab
    history = History.from_data(kept, set(routine.item_keys))
    return replace(tab, history=history.then(tab.history), restored=True)


_FORGET = """<script>
for (const key of Object.keys(sessionStorage))
  if (key.startsWith("hipdash-undo:")) sessionStorage.removeItem(key);
</script>"""


def forget_all() -> None:
    """After a restore: this tab's Undo, here and kept in the browser for a reload, no longer
    takes back a tick of the log the restore replaced (it said "changed on another device"
    of every one), nor does its Start go on with a guided session of that log."""
    mine = ("hd_tabday:", keys.GUIDED_TAB)
    for key in [k for k in st.session_state if str(k).startswith(mine)]:
        del st.session_state[key]
    st.html(_FORGET, unsafe_allow_javascript=True)


def _tab_key(routine_id: str, day: date) -> str:
    return f"hd_tabday:{routine_id}:{day.isoformat()}"


def tab_day(routine_id: str, day: date) -> TabDay:
    return st.session_state.get(_tab_key(routine_id, day), TabDay())


def keep(routine_id: str, day: date, tab: TabDay) -> None:
    st.session_state[_tab_key(routine_id, day)] = tab


def remember(routine_id: str, day: date, tab: TabDay, outcome: Outcome) -> None:
    """A change made elsewhere on this tab (the guided view's Done) joins its undo history."""
    keep(routine_id, day, replace(tab, history=tab.history.after(outcome)))


def undone(log: CheckoffLog, routine: Routine, day: date, tab: TabDay, ack: int) -> TabDay:
    """The tab after an undo of its last change, on the log as it is now (where the log
    no longer holds what the tab wrote, that part is left and said)."""
    try:
        history, outcome = tab.history.undo(log, day, routine.id)
    except StoreWriteError as exc:
        return replace(tab, ack=ack, message=("error", f"Not saved — {exc}"), failed="")
    return replace(tab, history=history, ack=ack, message=undo_said(routine, outcome), failed="")


def undo(log: CheckoffLog, routine: Routine, day: date) -> TabDay:
    """Undo on this tab's history of the day (the guided view's Undo line, as Today's)."""
    tab = tab_day(routine.id, day)
    after = undone(log, routine, day, tab, tab.ack)
    keep(routine.id, day, after)
    return after


def undo_said(routine: Routine, outcome: Outcome) -> tuple[str, str] | None:
    """'Undone: Hip flexor stretch unticked.': said where Undo is, since the box it changed
    may be far down the page (or the change was another tab's); then what it left."""
    back, titles = outcome.written, _titles(routine)
    if len(back) == 1:
        how = "ticked again" if back[0].after else "unticked"
        words = f"Undone: {titles.get(back[0].item, back[0].item)} {how}."
    elif back:
        afters = {e.after for e in back}
        how = {frozenset({True}): "ticked again", frozenset({False}): "unticked"}.get(
            frozenset(afters), "put back"
        )
        words = f"Undone: {len(back)} items {how}."
    else:
        words = ""
    left = said(routine, outcome)
    text = " ".join(w for w in (words, left[1] if left else "") if w)
    return ("info", text) if text else None


def _titles(routine: Routine) -> dict[str, str]:
    return {item.key: item.title for item in routine.items()}


def said(routine: Routine, outcome: Outcome) -> tuple[str, str] | None:
    """'Wrist stretches was changed on another device; left as it is.', or nothing."""
    if not outcome.left:
        return None
    titles = _titles(routine)
    names = [titles.get(k, k) for k in outcome.left]
    if len(names) == 1:
        return ("info", f"{names[0]} was changed on another device; left as it is.")
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    return ("info", f"{listed} were changed on another device; left as they are.")
