"""What an imported note shows on the pages: the routine's own links under its title on
Today, and the same in the Routines page's preview."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from hipdash.importing import plan_import, save

from . import component as cards
from .conftest import open_app, plain

NOTE = Path(__file__).parent / "fixtures" / "notes" / "knee-rehab-with-videos.md"
LINK = "[The whole routine as one video](https://youtu.be/Lm4Nb6Vc5Xz) ↗"


def markdown_texts(at: AppTest) -> list[str]:
    return [plain(m.value) for m in at.markdown]


def test_the_routines_links_are_under_its_title_on_today(tmp_path, monkeypatch):
    routines = tmp_path / "routines"
    save(plan_import(NOTE.read_bytes(), NOTE.name, routines))
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(routines))
    at = open_app()
    assert not at.exception
    top = cards.data(at)["top"]
    assert top["title"] == "Knee & hip rehab"
    # Right under the title, before the date and the cards (today.js draws them in order).
    assert top["links"] == [
        {"title": "The whole routine as one video", "url": "https://youtu.be/Lm4Nb6Vc5Xz"}
    ]


def import_tab() -> AppTest:
    at = open_app("pages/routines.py", {"view": "Import"})
    at.file_uploader(key="hd_note_upload-0").upload(
        NOTE.name, NOTE.read_bytes(), "text/markdown"
    ).run()
    assert not at.exception
    return at


def test_the_import_preview_shows_them_too(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path / "routines"))
    assert LINK in markdown_texts(import_tab())


def test_the_preview_offers_each_list_left_out_unticked_and_keeps_the_ticked_ones(
    tmp_path, monkeypatch, data_dir
):
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path / "routines"))
    at = import_tab()
    boxes = {plain(c.label): c for c in at.checkbox if c.key.startswith("hd-inc-0-")}
    left = [
        "Keep “Notes” (2 items, line 5): looks like notes or disclaimers",
        "Keep “Equipment” (2 items, line 9): looks like an equipment list",
        "Keep “Muscles worked” (2 items, line 36): looks like a list of muscles",
        "Keep “Diet” (2 items, line 41): looks like a diet or nutrition list",
    ]
    assert [label for label in boxes if label.startswith("Keep")] == left
    assert [boxes[label].value for label in left] == [False] * 4  # offered, unticked
    items = [c for c in at.checkbox if c.key.endswith("--off")]  # their items: shown, off
    assert len(items) == 8 and all(c.disabled and not c.value for c in items)
    assert [label for label, box in boxes.items() if box.value] == ["**Routine**"]
    assert "**Knee & hip rehab** · 1 section · 5 exercises · 6 items · 4 videos" in markdown_texts(
        at
    )

    boxes[left[1]].check().run()  # keep Equipment
    assert not at.exception
    assert "**Knee & hip rehab** · 2 sections · 7 exercises · 8 items · 4 videos" in markdown_texts(
        at
    )
    at.button(key="hd_import_save").click().run()
    saved = (data_dir / "routines" / "knee-rehab-with-videos.yaml").read_text()
    assert "title: Equipment" in saved and "title: Diet" not in saved


def test_a_note_of_lists_left_out_only_saves_nothing_until_one_is_ticked(
    tmp_path, monkeypatch, data_dir
):
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path / "routines"))
    at = open_app("pages/routines.py", {"view": "Import"})
    text = b"## Equipment\n- Mat\n## Diet\n- Water\n"
    at.file_uploader(key="hd_note_upload-0").upload("gear.md", text, "text/markdown").run()
    assert not at.exception
    assert [plain(w.value) for w in at.warning] == [
        "nothing is left to save: tick at least one exercise"
    ]
    assert "hd_import_save" not in [b.key for b in at.button]
    (equipment,) = [c for c in at.checkbox if "Equipment" in c.label and c.key.startswith("hd-inc")]
    equipment.check().run()
    at.button(key="hd_import_save").click().run()
    saved = (data_dir / "routines" / "gear.yaml").read_text()
    assert "title: Equipment" in saved and "Diet" not in saved
