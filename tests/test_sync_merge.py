"""Conflict copies of the append-only files, merged: on real files in a temp dir, the merge
of two diverged logs as a hypothesis property, and a merge racing a writer process."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipdash import appstate, backup, changes, store
from hipdash.feelings import FeelingLog
from hipdash.log import Change, CheckoffLog
from hipdash.sessions import SessionDetails, SessionLog
from hipdash.sync import merge, names

from .conftest import FUZZ, PROJECT, TODAY, R, cli_process

CAT, BUG = "release/cat-cow", "strengthen/hip-strength-four/dead-bug"
COPIES = [
    "checkoffs.sync-conflict-20261205-101010-ABCDEFG.csv",  # Syncthing
    "checkoffs (mac-mini's conflicted copy 2026-12-05).csv",  # Dropbox
    "checkoffs (mac-mini's conflicted copy 2026-12-05) (1).csv",
    "checkoffs (conflicted copy 2026-12-05 101010).csv",  # Nextcloud, ownCloud, Obsidian
    "checkoffs (Conflicted copy mac-mini 202612051010).csv",
    "checkoffs_conflict-20261205-101010.csv",  # ownCloud before 2.5
    "checkoffs (SFConflict me@example.com 2026-12-05-10-10-10).csv",  # Seafile
    "checkoffs.Conflict.csv",  # Resilio
    "checkoffs 2.csv",  # iCloud Drive
    "checkoffs (1).csv",  # Google Drive
    "checkoffs-MAC-MINI.csv",  # OneDrive
    "checkoffs-ip-172-31-41-236.csv",  # OneDrive on Linux: the host name
    "checkoffs-old.csv",  # OneDrive, from a computer named "old" (docs/sync.md)
    # Dropbox's second copy of a day, a device name of its own with parentheses, and its
    # names in other languages (German twice: older and newer clients)
    "checkoffs (Alice's conflicted copy 2026-12-05 (1)).csv",
    "checkoffs (Alice's MacBook Pro (2)'s conflicted copy 2026-12-05).csv",
    "checkoffs (Alices in Konflikt stehende Kopie 2026-12-05).csv",
    "checkoffs (Konfliktkopie von Alice 2026-12-05).csv",
    "checkoffs (Copie en conflit de Alice 2026-12-05).csv",
    "checkoffs (Copia en conflicto de Alice 2026-12-05).csv",
    "checkoffs (Copia in conflitto di Alice 2026-12-05).csv",
    "checkoffs (Cópia em conflito de Alice 2026-12-05 1).csv",
    "checkoffs (Alice の競合コピー 2026-12-05).csv",
]
# ... and as a Mac's file system hands them over, decomposed ("ó" and "ピ" two characters)
COPIES += [unicodedata.normalize("NFD", n) for n in COPIES if not n.isascii()]
# Every file a copy is looked for of: the append-only logs, the app state, a routine.
KINDS_OF_FILE = [
    "checkoffs.csv",
    "sessions.csv",
    "days.csv",
    "feelings.csv",
    "app-state.json",
    "knee.yaml",
]
NOT_COPIES = [
    "checkoffs.csv",
    "sessions.csv",
    "checkoffs.csv.lock",
    "checkoffs.before-demo-20261205-101010.csv",  # `hipdash demo --force` set it aside
    "xcheckoffs 2.csv",
    "checkoffs 2.json",
    "checkoffs.sync-conflict-2026-ABCDEFG.csv",
]
HEADER = "recorded_at,session_date,routine,item,done\n"


def row(stamp: str, item: str, done: int, day: str = "2026-11-25") -> str:
    return f"{stamp},{day},{R},{item},{done}\n"


@pytest.mark.parametrize("name", COPIES)
@pytest.mark.parametrize("file", KINDS_OF_FILE)
def test_every_tools_conflict_name_is_a_copy_of_every_kind_of_file(name, file):
    stem, suffix = os.path.splitext(file)
    copy = name.replace("checkoffs", stem, 1).removesuffix(".csv") + suffix
    assert names.is_copy(copy, file)


@pytest.mark.parametrize("name", COPIES)
def test_a_copy_under_every_tools_name_is_merged_and_said(data_dir, log, name):
    log.record([Change(TODAY, R, CAT, True)])
    (data_dir / name).write_text(HEADER + row("2026-11-25T08:00:00+00:00", BUG, 1))
    [merged] = merge.merge_all(data_dir)
    assert merged.rows == 1 and not merged.error and name in merged.text
    assert log.day_state(TODAY, R) == {CAT: True, BUG: True}
    assert (data_dir / "merged" / name).exists() and not (data_dir / name).exists()


@pytest.mark.parametrize("name", NOT_COPIES)
def test_other_names_are_not(name):
    assert not names.is_copy(name, "checkoffs.csv")


def test_a_copy_adds_its_rows_in_time_order_and_moves_to_merged(data_dir, log):
    data_dir.mkdir()
    common = HEADER + row("2026-11-25T08:00:00+01:00", CAT, 1)
    (data_dir / "checkoffs.csv").write_text(common + row("2026-11-25T09:00:00+01:00", BUG, 1))
    copy = data_dir / COPIES[0]
    theirs = row("2026-11-25T08:40:00+00:00", CAT, 0) + row("2026-11-25T07:50:00+00:00", BUG, 0)
    copy.write_text(common + theirs)
    before = copy.read_bytes()

    [merged] = merge.merge_all(data_dir)

    assert merged.rows == 2 and not merged.problems and not merged.error
    assert merged.text.startswith("Merged 2 ticks from another computer's copy of your log")
    lines = (data_dir / "checkoffs.csv").read_text().splitlines(keepends=True)
    # 07:50Z is before 08:40Z: the copy's rows by time, after this computer's own.
    assert lines[3:] == [
        row("2026-11-25T07:50:00+00:00", BUG, 0),
        row("2026-11-25T08:40:00+00:00", CAT, 0),
    ]
    assert (data_dir / "merged" / copy.name).read_bytes() == before and not copy.exists()
    # The latest by recorded_at wins: the untick of the cat-cow (09:40 +01:00) is after its
    # tick; the bug's untick (08:50 +01:00) is before this computer's tick at 09:00.
    assert log.day_state(TODAY, R) == {CAT: False, BUG: True}
    copy.write_bytes(before)  # the same copy again: nothing more to add
    assert merge.merge_all(data_dir)[0].rows == 0
    assert (data_dir / "merged" / f"{copy.stem} (2).csv").read_bytes() == before


def test_a_damaged_copy_loses_none_of_its_valid_rows(data_dir, log):
    data_dir.mkdir()
    good = [row(f"2026-11-25T08:0{n}:00+00:00", item, 1) for n, item in enumerate((CAT, BUG))]
    damaged = (
        b"\xef\xbb\xbf"
        + HEADER.encode()
        + good[0].replace("\n", "\r\n").encode()
        + b"\xff\xfe garbage\n"
        + b"2026-11-25T08:05:00+00:00,2026-13-45,x,y,1\n"
        + good[1].encode()
        + b"2026-11-25T08:09:00+00:00,2026-11-25,hip-ther"  # torn by a crash mid-write
    )
    (data_dir / COPIES[1]).write_bytes(damaged)
    [merged] = merge.merge_all(data_dir)
    assert merged.rows == 2
    assert [p.split(":")[0] for p in merged.problems] == [
        f"{COPIES[1]} line {n}" for n in (3, 4, 6)
    ]
    assert (data_dir / "checkoffs.csv").read_text() == HEADER + "".join(good)
    assert (data_dir / "merged" / COPIES[1]).read_bytes() == damaged  # all of it, kept
    assert log.day_state(TODAY, R) == {CAT: True, BUG: True}


def test_sessions_days_and_feelings_merge_by_time_too(data_dir):
    data_dir.mkdir()
    here, there = SessionLog(data_dir), SessionLog(data_dir / "other")
    early, late = (
        datetime(2026, 11, 25, 9, tzinfo=UTC),
        datetime(2026, 11, 25, 10, tzinfo=UTC),
    )
    here.save(SessionDetails(TODAY, R, 5, 3, 30, "here"), now=late)
    there.save(SessionDetails(TODAY, R, 6, 2, 20, "there"), now=early)
    there.mark_day(TODAY, "sick", "flu", now=late)
    FeelingLog(data_dir / "other").record(TODAY, R, "release/cat-cow", "hard", now=late)
    for name in ("sessions.csv", "days.csv", "feelings.csv"):
        os.rename(
            data_dir / "other" / name,
            data_dir / name.replace(".", ".sync-conflict-20261205-101010-ABCDEFG."),
        )
    assert sorted(m.rows for m in merge.merge_all(data_dir)) == [1, 1, 1]
    store.clear_cache()
    assert here.details(TODAY, R).note == "here"  # the later save, though merged after
    assert here.day_marks()[TODAY].label == "sick: flu"
    assert FeelingLog(data_dir).feeling(TODAY, R, "release/cat-cow") == "hard"


def test_undo_and_the_two_device_rule_hold_over_merged_rows(data_dir, log):
    """This computer ticks; the other computer's untick of the same item, made later, comes
    in by a conflict copy: Undo here leaves it as it is (and says so)."""
    at = datetime(2026, 11, 25, 9, tzinfo=UTC)
    outcome = changes.apply(log, TODAY, R, changes.intents({}, [CAT], True), now=at)
    history = changes.History().after(outcome)
    other = CheckoffLog(data_dir / "other.csv")
    other.record([Change(TODAY, R, CAT, False)], now=at + timedelta(minutes=1))
    os.rename(other.path, data_dir / COPIES[8])
    merge.merge_all(data_dir)
    assert log.day_state(TODAY, R) == {CAT: False}
    history, undone = history.undo(log, TODAY, R, now=at + timedelta(minutes=2))
    assert undone.written == () and undone.left == (CAT,)
    # A tick now, though this computer's clock is behind the other's: it takes effect.
    behind = at - timedelta(hours=1)
    changes.apply(log, TODAY, R, changes.intents({CAT: False}, [CAT], True), now=behind)
    assert log.day_state(TODAY, R) == {CAT: True}


# -- two diverged copies, merged either way (hypothesis) -----------------------------------

ITEMS = (CAT, BUG, "release/hip-flexor")
DAYS = (date(2026, 11, 24), TODAY)
change = st.tuples(st.sampled_from(DAYS), st.sampled_from(ITEMS), st.booleans(), st.integers(0, 50))


def write(path, changes_, base: datetime, offset: timedelta):
    """Changes as one computer writes them: at base + n seconds, in its own time zone."""
    if not path.exists():
        path.write_text(HEADER)
    log = CheckoffLog(path)
    for day, item, done, seconds in sorted(changes_, key=lambda c: c[3]):
        at = (base + timedelta(seconds=seconds)).astimezone(timezone(offset))
        log.record([Change(day, R, item, done)], now=at)
    return path.read_bytes()


def states(path):
    store.clear_cache()
    log = CheckoffLog(path)
    return {day: log.day_state(day, R) for day in DAYS}


def merge_diverged(folder, prefix, mine, theirs) -> None:
    t0 = datetime(2026, 11, 24, 7, tzinfo=UTC)
    common = write(folder / "common.csv", prefix, t0, timedelta(0))
    # Two computers go on from the same file, in other time zones, a few hundred
    # microseconds apart (two clocks never tick the same microsecond).
    a, b = folder / "a", folder / "b"
    a.mkdir(), b.mkdir()
    for side, more, zone, skew in ((a, mine, 1, 100), (b, theirs, -5, 200)):
        (side / "checkoffs.csv").write_bytes(common)
        start = t0 + timedelta(minutes=1, microseconds=skew)
        write(side / "checkoffs.csv", more, start, timedelta(hours=zone))
    lines = {side: set((side / "checkoffs.csv").read_text().splitlines()) for side in (a, b)}
    # One log that received both: every line, by time.
    both = sorted(
        (lines[a] | lines[b]) - {HEADER.strip()},
        key=lambda line: datetime.fromisoformat(line.split(",")[0]),
    )
    (folder / "both.csv").write_text(HEADER + "".join(f"{line}\n" for line in both))
    for merged, main, copy in (("ab", a, b), ("ba", b, a)):  # each file as the main one
        merged = folder / merged
        merged.mkdir()
        (merged / "checkoffs.csv").write_bytes((main / "checkoffs.csv").read_bytes())
        (merged / COPIES[0]).write_bytes((copy / "checkoffs.csv").read_bytes())
        [result] = merge.merge_all(merged)
        assert not result.error and not result.problems
        assert set((merged / "checkoffs.csv").read_text().splitlines()) == lines[a] | lines[b]
        assert states(merged / "checkoffs.csv") == states(folder / "both.csv")
        assert merge.merge_all(merged) == []  # nothing left to merge


def test_two_diverged_logs_merged_either_way_equal_one_log_that_got_both(tmp_path_factory, figures):
    runs = []

    @settings(FUZZ, max_examples=30)
    @given(st.lists(change, max_size=6), st.lists(change, max_size=8), st.lists(change, max_size=8))
    def run(prefix, mine, theirs):
        merge_diverged(tmp_path_factory.mktemp("diverged"), prefix, mine, theirs)
        runs.append(1)

    run()
    figures.append(
        f"hypothesis: {len(runs)} pairs of diverged logs merged both ways; same lines, same days"
    )


# -- a merge while another process appends ---------------------------------------------

APPEND = """
import sys
from datetime import date
from hipdash.log import Change, CheckoffLog
log = CheckoffLog(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
for n in range(int(sys.argv[2])):
    log.record([Change(date(2026, 11, 25), "durability", f"w/n{n}", True)])
"""


def test_merging_while_another_process_appends_loses_nothing(data_dir, figures):
    data_dir.mkdir()
    main = data_dir / "checkoffs.csv"
    total = 0
    for k in range(5):  # five copies from five syncs, 40 rows each
        rows = [
            f"2026-11-25T0{k}:00:{n:02d}+00:00,2026-11-25,durability,c{k}/n{n},1\n"
            for n in range(40)
        ]
        (data_dir / f"checkoffs.sync-conflict-2026120{k}-101010-ABCDEFG.csv").write_text(
            HEADER + "".join(rows)
        )
        total += len(rows)
    writer = subprocess.Popen(
        [sys.executable, "-c", APPEND, str(main), "400"],
        cwd=PROJECT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout.readline() == "ready\n"
    writer.stdin.write("go\n")
    writer.stdin.flush()
    merged = []
    while len(merged) < 5:
        merged += merge.merge_all(data_dir)
    assert writer.wait(60) == 0
    lines = main.read_text().splitlines()
    assert lines[0] == HEADER.strip() and len(lines) == 1 + 400 + total
    assert len(set(lines)) == len(lines)  # every row once
    assert sum(m.rows for m in merged) == total and not any(m.error for m in merged)
    assert len(list((data_dir / "merged").iterdir())) == 5
    figures.append(f"merge under a concurrent writer: {total} merged + 400 appended rows, 0 lost")


# -- the other files -----------------------------------------------------------------------


def test_app_state_keeps_the_newer(data_dir):
    appstate.remember_routine(data_dir, "older")
    copy = data_dir / "app-state.sync-conflict-20261205-101010-ABCDEFG.json"
    copy.write_text('{"last_routine": "newer", "timers": {}}')
    os.utime(data_dir / "app-state.json", ns=(1, 1))
    [kept] = merge.merge_all(data_dir)
    assert "another computer's newer app-state.json" in kept.text
    assert appstate.read(data_dir).last_routine == "newer"
    assert '"older"' in (data_dir / "merged" / "app-state.json").read_text()
    copy.write_text('{"last_routine": "oldest", "timers": {}}')
    os.utime(copy, ns=(1, 1))
    merge.merge_all(data_dir)
    assert appstate.read(data_dir).last_routine == "newer" and not copy.exists()


def test_a_file_named_merged_stops_the_merge_before_any_line_is_appended(data_dir, log):
    """It used to append the copy's lines, fail to move the copy, and say at every run
    that the merge failed, naming the log ("Could not save to …checkoffs.csv")."""
    log.record([Change(TODAY, R, CAT, True)])
    (data_dir / "merged").write_text("mine")
    copy = data_dir / COPIES[0]
    copy.write_text(HEADER + row("2026-11-25T08:00:00+00:00", BUG, 1))
    before = log.path.read_bytes()
    [failed] = merge.merge_all(data_dir)
    assert (
        failed.error
        == f"{data_dir / 'merged'} is not a folder: move it away, and the copy is merged"
    )
    assert log.path.read_bytes() == before and copy.exists()
    (data_dir / "merged").rename(data_dir / "mine.txt")
    [done] = merge.merge_all(data_dir)
    assert done.rows == 1 and not done.error and not copy.exists()


@pytest.mark.parametrize("garbage", [b"\x00" * 100, b"[1, 2]", b"{" * 10])
def test_a_newer_copy_that_holds_no_app_state_never_replaces_one_that_does(data_dir, garbage):
    appstate.remember_routine(data_dir, "mine")
    copy = data_dir / "app-state.sync-conflict-20261205-101010-ABCDEFG.json"
    copy.write_bytes(garbage)
    os.utime(data_dir / "app-state.json", ns=(1, 1))
    [kept] = merge.merge_all(data_dir)
    assert "this computer's newer app-state.json" in kept.text
    assert appstate.read(data_dir).last_routine == "mine"
    assert (data_dir / "merged" / copy.name).read_bytes() == garbage  # kept, not dropped


def test_a_file_of_ones_own_in_exports_is_never_taken_for_a_copy(data_dir, log):
    """`checkoffs-old.csv` directly in the data folder is OneDrive's copy from a computer
    named "old" (docs/sync.md); in exports/ it is left alone."""
    log.record([Change(TODAY, R, CAT, True)])
    (data_dir / "exports").mkdir()
    mine = data_dir / "exports" / "checkoffs-old.csv"
    mine.write_text(HEADER + row("2026-11-25T08:00:00+00:00", BUG, 1))
    assert merge.merge_all(data_dir) == [] and mine.exists()
    assert log.day_state(TODAY, R) == {CAT: True}


def odd_copies(data_dir, name: str) -> dict[str, object]:
    """A conflict copy of `name` as each thing that is not a plain file, made in the data
    dir: a link to a file of the copy's lines (outside it), a link to nothing, a folder."""
    elsewhere = data_dir.parent / "elsewhere.csv"
    elsewhere.write_text(HEADER + row("2026-11-25T08:00:00+00:00", BUG, 1))
    stem, suffix = os.path.splitext(name)
    made = {
        f"{stem}.sync-conflict-20261205-101010-ABCDEFG{suffix}": elsewhere,
        f"{stem} (mac-mini's conflicted copy 2026-12-05){suffix}": data_dir.parent / "none",
    }
    for copy, target in made.items():
        (data_dir / copy).symlink_to(target)
    (data_dir / f"{stem}-MAC-MINI{suffix}").mkdir()
    (data_dir / f"{stem}-MAC-MINI{suffix}" / "inside.csv").write_text("mine")
    return {**made, f"{stem}-MAC-MINI{suffix}": None}


@pytest.mark.parametrize("name", ["checkoffs.csv", "app-state.json"])
def test_a_copy_that_is_a_link_or_a_folder_is_said_and_set_aside_never_followed(
    data_dir, log, name
):
    log.record([Change(TODAY, R, CAT, True)])
    appstate.remember_routine(data_dir, "mine")
    before = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()}
    odd = odd_copies(data_dir, name)
    done = merge.merge_all(data_dir)
    assert sorted(m.copy for m in done) == sorted(odd)
    for merged in done:
        assert merged.error and merged.rows == 0
        assert "symbolic link" in merged.text or "not a regular file" in merged.text
        assert "moved unread into merged/" in merged.text
    assert {p.name: p.read_bytes() for p in data_dir.iterdir() if p.is_file()} == before
    assert log.day_state(TODAY, R) == {CAT: True} and appstate.read(data_dir).last_routine == "mine"
    assert not (data_dir / "app-state.json").is_symlink()
    aside = data_dir / "merged"
    for copy, target in odd.items():  # moved as they are: the links still links, unread
        assert (aside / copy).is_symlink() if target else (aside / copy / "inside.csv").exists()
    assert not merge.any_pending(data_dir) and merge.merge_all(data_dir) == []


def test_today_says_a_linked_copy_was_not_merged(data_dir, app_page, monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", TODAY.isoformat())
    data_dir.mkdir()
    odd_copies(data_dir, "checkoffs.csv")
    at = app_page()
    said = [w.value for w in at.warning if "Could not merge" in w.value]
    assert len(said) == 3 and all("moved unread into merged/" in w for w in said)
    assert CheckoffLog(data_dir / "checkoffs.csv").day_state(TODAY, R) == {}
    at.run()
    assert not [w for w in at.warning if "Could not merge" in w.value]


def test_a_restore_keeps_a_pending_copy_aside_with_the_files_it_replaces(data_dir, log):
    log.record([Change(TODAY, R, CAT, True)])
    raw = backup.make_backup(data_dir)
    copy = data_dir / COPIES[0]
    copy.write_text(HEADER + row("2026-11-25T08:00:00+00:00", BUG, 1))
    result = backup.restore_backup(raw, data_dir)
    assert (result.kept_aside / COPIES[0]).exists() and not copy.exists()
    assert merge.merge_all(data_dir) == []
    assert log.day_state(TODAY, R) == {CAT: True}


# -- what the pages and `hipdash check` say ------------------------------------------------


def test_today_merges_a_copy_and_says_once_what_came_in(data_dir, app_page, monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", TODAY.isoformat())
    data_dir.mkdir()
    (data_dir / COPIES[2]).write_text(HEADER + row("2026-11-25T08:00:00+00:00", CAT, 1))
    at = app_page()
    said = [i.value for i in at.info if "another computer's copy" in i.value]
    assert said == [
        f"Merged 1 tick from another computer's copy of your log ({COPIES[2]}, now in merged/)."
    ]
    assert CheckoffLog(data_dir / "checkoffs.csv").day_state(TODAY, R) == {CAT: True}
    at.run()
    assert not [i for i in at.info if "another computer's copy" in i.value]


def test_check_merges_and_says_so(data_dir, capsys):
    from hipdash.__main__ import main

    data_dir.mkdir()
    (data_dir / COPIES[0]).write_text(HEADER + row("2026-11-25T08:00:00+00:00", CAT, 1) + "junk\n")
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert f"Merged 1 tick from another computer's copy of your log ({COPIES[0]}" in out
    assert f"{COPIES[0]} line 3: expected 5 columns, found 1" in out


@pytest.mark.parametrize("command", [["export", "b.zip"], ["report", "--out", "r.html"]])
def test_export_and_report_merge_a_copy_first_and_say_so(data_dir, tmp_path, command):
    """A backup made while a copy waits carries the copy's ticks too."""
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.record([Change(TODAY, R, CAT, True)])
    (data_dir / COPIES[0]).write_text(HEADER + row("2026-11-25T08:00:00+00:00", BUG, 1))
    done = cli_process(*command, cwd=tmp_path, HIPDASH_TODAY=TODAY.isoformat())
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        f"Merged 1 tick from another computer's copy of your log ({COPIES[0]}, now in merged/)."
    )
    assert not (data_dir / COPIES[0]).exists()
    assert log.day_state(TODAY, R) == {CAT: True, BUG: True}
    if command[0] == "export":
        files = backup.read_backup((tmp_path / "b.zip").read_bytes())
        assert row("2026-11-25T08:00:00+00:00", BUG, 1).encode() in files["checkoffs.csv"]
