"""Today: tick off a session of a routine; every tick is saved at once."""

import streamlit as st

from hipdash import config, ui
from hipdash.log import CheckoffLog
from hipdash.ui import cards

ui.page_setup("Today")
routines, problems = ui.routines()
ui.show_problems(problems, "Some routine files could not be loaded:")
if not routines:
    st.info(f"No routines found in `{config.routines_dir()}`. Add a routine YAML file there.")
    st.stop()

today = config.today()
routine = ui.routine_picker(routines)
st.header(ui.md_escape(routine.title), anchor=False)
st.caption(ui.schedule_text(routine))
day = st.date_input("Session date", value=today, max_value=today, key="hd_day", format="YYYY-MM-DD")
log = CheckoffLog(config.checkoffs_path())
ui.show_problems(log.snapshot().warnings, "Some log lines could not be read (kept in the file):")
cards.session_view(log, routine, day)
