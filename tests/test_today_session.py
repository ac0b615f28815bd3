"""Today's session extras through AppTest: stopwatch, pain/time/note, marked days, and
details saved on another device meanwhile."""

from datetime import date, datetime, timedelta

import pytest

from hipdash import appstate
from hipdash.sessions import DayMark, SessionDetails, SessionLog
from hipdash.ui import keys

from . import component as cards
from .conftest import plain

R = "hip-therapy-routine-1"
DAY = date(2026, 11, 24)
SUFFIX = f"{R}:2026-11-24"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", "2026-11-24")


def opened(at):
    """Open the After the session panel, as a tap does (closed, its forms are not drawn)."""
    cards.toggle_after(at)
    assert not at.exception
    assert cards.data(at)["after_open"]
    return at


def button(at, label):
    (found,) = [b for b in at.button if b.label == label]
    return found


def started_ago(data_dir, minutes: float) -> None:
    """Move the running stopwatch's start back, as if `minutes` had passed."""
    when = datetime.now().astimezone() - timedelta(minutes=minutes)
    appstate.update(
        data_dir,
        lambda s: appstate.AppState(
            s.last_routine, {f"{R}/{DAY.isoformat()}": when.isoformat(timespec="seconds")}
        ),
    )


def test_the_stopwatch_survives_a_reload_and_saves_the_minutes(app_page, data_dir):
    at = opened(app_page())
    cards.press_timer(at)
    assert cards.data(at)["timer_started"] is not None  # the header shows it running
    assert cards.timer_button(at).startswith("Stop timer (started ")
    started_ago(data_dir, 17.4)
    fresh = opened(app_page())  # a reload, or another device: still running
    assert cards.timer_button(fresh).startswith("Stop timer")
    cards.press_timer(fresh)
    assert not fresh.exception
    assert fresh.number_input(key=f"hd-minutes:{SUFFIX}").value == 17  # the form, redrawn
    assert SessionLog(data_dir).details(DAY, R).minutes == 17
    assert cards.data(fresh)["timer_started"] is None
    assert cards.timer_button(fresh) == "Start session timer"
    said = cards.data(fresh)["message"]  # in the cards: a toast was lost in the page's rerun
    assert said == {"kind": "info", "text": "⏱️ Session time saved: 17 min"}


def test_saving_the_details_stops_the_stopwatch_and_a_later_stop_asks_first(app_page, data_dir):
    at = opened(app_page())
    cards.press_timer(at)
    at.number_input(key=f"hd-minutes:{SUFFIX}").set_value(2)
    button(at, "Save details").click().run()
    assert SessionLog(data_dir).details(DAY, R).minutes == 2
    assert appstate.read(data_dir).started(R, DAY) is None  # saving stopped it
    assert cards.data(at)["timer_started"] is None  # and the top shows it stopped
    cards.send(at, {"kind": "timer", "start": False, "seq": 20})  # a Stop left on screen
    assert not at.warning and SessionLog(data_dir).details(DAY, R).minutes == 2

    started_ago(data_dir, 120)  # a stopwatch running for two hours, in the data dir
    at.run()
    cards.press_timer(at)
    assert SessionLog(data_dir).details(DAY, R).minutes == 2  # not without the person
    (question,) = [w.value for w in at.warning if "stopwatch" in w.value]
    assert "says 120 min; 2 min are saved" in question
    assert cards.data(at)["timer_started"] is not None  # still running until they pick
    button(at, "Keep 2 min").click().run()
    assert SessionLog(data_dir).details(DAY, R).minutes == 2
    assert appstate.read(data_dir).started(R, DAY) is None
    assert not [w for w in at.warning if "stopwatch" in w.value]


def test_after_the_question_the_stopwatchs_minutes_are_saved_when_picked(app_page, data_dir):
    SessionLog(data_dir).save(SessionDetails(DAY, R, pain_before=5, minutes=2))
    started_ago(data_dir, 120)
    at = opened(app_page())
    cards.press_timer(at)
    button(at, "Save 120 min").click().run()
    assert SessionLog(data_dir).details(DAY, R) == SessionDetails(DAY, R, 5, None, 120)
    assert at.number_input(key=f"hd-minutes:{SUFFIX}").value == 120
    assert appstate.read(data_dir).started(R, DAY) is None


def test_a_stopwatch_left_running_past_a_day_asks_for_the_minutes(app_page, data_dir):
    """Reproduction: a stopwatch started more than 24 h ago could not be stopped ("Not
    saved — minutes is not a whole number from 0 to 1440") on every Stop."""
    started_ago(data_dir, 25 * 60 + 3)
    at = opened(app_page())
    cards.press_timer(at)
    assert not at.exception and not at.error
    (question,) = [plain(w.value) for w in at.warning if "stopwatch" in w.value]
    assert "has run for 25 h 3 min, longer than a session can last (24 h)" in question
    assert cards.data(at)["timer_started"] is not None  # nothing changed yet
    at.number_input(key=f"hd-minutes-typed:{R}:2026-11-24").set_value(35)
    button(at, "Save minutes").click().run()
    assert not at.exception
    assert SessionLog(data_dir).details(DAY, R).minutes == 35
    assert appstate.read(data_dir).started(R, DAY) is None
    assert not [w for w in at.warning if "stopwatch" in w.value]


def test_a_stopwatch_started_after_now_asks_for_the_minutes(app_page, data_dir):
    """A start synced from a computer whose clock is ahead: it used to save 1 minute."""
    started_ago(data_dir, -90)
    at = opened(app_page())
    cards.press_timer(at)
    (question,) = [plain(w.value) for w in at.warning if "stopwatch" in w.value]
    assert "The stopwatch started 90 min after this computer's time now" in question
    assert SessionLog(data_dir).details(DAY, R) is None  # nothing saved yet
    at.number_input(key=f"hd-minutes-typed:{R}:2026-11-24").set_value(30)
    button(at, "Save minutes").click().run()
    assert SessionLog(data_dir).details(DAY, R).minutes == 30
    assert appstate.read(data_dir).started(R, DAY) is None


def test_a_stopwatch_left_running_can_be_discarded(app_page, data_dir):
    SessionLog(data_dir).save(SessionDetails(DAY, R, minutes=20))
    started_ago(data_dir, 3 * 24 * 60)
    at = opened(app_page())
    cards.press_timer(at)
    button(at, "Discard").click().run()
    assert appstate.read(data_dir).started(R, DAY) is None
    assert SessionLog(data_dir).details(DAY, R).minutes == 20  # what was saved stays
    assert cards.timer_button(at).endswith("Start session timer")


def test_a_stopwatch_that_cannot_be_saved_says_so(app_page, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("HIPDASH_DATA_DIR", str(blocker / "data"))
    at = opened(app_page())
    cards.press_timer(at)
    assert cards.message(at).startswith("Not saved")
    assert cards.data(at)["timer_started"] is None


def test_pain_minutes_and_note_are_saved_and_shown_again(app_page, data_dir):
    at = opened(app_page())
    at.segmented_control(key=f"hd-before:{SUFFIX}").set_value(6)
    at.segmented_control(key=f"hd-after:{SUFFIX}").set_value(3)
    at.number_input(key=f"hd-minutes:{SUFFIX}").set_value(30)
    at.text_area(key=f"hd-note:{SUFFIX}").input("stiff left hip,\nbetter after couch stretch")
    button(at, "Save details").click().run()
    assert not at.exception
    saved = SessionLog(data_dir).details(DAY, R)
    assert saved == SessionDetails(DAY, R, 6, 3, 30, "stiff left hip,\nbetter after couch stretch")
    assert [plain(s.value) for s in at.success] == ["Saved: pain 6 → 3, 30 min, a note."]

    fresh = opened(app_page())
    assert fresh.segmented_control(key=f"hd-before:{SUFFIX}").value == 6
    assert fresh.number_input(key=f"hd-minutes:{SUFFIX}").value == 30
    assert fresh.text_area(key=f"hd-note:{SUFFIX}").value.startswith("stiff left hip")
    cards.toggle_after(fresh)  # closed again: no form, what is saved in a line
    assert not fresh.exception and not fresh.number_input
    assert cards.data(fresh)["after_saved"] == (
        "✓ Saved: pain 6 → 3, 30 min, “stiff left hip,\nbetter after couch stretch”"
    )


def test_what_is_saved_is_said_without_what_was_not_given(app_page, data_dir):
    """Pain after only, and minutes: the line says those, not "pain – → 4, no note"."""
    at = opened(app_page())
    at.segmented_control(key=f"hd-after:{SUFFIX}").set_value(4)
    at.number_input(key=f"hd-minutes:{SUFFIX}").set_value(25)
    button(at, "Save details").click().run()
    assert [plain(s.value) for s in at.success] == ["Saved: pain after 4, 25 min."]
    fresh = opened(app_page())
    cards.toggle_after(fresh)
    assert cards.data(fresh)["after_saved"] == "✓ Saved: pain after 4, 25 min"


def test_details_saved_elsewhere_are_shown_and_loaded_with_a_tap(app_page, data_dir):
    at = opened(app_page())
    SessionLog(data_dir).save(SessionDetails(DAY, R, pain_before=4, note="from the phone"))
    at.run()  # what the live check does when it sees the file change
    (notice,) = [i for i in at.info if "another device" in i.value]
    assert "pain 4 → –" in plain(notice.value) and "from the phone" in plain(notice.value)
    assert at.text_area(key=f"hd-note:{SUFFIX}").value == ""  # the form is left alone
    button(at, "Load them").click().run()
    assert at.segmented_control(key=f"hd-before:{SUFFIX}").value == 4
    assert at.text_area(key=f"hd-note:{SUFFIX}").value == "from the phone"
    assert not [i for i in at.info if "another device" in i.value]


def test_saving_over_details_saved_elsewhere_asks_first_and_shows_both(app_page, data_dir):
    at = opened(app_page())
    at.text_area(key=f"hd-note:{SUFFIX}").input("from the laptop")  # typed, not saved yet
    theirs = SessionDetails(DAY, R, pain_before=4, note="from the phone")
    SessionLog(data_dir).save(theirs)
    button(at, "Save details").click().run()
    assert SessionLog(data_dir).details(DAY, R) == theirs  # not overwritten
    (warning,) = [w for w in at.warning if "another device" in w.value]
    assert "from the phone" in plain(warning.value) and "from the laptop" in plain(warning.value)
    button(at, "Save mine").click().run()
    assert SessionLog(data_dir).details(DAY, R).note == "from the laptop"
    assert not [w for w in at.warning if "another device" in w.value]


def test_keep_theirs_loads_the_other_devices_details(app_page, data_dir):
    at = opened(app_page())
    at.text_area(key=f"hd-note:{SUFFIX}").input("mine")
    SessionLog(data_dir).save(SessionDetails(DAY, R, note="theirs"))
    button(at, "Save details").click().run()
    button(at, "Keep theirs").click().run()
    assert at.text_area(key=f"hd-note:{SUFFIX}").value == "theirs"
    assert SessionLog(data_dir).details(DAY, R).note == "theirs"


def test_details_of_another_day_are_that_days(app_page, data_dir):
    SessionLog(data_dir).save(SessionDetails(date(2026, 11, 20), R, pain_before=8))
    at = opened(app_page())
    assert at.segmented_control(key=f"hd-before:{SUFFIX}").value is None
    cards.choose_day(at, date(2026, 11, 20))
    assert at.segmented_control(key=f"hd-before:{R}:2026-11-20").value == 8


def test_a_day_can_be_marked_sick_and_cleared(app_page, data_dir):
    at = opened(app_page())
    button(at, "Save").click().run()  # no kind chosen, the day not marked: nothing to save
    assert [w.value for w in at.warning] == [
        "Choose rest, sick or travel first: nothing was saved."
    ]
    assert not (data_dir / "days.csv").exists() and not at.success
    form_kind = [s for s in at.segmented_control if s.label == "This day is a"][0]
    form_kind.set_value("sick")
    [t for t in at.text_input if t.label == "Reason (optional)"][0].input("flu")
    button(at, "Save").click().run()
    assert not at.exception
    assert SessionLog(data_dir).day_marks() == {DAY: DayMark(DAY, "sick", "flu")}
    assert [s.value for s in at.success] == ["Saved: Tue 24 Nov is a sick day."]  # by Save
    (banner,) = [i for i in at.info if "Sick day" in i.value]
    assert "flu" in banner.value
    assert at.main.children[banner_index(at, banner)] is not None

    [s for s in at.segmented_control if s.label == "This day is a"][0].set_value(None)
    button(at, "Save").click().run()
    assert SessionLog(data_dir).day_marks() == {}
    assert not any("Sick day" in i.value for i in at.info)
    assert [s.value for s in at.success] == ["Saved: Tue 24 Nov is no longer marked off."]
    at.run()
    assert not at.success  # said once


def banner_index(at, banner) -> int:
    """Where the banner is among the page's top-level elements: above the cards."""
    top = list(at.main.children.values())
    position = next(i for i, node in enumerate(top) if banner in list(_walk(node)))
    cards_at = next(
        i
        for i, node in enumerate(top)
        if any(getattr(n, "key", None) == keys.TODAY_CARDS for n in _walk(node))
    )
    assert position < cards_at, "the day mark must show at the top, above the cards"
    return position


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def test_a_stop_over_the_same_minutes_says_nothing_new_was_saved(app_page, data_dir):
    """Reproduction: a short stopwatch on a session with 1 min saved said "Session time
    saved: 1 min", though nothing was written."""
    SessionLog(data_dir).save(SessionDetails(DAY, R, minutes=1))
    started_ago(data_dir, 0.1)
    at = opened(app_page())
    cards.press_timer(at)
    assert not at.warning and SessionLog(data_dir).details(DAY, R).minutes == 1
    assert appstate.read(data_dir).started(R, DAY) is None
    said = cards.data(at)["message"]
    assert said == {"kind": "info", "text": "⏱️ Timer stopped: 1 min, as saved already"}
