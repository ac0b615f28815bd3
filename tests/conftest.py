"""What the tests share: fixtures, a few known values and small helpers.

Every test gets its own empty data dir (`data_dir`, autouse) and a clean read cache, so
each passes alone and in any order (the suite runs in random order: pytest-randomly).
Shared things live here, never in a test module: a test module imports from
`.conftest`, not from another test module.

Pages: open one through the `app_page` fixture, which runs `app.py` in Streamlit's AppTest
(as the server runs it) and switches to the page asked for:

    def test_x(app_page):
        at = app_page("pages/progress.py", query={"view": "History"})
        assert not at.exception

`app_page()` is the app as it opens (Today). The same `at` then clicks and reruns as
usual (`at.checkbox[0].check().run()`); call `app_page` again for a fresh browser session.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from hipdash import stats, store
from hipdash.log import Change, CheckoffLog
from hipdash.routines import load_routine, parse_routine

PROJECT = Path(__file__).resolve().parent.parent
ROUTINE_1 = PROJECT / "routines" / "hip-therapy-routine-1.yaml"
NOTE_1 = PROJECT / "tests" / "fixtures" / "notes" / "hip-therapy-routine-1.md"
R = "hip-therapy-routine-1"  # routine 1's id
DEAD_BUG = "strengthen/hip-strength-four/dead-bug"
TODAY = date(2026, 11, 25)  # a Wednesday in ISO week 2026-W48 (Mon 23 – Sun 29 Nov)
MON = date(2026, 11, 23)
APP_TIMEOUT = 30  # seconds for one script run in AppTest; 2 busy cores can be slow

# -- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def runtime_dir(tmp_path_factory) -> Path:
    """This run's own XDG_RUNTIME_DIR, where every data dir's locks go (`hipdash.locks`):
    set before any server or writer process starts, so they all share it."""
    folder = tmp_path_factory.mktemp("runtime")
    folder.chmod(0o700)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_RUNTIME_DIR", str(folder))
        yield folder


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    """A private HIPDASH_DATA_DIR for each test; the real data/ is never touched."""
    directory = tmp_path / "data"
    monkeypatch.setenv("HIPDASH_DATA_DIR", str(directory))
    monkeypatch.delenv("HIPDASH_ROUTINES_DIR", raising=False)
    monkeypatch.delenv("HIPDASH_TODAY", raising=False)
    monkeypatch.delenv("HIPDASH_PASSCODE", raising=False)
    monkeypatch.delenv("HIPDASH_NOTES_DIR", raising=False)
    store.clear_cache()
    yield directory
    store.clear_cache()


def open_app(page: str | None = None, query: dict[str, str] | None = None):
    """A fresh AppTest of the app (a new browser session), run, on `page`
    (`"pages/progress.py"`; default: the page the app opens on) with `query` as the link's
    query parameters. The environment (data dir, routines dir, HIPDASH_TODAY) is read as
    the test set it. The one place the page tests make an AppTest."""
    from streamlit.testing.v1 import AppTest

    from tests.component import share_components

    at = share_components(AppTest.from_file(str(PROJECT / "app.py"), default_timeout=APP_TIMEOUT))
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    return at.run()


@pytest.fixture
def app_page():
    """`app_page(page=None, query=None)`: `open_app` as a fixture."""
    return open_app


@pytest.fixture
def listening_on():
    """`listening_on("0.0.0.0")`: the pages then run as a server listening there runs them
    (Streamlit's `server.address`, as `--server.address` or `STREAMLIT_SERVER_ADDRESS` set
    it), until the test ends."""
    from streamlit import config as st_config

    before = st_config.get_option("server.address")
    yield lambda address: st_config.set_option("server.address", address)
    st_config.set_option("server.address", before)


@pytest.fixture(scope="session")
def routine1():
    return load_routine(ROUTINE_1)


@pytest.fixture
def log(data_dir) -> CheckoffLog:
    """An empty check-off log in the test's data dir."""
    return CheckoffLog(data_dir / "checkoffs.csv")


@pytest.fixture
def bundled(tmp_path, monkeypatch) -> Path:
    """A bundled-routines folder of its own holding routine 1 (`HIPDASH_ROUTINES_DIR`)."""
    folder = tmp_path / "bundled"
    folder.mkdir()
    shutil.copy(ROUTINE_1, folder)
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(folder))
    return folder


def crafted_backup(
    files: dict[str, bytes],
    manifest_files: dict | None = None,
    version: int = 2,
    deflate: bool = False,
) -> bytes:
    """A backup zip as an attacker can make one: a manifest that matches `files` exactly
    (or `manifest_files`), so only what is in the files can be wrong."""
    listed = {
        n: {"bytes": len(d), "sha256": hashlib.sha256(d).hexdigest()} for n, d in files.items()
    }
    manifest = {"format": "hipdash-backup", "version": version, "files": listed}
    if manifest_files is not None:
        manifest["files"] = manifest_files
    buffer = io.BytesIO()
    with zipfile.ZipFile(
        buffer, "w", zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    ) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(manifest))
    return buffer.getvalue()


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes), lock files aside."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


_FIGURES: list[str] = []


@pytest.fixture
def figures() -> list[str]:
    """Lines a test reports for the README's Reliability section (printed at the end, sorted,
    so the order the tests ran in does not show). A test adds its line once it has passed."""
    return _FIGURES


def pytest_sessionfinish(session):
    """Under pytest-xdist each worker hands its figures to the controller, which prints them."""
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["hipdash_figures"] = list(_FIGURES)


@pytest.hookimpl(trylast=True)  # after pytest-randomly's shuffle
def pytest_collection_modifyitems(items):
    """The tests marked `slow` (half a minute or more under load) first, one at the head of
    each worker's share (xdist's worksteal splits the list in equal runs): begun last, one
    kept the whole suite waiting for it alone; begun first, the others run beside it."""
    slow = [item for item in items if item.get_closest_marker("slow")]
    rest = [item for item in items if not item.get_closest_marker("slow")]
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    share = max(1, len(items) // workers)
    for n, item in enumerate(slow):
        rest.insert(min(len(rest), (n % workers) * share + n // workers), item)
    items[:] = rest


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    _FIGURES.extend(getattr(node, "workeroutput", {}).get("hipdash_figures", []))


def pytest_terminal_summary(terminalreporter):
    if _FIGURES:
        terminalreporter.section("hipdash reliability figures")
        for line in sorted(_FIGURES):
            terminalreporter.write_line(line)


# -- a small routine with known answers (stats, charts) --------------------------------

MINI = """
id: mini
title: Mini
schedule: {sessions_per_week: 2}
sections:
  - id: a
    title: A
    exercises:
      - {id: one, title: One}
      - {id: two, title: Two}
      - id: three
        title: Three
        steps:
          - {id: x, title: Three x}
          - {id: y, title: Three y}
"""
MINI_ROUTINE = parse_routine(MINI)
ONE, TWO, X, Y = MINI_ROUTINE.item_keys  # a/one, a/two, a/three/x, a/three/y


def tick(log, day, items, done=True, at=None, routine="mini") -> None:
    log.record([Change(day, routine, item, done) for item in items], now=at)


def session(log, day, routine="mini") -> None:
    """Two of the mini routine's four items: exactly half, a session at the default share."""
    tick(log, day, [ONE, TWO], routine=routine)


def progress(log, today=TODAY, share=0.5, routine=MINI_ROUTINE) -> stats.Progress:
    return stats.progress(log.day_states(routine.id), routine, today, share)


# A valid routine in YAML with a video and steps (routine files, pages with two routines).
VALID = """\
id: mini
title: Mini routine
sections:
  - id: warm-up
    title: Warm up
    exercises:
      - id: cat-cow
        title: Cat/cow stretch
        video: {url: "https://youtu.be/fcnv4gyMzf8?t=45s", title: Cat cow}
      - id: four
        title: Four
        steps:
          - {id: dead-bug, title: Dead bug}
          - {id: airplane, title: Airplane}
"""

# -- hypothesis -------------------------------------------------------------------------

FUZZ = settings(
    derandomize=True,  # the same inputs on every run and in CI; the README reports them
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# Every form of a YAML value that Python's YAML makes something else of, or fails on.
YAML_VALUES = [
    *("!!int ''", "!!int 0x", "!!int 12abc", "!!bool maybe", "!!float x", "!!float ''"),
    *("!!timestamp 'x'", "!!timestamp 2024-02-30", "!!timestamp 2024-02-01", "!!null x"),
    *("!!binary '%%'", "!!binary aGk=", "!!set {a, b}", "!!omap [a]", "!!omap [{a: 1}]"),
    *("!!pairs [a]", "!!map [1]", "!!seq {a: 1}", "!!str", "!custom x", "!<tag:x> y"),
    *("!!python/object/apply:os.system [echo]", "!!python/name:os.system", "&a x"),
    *("2024-02-30", "2024-02-01", "2024-02-01 10:00:00", "0001-01-01", "9999-12-31"),
    *("9" * 5000, "-" + "9" * 30, "0x" + "f" * 100, "1:2:3:4:5", "1e400", ".nan", "-.inf"),
    *("0o777", "0b101", "1_000", "+12", "~", "yes", "off", "'0'", "''"),
    *('"\\ud800"', '"T \\udfff x"', '"\\U0001F600"', '"a\\rb"', '"a\\x00b"', '"\\e"'),
    *('"\\u2028x"', '"Hips\\r\\nBEGIN:VEVENT"', '"\\x85"', '"www.x.example x@evil.example"'),
]
HOSTILE = [
    "",
    " ",
    "../../x",
    "/etc/passwd",
    "a\x00b",
    "javascript:alert(1)",
    "https://youtu.be/fcnv4gyMzf8",
    "<script>alert(1)</script>",
    ":red[x]",
    "$x$",
    "é" * 70,
    "x" * 300,
]

# -- helpers ----------------------------------------------------------------------------


def run_cli(*argv: str) -> tuple[int, str]:
    """`python -m hipdash ARGV` in this process: its exit code and all it printed (stdout
    and stderr together, as a terminal shows them)."""
    from hipdash.__main__ import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(list(argv))
    return code, out.getvalue()


def log_frame(log):
    """Every readable row of a `CheckoffLog`, in file order, typed (session_date as
    datetime64, done as bool): the plain reference the app's incremental views are
    checked against."""
    import pandas as pd

    from hipdash.log import COLUMNS

    frame = pd.DataFrame.from_records(log.snapshot().records, columns=list(COLUMNS))
    frame["session_date"] = pd.to_datetime(frame["session_date"], format="%Y-%m-%d")
    frame["done"] = frame["done"].astype(bool)
    return frame


def read_only_view(directory: Path, argv: list[str]) -> list[str]:
    """`argv` run in a private mount namespace where `directory` is a read-only bind mount:
    a real EROFS even for root, who ignores file modes. Needs unshare and mount (root)."""
    mount = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", mount, "sh"] + [
        str(directory),
        *argv,
    ]


def bound_by_modes(argv: list[str]) -> list[str]:
    """`argv` run bound by file modes, so that a file chmod 000 really cannot be read: as it
    is, or for root (who ignores file modes) without the capabilities that let it."""
    if os.geteuid() != 0:
        return argv
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", "--", *argv]


def cli_process(*argv: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess:
    """`python -m hipdash ARGV` in a process of its own, as a person runs it: bound by file
    modes (`bound_by_modes`), with this test's environment and `env` over it."""
    return subprocess.run(
        bound_by_modes([sys.executable, "-m", "hipdash", *argv]),
        capture_output=True,
        text=True,
        cwd=cwd or PROJECT,
        env={**os.environ, "PYTHONPATH": str(PROJECT), **env},
        timeout=120,
    )


EVERY_PAGE = ["app.py", *sorted(f"pages/{p.name}" for p in (PROJECT / "pages").glob("*.py"))]
SEE_PAGES = """
import json, sys
from streamlit.testing.v1 import AppTest
from tests import component
app, timeout, *pages = sys.argv[1:]
seen = {}
for page in pages:
    at = component.share_components(AppTest.from_file(app, default_timeout=float(timeout)))
    if page != "app.py":
        at.switch_page(page)
    at.run()
    if page == "pages/progress.py":  # drawn whole, as `whole` draws it, if it has tabs
        from hipdash.ui import keys
        try:
            at = component.set_state(at, {"all": True}, keys.TAB_BAR)
        except AssertionError:  # no tab bar: no data to show
            pass
    seen[page] = {
        kind: [str(e.value) for e in getattr(at, kind)]
        for kind in ("exception", "error", "warning", "info", "markdown", "caption")
    }
    seen[page]["disabled"] = [b.proto.label for b in at.get("download_button") if b.proto.disabled]
print(json.dumps(seen))
"""


def pages_bound_by_modes(pages: list[str] = EVERY_PAGE) -> dict[str, dict[str, list[str]]]:
    """What each page (every one: app.py and pages/) shows, opened afresh in a child process
    bound by file modes (`bound_by_modes`), Progress drawn whole (`whole`): its exceptions,
    errors, warnings, infos, markdown, captions, and the labels of its download buttons
    that are turned off."""
    argv = [sys.executable, "-c", SEE_PAGES, str(PROJECT / "app.py"), str(APP_TIMEOUT)]
    done = subprocess.run(
        bound_by_modes([*argv, *pages]), capture_output=True, text=True, timeout=300, cwd=PROJECT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def plain(markdown: str) -> str:
    """Markdown source with backslash escapes and the invisible joiners that keep text from
    becoming a link or an icon removed: what the person reads."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def spec_json(spec: dict) -> dict:
    """A chart's Vega-Lite spec as `hipdash.charts` makes it, with its datasets (DataFrames,
    which Streamlit sends as Arrow) as lists of records: plain Vega-Lite JSON."""
    import pandas as pd

    datasets = {
        name: data.to_dict(orient="records") if isinstance(data, pd.DataFrame) else data
        for name, data in spec.get("datasets", {}).items()
    }
    return {**spec, "datasets": datasets}


def checkbox(at, label: str):
    """The one checkbox on the page with this label."""
    (box,) = [c for c in at.checkbox if c.label == label]
    return box


# -- the Progress page in AppTest -------------------------------------------------------

PROGRESS = "pages/progress.py"


@pytest.fixture
def progress_page(app_page):
    """`progress_page()`: the Progress page, opened afresh, without an exception."""

    def open_progress():
        at = app_page(PROGRESS)
        assert not at.exception
        return at

    return open_progress


def whole(at):
    """Progress as the browser has it once its first screen is drawn: its tab bar asked
    for the rest (every tab, the downloads and the panels under them)."""
    from hipdash.ui import keys

    from . import component

    at = component.set_state(at, {"all": True}, keys.TAB_BAR)
    assert not at.exception
    return at


def open_tab(at, label: str):
    """Progress opened on that tab, as its link (`?view=`) opens it: that tab is drawn
    first (a tap in the browser only shows a tab already drawn: tests/browser)."""
    at.query_params["view"] = label
    at.run()
    assert not at.exception
    return at


def choose_range(at, label: str):
    """A tap on a range above Progress's tabs: the tab bar's state, as the browser sets it
    (what it held, with the range)."""
    from hipdash.ui import keys

    from . import component

    shown = component.data(at, keys.TAB_BAR)
    at = component.set_state(at, {"all": shown["all"], "range": label}, keys.TAB_BAR)
    assert not at.exception
    return at


def tiles(at) -> dict[str, str]:
    """Progress's figures: label -> value."""
    return {label: value for label, value, _ in progress_figures(at)}


def progress_figures(at) -> list[tuple[str, str, str]]:
    """Progress's figures as (label, value, what it means), as the page sent them to its
    tab bar, which draws them (tabs.js)."""
    from hipdash.ui import keys

    from . import component

    figures = component.data(at, keys.TAB_BAR)["top"]["figures"]
    return [(f["label"], f["value"], f["means"]) for f in figures]


def specs(at) -> list[dict]:
    """Each chart's Vega-Lite spec with its data sets put back in (Streamlit sends them apart
    as Arrow)."""
    import json

    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    out = []
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        spec["datasets"] = {
            ds.name: convert_arrow_bytes_to_pandas_df(ds.data.data).to_dict("records")
            for ds in chart.proto.datasets
        }
        out.append(spec)
    return out


def bars(spec: dict) -> list[dict]:
    (layer,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == "bar"]
    return spec["datasets"][layer["data"]["name"]]


def cells(spec: dict) -> list[dict]:
    return spec["datasets"][spec["data"]["name"]]
