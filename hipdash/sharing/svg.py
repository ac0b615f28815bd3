"""Small inline SVG charts for the printable report: no script, nothing fetched.

The page's charts are Vega-Lite, drawn by JavaScript in the browser; a report handed to a
physiotherapist must open anywhere and print, so its charts are plain SVG elements
written here from the same `hipdash.stats` tables. Every text in them is escaped.
"""

from __future__ import annotations

from datetime import date
from html import escape

import pandas as pd

from hipdash.charts import MET, PAIN_COLOURS, STATUS_COLOURS, week_statuses

WIDTH, WEEKS_HEIGHT, PAIN_HEIGHT = 700, 170, 150
LEFT, RIGHT, TOP, BOTTOM = 30, 8, 14, 22  # room for the axes' labels
TARGET_COLOUR, GRID_COLOUR, TEXT_COLOUR = "#37474f", "#e0e0e0", "#455a64"


def _svg(height: int, body: list[str], label: str) -> str:
    return (
        f'<svg viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(label)}" font-family="sans-serif" font-size="10">'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "middle", size: int = 10) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{TEXT_COLOUR}">{escape(text)}</text>'
    )


def _y_axis(top: float, bottom: float, high: int, ticks: list[int]) -> list[str]:
    out = []
    for value in ticks:
        y = bottom - (bottom - top) * value / high
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOUR}" stroke-width="0.6"/>'
        )
        out.append(_text(LEFT - 5, y + 3.5, str(value), anchor="end"))
    return out


def weekly_bars(weeks: pd.DataFrame) -> str:
    """Sessions per week as bars coloured as on Progress, each week's target dashed across
    its bar, the count above it (when there is room) and the date of every few Mondays."""
    count = max(len(weeks), 1)
    sessions = weeks["sessions"].tolist()
    targets = weeks["target"].tolist()
    high = max([*sessions, *targets, 1])
    top, bottom = TOP, WEEKS_HEIGHT - BOTTOM
    step = (WIDTH - LEFT - RIGHT) / count
    bar = step * 0.78
    body = _y_axis(top, bottom, high, list(range(0, high + 1, max(1, high // 4))))
    every = max(1, round(count / 8))
    statuses = week_statuses(weeks)
    rows = zip(weeks["week_start"], weeks["week"], sessions, targets, statuses, strict=True)
    for i, (start, week, done, target, status) in enumerate(rows):
        x = LEFT + i * step + (step - bar) / 2
        y = bottom - (bottom - top) * done / high
        colour = STATUS_COLOURS[status]
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{bottom - y:.1f}" '
            f'fill="{colour}"><title>{escape(f"{week}: {done} of {target} · {status}")}'
            "</title></rect>"
        )
        ty = bottom - (bottom - top) * target / high
        body.append(
            f'<line x1="{x:.1f}" x2="{x + bar:.1f}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="{TARGET_COLOUR}" stroke-width="1.4" stroke-dasharray="4 3"/>'
        )
        if count <= 26:
            body.append(_text(x + bar / 2, y - 3, str(done), size=9))
        if i % every == 0:
            body.append(_text(x + bar / 2, bottom + 14, f"{start:%-d %b}", size=9))
    return _svg(WEEKS_HEIGHT, body, "Sessions per week against each week's target")


def pain_lines(details: pd.DataFrame, start: date, end: date) -> str:
    """Pain before (red) and after (blue) each session, 0–10, from `start` to `end`."""
    top, bottom = TOP, PAIN_HEIGHT - BOTTOM
    first, days = pd.Timestamp(start), max((pd.Timestamp(end) - pd.Timestamp(start)).days, 1)
    body = _y_axis(top, bottom, 10, [0, 2, 4, 6, 8, 10])

    def x_of(day: pd.Timestamp) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / days

    for when, column in (("Before", "pain_before"), ("After", "pain_after")):
        scored = details[details[column].notna()]
        points = [
            (x_of(d), bottom - (bottom - top) * int(v) / 10)
            for d, v in zip(scored["session_date"], scored[column], strict=True)
        ]
        colour = PAIN_COLOURS[when]
        if len(points) > 1:
            line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(
                f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="1.5"/>'
            )
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{colour}"/>' for x, y in points]
    for month in pd.date_range(first, pd.Timestamp(end), freq="MS"):
        body.append(_text(x_of(month), bottom + 14, f"{month:%b %Y}", size=9))
    legend_x = WIDTH - RIGHT - 120
    for i, (when, colour) in enumerate(PAIN_COLOURS.items()):
        body.append(
            f'<rect x="{legend_x + i * 60}" y="2" width="9" height="9" fill="{colour}"/>'
            + _text(legend_x + i * 60 + 13, 10, when, anchor="start", size=9)
        )
    return _svg(PAIN_HEIGHT, body, "Pain before and after each session, 0 to 10")


def share_bar(share: float, width: int = 120, height: int = 9) -> str:
    """A small horizontal bar: the share of sessions an exercise was done in (prints in
    colour, unlike a CSS background)."""
    filled = max(0.0, min(1.0, share)) * width
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" aria-hidden="true">'
        f'<rect width="{width}" height="{height}" rx="2" fill="{GRID_COLOUR}"/>'
        f'<rect width="{filled:.1f}" height="{height}" rx="2" fill="{STATUS_COLOURS[MET]}"/>'
        "</svg>"
    )
