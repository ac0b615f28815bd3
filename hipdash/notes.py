"""A markdown note (as Obsidian writes them) -> a `Routine`, and warnings with line numbers.

Pure: text and a file name in, a validated routine out. The note's shape is read
the way a person reads it: headings are sections, top-level list items are
exercises, nested items are their steps, a callout (`> [!info] Title`) belongs to
the item above it, and the prose before the first section is the summary. What
cannot be placed is reported with its line number rather than dropped silently.
The routine is built through `routine_from_data`, the same validation as YAML.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import yaml

from hipdash import notetext, youtube
from hipdash.models import Routine
from hipdash.notetext import Found, clean_inline, split_item
from hipdash.routines import RoutineError, routine_from_data, slugify

MAX_LINE = 2000
_HEADING = re.compile(r"^(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$")
_RULE = re.compile(r"^(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,9}[.)])(?:\s+(.*))?$")
_TASK = re.compile(r"^\[[ xX/-]\]\s+")
_CALLOUT = re.compile(r"^\[!([A-Za-z][\w-]*)\]([+-]?)\s*(.*)$")
_SINGLE_LINK = re.compile(r"^(?:\[[^\[\]]*\]\([^\s()]+\)|<[^<>\s]+>|\S+://\S+)$")
_SMALL_WORDS = {"a", "an", "the", "and", "or", "of", "in", "on", "with", "for", "to", "at", "by"}
_SMALL_WORDS |= {"over", "while", "from", "into", "your", "my", "then"}
_KEEP_FRONT_MATTER = ("title", "permalink", "id", "schedule")


@dataclass(frozen=True)
class NoteWarning:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class NoteImport:
    routine: Routine
    warnings: tuple[NoteWarning, ...]


class NoteError(ValueError):
    """The note cannot become a routine (for instance it has no list items)."""

    def __init__(self, message: str, warnings: tuple[NoteWarning, ...] = ()):
        self.warnings = warnings
        super().__init__(message)


@dataclass
class _Callout:
    line: int
    kind: str
    title: str
    body: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Node:
    """A list item while the note is read: its text lines, nested notes, steps and callouts."""

    line: int
    indent: int
    text: list[str]
    notes: list[tuple[int, str]] = field(default_factory=list)
    steps: list[_Node] = field(default_factory=list)
    callouts: list[_Callout] = field(default_factory=list)


@dataclass
class _Section:
    line: int
    title: str
    items: list[_Node] = field(default_factory=list)


@dataclass
class _Outline:
    """The note's structure, before any text is cleaned."""

    front: dict = field(default_factory=dict)
    title_heading: tuple[int, str] = (1, "")
    summary: list[tuple[int, str] | None] = field(default_factory=list)
    summary_callouts: list[_Callout] = field(default_factory=list)
    sections: list[_Section] = field(default_factory=list)
    loose: list[tuple[int, str]] = field(default_factory=list)


def import_note(text: str, filename: str = "note.md") -> NoteImport:
    """The routine in a markdown note; raises `NoteError` if it has no exercises at all."""
    warnings: list[NoteWarning] = []
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    outline = _outline(lines, warnings)
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


# --- Reading the structure -----------------------------------------------------------------


def _indent(line: str) -> int:
    columns = 0
    for char in line:
        if char == " ":
            columns += 1
        elif char == "\t":
            columns += 4 - columns % 4
        else:
            break
    return columns


def _front_matter(lines: list[str], warnings: list[NoteWarning]) -> tuple[dict, int]:
    """The front matter (JSON or YAML between `---` lines) and the index of the first body line."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        warnings.append(
            NoteWarning(1, "front matter is never closed by a '---' line; read as text")
        )
        return {}, 1
    raw = notetext.repair("\n".join(lines[1:end])).strip()
    data = None
    if raw.startswith("{"):
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            data = None
    if data is None and raw:
        try:
            data = yaml.safe_load(raw)
        except (yaml.YAMLError, RecursionError):  # RecursionError: nested thousands deep
            warnings.append(NoteWarning(2, "front matter is neither valid JSON nor YAML; ignored"))
            return {}, end + 1
    if data is not None and not isinstance(data, dict):
        warnings.append(NoteWarning(2, "front matter is not a set of keys and values; ignored"))
        return {}, end + 1
    data = data or {}
    return {k: data[k] for k in _KEEP_FRONT_MATTER if data.get(k) not in (None, "")}, end + 1


def _outline(lines: list[str], warnings: list[NoteWarning]) -> _Outline:
    out = _Outline()
    out.front, first = _front_matter(lines, warnings)
    section: _Section | None = None
    item: _Node | None = None
    step: _Node | None = None
    callout: _Callout | None = None
    previous = "blank"
    block: tuple[int, str, str] | None = None  # an open code block or table: (line, kind, fence)
    in_summary = True

    def close_block(end: int) -> None:
        nonlocal block
        if block:
            span = f"line {block[0]}" if end == block[0] else f"lines {block[0]}–{end}"
            warnings.append(NoteWarning(block[0], f"{block[1]} ({span}) was not imported"))
            block = None

    for number, raw in enumerate(lines[first:], start=first + 1):
        if len(raw) > MAX_LINE:
            warnings.append(
                NoteWarning(number, f"very long line: only its first {MAX_LINE} characters read")
            )
            raw = raw[:MAX_LINE]
        line = notetext.repair(raw)
        stripped = line.strip()
        indent = _indent(line)
        if block and block[1] == "a code block":
            if stripped.startswith(block[2]) and not stripped.strip(block[2][0]):
                close_block(number)
            continue
        if block and not stripped.startswith("|"):
            close_block(number - 1)
        if not stripped:
            callout, previous = None, "blank"
            if in_summary and out.summary and out.summary[-1] is not None:
                out.summary.append(None)
            continue
        if fence := _FENCE.match(stripped):
            block = (number, "a code block", fence[1])
        elif stripped.startswith("|"):
            block = block or (number, "a table", "")
        if block:
            if indent < 2:  # an unindented block ends the list, as in markdown
                item = step = callout = None
            previous = "block"
            continue
        heading = _HEADING.match(stripped) if indent < 4 else None
        if heading or _RULE.match(stripped):
            item = step = callout = None
            previous = "heading"
            if not heading:
                continue
            text = heading[2] or ""
            if len(heading[1]) == 1 and not out.title_heading[1] and in_summary:
                out.title_heading = (number, text)
                continue
            section = _Section(number, text)
            out.sections.append(section)
            in_summary = False
            continue
        if stripped.startswith(">"):
            body = re.sub(r"^(?:>\s?)+", "", stripped)
            header = _CALLOUT.match(body)
            if header:
                callout = _Callout(number, header[1].lower(), header[3])
            elif callout is not None and previous == "quote":
                callout.body.append((number, body))
                continue
            else:
                callout = _Callout(number, "quote", "", [(number, body)])
            if item is not None:
                item.callouts.append(callout)
            elif in_summary:
                out.summary_callouts.append(callout)
            else:
                out.loose.extend([(callout.line, body)])
                callout = None
            previous = "quote"
            continue
        callout = None
        listed = _LIST_ITEM.match(stripped)
        if listed:
            text = _TASK.sub("", listed[1] or "")
            if item is not None and indent >= item.indent + 2:
                if step is not None and indent >= step.indent + 2:
                    step.notes.append((number, text))
                else:
                    step = _Node(number, indent, [text])
                    item.steps.append(step)
            else:
                if section is None:
                    section = _Section(number, "")  # items before any heading
                    out.sections.append(section)
                in_summary = False
                item, step = _Node(number, indent, [text]), None
                section.items.append(item)
            previous = "item"
            continue
        if item is not None and indent >= 2:  # text indented under an item: its notes
            deeper = step is not None and indent >= step.indent + 2
            (step if deeper else item).notes.append((number, stripped))
            previous = "text"
        elif previous == "item" and item is not None:  # continues the item's own line
            (step or item).text.append(stripped)
        elif in_summary:
            out.summary.append((number, stripped))
            previous = "text"
        else:
            out.loose.append((number, stripped))
            item = step = None
            previous = "text"
    if block:
        close_block(len(lines))
    return out


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

    def routine(self, outline: _Outline, filename: str) -> dict:
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

    def summary(self, outline: _Outline) -> tuple[str, list[dict], list[str]]:
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

    def sections(self, sections: list[_Section]) -> list[dict]:
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

    def exercise(self, node: _Node) -> dict | None:
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

    def step(self, node: _Node, parts: _Parts) -> dict | None:
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

    def callout(self, callout: _Callout, parts: _Parts) -> None:
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
