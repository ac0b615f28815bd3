"""Today in a real browser: tick -> reload -> still ticked; links; phone width.
(No player or outside request until one is opened: test_security_browser.py.)"""

from playwright.sync_api import expect

from .conftest import open_page, wait_idle


def checkbox(page, label):
    return page.locator('[data-testid="stCheckbox"]').filter(has_text=label)


def progress(page):
    return page.locator(".st-key-hd-progress")


def test_tick_reload_still_ticked(page, server):
    open_page(page, server)
    expect(progress(page)).to_contain_text("0 / 16")
    checkbox(page, "Dead bug").locator("label").click()
    wait_idle(page)
    expect(progress(page)).to_contain_text("1 / 16")
    assert (server.data_dir / "checkoffs.csv").read_text().strip().endswith("dead-bug,1")

    page.reload()
    wait_idle(page)
    expect(checkbox(page, "Dead bug").locator("input")).to_be_checked()
    expect(checkbox(page, "Side plank clamshell").locator("input")).not_to_be_checked()
    expect(progress(page)).to_contain_text("1 / 16")


def test_a_second_tab_sees_the_same_ticks(page, server, context):
    open_page(page, server)
    checkbox(page, "Wrist stretches").locator("label").click()
    wait_idle(page)
    other = context.new_page()
    open_page(other, server)
    expect(checkbox(other, "Wrist stretches").locator("input")).to_be_checked()
    expect(progress(other)).to_contain_text("1 / 16")


def test_links_from_the_note_open_in_a_new_tab_without_a_referrer(page, server):
    open_page(page, server)
    link = page.locator("a", has_text="Pigeon pose good mornings")
    assert link.get_attribute("href") == "https://www.instagram.com/p/CbGy3zBj3e6/"
    assert link.get_attribute("target") == "_blank"
    assert "noreferrer" in link.get_attribute("rel")


def test_phone_width_has_no_sideways_scroll_and_big_tick_targets(page, server):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, server)
    labels = page.locator('[class*="st-key-ticks-"] [data-testid="stCheckbox"] label')
    expect(labels).to_have_count(16)  # all drawn (a loaded machine draws them in batches)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    main_width = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollWidth")
    assert main_width <= 390
    heights = [label.bounding_box()["height"] for label in labels.all()]
    assert len(heights) == 16
    assert min(heights) >= 44
