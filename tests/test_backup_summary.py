"""What a backup holds, in words, before a restore: checked against the app's own counts."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hipdash import demo, stats
from hipdash.backup import make_backup, read_backup, restore_backup
from hipdash.backup.summary import current_files, restored, summarize
from hipdash.library import update
from hipdash.library.edits import change_exercise
from hipdash.log import Change, CheckoffLog
from hipdash.routines import load_routine
from hipdash.sessions import SessionLog

from .conftest import PROJECT, ROUTINE_1, VALID

TODAY = date(2026, 11, 24)
AT = datetime(2026, 11, 24, 18, 5, tzinfo=timezone(timedelta(hours=1)))
R1 = "hip-therapy-routine-1"
BUNDLED = PROJECT / "routines"


def test_the_summary_agrees_with_progress_and_the_session_log(data_dir):
    routine = load_routine(ROUTINE_1)
    demo.create(data_dir, routine, 26, 3, TODAY)
    summary = summarize(read_backup(make_backup(data_dir)), BUNDLED, 0.5)

    progress = stats.progress(
        CheckoffLog(data_dir / "checkoffs.csv").day_states(routine.id), routine, TODAY, 0.5
    )
    assert summary.days == progress.summary.days_logged > 0
    assert summary.sessions == progress.summary.total > 0
    assert (summary.first, summary.last) == (
        progress.days["date"].iloc[0].date(),
        progress.days["date"].iloc[-1].date(),
    )
    frame = SessionLog(data_dir).details_frame(routine.id)
    assert summary.details == len(frame) > 0
    assert summary.marked == len(SessionLog(data_dir).day_marks()) > 0
    assert summary.lines()[2] == "your routines: no routines of yours (the bundled ones are used)"
    # The data dir now says the same as its backup.
    assert summarize(current_files(data_dir), BUNDLED, 0.5) == summary


def test_your_routines_are_named_and_judge_their_own_sessions(data_dir):
    log = CheckoffLog(data_dir / "checkoffs.csv")
    routine = load_routine(ROUTINE_1)
    half = list(routine.counted_keys)[:8]  # the six of Release and two steps

    log.record([Change(TODAY, routine.id, key, True) for key in half], now=AT)
    assert summarize(current_files(data_dir), BUNDLED, 0.5).sessions == 1
    # Your copy makes Release optional: two of the ten items still counted are done.

    def optional(r, used):
        for section in r.sections[:1]:
            for ex in section.exercises:
                r = change_exercise(r, section.id, ex.id, {"optional": True})
        return r

    update(data_dir, BUNDLED, routine.id, optional)
    summary = summarize(current_files(data_dir), BUNDLED, 0.5)
    assert summary.sessions == 0
    assert summary.lines() == [
        "1 day logged, 24 Nov 2026 to 24 Nov 2026: 0 sessions, 8 ticks",
        "0 sessions with pain, minutes or a note; 0 days marked rest, sick or travel",
        "your routines: 1 routine (Hip Therapy Routine 1), 1 previous version",
        "last change Tue 24 Nov 2026 at 18:05",
    ]


def test_one_more_tick_or_a_later_change_shows_in_the_summary(data_dir):
    """Two sets of data one tick apart read differently: in the ticks and the last change,
    whichever file changed last (a mark, how an exercise felt, a session's details)."""
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.record([Change(TODAY, R1, "release/cat-cow", True)], now=AT)
    before = summarize(current_files(data_dir), BUNDLED, 0.5)
    log.record([Change(TODAY, R1, "release/wrist-stretches", True)], now=AT + timedelta(hours=1))
    after = summarize(current_files(data_dir), BUNDLED, 0.5)
    assert (before.ticks, after.ticks) == (1, 2)
    assert after.lines()[0] != before.lines()[0]
    assert after.lines()[-1] == "last change Tue 24 Nov 2026 at 19:05"
    log.record([Change(TODAY, R1, "release/wrist-stretches", False)], now=AT + timedelta(hours=2))
    assert summarize(current_files(data_dir), BUNDLED, 0.5).ticks == 1  # unticked: not counted
    SessionLog(data_dir).mark_day(date(2026, 11, 20), "sick", "flu")  # its line: the newest
    marked = (data_dir / "days.csv").read_text().splitlines()[-1].split(",")[0]
    newest = max(datetime.fromisoformat(marked), AT + timedelta(hours=2))
    assert summarize(current_files(data_dir), BUNDLED, 0.5).changed == newest


def test_after_a_restore_it_says_what_of_yours_it_replaced_and_the_folders_name(data_dir, tmp_path):
    """It named the data files put back and the replaced folder's full path: nothing of
    your routines or of a file the backup had none of, both gone from the pages."""
    (data_dir / "routines").mkdir(parents=True)
    (data_dir / "routines" / "mini.yaml").write_text(VALID)
    SessionLog(data_dir).mark_day(TODAY, "sick", "flu")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "routines").mkdir(parents=True)
    for rid in ("knee", "back"):
        mini = VALID.replace("id: mini", f"id: {rid}").replace("Mini routine", rid.title())
        (elsewhere / "routines" / f"{rid}.yaml").write_text(mini)
    CheckoffLog(elsewhere / "checkoffs.csv").record([Change(TODAY, R1, "release/cat-cow", True)])
    raw = make_backup(elsewhere)

    result = restore_backup(raw, data_dir)
    assert restored(result, "b.zip", data_dir) == (
        "Restored checkoffs.csv, your routines (2 files) from b.zip. Your routine (Mini "
        "routine) was replaced by the backup's: 2 routines (Back, Knee). The backup has no "
        f"days.csv: yours went aside too. What you had is kept in the folder "
        f"{result.kept_aside.name} in your data folder."
    )
    fresh = tmp_path / "fresh"
    said = restored(restore_backup(raw, fresh), "b.zip", fresh)
    assert said == "Restored checkoffs.csv, your routines (2 files) from b.zip."
