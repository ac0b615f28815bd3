"""Backup and restore of all the user's data as one zip file.

A backup holds the data files byte for byte plus a `manifest.json` naming the
format and each file's size and SHA-256. A restore checks all of that before
it touches anything, then moves the current files aside into
`data/replaced-<time>/` (nothing is deleted) and puts the backup's files in
place, each with an atomic rename, under the same locks the writers use.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from filelock import FileLock

from hipdash import feelings, store
from hipdash.log import COLUMNS as CHECKOFF_COLUMNS
from hipdash.sessions import DAY_COLUMNS, SESSION_COLUMNS

FORMAT = "hipdash-backup"
VERSION = 1
HEADERS = {
    "checkoffs.csv": ",".join(CHECKOFF_COLUMNS),
    "sessions.csv": ",".join(SESSION_COLUMNS),
    "days.csv": ",".join(DAY_COLUMNS),
    "feelings.csv": ",".join(feelings.COLUMNS),
}
MAX_FILE_BYTES = 200_000_000  # far beyond decades of ticks; guards against zip bombs


class BackupError(ValueError):
    """Not a usable hipdash backup; the message says why. Nothing was changed."""


@dataclass(frozen=True)
class RestoreResult:
    restored: tuple[str, ...]
    kept_aside: Path | None  # where the replaced files went, if there were any


def make_backup(data_dir: Path, now: datetime | None = None) -> bytes:
    """A zip of every data file that exists, with a manifest to check it by."""
    now = now or datetime.now().astimezone()
    buffer = io.BytesIO()
    manifest: dict = {"format": FORMAT, "version": VERSION, "created": now.isoformat(), "files": {}}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in HEADERS:
            path = Path(data_dir) / name
            if not path.is_file():
                continue
            data = path.read_bytes()
            zf.writestr(name, data)
            manifest["files"][name] = {"bytes": len(data), "sha256": _sha256(data)}
        zf.writestr("manifest.json", json.dumps(manifest, indent=2))
    return buffer.getvalue()


def read_backup(raw: bytes) -> dict[str, bytes]:
    """The data files of a backup, after checking everything; raises BackupError."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError):
        raise BackupError("not a hipdash backup: not a zip file") from None
    with zf:
        names = {info.filename: info for info in zf.infolist()}
        if "manifest.json" not in names:
            raise BackupError("not a hipdash backup: it has no manifest.json")
        unknown = sorted(set(names) - set(HEADERS) - {"manifest.json"})
        if unknown:
            raise BackupError(f"not a hipdash backup: unexpected files {', '.join(unknown)}")
        if any(info.file_size > MAX_FILE_BYTES for info in names.values()):
            raise BackupError("not a hipdash backup: a file in it is too large")
        manifest = _manifest(zf.read("manifest.json"))
        unlisted = sorted(set(names) - set(manifest["files"]) - {"manifest.json"})
        if unlisted:
            raise BackupError(f"damaged backup: {', '.join(unlisted)} not in its manifest")
        files: dict[str, bytes] = {}
        for name, expected in manifest["files"].items():
            if name not in HEADERS or name not in names:
                raise BackupError(f"damaged backup: {name} is listed but missing")
            data = zf.read(name)
            if len(data) != expected.get("bytes") or _sha256(data) != expected.get("sha256"):
                raise BackupError(f"damaged backup: {name} does not match its checksum")
            first = data.split(b"\n", 1)[0].removeprefix(b"\xef\xbb\xbf").rstrip(b"\r")
            if data and first.decode("utf-8", "replace") != HEADERS[name]:
                raise BackupError(f"not a hipdash backup: {name} has the wrong header")
            files[name] = data
    return files


def _manifest(raw: bytes) -> dict:
    try:
        manifest = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BackupError("not a hipdash backup: manifest.json is not JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("not a hipdash backup: manifest.json is not a hipdash manifest")
    if manifest.get("version") != VERSION:
        raise BackupError(f"backup format version {manifest.get('version')!r} is not supported")
    if not isinstance(manifest.get("files"), dict):
        raise BackupError("not a hipdash backup: manifest.json lists no files")
    return manifest


def restore_backup(raw: bytes, data_dir: Path, now: datetime | None = None) -> RestoreResult:
    """Replace the data files with the backup's, keeping the current ones aside."""
    files = read_backup(raw)
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    aside = data_dir / f"replaced-{stamp}"
    moved: list[str] = []
    with ExitStack() as locks:
        for name in sorted(HEADERS):
            locks.enter_context(FileLock(str(data_dir / f"{name}.lock"), timeout=10))
        try:
            for name in HEADERS:
                if (data_dir / name).exists():
                    aside.mkdir(mode=0o700, exist_ok=True)
                    os.replace(data_dir / name, aside / name)
                    moved.append(name)
            for name, data in files.items():
                _write_atomically(data_dir / name, data)
        except OSError as exc:
            _put_back(data_dir, aside, moved, files)
            reason = exc.strerror or str(exc)
            raise BackupError(f"could not restore ({reason}); data left as it was") from exc
        finally:
            store.clear_cache()
    return RestoreResult(tuple(files), aside if moved else None)


def _put_back(data_dir: Path, aside: Path, moved: list[str], restored: dict) -> None:
    """Undo a restore that failed half-way: the moved files go back where they were."""
    for name in restored:
        if name not in moved:
            (data_dir / name).unlink(missing_ok=True)
    for name in moved:
        os.replace(aside / name, data_dir / name)
    if moved:
        aside.rmdir()


def _write_atomically(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.restoring")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, path)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
