"""Today's session extras: pain, minutes and a note; marking a rest/sick/travel day.

Both read their current values from the data files and save with a button, so
nothing typed is lost to a rerun and nothing is saved half-typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import streamlit as st

from hipdash.models import Routine
from hipdash.sessions import DAY_KINDS, SessionDetails, SessionLog
from hipdash.store import StoreWriteError
from hipdash.text import md_escape
from hipdash.ui.timers import session_timer

PAIN_SCALE = list(range(11))
KIND_LABELS = {"rest": "🛌 Rest", "sick": "🤒 Sick", "travel": "🧳 Travel"}


def _keys(routine: Routine, day: date) -> dict[str, str]:
    base = f"{routine.id}:{day.isoformat()}"
    return {f: f"hd-{f}:{base}" for f in ("before", "after", "minutes", "note", "timer")}


def _set_default(key: str, value) -> None:
    """Start a widget from the saved value, without fighting what the person is typing."""
    if key not in st.session_state:
        st.session_state[key] = value


def _saved(write: Callable[[], None]) -> bool:
    """Run one write to the session files; if it was refused, say why where it happened."""
    try:
        write()
    except (StoreWriteError, ValueError) as exc:
        st.error(f"Not saved — {md_escape(str(exc))}", icon="❌")
        return False
    return True


def timer(sessions: SessionLog, routine: Routine, day: date) -> None:
    """The session stopwatch; Stop fills in and saves the minutes of this session."""
    keys = _keys(routine, day)

    def stopped(minutes: int) -> None:
        st.session_state[keys["minutes"]] = minutes
        latest = sessions.details(day, routine.id) or SessionDetails(day, routine.id)
        if _saved(lambda: sessions.save(replace(latest, minutes=minutes))):
            st.toast(f"Session time saved: {minutes} min", icon="⏱️")

    session_timer(keys["timer"], stopped)


def details(sessions: SessionLog, routine: Routine, day: date) -> None:
    """The pain / minutes / note form for one session, filled from what was saved."""
    keys = _keys(routine, day)
    saved = sessions.details(day, routine.id) or SessionDetails(day, routine.id)
    label = "Pain, time and note" + (" ✓" if saved != SessionDetails(day, routine.id) else "")
    with st.expander(label, key=f"hd-details-open:{routine.id}"):
        _set_default(keys["before"], saved.pain_before)
        _set_default(keys["after"], saved.pain_after)
        _set_default(keys["minutes"], saved.minutes)
        _set_default(keys["note"], saved.note)
        with st.form(key=f"hd-details-form:{routine.id}:{day.isoformat()}", border=False):
            st.segmented_control("Pain before (0–10)", PAIN_SCALE, key=keys["before"])
            st.segmented_control("Pain after (0–10)", PAIN_SCALE, key=keys["after"])
            st.number_input("Minutes taken", min_value=0, max_value=1440, key=keys["minutes"])
            st.text_area("Note", key=keys["note"], max_chars=2000, height=100)
            submitted = st.form_submit_button("Save details", type="primary")
        if submitted:
            details = SessionDetails(
                day,
                routine.id,
                st.session_state[keys["before"]],
                st.session_state[keys["after"]],
                st.session_state[keys["minutes"]],
                st.session_state[keys["note"]] or "",
            )
            if _saved(lambda: sessions.save(details)):
                st.success("Details saved.", icon="✅")


def day_mark(sessions: SessionLog, day: date) -> None:
    """Mark the chosen day as a rest, sick or travel day (or clear the mark)."""
    current = sessions.day_marks().get(day)
    if current:
        reason = f" — {md_escape(current.reason)}" if current.reason else ""
        st.info(f"{KIND_LABELS[current.kind]} day{reason}", icon="📅")
    with st.expander("Not training? Mark this day", key="hd-mark-open"):
        with st.form(key=f"hd-mark-form:{day.isoformat()}", border=False):
            kind = st.segmented_control(
                "This day is a",
                DAY_KINDS,
                default=current.kind if current else None,
                format_func=KIND_LABELS.get,
            )
            reason = st.text_input("Reason (optional)", value=current.reason if current else "")
            submitted = st.form_submit_button("Save", type="primary")
        if submitted and _saved(lambda: sessions.mark_day(day, kind or "", reason)):
            st.rerun()
