"""Backup: all your data (and your routines) in one zip, and restoring one."""

import streamlit as st

from hipdash import config, ui
from hipdash.ui import backup_view, keys

ui.page_setup("Backup")
st.header("Backup", anchor=False)
ui.open_log()  # their warnings: a line that cannot be read is left out of a backup
ui.open_sessions()
with st.container(key=keys.BACKUP):
    backup_view.download_panel(config.data_dir(), config.today())
    st.divider()
    backup_view.restore_panel(config.data_dir())
