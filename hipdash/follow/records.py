"""What is remembered about a routine that follows a note, in `<data dir>/routines/notes/`:

    <id>.json                   the note's path, the routine its last import gave (the
                                base of the three-way merge, with ids), the digest of that
                                note's bytes, "apply by themselves", the change put off
    <id>.md                     the note as last imported (or last written), for a person
    previous/<id>/<time>.md     a note as it was before the app wrote the routine into it

They are user data in the routines folder, so backups carry them (`is_ours`, `problem`).
Reads and writes go through `hipdash.library.files` (no symlinks, atomic, private); the
caller holds the routines lock (`hipdash.library.save.locked`) for every write.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from hipdash.fields import SLUG
from hipdash.library import files
from hipdash.library.files import LibraryError
from hipdash.library.load import ROUTINES, user_dir
from hipdash.limits import MAX_FILE_BYTES
from hipdash.models import Routine
from hipdash.routines import RoutineError, routine_from_data, routine_to_data
from hipdash.writers import writer

FOLDER = "notes"
PREVIOUS = "previous"
KEEP_PREVIOUS = 20  # notes kept per routine from before a write-back
MAX_RECORD_BYTES = MAX_FILE_BYTES  # a record holds a path and a routine: a few kB
_STAMP = "%Y%m%d-%H%M%S-%f"
_ID = SLUG.pattern.strip("^$")
NAME = re.compile(
    rf"^{ROUTINES}/{FOLDER}/(?:(?P<record>{_ID})\.json|(?P<text>{_ID})\.md"
    rf"|{PREVIOUS}/(?P<previous>{_ID})/\d{{8}}-\d{{6}}-\d{{6}}\.md)$"
)


@dataclass(frozen=True)
class Follow:
    """A routine following a note. `digest`: SHA-256 of the note's bytes when last imported
    or written; `base`: the routine that note gave, with the ids it was matched to; `auto`:
    apply the note's changes by themselves; `put_off`: the digest of a change put off
    ("Not now"), not asked about again until the note changes once more."""

    routine_id: str
    path: Path
    digest: str
    base: Routine
    auto: bool = False
    put_off: str = ""


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def folder(data_dir: Path, *parts: str, create: bool = False) -> Path:
    return files.real_folder(user_dir(data_dir), FOLDER, *parts, create=create)


def _checked_id(routine_id: str) -> str:
    if not isinstance(routine_id, str) or not SLUG.match(routine_id):
        raise LibraryError(f"not a routine id: {routine_id!r}")
    return routine_id


def parse(
    raw: bytes,
    routine_id: str,
    where: str = "",
    any_note: bool = False,
    data_dir: Path | None = None,
) -> Follow:
    """A record's bytes -> `Follow`; LibraryError saying what is wrong with it. `any_note`:
    its path may be any absolute path (a restore brings back a record of an older hipdash,
    which followed any file, as it was; the pages then say it and follow nothing).
    `data_dir`: where the record is, to find the note from there (`_located`)."""
    where = where or f"{routine_id}.json"
    if len(raw) > MAX_RECORD_BYTES:
        raise LibraryError(f"{where}: too large ({len(raw):,} bytes)")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise LibraryError(f"{where}: not a hipdash note record (not JSON)") from None
    if not isinstance(data, dict) or set(data) - {*_KEYS, "from_data"}:
        raise LibraryError(f"{where}: not a hipdash note record")
    path, sha, auto, off = (data.get(k) for k in ("path", "digest", "auto", "put_off"))
    if not (may_follow(path) or (any_note and _absolute(path))):
        raise LibraryError(
            f"{where}: path: not the absolute path of a markdown note; nothing is read from "
            "it: follow a .md note again (a routine's Edit menu: Its note, or `hipdash import`)"
        )
    if not (isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{64}", sha)):
        raise LibraryError(f"{where}: digest: not a SHA-256")
    if not isinstance(auto, bool) or not (off == "" or re.fullmatch(r"[0-9a-f]{64}", off or "")):
        raise LibraryError(f"{where}: auto or put_off: not valid")
    try:
        base = routine_from_data(data.get("base"), f"{where}: base")
    except RoutineError as exc:
        raise LibraryError("; ".join(exc.problems)) from None
    if base.id != routine_id:
        raise LibraryError(f"{where}: base: holds another routine ({base.id!r})")
    if data_dir is not None:
        path = _located(path, data.get("from_data"), data_dir)
    return Follow(routine_id, Path(path), sha, base, auto, off)


_KEYS = ("path", "digest", "base", "auto", "put_off")


def _located(path: str, from_data: object, data_dir: Path) -> str:
    """The note where the record says, else where it is from the data folder: a data folder
    synced between computers holds records of the other computer too, whose absolute paths
    differ (/home/ana/Vault/… here, /Users/ana/Vault/… there) while the note's place
    beside the data folder (`../notes/routine.md`) is the same."""
    if os.path.lexists(path) or not isinstance(from_data, str) or "\x00" in from_data:
        return path
    there = str(note_path(os.path.join(os.path.abspath(data_dir), from_data)))
    return there if may_follow(there) and os.path.lexists(there) else path


NOTE_SUFFIXES = (".md", ".markdown")


def note_path(path: Path | str) -> Path:
    """The path a record keeps for a note: absolute, `..` taken out (not resolved: a link
    on the way is refused when the note is read)."""
    return Path(os.path.abspath(path))


def may_follow(path) -> bool:
    """Whether a record may name this path: a markdown note's, absolute, with no `..`. A
    record can come from a backup or another computer, and the pages read the file it
    names and may write into it: never a file of any other kind (docs/security.md)."""
    if not _absolute(path):
        return False
    return ".." not in Path(path).parts and path.lower().endswith(NOTE_SUFFIXES)


def _absolute(path) -> bool:
    return isinstance(path, str) and path.startswith("/") and "\x00" not in path


def dump(follow: Follow, data_dir: Path) -> bytes:
    data = {
        "path": str(follow.path),
        "from_data": os.path.relpath(follow.path, os.path.abspath(data_dir)),
        "digest": follow.digest,
        "base": routine_to_data(follow.base),
        "auto": follow.auto,
        "put_off": follow.put_off,
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def previous_auto(data_dir: Path, routine_id: str) -> bool:
    """Whether the record a new one replaces applied changes by themselves; False if there
    is none or it cannot be used (a new record replaces a broken one)."""
    try:
        old = read(data_dir, routine_id)
    except LibraryError:
        return False
    return bool(old and old.auto)


def read(data_dir: Path, routine_id: str) -> Follow | None:
    """The record of a routine, None if it follows no note; LibraryError if it is broken."""
    path = folder(data_dir) / f"{_checked_id(routine_id)}.json"
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise files.unreadable_error(path, exc) from None
    raw = files.read_file(path, MAX_RECORD_BYTES)
    return parse(raw, routine_id, str(path), data_dir=data_dir)


def read_all(data_dir: Path) -> tuple[dict[str, Follow], list[str]]:
    """Every record (routine id -> Follow) and the problems of those that cannot be used."""
    found: dict[str, Follow] = {}
    problems: list[str] = []
    try:
        paths = files.plain_files(folder(data_dir), ".json")
    except LibraryError as exc:
        return {}, [str(exc)]
    for path in paths:
        rid = path.name.removesuffix(".json")
        if not SLUG.match(rid):
            continue
        try:
            raw = files.read_file(path, MAX_RECORD_BYTES)
            found[rid] = parse(raw, rid, str(path), data_dir=data_dir)
        except LibraryError as exc:
            problems.append(str(exc))
    return found, problems


@writer
def write(data_dir: Path, follow: Follow, text: bytes | None = None) -> Follow:
    """Save a record (and, with `text`, the note it was made from); the caller holds the lock."""
    here = folder(data_dir, create=True)
    rid = _checked_id(follow.routine_id)
    if not may_follow(str(follow.path)):
        raise LibraryError(f"{follow.path}: only a markdown note (.md) is followed")
    if text is not None:
        files.write_file(here / f"{rid}.md", text)
    files.write_file(here / f"{rid}.json", dump(follow, data_dir))
    return follow


@writer
def remove(data_dir: Path, routine_id: str) -> None:
    """Stop following: the record goes; the notes kept from before write-backs stay."""
    here = folder(data_dir)
    for name in (f"{_checked_id(routine_id)}.json", f"{routine_id}.md"):
        files.remove_file(here / name)


@writer
def keep_previous(data_dir: Path, routine_id: str, raw: bytes, now: datetime) -> Path:
    """Keep a note's bytes from before the app wrote into it; the newest few per routine."""
    here = folder(data_dir, PREVIOUS, _checked_id(routine_id), create=True)
    for n in range(1000):  # never over another: a microsecond later
        path = here / f"{(now + timedelta(microseconds=n)).strftime(_STAMP)}.md"
        if files.create_file(path, raw):
            break
    else:
        raise LibraryError(f"cannot keep the previous note of {routine_id!r}")
    for old in sorted(files.plain_files(here, ".md"))[:-KEEP_PREVIOUS]:
        files.remove_file(old)
    return path


def problem(name: str, data: bytes) -> str | None:
    """Why a file of `notes/` may not be restored from a backup (None: it may)."""
    match = NAME.fullmatch(name)
    if match is None:
        return f"{name}: not a note record of hipdash"
    if match["record"]:
        try:
            parse(data, match["record"], name, any_note=True)
        except LibraryError as exc:
            return str(exc)
        return None
    if len(data) > MAX_FILE_BYTES:
        return f"{name}: too large ({len(data):,} bytes) for a note"
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return f"{name}: not UTF-8 text"
    return None


def signature(data_dir: Path) -> tuple:
    """Names, sizes and change times of every record and of the note each one follows: it
    changes when a note is edited (in Obsidian, on another device) or a record is saved."""
    try:
        paths = files.plain_files(folder(data_dir), ".json")
    except LibraryError:
        return ()
    out = []
    for mine in filter(None, map(files.stat_key, paths)):
        path, from_data = _followed(*mine)
        note = _located(path, from_data, data_dir) if path else ""  # not cached: what exists
        out.append((mine, note, files.stat_key(note) if note else None))
    return tuple(out)


@lru_cache(maxsize=256)
def _followed(path: str, *stat: int) -> tuple[str, object]:
    """The note path a record names and its way from the data folder (read once per
    version of the record file)."""
    try:
        data = json.loads(files.read_file(Path(path), MAX_RECORD_BYTES))
    except (LibraryError, ValueError, UnicodeDecodeError, RecursionError):
        return "", None
    value = data.get("path") if isinstance(data, dict) else None
    if not isinstance(value, str) or "\x00" in value:
        return "", None
    return value, data.get("from_data")


def backup_paths(data_dir: Path) -> list[Path]:
    """Every file of `notes/` a backup takes (plain files only)."""
    try:
        here = folder(data_dir)
    except LibraryError:
        return []
    paths = files.plain_files(here)
    for sub in files.subfolders(here / PREVIOUS):
        paths += files.plain_files(sub)
    return paths
