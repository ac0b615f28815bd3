"""Which of a component's actions this page has taken. The browser numbers them (`seq`,
rising, `outbox.js`) and sends one again when its answer does not come; Streamlit can also
deliver one action in two runs (the 2 s watch's and the component's own). Each number is
taken once: a tick, an Undo or a Start is done once however often it arrives."""

from __future__ import annotations

import streamlit as st

from hipdash.ui import keys


def first_time(component: str, seq: object) -> bool:
    """Whether the action numbered `seq` is new from this component (and note it taken).
    One without a number is always new."""
    if not isinstance(seq, int) or isinstance(seq, bool) or seq <= 0:
        return True
    taken = st.session_state.setdefault(keys.ANSWERED, {})
    if seq <= taken.get(component, 0):
        return False
    taken[component] = seq
    return True


def last(component: str) -> int:
    """The highest number taken from this component: its data says so, so the browser
    sends the next action, or knows an action sent again was taken."""
    return st.session_state.get(keys.ANSWERED, {}).get(component, 0)
