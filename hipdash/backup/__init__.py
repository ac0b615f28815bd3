"""Backups: all the person's data as one zip, and restoring one.

- `archive`   the zip: make it, check it whole, restore it (old files kept aside)
- `routine_files`  the person's routines in a backup: which files, their names, checks
- `summary`   what a backup holds and what it would replace, in words

The archive's functions are named here too (`backup.make_backup`, `backup.read_backup`).
"""

from hipdash.backup.archive import (
    FILES,
    MAX_FILE_BYTES,
    MAX_ZIP_BYTES,
    BackupError,
    RestoreFailed,
    RestoreResult,
    describe,
    export_file,
    export_problems,
    file_name,
    listed,
    make_backup,
    read_backup,
    read_data_file,
    read_zip,
    restore_backup,
)

__all__ = [
    "FILES",
    "MAX_FILE_BYTES",
    "MAX_ZIP_BYTES",
    "BackupError",
    "RestoreFailed",
    "RestoreResult",
    "describe",
    "export_file",
    "export_problems",
    "file_name",
    "listed",
    "make_backup",
    "read_backup",
    "read_data_file",
    "read_zip",
    "restore_backup",
]
