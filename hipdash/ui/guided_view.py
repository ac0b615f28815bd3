"""The guided view: one exercise per screen, run hands-free by the browser (`runner`: the
phases timed, spoken and moved on), how it felt, and a finish with the numbers, what was
left undone and the session's details.

Every tick goes through the same rules as Today (`hipdash.changes`: on the log as it is
now, under its lock), so leaving halfway loses nothing; opening the view again resumes
at the screen shown last.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from hipdash import appstate, config, explain, guided_stops, script
from hipdash.feelings import FEELINGS, LABELS, FeelingLog
from hipdash.log import CheckoffLog
from hipdash.markup import md_escape, md_links, md_list
from hipdash.models import Routine
from hipdash.services import day as day_service
from hipdash.sessions import SessionLog
from hipdash.store import StoreWriteError
from hipdash.ui import guided_params, keys, runner, session
from hipdash.ui.preview import details_text, video_player
from hipdash.words import plural


@st.fragment
def view(log: CheckoffLog, sessions: SessionLog, routine: Routine, day: date, today: date) -> None:
    """The exercise the session is at, or the finish. A fragment: an action reruns only
    this (and the whole page when the routine itself changed)."""
    if runner.reload_wanted(routine, day):
        st.rerun(scope="app")
    all_stops = guided_stops.stops(routine)
    state = log.day_state(day, routine.id)
    index, place = runner.where(routine, day, all_stops, state)
    said = runner.said(routine, day)
    if said and said[0] == "error":
        st.error(md_escape(said[1]), icon="❌")
    elif said:
        st.toast(md_escape(said[1]), icon=said[2])
    if index >= len(all_stops):
        finish(log, sessions, routine, day, today, state, place)
    else:
        exercise(runner.Screen(log, sessions, routine, day, all_stops, index, place, state))


def back_to_today(routine: Routine, day: date) -> None:
    """The way back to this day on Today: not "✅ Today" as in the nav bar above it, which
    opens today's date."""
    st.page_link(
        "pages/today.py",
        label="Back to Today",
        icon=":material/arrow_back:",
        query_params=guided_params(routine, day),
    )


def exercise(screen: runner.Screen) -> None:
    stop, routine, day = screen.stop, screen.routine, screen.day
    done = stop.done(screen.state)
    with st.container(key=keys.GUIDED_HEAD, horizontal=True, vertical_alignment="center"):
        back_to_today(routine, day)
        st.markdown(f"{md_escape(stop.position)}" + (" · ✓ done" if done else ""))
    st.subheader(md_escape(stop.exercise.title), anchor=False)
    details = details_text(stop.exercise)
    if details or not stop.exercise.dose_stated:  # its line kept: a dose given moves nothing
        st.caption(md_escape(details or "No dose yet"))
    if stop.exercise.steps:
        st.markdown(
            md_list(" — ".join(filter(None, (s.title, s.notes))) for s in stop.exercise.steps)
        )
    runner.run(screen)
    _feeling(routine, day, stop)
    if stop.exercise.links:
        st.markdown(md_links(stop.exercise.links, beside=stop.exercise.title))
    if stop.exercise.video:
        video_player(stop.exercise.video, key=f"hd-guided-watch:{stop.id}")


def _feeling(routine: Routine, day: date, stop: guided_stops.Stop) -> None:
    """One optional tap: how the exercise felt; saved at once, a second tap clears it."""
    feelings = FeelingLog(config.data_dir())
    key = f"hd-feeling:{routine.id}:{day.isoformat()}:{stop.key}"
    st.session_state[key] = feelings.feeling(day, routine.id, stop.key) or None
    st.segmented_control(
        "How did it feel? (optional)",
        FEELINGS,
        key=key,
        format_func=LABELS.get,
        on_change=_felt,
        args=(feelings, routine, day, stop, key),
    )


def _felt(feelings: FeelingLog, routine: Routine, day: date, stop: guided_stops.Stop, key: str):
    try:
        day_service.feel(
            feelings, day, routine.id, stop.key, st.session_state[key] or "", session.now()
        )
    except (StoreWriteError, ValueError) as exc:
        runner.say(routine, day, "error", f"Not saved — {exc}")


def finish(
    log: CheckoffLog,
    sessions: SessionLog,
    routine: Routine,
    day: date,
    today: date,
    state: dict,
    place: appstate.Place,
) -> None:
    """The end: counted or not, the week, the streak, what was left undone, the details."""
    all_stops = guided_stops.stops(routine)
    marked = sessions.day_marks()
    numbers = guided_stops.finish(
        log.day_states(routine.id), routine, state, day, today, config.session_share(), marked
    )
    with st.container(key=keys.GUIDED_FINISH):
        st.subheader(f"✓ {numbers.verdict}" if numbers.counted else numbers.verdict, anchor=False)
        st.markdown(
            f"**{numbers.done} / {numbers.total}** items done · **{numbers.week}** · streak "
            f"**{plural(numbers.streak, 'week')}** "
            f"({explain.streak(numbers.streak, numbers.week_target)})"
        )
    runner.finish_cue(routine, day, place, script.finish_words(numbers.verdict, numbers.week))
    _undone(routine, day, all_stops, state)
    started = appstate.read(config.data_dir()).started(routine.id, day)
    minutes = appstate.elapsed_minutes(started, session.now()) if started else None
    if started:
        st.button(
            "Stop timer and save the time",
            key="hd-guided-stop",
            on_click=session.stop_and_save,
            args=(sessions, routine, day),
        )
    session.minutes_choice(sessions, routine, day)
    session.details(sessions, routine, day, minutes=minutes, expanded=True)
    with st.container(horizontal=True, key="hd-guided-after"):
        st.button(
            "Back to the last exercise",
            key="hd-guided-review",
            on_click=runner.show,
            args=(routine, day, all_stops, len(all_stops) - 1),
        )
        back_to_today(routine, day)


def _undone(
    routine: Routine, day: date, all_stops: tuple[guided_stops.Stop, ...], state: dict
) -> None:
    """The exercises skipped (not done), each with a way back to it."""
    left = guided_stops.undone(all_stops, state)
    if not left:
        return
    st.markdown(f"**Skipped: {plural(len(left), 'exercise')}**")
    with st.container(key="hd-guided-skipped", horizontal=True, gap="small"):
        for i, stop in left:
            st.button(
                f"Go back to {md_escape(stop.exercise.title)}",
                key=f"hd-guided-goto:{stop.id}",
                on_click=runner.show,
                args=(routine, day, all_stops, i),
            )
