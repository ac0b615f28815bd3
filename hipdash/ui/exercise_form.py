"""The editor's form for one exercise: title, section, dose and its numbers, optional,
notes, video, links and steps; Up/Down and Remove beside it.

The video is a link checked by `youtube.parse` and a title typed by the person: the
page shows that title as the preview, never a thumbnail and never a fetch.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from hipdash import config, dose
from hipdash.library import edits as ed
from hipdash.log import CheckoffLog
from hipdash.markup import md_escape
from hipdash.models import Exercise, Routine, Section, Video, exercise_items
from hipdash.services import checkoffs
from hipdash.store import StoreWriteError
from hipdash.ui import session
from hipdash.ui.edit_target import (
    Target,
    button,
    choose,
    confirm_remove,
    on_click_save,
    opened,
    save,
    signature,
)
from hipdash.words import plural

NUMBER_LABELS = {
    "sets": "Sets",
    "reps": "Reps",
    "sides": "Sides (2: each side)",
    "hold_seconds": "Hold (seconds)",
    "rest_seconds": "Rest (seconds)",
}


def panel(target: Target, section_id: str, exercise_id: str) -> None:
    routine = target.routine
    try:
        exercise = ed.find_exercise(routine, section_id, exercise_id)
    except ed.EditError:
        st.info("That exercise is no longer in the routine (changed elsewhere?).")
        return
    section = next(s for s in routine.sections if s.id == section_id)
    _move_buttons(target, section, exercise)
    _form(target, routine, section, exercise)
    with st.expander("Remove this exercise"):
        confirm_remove(
            target,
            f"ex-{section.id}-{exercise.id}",
            f"Remove “{exercise.title}” from {section.title}",
            lambda r, used: ed.remove_exercise(r, section.id, exercise.id),
            f"Removed {exercise.title}; its ticks stay in the log.",
            then="routine",
        )


def _move_buttons(target: Target, section: Section, exercise: Exercise) -> None:
    ids = [ex.id for ex in section.exercises]
    at = ids.index(exercise.id)
    with st.container(horizontal=True, key="hd-ex-move"):
        for label, delta, disabled in (("Up", -1, at == 0), ("Down", 1, at == len(ids) - 1)):
            st.button(
                label,
                key=f"{target.key}-ex-{section.id}-{exercise.id}-{delta}",
                disabled=disabled,
                width="stretch",
                on_click=on_click_save,
                args=(
                    target,
                    lambda r, used, d=delta: ed.move_exercise(r, section.id, exercise.id, d),
                    f"Moved {exercise.title} {'up' if delta < 0 else 'down'} in {section.title}.",
                ),
            )


def _numbers(exercise: Exercise) -> dict:
    """Sets, reps, sides, hold and rest in one row, each within the loader's limits; an
    empty one shows what the dose's words give it."""
    values = {}
    # Just the number, in grey: on a phone two fields share a row, and "30 (dose)" was cut.
    shown = {n: str(v) for n, v in vars(dose.parse(exercise.dose)).items() if v is not None}
    rest = ""
    if dose.timed_rest(exercise.amounts) is not None and "rest_seconds" not in shown:
        shown["rest_seconds"] = str(dose.DEFAULT_REST_SECONDS)
        rest = f" (a rest they do not state: {dose.DEFAULT_REST_SECONDS} s)"
    with st.container(horizontal=True, key="hd-ex-numbers"):
        for name, label in NUMBER_LABELS.items():
            low, high = dose.LIMITS[name]
            values[name] = st.number_input(
                label,
                low,
                high,
                value=getattr(exercise, name),
                step=1,
                placeholder=shown.get(name, "none"),  # "—" beside "−" read as "— − +"
            )
    st.caption(
        f"{md_escape(runs(exercise))} A number in grey comes from the dose's words{rest}; "
        "new words bring the numbers they state once saved, and a number you type is kept."
    )
    if clash := clashes(exercise):
        st.warning(md_escape(clash), icon="⚠️")
    return values


def runs(exercise: Exercise) -> str:
    """What a guided session will time for it."""
    said = dose.runs_as(exercise.amounts)
    if said:
        return f"Runs as {said}."
    return "No timer: its dose states no numbers." if exercise.dose_stated else "No dose yet."


def dose_placeholder(exercise: Exercise) -> str:
    """What an empty Dose field says in grey: the dose its numbers make, as Today words it
    (numbers without words: a Dataview field, set ticks, a heading's sets), else an example.
    Never its value: the words are the person's, never rewritten from the numbers."""
    said = "" if exercise.dose else dose.describe(exercise.explicit)
    return f"{said} (from its numbers below)" if said else "e.g. 3 × 20 s each side"


def clashes(exercise: Exercise) -> str:
    """Where its numbers overrule its words, or ''."""
    said = [
        f"{name.removesuffix('_seconds')} {_amount(name, mine)}, not the dose's "
        f"{_amount(name, words)}"
        for name, mine, words in exercise.explicit.against(exercise.dose)
    ]
    return f"The numbers win: {'; '.join(said)}." if said else ""


def _amount(name: str, value: int) -> str:
    return dose.duration(value) if name.endswith("_seconds") else str(value)


def _form(target: Target, routine: Routine, section: Section, now: Exercise) -> None:
    titles = {s.id: s.title for s in routine.sections}
    form = f"ex-{section.id}-{now.id}"
    exercise = opened(target, form, now)
    with st.form(f"{target.key}-{form}-{signature(exercise)}"):
        title = st.text_input("Title", exercise.title, max_chars=300)
        moved_to = st.selectbox(
            "Section",
            list(titles),
            index=list(titles).index(section.id),
            format_func=titles.get,
        )
        st.caption("Moved to another section, it takes its earlier ticks along.")
        values = {
            "dose": st.text_input(
                "Dose", exercise.dose, max_chars=200, placeholder=dose_placeholder(exercise)
            )
        }
        values.update(_numbers(exercise))
        values["optional"] = st.checkbox(
            "Optional: shown and tickable, not counted toward a session", exercise.optional
        )
        values["notes"] = st.text_area("Notes", exercise.notes, max_chars=5000, height=90)
        video = exercise.video
        url = st.text_input(
            "YouTube link",
            video.url if video else "",
            max_chars=500,
            placeholder="https://youtu.be/…",
        )
        video_title = st.text_input(
            "Video title (shown on its Watch button)", video.title if video else "", max_chars=300
        )
        video_preview(video)
        links = st.text_area(
            "Links, one a line: a title, then the link",
            ed.links_text(exercise.links),
            max_chars=5000,
            height=80,
        )
        steps = _step_fields(exercise)
        saved = st.form_submit_button(**button(target, "Save exercise"), width="stretch")
    if not saved:
        return
    try:
        values["title"] = title
        values["video"] = ed.video_from(url, video_title, video)
        values["links"] = ed.links_from(links)
        typed = dose.Dose(*(int(values[n]) if values[n] is not None else None for n in dose.FIELDS))
    except ed.EditError as exc:
        st.error(f"**Not saved.** {md_escape(str(exc))}", icon="❌")
        return
    kept = dose.edited(exercise.dose, exercise.explicit, values["dose"], typed)
    values.update({n: getattr(kept, n) for n in dose.FIELDS})
    changes = ed.changed_fields(exercise, replace(exercise, **values))
    _save(target, section, exercise, changes, steps, moved_to, form)


def _save(target, section, exercise, changes, steps, moved_to, form) -> None:
    placed = {}  # the id the move gave it (set when the edit is applied, under the lock)

    def edit(r: Routine, used) -> Routine:
        r = ed.change_exercise(r, section.id, exercise.id, changes)
        if steps:
            r = ed.change_steps(r, section.id, exercise.id, steps, used)
        if moved_to != section.id:
            r, placed["id"] = ed.move_to_section(r, section.id, exercise.id, moved_to, used)
            choose(target, f"ex:{moved_to}/{placed['id']}")
        return r

    title = changes.get("title", exercise.title)
    moved = not target.draft and moved_to != section.id
    carry = _carry(section, exercise, moved_to, placed) if moved else None
    dosed = {"dose", *dose.FIELDS} & set(changes)

    def after(saved: Routine) -> str:
        said = carry(saved) if carry else ""
        if dosed:
            now = ed.find_exercise(saved, moved_to, placed.get("id", exercise.id))
            said = " ".join(filter(None, (runs(now), clashes(now), said)))
        return said

    save(target, edit, f"Saved {title}.", form, after)


def _carry(section: Section, exercise: Exercise, moved_to: str, placed: dict):
    """After a move to another section the log names the exercise by a new key, so its
    earlier ticks are carried over to that key (appended; the old rows stay)."""

    def after(saved: Routine) -> str:
        was, moved = f"{section.id}/{exercise.id}", f"{moved_to}/{placed['id']}"
        items = [item.key for item in exercise_items(section, exercise)]
        log = CheckoffLog(config.checkoffs_path())
        try:
            carried = checkoffs.carry_moved(log, saved, was, moved, items, session.now())
        except StoreWriteError as exc:
            return f"Its earlier ticks could not be carried over ({exc}); they stay in the log."
        return f"{plural(carried, 'earlier tick')} came with it." if carried else ""

    return after


def _step_fields(exercise: Exercise) -> ed.StepChanges:
    """A title, notes and a Remove box per step, and one empty row to add a step."""
    st.markdown("**Steps** (each one gets its own box on Today)")
    renamed: dict[str, tuple[str, str]] = {}
    removed = set()
    for n, step in enumerate(exercise.steps, start=1):
        with st.container(border=True):
            title = st.text_input(f"Step {n}", step.title, max_chars=300)
            notes = st.text_input(f"Step {n} notes", step.notes, max_chars=1000)
            if st.checkbox(f"Remove step {n}", key=None):
                removed.add(step.id)
        if (title.strip(), notes.strip()) != (step.title, step.notes):
            renamed[step.id] = (title, notes)
    new_title = st.text_input("New step", max_chars=300, placeholder="add a step")
    added = ((new_title, ""),) if new_title.strip() else ()
    return ed.StepChanges(renamed, frozenset(removed), added)


def video_preview(video: Video | None) -> None:
    """The video as Today will name it: its title and where it starts; nothing is loaded."""
    if video is None:
        st.caption("No video yet: paste a YouTube link above.")
        return
    title = md_escape(video.title) if video.title else "Watch the video"
    start = f" · starts at {dose.duration(video.start)}" if video.start else ""
    st.caption(f"Saved: video **{title}** · YouTube {md_escape(video.video_id)}{start}")
