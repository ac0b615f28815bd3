"""HIPDASH_PASSCODE: the comparison, the throttle, and the gate in front of every page."""

from __future__ import annotations

import time
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from hipdash import passcode
from hipdash.log import Change, CheckoffLog
from hipdash.ui import PAGES, gate

from . import component as cards
from .conftest import PROJECT

SECRET = "correct horse 42"
R = "hip-therapy-routine-1"


def test_matches_only_the_exact_passcode():
    assert passcode.matches(SECRET, SECRET)
    for wrong in ("", "correct horse", SECRET + " ", SECRET.upper(), "x" * 1000):
        assert not passcode.matches(SECRET, wrong)


def test_the_throttle_lets_a_few_wrong_attempts_through_then_makes_everyone_wait():
    now = [1000.0]
    throttle = passcode.Throttle(free=3, window=60, clock=lambda: now[0])
    for _ in range(3):
        assert throttle.wait_seconds() == 0
        throttle.failed()
        now[0] += 1
    assert throttle.wait_seconds() == pytest.approx(57)  # the first failure was at 1000
    now[0] += 57
    assert throttle.wait_seconds() == 0  # it has left the window
    throttle.failed()
    assert throttle.wait_seconds() > 0


@pytest.fixture(autouse=True)
def with_passcode(monkeypatch, data_dir):
    monkeypatch.setenv("HIPDASH_PASSCODE", SECRET)
    monkeypatch.setenv("HIPDASH_TODAY", "2026-11-24")
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [Change(date(2026, 11, 24), R, "release/cat-cow", True)]
    )
    with open(data_dir / "checkoffs.csv", "a") as f:
        f.write("secret-garbage-line\n")  # would show in a warning once unlocked
    gate.THROTTLE.clear()
    yield
    gate.THROTTLE.clear()


def passcode_fields(at: AppTest) -> list:
    return [t for t in at.text_input if t.label == "Passcode"]


def shown_text(at: AppTest) -> str:
    """Everything the page sent, as text (element protos), to search for leaks."""
    return "\n".join(str(node.proto) for node in at.main if hasattr(node, "proto"))


def locked_page(path: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=30).run()
    if path:
        at.switch_page(path).run()
    return at


def enter(at: AppTest, text: str) -> AppTest:
    at.text_input(key="hd_passcode").input(text)
    at.button[0].click()
    return at.run()


@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_no_page_content_or_log_data_before_the_passcode(page):
    at = locked_page(page)
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Passcode"]
    assert at.text_input[0].proto.type == at.text_input[0].proto.PASSWORD
    assert not cards.shown(at) and len(at.warning) == 0
    sent = shown_text(at)
    for leak in ("Cat/cow", "Hip Therapy", "Release", "secret-garbage-line", "checkoffs"):
        assert leak not in sent


def test_the_right_passcode_unlocks_every_page_for_the_session():
    at = locked_page()
    enter(at, SECRET)
    assert not at.exception
    assert passcode_fields(at) == []
    assert len(cards.titles(at)) == 16
    assert cards.ticked(at) == ["Cat/cow stretch"]
    assert any("secret-garbage-line" in w.value for w in at.warning)
    for page in PAGES:  # remembered while moving between pages
        at.switch_page(page.path).run()
        assert passcode_fields(at) == [] and not at.exception
    assert len(passcode_fields(locked_page())) == 1  # a new session asks again


def test_a_wrong_passcode_is_refused_slowly():
    at = locked_page()
    start = time.monotonic()
    enter(at, "guess")
    assert time.monotonic() - start >= passcode.WRONG_DELAY_SECONDS
    assert any("Wrong passcode" in e.value for e in at.error)
    assert not cards.shown(at) and "Cat/cow" not in shown_text(at)


def test_after_too_many_wrong_ones_even_the_right_one_waits():
    for _ in range(passcode.FREE_ATTEMPTS):
        gate.THROTTLE.failed()  # as if a guesser had tried from other browsers
    at = enter(locked_page(), SECRET)
    assert any("Too many wrong passcodes" in e.value for e in at.error)
    assert not cards.shown(at)
    gate.THROTTLE.clear()
    enter(at, SECRET)
    assert len(cards.titles(at)) == 16


def test_without_a_passcode_there_is_no_gate(monkeypatch):
    monkeypatch.delenv("HIPDASH_PASSCODE")
    at = locked_page()
    assert passcode_fields(at) == [] and len(cards.titles(at)) == 16


def test_the_leak_check_sees_page_content_when_there_is_some(monkeypatch):
    monkeypatch.delenv("HIPDASH_PASSCODE")
    sent = shown_text(locked_page())
    assert "Cat/cow" in sent and "Release" in sent and "secret-garbage-line" in sent
