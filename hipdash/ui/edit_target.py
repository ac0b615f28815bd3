"""What the routine editor's forms share: the thing they edit (a saved routine or an
import's draft), saving an edit, and the messages that follow a save."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from hipdash.library import LibraryError
from hipdash.library.save import Edit
from hipdash.markup import md_escape
from hipdash.models import Routine
from hipdash.ui import keys


@dataclass(frozen=True)
class Target:
    """What the editor edits: `routine` as drawn, `apply` saves an edit (raising
    LibraryError if it is refused), `key` keeps its widgets apart from another target's."""

    key: str
    routine: Routine
    apply: Callable[[Edit], Routine]
    draft: bool = False


def signature(obj: object) -> str:
    """A short digest of an object: a form keyed by it starts afresh when it changes."""
    return hashlib.blake2s(repr(obj).encode(), digest_size=5).hexdigest()


def flash(kind: str, text: str) -> None:
    """A message for the next run (after `st.rerun`), shown above the editor."""
    st.session_state[keys.EDITOR_FLASH] = (kind, text)


def show_flash() -> None:
    kind, text = st.session_state.pop(keys.EDITOR_FLASH, (None, ""))
    if kind == "success":
        st.success(md_escape(text), icon="✅")
    elif kind == "error":
        st.error(f"**Not saved.** {md_escape(text)}", icon="❌")


def opened(target: Target, name: str, now: object) -> object:
    """What form `name` was opened on. It is kept until the form is saved (or reloaded),
    so a change saved elsewhere meanwhile neither wipes what the person is typing nor is
    undone by the save: only the fields that differ from this are applied."""
    key = f"{target.key}-opened-{name}"
    if key not in st.session_state:
        st.session_state[key] = now
    base = st.session_state[key]
    if base != now:
        st.info(
            "This changed elsewhere since you opened it. Saving keeps those changes, but "
            "for the fields you change here.",
            icon="🔄",
        )
        st.button(
            "Show the newest", key=f"{key}-reload", on_click=st.session_state.pop, args=(key, None)
        )
    return base


def save(
    target: Target,
    edit: Edit,
    done: str,
    form: str | None = None,
    after: Callable[[Routine], str] | None = None,
) -> bool:
    """Apply an edit; on success run `after` on the saved routine (its sentence joins
    `done`) and rerun with `done` shown (and form `form` showing the saved values), else
    show why and keep what was typed."""
    try:
        saved = target.apply(edit)
    except LibraryError as exc:
        st.error(f"**Not saved.** {md_escape(str(exc))}", icon="❌")
        return False
    if form is not None:
        st.session_state.pop(f"{target.key}-opened-{form}", None)
    if after is not None:
        done = f"{done} {after(saved)}".strip()
    flash("success", said(target, done))
    st.rerun()
    return True  # not reached: st.rerun stops this run


def on_click_save(target: Target, edit: Edit, done: str, then: str | None = None) -> None:
    """A button's on_click: the result is shown on the run that follows, with `then` (if
    given) open in the editor once the edit is saved."""
    try:
        target.apply(edit)
    except LibraryError as exc:
        flash("error", str(exc))
        return
    flash("success", said(target, done))
    if then is not None:
        choose(target, then)


def button(target: Target, saves: str = "Save") -> dict:
    """A form's button: it saves a routine, but only changes an import's draft, whose
    one green button is Save routine (two reading alike, one under the other, left a
    person unsure which saved)."""
    if target.draft:
        return {"label": "Apply to this import", "type": "secondary"}
    return {"label": saves, "type": "primary"}


def said(target: Target, done: str) -> str:
    """What an edit did: "Saved …" of a routine; of an import's draft, nothing is saved
    until Save routine, so not "Saved"."""
    if target.draft and done.startswith("Saved "):
        return f"Changed in this import: {done.removeprefix('Saved ')}"
    return done


def choose(target: Target, value: str) -> None:
    """Open `value` in the editor on the next run (set before its select box is drawn)."""
    st.session_state[f"{target.key}-next"] = value


def confirm_remove(
    target: Target, what: str, label: str, edit: Edit, done: str, then: str | None = None
) -> None:
    """A remove that asks first: a box to tick, then the button (`then`: what the editor
    opens once it is removed, where the removed thing was open)."""
    sure = st.checkbox(f"{md_escape(label)}?", key=f"{target.key}-rm-{what}")
    if sure and not target.draft:
        st.caption("Its ticks stay in the log; Previous versions can bring it back.")
    st.button(
        "Remove",
        key=f"{target.key}-rm-go-{what}",
        disabled=not sure,
        on_click=on_click_save,
        args=(target, edit, done, then),
    )
