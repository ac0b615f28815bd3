"""Consistency numbers from small hand-made logs with known answers (real CSV, temp dir)."""

import dataclasses
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from hipdash import explain, stats
from hipdash.routines import parse_routine

from .conftest import MINI, MINI_ROUTINE, MON, ONE, TODAY, TWO, X, Y, progress, session, tick


def weeks_by_label(p):
    return dict(zip(p.weeks["week"], p.weeks["sessions"], strict=True))


def test_the_week_is_that_of_session_date_sunday_2359_vs_monday_0000(log):
    sunday, monday = date(2026, 11, 22), date(2026, 11, 23)
    tick(log, sunday, [ONE, TWO], at=datetime(2026, 11, 22, 23, 59))
    tick(log, monday, [ONE, TWO], at=datetime(2026, 11, 23, 0, 0))
    # Filled in just after midnight, but for the Sunday: it belongs to Sunday's week.
    tick(log, sunday - timedelta(days=1), [X, Y], at=datetime(2026, 11, 23, 0, 0, 30))
    p = progress(log)
    assert weeks_by_label(p) == {"2026-W47": 2, "2026-W48": 1}
    assert p.weeks["week_start"].dt.date.tolist() == [date(2026, 11, 16), MON]
    assert p.summary.this_week == 1


def test_an_untick_after_a_tick_undoes_it(log):
    tick(log, MON, [ONE, TWO])
    tick(log, MON, [TWO], done=False)
    p = progress(log)
    day = p.days.iloc[0]
    assert (day["done"], day["total"], day["session"]) == (1, 4, False)
    assert p.summary.this_week == 0
    tick(log, MON, [TWO])  # ticked again
    assert progress(log).summary.this_week == 1


def test_exactly_half_is_a_session_and_less_is_not(log):
    tick(log, MON, [ONE, X])
    tick(log, MON + timedelta(days=1), [Y])
    days = progress(log).days
    assert days["done"].tolist() == [2, 1]
    assert days["session"].tolist() == [True, False]
    assert days["share"].tolist() == [0.5, 0.25]
    # With a stricter share, half is no longer enough.
    assert progress(log, share=0.75).days["session"].tolist() == [False, False]


def test_half_of_an_odd_number_of_items_rounds_up():
    assert stats.is_session(2, 3, 0.5)
    assert not stats.is_session(1, 3, 0.5)
    assert stats.is_session(8, 16, 0.5)
    assert not stats.is_session(0, 0, 0.5)
    assert stats.is_session(7, 100, 0.07)  # 0.07 * 100 is 7.000000000000001 in floats


def test_a_week_without_sessions_breaks_the_streak(log):
    for week in (4, 3, 1):  # W44, W45 met; W46 empty; W47 met
        start = MON - timedelta(weeks=week)
        session(log, start)
        session(log, start + timedelta(days=2))
    p = progress(log)
    assert p.weeks["met"].tolist() == [True, True, False, True, False]
    assert (p.summary.current_streak, p.summary.best_streak) == (1, 2)


def test_the_streak_ends_last_week_while_this_week_is_open(log):
    for week in (2, 1):
        session(log, MON - timedelta(weeks=week))
        session(log, MON - timedelta(weeks=week) + timedelta(days=4))
    session(log, MON)  # one of two this week: open, not a break
    p = progress(log)
    assert p.summary.this_week == 1
    assert p.weeks["current"].tolist() == [False, False, True]
    assert (p.summary.current_streak, p.summary.best_streak) == (2, 2)
    session(log, TODAY)  # this week meets the target: it counts
    p = progress(log)
    assert (p.summary.current_streak, p.summary.best_streak) == (3, 3)


def test_a_missed_last_week_ends_the_current_streak_but_not_the_best(log):
    for week in (3, 2):
        session(log, MON - timedelta(weeks=week))
        session(log, MON - timedelta(weeks=week) + timedelta(days=1))
    p = progress(log)
    assert (p.summary.current_streak, p.summary.best_streak) == (0, 2)


def test_items_no_longer_in_the_routine_count_on_the_days_they_were_done(log):
    """They were in the routine that day: removing or renaming an exercise must not undo a
    session (Monday's 3 of 6 was a session, and stays one; judged by the routine of now
    alone it would be 1 of 4)."""
    tick(log, MON, [ONE, "a/retired", "b/old/step"])
    tick(log, MON + timedelta(days=1), [ONE, TWO, "a/retired"])
    p = progress(log)
    assert p.days["done"].tolist() == [3, 3]
    assert p.days["total"].tolist() == [6, 5]
    assert p.days["other_done"].tolist() == [2, 1]
    assert p.days["session"].tolist() == [True, True]
    history = stats.history(p.days)
    assert history["Done"].tolist() == ["3 / 5", "3 / 6"]
    assert history["No longer in routine"].tolist() == [1, 2]
    table = stats.adherence(p.states, MINI_ROUTINE, p.days)
    gone = table[~table["current"]]
    assert gone[["item", "title", "done", "sessions"]].values.tolist() == [
        ["b/old/step", "b/old/step", 1, 2],  # the most skipped first, as the current ones
        ["a/retired", "a/retired", 2, 2],
    ]
    assert table["current"].tolist() == [True] * 4 + [False] * 2


def test_a_day_is_the_same_session_before_and_after_an_exercise_is_removed(log):
    """Half of four done, one of them the exercise later removed: still a session."""
    tick(log, MON, [ONE, TWO])
    before = progress(log).days[["done", "total", "session"]].values.tolist()
    fewer = parse_routine(MINI.replace("      - {id: two, title: Two}\n", ""))
    assert TWO not in fewer.item_keys and len(fewer.item_keys) == 3
    after = progress(log, routine=fewer).days[["done", "total", "session"]].values.tolist()
    assert before == after == [[2, 4, True]]
    assert stats.day_count(fewer, MON, {ONE: True, TWO: True}) == (2, 4)


def test_an_item_moved_with_its_ticks_counts_once(log):
    """A move carries the ticks to the item's new key and keeps the old rows: both are in
    the log for that day, and the item is one item."""
    tick(log, MON, [ONE, "old-section/one"])
    p = progress(log)
    assert p.days[["done", "total", "other_done"]].values.tolist() == [[1, 4, 0]]
    assert stats.day_count(MINI_ROUTINE, MON, {ONE: True, "old-section/one": True}) == (1, 4)


def test_two_routines_in_one_log_are_counted_apart(log):
    other = parse_routine(MINI.replace("id: mini", "id: other").replace("title: Mini", "title: O"))
    session(log, MON, routine="other")
    session(log, MON - timedelta(days=1), routine="other")
    tick(log, MON, [ONE])
    mine, theirs = progress(log), progress(log, routine=other)
    assert mine.days["done"].tolist() == [1]
    assert mine.summary.total == 0
    assert theirs.days["done"].tolist() == [2, 2]
    assert theirs.summary.total == 2
    assert weeks_by_label(theirs) == {"2026-W47": 1, "2026-W48": 1}


def test_the_tiles(log):
    session(log, TODAY)
    session(log, MON)
    session(log, TODAY - timedelta(days=27))  # first day of the last 4 weeks
    session(log, TODAY - timedelta(days=28))  # just before them
    session(log, date(2025, 1, 6))
    tick(log, TODAY - timedelta(days=3), [ONE])  # a partial day
    s = progress(log).summary
    assert (s.this_week, s.target) == (2, 2)
    assert s.last_4_weeks == 3
    assert s.total == 5
    assert s.days_logged == 6
    assert (s.current_streak, s.best_streak) == (1, 1)


def test_days_after_today_are_not_counted(log):
    session(log, TODAY + timedelta(days=1))
    p = progress(log)
    assert p.days.empty
    assert p.summary.total == 0


def test_an_empty_log_gives_one_open_week_and_zeros(log):
    p = progress(log)
    assert p.days.empty
    assert p.weeks[["week", "sessions", "current"]].values.tolist() == [["2026-W48", 0, True]]
    assert p.summary == stats.Summary(0, 2, 0, 0, 0, 0, 0)


def test_a_range_starts_at_the_first_logged_week_at_the_earliest(log):
    session(log, MON - timedelta(weeks=30))
    p = progress(log)
    assert len(p.weeks_in(12)) == 12
    assert len(p.weeks_in(52)) == 31
    assert len(p.weeks_in(None)) == 31
    assert p.weeks_in(12)["week_start"].iloc[0].date() == MON - timedelta(weeks=11)
    assert p.weeks_in(52)["week_start"].iloc[0].date() == MON - timedelta(weeks=30)
    assert len(p.days_in(12)) == 0
    assert len(p.days_in(None)) == 1


def test_heatmap_cells_cover_26_weeks_up_to_today_only(log):
    tick(log, MON, [ONE])
    session(log, TODAY)
    cells = stats.heatmap_cells(progress(log).days, TODAY)
    assert cells["date"].iloc[0].date() == MON - timedelta(weeks=25)
    assert cells["date"].iloc[-1].date() == TODAY
    assert len(cells) == 25 * 7 + 3
    logged = cells[cells["logged"]]
    assert logged[["weekday", "done", "total", "session"]].values.tolist() == [
        ["Mon", 1, 4, False],
        ["Wed", 2, 4, True],
    ]
    assert not cells.loc[~cells["logged"], "session"].any()


def test_adherence_counts_session_days_only_most_skipped_first(log):
    tick(log, MON, [ONE, TWO, X])
    tick(log, MON + timedelta(days=1), [ONE, Y])
    tick(log, TODAY, [X])  # not a session: not counted
    p = progress(log)
    table = stats.adherence(p.states, MINI_ROUTINE, p.days)
    assert table[["item", "done", "sessions"]].values.tolist() == [
        [TWO, 1, 2],
        [X, 1, 2],
        [Y, 1, 2],
        [ONE, 2, 2],
    ]
    assert table["title"].tolist() == ["Two", "Three x", "Three y", "One"]


def test_days_csv(log):
    tick(log, MON, [ONE, TWO, "gone/item"])
    tick(log, TODAY, [X])
    text = stats.days_csv(progress(log).days, "mini")
    assert text.splitlines() == [
        "date,iso_week,routine,done,total,share,session,done_not_in_routine",
        "2026-11-23,2026-W48,mini,3,5,0.6,1,1",
        "2026-11-25,2026-W48,mini,1,4,0.25,0,0",
    ]


def test_iso_week_labels_match_pandas_isocalendar_over_a_century():
    dates = pd.Series(pd.date_range("1950-12-20", "2051-01-10", freq="D"))
    iso = dates.dt.isocalendar()
    expected = [f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"], strict=True)]
    assert stats.iso_weeks(dates) == expected
    assert stats.iso_weeks(pd.Series(pd.to_datetime(["2026-12-31", "2027-01-01"]))) == [
        "2026-W53",
        "2026-W53",
    ]


def reference_streaks(weeks: pd.DataFrame) -> stats.Streaks:
    """The streak rule walked week by week, as a person would count it."""
    counted = [(met, cur) for met, cur, ex in weeks[["met", "current", "excused"]].values if not ex]
    run = 0
    for met, _ in reversed([w for w in counted if not w[1]]):
        if not met:
            break
        run += 1
    current = run + int(any(met for met, cur in counted if cur))
    best = longest = 0
    for met, _ in counted:
        longest = longest + 1 if met else 0
        best = max(best, longest)
    return stats.Streaks(current=current, best=best)


@pytest.mark.parametrize("seed", range(40))
def test_streaks_agree_with_counting_week_by_week(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    excused = rng.random(n) < 0.1
    weeks = pd.DataFrame(
        {
            "met": (rng.random(n) < 0.7) & ~excused,
            "current": np.arange(n) == n - 1,
            "excused": excused,
        }
    )
    assert stats.streaks(weeks) == reference_streaks(weeks)


def test_sessions_done_of_planned_counts_days_off_and_not_the_open_weeks_rest(log):
    for day in (MON - timedelta(weeks=2), MON - timedelta(weeks=2, days=-2)):  # W46: 2 of 2
        session(log, day)
    session(log, MON - timedelta(weeks=1))  # W47: 1, with one day off -> 1 of 1
    session(log, MON)  # W48, open: 1 so far, of 2
    p = stats.progress(
        log.day_states("mini"), MINI_ROUTINE, TODAY, 0.5, [MON - timedelta(weeks=1, days=-3)]
    )
    assert p.weeks["target"].tolist() == [2, 1, 2]
    done = stats.session_adherence(p.weeks)
    assert (done.done, done.planned, done.share) == (4, 4, 1.0)
    assert done.text == "4 of 4 planned sessions (100%)"
    before_today = stats.session_adherence(p.weeks_between(None, MON - timedelta(days=1)))
    assert (before_today.done, before_today.planned) == (3, 3)
    missed = stats.session_adherence(stats.week_table(p.days, 3, TODAY))  # a target of 3
    assert (missed.done, missed.planned) == (4, 3 + 3 + 1)
    assert stats.session_adherence(p.weeks.iloc[:0]).text == "0 of 0 planned sessions"


def test_weeks_and_days_between_two_dates_are_whole_weeks_of_the_all_time_tables(log):
    for weeks_ago in (5, 3, 1):
        session(log, MON - timedelta(weeks=weeks_ago, days=-1))
    p = progress(log)
    weeks = p.weeks_between(MON - timedelta(weeks=4, days=-3), MON - timedelta(weeks=2, days=-1))
    assert weeks["week"].tolist() == ["2026-W44", "2026-W45", "2026-W46"]
    days = p.days_between(MON - timedelta(weeks=4), MON - timedelta(days=1))
    assert days["date"].dt.date.tolist() == [
        MON - timedelta(weeks=3, days=-1),
        MON - timedelta(weeks=1, days=-1),
    ]
    assert p.weeks_between(None, TODAY).equals(p.weeks)


def test_pain_summary_averages_what_was_noted():
    details = pd.DataFrame(
        {
            "pain_before": pd.array([6, None, 4, None], dtype="Int64"),
            "pain_after": pd.array([3, 2, None, None], dtype="Int64"),
        }
    )
    summary = stats.pain_summary(details)
    assert (summary.sessions, summary.before, summary.after) == (3, 5.0, 2.5)
    assert summary.text == "Average pain 5.0 before, 2.5 after (3 sessions)"
    none = stats.pain_summary(details.iloc[3:])
    assert (none.sessions, none.before, none.text) == (0, None, "No pain scores")


def test_an_exercise_is_judged_on_the_sessions_since_it_joined(log):
    """One added today is not "0 of 35", the most skipped; one added on Tuesday is judged
    on the sessions from Tuesday."""
    tue, wed = MON + timedelta(days=1), MON + timedelta(days=2)
    routine = dataclasses.replace(MINI_ROUTINE, added=((TWO, tue), (Y, wed)))
    tick(log, MON, [ONE, X])
    tick(log, tue, [ONE, TWO])
    p = progress(log, routine=routine)
    assert p.days["session"].tolist() == [True, True]
    table = stats.adherence(p.states, routine, p.days).set_index("item")
    assert table.loc[[ONE, TWO, X, Y], ["done", "sessions"]].values.tolist() == [
        [2, 2],
        [1, 1],
        [1, 2],
        [0, 0],
    ]
    assert list(table.index) == [X, ONE, TWO, Y]  # no session yet: after the others
    assert explain.item_sessions(0, 0) == "new: no session since it was added"


TWO_SECTIONS = parse_routine(
    MINI.replace("id: mini", "id: two").replace(
        "      - id: three\n",
        "  - id: b\n    title: B\n    exercises:\n      - id: three\n",
    )
)


def test_an_item_moved_by_the_editor_keeps_the_day_it_was_done_a_session(log):
    """The move dates the item's new key from the day of the move (`stamp_added`) and
    carries its ticks: on an earlier day its new key does not count, so its old one does."""
    from hipdash.library import edits

    mon, wed = MON, MON + timedelta(days=2)
    assert TWO_SECTIONS.item_keys == ("a/one", "a/two", "b/three/x", "b/three/y")
    tick(log, mon, ["a/one", "a/two"], routine="two")
    before = progress(log, routine=TWO_SECTIONS).days[["done", "total", "session"]]
    moved, _ = edits.move_to_section(TWO_SECTIONS, "a", "one", "b", set())
    moved = edits.stamp_added(TWO_SECTIONS, moved, wed)
    assert "b/one" in moved.item_keys and dict(moved.added)["b/one"] == wed
    tick(log, mon, ["b/one"], routine="two")  # carried, as the editor does
    after = progress(log, routine=moved).days[["done", "total", "session"]]
    assert before.values.tolist() == after.values.tolist() == [[2, 4, True]]
    state = {"a/one": True, "a/two": True, "b/one": True}
    assert stats.day_count(moved, mon, state) == (2, 4)
    assert stats.day_count(moved, wed, state) == (2, 4)  # from the move on: its new key


def test_a_tick_before_an_item_joined_is_not_one_of_its_sessions(log):
    """A past day's box "added after this day" can be ticked; its sessions are counted from
    the day it joined, so its ticks must be too (2 of 1 broke Progress's bar)."""
    wed = MON + timedelta(days=2)
    routine = dataclasses.replace(MINI_ROUTINE, added=((TWO, wed),))
    tick(log, MON, [ONE, TWO, X])
    tick(log, wed, [ONE, TWO])
    p = progress(log, routine=routine)
    assert p.days["session"].tolist() == [True, True]
    table = stats.adherence(p.states, routine, p.days).set_index("item")
    assert table.loc[TWO, ["done", "sessions"]].tolist() == [1, 1]
    assert (table["share"].dropna() <= 1).all()
