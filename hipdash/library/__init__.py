"""The person's routines: where they live, how they are loaded, edited and saved.

* `load`: the routines in the data dir over the bundled ones (`load_library`);
* `edits`: pure edits of a frozen routine (rename, move, add, remove...) and the import draft;
* `save`: every change, under one lock, with the previous version kept;
* `files`: atomic writes and reads that refuse symlinks.

Pages and the command line both load routines through `load_library`.
"""

from hipdash.library.conflicts import Conflict
from hipdash.library.conflicts import find as conflicts
from hipdash.library.files import LibraryError
from hipdash.library.load import (
    Entry,
    Library,
    library_signature,
    load_library,
    unreadable,
    unreadable_text,
    user_dir,
)
from hipdash.library.save import (
    Version,
    bring_back,
    current,
    delete,
    plan_note,
    read_version,
    save_routine,
    set_archived,
    settle,
    undelete,
    update,
    versions,
)

__all__ = [
    "Conflict",
    "conflicts",
    "Entry",
    "Library",
    "LibraryError",
    "Version",
    "bring_back",
    "current",
    "delete",
    "library_signature",
    "load_library",
    "plan_note",
    "read_version",
    "save_routine",
    "set_archived",
    "settle",
    "undelete",
    "unreadable",
    "unreadable_text",
    "update",
    "user_dir",
    "versions",
]
