"""Backup zips that are damaged, odd or bombs: each refused with the member's name, from
the zip's own directory before any work where it can be, within a second and tens of MB
(asserted by resource limits on a child process), on the command line and the Backup
page alike; and the largest backup the bounds allow is refused within a few seconds."""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
import zlib

import pytest

from hipdash.__main__ import main
from hipdash.backup import BackupError, read_backup

from .bounded import run_bounded
from .conftest import VALID, crafted_backup, open_app, plain

HEADER = b"recorded_at,session_date,routine,item,done\n"
LINE = b"2026-11-24T10:00:00+00:00,2026-11-24,hip-therapy-routine-1,release/cat-cow,1\n"
MB = 2**20


def deflated_zip(members: dict[str, tuple[bytes, int, bytes]]) -> bytes:
    """A real zip whose members are `chunk * repeats + tail`, made without compressing all
    of it: after a full flush each chunk compresses to the same bytes, so a member of
    hundreds of MB costs one chunk's compression (which is how a small zip holds a bomb)."""
    out, central = io.BytesIO(), []
    for name, (chunk, repeats, tail) in members.items():
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
        data = block * repeats + deflate.compress(tail) + deflate.flush()
        crc = 0
        for _ in range(repeats):
            crc = zlib.crc32(chunk, crc)
        crc, size, raw_name = zlib.crc32(tail, crc), len(chunk) * repeats + len(tail), name.encode()
        sizes = (crc, len(data), size, len(raw_name))
        local = struct.pack("<5H3I2H", 20, 0, 8, 0, 0, *sizes, 0)
        entry = struct.pack("<6H3I5H2I", 20, 20, 0, 8, 0, 0, *sizes, 0, 0, 0, 0, 0, out.tell())
        out.write(b"PK\x03\x04" + local + raw_name + data)
        central.append(b"PK\x01\x02" + entry + raw_name)
    start, directory = out.tell(), b"".join(central)
    end = struct.pack("<4H2IH", 0, 0, len(central), len(central), len(directory), start, 0)
    return out.getvalue() + directory + b"PK\x05\x06" + end


def test_deflated_zip_makes_the_zip_it_says():
    raw = deflated_zip({"a.csv": (b"xy\n", 4, b"z")})
    assert zipfile.ZipFile(io.BytesIO(raw)).read("a.csv") == b"xy\n" * 4 + b"z"


# -- damaged and odd zips ---------------------------------------------------------------


def _good() -> bytes:
    return crafted_backup({"checkoffs.csv": HEADER + LINE})


def _patched(raw: bytes, old: bytes, new: bytes, count: int = 1) -> bytes:
    assert raw.count(old) >= count
    return raw.replace(old, new, count)


def _stored_with_a_bad_crc() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("checkoffs.csv", HEADER + LINE)
        zf.writestr("manifest.json", zipfile.ZipFile(io.BytesIO(_good())).read("manifest.json"))
    return _patched(buffer.getvalue(), b"release/cat-cow", b"release/cat-coW")


def _flags(raw: bytes, flag: int, method: int | None = None) -> bytes:
    """Every header of checkoffs.csv given `flag` (and compression `method`)."""
    out = bytearray(raw)
    for signature, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = out.find(signature)
        while pos >= 0:
            if b"checkoffs.csv" in out[pos : pos + 80]:
                struct.pack_into("<H", out, pos + at, flag)
                if method is not None:
                    struct.pack_into("<H", out, pos + at + 2, method)
            pos = out.find(signature, pos + 4)
    return bytes(out)


def _local_name() -> bytes:
    raw = _good()
    at = raw.find(b"checkoffs.csv")  # the first one is in the local header
    return raw[:at] + b"checkoffs.csX" + raw[at + 13 :]


def _zip(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as zf:
        warnings.simplefilter("ignore")  # a duplicate name
        for name, data in members:
            zf.writestr(name, data)
    return buffer.getvalue()


DAMAGED = {
    "a bad CRC": (_stored_with_a_bad_crc, "checkoffs.csv cannot be read (Bad CRC-32"),
    "the encrypted flag": (lambda: _flags(_good(), 0x1), "checkoffs.csv is encrypted"),
    "compression method 99": (
        lambda: _flags(_good(), 0, 99),
        "checkoffs.csv uses a compression hipdash does not read",
    ),
    "a local header of another name": (_local_name, "checkoffs.csv cannot be read (File name"),
    "a manifest 100,000 deep": (
        lambda: _zip(("manifest.json", b"[" * 100_000 + b"]" * 100_000)),
        "manifest.json is not JSON",
    ),
    "a name ending in a newline": (
        lambda: crafted_backup({"routines/nl.yaml\n": VALID.encode()}),
        "unexpected file 'routines/nl.yaml\\n'",
    ),
    "a name twice": (
        lambda: _zip(("checkoffs.csv", HEADER), ("checkoffs.csv", HEADER + LINE)),
        "checkoffs.csv is in it twice",
    ),
}


@pytest.mark.parametrize("case", DAMAGED)
def test_a_damaged_or_odd_zip_is_refused_with_its_members_name(case, data_dir, tmp_path, capsys):
    """Reproduction: raw BadZipFile, RuntimeError, NotImplementedError and RecursionError
    on the CLI and the Backup page; `routines/nl.yaml\\n` passed the name check (a regex
    `$`) and was written with a newline in its name."""
    make, expected = DAMAGED[case]
    raw = make()
    with pytest.raises(BackupError) as caught:
        read_backup(raw)
    assert expected in str(caught.value)
    zipped = tmp_path / "b.zip"
    zipped.write_bytes(raw)
    assert main(["restore", str(zipped)]) == 1
    said = capsys.readouterr().err
    assert expected in said and "nothing was changed" in said
    assert not data_dir.exists() or not any(data_dir.iterdir())


def test_the_backup_page_refuses_each_with_its_name(bundled, data_dir):
    at = open_app("pages/backup.py")
    for case, (make, expected) in DAMAGED.items():
        at.file_uploader(key="hd_backup_upload-0").upload("b.zip", make(), "application/zip")
        at.run()
        assert not at.exception, case
        (error,) = [plain(e.value) for e in at.error]
        assert "b.zip cannot be restored:" in error and "Nothing was changed" in error, case
        assert expected.replace("\\n", "") in error.replace("\\n", ""), (case, error)


# -- bombs: refused from the directory, before any work ----------------------------------

BOMB_SETUP = r"""
import contextlib, io, sys
from pathlib import Path
from hipdash.backup import archive as backup
from hipdash.__main__ import main

def restore(path):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["restore", path])
    return [code, err.getvalue()]
"""


def _csv_bomb() -> bytes:
    """The four ~199 MB logs of one line repeated, a bad last line each (2.9 MB zipped)."""
    chunk = LINE * (MB // len(LINE))
    files = {name: (chunk, 199, b"=cmd|' /C calc'!A0\n") for name in ("checkoffs.csv",)}
    files |= {n: (chunk, 199, b"junk\n") for n in ("sessions.csv", "days.csv", "feelings.csv")}
    files["manifest.json"] = (b"", 0, b'{"format": "hipdash-backup", "version": 2, "files": {}}')
    return deflated_zip(files)


def _routines_bomb() -> bytes:
    """250 routine files of 1 MB each (a long comment after a valid routine)."""
    body = VALID.encode() + b"#" * (MB - len(VALID) - 1) + b"\n"
    files = {f"routines/r{n}.yaml": (body, 1, b"") for n in range(250)}
    files["manifest.json"] = (b"", 0, b'{"format": "hipdash-backup", "version": 2, "files": {}}')
    return deflated_zip(files)


def test_zip_bombs_are_refused_in_well_under_a_second_and_tens_of_mb(data_dir, tmp_path, figures):
    """Reproduction: a 2.7 MB zip of four ~199 MB CSVs (one bad last line) took 80 s of CPU
    and 1.76 GB before refusal; 250 routine files of 1 MB (a 316 KB zip) took 121 s. Here
    a child process may use 1 s of CPU and 32 MB more memory (RLIMIT_CPU, RLIMIT_AS)."""
    bombs = {"csv": _csv_bomb(), "routines": _routines_bomb()}
    for name, raw in bombs.items():
        (tmp_path / f"{name}.zip").write_bytes(raw)
    body = "result = {n: restore(sys.argv[5] + f'/{n}.zip') for n in ('csv', 'routines')}"
    done = run_bounded(
        BOMB_SETUP,
        body,
        cpu_seconds=1,
        memory_mb=32,
        args=(str(tmp_path),),
        env={"HIPDASH_DATA_DIR": str(data_dir)},
    )
    (code, said), (code2, said2) = done.result["csv"], done.result["routines"]
    assert code == code2 == 1
    assert "checkoffs.csv is too large (208,653,310 bytes)" in said
    assert "nothing was changed" in said
    assert "compressed too well" in said2 or "too large together" in said2, said2
    assert not data_dir.exists()
    figures.append(
        f"zip bombs: {len(bombs['csv']) / MB:.1f} MB zip of 4 x 199 MB logs and "
        f"{len(bombs['routines']) / 1024:.0f} KB zip of 250 x 1 MB routines refused in "
        f"{done.cpu:.2f} s CPU together, +{done.rss_mb:.0f} MB (limits 1 s, 32 MB)"
    )


def test_a_backup_the_app_makes_is_always_one_it_restores(data_dir, bundled, monkeypatch, capsys):
    """Data too large together for a backup is said before the download and by `export`,
    never made into a zip that a restore would refuse."""
    from hipdash.backup import archive as backup

    data_dir.mkdir()
    (data_dir / "checkoffs.csv").write_bytes(HEADER + LINE * 15)  # 1,198 bytes, every line good
    monkeypatch.setattr(backup, "MAX_TOTAL_BYTES", 1_000)
    assert backup.export_problems(data_dir) == [
        "the data files are too large together for a backup (1,198 bytes)"
    ]
    assert main(["export", str(data_dir.parent / "b.zip")]) == 1
    assert "too large together for a backup" in capsys.readouterr().err
    assert not (data_dir.parent / "b.zip").exists()
