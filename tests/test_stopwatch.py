"""The stopwatch's minutes never change a saved number behind the person's back: on real
files, with a clock passed in."""

from datetime import date, datetime, timedelta, timezone

import pytest

from hipdash import appstate
from hipdash.services import stopwatch
from hipdash.sessions import DetailsConflict, SessionDetails, SessionLog

ZONE = timezone(timedelta(hours=1))
START = datetime(2026, 11, 24, 18, 0, tzinfo=ZONE)
DAY = date(2026, 11, 24)
R = "hip-therapy-routine-1"


@pytest.fixture
def sessions(data_dir):
    return SessionLog(data_dir)


def lines(sessions: SessionLog) -> int:
    path = sessions.sessions.path
    return len(path.read_text().splitlines()) if path.exists() else 0


def running(data_dir) -> bool:
    return appstate.read(data_dir).started(R, DAY) is not None


def test_stop_saves_the_minutes_when_none_are_saved_and_keeps_the_rest(data_dir, sessions):
    sessions.save(SessionDetails(DAY, R, pain_before=5, note="stiff"))
    appstate.start_timer(data_dir, R, DAY, START)
    stopped = stopwatch.stop(data_dir, sessions, R, DAY, START + timedelta(minutes=31))
    assert (stopped.timed, stopped.saved, stopped.asked) == (31, None, False)
    assert sessions.details(DAY, R) == SessionDetails(DAY, R, 5, None, 31, "stiff")
    assert not running(data_dir)


def test_stop_over_other_saved_minutes_changes_nothing_and_asks(data_dir, sessions):
    sessions.save(SessionDetails(DAY, R, minutes=2))
    appstate.start_timer(data_dir, R, DAY, START)
    before = lines(sessions)
    stopped = stopwatch.stop(data_dir, sessions, R, DAY, START + timedelta(hours=2))
    assert (stopped.timed, stopped.saved, stopped.asked) == (120, 2, True)
    assert stopped.question == "The stopwatch says 120 min; 2 min are saved for this session."
    assert sessions.details(DAY, R).minutes == 2 and lines(sessions) == before
    assert running(data_dir)  # until the person picks


def test_keeping_the_saved_minutes_stops_the_stopwatch_and_writes_nothing(data_dir, sessions):
    sessions.save(SessionDetails(DAY, R, minutes=2, note="kept"))
    appstate.start_timer(data_dir, R, DAY, START)
    before = lines(sessions)
    stopwatch.keep(data_dir, sessions, R, DAY, 2, 2, START + timedelta(hours=2))
    assert sessions.details(DAY, R) == SessionDetails(DAY, R, minutes=2, note="kept")
    assert lines(sessions) == before and not running(data_dir)


def test_keeping_the_stopwatchs_minutes_saves_them_and_the_rest_stays(data_dir, sessions):
    sessions.save(SessionDetails(DAY, R, pain_after=1, minutes=2))
    appstate.start_timer(data_dir, R, DAY, START)
    stopwatch.keep(data_dir, sessions, R, DAY, 120, 2, START + timedelta(hours=2))
    assert sessions.details(DAY, R) == SessionDetails(DAY, R, pain_after=1, minutes=120)
    assert not running(data_dir)


def test_a_pick_over_details_changed_elsewhere_since_the_question_is_refused(data_dir, sessions):
    sessions.save(SessionDetails(DAY, R, minutes=2))
    appstate.start_timer(data_dir, R, DAY, START)
    sessions.save(SessionDetails(DAY, R, minutes=40))  # another device, meanwhile
    with pytest.raises(DetailsConflict):
        stopwatch.keep(data_dir, sessions, R, DAY, 120, 2, START + timedelta(hours=2))
    assert sessions.details(DAY, R).minutes == 40 and running(data_dir)


def test_stop_over_the_same_minutes_just_stops(data_dir, sessions):
    sessions.save(SessionDetails(DAY, R, minutes=30))
    appstate.start_timer(data_dir, R, DAY, START)
    before = lines(sessions)
    stopped = stopwatch.stop(data_dir, sessions, R, DAY, START + timedelta(minutes=30, seconds=10))
    assert (stopped.timed, stopped.asked) == (30, False)
    assert lines(sessions) == before and not running(data_dir)


def test_stop_without_a_running_stopwatch_does_nothing(data_dir, sessions):
    sessions.save(SessionDetails(DAY, R, minutes=2))
    stopped = stopwatch.stop(data_dir, sessions, R, DAY, START + timedelta(hours=5))
    assert (stopped.timed, stopped.saved, stopped.asked) == (None, 2, False)
    assert sessions.details(DAY, R).minutes == 2


def test_saving_the_details_stops_that_sessions_stopwatch_only(data_dir, sessions):
    appstate.start_timer(data_dir, R, DAY, START)
    other_day = DAY - timedelta(days=1)
    appstate.start_timer(data_dir, R, other_day, START)
    details = SessionDetails(DAY, R, minutes=2)
    stopwatch.save_details(data_dir, sessions, details, None, START + timedelta(minutes=2))
    assert sessions.details(DAY, R) == details
    assert not running(data_dir)
    assert appstate.read(data_dir).started(R, other_day) == START
    # A Stop left on another tab's screen afterwards changes nothing, even hours later.
    assert stopwatch.stop(data_dir, sessions, R, DAY, START + timedelta(hours=3)).timed is None
    assert sessions.details(DAY, R).minutes == 2


def test_saving_over_details_changed_elsewhere_keeps_the_stopwatch(data_dir, sessions):
    appstate.start_timer(data_dir, R, DAY, START)
    sessions.save(SessionDetails(DAY, R, note="phone"))
    with pytest.raises(DetailsConflict):
        stopwatch.save_details(data_dir, sessions, SessionDetails(DAY, R, minutes=3), None, START)
    assert running(data_dir) and sessions.details(DAY, R).note == "phone"


def test_a_sessions_first_action_starts_its_stopwatch_once(data_dir, sessions):
    assert not stopwatch.timed(data_dir, sessions, R, DAY)
    assert stopwatch.begin(data_dir, sessions, R, DAY, START)
    assert appstate.read(data_dir).started(R, DAY) == START
    assert stopwatch.timed(data_dir, sessions, R, DAY)
    later = START + timedelta(minutes=5)
    assert not stopwatch.begin(data_dir, sessions, R, DAY, later)  # it runs on
    assert appstate.read(data_dir).started(R, DAY) == START
    stopwatch.stop(data_dir, sessions, R, DAY, START + timedelta(minutes=20))
    assert stopwatch.timed(data_dir, sessions, R, DAY)  # its minutes are saved
    assert not stopwatch.begin(data_dir, sessions, R, DAY, START + timedelta(minutes=30))
    assert not running(data_dir) and sessions.details(DAY, R).minutes == 20


def test_a_countdown_that_ran_by_itself_counts_from_its_start_if_recent(data_dir, sessions):
    other = DAY - timedelta(days=1)
    now = START + timedelta(minutes=4)
    stopwatch.begin(data_dir, sessions, R, DAY, now, since=START)
    assert appstate.read(data_dir).started(R, DAY) == START
    # A screen left running for hours is no measure of the session: from now.
    stopwatch.begin(data_dir, sessions, R, other, now, since=now - timedelta(hours=3))
    assert appstate.read(data_dir).started(R, other) == now


@pytest.mark.parametrize("ahead", [timedelta(seconds=30), timedelta(minutes=5)])
def test_a_start_after_now_saves_nothing_and_asks_unless_within_a_clocks_skew(
    data_dir, sessions, ahead
):
    appstate.start_timer(data_dir, R, DAY, START + ahead)
    stopped = stopwatch.stop(data_dir, sessions, R, DAY, START)
    if ahead > stopwatch.CLOCK_SKEW:
        assert stopped.asked and stopped.ahead == ahead and lines(sessions) == 0
        assert running(data_dir)
    else:
        assert not stopped.asked and sessions.details(DAY, R).minutes == 1
