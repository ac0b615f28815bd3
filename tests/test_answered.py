"""An action the browser sends again (its answer did not come) or Streamlit delivers in two
runs (the 2 s watch's and the component's own) is taken once, and the page says which it
has taken, so the browser sends the next."""

from datetime import date

import pytest

from hipdash.log import CheckoffLog

from . import component as cards
from .test_guided_page import RUNNER, logged, position, press, runner

R = "hip-therapy-routine-1"
DAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", DAY.isoformat())


@pytest.fixture
def guided_page(app_page):
    """The guided view as a link opens it."""
    return lambda: app_page("pages/guided.py", query={"routine": R})


def rows(data_dir) -> int:
    return len((data_dir / "checkoffs.csv").read_text().splitlines())


def twice(at, action: dict, key: str = "hd-today") -> dict:
    """The same numbered action arriving twice; the number it had."""
    numbered = {**action, "seq": next(cards._SEQ)}
    cards.send(at, numbered, key, renumber=False)
    cards.send(at, numbered, key, renumber=False)
    return numbered


def test_an_undo_arriving_twice_takes_back_one_change(app_page, data_dir):
    at = app_page()
    cards.click(at, "Dead bug")
    cards.click(at, "Wrist stretches")
    sent = twice(at, {"kind": "undo"})
    assert cards.ticked(at) == ["Dead bug"]  # not both
    assert cards.data(at)["answered"] == sent["seq"]
    assert cards.ticked(app_page()) == ["Dead bug"]  # the file says so


def test_a_tick_sent_again_writes_nothing_more_and_is_answered(app_page, data_dir):
    at = app_page()
    item = cards.key_of(at, "Dead bug")
    sent = twice(at, {"kind": "tick", "item": item, "seen": False, "want": True})
    assert rows(data_dir) == 2  # the header and one row
    assert cards.data(at)["answered"] == sent["seq"]
    cards.click(at, "Dead bug")  # the next action, numbered higher: taken
    assert CheckoffLog(data_dir / "checkoffs.csv").day_state(DAY, R)[item] is False


def test_an_older_number_arriving_late_is_not_taken(app_page, data_dir):
    at = app_page()
    item = cards.key_of(at, "Dead bug")
    late = {"kind": "tick", "item": item, "seen": False, "want": True, "seq": next(cards._SEQ)}
    cards.click(at, "Wrist stretches")  # numbered after it, taken first
    cards.send(at, late, renumber=False)
    assert cards.ticked(at) == ["Wrist stretches"]


def test_the_runners_undo_arriving_twice_takes_back_one_tick(guided_page, data_dir):
    at = guided_page()
    press(at, "done")
    press(at, "done")
    assert position(at) == "Release · 3 of 13"
    sent = twice(at, {"kind": "undo", "visit": runner(at)["visit"]}, RUNNER)
    taken = {"release/foam-roller": True, "release/back-stretch-over-foam-roller": False}
    assert logged(data_dir) == taken
    assert position(at) == "Release · 2 of 13"
    assert runner(at)["answered"] == sent["seq"]
