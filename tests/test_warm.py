"""The server's warm-up (hipdash.ui.warm): what the first page would build in its request is
built before it, and nothing is written. In a fresh process, as a server starts."""

import json
import os
import subprocess
import sys
from datetime import date

from hipdash import demo

from .conftest import PROJECT

TODAY = date(2026, 11, 24)

# After the warm-up: what is kept for the first page, in this process.
_CHECK = """
import json, sys
from hipdash import config, store
from hipdash.ui import warm
MODULES = ("altair", "hipdash.ui.today_view", "hipdash.ui.progress")
before = {m for m in MODULES if m in sys.modules}
warm.warm()
cache = store._caches.get(store._key(config.checkoffs_path()))
from hipdash.ui import today_view
print(json.dumps({
    "imported_before": sorted(before),
    "imported": [m for m in MODULES if m in sys.modules],
    "log_read_to": cache.offset if cache else None,
    "records": len(cache.records) if cache else 0,
    "routines_drawn": today_view.routine_data.cache_info().currsize,
}))
"""


def _files(directory):
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def _warm(data_dir) -> dict:
    env = dict(os.environ, HIPDASH_DATA_DIR=str(data_dir), HIPDASH_TODAY=TODAY.isoformat())
    env.pop("HIPDASH_ROUTINES_DIR", None)
    out = subprocess.run(
        [sys.executable, "-c", _CHECK],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_warm_up_reads_the_log_and_loads_the_pages_modules_and_writes_nothing(
    data_dir, routine1
):
    demo.create(data_dir, routine1, weeks=8, seed=2, today=TODAY)
    files = _files(data_dir)
    found = _warm(data_dir)
    assert found["imported_before"] == []  # so the warm-up is what loaded them
    assert found["imported"] == ["altair", "hipdash.ui.today_view", "hipdash.ui.progress"]
    assert found["log_read_to"] == (data_dir / "checkoffs.csv").stat().st_size
    assert found["records"] > 100
    assert found["routines_drawn"] == 1
    assert _files(data_dir) == files


def test_a_data_dir_it_cannot_read_is_left_for_the_page_to_report(data_dir):
    # Not a file: the page says so; the warm-up only leaves it.
    (data_dir / "checkoffs.csv").mkdir(parents=True)
    found = _warm(data_dir)
    assert found["log_read_to"] is None
