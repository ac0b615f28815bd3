"""HIPDASH_PASSCODE: the comparison, the throttle, and the gate in front of every page."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from hipdash import passcode
from hipdash.log import Change, CheckoffLog
from hipdash.ui import PAGES, gate

from . import component as cards
from .conftest import R

SECRET = "correct horse 42"
PAGE_THROTTLE = gate.THROTTLE  # the server's own, before a test puts in one on a fake clock


class FakeClock:
    """Time that passes only when slept: a throttle's clock and sleep, so no test waits."""

    def __init__(self, now: float = 1000.0):
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_matches_only_the_exact_passcode():
    assert passcode.matches(SECRET, SECRET)
    for wrong in ("", "correct horse", SECRET + " ", SECRET.upper(), "x" * 1000):
        assert not passcode.matches(SECRET, wrong)


def test_the_throttle_lets_a_few_wrong_attempts_through_then_makes_everyone_wait():
    clock = FakeClock(1000.0)
    throttle = passcode.Throttle(free=3, window=60, delay=1, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        assert throttle.wait_seconds() == 0
        throttle.failed()  # at 1000, 1001 and 1002: each costs its guesser a second
    assert clock.slept == [1, 1, 1]
    assert throttle.wait_seconds() == pytest.approx(57)  # now 1003; the first was at 1000
    clock.now += 57
    assert throttle.wait_seconds() == 0  # it has left the window
    throttle.clear()
    assert throttle.wait_seconds() == 0 and clock.slept == [1, 1, 1]


def test_the_pages_throttle_goes_by_real_time():
    assert PAGE_THROTTLE.clock is time.monotonic and PAGE_THROTTLE.sleep is time.sleep
    assert PAGE_THROTTLE.delay == passcode.WRONG_DELAY_SECONDS >= 1
    assert (PAGE_THROTTLE.free, PAGE_THROTTLE.window) == (passcode.FREE_ATTEMPTS, 60)


@pytest.fixture(autouse=True)
def clock(monkeypatch, data_dir) -> FakeClock:
    """A passcode, a log with a tick and a garbage line, and the gate's throttle on a fake
    clock (a wrong passcode takes its second there, not here)."""
    monkeypatch.setenv("HIPDASH_PASSCODE", SECRET)
    monkeypatch.setenv("HIPDASH_TODAY", "2026-11-24")
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [Change(date(2026, 11, 24), R, "release/cat-cow", True)]
    )
    with open(data_dir / "checkoffs.csv", "a") as f:
        f.write("secret-garbage-line\n")  # would show in a warning once unlocked
    fake = FakeClock()
    monkeypatch.setattr(gate, "THROTTLE", passcode.Throttle(clock=fake, sleep=fake.sleep))
    return fake


@pytest.fixture
def locked_page(app_page):
    """`locked_page(path=None)`: a new browser session on a page, before the passcode."""
    return lambda path=None: app_page(path)


def passcode_fields(at: AppTest) -> list:
    return [t for t in at.text_input if t.label == "Passcode"]


def shown_text(at: AppTest) -> str:
    """Everything the page sent, as text (element protos), to search for leaks."""
    return "\n".join(str(node.proto) for node in at.main if hasattr(node, "proto"))


LEAKS = ("Cat/cow", "Hip Therapy", "Release", "secret-garbage-line", "checkoffs")


def leaked(at: AppTest) -> list[str]:
    """What of the routine and the log the page sent."""
    sent = shown_text(at)
    return [leak for leak in LEAKS if leak in sent]


def enter(at: AppTest, text: str) -> AppTest:
    at.text_input(key="hd_passcode").input(text)
    at.button[0].click()
    return at.run()


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_no_page_content_or_log_data_before_the_passcode(locked_page, path):
    at = locked_page(path)
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Passcode"]
    assert at.text_input[0].proto.type == at.text_input[0].proto.PASSWORD
    assert not cards.shown(at) and len(at.warning) == 0
    assert not leaked(at)


def test_the_right_passcode_unlocks_every_page_for_the_session(locked_page):
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


def test_a_wrong_passcode_is_refused_slowly(locked_page, clock):
    at = locked_page()
    enter(at, "guess")
    assert clock.slept == [passcode.WRONG_DELAY_SECONDS]  # the page waited its second
    assert any("Wrong passcode" in e.value for e in at.error)
    assert not cards.shown(at) and "Cat/cow" not in shown_text(at)
    enter(at, SECRET)
    assert clock.slept == [passcode.WRONG_DELAY_SECONDS]  # the right one is not slowed
    assert len(cards.titles(at)) == 16


def test_after_too_many_wrong_ones_even_the_right_one_waits(locked_page):
    for _ in range(passcode.FREE_ATTEMPTS):
        gate.THROTTLE.failed()  # as if a guesser had tried from other browsers
    at = enter(locked_page(), SECRET)  # 5 failures a second apart, the first 5 s ago
    assert [e.value for e in at.error] == ["Too many wrong passcodes. Try again in 55 seconds."]
    assert not cards.shown(at)
    gate.THROTTLE.clear()
    enter(at, SECRET)
    assert len(cards.titles(at)) == 16


def test_without_a_passcode_there_is_no_gate(locked_page, monkeypatch):
    monkeypatch.delenv("HIPDASH_PASSCODE")
    at = locked_page()
    assert passcode_fields(at) == [] and len(cards.titles(at)) == 16


def test_the_leak_check_sees_page_content_when_there_is_some(locked_page, monkeypatch):
    monkeypatch.delenv("HIPDASH_PASSCODE")
    sent = shown_text(locked_page())
    assert "Cat/cow" in sent and "Release" in sent and "secret-garbage-line" in sent


WEAK = [" ", "1", "seven 7", "   seven 7   "]  # blank, short, 7 characters between spaces


def set_passcode(monkeypatch, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv("HIPDASH_PASSCODE")
    else:
        monkeypatch.setenv("HIPDASH_PASSCODE", value)


def refused(at: AppTest) -> str:
    """The page's one refusal, after checking it sent nothing else: no form, no data."""
    assert not at.exception and passcode_fields(at) == []
    assert not cards.shown(at) and not leaked(at)
    (said,) = [e.value for e in at.error]
    return said


@pytest.mark.parametrize("path", [p.path for p in PAGES])
@pytest.mark.parametrize("given", [None, *WEAK])
def test_no_page_is_served_to_the_network_without_a_passcode_of_8_characters(
    locked_page, listening_on, monkeypatch, path, given
):
    set_passcode(monkeypatch, given)
    listening_on("0.0.0.0")
    said = refused(locked_page(path))
    assert "HIPDASH_PASSCODE" in said and "at least 8 characters" in said


@pytest.mark.parametrize("address", ["::", "192.168.1.20", "my-laptop.local", None])
def test_every_address_beyond_this_computer_needs_the_passcode(
    locked_page, listening_on, monkeypatch, address
):
    set_passcode(monkeypatch, None)
    listening_on(address)
    assert "without a passcode" in refused(locked_page())


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"])
def test_on_this_computer_only_no_passcode_is_needed(
    locked_page, listening_on, monkeypatch, address
):
    set_passcode(monkeypatch, None)
    listening_on(address)
    at = locked_page()
    assert not at.exception and len(cards.titles(at)) == 16 and not at.error


@pytest.mark.parametrize("given", WEAK)
def test_a_passcode_too_short_to_guard_anything_is_refused_here_too(
    locked_page, listening_on, monkeypatch, given
):
    set_passcode(monkeypatch, given)
    listening_on("127.0.0.1")
    assert "at least 8 characters" in refused(locked_page())


def test_a_passcode_of_8_characters_guards_the_network(locked_page, listening_on, monkeypatch):
    set_passcode(monkeypatch, "  eight 88  ")
    listening_on("0.0.0.0")
    at = locked_page()
    assert not at.error and passcode_fields(at) and not leaked(at)
    assert len(cards.titles(enter(at, "  eight 88  "))) == 16


NOW = 1_800_000_000.0


def test_a_device_token_holds_for_its_passcode_and_secret_for_30_days_only():
    secret = b"s" * 32
    token = passcode.device_token(secret, SECRET, NOW)
    assert passcode.remembered(secret, SECRET, token, NOW)
    assert passcode.remembered(secret, SECRET, token, NOW + passcode.REMEMBER_SECONDS - 1)
    assert not passcode.remembered(secret, SECRET, token, NOW + passcode.REMEMBER_SECONDS)
    assert not passcode.remembered(secret, "another passcode", token, NOW)  # changed: revoked
    assert not passcode.remembered(b"t" * 32, SECRET, token, NOW)  # another secret
    assert SECRET not in token and secret.decode() not in token
    version, expires, signature = token.split(".")
    later = f"{version}.{int(expires) + 86400}.{signature}"  # a longer life, same signature
    far = passcode.device_token(secret, SECRET, NOW + 10 * passcode.REMEMBER_SECONDS)
    for wrong in (
        None,
        "",
        "v1",
        later,
        far,
        token.upper(),
        token + "0",
        "v2" + token[2:],
        f"v1.{expires}.{'é' * 64}",
        f"v1.١٢٣.{signature}",
    ):  # noqa: RUF001
        assert not passcode.remembered(secret, SECRET, wrong, NOW), wrong


def test_the_secret_is_made_once_privately_and_never_read_through_a_link(tmp_path):
    tmp_path = tmp_path / "secret"
    tmp_path.mkdir()
    secret = passcode.load_secret(tmp_path)
    path = tmp_path / passcode.SECRET_FILE
    assert secret and len(secret) == 32 and path.read_bytes() == secret
    assert path.stat().st_mode & 0o777 == 0o600
    assert passcode.load_secret(tmp_path) == secret  # the same one next time
    assert [p.name for p in tmp_path.iterdir()] == [passcode.SECRET_FILE]  # no temp left
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / passcode.SECRET_FILE).symlink_to(path)
    assert passcode.load_secret(elsewhere) is None  # never read through a link
    (tmp_path / "a-file").write_text("")
    assert passcode.load_secret(tmp_path / "a-file" / "data") is None  # cannot be made
    unmade = tmp_path / "checked" / "data"  # a cookie checked before any secret exists
    assert passcode.load_secret(unmade, make=False) is None and not unmade.parent.exists()
    fresh = tmp_path / "new" / "data"  # no data dir yet: the cookie is its first file
    assert passcode.load_secret(fresh) == (fresh / passcode.SECRET_FILE).read_bytes()
    assert fresh.stat().st_mode & 0o777 == 0o700


def test_a_ticket_is_good_once_and_for_a_minute():
    clock = FakeClock()
    tickets = passcode.Tickets(clock=clock)
    first, second, late = tickets.issue(), tickets.issue(), tickets.issue()
    assert first != second and len(first) >= 40
    assert tickets.redeem(first) and not tickets.redeem(first)
    assert not tickets.redeem("made-up") and not tickets.redeem("")
    clock.now += passcode.TICKET_SECONDS - 1
    assert tickets.redeem(second)
    clock.now += 1
    assert not tickets.redeem(late)


def test_the_right_passcode_gives_the_page_a_ticket_to_trade_for_the_cookie(locked_page):
    at = enter(locked_page(), SECRET)
    assert len(cards.titles(at)) == 16
    ticket = [c for c in at.get("bidi_component") if "hipdash_remember" in str(c.proto)]
    assert ticket, "no ticket handed to the browser"
    assert gate.TICKETS.redeem(json.loads(ticket[0].proto.json)["ticket"])
    at.run()  # once: the next run hands out nothing
    assert not [c for c in at.get("bidi_component") if "hipdash_remember" in str(c.proto)]
