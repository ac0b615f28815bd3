"""One voice for the command line: how a command says it cannot, and where it writes.

Every error line reads `hipdash COMMAND: error: ...` and every warning
`hipdash COMMAND: warning: ...`, the form argparse gives a usage error, so a person (or a
script) tells them from the output at a glance. A command that stops raises `Refused`;
`hipdash.__main__.main` says it.

A file a command makes without being given a path (`export`, `report`, `calendar`) goes
to the data dir's `exports/` folder: never into the folder the command runs in, which in a
clone is the source tree, where health data would sit as untracked files. Backups leave
`exports/` out (docs/decisions.md says why).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from hipdash import config, private

EXPORTS = "exports"
MAX_NUMBERED = 999  # name-2 ... name-999: more same-day copies than anyone makes


class Refused(Exception):
    """A command cannot do what was asked; the message says why, `code` is the exit code."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


DATA_DIR_DEST = "data_folder"  # not `data_dir`: `demo --data-dir` is its own, required


def data_dir_option() -> argparse.ArgumentParser:
    """`--data-dir`, the parent of every command that reads or writes the data folder."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--data-dir",
        dest=DATA_DIR_DEST,
        metavar="DATA_DIR",
        help=f"the data folder (default: {config.data_dir()})",
    )
    return parent


def use_data_dir(args: argparse.Namespace) -> None:
    """A `--data-dir` given stands for HIPDASH_DATA_DIR for the whole command (and the
    server `serve` starts), so every part of it reads the same folder."""
    given = getattr(args, DATA_DIR_DEST, None)
    if given:
        os.environ["HIPDASH_DATA_DIR"] = str(Path(given).expanduser().resolve())


def routines_readable(data_dir: Path) -> None:
    """Refused when a part of your routines folder cannot be read: a command would take
    the bundled routines for yours, or say there is nothing where it cannot see."""
    from hipdash import library

    blocked = library.unreadable(data_dir)
    if blocked:
        raise Refused(library.unreadable_text(blocked, data_dir))


def error(command: str, text: str) -> None:
    print(f"hipdash {command}: error: {text}", file=sys.stderr)


def warning(command: str, text: str) -> None:
    print(f"hipdash {command}: warning: {text}", file=sys.stderr)


def exports_dir(data_dir: Path) -> Path:
    return Path(data_dir) / EXPORTS


def write_out(given: str | None, data_dir: Path, name: str, data: bytes, force: bool) -> Path:
    """Write `data` (private) to the path `given`, never over a file there unless `force`;
    with none given, to a new file in the data dir's exports/ named `name` (`name-2.zip`
    and so on when taken). Refused when it cannot be written; the path written."""
    if given is not None:
        target = Path(given)
        try:
            private.write(target, data, replace=force)
        except FileExistsError:
            raise Refused(f"{target} exists; use --force to overwrite it") from None
        except OSError as exc:
            raise Refused(f"cannot write {target} ({exc.strerror or exc})") from None
        return target
    stem, suffix = name.rsplit(".", 1)
    try:
        folder = private.make_dir(exports_dir(data_dir))
        for n in range(1, MAX_NUMBERED + 1):
            target = folder / (name if n == 1 else f"{stem}-{n}.{suffix}")
            try:
                private.write_new(target, data)
                return target
            except FileExistsError:
                continue
    except OSError as exc:
        raise Refused(f"cannot write in {exports_dir(data_dir)} ({exc.strerror or exc})") from None
    raise Refused(f"{folder} holds {MAX_NUMBERED} files named {stem}: give a path")
