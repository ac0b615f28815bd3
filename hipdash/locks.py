"""Where the lock files of a data dir live: on this computer, never in the data dir.

A lock orders the processes of one computer (the server's sessions, the command line) that
write the same data dir. It cannot order two computers: between them the sync tool is the
only writer, and a lock file in a synced folder would only be synced too (and come back as
a conflict copy of its own). So a data dir's locks live in the platform's runtime dir
(`platformdirs.user_runtime_dir`: `$XDG_RUNTIME_DIR/hipdash` on Linux), in a folder named
after the data dir's resolved path, so that every process of this computer opening that
data dir, by whatever path, takes the same lock files. docs/sync.md says what this means
for two computers.
"""

from __future__ import annotations

import hashlib
import os
import re
import warnings
from pathlib import Path

import platformdirs
from filelock import FileLock

from hipdash import private

APP = "hipdash"


def root() -> Path:
    """This computer's folder for hipdash's locks (the cache dir where there is no
    usable runtime dir)."""
    try:
        with warnings.catch_warnings():  # no $XDG_RUNTIME_DIR: its fallback is fine for locks
            warnings.simplefilter("ignore")
            return Path(platformdirs.user_runtime_dir(APP, appauthor=False))
    except OSError:  # platformdirs refuses a runtime dir it cannot trust
        return Path(platformdirs.user_cache_dir(APP, appauthor=False)) / "locks"


def lock_dir(data_dir: Path) -> Path:
    """The folder of one data dir's locks: its name and a digest of its resolved path."""
    folder = Path(data_dir).expanduser().resolve()
    digest = hashlib.sha256(os.fsencode(folder)).hexdigest()[:16]
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", folder.name)[:40] or "root"
    return root() / f"{name}-{digest}"


def lock_path(data_dir: Path, name: str) -> Path:
    """The lock file `name` of a data dir (`routines.lock`)."""
    return lock_dir(data_dir) / name


def lock_for(path: Path) -> Path:
    """The lock of one data file (`checkoffs.csv` -> `checkoffs.csv.lock`)."""
    path = Path(path)
    return lock_path(path.parent, f"{path.name}.lock")


def file_lock(lock: Path, timeout: float) -> FileLock:
    """A `FileLock` on `lock` (0600), its folders made (0700) if missing."""
    return private.file_lock(lock, timeout)
