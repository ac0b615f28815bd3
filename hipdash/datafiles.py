"""The append-only data files, one `FileKind` each (`checkoffs.csv`, `sessions.csv`,
`days.csv`, `feelings.csv`): the one list of what a backup holds, what a sync tool's
conflict copy is merged into and what the report is made from, so none leaves one out."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from hipdash import feelings, log, safefile, sessions
from hipdash.store import FileKind

KINDS: tuple[FileKind, ...] = (log.KIND, sessions.SESSION_KIND, sessions.DAY_KIND, feelings.KIND)


def read_problems(data_dir: Path) -> dict[str, str]:
    """Each data file that is there but cannot be read at all, and why
    (`safefile.read_problem`): what a backup and a report would leave out."""
    found = {kind.name: safefile.read_problem(Path(data_dir) / kind.name) for kind in KINDS}
    return {name: why for name, why in found.items() if why}


def said_once(problems: Mapping[str, str]) -> list[str]:
    """Each problem of `read_problems` once: a data folder that is a file is one problem,
    not one per data file."""
    return list(dict.fromkeys(problems.values()))
