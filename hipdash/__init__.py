"""hipdash: a private dashboard for a home hip-therapy routine.

The pure core (models, routines, notes, youtube, log, stats, charts) has no
Streamlit in it; `hipdash.ui` holds the widgets the pages share.
"""
