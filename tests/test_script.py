"""What a guided session does and says at each stop (`hipdash.script`), and the stops of a
routine with a circuit (`hipdash.guided_stops`): pure, on routines written here."""

from __future__ import annotations

import re
import textwrap

from hypothesis import given
from hypothesis import strategies as st

from hipdash import guided_stops, script
from hipdash.dose import Dose
from hipdash.importing import import_note
from hipdash.routines import load_routine, parse_routine

from .conftest import FUZZ, ROUTINE_1

ROUTINE = parse_routine(
    textwrap.dedent(
        """\
        id: mat
        title: On the mat
        sections:
          - id: warm
            title: Warm-up
            exercises:
              - {id: pigeon, title: Pigeon stretch, dose: "2 × 20 s each side"}
              - {id: bug, title: Dead bug, dose: "3 × 8"}
              - {id: walk, title: Walk around}
          - id: circuit
            title: Circuit
            rounds: 2
            rest_seconds: 15
            exercises:
              - {id: lunge, title: Low lunges, dose: "3 × 10"}
              - {id: plank, title: Plank, dose: "hold 30 s"}
        """
    )
)
STOPS = guided_stops.stops(ROUTINE)


def kinds(s: script.Script) -> list[tuple[str, str, int | None]]:
    return [(p.kind, p.label, p.seconds) for p in s.phases]


def test_a_timed_exercise_leads_in_switches_sides_and_rests_between_sets():
    pigeon = script.script(STOPS[0], STOPS[1])
    assert kinds(pigeon) == [
        ("lead", "Get ready · Set 1 of 2 · left side", 3),
        ("work", "Set 1 of 2 · left side", 20),
        ("switch", "Switch sides · Set 1 of 2 · right side", 3),
        ("work", "Set 1 of 2 · right side", 20),
        ("rest", "Rest", 10),
        ("lead", "Get ready · Set 2 of 2 · left side", 3),
        ("work", "Set 2 of 2 · left side", 20),
        ("switch", "Switch sides · Set 2 of 2 · right side", 3),
        ("work", "Set 2 of 2 · right side", 20),
    ]
    assert [p.say for p in pigeon.phases[:5]] == [
        "Set 1 of 2. Left side. Get ready.",
        "Go.",
        "Switch sides.",
        "Go.",
        "Rest, 10 seconds.",
    ]
    assert [p.set for p in pigeon.phases] == [1, 1, 1, 1, 1, 2, 2, 2, 2]  # Restart set
    assert pigeon.arrival == "Pigeon stretch. 2 sets of 20 seconds each side."
    assert pigeon.ending == "Next: Dead bug."
    assert pigeon.timed


def test_a_rep_exercise_is_one_tap_per_set():
    bug = script.script(STOPS[1], STOPS[2])
    assert kinds(bug) == [("tap", f"Set {n} of 3", None) for n in (1, 2, 3)]
    assert [p.action for p in bug.phases] == [f"Set {n} of 3 done" for n in (1, 2, 3)]
    assert bug.arrival == "Dead bug. 3 sets of 8."
    assert (bug.reps, bug.timed) == (8, False)
    # Just after the stop before said "Next: Dead bug.", its arrival leaves the title out.
    assert bug.named == script.script(STOPS[0], STOPS[1]).ending == "Next: Dead bug."
    assert bug.brief == "3 sets of 8."


def test_an_exercise_without_a_dose_has_no_phases():
    walk = script.script(STOPS[2], STOPS[3])
    assert walk.phases == () and walk.arrival == "Walk around."
    assert walk.brief == ""  # named a moment ago: nothing more to say


def test_a_circuit_runs_every_exercise_once_a_round_with_its_rest_between():
    assert [(s.id, s.position) for s in STOPS[3:]] == [
        ("circuit/lunge@1", "Circuit · round 1 of 2 · 4 of 7"),
        ("circuit/plank@1", "Circuit · round 1 of 2 · 5 of 7"),
        ("circuit/lunge@2", "Circuit · round 2 of 2 · 6 of 7"),
        ("circuit/plank@2", "Circuit · round 2 of 2 · 7 of 7"),
    ]
    assert [s.last_round for s in STOPS[3:]] == [False, False, True, True]
    first = script.script(STOPS[3], STOPS[4])
    assert first.phases == ()  # its first exercise: no rest before it; one set a round: Done
    assert first.arrival == "Low lunges. Round 1 of 2. 10 reps."
    assert first.brief == "Round 1 of 2. 10 reps."
    plank = script.script(STOPS[4], STOPS[5])
    assert kinds(plank) == [
        ("rest", "Rest · next: Plank", 15),
        ("lead", "Get ready · Round 1 of 2", 3),
        ("work", "Round 1 of 2", 30),
    ]
    # The round is said once, on arrival ("Plank. Round 1 of 2. 30 seconds."): not again
    # in "Get ready" a moment later.
    assert [p.say for p in plank.phases] == ["Rest, 15 seconds.", "Get ready.", "Go."]
    lunge = script.script(STOPS[5], STOPS[6])  # round 2: a rest, then a tap for the round
    assert kinds(lunge) == [("rest", "Rest · next: Low lunges", 15), ("tap", "Low lunges", None)]
    assert lunge.phases[1].action == "Done"
    assert script.script(STOPS[6]).ending == ""  # the last: the finish speaks


def test_spoken_doses_and_durations():
    assert script.spoken_dose(Dose(sets=3, reps=8)) == "3 sets of 8"
    assert script.spoken_dose(Dose(sets=3, sides=2, hold_seconds=20)) == (
        "3 sets of 20 seconds each side"
    )
    assert script.spoken_dose(Dose(hold_seconds=300)) == "5 minutes"
    assert script.spoken_dose(Dose(reps=1)) == "1 rep"
    assert script.spoken_dose(Dose(sets=2)) == "2 sets"
    assert script.spoken_dose(Dose()) == ""
    assert script.seconds_words(90) == "1 minute 30 seconds"
    assert script.seconds_words(1) == "1 second"
    assert script.finish_words("Session counted", "2 of 3 this week") == (
        "Session counted. 2 of 3 this week."
    )


def test_resume_at_the_screen_shown_last_else_the_first_not_done():
    state = {"warm/pigeon": True}
    assert guided_stops.resume(STOPS, state, "circuit/plank@2") == 6
    assert guided_stops.resume(STOPS, state, guided_stops.FINISH) == len(STOPS)
    assert guided_stops.resume(STOPS, state, "warm/gone") == 1  # no longer in the routine
    assert guided_stops.resume(STOPS, state, None) == 1


def test_the_exercises_left_undone_each_with_the_screen_to_go_back_to():
    state = {"warm/pigeon": True, "circuit/plank": True}
    assert [(i, s.id) for i, s in guided_stops.undone(STOPS, state)] == [
        (1, "warm/bug"),
        (2, "warm/walk"),
        (5, "circuit/lunge@2"),  # a circuit's: its last round, where Done ticks it
    ]


def test_words_from_a_note_are_spoken_as_one_tidy_sentence():
    """A title is the note's own line: "…in the following video:" was said ":."."""
    routine = load_routine(ROUTINE_1)
    all_stops = guided_stops.stops(routine)
    (i,) = [n for n, s in enumerate(all_stops) if s.exercise.title.endswith("video:")]
    before, video = script.script(all_stops[i - 1], all_stops[i]), script.script(all_stops[i])
    assert before.ending == "Next: The four exercises demonstrated in the following video."
    assert video.arrival == (  # and its steps, as the screen lists them
        "The four exercises demonstrated in the following video. Dead bug. Side plank "
        "clamshell. Leg extension to side. Unassisted hip airplane."
    )
    assert (
        video.brief
        == "Dead bug. Side plank clamshell. Leg extension to side. Unassisted hip airplane."
    )
    assert script.sentence("Why now?") == "Why now?"
    assert script.sentence("Squats!!  ,") == "Squats!"
    assert script.sentence("Bridge ;. hold , , then rest…") == "Bridge. hold, then rest."


def test_a_long_list_of_steps_is_said_in_part_with_how_many_more():
    steps = ", ".join(f"{{id: s{n}, title: Step {n}}}" for n in range(1, 10))
    routine = parse_routine(
        "id: r\ntitle: R\nsections:\n  - id: a\n    title: A\n    exercises:\n"
        f"      - {{id: flow, title: Flow, dose: '3 × 5', steps: [{steps}]}}\n"
    )
    said = script.script(guided_stops.stops(routine)[0]).arrival
    shown = " ".join(f"Step {n}." for n in range(1, script.STEPS_SAID + 1))
    assert said == f"Flow. {shown} And {9 - script.STEPS_SAID} more. 3 sets of 5."


def test_a_group_s_steps_are_said_with_the_doses_the_note_gave_them():
    """A note's group, each step with its own dose ("- Dead bug — 3 × 10"): hands-free,
    each step is heard with its dose; notes that are prose are for reading, not said."""
    note = textwrap.dedent(
        """\
        ## Strength
        - The four exercises:
            - Dead bug — 3 × 10
            - Side plank clamshell — 30 s each side
            - Hip airplane (keep the standing knee soft and the pelvis level, 5 each)
            - Leg extension to side — slowly, 2 seconds out
        """
    )
    routine = import_note(note).routine
    (stop,) = guided_stops.stops(routine)
    assert [s.notes for s in stop.exercise.steps][:2] == ["3 × 10", "30 s each side"]
    assert stop.exercise.steps[3].notes == "slowly, 2 seconds out"  # a pace: not a 2 s hold
    assert script.script(stop).arrival == (
        "The four exercises. Dead bug. 3 sets of 10. Side plank clamshell. 30 seconds each "
        "side. Hip airplane. Leg extension to side."
    )


def test_a_circuit_says_an_exercises_steps_in_its_first_round_after_the_round():
    routine = parse_routine(
        "id: r\ntitle: R\nsections:\n  - id: a\n    title: A\n    rounds: 2\n"
        "    exercises:\n      - {id: flow, title: Flow, dose: '5 reps', "
        "steps: [{id: up, title: Up}, {id: down, title: Down}]}\n"
    )
    first, second = (script.script(stop).arrival for stop in guided_stops.stops(routine))
    assert first == "Flow. Round 1 of 2. Up. Down. 5 reps."
    assert second == "Flow. Round 2 of 2. 5 reps."


def test_a_dose_of_several_holds_names_each_as_the_guided_session_does():
    two_sides = Dose(2, None, 2, 45)
    assert script.holds(two_sides) == [
        "Set 1 of 2 · left side",
        "Set 1 of 2 · right side",
        "Set 2 of 2 · left side",
        "Set 2 of 2 · right side",
    ]
    assert script.holds(two_sides, circuit=True) == ["Left side", "Right side"]  # a round
    assert script.holds(Dose(3, None, None, 20)) == ["Set 1 of 3", "Set 2 of 3", "Set 3 of 3"]
    assert script.holds(Dose(None, None, None, 60)) == []  # one hold: nothing to name
    assert script.holds(Dose(3, 8, None, None)) == []  # reps: no countdown


MARKS = ".,;:!?…"


@FUZZ
@given(st.text(alphabet=f"ab1 \t{MARKS}-", max_size=30))
def test_a_spoken_sentence_never_doubles_its_punctuation(words):
    said = script.sentence(words)
    assert not re.search(rf"[{MARKS}]\s*[{MARKS}]", said), said
    assert re.sub(r"[^ab1]", "", said) == re.sub(r"[^ab1]", "", words)  # no word lost
    assert said == "" or said.endswith((".", "?", "!"))
