# Bounded readers for TOML, JSON and YAML found in repositories. A hostile or broken file must give a clear problem
# ("nested deeper than 64 levels"), never a traceback, a hang or gigabytes of memory: YAML aliases are counted
# before anything is built (a 1 KB "billion laughs" file expands to billions of nodes), and nesting is capped.
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

MAX_BYTES = 2_000_000
"""Larger files are not parsed (no hand-written manifest or workflow is this big)."""
MAX_DEPTH = 64
"""Deepest nesting accepted."""
MAX_ALIASES = 200
"""Most YAML alias uses accepted in one file."""
MAX_EXPANDED_NODES = 1_000_000
"""Most YAML nodes a file may stand for once its aliases are expanded. PyYAML shares an aliased node instead of
copying it, so loading nine levels of nine aliases (81 uses) is cheap, but any code that walks or prints the
result visits 9^9 nodes; the size each anchor stands for is therefore counted from the event stream."""

_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader when it is installed (several times faster), else the pure-Python one; both are safe."""


@dataclass(frozen=True)
class Loaded:
    """A parsed document, or the reason it could not be parsed."""

    data: Any
    """The parsed value (None when `problem` is set)."""
    problem: str = ""
    """What is wrong with the file, in words a user can act on ('' when it parsed)."""


def _too_big(text: str) -> Loaded | None:
    if len(text) > MAX_BYTES:
        return Loaded(None, f"larger than {MAX_BYTES // 1_000_000} MB, not read")
    return None


def _depth_of_brackets(text: str, opening: str, closing: str) -> int:
    """Deepest bracket nesting outside strings (an upper bound is enough to refuse a hostile file early)."""
    depth = deepest = 0
    quote = ""
    escaped = False
    for char in text:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in opening:
            depth += 1
            deepest = max(deepest, depth)
        elif char in closing:
            depth -= 1
    return deepest


def load_json(text: str) -> Loaded:
    """Parse JSON with size and depth limits.

    Args:
        text: The file's text.
    """
    big = _too_big(text)
    if big:
        return big
    if _depth_of_brackets(text, "[{", "]}") > MAX_DEPTH:
        return Loaded(None, f"nested deeper than {MAX_DEPTH} levels, not read")
    try:
        return Loaded(json.loads(text))
    except ValueError as error:
        return Loaded(None, f"not valid JSON ({error})")
    except RecursionError:
        return Loaded(None, f"nested deeper than {MAX_DEPTH} levels, not read")


def load_toml(text: str) -> Loaded:
    """Parse TOML with size and depth limits.

    Args:
        text: The file's text.
    """
    big = _too_big(text)
    if big:
        return big
    if _depth_of_brackets(text, "[{", "]}") > MAX_DEPTH:
        return Loaded(None, f"nested deeper than {MAX_DEPTH} levels, not read")
    try:
        return Loaded(tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        return Loaded(None, f"not valid TOML ({error})")
    except (RecursionError, ValueError) as error:
        return Loaded(None, f"not valid TOML ({type(error).__name__})")


def _yaml_problem(text: str) -> str:
    """Walk the YAML event stream (cheap, nothing is built) and say why it must not be loaded, or ''."""
    aliases = expanded = 0
    anchored: dict[str, int] = {}  # anchor -> nodes it stands for, aliases inside it expanded
    open_nodes: list[tuple[int, str | None]] = []  # (expanded count when the collection opened, its anchor)
    for event in yaml.parse(text, Loader=_YAML_LOADER):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                return f"uses more than {MAX_ALIASES} YAML aliases, not read"
            expanded += anchored.get(event.anchor or "", 1)
        elif isinstance(event, yaml.ScalarEvent):
            expanded += 1
            if event.anchor:
                anchored[event.anchor] = 1
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            open_nodes.append((expanded, event.anchor))
            expanded += 1
            if len(open_nodes) > MAX_DEPTH:
                return f"nested deeper than {MAX_DEPTH} levels, not read"
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)) and open_nodes:
            start, anchor = open_nodes.pop()
            if anchor:
                anchored[anchor] = expanded - start
        if expanded > MAX_EXPANDED_NODES:
            return f"expands to more than {MAX_EXPANDED_NODES:,} nodes through YAML aliases, not read"
    return ""


def load_yaml(text: str, *, all_documents: bool = False) -> Loaded:
    """Parse YAML safely (no tags that run code), with size, depth and alias limits.

    Args:
        text: The file's text.
        all_documents: Return the list of every `---` document instead of the first one.
    """
    big = _too_big(text)
    if big:
        return big
    try:
        problem = _yaml_problem(text)
        if problem:
            return Loaded(None, problem)
        if all_documents:
            return Loaded(list(yaml.load_all(text, Loader=_YAML_LOADER)))
        return Loaded(yaml.load(text, Loader=_YAML_LOADER))  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        return Loaded(None, f"not valid YAML{where}")
    except (RecursionError, ValueError, TypeError) as error:
        return Loaded(None, f"not valid YAML ({type(error).__name__})")
