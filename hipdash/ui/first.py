"""Today's first screen, drawn from the page's HTML before Streamlit's front end is up.

Every element of a Streamlit page waits for its front end to start, open the websocket and
hear the script's run: on a phone about half a second before anything shows, the cards
later still (docs/performance.md). So Today's HTML carries its first screen: the nav bar
and the cards with the day's state, drawn by the very code that draws them in the page
(`nav.js`, `today.js`) from the data the page's run would send (`today_view.card_data`).
When the run's cards arrive they take these elements over as they are (`today.js`): a
box ticked meanwhile is saved then, a countdown started keeps running, nothing is drawn
twice.

Only the plain case is drawn ahead: Today at its own address with no link parameters, a
page that shows at once (no passcode, or this device remembered: `gate.opens_at_once`),
and nothing the run would put above the cards but the routine box (a warning, a banner,
a changed note), whose place is kept blank until the run draws it. Anything else opens
as any Streamlit page does. It only reads: the run still merges sync copies and writes
what it writes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from hipdash import config, passcode, ui
from hipdash.feelings import FeelingLog
from hipdash.log import CheckoffLog
from hipdash.sessions import SessionLog
from hipdash.sync import merge
from hipdash.ui import follow_view, gate, keys, nav, tab_state, today_view

_HERE = Path(__file__).parent


def data(cookies: Mapping[str, str]) -> dict | None:
    """What the first screen draws (the nav bar's links, the cards' data), or None when the
    page must open as it would without it."""
    if not gate.opens_at_once(cookies.get(passcode.COOKIE)) or config.today_problem():
        return None
    found = ui.library()
    if found.unreadable or found.unusable or not found.active:
        return None  # a warning above the cards, or no cards
    routine = ui.last_used(found.active)
    today = config.today()
    log, sessions = CheckoffLog(config.checkoffs_path()), SessionLog(config.data_dir())
    marked = sessions.day_marks()
    notes = follow_view.statuses()
    if _said_above(log, sessions, today in marked) or _note_line(notes, routine.id):
        return None
    here = tab_state.Here(first=True)
    tab = tab_state.TabDay()
    example = ui.is_example(routine)
    cards = today_view.card_data(log, sessions, routine, today, today, marked, example, tab, here)
    links = nav.links([p for p in ui.PAGES if p.in_nav], "Today")
    # With more than one routine the run draws its box above the cards: its place is kept.
    picker = len(found.active) > 1
    return {"links": links, "cards": cards, "key": keys.TODAY_CARDS, "picker": picker}


def _said_above(log: CheckoffLog, sessions: SessionLog, marked_today: bool) -> bool:
    """Whether Today's run says something above the cards: sync copies merged, lines
    that cannot be read, the day marked rest, sick or travel."""
    data_dir = config.data_dir()
    if marked_today or merge.any_pending(data_dir) or log.snapshot().warning_count:
        return True
    snaps = (*sessions.snapshots(), FeelingLog(data_dir).snapshot())
    return any(snap.warning_count for snap in snaps)


def _note_line(notes: follow_view.Statuses, routine_id: str) -> bool:
    """Whether a followed note adds its line to Today, or changes a routine by itself."""
    auto = any(follow_view.applies_by_itself(s) for s in notes[0])
    return auto or follow_view.line_status(routine_id, notes) is not None


def html(cookies: Mapping[str, str]) -> bytes:
    """What goes before `</body>` of Today's HTML: the first screen, or nothing."""
    try:
        drawn = data(cookies)
    except Exception:  # noqa: BLE001  (anything wrong here is the page's run to meet and say)
        return b""
    if drawn is None:
        return b""
    # No "<" at all in the data: neither "</script>" nor "<!--<script" can end or hide it.
    text = json.dumps(drawn, separators=(",", ":")).replace("<", "\\u003c")
    return (
        b'<div id="hd-first" aria-busy="true"><div class="hd-first-main">'
        b'<div class="hd-first-nav"></div><div class="hd-first-picker" hidden></div>'
        b'<div class="hd-first-cards"></div></div></div>'
        b'<script type="application/json" id="hd-first-data">'
        + text.encode()
        + b"</script><style>"
        + _css()
        + b"</style><script>"
        + _script()
        + b"</script>"
    )


def _inline(text: str) -> bytes:
    """Text for inside a `<style>` or `<script>` element: nothing in it can end one."""
    return text.replace("</", "<\\/").encode()


@lru_cache(maxsize=1)
def _css() -> bytes:
    return _inline("".join((_HERE / n).read_text() for n in ("today.css", "first.css")))


@lru_cache(maxsize=1)
def _script() -> bytes:
    """The cards' and the nav bar's scripts as one classic script (a module would wait for
    Streamlit's), each `export default` made a named function, then `first.js`."""
    scripts = ("countdown.js", "history.js", "outbox.js", "today.js")
    cards = "".join((_HERE / n).read_text() for n in scripts)
    nav_js = (_HERE / "nav.js").read_text()
    body = (
        "(() => {\n"
        + _named(cards, "mount")
        + "\nconst navBar = (() => {\n"
        + _named(nav_js, "navBar")
        + "\nreturn navBar;\n})();\n"
        + (_HERE / "first.js").read_text()
        + "\n})();"
    )
    return _inline(body)


def _named(js: str, name: str) -> str:
    marker = "export default function ("
    if js.count(marker) != 1:
        raise ValueError(f"expected one `{marker}`")
    return js.replace(marker, f"function {name}(", 1)
