"""A three-way merge of routines: the note as last imported (`base`), the routine in the app
(`ours`) and the note now (`theirs`), matched by id (sections, exercises, steps).

What only one side changed is taken from it: the note's new exercise and raised dose, the
app's rename. Where both changed the same field differently, or one removed what the
other changed, the person chooses (`Conflict`, answered through `choices`: key -> "note"
or "app"; unanswered ones keep the app's). Ids are never invented here: `theirs` comes
with the ids of what it shares with `base` (`hipdash.importing.reimport.keep_ids`). Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace

from hipdash import dose
from hipdash.models import Exercise, Routine, Section, Step

# Fields that change together: an exercise's dose words and the numbers they state.
_DOSE = ("dose", *dose.FIELDS)
# Every field of an exercise but its id and steps (merged one by one), in the model's
# order, so a field added to `Exercise` is merged without a change here.
_EXERCISE = tuple(
    dict.fromkeys(
        _DOSE if f.name in _DOSE else (f.name,)
        for f in fields(Exercise)
        if f.name not in ("id", "steps")
    )
)
_SECTION = (("title",), dose.SECTION_FIELDS)
_ROUTINE = (("title",), ("summary",), ("schedule",), ("links",))


@dataclass(frozen=True)
class Conflict:
    """Both changed the same thing. `key` names it for `choices`; `where` and `what` say it
    for a person; `note` and `app` are each side's value in words ("" for removed)."""

    key: str
    where: str
    what: str
    note: str
    app: str


@dataclass(frozen=True)
class Merged:
    routine: Routine
    conflicts: tuple[Conflict, ...] = ()

    def unanswered(self, choices: Mapping[str, str]) -> tuple[Conflict, ...]:
        return tuple(c for c in self.conflicts if choices.get(c.key) not in ("note", "app"))


@dataclass
class _Merger:
    choices: Mapping[str, str]
    conflicts: list[Conflict] = field(default_factory=list)

    def pick(self, key: str, where: str, what: str, base, ours, theirs, words=str):
        """One value: whichever side changed it, else the person's choice."""
        if ours == theirs or theirs == base:
            return ours
        if ours == base:
            return theirs
        self.conflicts.append(Conflict(key, where, what, words(theirs), words(ours)))
        return theirs if self.choices.get(key) == "note" else ours

    def fields(self, key, where, groups, base, ours, theirs) -> dict:
        """Each group of fields merged as one value; the changed ones, as `replace` takes them."""
        out = {}
        for names in groups:

            def get(obj, names=names):
                return tuple(getattr(obj, n) for n in names) if obj is not None else None

            words = _dose_words if names == _DOSE else _amount_words if len(names) > 1 else _first
            chosen = self.pick(
                f"{key}:{names[0]}", where, names[0], get(base), get(ours), get(theirs), words
            )
            out.update(zip(names, chosen, strict=True))
        return out

    def children(self, key: str, where: str, base, ours, theirs, merge_one, title) -> tuple:
        """Sibling lists matched by id: kept, added, removed (the other side not having
        changed it) or chosen; in the order of the side that reordered them."""
        b, o, t = ({x.id: x for x in side} for side in (base, ours, theirs))
        kept: dict[str, object] = {}
        for item_id in dict.fromkeys([*o, *t]):
            here = f"{key}/{item_id}" if key else item_id
            name = f"{where} › {title(o.get(item_id) or t.get(item_id))}".lstrip(" ›")
            got = self.one(here, name, b.get(item_id), o.get(item_id), t.get(item_id), merge_one)
            if got is not None:
                kept[item_id] = got
        order = merge_order([x.id for x in base], [x.id for x in ours], [x.id for x in theirs])
        return tuple(kept[i] for i in order if i in kept)

    def one(self, key, where, base, ours, theirs, merge_one):
        if ours is not None and theirs is not None:
            return merge_one(key, where, base, ours, theirs)
        if base is None:  # added on one side
            return ours if ours is not None else theirs
        if ours is None and theirs is None:
            return None
        if ours is None:  # removed in the app: gone, unless the note changed it since
            kept = self.pick(f"{key}:removed", where, "removed here", base, None, theirs, _gone)
            return kept
        kept = self.pick(f"{key}:removed", where, "removed in the note", base, ours, None, _gone)
        return kept

    def step(self, key, where, base, ours, theirs) -> Step:
        changed = self.fields(key, where, (("title",), ("notes",)), base, ours, theirs)
        return replace(ours, **changed)

    def exercise(self, key, where, base, ours, theirs) -> Exercise:
        changed = self.fields(key, where, _EXERCISE, base, ours, theirs)
        steps = self.children(
            key, where, _of(base, "steps"), ours.steps, theirs.steps, self.step, _title
        )
        return replace(ours, **changed, steps=steps)

    def section(self, key, where, base, ours, theirs) -> Section:
        changed = self.fields(key, where, _SECTION, base, ours, theirs)
        exercises = self.children(
            key,
            ours.title,
            _of(base, "exercises"),
            ours.exercises,
            theirs.exercises,
            self.exercise,
            _title,
        )
        return replace(ours, **changed, exercises=exercises)


def merge(
    base: Routine, ours: Routine, theirs: Routine, choices: Mapping[str, str] | None = None
) -> Merged:
    """The app's routine with the note's changes since `base`; see the module doc."""
    merger = _Merger(choices or {})
    changed = merger.fields("routine", "The routine", _ROUTINE, base, ours, theirs)
    sections = merger.children(
        "", "", base.sections, ours.sections, theirs.sections, merger.section, _title
    )
    routine = replace(ours, **changed, sections=sections)
    return Merged(routine, tuple(merger.conflicts))


def merge_order(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]) -> list[str]:
    """Ids in order: the app's order, but the note's for what both have if only the note
    reordered them; what only the note has goes after what comes before it in the note."""
    shared = [i for i in base if i in ours and i in theirs]
    mine = [i for i in ours if i in shared]
    lead = iter([i for i in theirs if i in shared] if mine == shared else mine)
    out = [next(lead) if i in shared else i for i in ours]
    for index, item in enumerate(theirs):
        if item in out:
            continue
        before = [i for i in theirs[:index] if i in out]
        out.insert(out.index(before[-1]) + 1 if before else 0, item)
    return out


def _first(value: tuple) -> str:
    return _words(value[0])


def _dose_words(value: tuple) -> str:
    return value[0] or dose.describe(dose.Dose(*value[1:])) or "no dose"


def _amount_words(value: tuple) -> str:
    rounds, rest = value
    parts = [f"{rounds} rounds" if rounds else "", f"{rest} s rest" if rest is not None else ""]
    return ", ".join(p for p in parts if p) or "nothing"


def _of(obj, name: str) -> tuple:
    return getattr(obj, name) if obj is not None else ()


def _title(obj) -> str:
    return obj.title


def _gone(value) -> str:
    return "removed" if value is None else _words(getattr(value, "title", value))


def _words(value) -> str:
    """A field's value for a person: a dose as its words, a video as its title or link."""
    if value is None:
        return "nothing"
    if isinstance(value, tuple):
        parts = [_words(v) for v in value if v not in (None, "", False, ())]
        return ", ".join(parts) or "nothing"
    if hasattr(value, "video_id"):
        return value.title or value.url
    if hasattr(value, "sessions_per_week"):
        return value.summary
    if hasattr(value, "url"):
        return f"{value.title} ({value.url})"
    if value is True:
        return "optional"
    return str(value)
