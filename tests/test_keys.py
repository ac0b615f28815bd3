"""Keys said once (`hipdash.ui.keys`): every `.st-key-` hook in the stylesheets is a key the
code gives a widget or container, and every such key is styled, so neither can be renamed
without the other."""

from __future__ import annotations

import re
from pathlib import Path

from hipdash.ui import keys

UI = Path(keys.__file__).parent
PROJECT = UI.parent.parent
HOOK = re.compile(r"st-key-([A-Za-z0-9_:-]+)")


def styled() -> set[str]:
    return {m for css in UI.glob("*.css") for m in HOOK.findall(css.read_text())}


def test_every_hook_in_the_css_is_a_key_named_once():
    unknown = {name for name in styled() if name not in keys.HOOKS and name + ":" not in keys.HOOKS}
    assert not unknown, f"style.css styles keys that hipdash.ui.keys does not name: {unknown}"


def test_every_named_hook_is_styled():
    found = styled()
    unstyled = [h for h in keys.HOOKS if h not in found and h.rstrip(":") not in found]
    assert not unstyled


def test_no_page_or_ui_module_types_a_key_of_its_own():
    """The values in `keys` appear as literals in keys.py only."""
    values = {v for k, v in vars(keys).items() if k.isupper() and isinstance(v, str)}
    sources = [*UI.glob("*.py"), *(PROJECT / "pages").glob("*.py"), PROJECT / "app.py"]
    typed = {
        (src.name, value)
        for src in sources
        if src.name != "keys.py"
        for value in values
        if re.search(rf"[\"']{re.escape(value)}[\"'{{]", src.read_text())
    }
    assert not typed
