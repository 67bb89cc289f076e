# The names a JavaScript or TypeScript declaration binds (an import, a variable declarator, a class), shared by the
# file's index (`jsmodule`, which binds every declaration of a scope at the first look-up in it) and by the look-up
# of a top-level name in a file whose query has not run: the declarations that could bind the name are found from the
# places its bytes occur (`jsanchors.tokens`), and bound by the same rules, in the same order of precedence.
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from autodevhub_docs.analysis import jsanchors
from autodevhub_docs.parsing.treesitter import Parsed

_FUNCTION_DECLARATIONS = ("function_declaration", "generator_function_declaration")
_DECLARING = frozenset({*_FUNCTION_DECLARATIONS, "class_declaration", "variable_declarator"})
_NAME_TYPES = frozenset({"identifier", "type_identifier", "shorthand_property_identifier_pattern"})
"""The nodes a declaration's name can be (a class's name is a `type_identifier` in TypeScript)."""


@dataclass(frozen=True, slots=True)
class Declaration:
    """What a name is bound to in a scope."""

    kind: str
    """`value` (an expression), `member` (destructured from an expression), `function`, `class`, `import`,
    `param` (a function parameter)."""
    node: Any = None
    """The expression, function or class node (None for imports)."""
    key: str = ""
    """Destructured property (`member`), imported name (`import`: `default`, `*` or a name)."""
    source: str = ""
    """Module specifier of an import."""
    position: int = 0
    """Parameter position (`param`)."""


@dataclass(frozen=True, slots=True)
class Export:
    """One exported name: a local name, an expression, or a name re-exported from another module."""

    node: Any = None
    """Expression exported (`export default <expr>`, `exports.x = <expr>`)."""
    local: str = ""
    """Top-level name exported (`export { a as b }`, `export const a`)."""
    source: str = ""
    """Module re-exported from (`export { x } from './y'`, `export * as ns from`)."""
    imported: str = ""
    """Name in that module (`*` for a namespace)."""


def string(parsed: Parsed, node: Any) -> str | None:
    """The value of a string literal (a template string only when it has no substitution)."""
    if node is None:
        return None
    kind = node.type
    if kind == "string":
        raw = parsed.source[node.start_byte:node.end_byte]
        # Most literals are quotes around one fragment, which is their value: no escape (`\`), no JSX character
        # reference (`&amp;`), both quotes there. The others are read from their children.
        if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in _QUOTES and b"\\" not in raw and b"&" not in raw \
                and node.named_child_count <= 1:
            return raw[1:-1].decode("utf-8", "replace")
        return parsed.literal(node)
    return parsed.literal(node) if kind == "template_string" else None


_QUOTES = b"'\""


def bindings(parsed: Parsed, node: Any) -> list[tuple[str, Declaration]]:
    """The names an import statement, a class declaration or a variable declarator binds, in order."""
    if node.type == "import_statement":
        return _imports(parsed, node, str(string(parsed, node.child_by_field_name("source"))))
    name = node.child_by_field_name("name")
    if node.type == "class_declaration":
        return [(parsed.text(name), Declaration(kind="class", node=node))]
    value = node.child_by_field_name("value")
    if name is None or value is None:
        return []
    if name.type == "identifier":
        return [(parsed.text(name), Declaration(kind="value", node=value))]
    found = []
    if name.type == "object_pattern":  # const { Router } = require('express')
        for child in name.named_children:
            if child.type == "shorthand_property_identifier_pattern":
                found.append((parsed.text(child), Declaration(kind="member", node=value, key=parsed.text(child))))
            elif child.type == "pair_pattern":
                key, target = child.child_by_field_name("key"), child.child_by_field_name("value")
                if key is not None and target is not None and target.type == "identifier":
                    key_text = string(parsed, key) or parsed.text(key)
                    found.append((parsed.text(target), Declaration(kind="member", node=value, key=key_text)))
    return found


def _imports(parsed: Parsed, node: Any, source: str) -> list[tuple[str, Declaration]]:
    """The names an import statement binds, in order.

    Args:
        parsed: The file.
        node: The import statement.
        source: Its module specifier.
    """
    clause = next((c for c in node.named_children if c.type == "import_clause"), None)
    found: list[tuple[str, Declaration]] = []
    text = parsed.text
    for child in clause.named_children if clause is not None else ():
        kind = child.type
        if kind == "identifier":
            found.append((text(child), _import("default", source)))
        elif kind == "namespace_import":
            name = next((c for c in child.named_children if c.type == "identifier"), None)
            if name is not None:
                found.append((text(name), _import("*", source)))
        elif kind == "named_imports":
            for spec in child.named_children:
                imported = spec.child_by_field_name("name")
                if imported is None:
                    continue
                # a specifier with one named child has no alias: most do, and the field look-up is not needed
                alias = spec.child_by_field_name("alias") if spec.named_child_count > 1 else None
                if alias is None and imported.type == "identifier":
                    bound = text(imported)
                    found.append((bound, _import(bound, source)))
                else:
                    found.append((text(alias or imported), _import(_imported_name(parsed, imported), source)))
    return found


@lru_cache(maxsize=4096)
def _import(key: str, source: str) -> Declaration:
    """The declaration of a name imported from a module (one object for every file importing it)."""
    return Declaration(kind="import", key=key, source=source)


def _imported_name(parsed: Parsed, node: Any) -> str:
    """The name an import specifier takes from the module: an identifier, or a string (`{ "a-b" as ab }`)."""
    return parsed.text(node) if node.type == "identifier" else string(parsed, node) or parsed.text(node)


def top_level(parsed: Parsed, name: str) -> Declaration | None:
    """What a name is bound to at the top level of a file by a declaration, as the file's index would bind it.

    A top-level function declaration comes first, then the first top-level declarator or class (in source order)
    that binds it. An import binds a name before any of these (a module cannot declare an imported name again:
    code that does is read as if it did not): `import_bindings` gives those.

    Args:
        parsed: The file.
        name: The name looked up.
    """
    functions: list[Any] = []
    declared: list[tuple[int, Any]] = []
    for token in jsanchors.tokens(parsed, name, objects=False):  # `name.x` declares nothing
        owner = _owner(token)
        if owner is None:
            continue
        if owner.type in _FUNCTION_DECLARATIONS:
            if not any(True for _ in _enclosing_functions(owner)):
                functions.append(owner)
        elif jsanchors.outside_functions(owner):
            declared.append((owner.start_byte, owner))
    if functions:
        return Declaration(kind="function", node=min(functions, key=lambda n: n.start_byte))
    for _, owner in sorted(declared, key=lambda item: item[0]):
        found = next((d for each, d in bindings(parsed, owner) if each == name), None)
        if found is not None:
            return found
    return None


Imported = tuple[Any, str, int, int]
"""An import statement with a source: its node, its module specifier, and where it starts and ends."""


def import_bindings(parsed: Parsed, imported: list[Imported],
                    known: dict[tuple[str, bytes], Any] | None = None) -> dict[str, Declaration]:
    """Every name the import statements bind, each to its first binding.

    A module cannot declare an imported name again at its top level, so the import is what the name is bound to.

    Args:
        parsed: The file.
        imported: The file's import statements with a source, in order.
        known: What the statements other files wrote bind, by their text (kept by the caller for a build): the
            same statement in another file (the same framework names, the same sibling) binds the same names.
    """
    found: dict[str, Declaration] = {}
    for statement in imported:
        for name, declaration in _statement(parsed, statement, known).items():
            found.setdefault(name, declaration)
    return found


def imported(parsed: Parsed, imported: list[Imported], name: str,
             known: dict[tuple[str, bytes], Any] | None = None) -> Declaration | None:
    """What the first import binding a name binds it to (None when no import does), as `import_bindings` gives it.

    Only the statements that hold the name's bytes are read (an adapter looks up a few decorators, in files that
    import many names).
    """
    word, source = name.encode(), parsed.source
    for statement in imported:
        if source.find(word, statement[2], statement[3]) >= 0:
            found = _statement(parsed, statement, known).get(name)
            if found is not None:
                return found
    return None


def _statement(parsed: Parsed, statement: Imported, known: dict[tuple[str, bytes], Any] | None
               ) -> dict[str, Declaration]:
    """What one import statement binds (the first binding of each name), read once per text with `known`."""
    node, spec, start, end = statement
    key = (parsed.grammar, parsed.source[start:end])
    names: dict[str, Declaration] | None = known.get(key) if known is not None else None
    if names is None:
        names = {}
        for name, declaration in _imports(parsed, node, spec):
            names.setdefault(name, declaration)
        if known is not None and not node.has_error:  # a broken statement's tree may hang on what is around it
            known[key] = names
    return names


def _owner(token: Any) -> Any | None:
    """The function declaration, class declaration or variable declarator (with a value) a name node is bound by."""
    kind = token.type
    if kind not in _NAME_TYPES:  # a property, a string, a label: most places a name occurs bind nothing
        return None
    parent = token.parent
    if parent is None:
        return None
    parent_kind = parent.type
    if parent_kind in _DECLARING:
        named = parent.child_by_field_name("name") == token
        valued = parent_kind != "variable_declarator" or parent.child_by_field_name("value") is not None
        return parent if named and valued else None
    pattern = parent
    if parent_kind == "pair_pattern":
        pattern = parent.parent if parent.child_by_field_name("value") == token else None
    elif kind != "shorthand_property_identifier_pattern":
        return None
    declarator = pattern.parent if pattern is not None and pattern.type == "object_pattern" else None
    if declarator is None or declarator.type != "variable_declarator" \
            or declarator.child_by_field_name("name") != pattern or declarator.child_by_field_name("value") is None:
        return None
    return declarator


def _enclosing_functions(node: Any) -> Any:
    current = node.parent
    while current is not None:
        if current.type in jsanchors.FUNCTION_TYPES:
            yield current
        current = current.parent
