"""What the app does with a damaged log and with a data dir it cannot write to.

A damaged log is read as far as it can be, the rest is reported on the page, and its
bytes are never rewritten: after the page ran and after a tick, the old bytes are an
exact prefix of the file. A data dir that cannot be written is reported before the
person ticks, and a tick that failed is never shown as saved. Read-only is real here:
the page runs in a private mount namespace where the data dir is a read-only bind mount
(root ignores file modes, not a read-only mount).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import date

import pytest

from hipdash.log import COLUMNS, Change, CheckoffLog
from hipdash.ui import PAGES

from . import component as cards
from .conftest import APP_TIMEOUT, DEAD_BUG, PROJECT, R, plain, read_only_view

HEADER = (",".join(COLUMNS) + "\n").encode()
CAT_COW = f"2026-11-24T18:05:31+01:00,2026-11-24,{R},release/cat-cow,1\n".encode()
WRIST = f"2026-11-24T18:06:31+01:00,2026-11-24,{R},release/wrist-stretches,1\n".encode()

DAMAGED = {
    "garbage lines": (HEADER + CAT_COW + b"%%% not a row %%%\n" + b"\x00\x01binary\n", "line 3"),
    "wrong column counts": (HEADER + b"a,b,c\n" + CAT_COW + WRIST[:-1] + b",1,extra\n", "line 2"),
    "bad UTF-8": (HEADER + CAT_COW + b"\xff\xfe\xfd,broken\n", "not UTF-8"),
    "a UTF-8 BOM and CRLF": (
        b"\xef\xbb\xbf" + HEADER[:-1] + b"\r\n" + CAT_COW[:-1] + b"\r\n",
        None,
    ),
    "a missing header": (CAT_COW + WRIST, "no header line"),
    "an empty file": (b"", None),
    "a torn last line": (HEADER + CAT_COW + WRIST[:30], "last line is incomplete"),
}


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", "2026-11-24")


@pytest.mark.parametrize("case", list(DAMAGED))
def test_a_damaged_log_loads_what_it_can_warns_and_keeps_its_bytes(app_page, case, data_dir):
    content, warning = DAMAGED[case]
    path = data_dir / "checkoffs.csv"
    data_dir.mkdir()
    path.write_bytes(content)

    at = app_page()
    assert not at.exception
    warnings = [plain(w.value) for w in at.warning]
    if warning:
        assert any("could not be read" in w and warning in w for w in warnings), warnings
    else:
        assert warnings == []
    readable = CAT_COW in content.replace(b"\r\n", b"\n")
    assert ("Cat/cow stretch" in cards.ticked(at)) is readable
    assert path.read_bytes() == content  # reading never rewrites
    # Every other page that reads the log warns the same way (Routines does not read it).
    for page in [p for p in PAGES[1:] if p.url_path != "routines"]:  # Progress, guided
        other = app_page(page.path)
        assert not other.exception, page.path
        assert [plain(w.value) for w in other.warning] == warnings, page.path
    assert path.read_bytes() == content

    cards.click(at, "Dead bug")
    assert not at.exception and not at.error and not cards.message(at)
    after = path.read_bytes()
    assert after.startswith(content)  # the old bytes are an exact prefix
    assert after.decode("utf-8", "replace").endswith(f",{R},{DEAD_BUG},1\n")
    fresh = app_page()
    assert "Dead bug" in cards.ticked(fresh)
    assert ("Cat/cow stretch" in cards.ticked(fresh)) is readable


def test_a_missing_data_dir_is_made_on_the_first_tick(app_page, data_dir):
    assert not data_dir.exists()
    at = app_page()
    assert not at.error and not cards.message(at)
    cards.click(at, "Dead bug")
    assert not at.error and not cards.message(at)
    assert (data_dir / "checkoffs.csv").read_text().endswith(f",{DEAD_BUG},1\n")


def test_a_data_dir_that_cannot_be_made_is_reported_before_and_after_a_tick(
    app_page, tmp_path, monkeypatch
):
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("HIPDASH_DATA_DIR", str(tmp_path / "a-file" / "data"))
    at = app_page()
    assert "Ticks cannot be saved" in cards.message(at) and "is a file" in cards.message(at)
    assert not at.warning  # there is no log to read yet: nothing else to warn about
    cards.click(at, "Dead bug")
    assert not at.exception
    assert cards.ticked(at) == []
    assert cards.count(at) == "0 / 16 done"
    assert cards.message(at).startswith("Not saved")
    assert cards.data(at)["failed"] == DEAD_BUG


# -- a really read-only data dir --------------------------------------------------------

READONLY_PAGE = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, sys.argv[3])
    from streamlit.testing.v1 import AppTest
    from tests import component as cards
    at = AppTest.from_file(sys.argv[1], default_timeout=int(sys.argv[2])).run()
    before = cards.message(at)
    cat = "Cat/cow stretch" in cards.ticked(at)
    cards.click(at, "Dead bug")
    print(json.dumps({
        "exception": [str(e.value) for e in at.exception],
        "before": before,
        "after": cards.message(at),
        "failed": cards.data(at)["failed"],
        "dead_bug": "Dead bug" in cards.ticked(at),
        "cat_cow": cat,
        "progress": cards.count(at),
    }))
    """
)


def run_with_readonly(readonly_dir, env_data_dir) -> dict:
    """Today in a child process whose view of `readonly_dir` is a read-only bind mount."""
    done = subprocess.run(
        read_only_view(
            readonly_dir,
            [
                sys.executable,
                "-c",
                READONLY_PAGE,
                str(PROJECT / "app.py"),
                str(APP_TIMEOUT),
                str(PROJECT),
            ],
        ),
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HIPDASH_DATA_DIR": str(env_data_dir)},
    )
    assert done.returncode == 0, f"needs unshare and mount (root): {done.stderr[-2000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_read_only_data_dir_is_reported_and_a_tick_is_never_shown_saved(data_dir):
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.record([Change(date(2026, 11, 24), R, "release/cat-cow", True)])
    content = log.path.read_bytes()

    seen = run_with_readonly(data_dir, data_dir)
    assert seen["exception"] == []
    assert seen["cat_cow"] is True  # what is there is still shown
    assert "Ticks cannot be saved" in seen["before"] and "read-only" in seen["before"]
    assert seen["dead_bug"] is False
    assert seen["progress"] == "1 / 16 done"
    assert "Not saved" in seen["after"] and "Read-only file system" in seen["after"]
    assert seen["failed"] == DEAD_BUG
    assert log.path.read_bytes() == content


def test_a_missing_data_dir_inside_a_read_only_folder_is_reported(tmp_path):
    parent = tmp_path / "ro"
    parent.mkdir()
    seen = run_with_readonly(parent, parent / "data")
    assert seen["exception"] == []
    assert "cannot be made" in seen["before"]
    assert seen["dead_bug"] is False and seen["progress"] == "0 / 16 done"
    assert "Not saved" in seen["after"] and "Read-only file system" in seen["after"]
    assert not (parent / "data").exists()


@pytest.mark.parametrize("name", ["sessions.csv", "days.csv"])
def test_the_other_append_only_files_warn_about_damage_and_keep_their_bytes(
    app_page, name, data_dir
):
    data_dir.mkdir()
    content = b"\xef\xbb\xbfgarbage,,,\r\n\x00\x01 not a row\n" + b"torn tail"
    (data_dir / name).write_bytes(content)
    for page in PAGES:
        at = app_page(page.path)
        assert not at.exception, page.path
        warnings = [plain(w.value) for w in at.warning if "session lines" in w.value]
        if page.path == "pages/today.py":
            assert warnings and name in warnings[0] and "incomplete" in warnings[0]
    cards.click(app_page(), "Dead bug")
    assert (data_dir / name).read_bytes() == content


def test_the_warning_counts_every_line_that_could_not_be_read(app_page, data_dir):
    """Reproduction: with 1,000,000 bad lines the warning said "…and 195 more" (a file's
    problems are kept up to 200; the count is of all of them)."""
    data_dir.mkdir()
    header = ",".join(COLUMNS) + "\n"
    (data_dir / "checkoffs.csv").write_text(header + "garbage\n" * 5_000 + "torn")
    (data_dir / "sessions.csv").write_text("x\n" * 300)
    at = app_page()
    texts = [plain(w.value) for w in at.warning]
    (log,) = [t for t in texts if t.startswith("**Some log lines")]
    assert "…and 4,996 more" in log  # 5,000 lines and the torn one, 5 listed
    (sessions,) = [t for t in texts if t.startswith("**Some session lines")]
    assert "…and 295 more" in sessions
