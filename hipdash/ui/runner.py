"""The guided session's runner and where the session is.

The runner is a browser component (`phases.js`, `guided.js`): it runs a stop's phases by
the clock, keeps the screen awake, speaks and beeps, and sends back what the person (or
the end of the last countdown) did: start, done, skip, back, undo, a dose. Each is
applied here through the core: a tick through `hipdash.changes` on the log as it is now
(with this tab's undo history), a dose through `hipdash.library` (a new version of the
routine), the screen shown through `hipdash.appstate` (so a reload or a new visit resumes
there). The session's stopwatch (`services.stopwatch`, shared with Today's) starts at the
first Start or Done, not on opening, and stops at the finish.

Every screen shown is a new visit (`Place.since`). An action names the visit it came
from; one from a screen no longer shown (a tap that arrived twice) does nothing.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import streamlit as st

from hipdash import appstate, changes, config, dose, guided_stops, script
from hipdash.appstate import Place
from hipdash.library import LibraryError, update
from hipdash.library import edits as ed
from hipdash.log import CheckoffLog
from hipdash.models import Routine
from hipdash.services import stopwatch, visits
from hipdash.sessions import SessionLog
from hipdash.store import StoreWriteError
from hipdash.ui import answered, keys, session, tab_state, today_actions

_HERE = Path(__file__).parent
_component = st.components.v2.component(
    "hipdash_guided",
    css=(_HERE / "guided.css").read_text(),
    js="".join(
        (_HERE / name).read_text()
        for name in ("countdown.js", "history.js", "outbox.js", "phases.js", "guided.js")
    ),
    isolate_styles=False,
)


def _keys(routine: Routine, day: date) -> dict[str, str]:
    base = f"{routine.id}:{day.isoformat()}"
    names = ("place", "go", "named", "resume", "undo", "said", "failed", "reload")
    return {name: f"{keys.GUIDED_TAB}{name}:{base}" for name in names}


def where(
    routine: Routine, day: date, all_stops: tuple[guided_stops.Stop, ...], state: dict
) -> tuple[int, Place]:
    """The screen to show: this tab's, else the one shown last (remembered in the data dir,
    so a reload or another visit resumes there), else the first exercise not done. After
    Start guided session it starts by itself; on the screen shown last, the browser goes on
    with that visit's set as it was left, unless it was left long ago (guided.js)."""
    k = _keys(routine, day)
    place = st.session_state.get(k["place"]) or appstate.read(config.data_dir()).place(
        routine.id, day
    )
    index = guided_stops.resume(all_stops, state, place.screen if place else None)
    go = st.session_state.pop(keys.GUIDED_GO, False)
    if go and guided_stops.all_done(all_stops, state):  # from Today, everything ticked
        index = len(all_stops)  # the finish: its numbers and how it felt, not a done exercise
    if place is None or place.screen != screen_of(all_stops, index):
        place = show(routine, day, all_stops, index, go=go)
    elif go:
        st.session_state[k["resume"]] = place.since
    st.session_state[k["place"]] = place
    return index, place


def begun_here(routine: Routine, day: date, place: Place | None) -> bool:
    """This tab started the screen shown last by itself (Start guided session, a Done, a
    Skip): the session is under way, though its stopwatch waits for the first Done."""
    return place is not None and st.session_state.get(_keys(routine, day)["go"]) == place.since


def screen_of(all_stops: tuple[guided_stops.Stop, ...], index: int) -> str:
    return all_stops[index].id if index < len(all_stops) else guided_stops.FINISH


def show(
    routine: Routine,
    day: date,
    all_stops: tuple[guided_stops.Stop, ...],
    index: int,
    go: bool = False,
    named: bool = False,
) -> Place:
    """Show the screen at `index` (0-based) as a new visit, remembered in the data dir (or,
    if it cannot be written, in this tab only); `go`: its runner starts by itself; `named`:
    it waits for a Start, but says which exercise it is (after Back)."""
    index = min(max(0, index), len(all_stops))
    screen = screen_of(all_stops, index)
    try:
        place = visits.show_screen(config.data_dir(), routine.id, day, screen, session.now())
    except StoreWriteError:
        place = Place(screen, session.now().isoformat(timespec="microseconds"))
    k = _keys(routine, day)
    st.session_state[k["place"]] = place
    st.session_state[k["go"]] = place.since if go else None
    st.session_state[k["named"]] = place.since if named else None
    return place


def say(routine: Routine, day: date, kind: str, text: str, icon: str = "🔄") -> None:
    """A line for the next run of the view: kind is "info" (a toast, so that nothing moves
    under a finger) or "error" (a banner, which stays)."""
    st.session_state[_keys(routine, day)["said"]] = (kind, text, icon)


def said(routine: Routine, day: date) -> tuple[str, str, str] | None:
    return st.session_state.pop(_keys(routine, day)["said"], None)


def reload_wanted(routine: Routine, day: date) -> bool:
    """The routine changed (a dose was saved): the whole page runs again to load it."""
    return st.session_state.pop(_keys(routine, day)["reload"], False)


@dataclass(frozen=True)
class Screen:
    """An exercise's screen as shown: the session's stops, which one, this visit of it,
    and the day's state as the screen showed it (what its Done acts on)."""

    log: CheckoffLog
    sessions: SessionLog
    routine: Routine
    day: date
    stops: tuple[guided_stops.Stop, ...]
    index: int
    place: Place
    state: Mapping[str, bool]

    @property
    def stop(self) -> guided_stops.Stop:
        return self.stops[self.index]

    def show(self, index: int, go: bool = False, named: bool = False) -> Place:
        return show(self.routine, self.day, self.stops, index, go, named)

    def say(self, kind: str, text: str, icon: str = "🔄") -> None:
        say(self.routine, self.day, kind, text, icon)

    @property
    def ran_by_itself(self) -> bool:
        """This visit's runner started by itself (after Start guided session, a Done, a
        Skip, a dose chosen)."""
        return self._marked("go")

    @property
    def resumed(self) -> bool:
        """Start guided session was tapped on this screen as it was shown already: the
        browser goes on with the visit as it kept it."""
        return self._marked("resume")

    @property
    def named(self) -> bool:
        """This visit came by Back: it waits for a Start, and says which exercise it is."""
        return self._marked("named")

    def _marked(self, name: str) -> bool:
        """Whether this tab marked this visit with `name` (the mark names the visit)."""
        return st.session_state.get(_keys(self.routine, self.day)[name]) == self.place.since


def run(screen: Screen) -> None:
    """The runner of the screen's stop, as this visit of it."""
    stop, index, k = screen.stop, screen.index, _keys(screen.routine, screen.day)
    after = _after_done(screen)
    following = screen.stops[after] if after < len(screen.stops) else None
    plan = script.script(stop, following)
    undo = st.session_state.get(k["undo"])
    since = screen.place.since
    data = {
        "key": f"{screen.routine.id}/{screen.day.isoformat()}",
        "visit": since,
        "autostart": screen.ran_by_itself or screen.resumed,
        "resume": screen.resumed,
        "announce": screen.named,
        "timing": stopwatch.timed(
            config.data_dir(), screen.sessions, screen.routine.id, screen.day
        ),
        "phases": [
            {"kind": p.kind, "label": p.label, "seconds": p.seconds, "say": p.say, "set": p.set}
            | ({"action": p.action} if p.action else {})
            for p in plan.phases
        ],
        "arrival": plan.arrival,
        "named": plan.named,
        "brief": plan.brief,
        "ending": plan.ending,
        "reps": plan.reps,
        "first": index == 0,
        "undo": _undo_offer(undo) if undo and undo[0] == since else None,
        "offer": None if stop.exercise.dose_stated else [*dose.QUICK, dose.NO_TIMER],
        "failed": st.session_state.pop(k["failed"], False),
        "scale": config.timer_scale(),
        **_history(screen.routine, screen.day, keys.GUIDED_RUNNER),
    }
    act = functools.partial(_on_action, screen)
    _component(data=data, key=keys.GUIDED_RUNNER, on_action_change=act)
    st.session_state.pop(k["resume"], None)  # once: a later way back (browser Back) is none


def _undo_offer(undo: tuple) -> dict:
    """The Undo line's title, and how long ago the tick was: the browser offers it for 5 s
    from the tick, not again from a later return to the screen (Resume, browser Back)."""
    return {"title": undo[1], "age_ms": int((time.monotonic() - undo[3]) * 1000)}


def finish_cue(routine: Routine, day: date, place: Place, words: str) -> None:
    """At the finish the runner says `words` once and lets the screen sleep again; it keeps
    the undo history in the browser too (the last exercise's tick, for a reload there)."""
    data = {"key": f"{routine.id}/{day.isoformat()}", "visit": place.since, "finish": words}
    key = f"{keys.GUIDED_RUNNER}-end"
    act = functools.partial(_on_finish_action, routine, day, key)
    _component(data=data | _history(routine, day, key), key=key, on_action_change=act)


def _history(routine: Routine, day: date, key: str) -> dict:
    """This tab's undo history of the day, for the browser to keep, as Today's cards do,
    and the last action taken from the component `key` (`answered`)."""
    tab = tab_state.tab_day(routine.id, day)
    return tab_state.browser_data(routine, day, tab) | {"answered": answered.last(key)}


def _new(key: str) -> bool:
    """Whether the component's action is one not taken yet: the browser sends one again
    when its answer does not come, and Streamlit can deliver one twice (answered.py)."""
    action = (st.session_state.get(key) or {}).get("action")
    return answered.first_time(key, action.get("seq") if isinstance(action, dict) else 0)


def _on_finish_action(routine: Routine, day: date, key: str) -> None:
    if _new(key):
        _restored(routine, day, key)


def _restored(routine: Routine, day: date, key: str) -> bool:
    """After a reload: the undo history the browser kept joins this tab's, as on Today, so
    a tick made before it can still be undone (here, and on Today). Whether the action was
    that (read as Today reads it, `today_actions.parse`)."""
    _, action = today_actions.parse((st.session_state.get(key) or {}).get("action"))
    if not isinstance(action, today_actions.Restore):
        return False
    tab = tab_state.tab_day(routine.id, day)
    kept = tab_state.restore(routine, day, tab, action.key, action.history)
    tab_state.keep(routine.id, day, kept)
    return True


def _on_action(screen: Screen) -> None:
    """The runner's action, for the screen it was sent from (else nothing happens)."""
    if not _new(keys.GUIDED_RUNNER):
        return
    if _restored(screen.routine, screen.day, keys.GUIDED_RUNNER):  # after a reload
        return
    action = (st.session_state.get(keys.GUIDED_RUNNER) or {}).get("action")
    if not isinstance(action, dict) or action.get("visit") != screen.place.since:
        return
    kind, shown = action.get("kind"), None
    if kind == "start":  # `ran`: a set that began at this visit (a Start that resumed it)
        _begin(screen, ran=action.get("ran") is True)
    elif kind == "done":
        shown = done(screen)
    elif kind == "skip":
        shown = screen.show(
            guided_stops.next_open(screen.stops, screen.index, screen.state), go=True
        )
    elif kind == "back":
        shown = screen.show(screen.index - 1, named=True)  # heard where it went
    elif kind == "undo":
        _undo(screen)
    elif kind == "dose" and isinstance(action.get("words"), str):
        _dose(screen, action["words"])
    if shown and shown.screen == guided_stops.FINISH:
        _finished(screen)


def _begin(screen: Screen, ran: bool = False) -> None:
    """The session's first Start or Done starts its stopwatch (`ran`: this screen's
    countdown started by itself, at its visit, and the time counts from then). One that
    cannot be written is left out: the session goes on, its minutes can be typed."""
    since = datetime.fromisoformat(screen.place.since) if ran else None
    with contextlib.suppress(StoreWriteError):
        stopwatch.begin(
            config.data_dir(), screen.sessions, screen.routine.id, screen.day, session.now(), since
        )


def _finished(screen: Screen) -> None:
    """At the finish the stopwatch stops and its minutes are saved (or, over other minutes
    saved, the finish asks which to keep)."""
    try:
        session.stop_stopwatch(
            screen.sessions, screen.routine, screen.day, lambda text: screen.say("info", text, "⏱️")
        )
    except (StoreWriteError, ValueError) as exc:
        screen.say("error", f"Not saved — {exc}")


def done(screen: Screen) -> Place | None:
    """Tick the exercise (all its steps, as the screen showed them; in a circuit only in
    its last round) through the rules of `hipdash.changes`, then the next screen, which
    starts by itself and offers to take the tick back. The screen shown (None: the tick
    was refused, and this screen stays)."""
    stop, routine, day = screen.stop, screen.routine, screen.day
    written = None
    if stop.last_round:
        tab = tab_state.tab_day(routine.id, day)
        wanted = changes.intents(screen.state, stop.items, True)
        try:
            outcome = changes.apply(screen.log, day, routine.id, wanted)
        except StoreWriteError as exc:
            screen.say("error", f"Not saved — {exc}")
            st.session_state[_keys(routine, day)["failed"]] = True
            return None
        tab_state.remember(routine.id, day, tab, outcome)
        left = tab_state.said(routine, outcome)
        if left:
            screen.say(*left)
        written = outcome.written
    _begin(screen, ran=screen.ran_by_itself)
    place = screen.show(_after_done(screen), go=True)
    if written:
        undo = (place.since, script.phrase(stop.exercise.title), screen.index, time.monotonic())
        st.session_state[_keys(routine, day)["undo"]] = undo
    return place


def _after_done(screen: Screen) -> int:
    """The screen a Done moves on to: the next one not done, with this one ticked (a
    circuit's exercise only at its last round)."""
    state = screen.state
    if screen.stop.last_round:
        state = {**state, **dict.fromkeys(screen.stop.items, True)}
    return guided_stops.next_open(screen.stops, screen.index, state)


def _undo(screen: Screen) -> None:
    """Take back the tick the last screen made (where the log still holds it: this tab's
    undo, as on Today) and go back to that exercise, heard by name as after Back: hands-free,
    the person knows where the session went."""
    undo = st.session_state.pop(_keys(screen.routine, screen.day)["undo"], None)
    if not undo or undo[0] != screen.place.since:
        return
    after = tab_state.undo(screen.log, screen.routine, screen.day)
    if after.message:
        screen.say(*after.message)
    if not after.message or after.message[0] != "error":
        screen.show(undo[2], named=True)


def _dose(screen: Screen, words: str) -> None:
    """Give the exercise one of the doses offered: saved as a new version of the person's
    routine (ids kept, the version before kept), then the page loads it and it starts."""
    stop = screen.stop

    def edit(current: Routine, used) -> Routine:
        return ed.give_dose(current, stop.section.id, stop.exercise.id, words)

    try:
        update(config.data_dir(), config.routines_dir(), screen.routine.id, edit, session.now())
    except LibraryError as exc:
        screen.say("error", f"Not saved — {exc}")
        return
    screen.say("info", f"Saved in your routine: {words}.")  # the title is on the screen
    if words != dose.NO_TIMER:  # its countdown starts now: the person chose a timer
        _begin(screen)
    screen.show(screen.index, go=words != dose.NO_TIMER)
    st.session_state[_keys(screen.routine, screen.day)["reload"]] = True
