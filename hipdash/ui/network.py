"""What hipdash's server answers, and to whom: nothing leaves the machine, nothing of
the app is served to a page of another origin, and nothing names the machine's files or
installation before the passcode.

`Guard` is an ASGI middleware in front of all of Streamlit's routes (`app.py` gives it
to `st.App`): a request whose `Host` is not in `server.allowedHosts` gets 403 (HTTP as well
as the websocket: DNS rebinding reaches nothing); the websocket must come from the page's
own origin (Streamlit itself lets any `localhost:<port>` in); the usage routes
(`/_stcore/metrics`, the agent API) are not served at all; and every response forbids
framing (`X-Frame-Options: DENY`, CSP `frame-ancestors 'none'`), so no other page can lay
the app under its own clicks.

`harden` changes two things of Streamlit's in this (the server's) process, before the
first request: a foreign origin no longer makes it ask a web service for this machine's
public address (`net_util.get_external_ip`), and a new session's first message carries
neither the script's full path nor the installation ids.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.middleware import Middleware
from streamlit import net_util
from streamlit.runtime import app_session
from streamlit.web.server.starlette.starlette_websocket import is_host_allowed

FRAMING = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
)
# Routes that tell about the server's use (sessions, memory) or drive it without a browser.
UNSERVED = ("/_stcore/metrics", "/_stcore/agent/")
_SCHEMES = {"ws": "http", "wss": "https", "http": "http", "https": "https"}


def refusal(scope: dict, headers: Headers) -> int | None:
    """The HTTP status a request is refused with, or None to serve it."""
    host = headers.get("host")
    if not is_host_allowed(host):
        return 403
    path = scope.get("path", "")
    if any(path == p.rstrip("/") or path.startswith(p) for p in UNSERVED):
        return 404
    if scope["type"] == "websocket" and not same_origin(scope, headers.get("origin"), host):
        return 403
    return None


def same_origin(scope: dict, origin: str | None, host: str | None) -> bool:
    """Whether a websocket's Origin is the page's own: the scheme and the `Host` it came to."""
    if not origin or not host:
        return False
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    own = _SCHEMES.get(scope.get("scheme", ""), "")
    return parts.scheme == own and parts.netloc.lower() == host.lower() and not parts.path


class Guard:
    """The ASGI middleware described in the module doc."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        status = refusal(scope, Headers(scope=scope))
        if status is not None:
            await _refuse(scope, receive, send, status)
            return

        async def framed(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), *FRAMING]}
            await send(message)

        await self.app(scope, receive, framed)


async def _refuse(scope, receive, send, status: int) -> None:
    if scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 1008})  # before accept: HTTP 403
        return
    body = b"Forbidden" if status == 403 else b"Not found"
    headers = [(b"content-type", b"text/plain"), *FRAMING]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


MIDDLEWARE = [Middleware(Guard)]


def _no_public_address() -> None:
    return None


def _private_new_session(create):
    """Streamlit's new-session message without the script's path or installation ids."""
    if getattr(create, "hipdash_private", False):
        return create

    def new_session_message(self, *args, **kwargs):
        msg = create(self, *args, **kwargs)
        msg.new_session.main_script_path = Path(msg.new_session.main_script_path).name
        user = msg.new_session.initialize.user_info
        for field in ("installation_id", "installation_id_v3", "installation_id_v4"):
            setattr(user, field, "")
        return msg

    new_session_message.hipdash_private = True
    return new_session_message


def harden() -> None:
    """Install the changes of the module doc in this (the server's) process; idempotent."""
    net_util.get_external_ip = _no_public_address
    session = app_session.AppSession
    session._create_new_session_message = _private_new_session(session._create_new_session_message)
