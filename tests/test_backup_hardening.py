"""A backup is hostile until proven otherwise: restore checks every line of every file with
the app's own parsers, serialises with other restores, never follows a symbolic link and
never loses the files it replaces; export writes the zip readable by its owner only."""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import time
from datetime import date, datetime

import pytest

from hipdash.__main__ import main
from hipdash.backup import BackupError, make_backup, read_backup, restore_backup
from hipdash.backup import archive as backup
from hipdash.feelings import FeelingLog
from hipdash.log import COLUMNS, Change, CheckoffLog
from hipdash.sessions import SessionDetails, SessionLog

from .bounded import run_bounded
from .conftest import PROJECT, crafted_backup

DAY = date(2026, 11, 24)
R = "hip-therapy-routine-1"
NOW = datetime(2026, 11, 25, 9, 30)
HEADER = ",".join(COLUMNS)
ROW = f"2026-11-24T10:00:00+00:00,2026-11-24,{R},release/cat-cow,1"


def fill(data_dir, item="release/cat-cow", note="ok"):
    CheckoffLog(data_dir / "checkoffs.csv").record([Change(DAY, R, item, True)])
    SessionLog(data_dir).save(SessionDetails(DAY, R, pain_before=4, note=note))
    SessionLog(data_dir).mark_day(date(2026, 11, 20), "sick", "flu")
    FeelingLog(data_dir).record(DAY, R, "release/cat-cow", "easy")


def data_files(data_dir) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(data_dir.iterdir()) if p.suffix == ".csv"}


def asides(data_dir) -> list:
    return sorted(p for p in data_dir.iterdir() if p.name.startswith("replaced-"))


def lines(*rows: str) -> bytes:
    return "".join(r + "\n" for r in rows).encode()


SESSION_HEADER = "recorded_at,session_date,routine,pain_before,pain_after,minutes,note"
BAD_ROWS = {
    "a formula line": ("checkoffs.csv", lines(HEADER, ROW, "=cmd|' /C calc'!A0"), 3),
    "a formula in a valid-looking row": (
        "checkoffs.csv",
        lines(HEADER, ROW.replace("release/cat-cow", "=1+1")),
        2,
    ),
    "pain out of range": (
        "sessions.csv",
        lines(SESSION_HEADER, f"2026-11-24T10:00:00+00:00,2026-11-24,{R},11,,,"),
        2,
    ),
    "an unknown day kind": (
        "days.csv",
        lines("recorded_at,day,kind,reason", "2026-11-24T10:00:00+00:00,2026-11-24,party,"),
        2,
    ),
    "a feeling line of garbage": (
        "feelings.csv",
        lines("recorded_at,session_date,routine,exercise,feeling", "x,y"),
        2,
    ),
    "not UTF-8": ("checkoffs.csv", lines(HEADER) + b"\xff\xfe,1\n", 2),
    "a torn last line": ("checkoffs.csv", lines(HEADER, ROW) + ROW[:20].encode(), 3),
    "a blank line then junk": ("checkoffs.csv", lines(HEADER, "", "junk"), 3),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_every_line_is_checked_and_the_first_bad_one_is_named(case, data_dir):
    name, data, line = BAD_ROWS[case]
    fill(data_dir, item="release/wrist-stretches")
    before = data_files(data_dir)
    with pytest.raises(BackupError, match=f"{name} line {line}"):
        restore_backup(crafted_backup({name: data}), data_dir)
    assert data_files(data_dir) == before and asides(data_dir) == []


def test_the_cli_names_the_bad_line_and_says_nothing_changed(data_dir, tmp_path, capsys):
    fill(data_dir)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(crafted_backup({"checkoffs.csv": lines(HEADER, ROW, "=cmd|' /C calc'!A0")}))
    assert main(["restore", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "checkoffs.csv line 3" in err and "nothing was changed" in err


def test_a_file_entry_that_is_not_an_object_is_refused_cleanly(data_dir):
    data = lines(HEADER, ROW)
    for entry in ("abc", 5, None, ["x"], {"bytes": "12", "sha256": 5}):
        raw = crafted_backup({"checkoffs.csv": data}, {"checkoffs.csv": entry})
        with pytest.raises(BackupError, match="checkoffs.csv"):
            read_backup(raw)


def test_a_note_an_older_hipdash_stored_as_a_formula_is_restored_inert(data_dir):
    note_row = f"2026-11-24T10:00:00+00:00,2026-11-24,{R},4,,,=1+1"
    restore_backup(crafted_backup({"sessions.csv": lines(SESSION_HEADER, note_row)}), data_dir)
    stored = (data_dir / "sessions.csv").read_text()
    assert ",=1+1" not in stored and ",'=1+1" in stored
    assert SessionLog(data_dir).details(DAY, R).note == "=1+1"


def test_unreadable_lines_are_left_out_of_a_backup_so_it_can_always_be_restored(data_dir, tmp_path):
    fill(data_dir)
    path = data_dir / "checkoffs.csv"
    clean = path.read_bytes()
    with open(path, "ab") as f:
        f.write(b"=cmd|' /C calc'!A0\n" + ROW.encode()[:25])  # junk and a torn last line
    files = read_backup(make_backup(data_dir))
    assert files["checkoffs.csv"] == clean
    other = tmp_path / "other"
    restore_backup(make_backup(data_dir), other)
    assert (other / "checkoffs.csv").read_bytes() == clean


# -- two restores, and a restore that fails --------------------------------------------


def test_two_restores_in_the_same_second_keep_the_original(data_dir, tmp_path):
    fill(data_dir, item="release/foam-roller")
    original = (data_dir / "checkoffs.csv").read_bytes()
    fill(tmp_path / "a", item="release/wrist-stretches")
    fill(tmp_path / "b", item="release/cat-cow")
    restore_backup(make_backup(tmp_path / "a"), data_dir, now=NOW)
    restore_backup(make_backup(tmp_path / "b"), data_dir, now=NOW)
    kept = [p / "checkoffs.csv" for p in asides(data_dir)]
    assert len(kept) == 2
    assert original in [p.read_bytes() for p in kept]
    assert (data_dir / "checkoffs.csv").read_bytes() == (
        tmp_path / "b" / "checkoffs.csv"
    ).read_bytes()


def test_restores_started_together_take_turns_and_lose_nothing(data_dir, tmp_path):
    fill(data_dir, item="release/foam-roller")
    original = data_files(data_dir)
    zips = []
    for name, item in (("a", "release/wrist-stretches"), ("b", "release/cat-cow")):
        fill(tmp_path / name, item=item)
        zips.append(tmp_path / f"{name}.zip")
        zips[-1].write_bytes(make_backup(tmp_path / name))
    env = dict(os.environ, HIPDASH_DATA_DIR=str(data_dir))
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "hipdash", "restore", str(z)],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for z in zips * 2
    ]
    assert [p.wait(60) for p in procs] == [0, 0, 0, 0], [p.stderr.read() for p in procs]
    final = data_files(data_dir)
    assert final in (data_files(tmp_path / "a"), data_files(tmp_path / "b"))
    kept = asides(data_dir)
    assert len(kept) == 4
    assert any(
        {n: (p / n).read_bytes() for n in original if (p / n).exists()} == original for p in kept
    )


def fail_on(monkeypatch, name: str, *, undo_too: bool = False):
    """Make writing `name` fail as a full disk would; with undo_too, moving files back too."""
    real_write, real_replace = backup._write_new, os.replace

    def write(path, data):
        if path.name == name:
            raise OSError(28, "No space left on device")
        return real_write(path, data)

    def replace(src, dst):
        if undo_too and "replaced-" in str(src):
            raise OSError(5, "Input/output error")
        return real_replace(src, dst)

    monkeypatch.setattr(backup, "_write_new", write)
    monkeypatch.setattr(backup.os, "replace", replace)


def test_a_restore_that_fails_half_way_puts_everything_back(data_dir, tmp_path, monkeypatch):
    fill(tmp_path / "elsewhere", item="release/wrist-stretches")
    raw = make_backup(tmp_path / "elsewhere")
    fill(data_dir)
    before = data_files(data_dir)
    fail_on(monkeypatch, "sessions.csv")
    with pytest.raises(BackupError, match="could not restore.*No space left"):
        restore_backup(raw, data_dir)
    assert data_files(data_dir) == before and asides(data_dir) == []


def test_a_restore_whose_undo_fails_says_where_the_originals_are(
    data_dir, tmp_path, monkeypatch, capsys
):
    fill(tmp_path / "elsewhere", item="release/wrist-stretches")
    (tmp_path / "b.zip").write_bytes(make_backup(tmp_path / "elsewhere"))
    fill(data_dir)
    before = data_files(data_dir)
    fail_on(monkeypatch, "sessions.csv", undo_too=True)
    assert main(["restore", str(tmp_path / "b.zip")]) == 1
    err = capsys.readouterr().err
    assert "nothing was changed" not in err and "Traceback" not in err
    (kept,) = asides(data_dir)
    assert str(kept) in err
    for name, data in before.items():  # each original: in place, or in the aside folder
        here = data_dir / name
        assert (here.exists() and here.read_bytes() == data) or (kept / name).read_bytes() == data


# -- symbolic links ---------------------------------------------------------------------


def test_a_symlink_planted_at_the_temp_name_is_not_written_through(data_dir, tmp_path):
    fill(tmp_path / "elsewhere")
    data_dir.mkdir()
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n")
    for name in ("checkoffs.csv", "sessions.csv", "days.csv", "feelings.csv"):
        (data_dir / f".{name}.restoring").symlink_to(target)
    restore_backup(make_backup(tmp_path / "elsewhere"), data_dir)
    assert target.read_text() == "keep me\n"
    assert data_files(data_dir) == data_files(tmp_path / "elsewhere")


def test_export_refuses_a_symlinked_data_file_by_name(data_dir, tmp_path):
    fill(data_dir)
    secret = tmp_path / "id_rsa"
    secret.write_text("-----BEGIN PRIVATE KEY-----\n")
    (data_dir / "days.csv").unlink()
    (data_dir / "days.csv").symlink_to(secret)
    with pytest.raises(BackupError, match="days.csv is a symbolic link"):
        make_backup(data_dir)


def test_restore_refuses_a_symlinked_data_file_and_changes_nothing(data_dir, tmp_path):
    fill(tmp_path / "elsewhere")
    fill(data_dir)
    target = tmp_path / "target.csv"
    target.write_bytes((data_dir / "checkoffs.csv").read_bytes())
    (data_dir / "checkoffs.csv").unlink()
    (data_dir / "checkoffs.csv").symlink_to(target)
    with pytest.raises(BackupError, match="checkoffs.csv is a symbolic link"):
        restore_backup(make_backup(tmp_path / "elsewhere"), data_dir)
    assert (data_dir / "checkoffs.csv").is_symlink() and asides(data_dir) == []


# -- export ------------------------------------------------------------------------------


def big_data_dir(data_dir) -> None:
    """Enough rows that writing the zip takes a moment."""
    data_dir.mkdir(parents=True, exist_ok=True)
    rows = [
        f"2026-11-24T10:{i // 60 % 60:02d}:{i % 60:02d}+00:00,2026-{1 + i % 12:02d}-"
        f"{1 + i % 28:02d},{R},release/item-{i % 977},{i % 2}"
        for i in range(60_000)
    ]
    (data_dir / "checkoffs.csv").write_text("\n".join([HEADER, *rows]) + "\n")


@pytest.mark.slow
def test_export_is_never_readable_by_others_not_even_for_a_moment(data_dir, tmp_path, figures):
    """Another process watches the folder and freezes the exporter the moment a file
    appears in it: every file it ever sees there is mode 600."""
    big_data_dir(data_dir)
    out = tmp_path / "out"
    out.mkdir()
    seen: list[int] = []
    for attempt in range(3):
        target = out / f"backup-{attempt}.zip"
        env = dict(os.environ, HIPDASH_DATA_DIR=str(data_dir))
        proc = subprocess.Popen(
            [sys.executable, "-m", "hipdash", "export", str(target)],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            preexec_fn=lambda: os.umask(0o022),
        )
        caught = False
        while proc.poll() is None:
            names = [
                n for n in os.listdir(out) if n.startswith(f"backup-{attempt}") or n.startswith(".")
            ]
            if names and not caught:
                os.kill(proc.pid, signal.SIGSTOP)
                caught = True
                seen += [os.lstat(out / n).st_mode & 0o777 for n in os.listdir(out)]
                os.kill(proc.pid, signal.SIGCONT)
        assert proc.wait() == 0
        seen.append(os.stat(target).st_mode & 0o777)
    assert seen and set(seen) == {0o600}, [oct(m) for m in seen]
    figures.append(
        f"export: {len(seen)} looks at the zip while and after it was written, all mode 600"
    )


def test_export_never_overwrites_or_follows_a_link_without_force(data_dir, tmp_path):
    fill(data_dir)
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n")
    link = tmp_path / "backup.zip"
    link.symlink_to(target)
    assert main(["export", str(link)]) == 1
    assert target.read_text() == "keep me\n"
    assert main(["export", str(link), "--force"]) == 0  # replaces the link, not its target
    assert target.read_text() == "keep me\n"
    assert not link.is_symlink() and stat.S_IMODE(link.stat().st_mode) == 0o600
    assert sorted(read_backup(link.read_bytes())) == sorted(data_files(data_dir))
    time.sleep(0)


LARGEST = r"""
import sys
from hipdash.backup import archive as backup
from tests.conftest import crafted_backup

row = "2026-{m:02d}-{d:02d}T10:{s:02d}:00+00:00,2026-{m:02d}-{d:02d},{r},release/item-{i},{done}\n"
block = "".join(
    row.format(m=1 + i % 12, d=1 + i % 28, s=i % 60, r=sys.argv[5], i=i % 977, done=i % 2)
    for i in range(12 * 28 * 5)
).encode()  # 1,680 lines of every day, time and item, over and over (deflate sees no repeat)
header, bad = b"recorded_at,session_date,routine,item,done\n", b"=cmd|' /C calc'!A0\n"
data = header + block * ((backup.MAX_FILE_BYTES - len(header) - len(bad)) // len(block)) + bad
raw = crafted_backup({"checkoffs.csv": data}, deflate=True)
del data
"""


def test_the_largest_backup_the_bounds_allow_is_refused_at_its_last_line_in_seconds(figures):
    """A log of the largest size a backup may hold (16 MB, about 215,000 lines) with a
    formula on its last line: every line is checked, the last one named, within 3 s of CPU
    and 96 MB more memory (resource limits on a child)."""
    body = """
try:
    backup.read_backup(raw)
    result = None
except backup.BackupError as exc:
    result = [str(exc), len(raw)]
"""
    done = run_bounded(LARGEST, body, cpu_seconds=3, memory_mb=96, args=(R,))
    said, zipped = done.result
    named = re.search(r"checkoffs.csv line (\d{6}): expected 5 columns", said)
    assert named, said
    figures.append(
        f"restore: the largest log a backup may hold (16 MB, {int(named[1]):,} lines, "
        f"{zipped / 2**20:.1f} MB zipped), a formula on its last line: refused in "
        f"{done.cpu:.2f} s CPU, +{done.rss_mb:.0f} MB, naming that line (limits 3 s, 96 MB)"
    )
