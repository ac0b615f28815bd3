"""Following a note, as services on the files as they are now (under the routines lock for
every write): start following, check whether the note changed, apply its change by a
three-way merge, put it off, apply by themselves, stop; write the routine into the note.

A note that is gone or cannot be read is said (`Status.state`), and nothing changes. The
note is read with `hipdash.importing.read_note` (a regular file, at most 1 MB, never a
FIFO or device) and imported with every list kept, so the base and the note now are read
the same way; a list the importer leaves out that the base did not have is left out again.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Literal

from hipdash import importing
from hipdash.follow import records
from hipdash.follow.merge import Conflict, Merged, merge
from hipdash.follow.records import Follow
from hipdash.importing.build import NoteError, import_note, left_out_spots
from hipdash.importing.plan import decode_note
from hipdash.importing.reimport import Changes, compare, keep_ids
from hipdash.importing.write import write_note
from hipdash.library import files
from hipdash.library.edits import EditError, keys_of
from hipdash.library.files import LibraryError
from hipdash.library.save import current, history_keys, locked, update
from hipdash.models import Routine, exercise_items

State = Literal["same", "changed", "put off", "gone", "unreadable"]


@dataclass(frozen=True)
class Status:
    """A followed note now. `state`: "same" (as last imported), "changed" (see `merged`,
    `changes`), "put off" (changed, and the person said Not now to this change), "gone" or
    "unreadable" (`problem` says why; nothing changes)."""

    routine_id: str
    title: str
    path: Path
    state: State
    problem: str = ""
    digest: str = ""  # of the note's bytes now
    ours: Routine | None = None  # the routine in the app when checked
    merged: Merged | None = None
    changes: Changes = Changes()
    left_out: tuple[str, ...] = ()  # lists of the note left out again (new since the base)
    warnings: tuple[str, ...] = ()
    auto: bool = False

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return self.merged.conflicts if self.merged else ()


@dataclass(frozen=True)
class _Note:
    raw: bytes
    text: str
    result: importing.NoteImport = field(repr=False)


def _read(path: Path) -> _Note:
    """The note at `path`, imported with every list kept; ImportRefused if it cannot be."""
    return _parsed(importing.read_note(path), path.name)


def _parsed(raw: bytes, name: str) -> _Note:
    """A note's bytes, imported with every list kept; ImportRefused if they cannot be."""
    text = decode_note(raw, name)
    try:
        result = import_note(text, name, keep="all")
    except NoteError as exc:
        raise importing.ImportRefused(f"{name}: {exc}") from None
    return _Note(raw, text, result)


def note_routine(note: _Note, base: Routine, used: frozenset[str]) -> tuple[Routine, list[str]]:
    """The note's routine with the ids of the base it continues (the id the note gave
    first, then titles and videos); new items get ids no key in `used` has. A list the
    importer left out that the base did not have is left out again (and named)."""
    result = note.result
    theirs = replace(result.routine, id=base.id, source=base.source)
    matched = keep_ids(theirs, base, result.given_ids, used)
    dropped = []
    spots = left_out_spots(len(matched.sections), result.left_out)
    had = {s.id for s in base.sections}
    kept = []
    for index, section in enumerate(matched.sections):
        if index in spots and section.id not in had:
            dropped.append(importing.left_out_line(spots[index]))
        else:
            kept.append(section)
    return replace(matched, sections=tuple(kept)), dropped


def check(data_dir: Path, bundled_dir: Path, routine_id: str) -> Status | None:
    """What a followed note says now against the routine in the app (None: it follows none,
    or the routine was deleted)."""
    follow = records.read(data_dir, routine_id)
    if follow is None:
        return None
    state = current(data_dir, bundled_dir, routine_id)
    if state.raw is None:  # deleted (its record waits for it to be brought back)
        return None
    title = state.routine.title if state.routine else routine_id
    status = Status(routine_id, title, follow.path, "same", auto=follow.auto)
    if state.routine is None:
        return replace(status, state="unreadable", problem=state.problem)
    try:
        note = _read(follow.path)
    except importing.ImportRefused as exc:
        gone = not os.path.lexists(follow.path)
        return replace(status, state="gone" if gone else "unreadable", problem=str(exc))
    sha = records.digest(note.raw)
    if sha == follow.digest:
        return replace(status, digest=sha, ours=state.routine)
    used = history_keys(data_dir, routine_id) | keys_of(state.routine) | keys_of(follow.base)
    theirs, dropped = note_routine(note, follow.base, used)
    merged = merge(follow.base, state.routine, theirs)
    return replace(
        status,
        state="put off" if sha == follow.put_off else "changed",
        digest=sha,
        ours=state.routine,
        merged=merged,
        changes=compare(state.routine, merged.routine),
        left_out=tuple(dropped),
        warnings=tuple(str(w) for w in note.result.warnings),
    )


def check_all(data_dir: Path, bundled_dir: Path) -> tuple[list[Status], list[str]]:
    """Every followed note's status, and the problems of records that cannot be used."""
    found, problems = records.read_all(data_dir)
    out = []
    for routine_id in sorted(found):
        try:
            status = check(data_dir, bundled_dir, routine_id)
        except LibraryError as exc:
            problems.append(str(exc))
            continue
        if status is not None:
            out.append(status)
    return out, problems


def apply(
    data_dir: Path,
    bundled_dir: Path,
    seen: Status,
    choices: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> Routine:
    """Take in the change the person saw (`seen`), merged again with the note and the
    routine as they are now, under the lock. Refused (LibraryError, nothing written) if the
    note or the routine changed since, or a conflict has no answer. The routine is saved
    (its previous version kept), ticks of exercises the note moved follow them, and the
    note becomes the new base."""
    choices = choices or {}
    routine_id = seen.routine_id
    saved: dict = {}

    def edit(ours: Routine, used: frozenset[str]) -> Routine:
        follow = _still(data_dir, routine_id, seen)
        note = _read(follow.path)
        if records.digest(note.raw) != seen.digest or ours != seen.ours:
            raise EditError("your note or this routine changed since you looked; look again")
        theirs, _ = note_routine(note, follow.base, used | keys_of(follow.base))
        merged = merge(follow.base, ours, theirs, choices)
        if merged.unanswered(choices):
            raise EditError("choose which to keep where both your note and the app changed")
        saved.update(follow=follow, theirs=theirs, note=note)
        return merged.routine

    def after(new: Routine) -> None:
        follow = replace(saved["follow"], digest=seen.digest, base=saved["theirs"], put_off="")
        records.write(data_dir, follow, saved["note"].raw)
        _carry_moves(data_dir, seen.ours, new)

    try:
        return update(data_dir, bundled_dir, routine_id, edit, now, after)
    except importing.ImportRefused as exc:
        raise LibraryError(f"{exc}; nothing was changed") from None


def _still(data_dir: Path, routine_id: str, seen: Status) -> Follow:
    follow = records.read(data_dir, routine_id)
    if follow is None or follow.path != seen.path:
        raise EditError("this routine no longer follows that note; nothing was changed")
    return follow


def _carry_moves(data_dir: Path, before: Routine, after: Routine) -> int:
    """Ticks follow an exercise the note moved to another section (same id, new key)."""
    from hipdash.log import CheckoffLog  # loaded only here: the command line stays quick

    where = {e.id: s.id for s in after.sections for e in s.exercises}
    keys = set(after.item_keys)
    moves = {}
    for section in before.sections:
        for exercise in section.exercises:
            to = where.get(exercise.id)
            if to is None or to == section.id or f"{section.id}/{exercise.id}" in keys:
                continue
            for item in exercise_items(section, exercise):
                new = to + item.key[len(section.id) :]
                if new in keys:
                    moves[item.key] = new
    if not moves:
        return 0
    return CheckoffLog(Path(data_dir) / "checkoffs.csv").carry(after.id, moves)


def put_off(data_dir: Path, seen: Status) -> None:
    """Not now: this change is not asked about again (until the note changes once more)."""
    with locked(data_dir):
        follow = _still(data_dir, seen.routine_id, seen)
        records.write(data_dir, replace(follow, put_off=seen.digest))


def set_auto(data_dir: Path, routine_id: str, auto: bool) -> None:
    """ "Apply my note's changes by themselves" on or off."""
    with locked(data_dir):
        follow = records.read(data_dir, routine_id)
        if follow is None:
            raise LibraryError(f"routine {routine_id!r} follows no note")
        records.write(data_dir, replace(follow, auto=auto))


def apply_by_themselves(data_dir: Path, bundled_dir: Path) -> list[tuple[Status, str]]:
    """Apply every change of a note set to apply by itself, where the note and the app did
    not both change the same thing: (status, what happened) for each one tried."""
    done = []
    statuses, _ = check_all(data_dir, bundled_dir)
    for status in statuses:
        if status.auto and status.state in ("changed", "put off") and not status.conflicts:
            try:
                apply(data_dir, bundled_dir, status)
                done.append((status, ""))
            except LibraryError as exc:
                done.append((status, str(exc)))
    return done


def follow(data_dir: Path, bundled_dir: Path, routine_id: str, path: Path) -> Follow:
    """Follow the note at `path` from now on: its routine as it is now is the base, so what
    differs in the app counts as the app's own edits (kept)."""
    path = records.note_path(path)
    with locked(data_dir):
        state = current(data_dir, bundled_dir, routine_id)
        if state.routine is None:
            raise LibraryError(state.problem)
        try:
            note = _read(path)
        except importing.ImportRefused as exc:
            raise LibraryError(f"{exc}; not followed") from None
        base = start_base(data_dir, note, state.routine)
        auto = records.previous_auto(data_dir, routine_id)
        return records.write(
            data_dir, Follow(routine_id, path, records.digest(note.raw), base, auto), note.raw
        )


def start_base(data_dir: Path, note: _Note, ours: Routine) -> Routine:
    """The base a note starts from: its routine, matched to the app's ids."""
    used = history_keys(data_dir, ours.id) | keys_of(ours)
    theirs = replace(note.result.routine, id=ours.id, source=ours.source)
    return keep_ids(theirs, ours, note.result.given_ids, used)


def follow_import(data_dir: Path, path: Path, raw: bytes, saved: Routine) -> Follow:
    """Right after an import of the note at `path` saved `saved` (call under the lock, from
    `save_routine`'s `after`): follow it, its full routine (every list) the base."""
    base = start_base(data_dir, _parsed(raw, Path(path).name), saved)
    auto = records.previous_auto(data_dir, saved.id)
    follow = Follow(saved.id, records.note_path(path), records.digest(raw), base, auto)
    return records.write(data_dir, follow, raw)


MAX_WALK = 5_000  # entries looked at when finding a note by its name


def note_in_folder(folder: Path, typed: str) -> Path:
    """The note a page may follow: `typed`, a path inside `folder` (relative, or absolute
    under it), naming a markdown file reached through no symbolic link and no `..`.
    LibraryError saying why not. The page takes no other path (docs/decisions.md)."""
    base = Path(folder).absolute()
    given = Path(typed.strip())
    if given.is_absolute():
        try:
            given = given.relative_to(base)
        except ValueError:
            raise LibraryError(f"{typed.strip()} is not inside {base}") from None
    if not given.parts or ".." in given.parts or given.suffix.lower() not in records.NOTE_SUFFIXES:
        raise LibraryError("give a note's path inside the notes folder, ending in .md")
    path = base
    for part in given.parts:
        path = path / part
        if path.is_symlink():
            raise LibraryError(f"{path} is a symbolic link; only notes inside {base} are followed")
    if not path.is_file():
        raise LibraryError(f"there is no note {given} in {base}")
    return path


def find_note(folder: Path, name: str) -> Path | None:
    """A note named `name` inside `folder` (not in hidden folders such as `.obsidian`, never
    through a symbolic link), looking at no more than `MAX_WALK` entries."""
    seen = 0
    for root, folders, names in os.walk(folder, followlinks=False):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        seen += len(folders) + len(names)
        for found in sorted(names):
            if found.casefold() == name.casefold() and found.lower().endswith(
                records.NOTE_SUFFIXES
            ):
                path = Path(root) / found
                return None if path.is_symlink() else path
        if seen > MAX_WALK:
            return None
    return None


def stop(data_dir: Path, routine_id: str) -> None:
    with locked(data_dir):
        records.remove(data_dir, routine_id)


# --- Writing the routine into its note -------------------------------------------------------


@dataclass(frozen=True)
class WriteBack:
    """What writing a routine into its note would do: `text` is the new note, `before` the
    note's bytes now (kept in the data dir when written); `problems` what would not read
    back exactly."""

    routine_id: str
    path: Path
    text: str
    before: bytes
    problems: tuple[str, ...]

    @property
    def changes_note(self) -> bool:
        return self.text.encode("utf-8") != self.before


def plan_write_back(data_dir: Path, bundled_dir: Path, routine_id: str) -> WriteBack:
    """The routine as a note for the note it follows; refused while the note has changes
    the app has not taken in (writing would lose them)."""
    follow = records.read(data_dir, routine_id)
    if follow is None:
        raise LibraryError(f"routine {routine_id!r} follows no note")
    state = current(data_dir, bundled_dir, routine_id)
    if state.routine is None:
        raise LibraryError(state.problem)
    try:
        before = importing.read_note(follow.path)
    except importing.ImportRefused as exc:
        raise LibraryError(f"{exc}; nothing was written") from None
    if records.digest(before) != follow.digest:
        raise LibraryError(
            f"{follow.path.name} changed since it was last read: apply its changes (or put "
            "them off) first, so writing into it loses nothing"
        )
    written = write_note(state.routine, follow.path.name)
    return WriteBack(routine_id, follow.path, written.text, before, written.problems)


def write_back(data_dir: Path, seen: WriteBack, now: datetime | None = None) -> Path:
    """Write the routine into its note, if the note is still what the person saw: the
    note's previous bytes are kept first (`routines/notes/previous/<id>/`), the new text
    replaces it atomically, and it becomes the base. Returns where the previous note is."""
    with locked(data_dir):
        follow = records.read(data_dir, seen.routine_id)
        if follow is None or follow.path != seen.path:
            raise LibraryError("this routine no longer follows that note; nothing was written")
        try:
            raw = importing.read_note(follow.path)
        except importing.ImportRefused as exc:
            raise LibraryError(f"{exc}; nothing was written") from None
        if raw != seen.before:
            raise LibraryError(f"{follow.path.name} changed meanwhile; nothing was written")
        kept = records.keep_previous(data_dir, seen.routine_id, raw, now or datetime.now())
        new = seen.text.encode("utf-8")
        _replace_note(follow.path, new)
        written = import_note(seen.text, follow.path.name, keep="all").routine
        base = replace(written, id=follow.base.id, source=follow.base.source)
        records.write(data_dir, replace(follow, digest=records.digest(new), base=base), new)
    return kept


def _replace_note(path: Path, data: bytes) -> None:
    """Put the new note in place atomically (`files.replace_whole`), keeping the note's
    permissions and its folder as they are (it is the person's file, not the data dir's);
    a link is never written through."""
    if path.is_symlink():
        raise LibraryError(f"{path} is a symbolic link; nothing was written")
    try:
        files.replace_whole(path, data, path.stat().st_mode & 0o777)
    except OSError as exc:
        raise LibraryError(f"cannot write {path} ({files.why(exc)}); nothing was written") from None
