"""What an imported note shows on the pages: the routine's own links under its title on
Today, and the same in the Routines page's preview."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from hipdash.importing import plan_import, save

from .conftest import PROJECT, plain

NOTE = Path(__file__).parent / "fixtures" / "notes" / "knee-rehab-with-videos.md"
LINK = "[The whole routine as one video](https://youtu.be/Lm4Nb6Vc5Xz) ↗"


def markdown_texts(at: AppTest) -> list[str]:
    return [plain(m.value) for m in at.markdown]


def test_the_routines_links_are_under_its_title_on_today(tmp_path, monkeypatch):
    routines = tmp_path / "routines"
    save(plan_import(NOTE.read_bytes(), NOTE.name, routines))
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(routines))
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert at.header[0].value == "Knee & hip rehab"
    # Right under the title and target: the first text on the page, before any card.
    assert plain(at.markdown[0].value) == LINK


def test_the_import_preview_shows_them_too(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path / "routines"))
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=30).run()
    at.switch_page("pages/routines.py").run()
    at.file_uploader(key="hd_note_upload-0").upload(
        NOTE.name, NOTE.read_bytes(), "text/markdown"
    ).run()
    assert not at.exception
    assert LINK in markdown_texts(at)
