"""An axe-core audit (axe-playwright-python) of every page at phone size, 390×844: no
violations, on Today, each Progress tab with half a year of demo data, Routines, the
guided view and its finish."""

from datetime import date

import pytest
from axe_playwright_python.sync_playwright import Axe

from hipdash import demo
from hipdash.routines import load_routine

from ..conftest import ROUTINE_1
from .conftest import TODAY, open_page, open_tab, progress_drawn, wait_idle

PHONE = {"width": 390, "height": 844}
TABS = ("Weeks", "Calendar", "Exercises", "Pain", "History")


def violations(page) -> list[str]:
    """Each axe violation on the page as 'rule: what (N places: selectors)'."""
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} places: "
        f"{', '.join(str(n['target']) for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]


@pytest.fixture
def demo_server(server):
    demo.create(server.data_dir, load_routine(ROUTINE_1), 26, 5, date.fromisoformat(TODAY))
    return server


@pytest.mark.slow
def test_every_page_passes_an_axe_audit_at_phone_size(page, demo_server):
    page.set_viewport_size(PHONE)
    found: dict[str, list[str]] = {}
    open_page(page, demo_server)
    found["today"] = violations(page)
    open_page(page, demo_server, "today?date=2026-11-20")  # a past day: its banner
    found["today, a past day"] = violations(page)
    page.goto(f"{demo_server.url}/progress")
    progress_drawn(page)
    for tab in TABS:
        open_tab(page, tab)
        found[f"progress, {tab}"] = violations(page)
    page.goto(f"{demo_server.url}/routines")
    wait_idle(page)
    found["routines"] = violations(page)
    page.goto(f"{demo_server.url}/guided")
    wait_idle(page)
    found["guided"] = violations(page)
    for _ in range(13):
        page.get_by_test_id("hd-g-skip").click()
        wait_idle(page)
    found["guided, the finish"] = violations(page)
    report = "\n".join(f"{where}: {v}" for where, vs in found.items() for v in vs)
    assert not report, report
