"""The routines a person has: their own (in the data dir) over the bundled ones.

Layout of `<data dir>/routines/` (see docs/routines.md):

    <id>.yaml                    a routine the person imported or edited
    <id>.sync-conflict-….yaml    another computer's version, set aside by a sync tool
                                 (`hipdash.library.conflicts`: the Routines page asks)
    previous/<id>/<time>.yaml    earlier versions of it, newest last
    archived/<id>                an empty marker: kept, but not on Today or Progress
    deleted/<id>.yaml            a deleted routine as it was; hides a bundled one of that id

A routine the person has no file of comes from the repo's `routines/` (bundled); their
own file of the same id wins. This module only reads; `hipdash.library.save` writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hipdash.fields import SLUG
from hipdash.library import files
from hipdash.library.files import LibraryError, file_names, plain_files, read_file, stat_key
from hipdash.models import Routine
from hipdash.routines import RoutineError, parse_routine, scan_routines
from hipdash.sync import names

ROUTINES = "routines"
PREVIOUS = "previous"
ARCHIVED = "archived"
DELETED = "deleted"


def user_dir(data_dir: Path) -> Path:
    """Where the person's own routines live: `<data dir>/routines`."""
    return Path(data_dir) / ROUTINES


def read_routine(path: Path) -> Routine:
    """One routine file of the data dir, validated by the loader; never through a symlink."""
    try:
        raw = read_file(path)
    except LibraryError as exc:
        raise RoutineError([str(exc)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RoutineError([f"{path}: not UTF-8 text"]) from None
    return parse_routine(text, str(path))


@dataclass(frozen=True)
class Entry:
    """One routine as the pages know it: whose file it is, and whether it is archived."""

    routine: Routine
    path: Path  # the file it was read from
    yours: bool  # saved in the data dir (imported or edited), not the bundled file
    bundled: bool  # a bundled routine of this id exists (yours, if any, is shown instead)
    archived: bool


@dataclass(frozen=True)
class Library:
    entries: tuple[Entry, ...]  # sorted by title
    deleted: tuple[Routine, ...]  # deleted routines that can be brought back
    problems: tuple[str, ...]  # files that could not be used, as `file: place: what`
    unreadable: tuple[str, ...] = ()  # what of your routines folder cannot be read at all

    @property
    def active(self) -> tuple[Routine, ...]:
        """What Today and Progress offer: every routine not archived."""
        return tuple(e.routine for e in self.entries if not e.archived)

    @property
    def archived(self) -> tuple[Routine, ...]:
        return tuple(e.routine for e in self.entries if e.archived)

    def entry(self, routine_id: str) -> Entry | None:
        return next((e for e in self.entries if e.routine.id == routine_id), None)

    @property
    def unusable(self) -> tuple[Unusable, ...]:
        """The files that could not be used, each with its problems, in the order found."""
        return by_file(self.problems)


@dataclass(frozen=True)
class Unusable:
    """A routine file the app cannot use (it is left out everywhere, and kept as it is)."""

    path: str  # as the problems name it
    reasons: tuple[str, ...]  # `place: what`, each

    @property
    def name(self) -> str:
        return Path(self.path).name


def by_file(problems: Iterable[str]) -> tuple[Unusable, ...]:
    """Problems (`file: place: what`) grouped by the file they name."""
    grouped: dict[str, list[str]] = {}
    for problem in problems:
        path, _, reason = problem.partition(": ")
        grouped.setdefault(path, []).append(reason or path)
    return tuple(Unusable(path, tuple(reasons)) for path, reasons in grouped.items())


def scan_user(folder: Path) -> tuple[dict[str, tuple[Path, Routine]], dict[str, str]]:
    """The person's routine files: id -> (file, routine), and id -> why a file is unusable.

    The file of routine `x` is `x.yaml` (that is how the store finds it again), so a file
    named otherwise, or holding another id, is reported and left alone."""
    found: dict[str, tuple[Path, Routine]] = {}
    broken: dict[str, str] = {}
    paths = file_names(folder)
    ids = {p.stem for p in paths if p.suffix == ".yaml" and SLUG.match(p.stem)}
    for path in paths:
        rid = path.name.removesuffix(".yaml")
        if names.owner(path.name, ids - {rid}) and not _its_own(path):
            continue  # a sync tool's conflict copy: the Routines page asks which to keep
        if not path.name.endswith(".yaml") or not SLUG.match(rid):
            broken[path.name] = f"{path}: not a routine file name (<id>.yaml); ignored"
            continue
        try:
            routine = read_routine(path)
        except RoutineError as exc:
            broken[rid] = "\n".join(exc.problems)
            continue
        if routine.id != rid:
            broken[rid] = f"{path}: id: {routine.id!r} does not match the file name; ignored"
            continue
        found[rid] = (path, routine)
    return found, broken


def _its_own(path: Path) -> bool:
    """Whether a file holds the routine its name says (a routine, not a copy of another)."""
    try:
        return read_routine(path).id == path.name.removesuffix(".yaml")
    except RoutineError:
        return False


def markers(data_dir: Path, kind: str) -> set[str]:
    """The routine ids marked `kind` (ARCHIVED: `archived/<id>`; DELETED: `deleted/<id>.yaml`)."""
    suffix = ".yaml" if kind == DELETED else ""
    folder = user_dir(data_dir) / kind
    if folder.is_symlink():
        return set()
    names = (p.name.removesuffix(suffix) for p in plain_files(folder, suffix))
    return {name for name in names if SLUG.match(name)}


def bundled_routines(bundled_dir: Path) -> tuple[dict[str, tuple[Path, Routine]], list[str]]:
    found, problems = scan_routines(Path(bundled_dir))
    return {r.id: (path, r) for path, r in found}, problems


def load_library(data_dir: Path, bundled_dir: Path) -> Library:
    """Every routine there is, with the problems of the files that could not be used, and
    what of your routines folder cannot be read (all of it: only the bundled ones)."""
    bundled, problems = bundled_routines(bundled_dir)
    blocked = files.unreadable(user_dir(data_dir))
    if user_dir(data_dir) in blocked:
        entries = _entries(bundled, {}, set(), set())
        return Library(tuple(entries), (), tuple(problems), tuple(blocked.values()))
    yours, broken = scan_user(user_dir(data_dir))
    problems += list(broken.values())
    deleted_ids, archived_ids = markers(data_dir, DELETED), markers(data_dir, ARCHIVED)
    entries = _entries(bundled, yours, deleted_ids, archived_ids)
    deleted = []
    for rid in sorted(deleted_ids):
        try:
            deleted.append(read_routine(user_dir(data_dir) / DELETED / f"{rid}.yaml"))
        except RoutineError as exc:
            problems += exc.problems
    return Library(tuple(entries), tuple(deleted), tuple(problems), tuple(blocked.values()))


def _entries(bundled: dict, yours: dict, deleted: set[str], archived: set[str]) -> list[Entry]:
    """Yours over bundled, deleted ones left out, sorted by title."""
    entries = []
    for rid in sorted((set(bundled) | set(yours)) - deleted):
        path, routine = yours.get(rid) or bundled[rid]
        entries.append(Entry(routine, path, rid in yours, rid in bundled, rid in archived))
    return sorted(entries, key=lambda e: (e.routine.title.lower(), e.routine.id))


def library_signature(data_dir: Path, bundled_dir: Path) -> tuple:
    """Names, sizes and change times of every file the library is read from, and what of
    your folder cannot be read: it changes whenever a routine is saved, archived, deleted
    or restored, here or on another device, and when a folder's permissions are changed."""
    folder = user_dir(data_dir)
    paths = [*plain_files(Path(bundled_dir)), *plain_files(folder)]
    paths += [*plain_files(folder / ARCHIVED), *plain_files(folder / DELETED)]
    keys = (key for key in map(stat_key, paths) if key is not None)
    return (*keys, *files.unreadable(folder).values())


UNREADABLE_HINT = (
    "check its owner and permissions (hipdash reads and writes it as you); until then what "
    "it holds is left out, and no routine of yours can be changed (nothing in it is touched)"
)


def unreadable(data_dir: Path) -> tuple[str, ...]:
    """What of your routines folder cannot be read at all (`files.unreadable`)."""
    return tuple(files.unreadable(user_dir(data_dir)).values())


def unreadable_text(blocked: Iterable[str], data_dir: Path) -> str:
    """What cannot be read, where, and what to do: one sentence for a page or a command."""
    return f"{'; '.join(blocked)} (in {data_dir}): {UNREADABLE_HINT}"
