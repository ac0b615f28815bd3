"""Importing a note into a routines folder: checks on the file, the plan, and an atomic save.

Shared by `python -m hipdash import` and the Routines page, so both refuse the same
bad input with the same words and neither can write outside the routines folder:
the file is `routine_file(routines_dir, id)`, and an id is a slug.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from hipdash import private, safefile
from hipdash.importing.build import LeftOut, NoteError, NoteWarning, import_note, note_stem
from hipdash.importing.reimport import Changes, compare, keep_ids
from hipdash.limits import MAX_FILE_BYTES
from hipdash.models import Routine
from hipdash.routines import (
    RoutineError,
    dump_routine,
    load_routine,
    routine_file,
    scan_routines,
    slugify,
)
from hipdash.words import plural

# A note is read only up to these: a routine note is a few KB with a few dozen list items
# (the one it was made for: 3 KB, 17). Past them a preview takes seconds in the browser
# (300 items: 2 s on a phone-sized page) and the routine would be a file past the loader's
# limit; a note over them is refused before it is parsed.
MAX_NOTE_KB = 256
MAX_NOTE_BYTES = MAX_NOTE_KB * 1024
MAX_NOTE_ITEMS = 250
_LIST_ITEM = re.compile(rb"^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]", re.MULTILINE)

NO_TARGET = " (the note does not say how often: set the target if 3 is not right)"


class ImportRefused(Exception):
    """The note cannot be imported (bad file, no exercises) or saved (clash, exists)."""


@dataclass(frozen=True)
class ImportPlan:
    """What importing a note would do. `existing` is the routine now in `target`, if any;
    `refusal` says why it can never be saved (another routine uses the id).

    `left_out`: every list in the note that does not look like exercises (title, reason,
    line and its items as a section), in the note's order; `kept`: the indices of those
    put back into `routine` because `plan_import` was asked to keep them."""

    note_name: str
    routine: Routine
    warnings: tuple[NoteWarning, ...]
    target: Path
    existing: Routine | None = None
    changes: Changes = Changes()
    refusal: str = ""
    left_out: tuple[LeftOut, ...] = ()
    kept: tuple[int, ...] = ()
    decisions: tuple[NoteWarning, ...] = ()  # how lines that read more than one way were read
    target_stated: bool = True  # the note says how many sessions a week
    archived: bool = False  # the routine there is archived: saving brings it back
    bundled: bool = False  # `existing` is a bundled routine: the person has no file of it

    @property
    def replaces(self) -> bool:
        """Saving would replace a routine of the person's (a bundled one is not theirs: its
        file stays, and saving sets it aside as a previous version)."""
        return (self.existing is not None and not self.bundled) or self.target.exists()

    @property
    def unchanged(self) -> bool:
        """The note makes exactly the person's routine there: saving would change nothing."""
        return (
            self.existing is not None
            and not self.bundled
            and self.routine == self.existing
            and not self.archived
        )


def decode_note(raw: bytes, name: str) -> str:
    """The text of an uploaded or read note, or `ImportRefused` saying what is wrong with it."""
    if len(raw) > MAX_NOTE_BYTES:
        raise ImportRefused(
            f"{name}: too large ({len(raw):,} bytes); a note can be at most {MAX_NOTE_KB} KB"
        )
    items = len(_LIST_ITEM.findall(raw))
    if items > MAX_NOTE_ITEMS:
        raise ImportRefused(
            f"{name}: {items:,} list items; a note can have at most {MAX_NOTE_ITEMS} "
            "(split it into a note per routine)"
        )
    if not raw.strip():
        raise ImportRefused(f"{name}: the file is empty")
    if b"\x00" in raw:
        raise ImportRefused(f"{name}: this is a binary file, not a markdown note")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            f"{name}: not UTF-8 text; save the note as UTF-8 and try again"
        ) from None


def read_note(path: Path) -> bytes:
    """The bytes of a note file (`safefile.read_plain`: no FIFO, device or link), checking
    its size before reading it."""
    try:
        return safefile.read_plain(path, MAX_NOTE_BYTES)
    except safefile.TooLarge as exc:
        raise ImportRefused(f"{exc.strerror}; a note can be at most {MAX_NOTE_KB} KB") from None
    except safefile.NotAFile as exc:
        raise ImportRefused(exc.strerror) from None
    except OSError as exc:
        raise ImportRefused(f"{path}: cannot be read ({exc.strerror or exc})") from None


def plan_import(
    raw: bytes,
    name: str,
    routines_dir: Path,
    keep: Collection[int] | Literal["all"] = (),
    fallback: Callable[[str], Routine | None] | None = None,
) -> ImportPlan:
    """Parse a note and work out where it goes and what it would replace: the file in
    `routines_dir`, or else `fallback(id)` (the bundled routine the person's file hides).
    `keep`: which of the lists left out to put back (indices into `ImportPlan.left_out`,
    or "all")."""
    try:
        result = import_note(decode_note(raw, name), name, keep)
    except NoteError as exc:
        raise ImportRefused(f"{name}: {exc}") from None
    routine = result.routine
    size = len(dump_routine(routine).encode("utf-8"))
    if size > MAX_FILE_BYTES:  # the loader would refuse the file it makes
        raise ImportRefused(f"{name}: the routine would be too large a file ({size:,} bytes)")
    try:  # ids are slugified already; routine_file checks again, never trusting it blindly
        target = routine_file(Path(routines_dir), routine.id)
    except ValueError:
        raise ImportRefused(f"{name}: {routine.id!r} cannot be a file name") from None
    plan = ImportPlan(
        name,
        routine,
        result.warnings,
        target,
        left_out=result.left_out,
        kept=result.kept,
        decisions=result.decisions,
        target_stated=result.target_stated,
    )
    found, _ = scan_routines(Path(routines_dir))
    for path, other in found:
        if other.id == routine.id and path.name != target.name:
            return _refused(plan, f"the id {routine.id!r} is already used by {path.name}")
    if target.exists():
        try:
            existing = load_routine(target)
        except RoutineError:
            return plan  # a broken file: replacing it (with --force / Replace) is fine
    else:
        existing = fallback(routine.id) if fallback else None
        if existing is None:
            return plan
        plan = replace(plan, bundled=True)
    if existing.id != routine.id:
        return _refused(plan, f"{target.name} holds another routine ({existing.id!r})")
    if existing.source and _stem(existing.source) != _stem(name):
        return _refused(plan, f"{target.name} was imported from another note ({existing.source})")
    kept = keep_ids(routine, existing, result.given_ids)
    return replace(plan, routine=kept, existing=existing, changes=compare(existing, kept))


def _stem(name: str) -> str:
    """`Hip Therapy Routine 1.md` and `hip-therapy-routine-1.md` are the same note."""
    return slugify(note_stem(name))


def _refused(plan: ImportPlan, why: str) -> ImportPlan:
    hint = (  # not "rename the note": a note's `permalink:` names it whatever its file's name
        "give the note its own `id:` in its front matter (without one, its id comes from"
        " its `permalink:`, else its file's name)"
    )
    return replace(plan, refusal=f"{why}; {hint}")


def save(plan: ImportPlan, replace: bool = False) -> Path:
    """Write the routine to `plan.target` atomically: a temp file in the same folder, synced,
    then renamed over the target. Without `replace` an existing file is never touched."""
    if plan.refusal:
        raise ImportRefused(plan.refusal)
    target = plan.target
    if target.exists() and not replace:
        raise ImportRefused(f"{target} already exists")
    data = dump_routine(plan.routine).encode("utf-8")
    try:
        private.make_dir(target.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ImportRefused(f"cannot write in {target.parent} ({exc.strerror or exc})") from None
    try:
        private.fill(fd, data)
        if replace:
            os.replace(tmp, target)
        else:
            _create(Path(tmp), target)
    except OSError as exc:  # a full disk, a folder that went away: the target is untouched
        raise ImportRefused(f"cannot write {target} ({exc.strerror or exc})") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def _create(tmp: Path, target: Path) -> None:
    """Put `tmp` at `target` only if nothing is there: a hard link fails if the target
    appeared meanwhile, so an existing routine is never overwritten."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise ImportRefused(f"{target} already exists") from None
    except OSError:  # no hard links on this drive: check, then rename
        if target.exists():
            raise ImportRefused(f"{target} already exists") from None
        os.replace(tmp, target)


def counts(routine: Routine) -> tuple[str, ...]:
    """("3 sections", "13 exercises", "16 items", "8 videos"): what a routine holds."""
    return (
        plural(len(routine.sections), "section"),
        plural(sum(len(s.exercises) for s in routine.sections), "exercise"),
        plural(len(routine.items()), "item"),
        plural(len(routine.videos), "video"),
    )


def left_out_line(left: LeftOut) -> str:
    """ "line 5: Equipment (3 items): looks like an equipment list"."""
    return f"line {left.line}: {left.title} ({plural(left.items, 'item')}): {left.reason}"


def summary_lines(plan: ImportPlan) -> list[str]:
    """The plan in a few lines: counts, target, warnings, the lists left out (or kept) with
    their reasons, and what a re-import changes."""
    r = plan.routine
    lines = [
        f"{r.title} (id {r.id}) from {plan.note_name}",
        "  " + ", ".join((*counts(r), plural(len(plan.warnings), "warning"))),
        f"  {r.schedule.summary}" + ("" if plan.target_stated else NO_TARGET),
    ]
    lines += [f"  warning: {w}" for w in plan.warnings]
    lines += [f"  read: {d}" for d in plan.decisions]
    for index, left in enumerate(plan.left_out):
        verb = "kept (--keep-all)" if index in plan.kept else "left out"
        lines.append(f"  {verb}: {left_out_line(left)}")
    if len(plan.kept) < len(plan.left_out):
        lines.append("  lists left out are not ticked off; --keep-all keeps them")
    if plan.replaces and plan.existing is None and not plan.refusal:
        lines.append(f"  {plan.target.name} exists but is not a valid routine")
    if plan.bundled:
        lines.append(
            f"  over the bundled routine {r.id}: saved as yours, ids of items still in the "
            "note kept; the bundled one is kept as a previous version"
        )
    elif plan.existing is not None:
        lines.append(f"  re-import over {plan.target.name}: ids of items still in the note kept")
    if plan.existing is not None:
        lines += [f"  added: {a}" for a in plan.changes.added]
        lines += [f"  removed: {a} (its history stays in the log)" for a in plan.changes.removed]
        lines += [f"  changed: {a}" for a in plan.changes.changed]
        lines += [f"  moved: {a}" for a in plan.changes.moved]
    return lines
