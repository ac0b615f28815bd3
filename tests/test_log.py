"""The check-off log on a real CSV file in a temp dir."""

import os
import stat
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from hipdash.log import COLUMNS, Change, CheckoffLog
from hipdash.sessions import SessionDetails, SessionLog
from hipdash.store import StoreWriteError

from .conftest import log_frame

DAY = date(2026, 11, 24)
R = "hip-therapy-routine-1"
DEAD_BUG = "strengthen/hip-strength-four/dead-bug"
CAT_COW = "release/cat-cow"
AT = datetime(2026, 11, 24, 18, 5, 31, tzinfo=timezone(timedelta(hours=1)))
HEADER = ",".join(COLUMNS) + "\n"


def lines(log):
    return log.path.read_text(encoding="utf-8").splitlines(keepends=True)


def test_a_tick_is_one_line_with_the_design_columns(log):
    log.record([Change(DAY, R, DEAD_BUG, True)], now=AT)
    assert lines(log) == [
        HEADER,
        f"2026-11-24T18:05:31+01:00,2026-11-24,{R},{DEAD_BUG},1\n",
    ]
    assert log.day_state(DAY, R) == {DEAD_BUG: True}


def test_the_file_is_private_to_its_owner(log):
    log.record([Change(DAY, R, DEAD_BUG, True)])
    assert stat.S_IMODE(os.stat(log.path).st_mode) == 0o600


def test_latest_row_wins_and_an_untick_is_a_new_row(log):
    log.record([Change(DAY, R, DEAD_BUG, True)], now=AT)
    log.record([Change(DAY, R, CAT_COW, True)], now=AT)
    log.record([Change(DAY, R, DEAD_BUG, False)], now=AT)
    assert log.day_state(DAY, R) == {DEAD_BUG: False, CAT_COW: True}
    assert len(lines(log)) == 4  # header + 3: nothing rewritten
    latest = log_frame(log).drop_duplicates(["session_date", "routine", "item"], keep="last")
    assert len(latest) == 2
    assert dict(zip(latest["item"], latest["done"], strict=True)) == {
        DEAD_BUG: False,
        CAT_COW: True,
    }


def test_days_and_routines_are_kept_apart(log):
    log.record([Change(DAY, R, DEAD_BUG, True)])
    log.record([Change(DAY, "other-routine", DEAD_BUG, False)])
    log.record([Change(DAY - timedelta(days=1), R, CAT_COW, True)])
    assert log.day_state(DAY, R) == {DEAD_BUG: True}
    assert log.day_state(DAY, "other-routine") == {DEAD_BUG: False}
    assert log.day_state(DAY - timedelta(days=1), R) == {CAT_COW: True}
    assert log.day_state(DAY + timedelta(days=1), R) == {}


def test_several_changes_are_one_write(log):
    log.record([Change(DAY, R, DEAD_BUG, True), Change(DAY, R, CAT_COW, True)], now=AT)
    assert len(lines(log)) == 3
    assert log.day_state(DAY, R) == {DEAD_BUG: True, CAT_COW: True}


def test_a_second_reader_sees_what_the_first_wrote(log):
    other = CheckoffLog(log.path)
    assert other.day_state(DAY, R) == {}
    log.record([Change(DAY, R, DEAD_BUG, True)])
    assert other.day_state(DAY, R) == {DEAD_BUG: True}
    log.record([Change(DAY, R, DEAD_BUG, False)])
    assert other.day_state(DAY, R) == {DEAD_BUG: False}


def test_a_garbage_line_is_skipped_with_a_warning_and_kept(log):
    log.record([Change(DAY, R, DEAD_BUG, True)], now=AT)
    with open(log.path, "a", encoding="utf-8") as f:
        f.write("this is not, a row\n")
        f.write(f"2026-11-24T18:06:00+01:00,2026-13-40,{R},{CAT_COW},1\n")
        f.write(f"2026-11-24T18:06:00+01:00,2026-11-24,{R},{CAT_COW},yes\n")
    log.record([Change(DAY, R, CAT_COW, True)], now=AT)
    snap = log.snapshot()
    assert len(snap.records) == 2
    assert snap.problem_count == 3
    assert snap.problems[0].startswith("checkoffs.csv line 3: expected 5 columns, found 2")
    assert "line 4: session_date is not a real date" in snap.problems[1]
    assert "line 5: done is not 0 or 1" in snap.problems[2]
    assert "this is not, a row\n" in lines(log)  # left in the file as it was
    assert log.day_state(DAY, R) == {DEAD_BUG: True, CAT_COW: True}


def test_a_torn_last_line_is_ignored_and_the_next_row_starts_fresh(log):
    log.record([Change(DAY, R, DEAD_BUG, True)], now=AT)
    with open(log.path, "ab") as f:
        f.write(b"2026-11-24T18:06:00+01:00,2026-11-24,hip-ther")  # a crash mid-write
    assert log.day_state(DAY, R) == {DEAD_BUG: True}
    assert log.snapshot().problems == ()
    log.record([Change(DAY, R, CAT_COW, True)], now=AT)
    assert lines(log)[-2] == "2026-11-24T18:06:00+01:00,2026-11-24,hip-ther\n"
    assert log.day_state(DAY, R) == {DEAD_BUG: True, CAT_COW: True}
    assert log.snapshot().problem_count == 1


@pytest.mark.parametrize("history", ["", "crlf"])
def test_lines_ended_by_a_carriage_return_alone_are_said_and_never_added_to(log, history):
    """An old Mac program's CSV: a newline appended after it would make the whole of it one
    line ("expected 5 columns, found 3497") and the history vanish from view."""
    top = HEADER.replace("\n", "\r\n") if history else ""
    cr_lines = [] if history else [HEADER.strip()]
    cr_lines += [f"2026-11-2{d}T18:00:00+01:00,2026-11-2{d},{R},{CAT_COW},1" for d in range(5)]
    log.path.parent.mkdir(parents=True, exist_ok=True)
    log.path.write_bytes((top + "\r".join(cr_lines) + "\r").encode())
    before = log.path.read_bytes()
    (said,) = log.snapshot().warnings
    assert "its lines end with a carriage return alone (as old Mac programs save CSV)" in said
    with pytest.raises(StoreWriteError, match="carriage return alone"):
        log.record([Change(DAY, R, DEAD_BUG, True)], now=AT)
    assert log.path.read_bytes() == before
    log.path.write_bytes(before.replace(b"\r\n", b"\n").replace(b"\r", b"\n"))  # saved again
    log.record([Change(DAY, R, DEAD_BUG, True)], now=AT)
    assert len(log.snapshot().records) == 6 and log.snapshot().warnings == ()


def test_a_torn_line_with_a_carriage_return_in_a_quoted_cell_is_only_torn(data_dir):
    """Another program's last session line, no newline yet, its note holding a CR: the next
    save ends that line and goes on (it was refused as an old Mac file)."""
    sessions = SessionLog(data_dir)
    data_dir.mkdir()
    sessions.sessions.path.write_bytes(
        b"recorded_at,session_date,routine,pain_before,pain_after,minutes,note\n"
        + f'2026-11-23T10:00:00+00:00,2026-11-23,{R},3,2,30,"left hip\rbetter"'.encode()
    )
    assert "the last line is incomplete" in sessions.snapshots()[0].warnings[0]
    sessions.save(SessionDetails(DAY, R, 1, 1, 20, "ok"), now=AT)
    assert sessions.details(date(2026, 11, 23), R).note == "left hip\nbetter"
    assert sessions.details(DAY, R).note == "ok"


def test_a_crlf_line_cut_after_its_cr_is_only_torn(log):
    log.record([Change(DAY, R, DEAD_BUG, True)], now=AT)
    with open(log.path, "ab") as f:
        f.write(f"2026-11-24T18:06:00+01:00,2026-11-24,{R},{CAT_COW},1\r".encode())
    assert "the last line is incomplete" in log.snapshot().warnings[0]
    log.record([Change(DAY, R, CAT_COW, False)], now=AT + timedelta(minutes=5))
    assert log.day_state(DAY, R) == {DEAD_BUG: True, CAT_COW: False}


def test_bom_crlf_and_a_missing_header_are_read(log):
    log.path.parent.mkdir(parents=True)
    log.path.write_bytes(
        b"\xef\xbb\xbf"
        + f"2026-11-24T18:05:31+01:00,2026-11-24,{R},{DEAD_BUG},1\r\n".encode()
        + f"2026-11-24T18:05:32+01:00,2026-11-24,{R},{CAT_COW},1\r\n".encode()
    )
    assert log.day_state(DAY, R) == {DEAD_BUG: True, CAT_COW: True}
    assert any("no header line" in p for p in log.snapshot().problems)


def test_bad_utf8_is_skipped(log):
    log.path.parent.mkdir(parents=True)
    log.path.write_bytes(HEADER.encode() + b"\xff\xfe,broken\n")
    assert log.snapshot().records == []
    assert "not UTF-8 text" in log.snapshot().problems[0]


def test_an_empty_or_missing_file_is_an_empty_log(log):
    assert log.day_state(DAY, R) == {}
    assert log_frame(log).empty
    log.path.parent.mkdir(parents=True)
    log.path.write_bytes(b"")
    assert log.snapshot().records == []
    log.record([Change(DAY, R, DEAD_BUG, True)], now=AT)
    assert lines(log)[0] == HEADER  # an empty file gets its header


def test_a_replaced_file_is_read_again_from_the_start(log):
    log.record([Change(DAY, R, DEAD_BUG, True)], now=AT)
    assert log.day_state(DAY, R) == {DEAD_BUG: True}
    replacement = log.path.with_name("new.csv")
    replacement.write_text(HEADER + f"2026-11-24T18:05:31+01:00,2026-11-24,{R},{CAT_COW},1\n")
    os.replace(replacement, log.path)
    assert log.day_state(DAY, R) == {CAT_COW: True}


def test_frame_types_and_order(log):
    log.record([Change(DAY, R, DEAD_BUG, True)], now=AT)
    log.record([Change(DAY, R, DEAD_BUG, False)], now=AT)
    frame = log_frame(log)
    assert list(frame.columns) == list(COLUMNS)
    assert str(frame["session_date"].dtype).startswith("datetime64")
    assert frame["done"].tolist() == [True, False]


def test_ids_that_are_not_slugs_are_refused_before_writing(log):
    with pytest.raises(ValueError):
        log.record([Change(DAY, "../../etc", DEAD_BUG, True)])
    with pytest.raises(ValueError):
        log.record([Change(DAY, R, "a,b", True)])
    assert not log.path.exists()


def test_a_log_path_that_cannot_be_written_is_a_clear_error(log):
    log.path.mkdir(parents=True)  # a directory where the file should be: open() fails
    with pytest.raises(StoreWriteError, match="Could not save"):
        log.record([Change(DAY, R, DEAD_BUG, True)])


def test_a_data_dir_that_cannot_be_created_is_a_clear_error(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data dir should be")
    log = CheckoffLog(blocker / "data" / "checkoffs.csv")
    with pytest.raises(StoreWriteError, match="Could not save"):
        log.record([Change(DAY, R, DEAD_BUG, True)])


def test_carry_gives_a_moved_item_its_ticks_under_its_new_key(log):
    """An exercise moved from section a to b: its ticks follow it, appended, the old rows
    kept, a day already logged under the new key left as it is, nothing carried twice."""
    d1, d2, d3 = date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)
    log.record([Change(d1, "r", "a/one", True), Change(d1, "r", "a/one/x", True)])
    log.record([Change(d2, "r", "a/one", True)])
    log.record([Change(d2, "r", "a/one", False)])  # unticked again: nothing to carry
    log.record([Change(d3, "r", "a/one", True), Change(d3, "r", "b/one", False)])  # newer
    log.record([Change(d1, "other", "a/one", True)])  # another routine's: not this one's
    before = log.path.read_bytes()

    moves = {"a/one": "b/one", "a/one/x": "b/one/x"}
    assert log.carry("r", moves) == 2
    assert log.path.read_bytes().startswith(before)  # appended only
    assert log.day_state(d1, "r") == {
        "a/one": True,
        "a/one/x": True,
        "b/one": True,
        "b/one/x": True,
    }
    assert log.day_state(d2, "r") == {"a/one": False}
    assert log.day_state(d3, "r")["b/one"] is False
    assert log.day_state(d1, "other") == {"a/one": True}
    assert log.carry("r", moves) == 0  # the new keys have those days now


def test_record_each_writes_the_lines_recording_one_by_one_writes(tmp_path):
    """Demo data's weeks of clicks in one write: the same bytes as a click at a time, a
    clock that went back included (the later click still sorts after the earlier one)."""
    at = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    day = date(2026, 11, 24)
    timed = [
        (Change(day, "r1", "a/x", True), at),
        (Change(day, "r1", "b/y", True), at + timedelta(seconds=5)),
        (Change(day, "r1", "a/x", False), at - timedelta(seconds=30)),  # clock behind
        (Change(day + timedelta(days=1), "r1", "a/x", True), at + timedelta(days=1)),
    ]
    one_by_one = CheckoffLog(tmp_path / "a.csv")
    for change, when in timed:
        one_by_one.record([change], now=when)
    at_once = CheckoffLog(tmp_path / "b.csv")
    assert at_once.record_each(timed) == 4
    assert at_once.path.read_bytes() == one_by_one.path.read_bytes()
    assert at_once.day_state(day, "r1") == {"a/x": False, "b/y": True}
