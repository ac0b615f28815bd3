"""`python -m hipdash import` end to end: real files, real exit codes and messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hipdash.__main__ import main
from hipdash.importing import ImportRefused, plan_import, save
from hipdash.importing import plan as importer
from hipdash.routines import load_routine

from .conftest import PROJECT, ROUTINE_1

NOTES = Path(__file__).parent / "fixtures" / "notes"
REAL_NOTE = NOTES / "hip-therapy-routine-1.md"


def run(*args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "hipdash", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def files(directory: Path) -> dict[str, bytes]:
    return (
        {p.name: p.read_bytes() for p in sorted(directory.iterdir())} if directory.exists() else {}
    )


@pytest.fixture
def out(tmp_path) -> Path:
    return tmp_path / "routines"


def test_import_writes_the_routine_and_prints_a_summary(out):
    done = run("import", str(NOTES / "knee-and-hip-plan.md"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Knee & Hip Plan (id knee-hip-plan) from knee-and-hip-plan.md",
        "  2 sections, 6 exercises, 7 items, 1 video, 0 warnings",
        "  Target: 2 sessions a week · about 45 minutes",
        "  read: line 9: “Twice a week” read as the target: 2 sessions a week",
        "  read: line 24: “hold 60 s” in “Wall sit” read as a hold of 60 s",
        "  read: line 26: “3 × 8 each leg” at the end of “Split squat” read as its dose",
        f"wrote {out / 'knee-hip-plan.yaml'}",
    ]
    assert list(files(out)) == ["knee-hip-plan.yaml"]
    assert load_routine(out / "knee-hip-plan.yaml") == load_routine(
        NOTES / "expected" / "knee-and-hip-plan.yaml"
    )
    assert run("check", "--routines-dir", str(out)).returncode == 0


def test_warnings_are_printed_with_their_line_numbers(out):
    done = run("import", str(NOTES / "messy.md"), "--out", str(out))
    assert done.returncode == 0
    assert "13 warnings" in done.stdout
    assert "  warning: line 14: link to “javascript:alert(1)” dropped" in done.stdout


def test_it_never_overwrites_without_force(out):
    out.mkdir()
    (out / "knee-hip-plan.yaml").write_text("id: knee-hip-plan\n")  # even a broken file
    before = files(out)
    done = run("import", str(NOTES / "knee-and-hip-plan.md"), "--out", str(out))
    assert done.returncode == 1
    assert "already exists; nothing written (re-run with --force to replace it)" in done.stderr
    assert files(out) == before


def test_dry_run_writes_nothing_and_says_what_it_would_do(out):
    done = run("import", str(REAL_NOTE), "--out", str(out), "--dry-run")
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1] == (
        f"dry run: would write {out / 'hip-therapy-routine-1.yaml'}; nothing written"
    )
    assert not out.exists()


def test_reimport_with_force_keeps_the_ids_and_lists_the_changes(out):
    out.mkdir()
    (out / ROUTINE_1.name).write_bytes(ROUTINE_1.read_bytes())
    changed = out.parent / "hip-therapy-routine-1.md"
    changed.write_text(
        REAL_NOTE.read_text()
        .replace("- Wrist stretches\n", "")
        .replace("- couch", "- Kneeling couch")
    )
    refused = run("import", str(changed), "--out", str(out))
    assert refused.returncode == 1
    assert "  removed: Wrist stretches, in Release (its history stays in the log)" in (
        refused.stdout.splitlines()
    )
    assert (out / ROUTINE_1.name).read_bytes() == ROUTINE_1.read_bytes()

    forced = run("import", str(changed), "--out", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert (
        "  changed: Couch stretch: renamed “Kneeling couch stretch”" in forced.stdout.splitlines()
    )
    saved = load_routine(out / ROUTINE_1.name)
    assert "release/wrist-stretches" not in saved.item_keys
    assert set(saved.item_keys) == set(load_routine(ROUTINE_1).item_keys) - {
        "release/wrist-stretches"
    }


def test_reimporting_the_unchanged_note_over_the_committed_routine_changes_nothing(out):
    out.mkdir()
    (out / ROUTINE_1.name).write_bytes(ROUTINE_1.read_bytes())
    assert main(["import", str(REAL_NOTE), "--out", str(out), "--force"]) == 0
    assert load_routine(out / ROUTINE_1.name) == load_routine(ROUTINE_1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n\t\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not a markdown note"),
        (b"- caf\xe9\n", "not UTF-8 text"),
        (b"- squat\n" * 700_000, "too large (5,600,000 bytes); a note can be at most 256 KB"),
        (b"# Title\n\nJust prose, no list.\n", "no exercises found"),
    ],
)
def test_bad_notes_get_a_clear_message_and_nothing_is_written(
    tmp_path, out, capsys, content, message
):
    bad = tmp_path / "bad.md"
    bad.write_bytes(content)
    assert main(["import", str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert message in err and err.rstrip().endswith("nothing written")
    assert not out.exists()


def test_a_missing_note_is_an_error(tmp_path, capsys):
    assert main(["import", str(tmp_path / "nope.md"), "--out", str(tmp_path)]) == 1
    assert "cannot be read (No such file or directory)" in capsys.readouterr().err


def test_an_id_used_by_another_routine_file_is_refused_even_with_force(out, capsys):
    out.mkdir()
    (out / "my-routine.yaml").write_bytes(ROUTINE_1.read_bytes())  # id hip-therapy-routine-1
    before = files(out)
    assert main(["import", str(REAL_NOTE), "--out", str(out), "--force"]) == 1
    err = capsys.readouterr().err
    assert "the id 'hip-therapy-routine-1' is already used by my-routine.yaml" in err
    assert files(out) == before


def test_a_routine_imported_from_another_note_is_not_replaced(tmp_path, out, capsys):
    out.mkdir()
    first = tmp_path / "one.md"
    first.write_text("---\nid: shared\n---\n- Squat\n")
    second = tmp_path / "two.md"
    second.write_text("---\nid: shared\n---\n- Lunge\n")
    assert main(["import", str(first), "--out", str(out)]) == 0
    before = files(out)
    assert main(["import", str(second), "--out", str(out), "--force"]) == 1
    assert "shared.yaml was imported from another note (one.md)" in capsys.readouterr().err
    assert files(out) == before


def test_a_copy_of_a_note_is_refused_with_advice_that_works(tmp_path, out, capsys):
    """A copy of the note under another file name has the same id (from its `permalink:`):
    renaming the file would not help, so the refusal does not say to; an `id:` does."""
    out.mkdir()
    assert main(["import", str(REAL_NOTE), "--out", str(out)]) == 0
    copy = tmp_path / "hip-therapy-routine-2.md"
    text = REAL_NOTE.read_text(encoding="utf-8")
    assert '---\n{"dg-publish":true,"permalink":' in text
    copy.write_text(text, encoding="utf-8")
    assert main(["import", str(copy), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "give the note its own `id:`" in err and "rename" not in err
    given = text.replace('{"dg-publish"', '{"id":"my-copy","dg-publish"', 1)
    copy.write_text(given, encoding="utf-8")
    assert main(["import", str(copy), "--out", str(out)]) == 0
    assert (out / "my-copy.yaml").exists()


@pytest.mark.parametrize("permalink", ["../../escaped", "/abs/../../../tmp/escaped"])
def test_the_file_always_lands_inside_the_out_folder(tmp_path, out, permalink):
    hostile = tmp_path / "n.md"
    hostile.write_text(f"---\npermalink: {permalink}\n---\n- Squat\n")
    assert main(["import", str(hostile), "--out", str(out)]) == 0
    assert list(files(out)) == ["escaped.yaml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.md", "routines"]


def test_by_default_it_writes_into_your_routines_in_the_data_dir(tmp_path, monkeypatch, data_dir):
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(bundled))
    assert main(["import", str(NOTES / "morning-mobility.md")]) == 0
    assert sorted(p.name for p in (data_dir / "routines").iterdir()) == [
        "morning-mobility.yaml",
        "notes",  # it follows the note it came from (tests/test_follow.py)
    ]
    assert list(bundled.iterdir()) == []  # the bundled folder is never written


def test_usage_errors_exit_2():
    done = run("import")
    assert done.returncode == 2
    assert "the following arguments are required: note" in done.stderr


def test_an_unwritable_out_folder_is_a_clear_error(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = main(["import", str(NOTES / "morning-mobility.md"), "--out", str(blocker / "sub")])
    assert code == 1
    err = capsys.readouterr().err
    assert f"error: cannot write in {blocker / 'sub'}" in err and "nothing written" in err


def test_save_is_atomic_a_failed_write_leaves_the_old_file_and_no_temp_file(out, monkeypatch):
    out.mkdir()
    (out / ROUTINE_1.name).write_bytes(ROUTINE_1.read_bytes())
    plan = plan_import(REAL_NOTE.read_bytes(), REAL_NOTE.name, out)

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(importer.os, "fsync", disk_full)
    with pytest.raises(ImportRefused, match="No space left on device"):
        save(plan, replace=True)
    assert files(out) == {ROUTINE_1.name: ROUTINE_1.read_bytes()}


def test_save_never_overwrites_a_file_that_appeared_after_the_plan(out):
    plan = plan_import((NOTES / "messy.md").read_bytes(), "messy.md", out)
    assert not plan.replaces
    out.mkdir()
    (out / "passwd.yaml").write_text("someone else's\n")
    with pytest.raises(ImportRefused, match="already exists"):
        save(plan)
    assert files(out) == {"passwd.yaml": b"someone else's\n"}


# --- Lists left out, dry runs, exit codes, hostile front matter -------------------------------


def test_lists_left_out_are_printed_with_their_reasons_and_keep_all_keeps_them(out):
    note = NOTES / "knee-rehab-with-videos.md"
    left = [
        "line 5: Notes (2 items): looks like notes or disclaimers",
        "line 9: Equipment (2 items): looks like an equipment list",
        "line 36: Muscles worked (2 items): looks like a list of muscles",
        "line 41: Diet (2 items): looks like a diet or nutrition list",
    ]
    done = run("import", str(note), "--out", str(out))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1] == "  1 section, 5 exercises, 6 items, 4 videos, 1 warning"
    assert [ln for ln in lines if "left out" in ln] == [f"  left out: {x}" for x in left] + [
        "  lists left out are not ticked off; --keep-all keeps them"
    ]
    written = out / "knee-rehab-with-videos.yaml"
    assert load_routine(written) == load_routine(NOTES / "expected" / "knee-rehab-with-videos.yaml")

    kept = run("import", str(note), "--out", str(out), "--keep-all", "--force")
    assert kept.returncode == 0, kept.stderr
    assert [ln for ln in kept.stdout.splitlines() if ln.startswith("  kept (")] == [
        f"  kept (--keep-all): {x}" for x in left
    ]
    assert [s.title for s in load_routine(written).sections] == [
        "Notes",
        "Equipment",
        "Routine",
        "Muscles worked",
        "Diet",
    ]


def test_a_dry_run_over_an_existing_routine_says_what_would_happen_and_exits_0(out):
    out.mkdir()
    (out / ROUTINE_1.name).write_bytes(ROUTINE_1.read_bytes())
    same = run("import", str(REAL_NOTE), "--out", str(out), "--dry-run")
    assert same.returncode == 0, same.stderr
    assert same.stdout.splitlines()[-1] == (
        f"dry run: no changes to {out / ROUTINE_1.name}; nothing written"
    )
    changed = out.parent / "hip-therapy-routine-1.md"
    changed.write_text(REAL_NOTE.read_text().replace("- Wrist stretches\n", ""))
    would = run("import", str(changed), "--out", str(out), "--dry-run")
    assert (would.returncode, would.stdout.splitlines()[-1]) == (
        0,
        f"dry run: would replace {out / ROUTINE_1.name} (with --force); nothing written",
    )
    forced = run("import", str(changed), "--out", str(out), "--dry-run", "--force")
    assert forced.stdout.splitlines()[-1] == (
        f"dry run: would replace {out / ROUTINE_1.name}; nothing written"
    )
    assert files(out) == {ROUTINE_1.name: ROUTINE_1.read_bytes()}


def test_a_dry_run_that_could_never_be_saved_still_exits_1(out, capsys):
    out.mkdir()
    (out / "my-routine.yaml").write_bytes(ROUTINE_1.read_bytes())  # id hip-therapy-routine-1
    assert main(["import", str(REAL_NOTE), "--out", str(out), "--dry-run"]) == 1
    assert "is already used by my-routine.yaml" in capsys.readouterr().err


def test_the_help_states_the_exit_codes():
    done = run("import", "--help")
    assert done.returncode == 0
    assert "exit codes:\n  0  written; with --dry-run: the note would import" in done.stdout
    assert "\n  1  nothing written:" in done.stdout and "\n  2  a usage error" in done.stdout


BILLION_LAUGHS = NOTES / "hostile" / "billion-laughs.md"


def test_the_billion_laughs_note_is_the_365_byte_one():
    raw = BILLION_LAUGHS.read_bytes()
    assert len(raw) == 365
    assert b'a: &a ["lol"' in raw and b"h: &h [*g" in raw and b"title: *h" in raw


def test_a_note_with_yaml_aliases_is_refused_in_under_a_second_by_the_cli(out, figures):
    import resource
    import time

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = run("import", str(BILLION_LAUGHS), "--out", str(out), "--dry-run")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert done.returncode == 1
    assert done.stderr.startswith(
        "hipdash import: error: billion-laughs.md: line 3: the front matter uses a YAML alias "
        "(*a): a note never needs one"
    )
    assert done.stderr.rstrip().endswith("; nothing written") and not out.exists()
    # CPU time is what the note costs; the wall time also holds the interpreter's start
    # and whatever else this shared machine is doing.
    figures.append(
        f"billion-laughs note (365 bytes, 10^8 items by aliases): `import --dry-run` refused "
        f"in {wall:.2f} s wall, {cpu:.2f} s CPU in a new process (it used to run for minutes)"
    )
    print(figures[-1])
    assert cpu < 1.0 and wall < 5.0


def test_importing_over_a_bundled_routine_saves_yours_and_keeps_the_bundled_one(data_dir, capsys):
    """The README's first command, on a fresh install: the bundled routine of the note's id
    is not the person's, so no --force; it is set aside as a previous version."""
    changed = REAL_NOTE.read_text().replace("- Wrist stretches\n", "")
    note = data_dir.parent / REAL_NOTE.name
    note.write_text(changed)
    assert main(["import", str(note), "--dry-run"]) == 0
    assert f"would write {data_dir / 'routines' / ROUTINE_1.name}" in capsys.readouterr().out
    assert main(["import", str(note)]) == 0
    out = capsys.readouterr().out
    assert "  over the bundled routine hip-therapy-routine-1: saved as yours" in out
    assert "  removed: Wrist stretches, in Release (its history stays in the log)" in (out)
    assert "the bundled routine it sets aside is kept" in out
    yours = load_routine(data_dir / "routines" / ROUTINE_1.name)
    assert "release/wrist-stretches" not in yours.item_keys
    (kept,) = (data_dir / "routines" / "previous" / "hip-therapy-routine-1").iterdir()
    assert kept.read_bytes() == ROUTINE_1.read_bytes()
    assert ROUTINE_1.read_bytes() == (PROJECT / "routines" / ROUTINE_1.name).read_bytes()

    assert main(["import", str(note)]) == 0  # the same note again: nothing to do
    assert "no changes; nothing written" in capsys.readouterr().out
    note.write_text(REAL_NOTE.read_text())  # yours now: replacing it needs --force
    assert main(["import", str(note)]) == 1
    assert "already exists; nothing written (re-run with --force" in capsys.readouterr().err


def test_check_validates_the_bundled_routines_and_yours(data_dir):
    yours = data_dir / "routines"
    yours.mkdir(parents=True)
    (yours / "knee-hip-plan.yaml").write_bytes(
        (NOTES / "expected" / "knee-and-hip-plan.yaml").read_bytes()
    )
    done = run("check")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"bundled: {PROJECT / 'routines'}",
        "ok  hip-therapy-routine-1.yaml: Hip Therapy Routine 1 — 3 sections, 16 items, 8 videos",
        f"yours: {yours}",
        "ok  knee-hip-plan.yaml: Knee & Hip Plan — 2 sections, 7 items, 1 video",
        "2 of 2 routine files valid",
    ]
    (yours / "broken.yaml").write_text("id: broken\n")
    done = run("check")
    assert done.returncode == 1
    assert f"{yours / 'broken.yaml'}: title: missing required key" in done.stderr
    assert done.stdout.splitlines()[-1] == "2 of 3 routine files valid"
