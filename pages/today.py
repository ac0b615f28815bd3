"""Today: tick off a session of a routine; every tick is saved at once."""

import streamlit as st

from hipdash import config, ui
from hipdash.ui import cards

ui.page_setup("Today")
routines = ui.require_routines()
today = config.today()
routine = ui.routine_picker(routines)
st.header(ui.md_escape(routine.title), anchor=False)
st.caption(ui.schedule_text(routine))
day = st.date_input("Session date", value=today, max_value=today, key="hd_day", format="YYYY-MM-DD")
log = ui.open_log()
cards.session_view(log, routine, day)
