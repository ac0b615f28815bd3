"""The report for the physiotherapist: one self-contained, printable HTML file.

`collect` reads the data files once (the edge) and takes every number from the functions
Progress draws with (`stats.progress`, `weeks_between`, `days_between`, `adherence`,
`history`, `session_adherence`, `pain_summary`), so the report and the page agree for the
same range. `render` is pure: it writes HTML with inline CSS and inline SVG charts, no
script and no outside request (a Content-Security-Policy says so to the browser too), and
escapes everything that came from a note or the person. Links are only the routine's own,
and only http(s).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path

import pandas as pd

from hipdash import config, datafiles, explain, stats
from hipdash.feelings import FeelingLog, Recent
from hipdash.links import safe_url
from hipdash.log import CheckoffLog
from hipdash.models import Routine
from hipdash.sessions import SessionLog
from hipdash.sharing import svg
from hipdash.words import plural

MAX_NOTES = 14  # the newest notes shown; with the rest the report keeps to two pages
NOTE_CHARS = 300


@dataclass(frozen=True)
class Report:
    """Everything the report shows, for one routine and one range of whole weeks."""

    routine: Routine
    today: date
    start: date  # a Monday
    end: date  # the range's last day (a Sunday, or today)
    summary: stats.Summary  # the Progress tiles (streaks are as of today)
    weeks: pd.DataFrame  # week_table rows of the range
    sessions: stats.SessionAdherence
    exercises: pd.DataFrame  # stats.adherence
    felt: dict[str, Recent]
    details: pd.DataFrame  # session details in the range
    pain: stats.PainSummary
    history: pd.DataFrame  # stats.history of the range, newest first
    skipped: str = ""  # lines left out as unreadable: '2 lines of checkoffs.csv, …' (`skipped`)


def whole_weeks(today: date, weeks: int | None = 12, first: date | None = None, last=None):
    """(start, end) of a range: the last `weeks` weeks (None: all time, start None), or
    from `first` to `last` widened to whole ISO weeks; never past today."""
    if first is None and last is None:
        return stats.range_start(today, weeks), today
    end = min(stats.monday(last or today) + timedelta(days=6), today)
    return (stats.monday(first) if first else None), end


def unreadable(data_dir: Path) -> list[str]:
    """Why a data file the report is made from cannot be read at all (a permission, a link,
    a folder in its place, a data dir that is a file), each once: without it the report
    would show fewer sessions than there were, as if that were so."""
    return datafiles.said_once(datafiles.read_problems(data_dir))


def skipped(data_dir: Path) -> str:
    """How many lines of each data file cannot be read and so are left out ('2 lines of
    checkoffs.csv, 1 line of days.csv'; '' for none): the pages list them, and a report
    that left them out without a word would look whole."""
    counts = ((k.name, k.store(data_dir).read().warning_count) for k in datafiles.KINDS)
    return ", ".join(f"{plural(n, 'line')} of {name}" for name, n in counts if n)


SKIPPED = "{}, which cannot be read (they stay in the files)"


def collect(
    data_dir: Path, routine: Routine, today: date, share: float, start: date | None, end: date
) -> Report:
    """Read the data dir as it is now and compute the report's numbers (start None: from
    the first logged week)."""
    log = CheckoffLog(config.checkoffs_path(data_dir))
    sessions = SessionLog(data_dir)
    marks = {day: mark.label for day, mark in sessions.day_marks().items()}
    progress = stats.progress(log.day_states(routine.id), routine, today, share, marks)
    weeks = progress.weeks_between(start, end)
    start = weeks["week_start"].iloc[0].date() if len(weeks) else stats.monday(end)
    days = progress.days_between(start, end)
    details = stats.between(sessions.details_frame(routine.id), "session_date", start, end)
    shown_marks = {d: label for d, label in marks.items() if start <= d <= end}
    return Report(
        routine=routine,
        today=today,
        start=start,
        end=end,
        summary=progress.summary,
        weeks=weeks,
        sessions=stats.session_adherence(weeks),
        exercises=stats.adherence(progress.states, routine, days),
        felt=FeelingLog(data_dir).recent(routine.id, until=end, since=start),
        details=details,
        pain=stats.pain_summary(details),
        history=stats.history(days, details, shown_marks),
        skipped=skipped(data_dir),
    )


def build(
    data_dir: Path, routine: Routine, today: date, share: float, start: date | None, end: date
) -> str:
    """The report's HTML for the data dir as it is now."""
    return render(collect(data_dir, routine, today, share, start, end))


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def render(report: Report) -> str:
    """The whole HTML document."""
    r = report.routine
    title = f"{r.title}: home exercise report"
    parts = [
        f"<header><h1>{escape(r.title)}</h1>",
        f"<p class=meta>Home exercise report · {_day(report.start)} – {_day(report.end)} "
        f"({plural(len(report.weeks), 'week')}) · {escape(r.schedule.summary)}</p>",
        _links(r),
        "</header>",
        _figures(report),
        "<section><h2>Sessions per week</h2>",
        svg.weekly_bars(report.weeks),
        "<p class=note>Bars: sessions done each week (Monday to Sunday); dashed: that week's "
        f"target ({r.schedule.sessions_per_week}, less one for each day marked rest, sick or "
        "travel). Green met the target, orange did not, grey is the week still open, blue "
        "had every training day off.</p></section>",
        _exercises(report),
        _pain(report),
        _notes(report),
        f"<p class=note>Left out: {escape(SKIPPED.format(report.skipped))}.</p>"
        if report.skipped
        else "",
        f"<footer>Made with hipdash on {_day(report.today)} from the person's own log.</footer>",
    ]
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        + "\n".join(parts)
        + "</body></html>\n"
    )


def _links(routine: Routine) -> str:
    links = [(link.title, safe_url(link.url)) for link in routine.links]
    shown = [
        f'<a href="{escape(url, quote=True)}">{escape(title or url)}</a>'
        for title, url in links
        if url
    ]
    return f"<p class=meta>Links in the routine: {', '.join(shown)}</p>" if shown else ""


def _figures(report: Report) -> str:
    s, done = report.summary, report.sessions
    share = "–" if done.share is None else f"{done.share:.0%}"
    figures = [
        ("Adherence", share, f"{done.done} of {done.planned} planned sessions"),
        ("Sessions", str(done.done), f"in {plural(len(report.weeks), 'week')}"),
        ("Days off", str(int(report.weeks["marked"].sum())), "marked rest, sick or travel"),
        ("Streak", plural(s.current_streak, "week"), f"on target, as of {_day(report.today)}"),
        ("Best streak", plural(s.best_streak, "week"), "the longest run on target"),
    ]
    cells = "".join(
        f"<div><span>{escape(label)}</span><b>{escape(value)}</b><small>{escape(text)}</small>"
        "</div>"
        for label, value, text in figures
    )
    return f"<div class=figures>{cells}</div>"


def _exercises(report: Report) -> str:
    table = report.exercises
    sessions = int(table["sessions"].max()) if len(table) else 0
    if not sessions:
        return (
            f"<section><h2>Exercises</h2><p>No sessions in this range.</p>{_felt(report)}</section>"
        )
    steps = {item.key: item.step is not None for item in report.routine.items()}
    rows = []
    for row in table.itertuples():
        gone = " (no longer in the routine)" if not row.current else ""
        recent = report.felt.get(stats.exercise_key(row.item))
        felt = recent.summary if recent else ""
        if felt and steps.get(row.item):
            felt = f"whole exercise: {felt}"
        rows.append(
            f"<tr><td>{escape(row.title)}{gone}</td><td class=num>"
            f"{explain.item_sessions(row.done, row.sessions)}</td>"
            f"<td>{svg.share_bar(float(row.share) if row.sessions else 0.0)}</td>"
            f"<td>{escape(felt)}</td></tr>"
        )
    return (
        f"<section><h2>Exercises</h2><p class=note>In how many of the "
        f"{plural(sessions, 'session')} each exercise was done, the most skipped first, and "
        "how it felt in its last sessions where noted (easy, right, hard, painful).</p>"
        "<table class=exercises><thead><tr><th>Exercise</th><th>Done</th><th></th>"
        f"<th>How it felt</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def _felt(report: Report) -> str:
    """How exercises felt where noted, for a range without a session to put it beside."""
    titles = {
        f"{section.id}/{ex.id}": ex.title
        for section in report.routine.sections
        for ex in section.exercises
    }
    rows = [
        f"<tr><td>{escape(titles.get(key, key))}</td><td>{escape(recent.summary)}</td></tr>"
        for key, recent in report.felt.items()
        if recent.summary
    ]
    if not rows:
        return ""
    return (
        "<table class=exercises><thead><tr><th>Exercise</th><th>How it felt</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _pain(report: Report) -> str:
    if not report.pain.sessions:
        return "<section><h2>Pain</h2><p>No pain scores in this range.</p></section>"
    return (
        f"<section class=pain><h2>Pain before and after sessions</h2>"
        f"<p>{escape(report.pain.text)} (0 = none, 10 = worst).</p>"
        f"{svg.pain_lines(report.details, report.start, report.end)}</section>"
    )


def _notes(report: Report) -> str:
    history = report.history
    noted = history[(history["Note"] != "") | (history["Marked"] != "")]
    if noted.empty:
        return ""
    offs = bool((noted["Marked"] != "").any())
    rows = [
        f"<tr><td>{_day(row.Date)}</td><td>{escape(row.Pain)}</td>"
        f"<td>{escape(_cut(row.Note))}</td>" + (f"<td>{escape(row.Marked)}</td>" if offs else "")
        for row in noted.head(MAX_NOTES).itertuples()
    ]
    more = len(noted) - MAX_NOTES
    rest = f"<p class=note>…and {plural(more, 'earlier day')} with notes.</p>" if more > 0 else ""
    head = "<th>Day</th><th>Pain</th><th>Note</th>" + ("<th>Day off</th>" if offs else "")
    return (
        f"<section><h2>Notes{' and days off' if offs else ''}</h2><table class=notes><thead>"
        f"<tr>{head}</tr></thead><tbody>{''.join(r + '</tr>' for r in rows)}</tbody></table>"
        f"{rest}</section>"
    )


def _cut(note: str) -> str:
    return note if len(note) <= NOTE_CHARS else note[: NOTE_CHARS - 1].rstrip() + "…"


CSS = """
@page { margin: 12mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #212121; max-width: 186mm; margin: 0 auto; padding: 6mm 0; }
h1 { font-size: 17pt; margin: 0 0 1mm; }
h2 { font-size: 12pt; margin: 4mm 0 1.5mm; }
p { margin: 1mm 0; }
.meta { color: #455a64; }
.note { color: #546e7a; font-size: 8.5pt; }
a { color: #1565c0; overflow-wrap: anywhere; }
.figures { display: flex; gap: 2mm; margin: 3mm 0 1mm; }
.figures div { flex: 1; border: 1px solid #cfd8dc; border-radius: 2mm; padding: 1.5mm 2.5mm; }
.figures span, .figures small { display: block; color: #546e7a; font-size: 8pt; }
.figures b { display: block; font-size: 14pt; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-size: 8.5pt; color: #546e7a; border-bottom: 1px solid #cfd8dc; }
td { padding: 0.6mm 1.5mm 0.6mm 0; vertical-align: top; border-bottom: 1px solid #eceff1;
  overflow-wrap: anywhere; }
td.num { white-space: nowrap; text-align: right; padding-right: 2mm; }
.exercises td { font-size: 9pt; }
.exercises td:first-child { width: 44%; }
.exercises td:nth-child(3) { width: 124px; }
.exercises td:last-child { min-width: 7.5em; overflow-wrap: normal; }
.notes td:first-child { white-space: nowrap; width: 24mm; }
.notes td:nth-child(2) { white-space: nowrap; width: 12mm; }
tr, svg, .figures { break-inside: avoid; }
h2 { break-after: avoid; }
footer { margin-top: 4mm; color: #78909c; font-size: 8pt; }
@media screen and (max-width: 600px) { .figures { flex-wrap: wrap; }
  .figures div { flex: 1 1 40%; } body { padding: 4mm; }
  .exercises td:first-child { width: auto; } .exercises td:nth-child(3) { width: 64px; }
  .exercises td:nth-child(3) svg { width: 60px; } }
"""
