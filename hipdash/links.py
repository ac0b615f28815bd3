"""Links from a note or a routine: only an absolute http(s) URL is ever made a link, and it
is quoted so that it cannot end the markdown or HTML around it."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote, urlsplit

from hipdash.words import normalise


def safe_url(url: str) -> str | None:
    """The URL if it is an absolute http(s) link, made safe inside `[..](url)`; else None."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(text, safe=":/?#@!$&'*+,;=%~-._[]")


def label(link, beside: str = "") -> str:
    """A link's words: its title, else its URL. A note's `[Yoga twist](…)` item gives the
    exercise its title and a link of the same words, drawn just under it; that one is named
    by its site instead ("yogauonline.com"), which says where it leads."""
    title = link.title or link.url
    same = normalise(title) and normalise(title) == normalise(beside)
    if same and safe_url(link.url):
        host = urlsplit(link.url.strip()).hostname or ""
        return host.removeprefix("www.") or title
    return title


def checked_links(links: Iterable, beside: str = "") -> list[dict[str, str]]:
    """The links (with `title` and `url`) whose URL `safe_url` accepts, as a browser script
    draws them: their words (`label`, beside the title `beside`) and the safe URL. The
    others are left out."""
    return [
        {"title": label(link, beside), "url": url} for link in links if (url := safe_url(link.url))
    ]
