"""Progress with session details and marked days, through AppTest."""

import json
from datetime import date, timedelta

import pytest

from hipdash.log import Change, CheckoffLog
from hipdash.sessions import SessionDetails, SessionLog

from . import component as cards
from .conftest import (
    MON,
    TODAY,
    R,
    bars,
    cells,
    open_tab,
    plain,
    progress_figures,
    specs,
    tiles,
    whole,
)

HALF = [
    "release/foam-roller",
    "release/back-stretch-over-foam-roller",
    "release/wrist-stretches",
    "release/cat-cow",
    "release/kneeling-thoracic-stretch",
    "release/book-opening-stretch",
    "strengthen/pistol-squat-preparation",
    "stretch/couch-stretch",
]
LAST_MON = MON - timedelta(weeks=1)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", TODAY.isoformat())


@pytest.fixture
def logs(data_dir):
    return CheckoffLog(data_dir / "checkoffs.csv"), SessionLog(data_dir)


def session(log, day):
    log.record([Change(day, R, item, True) for item in HALF])


def test_a_first_week_with_every_training_day_marked_off_says_so(logs, progress_page):
    log, sessions = logs
    log.record([Change(MON, R, HALF[0], True)])  # a tick, not a session
    for offset in (0, 1, 2):
        sessions.mark_day(MON + timedelta(days=offset), "sick")
    at = progress_page()
    assert tiles(at)["This week"] == "0 / 0"
    assert any(
        m.value == "**0 sessions this week**, its training days all marked off" for m in at.markdown
    )


def test_marked_days_lower_the_target_and_show_on_the_calendar(logs, progress_page):
    log, sessions = logs
    session(log, MON)
    sessions.mark_day(MON + timedelta(days=1), "sick", "flu")
    sessions.mark_day(TODAY, "travel")
    at = progress_page()
    assert tiles(at)["This week"] == "1 / 1"
    (weekly,) = specs(at)
    this_week = bars(weekly)[-1]
    assert (this_week["target"], this_week["marked"]) == (1, 2)
    (heatmap,) = specs(open_tab(at, "Calendar"))
    by_date = {c["date"]: c for c in cells(heatmap)}
    assert by_date["Tue 24 Nov 2026"]["marked"] == "sick: flu"
    assert by_date["Tue 24 Nov 2026"]["off"] is True


def test_a_week_marked_off_keeps_the_streak(logs, progress_page):
    log, sessions = logs
    for weeks_ago in (3, 2):
        for offset in (0, 2, 4):
            session(log, MON - timedelta(weeks=weeks_ago, days=-offset))
    assert tiles(progress_page())["Streak"] == "0 weeks"
    for offset in range(7):
        sessions.mark_day(LAST_MON + timedelta(days=offset), "sick")
    at = progress_page()
    assert tiles(at)["Streak"] == "2 weeks"
    assert bars(specs(at)[0])[-2]["status"] == "Days off"


def test_pain_chart_and_notes_in_the_history(logs, progress_page):
    log, sessions = logs
    session(log, LAST_MON)
    sessions.save(SessionDetails(LAST_MON, R, 7, 4, 28, "hip <b>clicky</b> :red[x]"))
    sessions.save(SessionDetails(MON, R, pain_before=5))
    at = open_tab(progress_page(), "Pain")
    (pain_spec,) = specs(at)
    assert sorted((r["date"], r["when"], r["pain"]) for r in cells(pain_spec)) == [
        ("2026-11-16", "After", 4),
        ("2026-11-16", "Before", 7),
        ("2026-11-23", "Before", 5),
    ]
    history = open_tab(at, "History").dataframe[0].value
    row = history[history["Date"] == LAST_MON].iloc[0]
    assert (row["Pain"], row["Minutes"], row["Note"]) == ("7 → 4", 28, "hip <b>clicky</b> :red[x]")
    assert history[history["Date"] == MON].iloc[0]["Done"] == "–"


def test_no_pain_chart_without_pain_scores(logs, progress_page):
    log, sessions = logs
    session(log, MON)
    sessions.save(SessionDetails(MON, R, minutes=30))
    at = open_tab(progress_page(), "Pain")
    assert not specs(at)
    assert any("No pain scores in this range" in plain(c.value) for c in at.caption)


@pytest.mark.parametrize(
    "tapped",
    [
        {"rows": [1], "columns": [], "cells": []},
        {"rows": [], "columns": [], "cells": [[1, "Date"]]},
    ],
    ids=["its box", "its date"],
)
def test_selecting_a_day_in_the_history_opens_it_on_today(logs, app_page, tapped):
    log, _ = logs
    session(log, LAST_MON)
    session(log, MON)
    at = app_page()
    assert cards.day(at) == TODAY  # Today was open before
    at.switch_page("pages/progress.py").run()
    at = open_tab(at, "History")
    assert any("Select a day" in plain(c.value) for c in at.caption)
    at.session_state["hd-history"] = {"selection": tapped}
    at = cards.follow(at.run())
    assert not at.exception
    assert cards.day(at) == LAST_MON
    assert at.query_params.get("date") == "2026-11-16"
    assert at.query_params.get("routine") == R
    assert len(cards.ticked(at)) == len(HALF)


def test_the_today_page_opens_the_day_given_in_the_link(app_page, data_dir):
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [Change(date(2026, 11, 16), R, "release/cat-cow", True)]
    )
    at = app_page(query={"date": "2026-11-16"})
    assert cards.day(at) == date(2026, 11, 16)
    assert cards.ticked(at) == ["Cat/cow stretch"]
    cards.choose_day(at, TODAY)
    assert at.query_params.get("date") in (None, [])  # back to today: the link is clean


@pytest.mark.parametrize("bad", ["2026-13-01", "tomorrow", "2030-01-01"])
def test_a_bad_or_future_date_in_the_link_is_said_and_today_offered(app_page, bad):
    at = app_page(query={"date": bad})
    assert not at.exception and len(at.warning) == 1
    at.button(key="hd-open-today").click().run()
    assert cards.day(at) == TODAY


def test_empty_history_values_are_blank_and_the_columns_have_room(logs, progress_page):
    log, sessions = logs
    session(log, LAST_MON)
    session(log, MON)
    sessions.save(SessionDetails(LAST_MON, R, 6, 3, 25, "left hip tight"))
    at = open_tab(progress_page(), "History")
    (table,) = at.dataframe
    assert table.proto.placeholder == ""  # a day without minutes shows nothing, not "None"
    config = json.loads(table.proto.columns)
    assert config["Minutes"]["label"] == "Min" and config["Minutes"]["width"] >= 40
    assert not [c for c in config.values() if c.get("help")]  # no header needs a hover
    shown = ("Date", "Done", "Session", "Pain", "Minutes")
    assert list(table.proto.column_order) == list(shown)
    assert sum(config[c]["width"] for c in shown) <= 330  # a phone shows every column
    said = " ".join(c.value for c in at.caption)
    assert "✓ counted as a session" in said and "Min: minutes the session took" in said


def test_notes_are_listed_whole_under_the_history(logs, progress_page):
    log, sessions = logs
    session(log, MON)
    session(log, LAST_MON)
    long = "knee twinge on the pistol squats, eased with rest; left hip tight after " * 3
    sessions.save(SessionDetails(MON, R, note=long.strip()))
    sessions.save(SessionDetails(LAST_MON, R, note="*stiff* <b>"))
    at = open_tab(progress_page(), "History")
    (notes,) = [m.value for m in at.markdown if m.value.startswith("**Notes**")]
    lines = notes.splitlines()[2:]
    assert lines[0] == f"- **Mon 23 Nov** · {long.strip()}"  # newest first, whole
    assert plain(lines[1]) == "- **Mon 16 Nov** · *stiff* <b>"  # the person's text, as text
    assert lines[1] != "- **Mon 16 Nov** · *stiff* <b>"


def test_how_exercises_felt_shows_beside_their_bars(logs, data_dir, progress_page):
    from hipdash.feelings import FeelingLog

    log, _ = logs
    feelings = FeelingLog(data_dir)
    for weeks_ago, feeling in [(4, "painful"), (3, "hard"), (2, "painful"), (1, "painful")]:
        day = MON - timedelta(weeks=weeks_ago)
        session(log, day)
        feelings.record(day, R, "stretch/couch-stretch", feeling)
        feelings.record(day, R, "strengthen/hip-strength-four", "easy")
    feelings.record(MON - timedelta(weeks=30), R, "release/cat-cow", "painful")  # out of range
    at = open_tab(progress_page(), "Exercises")
    texts = {plain(p.proto.text).split(" — ")[0]: plain(p.proto.text) for p in at.progress}
    assert texts["Couch stretch"].endswith("· *painful in 3 of the last 4 sessions*")
    assert texts["Dead bug"].endswith("· *the whole exercise: easy in 4 of the last 4 sessions*")
    assert "·" not in texts["Cat/cow stretch"]


def test_the_weeks_tab_says_sessions_done_of_planned(logs, progress_page):
    log, sessions = logs
    for day in (LAST_MON, LAST_MON + timedelta(days=2), MON):
        session(log, day)
    sessions.mark_day(LAST_MON + timedelta(days=4), "sick")  # last week's target 3 -> 2
    at = progress_page()
    # W47: 2 of 2; W48 (open): 1 done plans 1 so far
    assert any(m.value.startswith("**3 of 3 planned sessions (100%)**") for m in at.markdown)


def test_with_only_days_marked_the_raw_log_is_not_offered(logs, progress_page):
    """No check-off yet: there is no log file to offer; the summary and the backup are."""
    log, sessions = logs
    sessions.mark_day(MON, "sick")
    labels = [d.label for d in whole(progress_page()).download_button]
    assert not log.path.exists()
    assert "Check-off log (CSV)" not in labels
    assert {"Per-day summary (CSV)", "All data (backup .zip)"} <= set(labels)
    session(log, MON + timedelta(days=1))
    assert "Check-off log (CSV)" in [d.label for d in whole(progress_page()).download_button]


def test_every_number_says_what_it_means_where_it_is_shown(logs, progress_page):
    """After a first session: '1 / 3', a streak of 0 weeks that says when it starts, and a
    weekly line whose 'planned' is explained beside it."""
    log, _ = logs
    session(log, MON)
    at = progress_page()
    means = {label: said for label, _, said in progress_figures(at)}
    assert tiles(at)["Streak"] == "0 weeks"
    assert means["Streak"] == "starts when a week reaches 3 sessions"
    assert means["This week"] == "sessions of the week's target"
    assert all(means.values())  # each figure has its line
    # a first week: as its figure says it, not "1 of 1 planned sessions (100%)" beside "1 / 3"
    assert any(m.value == "**1 of 3 sessions this week so far**" for m in at.markdown)
    assert not [c for c in at.caption if c.value.startswith("Planned:")]  # nothing to explain
    session(log, MON - timedelta(days=7))  # a week before: 'planned' now needs its line
    at = progress_page()
    assert any(m.value.startswith("**2 of 4 planned sessions (50%)**") for m in at.markdown)
    planned = [c.value for c in at.caption if c.value.startswith("Planned:")]
    assert planned == [
        "Planned: each week's target, less days off; this week only what is done so far "
        "(1 of 3) until it ends."
    ]
    for offset in (1, 2):  # the week reaches its target: the streak has begun
        session(log, MON + timedelta(days=offset))
    means = {label: said for label, _, said in progress_figures(progress_page())}
    assert means["Streak"] == "weeks in a row on target"
