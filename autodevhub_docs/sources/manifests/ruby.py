# Ruby manifests, read with the tree-sitter Ruby grammar (a Gemfile is Ruby code): `gem` calls with their
# `group` blocks or `group:` option, and a gemspec's `add_dependency`/`add_development_dependency` calls.
from __future__ import annotations

from typing import Any

from autodevhub_docs.model.manifests import Dependency, Manifest
from autodevhub_docs.parsing.treesitter import Parsed, parse, walk

_DEV_GROUPS = frozenset({"development", "dev", "tools"})
_TEST_GROUPS = frozenset({"test"})


def _method(parsed: Parsed, call: Any) -> str:
    node = call.child_by_field_name("method")
    return parsed.text(node) if node is not None else ""


def _arguments(call: Any) -> list[Any]:
    args = call.child_by_field_name("arguments")
    return list(args.named_children) if args is not None else []


def _scope(groups: set[str]) -> str:
    """Bundler groups to a scope: none (or `production`, or a custom group) ships with the app."""
    if not groups or groups - _DEV_GROUPS - _TEST_GROUPS:
        return "runtime"
    return "test" if groups <= _TEST_GROUPS else "dev"


def _enclosing_groups(parsed: Parsed, call: Any) -> set[str]:
    groups: set[str] = set()
    node = call.parent
    while node is not None:
        if node.type == "call" and _method(parsed, node) == "group":
            groups.update(v for a in _arguments(node) if (v := parsed.literal(a)))
        node = node.parent
    return groups


def _option_groups(parsed: Parsed, args: list[Any]) -> set[str]:
    groups: set[str] = set()
    for arg in args:
        if arg.type != "pair":
            continue
        key = arg.child_by_field_name("key")
        value = arg.child_by_field_name("value")
        if key is None or value is None or parsed.literal(key) not in ("group", "groups"):
            continue
        items = value.named_children if value.type == "array" else [value]
        groups.update(v for item in items if (v := parsed.literal(item)))
    return groups


def gemfile(path: str, text: str) -> Manifest:
    """Read the `gem` declarations of a Gemfile."""
    parsed = parse("ruby", text)
    if parsed is None:
        return Manifest(path=path, ecosystem="rubygems", problem="too large to read")
    found = []
    for call in walk(parsed.root, frozenset({"call"})):
        if _method(parsed, call) != "gem" or call.child_by_field_name("receiver") is not None:
            continue
        args = _arguments(call)
        name = parsed.literal(args[0]) if args else None
        if not name:
            continue
        specs = [v for a in args[1:] if a.type == "string" and (v := parsed.literal(a))]
        groups = _enclosing_groups(parsed, call) | _option_groups(parsed, args[1:])
        found.append(Dependency(ecosystem="rubygems", name=name, spec=", ".join(specs), scope=_scope(groups),
                                path=path, line=call.start_point[0] + 1, group=",".join(sorted(groups))))
    return Manifest(path=path, ecosystem="rubygems", dependencies=tuple(found))


_GEMSPEC_CALLS = {"add_dependency": "runtime", "add_runtime_dependency": "runtime",
                  "add_development_dependency": "dev"}


def gemspec(path: str, text: str) -> Manifest:
    """Read a gemspec: its name, summary and dependency calls."""
    parsed = parse("ruby", text)
    if parsed is None:
        return Manifest(path=path, ecosystem="rubygems", problem="too large to read")
    found = []
    fields: dict[str, str] = {}
    for node in walk(parsed.root, frozenset({"call", "assignment"})):
        if node.type == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None and left.type == "call":
                value = parsed.literal(right)
                if value is not None:
                    fields.setdefault(_method(parsed, left), value)
            continue
        scope = _GEMSPEC_CALLS.get(_method(parsed, node))
        args = _arguments(node)
        name = parsed.literal(args[0]) if scope and args else None
        if name:
            specs = [v for a in args[1:] if (v := parsed.literal(a))]
            found.append(Dependency(ecosystem="rubygems", name=name, spec=", ".join(specs), scope=scope or "runtime",
                                    path=path, line=node.start_point[0] + 1))
    return Manifest(path=path, ecosystem="rubygems", name=fields.get("name", ""),
                    description=fields.get("summary", fields.get("description", "")), dependencies=tuple(found))
