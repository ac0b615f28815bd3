"""Links from a note or a routine: only an absolute http(s) URL is ever made a link, and it
is quoted so that it cannot end the markdown or HTML around it."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote, urlsplit


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


def checked_links(links: Iterable) -> list[dict[str, str]]:
    """The links (with `title` and `url`) whose URL `safe_url` accepts, as a browser script
    draws them: the title, else the URL itself, and the safe URL. The others are left out."""
    return [
        {"title": link.title or link.url, "url": url}
        for link in links
        if (url := safe_url(link.url))
    ]
