"""Progress: how consistent you have been, week by week, from the check-off log.

The tiles are always shown; the rest sits in tabs of which only the open one is computed
and drawn (a tab switch reruns the page), so the page stays quick after years of use and
short on a phone. `?view=History` in the link opens a tab.
"""

import streamlit as st

from hipdash import config, stats, ui
from hipdash.feelings import FeelingLog
from hipdash.ui import progress as view

ui.page_setup("Progress")
routines = ui.require_routines()
routine = ui.routine_picker(routines)
st.header("Progress", anchor=False)
# The routine's title is in its picker when there is one: here only its target.
named = "" if len(routines) > 1 else f"{ui.md_escape(routine.title)} · "
st.caption(f"{named}{ui.schedule_text(routine)}")
log = ui.open_log()
sessions = ui.open_sessions()
marks = {day: mark.label for day, mark in sessions.day_marks().items()}
details = sessions.details_frame(routine.id)
states = log.day_states(routine.id)
progress = stats.progress(states, routine, config.today(), config.session_share(), marks)
if progress.days.empty and details.empty and not marks:
    view.empty_state(routine.title)
    st.stop()

view.tiles(progress)
range_weeks = view.range_picker()
weeks, calendar, exercises, pain, history = st.tabs(view.TABS, key="view", bind="query-params")
if weeks.open:
    with weeks:
        view.weekly(progress, range_weeks)
if calendar.open:
    with calendar:
        view.calendar(progress, marks)
if exercises.open:
    with exercises:
        since = stats.range_start(progress.today, range_weeks)
        felt = FeelingLog(config.data_dir()).recent(routine.id, until=progress.today, since=since)
        view.exercises(progress, range_weeks, felt)
if pain.open:
    with pain:
        view.pain(sessions, routine.id, progress.today, range_weeks)
if history.open:
    with history:
        view.recent_history(progress, range_weeks, details, marks)
view.downloads(progress, log.path, config.data_dir(), range_weeks)
view.reminders(progress, routines)
view.phone_panel()
