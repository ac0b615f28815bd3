"""The names sync tools give the version of a file they set aside in a conflict.

When two computers change a file between syncs, the tool keeps one version under the
file's name and the other beside it under a name of its own:

    Syncthing          checkoffs.sync-conflict-20261205-101010-ABCDEFG.csv
    Dropbox            checkoffs (mac-mini's conflicted copy 2026-12-05).csv,
                       checkoffs (mac-mini's conflicted copy 2026-12-05 (1)).csv (a
                       second that day), and in the language of its app: (Copie en
                       conflit de mac-mini 2026-12-05), (mac-minis in Konflikt stehende
                       Kopie 2026-12-05), (Copia en conflicto de …), …
    Nextcloud, ownCloud, Obsidian Sync
                       checkoffs (conflicted copy 2026-12-05 101010).csv,
                       checkoffs_conflict-20261205-101010.csv (older ownCloud)
    Seafile            checkoffs (SFConflict me@example.com 2026-12-05-10-10-10).csv
    Resilio Sync       checkoffs.Conflict.csv
    iCloud Drive       checkoffs 2.csv
    Google Drive       checkoffs (1).csv
    OneDrive           checkoffs-MAC-MINI.csv (the computer's name)

Matched case-insensitively, for one file name at a time: only a copy of a file hipdash
knows is ever picked up. A device's name may hold anything, parentheses too, so the words
that say "conflicted copy" are what marks a Dropbox-like copy, wherever they stand within
the parentheses. The OneDrive form cannot be told from a name of the person's own
(`checkoffs-old.csv` is OneDrive's copy from a computer named "old"): docs/sync.md.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from pathlib import Path

# "conflicted copy" in the languages of Dropbox's app (and Nextcloud's English one)
CONFLICTED_COPY = (
    "conflicted copy",
    "in Konflikt stehende Kopie",
    "Konfliktkopie",
    "copie en conflit",
    "copia en conflicto",
    "copia in conflitto",
    "cópia em conflito",
    "競合コピー",
)
_PATTERNS = (
    r"\.sync-conflict-\d{8}-\d{6}-[A-Z0-9]{7}",  # Syncthing
    rf" \(.*(?:{'|'.join(CONFLICTED_COPY)}).*\)",  # Dropbox, Nextcloud, Obsidian Sync
    r"_conflict-\d{8}-\d{6}",  # ownCloud before 2.5
    r" \(SFConflict [^()]*\)",  # Seafile
    r"\.Conflict ?\d*",  # Resilio Sync
    r" \d{1,3}",  # iCloud Drive
    r" \(\d{1,3}\)",  # Google Drive
    r"-[A-Za-z0-9][A-Za-z0-9-]{0,62}",  # OneDrive: the computer's name
)


@functools.lru_cache(maxsize=32)
def pattern(name: str) -> re.Pattern:
    """The names of the conflict copies of the file `name` (`checkoffs.csv`): built once per
    name, since every page run and the 2 s watch ask of every file in the data dir."""
    stem, suffix = os.path.splitext(name)
    copies = "|".join(_PATTERNS)
    return re.compile(rf"^{re.escape(stem)}(?:{copies}){re.escape(suffix)}$", re.IGNORECASE)


def is_copy(candidate: str, name: str) -> bool:
    """Whether `candidate` is a sync tool's conflict copy of the file `name`."""
    return candidate != name and bool(pattern(name).match(_composed(candidate)))


def _composed(file_name: str) -> str:
    """A name as the patterns spell it: a Mac's file system hands names over decomposed
    ("ピ" as two characters), which "競合コピー" would not match."""
    return unicodedata.normalize("NFC", file_name)


def copies(folder: Path, name: str) -> list[Path]:
    """The conflict copies of `folder/name` there are, by name, whatever each is: a link or
    a folder under such a name is the merge's to refuse and say, not to pass over."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    match = pattern(name).match
    return sorted(Path(e.path) for e in entries if e.name != name and match(_composed(e.name)))


def owner(candidate: str, ids, suffix: str = ".yaml") -> str | None:
    """The id whose file (`<id>.yaml`) `candidate` is a conflict copy of; the longest id
    that fits, since ids may end like a copy's mark (`knee` and `knee-2`)."""
    fits = [i for i in ids if is_copy(candidate, f"{i}{suffix}")]
    return max(fits, key=len, default=None)
