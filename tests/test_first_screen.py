"""Today's first screen in its HTML (hipdash.ui.first): the data the page's run would send,
drawn only where the page would show it at once with nothing above the cards, and never
before a passcode."""

from __future__ import annotations

import json
import re
import time
from datetime import date

import pytest
import streamlit

from hipdash import passcode
from hipdash.library.save import set_archived
from hipdash.services import visits
from hipdash.sessions import SessionLog
from hipdash.ui import first
from tests.component import click, data, key_of
from tests.conftest import PROJECT

TODAY = "2026-11-24"
ROUTINE = "hip-therapy-routine-1"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", TODAY)


def test_the_first_screen_is_what_todays_run_sends_the_cards(app_page):
    at = click(click(app_page(), "Dead bug"), "Wrist stretches")
    sent = data(at)
    drawn = first.data({})["cards"]
    # Only what a server session adds differs: its mark and the actions it has answered.
    session_only = {
        *("session", "ack", "answered", "first", "history", "can_undo", "message", "restored"),
    }
    assert {k: v for k, v in drawn.items() if k not in session_only} == {
        k: v for k, v in sent.items() if k not in session_only
    }
    assert drawn["counts"]["done"] == 2 and drawn["first"] and not sent["first"]
    assert drawn["state"] == {key_of(at, "Dead bug"): True, key_of(at, "Wrist stretches"): True}


def test_the_nav_bar_is_drawn_with_today_as_the_page_shown():
    links = first.data({})["links"]
    assert [link["url"] for link in links] == ["today", "progress", "routines", "backup"]
    assert [link["current"] for link in links] == [True, False, False, False]


def _two_routines(data_dir):
    mine = data_dir / "routines" / "mine.yaml"
    mine.parent.mkdir(parents=True)
    text = (PROJECT / "routines" / f"{ROUTINE}.yaml").read_text()
    text = re.sub(r"(?m)^title: .*$", "title: Mine", text, count=1)
    mine.write_text(re.sub(r"(?m)^id: .*$", "id: mine", text, count=1))


def test_with_two_routines_the_last_used_is_drawn_and_its_box_has_its_place(data_dir):
    assert not first.data({})["picker"]
    _two_routines(data_dir)
    drawn = first.data({})
    assert drawn["picker"] and drawn["cards"]["top"]["title"] == "Hip Therapy Routine 1"
    visits.use_routine(data_dir, "mine")
    assert first.data({})["cards"]["top"]["title"] == "Mine"


def _bad_log_line(data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "checkoffs.csv").write_text(
        "timestamp,session_date,routine,item,done\nnot,a,line\n"
    )


def _day_marked(data_dir):
    SessionLog(data_dir).mark_day(date.fromisoformat(TODAY), "rest")


def _conflict_copy(data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    header = "timestamp,session_date,routine,item,done\n"
    (data_dir / "checkoffs.csv").write_text(header)
    (data_dir / "checkoffs.sync-conflict-20261124-101010-ABCDEFG.csv").write_text(header)


def _broken_routine_file(data_dir):
    (data_dir / "routines").mkdir(parents=True)
    (data_dir / "routines" / "broken.yaml").write_text("title: [unclosed\n")


def _archived(data_dir):
    set_archived(data_dir, PROJECT / "routines", ROUTINE, True)


@pytest.mark.parametrize(
    "make",
    [_bad_log_line, _day_marked, _conflict_copy, _broken_routine_file, _archived],
    ids=["unreadable line", "day marked", "sync copy", "unusable routine file", "archived"],
)
def test_nothing_is_drawn_ahead_when_the_run_shows_something_above_or_instead(make, data_dir):
    assert first.data({}) is not None
    make(data_dir)
    assert first.data({}) is None
    assert first.html({}) == b""


def test_a_bad_pinned_today_draws_nothing_ahead(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", "garbage")
    assert first.data({}) is None


def test_nothing_is_drawn_before_the_passcode_but_a_remembered_device_is(monkeypatch, data_dir):
    monkeypatch.setenv("HIPDASH_PASSCODE", "correct horse battery")
    assert first.data({}) is None
    assert first.data({passcode.COOKIE: "forged"}) is None
    secret = passcode.load_secret(data_dir)
    token = passcode.device_token(secret, "correct horse battery", time.time())
    assert first.data({passcode.COOKIE: token})["cards"]["top"]["title"]
    monkeypatch.setenv("HIPDASH_PASSCODE", "another long passcode")  # a new one revokes it
    assert first.data({passcode.COOKIE: token}) is None


def test_a_server_beyond_this_computer_without_a_passcode_draws_nothing(monkeypatch):
    real = streamlit.get_option
    asked = lambda name: "0.0.0.0" if name == "server.address" else real(name)  # noqa: E731
    monkeypatch.setattr(streamlit, "get_option", asked)
    assert first.data({}) is None


def test_a_note_cannot_break_out_of_the_pages_html(data_dir, monkeypatch):
    text = (PROJECT / "routines" / f"{ROUTINE}.yaml").read_text()
    title = "Hips </script><script>alert(1)</script> <!--<script> x"
    mine = data_dir / "routines" / f"{ROUTINE}.yaml"
    mine.parent.mkdir(parents=True)
    mine.write_text(re.sub(r"(?m)^title: .*$", f"title: {json.dumps(title)}", text, count=1))
    html = first.html({})
    assert html.count(b"</script>") == 2  # the data's and the script's own ends, no other
    assert b"<!--" not in html  # (it would hide the script's end in the data: no first screen)
    given = re.search(rb'id="hd-first-data">(.*?)</script>', html, re.S)[1]
    assert json.loads(given)["cards"]["top"]["title"] == title
