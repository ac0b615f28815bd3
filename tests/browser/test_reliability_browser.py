"""A data dir the app cannot write to, in a real browser: the person is told before
ticking, and a tick that failed is not shown as saved, also after a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import Server, click_tick, header_count, open_page, tick_box, wait_idle


@pytest.fixture
def read_only_server(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    log = data / "checkoffs.csv"
    log.write_text(
        "recorded_at,session_date,routine,item,done\n"
        "2026-11-24T08:00:00+00:00,2026-11-24,hip-therapy-routine-1,release/cat-cow,1\n"
    )
    srv = Server(data, read_only=data)
    yield srv
    srv.stop()


def test_a_read_only_data_dir_is_said_up_front_and_a_failed_tick_stays_unticked(
    page, read_only_server
):
    before = (read_only_server.data_dir / "checkoffs.csv").read_bytes()
    open_page(page, read_only_server)
    alert = page.get_by_role("alert").filter(has_text="Ticks cannot be saved")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("read-only")
    expect(tick_box(page, "Cat/cow stretch").locator("input")).to_be_checked()  # still readable

    click_tick(page, "Dead bug")
    expect(page.get_by_text("This tick was not saved.")).to_be_visible()
    failed = page.get_by_role("alert").filter(has_text="Read-only file system")
    expect(failed).to_contain_text("Not saved")
    expect(tick_box(page, "Dead bug").locator("input")).not_to_be_checked()
    expect(header_count(page)).to_have_text("1 / 16 done")

    page.reload()
    wait_idle(page)
    expect(tick_box(page, "Dead bug").locator("input")).not_to_be_checked()
    assert (read_only_server.data_dir / "checkoffs.csv").read_bytes() == before
