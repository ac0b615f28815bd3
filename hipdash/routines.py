"""Routine YAML <-> `Routine`, with errors a person can act on.

Every problem names the file, the place in it (`sections[1].exercises[0].video.url`)
and what is wrong; all problems of a file are reported together.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from hipdash import dose, safefile, yamlsafe, youtube
from hipdash.fields import SLUG
from hipdash.limits import MAX_FILE_BYTES
from hipdash.models import Exercise, Link, Routine, Schedule, Section, Step, Video


class RoutineError(ValueError):
    """A routine that cannot be used; `problems` lists each one as `file: place: what`."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def slugify(text: str, fallback: str = "item") -> str:
    """A log-safe id from a title: lower-case ascii letters, digits and dashes."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64].strip("-")
    return slug or fallback


def routine_file(directory: Path, routine_id: str) -> Path:
    """Where routine `routine_id` is saved: always a file directly inside `directory`.

    Only a valid id (`SLUG`: no dots, slashes, NUL or non-ASCII; at most 64 characters)
    makes a file name, so an id taken from a note cannot point anywhere else.
    """
    if not isinstance(routine_id, str) or not SLUG.match(routine_id):
        raise ValueError(f"not a routine id: {routine_id!r}")
    path = Path(directory) / f"{routine_id}.yaml"
    if path.resolve().parent != Path(directory).resolve():
        raise ValueError(f"not a routine id: {routine_id!r}")
    return path


class _Reader:
    """Walks the parsed YAML, collecting problems instead of stopping at the first."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []

    def fail(self, where: str, what: str) -> None:
        self.problems.append(f"{self.source}: {where or 'top level'}: {what}")

    def mapping(
        self, value: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict | None:
        if not isinstance(value, dict):
            self.fail(where, f"expected a mapping, got {_kind(value)}")
            return None
        for key in value:
            if key not in required and key not in optional:
                allowed = ", ".join(required + optional)
                self.fail(_join(where, _key_text(key)), f"unknown key (allowed: {allowed})")
        for key in required:
            if key not in value:
                self.fail(_join(where, key), "missing required key")
        return value

    def text(self, data: dict, key: str, where: str, default: str = "") -> str:
        value = data.get(key, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(_join(where, key), f"expected text, got {_kind(value)}")
            return default
        return plain_text(str(value))

    def integer(self, data: dict, key: str, where: str, low: int, high: int) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(_join(where, key), f"expected a whole number from {low} to {high}")
            return None
        return value

    def required_text(self, data: dict, key: str, where: str) -> str:
        """A required value that must also say something (a missing key is reported apart)."""
        value = self.text(data, key, where)
        if not value and key in data:
            self.fail(_join(where, key), "must not be empty")
        return value

    def slug(self, data: dict, where: str) -> str:
        value = self.required_text(data, "id", where)
        if value and not SLUG.match(value):
            self.fail(
                _join(where, "id"),
                f"{value!r} is not a valid id (lower-case letters, digits, '-' or '_')",
            )
        return value

    def items(self, value: Any, where: str, build: Callable[[Any, str], Any]) -> tuple:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(where, f"expected a list, got {_kind(value)}")
            return ()
        built = [build(item, f"{where}[{i}]") for i, item in enumerate(value)]
        seen: set[str] = set()
        for i, obj in enumerate(built):
            obj_id = getattr(obj, "id", None)
            if obj_id and obj_id in seen:
                self.fail(f"{where}[{i}].id", f"duplicate id {obj_id!r}")
            if obj_id:
                seen.add(obj_id)
        return tuple(obj for obj in built if obj is not None)

    def link(self, value: Any, where: str) -> Link | None:
        data = self.mapping(value, where, ("url",), ("title",))
        if data is None:
            return None
        url = self.required_text(data, "url", where)
        if url and not re.match(r"^https?://\S+$", url, re.IGNORECASE):
            self.fail(_join(where, "url"), f"{url!r} is not an http(s) link")
            return None
        return Link(self.text(data, "title", where) or url, url)

    def video(self, value: Any, where: str) -> Video | None:
        if isinstance(value, str):
            value = {"url": value}
        data = self.mapping(value, where, ("url",), ("title", "description", "start"))
        if data is None:
            return None
        url = self.required_text(data, "url", where)
        ref = youtube.parse(url)
        if ref is None:
            if url:
                self.fail(_join(where, "url"), f"{url!r} is not a YouTube video link")
            return None
        start = self.integer(data, "start", where, 0, 86_400)
        return Video(
            url=url,
            video_id=ref.video_id,
            start=start if start is not None else ref.start,
            title=self.text(data, "title", where),
            description=self.text(data, "description", where),
        )

    def step(self, value: Any, where: str) -> Step | None:
        data = self.mapping(value, where, ("id", "title"), ("notes",))
        if data is None:
            return None
        return Step(
            self.slug(data, where),
            self.required_text(data, "title", where),
            self.text(data, "notes", where),
        )

    def flag(self, data: dict, key: str, where: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.fail(_join(where, key), "expected true or false")
            return False
        return value

    def exercise(self, value: Any, where: str) -> Exercise | None:
        optional = ("video", "steps", "notes", "dose", "links", "image", "optional", *dose.FIELDS)
        data = self.mapping(value, where, ("id", "title"), optional)
        if data is None:
            return None
        video = data.get("video")
        amounts = {f: self.integer(data, f, where, *dose.LIMITS[f]) for f in dose.FIELDS}
        return Exercise(
            id=self.slug(data, where),
            title=self.required_text(data, "title", where),
            video=self.video(video, _join(where, "video")) if video is not None else None,
            steps=self.items(data.get("steps"), _join(where, "steps"), self.step),
            notes=self.text(data, "notes", where),
            dose=self.text(data, "dose", where),
            links=self.items(data.get("links"), _join(where, "links"), self.link),
            image=self.text(data, "image", where),
            optional=self.flag(data, "optional", where),
            **amounts,
        )

    def section(self, value: Any, where: str) -> Section | None:
        data = self.mapping(value, where, ("id", "title", "exercises"), dose.SECTION_FIELDS)
        if data is None:
            return None
        exercises = self.items(data.get("exercises"), _join(where, "exercises"), self.exercise)
        if "exercises" in data and not exercises:
            self.fail(_join(where, "exercises"), "a section needs at least one exercise")
        amounts = {
            f: self.integer(data, f, where, *dose.SECTION_LIMITS[f]) for f in dose.SECTION_FIELDS
        }
        return Section(
            self.slug(data, where), self.required_text(data, "title", where), exercises, **amounts
        )

    def routine(self, value: Any) -> Routine | None:
        optional = ("summary", "schedule", "source", "links", "added")
        data = self.mapping(value, "", ("id", "title", "sections"), optional)
        if data is None:
            return None
        schedule = Schedule()
        if data.get("schedule") is not None:
            sched = self.mapping(data["schedule"], "schedule", (), ("sessions_per_week", "minutes"))
            if sched is not None:
                per_week = self.integer(sched, "sessions_per_week", "schedule", *Schedule.PER_WEEK)
                minutes = self.integer(sched, "minutes", "schedule", *Schedule.MINUTES)
                schedule = Schedule(per_week or Schedule.sessions_per_week, minutes)
        sections = self.items(data.get("sections"), "sections", self.section)
        if "sections" in data and not sections:
            self.fail("sections", "a routine needs at least one section")
        return Routine(
            id=self.slug(data, ""),
            title=self.required_text(data, "title", ""),
            sections=sections,
            summary=self.text(data, "summary", ""),
            schedule=schedule,
            links=self.items(data.get("links"), "links", self.link),
            source=self.text(data, "source", ""),
            added=self.added(data.get("added")),
        )

    def added(self, value: Any) -> tuple[tuple[str, date], ...]:
        """`added: {section/exercise: YYYY-MM-DD}`: when items joined the routine."""
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.fail("added", f"expected a mapping, got {_kind(value)}")
            return ()
        out = []
        for key, when in value.items():
            day = _a_date(when)
            if not isinstance(key, str) or day is None:
                self.fail(_join("added", _key_text(key)), "expected a date (YYYY-MM-DD)")
            else:
                out.append((key, day))
        return tuple(sorted(out))


def _a_date(value: Any) -> date | None:
    """A date as YAML gives it (a date, or its text), else None."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


# Characters no text of a routine needs: controls but tab and line feed (a carriage return
# is a line break, as YAML itself reads one), and the Unicode line and paragraph separators.
_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain_text(text: str) -> str:
    """A text field as a routine keeps it: line breaks as `\\n`, other control characters as
    spaces, so none can end a line of a calendar file or a log (a title `Hips\\rBEGIN:..`)."""
    return _CONTROLS.sub(" ", _BREAKS.sub("\n", text)).strip()


def _key_text(key: Any) -> str:
    """A key as a place in a message; odd ones quoted, so `a: b:` cannot blur the message."""
    text = str(key)
    return text if re.fullmatch(r"[\w-]{1,40}", text) else repr(key)[:60]


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def routine_from_data(data: Any, source: str = "<routine>") -> Routine:
    """Validate parsed YAML and build the routine, or raise `RoutineError` with every problem."""
    reader = _Reader(source)
    routine = reader.routine(data)
    if reader.problems or routine is None:
        raise RoutineError(reader.problems)
    return routine


def parse_routine(text: str, source: str = "<routine>") -> Routine:
    """A routine from YAML text (read by `yamlsafe`); `source` names the file in errors."""
    try:
        data = yamlsafe.load(text)
    except yamlsafe.YamlRefused as exc:
        raise RoutineError([f"{source}: {exc.place}: {exc.what}"]) from None
    try:
        return routine_from_data(data, source)
    except (ValueError, TypeError, LookupError, AttributeError, RecursionError) as exc:
        if isinstance(exc, RoutineError):
            raise
        # Not met by any file tried (docs/reliability.md); if one is, it is one bad file.
        what = f"cannot be read ({type(exc).__name__})"
        raise RoutineError([f"{source}: top level: {what}"]) from None


def load_routine(path: Path) -> Routine:
    """Read and validate one routine file."""
    path = Path(path)
    try:
        raw = safefile.read_plain(path, MAX_FILE_BYTES)
    except (safefile.NotAFile, safefile.TooLarge) as exc:
        raise RoutineError([f"{path}: {exc.strerror.removeprefix(f'{path} ')}"]) from None
    except OSError as exc:
        raise RoutineError([f"{path}: cannot be read ({exc.strerror or exc})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RoutineError([f"{path}: not UTF-8 text"]) from None
    return parse_routine(text, str(path))


def scan_routines(directory: Path) -> tuple[list[tuple[Path, Routine]], list[str]]:
    """Every valid routine file in `directory` (in file-name order) and the problems of the rest.

    Two files with the same routine id would mix their logs, so the second one is refused.
    """
    found: list[tuple[Path, Routine]] = []
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for path in sorted(Path(directory).glob("*.y*ml")):
        try:
            routine = load_routine(path)
        except RoutineError as exc:
            problems.extend(exc.problems)
            continue
        if routine.id in seen:
            problems.append(f"{path}: id: {routine.id!r} is already used by {seen[routine.id]}")
            continue
        seen[routine.id] = path
        found.append((path, routine))
    return found, problems


def load_routines(directory: Path) -> tuple[list[Routine], list[str]]:
    """The valid routines in `directory`, sorted by title, and the problems of the rest."""
    found, problems = scan_routines(directory)
    routines = sorted((r for _, r in found), key=lambda r: (r.title.lower(), r.id))
    return routines, problems


def routine_to_data(routine: Routine) -> dict:
    """The YAML-ready form of a routine; `routine_from_data` reads it back unchanged."""
    out: dict[str, Any] = {"id": routine.id, "title": routine.title}
    if routine.summary:
        out["summary"] = routine.summary
    schedule: dict[str, int] = {"sessions_per_week": routine.schedule.sessions_per_week}
    if routine.schedule.minutes:
        schedule["minutes"] = routine.schedule.minutes
    out["schedule"] = schedule
    if routine.source:
        out["source"] = routine.source
    if routine.links:
        out["links"] = [_link_data(link) for link in routine.links]
    out["sections"] = [_section_data(s) for s in routine.sections]
    if routine.added:
        out["added"] = {key: since.isoformat() for key, since in routine.added}
    return out


def _section_data(section: Section) -> dict:
    out: dict[str, Any] = {"id": section.id, "title": section.title}
    for key in dose.SECTION_FIELDS:
        if getattr(section, key) is not None:
            out[key] = getattr(section, key)
    out["exercises"] = [_exercise_data(ex) for ex in section.exercises]
    return out


def _link_data(link: Link) -> dict:
    return {"title": link.title, "url": link.url}


def _exercise_data(ex: Exercise) -> dict:
    out: dict[str, Any] = {"id": ex.id, "title": ex.title}
    for key in ("dose", "notes"):
        if getattr(ex, key):
            out[key] = getattr(ex, key)
    for key in dose.FIELDS:
        if getattr(ex, key) is not None:
            out[key] = getattr(ex, key)
    if ex.optional:
        out["optional"] = True
    if ex.image:
        out["image"] = ex.image
    if ex.links:
        out["links"] = [_link_data(link) for link in ex.links]
    if ex.video:
        video: dict[str, Any] = {"url": ex.video.url}
        if ex.video.start and youtube.parse(ex.video.url).start != ex.video.start:
            video["start"] = ex.video.start
        if ex.video.title:
            video["title"] = ex.video.title
        if ex.video.description:
            video["description"] = ex.video.description
        out["video"] = video
    if ex.steps:
        out["steps"] = [
            {"id": st.id, "title": st.title, **({"notes": st.notes} if st.notes else {})}
            for st in ex.steps
        ]
    return out


def dump_routine(routine: Routine) -> str:
    """YAML text for a routine, readable and stable (keys in a fixed order)."""
    return yaml.safe_dump(routine_to_data(routine), sort_keys=False, allow_unicode=True, width=100)
