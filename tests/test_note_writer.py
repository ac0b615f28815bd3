"""A routine written as a note imports back as the same routine: every bundled routine and
every import fixture, and generated routines whose titles hold markdown, brackets, colons
and non-ASCII text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipdash import dose as doses
from hipdash import youtube
from hipdash.importing.build import import_note
from hipdash.importing.write import as_imported, escape, write_note
from hipdash.models import Exercise, Link, Routine, Schedule, Section, Step, Video
from hipdash.routines import dump_routine, load_routine, parse_routine

from .conftest import FUZZ, PROJECT

NOTES = PROJECT / "tests" / "fixtures" / "notes"
BUNDLED = sorted((PROJECT / "routines").glob("*.yaml"))
FIXTURES = sorted(NOTES.glob("*.md"))


def back(routine: Routine, name: str = "out.md") -> tuple[Routine, tuple[str, ...]]:
    written = write_note(routine, name)
    return import_note(written.text, name, keep="all").routine, written.problems


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_routine_comes_back_from_its_note(path):
    routine = load_routine(path)
    again, problems = back(routine)
    assert problems == ()
    assert again == as_imported(routine, "out.md")


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_import_fixture_comes_back_from_its_note(path):
    routine = import_note(path.read_text(encoding="utf-8"), path.name, keep="all").routine
    again, problems = back(routine, path.name)
    assert problems == ()
    assert again == routine  # an imported routine already states its dose fields


def test_the_note_reads_like_one_a_person_writes(routine1):
    text = write_note(routine1).text
    assert text.startswith("---\nid: hip-therapy-routine-1\ntitle: Hip Therapy Routine 1\n")
    assert "schedule: 3 times a week, about 30 minutes\n" in text
    assert "\n## Release\n\n- Foam roller and/or massage ball" in text
    assert "- Cat/cow stretch ^cat-cow\n    > [!info] How to perform a cat cow stretch" in text
    assert "  - Dead bug ^dead-bug\n" in text  # steps as sub-bullets, with their ids
    assert "- Pigeon pose good mornings (standing with support) ^pigeon-pose" in text


def test_doses_notes_optional_and_stated_fields_are_written_plainly():
    exercise = Exercise(
        "bridge", "Glute bridge", dose="3 × 12", notes="squeeze at the top", sets=4, optional=True
    )
    routine = Routine("r", "R", (Section("main", "Main", (exercise,)),))
    text = write_note(routine).text
    assert "- Glute bridge — 3 × 12 (squeeze at the top) (optional) [sets:: 4] ^bridge\n" in text
    assert back(routine)[0] == as_imported(routine, "out.md")


def test_a_title_the_importer_would_cut_is_written_in_bold_and_comes_back_whole():
    hard = Exercise("wall-sit", "wall sit, hold 60 s — (slow)", dose="3 sets")
    routine = Routine("r", "R", (Section("s", "Equipment", (hard,)),))
    text = write_note(routine).text
    assert "## Equipment ^s\n" in text  # a heading that would be left out keeps its id
    assert "- **" in text
    assert back(routine) == (as_imported(routine, "out.md"), ())


def test_an_unstated_dose_field_comes_back_as_its_words_state_it():
    routine = Routine("r", "R", (Section("s", "S", (Exercise("e", "Squat", dose="3 × 8"),)),))
    again, _ = back(routine)
    assert (again.sections[0].exercises[0].sets, again.sections[0].exercises[0].reps) == (3, 8)


def test_escape_leaves_ordinary_words_alone_and_defuses_marks():
    assert escape("Cat/cow stretch, 90/90 & more") == "Cat/cow stretch, 90/90 & more"
    assert escape("[[x]] **y** <%z%> a::b https://e.com") == (
        r"\[\[x\]\] \*\*y\*\* \<\%z\%\> a\::b https:\//e.com"
    )


# --- Generated routines ------------------------------------------------------------------

PIECES = [
    *"abcXYZ0123 *_[]()#:`<>!|~=^%&-—–.,;/\\'\"",
    *["é", "ß", "ø", "日本", "💪", "Ω", "ж", "[[", "]]", "**", "](", "://", "youtu.be/"],
    *["hold 30 s", " — ", "(optional)", "&amp;", "%%", "<%", "<!--", "::", "^x", "- ", "> "],
    *["Notes:", "TOC", "Equipment", "[ ] ", "{:toc}", "3x8", "60 s", "https://x.y/z", "1. "],
]
VIDEOS = ["https://youtu.be/fcnv4gyMzf8", "https://www.youtube.com/watch?v=DzJmhyhP-Kw&t=45s"]
URLS = ["https://example.com/a", "https://example.org/sheet.pdf?page=2", "https://e.com/a_(b)"]
DOSES = ["", "3 × 8", "2 × 30 s each side", "hold 60 s", "10-15 reps", "twice, gently"]


def text() -> st.SearchStrategy[str]:
    pieces = st.lists(st.sampled_from(PIECES), min_size=1, max_size=8)
    return pieces.map(lambda p: " ".join("".join(p).split())).filter(bool)


IDS = st.from_regex(r"\A[a-z0-9]{1,6}(?:-[a-z0-9]{1,4})?\Z")
MAYBE = st.one_of(st.just(""), text())


def unique(items: list, key) -> tuple:
    seen: set = set()
    return tuple(i for i in items if not (key(i) in seen or seen.add(key(i))))


@st.composite
def videos(draw) -> Video:
    url = draw(st.sampled_from(VIDEOS))
    ref = youtube.parse(url)
    return Video(url, ref.video_id, ref.start, draw(MAYBE), draw(MAYBE))


@st.composite
def exercises(draw) -> Exercise:
    steps = unique(draw(st.lists(st.builds(Step, IDS, text(), MAYBE), max_size=2)), lambda s: s.id)
    words = draw(st.one_of(st.sampled_from(DOSES), text()))
    said = doses.parse(words)
    links = draw(st.lists(st.builds(Link, text(), st.sampled_from(URLS)), max_size=2))
    return Exercise(
        draw(IDS),
        draw(text()),
        video=draw(st.one_of(st.none(), videos())),
        steps=steps,
        notes=draw(MAYBE),
        dose=words,
        links=unique(links, lambda link: link.url),
        image=draw(st.sampled_from(["", "bridge.png"])),
        sets=draw(st.one_of(st.just(said.sets), st.integers(1, 5))),
        hold_seconds=said.hold_seconds,
        optional=draw(st.booleans()),
    )


@st.composite
def routines(draw) -> Routine:
    heads = unique(draw(st.lists(st.tuples(IDS, text()), min_size=1, max_size=2)), lambda t: t[0])
    sections = tuple(
        Section(
            sid,
            title,
            unique(draw(st.lists(exercises(), min_size=1, max_size=3)), id_of),
            rounds=draw(st.none() | st.integers(1, 5)),
            rest_seconds=draw(st.none() | st.integers(0, 90)),
        )
        for sid, title in heads
    )
    links = unique(
        draw(st.lists(st.builds(Link, text(), st.sampled_from(URLS)), max_size=2)), url_of
    )
    routine = Routine(
        draw(IDS),
        draw(text()),
        sections,
        summary="\n\n".join(draw(st.lists(text(), max_size=2))),
        schedule=Schedule(draw(st.integers(1, 14)), draw(st.none() | st.integers(1, 600))),
        links=links,
    )
    return parse_routine(dump_routine(routine))  # valid, as the loader reads it


def id_of(obj) -> str:
    return obj.id


def url_of(link: Link) -> str:
    return link.url


def test_generated_routines_with_hostile_titles_come_back_from_their_notes(figures):
    tried = []

    @settings(FUZZ, max_examples=25)
    @given(routines())
    def write_and_read(routine: Routine) -> None:
        again, problems = back(routine)
        assert problems == ()
        assert again == as_imported(routine, "out.md")
        tried.append(routine)

    write_and_read()
    assert len(tried) >= 20
    figures.append(f"hypothesis: {len(tried)} generated routines written as notes, read back")


def test_what_cannot_be_written_exactly_is_listed_and_the_note_still_imports():
    two_lines = Exercise("e", "Squat", notes="Knees out\nChest up")
    routine = Routine("r", "R", (Section("s", "S", (two_lines,)),))
    again, problems = back(routine)
    assert problems == ("s/e (“Squat”) does not read back exactly",)
    assert again.sections[0].exercises[0].notes == "Knees out; Chest up"
