"""A page's first screen sooner on a phone: its HTML names the scripts the page will need.

Streamlit's front end loads the script of each kind of element only when the first one
arrives (the cards' component, a chart, a table), each import waiting for the one before:
Progress's first chart waits for some thirty scripts in turn (Vega alone is 775 kB), all
after the page's data has come. `Preload` (an ASGI middleware, `app.py` gives it to
`st.App`) adds `<link rel="modulepreload">` for those scripts to the HTML of each page, so
the browser fetches and compiles them while it is still connecting (docs/performance.md).

The root answers with a redirect to Today's address (`/today`, the link's query kept),
so a phone opening the app runs Today's script once, not the root's page first.

It also tells the front end where the server is (`window.__streamlit.BACKEND_BASE_URL`): a
page opened at its own address (`/progress`) otherwise first asks `/progress/_stcore/health`,
is refused, and tries the root after a pause.

Nothing else changes: the scripts are Streamlit's own, from this server; a script this
version of Streamlit does not have is simply not named.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from starlette.middleware import Middleware

# The scripts each page loads on demand (as the browser's network log lists them), by
# name without the build's hash. Every page: the components' (the nav bar; Today's cards).
_COMMON = ("BidiComponent", "_arrayReduce", "serialization", "recordbatch")
_CHART = (
    "ButtonGroup", "WidgetLabel", "styled-components", "WidgetLabelHelpIconInline",
    "useBasicWidgetState", "ArrowVegaLiteChart", "Quiver", "range", "unzip", "recordbatch",
    "serialization", "withFullScreenWrapper", "CustomTheme", "printWidthCap",
    "vega-interpreter", "embed", "linear", "defaultLocale", "init", "string", "value",
    "ordinal", "time", "cubic", "threshold", "colors", "treemap",
    "FileDownload.esm", "downloadDataUrl", "TableChart.esm", "DownloadButton",
    "createDownloadLinkElement",
)  # fmt: skip
SCRIPTS: dict[str, tuple[str, ...]] = {
    "start": _COMMON,
    # (the routine box, drawn with two routines or more: its label came a moment after it)
    "today": (*_COMMON, "Selectbox", "WidgetLabel", "useBasicWidgetState"),
    "guided": (*_COMMON, "PageLink", "ButtonGroup", "WidgetLabel", "useBasicWidgetState"),
    "progress": (*_COMMON, "Html", "purify.es", *_CHART),
    "routines": _COMMON,
    "backup": _COMMON,
}
_BASE = b"<script>window.__streamlit={BACKEND_BASE_URL:location.origin+'/'};</script>"
_HASHED = re.compile(r"^(?P<stem>.+)\.[A-Za-z0-9_-]{8}\.js$")


@lru_cache(maxsize=1)
def _built() -> dict[str, list[str]]:
    """Streamlit's script files, by name without the hash (some names have two builds)."""
    from streamlit import file_util

    found: dict[str, list[str]] = {}
    for path in sorted((Path(file_util.get_static_dir()) / "static" / "js").glob("*.js")):
        match = _HASHED.match(path.name)
        if match:
            found.setdefault(match["stem"], []).append(path.name)
    return found


@lru_cache(maxsize=8)
def head(page: str) -> bytes:
    """What goes before `</head>` of `page`'s HTML (its URL path, without slashes)."""
    built = _built()
    names = dict.fromkeys(name for stem in SCRIPTS[page] for name in built.get(stem, ()))
    links = "".join(
        f'<link rel="modulepreload" crossorigin href="./static/js/{name}">' for name in names
    )
    return _BASE + links.encode()


@lru_cache(maxsize=1)
def style() -> bytes:
    """What goes before `</body>`: the pages' style sheet (style.css). There it applies
    from the first paint and costs no page element (an `st.html` one was sanitised and
    drawn at every open); after the styles Streamlit adds to the head, it overrides them
    as the page's own element did."""
    css = (Path(__file__).with_name("style.css")).read_bytes()
    return b"<style>" + css.replace(b"</", b"<\\/") + b"</style>"


def page_of(scope: dict) -> str | None:
    """The page a GET of the app's HTML is for, or None (anything else passes untouched)."""
    if scope["type"] != "http" or scope.get("method") != "GET":
        return None
    page = scope.get("path", "").strip("/")
    return page if page in SCRIPTS or page == "" else None


class Preload:
    """The ASGI middleware of the module doc."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        page = page_of(scope)
        if page is None:
            await self.app(scope, receive, send)
            return
        if page == "":
            await _to_today(scope, send)
            return
        # The whole HTML, uncompressed, every time (it is small, and never cached anyway:
        # Streamlit serves it `no-cache`), so that it can be changed.
        skip = (b"if-none-match", b"if-modified-since", b"accept-encoding")
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in skip]
        first = _first_screen(scope) if page == "today" else b""
        start: dict = {}
        body: list[bytes] = []

        async def changed(message):
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            await _send_changed(send, start, b"".join(body), page, first)

        await self.app({**scope, "headers": headers}, receive, changed)


async def _to_today(scope: dict, send) -> None:
    """The root sends the browser to Today's own address (with the link's query): Today
    opens in one script run, where the root's page (app.py) took a second one to switch."""
    query = scope.get("query_string", b"")
    location = b"./today" + (b"?" + query if query else b"")
    headers = [(b"location", location), (b"content-length", b"0"), (b"cache-control", b"no-store")]
    await send({"type": "http.response.start", "status": 307, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


def _first_screen(scope: dict) -> bytes:
    """Today's first screen (`hipdash.ui.first`), for Today at its own address alone."""
    if scope.get("query_string"):
        return b""
    from starlette.requests import Request

    from hipdash.ui import first

    return first.html(Request(scope).cookies)


async def _send_changed(send, start: dict, body: bytes, page: str, first: bytes = b"") -> None:
    headers = [(k, v) for k, v in start.get("headers", ()) if k.lower() != b"content-length"]
    html = dict(headers).get(b"content-type", b"").startswith(b"text/html")
    if start.get("status") == 200 and html and b"</head>" in body and b"</body>" in body:
        body = body.replace(b"</head>", head(page) + b"</head>", 1)
        body = body.replace(b"</body>", style() + first + b"</body>", 1)
        dropped = (b"etag", b"last-modified", *((b"cache-control",) if first else ()))
        headers = [(k, v) for k, v in headers if k.lower() not in dropped]
        if first:  # it holds the day's ticks: kept in no cache on the device
            headers.append((b"cache-control", b"no-store"))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body})


MIDDLEWARE = [Middleware(Preload)]
