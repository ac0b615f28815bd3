"""Realistic demo data: a few months of check-offs for a routine, from a seed.

So the Progress page can be seen full (and screenshotted) without months of real use.
`generate` is pure: the same routine, weeks, seed and today give the same clicks. The
clicks are written through `CheckoffLog.record`, one call per click with its own time,
so the file is exactly what the Today page would have written, un-ticks included.

What it makes: mostly two to four sessions a week, a two-week break and the odd missed
week, a couple of exercises that are often skipped, partial days that do not count as a
session, mistaken ticks that are un-ticked, and a few sessions filled in days later
(recorded_at after session_date). Click times are naive local times, as the app writes.

Beside the check-offs (`details`, from its own random stream so the clicks stay the same):
pain before/after, minutes and the odd note for most session days, slowly getting
better; the first week without any clicks marked as travel, the next as three sick days.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from hipdash import config
from hipdash.log import Change, CheckoffLog
from hipdash.models import Routine
from hipdash.sessions import DayMark, SessionDetails, SessionLog
from hipdash.stats import monday

SESSIONS_PER_WEEK = (1, 2, 3, 4)
SESSION_WEIGHTS = (1, 5, 10, 4)
MISSED_WEEK = 0.06  # besides one two-week break
EXTRA_PARTIAL_DAY = 0.3  # per week: a day with a few ticks that is not a session
SESSION_CUT_SHORT = 0.08
MISTAKEN_TICK = 0.2
FILLED_IN_LATER = 0.1
DETAILS_KEPT = 0.75  # session days with pain and minutes noted
NOTES = (
    "left hip tight at the start",
    "felt good",
    "short on time, rushed the stretches",
    "knee twinge on the pistol squats",
    "much looser after the couch stretch",
)
DEFAULT_ROUTINE = "hip-therapy-routine-1"
MAX_WEEKS = 520


@dataclass(frozen=True)
class Click:
    at: datetime  # when the person clicked (naive local time)
    change: Change


def generate(routine: Routine, weeks: int, seed: int, today: date) -> list[Click]:
    """Clicks for `weeks` ISO weeks ending with today's (days before today), in click order."""
    rng = random.Random(seed)
    keys = list(routine.item_keys)
    habit = {key: rng.uniform(0.85, 0.98) for key in keys}
    for key in rng.sample(keys, k=min(2, len(keys))):
        habit[key] = rng.uniform(0.35, 0.6)  # the exercises this person tends to skip
    first = monday(today) - timedelta(weeks=weeks - 1)
    break_at = rng.randrange(2, weeks - 4) if weeks >= 8 else None
    clicks: list[Click] = []
    for w in range(weeks):
        week_start = first + timedelta(weeks=w)
        days = [week_start + timedelta(days=d) for d in range(7)]
        days = [d for d in days if d < today]
        if not days or (break_at is not None and w in (break_at, break_at + 1)):
            continue
        if rng.random() < MISSED_WEEK:
            continue
        count = rng.choices(SESSIONS_PER_WEEK, SESSION_WEIGHTS)[0]
        picked = sorted(rng.sample(days, k=min(count, len(days))))
        for day in picked:
            cut_short = rng.random() < SESSION_CUT_SHORT
            done = [k for k in keys if rng.random() < habit[k]]
            if cut_short:
                done = done[: rng.randint(2, max(2, len(keys) // 2 - 1))]
            clicks += _session(rng, routine.id, day, keys, done, today)
        rest = [d for d in days if d not in picked]
        if rest and rng.random() < EXTRA_PARTIAL_DAY:
            day = rng.choice(rest)
            done = keys[: rng.randint(1, max(1, len(keys) // 3))]
            clicks += _session(rng, routine.id, day, keys, done, today)
    clicks.sort(key=lambda c: c.at)
    return clicks


def _session(
    rng: random.Random, routine_id: str, day: date, keys: list[str], done: list[str], today: date
) -> list[Click]:
    """The clicks of one session day: ticks in routine order, maybe a mistaken tick."""
    later = min(rng.randint(1, 3), (today - day).days) if rng.random() < FILLED_IN_LATER else 0
    if later:  # filled in afterwards, quickly, in the evening of a later day
        at, gap = datetime.combine(day + timedelta(days=later), time(21, rng.randint(0, 50))), 4
    elif day.weekday() >= 5:
        at, gap = datetime.combine(day, time(rng.randint(8, 10), rng.randint(0, 59))), 120
    else:
        at, gap = datetime.combine(day, time(rng.randint(17, 20), rng.randint(0, 59))), 120
    clicks: list[Click] = []

    def click(key: str, ticked: bool) -> None:
        nonlocal at
        at += timedelta(seconds=rng.randint(gap // 2 + 1, gap * 2))
        clicks.append(Click(at, Change(day, routine_id, key, ticked)))

    skipped = [k for k in keys if k not in done]
    mistake = rng.choice(skipped) if skipped and rng.random() < MISTAKEN_TICK else None
    for key in keys:
        if key in done:
            click(key, True)
        elif key == mistake:
            click(key, True)
            click(key, False)
    return clicks


def details(
    clicks: list[Click], weeks: int, seed: int, today: date
) -> tuple[list[tuple[datetime, SessionDetails]], list[tuple[datetime, DayMark]]]:
    """Session details for the days that have clicks, and marks for the first empty weeks,
    each with the time it was saved; pure, from its own random stream."""
    rng = random.Random(f"details-{seed}")
    last_click: dict[date, Click] = {}
    for c in clicks:
        last_click[c.change.session_date] = c
    saved = []
    days = sorted(last_click)
    for n, day in enumerate(days):
        if rng.random() > DETAILS_KEPT:
            continue
        c = last_click[day]
        before = max(1, min(9, round(6 - 3 * n / max(1, len(days)) + rng.uniform(-1.5, 1.5))))
        after = max(0, before - rng.randint(0, 3))
        note = rng.choice(NOTES) if rng.random() < 0.25 else ""
        minutes = rng.randint(22, 40)
        at = c.at + timedelta(minutes=2)
        saved.append((at, SessionDetails(day, c.change.routine, before, after, minutes, note)))
    first = monday(today) - timedelta(weeks=weeks - 1)
    active = {monday(d) for d in days}
    empty = [
        first + timedelta(weeks=w)
        for w in range(weeks)
        if first + timedelta(weeks=w) < monday(today) and first + timedelta(weeks=w) not in active
    ]
    marks = []
    if empty:
        at = datetime.combine(empty[0] - timedelta(days=1), time(20, 0))
        marks += [
            (at, DayMark(empty[0] + timedelta(days=d), "travel", "holiday")) for d in range(7)
        ]
    if len(empty) > 1:
        at = datetime.combine(empty[1] + timedelta(days=3), time(19, 0))
        marks += [(at, DayMark(empty[1] + timedelta(days=d), "sick", "a cold")) for d in range(3)]
    return saved, marks


def write(log: CheckoffLog, clicks: Iterable[Click]) -> int:
    """Append the clicks to the log, each with its own time; returns how many."""
    return log.record_each((c.change, c.at) for c in clicks)


class DemoError(Exception):
    """Why demo data was not written, for the person at the command line."""


def pick_routine(routines: list[Routine], wanted: str | None) -> Routine:
    """The routine asked for, else routine 1 (the one in the note), else the first one."""
    by_id = {r.id: r for r in routines}
    if wanted:
        if wanted not in by_id:
            raise DemoError(f"no routine with id {wanted!r}; there are: {', '.join(by_id)}")
        return by_id[wanted]
    if not routines:
        raise DemoError("no valid routines to make demo data for (see `python -m hipdash check`)")
    return by_id.get(DEFAULT_ROUTINE, routines[0])


@dataclass(frozen=True)
class Written:
    path: Path
    clicks: int
    moved_aside: Path | None  # the first of the files moved aside by --force
    details: int = 0
    marked_days: int = 0


def create(
    data_dir: Path,
    routine: Routine,
    weeks: int,
    seed: int,
    today: date,
    force: bool = False,
    now: datetime | None = None,
) -> Written:
    """Write a fresh demo log into `data_dir`; an existing log is kept unless `force`.

    With `force` the existing log is not deleted but renamed aside (it may be real).
    """
    if not 1 <= weeks <= MAX_WEEKS:
        raise DemoError(f"--weeks must be between 1 and {MAX_WEEKS}")
    data_dir = Path(data_dir)
    log = CheckoffLog(config.checkoffs_path(data_dir))
    sessions = SessionLog(data_dir)
    existing = [p for p in (log.path, sessions.sessions.path, sessions.days.path) if p.exists()]
    moved = None
    if existing:
        if not force:
            raise DemoError(
                f"{existing[0]} already exists: not writing demo data over your data. "
                "Use another --data-dir, or --force to move the existing files aside."
            )
        stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
        for path in existing:
            aside = path.with_name(f"{path.stem}.before-demo-{stamp}.csv")
            path.rename(aside)
            moved = moved or aside
    clicks = generate(routine, weeks, seed, today)
    count = write(log, clicks)
    saved, marks = details(clicks, weeks, seed, today)
    for at, session_details in saved:
        sessions.save(session_details, now=at)
    for at, mark in marks:
        sessions.mark_day(mark.day, mark.kind, mark.reason, now=at)
    return Written(log.path, count, moved, len(saved), len(marks))
