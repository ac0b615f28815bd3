"""The person's routines in a backup: which files go in, under which names, and the check
each one passes before a restore puts it back.

A backup holds `data/routines/` as it is (see `hipdash.library.load` for the layout),
under the same relative names: `routines/<id>.yaml`, `routines/previous/<id>/<time>.yaml`,
`routines/archived/<id>` and `routines/deleted/<id>.yaml`, and what the routines that follow
a note remember, `routines/notes/…` (`hipdash.follow.records`). A name of any other shape is
not one of ours (no `..`, no absolute path, no other folder can match). Every routine file
is checked with the routine loader (`parse_routine`, the same checks as `check` and the
pages) and must hold the id its name says; an archive mark is empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hipdash.fields import SLUG
from hipdash.follow import records as notes
from hipdash.library import files
from hipdash.library.files import LibraryError
from hipdash.library.load import ARCHIVED, DELETED, PREVIOUS, ROUTINES, user_dir
from hipdash.limits import MAX_FILE_BYTES
from hipdash.models import Routine
from hipdash.routines import RoutineError, parse_routine
from hipdash.words import plural

FOLDER = ROUTINES
MAX_FILES = 5_000  # a hundred routines with their 50 versions; a zip of more is refused
MAX_TOTAL_BYTES = 8 * 2**20  # all of them: ~1,600 routines of 5 KB, read in about a second
_ID = SLUG.pattern.strip("^$")
_NAME = re.compile(
    rf"^{ROUTINES}/(?:"
    rf"(?P<current>{_ID})\.yaml"
    rf"|{PREVIOUS}/(?P<previous>{_ID})/\d{{8}}-\d{{6}}-\d{{6}}(?:-\d{{1,3}})?\.yaml"
    rf"|{ARCHIVED}/(?P<archived>{_ID})"
    rf"|{DELETED}/(?P<deleted>{_ID})\.yaml"
    r")$"
)


def is_ours(name: str) -> bool:
    """Whether a zip entry's name is one of the routine files a backup may hold (the whole
    name: `routines/x.yaml\\n` is not), or a followed note's (`routines/notes/…`)."""
    return bool(_NAME.fullmatch(name) or notes.NAME.fullmatch(name))


def past_bounds(sizes: list[int]) -> str | None:
    """Why routine files of these sizes are more than a backup may hold (None: they fit):
    a restore refuses such a backup, so the app never makes one."""
    if len(sizes) > MAX_FILES:
        return "it holds too many routine files"
    if sum(sizes) > MAX_TOTAL_BYTES:
        return "its routine files are too large together"
    return None


def problem(name: str, data: bytes) -> str | None:
    """Why this file may not be restored (None: it may), by the loader's own checks."""
    if notes.NAME.fullmatch(name):
        return notes.problem(name, data)
    match = _NAME.fullmatch(name)
    if match is None:
        return f"{name}: not a routine file of hipdash"
    if match["archived"]:
        return None if data == b"" else f"{name}: an archive mark must be empty"
    if len(data) > MAX_FILE_BYTES:
        return f"{name}: too large ({len(data):,} bytes) for a routine"
    routine_id = match["current"] or match["previous"] or match["deleted"]
    try:
        routine = parse_routine(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError:
        return f"{name}: not UTF-8 text"
    except RoutineError as exc:
        return "; ".join(exc.problems)
    if routine.id != routine_id:
        return f"{name}: id: {routine.id!r} does not match the file name"
    return None


@dataclass(frozen=True)
class Collected:
    """The routine files a backup takes (zip name -> bytes), which of them the app cannot
    use (name -> why: they go in as they are, marked), what is left out, and why, and what
    cannot be read at all (`unreadable`: then no backup is made)."""

    files: dict[str, bytes]
    unusable: dict[str, str]
    left_out: list[str]
    unreadable: tuple[str, ...] = ()


def _unreadable(data_dir: Path) -> dict[Path, str]:
    return files.unreadable(user_dir(data_dir), check_files=True)


def unreadable(data_dir: Path) -> tuple[str, ...]:
    """What of the routines folder cannot be read, files too: a backup would leave it out
    without a word, so none is made (`hipdash.backup.export_problems`)."""
    return tuple(_unreadable(data_dir).values())


def collect(data_dir: Path) -> Collected:
    """Every routine file of the data dir, as a restore would put it back. A file the loader
    refuses goes in as it is, marked, so no backup loses what the folder held; only what is
    not a plain file (a symbolic link, a FIFO) or not one of ours by name is left out."""
    folder, blocked = user_dir(data_dir), _unreadable(data_dir)
    if folder in blocked:  # a link, a file or a folder that cannot be read: none of it
        return Collected({}, {}, [], tuple(blocked.values()))
    paths = [*files.plain_files(folder), *files.plain_files(folder / ARCHIVED)]
    paths += files.plain_files(folder / DELETED)
    for sub in files.subfolders(folder / PREVIOUS):
        paths += files.plain_files(sub)
    paths += notes.backup_paths(data_dir)
    out = Collected({}, {}, [], tuple(blocked.values()))
    for path in paths:
        name = path.relative_to(Path(data_dir)).as_posix()
        if not is_ours(name):
            out.left_out.append(f"{name}: not a routine file of hipdash")
            continue
        try:
            data = files.read_file(path)
        except LibraryError as exc:
            out.left_out.append(str(exc))
            continue
        out.files[name] = data
        why = problem(name, data)
        if why:
            out.unusable[name] = why
    return out


@dataclass(frozen=True)
class Held:
    """What routine files hold, for a person deciding on a restore."""

    routines: tuple[Routine, ...]  # yours (not deleted), by title
    archived: tuple[str, ...]  # ids
    deleted: int
    versions: int
    unusable: int = 0  # routine files the app cannot use (kept as they are)
    notes: tuple[str, ...] = ()  # the notes its routines follow: read, and written on asking

    @property
    def text(self) -> str:
        """'2 routines (Hip Therapy Routine 1, Knee plan), 1 archived, 4 previous versions'."""
        if not self.routines and not self.deleted:
            return "no routines of yours (the bundled ones are used)"
        titles = ", ".join(r.title for r in self.routines)
        out = plural(len(self.routines), "routine")
        out += f" ({titles})" if titles else ""
        extra = [f"{len(self.archived)} archived"] if self.archived else []
        extra += [f"{self.deleted} deleted"] if self.deleted else []
        extra += [plural(self.versions, "previous version")]
        if self.unusable:
            extra.append(f"{plural(self.unusable, 'file')} that cannot be used (kept as is)")
        if self.notes:
            extra.append(f"following {plural(len(self.notes), 'note')} ({', '.join(self.notes)})")
        return ", ".join([out, *extra])


def held(found: dict[str, bytes]) -> Held:
    """What a backup's (already checked) routine files, or `collect`'s, hold."""
    routines, archived, deleted, versions, unusable = [], [], 0, 0, 0
    followed = sorted(_followed(found))
    for name, data in found.items():
        match = _NAME.fullmatch(name)
        if match is None:
            continue
        if problem(name, data):
            unusable += 1
            continue
        if match["current"]:
            routines.append(parse_routine(data.decode("utf-8-sig"), name))
        archived += [match["archived"]] if match["archived"] else []
        deleted += bool(match["deleted"])
        versions += bool(match["previous"])
    routines.sort(key=lambda r: (r.title.lower(), r.id))
    return Held(
        tuple(routines), tuple(sorted(archived)), deleted, versions, unusable, tuple(followed)
    )


def _followed(found: dict[str, bytes]):
    """The paths of the notes the records among `found` follow (a broken one: none)."""
    for name, data in found.items():
        match = notes.NAME.fullmatch(name)
        if not (match and match["record"]):
            continue
        try:  # as `notes.problem` checks it
            follow = notes.parse(data, match["record"], name, any_note=True)
        except LibraryError:
            continue
        yield str(follow.path)
