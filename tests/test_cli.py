"""What `python -m hipdash` says: counts in words, where each command reads and writes."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from hipdash.__main__ import main

from .conftest import VALID


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
