"""Today's session extras through AppTest: stopwatch, pain/time/note, marked days."""

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from hipdash.sessions import DayMark, SessionDetails, SessionLog

from .conftest import PROJECT

R = "hip-therapy-routine-1"
DAY = date(2026, 11, 24)
SUFFIX = f"{R}:2026-11-24"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", "2026-11-24")


def today_page() -> AppTest:
    return AppTest.from_file(str(PROJECT / "app.py"), default_timeout=30).run()


def button(at, label):
    (found,) = [b for b in at.button if b.label == label]
    return found


def test_the_stopwatch_fills_in_and_saves_the_minutes(data_dir):
    at = today_page()
    button(at, "⏱️ Start session timer").click().run()
    assert [m.value for m in at.markdown if m.value.startswith("⏱️")] == ["⏱️ **0:00**"]
    at.session_state[f"hd-timer:{SUFFIX}"] -= 17 * 60 + 20  # as if 17 min 20 s had passed
    button(at, "Stop").click().run()
    assert not at.exception
    assert at.number_input(key=f"hd-minutes:{SUFFIX}").value == 17
    assert SessionLog(data_dir).details(DAY, R).minutes == 17
    assert any("Start" in b.label for b in at.button)  # ready for the next one


def test_pain_minutes_and_note_are_saved_and_shown_again(data_dir):
    at = today_page()
    at.segmented_control(key=f"hd-before:{SUFFIX}").set_value(6)
    at.segmented_control(key=f"hd-after:{SUFFIX}").set_value(3)
    at.number_input(key=f"hd-minutes:{SUFFIX}").set_value(30)
    at.text_area(key=f"hd-note:{SUFFIX}").input("stiff left hip,\nbetter after couch stretch")
    button(at, "Save details").click().run()
    assert not at.exception
    saved = SessionLog(data_dir).details(DAY, R)
    assert saved == SessionDetails(DAY, R, 6, 3, 30, "stiff left hip,\nbetter after couch stretch")

    fresh = today_page()
    assert fresh.segmented_control(key=f"hd-before:{SUFFIX}").value == 6
    assert fresh.number_input(key=f"hd-minutes:{SUFFIX}").value == 30
    assert fresh.text_area(key=f"hd-note:{SUFFIX}").value.startswith("stiff left hip")
    assert any(e.label == "Pain, time and note ✓" for e in fresh.expander)


def test_details_of_another_day_are_that_days(data_dir):
    SessionLog(data_dir).save(SessionDetails(date(2026, 11, 20), R, pain_before=8))
    at = today_page()
    assert at.segmented_control(key=f"hd-before:{SUFFIX}").value is None
    at.date_input(key="hd_day").set_value(date(2026, 11, 20)).run()
    assert at.segmented_control(key=f"hd-before:{R}:2026-11-20").value == 8


def test_a_day_can_be_marked_sick_and_cleared(data_dir):
    at = today_page()
    form_kind = [s for s in at.segmented_control if s.label == "This day is a"][0]
    form_kind.set_value("sick")
    [t for t in at.text_input if t.label == "Reason (optional)"][0].input("flu")
    button(at, "Save").click().run()
    assert not at.exception
    assert SessionLog(data_dir).day_marks() == {DAY: DayMark(DAY, "sick", "flu")}
    assert any("Sick day" in i.value and "flu" in i.value for i in at.info)

    [s for s in at.segmented_control if s.label == "This day is a"][0].set_value(None)
    button(at, "Save").click().run()
    assert SessionLog(data_dir).day_marks() == {}
    assert not any("Sick day" in i.value for i in at.info)
