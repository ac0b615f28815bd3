"""Today's first screen, drawn from its HTML before Streamlit's front end is up
(hipdash.ui.first, first.js): usable at once, taken over by the page's own cards as it is,
where they are drawn, and gone when the run draws no cards."""

from __future__ import annotations

import csv
import re

import pytest
from playwright.sync_api import expect

from hipdash.library.save import set_archived

from .conftest import PROJECT, settled, wait_idle

PHONE = {"width": 390, "height": 844}
FIRST = "#hd-first"
OWN = "#root"


def _hold_health(page) -> list:
    """Hold Streamlit's first request (its health check, before the websocket) until
    `_let_go`: the page stays as its HTML drew it."""
    held = []
    page.route("**/_stcore/health", lambda route: held.append(route))
    return held


def _let_go(page, held: list) -> None:
    for route in held:
        route.continue_()
    page.unroute("**/_stcore/health")


def _rows(server) -> list[dict]:
    path = server.data_dir / "checkoffs.csv"
    return list(csv.DictReader(path.open())) if path.exists() else []


def test_a_tap_on_the_first_screen_is_saved_when_the_page_is_up(page, server):
    page.set_viewport_size(PHONE)
    held = _hold_health(page)
    page.goto(f"{server.url}/")
    expect(page.locator(f"{FIRST} [data-testid='hd-count']")).to_have_text("0 / 16 done")
    box = page.locator(f"{FIRST} [data-testid='hd-tick']").filter(has_text="Dead bug")
    box.click()
    expect(box.locator("input")).to_be_checked()
    expect(box).to_have_class("hd-tick hd-pending")  # shown as being saved
    page.wait_for_timeout(500)
    assert held and not _rows(server)  # nothing saved before the page is up
    page.evaluate(f"document.querySelector('{FIRST} .hd-today').__seen = 7")
    _let_go(page, held)
    expect(page.locator(f"{OWN} [data-testid='hd-count']")).to_have_text("1 / 16 done")
    wait_idle(page)
    expect(page.locator(FIRST)).to_have_count(0)
    own = page.locator(f"{OWN} [data-testid='hd-tick']").filter(has_text="Dead bug")
    expect(own).not_to_have_class("hd-tick hd-pending")
    assert page.evaluate(f"document.querySelector('{OWN} .hd-today').__seen") == 7  # taken over
    rows = _rows(server)
    assert [(r["item"].endswith("dead-bug"), r["done"]) for r in rows] == [(True, "1")]


def _places(page, under: str) -> dict:
    return page.evaluate(
        """(under) => Object.fromEntries(['nav.hd-nav', '.hd-title', '[data-testid="hd-count"]',
             '.hd-card', '.hd-section h3'].map((sel) => {
           const box = document.querySelector(`${under} ${sel}`).getBoundingClientRect();
           return [sel, [box.left, box.top, box.width, box.height].map(Math.round)];
         }))""",
        under,
    )


@pytest.mark.parametrize("routines", [1, 2])
def test_the_first_screen_is_where_the_page_draws_its_own(page, server, routines):
    if routines == 2:  # the run draws the routine box above the cards
        mine = server.data_dir / "routines" / "mine.yaml"
        mine.parent.mkdir(parents=True)
        text = (PROJECT / "routines" / "hip-therapy-routine-1.yaml").read_text()
        mine.write_text(re.sub(r"(?m)^id: .*$", "id: mine", text, count=1))
    for width in (390, 1280):
        held = page.context.new_page()
        held.set_viewport_size({"width": width, "height": 844})
        held.route_web_socket("**/_stcore/stream", lambda ws: None)  # never answered
        held.goto(f"{server.url}/")
        expect(held.locator(f"{FIRST} [data-testid='hd-count']")).to_be_visible()
        first = _places(held, FIRST)
        held.close()
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"{server.url}/")
        expect(page.locator(f"{OWN} [data-testid='hd-count']")).to_be_visible()
        wait_idle(page)
        settled(page)  # (under load a widget's label can come a moment after the widget)
        assert _places(page, OWN) == first, width
        expect(page.get_by_label("Routine")).to_have_count(routines - 1)


def test_a_run_that_draws_no_cards_takes_the_first_screen_away(page, server):
    page.set_viewport_size(PHONE)
    held = _hold_health(page)
    page.goto(f"{server.url}/")
    expect(page.locator(f"{FIRST} [data-testid='hd-count']")).to_be_visible()
    set_archived(server.data_dir, PROJECT / "routines", "hip-therapy-routine-1", True)
    _let_go(page, held)
    expect(page.get_by_text("All your routines are archived")).to_be_visible()
    wait_idle(page)
    expect(page.locator(FIRST)).to_have_count(0)
    expect(page.get_by_test_id("hd-count")).to_have_count(0)


def test_a_tap_on_a_first_screen_of_a_routine_changed_since_is_said_not_saved(page, server):
    page.set_viewport_size(PHONE)
    held = _hold_health(page)
    page.goto(f"{server.url}/")
    page.locator(f"{FIRST} [data-testid='hd-tick']").filter(has_text="Dead bug").click()
    yours = server.data_dir / "routines" / "hip-therapy-routine-1.yaml"
    yours.parent.mkdir(parents=True)
    text = (PROJECT / "routines" / "hip-therapy-routine-1.yaml").read_text()
    yours.write_text(text.replace("title: Wrist stretches", "title: Wrist circles"))
    _let_go(page, held)
    expect(page.locator(f"{OWN} .hd-message")).to_have_text(
        "A tap made while the page opened was not saved: tap it again."
    )
    expect(
        page.locator(f"{OWN} [data-testid='hd-tick']").filter(has_text="Wrist circles")
    ).to_be_visible()
    wait_idle(page)
    expect(page.locator(FIRST)).to_have_count(0)
    assert not _rows(server)


def test_the_first_screen_scrolled_stays_where_it_was_when_the_page_takes_over(page, server):
    page.set_viewport_size(PHONE)
    held = _hold_health(page)
    page.goto(f"{server.url}/")
    expect(page.locator(f"{FIRST} [data-testid='hd-count']")).to_be_visible()
    page.mouse.move(200, 400)
    page.mouse.wheel(0, 600)
    heading = "(at) => document.querySelector(`${at} .hd-section h3`).getBoundingClientRect().top"
    page.wait_for_function(f"() => ({heading})('{FIRST}') < 0")
    before = page.evaluate(heading, FIRST)
    _let_go(page, held)
    expect(page.locator(f"{OWN} [data-testid='hd-count']")).to_be_visible()
    wait_idle(page)
    expect(page.locator(FIRST)).to_have_count(0)
    assert page.evaluate(heading, OWN) == before


# A tap on the page's own cards 30 ms after they took the first screen over, while what was
# tapped before still goes out: Streamlit keeps only the newer of two actions sent at once.
_TAP_AT_TAKEOVER = """() => new MutationObserver((_, observer) => {
  const boxes = document.querySelectorAll('#root .hd-today [data-testid="hd-tick"] input');
  if (boxes.length) {
    observer.disconnect();
    setTimeout(() => boxes[6].click(), 30);
  }
}).observe(document, { subtree: true, childList: true })"""


def test_taps_queued_on_the_first_screen_and_one_at_the_takeover_are_all_saved(page, server):
    page.set_viewport_size(PHONE)
    held = _hold_health(page)
    page.goto(f"{server.url}/")
    boxes = page.locator(f"{FIRST} [data-testid='hd-tick']")
    for n in (0, 2, 4):
        boxes.nth(n).click()
    page.evaluate(_TAP_AT_TAKEOVER)
    _let_go(page, held)
    expect(page.locator(f"{OWN} [data-testid='hd-count']")).to_have_text("4 / 16 done")
    wait_idle(page)
    expect(page.locator(f"{OWN} .hd-pending")).to_have_count(0)
    assert sorted(r["done"] for r in _rows(server)) == ["1"] * 4


def test_taps_queued_on_the_first_screen_leave_the_kept_undo_history_whole(page, server):
    page.set_viewport_size(PHONE)
    page.goto(f"{server.url}/")
    wait_idle(page)
    own = page.locator(f"{OWN} [data-testid='hd-tick']")
    own.nth(0).click()
    expect(page.locator(f"{OWN} [data-testid='hd-count']")).to_have_text("1 / 16 done")
    wait_idle(page)
    held = _hold_health(page)
    page.reload()
    boxes = page.locator(f"{FIRST} [data-testid='hd-tick']")
    for n in (2, 4, 6):
        boxes.nth(n).click()
    _let_go(page, held)
    count = page.locator(f"{OWN} [data-testid='hd-count']")
    expect(count).to_have_text("4 / 16 done")
    wait_idle(page)
    for left in (3, 2, 1, 0):  # the tick from before the reload too
        page.get_by_test_id("hd-undo").click()
        expect(count).to_have_text(f"{left} / 16 done")
        wait_idle(page)
