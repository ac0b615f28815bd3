"""What the app remembers between visits (last routine, running stopwatches), on real files."""

import os
from datetime import date, datetime, timedelta, timezone

import pytest

from hipdash import appstate
from hipdash.store import StoreWriteError

ZONE = timezone(timedelta(hours=1))
NOW = datetime(2026, 11, 24, 18, 0, tzinfo=ZONE)
DAY = date(2026, 11, 24)
R = "hip-therapy-routine-1"


def test_a_stopwatch_survives_a_new_reader_and_stops_with_its_minutes(data_dir):
    started = appstate.start_timer(data_dir, R, DAY, NOW)
    assert started == NOW
    assert appstate.read(data_dir).started(R, DAY) == NOW  # another tab, a reload
    again = appstate.start_timer(data_dir, R, DAY, NOW + timedelta(minutes=5))
    assert again == NOW  # a running stopwatch keeps its start
    assert appstate.stop_timer(data_dir, R, DAY, NOW + timedelta(minutes=31, seconds=40)) == 32
    assert appstate.read(data_dir).started(R, DAY) is None
    assert appstate.stop_timer(data_dir, R, DAY, NOW) is None


def test_stopwatches_of_other_days_and_routines_are_kept_apart(data_dir):
    appstate.start_timer(data_dir, R, DAY, NOW)
    appstate.start_timer(data_dir, "other", DAY, NOW + timedelta(minutes=1))
    state = appstate.read(data_dir)
    assert state.started(R, DAY - timedelta(days=1)) is None
    assert state.started("other", DAY) == NOW + timedelta(minutes=1)


def test_a_forgotten_stopwatch_is_dropped_after_two_days(data_dir):
    appstate.start_timer(data_dir, R, DAY, NOW)
    later = NOW + timedelta(days=3)
    appstate.start_timer(data_dir, R, DAY + timedelta(days=3), later)
    assert appstate.read(data_dir).started(R, DAY) is None


def test_the_guided_screen_shown_last_is_remembered_per_session(data_dir):
    appstate.start_timer(data_dir, R, DAY, NOW)
    first = appstate.show(data_dir, R, DAY, "circuit/plank@2", NOW)
    again = appstate.show(data_dir, R, DAY, "circuit/plank@2", NOW + timedelta(seconds=1))
    assert first.screen == again.screen and first.since != again.since  # a new visit
    appstate.show(data_dir, R, DAY - timedelta(days=1), "finish", NOW)
    state = appstate.read(data_dir)
    assert state.place(R, DAY) == again
    assert state.place(R, DAY - timedelta(days=1)).screen == "finish"
    assert state.place("other", DAY) is None
    assert state.started(R, DAY) == NOW  # the stopwatch is left as it was
    appstate.show(data_dir, R, DAY + timedelta(days=3), "a/b", NOW + timedelta(days=3))
    assert appstate.read(data_dir).place(R, DAY) is None  # forgotten after two days


def test_the_last_routine_is_remembered(data_dir):
    assert appstate.read(data_dir).last_routine == ""
    appstate.remember_routine(data_dir, R)
    assert appstate.read(data_dir).last_routine == R
    assert oct(os.stat(data_dir / appstate.FILE).st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"[1, 2]",
        b'{"last_routine": "../../etc", "timers": {"x/y": "z"}}',
        b"{" * 100_000,
        b'{"last_routine": "' + b"a" * 70_000 + b'"}',
        b'{"places": {"x/2026-11-24": {"screen": "../a/b", "since": "2026-11-24T18:00:00+01:00"}}}',
        b'{"places": {"x/2026-11-24": {"screen": "a/b", "since": "yesterday"}}}',
        b'{"places": {"x/2026-11-24": ["a/b"]}}',
        # the timestamp's pattern, but no real moment: once read, it stopped the guided view
        b'{"places": {"x/2026-11-24": {"screen": "a/b", "since": "2026-02-30T18:00:00+01:00"}}}',
        b'{"timers": {"x/2026-11-24": "2026-11-24T25:61:00+01:00"}}',
    ],
)
def test_a_file_that_is_not_ours_gives_the_defaults(data_dir, content):
    data_dir.mkdir()
    (data_dir / appstate.FILE).write_bytes(content)
    assert appstate.read(data_dir) == appstate.AppState()


def test_a_symlink_is_not_followed(data_dir, tmp_path):
    data_dir.mkdir()
    secret = tmp_path / "secret.json"
    secret.write_text('{"last_routine": "hip-therapy-routine-1"}')
    (data_dir / appstate.FILE).symlink_to(secret)
    assert appstate.read(data_dir).last_routine == ""


def test_an_unwritable_data_dir_is_reported(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StoreWriteError):
        appstate.start_timer(blocker / "data", R, DAY, NOW)
