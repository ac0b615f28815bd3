"""Altair charts of the Progress page, built from the `hipdash.stats` tables.

No Streamlit here. Each chart is defined once in Altair (`_weekly_definition` and friends,
its data left as a named dataset) and drawn from its Vega-Lite spec: `weekly_spec`,
`heatmap_spec`, `pain_spec`. Building an Altair chart and validating it against the
Vega-Lite schema took most of a Progress render (about 20 ms a chart) while only the data
changes from one render to the next, so each definition is built and validated once per
shape, kept as JSON text, and every render fills in its data (`_filled`).

The charts take the width of their container, so they fit a 390 px phone without
sideways scrolling; dates are passed as ISO strings and formatted in UTC so a
browser's time zone cannot move a day.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import lru_cache

import altair as alt
import pandas as pd

from hipdash.stats import WEEKDAYS

MET, NOT_MET, OPEN, EXCUSED = "Met target", "Not met", "This week, open", "Days off"
STATUS_COLOURS = {MET: "#2e7d32", NOT_MET: "#e8a33d", OPEN: "#b0bec5", EXCUSED: "#90caf9"}
MARKED_COLOUR = "#bbdefb"
PAIN_COLOURS = {"Before": "#c62828", "After": "#1565c0"}
SHARE_SCHEME = "greens"
NOTHING_LOGGED = "#eeeeee"
SESSION_STROKE = "#0d3b12"
WEEKLY_HEIGHT = 220
HEATMAP_CELL = 16
# Fit the width to the container, keep the height for the plot itself (axes and legend
# come on top), so a phone gets the same readable rows as a laptop.
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")


def _long_date(dates: pd.Series) -> list[str]:
    return [f"{d:%a} {d.day} {d:%b %Y}" for d in dates]


def _template(chart: alt.TopLevelMixin) -> str:
    """The chart's spec, validated against the Vega-Lite schema, as JSON text; without the
    default 300 px view size of Altair's theme, which Streamlit's own Altair path leaves out
    too (the page's theme and the container decide)."""
    spec = chart.to_dict()
    view = spec.get("config", {}).get("view", {})
    view.pop("continuousWidth", None)
    view.pop("continuousHeight", None)
    return json.dumps(spec)


def _filled(template: str, name: str, data: pd.DataFrame) -> dict:
    """A fresh spec (Streamlit moves the datasets out of it) with `data` as dataset `name`.

    The data stays a DataFrame, which Streamlit sends as Arrow."""
    spec = json.loads(template)
    spec.setdefault("datasets", {})[name] = data
    return spec


def weekly_spec(weeks: pd.DataFrame) -> dict:
    """Bars of sessions per ISO week, coloured by met / not met, and over each bar a dashed
    line at that week's target (lowered by its days marked off)."""
    data, label = _weekly_data(weeks)
    present = set(data["status"])
    shown = tuple(s for s in STATUS_COLOURS if s in present)
    return _filled(_weekly_template(label, shown), "weeks", data)


def _weekly_data(weeks: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    starts = weeks["week_start"].dt.date.tolist()  # plain dates: a few dozen rows, fast
    status = week_statuses(weeks)
    data = pd.DataFrame(
        {
            "start": [s.isoformat() for s in starts],
            "week": weeks["week"].to_numpy(),
            "dates": [_week_dates(s) for s in starts],
            "sessions": weeks["sessions"].to_numpy(),
            "target": weeks["target"].to_numpy(),
            "marked": weeks["marked"].to_numpy(),
            "status": status,
        }
    )
    label = "%b %Y" if len(data) > 52 else "%-d %b"  # years apart: say which year
    return data, label


def week_statuses(weeks: pd.DataFrame) -> list[str]:
    """Each week's status in the legend's words: met, not met, still open, or days off."""
    return [
        EXCUSED if excused else MET if met else OPEN if current else NOT_MET
        for met, current, excused in zip(
            weeks["met"].tolist(), weeks["current"].tolist(), weeks["excused"].tolist(), strict=True
        )
    ]


def _week_dates(start: date) -> str:
    """'Mon 16 Nov – Sun 22 Nov 2026': the week's Monday to Sunday, for the tooltip."""
    end = start + timedelta(days=6)
    return f"{start:%a} {start.day} {start:%b} – {end:%a} {end.day} {end:%b %Y}"


@lru_cache(maxsize=16)
def _weekly_template(label: str, shown: tuple[str, ...]) -> str:
    return _template(_weekly_definition(label, shown))


def _weekly_x(label: str, **extra) -> alt.X:
    """The weeks along x (`extra`: e.g. a rule's bandPosition)."""
    return alt.X(
        "start:O",
        title=None,
        sort="ascending",
        axis=alt.Axis(
            labelExpr=f"utcFormat(toDate(datum.value), '{label}')",
            labelAngle=0,
            labelOverlap="greedy",
            labelPadding=4,
            ticks=False,
        ),
        scale=alt.Scale(paddingInner=0.2),
        **extra,
    )


def _weekly_definition(label: str, shown: tuple[str, ...]) -> alt.LayerChart:
    """The chart; its legend names only the statuses `shown` (a "Days off" with no such
    week was a key to nothing), each in the colour it always has."""
    x = _weekly_x(label)
    colour = alt.Color(
        "status:N",
        title=None,
        scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
        legend=alt.Legend(orient="bottom", columns=2, symbolType="square", values=list(shown)),
    )
    bars = (
        alt.Chart(alt.NamedData(name="weeks"))
        .mark_bar(cornerRadiusTopLeft=2, cornerRadiusTopRight=2)
        .encode(
            x=x,
            y=alt.Y("sessions:Q", title="Sessions", axis=alt.Axis(tickMinStep=1, format="d")),
            color=colour,
            tooltip=[
                alt.Tooltip("week:N", title="Week"),
                alt.Tooltip("dates:N", title="Dates"),
                alt.Tooltip("sessions:Q", title="Sessions"),
                alt.Tooltip("target:Q", title="Target"),
                alt.Tooltip("marked:Q", title="Days marked off"),
                alt.Tooltip("status:N", title="Status"),
            ],
        )
    )
    # Each week's own target, across its bar: marked days lower it, so one line won't do.
    rule = (
        alt.Chart(alt.NamedData(name="weeks"))
        .mark_rule(color="#37474f", strokeDash=[5, 4], strokeWidth=1.5)
        .encode(
            x=_weekly_x(label, bandPosition=0),
            x2=alt.X2("start:O", bandPosition=1),
            y="target:Q",
            tooltip=[
                alt.Tooltip("week:N", title="Week"),
                alt.Tooltip("target:Q", title="Target"),
                alt.Tooltip("marked:Q", title="Days marked off"),
            ],
        )
    )
    return (
        alt.layer(bars, rule)
        .properties(width="container", height=WEEKLY_HEIGHT, autosize=FIT_WIDTH)
        .configure_view(stroke=None)
    )


def heatmap_spec(cells: pd.DataFrame) -> dict:
    """Days as cells (weekday rows, week columns): colour = share done, sessions outlined."""
    return _filled(_heatmap_template(), "days", _heatmap_data(cells))


def _heatmap_data(cells: pd.DataFrame) -> pd.DataFrame:
    data = pd.DataFrame(
        {
            "week": cells["week_start"].dt.strftime("%Y-%m-%d"),
            "weekday": cells["weekday"],
            "date": _long_date(cells["date"]),
            "share": cells["share"],
            "done": [f"{d} / {t}" for d, t in zip(cells["done"], cells["total"], strict=True)],
            "logged": cells["logged"],
            "session": cells["session"],
            "counted": [
                "Session" if s else "Partial, not a session" if lg else "Nothing logged"
                for s, lg in zip(cells["session"], cells["logged"], strict=True)
            ],
            "marked": cells["marked"],
        }
    )
    data["off"] = (data["marked"] != "") & ~data["logged"]
    return data


@lru_cache(maxsize=1)
def _heatmap_template() -> str:
    return _template(_heatmap_definition())


def _heatmap_definition() -> alt.Chart:
    return (
        alt.Chart(alt.NamedData(name="days"))
        .mark_rect(cornerRadius=2)
        .encode(
            x=alt.X(
                "week:O",
                title=None,
                scale=alt.Scale(paddingInner=0.12),
                axis=alt.Axis(
                    labelExpr=(
                        "utcdate(toDate(datum.value)) <= 7 "
                        "? utcFormat(toDate(datum.value), '%b') : ''"
                    ),
                    labelAngle=0,
                    labelOverlap=False,
                    ticks=False,
                    domain=False,
                ),
            ),
            y=alt.Y(
                "weekday:O",
                title=None,
                sort=list(WEEKDAYS),
                scale=alt.Scale(domain=list(WEEKDAYS), paddingInner=0.12),
                axis=alt.Axis(ticks=False, domain=False, labelOverlap=False, labelFontSize=10),
            ),
            color=alt.Color(
                "share:Q",
                title="Share done",
                scale=alt.Scale(domain=[0, 1], scheme=SHARE_SCHEME),
                legend=alt.Legend(orient="bottom", format=".0%", gradientLength=160),
                condition=[  # days without ticks: marked off, or nothing logged
                    {"test": "!datum.logged && datum.off", "value": MARKED_COLOUR},
                    {"test": "!datum.logged", "value": NOTHING_LOGGED},
                ],
            ),
            stroke=alt.condition("datum.session", alt.value(SESSION_STROKE), alt.value(None)),
            strokeWidth=alt.condition("datum.session", alt.value(2), alt.value(0)),
            tooltip=[
                alt.Tooltip("date:N", title="Date"),
                alt.Tooltip("done:N", title="Done"),
                alt.Tooltip("counted:N", title="Counted"),
                alt.Tooltip("marked:N", title="Marked"),
            ],
        )
        .properties(
            width="container",
            height=HEATMAP_CELL * len(WEEKDAYS),
            autosize=FIT_WIDTH,
            # On a canvas: an SVG names its legend's gradient by the page's whole address,
            # and a tab switch changes the address (`?view=`), which left the bar blank.
            usermeta={"embedOptions": {"renderer": "canvas"}},
        )
        .configure_view(stroke=None)
    )


def pain_spec(details: pd.DataFrame) -> dict:
    """Pain before and after each session (0–10) over time, as two lines with points."""
    return _filled(_pain_template(), "pain", _pain_data(details))


def _pain_data(details: pd.DataFrame) -> pd.DataFrame:
    long = details.melt(
        id_vars=["session_date"],
        value_vars=["pain_before", "pain_after"],
        var_name="when",
        value_name="pain",
    ).dropna(subset=["pain"])
    return pd.DataFrame(
        {
            "date": long["session_date"].dt.strftime("%Y-%m-%d"),
            "label": _long_date(long["session_date"]),
            "when": long["when"].map({"pain_before": "Before", "pain_after": "After"}),
            "pain": long["pain"].astype(int),
        }
    )


@lru_cache(maxsize=1)
def _pain_template() -> str:
    return _template(_pain_definition())


def _pain_definition() -> alt.Chart:
    return (
        alt.Chart(alt.NamedData(name="pain"))
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%-d %b", labelOverlap="greedy")),
            y=alt.Y("pain:Q", title="Pain (0–10)", scale=alt.Scale(domain=[0, 10])),
            color=alt.Color(
                "when:N",
                title=None,
                scale=alt.Scale(domain=list(PAIN_COLOURS), range=list(PAIN_COLOURS.values())),
                legend=alt.Legend(orient="bottom", direction="horizontal"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Date"),
                alt.Tooltip("when:N", title="Pain"),
                alt.Tooltip("pain:Q", title="Score"),
            ],
        )
        .properties(width="container", height=180, autosize=FIT_WIDTH)
        .configure_view(stroke=None)
    )
