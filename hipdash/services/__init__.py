"""A person's actions on the data dir, as plain functions: what the pages (and the CLI)
call to write. Each takes the data dir or the logs and `now`, acts on the files as they
are on disk now (under their locks), and has no Streamlit in it.

- `stopwatch`  start and stop a session's stopwatch; its minutes into the details
- `day`        mark a day rest / sick / travel; how an exercise felt
- `checkoffs`  an exercise moved to another section keeps its earlier ticks
- `visits`     the routine last used; the guided screen shown last

The other services live with what they act on: `changes.History` (ticks and their undo),
`library.save`, `backup.restore`, `follow.sync`. Nothing under hipdash/ui/ calls a file's
writer (`hipdash.writers`) itself: tests/test_layers.py checks it.
"""
