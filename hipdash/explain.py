"""The numbers the pages show, each with the words that say what it means, so that they
are said where the number is (no page needs a hover to be understood).

Pure: the numbers come from `hipdash.stats`; Today, the guided finish and Progress ask.
"""

from __future__ import annotations

from dataclasses import dataclass

from hipdash.stats import Summary
from hipdash.words import plural


@dataclass(frozen=True)
class Figure:
    """A number with its label and a short line saying what it counts."""

    label: str
    value: str
    means: str


def session_line(total: int, needed: int, counted: bool) -> str:
    """Today's line under the count: when the day counts as a session."""
    if counted:
        return "✓ This day counts as a session"
    return f"This day counts as a session at {needed} of {total} done"


def no_longer(items: int) -> str:
    """Items done on a day that are no longer in the routine: counted for that day (they
    were in it then), though no card shows them now."""
    return f"{plural(items, 'item')} done no longer in the routine"


def item_sessions(done: int, sessions: int) -> str:
    """An exercise's sessions in a range: "3 / 5", or, for one that joined the routine
    after the range's last session, that it has had none yet (not "0 / 0")."""
    return f"{done} / {sessions}" if sessions else "new: no session since it was added"


def streak(weeks: int, target: int) -> str:
    """What a streak is, where the streak is shown: a week that reached its target
    (`target`, the week's) starts one."""
    if weeks == 0:
        return f"starts when a week reaches {plural(target, 'session')}"
    return "weeks in a row on target"


def this_week(sessions: int, target: int) -> Figure:
    """'1 / 3' up to the week's target; past it, not '4 / 3' (a fraction over one reads as
    a mistake) but the sessions and the target they passed."""
    if sessions > target:
        return Figure("This week", str(sessions), f"sessions, {_past(target)}")
    return Figure("This week", f"{sessions} / {target}", "sessions of the week's target")


def _past(target: int) -> str:
    """What a week's sessions passed: its target, or, with every training day marked off
    (a target of 0), no target at all."""
    return f"past its target of {target}" if target else "its training days all marked off"


def week_count(sessions: int, target: int, when: str = "this week", unit: str = "") -> str:
    """'2 of 3 this week' ('2 of 3 sessions this week' with the unit "session"); past its
    target not '4 of 3' (a fraction over one reads as a mistake) but '4 this week, past its
    target of 3'."""
    if sessions > target:
        said = plural(sessions, unit) if unit else str(sessions)
        return f"{said} {when}, {_past(target)}"
    return f"{sessions} of {target}{f' {unit}s' if unit else ''} {when}"


def tiles(summary: Summary) -> list[Figure]:
    """Progress's figures, each with its meaning."""
    s = summary
    return [
        this_week(s.this_week, s.target),
        Figure("Streak", plural(s.current_streak, "week"), streak(s.current_streak, s.target)),
        Figure("Best streak", plural(s.best_streak, "week"), "the longest run on target"),
        Figure("Last 4 weeks", str(s.last_4_weeks), "sessions in the last 28 days"),
        Figure("Total", str(s.total), "sessions since you started"),
    ]


def planned(this_week: int, target: int) -> str:
    """Why 'planned' can be fewer than the weeks' targets: the open week plans only what
    it has done, so it never counts against you before it is over."""
    return (
        f"Planned: each week's target, less days off; this week only what is done so far "
        f"({this_week} of {target}) until it ends."
    )
