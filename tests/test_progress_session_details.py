"""Progress with session details and marked days (issue 6), through AppTest."""

from datetime import date, timedelta

import pytest

from hipdash.log import Change, CheckoffLog
from hipdash.sessions import SessionDetails, SessionLog

from .conftest import plain
from .test_progress_page import (
    MON,
    TODAY,
    R,
    bars,
    cells,
    open_tab,
    progress_page,
    specs,
    tiles,
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


@pytest.fixture
def logs(data_dir):
    return CheckoffLog(data_dir / "checkoffs.csv"), SessionLog(data_dir)


def session(log, day):
    log.record([Change(day, R, item, True) for item in HALF])


def test_marked_days_lower_the_target_and_show_on_the_calendar(logs):
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


def test_a_week_marked_off_keeps_the_streak(logs):
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


def test_pain_chart_and_notes_in_the_history(logs):
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


def test_no_pain_chart_without_pain_scores(logs):
    log, sessions = logs
    session(log, MON)
    sessions.save(SessionDetails(MON, R, minutes=30))
    at = open_tab(progress_page(), "Pain")
    assert not specs(at)
    assert any("No pain scores in this range" in plain(c.value) for c in at.caption)


def test_selecting_a_day_in_the_history_offers_to_open_it_on_today(logs):
    log, _ = logs
    session(log, LAST_MON)
    session(log, MON)
    at = open_tab(progress_page(), "History")
    assert any("Select a day" in plain(c.value) for c in at.caption)
    at.session_state["hd-history"] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    links = [(p.value, p.proto.page, p.proto.query_string) for p in at.get("page_link")]
    assert any(
        label.startswith("Open Mon 2026-11-16 on Today") and "date=2026-11-16" in query
        for label, _, query in links
    ), links


def test_the_today_page_opens_the_day_given_in_the_link(monkeypatch, data_dir):
    from streamlit.testing.v1 import AppTest

    from .conftest import PROJECT

    CheckoffLog(data_dir / "checkoffs.csv").record(
        [Change(date(2026, 11, 16), R, "release/cat-cow", True)]
    )
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=30)
    at.query_params["date"] = "2026-11-16"
    at.run()
    assert at.date_input(key="hd_day").value == date(2026, 11, 16)
    assert [c.label for c in at.checkbox if c.value] == ["Cat/cow stretch"]
    at.date_input(key="hd_day").set_value(TODAY).run()
    assert at.query_params.get("date") in (None, [])  # back to today: the link is clean


@pytest.mark.parametrize("bad", ["2026-13-01", "tomorrow", "2030-01-01"])
def test_a_bad_or_future_date_in_the_link_falls_back_to_today(bad):
    from streamlit.testing.v1 import AppTest

    from .conftest import PROJECT

    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=30)
    at.query_params["date"] = bad
    at.run()
    assert not at.exception
    assert at.date_input(key="hd_day").value == TODAY
