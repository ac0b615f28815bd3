"""The routine as plain, frozen data: what the pages draw and the log refers to.

Nothing here does I/O. A routine is built by `hipdash.routines` (from YAML) or
`hipdash.importing` (from a markdown note) and never changes after that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from hipdash import dose, youtube


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Video:
    """A YouTube video; `url` is kept as written, `video_id`/`start` are parsed from it."""

    url: str
    video_id: str
    start: int | None = None
    title: str = ""
    description: str = ""

    @property
    def embed_url(self) -> str:
        return youtube.embed_url(self.video_id, self.start)

    @property
    def watch_url(self) -> str:
        return youtube.watch_url(self.video_id, self.start)


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    notes: str = ""


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    video: Video | None = None
    steps: tuple[Step, ...] = ()
    notes: str = ""
    dose: str = ""
    hold_seconds: int | None = None
    links: tuple[Link, ...] = ()
    image: str = ""
    sets: int | None = None
    reps: int | None = None
    sides: int | None = None
    rest_seconds: int | None = None
    optional: bool = False  # shown and tickable, but not counted toward a session

    @property
    def explicit(self) -> dose.Dose:
        """The numbers the routine states in so many fields (None where it states none)."""
        return dose.Dose(self.sets, self.reps, self.sides, self.hold_seconds, self.rest_seconds)

    @property
    def dose_text(self) -> str:
        """The dose as the routine words it, or in the usual words from its explicit fields."""
        return self.dose or dose.describe(self.explicit)

    @property
    def amounts(self) -> dose.Dose:
        """The sets, reps, sides, hold and rest it asks for: the routine's explicit fields,
        and where it states none, what the dose's words say."""
        return dose.parse(self.dose).merged(self.explicit)

    @property
    def dose_stated(self) -> bool:
        """Whether the routine says anything of its dose (else a session offers one)."""
        return bool(self.dose) or any(getattr(self, f) is not None for f in dose.FIELDS)


@dataclass(frozen=True)
class Section:
    """A part of the routine. With `rounds` (2 or more) it is a circuit: a guided session
    runs its exercises in turn, then all of them again, round after round; `rest_seconds`
    is the rest before each of its exercises after the first."""

    id: str
    title: str
    exercises: tuple[Exercise, ...] = ()
    rounds: int | None = None
    rest_seconds: int | None = None

    @property
    def circuit(self) -> bool:
        return (self.rounds or 1) > 1


@dataclass(frozen=True)
class Schedule:
    sessions_per_week: int = 3
    minutes: int | None = None
    # The bounds a routine file or an imported note may state: (lowest, highest).
    PER_WEEK: ClassVar[tuple[int, int]] = (1, 14)
    MINUTES: ClassVar[tuple[int, int]] = (1, 600)

    @property
    def summary(self) -> str:
        """'Target: 3 sessions a week · about 30 minutes'."""
        per_week = self.sessions_per_week
        text = f"Target: {per_week} session{'s' if per_week != 1 else ''} a week"
        return text + (f" · about {self.minutes} minutes" if self.minutes else "")


@dataclass(frozen=True)
class Item:
    """One checkable thing: an exercise without steps, or one step.

    `key` is how the log names it: `section/exercise` or `section/exercise/step`.
    """

    key: str
    title: str
    section: Section
    exercise: Exercise
    step: Step | None = None


@dataclass(frozen=True)
class Routine:
    id: str
    title: str
    sections: tuple[Section, ...]
    summary: str = ""
    schedule: Schedule = field(default_factory=Schedule)
    links: tuple[Link, ...] = ()
    source: str = ""
    # (item key, the day it joined the routine) for items that joined after its first
    # version: a day before that is judged without them (`counted_keys_on`). Bookkeeping
    # the library keeps (`library.edits.stamp_added`), not part of what the routine is: a
    # note read again makes the same routine though it never says when items joined.
    added: tuple[tuple[str, date], ...] = field(default=(), compare=False)

    def items(self) -> tuple[Item, ...]:
        """Every checkable item, in the order the page shows them."""
        out: list[Item] = []
        for section in self.sections:
            for exercise in section.exercises:
                out.extend(exercise_items(section, exercise))
        return tuple(out)

    @property
    def item_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.items())

    @property
    def counted_keys(self) -> tuple[str, ...]:
        """The items that make a session: all but those of optional exercises."""
        return tuple(item.key for item in self.items() if not item.exercise.optional)

    def counted_keys_on(self, day: date) -> tuple[str, ...]:
        """The items that made a session on `day`: an item added later does not raise an
        earlier day's bar (a day that counted keeps counting); a removed one is not counted."""
        later = {key for key, since in self.added if since > day}
        return tuple(key for key in self.counted_keys if key not in later)

    @property
    def videos(self) -> tuple[Video, ...]:
        return tuple(ex.video for s in self.sections for ex in s.exercises if ex.video is not None)


def exercise_items(section: Section, exercise: Exercise) -> tuple[Item, ...]:
    """The checkable items of one exercise: itself, or one per step."""
    base = f"{section.id}/{exercise.id}"
    if not exercise.steps:
        return (Item(base, exercise.title, section, exercise),)
    return tuple(
        Item(f"{base}/{step.id}", step.title, section, exercise, step) for step in exercise.steps
    )
