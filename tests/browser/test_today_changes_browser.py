"""Undo and the hold countdown in a real browser."""

import pytest
from playwright.sync_api import expect

from .conftest import Server, open_page, wait_idle

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
"""


def count_script_runs(page) -> None:
    """Count, in window.__runs, each time Streamlit starts running the script."""
    page.evaluate(
        """() => {
            window.__runs = 0;
            const app = document.querySelector('[data-testid="stApp"]');
            new MutationObserver(() => {
                if (app.getAttribute('data-test-script-state') === 'running') window.__runs++;
            }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
        }"""
    )


def box(page, label):
    return page.locator('[data-testid="stCheckbox"]').filter(has_text=label)


def test_undo_takes_a_tick_back_and_the_file_keeps_both(page, server):
    open_page(page, server)
    box(page, "Dead bug").locator("label").click()
    wait_idle(page)
    expect(page.locator(".st-key-hd-progress")).to_contain_text("1 / 16")
    page.get_by_role("button", name="Undo").click()
    wait_idle(page)
    expect(box(page, "Dead bug").locator("input")).not_to_be_checked()
    expect(page.locator(".st-key-hd-progress")).to_contain_text("0 / 16")
    lines = (server.data_dir / "checkoffs.csv").read_text().splitlines()
    assert [line[-2:] for line in lines[1:]] == [",1", ",0"]
    page.reload()
    wait_idle(page)
    expect(box(page, "Dead bug").locator("input")).not_to_be_checked()


@pytest.fixture
def holds_server(tmp_path):
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "holds.yaml").write_text(HOLDS)
    srv = Server(tmp_path / "data", env={"HIPDASH_ROUTINES_DIR": str(routines)})
    yield srv
    srv.stop()


def test_the_hold_countdown_runs_in_the_browser_and_says_when_it_is_done(page, holds_server):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, holds_server)
    timer = page.get_by_test_id("hd-hold-timer")
    expect(timer).to_have_attribute("data-state", "idle")
    expect(timer).to_contain_text("0:02")
    main = page.locator('[data-testid="stMain"]')
    main.evaluate("el => el.scrollTo(0, 120)")
    scrolled = main.evaluate("el => el.scrollTop")
    count_script_runs(page)
    timer.get_by_role("button", name="Start 2 s hold").click()
    expect(timer).to_have_attribute("data-state", "running")
    expect(timer).to_have_attribute("data-state", "done", timeout=5000)
    expect(timer).to_contain_text("Done ✓")
    assert page.evaluate("window.__runs") == 0  # no rerun of the script, the browser counts
    assert main.evaluate("el => el.scrollTop") == scrolled  # the page did not move
    timer.get_by_role("button", name="Reset").click()
    expect(timer).to_have_attribute("data-state", "idle")


def test_a_running_countdown_survives_a_tick_elsewhere(page, holds_server):
    open_page(page, holds_server)
    count_script_runs(page)
    timer = page.get_by_test_id("hd-hold-timer")
    timer.get_by_role("button", name="Start 2 s hold").click()
    box(page, "Wall sit").locator("label").click()
    wait_idle(page)
    assert page.evaluate("window.__runs") >= 1  # the tick did rerun the script...
    expect(timer).to_have_attribute("data-state", "done", timeout=5000)  # ...the timer ran on
