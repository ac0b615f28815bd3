"""The tab's undo history handed back by the browser (after a reload, or a reconnect to a
new server session): taken once per session."""

from dataclasses import replace
from datetime import date

from hipdash.changes import History
from hipdash.routines import load_routine
from hipdash.ui.tab_state import TabDay, history_key, restore

from .conftest import ROUTINE_1

DAY = date(2026, 11, 24)
ROUTINE = load_routine(ROUTINE_1)
KEPT = {"done": [[[["release/cat-cow", False, True, 1]], []]], "own": []}


def test_the_history_kept_in_the_browser_is_taken_for_this_routine_and_day_only():
    key = history_key(ROUTINE, DAY)
    taken = restore(ROUTINE, DAY, TabDay(), key, KEPT)
    assert taken.restored and taken.history.can_undo
    other_day = history_key(ROUTINE, date(2026, 11, 23))
    assert restore(ROUTINE, DAY, TabDay(), other_day, KEPT) == TabDay()


def test_a_history_asked_again_after_the_first_was_answered_is_not_taken():
    """The browser asks again when an answer seems lost; a second answer arriving after an
    Undo must not bring the undone tick back into the history."""
    key = history_key(ROUTINE, DAY)
    taken = restore(ROUTINE, DAY, TabDay(), key, KEPT)
    after_undo = replace(taken, history=History())
    assert restore(ROUTINE, DAY, after_undo, key, KEPT) == after_undo
