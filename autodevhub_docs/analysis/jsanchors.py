# The nodes of a JavaScript or TypeScript file that hang on a known word, found without walking the tree: each
# place the word's bytes occur is looked up in the tree (the smallest node spanning them, in C), and the tree decides
# whether that is the word's token in the right construct. A query walks every node of the file; most files are only
# asked for their imports, exports, classes and a few named calls, which these give for a few look-ups each. What
# each function returns is exactly what the matching pattern of the file's query (`jsquery`) captures, in source order.
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from autodevhub_docs.parsing.treesitter import Parsed

FUNCTION_TYPES = frozenset({"function_declaration", "generator_function_declaration", "function_expression",
                            "generator_function", "arrow_function", "method_definition"})
"""Node types that open a scope (those the file query captures as `@function`)."""
_CLASS_TYPES = frozenset({"class_declaration", "abstract_class_declaration", "class"})


_NAME_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")
"""The ASCII bytes a name (an identifier, a keyword) can hold."""
_DOT = ord(".")


def tokens(parsed: Parsed, word: str, *, objects: bool = True) -> Iterator[Any]:
    """Every node whose bytes are exactly the word (a keyword, identifier or property name), in source order.

    A word inside a longer name, a string or a comment is not a node of its own and is not given.

    Args:
        parsed: The file.
        word: The word.
        objects: Give the places where a `.` follows the word (`word.x`) too; a reader of declarations leaves them
            out (no declared name is followed by a dot), with no look-up.
    """
    source, root, data = parsed.source, parsed.root, word.encode()
    size, length = len(data), len(source)
    at = source.find(data)
    named = size > 0 and data[0] in _NAME_BYTES and data[-1] in _NAME_BYTES
    while at >= 0:
        end = at + size  # `_inside_name`, written out: most places a common word occurs are inside longer names
        inside = named and ((at > 0 and source[at - 1] in _NAME_BYTES) or (end < length and source[end] in _NAME_BYTES))
        if not inside and (objects or end == length or source[end] != _DOT):
            node = root.descendant_for_byte_range(at, end)
            if node is not None and node.start_byte == at and node.end_byte == end:
                yield node
        at = source.find(data, at + 1)


def _inside_name(source: bytes, start: int, end: int) -> bool:
    """Whether a name's bytes are part of a longer name (a token is all the name characters in a row: no look-up)."""
    return (start > 0 and source[start - 1] in _NAME_BYTES) or (end < len(source) and source[end] in _NAME_BYTES)


def _ordered(nodes: Iterable[Any]) -> list[Any]:
    """The nodes in source order, each once."""
    found = list(nodes)
    if len(found) < 2:  # most files have one class, one environment read or none
        return found
    unique = {(n.start_byte, n.end_byte, n.type): n for n in found}
    return [unique[key] for key in sorted(unique)]


def _first_string(call: Any) -> Any | None:
    """A call's first argument when it is a string literal (a module specifier)."""
    arguments = call.child_by_field_name("arguments")
    named = arguments.named_children if arguments is not None and arguments.type == "arguments" else []
    return named[0] if named and named[0].type == "string" else None


def module_statements(parsed: Parsed) -> list[Any]:
    """Import statements with a source, `require('x')` and `import('x')` calls, and export statements.

    The nodes of the query's `@import`, `@require` and `@export` captures, in source order.
    """
    return [node for node, _ in module_sources(parsed)]


def module_sources(parsed: Parsed) -> list[tuple[Any, Any | None]]:
    """Each of the `module_statements` with the node of its module specifier (None: an export naming none)."""
    source, root = parsed.source, parsed.root
    found: list[tuple[Any, Any | None]] = []
    # The keywords `import` and `export` are anonymous tokens: the smallest named node around the word's bytes is
    # the statement itself when they are its keyword (a string, a name or a comment holding them is named).
    at = source.find(b"import")
    while at >= 0:
        node: Any = root.named_descendant_for_byte_range(at, at + 6) if not _inside_name(source, at, at + 6) else None
        kind = node.type if node is not None else ""
        if kind == "import_statement":
            spec = node.child_by_field_name("source")
            if spec is not None and spec.type == "string":
                found.append((node, spec))
        elif kind == "import":  # `import(...)`: the keyword is the callee
            call = node.parent
            if call is not None and call.type == "call_expression" and call.child_by_field_name("function") == node:
                spec = _first_string(call)
                if spec is not None:
                    found.append((call, spec))
        at = source.find(b"import", at + 1)
    for node in tokens(parsed, "require"):
        call = node.parent
        if node.type == "identifier" and call is not None and call.type == "call_expression" \
                and call.child_by_field_name("function") == node:
            spec = _first_string(call)
            if spec is not None:
                found.append((call, spec))
    at = source.find(b"export")
    while at >= 0:
        node = root.named_descendant_for_byte_range(at, at + 6) if not _inside_name(source, at, at + 6) else None
        if node is not None and node.type == "export_statement":
            found.append((node, node.child_by_field_name("source")))
        at = source.find(b"export", at + 1)
    found.sort(key=_pair_span)
    return found


def _pair_span(pair: tuple[Any, Any]) -> tuple[int, int]:
    return pair[0].start_byte, pair[0].end_byte


def export_statements(statements: list[Any]) -> list[Any]:
    """The export statements among `module_statements`."""
    return [node for node in statements if node.type == "export_statement"]


def commonjs_assignments(parsed: Parsed) -> list[Any]:
    """Assignments to a member of `exports` or `module.exports`, or to `module.exports` itself, in source order.

    Every assignment of the query's `@assign` capture that names `exports` on its left (the others say nothing
    about what the module exports).
    """
    found = []
    for node in tokens(parsed, "exports"):
        if node.type not in ("identifier", "property_identifier"):
            continue
        member = node.parent
        for _ in range(2):  # exports.x = / module.exports = (one member), module.exports.x = (two)
            if member is None or member.type != "member_expression":
                break
            above = member.parent
            if above is not None and above.type == "assignment_expression" \
                    and above.child_by_field_name("left") == member and above.child_by_field_name("right"):
                found.append(above)
                break
            member = above if above is not None and above.child_by_field_name("object") == member else None
    return _ordered(found)


def member_calls(parsed: Parsed, method: str) -> list[Any]:
    """The `x.method(...)` calls, in source order (the query's `@member_call` of that method)."""
    found = []
    for node in tokens(parsed, method):
        member = node.parent if node.type == "property_identifier" else None
        call = member.parent if member is not None and member.type == "member_expression" else None
        if member is not None and call is not None and call.type == "call_expression" \
                and member.child_by_field_name("property") == node \
                and call.child_by_field_name("function") == member:
            found.append(call)
    return found


def named_calls(parsed: Parsed, name: str) -> list[Any]:
    """The `name(...)` calls of a plain identifier, in source order."""
    return [node.parent for node in tokens(parsed, name)
            if node.type == "identifier" and node.parent is not None and node.parent.type == "call_expression"
            and node.parent.child_by_field_name("function") == node]


def classes(parsed: Parsed) -> list[Any]:
    """Class declarations and class expressions, in source order (the query's `@class`)."""
    return _ordered(node.parent for node in tokens(parsed, "class")
                    if not node.is_named and node.parent is not None and node.parent.type in _CLASS_TYPES)


def option_arguments(parsed: Parsed, keys: Iterable[str]) -> list[Any]:
    """Argument lists passing an object with one of the keys set to a string (the query's `@options`)."""
    found = []
    for key in keys:
        for node in tokens(parsed, key):
            pair = node.parent
            if node.type != "property_identifier" or pair is None or pair.type != "pair" \
                    or pair.child_by_field_name("key") != node:
                continue
            value, obj = pair.child_by_field_name("value"), pair.parent
            arguments = obj.parent if obj is not None and obj.type == "object" else None
            if value is not None and value.type == "string" and arguments is not None \
                    and arguments.type == "arguments":
                found.append(arguments)
    return _ordered(found)


def environment(parsed: Parsed) -> list[Any]:
    """Environment reads, in source order.

    The query's `@env` (the `X` of `process.env.X`, `process.env['X']` and `import.meta.env.X`) and `@env_pattern`
    (the pattern of `const { A, B: b } = process.env`).
    """
    found = []
    for node in tokens(parsed, "env"):
        env = node.parent
        if node.type != "property_identifier" or env is None or env.type != "member_expression" \
                or env.child_by_field_name("property") != node:
            continue
        owner = env.child_by_field_name("object")
        is_process = owner is not None and owner.type == "identifier" and parsed.text(owner) == "process"
        if owner is None or not (is_process or owner.type == "meta_property"):
            continue
        user = env.parent
        if user is None:
            continue
        if user.type == "member_expression" and user.child_by_field_name("object") == env:
            read = user.child_by_field_name("property")
            if read is not None and read.type == "property_identifier":
                found.append(read)
        elif is_process and user.type == "subscript_expression" and user.child_by_field_name("object") == env:
            index = user.child_by_field_name("index")
            if index is not None and index.type == "string":
                found.append(index)
        elif is_process and user.type == "variable_declarator" and user.child_by_field_name("value") == env:
            pattern = user.child_by_field_name("name")
            if pattern is not None and pattern.type == "object_pattern":
                found.append(pattern)
    return _ordered(found)


def outside_functions(node: Any) -> bool:
    """Whether no function holds a node (no function is the node, one of its ancestors, or fills it exactly)."""
    inner = node
    while inner is not None and inner.type not in FUNCTION_TYPES:
        first = inner.child(0) if inner.child_count else None
        inner = first if first is not None and (first.start_byte, first.end_byte) == (
            inner.start_byte, inner.end_byte) else None
    if inner is not None:
        return False
    current = node.parent
    while current is not None:
        if current.type in FUNCTION_TYPES:
            return False
        current = current.parent
    return True
