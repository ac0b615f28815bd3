"""One bad routine file never takes hipdash down. Reproduction: `data/routines/bad.yaml`
with `summary: 2024-02-30` (or a 5,000-digit int, `!!int ''`, `!!bool maybe`,
`!!timestamp 'x'`, a title with a lone surrogate) made every page fail, Routines and
Backup included, and `check`, `report`, `export` crash: the person could neither fix it in
the app nor take a backup. Now each such file is listed with its name and why on Routines
(one line on Today, Progress and the guided view, and in `check`), left out everywhere
else, and carried by a backup as it is."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest

from hipdash import backup

from . import component as cards
from .conftest import NOTE_1, ROUTINE_1, TODAY, VALID, R, crafted_backup, open_app, plain, run_cli

SUMMARY = "title: Mini routine\n"
BAD = {
    "impossible-date": VALID.replace(SUMMARY, SUMMARY + "summary: !!timestamp 2024-02-30\n"),
    "huge-int": VALID.replace(SUMMARY, SUMMARY + "schedule: {minutes: " + "9" * 5000 + "}\n"),
    "empty-int": VALID.replace(SUMMARY, SUMMARY + "summary: !!int ''\n"),
    "maybe": VALID.replace(SUMMARY, SUMMARY + "summary: !!bool maybe\n"),
    "bad-timestamp": VALID.replace(SUMMARY, SUMMARY + "summary: !!timestamp 'x'\n"),
    "surrogate": VALID.replace(SUMMARY, 'title: "T \\ud800"\n'),
}
# The date that is not one and the 5,000-digit number are read as text, by field: as a
# summary, 2024-02-30 is text; as minutes, a number that long is refused by name.
FINE_NOW = VALID.replace(SUMMARY, SUMMARY + "summary: 2024-02-30\n").replace("id: mini", "id: fine")


@pytest.fixture
def bad_files(data_dir, bundled, monkeypatch):
    """Your routines folder with every bad file above, a good routine and one that reads
    fine now; today pinned."""
    monkeypatch.setenv("HIPDASH_TODAY", TODAY.isoformat())
    folder = data_dir / "routines"
    folder.mkdir(parents=True)
    for rid, text in BAD.items():
        (folder / f"{rid}.yaml").write_text(text.replace("id: mini", f"id: {rid}"))
    (folder / "fine.yaml").write_text(FINE_NOW)
    shutil.copy(ROUTINE_1, folder)
    return folder


def test_every_page_works_and_names_each_file_that_cannot_be_used(bad_files):
    at = open_app()
    assert not at.exception
    (line,) = [plain(w.value) for w in at.warning]
    assert line.startswith("6 routine files cannot be used (") and line.endswith("see Routines")
    assert cards.titles(at)  # Today shows a good routine
    for page in ("pages/progress.py", "pages/guided.py", "pages/backup.py"):
        at.switch_page(page).run()
        assert not at.exception, page
    at.switch_page("pages/routines.py").run()
    assert not at.exception
    listed = "\n".join(plain(w.value) for w in at.warning)
    assert listed.startswith("**6 routine files cannot be used.**")
    for rid in BAD:
        assert f"- **{rid}.yaml** in {bad_files}: " in listed, rid
    assert "line 3, column 10: 'x' is not a date" in listed
    assert "schedule.minutes: expected a whole number" in listed
    assert "invalid Unicode character escape" in listed
    titles = [o for s in at.selectbox for o in s.options]
    assert "Mini routine" in titles or any("Mini routine" in str(t) for t in titles)
    at.query_params["view"] = "Import"
    at.run()
    assert not at.exception


def test_every_command_works_and_check_names_each_file(bad_files, data_dir, tmp_path):
    code, said = run_cli("check")
    assert code == 1 and "Traceback" not in said
    for rid in BAD:
        assert f"{bad_files / rid}.yaml: " in said, rid
    assert "ok  fine.yaml: Mini routine" in said and f"ok  {R}.yaml" in said
    assert run_cli("report", "--routine", R, "--out", str(tmp_path / "r.html"))[0] == 0
    assert run_cli("calendar", "--routine", "fine", "--out", str(tmp_path / "c.ics"))[0] == 0
    assert run_cli("import", "--dry-run", str(NOTE_1))[0] == 0
    assert run_cli("where")[0] == 0
    code, said = run_cli("export", str(tmp_path / "b.zip"))
    assert code == 0, said
    for rid in BAD:
        assert f"kept routines/{rid}.yaml as it is, marked: the app cannot use it" in said
    assert run_cli("restore", str(tmp_path / "b.zip"))[0] == 0
    demo = tmp_path / "demo"
    shutil.copytree(bad_files, demo / "routines")
    assert run_cli("demo", "--data-dir", str(demo), "--routine", R, "--weeks", "2")[0] == 0


def test_a_backup_carries_each_file_as_it_is_and_brings_it_back(bad_files, data_dir):
    before = {p.name: p.read_bytes() for p in bad_files.iterdir()}
    raw = backup.make_backup(data_dir)
    assert sorted(backup.listed(raw).unusable) == sorted(f"routines/{rid}.yaml" for rid in BAD)
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        for rid in BAD:
            assert zf.read(f"routines/{rid}.yaml") == before[f"{rid}.yaml"]
    shutil.rmtree(bad_files)
    backup.restore_backup(raw, data_dir)
    assert {p.name: p.read_bytes() for p in bad_files.iterdir()} == before


def test_an_unusable_file_unmarked_in_a_backup_is_refused(data_dir):
    """Reproduction: `restore` accepted a zip holding the lone-surrogate routine unmarked."""
    name = "routines/surrogate.yaml"
    with pytest.raises(backup.BackupError, match="invalid Unicode character escape"):
        backup.read_backup(crafted_backup({name: BAD["surrogate"].encode()}))
