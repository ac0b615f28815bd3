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

from hipdash import cli, config, fields, importing, library, serve
from hipdash.follow import commands as follow_commands
from hipdash.library.load import scan_user
from hipdash.links import safe_url
from hipdash.models import Routine
from hipdash.routines import scan_routines
from hipdash.words import plural

OTHER = "Give --data-dir, or set HIPDASH_DATA_DIR, to use another folder."
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
    data_dir = config.data_dir()
    failed = serve.merge_and_say(data_dir, "check")
    yours_dir = library.user_dir(data_dir)
    bundled, problems = scan_routines(bundled_dir)
    yours, broken = scan_user(yours_dir)
    groups = (("bundled", bundled_dir, bundled), ("yours", yours_dir, list(yours.values())))
    found = [pair for _, _, group in groups for pair in group]
    problems += list(broken.values())
    blocked = library.unreadable(data_dir)
    problems += [library.unreadable_text(blocked, data_dir)] if blocked else []
    total = len(list(bundled_dir.glob("*.y*ml"))) + len(yours) + len(broken)
    if not total:
        raise cli.Refused(f"no routine files in {bundled_dir} or {yours_dir}")
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
        cli.error("check", str(problem))
    print(f"{len(found)} of {total} routine files valid")
    return 1 if problems or failed else 0


def routines(directory: str | None = None, data_dir: Path | None = None) -> list[Routine]:
    """The routines offered (yours in the data dir over the bundled ones in `directory` or
    the configured routines dir, archived ones left out): the one place the commands load
    them, through the pages' own `library.load_library`."""
    data_dir = Path(data_dir or config.data_dir())
    cli.routines_readable(data_dir)
    bundled = Path(directory or config.routines_dir())
    return list(library.load_library(data_dir, bundled).active)


def pick_routine(found: list[Routine], routine_id: str | None, data_dir: Path) -> Routine:
    """The routine with that id; with none given, the one last used in the app, else the
    only one. Refused (saying which ids there are) otherwise."""
    if not found:
        raise cli.Refused(f"no routines in {config.routines_dir()}")
    ids = ", ".join(r.id for r in found)
    if routine_id is None:
        from hipdash import appstate

        routine_id = appstate.read(data_dir).last_routine
        if routine_id not in {r.id for r in found}:
            if len(found) == 1:
                return found[0]
            raise cli.Refused(f"which routine? give --routine, one of: {ids}", 2)
    for routine in found:
        if routine.id == routine_id:
            return routine
    raise cli.Refused(f"no routine {routine_id!r}; there are: {ids}")


def cmd_report(args: argparse.Namespace) -> int:
    """The report of the data as the pages show it: conflict copies merged in first."""
    from hipdash.sharing import report

    data_dir, today = config.data_dir(), config.today()
    if (args.first or args.last) and args.weeks is not None:
        raise cli.Refused("give --weeks or --from/--to, not both", 2)
    failed = serve.merge_and_say(data_dir, "report")
    routine = pick_routine(routines(), args.routine, data_dir)
    weeks = 12 if args.weeks is None else args.weeks
    start, end = report.whole_weeks(today, weeks or None, args.first, args.last)
    if start is not None and start > end:
        raise cli.Refused("--from is after --to (or after today)", 2)
    unreadable = report.unreadable(data_dir)
    if unreadable:
        why = "; ".join(unreadable)
        raise cli.Refused(f"{why}; no report written: it would leave out what cannot be read")
    built = report.collect(data_dir, routine, today, config.session_share(), start, end)
    name = f"{routine.id}-report-{today}.html"
    out = cli.write_out(args.out, data_dir, name, report.render(built).encode(), args.force)
    print(f"wrote {out}: {routine.title}, {built.start} to {built.end}, {built.sessions.text}")
    if built.skipped:
        cli.warning("report", f"left out {report.SKIPPED.format(built.skipped)}")
    return 1 if failed else 0


def cmd_calendar(args: argparse.Namespace) -> int:
    from hipdash.sharing import ics

    data_dir, today = config.data_dir(), config.today()
    try:
        days = ics.parse_days(args.days) if args.days else None
        at = ics.parse_time(args.time)
    except ValueError as exc:
        raise cli.Refused(str(exc), 2) from None
    routine = pick_routine(routines(), args.routine, data_dir)
    target = routine.schedule.sessions_per_week
    if days and len(days) != target:
        cli.warning(
            "calendar",
            f"{plural(len(days), 'day')} a week, but {routine.title} aims at "
            f"{plural(target, 'session')} a week",
        )
    days = days or ics.default_days(target)
    data = ics.plan(routine, days, at, today, args.url, minutes=args.minutes)
    name = f"{routine.id}-calendar-{today}.ics"
    out = cli.write_out(args.out, data_dir, name, data, args.force)
    names = ", ".join(ics.WEEKDAYS[d].title() for d in days)
    print(f"wrote {out}: {routine.title} every {names} at {at:%H:%M}")
    return 0


ROUTINE_HELP = "routine id (default: the one last used in the app, or the only one)"


def _folder() -> str:
    """The data folder, in a command's help (read when the help is made, as it is now)."""
    return f"the data folder, {config.data_dir()}"


def _out_help(what: str) -> str:
    exports = cli.exports_dir(config.data_dir())
    return f"the {what} file to write (default: a new file in {exports}/)"


def _add_sharing(commands) -> None:
    rep = commands.add_parser(
        "report",
        parents=[cli.data_dir_option()],
        help="write the printable report for a physiotherapist",
        description="One self-contained HTML file (no script, nothing fetched) that prints "
        "on one or two pages. The range is whole weeks, Monday to Sunday. It is made from "
        f"{_folder()}. {OTHER}",
    )
    rep.add_argument("--routine", help=ROUTINE_HELP)
    rep.add_argument(
        "--weeks",
        type=_weeks,
        help="the last N weeks (up to 5,200), or 0 for all time (default 12)",
    )
    rep.add_argument("--from", dest="first", type=_day, help="YYYY-MM-DD")
    rep.add_argument("--to", dest="last", type=_day, help="YYYY-MM-DD")
    rep.add_argument("--out", help=_out_help(".html"))
    rep.add_argument("--force", action="store_true", help="overwrite an existing file")
    rep.set_defaults(func=cmd_report)
    cal = commands.add_parser(
        "calendar",
        parents=[cli.data_dir_option()],
        help="write the plan as weekly calendar events (.ics)",
        description="One weekly event per planned weekday, for the phone's calendar, "
        f"from a routine in {_folder()}. {OTHER}",
    )
    cal.add_argument("--routine", help=ROUTINE_HELP)
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
    cal.add_argument("--out", help=_out_help(".ics"))
    cal.add_argument("--force", action="store_true", help="overwrite an existing file")
    cal.set_defaults(func=cmd_calendar)


def _day(text: str) -> date:
    """A day given on the command line: a real date a record may be about."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a YYYY-MM-DD date") from None
    try:
        fields.day_text(day)  # the window a record may be about, and its message
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
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


MAX_WEEKS = 5_200  # a century: more is all time, and past the calendar's end


def _weeks(text: str) -> int:
    value = int(text)
    if not 0 <= value <= MAX_WEEKS:
        raise argparse.ArgumentTypeError(f"weeks must be from 0 (all time) to {MAX_WEEKS:,}")
    return value


def cmd_demo(args: argparse.Namespace) -> int:
    from hipdash import demo  # loaded only for this command: `import` stays quick

    found = routines(args.routines_dir, args.data_dir)
    today = args.today or config.today()
    try:
        routine = demo.pick_routine(found, args.routine)
        written = demo.create(args.data_dir, routine, args.weeks, args.seed, today, args.force)
    except (demo.DemoError, OSError) as exc:
        raise cli.Refused(str(exc)) from None
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
    """A backup of everything: conflict copies merged in first, so it carries their lines."""
    from hipdash import backup

    data_dir = config.data_dir()
    failed = serve.merge_and_say(data_dir, "export")
    try:
        data = backup.make_backup(data_dir)
    except (backup.BackupError, OSError) as exc:
        raise cli.Refused(f"{_reason(exc)}; nothing written") from None
    name = backup.file_name(config.today())
    target = cli.write_out(args.file, data_dir, name, data, args.force)
    held = backup.listed(data)
    names = backup.describe(held.files) or "no data files yet"
    print(f"wrote {target} ({len(data):,} bytes, readable by you only): {names}")
    for name, count in held.left_out.items():
        print(f"left out {count} unreadable lines of {name} (they stay in the data file)")
    for name, why in held.unusable.items():
        print(f"kept {name} as it is, marked: the app cannot use it ({why})")
    return 1 if failed else 0


def cmd_restore(args: argparse.Namespace) -> int:
    from hipdash import backup
    from hipdash.backup.summary import put_back, routines_replaced

    try:
        raw = backup.read_zip(Path(args.file))
        result = backup.restore_backup(raw, config.data_dir())
    except backup.RestoreFailed as exc:
        raise cli.Refused(f"{args.file}: {exc.strerror}") from None
    except (backup.BackupError, OSError) as exc:
        raise cli.Refused(f"{args.file}: {_reason(exc)}; nothing was changed") from None
    print(f"restored {put_back(result)} into {config.data_dir()}")
    if line := routines_replaced(result, config.data_dir()):
        print(line)
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
    follows = None if args.out else _followed_path(note)  # what a saved routine follows
    data_dir, bundled_dir = config.data_dir(), config.routines_dir()
    keep = "all" if args.keep_all else ()
    if not args.out:
        cli.routines_readable(data_dir)
    try:
        raw = importing.read_note(note)
        if args.out:
            plan = importing.plan_import(raw, note.name, Path(args.out), keep)
        else:
            plan = library.plan_note(raw, note.name, data_dir, bundled_dir, keep)
    except importing.ImportRefused as exc:
        raise cli.Refused(f"{exc}; nothing written") from None
    print("\n".join(importing.summary_lines(plan)))
    if plan.refusal:
        raise cli.Refused(f"{plan.refusal}; nothing written")
    if args.dry_run:
        print(f"dry run: {_would(plan, args.force)}; nothing written")
        return 0
    if plan.unchanged:
        again = _follow_again(data_dir, bundled_dir, plan.routine.id, follows) if follows else ""
        print(f"no changes to the routine; {again}" if again else "no changes; nothing written")
        return 0
    if plan.replaces and not args.force:
        raise cli.Refused(
            f"{_name(plan)} already exists; nothing written (re-run with --force to replace it)"
        )
    replaces = plan.replaces  # before the write makes the file exist
    try:
        if args.out:
            path = importing.save(plan, replace=args.force)
        else:
            follow = _following(data_dir, note, raw) if follows else None
            path = library.save_routine(
                data_dir, bundled_dir, plan.routine, plan.existing, args.force, after=follow
            )
    except (importing.ImportRefused, library.LibraryError) as exc:
        raise cli.Refused(f"{exc}; nothing written") from None
    print(f"wrote {path}")
    if (replaces or plan.bundled) and not args.out:
        what = "the bundled routine it sets aside" if plan.bundled else "the version it replaced"
        print(f"{what} is kept: bring it back on the Routines page (Previous versions)")
    if follows:
        print(f"it follows {follows}: `hipdash sync` takes in your edits of it")
    elif not args.out:
        print("it follows no note: only a markdown note (.md) is followed")
    return 0


def _follow_again(data_dir: Path, bundled_dir: Path, routine_id: str, path: Path) -> str:
    """An unchanged routine follows the note at `path`, imported again, if it did not (a
    record an older hipdash made of a .txt, one that names another note, or none): what is
    said."""
    from hipdash.follow import records, sync

    try:
        follows = records.read(data_dir, routine_id)
    except library.LibraryError:
        follows = None
    if follows is not None and follows.path == path:
        return ""
    try:
        sync.follow(data_dir, bundled_dir, routine_id, path)
    except library.LibraryError as exc:
        raise cli.Refused(str(exc)) from None
    return f"it follows {path} now: `hipdash sync` takes in your edits of it"


def _followed_path(note: Path) -> Path | None:
    """The path a routine imported from `note` follows (`..` taken out); None for a note
    that is not markdown, which is imported but not followed."""
    from hipdash.follow import records

    path = records.note_path(note)
    return path if records.may_follow(str(path)) else None


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
    if plan.unchanged:
        return f"no changes to {_name(plan)}"
    return f"would replace {_name(plan)}" + ("" if force else " (with --force)")


def _add_import(commands) -> None:
    cmd = commands.add_parser(
        "import",
        parents=[cli.data_dir_option()],
        help="import a routine from a markdown note",
        description="Import a routine from a markdown (Obsidian) note into your routines\n"
        f"({config.data_dir() / 'routines'}/<id>.yaml; the version it replaces is kept).\n"
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
    cmd.add_argument("--force", action="store_true", help="replace a routine of yours of that id")
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
    export = commands.add_parser(
        "export",
        parents=[cli.data_dir_option()],
        help="write a backup zip of the data folder ($HIPDASH_DATA_DIR, default data/)",
        description=f"Write a backup zip of every data file in {_folder()}. {OTHER}",
    )
    export.add_argument("file", nargs="?", help=_out_help(".zip"))
    export.add_argument("--force", action="store_true", help="overwrite an existing file")
    export.set_defaults(func=cmd_export)
    restore = commands.add_parser(
        "restore",
        parents=[cli.data_dir_option()],
        help="put a backup zip's files into the data folder ($HIPDASH_DATA_DIR, default data/)",
        description=f"Check a backup zip, then put its files into {_folder()}; the files there "
        f"now are moved aside into replaced-<time>/, never deleted. {OTHER}",
    )
    restore.add_argument("file", help="a zip written by `export` or the app's download")
    restore.set_defaults(func=cmd_restore)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hipdash", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve.add_commands(commands)
    check = commands.add_parser(
        "check",
        parents=[cli.data_dir_option()],
        help="validate every routine YAML file",
        description=f"Validate the bundled routines and yours, in {_folder()}. {OTHER}",
    )
    check.add_argument(
        "--routines-dir", help=f"the bundled routines (default: {config.routines_dir()})"
    )
    check.set_defaults(func=cmd_check)
    _add_demo(commands)
    _add_backup(commands)
    _add_import(commands)
    follow_commands.add_commands(commands)
    _add_sharing(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    cli.use_data_dir(args)
    pin = config.today_problem()  # every command counts from today, or may write it
    try:
        if pin:
            raise cli.Refused(f"{pin}: {config.PIN_FIX}", 2)
        return args.func(args)
    except cli.Refused as exc:
        cli.error(args.command, str(exc))
        return exc.code


if __name__ == "__main__":
    sys.exit(main())
