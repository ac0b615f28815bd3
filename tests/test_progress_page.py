"""The Progress page through Streamlit's AppTest: no data, a known log, demo data."""

import os
from datetime import date, timedelta

import pytest

from hipdash import demo
from hipdash.log import Change, CheckoffLog
from hipdash.ui import keys

from . import component
from .conftest import (
    MON,
    PROGRESS,
    ROUTINE_1,
    TODAY,
    VALID,
    R,
    bars,
    cells,
    choose_range,
    open_tab,
    plain,
    specs,
    tiles,
    whole,
)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", TODAY.isoformat())


def session(log: CheckoffLog, day: date, items: list[str]) -> None:
    log.record([Change(day, R, item, True) for item in items])


def test_no_data_tells_a_new_user_to_go_to_today(progress_page):
    at = progress_page()
    assert any("Nothing logged" in i.value and "Today" in i.value for i in at.info)
    links = [(p.value, p.proto.page) for p in at.get("page_link")]
    assert ("Go to Today", "today") in links
    assert len(at.get("vega_lite_chart")) == 0
    assert len(at.metric) == 0
    assert len(at.download_button) == 0


def test_a_known_log_gives_known_tiles_chart_and_history(data_dir, routine1, progress_page):
    keys = list(routine1.item_keys)
    log = CheckoffLog(data_dir / "checkoffs.csv")
    for day in (MON - timedelta(days=7), MON - timedelta(days=5), MON - timedelta(days=3)):
        session(log, day, keys[:8])  # W47: three sessions, target met
    session(log, MON, keys)  # W48: two sessions so far
    session(log, MON + timedelta(days=1), keys[8:])
    session(log, TODAY, keys[:3])  # partial: 3 / 16
    at = progress_page()
    assert tiles(at) == {
        "This week": "2 / 3",
        "Streak": "1 week",
        "Best streak": "1 week",
        "Last 4 weeks": "5",
        "Total": "5",
    }
    (weekly,) = specs(at)
    data = bars(weekly)
    assert len(data) == 2  # a new routine's chart starts at its first logged week
    assert [(b["week"], b["sessions"]) for b in data[-2:]] == [("2026-W47", 3), ("2026-W48", 2)]
    history = open_tab(at, "History").dataframe[0].value
    assert history["Done"].tolist()[:3] == ["3 / 16", "8 / 16", "16 / 16"]
    assert history["Session"].tolist()[:3] == ["", "✓", "✓"]  # a mark, not a box to tick
    (heatmap,) = specs(open_tab(at, "Calendar"))
    last = cells(heatmap)[-1]
    assert (last["date"], last["done"], last["session"]) == ("Wed 25 Nov 2026", "3 / 16", False)


def test_the_range_changes_the_weekly_chart(data_dir, routine1, progress_page):
    log = CheckoffLog(data_dir / "checkoffs.csv")
    session(log, MON - timedelta(weeks=40), list(routine1.item_keys))
    at = progress_page()
    assert len(bars(specs(at)[0])) == 12
    at = choose_range(at, "All time")
    assert len(bars(specs(at)[0])) == 41
    at = choose_range(at, "52 weeks")
    assert len(bars(specs(at)[0])) == 41  # no empty weeks before the first logged one
    for hostile in ("1000 weeks", ["All time"], {"a": 1}):  # as a hostile page could send
        at = choose_range(at, hostile)
        assert len(bars(specs(at)[0])) == 12
        assert component.data(at, keys.TAB_BAR)["range"] == "12 weeks"


def test_a_tick_after_the_page_was_drawn_shows_on_the_next_render(
    data_dir, routine1, progress_page
):
    """The Weeks tab keeps its chart for weeks that did not change: a tick that makes no
    session leaves it as it was, the one that completes a session shows at once."""
    keys = list(routine1.item_keys)
    log = CheckoffLog(data_dir / "checkoffs.csv")
    session(log, MON - timedelta(days=7), keys)
    at = progress_page()
    line = next(m.value for m in at.markdown if "planned sessions" in m.value)
    assert [b["sessions"] for b in bars(specs(at)[0])] == [1, 0]
    session(log, TODAY, keys[:7])  # 7 / 16: not a session yet
    at.run()
    assert [b["sessions"] for b in bars(specs(at)[0])] == [1, 0]
    assert tiles(at)["This week"] == "0 / 3"
    session(log, TODAY, keys[7:8])  # 8 / 16: a session
    at.run()
    assert [b["sessions"] for b in bars(specs(at)[0])] == [1, 1]
    assert tiles(at)["This week"] == "1 / 3"
    assert next(m.value for m in at.markdown if "planned sessions" in m.value) != line


def test_adherence_lists_the_most_skipped_exercise_first(data_dir, routine1, progress_page):
    keys = list(routine1.item_keys)
    log = CheckoffLog(data_dir / "checkoffs.csv")
    session(log, MON, keys)
    session(log, MON + timedelta(days=1), [k for k in keys if k != "stretch/couch-stretch"])
    at = open_tab(progress_page(), "Exercises")
    texts = [plain(p.proto.text) for p in at.progress]
    assert texts[0] == "Couch stretch — **1 / 2**"
    assert all(t.endswith("**2 / 2**") for t in texts[1:])
    assert len(texts) == 16


def test_demo_data_fills_every_tab_and_the_open_one_is_drawn_first(
    data_dir, routine1, progress_page
):
    demo.create(data_dir, routine1, 26, 4, TODAY)
    at = progress_page()
    tab_bar = component.data(at, keys.TAB_BAR)
    assert tab_bar["tabs"] == ["Weeks", "Calendar", "Exercises", "Pain", "History"]
    assert (tab_bar["open"], tab_bar["all"]) == ("Weeks", False)
    assert set(tiles(at)) == {"This week", "Streak", "Best streak", "Last 4 weeks", "Total"}
    assert tiles(at)["This week"].endswith(" / 3")
    (weekly,) = specs(at)  # Weeks is open: no calendar, bars or table were made
    assert len(at.progress) == 0 and len(at.dataframe) == 0
    assert len(bars(weekly)) == 12
    assert {b["status"] for b in bars(weekly)} >= {"Met target", "Not met"}

    (heatmap,) = specs(open_tab(at, "Calendar"))
    days = cells(heatmap)
    assert len(days) == 25 * 7 + 3
    assert any(c["session"] for c in days) and any(not c["session"] for c in days)

    at = open_tab(at, "Exercises")
    assert len(at.progress) == 16 and not specs(at)

    (pain,) = specs(open_tab(at, "Pain"))
    assert {row["when"] for row in cells(pain)} == {"Before", "After"}

    at = open_tab(at, "History")
    assert len(at.dataframe[0].value) > 10 and not specs(at)
    assert set(tiles(at)) == {"This week", "Streak", "Best streak", "Last 4 weeks", "Total"}
    assert [d.label for d in at.download_button] == ["History (CSV)"]  # the rest comes next

    # Once the browser has drawn the open tab, its tab bar asks for the rest: every tab
    # and what is under them is on the page then, and a tap only shows a tab (tests/browser).
    at = whole(at)
    assert component.data(at, keys.TAB_BAR)["all"] is True
    assert [d.label for d in at.download_button] == [
        "History (CSV)",  # the table's own, made with its text cells neutralised
        "Report for my physio",
        "Check-off log (CSV)",
        "Per-day summary (CSV)",
        "All data (backup .zip)",
    ]  # and the reminders' .ics, in their panel (below)
    weekly, heatmap, pain = specs(at)
    assert len(bars(weekly)) == 12 and len(cells(heatmap)) == 25 * 7 + 3
    assert {row["when"] for row in cells(pain)} == {"Before", "After"}
    assert len(at.progress) == 16 and len(at.dataframe) == 1


def test_the_range_applies_to_the_history_and_the_exercises(data_dir, routine1, progress_page):
    keys = list(routine1.item_keys)
    log = CheckoffLog(data_dir / "checkoffs.csv")
    session(log, MON - timedelta(weeks=20), keys)
    session(log, MON, keys[:8])
    at = open_tab(progress_page(), "History")
    assert at.dataframe[0].value["Date"].tolist() == [MON]
    at = choose_range(at, "26 weeks")
    assert at.dataframe[0].value["Date"].tolist() == [MON, MON - timedelta(weeks=20)]
    at = open_tab(at, "Exercises")
    texts = [plain(p.proto.text) for p in at.progress]
    assert texts[-1].endswith("**2 / 2**") and texts[0].endswith("**1 / 2**")


def test_items_no_longer_in_the_routine_show_in_history_and_adherence(
    data_dir, routine1, progress_page
):
    keys = list(routine1.item_keys)
    log = CheckoffLog(data_dir / "checkoffs.csv")
    session(log, MON, [*keys, "release/old-exercise"])
    at = open_tab(progress_page(), "History")
    history = at.dataframe[0].value
    assert history.loc[0, "Done"] == "17 / 17"  # it was in the routine that day
    assert history.loc[0, "No longer in routine"] == 1  # kept for the CSV, and said under
    # the table, where a phone shows it whole: every column still fits beside the others
    assert list(at.dataframe[0].proto.column_order) == ["Date", "Done", "Session"]
    notes = [m.value for m in at.markdown if m.value.startswith("**Notes**")]
    assert notes and f"**{MON:%a} {MON.day} {MON:%b}** · 1 item done no longer in" in notes[0]
    at = open_tab(at, "Exercises")
    texts = [plain(p.proto.text) for p in at.progress]
    assert texts[-1] == "release/old-exercise (no longer in the routine) — **1 / 1**"


def test_a_day_off_is_said_in_the_session_column_and_its_reason_under_the_table(
    data_dir, routine1, progress_page
):
    """Every History column fits a phone: a day off is said where "✓" would be (a day is a
    session, a day off, or neither), its reason with the notes."""
    from hipdash.sessions import SessionLog

    session(CheckoffLog(data_dir / "checkoffs.csv"), MON, list(routine1.item_keys))
    SessionLog(data_dir).mark_day(MON - timedelta(days=2), "sick", "flu *bad*")
    SessionLog(data_dir).mark_day(MON - timedelta(days=3), "rest")
    at = open_tab(progress_page(), "History")
    history = at.dataframe[0].value
    assert history["Session"].tolist() == ["✓", "sick", "rest"]
    assert list(at.dataframe[0].proto.column_order) == ["Date", "Done", "Session"]
    notes = [m.value for m in at.markdown if m.value.startswith("**Notes**")]
    assert len(notes) == 1 and notes[0].endswith(r"** · sick\: flu \*bad\*")  # escaped
    assert "rest" not in notes[0]  # no reason: the column says it all


def test_titles_from_a_routine_are_escaped(
    tmp_path, monkeypatch, data_dir, routine1, progress_page
):
    text = ROUTINE_1.read_text()
    text = text.replace("title: Hip Therapy Routine 1", "title: 'Hip *1* :red[x]'")
    text = text.replace("title: Dead bug", "title: 'Dead **bug** $x$'")
    (tmp_path / "r1.yaml").write_text(text)
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path))
    session(CheckoffLog(data_dir / "checkoffs.csv"), MON, list(routine1.item_keys))
    at = open_tab(progress_page(), "Exercises")
    caption = component.data(at, keys.TAB_BAR)["top"]["caption"]
    assert caption.startswith("Hip *1* :red[x] · ")  # as text: the bar sets it as text
    (dead_bug,) = [p.proto.text for p in at.progress if "Dead" in p.proto.text]
    assert dead_bug.startswith(r"Dead \*\*bug\*\* \$x\$ — ")


def test_the_routine_picker_chooses_what_is_shown(tmp_path, monkeypatch, data_dir, progress_page):
    (tmp_path / "mini.yaml").write_text(VALID)
    (tmp_path / "r1.yaml").write_text(ROUTINE_1.read_text())
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path))
    session(CheckoffLog(data_dir / "checkoffs.csv"), MON, ["release/cat-cow"])
    at = progress_page()
    assert tiles(at)  # routine 1 has a logged day
    at.selectbox(key="hd_routine").select("mini").run()
    assert any("Nothing logged" in i.value for i in at.info)
    assert len(at.metric) == 0


def test_unreadable_log_lines_are_reported(data_dir, progress_page):
    log = CheckoffLog(data_dir / "checkoffs.csv")
    session(log, MON, ["release/cat-cow"])
    with open(log.path, "a") as f:
        f.write("garbage\n")
    at = open_tab(progress_page(), "History")
    assert any("could not be read" in w.value and "line 3" in w.value for w in at.warning)
    assert at.dataframe[0].value["Done"].tolist() == ["1 / 16"]


def test_a_routines_dir_without_routines_says_so(tmp_path, monkeypatch, progress_page):
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path))
    at = progress_page()
    assert any("No routines yet" in i.value for i in at.info)
    assert len(at.metric) == 0


@pytest.mark.parametrize(("link", "drawn"), [("History", "table"), ("Nope", "chart")])
def test_the_link_opens_its_tab_and_an_unknown_tab_falls_back_to_weeks(
    app_page, data_dir, link, drawn
):
    session(CheckoffLog(data_dir / "checkoffs.csv"), MON, ["release/cat-cow"])
    at = app_page(PROGRESS, query={"view": link})
    assert not at.exception
    assert (len(at.dataframe), len(specs(at))) == ((1, 0) if drawn == "table" else (0, 1))
    assert component.data(at, keys.TAB_BAR)["open"] == ("History" if drawn == "table" else "Weeks")


def test_all_data_and_the_report_are_off_with_the_reason_when_a_file_cannot_be_read(
    data_dir, routine1, progress_page, tmp_path
):
    """The backup would otherwise fail in the browser without a word, and the report leave
    out what the file holds as if there were none."""
    demo.create(data_dir, routine1, 4, 4, TODAY)
    at = whole(progress_page())
    (all_data,) = [b for b in at.get("download_button") if "All data" in b.proto.label]
    assert not all_data.proto.disabled

    (tmp_path / "elsewhere.csv").write_text("")
    (data_dir / "feelings.csv").unlink(missing_ok=True)
    (data_dir / "feelings.csv").symlink_to(tmp_path / "elsewhere.csv")
    at = whole(progress_page())
    (all_data,) = [b for b in at.get("download_button") if "All data" in b.proto.label]
    assert all_data.proto.disabled
    said = " ".join(plain(c.value) for c in at.caption)
    assert "**All data**: no backup can be made: " in said
    assert "feelings.csv is a symbolic link" in said
    (physio,) = [b for b in at.get("download_button") if "physio" in b.proto.label]
    assert physio.proto.disabled
    assert "**Report for my physio**: none can be made: " in said


def hard_linked(path, tmp_path):
    os.link(path, tmp_path / "elsewhere.csv")


def symlinked(path, tmp_path):
    os.replace(path, tmp_path / "elsewhere.csv")
    path.symlink_to(tmp_path / "elsewhere.csv")


@pytest.mark.parametrize(
    ("make", "said"),
    [(symlinked, "a symbolic link"), (hard_linked, "a hard link (one of 2 names of one file)")],
)
def test_the_check_off_log_download_is_off_with_the_reason_when_the_log_cannot_be_read(
    data_dir, routine1, progress_page, tmp_path, make, said
):
    """A click would fail in the browser without a word: the file is refused, not read."""
    demo.create(data_dir, routine1, 4, 4, TODAY)
    at = whole(progress_page())
    (log,) = [b for b in at.get("download_button") if b.proto.label == "Check-off log (CSV)"]
    assert not log.proto.disabled

    make(data_dir / "checkoffs.csv", tmp_path)
    at = whole(progress_page())
    (log,) = [b for b in at.get("download_button") if b.proto.label == "Check-off log (CSV)"]
    assert log.proto.disabled
    said_here = " ".join(plain(c.value) for c in at.caption)
    assert f"**Check-off log**: cannot be downloaded: {data_dir / 'checkoffs.csv'} is {said}" in (
        said_here
    )
