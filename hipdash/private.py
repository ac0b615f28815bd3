"""Making the files and folders hipdash writes: its user's alone, whatever the umask.

Health data: every folder hipdash makes (the data dir, its subfolders, the folders of the
locks) is created 0700 and every file (data files, routines, backups, reports, lock files)
0600, from its first byte. A umask only ever takes bits away, so these modes hold under
any umask that leaves the owner their own access. A folder that exists already is left
as its owner set it. Every place that creates a file or folder goes through here.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from filelock import FileLock

from hipdash.writers import writer

DIR_MODE = 0o700
FILE_MODE = 0o600
NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def make_dir(path: Path) -> Path:
    """`path` as a folder: it and each missing parent made private (unlike `mkdir -p`,
    whose parents follow the umask)."""
    wanted = path = Path(path)
    missing = []
    while not path.is_dir() and path != path.parent:
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:  # made meanwhile (or a file there: the caller's open says)
            if not folder.is_dir():
                raise
    return wanted


def open_new(path: Path) -> int:
    """A descriptor of a new file at `path`, mode 0600, created exclusively (anything there,
    a link included, is FileExistsError)."""
    return os.open(path, NEW_FILE, FILE_MODE)


def fill(fd: int, data: bytes) -> None:
    """Write `data` whole through a new file's `fd`, synced to disk, and close it."""
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


@writer
def write_new(path: Path, data: bytes) -> None:
    """Write a new private file; FileExistsError if anything is at `path`."""
    fd = open_new(path)
    try:
        fill(fd, data)
    except BaseException:
        Path(path).unlink(missing_ok=True)
        raise


@writer
def write_over(path: Path, data: bytes, suffix: str = ".part") -> None:
    """Write a private file whole under a fresh temporary name, then rename it over whatever
    is at `path` (a link there is replaced, not followed)."""
    path = Path(path)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    try:  # mkstemp: 0600, created exclusively
        fill(fd, data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write(path: Path, data: bytes, replace: bool = False) -> None:
    """`write_over` with `replace`, else `write_new`."""
    (write_over if replace else write_new)(path, data)


def file_lock(lock: Path, timeout: float) -> FileLock:
    """A `FileLock` whose file is 0600, its folder made private if missing."""
    make_dir(Path(lock).parent)
    return FileLock(str(lock), timeout=timeout, mode=FILE_MODE)
