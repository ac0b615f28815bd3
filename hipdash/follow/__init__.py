"""Following a note: a routine imported from a file remembers it, notices when the note
changes, and takes the change in by a three-way merge that keeps ids and the app's edits.

* `merge`: the three-way merge of routines (last imported note, the app's, the note now);
* `records`: what is remembered per routine, in `<data dir>/routines/notes/`;
* `sync`: checking a note, applying its change, following, writing the routine back.
"""
