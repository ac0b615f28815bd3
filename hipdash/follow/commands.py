"""`hipdash sync` and `hipdash note`: the command line of following a note.

sync   every routine that follows a note: take in the note's edits (a three-way merge that
       keeps ids and the app's own edits), or with --dry-run only say them
note   write a routine as an Obsidian-style note (--out FILE), or into the note it follows
       (--into-note, after --yes; the note it replaces is kept in the data dir)
"""

from __future__ import annotations

import argparse
import difflib
from pathlib import Path

from hipdash import cli, config, library
from hipdash.follow import sync
from hipdash.importing.write import write_note
from hipdash.library import LibraryError

SYNC_EXIT_CODES = """\
exit codes:
  0  every followed note is taken in, or unchanged (with --dry-run: would be)
  1  a note is gone or cannot be read, or both it and the app changed the same thing
     (choose on the Routines page, or give --prefer): that routine is left as it is"""


def cmd_sync(args: argparse.Namespace) -> int:
    data_dir, bundled_dir = config.data_dir(), config.routines_dir()
    cli.routines_readable(data_dir)
    statuses, problems = sync.check_all(data_dir, bundled_dir)
    for problem in problems:
        cli.error("sync", str(problem))
    if not statuses and not problems:
        print("no routine follows a note: `hipdash import NOTE.md` makes one that does")
    failed = bool(problems)
    for status in statuses:
        print(f"{status.title} ({status.routine_id}) follows {status.path}")
        failed |= not _sync_one(data_dir, bundled_dir, status, args)
    return 1 if failed else 0


def _sync_one(data_dir: Path, bundled_dir: Path, status: sync.Status, args) -> bool:
    """Say (and unless a dry run, apply) one note's change; False if it needs the person."""
    if status.state in ("gone", "unreadable"):
        what = "is gone" if status.state == "gone" else "cannot be read"
        print(f"  your note {what}: {status.problem}; nothing changed")
        return False
    if status.state == "same":
        print("  unchanged")
        return True
    print("  your note changed:")
    lines = status.changes.lines() or ([] if status.conflicts else ["nothing to change"])
    print("\n".join(f"    {line}" for line in lines))
    for line in status.left_out:
        print(f"    left out: {line}")
    choices = {c.key: args.prefer for c in status.conflicts} if args.prefer else {}
    for conflict in status.conflicts:
        said = f"note: “{conflict.note}”, here: “{conflict.app}”"
        print(f"    both changed: {conflict.where}: {conflict.what} ({said})")
    if status.conflicts and not args.prefer:
        print("  not applied: choose on the Routines page, or give --prefer note|app")
        return False
    if args.dry_run:
        print("  dry run: nothing written")
        return True
    try:
        sync.apply(data_dir, bundled_dir, status, choices)
    except LibraryError as exc:
        cli.error("sync", f"{status.routine_id}: {exc}")
        return False
    print("  applied; the version it replaced is kept (Routines > Previous versions)")
    return True


def cmd_note(args: argparse.Namespace) -> int:
    data_dir, bundled_dir = config.data_dir(), config.routines_dir()
    cli.routines_readable(data_dir)
    found = library.load_library(data_dir, bundled_dir)
    entry = found.entry(args.routine)
    if entry is None:
        ids = ", ".join(e.routine.id for e in found.entries)
        raise cli.Refused(f"no routine {args.routine!r}; there are: {ids}")
    if args.into_note:
        return _into_note(data_dir, bundled_dir, args)
    out = Path(args.out)
    written = write_note(entry.routine, out.name)
    for problem in written.problems:
        cli.warning("note", str(problem))
    cli.write_out(args.out, data_dir, out.name, written.text.encode("utf-8"), args.force)
    print(f"wrote {out}: {entry.routine.title}, as a note that imports back to it")
    return 0


def _into_note(data_dir: Path, bundled_dir: Path, args) -> int:
    try:
        plan = sync.plan_write_back(data_dir, bundled_dir, args.routine)
    except LibraryError as exc:
        raise cli.Refused(str(exc)) from None
    for problem in plan.problems:
        cli.warning("note", str(problem))
    if not plan.changes_note:
        print(f"{plan.path} already says the same; nothing written")
        return 0
    before = plan.before.decode("utf-8", "replace").splitlines()
    diff = difflib.unified_diff(before, plan.text.splitlines(), "note now", "written", lineterm="")
    print("\n".join(diff))
    if not args.yes:
        print(f"would replace {plan.path}; add --yes to write it (the note now is kept)")
        return 1
    try:
        kept = sync.write_back(data_dir, plan)
    except LibraryError as exc:
        raise cli.Refused(str(exc)) from None
    print(f"wrote {plan.path}; the note it replaced is kept in {kept}")
    return 0


def add_commands(commands) -> None:
    cmd = commands.add_parser(
        "sync",
        parents=[cli.data_dir_option()],
        help="take in the edits of the notes your routines follow",
        description="A routine imported from a note follows it. For each one: if the note "
        "changed, take the change in (what you changed in the app and the note did not "
        "stays; ids, and so history, are kept). The version it replaces is kept.",
        epilog=SYNC_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmd.add_argument("--dry-run", action="store_true", help="say what would change, write nothing")
    cmd.add_argument(
        "--prefer",
        choices=("note", "app"),
        help="where both the note and the app changed the same thing, keep this side's",
    )
    cmd.set_defaults(func=cmd_sync)
    note = commands.add_parser(
        "note",
        parents=[cli.data_dir_option()],
        help="write a routine as a markdown note",
        description="Write a routine as an Obsidian-style note (front matter, headings, "
        "bullets with doses, steps, videos) that imports back to the same routine.",
    )
    note.add_argument("routine", help="the routine's id")
    where = note.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", help="the .md file to write")
    where.add_argument(
        "--into-note", action="store_true", help="write it into the note the routine follows"
    )
    note.add_argument("--force", action="store_true", help="with --out: overwrite the file")
    note.add_argument("--yes", action="store_true", help="with --into-note: write it")
    note.set_defaults(func=cmd_note)
