"""Edits of a routine as pure functions: frozen routine in, new frozen routine out.

Ids are what the log names items by, so an edit keeps the id of everything it renames,
changes or moves, and a new section, exercise or step gets an id that no item of the
routine ever had (`used`: the keys in the routine and in its log), so it starts with no
history. An edit that cannot apply (the exercise was removed on another device, the last
exercise of a section) raises `EditError` with a sentence for the person.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date

from hipdash import dose, youtube
from hipdash.importing.build import short_id
from hipdash.models import Exercise, Link, Routine, Section, Step, Video

# What the exercise form may change (the id never; steps have their own edit).
EXERCISE_FIELDS = tuple(f.name for f in fields(Exercise) if f.name not in ("id", "steps"))
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_MD_LINK = re.compile(r"^\[(?P<title>[^\]]*)\]\((?P<url>\S+)\)$")


class EditError(ValueError):
    """The edit cannot be made; the message says why, for the person."""


def stamp_added(before: Routine | None, after: Routine, day: date) -> Routine:
    """`after` with the day each item joined the routine: kept from `before` for an item it
    had, `day` for one new since (a routine with nothing before keeps its own)."""
    if before is None:
        return after
    had, kept = set(before.item_keys), dict(before.added)
    added = tuple(
        (key, kept[key] if key in had else day)
        for key in after.item_keys
        if key in kept or key not in had
    )
    return replace(after, added=tuple(sorted(added)))


def keys_of(routine: Routine) -> frozenset[str]:
    """Every id path in the routine: `s`, `s/e` and `s/e/st`."""
    keys = set()
    for section in routine.sections:
        keys.add(section.id)
        for ex in section.exercises:
            keys.add(f"{section.id}/{ex.id}")
            keys.update(f"{section.id}/{ex.id}/{st.id}" for st in ex.steps)
    return frozenset(keys)


def fresh_id(title: str, taken: Collection[str], prefix: str = "", fallback: str = "item") -> str:
    """A short id from `title` such that `prefix + id` is not in `taken`."""
    base = short_id(title, fallback)
    candidate, n = base, 2
    while f"{prefix}{candidate}" in taken:
        candidate, n = f"{base[:40]}-{n}", n + 1
    return candidate


# --- finding things ---------------------------------------------------------------------


def _section_at(routine: Routine, section_id: str) -> int:
    for i, section in enumerate(routine.sections):
        if section.id == section_id:
            return i
    raise EditError("that section is no longer in the routine (changed elsewhere?)")


def _exercise_at(section: Section, exercise_id: str) -> int:
    for i, ex in enumerate(section.exercises):
        if ex.id == exercise_id:
            return i
    raise EditError("that exercise is no longer in this section (changed elsewhere?)")


def _put(items: tuple, index: int, item) -> tuple:
    return items[:index] + (item,) + items[index + 1 :]


def _moved(items: tuple, index: int, delta: int) -> tuple:
    target = index + delta
    if not 0 <= target < len(items):
        return items
    out = list(items)
    out.insert(target, out.pop(index))
    return tuple(out)


def _with_section(routine: Routine, section: Section) -> Routine:
    return replace(
        routine, sections=_put(routine.sections, _section_at(routine, section.id), section)
    )


def find_exercise(routine: Routine, section_id: str, exercise_id: str) -> Exercise:
    section = routine.sections[_section_at(routine, section_id)]
    return section.exercises[_exercise_at(section, exercise_id)]


def _title(text: str, what: str) -> str:
    title = " ".join((text or "").split())
    if not title:
        raise EditError(f"{what} needs a title")
    return title


# --- the routine --------------------------------------------------------------------------


def change_routine(routine: Routine, changes: Mapping[str, object]) -> Routine:
    """Title, summary, schedule (the target) and/or the routine's own links."""
    unknown = set(changes) - {"title", "summary", "schedule", "links"}
    if unknown:
        raise ValueError(f"not routine fields: {sorted(unknown)}")
    out = dict(changes)
    if "title" in out:
        out["title"] = _title(str(out["title"]), "The routine")
    return replace(routine, **out)


# --- sections -----------------------------------------------------------------------------


SECTION_EDITS = ("title", *dose.SECTION_FIELDS)


def change_section(routine: Routine, section_id: str, changes: Mapping[str, object]) -> Routine:
    """Its title, rounds (a circuit) and rest between exercises; the rest stay as now."""
    unknown = set(changes) - set(SECTION_EDITS)
    if unknown:
        raise ValueError(f"not section fields: {sorted(unknown)}")
    out = dict(changes)
    if "title" in out:
        out["title"] = _title(str(out["title"]), "A section")
    section = routine.sections[_section_at(routine, section_id)]
    return _with_section(routine, replace(section, **out))


def move_section(routine: Routine, section_id: str, delta: int) -> Routine:
    index = _section_at(routine, section_id)
    return replace(routine, sections=_moved(routine.sections, index, delta))


def add_section(routine: Routine, title: str, first: str, used: Collection[str]) -> Routine:
    """A new section at the end, with its first exercise (a section is never empty)."""
    title = _title(title, "A section")
    section_id = fresh_id(title, set(used) | keys_of(routine), fallback="section")
    first = _title(first, "An exercise")
    exercise = Exercise(fresh_id(first, used, f"{section_id}/", fallback="exercise"), first)
    return replace(routine, sections=(*routine.sections, Section(section_id, title, (exercise,))))


def remove_section(routine: Routine, section_id: str) -> Routine:
    """Remove a section and its exercises (their ticks stay in the log)."""
    index = _section_at(routine, section_id)
    if len(routine.sections) == 1:
        raise EditError("a routine needs at least one section: delete the routine instead")
    return replace(routine, sections=routine.sections[:index] + routine.sections[index + 1 :])


# --- exercises ----------------------------------------------------------------------------


def change_exercise(
    routine: Routine, section_id: str, exercise_id: str, changes: Mapping[str, object]
) -> Routine:
    """Set the given fields of one exercise; the fields not given stay as they are now."""
    unknown = set(changes) - set(EXERCISE_FIELDS)
    if unknown:
        raise ValueError(f"not exercise fields: {sorted(unknown)}")
    section = routine.sections[_section_at(routine, section_id)]
    index = _exercise_at(section, exercise_id)
    out = dict(changes)
    if "title" in out:
        out["title"] = _title(str(out["title"]), "An exercise")
    exercise = replace(section.exercises[index], **out)
    return _with_section(
        routine, replace(section, exercises=_put(section.exercises, index, exercise))
    )


def give_dose(routine: Routine, section_id: str, exercise_id: str, words: str) -> Routine:
    """A dose for an exercise that states none (a guided session's one-tap choice, one of
    `dose.QUICK` or `dose.NO_TIMER`); one stated meanwhile on another device is kept."""
    if words not in (*dose.QUICK, dose.NO_TIMER):
        raise EditError(f"not one of the doses offered: {words!r}")
    exercise = find_exercise(routine, section_id, exercise_id)
    if exercise.dose_stated:
        raise EditError(f"{exercise.title} has a dose already ({exercise.dose_text})")
    return change_exercise(routine, section_id, exercise_id, {"dose": words})


def changed_fields(before: Exercise, after: Exercise) -> dict[str, object]:
    """The form's changes to an exercise, so a save touches only what the person changed."""
    return {
        f: getattr(after, f) for f in EXERCISE_FIELDS if getattr(after, f) != getattr(before, f)
    }


@dataclass(frozen=True)
class StepChanges:
    """What the exercise form did to the steps: by id, and the new ones at the end."""

    renamed: Mapping[str, tuple[str, str]]  # id -> (title, notes)
    removed: frozenset[str] = frozenset()
    added: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.renamed or self.removed or self.added)


def change_steps(
    routine: Routine, section_id: str, exercise_id: str, steps: StepChanges, used: Collection[str]
) -> Routine:
    """Rename, remove and add steps; a step removed elsewhere meanwhile stays removed."""
    section = routine.sections[_section_at(routine, section_id)]
    index = _exercise_at(section, exercise_id)
    exercise = section.exercises[index]
    kept = []
    for step in exercise.steps:
        if step.id in steps.removed:
            continue
        title, notes = steps.renamed.get(step.id, (step.title, step.notes))
        kept.append(replace(step, title=_title(title, "A step"), notes=notes.strip()))
    prefix = f"{section_id}/{exercise_id}/"
    taken = set(used) | {prefix + s.id for s in exercise.steps}
    for title, notes in steps.added:
        step_id = fresh_id(title, taken, prefix, fallback="step")
        taken.add(prefix + step_id)
        kept.append(Step(step_id, _title(title, "A step"), notes.strip()))
    exercise = replace(exercise, steps=tuple(kept))
    return _with_section(
        routine, replace(section, exercises=_put(section.exercises, index, exercise))
    )


def move_exercise(routine: Routine, section_id: str, exercise_id: str, delta: int) -> Routine:
    """Up (-1) or down (+1) within its section."""
    section = routine.sections[_section_at(routine, section_id)]
    exercises = _moved(section.exercises, _exercise_at(section, exercise_id), delta)
    return _with_section(routine, replace(section, exercises=exercises))


def move_to_section(
    routine: Routine, section_id: str, exercise_id: str, target_id: str, used: Collection[str]
) -> tuple[Routine, str]:
    """Move an exercise to the end of another section; returns the routine and its id there.

    Its id stays unless an exercise of the target section has it. A section left empty is
    removed (a section needs an exercise). Its log key changes with the section."""
    source = routine.sections[_section_at(routine, section_id)]
    target = routine.sections[_section_at(routine, target_id)]
    if source.id == target.id:
        return routine, exercise_id
    exercise = source.exercises[_exercise_at(source, exercise_id)]
    new_id = exercise.id
    if any(ex.id == new_id for ex in target.exercises):
        taken = set(used) | keys_of(routine)
        new_id = fresh_id(exercise.title, taken, f"{target.id}/", fallback="exercise")
    left = tuple(ex for ex in source.exercises if ex.id != exercise_id)
    sections = []
    for section in routine.sections:
        if section.id == source.id:
            if left:
                sections.append(replace(section, exercises=left))
        elif section.id == target.id:
            moved = replace(exercise, id=new_id)
            sections.append(replace(section, exercises=(*section.exercises, moved)))
        else:
            sections.append(section)
    return replace(routine, sections=tuple(sections)), new_id


def add_exercise(
    routine: Routine, section_id: str, exercise: Exercise, used: Collection[str]
) -> tuple[Routine, str]:
    """Append `exercise` (its id and its steps' ids are ignored) with fresh ids."""
    section = routine.sections[_section_at(routine, section_id)]
    taken = set(used) | keys_of(routine)
    prefix = f"{section.id}/"
    new_id = fresh_id(_title(exercise.title, "An exercise"), taken, prefix, fallback="exercise")
    step_ids: set[str] = set()
    steps = []
    for step in exercise.steps:
        step_id = fresh_id(step.title, step_ids | taken, f"{prefix}{new_id}/", fallback="step")
        step_ids.add(f"{prefix}{new_id}/{step_id}")
        steps.append(replace(step, id=step_id))
    new = replace(exercise, id=new_id, title=exercise.title.strip(), steps=tuple(steps))
    return _with_section(routine, replace(section, exercises=(*section.exercises, new))), new_id


def remove_exercise(routine: Routine, section_id: str, exercise_id: str) -> Routine:
    section = routine.sections[_section_at(routine, section_id)]
    index = _exercise_at(section, exercise_id)
    if len(section.exercises) == 1:
        raise EditError(f"it is the only exercise in {section.title}: remove the section instead")
    exercises = section.exercises[:index] + section.exercises[index + 1 :]
    return _with_section(routine, replace(section, exercises=exercises))


# --- what the form fields say ----------------------------------------------------------------


def video_from(url: str, title: str, before: Video | None) -> Video | None:
    """The video for a link typed into the form (None if empty), or `EditError` saying
    what is wrong. An unchanged link keeps the start time and description it had."""
    url = (url or "").strip()
    if not url:
        return None
    ref = youtube.parse(url)
    if ref is None:
        raise EditError(
            f"“{url}” is not a YouTube video link (for example "
            "https://youtu.be/VIDEO_ID or https://www.youtube.com/watch?v=VIDEO_ID)"
        )
    title = " ".join((title or "").split())
    if before is not None and before.url == url:
        return replace(before, title=title)
    return Video(url=url, video_id=ref.video_id, start=ref.start, title=title)


def links_from(text: str) -> tuple[Link, ...]:
    """Links from the form's lines: `Title https://…`, `[Title](https://…)` or a bare URL."""
    links = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip().lstrip("-*").strip()
        if not line:
            continue
        match = _MD_LINK.match(line)
        if match:
            title, url = match["title"].strip(), match["url"]
        else:
            *words, url = line.split()
            title = " ".join(words).rstrip(":|–—-").strip()
        if not _URL.match(url):
            raise EditError(f"links, line {n}: “{line}” does not end with an http(s) link")
        links.append(Link(title or url, url))
    return tuple(links)


def links_text(links: Iterable[Link]) -> str:
    """The form's text for links: one `Title https://…` a line."""
    return "\n".join(
        link.url if link.title == link.url else f"{link.title} {link.url}" for link in links
    )


# --- an import, before it is saved ------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """A routine being imported, with the parts the person left out: `dropped` holds
    section ids and `section/exercise` keys. Edits apply to `routine`; `result` is what
    would be saved."""

    routine: Routine
    dropped: frozenset[str] = frozenset()

    def keep(self, key: str, kept: bool) -> Draft:
        dropped = self.dropped - {key} if kept else self.dropped | {key}
        return replace(self, dropped=frozenset(dropped))

    def edited(self, routine: Routine) -> Draft:
        return replace(self, routine=routine)

    def result(self) -> Routine:
        """The routine without what was left out; `EditError` if nothing is left."""
        sections = []
        for section in self.routine.sections:
            if section.id in self.dropped:
                continue
            kept = tuple(
                ex for ex in section.exercises if f"{section.id}/{ex.id}" not in self.dropped
            )
            if kept:
                sections.append(replace(section, exercises=kept))
        if not sections:
            raise EditError("nothing is left to save: tick at least one exercise")
        return replace(self.routine, sections=tuple(sections))
