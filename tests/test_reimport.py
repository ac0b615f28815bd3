"""Re-importing a changed note keeps the ids (and so the history) of what is still there."""

from __future__ import annotations

from pathlib import Path

from hipdash.importing.build import import_note
from hipdash.importing.reimport import Changes, compare, keep_ids, normalise
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
    assert compare(routine1, kept) == Changes(
        added=(
            "strengthen/hip-strength-four/glute-bridge (Glute bridge)",
            "strengthen/bird-dog (Bird dog)",
        ),
        removed=("release/wrist-stretches (Wrist stretches)",),
        changed=(
            "routine: summary, schedule",
            "stretch/couch-stretch: title",
            "stretch/pigeon-pose-good-mornings: notes",
        ),
    )


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
    assert compare(old, kept).removed == ("moves/squat (Squat jumps)",)


def test_titles_match_ignoring_case_punctuation_and_spacing():
    assert normalise("Couch  stretch:") == normalise("couch stretch") == "couch stretch"
    assert normalise("Cat/cow stretch") != normalise("Cat cow stretches")
