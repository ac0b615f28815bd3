"""A routine -> an Obsidian-style markdown note whose import gives the same routine back.

The note reads like one a person writes: front matter with the id, title, target and the
routine's links; the summary as prose; a heading per section; a bullet per exercise with
its dose after a dash, its notes in brackets and "(optional)"; steps as sub-bullets;
links and an image as sub-bullets; the video as the callout Obsidian's link previews make.
Every exercise and step carries its id as an Obsidian block id (`^cat-cow`, hidden when
the note is read in Obsidian), so ids, and the history behind them, survive a rename in
the note; a heading carries one only when its title would not give its id.

Each part is written as plainly as it reads back exactly: it is imported on its own, and
where that does not give it back, written more carefully (every mark escaped, the title in
bold, notes on a line of their own). What still cannot be written exactly is listed in
`Written.problems`. Two things are not kept (see `as_imported`): the note's file name
becomes the routine's `source`, and a dose field left unstated comes back as its dose's
words state it (the same plan). Pure: a routine in, text out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import yaml

from hipdash import dose as doses
from hipdash import youtube
from hipdash.importing.build import NoteError, import_note, short_id
from hipdash.importing.kinds import reason
from hipdash.importing.text import IMAGE_EXTENSIONS
from hipdash.models import Exercise, Link, Routine, Section, Step

_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_ALWAYS = set("\\`*_[]<>{}%~=^|#")  # what always means something to the importer
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_DASHES = "—–·•"  # not ASCII, so not escapable: an entity where they would split a line
_LINE_START = re.compile(r"^(?:[-+*>|#]|\d{1,9}[.)])")
_VIDEO_HOST = re.compile(r"(youtube\.com|youtu\.be)/", re.IGNORECASE)
# How carefully a part is written, tried in order until it reads back exactly.
_PLAIN, _ESCAPED, _BOLD, _NOTES_APART = range(4)


@dataclass(frozen=True)
class Written:
    """The note, and what in it would not import back exactly (empty when it all does)."""

    text: str
    problems: tuple[str, ...] = ()


def escape(text: str, every: bool = False, also: str = "") -> str:
    """Text that the importer reads back as written: marks it acts on escaped with a
    backslash (`every`: all ASCII punctuation; `also`: these too), entities and links
    defused."""
    out: list[str] = []
    for i, char in enumerate(text):
        after = text[i + 1 : i + 2]
        if (
            (every and char in _PUNCT)
            or char in _ALWAYS
            or char in also
            or (char == ":" and after == ":")
            or (char == "/" and text[i - 1 : i] == ":")
            or (char == "(" and text[i - 1 : i] == "]")
            or (char == "!" and text[i - 1 : i] == "<")
            or (char == "&" and _ENTITY.match(text, i))
        ):
            out.append("\\" + char)
        elif char == "/" and _VIDEO_HOST.search(text[max(0, i - 11) : i + 1]):
            out.append("\\/")
        elif every and char in _DASHES:
            out.append(f"&#{ord(char)};")
        else:
            out.append(char)
    return "".join(out)


def line_text(text: str, every: bool = False) -> str:
    """`escape`, and a start that would make the line a list item, quote or heading."""
    out = escape(text, every)
    return "\\" + out if _LINE_START.match(out) and not out.startswith("\\") else out


def as_imported(routine: Routine, source: str) -> Routine:
    """What importing a routine's note gives, by design: `source` is the note's file name,
    and every dose field left unstated is what its dose's words state."""
    sections = tuple(
        replace(s, exercises=tuple(_stated(e) for e in s.exercises)) for s in routine.sections
    )
    return replace(routine, source=source, sections=sections)


def _stated(exercise: Exercise) -> Exercise:
    said = doses.parse(exercise.dose)
    filled = {f: getattr(said, f) for f in doses.FIELDS if getattr(exercise, f) is None}
    return replace(exercise, **filled)


@functools.lru_cache(maxsize=16)
def write_note(routine: Routine, name: str = "note.md") -> Written:
    """The routine as a note (`name`: the file it goes to, which becomes its `source`).
    Kept for the same routine and name: a routine's note panel asks twice a run (its
    download, and what writing into its note would do), each time reading it back."""
    problems: list[str] = []
    lines = [*_front_matter(routine), ""]
    summary = _summary(routine, problems)
    lines += [*summary, ""] if summary else []
    for section in routine.sections:
        lines += [_heading(section), ""]
        for exercise in section.exercises:
            lines += _exercise(section, exercise, problems)
        lines.append("")
    text = "\n".join(lines).rstrip("\n") + "\n"
    problems += _differences(routine, text, name) if not problems else []
    return Written(text, tuple(problems))


# --- The parts -------------------------------------------------------------------------------


def _front_matter(routine: Routine) -> list[str]:
    title = _careful(routine.title, lambda t: getattr(_front({"title": t}), "title", None))
    data: dict = {"id": routine.id, "title": title, "schedule": _schedule_words(routine)}
    if routine.links:
        data["links"] = [_link(link) for link in routine.links]
    return _front(data, check=False)


def _front(data: dict, check: bool = True):
    """Front matter lines for `data`; with `check`, the routine a note of only them gives."""
    dumped = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10**6)
    lines = ["---", *dumped.rstrip("\n").split("\n"), "---"]
    return _read([*lines, "## x ^x", "- x ^x"]) if check else lines


def _careful(text: str, read_back: Callable[[str], object]) -> str:
    """`text` escaped as little as reads back as itself (else with every mark escaped)."""
    plain = escape(text)
    return plain if read_back(plain) == text else escape(text, every=True)


def _schedule_words(routine: Routine) -> str:
    """'3 times a week, about 30 minutes': words the importer reads as the target."""
    count = routine.schedule.sessions_per_week
    words = f"{count} {'time' if count == 1 else 'times'} a week"
    minutes = routine.schedule.minutes
    return words + (f", about {minutes} minutes" if minutes else "")


def _link(link: Link) -> str:
    url = _url(link.url)

    def read_back(label: str) -> str | None:
        found = _front({"links": [f"[{label}]({url})"]})
        return found.links[0].title if found and found.links else None

    label = _careful(link.title, read_back)
    return f"[{label}]({url})"


def _url(url: str) -> str:
    """A URL as a link target: as it is, or in angle brackets if it holds spaces or brackets."""
    return url if not re.search(r"[\s()<>\[\]]", url) else f"<{url}>"


def _summary(routine: Routine, problems: list[str]) -> list[str]:
    """The summary's paragraphs, each on one line, blank lines between: each as plainly as
    it reads back, then all of them checked together (a line can change how the next reads)."""
    paragraphs = [" ".join(p.split()) for p in routine.summary.split("\n\n") if p.strip()]
    wanted = "\n\n".join(paragraphs)
    chosen = []
    for words in paragraphs:
        tries = [line_text(words), line_text(words, every=True)]
        chosen.append(_first(tries, lambda line, w=words: _summary_of([line]) == w) or "")
    for lines in (chosen, [_entities(words) for words in paragraphs]):
        spaced = [part for line in lines for part in (line, "")][:-1]
        if all(lines) and _summary_of(spaced) == wanted:
            return spaced
    if paragraphs:
        problems.append(f"the summary “{_short(wanted)}” does not read back exactly")
    return spaced


def _entities(words: str) -> str:
    """The last resort for a line: its first and last characters as HTML entities, so it
    cannot start like a list, a quote or a label, or end like one."""
    middle = escape(words[1:-1], every=True) if len(words) > 2 else ""
    ends = [f"&#{ord(c)};" for c in (words[:1], words[-1:] if len(words) > 1 else "") if c]
    return ends[0] + middle + (ends[1] if len(ends) > 1 else "")


def _summary_of(lines: list[str]) -> str | None:
    front = ["---", "id: x", "title: x", "schedule: once a week", "---"]
    routine = _read([*front, *lines, "", "## x ^x", "- x ^x"])
    return routine.summary if routine else None


def _heading(section: Section) -> str:
    """`## Title`, with "(3 rounds, 20 s rest)" for a circuit, and its block id when the
    title alone would not give it (or would read as something other than exercises);
    escaped further, and the numbers as Dataview fields, if it still would not read back."""
    amounts = [(name, getattr(section, name)) for name in doses.SECTION_FIELDS]
    fields = "".join(
        f" [{name.removesuffix('_seconds')}:: {v}]" for name, v in amounts if v is not None
    )
    said = ""
    if (section.rounds or 0) > 1:
        rest = f", {section.rest_seconds} s rest" if section.rest_seconds is not None else ""
        said = f" ({section.rounds} rounds{rest})"
    mark = f" ^{section.id}"
    titles = [(escape(section.title), ""), (escape(section.title), mark)]
    titles += [(escape(section.title, also="()"), mark), (escape(section.title, True), mark)]
    tries = [
        f"## {title}{suffix}{end}"
        for suffix in dict.fromkeys([said or fields, fields])
        for title, end in titles
    ]
    if short_id(section.title, "section") != section.id or reason(section.title):
        tries = [line for line in tries if line.endswith(mark)]
    wanted = (section.id, section.title, section.rounds, section.rest_seconds)

    def exact(line: str) -> bool:
        found = _read([line, f"- x ^{_other(section.id)}"])
        if found is None:
            return False
        got = found.sections[0]
        return (got.id, got.title, got.rounds, got.rest_seconds) == wanted

    return _first(tries, exact) or tries[-1]


def _other(used: str) -> str:
    return "x" if used != "x" else "y"


def _exercise(section: Section, exercise: Exercise, problems: list[str]) -> list[str]:
    """An exercise's lines, as plainly as they read back exactly."""
    wanted = _stated(exercise)
    tries = [_exercise_lines(exercise, care) for care in range(_NOTES_APART + 1)]
    heading = f"## {escape(section.title)} ^{section.id}"

    def exact(lines: list[str]) -> bool:
        found = _read([heading, *lines])
        return found is not None and found.sections[0].exercises == (wanted,)

    chosen = _first(tries, exact)
    if chosen is None:
        problems.append(
            f"{section.id}/{exercise.id} (“{_short(exercise.title)}”) does not read back exactly"
        )
    return chosen or tries[-1]


def _exercise_lines(exercise: Exercise, care: int) -> list[str]:
    every = care >= _ESCAPED
    head = _title(exercise.title, care)
    if exercise.dose:
        head += " — " + escape(exercise.dose, every)
    if exercise.notes and care < _NOTES_APART:
        head += f" ({escape(exercise.notes, every, also='()')})"
    if exercise.optional:
        head += " (optional)"
    head += "".join(f" [{name}:: {value}]" for name, value in _fields(exercise))
    lines = [f"- {head} ^{exercise.id}"]
    if exercise.notes and care >= _NOTES_APART:
        lines += _indented(exercise.notes, "    ", every=True)
    if exercise.image:
        lines.append(f"  - {_image(exercise.image)}")
    lines += [f"  - {_link(link)}" for link in exercise.links if not _is_video(link.url)]
    for step in exercise.steps:
        lines += _step_lines(step, care)
    if exercise.video:
        lines += _callout(exercise, every)
    return lines


def _title(title: str, care: int) -> str:
    if care >= _BOLD:
        return f"**{escape(title, every=True)}**"
    return escape(title, every=care >= _ESCAPED)


def _fields(exercise: Exercise) -> list[tuple[str, int]]:
    """The dose fields its words do not state as they are: Dataview fields on its line."""
    said = doses.parse(exercise.dose)
    out = []
    for name in doses.FIELDS:
        value = getattr(exercise, name)
        if value is not None and value != getattr(said, name):
            out.append((name.removesuffix("_seconds"), value))
    return out


def _step_lines(step: Step, care: int) -> list[str]:
    lines = [f"  - {_title(step.title, care)} ^{step.id}"]
    return lines + _indented(step.notes, "      ", every=care >= _ESCAPED)


def _indented(text: str, indent: str, every: bool) -> list[str]:
    """Text under an item: each of its lines indented (they come back joined by "; ")."""
    return [indent + line_text(line.strip(), every) for line in text.splitlines() if line.strip()]


def _image(image: str) -> str:
    if image.lower().endswith(IMAGE_EXTENSIONS) and not re.search(r"[\[\]|#^\n]", image):
        return f"![[{image}]]"
    return f"![]({image})"


def _is_video(url: str) -> bool:
    return youtube.parse(url) is not None


def _callout(exercise: Exercise, every: bool) -> list[str]:
    """The video as Obsidian's link preview writes it; other YouTube links of the exercise
    follow it there (a sub-bullet would make one of them the video)."""
    video = exercise.video
    lines = [f"    > [!info] {escape(video.title, every)}".rstrip()]
    if video.description:
        lines += _indented(video.description, "    > ", every)
    lines.append(f"    > [{video.url}]({_url(video.url)})")
    lines += [f"    > {_link(link)}" for link in exercise.links if _is_video(link.url)]
    return lines


# --- Reading back --------------------------------------------------------------------------


def _read(lines: list[str]) -> Routine | None:
    try:
        return import_note("\n".join(lines) + "\n", "check.md", keep="all").routine
    except NoteError:
        return None


def _first(tries: Iterable, exact: Callable):
    for attempt in tries:
        if exact(attempt):
            return attempt
    return None


def _differences(routine: Routine, text: str, name: str) -> list[str]:
    """What the whole note gives back differently (none, when every part read back)."""
    try:
        back = import_note(text, name, keep="all").routine
    except NoteError as exc:
        return [f"the note does not import: {exc}"]
    wanted = as_imported(routine, back.source)
    if back == wanted:
        return []
    names = ("id", "title", "summary", "schedule", "links")
    out = [
        f"the routine's {name} reads back differently"
        for name in names
        if getattr(back, name) != getattr(wanted, name)
    ]
    if back.sections != wanted.sections:
        out.append("its sections read back differently (ids or order)")
    return out


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"
