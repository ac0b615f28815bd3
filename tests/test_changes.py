"""The rules for changing a day from several tabs or devices, on a real temp log: a change
writes only what is still as the tab saw it, Undo takes back only what the log still holds
from this tab, and nothing another tab did is ever silently erased."""

import json
from datetime import date

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from hipdash import store
from hipdash.changes import Edit, History, Intent, Outcome, apply, intents
from hipdash.log import Change, CheckoffLog
from hipdash.store import StoreWriteError

DAY = date(2026, 11, 24)
R = "hip-therapy-routine-1"
WRIST, CAT, DEAD = "release/wrist-stretches", "release/cat-cow", "strengthen/four/dead-bug"
RELEASE = (WRIST, CAT)
ITEMS = (WRIST, CAT, DEAD)


@pytest.fixture
def log(data_dir):
    return CheckoffLog(data_dir / "checkoffs.csv")


def test_a_tick_is_written_with_what_it_replaced_and_its_row_number(log):
    outcome = apply(log, DAY, R, [Intent(WRIST, False, True)])
    assert outcome == Outcome((Edit(WRIST, False, True, 1),), ())
    assert log.day_state(DAY, R) == {WRIST: True}
    again = apply(log, DAY, R, [Intent(WRIST, True, False), Intent(CAT, False, True)])
    assert again.written == (Edit(WRIST, True, False, 2), Edit(CAT, False, True, 1))
    assert log.day_rows(DAY, R) == {WRIST: 2, CAT: 1}
    assert log.day_rows(date(2026, 11, 23), R) == {}


def test_the_phone_tick_survives_the_laptops_tick_all_and_undo(log):
    """Phone ticks Wrist stretches; the laptop, not reloaded, ticks all of Release, then
    undoes: Wrist stretches stays ticked, and only Cat/cow goes back."""
    laptop_saw = log.day_state(DAY, R)  # nothing ticked
    apply(log, DAY, R, [Intent(WRIST, False, True)])  # the phone
    tick_all = apply(log, DAY, R, intents(laptop_saw, RELEASE, True))
    assert tick_all.written == (Edit(CAT, False, True, 1),)  # Wrist was ticked already
    assert tick_all.left == (WRIST,)  # ...by another device: the laptop is told
    history, undone = History().after(tick_all).undo(log, DAY, R)
    assert undone.written == (Edit(CAT, True, False, 2),)
    assert undone.left == (WRIST,)
    assert log.day_state(DAY, R) == {WRIST: True, CAT: False}
    assert not history.can_undo


def test_undo_leaves_an_item_another_device_changed_since_and_says_so(log):
    mine = apply(log, DAY, R, [Intent(WRIST, False, True), Intent(CAT, False, True)])
    apply(log, DAY, R, [Intent(WRIST, True, False)])  # another device unticks Wrist
    _, undone = History().after(mine).undo(log, DAY, R)
    assert undone.left == (WRIST,)  # unticked elsewhere since: left, and said
    assert undone.written == (Edit(CAT, True, False, 2),)
    assert log.day_state(DAY, R) == {WRIST: False, CAT: False}


def test_undo_takes_back_only_its_own_row_even_when_the_value_matches_again(log):
    """The phone ticks; the laptop unticks and ticks again (A, B, A): the log holds a tick
    as the phone left it, but the newest row is the laptop's, so the phone's Undo leaves it."""
    phone = History().after(apply(log, DAY, R, [Intent(WRIST, False, True)]))
    apply(log, DAY, R, [Intent(WRIST, True, False)])  # the laptop
    apply(log, DAY, R, [Intent(WRIST, False, True)])  # the laptop again
    lines = log.path.read_text()
    history, undone = phone.undo(log, DAY, R)
    assert undone == Outcome((), (WRIST,))
    assert log.day_state(DAY, R) == {WRIST: True}
    assert log.path.read_text() == lines  # nothing written
    assert not history.can_undo


def test_undo_steps_back_through_the_tabs_own_changes_to_one_item(log):
    history = History()
    for want in (True, False, True):  # tick, untick, tick: all this tab's
        history = history.after(apply(log, DAY, R, [Intent(WRIST, not want, want)]))
    for expected in (False, True, False):
        history, undone = history.undo(log, DAY, R)
        assert [e.after for e in undone.written] == [expected] and not undone.left
    assert log.day_state(DAY, R) == {WRIST: False}
    assert not history.can_undo


def test_undo_after_another_devices_row_between_two_of_its_own(log):
    history = History().after(apply(log, DAY, R, [Intent(WRIST, False, True)]))
    apply(log, DAY, R, [Intent(WRIST, True, False)])  # another device
    history = history.after(apply(log, DAY, R, [Intent(WRIST, False, True)]))  # this tab
    history, undone = history.undo(log, DAY, R)
    assert undone.written == (Edit(WRIST, True, False, 4),)  # its own last tick: back
    history, undone = history.undo(log, DAY, R)
    assert undone == Outcome((), (WRIST,))  # the first: another device's row stands over it
    assert log.day_state(DAY, R) == {WRIST: False}


def test_the_history_survives_a_round_trip_through_the_browser_and_refuses_junk(log):
    history = History().after(apply(log, DAY, R, [Intent(WRIST, False, True)]))
    history = history.after(apply(log, DAY, R, intents({}, RELEASE, True)))
    data = json.loads(json.dumps(history.to_data()))
    assert History.from_data(data, set(ITEMS)) == history
    assert History.from_data(data, {CAT}) == History()  # an item of another routine
    for junk in (None, "x", [], {"done": 1}, {"done": [[[[WRIST, 1, 0, 1]], []]], "own": []}):
        assert History.from_data(junk, set(ITEMS)) == History()
    bad_row = {"done": [[[[WRIST, False, True, True]], []]], "own": []}
    assert History.from_data(bad_row, set(ITEMS)) == History()
    restored, undone = History.from_data(data, set(ITEMS)).undo(log, DAY, R)
    assert undone.written == (Edit(CAT, True, False, 2),) and undone.left == (WRIST,)
    assert restored.can_undo


def test_a_history_handed_back_twice_keeps_each_change_once(log):
    """A page that kept what this tab had already (Today's ticks, handed back again when the
    guided page opens): each change stays one Undo, and the second Undo takes the first tick
    back, not 'changed on another device'."""
    history = History().after(apply(log, DAY, R, [Intent(WRIST, False, True)]))
    later = history.after(apply(log, DAY, R, [Intent(CAT, False, True)]))
    kept = History.from_data(json.loads(json.dumps(history.to_data())), set(ITEMS))
    assert kept.then(later) == later and later.then(later) == later
    for _ in range(2):
        later, undone = later.undo(log, DAY, R)
        assert undone.written and not undone.left
    assert not later.can_undo and log.day_state(DAY, R) == {WRIST: False, CAT: False}


def test_clear_leaves_what_was_ticked_elsewhere_after_the_tab_looked(log):
    apply(log, DAY, R, [Intent(WRIST, False, True)])
    seen = log.day_state(DAY, R)  # the tab shows Wrist ticked
    apply(log, DAY, R, [Intent(CAT, False, True)])  # another device ticks Cat/cow
    outcome = apply(log, DAY, R, intents(seen, ITEMS, False))
    assert outcome.written == (Edit(WRIST, True, False, 2),)
    assert outcome.left == (CAT,)
    assert log.day_state(DAY, R) == {WRIST: False, CAT: True}


def test_a_change_that_writes_nothing_adds_no_line_and_no_undo(log):
    apply(log, DAY, R, [Intent(WRIST, False, True)])
    lines = log.path.read_text().count("\n")
    outcome = apply(log, DAY, R, [Intent(WRIST, True, True)])  # nothing to change
    assert outcome == Outcome()
    assert log.path.read_text().count("\n") == lines
    assert not History().after(outcome).can_undo


def test_a_failed_write_changes_nothing_and_keeps_the_history(log, data_dir, monkeypatch):
    mine = apply(log, DAY, R, [Intent(WRIST, False, True)])
    history = History().after(mine)

    def refuse(self, payload):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.AppendOnlyCsv, "_append_locked", refuse)
    with pytest.raises(StoreWriteError, match="No space left"):
        history.undo(log, DAY, R)
    assert history.can_undo
    assert log.day_state(DAY, R) == {WRIST: True}


class TwoTabs(RuleBasedStateMachine):
    """Two tabs (a phone and a laptop) on one real log, acting in any order, each redrawn
    from the log after its own actions but not after the other's (until it reloads)."""

    def __init__(self):
        super().__init__()
        import tempfile
        from pathlib import Path

        self.dir = tempfile.TemporaryDirectory()
        self.log = CheckoffLog(Path(self.dir.name) / "checkoffs.csv")
        self.expected: dict[str, bool] = {}  # the log as the rules say it must be
        self.writers: dict[str, list[int]] = {}  # item -> the tab that wrote each row
        self.views = [{}, {}]
        self.histories = [History(), History()]

    def teardown(self):
        self.dir.cleanup()

    def _act(self, tab: int, wanted: list[Intent]) -> Outcome:
        before = dict(self.expected)
        outcome = apply(self.log, DAY, R, wanted)
        for intent in wanted:  # the rule, stated on the model
            now = before.get(intent.item, False)
            if now != intent.seen:
                assert intent.item in outcome.left, "a change made elsewhere not reported"
            elif now != intent.want:
                self.expected[intent.item] = intent.want
        for edit in outcome.written:  # nothing written over a value the tab did not see
            assert edit.before == before.get(edit.item, False)
            self.writers.setdefault(edit.item, []).append(tab)
        self.views[tab] = self.log.day_state(DAY, R)
        return outcome

    @rule(tab=st.sampled_from([0, 1]), item=st.sampled_from(ITEMS))
    def tick(self, tab, item):
        seen = self.views[tab].get(item, False)
        outcome = self._act(tab, [Intent(item, seen, not seen)])
        self.histories[tab] = self.histories[tab].after(outcome)

    @rule(tab=st.sampled_from([0, 1]))
    def tick_all_release(self, tab):
        outcome = self._act(tab, intents(self.views[tab], RELEASE, True))
        self.histories[tab] = self.histories[tab].after(outcome)

    @rule(tab=st.sampled_from([0, 1]))
    def clear_the_day(self, tab):
        outcome = self._act(tab, intents(self.views[tab], ITEMS, False))
        self.histories[tab] = self.histories[tab].after(outcome)

    @rule(tab=st.sampled_from([0, 1]))
    def undo(self, tab):
        history = self.histories[tab]
        if not history.can_undo:
            return
        last = history.done[-1].written
        before = dict(self.expected)
        self.histories[tab], outcome = history.undo(self.log, DAY, R)
        for edit in last:  # back only where every row since its own is this tab's
            newer = self.writers[edit.item][edit.row :]
            if before.get(edit.item, False) == edit.after and set(newer) <= {tab}:
                self.expected[edit.item] = edit.before
                self.writers[edit.item].append(tab)
                assert edit.item in {e.item for e in outcome.written}
            else:
                assert edit.item in outcome.left
        self.views[tab] = self.log.day_state(DAY, R)

    @rule(tab=st.sampled_from([0, 1]))
    def reload(self, tab):
        self.views[tab] = self.log.day_state(DAY, R)

    @invariant()
    def the_log_holds_the_surviving_intentions(self):
        state = self.log.day_state(DAY, R)
        assert {k: v for k, v in state.items()} == {
            k: v for k, v in self.expected.items() if k in state or v
        }


TwoTabs.TestCase.settings = settings(
    max_examples=60, stateful_step_count=25, deadline=None, derandomize=True
)
test_two_tabs_never_erase_each_other = TwoTabs.TestCase


def test_the_record_path_still_appends_plain_changes(log):
    log.record([Change(DAY, R, WRIST, True)])
    assert log.day_state(DAY, R) == {WRIST: True}
