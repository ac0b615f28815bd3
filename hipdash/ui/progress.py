"""The Progress page's sections: tiles, range, then one per tab (weeks, calendar, exercises,
pain, history), and downloads.

Every number comes from `hipdash.stats`, every chart from `hipdash.charts`; this module
only lays them out. Routine titles are escaped: they come from a note.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st
from streamlit import dataframe_util

from hipdash import backup, charts, config, datafiles, explain, stats
from hipdash.feelings import FeelingLog, Recent
from hipdash.markup import md_escape
from hipdash.models import Routine
from hipdash.sessions import SessionLog
from hipdash.sharing import ics, phone, report
from hipdash.stats import Progress
from hipdash.ui import PROGRESS, TODAY, backup_view, go_to, keys, live
from hipdash.words import plural

TABS = ("Weeks", "Calendar", "Exercises", "Pain", "History")
# Narrow enough that a phone (358 px inside the page) shows every column at once: a day
# off is said in the ✓ column (a day is a session, a day off, or neither); notes, the
# days' reasons and done items no longer in the routine (rare: a routine changed) are
# listed whole under the table (a cell would cut them). No column has a hover tooltip:
# the caption says each.
ROW_PX = 44
HISTORY_COLUMNS = {
    "Date": st.column_config.DateColumn("Date", format="ddd D MMM YY", width=104),
    "Done": st.column_config.TextColumn("Done", width=56),
    "Session": st.column_config.TextColumn("✓", width=64),  # text: not a box to tick
    "Pain": st.column_config.TextColumn("Pain", width=56),
    "Minutes": st.column_config.NumberColumn("Min", width=40),
}
COLUMN_MEANS = {
    "Session": "✓ counted as a session, or the day was marked rest, sick or travel",
    "Pain": "Pain: before → after, 0 (none) to 10",
    "Minutes": "Min: minutes the session took",
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


def top(caption: str, progress: Progress) -> dict:
    """What the tab bar (tabs.js) draws above the range: the page's heading, its caption and
    the figures, each with a line saying what it counts (nothing needs a hover), small
    enough that a phone shows the weekly chart on its first screen. Drawn by the bar, not
    as Streamlit elements of their own: a heading, a caption and an HTML element cost a
    phone 0.1 s of Progress's first chart (docs/performance.md). Text only, set as text
    in the browser: a routine's title comes from a note."""
    figures = [
        {"label": f.label, "value": f.value, "means": f.means}
        for f in explain.tiles(progress.summary)
    ]
    return {"title": "Progress", "caption": caption, "figures": figures}


# The range of every tab but the calendar (always 26 weeks): 12 / 26 / 52 weeks or all
# time, chosen in the tab bar (tabs.js), where Streamlit's own segmented control cost a
# phone ~0.12 s of Progress's first chart (docs/performance.md).
DEFAULT_RANGE = "12 weeks"
_tab_bar = st.components.v2.component(
    "hipdash_tabs", js=(Path(__file__).with_name("tabs.js")).read_text(), isolate_styles=False
)


@st.fragment
def sections(
    progress: Progress,
    sessions: SessionLog,
    details: pd.DataFrame,
    marks: dict[date, str],
    shown_top: dict,
    below: Callable[[int | None], None],
) -> None:
    """The page's top (`top`), the range, the tabs, then what is `below` them (given the
    range), all but what is below drawn by the tab bar's component. The page opens with
    the linked tab (`?view=`) drawn alone, a phone's first screen; as soon as the browser
    has drawn it, its tab bar asks for the rest, and from then on every tab and what is
    below are on the page, so a tap switches tabs in the browser at once. This reruns
    alone then, and when another range is chosen, with what the page read; the whole page
    reruns instead when a data file changed since (`live`), so a tab never shows older
    data than the files hold."""
    if live.stale("tabs"):
        st.rerun()
    linked = st.query_params.get("view")
    first = linked if linked in TABS else TABS[0]
    # The bar's state as the browser last set it: what the bar returns is the same value.
    kept = st.session_state.get(keys.TAB_BAR) or {}
    asked = bool(kept.get("all"))
    wanted = kept.get("range")  # from the browser: any JSON a page could send
    chosen = wanted if isinstance(wanted, str) and wanted in stats.RANGES else DEFAULT_RANGE
    with st.container(key=keys.TABS):
        _tab_bar(
            data={
                "tabs": TABS,
                "open": first,
                "all": asked,
                "ranges": list(stats.RANGES),
                "range": chosen,
                "panels": keys.TABS,
                "prefix": keys.TAB,
                "top": shown_top,
            },
            key=keys.TAB_BAR,
            on_all_change=lambda: None,
            on_range_change=lambda: None,
        )
        range_weeks = stats.RANGES[chosen]
        # The open tab first, where the first run drew it alone: what the browser shows
        # is replaced in place. At another place it would rely on the run's end to clear
        # the first run's table, which Streamlit skips when the 2 s watch's run starts
        # before that end reached the browser (docs/reliability.md).
        order = (first, *(t for t in TABS if t != first))
        for name in order if asked else order[:1]:
            with st.container(key=keys.TAB + name):
                _draw_tab(name, progress, sessions, details, marks, range_weeks)
    if asked:
        below(range_weeks)


def _draw_tab(
    name: str,
    progress: Progress,
    sessions: SessionLog,
    details: pd.DataFrame,
    marks: dict[date, str],
    range_weeks: int | None,
) -> None:
    if name == "Weeks":
        weekly(progress, range_weeks)
    elif name == "Calendar":
        calendar(progress, marks)
    elif name == "Exercises":
        since = stats.range_start(progress.today, range_weeks)
        routine_id = progress.routine.id
        felt = FeelingLog(config.data_dir()).recent(routine_id, until=progress.today, since=since)
        exercises(progress, range_weeks, felt)
    elif name == "Pain":
        pain(sessions, progress.routine.id, progress.today, range_weeks)
    else:
        recent_history(progress, range_weeks, details, marks)


def weekly(progress: Progress, range_weeks: int | None) -> None:
    """Sessions per week over the range, against each week's target."""
    drawn = weekly_drawn(progress, range_weeks)
    st.markdown(drawn.said)
    s = progress.summary
    if drawn.planned:
        st.caption(explain.planned(s.this_week, s.target))
    spec = {**json.loads(drawn.spec), "datasets": {"weeks": drawn.data}}
    st.vega_lite_chart(spec=spec, width="stretch")
    st.caption(
        f"Sessions per week, Monday to Sunday. The dashed line is each week's target: "
        f"{progress.routine.schedule.sessions_per_week}, less one for each day marked rest, "
        f"sick or travel (on Today); a week with every training day marked off is excused "
        f"and keeps your streak. A day counts as a session when at least {progress.share:.0%} "
        "of its boxes on Today are ticked (an exercise with steps has one for each)."
    )


@dataclass(frozen=True)
class WeeksDrawn:
    """The Weeks tab's line and chart of a range: the line, whether it speaks of planned
    sessions (a first week's does not, and has nothing to explain), the chart's spec
    without its data (JSON) and the data as the Arrow bytes Streamlit would make of it."""

    said: str
    planned: bool
    spec: str
    data: bytes


def weekly_drawn(progress: Progress, range_weeks: int | None) -> WeeksDrawn:
    """Made once for each content of the range's weeks: after a tick they are the same
    unless it made (or unmade) a session, so most renders after a tick reuse them."""
    return _weekly_kept(_Weeks.of(progress.week_columns_in(range_weeks)))


@dataclass(frozen=True)
class _Weeks:
    """A range's week columns, equal and hashed by their content (`key`)."""

    key: tuple
    columns: dict = field(compare=False, repr=False)

    @classmethod
    def of(cls, columns: dict) -> _Weeks:
        content = tuple(c.tobytes() if isinstance(c, np.ndarray) else c for c in columns.values())
        return cls((tuple(columns), content), columns)


@functools.lru_cache(maxsize=16)
def _weekly_kept(weeks: _Weeks) -> WeeksDrawn:
    table = stats.week_frame(weeks.columns)
    first_week = len(table) == 1 and bool(table["current"].iloc[0])
    spec = charts.weekly_spec(table)
    data = dataframe_util.convert_anything_to_arrow_bytes(spec.pop("datasets")["weeks"])
    return WeeksDrawn(_weeks_line(table, first_week), not first_week, json.dumps(spec), data)


def _weeks_line(table, first_week: bool) -> str:
    """'30 of 34 planned sessions (88%) in 12 weeks'; in a first week, what the "This
    week" figure says: its planned sessions are only those done so far (100% at once)."""
    if first_week:
        done, target = int(table["sessions"].iloc[0]), int(table["target"].iloc[0])
        if not target:
            return f"**{plural(done, 'session')} this week**, its training days all marked off"
        return f"**{explain.week_count(done, target, 'this week so far', 'session')}**"
    return f"**{stats.session_adherence(table).text}** in {plural(len(table), 'week')}"


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
    sessions = int(table["sessions"].max()) if len(table) else 0
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
            said = explain.item_sessions(row.done, row.sessions)
            text = f"{md_escape(row.title)}{gone} — **{said}**"
            recent = felt.get(stats.exercise_key(row.item))
            if recent and recent.summary:
                whole = "the whole exercise: " if steps.get(row.item) else ""
                text += f" · *{whole}{md_escape(recent.summary)}*"
            st.progress(float(row.share) if row.sessions else 0.0, text=text)


def recent_history(
    progress: Progress,
    range_weeks: int | None,
    details: pd.DataFrame,
    marks: dict[date, str],
) -> None:
    """Days with their ticks, details and marks; selecting one opens it on Today. The
    notes follow the table, whole."""
    start = stats.range_start(progress.today, range_weeks)
    table = stats.history(
        progress.days_in(range_weeks),
        stats.in_range(details, "session_date", progress.today, range_weeks),
        {d: label for d, label in marks.items() if start is None or d >= start},
    )
    st.caption("Select a day to open it on Today and change its ticks or details.")
    optional = ("Pain", "Minutes")
    shown = [c for c in optional if table[c].fillna(0).astype(bool).any()]
    kinds, reasons = _days_off(table)
    shown_table = table.assign(Session=_session_or_day_off(table, kinds))
    event = st.dataframe(  # rows a finger high: the row's box, or any of its cells, opens a day
        shown_table,
        hide_index=True,
        row_height=ROW_PX,
        height=min(ROW_PX * len(table) + 40, 480),
        column_order=["Date", "Done", "Session", *shown],
        column_config=HISTORY_COLUMNS,
        placeholder="",
        on_select="rerun",
        selection_mode=["single-row", "single-cell"],  # a tap on the date, not only the box
        key=keys.HISTORY,
    )
    st.caption(" · ".join(COLUMN_MEANS[c] for c in ("Session", *shown)))
    _notes(table, reasons)
    st.download_button(
        "History (CSV)",
        lambda: stats.csv_text(table),
        file_name=f"{progress.routine.id}-history.csv",
        mime="text/csv",
        on_click="ignore",
    )
    st.caption("These rows as a spreadsheet file; a note that looks like a formula stays text.")
    rows = [*event.selection.rows, *(row for row, _ in event.selection.cells)] if event else []
    if rows:
        day = table["Date"].iloc[rows[0]]
        query = {"date": day.isoformat(), "routine": progress.routine.id}
        go_to(TODAY, query, here=PROGRESS)


def _days_off(table: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each day's day-off kind ("sick"), and its whole mark when it gives a reason ("sick:
    flu"), read in one place from the History table's marks (`DayMark.label`)."""
    marked = table["Marked"].fillna("")
    return marked.str.split(":").str[0], marked.where(marked.str.contains(":"), "")


def _session_or_day_off(table: pd.DataFrame, kinds: pd.Series) -> pd.Series:
    """The ✓ column: "✓" for a day that counted, else the kind of a day off ("sick"; its
    reason is listed under the table), else nothing."""
    return kinds.where(~table["Session"].astype(bool), "✓")


def _notes(table: pd.DataFrame, reasons: pd.Series) -> None:
    """Each day's day-off reason, items done that are no longer in the routine, and note,
    whole, newest first (escaped: the note and reason are the person's text)."""
    gone = [explain.no_longer(int(n)) if n else "" for n in table["No longer in routine"].fillna(0)]
    notes = table["Note"].fillna("")
    said = [" · ".join(t for t in trio if t) for trio in zip(reasons, gone, notes, strict=True)]
    lines = [
        f"- **{d:%a} {d.day} {d:%b}** · {md_escape(text)}"
        for d, text in zip(table["Date"], said, strict=True)
        if text
    ]
    if lines:
        st.markdown("**Notes**\n\n" + "\n".join(lines))


def downloads(progress: Progress, log_path: Path, data_dir: Path, range_weeks: int | None) -> None:
    """Every file is made when clicked (deferred), so it holds the data as it is then; the
    raw log is offered only when there is one (Progress also shows with only marked days).
    What each file is, is said under the buttons (no hover needed)."""
    st.subheader("Download and share", anchor=False)
    rid = progress.routine.id
    start, end = report.whole_weeks(progress.today, range_weeks)
    said = []
    found = datafiles.read_problems(data_dir)  # each data file opened once for the buttons
    unreadable = datafiles.said_once(found)  # a report without them would be false
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            "Report for my physio",
            lambda: report.build(
                data_dir, progress.routine, progress.today, progress.share, start, end
            ).encode(),
            file_name=f"{rid}-report-{progress.today.isoformat()}.html",
            mime="text/html",
            on_click="ignore",
            disabled=bool(unreadable),
        )
        said.append(
            f"**Report for my physio**: none can be made: {md_escape('; '.join(unreadable))}"
            if unreadable
            else "**Report for my physio**: a printable page or two of the range shown"
        )
        if log_path.is_file():
            said.append(_log_download(log_path, found.get(log_path.name)))
        st.download_button(
            "Per-day summary (CSV)",
            lambda: stats.days_csv(progress.days, rid),
            file_name=f"{rid}-days.csv",
            mime="text/csv",
            on_click="ignore",
        )
        said.append("**Per-day summary**: a row per logged day")
        problems = backup.export_problems(data_dir, found)
        backup_view.download_button(data_dir, progress.today, "All data (backup .zip)", problems)
        why = md_escape("; ".join(problems))
        said.append(
            f"**All data**: no backup can be made: {why}"
            if problems
            else "**All data**: everything in one zip, for the Backup page"
        )
    st.caption(". ".join(said) + ".")


def _log_download(log_path: Path, cannot: str | None) -> str:
    """The raw log's download, off when the log cannot be read (`cannot`: why; a click
    would fail in the browser without a word); what it is, or why it is off."""
    st.download_button(
        "Check-off log (CSV)",
        lambda: backup.export_file(log_path),
        file_name="checkoffs.csv",
        mime="text/csv",
        on_click="ignore",
        disabled=bool(cannot),
    )
    if cannot:
        return f"**Check-off log**: cannot be downloaded: {md_escape(cannot)}"
    return "**Check-off log**: every tick and un-tick, all routines"


def reminders(progress: Progress, routines: list[Routine]) -> None:
    """Reminders in the phone's calendar: the days, time, length and routine chosen here,
    the .ics file downloaded right under them. Worked out only while the panel is open."""
    panel = st.expander("Reminders in your phone's calendar", key=keys.REMINDERS, on_change="rerun")
    if not panel.open:
        return
    with panel:
        routine = progress.routine
        if len(routines) > 1:
            by_id = {r.id: r for r in routines}
            routine = by_id[
                st.selectbox(
                    "Routine",
                    list(by_id),
                    index=list(by_id).index(routine.id),
                    format_func=lambda rid: by_id[rid].title,
                    key="hd-rem-routine",
                )
            ]
        days = st.pills(
            "Days",
            range(7),
            selection_mode="multi",
            default=ics.default_days(routine.schedule.sessions_per_week),
            format_func=lambda d: ics.WEEKDAYS[d].title(),
            key=f"hd-rem-days:{routine.id}",
        )
        at = st.time_input("Time", ics.DEFAULT_TIME, step=timedelta(minutes=15), key="hd-rem-at")
        minutes = st.number_input(
            "Minutes",
            min_value=5,
            max_value=ics.MAX_MINUTES,
            value=routine.schedule.minutes or ics.DEFAULT_MINUTES,
            step=5,
            key=f"hd-rem-minutes:{routine.id}",
        )
        url = _phone_access().url
        st.download_button(
            "Download the reminders (.ics)",
            lambda: ics.plan(
                routine, tuple(sorted(days)), at, progress.today, url, minutes=minutes
            ),
            file_name=f"{routine.id}-plan.ics",
            mime="text/calendar",
            on_click="ignore",
            type="primary",
            disabled=not days,
        )
        link = (
            f"Each event links to {url}."
            if url
            else "The events carry no link: hipdash is not set up for your phone yet "
            "(see Open on your phone, on a computer)."
        )
        st.caption(
            "One weekly event per day chosen, at that time, for your phone's calendar, which "
            f"then reminds you. Importing a changed plan again updates the events. {link}"
        )


def _phone_access() -> phone.PhoneAccess:
    """How a phone opens this server: its address once the server is set up for it."""
    return phone.access(
        st.get_option("server.address"),
        st.get_option("server.port"),
        allowed_hosts=st.get_option("server.allowedHosts"),
    )


def phone_panel() -> None:
    """How to open hipdash on the phone (shown at desktop width only, see style.css); the
    address and QR code are worked out only while the panel is open."""
    panel = st.expander("Open on your phone", key=keys.PHONE, on_change="rerun")
    if not panel.open:
        return
    found = _phone_access()
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
