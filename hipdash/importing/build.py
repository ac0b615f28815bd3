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

from hipdash import dose, youtube
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
from hipdash.importing.text import Found
from hipdash.models import Routine, Schedule, Section
from hipdash.routines import RoutineError, routine_from_data, slugify
from hipdash.words import normalise, plural

__all__ = [
    *("LeftOut", "NoteError", "NoteImport", "NoteWarning"),
    *("import_note", "left_out_spots", "with_left_out"),
]

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
    the note's order); `kept`: the indices of those put back into `routine` on request.
    `decisions`: how lines that could be read more than one way were read, by line;
    `target_stated`: the note says how many sessions a week (else 3 is set for now)."""

    routine: Routine
    warnings: tuple[NoteWarning, ...]
    left_out: tuple[LeftOut, ...] = ()
    kept: tuple[int, ...] = ()
    decisions: tuple[NoteWarning, ...] = ()
    target_stated: bool = True
    given_ids: frozenset[str] = frozenset()  # keys (`s`, `s/e`, `s/e/st`) the note gave ids


def import_note(
    text: str, filename: str = "note.md", keep: Collection[int] | Literal["all"] = ()
) -> NoteImport:
    """The routine in a markdown note, without the lists that do not look like exercises
    unless `keep` names them (indices into `left_out`, or "all"). Raises `NoteError` if it
    has no exercises at all, or a front matter with YAML aliases."""
    warnings: list[NoteWarning] = []
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    outline = read_outline(without_markup(text).split("\n"), warnings)
    builder = _Builder(warnings)
    data, left = builder.routine(outline, filename)
    found = tuple(sorted(warnings, key=lambda w: w.line))
    decided = tuple(sorted(builder.decisions, key=lambda w: w.line))
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
    kept = tuple(i for i in chosen if i < len(left_out))
    given = frozenset(builder.given_keys)
    return NoteImport(routine, found, left_out, kept, decided, builder.target_stated, given)


def left_out_spots(count: int, left_out: tuple[LeftOut, ...]) -> dict[int, LeftOut]:
    """Which of a routine's `count` sections, made with every list kept, are the lists the
    importer left out (`with_left_out` put each back before the section it came before)."""
    spots, at = {}, 0
    for index in range(count - len(left_out) + 1):
        for left in (lo for lo in left_out if lo.position == index):
            spots[at] = left
            at += 1
        at += 1
    return spots


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


def _name_words(title: str) -> set[str]:
    """The words that name an exercise: no plural "s", hyphens, apostrophes or words such
    as "isometric" and "seated" ("Isometric dead bugs" and "Dead-bug hold": dead, bug)."""
    words = normalise(re.sub("['’]", "", title)).replace("_", " ").split()
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words} - kinds.NOT_THE_NAME


def _closest(built: Built, earlier: list[Built]) -> Built | None:
    """The earlier exercise whose name shares the most words with this one's (at least
    half of all their words), the first of equals."""
    mine = _name_words(built.data["title"])
    best, score = None, 0.5
    for other in earlier:
        theirs = _name_words(other.data["title"])
        shared = len(mine & theirs) / len(mine | theirs) if mine and theirs else 0
        if shared > score or (shared == score and best is None and shared):
            best, score = other, shared
    return best


def _video_only(built: Built) -> bool:
    """An item that holds only a video (and perhaps notes, links, an image)."""
    return not built.given and set(built.data) <= _VIDEO_ONLY_KEYS and "video" in built.data


_QUOTES = "\"'“”‘’„«» "


def _short(text: str) -> str:
    """A note's text as a warning quotes it: within 50 characters, its own quote marks
    taken off its ends (“”0” read as a quote of nothing)."""
    text = text.strip(_QUOTES) or text
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
    amounts: dict = field(default_factory=dict)  # the section's rounds and rest_seconds


class _Builder(ItemBuilder):
    """Cleans the outline's text and turns it into the YAML-shaped data of a routine."""

    target_stated = True

    def __init__(self, warnings: list[NoteWarning]):
        super().__init__(warnings)
        self.given_keys: set[str] = set()  # keys of items whose ids the note gave

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
        found = [(e.line, e.given_id, e.title) for e in entries]
        section_ids = self.ids(found, "section", "")
        data["sections"] = [
            {
                "id": section_id,
                "title": entry.title,
                **entry.amounts,
                "exercises": self.exercise_ids(entry.exercises, f"{section_id}/"),
            }
            for section_id, entry in zip(section_ids, entries, strict=True)
        ]
        left = {i: (e.title, e.reason, e.line) for i, e in enumerate(entries) if e.reason}
        return data, left

    def ids(self, objects: list[tuple[int, str, str]], fallback: str, prefix: str) -> list[str]:
        """Ids of siblings (line, given id, title): the id the note gave, if no sibling before
        it took it (its key, `prefix` + id, goes into `given_keys`); else a short one from
        the title that no given id or earlier one has."""
        given = [g for _, g, _ in objects if g]
        pool, seen = IdPool(given), set()
        out = []
        for line, wanted, title in objects:
            if wanted and wanted not in seen:
                seen.add(wanted)
                out.append(wanted)
                self.given_keys.add(prefix + wanted)
                continue
            if wanted:
                self.warn(line, f"the id ^{wanted} is used twice; this one gets another")
            out.append(pool(short_id(title, fallback)))
        return out

    def exercise_ids(self, exercises: list[Built], prefix: str) -> list[dict]:
        """Ids for a section's exercises and each one's steps (`ids`)."""
        found = [(b.line, b.data["id"], b.data["title"]) for b in exercises]
        chosen = self.ids(found, "exercise", prefix)
        for built, exercise_id in zip(exercises, chosen, strict=True):
            built.data["id"] = exercise_id
            steps = built.data.get("steps", ())
            found = [(built.line, s["id"], s["title"]) for s in steps]
            chosen = self.ids(found, "step", f"{prefix}{exercise_id}/")
            for step, step_id in zip(steps, chosen, strict=True):
                step["id"] = step_id
        return [built.data for built in exercises]

    def summary(self, outline: Outline) -> tuple[str, list[Found], list[tuple[int, str]]]:
        """The summary, its links, and each paragraph with the line it starts on."""
        paragraphs: list[tuple[int, list[str]]] = [(0, [])]
        found: list[Found] = []
        for entry in outline.summary:
            if entry is None:
                paragraphs.append((0, []))
                continue
            inline = self.clean(entry[0], entry[1], videos=False)
            beside = _line_title(inline.text) if _titles_its_link(inline) else ""
            if not beside:  # else the line's words are its link's title ("Follow-along:")
                paragraphs[-1][1].append(inline.text)
                paragraphs[-1] = (paragraphs[-1][0] or entry[0], paragraphs[-1][1])
            found += [Found(_link_title(link, beside), link.url) for link in inline.links]
            for image in inline.images:
                self.warn(entry[0], f"image “{image}” outside any exercise was not imported")
        for callout in outline.summary_callouts:
            lines = [(callout.line, callout.title), *callout.body]
            inlines = [self.clean(n, t, videos=False) for n, t in lines]
            paragraphs.append((callout.line, [i.text for i in inlines]))
            found += [Found(_link_title(link), link.url) for i in inlines for link in i.links]
        texts = [(line, " ".join(t for t in p if t)) for line, p in paragraphs]
        return "\n\n".join(t for _, t in texts if t), found, texts

    def sections(self, sections: list[OutlineSection]) -> list[_Entry]:
        """Each section's exercises; an item that names a list that is not exercises
        (`Notes:` with sub-items, `Equipment: mat, pillow`) becomes a list of its own."""
        entries: list[_Entry] = []
        for section in sections:
            heading = self.clean(section.line, section.title)
            title, phrase = notetext.split_heading(heading.guarded)
            title = (title if section.given_id else capital(title)) or "Exercises"
            entry = _Entry(title, section.line, section.reason, section, given_id=section.given_id)
            extra: list[_Entry] = []
            for node in section.items:
                named = None if section.reason or node.given_id else _item_label(node)
                if named:
                    extra.append(self.left_out_item(node, *named))
                elif (built := self.exercise(node)) is not None:
                    entry.exercises.append(built)
            if phrase and not section.reason:
                self.heading_dose(entry, phrase)
            entry.amounts.update(self.section_fields(section.line, heading.fields))
            if not section.items:
                self.warn(section.line, f"heading “{title}” has no list items; left out")
            entries += [entry, *extra]
        return entries

    def heading_dose(self, entry: _Entry, phrase: str) -> None:
        """A heading's dose phrase is about its exercises: "3 rounds", or sets under a
        heading that says "circuit", make it a circuit (rounds, and the rest between its
        exercises); "2 sets", "20 s rest" otherwise go to each exercise that states none."""
        said = dose.parse(phrase)
        words = set(normalise(f"{entry.title} {phrase}").split())
        circuit = bool(words & {"round", "rounds", "circuit", "circuits"})
        heading = f"heading “{entry.title}: {phrase}”"
        if circuit and said.sets:
            entry.amounts = {"rounds": said.sets} | (
                {"rest_seconds": said.rest_seconds} if said.rest_seconds is not None else {}
            )
            rest = (
                f", {said.rest_seconds} s rest between its exercises" if said.rest_seconds else ""
            )
            self.decide(entry.line, f"{heading}: a circuit of {said.sets} rounds{rest}")
            return
        given = {"sets": said.sets, "rest_seconds": said.rest_seconds}
        given = {k: v for k, v in given.items() if v is not None}
        for built in entry.exercises:
            for key, value in given.items():
                built.data.setdefault(key, value)
        if given:
            what = dose.describe(dose.Dose(sets=given.get("sets"))) or "its exercises"
            rest = f", {given['rest_seconds']} s rest" if "rest_seconds" in given else ""
            self.decide(entry.line, f"{heading}: {what}{rest} for each exercise that says none")

    def section_fields(self, line: int, fields: tuple[tuple[str, str], ...]) -> dict:
        """A heading's Dataview fields: `[rounds:: 3]`, `[rest:: 20]` (the section's own)."""
        names = {"rounds": "rounds", "rest": "rest_seconds", "rest_seconds": "rest_seconds"}
        out = {}
        for name, value in fields:
            key = names.get(name.replace(" ", "_"))
            low, high = dose.SECTION_LIMITS.get(key, (0, -1))
            if key and value.isdigit() and low <= int(value) <= high:
                out[key] = int(value)
            elif key:
                self.warn(line, f"{name}:: {value} is not from {low} to {high}; not imported")
        return out

    def left_out_item(self, node: Node, label: str, rest: str) -> _Entry:
        title = capital(self.clean(node.line, label).text)
        entry = _Entry(title, node.line, kinds.reason(label, strict=True), None)
        if rest or not node.steps:
            own = Node(node.line, node.indent, [rest], node.task, node.notes, [], node.callouts)
            entry.exercises += filter(None, [self.exercise(own)])
        entry.exercises += filter(None, (self.exercise(step) for step in node.steps))
        return entry

    def merge_repeats(self, entries: list[_Entry]) -> list[_Entry]:
        """An exercise named again later with only a video gives its video to the first one
        instead of becoming a second exercise; a later list of videos only, most of them for
        exercises named above in other words, gives each its video and adds no section."""
        earlier: list[Built] = []
        by_name: dict[str, Built] = {}
        for entry in entries:
            if not entry.reason and self.videos_list(entry, earlier, by_name):
                entry.exercises = []
                continue
            kept: list[Built] = []
            for built in entry.exercises:
                key = _same_name(built.data["title"])
                if key in by_name and _video_only(built):
                    self.give_video(built, by_name[key])
                    continue
                if not entry.reason:
                    by_name.setdefault(key, built)
                    earlier.append(built)
                kept.append(built)
            entry.exercises = kept
        return entries

    def videos_list(self, entry: _Entry, earlier: list[Built], by_name: dict) -> bool:
        """A list of videos only ("Edit: Videos, as requested"), at least half of them (or
        one, under a heading that names videos) for exercises above: each video goes to the
        exercise named most like it; one that matches none is a warning."""
        items = entry.exercises
        if not items or not earlier or not all(_video_only(built) for built in items):
            return False
        matches = [
            (b, by_name.get(_same_name(b.data["title"])) or _closest(b, earlier)) for b in items
        ]
        found = sum(1 for _, match in matches if match is not None)
        names_videos = bool({"video", "videos"} & set(normalise(entry.title).split()))
        if found * 2 < len(items) and not (names_videos and found):
            return False
        for built, match in matches:
            if match is not None:
                self.give_video(built, match)
            else:
                name = built.data["title"].rstrip(" :")
                self.warn(
                    built.line,
                    f"a video for “{name}”, but no exercise above is named like it; not imported",
                )
        return True

    def give_video(self, built: Built, first: Built) -> None:
        _give_video(first.data, built.data)
        name, to = built.data["title"].rstrip(" :"), first.data["title"]
        again = "again" if _same_name(name) == _same_name(to) else f"(“{to}”)"
        self.decide(
            built.line,
            f"“{name}” {again}, with a video: given to the exercise on line {first.line}",
        )

    def front_links(self, value: object) -> list[Found]:
        """The front matter's `links:` (a list of `[title](url)` or URLs): the routine's."""
        found: list[Found] = []
        for text in value if isinstance(value, list) else [value] if value else []:
            inline = self.clean(1, str(text), videos=False)
            found += [Found(link.label, link.url) for link in inline.links]
        return found

    def schedule(
        self, front: str, texts: list[tuple[int, str]], outline: Outline, entries: list[_Entry]
    ) -> dict:
        """Sessions a week and minutes from the front matter's `schedule` if it says either
        (then it is the whole target), else from the first phrases that say them: the
        summary, or a paragraph before any exercises (or in the only section there is). A
        phrase inside one of several sections is about that section: it is reported, not
        taken as the routine's target. Without a phrase: 3 a week."""
        sections = [e.origin for e in entries if not e.reason]
        only = sections[0] if len(sections) == 1 else None
        whole = notetext.sessions_per_week(front) or notetext.minutes(front)
        said = [(1, front, False), *([] if whole else [(n, t, False) for n, t in texts])]
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
        paragraph outside the summary that says neither is reported as not imported. No
        phrase: 3 a week for now, and `target_stated` False (the preview asks)."""
        per_week = minutes = None
        low, high = Schedule.PER_WEEK
        shortest, longest = Schedule.MINUTES
        for number, text, loose in said:
            found, length = notetext.sessions_said(text), notetext.minutes(text)
            if found is not None and per_week is None:
                if low <= found.per_week <= high:
                    per_week = found.per_week
                    self.read_target(number, found)
                else:
                    what = f"{found.per_week} sessions a week is not a target ({low} to {high})"
                    self.warn(number, what)
            if length is not None and minutes is None:
                if shortest <= length <= longest:
                    minutes = length
                else:
                    what = f"{length} minutes is not a session length ({shortest} to {longest})"
                    self.warn(number, what)
            if loose and found is None and length is None and not kinds.only_filler(text):
                self.warn(number, f"text outside any list item was not imported: “{_short(text)}”")
        self.target_stated = per_week is not None
        out = {"sessions_per_week": per_week or Schedule.sessions_per_week}
        if minutes:
            out["minutes"] = minutes
        return out

    def read_target(self, line: int, said: notetext.Said) -> None:
        per_week = plural(said.per_week, "session")
        if said.exact:
            self.decide(line, f"“{said.phrase}” read as the target: {per_week} a week")
        else:
            self.warn(
                line,
                f"“{said.phrase}” is not a whole number of sessions a week: the target is "
                f"{per_week} a week (rounded)",
            )

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
