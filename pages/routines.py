"""Routines: yours, each editable; importing one from a note; (and backups)."""

import streamlit as st

from hipdash import ui
from hipdash.ui import follow_view, import_view, keys, routines_view

ui.page_setup("Routines")
st.header("Routines", anchor=False)
follow_view.seen_now()
notes = follow_view.by_themselves()
found = ui.library()
ui.unusable_files(found)
follow_view.changed_panel(notes)
yours, note = st.tabs(["Your routines", "Import"], key="view", bind="query-params")
if yours.open:
    with yours, st.container(key=keys.EDITING):
        routines_view.routines_tab(found)
if note.open:
    with note, st.container(key=keys.IMPORTING):
        import_view.import_panel()
follow_view.watch()
