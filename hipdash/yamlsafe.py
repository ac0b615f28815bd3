"""YAML as hipdash reads it (routine files, a note's front matter): plain data or a clear
refusal, never another exception, and quickly.

* libyaml's parser (`yaml.CParser`, about ten times PyYAML's own) with the safe
  constructors: only plain data, never an object;
* no aliases: a few lines of nested aliases (`*a`) can stand for billions of items;
* a value YAML would turn into a date stays the text it was (`summary: 2024-02-30` is a
  summary, not a crash), and a number too long to be a count (more than 18 digits) stays
  text too, so a field that wants text reads it and a field that wants a number refuses
  it by name;
* a key given twice in one mapping is refused: YAML keeps the last in silence, so
  `sets: 3` and later `sets: 20` would read as 20 with no word of the 3;
* every value YAML cannot build (`!!int ''`, `!!bool maybe`, `!!timestamp x`, a lone
  surrogate, an unknown tag) is a `YamlRefused` naming its line.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.resolver import Resolver

try:  # PyYAML's wheels for the platforms the lock files are made for include libyaml
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - a PyYAML built without libyaml: the same, slower

    class _Parser(
        yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer
    ):
        def __init__(self, stream):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)

        def dispose(self):
            yaml.parser.Parser.dispose(self)


MAX_DIGITS = 18  # a whole number longer than this is read as text
_SURROGATE = re.compile("[\ud800-\udfff]")
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_KINDS = {"int": "a whole number", "float": "a number", "bool": "true or false"}
_KINDS |= {"timestamp": "a date", "binary": "base64 data"}


class YamlRefused(ValueError):
    """YAML text that cannot be read as plain data: `place` ("line 3, column 7", or "YAML"
    when no place is known; `line` the line number alone) and `what` is wrong there."""

    def __init__(self, mark, what: str):
        self.line = mark.line + 1 if mark is not None else None
        self.place = f"line {self.line}, column {mark.column + 1}" if mark is not None else "YAML"
        self.what = what
        super().__init__(f"{self.place}: {what}")


class AliasRefused(YamlRefused):
    """The text uses an alias (`*anchor`)."""

    def __init__(self, mark, anchor: str):
        self.anchor = anchor
        super().__init__(mark, f"aliases (*{anchor}) are not allowed")


class TwinRefused(YamlRefused):
    """A mapping gives `key` twice."""

    def __init__(self, mark, key: str):
        self.key = key
        super().__init__(mark, f"the key {key[:40]!r} is given twice")


class _Resolver(Resolver):
    """YAML 1.1's implicit types but dates: `2024-02-30` is text."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in Resolver.yaml_implicit_resolvers.items()
    }


class _Constructor(SafeConstructor):
    """The safe constructors, each failure a ConstructorError at its node."""

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
            value = node.value if isinstance(node.value, str) else ""
            kind = node.tag.rsplit(":", 1)[-1]
            what = f"{value[:40]!r} is not {_KINDS.get(kind, f'a valid {kind}')}"
            raise ConstructorError(None, None, what, node.start_mark) from None

    def construct_yaml_str(self, node):
        value = super().construct_yaml_str(node)
        if _SURROGATE.search(value):
            raise ConstructorError(None, None, "not valid text (a lone surrogate)", node.start_mark)
        return value

    def construct_yaml_int(self, node):
        text = self.construct_scalar(node)
        if len(text.replace("_", "")) > MAX_DIGITS + 1:
            return text
        return super().construct_yaml_int(node)


_Constructor.add_constructor("tag:yaml.org,2002:str", _Constructor.construct_yaml_str)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)


class _Loader(_Parser, _Constructor, _Resolver):
    def __init__(self, stream):
        _Parser.__init__(self, stream)
        _Constructor.__init__(self)
        _Resolver.__init__(self)


def load(text: str, twins: bool = False) -> Any:
    """The plain data of one YAML document, or YamlRefused saying what and where. `twins`:
    a key given twice is let through, the last kept (YAML's way), for a caller that says so
    itself."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _refuse_aliases_and_twins(node, text, twins)
        return loader.construct_document(node)
    except YamlRefused:
        raise
    except RecursionError:
        raise YamlRefused(None, "nested too deeply") from None
    except yaml.reader.ReaderError as exc:
        raise YamlRefused(_Mark(text, exc.position), _reader_problem(exc)) from None
    except yaml.constructor.ConstructorError as exc:
        raise YamlRefused(exc.problem_mark, str(exc.problem)) from None
    except yaml.YAMLError as exc:
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        if "maximum nesting depth" in problem:
            raise YamlRefused(None, "nested too deeply") from None
        mark = getattr(exc, "problem_mark", None)
        raise YamlRefused(mark, f"not valid YAML ({problem})") from None
    finally:
        loader.dispose()


class _Mark:
    """Where a character offset is, as a YAML mark says it (0-based line and column)."""

    def __init__(self, text: str, position: int):
        self.line = text.count("\n", 0, position)
        self.column = position - (text.rfind("\n", 0, position) + 1)


def _reader_problem(exc: yaml.reader.ReaderError) -> str:
    if isinstance(exc.character, bytes):
        return "not valid text"
    return f"character #x{exc.character:04x} is not allowed in YAML"


def _refuse_aliases_and_twins(root: yaml.nodes.Node, text: str, twins: bool = False) -> None:
    """AliasRefused if any node is reached twice (what an alias makes of the document),
    found without expanding anything; YamlRefused for a mapping that has a key twice."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise _named_alias(text)
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            if not twins:
                _refuse_twins(node)
            stack.extend(part for pair in node.value for part in pair)


def _refuse_twins(node: yaml.MappingNode) -> None:
    keys: set[tuple[str, str]] = set()
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            if (key.tag, key.value) in keys:
                raise TwinRefused(key.start_mark, key.value)
            keys.add((key.tag, key.value))


def _named_alias(text: str) -> AliasRefused:
    """The first alias of the text, with its line, for the message."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            return AliasRefused(event.start_mark, event.anchor)
    return AliasRefused(None, "?")
