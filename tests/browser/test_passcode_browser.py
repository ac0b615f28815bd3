"""The passcode in a real browser: a device that gave it is remembered by a signed,
HttpOnly, SameSite=Strict cookie for 30 days; a changed passcode or a wrong cookie asks
again; the throttle still holds."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from hipdash import passcode
from hipdash.ui import gate

from .conftest import Server, hover_only_help, small_targets, wait_idle

FIRST, SECOND = "open sesame 7", "a new passcode 8"


@pytest.fixture(scope="module")
def passcode_servers(tmp_path_factory):
    """Two servers on one data dir, the second with another passcode: the first one's
    passcode changed, as far as a device that gave it can tell (cookies ignore the port).
    Shared by the module: each test has a browser of its own (its own cookies)."""
    data = tmp_path_factory.mktemp("passcode") / "data"
    first = Server(data, env={"HIPDASH_PASSCODE": FIRST})
    second = Server(data, env={"HIPDASH_PASSCODE": SECOND})
    yield first, second
    first.stop()
    second.stop()


def open_locked(page, server: Server):
    page.goto(f"{server.url}/today")
    wait_idle(page)
    return page.locator('input[type="password"]')


def give(page, text: str) -> None:
    page.locator('input[type="password"]').fill(text)
    page.get_by_role("button", name="Unlock").click()
    wait_idle(page)


def device_cookie(page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == passcode.COOKIE), None)


def test_a_device_is_remembered_until_the_passcode_changes_and_a_wrong_cookie_is_refused(
    page, passcode_servers
):
    first, second = passcode_servers
    host = first.url.split("//")[1].split(":")[0]
    forged = f"v1.{int(time.time()) + 3600}.{'0' * 64}"
    page.context.add_cookies(
        [{"name": passcode.COOKIE, "value": forged, "domain": host, "path": "/"}]
    )
    expect(open_locked(page, first)).to_be_visible()  # a forged cookie: asked
    page.set_viewport_size({"width": 390, "height": 844})
    assert small_targets(page) == [] and hover_only_help(page) == []  # the form on a phone
    with page.expect_response(lambda r: r.url.endswith(gate.REMEMBER_PATH)) as traded:
        give(page, FIRST)
    assert traded.value.status == 204
    again = urllib.request.Request(traded.value.url, data=traded.value.request.post_data_buffer)
    with pytest.raises(urllib.error.HTTPError, match="403"):  # a ticket is good once
        urllib.request.urlopen(again, timeout=10)
    expect(page.get_by_test_id("hd-tick").first).to_be_visible()
    cookie = device_cookie(page)
    assert cookie and cookie["value"] != forged
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    days = (cookie["expires"] - time.time()) / 86400
    assert 29.9 < days <= 30
    assert passcode.COOKIE not in page.evaluate("document.cookie")  # no script can read it

    page.reload()  # the same device: not asked again, in this tab or a new one
    wait_idle(page)
    expect(page.get_by_test_id("hd-tick").first).to_be_visible()
    expect(page.locator('input[type="password"]')).to_have_count(0)
    other_tab = page.context.new_page()
    other_tab.goto(f"{first.url}/progress")
    wait_idle(other_tab)
    expect(other_tab.locator('input[type="password"]')).to_have_count(0)
    expect(other_tab.get_by_role("heading", name="Progress", exact=False)).to_be_visible()

    expect(open_locked(page, second)).to_be_visible()  # the passcode changed: asked again
    tampered = cookie["value"][:-1] + ("0" if cookie["value"][-1] != "0" else "1")
    page.context.add_cookies([{**cookie, "value": tampered}])
    expect(open_locked(page, first)).to_be_visible()  # one character changed: refused


def test_the_cookie_is_given_once_per_ticket_and_the_throttle_still_holds(page, passcode_servers):
    first, second = passcode_servers
    request = urllib.request.Request(
        f"{first.url}/hipdash/remember", data=b"made-up", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403 and "set-cookie" not in refused.value.headers
    tickets = []
    page.on(
        "request",
        lambda r: tickets.append(r.post_data) if r.url.endswith(gate.REMEMBER_PATH) else None,
    )
    open_locked(page, second)
    for _ in range(passcode.FREE_ATTEMPTS):  # wrong ones, each refused slowly
        give(page, "guess")
        expect(page.get_by_text("Wrong passcode")).to_be_visible()
    give(page, SECOND)  # even the right one now waits
    expect(page.get_by_text("Too many wrong passcodes")).to_be_visible()
    assert device_cookie(page) is None and tickets == []
