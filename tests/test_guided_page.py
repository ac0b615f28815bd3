"""The guided session through AppTest on the real files: the runner's actions (done, skip,
back, undo, a dose) as the browser sends them, resuming where the person was, circuits,
how it felt, the finish's numbers and skipped exercises, and the minutes rule."""

import re
from datetime import date, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from hipdash import appstate, config, library, stats
from hipdash.feelings import FeelingLog
from hipdash.log import Change, CheckoffLog
from hipdash.routines import load_routine
from hipdash.sessions import SessionDetails, SessionLog

from . import component as cards
from .conftest import ROUTINE_1, plain

R = "hip-therapy-routine-1"
DAY = date(2026, 11, 24)
RUNNER = "hd-guided"
CIRCUIT = """\
id: circuit
title: Circuit
sections:
  - id: main
    title: Main
    rounds: 2
    exercises:
      - {id: lunge, title: Low lunges, dose: "10 reps"}
      - {id: plank, title: Plank, dose: "hold 30 s"}
"""


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", DAY.isoformat())


@pytest.fixture
def guided_page(app_page):
    """The guided view as a link opens it: `/guided?routine=…&date=…`."""
    return lambda **query: app_page("pages/guided.py", query={"routine": R, **query})


def position(at: AppTest) -> str:
    """'Release · 2 of 13': where the screen shown is in the session."""
    (shown,) = [
        plain(m.value).removesuffix(" · ✓ done")
        for m in at.markdown
        if re.search(r" · \d+ of \d+( · ✓ done)?$", plain(m.value))
    ]
    return shown


def runner(at: AppTest) -> dict:
    """What the page sent the runner for the screen shown."""
    return cards.data(at, RUNNER)


def press(at: AppTest, kind: str, **extra) -> AppTest:
    """An action of the runner (done, skip, back, undo, dose), from the screen shown."""
    action = {"kind": kind, "visit": runner(at)["visit"], "seq": 0, **extra}  # numbered: send
    cards.send(at, action, RUNNER)
    assert not at.exception, at.exception
    return at


def logged(data_dir, routine: str = R) -> dict[str, bool]:
    return CheckoffLog(data_dir / "checkoffs.csv").day_state(DAY, routine)


def running(data_dir) -> datetime | None:
    """When the session's stopwatch was started, if it runs."""
    return appstate.read(data_dir).started(R, DAY)


def test_start_guided_session_on_today_opens_the_first_exercise_running(app_page, data_dir):
    at = app_page()
    cards.start_guided(at)
    assert not at.exception
    assert position(at) == "Release · 1 of 13"
    assert at.subheader[0].value.startswith("Foam roller")
    assert runner(at)["autostart"] and runner(at)["first"]  # one tap starts the session
    # The way back names itself apart from the nav bar's "✅ Today", and keeps the day.
    (back,) = at.get("page_link")
    assert (back.proto.label, back.proto.page) == ("Back to Today", "today")
    assert "date=" in back.proto.query_string
    fresh = app_page("pages/guided.py", {"routine": R})  # a reload: where it was, not restarted
    assert position(fresh) == "Release · 1 of 13"
    assert runner(fresh)["visit"] == runner(at)["visit"] and not runner(fresh)["autostart"]
    # Only opened, nothing done yet: no stopwatch runs, and Today shows none.
    assert running(data_dir) is None and not runner(fresh)["timing"]
    assert cards.timer_button(app_page()) == "Start session timer"


def test_start_again_on_the_screen_shown_last_resumes_that_visit(app_page, data_dir):
    """Back to Today mid-set, then Start guided session: the same visit, marked to resume
    (the browser goes on with the set it kept, or begins it afresh if left long ago), and
    its Start times the session from the visit if the set ran since then, else from now."""
    first = runner(cards.start_guided(app_page()))["visit"]
    again = cards.start_guided(app_page())
    sent = runner(again)
    assert sent["visit"] == first and sent["autostart"] and sent["resume"]
    assert not runner(app_page("pages/guided.py", {"routine": R}))["resume"]  # a reload
    press(again, "start", ran=True)  # the kept set had run since the visit began
    assert not runner(again)["resume"]  # once: a way back later (browser Back) is no Resume
    assert running(data_dir) == datetime.fromisoformat(first).replace(microsecond=0)
    fresh = runner(cards.start_guided(app_page()))
    assert fresh["visit"] == first and fresh["resume"] and fresh["timing"]


def test_back_waits_for_a_start_and_says_where_it_went(guided_page):
    """Hands-free, Back said nothing: the person did not hear which exercise it was."""
    at = press(guided_page(), "skip")
    assert runner(at)["autostart"] and not runner(at)["announce"]
    at = press(at, "back")
    assert position(at) == "Release · 1 of 13"
    assert runner(at)["announce"] and not runner(at)["autostart"]
    assert not runner(guided_page())["announce"]  # a reload of it says nothing again


def test_today_offers_to_resume_where_the_guided_session_was_left(app_page, guided_page):
    """Mid-session Today read "Start guided session", as if it began again."""
    assert cards.data(app_page())["guided_at"] is None  # none yet
    at = guided_page()  # only opened, at the first exercise: Start would begin there anyway
    assert cards.data(app_page())["guided_at"] is None
    press(at, "start")  # begun: Today offers to go on with it
    assert cards.data(app_page())["guided_at"] == at.subheader[0].value
    at = press(guided_page(), "skip")  # on to the second exercise
    assert position(at) == "Release · 2 of 13"
    assert cards.data(app_page())["guided_at"] == at.subheader[0].value
    at = guided_page()
    for _ in range(12):
        at = press(at, "skip")
    assert "Skipped: " in " ".join(plain(m.value) for m in at.markdown)  # the finish
    assert cards.data(app_page())["guided_at"] is None


def test_with_everything_ticked_today_offers_the_summary_and_it_opens_the_finish(
    app_page, guided_page, data_dir
):
    """A session left in the guided view, then finished on the cards: Today still read
    "Resume" and opened an exercise already done."""
    press(guided_page(), "skip")  # left at the second exercise
    routine = load_routine(ROUTINE_1)
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.record([Change(DAY, R, k, True) for k in routine.item_keys[:-1]])
    assert not cards.data(app_page())["guided_done"]  # one left: it still resumes
    log.record([Change(DAY, R, routine.item_keys[-1], True)])
    today = app_page()
    assert cards.data(today)["guided_done"]
    at = cards.start_guided(today)
    assert "Skipped: " not in " ".join(plain(m.value) for m in at.markdown)
    assert at.subheader[0].value.startswith("✓ Session counted")  # the finish, not an exercise


def test_the_first_start_or_done_starts_the_stopwatch_and_the_finish_stops_it(
    guided_page, data_dir
):
    at = guided_page()
    press(at, "skip")
    press(at, "back")
    assert running(data_dir) is None  # moving about is not doing
    press(at, "start")  # the runner's Start, tapped
    started = running(data_dir)
    assert started is not None and runner(at)["timing"]
    assert abs(datetime.now().astimezone() - started) < timedelta(seconds=5)
    press(at, "start")  # again (Start after Back): the same stopwatch runs on
    assert running(data_dir) == started
    appstate.stop_timer(data_dir, R, DAY, started)  # as if started 24 minutes ago
    appstate.start_timer(data_dir, R, DAY, started - timedelta(minutes=24))
    for _ in range(13):
        press(at, "skip")
    assert at.subheader[0].value == "8 more items to count this session"
    assert running(data_dir) is None  # the finish stopped it and saved its minutes
    assert SessionLog(data_dir).details(DAY, R).minutes == 24
    assert at.number_input(key=f"hd-minutes:{R}:{DAY}").value == 24  # in the form
    assert not [b for b in at.button if b.key == "hd-guided-stop"]
    # Back to an exercise after the finish: the session was timed, it is not timed again.
    at.button(key="hd-guided-review").click().run()
    press(at, "done")
    assert running(data_dir) is None and SessionLog(data_dir).details(DAY, R).minutes == 24


def test_a_done_on_a_screen_that_ran_by_itself_times_the_session_from_its_start(app_page, data_dir):
    at = app_page()
    cards.start_guided(at)
    shown = datetime.fromisoformat(runner(at)["visit"])
    assert running(data_dir) is None
    press(at, "done")  # the end of its countdown, or a tap
    assert running(data_dir) == shown.replace(microsecond=0)


def test_done_skip_and_back_walk_the_session_and_tick_through_the_log(guided_page, data_dir):
    at = guided_page()
    assert position(at) == "Release · 1 of 13"
    press(at, "done")
    assert logged(data_dir) == {"release/foam-roller": True}
    assert position(at) == "Release · 2 of 13"
    assert runner(at)["autostart"]  # the next one starts by itself
    assert runner(at)["undo"]["title"].startswith("Foam roller")  # the 5 s Undo line
    press(at, "skip")
    assert position(at) == "Release · 3 of 13"
    assert logged(data_dir) == {"release/foam-roller": True}  # skipped: not ticked
    press(at, "back")
    assert position(at) == "Release · 2 of 13" and not runner(at)["autostart"]
    for _ in range(5):
        press(at, "skip")
    assert position(at) == "Strengthen · 7 of 13"
    assert runner(at)["arrival"].endswith("Leg extension to side. Unassisted hip airplane.")
    press(at, "done")  # all four steps of the exercise at once
    four = [k for k, v in logged(data_dir).items() if k.startswith("strengthen/hip-strength-four")]
    assert len(four) == 4 and all(logged(data_dir)[k] for k in four)
    # "✓ … done · Undo" with the note's line as a phrase: not "…following video: done"
    assert runner(at)["undo"]["title"] == "The four exercises demonstrated in the following video"


def test_a_tap_from_a_screen_no_longer_shown_does_nothing(guided_page, data_dir):
    at = guided_page()
    stale = runner(at)["visit"]
    press(at, "skip")
    cards.send(at, {"kind": "done", "visit": stale}, RUNNER)  # the same tap, arriving twice
    assert position(at) == "Release · 2 of 13" and logged(data_dir) == {}


def test_undo_takes_the_tick_back_and_returns_to_that_exercise(guided_page, data_dir):
    at = guided_page()
    press(at, "done")
    assert logged(data_dir) == {"release/foam-roller": True}
    assert runner(at)["undo"]["age_ms"] < 5000  # just ticked: its Undo line is offered
    press(at, "undo")
    assert logged(data_dir) == {"release/foam-roller": False}
    assert position(at) == "Release · 1 of 13" and runner(at)["undo"] is None
    assert runner(at)["announce"] and not runner(at)["autostart"]  # heard by name; waits


def test_a_new_visit_resumes_at_the_screen_shown_last(guided_page, data_dir):
    at = guided_page()
    for _ in range(3):
        press(at, "skip")  # three skipped on purpose
    assert position(at) == "Release · 4 of 13"
    fresh = guided_page()  # a reload, a phone that locked, another visit
    assert position(fresh) == "Release · 4 of 13"
    assert runner(fresh)["visit"] == runner(at)["visit"]  # the browser resumes that visit
    assert position(guided_page(date="2026-11-20")) == "Release · 1 of 13"  # another day


def test_a_past_day_says_so_and_its_two_ways_out_read_apart(guided_page):
    at = guided_page(date="2026-11-20")
    assert "Editing Fri 20 Nov" in at.warning[0].value
    (switch,) = [b for b in at.button if b.key == "hd-back-today"]
    (back,) = at.get("page_link")  # to Today's list, the same day
    assert "20" in back.proto.query_string
    assert switch.label.lower() != back.proto.label.lower()  # another day, not another page
    switch.click().run()
    assert not at.warning and "date" not in at.query_params


def test_without_a_screen_remembered_it_resumes_at_the_first_exercise_not_done(
    guided_page, data_dir
):
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [
            Change(DAY, R, k, True)
            for k in ("release/foam-roller", "release/back-stretch-over-foam-roller")
        ]
    )
    assert position(guided_page()) == "Release · 3 of 13"


def test_a_dose_in_one_tap_is_saved_as_a_new_version_of_your_routine(guided_page, data_dir):
    at = guided_page()
    sent = runner(at)
    assert sent["phases"] == [] and "30 s" in sent["offer"] and "no timer" in sent["offer"]
    press(at, "dose", words="45 s")
    (said,) = at.toast  # said in a toast: a banner would push the runner down
    assert plain(said.value) == "Saved in your routine: 45 s." and not at.info
    saved = library.current(data_dir, config.routines_dir(), R).routine
    first = saved.sections[0].exercises[0]
    assert (first.id, first.dose, first.amounts.hold_seconds) == ("foam-roller", "45 s", 45)
    assert saved.item_keys == load_routine(ROUTINE_1).item_keys  # ids kept
    assert len(library.versions(data_dir, R)) == 1  # the version before is kept
    at.run()  # the page loads the routine again
    assert [p["kind"] for p in runner(at)["phases"]] == ["lead", "work"]
    assert runner(at)["offer"] is None and runner(at)["autostart"]
    assert position(at) == "Release · 1 of 13"
    press(at, "skip")
    press(at, "dose", words="no timer")
    at.run()
    assert runner(at)["phases"] == [] and runner(at)["offer"] is None  # not offered again
    press(at, "dose", words="rm -rf")  # only what is offered
    assert len(library.versions(data_dir, R)) == 2


def test_a_circuit_runs_its_rounds_and_ticks_an_exercise_in_its_last(
    app_page, data_dir, tmp_path, monkeypatch
):
    (tmp_path / "bundled").mkdir()
    (tmp_path / "bundled" / "circuit.yaml").write_text(CIRCUIT)
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path / "bundled"))
    at = app_page("pages/guided.py", {"routine": "circuit"})
    shown = []
    for _ in range(4):
        shown.append((position(at), at.subheader[0].value))
        press(at, "done")
        if len(shown) == 2:
            assert logged(data_dir, "circuit") == {}  # round 1 done: nothing ticked yet
    assert shown == [
        ("Main · round 1 of 2 · 1 of 4", "Low lunges"),
        ("Main · round 1 of 2 · 2 of 4", "Plank"),
        ("Main · round 2 of 2 · 3 of 4", "Low lunges"),
        ("Main · round 2 of 2 · 4 of 4", "Plank"),
    ]
    assert logged(data_dir, "circuit") == {"main/lunge": True, "main/plank": True}
    assert at.subheader[0].value == "✓ Session counted"


def feeling(at: AppTest, exercise: str):
    return at.segmented_control(key=f"hd-feeling:{R}:{DAY}:{exercise}")


def test_how_it_felt_is_saved_and_shown_again(guided_page, data_dir):
    at = guided_page()
    feeling(at, "release/foam-roller").set_value("hard").run()
    assert FeelingLog(data_dir).feeling(DAY, R, "release/foam-roller") == "hard"
    fresh = guided_page()
    assert feeling(fresh, "release/foam-roller").value == "hard"
    # Each exercise has its own: the next one starts empty, Back shows "hard" again.
    press(fresh, "done")
    assert position(fresh) == "Release · 2 of 13"
    assert feeling(fresh, "release/back-stretch-over-foam-roller").value is None
    press(fresh, "back")
    assert feeling(fresh, "release/foam-roller").value == "hard"


def test_an_open_video_closes_when_the_screen_moves_on(guided_page):
    at = guided_page()
    for _ in range(3):
        press(at, "skip")
    assert position(at) == "Release · 4 of 13"  # Cat-cow, with a video
    assert [e.label for e in at.expander] == [
        "Watch: How to perform a cat cow stretch for back pain"
    ]
    assert not at.get("iframe")  # nothing loaded until Watch is opened, as on Today
    at.session_state["hd-guided-watch:release/cat-cow"] = True  # a tap on Watch
    at.run()
    assert at.get("iframe")
    press(at, "skip")  # to the next exercise with a video
    assert at.session_state["hd-guided-watch:release/kneeling-thoracic-stretch"] is not True
    assert not at.get("iframe")


def test_a_tick_that_cannot_be_saved_says_so_and_stays(guided_page, data_dir):
    at = guided_page()
    (data_dir / "checkoffs.csv").mkdir(parents=True)  # not a file: the write is refused
    press(at, "done")
    assert at.error[0].value.startswith("Not saved — ")
    assert position(at) == "Release · 1 of 13" and runner(at)["failed"]


def test_the_finish_screen_counts_as_progress_does(guided_page, data_dir):
    routine = load_routine(ROUTINE_1)
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.record([Change(date(2026, 11, 23), R, k, True) for k in routine.item_keys])  # Monday
    at = guided_page()
    for _ in range(6):
        press(at, "done")  # Release: 6 items
    for _ in range(7):
        press(at, "skip")
    finish = [plain(m.value).replace("**", "") for m in at.markdown]
    headline = at.subheader[0].value
    assert headline == "2 more items to count this session"
    progress = stats.progress(log.day_states(R), routine, DAY, config.session_share())
    sessions, target = stats.week_of(log.day_states(R), routine, DAY, DAY, 0.5)
    assert (sessions, target) == (progress.summary.this_week, progress.summary.target)
    assert (sessions, target) == (1, 3)
    streak = progress.summary.current_streak
    assert finish[0] == (  # what the streak is, said where it is shown
        f"6 / 16 items done · 1 of 3 this week · streak {streak} weeks "
        "(starts when a week reaches 3 sessions)"
    )
    assert cards.data(at, f"{RUNNER}-end")["finish"] == (
        "2 more items to count this session. 1 of 3 this week."
    )
    assert "Skipped: 7 exercises" in finish
    go_back = [b for b in at.button if b.label.startswith("Go back to ")]
    assert len(go_back) == 7
    assert go_back[1].label == "Go back to Pistol squat preparation with height"
    go_back[1].click().run()
    assert position(at) == "Strengthen · 8 of 13"
    for _ in range(6):
        press(at, "skip")
    at.button(key="hd-guided-review").click().run()  # back to the last exercise
    assert position(at) == "Stretch · 13 of 13"


def finish_with_the_stopwatch_running(guided_page, data_dir, minutes: float) -> AppTest:
    """The finish, reached with the session's stopwatch started `minutes` ago."""
    appstate.start_timer(data_dir, R, DAY, datetime.now().astimezone() - timedelta(minutes=minutes))
    at = guided_page()
    for _ in range(13):
        press(at, "skip")
    return at


def test_a_stopwatch_the_finish_cannot_save_says_so_and_keeps_running(guided_page, data_dir):
    (data_dir / "sessions.csv").mkdir(parents=True)  # not a file: the save is refused
    at = finish_with_the_stopwatch_running(guided_page, data_dir, 23.4)
    assert at.error[0].value.startswith("Not saved — ")
    assert running(data_dir) is not None
    assert at.button(key="hd-guided-stop").label == "Stop timer and save the time"


def test_saved_minutes_never_change_without_the_persons_choice(guided_page, data_dir):
    SessionLog(data_dir).save(SessionDetails(DAY, R, minutes=2))  # typed in earlier
    at = finish_with_the_stopwatch_running(guided_page, data_dir, 120)
    assert SessionLog(data_dir).details(DAY, R).minutes == 2
    (question,) = [plain(w.value) for w in at.warning if "stopwatch" in w.value]
    assert "The stopwatch says 120 min; 2 min are saved for this session." in question
    assert running(data_dir) is not None  # until the person picks
    at.button(key="hd-minutes-keep").click().run()
    assert SessionLog(data_dir).details(DAY, R).minutes == 2
    assert running(data_dir) is None
    # Today's stopwatch started again and the finish opened: its Stop asks the same way.
    appstate.start_timer(data_dir, R, DAY, datetime.now().astimezone() - timedelta(hours=2))
    fresh = guided_page()
    fresh.button(key="hd-guided-stop").click().run()
    assert [w for w in fresh.warning if "stopwatch" in w.value]
    assert SessionLog(data_dir).details(DAY, R).minutes == 2


def test_the_finish_screen_says_counted_and_takes_the_details(guided_page, data_dir):
    routine = load_routine(ROUTINE_1)
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [Change(DAY, R, k, True) for k in routine.item_keys[:8]]
    )
    at = guided_page()
    assert position(at) == "Strengthen · 7 of 13"  # resumes after the 8 items done
    for _ in range(7):
        press(at, "skip")
    assert at.subheader[0].value == "✓ Session counted"
    assert any(
        "8 / 16" in plain(m.value) and "1 of 3 this week" in plain(m.value) for m in at.markdown
    )
    suffix = f"{R}:{DAY}"
    at.segmented_control(key=f"hd-after:{suffix}").set_value(2)
    (save,) = [b for b in at.button if b.label == "Save details"]
    save.click().run()
    assert SessionLog(data_dir).details(DAY, R).pain_after == 2


def test_moving_on_passes_over_exercises_already_ticked(guided_page, data_dir):
    """Exercises 2 and 3 were ticked on Today: Done on the first says "Next:" of the fourth
    and moves to it; a Skip passes over ticked ones the same way."""
    release = load_routine(ROUTINE_1).sections[0]
    second, third, fourth, fifth = release.exercises[1:5]
    ticked = [f"release/{ex.id}" for ex in (second, third, fifth)]
    CheckoffLog(data_dir / "checkoffs.csv").record([Change(DAY, R, k, True) for k in ticked])
    at = guided_page()
    assert position(at) == "Release · 1 of 13"
    assert runner(at)["ending"] == f"Next: {fourth.title}."
    press(at, "done")
    assert position(at) == "Release · 4 of 13"
    press(at, "skip")
    assert position(at) == "Release · 6 of 13"
    press(at, "back")
    assert position(at) == "Release · 5 of 13"  # Back goes one back, done or not


GROUP = """\
id: group
title: Group
sections:
  - id: main
    title: Main
    exercises:
      - id: four
        title: The four exercises
        steps:
          - {id: dead-bug, title: Dead bug, notes: "3 × 10"}
          - {id: clam, title: "Side plank *clamshell*", notes: "30 s each side"}
          - {id: airplane, title: Hip airplane}
"""


def test_a_group_lists_its_steps_with_their_doses(app_page, tmp_path, monkeypatch):
    """Each step with the dose its note gave it, where the person reads it from the mat
    (the note's words escaped), and heard with it on arrival."""
    (tmp_path / "bundled").mkdir()
    (tmp_path / "bundled" / "group.yaml").write_text(GROUP)
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path / "bundled"))
    at = app_page("pages/guided.py", {"routine": "group"})
    steps = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert steps == [
        "- Dead bug — 3 × 10\n- Side plank \\*clamshell\\* — 30 s each side\n- Hip airplane"
    ]
    assert runner(at)["arrival"] == (
        "The four exercises. Dead bug. 3 sets of 10. Side plank *clamshell*. 30 seconds each "
        "side. Hip airplane."
    )
