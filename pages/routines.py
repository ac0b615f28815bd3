"""Routines: the saved routines, and importing a new one from a markdown note."""

import streamlit as st

from hipdash import config, ui
from hipdash.ui import routines_view

ui.page_setup("Routines")
st.header("Routines", anchor=False)
routines, problems = ui.routines()
ui.show_problems(problems, "Some routine files could not be loaded:")
routines_view.routine_list(routines)
routines_view.import_panel(config.routines_dir())
