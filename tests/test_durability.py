"""The log survives concurrent writers, SIGKILL mid-append and torn writes: real files in a
temp dir, real processes. Each test reports its figures (see the README's Reliability)."""

from __future__ import annotations

import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hipdash import store
from hipdash.log import COLUMNS, Change, CheckoffLog

from .conftest import PROJECT
from .log_writer import DAY, ROUTINE

WRITER = PROJECT / "tests" / "log_writer.py"
HEADER = ",".join(COLUMNS)
ROW = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2}),2026-11-24,"
    + ROUTINE
    + r",(?P<tag>[a-z0-9]+)/n(?P<n>\d+),(?P<done>[01])$"
)


def start_writer(path: Path, tag: str, count: int, wait: bool = False) -> subprocess.Popen:
    args = [sys.executable, str(WRITER), str(path), tag, str(count)] + (["--wait"] if wait else [])
    return subprocess.Popen(
        args, cwd=PROJECT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
    )


def fresh_snapshot(path: Path) -> store.Snapshot:
    store.clear_cache()
    return CheckoffLog(path).snapshot()


def two_writers_at_once(path: Path) -> list[tuple[str, int]]:
    """Two processes append 1,000 ticks each, started together; checks that nothing was lost
    or interleaved and returns the order (tag, n) in which their rows landed."""
    writers = {tag: start_writer(path, tag, 1000, wait=True) for tag in ("a", "b")}
    for proc in writers.values():
        assert proc.stdout.readline() == "ready\n"
    for proc in writers.values():  # both start together
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for tag, proc in writers.items():
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0, tag
        assert out.split() == [str(i) for i in range(1000)]

    lines = path.read_bytes().decode("utf-8").split("\n")
    assert lines[0] == HEADER and lines[-1] == ""  # ends with a newline: no torn tail
    rows = [ROW.match(line) for line in lines[1:-1]]
    assert len(rows) == 2000 and all(rows)  # every line whole and well formed
    order = [(m["tag"], int(m["n"])) for m in rows]
    for tag in ("a", "b"):
        assert [n for t, n in order if t == tag] == list(range(1000))  # all there, in order
    snap = fresh_snapshot(path)
    assert len(snap.records) == 2000 and snap.problem_count == 0 and snap.torn == 0
    return order


def test_two_processes_appending_at_once_lose_and_interleave_nothing(data_dir, figures):
    # The test only means something if the two really wrote at the same time: each one's
    # rows spread among the other's. On a busy machine one may finish before the other
    # starts; then the (still fully checked) run is repeated, a few times at most.
    for attempt in range(1, 6):
        order = two_writers_at_once(data_dir / f"checkoffs-{attempt}.csv")
        if {t for t, _ in order[:1000]} == {"a", "b"}:
            break
    assert {t for t, _ in order[:1000]} == {"a", "b"}, "the writers never overlapped"
    switches = sum(1 for x, y in zip(order, order[1:], strict=False) if x[0] != y[0])
    figures.append(
        f"2 concurrent writers x 1,000 appends: 2,000 rows, 0 lost ({switches} switches, "
        f"attempt {attempt})"
    )


def check_line_or_torn(line: str) -> bool:
    """True for a whole row; False for a torn one (a strict prefix of a row); else fail."""
    if ROW.match(line):
        return True
    longest = len("2026-11-24T18:05:31.123456+00:00,2026-11-24," + ROUTINE + ",c00/n99999,1")
    assert len(line) < longest, f"not a torn row: {line!r}"
    assert re.fullmatch(r"[0-9a-z:+T,/.-]*", line), f"not a torn row: {line!r}"
    return False


@pytest.mark.slow
def test_a_writer_killed_at_random_moments_loses_no_reported_append(data_dir, figures):
    """15 SIGKILLs spread over 600 appends; every append the writer reported is there.
    (Each kill lands at a random moment of an append: more appends between kills only
    took longer, 41 s of the suite for 2,500; each kill is a writer process started.)"""
    rng = random.Random(7)
    path = data_dir / "checkoffs.csv"
    total, kills = 600, 15
    reported: dict[str, int] = {}  # tag -> how many appends it reported (0..n-1)
    attempted = 0
    for cycle in range(kills):
        tag = f"c{cycle:02d}"
        left = total - attempted
        mean = left // (kills - cycle)
        target = max(1, min(left, rng.randint(mean // 2, mean + mean // 2)))
        proc = start_writer(path, tag, left + 100)
        done = 0
        while done < target:
            assert proc.stdout.readline().strip() == str(done)
            done += 1
        time.sleep(rng.random() * 0.002)  # land anywhere in one of the next appends
        proc.kill()
        proc.wait()
        done += len(proc.stdout.read().split())  # reports already in the pipe count too
        proc.stdout.close()
        proc.stdin.close()
        reported[tag] = done
        attempted += done + 1  # the one in flight when the kill came may or may not be there

    raw = path.read_bytes()
    lines = raw.decode("utf-8").split("\n")
    assert lines[0] == HEADER
    body, tail = lines[1:-1], lines[-1]
    torn_seen = sum(1 for line in body if not check_line_or_torn(line))
    found: dict[str, list[int]] = {}
    for line in body:
        if match := ROW.match(line):
            found.setdefault(match["tag"], []).append(int(match["n"]))
    for tag, count in reported.items():
        seen = found.get(tag, [])
        # Every reported append, once, in order; at most the one in flight besides.
        assert seen[:count] == list(range(count)), tag
        assert seen[count:] in ([], [count]), tag

    snap = fresh_snapshot(path)
    assert len(snap.records) == sum(len(v) for v in found.values())
    assert snap.problem_count == torn_seen
    assert snap.torn == len(tail.encode())
    torn_seen += bool(tail)

    # After all that the file still takes an append, on a fresh line, and loads.
    CheckoffLog(path).record([Change(DAY, ROUTINE, "after/n0", True)])
    assert path.read_bytes().startswith(raw)
    last = path.read_bytes().decode().split("\n")[-2]
    assert ROW.match(last) and last.endswith(",after/n0,1")
    snap = fresh_snapshot(path)
    assert snap.records[-1][3] == "after/n0" and snap.torn == 0
    survived = sum(reported.values())
    figures.append(
        f"SIGKILL test: {kills} kills during {attempted:,} appends, {survived:,} reported, "
        f"0 lost, {torn_seen} torn lines"
    )


def test_a_write_torn_at_any_byte_is_ignored_and_the_next_append_starts_fresh(data_dir, figures):
    """Truncate a good log at random byte offsets (and every offset of its last line)."""
    rng = random.Random(11)
    good = data_dir / "good.csv"
    log = CheckoffLog(good)
    for i in range(40):
        log.record([Change(DAY, ROUTINE, f"t/n{i}", True)])
    full = good.read_bytes()
    last_start = full.rstrip(b"\n").rfind(b"\n") + 1
    offsets = sorted(
        set(range(last_start, len(full))) | {rng.randrange(len(full)) for _ in range(150)}
    )
    for n, offset in enumerate(offsets):
        path = data_dir / f"torn{n}.csv"
        path.write_bytes(full[:offset])
        complete = full[:offset].count(b"\n")
        fragment = full[:offset][full[:offset].rfind(b"\n") + 1 :].decode()
        snap = CheckoffLog(path).snapshot()
        assert len(snap.records) == max(0, complete - 1), offset  # minus the header
        assert snap.problem_count == 0 and snap.torn == len(fragment)

        CheckoffLog(path).record([Change(DAY, ROUTINE, "next/n0", True)])
        after = path.read_bytes()
        assert after.startswith(full[:offset])  # nothing rewritten or dropped
        new_line = after.decode().split("\n")[-2]
        assert ROW.match(new_line) and new_line.endswith(",next/n0,1")  # on a line of its own
        snap = CheckoffLog(path).snapshot()
        fragment_is_row = bool(ROW.match(fragment))
        fragment_is_fine = fragment in ("", HEADER) or fragment_is_row
        assert snap.problem_count == (0 if fragment_is_fine else 1), offset
        expected = max(0, complete - 1) + fragment_is_row + 1
        if complete == 0 and fragment == HEADER:
            expected = 1
        assert len(snap.records) == expected, offset
        assert snap.records[-1][3] == "next/n0"
    figures.append(
        f"torn-write test: {len(offsets)} truncation points, every one read and repaired"
    )
