"""Today in a real browser: tick -> reload -> still ticked; links; phone width.
(No player or outside request until one is opened: test_security_browser.py.)"""

import re
from datetime import date

from playwright.sync_api import expect

from hipdash.log import Change, CheckoffLog

from ..conftest import R
from .conftest import (
    DOUBLE_TAP_MS,
    TODAY,
    click_tick,
    header_count,
    open_page,
    settled,
    tick_box,
    wait_idle,
)

PHONE = {"width": 390, "height": 844}


def test_tick_reload_still_ticked(page, server):
    open_page(page, server)
    expect(header_count(page)).to_have_text("0 / 16 done")
    click_tick(page, "Dead bug")
    expect(header_count(page)).to_have_text("1 / 16 done")
    assert (server.data_dir / "checkoffs.csv").read_text().strip().endswith("dead-bug,1")

    page.reload()
    wait_idle(page)
    expect(tick_box(page, "Dead bug").locator("input")).to_be_checked()
    expect(tick_box(page, "Side plank clamshell").locator("input")).not_to_be_checked()
    expect(header_count(page)).to_have_text("1 / 16 done")


def test_a_double_tap_on_a_box_counts_once(page, server):
    """A sweaty finger's bounce: the second tap as soon as the first is saved (the box
    no longer 'saving'), well within the double tap's window: the box stays ticked, one
    line in the log. A tap after the window unticks it."""
    open_page(page, server)
    box = tick_box(page, "Dead bug").locator("input")
    log = server.data_dir / "checkoffs.csv"
    for _ in range(3):  # a save slower than the window (sent again under load): once more
        written = len(log.read_text().splitlines()) if log.exists() else 1
        gap = page.evaluate(
            """async () => {
              const box = [...document.querySelectorAll('[data-testid="hd-tick"]')]
                .find((row) => row.textContent.includes("Dead bug"));
              const started = performance.now();
              box.querySelector("input").click();
              while (box.classList.contains("hd-pending")) await new Promise(requestAnimationFrame);
              box.querySelector("input").click();
              return performance.now() - started;
            }"""
        )
        wait_idle(page)
        if gap < DOUBLE_TAP_MS:
            break
        page.wait_for_timeout(DOUBLE_TAP_MS)
        if box.is_checked():
            click_tick(page, "Dead bug")
    assert gap < DOUBLE_TAP_MS, f"the save took {gap:.0f} ms: no bounce to test"
    expect(box).to_be_checked()
    expect(header_count(page)).to_have_text("1 / 16 done")
    lines = log.read_text().strip().splitlines()
    assert [ln.split(",")[-2:] for ln in lines[written:]] == [
        ["strengthen/hip-strength-four/dead-bug", "1"]
    ]
    page.wait_for_timeout(DOUBLE_TAP_MS)
    click_tick(page, "Dead bug")  # after the window: meant
    expect(box).not_to_be_checked()
    assert (server.data_dir / "checkoffs.csv").read_text().strip().endswith("dead-bug,0")


def test_the_header_says_when_the_session_counts(page, server):
    open_page(page, server)
    line = page.get_by_test_id("hd-session")
    expect(page.get_by_test_id("hd-head")).to_contain_text("0 / 16 done")
    expect(line).to_have_text("This day counts as a session at 8 of 16 done")
    page.get_by_role("button", name="Tick all in Release").click()
    wait_idle(page)
    expect(header_count(page)).to_have_text("6 / 16 done")
    page.get_by_role("button", name="Tick all in Strengthen").click()
    wait_idle(page)
    expect(line).to_have_text("✓ This day counts as a session")
    guided = page.get_by_test_id("hd-guided")
    expect(guided).to_have_text("▶️ Start guided session")
    page.get_by_role("button", name="Tick all in Stretch").click()
    expect(line).to_have_text("✓ All done · 1 of 3 sessions this week", timeout=15_000)
    # Everything ticked: the guided session has only its finish left to show.
    expect(guided).to_have_text("▶️ Guided session: summary")
    guided.click()
    expect(page.get_by_role("heading", name="✓ Session counted")).to_be_visible(timeout=15_000)


def test_a_past_day_is_unmistakable(page, server):
    page.set_viewport_size(PHONE)
    open_page(page, server, "today?date=2026-11-20")
    banner = page.get_by_text("Editing Fri 20 Nov")
    expect(banner).to_be_visible()
    expect(page.get_by_test_id("hd-head")).to_contain_text("Fri 20 Nov · 0 / 16 done")
    back = page.get_by_role("button", name="Switch to today")
    # On a phone the way back is beside the banner, not a row of its own below it.
    shown, button = banner.bounding_box(), back.bounding_box()
    assert button["y"] < shown["y"] + shown["height"] and button["x"] > shown["x"], (shown, button)
    assert button["x"] + button["width"] <= PHONE["width"]
    back.click()
    wait_idle(page)
    expect(page.get_by_text("Editing Fri 20 Nov")).to_have_count(0)
    assert "date=" not in page.url


def test_links_from_the_note_open_in_a_new_tab_without_a_referrer(page, server):
    open_page(page, server)
    card = page.get_by_test_id("hd-card").filter(has_text="Pigeon pose good mornings")
    link = card.locator("a")  # the note's link of the title's words, named by its site
    expect(link).to_have_text("instagram.com")
    assert link.get_attribute("href") == "https://www.instagram.com/p/CbGy3zBj3e6/"
    assert link.get_attribute("target") == "_blank"
    assert "noreferrer" in link.get_attribute("rel")


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    main_width = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert main_width <= PHONE["width"]


def hits(page, locator, x: float, y: float) -> bool:
    """Whether a click at (x, y) lands on `locator` (not on something drawn over it)."""
    return locator.evaluate(
        "(el, [x, y]) => { const hit = document.elementFromPoint(x, y);"
        " return hit !== null && (hit === el || el.contains(hit)); }",
        [x, y],
    )


def test_phone_width_has_no_sideways_scroll_and_big_targets(page, server):
    page.set_viewport_size(PHONE)
    open_page(page, server)
    labels = page.get_by_test_id("hd-tick")
    expect(labels).to_have_count(16)
    no_sideways_scroll(page)
    for label in labels.all():
        label.scroll_into_view_if_needed()
        box = label.bounding_box()
        assert box["height"] >= 44
        # The whole 44 px is clickable: its top and bottom rows hit the row itself.
        middle = box["x"] + box["width"] / 2
        assert hits(page, label, middle, box["y"] + 2)
        assert hits(page, label, middle, box["y"] + box["height"] - 2)
    date_box = page.get_by_label("Session date").bounding_box()
    assert date_box["height"] >= 44 and date_box["x"] + date_box["width"] <= PHONE["width"]
    for button in page.locator("button:visible, nav.hd-nav a").all():
        button.scroll_into_view_if_needed()
        height = button.bounding_box()["height"]
        assert height >= 44, (button.inner_text(), height)


def test_phone_session_progress_stays_in_view_while_scrolling_the_cards(page, server):
    page.set_viewport_size(PHONE)
    open_page(page, server)
    labels = page.get_by_test_id("hd-tick")
    expect(labels).to_have_count(16)
    main = page.locator('[data-testid="stMain"]')  # Streamlit scrolls this, not the window
    height = main.evaluate("el => el.scrollHeight - el.clientHeight")
    assert height > 2 * PHONE["height"]  # the cards are several screens long
    header = page.get_by_test_id("hd-head")
    for step in range(1, 9):
        main.evaluate("(el, y) => { el.scrollTop = y; }", height * step / 8)
        settled(page)
        box = header.bounding_box()
        assert box["y"] >= -1, step  # at the top of the screen (there is no top bar)
        assert box["y"] + box["height"] <= PHONE["height"], step
        assert hits(page, header, box["x"] + 20, box["y"] + box["height"] / 2), step
        expect(header_count(page)).to_have_text(f"{step - 1} / 16 done")
        if step < 8:  # tick the first box now in view below the header: it counts at once
            below = [
                label
                for label in labels.all()
                if box["y"] + box["height"] < label.bounding_box()["y"] < PHONE["height"] - 50
                and not label.locator("input").is_checked()
            ]
            below[0].click()
            expect(header_count(page)).to_have_text(f"{step} / 16 done")
            wait_idle(page)
    no_sideways_scroll(page)


def test_a_tick_reruns_the_cards_only_not_the_whole_page_a_moment_later(page, server):
    """The page watches the data files for other devices' changes; its own tick must not
    look like one (a whole-page rerun on the phone ~2 s after every tick)."""
    frames: list[bytes] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived", lambda f: frames.append(f if isinstance(f, bytes) else f.encode())
        ),
    )
    cards = b"Cat/cow stretch"  # in the message that draws the cards again, in no other
    open_page(page, server)
    # Fixed waits: the test is that nothing comes (no rerun after a tick), and the 2 s
    # watch shows no sign of having looked, so only time can show it.
    page.wait_for_timeout(2500)  # the page settled, the watch ran at least once
    click_tick(page, "Dead bug")
    wait_idle(page)
    frames.clear()
    page.wait_for_timeout(3000)  # the watch checks once or twice
    quiet = [f for f in frames if cards in f]  # the watch's checks: ~10 small messages
    log = CheckoffLog(server.data_dir / "checkoffs.csv")  # another device ticks
    log.record([Change(date.fromisoformat(TODAY), R, "release/wrist-stretches", True)])
    frames.clear()
    expect(header_count(page)).to_have_text("2 / 16 done", timeout=5000)
    wait_idle(page)
    assert quiet == [], f"{len(quiet)} messages drew the cards again after this tab's own tick"
    assert [f for f in frames if cards in f]  # the check can see a rerun: another's tick


def test_the_session_details_open_with_a_tap_save_and_show_closed(page, server):
    """The details and day-mark forms are drawn only while their panel is open (a tick
    redraws less on a phone); a tap opens it, and closed it shows what was saved in a line."""
    page.set_viewport_size(PHONE)
    open_page(page, server)
    expect(page.get_by_text("Pain before (0–10)")).to_have_count(0)
    page.get_by_role("button", name="▸ After the session · or a day off").click()
    wait_idle(page)
    toggle = page.get_by_test_id("hd-after-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    panel = page.locator(".st-key-hd-after")
    expect(panel.get_by_text("Pain before (0–10)")).to_be_visible()
    opener = toggle.bounding_box()
    top = panel.bounding_box()["y"]
    assert opener["y"] + opener["height"] - 2 <= top <= opener["y"] + opener["height"] + 8
    no_sideways_scroll(page)
    page.get_by_label("Minutes taken").fill("25")
    page.get_by_role("button", name="Save details").click()
    wait_idle(page)
    assert "25" in (server.data_dir / "sessions.csv").read_text()
    page.get_by_test_id("hd-after-toggle").click()  # closed again
    wait_idle(page)
    expect(page.get_by_text("✓ Saved: 25 min")).to_be_visible()


def test_the_date_box_opens_an_earlier_day_with_its_ticks(page, server):
    CheckoffLog(server.data_dir / "checkoffs.csv").record(
        [Change(date(2026, 11, 20), R, "release/cat-cow", True)]
    )
    page.set_viewport_size(PHONE)
    open_page(page, server)
    box = page.get_by_label("Session date")
    expect(box).to_have_value(TODAY)
    expect(box).to_have_attribute("max", TODAY)
    box.fill("2026-11-20")
    page.wait_for_url("**date=2026-11-20**", timeout=30_000)
    wait_idle(page)
    expect(page.get_by_text("Editing Fri 20 Nov")).to_be_visible()
    expect(page.get_by_test_id("hd-head")).to_contain_text("Fri 20 Nov · 1 / 16 done")
    expect(tick_box(page, "Cat/cow stretch").locator("input")).to_be_checked()
    expect(page.get_by_label("Session date")).to_have_value("2026-11-20")


def test_a_day_the_cards_cannot_show_is_not_left_in_the_date_box(page, server):
    """A phone's picker may ignore `max`: a day to come (or a box cleared) left the box
    showing a day the cards were not on, and a tick was saved for the day they were."""
    page.set_viewport_size(PHONE)
    open_page(page, server)
    box = page.get_by_label("Session date")
    box.fill("2026-12-25")
    box.blur()
    expect(box).to_have_value(TODAY)
    note = page.get_by_role("status").filter(has_text="still to come")
    expect(note).to_have_text("That day is still to come: the cards stay on Tue 24 Nov 2026.")
    box.fill("")
    box.blur()
    expect(box).to_have_value(TODAY)
    expect(note).to_be_hidden()
    assert "date=" not in page.url
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    # Typed in, a year passes through 0002, 0020 and 0202: not put right while typed.
    box.focus()  # its month; then its year
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.type("2025")
    page.wait_for_url("**date=2025-11-24**", timeout=30_000)
    expect(box).to_have_value("2025-11-24")
    expect(page.get_by_role("status").filter(has_text="keeps days from")).to_be_hidden()


def test_the_stopwatch_starts_shows_in_the_header_and_stops_saving_its_minutes(page, server):
    page.set_viewport_size(PHONE)
    open_page(page, server)
    page.get_by_role("button", name="Start session timer").click()
    stop = page.get_by_role("button", name=re.compile(r"^Stop timer \(started \d\d:\d\d\)$"))
    expect(stop).to_be_visible()
    expect(page.get_by_test_id("hd-clock")).to_contain_text("⏱️ 0:0")
    stop.click()
    expect(page.get_by_role("button", name="Start session timer")).to_be_visible()
    expect(page.get_by_test_id("hd-clock")).to_be_hidden()
    expect(page.get_by_text("✓ Saved: 1 min")).to_be_visible()
    assert ",1," in (server.data_dir / "sessions.csv").read_text().splitlines()[-1]
