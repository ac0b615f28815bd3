"""hipdash: a private dashboard for a home hip-therapy routine.

The core (models, routines, importing, library, log, stats, charts, backup, …) has no
Streamlit in it and does the writing, through `hipdash.services` and the other services;
`hipdash.ui` holds what the pages share, and only reads and asks (docs/architecture.md).
"""
