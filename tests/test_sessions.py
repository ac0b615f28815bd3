"""Session details (pain, minutes, note) and marked days, on real files in a temp dir."""

from datetime import date

import pytest

from hipdash.sessions import DayMark, SessionDetails, SessionLog

DAY = date(2026, 11, 24)
R = "hip-therapy-routine-1"


@pytest.fixture
def sessions(data_dir):
    return SessionLog(data_dir)


def test_details_are_saved_and_the_latest_wins(sessions):
    assert sessions.details(DAY, R) is None
    sessions.save(SessionDetails(DAY, R, pain_before=6, note="stiff, after the flight"))
    sessions.save(SessionDetails(DAY, R, pain_before=6, pain_after=3, minutes=32, note="better"))
    assert sessions.details(DAY, R) == SessionDetails(DAY, R, 6, 3, 32, "better")
    assert (
        len(sessions.sessions.path.read_text().splitlines()) == 3
    )  # header + 2, nothing rewritten


def test_a_note_with_line_breaks_commas_and_quotes_round_trips(sessions):
    note = 'Left hip "clicky",\nright fine\\ok\r\nend'
    sessions.save(SessionDetails(DAY, R, note=note))
    assert len(sessions.sessions.path.read_text().splitlines()) == 2  # still one line
    assert sessions.details(DAY, R).note == note.replace("\r\n", "\n")


def test_details_are_per_day_and_routine(sessions):
    sessions.save(SessionDetails(DAY, R, pain_before=2))
    sessions.save(SessionDetails(DAY, "other", pain_before=9))
    sessions.save(SessionDetails(date(2026, 11, 20), R, pain_before=5, pain_after=4))
    assert sessions.details(DAY, R).pain_before == 2
    frame = sessions.details_frame(R)
    assert frame["session_date"].dt.date.tolist() == [date(2026, 11, 20), DAY]
    assert frame["pain_before"].tolist() == [5, 2]
    assert frame["pain_after"].isna().tolist() == [False, True]


@pytest.mark.parametrize(
    "bad",
    [
        SessionDetails(DAY, R, pain_before=11),
        SessionDetails(DAY, R, pain_after=-1),
        SessionDetails(DAY, R, minutes=5000),
        SessionDetails(DAY, "../etc"),
    ],
)
def test_out_of_range_values_are_refused_before_writing(sessions, bad):
    with pytest.raises(ValueError):
        sessions.save(bad)
    assert not sessions.sessions.path.exists()


def test_unreadable_session_lines_are_skipped_and_kept(sessions):
    sessions.save(SessionDetails(DAY, R, pain_before=3))
    with open(sessions.sessions.path, "a") as f:
        f.write("2026-11-24T10:00:00+00:00,2026-11-24,hip-therapy-routine-1,12,,,pain 12?\n")
    snap, _ = sessions.snapshots()
    assert len(snap.records) == 1
    assert "pain_before is not a whole number from 0 to 10" in snap.problems[0]
    assert "pain 12?" in sessions.sessions.path.read_text()


def test_days_are_marked_changed_and_cleared(sessions):
    sessions.mark_day(DAY, "sick", "flu")
    sessions.mark_day(date(2026, 11, 25), "travel")
    assert sessions.day_marks() == {
        DAY: DayMark(DAY, "sick", "flu"),
        date(2026, 11, 25): DayMark(date(2026, 11, 25), "travel", ""),
    }
    sessions.mark_day(DAY, "rest")
    sessions.mark_day(date(2026, 11, 25), "")
    assert sessions.day_marks() == {DAY: DayMark(DAY, "rest", "")}


def test_only_known_kinds_of_day(sessions):
    with pytest.raises(ValueError):
        sessions.mark_day(DAY, "holiday")


def test_saving_over_details_another_device_saved_since_is_refused(tmp_path):
    from hipdash.sessions import DetailsConflict

    sessions = SessionLog(tmp_path)
    loaded = sessions.details(DAY, R)  # this tab opened the empty form
    theirs = SessionDetails(DAY, R, pain_before=3, note="from the phone")
    sessions.save(theirs, seen=loaded)
    mine = SessionDetails(DAY, R, pain_before=5, minutes=30)
    with pytest.raises(DetailsConflict) as refused:
        sessions.save(mine, seen=loaded)
    assert refused.value.current == theirs
    assert sessions.details(DAY, R) == theirs  # nothing overwritten
    sessions.save(mine, seen=refused.value.current)  # "save mine anyway"
    assert sessions.details(DAY, R) == mine
    sessions.save(mine, seen=None)  # the same details again are not a conflict
