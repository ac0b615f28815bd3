"""Pure edits of a routine (hipdash.library.edits): ids kept, new ids without history."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hipdash.library.edits import (
    Draft,
    EditError,
    StepChanges,
    add_exercise,
    add_section,
    change_exercise,
    change_routine,
    change_section,
    change_steps,
    changed_fields,
    find_exercise,
    keys_of,
    links_from,
    links_text,
    move_exercise,
    move_section,
    move_to_section,
    remove_exercise,
    remove_section,
    video_from,
)
from hipdash.models import Exercise, Link, Schedule, Step
from hipdash.routines import dump_routine, parse_routine


def valid(routine):
    """The edited routine passes the loader's own checks and reads back unchanged."""
    assert parse_routine(dump_routine(routine)) == routine
    return routine


def test_renames_keep_every_id_and_so_the_history(routine1):
    edited = change_section(routine1, "release", {"title": "Loosen up"})
    edited = change_exercise(edited, "release", "cat-cow", {"title": "Cat and cow", "dose": "10"})
    assert valid(edited).item_keys == routine1.item_keys
    assert edited.sections[0].title == "Loosen up"
    assert find_exercise(edited, "release", "cat-cow").title == "Cat and cow"
    assert (
        find_exercise(edited, "release", "cat-cow").video
        == find_exercise(routine1, "release", "cat-cow").video
    )  # fields not given stay as they were


def test_a_section_becomes_a_circuit_and_keeps_its_title_and_ids(routine1):
    edited = valid(change_section(routine1, "strengthen", {"rounds": 3, "rest_seconds": 20}))
    section = edited.sections[1]
    assert (section.title, section.rounds, section.rest_seconds) == ("Strengthen", 3, 20)
    assert edited.item_keys == routine1.item_keys
    back = valid(change_section(edited, "strengthen", {"rounds": None}))
    assert (back.sections[1].rounds, back.sections[1].rest_seconds) == (None, 20)
    with pytest.raises(ValueError, match="not section fields"):
        change_section(routine1, "strengthen", {"exercises": ()})


def test_a_change_applies_to_the_routine_as_it_is_now_not_as_the_form_saw_it(routine1):
    form_saw = find_exercise(routine1, "release", "cat-cow")
    meanwhile = change_exercise(routine1, "release", "cat-cow", {"notes": "slowly"})
    after_form = replace(form_saw, dose="2 × 10")
    edited = change_exercise(meanwhile, "release", "cat-cow", changed_fields(form_saw, after_form))
    saved = find_exercise(edited, "release", "cat-cow")
    assert (saved.dose, saved.notes) == ("2 × 10", "slowly")  # both changes survive


def test_an_exercise_removed_elsewhere_is_a_clear_error(routine1):
    gone = remove_exercise(routine1, "release", "cat-cow")
    with pytest.raises(EditError, match="no longer in this section"):
        change_exercise(gone, "release", "cat-cow", {"title": "x"})
    with pytest.raises(EditError, match="section is no longer"):
        change_section(routine1, "nope", {"title": "x"})


def test_empty_titles_are_refused(routine1):
    with pytest.raises(EditError, match="An exercise needs a title"):
        change_exercise(routine1, "release", "cat-cow", {"title": "  "})
    with pytest.raises(EditError, match="The routine needs a title"):
        change_routine(routine1, {"title": ""})


def test_title_summary_and_target(routine1):
    edited = change_routine(
        routine1, {"title": "Hips", "summary": "Short.", "schedule": Schedule(4, 25)}
    )
    assert valid(edited).schedule.summary == "Target: 4 sessions a week · about 25 minutes"
    assert (edited.title, edited.summary) == ("Hips", "Short.")


def test_reorder_sections_and_exercises(routine1):
    edited = move_section(routine1, "stretch", -1)
    assert [s.id for s in edited.sections] == ["release", "stretch", "strengthen"]
    assert move_section(edited, "release", -1) == edited  # already first: unchanged
    edited = move_exercise(edited, "release", "cat-cow", -1)
    ids = [e.id for e in edited.sections[0].exercises]
    assert ids.index("cat-cow") == ids.index("wrist-stretches") - 1
    assert sorted(valid(edited).item_keys) == sorted(routine1.item_keys)


def test_a_new_exercise_never_takes_an_id_with_history(routine1):
    # "cat-cow" was removed, but its ticks are in the log: a new "Cat cow" must not inherit them.
    without = remove_exercise(routine1, "release", "cat-cow")
    used = keys_of(routine1)
    added, new_id = add_exercise(without, "release", Exercise("", "Cat cow"), used)
    assert new_id == "cat-cow-2"
    assert f"release/{new_id}" in valid(added).item_keys
    # With no history, the plain id is used.
    _, plain = add_exercise(without, "release", Exercise("", "Cat cow"), keys_of(without))
    assert plain == "cat-cow"


def test_a_new_section_comes_with_its_first_exercise(routine1):
    edited = add_section(routine1, "Cool down", "Walk", keys_of(routine1))
    assert valid(edited).sections[-1].id == "cool-down"
    assert edited.item_keys[-1] == "cool-down/walk"
    again = add_section(routine1, "Release", "Walk", keys_of(routine1))
    assert again.sections[-1].id == "release-2"


def test_steps_renamed_keep_their_id_and_new_ones_get_fresh_ids(routine1):
    changes = StepChanges(
        renamed={"dead-bug": ("Dead bug, slow", "")},
        removed=frozenset({"unassisted-hip-airplane"}),
        added=(("Dead bug", "new one"),),
    )
    edited = change_steps(routine1, "strengthen", "hip-strength-four", changes, keys_of(routine1))
    steps = find_exercise(valid(edited), "strengthen", "hip-strength-four").steps
    assert [(s.id, s.title) for s in steps] == [
        ("dead-bug", "Dead bug, slow"),
        ("side-plank-clamshell", "Side plank clamshell"),
        ("leg-extension-to-side", "Leg extension to side"),
        ("dead-bug-2", "Dead bug"),
    ]
    # The removed airplane's id has history: a new "Unassisted hip airplane" gets another.
    back = change_steps(
        edited,
        "strengthen",
        "hip-strength-four",
        StepChanges({}, added=(("Unassisted hip airplane", ""),)),
        keys_of(routine1),
    )
    assert find_exercise(back, "strengthen", "hip-strength-four").steps[-1].id == (
        "unassisted-hip-airplane-2"
    )


def test_move_an_exercise_to_another_section(routine1):
    edited, new_id = move_to_section(routine1, "release", "cat-cow", "stretch", keys_of(routine1))
    assert new_id == "cat-cow"
    assert "stretch/cat-cow" in valid(edited).item_keys
    assert "release/cat-cow" not in edited.item_keys
    # A clash in the target section gets a fresh id; the last exercise leaves no empty section.
    lone = add_section(routine1, "Cool down", "Cat cow", keys_of(routine1))
    moved, lone_id = move_to_section(lone, "cool-down", "cat-cow", "release", keys_of(lone))
    assert lone_id == "cat-cow-2"
    assert [s.id for s in valid(moved).sections] == ["release", "strengthen", "stretch"]


def test_the_last_exercise_or_section_cannot_be_removed(routine1):
    lone = add_section(routine1, "Cool down", "Walk", keys_of(routine1))
    with pytest.raises(EditError, match="only exercise in Cool down: remove the section"):
        remove_exercise(lone, "cool-down", "walk")
    assert [s.id for s in remove_section(lone, "cool-down").sections] == [
        s.id for s in routine1.sections
    ]
    one = replace(routine1, sections=routine1.sections[:1])
    with pytest.raises(EditError, match="delete the routine instead"):
        remove_section(one, "release")


@pytest.mark.parametrize(
    ("url", "video_id", "start"),
    [
        ("https://youtu.be/fcnv4gyMzf8?t=45s", "fcnv4gyMzf8", 45),
        ("youtube.com/watch?v=DzJmhyhP-Kw", "DzJmhyhP-Kw", None),
        ("https://www.youtube.com/shorts/5nbiroAor8c", "5nbiroAor8c", None),
    ],
)
def test_a_video_link_is_checked_by_the_youtube_parser(url, video_id, start):
    video = video_from(url, "  Cat   cow ", None)
    assert (video.video_id, video.start, video.title) == (video_id, start, "Cat cow")


@pytest.mark.parametrize(
    "url", ["https://vimeo.com/1234", "javascript:alert(1)", "https://youtu.be/short"]
)
def test_a_bad_video_link_says_what_a_good_one_looks_like(url):
    with pytest.raises(EditError, match="is not a YouTube video link .for example https://youtu"):
        video_from(url, "", None)


def test_an_unchanged_video_link_keeps_its_description(routine1):
    before = find_exercise(routine1, "release", "cat-cow").video
    after = video_from(before.url, "New title", before)
    assert (after.description, after.title) == (before.description, "New title")
    assert video_from("", "x", before) is None


def test_links_from_the_forms_lines_and_back():
    text = "Cue sheet https://example.com/a\n- [Demo](https://example.com/b)\nhttps://x.org/c\n"
    links = links_from(text)
    assert links == (
        Link("Cue sheet", "https://example.com/a"),
        Link("Demo", "https://example.com/b"),
        Link("https://x.org/c", "https://x.org/c"),
    )
    assert links_from(links_text(links)) == links
    with pytest.raises(EditError, match="line 2: “see javascript:alert.1.” does not end"):
        links_from("ok https://a.b\nsee javascript:alert(1)")


def test_a_draft_leaves_out_what_was_unticked_and_keeps_ids(routine1):
    draft = Draft(routine1).keep("strengthen", False).keep("release/cat-cow", False)
    result = valid(draft.result())
    assert [s.id for s in result.sections] == ["release", "stretch"]
    assert "release/cat-cow" not in result.item_keys
    assert set(result.item_keys) < set(routine1.item_keys)
    assert draft.keep("strengthen", True).result().sections[1].id == "strengthen"
    renamed = draft.edited(change_section(draft.routine, "stretch", {"title": "Stretches"}))
    assert renamed.result().sections[-1].title == "Stretches"
    everything = Draft(routine1, frozenset(s.id for s in routine1.sections))
    with pytest.raises(EditError, match="nothing is left to save"):
        everything.result()


def test_a_new_exercise_with_steps_gets_step_ids(routine1):
    new = Exercise("", "Lunges", steps=(Step("", "Left"), Step("", "Left")))
    edited, new_id = add_exercise(routine1, "stretch", new, keys_of(routine1))
    steps = find_exercise(valid(edited), "stretch", new_id).steps
    assert [s.id for s in steps] == ["left", "left-2"]
