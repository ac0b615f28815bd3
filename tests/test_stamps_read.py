"""A `recorded_at` that has the shape of a timestamp but is no real moment (a hand edit,
another program): every reader skips its line with a warning, so it can neither win
over a real later change as text nor stop a reader that parses it."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from hipdash import feelings, fields, log, sessions
from hipdash.log import Change, CheckoffLog

DAY = date(2026, 11, 24)
R = "hip-therapy-routine-1"
CAT_COW = "release/cat-cow"
AT = datetime(2026, 11, 24, 18, 5, tzinfo=timezone(timedelta(hours=1)))
NOT_MOMENTS = [
    "2026-11-24T25:00:00+01:00",  # no hour 25
    "2026-11-24T18:60:00+01:00",  # no minute 60
    "2026-11-24T18:06:61+01:00",
    "2026-02-30T18:06:00+01:00",  # no 30 February
    "2026-11-24T18:06:00+25:00",  # an offset of more than a day
    "2026-11-24T18:06:00+01:75",
    "9999-12-31T23:30:00-05:00",  # the next stamp after it would overflow
    "0001-01-01T00:00:00+00:00",
]
REAL = [
    "2026-11-24T18:06:00+01:00",
    "2026-11-24T23:59:59.999999Z",
    "2024-02-29T00:00:00-12:00",
    "1970-01-01T00:00:07+00:00",  # a clock reset by a dead battery: its lines still count
]
# One good line of each kind of file, its stamp left to fill in.
ROWS = [
    (log.KIND, f"{{}},2026-11-24,{R},{CAT_COW},1"),
    (feelings.KIND, f"{{}},2026-11-24,{R},{CAT_COW},hard"),
    (sessions.SESSION_KIND, f"{{}},2026-11-24,{R},3,2,25,sore"),
    (sessions.DAY_KIND, "{},2026-11-24,rest,"),
]


@pytest.mark.parametrize("stamp", NOT_MOMENTS)
@pytest.mark.parametrize("kind,row", ROWS, ids=[k.name for k, _ in ROWS])
def test_every_reader_skips_a_stamp_that_is_no_real_moment(kind, row, stamp):
    assert not isinstance(kind.parse(kind.fields(row.format(REAL[0]))), str)
    problem = kind.parse(kind.fields(row.format(stamp)))
    assert isinstance(problem, str) and problem.startswith("recorded_at is not a")


@pytest.mark.parametrize("stamp", REAL)
def test_a_real_moment_in_any_offset_is_read(stamp):
    assert fields.timestamp_problem(stamp) is None
    datetime.fromisoformat(stamp)  # and the readers that compare it can parse it


@pytest.mark.parametrize("stamp", NOT_MOMENTS)
def test_a_hand_edited_untick_cannot_undo_a_later_real_tick(stamp, tmp_path):
    checkoffs = CheckoffLog(tmp_path / "checkoffs.csv")
    checkoffs.record([Change(DAY, R, CAT_COW, False)], now=AT - timedelta(minutes=5))
    with open(checkoffs.path, "a", encoding="utf-8") as f:
        f.write(f"{stamp},2026-11-24,{R},{CAT_COW},0\n")
    checkoffs.record([Change(DAY, R, CAT_COW, True)], now=AT)
    assert checkoffs.day_state(DAY, R) == {CAT_COW: True}
    snap = checkoffs.snapshot()
    assert len(snap.records) == 2
    assert "line 3: recorded_at is not a" in snap.problems[0]


def test_a_change_after_a_line_stamped_at_the_end_of_time_is_saved(tmp_path):
    """Reproduction: a line stamped 9999-12-31T23:30-05:00 was read, and the next change
    to the same thing raised OverflowError making a stamp after it."""
    checkoffs = CheckoffLog(tmp_path / "checkoffs.csv")
    checkoffs.record([Change(DAY, R, CAT_COW, True)], now=AT)
    with open(checkoffs.path, "a", encoding="utf-8") as f:
        f.write(f"9999-12-31T23:30:00-05:00,2026-11-24,{R},{CAT_COW},1\n")
    checkoffs.record([Change(DAY, R, CAT_COW, False)], now=AT + timedelta(minutes=1))
    assert checkoffs.day_state(DAY, R) == {CAT_COW: False}
