"""Changing a session day from Today: single ticks, a whole section, clearing the day,
and taking the last change back. Every one of them is new rows in the log, written in
one go; nothing is rewritten.

Undo keeps, per routine and day, a stack of what each change replaced (in this browser
session): undoing writes those earlier states back as new rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import streamlit as st

from hipdash.log import Change, CheckoffLog
from hipdash.store import StoreWriteError

ERROR_KEY = "hd_save_error"  # (item key or "", message) of the last change that failed


def _undo_stack(routine_id: str, day: date) -> list[list[tuple[str, bool]]]:
    return st.session_state.setdefault(f"hd_undo:{routine_id}:{day.isoformat()}", [])


def apply(
    log: CheckoffLog,
    routine_id: str,
    day: date,
    changes: Iterable[tuple[str, bool]],
    before: dict[str, bool],
    undoable: bool = True,
) -> bool:
    """Write (item, done) changes as one append; remember what they replaced for Undo.

    On failure nothing is remembered and the reason is kept for the page to show."""
    changes = [(item, done) for item, done in changes if bool(before.get(item)) != done]
    if not changes:
        return True
    try:
        log.record([Change(day, routine_id, item, done) for item, done in changes])
    except StoreWriteError as exc:
        st.session_state[ERROR_KEY] = (changes[0][0] if len(changes) == 1 else "", str(exc))
        return False
    st.session_state.pop(ERROR_KEY, None)
    if undoable:
        _undo_stack(routine_id, day).append([(item, not done) for item, done in changes])
    return True


def can_undo(routine_id: str, day: date) -> bool:
    return bool(_undo_stack(routine_id, day))


def undo(log: CheckoffLog, routine_id: str, day: date) -> None:
    """Put back what the last change of this day replaced."""
    stack = _undo_stack(routine_id, day)
    if not stack:
        return
    previous = stack[-1]
    before = {item: not done for item, done in previous}
    if apply(log, routine_id, day, previous, before, undoable=False):
        stack.pop()


def undo_button(log: CheckoffLog, routine_id: str, day: date) -> None:
    st.button(
        "↩️ Undo",
        key="hd-undo",
        type="tertiary",
        disabled=not can_undo(routine_id, day),
        on_click=undo,
        args=(log, routine_id, day),
        help="Take back the last change to this day (a new line in the log).",
    )


def clear_day_control(log: CheckoffLog, routine_id: str, day: date, state: dict[str, bool]):
    """'Clear this day…': a confirmation, then one un-tick of every ticked item."""
    ticked = [item for item, done in state.items() if done]
    with st.popover("🧹 Clear this day…", disabled=not ticked, key="hd-clear"):
        st.markdown(
            f"Untick all **{len(ticked)}** ticked items of **{day:%a %-d %b %Y}**? You can undo it."
        )
        st.button(
            "Yes, clear the day",
            key="hd-clear-confirm",
            type="primary",
            on_click=apply,
            args=(log, routine_id, day, [(item, False) for item in ticked], state),
        )
