"""A data folder hipdash cannot read: the data dir is a file, or a data file may not be read
(chmod 000). Every page opens without a traceback, the Backup page says which file and
what can still be done, and nothing is written.

An unreadable file is real here: the pages run in a child process bound by file modes
(`bound_by_modes`: root, who ignores them, runs without the capabilities that let it)."""

from __future__ import annotations

from datetime import date

import pytest

from hipdash.log import Change, CheckoffLog
from hipdash.sessions import SessionLog

from .conftest import EVERY_PAGE, R, cli_process, pages_bound_by_modes, plain

DAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", DAY.isoformat())


def ticked_log(data_dir):
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.record([Change(DAY, R, "release/cat-cow", True)])
    return log.path


def closed(path, mode_after: int, pages=None) -> dict:
    """The pages (`pages_bound_by_modes`) with `path` at mode 000, then back to `mode_after`."""
    path.chmod(0o000)
    try:
        return pages_bound_by_modes(pages or EVERY_PAGE)
    finally:
        path.chmod(mode_after)


def test_an_unreadable_log_shows_no_traceback_and_the_backup_page_names_it(data_dir):
    path = ticked_log(data_dir)
    content = path.read_bytes()
    seen = closed(path, 0o600)
    for page in EVERY_PAGE:
        assert seen[page]["exception"] == [], page
    (warned,) = [plain(w) for w in seen["pages/today.py"]["warning"]]
    assert "- checkoffs.csv cannot be read: permission denied" in warned
    (error,) = [plain(e) for e in seen["pages/backup.py"]["error"]]
    assert error.startswith(
        "**No backup can be made:** checkoffs.csv cannot be read: permission denied. "
        "Nothing was written."
    )
    assert "restored below" in error  # what can still be done
    assert "- checkoffs.csv cannot be read: permission denied: not counted" in "\n".join(
        plain(m) for m in seen["pages/backup.py"]["markdown"]
    )
    assert path.read_bytes() == content
    written = {p.name for p in data_dir.iterdir()} - {"checkoffs.csv"}
    assert written <= {"app-state.json"}  # the routine last shown, as Today always keeps it


def test_progress_turns_the_log_download_off_when_the_log_cannot_be_read(data_dir):
    """A click would fail in the browser without a word (Progress still shows a marked day)."""
    path = ticked_log(data_dir)
    SessionLog(data_dir).mark_day(DAY, "rest")
    (progress,) = closed(path, 0o600, ["pages/progress.py"]).values()
    assert progress["exception"] == []
    assert {"Check-off log (CSV)", "Report for my physio"} <= set(progress["disabled"])
    said = " ".join(plain(c) for c in progress["caption"])
    assert (
        "**Check-off log**: cannot be downloaded: checkoffs.csv cannot be read: permission denied"
        in said
    )


@pytest.mark.parametrize("page", EVERY_PAGE)
def test_a_data_dir_that_is_a_file_shows_no_traceback_and_stays_as_it_is(app_page, data_dir, page):
    data_dir.write_text("not a folder")
    at = app_page(None if page == "app.py" else page)
    assert not at.exception
    assert data_dir.read_text() == "not a folder"
    assert [p.name for p in data_dir.parent.iterdir()] == ["data"]


def test_the_backup_page_says_the_data_dir_is_not_a_folder_once(app_page, data_dir):
    data_dir.write_text("not a folder")
    at = app_page("pages/backup.py")
    (error,) = [plain(e.value) for e in at.error]
    assert error.startswith(
        f"**No backup can be made:** the data folder {data_dir} is not a folder (a file is "
        "in its way). Nothing was written."
    )
    assert "HIPDASH_DATA_DIR" in error  # what can be done
    assert at.get("download_button")[0].proto.disabled
    assert not at.get("file_uploader")  # nothing can be restored into a file


def test_export_names_the_file_it_cannot_read_and_writes_nothing(data_dir, tmp_path):
    path = ticked_log(data_dir)
    path.chmod(0o000)
    try:
        done = cli_process("export", str(tmp_path / "b.zip"))
    finally:
        path.chmod(0o600)
    assert done.returncode == 1
    assert done.stderr == (
        "hipdash export: error: checkoffs.csv cannot be read: permission denied; nothing written\n"
    )
    assert not (tmp_path / "b.zip").exists()


def symlinked(path):
    (path.parent.parent / "elsewhere.csv").write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(path.parent.parent / "elsewhere.csv")


def folder(path):
    path.unlink()
    path.mkdir()


UNREADABLE = {
    "mode 000": (lambda path: path.chmod(0o000), "checkoffs.csv cannot be read: permission denied"),
    "a symbolic link": (symlinked, "checkoffs.csv is a symbolic link"),
    "a folder": (folder, "checkoffs.csv is not a regular file"),
}


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_report_refuses_a_log_it_cannot_read_and_writes_nothing(data_dir, tmp_path, case):
    make, said = UNREADABLE[case]
    path = ticked_log(data_dir)
    make(path)
    try:
        done = cli_process("report", "--out", str(tmp_path / "r.html"))
    finally:
        path.chmod(0o700 if path.is_dir() else 0o600)
    assert done.returncode == 1, done.stdout
    assert done.stderr.startswith("hipdash report: error: ") and said in done.stderr
    assert done.stderr.endswith("; no report written: it would leave out what cannot be read\n")
    assert done.stdout == ""
    assert not (tmp_path / "r.html").exists() and not (data_dir / "exports").exists()


def test_a_data_folder_that_cannot_be_looked_into_shows_no_traceback(data_dir):
    """The whole data folder of mode 000 (a permission set wrong by a sync tool or a
    restore by hand): every page opens and says so; nothing in it changes."""
    path = ticked_log(data_dir)
    content = path.read_bytes()
    seen = closed(data_dir, 0o700)
    for page in EVERY_PAGE:
        assert seen[page]["exception"] == [], (page, seen[page]["exception"])
    said = " ".join(plain(t) for kind in ("warning", "error") for t in seen["pages/today.py"][kind])
    assert "cannot be read: permission denied" in said
    assert path.read_bytes() == content
