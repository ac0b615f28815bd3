"""A note is bounded before it is parsed: at most 256 KB and 250 list items, refused
clearly past either (reproduction: a 169 KB note of 20,000 items took 134 s to preview, a
0.8 MB one never rendered, and a 286 KB note imported to a 1 MB YAML file the app then
refused as too large); the largest note within them is previewed within 2 s of CPU (a
resource limit on a child process)."""

from __future__ import annotations

import pytest

from hipdash import importing
from hipdash.__main__ import main
from hipdash.importing import ImportRefused, plan_import

from .bounded import run_bounded
from .conftest import plain


def note(items: int, per_section: int = 25, words: int = 1) -> str:
    lines = ["# Big plan", ""]
    for s in range(-(-items // per_section)):
        lines += [f"## Part {s}", ""]
        count = min(per_section, items - s * per_section)
        lines += [f"- Exercise {s}-{i} — 3 × 10" + " and" * words for i in range(count)]
        lines.append("")
    return "\n".join(lines)


TWENTY_THOUSAND = note(20_000)  # 0.5 MB: too many items and too large
MANY = "# Plan\n" + "- Squat\n" * 20_000  # 160 KB: too many items only
LONG = "# Plan\n- Squat\n" + "Prose. " * 120_000  # 0.8 MB: too large only


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        (MANY, "big.md: 20,000 list items; a note can have at most 250"),
        (LONG, "big.md: too large (840,015 bytes); a note can be at most 256 KB"),
        (TWENTY_THOUSAND, "a note can be at most 256 KB"),
    ],
    ids=["items", "size", "both"],
)
def test_a_note_past_the_bounds_is_refused_before_it_is_parsed(text, refusal, tmp_path, capsys):
    with pytest.raises(ImportRefused) as refused:
        plan_import(text.encode(), "big.md", tmp_path)
    assert refusal in str(refused.value)
    path = tmp_path / "big.md"
    path.write_text(text)
    assert main(["import", "--dry-run", str(path)]) == 1
    assert refusal.split(": ")[-1] in capsys.readouterr().err


def test_the_import_tab_refuses_it_with_the_reason(app_page):
    at = app_page("pages/routines.py")
    at.query_params["view"] = "Import"
    (upload,) = at.run().get("file_uploader")
    at.file_uploader(key=upload.key).upload("big.md", MANY.encode(), "text/markdown").run()
    assert not at.exception
    (error,) = [plain(e.value) for e in at.error]
    assert "20,000 list items; a note can have at most 250" in error


def test_the_largest_note_within_the_bounds_imports(tmp_path):
    text = note(importing.MAX_NOTE_ITEMS, words=245)
    assert importing.MAX_NOTE_BYTES * 0.9 < len(text.encode()) <= importing.MAX_NOTE_BYTES
    plan = plan_import(text.encode(), "big.md", tmp_path)
    assert sum(len(s.exercises) for s in plan.routine.sections) == importing.MAX_NOTE_ITEMS


def test_a_note_whose_routine_would_be_too_large_a_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(importing.plan, "MAX_FILE_BYTES", 2_000)
    with pytest.raises(ImportRefused, match="the routine would be too large a file"):
        plan_import(note(40).encode(), "big.md", tmp_path)


PREVIEW_SETUP = r"""
import os, sys
from streamlit.testing.v1 import AppTest
os.environ["HIPDASH_DATA_DIR"] = sys.argv[5]
raw = open(sys.argv[6], "rb").read()
at = AppTest.from_file(sys.argv[7], default_timeout=120)
at.switch_page("pages/routines.py")
at.query_params["view"] = "Import"
at.run()  # every module the preview needs is loaded: the body is the preview alone
key = at.get("file_uploader")[0].key
"""
PREVIEW = r"""
at.file_uploader(key=key).upload("big.md", raw, "text/markdown").run()
result = [bool(at.exception), len(at.checkbox), [e.value for e in at.error]]
"""


def test_the_largest_note_is_previewed_within_two_seconds(tmp_path, figures):
    from .conftest import PROJECT

    path = tmp_path / "big.md"
    path.write_text(note(importing.MAX_NOTE_ITEMS, words=245))
    args = (str(tmp_path / "data"), str(path), str(PROJECT / "app.py"))
    done = run_bounded(PREVIEW_SETUP, PREVIEW, cpu_seconds=2, memory_mb=256, args=args)
    failed, boxes, errors = done.result
    assert not failed and not errors, errors
    assert boxes >= importing.MAX_NOTE_ITEMS  # a box per exercise (and per section)
    figures.append(
        f"import preview of the largest note allowed ({path.stat().st_size // 1024} KB, "
        f"{importing.MAX_NOTE_ITEMS} items): {done.cpu:.2f} s CPU on the server (limit 2 s)"
    )
