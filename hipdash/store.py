"""An append-only, line-per-record CSV file that a crash cannot corrupt.

Used for the check-off log and the per-session details. The rules:

* Writes are whole lines, in one `write()` under a file lock, then fsynced.
  Nothing is ever rewritten, so a crash can at worst leave a torn last line.
* A torn last line is not read (no newline yet); the next append first ends it
  with a newline, so it becomes one unreadable line and the new record starts
  on a fresh line.
* Every line stands alone: a line that cannot be parsed (garbage, a torn
  write, bad UTF-8) is skipped with a problem message and left in the file.
* Reading is incremental: the parsed records are cached per file and only the
  bytes appended since the last read are parsed, so a rerun after a tick costs
  the size of the tick, not the size of the history. A file replaced meanwhile
  (another inode, shrunk, or rewritten in place: its bytes already read no longer
  match their checksum) is read again from the start.
* A data file is opened by `safefile.open_plain`: never through a symbolic link, never
  blocking, only a regular file with one name; anything else is refused by name.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import threading
import zlib
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from filelock import Timeout

from hipdash import fields, locks, private
from hipdash.safefile import NotAFile, cannot_read, open_plain, reason, refusal
from hipdash.writers import writer

MAX_PROBLEMS = 200
BOM = b"\xef\xbb\xbf"
LOCK_TIMEOUT_SECONDS = 10
REPLACED_RETRIES = 3

# A parser turns the fields of one line into a record, or returns why it cannot.
Parser = Callable[[list[str]], "tuple | str"]


class StoreWriteError(OSError):
    """A record could not be saved; the message says where and why, for the person."""


class BadLine(ValueError):
    """A line of a file handed to the app that the app would not read; names file and line."""


@dataclass
class _Cache:
    dev_ino: tuple[int, int]
    offset: int = 0  # bytes consumed: always at the start of a line
    crc: int = 0  # zlib.crc32 of the bytes consumed, to notice a file rewritten in place
    seen: tuple[int, int] = (0, 0)  # (size, mtime_ns) at the last read
    trusted: tuple[int, int] | None = None  # (size, mtime_ns) after this process's appends
    line_no: int = 0
    records: list = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0
    generation: int = 0
    torn: int = 0  # bytes after the last newline: an unfinished (or interrupted) write
    cr_only: bool = False  # those bytes hold lines ended by a carriage return alone


@dataclass(frozen=True)
class Snapshot:
    """What a read found. `records` is a shared list: treat it as read-only.

    `generation` changes whenever the file had to be read again from the start,
    so (generation, len(records)) identifies what has been seen so far. `torn` is the
    number of bytes of an incomplete last line, which is not read (see the module doc);
    `cr_only`: they are lines ended by a carriage return alone (nothing is added to them).
    """

    records: list
    problems: tuple[str, ...]
    problem_count: int
    generation: int
    torn: int = 0
    cr_only: bool = False

    @property
    def warnings(self) -> tuple[str, ...]:
        """What a page should show: the problems, and an incomplete last line if there is one."""
        if not self.torn:
            return self.problems
        torn = f"the last line is incomplete ({self.torn} bytes, an interrupted save?): not read"
        return (*self.problems, CR_ONLY if self.cr_only else torn)

    @property
    def warning_count(self) -> int:
        """How many warnings there are in all (`warnings` lists the first MAX_PROBLEMS)."""
        return self.problem_count + bool(self.torn)


_caches: dict[Path, _Cache] = {}
_caches_lock = threading.Lock()
_generations = iter(range(1, 1 << 62))
# Values derived from a file's records: (generation, records seen, value) per key.
_folds: dict[Hashable, tuple[int, int, object]] = {}
_folds_lock = threading.RLock()
T = TypeVar("T")


def clear_cache() -> None:
    """Forget every parsed file (tests, and after a restore replaces the files)."""
    with _caches_lock:
        _caches.clear()
    with _folds_lock:
        _folds.clear()


def fold(
    key: Hashable,
    snap: Snapshot,
    start: Callable[[], T],
    add: Callable[[T, Sequence], T],
    end: int | None = None,
) -> T:
    """A value derived from a file's records, kept per `key` and extended with only the
    records read since the last call: years of history are folded in once, a tick adds
    one record. `add(value, new_records)` returns the new value (it may update `value` in
    place: it is never shared with an earlier state). A file read again from the start (a
    restore, a replaced file) starts again from `start()`. `end` caps the records used, for
    callers that fold several values over the same records (the list may grow meanwhile)."""
    with _folds_lock:
        end = len(snap.records) if end is None else end
        generation, seen, value = _folds.get(key, (-1, 0, None))
        if generation != snap.generation or seen > end:
            seen, value = 0, start()
        if seen < end or generation != snap.generation:
            value = add(value, snap.records[seen:end])
        _folds[key] = (snap.generation, end, value)
        return value


def folding_lock() -> threading.RLock:
    """Held while a fold runs: hold it to fold several values over the same records."""
    return _folds_lock


def split_fields(line: str) -> list[str]:
    """CSV fields of one line, for parsers of files whose values may be quoted."""
    return next(csv.reader([line]), [])


def format_line(values: Sequence[str]) -> str:
    """One CSV line with a trailing newline; refuses values that would span lines."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    text = buf.getvalue()
    if text.count("\n") != 1 or "\r" in text:
        raise ValueError("a record must not contain line breaks")
    return text


@dataclass(frozen=True)
class FileKind:
    """One kind of data file: its name in the data dir, its columns and its line parser.

    The store reads lines with `read_line`, and a restore checks a backup's files with the
    same method, so the two can never disagree about what a file may hold."""

    name: str
    columns: tuple[str, ...]
    parse: Parser
    quoted: bool = False  # values may contain commas/quotes: use the csv module per line

    @property
    def header(self) -> str:
        return ",".join(self.columns)

    def fields(self, line: str) -> list[str]:
        return split_fields(line) if self.quoted else line.split(",")

    def read_line(self, raw: bytes, first: bool) -> tuple | str | None:
        """The record on one line (without its newline), or why it cannot be read, or None
        for a line that holds none (the header, a blank line). `first`: the file's first."""
        if first and raw.startswith(BOM):
            raw = raw[len(BOM) :]
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            return f"not UTF-8 text; skipped: {_shorten(raw.decode('utf-8', 'replace'))}"
        if (first and line == self.header) or not line.strip():
            return None
        try:
            fields = self.fields(line)
        except csv.Error as error:  # a value over the csv module's limit (128 KiB)
            return f"cannot be read as CSV ({error}); skipped: {_shorten(line)}"
        if len(fields) != len(self.columns):
            result = f"expected {len(self.columns)} columns, found {len(fields)}"
        else:
            result = self.parse(fields)
        return f"{result}; skipped: {_shorten(line)}" if isinstance(result, str) else result

    def clean(self, data: bytes, strict: bool) -> tuple[bytes, int]:
        """A file's bytes as they may leave or enter the data dir: the header and every
        line `read_line` reads, byte for byte, except that a cell a spreadsheet would run as
        a formula (a note as an older hipdash stored it) or holding a carriage return is
        written as the app writes text (`_clean_line`). With `strict` (a restore) any other
        line raises BadLine naming it; otherwise (an export) it is left out, and counted."""
        *complete, tail = data.split(b"\n")
        out, left_out = [], 0
        if complete and not self._is_header(complete[0]):
            if strict:
                raise BadLine(f"{self.name} has the wrong header")
            out.append(f"{self.header}\n".encode())  # a file that lost its header
        for number, raw in enumerate(complete, 1):
            line = self._clean_line(raw, number == 1)
            if isinstance(line, bytes):
                out.append(line + b"\n")
            elif strict:
                raise BadLine(f"{self.name} line {number}: {line}")
            else:
                left_out += 1
        if tail and strict:
            raise BadLine(f"{self.name} line {len(complete) + 1}: the last line is incomplete")
        return b"".join(out), left_out + bool(tail)

    def _is_header(self, raw: bytes) -> bool:
        return raw.removeprefix(BOM).removesuffix(b"\r") == self.header.encode()

    def _clean_line(self, raw: bytes, first: bool) -> bytes | str:
        """The line to keep (without its newline), or why it cannot be kept. A cell a
        spreadsheet would run as a formula, or one holding a carriage return (which only a
        text cell can hold and still be read), is written as the app writes text
        (`fields.reencode_text`), if it then reads the same."""
        result = self.read_line(raw, first)
        if result is None or isinstance(result, str):
            return raw if result is None else result
        line = raw.removeprefix(BOM if first else b"").removesuffix(b"\r").decode("utf-8")
        cells = self.fields(line)
        if not any(_unsafe(cell) for cell in cells):
            return raw
        safe = [fields.reencode_text(cell) if _unsafe(cell) else cell for cell in cells]
        if self.parse(safe) != result:
            return f"a cell would start a spreadsheet formula: {_shorten(line)}"
        return format_line(safe).encode("utf-8").removesuffix(b"\n")

    def store(self, data_dir: Path) -> AppendOnlyCsv:
        return AppendOnlyCsv(Path(data_dir) / self.name, self.columns, self.parse, self.quoted)


def _key(path: Path) -> Path:
    """The cache key of a data file: its folder resolved, but never its own name (a link
    there is refused, not followed)."""
    return path.parent.resolve() / path.name


class AppendOnlyCsv:
    """One append-only CSV file with a fixed header."""

    def __init__(self, path: Path, columns: Sequence[str], parse: Parser, quoted: bool = False):
        self.path = Path(path)
        self.kind = FileKind(self.path.name, tuple(columns), parse, quoted)
        self.columns = self.kind.columns
        self.header = self.kind.header

    @property
    def lock_path(self) -> Path:
        """Its lock, on this computer, outside the data dir (`hipdash.locks`)."""
        return locks.lock_for(self.path)

    # -- writing ---------------------------------------------------------------------------

    @writer
    def append(self, rows: Sequence[Sequence[str]]) -> None:
        """Append whole lines in one write, under the lock, and fsync; raise StoreWriteError."""
        if rows:
            with self.locked() as held:
                held.append(rows)

    @contextmanager
    @writer
    def locked(self) -> Iterator[Locked]:
        """Hold the file's lock while deciding what to write from what is on disk now: no
        other writer (tab, device, process) can append in between. Raises StoreWriteError."""
        try:
            private.make_dir(self.path.parent)
            with locks.file_lock(self.lock_path, LOCK_TIMEOUT_SECONDS):
                yield Locked(self)
        except StoreWriteError:
            raise
        except Timeout:
            raise StoreWriteError(f"{self.path} is locked by another writer; try again") from None
        except NotAFile as exc:
            raise StoreWriteError(f"Not saved: {exc.strerror}") from exc
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise StoreWriteError(f"Could not save to {self.path}: {reason}") from exc

    def _append_locked(self, payload: bytes) -> None:
        """Append, and again if a sync tool renamed another version over the file while we
        wrote (our lines went to the file it replaced: `_append_once` says so)."""
        for _ in range(REPLACED_RETRIES):
            if self._append_once(payload):
                return
        raise OSError(errno.EBUSY, "the file was replaced again and again while saving")

    def _append_once(self, payload: bytes) -> bool:
        fd = open_plain(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT)
        try:
            before = os.fstat(fd)
            size = before.st_size
            if size == 0:
                payload = (self.header + "\n").encode("utf-8") + payload
            elif os.pread(fd, 1, size - 1) != b"\n":
                if _cr_only(os.pread(fd, CR_LOOK, max(0, size - CR_LOOK))):
                    raise OSError(errno.EINVAL, CR_ONLY)  # a newline would make them one line
                payload = b"\n" + payload  # end a torn line so ours starts fresh
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
            after = os.fstat(fd)
            self._note_own_append(before, after)
        finally:
            os.close(fd)
        if size == 0:
            fsync_dir(self.path.parent)
        try:
            still = os.lstat(self.path)
        except FileNotFoundError:
            return False  # moved away meanwhile: write again into a new file
        return (still.st_dev, still.st_ino) == (after.st_dev, after.st_ino)

    def _note_own_append(self, before: os.stat_result, after: os.stat_result) -> None:
        """Tell the read cache that the change from `before` to `after` is only our append,
        when it had seen `before`: the next read then needs no check of what it read."""
        with _caches_lock:
            cache = _caches.get(_key(self.path))
            if cache is None or cache.dev_ino != (after.st_dev, after.st_ino):
                return
            was = (before.st_size, before.st_mtime_ns)
            if was in (cache.seen, cache.trusted):
                cache.trusted = (after.st_size, after.st_mtime_ns)

    def write_problem(self) -> str | None:
        """Why an append would fail, found cheaply up front (None if it looks writable).

        Used to warn before the person ticks; `append` still reports what really happens.
        A missing data folder is fine if it can be made: the first append creates it.
        """
        try:
            return self._write_problem()
        except OSError as exc:  # the data folder cannot even be looked into (mode 000)
            return f"The data folder {self.path.parent} cannot be read: {reason(exc)}."

    def _write_problem(self) -> str | None:
        folder = self.path.parent
        existing = folder
        while not existing.exists() and existing.parent != existing:
            existing = existing.parent
        if not existing.is_dir():
            return f"{existing} is a file, so the data folder {folder} cannot be made."
        if existing != folder:
            if os.access(existing, os.W_OK | os.X_OK):
                return None
            return f"{existing} is read-only, so the data folder {folder} cannot be made."
        if self.path.is_symlink():
            return refusal(self.path, "a symbolic link") + "."
        if self.path.is_dir():
            return f"{self.path} is a folder, not a file."
        if self.path.is_file() and self.path.stat().st_nlink > 1:
            return refusal(self.path, "a hard link") + "."
        for path in (self.path, self.lock_path):
            if path.exists() and not os.access(path, os.W_OK):
                return f"{path} is read-only."
        if not self.path.exists() and not os.access(folder, os.W_OK | os.X_OK):
            return f"The data folder {folder} is read-only."
        return None

    # -- reading ---------------------------------------------------------------------------

    def read(self) -> Snapshot:
        """All readable records so far, parsing only what was appended since the last read."""
        key = _key(self.path)
        with _caches_lock:
            try:
                fd = open_plain(self.path, os.O_RDONLY)
                try:
                    cache = _caches[key] = self._read_fd(fd, _caches.get(key))
                finally:
                    os.close(fd)
            except (FileNotFoundError, NotADirectoryError):  # no log yet (or no folder for one)
                _caches.pop(key, None)
                return Snapshot([], (), 0, 0)
            except NotAFile as exc:
                _caches.pop(key, None)
                return Snapshot([], (f"{exc.strerror}; not read",), 1, 0)
            except OSError as exc:
                _caches.pop(key, None)
                return Snapshot([], (cannot_read(self.path, exc),), 1, 0)
            problems = tuple(cache.problems)
            return Snapshot(
                cache.records,
                problems,
                cache.problem_count,
                cache.generation,
                cache.torn,
                cache.cr_only,
            )

    def _read_fd(self, fd: int, cache: _Cache | None) -> _Cache:
        stat = os.fstat(fd)
        now = (stat.st_size, stat.st_mtime_ns)
        if not self._can_continue(fd, cache, stat):
            cache = _Cache((stat.st_dev, stat.st_ino), generation=next(_generations))
        if now != cache.seen:
            # Read up to the size we stat'ed, so the size, the mtime and the offset describe
            # the same bytes even while another process appends.
            data = os.pread(fd, stat.st_size - cache.offset, cache.offset)
            self._take_data(data, cache)
            cache.torn = stat.st_size - cache.offset
            cache.cr_only = _cr_only(data[len(data) - cache.torn :])
            cache.seen = now
        cache.trusted = None
        return cache

    def _can_continue(self, fd: int, cache: _Cache | None, stat: os.stat_result) -> bool:
        """Whether the bytes read so far are still the file's first bytes: the same inode,
        not shrunk, and unless only this process appended since, the same checksum."""
        if cache is None or cache.dev_ino != (stat.st_dev, stat.st_ino):
            return False
        if stat.st_size < cache.offset:
            return False  # shrunk: someone replaced or truncated it
        now = (stat.st_size, stat.st_mtime_ns)
        if now in (cache.seen, cache.trusted) or cache.offset == 0:
            return True
        return _crc(fd, cache.offset) == cache.crc

    def _take_data(self, data: bytes, cache: _Cache) -> None:
        end = data.rfind(b"\n") + 1  # a last line without its newline is not complete yet
        if end == 0:
            return
        for raw in data[:end].split(b"\n")[:-1]:
            cache.line_no += 1
            self._take_line(raw, cache)
        cache.offset += end
        cache.crc = zlib.crc32(memoryview(data)[:end], cache.crc)

    def _take_line(self, raw: bytes, cache: _Cache) -> None:
        first = cache.line_no == 1
        result = self.kind.read_line(raw, first)
        if result is None:
            return
        if isinstance(result, str):
            self._problem(cache, result)
            return
        if first:
            self._problem(cache, "no header line; read as a record")
        cache.records.append(result)

    def _problem(self, cache: _Cache, message: str) -> None:
        cache.problem_count += 1
        if len(cache.problems) < MAX_PROBLEMS:
            cache.problems.append(f"{self.path.name} line {cache.line_no}: {message}")


class Locked:
    """A store whose lock is held (see `AppendOnlyCsv.locked`)."""

    def __init__(self, store: AppendOnlyCsv):
        self.store = store

    def read(self) -> Snapshot:
        """The records as they are on disk now (nobody else can append meanwhile)."""
        return self.store.read()

    @writer
    def append(self, rows: Sequence[Sequence[str]]) -> None:
        """Append whole lines in one write and fsync, under the lock already held."""
        if not rows:
            return
        payload = "".join(format_line(row) for row in rows).encode("utf-8")
        try:
            self.store._append_locked(payload)
        except NotAFile as exc:
            raise StoreWriteError(f"Not saved: {exc.strerror}") from exc
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise StoreWriteError(f"Could not save to {self.store.path}: {reason}") from exc


def signature(paths: Sequence[Path]) -> tuple:
    """What the files are now (inode, size, modification time; None if missing): cheap to
    take every few seconds, and it changes whenever any of them is written or replaced."""
    out = []
    for path in paths:
        try:
            st = os.stat(path)
            out.append((st.st_ino, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append(None)
    return tuple(out)


def _crc(fd: int, size: int, chunk: int = 1 << 20) -> int:
    """zlib.crc32 of the file's first `size` bytes, read a chunk at a time."""
    crc, offset = 0, 0
    while offset < size:
        data = os.pread(fd, min(chunk, size - offset), offset)
        if not data:
            break
        crc = zlib.crc32(data, crc)
        offset += len(data)
    return crc


def _unsafe(cell: str) -> bool:
    return cell.startswith(fields.FORMULA_START) or "\r" in cell


CR_LOOK = 1 << 16  # bytes looked at before an append, for lines ended by a CR alone
CR_ONLY = (
    "its lines end with a carriage return alone (as old Mac programs save CSV), which "
    "hipdash does not read: save it again with LF or CRLF line endings; nothing is added "
    "to it until then"
)


def _cr_only(tail: bytes) -> bool:
    """Whether the bytes after a file's last newline hold a line ended by a carriage return
    alone: a CR before their last byte (a CRLF cut after its CR is only a torn line), and
    outside quotes (a quoted cell another program wrote may hold one, `fields.decode_text`)."""
    rest = tail[tail.rfind(b"\n") + 1 : -1]
    return b"\r" in rest and any(b"\r" in part for part in rest.split(b'"')[::2])


def _shorten(line: str) -> str:
    return repr(line if len(line) <= 80 else line[:77] + "...")


def fsync_dir(directory: Path) -> None:
    """Make a newly created file's directory entry durable too (best effort)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
