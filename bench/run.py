"""hipdash benchmark: is a tick still instant after years of history?

Run from the project root with the project installed: `python bench/run.py`.

It builds check-off logs of 0, 1,000, 10,000 and 100,000 rows (and 1,000,000 for the
append test, or `--append-log N`) of routine 1 in temp dirs, from the demo generator's
habits (2–4 sessions a week, skipped exercises, un-ticks), written straight in the exact
format `CheckoffLog` writes and read back through it to prove they parse. Each log size
then runs in a fresh Python process (so memory peaks are not shared), through Streamlit's AppTest:

* today:    the Today page's rerun after a tick (click a box, the script reruns),
* progress: the Progress page's render after the log changed (a tick was made since), as
            it opens: tiles and the Weeks tab (only the open tab is drawn),
* tabs:     the same render with each of the other tabs open (what a tap on it costs),
* peak RSS of that process, and how much more it is than with the empty log.

It also times the Routines page's import preview of a 30 KB note (the upload until the
preview is drawn: the note read, planned and shown in the editor), for two notes: the
user's routine note with its sections repeated, and one of many short exercises with steps.

Appends (`CheckoffLog.record` of one change: locked, written, fsynced) are timed in
this process, alternating between the logs so drift on a shared machine hits them alike.
Every figure is a median. The last line holds the three ratios with targets:
`ratios: today_100k=X progress_100k=Y append_1M=Z` (append relative to the 1k-row log).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 24)
SIZES = (0, 1_000, 10_000, 100_000)
APPEND_LOG = 1_000_000  # the largest log an append is timed on (--append-log)
ZONE = timezone(timedelta(hours=1))  # the click times carry an offset, as the app writes them
TICKED = "Dead bug"
FULL_PAGE = "0 (full Progress)"
TABS = ("Weeks", "Calendar", "Exercises", "Pain", "History")


# -- building the logs ---------------------------------------------------------------------


def routine_1():
    from hipdash.routines import load_routine

    return load_routine(PROJECT / "routines" / "hip-therapy-routine-1.yaml")


def in_window(day: date) -> date:
    """A demo day before the first day a log may hold (2000-01-01; the demo's history of a
    large log reaches back decades) folded into the years since: more rows per day."""
    from hipdash.fields import FIRST_DAY

    span = (TODAY - FIRST_DAY).days
    return day if day >= FIRST_DAY else FIRST_DAY + timedelta(days=(day - FIRST_DAY).days % span)


def moment(at: datetime) -> datetime:
    """A demo click's time, its day folded as `in_window` folds days: a log of a million
    rows reaches back centuries, before the years a stamp may be in (`fields.STAMP_YEARS`)."""
    return datetime.combine(in_window(at.date()), at.time(), ZONE)


def build_log(data_dir: Path, rows: int, seed: int = 1) -> Path:
    """`rows` realistic rows (the demo's habits, as many weeks as it takes, ending the day
    before TODAY) written in CheckoffLog's exact line format, plus the session details and
    day marks the demo would keep for those days. Returns the log's path."""
    from hipdash import demo
    from hipdash.log import COLUMNS, CheckoffLog, now_iso
    from hipdash.sessions import SessionLog
    from hipdash.store import format_line

    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "checkoffs.csv"
    path.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    if not rows:
        return path
    routine = routine_1()
    weeks = rows // 30 + 20  # the demo averages ~36 rows a week: enough, then cut
    clicks = demo.generate(routine, weeks, seed, TODAY)[-rows:]
    assert len(clicks) == rows, f"the demo gave {len(clicks)} rows, not {rows}"
    lines = []
    for c in clicks:
        change = c.change
        stamp = now_iso(moment(c.at))
        done = "1" if change.done else "0"
        day = in_window(change.session_date)
        lines.append(f"{stamp},{day},{change.routine},{change.item},{done}\n")
    for line, c in zip(lines[:1000], clicks, strict=False):  # what CheckoffLog.record writes
        change = c.change
        row = (now_iso(moment(c.at)), in_window(change.session_date).isoformat())
        row += (change.routine, change.item, "1" if change.done else "0")
        assert line == format_line(row), (line, format_line(row))
    with open(path, "a", encoding="utf-8") as f:
        f.writelines(lines)
    snap = CheckoffLog(path).snapshot()
    assert len(snap.records) == rows and snap.problem_count == 0, "the built log must parse"

    if rows <= 100_000:  # session details and marked days, as the demo keeps them
        sessions = SessionLog(data_dir)
        saved, marks = demo.details(clicks, weeks, seed, TODAY)
        detail_rows = [_details_row(at, d) for at, d in saved]
        sessions.sessions.append(detail_rows)
        sessions.days.append(
            [
                (now_iso(at.replace(tzinfo=ZONE)), in_window(m.day).isoformat(), m.kind, m.reason)
                for at, m in marks
            ]
        )
    return path


def build_full_page_baseline(data_dir: Path) -> None:
    """No check-off rows, but one session's pain noted and one day marked: Progress then
    draws its whole page (tiles and tabs: the charts and the history; no exercises, as
    there is no session) from an empty log, the like-for-like baseline for the pages with
    history (the plain empty log gets a notice)."""
    from hipdash.sessions import SessionDetails, SessionLog

    build_log(data_dir, 0)
    sessions = SessionLog(data_dir)
    day = TODAY - timedelta(days=2)
    sessions.save(SessionDetails(day, routine_1().id, pain_before=4, pain_after=2, minutes=30))
    sessions.mark_day(TODAY - timedelta(days=1), "rest")


def _details_row(at: datetime, d) -> tuple[str, ...]:
    from hipdash.log import now_iso

    def opt(v):
        return "" if v is None else str(v)

    return (
        now_iso(at.replace(tzinfo=ZONE)),
        in_window(d.session_date).isoformat(),
        d.routine,
        opt(d.pain_before),
        opt(d.pain_after),
        opt(d.minutes),
        d.note,
    )


# -- one log size in its own process ---------------------------------------------------------


def timed_runs(at, reps: int, warmup: int, before, run=None) -> list[float]:
    """Seconds of `run(n)` (default `at.run()`) after `before(n)` set up run n; the first
    `warmup` untimed."""
    times = []
    for n in range(warmup + reps):
        before(n)
        start = time.perf_counter()
        run(n) if run else at.run()
        elapsed = time.perf_counter() - start
        assert not at.exception, at.exception
        if n >= warmup:
            times.append(elapsed)
    return times


def worker(data_dir: str, reps: int, warmup: int) -> dict:
    """Today rerun after a tick and Progress render after a tick, in this process."""
    os.environ.update(HIPDASH_DATA_DIR=data_dir, HIPDASH_TODAY=TODAY.isoformat())
    from streamlit.testing.v1 import AppTest

    from hipdash import config
    from hipdash.log import Change, CheckoffLog
    from tests import component

    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    log = CheckoffLog(config.checkoffs_path())
    routine = routine_1()
    empty = not log.snapshot().records

    def tick_since_last_render(n: int) -> None:
        # As when the person comes from Today; an empty log stays empty (its page is the
        # "nothing logged yet" one).
        if not empty:
            log.record([Change(TODAY, routine.id, routine.item_keys[0], n % 2 == 0)])

    at.switch_page("pages/progress.py")
    progress_times = timed_runs(at, reps, warmup, tick_since_last_render)
    tabs, drawn = {}, {}
    if not empty or has_tabs(at):  # the plain empty log has a notice, no tabs
        for tab in TABS:
            at.query_params["view"] = tab  # opened on that tab: it is drawn first
            tabs[tab] = statistics.median(timed_runs(at, reps, warmup, tick_since_last_render))
            drawn[tab] = what_is_drawn(at)

    at.switch_page("pages/today.py").run()
    item = next(i.key for i in routine.items() if i.title == TICKED)

    def click(n: int) -> None:  # the box's click, as the browser sends it; the run writes it
        component.tick(at, item, want=not component.data(at)["state"].get(item, False))

    today_times = timed_runs(at, reps, warmup, lambda n: None, click)
    return {
        "today": today_times,
        "progress": progress_times,
        "tabs": tabs,
        "drawn": drawn,
        "peak_mb": peak_rss_mb(),
    }


def has_tabs(at) -> bool:
    """Whether Progress drew its tabs (their bar is a component: AppTest's unknown element)."""
    from hipdash.ui import keys

    return any(getattr(el, "key", None) == keys.TAB_BAR for el in at.get("bidi_component"))


def what_is_drawn(at) -> str:
    """What an open tab put on the page, so a run that drew nothing cannot pass for fast."""
    counts = {
        "chart": len(at.get("vega_lite_chart")),
        "bar": len(at.get("progress")),
        "table": len(at.dataframe),
    }
    drawn = [f"{n} {what}{'' if n == 1 else 's'}" for what, n in counts.items() if n]
    return ", ".join(drawn) or "text only"


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss
    over from the parent through fork and exec, so a worker would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_fresh_process(what: str, *args: str) -> dict:
    """Run this script with `args` in a new Python process; the JSON its last line prints."""
    out = subprocess.run(
        [sys.executable, __file__, *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"{what} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_worker(data_dir: Path, reps: int, warmup: int) -> dict:
    args = ("--worker", str(data_dir), "--reps", str(reps), "--warmup", str(warmup))
    return in_fresh_process(f"worker for {data_dir}", *args)


# -- appends -------------------------------------------------------------------------------


def time_appends(paths: dict[int, Path], count: int) -> dict[int, float]:
    """Median seconds of one `CheckoffLog.record` per log, round-robin over the logs."""
    from hipdash.log import Change, CheckoffLog

    routine = routine_1()
    item = routine.item_keys[-1]
    logs = {n: CheckoffLog(p) for n, p in paths.items()}
    times: dict[int, list[float]] = {n: [] for n in paths}
    for i in range(count + 5):
        change = [Change(TODAY, routine.id, item, i % 2 == 0)]
        for n, log in logs.items():
            start = time.perf_counter()
            log.record(change)
            elapsed = time.perf_counter() - start
            if i >= 5:
                times[n].append(elapsed)
    return {n: statistics.median(t) for n, t in times.items()}


# -- the import preview ---------------------------------------------------------------------

NOTE = PROJECT / "tests" / "fixtures" / "notes" / "hip-therapy-routine-1.md"
NOTE_BYTES = 30_000


def routine_note(size: int = NOTE_BYTES) -> bytes:
    """The routine note (front matter, intro, three sections) with its sections repeated,
    each copy's headings numbered, until it is `size` bytes."""
    text = NOTE.read_text(encoding="utf-8")
    cut = text.index("### ")
    head, sections = text[:cut], text[cut:]
    parts, n = [head], 0
    while sum(len(p.encode()) for p in parts) < size:
        n += 1
        parts.append(re.sub(r"^(### .+)$", rf"\1 · {n}", sections, flags=re.MULTILINE))
    return "".join(parts).encode()


def exercises_note(size: int = NOTE_BYTES) -> bytes:
    """As many exercises as a note may hold (each with two steps: 3 of the 250 list items a
    note may have, `hipdash.importing`), in sections of twelve, with steps long enough to make
    `size` bytes."""
    count = 250 // 3
    step = "slowly, keeping the back flat and the knee over the foot, then " * 2
    parts, s = ["# A long plan\n\n"], 0
    while count:
        s += 1
        parts.append(f"## Section {s}\n\n")
        for i in range(1, min(count, 12) + 1):
            parts.append(f"- Exercise {s}.{i}, 3x10\n    - {step}\n    - then hold 10 s {step}\n")
        count -= min(count, 12)
    note = "".join(parts) + "\nNotes:"
    while len(note) < size:  # prose after the lists, as notes have
        note += " Rest a day when the hip is sore, and note it."
    return (note + "\n").encode()


def preview_worker(reps: int) -> dict:
    """Each note uploaded `reps` times (each a new file: one more blank line, so the preview is
    made anew) into the Routines page's Import tab; seconds per run, in this process."""
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory(prefix="hipdash-preview-") as tmp:
        os.environ.update(
            HIPDASH_DATA_DIR=str(Path(tmp) / "data"),
            HIPDASH_ROUTINES_DIR=str(Path(tmp) / "routines"),
            HIPDASH_TODAY=TODAY.isoformat(),
        )
        at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=120)
        at.query_params["view"] = "Import"
        at.switch_page("pages/routines.py").run()
        out = {}
        for name, note in (("routine", routine_note()), ("exercises", exercises_note())):
            times = []
            for n in range(reps):
                upload = at.file_uploader(key="hd_note_upload-0")
                upload.upload(f"{name}-{n}.md", note + b"\n" * n, "text/markdown")
                start = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - start)
                assert not at.exception, at.exception
                assert len(at.checkbox) > 50, "the preview must list the note's exercises"
            out[name] = {"bytes": len(note), "times": times, "boxes": len(at.checkbox)}
        return out


def run_preview(reps: int) -> dict:
    return in_fresh_process("the import preview", "--preview", "--reps", str(reps))


def report_preview(preview: dict) -> None:
    print("Import preview (upload -> preview drawn), ms (median | max):")
    for name, r in preview.items():
        times = [t * 1000 for t in r["times"]]
        what = "the routine note, repeated" if name == "routine" else "short exercises, steps"
        print(
            f"{what:>27} | {r['bytes'] / 1000:4.0f} KB | {r['boxes']:4} boxes | "
            f"{statistics.median(times):6.0f} | {max(times):6.0f}"
        )


# -- the report ----------------------------------------------------------------------------


def machine() -> str:
    import streamlit

    cpu = platform.processor() or platform.machine()
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                cpu = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"Streamlit {streamlit.__version__}, {platform.system()} {platform.release()}"
    )


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "-"


def append_sizes(largest: int) -> tuple[int, ...]:
    return (*SIZES, largest) if largest not in SIZES else SIZES


def short(rows: int) -> str:
    """1,000,000 -> '1M', 200,000 -> '200k': the append ratio's name."""
    return f"{rows // 1_000_000}M" if rows % 1_000_000 == 0 else f"{rows // 1000}k"


def report(results: dict[str, dict], appends: dict[int, float], preview: dict) -> None:
    base = results["0"]
    largest = max(appends)
    print(
        f"{'log rows':>18} | {'Today rerun':>17} | {'Progress opens':>17} | "
        f"{'append':>15} | {'peak RSS, above empty':>21}"
    )
    for label in [*results, *(f"{n:,}" for n in appends if f"{n:,}" not in results)]:
        r = results.get(label)
        rows = int(label.split()[0].replace(",", ""))
        cells = [f"{label:>18}"]
        if r:
            for page in ("today", "progress"):
                cells.append(f"{r[page] * 1000:>7.1f} ms {ratio(r[page], base[page]):>6}")
        else:
            cells += [f"{'':>17}", f"{'':>17}"]
        if rows in appends and not label.endswith(")"):
            cells.append(f"{appends[rows] * 1000:>5.2f} ms {ratio(appends[rows], appends[0]):>6}")
        else:
            cells.append(f"{'':>15}")
        if r:
            cells.append(f"{r['peak_mb']:>6.0f} MB {r['peak_mb'] - base['peak_mb']:>+8.1f} MB")
        print(" | ".join(cells).rstrip(" |"))
    big = results["100,000"]
    print(
        "Progress at 100,000 rows against the full page with no rows: "
        f"{ratio(big['progress'], results[FULL_PAGE]['progress'])}; against 1,000 rows: "
        f"{ratio(big['progress'], results['1,000']['progress'])}"
    )
    report_tabs(results)
    if preview:
        report_preview(preview)
    print(
        f"ratios: today_100k={big['today'] / base['today']:.2f} "
        f"progress_100k={big['progress'] / base['progress']:.2f} "
        f"append_{short(largest)}={appends[largest] / appends[1_000]:.2f}"
    )


def report_tabs(results: dict[str, dict]) -> None:
    """Progress with each tab open (a tap on a tab reruns the page with only it drawn),
    against the same tab with no check-off rows."""
    base = results[FULL_PAGE]["tabs"]
    print("Progress with each tab open, and its ratio to the same tab with no rows:")
    print(f"{'log rows':>18} | " + " | ".join(f"{tab:>16}" for tab in TABS))
    for label, r in results.items():
        if r["tabs"]:
            cells = [
                f"{r['tabs'][t] * 1000:>6.1f} ms {ratio(r['tabs'][t], base[t]):>6}" for t in TABS
            ]
            print(f"{label:>18} | " + " | ".join(cells))


def measure(dirs: dict[str, Path], work: Path, rounds: int, reps: int, warmup: int) -> dict:
    """Each case in a fresh process on a fresh copy of its data, the cases taking turns
    round by round (so a busy moment on a shared machine does not land on one size);
    medians over all rounds."""
    raw: dict[str, list[dict]] = {label: [] for label in dirs}
    for r in range(rounds):
        for label, source in dirs.items():
            copy = work / f"{source.name}-round{r}"
            shutil.copytree(source, copy)
            t = time.perf_counter()
            raw[label].append(run_worker(copy, reps, warmup))
            shutil.rmtree(copy)
            drawn = raw[label][-1]["drawn"]
            shown = " · ".join(f"{tab} {what}" for tab, what in drawn.items()) or "the notice"
            print(
                f"round {r + 1}: {label} rows in {time.perf_counter() - t:.1f} s "
                f"(Progress drew {shown})",
                flush=True,
            )
    return {
        label: {
            "today": statistics.median(t for run in runs for t in run["today"]),
            "progress": statistics.median(t for run in runs for t in run["progress"]),
            "tabs": {
                tab: statistics.median(run["tabs"][tab] for run in runs) for tab in runs[0]["tabs"]
            },
            "peak_mb": statistics.median(run["peak_mb"] for run in runs),
        }
        for label, runs in raw.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes per size")
    parser.add_argument("--reps", type=int, default=15, help="timed reruns per page and round")
    parser.add_argument("--warmup", type=int, default=3, help="untimed reruns first")
    parser.add_argument("--appends", type=int, default=300, help="timed appends per log")
    parser.add_argument("--previews", type=int, default=10, help="import previews per note")
    parser.add_argument(
        "--append-log", type=int, default=APPEND_LOG, help="rows of the largest log appended to"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--preview", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.reps, args.warmup)))
        return
    if args.preview:
        print(json.dumps(preview_worker(args.reps)))
        return

    started = time.perf_counter()
    print(f"hipdash benchmark · {machine()}")
    with tempfile.TemporaryDirectory(prefix="hipdash-bench-") as tmp:
        root = Path(tmp)
        dirs: dict[str, Path] = {}
        for n in append_sizes(args.append_log):
            t = time.perf_counter()
            path = build_log(root / f"rows-{n}", n)
            if n in SIZES:
                dirs[f"{n:,}"] = path.parent
            size = path.stat().st_size / 1e6
            print(f"built {n:,} rows ({size:.1f} MB) in {time.perf_counter() - t:.1f} s")
            if n == 0:
                build_full_page_baseline(root / "full-page")
                dirs[FULL_PAGE] = root / "full-page"
        results = measure(dirs, root, args.rounds, args.reps, args.warmup)
        appends = time_appends(
            {n: root / f"rows-{n}" / "checkoffs.csv" for n in append_sizes(args.append_log)},
            args.appends,
        )
    preview = run_preview(args.previews) if args.previews else {}
    print(
        f"({args.rounds} rounds of {args.reps} timed runs after {args.warmup} warm-up runs, "
        f"{args.appends} appends per log; medians; {time.perf_counter() - started:.0f} s in all)"
    )
    report(results, appends, preview)


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT))
    main()
