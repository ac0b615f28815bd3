"""A markdown note (Obsidian's style understood) -> a routine, in named steps.

* `outline`: the note's structure (front matter, headings, items, steps, callouts);
* `text`: one line made plain (links, videos, images, doses, schedule phrases);
* `kinds`: what a list is for: exercises, or notes, equipment, theory, … (left out);
* `items`: one list item -> an exercise (what a sub-bullet carries, set ticks);
* `build`: the outline -> routine data, validated like a YAML file; lists left out;
* `reimport`: a re-import keeps the ids of what is still there;
* `plan`: checks on the file, what an import would do, and the atomic save.

The command line (`python -m hipdash import`) is in `hipdash.__main__`.
"""

from hipdash.importing.build import LeftOut, NoteError, NoteImport, import_note, with_left_out
from hipdash.importing.outline import NoteWarning
from hipdash.importing.plan import (
    MAX_NOTE_BYTES,
    MAX_NOTE_ITEMS,
    MAX_NOTE_KB,
    ImportPlan,
    ImportRefused,
    counts,
    left_out_line,
    plan_import,
    read_note,
    save,
    summary_lines,
)

__all__ = [
    "MAX_NOTE_BYTES",
    "MAX_NOTE_ITEMS",
    "MAX_NOTE_KB",
    "ImportPlan",
    "ImportRefused",
    "LeftOut",
    "NoteError",
    "NoteImport",
    "NoteWarning",
    "counts",
    "import_note",
    "left_out_line",
    "plan_import",
    "read_note",
    "save",
    "summary_lines",
    "with_left_out",
]
