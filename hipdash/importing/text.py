"""One line of a markdown note made plain: links, videos and images taken out, marks removed.

The importer (`hipdash.importing.build`) builds titles, doses and notes from the plain text
and attaches what was taken out to the right exercise. Nothing here knows about
the structure of a note; everything is pure and works line by line.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import ftfy

from hipdash import dose, youtube

# Mojibake repair only: keep curly quotes, full-width letters, ligatures and entities as written.
_FTFY = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    unescape_html=False,
    fix_line_breaks=False,
)
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif", ".heic")
TRACKING_PARAMS = {"si", "fbclid", "gclid", "igshid", "igsh", "mc_cid", "mc_eid"}

_COMMENT = re.compile(r"%%.*?%%|<!--.*?-->")
_IMAGE_WIKI = re.compile(r"!\[\[([^\[\]\n]*)\]\]")
_IMAGE_MD = re.compile(r"!\[([^\[\]\n]*)\]\(\s*<?([^()<>\s]*)>?(?:\s+\"[^\"\n]*\")?\s*\)")
_WIKILINK = re.compile(r"\[\[([^\[\]\n]*)\]\]")
_MD_LINK = re.compile(
    r"\[([^\[\]\n]*)\]\(\s*(<[^<>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
)
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]+)>")
_BARE_URL = re.compile(
    r"(?<![\w/.@-])(?:https?://|(?:www\.|m\.)?(?:youtube\.com|youtu\.be)/)[^\s<>\[\]\"]+",
    re.IGNORECASE,
)
# kramdown attribute lists (`{: .note}`, `{:toc}`) and heading ids (`{#warm-up}`, `{.class}`)
_ATTRIBUTES = re.compile(r"\{:[^{}\n]{0,200}\}|\{[#.][A-Za-z][^{}\n]{0,200}\}")
# Dataview inline fields: `[reps:: 10]`, `(source:: book)`, or a whole line `Status:: done`.
_FIELDS = re.compile(
    r"\[[^\W\d][\w \-/]{0,40}::[^\[\]\n]*\]|\([^\W\d][\w \-/]{0,40}::[^()\n]*\)"
    r"|^[^\W\d][\w \-/]{0,40}::(?:\s.*)?$"
)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_EMPHASIS = (
    re.compile(r"(\*\*|__|~~|==)(?=\S)(.{1,300}?)(?<=\S)\1"),
    re.compile(r"(?<![\w*\\])(\*)(?=[^\s*])([^*\n]{1,300}?)(?<=[^\s*\\])\*(?![\w*])"),
    re.compile(r"(?<![\w_\\])(_)(?=[^\s_])([^_\n]{1,300}?)(?<=[^\s_\\])_(?![\w_])"),
    re.compile(r"(`+)([^`\n]{1,300}?)\1"),
)
_FOOTNOTE = re.compile(r"\[\^[^\]\s]{1,40}\]")
_BLOCK_ID = re.compile(r"\s\^[A-Za-z0-9_-]{1,64}$")
# An id the note gives its line: Obsidian's block id (`- Cat cow ^cat-cow`), when it is one
# of ours (lower-case letters, digits, '-' and '_'; see hipdash.fields.SLUG).
GIVEN_ID = re.compile(r"\s\^([a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?)\s*$")
# A bold span that opens an item (`- **Wall sit, hold 60 s** — 3 sets`): its title as written.
_LEAD_BOLD = re.compile(r"^\s*\*\*(?=\S)(.+?)(?<=\S)\*\*")
# Guarded text: characters that must stay as written (escaped with a backslash, in a wikilink's
# name, or in an item's bold title) are moved into a private-use plane while a line is split
# into title, dose and notes, so no rule can cut them; `restore` moves them back.
_GUARD = 0xF0000
_GUARDED = 0x3000  # every character below this (ASCII, punctuation, dashes) can be guarded
_PRIVATE = re.compile("[\U000f0000-\U0010ffff]")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_URL_TRAIL = ".,;:!?'\"*_"


@dataclass(frozen=True)
class Found:
    """A link or video taken out of a line: `label` is its text in the note ("" if none)."""

    label: str
    url: str


@dataclass(frozen=True)
class Inline:
    """A line made plain. `guarded`: the same text with what must stay as written guarded
    (`guard`), for splitting it into title, dose and notes; `fields`: the Dataview inline
    fields it held (`[sets:: 3]`), lower-case name -> value."""

    text: str
    links: tuple[Found, ...] = ()
    videos: tuple[Found, ...] = ()
    images: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    guarded: str = ""
    fields: tuple[tuple[str, str], ...] = ()


def guard(text: str) -> str:
    """`text` with each character moved into the private-use plane, where no rule sees it."""
    return "".join(chr(_GUARD + ord(c)) if ord(c) < _GUARDED else c for c in text)


def restore(text: str) -> str:
    """Guarded characters back as they were."""
    return "".join(
        chr(ord(c) - _GUARD) if _GUARD <= ord(c) < _GUARD + _GUARDED else c for c in text
    )


def repair(line: str) -> str:
    """Undo mojibake (`Iâ€™m` -> `I’m`, broken emoji) with ftfy; ASCII lines cannot have any."""
    return line if line.isascii() else ftfy.fix_text(line, _FTFY)


def strip_tracking(url: str) -> str:
    """The URL without `utm_*`, `si`, `fbclid` and similar tracking parameters, else as written."""
    head, sep, query = url.partition("?")
    if not sep:
        return url
    query, hash_sep, fragment = query.partition("#")
    kept = [
        part
        for part in query.split("&")
        if part
        and not (key := part.split("=", 1)[0].lower()).startswith("utm_")
        and key not in TRACKING_PARAMS
    ]
    return head + ("?" + "&".join(kept) if kept else "") + hash_sep + fragment


def is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def host(url: str) -> str:
    """`yogauonline.com` for a link the note gave no text for."""
    try:
        name = urlsplit(url).hostname
    except ValueError:
        name = None
    return (name or url).lower().removeprefix("www.")


def _looks_like_url(text: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:|www\.)\S*$", text.strip(), re.IGNORECASE))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Taker:
    """Takes links, videos and images out of one line, saying what each leaves in the text."""

    def __init__(self, videos: bool, bare_links: bool):
        self.videos, self.bare_links = videos, bare_links
        self.links: list[Found] = []
        self.found_videos: list[Found] = []
        self.images: list[str] = []
        self.problems: list[str] = []
        self.fields: list[tuple[str, str]] = []

    def link_or_video(self, label: str, url: str) -> str:
        """Record a link; return what stands in the text in its place. A label is read like
        any text (escapes, entities, marks); a web link labelled with its own URL keeps it
        as its title."""
        label = label.strip()
        url = url.strip().strip("<>").strip()
        shown = "" if _looks_like_url(label) else label
        if self.videos and youtube.parse(url):
            self.found_videos.append(Found(_label(shown), strip_tracking(url)))
            return ""
        if is_web_url(url):
            title = _label(shown) or (label if label == url else "")
            self.links.append(Found(title, strip_tracking(url)))
            return shown
        if url.startswith("#"):  # a heading of this note: its words are enough
            return shown
        target = _short(url) or "nothing"
        self.problems.append(f"link to “{target}” dropped (only http(s) links are kept)")
        return shown

    def image(self, target: str) -> str:
        target = target.strip().strip("<>")
        if target.lower().startswith(("javascript:", "data:", "vbscript:", "file:")):
            self.problems.append(f"image “{_short(target)}” dropped (not a file name or web link)")
        elif target:
            self.images.append(target)
        return " "

    def wiki_embed(self, match: re.Match) -> str:
        target = match[1].replace("\\|", "|").split("|", 1)[0].strip()
        if target.lower().endswith(IMAGE_EXTENSIONS):
            return self.image(target)
        self.problems.append(f"embedded note “{_short(target)}” not imported")
        return " "

    def bare(self, match: re.Match) -> str:
        return _bare(match[0], self.videos, self.bare_links, self.link_or_video)


def clean_inline(text: str, *, videos: bool = True, bare_links: bool = True) -> Inline:
    """Plain text of one line of markdown, and what was taken out of it.

    `videos`: YouTube links become videos (and a video link's label leaves the text);
    otherwise they are ordinary links. `bare_links`: a bare non-YouTube URL becomes a
    link; otherwise it stays in the text as written (as in a video's description).
    """
    taken = _Taker(videos, bare_links)
    text = _PRIVATE.sub("", _COMMENT.sub(" ", text))
    text = _ESCAPE.sub(lambda m: guard(m[1]), text)  # `\[` is a bracket, never a link
    text = _FIELDS.sub(lambda m: _field(m[0], taken.fields), _ATTRIBUTES.sub(" ", text))
    text = _IMAGE_WIKI.sub(taken.wiki_embed, text)
    text = _IMAGE_MD.sub(lambda m: taken.image(m[2]), text)
    text = _WIKILINK.sub(lambda m: guard(_wikilink_label(restore(m[1]))), text)
    text = _MD_LINK.sub(lambda m: taken.link_or_video(m[1], m[2]), text)
    text = _AUTOLINK.sub(lambda m: taken.link_or_video("", m[1]), text)
    text = _BARE_URL.sub(taken.bare, text)
    guarded = _without_marks(text)
    return Inline(
        restore(guarded),
        tuple(taken.links),
        tuple(taken.found_videos),
        tuple(taken.images),
        tuple(taken.problems),
        guarded,
        tuple(taken.fields),
    )


def _field(found: str, fields: list[tuple[str, str]]) -> str:
    """A Dataview inline field leaves the text; its name and value are kept."""
    name, _, value = found.strip("[]()").partition("::")
    fields.append((" ".join(name.split()).lower(), value.strip()))
    return " "


def _label(text: str) -> str:
    """A link's label as plain text (entities read, marks removed)."""
    return restore(_without_marks(text)) if text else ""


def _without_marks(text: str) -> str:
    """HTML tags, emphasis, footnotes, block ids and escapes removed; spaces made single.
    Escaped characters and an opening bold title come back guarded (see `guard`)."""
    text = _TAG.sub(" ", text)
    if lead := _LEAD_BOLD.match(text):
        text = guard(html.unescape(lead[1])) + text[lead.end() :]
    for pattern in _EMPHASIS:
        text = pattern.sub(lambda m: m[2], text)
    text = _FOOTNOTE.sub("", text)
    text = _BLOCK_ID.sub("", text)
    text = _EMPTY_BRACKETS.sub(" ", text)
    text = _ENTITY.sub(lambda m: _entity(m[0]), _ESCAPE.sub(lambda m: guard(m[1]), text))
    return " ".join(html.unescape(text).split())


def _entity(found: str) -> str:
    """An HTML entity is the character it stands for, as written (guarded), unless a space."""
    char = html.unescape(found)
    return char if char.isspace() or char == found else guard(char)


def _bare(url: str, videos: bool, bare_links: bool, record) -> str:
    """A bare URL with its trailing punctuation given back to the sentence."""
    core = url.rstrip(_URL_TRAIL)
    while core.endswith(")") and core.count("(") < core.count(")"):
        core = core[:-1]
    tail = url[len(core) :]
    full = core if "://" in core else "https://" + core
    is_video = youtube.parse(full) is not None
    if (is_video and videos) or (bare_links and is_web_url(full)):
        return record("", full) + tail
    return url


def _wikilink_label(inner: str) -> str:
    """`[[page\\|label]]`, `[[page|label]]` -> label; `[[folder/page#heading]]` -> page."""
    page, _, label = inner.replace("\\|", "|").partition("|")
    if label.strip():
        return label.strip()
    page, _, heading = page.partition("#")
    page = page.split("^", 1)[0].strip().rstrip("/")
    if not page:  # `[[#Warm-up]]`: a heading of this note
        return heading.split("^", 1)[0].strip()
    return page.rsplit("/", 1)[-1].removesuffix(".md")


# --- The schedule, from phrases in the note's prose ------------------------------------------

_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "twenty-five": 25,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
}
_NUM = r"\d{1,3}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True))
_PER_WEEK = re.compile(
    rf"\b(?:(?P<word>once|twice|thrice)|(?P<n>{_NUM})(?:\s*(?:-|–|to|or)\s*(?:{_NUM}))?"
    r"\s*(?:x|×|times?|sessions?|days?))\s*(?:(?:a|an|per|/|each|every|in\s+a)\s*week\b|weekly\b)",
    re.IGNORECASE,
)
# "every other day", "every 3 days", "every three days"; "daily", "every day", "everyday".
_EVERY_DAYS = re.compile(
    rf"\bevery\s+(?:(?P<other>other|second)\s+day|(?P<days>{_NUM})\s+days)\b", re.IGNORECASE
)
_DAILY = re.compile(r"\b(?:daily|every\s*day|each\s+day)\b", re.IGNORECASE)
_DURATION = re.compile(
    r"\b(?:(?P<hour_half>(?:an|one|1)\s+hour\s+and\s+a\s+half)|(?P<half>half\s+an\s+hour)"
    r"|(?P<quarter>(?:a\s+)?quarter\s+of\s+an\s+hour)|(?P<hour>(?:an|one)\s+hour)"
    rf"|(?P<min>{_NUM})(?:\s*(?:-|–|to)\s*(?:{_NUM}))?\s*(?:minutes?|mins?)(?![a-z])"
    r"|(?P<hours>\d{1,2}(?:\.\d)?)\s*(?:hours?|hrs?)\b)",
    re.IGNORECASE,
)
_WORD_COUNTS = {"once": 1, "twice": 2, "thrice": 3}


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBERS[text.lower()]


@dataclass(frozen=True)
class Said:
    """Sessions a week a phrase states: `phrase` as written; not `exact` when the note counts
    in days ("every three days": 2.3 a week, taken as 2)."""

    per_week: int
    phrase: str
    exact: bool = True


def sessions_said(text: str) -> Said | None:
    """The first phrase that states sessions a week: "three times a week", "3x/week",
    "3-4 times per week" (3), "twice a week", "every other day" (3), "every three days" (2,
    not exact), "daily", "every day" (7)."""
    found = [m for m in (_PER_WEEK.search(text), _EVERY_DAYS.search(text), _DAILY.search(text))]
    match = min((m for m in found if m), key=lambda m: m.start(), default=None)
    if match is None:
        return None
    if match.re is _DAILY:
        return Said(7, match[0])
    if match.re is _EVERY_DAYS:
        if match["other"]:
            return Said(3, match[0])
        days = _number(match["days"])
        if days <= 1:
            return Said(7, match[0])
        return Said(max(1, round(7 / days)), match[0], exact=days == 7)
    count = _WORD_COUNTS[match["word"].lower()] if match["word"] else _number(match["n"])
    return Said(count, match[0])


def sessions_per_week(text: str) -> int | None:
    """The sessions a week a phrase in `text` states (`sessions_said`), or None."""
    said = sessions_said(text)
    return said.per_week if said else None


def minutes(text: str) -> int | None:
    """30 from "about half an hour", 40 from "roughly 40 minutes", 45 from "45 min"."""
    match = _DURATION.search(text)
    if not match:
        return None
    if match["hour_half"]:
        return 90
    if match["half"]:
        return 30
    if match["quarter"]:
        return 15
    if match["hour"]:
        return 60
    if match["min"]:
        return _number(match["min"])
    return round(float(match["hours"]) * 60)


# --- An exercise line: title, then its dose, notes and hold ------------------------------------

_DOSE_SEPARATOR = re.compile(r"\s+[—–]\s*|\s*[—–]\s+|\s+-\s+(?=.*\d)|:\s+(?=.*\d)")
_DASH_ON_A_NUMBER = re.compile(r"\s+-(?=\d)")  # "Bridge -3 × 10": typed without its space
_SETS_FIRST = re.compile(r"\d+\s*[x×]")
_DOSE_INLINE = re.compile(
    r"\s(\d+\s*[x×]\s*\d+.*|\d+(?:\s*[-–]\s*\d+)?\s*"
    r"(?:reps?|sets?|minutes?|mins?|seconds?|secs?|s|(?=(?:each|per)\s+(?:side|leg|arm|way)))\b.*)$",
    re.IGNORECASE,
)
_TRAILING_NOTE = re.compile(r"^(?P<head>.*\S)\s*\((?P<note>[^()]*)\)$")
_TITLE_START = " ,;:.·•—–-"  # what a title never starts with (". Studies")
_TITLE_END = " ,;—–-"


@dataclass(frozen=True)
class ItemText:
    """An item's line split: `doses_in_brackets`: bracketed words read as its dose
    ("(30s left, 30s right)"); `optional`: it said "(optional)"."""

    title: str
    dose: str = ""
    notes: tuple[str, ...] = ()
    hold_seconds: int | None = None
    optional: bool = False
    doses_in_brackets: tuple[str, ...] = ()
    dose_at_end: str = ""  # a dose read from the end of the line, with no dash before it
    hold_words: str = ""  # a hold cut from the title ("hold 60 s")


def split_item(text: str) -> ItemText:
    """ "Side plank — 3 × 20 s each side", "Pigeon pose (standing with support)", "Wall sit,
    hold 60 s", "Hamstring stretch (30s left, 30s right)" -> the title, and the dose / notes /
    hold that follow it. `text` may be guarded (`Inline.guarded`): what is guarded is never
    cut; what comes back is plain."""
    text = " ".join(_EMPTY_BRACKETS.sub(" ", text).split())
    notes: list[str] = []
    bracketed: list[str] = []
    optional = False
    while (found := _TRAILING_NOTE.match(text)) and found["head"].strip(_TITLE_END):
        note = found["note"].strip()
        plain = restore(note)
        if note == plain and plain.lower() == "optional":
            optional = True
        elif note == plain and _is_dose(plain):
            bracketed.insert(0, plain)
        elif plain:
            notes.insert(0, plain)
        text = found["head"]
    words = ""
    separator = _DOSE_SEPARATOR.search(text) or _dash_on_a_dose(text)
    if separator and separator.start() > 0:
        text, words = text[: separator.start()], text[separator.end() :]
    hold, held, at_end = None, "", ""
    if found := dose.find_hold(text):  # in the title ("Wall sit, hold 60 s"): cut out
        start, end, hold = found
        held = restore(text[start:end])
        text = " ".join((text[:start] + " " + text[end:]).split())
    if not words and (inline := _DOSE_INLINE.search(text)):
        text, words = text[: inline.start()], inline[1]
        at_end = restore(words.strip(_TITLE_END))
    words = ", ".join(filter(None, [restore(words.strip(_TITLE_END)), *bracketed]))
    title = restore(text.lstrip(_TITLE_START).rstrip(_TITLE_END))
    return ItemText(title, words, tuple(notes), hold, optional, tuple(bracketed), at_end, held)


def _dash_on_a_dose(text: str) -> re.Match | None:
    """ " -3 × 10" when what follows is a dose, so that "Ex 1 -3 × 20 s" is "Ex 1"; after a
    number, only a dose of sets ("× …"): "Bridge 8 -10 reps" is a range of reps."""
    found = _DASH_ON_A_NUMBER.search(text)
    if not found or not _is_dose(tail := restore(text[found.end() :])):
        return None
    after_a_number = text[: found.start()].rstrip()[-1:].isdigit()
    return found if not after_a_number or _SETS_FIRST.match(tail) else None


# A heading's dose phrase: after a colon or dash, or in brackets ("5 Stretch Circuit: 20s
# rests, 2 sets:", "Finisher — 3 rounds", "Core (3 rounds)").
_HEADING_PHRASE = re.compile(
    r"^(?P<title>.*?\S)\s*(?::\s+|\s[—–-]\s+|\()(?P<phrase>[^():—–]*?)\)?[\s:.]*$"
)


def split_heading(guarded: str) -> tuple[str, str]:
    """A heading's title and its dose phrase ("", if it states none); guarded text stays."""
    found = _HEADING_PHRASE.match(guarded)
    if found and _is_dose(restore(found["phrase"])) and found["phrase"] == restore(found["phrase"]):
        return restore(found["title"].rstrip(" :")), found["phrase"].strip()
    return restore(guarded), ""


def _is_dose(words: str) -> bool:
    from hipdash.importing.kinds import is_dose  # kinds reads words only; no cycle at import

    return is_dose(words)


def dose_hold_seconds(words: str) -> int | None:
    """The length of one timed stretch of a dose, for its countdown: "3 × 20 s each side"
    -> 20, "2 × 1 min" -> 60, "5 minutes" -> 300; None when the dose is not timed ("3 × 8",
    "10 reps"). As `hipdash.dose.parse` reads it."""
    return dose.parse(words).hold_seconds
