"""The routine editor in a real browser at phone size: import with parts left out and an
item renamed; edit an exercise after ticking it (the tick stays); bring a version back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from playwright.sync_api import expect

from hipdash import library
from hipdash.library.edits import find_exercise
from hipdash.log import CheckoffLog
from hipdash.routines import load_routine

from ..conftest import PROJECT, ROUTINE_1
from .conftest import TODAY, click_tick, tick_box, wait_idle

NOTES = Path(__file__).parent.parent / "fixtures" / "notes"
UPLOAD = '[data-testid="stFileUploaderDropzoneInput"]'
R1 = "hip-therapy-routine-1"
PHONE = {"width": 390, "height": 844}


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the select box labelled `label`."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.locator("input").click()
    box.locator("input").fill(option.split(" › ")[-1])  # type to filter, as on a phone
    page.get_by_role("option", name=option).first.click()
    wait_idle(page)


def fits_a_phone(page) -> None:
    """No sideways scroll; every visible button, expander and box at least 44 px high."""
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    small = page.evaluate(
        """() => [...document.querySelectorAll(
              '.st-key-hd-editing button, .st-key-hd-importing button, '
              + '.st-key-hd-editing summary, .st-key-hd-editing [data-testid=stCheckbox] label, '
              + '.st-key-hd-importing [data-testid=stCheckbox] label')]
            .filter(e => e.offsetParent && e.getBoundingClientRect().height < 44)
            .map(e => e.innerText.slice(0, 40))"""
    )
    assert small == [], small


def box(page, text: str):
    return page.locator('[data-testid="stCheckbox"]').filter(has_text=text).first


def test_import_leave_a_section_out_rename_an_item_save_and_today_shows_it(page, server):
    page.set_viewport_size(PHONE)
    page.goto(f"{server.url}/routines?view=Import")
    wait_idle(page)
    page.locator(UPLOAD).set_input_files(str(NOTES / "knee-and-hip-plan.md"))
    wait_idle(page)
    expect(page.get_by_text("What to import")).to_be_visible()
    fits_a_phone(page)

    box(page, "Warm-up").locator("label").click()  # one tap leaves the section out
    wait_idle(page)
    expect(page.get_by_text("1 section · 3 exercises · 4 items")).to_be_visible()
    choose(page, "Edit", "Strength › Wall sit")
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("Title", exact=True).fill("Wall sit against the door")
    form.get_by_role("button", name="Apply to this import").click()
    wait_idle(page)
    expect(page.get_by_text("Changed in this import: Wall sit against the door.")).to_be_visible()
    assert not (server.data_dir / "routines").exists()

    page.get_by_role("button", name="Save routine").click()
    wait_idle(page)
    expect(page.get_by_text("Saved “Knee & Hip Plan” as knee-hip-plan.yaml.")).to_be_visible()
    saved = load_routine(server.data_dir / "routines" / "knee-hip-plan.yaml")
    assert [s.id for s in saved.sections] == ["strength"]
    assert find_exercise(saved, "strength", "wall-sit").title == "Wall sit against the door"

    page.get_by_role("link", name="Today").first.click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Knee & Hip Plan")).to_be_visible()
    expect(tick_box(page, "Wall sit against the door")).to_be_visible()
    expect(tick_box(page, "Bike")).to_have_count(0)


def test_edit_an_exercise_after_ticking_it_then_bring_the_previous_version_back(page, server):
    page.set_viewport_size(PHONE)
    page.goto(f"{server.url}/")
    wait_idle(page)
    click_tick(page, "Cat/cow stretch")

    page.get_by_role("link", name="Routines").first.click()
    wait_idle(page)
    choose(page, "Edit", "Release › Cat/cow stretch")
    fits_a_phone(page)
    form = page.locator('[data-testid="stForm"]')
    form.get_by_label("Title", exact=True).fill("Cat and cow")
    form.get_by_label("Dose", exact=True).fill("2 × 10")
    form.get_by_role("button", name="Save exercise").click()
    wait_idle(page)
    expect(page.get_by_text("Saved Cat and cow.")).to_be_visible()
    assert (PROJECT / "routines" / ROUTINE_1.name).read_bytes() == ROUTINE_1.read_bytes()

    page.get_by_role("link", name="Today").first.click()
    wait_idle(page)
    expect(tick_box(page, "Cat and cow").locator("input")).to_be_checked()  # same id: still ticked
    state = CheckoffLog(server.data_dir / "checkoffs.csv").day_state(date.fromisoformat(TODAY), R1)
    assert state == {"release/cat-cow": True}

    page.get_by_role("link", name="Routines").first.click()
    wait_idle(page)
    choose(page, "Edit", "Previous versions")
    expect(
        page.get_by_text("Cat and cow: renamed “Cat/cow stretch”; 2 × 10 → no dose")
    ).to_be_visible()
    fits_a_phone(page)
    page.get_by_role("button", name="Bring this version back").click()
    wait_idle(page)
    expect(page.get_by_text("Brought back the version")).to_be_visible()
    routine = library.load_library(server.data_dir, PROJECT / "routines").active[0]
    assert routine == load_routine(ROUTINE_1)

    page.get_by_role("link", name="Today").first.click()
    wait_idle(page)
    expect(tick_box(page, "Cat/cow stretch").locator("input")).to_be_checked()
