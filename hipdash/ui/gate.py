"""The passcode gate that `page_setup` puts in front of every page when HIPDASH_PASSCODE
is set. Until the right passcode is given nothing of the page runs, so no routine text and
no log data is sent to the browser; once given, it is remembered for that browser
session (a reload or a new tab asks again)."""

from __future__ import annotations

import math

import streamlit as st

from hipdash import config, passcode
from hipdash.ui import keys

THROTTLE = passcode.Throttle()


def unlocked() -> bool:
    """True when there is no passcode or this session gave it; else draws the form."""
    expected = config.passcode()
    if not expected or st.session_state.get(keys.UNLOCKED) is True:
        return True
    st.title("🦵 hipdash", anchor=False)
    with st.form("hd-passcode", clear_on_submit=True, border=False):
        given = st.text_input("Passcode", type="password", key="hd_passcode")
        submitted = st.form_submit_button("Unlock", type="primary")
    if not submitted:
        return False
    wait = THROTTLE.wait_seconds()
    if wait > 0:
        st.error(f"Too many wrong passcodes. Try again in {math.ceil(wait)} seconds.", icon="⏳")
        return False
    if passcode.matches(expected, given or ""):
        st.session_state[keys.UNLOCKED] = True
        st.rerun()
    THROTTLE.failed()  # takes its second
    st.error("Wrong passcode.", icon="🔒")
    return False
