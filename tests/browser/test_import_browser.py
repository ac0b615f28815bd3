"""An import in a real browser at phone width: the routine's own links under its title on
Today, the lists left out offered as finger-sized, unticked boxes, and a note imported by
path followed: edited on disk, the change applied, the day's tick kept. One server."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from hipdash import library
from hipdash.__main__ import main
from hipdash.library import edits as ed

from ..conftest import ROUTINE_1
from .conftest import Server, click_tick, open_page, tick_box, wait_idle

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One server for this module: routine 1 bundled (a private copy), a vault of notes."""
    root = tmp_path_factory.mktemp("import")
    routines = root / "routines"
    routines.mkdir()
    shutil.copy(ROUTINE_1, routines)
    vault = root / "vault"
    vault.mkdir()
    env = {"HIPDASH_ROUTINES_DIR": str(routines), "HIPDASH_NOTES_DIR": str(vault)}
    srv = Server(root / "data", env=env)
    srv.env, srv.vault = env, vault
    yield srv
    srv.stop()


def test_the_routines_links_under_its_title_are_big_enough_to_tap(page, app):
    page.set_viewport_size(PHONE)
    open_page(page, app, "?routine=hip-therapy-routine-1")
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


def test_lists_left_out_are_offered_as_big_unticked_boxes_at_phone_width(page, app):
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


NOTE = """\
Three times a week.

## Warm up
- Cat cow — 2 × 10
- Clamshells — 2 × 15 each side

## Strength
- Squat — 3 × 8
"""


def test_a_note_edited_on_disk_is_applied_and_todays_tick_stays(page, app, monkeypatch):
    """Import by path, tick, edit the note (an exercise added, the ticked one's dose
    changed) while the app renamed another; Routines says so within its 2 s watch; Apply."""
    for name, value in [("HIPDASH_DATA_DIR", str(app.data_dir)), *app.env.items()]:
        monkeypatch.setenv(name, value)
    note = app.vault / "Hip Plan.md"
    note.write_text(NOTE, encoding="utf-8")
    assert main(["import", str(note)]) == 0
    page.set_viewport_size(PHONE)
    open_page(page, app, "?routine=hip-plan")
    click_tick(page, "Squat")
    rename = lambda r, used: ed.change_exercise(r, "warm-up", "clamshells", {"title": "Side clams"})  # noqa: E731
    library.update(app.data_dir, Path(app.env["HIPDASH_ROUTINES_DIR"]), "hip-plan", rename)

    page.goto(f"{app.url}/routines")
    wait_idle(page)
    text = NOTE.replace("- Squat — 3 × 8", "- Squat — 3 × 10\n- Bird dog — 2 × 10 each side")
    note.write_text(text, encoding="utf-8")
    changed = page.locator(".st-key-hd-note-changed-hip-plan")
    expect(changed).to_contain_text("Your note changed", timeout=15_000)  # the watch saw it
    expect(changed).to_contain_text("adds: Bird dog, in Strength")
    wait_idle(page)
    apply = page.get_by_role("button", name="Apply")
    expect(apply).to_have_count(1)
    assert apply.bounding_box()["height"] >= 44
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    apply.click()
    expect(page.get_by_text("Took in your note's changes to Hip Plan")).to_be_visible(
        timeout=15_000
    )

    open_page(page, app, "?routine=hip-plan")
    expect(tick_box(page, "Bird dog")).to_have_count(1)
    expect(tick_box(page, "Side clams")).to_have_count(1)
    expect(tick_box(page, "Squat").locator("input")).to_be_checked()


def test_the_note_uploader_states_one_limit_and_refuses_a_larger_note_with_it(page, app, tmp_path):
    """Streamlit's uploader cannot take less than 1 MB: its own "1MB per file" is hidden,
    and the note's 256 KB is the one limit read, and the one a refusal names."""
    page.set_viewport_size(PHONE)
    page.goto(f"{app.url}/routines?view=Import")
    wait_idle(page)
    upload = '[data-testid="stFileUploaderDropzoneInput"]'
    page.wait_for_selector(upload, state="attached", timeout=30_000)
    panel = page.locator(".st-key-hd-importing")
    expect(panel.get_by_test_id("stFileUploaderDropzone")).to_be_visible()
    assert "MB" not in panel.inner_text()  # Streamlit's "1MB per file" is not shown
    expect(panel.get_by_text("A .md, .markdown or .txt note of at most 256 KB.")).to_be_visible()
    big = tmp_path / "big.md"
    big.write_text("# Big\n\n- Squat\n\n" + "Prose. " * 44_000)  # 302 KB: sent, then refused
    page.locator(upload).set_input_files(str(big))
    wait_idle(page)
    refusal = "big.md is 301 KB; a note can be at most 256 KB. Nothing was saved."
    expect(panel.get_by_text(refusal)).to_be_visible()
    assert "MB" not in panel.inner_text()
