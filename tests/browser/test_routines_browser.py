"""Importing a note in a real browser, at phone width: upload -> preview -> save -> Today."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from ..conftest import ROUTINE_1
from .conftest import Server, click_tick, wait_idle

NOTES = Path(__file__).parent.parent / "fixtures" / "notes"
UPLOAD = '[data-testid="stFileUploaderDropzoneInput"]'


@pytest.fixture
def app(tmp_path):
    """A fresh server whose bundled routines are a private copy holding routine 1."""
    routines = tmp_path / "routines"
    routines.mkdir()
    shutil.copy(ROUTINE_1, routines)
    srv = Server(tmp_path / "data", env={"HIPDASH_ROUTINES_DIR": str(routines)})
    srv.routines = routines
    yield srv
    srv.stop()


def open_routines(page, app) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{app.url}/routines?view=Import")
    wait_idle(page)
    page.wait_for_selector(UPLOAD, state="attached", timeout=30_000)


def test_upload_preview_save_then_tick_it_on_today(page, app):
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if r.url.startswith("http")
            and urlsplit(r.url).hostname not in ("127.0.0.1", "localhost")
            else None
        ),
    )
    open_routines(page, app)
    page.locator(UPLOAD).set_input_files(str(NOTES / "morning-mobility.md"))
    wait_idle(page)
    expect(page.get_by_text("What to import")).to_be_visible()
    boxes = page.locator('.st-key-hd-include [data-testid="stCheckbox"] input')
    expect(boxes).to_have_count(2 + 6)  # a box per section and per exercise, all ticked
    assert all(boxes.nth(i).is_checked() for i in range(8))
    assert page.locator("iframe").count() == 0
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, f"the preview scrolls sideways at phone width ({width}px)"
    assert list(app.routines.iterdir()) == [app.routines / ROUTINE_1.name]
    assert not (app.data_dir / "routines").exists()

    page.get_by_role("button", name="Save routine").click()
    wait_idle(page)
    expect(
        page.get_by_text("Saved “Morning Mobility Flow” as morning-mobility.yaml.")
    ).to_be_visible()
    assert (app.data_dir / "routines" / "morning-mobility.yaml").is_file()
    assert list(app.routines.iterdir()) == [app.routines / ROUTINE_1.name]

    page.get_by_role("link", name="Today").first.click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Morning Mobility Flow")).to_be_visible()
    click_tick(page, "Clockwise")
    log = (app.data_dir / "checkoffs.csv").read_text()
    assert log.strip().endswith("morning-mobility,floor/hip-circles/clockwise,1")
    assert outside == []


def test_a_file_over_the_limit_is_refused_by_the_uploader_and_nothing_is_written(
    page, app, tmp_path
):
    big = tmp_path / "big.md"
    big.write_bytes(b"- squat\n" * 700_000)
    open_routines(page, app)
    page.locator(UPLOAD).set_input_files(str(big))
    wait_idle(page)
    # The uploader itself refuses it (max_upload_size): the bytes never reach the app.
    expect(page.get_by_text("File must be 1.0MB or smaller.")).to_be_visible()
    expect(page.get_by_role("button", name="Save routine")).to_have_count(0)
    assert list(app.routines.iterdir()) == [app.routines / ROUTINE_1.name]
    assert not (app.data_dir / "routines").exists()
