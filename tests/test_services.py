"""The services the pages call to write (hipdash.services), on real files in a temp dir
with the clock passed in: what each writes, stamped with the `now` it was given."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from hipdash import appstate
from hipdash.feelings import FeelingLog
from hipdash.library.edits import keys_of, move_to_section
from hipdash.log import Change
from hipdash.services import checkoffs, day, visits
from hipdash.services import stopwatch as stopwatch_service
from hipdash.sessions import SessionLog
from hipdash.store import StoreWriteError

ZONE = timezone(timedelta(hours=-5))
NOW = datetime(2026, 3, 8, 7, 30, 5, tzinfo=ZONE)
DAY = date(2026, 3, 8)
R = "hip-therapy-routine-1"


def stamps(path) -> list[str]:
    return [line.split(",")[0] for line in path.read_text().splitlines()[1:]]


def test_marking_a_day_writes_one_line_stamped_now_and_clears_with_none(data_dir):
    sessions = SessionLog(data_dir)
    day.mark(sessions, DAY, "travel", "  flight ", NOW)
    assert sessions.day_marks()[DAY].kind == "travel"
    assert sessions.day_marks()[DAY].reason == "flight"
    day.mark(sessions, DAY, "", "", NOW + timedelta(minutes=1))
    assert DAY not in sessions.day_marks()
    assert stamps(sessions.days.path) == ["2026-03-08T07:30:05-05:00", "2026-03-08T07:31:05-05:00"]
    with pytest.raises(ValueError):
        day.mark(sessions, DAY, "holiday", "", NOW)


def test_a_feeling_is_written_once_for_a_tap_that_arrives_twice(data_dir):
    feelings = FeelingLog(data_dir)
    assert day.feel(feelings, DAY, R, "release/cat-cow", "hard", NOW) is True
    assert day.feel(feelings, DAY, R, "release/cat-cow", "hard", NOW) is False
    assert feelings.feeling(DAY, R, "release/cat-cow") == "hard"
    assert stamps(feelings.path) == ["2026-03-08T07:30:05-05:00"]
    assert day.feel(feelings, DAY, R, "release/cat-cow", "", NOW + timedelta(seconds=1))
    assert feelings.feeling(DAY, R, "release/cat-cow") == ""


def test_the_routine_used_is_remembered_and_written_only_when_it_changes(data_dir):
    visits.use_routine(data_dir, R)
    assert appstate.read(data_dir).last_routine == R
    state = data_dir / appstate.FILE
    before = state.stat().st_mtime_ns, state.stat().st_ino
    visits.use_routine(data_dir, R)
    assert (state.stat().st_mtime_ns, state.stat().st_ino) == before


def test_the_guided_screen_shown_is_a_new_visit_each_time(data_dir):
    first = visits.show_screen(data_dir, R, DAY, "release/cat-cow", NOW)
    again = visits.show_screen(data_dir, R, DAY, "release/cat-cow", NOW + timedelta(seconds=2))
    assert first.since == "2026-03-08T07:30:05.000000-05:00"
    assert again.since != first.since
    assert appstate.read(data_dir).place(R, DAY) == again


def test_starting_the_stopwatch_keeps_a_running_ones_start(data_dir):
    assert stopwatch_service.start(data_dir, R, DAY, NOW) == NOW.replace(microsecond=0)
    assert stopwatch_service.start(data_dir, R, DAY, NOW + timedelta(minutes=9)) == NOW
    assert appstate.read(data_dir).started(R, DAY) == NOW


def test_a_refused_write_says_so(data_dir):
    data_dir.parent.mkdir(exist_ok=True)
    data_dir.write_text("a file where the data dir should be")
    with pytest.raises(StoreWriteError):
        stopwatch_service.start(data_dir, R, DAY, NOW)
    with pytest.raises(StoreWriteError):
        visits.use_routine(data_dir, R)


def test_a_moved_exercise_keeps_its_ticks_under_its_new_keys(data_dir, log, routine1):
    """cat-cow moves from release to stretch: its ticks (and its steps', if any) come along,
    stamped now; another exercise's stay where they are."""
    old = [k for k in routine1.item_keys if k.startswith("release/cat-cow")]
    other = next(k for k in routine1.item_keys if not k.startswith("release/cat-cow"))
    log.record([Change(DAY, R, k, True) for k in (*old, other)], NOW - timedelta(hours=1))
    moved, new_id = move_to_section(routine1, "release", "cat-cow", "stretch", keys_of(routine1))
    carried = checkoffs.carry_moved(log, moved, "release/cat-cow", f"stretch/{new_id}", old, NOW)
    assert carried == len(old)
    state = log.day_state(DAY, R)
    assert all(state[f"stretch/{new_id}" + k[len("release/cat-cow") :]] for k in old)
    assert state[other] is True and not any(
        k.startswith("stretch/") and "cat-cow" not in k for k in state
    )
    assert stamps(log.path)[-len(old) :] == ["2026-03-08T07:30:05-05:00"] * len(old)
    assert checkoffs.carry_moved(log, moved, "release/cat-cow", f"stretch/{new_id}", old, NOW) == 0
