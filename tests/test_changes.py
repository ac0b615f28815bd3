"""The rules for changing a day from several tabs or devices, on a real temp log: a change
writes only what is still as the tab saw it, Undo takes back only what the log still holds
from this tab, and nothing another tab did is ever silently erased."""

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


def test_a_tick_is_written_with_what_it_replaced(log):
    outcome = apply(log, DAY, R, [Intent(WRIST, False, True)])
    assert outcome == Outcome((Edit(WRIST, False, True),), ())
    assert log.day_state(DAY, R) == {WRIST: True}


def test_the_phone_tick_survives_the_laptops_tick_all_and_undo(log):
    """Phone ticks Wrist stretches; the laptop, not reloaded, ticks all of Release, then
    undoes: Wrist stretches stays ticked, and only Cat/cow goes back."""
    laptop_saw = log.day_state(DAY, R)  # nothing ticked
    apply(log, DAY, R, [Intent(WRIST, False, True)])  # the phone
    tick_all = apply(log, DAY, R, intents(laptop_saw, RELEASE, True))
    assert tick_all.written == (Edit(CAT, False, True),)  # Wrist was ticked already
    assert tick_all.left == (WRIST,)  # ...by another device: the laptop is told
    history, undone = History().after(tick_all).undo(log, DAY, R)
    assert undone.written == (Edit(CAT, True, False),)
    assert undone.left == (WRIST,)
    assert log.day_state(DAY, R) == {WRIST: True, CAT: False}
    assert not history.can_undo


def test_undo_leaves_an_item_another_device_changed_since_and_says_so(log):
    mine = apply(log, DAY, R, [Intent(WRIST, False, True), Intent(CAT, False, True)])
    apply(log, DAY, R, [Intent(WRIST, True, False)])  # another device unticks Wrist
    _, undone = History().after(mine).undo(log, DAY, R)
    assert undone.left == (WRIST,)  # unticked elsewhere since: left, and said
    assert undone.written == (Edit(CAT, True, False),)
    assert log.day_state(DAY, R) == {WRIST: False, CAT: False}

    mine = apply(log, DAY, R, [Intent(DEAD, False, True)])
    apply(log, DAY, R, [Intent(DEAD, True, False)])
    apply(log, DAY, R, [Intent(DEAD, False, True)])  # ...and back: the log holds True again
    _, undone = History().after(mine).undo(log, DAY, R)
    assert undone.written == (Edit(DEAD, True, False),)  # the value matches: taken back


def test_clear_leaves_what_was_ticked_elsewhere_after_the_tab_looked(log):
    apply(log, DAY, R, [Intent(WRIST, False, True)])
    seen = log.day_state(DAY, R)  # the tab shows Wrist ticked
    apply(log, DAY, R, [Intent(CAT, False, True)])  # another device ticks Cat/cow
    outcome = apply(log, DAY, R, intents(seen, ITEMS, False))
    assert outcome.written == (Edit(WRIST, True, False),)
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
        wanted = [Intent(e.item, e.after, e.before) for e in history.done[-1].written]
        ours = {e.item: e.after for e in history.done[-1].written}
        before = dict(self.expected)
        self.histories[tab], outcome = history.undo(self.log, DAY, R)
        for edit in outcome.written:  # only what the log still held from this tab
            assert before.get(edit.item, False) == ours[edit.item]
        for intent in wanted:
            now = before.get(intent.item, False)
            if now == intent.seen and now != intent.want:
                self.expected[intent.item] = intent.want
            else:
                assert intent.item in outcome.left
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
    max_examples=150, stateful_step_count=25, deadline=None, derandomize=True
)
test_two_tabs_never_erase_each_other = TwoTabs.TestCase


def test_the_record_path_still_appends_plain_changes(log):
    log.record([Change(DAY, R, WRIST, True)])
    assert log.day_state(DAY, R) == {WRIST: True}
