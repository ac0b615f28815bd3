"""The passcode gate that `page_setup` puts in front of every page when HIPDASH_PASSCODE
is set. Until the right passcode is given nothing of the page runs, so no routine text and
no log data is sent to the browser. A server listening beyond this computer without a
passcode, or with one too short, however it was started (`streamlit run` given any
address, by flag, environment or config file), shows every page only the reason
(`passcode.refusal`).

Once given, the browser session is unlocked, and the device is remembered for 30 days: the
page hands the browser a one-time ticket, which it trades at `REMEMBER_PATH` (a route of
the server, see app.py) for a signed, HttpOnly, SameSite=Strict cookie; a page opened with
that cookie is unlocked without asking. A new passcode revokes every such cookie. A wrong
or forged cookie is only ignored (the form is shown), so it costs a guesser nothing new to
try: the throttle guards the form as before.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import streamlit as st
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hipdash import config, passcode
from hipdash.ui import keys

THROTTLE = passcode.Throttle()
TICKETS = passcode.Tickets()
REMEMBER_PATH = "/hipdash/remember"
_remember = st.components.v2.component(
    "hipdash_remember",
    js=(Path(__file__).with_name("remember.js")).read_text(),
)


def unlocked() -> bool:
    """True when there is no passcode, this session gave it or this device is remembered;
    else draws the form (or the reason the server may not serve pages at all)."""
    expected = config.passcode()
    refused = passcode.refusal(st.get_option("server.address"), expected)
    if refused:
        st.error(f"hipdash shows nothing: {refused}, then start it again.", icon="🔒")
        return False
    if not expected or st.session_state.get(keys.UNLOCKED) is True:
        return True
    if _remembered(expected):
        st.session_state[keys.UNLOCKED] = True
        return True
    st.title("🦵 hipdash", anchor=False)
    with st.form("hd-passcode", clear_on_submit=True, border=False):
        given = st.text_input("Passcode", type="password", key="hd_passcode")
        submitted = st.form_submit_button("Unlock", type="primary")
    st.caption("This device is then remembered for 30 days (until the passcode changes).")
    if not submitted:
        return False
    wait = THROTTLE.wait_seconds()
    if wait > 0:
        st.error(f"Too many wrong passcodes. Try again in {math.ceil(wait)} seconds.", icon="⏳")
        return False
    if passcode.matches(expected, given or ""):
        st.session_state[keys.UNLOCKED] = True
        st.session_state[keys.REMEMBER_TICKET] = TICKETS.issue()
        st.rerun()
    THROTTLE.failed()  # takes its second
    st.error("Wrong passcode.", icon="🔒")
    return False


def _remembered(expected: str) -> bool:
    return _good_cookie(expected, st.context.cookies.get(passcode.COOKIE))


def opens_at_once(token: object) -> bool:
    """Whether a page opened with this device cookie (`token`, or None) shows at once,
    as `unlocked` decides for a new session: no refusal, and no passcode or this device
    remembered. Anything else must not be shown before Streamlit's run asks."""
    expected = config.passcode()
    if passcode.refusal(st.get_option("server.address"), expected):
        return False
    return not expected or _good_cookie(expected, token)


def _good_cookie(expected: str, token: object) -> bool:
    if not isinstance(token, str) or not token:  # (AppTest has no real cookies)
        return False
    secret = passcode.load_secret(config.data_dir(), make=False)
    return secret is not None and passcode.remembered(secret, expected, token, time.time())


def remember_device() -> None:
    """Right after the passcode was given: the browser trades the ticket for the cookie."""
    ticket = st.session_state.pop(keys.REMEMBER_TICKET, None)
    if ticket:
        _remember(data={"ticket": ticket, "path": REMEMBER_PATH}, key="hd-remember")


async def _trade(request: Request) -> Response:
    """The ticket (the request's body) for the device cookie; 403 for anything else."""
    expected = config.passcode()
    ticket = (await request.body())[:200].decode("ascii", "replace")
    if not expected or not TICKETS.redeem(ticket):
        return Response(status_code=403)
    secret = passcode.load_secret(config.data_dir())
    if secret is None:  # a read-only data dir: asked again next time, as without cookies
        return Response(status_code=503)
    response = Response(status_code=204)
    response.set_cookie(
        passcode.COOKIE,
        passcode.device_token(secret, expected, time.time()),
        max_age=passcode.REMEMBER_SECONDS,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


ROUTES = [Route(REMEMBER_PATH, _trade, methods=["POST"])]
