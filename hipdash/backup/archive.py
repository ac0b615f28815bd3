"""Backup and restore of all the user's data as one zip file.

A backup holds the data files plus a `manifest.json` naming the format and each file's
size and SHA-256. Each file is exported as the app reads it: byte for byte, except that a
line the app cannot read (a torn write, garbage) is left out, and a text cell that a
spreadsheet would run as a formula (as an older hipdash stored a note) is neutralised.

A restore trusts nothing in the zip: the manifest, the checksums, and every line of every
file are checked with the parsers the app reads them with, and the first bad line is
named. Only then, holding the data dir's restore lock and every writer's lock, are the
current files moved into a new `replaced-<time>-<random>/` folder (nothing is deleted) and
the backup's files put in place, each written to a fresh temporary file and renamed. A
failure half-way puts the old files back; if even that fails, the error says where they
are. No data file is ever reached through a symbolic link.

`app-state.json` is in no backup, but where it says a session was (a guided screen, a
running stopwatch) is of the data being replaced: it goes aside with that data, or Today
would offer to resume a session the restored log knows nothing of.

`FILES` is the table of what a backup holds: a file name and how its lines are read.
`FOLDERS` adds the person's routines: the folder `routines/` with every file in it,
each checked by the routine loader (`hipdash.backup.routine_files`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import shutil
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from filelock import Timeout

from hipdash import appstate, datafiles, locks, private, safefile, store, ziplimits
from hipdash.backup import routine_files
from hipdash.library.save import LOCK_NAME as ROUTINES_LOCK
from hipdash.store import BadLine, FileKind
from hipdash.sync import names
from hipdash.words import plural

FORMAT = "hipdash-backup"
VERSION = 2  # 2: with the person's routines; a version 1 backup (data files only) restores too
READABLE_VERSIONS = (1, 2)
FILES: dict[str, FileKind] = {kind.name: kind for kind in datafiles.KINDS}
# Folders a backup holds whole: name -> the module that says which files may be in it
# (`is_ours`), why one may not be restored (`problem`) and which to back up (`collect`).
FOLDERS = {routine_files.FOLDER: routine_files}
HEADERS = {name: kind.header for name, kind in FILES.items()}
MANIFEST = "manifest.json"
UNUSABLE = "unusable"  # a manifest entry's mark: a routine file the app could not use
# Bounds of a backup, all checked from the zip's directory before any work. Ten years of
# daily ticks are under 2 MB; the whole check of the largest backup within these bounds
# takes a second or two, and a zip beyond them is refused in milliseconds.
MAX_ZIP_BYTES = 32 * 2**20  # the zip file (and the Backup page's upload limit)
MAX_FILE_BYTES = 16 * 2**20  # one data file, uncompressed (~90 years of daily ticks)
MAX_TOTAL_BYTES = 32 * 2**20  # every file together, uncompressed
MAX_RATIO = 50  # uncompressed/compressed: a log compresses about 10 times, a bomb 1000
MAX_MANIFEST_BYTES = 2 * 2**20
RESTORE_LOCK = "restore.lock"
LOCK_TIMEOUT_SECONDS = 10


def file_name(today: date) -> str:
    """'hipdash-backup-2026-11-25.zip': what a backup made today is called."""
    return f"{FORMAT}-{today.isoformat()}.zip"


class BackupError(ValueError):
    """Not a usable hipdash backup, or it could not be put in place; the message says why.
    Nothing was changed."""


class RestoreFailed(OSError):
    """A restore failed half-way and the previous files could not all be put back; the
    message says where they are (nothing was deleted)."""


@dataclass(frozen=True)
class RestoreResult:
    restored: tuple[str, ...]
    kept_aside: Path | None  # where the replaced files went, if there were any
    replaced: tuple[str, ...] = ()  # the names moved there (data files, routines/, …)


def read_data_file(path: Path) -> bytes | None:
    """A data file's bytes, None if there is none; BackupError naming it for anything else
    that keeps it from being read whole (a link, a FIFO, a device, over MAX_FILE_BYTES, a
    permission, a data dir that is a file): a page says so and goes on, a command refuses."""
    try:
        return safefile.read_plain(Path(path), MAX_FILE_BYTES)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise BackupError(safefile.cannot_read(path, exc)) from None


def export_problems(data_dir: Path, unreadable: Mapping[str, str] | None = None) -> list[str]:
    """Why `make_backup` would refuse the data dir as it is now (a data file that is a link,
    a FIFO, too large or unreadable; a part of your routines folder that cannot be read),
    found without reading the files: a page says so up front, each problem once.
    `unreadable`: `datafiles.read_problems` of the data dir, when the caller has it."""
    if unreadable is None:
        unreadable = datafiles.read_problems(data_dir)
    problems, total = datafiles.said_once(unreadable), 0
    for name in (name for name in FILES if name not in unreadable):
        size = _size(Path(data_dir) / name)
        if size > MAX_FILE_BYTES:
            problems.append(f"{name} is too large ({size:,} bytes) for a backup")
        total += size
    if total > MAX_TOTAL_BYTES and not problems:
        problems.append(_too_large(total))
    return problems + list(routine_files.unreadable(data_dir))


def _size(path: Path) -> int:
    """A plain file's size; 0 when it is gone meanwhile."""
    try:
        return path.lstat().st_size
    except OSError:
        return 0


def _too_large(total: int) -> str:
    return f"the data files are too large together for a backup ({total:,} bytes)"


def export_file(path: Path) -> bytes:
    """One data file as it may leave the machine (see the module doc); b"" if none."""
    data = read_data_file(path)
    return FILES[Path(path).name].clean(data, strict=False)[0] if data else b""


def make_backup(data_dir: Path, now: datetime | None = None) -> bytes:
    """A zip of every data file that exists, with a manifest to check it by; BackupError if
    it would be past the bounds a restore checks (`read_backup` takes back every backup
    this makes)."""
    now = now or datetime.now().astimezone()
    members: dict[str, bytes] = {}
    manifest: dict = {"format": FORMAT, "version": VERSION, "created": now.isoformat(), "files": {}}
    for name, kind in FILES.items():
        data = read_data_file(Path(data_dir) / name)
        if data is None:
            continue
        members[name], left_out = kind.clean(data, strict=False)
        entry = {"bytes": len(members[name]), "sha256": _sha256(members[name])}
        manifest["files"][name] = entry | ({"left_out_lines": left_out} if left_out else {})
    for folder in FOLDERS.values():
        found = folder.collect(Path(data_dir))
        if found.unreadable:
            raise BackupError("; ".join(found.unreadable))
        for name, data in found.files.items():
            members[name] = data
            why = found.unusable.get(name)
            entry = {"bytes": len(data), "sha256": _sha256(data)}
            manifest["files"][name] = entry | ({UNUSABLE: why} if why else {})
        if found.left_out:
            manifest.setdefault("left_out_files", []).extend(found.left_out)
    _within_bounds(manifest["files"])
    members[MANIFEST] = json.dumps(manifest, indent=2).encode()
    raw, over = _zipped(members)
    return _zipped(members, stored=over)[0] if over else raw


def _zipped(members: dict[str, bytes], stored=frozenset()) -> tuple[bytes, set[str]]:
    """The zip of `members`, those named in `stored` kept uncompressed; and the names that
    compressed past the ratio a restore takes (a log of one line repeated does), to be
    stored instead: a restore refuses such a member as a zip bomb."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data, compress_type=zipfile.ZIP_STORED if name in stored else None)
        over = {info.filename for info in zf.infolist() if ziplimits.over_ratio(info, MAX_RATIO)}
    return buffer.getvalue(), over


def _within_bounds(files: dict[str, dict]) -> None:
    """BackupError if a restore would refuse a backup of these files for its size."""
    total = sum(entry["bytes"] for entry in files.values())
    routines = [entry["bytes"] for name, entry in files.items() if _in_folder(name)]
    if total > MAX_TOTAL_BYTES:
        raise BackupError(_too_large(total))
    if routine_files.past_bounds(routines):
        raise BackupError(
            f"your routine files are too many or too large together for a backup "
            f"({len(routines):,} files, {sum(routines):,} bytes)"
        )


def read_backup(raw: bytes) -> dict[str, bytes]:
    """The data files of a backup, after checking everything; raises BackupError. The
    zip's own figures are checked first (`ziplimits`): a bomb is refused before any work."""
    try:
        with ziplimits.open_checked(raw, _limits()) as zf:
            return _read_checked(zf)
    except ziplimits.ZipRefused as exc:
        raise BackupError(f"not a hipdash backup: {exc}") from None


def _limits() -> ziplimits.Limits:
    members = len(FILES) + 1 + routine_files.MAX_FILES
    return ziplimits.Limits(MAX_ZIP_BYTES, members, MAX_TOTAL_BYTES, MAX_RATIO, _size_limit)


def _size_limit(name: str) -> int | None:
    """How large a member of this name may be; None: no member of a backup has it."""
    if name == MANIFEST:
        return MAX_MANIFEST_BYTES
    if name in FILES:
        return MAX_FILE_BYTES
    return routine_files.MAX_FILE_BYTES if _in_folder(name) else None


def _read_checked(zf: zipfile.ZipFile) -> dict[str, bytes]:
    names = {info.filename: info for info in zf.infolist()}
    if MANIFEST not in names:
        raise BackupError("not a hipdash backup: it has no manifest.json")
    routines = [info.file_size for name, info in names.items() if _in_folder(name)]
    too_much = routine_files.past_bounds(routines)
    if too_much:
        raise BackupError(f"not a hipdash backup: {too_much}")
    manifest = _manifest(ziplimits.read_member(zf, MANIFEST))
    if manifest["version"] == 1 and routines:
        raise BackupError("damaged backup: a version 1 backup holds no routines")
    unlisted = sorted(set(names) - set(manifest["files"]) - {MANIFEST})
    if unlisted:
        raise BackupError(f"damaged backup: {', '.join(unlisted)} not in its manifest")
    return {name: _checked(zf, names, name, entry) for name, entry in manifest["files"].items()}


def _in_folder(name: str) -> bool:
    return any(folder.is_ours(name) for folder in FOLDERS.values())


def _checked(zf: zipfile.ZipFile, names: dict, name: str, expected: dict) -> bytes:
    """One file of the backup: present, matching its checksum, every line readable (a
    routine file: valid by the routine loader's own checks, unless the backup says it was
    unusable already when it was made: then it comes back as it was)."""
    if (name not in FILES and not _in_folder(name)) or name not in names:
        raise BackupError(f"damaged backup: {name} is listed but missing")
    data = ziplimits.read_member(zf, name)
    if len(data) != expected["bytes"] or _sha256(data) != expected["sha256"]:
        raise BackupError(f"damaged backup: {name} does not match its checksum")
    if name not in FILES:
        if UNUSABLE in expected:
            return data
        why = next(f.problem(name, data) for f in FOLDERS.values() if f.is_ours(name))
        if why:
            raise BackupError(f"not a hipdash backup: {why}")
        return data
    try:
        return FILES[name].clean(data, strict=True)[0]
    except BadLine as exc:
        raise BackupError(f"not a hipdash backup: {exc}") from None


def _manifest(raw: bytes) -> dict:
    try:
        manifest = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BackupError("not a hipdash backup: manifest.json is not JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("not a hipdash backup: manifest.json is not a hipdash manifest")
    if manifest.get("version") not in READABLE_VERSIONS:
        raise BackupError(f"backup format version {manifest.get('version')!r} is not supported")
    if not isinstance(manifest.get("files"), dict):
        raise BackupError("not a hipdash backup: manifest.json lists no files")
    for name, entry in manifest["files"].items():
        if not (
            isinstance(entry, dict)
            and type(entry.get("bytes")) is int
            and isinstance(entry.get("sha256"), str)
            and isinstance(entry.get(UNUSABLE, ""), str)
        ):
            raise BackupError(f"damaged backup: the manifest's entry for {name!r} is not valid")
    return manifest


def restore_backup(raw: bytes, data_dir: Path, now: datetime | None = None) -> RestoreResult:
    """Replace the data files with the backup's, keeping the current ones aside; raises
    BackupError (nothing changed) or RestoreFailed (says where the old files are)."""
    files = read_backup(raw)
    data_dir = Path(data_dir)
    try:
        private.make_dir(data_dir)
        with _locked(data_dir):
            present = _present(data_dir)
            aside = _new_aside(data_dir, now or datetime.now()) if present else None
            try:
                _swap(data_dir, aside, present, files)
            finally:
                store.clear_cache()
    except Timeout:
        raise BackupError("the data is in use by another restore or a writer; try again") from None
    except OSError as exc:
        if isinstance(exc, RestoreFailed):
            raise
        raise BackupError(f"could not restore ({exc.strerror or exc})") from exc
    return RestoreResult(tuple(files), aside, tuple(present))


@contextmanager
def _locked(data_dir: Path) -> Iterator[None]:
    """The data dir's restore lock (restores take turns), then every writer's lock (the
    app state's too: its session may go aside)."""
    with ExitStack() as held:
        data_locks = (f"{n}.lock" for n in sorted(FILES))
        for name in [RESTORE_LOCK, *data_locks, ROUTINES_LOCK, f"{appstate.FILE}.lock"]:
            lock = locks.lock_path(data_dir, name)
            held.enter_context(locks.file_lock(lock, LOCK_TIMEOUT_SECONDS))
        yield


def _present(data_dir: Path) -> list[str]:
    """The data files there now (and conflict copies of them); BackupError for one that is a
    link or not a plain file."""
    present = []
    for name in [*FILES, *FOLDERS]:
        path = data_dir / name
        if path.is_symlink():
            raise BackupError(store.refusal(path, "a symbolic link"))
        if path.exists():
            if not (path.is_dir() if name in FOLDERS else path.is_file()):
                raise BackupError(store.refusal(path, "not a regular file"))
            present.append(name)
    # A sync tool's conflict copy of a data file belongs to the data being replaced: kept
    # aside with it, not merged into the restored file afterwards.
    present += [copy.name for name in FILES for copy in names.copies(data_dir, name)]
    states = [data_dir / appstate.FILE, *names.copies(data_dir, appstate.FILE)]
    if any(_holds_a_session(path) for path in states):  # all: a merge would bring one back
        present += [path.name for path in states if path.exists()]
    return present


def _holds_a_session(path: Path) -> bool:
    """Whether app-state.json (or a sync tool's copy of it) says where a session of the
    data now there was: a guided screen or a running stopwatch. One that holds only the
    last routine used stays (a fresh install's, opened once before its restore, makes no
    folder of replaced files)."""
    state = appstate.read_file(path)  # a link or a FIFO reads as nothing
    return bool(state.places or state.timers)


def _new_aside(data_dir: Path, now: datetime) -> Path:
    """A new folder for the replaced files, never one that exists already."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    while True:
        aside = data_dir / f"replaced-{stamp}-{secrets.token_hex(3)}"
        try:
            aside.mkdir(mode=private.DIR_MODE)  # a new one: never one that exists
            return aside
        except FileExistsError:
            continue


def _swap(data_dir: Path, aside: Path | None, present: list[str], files: dict) -> None:
    """Move the present files aside and write the backup's; undo all of it on a failure."""
    moved: list[str] = []
    written: list[str] = []
    try:
        for name in present:
            os.replace(data_dir / name, aside / name)
            moved.append(name)
        for name, data in files.items():
            if _in_folder(name):  # written: the folder, so an undo removes it whole
                folder = name.split("/", 1)[0]
                if folder not in written:
                    written.append(folder)
                _make_folders(data_dir, name)
            else:
                written.append(name)
            _write_new(data_dir / name, data)
        store.fsync_dir(data_dir)
    except OSError as exc:
        _undo(data_dir, aside, moved, written, exc)
        raise


def _undo(data_dir: Path, aside: Path | None, moved: list, written: list, cause: OSError):
    """Put the moved files back; if that fails too, say where they are."""
    try:
        for name in written:
            if name in FOLDERS:  # the backup's copy, written into a folder of its own
                if (data_dir / name).is_dir():
                    shutil.rmtree(data_dir / name)
            elif name not in moved:
                (data_dir / name).unlink(missing_ok=True)
        for name in list(moved):
            os.replace(aside / name, data_dir / name)
            moved.remove(name)
        if aside is not None:
            aside.rmdir()
    except OSError as exc:
        raise RestoreFailed(
            exc.errno,
            f"could not restore ({cause.strerror or cause}), and putting the previous files "
            f"back failed too ({exc.strerror or exc}): {', '.join(moved) or 'they'} "
            f"{'are' if len(moved) != 1 else 'is'} in {aside}; nothing was deleted",
        ) from cause


def _make_folders(data_dir: Path, name: str) -> None:
    """The folders of a folder's file (`routines/previous/<id>/`), private."""
    private.make_dir(data_dir / Path(name).parent)


def describe(names) -> str:
    """'checkoffs.csv, sessions.csv, your routines (12 files)': what a backup holds."""
    plain = [n for n in names if not _in_folder(n)]
    count = len(names) - len(plain)
    if count:
        plain.append(f"your routines ({plural(count, 'file')})")
    return ", ".join(plain)


def _write_new(path: Path, data: bytes, suffix: str = ".restoring") -> None:
    """A restored file, written whole and private, then renamed over what is at `path`."""
    private.write_over(path, data, suffix)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Listed:
    """What a backup `make_backup` made says it holds, from its manifest (read once)."""

    files: tuple[str, ...]
    left_out: dict[str, int]  # file name -> how many unreadable lines were left out of it
    unusable: dict[str, str]  # routine file name -> why the app cannot use it (kept as is)


def listed(raw: bytes) -> Listed:
    """The files of a backup `make_backup` made, and what it says of them."""
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        files = json.loads(zf.read(MANIFEST))["files"]
    return Listed(
        tuple(files),
        {n: e["left_out_lines"] for n, e in files.items() if e.get("left_out_lines")},
        {n: e[UNUSABLE] for n, e in files.items() if e.get(UNUSABLE)},
    )


def read_zip(path: Path) -> bytes:
    """A backup file's bytes (`safefile.read_plain`: no FIFO, device or link, at most
    MAX_ZIP_BYTES); BackupError saying why not."""
    try:
        return safefile.read_plain(Path(path), MAX_ZIP_BYTES)
    except (safefile.NotAFile, safefile.TooLarge) as exc:
        raise BackupError(exc.strerror) from None
