"""The functions that write a data dir's files themselves, each marked `@writer` where it
is defined.

Only the core calls them. A page asks a service (`hipdash.services`, `changes.History`,
`library.save`, `backup.restore`, `follow.sync`), which acts on the files as they are on
disk now, with `now` passed in. tests/test_layers.py reads `WRITERS` and fails if a
module under hipdash/ui/ calls one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)

WRITERS: dict[str, Callable] = {}  # "module:qualname" -> the function


def writer(function: F) -> F:
    """Mark a function that writes the data dir directly; it is returned unchanged."""
    WRITERS[f"{function.__module__}:{function.__qualname__}"] = function
    return function
