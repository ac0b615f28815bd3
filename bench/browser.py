"""hipdash in the browser: how long a tick takes on a phone, from the click to the new count.

Run from the project root with the project and its test extras installed (Playwright, and
Debian's chromium at /usr/bin/chromium): `python bench/browser.py`.

`bench/run.py` times the server's script run; a person feels the whole tick: the click, the
websocket, the script, the browser drawing what changed. This drives Debian's chromium at
390×844 with the CPU slowed 4× through the DevTools protocol
(`Emulation.setCPUThrottlingRate`, how DevTools emulates a phone), and times, in the page,
the click until the page shows the new count (a mutation observer, then the next frame):

* floor:  one Streamlit checkbox and its count (bench/reference/floor.py): no page of
          Streamlit widgets can answer faster;
* naive:  a naive Today: 16 plain `st.checkbox`es, `pandas.read_csv` of the whole log on
          every rerun, the tick appended in `on_change` (bench/reference/naive.py);
* today:  hipdash's Today (app.py), ticking Dead bug;

each with an empty log and one of 100,000 rows (built as bench/run.py builds them), 16 ticks
per case, the cases taking turns so a busy moment on a shared machine hits them alike. It also
times the guided view's Done until the next exercise shows, a Progress tab switch, and a cold
load of Today. The last line: `browser: today_100k/floor=X naive_100k/floor=Y`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import PROJECT, TODAY, build_log  # noqa: E402  (bench/run.py builds the logs)

CHROMIUM = os.environ.get("HIPDASH_CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
ROWS = 100_000

# In the page: find an element, click it, and resolve once the count reads `expected`
# (checked on every DOM change), one animation frame later: when it is drawn.
_TIME_CLICK = """
async ([clickSel, clickText, countSel, expected, timeout]) => {
  const find = (sel, text) => [...document.querySelectorAll(sel)]
      .find((el) => !text || el.textContent.includes(text));
  const readCount = () => {
    const el = find(countSel, null);
    const m = el && el.textContent.match(/(\\d+)\\s*\\/\\s*\\d+/);
    return m ? Number(m[1]) : null;
  };
  const found = find(clickSel, clickText);
  const target = found && (found.querySelector('input') || found);
  if (!target) throw new Error(`nothing to click: ${clickSel} ${clickText}`);
  return await new Promise((resolve, reject) => {
    let t0;
    const done = () => requestAnimationFrame(() => resolve(performance.now() - t0));
    const observer = new MutationObserver(() => {
      if (readCount() === expected) { observer.disconnect(); done(); }
    });
    observer.observe(document.body, {subtree: true, childList: true, characterData: true,
                                     attributes: true});
    setTimeout(() => { observer.disconnect(); reject(new Error("timed out")); }, timeout);
    t0 = performance.now();
    target.click();
  });
}
"""
_READ_COUNT = """
([countSel]) => {
  const el = document.querySelector(countSel);
  const m = el && el.textContent.match(/(\\d+)\\s*\\/\\s*\\d+/);
  return m ? Number(m[1]) : null;
}
"""


@dataclass(frozen=True)
class Case:
    name: str  # "today_100k"
    script: str  # relative to the project
    rows: int
    click: tuple[str, str]  # (selector, text it must contain)
    count: str  # selector of the element that shows "N / M"


CHECKBOX = ('[data-testid="stCheckbox"]', "Dead bug")
TODAY_CLICK = ('[data-testid="hd-tick"]', "Dead bug")
CASES = (
    Case("floor", "bench/reference/floor.py", 0, CHECKBOX, ".st-key-count"),
    Case("naive_0", "bench/reference/naive.py", 0, CHECKBOX, ".st-key-count"),
    Case("naive_100k", "bench/reference/naive.py", ROWS, CHECKBOX, ".st-key-count"),
    Case("today_0", "app.py", 0, TODAY_CLICK, '[data-testid="hd-count"]'),
    Case("today_100k", "app.py", ROWS, TODAY_CLICK, '[data-testid="hd-count"]'),
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run SCRIPT` from the project root, on a free port, with its own data dir."""

    def __init__(self, script: str, data_dir: Path, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = dict(os.environ, HIPDASH_DATA_DIR=str(data_dir), HIPDASH_TODAY=str(TODAY))
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(self.port)],
            cwd=PROJECT,
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
        raise RuntimeError(f"streamlit did not start for {script}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def wait_idle(page) -> None:
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    page.wait_for_timeout(200)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000
    )


def throttled_page(browser, rate: float):
    page = browser.new_context(viewport=PHONE).new_page()
    throttle(page, rate)
    return page


def throttle(page, rate: float) -> None:
    """Slow the page's CPU `rate` times (1: not at all). Chrome's throttle keeps about a
    core busy even while the page is idle, so only the page being timed is throttled: five
    throttled pages at once on 2 cores would slow each far more than `rate`."""
    if not hasattr(page, "_hd_cdp"):
        if rate == 1:
            return
        page._hd_cdp = page.context.new_cdp_session(page)
    page._hd_cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})


def open_case(page, url: str, count: str, click: str | None = None) -> float:
    """Load the page; the seconds until its count (and what is clicked) shows and the script
    is idle."""
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(count, timeout=60_000)
    if click:
        page.wait_for_selector(click, timeout=60_000)
    wait_idle(page)
    return time.perf_counter() - start


def tick(page, case: Case) -> float:
    """One click; the milliseconds until the page shows the new count."""
    before = page.evaluate(_READ_COUNT, [case.count])
    clicked = _clicked_state(page, case)
    expected = before - 1 if clicked else before + 1
    ms = page.evaluate(_TIME_CLICK, [*case.click, case.count, expected, 30_000])
    wait_idle(page)
    page.wait_for_timeout(150)  # let the page settle before the next case's turn
    return ms


def _clicked_state(page, case: Case) -> bool:
    """Whether the box to click is ticked now (so the click unticks it)."""
    return page.evaluate(
        """([sel, text]) => {
          const el = [...document.querySelectorAll(sel)].find((e) => e.textContent.includes(text));
          const box = el.querySelector('input') || el;
          return box.checked === true || box.getAttribute('aria-checked') === 'true';
        }""",
        list(case.click),
    )


def measure_ticks(browser, servers: dict[str, Server], ticks: int, rate: float) -> dict:
    pages = {}
    loads = {}
    for case in CASES:
        page = throttled_page(browser, rate)
        loads[case.name] = open_case(page, servers[case.name].url, case.count, case.click[0])
        throttle(page, 1)
        pages[case.name] = page
    times: dict[str, list[float]] = {case.name: [] for case in CASES}
    for _ in range(ticks):
        for case in CASES:
            throttle(pages[case.name], rate)
            times[case.name].append(tick(pages[case.name], case))
            throttle(pages[case.name], 1)
    for page in pages.values():
        page.context.close()
    return {"ticks": times, "loads": loads}


def measure_cold_loads(browser, servers: dict[str, Server], rounds: int, rate: float) -> dict:
    """A fresh browser context each time (nothing cached): the page until its count shows."""
    out: dict[str, list[float]] = {c.name: [] for c in CASES if c.name in ("floor", "today_100k")}
    for _ in range(rounds):
        for name in out:
            case = next(c for c in CASES if c.name == name)
            page = throttled_page(browser, rate)
            out[name].append(1000 * open_case(page, servers[name].url, case.count))
            page.context.close()
    return out


def measure_progress_tabs(browser, url: str, rounds: int, rate: float) -> list[float]:
    """A tap on a Progress tab until its content is drawn (Weeks <-> History)."""
    page = throttled_page(browser, rate)
    page.goto(f"{url}/progress")
    wait_idle(page)
    times = []
    for i in range(rounds):
        tab, shows = (
            ("History", '[data-testid="stDataFrame"]')
            if i % 2 == 0
            else ("Weeks", '[data-testid="stVegaLiteChart"]')
        )
        start = time.perf_counter()
        page.get_by_role("tab", name=tab).click()
        page.wait_for_selector(shows, timeout=30_000)
        wait_idle(page)
        times.append(1000 * (time.perf_counter() - start))
    page.context.close()
    return times


def measure_guided(browser, url: str, rounds: int, rate: float) -> list[float]:
    """The guided view's Done until the next exercise's position shows ("Release · 3 of 13")."""
    page = throttled_page(browser, rate)
    page.goto(f"{url}/guided")
    head = page.locator(".st-key-hd-guided-head")
    head.wait_for(timeout=60_000)
    wait_idle(page)
    times = []
    for _ in range(rounds):
        position = head.inner_text()
        start = time.perf_counter()
        page.get_by_test_id("hd-g-main").click()  # "✓ Done": routine 1 states no doses
        page.wait_for_function(
            "(old) => { const el = document.querySelector('.st-key-hd-guided-head');"
            " return el && el.innerText !== old; }",
            arg=position,
            timeout=30_000,
        )
        times.append(1000 * (time.perf_counter() - start))
        wait_idle(page)
    page.context.close()
    return times


def say(what: str) -> None:
    print(f"timing {what}…", file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(ticks: dict, cold: dict, tabs: list[float], guided: list[float], rate: float) -> None:
    floor = median(ticks["ticks"]["floor"])
    print(f"\nTick (click -> new count drawn), CPU throttled {rate:g}x, 390x844, median ms:")
    print(f"{'page':>12} | {'median':>8} | {'vs floor':>8} | {'min':>6} | {'max':>6}")
    for case in CASES:
        values = ticks["ticks"][case.name]
        m = median(values)
        print(
            f"{case.name:>12} | {m:8.0f} | {m / floor:7.2f}x | {min(values):6.0f} | "
            f"{max(values):6.0f}"
        )
    print("Cold load (fresh context, until the count shows), median ms:")
    for name, values in cold.items():
        print(f"{name:>12} | {median(values):8.0f}")
    print(f"Progress tab switch (Weeks <-> History), median ms: {median(tabs):.0f}")
    print(f"Guided view, Done -> next exercise shown, median ms: {median(guided):.0f}")
    if {"today_100k", "naive_100k"} <= set(ticks["ticks"]):  # not with --only
        today = median(ticks["ticks"]["today_100k"]) / floor
        naive = median(ticks["ticks"]["naive_100k"]) / floor
        print(f"browser: today_100k/floor={today:.2f} naive_100k/floor={naive:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ticks", type=int, default=16, help="ticks per case (default 16)")
    parser.add_argument("--rate", type=float, default=4, help="CPU slow-down (default 4)")
    parser.add_argument("--only", help="comma-separated case names to run (default all)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    global CASES
    if args.only:
        wanted = set(args.only.split(",")) | {"floor"}
        CASES = tuple(c for c in CASES if c.name in wanted)
    with tempfile.TemporaryDirectory(prefix="hipdash-browser-") as tmp:
        dirs = {rows: Path(tmp) / f"log-{rows}" for rows in {c.rows for c in CASES}}
        for rows, directory in dirs.items():
            build_log(directory, rows)
        for case in CASES:  # each server its own copy of the log it ticks into
            shutil.copytree(dirs[case.rows], Path(tmp) / f"data-{case.name}")
        servers = {c.name: Server(c.script, Path(tmp) / f"data-{c.name}") for c in CASES}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM,
                    headless=True,
                    args=[
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                        "--no-first-run",
                    ],
                )
                say("ticks")
                ticks = measure_ticks(browser, servers, args.ticks, args.rate)
                say("cold loads")
                cold = measure_cold_loads(browser, servers, 5, args.rate)
                today = servers[CASES[-1].name].url
                say("Progress tabs")
                tabs = measure_progress_tabs(browser, today, 8, args.rate)
                say("the guided view")
                guided = measure_guided(browser, today, 8, args.rate)
                browser.close()
        finally:
            for server in servers.values():
                server.stop()
    report(ticks, cold, tabs, guided, args.rate)


if __name__ == "__main__":
    main()
