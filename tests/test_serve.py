"""`hipdash serve` as a person starts it (a child process): it listens where it checked,
whatever Streamlit's environment variables or config files say, and never on the network
without a passcode of at least 8 characters."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import PROJECT

NETWORK = "[server]\naddress = '0.0.0.0'\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _address(hex_text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """An address of /proc/net/tcp{,6}: 32-bit words, each in this machine's byte order."""
    raw = bytes.fromhex(hex_text)
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    return ipaddress.ip_address(words)


def listening_on(port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The addresses a socket listens on at `port`, from the kernel's own table."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            host, _, at = local.partition(":")
            if state == "0A" and int(at, 16) == port:  # 0A: LISTEN
                found.append(_address(host))
    return found


def serve(tmp_path: Path, *args: str, env: dict[str, str] | None = None, home: Path):
    """`hipdash serve ARGS` started in `tmp_path` (its own folder) with `home` as HOME."""
    full = dict(os.environ, PYTHONPATH=str(PROJECT), HOME=str(home), **(env or {}))
    return subprocess.Popen(
        [sys.executable, "-m", "hipdash", "serve", *args],
        cwd=tmp_path,
        env=full,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until_up(proc: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the server did not start: {proc.poll()}")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket table")
@pytest.mark.parametrize("where", ["environment", "home config", "folder config"])
def test_serve_listens_on_this_computer_only_whatever_streamlits_settings_say(tmp_path, where):
    home = tmp_path / "home"
    env = {"STREAMLIT_SERVER_ADDRESS": "0.0.0.0"} if where == "environment" else {}
    folder = {"home config": home, "folder config": tmp_path}.get(where)
    if folder:
        (folder / ".streamlit").mkdir(parents=True)
        (folder / ".streamlit" / "config.toml").write_text(NETWORK)
    port = free_port()
    proc = serve(tmp_path, "--port", str(port), env=env, home=home)
    try:
        wait_until_up(proc, port)
        addresses = listening_on(port)
        assert addresses and all(a.is_loopback for a in addresses), addresses
    finally:
        stop(proc)
    said = proc.stdout.read()
    if where == "environment":  # meant for it, and passed over: said
        assert "listening on 127.0.0.1, not STREAMLIT_SERVER_ADDRESS=0.0.0.0: use --host" in said


@pytest.mark.parametrize("given", [" ", "1", "seven 7", "   seven 7   "])
def test_serve_refuses_the_network_with_a_passcode_under_8_characters(tmp_path, given):
    proc = serve(tmp_path, "--host", "0.0.0.0", env={"HIPDASH_PASSCODE": given}, home=tmp_path)
    try:
        out, _ = proc.communicate(timeout=60)
    finally:
        stop(proc)  # a server that started after all must not outlive the test
    assert proc.returncode == 2, out
    assert out.startswith("hipdash serve: error: ") and "at least 8 characters" in out
