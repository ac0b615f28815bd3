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
per case, the cases taking turns so a busy moment on a shared machine hits them alike.

It also times, the same way (in the page, from the navigation's start, throttled):

* opening each page with the browser's cache warm (as a phone opens the app it has opened
  before), from the navigation until the count is drawn (usable), the pages taking turns;
  and Progress (100,000 rows) until its first chart is drawn;
* a Progress tab switch (Weeks <-> History, until the tab's chart or table is shown), taking
  turns with a tick on Today (100,000 rows);
* the first page after a server start (Today, 100,000 rows) against a later open of it;
* the guided view's Done until the next exercise shows, and a cold load (nothing cached).

The last line holds the ratios with targets: `browser: today_100k/floor=X ...`.
"""

from __future__ import annotations

import argparse
import json
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
PARTS = ("ticks", "opens", "tabs", "first", "cold", "guided")

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
# An init script: from the navigation's start (performance.now() is 0 there), the moment
# the first element matching `sel` whose text matches `pattern` (if given) is drawn: seen
# by a mutation observer, then the next animation frame.
_WATCH_OPEN = """
(([sel, pattern]) => {
  window.__hdOpened = 0;
  const re = pattern ? new RegExp(pattern) : null;
  let seen = false;
  const check = () => {
    if (seen) return;
    const el = [...document.querySelectorAll(sel)].find((e) => !re || re.test(e.textContent));
    if (!el) return;
    seen = true;
    const t = performance.now();
    requestAnimationFrame(() => { window.__hdOpened = t; });
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true,
                                                 characterData: true, attributes: true});
})
"""
# In the page: tap a Progress tab; resolve once its content (`shows`) is drawn and shown and
# the other tab's (`gone`) is not shown, one animation frame later.
_TIME_TAB = """
async ([tab, shows, gone, timeout]) => {
  const button = [...document.querySelectorAll('[role="tab"]')]
      .find((el) => el.textContent.trim().endsWith(tab));
  if (!button) throw new Error(`no tab ${tab}`);
  const shown = (sel) => [...document.querySelectorAll(sel)]
      .some((el) => el.checkVisibility({ visibilityProperty: true }));
  const drawn = () => shown(shows) && !shown(gone);
  return await new Promise((resolve, reject) => {
    let t0;
    const observer = new MutationObserver(() => {
      if (drawn()) {
        observer.disconnect();
        requestAnimationFrame(() => resolve(performance.now() - t0));
      }
    });
    observer.observe(document.body, {subtree: true, childList: true, attributes: true});
    setTimeout(() => { observer.disconnect(); reject(new Error("timed out")); }, timeout);
    t0 = performance.now();
    button.click();
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


COUNT_TEXT = r"\d+\s*/\s*\d+"
CHART = '[data-testid="stVegaLiteChart"] svg.marks, [data-testid="stVegaLiteChart"] canvas'
TABLE = '[data-testid="stDataFrame"] canvas'


@dataclass(frozen=True)
class Opening:
    """A page opened with the cache warm, timed until `shows` (with `text`, if given) is
    drawn. The phone opens the app at its root, which shows Today."""

    name: str
    server: str  # the Case whose server it opens
    path: str
    shows: str
    text: str = ""


OPENINGS = (
    Opening("floor", "floor", "/", ".st-key-count", COUNT_TEXT),
    Opening("naive_0", "naive_0", "/", ".st-key-count", COUNT_TEXT),
    Opening("naive_100k", "naive_100k", "/", ".st-key-count", COUNT_TEXT),
    Opening("today_0", "today_0", "/", '[data-testid="hd-count"]', COUNT_TEXT),
    Opening("today_100k", "today_100k", "/", '[data-testid="hd-count"]', COUNT_TEXT),
    Opening("progress_100k", "today_100k", "/progress", CHART),
    # Today's first screen is drawn from the HTML (hipdash.ui.first); this is when the
    # page's own cards have taken it over (a tap made before is sent then).
    Opening("today_100k_run", "today_100k", "/", '#root [data-testid="hd-count"]', COUNT_TEXT),
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run SCRIPT` from the project root, on a free port (or `port`), with its own
    data dir."""

    def __init__(
        self, script: str, data_dir: Path, env: dict[str, str] | None = None, port: int = 0
    ):
        self.port = port or free_port()
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


def opening_page(browser, opening: Opening, url: str):
    """A page that watches for what `opening` waits for, its cache warmed by one open."""
    page = browser.new_context(viewport=PHONE).new_page()
    page.add_init_script(f"({_WATCH_OPEN})({json.dumps([opening.shows, opening.text])})")
    page.goto(url + opening.path)
    page.wait_for_function("() => window.__hdOpened > 0", timeout=60_000)
    wait_idle(page)
    return page


def open_usable(page, url: str, rate: float) -> float:
    """Open `url` again in `page`, throttled: the milliseconds from the navigation's start
    until what its init script watches for is drawn."""
    throttle(page, rate)
    page.goto(url)
    page.wait_for_function("() => window.__hdOpened > 0", timeout=60_000)
    ms = page.evaluate("window.__hdOpened")
    wait_idle(page)
    throttle(page, 1)
    page.wait_for_timeout(300)  # the page's own follow-ups (its 2 s watch starting) settle
    return ms


def measure_opens(browser, servers: dict[str, Server], rounds: int, rate: float) -> dict:
    """Each opening in its own page (cache warm), the openings taking turns, `rounds` each."""
    openings = [o for o in OPENINGS if o.server in servers]
    pages = {o.name: opening_page(browser, o, servers[o.server].url) for o in openings}
    times: dict[str, list[float]] = {o.name: [] for o in openings}
    for _ in range(rounds):
        for o in openings:
            times[o.name].append(open_usable(pages[o.name], servers[o.server].url + o.path, rate))
    for page in pages.values():
        page.context.close()
    return times


def measure_tabs_and_ticks(browser, url: str, rounds: int, rate: float) -> dict:
    """A Progress tab switch (Weeks <-> History, until the tab's chart or table is shown)
    and a tick on Today, taking turns, both timed in the page."""
    progress = throttled_page(browser, 1)
    progress.goto(f"{url}/progress")
    progress.wait_for_selector(TABLE, state="attached", timeout=60_000)  # every tab is there
    wait_idle(progress)
    today = throttled_page(browser, 1)
    case = next(c for c in CASES if c.name == "today_100k")
    open_case(today, url, case.count, case.click[0])
    times: dict[str, list[float]] = {"tab": [], "tick": []}
    for i in range(rounds):
        tab, shows, gone = ("History", TABLE, CHART) if i % 2 == 0 else ("Weeks", CHART, TABLE)
        throttle(progress, rate)
        times["tab"].append(progress.evaluate(_TIME_TAB, [tab, shows, gone, 30_000]))
        wait_idle(progress)
        throttle(progress, 1)
        progress.wait_for_timeout(150)
        throttle(today, rate)
        times["tick"].append(tick(today, case))
        throttle(today, 1)
    progress.context.close()
    today.context.close()
    return times


def measure_first_page(browser, data: Path, work: Path, rounds: int, rate: float) -> dict:
    """Today (at the root, as a phone opens it) as the first page after a server start,
    against a later open of the same server; the cache warm (the same port each time)."""
    port = free_port()
    opening = next(o for o in OPENINGS if o.name == "today_100k")
    times: dict[str, list[float]] = {"first": [], "later": []}
    page = None
    for r in range(rounds + 1):  # round 0 only warms the browser's cache
        copy = work / f"first-{r}"
        shutil.copytree(data, copy)
        server = Server("app.py", copy, port=port)
        try:
            if page is None:
                page = opening_page(browser, opening, server.url)
                continue
            times["first"].append(open_usable(page, server.url + "/", rate))
            times["later"].append(open_usable(page, server.url + "/", rate))
        finally:
            server.stop()
    page.context.close()
    return times


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


def measure_guided(browser, url: str, rounds: int, rate: float) -> list[float]:
    """The guided view's Done until the next exercise's position shows ("Release · 3 of 13")."""
    page = throttled_page(browser, rate)
    page.goto(f"{url}/guided")
    head = page.locator(".st-key-hd-guided-head")
    head.wait_for(timeout=60_000)
    wait_idle(page)
    times = []
    for _ in range(rounds):
        page.wait_for_timeout(700)  # a tap sooner after the last is taken for a double tap
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


def paired(values: list[float], base: list[float]) -> float:
    """The median of each round's ratio (`values[i] / base[i]`, taken in the same round):
    a busy moment of a shared machine slows both sides of a ratio alike, where a ratio of
    medians lets it fall on one side (docs/performance.md)."""
    return median([v / b for v, b in zip(values, base, strict=True)])


def spread(values: list[float]) -> str:
    return f"{median(values):8.0f} | {min(values):6.0f} | {max(values):6.0f}"


def report(
    ticks: dict,
    cold: dict,
    opens: dict,
    tabs: dict,
    first: dict,
    guided: list[float],
    rate: float,
) -> None:
    floor = ticks["ticks"]["floor"]
    print(f'\nCPU throttled {rate:g}x, 390x844, times in the page; "vs floor" is the median')
    print("of each round's ratio to the floor's time in that round.")
    if floor:
        print("Tick (click -> new count drawn), ms:")
        print(f"{'page':>14} | {'median':>8} | {'vs floor':>8} | {'min':>6} | {'max':>6}")
        for case in CASES:
            values = ticks["ticks"][case.name]
            print(
                f"{case.name:>14} | {median(values):8.0f} | {paired(values, floor):7.2f}x | "
                f"{min(values):6.0f} | {max(values):6.0f}"
            )
    if cold:
        print("Cold load (fresh context, until the count shows), median ms:")
        for name, values in cold.items():
            print(f"{name:>14} | {median(values):8.0f}")
    ratios = {}
    if opens:
        print("Open -> usable (cache warm; until the count, or Progress's first chart, shows), ms:")
        print(f"{'page':>14} | {'median':>8} | {'vs floor':>8} | {'min':>6} | {'max':>6}")
        for name, values in opens.items():
            ratio = paired(values, opens["floor"])
            print(
                f"{name:>14} | {median(values):8.0f} | {ratio:7.2f}x | {min(values):6.0f} | "
                f"{max(values):6.0f}"
            )
            if name != "floor":
                ratios[f"open_{name}/floor"] = ratio
    if tabs:
        print("Progress tab switch (Weeks <-> History) and a tick on Today (100,000 rows), taking")
        print("turns, ms (median | min | max):")
        print(f"{'tab switch':>14} | {spread(tabs['tab'])}\n{'tick':>14} | {spread(tabs['tick'])}")
        ratios["tab/tick"] = paired(tabs["tab"], tabs["tick"])
    if first:
        print("Today (100,000 rows) as the first page after a server start, and a later open,")
        print("ms (median | min | max):")
        print(f"{'first':>14} | {spread(first['first'])}\n{'later':>14} | {spread(first['later'])}")
        ratios["first/later"] = paired(first["first"], first["later"])
    if guided:
        print(f"Guided view, Done -> next exercise shown, median ms: {median(guided):.0f}")
    if floor and {"today_100k", "naive_100k"} <= set(ticks["ticks"]):
        ratios = {
            "today_100k/floor": paired(ticks["ticks"]["today_100k"], floor),
            "naive_100k/floor": paired(ticks["ticks"]["naive_100k"], floor),
            **ratios,
        }
    print("browser: " + " ".join(f"{k}={v:.2f}" for k, v in ratios.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ticks", type=int, default=16, help="ticks per case (default 16)")
    parser.add_argument("--rate", type=float, default=4, help="CPU slow-down (default 4)")
    parser.add_argument("--only", help="comma-separated case names to run (default all)")
    parser.add_argument("--opens", type=int, default=12, help="opens per page (default 12)")
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"comma-separated parts to run (default all: {','.join(PARTS)})",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    global CASES
    if args.only:
        wanted = set(args.only.split(",")) | {"floor"}
        CASES = tuple(c for c in CASES if c.name in wanted)
    parts = set(args.parts.split(","))
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
                today = servers[CASES[-1].name].url
                ticks = {"ticks": {c.name: [] for c in CASES}}
                cold, opens, tabs, first, guided = {}, {}, {}, {}, []
                if "ticks" in parts:
                    say("ticks")
                    ticks = measure_ticks(browser, servers, args.ticks, args.rate)
                if "opens" in parts:
                    say("opens")
                    opens = measure_opens(browser, servers, args.opens, args.rate)
                if "tabs" in parts:
                    say("Progress tabs and Today's ticks")
                    tabs = measure_tabs_and_ticks(browser, today, args.ticks, args.rate)
                if "first" in parts:
                    say("the first page after a server start")
                    source = dirs[max(dirs)]
                    first = measure_first_page(browser, source, Path(tmp), 4, args.rate)
                if "cold" in parts:
                    say("cold loads")
                    cold = measure_cold_loads(browser, servers, 5, args.rate)
                if "guided" in parts:
                    say("the guided view")
                    guided = measure_guided(browser, today, 8, args.rate)
                browser.close()
        finally:
            for server in servers.values():
                server.stop()
    report(ticks, cold, opens, tabs, first, guided, args.rate)


if __name__ == "__main__":
    main()
