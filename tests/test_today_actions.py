"""The Today component's messages read once, as types: each action the page sends, and
whatever else arrives refused (None), never a traceback."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipdash.ui.today_actions import (
    TOP,
    Clear,
    OpenAfter,
    Restore,
    ShowDay,
    StartGuided,
    Stopwatch,
    Tick,
    TickSection,
    Undo,
    parse,
)

from .conftest import FUZZ


@pytest.mark.parametrize(
    ("message", "action"),
    [
        ({"kind": "tick", "item": "a/b", "seen": False, "want": True}, Tick("a/b", False, True)),
        (
            {"kind": "section", "section": "a", "seen": {"a/b": True}},
            TickSection("a", {"a/b": True}),
        ),
        (
            {"kind": "clear", "seen": {"a/b": True, "a/c": False}},
            Clear({"a/b": True, "a/c": False}),
        ),
        ({"kind": "undo"}, Undo()),
        ({"kind": "restore", "key": "k", "history": {"done": []}}, Restore("k", {"done": []})),
        ({"kind": "day", "date": "2026-11-20"}, ShowDay(date(2026, 11, 20))),
        ({"kind": "after", "open": True}, OpenAfter(True)),
        ({"kind": "after"}, OpenAfter(False)),
        ({"kind": "guided"}, StartGuided()),
        ({"kind": "timer", "start": True}, Stopwatch(True)),
        ({"kind": "timer", "start": False}, Stopwatch(False)),
    ],
)
def test_each_action_the_page_sends(message, action):
    assert parse({**message, "seq": 7}) == (7, action)
    assert isinstance(action, TOP) == (message["kind"] in {"day", "after", "guided", "timer"})


@pytest.mark.parametrize(
    "message",
    [
        None,
        [],
        "tick",
        {},
        {"kind": "nonsense"},
        {"kind": ["tick"]},
        {"kind": "tick", "item": "a/b", "want": "yes"},
        {"kind": "tick", "item": 3, "want": True},
        {"kind": "tick", "want": True},
        {"kind": "section", "section": "a", "seen": ["a/b"]},
        {"kind": "section", "seen": {}},
        {"kind": "clear", "seen": "a/b"},
        {"kind": "restore", "history": {}},
        {"kind": "day", "date": "2026-02-30"},
        {"kind": "day", "date": 20261120},
        {"kind": "day"},
    ],
)
def test_a_message_that_is_no_action_is_refused(message):
    assert parse(message)[1] is None


def test_the_sequence_number_is_a_count_or_nothing():
    assert parse({"kind": "undo", "seq": True}) == (0, Undo())
    assert parse({"kind": "undo", "seq": -3}) == (0, Undo())
    assert parse({"kind": "undo", "seq": "9"}) == (0, Undo())
    assert parse({"kind": "nonsense", "seq": 4}) == (4, None)


def test_seen_keeps_only_text_keys_and_only_true_as_ticked():
    _, action = parse({"kind": "clear", "seen": {"a/b": 1, 5: True, "a/c": True}})
    assert action == Clear({"a/b": False, "a/c": True})


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
KINDS = st.sampled_from(
    ["tick", "section", "clear", "undo", "restore", "day", "after", "guided", "timer"]
)


@settings(FUZZ, max_examples=150)
@given(
    kind=KINDS | JSON,
    rest=st.dictionaries(
        st.sampled_from(
            ["item", "seen", "want", "section", "key", "history", "date", "open", "start", "seq"]
        ),
        JSON,
        max_size=5,
    ),
)
def test_no_message_makes_a_traceback(kind, rest):
    seq, action = parse({"kind": kind, **rest})
    assert isinstance(seq, int) and seq >= 0
    assert action is None or type(action).__module__ == "hipdash.ui.today_actions"
