"""YAML values a routine file or a note's front matter may hold that Python's YAML would
turn into something else, or fail on: each is read as text or refused with the line,
never another exception."""

from __future__ import annotations

import pytest

from hipdash import yamlsafe
from hipdash.importing import ImportRefused, plan_import
from hipdash.routines import RoutineError, parse_routine

from .conftest import VALID

# Reproduction: every one of these in `summary:` raised ValueError, IndexError, KeyError
# or AttributeError out of the loader, on every page and in every command.
READ_AS_TEXT = {
    "2024-02-30": "2024-02-30",  # a date that does not exist
    "2024-02-01": "2024-02-01",  # a date that does (it was refused as "got date")
    "9" * 5000: "9" * 5000,  # an int past Python's 4,300 digits
    "12345678901234567890": "12345678901234567890",
}
REFUSED = {
    "!!int ''": "'' is not a whole number",
    "!!bool maybe": "'maybe' is not true or false",
    "!!timestamp 'x'": "'x' is not a date",
    "!!float x": "'x' is not a number",
    '"T \\ud800"': "invalid Unicode character escape",  # a lone surrogate
    "!!python/object/apply:os.system [echo]": "could not determine a constructor",
    "!!set {a}": "summary: expected text, got set",
    "!!binary aGk=": "summary: expected text, got bytes",
}


def with_summary(value: str) -> str:
    return VALID.replace("title: Mini routine\n", f"title: Mini routine\nsummary: {value}\n", 1)


@pytest.mark.parametrize(("value", "text"), READ_AS_TEXT.items(), ids=lambda v: str(v)[:20])
def test_a_value_yaml_would_make_a_date_or_a_huge_int_is_read_as_text(value, text):
    assert parse_routine(with_summary(value), "mini.yaml").summary == text


@pytest.mark.parametrize(("value", "expected"), REFUSED.items(), ids=lambda v: str(v)[:20])
def test_a_value_yaml_cannot_build_is_refused_with_its_place(value, expected):
    with pytest.raises(RoutineError) as caught:
        parse_routine(with_summary(value), "mini.yaml")
    (problem,) = caught.value.problems
    assert problem.startswith("mini.yaml: ") and expected in problem, problem


def test_a_huge_number_where_a_number_is_wanted_is_refused_by_its_field():
    huge = "schedule: {sessions_per_week: " + "9" * 50 + "}\n"
    text = VALID.replace("id: mini\n", "id: mini\n" + huge)
    with pytest.raises(RoutineError, match="schedule.sessions_per_week: expected a whole number"):
        parse_routine(text, "mini.yaml")


def test_an_alias_is_refused_by_name_and_line_without_being_expanded():
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{b}: &{b} [*{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}]\n"
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    with pytest.raises(yamlsafe.AliasRefused) as caught:
        yamlsafe.load(laughs)
    assert caught.value.anchor == "a" and caught.value.line == 2


def test_nesting_deeper_than_yaml_allows_is_refused():
    with pytest.raises(yamlsafe.YamlRefused, match="nested too deeply"):
        yamlsafe.load("[" * 100_000)


FRONT_MATTER = [
    "created: 2024-02-30",
    "created: !!timestamp 'x'",
    "title: " + "9" * 5000,
    "id: !!int ''",
    'title: "\\ud800"',
    "tags: !!set {a}",
]


@pytest.mark.parametrize("front", FRONT_MATTER)
def test_a_note_whose_front_matter_yaml_cannot_build_imports_or_is_refused_clearly(front, tmp_path):
    """Reproduction: a note with `created: 2024-02-30` gave a traceback with server paths on
    `import --dry-run` and the Import upload."""
    note = f"---\n{front}\n---\n# Plan\n\n## Moves\n\n- Squat 10 reps\n- Bridge 10 reps\n"
    try:
        plan = plan_import(note.encode(), "plan.md", tmp_path)
    except ImportRefused as exc:  # a clear refusal is fine; any other exception is not
        assert "plan.md" in str(exc)
        return
    assert [e.title for s in plan.routine.sections for e in s.exercises] == ["Squat", "Bridge"]


def test_the_cli_imports_a_note_with_an_impossible_date(tmp_path, capsys):
    from hipdash.__main__ import main

    note = tmp_path / "plan.md"
    note.write_text("---\ncreated: 2024-02-30\n---\n# Plan\n\n## Moves\n\n- Squat 10 reps\n")
    assert main(["import", "--dry-run", str(note)]) == 0
    assert "would write" in capsys.readouterr().out


def test_a_key_given_twice_is_refused_with_its_line_not_read_as_the_last():
    """Reproduction: `title: T` then `title: U` loaded as U, and `sets: 3` then `sets: 20`
    as 20, with no problem said."""
    text = VALID.replace("title: Mini routine\n", "title: Mini routine\ntitle: Other\n", 1)
    with pytest.raises(RoutineError) as caught:
        parse_routine(text, "mini.yaml")
    (problem,) = caught.value.problems
    line = text.splitlines().index("title: Other") + 1
    assert problem == f"mini.yaml: line {line}, column 1: the key 'title' is given twice"
    with pytest.raises(yamlsafe.YamlRefused, match="the key 'sets' is given twice"):
        yamlsafe.load("- {sets: 3, reps: 8, sets: 20}")
    assert yamlsafe.load("- {sets: 3}\n- {sets: 20}") == [{"sets": 3}, {"sets": 20}]


@pytest.mark.parametrize("front", ["title: {a: b}", "id: [1, 2]", "schedule: [3]"])
def test_front_matter_that_should_be_text_and_is_not_is_left_out_with_a_warning(front, tmp_path):
    """Reproduction: `title: {a: b}` made the title "{'a': 'b'}", `id: [1,2]` the id 1-2."""
    note = f"---\n{front}\n---\n# Plan\n\n## Moves\n\n- Squat 10 reps\n- Bridge 10 reps\n"
    plan = plan_import(note.encode(), "plan.md", tmp_path)
    assert (plan.routine.id, plan.routine.title) == ("plan", "Plan")
    key = front.split(":")[0]
    assert f"front matter {key} is not text; ignored" in [w.message for w in plan.warnings]


def test_front_matter_with_a_key_twice_is_kept_and_said_when_the_import_uses_it(tmp_path):
    """A note's front matter is Obsidian's: a key twice (`tags` written in two places) kept
    the note's title and id before; refusing it made a re-import a new routine."""
    body = "# Plan\n\n## Moves\n\n- Squat 10 reps\n- Bridge 10 reps\n"
    front = "title: My hips\nid: my-hips\ntags: [a]\ntags: [b]\n"
    plan = plan_import(f"---\n{front}---\n{body}".encode(), "dup.md", tmp_path)
    assert (plan.routine.id, plan.routine.title) == ("my-hips", "My hips")
    assert not [w for w in plan.warnings if "front matter" in w.message]
    twice = "title: Old\nid: my-hips\ntitle: My hips\n"
    plan = plan_import(f"---\n{twice}---\n{body}".encode(), "dup.md", tmp_path)
    assert (plan.routine.id, plan.routine.title) == ("my-hips", "My hips")
    assert "line 4: front matter gives title twice; the last is used" in map(str, plan.warnings)
    as_json = '{"title": "Old", "id": "my-hips", "tags": {"a": 1, "a": 2}, "title": "My hips"}'
    plan = plan_import(f"---\n{as_json}\n---\n{body}".encode(), "dup.md", tmp_path)
    assert (plan.routine.id, plan.routine.title) == ("my-hips", "My hips")  # as in YAML
    said = [str(w) for w in plan.warnings if "front matter" in w.message]
    assert said == ["line 2: front matter gives title twice; the last is used"]
    for text, line in [
        ('{\n  "title": "Old",\n  "id": "my-hips",\n  "title": "My hips"\n}', 5),
        ('\n\n{\n "title": "Old",\n "t\\u0069tle": "My hips"\n}', 6),  # escaped, low
        ('{\n "title": "Old",\n "title": "My hips",\n "x": {"title": "nested"}\n}', 4),
        ("\ntitle: Old\ntitle: My hips\n", 4),  # and YAML under a blank line
    ]:
        plan = plan_import(f"---\n{text}\n---\n{body}".encode(), "dup.md", tmp_path)
        assert plan.routine.title == "My hips"
        said = [str(w) for w in plan.warnings if "front matter" in w.message]
        assert said == [f"line {line}: front matter gives title twice; the last is used"], text
