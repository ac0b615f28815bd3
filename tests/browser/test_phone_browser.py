"""Every page at phone size (390×844), on one server with half a year of demo data: every
button, tab, panel and navigation link is at least 44 px high, no help is reachable only
by hovering, Progress's first chart is on the first screen; and what a newcomer meets on
a phone: a long title cut with a way to read it, a future day in the link said, Browser
Back once from Progress to Today, reminders with no dead localhost link."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from hipdash import demo
from hipdash.routines import load_routine

from ..conftest import ROUTINE_1
from .conftest import (
    TODAY,
    Server,
    hover_only_help,
    open_tab,
    progress_drawn,
    settled,
    small_targets,
    wait_idle,
)

PHONE = {"width": 390, "height": 844}
R = "hip-therapy-routine-1"
TABS = ("Weeks", "Calendar", "Exercises", "Pain", "History")
NOTES = Path(__file__).parent.parent / "fixtures" / "notes"
LONG_TITLE = (
    "Hip and lower back programme after the March assessment: mobility, strength and "
    "stretching, with the physio's notes for the weeks before the follow-up appointment"
)


@pytest.fixture(scope="module")
def phone_server(tmp_path_factory):
    """One server for the module: routine 1 with 26 weeks of demo data, and a routine of
    the person's own with a long title."""
    root = tmp_path_factory.mktemp("phone")
    routine = load_routine(ROUTINE_1)
    demo.create(root / "data", routine, 26, 5, date.fromisoformat(TODAY))
    (root / "data" / "routines").mkdir()
    text = ROUTINE_1.read_text().replace("id: hip-therapy-routine-1", "id: long")
    text = text.replace("title: Hip Therapy Routine 1", f'title: "{LONG_TITLE}"')
    (root / "data" / "routines" / "long.yaml").write_text(text)
    srv = Server(root / "data")
    yield srv
    srv.stop()


@pytest.fixture
def phone(browser, phone_server):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


def visit(page, server: Server, path: str) -> None:
    """Open a page; Today, guided and Progress on routine 1 unless the path names another
    (the server remembers the last routine used, whichever test used it)."""
    if path.split("?")[0] in ("today", "guided", "progress") and "routine=" not in path:
        path += f"{'&' if '?' in path else '?'}routine={R}"
    page.goto(f"{server.url}/{path}")
    if path.startswith("progress"):
        progress_drawn(page)
        return
    wait_idle(page)
    settled(page)


def check(page, where: str, found: dict[str, list[str]]) -> None:
    found[where] = [f"small: {t}" for t in small_targets(page)]
    found[where] += [f"hover-only help: {h}" for h in hover_only_help(page)]


def choose(page, label: str, option: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


@pytest.mark.slow
def test_every_target_is_big_enough_and_no_help_needs_a_hover(phone, phone_server):
    page, server, found = phone, phone_server, {}
    visit(page, server, "today")
    check(page, "today", found)
    page.get_by_test_id("hd-after-toggle").click()
    wait_idle(page)
    expect(page.get_by_text("Pain before (0–10)")).to_be_visible()
    check(page, "today, after the session", found)
    visit(page, server, "guided")
    check(page, "guided", found)
    visit(page, server, "progress")
    for tab in TABS:
        open_tab(page, tab)
        check(page, f"progress, {tab}", found)
    page.get_by_text("Reminders in your phone's calendar").click()
    wait_idle(page)
    check(page, "progress, reminders", found)
    visit(page, server, "routines")
    for form in ("Title, summary and target", "Sections: order, names, add, remove"):
        choose(page, "Edit", form)
        check(page, f"routines, {form}", found)
    for form in ("Release › Cat/cow stretch", "Add an exercise", "Archive or delete"):
        choose(page, "Edit", form)
        check(page, f"routines, {form}", found)
    visit(page, server, "routines?view=Import")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(NOTES / "knee-and-hip-plan.md")
    )
    wait_idle(page)
    expect(page.get_by_text("What to import")).to_be_visible()
    check(page, "routines, import preview", found)
    visit(page, server, "backup")
    check(page, "backup", found)
    report = "\n".join(f"{where}: {p}" for where, problems in found.items() for p in problems)
    assert not report, report


def test_progress_shows_its_weekly_chart_on_the_first_screen(phone, phone_server):
    visit(phone, phone_server, "progress")
    chart = phone.locator('[data-testid="stVegaLiteChart"]').first
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["y"] + box["height"] / 2 <= PHONE["height"], box  # most of it, unscrolled
    streak = phone.get_by_role("listitem").filter(has_text="Streak").first
    meaning = re.compile(r"(starts when a week reaches 3 sessions|weeks in a row on target)$")
    expect(streak).to_contain_text(meaning)  # what it means, on the first screen too
    assert streak.bounding_box()["y"] < PHONE["height"]


def test_a_long_title_is_cut_with_a_way_to_read_it_whole(phone, phone_server):
    visit(phone, phone_server, "today?routine=long")
    title = phone.get_by_test_id("hd-title")
    cut = title.bounding_box()["height"]
    assert cut < 100  # two lines, not four
    card = phone.get_by_test_id("hd-card").first.bounding_box()
    assert card["y"] < PHONE["height"]  # the first exercise on the first screen
    whole = phone.get_by_test_id("hd-whole-title")
    whole.click()
    expect(title).to_have_text(LONG_TITLE)
    assert title.bounding_box()["height"] > cut + 30
    expect(whole).to_have_attribute("aria-expanded", "true")
    visit(phone, phone_server, "today")  # a short title: no button
    expect(phone.get_by_test_id("hd-whole-title")).to_be_hidden()


def test_a_future_day_in_the_link_is_said_and_today_offered(phone, phone_server):
    visit(phone, phone_server, "today?date=2099-03-01")
    expect(phone.get_by_text("Sun 1 Mar 2099 is in the future")).to_be_visible()
    expect(phone.get_by_test_id("hd-tick")).to_have_count(0)
    phone.get_by_role("button", name="Open today").click()
    wait_idle(phone)
    expect(phone.get_by_test_id("hd-tick").first).to_be_visible()
    assert "date=" not in phone.url


def test_browser_back_once_from_progress_to_today(phone, phone_server):
    visit(phone, phone_server, "today")
    phone.locator("nav.hd-nav a", has_text="Progress").click()
    wait_idle(phone)
    expect(phone.get_by_test_id("hd-figures")).to_be_visible()
    expect(phone.locator("nav.hd-nav [aria-current=page]")).to_have_text("📈 Progress")
    phone.go_back()
    wait_idle(phone)
    expect(phone.get_by_test_id("hd-count")).to_be_visible()
    assert "/today" in phone.url
    expect(phone.locator("nav.hd-nav [aria-current=page]")).to_have_text("✅ Today")
    phone.go_forward()  # and Forward again, as any page's history does
    wait_idle(phone)
    expect(phone.get_by_test_id("hd-figures")).to_be_visible()


def test_reminders_are_set_on_the_page_and_hold_no_localhost_link(phone, phone_server):
    visit(phone, phone_server, "progress")
    phone.get_by_text("Reminders in your phone's calendar").click()
    wait_idle(phone)
    for day in ("Mon", "Wed", "Sat"):  # Mon, Wed, Fri by default: now Fri, Sat
        phone.get_by_role("button", name=day, exact=True).click()
        wait_idle(phone)
    phone.get_by_role("spinbutton", name="hour, Time").click()
    phone.keyboard.type("0730")  # the hour, then the minutes
    phone.keyboard.press("Tab")
    wait_idle(phone)
    minutes = phone.get_by_label("Minutes")
    minutes.fill("20")
    minutes.press("Enter")
    wait_idle(phone)

    def reminders() -> str:
        with phone.expect_download() as download:
            phone.get_by_role("button", name="Download the reminders (.ics)").click()
        return Path(download.value.path()).read_text()

    text = reminders()
    for _ in range(20):  # under load the run the minutes asked for can come after the idle wait
        if "T073000" in text and "DURATION:PT20M" in text:
            break
        phone.wait_for_timeout(250)
        text = reminders()
    assert "localhost" not in text and "127.0.0.1" not in text and "URL" not in text
    assert sorted(line for line in text.splitlines() if line.startswith("RRULE")) == [
        "RRULE:FREQ=WEEKLY;BYDAY=FR",
        "RRULE:FREQ=WEEKLY;BYDAY=SA",
    ]
    assert "T073000" in text and "DURATION:PT20M" in text
    expect(phone.get_by_text("The events carry no link")).to_be_visible()


def test_the_reports_feelings_are_readable_at_phone_width(phone, tmp_path, routine1):
    from hipdash.feelings import FeelingLog
    from hipdash.sharing import report

    data = tmp_path / "data"
    day = date.fromisoformat(TODAY)
    demo.create(data, routine1, 4, 1, day)
    FeelingLog(data).record(day, routine1.id, "stretch/couch-stretch", "painful")
    html = report.build(data, routine1, day, 0.5, *report.whole_weeks(day, 4))
    phone.set_content(html)
    cell = phone.locator("table.exercises tr", has_text="Couch stretch").locator("td").last
    expect(cell).to_have_text("painful in the last session")
    assert cell.bounding_box()["width"] >= 100  # words on lines, not a letter a line
