# The string values of Java and Kotlin annotation arguments: literals, text blocks, Kotlin templates (`"$BASE/x"`,
# `"${Paths.V1}/x"`), concatenation, and compile-time constants referenced by name (`BASE`, `ApiPaths.V1`,
# `a.b.ApiPaths.V1`) from any file of the codebase. Evaluation is iterative over a bounded depth, and a constant
# that refers to itself gives no value rather than a loop.
from __future__ import annotations

import bisect
import operator
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.parsing.jvm import JvmFile
from autodevhub_docs.parsing.treesitter import Parsed

_MAX_DEPTH = 48
"""Deepest nesting of expressions and constants referring to constants that is followed."""
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "s": " ", "0": "\0", "\\": "\\", "'": "'",
            '"': '"', "$": "$"}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NAMES = frozenset({"identifier", "simple_identifier", "field_access", "navigation_expression", "scoped_identifier"})


@dataclass(frozen=True)
class _Constant:
    parsed: Parsed
    node: Any
    owner: str
    path: str
    order: int = 0
    """Place of its file among the codebase's files."""


_ORDER = operator.attrgetter("order")


@dataclass(frozen=True)
class Scope:
    """Where an expression is read: its file and the chain of enclosing declarations (innermost first)."""

    path: str
    """File of the expression."""
    owners: tuple[str, ...] = ()
    """Simple names of the enclosing declarations, innermost first."""


def _unescape(raw: str) -> str:
    if len(raw) >= 2 and raw[0] == "\\":
        if raw[1] == "u" and len(raw) >= 6:
            try:
                return chr(int(raw[2:6], 16))
            except ValueError:
                return raw
        return _ESCAPES.get(raw[1], raw[1])
    return raw


def _text_block(content: str) -> str:
    """A Java text block's value: the line after the opening quotes on, less the common indentation."""
    lines = content.split("\n")[1:] if "\n" in content else [content]
    return textwrap.dedent("\n".join(line.rstrip() for line in lines))


class Constants:
    """Every compile-time string constant of a set of files, resolvable by simple or qualified name."""

    def __init__(self, files: Iterable[JvmFile]) -> None:
        self._qualified: dict[tuple[str, str], list[_Constant]] = {}
        self._by_file: dict[tuple[str, str], _Constant] = {}
        self._by_name: dict[str, list[_Constant]] = {}
        self._values: dict[tuple[str, int], str | None] = {}
        for order, jvm in enumerate(files):
            self.add(jvm, order)

    def add(self, jvm: JvmFile, order: int) -> None:
        """Index the constants of one more file.

        Args:
            jvm: The file.
            order: Its place among the codebase's files: every list of constants stays in file order, whatever the
                order files are added in.
        """
        for owner, name, node in jvm.constants:
            constant = _Constant(parsed=jvm.parsed, node=node, owner=owner, path=jvm.path, order=order)
            bisect.insort(self._qualified.setdefault((owner, name), []), constant, key=_ORDER)
            self._by_file.setdefault((jvm.path, name), constant)
            bisect.insort(self._by_name.setdefault(name, []), constant, key=_ORDER)

    def strings(self, parsed: Parsed, node: Any, scope: Scope) -> tuple[str, ...] | None:
        """The string values of an expression (several for an array), or None when one part cannot be known.

        Args:
            parsed: The tree the node belongs to.
            node: An annotation argument or constant initializer.
            scope: Where the expression is read, to resolve bare constant names.
        """
        if node.type in ("element_value_array_initializer", "collection_literal"):
            values: list[str] = []
            for item in node.named_children:
                one = self.string(parsed, item, scope)
                if one is None:
                    return None
                values.append(one)
            return tuple(values)
        one = self.string(parsed, node, scope)
        return None if one is None else (one,)

    def string(self, parsed: Parsed, node: Any, scope: Scope, depth: int = 0) -> str | None:  # noqa: PLR0911
        """The single string value of an expression, or None when it is not a known compile-time string.

        Args:
            parsed: The tree the node belongs to.
            node: The expression.
            scope: Where it is read.
            depth: Constants followed so far (internal).
        """
        if depth > _MAX_DEPTH:
            return None
        kind = node.type
        if kind in ("string_literal", "multiline_string_literal", "text_block"):
            return self._literal(parsed, node, scope, depth)
        if kind in ("parenthesized_expression", "value_argument", "element_value_pair"):
            return self.string(parsed, node.named_children[-1], scope, depth + 1) if node.named_children else None
        if kind in ("binary_expression", "additive_expression"):
            pieces = []
            for operand in self._operands(parsed, node):
                value = None if operand is None else self.string(parsed, operand, scope, depth + 1)
                if value is None:
                    return None
                pieces.append(value)
            return "".join(pieces)
        if kind in _NAMES:
            return self._named(parsed.text(node), scope, depth)
        return None

    @staticmethod
    def _operands(parsed: Parsed, node: Any) -> list[Any | None]:
        """The operands of a chain of `+` in source order; None stands for an operand of another operator.

        Read without recursion: `"a" + "b" + ... + "z"` nests as deep as it is long.
        """
        operands: list[Any | None] = []
        stack = [node]
        while stack:
            current = stack.pop()
            if current.type not in ("binary_expression", "additive_expression"):
                operands.append(current)
                continue
            parts = [c for c in current.children if c.is_named]
            operator = next((c for c in current.children if not c.is_named), None)
            if len(parts) != 2 or operator is None or parsed.text(operator) != "+":
                return [None]
            stack.extend(reversed(parts))
        return operands

    def _literal(self, parsed: Parsed, node: Any, scope: Scope, depth: int) -> str | None:
        pieces: list[str] = []
        pending_dollar = False
        for child in node.named_children:  # the quotes are the unnamed ones
            kind = child.type
            text = parsed.text(child)
            if kind in ("string_fragment", "string_content", "multiline_string_fragment"):
                if pending_dollar:  # the Kotlin grammar reads `"$NAME/x"` as `$` then `NAME/x`
                    pending_dollar = False
                    name = _IDENTIFIER.match(text)
                    if name is None:
                        pieces.append("$")
                    else:
                        value = self._named(name.group(0), scope, depth)
                        if value is None:
                            return None
                        pieces.append(value)
                        text = text[name.end():]
                if text == "$" and parsed.grammar == "kotlin":
                    pending_dollar = True
                    continue
                pieces.append(text)
            elif kind == "escape_sequence":
                pieces.append(_unescape(text))
            elif kind in ("interpolation", "string_interpolation", "template_substitution"):
                inner = next((c for c in child.children if c.is_named), None)
                value = self.string(parsed, inner, scope, depth) if inner is not None else None
                if value is None:
                    return None
                pieces.append(value)
        if pending_dollar:
            pieces.append("$")
        if parsed.grammar == "java" and node.child_count and node.children[0].type == '"""':
            return _text_block("".join(pieces))
        return "".join(pieces)

    def _named(self, name: str, scope: Scope, depth: int) -> str | None:
        parts = [p for p in name.replace(" ", "").split(".") if p]
        if not parts:
            return None
        if len(parts) == 1:
            found = self._bare(parts[0], scope)
        else:
            candidates = self._qualified.get((parts[-2], parts[-1]), [])
            found = candidates[0] if len({self._key(c) for c in candidates}) == 1 else None
        if found is None:
            return None
        key = self._key(found)
        if key not in self._values:  # each constant is evaluated once; one that refers to itself has no value
            self._values[key] = None
            self._values[key] = self.string(found.parsed, found.node, Scope(path=found.path, owners=(found.owner,)),
                                            depth + 1)
        return self._values[key]

    def _bare(self, name: str, scope: Scope) -> _Constant | None:
        for owner in scope.owners:  # the enclosing classes, innermost first
            hit = next((c for c in self._qualified.get((owner, name), []) if c.path == scope.path), None) or (
                self._qualified.get((owner, name), [None])[0])
            if hit is not None:
                return hit
        same_file = self._by_file.get((scope.path, name))
        if same_file is not None:
            return same_file
        candidates = self._by_name.get(name, [])  # a static import or a Kotlin top-level constant
        return candidates[0] if len({self._key(c) for c in candidates}) == 1 else None

    @staticmethod
    def _key(constant: _Constant) -> tuple[str, int]:
        return constant.path, constant.node.start_byte
