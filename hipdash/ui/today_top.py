"""Today's controls around the cards: the routine's title, links and schedule, the session
date, the buttons that start the guided session and the stopwatch, and the "After the
session" button under the cards that opens the page's panel of forms.

They are drawn by the cards' browser component (`today.js`), not as Streamlit widgets:
a phone's browser redraws every Streamlit element of the page on each tick, and these
were about a quarter of a tick (docs/performance.md). What they do is unchanged: a date
in the link, the guided view opened (its first Start or Done starts the stopwatch), the
stopwatch's minutes saved into the session's details, the forms drawn while the panel is open.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import streamlit as st

from hipdash import appstate, config, fields, guided_stops
from hipdash.links import checked_links
from hipdash.models import Routine
from hipdash.services import stopwatch
from hipdash.sessions import SessionLog
from hipdash.store import StoreWriteError
from hipdash.ui import guided_params, keys, runner, schedule_text, session, show_day
from hipdash.ui.tab_state import Here
from hipdash.ui.today_actions import OpenAfter, ShowDay, StartGuided, Stopwatch


def structure(routine: Routine) -> dict:
    """What the top shows of the routine itself: built once per routine, with the cards."""
    return {
        "title": routine.title,
        "links": checked_links(routine.links),
        "schedule": schedule_text(routine),
    }


def state(
    sessions: SessionLog,
    routine: Routine,
    day: date,
    today: date,
    ticked: Mapping[str, bool],
    here: Here,
) -> dict:
    """The day shown, the days the box offers, where the guided session stands, since when
    the stopwatch runs, and the "After the session" panel under the cards: open or not,
    and what is saved."""
    kept = appstate.read(config.data_dir())
    started = kept.started(routine.id, day)
    place = kept.place(routine.id, day)
    begun = not here.first and runner.begun_here(routine, day, place)
    all_stops = guided_stops.stops(routine)
    return {
        "guided_at": guided_at(all_stops, place, ticked, started is not None or begun),
        "guided_done": bool(all_stops) and guided_stops.all_done(all_stops, ticked),
        "after_open": here.after_open,
        "after_saved": session.saved_line(sessions, routine, day),
        "day": day.isoformat(),
        "min_day": fields.FIRST_DAY.isoformat(),  # as a link's date: the days hipdash keeps
        "max_day": today.isoformat(),
        "timer_started": started and started.timestamp() * 1000,
        "timer_since": started and f"{started:%H:%M}",
    }


def act(
    sessions: SessionLog,
    routine: Routine,
    day: date,
    today: date,
    action: ShowDay | OpenAfter | StartGuided | Stopwatch,
) -> tuple[str, str] | None:
    """One action of the top, in the component's callback; what to say, if anything. What
    has to follow (the whole page again, or the guided view) is left for `follow_up`."""
    if isinstance(action, ShowDay):
        if fields.FIRST_DAY <= action.day <= today and action.day != day:
            show_day(action.day, today)
            st.session_state[keys.TODAY_THEN] = ("page", {})
    elif isinstance(action, OpenAfter):  # the panel under the cards, drawn by the next run
        st.session_state[keys.AFTER_OPEN] = action.open
        st.session_state[keys.TODAY_THEN] = ("page", {})
    elif isinstance(action, StartGuided):  # its first Start or Done starts the stopwatch
        st.session_state[keys.GUIDED_GO] = True
        st.session_state[keys.TODAY_THEN] = ("guided", guided_params(routine, day))
    elif isinstance(action, Stopwatch):
        try:
            if action.start:
                stopwatch.start(config.data_dir(), routine.id, day, session.now())
                return None
            told: list[str] = []  # said in the cards: a toast from here is lost in the rerun
            if session.stop_stopwatch(sessions, routine, day, told.append).timed is not None:
                st.session_state[keys.TODAY_THEN] = ("page", {})  # the minutes, or a question
            return ("info", f"⏱️ {told[0]}") if told else None
        except (StoreWriteError, ValueError) as exc:
            return ("error", f"Not saved — {exc}")
    return None


def guided_at(
    all_stops: tuple[guided_stops.Stop, ...],
    place: appstate.Place | None,
    ticked: Mapping[str, bool],
    begun: bool,
) -> str | None:
    """The exercise this day's guided session was left at (its Start goes on there, so it
    reads "Resume at …"); None before one, after its finish, or where a Start would begin
    anyway with nothing begun (`begun`: its stopwatch runs): the page was only opened."""
    if place is None:
        return None
    found = guided_stops.find(all_stops, place.screen)
    if found is None or (not begun and found == guided_stops.first_open(all_stops, ticked)):
        return None
    return all_stops[found].exercise.title


def follow_up() -> dict[str, str] | None:
    """In the fragment's run after an action: rerun the whole page (another day, minutes
    saved), or return the guided view's query, for the cards to open it from the browser.
    Callbacks cannot; the fragment's body can."""
    then = st.session_state.pop(keys.TODAY_THEN, None)
    if not then:
        return None
    where, params = then
    if where == "guided":
        return params
    st.rerun(scope="app")
