"""What the app exposes: server settings, file names made from ids, and escaping of every
text a routine brings (the browser half is tests/browser/test_security_browser.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hipdash.fields import SLUG
from hipdash.routines import RoutineError, parse_routine, routine_file, slugify

from . import component as cards
from .conftest import PROJECT

EFFECTIVE_CONFIG = """
import json
from streamlit import config
config.get_config_options(force_reparse=True)
keys = ["server.address", "browser.gatherUsageStats", "server.enableXsrfProtection",
        "server.enableCORS", "server.headless", "server.enableStaticServing",
        "global.developmentMode", "client.toolbarMode", "client.disableDataExport",
        "runner.postScriptGC", "server.fileWatcherType", "client.allowedOrigins"]
print(json.dumps({k: config.get_option(k) for k in keys}))
"""


def test_the_effective_streamlit_config_is_private_by_default():
    """What Streamlit itself reads from .streamlit/config.toml when started in the project."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    done = subprocess.run(
        [sys.executable, "-c", EFFECTIVE_CONFIG], cwd=PROJECT, env=env, capture_output=True
    )
    effective = json.loads(done.stdout)
    assert effective == {
        "server.address": "127.0.0.1",  # this machine only
        "browser.gatherUsageStats": False,  # no telemetry
        "server.enableXsrfProtection": True,
        "server.enableCORS": True,
        "server.headless": True,
        "server.enableStaticServing": False,
        "global.developmentMode": False,
        "client.toolbarMode": "minimal",
        "client.disableDataExport": True,  # a table's own CSV export would keep formulas
        "runner.postScriptGC": False,  # a full collection after every run delays each tick
        "server.fileWatcherType": "none",  # watching the source held each open's messages
        "client.allowedOrigins": [],  # no other site may drive the app through postMessage
    }


def _scope(kind: str, path: str, host: str, origin: str | None = None) -> tuple[dict, object]:
    from starlette.datastructures import Headers

    headers = [(b"host", host.encode())] + ([(b"origin", origin.encode())] if origin else [])
    scheme = "ws" if kind == "websocket" else "http"
    return {"type": kind, "path": path, "scheme": scheme, "headers": headers}, Headers(raw=headers)


@pytest.mark.parametrize(
    ("kind", "path", "host", "origin", "status"),
    [
        ("websocket", "/_stcore/stream", "localhost:8501", "http://localhost:8501", None),
        ("websocket", "/_stcore/stream", "localhost:8501", "http://localhost:3000", 403),
        ("websocket", "/_stcore/stream", "localhost:8501", "http://127.0.0.1:8501", 403),
        ("websocket", "/_stcore/stream", "localhost:8501", "https://localhost:8501", 403),
        ("websocket", "/_stcore/stream", "localhost:8501", "http://localhost:8501/x", 403),
        ("websocket", "/_stcore/stream", "localhost:8501", "null", 403),
        ("websocket", "/_stcore/stream", "localhost:8501", None, 403),
        ("websocket", "/_stcore/stream", "evil.example:8501", "http://evil.example:8501", 403),
        ("http", "/today", "localhost:8501", None, None),
        ("http", "/today", "evil.example", None, 403),
        ("http", "/_stcore/metrics", "localhost:8501", None, 404),
        ("http", "/_stcore/agent/interact", "127.0.0.1", None, 404),
        ("http", "/_stcore/metrics", "evil.example", None, 403),
    ],
)
def test_the_servers_guard_answers_only_the_pages_own_origin(kind, path, host, origin, status):
    from hipdash.ui import network

    assert network.refusal(*_scope(kind, path, host, origin)) == status


ESCAPES = ["../../x", "/etc/passwd", "..", ".", "a/../../b", "x\x00y", "C:\\x", "~root"]
ODD = ["ｆｕｌｌｗｉｄｔｈ", "İstanbul", "ß", "\u202e\u2066evil", "é" * 200, "x" * 10_000, "", "\n"]


@pytest.mark.parametrize("text", ESCAPES + ODD)
def test_an_id_from_a_note_cannot_name_a_file_outside_its_folder(text, tmp_path):
    slug = slugify(text)
    path = routine_file(tmp_path, slug)
    assert path.parent == tmp_path and path.name == f"{slug}.yaml"
    assert SLUG.match(slug) and len(slug) <= 64
    if text != slug:
        with pytest.raises(ValueError):
            routine_file(tmp_path, text)


@settings(max_examples=500, derandomize=True)
@given(st.text() | st.sampled_from(ESCAPES + ODD))
def test_any_text_slugifies_to_a_safe_file_name(text):
    slug = slugify(text)
    assert SLUG.match(slug)
    assert routine_file(Path("/r"), slug) == Path("/r") / f"{slug}.yaml"


@pytest.mark.parametrize("bad", ESCAPES + ["Upper", "a" * 65, "-x", "x-"])
def test_the_loader_refuses_ids_that_are_not_slugs(bad):
    section = "{id: s, title: S, exercises: [{id: e, title: E}]}"
    text = f"id: {json.dumps(bad)}\ntitle: T\nsections: [{section}]\n"
    with pytest.raises(RoutineError, match="is not a valid id"):
        parse_routine(text, "x.yaml")


HOSTILE = [
    "<script>window.__pwned=1</script>",
    "[x](javascript:window.__pwned=1)",
    ":red[x]",
    "$x$",
    '<img src=x onerror="window.__pwned=1">',
    "**bold** _it_ `code` # heading",
    "1. not a list",
    ":material/home: icon :material_face: :streamlit: :smile:",
    "www.x.example x@evil.example <iframe src=https://evil.example>",  # GFM's own autolinks
]


def hostile_routine(directory: Path) -> Path:
    """A valid routine whose every text field carries hostile markdown/HTML."""

    def t(i: int) -> str:
        return " ".join(HOSTILE[i % len(HOSTILE) :] + HOSTILE[: i % len(HOSTILE)]) + f" ({i})"

    routine = {
        "id": "hostile",
        "title": t(0),
        "summary": t(1),
        "links": [{"title": t(2), "url": "https://example.org/a)[y](javascript:alert(1)"}],
        "sections": [
            {
                "id": "s",
                "title": t(3),
                "exercises": [
                    {
                        "id": "e",
                        "title": t(4),
                        "dose": t(5),
                        "notes": t(6),
                        "links": [{"title": t(7), "url": "https://example.org/<b>"}],
                        "video": {
                            "url": "https://youtu.be/fcnv4gyMzf8",
                            "title": t(8),
                            "description": t(9),
                        },
                    },
                    {
                        "id": "f",
                        "title": t(10),
                        "steps": [{"id": "a", "title": t(11)}, {"id": "b", "title": t(12)}],
                    },
                ],
            }
        ],
    }
    path = directory / "hostile.yaml"
    path.write_text(yaml.safe_dump(routine, allow_unicode=True))
    return path


UNESCAPED = [
    re.compile(r"(?<!\\)<(script|img)"),
    re.compile(r"(?<!\\)\]\(javascript", re.I),
    re.compile(r"(?<!\\):red"),
    re.compile(r"(?<!\\)\$x"),
    re.compile(r"(?<!\\):material"),
    re.compile(r"\\:(material|streamlit)"),  # escaped, yet still an icon to Streamlit
    re.compile(r"(?<!\\)\*\*bold"),
    re.compile(r"www\.x|@evil|https\\:"),  # GFM's own autolinks, not broken by the joiner
]


@pytest.mark.parametrize(
    "text", ["www.x.example", "x@evil.example", "<iframe src=https://evil.example>", "HTTP://a.b"]
)
def test_text_that_markdown_would_make_a_link_of_is_kept_text(text):
    """GitHub-flavoured markdown links `www.`, `scheme://` and `a@b` in plain text even when
    escaped: the joiner breaks each pattern, and the text reads the same."""
    from hipdash.markup import md_escape

    shown = md_escape(text)
    assert not UNESCAPED[-1].search(shown.lower()) and "\u2060" in shown
    assert re.sub(r"\\(.)", r"\1", shown.replace("\u2060", "")) == text


def test_every_text_from_a_routine_reaches_streamlit_escaped(app_page, tmp_path, monkeypatch):
    """Streamlit's own elements get markdown-escaped text; Today's cards component gets the
    text as it is (it sets it with textContent: tests/browser checks it stays text) and only
    checked http(s) links and nocookie players."""
    hostile_routine(tmp_path)
    monkeypatch.setenv("HIPDASH_ROUTINES_DIR", str(tmp_path))
    at = app_page()
    assert not at.exception and not at.warning
    texts = [str(node.proto) for node in at.main if hasattr(node, "proto")]
    shown = "\n".join(t for t in texts if "hipdash_today" not in t)
    sent = json.dumps(cards.data(at))
    for i in range(13):
        if i not in (1,):  # Today does not show the summary
            assert f"({i})" in shown or f"({i})" in sent, i
    for pattern in UNESCAPED:
        assert not pattern.search(shown), pattern.pattern
    exercises = [ex for s in cards.data(at)["sections"] for ex in s["exercises"]]
    video = exercises[0]["video"]
    assert video["embed"].startswith("https://www.youtube-nocookie.com/embed/fcnv4gyMzf8")
    urls = [ln["url"] for ex in exercises for ln in ex["links"]] + [video["watch"]]
    assert urls and all(u.startswith("https://") and "<" not in u for u in urls), urls
    hrefs = re.findall(r"(?<!\\)\]\(([^)\s]*)", shown)
    assert all(h.startswith("https://") for h in hrefs), hrefs


def test_every_test_security_md_names_exists():
    """docs/security.md lists each attack with the tests that hold it: each one named is a
    test module or a test function of the suite, so the list cannot go stale unseen."""
    doc = (PROJECT / "docs" / "security.md").read_text()
    modules = {p.stem for p in (PROJECT / "tests").rglob("test_*.py")}
    sources = "\n".join(p.read_text() for p in (PROJECT / "tests").rglob("test_*.py"))
    named = set(re.findall(r"\b(test_[a-z0-9_]+)", doc))
    assert len(named) > 40
    missing = [n for n in named if n not in modules and f"def {n}(" not in sources]
    assert missing == []
