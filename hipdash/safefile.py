"""Opening a file hipdash reads or writes without being fooled by what sits at its name.

Every file hipdash reads (the data files, routine files in the data dir and the bundled
folder, the app's state, a note or a backup handed to it) is opened here:

* without following a symbolic link in its last component (`O_NOFOLLOW`);
* without blocking (`O_NONBLOCK`): a FIFO planted under the name cannot hang a page or a
  command, even while it holds a lock;
* and only if it is a regular file with one name: a device (`/dev/zero`), a folder, a
  FIFO or a hard link to a file elsewhere (whose lines would be shown and appended to) is
  refused with a message naming it.

`read_plain` also reads no more than a limit, checked before and while reading, so a file
that is (or grows) too large never fills the memory.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

OPEN_FLAGS = os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class NotAFile(OSError):
    """A name that is a symbolic link, a hard link or anything but a plain file."""


class TooLarge(OSError):
    """A file over the size hipdash reads of it."""


def refusal(path: Path, what: str) -> str:
    return (
        f"{path} is {what}: hipdash reads and writes only plain files and never follows "
        "a link (put the file itself there)"
    )


def open_plain(path: Path, flags: int, mode: int = 0o600) -> int:
    """A descriptor of `path`, a regular file with one name, reached without a symbolic
    link and without blocking; raises NotAFile (naming it) for anything else, and the
    OSError of `os.open` otherwise (FileNotFoundError, PermissionError, ...)."""
    try:
        fd = os.open(path, flags | OPEN_FLAGS, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotAFile(errno.ELOOP, refusal(path, "a symbolic link")) from None
        if exc.errno == errno.ENXIO:  # a FIFO with no reader, opened to write
            raise NotAFile(exc.errno, refusal(path, "not a regular file")) from None
        raise
    info = os.fstat(fd)
    what = None
    if not stat.S_ISREG(info.st_mode):
        what = "not a regular file"
    elif info.st_nlink > 1:
        what = f"a hard link (one of {info.st_nlink} names of one file)"
    if what:
        os.close(fd)
        raise NotAFile(errno.EINVAL, refusal(path, what))
    return fd


def read_plain(path: Path, limit: int) -> bytes:
    """The bytes of a plain file (`open_plain`), refusing one over `limit` bytes with
    TooLarge before reading it, or when it grew past `limit` while being read."""
    fd = open_plain(Path(path), os.O_RDONLY)
    with os.fdopen(fd, "rb") as f:
        size = os.fstat(fd).st_size
        if size > limit:
            raise TooLarge(errno.EFBIG, f"{path} is too large ({size:,} bytes)")
        data = f.read(size + 1)  # one byte more tells a file that grew meanwhile
        if len(data) > size:
            data += f.read(limit + 1 - len(data))
    if len(data) > limit:
        raise TooLarge(errno.EFBIG, f"{path} is too large (over {limit:,} bytes)")
    return data


def why(exc: OSError) -> str:
    """An OSError in a person's words: ours carry the whole sentence, the system's a reason."""
    return exc.strerror or str(exc)


def read_problem(path: Path) -> str | None:
    """Why a file that is there cannot be read at all (`cannot_read`); None when it can be,
    or when there is none."""
    try:
        os.close(open_plain(Path(path), os.O_RDONLY))
    except FileNotFoundError:
        return None
    except OSError as exc:
        return cannot_read(path, exc)
    return None


def cannot_read(path: Path, exc: OSError) -> str:
    """Why the file at `path` cannot be read, naming it ('checkoffs.csv cannot be read:
    permission denied'): a person sees which file to put right. Ours name it already; a
    folder in the path that is a file is named instead, once for all its files."""
    if isinstance(exc, NotAFile | TooLarge):
        return why(exc)
    if exc.errno == errno.ENOTDIR:
        return f"the data folder {Path(path).parent} is not a folder (a file is in its way)"
    return f"{Path(path).name} cannot be read: {reason(exc)}"


def reason(exc: OSError) -> str:
    """The system's reason, to follow a colon: 'permission denied'."""
    text = why(exc)
    return f"{text[:1].lower()}{text[1:]}"
