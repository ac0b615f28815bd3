"""What an imported note shows on the pages: the routine's own links under its title on
Today, and the same in the Routines page's preview."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from hipdash.importing import plan_import, save

from .conftest import plain

NOTE = Path(__file__).parent / "fixtures" / "notes" / "knee-rehab-with-videos.md"
LINK = "[The whole routine as one video](https://youtu.be/Lm4Nb6Vc5Xz) ↗"


def markdown_texts(at: AppTest) -> list[str]:
    return [plain(m.value) for m in at.markdown]


def test_the_routines_links_are_under_its_title_on_today(app_page, tmp_path, monkeypatch):
    routines = tmp_path / "routines"
    save(plan_import(NOTE.read_bytes(), NOTE.name, routines))
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(routines))
    at = app_page()
    assert not at.exception
    assert at.header[0].value == "Knee & hip rehab"
    # Right under the title and target: the first text on the page, before any card.
    assert plain(at.markdown[0].value) == LINK


def test_the_import_preview_shows_them_too(app_page, tmp_path, monkeypatch):
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path / "routines"))
    at = app_page("pages/routines.py")
    at.file_uploader(key="hd_note_upload-0").upload(
        NOTE.name, NOTE.read_bytes(), "text/markdown"
    ).run()
    assert not at.exception
    assert LINK in markdown_texts(at)


def test_the_preview_offers_each_list_left_out_unticked_and_keeps_the_ticked_ones(
    app_page, tmp_path, monkeypatch
):
    routines = tmp_path / "routines"
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(routines))
    at = app_page("pages/routines.py")
    at.file_uploader(key="hd_note_upload-0").upload(
        NOTE.name, NOTE.read_bytes(), "text/markdown"
    ).run()
    assert "**4 lists left out**, not exercises by the look of them:" in markdown_texts(at)
    offered = [c for c in at.checkbox if not c.disabled]
    assert [(plain(c.label), c.value) for c in offered] == [
        ("Keep “Notes” (2 items, line 5): looks like notes or disclaimers", False),
        ("Keep “Equipment” (2 items, line 9): looks like an equipment list", False),
        ("Keep “Muscles worked” (2 items, line 36): looks like a list of muscles", False),
        ("Keep “Diet” (2 items, line 41): looks like a diet or nutrition list", False),
    ]
    assert "**Knee & hip rehab** · 2 sections · 6 exercises · 7 items · 5 videos" in markdown_texts(
        at
    )

    offered[1].check().run()  # keep Equipment
    assert not at.exception
    assert "**Knee & hip rehab** · 3 sections · 8 exercises · 9 items · 5 videos" in markdown_texts(
        at
    )
    assert [s.value for s in at.subheader][-3:] == ["Equipment", "Routine", "Videos"]
    at.button(key="hd_import_save").click().run()
    saved = (routines / "knee-rehab-with-videos.yaml").read_text()
    assert "title: Equipment" in saved and "title: Diet" not in saved
