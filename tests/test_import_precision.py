"""What a person would never tick stays out of an imported routine: each rule on a note of
its own (kramdown, Templater, Dataview, a "Videos" list, equipment and theory lists)."""

from __future__ import annotations

import re
import textwrap
from dataclasses import replace

import pytest

from hipdash.importing.build import NoteError, import_note, with_left_out
from hipdash.routines import dump_routine, routine_to_data


def note(text: str, filename: str = "note.md", **options):
    return import_note(textwrap.dedent(text), filename, **options)


def data(text: str, filename: str = "note.md", **options) -> dict:
    """The routine as the YAML data it is saved as (without id, title, source)."""
    out = routine_to_data(note(text, filename, **options).routine)
    return {k: v for k, v in out.items() if k not in ("id", "title", "source")}


def exercises(text: str) -> list[dict]:
    return [e for s in data(text)["sections"] for e in s["exercises"]]


# --- A sub-bullet that only carries something belongs to its exercise -----------------------


@pytest.mark.parametrize(
    ("dose", "amounts"),
    [
        ("15x3", {"sets": 3, "reps": 15}),
        ("10-15x3", {"sets": 3, "reps": 10}),
        ("3 × 8", {"sets": 3, "reps": 8}),
        ("30 s", {"hold_seconds": 30}),
        ("2 sets of 10 each side", {"sets": 2, "reps": 10, "sides": 2}),
    ],
)
def test_a_sub_bullet_that_is_only_a_dose_is_the_exercises_dose(dose, amounts):
    assert exercises(f"- Glute bridge\n  - {dose}\n") == [
        {"id": "glute-bridge", "title": "Glute bridge", "dose": dose, **amounts}
    ]


def test_a_number_past_what_a_timer_runs_is_said_and_the_words_are_kept():
    """30 sets or a 90-minute hold were dropped from the timer without a word."""
    result = note("- Squat — 30 sets of 10\n- Plank — hold 90 min\n- Bridge — 3 × 10\n")
    assert [(w.line, w.message) for w in result.warnings] == [
        (1, "“30 sets of 10” of “Squat”: 30 sets, where a timer runs 1 to 20; the guided "
         "session leaves it out"),
        (2, "“hold 90 min” of “Plank”: 90 min of hold, where a timer runs 1 s to 60 min; "
         "the guided session leaves it out"),
    ]  # fmt: skip
    squat, plank, _ = exercises(
        "- Squat — 30 sets of 10\n- Plank — hold 90 min\n- Bridge — 3 × 10\n"
    )
    assert squat["dose"] == "30 sets of 10" and "sets" not in squat and squat["reps"] == 10
    assert plank["dose"] == "hold 90 min" and "hold_seconds" not in plank


def test_a_number_past_the_limits_is_not_said_when_a_dataview_field_states_it():
    """`[sets:: 3]` is what the timer runs: saying it leaves the sets out was untrue."""
    text = "- Squat — 30 sets of 10 [sets:: 3]\n- Plank — hold 90 min [reps:: 2]\n"
    said = [w.message for w in note(text).warnings]
    assert len(said) == 1 and said[0].startswith("“hold 90 min” of “Plank”: 90 min of hold")
    squat, _ = exercises(text)
    assert squat["dose"] == "30 sets of 10" and (squat["sets"], squat["reps"]) == (3, 10)


@pytest.mark.parametrize(
    ("line", "title", "dose"),
    [
        ("Ex 1 -3 × 20 s", "Ex 1", "3 × 20 s"),
        ("Bridge -3 × 10", "Bridge", "3 × 10"),
        ("Lunge -10 reps each side", "Lunge", "10 reps each side"),
        ("Knee bend -90 degrees", "Knee bend -90 degrees", None),  # no dose after it
        ("Bridge 8 -10 reps", "Bridge", "8 -10 reps"),  # a range of reps, as before
        ("Clamshell 2 × 10 -15 reps", "Clamshell", "2 × 10 -15 reps"),
        ("Side plank 20 -30 s each side", "Side plank", "20 -30 s each side"),
    ],
)
def test_a_dash_typed_against_the_dose_still_separates_it(line, title, dose):
    """ "Ex 1 -3 × 20 s" was the title "Ex 1 -3 ×" with the dose "20 s"."""
    (exercise,) = exercises(f"- {line}\n")
    assert (exercise["title"], exercise.get("dose")) == (title, dose)


def test_a_dose_sub_bullet_joins_the_dose_on_the_line():
    assert exercises("- Squat — 3 × 8\n  - 60 s rest\n") == [
        {
            "id": "squat",
            "title": "Squat",
            "dose": "3 × 8, 60 s rest",
            "sets": 3,
            "reps": 8,
            "rest_seconds": 60,
        }
    ]


def test_a_sub_bullet_that_is_only_a_video_an_image_or_a_link_belongs_to_the_exercise():
    assert exercises(
        """\
        - Single-leg RDL
          - See ![[single-leg-rdl.png]] for the setup
          - Video: https://youtu.be/Qw3rTy9Uio0
          - [Form guide](https://physio.example.com/rdl)
          - Keep the back flat
        """
    ) == [
        {
            "id": "single-leg-rdl",
            "title": "Single-leg RDL",
            "image": "single-leg-rdl.png",
            "links": [{"title": "Form guide", "url": "https://physio.example.com/rdl"}],
            "video": {"url": "https://youtu.be/Qw3rTy9Uio0"},
            "steps": [{"id": "keep-the-back-flat", "title": "Keep the back flat"}],
        }
    ]


def test_a_note_sub_bullet_is_a_note_and_a_named_video_stays_a_step():
    assert exercises(
        """\
        - Four moves
          - Note: slowly, no bouncing
          - [Dead bug](https://youtu.be/fcnv4gyMzf8)
          - Bird dog
        """
    ) == [
        {
            "id": "four-moves",
            "title": "Four moves",
            "notes": "Note: slowly, no bouncing",
            "video": {"url": "https://youtu.be/fcnv4gyMzf8", "title": "Dead bug"},
            "steps": [
                {"id": "dead-bug", "title": "Dead bug"},
                {"id": "bird-dog", "title": "Bird dog"},
            ],
        }
    ]


def test_repeated_set_checkboxes_stay_that_many_ticks():
    (plank,) = exercises("- Plank\n  - [ ] 30s\n  - [ ] 30s\n  - [ ] 30s\n")
    assert [(s["title"], s["notes"]) for s in plank["steps"]] == [("Set 1", "30s")] * 1 + [
        ("Set 2", "30s"),
        ("Set 3", "30s"),
    ]
    assert (plank["sets"], plank["hold_seconds"]) == (3, 30)  # the countdown for each
    (single,) = exercises("- Plank\n  - [ ] 30s\n")  # one is just the dose
    assert (single.get("steps"), single["dose"]) == (None, "30s")


# --- The same exercise named again with a video ----------------------------------------------


def test_an_exercise_named_again_with_a_video_gives_it_to_the_first():
    result = note(
        """\
        ## Routine
        - Glute bridge — 15x3
        - Clamshells

        ## Videos
        - Glute bridge: https://youtu.be/Ab3dE5gH7jK
        - [Clamshell](https://youtu.be/Hj6Kl2Mn4Bv)
        - Hip airplane https://youtu.be/Ty8Ui7Op6As
        """
    )
    (routine,) = result.routine.sections  # a list of videos only adds no section
    assert [(e.title, e.video.video_id) for e in routine.exercises] == [
        ("Glute bridge", "Ab3dE5gH7jK"),
        ("Clamshells", "Hj6Kl2Mn4Bv"),
    ]
    assert [str(w) for w in result.decisions] == [
        "line 6: “Glute bridge” again, with a video: given to the exercise on line 2",
        "line 7: “Clamshell” again, with a video: given to the exercise on line 3",
    ]
    assert [str(w) for w in result.warnings] == [
        "line 8: a video for “Hip airplane”, but no exercise above is named like it; not imported"
    ]


def test_a_second_exercise_of_the_same_name_with_its_own_dose_stays_one():
    result = note(
        "## Warm-up\n- Squat\n## Strength\n- Squat — 3 × 8 https://youtu.be/Ab3dE5gH7jK\n"
    )
    assert [len(s.exercises) for s in result.routine.sections] == [1, 1]
    assert result.routine.sections[0].exercises[0].video is None


def test_a_different_video_for_an_exercise_that_has_one_becomes_its_link():
    (first,) = (
        note(
            "- Squat https://youtu.be/Ab3dE5gH7jK\n\n## Videos\n- Squat https://youtu.be/Hj6Kl2Mn4Bv\n"
        )
        .routine.sections[0]
        .exercises
    )
    assert first.video.video_id == "Ab3dE5gH7jK"
    assert [(ln.title, ln.url) for ln in first.links] == [("Squat", "https://youtu.be/Hj6Kl2Mn4Bv")]


# --- Lists that are not exercises -----------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "reason"),
    [
        ("Equipment", "looks like an equipment list"),
        ("What you'll need", "looks like an equipment list"),
        ("Notes", "looks like notes or disclaimers"),
        ("Disclaimer", "looks like notes or disclaimers"),
        ("Theory", "looks like theory or background"),
        ("Why this works", "looks like theory or background"),
        ("Dieting", "looks like a diet or nutrition list"),
        ("Nutrition", "looks like a diet or nutrition list"),
        ("References", "looks like references or reading"),
        ("Further reading", "looks like references or reading"),
        ("Table of contents", "looks like a table of contents"),
        ("Muscles worked", "looks like a list of muscles"),
    ],
)
def test_a_heading_that_names_no_exercises_leaves_its_list_out_with_the_reason(heading, reason):
    result = note(f"## Moves\n- Squat\n\n## {heading}\n- First thing\n- Second thing\n")
    assert [s.title for s in result.routine.sections] == ["Moves"]
    (left,) = result.left_out
    assert (left.title, left.reason, left.line, left.position) == (heading, reason, 4, 1)
    assert [e.title for e in left.section.exercises] == ["First thing", "Second thing"]
    assert str(left) == f"line 4: {heading}: {reason}"


@pytest.mark.parametrize("heading", ["Warm-up", "Stretches", "Strength", "Videos", "Day 1"])
def test_headings_of_exercises_are_kept(heading):
    result = note(f"## {heading}\n- Squat\n")
    assert [s.title for s in result.routine.sections] == [heading]
    assert result.left_out == ()


def test_a_heading_under_a_left_out_heading_is_left_out_too():
    result = note("## Moves\n- Squat\n## Theory\n### Hips\n- Ball and socket\n")
    (left,) = result.left_out
    assert (left.title, left.reason) == ("Hips", "looks like theory or background (under “Theory”)")


def test_a_label_line_above_a_list_leaves_that_list_out_and_the_summary_goes_on():
    result = note(
        """\
        Notes:
        - Not medical advice.

        **Equipment:**
        - Yoga mat

        I do this twice a week.

        ## Moves
        - Squat

        Do these slowly:
        - Lunge
        """
    )
    assert result.routine.summary == "I do this twice a week."
    assert result.routine.schedule.sessions_per_week == 2
    assert [(lo.title, lo.line, lo.position) for lo in result.left_out] == [
        ("Notes", 1, 0),
        ("Equipment", 4, 0),
    ]
    # "Do these slowly:" names no kind of list: it is text, and its list stays.
    assert [e.title for e in result.routine.sections[0].exercises] == ["Squat", "Lunge"]
    assert [str(w) for w in result.warnings] == [
        "line 12: text outside any list item was not imported: “Do these slowly:”"
    ]


def test_a_paragraph_after_a_labelled_list_ends_it():
    result = note("## Moves\n- Squat\n\nEquipment:\n- Mat\n\nThen these.\n\n- Lunge\n")
    assert [e.title for e in result.routine.sections[0].exercises] == ["Squat", "Lunge"]
    assert [lo.title for lo in result.left_out] == ["Equipment"]


def test_an_item_that_names_a_list_is_left_out_as_one():
    result = note(
        """\
        ## Moves
        - Squat
        - Notes:
          - Not medical advice
          - Stop if it hurts
        - Equipment: yoga mat, pillow
        - Side plank (safety first)
        """
    )
    assert [e.title for e in result.routine.sections[0].exercises] == ["Squat", "Side plank"]
    assert [
        (lo.title, lo.reason, lo.line, [e.title for e in lo.section.exercises])
        for lo in result.left_out
    ] == [
        ("Notes", "looks like notes or disclaimers", 3, ["Not medical advice", "Stop if it hurts"]),
        ("Equipment", "looks like an equipment list", 6, ["Yoga mat, pillow"]),
    ]


def test_a_table_of_contents_of_links_to_headings_is_left_out_without_warnings():
    result = note(
        """\
        - [Warm-up](#warm-up)
        - [[#Stretches]]

        I do this twice a week.

        ## Warm-up
        - Squat
        ## Stretches
        - Pigeon
        """
    )
    assert result.routine.summary == "I do this twice a week."
    (toc,) = result.left_out
    assert (toc.title, [e.title for e in toc.section.exercises]) == (
        "Table of contents",
        ["Warm-up", "Stretches"],
    )
    assert result.warnings == ()


KEPT_AND_LEFT = """\
    ## Equipment
    - Mat
    ## Moves
    - Squat
    ## Theory
    - Hips are joints
    ## Stretches
    - Pigeon
    """


def test_left_out_lists_can_be_put_back_where_they_were():
    result = note(KEPT_AND_LEFT)
    assert [s.id for s in result.routine.sections] == ["moves", "stretches"]
    assert [(lo.section.id, lo.position) for lo in result.left_out] == [
        ("equipment", 0),
        ("theory", 1),
    ]
    back = with_left_out(result.routine, result.left_out, [1])
    assert [s.id for s in back.sections] == ["moves", "theory", "stretches"]
    assert back.sections[1] == result.left_out[1].section
    everything = with_left_out(result.routine, result.left_out, [0, 1])
    assert [s.id for s in everything.sections] == ["equipment", "moves", "theory", "stretches"]
    assert with_left_out(result.routine, result.left_out, []) == result.routine


def test_keep_all_gives_the_routine_with_every_list_and_the_same_ids():
    kept = note(KEPT_AND_LEFT, keep="all")
    assert kept.kept == (0, 1)
    assert [s.id for s in kept.routine.sections] == ["equipment", "moves", "theory", "stretches"]
    assert kept.routine == with_left_out(note(KEPT_AND_LEFT).routine, kept.left_out, (0, 1))
    chosen = note(KEPT_AND_LEFT, keep=[1])
    assert (chosen.kept, [s.id for s in chosen.routine.sections]) == (
        (1,),
        ["moves", "theory", "stretches"],
    )


def test_a_put_back_section_never_takes_an_id_already_used():
    result = note(KEPT_AND_LEFT)
    moves = result.routine.sections[0]
    clash = replace(result.routine, sections=(replace(moves, id="theory"),))  # e.g. a re-import
    back = with_left_out(clash, result.left_out, [1])
    assert [(s.id, s.title) for s in back.sections] == [("theory", "Moves"), ("theory-2", "Theory")]


def test_a_note_whose_every_list_is_left_out_is_refused_with_the_way_to_keep_them():
    with pytest.raises(NoteError) as refused:
        note("## Equipment\n- Mat\n## Diet\n- Water\n")
    assert str(refused.value) == (
        "no exercises found: every list in it looks like something else (Equipment: looks "
        "like an equipment list; Diet: looks like a diet or nutrition list); import it with "
        "--keep-all to keep them"
    )
    kept = note("## Equipment\n- Mat\n## Diet\n- Water\n", keep="all")
    assert [s.title for s in kept.routine.sections] == ["Equipment", "Diet"]


# --- Markup is not content -------------------------------------------------------------------


def test_kramdown_toc_attribute_lists_and_heading_ids_never_become_text():
    result = note(
        """\
        * TOC
        {:toc}

        Three times a week.
        {: .lead}

        ## Warm-up {#warm-up}
        - Hip circles {: .move}
        - Glute bridge
        {: .exercises}
        - Clamshell
        """
    )
    assert (result.routine.summary, result.routine.schedule.sessions_per_week) == (
        "Three times a week.",
        3,
    )
    (section,) = result.routine.sections
    assert section.title == "Warm-up"
    assert [e.title for e in section.exercises] == ["Hip circles", "Glute bridge", "Clamshell"]
    assert [lo.title for lo in result.left_out] == ["Table of contents"]
    assert "{" not in dump_routine(result.routine) and result.warnings == ()


def test_templater_code_is_never_text_and_a_title_of_it_falls_back_to_the_file_name():
    result = note(
        """\
        ---
        title: <% tp.file.title %>
        ---
        # <% tp.file.title %>
        Made <% tp.date.now() %> for my hips.
        <%*
        tR += "- Not an exercise"
        %>
        - Squat <% tp.system.prompt("reps") %>
        - <%* tR += "x" %>Lunge
        """,
        "hip-basics.md",
    )
    assert result.routine.title == "Hip Basics"
    assert result.routine.summary == "Made for my hips."
    assert [e.title for e in result.routine.sections[0].exercises] == ["Squat", "Lunge"]
    assert "<%" not in dump_routine(result.routine)


def test_a_title_heading_of_template_code_falls_back_to_the_file_name():
    assert note("# <% tp.file.title %>\n- Squat\n", "Desk Stretches.md").routine.title == (
        "Desk Stretches"
    )


def test_dataview_fields_never_become_text():
    result = note(
        """\
        Status:: active
        - type:: routine

        Twice a week.

        ## Moves [focus:: glutes]
        - Squat [reps:: 10] (source:: physio)
          - cue:: knees out
        """
    )
    assert (result.routine.summary, result.routine.sections[0].title) == ("Twice a week.", "Moves")
    (squat,) = result.routine.sections[0].exercises
    assert (squat.title, squat.steps, squat.notes) == ("Squat", (), "")
    assert result.warnings == ()


def test_an_unclosed_template_stays_text():
    (squat,) = note("- Squat <% no end\n").routine.sections[0].exercises
    assert squat.title == "Squat <% no end"


# --- The target comes from the note's top or front matter ------------------------------------


def test_a_schedule_inside_one_of_several_sections_is_not_the_routines_target():
    result = note(
        """\
        Three times a week, about 30 minutes.

        ## Strength
        - Squat
        ## Stretches
        - Pigeon

        1-2 times per week is plenty for these.
        """
    )
    assert (result.routine.schedule.sessions_per_week, result.routine.schedule.minutes) == (3, 30)
    assert [str(w) for w in result.warnings] == [
        "line 8: “1-2 times per week is plenty for these.” is inside the section “Stretches”, "
        "so it is not the routine's target (that comes from the note's top or front matter); "
        "not imported"
    ]


def test_without_a_target_at_the_top_a_section_phrase_still_does_not_set_one():
    result = note("## A\n- Squat\n\nOnce a week.\n## B\n- Pigeon\n")
    assert result.routine.schedule.sessions_per_week == 3  # the default, said so:
    assert "is inside the section “A”" in str(result.warnings[0])


def test_the_front_matter_schedule_and_a_paragraph_before_any_exercise_count():
    front = note("---\nschedule: twice a week\n---\n## A\n- Squat\n## B\n- Pigeon\n")
    assert front.routine.schedule.sessions_per_week == 2
    top = note("## About\nFour times a week.\n## A\n- Squat\n## B\n- Pigeon\n")
    assert top.routine.schedule.sessions_per_week == 4
    assert [str(w) for w in top.warnings] == ["line 1: heading “About” has no list items; left out"]


# --- Links outside any list item, and readable warnings --------------------------------------


def test_youtube_links_outside_any_item_become_the_routines_links():
    result = note(
        """\
        ## Moves
        - Squat

        https://youtu.be/Lm4Nb6Vc5Xz

        Follow-along: https://www.youtube.com/watch?v=Ab3dE5gH7jK
        ## More
        - Lunge
        """
    )
    assert [(ln.title, ln.url) for ln in result.routine.links] == [
        ("YouTube video", "https://youtu.be/Lm4Nb6Vc5Xz"),
        ("Follow-along", "https://www.youtube.com/watch?v=Ab3dE5gH7jK"),
    ]
    assert result.warnings == ()


@pytest.mark.parametrize(
    "line",
    [
        "https://youtu.be/Lm4Nb6Vc5Xz",
        "![[hip.png]]",
        "[TOC]",
        "{:toc}",
        "<% tp.file.title %>",
        "%% a comment %%",
        "Video: https://youtu.be/Lm4Nb6Vc5Xz",
        "> [!note]",
    ],
)
def test_no_warning_ever_quotes_nothing(line):
    result = note(f"## A\n- Squat\n## B\n- Lunge\n\n{line}\n")
    for warning in result.warnings:
        assert not re.search(r"(^|\s)“”", warning.message) and warning.line >= 1, warning


# --- Hostile front matter ----------------------------------------------------------------


def test_yaml_aliases_in_the_front_matter_are_refused_at_once(tmp_path):
    import time
    from pathlib import Path

    from hipdash.importing import ImportRefused, plan_import

    laughs = Path(__file__).parent / "fixtures" / "notes" / "hostile" / "billion-laughs.md"
    start = time.process_time()
    with pytest.raises(NoteError, match=r"^line 3: the front matter uses a YAML alias \(\*a\)"):
        import_note(laughs.read_text(), laughs.name)
    with pytest.raises(ImportRefused, match="YAML alias"):
        plan_import(laughs.read_bytes(), laughs.name, tmp_path)
    assert time.process_time() - start < 1.0
    assert list(tmp_path.iterdir()) == []


def test_one_alias_is_refused_too_but_an_unused_anchor_is_harmless():
    with pytest.raises(NoteError, match=r"YAML alias \(\*t\)"):
        note("---\nname: &t Hips\ntitle: *t\n---\n- Squat\n")
    assert note("---\ntitle: &t Hips\n---\n- Squat\n").routine.title == "Hips"


def test_an_oversized_front_matter_is_ignored_with_a_warning():
    big = (
        "---\n" + "".join(f"k{i}: {'x' * 60}\n" for i in range(400)) + "title: Big\n---\n- Squat\n"
    )
    result = note(big, "huge.md")
    assert result.routine.title == "Huge"
    assert [str(w) for w in result.warnings] == [
        "line 2: front matter is over 16,384 characters; ignored"
    ]


def test_more_set_checkboxes_than_a_dose_allows_stay_ticks_without_a_sets_field():
    (plank,) = exercises("- Plank\n" + "  - [ ] 30s\n" * 25)
    assert len(plank["steps"]) == 25 and "sets" not in plank  # a routine allows 1 to 20
    assert plank["hold_seconds"] == 30


def test_a_one_megabyte_note_of_one_exercise_costs_seconds_not_a_minute(figures):
    """Ids used to be found by counting up from 2 for every item of the same title."""
    import time

    text = "## A\n" + "- Squat — 3 × 8 https://youtu.be/Ab3dE5gH7jK\n" * 22_000
    start = time.process_time()
    result = import_note(text, "big.md")
    spent = time.process_time() - start
    ids = [e.id for e in result.routine.sections[0].exercises]
    assert len(set(ids)) == 22_000 and ids[-1] == "squat-22000"
    figures.append(f"a 1 MB note of 22,000 items of one title imported in {spent:.1f} s CPU")
    assert spent < 20  # 47 s before; about 3 s now
