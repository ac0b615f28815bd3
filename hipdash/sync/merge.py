"""Conflict copies of the append-only files, merged into the file they are a copy of.

Two computers that tick between syncs each append to their own `checkoffs.csv`; the sync
tool keeps one and sets the other aside under a conflict name (`hipdash.sync.names`).
Every line is a whole change, so nothing needs choosing: under the file's lock, every
readable line of the copy that the file lacks (a line is the same line when all its values
are) is appended, ordered by `recorded_at` (ties: as in the copy), and the copy is moved,
under its own name, into `merged/` in the data dir, never deleted. Which change of a thing
wins is then decided by `recorded_at` (`hipdash.stamps`), so both computers reach the
same state from the same lines. Lines of the copy that cannot be read are reported; they
stay in the moved copy. Merging a copy again appends nothing. A "copy" that is not a plain
file (a link, a folder) is never read or followed: it is said, and moved as it is into
`merged/`, so that it is said once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from hipdash import appstate, feelings, locks, log, private, safefile, sessions, stamps, store
from hipdash.datafiles import KINDS
from hipdash.store import FileKind, StoreWriteError
from hipdash.sync import names
from hipdash.words import plural

MERGED = "merged"
MAX_BYTES = 200_000_000  # as a backup's files: far beyond decades of ticks
WHAT = {  # a file's lines, and the file, in words
    log.KIND.name: ("tick", "your log"),
    sessions.SESSION_KIND.name: ("session's details", "your session details"),
    sessions.DAY_KIND.name: ("day mark", "your marked days"),
    feelings.KIND.name: ("feeling", "how exercises felt"),
}


@dataclass(frozen=True)
class Merged:
    """One conflict copy, merged (or not: `error` says why; it was left where it is, or
    moved unread into merged/ when it is no plain file, `kept`)."""

    file: str  # the file it is a copy of
    copy: str  # the copy's name (in merged/ now, unless error)
    rows: int = 0  # lines appended to the file
    problems: tuple[str, ...] = ()  # its lines that could not be read (kept in the copy)
    kept: Path | None = None  # where the copy is now
    error: str = ""
    summary: str = ""  # what was done, when it was not a merge of lines

    @property
    def text(self) -> str:
        """'Merged 3 ticks from another computer's copy of your log (…, now in merged/).'"""
        noun, what = WHAT.get(self.file, ("line", self.file))
        if self.summary and not self.error:
            return self.summary
        if self.error:
            return f"Could not merge {self.copy} into {what}: {self.error}"
        where = f"now in {MERGED}/" if self.kept else "left where it is"
        return (
            f"Merged {plural(self.rows, noun)} from another computer's copy of {what} "
            f"({self.copy}, {where})."
        )


def merge_all(data_dir: Path) -> list[Merged]:
    """Merge every conflict copy of every append-only file in the data dir, and keep the
    newer of two versions of the app state."""
    data_dir = Path(data_dir)
    if not any_pending(data_dir):  # the usual case: one folder listing
        return []
    done = []
    for kind in (*KINDS, appstate.FILE):
        name = kind if isinstance(kind, str) else kind.name
        for copy in pending(data_dir, name):
            odd = _not_plain(copy)
            if odd:
                done.append(_set_aside(data_dir, name, copy, odd))
            elif isinstance(kind, str):
                done.append(keep_newer_state(data_dir, copy))
            else:
                done.append(merge_copy(data_dir, kind, copy))
    return done


def _not_plain(copy: Path) -> str:
    """Why the copy is no plain file to read (a link, a folder, a FIFO), or ""."""
    try:
        os.close(safefile.open_plain(copy, os.O_RDONLY))
    except safefile.NotAFile as exc:
        return safefile.why(exc)
    except OSError:
        return ""  # gone meanwhile, or unreadable: the merge says which
    return ""


def _set_aside(data_dir: Path, file: str, copy: Path, why: str) -> Merged:
    """Move what is no plain file into merged/ as it is (a link stays a link, unfollowed),
    saying why its lines did not come in."""
    try:
        kept = _move(copy, _folder(Path(data_dir) / MERGED))
    except OSError as exc:
        error = f"{why}; it could not be moved aside ({safefile.why(exc)})"
        return Merged(file, copy.name, error=error)
    return Merged(file, copy.name, kept=kept, error=f"{why}; moved unread into {MERGED}/")


def pending(data_dir: Path, kind: FileKind | str) -> list[Path]:
    """The conflict copies of one data file waiting in the data dir."""
    return names.copies(Path(data_dir), kind if isinstance(kind, str) else kind.name)


def any_pending(data_dir: Path) -> bool:
    """Whether any copy waits: cheap enough to ask every few seconds (one folder listing)."""
    try:
        entries = [entry.name for entry in os.scandir(data_dir)]
    except OSError:
        return False
    files = [kind.name for kind in KINDS] + [appstate.FILE]
    return any(names.is_copy(entry, name) for entry in entries for name in files)


def merge_copy(data_dir: Path, kind: FileKind, copy: Path) -> Merged:
    """Append what the copy adds to the file, under its lock, then move the copy away (to
    a folder made first: a copy merged but not moved would be said to fail at every run)."""
    target = kind.store(data_dir)
    try:
        folder = _folder(Path(data_dir) / MERGED)
    except OSError as exc:
        return Merged(kind.name, copy.name, error=exc.strerror or str(exc))
    try:
        with target.locked() as held:
            rows, problems = _rows(kind, copy.name, _read(copy))
            have = set(_rows(kind, kind.name, _read(target.path, missing_ok=True))[0])
            new = _new(rows, have)
            held.append(new)
            kept = _move(copy, folder)
    except (OSError, StoreWriteError) as exc:
        return Merged(kind.name, copy.name, error=exc.strerror or str(exc))
    return Merged(kind.name, copy.name, len(new), problems, kept)


def _read(path: Path, missing_ok: bool = False) -> bytes:
    """A plain file's bytes (no link followed, nothing that blocks), at most MAX_BYTES."""
    try:
        return safefile.read_plain(path, MAX_BYTES)
    except FileNotFoundError:
        if missing_ok:
            return b""
        raise


def _rows(kind: FileKind, name: str, data: bytes) -> tuple[list[tuple[str, ...]], tuple]:
    """The values of every readable line, in order; and what could not be read, by line."""
    problems = []
    *complete, tail = data.split(b"\n")
    for number, raw in enumerate(complete, 1):
        result = kind.read_line(raw, number == 1)
        if isinstance(result, str):
            problems.append(f"{name} line {number}: {result}")
    if tail:
        problems.append(f"{name} line {len(complete) + 1}: the last line is incomplete; not read")
    cleaned, _ = kind.clean(data, strict=False)  # readable lines, formulas neutralised
    lines = cleaned.decode("utf-8").split("\n")[1:-1]  # after the header
    rows = [tuple(kind.fields(line.removesuffix("\r"))) for line in lines]
    return rows, tuple(problems)


def _new(rows: list[tuple[str, ...]], have: set) -> list[tuple[str, ...]]:
    """The rows not in `have`, once each, by recorded_at; rows of the same instant in the
    copy's order (of their last occurrence), so every computer appends them alike."""
    last = {row: at for at, row in enumerate(rows) if row not in have}
    return sorted(last, key=lambda row: (stamps.instant(row[0]), last[row]))


def _move(copy: Path, folder: Path) -> Path:
    """Move the copy into `folder` under its own name (numbered if that is taken)."""
    folder = _folder(folder)
    stem, suffix = os.path.splitext(copy.name)
    target, n = folder / copy.name, 1
    while target.exists() or target.is_symlink():
        n += 1
        target = folder / f"{stem} ({n}){suffix}"
    os.rename(copy, target)
    store.fsync_dir(copy.parent)
    store.fsync_dir(folder)
    return target


def _folder(folder: Path) -> Path:
    """`folder`, made if need be; OSError saying so if something else has its name."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise OSError(0, f"{folder} is not a folder: move it away, and the copy is merged")
    private.make_dir(folder)
    return folder


def keep_newer_state(data_dir: Path, copy: Path) -> Merged:
    """Of `app-state.json` and a conflict copy of it, keep the one written last (it is
    small convenience: the last routine, running stopwatches), unless only the other holds
    app state (a copy of garbage never wins); the other goes to merged/."""
    main = Path(data_dir) / appstate.FILE
    try:
        lock = locks.file_lock(locks.lock_for(main), appstate.LOCK_TIMEOUT_SECONDS)
        with lock:
            copy_newer = not appstate.usable(main) or (
                appstate.usable(copy) and copy.stat().st_mtime_ns > main.stat().st_mtime_ns
            )
            if copy_newer and main.exists():
                _move(main, Path(data_dir) / MERGED)
            kept = _move(copy, Path(data_dir) / MERGED) if not copy_newer else None
            if copy_newer:
                os.rename(copy, main)
                store.fsync_dir(main.parent)
    except OSError as exc:
        return Merged(appstate.FILE, copy.name, error=exc.strerror or str(exc))
    which = "another computer's" if copy_newer else "this computer's"
    summary = f"Kept {which} newer {appstate.FILE}; the other is in {MERGED}/."
    return Merged(appstate.FILE, copy.name, kept=kept, summary=summary)
