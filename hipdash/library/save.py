"""Changing the person's routines: save with the previous version kept, bring a version
back, archive, delete and bring back. Every change happens under one lock and acts on
the files as they are on disk at that moment (another device may have saved since the
page was drawn): an edit is a function applied to the routine as it is now.

Nothing is written before the new routine passed the loader's own checks
(`routine_from_data`, via the exact YAML text that will be saved). The bundled files
are never written: editing a bundled routine saves the person's copy of it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from filelock import FileLock, Timeout

from hipdash import config, locks
from hipdash.fields import SLUG
from hipdash.importing import ImportPlan, plan_import
from hipdash.library import files
from hipdash.library.edits import EditError, keys_of, stamp_added
from hipdash.library.files import LibraryError
from hipdash.library.load import (
    ARCHIVED,
    DELETED,
    PREVIOUS,
    bundled_routines,
    load_library,
    read_routine,
    unreadable,
    unreadable_text,
    user_dir,
)
from hipdash.models import Routine
from hipdash.routines import RoutineError, dump_routine, parse_routine
from hipdash.sync import names

LOCK_NAME = "routines.lock"  # this computer's lock of a data dir's routines; a restore takes it
KEEP_VERSIONS = 50  # per routine; the oldest beyond this are removed on save
LOCK_TIMEOUT_SECONDS = 10
_STAMP = "%Y%m%d-%H%M%S-%f"
_VERSION_NAME = re.compile(r"^(\d{8}-\d{6}-\d{6})(?:-(\d{1,3}))?\.yaml$")

# An edit gets the routine as it is on disk now and every item key the routine has ever
# had (in it, or in the log), so new items can get ids with no history.
Edit = Callable[[Routine, frozenset[str]], Routine]


@dataclass(frozen=True)
class Current:
    """A routine's state on disk now: what is shown for it, and the bytes behind that."""

    routine: Routine | None  # None: there is none, or the person's file is broken
    raw: bytes | None  # the file's bytes (a broken file's too), kept as a previous version
    yours: bool  # the person's file exists (valid or not)
    problem: str = ""


@dataclass(frozen=True)
class Version:
    name: str  # the file name in previous/<id>/
    saved_at: datetime  # when it stopped being the current version


def _dir(data_dir: Path, *parts: str, create: bool = False) -> Path:
    """A folder of the person's routines, none of it a symlink (made if `create`)."""
    return files.real_folder(user_dir(data_dir), *parts, create=create)


def _checked_id(routine_id: str) -> str:
    if not isinstance(routine_id, str) or not SLUG.match(routine_id):
        raise LibraryError(f"not a routine id: {routine_id!r}")
    return routine_id


def lock(data_dir: Path) -> FileLock:
    """The one lock every change to the person's routines (and a restore of them) takes."""
    files.ensure_dir(Path(data_dir))
    return locks.file_lock(locks.lock_path(data_dir, LOCK_NAME), LOCK_TIMEOUT_SECONDS)


class _Locked:
    """The routines lock, held only while the whole routines folder can be read: a change
    made without seeing all of it could replace or lose what it cannot see (a deleted
    routine kept in `deleted/`, the previous version a save keeps in `previous/`)."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.lock = lock(data_dir)

    def __enter__(self):
        try:
            self.lock.acquire()
        except Timeout:
            raise LibraryError("the routines are being changed elsewhere; try again") from None
        except OSError as exc:
            raise LibraryError(f"cannot lock {self.lock.lock_file} ({files.why(exc)})") from None
        blocked = unreadable(self.data_dir)
        if blocked:
            self.lock.release()
            raise LibraryError(f"{unreadable_text(blocked, self.data_dir)}; nothing was changed")

    def __exit__(self, *exc):
        self.lock.release()


def current(data_dir: Path, bundled_dir: Path, routine_id: str) -> Current:
    """What routine `routine_id` is right now (the person's file, else the bundled one)."""
    path = _dir(data_dir) / f"{_checked_id(routine_id)}.yaml"
    if path.exists() or path.is_symlink():
        raw = files.read_file(path)
        try:
            routine = read_routine(path)
        except RoutineError as exc:
            return Current(None, raw, True, "\n".join(exc.problems))
        return Current(routine, raw, True)
    if (_dir(data_dir, DELETED) / path.name).exists():
        return Current(None, None, False, f"routine {routine_id!r} was deleted")
    bundled, _ = bundled_routines(bundled_dir)
    if routine_id in bundled:
        bundled_path, routine = bundled[routine_id]
        return Current(routine, files.read_file(bundled_path), False)
    return Current(None, None, False, f"there is no routine {routine_id!r}")


def history_keys(data_dir: Path, routine_id: str) -> frozenset[str]:
    """Every item key (and its section and exercise prefixes) the log or the feelings file
    holds for a routine: an id among them has history, so a new item must not take it."""
    from hipdash import feelings, log  # loaded only here: `python -m hipdash import` stays quick

    try:
        records = log.CheckoffLog(Path(data_dir) / "checkoffs.csv").snapshot().records
        keys = {r[3] for r in records if r[2] == routine_id}
        noted = feelings.FeelingLog(data_dir).snapshot().records
        keys |= {r[2] for r in noted if r[1] == routine_id}
    except OSError as exc:  # without the log, a new id could take an old item's history
        raise LibraryError(f"cannot read the log to choose new ids ({files.why(exc)})") from None
    return frozenset(prefix for key in keys for prefix in _prefixes(key))


def _prefixes(key: str) -> list[str]:
    parts = key.split("/")
    return ["/".join(parts[: n + 1]) for n in range(len(parts))]


def checked(routine: Routine, routine_id: str) -> tuple[Routine, bytes]:
    """The routine as it will be read back, and its file's bytes: validated by the loader."""
    if routine.id != routine_id:
        raise LibraryError(f"the routine's id changed ({routine_id!r} -> {routine.id!r})")
    text = dump_routine(routine)
    try:
        return parse_routine(text, f"{routine_id}.yaml"), text.encode("utf-8")
    except RoutineError as exc:
        raise LibraryError("not saved: " + "; ".join(exc.problems)) from None


def locked(data_dir: Path) -> _Locked:
    """`with locked(data_dir):` holds the routines lock (LibraryError if it cannot be had)."""
    return _Locked(data_dir)


def update(
    data_dir: Path,
    bundled_dir: Path,
    routine_id: str,
    edit: Edit,
    now: datetime | None = None,
    after: Callable[[Routine], None] | None = None,
    today: date | None = None,
) -> Routine:
    """Apply `edit` to the routine as it is now and save the result, keeping the previous
    version; then `after(saved)`, still under the lock. Raises LibraryError (nothing
    written) if the edit or the result is refused. Items new in it joined `today`."""
    with _Locked(data_dir):
        state = current(data_dir, bundled_dir, routine_id)
        if state.routine is None:
            raise LibraryError(state.problem)
        used = history_keys(data_dir, routine_id) | keys_of(state.routine)
        try:
            edited = edit(state.routine, used)
        except EditError as exc:
            raise LibraryError(str(exc)) from None
        new, raw = checked(stamp_added(state.routine, edited, today or config.today()), routine_id)
        if new != state.routine:
            _replace_current(data_dir, routine_id, raw, state, now)
        if after is not None:
            after(new)
        return new


def save_routine(
    data_dir: Path,
    bundled_dir: Path,
    routine: Routine,
    expected: Routine | None,
    replace: bool,
    now: datetime | None = None,
    after: Callable[[Routine], None] | None = None,
    today: date | None = None,
) -> Path:
    """Save a whole routine (an import), if the routine of its id is still `expected` (what
    the person saw); a routine that appeared or changed meanwhile is not overwritten. Only
    a routine of the person's needs `replace`: a bundled one of the id is set aside as a
    previous version (its file stays). Then `after(saved)`, still under the lock. Items
    new in it joined `today`."""
    with _Locked(data_dir):
        state = current(data_dir, bundled_dir, routine.id)
        if state.yours and not replace:
            raise LibraryError(f"a routine with the id {routine.id!r} exists already")
        if state.routine != expected:
            raise LibraryError(
                f"routine {routine.id!r} was changed elsewhere since this preview; "
                "upload the note again"
            )
        saved, raw = checked(
            stamp_added(state.routine, routine, today or config.today()), routine.id
        )
        _replace_current(data_dir, routine.id, raw, state, now)
        files.remove_file(_dir(data_dir, ARCHIVED) / routine.id)
        if after is not None:
            after(saved)
    return _dir(data_dir) / f"{routine.id}.yaml"


def _replace_current(
    data_dir: Path, routine_id: str, raw: bytes, state: Current, now: datetime | None
) -> None:
    """Keep what is there now as a previous version, write the new file, and un-delete."""
    folder = _dir(data_dir, create=True)
    if state.raw is not None:
        _keep(data_dir, routine_id, state.raw, now)
    deleted = _dir(data_dir, DELETED) / f"{routine_id}.yaml"
    if deleted.exists():
        _keep(data_dir, routine_id, files.read_file(deleted), now)
    files.write_file(folder / f"{routine_id}.yaml", raw)
    files.remove_file(deleted)
    _prune(data_dir, routine_id)


def _keep(data_dir: Path, routine_id: str, raw: bytes, now: datetime | None) -> str:
    """Store `raw` as a previous version named by the time; never over another one."""
    folder = _dir(data_dir, PREVIOUS, routine_id, create=True)
    stamp = (now or datetime.now()).strftime(_STAMP)
    for n in range(1, 1000):
        name = f"{stamp}.yaml" if n == 1 else f"{stamp}-{n}.yaml"
        if files.create_file(folder / name, raw):
            return name
    raise LibraryError(f"cannot keep the previous version of {routine_id!r}")


def versions(data_dir: Path, routine_id: str) -> list[Version]:
    """The previous versions of a routine, newest first; LibraryError if they cannot be
    listed."""
    folder = _dir(data_dir, PREVIOUS, _checked_id(routine_id))
    found = []
    for path in files.plain_files(folder, ".yaml", strict=True):
        match = _VERSION_NAME.match(path.name)
        if match:
            found.append(Version(path.name, datetime.strptime(match[1], _STAMP)))
    found.sort(key=lambda v: (v.saved_at, _counter(v.name)), reverse=True)
    return found


def _counter(name: str) -> int:
    match = _VERSION_NAME.match(name)
    return int(match[2] or 1) if match else 0


def _version_path(data_dir: Path, routine_id: str, name: str) -> Path:
    if not _VERSION_NAME.match(name or ""):
        raise LibraryError(f"not a version: {name!r}")
    return _dir(data_dir, PREVIOUS, _checked_id(routine_id)) / name


def read_version(data_dir: Path, routine_id: str, name: str) -> Routine:
    """One previous version, validated; LibraryError if it is gone or not a valid routine."""
    try:
        routine = read_routine(_version_path(data_dir, routine_id, name))
    except RoutineError as exc:
        raise LibraryError("; ".join(exc.problems)) from None
    if routine.id != routine_id:
        raise LibraryError(f"{name} holds another routine ({routine.id!r})")
    return routine


def bring_back(
    data_dir: Path, bundled_dir: Path, routine_id: str, name: str, now: datetime | None = None
) -> Routine:
    """Make a previous version the current one; the current one becomes a previous version
    (so this can be undone the same way). Works even if the current file is broken."""
    with _Locked(data_dir):
        routine, raw = checked(read_version(data_dir, routine_id, name), routine_id)
        state = current(data_dir, bundled_dir, routine_id)
        _replace_current(data_dir, routine_id, raw, state, now)
        return routine


def _prune(data_dir: Path, routine_id: str) -> None:
    folder = _dir(data_dir, PREVIOUS, routine_id)
    for old in versions(data_dir, routine_id)[KEEP_VERSIONS:]:
        files.remove_file(folder / old.name)


def set_archived(data_dir: Path, bundled_dir: Path, routine_id: str, archived: bool) -> None:
    """Archive (hide from Today and Progress, history kept) or unarchive a routine."""
    with _Locked(data_dir):
        marker = _dir(data_dir, ARCHIVED, create=archived) / _checked_id(routine_id)
        if not archived:
            files.remove_file(marker)
            return
        state = current(data_dir, bundled_dir, routine_id)
        if state.routine is None and not state.yours:
            raise LibraryError(state.problem)
        files.create_file(marker, b"")


def delete(data_dir: Path, bundled_dir: Path, routine_id: str) -> None:
    """Delete a routine: its file moves to `deleted/` (so it can be brought back, and a
    bundled routine of that id stays hidden). The log's rows for it are left alone."""
    with _Locked(data_dir):
        state = current(data_dir, bundled_dir, routine_id)
        if state.raw is None:
            raise LibraryError(state.problem)
        folder = _dir(data_dir)
        target = _dir(data_dir, DELETED, create=True) / f"{routine_id}.yaml"
        if state.yours:
            files.move_file(folder / f"{routine_id}.yaml", target)
        else:
            files.write_file(target, state.raw)
        files.remove_file(_dir(data_dir, ARCHIVED) / routine_id)


def undelete(
    data_dir: Path, bundled_dir: Path, routine_id: str, now: datetime | None = None
) -> None:
    """Bring a deleted routine back as it was (as the bundled one if it was that)."""
    with _Locked(data_dir):
        folder = _dir(data_dir)
        deleted = _dir(data_dir, DELETED) / f"{_checked_id(routine_id)}.yaml"
        raw = files.read_file(deleted)
        bundled, _ = bundled_routines(bundled_dir)
        if routine_id in bundled and files.read_file(bundled[routine_id][0]) == raw:
            files.remove_file(deleted)
            return
        try:
            checked(read_routine(deleted), routine_id)
        except RoutineError as exc:
            raise LibraryError("; ".join(exc.problems)) from None
        if (folder / f"{routine_id}.yaml").exists():
            raise LibraryError(f"routine {routine_id!r} exists again; nothing was changed")
        files.move_file(deleted, folder / f"{routine_id}.yaml")


def settle(
    data_dir: Path,
    bundled_dir: Path,
    routine_id: str,
    copy: str,
    use_copy: bool,
    now: datetime | None = None,
) -> None:
    """Of a routine and a sync tool's conflict copy of it, keep the one chosen as the
    routine; the other becomes a previous version (so this can be undone), and the copy's
    file goes. Raises LibraryError (nothing changed) for a copy that is not one."""
    with _Locked(data_dir):
        path = _dir(data_dir) / copy
        if Path(copy).name != copy or names.owner(copy, [_checked_id(routine_id)]) is None:
            raise LibraryError(f"{copy!r} is not a copy of routine {routine_id!r}")
        raw = files.read_file(path)
        if use_copy:
            try:
                checked(read_routine(path), routine_id)
            except RoutineError as exc:
                raise LibraryError("; ".join(exc.problems)) from None
            _replace_current(
                data_dir, routine_id, raw, current(data_dir, bundled_dir, routine_id), now
            )
        else:
            _keep(data_dir, routine_id, raw, now)
        files.remove_file(path)


def plan_note(
    raw: bytes,
    name: str,
    data_dir: Path,
    bundled_dir: Path,
    keep: Collection[int] | Literal["all"] = (),
) -> ImportPlan:
    """What importing a note into the person's routines would do: a note whose routine
    exists (theirs, or bundled) keeps that routine's ids and lists what it changes; one
    whose routine is archived is never `unchanged` (saving brings it back)."""
    found = load_library(data_dir, bundled_dir)

    def existing(routine_id: str) -> Routine | None:
        entry = found.entry(routine_id)
        return entry.routine if entry else None

    plan = plan_import(raw, name, user_dir(data_dir), keep, existing)
    entry = found.entry(plan.routine.id)
    return dataclasses.replace(plan, archived=bool(entry and entry.archived))
