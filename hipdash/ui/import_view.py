"""The Routines page's Import tab: upload a note, see what it makes, leave parts out with
one tap, fix titles and the target in the same editor as a saved routine, then save.

A note comes in only as an upload (never a path typed into the page: that would let
anyone who can reach the page read files on this machine). The draft lives in the
session until Save; replacing a routine of the person's takes a second, explicit
"Replace" (a bundled example of the same id is not theirs: Save sets it aside), and is
refused if that routine changed since the preview was made.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

import streamlit as st

from hipdash import config, library, ui
from hipdash.importing import (
    MAX_NOTE_BYTES,
    MAX_NOTE_ITEMS,
    MAX_NOTE_KB,
    ImportPlan,
    ImportRefused,
    LeftOut,
)
from hipdash.importing.build import left_out_spots
from hipdash.importing.reimport import compare
from hipdash.library import LibraryError
from hipdash.library.edits import Draft, EditError, keys_of
from hipdash.library.save import Edit, checked, history_keys
from hipdash.markup import md_escape, md_list
from hipdash.models import Exercise, Routine, Schedule
from hipdash.ui import a11y, editor, keys
from hipdash.ui.edit_target import Target
from hipdash.ui.routines_view import change_lines, counts
from hipdash.words import plural


@dataclass(frozen=True)
class Pending:
    """An upload being imported: its plan (made once, with every list the importer left out
    put back) and the person's draft of it, those lists left out again unless the routine
    it replaces has them; `left_out`: section id -> why the importer left it out."""

    digest: str
    plan: ImportPlan
    draft: Draft
    left_out: dict[str, LeftOut]


def import_panel() -> None:
    st.caption(
        f"Upload a markdown note (up to {MAX_NOTE_KB} KB and {MAX_NOTE_ITEMS} list items), "
        "such as one from Obsidian: "
        "headings become sections, list items exercises, nested items their steps. It is read "
        "by hipdash, on the computer it runs on; nothing is saved until you press Save."
    )
    saved = st.session_state.pop(keys.IMPORT_SAVED, None)
    if saved:
        st.success(md_escape(saved), icon="✅")
        st.page_link("pages/today.py", label="Open it on Today", icon="✅")
    failed = st.session_state.pop(keys.IMPORT_FAILED, None)
    if failed:
        st.error(f"**Not saved.** {md_escape(failed)}", icon="❌")
    nonce = st.session_state.get(keys.IMPORT_NONCE, 0)
    a11y.uploader_role()
    upload = st.file_uploader(
        "Markdown note",
        type=["md", "markdown", "txt"],
        key=f"{keys.NOTE_UPLOAD}-{nonce}",
        max_upload_size=1,  # MB, Streamlit's smallest; the note's own limit is checked below
    )
    # Streamlit's line with its 1 MB is hidden (style.css): this is the limit the person reads.
    a11y.upload_limit(
        f"A .md, .markdown or .txt note of at most {MAX_NOTE_KB} KB",
        "A larger one is refused; a much larger one is not even sent, only marked with a red “!”.",
    )
    if upload is None:
        st.session_state.pop(keys.IMPORT_PENDING, None)
        return
    if upload.size > MAX_NOTE_BYTES:  # before reading a byte of it
        st.error(
            f"{md_escape(upload.name)} is {-(-upload.size // 1024):,} KB; a note can be at most "
            f"{MAX_NOTE_KB} KB. Nothing was saved.",
            icon="❌",
        )
        return
    pending = _pending(upload.getvalue(), upload.name)
    if pending is not None:
        _preview(pending, nonce)


def _pending(raw: bytes, name: str) -> Pending | None:
    """The draft of this upload: made once, kept while the person edits it."""
    digest = hashlib.sha256(raw).hexdigest()
    pending = st.session_state.get(keys.IMPORT_PENDING)
    if pending is not None and pending.digest == digest:
        return pending
    try:
        plan = library.plan_note(raw, name, config.data_dir(), config.routines_dir(), "all")
    except ImportRefused as exc:
        st.error(f"{md_escape(str(exc))}. Nothing was saved.", icon="❌")
        return None
    left = left_out_sections(plan)
    had = {s.id for s in plan.existing.sections} if plan.existing else set()
    pending = Pending(digest, plan, Draft(plan.routine, frozenset(set(left) - had)), left)
    st.session_state[keys.IMPORT_PENDING] = pending
    return pending


def _preview(pending: Pending, nonce: int) -> None:
    plan, draft = pending.plan, pending.draft
    try:
        result: Routine | None = draft.result()
    except EditError as exc:
        result = None
        st.warning(md_escape(str(exc)), icon="⚠️")
    shown = result or draft.routine
    st.markdown(f"**{md_escape(shown.title)}** · {md_escape(counts(shown))}")
    if plan.warnings:
        n = len(plan.warnings)
        label = f"{plural(n, 'warning')}: parts of the note that were not imported"
        with st.expander(label, expanded=True):
            st.markdown(md_list(plan.warnings))
    if plan.decisions:
        n = len(plan.decisions)
        verb = "was" if n == 1 else "were"
        with st.expander(f"How {plural(n, 'line')} of the note {verb} read", expanded=n <= 3):
            st.markdown(md_list(plan.decisions))
    if plan.refusal:
        st.error(f"**This note cannot be saved:** {md_escape(plan.refusal)}.", icon="❌")
        return
    if not plan.target_stated:
        _ask_target(pending, nonce)
    ui.routine_links(result or draft.routine)
    st.subheader("What to import", anchor=False)
    st.caption("Untick a section or an exercise to leave it out.")
    if pending.left_out:
        n = len(pending.left_out)
        st.caption(
            f"{plural(n, 'list')} of the note left out, not exercises by the look of them: "
            "tick one to keep it."
        )
    _include_boxes(pending, nonce)
    st.subheader("Change before saving (optional)", anchor=False)
    editor.editor(_draft_target(pending, nonce))
    st.divider()
    if result is not None:
        _save_controls(plan, result, nonce)


def _ask_target(pending: Pending, nonce: int) -> None:
    """The note does not say how often: ask, rather than claim 3 a week."""
    key = f"hd-imp-target-{nonce}"
    st.number_input(
        "How many sessions a week? The note does not say.",
        *Schedule.PER_WEEK,
        value=pending.draft.routine.schedule.sessions_per_week,
        step=1,
        key=key,
        on_change=_set_target,
        args=(key,),
    )


def _set_target(key: str) -> None:
    pending = st.session_state.get(keys.IMPORT_PENDING)
    if pending is None:
        return
    routine = pending.draft.routine
    schedule = replace(routine.schedule, sessions_per_week=int(st.session_state[key]))
    draft = pending.draft.edited(replace(routine, schedule=schedule))
    st.session_state[keys.IMPORT_PENDING] = replace(pending, draft=draft)


def left_out_sections(plan: ImportPlan) -> dict[str, LeftOut]:
    """Which sections of a plan made with every list kept are the lists the importer left
    out (by section id)."""
    spots = left_out_spots(len(plan.routine.sections), plan.left_out)
    return {plan.routine.sections[at].id: left for at, left in spots.items()}


def _include_boxes(pending: Pending, nonce: int) -> None:
    """A box per section and per exercise: ticked is kept, one tap leaves it out. A list the
    importer left out comes unticked, with its reason."""
    draft = pending.draft
    with st.container(key="hd-include", gap=None):
        for section in draft.routine.sections:
            section_kept = section.id not in draft.dropped
            left = pending.left_out.get(section.id)
            label = f"**{md_escape(section.title)}**"
            if left is not None:
                label = md_escape(
                    f"Keep “{section.title}” ({plural(left.items, 'item')}, line {left.line}): "
                    f"{left.reason}"
                )
            st.checkbox(
                label,
                value=section_kept,
                key=f"hd-inc-{nonce}-{section.id}",
                on_change=_toggle,
                args=(section.id, f"hd-inc-{nonce}-{section.id}"),
            )
            for ex in section.exercises:
                key = f"{keys.INCLUDE_EXERCISE}{nonce}-{section.id}--{ex.id}"
                if not section_kept:  # shown, unticked, until its section is kept
                    st.checkbox(_exercise_label(ex), False, key=f"{key}--off", disabled=True)
                    continue
                st.checkbox(
                    _exercise_label(ex),
                    value=f"{section.id}/{ex.id}" not in draft.dropped,
                    key=key,
                    on_change=_toggle,
                    args=(f"{section.id}/{ex.id}", key),
                )


def _exercise_label(ex: Exercise) -> str:
    parts = [ex.title]
    if ex.dose_text:  # as Today words it: numbers without words say what they run
        parts.append(ex.dose_text)
    if ex.steps:
        parts.append(plural(len(ex.steps), "step"))
    if ex.video:
        parts.append("video: " + (ex.video.title or "untitled"))
    if ex.optional:
        parts.append("optional")
    return " · ".join(md_escape(p) for p in parts)


def _toggle(draft_key: str, widget_key: str) -> None:
    pending = st.session_state.get(keys.IMPORT_PENDING)
    if pending is not None:
        draft = pending.draft.keep(draft_key, bool(st.session_state[widget_key]))
        st.session_state[keys.IMPORT_PENDING] = replace(pending, draft=draft)


def _draft_target(pending: Pending, nonce: int) -> Target:
    """Edits go to the draft in the session, checked like a save would check them."""
    routine_id = pending.draft.routine.id
    existing = pending.plan.existing

    def apply(edit: Edit) -> Routine:
        now = st.session_state[keys.IMPORT_PENDING]
        used = history_keys(config.data_dir(), routine_id) | keys_of(now.draft.routine)
        used |= keys_of(existing) if existing else frozenset()
        try:
            edited, _ = checked(edit(now.draft.routine, used), routine_id)
        except EditError as exc:
            raise LibraryError(str(exc)) from None
        st.session_state[keys.IMPORT_PENDING] = replace(now, draft=now.draft.edited(edited))
        return edited

    return Target(f"hd-imp-{nonce}", pending.draft.routine, apply, draft=True)


def _save_controls(plan: ImportPlan, result: Routine, nonce: int) -> None:
    if not plan.replaces:
        if plan.bundled and plan.existing is not None:
            _over_example(plan.existing, result)
        st.button(
            "Save routine", type="primary", key="hd_import_save", on_click=_save, width="stretch"
        )
        return
    old = plan.existing
    what = f"“{old.title}”" if old else "a file that is not a valid routine"
    st.warning(
        f"**You have a routine with this id** ({md_escape(what)}). Replacing it keeps the ids "
        "of the exercises still in the note, so their history stays; the version it replaces "
        "is kept under Previous versions.",
        icon="⚠️",
    )
    if old is not None:
        changes = compare(old, result)
        st.markdown(change_lines(changes, "adds") if changes else "No changes.")
    confirm = st.checkbox(
        f"Replace {md_escape(old.title if old else plan.target.name)} with this note",
        key=f"hd_replace_ok-{nonce}",
    )
    st.button(
        "Replace",
        type="primary",
        key="hd_import_replace",
        disabled=not confirm,
        on_click=_save,
        width="stretch",
    )


def _over_example(example: Routine, result: Routine) -> None:
    """Saving over a routine that came with hipdash: it becomes the person's own, and the
    example is set aside, not lost."""
    st.info(
        f"**This becomes your own routine.** It takes the place of “{md_escape(example.title)}”, "
        "the example that came with hipdash: saving sets the example aside (Previous "
        "versions keeps it), and the exercises that are in both keep their ticks.",
        icon="📋",
    )
    changes = compare(example, result)
    if changes:
        st.markdown("Compared with the example:\n\n" + change_lines(changes, "adds"))
    else:
        st.caption("The same exercises as the example.")


def _save() -> None:
    """on_click: write the draft's result; the next run shows the outcome and an empty uploader."""
    pending = st.session_state.get(keys.IMPORT_PENDING)
    if pending is None:
        return
    plan = pending.plan
    try:
        routine = pending.draft.result()
        path = library.save_routine(
            config.data_dir(), config.routines_dir(), routine, plan.existing, plan.replaces
        )
    except (EditError, LibraryError) as exc:
        st.session_state[keys.IMPORT_FAILED] = str(exc)
        return
    aside = " The example it replaces is kept under Previous versions." if plan.bundled else ""
    st.session_state[keys.IMPORT_SAVED] = f"Saved “{routine.title}” as {path.name}.{aside}"
    st.session_state[keys.IMPORT_NONCE] = st.session_state.get(keys.IMPORT_NONCE, 0) + 1
    st.session_state.pop(keys.IMPORT_PENDING, None)
    st.session_state[keys.ROUTINE_CHOICE] = routine.id  # Today opens on it
    st.session_state[keys.EDIT_ROUTINE] = routine.id
