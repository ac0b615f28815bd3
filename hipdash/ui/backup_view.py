"""The Backup page: download everything in one zip; restore one after seeing what it holds
and what it would replace, and saying so.

The zip is made when the button is pressed (the files as they are then). An uploaded
backup is checked whole by `hipdash.backup.read_backup` (manifest, checksums, every line
with the app's parsers, every routine with the routine loader) before anything is shown
as restorable; the restore itself moves the files it replaces into a folder of their own.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import streamlit as st

from hipdash import backup, config
from hipdash.backup.summary import Summary, current_files, restored, summarize, when
from hipdash.library import library_signature
from hipdash.markup import md_escape, md_list
from hipdash.ui import a11y, keys, tab_state

MAX_UPLOAD_MB = backup.MAX_ZIP_BYTES // 2**20  # Streamlit counts a MB as 1024 x 1024 bytes


def _signature(data_dir: Path) -> tuple:
    stamps = []
    for name in backup.FILES:
        try:
            info = (data_dir / name).lstat()
        except OSError:
            continue
        stamps.append((name, info.st_size, info.st_mtime_ns, info.st_ino))
    return (*stamps, *library_signature(data_dir, config.routines_dir()))


@st.cache_resource(show_spinner=False, max_entries=4)
def _summary_now(data_dir: str, signature: tuple, share: float) -> Summary:
    return summarize(current_files(Path(data_dir)), config.routines_dir(), share)


def summary_now(data_dir: Path) -> Summary:
    """What the data dir holds now (read again whenever one of its files changes)."""
    return _summary_now(str(data_dir), _signature(data_dir), config.session_share())


def _list(summary: Summary, problems: list[str] = ()) -> str:
    """The summary's lines, and a line for each data file it could not count."""
    return md_list([*summary.lines(), *(f"{why}: not counted" for why in problems)])


def _not_a_folder(data_dir: Path) -> bool:
    return data_dir.exists() and not data_dir.is_dir()


def _what_now(data_dir: Path) -> str:
    """What can still be done when no backup can be made."""
    if _not_a_folder(data_dir):
        return (
            "Point HIPDASH_DATA_DIR at a folder (or start hipdash with `hipdash serve "
            "--data-dir FOLDER`) and open this page again."
        )
    return (
        "Once hipdash can read it again (check the owner and permissions of what is named), the "
        "download works. Until then the other pages show what they can read, and a backup "
        "can still be restored below: the files there now are moved aside, never deleted."
    )


def download_button(data_dir: Path, today: date, label: str, problems: list[str], **style) -> None:
    """The backup's download button (the Backup page's, and Progress's "All data"): the
    zip is made only when it is pressed. Off when `problems` (`backup.export_problems`)
    say it cannot be made: the download would fail in the browser without a word."""
    st.download_button(
        label,
        lambda: backup.make_backup(data_dir),
        file_name=backup.file_name(today),
        mime="application/zip",
        on_click="ignore",
        disabled=bool(problems),
        **style,
    )


def download_panel(data_dir: Path, today: date) -> None:
    st.subheader("Download a backup", anchor=False)
    st.caption(
        "Everything hipdash keeps for you in one zip: every tick and un-tick, session "
        "details, marked days, how exercises felt, and your routines with their previous "
        "versions. Made when you press the button, straight to this device's downloads. A "
        "line hipdash cannot read stays in its file but is left out (a warning above names it)."
    )
    problems = backup.export_problems(data_dir)
    if problems:
        why = md_escape("; ".join(problems))
        st.error(
            f"**No backup can be made:** {why}. Nothing was written. {_what_now(data_dir)}",
            icon="❌",
        )
    download_button(
        data_dir,
        today,
        "Download backup (.zip)",
        problems,
        type="primary",
        width="stretch",
        key="hd-backup-download",
    )
    st.markdown("**You have now**")
    st.markdown(_list(summary_now(data_dir), problems))


def restore_panel(data_dir: Path) -> None:
    st.subheader("Restore a backup", anchor=False)
    st.caption(
        "Upload a backup made by hipdash (here or with `python -m hipdash export`). You see "
        "what it holds and what it replaces before anything changes. The files it replaces "
        "are moved into a folder of their own in the data folder: nothing is deleted."
    )
    done = st.session_state.pop(keys.RESTORE_DONE, None)
    if done:
        st.success(md_escape(done), icon="✅")
        tab_state.forget_all()
    failed = st.session_state.pop(keys.RESTORE_FAILED, None)
    if failed:
        st.error(md_escape(failed), icon="❌")
    if _not_a_folder(data_dir):
        st.info("Nothing can be restored into the data folder while it is a file.")
        return
    nonce = st.session_state.get(keys.BACKUP_NONCE, 0)
    a11y.uploader_role()
    upload = st.file_uploader(
        "Backup (.zip)",
        type=["zip"],
        key=f"{keys.BACKUP_UPLOAD}-{nonce}",
        max_upload_size=MAX_UPLOAD_MB,
    )
    a11y.upload_limit(f"A backup .zip of at most {MAX_UPLOAD_MB} MB")
    if upload is None:
        st.session_state.pop(keys.BACKUP_CHECKED, None)
        return
    raw = upload.getvalue()
    held = _checked(raw, upload.name)
    if held is None:
        return
    st.markdown("**This backup holds**")
    st.markdown(_list(held))
    now = summary_now(data_dir)
    st.markdown("**It replaces what you have now**")
    st.markdown(_list(now, backup.export_problems(data_dir)))
    if now.changed and (held.changed is None or now.changed > held.changed):
        st.warning(
            f"**You have changes newer than anything in this backup** (the latest "
            f"{when(now.changed)}). Restoring moves them into a folder of their own in the "
            "data folder: kept, but no longer shown.",
            icon="⚠️",
        )
    sure = st.checkbox("Replace my data with this backup", key=f"hd-restore-ok-{nonce}")
    st.button(
        "Restore",
        key="hd-restore",
        type="primary",
        width="stretch",
        disabled=not sure,
        on_click=_restore,
        args=(raw, upload.name),
    )


def _checked(raw: bytes, name: str) -> Summary | None:
    """The summary of a valid backup (checked once per upload), or None with why not."""
    digest = hashlib.sha256(raw).hexdigest()
    kept = st.session_state.get(keys.BACKUP_CHECKED)
    if kept is not None and kept[0] == digest:
        return kept[1]
    try:
        files = backup.read_backup(raw)
    except backup.BackupError as exc:
        st.error(
            f"**{md_escape(name)} cannot be restored:** {md_escape(str(exc))}. "
            "Nothing was changed.",
            icon="❌",
        )
        return None
    held = summarize(files, config.routines_dir(), config.session_share())
    st.session_state[keys.BACKUP_CHECKED] = (digest, held)
    return held


def _restore(raw: bytes, name: str) -> None:
    """on_click: restore (the backup is checked again, under the locks, as it is put back)."""
    data_dir = config.data_dir()
    try:
        result = backup.restore_backup(raw, data_dir)
    except backup.RestoreFailed as exc:
        st.session_state[keys.RESTORE_FAILED] = str(exc.strerror or exc)
        return
    except (backup.BackupError, OSError) as exc:
        st.session_state[keys.RESTORE_FAILED] = (
            f"{name} was not restored: {exc}. Nothing was changed."
        )
        return
    st.session_state[keys.RESTORE_DONE] = restored(result, name, data_dir)
    st.session_state[keys.BACKUP_NONCE] = st.session_state.get(keys.BACKUP_NONCE, 0) + 1
    st.session_state.pop(keys.BACKUP_CHECKED, None)
