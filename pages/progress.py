"""Progress: how consistent you have been, week by week, from the check-off log."""

import streamlit as st

from hipdash import config, stats, ui
from hipdash.log import CheckoffLog
from hipdash.ui import progress as view

ui.page_setup("Progress")
routines, problems = ui.routines()
ui.show_problems(problems, "Some routine files could not be loaded:")
if not routines:
    st.info(f"No routines found in `{config.routines_dir()}`. Add a routine YAML file there.")
    st.stop()

routine = ui.routine_picker(routines)
st.header(f"Progress · {ui.md_escape(routine.title)}", anchor=False)
st.caption(ui.schedule_text(routine))
log = CheckoffLog(config.checkoffs_path())
ui.show_problems(log.snapshot().warnings, "Some log lines could not be read (kept in the file):")
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
