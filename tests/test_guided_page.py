"""The guided session through AppTest on the real CSV: Done, Skip, Back, resuming after a
fresh visit, how it felt, and the finish screen's numbers against `stats`."""

from datetime import date, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from hipdash import appstate, config, stats
from hipdash.feelings import FeelingLog
from hipdash.log import Change, CheckoffLog
from hipdash.routines import load_routine
from hipdash.sessions import SessionLog

from . import component as cards
from .conftest import ROUTINE_1, plain

R = "hip-therapy-routine-1"
DAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", DAY.isoformat())


@pytest.fixture
def guided_page(app_page):
    """The guided view as a link opens it: `/guided?routine=…&date=…`."""
    return lambda **query: app_page("pages/guided.py", query={"routine": R, **query})


def position(at: AppTest) -> str:
    (shown,) = [plain(m.value) for m in at.markdown if " of 13" in m.value]
    return shown


def press(at: AppTest, key: str) -> AppTest:
    return at.button(key=key).click().run()


def logged(data_dir) -> dict[str, bool]:
    return CheckoffLog(data_dir / "checkoffs.csv").day_state(DAY, R)


def test_start_guided_session_on_today_opens_the_first_exercise(app_page):
    at = app_page()
    cards.start_guided(at)
    assert not at.exception
    assert position(at) == "Release · 1 of 13"
    assert at.subheader[0].value.startswith("Foam roller")


def test_done_skip_and_back_walk_the_session_and_tick_through_the_log(guided_page, data_dir):
    at = guided_page()
    assert position(at) == "Release · 1 of 13"
    press(at, "hd-guided-done")
    assert logged(data_dir) == {"release/foam-roller": True}
    assert position(at) == "Release · 2 of 13"
    press(at, "hd-guided-skip")
    assert position(at) == "Release · 3 of 13"
    assert logged(data_dir) == {"release/foam-roller": True}  # skipped: not ticked
    press(at, "hd-guided-back")
    assert position(at) == "Release · 2 of 13"
    for _ in range(5):
        press(at, "hd-guided-skip")
    assert position(at) == "Strengthen · 7 of 13"
    press(at, "hd-guided-done")  # all four steps of the exercise at once
    four = [k for k, v in logged(data_dir).items() if k.startswith("strengthen/hip-strength-four")]
    assert len(four) == 4 and all(logged(data_dir)[k] for k in four)


def test_a_fresh_visit_resumes_at_the_first_exercise_not_done(guided_page, data_dir):
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [
            Change(DAY, R, k, True)
            for k in ("release/foam-roller", "release/back-stretch-over-foam-roller")
        ]
    )
    assert position(guided_page()) == "Release · 3 of 13"
    assert position(guided_page(date="2026-11-20")) == "Release · 1 of 13"  # another day


def feeling(at: AppTest, exercise: str):
    return at.segmented_control(key=f"hd-feeling:{R}:{DAY}:{exercise}")


def test_how_it_felt_is_saved_and_shown_again(guided_page, data_dir):
    at = guided_page()
    feeling(at, "release/foam-roller").set_value("hard").run()
    assert FeelingLog(data_dir).feeling(DAY, R, "release/foam-roller") == "hard"
    fresh = guided_page()
    assert feeling(fresh, "release/foam-roller").value == "hard"
    # Each exercise has its own: the next one starts empty, Back shows "hard" again.
    press(fresh, "hd-guided-done")
    assert position(fresh) == "Release · 2 of 13"
    assert feeling(fresh, "release/back-stretch-over-foam-roller").value is None
    press(fresh, "hd-guided-back")
    assert feeling(fresh, "release/foam-roller").value == "hard"


def test_an_open_video_closes_when_the_screen_moves_on(guided_page):
    at = guided_page()
    for _ in range(3):
        press(at, "hd-guided-skip")
    assert position(at) == "Release · 4 of 13"  # Cat-cow, with a video
    at.toggle(key="hd-guided-watch:release/cat-cow").set_value(True).run()
    assert at.get("iframe")
    press(at, "hd-guided-skip")  # to the next exercise with a video
    assert not at.toggle(key="hd-guided-watch:release/kneeling-thoracic-stretch").value
    assert not at.get("iframe")


def test_the_finish_screen_counts_as_progress_does(guided_page, data_dir):
    routine = load_routine(ROUTINE_1)
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.record([Change(date(2026, 11, 23), R, k, True) for k in routine.item_keys])  # Monday
    at = guided_page()
    for _ in range(6):
        press(at, "hd-guided-done")  # Release: 6 items
    for _ in range(7):
        press(at, "hd-guided-skip")
    finish = [plain(m.value).replace("**", "") for m in at.markdown]
    headline = at.subheader[0].value
    assert headline == "💪 2 more items to count this session"
    progress = stats.progress(log.day_states(R), routine, DAY, config.session_share())
    sessions, target = stats.week_of(log.day_states(R), routine, DAY, DAY, 0.5)
    assert (sessions, target) == (progress.summary.this_week, progress.summary.target)
    assert (sessions, target) == (1, 3)
    streak = progress.summary.current_streak
    assert f"6 / 16 done · 1 of 3 this week · streak {streak} weeks" in finish
    press(at, "hd-guided-review")  # back to the last exercise
    assert position(at) == "Stretch · 13 of 13"


def test_the_finish_screen_says_counted_and_takes_the_details(guided_page, data_dir):
    routine = load_routine(ROUTINE_1)
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [Change(DAY, R, k, True) for k in routine.item_keys[:8]]
    )
    at = guided_page()
    assert position(at) == "Strengthen · 7 of 13"  # resumes after the 8 items done
    for _ in range(7):
        press(at, "hd-guided-skip")
    assert at.subheader[0].value == "🎉 Session counted"
    assert any(
        "8 / 16" in plain(m.value) and "1 of 3 this week" in plain(m.value) for m in at.markdown
    )
    suffix = f"{R}:{DAY}"
    at.segmented_control(key=f"hd-after:{suffix}").set_value(2)
    (save,) = [b for b in at.button if b.label == "Save details"]
    save.click().run()
    assert SessionLog(data_dir).details(DAY, R).pain_after == 2


def finish_with_the_stopwatch_running(guided_page, data_dir, minutes: float) -> AppTest:
    """The finish screen of a session whose stopwatch was started `minutes` ago."""
    started = datetime.now().astimezone() - timedelta(minutes=minutes)
    appstate.start_timer(data_dir, R, DAY, started)
    at = guided_page()
    for _ in range(13):
        press(at, "hd-guided-skip")
    assert at.button(key="hd-guided-stop").label == "⏹️ Stop timer and save the time"
    return at


def test_the_finish_stops_the_stopwatch_and_saves_its_minutes(guided_page, data_dir):
    at = finish_with_the_stopwatch_running(guided_page, data_dir, 23.4)
    press(at, "hd-guided-stop")
    assert not at.error
    assert SessionLog(data_dir).details(DAY, R).minutes == 23
    assert appstate.read(data_dir).started(R, DAY) is None
    assert not [b for b in at.button if b.key == "hd-guided-stop"]


def test_a_stopwatch_the_finish_cannot_save_says_so_and_keeps_running(guided_page, data_dir):
    at = finish_with_the_stopwatch_running(guided_page, data_dir, 23.4)
    (data_dir / "sessions.csv").mkdir()  # not a file: the save is refused
    press(at, "hd-guided-stop")
    assert at.error[0].value.startswith("Not saved — ")
    assert appstate.read(data_dir).started(R, DAY) is not None
