"""Special files under the names hipdash reads: a FIFO, a device, a hard link. Each is
refused by name; none can hang a page or a command (even one holding a lock), fill the
memory, or make hipdash show or write another file's lines."""

from __future__ import annotations

import os
import shutil

import pytest

from hipdash import safefile
from hipdash.log import Change, CheckoffLog
from hipdash.store import StoreWriteError

from .bounded import run_bounded
from .conftest import MON, ROUTINE_1, R

SETUP = r"""
import contextlib, io, os, shutil, sys
from pathlib import Path
from hipdash import appstate, backup, library  # everything the body runs, loaded before the limits
from hipdash.__main__ import main as cli

root = Path(sys.argv[5])
data, bundled = root / "data", root / "bundled"
for folder in (data / "routines", bundled):
    folder.mkdir(parents=True)
shutil.copy(sys.argv[6], bundled)
os.mkfifo(data / "app-state.json")
os.mkfifo(data / "routines" / "fifo.yaml")
os.symlink("/dev/zero", data / "routines" / "zero.yaml")
os.mkfifo(bundled / "fifo.yaml")
os.symlink("/dev/zero", bundled / "zero.yaml")
os.mkfifo(root / "note.md")
os.mkfifo(root / "backup.zip")
(root / "good.md").write_text("# Plan\n\n## Moves\n\n- Squat 10 reps\n- Bridge 10 reps\n")
os.environ.update(HIPDASH_DATA_DIR=str(data), HIPDASH_ROUTINES_DIR=str(bundled))

def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli(list(argv))
    return [code, out.getvalue() + err.getvalue()]
"""

BODY = r"""
found = library.load_library(data, bundled)
try:
    library.current(data, bundled, "fifo")
    current = "read"
except library.LibraryError as exc:
    current = str(exc)
result = {
    "state": appstate.read(data) == appstate.AppState(),
    "routines": [r.id for r in found.active],
    "problems": list(found.problems),
    "current": current,
    "check": run("check"),
    "import": run("import", "--dry-run", str(root / "good.md")),
    "import fifo": run("import", "--dry-run", str(root / "note.md")),
    "restore fifo": run("restore", str(root / "backup.zip")),
    "export": run("export", str(root / "out.zip")),
}
"""


def test_fifos_and_devices_never_hang_or_fill_memory(tmp_path):
    """Reproduction: `mkfifo data/app-state.json` left Today blank with a blocked thread per
    view; a FIFO in data/routines/ hung `import` and `library.current()` while holding
    routines.lock; `routines/zero.yaml -> /dev/zero` killed `check` with MemoryError."""
    done = run_bounded(
        SETUP,
        BODY,
        cpu_seconds=10,
        memory_mb=128,
        args=(str(tmp_path), str(ROUTINE_1)),
        timeout=60,
    )
    out = done.result
    assert out["state"]  # the defaults: nothing blocked
    assert out["routines"] == [R]
    shown = "\n".join(out["problems"])
    assert "fifo.yaml" in shown and "zero.yaml" in shown
    assert "not a regular file" in shown and "a symbolic link" in shown
    assert "not a regular file" in out["current"]
    code, text = out["check"]
    assert code == 1 and "Traceback" not in text
    for name in ("bundled/fifo.yaml", "bundled/zero.yaml", "routines/fifo.yaml"):
        assert name in text, name
    code, text = out["import"]
    assert code == 0 and "would write" in text
    code, text = out["import fifo"]
    assert code == 1 and "note.md is not a regular file" in text
    code, text = out["restore fifo"]
    assert code == 1 and "backup.zip is not a regular file" in text
    assert "nothing was changed" in text
    code, text = out["export"]
    assert code == 0, text


def test_a_hard_linked_log_is_refused_never_shown_or_written(data_dir, tmp_path):
    """Reproduction: `checkoffs.csv` as a hard link to another file: that file's lines were
    shown and appended to."""
    other = tmp_path / "other.csv"
    other.write_text("recorded_at,session_date,routine,item,done\nsecret,line,of,another,file\n")
    data_dir.mkdir()
    os.link(other, data_dir / "checkoffs.csv")
    log = CheckoffLog(data_dir / "checkoffs.csv")
    snap = log.snapshot()
    assert snap.records == [] and "is a hard link" in snap.warnings[0]
    assert "secret" not in "".join(snap.warnings)
    before = other.read_bytes()
    with pytest.raises(StoreWriteError, match="hard link"):
        log.record([Change(MON, R, "warm-up/cat-cow", True)])
    assert other.read_bytes() == before
    assert "hard link" in log.write_problem()


def test_a_hard_linked_routine_file_is_listed_not_used(data_dir, tmp_path):
    from hipdash.library import load_library

    (data_dir / "routines").mkdir(parents=True)
    outside = tmp_path / "elsewhere.yaml"
    shutil.copy(ROUTINE_1, outside)
    os.link(outside, data_dir / "routines" / f"{R}.yaml")
    found = load_library(data_dir, tmp_path / "no-bundled")
    assert found.active == ()
    assert any("is a hard link" in p for p in found.problems)


def test_read_plain_stops_at_its_limit_even_when_the_size_lies(tmp_path):
    """A file that grows while it is read (or a size that the file system misreports) is
    still read no further than the limit."""
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert safefile.read_plain(path, 10) == b"x" * 10
    with pytest.raises(safefile.TooLarge, match="too large"):
        safefile.read_plain(path, 9)
