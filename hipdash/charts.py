"""Altair charts of the Progress page, built from the `hipdash.stats` tables.

No Streamlit here: each builder returns a chart whose Vega-Lite spec (`to_dict()`) is
what the tests check. The charts take the width of their container, so they fit a
390 px phone without sideways scrolling; dates are passed as ISO strings and formatted
in UTC so a browser's time zone cannot move a day.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from hipdash.stats import WEEKDAYS

MET, NOT_MET, OPEN = "Met target", "Not met", "This week, open"
STATUS_COLOURS = {MET: "#2e7d32", NOT_MET: "#e8a33d", OPEN: "#b0bec5"}
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


def weekly_chart(weeks: pd.DataFrame, target: int) -> alt.LayerChart:
    """Bars of sessions per ISO week, coloured by met / not met, and a rule at the routine's
    target (a week's own target, in its tooltip, may differ once rest days exist)."""
    data = pd.DataFrame(
        {
            "start": weeks["week_start"].dt.strftime("%Y-%m-%d"),
            "week": weeks["week"],
            "dates": [
                f"{s:%a} {s.day} {s:%b} – {e:%a} {e.day} {e:%b %Y}"
                for s, e in zip(weeks["week_start"], weeks["week_end"], strict=True)
            ],
            "sessions": weeks["sessions"],
            "target": weeks["target"],
            "status": [
                MET if met else OPEN if current else NOT_MET
                for met, current in zip(weeks["met"], weeks["current"], strict=True)
            ],
        }
    )
    label = "%b %Y" if len(data) > 52 else "%-d %b"  # years apart: say which year
    x = alt.X(
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
    )
    colour = alt.Color(
        "status:N",
        title=None,
        scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
        legend=alt.Legend(orient="bottom", direction="horizontal", symbolType="square"),
    )
    bars = (
        alt.Chart(data)
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
                alt.Tooltip("status:N", title="Status"),
            ],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"target": [target], "label": [f"Target: {target} a week"]}))
        .mark_rule(color="#37474f", strokeDash=[5, 4], strokeWidth=1.5)
        .encode(y="target:Q", tooltip=alt.Tooltip("label:N", title="Target"))
    )
    return (
        alt.layer(bars, rule)
        .properties(width="container", height=WEEKLY_HEIGHT, autosize=FIT_WIDTH)
        .configure_view(stroke=None)
    )


def heatmap_chart(cells: pd.DataFrame) -> alt.Chart:
    """Days as cells (weekday rows, week columns): colour = share done, sessions outlined."""
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
        }
    )
    return (
        alt.Chart(data)
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
            color=alt.condition(
                "datum.logged",
                alt.Color(
                    "share:Q",
                    title="Share done",
                    scale=alt.Scale(domain=[0, 1], scheme=SHARE_SCHEME),
                    legend=alt.Legend(orient="bottom", format=".0%", gradientLength=160),
                ),
                alt.value(NOTHING_LOGGED),
            ),
            stroke=alt.condition("datum.session", alt.value(SESSION_STROKE), alt.value(None)),
            strokeWidth=alt.condition("datum.session", alt.value(2), alt.value(0)),
            tooltip=[
                alt.Tooltip("date:N", title="Date"),
                alt.Tooltip("done:N", title="Done"),
                alt.Tooltip("counted:N", title="Counted"),
            ],
        )
        .properties(width="container", height=HEATMAP_CELL * len(WEEKDAYS), autosize=FIT_WIDTH)
        .configure_view(stroke=None)
    )
