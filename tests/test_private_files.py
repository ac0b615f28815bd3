"""The files hipdash makes are its user's alone whatever the umask: every folder it makes
0700, every file 0600, in the data dir and among the locks (hipdash.private)."""

from __future__ import annotations

import os
from datetime import datetime

import pytest

from hipdash import appstate, backup, locks
from hipdash.__main__ import main
from hipdash.log import Change, CheckoffLog
from hipdash.sessions import SessionDetails, SessionLog

from .conftest import DEAD_BUG, NOTE_1, TODAY, R

NOW = datetime(2026, 11, 25, 18, 0)


@pytest.fixture(autouse=True)
def umask_022():
    """The usual umask, under which a plain mkdir or open makes things others can read."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def modes(*folders) -> dict[str, str]:
    """Every folder and file under `folders` (them included) that is not private."""
    loose = {}
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            mode = path.stat().st_mode & 0o777
            if mode != (0o700 if path.is_dir() else 0o600):
                loose[str(path)] = oct(mode)
    return loose


def test_what_the_app_writes_is_private_from_a_data_dir_it_makes(tmp_path, monkeypatch):
    data = tmp_path / "made" / "data"  # neither folder exists yet
    monkeypatch.setenv("HIPDASH_DATA_DIR", str(data))
    appstate.remember_routine(data, R)
    appstate.start_timer(data, R, TODAY, NOW)
    CheckoffLog(data / "checkoffs.csv").record([Change(TODAY, R, DEAD_BUG, True)], now=NOW)
    SessionLog(data).save(SessionDetails(TODAY, R, minutes=20), now=NOW)
    note = tmp_path / NOTE_1.name
    note.write_text(NOTE_1.read_text().replace("- Wrist stretches\n", ""))
    assert main(["import", str(note), "--force"]) == 0  # your routines, the kept version
    assert (data / "routines" / "previous").is_dir()
    assert modes(tmp_path / "made", locks.lock_dir(data)) == {}
    assert {p.name for p in locks.lock_dir(data).iterdir()} >= {"checkoffs.csv.lock"}


def test_what_the_commands_write_is_private(tmp_path, monkeypatch, capsys):
    demo = tmp_path / "new" / "demo"
    assert main(["demo", "--data-dir", str(demo), "--weeks", "2", "--today", "2026-11-24"]) == 0
    monkeypatch.setenv("HIPDASH_DATA_DIR", str(demo))
    for command in (["export"], ["report"], ["calendar"], ["import", str(NOTE_1), "--force"]):
        assert main(command) == 0
    (zipped,) = (demo / "exports").glob("*.zip")
    restored = tmp_path / "restored" / "data"
    monkeypatch.setenv("HIPDASH_DATA_DIR", str(restored))
    assert main(["restore", str(zipped)]) == 0
    assert main(["restore", str(zipped)]) == 0  # over it: the files there kept aside
    assert list(restored.glob("replaced-*"))
    found = [tmp_path / "new", tmp_path / "restored", locks.lock_dir(demo)]
    assert modes(*found, locks.lock_dir(restored)) == {}


def test_outputs_given_no_path_go_to_exports_in_the_data_dir_and_no_backup_holds_them(
    data_dir, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)  # where the command runs gets nothing
    CheckoffLog(data_dir / "checkoffs.csv").record([Change(TODAY, R, DEAD_BUG, True)], now=NOW)
    for command, name in [
        ("export", f"hipdash-backup-{TODAY}"),
        ("export", f"hipdash-backup-{TODAY}-2"),  # the same day again: a new file
        ("report", f"{R}-report-{TODAY}"),
        ("calendar", f"{R}-calendar-{TODAY}"),
    ]:
        monkeypatch.setenv("HIPDASH_TODAY", TODAY.isoformat())
        assert main([command]) == 0
        assert capsys.readouterr().out.startswith(f"wrote {data_dir / 'exports' / name}.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    newest = (data_dir / "exports" / f"hipdash-backup-{TODAY}-2.zip").read_bytes()
    assert backup.listed(newest).files == ("checkoffs.csv",)
    assert modes(data_dir) == {}
