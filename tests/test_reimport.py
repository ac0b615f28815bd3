"""Re-importing a changed note keeps the ids (and so the history) of what is still there."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from hipdash import dose
from hipdash.importing.build import import_note
from hipdash.importing.reimport import Changes, compare, keep_ids, normalise
from hipdash.library.edits import change_exercise
from hipdash.models import Exercise
from hipdash.routines import parse_routine

NOTE = Path(__file__).parent / "fixtures" / "notes" / "hip-therapy-routine-1.md"


def changed_note() -> str:
    text = NOTE.read_text(encoding="utf-8")
    edits = [
        ("three times a week", "twice a week"),
        ("- Wrist stretches\n", ""),
        ("- couch stretch", "- Kneeling couch stretch"),
        ("    - Unassisted hip airplane\n", "    - Unassisted hip airplane\n    - Glute bridge\n"),
        (
            "- Pistol squat preparation with height",
            "- Bird dog — 2 x 10\n- Pistol squat preparation with height",
        ),
        ("(standing with support)", "(standing, with support)"),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_a_changed_note_keeps_the_ids_of_what_is_still_there(routine1):
    fresh = import_note(changed_note(), NOTE.name).routine
    kept = keep_ids(fresh, routine1)
    old_keys = set(routine1.item_keys)
    assert set(kept.item_keys) - old_keys == {
        "strengthen/bird-dog",
        "strengthen/hip-strength-four/glute-bridge",
    }
    assert old_keys - set(kept.item_keys) == {"release/wrist-stretches"}
    couch = kept.sections[2].exercises[1]
    assert (couch.id, couch.title) == ("couch-stretch", "Kneeling couch stretch")  # by its video
    assert kept.sections[1].exercises[0].id == "hip-strength-four"  # by its title


def test_what_a_reimport_changes_is_reported(routine1):
    kept = keep_ids(import_note(changed_note(), NOTE.name).routine, routine1)
    four = routine1.sections[1].exercises[0].title
    assert compare(routine1, kept) == Changes(
        added=(f"Glute bridge, in {four}", "Bird dog, in Strengthen"),
        removed=("Wrist stretches, in Release",),
        changed=(
            "The routine: summary changed; target 3 → 2 sessions a week",
            "Couch stretch: renamed “Kneeling couch stretch”",
            "Pigeon pose good mornings: notes changed",
        ),
    )


def test_changes_are_said_with_titles_and_values_never_ids_or_field_names(routine1):
    """As "Your note changed" shows them on a phone: the dose old → new, as its words."""

    def edited(routine, section: str, exercise: str, **changes):
        return change_exercise(routine, section, exercise, changes)

    new = edited(routine1, "release", "wrist-stretches", dose="2 × 30 s", sets=2, hold_seconds=30)
    new = edited(new, "release", "cat-cow", optional=True, notes="slowly")
    new = edited(
        new, "stretch", "couch-stretch", title="Couch, kneeling", dose="2 × 45 s each side"
    )
    assert compare(routine1, new).lines() == [
        "Wrist stretches: no dose → 2 × 30 s",
        "Cat/cow stretch: now optional; new notes",
        "Couch stretch: renamed “Couch, kneeling”; no dose → 2 × 45 s each side",
    ]
    newer = edited(new, "release", "wrist-stretches", dose="3 × 30 s", sets=3)
    assert compare(new, newer).lines() == ["Wrist stretches: 2 × 30 s → 3 × 30 s"]
    held = edited(newer, "stretch", "couch-stretch", hold_seconds=60)  # the words stay
    assert compare(newer, held).lines() == [
        "Couch, kneeling: runs 2 × 45 s each side → 2 × 1 min each side"
    ]


def test_the_changes_say_every_field_an_exercise_has():
    """A new field of an exercise must be said by `compare` (in `_exercise_change`)."""
    said = {"id", "steps", "title", "dose", *dose.FIELDS, "optional", "notes", "video"}
    assert {f.name for f in fields(Exercise)} == said | {"links", "image"}


def test_reimporting_the_same_note_changes_nothing(routine1):
    kept = keep_ids(import_note(NOTE.read_text(encoding="utf-8"), NOTE.name).routine, routine1)
    assert not compare(routine1, kept)


def test_a_new_item_never_takes_the_id_of_a_removed_one():
    old = parse_routine(
        """
id: r
title: R
sections:
  - id: moves
    title: Moves
    exercises:
      - {id: squat, title: Squat jumps}
      - {id: lunge, title: Lunge, steps: [{id: left, title: Left leg}]}
"""
    )
    new = import_note("## Moves\n- Squat\n- Lunge\n    - Left\n    - Left leg\n", "r.md").routine
    kept = keep_ids(new, old)
    squat, lunge = kept.sections[0].exercises
    assert (squat.id, lunge.id) == ("squat-2", "lunge")
    assert [(s.id, s.title) for s in lunge.steps] == [("left-2", "Left"), ("left", "Left leg")]
    assert compare(old, kept).removed == ("Squat jumps, in Moves",)


def test_titles_match_ignoring_case_punctuation_and_spacing():
    assert normalise("Couch  stretch:") == normalise("couch stretch") == "couch stretch"
    assert normalise("Cat/cow stretch") != normalise("Cat cow stretches")


def test_a_renamed_heading_keeps_its_sections_ids_and_its_exercises(routine1):
    """Matched by its exercises, though the routine's ids are not the ones an import of
    the note would choose (`cat-cow`, not `cat-cow-stretch`): with one exercise changed
    in the same edit too."""
    text = NOTE.read_text(encoding="utf-8")
    for old, new in (("### Release", "### Warm-up release"), ("- Wrist stretches\n", "")):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    kept = keep_ids(import_note(text, NOTE.name).routine, routine1)
    assert set(routine1.item_keys) - set(kept.item_keys) == {"release/wrist-stretches"}
    assert set(kept.item_keys) <= set(routine1.item_keys)
    assert compare(routine1, kept) == Changes(
        removed=("Wrist stretches, in Release",),
        changed=("Release: renamed “Warm-up release”",),
    )
