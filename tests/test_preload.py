"""The pages' HTML names the scripts each page loads on demand (hipdash.ui.preload)."""

import asyncio
import re
import threading
from pathlib import Path

import pytest
from streamlit import file_util

from hipdash.ui import PAGES, preload

BUILT = {p.name for p in (Path(file_util.get_static_dir()) / "static" / "js").iterdir()}
HTML = b"<html><head><title>x</title></head><body></body></html>"


@pytest.mark.parametrize("page", sorted(preload.SCRIPTS))
def test_every_script_named_is_one_this_streamlit_has(page):
    # A Streamlit upgrade that renames one fails here, not silently on a phone.
    built_stems = set(preload._built())
    assert set(preload.SCRIPTS[page]) <= built_stems
    named = re.findall(rb'href="\./static/js/([^"]+)"', preload.head(page))
    assert named and {n.decode() for n in named} <= BUILT
    assert len(named) == len(set(named))


def test_progress_names_the_chart_library_and_today_the_cards_component():
    assert re.search(rb"/embed\.[\w-]{8}\.js", preload.head("progress"))
    assert re.search(rb"/BidiComponent\.[\w-]{8}\.js", preload.head("today"))
    assert not re.search(rb"/embed\.", preload.head("today"))


@pytest.mark.parametrize(("query", "location"), [(b"", b"./today"), (b"date=x", b"./today?date=x")])
def test_the_root_sends_the_browser_to_todays_own_address_with_the_links_query(query, location):
    sent = []

    async def send(message):
        sent.append(message)

    async def app(scope, receive, send):
        raise AssertionError("the root's page is not run")

    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": query}
    _run(preload.Preload(app)(scope, None, send))
    start, body = sent
    assert start["status"] == 307 and dict(start["headers"])[b"location"] == location
    assert body["body"] == b""


def _run(coroutine) -> None:
    # In a thread of its own: a Playwright test before this one in the same process leaves
    # an event loop running in this one.
    thread = threading.Thread(target=asyncio.run, args=(coroutine,))
    thread.start()
    thread.join()


def _serve(path: str, body: bytes, status: int = 200, kind: bytes = b"text/html", **extra):
    """`body` served at `path` through the middleware; (what the app saw, the response)."""
    seen: dict = {}

    async def app(scope, receive, send):
        seen["headers"] = dict(scope["headers"])
        headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
        headers += [(b"etag", b'"abc"')]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    sent = []

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": extra.get("method", "GET"),
        "path": path,
        "headers": [(b"if-none-match", b'"abc"'), (b"accept-encoding", b"gzip"), (b"x", b"1")],
        "query_string": extra.get("query", b""),
    }
    _run(preload.Preload(app)(scope, None, send))
    start, *bodies = sent
    return seen["headers"], start, b"".join(m.get("body", b"") for m in bodies)


def test_a_pages_html_gets_its_scripts_whole_and_fresh():
    asked, start, body = _serve("/progress", HTML)
    assert b"if-none-match" not in asked and b"accept-encoding" not in asked
    assert asked[b"x"] == b"1"
    with_head = HTML.replace(b"</head>", preload.head("progress") + b"</head>")
    assert body == with_head.replace(b"</body>", preload.style() + b"</body>")
    headers = dict(start["headers"])
    assert headers[b"content-length"] == str(len(body)).encode()
    assert b"etag" not in headers  # it is not the file's any more


@pytest.mark.parametrize(
    ("path", "status", "kind", "method"),
    [
        ("/static/js/index.js", 200, b"text/javascript", "GET"),  # not a page
        ("/_stcore/health", 200, b"text/plain", "GET"),
        ("/nowhere", 200, b"text/html", "GET"),  # not one of the app's pages
        ("/today", 404, b"text/html", "GET"),
        ("/today", 200, b"application/json", "GET"),
        ("/today", 200, b"text/html", "POST"),
    ],
)
def test_anything_else_passes_untouched(path, status, kind, method):
    _, start, body = _serve(path, HTML, status, kind, method=method)
    assert body == HTML
    assert dict(start["headers"])[b"content-length"] == str(len(HTML)).encode()


@pytest.mark.parametrize("page", [p.url_path for p in PAGES])
def test_every_pages_html_carries_the_style_sheet_after_streamlits_own(page):
    _, _, body = _serve(f"/{page}", HTML)
    css = (Path(preload.__file__).with_name("style.css")).read_bytes()
    assert css in body  # whole: it has no "</" to escape
    assert body.index(css) > body.index(b"</head>")  # after the head, where Streamlit's go


def test_only_todays_own_address_without_a_query_carries_its_first_screen():
    # (hipdash.ui.first: drawn from the HTML before Streamlit is up; tests/test_first_screen.py)
    _, start, body = _serve("/today", HTML)
    assert b'id="hd-first"' in body
    assert dict(start["headers"])[b"cache-control"] == b"no-store"  # it holds health data
    assert b'id="hd-first"' not in _serve("/today", HTML, query=b"date=2026-11-20")[2]
    assert b'id="hd-first"' not in _serve("/progress", HTML)[2]
