"""The Routines page's import through AppTest: upload -> preview (the editor) -> save."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from hipdash.routines import load_routine
from hipdash.ui import keys

from . import component as cards
from .conftest import ROUTINE_1, open_app, plain

NOTES = Path(__file__).parent / "fixtures" / "notes"
NOTE_1 = NOTES / "hip-therapy-routine-1.md"


@pytest.fixture
def routines_dir(tmp_path, monkeypatch) -> Path:
    """A private bundled-routines folder holding routine 1, as the project ships it."""
    directory = tmp_path / "routines"
    directory.mkdir()
    (directory / ROUTINE_1.name).write_bytes(ROUTINE_1.read_bytes())
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(directory))
    monkeypatch.setenv("HIPDASH_TODAY", "2026-11-24")
    return directory


def routines_page(view: str = "Import") -> AppTest:
    at = open_app("pages/routines.py", {"view": view})
    assert not at.exception
    return at


def upload(at: AppTest, name: str, content: bytes, nonce: int = 0) -> AppTest:
    at.file_uploader(key=f"hd_note_upload-{nonce}").upload(name, content, "text/markdown").run()
    assert not at.exception
    return at


def texts(at: AppTest, kind: str) -> list[str]:
    return [plain(e.value) for e in at.get(kind)]


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under `directory`, by relative path (none if it does not exist)."""
    if not directory.exists():
        return {}
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_the_page_shows_a_routine_with_target_items_videos_and_whose_it_is(routines_dir):
    at = routines_page("Your routines")
    assert "**Hip Therapy Routine 1**" in texts(at, "markdown")
    assert (
        "Target: 3 sessions a week · about 30 minutes · 3 sections · 13 exercises · 16 items · "
        "8 videos · bundled with the app · from hip-therapy-routine-1.md"
    ) in texts(at, "caption")
    nav = cards.data(at, keys.NAV)["links"]  # in the nav bar, as the page you are on
    assert [link["label"] for link in nav if link["current"]] == ["📋 Routines"]


def include_boxes(at: AppTest) -> list[tuple[str, bool, bool]]:
    """The preview's boxes: (label, ticked, enabled)."""
    return [
        (plain(c.label), c.value, not c.disabled) for c in at.checkbox if c.key.startswith("hd-inc")
    ]


def test_upload_preview_save_and_it_is_on_today(routines_dir, data_dir):
    at = upload(
        routines_page(), "knee-and-hip-plan.md", (NOTES / "knee-and-hip-plan.md").read_bytes()
    )
    assert "**Knee & Hip Plan** · 2 sections · 6 exercises · 7 items · 1 video" in texts(
        at, "markdown"
    )
    # The preview: a box per section and exercise, all kept; nothing loaded, nothing written.
    assert include_boxes(at) == [
        ("**Warm-up**", True, True),
        ("Bike · 5 minutes", True, True),
        ("Leg swings", True, True),
        ("Clamshells · 3 × 20 s each side · video: Clamshell form", True, True),
        ("**Strength**", True, True),
        ("Wall sit · hold 1 min", True, True),
        ("Glute bridge · 3 x 12", True, True),
        ("Split squat · 3 × 8 each leg · 2 steps", True, True),
    ]
    assert len(at.get("iframe")) == 0
    assert snapshot(data_dir) == {}
    assert snapshot(routines_dir) == {ROUTINE_1.name: ROUTINE_1.read_bytes()}

    at.button(key="hd_import_save").click().run()
    assert not at.exception
    assert [plain(s.value) for s in at.success] == [
        "Saved “Knee & Hip Plan” as knee-hip-plan.yaml."
    ]
    assert load_routine(data_dir / "routines" / "knee-hip-plan.yaml") == load_routine(
        NOTES / "expected" / "knee-and-hip-plan.yaml"
    )
    assert snapshot(routines_dir) == {ROUTINE_1.name: ROUTINE_1.read_bytes()}  # bundled: untouched
    assert [u.key for u in at.get("file_uploader")] == ["hd_note_upload-1"]  # a fresh, empty one
    assert include_boxes(at) == []

    at.query_params.clear()  # as the nav bar's link to Today: no query
    at.switch_page("pages/today.py").run()
    assert not at.exception
    assert cards.title(at) == "Knee & Hip Plan"
    assert len(cards.titles(at)) == 7


def test_warnings_are_shown_with_line_numbers(routines_dir):
    at = upload(routines_page(), "messy.md", (NOTES / "messy.md").read_bytes())
    (expander,) = at.expander
    assert expander.label == "13 warnings: parts of the note that were not imported"
    listed = plain(expander.markdown[0].value)
    assert (
        "- line 14: link to “javascript:alert(1)” dropped (only http(s) links are kept)" in listed
    )
    assert "- line 20: a table (lines 20–22) was not imported" in listed


def test_a_first_import_over_the_bundled_example_is_a_plain_save_that_sets_it_aside(
    routines_dir, data_dir
):
    """The bundled routine is not the person's: their note of its id saves, with no box to
    tick, and the example is kept as a previous version."""
    at = upload(routines_page(), "Hip Therapy Routine 1.md", NOTE_1.read_bytes())
    assert "hd_replace_ok-0" not in [c.key for c in at.checkbox]
    assert "hd_import_replace" not in [b.key for b in at.button]
    assert not any("You have a routine" in w for w in texts(at, "warning"))
    (info,) = texts(at, "info")
    assert info.startswith("**This becomes your own routine.** It takes the place of “Hip")
    assert "saving sets the example aside (Previous versions keeps it)" in info
    assert "The same exercises as the example." in texts(at, "caption")
    at.button(key="hd_import_save").click().run()
    assert not at.exception
    assert texts(at, "success") == [
        "Saved “Hip Therapy Routine 1” as hip-therapy-routine-1.yaml. The example it "
        "replaces is kept under Previous versions."
    ]
    assert (
        load_routine(data_dir / "routines" / ROUTINE_1.name).item_keys
        == load_routine(ROUTINE_1).item_keys
    )
    (kept,) = (data_dir / "routines" / "previous" / "hip-therapy-routine-1").iterdir()
    assert kept.read_bytes() == ROUTINE_1.read_bytes()


def test_a_changed_note_over_the_example_says_what_it_changes(routines_dir, data_dir):
    changed = NOTE_1.read_text().replace("- Wrist stretches\n", "")
    at = upload(routines_page(), "hip-therapy-routine-1.md", changed.encode())
    assert "Compared with the example:" in "\n".join(texts(at, "markdown"))
    assert "- removes: Wrist stretches, in Release (its ticks stay in the log)" in "\n".join(
        texts(at, "markdown")
    )
    assert not at.button(key="hd_import_save").disabled


def test_reimport_over_your_own_routine_shows_the_changes_and_needs_an_explicit_replace(
    routines_dir, data_dir
):
    yours = data_dir / "routines" / ROUTINE_1.name
    yours.parent.mkdir(parents=True)
    yours.write_bytes(ROUTINE_1.read_bytes())
    changed = NOTE_1.read_text().replace("- Wrist stretches\n", "")
    at = upload(routines_page(), "hip-therapy-routine-1.md", changed.encode())
    assert "You have a routine with this id** (“Hip Therapy Routine 1”)" in plain(
        at.warning[0].value
    )
    assert "- removes: Wrist stretches, in Release (its ticks stay in the log)" in texts(
        at, "markdown"
    )
    assert "hd_import_save" not in [b.key for b in at.button]  # no plain Save
    assert at.button(key="hd_import_replace").disabled  # until the replace box is ticked
    assert snapshot(data_dir / "routines") == {ROUTINE_1.name: ROUTINE_1.read_bytes()}

    at.checkbox(key="hd_replace_ok-0").check().run()
    assert not at.button(key="hd_import_replace").disabled
    at.button(key="hd_import_replace").click().run()
    assert not at.exception
    saved = load_routine(yours)
    assert set(saved.item_keys) == set(load_routine(ROUTINE_1).item_keys) - {
        "release/wrist-stretches"
    }
    # What it replaced (the person's file) is kept as a previous version.
    (kept,) = (data_dir / "routines" / "previous" / "hip-therapy-routine-1").iterdir()
    assert kept.read_bytes() == ROUTINE_1.read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.md", b"", "empty.md: the file is empty. Nothing was saved."),
        ("photo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file, not a markdown note"),
        ("big.md", b"- squat\n" * 700_000, "big.md is 5,469 KB; a note can be at most 256 KB."),
        ("prose.md", b"# Title\n\nNo list here.\n", "no exercises found"),
    ],
)
def test_bad_uploads_get_a_clear_message_and_nothing_is_written(
    routines_dir, data_dir, name, content, message
):
    at = upload(routines_page(), name, content)
    assert any(message in e for e in texts(at, "error")), texts(at, "error")
    assert len(at.button) == 0 and len(at.checkbox) == 0
    assert snapshot(data_dir) == {}


def test_a_note_from_another_note_with_the_same_id_cannot_be_saved(routines_dir, data_dir):
    yours = data_dir / "routines"
    yours.mkdir(parents=True)
    text = (NOTES / "expected" / "knee-and-hip-plan.yaml").read_text()
    (yours / "knee-hip-plan.yaml").write_text(text.replace("knee-and-hip-plan.md", "other.md"))
    before = snapshot(data_dir)
    at = upload(
        routines_page(), "knee-and-hip-plan.md", (NOTES / "knee-and-hip-plan.md").read_bytes()
    )
    assert any(
        "knee-hip-plan.yaml was imported from another note (other.md)" in e
        for e in texts(at, "error")
    )
    assert len(at.button) == 0
    assert snapshot(data_dir) == before


def test_note_text_is_escaped_everywhere_on_the_page(routines_dir):
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
    at.selectbox(key="hd-imp-0-what").select("sections").run()
    assert not at.exception
    shown += [e.value for e in at.markdown]
    assert any("squat" in s for s in shown) and any("section" in s for s in shown)
    unescaped = re.compile(r"(?<!\\)(?::material/|:red\[|\$x|\]\(javascript)")
    assert [s for s in shown if unescaped.search(s)] == []


def test_a_save_that_fails_says_so_and_keeps_the_preview(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("HIPDASH_DATA_DIR", str(blocker / "data"))
    at = upload(routines_page(), "messy.md", (NOTES / "messy.md").read_bytes())
    at.button(key="hd_import_save").click().run()
    assert not at.exception
    (error,) = texts(at, "error")
    assert error.startswith(f"**Not saved.** cannot write in {blocker / 'data'}")
    assert len(at.success) == 0
    assert at.button(key="hd_import_save")  # still there, to try again
