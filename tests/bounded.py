"""Run hipdash code in a child process under hard limits (not collected: a helper).

`run_bounded(setup, body, cpu_seconds, memory_mb)` starts Python, runs `setup` (imports,
making the input), then sets `resource.setrlimit` on itself: CPU seconds beyond what it
used so far (RLIMIT_CPU: the kernel stops it with SIGXCPU past that) and address space
beyond what it holds now (RLIMIT_AS: an allocation past that raises MemoryError). Then it
runs `body`, which sets `result` (anything JSON can carry). A wall-clock timeout catches
what waits without using CPU (a FIFO). So a test asserts a time and memory bound by the
child finishing at all, never by timing a unit test; the figures come back for the docs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

from .conftest import PROJECT

_CHILD = r"""
import json, math, resource, sys

def vm_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024

setup, body, cpu, mb = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
scope = {}
exec(setup, scope)
usage = resource.getrusage(resource.RUSAGE_SELF)
used = usage.ru_utime + usage.ru_stime
rss = usage.ru_maxrss
resource.setrlimit(resource.RLIMIT_CPU, (math.ceil(used) + cpu, resource.RLIM_INFINITY))
resource.setrlimit(resource.RLIMIT_AS, (vm_bytes() + mb * 2**20, resource.RLIM_INFINITY))
exec(body, scope)
after = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({
    "result": scope.get("result"),
    "cpu": after.ru_utime + after.ru_stime - used,
    "rss_mb": (after.ru_maxrss - rss) / 1024,
}))
"""


@dataclass(frozen=True)
class Bounded:
    result: object
    cpu: float  # CPU seconds the body used
    rss_mb: float  # how far the body raised the child's peak resident memory, in MB


def run_bounded(
    setup: str,
    body: str,
    cpu_seconds: int,
    memory_mb: int,
    args: tuple[str, ...] = (),
    timeout: float = 120,
    env: dict[str, str] | None = None,
) -> Bounded:
    """`body` run after `setup` within `cpu_seconds` more CPU and `memory_mb` more address
    space (`args` are the child's `sys.argv[5:]`); AssertionError (with the child's error
    output) if it did not finish so."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, setup, body, str(cpu_seconds), str(memory_mb), *args],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **(env or {})},
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running after {timeout} s (blocked?)") from None
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-3000:]}"
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return Bounded(out["result"], out["cpu"], out["rss_mb"])
