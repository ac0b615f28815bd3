"""Your routines in a backup: they go in (versions, archive marks, deleted ones too), a
restore checks each with the routine loader and brings them back, hostile entries are
refused and nothing is changed."""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from hipdash import library
from hipdash.__main__ import main
from hipdash.backup import BackupError, make_backup, read_backup, restore_backup
from hipdash.backup import archive as backup
from hipdash.library.edits import change_exercise
from hipdash.limits import MAX_FILE_BYTES

from .conftest import crafted_backup, tree
from .test_routines import VALID

R1 = "hip-therapy-routine-1"
T0 = datetime(2026, 11, 24, 9, 0)


def yours(data_dir: Path, bundled: Path) -> None:
    """Routine 1 edited twice (two previous versions), a routine of your own, archived,
    and one deleted."""
    for n, title in enumerate(("Cat and cow", "Cat-cow")):
        library.update(
            data_dir,
            bundled,
            R1,
            lambda r, used, t=title: change_exercise(r, "release", "cat-cow", {"title": t}),
            T0 + timedelta(minutes=n),
        )
    (data_dir / "routines" / "mini.yaml").write_text(VALID)
    library.set_archived(data_dir, bundled, "mini", True)
    (data_dir / "routines" / "gone.yaml").write_text(VALID.replace("id: mini", "id: gone"))
    library.delete(data_dir, bundled, "gone")


def test_the_backup_holds_your_routines_and_a_restore_into_an_empty_dir_brings_them_back(
    data_dir, bundled, tmp_path
):
    yours(data_dir, bundled)
    raw = make_backup(data_dir)
    names = sorted(read_backup(raw))
    assert "routines/hip-therapy-routine-1.yaml" in names
    assert "routines/mini.yaml" in names and "routines/archived/mini" in names
    assert "routines/deleted/gone.yaml" in names
    assert sum(n.startswith("routines/previous/hip-therapy-routine-1/") for n in names) == 2

    empty = tmp_path / "new-computer" / "data"
    result = restore_backup(raw, empty)
    assert result.kept_aside is None
    assert tree(empty / "routines") == tree(data_dir / "routines")
    before, after = library.load_library(data_dir, bundled), library.load_library(empty, bundled)
    assert [e.routine for e in after.entries] == [e.routine for e in before.entries]
    assert [r.id for r in after.archived] == ["mini"] and [r.id for r in after.deleted] == ["gone"]
    assert library.versions(empty, R1) == library.versions(data_dir, R1)
    assert (empty / "routines").stat().st_mode & 0o077 == 0


def test_a_restore_moves_the_routines_there_now_aside(data_dir, bundled):
    yours(data_dir, bundled)
    raw = make_backup(data_dir)
    library.update(
        data_dir, bundled, R1, lambda r, u: change_exercise(r, "release", "cat-cow", {"dose": "9"})
    )
    now_there = tree(data_dir / "routines")
    result = restore_backup(raw, data_dir)
    assert tree(result.kept_aside / "routines") == now_there
    cat = library.load_library(data_dir, bundled).entry(R1).routine.sections[0].exercises[3]
    assert (cat.title, cat.dose) == ("Cat-cow", "")


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("routines/mini.yaml", b"id: mini\n", "routines/mini.yaml: title: missing required key"),
        ("routines/other.yaml", VALID.encode(), "'mini' does not match the file name"),
        (
            "routines/mini.yaml",
            b"id: &a mini\ntitle: *a\nsections: []\n",
            "aliases (*a) are not allowed",
        ),
        ("routines/mini.yaml", b"\xff\xfe not text", "not UTF-8 text"),
        ("routines/archived/mini", b"something", "an archive mark must be empty"),
        ("routines/deleted/mini.yaml", b"- a list\n", "expected a mapping"),
    ],
)
def test_each_routine_is_checked_by_the_loader_and_a_bad_one_changes_nothing(
    data_dir, bundled, name, data, why
):
    yours(data_dir, bundled)
    before = tree(data_dir)
    with pytest.raises(BackupError, match="not a hipdash backup: .*" + re.escape(why)):
        restore_backup(crafted_backup({name: data}), data_dir)
    assert tree(data_dir) == before


@pytest.mark.parametrize(
    "name",
    [
        "routines/../checkoffs.csv.yaml",
        "../routines/mini.yaml",
        "/routines/mini.yaml",
        "routines/sub/mini.yaml",
        "routines/previous/mini/../../../x.yaml",
        "routines/previous/mini/notatime.yaml",
        "routines\\mini.yaml",
        "routines/Mini.yaml",
        "routines/.hidden.yaml",
    ],
)
def test_a_name_that_is_not_one_of_ours_is_refused(data_dir, name):
    with pytest.raises(BackupError, match="not a hipdash backup: unexpected file"):
        read_backup(crafted_backup({name: VALID.encode()}))


def test_a_huge_routine_file_or_too_many_are_refused_before_reading(data_dir, monkeypatch):
    with pytest.raises(BackupError, match="routines/mini.yaml is too large"):
        read_backup(crafted_backup({"routines/mini.yaml": b"#" * (MAX_FILE_BYTES + 1)}))
    monkeypatch.setattr(backup.routine_files, "MAX_FILES", 2)
    many = {f"routines/archived/r{n}": b"" for n in range(3)}
    with pytest.raises(BackupError, match="too many routine files"):
        read_backup(crafted_backup(many))


def test_the_app_makes_no_backup_of_more_routine_files_than_a_restore_takes(
    data_dir, bundled, monkeypatch
):
    yours(data_dir, bundled)
    monkeypatch.setattr(backup.routine_files, "MAX_FILES", 2)
    with pytest.raises(BackupError, match=r"routine files are too many .* \(\d files, "):
        make_backup(data_dir)
    monkeypatch.setattr(backup.routine_files, "MAX_FILES", 5_000)
    monkeypatch.setattr(backup.routine_files, "MAX_TOTAL_BYTES", 100)
    with pytest.raises(BackupError, match="routine files are too many or too large together"):
        make_backup(data_dir)


def test_a_version_1_backup_restores_but_may_not_hold_routines(data_dir):
    assert read_backup(crafted_backup({}, version=1)) == {}
    with pytest.raises(BackupError, match="a version 1 backup holds no routines"):
        read_backup(crafted_backup({"routines/mini.yaml": VALID.encode()}, version=1))


def test_a_broken_routine_of_yours_goes_into_the_backup_as_it_is_marked(data_dir, bundled):
    yours(data_dir, bundled)
    (data_dir / "routines" / "broken.yaml").write_text("id: broken\n")
    raw = make_backup(data_dir)
    assert read_backup(raw)["routines/broken.yaml"] == b"id: broken\n"
    assert "title: missing required key" in backup.listed(raw).unusable["routines/broken.yaml"]
    before = tree(data_dir / "routines")
    shutil.rmtree(data_dir / "routines")
    restore_backup(raw, data_dir)  # it comes back as it was, and the rest with it
    assert tree(data_dir / "routines") == before


def test_an_unmarked_broken_routine_is_still_refused(data_dir):
    """Only a file the backup itself says was unusable comes back unchecked."""
    with pytest.raises(BackupError, match="broken.yaml: title: missing required key"):
        read_backup(crafted_backup({"routines/broken.yaml": b"id: broken\n"}))


def test_a_restore_that_fails_half_way_puts_your_routines_back(data_dir, bundled, monkeypatch):
    yours(data_dir, bundled)
    raw = make_backup(data_dir)
    before = tree(data_dir)
    real = backup._write_new

    def failing(path, data, suffix=".restoring"):
        if path.name == "mini.yaml":
            raise OSError(28, "No space left on device")
        real(path, data, suffix)

    monkeypatch.setattr(backup, "_write_new", failing)
    with pytest.raises(BackupError, match="No space left on device"):
        restore_backup(raw, data_dir)
    assert tree(data_dir) == before
    assert not [p for p in data_dir.iterdir() if p.name.startswith("replaced-")]


def test_cli_export_and_restore_say_what_they_carry(data_dir, bundled, tmp_path, capsys):
    yours(data_dir, bundled)
    target = tmp_path / "b.zip"
    assert main(["export", str(target)]) == 0
    assert "your routines (6 files)" in capsys.readouterr().out
    shutil.rmtree(data_dir)
    assert main(["restore", str(target)]) == 0
    assert "restored your routines (6 files) into" in capsys.readouterr().out
    assert [e.routine.id for e in library.load_library(data_dir, bundled).entries] == [R1, "mini"]
