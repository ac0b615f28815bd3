"""Timers for Today: a countdown for holds (in the browser) and a session stopwatch.

The hold countdown runs entirely in the browser (a `st.components.v2` component
with our own fixed JS; the only data it gets is a number of seconds), so it
keeps time to the second on a slow connection, never reruns the script and
never scrolls the page. At zero it shows "Done", beeps (Web Audio, nothing is
fetched) and vibrates where the phone allows it.

The session stopwatch lives in a fragment that reruns once a second only while
it runs; Stop fills in the minutes of the session details.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

_HOLD_CSS = """
.hd-hold { display: flex; align-items: center; gap: .5rem; flex-wrap: wrap;
  font-family: var(--st-font, sans-serif); }
.hd-hold button { font: inherit; font-size: 1rem; min-height: 44px; min-width: 44px;
  padding: 0 .9rem; border-radius: .5rem; border: 1px solid #c8c8c8; background: #fff;
  cursor: pointer; }
.hd-hold button.go { background: #2e7d32; border-color: #2e7d32; color: #fff; }
.hd-hold .time { font-variant-numeric: tabular-nums; font-size: 1.4rem; min-width: 4.2ch; }
.hd-hold.running .time { color: #1565c0; }
.hd-hold.done .time { color: #2e7d32; font-weight: 700; }
.hd-hold.done { animation: hd-flash .5s 3; }
@keyframes hd-flash { 50% { background: #c8e6c9; } }
"""

_HOLD_JS = """
const fmt = (s) => `${Math.floor(s / 60)}:${String(Math.ceil(s) % 60).padStart(2, "0")}`;

function beep() {
  try {
    const ctx = new (window.AudioContext || window.webkitAudioContext)();
    [0, 0.35, 0.7].forEach((at) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.2;
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + at);
      osc.stop(ctx.currentTime + at + 0.2);
    });
  } catch (e) { /* no audio: the visual signal remains */ }
  if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
}

export default function (component) {
  const { data, parentElement } = component;
  const total = Math.max(1, Math.round(Number(data && data.seconds) || 0));
  let root = parentElement.querySelector(".hd-hold");
  if (root && Number(root.dataset.total) === total) return; // a rerun: keep the running timer
  if (root) root.remove();
  root = document.createElement("div");
  root.className = "hd-hold";
  root.dataset.total = String(total);
  root.setAttribute("data-testid", "hd-hold-timer");
  root.innerHTML =
    '<button class="go" type="button"></button>' +
    '<span class="time" role="timer" aria-live="polite"></span>' +
    '<button class="reset" type="button">Reset</button>';
  parentElement.appendChild(root);
  const [go, reset] = root.querySelectorAll("button");
  const shown = root.querySelector(".time");
  let left = total, endsAt = null, tick = null;

  const draw = () => {
    shown.textContent = left <= 0 ? "Done ✓" : fmt(left);
    const paused = left < total && left > 0;
    go.textContent = endsAt ? "Pause" : paused ? "Resume" : `Start ${total} s hold`;
    root.classList.toggle("running", !!endsAt);
    root.classList.toggle("done", left <= 0);
    root.dataset.state = left <= 0 ? "done" : endsAt ? "running" : "idle";
  };
  const stop = () => { clearInterval(tick); tick = null; endsAt = null; };
  const step = () => {
    left = Math.max(0, (endsAt - Date.now()) / 1000);
    if (left <= 0) { stop(); beep(); }
    draw();
  };
  go.addEventListener("click", () => {
    if (endsAt) { step(); stop(); draw(); return; }
    if (left <= 0) left = total;
    endsAt = Date.now() + left * 1000;
    tick = setInterval(step, 200);
    draw();
  });
  reset.addEventListener("click", () => { stop(); left = total; draw(); });
  draw();
}
"""

_hold_component = st.components.v2.component("hipdash_hold_timer", css=_HOLD_CSS, js=_HOLD_JS)


def hold_timer(seconds: int, key: str) -> None:
    """A countdown for one hold; only the number of seconds reaches the browser."""
    _hold_component(data={"seconds": int(seconds)}, key=key)


def _elapsed(started: float, now: float) -> str:
    seconds = max(0, int(now - started))
    return f"{seconds // 60}:{seconds % 60:02d}"


def session_timer(state_key: str, on_stop: Callable[[int], None]) -> None:
    """Start/Stop for the session; Stop calls `on_stop(minutes)` (rounded, at least 1)."""
    started = st.session_state.get(state_key)
    run_every = 1 if started else None

    @st.fragment(run_every=run_every)
    def _timer() -> None:
        started = st.session_state.get(state_key)
        with st.container(horizontal=True, vertical_alignment="center", key="hd-timer"):
            if started is None:
                if st.button("⏱️ Start session timer", key=f"{state_key}-start"):
                    st.session_state[state_key] = time.time()
                    st.rerun()
            else:
                st.markdown(f"⏱️ **{_elapsed(started, time.time())}**")
                if st.button("Stop", key=f"{state_key}-stop", type="primary"):
                    minutes = max(1, round((time.time() - started) / 60))
                    del st.session_state[state_key]
                    on_stop(minutes)
                    st.rerun()

    _timer()
