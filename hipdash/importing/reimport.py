"""Importing a changed note over a saved routine without losing its history.

The log names items by id (`section/exercise/step`), so a re-import gives every
section, exercise and step that is still there the id it had: matched by title
(ignoring case, punctuation and spacing), an exercise then by its video. What is
new gets a fresh id that no old item used, so it cannot inherit another's history.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from hipdash import dose
from hipdash.importing.build import IdPool
from hipdash.models import Exercise, Item, Routine, Section, Step
from hipdash.words import normalise

T = TypeVar("T", Section, Exercise, Step)
__all__ = ["Changes", "compare", "keep_ids", "normalise"]


@dataclass(frozen=True)
class Changes:
    """What a re-import changes, in words a person reads before replacing a routine: titles
    and values, never ids or field names."""

    added: tuple[str, ...] = ()  # checkable items, "Glute bridge, in Stretch"
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()  # "Wrist stretches: 2 × 30 s → 3 × 30 s"
    moved: tuple[str, ...] = ()  # "Couch stretch, from Stretch to Release"

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.moved)

    def lines(self, added: str = "adds") -> list[str]:
        """ "adds: Title, in Section", "removes: … (its ticks stay in the log)", "moves: …",
        then each change as "Title: old → new"."""
        out = [f"{added}: {a}" for a in self.added]
        out += [f"removes: {r} (its ticks stay in the log)" for r in self.removed]
        out += [f"moves: {m}" for m in self.moved]
        return out + list(self.changed)


def _video_id(exercise: Exercise) -> str | None:
    return exercise.video.video_id if exercise.video else None


def _match(
    new: Sequence[T], old: Sequence[T], keys: tuple[Callable[[T], object], ...]
) -> dict[int, T]:
    """For each new object (by index), the old one it continues: tried key by key, each old
    object once, in order. Linear: the old ones are looked up by key, not searched."""
    matched: dict[int, T] = {}
    used: set[int] = set()
    for key in keys:
        waiting: dict[object, deque[T]] = {}
        for obj in old:
            if id(obj) not in used:
                waiting.setdefault(key(obj), deque()).append(obj)
        for i, obj in enumerate(new):
            found = key(obj)
            if i in matched or found in (None, "") or not waiting.get(found):
                continue
            twin = waiting[found].popleft()
            matched[i] = twin
            used.add(id(twin))
    return matched


def _by_overlap(new: Sequence[Section], old: Sequence[Section], matched: dict[int, Section]):
    """Sections still unmatched, each to the old one with which it shares most exercises
    (by title or video), if that is at least half of the larger: a heading renamed in the
    same edit as an exercise changed keeps its section."""
    left = [o for o in old if all(o is not twin for twin in matched.values())]
    for i, section in enumerate(new):
        if i in matched or not left:
            continue
        shared, twin = max(((_shared(section, o), o) for o in left), key=lambda pair: pair[0])
        if shared * 2 >= max(len(section.exercises), len(twin.exercises)) and shared:
            matched[i] = twin
            left.remove(twin)


def _shared(one: Section, other: Section) -> int:
    """How many exercises two sections share, by title or by video."""
    marks = [{normalise(ex.title), _video_id(ex)} - {None} for ex in other.exercises]
    return sum(
        any(({normalise(ex.title), _video_id(ex)} - {None}) & mark for mark in marks)
        for ex in one.exercises
    )


def _with_ids(
    new: Sequence[T], old: Sequence[T], keys, rebuild, taken=(), last=None
) -> tuple[T, ...]:
    """New siblings with the ids of their old matches (by `keys`, then `last` for those
    left); the rest with ids no old sibling had (nor any in `taken`)."""
    matched = _match(new, old, keys)
    if last is not None:
        last(new, old, matched)
    fresh = IdPool([*(o.id for o in old), *taken])
    out = []
    for i, obj in enumerate(new):
        twin = matched.get(i)
        obj_id = twin.id if twin is not None else fresh(obj.id)
        out.append(rebuild(obj, twin, obj_id))
    return tuple(out)


def keep_ids(
    new: Routine, old: Routine, given: Collection[str] = (), used: Collection[str] = ()
) -> Routine:
    """`new` with the ids of `old`'s sections, exercises and steps that are still there:
    matched by the id the note gave (a block id: its key in `given`), then by title, then
    (an exercise) by its video, (a section) by the same exercises, then by most of them.
    What is new gets an id no old sibling had and no key in `used` (the log's) has under
    it."""
    given = frozenset(given)

    def as_given(prefix: str) -> Callable:
        return lambda o: o.id if f"{prefix}{o.id}" in given else None

    def by_title(o) -> str:
        return normalise(o.title)

    def step(obj: Step, twin: Step | None, obj_id: str) -> Step:
        return replace(obj, id=obj_id)

    def exercise(prefix: str) -> Callable:
        def rebuild(obj: Exercise, twin: Exercise | None, obj_id: str) -> Exercise:
            keys = (as_given(f"{prefix}{obj.id}/"), by_title)
            taken = _under(used, f"{prefix}{obj_id}/")
            steps = _with_ids(obj.steps, twin.steps if twin else (), keys, step, taken)
            return replace(obj, id=obj_id, steps=steps)

        return rebuild

    def section(obj: Section, twin: Section | None, obj_id: str) -> Section:
        old_exercises = twin.exercises if twin else ()
        keys = (as_given(f"{obj.id}/"), by_title, _video_id)
        taken = _under(used, f"{obj_id}/")
        exercises = _with_ids(obj.exercises, old_exercises, keys, exercise(f"{obj.id}/"), taken)
        return replace(obj, id=obj_id, exercises=exercises)

    keys = (as_given(""), by_title, _exercise_ids)
    sections = _with_ids(
        new.sections, old.sections, keys, section, _under(used, ""), last=_by_overlap
    )
    return replace(new, id=old.id, sections=sections)


def _exercise_ids(section: Section) -> frozenset[str]:
    return frozenset(exercise.id for exercise in section.exercises)


def _under(used: Collection[str], prefix: str) -> set[str]:
    """The ids right under `prefix` among item keys (`s`, `s/e`, `s/e/st`)."""
    return {k[len(prefix) :] for k in used if k.startswith(prefix) and "/" not in k[len(prefix) :]}


def _moves(old: Routine, new: Routine) -> dict[str, tuple[Section, Section, Exercise]]:
    """Exercises now in another section (matched by title, where it is the only one of its
    title in each): their new 'section/exercise' -> (old section, new section, the old
    exercise)."""

    def placed(routine: Routine) -> dict[str, tuple[Section, Exercise]]:
        seen = Counter(normalise(ex.title) for s in routine.sections for ex in s.exercises)
        return {
            normalise(ex.title): (s, ex)
            for s in routine.sections
            for ex in s.exercises
            if seen[normalise(ex.title)] == 1
        }

    before = placed(old)
    return {
        f"{s.id}/{ex.id}": (before[title][0], s, before[title][1])
        for title, (s, ex) in placed(new).items()
        if title in before and before[title][0].id != s.id
    }


def compare(old: Routine, new: Routine) -> Changes:
    """Items added and removed, exercises moved to another section, and what changed in
    the routine, its sections and the items kept, each said with its title and values."""
    moves = _moves(old, new)
    went = {f"{was.id}/{ex.id}" for was, _, ex in moves.values()}

    def exercise_of(key: str) -> str:
        return "/".join(key.split("/")[:2])

    old_items = {i.key: i for i in old.items() if exercise_of(i.key) not in went}
    new_items = {i.key: i for i in new.items() if exercise_of(i.key) not in moves}
    added = tuple(_item_words(i) for k, i in new_items.items() if k not in old_items)
    removed = tuple(_item_words(i) for k, i in old_items.items() if k not in new_items)
    moved = tuple(f"{ex.title}, from {was.title} to {now.title}" for was, now, ex in moves.values())
    changed = [f"The routine: {said}"] if (said := _routine_change(old, new)) else []
    twice = _titles_used_twice(new)
    old_sections = {s.id: s for s in old.sections}
    for section in new.sections:
        before = old_sections.get(section.id)
        if before is None:
            continue
        if said := _section_change(before, section):
            changed.append(f"{before.title}: {said}")
        old_exercises = {e.id: e for e in before.exercises}
        for exercise in section.exercises:
            was = old_exercises.get(exercise.id)
            if was is None or not (said := _exercise_change(was, exercise)):
                continue
            where = f" ({section.title})" if normalise(was.title) in twice else ""
            changed.append(f"{was.title}{where}: {said}")
    return Changes(added, removed, tuple(changed), moved)


def _item_words(item: Item) -> str:
    """'Glute bridge, in Stretch'; a step, in its exercise: 'Side kick, in Hip strength four'."""
    return f"{item.title}, in {(item.exercise if item.step else item.section).title}"


def _titles_used_twice(routine: Routine) -> set[str]:
    seen = Counter(normalise(ex.title) for s in routine.sections for ex in s.exercises)
    return {title for title, n in seen.items() if n > 1}


def _renamed(old: str, new: str) -> list[str]:
    return [f"renamed “{new}”"] if old != new else []


def _routine_change(old: Routine, new: Routine) -> str:
    parts = _renamed(old.title, new.title)
    parts += ["summary changed"] if old.summary != new.summary else []
    was, now = old.schedule, new.schedule
    if was.sessions_per_week != now.sessions_per_week:
        parts.append(f"target {was.sessions_per_week} → {now.sessions_per_week} sessions a week")
    if was.minutes != now.minutes:
        parts.append(f"minutes {was.minutes or '—'} → {now.minutes or '—'}")
    parts += ["links changed"] if old.links != new.links else []
    return "; ".join(parts)


def _section_change(old: Section, new: Section) -> str:
    parts = _renamed(old.title, new.title)
    if old.rounds != new.rounds:
        parts.append(f"rounds {old.rounds or 1} → {new.rounds or 1}")
    if old.rest_seconds != new.rest_seconds:
        parts.append(f"rest {_seconds(old.rest_seconds)} → {_seconds(new.rest_seconds)}")
    return "; ".join(parts)


def _exercise_change(old: Exercise, new: Exercise) -> str:
    """ "2 × 30 s → 3 × 30 s; new notes": what a person sees change, '' if nothing."""
    parts = _renamed(old.title, new.title)
    parts += [said] if (said := _dose_change(old, new)) else []
    if old.optional != new.optional:
        parts.append("now optional" if new.optional else "now counted")
    for name in ("notes", "video", "links"):
        if getattr(old, name) != getattr(new, name):
            parts.append(_said_changed(name, getattr(old, name), getattr(new, name)))
    parts += ["picture changed"] if old.image != new.image else []
    steps = {s.id: s for s in old.steps}
    for step in new.steps:
        was = steps.get(step.id)
        if was is not None and was != step:
            said = f"→ “{step.title}”" if was.title != step.title else "notes changed"
            parts.append(f"step “{was.title}” {said}")
    return "; ".join(parts)


def _said_changed(what: str, before: object, after: object) -> str:
    """A long text or a link, said only as changed: 'new notes', 'video removed'."""
    if not before:
        return f"new {what}"
    return f"{what} removed" if not after else f"{what} changed"


def _dose_change(old: Exercise, new: Exercise) -> str:
    """The dose as the routine words it, old → new; where the words stay and the numbers
    change, what a session runs."""
    before, after = old.dose_text or "no dose", new.dose_text or "no dose"
    if before != after:
        return f"{before} → {after}"
    if old.amounts == new.amounts:
        return ""
    for say in (dose.describe, dose.runs_as):  # a rest, only where nothing else changed
        runs = [say(e.amounts) or "no timer" for e in (old, new)]
        if runs[0] != runs[1]:
            return f"runs {runs[0]} → {runs[1]}"
    return "its numbers changed"


def _seconds(value: int | None) -> str:
    return "—" if value is None else dose.duration(value)
