"""The guided session: one exercise at a time, its sets timed, then a clear finish.
Opened from Today, or by a link: `/guided?routine=ID&date=YYYY-MM-DD`."""

from hipdash import config, ui
from hipdash.ui import guided, live

ui.page_setup("Guided session")
routines = ui.require_routines()
today = config.today()
routine = ui.routine_picker(routines)
live.seen_now()
day = ui.linked_date(today)
ui.past_day_banner(day, today)
log = ui.open_log()
sessions = ui.open_sessions()
guided.view(log, sessions, routine, day, today)
live.watch()
