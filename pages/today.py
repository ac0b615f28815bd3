"""Today: tick off a session of a routine; every tick is saved at once."""

import streamlit as st

from hipdash import config, ui
from hipdash.ui import cards, live, session

ui.page_setup("Today")
routines = ui.require_routines()
today = config.today()
routine = ui.routine_picker(routines)
live.seen_now()
st.header(ui.md_escape(routine.title), anchor=False)
ui.routine_links(routine)
st.caption(ui.schedule_text(routine))
day = ui.session_date_picker(today)
if st.query_params.get("guided") == "1":  # a link to the guided session of this day
    st.switch_page(ui.GUIDED, query_params=ui.guided_params(routine, day))
ui.past_day_banner(day, today)
log = ui.open_log()
sessions = ui.open_sessions()
session.day_mark_banner(sessions, day)
with st.container(horizontal=True, key="hd-session-start", vertical_alignment="center"):
    ui.guided_button(routine, day)
    started = session.stopwatch(sessions, routine, day)
marked = sessions.day_marks()
cards.session_view(log, routine, day, today, marked, started and started.timestamp() * 1000)
session.after_session(sessions, routine, day)
live.watch()
