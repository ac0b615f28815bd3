"""The guided view's set runner: countdowns for sets, sides and rests, or a tap per set,
in the browser (`countdown.js`, `sets.js`): it keeps time on a slow connection, never
reruns the page, beeps and vibrates at the end of each countdown and moves on by itself.
Only the plan's numbers and labels are sent to it."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from hipdash import config
from hipdash.dose import Plan

_HERE = Path(__file__).parent
_runner = st.components.v2.component(
    "hipdash_sets",
    css=(_HERE / "sets.css").read_text(),
    js=(_HERE / "countdown.js").read_text() + (_HERE / "sets.js").read_text(),
    isolate_styles=False,
)


def set_runner(plan: Plan, key: str) -> None:
    """The plan's countdowns or set taps for one exercise (`key` names it: a new key starts
    a new sequence, a rerun with the same key keeps the running one)."""
    if not plan.steps:
        return
    steps = [{"label": s.label, "seconds": s.seconds, "rest": s.rest} for s in plan.steps]
    data = {"key": key, "steps": steps, "reps": plan.dose.reps, "scale": config.timer_scale()}
    _runner(data=data, key=f"hd-sets:{key}")
