"""Demo data: realistic, deterministic with a seed, written as the app writes, never over a log."""

import os
import subprocess
import sys
from datetime import date, timedelta

import pytest

from hipdash import demo, stats
from hipdash.__main__ import main
from hipdash.log import COLUMNS, CheckoffLog

from .conftest import PROJECT, log_frame

TODAY = date(2026, 11, 24)


def test_the_same_seed_gives_the_same_clicks_and_another_seed_others(routine1):
    first = demo.generate(routine1, 26, 7, TODAY)
    assert first == demo.generate(routine1, 26, 7, TODAY)
    assert first != demo.generate(routine1, 26, 8, TODAY)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_log_looks_like_a_real_one(routine1, data_dir, seed):
    clicks = demo.generate(routine1, 26, seed, TODAY)
    assert [c.at for c in clicks] == sorted(c.at for c in clicks)  # file order = click order
    first_monday = stats.monday(TODAY) - timedelta(weeks=25)
    assert all(first_monday <= c.change.session_date < TODAY for c in clicks)
    assert {c.change.item for c in clicks} <= set(routine1.item_keys)
    assert any(not c.change.done for c in clicks), "some un-ticks"
    assert any(c.at.date() > c.change.session_date for c in clicks), "some filled in later"

    log = CheckoffLog(data_dir / "checkoffs.csv")
    assert demo.write(log, clicks) == len(clicks)
    p = stats.progress(log_frame(log), routine1, TODAY, 0.5)
    assert not p.days["session"].all(), "some partial days"
    assert p.weeks["sessions"].eq(0).sum() >= 2, "some weeks missed"
    assert p.weeks["met"].sum() >= 8, "mostly on target"
    assert 40 <= p.summary.total <= 90
    skipped = stats.adherence(log_frame(log), routine1, p.days)
    assert skipped["share"].iloc[0] < 0.75 < skipped["share"].iloc[-1], "some skipped more"


def test_clicks_are_written_exactly_as_the_app_writes_them(routine1, data_dir):
    clicks = demo.generate(routine1, 4, 1, TODAY)
    log = CheckoffLog(data_dir / "checkoffs.csv")
    demo.write(log, clicks)
    lines = log.path.read_text().splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert len(lines) == len(clicks) + 1
    assert log.snapshot().problem_count == 0
    c = clicks[0].change
    assert lines[1].split(",")[1:] == [
        c.session_date.isoformat(),
        c.routine,
        c.item,
        "1" if c.done else "0",
    ]


def run_demo(directory, *extra):
    args = ["demo", "--data-dir", str(directory), "--weeks", "26", "--today", "2026-11-24"]
    return main([*args, *extra])


def test_demo_command_writes_a_log_and_says_how_to_see_it(tmp_path, capsys):
    target = tmp_path / "demo"
    assert run_demo(target, "--seed", "3") == 0
    out = capsys.readouterr().out
    assert f"{target / 'checkoffs.csv'}" in out
    assert f"HIPDASH_DATA_DIR={target}" in out
    assert len((target / "checkoffs.csv").read_text().splitlines()) > 500


def test_demo_command_refuses_to_overwrite_a_log(tmp_path, capsys):
    target = tmp_path / "demo"
    assert run_demo(target, "--seed", "1") == 0
    before = (target / "checkoffs.csv").read_bytes()
    capsys.readouterr()
    assert run_demo(target, "--seed", "2") == 1
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err
    assert (target / "checkoffs.csv").read_bytes() == before


def test_force_moves_the_old_log_aside_instead_of_deleting_it(tmp_path, capsys):
    target = tmp_path / "demo"
    assert run_demo(target, "--seed", "1") == 0
    before = (target / "checkoffs.csv").read_bytes()
    assert run_demo(target, "--seed", "2", "--force") == 0
    (aside,) = target.glob("checkoffs.before-demo-*.csv")
    assert aside.read_bytes() == before
    assert (target / "checkoffs.csv").read_bytes() != before
    assert str(aside) in capsys.readouterr().out


def test_an_unknown_routine_or_no_weeks_is_a_clear_error(tmp_path, capsys):
    assert run_demo(tmp_path / "a", "--routine", "nope") == 1
    assert "no routine with id 'nope'" in capsys.readouterr().err
    assert main(["demo", "--data-dir", str(tmp_path / "b"), "--weeks", "0"]) == 1
    assert "--weeks must be between 1 and 520" in capsys.readouterr().err
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_python_m_hipdash_demo_end_to_end_is_deterministic(tmp_path):
    env = dict(os.environ, TZ="Europe/Amsterdam")  # offsets change with summer time
    outputs = []
    for name in ("one", "two"):
        command = [sys.executable, "-m", "hipdash", "demo", "--data-dir", str(tmp_path / name)]
        command += ["--weeks", "26", "--seed", "11", "--today", "2026-11-24"]
        done = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        outputs.append((tmp_path / name / "checkoffs.csv").read_bytes())
    assert outputs[0] == outputs[1]
    text = outputs[0].decode()
    assert "+02:00," in text and "+01:00," in text  # what the app writes: local time, offset


def test_demo_adds_session_details_and_days_off(tmp_path, routine1):
    from hipdash.sessions import SessionLog

    written = demo.create(tmp_path, routine1, 26, 5, TODAY)
    sessions = SessionLog(tmp_path)
    frame = sessions.details_frame(routine1.id)
    assert written.details == len(frame) > 20
    assert frame["pain_before"].between(0, 10).all() and frame["minutes"].between(22, 40).all()
    logged = set(
        stats.day_table(log_frame(CheckoffLog(tmp_path / "checkoffs.csv")), routine1, TODAY, 0.5)[
            "date"
        ].dt.date
    )
    assert set(frame["session_date"].dt.date) <= logged  # details only for days with ticks
    marks = sessions.day_marks()
    assert written.marked_days == len(marks) == 10
    assert sorted({m.kind for m in marks.values()}) == ["sick", "travel"]
    assert not logged & set(marks)  # marked days are days without ticks
    again = tmp_path / "again"
    demo.create(again, routine1, 26, 5, TODAY)
    for name in ("sessions.csv", "days.csv"):
        assert (again / name).read_bytes() == (tmp_path / name).read_bytes()


def test_demo_refuses_a_dir_with_session_details_too(tmp_path, routine1):
    from hipdash.sessions import SessionDetails, SessionLog

    SessionLog(tmp_path).save(SessionDetails(TODAY, routine1.id, pain_before=3))
    with pytest.raises(demo.DemoError, match="sessions.csv already exists"):
        demo.create(tmp_path, routine1, 26, 5, TODAY)
    assert not (tmp_path / "checkoffs.csv").exists()
