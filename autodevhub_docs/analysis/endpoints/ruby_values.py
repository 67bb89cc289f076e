# Ruby call syntax read from the tree-sitter Ruby grammar as plain Python values, so that the Rails routing DSL,
# schema.rb and ActiveRecord models are interpreted from data rather than from nodes: `resources :articles,
# only: %i[index show]` is the call `resources` with the arguments `[Sym("articles")]` and the options
# `{"only": [Sym("index"), Sym("show")]}`. Anything that is not a literal (a method call, a constant, a lambda)
# stays `Code`, which the interpreters treat as unknown.
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.parsing.treesitter import Parsed

MAX_DEPTH = 32
"""Deepest literal nesting converted (deeper literals become `Code`; no hand-written route option is deeper)."""


class Sym(str):
    """A Ruby symbol (`:index`), told apart from a string where Rails treats them differently."""

    __slots__ = ()


@dataclass(frozen=True)
class Code:
    """A value that is not a literal: its source text (`redirect('/x')`, `User`, `->(r) { ... }`)."""

    text: str


@dataclass(frozen=True)
class Call:
    """One method call: its name, receiver text, positional arguments, options and block."""

    name: str
    """Method name (`resources`)."""
    receiver: str
    """Source text of the receiver ('' for a bare call)."""
    args: list[Any]
    """Positional arguments as values."""
    options: dict[str, Any]
    """Keyword options (the trailing hash), by key."""
    block: Any | None
    """The `do_block`/`block` node, when the call has one."""
    node: Any
    """The call node."""

    @property
    def line(self) -> int:
        """1-based line of the call."""
        return int(self.node.start_point[0]) + 1


def value(parsed: Parsed, node: Any, depth: int = 0) -> Any:  # noqa: PLR0911 - one return per literal form
    """The Python value of a Ruby literal node (`Code` when it is not a literal).

    Args:
        parsed: The parsed file.
        node: An expression node.
        depth: Nesting already walked.
    """
    kind = node.type
    if depth > MAX_DEPTH:
        return Code(parsed.text(node))
    if kind in ("simple_symbol", "hash_key_symbol", "bare_symbol"):
        return Sym(parsed.text(node).lstrip(":"))
    if kind == "delimited_symbol":
        text = parsed.literal(node) if node.named_children else None
        inner = text if text is not None else _content(parsed, node)
        return Sym(inner) if inner is not None else Code(parsed.text(node))
    if kind in ("string", "bare_string"):
        text = parsed.literal(node) if kind == "string" else _content(parsed, node)
        return text if text is not None else Code(parsed.text(node))
    if kind in ("symbol_array", "string_array", "array"):
        return [value(parsed, child, depth + 1) for child in node.named_children if child.type != "comment"]
    if kind == "hash":
        return options(parsed, node.named_children, depth + 1)
    if kind in ("true", "false"):
        return kind == "true"
    if kind == "nil":
        return None
    if kind == "integer":
        return int(parsed.text(node).replace("_", ""), 0) if parsed.text(node).replace("_", "").isdigit() else (
            Code(parsed.text(node)))
    if kind == "parenthesized_statements" and node.named_child_count == 1:
        return value(parsed, node.named_children[0], depth + 1)
    return Code(parsed.text(node))


def _content(parsed: Parsed, node: Any) -> str | None:
    if any("interpolation" in child.type for child in node.named_children):
        return None
    return "".join(parsed.text(child) for child in node.named_children if child.type in ("string_content",
                                                                                          "escape_sequence"))


def options(parsed: Parsed, pairs: list[Any], depth: int = 0) -> dict[str, Any]:
    """The keys and values of hash pairs (`as: :x`, `:as => :x`, `'path' => 'c#a'`)."""
    found: dict[str, Any] = {}
    for pair in pairs:
        if pair.type != "pair":
            continue
        key, val = pair.child_by_field_name("key"), pair.child_by_field_name("value")
        if key is None or val is None:
            continue
        key_value = value(parsed, key, depth)
        if isinstance(key_value, str):
            found[key_value] = value(parsed, val, depth)
    return found


def call_name(parsed: Parsed, node: Any) -> str:
    """The method name of a call statement, without reading its arguments ('' for other nodes)."""
    if node.type == "identifier":
        return parsed.text(node)
    method = node.child_by_field_name("method") if node.type == "call" else None
    return parsed.text(method) if method is not None else ""


def call(parsed: Parsed, node: Any) -> Call | None:
    """Read a call node (or a bare identifier, which Ruby may also read as a call without arguments)."""
    if node.type == "identifier":
        return Call(name=parsed.text(node), receiver="", args=[], options={}, block=None, node=node)
    if node.type != "call":
        return None
    method = node.child_by_field_name("method")
    if method is None:
        return None
    receiver = node.child_by_field_name("receiver")
    arguments = node.child_by_field_name("arguments")
    args: list[Any] = []
    opts: dict[str, Any] = {}
    for child in arguments.named_children if arguments is not None else []:
        if child.type == "pair":
            opts.update(options(parsed, [child]))
        elif child.type in ("block_argument", "splat_argument", "hash_splat_argument", "comment"):
            continue
        else:
            args.append(value(parsed, child))
    if not opts and args and isinstance(args[-1], dict):
        opts = args.pop()  # `resources(:x, { only: [...] })`: the trailing hash is the options (extract_options!)
    return Call(name=parsed.text(method), receiver=parsed.text(receiver) if receiver is not None else "",
                args=args, options=opts, block=node.child_by_field_name("block"), node=node)


_CONTAINERS = frozenset({"program", "do_block", "block", "body_statement", "block_body", "then", "else", "elsif",
                         "begin", "ensure", "rescue", "if", "unless", "if_modifier", "unless_modifier", "case", "when",
                         "parenthesized_statements"})
"""Nodes whose statements are read: blocks, and both branches of conditionals (`if Rails.env.development?`),
since either may run."""


def statements(node: Any | None) -> Iterator[Any]:
    """The call statements of a block or program, in source order, looking inside conditionals.

    Args:
        node: A `do_block`, `block`, `program` or statement container (None gives nothing).
    """
    if node is None:
        return
    stack = [iter(_inner(node))]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.type in ("call", "identifier"):
            yield child
        elif child.type in _CONTAINERS:
            stack.append(iter(_inner(child)))


_TESTED = frozenset({"if", "unless", "if_modifier", "unless_modifier", "case", "elsif"})
_NOT_STATEMENTS = frozenset({"block_parameters", "pattern", "comment"})


def _inner(node: Any) -> list[Any]:
    """The children of a container that may be statements (a conditional's test is not one)."""
    if node.type not in _TESTED:
        return [c for c in node.named_children if c.type not in _NOT_STATEMENTS]
    skipped = {_key(c) for field in ("condition", "value") if (c := node.child_by_field_name(field)) is not None}
    return [c for c in node.named_children if _key(c) not in skipped and c.type not in _NOT_STATEMENTS]


def _key(node: Any) -> tuple[int, int, str]:
    """A node's identity (the grammar's node wrappers are new objects at every access)."""
    return node.start_byte, node.end_byte, node.type


def words(val: Any) -> list[str]:
    """A symbol, string or array of them as a list of names (`:show` and `[:index, 'show']` both work)."""
    items = val if isinstance(val, list) else [val]
    return [str(item) for item in items if isinstance(item, str)]


@dataclass(frozen=True)
class RubyClass:
    """A class declaration: its qualified name, superclass and body."""

    name: str
    """Name with its enclosing modules (`Admin::User`)."""
    superclass: str
    """Source text of the superclass ('' when none)."""
    body: Any | None
    """The `body_statement` node (None for an empty class)."""
    line: int
    """1-based line of the `class` keyword."""


def classes(parsed: Parsed) -> list[RubyClass]:
    """Every class of a file, nested ones included, in source order."""
    found: list[RubyClass] = []
    stack: list[tuple[Any, str]] = [(parsed.root, "")]
    while stack:
        node, outer = stack.pop()
        for child in reversed(node.named_children):
            if child.type in ("class", "module"):
                name_node = child.child_by_field_name("name")
                name = parsed.text(name_node) if name_node is not None else ""
                qualified = f"{outer}::{name}" if outer and name else name
                body = child.child_by_field_name("body")
                if child.type == "class":
                    parent = child.child_by_field_name("superclass")
                    found.append(RubyClass(name=qualified, superclass=parsed.text(parent.named_children[0])
                                           if parent is not None and parent.named_children else "",
                                           body=body, line=child.start_point[0] + 1))
                if body is not None:
                    stack.append((body, qualified))
            elif child.type in ("body_statement", "begin"):
                stack.append((child, outer))
    return sorted(found, key=lambda c: c.line)


def assignments(parsed: Parsed, body: Any | None, receiver: str) -> dict[str, tuple[Any, int]]:
    """The `receiver.attribute = value` statements directly in a body, as attribute -> (value, line).

    `self.table_name = "people"` and `config.api_only = true` are such statements.
    """
    found: dict[str, tuple[Any, int]] = {}
    for node in _inner(body) if body is not None else []:
        if node.type != "assignment":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None or left.type != "call":
            continue
        owner, attribute = left.child_by_field_name("receiver"), left.child_by_field_name("method")
        if owner is not None and attribute is not None and parsed.text(owner) == receiver:
            found[parsed.text(attribute)] = (value(parsed, right), node.start_point[0] + 1)
    return found
