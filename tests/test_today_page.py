"""The Today page through Streamlit's AppTest, with the real CSV in a temp dir. The cards
are one browser component: these tests read what the page sends it and send it clicks as
the browser does (tests/component.py); tests/browser/ checks what the browser draws."""

from datetime import date

import pytest

from hipdash.log import Change, CheckoffLog
from hipdash.ui import keys

from . import component as cards
from .conftest import PROJECT, VALID, plain

R = "hip-therapy-routine-1"
DEAD_BUG = "strengthen/hip-strength-four/dead-bug"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", "2026-11-24")


def test_routine_1_has_16_boxes_in_three_sections(app_page):
    at = app_page()
    assert not at.exception
    sent = cards.data(at)
    assert [s["title"] for s in sent["sections"]] == ["Release", "Strengthen", "Stretch"]
    assert len(cards.titles(at)) == 16
    assert cards.count(at) == "0 / 16 done"
    assert sent["counts"]["line"].endswith("at 8 of 16 done") and not sent["counts"]["counted"]
    assert cards.day(at) == date(2026, 11, 24)
    assert sent["top"]["title"] == "Hip Therapy Routine 1"
    assert sent["top"]["schedule"] == "Target: 3 sessions a week · about 30 minutes"
    assert not at.expander and not sent["after_open"]  # the panel's forms: drawn once opened
    assert sent["after_saved"] == ""


def test_ticking_dead_bug_is_saved_and_survives_a_fresh_run(app_page, data_dir):
    at = app_page()
    cards.click(at, "Dead bug")
    assert not at.exception
    assert cards.count(at) == "1 / 16 done"
    rows = (data_dir / "checkoffs.csv").read_text().splitlines()
    assert len(rows) == 2
    assert rows[1].endswith(f",2026-11-24,{R},{DEAD_BUG},1")

    fresh = app_page()  # a reload: new session, state only from the CSV
    assert cards.ticked(fresh) == ["Dead bug"]
    assert cards.count(fresh) == "1 / 16 done"


def test_unticking_is_saved_too(app_page, data_dir):
    at = app_page()
    cards.click(at, "Dead bug")
    cards.click(at, "Dead bug")
    assert cards.count(at) == "0 / 16 done"
    assert (data_dir / "checkoffs.csv").read_text().splitlines()[-1].endswith(",0")
    assert cards.ticked(app_page()) == []


def test_the_header_says_what_its_count_means(app_page, data_dir):
    keys = list(cards.titles(app_page()))
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [Change(date(2026, 11, 24), R, k, True) for k in keys[:7]]
    )
    at = app_page()
    assert cards.data(at)["counts"] == {
        "done": 7,
        "total": 16,
        "counted": False,
        "line": "This day counts as a session at 8 of 16 done",
    }
    cards.tick(at, keys[7])
    assert cards.data(at)["counts"]["counted"] is True
    assert cards.data(at)["counts"]["line"] == "✓ This day counts as a session"
    for key in keys[8:]:
        cards.tick(at, key)
    assert cards.data(at)["counts"] == {
        "done": 16,
        "total": 16,
        "counted": True,
        "line": "✓ All done · 1 of 3 sessions this week",
    }


def test_an_item_done_that_day_and_since_removed_still_counts_for_it(app_page, data_dir):
    """The day's routine had it: the header counts it on both sides and says why the
    count is more than the cards show."""
    keys = list(cards.titles(app_page()))
    day = date(2026, 11, 20)
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [Change(day, R, k, True) for k in [*keys[:7], "release/old-exercise"]]
    )
    at = app_page(query={"date": day.isoformat()})
    assert len(cards.ticked(at)) == 7
    assert cards.data(at)["counts"] == {
        "done": 8,
        "total": 17,
        "counted": False,
        "line": "This day counts as a session at 9 of 17 done · 1 item done no longer in "
        "the routine",
    }


def test_a_week_past_its_target_is_said_as_such_not_as_4_of_3(app_page, data_dir):
    keys = list(cards.titles(app_page()))
    days = [date(2026, 11, d) for d in (16, 17, 18, 19)]  # last week, target 3
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [Change(day, R, k, True) for day in days for k in keys]
    )
    at = app_page(query={"date": "2026-11-19"})
    assert cards.data(at)["counts"]["line"] == (
        "✓ All done · 4 sessions that week, past its target of 3"
    )


def test_an_earlier_date_shows_and_saves_that_day(app_page, data_dir):
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [Change(date(2026, 11, 20), R, "release/cat-cow", True)]
    )
    at = app_page()
    assert cards.ticked(at) == []
    cards.choose_day(at, date(2026, 11, 20))
    assert cards.ticked(at) == ["Cat/cow stretch"]
    assert at.query_params["date"] == "2026-11-20"
    assert "Editing Fri 20 Nov" in plain(at.warning[0].value)
    assert cards.data(at)["day_label"] == "Fri 20 Nov"
    cards.click(at, "Wrist stretches")
    assert (data_dir / "checkoffs.csv").read_text().splitlines()[-1].split(",")[1] == "2026-11-20"
    assert cards.count(at) == "2 / 16 done"
    at.button(key="hd-back-today").click().run()
    assert cards.day(at) == date(2026, 11, 24)
    assert "date" not in at.query_params
    assert cards.data(at)["day_label"] == ""


def test_a_day_of_another_year_is_named_with_its_year_in_the_banner_and_the_header(app_page):
    at = app_page(query={"date": "2019-01-01"})
    assert cards.day(at) == date(2019, 1, 1)
    banner = plain(at.warning[0].value)
    assert "Editing Tue 1 Jan 2019**, not\u00a0today" in banner  # kept on one line
    assert cards.data(at)["day_label"] == "Tue 1 Jan 2019"


def test_a_link_with_a_date_opens_that_day_and_without_one_today(app_page):
    at = app_page(query={"date": "2026-11-20"})
    assert cards.day(at) == date(2026, 11, 20)
    at.query_params.pop("date")  # the nav bar's link to Today, in the same session
    at.run()
    assert cards.day(at) == date(2026, 11, 24)
    assert not at.warning


@pytest.mark.parametrize("page", ["pages/today.py", "pages/guided.py"])
@pytest.mark.parametrize(
    ("linked", "said"),
    [("2099-03-01", "Sun 1 Mar 2099 is in the future"), ("1 March", "is not a date")],
)
def test_a_future_day_or_not_a_day_in_the_link_is_said_and_today_offered(
    app_page, page, linked, said
):
    at = app_page(page, query={"date": linked})
    assert not at.exception
    assert [said in w.value for w in at.warning] == [True]
    shown = [c for c in at.get("bidi_component") if c.key != keys.NAV]
    assert not shown and not at.checkbox  # nothing of another day shown
    at.button(key="hd-open-today").click().run()
    assert "date" not in at.query_params and not at.warning
    if page == "pages/today.py":
        assert cards.day(at) == date(2026, 11, 24)
        assert cards.data(at)["max_day"] == "2026-11-24"


@pytest.mark.parametrize("sent", ["2026-11-25", "1999-12-31", "20 Nov", "", "2026-02-30"])
def test_a_day_out_of_range_or_not_a_day_changes_nothing(app_page, sent):
    at = app_page()
    cards.choose_day(at, sent)
    assert not at.exception
    assert cards.day(at) == date(2026, 11, 24)
    assert "date" not in at.query_params


def test_a_link_without_a_routine_is_left_so_and_a_wrong_one_is_put_right(app_page):
    """Writing the routine into a link that had none added a second entry to the browser's
    history (Back had to be pressed twice); a link naming no routine here is corrected."""
    at = app_page()
    assert "routine" not in at.query_params and cards.titles(at)
    at = app_page(query={"routine": "gone"})
    assert at.query_params["routine"] == R
    (said,) = [plain(i.value) for i in at.info if "gone" in i.value]
    assert said.startswith("No routine “gone” here") and "Hip Therapy Routine 1" in said


def test_no_player_is_sent_but_the_nocookie_one_for_each_video(app_page):
    sent = cards.data(app_page())
    videos = [ex["video"] for s in sent["sections"] for ex in s["exercises"] if ex["video"]]
    assert len(videos) == 8
    assert videos[1]["embed"] == "https://www.youtube-nocookie.com/embed/DzJmhyhP-Kw?rel=0"
    assert all(v["embed"].startswith("https://www.youtube-nocookie.com/embed/") for v in videos)
    assert len(app_page().get("iframe")) == 0


def test_a_tick_that_cannot_be_saved_is_not_shown_as_saved(app_page, data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "checkoffs.csv").mkdir()  # the log path is unusable
    at = app_page()
    cards.click(at, "Dead bug")
    assert not at.exception
    assert cards.ticked(at) == []
    assert cards.count(at) == "0 / 16 done"
    assert cards.message(at).startswith("Not saved")
    assert cards.data(at)["failed"] == DEAD_BUG


def test_unreadable_log_lines_are_reported_on_the_page(app_page, data_dir):
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.record([Change(date(2026, 11, 24), R, DEAD_BUG, True)])
    with open(log.path, "a") as f:
        f.write("garbage\n")
    at = app_page()
    assert cards.ticked(at) == ["Dead bug"]
    assert any("could not be read" in w.value and "line 3" in w.value for w in at.warning)


def test_a_routines_dir_with_only_broken_files_says_so(app_page, tmp_path, monkeypatch):
    (tmp_path / "bad.yaml").write_text("id: x\n")
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path))
    at = app_page()
    assert not at.exception
    (line,) = [plain(w.value) for w in at.warning]
    assert line == "1 routine file cannot be used (bad.yaml): see Routines"
    assert any("No routines" in i.value for i in at.info)
    at.switch_page("pages/routines.py").run()
    (listed,) = [plain(w.value) for w in at.warning]
    assert f"- **bad.yaml** in {tmp_path}: title: missing required key" in listed


def test_a_routine_picker_appears_with_two_routines(app_page, tmp_path, monkeypatch, data_dir):
    (tmp_path / "mini.yaml").write_text(VALID)
    (tmp_path / "r1.yaml").write_text((PROJECT / "routines/hip-therapy-routine-1.yaml").read_text())
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path))
    at = app_page()
    picker = at.selectbox(key="hd_routine")
    assert picker.options == ["Hip Therapy Routine 1", "Mini routine"]
    picker.select("mini").run()
    assert len(cards.titles(at)) == 3
    assert at.query_params["routine"] == "mini"
    fresh = app_page()  # the last routine used is remembered in the data dir
    assert fresh.selectbox(key="hd_routine").value == "mini"
    linked = app_page(query={"routine": R})  # a link names its routine
    assert linked.selectbox(key="hd_routine").value == R


def test_a_day_of_another_year_says_its_year_and_the_box_goes_back_as_far_as_a_link(app_page):
    """ "Editing Fri 1 Mar" of 2019 read as this year's; the date box stopped at ten years
    back while a link opened any day since 2000."""
    at = app_page(query={"date": "2019-03-01"})
    assert "Editing Fri 1 Mar 2019" in plain(at.warning[0].value)
    assert cards.data(at)["min_day"] == "2000-01-01"
    assert "2026" not in plain(app_page(query={"date": "2026-11-20"}).warning[0].value)
