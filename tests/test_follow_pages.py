"""Following a note on the pages (AppTest): import by path, tick, the note edited on disk
while the app renamed an exercise, "Your note changed" on Routines and a line on Today,
Apply, the tick kept; choices, Not now, by themselves; the note panel's path field (only
inside HIPDASH_NOTES_DIR), the download and writing into the note."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hipdash import library
from hipdash.__main__ import main
from hipdash.follow import records
from hipdash.library import edits as ed
from hipdash.ui import first

from . import component as cards
from .conftest import open_app, plain

NOTE = """\
Three times a week.

## Warm up
- Cat cow — 2 × 10
- Clamshells — 2 × 15 each side

## Strength
- Squat — 3 × 8
"""
TODAY = "2026-11-24"


@pytest.fixture
def note(tmp_path, data_dir, monkeypatch) -> Path:
    """`Hip Plan.md` in a vault, imported by path (no bundled routines)."""
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path / "none"))
    monkeypatch.setenv("HIPDASH_TODAY", TODAY)
    path = tmp_path / "vault" / "Hip Plan.md"
    path.parent.mkdir()
    path.write_text(NOTE, encoding="utf-8")
    assert main(["import", str(path)]) == 0
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def change_here(data_dir: Path, section: str, exercise: str, **fields) -> None:
    bundled = data_dir.parent / "none"
    library.update(
        data_dir, bundled, "hip-plan", lambda r, u: ed.change_exercise(r, section, exercise, fields)
    )


def routines_page():
    at = open_app("pages/routines.py")
    assert not at.exception
    return at


def texts(at) -> list[str]:
    return [plain(m.value) for m in at.markdown]


def test_the_note_edited_on_disk_is_applied_and_the_tick_and_the_rename_stay(note, data_dir):
    today = open_app()
    cards.tick(today, "strength/squat")
    assert cards.count(today) == "1 / 3 done"
    change_here(data_dir, "warm-up", "clamshells", title="Side clams")
    edit(note, "- Squat — 3 × 8", "- Squat — 3 × 10\n- Bird dog — 2 × 10 each side")

    today = open_app()
    assert "📝 **Your note changed**: Hip Plan.md" in texts(today)
    at = routines_page()
    assert "**Your note changed**: Hip Plan" in texts(at)
    assert "- adds: Bird dog, in Strength\n- Squat: 3 × 8 → 3 × 10" in texts(at)
    at.button(key="hd-note-apply-hip-plan").click().run()
    assert not at.exception
    assert "**Your note changed**: Hip Plan" not in texts(at)

    today = open_app()
    assert cards.titles(today) == {
        "warm-up/cat-cow": "Cat cow",
        "warm-up/clamshells": "Side clams",
        "strength/squat": "Squat",
        "strength/bird-dog": "Bird dog",
    }
    assert cards.data(today)["state"]["strength/squat"]  # the tick is kept
    assert cards.count(today) == "1 / 4 done"
    assert "📝 **Your note changed**: Hip Plan.md" not in texts(today)


def test_where_both_changed_the_person_chooses_before_apply(note, data_dir):
    change_here(data_dir, "strength", "squat", dose="3 × 12")
    edit(note, "3 × 8", "4 × 8")
    at = routines_page()
    (choice,) = [r for r in at.radio if r.key.startswith("hd-note-choice-hip-plan-")]
    assert plain(choice.label) == "Both changed **Strength › Squat**: dose"
    assert choice.options == ["Take the note's: 4 × 8", "Keep the app's: 3 × 12"]
    assert at.button(key="hd-note-apply-hip-plan").disabled
    choice.set_value("note").run()
    at.button(key="hd-note-apply-hip-plan").click().run()
    squat = library.current(data_dir, data_dir.parent / "none", "hip-plan").routine
    assert squat.sections[1].exercises[0].dose == "4 × 8"


def test_not_now_puts_the_change_aside_and_today_stops_saying_it(note):
    edit(note, "3 × 8", "3 × 10")
    at = routines_page()
    at.button(key="hd-note-later-hip-plan").click().run()
    assert [e.label for e in at.expander if "not now" in e.label] == [
        "Your note of Hip Plan changed (not now)"
    ]
    assert "📝 **Your note changed**: Hip Plan.md" not in texts(open_app())


def test_a_gone_note_is_said_and_nothing_changes(note, data_dir):
    before = (data_dir / "routines" / "hip-plan.yaml").read_bytes()
    note.unlink()
    warned = [plain(w.value) for w in routines_page().warning]
    assert any(
        w.startswith("**Your note of Hip Plan**") and "is gone; nothing changed" in w
        for w in warned
    )
    assert any("is gone; nothing changed" in t for t in texts(open_app()))
    assert (data_dir / "routines" / "hip-plan.yaml").read_bytes() == before


def open_note_panel(at):
    at.selectbox(key="hd-ed-hip-plan-what").set_value("note").run()
    assert not at.exception
    return at


def test_by_themselves_applies_the_change_when_a_page_opens(note, data_dir):
    at = open_note_panel(routines_page())
    at.checkbox(key="hd-note-auto-hip-plan").check().run()
    assert records.read(data_dir, "hip-plan").auto
    edit(note, "3 × 8", "3 × 10")
    today = open_app()
    assert [plain(t.value) for t in today.toast] == ["Took in your note's changes to Hip Plan"]
    assert cards.titles(today)["strength/squat"] == "Squat"
    squat = library.current(data_dir, data_dir.parent / "none", "hip-plan").routine
    assert squat.sections[1].exercises[0].dose == "3 × 10"


def test_the_path_field_is_there_only_with_a_notes_folder_and_takes_only_notes_in_it(
    note, data_dir, monkeypatch, tmp_path
):
    at = open_note_panel(routines_page())
    assert not [t for t in at.text_input if t.key == "hd-note-path-hip-plan"]
    assert any("HIPDASH_NOTES_DIR" in plain(c.value) for c in at.caption)
    monkeypatch.setenv("HIPDASH_NOTES_DIR", str(note.parent))
    (note.parent / "Other.md").write_text(NOTE.replace("3 × 8", "5 × 5"), encoding="utf-8")
    (tmp_path / "secret.md").write_text("- Secret\n", encoding="utf-8")
    os.symlink(tmp_path / "secret.md", note.parent / "link.md")
    at = open_note_panel(routines_page())
    field = at.text_input(key="hd-note-path-hip-plan")
    assert field.value == "Hip Plan.md"
    for bad, why in [
        ("../secret.md", "give a note's path inside the notes folder"),
        (str(tmp_path / "secret.md"), "is not inside"),
        ("link.md", "is a symbolic link"),
        ("Hip Plan.txt", "ending in .md"),
    ]:
        at.text_input(key="hd-note-path-hip-plan").set_value(bad)
        at.button(key="FormSubmitter:hd-note-follow-hip-plan-Follow this note").click().run()
        assert any(why in plain(e.value) for e in at.error), bad
        assert records.read(data_dir, "hip-plan").path == note
    at.text_input(key="hd-note-path-hip-plan").set_value("Other.md")
    at.button(key="FormSubmitter:hd-note-follow-hip-plan-Follow this note").click().run()
    assert records.read(data_dir, "hip-plan").path == note.parent / "Other.md"


def test_the_note_panel_offers_the_download_and_writes_into_the_note_after_a_tick(note, data_dir):
    change_here(data_dir, "strength", "squat", title="Goblet squat")
    at = open_note_panel(routines_page())
    (download,) = [d for d in at.get("download_button")]
    assert download.proto.label == "Download as a note (.md)"
    assert at.button(key="hd-note-write-hip-plan").disabled
    at.checkbox(key="hd-note-write-ok-hip-plan").check().run()
    at.button(key="hd-note-write-hip-plan").click().run()
    assert "- Goblet squat — 3 × 8 ^squat" in note.read_text(encoding="utf-8")
    kept = list((data_dir / "routines" / "notes" / "previous" / "hip-plan").iterdir())
    assert [p.read_text(encoding="utf-8") for p in kept] == [NOTE]
    assert "**Your note changed**: Hip Plan" not in texts(routines_page())


def test_todays_first_screen_is_not_drawn_ahead_of_the_notes_line(note):
    # (hipdash.ui.first: the run would put "Your note changed" above the cards)
    assert first.data({})["cards"]["top"]["title"] == "Hip Plan"
    edit(note, "- Squat — 3 × 8", "- Squat — 3 × 10")
    assert first.data({}) is None
