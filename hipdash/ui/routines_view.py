"""The Routines page: the saved routines, and importing one from an uploaded note.

A note comes in only as an upload (never a path typed into the page: that would
let anyone who can reach the page read files on this machine). It is parsed,
previewed with the Today cards (read-only) and its warnings, and saved only on
an explicit click; replacing a saved routine takes a second, explicit "Replace".
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from hipdash import importing, ui
from hipdash.importing import ImportPlan, ImportRefused, plan_import, save
from hipdash.models import Routine
from hipdash.text import MAX_FILE_BYTES, MAX_FILE_MB, md_escape, plural
from hipdash.ui import preview

UPLOAD_KEY = "hd_note_upload"
_NONCE = "hd_upload_nonce"  # a new uploader (empty) after each save
_SAVED = "hd_import_saved"
_FAILED = "hd_import_failed"


def counts(routine: Routine) -> str:
    return " · ".join(importing.counts(routine))


def routine_list(routines: list[Routine]) -> None:
    if not routines:
        st.info("No routines yet: import one from a note below.")
    for routine in routines:
        with st.container(border=True, key=f"routine-{routine.id}"):
            st.markdown(f"**{md_escape(routine.title)}**")
            about = [routine.schedule.summary, counts(routine)]
            if routine.source:
                about.append(f"from {routine.source}")
            st.caption(" · ".join(md_escape(a) for a in about))


def import_panel(routines_dir: Path) -> None:
    st.subheader("Import a routine from a note", anchor=False)
    st.caption(
        f"Upload a markdown note (up to {MAX_FILE_MB} MB), such as one from Obsidian: "
        "headings become sections, list items exercises, nested items their steps. It is read "
        "here, on this computer; nothing is saved until you press Save."
    )
    saved = st.session_state.pop(_SAVED, None)
    if saved:
        st.success(md_escape(saved), icon="✅")
        st.page_link("pages/today.py", label="Open it on Today", icon="➡️")
    failed = st.session_state.pop(_FAILED, None)
    if failed:
        st.error(f"**Not saved.** {md_escape(failed)}", icon="❌")
    nonce = st.session_state.get(_NONCE, 0)
    upload = st.file_uploader(
        "Markdown note",
        type=["md", "markdown", "txt"],
        key=f"{UPLOAD_KEY}-{nonce}",
        max_upload_size=MAX_FILE_MB,
    )
    if upload is None:
        return
    if upload.size > MAX_FILE_BYTES:  # before reading a byte of it
        st.error(
            f"{md_escape(upload.name)} is too large ({upload.size:,} bytes); a note can be at "
            f"most {MAX_FILE_MB} MB. Nothing was saved.",
            icon="❌",
        )
        return
    try:
        plan = plan_import(upload.getvalue(), upload.name, routines_dir, _kept(nonce))
    except ImportRefused as exc:
        st.error(f"{md_escape(str(exc))}. Nothing was saved.", icon="❌")
        return
    _plan_view(plan, nonce)


_KEEP = "hd_keep"  # + f"-{nonce}-{index}": keep that list left out


def _kept(nonce: int) -> list[int]:
    """The lists left out that this upload's boxes say to keep."""
    prefix = f"{_KEEP}-{nonce}-"
    return [
        int(k[len(prefix) :]) for k, v in st.session_state.items() if k.startswith(prefix) and v
    ]


def _left_out_choices(plan: ImportPlan, nonce: int) -> None:
    """Each list left out of the routine (notes, equipment, …), unticked, with its reason."""
    if not plan.left_out:
        return
    n = len(plan.left_out)
    st.markdown(f"**{plural(n, 'list')} left out**, not exercises by the look of them:")
    with st.container(key="hd-keep-lists", gap=None):
        for index, left in enumerate(plan.left_out):
            label = f"Keep “{left.title}” ({plural(left.items, 'item')}, line {left.line}): "
            label += left.reason
            st.checkbox(md_escape(label), key=f"{_KEEP}-{nonce}-{index}", width="stretch")


def _plan_view(plan: ImportPlan, nonce: int) -> None:
    routine = plan.routine
    st.markdown(f"**{md_escape(routine.title)}** · {md_escape(counts(routine))}")
    if plan.warnings:
        n = len(plan.warnings)
        label = f"⚠️ {plural(n, 'warning')}: parts of the note that were not imported"
        with st.expander(label, expanded=True):
            st.markdown("\n".join(f"- {md_escape(str(w))}" for w in plan.warnings))
    _left_out_choices(plan, nonce)
    if plan.refusal:
        st.error(f"**This note cannot be saved:** {md_escape(plan.refusal)}.", icon="❌")
    elif plan.replaces:
        _replace_controls(plan, nonce)
    else:
        st.button(
            "Save routine", type="primary", key="hd_import_save", on_click=_save, args=(plan, False)
        )
    st.divider()
    st.caption("Preview: how it will look on Today")
    st.header(md_escape(routine.title), anchor=False)
    st.caption(md_escape(routine.schedule.summary))
    ui.routine_links(routine)
    preview.preview_view(routine)


def _replace_controls(plan: ImportPlan, nonce: int) -> None:
    old = plan.existing
    what = f"“{old.title}”" if old else "a file that is not a valid routine"
    st.warning(
        f"**{md_escape(plan.target.name)} already exists** ({md_escape(what)}). Replacing it "
        "keeps the ids of the exercises still in the note, so their history stays.",
        icon="⚠️",
    )
    if old is not None:
        lines = [f"- added: {md_escape(a)}" for a in plan.changes.added]
        lines += [
            f"- removed: {md_escape(r)} (its history stays in the log)"
            for r in plan.changes.removed
        ]
        lines += [f"- changed: {md_escape(c)}" for c in plan.changes.changed]
        st.markdown("\n".join(lines) if lines else "No changes.")
    confirm = st.checkbox(
        f"Replace {md_escape(plan.target.name)} with this note", key=f"hd_replace_ok-{nonce}"
    )
    st.button(
        "Replace",
        type="primary",
        key="hd_import_replace",
        disabled=not confirm,
        on_click=_save,
        args=(plan, True),
    )


def _save(plan: ImportPlan, replace: bool) -> None:
    """on_click: write the routine; the next run shows the result and an empty uploader."""
    try:
        path = save(plan, replace=replace)
    except ImportRefused as exc:
        st.session_state[_FAILED] = str(exc)
        return
    st.session_state[_SAVED] = f"Saved “{plan.routine.title}” as {path.name}."
    st.session_state[_NONCE] = st.session_state.get(_NONCE, 0) + 1
    st.session_state["hd_routine_choice"] = plan.routine.id  # Today opens on it
