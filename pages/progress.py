"""Progress: how consistent you have been, week by week, from the check-off log."""

import streamlit as st

from hipdash import config, stats, ui
from hipdash.ui import progress as view

ui.page_setup("Progress")
routine = ui.routine_picker(ui.require_routines())
st.header(f"Progress · {ui.md_escape(routine.title)}", anchor=False)
st.caption(ui.schedule_text(routine))
log = ui.open_log()
progress = stats.progress(log.frame(), routine, config.today(), config.session_share())
if progress.days.empty:
    view.empty_state(routine.title)
    st.stop()

view.tiles(progress)
range_weeks = view.weekly(progress)
view.calendar(progress)
view.exercises(progress, range_weeks)
view.recent_history(progress, range_weeks)
view.downloads(progress, log.path)
