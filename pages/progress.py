"""Progress: how consistent you have been, week by week, from the check-off log.

The tiles are always shown; the rest sits in tabs of which only the open one is computed
and drawn, so the page stays quick after years of use and short on a phone. A tab switch
reruns the tabs alone (`view.sections`, a fragment). `?view=History` in the link opens a tab.
"""

import streamlit as st

from hipdash import config, stats, ui
from hipdash.ui import live
from hipdash.ui import progress as view

ui.page_setup("Progress")
routines = ui.require_routines()
routine = ui.routine_picker(routines)
st.header("Progress", anchor=False)
# The routine's title is in its picker when there is one: here only its target.
named = "" if len(routines) > 1 else f"{ui.md_escape(routine.title)} · "
st.caption(f"{named}{ui.schedule_text(routine)}")
live.seen_now()  # a tab switch redraws its tab only while these files are unchanged
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
view.sections(progress, sessions, details, marks, range_weeks)
view.downloads(progress, log.path, config.data_dir(), range_weeks)
view.reminders(progress, routines)
view.phone_panel()
