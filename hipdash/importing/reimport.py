"""Importing a changed note over a saved routine without losing its history.

The log names items by id (`section/exercise/step`), so a re-import gives every
section, exercise and step that is still there the id it had: matched by title
(ignoring case, punctuation and spacing), an exercise then by its video. What is
new gets a fresh id that no old item used, so it cannot inherit another's history.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, fields, replace
from typing import TypeVar

from hipdash.importing.build import IdPool
from hipdash.importing.text import normalise
from hipdash.models import Exercise, Routine, Section, Step

T = TypeVar("T", Section, Exercise, Step)
__all__ = ["Changes", "compare", "keep_ids", "normalise"]


@dataclass(frozen=True)
class Changes:
    """What a re-import changes, in words a person reads before replacing a routine."""

    added: tuple[str, ...] = ()  # checkable items, "section/exercise[/step] (Title)"
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()  # "section/exercise: title, video"
    moved: tuple[str, ...] = ()  # "Couch stretch, from Stretch to Release"

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.moved)

    def lines(self, added: str = "adds") -> list[str]:
        """ "adds: key (Title)", "removes: … (its ticks stay in the log)", "moves: …",
        "changes: …"."""
        out = [f"{added}: {a}" for a in self.added]
        out += [f"removes: {r} (its ticks stay in the log)" for r in self.removed]
        out += [f"moves: {m}" for m in self.moved]
        return out + [f"changes: {c}" for c in self.changed]


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


def _with_ids(new: Sequence[T], old: Sequence[T], keys, rebuild, taken=()) -> tuple[T, ...]:
    """New siblings with the ids of their old matches; the rest with ids no old sibling had
    (nor any in `taken`)."""
    matched = _match(new, old, keys)
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
    (an exercise) by its video, (a section) by the same exercises. What is new gets an id
    no old sibling had and no key in `used` (the log's) has under it."""
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
    sections = _with_ids(new.sections, old.sections, keys, section, _under(used, ""))
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
    """Items added and removed (by log key), exercises moved to another section, and what
    changed in the items kept."""
    moves = _moves(old, new)
    went = {f"{was.id}/{ex.id}" for was, _, ex in moves.values()}

    def exercise_of(key: str) -> str:
        return "/".join(key.split("/")[:2])

    old_items = {i.key: i for i in old.items() if exercise_of(i.key) not in went}
    new_items = {i.key: i for i in new.items() if exercise_of(i.key) not in moves}
    added = tuple(f"{k} ({i.title})" for k, i in new_items.items() if k not in old_items)
    removed = tuple(f"{k} ({i.title})" for k, i in old_items.items() if k not in new_items)
    moved = tuple(f"{ex.title}, from {was.title} to {now.title}" for was, now, ex in moves.values())
    changed: list[str] = []
    routine_fields = _differences(old, new, ("title", "summary", "schedule", "links"))
    if routine_fields:
        changed.append(f"routine: {', '.join(routine_fields)}")
    old_sections = {s.id: s for s in old.sections}
    for section in new.sections:
        before = old_sections.get(section.id)
        if before is None:
            continue
        if before.title != section.title:
            changed.append(f"{section.id}: title")
        old_exercises = {e.id: e for e in before.exercises}
        for exercise in section.exercises:
            was = old_exercises.get(exercise.id)
            if was is None:
                continue
            what = _differences(was, exercise, tuple(f.name for f in fields(Exercise)))
            what = [w for w in what if w not in ("id", "steps")]
            old_steps = {s.id: s for s in was.steps}
            what += [
                f"step {s.id}" for s in exercise.steps if s.id in old_steps and old_steps[s.id] != s
            ]
            if what:
                changed.append(f"{section.id}/{exercise.id}: {', '.join(what)}")
    return Changes(added, removed, tuple(changed), moved)


def _differences(old, new, names: tuple[str, ...]) -> list[str]:
    return [name for name in names if getattr(old, name) != getattr(new, name)]
