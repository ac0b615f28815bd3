"""The file uploader, made usable by everyone: the limit said in words under it, and a fix
for one accessibility fault in Streamlit's own markup, until Streamlit fixes it.

Streamlit says a file's size limit only in a tooltip on the file it refused (a red "!",
which a phone cannot hover), so `upload_limit` says it in text under the uploader.

The file uploader's drop zone is a `<section role="presentation">` that is also focusable
and labelled, which axe-core reports (presentation-role-conflict): a screen reader is told
to ignore an element that takes focus. In the browser, this gives it the role `group`
(labelled, focusable: fine) and keeps it so when Streamlit redraws the uploader.
"""

from __future__ import annotations

import streamlit as st

_JS = """
export default function () {
  const fix = () => document
    .querySelectorAll('[data-testid="stFileUploaderDropzone"][role="presentation"]')
    .forEach((el) => el.setAttribute("role", "group"));
  fix();
  if (!window.__hdUploaderRole) {
    window.__hdUploaderRole = new MutationObserver(fix);
    window.__hdUploaderRole.observe(document.body, {
      subtree: true, childList: true, attributes: true, attributeFilter: ["role"],
    });
  }
}
"""
_fix = st.components.v2.component("hipdash_uploader_role", js=_JS, isolate_styles=False)


def uploader_role() -> None:
    """Call once on a page with a file uploader."""
    _fix(key="hd-uploader-role", height=0)


NOT_SENT = "A larger file is not sent: it shows with a red “!”."


def upload_limit(what: str, larger: str = NOT_SENT) -> None:
    """Under an uploader: what it takes, and what happens to a file too large."""
    st.caption(f"{what}. {larger}")
