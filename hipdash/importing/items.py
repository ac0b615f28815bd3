"""One list item of a note -> the YAML-shaped data of an exercise.

An item's own line gives its title, dose, notes and hold; text indented under it and
callouts give notes, a video's title and description, links; its nested items are steps,
one checkbox each, except those that only carry something for the exercise: a video, a
link, an image or a dose (`Video: URL`, `See ![[x.png]] for the setup`, `15x3`), and
notes (`Note: …`). Repeated set checkboxes (`- [ ] 30s` three times) stay ticks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from hipdash import dose, youtube
from hipdash.importing import kinds
from hipdash.importing import text as notetext
from hipdash.importing.outline import Callout, Node, NoteWarning
from hipdash.importing.text import Found, clean_inline, split_item

# Dataview field names an item's dose may be stated with -> the routine's field.
_FIELD_NAMES = {name: name for name in dose.FIELDS} | {
    "hold": "hold_seconds",
    "rest": "rest_seconds",
    "optional": "optional",
}
_BETWEEN = " ,;:.·•—–-"  # what may stand between a title and the links after it
_SINGLE_LINK = re.compile(r"^(?:\[[^\[\]]*\]\([^\s()]+\)|<[^<>\s]+>|\S+://\S+)$")


def capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


@dataclass
class Built:
    """An exercise's data and the line of the note it came from; `given`: the note gave it
    its id (a block id), so it is an exercise as written, never a repeat of another."""

    line: int
    data: dict
    given: bool = False


@dataclass
class _Parts:
    """What one exercise collects from its line, nested text, steps and callouts."""

    notes: list[str] = field(default_factory=list)
    doses: list[str] = field(default_factory=list)
    set_ticks: list[str] = field(default_factory=list)  # the dose of each set tick
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
        if videos:  # "[demo](…)", "[video](…)": words, not the video's title
            for found in inline.videos:
                self.attach_video(found, "" if kinds.only_filler(found.label) else found.label, "")
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


def links_data(found: list[Found], title: Callable[[Found], str]) -> list[dict]:
    """Links as routine data, each URL once."""
    out: list[dict] = []
    seen: set[str] = set()
    for link in found:
        if link.url not in seen:
            seen.add(link.url)
            out.append({"title": title(link), "url": link.url})
    return out


def dose_fields(words: str, hold: int | None) -> dict:
    """The explicit sets, reps, sides, hold and rest a dose's words state ("3 × 20 s each
    side" -> sets 3, sides 2, hold 20), a hold cut from the title ("hold 60 s") first."""
    said = dose.parse(words).merged(dose.Dose(hold_seconds=hold))
    return {name: getattr(said, name) for name in dose.FIELDS if getattr(said, name) is not None}


def _limit_words(name: str, value: int, low: int, high: int) -> str:
    """'30 sets, where a timer runs 1 to 20', '90 min of hold, where …'."""
    if name.endswith("_seconds"):
        what = name.removesuffix("_seconds")
        return (
            f"{dose.duration(value)} of {what}, where a timer runs "
            f"{dose.duration(low) if low else '0 s'} to {dose.duration(high)}"
        )
    return f"{value} {name}, where a timer runs {low} to {high}"


class ItemBuilder:
    """Cleans one item's text and turns it into exercise data; warnings (what was not
    imported, or may be wrong) go to `warnings`, how an unclear line was read to
    `decisions`, each with its line."""

    def __init__(self, warnings: list[NoteWarning]):
        self.warnings = warnings
        self.decisions: list[NoteWarning] = []

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(NoteWarning(line, message))

    def decide(self, line: int, message: str) -> None:
        self.decisions.append(NoteWarning(line, message))

    def clean(self, line: int, text: str, **options) -> notetext.Inline:
        inline = clean_inline(text, **options)
        for problem in inline.problems:
            self.warn(line, problem)
        return inline

    def exercise(self, node: Node) -> Built | None:
        """An item and what is under it -> exercise data. One with a block id (the note gave
        its id) is taken as written: its title is not capitalised, and every item under it
        with an id of its own is a step."""
        parts = _Parts()
        head = self.clean(node.line, " ".join(node.text))
        parts.take(head, node.line)
        guarded, labels = (head.guarded, []) if node.given_id else _without_labels(head)
        item = split_item(guarded)
        parts.notes.extend(item.notes)
        parts.doses += [item.dose] if item.dose else []
        for number, text in node.notes:
            parts.take(self.clean(number, text), number, as_note=True)
        steps = self.steps(node.steps, parts)
        for callout in node.callouts:
            self.callout(callout, parts)
        video = parts.video()
        title = item.title or (video or {}).get("title", "")
        title = title or next((link.label for link in parts.links if link.label), "")
        if not title:
            self.warn(node.line, "list item with no text was not imported")
            return None
        given = bool(node.given_id)
        if not given:
            self.read_dose(node.line, title, item)
        stated = self.stated(node.line, head.fields, item.optional)
        self.past_limits(node.line, title, parts.doses, stated)
        for label in labels:
            self.decide(
                node.line, f"link “{label}” is one of the links of “{title}”, not its title"
            )
        data = self.data(title if given else capital(title), item.hold_seconds, parts, video, given)
        data["id"] = node.given_id
        data.update(stated)
        if steps:
            data["steps"] = steps
        return Built(node.line, data, given)

    def read_dose(self, line: int, title: str, item: notetext.ItemText) -> None:
        """Say how a dose written other than after a dash was read."""
        for words in item.doses_in_brackets:
            self.decide(line, f"“({words})” after “{title}” read as its dose")
        if item.dose_at_end:
            self.decide(line, f"“{item.dose_at_end}” at the end of “{title}” read as its dose")
        if item.hold_words:
            what = f"a hold of {item.hold_seconds} s"  # not "a 8 s hold"
            self.decide(line, f"“{item.hold_words}” in “{title}” read as {what}")

    def past_limits(self, line: int, title: str, doses: list[str], stated: dict) -> None:
        """Say which number of a dose a guided session cannot run ("30 sets of 10": 30 sets): the
        words are kept as written, the timer leaves that number out. Not one a Dataview
        field states (`[sets:: 3]`): the timer runs that one instead."""
        for words in doses:
            for name, value, low, high in dose.beyond(words):
                if name in stated:
                    continue
                said = _limit_words(name, value, low, high)
                self.warn(line, f"“{words}” of “{title}”: {said}; the guided session leaves it out")

    def stated(self, line: int, fields: tuple[tuple[str, str], ...], optional: bool) -> dict:
        """What an item states in so many words: "(optional)", and Dataview fields of its
        dose (`[sets:: 3]`, `[hold:: 30]`, `[optional:: true]`), which win over its words."""
        out: dict = {"optional": True} if optional else {}
        for name, value in fields:
            key = _FIELD_NAMES.get(name.replace(" ", "_"))
            if key == "optional" and value.lower() in ("true", "yes", "false", "no"):
                out["optional"] = value.lower() in ("true", "yes")
            elif key in dose.LIMITS and value.isdigit():
                low, high = dose.LIMITS[key]
                if low <= int(value) <= high:
                    out[key] = int(value)
                else:
                    self.warn(line, f"{name}:: {value} is not from {low} to {high}; not imported")
        if out.get("optional") is False:
            del out["optional"]
        return out

    def data(
        self, title: str, hold: int | None, parts: _Parts, video: dict | None, as_written: bool
    ) -> dict:
        out: dict = {"id": "", "title": title}
        words = ", ".join(parts.doses)
        if words:
            out["dose"] = words
        if parts.notes:
            out["notes"] = "; ".join(parts.notes)
        out.update(dose_fields(words, hold))
        if not words and len(set(parts.set_ticks)) == 1:  # `- [ ] 30s` three times
            out.update(dose_fields(parts.set_ticks[0], hold))
            low, high = dose.LIMITS["sets"]
            if low <= len(parts.set_ticks) <= high:
                out["sets"] = len(parts.set_ticks)
        if parts.images:
            out["image"] = parts.images[0][1]
            for number, image in parts.images[1:]:
                self.warn(number, f"image “{image}” not imported (an exercise keeps one image)")
        name = (lambda text: text) if as_written else capital
        links = links_data(parts.links, lambda link: name(link.label) or notetext.host(link.url))
        if links:
            out["links"] = links
        if video:
            out["video"] = video
        return out

    def steps(self, nodes: list[Node], parts: _Parts) -> list[dict]:
        """The nested items that are steps; the rest give the exercise what they carry."""
        cleaned = [(node, self.clean(node.line, " ".join(node.text))) for node in nodes]
        sets = [node for node, inline in cleaned if _set_tick(node, inline) and not node.given_id]
        ticks = len(sets) >= 2 and (
            all(node.task for node in sets) or len({" ".join(n.text) for n in sets}) == 1
        )
        is_set = {id(node) for node in sets} if ticks else set()
        out: list[dict] = []
        for node, inline in cleaned:
            if id(node) in is_set:
                parts.set_ticks.append(inline.text)
                title = f"Set {len(parts.set_ticks)}"
                out.append({"id": "", "title": title, "notes": inline.text})
            elif node.given_id or not self.carried(node, inline, parts):
                out += filter(None, [self.step(node, inline, parts)])
        return out

    def carried(self, node: Node, inline: notetext.Inline, parts: _Parts) -> bool:
        """A nested item that only carries a note, a video, a link, an image or a dose for
        the exercise (`Video: URL`, `See ![[x.png]] for the setup`, `15x3`) gives it to the
        exercise and is no step. A video named by its link's text ("[Dead bug](…)") stays
        a step of that name."""
        if node.notes:
            return False
        rest = inline.text
        for link in inline.links:
            rest = rest.replace(link.label, " ", 1) if link.label else rest
        media = bool(inline.links or inline.videos or inline.images)
        named = any(
            v.label and not kinds.only_filler(v.label) and not kinds.about_a_video(v.label)
            for v in inline.videos
        )
        if kinds.note_label(inline.text) and not (media and not rest.strip()):
            parts.notes.append(inline.text)
            return True
        is_dose = kinds.is_dose(rest)
        if not is_dose and not (media and kinds.only_filler(rest) and not named):
            return False
        if is_dose:
            parts.doses.append(" ".join(rest.split()))
        for video in inline.videos:
            if (
                video.label
                and kinds.about_a_video(video.label)
                and not kinds.only_filler(video.label)
            ):
                self.decide(
                    node.line, f"“{video.label}” read as a video of the item above, not a step"
                )
        parts.take(inline, node.line)
        return True

    def step(self, node: Node, inline: notetext.Inline, parts: _Parts) -> dict | None:
        parts.take(inline, node.line)
        item = split_item(inline.guarded)
        notes = [item.dose] if item.dose else []
        notes += [f"hold {item.hold_seconds} s"] if item.hold_seconds else []
        notes += list(item.notes)
        for number, text in node.notes:
            sub = self.clean(number, text)
            parts.take(sub, number)
            notes.append(sub.text)
        title = item.title or next((v.label for v in inline.videos if v.label), "")
        if not title:
            self.warn(node.line, "list item with no text was not imported")
            return None
        step = {"id": node.given_id, "title": title if node.given_id else capital(title)}
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


def _without_labels(head: notetext.Inline) -> tuple[str, list[str]]:
    """An item's (guarded) text without the links at its end whose text only labels them
    ("… stretch [gifs](…)", "… . [Studies](…)"), and those labels: the links stay the
    exercise's, never part of its title or dose."""
    text, labels = head.guarded, []
    for link in reversed(head.links):
        plain = notetext.restore(text).rstrip(_BETWEEN)
        if not (link.label and kinds.link_label(link.label) and plain.endswith(link.label)):
            break
        text = text[: len(plain) - len(link.label)].rstrip(_BETWEEN)  # guard keeps lengths
        labels.insert(0, link.label)
    return text, labels


def _set_tick(node: Node, inline: notetext.Inline) -> bool:
    """A nested item that is one set of a dose: `- [ ] 30s`."""
    media = inline.links or inline.videos or inline.images
    return not node.notes and not media and kinds.is_dose(inline.text)
