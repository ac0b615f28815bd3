"""The guided runner's phase machine (`hipdash/ui/phases.js`), as pure code over a clock the
test passes in: lead-in, hold, switch sides, rest, pause, resume, restart, taps, the end,
a reload and a resume long after the end. It runs in chromium (where it runs for the
person), on an empty page: no server."""

import json

import pytest

from ..conftest import PROJECT

PHASES = [  # 2 sets × 2 sides of 20 s, as hipdash.script makes them (ms at scale 1)
    {"kind": "lead", "seconds": 3, "ms": 3000, "set": 1},
    {"kind": "work", "seconds": 20, "ms": 20000, "set": 1},
    {"kind": "switch", "seconds": 3, "ms": 3000, "set": 1},
    {"kind": "work", "seconds": 20, "ms": 20000, "set": 1},
    {"kind": "rest", "seconds": 10, "ms": 10000, "set": 1},
    {"kind": "lead", "seconds": 3, "ms": 3000, "set": 2},
    {"kind": "work", "seconds": 20, "ms": 20000, "set": 2},
    {"kind": "switch", "seconds": 3, "ms": 3000, "set": 2},
    {"kind": "work", "seconds": 20, "ms": 20000, "set": 2},
]
TAPS = [{"kind": "tap", "seconds": None, "ms": None, "set": n} for n in (1, 2)]
T0 = 1_000_000  # the clock, in ms


@pytest.fixture
def machine(page):
    """`machine(js)`: evaluates `js` with phases.js loaded, PHASES, TAPS and T0 defined."""
    page.set_content("<!doctype html><title>phases</title>")
    page.add_script_tag(content=(PROJECT / "hipdash" / "ui" / "phases.js").read_text())
    page.add_script_tag(
        content=f"const PHASES = {json.dumps(PHASES)}; const TAPS = {json.dumps(TAPS)};"
        f" const T0 = {T0};"
    )
    return lambda js: page.evaluate(js)


def test_a_timed_exercise_runs_through_its_phases_by_the_clock(machine):
    walked = machine(
        """() => {
        const seen = [];
        let s = startPhases(PHASES, T0);
        for (const t of [1000, 3000, 19999, 20000, 21000, 22000, 23000, 46000, 56000]) {
          const step = advance(PHASES, s, T0 + t);
          s = step.state;
          const v = viewPhases(PHASES, s, T0 + t);
          seen.push([t, v.status, v.at, Math.round(v.left * 10) / 10, step.events]);
        }
        return seen;
      }"""
    )
    assert walked == [
        [1000, "running", 0, 2, []],  # the lead-in, 2 s left
        [3000, "running", 1, 20, [{"type": "phase", "at": 1, "from": 0}]],  # hold, left
        [19999, "running", 1, 3, []],
        [20000, "running", 1, 3, [{"type": "count", "n": 3}]],  # "3, 2, 1" before it ends
        [21000, "running", 1, 2, [{"type": "count", "n": 2}]],
        [22000, "running", 1, 1, [{"type": "count", "n": 1}]],
        [23000, "running", 2, 3, [{"type": "phase", "at": 2, "from": 1}]],  # switch sides
        [46000, "running", 4, 10, [{"type": "phase", "at": 4, "from": 3}]],  # rest
        [56000, "running", 5, 3, [{"type": "phase", "at": 5, "from": 4}]],  # set 2's lead-in
    ]


def test_pause_resume_and_restart_set(machine):
    result = machine(
        """() => {
        let s = advance(PHASES, startPhases(PHASES, T0), T0 + 13000).state;  // hold, 10 s left
        s = pausePhases(s, T0 + 13000);
        const paused = viewPhases(PHASES, advance(PHASES, s, T0 + 60000).state, T0 + 60000);
        s = resumePhases(s, T0 + 60000);  // a minute later: still 10 s left
        const resumed = viewPhases(PHASES, s, T0 + 65000);
        const ends = advance(PHASES, s, T0 + 70000).state.at;
        let later = advance(PHASES, s, T0 + 90000).state;  // the second side
        const again = restartSet(PHASES, later, T0 + 90000);  // back to the set's lead-in
        const rest = advance(PHASES, startPhases(PHASES, T0), T0 + 50000).state;
        return [paused.status, paused.left, resumed.left, ends, later.at, again.at,
                viewPhases(PHASES, again, T0 + 90000).left, restartSet(PHASES, rest, T0).at];
      }"""
    )
    assert result == ["paused", 10, 5, 2, 3, 0, 3, 0]


def test_restart_set_after_a_sections_rest_goes_back_to_the_lead_in_not_the_rest(machine):
    result = machine(
        """() => {
        const phases = [{kind: "rest", seconds: 600, ms: 600000, set: 1}, ...PHASES];
        const hold = advance(phases, skipWait(phases, startPhases(phases, T0), T0).state,
                             T0 + 5000).state;  // the rest cut short, then its hold
        return [hold.at, restartSet(phases, hold, T0 + 5000).at];
      }"""
    )
    assert result == [2, 1]


def test_a_wait_can_be_cut_short_and_a_hold_cannot(machine):
    result = machine(
        """() => {
        const lead = startPhases(PHASES, T0);
        const now = skipWait(PHASES, lead, T0 + 1000);  // "Start now" 1 s into the lead-in
        const hold = viewPhases(PHASES, now.state, T0 + 1000);
        const kept = skipWait(PHASES, now.state, T0 + 2000);  // a hold goes on
        const rest = pausePhases(advance(PHASES, lead, T0 + 50000).state, T0 + 50000);
        const next = skipWait(PHASES, rest, T0 + 51000);  // "Skip rest", paused or not
        return [now.events, hold.status, hold.at, hold.left, kept.state === now.state,
                kept.events, canSkipWait(PHASES, rest), next.events,
                viewPhases(PHASES, next.state, T0 + 52000).left, canSkipWait(PHASES, null),
                canSkipWait(TAPS, startPhases(TAPS, T0))];
      }"""
    )
    assert result[:6] == [[{"type": "phase", "at": 1, "from": 0}], "running", 1, 20, True, []]
    # the rest (6 s of 10 left, paused) ends now; set 2's lead-in runs from now
    assert result[6:] == [True, [{"type": "phase", "at": 5, "from": 4}], 2, False, False]


def test_the_end_is_told_once_and_a_reload_finds_the_time_left(machine):
    result = machine(
        """() => {
        let s = advance(PHASES, startPhases(PHASES, T0), T0 + 30000).state;  // 2nd side
        const kept = JSON.parse(JSON.stringify(s));  // what localStorage keeps
        const back = advance(PHASES, kept, T0 + 40000);  // reloaded 10 s later
        const view = viewPhases(PHASES, back.state, T0 + 40000);
        const end = advance(PHASES, back.state, T0 + 102000);
        const after = advance(PHASES, end.state, T0 + 103000);
        return [view.at, view.left, back.events, end.events, end.state.ended, after.events,
                lateEnd(end.events[0], T0 + 102000)];
      }"""
    )
    at, left, events, end, ended, after, late = result
    assert (at, left, events) == (3, 6, [])  # the same set and side, 10 s less left
    assert end == [{"type": "end", "at": T0 + 102000}]  # 3+20+3+20+10+3+20+3+20 s
    assert (ended, after, late) == (True, [], False)  # once; just now: ticked by itself


def test_a_resume_long_after_the_end_is_the_end_but_not_ticked_by_itself(machine):
    result = machine(
        """() => {
        const kept = startPhases(PHASES, T0);
        const step = advance(PHASES, kept, T0 + 3 * 3600 * 1000);  // the phone, 3 h later
        return [step.state.ended, step.events, lateEnd(step.events[0], T0 + 3 * 3600 * 1000),
                viewPhases(PHASES, step.state, T0 + 3 * 3600 * 1000).status];
      }"""
    )
    assert result == [True, [{"type": "end", "at": T0 + 102000}], True, "ended"]


def test_taps_wait_for_the_person(machine):
    result = machine(
        """() => {
        let s = startPhases(TAPS, T0);
        const hour = advance(TAPS, s, T0 + 3600000);
        const waiting = [hour.events.length, viewPhases(TAPS, hour.state, T0).status];
        const first = tapPhase(TAPS, s, T0 + 5000);
        const last = tapPhase(TAPS, first.state, T0 + 9000);
        return [waiting, first.events, last.events, viewPhases(TAPS, null, T0).status];
      }"""
    )
    assert result == [
        [0, "waiting"],
        [{"type": "phase", "at": 1, "from": 0}],
        [{"type": "end", "at": T0 + 9000}],
        "ready",
    ]
