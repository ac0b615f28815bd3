"""Today's session view: the routine's title and the session's date and start buttons
(`today_top`), the progress header and one card per exercise, as one browser component
(`today.js`), so a tick redraws only what it changed instead of every card.

The CSV log is the source of truth. Each render sends the day's state as it is in the
log; a click comes back as an action, which `hipdash.changes` writes under the log's lock
(only where the log still holds what the tab showed); the component then shows the state
the log now has. A failed write shows the box as it really is, with the reason.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path

import streamlit as st

from hipdash import changes, config, explain, script, stats
from hipdash.links import checked_links
from hipdash.log import CheckoffLog
from hipdash.models import Exercise, Routine, Section, exercise_items
from hipdash.sessions import SessionLog
from hipdash.store import StoreWriteError
from hipdash.ui import GUIDED, TODAY, answered, keys, leaving, live, today_actions, today_top
from hipdash.ui.preview import details_text
from hipdash.ui.tab_state import (
    Here,
    TabDay,
    browser_data,
    keep,
    restore,
    said,
    session_mark,
    tab_day,
    undone,
)
from hipdash.words import day_words

_HERE = Path(__file__).parent
_component = st.components.v2.component(
    "hipdash_today",
    css=(_HERE / "today.css").read_text(),
    js="".join(
        (_HERE / name).read_text()
        for name in ("countdown.js", "history.js", "outbox.js", "today.js")
    ),
    isolate_styles=False,
)


@functools.lru_cache(maxsize=16)
def routine_data(routine: Routine) -> tuple[str, dict]:
    """The routine as the component draws it (text, checked URLs), and a hash of it: built
    once per routine, since only the day's state changes from tick to tick."""
    drawn = {
        "top": today_top.structure(routine),
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "exercises": [_exercise_data(s, ex) for ex in s.exercises],
            }
            for s in routine.sections
        ],
    }
    digest = hashlib.sha256(json.dumps(drawn, sort_keys=True).encode()).hexdigest()[:16]
    return digest, drawn


def _exercise_data(section: Section, ex: Exercise) -> dict:
    items = exercise_items(section, ex)
    return {
        "key": f"{section.id}/{ex.id}",
        "title": ex.title,
        "steps": bool(ex.steps),
        "optional": ex.optional,
        "details": details_text(ex),
        "items": [
            {"key": i.key, "title": i.title, "notes": i.step.notes if i.step else ""} for i in items
        ],
        "timer": ex.amounts.hold_seconds,
        "holds": script.holds(ex.amounts, circuit=section.circuit),
        "image": ex.image,
        "links": checked_links(ex.links, beside=ex.title),
        "video": ex.video
        and {
            "title": ex.video.title,
            "description": ex.video.description,
            "embed": ex.video.embed_url,
            "watch": ex.video.watch_url,
        },
    }


def counts(
    log: CheckoffLog, routine: Routine, day: date, today: date, state: dict, marked=()
) -> dict:
    """The header's numbers: done / total of the counted items, and the line under them
    that says what they mean: how many make a session, that it counts, or at 16 / 16 the
    week's sessions against its target."""
    share = config.session_share()
    done, total = stats.day_count(routine, day, state)
    counted = bool(stats.is_session(done, total, share))
    line = explain.session_line(total, stats.sessions_needed(total, share), counted)
    if gone := total - len(routine.counted_keys_on(day)):  # counted, though not on the cards
        line += f" · {explain.no_longer(gone)}"
    if total and done == total:
        sessions, target = stats.week_of(
            log.day_states(routine.id), routine, day, today, share, marked
        )
        week = "this week" if stats.monday(day) == stats.monday(today) else "that week"
        line = f"✓ All done · {explain.week_count(sessions, target, week, 'session')}"
    return {"done": done, "total": total, "counted": counted, "line": line}


@st.fragment
def session_view(
    log: CheckoffLog,
    sessions: SessionLog,
    routine: Routine,
    day: date,
    today: date,
    marked=(),
    example: bool = False,
) -> None:
    """The top, the header and the cards of one routine's day. A fragment: an action reruns
    only this, and sends only this component's new data."""
    on_action = functools.partial(_on_action, log, sessions, routine, day, today)
    leave_for = today_top.follow_up()
    if leave_for is not None:  # the cards open the guided view from the browser, at once
        data = leaving(GUIDED, leave_for, TODAY)
        _component(data=data, key=keys.TODAY_CARDS, on_action_change=on_action)
        return
    live.seen_files("checkoffs.csv")
    tab = tab_day(routine.id, day)
    here = Here(
        session=session_mark(),
        after_open=bool(st.session_state.get(keys.AFTER_OPEN)),
        answered=answered.last(keys.TODAY_CARDS),
    )
    _component(
        data=card_data(log, sessions, routine, day, today, marked, example, tab, here),
        key=keys.TODAY_CARDS,
        on_action_change=on_action,  # in both calls: a tap before the page is left counts
    )


def card_data(
    log: CheckoffLog,
    sessions: SessionLog,
    routine: Routine,
    day: date,
    today: date,
    marked,
    example: bool,
    tab: TabDay,
    here: Here,
) -> dict:
    """What the cards draw of one routine's day, as the log and the tab have it: the page
    sends it, and a phone's first screen is drawn from it before Streamlit is up
    (`hipdash.ui.first`)."""
    state = log.day_state(day, routine.id)
    structure, drawn = routine_data(routine)
    message = tab.message
    cannot_save = log.write_problem()
    if cannot_save and not message:
        message = ("error", f"Ticks cannot be saved. {cannot_save}")
    return {
        "structure": structure,
        **drawn,
        **today_top.state(sessions, routine, day, today, state, here),
        "example": example,
        "state": {k: v for k, v in state.items() if v},
        "counts": counts(log, routine, day, today, state, marked),
        "later": sorted(set(routine.counted_keys) - set(routine.counted_keys_on(day))),
        "day_label": "" if day == today else day_words(day, today),
        "day_long": f"{day:%a} {day.day} {day:%b %Y}",
        "can_undo": tab.history.can_undo,
        **browser_data(routine, day, tab, here.session),
        "ack": tab.ack,
        "message": message and {"kind": message[0], "text": message[1]},
        "failed": tab.failed,
        "timer_scale": config.timer_scale(),
        "first": here.first,
        "answered": here.answered,
    }


def _on_action(
    log: CheckoffLog, sessions: SessionLog, routine: Routine, day: date, today: date
) -> None:
    """The component's action: a tick, section, clear or undo, written through the rules
    of `hipdash.changes`, or one of the top's; what happened is kept for the next render."""
    seq, action = today_actions.parse(st.session_state[keys.TODAY_CARDS].get("action"))
    if not answered.first_time(keys.TODAY_CARDS, seq):  # sent again, or delivered twice
        return
    tab = tab_day(routine.id, day)
    if isinstance(action, today_actions.TOP):
        message = today_top.act(sessions, routine, day, today, action)
        after = replace(tab, ack=max(tab.ack, seq), message=message, failed="")
    else:
        after = perform(log, routine, day, tab, action, seq)
    keep(routine.id, day, after)


def perform(
    log: CheckoffLog,
    routine: Routine,
    day: date,
    tab: TabDay,
    action: today_actions.Action | None,
    seq: int = 0,
) -> TabDay:
    """One action from the page, applied to the log as it is now; the tab's new state.
    A message that was no action is answered (its `seq`) and does nothing."""
    ack = max(tab.ack, seq)
    if isinstance(action, today_actions.Restore):  # the history kept before a reload
        return replace(restore(routine, day, tab, action.key, action.history), ack=ack)
    if isinstance(action, today_actions.Undo):
        return undone(log, routine, day, tab, ack)
    wanted = _intents(routine, action)
    if not wanted:
        return replace(tab, ack=ack, message=None, failed="")
    try:
        outcome = changes.apply(log, day, routine.id, wanted)
    except StoreWriteError as exc:
        item = action.item if isinstance(action, today_actions.Tick) else ""
        return replace(tab, ack=ack, message=("error", f"Not saved — {exc}"), failed=item)
    history = tab.history.after(outcome)
    return replace(tab, history=history, ack=ack, message=said(routine, outcome), failed="")


def _intents(routine: Routine, action: today_actions.Action | None) -> list[changes.Intent]:
    """The intents an action stands for; anything not about this routine's items is
    ignored."""
    known = set(routine.item_keys)
    if isinstance(action, today_actions.Tick):
        return (
            [changes.Intent(action.item, action.seen, action.want)] if action.item in known else []
        )
    if isinstance(action, today_actions.TickSection):
        section = next((s for s in routine.sections if s.id == action.section), None)
        items = (
            [i.key for ex in section.exercises for i in exercise_items(section, ex)]
            if section
            else []
        )
        return changes.intents(_known(action.seen, known), items, True)
    if isinstance(action, today_actions.Clear):
        seen = _known(action.seen, known)
        return changes.intents(seen, list(seen), False)
    return []


def _known(seen: Mapping[str, bool], known: set[str]) -> dict[str, bool]:
    return {k: v for k, v in seen.items() if k in known}
