"""The routine editor: one routine, one thing at a time (its title and target, its
sections, one exercise), each in a form with its own Save.

The same editor edits a saved routine (every Save writes it through `hipdash.library`,
applied to the routine as it is on disk then) and an import before it is saved (every
Save changes the draft kept in the session). Only what a form changed is applied, so a
change made meanwhile on another device to something else is kept.
"""

from __future__ import annotations

import streamlit as st

from hipdash import dose
from hipdash.library import LibraryError
from hipdash.library import edits as ed
from hipdash.markup import md_escape
from hipdash.models import Exercise, Routine, Schedule
from hipdash.ui import exercise_form
from hipdash.ui.edit_target import (
    Target,
    button,
    choose,
    confirm_remove,
    flash,
    on_click_save,
    opened,
    save,
    show_flash,
    signature,
)
from hipdash.words import plural


def editor(target: Target, extra: tuple[tuple[str, str], ...] = ()) -> str:
    """The select box of what to edit, then that one form. `extra` adds (value, label)
    options that the caller draws itself; the chosen value is returned."""
    routine = target.routine
    options: dict[str, str] = {
        "routine": "Title, summary and target",
        "sections": "Sections: order, names, add, remove",
    }
    for section in routine.sections:
        for ex in section.exercises:
            options[f"ex:{section.id}/{ex.id}"] = f"{section.title} › {ex.title}"
    options["add"] = "Add an exercise"
    options.update(extra)
    key = f"{target.key}-what"
    pending = st.session_state.pop(f"{target.key}-next", None)
    if pending in options:
        st.session_state[key] = pending
    if st.session_state.get(key) not in options:
        if key in st.session_state:
            st.info("What you had open is no longer in the routine (changed elsewhere?).")
        st.session_state[key] = "routine"
    choice = st.selectbox("Edit", list(options), format_func=options.get, key=key)
    if st.session_state.get(f"{target.key}-last") != choice:  # a form left is forgotten
        st.session_state[f"{target.key}-last"] = choice
        for name in [k for k in st.session_state if str(k).startswith(f"{target.key}-opened-")]:
            del st.session_state[name]
    show_flash()
    if choice == "routine":
        routine_form(target)
    elif choice == "sections":
        sections_panel(target)
    elif choice == "add":
        add_form(target)
    elif choice.startswith("ex:"):
        section_id, exercise_id = choice[3:].split("/", 1)
        exercise_form.panel(target, section_id, exercise_id)
    return choice


def routine_form(target: Target) -> None:
    now = target.routine
    base = opened(target, "routine", (now.title, now.summary, now.schedule, now.links))
    title0, summary0, schedule0, links0 = base
    with st.form(f"{target.key}-routine-{signature(base)}"):
        title = st.text_input("Title", title0, max_chars=200)
        summary = st.text_area("Summary", summary0, max_chars=5000, height=120)
        per_week = st.number_input(
            "Target: sessions a week",
            *Schedule.PER_WEEK,
            value=schedule0.sessions_per_week,
            step=1,
        )
        minutes = st.number_input(
            "Minutes a session (empty: not stated)",
            *Schedule.MINUTES,
            value=schedule0.minutes,
            step=5,
            placeholder="not stated",
        )
        links = st.text_area(
            "The routine's links (a follow-along video, a sheet), one a line: a title, then "
            "the link",
            ed.links_text(links0),
            max_chars=5000,
            height=80,
        )
        saved = st.form_submit_button(**button(target), width="stretch")
    if not saved:
        return
    try:
        new_links = ed.links_from(links)
    except ed.EditError as exc:
        st.error(f"**Not saved.** {md_escape(str(exc))}", icon="❌")
        return
    after = (title, summary.strip(), Schedule(int(per_week), int(minutes) if minutes else None))
    names = ("title", "summary", "schedule", "links")
    changes = {k: v for k, v, was in zip(names, (*after, new_links), base, strict=True) if v != was}
    edit = lambda r, used: ed.change_routine(r, changes)  # noqa: E731
    save(target, edit, "Saved the title, target and links.", "routine")


def sections_panel(target: Target) -> None:
    """Each section with Up/Down; then rename or remove one; then add one."""
    routine = target.routine
    for i, section in enumerate(routine.sections):
        with st.container(
            border=True, horizontal=True, vertical_alignment="center", key=f"hd-sec-{i}"
        ):
            n = len(section.exercises)
            st.markdown(
                f"**{md_escape(section.title)}** · {plural(n, 'exercise')}",
                width="stretch",
            )
            for label, delta, disabled in (
                ("Up", -1, i == 0),
                ("Down", 1, i == len(routine.sections) - 1),
            ):
                st.button(
                    label,
                    key=f"{target.key}-sec-{section.id}-{delta}",
                    disabled=disabled,
                    on_click=on_click_save,
                    args=(
                        target,
                        lambda r, used, s=section.id, d=delta: ed.move_section(r, s, d),
                        f"Moved {section.title} {'up' if delta < 0 else 'down'}.",
                    ),
                )
    _section_form(target)
    _add_section(target)


SECTION_LABELS = {
    "rounds": "Rounds (2 or more: a circuit, each exercise in turn, round after round)",
    "rest_seconds": "Rest between its exercises (seconds)",
}


def _section_form(target: Target) -> None:
    """Rename a section, make it a circuit of rounds and set the rest between exercises."""
    routine = target.routine
    st.markdown("**Change or remove a section**")
    titles = {s.id: s.title for s in routine.sections}
    section_id = st.selectbox(
        "Section", list(titles), format_func=titles.get, key=f"{target.key}-sec-pick"
    )
    section = next(s for s in routine.sections if s.id == section_id)
    form = f"sec-{section_id}"
    base = opened(target, form, (section.title, section.rounds, section.rest_seconds))
    with st.form(f"{target.key}-sec-form-{section_id}-{signature(base)}"):
        typed = [st.text_input("Title", base[0], max_chars=200)]
        for name, value in zip(dose.SECTION_FIELDS, base[1:], strict=True):
            low, high = dose.SECTION_LIMITS[name]
            number = st.number_input(
                SECTION_LABELS[name], low, high, value=value, step=1, placeholder="none"
            )
            typed.append(None if number is None else int(number))
        saved = st.form_submit_button(**button(target), width="stretch")
    if saved:
        changes = {
            k: v for k, v, was in zip(ed.SECTION_EDITS, typed, base, strict=True) if v != was
        }
        save(
            target,
            lambda r, used: ed.change_section(r, section_id, changes),
            f"Saved the section {str(typed[0]).strip()}.",
            form,
        )
    with st.expander("Remove this section"):
        confirm_remove(
            target,
            f"sec-{section.id}",
            f"Remove the section {section.title} and its {len(section.exercises)} exercises",
            lambda r, used: ed.remove_section(r, section.id),
            f"Removed {section.title}; its ticks stay in the log.",
        )


def _add_section(target: Target) -> None:
    st.markdown("**Add a section**")
    with st.form(f"{target.key}-sec-add", clear_on_submit=True):
        title = st.text_input("Section title", max_chars=200)
        first = st.text_input("Its first exercise", max_chars=200)
        added = st.form_submit_button("Add section", type="primary", width="stretch")
    if added:
        save(
            target,
            lambda r, used: ed.add_section(r, title, first, used),
            f"Added the section {title.strip()}.",
        )


def add_form(target: Target) -> None:
    routine = target.routine
    titles = {s.id: s.title for s in routine.sections}
    with st.form(f"{target.key}-ex-add", clear_on_submit=True):
        section_id = st.selectbox("Section", list(titles), format_func=titles.get)
        title = st.text_input("Title", max_chars=200)
        dose = st.text_input("Dose", max_chars=200, placeholder="e.g. 3 × 20 s each side")
        added = st.form_submit_button("Add exercise", type="primary", width="stretch")
    if not added:
        return
    made: dict[str, str] = {}

    def edit(r: Routine, used) -> Routine:
        new, made["id"] = ed.add_exercise(
            r, section_id, Exercise("", title, dose=dose.strip()), used
        )
        return new

    try:
        target.apply(edit)
    except LibraryError as exc:
        st.error(f"**Not saved.** {md_escape(str(exc))}", icon="❌")
        return
    choose(target, f"ex:{section_id}/{made['id']}")
    flash("success", f"Added {title.strip()}: fill in the rest here.")
    st.rerun()
