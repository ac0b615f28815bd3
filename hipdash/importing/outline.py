"""The structure of a markdown note, read the way a person reads it, before any text in it
is cleaned: front matter, headings (sections), top-level list items (exercises), nested
items (steps), callouts and the prose before the first section. `hipdash.importing.build`
turns this outline into a routine.

Each section also says whether it looks like something other than exercises (notes,
equipment, theory, …: `Section.reason`, from `hipdash.importing.kinds`), judged from its
heading, from a label line such as `Equipment:` above a list, or from a heading above it;
such lists do not end the note's summary.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from hipdash import yamlsafe
from hipdash.importing import kinds
from hipdash.importing import text as notetext

MAX_LINE = 2000
MAX_FRONT_MATTER = 16_384  # characters: real front matter is a few hundred
LABEL_LEVEL = 7  # a label line ("Equipment:") or a table of contents, below any heading
TOC_TITLE = "Table of contents"
_HEADING = re.compile(r"^(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$")
_RULE = re.compile(r"^(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,9}[.)])(?:\s+(.*))?$")
_TASK = re.compile(r"^\[[ xX/-]\]\s+")
_CALLOUT = re.compile(r"^\[!([A-Za-z][\w-]*)\]([+-]?)\s*(.*)$")
# kramdown's block attribute lists and extensions on a line of their own: `{:toc}`,
# `{: .lead}`, `{:#id}`, `{::options parse_block_html="true" /}`, `{:/comment}`.
_IAL_LINE = re.compile(r"^\{:[^{}]*\}$|^\{::[^{}]*\}$|^\{:/[a-z]*\}$")
# A Dataview inline field on a line of its own, listed or not: `Status:: active`.
_FIELD_LINE = re.compile(r"^(?:[-*+]\s+)?[^\W\d][\w \-/]{0,40}::(?:\s|$)")
# Spans that are not content, blanked before the note is read (their line breaks are kept
# so line numbers stay right): Templater code, Obsidian and HTML comments.
_SPANS = (("<%", "%>"), ("%%", "%%"), ("<!--", "-->"), ("{::comment}", "{:/comment}"))
_KEEP_FRONT_MATTER = ("title", "permalink", "id", "schedule", "links")


class NoteError(ValueError):
    """The note cannot become a routine (no list items, or a hostile front matter)."""

    def __init__(self, message: str, warnings: tuple[NoteWarning, ...] = ()):
        self.warnings = warnings
        super().__init__(message)


@dataclass(frozen=True)
class NoteWarning:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class Callout:
    line: int
    kind: str
    title: str
    body: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Node:
    """A list item while the note is read: its text lines, nested notes, steps and callouts;
    `task` if it was written as a checkbox (`- [ ] 30s`)."""

    line: int
    indent: int
    text: list[str]
    task: bool = False
    notes: list[tuple[int, str]] = field(default_factory=list)
    steps: list[Node] = field(default_factory=list)
    callouts: list[Callout] = field(default_factory=list)
    given_id: str = ""  # its block id (`- Cat cow ^cat-cow`): the id it keeps, as written


@dataclass
class Section:
    """A heading (`level` 1–6), a label line or table of contents (`LABEL_LEVEL`), or the
    items before any heading (0). `reason`: why it does not look like exercises, or ""."""

    line: int
    title: str
    level: int = 0
    reason: str = ""
    items: list[Node] = field(default_factory=list)
    given_id: str = ""


@dataclass(frozen=True)
class Para:
    """A paragraph (or quote) outside any list item after the summary. `top`: no list of
    exercises came before it, so it still speaks for the whole note."""

    line: int
    text: str
    section: Section | None
    top: bool


@dataclass
class Outline:
    """The note's structure, before any text is cleaned."""

    front: dict = field(default_factory=dict)
    title_heading: tuple[int, str] = (1, "")
    summary: list[tuple[int, str] | None] = field(default_factory=list)
    summary_callouts: list[Callout] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    loose: list[Para] = field(default_factory=list)


def without_markup(text: str) -> str:
    """The note with Templater code (`<% … %>`, `<%* … %>`) and comments (`%% … %%`,
    `<!-- … -->`) blanked, over several lines too; an unclosed one stays as written.
    Linear: each opening and closing mark is searched for once."""
    out: list[str] = []
    done = 0
    upcoming = {start: text.find(start) for start, _ in _SPANS}
    while True:
        live = [(pos, start) for start, pos in upcoming.items() if pos >= 0]
        if not live:
            break
        pos, start = min(live)
        end = dict(_SPANS)[start]
        close = text.find(end, pos + len(start))
        if close < 0:
            upcoming[start] = -1  # never closed: the rest stays text
            continue
        out += [text[done:pos], "\n" * text.count("\n", pos, close)]
        done = close + len(end)
        for other, at in upcoming.items():
            if 0 <= at < done:
                upcoming[other] = text.find(other, done)
    return "".join(out) + text[done:]


def given_id(text: str) -> tuple[str, str]:
    """The text without its trailing block id (`Cat cow ^cat-cow`), and the id ("" if none)."""
    found = notetext.GIVEN_ID.search(text)
    return (text[: found.start()], found[1]) if found else (text, "")


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
    """The front matter (JSON or YAML between `---` lines) and the index of the first body line.

    YAML is read without aliases: a few lines of nested aliases stand for billions of items
    (`title: *h`), so a note that uses them is refused outright."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        warnings.append(
            NoteWarning(1, "front matter is never closed by a '---' line; read as text")
        )
        return {}, 1
    if sum(len(line) + 1 for line in lines[1:end]) > MAX_FRONT_MATTER:
        what = f"front matter is over {MAX_FRONT_MATTER:,} characters; ignored"
        warnings.append(NoteWarning(2, what))
        return {}, end + 1
    # Only the end is stripped: the front matter's first line stays the note's line 2.
    data = _parse_front(notetext.repair("\n".join(lines[1:end])).rstrip(), warnings)
    return _kept_front(data, warnings), end + 1


def _kept_front(data: dict, warnings: list[NoteWarning]) -> dict:
    """The keys the import uses; one that should be text and is a list or a set of keys
    (`title: {a: b}`) is left out with a warning, not read as its Python spelling."""
    kept = {}
    for key in _KEEP_FRONT_MATTER:
        value = data.get(key)
        if value in (None, ""):
            continue
        if key != "links" and not isinstance(value, str | int | float):
            warnings.append(NoteWarning(2, f"front matter {key} is not text; ignored"))
            continue
        kept[key] = value
    return kept


def _parse_front(raw: str, warnings: list[NoteWarning]) -> dict:
    data = None
    if raw.lstrip().startswith("{"):
        try:
            data = _front_json(raw, warnings)
        except (ValueError, RecursionError):
            data = None
    if data is None and raw.strip():
        try:
            data = _front_yaml(raw, warnings)
        except yamlsafe.AliasRefused as exc:
            line = exc.line + 1 if exc.line else 2
            raise NoteError(
                f"line {line}: the front matter uses a YAML alias (*{exc.anchor}): a note "
                "never needs one, and a few can stand for billions of items. Remove the "
                "`&name` and `*name` marks and try again",
                (),
            ) from None
        except yamlsafe.YamlRefused:
            warnings.append(NoteWarning(2, "front matter is neither valid JSON nor YAML; ignored"))
            return {}
    if data is not None and not isinstance(data, dict):
        warnings.append(NoteWarning(2, "front matter is not a set of keys and values; ignored"))
        return {}
    return data or {}


def _front_json(raw: str, warnings: list[NoteWarning]):
    """Front matter written as JSON; a key given twice keeps the last, as in YAML, and is
    said when it is one the import uses."""
    twins: list[list[str]] = []  # per object, the outermost last

    def pairs(items: list[tuple[str, object]]) -> dict:
        keys = [key for key, _ in items]
        twins.append([key for n, key in enumerate(keys) if key in keys[:n]])
        return dict(items)

    data = json.loads(raw, object_pairs_hook=pairs)
    used = dict.fromkeys(k for k in (twins[-1] if twins else ()) if k in _KEEP_FRONT_MATTER)
    if used and isinstance(data, dict):
        last = _last_keys(raw)
        for key in used:
            warnings.append(_given_twice(key, raw.count("\n", 0, last.get(key, 0)) + 2))
    return data


def _last_keys(raw: str) -> dict[str, int]:
    """Where each key of a JSON object (`raw`, valid JSON) is last given, as written (escapes
    and all), at its top level only: the front matter's first line is the note's line 2."""
    decoder, space = json.JSONDecoder(), re.compile(r"\s*")
    at = space.match(raw).end() + 1  # after the "{"
    found: dict[str, int] = {}
    while (at := space.match(raw, at).end()) < len(raw) and raw[at] == '"':
        key, end = json.decoder.scanstring(raw, at + 1)
        found[key] = at
        at = space.match(raw, end).end() + 1  # after the ":"
        _, at = decoder.raw_decode(raw, space.match(raw, at).end())
        at = space.match(raw, at).end() + 1  # after a "," (or the closing "}")
    return found


def _given_twice(key: str, line: int) -> NoteWarning:
    """A key the import uses, given twice in the front matter (JSON or YAML)."""
    return NoteWarning(line, f"front matter gives {key} twice; the last is used")


def _front_yaml(raw: str, warnings: list[NoteWarning]):
    """Front matter's YAML (no aliases, dates stay text, no exception but its own). A key
    given twice keeps the last, as Obsidian does; said when it is one the import uses."""
    try:
        return yamlsafe.load(raw)
    except yamlsafe.TwinRefused as exc:
        if exc.key in _KEEP_FRONT_MATTER:
            warnings.append(_given_twice(exc.key, (exc.line or 1) + 1))
        return yamlsafe.load(raw, twins=True)


def read_outline(lines: list[str], warnings: list[NoteWarning]) -> Outline:
    """The outline of a note's lines (Templater code and comments already blanked)."""
    return _Reader(warnings).read(lines)


class _Reader:
    """Reads a note line by line, each kind of line in its own step; the state is what a
    person keeps in mind while reading: the section, item, step and callout they are in."""

    def __init__(self, warnings: list[NoteWarning]):
        self.warnings = warnings
        self.out = Outline()
        self.section: Section | None = None
        self.resume: Section | None = None  # the section a label's list sits in
        self.item: Node | None = None
        self.step: Node | None = None
        self.callout: Callout | None = None
        self.previous = "blank"
        self.block: tuple[int, str, str] | None = (
            None  # open code block or table: line, kind, fence
        )
        self.in_summary = True
        self.exercises_started = False
        self.headings: list[Section] = []  # the headings a new one may sit under, outermost first

    def read(self, lines: list[str]) -> Outline:
        self.out.front, first = _front_matter(lines, self.warnings)
        for number, raw in enumerate(lines[first:], start=first + 1):
            if len(raw) > MAX_LINE:
                message = f"very long line: only its first {MAX_LINE} characters read"
                self.warnings.append(NoteWarning(number, message))
                raw = raw[:MAX_LINE]
            self.line(number, notetext.repair(raw))
        if self.block:
            self.close_block(len(lines))
        self.end_label()
        return self.out

    def line(self, number: int, line: str) -> None:
        stripped = line.strip()
        indent = _indent(line)
        if self.in_block(number, stripped, indent):
            return
        if _IAL_LINE.match(stripped) or _FIELD_LINE.match(stripped):
            return  # markup, not content: it neither ends a list nor becomes text
        if not stripped:
            self.blank()
        elif heading := (_HEADING.match(stripped) if indent < 4 else None):
            self.heading(number, len(heading[1]), heading[2] or "")
        elif _RULE.match(stripped):
            self.item = self.step = self.callout = None
            self.previous = "heading"
        elif stripped.startswith(">"):
            self.quote(number, stripped)
        elif listed := _LIST_ITEM.match(stripped):
            self.callout = None
            self.list_item(number, indent, listed[1] or "")
        else:
            self.callout = None
            self.text(number, indent, stripped)

    def close_block(self, end: int) -> None:
        start, kind, _ = self.block
        span = f"line {start}" if end == start else f"lines {start}–{end}"
        self.warnings.append(NoteWarning(start, f"{kind} ({span}) was not imported"))
        self.block = None

    def in_block(self, number: int, stripped: str, indent: int) -> bool:
        """Code blocks and tables are skipped and reported; True for a line of one."""
        if self.block and self.block[1] == "a code block":
            if stripped.startswith(self.block[2]) and not stripped.strip(self.block[2][0]):
                self.close_block(number)
            return True
        if self.block and not stripped.startswith("|"):
            self.close_block(number - 1)
        if fence := _FENCE.match(stripped):
            self.block = (number, "a code block", fence[1])
        elif stripped.startswith("|"):
            self.block = self.block or (number, "a table", "")
        else:
            return False
        if indent < 2:  # an unindented block ends the list, as in markdown
            self.item = self.step = self.callout = None
        self.previous = "block"
        return True

    def blank(self) -> None:
        self.callout, self.previous = None, "blank"
        if self.in_summary and self.out.summary and self.out.summary[-1] is not None:
            self.out.summary.append(None)

    def heading(self, number: int, level: int, text: str) -> None:
        self.end_label()
        self.item = self.step = self.callout = None
        self.previous = "heading"
        if level == 1 and not self.out.title_heading[1] and self.in_summary:
            self.out.title_heading = (number, text)
            return
        while self.headings and self.headings[-1].level >= level:
            self.headings.pop()
        text, given = given_id(text)  # a heading with its own id is exercises, as written
        reason = "" if given else self.heading_reason(text)
        self.section = Section(number, text, level, reason, given_id=given)
        self.headings.append(self.section)
        self.out.sections.append(self.section)
        self.resume = None
        self.in_summary = False

    def heading_reason(self, text: str) -> str:
        """Its own reason, else that of the heading it sits under ("Theory" > "Why")."""
        own = kinds.reason(notetext.clean_inline(text).text)
        parent = self.headings[-1] if self.headings else None
        if own or parent is None or not parent.reason:
            return own
        if "(under" in parent.reason:
            return parent.reason
        return f"{parent.reason} (under “{notetext.clean_inline(parent.title).text}”)"

    def quote(self, number: int, stripped: str) -> None:
        body = re.sub(r"^(?:>\s?)+", "", stripped)
        header = _CALLOUT.match(body)
        if header:
            self.callout = Callout(number, header[1].lower(), header[3])
        elif self.callout is not None and self.previous == "quote":
            self.callout.body.append((number, body))
            return
        else:
            self.callout = Callout(number, "quote", "", [(number, body)])
        self.previous = "quote"
        if self.item is not None:
            self.item.callouts.append(self.callout)
        elif self.in_summary:
            self.out.summary_callouts.append(self.callout)
        else:  # its title, not the `[!kind]` mark, is what a warning quotes
            self.paragraph(number, header[3] if header else body)
            self.callout, self.previous = None, "quote"

    def list_item(self, number: int, indent: int, text: str) -> None:
        task = bool(_TASK.match(text))
        text, given = given_id(_TASK.sub("", text))
        if self.item is not None and indent >= self.item.indent + 2:
            self.nested(number, indent, text, task, given)
            return
        toc = not given and kinds.is_toc_marker(text)
        in_toc = self.section is not None and self.section.title == TOC_TITLE
        if toc and not in_toc:
            self.start_label(number, TOC_TITLE, kinds.TOC_REASON)
        elif in_toc and not toc and self.section.level == LABEL_LEVEL:
            self.section = self.resume  # a real item after a table of contents
        if self.section is None:
            self.section = Section(number, "")  # items before any heading
            self.out.sections.append(self.section)
        if not self.section.reason:
            self.in_summary = False
            self.exercises_started = True
        self.item, self.step = Node(number, indent, [text], task, given_id=given), None
        self.section.items.append(self.item)
        self.previous = "item"

    def nested(self, number: int, indent: int, text: str, task: bool, given: str) -> None:
        if self.step is not None and indent >= self.step.indent + 2:
            self.step.notes.append((number, text))
        else:
            self.step = Node(number, indent, [text], task, given_id=given)
            self.item.steps.append(self.step)
        self.previous = "item"

    def start_label(self, number: int, title: str, reason: str) -> None:
        """A list headed by a label line (`Equipment:`) or a table of contents, inside the
        section it appears in, which a paragraph after the list goes back to."""
        self.end_label()
        self.resume = self.section
        self.section = Section(number, title, LABEL_LEVEL, reason)
        self.out.sections.append(self.section)
        self.item = self.step = None

    def text(self, number: int, indent: int, stripped: str) -> None:
        title = kinds.label(stripped) if indent < 2 else ""
        if title and (why := kinds.reason(notetext.clean_inline(title).text)):
            self.start_label(number, title, why)
            self.previous = "text"
        elif self.item is not None and indent >= 2:  # text indented under an item: its notes
            deeper = self.step is not None and indent >= self.step.indent + 2
            (self.step if deeper else self.item).notes.append((number, stripped))
            self.previous = "text"
        elif self.previous == "item" and self.item is not None:  # continues the item's line
            node = self.step or self.item
            stripped, given = given_id(stripped)
            node.text.append(stripped)
            node.given_id = node.given_id or given
        elif not kinds.is_toc_marker(stripped):  # `[TOC]` marks where one goes: nothing
            self.paragraph(number, stripped)

    def end_label(self) -> None:
        """Back to the section a label's list sat in. A label with no list under it was
        only a line of text after all, and is read as one."""
        label = self.section
        if label is None or label.level != LABEL_LEVEL:
            return
        self.section = self.resume
        if not label.items:  # the last section: nothing came after it
            self.out.sections.pop()
            self.paragraph(label.line, label.title + ":")

    def paragraph(self, number: int, text: str) -> None:
        self.end_label()  # a paragraph after a label's list ends it
        self.item = self.step = None
        self.previous = "text"
        if self.in_summary:
            self.out.summary.append((number, text))
        else:
            self.out.loose.append(Para(number, text, self.section, not self.exercises_started))
