"""Two computers sharing one data folder through a real sync engine: two Syncthing instances
on this machine (each its own home, ports and API key, on loopback only), one shared folder,
and a hipdash server on each side's copy. Both tick between syncs; after Syncthing settles
and hipdash merges its conflict copies, both Todays show the same, correct state and no
line of either is missing. Syncthing is driven through its REST API (pause, scan, wait for
completion), never by sleeping."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
import time
import urllib.request
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from hipdash.sync import merge

from .conftest import OUTSIDE_MS, Server, free_port, open_page, tick_box, wait_idle

SYNCTHING = shutil.which("syncthing")
FOLDER = "hipdash"
X, Y, Z = "Cat/cow stretch", "Wrist stretches", "Dead bug"
KEYS = {
    X: "release/cat-cow",
    Y: "release/wrist-stretches",
    Z: "strengthen/hip-strength-four/dead-bug",
}
OPTIONS = {  # loopback only: no discovery, relays, NAT, upgrades or usage reports
    "globalAnnounceEnabled": "false",
    "localAnnounceEnabled": "false",
    "relaysEnabled": "false",
    "natEnabled": "false",
    "startBrowser": "false",
    "urAccepted": "-1",
    "autoUpgradeIntervalH": "0",
    "crashReportingEnabled": "false",
    "reconnectionIntervalS": "1",
}

pytestmark = pytest.mark.skipif(
    SYNCTHING is None, reason="syncthing is not installed (scripts/test.sh installs Debian's)"
)


class Syncthing:
    """One Syncthing instance with its own home, listening and GUI ports and API key."""

    def __init__(self, base: Path, name: str):
        self.home, self.folder = base / f"{name}-home", base / name
        self.folder.mkdir(parents=True)
        (self.folder / ".stfolder").mkdir()
        run = {"capture_output": True, "text": True, "check": True}
        subprocess.run([SYNCTHING, "generate", f"--home={self.home}", "--no-default-folder"], **run)
        self.id = subprocess.run(
            [SYNCTHING, "serve", f"--home={self.home}", "--device-id"], **run
        ).stdout.strip()
        self.port, self.gui, self.key = free_port(), free_port(), secrets.token_hex(16)
        self.proc: subprocess.Popen | None = None

    def configure(self, other: Syncthing) -> None:
        path = self.home / "config.xml"
        config = ET.parse(path)
        root = config.getroot()
        for device in root.findall("device"):
            root.remove(device)
        for peer in (self, other):
            device = ET.SubElement(root, "device", id=peer.id, name=peer.folder.name)
            ET.SubElement(device, "address").text = f"tcp://127.0.0.1:{peer.port}"
        folder = ET.SubElement(
            root,
            "folder",
            id=FOLDER,
            label=FOLDER,
            path=str(self.folder),
            type="sendreceive",
            rescanIntervalS="3600",
            fsWatcherEnabled="true",
            fsWatcherDelayS="1",
        )
        for peer in (self, other):
            ET.SubElement(folder, "device", id=peer.id)
        ET.SubElement(folder, "maxConflicts").text = "10"  # Syncthing's default (0: none)
        gui = root.find("gui")
        gui.find("address").text = f"127.0.0.1:{self.gui}"
        gui.find("apikey").text = self.key
        options = root.find("options")
        options.find("listenAddress").text = f"tcp://127.0.0.1:{self.port}"
        for name, value in OPTIONS.items():
            option = options.find(name)
            if option is None:
                option = ET.SubElement(options, name)
            option.text = value
        config.write(path)

    def start(self) -> None:
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.home), "STNOUPGRADE": "1"}
        self.proc = subprocess.Popen(
            [SYNCTHING, "serve", f"--home={self.home}", "--no-browser", "--no-restart"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.gui}/rest/{path}",
            method=method,
            headers={"X-API-Key": self.key},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = answer.read()
        return json.loads(body) if body.strip() else None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def until(check, what: str, seconds: float = 90):
    """Poll `check` (it talks to Syncthing or reads the files) until it is true."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def in_sync(a: Syncthing, b: Syncthing) -> bool:
    """Both scanned, idle, nothing needed from the other, no conflict copy waiting, and
    the same log on both sides."""
    for one in (a, b):
        one.api(f"db/scan?folder={FOLDER}", "POST")
    for one, other in ((a, b), (b, a)):
        status = one.api(f"db/status?folder={FOLDER}")
        done = one.api(f"db/completion?folder={FOLDER}&device={other.id}")
        if status["state"] != "idle" or status["needTotalItems"] or done["completion"] < 100:
            return False
        if merge.any_pending(one.folder):
            return False
    log_a, log_b = (s.folder / "checkoffs.csv" for s in (a, b))
    return log_a.exists() and log_a.read_bytes() == log_b.read_bytes()


def settle(a: Syncthing, b: Syncthing) -> None:
    """Until Syncthing and hipdash's merges are done: in sync twice, a moment apart (the
    second look is the condition: no sign says a merge is not about to start)."""
    until(lambda: in_sync(a, b) and not time.sleep(1) and in_sync(a, b), "the folders to settle")


def scanned(side: Syncthing) -> bool:
    """Whether Syncthing has taken in this side's log as it is on disk now."""
    side.api(f"db/scan?folder={FOLDER}", "POST")
    known = side.api(f"db/file?folder={FOLDER}&file=checkoffs.csv")["local"]
    return known["size"] == (side.folder / "checkoffs.csv").stat().st_size


def apart(a: Syncthing, b: Syncthing, paused: bool) -> None:
    """Pause (or resume) each side's connection to the other: changes made meanwhile
    meet as a conflict when they resume."""
    verb = "pause" if paused else "resume"
    a.api(f"system/{verb}?device={b.id}", "POST")
    b.api(f"system/{verb}?device={a.id}", "POST")
    if not paused:
        until(lambda: a.api("system/connections")["connections"][b.id]["connected"], "a connection")


@pytest.fixture
def two_computers(tmp_path, browser):
    with ThreadPoolExecutor(2) as both:  # two computers start side by side
        a, b = both.map(lambda name: Syncthing(tmp_path, name), "ab")
    a.configure(b)
    b.configure(a)
    servers, contexts = [], []
    try:
        for side in (a, b):
            side.start()
        with ThreadPoolExecutor(2) as both:
            servers += both.map(lambda side: Server(side.folder), (a, b))
        for side in (a, b):
            until(lambda side=side: side.api("system/ping"), "syncthing to start")
        until(lambda: a.api("system/connections")["connections"][b.id]["connected"], "a connection")
        pages = []
        for server in servers:
            contexts.append(browser.new_context(viewport={"width": 390, "height": 844}))
            pages.append(contexts[-1].new_page())
            open_page(pages[-1], server)
        yield a, b, pages
    finally:
        for context in contexts:
            context.close()
        for server in servers:
            server.stop()
        for side in (a, b):
            side.stop()


def click_together(*clicks) -> None:
    """Click boxes on both computers at once (within the same second), then wait until
    each page shows them saved."""
    for page, title in clicks:
        tick_box(page, title).click()
    for page, title in clicks:
        expect(tick_box(page, title)).not_to_have_class(re.compile("hd-pending"), timeout=15_000)
        wait_idle(page)


def rows(side: Syncthing) -> list[list[str]]:
    return [
        line.split(",") for line in (side.folder / "checkoffs.csv").read_text().splitlines()[1:]
    ]


@pytest.mark.slow
def test_two_computers_tick_between_syncs_and_end_the_same(two_computers, figures):
    a, b, (page_a, page_b) = two_computers
    started = time.monotonic()
    click_together((page_a, X))  # computer A ticks X; it syncs to B
    settle(a, b)
    expect(tick_box(page_b, X).locator("input")).to_be_checked(timeout=15_000)
    page_b.wait_for_timeout(OUTSIDE_MS)  # seen ticked on B, then unticked there below

    apart(a, b, paused=True)  # between two syncs, within the same second:
    click_together((page_a, Y), (page_b, Z), (page_b, X))  # A ticks Y; B ticks Z, unticks X
    mine = {r[3]: r[0] for r in rows(a)}
    theirs = {r[3]: r[0] for r in rows(b)}
    gap = datetime.fromisoformat(mine[KEYS[Y]]) - datetime.fromisoformat(theirs[KEYS[Z]])
    assert abs(gap.total_seconds()) < 1
    for side in (a, b):  # each computer's sync tool has seen its own change
        until(lambda side=side: scanned(side), "a scan")
    apart(a, b, paused=False)
    settle(a, b)

    assert rows(a) == rows(b)
    lines = {tuple(r) for r in rows(a)}
    assert len(lines) == len(rows(a))  # each line once
    for key, stamp, done in (
        (KEYS[X], mine[KEYS[X]], "1"),  # A's first tick of X
        (KEYS[Y], mine[KEYS[Y]], "1"),
        (KEYS[Z], theirs[KEYS[Z]], "1"),
        (KEYS[X], theirs[KEYS[X]], "0"),  # B's untick of it
    ):
        assert any(r[0] == stamp and r[3] == key and r[4] == done for r in lines), key
    assert len(lines) == 4
    for page in (page_a, page_b):
        page.reload()
        wait_idle(page)
        expect(tick_box(page, X).locator("input")).not_to_be_checked()
        for title in (Y, Z):
            expect(tick_box(page, title).locator("input")).to_be_checked()
    copies = sorted(p.name for side in (a, b) for p in (side.folder / "merged").glob("*"))
    assert copies, "the sync never made a conflict copy: the test did not test the merge"
    figures.append(
        f"Syncthing: two computers ticked between syncs, {len(copies)} conflict copies merged, "
        f"both Todays the same, 0 rows lost ({time.monotonic() - started:.0f} s)"
    )
