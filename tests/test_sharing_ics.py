"""The plan as an iCalendar file: it parses with icalendar, and its weekly rules give the
routine's sessions a week (or the days asked for)."""

import json
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from hipdash.__main__ import main
from hipdash.sharing import ics

from .conftest import VALID

TODAY = date(2026, 11, 24)  # a Tuesday
R1 = "hip-therapy-routine-1"


def events(data: bytes) -> list:
    return [c for c in Calendar.from_ical(data).walk() if c.name == "VEVENT"]


def weekly_days(data: bytes) -> list[str]:
    days = []
    for event in events(data):
        rule = event["RRULE"]
        assert rule["FREQ"] == ["WEEKLY"]
        days += rule["BYDAY"]
    return days


@pytest.mark.parametrize("per_week", [1, 2, 3, 4, 5, 7])
def test_one_weekly_event_per_planned_session(routine1, per_week):
    routine = replace(routine1, schedule=replace(routine1.schedule, sessions_per_week=per_week))
    data = ics.plan(routine, ics.default_days(per_week), ics.DEFAULT_TIME, TODAY)
    days = weekly_days(data)
    assert len(days) == len(set(days)) == per_week
    for event in events(data):
        start = event.decoded("DTSTART")
        assert start.time() == time(18, 0) and start.tzinfo is None  # floating: phone's time
        assert TODAY <= start.date() < TODAY + timedelta(days=7)
        assert ics.BYDAY[start.weekday()] == event["RRULE"]["BYDAY"][0]
        assert event.decoded("DURATION") == timedelta(minutes=30)  # the routine's minutes
        assert str(event["SUMMARY"]) == routine1.title
        assert "URL" not in event  # no address given: no link (localhost is the phone itself)
        assert "http" not in str(event["DESCRIPTION"])
        assert any(c.name == "VALARM" for c in event.walk())
    assert b"localhost" not in data


def test_a_link_to_the_address_given_and_the_minutes_asked_for(routine1):
    lan = "http://192.168.1.20:8501"
    data = ics.plan(routine1, (0,), ics.DEFAULT_TIME, TODAY, lan, minutes=45)
    (event,) = events(data)
    assert str(event["URL"]) == f"{lan}/?routine=hip-therapy-routine-1"
    assert str(event["DESCRIPTION"]).endswith(
        f"Tick it off in hipdash: {lan}/?routine=hip-therapy-routine-1"
    )
    assert event.decoded("DURATION") == timedelta(minutes=45)


def test_the_days_and_time_asked_for(routine1):
    data = ics.plan(routine1, ics.parse_days("tue, Saturday"), time(7, 30), TODAY)
    assert weekly_days(data) == ["TU", "SA"]
    starts = sorted(e.decoded("DTSTART") for e in events(data))
    assert starts == [datetime(2026, 11, 24, 7, 30), datetime(2026, 11, 28, 7, 30)]
    uids = {str(e["UID"]) for e in events(data)}
    assert uids == {"hip-therapy-routine-1-tue@hipdash", "hip-therapy-routine-1-sat@hipdash"}


@pytest.mark.parametrize("bad", ["mon,funday", "", ",", "1,2"])
def test_wrong_days_are_refused(bad):
    with pytest.raises(ValueError):
        ics.parse_days(bad)


def test_the_calendar_command(tmp_path, capsys):
    out = tmp_path / "plan.ics"
    assert main(["calendar", "--out", str(out)]) == 0
    assert weekly_days(out.read_bytes()) == ["MO", "WE", "FR"]
    assert out.stat().st_mode & 0o777 == 0o600
    assert "every Mon, Wed, Fri at 18:00" in capsys.readouterr().out
    assert main(["calendar", "--out", str(out)]) == 1  # exists, no --force
    args = ["calendar", "--days", "thu", "--time", "6:45", "--out", str(out), "--force"]
    assert main(args) == 0
    (event,) = events(out.read_bytes())
    assert event.decoded("DTSTART").time() == time(6, 45)
    lan = "http://192.168.1.20:8501"
    more = ["--minutes", "20", "--url", lan, "--out", str(out), "--force"]
    assert main(["calendar", *more]) == 0
    assert {str(e["URL"]) for e in events(out.read_bytes())} == {f"{lan}/?routine={R1}"}
    assert {e.decoded("DURATION") for e in events(out.read_bytes())} == {timedelta(minutes=20)}
    for wrong in (["--minutes", "0"], ["--minutes", "999"], ["--url", "javascript:x"]):
        with pytest.raises(SystemExit):
            main(["calendar", *wrong, "--out", str(out), "--force"])
    assert main(["calendar", "--days", "someday", "--out", str(out), "--force"]) == 2
    assert main(["calendar", "--time", "25:00", "--out", str(out), "--force"]) == 2
    assert "not a weekday" in capsys.readouterr().err


@pytest.mark.parametrize(
    "title", ["Hips\rBEGIN:VEVENT\rSUMMARY:x", "Hips\r\nBEGIN:VEVENT", "Hips\x00"]
)
def test_a_title_from_a_routine_file_never_breaks_a_calendar_line(title, tmp_path, monkeypatch):
    """Reproduction: a title with CR wrote bare CRs into X-WR-CALNAME; one with CRLF crashed
    `calendar` with an AssertionError."""
    text = VALID.replace("title: Mini routine", f"title: {json.dumps(title)}", 1)
    (tmp_path / "mini.yaml").write_text(text)
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path))
    out = tmp_path / "plan.ics"
    assert main(["calendar", "--routine", "mini", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert b"\r" not in data.replace(b"\r\n", b"")  # every line ends CRLF, no CR inside one
    assert data.split(b"\r\n").count(b"BEGIN:VEVENT") == len(events(data)) == 3
    assert str(Calendar.from_ical(data)["X-WR-CALNAME"]).startswith("Hips")
