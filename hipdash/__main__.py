"""The command line: `hipdash COMMAND` (or `python -m hipdash COMMAND` in a clone).

serve      serve the app in the browser, from any folder (`serve -h`)
where      print the data folder, the routines folders and where settings come from
check      validate every routine: the bundled ones and yours (exit 1 with the problems)
demo       write a realistic demo log into a data dir, to see the Progress page full
report     write the printable report for a physiotherapist (HTML)
calendar   write the routine's plan as weekly calendar events (.ics)
export     write a backup zip of all data (checkoffs, session details, marked days)
restore    replace the data with a backup's, after checking it; old files kept aside
import     import a routine from a markdown note into your routines (`import -h`)
sync       take in the edits of the notes your routines follow (`--dry-run`: only say them)
note       write a routine as a markdown note (or into the note it follows)
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from hipdash import config, fields, importing, library, serve
from hipdash.follow import commands as follow_commands
from hipdash.library.load import scan_user
from hipdash.models import Routine
from hipdash.routines import scan_routines
from hipdash.text import plural, safe_url

KB, ITEMS = importing.MAX_NOTE_KB, importing.MAX_NOTE_ITEMS
IMPORT_EXIT_CODES = f"""\
exit codes:
  0  written; with --dry-run: the note would import (what it would do is printed:
     write, replace with --force, or no changes), and nothing is written
  1  nothing written: the note cannot be imported (not a file, empty, binary, not
     UTF-8, over {KB} KB or {ITEMS} list items, no list items, YAML aliases in its
     front matter), or a routine with its id exists and --force was not given, or
     the id belongs to another routine file or to a routine imported from another note
  2  a usage error"""


def cmd_check(args: argparse.Namespace) -> int:
    """Merge sync tools' conflict copies; validate the bundled routines and the person's own
    (in the data dir)."""
    bundled_dir = Path(args.routines_dir or config.routines_dir())
    data_dir = Path(args.data_dir or config.data_dir())
    failed = serve.merge_and_say(data_dir)
    yours_dir = library.user_dir(data_dir)
    bundled, problems = scan_routines(bundled_dir)
    yours, broken = scan_user(yours_dir)
    groups = (("bundled", bundled_dir, bundled), ("yours", yours_dir, list(yours.values())))
    found = [pair for _, _, group in groups for pair in group]
    problems += list(broken.values())
    total = len(list(bundled_dir.glob("*.y*ml"))) + len(yours) + len(broken)
    if not total:
        print(f"no routine files in {bundled_dir} or {yours_dir}", file=sys.stderr)
        return 1
    for label, folder, group in groups:
        if group:
            print(f"{label}: {folder}")
        for path, routine in group:
            held = [
                plural(len(routine.sections), "section"),
                plural(len(routine.items()), "item"),
                plural(len(routine.videos), "video"),
            ]
            print(f"ok  {path.name}: {routine.title} — {', '.join(held)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(found)} of {total} routine files valid")
    return 1 if problems or failed else 0


def routines(directory: str | None = None, data_dir: Path | None = None) -> list[Routine]:
    """The routines offered (yours in the data dir over the bundled ones in `directory` or
    the configured routines dir, archived ones left out): the one place the commands load
    them, through the pages' own `library.load_library`."""
    bundled = Path(directory or config.routines_dir())
    return list(library.load_library(Path(data_dir or config.data_dir()), bundled).active)


def pick_routine(found: list[Routine], routine_id: str | None) -> Routine:
    """The routine with that id, or the first; SystemExit with the ids there are."""
    if not found:
        raise SystemExit(f"no routines in {config.routines_dir()}")
    if routine_id is None:
        return found[0]
    for routine in found:
        if routine.id == routine_id:
            return routine
    raise SystemExit(f"no routine {routine_id!r}; there are: {', '.join(r.id for r in found)}")


def _write_new(target: Path, data: bytes, force: bool) -> bool:
    """Write a file readable by its owner only (health data), unless it exists and not force."""
    from hipdash import backup

    try:
        backup.write_private(target, data, replace=force)
    except FileExistsError:
        print(f"{target} exists; use --force to overwrite it", file=sys.stderr)
        return False
    return True


def cmd_report(args: argparse.Namespace) -> int:
    from hipdash.sharing import report

    routine = pick_routine(routines(), args.routine)
    today = config.today()
    if (args.first or args.last) and args.weeks is not None:
        print("give --weeks or --from/--to, not both", file=sys.stderr)
        return 2
    weeks = 12 if args.weeks is None else args.weeks
    start, end = report.whole_weeks(today, weeks or None, args.first, args.last)
    if start is not None and start > end:
        print("--from is after --to (or after today)", file=sys.stderr)
        return 2
    data_dir = config.data_dir()
    built = report.collect(data_dir, routine, today, config.session_share(), start, end)
    if not _write_new(Path(args.out), report.render(built).encode(), args.force):
        return 1
    print(f"wrote {args.out}: {routine.title}, {built.start} to {built.end}, {built.sessions.text}")
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    from hipdash.sharing import ics

    routine = pick_routine(routines(), args.routine)
    try:
        days = ics.parse_days(args.days) if args.days else None
        at = ics.parse_time(args.time)
    except ValueError as exc:
        print(f"hipdash calendar: {exc}", file=sys.stderr)
        return 2
    days = days or ics.default_days(routine.schedule.sessions_per_week)
    data = ics.plan(routine, days, at, config.today(), args.url, minutes=args.minutes)
    if not _write_new(Path(args.out), data, args.force):
        return 1
    names = ", ".join(ics.WEEKDAYS[d].title() for d in days)
    print(f"wrote {args.out}: {routine.title} every {names} at {at:%H:%M}")
    return 0


def _add_sharing(commands) -> None:
    rep = commands.add_parser(
        "report",
        help="write the printable report for a physiotherapist",
        description="One self-contained HTML file (no script, nothing fetched) that prints "
        "on one or two pages. The range is whole weeks, Monday to Sunday. It is made from the "
        f"data folder, {config.data_dir()} (set HIPDASH_DATA_DIR to use another).",
    )
    rep.add_argument("--routine", help="routine id (default: the first)")
    rep.add_argument(
        "--weeks", type=_weeks, help="the last N weeks, or 0 for all time (default 12)"
    )
    rep.add_argument("--from", dest="first", type=_day, help="YYYY-MM-DD")
    rep.add_argument("--to", dest="last", type=_day, help="YYYY-MM-DD")
    rep.add_argument("--out", required=True, help="the .html file to write")
    rep.add_argument("--force", action="store_true", help="overwrite an existing file")
    rep.set_defaults(func=cmd_report)
    cal = commands.add_parser(
        "calendar",
        help="write the plan as weekly calendar events (.ics)",
        description="One weekly event per planned weekday, for the phone's calendar.",
    )
    cal.add_argument("--routine", help="routine id (default: the first)")
    cal.add_argument("--days", help="e.g. mon,wed,fri (default: spread over the week)")
    cal.add_argument("--time", default="18:00", help="start time, HH:MM (default 18:00)")
    cal.add_argument(
        "--minutes", type=_minutes, help="how long each event is (default: the routine's)"
    )
    cal.add_argument(
        "--url",
        type=_address,
        help="hipdash's address on your network, e.g. http://192.168.1.20:8501, for a link "
        "in each event (default: no link)",
    )
    cal.add_argument("--out", required=True, help="the .ics file to write")
    cal.add_argument("--force", action="store_true", help="overwrite an existing file")
    cal.set_defaults(func=cmd_calendar)


def _day(text: str) -> date:
    """A day given on the command line: a real date a record may be about."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a YYYY-MM-DD date") from None
    if not fields.in_window(day):
        what = f"{day} is not a day from {fields.FIRST_DAY} to a year ahead"
        raise argparse.ArgumentTypeError(what)
    return day


def _minutes(text: str) -> int:
    from hipdash.sharing import ics

    value = int(text)
    if not 1 <= value <= ics.MAX_MINUTES:
        raise argparse.ArgumentTypeError(f"minutes must be 1 to {ics.MAX_MINUTES}")
    return value


def _address(text: str) -> str:
    if not text.startswith(("http://", "https://")) or safe_url(text) != text:
        raise argparse.ArgumentTypeError("give an http:// or https:// address")
    return text


def _weeks(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("weeks must be 0 (all time) or more")
    return value


def cmd_demo(args: argparse.Namespace) -> int:
    from hipdash import demo  # loaded only for this command: `import` stays quick

    found = routines(args.routines_dir, args.data_dir)
    today = args.today or config.today()
    try:
        routine = demo.pick_routine(found, args.routine)
        written = demo.create(args.data_dir, routine, args.weeks, args.seed, today, args.force)
    except (demo.DemoError, OSError) as exc:
        print(f"hipdash demo: {exc}", file=sys.stderr)
        return 1
    if written.moved_aside:
        print(f"moved the existing data aside (e.g. to {written.moved_aside})")
    print(
        f"wrote {plural(written.clicks, 'check-off')} of {routine.title} for "
        f"{plural(args.weeks, 'week')} up to {today} to {written.path}, with "
        f"details of {plural(written.details, 'session')} and "
        f"{plural(written.marked_days, 'day')} marked off"
    )
    if config.INSTALLED:  # no app.py here to run: the command serves it
        print(f"see them: HIPDASH_TODAY={today} hipdash serve --data-dir {args.data_dir}")
        return 0
    env = f"HIPDASH_DATA_DIR={args.data_dir} HIPDASH_TODAY={today}"
    print(f"see them: {env} {_streamlit()} run app.py")
    return 0


def _streamlit() -> str:
    """The streamlit beside this Python (`.venv/bin/streamlit` as the README sets it up),
    as a path relative to here when it is below here."""
    beside = Path(sys.executable).parent / "streamlit"
    if not beside.exists():
        return "streamlit"
    try:
        return str(beside.relative_to(Path.cwd()))
    except ValueError:
        return str(beside)


def cmd_export(args: argparse.Namespace) -> int:
    from hipdash import backup

    target = Path(args.file)
    try:
        data = backup.make_backup(config.data_dir())
        backup.write_private(target, data, replace=args.force)
    except FileExistsError:
        print(f"{target} exists; use --force to overwrite it", file=sys.stderr)
        return 1
    except (backup.BackupError, OSError) as exc:
        print(f"hipdash export: {_reason(exc)}; nothing written", file=sys.stderr)
        return 1
    names = backup.describe(backup.held_files(data)) or "no data files yet"
    print(f"wrote {target} ({len(data):,} bytes, readable by you only): {names}")
    for name, count in backup.left_out(data).items():
        print(f"left out {count} unreadable lines of {name} (they stay in the data file)")
    for name, why in backup.unusable(data).items():
        print(f"kept {name} as it is, marked: the app cannot use it ({why})")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from hipdash import backup

    try:
        raw = backup.read_zip(Path(args.file))
        result = backup.restore_backup(raw, config.data_dir())
    except backup.RestoreFailed as exc:
        print(f"{args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    except (backup.BackupError, OSError) as exc:
        print(f"{args.file}: {_reason(exc)}; nothing was changed", file=sys.stderr)
        return 1
    what = backup.describe(result.restored) or "an empty backup"
    print(f"restored {what} into {config.data_dir()}")
    if result.kept_aside:
        print(f"the previous files are kept in {result.kept_aside}")
    return 0


def _reason(exc: Exception) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def cmd_import(args: argparse.Namespace) -> int:
    """`python -m hipdash import NOTE.md`: exit codes in `IMPORT_EXIT_CODES`.

    By default the routine goes into your routines (`<data dir>/routines/`), keeping the
    version it replaces; `--out DIR` writes a plain file into DIR instead."""
    note = Path(args.note)
    data_dir, bundled_dir = config.data_dir(), config.routines_dir()
    keep = "all" if args.keep_all else ()
    try:
        raw = importing.read_note(note)
        if args.out:
            plan = importing.plan_import(raw, note.name, Path(args.out), keep)
        else:
            plan = library.plan_note(raw, note.name, data_dir, bundled_dir, keep)
    except importing.ImportRefused as exc:
        print(f"error: {exc}; nothing written", file=sys.stderr)
        return 1
    print("\n".join(importing.summary_lines(plan)))
    if plan.refusal:
        print(f"error: {plan.refusal}; nothing written", file=sys.stderr)
        return 1
    if args.dry_run:
        print(f"dry run: {_would(plan, args.force)}; nothing written")
        return 0
    if plan.replaces and not args.force:
        print(
            f"error: {_name(plan)} already exists; nothing written "
            "(re-run with --force to replace it)",
            file=sys.stderr,
        )
        return 1
    replaces = plan.replaces  # before the write makes the file exist
    try:
        if args.out:
            path = importing.save(plan, replace=args.force)
        else:
            follow = _following(data_dir, note, raw)
            path = library.save_routine(
                data_dir, bundled_dir, plan.routine, plan.existing, args.force, after=follow
            )
    except (importing.ImportRefused, library.LibraryError) as exc:
        print(f"error: {exc}; nothing written", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    if replaces and not args.out:
        print("the version it replaced is kept: bring it back on the Routines page")
    if not args.out:
        print(f"it follows {note.absolute()}: `hipdash sync` takes in your edits of it")
    return 0


def _following(data_dir: Path, note: Path, raw: bytes):
    """After an import into your routines: the routine follows the note it came from."""
    from hipdash.follow import sync

    return lambda saved: sync.follow_import(data_dir, note, raw, saved)


def _name(plan: importing.ImportPlan) -> str:
    """The file a plan replaces, or the routine (a bundled one has no file of yours yet)."""
    return str(plan.target) if plan.target.exists() else f"routine {plan.routine.id!r}"


def _would(plan: importing.ImportPlan, force: bool) -> str:
    """What a real run would do with this plan."""
    if not plan.replaces:
        return f"would write {plan.target}"
    if plan.existing is not None and not plan.changes:
        return f"no changes to {_name(plan)}"
    return f"would replace {_name(plan)}" + ("" if force else " (with --force)")


def _add_import(commands) -> None:
    cmd = commands.add_parser(
        "import",
        help="import a routine from a markdown note",
        description="Import a routine from a markdown (Obsidian) note into your routines\n"
        "(<data dir>/routines/<id>.yaml; the version it replaces is kept).\n"
        "Lists that do not look like exercises (notes, equipment, theory, diet, references,\n"
        "a table of contents, muscles) are left out and listed with the reason.",
        epilog=IMPORT_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmd.add_argument("note", help="the note file (.md)")
    cmd.add_argument(
        "--out", help="write a plain <id>.yaml into this folder instead of your routines"
    )
    cmd.add_argument("--dry-run", action="store_true", help="show the result, write nothing")
    cmd.add_argument("--force", action="store_true", help="replace an existing routine of that id")
    cmd.add_argument(
        "--keep-all", action="store_true", help="keep the lists that were left out, too"
    )
    cmd.set_defaults(func=cmd_import)


def _add_demo(commands) -> None:
    cmd = commands.add_parser(
        "demo",
        help="write a realistic demo log (refuses to overwrite)",
        description="Write half a year (by default) of realistic demo data for a routine: "
        "check-offs, session details and days marked off.",
    )
    cmd.add_argument(
        "--data-dir",
        required=True,
        type=Path,
        help="where to write checkoffs.csv, sessions.csv and days.csv (required, so that it "
        "never lands in your real data folder)",
    )
    cmd.add_argument("--weeks", type=int, default=26, help="how many weeks of data (default 26)")
    cmd.add_argument("--seed", type=int, default=1, help="the same seed gives the same log")
    cmd.add_argument("--today", type=_day, help="YYYY-MM-DD (default: today)")
    cmd.add_argument("--routine", help="routine id (default: hip-therapy-routine-1 or the first)")
    cmd.add_argument("--routines-dir", help="default: routines/ or $HIPDASH_ROUTINES_DIR")
    cmd.add_argument(
        "--force", action="store_true", help="move the existing data files aside first"
    )
    cmd.set_defaults(func=cmd_demo)


def _add_backup(commands) -> None:
    folder = f"the data folder, {config.data_dir()}"
    other = "Set HIPDASH_DATA_DIR to use another folder."
    export = commands.add_parser(
        "export",
        help="write a backup zip of the data folder ($HIPDASH_DATA_DIR, default data/)",
        description=f"Write a backup zip of every data file in {folder}. {other}",
    )
    export.add_argument("file", help="the zip file to write")
    export.add_argument("--force", action="store_true", help="overwrite an existing file")
    export.set_defaults(func=cmd_export)
    restore = commands.add_parser(
        "restore",
        help="put a backup zip's files into the data folder ($HIPDASH_DATA_DIR, default data/)",
        description=f"Check a backup zip, then put its files into {folder}; the files there "
        f"now are moved aside into replaced-<time>/, never deleted. {other}",
    )
    restore.add_argument("file", help="a zip written by `export` or the app's download")
    restore.set_defaults(func=cmd_restore)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hipdash", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve.add_commands(commands)
    check = commands.add_parser("check", help="validate every routine YAML file")
    check.add_argument("--routines-dir", help="default: routines/ or $HIPDASH_ROUTINES_DIR")
    check.add_argument("--data-dir", help="yours are in its routines/ (default: $HIPDASH_DATA_DIR)")
    check.set_defaults(func=cmd_check)
    _add_demo(commands)
    _add_backup(commands)
    _add_import(commands)
    follow_commands.add_commands(commands)
    _add_sharing(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
