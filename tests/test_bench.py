"""The benchmark still runs end to end and reports what the README reads from it (its
figures are not checked here: speed is measured by bench/run.py, never asserted)."""

import re
import subprocess
import sys

import pytest

from .conftest import PROJECT


@pytest.mark.slow
def test_the_benchmark_builds_its_logs_and_prints_the_table_and_the_ratios_line():
    out = subprocess.run(
        [sys.executable, "bench/run.py", "--rounds", "1", "--reps", "1", "--warmup", "0"]
        + ["--appends", "3", "--previews", "1"]
        + ["--append-log", "20000"],  # the 1,000,000-row log's own size, small
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    lines = out.strip().splitlines()
    assert "built 20,000 rows" in out  # and read back through CheckoffLog, or it stops
    rows = {line.split("|")[0].strip(): line for line in lines if "|" in line}
    assert set(rows) >= {"0", "0 (full Progress)", "1,000", "10,000", "100,000", "20,000"}
    # Every size with history drew each tab's content when that tab was open:
    every_tab = (
        "(Progress drew Weeks 1 chart · Calendar 1 chart · Exercises 16 bars · Pain 1 chart"
        " · History 1 table)"
    )
    for size in ("1,000", "10,000", "100,000"):
        (line,) = [x for x in lines if x.startswith(f"round 1: {size} rows in")]
        assert line.endswith(every_tab), line
    assert "Progress with each tab open" in out
    tab_rows = [x for x in lines if x.strip().startswith("100,000 |") and x.count("ms") == 5]
    assert len(tab_rows) == 1
    # The import preview of both 30 KB notes, each listing its exercises:
    previews = [x for x in lines if re.search(r"\| +3\d KB \| +\d+ boxes \|", x)]
    assert len(previews) == 2, out
    assert re.fullmatch(
        r"ratios: today_100k=\d+\.\d\d progress_100k=\d+\.\d\d append_100k=\d+\.\d\d", lines[-1]
    )
