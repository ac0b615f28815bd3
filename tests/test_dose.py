"""`hipdash.dose`: every dose form in the user's note, our fixtures and the README, read
into sets, reps, sides, hold and rest; explicit fields win over the words."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hipdash import dose
from hipdash.dose import Dose
from hipdash.models import Exercise

NOTES = Path(__file__).parent / "fixtures" / "notes"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # The README's forms (the import table and Today's hold countdowns)
        ("3 × 20 s each side", Dose(sets=3, sides=2, hold_seconds=20)),
        ("3 × 8 each leg", Dose(sets=3, reps=8, sides=2)),
        ("3 x 12", Dose(sets=3, reps=12)),
        ("hold 60 s", Dose(hold_seconds=60)),
        ("2 × 1 min", Dose(sets=2, hold_seconds=60)),
        # Our fixtures' forms
        ("5 minutes", Dose(hold_seconds=300)),
        ("2 minutes", Dose(hold_seconds=120)),
        ("10 reps", Dose(reps=10)),
        ("each side", Dose(sides=2)),
        ("hold 30 s each side", Dose(sides=2, hold_seconds=30)),
        ("2 × 30 s each side", Dose(sets=2, sides=2, hold_seconds=30)),
        ("3 × 30 s each side", Dose(sets=3, sides=2, hold_seconds=30)),
        ("3 × 12 each side", Dose(sets=3, reps=12, sides=2)),
        ("2 × 15 each side", Dose(sets=2, reps=15, sides=2)),
        ("3 × 8", Dose(sets=3, reps=8)),
        ("10 each way", Dose(reps=10, sides=2)),
        # Sub-bullets that are only a dose
        ("15x3", Dose(sets=3, reps=15)),  # reps × sets: the larger number is the reps
        ("10-15x3", Dose(sets=3, reps=10)),  # a range counts from its lower end
        ("30 s", Dose(hold_seconds=30)),
        ("30s", Dose(hold_seconds=30)),
        ("3x30s", Dose(sets=3, hold_seconds=30)),
        # More forms people write
        ("2 sets of 10", Dose(sets=2, reps=10)),
        ("2 rounds", Dose(sets=2)),
        ("8-10 reps", Dose(reps=8)),
        ("hold for 20-30 seconds", Dose(hold_seconds=20)),
        ("3 × 20-30 s", Dose(sets=3, hold_seconds=20)),
        ("3 × 8, 60 s rest", Dose(sets=3, reps=8, rest_seconds=60)),
        ("5 min each side", Dose(sides=2, hold_seconds=300)),
        ("", Dose()),
        ("slowly", Dose()),
    ],
)
def test_dose_words_are_read_into_their_parts(words, expected):
    assert dose.parse(words) == expected


def _fixture_doses() -> list[tuple[str, str, dict]]:
    """(note, exercise, its data) for every exercise with a dose in the expected routines."""
    out = []
    for path in sorted((NOTES / "expected").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in data["sections"]:
            out += [(path.name, e["title"], e) for e in section["exercises"] if e.get("dose")]
    return out


@pytest.mark.parametrize(("note", "title", "exercise"), _fixture_doses())
def test_every_fixture_dose_gives_exactly_its_explicit_fields(note, title, exercise):
    """The importer writes what `parse` reads; a field the words do not state comes only
    from the title ("Wall sit, hold 60 s") or the heading ("Cool down: 2 sets")."""
    said = dose.parse(exercise["dose"])
    stated = {name: exercise.get(name) for name in dose.FIELDS}
    for name in ("hold_seconds", "sets", "rest_seconds"):
        if getattr(said, name) is None:
            stated[name] = None
    assert Dose(**stated) == said, (note, title)


def test_the_fixtures_cover_every_form_the_brief_names():
    doses = {exercise["dose"] for _, _, exercise in _fixture_doses()}
    assert {"3 × 20 s each side", "3 × 8 each leg", "3 x 12", "5 minutes", "2 minutes"} <= doses
    assert {"10 reps", "hold 30 s each side", "15x3", "10-15x3", "3 × 8"} <= doses


def test_a_hold_is_found_where_it_is_written():
    text = "Wall sit, hold 60 s, back flat"
    start, end, seconds = dose.find_hold(text)
    assert (text[start:end], seconds) == ("hold 60 s", 60)
    assert dose.find_hold("Plank 30 s hold")[2] == 30
    assert dose.find_hold("Wall sit (hold 2 min)")[2] == 120
    assert dose.find_hold("Squat 3 × 8") is None
    assert dose.find_hold("hold 9999 min") is None  # beyond an hour: not a hold


def test_explicit_fields_win_over_the_words():
    words = "3 × 20 s each side"
    explicit = Dose(sets=2, hold_seconds=45)
    merged = dose.parse(words).merged(explicit)
    assert merged == Dose(sets=2, sides=2, hold_seconds=45)


def test_an_exercise_takes_its_fields_and_else_its_words():
    from_words = Exercise("clamshell", "Clamshell", dose="3 × 20 s each side")
    assert from_words.amounts == Dose(sets=3, sides=2, hold_seconds=20)
    stated = Exercise("clamshell", "Clamshell", dose="3 × 20 s each side", sets=1, sides=1)
    assert stated.amounts == Dose(sets=1, sides=1, hold_seconds=20)
    assert from_words.dose_stated and stated.dose_stated
    assert Exercise("x", "X", reps=5).dose_stated
    assert not Exercise("x", "X").dose_stated


def test_the_quick_doses_read_back_as_what_they_say():
    assert [dose.parse(words) for words in dose.QUICK] == [
        Dose(hold_seconds=30),
        Dose(hold_seconds=45),
        Dose(hold_seconds=60),
        Dose(sides=2, hold_seconds=30),
        Dose(sets=3, reps=10),
    ]
    assert dose.parse(dose.NO_TIMER) == Dose()


# An edit of a dose: the words and the explicit numbers never silently disagree after it
# (docs/decisions.md). `edited(words before, numbers before, words typed, numbers typed)`.
IMPORTED = Dose(sets=2, sides=2, hold_seconds=45)  # what an import stores for its words


@pytest.mark.parametrize(
    ("words", "typed", "kept"),
    [
        # New words, numbers left: the numbers the words stated follow them.
        ("2 × 60 s each side", IMPORTED, Dose(sets=2, sides=2, hold_seconds=60)),
        ("3 × 45 s", IMPORTED, Dose(sets=3, hold_seconds=45)),  # "each side" gone: sides go
        ("3 × 10", IMPORTED, Dose(sets=3)),  # no hold or sides in the words: none kept
        # A number changed by the person holds, whatever the words say.
        ("2 × 60 s each side", Dose(2, None, 2, 50), Dose(sets=2, sides=2, hold_seconds=50)),
        ("2 × 45 s each side", Dose(2, None, 2, 60), Dose(sets=2, sides=2, hold_seconds=60)),
        # The same words (spacing aside): the numbers as typed.
        ("2 ×  45 s each side ", IMPORTED, IMPORTED),
    ],
)
def test_an_edit_keeps_the_numbers_the_person_changed_and_the_rest_follow_the_words(
    words, typed, kept
):
    assert dose.edited("2 × 45 s each side", IMPORTED, words, typed) == kept


def test_numbers_the_words_never_stated_stay_and_empty_ones_stay_empty():
    before = Dose(sets=3, reps=10, rest_seconds=30)  # rest 30: a number of its own
    assert dose.edited("3 × 10", before, "3 × 12", before) == Dose(3, 12, rest_seconds=30)
    assert dose.edited("3 × 10", Dose(), "3 × 12", Dose()) == Dose()  # the words decide
    now = Exercise("x", "X", dose="3 × 12", **vars(dose.edited("3 × 10", before, "3 × 12", before)))
    assert now.amounts == Dose(sets=3, reps=12, rest_seconds=30)
    assert not now.explicit.against(now.dose)


def test_what_the_numbers_say_against_the_words_and_what_a_session_runs():
    assert Dose(sets=2, sides=2, hold_seconds=50).against("2 × 60 s each side") == (
        ("hold_seconds", 50, 60),
    )
    assert Dose(rest_seconds=30).against("3 × 10") == ()  # the words say no rest
    assert dose.runs_as(Dose(sets=2, sides=2, hold_seconds=45)) == "2 × 45 s each side, 10 s rest"
    assert dose.runs_as(Dose(sets=3, hold_seconds=30, rest_seconds=0)) == "3 × 30 s, no rest"
    assert dose.runs_as(Dose(sets=3, reps=10, rest_seconds=60)) == "3 × 10"  # taps: no timer
    assert dose.runs_as(Dose(hold_seconds=300)) == "hold 5 min"
    assert dose.runs_as(Dose()) == ""
