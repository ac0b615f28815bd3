"""The note importer: the user's real note, five notes of our own, and each form on its own."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hipdash.fields import SLUG
from hipdash.importing import text as notetext
from hipdash.importing.build import NoteError, import_note
from hipdash.importing.reimport import keep_ids
from hipdash.models import Routine
from hipdash.routines import dump_routine, load_routine, parse_routine

NOTES = Path(__file__).parent / "fixtures" / "notes"
REAL_NOTE = NOTES / "hip-therapy-routine-1.md"  # the user's own note, unchanged


def imported(name: str):
    path = NOTES / name
    return import_note(path.read_text(encoding="utf-8"), path.name)


def note(text: str, filename: str = "note.md"):
    return import_note(textwrap.dedent(text), filename)


def only_exercise(text: str):
    (section,) = note(text).routine.sections
    (exercise,) = section.exercises
    return exercise


# --- The user's note and the committed routine ------------------------------------------------


def test_importing_the_real_note_reproduces_the_committed_routine(routine1):
    result = imported("hip-therapy-routine-1.md")
    # Ids are the only thing a person chose by hand; a re-import keeps them.
    assert keep_ids(result.routine, routine1) == routine1
    assert [str(w) for w in result.warnings] == [
        "line 76: text outside any list item was not imported: "
        "“UPDATE: Also see my Hip Therapy Routine 2 for som…”"
    ]


def test_a_fresh_import_of_the_real_note_differs_only_in_four_hand_chosen_ids(routine1):
    fresh = imported("hip-therapy-routine-1.md").routine
    assert [(s.title, [e.title for e in s.exercises]) for s in fresh.sections] == [
        (s.title, [e.title for e in s.exercises]) for s in routine1.sections
    ]
    renamed = {
        (a.id, b.id)
        for s_a, s_b in zip(fresh.sections, routine1.sections, strict=True)
        for a, b in zip(s_a.exercises, s_b.exercises, strict=True)
        if a.id != b.id
    }
    assert renamed == {
        ("gentle-back-stretch", "back-stretch-over-foam-roller"),
        ("cat-cow-stretch", "cat-cow"),
        ("thoracic-stretch-while-kneeling", "kneeling-thoracic-stretch"),
        ("four-exercises-demonstrated", "hip-strength-four"),
    }
    assert [s.id for s in fresh.sections[1].exercises[0].steps] == [
        "dead-bug",
        "side-plank-clamshell",
        "leg-extension-to-side",
        "unassisted-hip-airplane",
    ]


def test_the_real_note_in_detail():
    r = imported("hip-therapy-routine-1.md").routine
    assert (r.id, r.title, r.source) == (
        "hip-therapy-routine-1",
        "Hip Therapy Routine 1",
        "hip-therapy-routine-1.md",
    )
    assert (r.schedule.sessions_per_week, r.schedule.minutes) == (3, 30)
    assert "when I’m not at the gym" in r.summary
    assert "[[" not in r.summary and "â€" not in r.summary
    assert "Exercises for hip pain and Stretches for hip pain pages" in r.summary
    assert [(ln.title, ln.url) for ln in r.links] == [
        ("glute strengthening exercises", "https://www.instagram.com/reel/CYZRNkRqcu0/")
    ]
    assert len(r.items()) == 16 and len(r.videos) == 8
    couch = r.sections[2].exercises[1]
    assert couch.title == "Couch stretch"  # capitalised like every title
    assert couch.video.title == "The Couch Stretch Done Correctly"


# --- Our own notes, each in a different style, with exact expected results -------------------

FIXTURE_WARNINGS = {
    "hip-mobility-jekyll.md": [
        "line 42: “Do the stretches 1-2 times per week on rest days …” is inside the section "
        "“Stretches”, so it is not the routine's target (that comes from the note's top or "
        "front matter); not imported",
    ],
    "Glute Activation.md": [],
    "knee-rehab-with-videos.md": [
        "line 34: a video for “Hip airplane”, but no exercise above is named like it; not imported",
    ],
    "knee-and-hip-plan.md": [],
    "morning-mobility.md": [],
    "Desk Break Stretches.md": [],
    "evening-stretch-mojibake.md": [],
    "Lunchtime Mobility.md": [],
    "hip-circuit-reddit.md": [],
    "squat-day-mobility.md": [
        "line 16: a video for “Jefferson curl”, but no exercise above is named like it; "
        "not imported",
    ],
    "Hip Flexor Stuff.md": [],
    "Wrist Prep.md": [],
    "Knee Prehab Every Few Days.md": [
        "line 4: “Every three days” is not a whole number of sessions a week: the target is "
        "2 sessions a week (rounded)",
    ],
    "neck-reset.md": [],
    "messy.md": [
        "line 6: image “routine-diagram.png” outside any exercise was not imported",
        "line 8: heading “Empty heading” has no list items; left out",
        "line 10: text outside any list item was not imported: “Just words under a heading.”",
        "line 14: link to “javascript:alert(1)” dropped (only http(s) links are kept)",
        "line 15: link to “other-note.md” dropped (only http(s) links are kept)",
        "line 16: image “img/lunge-side.png” not imported (an exercise keeps one image)",
        "line 17: list item with no text was not imported",
        "line 18: embedded note “Plank details” not imported",
        "line 20: a table (lines 20–22) was not imported",
        "line 24: a code block (lines 24–26) was not imported",
        "line 28: text outside any list item was not imported: “Loose callout”",
        "line 29: text outside any list item was not imported: “Not under any item.”",
        "line 31: text outside any list item was not imported: “Trailing thoughts go here.”",
    ],
}


# Lists that are not exercises: (line, title, reason, where it goes back, its items).
FIXTURE_LEFT_OUT = {
    "hip-mobility-jekyll.md": [
        (8, "Table of contents", "looks like a table of contents", 0, ["TOC"]),
        (
            16,
            "Equipment",
            "looks like an equipment list",
            0,
            ["Yoga mat", "A firm pillow", "Light resistance band"],
        ),
        (
            45,
            "Theory",
            "looks like theory or background",
            2,
            ["Mobility is strength at end range.", "Stretch after you warm up, not before."],
        ),
        (52, "References", "looks like references or reading", 2, ["Hip", "Mobility study"]),
    ],
    "Glute Activation.md": [
        (
            29,
            "Notes",
            "looks like notes or disclaimers",
            1,
            ["Stop if the pain goes above 3/10.", "This is not medical advice."],
        ),
    ],
    "knee-rehab-with-videos.md": [
        (
            5,
            "Notes",
            "looks like notes or disclaimers",
            0,
            ["Not medical advice; ask your physio first.", "Stop if anything feels sharp."],
        ),
        (9, "Equipment", "looks like an equipment list", 0, ["Yoga mat", "Pillow"]),
        (36, "Muscles worked", "looks like a list of muscles", 1, ["Gluteus medius", "Hamstrings"]),
        (
            41,
            "Diet",
            "looks like a diet or nutrition list",
            1,
            ["Protein with every meal", "Enough water"],
        ),
    ],
}


@pytest.mark.parametrize("name", sorted(FIXTURE_WARNINGS))
def test_fixture_note_gives_exactly_the_expected_routine_and_warnings(name):
    expected: Routine = load_routine(NOTES / "expected" / f"{Path(name).stem}.yaml")
    result = imported(name)
    assert result.routine == expected
    assert [str(w) for w in result.warnings] == FIXTURE_WARNINGS[name]
    assert [
        (lo.line, lo.title, lo.reason, lo.position, [e.title for e in lo.section.exercises])
        for lo in result.left_out
    ] == FIXTURE_LEFT_OUT.get(name, [])


def test_there_are_at_least_five_notes_of_our_own_each_with_an_expectation():
    own = [p.name for p in NOTES.glob("*.md") if p != REAL_NOTE]
    assert len(own) >= 5
    assert sorted(own) == sorted(FIXTURE_WARNINGS)


def test_the_mojibake_fixture_really_is_broken_and_comes_out_clean():
    raw = (NOTES / "evening-stretch-mojibake.md").read_text(encoding="utf-8")
    assert "Iâ€™m" in raw and "ðŸ’ª" in raw and "ðŸ‘\x8d" in raw
    r = imported("evening-stretch-mojibake.md").routine
    text = repr(r)
    assert "â€" not in text and "ð" not in text and "Ã" not in text
    assert r.sections[0].exercises[1].title == "Figure four stretch 👍"


# --- Each form on its own ------------------------------------------------------------------

YOUTUBE_FORMS = [
    ("https://youtu.be/fcnv4gyMzf8", "fcnv4gyMzf8", None),
    ("[demo](https://youtu.be/fcnv4gyMzf8?t=45)", "fcnv4gyMzf8", 45),
    ("<https://www.youtube.com/watch?v=fcnv4gyMzf8&t=45s>", "fcnv4gyMzf8", 45),
    ("https://youtu.be/fcnv4gyMzf8?si=AbCdEf123", "fcnv4gyMzf8", None),
    ("https://www.youtube.com/watch?v=fcnv4gyMzf8&list=PL1&t=1m30s", "fcnv4gyMzf8", 90),
    ("https://youtube.com/shorts/fcnv4gyMzf8", "fcnv4gyMzf8", None),
    ("https://m.youtube.com/watch?v=fcnv4gyMzf8", "fcnv4gyMzf8", None),
    ("https://www.youtube.com/embed/fcnv4gyMzf8?start=30", "fcnv4gyMzf8", 30),
    ("youtu.be/fcnv4gyMzf8", "fcnv4gyMzf8", None),
]


@pytest.mark.parametrize(("form", "video_id", "start"), YOUTUBE_FORMS)
def test_every_youtube_form_becomes_the_items_video_with_its_start(form, video_id, start):
    ex = only_exercise(f"- Cat cow {form}\n")
    assert ex.title == "Cat cow"
    assert (ex.video.video_id, ex.video.start) == (video_id, start)
    assert "si=" not in ex.video.url and ex.links == ()


@pytest.mark.parametrize(
    ("line", "title", "dose", "notes", "amounts"),
    [
        (
            "Side plank — 3 × 20 s each side",
            "Side plank",
            "3 × 20 s each side",
            "",
            (3, None, 2, 20),
        ),
        ("Pigeon pose (standing with support)", "Pigeon pose", "", "standing with support", ()),
        ("Wall sit, hold 60 s", "Wall sit", "", "", (None, None, None, 60)),
        ("Wall sit (hold 2 min)", "Wall sit", "hold 2 min", "", (None, None, None, 120)),
        ("Bird dog - 2 x 10", "Bird dog", "2 x 10", "", (2, 10, None, None)),
        ("Bird dog 2 x 10 each side", "Bird dog", "2 x 10 each side", "", (2, 10, 2, None)),
        ("Walk: 10 minutes", "Walk", "10 minutes", "", (None, None, None, 600)),
        (
            "Figure four — hold 30 s each side",
            "Figure four",
            "hold 30 s each side",
            "",
            (None, None, 2, 30),
        ),
        ("Plank 30 s hold", "Plank", "", "", (None, None, None, 30)),
        ("Foam roller - thoracic spine", "Foam roller - thoracic spine", "", "", ()),
        ("Hip 90/90 stretch", "Hip 90/90 stretch", "", "", ()),
        ("Intro: the following video:", "Intro: the following video:", "", "", ()),
    ],
)
def test_text_after_the_title_becomes_dose_notes_and_its_explicit_amounts(
    line, title, dose, notes, amounts
):
    ex = only_exercise(f"- {line}\n")
    assert (ex.title, ex.dose, ex.notes) == (title, dose, notes)
    # The dose's words are also written as explicit fields (sets, reps, sides, hold).
    assert (ex.sets, ex.reps, ex.sides, ex.hold_seconds) == (amounts or (None,) * 4)


@pytest.mark.parametrize(
    ("text", "per_week", "minutes"),
    [
        ("I try to do this three times a week.", 3, None),
        ("Twice a week if I can.", 2, None),
        ("3x/week, 45 min", 3, 45),
        ("Roughly 40 minutes, 4 times per week.", 4, 40),
        ("It takes about half an hour.", None, 30),
        ("once a week, about an hour", 1, 60),
        ("3-4 sessions a week, 20-30 mins", 3, 20),
        ("An hour and a half, every day of the week", 7, 90),
        ("No numbers here at all.", None, None),
    ],
)
def test_schedule_phrases(text, per_week, minutes):
    assert notetext.sessions_per_week(text) == per_week
    assert notetext.minutes(text) == minutes


def test_schedule_comes_from_the_summary_and_defaults_to_three_a_week():
    with_phrases = note("Twice a week, about 25 minutes.\n\n- Squat\n").routine.schedule
    assert (with_phrases.sessions_per_week, with_phrases.minutes) == (2, 25)
    without = note("- Squat — 5 minutes\n").routine.schedule  # an item's dose is not a schedule
    assert (without.sessions_per_week, without.minutes) == (3, None)


def test_the_front_matters_schedule_is_the_whole_target_and_a_stray_phrase_is_said():
    result = note(
        """\
        ---
        schedule: 5x a week
        ---
        ## Moves
        - Squat

        About 20 minutes in all.
        """
    )
    assert (result.routine.schedule.sessions_per_week, result.routine.schedule.minutes) == (5, None)
    assert [str(w) for w in result.warnings] == [
        "line 7: “About 20 minutes in all.” is not the target: the front matter's schedule is "
        "(“5x a week”); not imported"
    ]
    without = note("## Moves\n- Squat\n\nAbout 20 minutes in all.\n").routine.schedule
    assert without.minutes == 20  # the only section's paragraph, when nothing else says it


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (r"[[Health/Exercises for hip pain\|Exercises for hip pain]]", "Exercises for hip pain"),
        ("[[Health/Exercises for hip pain|hip exercises]]", "hip exercises"),
        ("[[Health/Stretches for hip pain]]", "Stretches for hip pain"),
        ("[[Stretches#Hips]]", "Stretches"),
    ],
)
def test_wikilinks_become_their_label_as_plain_text(text, label):
    assert notetext.clean_inline(f"See {text} too").text == f"See {label} too"
    assert notetext.clean_inline(text).links == ()


def test_image_embeds_become_the_image_reference_never_text():
    ex = only_exercise("- Clamshell ![[clam shell.png|300]]\n")
    assert (ex.title, ex.image) == ("Clamshell", "clam shell.png")
    ex = only_exercise("- Clamshell ![side view](img/clam.jpg)\n")
    assert (ex.title, ex.image) == ("Clamshell", "img/clam.jpg")


@pytest.mark.parametrize(
    "scheme", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd"]
)
def test_links_other_than_http_are_dropped_with_a_warning(scheme):
    result = note(f"- Squat [see this]({scheme})\n")
    (ex,) = result.routine.sections[0].exercises
    assert (ex.title, ex.links) == ("Squat see this", ())
    assert [w.line for w in result.warnings] == [1]
    assert "dropped" in result.warnings[0].message


def test_other_links_stay_links_and_lose_their_tracking_parameters():
    ex = only_exercise(
        "- Yoga twist https://yoga.example.com/twist?utm_source=ig&id=4&fbclid=x#how\n"
    )
    assert ex.title == "Yoga twist"
    assert [(ln.title, ln.url) for ln in ex.links] == [
        ("yoga.example.com", "https://yoga.example.com/twist?id=4#how")
    ]


def test_callouts_of_each_kind_attach_to_the_item_above():
    result = note(
        """\
        ## Stretch
        - Couch stretch
        > [!tip]- Keep your hips square
        - Hip flexor stretch

            > [!note]+
            > Squeeze the glute.
        - Side adductor stretch
            > [!info] Half Kneeling Adductor Stretch
            > How to set it up.
            > https://youtu.be/BxNKK1Ic0Vk
        - Yoga twist
            > [!info] Relax and energize
            > A quick twist.
            > [https://yoga.example.com/twist](https://yoga.example.com/twist)
        """
    )
    couch, flexor, adductor, twist = result.routine.sections[0].exercises
    assert couch.notes == "Keep your hips square"
    assert flexor.notes == "Squeeze the glute."
    assert (adductor.video.title, adductor.video.description) == (
        "Half Kneeling Adductor Stretch",
        "How to set it up.",
    )
    assert (twist.notes, [(ln.title, ln.url) for ln in twist.links]) == (
        "A quick twist.",
        [("Relax and energize", "https://yoga.example.com/twist")],
    )
    assert result.warnings == ()


def test_a_second_video_on_an_item_becomes_a_link():
    ex = only_exercise(
        "- Squat https://youtu.be/fcnv4gyMzf8\n"
        "    > [!info] Another squat video\n"
        "    > https://youtu.be/DzJmhyhP-Kw\n"
    )
    assert ex.video.video_id == "fcnv4gyMzf8"
    assert [(ln.title, ln.url) for ln in ex.links] == [
        ("Another squat video", "https://youtu.be/DzJmhyhP-Kw")
    ]


def test_a_link_only_item_takes_its_title_from_the_callout():
    ex = only_exercise(
        "- https://youtu.be/fcnv4gyMzf8\n"
        "    > [!info] Cat cow demo\n"
        "    > Slowly.\n"
        "    > [https://youtu.be/fcnv4gyMzf8](https://youtu.be/fcnv4gyMzf8)\n"
    )
    assert (ex.title, ex.video.title, ex.video.description) == ("Cat cow demo",) * 2 + ("Slowly.",)


def test_nested_items_are_steps_with_spaces_or_tabs_and_any_marker():
    for nested in ("  - ", "    * ", "\t+ ", "   1. "):
        ex = only_exercise(f"1. Four moves\n{nested}dead bug\n{nested}Side plank — 20 s\n")
        assert [(s.id, s.title, s.notes) for s in ex.steps] == [
            ("dead-bug", "Dead bug", ""),
            ("side-plank", "Side plank", "20 s"),
        ]


@pytest.mark.parametrize(
    ("filename", "front", "expected"),
    [
        ("../../x.md", "", "x"),
        ("/etc/passwd", "", "passwd"),
        (r"C:\notes\..\Évora Ünïcode.md", "", "evora-unicode"),
        ("🦵🦵.md", "", "routine"),
        ("a.md", "permalink: ../../etc/cron.d/", "cron-d"),
        ("a.md", "permalink: /", "a"),
        ("a.md", "id: ../../../tmp/x", "tmp-x"),
        ("a.md", "permalink: '/..\\\\..\\\\win\\\\'", "win"),
        ("a.md", f"permalink: /{'long-' * 30}/", ("long-" * 13)[:64].strip("-")),
    ],
)
def test_the_routine_id_is_always_a_safe_slug(filename, front, expected):
    text = f"---\n{front}\n---\n- Squat\n" if front else "- Squat\n"
    routine = import_note(text, filename).routine
    assert routine.id == expected
    assert SLUG.match(routine.id)


def test_title_from_front_matter_then_first_heading_then_file_name():
    assert note("---\ntitle: From front\n---\n# Heading\n- a\n").routine.title == "From front"
    assert note("# From heading\n- a\n", "x.md").routine.title == "From heading"
    assert note("- a\n", "Desk Stretches.md").routine.title == "Desk Stretches"
    assert note("- a\n", "desk_stretches.md").routine.title == "Desk Stretches"


def test_a_title_heading_is_not_a_section_but_later_headings_of_any_level_are():
    routine = note("# Title\n\nIntro.\n\n#### Deep\n- a\n# Top again\n- b\n").routine
    assert routine.title == "Title"
    assert [(s.id, s.title) for s in routine.sections] == [
        ("deep", "Deep"),
        ("top-again", "Top again"),
    ]


def test_ids_are_short_and_unique_within_their_parent():
    routine = note("## Moves\n- Squat\n- Squat (wide)\n- squat!\n## Moves\n- Squat\n").routine
    assert [s.id for s in routine.sections] == ["moves", "moves-2"]
    assert [e.id for e in routine.sections[0].exercises] == ["squat", "squat-2", "squat-3"]


def test_front_matter_problems_are_warnings_and_the_note_still_imports():
    broken = note("---\ntitle: [unclosed\n---\n- a\n", "broken.md")
    assert broken.routine.title == "Broken"
    assert [str(w) for w in broken.warnings] == [
        "line 2: front matter is neither valid JSON nor YAML; ignored"
    ]
    unclosed = note("---\ntitle: x\n- a\n", "u.md")
    assert [str(w) for w in unclosed.warnings] == [
        "line 1: front matter is never closed by a '---' line; read as text"
    ]
    assert unclosed.routine.summary == "title: x"
    assert [e.title for e in unclosed.routine.sections[0].exercises] == ["A"]


def test_a_note_without_list_items_is_refused_with_its_warnings():
    with pytest.raises(NoteError, match="no exercises found") as exc:
        note("# Just a title\n\nSome prose.\n\n## A heading\n\nMore prose.\n")
    assert [w.line for w in exc.value.warnings] == [5, 7]


def test_a_very_long_line_is_cut_with_a_warning():
    result = note("- Squat " + "x" * 5000 + "\n")
    assert len(result.routine.sections[0].exercises[0].title) < 2100
    assert [str(w) for w in result.warnings] == [
        "line 1: very long line: only its first 2000 characters read"
    ]


def test_markdown_marks_html_and_entities_are_removed_from_titles():
    ex = only_exercise("- **Glute** _bridge_ ==now== `x` <b>ok</b> &amp; more [^1] ^block1\n")
    assert ex.title == "Glute bridge now x ok & more"


def test_crlf_and_a_bom_are_read_like_any_note():
    crlf = "\ufeff---\r\ntitle: T\r\n---\r\n## S\r\n- a\r\n- b\r\n"
    routine = import_note(crlf, "c.md").routine
    assert routine.title == "T"
    assert [e.title for e in routine.sections[0].exercises] == ["A", "B"]


@pytest.mark.parametrize("name", sorted(FIXTURE_WARNINGS))
def test_an_imported_routine_survives_its_own_yaml(name):
    r = imported(name).routine
    assert parse_routine(dump_routine(r), name) == r
