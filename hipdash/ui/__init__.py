"""Streamlit pieces shared by the pages: set-up, navigation, routine loading, pickers.

This package (with `pages/` and `app.py`) is the only code that imports
streamlit; everything it shows comes from the pure `hipdash` modules.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st

from hipdash import appstate, config, fields
from hipdash.feelings import FeelingLog
from hipdash.library import Library, library_signature, load_library, unreadable_text
from hipdash.log import CheckoffLog
from hipdash.markup import md_escape, md_links, md_list
from hipdash.models import Routine
from hipdash.services import visits
from hipdash.sessions import SessionLog
from hipdash.store import StoreWriteError
from hipdash.sync import merge
from hipdash.ui import gate, keys, nav, network
from hipdash.words import day_words, plural

network.harden()  # imported by every page: the server's process (app.py does it first)


@dataclass(frozen=True)
class PageInfo:
    path: str  # relative to the project root, as st.Page and st.page_link want it
    title: str
    icon: str
    url_path: str
    in_nav: bool = True  # a link in the nav bar (the guided view is opened from Today)


PAGES: tuple[PageInfo, ...] = (
    PageInfo("pages/today.py", "Today", "✅", "today"),
    PageInfo("pages/progress.py", "Progress", "📈", "progress"),
    PageInfo("pages/routines.py", "Routines", "📋", "routines"),
    PageInfo("pages/guided.py", "Guided session", "▶️", "guided", in_nav=False),
    PageInfo("pages/backup.py", "Backup", "💾", "backup"),
)
TODAY, PROGRESS, GUIDED = PAGES[0].path, PAGES[1].path, PAGES[3].path


def page_setup(title: str) -> None:
    """What every page does first. Each page is self-sufficient: a deep link opened on a
    freshly started server runs the page file without app.py around it. With a passcode
    set, nothing after this runs until it is given (so deep links are guarded too)."""
    st.set_page_config(page_title=f"{title} · hipdash", page_icon="🦵", layout="centered")
    if not gate.unlocked():
        st.stop()
    gate.remember_device()
    nav.bar([p for p in PAGES if p.in_nav], title)
    pin = config.today_problem()
    if pin:
        st.error(
            f"{md_escape(pin)}: the pages show today's real date. "
            f"{config.PIN_FIX[:1].upper()}{config.PIN_FIX[1:]}.",
            icon="❌",
        )


@st.cache_resource(show_spinner=False, max_entries=8)
def _load_library(data_dir: str, bundled_dir: str, signature: tuple) -> Library:
    # Routines are frozen, so one shared copy per set of files is safe.
    return load_library(Path(data_dir), Path(bundled_dir))


def library() -> Library:
    """Every routine (yours in the data dir over the bundled ones), archived and deleted
    ones too, re-read whenever one of their files changes (here or on another device)."""
    data_dir, bundled_dir = config.data_dir(), config.routines_dir()
    signature = library_signature(data_dir, bundled_dir)
    return _load_library(str(data_dir), str(bundled_dir), signature)


def require_routines() -> list[Routine]:
    """The routines to offer, a line above naming the files that cannot be used; the page
    stops if there are none."""
    found = library()
    unusable_line(found)
    if not found.active:
        if found.archived:
            st.info("All your routines are archived: unarchive one on the Routines page.")
        else:
            st.info("No routines yet: import one from a note on the Routines page.")
        st.page_link("pages/routines.py", label="Open Routines", icon="📋")
        st.stop()
    return list(found.active)


def is_example(routine: Routine) -> bool:
    """Whether `routine` is a bundled one and the person has no routine of their own yet:
    Today then says it is the example, and where to import their own note."""
    found = library()
    entry = found.entry(routine.id)
    return bool(entry and not entry.yours) and not any(e.yours for e in found.entries)


def unreadable_warning(found: Library) -> None:
    """What of your routines folder cannot be read, and what to do (every page that shows
    routines): what it holds is left out, the bundled routines are still there."""
    if found.unreadable:
        text = unreadable_text(found.unreadable, config.data_dir())
        st.warning(f"**Your routines cannot all be read:** {md_escape(text)}.", icon="⚠️")


def unusable_line(found: Library) -> None:
    """One line (Today, Progress, the guided view): which routine files cannot be used."""
    unreadable_warning(found)
    broken = found.unusable
    if broken:
        names = ", ".join(b.name for b in broken[:3])
        names += f" and {len(broken) - 3} more" if len(broken) > 3 else ""
        what = f"{plural(len(broken), 'routine file')} cannot be used"
        st.warning(f"{what} ({md_escape(names)}): see Routines", icon="⚠️")


def unusable_files(found: Library) -> None:
    """Each routine file that cannot be used, with where it is and why (the Routines page)."""
    unreadable_warning(found)
    broken = found.unusable
    if not broken:
        return
    lines = []
    for b in broken:
        more = f" (and {plural(len(b.reasons) - 1, 'more problem')})" if b.reasons[1:] else ""
        where = md_escape(str(Path(b.path).parent))
        lines.append(f"- **{md_escape(b.name)}** in {where}: {md_escape(b.reasons[0])}{more}")
    st.warning(
        f"**{plural(len(broken), 'routine file')} cannot be used.** Each is left out "
        "everywhere else and kept as it is (a backup carries it too, if it can be read): "
        "correct it in a text editor, or import its note again.\n\n" + "\n".join(lines),
        icon="⚠️",
    )


def merge_copies() -> None:
    """Merge what sync tools set aside as conflict copies into the data files (on every
    page's read of the logs), and say once what came in."""
    for merged in merge.merge_all(config.data_dir()):
        text = md_escape(merged.text)
        if merged.error or merged.problems:
            show_problems(merged.problems, text) if merged.problems else st.warning(text, icon="⚠️")
        else:
            st.info(text, icon="🔄")


def open_log() -> CheckoffLog:
    """The check-off log, with a warning listing the lines that could not be read."""
    merge_copies()
    log = CheckoffLog(config.checkoffs_path())
    snap = log.snapshot()
    what = "Some log lines could not be read (kept in the file):"
    show_problems(snap.warnings, what, total=snap.warning_count)
    return log


def open_sessions() -> SessionLog:
    """Session details and day marks, with a warning listing lines that could not be read
    in them or in how exercises felt (`feelings.csv`, read where a page shows them)."""
    merge_copies()
    sessions = SessionLog(config.data_dir())
    snaps = (*sessions.snapshots(), FeelingLog(config.data_dir()).snapshot())
    problems = [p for snap in snaps for p in snap.warnings]
    what = "Some session lines could not be read (kept in the file):"
    show_problems(problems, what, total=sum(snap.warning_count for snap in snaps))
    return sessions


def show_problems(
    problems: list[str] | tuple[str, ...], what: str, limit: int = 5, total: int | None = None
) -> None:
    """A warning that lists (the first few) problems, escaped; `total`: how many there are
    in all when `problems` holds only the first of them (a file's are capped)."""
    if not problems:
        return
    shown = md_list(problems[:limit])
    rest = max(total or 0, len(problems)) - limit
    more = f"\n- …and {rest:,} more" if rest > 0 else ""
    st.warning(f"**{what}**\n\n{shown}{more}", icon="⚠️")


def routine_picker(routines: list[Routine], key: str = keys.ROUTINE_PICKER) -> Routine:
    """The routine of the link (`?routine=ID`), else the one chosen in this browser session,
    else the one last used (remembered in the data dir), else the first. A select box when
    there is more than one; the link follows a choice made in it. A link without a routine
    is left so: writing it in would add a second entry to the browser's history, and Back
    would take two presses to leave the page."""
    by_id = {r.id: r for r in routines}
    linked = st.query_params.get("routine")
    if linked in by_id:
        chosen = linked
    elif st.session_state.get(keys.ROUTINE_CHOICE) in by_id:
        chosen = st.session_state[keys.ROUTINE_CHOICE]
    else:
        chosen = last_used(routines).id
    if len(routines) > 1:
        st.session_state[key] = chosen
        st.selectbox(
            "Routine",
            list(by_id),
            key=key,
            format_func=lambda rid: by_id[rid].title,
            on_change=lambda: st.query_params.update(routine=st.session_state[key]),
        )
    st.session_state[keys.ROUTINE_CHOICE] = chosen
    if linked is not None and linked != chosen:  # a link to a routine that is not here
        st.query_params["routine"] = chosen
        st.info(
            f"No routine “{md_escape(linked[:40])}” here (deleted, or a link from another "
            f"copy of hipdash): this is {md_escape(by_id[chosen].title)}.",
            icon="🔗",
        )
    _remember(chosen)
    return by_id[chosen]


def last_used(routines: list[Routine] | tuple[Routine, ...]) -> Routine:
    """The routine a new browser session opens on: the one last used, else the first."""
    last = appstate.read(config.data_dir()).last_routine
    return next((r for r in routines if r.id == last), routines[0])


def _remember(routine_id: str) -> None:
    """The last routine used, for the next visit (best effort: a read-only data dir only
    loses this convenience, and Today says so where it matters, at the first tick)."""
    with contextlib.suppress(StoreWriteError):
        visits.use_routine(config.data_dir(), routine_id)


def show_day(day: date, today: date) -> None:
    """Put a day in the link (today: none), so the page opens on it."""
    if day == today:
        st.query_params.pop("date", None)
    else:
        st.query_params["date"] = day.isoformat()


def linked_date(today: date) -> date:
    """The date in the link (today when there is none). A day after today or before 2000
    (`fields.FIRST_DAY`), or something that is not a day, is said, with a button to open
    today; the page goes no further."""
    given = st.query_params.get("date", "")
    if not given:
        return today
    try:
        linked = date.fromisoformat(given)
    except ValueError:
        _offer_today(f"“{md_escape(given[:40])}” in the link is not a date.", today)
    if linked > today:
        _offer_today(
            f"**{linked:%a} {linked.day} {linked:%b %Y} is in the future**: a day can be "
            "ticked off once it has come.",
            today,
        )
    if linked < fields.FIRST_DAY:
        _offer_today(f"**{linked.isoformat()} is before 2000**: hipdash keeps days since.", today)
    return linked


def _offer_today(said: str, today: date) -> None:
    st.warning(said, icon="📅")
    st.button(
        "Open today", type="primary", key="hd-open-today", on_click=show_day, args=(today, today)
    )
    st.stop()


def routine_links(routine: Routine) -> None:
    """The routine's own links (a follow-along video, the physio's sheet) under its title."""
    if routine.links:
        with st.container(key=keys.ROUTINE_LINKS):
            st.markdown(md_links(routine.links))


def past_day_banner(day: date, today: date) -> None:
    """A day other than today is unmistakable: a banner, and a way back."""
    if day == today:
        return
    with st.container(key=keys.PAST_DAY, horizontal=True, vertical_alignment="center"):
        # "not today" kept together: a phone wrapped "not" and "today" onto two lines
        st.warning(f"**Editing {day_words(day, today)}**, not\u00a0today", icon="📅")
        st.button("Switch to today", key="hd-back-today", on_click=show_day, args=(today, today))


def leaving(path: str, params: dict[str, str], here: str) -> dict[str, str]:
    """What the browser needs to open the page at `path` (as `PAGES` names it) with
    `params` from the page at `here`, which it does only while it is still there: the
    address (`go`) and this page's (`from`)."""
    url_paths = {p.path: p.url_path for p in PAGES}
    return {"go": nav.url(url_paths[path], params), "from": url_paths[here]}


def go_to(path: str, params: dict[str, str], here: str) -> None:
    """Open the page at `path` with `params` from the browser (`nav.go`): what a page's
    run opens in place of `st.switch_page`."""
    nav.go(leaving(path, params, here))


def guided_params(routine: Routine, day: date) -> dict[str, str]:
    """A link's query for one routine's day: the guided view's, and Today's from it."""
    return {"routine": routine.id, "date": day.isoformat()}


def schedule_text(routine: Routine) -> str:
    """'Target: 3 sessions a week · about 30 minutes' for a caption."""
    return routine.schedule.summary
