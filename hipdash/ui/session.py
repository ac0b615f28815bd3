"""Today's session extras: the stopwatch, pain / minutes / note, marking a rest/sick/travel
day. Shared with the guided view's finish screen.

Each reads its current values from the data files and saves with a button, so nothing
typed is lost to a rerun and nothing is saved half-typed. Details saved on another device
meanwhile are shown in the form if it is untouched, and never silently overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import streamlit as st

from hipdash import config
from hipdash.markup import md_escape
from hipdash.models import Routine
from hipdash.services import day as day_service
from hipdash.services import stopwatch
from hipdash.services.stopwatch import Stopped
from hipdash.sessions import (
    DAY_KINDS,
    MAX_MINUTES,
    MAX_TEXT,
    DetailsConflict,
    SessionDetails,
    SessionLog,
)
from hipdash.store import StoreWriteError
from hipdash.ui import keys

PAIN_SCALE = list(range(11))
KIND_LABELS = {"rest": "Rest", "sick": "Sick", "travel": "Travel"}
_FIELDS = ("before", "after", "minutes", "note")


def _keys(routine: Routine, day: date) -> dict[str, str]:
    base = f"{routine.id}:{day.isoformat()}"
    return {f: f"hd-{f}:{base}" for f in (*_FIELDS, "seen", "conflict", "choice", "saved")}


def _saved(write: Callable[[], None]) -> bool:
    """Run one write to the data files; if it was refused, say why where it happened."""
    try:
        write()
    except (StoreWriteError, ValueError) as exc:
        _refused(exc)
        return False
    return True


def _refused(exc: Exception) -> None:
    st.error(f"Not saved — {md_escape(str(exc))}", icon="❌")


def now() -> datetime:
    return datetime.now().astimezone()


def stop_stopwatch(
    sessions: SessionLog,
    routine: Routine,
    day: date,
    tell: Callable[[str], object] = lambda text: st.toast(text, icon="⏱️"),
) -> Stopped:
    """Stop the session's stopwatch (`hipdash.stopwatch.stop`): its minutes saved (and
    `tell` says so), or, over other minutes saved already, the question kept for
    `minutes_choice` to ask. Raises `StoreWriteError` / `ValueError` if refused."""
    stopped = stopwatch.stop(config.data_dir(), sessions, routine.id, day, now())
    field_keys = _keys(routine, day)
    if stopped.asked:
        st.session_state[field_keys["choice"]] = stopped
    elif stopped.timed is not None:
        _stopped(field_keys, sessions, routine, day)
        tell(_stopped_line(stopped))
    return stopped


def _stopped_line(stopped: Stopped) -> str:
    """What a Stop that asked nothing did: saved its minutes, or found them saved already
    (nothing new written: a toast saying "saved" would be news that is not)."""
    if stopped.saved == stopped.timed:
        return f"Timer stopped: {stopped.timed} min, as saved already"
    return f"Session time saved: {stopped.timed} min"


def _stopped(field_keys: dict[str, str], sessions: SessionLog, routine: Routine, day: date):
    """The form's minutes are the saved ones now (what else was typed stays); no question
    is left open."""
    st.session_state.pop(field_keys["choice"], None)
    saved = sessions.details(day, routine.id)
    st.session_state[field_keys["minutes"]] = saved.minutes if saved else None
    st.session_state[field_keys["seen"]] = saved


def stop_and_save(sessions: SessionLog, routine: Routine, day: date) -> None:
    """`stop_stopwatch`, saying where it happened if it was refused (the guided finish)."""
    try:
        stop_stopwatch(sessions, routine, day)
    except (StoreWriteError, ValueError) as exc:
        _refused(exc)


def minutes_choice(sessions: SessionLog, routine: Routine, day: date) -> None:
    """After a Stop over other minutes saved for the session: both, and which to keep.
    Nothing was changed; the stopwatch runs until one is picked."""
    stopped = st.session_state.get(_keys(routine, day)["choice"])
    if not stopped:
        return
    if stopped.unusable:
        _unusable(sessions, routine, day, stopped)
        return
    st.warning(f"⏱️ {stopped.question} Which do you keep?")
    with st.container(horizontal=True, key="hd-minutes-choice"):
        for minutes, label in ((stopped.saved, "Keep"), (stopped.timed, "Save")):
            st.button(
                f"{label} {minutes} min",
                key=f"hd-minutes-{label.lower()}",
                type="primary" if label == "Keep" else "secondary",
                on_click=_keep_minutes,
                args=(sessions, routine, day, minutes, stopped.saved),
            )


def _unusable(sessions: SessionLog, routine: Routine, day: date, stopped: Stopped) -> None:
    """A stopwatch whose minutes cannot be right (left running past a day, or started after
    now by a clock ahead on another computer): enter the minutes, or discard it."""
    st.warning(f"⏱️ {stopped.question} Enter the session's minutes, or discard the stopwatch.")
    typed_key = f"hd-minutes-typed:{routine.id}:{day.isoformat()}"
    with st.container(horizontal=True, key="hd-minutes-choice", vertical_alignment="bottom"):
        st.number_input("Minutes", 0, MAX_MINUTES, stopped.saved, key=typed_key)
        st.button(
            "Save minutes",
            key="hd-minutes-save",
            type="primary",
            on_click=lambda: _keep_minutes(
                sessions, routine, day, _typed_minutes(typed_key, stopped.saved), stopped.saved
            ),
        )
        st.button("Discard", key="hd-minutes-discard", on_click=_discard, args=(routine, day))


def _typed_minutes(key: str, saved: int | None) -> int | None:
    """The minutes typed; an emptied box keeps what is saved."""
    typed = st.session_state.get(key)
    return saved if typed is None else typed


def _discard(routine: Routine, day: date) -> None:
    try:
        stopwatch.discard(config.data_dir(), routine.id, day, now())
    except StoreWriteError as exc:
        _refused(exc)
        return
    st.session_state.pop(_keys(routine, day)["choice"], None)
    st.toast("Stopwatch discarded", icon="⏱️")


def _keep_minutes(sessions, routine: Routine, day: date, minutes: int, shown: int) -> None:
    field_keys = _keys(routine, day)
    try:
        stopwatch.keep(config.data_dir(), sessions, routine.id, day, minutes, shown, now())
    except DetailsConflict as exc:
        st.session_state.pop(field_keys["choice"], None)
        _load(field_keys, exc.current)
        st.toast("The details changed on another device: nothing was changed", icon="🔄")
        return
    except (StoreWriteError, ValueError) as exc:
        _refused(exc)
        return
    _stopped(field_keys, sessions, routine, day)
    st.toast(f"Session time: {minutes} min", icon="⏱️")


def _load(field_keys: dict[str, str], details: SessionDetails | None) -> None:
    d = details or SessionDetails(date.min, "x")
    values = (d.pain_before, d.pain_after, d.minutes, d.note)
    for name, value in zip(_FIELDS, values, strict=True):
        st.session_state[field_keys[name]] = value
    st.session_state[field_keys["seen"]] = details


def _typed(field_keys: dict[str, str], routine: Routine, day: date) -> SessionDetails:
    s = st.session_state
    note = s.get(field_keys["note"]) or ""
    return SessionDetails(
        day,
        routine.id,
        s.get(field_keys["before"]),
        s.get(field_keys["after"]),
        s.get(field_keys["minutes"]),
        note,
    )


def details(
    sessions: SessionLog,
    routine: Routine,
    day: date,
    minutes: int | None = None,
    expanded: bool = False,
) -> None:
    """The pain / minutes / note form in a panel of its own (the guided view's finish)."""
    panel = st.expander(  # one label: a changed label would be a new, closed panel
        "Pain, time and note",
        key=f"hd-details-open:{routine.id}",
        expanded=expanded,
        on_change="rerun",
    )
    if not panel.open:
        closed(sessions, routine, day)
        return
    with panel:
        details_form(sessions, routine, day, minutes)


def after_session(sessions: SessionLog, routine: Routine, day: date) -> None:
    """Today's panel for after the session: the details form and marking the day, under
    the cards' own "After the session" button, which opens and closes it.

    Nothing is drawn while it is closed: on a phone Streamlit redraws every element of the
    page on each tick, and these forms (22 pain buttons, fields), even collapsed, were a
    fifth of a tick; the collapsed panel alone, a tenth."""
    if not st.session_state.get(keys.AFTER_OPEN):
        forget_form(routine, day)
        return
    with st.container(border=True, key=keys.AFTER_PANEL):
        details_form(sessions, routine, day)
        st.divider()
        day_mark(sessions, day)


def forget_form(routine: Routine, day: date) -> None:
    """The form forgets what it showed while closed, so opening it shows what is on disk."""
    st.session_state.pop(_keys(routine, day)["seen"], None)


def closed(sessions: SessionLog, routine: Routine, day: date) -> None:
    """Under a closed panel: what is saved, in a line."""
    forget_form(routine, day)
    saved = saved_line(sessions, routine, day)
    if saved:
        st.caption(md_escape(saved))


def saved_line(sessions: SessionLog, routine: Routine, day: date) -> str:
    """'✓ Saved: pain 5 → 3, 30 min', or '' if nothing is saved for the session."""
    said = given(sessions.details(day, routine.id))
    return f"✓ Saved: {said}" if said else ""


def given(details: SessionDetails | None, quoted: bool = True) -> str:
    """What was given, and only that: 'pain 5 → 3, 30 min, “stiff”', '1 min' (a stopwatch's
    minutes alone), 'pain after 3' (one of the two); '' for nothing. Not `quoted`: the
    note is 'a note' (a line that says it was saved, under the note itself)."""
    if details is None:
        return ""
    before, after = details.pain_before, details.pain_after
    pain = (
        f"pain {before} → {after}"
        if before is not None and after is not None
        else f"pain before {before}"
        if before is not None
        else f"pain after {after}"
        if after is not None
        else ""
    )
    minutes = f"{details.minutes} min" if details.minutes is not None else ""
    note = (f"“{details.note}”" if quoted else "a note") if details.note else ""
    return ", ".join(p for p in (pain, minutes, note) if p)


def details_form(
    sessions: SessionLog, routine: Routine, day: date, minutes: int | None = None
) -> None:
    """The pain / minutes / note form for one session, filled from what was saved (and the
    given minutes, when there are none yet). Details saved on another device meanwhile are
    shown above the form, to load with a tap: the form never changes under the person's
    fingers (what they typed is in the browser only, until they save)."""
    field_keys = _keys(routine, day)
    saved = sessions.details(day, routine.id)
    if field_keys["seen"] not in st.session_state:
        _load(field_keys, saved)
        if minutes and not (saved and saved.minutes):
            st.session_state[field_keys["minutes"]] = minutes
    if saved != st.session_state[field_keys["seen"]] and not st.session_state.get(
        field_keys["conflict"]
    ):
        st.info(
            f"Saved on another device since you opened this: {md_escape(describe(saved))}",
            icon="🔄",
        )
        st.button("Load them", key="hd-details-load", on_click=_load, args=(field_keys, saved))
    with st.form(key=f"hd-details-form:{routine.id}:{day.isoformat()}", border=False):
        with st.container(key=f"{keys.PAIN}{routine.id}"):
            st.segmented_control(
                "Pain before (0–10)", PAIN_SCALE, key=field_keys["before"], width="stretch"
            )
            st.segmented_control(
                "Pain after (0–10)", PAIN_SCALE, key=field_keys["after"], width="stretch"
            )
        st.number_input(
            "Minutes taken", min_value=0, max_value=MAX_MINUTES, key=field_keys["minutes"]
        )
        st.text_area("Note", key=field_keys["note"], max_chars=MAX_TEXT, height=100)
        submitted = st.form_submit_button("Save details", type="primary")
    if submitted and _save_details(sessions, field_keys, _typed(field_keys, routine, day)):
        st.rerun()  # the page drew the stopwatch running above: again, stopped
    if st.session_state.pop(field_keys["saved"], False):
        said = given(sessions.details(day, routine.id), quoted=False)
        st.success(md_escape(f"Saved: {said}." if said else "Saved."), icon="✅")
    _conflict(sessions, field_keys)


def _save_details(sessions: SessionLog, field_keys: dict[str, str], mine: SessionDetails) -> bool:
    """Save the form; that stops the session's stopwatch (the minutes are the form's).
    Whether a stopwatch was running."""
    try:
        seen = st.session_state.get(field_keys["seen"])
        stopped = stopwatch.save_details(config.data_dir(), sessions, mine, seen, now())
    except DetailsConflict as exc:
        st.session_state[field_keys["conflict"]] = (mine, exc.current)
        return False
    except (StoreWriteError, ValueError) as exc:
        _refused(exc)
        return False
    st.session_state[field_keys["seen"]] = mine
    st.session_state.pop(field_keys["conflict"], None)
    st.session_state.pop(field_keys["choice"], None)
    st.session_state[field_keys["saved"]] = True
    return stopped


def _conflict(sessions: SessionLog, field_keys: dict[str, str]) -> None:
    """Details saved on another device since this form was filled: show both, ask."""
    pending = st.session_state.get(field_keys["conflict"])
    if not pending:
        return
    mine, theirs = pending
    st.warning(
        "**These details were changed on another device** since you opened them.\n\n"
        f"- Saved there: {md_escape(describe(theirs))}\n- Yours: {md_escape(describe(mine))}",
        icon="⚠️",
    )
    with st.container(horizontal=True, key="hd-conflict"):
        st.button(
            "Save mine",
            type="primary",
            key="hd-conflict-mine",
            on_click=_save_mine,
            args=(sessions, field_keys, mine, theirs),
        )
        st.button(
            "Keep theirs", key="hd-conflict-theirs", on_click=_keep_theirs, args=(field_keys,)
        )


def _save_mine(sessions: SessionLog, field_keys: dict[str, str], mine, theirs) -> None:
    st.session_state[field_keys["seen"]] = theirs  # overwrite exactly what was shown
    _save_details(sessions, field_keys, mine)


def _keep_theirs(field_keys: dict[str, str]) -> None:
    _, theirs = st.session_state.pop(field_keys["conflict"])
    _load(field_keys, theirs)


def describe(details: SessionDetails | None) -> str:
    """'pain 5 → 3, 30 min, “stiff”' for showing two versions side by side."""
    if details is None:
        return "nothing"
    pain = (
        ("–" if details.pain_before is None else str(details.pain_before))
        + " → "
        + ("–" if details.pain_after is None else str(details.pain_after))
    )
    parts = [f"pain {pain}", f"{details.minutes} min" if details.minutes is not None else ""]
    parts.append(f"“{details.note}”" if details.note else "no note")
    return ", ".join(p for p in parts if p)


def day_mark_banner(sessions: SessionLog, day: date) -> None:
    """At the top of the page: the day is marked rest / sick / travel."""
    current = sessions.day_marks().get(day)
    if current:
        reason = f" — {md_escape(current.reason)}" if current.reason else ""
        st.info(f"**{KIND_LABELS[current.kind]} day**{reason}", icon="📅")


def day_mark(sessions: SessionLog, day: date) -> None:
    """Mark the chosen day as a rest, sick or travel day (or clear the mark)."""
    current = sessions.day_marks().get(day)
    st.markdown("**Not training? Mark this day**")
    st.caption("It takes one session off that week's target, unless the day is a session too.")
    with st.form(key=f"hd-mark-form:{day.isoformat()}", border=False):
        kind = st.segmented_control(
            "This day is a",
            DAY_KINDS,
            default=current.kind if current else None,
            format_func=KIND_LABELS.get,
        )
        reason = st.text_input(
            "Reason (optional)", value=current.reason if current else "", max_chars=MAX_TEXT
        )
        submitted = st.form_submit_button("Save", type="primary")
    if submitted and not kind and not current:  # nothing to save, nor to clear
        st.warning("Choose rest, sick or travel first: nothing was saved.", icon="☝️")
        submitted = False
    if submitted and _saved(lambda: day_service.mark(sessions, day, kind or "", reason, now())):
        st.session_state[keys.DAY_MARK_SAVED] = (
            f"Saved: {day:%a} {day.day} {day:%b} is a {KIND_LABELS[kind].lower()} day."
            if kind
            else f"Saved: {day:%a} {day.day} {day:%b} is no longer marked off."
        )
        st.rerun()  # the banner at the top shows the mark
    said = st.session_state.pop(keys.DAY_MARK_SAVED, None)
    if said:
        st.success(said, icon="✅")
