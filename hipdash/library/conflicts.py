"""Two versions of one of your routines, when a sync tool kept both.

A routine changed on two computers between syncs comes back as `routines/<id>.yaml` and a
conflict copy beside it (`<id>.sync-conflict-….yaml`, `<id> (conflicted copy ….yaml`, …;
`hipdash.sync.names`). Neither is picked silently: the Routines page shows both and asks;
`hipdash.library.save.settle` keeps the one chosen, and the other as a previous version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hipdash.library.files import file_names
from hipdash.library.load import read_routine, user_dir
from hipdash.models import Routine
from hipdash.routines import RoutineError
from hipdash.sync import names


@dataclass(frozen=True)
class Conflict:
    routine_id: str
    copy: str  # the copy's file name in routines/
    theirs: Routine | None  # what it holds; None when it cannot be used
    problem: str = ""  # why it cannot


def find(data_dir: Path, ids: Iterable[str]) -> list[Conflict]:
    """The conflict copies of the routines `ids` in your routines folder, by name."""
    ids = set(ids)
    found = []
    for path in file_names(user_dir(data_dir)):
        rid = names.owner(path.name, ids)
        if rid is None:
            continue
        try:
            routine = read_routine(path)
        except RoutineError as exc:
            found.append(Conflict(rid, path.name, None, "; ".join(exc.problems)))
            continue
        if path.name == f"{routine.id}.yaml":
            continue  # a routine of its own whose id happens to look like a copy's name
        if routine.id != rid:
            found.append(
                Conflict(rid, path.name, None, f"it holds another routine ({routine.id!r})")
            )
            continue
        found.append(Conflict(rid, path.name, routine))
    return found
