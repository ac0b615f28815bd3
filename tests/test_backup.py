"""Backup and restore of all data, through the library and the CLI."""

import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import date, datetime

import pytest

from hipdash import appstate
from hipdash.backup import BackupError, make_backup, read_backup, restore_backup
from hipdash.log import Change, CheckoffLog
from hipdash.sessions import SessionDetails, SessionLog

from .conftest import PROJECT, VALID

DAY = date(2026, 11, 24)
R = "hip-therapy-routine-1"
NOW = datetime(2026, 11, 25, 9, 30)


def fill(data_dir, item="release/cat-cow"):
    CheckoffLog(data_dir / "checkoffs.csv").record([Change(DAY, R, item, True)])
    SessionLog(data_dir).save(SessionDetails(DAY, R, pain_before=4, note="ok"))
    SessionLog(data_dir).mark_day(date(2026, 11, 20), "sick", "flu")


def test_a_backup_holds_every_data_file_byte_for_byte(data_dir):
    fill(data_dir)
    files = read_backup(make_backup(data_dir))
    assert sorted(files) == ["checkoffs.csv", "days.csv", "sessions.csv"]
    for name, data in files.items():
        assert data == (data_dir / name).read_bytes()
    clean = (data_dir / "checkoffs.csv").read_bytes()
    with open(data_dir / "checkoffs.csv", "a") as f:
        f.write("a garbage line is left out: a restore would refuse it\n")
    assert read_backup(make_backup(data_dir))["checkoffs.csv"] == clean


def test_a_log_that_compresses_like_a_bomb_is_backed_up_whole_and_restored(data_dir):
    """One tick recorded over and over (a script, a stuck sync) compresses far past any real
    log: restore would take such a member for a zip bomb, so the backup stores it as is."""
    fill(data_dir)
    line = (data_dir / "checkoffs.csv").read_text().splitlines()[-1]
    with open(data_dir / "checkoffs.csv", "a") as f:
        f.write(f"{line}\n" * 20_000)
    raw = make_backup(data_dir)
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        kept = zf.getinfo("checkoffs.csv")
        assert kept.compress_type == zipfile.ZIP_STORED
        assert zf.getinfo("sessions.csv").compress_type == zipfile.ZIP_DEFLATED
    assert read_backup(raw)["checkoffs.csv"] == (data_dir / "checkoffs.csv").read_bytes()
    assert restore_backup(raw, data_dir, now=NOW).restored


def test_restore_replaces_the_data_and_keeps_the_old_files_aside(data_dir, tmp_path):
    fill(data_dir)
    backup = make_backup(data_dir)
    before = {n: (data_dir / n).read_bytes() for n in ("checkoffs.csv", "sessions.csv")}
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.record([Change(DAY, R, "release/wrist-stretches", True)])  # made after the backup
    assert log.day_state(DAY, R)["release/wrist-stretches"] is True

    result = restore_backup(backup, data_dir, now=NOW)
    assert set(result.restored) == {"checkoffs.csv", "sessions.csv", "days.csv"}
    assert result.kept_aside.parent == data_dir
    assert result.kept_aside.name.startswith("replaced-20261125-093000-")
    for name, data in before.items():
        assert (data_dir / name).read_bytes() == data
    assert "release/wrist-stretches" in (result.kept_aside / "checkoffs.csv").read_text()
    assert log.day_state(DAY, R) == {"release/cat-cow": True}  # readers see the restored file
    assert SessionLog(data_dir).details(DAY, R).pain_before == 4


def test_restoring_into_an_empty_data_dir_moves_nothing_aside(data_dir, tmp_path):
    fill(tmp_path / "elsewhere")
    result = restore_backup(make_backup(tmp_path / "elsewhere"), data_dir)
    assert result.kept_aside is None
    assert CheckoffLog(data_dir / "checkoffs.csv").day_state(DAY, R) == {"release/cat-cow": True}


def test_where_the_replaced_session_was_goes_aside_with_its_data(data_dir, tmp_path):
    """Today offered to resume a guided session of the log a restore had replaced: the
    guided screen and the stopwatch stayed in app-state.json (a conflict copy of it too,
    which a merge would have made the app state again)."""
    fill(data_dir)
    appstate.show(data_dir, R, DAY, "release/wrist-stretches", NOW.astimezone())
    appstate.start_timer(data_dir, R, DAY, NOW.astimezone())
    assert appstate.read(data_dir).place(R, DAY)
    copy = data_dir / "app-state.sync-conflict-20261125-093000-ABCDEFG.json"
    copy.write_bytes((data_dir / appstate.FILE).read_bytes())
    fill(tmp_path / "elsewhere", item="release/wrist-stretches")

    result = restore_backup(make_backup(tmp_path / "elsewhere"), data_dir, now=NOW)
    state = appstate.read(data_dir)
    assert state.place(R, DAY) is None and state.started(R, DAY) is None
    assert not copy.exists()
    assert {appstate.FILE, copy.name} <= set(result.replaced)
    kept = appstate.read(result.kept_aside)  # moved, not deleted
    assert kept.place(R, DAY).screen == "release/wrist-stretches" and kept.started(R, DAY)


def test_a_sync_copy_of_the_app_state_that_holds_a_session_goes_aside_too(data_dir, tmp_path):
    """The file itself holds only the last routine used, a sync tool's copy of it a guided
    screen: a merge after the restore would make that copy the app state again."""
    fill(data_dir)
    appstate.show(data_dir, R, DAY, "release/wrist-stretches", NOW.astimezone())
    copy = data_dir / "app-state.sync-conflict-20261125-093000-ABCDEFG.json"
    copy.write_bytes((data_dir / appstate.FILE).read_bytes())
    (data_dir / appstate.FILE).unlink()
    appstate.remember_routine(data_dir, R)
    assert appstate.read(data_dir).place(R, DAY) is None
    fill(tmp_path / "elsewhere")
    result = restore_backup(make_backup(tmp_path / "elsewhere"), data_dir, now=NOW)
    assert not copy.exists() and {appstate.FILE, copy.name} <= set(result.replaced)


def test_an_app_state_of_only_the_last_routine_stays_and_makes_no_folder(data_dir, tmp_path):
    """A fresh install opened once before its restore: nothing of it is replaced."""
    appstate.remember_routine(data_dir, R)
    fill(tmp_path / "elsewhere")
    result = restore_backup(make_backup(tmp_path / "elsewhere"), data_dir)
    assert result.kept_aside is None
    assert appstate.read(data_dir).last_routine == R


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def tampered(data_dir, change):
    fill(data_dir)
    with zipfile.ZipFile(io.BytesIO(make_backup(data_dir))) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    change(entries)
    return zip_of(entries)


def _bad_manifest(entries):
    entries["manifest.json"] = b'{"format": "something-else", "version": 1, "files": {}}'


def _damaged(entries):
    entries["checkoffs.csv"] += b"2026-11-24T10:00:00+00:00,2026-11-24,x,a/b,1\n"


def _wrong_header(entries):
    manifest = json.loads(entries["manifest.json"])
    data = b"name,email\nx,y\n"
    entries["days.csv"] = data
    import hashlib

    manifest["files"]["days.csv"] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    entries["manifest.json"] = json.dumps(manifest).encode()


def _extra(entries):
    entries["../../etc/passwd"] = b"root:x:0:0"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: b"PK\x03\x04 not really a zip", "not a zip file"),
        (lambda d: b"", "not a zip file"),
        (lambda d: zip_of({"checkoffs.csv": b"hello"}), "no manifest.json"),
        (lambda d: tampered(d, _bad_manifest), "not a hipdash manifest"),
        (lambda d: tampered(d, _damaged), "does not match its checksum"),
        (lambda d: tampered(d, _wrong_header), "days.csv has the wrong header"),
        (lambda d: tampered(d, _extra), "unexpected file '../../etc/passwd'"),
    ],
)
def test_a_file_that_is_not_a_good_backup_is_refused_and_nothing_changes(data_dir, make, message):
    raw = make(data_dir)
    fill(data_dir, item="release/wrist-stretches")
    before = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.suffix == ".csv"}
    with pytest.raises(BackupError, match=message):
        restore_backup(raw, data_dir)
    after = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.suffix == ".csv"}
    assert after == before
    assert not any(p.name.startswith("replaced-") for p in data_dir.iterdir())


def hipdash(*args, data_dir):
    env = dict(os.environ, HIPDASH_DATA_DIR=str(data_dir))
    return subprocess.run(
        [sys.executable, "-m", "hipdash", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        env=env,
    )


def test_cli_export_and_restore(data_dir, tmp_path):
    fill(data_dir)
    target = tmp_path / "backup.zip"
    result = hipdash("export", str(target), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "checkoffs.csv, sessions.csv, days.csv" in result.stdout
    assert hipdash("export", str(target), data_dir=data_dir).returncode == 1  # no overwrite

    other = tmp_path / "other-data"
    result = hipdash("restore", str(target), data_dir=other)
    assert result.returncode == 0, result.stderr
    assert (other / "checkoffs.csv").read_bytes() == (data_dir / "checkoffs.csv").read_bytes()
    # Over a routine of yours, from a backup with none: the command says it went too.
    (data_dir / "routines").mkdir()
    (data_dir / "routines" / "mini.yaml").write_text(VALID)
    result = hipdash("restore", str(target), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    said = "Your routine (Mini routine) was replaced by the backup's: none, so the bundled"
    assert said in result.stdout
    assert not (data_dir / "routines" / "mini.yaml").exists()


def test_cli_restore_refuses_a_file_that_is_not_a_backup(data_dir, tmp_path):
    fill(data_dir)
    before = (data_dir / "checkoffs.csv").read_bytes()
    bogus = tmp_path / "holiday.zip"
    bogus.write_bytes(zip_of({"photo.jpg": b"\xff\xd8"}))
    result = hipdash("restore", str(bogus), data_dir=data_dir)
    assert result.returncode == 1
    assert "not a hipdash backup" in result.stderr and "nothing was changed" in result.stderr
    assert (data_dir / "checkoffs.csv").read_bytes() == before
    missing = hipdash("restore", str(tmp_path / "nope.zip"), data_dir=data_dir)
    assert missing.returncode == 1 and "nothing was changed" in missing.stderr
