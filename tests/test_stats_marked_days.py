"""Rest, sick and travel days in the weekly numbers (hand-made logs, known answers).

The rule: each marked day without a session lowers its week's target by one; a week
whose target reaches 0 is excused and neither breaks nor extends a streak.
"""

from datetime import date, timedelta

from hipdash import stats
from hipdash.sessions import SessionLog

from .conftest import MINI_ROUTINE, MON, TODAY, log_frame, progress, session

W47 = MON - timedelta(weeks=1)  # Mon 16 Nov
W46 = MON - timedelta(weeks=2)  # Mon 9 Nov
W45 = MON - timedelta(weeks=3)  # Mon 2 Nov


def marked_progress(log, marked, today=TODAY):
    return stats.progress(log_frame(log), MINI_ROUTINE, today, 0.5, marked)


def week(p, monday):
    row = p.weeks[p.weeks["week_start"].dt.date == monday].iloc[0]
    return {k: row[k] for k in ("sessions", "marked", "target", "excused", "met")}


def test_a_sick_day_lowers_that_weeks_target_by_one(log):
    session(log, W47)  # one session; the routine asks for two a week
    assert not week(progress(log), W47)["met"]
    p = marked_progress(log, [W47 + timedelta(days=2)])
    assert week(p, W47) == {"sessions": 1, "marked": 1, "target": 1, "excused": False, "met": True}


def test_a_marked_day_with_a_session_on_it_does_not_count_as_off(log):
    session(log, W47)
    p = marked_progress(log, [W47])  # marked sick, but trained anyway
    assert week(p, W47)["marked"] == 0
    assert week(p, W47)["target"] == 2


def test_a_week_marked_off_is_excused_and_keeps_the_streak(log):
    for monday in (W46, W45):
        session(log, monday)
        session(log, monday + timedelta(days=2))
    session(log, MON)
    session(log, MON + timedelta(days=1))
    # W47 has no session at all: without marks it breaks the streak.
    assert progress(log).summary.current_streak == 1
    p = marked_progress(log, [W47 + timedelta(days=d) for d in (0, 1)])  # two days off
    assert week(p, W47) == {"sessions": 0, "marked": 2, "target": 0, "excused": True, "met": False}
    assert p.summary.current_streak == 3  # W45, W46, (W47 excused), W48
    assert p.summary.best_streak == 3


def test_an_excused_current_week_neither_adds_nor_breaks(log):
    session(log, W47)
    session(log, W47 + timedelta(days=3))
    p = marked_progress(log, [MON, MON + timedelta(days=1)])
    assert week(p, MON)["excused"]
    assert p.summary.current_streak == 1
    assert p.summary.target == 0


def test_marks_after_today_or_outside_the_range_change_nothing(log):
    session(log, W47)
    p = marked_progress(log, [TODAY + timedelta(days=1), date(2020, 1, 1)])
    assert week(p, MON)["marked"] == 0
    assert p.weeks["marked"].sum() == 0


def test_marks_come_from_the_days_file(log, data_dir):
    session(log, W47)
    sessions = SessionLog(data_dir)
    sessions.mark_day(W47 + timedelta(days=4), "travel", "conference")
    sessions.mark_day(W47 + timedelta(days=5), "sick")
    sessions.mark_day(W47 + timedelta(days=5), "")  # cleared again
    p = marked_progress(log, sessions.day_marks())
    assert week(p, W47) == {"sessions": 1, "marked": 1, "target": 1, "excused": False, "met": True}


def test_history_shows_details_and_marks_beside_the_ticks(log):
    import pandas as pd

    session(log, W47)
    details = pd.DataFrame(
        {
            "session_date": pd.to_datetime([W47, W46]),
            "pain_before": pd.array([6, None], dtype="Int64"),
            "pain_after": pd.array([3, 2], dtype="Int64"),
            "minutes": pd.array([31, None], dtype="Int64"),
            "note": ["stiff", "only the note day"],
        }
    )
    marks = {W47 + timedelta(days=1): "sick: flu"}
    table = stats.history(progress(log).days, details, marks)
    assert table["Date"].tolist() == [W47 + timedelta(days=1), W47, W46]
    assert table["Done"].tolist() == ["–", "2 / 4", "–"]
    assert table["Session"].tolist() == [False, True, False]
    assert table["Pain"].tolist() == ["", "6 → 3", "– → 2"]
    assert table["Minutes"].tolist()[1] == 31 and pd.isna(table["Minutes"].tolist()[2])
    assert table["Note"].tolist() == ["", "stiff", "only the note day"]
    assert table["Marked"].tolist() == ["sick: flu", "", ""]
