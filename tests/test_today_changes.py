"""Fixing mistakes on Today: undo, tick a whole section, clear the day; hold timers; and
another tab or device changing the same day meanwhile (the page acts on the log as it is
on disk now, never on what it showed last)."""

from dataclasses import replace
from datetime import date

import pytest

from hipdash import library
from hipdash.library.edits import add_exercise
from hipdash.log import Change, CheckoffLog
from hipdash.models import Exercise
from hipdash.routines import load_routine

from . import component as cards
from .conftest import ROUTINE_1

R = "hip-therapy-routine-1"
DAY = date(2026, 11, 24)
WRIST = "release/wrist-stretches"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", DAY.isoformat())


def rows(data_dir) -> list[str]:
    return (data_dir / "checkoffs.csv").read_text().splitlines()[1:]


def test_undo_takes_back_the_last_tick_with_a_new_row(app_page, data_dir):
    at = app_page()
    assert not cards.data(at)["can_undo"]
    cards.click(at, "Dead bug")
    cards.click(at, "Wrist stretches")
    cards.undo(at)
    assert cards.ticked(at) == ["Dead bug"]
    assert cards.message(at) == "Undone: Wrist stretches unticked."  # said where Undo is
    cards.undo(at)
    assert cards.ticked(at) == []
    assert not cards.data(at)["can_undo"]
    assert [r.split(",")[-2:] for r in rows(data_dir)] == [
        ["strengthen/hip-strength-four/dead-bug", "1"],
        [WRIST, "1"],
        [WRIST, "0"],
        ["strengthen/hip-strength-four/dead-bug", "0"],
    ]
    assert cards.ticked(app_page()) == []  # the file says so, not just this session


def test_undo_of_an_untick_ticks_again(app_page, data_dir):
    CheckoffLog(data_dir / "checkoffs.csv").record([Change(DAY, R, "release/cat-cow", True)])
    at = app_page()
    cards.click(at, "Cat/cow stretch")
    assert cards.ticked(at) == []
    cards.undo(at)
    assert cards.ticked(at) == ["Cat/cow stretch"]
    assert cards.message(at) == "Undone: Cat/cow stretch ticked again."


def test_tick_all_in_a_section_is_one_write_and_one_undo(app_page, data_dir):
    at = app_page()
    cards.click(at, "Dead bug")
    cards.tick_all(at, "strengthen")
    assert set(cards.ticked(at)) == {
        "Dead bug",
        "Side plank clamshell",
        "Leg extension to side",
        "Unassisted hip airplane",
        "Pistol squat preparation with height",
    }
    assert len(rows(data_dir)) == 1 + 4  # the already ticked one is not written again
    assert len({r.split(",")[0] for r in rows(data_dir)[1:]}) == 1  # one write, one time
    assert cards.count(at) == "5 / 16 done"
    cards.undo(at)
    assert cards.ticked(at) == ["Dead bug"]
    assert cards.message(at) == "Undone: 4 items unticked."


def test_clear_the_day_unticks_everything_and_can_be_undone(app_page, data_dir):
    at = app_page()
    cards.tick_all(at, "release")
    assert len(cards.ticked(at)) == 6
    cards.clear(at)
    assert cards.ticked(at) == []
    assert [r.split(",")[-1] for r in rows(data_dir)].count("0") == 6
    cards.undo(at)
    assert len(cards.ticked(at)) == 6
    assert cards.message(at) == "Undone: 6 items ticked again."
    assert cards.data(at)["day_long"] == "Tue 24 Nov 2026"  # the confirmation names the day


def test_changes_to_a_past_day_stay_on_that_day(app_page, data_dir):
    at = app_page()
    cards.choose_day(at, date(2026, 11, 20))
    cards.tick_all(at, "stretch")
    assert {r.split(",")[1] for r in rows(data_dir)} == {"2026-11-20"}
    cards.choose_day(at, DAY)
    assert not cards.data(at)["can_undo"]  # undo is per day
    assert cards.ticked(at) == []


def test_the_laptops_tick_all_and_undo_leave_the_phones_tick(app_page, data_dir):
    """Phone and laptop have the day open; the phone ticks Wrist stretches; the laptop,
    not reloaded, ticks all of Release, then undoes: Wrist stretches stays ticked."""
    laptop, phone = app_page(), app_page()
    cards.click(phone, "Wrist stretches")
    cards.tick_all(laptop, "release")  # sends what it showed: nothing ticked
    assert len(cards.ticked(laptop)) == 6
    assert cards.message(laptop) == (
        "Wrist stretches was changed on another device; left as it is."
    )
    cards.undo(laptop)
    assert cards.ticked(laptop) == ["Wrist stretches"]
    assert cards.message(laptop) == (
        "Undone: 5 items unticked. Wrist stretches was changed on another device; left as it is."
    )
    assert CheckoffLog(data_dir / "checkoffs.csv").day_state(DAY, R)[WRIST] is True


def test_a_change_over_another_devices_change_says_so(app_page, data_dir):
    laptop, phone = app_page(), app_page()
    cards.click(laptop, "Wrist stretches")
    cards.click(app_page(), "Wrist stretches")  # the phone, reloaded, unticks it
    cards.undo(laptop)
    assert cards.message(laptop) == "Wrist stretches was changed on another device; left as it is."
    cards.click(phone, "Cat/cow stretch")  # a tick the phone's stale view does not affect
    assert cards.message(phone) == ""
    cards.tick_all(phone, "release")  # the phone still shows Wrist unticked: fine, and Cat/cow
    assert cards.message(phone) == ""
    assert CheckoffLog(data_dir / "checkoffs.csv").day_state(DAY, R)[WRIST] is True


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
      - {id: bike, title: Bike, dose: "5 minutes"}
"""


def test_timed_exercises_get_a_hold_countdown(app_page, tmp_path, monkeypatch):
    (tmp_path / "holds.yaml").write_text(HOLDS)
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path))
    at = app_page()
    assert not at.exception
    exercises = cards.data(at)["sections"][0]["exercises"]
    assert {ex["title"]: ex["timer"] for ex in exercises} == {
        "Couch stretch": 45,
        "Pigeon": 20,
        "Squats": None,
        "Bike": 300,
    }
    assert {ex["title"]: ex["details"] for ex in exercises} == {
        "Couch stretch": "hold 45 s",
        "Pigeon": "3 × 20 s each side",
        "Squats": "3 × 8",
        "Bike": "5 minutes",
    }


def test_a_day_before_an_exercise_was_added_keeps_its_count(app_page, data_dir, bundled):
    """8 of 16 ticked on Monday; on Tuesday (today) an exercise is added: Monday still
    reads 8 / 16 and counts, the new box is marked as added after it; today needs 9 of 17."""
    monday = date(2026, 11, 23)
    keys = load_routine(ROUTINE_1).counted_keys[:8]
    CheckoffLog(data_dir / "checkoffs.csv").record([Change(monday, R, k, True) for k in keys])

    def add(routine, used):
        return add_exercise(routine, "stretch", Exercise("", "Glute bridge"), used)[0]

    library.update(data_dir, bundled, R, add, today=DAY)
    at = app_page()
    assert cards.count(at) == "0 / 17 done"
    assert cards.data(at)["later"] == []
    cards.choose_day(at, monday)
    assert cards.count(at) == "8 / 16 done"
    assert cards.data(at)["counts"]["counted"] is True
    assert cards.data(at)["later"] == ["stretch/glute-bridge"]


def test_the_example_routine_says_so_until_you_have_your_own(app_page, data_dir, bundled):
    assert cards.data(app_page())["example"] is True  # only the bundled routine
    library.update(data_dir, bundled, R, lambda routine, used: routine, today=DAY)
    assert cards.data(app_page())["example"] is True  # saved unchanged: still the example
    rename = {"title": "My hip routine"}
    library.update(data_dir, bundled, R, lambda routine, used: replace(routine, **rename))
    assert cards.data(app_page())["example"] is False  # yours now
