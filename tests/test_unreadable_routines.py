"""Your routines folder, or a part of it, that hipdash cannot read: a folder or a routine
file of mode 000, a file where the folder should be, a link that leads to itself. Every
page opens with the bundled routines, names what cannot be read and says what to do; every
command that reads routines refuses, naming it; a change to the routines is refused; and
nothing in the folder is changed.

Mode 000 is real here: pages, commands and changes run in a child process bound by file
modes (`bound_by_modes`: root, who ignores them, runs without the capabilities that let it)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from hipdash import appstate

from .conftest import (
    EVERY_PAGE,
    PROJECT,
    VALID,
    R,
    bound_by_modes,
    cli_process,
    pages_bound_by_modes,
    plain,
)

DAY = date(2026, 11, 24)
HINT = "check its owner and permissions"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", DAY.isoformat())


def yours(data_dir: Path) -> Path:
    """A routines folder with something in each of its places: a routine of yours, a
    previous version of it, an archive mark, a deleted routine, a followed note's text."""
    folder = data_dir / "routines"
    held = {
        "mini.yaml": VALID,
        "previous/mini/20261101-100000-000000.yaml": VALID,
        "archived/mini": "",
        "deleted/gone.yaml": VALID.replace("id: mini", "id: gone"),
        "notes/mini.md": "- Cat/cow stretch\n",
    }
    for name, text in held.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def closed(name: str):
    return lambda folder: (folder.parent / name).chmod(0o000)


def a_file(folder: Path) -> None:
    os.rename(folder, folder.parent / "moved")
    folder.write_text("not a folder")


def a_loop(folder: Path) -> None:
    os.rename(folder, folder.parent / "moved")
    folder.symlink_to(folder.name)


# case -> (what makes it, what every page and command says of it)
CASES = {
    "routines mode 000": (closed("routines"), "routines cannot be read: permission denied"),
    **{
        f"{name} mode 000": (closed(name), f"{name} cannot be read: permission denied")
        for name in (
            "routines/previous",
            "routines/previous/mini",
            "routines/archived",
            "routines/deleted",
            "routines/notes",
        )
    },
    "a routine file of mode 000": (closed("routines/mini.yaml"), "mini.yaml cannot be read"),
    "routines a file": (a_file, "routines is not a folder (a file is in its way)"),
    "routines a link to itself": (a_loop, "routines is a symbolic link"),
}
FOLDER_CASES = [c for c in CASES if c != "a routine file of mode 000"]
# The commands meet every case through the same check: three kinds of it for each command
# (every case is met by every page, above).
COMMAND_CASES = ["routines mode 000", "routines/previous mode 000", "routines a file"]


def as_it_is(data_dir: Path) -> dict[str, tuple]:
    """Every entry of the data dir (links not followed): its mode and bytes or target."""
    found = {}
    for top, folders, names in os.walk(data_dir):
        for name in folders + names:
            path = Path(top) / name
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                held = os.readlink(path)
            else:
                held = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
            found[path.relative_to(data_dir).as_posix()] = (info.st_mode, held)
    return found


@pytest.fixture
def blocked(data_dir):
    """`blocked(case)`: the data dir's routines made so; what it said; modes put back after."""

    def make(case: str) -> str:
        how, said = CASES[case]
        how(yours(data_dir))
        return said

    yield make
    for top, folders, names in os.walk(data_dir):
        for name in folders + names:
            path = Path(top) / name
            if not path.is_symlink():
                path.chmod(0o700 if path.is_dir() else 0o600)


# Each folder inside is found by the same walk (`files.unreadable`): the pages meet two of
# them, `check` every one (a child process of every page costs seconds a case).
NESTED = [
    "routines/previous/mini mode 000",
    "routines/archived mode 000",
    "routines/deleted mode 000",
]
PAGE_CASES = [case for case in CASES if case not in NESTED]


@pytest.mark.parametrize("case", PAGE_CASES)
def test_every_page_opens_with_the_bundled_routines_says_what_cannot_be_read_and_changes_nothing(
    data_dir, blocked, case
):
    said = blocked(case)
    before = as_it_is(data_dir)
    seen = pages_bound_by_modes()
    after = as_it_is(data_dir)
    for page in EVERY_PAGE:
        assert seen[page]["exception"] == [], page
        shown = [plain(t) for kind in ("warning", "error") for t in seen[page][kind]]
        assert any(said in text for text in shown), (page, shown)
    (error,) = [plain(e) for e in seen["pages/backup.py"]["error"]]
    assert error.startswith("**No backup can be made:** ") and said in error
    if case in FOLDER_CASES:  # what to do (a file of yours has its own line)
        for page in ("app.py", "pages/progress.py", "pages/routines.py", "pages/guided.py"):
            assert any(HINT in plain(w) for w in seen[page]["warning"]), page
    assert appstate.read(data_dir).last_routine == R  # the bundled routine was shown
    after.pop("app-state.json")
    assert after == before


COMMANDS = {
    "check": [],
    "report": ["--out", "{tmp}/r.html"],
    "export": ["{tmp}/b.zip"],
    "import": ["{tmp}/knee.md"],
    "sync": [],
    "where": [],
}


@pytest.mark.parametrize(
    ("command", "case"),
    [(command, case) for command in COMMANDS for case in COMMAND_CASES]
    + [("check", case) for case in NESTED],
)
def test_each_command_that_reads_routines_refuses_naming_what_cannot_be_read(
    data_dir, blocked, tmp_path, case, command
):
    said = blocked(case)
    (tmp_path / "knee.md").write_text("# Knee\n\n- Squat\n- Lunge\n")
    before = as_it_is(data_dir)
    argv = [a.format(tmp=tmp_path) for a in COMMANDS[command]]
    done = cli_process(command, *argv)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    (error,) = [line for line in done.stderr.splitlines() if said in line]
    assert error.startswith(f"hipdash {command}: error: ")
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "b.zip").exists()
    assert as_it_is(data_dir) == before


def test_export_refuses_a_routine_file_it_cannot_read(data_dir, blocked, tmp_path):
    """A backup without it would leave a routine of yours out, without a word."""
    blocked("a routine file of mode 000")
    done = cli_process("export", str(tmp_path / "b.zip"))
    assert done.returncode == 1, done.stdout
    assert done.stderr == (
        "hipdash export: error: routines/mini.yaml cannot be read: permission denied; "
        "nothing written\n"
    )
    assert not (tmp_path / "b.zip").exists()


CHANGE = """
import sys
from pathlib import Path
from hipdash import library
data_dir, bundled = Path(sys.argv[1]), Path(sys.argv[2])
try:
    library.delete(data_dir, bundled, "mini")
except library.LibraryError as exc:
    print(exc)
"""


@pytest.mark.parametrize("case", ["routines/deleted mode 000", "routines/previous mode 000"])
def test_a_change_to_the_routines_is_refused_naming_what_cannot_be_read(data_dir, blocked, case):
    """Deleting moves the routine into deleted/ and keeps it there: with a part of the
    folder unreadable it could not be kept, or be brought back."""
    said = blocked(case)
    before = as_it_is(data_dir)
    argv = [sys.executable, "-c", CHANGE, str(data_dir), str(PROJECT / "routines")]
    done = subprocess.run(bound_by_modes(argv), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert said in done.stdout and "nothing was changed" in done.stdout
    assert as_it_is(data_dir) == before
