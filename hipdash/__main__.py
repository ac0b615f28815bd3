"""The command line: `python -m hipdash COMMAND`.

check      validate every routine in routines/ (exit 1 with the problems)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hipdash import config
from hipdash.routines import scan_routines


def cmd_check(args: argparse.Namespace) -> int:
    directory = Path(args.routines_dir or config.routines_dir())
    files = sorted(directory.glob("*.y*ml"))
    if not files:
        print(f"no routine files in {directory}", file=sys.stderr)
        return 1
    found, problems = scan_routines(directory)
    for path, routine in found:
        print(
            f"ok  {path.name}: {routine.title} — {len(routine.sections)} sections, "
            f"{len(routine.items())} items, {len(routine.videos)} videos"
        )
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(found)} of {len(files)} routine files valid")
    return 1 if problems else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hipdash", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate every routine YAML file")
    check.add_argument("--routines-dir", help="default: routines/ or $HIPDASH_ROUTINES_DIR")
    check.set_defaults(func=cmd_check)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
