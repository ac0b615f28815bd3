"""Backup and restore in a real browser at phone size: the downloaded zip holds your edited
routine, and restoring it into an empty data dir on a fresh server brings it back."""

from __future__ import annotations

import zipfile

from playwright.sync_api import expect

from hipdash import backup, library
from hipdash.library.edits import change_exercise

from ..conftest import PROJECT
from .conftest import Server, click_tick, open_page, tick_box, wait_idle

R1 = "hip-therapy-routine-1"
PHONE = {"width": 390, "height": 844}


def test_download_then_restore_into_an_empty_data_dir(page, server, tmp_path):
    library.update(
        server.data_dir,
        PROJECT / "routines",
        R1,
        lambda r, used: change_exercise(r, "release", "cat-cow", {"title": "Cat and cow"}),
    )
    page.set_viewport_size(PHONE)
    page.goto(f"{server.url}/backup")
    wait_idle(page)
    expect(page.locator(".st-key-hd-nav a")).to_have_count(4)  # a component: drawn just after
    nav = page.locator(".st-key-hd-nav a").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.right, r.height] })"
    )
    assert all(right <= 390 and height >= 44 for right, height in nav), nav
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    expect(
        page.get_by_text("1 routine (Hip Therapy Routine 1), 1 previous version")
    ).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download backup (.zip)").click()
    saved = tmp_path / "backup.zip"
    download.value.save_as(saved)
    names = zipfile.ZipFile(saved).namelist()
    assert f"routines/{R1}.yaml" in names

    fresh = Server(tmp_path / "elsewhere" / "data")
    try:
        page.goto(f"{fresh.url}/backup")
        wait_idle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(saved))
        wait_idle(page)
        expect(page.get_by_text("This backup holds")).to_be_visible()
        restore = page.get_by_role("button", name="Restore")
        expect(restore).to_be_disabled()  # asks first
        page.locator('[data-testid="stCheckbox"]').filter(has_text="Replace my data").locator(
            "label"
        ).click()
        wait_idle(page)
        restore.click()
        wait_idle(page)
        expect(
            page.get_by_text("Restored your routines (2 files) from backup.zip.")
        ).to_be_visible()
        page.get_by_role("link", name="Today").first.click()
        wait_idle(page)
        expect(tick_box(page, "Cat and cow")).to_have_count(1)
    finally:
        fresh.stop()


def restore(page, saved) -> None:
    """Restore this zip from the Backup page, reached by its link (no reload)."""
    page.get_by_role("link", name="Backup").first.click()
    wait_idle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(saved))
    wait_idle(page)
    page.locator('[data-testid="stCheckbox"]').filter(has_text="Replace my data").locator(
        "label"
    ).click()
    wait_idle(page)
    page.get_by_role("button", name="Restore").click()
    wait_idle(page)
    expect(page.get_by_text(f"from {saved.name}.", exact=False)).to_be_visible()


def test_a_restore_leaves_no_undo_of_the_log_it_replaced(page, server, tmp_path):
    """Undo takes back this tab's ticks; after a restore the log is another: its Undo
    said "changed on another device" of the ticks it could not find, even after a
    reload (the browser keeps the history for one)."""
    saved = tmp_path / "before.zip"
    saved.write_bytes(backup.make_backup(server.data_dir))
    page.set_viewport_size(PHONE)
    open_page(page, server)
    click_tick(page, "Dead bug")
    expect(page.get_by_test_id("hd-undo")).to_be_enabled()
    restore(page, saved)
    page.get_by_role("link", name="Today").first.click()
    wait_idle(page)
    expect(tick_box(page, "Dead bug").locator("input")).not_to_be_checked()
    expect(page.get_by_test_id("hd-undo")).to_be_disabled()
    page.reload()
    wait_idle(page)
    expect(tick_box(page, "Dead bug")).to_have_count(1)
    expect(page.get_by_test_id("hd-undo")).to_be_disabled()
