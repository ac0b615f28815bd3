"""The read-only preview of a routine (the Routines page's import preview), drawn with
Streamlit's own widgets: boxes disabled and videos named, so nothing is saved and no
player is loaded. `video_player` is also the guided view's Watch panel."""

from __future__ import annotations

import streamlit as st

from hipdash.markup import md_escape, md_link, md_links
from hipdash.models import Exercise, Item, Routine, Section, Video, exercise_items
from hipdash.ui import keys

PLAYER_HEIGHT = 240


def preview_view(routine: Routine) -> None:
    """The routine's sections and cards, as they will look on Today."""
    for section in routine.sections:
        st.subheader(md_escape(section.title), anchor=False)
        for exercise in section.exercises:
            exercise_card(routine, section, exercise)


def exercise_card(routine: Routine, section: Section, exercise: Exercise) -> None:
    items = exercise_items(section, exercise)
    with st.container(border=True, key=f"card-{section.id}-{exercise.id}"):
        if exercise.steps:
            st.markdown(f"**{md_escape(exercise.title)}**")
        details = _details(exercise)
        if details and exercise.steps:
            st.caption(details)
        with st.container(key=f"{keys.PREVIEW_TICKS}{section.id}-{exercise.id}", gap=None):
            for item in items:
                _tick_box(routine, item)
        if details and not exercise.steps:
            st.caption(details)
        if exercise.image:
            st.caption(f"Image: {md_escape(exercise.image)}")
        if exercise.links:
            st.markdown(md_links(exercise.links, beside=exercise.title))
        if exercise.video:
            key = f"preview-watch:{routine.id}:{section.id}/{exercise.id}"
            video_player(exercise.video, key, enabled=False)


def _tick_box(routine: Routine, item: Item) -> None:
    label = md_escape(item.title)
    st.checkbox(label, key=f"preview:{routine.id}:{item.key}", disabled=True, width="stretch")
    if item.step and item.step.notes:
        st.caption(md_escape(item.step.notes))


def _details(exercise: Exercise) -> str:
    return md_escape(details_text(exercise))


def details_text(exercise: Exercise) -> str:
    """'3 × 20 s each side · (standing with support)': the dose and notes under a title."""
    parts = [exercise.dose_text, f"({exercise.notes})" if exercise.notes else ""]
    return " · ".join(p for p in parts if p)


def video_player(video: Video, key: str, enabled: bool = True) -> None:
    """'Watch', as on Today: a panel that loads the nocookie player (at its start time) only
    while it is open; closing it removes the player. Not `enabled` (a preview): its name."""
    label = f"Watch: {md_escape(video.title)}" if video.title else "Watch the video"
    if not enabled:
        st.caption(f"Video: {md_escape(video.title or video.video_id)}")
        return
    panel = st.expander(label, key=key, on_change="rerun")
    if not panel.open:
        return
    with panel:
        st.iframe(video.embed_url, height=PLAYER_HEIGHT)
        if video.description:
            st.caption(md_escape(video.description))
        st.markdown(md_link("Open on YouTube ↗", video.watch_url))
