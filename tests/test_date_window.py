"""Days outside 2000-01-01 to a year ahead: refused in the link, in a restore, when a
log line is read and when one would be written, so no chart or report counts from
year 1 (reproduction: a tick on 0001-01-01, accepted by `?date=` and by restore, read
back as 1754-08-30, and the report said "7 of 42614 planned sessions")."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hipdash import fields
from hipdash.__main__ import main
from hipdash.backup import BackupError, restore_backup
from hipdash.log import Change, CheckoffLog
from hipdash.sessions import SessionDetails, SessionLog
from hipdash.ui import PAGES

from . import component as cards
from .conftest import TODAY, R, cli_process, crafted_backup, plain

HEADER = "recorded_at,session_date,routine,item,done"
TICK = "2026-11-24T08:00:00+00:00,{day},hip-therapy-routine-1,release/cat-cow,1"
FAR = [date(1, 1, 1), date(1999, 12, 31), date.today() + timedelta(days=fields.DAYS_AHEAD + 1)]


@pytest.mark.parametrize("day", FAR, ids=str)
def test_a_log_line_about_a_day_out_of_the_window_is_skipped_with_a_warning(day, data_dir):
    data_dir.mkdir()
    lines = [HEADER, TICK.format(day=day), TICK.format(day=TODAY)]
    (data_dir / "checkoffs.csv").write_text("\n".join(lines) + "\n")
    snap = CheckoffLog(data_dir / "checkoffs.csv").snapshot()
    assert [r[1] for r in snap.records] == [TODAY.isoformat()]
    assert "line 2: session_date is not a day from 2000-01-01 to a year ahead" in snap.problems[0]


@pytest.mark.parametrize("day", FAR, ids=str)
def test_no_tick_or_detail_is_written_for_a_day_the_reader_would_skip(day, data_dir):
    with pytest.raises(ValueError, match="is not a day from 2000-01-01"):
        CheckoffLog(data_dir / "checkoffs.csv").record([Change(day, R, "release/cat-cow", True)])
    with pytest.raises(ValueError, match="is not a day from 2000-01-01"):
        SessionLog(data_dir).save(SessionDetails(day, R, minutes=5))
    assert not (data_dir / "checkoffs.csv").exists()


def test_a_restore_refuses_a_line_about_year_1(data_dir, tmp_path):
    raw = crafted_backup({"checkoffs.csv": f"{HEADER}\n{TICK.format(day='0001-01-01')}\n".encode()})
    with pytest.raises(BackupError, match="checkoffs.csv line 2: session_date is not a day"):
        restore_backup(raw, data_dir)


@pytest.mark.parametrize("linked", ["0001-01-01", "1999-12-31", "9999-12-31"])
def test_a_link_to_a_day_out_of_the_window_is_said_and_opens_today(linked, app_page, monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", TODAY.isoformat())
    at = app_page(query={"date": linked})
    assert not at.exception
    (said,) = [plain(w.value) for w in at.warning]
    assert "in the future" in said or "before 2000" in said
    at.button(key="hd-open-today").click().run()
    assert cards.day(at) == TODAY
    assert not [w for w in at.warning if "Editing" in plain(w.value)]


def test_the_report_counts_from_the_first_real_week(data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HIPDASH_TODAY", TODAY.isoformat())
    data_dir.mkdir()
    lines = [HEADER, TICK.format(day="0001-01-01"), TICK.format(day=TODAY)]
    (data_dir / "checkoffs.csv").write_text("\n".join(lines) + "\n")
    out = tmp_path / "r.html"
    assert main(["report", "--weeks", "0", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"{TODAY - timedelta(days=TODAY.weekday())} to" in said, said
    with pytest.raises(SystemExit):
        main(["report", "--from", "0001-01-01", "--out", str(out), "--force"])


# -- HIPDASH_TODAY that is not a day: said, never a traceback -----------------------------

PINS = {
    "garbage": "HIPDASH_TODAY is not a YYYY-MM-DD date ('garbage')",
    "2026-02-30": "HIPDASH_TODAY is not a real date ('2026-02-30')",
    "0001-01-02": "HIPDASH_TODAY is not a day from 2000-01-01 to a year ahead ('0001-01-02')",
}


@pytest.mark.parametrize("page", [None, *(page.path for page in PAGES)])
@pytest.mark.parametrize("pin", list(PINS))
def test_a_pin_of_today_that_is_not_a_day_is_said_and_the_real_date_used(
    app_page, monkeypatch, page, pin
):
    monkeypatch.setenv("HIPDASH_TODAY", pin)
    at = app_page(page)
    assert not at.exception
    assert [plain(e.value) for e in at.error] == [
        f"{PINS[pin]}: the pages show today's real date. Unset it, or set it to a day (YYYY-MM-DD)."
    ]
    if page is None:
        assert cards.day(at) == date.today()


@pytest.mark.parametrize("command", [["report"], ["export"], ["calendar"], ["check"]])
def test_a_command_refuses_a_pin_of_today_that_is_not_a_day(data_dir, tmp_path, command):
    done = cli_process(*command, cwd=tmp_path, HIPDASH_TODAY="garbage")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"hipdash {command[0]}: error: {PINS['garbage']}: unset it, or set it to a day "
        "(YYYY-MM-DD)\n"
    )
    assert not data_dir.exists()
