"""The rule of the house: hipdash/ui/ reads and asks; only the core writes. Every module
under hipdash/ui/ is parsed and its calls checked against the core's own list of the
functions that write the data dir (`hipdash.writers.WRITERS`, filled by `@writer` where
each is defined), and against the standard library's ways of changing a file. A page
writes through a service (`hipdash.services` and the others named there), and the core
never imports Streamlit."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import hipdash
from hipdash.writers import WRITERS

ROOT = Path(hipdash.__file__).parent
UI = sorted((ROOT / "ui").glob("*.py"))
CORE = [
    m.name
    for m in pkgutil.walk_packages(hipdash.__path__, "hipdash.")
    if not m.name.startswith("hipdash.ui") and m.name != "hipdash.__main__"
]
for _name in CORE:  # each writer registers itself as its module is imported
    importlib.import_module(_name)

# the standard library's calls that change files, whoever's object they are called on
FILE_CHANGES = {
    "write_text",
    "write_bytes",
    "unlink",
    "rmdir",
    "mkdir",
    "touch",
    "rename",
    "symlink_to",
    "hardlink_to",
    "mkstemp",
    "rmtree",
    "copyfile",
    "move",
}
MODULES_THAT_WRITE = {"os", "shutil", "tempfile"}  # any call into them from ui/
BUILTIN_METHODS = {n for t in (list, dict, set, str, bytes) for n in dir(t)}


def _writers() -> tuple[set[str], dict[str, str]]:
    """The writers' method names (`record`, `carry`: the receiver's type is not known, so
    the name alone counts) and their functions by dotted name (`hipdash.appstate.update`).
    A method a builtin also has (`append`) counts only on its class by name."""
    methods, functions = set(), {}
    for key in WRITERS:
        module, qualname = key.split(":")
        name = qualname.rsplit(".", 1)[-1]
        if "." in qualname and name not in BUILTIN_METHODS:
            methods.add(name)
        functions[f"{module}.{qualname}"] = key
    return methods, functions


def _bindings(tree: ast.Module) -> dict[str, str]:
    """Each name a module imports -> the dotted name it stands for."""
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return bound


def _root(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def violations(source: str) -> list[str]:
    """The calls in `source` (a ui module) that write a file other than through a service."""
    tree = ast.parse(source)
    bound = _bindings(tree)
    methods, functions = _writers()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        attribute = isinstance(func, ast.Attribute)
        name = func.attr if attribute else getattr(func, "id", None)
        origin = bound.get((_root(func.value) if attribute else name) or "", "")
        if origin.startswith("hipdash.services"):
            continue
        full = f"{origin}.{name}" if attribute else origin
        if (
            (attribute and name in methods)
            or full in functions
            or name in FILE_CHANGES
            or origin.split(".")[0] in MODULES_THAT_WRITE
            or (name == "open" and _writes_mode(node))
        ):
            found.append(f"line {node.lineno}: {ast.unparse(func)}(…)")
    return found


def _writes_mode(call: ast.Call) -> bool:
    modes = [a for a in call.args[1:2]] + [k.value for k in call.keywords if k.arg == "mode"]
    return any(isinstance(m, ast.Constant) and set(str(m.value)) & set("wax+") for m in modes)


def test_the_core_marks_its_writers():
    names = {key.split(":")[1] for key in WRITERS}
    assert {"CheckoffLog.record", "CheckoffLog.carry", "SessionLog.save"} <= names
    assert {"start_timer", "stop_timer", "remember_routine", "FeelingLog.record"} <= names
    assert not any(key.startswith(("hipdash.ui", "hipdash.services")) for key in WRITERS)


@pytest.mark.parametrize("path", UI, ids=lambda p: p.name)
def test_no_ui_module_writes_but_through_a_service(path):
    assert violations(path.read_text(encoding="utf-8")) == [], (
        f"{path.name} writes the data dir itself: ask a service in hipdash/services/ "
        "(or changes.History, library.save, backup.restore, follow.sync) instead"
    )


@pytest.mark.parametrize(
    "source",
    [
        "from hipdash.log import CheckoffLog\nCheckoffLog(p).carry('r', {})",
        "from hipdash import appstate\nappstate.start_timer(d, 'r', day, now)",
        "from hipdash import appstate\nappstate.update(d, change)",
        "from hipdash.appstate import remember_routine\nremember_routine(d, 'r')",
        "from hipdash.follow import records\nrecords.remove(d, 'r')",
        "sessions.mark_day(day, 'rest')",
        "from hipdash.store import AppendOnlyCsv\nAppendOnlyCsv(p, c, f).append([])",
        "feelings.record(day, 'r', 'a/b', 'easy')",
        "from pathlib import Path\nPath('x').write_text('')",
        "import os\nos.replace('a', 'b')",
        "open('x', 'a')",
    ],
)
def test_a_write_in_a_page_is_found(source):
    assert violations(source)


@pytest.mark.parametrize(
    "source",
    [
        "from hipdash.services import stopwatch\nstopwatch.start(d, 'r', day, now)",
        "from hipdash.services import day as day_service\nday_service.mark(s, day, '', '', n)",
        "parts = []\nparts.append('x')\nvalues = {}\nvalues.update(a=1)",
        "import streamlit as st\nst.write('x')\ndef show(): pass\nshow()",
        "from hipdash import appstate\nappstate.read(d).started('r', day)",
        "open('x')",
    ],
)
def test_reading_and_asking_a_service_are_not_writes(source):
    assert violations(source) == []


def test_the_core_imports_no_streamlit():
    """Only ui/ and the two edges that start it (`__main__`, `serve`) import Streamlit."""
    importing = [
        name
        for name in CORE
        if name != "hipdash.serve"
        and any(
            bound.split(".")[0] == "streamlit"
            for bound in _bindings(
                ast.parse(Path(importlib.import_module(name).__file__).read_text("utf-8"))
            ).values()
        )
    ]
    assert importing == []
