"""The README is kept true by running what it says: every `python -m hipdash` command in it
names a real command and real options, the demo commands run as written, and every
setting it names is one the code reads."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from hipdash.__main__ import main

from .conftest import PROJECT

README = (PROJECT / "README.md").read_text()
PREFIXES = (".venv/bin/python -m hipdash ", "hipdash ")  # in a clone, and installed


def commands() -> list[list[str]]:
    """The README's hipdash commands (in its shell blocks), comments dropped."""
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    lines = [ln.split("  #")[0].strip() for block in blocks for ln in block.splitlines()]
    return [
        shlex.split(ln.removeprefix(prefix))
        for ln in lines
        for prefix in PREFIXES
        if ln.startswith(prefix)
    ]


def test_the_readme_shows_the_commands():
    shown = {argv[0] for argv in commands()}
    assert shown >= {"import", "check", "export", "restore", "demo", "serve"}


@pytest.mark.parametrize("argv", commands(), ids=" ".join)
def test_every_command_and_option_in_the_readme_exists(argv, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")
    with pytest.raises(SystemExit) as done:
        main([argv[0], "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    for option in (a.split("=")[0] for a in argv[1:] if a.startswith("--")):
        assert re.search(rf"{re.escape(option)}(?![\w-])", text), f"{argv[0]} has no {option}"


def test_the_demo_commands_run_as_written(tmp_path, monkeypatch, capsys):
    demo = next(argv for argv in commands() if argv[0] == "demo")
    at = demo.index("--data-dir") + 1
    demo[at] = str(tmp_path / Path(demo[at]).name)  # the same command, in this test's dir
    assert main(demo) == 0
    assert (tmp_path / Path(demo[at]).name / "checkoffs.csv").stat().st_size > 10_000


def test_the_commands_that_write_a_file_leave_nothing_in_the_folder_they_run_in(
    data_dir, tmp_path, monkeypatch, capsys
):
    here = tmp_path / "clone"  # as if in the clone: health data must not land in it
    here.mkdir()
    monkeypatch.chdir(here)
    writers = [argv for argv in commands() if argv[0] in ("export", "report", "calendar")]
    assert len(writers) == 3
    for argv in writers:
        assert main(argv) == 0, capsys.readouterr().err
    assert list(here.iterdir()) == []
    assert len(list((data_dir / "exports").iterdir())) == 3


def test_every_setting_the_readme_names_is_read_by_the_code():
    named = set(re.findall(r"HIPDASH_[A-Z_]+", README))
    code = "".join(p.read_text() for p in (PROJECT / "hipdash").rglob("*.py"))
    assert named and all(name in code for name in named), named
