"""Driving hipdash's browser components from AppTest, which draws them as unknown elements:
read the data a component was sent, and send it an event as the browser would.

This is the one place the tests use Streamlit's private APIs (AppTest has no public way to
reach a custom component): `_make_trigger_id`, `AppTest._tree` and `AppTest._run`.
`private_apis_missing` names any that a new Streamlit lacks, and
tests/test_component_apis.py fails with that list and the version, so a Streamlit upgrade
breaks one test that says why rather than every page test with an AttributeError.
"""

from __future__ import annotations

import itertools
import json
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import streamlit
from streamlit.testing.v1 import AppTest

try:
    from streamlit.components.v2.bidi_component.main import _make_trigger_id
except ImportError:  # said by private_apis_missing(), not at import
    _make_trigger_id = None

PRIVATE = ("_make_trigger_id", "AppTest._tree", "AppTest._run", "AppTest._bidi_component_manager")


def private_apis_missing() -> list[str]:
    """The private APIs this module needs that this Streamlit does not have."""
    at = AppTest.from_string("import streamlit as st\nst.write('x')").run()
    present = {
        "_make_trigger_id": callable(_make_trigger_id),
        "AppTest._tree": hasattr(at, "_tree") and hasattr(at._tree, "get_widget_states"),
        "AppTest._run": callable(getattr(at, "_run", None)),
        "AppTest._bidi_component_manager": hasattr(at, "_bidi_component_manager"),
    }
    return [name for name in PRIVATE if not present[name]]


_MANAGER = None


def share_components(at: AppTest) -> AppTest:
    """Give `at` the test process's one component manager. A new AppTest makes its own at
    its first run and scans every installed package's metadata for components to register
    (about 0.2 s; half the CPU of a page test): the same packages each time, and hipdash's
    components are declared in its code, not found by the scan."""
    global _MANAGER
    if not hasattr(at, "_bidi_component_manager"):  # said by private_apis_missing()
        return at
    if _MANAGER is None:
        _MANAGER = AppTest.from_string("import streamlit as st").run()._bidi_component_manager
    at._bidi_component_manager = _MANAGER
    return at


def version() -> str:
    return streamlit.__version__


def _element(at: AppTest, key: str):
    def walk(node):
        if getattr(node, "type", None) == "bidi_component" and node.proto.id.endswith(f"-{key}"):
            return node
        for child in getattr(node, "children", {}).values():
            found = walk(child)
            if found is not None:
                return found
        return None

    found = walk(at._tree)
    assert found is not None, f"no component with key {key!r} on the page"
    return found


_SEQ = itertools.count(1_000)  # rising, as the browser numbers a tab's actions


def data(at: AppTest, key: str = "hd-today") -> dict:
    """What the page sent the component in its last run."""
    return json.loads(_element(at, key).proto.json)


def send(
    at: AppTest, value: dict, key: str = "hd-today", event: str = "action", renumber: bool = True
) -> AppTest:
    """The browser's `setTriggerValue(event, value)`, then the rerun it causes. A numbered
    action gets the next number, as the browser's outbox numbers them (`outbox.js`), unless
    `renumber` is false (the same action arriving again)."""
    if "seq" in value and renumber:
        value = {**value, "seq": next(_SEQ)}
    states = at._tree.get_widget_states()
    trigger = states.widgets.add()
    trigger.id = _make_trigger_id(_element(at, key).proto.id, "events")
    trigger.json_trigger_value = json.dumps([{"event": event, "value": value}])
    return at._run(states)


def set_state(at: AppTest, value: dict, key: str) -> AppTest:
    """The browser's `setStateValue(name, value)` for each item of `value`, then the rerun."""
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = _element(at, key).proto.id
    state.json_value = json.dumps(value)
    return at._run(states)


def tick(at: AppTest, item: str, want: bool = True, seen: bool | None = None) -> AppTest:
    """A click on an item's box, as the page showed it (or as `seen` says)."""
    shown = bool(data(at)["state"].get(item)) if seen is None else seen
    return send(at, {"kind": "tick", "item": item, "seen": shown, "want": want, "seq": 1})


def count(at: AppTest) -> str:
    """'3 / 16 done' as the header shows it."""
    counts = data(at)["counts"]
    return f"{counts['done']} / {counts['total']} done"


def titles(at: AppTest) -> dict[str, str]:
    """Item key -> the title its box shows."""
    return {
        item["key"]: item["title"]
        for section in data(at)["sections"]
        for exercise in section["exercises"]
        for item in exercise["items"]
    }


def key_of(at: AppTest, title: str) -> str:
    (key,) = [k for k, t in titles(at).items() if t == title]
    return key


def ticked(at: AppTest) -> list[str]:
    """The titles of the ticked boxes, in page order."""
    state = data(at)["state"]
    return [t for k, t in titles(at).items() if state.get(k)]


def click(at: AppTest, title: str) -> AppTest:
    """A click on the box with this title: ticks it if it shows unticked, else unticks."""
    key = key_of(at, title)
    return tick(at, key, want=not data(at)["state"].get(key, False))


def tick_all(at: AppTest, section: str) -> AppTest:
    return send(at, {"kind": "section", "section": section, "seen": data(at)["state"], "seq": 2})


def clear(at: AppTest) -> AppTest:
    return send(at, {"kind": "clear", "seen": data(at)["state"], "seq": 3})


def undo(at: AppTest) -> AppTest:
    return send(at, {"kind": "undo", "seq": 4})


def title(at: AppTest) -> str:
    """The routine's title, at the top of the session view."""
    return data(at)["top"]["title"]


def day(at: AppTest) -> date:
    """The session date the top's date box shows."""
    return date.fromisoformat(data(at)["day"])


def choose_day(at: AppTest, chosen: date | str) -> AppTest:
    """A day picked in the top's date box (the browser sends only days in its range; a
    string is sent as it is, as a hostile page could)."""
    value = chosen.isoformat() if isinstance(chosen, date) else chosen
    return send(at, {"kind": "day", "date": value, "seq": 5})


def start_guided(at: AppTest) -> AppTest:
    return follow(send(at, {"kind": "guided", "seq": 6}), "hd-today")


def follow(at: AppTest, key: str = "hd-go") -> AppTest:
    """What go.js (or the cards, `key` "hd-today") does in the browser: open the page the
    run named (`hipdash.ui.go_to`), with the query it gave."""
    from hipdash.ui import PAGES

    url = urlsplit(data(at, key)["go"])
    (path,) = [p.path for p in PAGES if f"./{p.url_path}" == url.path]
    at.switch_page(path)
    at.query_params.clear()
    at.query_params.update(dict(parse_qsl(url.query)))
    return at.run()


def timer_button(at: AppTest) -> str:
    """The stopwatch button's label, as today.js writes it."""
    sent = data(at)
    if sent["timer_started"]:
        return f"Stop timer (started {sent['timer_since']})"
    return "Start session timer"


def press_timer(at: AppTest) -> AppTest:
    """The stopwatch button: starts it if it shows stopped, else stops it."""
    return send(at, {"kind": "timer", "start": not data(at)["timer_started"], "seq": 7})


def toggle_after(at: AppTest) -> AppTest:
    """The "After the session" button under the cards: opens the panel, or closes it."""
    return send(at, {"kind": "after", "open": not data(at)["after_open"], "seq": 8})


def message(at: AppTest) -> str:
    shown = data(at)["message"]
    return shown["text"] if shown else ""


def shown(at: AppTest, key: str = "hd-today") -> bool:
    """Whether the page drew the component at all."""
    try:
        _element(at, key)
    except AssertionError:
        return False
    return True
