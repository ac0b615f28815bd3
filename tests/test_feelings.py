"""How exercises felt: the feelings file through its real CSV, and its summaries."""

from datetime import date

import pytest

from hipdash import backup
from hipdash.feelings import FeelingLog, Recent

from .conftest import plain

R = "hip-therapy-routine-1"
COUCH = "stretch/couch-stretch"


def test_the_latest_feeling_per_session_wins_and_empty_clears(data_dir):
    log = FeelingLog(data_dir)
    log.record(date(2026, 11, 20), R, COUCH, "hard")
    log.record(date(2026, 11, 20), R, COUCH, "painful")
    assert log.feeling(date(2026, 11, 20), R, COUCH) == "painful"
    log.record(date(2026, 11, 20), R, COUCH, "")
    assert log.feeling(date(2026, 11, 20), R, COUCH) == ""
    assert len((data_dir / "feelings.csv").read_text().splitlines()) == 4  # nothing rewritten


def test_a_feeling_already_noted_is_not_written_again(data_dir):
    """A tap that arrives twice, or the same tap from a second device, adds one line."""
    log, other_device = FeelingLog(data_dir), FeelingLog(data_dir)
    assert log.record(date(2026, 11, 20), R, COUCH, "hard") is True
    assert other_device.record(date(2026, 11, 20), R, COUCH, "hard") is False
    assert log.record(date(2026, 11, 20), R, COUCH, "hard") is False
    assert log.record(date(2026, 11, 21), R, COUCH, "hard") is True  # another session
    assert log.record(date(2026, 11, 22), R, COUCH, "") is False  # nothing to clear
    lines = (data_dir / "feelings.csv").read_text().splitlines()[1:]
    assert [line.split(",")[1:] for line in lines] == [
        ["2026-11-20", R, COUCH, "hard"],
        ["2026-11-21", R, COUCH, "hard"],
    ]


def test_recent_summarises_the_last_five_sessions_newest_first(data_dir):
    log = FeelingLog(data_dir)
    for day, feeling in [
        (10, "easy"),
        (12, "painful"),
        (14, "right"),
        (16, "painful"),
        (18, "hard"),
        (20, "painful"),
    ]:
        log.record(date(2026, 11, day), R, COUCH, feeling)
    recent = log.recent(R)[COUCH]
    assert recent.feelings == ("painful", "hard", "painful", "right", "painful")
    assert recent.summary == "painful in 3 of the last 5 sessions"
    assert log.recent(R, until=date(2026, 11, 14))[COUCH].summary == (
        "painful in 1 of the last 3 sessions"
    )
    assert log.recent("other") == {}


def test_a_single_easy_session_reads_naturally():
    assert Recent(COUCH, ("easy",)).summary == "easy in the last session"


@pytest.mark.parametrize("feeling", ["great", "PAINFUL", "1"])
def test_unknown_feelings_are_refused_before_writing(data_dir, feeling):
    with pytest.raises(ValueError):
        FeelingLog(data_dir).record(date(2026, 11, 20), R, COUCH, feeling)
    assert not (data_dir / "feelings.csv").exists()


def plant_a_bad_line(data_dir):
    data_dir.mkdir()
    (data_dir / "feelings.csv").write_text(
        "recorded_at,session_date,routine,exercise,feeling\n"
        f"2026-11-20T10:00:00+01:00,2026-11-20,{R},{COUCH},awful\n"
        f"2026-11-20T10:00:00+01:00,2026-11-20,{R},{COUCH},hard\n"
    )


def test_bad_lines_are_skipped_and_reported(data_dir):
    plant_a_bad_line(data_dir)
    log = FeelingLog(data_dir)
    assert log.feeling(date(2026, 11, 20), R, COUCH) == "hard"
    assert "feeling is not one of" in log.snapshot().problems[0]


@pytest.mark.parametrize("script", ["pages/today.py", "pages/progress.py"])
def test_a_bad_line_is_said_on_the_pages_like_the_session_files(script, data_dir, app_page):
    """It was skipped in silence: no page said feelings.csv had a line it could not read."""
    plant_a_bad_line(data_dir)
    at = app_page(script)
    assert not at.exception
    (said,) = [plain(w.value) for w in at.warning if "feelings.csv" in w.value]
    assert "feelings.csv line 2: feeling is not one of easy, right, hard, painful" in said


def test_feelings_are_backed_up_and_restored(data_dir, tmp_path):
    FeelingLog(data_dir).record(date(2026, 11, 20), R, COUCH, "painful")
    zipped = backup.make_backup(data_dir)
    other = tmp_path / "other"
    backup.restore_backup(zipped, other)
    assert FeelingLog(other).feeling(date(2026, 11, 20), R, COUCH) == "painful"
