"""Undo, countdowns and two devices on one day, in a real browser."""

import time
from datetime import date

import pytest
from playwright.sync_api import expect

from hipdash.log import Change, CheckoffLog
from hipdash.ui import live

from ..conftest import R
from .conftest import (
    OUTSIDE_MS,
    TODAY,
    Server,
    click_tick,
    header_count,
    open_page,
    tick_box,
    until,
    wait_idle,
)

HOLDS = """
id: holds
title: Holds
sections:
  - id: stretch
    title: Stretch
    exercises:
      - {id: couch, title: Couch stretch, hold_seconds: 2}
      - {id: wall, title: Wall sit}
      - {id: a, title: A}
      - {id: b, title: B}
      - {id: c, title: C}
      - {id: d, title: D}
      - {id: side, title: Side plank, dose: "2 × 1 s each side"}
      - {id: sets, title: Two sets, dose: "2 × 1 s"}
      - {id: long, title: Long hold, hold_seconds: 8}
"""


def count_script_runs(page) -> None:
    """Count, in window.__runs, each run of the script Streamlit finished (by the state it
    left: a short run can start and end before an observer looks at the page)."""
    page.evaluate(
        """() => {
            window.__runs = 0;
            const app = document.querySelector('[data-testid="stApp"]');
            new MutationObserver(records => {
                for (const r of records) if (r.oldValue === 'running') window.__runs++;
            }).observe(app, {attributes: true, attributeOldValue: true,
                             attributeFilter: ['data-test-script-state']});
        }"""
    )


def test_undo_takes_a_tick_back_and_the_file_keeps_both(page, server):
    open_page(page, server)
    expect(page.get_by_test_id("hd-undo")).to_be_disabled()
    click_tick(page, "Dead bug")
    expect(header_count(page)).to_have_text("1 / 16 done")
    page.get_by_test_id("hd-undo").click()
    expect(header_count(page)).to_have_text("0 / 16 done")
    expect(tick_box(page, "Dead bug").locator("input")).not_to_be_checked()
    lines = (server.data_dir / "checkoffs.csv").read_text().splitlines()
    assert [line[-2:] for line in lines[1:]] == [",1", ",0"]
    page.reload()
    wait_idle(page)
    expect(tick_box(page, "Dead bug").locator("input")).not_to_be_checked()


def test_an_undo_far_down_the_page_says_in_view_what_it_took_back(page, server):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, server)
    click_tick(page, "Side adductor stretch")  # near the end: the page scrolls to it
    expect(header_count(page)).to_have_text("1 / 16 done")
    page.get_by_test_id("hd-undo").click()  # in the header, which stays in view
    said = page.get_by_role("alert").filter(has_text="Undone")
    expect(said).to_have_text("Undone: Side adductor stretch unticked.")
    expect(said).to_be_in_viewport()
    expect(tick_box(page, "Side adductor stretch")).to_be_in_viewport()  # nothing jumped


def test_clear_the_day_asks_first(page, server):
    open_page(page, server)
    page.get_by_role("button", name="Tick all in Release").click()
    expect(header_count(page)).to_have_text("6 / 16 done")
    page.get_by_test_id("hd-clear").click()
    expect(page.get_by_text("Untick all 6 ticked items of Tue 24 Nov 2026?")).to_be_visible()
    expect(header_count(page)).to_have_text("6 / 16 done")  # nothing before the confirmation
    page.keyboard.press("Enter")  # what has the focus keeps the day
    expect(page.get_by_test_id("hd-clear-yes")).to_be_hidden()
    expect(header_count(page)).to_have_text("6 / 16 done")
    page.get_by_test_id("hd-clear").click()
    page.get_by_test_id("hd-clear-yes").click()
    expect(header_count(page)).to_have_text("0 / 16 done")


@pytest.fixture
def holds_server(servers):
    return servers.get({"holds.yaml": HOLDS})


def test_the_hold_countdown_runs_in_the_browser_and_says_when_it_is_done(page, holds_server):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, holds_server)
    timer = page.get_by_test_id("hd-hold-timer").first
    expect(timer).to_have_attribute("data-state", "idle")
    expect(timer).to_contain_text("2 s")
    main = page.locator('[data-testid="stMain"]')
    main.evaluate("el => el.scrollTo(0, 120)")
    scrolled = main.evaluate("el => el.scrollTop")
    count_script_runs(page)
    started = time.monotonic()
    timer.get_by_role("button", name="Start 2 s hold").click()
    expect(timer).to_have_attribute("data-state", "running")
    expect(timer).to_have_attribute("data-state", "done", timeout=5000)
    expect(timer).to_contain_text("✓ Done")
    # The browser counts: the only runs are the live check's, one every 2 s at most.
    checks = (time.monotonic() - started) / live.CHECK_EVERY_SECONDS + 1
    assert page.evaluate("window.__runs") <= checks
    assert main.evaluate("el => el.scrollTop") == scrolled  # the page did not move
    timer.get_by_role("button", name="Reset").click()
    expect(timer).to_have_attribute("data-state", "idle")


def test_a_dose_of_several_holds_counts_each_down_in_turn(page, holds_server):
    """'2 × 1 s each side' on its card: four holds, each named and started with a tap (time
    to switch sides); the last one's end is the card's "✓ Done"."""
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, holds_server)
    card = page.get_by_test_id("hd-card").filter(has_text="Side plank")
    timer = card.get_by_test_id("hd-hold-timer")
    which = timer.get_by_test_id("hd-hold-which")
    names = ["Set 1 of 2 · left side", "Set 1 of 2 · right side", "Set 2 of 2 · left side"]
    for n, name in enumerate([*names, "Set 2 of 2 · right side"], start=1):
        expect(which).to_have_text(f"{name} · {n} of 4")
        expect(timer).to_have_attribute("data-state", "idle")
        reset = timer.get_by_role("button", name="Reset").bounding_box()["x"]
        timer.get_by_role("button", name="Start 1 s hold").click()
        expect(timer).to_have_attribute("data-state", "running")
        assert timer.get_by_role("button", name="Reset").bounding_box()["x"] == reset  # unmoved
    expect(timer).to_have_attribute("data-state", "done", timeout=5000)
    expect(timer).to_contain_text("✓ Done")
    timer.get_by_role("button", name="Reset").click()
    expect(which).to_have_text(f"{names[0]} · 1 of 4")
    expect(page.get_by_test_id("hd-hold-which").first).to_be_hidden()  # one hold: unnamed
    sets = page.get_by_test_id("hd-card").filter(has_text="Two sets")
    expect(sets.get_by_test_id("hd-hold-which")).to_have_text("Set 1 of 2")  # not "· 1 of 2"


def test_a_running_countdown_survives_a_tick_here_and_one_on_another_device(page, holds_server):
    open_page(page, holds_server)
    count_script_runs(page)
    timer = page.get_by_test_id("hd-hold-timer").first
    timer.get_by_role("button", name="Start 2 s hold").click()
    click_tick(page, "Wall sit")
    page.wait_for_function("window.__runs >= 1")  # the tick did rerun the script...
    expect(timer).to_have_attribute("data-state", "done", timeout=5000)  # ...the timer ran on
    long = page.get_by_test_id("hd-hold-timer").last
    long.get_by_role("button", name="Start 8 s hold").click()
    log = CheckoffLog(holds_server.data_dir / "checkoffs.csv")
    log.record([Change(date.fromisoformat(TODAY), "holds", "stretch/a", True)])  # elsewhere
    expect(tick_box(page, "A").locator("input")).to_be_checked(timeout=3_000)
    expect(long).to_have_attribute("data-state", "running")  # not reset by the redraw
    expect(long).to_have_attribute("data-state", "done", timeout=10_000)


BUZZES = "navigator.vibrate = (p) => { (window.__buzz ||= []).push(p); return true; };"


@pytest.mark.slow
def test_another_routine_or_page_mid_countdown_stops_its_beep(page, servers):
    """The countdown's card is gone with its routine, or with Today: its end must not beep
    or buzz later, for nothing on the screen."""
    other = HOLDS.replace("id: holds", "id: other", 1).replace("title: Holds", "title: Other", 1)
    srv = servers.get({"holds.yaml": HOLDS, "other.yaml": other})
    page.add_init_script(BUZZES)
    open_page(page, srv)
    picker = page.locator('[data-testid="stSelectbox"]').filter(has_text="Routine")
    picker.locator("input").click()
    page.get_by_role("option", name="Holds", exact=True).click()
    wait_idle(page)
    expect(page.get_by_test_id("hd-today")).to_contain_text("Holds")
    # The 8 s holds: a busy machine may take seconds to take a card away, and a
    # countdown that ends while its card is on the screen does beep.
    page.get_by_role("button", name="Start 8 s hold").click()
    ends = time.monotonic() + 8
    page.locator('[data-testid="stMain"]').evaluate("el => el.scrollTo(0, 0)")  # to the picker
    picker.locator("input").click()
    page.get_by_role("option", name="Other", exact=True).click()
    wait_idle(page)
    expect(page.get_by_test_id("hd-today")).to_contain_text("Other")
    timer = page.get_by_test_id("hd-hold-timer").first  # the new cards' own do beep
    timer.get_by_role("button", name="Start 2 s hold").click()
    expect(timer).to_have_attribute("data-state", "done", timeout=5000)
    page.get_by_role("button", name="Start 8 s hold").click()  # and Today left mid-hold
    ends = max(ends, time.monotonic() + 8)
    page.locator("nav.hd-nav a", has_text="Progress").click()
    wait_idle(page)
    page.wait_for_timeout(1000 * (ends - time.monotonic() + 1))  # past both ends
    assert page.evaluate("window.__buzz") == [[300, 150, 300]]  # the new card's alone


@pytest.fixture
def two_devices(browser, server):
    """The same server open on a phone-size and a desktop-size browser, each its own
    browser session (as two devices are)."""
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    laptop = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    open_page(phone, server)
    open_page(laptop, server)
    yield phone, laptop
    phone.context.close()
    laptop.context.close()


def test_the_laptops_undo_never_erases_the_phones_tick(two_devices, server):
    phone, laptop = two_devices
    laptop.get_by_test_id("hd-tick").first.wait_for()
    laptop.evaluate("window.__noReload = true")
    # The phone's tick lands a moment before the laptop's tap, as it is written (a tap on
    # the phone would leave the laptop's 2 s watch time to show it first: no stale view)
    wrist = Change(date.fromisoformat(TODAY), R, "release/wrist-stretches", True)
    CheckoffLog(server.data_dir / "checkoffs.csv").record([wrist])
    laptop.get_by_role("button", name="Tick all in Release").click()
    expect(header_count(laptop)).to_have_text("6 / 16 done")
    message = "Wrist stretches was changed on another device; left as it is."
    expect(laptop.get_by_role("alert")).to_have_text(message)
    laptop.get_by_test_id("hd-undo").click()
    expect(header_count(laptop)).to_have_text("1 / 16 done")
    expect(tick_box(laptop, "Wrist stretches").locator("input")).to_be_checked()
    expect(laptop.get_by_role("alert")).to_have_text(f"Undone: 5 items unticked. {message}")
    assert laptop.evaluate("window.__noReload") is True  # all of it without a reload
    rows = (server.data_dir / "checkoffs.csv").read_text().splitlines()
    assert rows[-1].split(",")[-2:] != ["release/wrist-stretches", "0"]
    assert not any(r.endswith("release/wrist-stretches,0") for r in rows)
    expect(tick_box(phone, "Wrist stretches").locator("input")).to_be_checked(timeout=5_000)


def test_a_tick_on_one_device_shows_on_the_other_and_an_open_player_stays(two_devices):
    phone, laptop = two_devices
    watch = laptop.get_by_test_id("hd-watch").first
    watch.click()
    expect(laptop.locator(".hd-player iframe")).to_have_count(1)
    laptop.evaluate("window.__noReload = true")
    click_tick(phone, "Dead bug")
    expect(tick_box(laptop, "Dead bug").locator("input")).to_be_checked(timeout=3_000)
    expect(header_count(laptop)).to_have_text("1 / 16 done")
    expect(laptop.locator(".hd-player iframe")).to_have_count(1)  # the player stayed open
    assert laptop.evaluate("window.__noReload") is True
    click_tick(laptop, "Cat/cow stretch")  # and the other way round
    expect(header_count(phone)).to_have_text("2 / 16 done", timeout=3_000)


def test_a_stale_undo_leaves_another_devices_untick_and_tick_again_and_says_so(two_devices, server):
    """A, B, A: the phone ticks; the laptop unticks and ticks again. The log holds a tick
    as the phone left it, but the newest row is the laptop's: the phone's Undo leaves it."""
    phone, laptop = two_devices
    click_tick(phone, "Wrist stretches")
    expect(tick_box(laptop, "Wrist stretches").locator("input")).to_be_checked(timeout=5_000)
    laptop.wait_for_timeout(OUTSIDE_MS)  # the person sees it ticked, then unticks it
    click_tick(laptop, "Wrist stretches")  # untick
    click_tick(laptop, "Wrist stretches")  # and tick again
    lines = (server.data_dir / "checkoffs.csv").read_text()
    phone.get_by_test_id("hd-undo").click()
    message = "Wrist stretches was changed on another device; left as it is."
    expect(phone.get_by_role("alert")).to_have_text(message)
    expect(tick_box(phone, "Wrist stretches").locator("input")).to_be_checked()
    expect(header_count(phone)).to_have_text("1 / 16 done")
    assert (server.data_dir / "checkoffs.csv").read_text() == lines  # nothing written


# In the page: the moment the count shows `n` done (the box just changed by another
# device, drawn in the same update), tap the box, as aimed at what it showed before; then
# keep whether it is ticked in `window.__flipped`.
TAP_AS_IT_FLIPS = """([title, n]) => {
  const count = document.querySelector('[data-testid="hd-count"]');
  new MutationObserver((_, observer) => {
    if (!count.textContent.startsWith(`${n} /`)) return;
    observer.disconnect();
    const row = [...document.querySelectorAll('[data-testid="hd-tick"]')]
      .find((r) => r.querySelector("span").textContent === title);
    row.querySelector("input").click();
    window.__flipped = row.querySelector("input").checked;
  }).observe(count, { childList: true, characterData: true, subtree: true });
}"""


def test_a_tap_as_another_device_ticks_the_box_is_not_taken_as_an_untick(two_devices, server):
    """Both mean "done": the phone's tick lands on the laptop just as its person taps the
    box they saw unticked. The tap is not an untick of what they never saw ticked: it is
    said, and a tap after that counts."""
    phone, laptop = two_devices
    laptop.evaluate(TAP_AS_IT_FLIPS, ["Wrist stretches", 1])
    click_tick(phone, "Wrist stretches")
    laptop.wait_for_function("window.__flipped !== undefined", timeout=10_000)
    assert laptop.evaluate("window.__flipped") is True  # still ticked after the tap
    box = tick_box(laptop, "Wrist stretches")
    note = laptop.get_by_role("status").filter(has_text="another device")
    expect(note).to_have_text("Just ticked on another device. Tap again to change it.")
    wait_idle(laptop)
    rows = (server.data_dir / "checkoffs.csv").read_text().splitlines()[1:]
    assert [r.split(",")[-2:] for r in rows] == [["release/wrist-stretches", "1"]]
    click_tick(laptop, "Wrist stretches")  # tapped again: meant
    expect(box.locator("input")).not_to_be_checked()
    expect(note).to_have_count(0)
    rows = (server.data_dir / "checkoffs.csv").read_text().splitlines()[1:]
    assert rows[-1].split(",")[-2:] == ["release/wrist-stretches", "0"]
    laptop.get_by_test_id("hd-undo").click()  # this tab's own change: a tap at once counts
    expect(box.locator("input")).to_be_checked()
    box.click()
    expect(box.locator("input")).not_to_be_checked()
    expect(note).to_have_count(0)


def undo_takes_back_the_second_tick(page) -> None:
    """Today back with its two ticks (Dead bug, then Cat/cow stretch): its Undo is offered
    and takes back the second."""
    expect(header_count(page)).to_have_text("2 / 16 done")
    undo = page.get_by_test_id("hd-undo")
    expect(undo).to_be_enabled()
    undo.click()
    expect(header_count(page)).to_have_text("1 / 16 done")
    expect(tick_box(page, "Cat/cow stretch").locator("input")).not_to_be_checked()


def test_undo_after_a_reload_takes_back_the_last_tick(page, server):
    sent: list[bytes] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framesent", lambda f: sent.append(bytes(f, "utf-8") if isinstance(f, str) else f)
        ),
    )
    open_page(page, server)
    page.reload()  # nothing done on this tab yet: no history to hand back (no rerun for it)
    expect(header_count(page)).to_have_text("0 / 16 done")  # the cards drawn: asked or not
    wait_idle(page)
    assert not any(b'"restore"' in frame for frame in sent)
    click_tick(page, "Dead bug")
    click_tick(page, "Cat/cow stretch")
    page.reload()  # the cards ask for the kept history once drawn, after the page's run
    until(page, lambda: any(b'"restore"' in frame for frame in sent), "the history handed back")
    undo_takes_back_the_second_tick(page)
    expect(tick_box(page, "Dead bug").locator("input")).to_be_checked()
    rows = (server.data_dir / "checkoffs.csv").read_text().splitlines()[1:]
    assert [r.split(",")[-2:] for r in rows][-1] == ["release/cat-cow", "0"]
    page.reload()  # and again: what is left of the history is kept too
    wait_idle(page)
    page.get_by_test_id("hd-undo").click()
    expect(header_count(page)).to_have_text("0 / 16 done")
    expect(page.get_by_test_id("hd-undo")).to_be_disabled()


def test_undo_takes_back_a_tick_made_before_the_server_started_again(page, tmp_path):
    """The app restarted (or a phone away from the network longer than the server keeps its
    session): the page reconnects to a new session, and its Undo still takes back the tick
    made before (the history the browser kept is handed to the new session, not replaced
    by its empty one)."""
    first = Server(tmp_path / "data")
    try:
        open_page(page, first, "today")
        click_tick(page, "Dead bug")
        click_tick(page, "Cat/cow stretch")
    finally:
        first.stop()
    with page.expect_websocket(timeout=60_000):  # the page reconnects to the new server
        again = Server(tmp_path / "data", port=first.port)
    try:
        wait_idle(page)
        undo_takes_back_the_second_tick(page)
        page.reload()  # and what the browser keeps is the history after that undo
        wait_idle(page)
        page.get_by_test_id("hd-undo").click()
        expect(header_count(page)).to_have_text("0 / 16 done")
    finally:
        again.stop()
