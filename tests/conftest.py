"""Shared fixtures: every test gets its own empty data dir and a clean read cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from hipdash import store
from hipdash.routines import load_routine

PROJECT = Path(__file__).resolve().parent.parent
ROUTINE_1 = PROJECT / "routines" / "hip-therapy-routine-1.yaml"
NOTE_1 = PROJECT / "tests" / "fixtures" / "notes" / "hip-therapy-routine-1.md"


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


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    """A private HIPDASH_DATA_DIR for each test; the real data/ is never touched."""
    directory = tmp_path / "data"
    monkeypatch.setenv("HIPDASH_DATA_DIR", str(directory))
    monkeypatch.delenv("HIPDASH_ROUTINES_DIR", raising=False)
    monkeypatch.delenv("HIPDASH_TODAY", raising=False)
    store.clear_cache()
    yield directory
    store.clear_cache()


@pytest.fixture(scope="session")
def routine1():
    return load_routine(ROUTINE_1)


def plain(markdown: str) -> str:
    """Markdown source with backslash escapes removed: what the person reads."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown)


_FIGURES: list[str] = []


@pytest.fixture
def figures() -> list[str]:
    """Lines a test reports for the README's Reliability section (printed at the end)."""
    return _FIGURES


def pytest_terminal_summary(terminalreporter):
    if _FIGURES:
        terminalreporter.section("hipdash reliability figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
