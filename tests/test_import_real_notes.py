"""Real notes read precisely: doses in brackets or at the end of a line, a heading's dose
phrase, a later list of videos in other words, links that only label, `[[A]] or [[B]]`, and
schedule phrases. Each rule has a note of its own in tests/fixtures/notes/ (its routine in
expected/, its warnings in tests/test_notes.py) and here every decision the preview shows,
with its line; then each rule on a few lines with the exact YAML it gives."""

from __future__ import annotations

import textwrap

import pytest

from hipdash.importing import text as notetext
from hipdash.importing.build import import_note
from hipdash.routines import routine_to_data

from .conftest import PROJECT, plain

NOTES = PROJECT / "tests" / "fixtures" / "notes"

DECISIONS = {
    "Lunchtime Mobility.md": [
        "line 7: “Three times a week” read as the target: 3 sessions a week",
        "line 10: “(30s left, 30s right)” after “Neck rolls” read as its dose",
        "line 12: “1 min” at the end of “March in place” read as its dose",
        "line 16: “60 sec” at the end of “Dead hang” read as its dose",
        "line 17: “10-15 reps” at the end of “Goblet squat” read as its dose",
        "line 18: “(2 x 12 each side)” after “Side-lying leg raise” read as its dose",
    ],
    "hip-circuit-reddit.md": [
        "line 3: “every other day” read as the target: 3 sessions a week",
        "line 5: heading “4 Move Hip Circuit: 20s rests, 2 sets”: a circuit of 2 rounds, "
        "20 s rest between its exercises",
        "line 7: “(30s)” after “90/90 switches” read as its dose",
        "line 8: “(45s)” after “Frog rocks” read as its dose",
        "line 9: “(30s left, 30s right)” after “Cossack squat” read as its dose",
        "line 10: “(60s each side)” after “Pigeon” read as its dose",
        "line 12: heading “Finisher: 3 rounds”: a circuit of 3 rounds",
        "line 14: “15 reps” at the end of “Glute bridge” read as its dose",
        "line 15: “10 each side” at the end of “Bird dog” read as its dose",
        "line 17: heading “Cool down: 2 sets”: 2 sets for each exercise that says none",
        "line 19: “1 min” at the end of “Child's pose” read as its dose",
    ],
    "squat-day-mobility.md": [
        "line 1: “2x/week” read as the target: 2 sessions a week",
        "line 11: “Low lunge” again, with a video: given to the exercise on line 3",
        "line 12: “Dead-bug hold” (“Isometric dead bugs”), with a video: given to the "
        "exercise on line 4",
        "line 13: “Couch stretch” again, with a video: given to the exercise on line 5",
        "line 14: “Clamshell” (“Side-lying clamshells”), with a video: given to the exercise "
        "on line 6",
        "line 15: “Worlds greatest stretch” (“World's greatest stretch”), with a video: given "
        "to the exercise on line 7",
    ],
    "Hip Flexor Stuff.md": [
        "line 4: “Twice a week” read as the target: 2 sessions a week",
        "line 8: link “gifs” is one of the links of “Rear-foot-elevated hip flexor stretch”, "
        "not its title",
        "line 9: “emmet louis video” read as a video of the item above, not a step",
        "line 10: link “Guide” is one of the links of “Half-kneeling hip flexor stretch”, "
        "not its title",
        "line 11: link “Studies” is one of the links of “Jeff Cavaliere - couch stretch fix”, "
        "not its title",
    ],
    "Wrist Prep.md": ["line 7: “(30 s)” after “Prayer stretch” read as its dose"],
    "Knee Prehab Every Few Days.md": [
        "line 7: “(45 s)” after “Spanish squat hold” read as its dose"
    ],
    "neck-reset.md": [
        "line 3: “Everyday” read as the target: 7 sessions a week",
        "line 6: “(30s left, 30s right)” after “Upper trap stretch” read as its dose",
        "line 7: “30 s” at the end of “Doorway pec stretch” read as its dose",
    ],
}


@pytest.mark.parametrize("name", sorted(DECISIONS))
def test_each_decision_on_a_real_style_note_is_listed_with_its_line(name):
    path = NOTES / name
    result = import_note(path.read_text(encoding="utf-8"), path.name)
    assert [str(d) for d in result.decisions] == DECISIONS[name]


def data(text: str) -> dict:
    """The routine of a few lines as the YAML data it is saved as (without id, title, source)."""
    out = routine_to_data(import_note(textwrap.dedent(text), "note.md").routine)
    return {k: v for k, v in out.items() if k not in ("id", "title", "source")}


def exercises(text: str) -> list[dict]:
    return [e for s in data(text)["sections"] for e in s["exercises"]]


# --- Doses in brackets, after a dash, at the end of the line --------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Hamstring stretch (30s left, 30s right)",
            {
                "title": "Hamstring stretch",
                "dose": "30s left, 30s right",
                "sides": 2,
                "hold_seconds": 30,
            },
        ),
        (
            "Split squat — 3x10 each leg",
            {"title": "Split squat", "dose": "3x10 each leg", "sets": 3, "reps": 10, "sides": 2},
        ),
        ("Dead hang 60 sec", {"title": "Dead hang", "dose": "60 sec", "hold_seconds": 60}),
        ("Plank 1 min", {"title": "Plank", "dose": "1 min", "hold_seconds": 60}),
        ("Goblet squat 10-15 reps", {"title": "Goblet squat", "dose": "10-15 reps", "reps": 10}),
        (
            "Bird dog 10 each side",
            {"title": "Bird dog", "dose": "10 each side", "reps": 10, "sides": 2},
        ),
        (
            "Calf raises — 15 reps (slow on the way down)",
            {
                "title": "Calf raises",
                "dose": "15 reps",
                "notes": "slow on the way down",
                "reps": 15,
            },
        ),
        ("Foam rolling (optional)", {"title": "Foam rolling", "optional": True}),
    ],
)
def test_a_dose_in_brackets_after_a_dash_or_at_the_end_is_the_dose(line, expected):
    (exercise,) = exercises(f"- {line}\n")
    exercise.pop("id")
    assert exercise == expected


# --- A heading's dose phrase ---------------------------------------------------------------


def test_a_circuit_headings_sets_and_rests_are_its_rounds_and_rest_not_the_routines():
    assert data(
        """\
        Every other day.

        ## 5 Stretch Circuit: 20s rests, 2 sets:
        - Calf stretch (30s left, 30s right)
        - Frog (45s)

        ## Core — 3 rounds
        - Dead bug 10 each side
        """
    ) == {
        "summary": "Every other day.",
        "schedule": {"sessions_per_week": 3},
        "sections": [
            {
                "id": "5-stretch-circuit",
                "title": "5 Stretch Circuit",
                "rounds": 2,
                "rest_seconds": 20,
                "exercises": [
                    {
                        "id": "calf-stretch",
                        "title": "Calf stretch",
                        "dose": "30s left, 30s right",
                        "sides": 2,
                        "hold_seconds": 30,
                    },
                    {"id": "frog", "title": "Frog", "dose": "45s", "hold_seconds": 45},
                ],
            },
            {
                "id": "core",
                "title": "Core",
                "rounds": 3,
                "exercises": [
                    {
                        "id": "dead-bug",
                        "title": "Dead bug",
                        "dose": "10 each side",
                        "reps": 10,
                        "sides": 2,
                    }
                ],
            },
        ],
    }


def test_sets_in_a_plain_heading_go_to_each_exercise_that_states_none():
    assert data("## Cool down: 2 sets, 30 s rest\n- Fold 45 s\n- Squat — 3 × 8\n")["sections"] == [
        {
            "id": "cool-down",
            "title": "Cool down",
            "exercises": [
                {
                    "id": "fold",
                    "title": "Fold",
                    "dose": "45 s",
                    "sets": 2,
                    "hold_seconds": 45,
                    "rest_seconds": 30,
                },
                {
                    "id": "squat",
                    "title": "Squat",
                    "dose": "3 × 8",
                    "sets": 3,
                    "reps": 8,
                    "rest_seconds": 30,
                },
            ],
        }
    ]


# --- A later list of videos in other words ---------------------------------------------------


def test_a_later_list_of_videos_gives_each_to_the_closest_name_and_adds_no_section():
    result = import_note(
        "- Isometric dead bugs\n- Low lunges\n- Side-lying clamshells\n\n"
        "## Edit: videos\n- Dead-bug https://youtu.be/Db4Hn7Yc2Ms\n"
        "- Low lunge https://youtu.be/Lw8Qn3Tx5Ka\n- Jefferson curl https://youtu.be/Jc3Ur1Lx8Qz\n",
        "note.md",
    )
    assert [
        (e["title"], e.get("video"))
        for e in routine_to_data(result.routine)["sections"][0]["exercises"]
    ] == [
        ("Isometric dead bugs", {"url": "https://youtu.be/Db4Hn7Yc2Ms"}),
        ("Low lunges", {"url": "https://youtu.be/Lw8Qn3Tx5Ka"}),
        ("Side-lying clamshells", None),
    ]
    assert len(result.routine.sections) == 1
    assert [str(w) for w in result.warnings] == [
        "line 8: a video for “Jefferson curl”, but no exercise above is named like it; not imported"
    ]


def test_a_list_of_new_exercises_with_videos_stays_a_section():
    result = import_note(
        "- Squat\n\n## More\n- Hip airplane https://youtu.be/Ty8Ui7Op6As\n", "n.md"
    )
    assert [s.title for s in result.routine.sections] == ["Exercises", "More"]


# --- Links that only label, video sub-bullets, [[A]] or [[B]] ---------------------------------


def test_label_links_stay_links_and_a_video_sub_bullet_is_the_video():
    assert exercises(
        "- Rear-foot-elevated hip flexor stretch [gifs](https://imgur.com/a/Rf3)\n"
        "\t- [emmet louis video](https://youtu.be/Em7Lo2Ui4Vd)\n"
        "- [Berg - sprint intervals](https://youtu.be/Jc5Cf8Xa2Nb) . "
        "[Studies](https://pubmed.example.org/1)\n"
    ) == [
        {
            "id": "rear-foot-elevated-hip",
            "title": "Rear-foot-elevated hip flexor stretch",
            "links": [{"title": "Gifs", "url": "https://imgur.com/a/Rf3"}],
            "video": {"url": "https://youtu.be/Em7Lo2Ui4Vd", "title": "emmet louis video"},
        },
        {
            "id": "berg-sprint-intervals",
            "title": "Berg - sprint intervals",
            "links": [{"title": "Studies", "url": "https://pubmed.example.org/1"}],
            "video": {"url": "https://youtu.be/Jc5Cf8Xa2Nb", "title": "Berg - sprint intervals"},
        },
    ]


def test_either_or_wikilinks_keep_both_names_whole():
    (exercise,) = exercises("- [[Wrist Circles (separated)]] or [[Wrist Circles (together)]]\n")
    assert exercise == {
        "id": "wrist-circles-separated",
        "title": "Wrist Circles (separated) or Wrist Circles (together)",
    }


# --- Schedule phrases ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "per_week", "exact"),
    [
        ("three times a week", 3, True),
        ("2x/week", 2, True),
        ("every other day", 3, True),
        ("every three days", 2, False),
        ("everyday", 7, True),
        ("daily", 7, True),
        ("twice weekly", 2, True),
    ],
)
def test_a_schedule_phrase_gives_the_target_it_states(phrase, per_week, exact):
    said = notetext.sessions_said(f"I do this {phrase}.")
    assert (said.per_week, said.exact) == (per_week, exact)
    result = import_note(f"I do this {phrase}.\n\n- Squat\n", "n.md")
    assert (result.routine.schedule.sessions_per_week, result.target_stated) == (per_week, True)


def test_without_a_phrase_no_target_is_claimed():
    result = import_note("Hips.\n\n- Squat\n", "n.md")
    assert result.target_stated is False  # 3 for now; the preview asks
    assert result.decisions == () and result.warnings == ()


# --- The preview and the command line show each decision with its line -----------------------


def test_the_command_line_prints_each_decision_and_says_when_the_note_gives_no_target(capsys):
    from hipdash.__main__ import main

    assert main(["import", str(NOTES / "Lunchtime Mobility.md"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "  read: line 10: “(30s left, 30s right)” after “Neck rolls” read as its dose\n" in out
    assert main(["import", str(NOTES / "Wrist Prep.md"), "--dry-run"]) == 0
    assert "  Target: 3 sessions a week (the note does not say how often" in capsys.readouterr().out


def test_the_preview_shows_each_decision_and_asks_how_often(
    app_page, data_dir, monkeypatch, tmp_path
):
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path / "none"))
    note = NOTES / "Wrist Prep.md"
    at = app_page("pages/routines.py", {"view": "Import"})
    at.file_uploader(key="hd_note_upload-0").upload(
        note.name, note.read_bytes(), "text/markdown"
    ).run()
    assert not at.exception
    (read,) = [e for e in at.expander if e.label.startswith("How ")]
    assert read.label == "How 1 line of the note was read"
    assert "line 7: “(30 s)” after “Prayer stretch” read as its dose" in plain(
        read.markdown[0].value
    )
    asked = at.number_input(key="hd-imp-target-0")
    assert asked.label == "How many sessions a week? The note does not say."
    asked.set_value(4).run()
    at.button(key="hd_import_save").click().run()
    saved = (data_dir / "routines" / "wrist-prep.yaml").read_text()
    assert "sessions_per_week: 4" in saved
