"""An import in a real browser at phone width: the routine's own links under its title on
Today, and the lists left out offered as finger-sized, unticked boxes."""

import shutil
from pathlib import Path

from playwright.sync_api import expect

from ..conftest import ROUTINE_1
from .conftest import Server, open_page, wait_idle

PHONE = {"width": 390, "height": 844}


def test_the_routines_links_under_its_title_are_big_enough_to_tap(page, server):
    page.set_viewport_size(PHONE)
    open_page(page, server)
    link = page.locator(".hd-routine-links a", has_text="glute strengthening exercises")
    expect(link).to_have_count(1)
    assert link.get_attribute("href") == "https://www.instagram.com/reel/CYZRNkRqcu0/"
    assert link.get_attribute("target") == "_blank"
    assert "noreferrer" in link.get_attribute("rel")
    box = link.bounding_box()
    assert box["height"] >= 44
    assert box["x"] + box["width"] <= PHONE["width"]
    title = page.locator("h2", has_text="Hip Therapy Routine 1").bounding_box()
    assert title["y"] < box["y"]  # under the title


def test_lists_left_out_are_offered_as_big_unticked_boxes_at_phone_width(page, tmp_path):
    routines = tmp_path / "routines"
    routines.mkdir()
    shutil.copy(ROUTINE_1, routines)
    app = Server(tmp_path / "data", env={"HIPDASH_ROUTINES_DIR": str(routines)})
    try:
        page.set_viewport_size(PHONE)
        page.goto(f"{app.url}/routines?view=Import")
        wait_idle(page)
        upload = '[data-testid="stFileUploaderDropzoneInput"]'
        page.wait_for_selector(upload, state="attached", timeout=30_000)
        note = Path(__file__).parent.parent / "fixtures" / "notes" / "knee-rehab-with-videos.md"
        page.locator(upload).set_input_files(str(note))
        wait_idle(page)
        labels = page.locator(".st-key-hd-include [data-testid='stCheckbox'] label").filter(
            has_text="Keep “"
        )
        expect(labels).to_have_count(4)
        for label in labels.all():
            assert not label.locator("input").is_checked()
            box = label.bounding_box()
            assert box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"]
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    finally:
        app.stop()
