"""Real-browser tests: `streamlit run app.py` on a free port, driven by Playwright in
Debian's chromium (`/usr/bin/chromium`, or $HIPDASH_CHROMIUM)."""

from __future__ import annotations

import base64
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..conftest import PROJECT, read_only_view

CHROMIUM = os.environ.get("HIPDASH_CHROMIUM", "/usr/bin/chromium")
TODAY = "2026-11-24"

# What a page shows after a page change or a script run: on the 2 cores of CI, with four
# test processes driving browsers and servers at once, a change of page took over
# Playwright's default 5 s now and then (the guided view after Start or Resume).
expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (scripts/test.sh does)")
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


# A hunt for tests that read the screen before it is drawn: every test's page with its CPU
# slowed this many times (as DevTools emulates a phone), e.g. 6; off (1) by default.
CPU_THROTTLE = float(os.environ.get("HIPDASH_TEST_CPU_THROTTLE") or 1)


@pytest.fixture
def page(page):
    if CPU_THROTTLE > 1:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_THROTTLE})
    return page


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run app.py` with the project's config; `env` and `args` add to it. With
    `command` (an installed `hipdash serve`), that is run in `cwd` instead, given the port,
    and with no data dir (`data_dir` None) it finds its own."""

    def __init__(
        self,
        data_dir: Path | None,
        env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
        read_only: Path | None = None,  # serve with this folder mounted read-only
        command: list[str] | None = None,
        cwd: Path = PROJECT,
        port: int | None = None,  # a server started again where a page had it
    ):
        self.data_dir = data_dir
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = dict(os.environ, HIPDASH_DATA_DIR=str(data_dir), HIPDASH_TODAY=TODAY)
        if data_dir is None:
            del full_env["HIPDASH_DATA_DIR"]
        full_env.update(env or {})
        if command is None:
            command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port"]
        command = [*command, str(self.port), *args]
        self.proc = subprocess.Popen(
            read_only_view(read_only, command) if read_only else command,
            cwd=cwd,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("streamlit did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def emptied(srv: Server) -> Server:
    """`srv` with its data dir emptied, for the next test. A script run the last test's
    page began may still write as it ends: until the folder stays empty a moment."""
    data = srv.data_dir
    for _ in range(10):
        children = list(data.iterdir()) if data.exists() else []
        if not children:
            break
        for child in children:
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
        time.sleep(0.2)
    return srv


@pytest.fixture(scope="session")
def _worker_server(tmp_path_factory):
    """The app this test process serves the plain tests from (see `server`)."""
    srv = Server(tmp_path_factory.mktemp("served") / "data")
    yield srv
    srv.stop()


@pytest.fixture
def server(_worker_server):
    """The app with an empty data dir of its own: one server per test process, its data dir
    emptied before each test (a server start is seconds; everything the app keeps between
    page views is keyed by the files' identity and lives in the data dir, and each test's
    browser is a new session). Tests that need routines of their own or a timer scale can
    take one from `servers`; other settings start their own `Server`."""
    return emptied(_worker_server)


class Servers:
    """Servers of bundled routines of their own (`HIPDASH_ROUTINES_DIR`) and settings, kept
    in this test process between the tests that ask for the same, as `server` is: each
    start is about 2 s of CPU, and the suite is bound by its 2 cores. The last few are kept;
    each comes with an empty data dir and its routine files as they were asked for."""

    KEPT = 3

    def __init__(self, root: Path):
        self.root = root
        self.kept: dict[tuple, Server] = {}

    def get(self, routines: dict[str, str], env: dict[str, str] | None = None) -> Server:
        key = (tuple(sorted(routines.items())), tuple(sorted((env or {}).items())))
        srv = self.kept.pop(key, None)
        if srv is not None and srv.proc.poll() is None and self._as_asked(srv, routines):
            self.kept[key] = srv
            return emptied(srv)
        if srv is not None:
            srv.stop()
        while len(self.kept) >= self.KEPT:
            self.kept.pop(next(iter(self.kept))).stop()
        folder = self.root / f"server-{len(list(self.root.iterdir()))}"
        (folder / "routines").mkdir(parents=True)
        for name, text in routines.items():
            (folder / "routines" / name).write_text(text)
        full = {"HIPDASH_ROUTINES_DIR": str(folder / "routines"), **(env or {})}
        self.kept[key] = srv = Server(folder / "data", env=full)
        return srv

    @staticmethod
    def _as_asked(srv: Server, routines: dict[str, str]) -> bool:
        folder = srv.data_dir.parent / "routines"
        held = {p.name: p.read_text() if p.is_file() else None for p in folder.iterdir()}
        return held == routines

    def close(self) -> None:
        for srv in self.kept.values():
            srv.stop()


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    """`servers.get({"name.yaml": text}, env)`: a server of these routines (see `Servers`)."""
    pool = Servers(tmp_path_factory.mktemp("kept"))
    yield pool
    pool.close()


def wait_idle(page) -> None:
    """Wait until Streamlit has finished running the script for what was just done."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    # The one fixed wait every test shares: between a widget's click and the run it asks
    # for, Streamlit's page shows no sign (its script state stays "notRunning" until the
    # server's answer arrives; only a whole-app rerun sets "rerunRequested"), so there is
    # no condition to wait on until the answer has had time to come.
    page.wait_for_timeout(250)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000
    )


SETTLED = """() => new Promise(done => {
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  let last = '', same = 0;
  const look = () => {
    const now = `${main.scrollHeight}x${main.scrollWidth}:${main.querySelectorAll('*').length}`;
    same = now === last ? same + 1 : 0;
    last = now;
    if (same >= 5) done(true); else requestAnimationFrame(look);
  };
  look();
})"""


def settled(page) -> None:
    """Wait until what the script sent is drawn: components and charts draw after the
    script is done, so wait until the page's size and number of elements stay the same
    for five frames in a row."""
    page.evaluate(SETTLED)


def progress_drawn(page) -> None:
    """Wait until Progress is drawn whole: its open tab comes first, the other four tabs
    just after it in a run of their own, which redraws the tabs; a hover or a click in
    between can land on what is being replaced."""
    expect(page.locator('[class*="st-key-hd-tab-"]')).to_have_count(5, timeout=30_000)
    wait_idle(page)
    settled(page)


def open_tab(page, tab: str) -> None:
    """Tap a Progress tab, as a person switches tabs, and wait until it is the one shown."""
    page.get_by_role("tab", name=tab).click()
    wait_idle(page)
    expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
    settled(page)


def until(page, check, what: str, seconds: float = 15) -> None:
    """Poll a condition only Python can see (requests a listener collected, files)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        page.wait_for_timeout(50)


def open_page(page, server: Server, path: str = "") -> None:
    page.goto(f"{server.url}/{path}")
    wait_idle(page)
    page.wait_for_selector(
        '[data-testid="hd-tick"], [data-testid="stAlert"], [data-testid="stCheckbox"]',
        timeout=30_000,
    )


# today.js: a tap within this long of another device's change to that box is not taken
# (it was aimed at what the box showed before); a person who means it taps again after.
OUTSIDE_MS = 1000


def tick_box(page, title: str, exact: bool = True):
    """Today's box (its whole row) with this title (or, not `exact`, containing it)."""
    rows = page.get_by_test_id("hd-tick")
    return (
        rows.filter(has=page.get_by_text(title, exact=True))
        if exact
        else rows.filter(has_text=title)
    )


def header_count(page):
    """Today's 'N / 16 done'."""
    return page.get_by_test_id("hd-count")


# today.js: a second tap on a box this soon after the first is a bounce, and dropped.
DOUBLE_TAP_MS = 600


def click_tick(page, title: str, exact: bool = True) -> None:
    """Click a box and wait until the page shows it saved (no longer 'saving…'); a box
    clicked again waits out the double tap's window first, as a person's second tap."""
    row = tick_box(page, title, exact)
    taps = page.__dict__.setdefault("_hd_taps", {})
    if title in taps:
        time.sleep(max(0.0, taps[title] + DOUBLE_TAP_MS / 1000 - time.monotonic()))
    row.click()
    taps[title] = time.monotonic()
    expect(row).not_to_have_class(re.compile("hd-pending"), timeout=15_000)
    wait_idle(page)


ROUTINE_TEXT = b"Cat/cow"


def handshake(port: int, host: str, origin: str | None) -> tuple[int, bytes]:
    """Open Streamlit's websocket with the given Host and Origin; the HTTP status of the
    answer (101: accepted) and every byte the server sent within a second."""
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        "GET /_stcore/stream HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Protocol: streamlit",
    ] + ([f"Origin: {origin}"] if origin else [])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        received = b""
        deadline = time.monotonic() + 1
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            received += chunk
    status = int(received.split(b" ", 2)[1]) if received.startswith(b"HTTP/") else 0
    return status, received


def only_local_hosts_accepted(port: int) -> float:
    """Foreign Host names (DNS rebinding) get HTTP 403 and no routine text; localhost,
    127.0.0.1 and [::1] get the websocket. The seconds one refusal took."""
    started = time.monotonic()
    for host in ("evil.example.com", f"evil.example.com:{port}", f"127.0.0.1.evil.example:{port}"):
        status, received = handshake(port, host, f"http://{host}")
        assert status == 403, (host, received[:200])
        assert ROUTINE_TEXT not in received
    refused = (time.monotonic() - started) / 3
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"):
        status, _ = handshake(port, host, f"http://{host}")
        assert status == 101, host
    return refused


# What a person can tap: buttons, tabs, panels' headings, the nav bar's links (a select
# box's arrow is no target of its own: the whole box, 44 px high, opens it).
TARGETS = (
    'button:not([data-testid="stSelectbox"] button[tabindex="-1"]), [role="tab"], summary, '
    '[data-testid="stPageLink"] a, nav.hd-nav a, .hd-links a, .hd-routine-links a, '
    # a field, as a finger meets it: its whole box (Streamlit's are 40 px)
    '[data-testid="stTextInputRootElement"], [data-testid="stNumberInputContainer"], '
    '[data-testid="stSelectbox"] .react-aria-ComboBox, [data-testid="stDateInputField"]'
)
# Streamlit's help markers (a "?" icon, a widget's tooltip), and any element with a title
# (a browser shows it on hover) but a frame, whose title is its name for screen readers,
# and one whose title only repeats its text (a file's name).
HOVER_HELP = (
    '[data-testid="stTooltipIcon"], [data-testid="stTooltipHoverTarget"], '
    '[title]:not(iframe):not([title=""])'
)


SHOWN = """(selector) => [...document.querySelectorAll(selector)].filter(
    (e) => e.checkVisibility() && e.getBoundingClientRect().width > 0)"""


def small_targets(page) -> list[str]:
    """Each visible target under 44 px high or wide."""
    return page.evaluate(
        f"""([selector]) => ({SHOWN})(selector)
          .map((e) => [e, e.getBoundingClientRect()])
          .filter(([e, r]) => r.height < 43.5 || r.width < 43.5)
          .map(([e, r]) => `${{e.tagName}} "${{(e.innerText || "").trim().slice(0, 40)}}"`
            + ` ${{e.ariaLabel || ""}} ${{Math.round(r.width)}}x${{Math.round(r.height)}}`)""",
        [TARGETS],
    )


def hover_only_help(page) -> list[str]:
    """Each visible element whose help shows only on hover."""
    return page.evaluate(
        f"""([selector]) => ({SHOWN})(selector)
          .filter((e) => !e.title || e.title.trim() !== (e.innerText || "").trim())
          .map((e) => `${{e.tagName}} ${{e.dataset.testid || ""}} ${{e.title}}`.trim())""",
        [HOVER_HELP],
    )
