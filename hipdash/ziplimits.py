"""A zip handed to hipdash, bounded before any work is done on it.

A zip says in its central directory (at its end) how many members it has and how large
each is uncompressed. Those figures are checked first, from the raw bytes, before
`zipfile` builds a list of the members (a directory of millions of tiny entries costs
seconds and hundreds of MB by itself) and before a single member is decompressed:

* the number of members and the directory's size, read from the end record by hand;
* each member's name, matched whole (`allowed` decides), never twice;
* each member's uncompressed size, all of them together, and how much smaller it is
  compressed (a ratio no real file reaches is a bomb);
* no encryption, no compression but stored and deflated.

Decompressing a member then stops at the size its directory entry gives, and every error
`zipfile` or `zlib` can raise is refused with the member's name (`ZipRefused`).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

_END = b"PK\x05\x06"
_END_SIZE = 22
_ENTRY_MIN = 46  # a central directory entry without its name
_ENTRY_MAX = 1024  # a generous entry: 46 bytes, a name, an extra field
_RATIO_FROM = 64 * 1024  # smaller members may compress any amount (an empty log)


class ZipRefused(ValueError):
    """Not a zip within the limits; the message says what, naming the member."""


@dataclass(frozen=True)
class Limits:
    zip_bytes: int  # the zip itself
    members: int
    total: int  # all members uncompressed
    ratio: int  # uncompressed / compressed, for members over 64 KB
    member: Callable[[str], int | None]  # a name's size limit; None: not a name allowed


def over_ratio(info: zipfile.ZipInfo, ratio: int) -> bool:
    """Whether a member (over 64 KB) is more than `ratio` times smaller compressed."""
    return info.file_size > _RATIO_FROM and info.file_size > info.compress_size * ratio


def open_checked(raw: bytes, limits: Limits) -> zipfile.ZipFile:
    """The zip, once everything its directory says is within `limits`; ZipRefused if not."""
    if len(raw) > limits.zip_bytes:
        raise ZipRefused(f"the file is too large ({len(raw):,} bytes)")
    _check_end_record(raw, limits)
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, struct.error) as exc:
        raise ZipRefused(f"not a zip file ({exc})") from None
    try:
        _check_members(zf.infolist(), limits)
    except ZipRefused:
        zf.close()
        raise
    return zf


def _check_end_record(raw: bytes, limits: Limits) -> None:
    """The member count and directory size of the end record, before zipfile reads it."""
    at = raw.rfind(_END, max(0, len(raw) - _END_SIZE - 0xFFFF))
    if at < 0 or len(raw) - at < _END_SIZE:
        raise ZipRefused("not a zip file")
    disk, start_disk, here, count, size, _offset = struct.unpack("<4HII", raw[at + 4 : at + 20])
    if disk or start_disk or here != count:
        raise ZipRefused("a zip in several parts")
    if count == 0xFFFF or size == 0xFFFFFFFF:
        raise ZipRefused("a Zip64 archive (far larger than any backup)")
    if count > limits.members:
        raise ZipRefused(f"it holds {count:,} files (at most {limits.members:,})")
    if size > count * _ENTRY_MAX or size < count * _ENTRY_MIN:
        raise ZipRefused("its directory does not match its number of files")


def _check_members(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.members:
        raise ZipRefused(f"it holds {len(infos):,} files (at most {limits.members:,})")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        limit = limits.member(name)
        if limit is None:
            raise ZipRefused(f"unexpected file {name!r}")
        if name in seen:
            raise ZipRefused(f"{name} is in it twice")
        seen.add(name)
        if info.flag_bits & 0x1:
            raise ZipRefused(f"{name} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ZipRefused(f"{name} uses a compression hipdash does not read")
        if info.file_size > limit:
            raise ZipRefused(f"{name} is too large ({info.file_size:,} bytes)")
        if over_ratio(info, limits.ratio):
            raise ZipRefused(f"{name} is compressed too well to be real data (a zip bomb?)")
        total += info.file_size
        if total > limits.total:
            raise ZipRefused(f"its files are too large together (over {limits.total:,} bytes)")


def read_member(zf: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, no more than its directory entry says (checked by `open_checked`);
    ZipRefused naming it for a bad checksum, a damaged stream, a mismatched header."""
    try:
        with zf.open(name) as member:
            return member.read()
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        RuntimeError,
        NotImplementedError,
        struct.error,
    ) as exc:
        raise ZipRefused(f"{name} cannot be read ({exc})") from None
