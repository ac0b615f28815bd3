"""A routine changed on two computers: the sync tool's conflict copy is never picked silently.
The Routines page shows both versions and asks; the one not chosen stays a previous version.
And an append that lands in a file a sync tool replaced meanwhile is written again."""

from __future__ import annotations

import os

import yaml

from hipdash import library, store
from hipdash.library import load
from hipdash.log import Change, CheckoffLog

from .conftest import MINI, TODAY, R, open_app

COPY = "mini.sync-conflict-20261205-101010-ABCDEFG.yaml"


def two_versions(data_dir, bundled):
    """Your routine `mini` here, and another computer's version of it beside it."""
    folder = load.user_dir(data_dir)
    folder.mkdir(parents=True)
    (folder / "mini.yaml").write_text(MINI)
    theirs = yaml.safe_load(MINI)
    theirs["title"] = "Mini, as the laptop has it"
    (folder / COPY).write_text(yaml.safe_dump(theirs, sort_keys=False))
    return folder


def test_a_conflict_copy_is_found_and_not_reported_as_a_broken_file(data_dir, bundled):
    two_versions(data_dir, bundled)
    found = library.load_library(data_dir, bundled)
    assert found.problems == ()
    [conflict] = library.conflicts(data_dir, [e.routine.id for e in found.entries])
    assert (conflict.routine_id, conflict.copy) == ("mini", COPY)
    assert conflict.theirs.title == "Mini, as the laptop has it"
    assert found.entry("mini").routine.title == "Mini"  # nothing picked by itself


def test_keeping_either_version_keeps_the_other_as_a_previous_one(data_dir, bundled):
    folder = two_versions(data_dir, bundled)
    library.settle(data_dir, bundled, "mini", COPY, use_copy=True)
    assert library.current(data_dir, bundled, "mini").routine.title == "Mini, as the laptop has it"
    [kept] = library.versions(data_dir, "mini")
    assert library.read_version(data_dir, "mini", kept.name).title == "Mini"
    assert not (folder / COPY).exists()

    two_versions_again = folder / COPY
    two_versions_again.write_text(MINI)
    library.settle(data_dir, bundled, "mini", COPY, use_copy=False)
    assert library.current(data_dir, bundled, "mini").routine.title == "Mini, as the laptop has it"
    assert len(library.versions(data_dir, "mini")) == 2 and not two_versions_again.exists()


def test_a_name_that_is_no_copy_is_refused(data_dir, bundled):
    two_versions(data_dir, bundled)
    for name in ("../mini.yaml", "mini.yaml", "other.sync-conflict-20261205-101010-ABCDEFG.yaml"):
        try:
            library.settle(data_dir, bundled, "mini", name, use_copy=True)
        except library.LibraryError:
            continue
        raise AssertionError(f"{name} was taken")


def test_the_routines_page_shows_both_and_asks(data_dir, bundled):
    folder = two_versions(data_dir, bundled)
    at = open_app("pages/routines.py", {"view": "Your routines"})
    assert not at.exception
    [asked] = [w.value for w in at.warning if "Two versions of" in w.value]
    assert COPY.replace("_", "\\_") in asked or COPY in asked
    assert any("Mini, as the laptop has it" in m.value for m in at.markdown)
    at.button(key="hd-conflict-use-0").click().run()
    assert not at.exception
    assert not (folder / COPY).exists()
    assert "laptop" in (folder / "mini.yaml").read_text()
    assert not [w for w in at.warning if "Two versions of" in w.value]


def test_an_append_into_a_file_replaced_meanwhile_is_written_again(data_dir, log, monkeypatch):
    """A sync tool renames the other computer's version over the log just as a tick is
    written: the tick went to the file it replaced, so it is written into the new one."""
    log.record([Change(TODAY, R, "release/cat-cow", True)])
    incoming = data_dir / ".syncthing.checkoffs.csv.tmp"
    incoming.write_bytes(log.path.read_bytes())
    real_fsync, replaced = os.fsync, []

    def fsync_then_replace(fd):
        real_fsync(fd)
        if not replaced:
            replaced.append(fd)
            os.replace(incoming, log.path)

    monkeypatch.setattr(store.os, "fsync", fsync_then_replace)
    log.record([Change(TODAY, R, "release/wrist-stretches", True)])
    monkeypatch.undo()
    store.clear_cache()
    assert replaced
    assert CheckoffLog(log.path).day_state(TODAY, R) == {
        "release/cat-cow": True,
        "release/wrist-stretches": True,
    }
