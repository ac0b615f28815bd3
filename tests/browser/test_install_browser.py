"""hipdash as an installed command: the wheel built from this tree, installed (not editable)
into a fresh virtualenv, `hipdash serve` started from an empty folder. Offline and quick:
the wheel is built with the test venv's setuptools, and the fresh venv sees the test venv's
packages (Streamlit, pandas, ...) through a .pth line, but not its editable hipdash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..conftest import PROJECT
from .conftest import Server, click_tick, only_local_hosts_accepted, open_page, tick_box

SHIPPED = ("pyproject.toml", "README.md", "app.py", "hipdash", "pages", "routines", ".streamlit")


def build_wheel(out: Path) -> Path:
    """The wheel of a copy of this tree (no build files left in the clone)."""
    source = out / "source"
    for name in SHIPPED:
        path = PROJECT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            source.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", out, source],
        check=True,
        capture_output=True,
    )
    return next(out.glob("hipdash-*.whl"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; its `hipdash` command."""
    base = tmp_path_factory.mktemp("install")
    wheel = build_wheel(base)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The test venv's packages, as a plain path: its .pth files (the editable hipdash) are
    # not run from there, so `import hipdash` can only find the installed wheel.
    Path(purelib, "test-venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps"]
        + ["--no-index", "--disable-pip-version-check", wheel],
        check=True,
        capture_output=True,
    )
    return venv / "bin" / "hipdash"


def listening(port: int) -> set[str]:
    """The local addresses (hex, as /proc/net/tcp writes them) listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, at = local.partition(":")
            if state == "0A" and int(at, 16) == port:
                found.add(address)
    return found


def test_every_subpackage_is_shipped():
    packages = tomllib.loads((PROJECT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {
        ".".join(p.parent.relative_to(PROJECT).parts)
        for p in (PROJECT / "hipdash").rglob("__init__.py")
    }
    assert found <= set(packages["packages"]), "add the new subpackage to pyproject.toml"


@pytest.mark.slow
def test_the_installed_command_serves_from_an_empty_folder(installed, tmp_path, page, figures):
    empty, xdg = tmp_path / "empty", tmp_path / "xdg"
    empty.mkdir()
    # As a user runs it: not the clone's package on PYTHONPATH (a developer's shell may set
    # it; empty is unset), which would find the clone's data/.
    env = {"XDG_DATA_HOME": str(xdg), "HOME": str(tmp_path / "home"), "PYTHONPATH": ""}
    full = {k: v for k, v in os.environ.items() if k != "HIPDASH_DATA_DIR"} | env
    where = subprocess.run(
        [installed, "where"], cwd=empty, env=full, capture_output=True, text=True
    )
    assert where.returncode == 0, where.stderr
    assert f"data:             {xdg / 'hipdash'}" in where.stdout
    assert "hipdash/webapp/.streamlit/config.toml (hipdash's own)" in where.stdout
    server = Server(None, env=env, command=[str(installed), "serve", "--port"], cwd=empty)
    try:
        open_page(page, server)
        click_tick(page, "Cat/cow stretch")
        expect(tick_box(page, "Cat/cow stretch").locator("input")).to_be_checked()
        lines = (xdg / "hipdash" / "checkoffs.csv").read_text().splitlines()
        assert len(lines) == 2 and lines[1].endswith(",release/cat-cow,1")
        only_local_hosts_accepted(server.port)
        # The clone's settings hold: Streamlit alone would listen on every address.
        assert listening(server.port) == {"0100007F"}  # 127.0.0.1 only
    finally:
        server.stop()
    assert list(empty.iterdir()) == []  # nothing written where it was started
    assert sorted(p.name for p in (xdg / "hipdash").iterdir()) == [
        "app-state.json",
        "checkoffs.csv",
    ]
    figures.append("installed `hipdash serve`: served Today from an empty folder, left it empty")
