"""Fixing mistakes on Today: undo, tick a whole section, clear the day; hold timers."""

import json
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from hipdash.log import Change, CheckoffLog

from .conftest import PROJECT, plain

R = "hip-therapy-routine-1"
DAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", DAY.isoformat())


def today_page() -> AppTest:
    return AppTest.from_file(str(PROJECT / "app.py"), default_timeout=30).run()


def checkbox(at, label):
    (found,) = [c for c in at.checkbox if c.label == label]
    return found


def ticked(at) -> list[str]:
    return [c.label for c in at.checkbox if c.value]


def rows(data_dir) -> list[str]:
    return (data_dir / "checkoffs.csv").read_text().splitlines()[1:]


def test_undo_takes_back_the_last_tick_with_a_new_row(data_dir):
    at = today_page()
    assert at.button(key="hd-undo").disabled
    checkbox(at, "Dead bug").check().run()
    checkbox(at, "Wrist stretches").check().run()
    at.button(key="hd-undo").click().run()
    assert ticked(at) == ["Dead bug"]
    at.button(key="hd-undo").click().run()
    assert ticked(at) == []
    assert at.button(key="hd-undo").disabled
    assert [r.split(",")[-2:] for r in rows(data_dir)] == [
        ["strengthen/hip-strength-four/dead-bug", "1"],
        ["release/wrist-stretches", "1"],
        ["release/wrist-stretches", "0"],
        ["strengthen/hip-strength-four/dead-bug", "0"],
    ]
    assert ticked(today_page()) == []  # the file says so, not just this session


def test_undo_of_an_untick_ticks_again(data_dir):
    CheckoffLog(data_dir / "checkoffs.csv").record([Change(DAY, R, "release/cat-cow", True)])
    at = today_page()
    checkbox(at, "Cat/cow stretch").uncheck().run()
    at.button(key="hd-undo").click().run()
    assert ticked(at) == ["Cat/cow stretch"]


def test_tick_all_in_a_section_is_one_write_and_one_undo(data_dir):
    at = today_page()
    checkbox(at, "Dead bug").check().run()
    at.button(key="hd-tick-all:strengthen").click().run()
    assert set(ticked(at)) == {
        "Dead bug",
        "Side plank clamshell",
        "Leg extension to side",
        "Unassisted hip airplane",
        "Pistol squat preparation with height",
    }
    assert at.button(key="hd-tick-all:strengthen").disabled
    assert not at.button(key="hd-tick-all:release").disabled
    assert len(rows(data_dir)) == 1 + 4  # the already ticked one is not written again
    assert len({r.split(",")[0] for r in rows(data_dir)[1:]}) == 1  # one write, one time
    assert any(p.proto.text == "**5 / 16** done" for p in at.get("progress"))
    at.button(key="hd-undo").click().run()
    assert ticked(at) == ["Dead bug"]


def test_clear_the_day_asks_first_then_unticks_everything(data_dir):
    at = today_page()
    at.button(key="hd-tick-all:release").click().run()
    assert len(ticked(at)) == 6
    popover_text = " ".join(plain(m.value) for m in at.markdown)
    assert "Untick all **6** ticked items of **Tue 24 Nov 2026**?" in popover_text
    assert len(ticked(at)) == 6  # nothing happened before the confirmation
    at.button(key="hd-clear-confirm").click().run()
    assert ticked(at) == []
    assert [r.split(",")[-1] for r in rows(data_dir)].count("0") == 6
    at.button(key="hd-undo").click().run()
    assert len(ticked(at)) == 6


def test_changes_to_a_past_day_stay_on_that_day(data_dir):
    at = today_page()
    at.date_input(key="hd_day").set_value(date(2026, 11, 20)).run()
    at.button(key="hd-tick-all:stretch").click().run()
    assert {r.split(",")[1] for r in rows(data_dir)} == {"2026-11-20"}
    at.date_input(key="hd_day").set_value(DAY).run()
    assert at.button(key="hd-undo").disabled  # undo is per day
    assert ticked(at) == []


HOLDS = """
id: holds
title: Holds
sections:
  - id: stretch
    title: Stretch
    exercises:
      - {id: couch, title: Couch stretch, hold_seconds: 45}
      - {id: pigeon, title: Pigeon, dose: "3 × 20 s each side"}
      - {id: squats, title: Squats, dose: "3 × 8"}
"""


def test_timed_exercises_get_a_hold_countdown(tmp_path, monkeypatch):
    (tmp_path / "holds.yaml").write_text(HOLDS)
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path))
    at = today_page()
    assert not at.exception
    timers = [
        node.proto
        for node in at.get("bidi_component")
        if node.proto.component_name == "hipdash_hold_timer"
    ]
    seconds = sorted(json.loads(t.json)["seconds"] for t in timers)
    assert seconds == [20, 45]
