"""Routine YAML: the committed routine, and every kind of mistake a person can make."""

import subprocess
import sys
import textwrap

import pytest

from hipdash.routines import (
    RoutineError,
    dump_routine,
    load_routine,
    load_routines,
    parse_routine,
    slugify,
)

from .conftest import PROJECT, ROUTINE_1, VALID, plain


def problems_of(text: str) -> list[str]:
    with pytest.raises(RoutineError) as exc:
        parse_routine(textwrap.dedent(text), "mini.yaml")
    return exc.value.problems


def test_routine_1_is_a_faithful_transcription_of_the_note(routine1):
    assert routine1.id == "hip-therapy-routine-1"
    assert routine1.title == "Hip Therapy Routine 1"
    assert [s.title for s in routine1.sections] == ["Release", "Strengthen", "Stretch"]
    assert [len(s.exercises) for s in routine1.sections] == [6, 2, 5]
    assert len(routine1.items()) == 16
    assert routine1.schedule.sessions_per_week == 3
    assert routine1.schedule.minutes == 30
    assert "I’m not at the gym" in routine1.summary and "â€" not in routine1.summary
    assert [link.url for link in routine1.links] == ["https://www.instagram.com/reel/CYZRNkRqcu0/"]
    videos = {v.video_id: v for v in routine1.videos}
    assert list(videos) == [
        "fcnv4gyMzf8",
        "DzJmhyhP-Kw",
        "5nbiroAor8c",
        "12NGWxpDlr8",
        "vq5-vdgJc0I",
        "d9pOjXCKGN8",
        "cJSve88Yp4M",
        "BxNKK1Ic0Vk",
    ]
    assert all(v.title and v.description for v in videos.values())
    assert videos["12NGWxpDlr8"].title == (
        "Top 4 Hip Strength & Stability Exercises (NO MORE HIP PAIN)"
    )
    four = routine1.sections[1].exercises[0]
    assert [s.title for s in four.steps] == [
        "Dead bug",
        "Side plank clamshell",
        "Leg extension to side",
        "Unassisted hip airplane",
    ]
    assert routine1.sections[1].exercises[1].title == "Pistol squat preparation with height"
    stretch = {ex.id: ex for ex in routine1.sections[2].exercises}
    assert stretch["pigeon-pose-good-mornings"].notes == "standing with support"
    assert stretch["pigeon-pose-good-mornings"].links[0].url.startswith("https://www.instagram")
    assert stretch["yoga-twist-in-chair"].links[0].url.startswith("https://www.yogauonline.com")
    assert "strengthen/hip-strength-four/dead-bug" in routine1.item_keys


def test_a_video_link_with_a_start_time_keeps_it():
    routine = parse_routine(VALID)
    video = routine.sections[0].exercises[0].video
    assert (video.video_id, video.start) == ("fcnv4gyMzf8", 45)
    assert video.embed_url.endswith("start=45")
    assert routine.item_keys == (
        "warm-up/cat-cow",
        "warm-up/four/dead-bug",
        "warm-up/four/airplane",
    )


def test_dump_and_load_give_back_the_same_routine(routine1):
    assert parse_routine(dump_routine(routine1)) == routine1
    mini = parse_routine(VALID)
    assert parse_routine(dump_routine(mini)) == mini


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("title: Mini routine\n", ""), "mini.yaml: title: missing required key"),
        (("id: mini\n", "id: mini\ncolour: red\n"), "mini.yaml: colour: unknown key"),
        (("id: mini\n", "id: Mini Routine!\n"), "mini.yaml: id: 'Mini Routine!' is not a valid id"),
        (
            ('url: "https://youtu.be/fcnv4gyMzf8?t=45s"', 'url: "https://vimeo.com/1234"'),
            "mini.yaml: sections[0].exercises[0].video.url: 'https://vimeo.com/1234' "
            "is not a YouTube video link",
        ),
        (
            ("id: airplane", "id: dead-bug"),
            "mini.yaml: sections[0].exercises[1].steps[1].id: duplicate id 'dead-bug'",
        ),
        (
            ("id: four\n", "id: cat-cow\n"),
            "mini.yaml: sections[0].exercises[1].id: duplicate id 'cat-cow'",
        ),
        (
            ("        title: Four\n", "        title: Four\n        hold_seconds: -3\n"),
            "mini.yaml: sections[0].exercises[1].hold_seconds: expected a whole number",
        ),
        (
            ("        title: Four\n", "        title: Four\n        tempo: 3\n"),
            "mini.yaml: sections[0].exercises[1].tempo: unknown key",
        ),
        (
            (
                "        title: Four\n",
                "        title: Four\n        links: [{url: 'javascript:x'}]\n",
            ),
            "mini.yaml: sections[0].exercises[1].links[0].url: 'javascript:x' is not an http(s)",
        ),
        (("    exercises:\n", "    exercises: nope\n    x:\n"), "expected a list, got str"),
        (
            ("title: Mini routine\n", "title: Mini\nschedule: {sessions_per_week: 0}\n"),
            "mini.yaml: schedule.sessions_per_week: expected a whole number from 1 to 14",
        ),
        (("  - id: warm-up\n", "  - id: warm-up\n    icon: x\n"), "mini.yaml: sections[0].icon"),
        (
            ("  - id: warm-up\n", "  - id: warm-up\n    rounds: 0\n"),
            "mini.yaml: sections[0].rounds: expected a whole number from 1 to 20",
        ),
        (
            ("  - id: warm-up\n", "  - id: warm-up\n    rounds: three\n"),
            "mini.yaml: sections[0].rounds: expected a whole number from 1 to 20",
        ),
        (
            ("  - id: warm-up\n", "  - id: warm-up\n    rest_seconds: 601\n"),
            "mini.yaml: sections[0].rest_seconds: expected a whole number from 0 to 600",
        ),
    ],
)
def test_each_mistake_names_the_file_the_place_and_what_is_wrong(change, expected):
    old, new = change
    assert old in VALID
    problems = problems_of(VALID.replace(old, new, 1))
    assert any(p.startswith(expected) or expected in p for p in problems), problems


def test_a_section_may_be_a_circuit_of_rounds_with_a_rest_between_exercises():
    circuit = "  - id: warm-up\n    rounds: 3\n    rest_seconds: 15\n"
    routine = parse_routine(VALID.replace("  - id: warm-up\n", circuit))
    section = routine.sections[0]
    assert (section.rounds, section.rest_seconds, section.circuit) == (3, 15, True)
    assert parse_routine(dump_routine(routine)) == routine
    assert "  rounds: 3\n  rest_seconds: 15\n  exercises:" in dump_routine(routine)
    older = parse_routine(VALID).sections[0]  # a file without them: no circuit, no rest
    assert (older.rounds, older.rest_seconds, older.circuit) == (None, None, False)
    assert "rounds" not in dump_routine(parse_routine(VALID))


def test_all_problems_of_a_file_are_reported_together():
    text = VALID.replace("id: mini\n", "").replace("id: airplane", "id: dead-bug")
    problems = problems_of(text)
    assert len(problems) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "top level: expected a mapping, got nothing"),
        ("- just\n- a list\n", "top level: expected a mapping, got list"),
        ("id: [unclosed\n", "line 2, column 1: not valid YAML"),
        ("id: x\ntitle: y\nsections: []\n", "sections: a routine needs at least one section"),
    ],
)
def test_documents_that_are_not_routines(text, expected):
    assert any(expected in p for p in problems_of(text))


def test_load_routines_reports_bad_files_and_keeps_the_good(tmp_path):
    (tmp_path / "good.yaml").write_text(VALID)
    (tmp_path / "clash.yaml").write_text(VALID)  # same id: refused
    (tmp_path / "bad.yaml").write_text("id: x\n")
    (tmp_path / "binary.yaml").write_bytes(b"\xff\xfe\x00garbage")
    routines, problems = load_routines(tmp_path)
    assert [r.id for r in routines] == ["mini"]
    assert any("bad.yaml: title: missing required key" in p for p in problems)
    assert any("binary.yaml: not UTF-8 text" in p for p in problems)
    assert any("good.yaml: id: 'mini' is already used by" in p for p in problems)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(RoutineError, match="cannot be read"):
        load_routine(tmp_path / "nope.yaml")


def test_slugify_makes_log_safe_ids():
    assert slugify("Cat/cow stretch") == "cat-cow-stretch"
    assert slugify("Ünassisted  hip — airplane!") == "unassisted-hip-airplane"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("🦵🦵") == "item"


def run_check(*args):
    return subprocess.run(
        [sys.executable, "-m", "hipdash", "check", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT,
    )


def test_cli_check_passes_on_the_committed_routines():
    result = run_check()
    assert result.returncode == 0, result.stderr
    assert "hip-therapy-routine-1.yaml: Hip Therapy Routine 1 — 3 sections, 16 items" in (
        result.stdout
    )


def test_cli_check_exits_1_with_the_messages(tmp_path):
    (tmp_path / "ok.yaml").write_text(ROUTINE_1.read_text())
    (tmp_path / "broken.yaml").write_text(
        VALID.replace('"https://youtu.be/fcnv4gyMzf8?t=45s"', '"https://example.com/x"')
    )
    result = run_check("--routines-dir", str(tmp_path))
    assert result.returncode == 1
    assert "broken.yaml: sections[0].exercises[0].video.url" in result.stderr
    assert "not a YouTube video link" in result.stderr
    assert "ok  ok.yaml" in result.stdout


def test_cli_check_with_no_routines_fails(tmp_path):
    result = run_check("--routines-dir", str(tmp_path))
    assert result.returncode == 1
    assert "no routine files" in result.stderr


def test_the_pages_name_every_broken_file_however_many_problems_the_first_has(
    app_page, tmp_path, monkeypatch
):
    (tmp_path / "a-good.yaml").write_text(ROUTINE_1.read_text())
    (tmp_path / "b-many.yaml").write_text("".join(f"k{i}: 1\n" for i in range(8)))
    (tmp_path / "c-one.yaml").write_text(VALID.replace("title: Mini routine\n", ""))
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path))
    at = app_page()
    (line,) = [plain(w.value) for w in at.warning]
    assert line == "2 routine files cannot be used (b-many.yaml, c-one.yaml): see Routines"
    at.switch_page("pages/routines.py").run()
    (listed,) = [plain(w.value) for w in at.warning]
    assert f"- **b-many.yaml** in {tmp_path}: k0: unknown key" in listed
    assert "(and 10 more problems)" in listed  # 8 unknown keys and 3 missing ones
    assert f"- **c-one.yaml** in {tmp_path}: title: missing required key" in listed
