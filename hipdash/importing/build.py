"""A markdown note (as Obsidian writes them) -> a `Routine`, and warnings with line numbers.

Pure: text and a file name in, a validated routine out. The note's shape is read
the way a person reads it: headings are sections, top-level list items are
exercises, nested items are their steps, a callout (`> [!info] Title`) belongs to
the item above it, and the prose before the first section is the summary. What
cannot be placed is reported with its line number rather than dropped silently.

Lists that do not look like exercises (notes, equipment, theory, diet, references,
a table of contents, muscles) are left out of the routine but kept in the result
(`NoteImport.left_out`), each with its reason, so a person can put them back
(`with_left_out`, or `import_note(..., keep=...)`). The routine is built through
`routine_from_data`, the same validation as YAML.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Literal

from hipdash import youtube
from hipdash.fields import SLUG
from hipdash.importing import kinds
from hipdash.importing import text as notetext
from hipdash.importing.items import Built, ItemBuilder, capital, links_data
from hipdash.importing.outline import (
    Node,
    NoteError,
    NoteWarning,
    Outline,
    Para,
    read_outline,
    without_markup,
)
from hipdash.importing.outline import Section as OutlineSection
from hipdash.importing.text import Found, normalise
from hipdash.models import Routine, Schedule, Section
from hipdash.routines import RoutineError, routine_from_data, slugify

__all__ = ["LeftOut", "NoteError", "NoteImport", "NoteWarning", "import_note", "with_left_out"]

_SMALL_WORDS = {"a", "an", "the", "and", "or", "of", "in", "on", "with", "for", "to", "at", "by"}
_SMALL_WORDS |= {"over", "while", "from", "into", "your", "my", "then"}
_VIDEO_ONLY_KEYS = {"id", "title", "video", "links", "notes", "image"}


@dataclass(frozen=True)
class LeftOut:
    """A list in the note that does not look like exercises, left out of the routine.

    `title`: its heading, label line or item ("Equipment"); `reason`: why ("looks like an
    equipment list"); `line`: where it starts. `section`: its items as routine data,
    validated like any section, with an id no other section of the note uses.
    `position`: how many of the routine's sections come before it in the note, so that
    `with_left_out` puts it back where it was."""

    title: str
    reason: str
    line: int
    section: Section
    position: int

    @property
    def items(self) -> int:
        """How many checkable items it would add: an exercise, or each of its steps."""
        return sum(len(exercise.steps) or 1 for exercise in self.section.exercises)

    def __str__(self) -> str:
        return f"line {self.line}: {self.title}: {self.reason}"


@dataclass(frozen=True)
class NoteImport:
    """The routine in a note, its warnings, and the lists left out of it (`left_out`, in
    the note's order); `kept`: the indices of those put back into `routine` on request."""

    routine: Routine
    warnings: tuple[NoteWarning, ...]
    left_out: tuple[LeftOut, ...] = ()
    kept: tuple[int, ...] = ()


def import_note(
    text: str, filename: str = "note.md", keep: Collection[int] | Literal["all"] = ()
) -> NoteImport:
    """The routine in a markdown note, without the lists that do not look like exercises
    unless `keep` names them (indices into `left_out`, or "all"). Raises `NoteError` if it
    has no exercises at all, or a front matter with YAML aliases."""
    warnings: list[NoteWarning] = []
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    outline = read_outline(without_markup(text).split("\n"), warnings)
    data, left = _Builder(warnings).routine(outline, filename)
    found = tuple(sorted(warnings, key=lambda w: w.line))
    if not data["sections"]:
        raise NoteError(
            "no exercises found: each top-level list item (-, *, + or 1.) becomes an exercise",
            found,
        )
    try:
        full = routine_from_data(data, data.get("source", filename))
    except RoutineError as exc:  # the builder should never produce this; say what it was
        raise NoteError("the note did not make a valid routine:\n" + str(exc), found) from None
    routine, left_out = _split(full, left)
    chosen = tuple(range(len(left_out))) if keep == "all" else tuple(sorted(set(keep)))
    routine = with_left_out(routine, left_out, chosen)
    if not routine.sections:
        lists = "; ".join(f"{lo.title}: {lo.reason}" for lo in left_out[:3])
        lists += f"; and {len(left_out) - 3} more" if len(left_out) > 3 else ""
        raise NoteError(
            f"no exercises found: every list in it looks like something else ({lists}); "
            "import it with --keep-all to keep them",
            found,
        )
    return NoteImport(routine, found, left_out, tuple(i for i in chosen if i < len(left_out)))


def with_left_out(
    routine: Routine, left_out: Sequence[LeftOut], chosen: Collection[int]
) -> Routine:
    """`routine` with the chosen left-out lists (indices into `left_out`) put back where
    they were in the note, each with a section id no other section has. Pure."""
    picked = [left_out[i] for i in sorted(set(chosen)) if 0 <= i < len(left_out)]
    if not picked:
        return routine
    fresh = IdPool(section.id for section in routine.sections)
    sections: list[Section] = []
    for index in range(len(routine.sections) + 1):
        for extra in (lo for lo in picked if lo.position == index):
            sections.append(replace(extra.section, id=fresh(extra.section.id)))
        if index < len(routine.sections):
            sections.append(routine.sections[index])
    return replace(routine, sections=tuple(sections))


def _split(full: Routine, left: dict[int, tuple[str, str, int]]) -> tuple[Routine, tuple]:
    """The routine without the left-out sections (indices into `full.sections`), and those."""
    kept: list[Section] = []
    left_out: list[LeftOut] = []
    for index, section in enumerate(full.sections):
        if index in left:
            title, reason, line = left[index]
            left_out.append(LeftOut(title, reason, line, section, len(kept)))
        else:
            kept.append(section)
    return replace(full, sections=tuple(kept)), tuple(left_out)


# --- Ids and names -------------------------------------------------------------------------


class IdPool:
    """Hands out ids no one has: `base`, else `base-2`, `base-3`… It remembers how far each
    base got, so a note with thousands of items of one title costs thousands of steps, not
    millions (a 1 MB note of one exercise took 47 s)."""

    def __init__(self, taken: Iterable[str] = ()):
        self.taken = set(taken)
        self._next: dict[str, int] = {}

    def __call__(self, base: str) -> str:
        candidate, n = base, self._next.get(base, 2)
        while candidate in self.taken:
            candidate, n = f"{base[:60]}-{n}", n + 1
        self._next[base] = n
        self.taken.add(candidate)
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


def _same_name(title: str) -> str:
    """`Clamshells:` and `clamshell` name the same exercise."""
    return " ".join(
        w[:-1] if len(w) > 3 and w.endswith("s") else w for w in normalise(title).split()
    )


def _short(text: str) -> str:
    return text if len(text) <= 50 else text[:49] + "…"


def _line_title(text: str) -> str:
    """The few words that introduce a bare link ("Full follow-along:"): its title."""
    words = text.strip()
    if not words.endswith((":", "—", "–", " -")):
        return ""
    words = words.rstrip(" :–—-")
    return words if 0 < len(words) <= 60 and not kinds.says_nothing(words) else ""


def _titles_its_link(inline: notetext.Inline) -> bool:
    """A line that is one bare link after a few words ("Follow-along: URL"): the words are
    its title, not text of their own."""
    found = inline.links + inline.videos
    return len(found) == 1 and not found[0].label and bool(_line_title(inline.text))


def _link_title(link: Found, beside: str = "") -> str:
    if link.label:
        return link.label
    if youtube.parse(link.url):
        return beside or "YouTube video"
    return beside or notetext.host(link.url)


# --- Building the routine data -------------------------------------------------------------


@dataclass
class _Entry:
    """A section being built: kept (`reason` "") or left out, with where it came from."""

    title: str
    line: int
    reason: str
    origin: OutlineSection | None
    exercises: list[Built] = field(default_factory=list)
    given_id: str = ""


class _Builder(ItemBuilder):
    """Cleans the outline's text and turns it into the YAML-shaped data of a routine."""

    def routine(self, outline: Outline, filename: str) -> tuple[dict, dict]:
        """The data of every section (kept and left out, in note order) and, by index into
        its sections, the title, reason and line of each left out."""
        front = outline.front
        stem, file_title = _title_from_file(filename)
        permalink = str(front.get("permalink", "")).strip().strip("/").rsplit("/", 1)[-1]
        given = str(front.get("id") or "")
        routine_id = given if SLUG.match(given) else slugify(given or permalink or stem, "routine")
        title = self.clean(1, str(front.get("title", ""))).text
        title = title or self.clean(*outline.title_heading).text or file_title or routine_id
        summary, links, texts = self.summary(outline)
        entries = self.merge_repeats(self.sections(outline.sections))
        entries = [entry for entry in entries if entry.exercises]
        schedule = self.schedule(str(front.get("schedule", "")), texts, outline, entries)
        links = self.front_links(front.get("links")) + links + self.loose_links(outline.loose)
        data: dict = {"id": routine_id, "title": title}
        if summary:
            data["summary"] = summary
        data["schedule"] = schedule
        data["source"] = note_name(filename) or "note.md"
        if links:
            data["links"] = links_data(links, lambda link: link.label)
        section_ids = self.ids([(e.line, e.given_id, e.title) for e in entries], "section")
        data["sections"] = [
            {
                "id": section_id,
                "title": entry.title,
                "exercises": self.exercise_ids(entry.exercises),
            }
            for section_id, entry in zip(section_ids, entries, strict=True)
        ]
        left = {i: (e.title, e.reason, e.line) for i, e in enumerate(entries) if e.reason}
        return data, left

    def ids(self, objects: list[tuple[int, str, str]], fallback: str) -> list[str]:
        """Ids of siblings (line, given id, title): the id the note gave, if no sibling before
        it took it; else a short one from the title that no given id or earlier one has."""
        given = [g for _, g, _ in objects if g]
        pool, seen = IdPool(given), set()
        out = []
        for line, wanted, title in objects:
            if wanted and wanted not in seen:
                seen.add(wanted)
                out.append(wanted)
                continue
            if wanted:
                self.warn(line, f"the id ^{wanted} is used twice; this one gets another")
            out.append(pool(short_id(title, fallback)))
        return out

    def exercise_ids(self, exercises: list[Built]) -> list[dict]:
        """Ids for a section's exercises and each one's steps (`ids`)."""
        found = [(b.line, b.data["id"], b.data["title"]) for b in exercises]
        for built, exercise_id in zip(exercises, self.ids(found, "exercise"), strict=True):
            built.data["id"] = exercise_id
            steps = built.data.get("steps", ())
            chosen = self.ids([(built.line, s["id"], s["title"]) for s in steps], "step")
            for step, step_id in zip(steps, chosen, strict=True):
                step["id"] = step_id
        return [built.data for built in exercises]

    def summary(self, outline: Outline) -> tuple[str, list[Found], list[str]]:
        paragraphs: list[list[str]] = [[]]
        found: list[Found] = []
        for entry in outline.summary:
            if entry is None:
                paragraphs.append([])
                continue
            inline = self.clean(entry[0], entry[1], videos=False)
            beside = _line_title(inline.text) if _titles_its_link(inline) else ""
            if not beside:  # else the line's words are its link's title ("Follow-along:")
                paragraphs[-1].append(inline.text)
            found += [Found(_link_title(link, beside), link.url) for link in inline.links]
            for image in inline.images:
                self.warn(entry[0], f"image “{image}” outside any exercise was not imported")
        for callout in outline.summary_callouts:
            lines = [(callout.line, callout.title), *callout.body]
            inlines = [self.clean(n, t, videos=False) for n, t in lines]
            paragraphs.append([i.text for i in inlines])
            found += [Found(_link_title(link), link.url) for i in inlines for link in i.links]
        texts = [" ".join(t for t in p if t) for p in paragraphs]
        return "\n\n".join(t for t in texts if t), found, texts

    def sections(self, sections: list[OutlineSection]) -> list[_Entry]:
        """Each section's exercises; an item that names a list that is not exercises
        (`Notes:` with sub-items, `Equipment: mat, pillow`) becomes a list of its own."""
        entries: list[_Entry] = []
        for section in sections:
            title = self.clean(section.line, section.title).text
            title = (title if section.given_id else capital(title)) or "Exercises"
            entry = _Entry(title, section.line, section.reason, section, given_id=section.given_id)
            extra: list[_Entry] = []
            for node in section.items:
                named = None if section.reason or node.given_id else _item_label(node)
                if named:
                    extra.append(self.left_out_item(node, *named))
                elif (built := self.exercise(node)) is not None:
                    entry.exercises.append(built)
            if not section.items:
                self.warn(section.line, f"heading “{title}” has no list items; left out")
            entries += [entry, *extra]
        return entries

    def left_out_item(self, node: Node, label: str, rest: str) -> _Entry:
        title = capital(self.clean(node.line, label).text)
        entry = _Entry(title, node.line, kinds.reason(label, strict=True), None)
        if rest or not node.steps:
            own = Node(node.line, node.indent, [rest], node.task, node.notes, [], node.callouts)
            entry.exercises += filter(None, [self.exercise(own)])
        entry.exercises += filter(None, (self.exercise(step) for step in node.steps))
        return entry

    def merge_repeats(self, entries: list[_Entry]) -> list[_Entry]:
        """An exercise named again later with only a video (a "Videos" list after the
        exercises) gives its video to the first one instead of becoming a second exercise."""
        first: dict[str, Built] = {}
        for entry in entries:
            kept: list[Built] = []
            for built in entry.exercises:
                key = _same_name(built.data["title"])
                earlier = first.get(key)
                if (
                    earlier is not None
                    and not built.given
                    and set(built.data) <= _VIDEO_ONLY_KEYS
                    and "video" in built.data
                ):
                    _give_video(earlier.data, built.data)
                    name = built.data["title"].rstrip(" :")
                    what = f"“{name}” again, with a video: given to the exercise"
                    self.warn(built.line, f"{what} on line {earlier.line}")
                    continue
                if not entry.reason:
                    first.setdefault(key, built)
                kept.append(built)
            entry.exercises = kept
        return entries

    def front_links(self, value: object) -> list[Found]:
        """The front matter's `links:` (a list of `[title](url)` or URLs): the routine's."""
        found: list[Found] = []
        for text in value if isinstance(value, list) else [value] if value else []:
            inline = self.clean(1, str(text), videos=False)
            found += [Found(link.label, link.url) for link in inline.links]
        return found

    def schedule(
        self, front: str, texts: list[str], outline: Outline, entries: list[_Entry]
    ) -> dict:
        """Sessions a week and minutes from the front matter's `schedule` if it says either
        (then it is the whole target), else from the first phrases that say them: the
        summary, or a paragraph before any exercises (or in the only section there is). A
        phrase inside one of several sections is about that section: it is reported, not
        taken as the routine's target. Without a phrase: 3 a week."""
        sections = [e.origin for e in entries if not e.reason]
        only = sections[0] if len(sections) == 1 else None
        whole = notetext.sessions_per_week(front) or notetext.minutes(front)
        said = [(1, t, False) for t in ([front] if whole else [front, *texts])]
        for para in outline.loose:
            if _left_out_text(para):
                continue
            inline = self.clean(para.line, para.text)
            text = "" if _titles_its_link(inline) else inline.text
            if whole and (notetext.sessions_per_week(text) or notetext.minutes(text)):
                what = f"“{_short(text)}” is not the target: the front matter's schedule is"
                self.warn(para.line, what + " (“" + _short(front) + "”); not imported")
            elif para.top or para.section is only:
                said.append((para.line, text, True))
            else:
                self.stray(para, text)
        return self.target(said)

    def stray(self, para: Para, text: str) -> None:
        short = _short(text)
        if notetext.sessions_per_week(text) or notetext.minutes(text):
            where = capital(notetext.clean_inline(para.section.title).text) if para.section else ""
            self.warn(
                para.line,
                f"“{short}” is inside the section “{where or 'Exercises'}”, so it is not the "
                "routine's target (that comes from the note's top or front matter); not imported",
            )
        elif text and not kinds.only_filler(text):
            self.warn(para.line, f"text outside any list item was not imported: “{short}”")

    def target(self, said: list[tuple[int, str, bool]]) -> dict:
        """The first sessions a week and minutes said, each within `Schedule`'s bounds; a
        paragraph outside the summary that says neither is reported as not imported."""
        per_week = minutes = None
        low, high = Schedule.PER_WEEK
        shortest, longest = Schedule.MINUTES
        for number, text, loose in said:
            count, length = notetext.sessions_per_week(text), notetext.minutes(text)
            if count is not None and per_week is None:
                if low <= count <= high:
                    per_week = count
                else:
                    self.warn(number, f"{count} sessions a week is not a target ({low} to {high})")
            if length is not None and minutes is None:
                if shortest <= length <= longest:
                    minutes = length
                else:
                    what = f"{length} minutes is not a session length ({shortest} to {longest})"
                    self.warn(number, what)
            if loose and count is None and length is None and not kinds.only_filler(text):
                self.warn(number, f"text outside any list item was not imported: “{_short(text)}”")
        out = {"sessions_per_week": per_week or Schedule.sessions_per_week}
        if minutes:
            out["minutes"] = minutes
        return out

    def loose_links(self, loose: list[Para]) -> list[Found]:
        """Links and videos in paragraphs outside any list item: the routine's links."""
        found: list[Found] = []
        for para in loose:
            if _left_out_text(para):
                continue
            inline = notetext.clean_inline(para.text)  # its problems are reported once, above
            beside = _line_title(inline.text) if _titles_its_link(inline) else ""
            found += [Found(_link_title(f, beside), f.url) for f in inline.videos + inline.links]
        return found


def _left_out_text(para: Para) -> bool:
    """Text in a list left out after the exercises began: the left-out list says so."""
    return not para.top and para.section is not None and bool(para.section.reason)


def _item_label(node: Node) -> tuple[str, str] | None:
    plain = notetext.clean_inline(" ".join(node.text)).text
    return kinds.item_label(plain, bool(node.steps))


def _give_video(first: dict, again: dict) -> None:
    """The first exercise takes the video (or, if it has another, a link to it), and the
    links, notes and image of the same exercise named again."""
    video = again["video"]
    mine = first.get("video")
    if mine is None:
        first["video"] = video
    elif youtube.parse(mine["url"]).video_id == youtube.parse(video["url"]).video_id:
        first["video"] = {**video, **mine}
    else:
        again.setdefault("links", []).insert(
            0, {"title": video.get("title") or again["title"], "url": video["url"]}
        )
    urls = {link["url"] for link in first.get("links", [])}
    links = first.get("links", []) + [ln for ln in again.get("links", []) if ln["url"] not in urls]
    if links:
        first["links"] = links
    if again.get("notes"):
        first["notes"] = "; ".join(filter(None, [first.get("notes"), again["notes"]]))
    if again.get("image") and not first.get("image"):
        first["image"] = again["image"]
