"""The Routines page's first tab: your routines, one at a time in the editor, with its
previous versions, archive and delete, and the deleted ones to bring back.

Every button acts on the files as they are when it is pressed (`hipdash.library`); the
page then shows the result (another device may have changed something meanwhile).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from hipdash import config, importing, library
from hipdash.importing.reimport import compare
from hipdash.library import Entry, Library, LibraryError
from hipdash.markup import md_escape, md_list
from hipdash.models import Routine
from hipdash.ui import editor, follow_view, keys
from hipdash.ui.edit_target import Target, flash, show_flash


def counts(routine: Routine) -> str:
    return " · ".join(importing.counts(routine))


def about(entry: Entry) -> str:
    """'Target: 3 sessions a week · … · yours · from note.md', escaped."""
    routine = entry.routine
    whose = "bundled with the app"
    if entry.yours:
        whose = "your copy of a bundled routine" if entry.bundled else "yours"
    parts = [routine.schedule.summary, counts(routine), whose]
    if routine.source:
        parts.append(f"from {routine.source}")
    if entry.archived:
        parts.append("archived")
    return " · ".join(md_escape(p) for p in parts)


def dirs() -> tuple[Path, Path]:
    return config.data_dir(), config.routines_dir()


def stored_target(routine_id: str, routine: Routine) -> Target:
    data_dir, bundled_dir = dirs()
    return Target(
        key=f"hd-ed-{routine_id}",
        routine=routine,
        apply=lambda edit: library.update(data_dir, bundled_dir, routine_id, edit),
    )


def routines_tab(found: Library) -> None:
    """Two versions to choose between, if a sync tool kept both; pick a routine; its card;
    the editor; then what is archived or deleted."""
    conflicts_panel(found)
    entries = {e.routine.id: e for e in found.entries}
    if not entries:
        show_flash()
        st.info("No routines yet: import one from a note (the Import tab above).")
    else:
        entry = _pick(entries)
        with st.container(border=True, key=f"routine-{entry.routine.id}"):
            st.markdown(f"**{md_escape(entry.routine.title)}**")
            st.caption(about(entry))
        rid = entry.routine.id
        target = stored_target(rid, entry.routine)
        extra = (
            ("versions", f"Previous versions ({_count_versions(rid)})"),
            ("note", "Its note: follow, download, write into it"),
            ("manage", "Archive or delete"),
        )
        choice = editor.editor(target, extra)
        if choice == "versions":
            versions_panel(entry)
        elif choice == "note":
            follow_view.note_panel(entry)
        elif choice == "manage":
            manage_panel(entry)
    _deleted(found)


def conflicts_panel(found: Library) -> None:
    """Each routine a sync tool kept two versions of: both, and a choice."""
    ids = [e.routine.id for e in found.entries] + [r.id for r in found.deleted]
    for n, conflict in enumerate(library.conflicts(config.data_dir(), ids)):
        entry = found.entry(conflict.routine_id)
        title = entry.routine.title if entry else conflict.routine_id
        with st.container(border=True, key=f"hd-conflict-{n}"):
            st.warning(
                f"**Two versions of {md_escape(title)}**: it was changed on two computers, "
                f"and the sync tool set one aside as {md_escape(conflict.copy)}. Which do "
                "you keep? The other stays a previous version.",
                icon="🔀",
            )
            if entry:
                st.markdown(f"**In use:** {_version(entry.routine)}")
            theirs = conflict.theirs
            if theirs is None:
                st.error(f"The other cannot be used: {md_escape(conflict.problem)}", icon="❌")
            else:
                st.markdown(f"**Set aside:** {_version(theirs)}")
                changes = compare(entry.routine, theirs) if entry else None
                if changes:
                    st.markdown(change_lines(changes))
                elif entry:
                    st.caption("The same routine as the one in use.")
            args = (conflict.routine_id, conflict.copy)
            with st.container(horizontal=True):
                st.button(
                    "Keep the one in use",
                    key=f"hd-conflict-keep-{n}",
                    on_click=_settle,
                    args=(*args, False),
                )
                st.button(
                    "Use the one set aside",
                    key=f"hd-conflict-use-{n}",
                    on_click=_settle,
                    args=(*args, True),
                    disabled=theirs is None,
                    type="primary",
                )


def _version(routine: Routine) -> str:
    return f"{md_escape(routine.title)} · {md_escape(counts(routine))}"


def _change(change: Callable[..., object], *args: object, done: str) -> bool:
    """A button's on_click: `change` (a `library` function) made to the routines as they are
    now, and what happened shown on the run that follows. True if it was made."""
    try:
        change(*dirs(), *args)
    except LibraryError as exc:
        flash("error", str(exc))
        return False
    flash("success", done)
    return True


def _settle(routine_id: str, copy: str, use_copy: bool) -> None:
    which = "the version set aside" if use_copy else "the version in use"
    done = f"Kept {which}; the other is under Previous versions."
    _change(library.settle, routine_id, copy, use_copy, done=done)


def _pick(entries: dict[str, Entry]) -> Entry:
    ids = list(entries)
    remembered = st.session_state.get(keys.ROUTINE_CHOICE)
    if st.session_state.get(keys.EDIT_ROUTINE) not in entries:
        st.session_state[keys.EDIT_ROUTINE] = remembered if remembered in entries else ids[0]
    if len(ids) == 1:
        return entries[ids[0]]

    def label(rid: str) -> str:
        entry = entries[rid]
        return entry.routine.title + (" (archived)" if entry.archived else "")

    return entries[st.selectbox("Routine", ids, format_func=label, key=keys.EDIT_ROUTINE)]


def _count_versions(routine_id: str) -> int | str:
    try:
        return len(library.versions(config.data_dir(), routine_id))
    except LibraryError:
        return "?"


def versions_panel(entry: Entry) -> None:
    """The earlier versions, newest first; what bringing one back would change; the button."""
    data_dir = config.data_dir()
    rid = entry.routine.id
    try:
        versions = library.versions(data_dir, rid)
    except LibraryError as exc:
        st.error(md_escape(str(exc)), icon="❌")
        return
    if not versions:
        st.info("No previous versions yet: each save keeps the version it replaces.")
        return
    names = {v.name: f"{v.saved_at:%d %b %Y, %H:%M:%S}" for v in versions}
    name = st.selectbox(
        "Version (the time it was replaced)", list(names), format_func=names.get, key="hd-ver"
    )
    try:
        old = library.read_version(data_dir, rid, name)
    except LibraryError as exc:
        st.error(f"This version cannot be used: {md_escape(str(exc))}", icon="❌")
        return
    changes = compare(entry.routine, old)
    st.markdown(f"**{md_escape(old.title)}** · {md_escape(counts(old))}")
    st.markdown(change_lines(changes, "adds back") if changes else "The same as the routine now.")
    st.button(
        "Bring this version back",
        key="hd-ver-back",
        type="primary",
        width="stretch",
        disabled=not changes,
        on_click=_bring_back,
        args=(rid, name, names[name]),
    )
    st.caption("The version you have now is kept as a previous version too.")


def _bring_back(routine_id: str, name: str, when: str) -> None:
    done = f"Brought back the version replaced on {when}."
    _change(library.bring_back, routine_id, name, done=done)


def change_lines(changes, added: str = "adds") -> str:
    """What a save would add, remove and change, as a markdown list (escaped)."""
    return md_list(changes.lines(added))


def manage_panel(entry: Entry) -> None:
    rid, title = entry.routine.id, entry.routine.title
    if entry.archived:
        st.caption("Archived: not offered on Today or Progress. Its history is kept.")
    else:
        st.caption("Archiving hides it from Today and Progress; its history and this page keep it.")
    st.button(
        "Unarchive" if entry.archived else "Archive",
        key="hd-archive",
        width="stretch",
        on_click=_archive,
        args=(rid, title, not entry.archived),
    )
    st.markdown("**Delete**")
    sure = st.checkbox(
        f"Delete {md_escape(title)}: it leaves Today, Progress and this list. Its ticks stay "
        "in the log, and it can be brought back below.",
        key=f"hd-del-ok-{rid}",
    )
    st.button(
        "Delete routine",
        key="hd-del",
        width="stretch",
        disabled=not sure,
        on_click=_delete,
        args=(rid, title),
    )


def _archive(routine_id: str, title: str, archived: bool) -> None:
    done = f"{'Archived' if archived else 'Unarchived'} {title}."
    _change(library.set_archived, routine_id, archived, done=done)


def _delete(routine_id: str, title: str) -> None:
    if _change(library.delete, routine_id, done=f"Deleted {title}. Its ticks stay in the log."):
        st.session_state.pop(keys.EDIT_ROUTINE, None)


def _deleted(found: Library) -> None:
    if not found.deleted:
        return
    with st.expander(f"Deleted routines ({len(found.deleted)})"):
        for routine in found.deleted:
            st.markdown(f"**{md_escape(routine.title)}** · {md_escape(counts(routine))}")
            st.button(
                "Bring back",
                key=f"hd-undel-{routine.id}",
                on_click=_undelete,
                args=(routine.id, routine.title),
            )


def _undelete(routine_id: str, title: str) -> None:
    if _change(library.undelete, routine_id, done=f"Brought back {title}."):
        st.session_state[keys.EDIT_ROUTINE] = routine_id  # opened in the editor
