"""The guided session: one exercise at a time, its sets timed, then a clear finish.
Opened from Today, or by a link: `/guided?routine=ID&date=YYYY-MM-DD`.

Unlike Today it does not watch the files for other devices (`live.watch`): every tap
reads the log as it is now, and a second fragment rerunning every 2 s can leave the last
screen's buttons on the finish (see docs/decisions.md)."""

from hipdash import config, ui
from hipdash.ui import guided_view

ui.page_setup("Guided session")
routines = ui.require_routines()
today = config.today()
routine = ui.routine_picker(routines)
day = ui.linked_date(today)
ui.past_day_banner(day, today)
log = ui.open_log()
sessions = ui.open_sessions()
guided_view.view(log, sessions, routine, day, today)
