"""A markdown note (as Obsidian writes them) -> a `Routine`, and warnings with line numbers.

Pure: text and a file name in, a validated routine out. The note's shape is read
the way a person reads it: headings are sections, top-level list items are
exercises, nested items are their steps, a callout (`> [!info] Title`) belongs to
the item above it, and the prose before the first section is the summary. What
cannot be placed is reported with its line number rather than dropped silently.
The routine is built through `routine_from_data`, the same validation as YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from hipdash import youtube
from hipdash.importing import text as notetext
from hipdash.importing.outline import Callout, Node, NoteWarning, Outline, Section, read_outline
from hipdash.importing.text import Found, clean_inline, split_item
from hipdash.models import Routine
from hipdash.routines import RoutineError, routine_from_data, slugify

_SINGLE_LINK = re.compile(r"^(?:\[[^\[\]]*\]\([^\s()]+\)|<[^<>\s]+>|\S+://\S+)$")
_SMALL_WORDS = {"a", "an", "the", "and", "or", "of", "in", "on", "with", "for", "to", "at", "by"}
_SMALL_WORDS |= {"over", "while", "from", "into", "your", "my", "then"}


@dataclass(frozen=True)
class NoteImport:
    routine: Routine
    warnings: tuple[NoteWarning, ...]


class NoteError(ValueError):
    """The note cannot become a routine (for instance it has no list items)."""

    def __init__(self, message: str, warnings: tuple[NoteWarning, ...] = ()):
        self.warnings = warnings
        super().__init__(message)


def import_note(text: str, filename: str = "note.md") -> NoteImport:
    """The routine in a markdown note; raises `NoteError` if it has no exercises at all."""
    warnings: list[NoteWarning] = []
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    outline = read_outline(lines, warnings)
    data = _Builder(warnings).routine(outline, filename)
    found = tuple(sorted(warnings, key=lambda w: w.line))
    if not data["sections"]:
        raise NoteError(
            "no exercises found: each top-level list item (-, *, + or 1.) becomes an exercise",
            found,
        )
    try:
        return NoteImport(routine_from_data(data, data.get("source", filename)), found)
    except RoutineError as exc:  # the builder should never produce this; say what it was
        raise NoteError("the note did not make a valid routine:\n" + str(exc), found) from None


# --- Building the routine data ---------------------------------------------------------------


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… — the first one not in `taken` (which it joins)."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base[:60]}-{n}", n + 1
    taken.add(candidate)
    return candidate


def short_id(title: str, fallback: str) -> str:
    """A short readable slug: the first four words, without leading articles or dangling
    little words ("Book opening stretch for spine" -> "book-opening-stretch")."""
    words = [w for w in slugify(re.sub("['’]", "", title), "").split("-") if w]
    while words and words[0] in ("a", "an", "the"):
        words.pop(0)
    words = words[:4]
    while len(words) > 1 and words[-1] in _SMALL_WORDS:
        words.pop()
    return "-".join(words)[:40].strip("-") or fallback


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def note_name(filename: str) -> str:
    """The file name alone, whatever path or separators came with it."""
    return PurePosixPath(filename.replace("\\", "/")).name


def note_stem(filename: str) -> str:
    return re.sub(r"\.(md|markdown|txt)$", "", note_name(filename), flags=re.IGNORECASE)


def _title_from_file(filename: str) -> tuple[str, str]:
    """Stem and title of a file name: `hip-therapy-routine-1.md` -> `Hip Therapy Routine 1`."""
    stem = note_stem(filename)
    title = stem
    if " " not in stem:  # a slug-like name: `hip-therapy-routine-1`, `desk_stretches`, `squats`
        title = re.sub(r"[-_]+", " ", stem).strip()
        if title == title.lower():
            title = title.title()
    return stem, title


class _Builder:
    """Cleans the outline's text and turns it into the YAML-shaped data of a routine."""

    def __init__(self, warnings: list[NoteWarning]):
        self.warnings = warnings

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(NoteWarning(line, message))

    def clean(self, line: int, text: str, **options) -> notetext.Inline:
        inline = clean_inline(text, **options)
        for problem in inline.problems:
            self.warn(line, problem)
        return inline

    def routine(self, outline: Outline, filename: str) -> dict:
        front = outline.front
        stem, file_title = _title_from_file(filename)
        permalink = str(front.get("permalink", "")).strip().strip("/").rsplit("/", 1)[-1]
        routine_id = slugify(str(front.get("id") or permalink or stem), "routine")
        title = self.clean(1, str(front.get("title", ""))).text
        title = title or self.clean(*outline.title_heading).text or file_title or routine_id
        summary, links, texts = self.summary(outline)
        sections = self.sections(outline.sections)
        schedule = self.schedule([str(front.get("schedule", "")), *texts], outline.loose)
        data: dict = {"id": routine_id, "title": title}
        if summary:
            data["summary"] = summary
        data["schedule"] = schedule
        data["source"] = note_name(filename) or "note.md"
        if links:
            data["links"] = links
        data["sections"] = sections
        return data

    def summary(self, outline: Outline) -> tuple[str, list[dict], list[str]]:
        paragraphs: list[list[str]] = [[]]
        found: list[Found] = []
        for entry in outline.summary:
            if entry is None:
                paragraphs.append([])
                continue
            inline = self.clean(entry[0], entry[1], videos=False)
            paragraphs[-1].append(inline.text)
            found.extend(inline.links)
            for image in inline.images:
                self.warn(entry[0], f"image “{image}” outside any exercise was not imported")
        for callout in outline.summary_callouts:
            lines = [(callout.line, callout.title), *callout.body]
            inlines = [self.clean(n, t, videos=False) for n, t in lines]
            paragraphs.append([i.text for i in inlines])
            found.extend(link for i in inlines for link in i.links)
        texts = [" ".join(t for t in p if t) for p in paragraphs]
        links = _links(found, lambda link: link.label or notetext.host(link.url))
        return "\n\n".join(t for t in texts if t), links, texts

    def schedule(self, texts: list[str], loose: list[tuple[int, str]]) -> dict:
        """Sessions a week and minutes from the first phrases that say them (in the front
        matter's `schedule`, the summary, then stray paragraphs); a stray paragraph that says
        neither is reported as not placed. Without a phrase the target is 3 a week."""
        per_week = minutes = None
        candidates = [(1, t, False) for t in texts]
        candidates += [(n, self.clean(n, t).text, True) for n, t in loose]
        for number, text, stray in candidates:
            count, length = notetext.sessions_per_week(text), notetext.minutes(text)
            if count is not None and per_week is None:
                if 1 <= count <= 14:
                    per_week = count
                else:
                    self.warn(number, f"{count} sessions a week is not a target (1 to 14)")
            if length is not None and minutes is None:
                if 1 <= length <= 600:
                    minutes = length
                else:
                    self.warn(number, f"{length} minutes is not a session length (1 to 600)")
            if stray and count is None and length is None:
                short = text if len(text) <= 50 else text[:49] + "…"
                self.warn(number, f"text outside any list item was not imported: “{short}”")
        out = {"sessions_per_week": per_week or 3}
        if minutes:
            out["minutes"] = minutes
        return out

    def sections(self, sections: list[Section]) -> list[dict]:
        out: list[dict] = []
        taken: set[str] = set()
        for section in sections:
            title = _capital(self.clean(section.line, section.title).text) or "Exercises"
            exercises: list[dict] = []
            used: set[str] = set()
            for node in section.items:
                exercise = self.exercise(node)
                if exercise is not None:
                    exercise["id"] = unique_id(short_id(exercise["title"], "exercise"), used)
                    exercises.append(exercise)
            if not exercises:
                self.warn(section.line, f"heading “{title}” has no list items; left out")
                continue
            sid = unique_id(short_id(title, "section"), taken)
            out.append({"id": sid, "title": title, "exercises": exercises})
        return out

    def exercise(self, node: Node) -> dict | None:
        parts = _Parts()
        head = self.clean(node.line, " ".join(node.text))
        parts.take(head, node.line)
        item = split_item(head.text)
        parts.notes.extend(item.notes)
        for number, text in node.notes:
            parts.take(self.clean(number, text), number, as_note=True)
        steps = [s for s in (self.step(step, parts) for step in node.steps) if s]
        for callout in node.callouts:
            self.callout(callout, parts)
        video = parts.video()
        title = _capital(item.title or (video or {}).get("title", ""))
        title = title or next((link.label for link in parts.links if link.label), "")
        if not title:
            self.warn(node.line, "list item with no text was not imported")
            return None
        out: dict = {"id": "", "title": title}
        if item.dose:
            out["dose"] = item.dose
        if parts.notes:
            out["notes"] = "; ".join(parts.notes)
        if item.hold_seconds:
            out["hold_seconds"] = item.hold_seconds
        if parts.images:
            out["image"] = parts.images[0][1]
            for number, image in parts.images[1:]:
                self.warn(number, f"image “{image}” not imported (an exercise keeps one image)")
        links = _links(parts.links, lambda link: _capital(link.label) or notetext.host(link.url))
        if links:
            out["links"] = links
        if video:
            out["video"] = video
        if steps:
            used: set[str] = set()
            for step in steps:
                step["id"] = unique_id(short_id(step["title"], "step"), used)
            out["steps"] = steps
        return out

    def step(self, node: Node, parts: _Parts) -> dict | None:
        inline = self.clean(node.line, " ".join(node.text))
        parts.take(inline, node.line)
        item = split_item(inline.text)
        notes = [item.dose] if item.dose else []
        notes += [f"hold {item.hold_seconds} s"] if item.hold_seconds else []
        notes += list(item.notes)
        for number, text in node.notes:
            sub = self.clean(number, text)
            parts.take(sub, number)
            notes.append(sub.text)
        if not item.title:
            self.warn(node.line, "list item with no text was not imported")
            return None
        step = {"id": "", "title": _capital(item.title)}
        if any(notes):
            step["notes"] = "; ".join(n for n in notes if n)
        return step

    def callout(self, callout: Callout, parts: _Parts) -> None:
        """A callout under an item: a video's title and description when it holds a YouTube
        link (as Obsidian's link previews do), else a link's title, else notes.

        In the description, bare non-YouTube URLs stay text: previews cut them short."""
        title = self.clean(callout.line, callout.title)
        parts.take(title, callout.line, videos=False)
        videos = list(title.videos)
        own_links: list[Found] = []
        description: list[str] = []
        for number, text in callout.body:
            alone = bool(_SINGLE_LINK.match(text.strip()))
            inline = self.clean(number, text, bare_links=alone)
            videos.extend(inline.videos)
            if alone:
                own_links.extend(inline.links)
            parts.take(inline, number, links=not alone, videos=False)
            if not alone:
                description.append(inline.text)
        about = " ".join(d for d in description if d)
        heading = title.text
        if videos:
            parts.links.extend(own_links + videos[1:])
            if parts.attach_video(videos[0], heading, about):
                return
            heading = ""  # it named the video, which became a link
        elif own_links:
            parts.links.append(Found(heading or own_links[0].label, own_links[0].url))
            parts.links.extend(own_links[1:])
            heading = ""
        joiner = " " if heading[-1:] in ".:!?" else ": "
        note = joiner.join(t for t in (heading, about) if t)
        if note:
            parts.notes.append(note)


@dataclass
class _Parts:
    """What one exercise collects from its line, nested text, steps and callouts."""

    notes: list[str] = field(default_factory=list)
    links: list[Found] = field(default_factory=list)
    videos: list[dict] = field(default_factory=list)
    images: list[tuple[int, str]] = field(default_factory=list)

    def take(
        self,
        inline: notetext.Inline,
        line: int,
        as_note: bool = False,
        links: bool = True,
        videos: bool = True,
    ) -> None:
        if as_note and inline.text:
            self.notes.append(inline.text)
        if links:
            self.links.extend(inline.links)
        if videos:
            for found in inline.videos:
                self.attach_video(found, found.label, "")
        self.images.extend((line, image) for image in inline.images)

    def attach_video(self, found: Found, title: str, description: str) -> bool:
        """The first video is the exercise's; the same video again fills in its title and
        description; another video becomes a link. Returns whether it was the exercise's."""
        ref = youtube.parse(found.url)
        for video in self.videos:
            if youtube.parse(video["url"]).video_id == ref.video_id:
                video["title"] = title or video["title"]
                video["description"] = description or video["description"]
                return True
        if self.videos:
            self.links.append(Found(title or found.label or "YouTube video", found.url))
            return False
        self.videos.append({"url": found.url, "title": title, "description": description})
        return True

    def video(self) -> dict | None:
        if not self.videos:
            return None
        return {k: v for k, v in self.videos[0].items() if v}


def _links(found: list[Found], title) -> list[dict]:
    out: list[dict] = []
    seen: set[str] = set()
    for link in found:
        if link.url not in seen:
            seen.add(link.url)
            out.append({"title": title(link), "url": link.url})
    return out
