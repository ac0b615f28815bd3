"""Markdown escaping: text from a note or a routine shown as written, never as markup.

Streamlit renders labels, captions and `st.markdown` as markdown (with its own
extras: `:red[...]`, `:material/icon:`, `$math$`), so anything that came from a
note or a routine goes through `md_escape` first and links through `safe_url`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from hipdash.links import label, safe_url

# Any ASCII punctuation may be backslash-escaped in CommonMark. We escape what means
# something inline to markdown or to Streamlit's extensions (`:red[..]`, `:icon:`,
# `$math$`), and what starts a block (a list, a heading) at the start of the text.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~:$])")
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+=>])")
# Streamlit turns `:material/x:`, `:material_x:` and `:streamlit:` into icons even when the
# colons are escaped (it matches them in the raw source and again in the parsed text), and
# Material icons are fetched from Google's font servers. An invisible word joiner after the
# colon keeps the text as written without the icon.
_ICON_CODE = re.compile(r"\\:(?=material(?:/|\\_)|streamlit\\:)")
# GitHub-flavoured markdown makes a link of `www.x.example`, `http(s)://..` and `a@b.example`
# in plain text, escaped or not (the link is found in the text after the escapes are read).
# The same joiner after `www`, after the scheme and after `@` keeps them text.
_AUTOLINK = re.compile(r"(?i)www(?=\.)|(?:https?|ftp|mailto|xmpp)(?=\\:)|@")


def md_escape(text: str) -> str:
    """Text shown literally by st.markdown / widget labels, on one line."""
    flat = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    flat = _ICON_CODE.sub("\\:\u2060", flat)
    flat = _AUTOLINK.sub(lambda m: m[0] + "\u2060", flat)
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", flat)


def md_list(lines) -> str:
    """A markdown bullet list of the lines, each shown literally (`md_escape`)."""
    return "\n".join(f"- {md_escape(line)}" for line in lines)


def md_links(links: Iterable, beside: str = "") -> str:
    """An exercise's links in one markdown line, 'Title ↗ · site.com ↗' (`links.label`)."""
    return " · ".join(f"{md_link(label(link, beside), link.url)} ↗" for link in links)


def md_link(title: str, url: str) -> str:
    """A markdown link with an escaped title, or the escaped title alone if the URL is unsafe."""
    safe = safe_url(url)
    words = md_escape(title or url)
    return f"[{words}]({safe})" if safe else words
