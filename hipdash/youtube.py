"""YouTube links in the forms people paste them, reduced to an id and a start time.

The player is always embedded from youtube-nocookie.com, and only with an id
that matched `VIDEO_ID`, so nothing from a note ends up in an iframe's URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "music.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
_SHORT_HOSTS = {"youtu.be", "www.youtu.be"}
_PATH_FORMS = ("embed", "shorts", "live", "v", "e")
_TIME = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$")


@dataclass(frozen=True)
class YouTubeRef:
    video_id: str
    start: int | None = None


def parse(url: str) -> YouTubeRef | None:
    """The video id and start time of a YouTube URL, or None if it is not a video link."""
    text = (url or "").strip().strip("<>")
    if not text:
        return None
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    query = parse_qs(parts.query)
    video_id = None
    if host in _SHORT_HOSTS and segments:
        video_id = segments[0]
    elif host in _HOSTS:
        if segments[:1] == ["watch"]:
            video_id = (query.get("v") or [None])[0]
        elif len(segments) >= 2 and segments[0] in _PATH_FORMS:
            video_id = segments[1]
    if not video_id or not VIDEO_ID.match(video_id):
        return None
    fragment = parse_qs(parts.fragment)
    raw_start = next(
        (v[0] for v in (query.get("t"), query.get("start"), fragment.get("t")) if v), None
    )
    return YouTubeRef(video_id, parse_time(raw_start))


def parse_time(value: str | None) -> int | None:
    """Seconds from `90`, `90s`, `1m30s` or `1h2m3s`; None when absent, zero or unreadable."""
    if not value:
        return None
    match = _TIME.match(value.strip().lower())
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    return total or None


def embed_url(video_id: str, start: int | None = None) -> str:
    """The privacy-enhanced player URL; raises on anything that is not a video id."""
    if not VIDEO_ID.match(video_id or ""):
        raise ValueError(f"not a YouTube video id: {video_id!r}")
    url = f"https://www.youtube-nocookie.com/embed/{video_id}?rel=0"
    return f"{url}&start={int(start)}" if start else url


def watch_url(video_id: str, start: int | None = None) -> str:
    """A link to the video on youtube.com, for opening it outside the app."""
    if not VIDEO_ID.match(video_id or ""):
        raise ValueError(f"not a YouTube video id: {video_id!r}")
    url = f"https://www.youtube.com/watch?v={video_id}"
    return f"{url}&t={int(start)}s" if start else url
