"""The physio's report in a real browser: it opens from the file alone, fetches nothing,
runs nothing and prints on at most two pages; Progress offers it and the phone panel."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from hipdash import demo
from hipdash.feelings import FeelingLog
from hipdash.routines import load_routine
from hipdash.sessions import SessionDetails, SessionLog
from hipdash.sharing import report

from ..conftest import ROUTINE_1
from .conftest import TODAY, wait_idle

R = "hip-therapy-routine-1"
DAY = date.fromisoformat(TODAY)


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def open_file(page, path) -> list[str]:
    """Open a local file; return every request other than the file itself."""
    requests = []
    page.on("request", lambda r: requests.append(r.url) if r.url != path.as_uri() else None)
    page.on("dialog", lambda d: requests.append(f"dialog: {d.message}"))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return requests


def test_the_demo_report_prints_on_two_pages_and_fetches_nothing(page, tmp_path, figures):
    routine = load_routine(ROUTINE_1)
    data = tmp_path / "data"
    demo.create(data, routine, 26, 1, DAY)
    for weeks_ago in range(1, 6):
        day = DAY - timedelta(weeks=weeks_ago)
        FeelingLog(data).record(day, R, "stretch/couch-stretch", "painful")
        FeelingLog(data).record(day, R, "strengthen/hip-strength-four", "hard")
    sizes = {}
    for weeks in (12, 26):
        built = report.collect(data, routine, DAY, 0.5, *report.whole_weeks(DAY, weeks))
        html = report.render(built)
        path = tmp_path / f"report-{weeks}.html"
        path.write_text(html)
        assert open_file(page, path) == []
        expect(page.locator("h1")).to_have_text(routine.title)
        assert page.locator("svg rect title").count() == len(built.weeks)  # a bar a week
        assert page.evaluate("document.scripts.length") == 0
        for paper in ("A4", "Letter"):
            pages = pdf_pages(page.pdf(format=paper))
            assert 1 <= pages <= 2, (weeks, paper, pages)
            sizes[(weeks, paper)] = pages
        page.set_viewport_size({"width": 390, "height": 844})  # also readable on a phone
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.set_viewport_size({"width": 1280, "height": 720})
        figures.append(
            f"physio report, demo data, {weeks} weeks: {len(html.encode()):,} bytes, "
            f"A4 {sizes[(weeks, 'A4')]} pages, Letter {sizes[(weeks, 'Letter')]} pages"
        )


def test_a_hostile_note_runs_nothing_in_the_report(page, tmp_path):
    routine = load_routine(ROUTINE_1)
    data = tmp_path / "data"
    demo.create(data, routine, 4, 1, DAY)
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">javascript:alert(3)'
    SessionLog(data).save(SessionDetails(DAY - timedelta(days=1), R, 3, 2, 20, hostile))
    SessionLog(data).mark_day(DAY - timedelta(days=2), "sick", "<svg onload=alert(4)>")
    path = tmp_path / "report.html"
    path.write_text(report.build(data, routine, DAY, 0.5, *report.whole_weeks(DAY, 12)))
    assert open_file(page, path) == []  # no dialog, no request for x
    assert page.evaluate("document.querySelectorAll('script, img').length") == 0
    expect(page.get_by_text(hostile)).to_have_count(1)  # shown as the text it is


def test_progress_offers_the_report_and_the_phone_panel_only_on_a_computer(page, server):
    demo.create(server.data_dir, load_routine(ROUTINE_1), 26, 1, DAY)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server.url}/progress")
    wait_idle(page)
    planned = page.get_by_text(re.compile(r"of \d+ planned sessions")).first.inner_text()
    button = page.get_by_role("button", name="Report for my physio")
    button.scroll_into_view_if_needed()
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == f"{R}-report-{TODAY}.html"
    with open(download.value.path(), encoding="utf-8") as f:
        html = f.read()
    done_of_planned = planned.split(" (")[0]  # '33 of 34 planned sessions', as on Weeks
    assert re.fullmatch(r"\d+ of \d+ planned sessions", done_of_planned)
    assert f"{done_of_planned}</small>" in html
    panel = page.locator(".st-key-hd-phone")
    expect(panel).to_be_visible()
    panel.get_by_text("Open on your phone").click()
    wait_idle(page)
    expect(panel.locator("code").first).to_contain_text("--server.address 0.0.0.0")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(panel).to_be_hidden()
