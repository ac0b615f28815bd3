"""Progress: how consistent you have been, week by week, from the check-off log.

The heading, the figures, the range and the tab bar are one browser component, the
first screen; the rest sits in tabs. The page opens with the open tab
(`?view=History` in the link opens one) computed and drawn alone, quick after years of use;
the other tabs and what is under them (downloads, reminders) follow just after, and a tap
shows a tab in the browser (`view.sections`). The page reruns itself when a data file
changes (`live.watch`), so no tab shows old data.
"""

import streamlit as st

from hipdash import config, stats, ui
from hipdash.ui import live
from hipdash.ui import progress as view

ui.page_setup("Progress")
routines = ui.require_routines()
routine = ui.routine_picker(routines)
# The routine's title is in its picker when there is one: here only its target.
caption = f"{'' if len(routines) > 1 else f'{routine.title} · '}{ui.schedule_text(routine)}"
live.seen_now()  # what the page shows is at least this new (live.watch, the tabs)
log = ui.open_log()
sessions = ui.open_sessions()
marks = {day: mark.label for day, mark in sessions.day_marks().items()}
details = sessions.details_frame(routine.id)
states = log.day_states(routine.id)
progress = stats.progress(states, routine, config.today(), config.session_share(), marks)
if not progress.summary.days_logged and details.empty and not marks:
    st.header("Progress", anchor=False)
    st.caption(ui.md_escape(caption))
    view.empty_state(routine.title)
    st.stop()


def below_the_tabs(range_weeks: int | None) -> None:
    view.downloads(progress, log.path, config.data_dir(), range_weeks)
    view.reminders(progress, routines)
    view.phone_panel()


view.sections(progress, sessions, details, marks, view.top(caption, progress), below=below_the_tabs)
live.watch()  # a tab is shown in the browser: the page itself notices new data
