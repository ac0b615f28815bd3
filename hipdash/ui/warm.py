"""What the first page after a server start would otherwise build in its own request, built
when the server starts instead, before it answers: Today's reads and Progress's.

A first page used to take twice as long as any later one (docs/performance.md): reading the
whole log (~0.7 s at 100,000 rows), the routines, Streamlit's emoji table (its page icon
check) and its once-per-process check for a REPL, and on Progress importing Altair and
building the chart specs. All of it is kept per process (the store's parsed records and
day tables, `lru_cache`s, imported modules), so the first request finds it done. None of it
runs beside the first page: Progress's part (~0.3 s, most of it importing Altair) in a
thread of its own held the interpreter while the first page's requests and script run
waited, and Today opened in 1.2-1.6x the time of a later open; built before the server
answers, 0.9-1.4x, median 1.0. Only reads: a page still merges sync copies, shows problems
and writes for itself, and anything that fails here is left for the page to meet and report.
"""

from __future__ import annotations

import contextlib

from hipdash import config


def today() -> list:
    """Today's reads and modules (the page a phone opens), in the caller's thread; the
    routines read, or none if reading failed (the page will say why)."""
    with contextlib.suppress(Exception):
        return _today()
    return []


def progress(routines: list) -> None:
    with contextlib.suppress(Exception):
        _progress(routines)


def warm() -> None:
    """Both parts, in the caller's thread."""
    progress(today())


def _today() -> list:
    from streamlit import delta_generator, string_util

    from hipdash import ui
    from hipdash.log import CheckoffLog
    from hipdash.sessions import SessionLog
    from hipdash.ui import follow_view, live, session, today_view  # noqa: F401  (its modules)

    string_util.is_emoji("🦵")  # compiles Streamlit's emoji table, for the page icon
    # The first element drawn in the process checks, once, whether it runs in a REPL: an
    # `inspect.stack()` that stats every imported module's file (~0.1-0.3 s).
    getattr(delta_generator, "_maybe_print_use_warning", lambda: None)()
    routines = list(ui.library().active)  # into the cache the first page reads
    log = CheckoffLog(config.checkoffs_path())
    log.snapshot()
    sessions = SessionLog(config.data_dir())
    sessions.snapshots()
    for routine in routines:
        log.day_states(routine.id)
        today_view.routine_data(routine)
    return routines


def _progress(routines: list) -> None:
    from hipdash import stats
    from hipdash.log import CheckoffLog
    from hipdash.sessions import SessionLog
    from hipdash.ui import progress  # Altair and the chart modules

    if not routines:
        return
    routine = routines[0]
    sessions = SessionLog(config.data_dir())
    marks = {day: mark.label for day, mark in sessions.day_marks().items()}
    sessions.details_frame(routine.id)
    states = CheckoffLog(config.checkoffs_path()).day_states(routine.id)
    shown = stats.progress(states, routine, config.today(), config.session_share(), marks)
    if shown.summary.days_logged:
        progress.weekly_drawn(shown, stats.RANGES[progress.DEFAULT_RANGE])
