"""The Progress page's sections: tiles, range, then one per tab (weeks, calendar, exercises,
pain, history), and downloads.

Every number comes from `hipdash.stats`, every chart from `hipdash.charts`; this module
only lays them out. Routine titles are escaped: they come from a note.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from hipdash import backup, charts, config, stats
from hipdash.feelings import Recent
from hipdash.sessions import SessionLog
from hipdash.sharing import ics, phone, report
from hipdash.stats import Progress
from hipdash.text import md_escape, plural
from hipdash.ui import keys

TABS = ("Weeks", "Calendar", "Exercises", "Pain", "History")
# Narrow enough that a phone shows Date to Min at once; a note wraps in its own column.
NOTE_FITS = 44  # characters of a note that fit its column on one line
WRAP_ROW = 66  # px: over 64, Streamlit wraps the text in a cell (three lines of a note)
HISTORY_COLUMNS = {
    "Date": st.column_config.DateColumn("Date", format="ddd D MMM YY", width=104),
    "Done": st.column_config.TextColumn("Done", width=56),
    "Session": st.column_config.CheckboxColumn("✓", help="Counted as a session", width=32),
    "No longer in routine": st.column_config.NumberColumn(
        "Other", help="Done items that are no longer in the routine", width=48
    ),
    "Pain": st.column_config.TextColumn("Pain", help="Before → after (0–10)", width=56),
    "Minutes": st.column_config.NumberColumn("Min", help="Minutes the session took", width=40),
    "Note": st.column_config.TextColumn("Note", width=300),
    "Marked": st.column_config.TextColumn("Day off", width=100),
}


def empty_state(title: str) -> None:
    """What a new person sees instead of empty charts: where to start."""
    st.info(
        f"Nothing logged for **{md_escape(title)}** yet. Tick the exercises of a session on "
        "**Today**: each tick is saved at once, and your weeks, streaks and calendar show "
        "up here.",
        icon="👋",
    )
    st.page_link("pages/today.py", label="Go to Today", icon="✅")


def tiles(progress: Progress) -> None:
    s = progress.summary
    shown = [
        (
            "This week",
            f"{s.this_week} / {s.target}",
            "Sessions this week (Monday to Sunday) against its target: the routine's, "
            "lowered by one for each day marked rest, sick or travel.",
        ),
        (
            "Streak",
            plural(s.current_streak, "week"),
            "The current streak: weeks in a row that met the target, up to last week; "
            "this week counts once it meets the target.",
        ),
        (
            "Best streak",
            plural(s.best_streak, "week"),
            "The longest run of weeks that met the target.",
        ),
        ("Last 4 weeks", s.last_4_weeks, "Sessions in the 28 days up to and including today."),
        ("Total", s.total, "Sessions ever logged."),
    ]
    with st.container(horizontal=True, key=keys.TILES, gap="small"):
        for label, value, explained in shown:
            st.metric(label, value, help=explained, border=True)


def range_picker() -> int | None:
    """12 / 26 / 52 weeks or all time, for every tab but the calendar (always 26 weeks)."""
    label = st.segmented_control(
        "Range",
        list(stats.RANGES),
        default="12 weeks",
        required=True,
        key=keys.PROGRESS_RANGE,
        label_visibility="collapsed",
    )
    return stats.RANGES[label or "12 weeks"]


def weekly(progress: Progress, range_weeks: int | None) -> None:
    """Sessions per week over the range, against each week's target."""
    weeks = progress.weeks_in(range_weeks)
    st.markdown(f"**{stats.session_adherence(weeks).text}** in {plural(len(weeks), 'week')}")
    st.vega_lite_chart(spec=charts.weekly_spec(weeks), width="stretch")
    st.caption(
        f"Sessions per week, Monday to Sunday. The dashed line is each week's target: "
        f"{progress.routine.schedule.sessions_per_week}, less one for each day marked rest, "
        f"sick or travel (on Today); a week with every training day marked off is excused "
        f"and keeps your streak. A day counts as a session when at least {progress.share:.0%} "
        "of the exercises are done; this week plans only what it has done until it is over."
    )


def calendar(progress: Progress, marks: dict[date, str]) -> None:
    cells = stats.heatmap_cells(progress.days, progress.today, marks=marks)
    st.vega_lite_chart(spec=charts.heatmap_spec(cells), width="stretch")
    st.caption(
        f"The last {stats.HEATMAP_WEEKS} weeks, whatever the range above. Darker = more of "
        "the routine done; outlined days counted as a session; light blue = marked rest, "
        "sick or travel; grey = nothing logged."
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _pain_spec(
    version: tuple, today: date, range_weeks: int | None, _details: pd.DataFrame
) -> dict | None:
    # Keyed on the details file's version (not the log's): a tick does not change it, so
    # Progress after a tick reuses the chart; a new score makes a new one.
    scored = stats.in_range(_details, "session_date", today, range_weeks)
    scored = scored[scored["pain_before"].notna() | scored["pain_after"].notna()]
    return None if scored.empty else charts.pain_spec(scored)


def pain(sessions: SessionLog, routine_id: str, today: date, range_weeks: int | None) -> None:
    """Pain before and after sessions over the range, when any was recorded."""
    version = (*sessions.details_version(), routine_id)
    details = sessions.details_frame(routine_id)
    spec = _pain_spec(version, today, range_weeks, details)
    if spec is None:
        st.caption(
            "No pain scores in this range. Note pain before and after a session under "
            "*Session details* on Today, and they are charted here."
        )
        return
    in_range = stats.in_range(details, "session_date", today, range_weeks)
    st.markdown(f"**{stats.pain_summary(in_range).text}**")
    st.vega_lite_chart(spec=spec, width="stretch")
    st.caption("Pain before and after each session (0 = none, 10 = worst), as you noted it.")


def exercises(progress: Progress, range_weeks: int | None, felt: dict[str, Recent]) -> None:
    """Each item's share of the range's sessions, with how its exercise felt lately."""
    table = stats.adherence(progress.states, progress.routine, progress.days_in(range_weeks))
    sessions = int(table["sessions"].iloc[0]) if len(table) else 0
    if not sessions:
        st.caption("No sessions in this range yet.")
        return
    st.caption(
        f"In how many of the {plural(sessions, 'session')} in this range each exercise was "
        "done, the most skipped first, and how it felt in its last sessions where you noted it."
    )
    steps = {item.key: item.step is not None for item in progress.routine.items()}
    with st.container(key="hd-adherence", gap="small"):
        for row in table.itertuples():
            gone = "" if row.current else " (no longer in the routine)"
            text = f"{md_escape(row.title)}{gone} — **{row.done} / {row.sessions}**"
            recent = felt.get(stats.exercise_key(row.item))
            if recent and recent.summary:
                whole = "the whole exercise: " if steps.get(row.item) else ""
                text += f" · *{whole}{md_escape(recent.summary)}*"
            st.progress(float(row.share), text=text)


def recent_history(
    progress: Progress,
    range_weeks: int | None,
    details: pd.DataFrame,
    marks: dict[date, str],
) -> None:
    """Days with their ticks, details and marks; selecting one opens it on Today."""
    start = stats.range_start(progress.today, range_weeks)
    table = stats.history(
        progress.days_in(range_weeks),
        stats.in_range(details, "session_date", progress.today, range_weeks),
        {d: label for d, label in marks.items() if start is None or d >= start},
    )
    st.caption("Select a day to open it on Today and change its ticks or details.")
    optional = ("No longer in routine", "Pain", "Minutes", "Note", "Marked")
    shown = [c for c in optional if table[c].fillna(0).astype(bool).any()]
    long_note = table["Note"].fillna("").str.len().max() > NOTE_FITS if len(table) else False
    row = WRAP_ROW if long_note else 35
    event = st.dataframe(
        table,
        hide_index=True,
        height=min(row * len(table) + 38, 420),
        row_height=row,
        column_order=["Date", "Done", "Session", *shown],
        column_config=HISTORY_COLUMNS,
        placeholder="",
        on_select="rerun",
        selection_mode="single-row",
        key="hd-history",
    )
    st.download_button(
        "History (CSV)",
        lambda: stats.csv_text(table),
        file_name=f"{progress.routine.id}-history.csv",
        mime="text/csv",
        on_click="ignore",
        icon="⬇️",
        help="These rows as a spreadsheet file; a note that looks like a formula stays text.",
    )
    rows = event.selection.rows if event else []
    if rows:
        day = table["Date"].iloc[rows[0]]
        query = {"date": day.isoformat(), "routine": progress.routine.id}
        st.switch_page("pages/today.py", query_params=query)


def downloads(progress: Progress, log_path: Path, data_dir: Path, range_weeks: int | None) -> None:
    """Every file is made when clicked (deferred), so it holds the data as it is then; the
    raw log is offered only when there is one (Progress also shows with only marked days)."""
    st.subheader("Download and share", anchor=False)
    rid = progress.routine.id
    with st.container(horizontal=True, gap="small"):
        if log_path.is_file():
            st.download_button(
                "Check-off log (CSV)",
                lambda: backup.export_file(log_path),
                file_name="checkoffs.csv",
                mime="text/csv",
                on_click="ignore",
                icon="⬇️",
                help="The log file as it is on disk: every tick and un-tick, all routines "
                "(lines that cannot be read are left out).",
            )
        st.download_button(
            "Per-day summary (CSV)",
            lambda: stats.days_csv(progress.days, rid),
            file_name=f"{rid}-days.csv",
            mime="text/csv",
            on_click="ignore",
            icon="⬇️",
            help="One row per logged day: done, total, share and whether it was a session.",
        )
        st.download_button(
            "All data (backup .zip)",
            lambda: backup.make_backup(data_dir),
            file_name=f"hipdash-backup-{progress.today.isoformat()}.zip",
            mime="application/zip",
            on_click="ignore",
            icon="💾",
            help="All your data (ticks, session details, marked days, how exercises felt, "
            "your routines) in one zip; the Backup page puts it back.",
        )
        share_buttons(progress, range_weeks, data_dir)


def share_buttons(progress: Progress, range_weeks: int | None, data_dir: Path) -> None:
    """The physio's report (of the range shown) and the plan for the phone's calendar, both
    made when clicked from the files as they are then."""
    routine, today, share = progress.routine, progress.today, progress.share
    start, end = report.whole_weeks(today, range_weeks)
    days = ics.default_days(routine.schedule.sessions_per_week)
    when = ", ".join(ics.WEEKDAYS[d].title() for d in days)
    base = f"http://localhost:{st.get_option('server.port')}"
    st.download_button(
        "Report for my physio",
        lambda: report.build(data_dir, routine, today, share, start, end).encode(),
        file_name=f"{routine.id}-report-{today.isoformat()}.html",
        mime="text/html",
        on_click="ignore",
        icon="🩺",
        help="One printable page or two (HTML, opens in any browser) for the range shown: "
        "sessions against the target, adherence, streaks, each exercise, pain and notes.",
    )
    st.download_button(
        "Plan for my calendar (.ics)",
        lambda: ics.plan(routine, days, ics.DEFAULT_TIME, today, base),
        file_name=f"{routine.id}-plan.ics",
        mime="text/calendar",
        on_click="ignore",
        icon="📅",
        help=f"Weekly events {when} at {ics.DEFAULT_TIME:%H:%M} for your phone's calendar, "
        "which then reminds you. Other days or time: `python -m hipdash calendar "
        "--days mon,thu --time 07:30 --out plan.ics`.",
    )


def phone_panel() -> None:
    """How to open hipdash on the phone (shown at desktop width only, see style.css); the
    address and QR code are worked out only while the panel is open."""
    panel = st.expander("📱 Open on your phone", key=keys.PHONE, on_change="rerun")
    if not panel.open:
        return
    found = phone.access(
        st.get_option("server.address"),
        st.get_option("server.port"),
        bool(config.passcode()),
        allowed_hosts=st.get_option("server.allowedHosts"),
    )
    with panel:
        if found.url:
            st.html(
                f'<img class="hd-qr" src="{phone.qr_image(found.url)}" '
                f'alt="QR code of {found.url}" width="205" height="205">'
            )
            st.code(found.url, language=None)
        st.markdown(found.message)
        if found.command:
            st.code(found.command, language="bash")
