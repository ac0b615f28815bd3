"""What `python -m hipdash` says: counts in words, where each command reads and writes."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from hipdash import appstate, library
from hipdash.__main__ import main

from .conftest import NOTE_1, VALID, R, cli_process


@pytest.fixture(autouse=True)
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # argparse wraps help at the terminal's width


def help_text(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    return " ".join(capsys.readouterr().out.split())


def test_check_counts_one_of_a_kind_in_the_singular(tmp_path, capsys):
    one = VALID.split("      - id: four")[0]  # one section, one exercise with its video
    (tmp_path / "one.yaml").write_text(one)
    assert main(["check", "--routines-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "ok  one.yaml: Mini routine — 1 section, 1 item, 1 video\n" in out


def test_demo_help_names_every_file_it_writes(capsys):
    text = help_text(capsys, "demo")
    for name in ("checkoffs.csv", "sessions.csv", "days.csv"):
        assert name in text


@pytest.mark.parametrize("command", ["export", "restore"])
def test_export_and_restore_help_say_which_data_folder(capsys, data_dir, command):
    text = help_text(capsys, command)
    assert f"the data folder, {data_dir}" in text
    assert "HIPDASH_DATA_DIR" in text
    assert "HIPDASH_DATA_DIR" in help_text(capsys)  # the list of commands says it too


def test_demo_suggests_the_streamlit_beside_this_python(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(Path(sys.executable).parent.parent.parent)  # above the venv
    args = ["demo", "--data-dir", str(tmp_path / "d"), "--weeks", "2", "--today", "2026-11-24"]
    assert main(args) == 0
    (line,) = [x for x in capsys.readouterr().out.splitlines() if x.startswith("see them: ")]
    words = shlex.split(line.removeprefix("see them: "))
    assert words[:2] == [f"HIPDASH_DATA_DIR={tmp_path / 'd'}", "HIPDASH_TODAY=2026-11-24"]
    program = Path(words[2])
    assert words[3:] == ["run", "app.py"]
    assert not program.is_absolute()  # short, as the README writes `.venv/bin/streamlit`
    assert program.resolve() == (Path(sys.executable).parent / "streamlit").resolve()
    assert program.name == "streamlit" and program.exists()


# -- one voice: what a command says when it cannot, and what it says it did ----------------


def said(capsys) -> tuple[str, str]:
    out = capsys.readouterr()
    return out.out, out.err


def import_says(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["import", *argv])
    out, err = said(capsys)
    return code, out.splitlines()[-1], err


def test_importing_a_note_that_makes_the_same_routine_writes_nothing_and_says_so(data_dir, capsys):
    same = (0, "no changes; nothing written", "")
    # The note of the bundled routine 1, unchanged: the bundled routine is not yours, so
    # the first import saves yours (and follows the note); then there is nothing to do.
    assert import_says(capsys, str(NOTE_1))[0] == 0
    yours = data_dir / "routines" / f"{R}.yaml"
    before = yours.read_bytes()
    for force in ([], ["--force"]):
        assert import_says(capsys, str(NOTE_1), *force) == same
    assert yours.read_bytes() == before
    assert len(list((data_dir / "routines" / "previous" / R).iterdir())) == 1  # the bundled


def test_importing_the_unchanged_note_of_an_archived_routine_brings_it_back(
    data_dir, bundled, capsys
):
    library.set_archived(data_dir, bundled, R, True)
    would = f"dry run: would write {data_dir / 'routines' / R}.yaml; nothing written"
    assert import_says(capsys, str(NOTE_1), "--dry-run") == (0, would, "")
    assert import_says(capsys, str(NOTE_1))[0] == 0
    assert [r.id for r in library.load_library(data_dir, bundled).active] == [R]


def test_report_and_calendar_take_the_routine_last_used_else_the_only_one_else_ask(
    data_dir, bundled, capsys, monkeypatch
):
    monkeypatch.setenv("HIPDASH_TODAY", "2026-11-25")
    for command in ("report", "calendar"):  # routine 1 alone
        assert main([command]) == 0
        assert "Hip Therapy Routine 1" in said(capsys)[0]
    (bundled / "mini.yaml").write_text(VALID)
    for command in ("report", "calendar"):
        assert main([command]) == 2
        err = said(capsys)[1]
        assert (
            err == f"hipdash {command}: error: which routine? give --routine, one of: {R}, mini\n"
        )
    appstate.remember_routine(data_dir, "mini")  # as the app does when it shows one
    for command in ("report", "calendar"):
        assert main([command]) == 0
        assert "Mini routine" in said(capsys)[0]


def test_calendar_says_when_the_days_are_not_the_routines_target_and_still_writes(data_dir, capsys):
    assert main(["calendar", "--days", "mon,wed,fri"]) == 0  # routine 1: 3 a week
    assert said(capsys)[1] == ""
    for days, count in (("mon", "1 day"), ("mon,tue,wed,thu", "4 days")):
        assert main(["calendar", "--days", days]) == 0
        out, err = said(capsys)
        assert err == (
            f"hipdash calendar: warning: {count} a week, but Hip Therapy Routine 1 aims at "
            "3 sessions a week\n"
        )
        assert out.startswith(f"wrote {data_dir / 'exports'}")
    assert len(list((data_dir / "exports").glob("*.ics"))) == 3


FAILING = [
    ["report", "--from", "2026-10-01", "--to", "2026-09-01"],
    ["report", "--weeks", "4", "--from", "2026-09-01"],
    ["report", "--weeks", "-1"],  # argparse's own usage error
    ["report", "--routine", "nope"],
    ["calendar", "--days", "someday"],
    ["calendar", "--routine", "nope"],
    ["export", "{here}"],
    ["restore", "{note}"],
    ["import", "{missing}"],
    ["demo", "--data-dir", "{here}", "--weeks", "0"],
    ["check", "--routines-dir", "{empty}"],
    ["check", "--routines-dir", "{broken}"],
    ["note", "nope", "--out", "{missing}"],
    ["serve", "--host", "0.0.0.0"],
]


@pytest.mark.parametrize("argv", FAILING, ids=" ".join)
def test_every_error_line_names_the_command_and_says_error(tmp_path, capsys, argv):
    (tmp_path / "empty").mkdir()
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "x.yaml").write_text("id: x\n")
    paths = {"here": tmp_path, "note": NOTE_1, "missing": tmp_path / "missing.md"}
    paths |= {"empty": tmp_path / "empty", "broken": tmp_path / "broken"}
    argv = [a.format(**paths) for a in argv]
    try:
        code = main(argv)
    except SystemExit as done:  # a usage error: argparse's `usage:` lines, then the error
        code = done.code
    err = said(capsys)[1]
    lines = [ln for ln in err.splitlines() if not ln.startswith(("usage:", " "))]
    assert code in (1, 2) and lines, err
    assert all(ln.startswith(f"hipdash {argv[0]}: error: ") for ln in lines), err


USE_THE_DATA_FOLDER = [
    "check", "serve", "where", "import", "export", "restore", "report", "calendar", "sync", "note"
]  # fmt: skip


@pytest.mark.parametrize("command", USE_THE_DATA_FOLDER)
def test_the_help_of_every_command_that_uses_the_data_folder_names_it(capsys, data_dir, command):
    text = help_text(capsys, command)
    assert f"--data-dir DATA_DIR the data folder (default: {data_dir})" in text


def test_data_dir_after_a_command_is_the_folder_it_uses(data_dir, tmp_path):
    """`--data-dir` on any command stands for HIPDASH_DATA_DIR (here: another folder)."""
    other = tmp_path / "other"
    done = cli_process("import", str(NOTE_1), "--data-dir", str(other), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (other / "routines" / f"{R}.yaml").is_file()
    done = cli_process("export", "--data-dir", str(other), str(tmp_path / "b.zip"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("readable by you only): your routines (4 files)\n")
    where = cli_process("where", "--data-dir", str(other), cwd=tmp_path).stdout
    assert where.startswith(f"data:             {other}  (--data-dir)")
    assert not data_dir.exists()


def test_where_names_the_folder_outputs_go_to(capsys, data_dir):
    assert main(["where"]) == 0
    assert f"exports:          {data_dir / 'exports'}  (" in capsys.readouterr().out
