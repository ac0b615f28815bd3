"""The routine's plan as an iCalendar file, so the phone's own calendar gives the reminder.

One weekly recurring event per planned weekday (made with the `icalendar` library), titled
with the routine, as long as its minutes (or the minutes asked for). An event links back to
the routine in the app only when given an address the phone can open (the computer's LAN
address, once hipdash is set up for the phone): `localhost` on a phone is the phone itself,
a dead link. Times are floating (no time zone): 18:00 stays 18:00 wherever the phone is.
Each event's UID is the routine and weekday, so importing a changed plan again updates the
events instead of adding more.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import quote

from icalendar import Alarm, Calendar, Event

from hipdash.models import Routine

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NAMES = {name: i for i, names in enumerate(zip(WEEKDAYS, _FULL, strict=True)) for name in names}
DEFAULT_TIME = time(18, 0)
DEFAULT_MINUTES = 30  # when the routine does not say how long it takes
MAX_MINUTES = 240


def default_days(sessions_per_week: int) -> tuple[int, ...]:
    """Weekdays (0 = Monday) spread over the week: 2 -> Mon, Thu; 3 -> Mon, Wed, Fri."""
    n = max(1, min(7, sessions_per_week))
    return tuple(i * 7 // n for i in range(n))


def parse_days(text: str) -> tuple[int, ...]:
    """'mon,wed,fri' (or full names) -> (0, 2, 4); raises ValueError naming a wrong word."""
    days = set()
    for word in filter(None, text.lower().replace(" ", "").split(",")):
        if word not in _NAMES:
            raise ValueError(f"{word!r} is not a weekday (use {','.join(WEEKDAYS)})")
        days.add(_NAMES[word])
    if not days:
        raise ValueError("no weekdays given")
    return tuple(sorted(days))


def parse_time(text: str) -> time:
    """'18:00' or '7:30' -> a time; raises ValueError."""
    hours, _, minutes = text.strip().partition(":")
    return time(int(hours), int(minutes or 0))


def routine_url(routine: Routine, base: str) -> str:
    return f"{base.rstrip('/')}/?routine={quote(routine.id)}"


def plan(
    routine: Routine,
    days: tuple[int, ...],
    at: time,
    today: date,
    base_url: str | None = None,
    now: datetime | None = None,
    minutes: int | None = None,
) -> bytes:
    """The .ics file: one weekly event per day in `days`, each from its first date on or
    after `today`, `minutes` long (default: the routine's), linking to `base_url` (an
    address the phone can open) or to nothing."""
    title = " ".join(routine.title.split())  # one line, whatever the routine file holds
    cal = Calendar()
    cal.add("prodid", "-//hipdash//routine plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", title)
    minutes = minutes or routine.schedule.minutes or DEFAULT_MINUTES
    url = routine_url(routine, base_url) if base_url else None
    stamp = now or datetime.now(UTC)
    for day in days:
        first = today + timedelta(days=(day - today.weekday()) % 7)
        event = Event()
        event.add("uid", f"{routine.id}-{WEEKDAYS[day]}@hipdash")
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.combine(first, at))
        event.add("duration", timedelta(minutes=minutes))
        event.add("rrule", {"freq": "weekly", "byday": BYDAY[day]})
        event.add("summary", title)
        tick = f"Tick it off in hipdash: {url}" if url else "Tick it off in hipdash."
        event.add("description", f"{routine.schedule.summary}\n{tick}")
        if url:
            event.add("url", url)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", title)
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
