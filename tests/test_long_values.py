"""Long values in the files of free text (sessions.csv, days.csv). One longer than the csv
module reads (128 KiB): its line is skipped with a warning like any other unreadable line,
and the pages, the commands, a restore and a sync copy's merge go on (it used to raise
`_csv.Error: field larger than field limit` from every page but Routines). A note or reason
longer than the app lets a person type: its line is skipped too, and a save refuses one,
where it used to keep only its first 2,000 characters (a Stop of the stopwatch re-saved a
hand-edited note cut short)."""

from __future__ import annotations

from datetime import date

import pytest

from hipdash.backup import BackupError, restore_backup
from hipdash.sessions import MAX_TEXT, SessionDetails, SessionLog
from hipdash.sync import merge

from .conftest import R, crafted_backup, run_cli

LONG = "y" * 131_073
STAMP = "2026-11-25T10:00:00+00:00"
FILES = {
    "days.csv": (
        "recorded_at,day,kind,reason\n",
        f"{STAMP},2026-11-23,sick,flu\n",
        f"{STAMP},2026-11-24,rest,{LONG}\n",
    ),
    "sessions.csv": (
        "recorded_at,session_date,routine,pain_before,pain_after,minutes,note\n",
        f"{STAMP},2026-11-23,{R},3,2,25,fine\n",
        f'{STAMP},2026-11-24,{R},3,2,25,"{LONG}"\n',
    ),
}


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", "2026-11-25")


def plant(data_dir, name):
    data_dir.mkdir(exist_ok=True)
    (data_dir / name).write_text("".join(FILES[name]))


@pytest.mark.parametrize("name", FILES)
def test_the_line_is_skipped_with_a_warning_and_the_others_read(name, data_dir):
    plant(data_dir, name)
    sessions = SessionLog(data_dir)
    assert date(2026, 11, 23) in sessions.day_marks() or sessions.details(date(2026, 11, 23), R)
    problems = " ".join(p for snap in sessions.snapshots() for p in snap.problems)
    assert f"{name} line 3: cannot be read as CSV (field larger than field limit" in problems


@pytest.mark.parametrize(
    ("name", "script"),
    [
        ("days.csv", "pages/today.py"),
        ("days.csv", "pages/progress.py"),
        ("sessions.csv", "pages/guided.py"),
    ],
)
def test_every_page_opens_and_says_which_line(name, script, data_dir, app_page):
    plant(data_dir, name)
    at = app_page(script)
    assert not at.exception
    assert any(f"{name} line 3" in w.value for w in at.warning)


@pytest.mark.parametrize("name", FILES)
def test_export_leaves_it_out_and_a_restore_refuses_it_by_line(name, data_dir, tmp_path):
    plant(data_dir, name)
    code, said = run_cli("export", str(tmp_path / "b.zip"))
    assert code == 0, said
    assert LONG not in (tmp_path / "b.zip").read_bytes().decode("latin-1")
    with pytest.raises(BackupError, match=f"{name} line 3"):
        restore_backup(crafted_backup({name: "".join(FILES[name]).encode()}), tmp_path / "new")


@pytest.mark.parametrize("name", FILES)
def test_a_sync_copy_holding_it_merges_its_other_lines(name, data_dir):
    data_dir.mkdir()
    copy = data_dir / name.replace(".", ".sync-conflict-20261201-101010-ABCDEFG.")
    copy.write_text("".join(FILES[name]))
    (merged,) = merge.merge_all(data_dir)
    assert not merged.error and merged.rows == 1
    assert "line 3: cannot be read as CSV" in merged.problems[0]


def test_a_note_or_reason_too_long_to_type_is_skipped_and_never_cut(data_dir):
    data_dir.mkdir()
    sessions = SessionLog(data_dir)
    day = date(2026, 11, 24)
    sessions.save(SessionDetails(day, R, note="short"))
    sessions.mark_day(day, "rest", "tired")
    long = "z" * (MAX_TEXT + 1)
    with open(data_dir / "sessions.csv", "a") as f:
        f.write(f"2026-11-25T10:00:00+00:00,2026-11-24,{R},3,2,25,{long}\n")
    with open(data_dir / "days.csv", "a") as f:
        f.write(f"2026-11-25T10:00:00+00:00,2026-11-24,sick,{long}\n")
    assert sessions.details(day, R).note == "short"
    assert sessions.day_marks()[day].reason == "tired"
    problems = [p for snap in sessions.snapshots() for p in snap.problems]
    assert "sessions.csv line 3: note is longer than 2,000 characters" in problems[0]
    assert "days.csv line 3: reason is longer than 2,000 characters" in problems[1]
    with pytest.raises(ValueError, match="note is longer than 2,000 characters"):
        sessions.save(SessionDetails(day, R, note=long))
    with pytest.raises(ValueError, match="reason is longer than 2,000 characters"):
        sessions.mark_day(day, "sick", long)
    sessions.save(SessionDetails(day, R, note="y" * MAX_TEXT))  # as long as one is typed
    assert sessions.details(day, R).note == "y" * MAX_TEXT
