"""A page left while it is still busy in the browser (Progress's tabs about to ask for the
rest, a guided set's timer running) asks nothing more of the server: what it asked after
the tap ran on the server as the page left, and the next page came up blank."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from hipdash import demo
from hipdash.routines import load_routine
from hipdash.ui import progress as progress_view

from ..conftest import ROUTINE_1
from .conftest import TODAY, progress_drawn, settled, wait_idle
from .test_guided_browser import MARKS, RECORDERS, said, serve

START = "▶️ Start guided session"

# Counts what the page sends on the app's websocket, in the page's own order.
COUNT_SENDS = """(() => {
  const send = WebSocket.prototype.send;
  window.__sends = 0;
  WebSocket.prototype.send = function (...args) {
    if (this.url.includes("/_stcore/stream")) window.__sends += 1;
    return send.apply(this, args);
  };
})()"""


class HeldAnswers:
    """The app's websocket, with the server's answers held back on demand: a busy server,
    slow to answer a page change, as on a small machine under load."""

    def __init__(self, page):
        self.page = page
        self.held = False
        self.tapped = 0  # how much the page had sent when the way out was tapped
        self.waiting: list = []
        self.sent: list = []  # all the page sent, in its order
        self.order: list = []  # ("asked", page) and ("began", page) as the server had them
        page.add_init_script(COUNT_SENDS)
        page.route_web_socket(re.compile(r"/_stcore/stream"), self._route)

    def _route(self, ws) -> None:
        server = ws.connect_to_server()
        ws.on_message(lambda message: self._asked(server, message))
        server.on_message(lambda message: self._answered(ws, message))

    def _asked(self, server, message) -> None:
        self.sent.append(message)
        asked = _parsed(BackMsg(), message)
        if asked.HasField("rerun_script"):
            self.order.append(("asked", asked.rerun_script.page_script_hash))
        server.send(message)

    def _answered(self, ws, message) -> None:
        told = _parsed(ForwardMsg(), message)
        if told.HasField("new_session") and not told.metadata.run.fragment_ids:  # a page's run
            self.order.append(("began", told.new_session.page_script_hash))
        if self.held:
            self.waiting.append((ws, message))
        else:
            ws.send(message)

    def hold(self) -> None:
        self.held = True

    def release(self) -> None:
        while self.waiting:  # in order; what comes meanwhile joins the queue
            ws, message = self.waiting.pop(0)
            ws.send(message)
        self.held = False

    def tap(self, way_out) -> None:
        """Tap the way out (a locator), noting, in the page, how much it had sent until
        then: what reaches this test comes in the page's order but may come late (under
        load, a request sent just before the tap came after the test's own note)."""
        way_out.wait_for()
        self.tapped = way_out.evaluate(
            """(el) => {
              const sent = window.__sends;
              el.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true}));
              return sent;
            }"""
        )

    def asked_after_leaving(self) -> list:
        """What the page asked after the tap's own request (the next page), other than that
        page again: Streamlit's router may ask for it twice as the held answers of the page
        left arrive (`is_history_navigation`), with or without the widgets' states the tap
        sent; a request of the page left names that page, or one of its fragments. One that
        came before the next page's request (the 2 s watch's tick, due just then) runs on the
        server before that page, so it is not counted; one after would run as it opens."""
        runs = []
        for message in self.sent[self.tapped :]:
            asked = _parsed(BackMsg(), message)
            if asked.HasField("rerun_script"):
                runs.append(asked.rerun_script)
        pages = [n for n, run in enumerate(runs) if not run.fragment_id]
        assert pages, "the tap asked for no page"
        again = (runs[pages[0]].page_script_hash, "")
        later = runs[pages[0] + 1 :]
        return [str(run) for run in later if (run.page_script_hash, run.fragment_id) != again]

    def asked_of_a_page_left(self) -> list[str]:
        """Each request naming a page the server had left by itself (a run of another page
        than the one last asked for): run after the new page, it would run on the server
        as the page left. Streamlit's router asks for a page only once the browser has
        left the one before; a page the server switched to had the browser still asking
        as the old page until the new one arrived."""
        asked, left, stale = "", set(), []
        for what, page in self.order:
            if what == "asked":
                stale += [page] if page in left else []
                asked = page
            elif asked and page != asked:
                left.add(asked)
        return stale


def _parsed(message, data):
    if isinstance(data, bytes):
        message.ParseFromString(data)
    return message


# How much had been said when the nav was tapped (recorded before the page's own handler).
TAPPED = """() => document.addEventListener("click", () => {
  window.__tapped = window.__said.length; }, { capture: true, once: true })"""


def test_leaving_progress_as_it_draws_opens_today_whole(page, server):
    demo.create(server.data_dir, load_routine(ROUTINE_1), 12, 3, date.fromisoformat(TODAY))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    answers = HeldAnswers(page)
    page.goto(f"{server.url}/progress")
    expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible(timeout=30_000)
    answers.hold()  # the tap's page change waits on the server...
    answers.tap(page.locator("nav.hd-nav a", has_text="Today"))
    page.wait_for_timeout(1500)  # ...longer than the tabs wait before asking for the rest
    answers.release()
    wait_idle(page)
    settled(page)
    expect(page.get_by_test_id("hd-count")).to_be_visible()
    assert errors == []
    assert answers.asked_after_leaving() == []


# The ways out of the guided view: the nav bar, and its own "Back to Today" (a page link).
WAYS_OUT = {"nav": "nav.hd-nav a >> text=Today", "link": '[data-testid="stPageLink"] a'}


@pytest.mark.parametrize("way_out", WAYS_OUT)
def test_leaving_a_guided_set_as_it_runs_stops_it(context, servers, way_out):
    server = serve(servers, MARKS, scale="0.05")  # its first, a 30 s hold, lasts 1.5 s
    page = context.new_page()
    page.add_init_script(RECORDERS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    answers = HeldAnswers(page)
    page.goto(f"{server.url}/today")
    wait_idle(page)
    page.get_by_role("button", name="▶️ Start guided session").click()
    running = page.get_by_test_id("hd-guided").filter(visible=True)
    expect(running).to_have_attribute("data-state", "running")
    answers.hold()
    page.evaluate(TAPPED)
    answers.tap(page.locator(WAYS_OUT[way_out]))
    page.wait_for_timeout(2500)  # the set would have ended meanwhile, and moved on
    assert said(page)[page.evaluate("window.__tapped") :] == []  # not a word once left
    answers.release()
    wait_idle(page)
    expect(page.get_by_test_id("hd-count")).to_be_visible()
    assert errors == []
    assert answers.asked_after_leaving() == []
    assert not (server.data_dir / "checkoffs.csv").exists()  # nothing ticked


def _today_with_answers_held_on_demand(context, servers):
    """Today open in a new page whose server answers can be held (`HeldAnswers`)."""
    server = serve(servers, MARKS)
    page = context.new_page()
    page.add_init_script(RECORDERS)
    answers = HeldAnswers(page)
    page.goto(f"{server.url}/today")
    wait_idle(page)
    return page, answers


def test_start_guided_session_asks_the_browser_to_leave_today_first(context, servers):
    """Start guided session opens the guided view. Had the server switched to it while the
    browser, slow to hear of it, went on as Today, Today's 2 s watch ticked meanwhile; on a
    slow server the tick ran after the guided view as Today, and the guided view came up
    blank. The browser now leaves Today and asks for the guided view: nothing is asked of
    Today after that."""
    page, answers = _today_with_answers_held_on_demand(context, servers)
    _left_while_the_server_is_slow(
        page,
        answers,
        lambda: answers.tap(page.get_by_role("button", name=START)),
        page.locator(".hd-guided"),  # the guided view's runner (Start's button shares its id)
    )
    assert re.search(r"/guided\?.*routine=", page.url)


def test_a_day_tapped_in_history_asks_the_browser_to_leave_progress_first(page, server):
    """The same for a day tapped in Progress's History, which opens it on Today."""
    demo.create(server.data_dir, load_routine(ROUTINE_1), 4, 3, date.fromisoformat(TODAY))
    answers = HeldAnswers(page)
    page.goto(f"{server.url}/progress?view=History")
    progress_drawn(page)
    box = page.locator('[data-testid="stDataFrame"]').bounding_box()
    row = progress_view.ROW_PX  # the grid is drawn on a canvas: a row's marker, under the header
    _left_while_the_server_is_slow(
        page,
        answers,
        lambda: page.mouse.click(box["x"] + 16, box["y"] + 2 * row + row // 2),
        page.get_by_test_id("hd-count"),
    )
    assert re.search(r"/today\?.*date=", page.url)


def _left_while_the_server_is_slow(page, answers: HeldAnswers, tap, arrived) -> None:
    """Tap the way to another page with the server's answers held longer than the watch's
    2 s, then let them come: the next page drawn (`arrived` shows), no error, and nothing
    asked of the page left once the server ran the next."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    answers.hold()
    tap()
    page.wait_for_timeout(2_500)
    answers.release()
    expect(arrived).to_be_visible()
    wait_idle(page)
    assert errors == []
    assert answers.asked_of_a_page_left() == []
