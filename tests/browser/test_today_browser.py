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


PHONE = {"width": 390, "height": 844}


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


def test_phone_width_has_no_sideways_scroll_and_big_tick_targets(page, server):
    page.set_viewport_size(PHONE)
    open_page(page, server)
    labels = page.locator('[class*="st-key-ticks-"] [data-testid="stCheckbox"] label')
    expect(labels).to_have_count(16)  # all drawn (a loaded machine draws them in batches)
    no_sideways_scroll(page)
    for label in labels.all():
        label.scroll_into_view_if_needed()
        box = label.bounding_box()
        assert box["height"] >= 44
        # The whole 44 px is clickable: its top and bottom rows hit the label itself.
        middle = box["x"] + box["width"] / 2
        assert hits(page, label, middle, box["y"] + 2)
        assert hits(page, label, middle, box["y"] + box["height"] - 2)


def test_phone_session_progress_stays_in_view_while_scrolling_the_cards(page, server):
    page.set_viewport_size(PHONE)
    open_page(page, server)
    labels = page.locator('[class*="st-key-ticks-"] [data-testid="stCheckbox"] label')
    expect(labels).to_have_count(16)
    main = page.locator('[data-testid="stMain"]')  # Streamlit scrolls this, not the window
    height = main.evaluate("el => el.scrollHeight - el.clientHeight")
    assert height > 2 * PHONE["height"]  # the cards are several screens long
    header = progress(page)
    for step in range(1, 9):
        main.evaluate("(el, y) => { el.scrollTop = y; }", height * step / 8)
        page.wait_for_timeout(100)
        top_bar = page.locator('header[data-testid="stHeader"]').bounding_box()
        box = header.bounding_box()
        assert box["y"] >= top_bar["y"] + top_bar["height"] - 1, step  # not under the top bar
        assert box["y"] + box["height"] <= PHONE["height"], step
        assert hits(page, header, box["x"] + 20, box["y"] + box["height"] / 2), step
        expect(header).to_contain_text(f"{step - 1} / 16")
        if step < 8:  # tick the first box now in view below the header: it counts at once
            below = [
                label
                for label in labels.all()
                if box["y"] + box["height"] < label.bounding_box()["y"] < PHONE["height"] - 50
                and not label.locator("input").is_checked()
            ]
            below[0].click()
            wait_idle(page)
    no_sideways_scroll(page)
