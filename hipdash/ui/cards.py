"""The Today page's session view: a progress header and one card per exercise.

The Routines page draws the same cards read-only, as a preview of an import.

The CSV log is the source of truth. Each checkbox's state is set from the log
before it is drawn, and a click is written in the widget's `on_change`; if the
write fails, the next run shows the box as it really is in the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from hipdash import dose
from hipdash.importing.text import dose_hold_seconds
from hipdash.log import CheckoffLog
from hipdash.models import Exercise, Item, Routine, Section, Video, exercise_items
from hipdash.text import md_escape, md_link
from hipdash.ui import changes
from hipdash.ui.timers import hold_timer

PLAYER_HEIGHT = 240


def tick_key(routine_id: str, day: date, item_key: str) -> str:
    return f"tick:{routine_id}:{day.isoformat()}:{item_key}"


def _save_tick(
    log: CheckoffLog, routine_id: str, day: date, item_key: str, state: dict[str, bool]
) -> None:
    """on_change of a checkbox: append the new state (undoable), or keep why it failed."""
    done = bool(st.session_state[tick_key(routine_id, day, item_key)])
    changes.apply(log, routine_id, day, [(item_key, done)], state)


@dataclass(frozen=True)
class _Ticking:
    """What a card needs to show and save ticks; a preview has none."""

    log: CheckoffLog
    day: date
    state: dict[str, bool]
    error: tuple[str, str] | None


@st.fragment
def session_view(log: CheckoffLog, routine: Routine, day: date) -> None:
    """Progress header, then each section's cards, for one routine on one day.

    A fragment: in the browser a tick (or Undo, Tick all, Clear) reruns only this, so
    the header, the Undo button and the cards move together while the date picker, the
    stopwatch and the session details above and below are left alone."""
    state = log.day_state(day, routine.id)
    keys = routine.item_keys
    done = sum(1 for k in keys if state.get(k))
    with st.container(key="hd-progress", horizontal=True, vertical_alignment="bottom"):
        st.progress(done / len(keys) if keys else 0.0, text=f"**{done} / {len(keys)}** done")
        changes.undo_button(log, routine.id, day)
    cannot_save = log.write_problem()
    if cannot_save:
        st.error(f"**Ticks cannot be saved.** {md_escape(cannot_save)}", icon="❌")
    error = st.session_state.get(changes.ERROR_KEY)
    if error:
        st.error(f"Not saved — {md_escape(error[1])}", icon="❌")
    _sections(routine, _Ticking(log, day, state, error))
    changes.clear_day_control(log, routine.id, day, {k: v for k, v in state.items() if k in keys})


def preview_view(routine: Routine) -> None:
    """The cards exactly as Today draws them, read-only: boxes and video toggles disabled,
    so nothing is saved and no player is loaded."""
    _sections(routine, None)


def _sections(routine: Routine, ticking: _Ticking | None) -> None:
    for section in routine.sections:
        st.subheader(md_escape(section.title), anchor=False)
        if ticking is not None:
            _tick_all_button(routine, section, ticking)
        for exercise in section.exercises:
            exercise_card(routine, section, exercise, ticking)


def _tick_all_button(routine: Routine, section: Section, ticking: _Ticking) -> None:
    keys = [item.key for ex in section.exercises for item in exercise_items(section, ex)]
    st.button(
        f"☑️ Tick all in {md_escape(section.title)}",
        key=f"hd-tick-all:{section.id}",
        type="tertiary",
        disabled=all(ticking.state.get(k) for k in keys),
        on_click=changes.apply,
        args=(ticking.log, routine.id, ticking.day, [(k, True) for k in keys], ticking.state),
    )


def exercise_card(
    routine: Routine, section: Section, exercise: Exercise, ticking: _Ticking | None
) -> None:
    items = exercise_items(section, exercise)
    all_done = ticking is not None and all(ticking.state.get(item.key) for item in items)
    with st.container(border=True, key=f"card-{section.id}-{exercise.id}"):
        if exercise.steps:
            mark = "✅ " if all_done else ""
            st.markdown(f"{mark}**{md_escape(exercise.title)}**")
        details = _details(exercise)
        if details and exercise.steps:
            st.caption(details)
        with st.container(key=f"ticks-{section.id}-{exercise.id}", gap=None):
            for item in items:
                _tick_box(routine, item, ticking)
        if details and not exercise.steps:
            st.caption(details)
        seconds = exercise.hold_seconds or dose_hold_seconds(exercise.dose)
        if seconds and ticking is not None:
            hold_timer(seconds, key=f"hold:{routine.id}:{section.id}/{exercise.id}")
        if exercise.image:
            st.caption(f"🖼️ {md_escape(exercise.image)}")
        if exercise.links:
            st.markdown(" · ".join(f"{md_link(ln.title, ln.url)} ↗" for ln in exercise.links))
        if exercise.video:
            key = f"{routine.id}:{section.id}/{exercise.id}"
            if ticking is None:
                video_player(exercise.video, f"preview-watch:{key}", enabled=False)
            else:
                video_player(exercise.video, f"watch:{key}")


def _tick_box(routine: Routine, item: Item, ticking: _Ticking | None) -> None:
    label = md_escape(item.title)
    if ticking is None:
        st.checkbox(label, key=f"preview:{routine.id}:{item.key}", disabled=True, width="stretch")
    else:
        key = tick_key(routine.id, ticking.day, item.key)
        st.session_state[key] = bool(ticking.state.get(item.key))
        st.checkbox(
            label,
            key=key,
            on_change=_save_tick,
            args=(ticking.log, routine.id, ticking.day, item.key, ticking.state),
            width="stretch",
        )
        if ticking.error and ticking.error[0] == item.key:
            st.error("This tick was not saved.", icon="❌")
    if item.step and item.step.notes:
        st.caption(md_escape(item.step.notes))


def _details(exercise: Exercise) -> str:
    """Dose · hold · (notes); a hold the dose's words already say ("3 × 20 s") is not
    repeated."""
    hold = exercise.hold_seconds
    said = hold is not None and dose.parse(exercise.dose).hold_seconds == hold
    parts = [exercise.dose, f"hold {dose.duration(hold)}" if hold and not said else ""]
    parts.append(f"({exercise.notes})" if exercise.notes else "")
    return " · ".join(md_escape(p) for p in parts if p)


def video_player(video: Video, key: str, enabled: bool = True) -> None:
    """A 'Watch' toggle; only when it is on is the nocookie player loaded, at the start time."""
    label = f"Watch: {md_escape(video.title)}" if video.title else "Watch the video"
    if st.toggle(label, key=key, disabled=not enabled) and enabled:
        st.iframe(video.embed_url, height=PLAYER_HEIGHT)
        if video.description:
            st.caption(md_escape(video.description))
        st.markdown(md_link("Open on YouTube ↗", video.watch_url))
