"""The data files are never reached through a symbolic link, and a file replaced in place
(same inode) is read again from the start: real files in a temp dir."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date

import pytest

from hipdash import store
from hipdash.log import COLUMNS, Change, CheckoffLog
from hipdash.sessions import SessionDetails, SessionLog
from hipdash.store import StoreWriteError

from . import component as cards
from .conftest import DEAD_BUG, PROJECT, R, plain

DAY = date(2026, 11, 24)
HEADER = ",".join(COLUMNS) + "\n"
SECRET = "TOP-SECRET-LINE of another file\n"


def row(item: str, done: int = 1, minute: int = 0) -> str:
    return f"2026-11-24T18:{minute:02d}:00+01:00,2026-11-24,{R},{item},{done}\n"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", "2026-11-24")


@pytest.fixture
def planted(data_dir, tmp_path):
    """checkoffs.csv is a symbolic link to a file outside the data dir."""
    target = tmp_path / "elsewhere.txt"
    target.write_text(SECRET + HEADER + row("release/cat-cow"))
    data_dir.mkdir()
    (data_dir / "checkoffs.csv").symlink_to(target)
    return target


# -- symbolic links ---------------------------------------------------------------------


def test_a_symlinked_log_is_refused_by_name_and_never_read_or_written(planted, data_dir):
    before = planted.read_bytes()
    log = CheckoffLog(data_dir / "checkoffs.csv")
    snap = log.snapshot()
    assert snap.records == []
    assert len(snap.warnings) == 1
    assert "checkoffs.csv is a symbolic link" in snap.warnings[0]
    assert "TOP-SECRET" not in " ".join(snap.warnings)
    assert "symbolic link" in log.write_problem()
    with pytest.raises(StoreWriteError, match="checkoffs.csv is a symbolic link"):
        log.record([Change(DAY, R, DEAD_BUG, True)])
    assert planted.read_bytes() == before


def test_a_dangling_symlink_is_not_created_through(data_dir, tmp_path):
    data_dir.mkdir()
    target = tmp_path / "created-through-the-link.csv"
    (data_dir / "sessions.csv").symlink_to(target)
    with pytest.raises(StoreWriteError, match="sessions.csv is a symbolic link"):
        SessionLog(data_dir).save(SessionDetails(DAY, R, pain_before=3))
    assert not target.exists()


def test_the_pages_show_a_refusal_not_the_targets_lines_and_a_tick_does_not_append(
    app_page, planted, data_dir
):
    before = planted.read_bytes()
    at = app_page()
    assert not at.exception
    shown = " ".join(plain(w.value) for w in at.warning) + cards.message(at)
    assert "checkoffs.csv is a symbolic link" in shown
    assert "TOP-SECRET" not in shown
    assert cards.ticked(at) == []  # the target's tick is not read
    cards.click(at, "Dead bug")
    assert cards.ticked(at) == []
    assert "not saved" in cards.message(at).lower()
    assert planted.read_bytes() == before
    for page in ("pages/progress.py",):
        other = app_page(page)
        text = " ".join(plain(w.value) for w in other.warning)
        assert "symbolic link" in text and "TOP-SECRET" not in text


# -- a file replaced in place -----------------------------------------------------------


def fresh_records(path):
    store.clear_cache()
    return CheckoffLog(path).snapshot().records


def replace_in_place(path, content: str) -> None:
    """Rewrite the file's bytes without a new inode (as `cp` over it or an editor may)."""
    inode = path.stat().st_ino
    with open(path, "r+b") as f:
        f.write(content.encode())
        f.truncate()
    assert path.stat().st_ino == inode


def test_a_log_replaced_in_place_by_a_larger_file_is_read_again(data_dir):
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.record([Change(DAY, R, "release/cat-cow", True)])
    log.record([Change(DAY, R, "release/wrist-stretches", True)])
    assert set(log.day_state(DAY, R)) == {"release/cat-cow", "release/wrist-stretches"}
    seen = log.snapshot().generation

    other = HEADER + "".join(row(f"release/item-{i}", minute=i) for i in range(6))
    replace_in_place(log.path, other)
    snap = log.snapshot()
    assert snap.warnings == ()
    assert snap.generation != seen
    assert snap.records == fresh_records(log.path)
    assert set(log.day_state(DAY, R)) == {f"release/item-{i}" for i in range(6)}


def test_a_same_length_edit_far_from_the_end_is_noticed(data_dir):
    """The bytes just before the end agree; only a line at the start changed."""
    path = data_dir / "checkoffs.csv"
    data_dir.mkdir()
    lines = [row("release/cat-cow", 1, i % 60) for i in range(3000)]  # ~240 kB
    path.write_text(HEADER + "".join(lines))
    log = CheckoffLog(path)
    assert log.day_state(DAY, R) == {"release/cat-cow": True}
    edited = [row("release/cat-cox", 1, 0), *lines[1:]]
    replace_in_place(path, HEADER + "".join(edited) + row("release/cat-cow", 0, 59))
    assert log.snapshot().records == fresh_records(path)
    assert log.day_state(DAY, R) == {"release/cat-cow": False, "release/cat-cox": True}


APPEND = "import sys; open(sys.argv[1], 'a').write(sys.argv[2])"


def test_appends_by_this_and_other_processes_are_read_without_starting_again(data_dir):
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.record([Change(DAY, R, "release/cat-cow", True)])
    generation = log.snapshot().generation
    log.record([Change(DAY, R, DEAD_BUG, True)])  # this process
    assert log.snapshot().generation == generation
    time.sleep(0.01)
    subprocess.run(  # another process, a plain append
        [sys.executable, "-c", APPEND, str(log.path), row("release/wrist-stretches")],
        check=True,
        cwd=PROJECT,
    )
    snap = log.snapshot()
    assert snap.generation == generation
    assert snap.records == fresh_records(log.path)
    assert len(snap.records) == 3


def test_the_lock_file_is_not_followed_either(data_dir, tmp_path):
    data_dir.mkdir()
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n")
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.store.lock_path.parent.mkdir(parents=True, exist_ok=True)  # this computer's, not synced
    log.store.lock_path.symlink_to(target)
    with pytest.raises(StoreWriteError):
        log.record([Change(DAY, R, DEAD_BUG, True)])
    assert target.read_text() == "keep me\n"
    assert (
        not (data_dir / "checkoffs.csv").exists()
        or os.path.getsize(data_dir / "checkoffs.csv") == 0
    )
