"""An imported routine's own links (under its title on Today) in a real browser, at
phone width: a finger-sized target that opens a new tab without a referrer."""

from playwright.sync_api import expect

from .conftest import open_page

PHONE = {"width": 390, "height": 844}


def test_the_routines_links_under_its_title_are_big_enough_to_tap(page, server):
    page.set_viewport_size(PHONE)
    open_page(page, server)
    link = page.locator(".st-key-hd-routine-links a", has_text="glute strengthening exercises")
    expect(link).to_have_count(1)
    assert link.get_attribute("href") == "https://www.instagram.com/reel/CYZRNkRqcu0/"
    assert link.get_attribute("target") == "_blank"
    assert "noreferrer" in link.get_attribute("rel")
    box = link.bounding_box()
    assert box["height"] >= 44
    assert box["x"] + box["width"] <= PHONE["width"]
    title = page.locator("h2", has_text="Hip Therapy Routine 1").bounding_box()
    assert title["y"] < box["y"]  # under the title
