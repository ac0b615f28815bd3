"""The Progress charts through their Vega-Lite specs (what the page draws), not pixels."""

from datetime import date, timedelta

import pytest
from altair.vegalite.v6.schema.core import Root

from hipdash import charts, stats
from hipdash.log import Change, CheckoffLog

from .conftest import MINI_ROUTINE, MON, ONE, TODAY, TWO, X, log_frame, spec_json


@pytest.fixture
def progress(data_dir):
    log = CheckoffLog(data_dir / "checkoffs.csv")
    days = [MON - timedelta(weeks=2), MON - timedelta(weeks=2, days=-1), MON - timedelta(weeks=1)]
    for day in days:  # two sessions in W46 (met), one in W47 (not met)
        log.record([Change(day, "mini", item, True) for item in (ONE, TWO)])
    log.record([Change(TODAY, "mini", X, True)])  # partial today
    return stats.progress(log_frame(log), MINI_ROUTINE, TODAY, 0.5)


def layer_data(spec: dict, mark: str) -> list[dict]:
    (layer,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == mark]
    return spec["datasets"][layer["data"]["name"]]


@pytest.mark.parametrize(("range_weeks", "bars"), [(1, 1), (2, 2), (12, 3), (None, 3)])
def test_one_bar_per_week_in_range_from_the_first_logged_week(progress, range_weeks, bars):
    spec = spec_json(charts.weekly_spec(progress.weeks_in(range_weeks)))
    data = layer_data(spec, "bar")
    assert len(data) == bars
    assert len({row["start"] for row in data}) == bars
    assert data[-1]["start"] == "2026-11-23"


def test_axis_labels_name_the_year_once_the_range_is_longer_than_a_year(progress):
    def label(weeks):
        start = stats.range_start(TODAY, weeks)
        table = stats.week_table(progress.days, 2, TODAY, start)
        spec = spec_json(charts.weekly_spec(table))
        (layer,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == "bar"]
        return layer["encoding"]["x"]["axis"]["labelExpr"]

    assert "%Y" not in label(52)
    assert "%Y" in label(53)


def test_a_dashed_rule_at_each_weeks_target_and_met_weeks_look_different(progress):
    weeks = stats.week_table(progress.days, 2, TODAY, marked=[MON - timedelta(days=1)])
    spec = spec_json(charts.weekly_spec(weeks))
    (rule,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert rule["mark"]["strokeDash"]
    assert rule["encoding"]["y"]["field"] == "target"
    assert (rule["encoding"]["x"]["bandPosition"], rule["encoding"]["x2"]["bandPosition"]) == (0, 1)
    targets = {row["week"]: row["target"] for row in layer_data(spec, "rule")}
    assert targets == {"2026-W46": 2, "2026-W47": 1, "2026-W48": 2}  # Sunday off in W47
    bars = {row["week"]: row for row in layer_data(spec, "bar")}
    assert bars["2026-W46"]["status"] == charts.MET
    assert bars["2026-W47"]["status"] == charts.MET  # one session met the lowered target
    assert bars["2026-W48"]["status"] == charts.OPEN
    (bar_layer,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == "bar"]
    colour = bar_layer["encoding"]["color"]
    assert colour["field"] == "status"
    assert len(set(colour["scale"]["range"])) == len(charts.STATUS_COLOURS) == 4
    weeks = stats.week_table(progress.days, 2, TODAY)
    bars = {row["week"]: row for row in layer_data(spec_json(charts.weekly_spec(weeks)), "bar")}
    assert bars["2026-W47"]["status"] == charts.NOT_MET


def test_the_legend_names_only_the_statuses_of_the_weeks_shown(progress):
    def legend(weeks) -> list[str]:
        spec = spec_json(charts.weekly_spec(weeks))
        (bar_layer,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == "bar"]
        colour = bar_layer["encoding"]["color"]
        assert colour["scale"]["domain"] == list(charts.STATUS_COLOURS)  # colours stay put
        return colour["legend"]["values"]

    weeks = stats.week_table(progress.days, 2, TODAY)
    assert legend(weeks) == [charts.MET, charts.NOT_MET, charts.OPEN]  # no day off: no key
    assert legend(weeks.iloc[:1]) == [charts.MET]
    marked = stats.week_table(progress.days, 2, TODAY, marked=[MON - timedelta(days=1)])
    assert legend(marked) == [charts.MET, charts.OPEN]


def test_weekly_tooltips_have_the_week_its_dates_sessions_and_target(progress):
    spec = spec_json(charts.weekly_spec(progress.weeks_in(12)))
    (bar_layer,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == "bar"]
    fields = [t["field"] for t in bar_layer["encoding"]["tooltip"]]
    assert fields[:4] == ["week", "dates", "sessions", "target"]
    w46 = next(row for row in layer_data(spec, "bar") if row["week"] == "2026-W46")
    assert w46["dates"] == "Mon 9 Nov – Sun 15 Nov 2026"
    assert (w46["sessions"], w46["target"]) == (2, 2)


def test_charts_fit_their_container(progress):
    weekly = spec_json(charts.weekly_spec(progress.weeks_in(None)))
    heatmap = spec_json(charts.heatmap_spec(stats.heatmap_cells(progress.days, TODAY)))
    for spec in (weekly, heatmap):
        assert spec["width"] == "container"
        assert spec["autosize"]["type"] == "fit-x"


def test_heatmap_one_cell_per_day_sessions_outlined(progress):
    cells = stats.heatmap_cells(progress.days, TODAY)
    spec = spec_json(charts.heatmap_spec(cells))
    data = spec["datasets"][spec["data"]["name"]]
    assert len(data) == 25 * 7 + 3
    by_date = {row["date"]: row for row in data}
    assert by_date["Mon 9 Nov 2026"]["done"] == "2 / 4"
    assert by_date["Mon 9 Nov 2026"]["counted"] == "Session"
    assert by_date["Wed 25 Nov 2026"]["done"] == "1 / 4"
    assert by_date["Wed 25 Nov 2026"]["counted"] == "Partial, not a session"
    assert by_date["Tue 24 Nov 2026"]["counted"] == "Nothing logged"
    assert sum(row["session"] for row in data) == 3
    enc = spec["encoding"]
    assert enc["stroke"]["condition"]["test"] == "datum.session"
    assert enc["color"]["field"] == "share"
    assert [c["test"] for c in enc["color"]["condition"]] == [
        "!datum.logged && datum.off",
        "!datum.logged",
    ]
    assert enc["y"]["sort"] == list(stats.WEEKDAYS)
    assert [t["field"] for t in enc["tooltip"]][:2] == ["date", "done"]


def test_heatmap_shows_marked_days_off(progress):
    sick = date(2026, 11, 24)
    cells = stats.heatmap_cells(progress.days, TODAY, marks={sick: "sick: flu"})
    spec = spec_json(charts.heatmap_spec(cells))
    rows = {row["date"]: row for row in spec["datasets"][spec["data"]["name"]]}
    assert rows["Tue 24 Nov 2026"]["marked"] == "sick: flu"
    assert rows["Tue 24 Nov 2026"]["off"] is True
    assert rows["Mon 23 Nov 2026"]["off"] is False
    assert "marked" in [t["field"] for t in spec["encoding"]["tooltip"]]


def test_pain_chart_has_a_point_per_score_and_a_fixed_0_to_10_scale():
    import pandas as pd

    details = pd.DataFrame(
        {
            "session_date": pd.to_datetime([date(2026, 11, 20), date(2026, 11, 23)]),
            "pain_before": pd.array([6, 5], dtype="Int64"),
            "pain_after": pd.array([3, None], dtype="Int64"),
        }
    )
    spec = spec_json(charts.pain_spec(details))
    data = spec["datasets"][spec["data"]["name"]]
    assert sorted((r["date"], r["when"], r["pain"]) for r in data) == [
        ("2026-11-20", "After", 3),
        ("2026-11-20", "Before", 6),
        ("2026-11-23", "Before", 5),
    ]
    assert spec["encoding"]["y"]["scale"]["domain"] == [0, 10]
    assert spec["mark"]["point"] is True


def test_the_specs_are_valid_vega_lite_with_their_data(progress):
    """Each spec is validated once per shape and then filled with each render's data: the
    filled spec must still be valid Vega-Lite, data included."""
    import pandas as pd

    details = pd.DataFrame(
        {
            "session_date": pd.to_datetime([date(2026, 11, 20), date(2026, 11, 23)]),
            "pain_before": pd.array([6, 5], dtype="Int64"),
            "pain_after": pd.array([3, None], dtype="Int64"),
        }
    )
    cells = stats.heatmap_cells(progress.days, TODAY, marks={date(2026, 11, 24): "sick"})
    for spec in (
        charts.weekly_spec(progress.weeks_in(12)),
        charts.weekly_spec(stats.week_table(progress.days, 3, TODAY)),
        charts.heatmap_spec(cells),
        charts.pain_spec(details),
    ):
        plain_spec = spec_json(spec)
        Root.validate(plain_spec)
        assert all(plain_spec["datasets"].values())  # the data is in it
