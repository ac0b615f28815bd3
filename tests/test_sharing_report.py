"""The physio's report: its numbers are Progress's, it holds no outside reference, and
nothing from a note or the person can run or be fetched in it. Printing is checked in a
real browser (tests/browser/test_sharing_browser.py)."""

import re
from dataclasses import replace
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from hipdash import demo, stats
from hipdash.__main__ import main
from hipdash.feelings import FeelingLog
from hipdash.log import Change, CheckoffLog
from hipdash.models import Link
from hipdash.routines import parse_routine
from hipdash.sessions import SessionDetails, SessionLog
from hipdash.sharing import report

from .conftest import ROUTINE_1, cli_process

R = "hip-therapy-routine-1"
TODAY = date(2026, 11, 24)
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of every <title> and <td>."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.texts: dict[str, list[str]] = {"title": [], "td": [], "b": []}
        self._open: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag):
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag) :]

    def handle_data(self, data):
        if self._open and self._open[-1] in self.texts:
            self.texts[self._open[-1]].append(data)


@pytest.fixture
def demo_data(data_dir, routine1):
    demo.create(data_dir, routine1, 26, 1, TODAY)
    feelings = FeelingLog(data_dir)
    for weeks_ago, feeling in [(3, "hard"), (2, "painful"), (1, "painful")]:
        feelings.record(TODAY - timedelta(weeks=weeks_ago), R, "stretch/couch-stretch", feeling)
    return data_dir


def progress_for(data_dir, routine):
    sessions = SessionLog(data_dir)
    marks = {d: m.label for d, m in sessions.day_marks().items()}
    states = CheckoffLog(data_dir / "checkoffs.csv").day_states(routine.id)
    return stats.progress(states, routine, TODAY, 0.5, marks), sessions


@pytest.mark.parametrize("range_weeks", [12, 26, None])
def test_the_reports_numbers_are_progresss_for_the_same_range(demo_data, routine1, range_weeks):
    start, end = report.whole_weeks(TODAY, range_weeks)
    html = report.build(demo_data, routine1, TODAY, 0.5, start, end)
    p, sessions = progress_for(demo_data, routine1)
    weeks = p.weeks_in(range_weeks)
    shown = Elements(html)

    bars = [t for t in shown.texts["title"] if re.match(r"\d{4}-W\d\d: ", t)]
    assert bars == [
        f"{w.week}: {w.sessions} of {w.target} · {status}"
        for w, status in zip(weeks.itertuples(), report.svg.week_statuses(weeks), strict=True)
    ]
    done = stats.session_adherence(weeks)
    assert (
        done.planned
        == weeks["target"].sum() - (weeks["target"] - weeks["sessions"]).clip(lower=0).iloc[-1]
    )  # the open week plans what it has done so far
    assert f"{done.share:.0%}" in shown.texts["b"]
    assert f"{done.done} of {done.planned} planned sessions" in html
    assert f"{p.summary.current_streak} week" in " ".join(shown.texts["b"])
    assert _plural_weeks(p.summary.best_streak) in shown.texts["b"]

    table = stats.adherence(p.states, routine1, p.days_in(range_weeks))
    cells = shown.texts["td"]
    for row in table.itertuples():
        assert cells[cells.index(row.title) + 1] == f"{row.done} / {row.sessions}"
    assert "painful in 2 of the last 3 sessions" in cells

    details = stats.in_range(sessions.details_frame(R), "session_date", TODAY, range_weeks)
    assert stats.pain_summary(details).text in html
    notes = [n for n in details["note"] if n]
    assert notes and all(n in cells for n in notes[-report.MAX_NOTES :])


def _plural_weeks(n: int) -> str:
    return f"{n} week{'' if n == 1 else 's'}"


def test_a_new_routines_report_starts_at_its_first_week_and_adherence_counts_days_off(
    data_dir, routine1
):
    log = CheckoffLog(data_dir / "checkoffs.csv")
    mon = stats.monday(TODAY) - timedelta(weeks=2)
    for day in (mon, mon + timedelta(days=2), mon + timedelta(days=7)):
        log.record([Change(day, R, key, True) for key in routine1.item_keys])
    SessionLog(data_dir).mark_day(mon + timedelta(days=8), "sick", "flu")
    built = report.collect(data_dir, routine1, TODAY, 0.5, *report.whole_weeks(TODAY, 12))
    assert built.start == mon  # not 12 weeks back
    assert built.weeks["target"].tolist() == [3, 2, 3]
    # 2 of 3, then 1 of 2 (a sick day), then this open week: nothing done, nothing due yet
    assert (built.sessions.done, built.sessions.planned) == (3, 5)
    assert "sick: flu" in report.render(built)


def test_from_and_to_are_widened_to_whole_weeks(demo_data, routine1):
    start, end = report.whole_weeks(TODAY, first=date(2026, 9, 9), last=date(2026, 10, 14))
    assert (start, end) == (date(2026, 9, 7), date(2026, 10, 18))
    built = report.collect(demo_data, routine1, TODAY, 0.5, start, end)
    p, _ = progress_for(demo_data, routine1)
    assert built.weeks.equals(p.weeks_between(start, end))
    assert built.weeks["week"].tolist()[0] == "2026-W37" and len(built.weeks) == 6
    assert report.whole_weeks(TODAY, first=date(2026, 11, 1))[1] == TODAY  # never past today


def test_no_outside_reference_but_the_routines_own_links(demo_data, routine1):
    html = report.build(demo_data, routine1, TODAY, 0.5, *report.whole_weeks(TODAY, 26))
    own = {link.url for link in routine1.links}
    assert set(re.findall(r"https?://[^\s\"'<>)]+", html)) <= own
    shown = Elements(html)
    assert {tag for tag, _ in shown.tags}.isdisjoint({"script", "iframe", "link", "img", "object"})
    assert not any(k in ("src", "srcset") or k.startswith("on") for _, a in shown.tags for k in a)
    assert "url(" not in html and "@import" not in html
    assert "Content-Security-Policy" in html


def test_hostile_titles_notes_and_links_stay_inert(data_dir):
    text = ROUTINE_1.read_text()
    text = text.replace("title: Hip Therapy Routine 1", f"title: '{HOSTILE}'")
    text = text.replace("title: Couch stretch", "title: '<b onmouseover=alert(3)>Couch</b>'")
    # the loader refuses such a link; the report does not rely on that
    bad = (Link("<i>x</i>", "javascript:alert(4)"), Link("data", "data:text/html,<script>"))
    routine = replace(parse_routine(text), links=bad)
    day = TODAY - timedelta(days=1)
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [Change(day, R, key, True) for key in routine.item_keys]
    )
    SessionLog(data_dir).save(SessionDetails(day, R, 5, 3, 30, HOSTILE))
    SessionLog(data_dir).mark_day(day - timedelta(days=1), "sick", '"><svg onload=alert(5)>')
    html = report.build(data_dir, routine, TODAY, 0.5, *report.whole_weeks(TODAY, 12))
    shown = Elements(html)
    assert {tag for tag, _ in shown.tags}.isdisjoint({"script", "img", "i"})
    assert not any(k.startswith("on") for _, attrs in shown.tags for k in attrs)
    assert not [tag for tag, _ in shown.tags if tag == "a"]  # no http(s) link, no link
    assert "javascript:" not in html and "data:" not in html
    assert HOSTILE in shown.texts["td"]  # shown as text, literally
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_report_command_writes_a_private_file(demo_data, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HIPDASH_TODAY", TODAY.isoformat())
    out = tmp_path / "report.html"
    assert main(["report", "--weeks", "12", "--out", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600
    printed = capsys.readouterr().out
    assert "2026-09-07 to 2026-11-24" in printed and "planned sessions" in printed
    assert main(["report", "--out", str(out)]) == 1  # exists, no --force
    again = ["report", "--from", "2026-09-09", "--to", "2026-10-14", "--out", str(out)]
    assert main([*again, "--force"]) == 0
    assert "Mon 7 Sep 2026 – Sun 18 Oct 2026 (6 weeks)" in out.read_text()
    assert main(["report", "--weeks", "4", "--from", "2026-09-01", "--out", str(out)]) == 2
    with pytest.raises(SystemExit):  # past any calendar: said, not an OverflowError
        main(["report", "--weeks", "99999999", "--out", str(out), "--force"])
    assert "weeks must be from 0 (all time) to 5,200" in capsys.readouterr().err
    assert main(["report", "--weeks", "5200", "--out", str(out), "--force"]) == 0
    capsys.readouterr()
    assert main(["report", "--routine", "nope", "--out", str(out), "--force"]) == 1
    assert capsys.readouterr().err == f"hipdash report: error: no routine 'nope'; there are: {R}\n"


def test_how_exercises_felt_is_shown_even_in_a_range_without_a_session(data_dir, routine1):
    """Three exercises done and felt (not enough for a session): no adherence to show, but
    the feelings noted are in the report, under the exercises' titles."""
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [Change(TODAY, R, "stretch/couch-stretch", True)]
    )
    feelings = FeelingLog(data_dir)
    feelings.record(TODAY, R, "stretch/couch-stretch", "hard")
    feelings.record(TODAY, R, "strengthen/hip-strength-four", "painful")
    html = report.build(data_dir, routine1, TODAY, 0.5, *report.whole_weeks(TODAY, 12))
    cells = Elements(html).texts["td"]
    assert "No sessions in this range." in html
    assert cells[cells.index("Couch stretch") + 1] == "hard in the last session"
    four = "The four exercises demonstrated in the following video:"
    assert cells[cells.index(four) + 1] == "painful in the last session"


def test_an_exercise_added_after_the_last_session_is_said_new_not_most_skipped(demo_data, routine1):
    added = routine1.item_keys[0]
    routine = replace(routine1, added=((added, TODAY),))
    start, end = report.whole_weeks(TODAY, 12)
    html = report.build(demo_data, routine, TODAY, 0.5, start, end)
    title = routine1.items()[0].title
    rows = re.findall(r"<tr><td>(.*?)</td><td class=num>(.*?)</td>", html)
    assert rows[-1] == (title, "new: no session since it was added")
    assert all(re.fullmatch(r"\d+ / \d+", said) for _, said in rows[:-1])


def test_the_report_says_how_many_lines_it_left_out_as_unreadable(demo_data, tmp_path):
    """The pages list them; a report without a word would look whole."""
    env = {"HIPDASH_TODAY": TODAY.isoformat()}
    done = cli_process("report", "--out", str(tmp_path / "whole.html"), **env)
    assert done.returncode == 0 and done.stderr == ""
    assert "cannot be read" not in (tmp_path / "whole.html").read_text()

    with open(demo_data / "checkoffs.csv", "ab") as log:
        log.write(b"garbage\n2026-11-20,x\n")
    with open(demo_data / "days.csv", "ab") as days:
        days.write(b"not a day\n")
    done = cli_process("report", "--out", str(tmp_path / "r.html"), **env)
    assert done.returncode == 0, done.stderr
    said = "2 lines of checkoffs.csv, 1 line of days.csv"
    assert done.stderr == (
        f"hipdash report: warning: left out {said}, which cannot be read (they stay in the files)\n"
    )
    html = (tmp_path / "r.html").read_text()
    assert (
        f"<p class=note>Left out: {said}, which cannot be read (they stay in the files).</p>"
        in (html)
    )
