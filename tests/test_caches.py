"""The caches behind the speed: what they give equals computing afresh from the file, and
an append, another process's append, a replaced file (a restore) all show at once.
Real files in a temp dir; the fresh computation reads the file with every cache emptied."""

import json
import os
import subprocess
import sys
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from altair.vegalite.v6.schema.core import Root

from hipdash import charts, demo, stats, store
from hipdash.backup import make_backup, restore_backup
from hipdash.daystate import DayStates
from hipdash.log import Change, CheckoffLog
from hipdash.sessions import SessionDetails, SessionLog

from .conftest import PROJECT, log_frame, spec_json

TODAY = date(2026, 11, 24)
R = "hip-therapy-routine-1"
CAT_COW = "release/cat-cow"
DEAD_BUG = "strengthen/hip-strength-four/dead-bug"


@pytest.fixture
def log(data_dir, routine1):
    demo.create(data_dir, routine1, weeks=30, seed=3, today=TODAY)
    return CheckoffLog(data_dir / "checkoffs.csv")


def fresh_states(path) -> DayStates:
    """The uncached answer: the file read from scratch, reduced in one go with pandas."""
    store.clear_cache()
    return DayStates.from_frame(log_frame(CheckoffLog(path)), R)


def assert_same(a: DayStates, b: DayStates) -> None:
    assert np.array_equal(a.dates, b.dates)
    order = [a.items.index(item) for item in b.items]
    assert sorted(a.items) == sorted(b.items)
    assert np.array_equal(a.done[:, order], b.done)


def assert_same_progress(log, routine, today=TODAY) -> None:
    """Every Progress number from the cached states equals the one from a fresh frame."""
    marked = SessionLog(log.path.parent).day_marks()
    cached = stats.progress(log.day_states(routine.id), routine, today, 0.5, marked)
    store.clear_cache()
    frame = log_frame(CheckoffLog(log.path))
    uncached = stats.progress(frame, routine, today, 0.5, marked)
    target = routine.schedule.sessions_per_week
    pd.testing.assert_frame_equal(cached.days, uncached.days)
    pd.testing.assert_frame_equal(cached.weeks, uncached.weeks)
    assert cached.summary == uncached.summary
    for weeks in stats.RANGES.values():
        start = stats.range_start(today, weeks)
        first = stats.monday(uncached.days["date"].iloc[0]) if len(uncached.days) else today
        pd.testing.assert_frame_equal(
            cached.weeks_in(weeks),
            stats.week_table(uncached.days, target, today, max(start or first, first), marked),
        )
        pd.testing.assert_frame_equal(
            stats.adherence(cached.states, routine, cached.days_in(weeks)),
            stats.adherence(frame, routine, uncached.days_in(weeks)),
        )


def test_cached_day_states_equal_a_fresh_reduction_of_the_file(log, routine1):
    assert len(log.day_states(R).dates) > 50
    assert_same(log.day_states(R), fresh_states(log.path))
    assert_same_progress(log, routine1)


def test_an_append_shows_at_once_and_only_touched_days_change(log, routine1):
    before = log.day_states(R)
    first_day = pd.Timestamp(before.dates[0]).date()
    log.record([Change(TODAY, R, DEAD_BUG, True)])  # a new day
    log.record([Change(first_day, R, CAT_COW, False)])  # an old day changed
    log.record([Change(first_day - timedelta(days=3), R, "gone/old-item", True)])  # older, new item
    after = log.day_states(R)
    assert after is not before
    assert len(after.dates) == len(before.dates) + 2
    assert after.dates[0] == np.datetime64(first_day - timedelta(days=3), "ns")
    assert np.all(np.diff(after.dates) > np.timedelta64(0))  # still sorted
    assert "gone/old-item" in after.items
    assert_same(after, fresh_states(log.path))
    assert_same_progress(log, routine1)


def test_a_tick_on_a_day_with_rows_changes_that_day_only_in_a_new_copy(log, routine1):
    before = log.day_states(R)
    kept = before.done.copy()
    day = pd.Timestamp(before.dates[-5]).date()
    was = bool(before.done[-5, before.items.index(CAT_COW)])
    log.record([Change(day, R, CAT_COW, not was)])
    after = log.day_states(R)
    assert np.array_equal(before.done, kept)  # a reader holding the old states keeps them
    assert np.array_equal(after.dates, before.dates)
    changed = np.argwhere(after.done != before.done).tolist()
    assert changed == [[len(before.dates) - 5, before.items.index(CAT_COW)]]
    assert_same(after, fresh_states(log.path))
    assert_same_progress(log, routine1)


def test_the_cached_arrays_cannot_be_changed_by_a_reader(log):
    states = log.day_states(R)
    with pytest.raises(ValueError):
        states.done[0, 0] = not states.done[0, 0]


def test_another_process_appending_is_seen(log):
    log.day_states(R)
    code = (
        "import sys; from datetime import date; from hipdash.log import Change, CheckoffLog; "
        f"CheckoffLog(sys.argv[1]).record([Change(date(2026, 11, 24), {R!r}, {CAT_COW!r}, True)])"
    )
    subprocess.run([sys.executable, "-c", code, str(log.path)], check=True, cwd=PROJECT)
    states = log.day_states(R)
    assert states.dates[-1] == np.datetime64(TODAY, "ns")
    assert states.done[-1, states.items.index(CAT_COW)]
    assert_same(states, fresh_states(log.path))


def test_a_restored_backup_replaces_the_cached_states(log, data_dir, routine1):
    backup = make_backup(data_dir)
    old = log.day_states(R)
    for n in range(5):  # more days after the backup was made
        log.record([Change(TODAY - timedelta(days=n), R, CAT_COW, True)])
    assert len(log.day_states(R).dates) > len(old.dates)
    restore_backup(backup, data_dir)
    restored = log.day_states(R)
    assert_same(restored, old)
    assert_same(restored, fresh_states(log.path))
    assert_same_progress(log, routine1)


@pytest.mark.parametrize("shape", ["shorter", "longer, every tick flipped"])
def test_a_replaced_file_is_read_again(log, shape):
    before = log.day_states(R)
    lines = log.path.read_text().splitlines(keepends=True)
    if shape == "shorter":
        text = "".join(lines[:40])
    else:
        flipped = [line[:-2] + ("0\n" if line.endswith("1\n") else "1\n") for line in lines[1:]]
        text = "".join([lines[0], *flipped, *lines[1:3]])
    replacement = log.path.with_name("other.csv")
    replacement.write_text(text)
    os.replace(replacement, log.path)
    after = log.day_states(R)
    assert_same(after, fresh_states(log.path))
    assert not np.array_equal(after.done, before.done[:, : after.done.shape[1]])


def test_an_empty_or_missing_log_has_no_days(data_dir, routine1):
    log = CheckoffLog(data_dir / "checkoffs.csv")
    assert log.day_states(R).done.shape == (0, 0)
    p = stats.progress(log.day_states(R), routine1, TODAY, 0.5)
    assert p.days.empty and p.summary.total == 0
    log.record([Change(TODAY, "other-routine", CAT_COW, True)])
    assert log.day_states(R).done.shape == (0, 0)  # another routine's rows are not ours


def test_session_details_lookup_follows_appends_and_replacement(data_dir):
    sessions = SessionLog(data_dir)
    assert sessions.details(TODAY, R) is None
    sessions.save(SessionDetails(TODAY, R, pain_before=5))
    sessions.save(SessionDetails(TODAY - timedelta(days=1), R, minutes=20))
    assert sessions.details(TODAY, R).pain_before == 5
    sessions.save(SessionDetails(TODAY, R, pain_before=3, note="better"))
    assert sessions.details(TODAY, R) == SessionDetails(TODAY, R, 3, None, None, "better")
    path = sessions.sessions.path
    kept = path.read_text().splitlines(keepends=True)[:2]  # header and the first save
    replacement = path.with_name("new.csv")
    replacement.write_text("".join(kept))
    os.replace(replacement, path)
    assert sessions.details(TODAY, R).pain_before == 5
    assert sessions.details(TODAY - timedelta(days=1), R) is None
    assert sessions.details_frame(R)["pain_before"].tolist() == [5]


def test_the_details_frame_follows_appends_and_equals_a_fresh_one(data_dir):
    sessions = SessionLog(data_dir)
    for n in range(30):
        day = TODAY - timedelta(days=n % 12)  # some days saved again: the latest wins
        sessions.save(SessionDetails(day, R, pain_before=n % 11, note=f"n{n}"))
        sessions.save(SessionDetails(day, "other", minutes=n))
    first = sessions.details_frame(R)
    assert sessions.details_frame(R) is first  # kept while the file is unchanged
    sessions.save(SessionDetails(TODAY, R, pain_after=1))
    cached = sessions.details_frame(R)
    assert cached is not first
    assert cached.iloc[-1]["pain_after"] == 1 and pd.isna(cached.iloc[-1]["pain_before"])
    store.clear_cache()
    records = SessionLog(data_dir).sessions.read().records  # the file from scratch
    fresh = pd.DataFrame([r.__dict__ for r in records if r.routine == R])
    fresh = fresh.drop_duplicates(["session_date"], keep="last").sort_values("session_date")
    assert len(cached) == 12
    assert cached["note"].tolist() == fresh["note"].tolist()
    assert cached["pain_before"].tolist() == fresh["pain_before"].astype("Int64").tolist()


@pytest.mark.parametrize("range_weeks", [12, 53])
def test_chart_specs_from_the_kept_templates_are_valid_and_equal_fresh_ones(
    log, routine1, range_weeks
):
    p = stats.progress(log.day_states(R), routine1, TODAY, 0.5)
    cells = stats.heatmap_cells(p.days, TODAY)
    details = SessionLog(log.path.parent).details_frame(R)
    built = [
        charts.weekly_spec(p.weeks_in(range_weeks)),
        charts.heatmap_spec(cells),
        charts.pain_spec(details),
    ]
    log.record([Change(TODAY, R, CAT_COW, True)])  # other data through the same templates
    p2 = stats.progress(log.day_states(R), routine1, TODAY, 0.5)
    charts.weekly_spec(p2.weeks_in(range_weeks))
    charts.heatmap_spec(stats.heatmap_cells(p2.days, TODAY))
    for template in (charts._weekly_template, charts._heatmap_template, charts._pain_template):
        template.cache_clear()
    fresh = [
        charts.weekly_spec(p.weeks_in(range_weeks)),
        charts.heatmap_spec(cells),
        charts.pain_spec(details),
    ]
    for spec, again in zip(map(spec_json, built), map(spec_json, fresh), strict=True):
        Root.validate(spec)  # the filled-in data still makes a valid Vega-Lite spec
        assert json.dumps(spec, sort_keys=True) == json.dumps(again, sort_keys=True)


def weekly_made_afresh(log, routine, range_weeks) -> tuple[str, dict, bytes]:
    """The Weeks tab's line, spec and Arrow data, from the file read from scratch."""
    from streamlit import dataframe_util

    from hipdash.words import plural

    store.clear_cache()
    marked = SessionLog(log.path.parent).day_marks()
    p = stats.progress(log_frame(CheckoffLog(log.path)), routine, TODAY, 0.5, marked)
    weeks = p.weeks_in(range_weeks)
    spec = charts.weekly_spec(weeks)
    data = dataframe_util.convert_anything_to_arrow_bytes(spec.pop("datasets")["weeks"])
    return f"**{stats.session_adherence(weeks).text}** in {plural(len(weeks), 'week')}", spec, data


def weekly_kept(log, routine, range_weeks) -> tuple[str, dict, bytes]:
    from hipdash.ui import progress as view

    marked = SessionLog(log.path.parent).day_marks()
    p = stats.progress(log.day_states(R), routine, TODAY, 0.5, marked)
    drawn = view.weekly_drawn(p, range_weeks)
    return drawn.said, json.loads(drawn.spec), drawn.data


def conflict_copy_with_a_session_today(log, routine) -> None:
    """Another computer's copy of the log with a whole session today, merged in."""
    from hipdash.sync import merge

    lines = log.path.read_text().splitlines(keepends=True)
    theirs = [
        f"2026-11-24T07:0{n % 10}:00+00:00,{TODAY},{R},{key},1\n"
        for n, key in enumerate(routine.item_keys)
    ]
    copy = log.path.with_name("checkoffs.sync-conflict-20261124-101010-ABCDEFG.csv")
    copy.write_text("".join(lines + theirs))
    assert [m.rows for m in merge.merge_all(log.path.parent)] == [len(theirs)]


@pytest.mark.parametrize(
    "change",
    [
        "a tick that makes no session",
        "a session today",
        "a past week's session undone",
        "a conflict copy merged",
        "a restored backup",
    ],
)
@pytest.mark.parametrize("range_weeks", [12, None])
def test_the_weeks_tab_kept_per_content_of_its_weeks_equals_one_made_afresh(
    log, data_dir, routine1, change, range_weeks
):
    """What the Weeks tab shows is kept for each content of the range's weeks (a tick
    mostly changes none): after each kind of change to the log it equals a fresh one, and
    it is the kept one exactly when the weeks did not change."""
    backup = make_backup(data_dir)
    before = weekly_kept(log, routine1, range_weeks)
    assert before == weekly_made_afresh(log, routine1, range_weeks)
    states = log.day_states(R)
    if change == "a tick that makes no session":
        log.record([Change(TODAY, R, CAT_COW, True)])
    elif change == "a session today":
        log.record([Change(TODAY, R, key, True) for key in routine1.item_keys])
    elif change == "a past week's session undone":
        day = next(
            pd.Timestamp(d).date()
            for d, row in zip(states.dates[::-1], states.done[::-1], strict=True)
            if row.all() and pd.Timestamp(d).date() < TODAY - timedelta(days=14)
        )
        log.record([Change(day, R, key, False) for key in routine1.item_keys])
    elif change == "a conflict copy merged":
        conflict_copy_with_a_session_today(log, routine1)
    else:
        log.record([Change(TODAY, R, key, True) for key in routine1.item_keys])
        assert weekly_kept(log, routine1, range_weeks) != before
        restore_backup(backup, data_dir)
    after = weekly_kept(log, routine1, range_weeks)
    assert after == weekly_made_afresh(log, routine1, range_weeks)
    assert (after == before) == (change in ("a tick that makes no session", "a restored backup"))
