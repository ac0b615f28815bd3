"""The nav bar at the top of every page: the page links in one small browser component.

Four `st.page_link`s in a row were five Streamlit elements, about a tenth of opening
Today on a throttled phone (docs/performance.md); drawn by `nav.js` they are one. A tap
opens the page as a page link does (in this tab, without a reload, Back returning), and
each link is a real URL, so a long press or a middle click opens it elsewhere.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from hipdash.ui import keys

_component = st.components.v2.component(
    "hipdash_nav", js=(Path(__file__).with_name("nav.js")).read_text(), isolate_styles=False
)
_go = st.components.v2.component("hipdash_go", js=(Path(__file__).with_name("go.js")).read_text())


def bar(pages, current: str) -> None:
    """A link to each of `pages` (`hipdash.ui.PageInfo`s); the one titled `current` is
    marked as the page you are on."""
    _component(data={"links": links(pages, current)}, key=keys.NAV)


def links(pages, current: str) -> list[dict]:
    """The nav bar's data: each page's link, the one titled `current` marked."""
    return [
        {"url": p.url_path, "label": f"{p.icon} {p.title}", "current": p.title == current}
        for p in pages
    ]


def url(url_path: str, params: dict[str, str]) -> str:
    """A page's address relative to this one, as the nav bar's links are."""
    return f"./{url_path}?{urlencode(params)}" if params else f"./{url_path}"


def go(leaving: dict[str, str]) -> None:
    """Open another page from the browser (`hipdash.ui.leaving`), in place of
    `st.switch_page`: the browser leaves this page first, so nothing it sends afterwards
    (the 2 s watch's tick) can run on the server as this page over the next (`go.js`)."""
    _go(data=leaving, key=keys.GO)
