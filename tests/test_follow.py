"""A routine follows the note it was imported from: the three-way merge, the services on
real files (check, apply, put off, by themselves, gone or unreadable notes, write back),
`hipdash sync` and `hipdash note`, and backups carrying what is remembered."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from hipdash import backup, library
from hipdash.__main__ import main
from hipdash.follow import records, sync
from hipdash.follow.merge import merge, merge_order
from hipdash.library import LibraryError
from hipdash.library import edits as ed
from hipdash.log import Change, CheckoffLog
from hipdash.routines import parse_routine

from .conftest import tree

NOTE = """\
Three times a week.

## Warm up
- Cat cow — 2 × 10
- Clamshells — 2 × 15 each side

## Strength
- Squat — 3 × 8
"""
DAY = date(2026, 11, 24)


@pytest.fixture
def followed(tmp_path, data_dir, monkeypatch):
    """`Hip Plan.md` imported by path with `hipdash import` (no bundled routines)."""
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path / "none"))
    note = tmp_path / "vault" / "Hip Plan.md"
    note.parent.mkdir()
    note.write_text(NOTE, encoding="utf-8")
    assert main(["import", str(note)]) == 0
    return note


def dirs(tmp_path, data_dir) -> tuple[Path, Path]:
    return data_dir, tmp_path / "none"


def edit_note(note: Path, old: str, new: str) -> None:
    text = note.read_text(encoding="utf-8")
    assert old in text
    note.write_text(text.replace(old, new), encoding="utf-8")


def ticked(data_dir: Path) -> set[str]:
    states = CheckoffLog(data_dir / "checkoffs.csv").day_states("hip-plan")
    return {item for item, n in states.done_on([DAY]).items() if n}


def routine(data_dir: Path):
    return library.current(data_dir, data_dir.parent / "none", "hip-plan").routine


# --- The merge ------------------------------------------------------------------------------

BASE = parse_routine(
    """
id: r
title: R
sections:
  - id: a
    title: A
    exercises:
      - {id: one, title: One, dose: 3 × 8, sets: 3, reps: 8}
      - {id: two, title: Two}
      - {id: three, title: Three}
"""
)


def changed(routine, exercise_id: str, **fields):
    section = routine.sections[0]
    exercises = tuple(replace(e, **fields) if e.id == exercise_id else e for e in section.exercises)
    return replace(routine, sections=(replace(section, exercises=exercises),))


def without(routine, exercise_id: str):
    section = routine.sections[0]
    kept = tuple(e for e in section.exercises if e.id != exercise_id)
    return replace(routine, sections=(replace(section, exercises=kept),))


def test_each_side_s_own_change_is_taken_and_ids_stay():
    ours = changed(BASE, "two", title="Two, renamed here")
    theirs = changed(BASE, "one", dose="3 × 10", reps=10)
    theirs = replace(
        theirs,
        sections=(
            replace(
                theirs.sections[0],
                exercises=(
                    *theirs.sections[0].exercises,
                    replace(BASE.sections[0].exercises[0], id="new", title="New"),
                ),
            ),
        ),
    )
    merged = merge(BASE, ours, theirs)
    assert merged.conflicts == ()
    assert [(e.id, e.title, e.dose) for e in merged.routine.sections[0].exercises] == [
        ("one", "One", "3 × 10"),
        ("two", "Two, renamed here", ""),
        ("three", "Three", ""),
        ("new", "New", "3 × 8"),
    ]


def test_both_changing_the_same_field_asks_and_the_choice_is_taken():
    ours = changed(BASE, "one", dose="3 × 12", reps=12)
    theirs = changed(BASE, "one", dose="4 × 8", sets=4)
    merged = merge(BASE, ours, theirs)
    (conflict,) = merged.conflicts
    assert (conflict.key, conflict.where, conflict.what, conflict.note, conflict.app) == (
        "a/one:dose",
        "A › One",
        "dose",
        "4 × 8",
        "3 × 12",
    )
    assert merged.unanswered({}) == (conflict,)
    assert merged.routine.sections[0].exercises[0].dose == "3 × 12"  # unanswered: the app's
    chosen = merge(BASE, ours, theirs, {"a/one:dose": "note"}).routine.sections[0].exercises[0]
    assert (chosen.dose, chosen.sets, chosen.reps) == ("4 × 8", 4, 8)


def test_removing_on_one_side_wins_unless_the_other_changed_it():
    assert [
        e.id for e in merge(BASE, BASE, without(BASE, "two")).routine.sections[0].exercises
    ] == [
        "one",
        "three",
    ]
    assert merge(BASE, without(BASE, "two"), BASE).routine == without(BASE, "two")
    gone_here = merge(BASE, without(BASE, "two"), changed(BASE, "two", notes="slowly"))
    assert [(c.key, c.what, c.app) for c in gone_here.conflicts] == [
        ("a/two:removed", "removed here", "removed")
    ]
    gone_there = merge(BASE, changed(BASE, "two", notes="x"), without(BASE, "two"))
    assert [c.what for c in gone_there.conflicts] == ["removed in the note"]


def test_order_follows_the_side_that_reordered_and_new_ones_go_after_their_neighbour():
    assert merge_order(["a", "b", "c"], ["a", "b", "c"], ["c", "a", "b"]) == ["c", "a", "b"]
    assert merge_order(["a", "b", "c"], ["b", "a", "c"], ["a", "b", "x", "c"]) == [
        "b",  # the app's order; x after b, as in the note
        "x",
        "a",
        "c",
    ]
    assert merge_order(["a"], ["a", "mine"], ["new", "a"]) == ["new", "a", "mine"]


# --- Following a note on real files ------------------------------------------------------------


def test_importing_by_path_follows_the_note_and_an_unchanged_note_is_the_same(
    followed, data_dir, tmp_path
):
    follow = records.read(data_dir, "hip-plan")
    assert follow.path == followed and follow.digest == records.digest(followed.read_bytes())
    assert (data_dir / "routines" / "notes" / "hip-plan.md").read_bytes() == followed.read_bytes()
    assert sync.check(*dirs(tmp_path, data_dir), "hip-plan").state == "same"


def test_a_changed_note_is_merged_keeping_ids_ticks_and_the_apps_rename(
    followed, data_dir, tmp_path, log
):
    data, bundled = dirs(tmp_path, data_dir)
    log.record([Change(DAY, "hip-plan", "strength/squat", True)])
    rename = lambda r, used: ed.change_exercise(r, "warm-up", "clamshells", {"title": "Side clams"})  # noqa: E731
    library.update(data, bundled, "hip-plan", rename)
    edit_note(followed, "- Squat — 3 × 8", "- Squat — 3 × 10\n- Bird dog — 2 × 10 each side")
    status = sync.check(data, bundled, "hip-plan")
    assert status.state == "changed" and status.conflicts == ()
    assert status.changes.lines() == [
        "adds: Bird dog, in Strength",
        "Squat: 3 × 8 → 3 × 10",
    ]
    sync.apply(data, bundled, status)
    now = routine(data)
    assert [(s.id, [(e.id, e.title, e.dose) for e in s.exercises]) for s in now.sections] == [
        (
            "warm-up",
            [("cat-cow", "Cat cow", "2 × 10"), ("clamshells", "Side clams", "2 × 15 each side")],
        ),
        ("strength", [("squat", "Squat", "3 × 10"), ("bird-dog", "Bird dog", "2 × 10 each side")]),
    ]
    assert ticked(data) == {"strength/squat"}
    assert sync.check(data, bundled, "hip-plan").state == "same"
    assert len(library.versions(data, "hip-plan")) == 2  # the rename's and the merge's


def test_a_change_seen_before_the_note_changed_again_is_refused(followed, data_dir, tmp_path):
    data, bundled = dirs(tmp_path, data_dir)
    edit_note(followed, "3 × 8", "3 × 10")
    seen = sync.check(data, bundled, "hip-plan")
    edit_note(followed, "3 × 10", "5 × 5")
    before = tree(data / "routines")
    with pytest.raises(LibraryError, match="changed since you looked"):
        sync.apply(data, bundled, seen)
    assert tree(data / "routines") == before


def test_a_conflict_must_be_answered_then_its_answer_is_kept(followed, data_dir, tmp_path):
    data, bundled = dirs(tmp_path, data_dir)
    mine = lambda r, used: ed.change_exercise(r, "strength", "squat", {"dose": "3 × 12"})  # noqa: E731
    library.update(data, bundled, "hip-plan", mine)
    edit_note(followed, "3 × 8", "4 × 8")
    status = sync.check(data, bundled, "hip-plan")
    (conflict,) = status.conflicts
    with pytest.raises(LibraryError, match="choose which to keep"):
        sync.apply(data, bundled, status)
    sync.apply(data, bundled, status, {conflict.key: "note"})
    assert routine(data).sections[1].exercises[0].dose == "4 × 8"


def test_a_gone_or_unreadable_note_is_said_and_nothing_changes(
    followed, data_dir, tmp_path, capsys
):
    data, bundled = dirs(tmp_path, data_dir)
    before = tree(data / "routines")
    followed.write_bytes(b"\x00binary")
    unreadable = sync.check(data, bundled, "hip-plan")
    assert unreadable.state == "unreadable" and "binary file" in unreadable.problem
    capsys.readouterr()
    assert main(["sync"]) == 1
    assert "  your note cannot be read: " in capsys.readouterr().out
    followed.unlink()
    gone = sync.check(data, bundled, "hip-plan")
    assert gone.state == "gone" and "cannot be read" in gone.problem
    assert main(["sync"]) == 1
    assert "  your note is gone: " in capsys.readouterr().out
    assert tree(data / "routines") == before


def test_a_deleted_routine_s_note_is_not_checked_until_it_is_brought_back(
    followed, data_dir, tmp_path
):
    data, bundled = dirs(tmp_path, data_dir)
    edit_note(followed, "3 × 8", "3 × 10")
    library.delete(data, bundled, "hip-plan")
    assert sync.check(data, bundled, "hip-plan") is None and main(["sync"]) == 0
    library.undelete(data, bundled, "hip-plan")
    assert sync.check(data, bundled, "hip-plan").state == "changed"


def test_not_now_puts_a_change_off_until_the_note_changes_again(followed, data_dir, tmp_path):
    data, bundled = dirs(tmp_path, data_dir)
    edit_note(followed, "3 × 8", "3 × 10")
    sync.put_off(data, sync.check(data, bundled, "hip-plan"))
    assert sync.check(data, bundled, "hip-plan").state == "put off"
    edit_note(followed, "3 × 10", "3 × 12")
    assert sync.check(data, bundled, "hip-plan").state == "changed"


def test_by_themselves_applies_a_change_but_never_one_that_needs_a_choice(
    followed, data_dir, tmp_path
):
    data, bundled = dirs(tmp_path, data_dir)
    sync.set_auto(data, "hip-plan", True)
    edit_note(followed, "3 × 8", "3 × 10")
    assert [s.routine_id for s, why in sync.apply_by_themselves(data, bundled)] == ["hip-plan"]
    assert routine(data).sections[1].exercises[0].dose == "3 × 10"
    mine = lambda r, used: ed.change_exercise(r, "strength", "squat", {"dose": "3 × 12"})  # noqa: E731
    library.update(data, bundled, "hip-plan", mine)
    edit_note(followed, "3 × 10", "4 × 10")
    assert sync.apply_by_themselves(data, bundled) == []
    assert routine(data).sections[1].exercises[0].dose == "3 × 12"


def test_an_exercise_the_note_moves_takes_its_ticks_along(followed, data_dir, tmp_path, log):
    data, bundled = dirs(tmp_path, data_dir)
    assert main(["note", "hip-plan", "--into-note", "--yes"]) == 0  # now with block ids
    log.record([Change(DAY, "hip-plan", "warm-up/cat-cow", True)])
    edit_note(followed, "- Cat cow — 2 × 10 ^cat-cow\n", "")
    edit_note(followed, "- Squat", "- Cat cow — 2 × 10 ^cat-cow\n- Squat")
    sync.apply(data, bundled, sync.check(data, bundled, "hip-plan"))
    assert [e.id for e in routine(data).sections[1].exercises] == ["cat-cow", "squat"]
    assert ticked(data) == {"warm-up/cat-cow", "strength/cat-cow"}  # the old row stays


def test_following_another_note_starts_from_it_and_keeps_the_apps_edits(
    followed, data_dir, tmp_path
):
    data, bundled = dirs(tmp_path, data_dir)
    other = followed.with_name("Other.md")
    other.write_text(NOTE.replace("3 × 8", "5 × 5"), encoding="utf-8")
    sync.follow(data, bundled, "hip-plan", other)
    assert records.read(data, "hip-plan").path == other
    assert sync.check(data, bundled, "hip-plan").state == "same"
    assert routine(data).sections[1].exercises[0].dose == "3 × 8"  # the app's, kept
    sync.stop(data, "hip-plan")
    assert sync.check(data, bundled, "hip-plan") is None


# --- Writing the routine into its note ----------------------------------------------------


def test_writing_back_keeps_the_previous_note_and_reads_back_as_the_same(
    followed, data_dir, tmp_path
):
    data, bundled = dirs(tmp_path, data_dir)
    rename = lambda r, used: ed.change_exercise(r, "strength", "squat", {"title": "Goblet squat"})  # noqa: E731
    library.update(data, bundled, "hip-plan", rename)
    was = followed.read_bytes()
    followed.chmod(0o644)  # the person's note: it keeps its permissions (not made private)
    plan = sync.plan_write_back(data, bundled, "hip-plan")
    assert plan.problems == () and plan.changes_note
    kept = sync.write_back(data, plan, now=datetime(2026, 11, 24, 8, 0))
    assert kept.read_bytes() == was
    assert followed.stat().st_mode & 0o777 == 0o644
    assert kept.relative_to(data).as_posix() == (
        "routines/notes/previous/hip-plan/20261124-080000-000000.md"
    )
    assert "- Goblet squat — 3 × 8 ^squat" in followed.read_text(encoding="utf-8")
    assert sync.check(data, bundled, "hip-plan").state == "same"


def test_writing_back_over_edits_not_taken_in_is_refused(followed, data_dir, tmp_path):
    data, bundled = dirs(tmp_path, data_dir)
    edit_note(followed, "3 × 8", "3 × 10")
    with pytest.raises(LibraryError, match="changed since it was last read"):
        sync.plan_write_back(data, bundled, "hip-plan")
    plan = sync.WriteBack("hip-plan", followed, "x", b"not the note now", ())
    with pytest.raises(LibraryError, match="changed meanwhile"):
        sync.write_back(data, plan)
    assert "3 × 10" in followed.read_text(encoding="utf-8")


# --- The command line ----------------------------------------------------------------------


def test_sync_dry_run_says_and_sync_applies(followed, data_dir, capsys):
    edit_note(followed, "3 × 8", "3 × 10")
    capsys.readouterr()
    assert main(["sync", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "  your note changed:\n    Squat: 3 × 8 → 3 × 10\n" in out
    assert "dry run: nothing written" in out
    assert routine(data_dir).sections[1].exercises[0].dose == "3 × 8"
    assert main(["sync"]) == 0
    assert routine(data_dir).sections[1].exercises[0].dose == "3 × 10"


def test_sync_leaves_a_conflict_to_the_person_unless_told_which_side(followed, data_dir, capsys):
    data, bundled = data_dir, data_dir.parent / "none"
    mine = lambda r, used: ed.change_exercise(r, "strength", "squat", {"dose": "3 × 12"})  # noqa: E731
    library.update(data, bundled, "hip-plan", mine)
    edit_note(followed, "3 × 8", "4 × 8")
    assert main(["sync"]) == 1
    assert "both changed: Strength › Squat: dose (note: “4 × 8”, here: “3 × 12”)" in (
        capsys.readouterr().out
    )
    assert main(["sync", "--prefer", "note"]) == 0
    assert routine(data).sections[1].exercises[0].dose == "4 × 8"


def test_note_writes_a_file_once_and_into_the_note_only_with_yes(followed, tmp_path, capsys):
    out = tmp_path / "written.md"
    assert main(["note", "hip-plan", "--out", str(out)]) == 0
    assert "- Squat — 3 × 8 ^squat" in out.read_text(encoding="utf-8")
    assert main(["note", "hip-plan", "--out", str(out)]) == 1  # exists: --force
    assert main(["note", "hip-plan", "--into-note"]) == 1
    assert "add --yes to write it" in capsys.readouterr().out
    assert "^squat" not in followed.read_text(encoding="utf-8")
    assert main(["note", "nope", "--out", str(out), "--force"]) == 1


# --- Backups ---------------------------------------------------------------------------------


def test_a_backup_carries_what_a_followed_note_remembers(followed, data_dir, tmp_path):
    assert main(["note", "hip-plan", "--into-note", "--yes"]) == 0  # a previous note too
    kept = tree(data_dir / "routines" / "notes")
    assert len(kept) == 3
    zipped = backup.make_backup(data_dir)
    (data_dir / "routines" / "notes" / "hip-plan.json").unlink()
    backup.restore_backup(zipped, data_dir)
    assert tree(data_dir / "routines" / "notes") == kept
    assert sync.check(data_dir, tmp_path / "none", "hip-plan").state == "same"


def test_a_restore_refuses_a_note_record_that_is_not_one(followed, data_dir):
    from hipdash.backup import routine_files

    assert routine_files.problem("routines/notes/hip-plan.json", b"{}").startswith(
        "routines/notes/hip-plan.json: path: not the absolute path of a markdown note; "
    )
    assert routine_files.problem("routines/notes/../x.json", b"{}") is not None
    assert routine_files.problem("routines/notes/x.md", b"\xff\xfe") == (
        "routines/notes/x.md: not UTF-8 text"
    )


@pytest.mark.parametrize(
    "path", ["/home/me/.ssh/config", "/etc/passwd", "/tmp/vault/../secret.md", "notes/x.md"]
)
def test_a_record_naming_anything_but_a_markdown_note_is_refused_and_never_read(
    followed, data_dir, tmp_path, path
):
    """A record can arrive in a backup or from another computer; the pages read the file it
    names, apply it by themselves and may write into it, so it names a markdown note."""
    secret = tmp_path / "secret.yml"
    secret.write_text("- Bank PIN is 4711\n")
    record = data_dir / "routines" / "notes" / "hip-plan.json"
    saved = (data_dir / "routines" / "hip-plan.yaml").read_bytes()
    data = json.loads(record.read_text())
    data.update(path=path.replace("/etc/passwd", str(secret)), auto=True)
    planted = json.dumps(data).encode()
    problem = "path: not the absolute path of a markdown note"
    restored = backup.routine_files.problem("routines/notes/hip-plan.json", planted)
    assert (problem in restored) if not path.startswith("/") else restored is None  # inert
    record.write_bytes(planted)
    assert problem in sync.check_all(*dirs(tmp_path, data_dir))[1][0]
    assert sync.apply_by_themselves(*dirs(tmp_path, data_dir)) == []
    with pytest.raises(LibraryError, match=problem):
        sync.plan_write_back(*dirs(tmp_path, data_dir), "hip-plan")
    assert (data_dir / "routines" / "hip-plan.yaml").read_bytes() == saved
    assert secret.read_text() == "- Bank PIN is 4711\n"


def test_an_older_hipdashs_record_of_a_text_file_is_restored_said_and_replaced(
    followed, data_dir, tmp_path, capsys
):
    """An older hipdash followed any file (`import plan.txt`): its backup still restores,
    the record is said and followed by nothing, and following a .md note replaces it."""
    record = data_dir / "routines" / "notes" / "hip-plan.json"
    data = json.loads(record.read_text())
    data.update(path=str(followed.with_suffix(".txt")), auto=True)
    record.write_text(json.dumps(data))
    zipped = backup.make_backup(data_dir)
    backup.restore_backup(zipped, data_dir)
    assert json.loads(record.read_text())["path"].endswith("Hip Plan.txt")
    assert "follow a .md note again" in sync.check_all(*dirs(tmp_path, data_dir))[1][0]
    assert main(["import", str(followed), "--force"]) == 0
    assert records.read(data_dir, "hip-plan").path == followed
    assert records.read(data_dir, "hip-plan").auto is False  # not carried from a broken one


def test_a_restore_says_which_notes_the_backup_follows(followed, data_dir):
    held = backup.routine_files.held(backup.routine_files.collect(data_dir).files)
    assert held.notes == (str(followed),)
    assert f"following 1 note ({followed})" in held.text


def test_a_note_imported_by_a_relative_path_is_followed_by_its_plain_path(
    data_dir, tmp_path, monkeypatch
):
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path / "none"))
    (tmp_path / "vault").mkdir()
    (tmp_path / "work").mkdir()
    (tmp_path / "vault" / "Hip Plan.md").write_text(NOTE, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "work")
    assert main(["import", "../vault/Hip Plan.md"]) == 0
    assert records.read(data_dir, "hip-plan").path == tmp_path / "vault" / "Hip Plan.md"


def test_a_text_file_is_imported_but_not_followed(data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path / "none"))
    note = tmp_path / "Hip Plan.txt"
    note.write_text(NOTE, encoding="utf-8")
    assert main(["import", str(note)]) == 0
    assert "it follows no note: only a markdown note (.md) is followed" in capsys.readouterr().out
    assert library.current(data_dir, tmp_path / "none", "hip-plan").routine is not None
    assert records.read(data_dir, "hip-plan") is None


def test_a_data_folder_synced_to_another_computer_finds_the_note_beside_it(
    tmp_path, monkeypatch, capsys
):
    """The vault (the note, and the data folder in it) at another absolute path, as a sync
    tool puts it on a second computer: the note is found where it is beside the data
    folder, and an edit made there is seen; nothing is said gone."""
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path / "none"))
    vault = tmp_path / "this computer" / "Vault"
    vault.mkdir(parents=True)
    (vault / "Hip Plan.md").write_text(NOTE, encoding="utf-8")
    monkeypatch.setenv("HIPDASH_DATA_DIR", str(vault / "hipdash"))
    assert main(["import", str(vault / "Hip Plan.md")]) == 0
    there = tmp_path / "other computer" / "Vault"
    there.parent.mkdir()
    shutil.move(vault, there)  # the first computer's path is no more
    moved = there / "hipdash"
    monkeypatch.setenv("HIPDASH_DATA_DIR", str(moved))
    # The sync tool brings the record before the note: the watch sees the note arrive.
    note = there / "Hip Plan.md"
    text = note.read_bytes()
    note.unlink()
    without = records.signature(moved)
    note.write_bytes(text)
    assert records.signature(moved) != without
    assert records.read(moved, "hip-plan").path == there / "Hip Plan.md"
    assert sync.check(moved, tmp_path / "none", "hip-plan").state == "same"
    edit_note(there / "Hip Plan.md", "Squat — 3 × 8", "Squat — 3 × 10")
    assert sync.check(moved, tmp_path / "none", "hip-plan").state == "changed"
    capsys.readouterr()
    assert main(["sync"]) == 0
    assert "Squat: 3 × 8 → 3 × 10" in capsys.readouterr().out
    assert records.read(moved, "hip-plan").path == there / "Hip Plan.md"


def test_a_record_s_way_from_the_data_folder_is_never_a_way_to_another_kind_of_file(
    followed, data_dir, tmp_path
):
    """A record from a synced folder or a backup is not trusted: its relative way is
    taken only to a markdown note that exists, like its path."""
    record = data_dir / "routines" / "notes" / "hip-plan.json"
    data = json.loads(record.read_text())
    secret = tmp_path / "secret.txt"
    secret.write_text("not a note")
    followed.unlink()
    data["from_data"] = os.path.relpath(secret, data_dir)
    record.write_text(json.dumps(data))
    assert records.read(data_dir, "hip-plan").path == followed  # as written: gone
    assert sync.check(data_dir, tmp_path / "none", "hip-plan").state == "gone"
