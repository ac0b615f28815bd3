"""Following a note on the pages: "Your note changed" on the Routines page (what the change
does, the choices where both the note and the app changed, Apply and Not now) and a line
on Today; a routine's "Its note" panel (which note it follows, by themselves, download as a
note, write into the note). The core (`hipdash.follow.sync`) does every check and write.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from hipdash import config
from hipdash.follow import records, sync
from hipdash.importing.write import write_note
from hipdash.library import Entry, LibraryError, library_signature
from hipdash.markup import md_escape, md_list
from hipdash.ui import keys
from hipdash.words import plural

CHECK_EVERY_SECONDS = 2
Statuses = tuple[tuple[sync.Status, ...], tuple[str, ...]]  # followed notes', record problems


@st.cache_resource(show_spinner=False, max_entries=8)
def _statuses(data_dir: str, bundled_dir: str, signature: tuple) -> tuple[tuple, tuple]:
    found, problems = sync.check_all(Path(data_dir), Path(bundled_dir))
    return tuple(found), tuple(problems)


def signature() -> tuple:
    data_dir, bundled_dir = config.data_dir(), config.routines_dir()
    return records.signature(data_dir), library_signature(data_dir, bundled_dir)


def statuses() -> Statuses:
    """Every followed note's status now: read again when a note, a record or a routine
    changed (`signature`), else from the cache."""
    data_dir, bundled_dir = config.data_dir(), config.routines_dir()
    return _statuses(str(data_dir), str(bundled_dir), signature())


def by_themselves() -> Statuses:
    """Apply the changes of notes set to apply by themselves (none that needs a choice),
    saying so in a toast. Returns the followed notes' `statuses` after that, for the rest of
    the page (one look at the files a run)."""
    found = statuses()
    if not any(applies_by_itself(s) for s in found[0]):
        return found
    for status, problem in sync.apply_by_themselves(config.data_dir(), config.routines_dir()):
        if problem:
            st.toast(
                f"Your note's changes to {status.title} were not applied: {problem}", icon="❌"
            )
        else:
            st.toast(f"Took in your note's changes to {status.title}", icon="📝")
    return statuses()


def applies_by_itself(status: sync.Status) -> bool:
    """A note set to apply by itself whose change the next page run applies."""
    return status.auto and status.state in ("changed", "put off") and not status.conflicts


def line_status(routine_id: str, notes: Statuses) -> sync.Status | None:
    """The routine's note, when Today says a line about it (changed, gone, unreadable)."""
    status = next((s for s in notes[0] if s.routine_id == routine_id), None)
    return None if status is None or status.state in ("same", "put off") else status


def seen_now() -> None:
    """Call before reading the followed notes: what the page shows is at least this new."""
    st.session_state[keys.NOTES_SEEN] = records.signature(config.data_dir())


@st.fragment(run_every=CHECK_EVERY_SECONDS)
def watch() -> None:
    """Rerun the page when a followed note (or what is remembered of it) changed since the
    page last read them (`seen_now`)."""
    if st.session_state.get(keys.NOTES_SEEN) != records.signature(config.data_dir()):
        st.rerun()


# --- Today -----------------------------------------------------------------------------------


def today_line(routine_id: str, notes: Statuses) -> None:
    """One line on Today when the routine's note changed, or cannot be read (`notes`: what
    `by_themselves` returned)."""
    status = line_status(routine_id, notes)
    if status is None:
        return
    with st.container(key=keys.NOTE_LINE, horizontal=True, vertical_alignment="center"):
        if status.state == "changed":
            st.markdown(f"📝 **Your note changed**: {md_escape(status.path.name)}")
            st.page_link("pages/routines.py", label="Review it", icon="📋")
        else:
            st.markdown(f"📝 Your note {md_escape(status.path.name)} {_trouble(status)}")


def _trouble(status: sync.Status) -> str:
    what = "is gone" if status.state == "gone" else "cannot be read"
    return f"{what}; nothing changed"


# --- The Routines page -----------------------------------------------------------------------


def changed_panel(notes: Statuses) -> None:
    """Each followed note that changed: what it changes, where both changed, Apply, Not now;
    a note that is gone or cannot be read, said (`notes`: what `by_themselves` returned)."""
    flash = st.session_state.pop(keys.NOTE_FLASH, None)
    if flash:
        if flash[0] == "success":
            st.success(md_escape(flash[1]), icon="✅")
        else:
            st.error(md_escape(flash[1]), icon="❌")
    found, problems = notes
    for problem in problems:
        st.warning(f"A followed note's record cannot be used: {md_escape(problem)}", icon="⚠️")
    for status in found:
        if status.state in ("gone", "unreadable"):
            st.warning(
                f"**Your note of {md_escape(status.title)}** ({md_escape(str(status.path))}) "
                f"{_trouble(status)}. {md_escape(status.problem)}",
                icon="⚠️",
            )
        elif status.state == "changed":
            with st.container(border=True, key=f"{keys.NOTE_CHANGED}{status.routine_id}"):
                _change(status)
        elif status.state == "put off":
            label = f"Your note of {status.title} changed (not now)"
            with st.expander(label), st.container(key=f"{keys.NOTE_CHANGED}{status.routine_id}"):
                _change(status)


def _change(status: sync.Status) -> None:
    st.markdown(f"**Your note changed**: {md_escape(status.title)}")
    st.caption(
        f"From {md_escape(str(status.path))}. Applying keeps the ids, and so the ticks, and "
        "what you changed here that the note did not."
    )
    lines = status.changes.lines()
    if lines:
        st.markdown(md_list(lines))
    elif not status.conflicts:
        st.markdown("Nothing in the routine changes (the note's change is one you made here too).")
    for line in status.left_out:
        st.caption(f"Left out again: {md_escape(line)}")
    if status.warnings:
        with st.expander(f"{plural(len(status.warnings), 'line')} of the note not imported"):
            st.markdown(md_list(status.warnings))
    for index, conflict in enumerate(status.conflicts):
        st.radio(
            f"Both changed **{md_escape(conflict.where)}**: {md_escape(conflict.what)}",
            ["note", "app"],
            index=None,
            key=_choice_key(status, index),
            format_func=lambda side, c=conflict: (
                f"Take the note's: {c.note}" if side == "note" else f"Keep the app's: {c.app}"
            ),
        )
    answered = all(
        st.session_state.get(_choice_key(status, i)) for i in range(len(status.conflicts))
    )
    with st.container(horizontal=True):
        st.button(
            "Apply",
            key=f"hd-note-apply-{status.routine_id}",
            type="primary",
            disabled=not answered,
            on_click=_apply,
            args=(status,),
        )
        if status.state == "changed":
            st.button(
                "Not now",
                key=f"hd-note-later-{status.routine_id}",
                on_click=_put_off,
                args=(status,),
            )


def _choice_key(status: sync.Status, index: int) -> str:
    return f"hd-note-choice-{status.routine_id}-{status.digest[:12]}-{index}"


def _apply(status: sync.Status) -> None:
    choices = {
        c.key: st.session_state.get(_choice_key(status, i)) for i, c in enumerate(status.conflicts)
    }
    try:
        sync.apply(config.data_dir(), config.routines_dir(), status, choices)
    except LibraryError as exc:
        st.session_state[keys.NOTE_FLASH] = ("error", f"Not applied: {exc}")
        return
    st.session_state[keys.NOTE_FLASH] = (
        "success",
        f"Took in your note's changes to {status.title}; the version it replaced is kept.",
    )


def _put_off(status: sync.Status) -> None:
    try:
        sync.put_off(config.data_dir(), status)
    except LibraryError as exc:
        st.session_state[keys.NOTE_FLASH] = ("error", str(exc))


# --- A routine's note ------------------------------------------------------------------------


def note_panel(entry: Entry) -> None:
    """Which note the routine follows (and changing it), by themselves, the download, and
    writing it into its note."""
    data_dir = config.data_dir()
    routine = entry.routine
    try:
        follow = records.read(data_dir, routine.id)
    except LibraryError as exc:
        follow = None
        st.warning(md_escape(str(exc)), icon="⚠️")
    if follow is not None:
        st.markdown(f"Follows **{md_escape(follow.path.name)}**")
        st.caption(md_escape(str(follow.path)))
        st.checkbox(
            "Apply my note's changes by themselves",
            value=follow.auto,
            key=f"hd-note-auto-{routine.id}",
            on_change=_set_auto,
            args=(routine.id, f"hd-note-auto-{routine.id}"),
        )
        st.caption(
            "For when you edit the routine only in your notes app; a change where both the "
            "note and the app changed the same thing still asks."
        )
    _follow_field(entry, follow)
    _download(entry)
    if follow is not None:
        _write_back(entry)


def _set_auto(routine_id: str, key: str) -> None:
    try:
        sync.set_auto(config.data_dir(), routine_id, bool(st.session_state[key]))
    except LibraryError as exc:
        st.session_state[keys.NOTE_FLASH] = ("error", str(exc))


def _follow_field(entry: Entry, follow: records.Follow | None) -> None:
    """A path inside HIPDASH_NOTES_DIR, and only there (docs/decisions.md)."""
    folder = config.notes_dir()
    if folder is None:
        st.caption(
            "To follow a note from here, start hipdash with HIPDASH_NOTES_DIR set to your "
            "notes folder (your Obsidian vault). `hipdash import NOTE.md` follows the note "
            "it imports."
        )
        return
    now = ""
    if follow is not None and follow.path.is_relative_to(folder.absolute()):
        now = str(follow.path.relative_to(folder.absolute()))
    elif follow is None and entry.routine.source:
        found = sync.find_note(folder, entry.routine.source)
        now = str(found.relative_to(folder)) if found else ""
    key = f"hd-note-path-{entry.routine.id}"
    with st.form(key=f"hd-note-follow-{entry.routine.id}", border=False):
        typed = st.text_input(f"Follows note: a path inside {md_escape(str(folder))}", now, key=key)
        go = st.form_submit_button("Follow this note")
    if go:
        try:
            path = sync.note_in_folder(folder, typed)
            sync.follow(config.data_dir(), config.routines_dir(), entry.routine.id, path)
        except LibraryError as exc:
            st.error(f"**Not followed.** {md_escape(str(exc))}", icon="❌")
            return
        st.session_state[keys.NOTE_FLASH] = ("success", f"{entry.routine.title} follows {path}.")
        st.rerun()
    if follow is not None:
        st.button(
            "Stop following it",
            key=f"hd-note-stop-{entry.routine.id}",
            on_click=_stop,
            args=(entry.routine.id,),
        )


def _stop(routine_id: str) -> None:
    try:
        sync.stop(config.data_dir(), routine_id)
    except LibraryError as exc:
        st.session_state[keys.NOTE_FLASH] = ("error", str(exc))


def _download(entry: Entry) -> None:
    routine = entry.routine
    name = Path(routine.source).name if routine.source.endswith(".md") else f"{routine.id}.md"
    written = write_note(routine, name)
    st.download_button(
        "Download as a note (.md)",
        written.text.encode("utf-8"),
        file_name=name,
        mime="text/markdown",
        key=f"hd-note-download-{routine.id}",
    )
    st.caption("An Obsidian-style note: importing it gives this routine back.")
    for problem in written.problems:
        st.caption(f"Not exact in the note: {md_escape(problem)}")


def _write_back(entry: Entry) -> None:
    data_dir, bundled_dir = config.data_dir(), config.routines_dir()
    try:
        plan = sync.plan_write_back(data_dir, bundled_dir, entry.routine.id)
    except LibraryError as exc:
        st.caption(md_escape(str(exc)))
        return
    if not plan.changes_note:
        st.caption("Your note already says what this routine says.")
        return
    sure = st.checkbox(
        f"Write this routine into {md_escape(plan.path.name)}: the note as it is now is kept "
        "in the data folder",
        key=f"hd-note-write-ok-{entry.routine.id}",
    )
    st.button(
        "Write into my note",
        key=f"hd-note-write-{entry.routine.id}",
        disabled=not sure,
        on_click=_write,
        args=(plan,),
    )


def _write(plan: sync.WriteBack) -> None:
    try:
        kept = sync.write_back(config.data_dir(), plan)
    except LibraryError as exc:
        st.session_state[keys.NOTE_FLASH] = ("error", f"Not written: {exc}")
        return
    message = f"Wrote the routine into {plan.path.name}; the note it replaced is kept in {kept}."
    st.session_state[keys.NOTE_FLASH] = ("success", message)
