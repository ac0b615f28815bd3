"""`hipdash serve` and `hipdash where`: the app from any folder, installed or cloned.

`serve` runs Streamlit on the app's own `app.py` (the clone's, or the copy an installed
hipdash carries in `hipdash/webapp/`), so Streamlit reads the `.streamlit/config.toml`
beside it, the clone's settings: localhost only, the allowed hosts, no usage statistics,
no data-export buttons, `postScriptGC` off. Environment variables (`STREAMLIT_*`) still
override it, as in a clone, except the address: Streamlit is always given the one
checked here (`--host`, else 127.0.0.1), so no setting can open it to the network without
a passcode. It writes nothing into the folder it was started from: the data go to the
data dir (`hipdash where` says which) and the locks to this computer's runtime dir.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from hipdash import cli, config, locks, passcode

DEFAULT_HOST = "127.0.0.1"


def streamlit_argv(port: int | None, host: str) -> list[str]:
    """What `streamlit` is run with: the app's own script, the port given and the address
    checked (a flag: it overrides Streamlit's environment variables and config files)."""
    argv = ["streamlit", "run", str(config.APP), "--server.address", host]
    return argv + (["--server.port", str(port)] if port is not None else [])


def cmd_serve(args: argparse.Namespace) -> int:
    host = args.host or DEFAULT_HOST
    refused = passcode.refusal(host, config.passcode())
    if refused:
        cli.error("serve", f"{refused} (see the README's 'On your phone')")
        return 2
    setting = os.environ.get("STREAMLIT_SERVER_ADDRESS", "")
    if setting and setting != host:  # a setting meant for it: said, not silently passed over
        print(f"listening on {host}, not STREAMLIT_SERVER_ADDRESS={setting}: use --host")
    merge_and_say(config.data_dir(), "serve")  # the --data-dir given, if one was
    from streamlit.web import cli as streamlit_cli  # only here: the other commands stay quick

    sys.argv = streamlit_argv(args.port, host)
    return streamlit_cli.main(prog_name="hipdash serve")


def merge_and_say(data_dir: Path, command: str) -> bool:
    """Merge sync tools' conflict copies in the data dir and print what came in (on start,
    and in `hipdash check`); whether any could not be merged."""
    from hipdash.sync import merge

    failed = False
    for merged in merge.merge_all(data_dir):
        failed |= bool(merged.error)
        if merged.error:
            cli.error(command, merged.text)
        else:
            print(merged.text)
        for problem in merged.problems:
            print(f"  {problem}")
    return failed


def settings_sources() -> list[str]:
    """Where the server's settings come from, weakest first (Streamlit's own order)."""
    from streamlit import file_util  # a small module; Streamlit's own idea of these paths

    files = [
        file_util.get_streamlit_file_path("config.toml"),
        file_util.get_project_streamlit_file_path("config.toml"),
    ]
    ours = Path(file_util.get_main_script_streamlit_file_path(str(config.APP), "config.toml"))
    lines = [f"{path} (yours)" for path in dict.fromkeys(files) if Path(path) != ours]
    lines = [line for line in lines if Path(line.removesuffix(" (yours)")).is_file()]
    lines.append(f"{ours} (hipdash's own)")
    named = sorted(k for k in os.environ if k.startswith(("STREAMLIT_", "HIPDASH_")))
    lines += [f"environment: {', '.join(named)}"] if named else []
    return lines


NO_NOTES_DIR = "none (HIPDASH_NOTES_DIR: where the Routines page may follow notes)"


def where_lines(given: bool = False) -> list[str]:
    """`hipdash where`: the data dir and why (`given`: by --data-dir), the routines dirs,
    the locks, the settings."""
    data = config.data_dir()
    if given:
        why = "--data-dir"
    elif os.environ.get("HIPDASH_DATA_DIR"):
        why = "HIPDASH_DATA_DIR"
    elif config.INSTALLED:
        why = "this computer's user data dir; HIPDASH_DATA_DIR or --data-dir to change"
    else:
        why = "the clone's data/; HIPDASH_DATA_DIR to change"
    lines = [
        f"data:             {data}  ({why})",
        f"your routines:    {data / 'routines'}",
        f"exports:          {cli.exports_dir(data)}  (export, report, calendar given no file)",
        f"bundled routines: {config.routines_dir()}",
        f"notes folder:     {config.notes_dir() or NO_NOTES_DIR}",
        f"locks:            {locks.lock_dir(data)}  (this computer only, never synced)",
        f"app:              {config.APP}",
        "settings, weakest first:",
    ]
    return lines + [f"  {line}" for line in settings_sources()]


def cmd_where(args: argparse.Namespace) -> int:
    """The lines, then whether your routines folder can be read (exit 1 if not)."""
    print("\n".join(where_lines(bool(getattr(args, cli.DATA_DIR_DEST, None)))))
    cli.routines_readable(config.data_dir())
    return 0


def add_commands(commands) -> None:
    serve = commands.add_parser(
        "serve",
        parents=[cli.data_dir_option()],
        help="serve the app (localhost only unless --host and HIPDASH_PASSCODE)",
        description="Serve hipdash in the browser, from any folder, with the settings of "
        "the app's .streamlit/config.toml. Nothing is written into the current folder.",
    )
    serve.add_argument("--port", type=int, help="the port (default 8501)")
    serve.add_argument(
        "--host",
        help=f"the address to listen on (default {DEFAULT_HOST}; another needs "
        f"HIPDASH_PASSCODE of at least {passcode.MIN_LENGTH} characters)",
    )
    serve.set_defaults(func=cmd_serve)
    where = commands.add_parser(
        "where",
        parents=[cli.data_dir_option()],
        help="print the data folder, the routines folders and where settings come from",
    )
    where.set_defaults(func=cmd_where)
