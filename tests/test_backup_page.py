"""The Backup page through AppTest: what you have, and a restore that shows what the
backup holds and what it replaces, asks, then puts your data and routines back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from hipdash import library
from hipdash.backup import make_backup
from hipdash.library.edits import change_exercise
from hipdash.log import Change, CheckoffLog
from hipdash.ui import keys

from . import component as cards
from .conftest import VALID, open_app, plain

R1 = "hip-therapy-routine-1"
DAY = date(2026, 11, 24)
AT = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", DAY.isoformat())


def backup_page() -> AppTest:
    at = open_app("pages/backup.py")
    assert not at.exception
    return at


def lists(at: AppTest) -> list[str]:
    return [plain(m.value) for m in at.markdown if m.value.startswith("- ")]


def test_restore_into_an_empty_data_dir_shows_what_it_holds_asks_and_brings_it_back(
    bundled, data_dir, tmp_path, monkeypatch
):
    CheckoffLog(data_dir / "checkoffs.csv").record([Change(DAY, R1, "release/cat-cow", True)], AT)
    library.update(
        data_dir,
        bundled,
        R1,
        lambda r, used: change_exercise(r, "release", "cat-cow", {"title": "Cat and cow"}),
    )
    raw = make_backup(data_dir)
    empty = tmp_path / "new" / "data"
    monkeypatch.setenv("HIPDASH_DATA_DIR", str(empty))

    at = backup_page()
    assert lists(at) == [
        "- no days logged\n"
        "- 0 sessions with pain, minutes or a note; 0 days marked rest, sick or travel\n"
        "- your routines: no routines of yours (the bundled ones are used)"
    ]
    at.file_uploader(key="hd_backup_upload-0").upload("b.zip", raw, "application/zip").run()
    assert not at.exception
    holds, replaces = lists(at)[1:]
    assert holds.splitlines() == [
        "- 1 day logged, 24 Nov 2026 to 24 Nov 2026: 0 sessions, 1 tick",
        "- 0 sessions with pain, minutes or a note; 0 days marked rest, sick or travel",
        "- your routines: 1 routine (Hip Therapy Routine 1), 1 previous version",
        "- last change Tue 24 Nov 2026 at 09:30",
    ]
    assert replaces == lists(at)[0]
    assert at.button(key="hd-restore").disabled  # asks first
    assert not (empty / "checkoffs.csv").exists() and not (empty / "routines").exists()
    at.checkbox(key="hd-restore-ok-0").check().run()
    at.button(key="hd-restore").click().run()
    assert not at.exception
    (done,) = [plain(s.value) for s in at.success]
    assert done.startswith("Restored checkoffs.csv, your routines (2 files) from b.zip.")
    assert [u.key for u in at.get("file_uploader")] == ["hd_backup_upload-1"]

    at.switch_page("pages/today.py").run()
    assert cards.ticked(at) == ["Cat and cow"]


def test_a_restore_over_newer_changes_warns_that_they_go_aside(bundled, data_dir):
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.record([Change(DAY, R1, "release/cat-cow", True)], AT)
    raw = make_backup(data_dir)
    at = backup_page()
    at.file_uploader(key="hd_backup_upload-0").upload("b.zip", raw, "application/zip").run()
    assert not at.warning  # the same data: nothing newer to lose
    log.record([Change(DAY, R1, "release/wrist-stretches", True)], AT + timedelta(minutes=5))
    at.run()
    holds, replaces = lists(at)[1:]
    assert holds != replaces  # one tick apart, and it shows
    (warned,) = [plain(w.value) for w in at.warning]
    assert warned.startswith(
        "**You have changes newer than anything in this backup** (the latest Tue 24 Nov 2026 at "
        "09:35). Restoring moves them into a folder of their own"
    )


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(bundled, data_dir):
    CheckoffLog(data_dir / "checkoffs.csv").record([Change(DAY, R1, "release/cat-cow", True)])
    before = (data_dir / "checkoffs.csv").read_bytes()
    at = backup_page()
    at.file_uploader(key="hd_backup_upload-0").upload("x.zip", b"PK nonsense", "application/zip")
    at.run()
    (error,) = [plain(e.value) for e in at.error]
    assert error == (
        "**x.zip cannot be restored:** not a hipdash backup: not a zip file. Nothing was changed."
    )
    assert [b.key for b in at.button] == []
    assert (data_dir / "checkoffs.csv").read_bytes() == before


def test_the_backup_page_is_in_the_nav(bundled):
    at = backup_page()
    links = cards.data(at, keys.NAV)["links"]
    assert [(link["label"], link["url"]) for link in links] == [
        ("✅ Today", "today"),
        ("📈 Progress", "progress"),
        ("📋 Routines", "routines"),
        ("💾 Backup", "backup"),
    ]
    assert [link["label"] for link in links if link["current"]] == ["💾 Backup"]


def test_your_routines_titles_are_escaped_in_the_summaries(bundled, data_dir):
    from .test_security import UNESCAPED, hostile_routine

    (data_dir / "routines").mkdir(parents=True)
    hostile_routine(data_dir / "routines")
    at = backup_page()
    at.file_uploader(key="hd_backup_upload-0").upload("b.zip", make_backup(data_dir), "x/zip")
    at.run()
    shown = "\n".join(m.value for m in at.markdown)
    assert shown.count("(0)") == 3  # you have now, the backup holds, it replaces
    for pattern in UNESCAPED:
        assert not pattern.search(shown), pattern.pattern


def test_a_log_that_cannot_be_backed_up_is_said_up_front(bundled, data_dir, tmp_path):
    """The download used to do nothing at all when the backup could not be made."""
    data_dir.mkdir()
    (tmp_path / "elsewhere.csv").write_text("recorded_at,session_date,routine,item,done\n")
    (data_dir / "checkoffs.csv").symlink_to(tmp_path / "elsewhere.csv")
    at = backup_page()
    (error,) = [e for e in at.error if "No backup can be made" in e.value]
    assert "checkoffs.csv is a symbolic link" in plain(error.value)
    assert at.get("download_button")[0].proto.disabled


def restore_on_the_page(at: AppTest, raw: bytes, name: str = "b.zip") -> AppTest:
    """Upload, tick "Replace my data with this backup" and Restore, in this session."""
    at.switch_page("pages/backup.py").run()
    at.file_uploader(key="hd_backup_upload-0").upload(name, raw, "application/zip").run()
    at.checkbox(key="hd-restore-ok-0").check().run()
    at.button(key="hd-restore").click().run()
    assert not at.exception
    return at


def test_a_restore_says_your_routines_were_replaced_and_names_the_folder_not_a_path(
    bundled, data_dir, tmp_path
):
    """It said "Restored checkoffs.csv … What it replaced is in /tmp/…/replaced-…": not a
    word of the three routines moved aside, and a path that means nothing on a phone."""
    (data_dir / "routines").mkdir(parents=True)
    for rid in ("knee", "back", "neck"):
        mini = VALID.replace("id: mini", f"id: {rid}").replace("Mini routine", rid.title())
        (data_dir / "routines" / f"{rid}.yaml").write_text(mini)
    elsewhere = tmp_path / "elsewhere"
    CheckoffLog(elsewhere / "checkoffs.csv").record([Change(DAY, R1, "release/cat-cow", True)], AT)

    at = restore_on_the_page(backup_page(), make_backup(elsewhere), "hipdash-backup.zip")
    (done,) = [plain(s.value) for s in at.success]
    (aside,) = [p.name for p in data_dir.iterdir() if p.name.startswith("replaced-")]
    assert done == (
        "Restored checkoffs.csv from hipdash-backup.zip. Your 3 routines (Back, Knee, Neck) "
        "were replaced by the backup's: none, so the bundled ones are used. What you had is "
        f"kept in the folder {aside} in your data folder."
    )
    assert str(data_dir) not in done
    assert sorted(p.name for p in (data_dir / aside / "routines").iterdir()) == [
        "back.yaml",
        "knee.yaml",
        "neck.yaml",
    ]


def test_after_a_restore_today_offers_no_resume_of_the_session_it_replaced(
    bundled, data_dir, tmp_path
):
    """Today offered "Resume guided session at …" on a day the restored log showed 0 of 16
    done: where the replaced session was stayed in app-state.json, and in the tab."""
    elsewhere = tmp_path / "elsewhere"
    CheckoffLog(elsewhere / "checkoffs.csv").record(
        [Change(DAY - timedelta(days=3), R1, "release/cat-cow", True)], AT
    )
    raw = make_backup(elsewhere)
    at = cards.start_guided(open_app())  # Today's Start: the guided view, in this tab
    first = at.subheader[0].value
    for kind in ("start", "skip"):  # begun, then on to the second exercise
        visit = cards.data(at, keys.GUIDED_RUNNER)["visit"]
        cards.send(at, {"kind": kind, "visit": visit}, keys.GUIDED_RUNNER)
        assert not at.exception
    second = at.subheader[0].value
    at.switch_page("pages/today.py").run()
    assert cards.data(at)["guided_at"] == second != first

    restore_on_the_page(at, raw)
    at.switch_page("pages/today.py").run()
    assert cards.count(at).startswith("0")
    assert cards.data(at)["guided_at"] is None
    assert cards.timer_button(at) == "Start session timer"  # its stopwatch went aside too
    assert cards.data(open_app())["guided_at"] is None  # another phone, reading the file
    cards.start_guided(at)  # this tab's Start begins at the first exercise not done
    assert not at.exception
    assert at.subheader[0].value == first
