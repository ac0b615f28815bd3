"""The person's routines on disk (hipdash.library): yours over bundled, versions kept,
archive, delete, all under one lock and on the files as they are now."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from hipdash import library, stats
from hipdash.library import save as saving
from hipdash.library.edits import (
    add_exercise,
    change_exercise,
    change_section,
    find_exercise,
    remove_exercise,
)
from hipdash.log import Change, CheckoffLog
from hipdash.models import Exercise
from hipdash.routines import load_routine

from .conftest import NOTE_1, PROJECT, ROUTINE_1, tree

R1 = "hip-therapy-routine-1"
T0 = datetime(2026, 11, 24, 9, 0, 0)


def edit_title(section: str, exercise: str, title: str):
    return lambda routine, used: change_exercise(routine, section, exercise, {"title": title})


def test_bundled_routines_are_used_until_you_save_your_own(data_dir, bundled):
    found = library.load_library(data_dir, bundled)
    (entry,) = found.entries
    assert (entry.yours, entry.bundled, entry.archived) == (False, True, False)
    assert found.active == (load_routine(ROUTINE_1),)

    library.update(data_dir, bundled, R1, edit_title("release", "cat-cow", "Cat and cow"), T0)
    (entry,) = library.load_library(data_dir, bundled).entries
    assert (entry.yours, entry.bundled) == (True, True)
    assert entry.path == data_dir / "routines" / f"{R1}.yaml"
    assert find_exercise(entry.routine, "release", "cat-cow").title == "Cat and cow"
    assert (bundled / ROUTINE_1.name).read_bytes() == ROUTINE_1.read_bytes()  # never written


def test_saving_keeps_ids_so_a_tick_stays_attached(data_dir, bundled):
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.record([Change(date(2026, 11, 24), R1, "release/cat-cow", True)])
    edited = library.update(
        data_dir, bundled, R1, edit_title("release", "cat-cow", "Cat and cow"), T0
    )
    state = log.day_state(date(2026, 11, 24), R1)
    assert state == {"release/cat-cow": True}
    assert "release/cat-cow" in edited.item_keys


def test_the_previous_version_is_kept_and_can_be_brought_back(data_dir, bundled):
    original = load_routine(ROUTINE_1)
    library.update(data_dir, bundled, R1, edit_title("release", "cat-cow", "A"), T0)
    library.update(
        data_dir, bundled, R1, edit_title("release", "cat-cow", "B"), T0 + timedelta(minutes=1)
    )
    versions = library.versions(data_dir, R1)
    assert [v.saved_at for v in versions] == [T0 + timedelta(minutes=1), T0]
    assert library.read_version(data_dir, R1, versions[1].name) == original
    assert (
        find_exercise(
            library.read_version(data_dir, R1, versions[0].name), "release", "cat-cow"
        ).title
        == "A"
    )

    back = library.bring_back(data_dir, bundled, R1, versions[1].name, T0 + timedelta(minutes=2))
    assert back == original
    assert library.load_library(data_dir, bundled).active == (original,)
    # Bringing a version back is itself undoable: "B" is now the newest previous version.
    newest = library.versions(data_dir, R1)[0]
    assert (
        find_exercise(library.read_version(data_dir, R1, newest.name), "release", "cat-cow").title
        == "B"
    )


def test_only_the_newest_versions_are_kept(data_dir, bundled, monkeypatch):
    monkeypatch.setattr(saving, "KEEP_VERSIONS", 3)
    for n in range(5):
        when = T0 + timedelta(minutes=n)
        library.update(data_dir, bundled, R1, edit_title("release", "cat-cow", f"v{n}"), when)
    kept = library.versions(data_dir, R1)
    assert [v.saved_at for v in kept] == [T0 + timedelta(minutes=n) for n in (4, 3, 2)]


def test_a_new_item_never_takes_an_id_the_log_has_history_for(data_dir, bundled):
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.record([Change(date(2026, 11, 1), R1, "release/neck-rolls", True)])  # long removed

    def add(routine, used):
        return add_exercise(routine, "release", Exercise("", "Neck rolls"), used)[0]

    edited = library.update(data_dir, bundled, R1, add, T0)
    assert "release/neck-rolls-2" in edited.item_keys
    assert "release/neck-rolls" not in edited.item_keys


def test_nothing_is_written_when_the_loader_refuses_the_result(data_dir, bundled):
    library.update(data_dir, bundled, R1, edit_title("release", "cat-cow", "A"), T0)
    before = tree(data_dir)

    def bad(routine, used):  # a step without a title: the loader's own check refuses it
        four = find_exercise(routine, "strengthen", "hip-strength-four")
        return _with_steps(routine, (replace(four.steps[0], title=""),))

    with pytest.raises(library.LibraryError, match=r"steps\[0\]\.title: must not be empty"):
        library.update(data_dir, bundled, R1, bad, T0 + timedelta(minutes=1))
    assert tree(data_dir) == before


def _with_steps(routine, steps):
    section = routine.sections[1]
    exercise = replace(section.exercises[0], steps=steps)
    section = replace(section, exercises=(exercise, *section.exercises[1:]))
    return replace(routine, sections=(routine.sections[0], section, *routine.sections[2:]))


def test_an_edit_of_something_removed_elsewhere_is_refused(data_dir, bundled):
    library.update(
        data_dir, bundled, R1, lambda r, u: change_section(r, "release", {"title": "Loosen"}), T0
    )
    with pytest.raises(library.LibraryError, match="section is no longer in the routine"):
        library.update(
            data_dir, bundled, R1, lambda r, u: change_section(r, "gone", {"title": "x"}), T0
        )


def test_archive_hides_a_routine_from_today_and_progress_but_keeps_it(data_dir, bundled):
    library.set_archived(data_dir, bundled, R1, True)
    found = library.load_library(data_dir, bundled)
    assert found.active == () and [r.id for r in found.archived] == [R1]
    assert not (data_dir / "routines" / f"{R1}.yaml").exists()  # no copy needed for that
    library.set_archived(data_dir, bundled, R1, False)
    assert [r.id for r in library.load_library(data_dir, bundled).active] == [R1]


def test_delete_keeps_the_log_and_can_be_undone(data_dir, bundled):
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.record([Change(date(2026, 11, 24), R1, "release/cat-cow", True)])
    logged = log.path.read_bytes()
    library.update(data_dir, bundled, R1, edit_title("release", "cat-cow", "Mine"), T0)
    mine = library.load_library(data_dir, bundled).active[0]

    library.delete(data_dir, bundled, R1)
    found = library.load_library(data_dir, bundled)
    assert found.entries == () and found.deleted == (mine,)  # the bundled one stays hidden too
    assert log.path.read_bytes() == logged

    library.undelete(data_dir, bundled, R1)
    assert library.load_library(data_dir, bundled).active == (mine,)


def test_deleting_a_bundled_routine_hides_it_without_a_copy(data_dir, bundled):
    library.delete(data_dir, bundled, R1)
    assert library.load_library(data_dir, bundled).entries == ()
    library.undelete(data_dir, bundled, R1)
    (entry,) = library.load_library(data_dir, bundled).entries
    assert not entry.yours
    assert not (data_dir / "routines" / f"{R1}.yaml").exists()


def test_a_symlinked_routine_file_is_refused_not_followed(data_dir, bundled, tmp_path):
    secret = tmp_path / "elsewhere.yaml"
    secret.write_bytes(ROUTINE_1.read_bytes())
    (data_dir / "routines").mkdir(parents=True)
    (data_dir / "routines" / f"{R1}.yaml").symlink_to(secret)
    found = library.load_library(data_dir, bundled)
    assert [e.yours for e in found.entries] == [False]  # the link is not read
    with pytest.raises(library.LibraryError, match="symbolic link"):
        library.update(data_dir, bundled, R1, edit_title("release", "cat-cow", "x"), T0)
    assert secret.read_bytes() == ROUTINE_1.read_bytes()


def test_a_symlinked_routines_folder_is_refused(data_dir, bundled, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    data_dir.mkdir()
    (data_dir / "routines").symlink_to(elsewhere, target_is_directory=True)
    shutil.copy(ROUTINE_1, elsewhere)
    found = library.load_library(data_dir, bundled)
    assert [e.yours for e in found.entries] == [False]
    assert found.unreadable == (
        "routines is a symbolic link: hipdash never follows one (put the folder itself there)",
    )
    with pytest.raises(library.LibraryError, match="symbolic link"):
        library.update(data_dir, bundled, R1, edit_title("release", "cat-cow", "x"), T0)
    assert [p.name for p in elsewhere.iterdir()] == [ROUTINE_1.name]


def test_a_broken_file_of_yours_is_reported_and_can_be_replaced_by_a_version(data_dir, bundled):
    library.update(data_dir, bundled, R1, edit_title("release", "cat-cow", "A"), T0)
    path = data_dir / "routines" / f"{R1}.yaml"
    path.write_text("id: hip-therapy-routine-1\ntitle: [\n")
    found = library.load_library(data_dir, bundled)
    assert any("not valid YAML" in p for p in found.problems)
    assert [e.yours for e in found.entries] == [False]  # the bundled one in the meantime
    with pytest.raises(library.LibraryError, match="not valid YAML"):
        library.update(data_dir, bundled, R1, edit_title("release", "cat-cow", "B"), T0)
    (oldest,) = library.versions(data_dir, R1)
    library.bring_back(data_dir, bundled, R1, oldest.name, T0 + timedelta(minutes=1))
    assert library.load_library(data_dir, bundled).problems == ()
    broken = library.versions(data_dir, R1)[0]  # the broken file is kept too
    assert "title: [" in (data_dir / "routines/previous" / R1 / broken.name).read_text()


def test_a_file_whose_id_does_not_match_its_name_is_reported(data_dir, bundled):
    (data_dir / "routines").mkdir(parents=True)
    (data_dir / "routines" / "other.yaml").write_bytes(ROUTINE_1.read_bytes())
    (data_dir / "routines" / "notes.txt").write_text("hello")
    problems = library.load_library(data_dir, bundled).problems
    assert any("other.yaml: id: 'hip-therapy-routine-1' does not match" in p for p in problems)
    assert any("notes.txt: not a routine file name" in p for p in problems)


def test_an_import_is_refused_if_the_routine_changed_since_the_preview(data_dir, bundled):
    plan = library.plan_note(NOTE_1.read_bytes(), NOTE_1.name, data_dir, bundled)
    assert plan.bundled and plan.existing == load_routine(ROUTINE_1) and not plan.changes
    assert not plan.replaces and not plan.unchanged  # the bundled routine is not yours
    library.update(data_dir, bundled, R1, edit_title("release", "cat-cow", "Elsewhere"), T0)
    before = tree(data_dir)
    with pytest.raises(library.LibraryError, match="a routine with the id .* exists already"):
        library.save_routine(data_dir, bundled, plan.routine, plan.existing, replace=False)
    with pytest.raises(library.LibraryError, match="changed elsewhere since this preview"):
        library.save_routine(data_dir, bundled, plan.routine, plan.existing, replace=True)
    assert tree(data_dir) == before


def test_an_import_over_a_bundled_routine_keeps_its_ids_and_the_bundled_version(data_dir, bundled):
    changed = NOTE_1.read_text().replace("- Wrist stretches\n", "")
    plan = library.plan_note(changed.encode(), NOTE_1.name, data_dir, bundled)
    assert plan.changes.removed == ("Wrist stretches, in Release",)
    library.save_routine(data_dir, bundled, plan.routine, plan.existing, replace=False, now=T0)
    (entry,) = library.load_library(data_dir, bundled).entries
    assert entry.yours and entry.routine == plan.routine
    (kept,) = library.versions(data_dir, R1)
    assert library.read_version(data_dir, R1, kept.name) == load_routine(ROUTINE_1)


def test_two_processes_editing_different_exercises_lose_nothing(data_dir, bundled):
    script = """
import sys
from pathlib import Path
from hipdash import library
from hipdash.library.edits import change_exercise
data, bundled, exercise = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
for n in range(8):
    library.update(data, bundled, "hip-therapy-routine-1",
        lambda r, u: change_exercise(r, "release", exercise, {"notes": f"{exercise} {n}"}))
"""
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(data_dir), str(bundled), ex], cwd=PROJECT
        )
        for ex in ("cat-cow", "wrist-stretches")
    ]
    assert [p.wait(60) for p in procs] == [0, 0]
    routine = library.load_library(data_dir, bundled).active[0]
    assert find_exercise(routine, "release", "cat-cow").notes == "cat-cow 7"
    assert find_exercise(routine, "release", "wrist-stretches").notes == "wrist-stretches 7"
    assert len(library.versions(data_dir, R1)) == 16  # every save kept what it replaced
    leftovers = [p for p in (data_dir / "routines").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_files_are_private(data_dir, bundled):
    library.update(data_dir, bundled, R1, edit_title("release", "cat-cow", "A"), T0)
    path = data_dir / "routines" / f"{R1}.yaml"
    assert os.stat(path).st_mode & 0o077 == 0
    assert os.stat(data_dir / "routines").st_mode & 0o077 == 0


def test_a_data_dir_that_cannot_be_made_is_a_clear_error(tmp_path, bundled):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(library.LibraryError, match="cannot write in"):
        library.update(blocker / "data", bundled, R1, edit_title("release", "cat-cow", "x"), T0)
    assert library.load_library(blocker / "data", bundled).active == (load_routine(ROUTINE_1),)


def test_importing_a_deleted_or_archived_routine_brings_it_back_to_today(data_dir, bundled):
    library.update(data_dir, bundled, R1, edit_title("release", "cat-cow", "Mine"), T0)
    library.delete(data_dir, bundled, R1)
    plan = library.plan_note(NOTE_1.read_bytes(), NOTE_1.name, data_dir, bundled)
    assert plan.existing is None and not plan.replaces  # a deleted routine is not replaced
    library.save_routine(data_dir, bundled, plan.routine, None, replace=False, now=T0)
    found = library.load_library(data_dir, bundled)
    assert found.active == (plan.routine,) and found.deleted == ()
    # The deleted version is not lost: it is the newest previous version.
    newest = library.versions(data_dir, R1)[0]
    assert (
        find_exercise(library.read_version(data_dir, R1, newest.name), "release", "cat-cow").title
        == "Mine"
    )

    library.set_archived(data_dir, bundled, R1, True)
    plan = library.plan_note(NOTE_1.read_bytes(), NOTE_1.name, data_dir, bundled)
    library.save_routine(data_dir, bundled, plan.routine, plan.existing, replace=True)
    assert library.load_library(data_dir, bundled).active == (plan.routine,)


def test_an_item_added_keeps_the_day_it_joined_and_past_days_keep_their_verdict(data_dir, bundled):
    """The person ticks 8 of 16 on Monday (a session), then adds an exercise on Tuesday:
    Monday still counts (judged by the routine as it was); Tuesday needs 9 of 17. The day
    an item joined stays through other edits, and goes with the item."""
    monday, tuesday = date(2026, 11, 23), date(2026, 11, 24)
    log = CheckoffLog(data_dir / "checkoffs.csv")
    first = library.load_library(data_dir, bundled).active[0]
    log.record([Change(monday, R1, key, True) for key in first.counted_keys[:8]])

    def add(routine, used):
        return add_exercise(routine, "stretch", Exercise("", "Glute bridge"), used)[0]

    added = library.update(data_dir, bundled, R1, add, T0, today=tuesday)
    assert added.added == (("stretch/glute-bridge", tuesday),)
    assert (len(added.counted_keys_on(monday)), len(added.counted_keys_on(tuesday))) == (16, 17)
    progress = stats.progress(log.day_states(R1), added, tuesday, 0.5)
    assert progress.summary.total == 1  # Monday's session stays
    log.record([Change(tuesday, R1, key, True) for key in first.counted_keys[:8]])
    progress = stats.progress(log.day_states(R1), added, tuesday, 0.5)
    assert progress.summary.total == 1  # Tuesday, 8 of 17: not yet

    later = library.update(
        data_dir,
        bundled,
        R1,
        edit_title("release", "cat-cow", "Cat and cow"),
        T0,
        today=date(2026, 12, 1),
    )
    assert later.added == added.added  # kept through an edit, and on disk
    assert library.load_library(data_dir, bundled).active[0].added == added.added

    def remove(routine, used):
        return remove_exercise(routine, "stretch", "glute-bridge")

    assert library.update(data_dir, bundled, R1, remove, T0).added == ()


def test_a_note_read_again_after_an_exercise_joined_is_unchanged(data_dir, bundled, tmp_path):
    """The day an item joined is the library's bookkeeping: the same note, imported again,
    makes no change to save (and keeps the day)."""
    note = NOTE_1.read_bytes() + b"\n- Glute bridge\n"
    plan = library.plan_note(note, NOTE_1.name, data_dir, bundled)
    library.save_routine(
        data_dir, bundled, plan.routine, plan.existing, True, T0, today=date(2026, 12, 1)
    )
    saved = library.load_library(data_dir, bundled).active[0]
    assert [k for k, _ in saved.added] == [k for k in saved.item_keys if "glute" in k]
    again = library.plan_note(note, NOTE_1.name, data_dir, bundled)
    assert again.unchanged
