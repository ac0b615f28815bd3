"""The routine editor on the Routines page, through AppTest, on real files: edits keep
ids (and so the ticks), previous versions come back, archive and delete, imports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from hipdash import library
from hipdash.library.edits import change_exercise, find_exercise, move_to_section
from hipdash.log import Change, CheckoffLog
from hipdash.routines import load_routine
from hipdash.ui import keys
from hipdash.ui.editor import SECTION_LABELS

from . import component as cards
from .conftest import ROUTINE_1, open_app, plain
from .test_routines import VALID

NOTES = Path(__file__).parent / "fixtures" / "notes"
R1 = "hip-therapy-routine-1"
EDIT = f"hd-ed-{R1}-what"
TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", TODAY.isoformat())


def page(view: str = "Your routines") -> AppTest:
    at = open_app("pages/routines.py", {"view": view})
    assert not at.exception
    return at


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def field(at: AppTest, label: str, kind: str = "text_input"):
    (widget,) = [w for w in at.get(kind) if w.label == label]
    return widget


def press(at: AppTest, label: str) -> AppTest:
    (button,) = [b for b in at.button if b.label == label]
    button.click()
    return run(at)


def texts(at: AppTest, kind: str) -> list[str]:
    return [plain(e.value) for e in at.get(kind)]


def current(data_dir, bundled):
    return library.load_library(data_dir, bundled)


def test_import_untick_a_section_rename_an_item_and_save_then_today_shows_it(bundled, data_dir):
    at = page("Import")
    at.file_uploader(key="hd_note_upload-0").upload(
        "knee-and-hip-plan.md", (NOTES / "knee-and-hip-plan.md").read_bytes(), "text/markdown"
    )
    run(at)
    at.checkbox(key="hd-inc-0-warm-up").uncheck()
    run(at)
    assert "**Knee & Hip Plan** · 1 section · 3 exercises · 4 items · 0 videos" in texts(
        at, "markdown"
    )
    at.selectbox(key="hd-imp-0-what").select("ex:strength/wall-sit")
    run(at)
    field(at, "Title").input("Wall sit against the door")
    field(at, "Dose").input("3 × 45 s")
    press(at, "Apply to this import")
    assert [plain(s.value) for s in at.success] == [
        "Changed in this import: Wall sit against the door. Runs as 3 × 45 s, 10 s rest."
    ]
    assert not (data_dir / "routines").exists()  # the draft changed, nothing written yet

    at.button(key="hd_import_save").click()
    run(at)
    saved = load_routine(data_dir / "routines" / "knee-hip-plan.yaml")
    assert [s.id for s in saved.sections] == ["strength"]
    wall = find_exercise(saved, "strength", "wall-sit")  # renamed, same id
    assert (wall.title, wall.dose) == ("Wall sit against the door", "3 × 45 s")

    at.switch_page("pages/today.py")
    run(at)
    assert cards.title(at) == "Knee & Hip Plan"
    titles = list(cards.titles(at).values())
    assert titles[0] == "Wall sit against the door" and len(titles) == 4


def test_editing_an_exercise_after_ticking_it_keeps_the_tick(bundled, data_dir):
    at = open_app()
    cards.click(at, "Cat/cow stretch")
    assert not at.exception
    at.query_params["view"] = "Your routines"
    at.switch_page("pages/routines.py")
    run(at)
    at.selectbox(key=EDIT).select("ex:release/cat-cow")
    run(at)
    field(at, "Title").input("Cat and cow")
    field(at, "Dose").input("2 × 10")
    press(at, "Save exercise")
    assert [plain(s.value) for s in at.success] == ["Saved Cat and cow. Runs as 2 × 10."]
    (entry,) = current(data_dir, bundled).entries
    assert entry.yours and find_exercise(entry.routine, "release", "cat-cow").dose == "2 × 10"
    assert (bundled / ROUTINE_1.name).read_bytes() == ROUTINE_1.read_bytes()

    at.switch_page("pages/today.py")
    run(at)
    assert cards.ticked(at) == ["Cat and cow"]
    log = CheckoffLog(data_dir / "checkoffs.csv")
    assert log.day_state(TODAY, R1) == {"release/cat-cow": True}


def test_the_previous_version_comes_back_from_the_page(bundled, data_dir):
    library.update(
        data_dir,
        bundled,
        R1,
        lambda r, used: change_exercise(r, "release", "cat-cow", {"title": "Cat and cow"}),
    )
    at = page()
    at.selectbox(key=EDIT).select("versions")
    run(at)
    assert "- Cat and cow: renamed “Cat/cow stretch”" in texts(at, "markdown")
    at.button(key="hd-ver-back").click()
    run(at)
    assert [plain(s.value) for s in at.success][0].startswith("Brought back the version")
    assert current(data_dir, bundled).active == (load_routine(ROUTINE_1),)
    # ...and the edited one is a previous version now, so this can be undone too.
    assert len(library.versions(data_dir, R1)) == 2


def test_a_bad_video_link_is_refused_with_a_clear_message(bundled, data_dir):
    at = page()
    at.selectbox(key=EDIT).select("ex:release/cat-cow")
    run(at)
    field(at, "YouTube link").input("https://vimeo.com/12345")
    press(at, "Save exercise")
    (error,) = texts(at, "error")
    assert "“https://vimeo.com/12345” is not a YouTube video link (for example" in error
    assert not (data_dir / "routines").exists()


def test_a_new_video_link_and_title_are_saved_and_shown_without_loading_anything(bundled, data_dir):
    at = page()
    at.selectbox(key=EDIT).select("ex:release/wrist-stretches")
    run(at)
    assert "No video yet: paste a YouTube link above." in texts(at, "caption")
    field(at, "YouTube link").input("https://www.youtube.com/watch?v=DzJmhyhP-Kw&t=1m5s")
    field(at, "Video title (shown on its Watch button)").input("Wrist stretch demo")
    press(at, "Save exercise")
    video = find_exercise(current(data_dir, bundled).active[0], "release", "wrist-stretches").video
    assert (video.video_id, video.start, video.title) == ("DzJmhyhP-Kw", 65, "Wrist stretch demo")
    assert (
        "Saved: video **Wrist stretch demo** · YouTube DzJmhyhP-Kw · starts at 1 min 5 s"
        in texts(at, "caption")
    )
    assert len(at.get("iframe")) == 0


def test_numbers_optional_notes_links_and_steps(bundled, data_dir):
    at = page()
    at.selectbox(key=EDIT).select("ex:strengthen/hip-strength-four")
    run(at)
    field(at, "Sets", "number_input").set_value(2)
    field(at, "Hold (seconds)", "number_input").set_value(30)
    field(at, "Optional: shown and tickable, not counted toward a session", "checkbox").check()
    field(at, "Notes", "text_area").input("slow and controlled")
    field(at, "Links, one a line: a title, then the link", "text_area").input(
        "Cue sheet https://example.com/cues"
    )
    field(at, "Step 1").input("Dead bug, slow")
    field(at, "Remove step 4", "checkbox").check()
    field(at, "New step").input("Bird dog")
    press(at, "Save exercise")
    routine = current(data_dir, bundled).active[0]
    four = find_exercise(routine, "strengthen", "hip-strength-four")
    assert (four.sets, four.hold_seconds, four.optional, four.notes) == (
        2,
        30,
        True,
        "slow and controlled",
    )
    assert [(link.title, link.url) for link in four.links] == [
        ("Cue sheet", "https://example.com/cues")
    ]
    assert [(s.id, s.title) for s in four.steps] == [
        ("dead-bug", "Dead bug, slow"),
        ("side-plank-clamshell", "Side plank clamshell"),
        ("leg-extension-to-side", "Leg extension to side"),
        ("bird-dog", "Bird dog"),
    ]
    assert not any(k.startswith("strengthen/hip-strength-four") for k in routine.counted_keys)


def test_a_change_made_on_another_device_meanwhile_is_kept(bundled, data_dir):
    at = page()
    at.selectbox(key=EDIT).select("ex:release/cat-cow")
    run(at)  # the form shows cat-cow as it was

    def elsewhere(r, used):
        r = change_exercise(r, "release", "cat-cow", {"notes": "from the phone"})
        return change_exercise(r, "release", "wrist-stretches", {"dose": "1 min"})

    library.update(data_dir, bundled, R1, elsewhere)
    field(at, "Title").input("Cat and cow")
    press(at, "Save exercise")
    routine = current(data_dir, bundled).active[0]
    cat = find_exercise(routine, "release", "cat-cow")
    assert (cat.title, cat.notes) == ("Cat and cow", "from the phone")
    assert find_exercise(routine, "release", "wrist-stretches").dose == "1 min"


def test_an_exercise_removed_elsewhere_cannot_be_saved_over(bundled, data_dir):
    at = page()
    at.selectbox(key=EDIT).select("ex:release/cat-cow")
    run(at)
    library.update(
        data_dir,
        bundled,
        R1,
        lambda r, used: r.__class__(**{**r.__dict__, "sections": (r.sections[1], r.sections[2])}),
    )
    field(at, "Title").input("Cat and cow")
    press(at, "Save exercise")
    assert "What you had open is no longer in the routine (changed elsewhere?)." in texts(
        at, "info"
    )
    assert [s.id for s in current(data_dir, bundled).active[0].sections] == [
        "strengthen",
        "stretch",
    ]


def test_removing_the_open_exercise_here_says_so_and_not_that_it_changed_elsewhere(
    bundled, data_dir
):
    at = page()
    at.selectbox(key=EDIT).select("ex:stretch/yoga-twist-in-chair")
    run(at)
    at.checkbox(key=f"hd-ed-{R1}-rm-ex-stretch-yoga-twist-in-chair").check()
    run(at)
    at.button(key=f"hd-ed-{R1}-rm-go-ex-stretch-yoga-twist-in-chair").click()
    run(at)
    assert [plain(s.value) for s in at.success] == [
        "Removed Yoga twist in chair; its ticks stay in the log."
    ]
    assert not texts(at, "info")
    assert at.selectbox(key=EDIT).value == "routine"
    stretch = current(data_dir, bundled).active[0].sections[2]
    assert "yoga-twist-in-chair" not in [ex.id for ex in stretch.exercises]


def test_sections_move_rename_add_and_remove(bundled, data_dir):
    at = page()
    at.selectbox(key=EDIT).select("sections")
    run(at)
    at.button(key=f"hd-ed-{R1}-sec-stretch--1").click()  # Stretch up
    run(at)
    assert [s.id for s in current(data_dir, bundled).active[0].sections] == [
        "release",
        "stretch",
        "strengthen",
    ]
    at.selectbox(key=f"hd-ed-{R1}-sec-pick").select("release")
    run(at)
    field(at, "Title").input("Loosen up")
    field(at, SECTION_LABELS["rounds"], "number_input").set_value(3)
    press(at, "Save")
    field(at, "Section title").input("Cool down")
    field(at, "Its first exercise").input("Walk")
    press(at, "Add section")
    routine = current(data_dir, bundled).active[0]
    assert (routine.sections[0].rounds, routine.sections[0].rest_seconds) == (3, None)
    assert [(s.id, s.title) for s in routine.sections] == [
        ("release", "Loosen up"),
        ("stretch", "Stretch"),
        ("strengthen", "Strengthen"),
        ("cool-down", "Cool down"),
    ]
    at.selectbox(key=f"hd-ed-{R1}-sec-pick").select("cool-down")
    run(at)
    remove = at.button(key=f"hd-ed-{R1}-rm-go-sec-cool-down")
    assert remove.disabled  # asks first
    at.checkbox(key=f"hd-ed-{R1}-rm-sec-cool-down").check()
    run(at)
    at.button(key=f"hd-ed-{R1}-rm-go-sec-cool-down").click()
    run(at)
    assert [s.id for s in current(data_dir, bundled).active[0].sections] == [
        "release",
        "stretch",
        "strengthen",
    ]


def test_add_an_exercise_then_it_is_open_in_the_editor(bundled, data_dir):
    at = page()
    at.selectbox(key=EDIT).select("add")
    run(at)
    (section,) = [s for s in at.selectbox if s.label == "Section"]
    section.select("stretch")
    field(at, "Title").input("Pigeon pose")
    field(at, "Dose").input("2 × 30 s each side")
    press(at, "Add exercise")
    assert at.selectbox(key=EDIT).value == "ex:stretch/pigeon-pose"
    assert field(at, "Title").value == "Pigeon pose"
    assert "stretch/pigeon-pose" in current(data_dir, bundled).active[0].counted_keys


def test_archive_hides_it_from_today_and_delete_asks_first_and_can_be_undone(bundled, data_dir):
    (bundled / "mini.yaml").write_text(VALID)
    at = page()
    at.selectbox(key="hd_edit_routine").select("mini")
    run(at)
    at.selectbox(key="hd-ed-mini-what").select("manage")
    run(at)
    at.button(key="hd-archive").click()
    run(at)
    assert [r.id for r in current(data_dir, bundled).archived] == ["mini"]
    assert at.selectbox(key="hd_edit_routine").value == "mini"  # still here, marked
    at.switch_page("pages/today.py")
    run(at)
    assert "hd_routine" not in [s.key for s in at.selectbox]  # only routine 1 to pick on Today
    assert cards.title(at) == "Hip Therapy Routine 1"

    at.switch_page("pages/routines.py")
    run(at)
    at.selectbox(key="hd_edit_routine").select("mini")
    run(at)
    at.selectbox(key="hd-ed-mini-what").select("manage")
    run(at)
    assert at.button(key="hd-del").disabled
    at.checkbox(key="hd-del-ok-mini").check()
    run(at)
    at.button(key="hd-del").click()
    run(at)
    found = current(data_dir, bundled)
    assert [e.routine.id for e in found.entries] == [R1]
    assert [r.id for r in found.deleted] == ["mini"]
    at.button(key="hd-undel-mini").click()
    run(at)
    assert sorted(r.id for r in current(data_dir, bundled).archived) == []
    assert sorted(r.id for r in current(data_dir, bundled).active) == [R1, "mini"]


def test_every_text_of_a_routine_in_the_editor_is_escaped(tmp_path, monkeypatch):
    from .test_security import UNESCAPED, hostile_routine

    hostile_routine(tmp_path)
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path))
    at = page()
    shown: list[str] = []
    options = at.selectbox(key="hd-ed-hostile-what").options
    assert len(options) == 8
    drawn = ("markdown", "caption", "header", "subheader", "info", "success", "warning", "error")
    labelled = ("checkbox", "button", "text_input", "text_area", "number_input", "expander")
    for value in ("routine", "sections", "ex:s/e", "ex:s/f", "add", "versions", "note", "manage"):
        at.selectbox(key="hd-ed-hostile-what").select(value)
        run(at)
        shown += [e.value for kind in drawn for e in at.get(kind)]
        shown += [e.label for kind in labelled for e in at.get(kind)]
    # Input fields hold the text as it is (the person edits it); what is drawn as
    # markdown (captions, labels, section rows, the video preview) is escaped.
    text = "\n".join(shown)
    assert "(0)" in text and "(3)" in text and "(8)" in text  # the texts are there...
    for pattern in UNESCAPED:
        assert not pattern.search(text), pattern.pattern


def test_with_every_routine_archived_today_says_so_and_links_to_routines(bundled, data_dir):
    library.set_archived(data_dir, bundled, R1, True)
    at = open_app()
    assert not at.exception
    assert [i.value for i in at.info] == [
        "All your routines are archived: unarchive one on the Routines page."
    ]
    with pytest.raises(AssertionError, match="no component"):
        cards.data(at)  # no cards


def test_an_exercise_moved_to_another_section_keeps_its_ticks(bundled, data_dir):
    """Its key in the log changes with the section; its earlier ticks are carried over
    (appended), so Today and Progress still count them."""
    log = CheckoffLog(data_dir / "checkoffs.csv")
    earlier = date(2026, 11, 20)
    log.record([Change(day, R1, "release/cat-cow", True) for day in (earlier, TODAY)])
    at = page()
    at.selectbox(key=EDIT).select("ex:release/cat-cow")
    run(at)
    (section,) = [s for s in at.selectbox if s.label == "Section"]
    section.select("stretch")
    press(at, "Save exercise")
    assert [plain(s.value) for s in at.success] == [
        "Saved Cat/cow stretch. 2 earlier ticks came with it."
    ]
    for day in (earlier, TODAY):
        assert log.day_state(day, R1) == {"release/cat-cow": True, "stretch/cat-cow": True}

    at.switch_page("pages/today.py")
    run(at)
    assert cards.ticked(at) == ["Cat/cow stretch"]
    assert cards.count(at) == "1 / 16 done"


def test_previous_versions_say_an_exercise_moved_between_sections(bundled, data_dir):
    library.update(
        data_dir,
        bundled,
        R1,
        lambda r, used: move_to_section(r, "release", "cat-cow", "stretch", used)[0],
    )
    at = page()
    at.selectbox(key=EDIT).select("versions")
    run(at)
    said = texts(at, "markdown")
    assert "- moves: Cat/cow stretch, from Stretch to Release" in said
    assert "removes" not in said and "adds back" not in said


def _dosed(bundled, data_dir) -> None:
    """Couch stretch as an imported note gives it: words, and the numbers they state."""
    couch = {"dose": "2 × 45 s each side", "sets": 2, "sides": 2, "hold_seconds": 45}
    library.update(
        data_dir,
        bundled,
        R1,
        lambda r, used: change_exercise(r, "stretch", "couch-stretch", couch),
    )


def test_new_dose_words_bring_their_numbers_and_the_form_says_what_runs(bundled, data_dir):
    _dosed(bundled, data_dir)
    at = page()
    at.selectbox(key=EDIT).select("ex:stretch/couch-stretch")
    run(at)
    assert any(c.startswith("Runs as 2 × 45 s each side, 10 s rest.") for c in texts(at, "caption"))
    field(at, "Dose").input("2 × 60 s each side")
    press(at, "Save exercise")
    couch = find_exercise(current(data_dir, bundled).active[0], "stretch", "couch-stretch")
    assert (couch.dose, couch.hold_seconds, couch.sets, couch.sides) == (
        "2 × 60 s each side",
        60,
        2,
        2,
    )
    assert [plain(s.value) for s in at.success] == [
        "Saved Couch stretch. Runs as 2 × 1 min each side, 10 s rest."
    ]
    assert field(at, "Hold (seconds)", "number_input").value == 60  # the form shows it too
    assert not texts(at, "warning")  # words and numbers agree


def test_a_number_changed_by_hand_holds_and_the_form_says_it_wins_over_the_words(bundled, data_dir):
    _dosed(bundled, data_dir)
    at = page()
    at.selectbox(key=EDIT).select("ex:stretch/couch-stretch")
    run(at)
    field(at, "Dose").input("2 × 60 s each side")
    field(at, "Hold (seconds)", "number_input").set_value(50)
    press(at, "Save exercise")
    couch = find_exercise(current(data_dir, bundled).active[0], "stretch", "couch-stretch")
    assert (couch.dose, couch.amounts.hold_seconds) == ("2 × 60 s each side", 50)
    said = (
        "Runs as 2 × 50 s each side, 10 s rest. The numbers win: hold 50 s, not the dose's 1 min."
    )
    assert [plain(s.value) for s in at.success] == [f"Saved Couch stretch. {said}"]
    assert texts(at, "warning") == ["The numbers win: hold 50 s, not the dose's 1 min."]


def test_an_empty_number_shows_what_the_dose_gives_it(bundled, data_dir):
    words = lambda r, used: change_exercise(r, "release", "wrist-stretches", {"dose": "3 × 30 s"})  # noqa: E731
    library.update(data_dir, bundled, R1, words)
    at = page()
    at.selectbox(key=EDIT).select("ex:release/wrist-stretches")
    run(at)
    shown = {w.label: w.proto.placeholder for w in at.number_input if w.value is None}
    assert shown == {
        "Sets": "3",
        "Reps": "none",
        "Sides (2: each side)": "none",
        "Hold (seconds)": "30",
        "Rest (seconds)": "10",  # timed between its sets, though the words state none
    }
    assert any("(a rest they do not state: 10 s)" in c.value for c in at.caption)


def import_note_text(name: str, text: str) -> AppTest:
    at = page("Import")
    at.file_uploader(key="hd_note_upload-0").upload(name, text.encode(), "text/markdown")
    return run(at)


def exercise_boxes(at: AppTest) -> list[str]:
    """The labels of the import's "What to import" box of each exercise."""
    return [plain(c.label) for c in at.checkbox if (c.key or "").startswith(keys.INCLUDE_EXERCISE)]


def dose_in_editor(at: AppTest, what: str) -> tuple[str, str]:
    """The import's editor opened on an exercise: its Dose field's value and grey text."""
    at.selectbox(key="hd-imp-0-what").select(what)
    run(at)
    dose_field = field(at, "Dose")
    return dose_field.value, dose_field.proto.placeholder


QUICK_TEST = """\
# Quick test

## Warm up
- Side bridge — 2 × 5 s each side
- Plank hold 8s

## Main
- Clamshell — 2 x 8
- Pigeon (5s left, 5s right)
"""


def test_an_imported_hold_in_the_title_is_shown_by_the_preview_and_the_editor(bundled, data_dir):
    """'Plank hold 8s' ran as an 8 s hold while the preview said "Plank" and the editor's
    Dose field was empty: both say what it runs now, as Today does (the hold is a number,
    the note's words are not rewritten), and the editor changes it."""
    at = import_note_text("Quick Test.md", QUICK_TEST)
    assert exercise_boxes(at) == [
        "Side bridge · 2 × 5 s each side",
        "Plank · hold 8 s",
        "Clamshell · 2 x 8",
        "Pigeon · 5s left, 5s right",
    ]
    assert dose_in_editor(at, "ex:warm-up/plank") == ("", "hold 8 s (from its numbers below)")
    assert field(at, "Hold (seconds)", "number_input").value == 8
    assert any(c.value.startswith("Runs as hold 8 s.") for c in at.caption)
    field(at, "Hold (seconds)", "number_input").set_value(12)
    press(at, "Apply to this import")
    assert [plain(s.value) for s in at.success] == [
        "Changed in this import: Plank. Runs as hold 12 s."
    ]
    assert "Plank · hold 12 s" in exercise_boxes(at)


def test_numbers_a_note_states_without_words_are_shown_as_today_words_them(bundled, data_dir):
    """A Dataview field or set ticks give numbers and no words: the preview says what they run
    (it said nothing), and the empty Dose field says it in grey (it gave an example)."""
    note = "# Holds\n\n- Bridge [hold:: 30]\n- Plank\n  - [ ] 30s\n  - [ ] 30s\n  - [ ] 30s\n"
    at = import_note_text("Holds.md", note)
    assert exercise_boxes(at) == ["Bridge · hold 30 s", "Plank · 3 × 30 s · 3 steps"]
    assert dose_in_editor(at, "ex:exercises/bridge") == ("", "hold 30 s (from its numbers below)")
