"""The guided view: one exercise per screen, its sets timed in the browser, Done / Skip /
Back, how it felt, and a finish with the numbers and the session's details.

Done ticks the exercise (all its steps) through the same rules as Today (`hipdash.changes`:
on the log as it is now, under its lock), so leaving halfway loses nothing, and opening the
view again resumes at the first exercise not done.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from hipdash import appstate, changes, config, guided
from hipdash.feelings import FEELINGS, LABELS, FeelingLog
from hipdash.log import CheckoffLog
from hipdash.models import Routine
from hipdash.sessions import SessionLog
from hipdash.store import StoreWriteError
from hipdash.text import md_escape, md_link
from hipdash.ui import cards, session
from hipdash.ui.preview import details_text, video_player
from hipdash.ui.timers import set_runner


def _at_key(routine: Routine, day: date) -> str:
    return f"hd_guided_at:{routine.id}:{day.isoformat()}"


def _message_key(routine: Routine, day: date) -> str:
    return f"hd_guided_said:{routine.id}:{day.isoformat()}"


@st.fragment
def view(log: CheckoffLog, sessions: SessionLog, routine: Routine, day: date, today: date) -> None:
    """The exercise the session is at, or the finish. A fragment: Done, Skip and Back
    rerun only this."""
    all_stops = guided.stops(routine)
    state = log.day_state(day, routine.id)
    at = st.session_state.get(_at_key(routine, day))
    if at is None:  # a fresh visit resumes at the first exercise not done
        at = st.session_state[_at_key(routine, day)] = guided.first_open(all_stops, state)
    said = st.session_state.pop(_message_key(routine, day), None)
    if said:
        st.info(md_escape(said), icon="🔄")
    if at >= len(all_stops):
        finish(log, sessions, routine, day, today, state)
    else:
        exercise(log, routine, day, all_stops[at], state)


def exercise(log: CheckoffLog, routine: Routine, day: date, stop: guided.Stop, state: dict) -> None:
    done = stop.done(state)
    with st.container(key="hd-guided-head", horizontal=True, vertical_alignment="center"):
        st.page_link("pages/today.py", label="List", icon="⬅️", query_params=_link(routine, day))
        st.markdown(f"{md_escape(stop.position)}" + (" · ✅ done" if done else ""))
    st.subheader(md_escape(stop.exercise.title), anchor=False)
    details = details_text(stop.exercise)
    if details:
        st.caption(md_escape(details))
    if stop.exercise.steps:
        st.markdown("\n".join(f"- {md_escape(s.title)}" for s in stop.exercise.steps))
    set_runner(stop.exercise.plan, key=f"{routine.id}:{day.isoformat()}:{stop.key}")
    with st.container(key="hd-guided-buttons", horizontal=True):
        st.button(
            "⬅️ Back",
            key="hd-guided-back",
            on_click=_go,
            args=(routine, day, stop.number - 2),
            disabled=stop.number == 1,
        )
        st.button("Skip ⏭", key="hd-guided-skip", on_click=_go, args=(routine, day, stop.number))
        st.button(
            "✅ Done",
            key="hd-guided-done",
            type="primary",
            on_click=_done,
            args=(log, routine, day, stop, state),
        )
    _feeling(routine, day, stop)
    if stop.exercise.links:
        st.markdown(" · ".join(f"{md_link(ln.title, ln.url)} ↗" for ln in stop.exercise.links))
    if stop.exercise.video:
        video_player(stop.exercise.video, key=f"hd-guided-watch:{stop.key}")


def _link(routine: Routine, day: date) -> dict[str, str]:
    return {"routine": routine.id, "date": day.isoformat()}


def _go(routine: Routine, day: date, index: int) -> None:
    """Go to the exercise at `index` (0-based), named by the screen the button was on, not
    counted from where the session is now: a tap that arrives twice (a double tap, a
    repeated message) moves once."""
    st.session_state[_at_key(routine, day)] = max(0, index)


def _done(log: CheckoffLog, routine: Routine, day: date, stop: guided.Stop, seen: dict) -> None:
    """Tick every item of the exercise (as this screen showed them), then move on."""
    tab = cards.tab_day(routine.id, day)
    try:
        outcome = changes.apply(log, day, routine.id, changes.intents(seen, stop.items, True))
    except StoreWriteError as exc:
        st.session_state[_message_key(routine, day)] = f"Not saved — {exc}"
        return
    cards.remember(routine.id, day, tab, outcome)
    said = cards.said(routine, outcome)
    if said:
        st.session_state[_message_key(routine, day)] = said[1]
    _go(routine, day, stop.number)


def _feeling(routine: Routine, day: date, stop: guided.Stop) -> None:
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


def _felt(feelings: FeelingLog, routine: Routine, day: date, stop: guided.Stop, key: str):
    try:
        feelings.record(day, routine.id, stop.key, st.session_state[key] or "")
    except (StoreWriteError, ValueError) as exc:
        st.session_state[_message_key(routine, day)] = f"Not saved — {exc}"


def finish(
    log: CheckoffLog,
    sessions: SessionLog,
    routine: Routine,
    day: date,
    today: date,
    state: dict,
) -> None:
    """The end: counted or not, the week, the streak, and the session's details."""
    marked = sessions.day_marks()
    numbers = guided.finish(
        log.day_states(routine.id), routine, state, day, today, config.session_share(), marked
    )
    with st.container(key="hd-guided-finish"):
        icon = "🎉" if numbers.counted else "💪"
        st.subheader(f"{icon} {numbers.verdict}", anchor=False)
        st.markdown(
            f"**{numbers.done} / {numbers.total}** done · **{numbers.week}** · "
            f"streak **{numbers.streak} week{'s' if numbers.streak != 1 else ''}**"
        )
    started = appstate.read(config.data_dir()).started(routine.id, day)
    minutes = appstate.elapsed_minutes(started, session.now()) if started else None
    if started:
        st.button(
            "⏹️ Stop timer and save the time",
            key="hd-guided-stop",
            on_click=session.stop_and_save,
            args=(sessions, routine, day),
        )
    session.minutes_choice(sessions, routine, day)
    session.details(sessions, routine, day, minutes=minutes, expanded=True)
    with st.container(horizontal=True, key="hd-guided-after"):
        st.button(
            "⬅️ Back to the last exercise",
            key="hd-guided-review",
            on_click=_go,
            args=(routine, day, len(guided.stops(routine)) - 1),
        )
        st.page_link("pages/today.py", label="Today", icon="✅", query_params=_link(routine, day))
