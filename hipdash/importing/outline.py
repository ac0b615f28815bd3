"""The structure of a markdown note, read the way a person reads it, before any text in it
is cleaned: front matter, headings (sections), top-level list items (exercises), nested
items (steps), callouts and the prose before the first section. `hipdash.importing.build` turns
this outline into a routine.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import yaml

from hipdash.importing import text as notetext

MAX_LINE = 2000
_HEADING = re.compile(r"^(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$")
_RULE = re.compile(r"^(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,9}[.)])(?:\s+(.*))?$")
_TASK = re.compile(r"^\[[ xX/-]\]\s+")
_CALLOUT = re.compile(r"^\[!([A-Za-z][\w-]*)\]([+-]?)\s*(.*)$")
_KEEP_FRONT_MATTER = ("title", "permalink", "id", "schedule")


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
    """A list item while the note is read: its text lines, nested notes, steps and callouts."""

    line: int
    indent: int
    text: list[str]
    notes: list[tuple[int, str]] = field(default_factory=list)
    steps: list[Node] = field(default_factory=list)
    callouts: list[Callout] = field(default_factory=list)


@dataclass
class Section:
    line: int
    title: str
    items: list[Node] = field(default_factory=list)


@dataclass
class Outline:
    """The note's structure, before any text is cleaned."""

    front: dict = field(default_factory=dict)
    title_heading: tuple[int, str] = (1, "")
    summary: list[tuple[int, str] | None] = field(default_factory=list)
    summary_callouts: list[Callout] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    loose: list[tuple[int, str]] = field(default_factory=list)


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


def read_outline(lines: list[str], warnings: list[NoteWarning]) -> Outline:
    out = Outline()
    out.front, first = _front_matter(lines, warnings)
    section: Section | None = None
    item: Node | None = None
    step: Node | None = None
    callout: Callout | None = None
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
            section = Section(number, text)
            out.sections.append(section)
            in_summary = False
            continue
        if stripped.startswith(">"):
            body = re.sub(r"^(?:>\s?)+", "", stripped)
            header = _CALLOUT.match(body)
            if header:
                callout = Callout(number, header[1].lower(), header[3])
            elif callout is not None and previous == "quote":
                callout.body.append((number, body))
                continue
            else:
                callout = Callout(number, "quote", "", [(number, body)])
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
                    step = Node(number, indent, [text])
                    item.steps.append(step)
            else:
                if section is None:
                    section = Section(number, "")  # items before any heading
                    out.sections.append(section)
                in_summary = False
                item, step = Node(number, indent, [text]), None
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
