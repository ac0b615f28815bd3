"""What a backup holds, and what the data dir holds now, in a person's words: days logged
and their date range, sessions, ticks, session notes, marked days, your routines and when
the data last changed. Shown before a restore, so the person sees what they get and what
it replaces: two sets of data that differ by one tick differ in the ticks and the time.

After a restore, `restored` says what it did: what it put back, what of yours it replaced
that the file names do not show, and the folder that went to, by its name in the data
folder (the full path of a server's folder means nothing on a phone).

Pure but for `current_files` and `restored`: file bytes in, counts out. Lines are read with
the app's own parsers (`FileKind.read_line`); a line they refuse is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from hipdash import feelings, log, sessions, stamps, stats
from hipdash.backup import archive, routine_files
from hipdash.library.load import bundled_routines
from hipdash.models import Routine
from hipdash.store import FileKind
from hipdash.words import plural


@dataclass(frozen=True)
class Summary:
    days: int  # days with any tick or un-tick, all routines
    sessions: int  # of those, the days that counted as a session of their routine
    first: date | None
    last: date | None
    details: int  # sessions with pain, minutes or a note
    marked: int  # days marked rest, sick or travel
    routines: routine_files.Held
    ticks: int = 0  # boxes ticked now, all days and routines
    changed: datetime | None = None  # the newest line of the data files (not the routines)

    def lines(self) -> list[str]:
        """One line per kind of data, for a list on the page."""
        if self.days:
            span = f"{self.first:%-d %b %Y} to {self.last:%-d %b %Y}"
            logged = (
                f"{_n(self.days, 'day')} logged, {span}: {_n(self.sessions, 'session')}, "
                f"{_n(self.ticks, 'tick')}"
            )
        else:
            logged = "no days logged"
        return [
            logged,
            f"{_n(self.details, 'session')} with pain, minutes or a note; "
            f"{_n(self.marked, 'day')} marked rest, sick or travel",
            f"your routines: {self.routines.text}",
            *([f"last change {when(self.changed)}"] if self.changed else []),
        ]


def when(moment: datetime) -> str:
    """'Sat 5 Dec 2026 at 14:17', in the time of the device that made the change."""
    return f"{moment:%a} {moment.day} {moment:%b %Y} at {moment:%H:%M}"


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _records(kind: FileKind, data: bytes | None) -> list:
    """The records of a file's readable lines, in order."""
    if not data:
        return []
    found = (kind.read_line(raw, n == 0) for n, raw in enumerate(data.split(b"\n")))
    return [r for r in found if r is not None and not isinstance(r, str)]


# Where each data file's records keep their time stamp.
_STAMPS = {
    log.KIND: lambda r: r[0],
    sessions.SESSION_KIND: lambda r: r.recorded_at,
    sessions.DAY_KIND: lambda r: r[-1],
    feelings.KIND: lambda r: r[-1],
}


def _changed(files: dict[str, bytes]) -> datetime | None:
    """The time of the newest line of the data files."""
    found = [
        stamps.instant(stamp(r)) for kind, stamp in _STAMPS.items()
        for r in _records(kind, files.get(kind.name))
    ]  # fmt: skip
    return max(found, default=None)


def summarize(files: dict[str, bytes], bundled_dir: Path, share: float) -> Summary:
    """The summary of a backup's files (or `current_files`); a log's routine is judged by
    the routine of that id among the files, else the bundled one."""
    index, _ = log.latest(_records(log.KIND, files.get(log.KIND.name)))
    states = {(routine_id, day): items for (day, routine_id), items in index.items()}
    held = routine_files.held({n: d for n, d in files.items() if routine_files.is_ours(n)})
    known: dict[str, Routine] = {rid: r for rid, (_, r) in bundled_routines(bundled_dir)[0].items()}
    known.update({r.id: r for r in held.routines})
    sessions_done = 0
    for (routine_id, day), items in states.items():
        routine = known.get(routine_id)
        if routine is not None:
            done, total = stats.day_count(routine, date.fromisoformat(day), items)
            sessions_done += bool(stats.is_session(done, total, share))
    days = sorted({day for _, day in states})
    # the latest line of a session (and of a day) wins, as on the pages
    details = sessions.latest_details(
        _records(sessions.SESSION_KIND, files.get(sessions.SESSION_KIND.name))
    )
    marks = {
        day: kind
        for day, (kind, _, _) in sessions.latest_marks(
            _records(sessions.DAY_KIND, files.get(sessions.DAY_KIND.name))
        ).items()
    }
    return Summary(
        days=len(days),
        sessions=sessions_done,
        first=date.fromisoformat(days[0]) if days else None,
        last=date.fromisoformat(days[-1]) if days else None,
        details=sum(1 for d in details.values() if _noted(d)),
        marked=sum(1 for kind in marks.values() if kind),
        routines=held,
        ticks=sum(1 for items in states.values() for done in items.values() if done),
        changed=_changed(files),
    )


def _noted(details: sessions.SessionDetails) -> bool:
    return any(
        (
            details.pain_before is not None,
            details.pain_after is not None,
            details.minutes,
            details.note,
        )
    )


def current_files(data_dir: Path) -> dict[str, bytes]:
    """The data dir's files as a backup would name them (unreadable lines included: they
    are not counted)."""
    found = {}
    for name in archive.FILES:
        try:
            data = archive.read_data_file(Path(data_dir) / name)
        except archive.BackupError:  # a link or a FIFO: the page says so where it is read
            continue
        if data is not None:
            found[name] = data
    return found | routine_files.collect(Path(data_dir)).files


def restored(result: archive.RestoreResult, name: str, data_dir: Path) -> str:
    """'Restored checkoffs.csv from b.zip. Your 3 routines (…) were replaced by the
    backup's: none, so the bundled ones are used. What you had is kept in the folder
    replaced-… in your data folder.' The routines are said since Today no longer shows
    them, and only the folder's name: the data folder is where a person looks for it."""
    said = [f"Restored {put_back(result)} from {name}."]
    aside = result.kept_aside
    if aside is None:
        return said[0]
    said += [line] if (line := routines_replaced(result, data_dir)) else []
    gone = [n for n in archive.FILES if n in result.replaced and n not in result.restored]
    if gone:
        said.append(f"The backup has no {', '.join(gone)}: yours went aside too.")
    said.append(f"What you had is kept in the folder {aside.name} in your data folder.")
    return " ".join(said)


def put_back(result: archive.RestoreResult) -> str:
    """'checkoffs.csv, sessions.csv', or 'an empty backup': what a restore put back."""
    return archive.describe(result.restored) or "an empty backup"


def routines_replaced(result: archive.RestoreResult, data_dir: Path) -> str:
    """'Your 3 routines (A, B, C) were replaced by the backup's: 1 routine (D).', or '' if
    the restore replaced no routine of yours (the page and the `restore` command say it)."""
    if result.kept_aside is None or routine_files.FOLDER not in result.replaced:
        return ""
    yours = routine_files.held(routine_files.collect(result.kept_aside).files)
    theirs = routine_files.held(routine_files.collect(Path(data_dir)).files)
    return _routines_replaced(yours, theirs) if yours.routines else ""


def _routines_replaced(yours: routine_files.Held, theirs: routine_files.Held) -> str:
    if theirs.routines:
        now = f"{plural(len(theirs.routines), 'routine')} ({_titles(theirs)})"
    else:
        now = "none, so the bundled ones are used"
    if len(yours.routines) == 1:
        return f"Your routine ({_titles(yours)}) was replaced by the backup's: {now}."
    mine = f"Your {len(yours.routines)} routines ({_titles(yours)})"
    return f"{mine} were replaced by the backup's: {now}."


def _titles(held: routine_files.Held) -> str:
    return ", ".join(r.title for r in held.routines)
