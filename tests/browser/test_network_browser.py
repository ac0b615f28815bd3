"""The server against a real network client: a foreign Host (DNS rebinding) is refused, a
websocket from any origin but the page's own is refused (another local port too), the
usage routes are not served, no response may be framed, a foreign Origin makes the server
look nothing up outside, and a deep link with a passcode opens on the passcode field.
Every connection here goes to this machine only."""

from __future__ import annotations

import http.server
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from .conftest import (
    ROUTINE_TEXT,
    Server,
    handshake,
    only_local_hosts_accepted,
    settled,
    wait_idle,
)


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory):
    """One server for the checks that only ask it things (none writes to its data)."""
    srv = Server(tmp_path_factory.mktemp("network") / "data")
    yield srv
    srv.stop()


def test_a_foreign_host_is_refused_and_localhost_still_works(plain_server, figures):
    refused = only_local_hosts_accepted(plain_server.port)
    figures.append(
        f"DNS rebinding: a websocket with Host evil.example.com refused (HTTP 403) in "
        f"{refused * 1000:.0f} ms; localhost, 127.0.0.1 and [::1] accepted"
    )


def test_a_websocket_from_another_origin_on_this_machine_is_refused(plain_server):
    """Reproduction: a websocket with `Origin: http://localhost:3000` (any other local
    port) was accepted and got Progress's data."""
    port = plain_server.port
    host = f"localhost:{port}"
    others = [
        "http://localhost:3000",
        f"http://127.0.0.1:{port}",  # the same server under another name is another origin
        f"https://localhost:{port}",
        f"http://localhost:{port + 1}",
        "null",
        None,  # no Origin at all: no browser page does that
    ]
    for origin in others:
        status, received = handshake(port, host, origin)
        assert status == 403, (origin, received[:200])
        assert ROUTINE_TEXT not in received
    assert handshake(port, host, f"http://{host}")[0] == 101


def get(url: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def test_usage_routes_are_not_served_and_a_foreign_host_gets_nothing(plain_server):
    """Reproduction: `/_stcore/metrics` answered a foreign Host with session counts."""
    url = plain_server.url
    for path in ("/_stcore/metrics", "/_stcore/agent/openapi.json", "/_stcore/agent/interact"):
        assert get(url + path)[0] == 404, path
        assert get(url + path, host="evil.example.com")[0] == 403, path
    for path in ("/", "/today", "/_stcore/health", "/_stcore/host-config"):
        status, _, body = get(url + path, host="evil.example.com")
        assert status == 403 and b"streamlit" not in body.lower(), path
        assert get(url + path)[0] == 200, path


def test_every_response_forbids_framing(plain_server):
    url = plain_server.url
    status, _, html = get(url + "/today")
    script = html.split(b'src="', 1)[1].split(b'"', 1)[0].decode()  # the app's own JS
    paths = ["/", "/today", "/_stcore/health", "/_stcore/host-config", f"/{script.lstrip('/')}"]
    paths += ["/_stcore/metrics", "/no-such-page"]
    for path in paths:
        _, headers, _ = get(url + path)
        assert headers.get("x-frame-options") == "DENY", path
        assert headers.get("content-security-policy") == "frame-ancestors 'none'", path
    _, headers, _ = get(url + "/", host="evil.example.com")
    assert headers.get("x-frame-options") == "DENY"


class FramingPage:
    """Another web page on this machine (its own port) whose only content frames `url`."""

    def __init__(self, url: str):
        body = f'<iframe id="f" src="{url}" width="400" height="600"></iframe>'.encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://localhost:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_another_local_page_cannot_frame_the_app(plain_server, page):
    """Reproduction: another local page framed /today with live data (clickjacking)."""
    evil = FramingPage(f"{plain_server.url}/today")
    try:
        page.goto(evil.url)  # waits for the load event, which waits for the frame
        (framed,) = [f for f in page.frames if f != page.main_frame]
        assert not framed.url.startswith(plain_server.url), framed.url  # refused, not drawn
        expect(page.frame_locator("#f").locator('[data-testid="stApp"]')).to_have_count(0)
    finally:
        evil.close()


def test_the_readme_way_of_adding_a_lan_name_lets_it_in(tmp_path):
    hosts = "localhost 127.0.0.1 ::1 hipdash-box.local"
    srv = Server(tmp_path / "data", env={"STREAMLIT_SERVER_ALLOWED_HOSTS": hosts})
    try:
        host = f"hipdash-box.local:{srv.port}"
        assert handshake(srv.port, host, f"http://{host}")[0] == 101
        assert handshake(srv.port, "evil.example.com", "http://evil.example.com")[0] == 403
    finally:
        srv.stop()


class Listener:
    """A TCP server on this machine that records what connects to it: the server under
    test is told it is the HTTP(S) proxy, so a lookup outside would come here instead."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.seen: list[bytes] = []
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.seen.append(conn.recv(4096))
                except OSError:
                    self.seen.append(b"")

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        self.sock.close()


def test_a_foreign_origin_makes_no_lookup_outside(tmp_path, page):
    listener = Listener()
    proxy = f"http://127.0.0.1:{listener.port}"
    env = {"HTTP_PROXY": proxy, "HTTPS_PROXY": proxy, "http_proxy": proxy, "https_proxy": proxy}
    env |= {"NO_PROXY": "", "no_proxy": ""}
    srv = Server(tmp_path / "data", env=env)
    try:
        page.goto(srv.url)  # the app has run once, as it has by the time anyone uses it
        wait_idle(page)
        host = f"localhost:{srv.port}"
        for origin in ("http://evil.example", "https://attacker.test:8443"):
            status, _ = handshake(srv.port, host, origin)
            assert status == 403
        # Nothing to wait for: the test is that nothing arrives. Streamlit's lookup waits
        # up to 1 s per try, so 2.5 s is long enough to see one.
        time.sleep(2.5)
        assert listener.seen == [], listener.seen
    finally:
        srv.stop()
        listener.close()


def test_the_listener_does_see_a_lookup_through_the_proxy(tmp_path):
    """The check above can fail: the same set-up sees Python's own request to the site."""
    listener = Listener()
    proxy = f"http://127.0.0.1:{listener.port}"
    import requests

    try:
        with pytest.raises(requests.RequestException):
            requests.get("http://checkip.amazonaws.com", proxies={"http": proxy}, timeout=1)
        assert listener.seen and b"checkip.amazonaws.com" in listener.seen[0]
    finally:
        listener.close()


def test_a_deep_link_with_a_passcode_opens_on_a_usable_passcode_field(browser, tmp_path):
    """Someone opened the app's root first (the phone's home-screen link, say); a deep link
    opened after it still shows its own page's passcode field, no 'Page not found'."""
    srv = Server(tmp_path / "data", env={"HIPDASH_PASSCODE": "open sesame"})
    try:
        first = browser.new_context()
        root = first.new_page()
        root.goto(srv.url)
        wait_idle(root)
        first.close()
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(f"{srv.url}/today?date=2026-11-20")
        wait_idle(page)
        expect(page.locator('input[type="password"]')).to_be_visible()
        settled(page)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        assert page.locator('[role="dialog"]').count() == 0
        password = page.locator('input[type="password"]')
        password.fill("open sesame")
        page.get_by_role("button", name="Unlock").click()
        wait_idle(page)
        expect(page.get_by_test_id("hd-day")).to_have_value("2026-11-20")
        assert "/today?date=2026-11-20" in page.url
        page.screenshot(path=str(tmp_path / "deep-link.png"))
        context.close()
    finally:
        srv.stop()
