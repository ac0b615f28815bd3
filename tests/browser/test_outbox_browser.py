"""A tap whose request never reaches the server is sent again, and one that reaches it
twice is taken once. Streamlit does both when the page's 2 s watch asks for its run as a
tap is sent: the watch's run takes the tap, and the tap's own run, which would answer it,
never comes (Start guided session left waiting), or both runs take it (a second Undo).
Here the app's websocket loses or repeats the request on purpose."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import click_tick, header_count, tick_box, wait_idle
from .test_guided_browser import MARKS, logged, phone_page, serve


class Wire:
    """The app's websocket, losing the first request that carries `lose`, keeping the last
    one that carries `keep` to be sent again later (`repeat`), and holding those that carry
    `hold` until `release`."""

    def __init__(self, page, lose: bytes = b"", keep: bytes = b"", hold: bytes = b""):
        self.lose, self.keep, self.hold = lose, keep, hold
        self.lost = 0
        self.carried = 0  # requests that carried `lose`
        self.kept = None
        self.held: list = []
        self.server = None
        page.route_web_socket(re.compile(r"/_stcore/stream"), self._route)

    def _route(self, ws) -> None:
        self.server = ws.connect_to_server()
        ws.on_message(self._asked)
        self.server.on_message(ws.send)

    def _asked(self, message) -> None:
        raw = message if isinstance(message, bytes) else message.encode()
        if self.lose and self.lose in raw:
            self.carried += 1
            if not self.lost:
                self.lost += 1
                return
        if self.keep and self.keep in raw:
            self.kept = message
        if self.hold and self.hold in raw:
            self.held.append(message)
            return
        self.server.send(message)

    def repeat(self) -> None:
        self.server.send(self.kept)

    def release(self) -> None:
        self.hold = b""
        for message in self.held:
            self.server.send(message)


def today(context, servers, query: str = "", **wire):
    server = serve(servers, MARKS)
    page = phone_page(context)
    tap = Wire(page, **wire)
    page.goto(f"{server.url}/today{query}")
    wait_idle(page)
    return server, page, tap


def test_a_start_whose_request_is_lost_is_sent_again(context, servers):
    server, page, wire = today(context, servers, lose=b'"kind":"guided"')
    page.get_by_role("button", name="▶️ Start guided session").click()
    expect(page.get_by_text(re.compile(r"^Main · \d of 4"))).to_be_visible(timeout=15_000)
    assert wire.lost == 1 and wire.carried >= 2  # the page asked again


def test_an_undo_that_reaches_the_server_twice_takes_back_one_tick(context, servers):
    server, page, wire = today(context, servers, keep=b'"kind":"undo"')
    click_tick(page, "Walk around")
    click_tick(page, "Bridge")
    page.get_by_test_id("hd-undo").click()
    expect(header_count(page)).to_have_text("1 / 4 done")
    wait_idle(page)
    wire.repeat()  # the same Undo, delivered again after it was answered
    page.wait_for_timeout(1_000)
    wait_idle(page)
    expect(header_count(page)).to_have_text("1 / 4 done")
    assert logged(server) == [["main/walk", "1"], ["main/bridge", "1"], ["main/bridge", "0"]]


def test_a_tap_waiting_behind_a_date_change_is_not_saved_on_the_other_day(context, servers):
    """A box tapped while the date box's change is on its way waits its turn; the answer
    shows the other day, so the tap, made on the last day's card, is not saved there (the
    page says so, "A tap made as the page changed was not saved: tap it again.")."""
    # From one past day to another: the cards stay (another day's banner above both).
    server, page, wire = today(context, servers, "?date=2026-11-22", hold=b'"kind":"day"')
    page.get_by_label("Session date").fill("2026-11-20")
    page.get_by_label("Session date").blur()
    for _ in range(50):  # the change on its way, held
        if wire.held:
            break
        page.wait_for_timeout(100)
    box = tick_box(page, "Walk around")
    box.click()
    expect(box).to_have_class(re.compile("hd-pending"))
    wire.release()
    expect(box).not_to_have_class(re.compile("hd-pending"))
    wait_idle(page)
    page.wait_for_timeout(500)
    expect(box.locator("input")).not_to_be_checked()
    expect(page.locator(".hd-message")).to_have_text(
        "A tap made as the page changed was not saved: tap it again."
    )
    assert logged(server) == []
