"""Consistency numbers from the check-off log: days, ISO weeks, streaks, adherence.

Pure functions of the log frame (`CheckoffLog.frame()` or `.latest()`), a Routine,
`today` and the session share, so every number on the Progress page can be checked
against a small hand-made log. Two plain tables carry everything:

* the day table: one row per day that has any row for the routine (done / total of the
  routine's *current* items, whether it is a session);
* the week table: one row per ISO week (Monday to Sunday) with its sessions and its
  `target`. `met` is computed from the `target` column alone, so a later change of a
  week's target (rest or sick days) only has to adjust that column.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from hipdash.models import Routine

# The ranges the Progress page offers, in weeks ending with the current one (None = all).
RANGES: dict[str, int | None] = {"12 weeks": 12, "26 weeks": 26, "52 weeks": 52, "All time": None}
HEATMAP_WEEKS = 26
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EPSILON = 1e-9  # 8 of 16 at a share of 0.5 must count, whatever the float rounding


def monday(day: date | pd.Timestamp) -> date:
    """The Monday that starts the ISO week of `day`."""
    day = pd.Timestamp(day).date()
    return day - timedelta(days=day.weekday())


def week_starts(dates: pd.Series) -> pd.Series:
    """The Monday of each date's ISO week (datetime64)."""
    return dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")


def is_session(done: int, total: int, share: float) -> bool:
    """A day is a session when at least `share` of the routine's items are done."""
    return total > 0 and done > 0 and done >= share * total - _EPSILON


def day_table(frame: pd.DataFrame, routine: Routine, today: date, share: float) -> pd.DataFrame:
    """One row per day up to `today` that has any log row for the routine, oldest first.

    Columns: date (datetime64), done and total (the routine's current items), share,
    session, other_done (done items that are no longer in the routine: kept for the
    history, ignored for the share).
    """
    rows = frame[(frame["routine"] == routine.id) & (frame["session_date"] <= pd.Timestamp(today))]
    state = rows.drop_duplicates(["session_date", "item"], keep="last")
    current = state["item"].isin(set(routine.item_keys))
    counts = (
        pd.DataFrame(
            {
                "date": state["session_date"],
                "done": state["done"] & current,
                "other_done": state["done"] & ~current,
            }
        )
        .groupby("date", sort=True)
        .sum()
        .reset_index()
    )
    total = len(routine.item_keys)
    days = pd.DataFrame(
        {
            "date": pd.to_datetime(counts["date"]),
            "done": counts["done"].astype(int),
            "total": total,
            "other_done": counts["other_done"].astype(int),
        }
    )
    days["share"] = days["done"] / total if total else 0.0
    days["session"] = [is_session(d, total, share) for d in days["done"]]
    return days[["date", "done", "total", "share", "session", "other_done"]]


def week_table(
    days: pd.DataFrame, target: int, today: date, start: date | None = None
) -> pd.DataFrame:
    """One row per ISO week from `start` (default: the first logged week) to today's week.

    Columns: week_start, week_end (datetime64), week ('2026-W48'), sessions, target, met,
    current (today's week, still open).
    """
    this_monday = monday(today)
    if start is not None:
        first = monday(start)
    elif len(days):
        first = monday(days["date"].min())
    else:
        first = this_monday
    starts = pd.date_range(min(first, this_monday), this_monday, freq="7D")
    sessions = days.loc[days["session"], "date"]
    counts = week_starts(sessions).value_counts()
    weeks = pd.DataFrame({"week_start": starts})
    weeks["week_end"] = weeks["week_start"] + pd.Timedelta(days=6)
    iso = weeks["week_start"].dt.isocalendar()
    weeks["week"] = [f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"], strict=True)]
    weeks["sessions"] = counts.reindex(starts, fill_value=0).to_numpy().astype(int)
    weeks["target"] = target
    weeks["met"] = weeks["sessions"] >= weeks["target"]
    weeks["current"] = weeks["week_start"] == pd.Timestamp(this_monday)
    return weeks


def range_start(today: date, weeks: int | None) -> date | None:
    """The Monday that starts a range of `weeks` weeks ending with today's; None = all time."""
    return None if weeks is None else monday(today) - timedelta(weeks=weeks - 1)


@dataclass(frozen=True)
class Streaks:
    current: int
    best: int


def streaks(weeks: pd.DataFrame) -> Streaks:
    """Consecutive weeks that met the target.

    The current streak ends with the last complete week; the open current week adds one
    once it has met the target and never breaks the streak before then. `weeks` must run
    without gaps up to the current week (as `week_table` makes it).
    """
    complete = weeks.loc[~weeks["current"], "met"].tolist()
    run = 0
    for met in reversed(complete):
        if not met:
            break
        run += 1
    current = run + int(weeks.loc[weeks["current"], "met"].any())
    best = longest = 0
    for met in weeks["met"]:
        longest = longest + 1 if met else 0
        best = max(best, longest)
    return Streaks(current=current, best=best)


@dataclass(frozen=True)
class Summary:
    """The numbers of the Progress page's tiles."""

    this_week: int
    target: int
    current_streak: int
    best_streak: int
    last_4_weeks: int
    total: int
    days_logged: int


@dataclass(frozen=True)
class Progress:
    """Everything the Progress page draws for one routine, computed once per run."""

    routine: Routine
    today: date
    share: float
    log_frame: pd.DataFrame  # the rows it was computed from
    days: pd.DataFrame  # day_table
    weeks: pd.DataFrame  # week_table over all time
    summary: Summary

    def weeks_in(self, range_weeks: int | None) -> pd.DataFrame:
        """The week table for a range (see RANGES), padded with empty weeks if needed."""
        start = range_start(self.today, range_weeks)
        target = self.routine.schedule.sessions_per_week
        return week_table(self.days, target, self.today, start)

    def days_in(self, range_weeks: int | None) -> pd.DataFrame:
        start = range_start(self.today, range_weeks)
        return self.days if start is None else self.days[self.days["date"] >= pd.Timestamp(start)]


def progress(frame: pd.DataFrame, routine: Routine, today: date, share: float) -> Progress:
    days = day_table(frame, routine, today, share)
    weeks = week_table(days, routine.schedule.sessions_per_week, today)
    streak = streaks(weeks)
    session_days = days.loc[days["session"], "date"]
    four_weeks_ago = pd.Timestamp(today - timedelta(days=27))
    summary = Summary(
        this_week=int(weeks["sessions"].iloc[-1]),
        target=int(weeks["target"].iloc[-1]),
        current_streak=streak.current,
        best_streak=streak.best,
        last_4_weeks=int((session_days >= four_weeks_ago).sum()),
        total=len(session_days),
        days_logged=len(days),
    )
    return Progress(routine, today, share, frame, days, weeks, summary)


def heatmap_cells(days: pd.DataFrame, today: date, weeks: int = HEATMAP_WEEKS) -> pd.DataFrame:
    """One row per calendar day of the last `weeks` ISO weeks up to today (none after it).

    Days without log rows have done 0 and logged False, so partial and empty days differ.
    """
    start = range_start(today, weeks)
    dates = pd.date_range(start, today, freq="D")
    cells = pd.DataFrame({"date": dates}).merge(days, on="date", how="left")
    cells["logged"] = cells["done"].notna()
    total = days["total"].iloc[0] if len(days) else 0
    cells = cells.fillna({"done": 0, "total": total, "share": 0.0, "other_done": 0})
    cells["session"] = cells["session"].astype("boolean").fillna(False).astype(bool)
    cells[["done", "total", "other_done"]] = cells[["done", "total", "other_done"]].astype(int)
    cells["week_start"] = week_starts(cells["date"])
    cells["weekday"] = [WEEKDAYS[d] for d in cells["date"].dt.day_of_week]
    return cells


def adherence(frame: pd.DataFrame, routine: Routine, days: pd.DataFrame) -> pd.DataFrame:
    """For each item: on how many of the session days in `days` it was done.

    Sorted with the most skipped current item first (ties in routine order); items no
    longer in the routine that were done on those days come last, titled by their key.
    Columns: item, title, done, sessions, share, current.
    """
    session_dates = days.loc[days["session"], "date"]
    rows = frame[(frame["routine"] == routine.id) & frame["session_date"].isin(session_dates)]
    state = rows.drop_duplicates(["session_date", "item"], keep="last")
    done = state[state["done"]].groupby("item").size()
    titles = {item.key: item.title for item in routine.items()}
    retired = sorted(k for k in done.index if k not in titles)
    keys = list(titles) + retired
    table = pd.DataFrame(
        {
            "item": keys,
            "title": [titles.get(k, k) for k in keys],
            "done": [int(done.get(k, 0)) for k in keys],
            "sessions": len(session_dates),
            "current": [k in titles for k in keys],
            "order": range(len(keys)),
        }
    )
    table["share"] = table["done"] / table["sessions"] if len(session_dates) else 0.0
    table = table.sort_values(["current", "share", "order"], ascending=[False, True, True])
    return table.drop(columns="order").reset_index(drop=True)


def history(days: pd.DataFrame) -> pd.DataFrame:
    """The day table for people: newest first, `done / total` and whether it counted."""
    table = days.sort_values("date", ascending=False)
    return pd.DataFrame(
        {
            "Date": table["date"].dt.date,
            "Day": [WEEKDAYS[d] for d in table["date"].dt.day_of_week],
            "Done": [f"{d} / {t}" for d, t in zip(table["done"], table["total"], strict=True)],
            "Session": table["session"].to_numpy(),
            "No longer in routine": table["other_done"].to_numpy(),
        }
    ).reset_index(drop=True)


def days_csv(days: pd.DataFrame, routine_id: str) -> str:
    """The per-day summary as CSV text (one row per logged day, oldest first)."""
    iso = days["date"].dt.isocalendar()
    table = pd.DataFrame(
        {
            "date": days["date"].dt.strftime("%Y-%m-%d"),
            "iso_week": [f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"], strict=True)],
            "routine": routine_id,
            "done": days["done"],
            "total": days["total"],
            "share": days["share"].round(3),
            "session": days["session"].astype(int),
            "done_not_in_routine": days["other_done"],
        }
    )
    return table.to_csv(index=False, lineterminator="\n")
