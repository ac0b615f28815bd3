"""The session-state keys the pages keep, and the widget keys `style.css` styles, named
once: a key typed twice can drift apart silently (a page remembers under one name and reads
another, or a CSS rule styles a key no widget has any more).

Streamlit gives the element of a widget or container with key `K` the class `st-key-K`,
which is how `style.css` reaches it. `HOOKS` lists the keys it styles; a key ending in `-`
or `:` is a prefix (one element per routine, section or exercise). `tests/test_keys.py`
checks that every `.st-key-` selector in the CSS names one of them, and each of them is
styled.
"""

from __future__ import annotations

# Session state: what one browser session remembers between reruns.
ROUTINE_CHOICE = "hd_routine_choice"  # the routine chosen, for every page of the session
ROUTINE_PICKER = "hd_routine"  # Today's, the guided view's and Progress's routine box
EDIT_ROUTINE = "hd_edit_routine"  # the routine open in the editor
EDITOR_FLASH = "hd_editor_flash"  # the message after an editor's save, shown once
NOTE_UPLOAD = "hd_note_upload"
IMPORT_NONCE = "hd_upload_nonce"  # a new, empty uploader after each import
IMPORT_PENDING = "hd_import"
IMPORT_SAVED = "hd_import_saved"
IMPORT_FAILED = "hd_import_failed"
BACKUP_UPLOAD = "hd_backup_upload"
BACKUP_NONCE = "hd_backup_nonce"  # a new, empty uploader after each restore
BACKUP_CHECKED = "hd_backup_checked"
RESTORE_DONE = "hd_restore_done"
RESTORE_FAILED = "hd_restore_failed"
SESSION_MARK = "hd_session_mark"  # this server session's own id, for the browser (tab_state)
LIVE_SEEN = "hd_live_seen"  # the data files' signatures this session last drew
LIVE_RUN = "hd_live_run"  # how many page runs took those signatures (live.seen_now)
LIVE_RUN_OF = "hd_live_run_of"  # fragment -> the page run it last ran after (live._alone)
NOTES_SEEN = "hd_notes_seen"  # the followed notes' signatures the Routines page last drew
NOTE_FLASH = "hd_note_flash"  # the message after Apply, Not now, Follow, Write into my note
NOTE_LINE = "hd-note-line"  # Today's line when the routine's note changed
NOTE_CHANGED = "hd-note-changed-"  # + routine id: "Your note changed" on the Routines page
UNLOCKED = "hd_unlocked"  # the passcode was given in this session (or the device is known)
REMEMBER_TICKET = "hd_remember_ticket"  # traded by the browser for the device cookie
TODAY_CARDS = "hd-today"  # Today's cards component: its state is its last action
AFTER_OPEN = "hd_after_open"  # Today's "After the session" panel is open
REMINDERS = "hd-reminders"  # Progress's reminders panel: open or not
DAY_MARK_SAVED = "hd_day_mark_saved"  # what the day-mark form saved, said under it once
TODAY_THEN = "hd_today_then"  # what follows a date chosen or a start in it: a rerun, a page
GUIDED_GO = "hd_guided_go"  # Start guided session was tapped: its screen starts by itself
GUIDED_TAB = "hd_guided_tab_"  # + what, routine and day: this tab's guided visit (runner._keys)
GUIDED_RUNNER = "hd-guided"  # the guided runner component: its state is its last action
ANSWERED = "hd_answered"  # per component: the highest action number taken (answered.py)
GUIDED_HEAD = "hd-guided-head"  # the guided view's top row: Back to Today and where it is
GUIDED_FINISH = "hd-guided-finish"  # the finish's summary: a phone's toasts keep off its foot

# Widget and container keys that style.css reaches as `.st-key-<key>`.
NAV = "hd-nav"
GO = "hd-go"  # the component that opens another page from the browser (nav.go)
PHONE = "hd-phone"
HISTORY = "hd-history"  # Progress's History table (its toolbar is hidden)
TABS = "hd-tabs"  # Progress's tabs: the tab bar and a container per tab
TAB = "hd-tab-"  # + a tab's name: that tab's container, shown while it is the open one
TAB_BAR = "hd-tabbar"  # Progress's range and tab bar: its state holds the range, the rest asked
AFTER_PANEL = "hd-after"  # Today's "After the session" panel, under the cards
ROUTINE_LINKS = "hd-routine-links"
PAIN = "hd-pain:"  # + routine id: the pain before / after segmented controls
EDITING = "hd-editing"  # the Routines page's editor tab
IMPORTING = "hd-importing"  # the Routines page's import tab
BACKUP = "hd-backup"  # the Backup page
INCLUDE_EXERCISE = "hd-inc-ex-"  # + import nonce, section, exercise: leave it out or not
PREVIEW_TICKS = "ticks-"  # + section, exercise: the import preview's boxes
PAST_DAY = "hd-past-day"  # another day's banner and its way back to today, in one row

HOOKS = (
    NAV,
    GO,
    PHONE,
    HISTORY,
    TABS,
    TAB,
    TAB_BAR,
    AFTER_PANEL,
    ROUTINE_LINKS,
    PAIN,
    EDITING,
    IMPORTING,
    BACKUP,
    INCLUDE_EXERCISE,
    PREVIEW_TICKS,
    NOTE_CHANGED,
    GUIDED_HEAD,
    GUIDED_FINISH,
    PAST_DAY,
)
