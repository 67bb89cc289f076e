# PHP syntax read from the tree-sitter PHP grammar as plain Python values, for the Laravel and Symfony adapters:
# literals and arrays, `Foo::class` references, `env('X', 'default')`, closures, named arguments, and call chains
# (`Route::prefix('api')->middleware('auth')->group(...)` is the root `Route` and three links).
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.parsing.treesitter import Parsed

MAX_DEPTH = 32
"""Deepest literal nesting converted (deeper literals become `Code`)."""


@dataclass(frozen=True)
class Code:
    """A value that is not a literal: its source text."""

    text: str


@dataclass(frozen=True)
class ClassRef:
    """`Foo::class`: the class name as written (`ArticleController`, or with its namespace)."""

    name: str

    @property
    def short(self) -> str:
        """The name without its namespace."""
        return self.name.rsplit("\\", 1)[-1]


@dataclass(frozen=True)
class EnvCall:
    """`env('DB_CONNECTION', 'sqlite')`: the variable and its default."""

    name: str
    default: Any


@dataclass(frozen=True)
class Closure:
    """A closure or arrow function, kept as its node (its body holds statements to read)."""

    node: Any


class Link:
    """One call of a chain: its name and node; its arguments are read when first asked for."""

    __slots__ = ("_arguments", "name", "node", "parsed")

    def __init__(self, parsed: Parsed, name: str, node: Any) -> None:
        self.parsed = parsed
        self.name = name
        """Method name."""
        self.node = node
        """The call node."""
        self._arguments: tuple[list[Any], dict[str, Any]] | None = None

    def _read(self) -> tuple[list[Any], dict[str, Any]]:
        if self._arguments is None:
            self._arguments = arguments(self.parsed, self.node.child_by_field_name("arguments"))
        return self._arguments

    @property
    def args(self) -> list[Any]:
        """Positional argument values."""
        return self._read()[0]

    @property
    def named(self) -> dict[str, Any]:
        """Named argument values (`methods: ['GET']`)."""
        return self._read()[1]

    @property
    def line(self) -> int:
        """1-based line of the call."""
        return int(self.node.start_point[0]) + 1


_CALLS = frozenset({"member_call_expression", "nullsafe_member_call_expression", "scoped_call_expression"})


def value(parsed: Parsed, node: Any, depth: int = 0) -> Any:  # noqa: PLR0911, PLR0912 - one per literal form
    """The Python value of a PHP expression (`Code` when it is not a literal).

    Args:
        parsed: The parsed file.
        node: An expression node.
        depth: Nesting already walked.
    """
    kind = node.type
    if depth > MAX_DEPTH:
        return Code(parsed.text(node))
    if kind in ("string", "encapsed_string"):
        text = parsed.literal(node)
        return text if text is not None else Code(parsed.text(node))
    if kind == "array_creation_expression":
        return _array(parsed, node, depth)
    if kind == "class_constant_access_expression" and node.named_child_count == 2 and (
            parsed.text(node.named_children[1]) == "class"):
        return ClassRef(parsed.text(node.named_children[0]).lstrip("\\"))
    if kind in ("anonymous_function", "arrow_function", "anonymous_function_creation_expression"):
        return Closure(node)
    if kind == "boolean":
        return parsed.text(node).lower() == "true"
    if kind == "null":
        return None
    if kind == "integer" and parsed.text(node).isdigit():
        return int(parsed.text(node))
    if kind == "function_call_expression":
        name = node.child_by_field_name("function")
        args, _ = arguments(parsed, node.child_by_field_name("arguments"), depth + 1)
        if name is not None and parsed.text(name) == "env" and args and isinstance(args[0], str):
            return EnvCall(name=args[0], default=args[1] if len(args) > 1 else None)
    if kind == "binary_expression" and _operator(parsed, node) == ".":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        parts = [value(parsed, n, depth + 1) for n in (left, right) if n is not None]
        if len(parts) == 2 and all(isinstance(p, str) for p in parts):
            return "".join(parts)
    if kind == "parenthesized_expression" and node.named_child_count == 1:
        return value(parsed, node.named_children[0], depth + 1)
    return Code(parsed.text(node))


def _operator(parsed: Parsed, node: Any) -> str:
    operator = node.child_by_field_name("operator")
    return parsed.text(operator) if operator is not None else ""


def _array(parsed: Parsed, node: Any, depth: int) -> Any:
    items = [child for child in node.named_children if child.type == "array_element_initializer"]
    keyed = [item for item in items if item.named_child_count == 2]
    if keyed and len(keyed) == len(items):
        found: dict[str, Any] = {}
        for item in keyed:
            key = value(parsed, item.named_children[0], depth + 1)
            if isinstance(key, str):
                found[key] = value(parsed, item.named_children[1], depth + 1)
        return found
    return [value(parsed, item.named_children[0], depth + 1) for item in items if item.named_child_count == 1]


def entries(parsed: Parsed, node: Any) -> dict[str, Any]:
    """The string-keyed entries of an array literal, as key -> value node."""
    found: dict[str, Any] = {}
    for item in node.named_children:
        if item.type == "array_element_initializer" and item.named_child_count == 2:
            key = parsed.literal(item.named_children[0])
            if key is not None:
                found[key] = item.named_children[1]
    return found


def arguments(parsed: Parsed, node: Any | None, depth: int = 0) -> tuple[list[Any], dict[str, Any]]:
    """Positional and named (`methods: ['GET']`) argument values of an `arguments` node."""
    positional: list[Any] = []
    named: dict[str, Any] = {}
    for argument in node.named_children if node is not None else []:
        if argument.type != "argument" or not argument.named_children:
            continue
        name = argument.child_by_field_name("name")
        expression = argument.named_children[-1]
        if name is not None:
            named[parsed.text(name)] = value(parsed, expression, depth)
        elif expression.type != "variadic_unpacking" and argument.children[0].type != "...":  # `...$args`
            positional.append(value(parsed, expression, depth))
    return positional, named


def chain(parsed: Parsed, node: Any) -> tuple[str, list[Link]]:
    """A call chain from its root: (`Route` or `$router` or '' when the root is no name, links in call order)."""
    links: list[Link] = []
    current = node
    while current is not None and current.type in _CALLS:
        name = current.child_by_field_name("name")
        links.append(Link(parsed, parsed.text(name) if name is not None else "", current))
        current = current.child_by_field_name("scope" if current.type == "scoped_call_expression" else "object")
    root = parsed.text(current).lstrip("\\") if current is not None and current.type in (
        "name", "qualified_name", "variable_name") else ""
    return root, links[::-1]


def innermost(parsed: Parsed, node: Any) -> tuple[str, str]:
    """The root and the first call of a chain (`$this`, `hasMany`), without reading the rest of it."""
    current, first = node, None
    while current is not None and current.type in _CALLS:
        first = current.child_by_field_name("name")
        current = current.child_by_field_name("scope" if current.type == "scoped_call_expression" else "object")
    root = parsed.text(current).lstrip("\\") if current is not None and current.type in (
        "name", "qualified_name", "variable_name") else ""
    return root, parsed.text(first) if first is not None else ""


def declarations(parsed: Parsed) -> list[Any]:
    """A file's top-level declarations, inside `namespace X { ... }` blocks too (no walk of the whole tree)."""
    found: list[Any] = []
    stack = [parsed.root]
    while stack:
        node = stack.pop()
        for child in node.named_children:
            if child.type in ("namespace_definition", "compound_statement"):
                stack.append(child)
            else:
                found.append(child)
    return sorted(found, key=lambda n: n.start_byte)


def classes(parsed: Parsed) -> list[Any]:
    """A file's class declarations, and the anonymous class it returns (`return new class extends Migration`)."""
    found = []
    for node in declarations(parsed):
        if node.type == "class_declaration":
            found.append(node)
        elif node.type == "return_statement" and node.named_children:
            created = node.named_children[0]
            found += [c for c in created.named_children if c.type == "anonymous_class"] if (
                created.type == "object_creation_expression") else []
    return found


def members(node: Any, kind: str) -> list[Any]:
    """The members of one kind (`method_declaration`, `property_declaration`) of a class declaration."""
    body = node.child_by_field_name("body")
    return [child for child in body.named_children if child.type == kind] if body is not None else []


def nodes(parsed: Parsed, kind: str, within: Any | None = None) -> list[Any]:
    """Every node of a type in the file (or in a subtree), in source order (a tree-sitter query, run in C)."""
    return parsed.captures(f"({kind}) @found", within).get("found", [])


def statements(node: Any) -> Iterator[Any]:
    """The expressions of a closure's or file's statements, looking inside blocks and conditionals.

    An arrow function's body is its one expression.
    """
    if node.type == "arrow_function":
        body = node.child_by_field_name("body")
        if body is not None:
            yield body
        return
    stack = [iter(_inner(node))]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.type == "expression_statement" and child.named_children:
            yield child.named_children[0]
        elif child.type in _BLOCKS:
            stack.append(iter(_inner(child)))


_BLOCKS = frozenset({"compound_statement", "if_statement", "else_clause", "else_if_clause", "colon_block",
                     "namespace_definition", "declaration_list"})


def _inner(node: Any) -> list[Any]:
    if node.type in ("anonymous_function", "anonymous_function_creation_expression"):
        body = node.child_by_field_name("body")
        return [body] if body is not None else []
    condition = node.child_by_field_name("condition")
    return [c for c in node.named_children if condition is None or c != condition]
