"""The append-only data files, one `FileKind` each (`checkoffs.csv`, `sessions.csv`,
`days.csv`, `feelings.csv`): the one list of what a backup holds, what a sync tool's
conflict copy is merged into and what the report is made from, so none leaves one out."""

from __future__ import annotations

from hipdash import feelings, log, sessions
from hipdash.store import FileKind

KINDS: tuple[FileKind, ...] = (log.KIND, sessions.SESSION_KIND, sessions.DAY_KIND, feelings.KIND)
