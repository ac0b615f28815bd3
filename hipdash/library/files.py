"""Small, careful file operations for the user's routines in the data dir.

Everything here refuses symlinks (a routine file, a marker or one of the folders may
not point anywhere else), writes through a temp file that is synced and renamed over
the target (a crash leaves the old file or the new one, never half of one), and reads
no more than `MAX_FILE_BYTES`.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from hipdash import private, safefile
from hipdash.limits import MAX_FILE_BYTES
from hipdash.store import fsync_dir
from hipdash.writers import writer


class LibraryError(Exception):
    """A routine could not be saved, found or changed; the message says why, for a person."""


def why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def ensure_dir(path: Path) -> Path:
    """`path` as a real folder (created, private, if missing); a symlink is refused."""
    try:
        if path.is_symlink():
            raise LibraryError(f"{path} is a symbolic link; refusing to use it")
        private.make_dir(path)
    except OSError as exc:
        raise LibraryError(f"cannot write in {path} ({why(exc)})") from None
    return path


def real_folder(base: Path, *parts: str, create: bool = False) -> Path:
    """`base/parts...`, checking that neither `base` nor any part is a symlink (and making
    the missing ones, private, with `create`). The folder may not exist without `create`."""
    path = Path(base)
    for part in ("", *parts):
        path = path / part if part else path
        try:
            link = path.is_symlink()
        except OSError as exc:  # a folder on the way that cannot be read
            raise unreadable_error(path, exc) from None
        if link:
            raise LibraryError(f"{path} is a symbolic link; refusing to use it")
        if create:
            ensure_dir(path)
    return path


def unreadable_error(path: Path, exc: OSError) -> LibraryError:
    """'… cannot be read (Permission denied)': a folder or file of the library that is there
    but cannot be read."""
    return LibraryError(f"{path} cannot be read ({why(exc)})")


def read_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a plain file (`safefile.read_plain`: no link, no FIFO), at most `limit`."""
    try:
        return safefile.read_plain(path, limit)
    except (safefile.NotAFile, safefile.TooLarge) as exc:
        raise LibraryError(exc.strerror) from None
    except OSError as exc:
        raise unreadable_error(path, exc) from None


@writer
def write_file(path: Path, data: bytes) -> None:
    """Put `data` at `path` atomically (`replace_whole`), private, its folder made."""
    ensure_dir(path.parent)
    if path.is_symlink():
        raise LibraryError(f"{path} is a symbolic link; refusing to replace it")
    try:
        replace_whole(path, data)
    except OSError as exc:
        raise LibraryError(f"cannot write {path} ({why(exc)})") from None


@writer
def replace_whole(path: Path, data: bytes, mode: int = private.FILE_MODE) -> None:
    """Put `data` at `path` through a hidden temp file beside it (made with `mode`), synced,
    renamed over `path`, the folder synced: a crash leaves the old file or the new one.
    OSError as it comes; the temp file never stays."""
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        private.fill(os.open(temp, private.NEW_FILE, mode), data)
        os.replace(temp, path)
        fsync_dir(path.parent)
    finally:
        temp.unlink(missing_ok=True)


@writer
def create_file(path: Path, data: bytes) -> bool:
    """Write a new file (never over an existing one); False if `path` exists already."""
    ensure_dir(path.parent)
    try:
        fd = private.open_new(path)
    except FileExistsError:
        return False
    except OSError as exc:
        raise LibraryError(f"cannot write {path} ({why(exc)})") from None
    try:
        private.fill(fd, data)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise LibraryError(f"cannot write {path} ({why(exc)})") from None
    fsync_dir(path.parent)
    return True


@writer
def move_file(source: Path, target: Path) -> None:
    """Rename `source` to `target` (same file system, atomic); neither may be a symlink."""
    ensure_dir(target.parent)
    if target.is_symlink():
        raise LibraryError(f"{target} is a symbolic link; refusing to replace it")
    try:
        os.replace(source, target)
    except OSError as exc:
        raise LibraryError(f"cannot move {source} ({why(exc)})") from None
    fsync_dir(source.parent)
    fsync_dir(target.parent)


@writer
def remove_file(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise LibraryError(f"cannot remove {path} ({why(exc)})") from None
    fsync_dir(path.parent)


def stat_key(path: Path | str) -> tuple | None:
    """(path, change time, size, inode) of a file, None if it cannot be looked at: what a
    signature compares to notice a file changed, here or on another device."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (str(path), info.st_mtime_ns, info.st_size, info.st_ino)


def plain_files(folder: Path, suffix: str = "", strict: bool = False) -> list[Path]:
    """The regular files (not symlinks, not hidden) directly in `folder`, by name. With
    `strict`, LibraryError for a folder that is there but cannot be listed (so that none
    is not said of what cannot be read); else none."""
    return _listed(
        folder, lambda e: e.is_file(follow_symlinks=False) and e.name.endswith(suffix), strict
    )


def subfolders(folder: Path) -> list[Path]:
    """The real folders (not symlinks, not hidden) directly in `folder`, by name."""
    return _listed(folder, lambda e: e.is_dir(follow_symlinks=False))


def file_names(folder: Path) -> list[Path]:
    """Every entry directly in `folder` but hidden ones and real folders, by name: regular
    files and also what only poses as one (a link, a FIFO), so that it can be refused by
    name rather than passed over in silence."""
    return _listed(folder, lambda e: not e.is_dir(follow_symlinks=False))


def _listed(folder: Path, keep: Callable[[os.DirEntry], bool], strict: bool = False) -> list[Path]:
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    except OSError as exc:
        if strict:
            raise unreadable_error(folder, exc) from None
        return []
    return sorted(Path(e.path) for e in entries if not e.name.startswith(".") and keep(e))


def unreadable(folder: Path, check_files: bool = False) -> dict[Path, str]:
    """What of `folder` (your routines, in the data dir) hipdash cannot read, named from the
    data dir ('routines/previous cannot be read: permission denied'): the folder itself if
    it is a link, a file or unreadable, each folder in it that cannot be listed, and with
    `check_files` each file that cannot be opened. Without this, what they hold would be
    passed over as if there were none. A missing folder is fine; a link or a FIFO inside is
    refused by name where it is read; a data dir that is a file is said where it is read."""
    folder = Path(folder)
    found: dict[Path, str] = {}

    def failed(exc: OSError) -> None:
        if not isinstance(exc, FileNotFoundError):
            found[Path(exc.filename)] = _cannot_read(Path(exc.filename), folder.parent, exc)

    try:
        if stat.S_ISLNK(os.lstat(folder).st_mode):
            return {folder: f"{folder.name} is a symbolic link: {LINK_REFUSED}"}
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except OSError as exc:
        return {folder: _cannot_read(folder, folder.parent, exc)}
    for top, folders, names in os.walk(folder, onerror=failed):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for path in (Path(top) / n for n in names if check_files and not n.startswith(".")):
            try:
                os.close(safefile.open_plain(path, os.O_RDONLY))
            except (FileNotFoundError, safefile.NotAFile):
                continue  # gone, or a link or a FIFO: refused by name where it is read
            except OSError as exc:
                found[path] = _cannot_read(path, folder.parent, exc)
    return found


LINK_REFUSED = "hipdash never follows one (put the folder itself there)"


def _cannot_read(path: Path, base: Path, exc: OSError) -> str:
    name = path.relative_to(base).as_posix()
    if exc.errno == errno.ENOTDIR:
        return f"{name} is not a folder (a file is in its way)"
    return f"{name} cannot be read: {safefile.reason(exc)}"
