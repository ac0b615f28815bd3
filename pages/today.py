"""Today: tick off a session of a routine; every tick is saved at once."""

import streamlit as st

from hipdash import config, ui
from hipdash.ui import follow_view, live, session, today_view

ui.page_setup("Today")
notes = follow_view.by_themselves()  # a note set to apply by itself, before its routine is read
routines = ui.require_routines()
today = config.today()
routine = ui.routine_picker(routines)
live.seen_now()
follow_view.today_line(routine.id, notes)
day = ui.linked_date(today)
if st.query_params.get("guided") == "1":  # a link to the guided session of this day
    st.switch_page(ui.GUIDED, query_params=ui.guided_params(routine, day))
ui.past_day_banner(day, today)
log = ui.open_log()
sessions = ui.open_sessions()
session.day_mark_banner(sessions, day)
session.minutes_choice(sessions, routine, day)  # after a Stop over other saved minutes
# The title, date, start buttons and cards: one browser component (hipdash/ui/today_top.py).
today_view.session_view(
    log, sessions, routine, day, today, sessions.day_marks(), ui.is_example(routine)
)
session.after_session(sessions, routine, day)
live.watch()
