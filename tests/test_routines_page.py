"""The Routines page through AppTest: the list, and upload -> preview -> save of a note."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from hipdash.routines import load_routine

from . import component as cards
from .conftest import ROUTINE_1, plain

NOTES = Path(__file__).parent / "fixtures" / "notes"


@pytest.fixture
def routines_dir(tmp_path, monkeypatch) -> Path:
    """A private routines folder holding routine 1, as a person's project would."""
    directory = tmp_path / "routines"
    directory.mkdir()
    (directory / ROUTINE_1.name).write_bytes(ROUTINE_1.read_bytes())
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(directory))
    monkeypatch.setenv("HIPDASH_TODAY", "2026-11-24")
    return directory


@pytest.fixture
def routines_page(app_page):
    """`routines_page()`: the Routines page, opened afresh, without an exception."""

    def open_routines() -> AppTest:
        at = app_page("pages/routines.py")
        assert not at.exception
        return at

    return open_routines


def upload(at: AppTest, name: str, content: bytes, nonce: int = 0) -> AppTest:
    at.file_uploader(key=f"hd_note_upload-{nonce}").upload(name, content, "text/markdown").run()
    assert not at.exception
    return at


def texts(at: AppTest, kind: str) -> list[str]:
    return [plain(e.value) for e in at.get(kind)]


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_the_page_lists_each_routine_with_target_items_videos_and_source(
    routines_page, routines_dir
):
    at = routines_page()
    assert "**Hip Therapy Routine 1**" in texts(at, "markdown")
    assert (
        "Target: 3 sessions a week · about 30 minutes · 3 sections · 13 exercises · 16 items · "
        "8 videos · from hip-therapy-routine-1.md"
    ) in texts(at, "caption")
    assert "Routines" in [link.proto.label for link in at.get("page_link")]  # in the nav bar


def test_upload_preview_save_and_it_is_on_today(routines_page, routines_dir):
    at = upload(
        routines_page(), "knee-and-hip-plan.md", (NOTES / "knee-and-hip-plan.md").read_bytes()
    )
    assert "**Knee & Hip Plan** · 2 sections · 6 exercises · 7 items · 1 video" in texts(
        at, "markdown"
    )
    # The preview is the Today cards, read-only: boxes disabled, no player loaded.
    assert [s.value for s in at.subheader][-2:] == ["Warm-up", "Strength"]
    assert [(c.label, c.disabled) for c in at.checkbox] == [
        (label, True)
        for label in (
            "Bike",
            "Leg swings",
            "Clamshells",
            "Wall sit",
            "Glute bridge",
            "Back knee down slowly",
            "Drive through the front heel",
        )
    ]
    assert [(t.label, t.disabled) for t in at.toggle] == [("Watch: Clamshell form", True)]
    assert len(at.get("iframe")) == 0
    assert "3 × 20 s each side" in texts(at, "caption")
    assert snapshot(routines_dir) == {ROUTINE_1.name: ROUTINE_1.read_bytes()}  # nothing yet

    at.button(key="hd_import_save").click().run()
    assert not at.exception
    assert [plain(s.value) for s in at.success] == [
        "Saved “Knee & Hip Plan” as knee-hip-plan.yaml."
    ]
    assert load_routine(routines_dir / "knee-hip-plan.yaml") == load_routine(
        NOTES / "expected" / "knee-and-hip-plan.yaml"
    )
    assert "**Knee & Hip Plan**" in texts(at, "markdown")  # listed at once
    assert [u.key for u in at.get("file_uploader")] == ["hd_note_upload-1"]  # a fresh, empty one
    assert len(at.checkbox) == 0

    at.query_params.clear()  # as the nav bar's link to Today: no query
    at.switch_page("pages/today.py").run()
    assert not at.exception
    assert at.header[0].value == "Knee & Hip Plan"
    assert len(cards.titles(at)) == 7


def test_warnings_are_shown_with_line_numbers(routines_page, routines_dir):
    at = upload(routines_page(), "messy.md", (NOTES / "messy.md").read_bytes())
    (expander,) = at.expander
    assert expander.label == "⚠️ 13 warnings: parts of the note that were not imported"
    listed = plain(expander.markdown[0].value)
    assert (
        "- line 14: link to “javascript:alert(1)” dropped (only http(s) links are kept)" in listed
    )
    assert "- line 20: a table (lines 20–22) was not imported" in listed


def test_reimport_shows_the_changes_and_needs_an_explicit_replace(routines_page, routines_dir):
    changed = (NOTES / "hip-therapy-routine-1.md").read_text().replace("- Wrist stretches\n", "")
    at = upload(routines_page(), "hip-therapy-routine-1.md", changed.encode())
    assert "hip-therapy-routine-1.yaml already exists" in plain(at.warning[0].value)
    assert (
        "- removed: release/wrist-stretches (Wrist stretches) (its history stays in the log)"
        in (texts(at, "markdown"))
    )
    assert [b.key for b in at.button] == ["hd_import_replace"]  # no plain Save
    assert at.button(key="hd_import_replace").disabled  # until the replace box is ticked
    assert snapshot(routines_dir) == {ROUTINE_1.name: ROUTINE_1.read_bytes()}

    at.checkbox(key="hd_replace_ok-0").check().run()
    assert not at.button(key="hd_import_replace").disabled
    at.button(key="hd_import_replace").click().run()
    assert not at.exception
    saved = load_routine(routines_dir / ROUTINE_1.name)
    assert set(saved.item_keys) == set(load_routine(ROUTINE_1).item_keys) - {
        "release/wrist-stretches"
    }


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.md", b"", "empty.md: the file is empty. Nothing was saved."),
        ("photo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file, not a markdown note"),
        ("big.md", b"- squat\n" * 700_000, "big.md is too large (5,600,000 bytes)"),
        ("prose.md", b"# Title\n\nNo list here.\n", "no exercises found"),
    ],
)
def test_bad_uploads_get_a_clear_message_and_nothing_is_written(
    routines_page, routines_dir, name, content, message
):
    before = snapshot(routines_dir)
    at = upload(routines_page(), name, content)
    assert any(message in e for e in texts(at, "error")), texts(at, "error")
    assert len(at.button) == 0 and len(at.checkbox) == 0
    assert snapshot(routines_dir) == before


def test_an_id_clash_with_another_routine_is_shown_and_cannot_be_saved(routines_page, routines_dir):
    (routines_dir / "someone-else.yaml").write_text(
        (NOTES / "expected" / "knee-and-hip-plan.yaml").read_text()
    )
    before = snapshot(routines_dir)
    at = upload(
        routines_page(), "knee-and-hip-plan.md", (NOTES / "knee-and-hip-plan.md").read_bytes()
    )
    assert any(
        "the id 'knee-hip-plan' is already used by someone-else.yaml" in e
        for e in texts(at, "error")
    )
    assert len(at.button) == 0
    assert snapshot(routines_dir) == before


def test_note_text_is_escaped_everywhere_on_the_page(routines_page, routines_dir):
    hostile = (
        b"# **Bold** :red[x] <b>y</b>\n\n## $x$ section\n"
        b"- :material/home: squat [a](javascript:alert(1))\n"
    )
    at = upload(routines_page(), "h.md", hostile)
    assert not at.exception
    shown = [
        e.value for kind in ("markdown", "caption", "subheader", "header") for e in at.get(kind)
    ]
    shown += [c.label for c in at.checkbox]
    assert any("squat" in s for s in shown) and any("section" in s for s in shown)
    unescaped = re.compile(r"(?<!\\)(?::material/|:red\[|\$x|\]\(javascript)")
    assert [s for s in shown if unescaped.search(s)] == []


def test_a_save_that_fails_says_so_and_keeps_the_preview(routines_page, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(blocker / "routines"))
    at = upload(routines_page(), "messy.md", (NOTES / "messy.md").read_bytes())
    at.button(key="hd_import_save").click().run()
    assert not at.exception
    (error,) = texts(at, "error")
    assert error.startswith(f"**Not saved.** cannot write in {blocker / 'routines'}")
    assert len(at.success) == 0
    assert at.button(key="hd_import_save")  # still there, to try again
