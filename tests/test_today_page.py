"""The Today page through Streamlit's AppTest, with the real CSV in a temp dir."""

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from hipdash.log import Change, CheckoffLog

from .conftest import PROJECT, plain

R = "hip-therapy-routine-1"
DEAD_BUG = "strengthen/hip-strength-four/dead-bug"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("HIPDASH_TODAY", "2026-11-24")


def today_page() -> AppTest:
    return AppTest.from_file(str(PROJECT / "app.py"), default_timeout=30).run()


def checkbox(at: AppTest, label: str):
    (found,) = [c for c in at.checkbox if c.label == label]
    return found


def progress_text(at: AppTest) -> str:
    return at.get("progress")[0].proto.text


def test_routine_1_renders_16_checkboxes_in_three_sections():
    at = today_page()
    assert not at.exception
    assert len(at.checkbox) == 16
    assert [h.value for h in at.subheader] == [
        "Release",
        "Strengthen",
        "Stretch",
        "After the session",
    ]
    assert progress_text(at) == "**0 / 16** done"
    assert at.date_input(key="hd_day").value == date(2026, 11, 24)


def test_ticking_dead_bug_is_saved_and_survives_a_fresh_run(data_dir):
    at = today_page()
    checkbox(at, "Dead bug").check().run()
    assert not at.exception
    assert progress_text(at) == "**1 / 16** done"
    rows = (data_dir / "checkoffs.csv").read_text().splitlines()
    assert len(rows) == 2
    assert rows[1].endswith(f",2026-11-24,{R},{DEAD_BUG},1")

    fresh = today_page()  # a reload: new session, state only from the CSV
    assert checkbox(fresh, "Dead bug").value is True
    assert sum(c.value for c in fresh.checkbox) == 1
    assert progress_text(fresh) == "**1 / 16** done"


def test_unticking_is_saved_too(data_dir):
    at = today_page()
    checkbox(at, "Dead bug").check().run()
    checkbox(at, "Dead bug").uncheck().run()
    assert progress_text(at) == "**0 / 16** done"
    assert (data_dir / "checkoffs.csv").read_text().splitlines()[-1].endswith(",0")
    assert checkbox(today_page(), "Dead bug").value is False


def test_an_earlier_date_shows_and_saves_that_day(data_dir):
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [Change(date(2026, 11, 20), R, "release/cat-cow", True)]
    )
    at = today_page()
    assert checkbox(at, "Cat/cow stretch").value is False
    at.date_input(key="hd_day").set_value(date(2026, 11, 20)).run()
    assert checkbox(at, "Cat/cow stretch").value is True
    checkbox(at, "Wrist stretches").check().run()
    assert (data_dir / "checkoffs.csv").read_text().splitlines()[-1].split(",")[1] == "2026-11-20"
    assert progress_text(at) == "**2 / 16** done"


def test_no_future_dates():
    at = today_page()
    assert at.date_input(key="hd_day").proto.max == "2026-11-24"


def test_a_card_with_every_step_ticked_looks_done():
    at = today_page()
    for step in ("Dead bug", "Side plank clamshell", "Leg extension to side"):
        checkbox(at, step).check().run()
    titles = [plain(m.value) for m in at.markdown]
    assert "**The four exercises demonstrated in the following video:**" in titles
    checkbox(at, "Unassisted hip airplane").check().run()
    titles = [plain(m.value) for m in at.markdown]
    assert "✅ **The four exercises demonstrated in the following video:**" in titles


def test_no_player_until_one_is_asked_for_then_the_nocookie_one():
    at = today_page()
    assert len(at.get("iframe")) == 0
    assert len(at.toggle) == 8
    at.toggle(key=f"watch:{R}:strengthen/hip-strength-four").set_value(True).run()
    (frame,) = at.get("iframe")
    assert frame.proto.src == "https://www.youtube-nocookie.com/embed/12NGWxpDlr8?rel=0"


def test_a_tick_that_cannot_be_saved_is_not_shown_as_saved(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "checkoffs.csv").mkdir()  # the log path is unusable
    at = today_page()
    checkbox(at, "Dead bug").check().run()
    assert not at.exception
    assert checkbox(at, "Dead bug").value is False
    assert progress_text(at) == "**0 / 16** done"
    assert any("Not saved" in e.value for e in at.error)
    assert any("This tick was not saved" in e.value for e in at.error)


def test_unreadable_log_lines_are_reported_on_the_page(data_dir):
    log = CheckoffLog(data_dir / "checkoffs.csv")
    log.record([Change(date(2026, 11, 24), R, DEAD_BUG, True)])
    with open(log.path, "a") as f:
        f.write("garbage\n")
    at = today_page()
    assert checkbox(at, "Dead bug").value is True
    assert any("could not be read" in w.value and "line 3" in w.value for w in at.warning)


def test_a_routines_dir_with_only_broken_files_says_so(tmp_path, monkeypatch):
    (tmp_path / "bad.yaml").write_text("id: x\n")
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path))
    at = today_page()
    assert not at.exception
    assert any("bad.yaml: title: missing required key" in plain(w.value) for w in at.warning)
    assert any("No routines" in i.value for i in at.info)


def test_a_routine_picker_appears_with_two_routines(tmp_path, monkeypatch):
    from .test_routines import VALID

    (tmp_path / "mini.yaml").write_text(VALID)
    (tmp_path / "r1.yaml").write_text((PROJECT / "routines/hip-therapy-routine-1.yaml").read_text())
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path))
    at = today_page()
    picker = at.selectbox(key="hd_routine")
    assert picker.options == ["Hip Therapy Routine 1", "Mini routine"]
    picker.select("mini").run()
    assert len(at.checkbox) == 3
