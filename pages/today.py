"""Today: tick off a session of a routine; every tick is saved at once."""

import streamlit as st

from hipdash import config, ui
from hipdash.ui import cards, session

ui.page_setup("Today")
routines = ui.require_routines()
today = config.today()
routine = ui.routine_picker(routines)
st.header(ui.md_escape(routine.title), anchor=False)
st.caption(ui.schedule_text(routine))
ui.routine_links(routine)
day = ui.session_date_picker(today)
log = ui.open_log()
sessions = ui.open_sessions()
session.timer(sessions, routine, day)
cards.session_view(log, routine, day)
st.subheader("After the session", anchor=False)
session.details(sessions, routine, day)
session.day_mark(sessions, day)
