"""What a list or a line in a note is for, judged from its words alone.

A note holds more than exercises: disclaimers, an equipment list, theory, a diet,
references, a table of contents, the muscles worked. None of those is something a person
ticks off, and every wrong item raises the bar for a day to count. `reason` names what a
heading, a label line ("Equipment:") or a list item's label looks like, or returns "" when
it may be exercises. `media_words` and `is_dose` tell a sub-bullet that only carries a
video, a link, an image or a dose (`Video: URL`, `See ![[x.png]] for the setup`, `15x3`)
from a real step. Pure: text in, words out.
"""

from __future__ import annotations

import re

from hipdash import dose


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# What a list looks like -> the words that say so (whole words of its title).
_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "notes or disclaimers",
        (
            "note", "notes", "disclaimer", "disclaimers", "caution", "cautions", "warning",
            "warnings", "precaution", "precautions", "tip", "tips", "nb", "reminder",
            "reminders", "caveats", "faq",
        ),
    ),
    (
        "an equipment list",
        (
            "equipment", "equipments", "gear", "props", "prop", "what you need",
            "what you ll need", "you will need", "you ll need", "materials", "supplies",
            "tools", "kit",
        ),
    ),
    (
        "theory or background",
        (
            "theory", "background", "anatomy", "science", "rationale", "explanation",
            "principles", "physiology", "research",
        ),
    ),
    (
        "a diet or nutrition list",
        (
            "diet", "dieting", "nutrition", "food", "foods", "meal", "meals", "eating",
            "supplements", "recipes", "hydration", "macros", "calories",
        ),
    ),
    (
        "references or reading",
        (
            "references", "reference", "sources", "source", "resources", "further reading",
            "reading", "reading list", "bibliography", "citations", "credits", "see also",
            "related", "links", "bookmarks",
        ),
    ),
    ("a table of contents", ("table of contents", "contents", "toc", "on this page")),
    ("a list of muscles", ("muscles", "muscle groups", "muscles worked", "target muscles")),
)  # fmt: skip
TOC_REASON = "looks like a table of contents"
_STARTS = {"why": "theory or background", "about": "theory or background"}
_MAX_TITLE_WORDS = 5  # a longer "title" is a sentence, not a heading or a label
# Words an item's label may hold besides the kind's own ("Equipment needed:", "Notes and tips").
_LABEL_EXTRA = _set(
    "needed required list used worked targeted and general some a few my the for this routine "
    "optional extra other additional quick key important"
)
_NOTE_LABELS = {"note", "notes", "tip", "tips", "cue", "cues", "caution", "warning", "nb"}

# Words a line may hold around a video, link or image and still say nothing of its own.
FILLER = _set(
    """see video videos demo demonstration watch link links here image images picture photo
    pic screenshot diagram for the a an setup set up form technique how to do it this that
    tutorial reference source example check out more info at in of on youtube yt
    instructions guide below above position starting start and with details explained
    explanation cues same as is follow along click full short shorts clip reel instagram
    by from my our official tiktok also"""
)
# Words that say nothing about what a link is ("Video:", "See here:"): no link's title.
_NO_TITLE = _set(
    "see video videos link links here demo watch this the a an youtube yt click check out"
)
_DOSE_WORDS = _set(
    """x reps rep repetitions repetition sets set seconds second secs sec s minutes minute
    mins min m hold holds holding rest rests resting each per side sides leg legs arm arms way ways
    direction directions of and or to times rounds round breaths breath both left right l r
    hours hour h hr hrs"""
)
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+|[x×*/,;()+~–-]")
_TOC_MARKERS = {"toc", "table of contents", "contents", "[toc]", "[[_toc_]]", "${toc}"}
_ANCHOR_ONLY = re.compile(r"^(?:\[[^\[\]\n]+\]\(\s*#[^()\s]*\s*\)|\[\[#[^\[\]\n]+\]\])$")
_BOLD = re.compile(r"^(\*\*|__)(.+)\1$")
_ITEM_LABEL = re.compile(r"^(?P<title>[^:]{1,60}?)\s*:(?:\s+(?P<rest>.*))?$")


def _words(title: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", title.lower().replace("’", "'").replace("'", " "))


def reason(title: str, strict: bool = False) -> str:
    """Why a heading, label or item title does not look like exercises ("looks like an
    equipment list"), or "" when it may be exercises. `strict` (for a list item's label):
    every word must belong to the kind ("Equipment needed", not "Side plank safety")."""
    words = _words(title)
    if not words or len(words) > _MAX_TITLE_WORDS:
        return ""
    joined = f" {' '.join(words)} "
    for kind, phrases in _KINDS:
        found = [p for p in phrases if f" {p} " in joined]
        if not found:
            continue
        said = {w for p in found for w in p.split()}
        if not strict or all(w in said or w in _LABEL_EXTRA for w in words):
            return f"looks like {kind}"
    if words[0] in _STARTS and not strict:
        return f"looks like {_STARTS[words[0]]}"
    return ""


def label(line: str) -> str:
    """The title of a label line (`Equipment:`, `**Notes:**`, `__Diet__`), else ""."""
    text = line.strip()
    colon = text.endswith(":")
    text = text.rstrip(":").strip()
    bold = _BOLD.match(text)
    text = (bold[2] if bold else text).strip().rstrip(":").strip()
    if not (colon or bold) or not text or len(text) > 60 or re.search(r"[*_:\[\]()<>`]", text):
        return ""
    return text


def item_label(text: str, has_children: bool) -> tuple[str, str] | None:
    """`Equipment: mat, pillow` -> ("Equipment", "mat, pillow"); `Notes:` or `Notes` with
    sub-items -> ("Notes", ""): an item that names a list that is not exercises."""
    found = _ITEM_LABEL.match(text.strip())
    title, rest = (found["title"], found["rest"] or "") if found else (text.strip(), "")
    if not found and not has_children:
        return None
    return (title.strip(), rest.strip()) if reason(title, strict=True) else None


def note_label(text: str) -> bool:
    """`Note: keep the knee soft`, `Tip: …`, `Cue: …`: a sub-bullet that is a note."""
    found = _ITEM_LABEL.match(text.strip())
    return bool(found and found["rest"] and " ".join(_words(found["title"])) in _NOTE_LABELS)


def is_toc_marker(text: str) -> bool:
    """`TOC` (kramdown's `* TOC` + `{:toc}`), `[TOC]`, or an item that is only a link to a
    heading of the note (`[Warm-up](#warm-up)`, `[[#Warm-up]]`)."""
    plain = text.strip().lower()
    return plain in _TOC_MARKERS or bool(_ANCHOR_ONLY.match(text.strip()))


def is_dose(text: str) -> bool:
    """Whether a line is only a dose: `15x3`, `3 × 8`, `30 s`, `10-15x3`, `hold 60 s each
    side`, `2 sets of 10`: dose words and numbers only, saying some amount or sides."""
    tokens = _TOKEN.findall(text.lower())
    if not tokens or any(
        not (t[0].isdigit() or t in _DOSE_WORDS or not t.isalpha()) for t in tokens
    ):
        return False
    said = dose.parse(text)
    return any(getattr(said, name) is not None for name in dose.FIELDS)


# Words of a link's text that label it rather than name anything ("gifs", "Studies", "Form
# guide"): such a link at the end of an item is one of its links, never part of its title.
LINK_LABELS = FILLER | _set(
    """gif gifs studies study guide guides source sources article articles paper papers pdf
    more info images photos pics reference references research notes example examples
    tutorial tutorials explanation details thread post blog reddit wiki tips diagram
    slides sheet handout ref refs"""
)
# Words that say a link's text is about a video ("emmet louis video"), not a step's name.
VIDEO_WORDS = _set("video videos demo demos tutorial clip follow along how to youtube yt")


# Words that do not tell one exercise from another ("Isometric dead bugs", "Dead-bug hold").
NOT_THE_NAME = _set(
    """isometric iso standing seated sitting lying supine prone the a an and with of for on
    hold holds exercise exercises video videos demo variation"""
)


def link_label(text: str) -> bool:
    """Whether a link's text only labels it ("gifs", "Studies", "Guide", "form guide")."""
    words = _words(text)
    return 0 < len(words) <= 3 and all(word in LINK_LABELS for word in words)


def about_a_video(text: str) -> bool:
    """Whether a link's text says it is a video ("emmet louis video", "demo")."""
    return any(word in VIDEO_WORDS for word in _words(text))


def only_filler(text: str) -> bool:
    """Whether `text` says nothing beyond "see", "video", "for the setup" and the like."""
    return all(word in FILLER for word in _words(text))


def says_nothing(text: str) -> bool:
    """Whether words beside a link say nothing a title could ("Video:", "See here")."""
    return all(word in _NO_TITLE for word in _words(text))
