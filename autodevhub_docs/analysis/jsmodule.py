# What one JavaScript or TypeScript file declares, read from its tree-sitter tree with one query: the modules it
# imports (import, export-from, require(), import()), the environment variables it reads, its function scopes, the
# names each scope declares, what the module exports (ESM and CommonJS), and the nodes framework and ORM adapters
# read (classes, route and model calls, method checks, connection options). One query per file (each walks the whole
# tree), shared by every adapter; a scope's names are bound when a name is first looked up in it (most never are).
from __future__ import annotations

import bisect
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from autodevhub_docs.analysis.jsquery import CALLED_METHODS, file_query
from autodevhub_docs.parsing.treesitter import Parsed

__all__ = ["CALLED_METHODS", "ROOT", "Declaration", "Export", "JsModule", "module", "string"]

ROOT = -1
"""Scope index of the module's top level."""
MAX_SCOPE_DEPTH = 64
"""Deepest function nesting a name is looked up through (deeper code is machine-written)."""

_KEPT = ("export", "class", "member_call", "plain_call", "method_check", "options")
"""Captures kept on the index for the adapters."""


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


@dataclass
class JsModule:
    """The index of one file."""

    path: str
    parsed: Parsed
    imports: list[tuple[str, int]] = field(default_factory=list)
    """Every module specifier imported, with its line."""
    env_reads: list[tuple[str, int]] = field(default_factory=list)
    """Environment variables read (`process.env.X`, `process.env["X"]`, `import.meta.env.X`), with line."""
    functions: list[Any] = field(default_factory=list)
    """Function nodes in source order; a scope is an index in this list."""
    parents: list[int] = field(default_factory=list)
    """Enclosing function of each function (ROOT at the top level)."""
    exports: dict[str, Export] = field(default_factory=dict)
    star_exports: list[str] = field(default_factory=list)
    """Modules re-exported whole (`export * from './x'`)."""
    commonjs: Any = None
    """The expression assigned to `module.exports`, if any."""
    captured: dict[str, list[Any]] = field(default_factory=dict)
    """Nodes of the one query the adapters read: `export`, `class`, `member_call`, `plain_call`, `method_check`,
    `options` (the arguments of a call passing a connection option), in source order."""
    _function_index: dict[int, int] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)
    _params_read: set[int] = field(default_factory=set)
    _declarations: dict[tuple[int, str], Declaration] = field(default_factory=dict)
    _undeclared: dict[int, list[Any]] = field(default_factory=dict)
    """Per scope, the imports, declarators and classes not yet bound (bound at the first look-up in the scope)."""
    _calls: dict[str, list[Any]] | None = None

    @property
    def declarations(self) -> dict[tuple[int, str], Declaration]:
        """What each name is bound to, by (scope, name), the declarators of every scope bound."""
        for scope in list(self._undeclared):
            self._declare_scope(scope)
        return self._declarations

    def _declare_scope(self, scope: int) -> None:
        for node in self._undeclared.pop(scope, ()):
            _declare(self, node, scope)

    def nodes(self, name: str) -> list[Any]:
        """The captured nodes of a kind."""
        return self.captured.get(name, [])

    def calls(self, methods: Iterable[str]) -> list[Any]:
        """The captured `x.method(...)` calls of some methods (each one of CALLED_METHODS), in source order."""
        if self._calls is None:
            self._calls = {}
            for call in self.nodes("member_call"):
                prop = call.child_by_field_name("function").child_by_field_name("property")
                self._calls.setdefault(self.text(prop), []).append(call)
        found = [call for method in methods for call in self._calls.get(method, ())]
        return sorted(found, key=lambda n: (n.start_byte, n.end_byte))

    def text(self, node: Any) -> str:
        """Source text of a node."""
        return self.parsed.text(node)

    def function_scope(self, node: Any) -> int:
        """The scope a function node opens."""
        return self._function_index.get(node.id, ROOT)

    def scopes_of(self, nodes: Iterable[Any]) -> list[int]:
        """The innermost function around each node (nodes in source order), in one sweep."""
        result = []
        stack: list[int] = []
        next_fn = 0
        for node in nodes:
            start = node.start_byte
            while next_fn < len(self.functions) and self.functions[next_fn].start_byte <= start:
                while stack and self.functions[stack[-1]].end_byte <= self.functions[next_fn].start_byte:
                    stack.pop()
                stack.append(next_fn)
                next_fn += 1
            while stack and self.functions[stack[-1]].end_byte <= start:
                stack.pop()
            result.append(stack[-1] if stack else ROOT)
        return result

    def scope_of(self, node: Any) -> int:
        """The innermost function around one node (a binary search, then up the nesting)."""
        index = bisect.bisect_right(self._starts, node.start_byte) - 1
        depth = 0
        while index != ROOT and depth < MAX_SCOPE_DEPTH:
            if self.functions[index].end_byte >= node.end_byte:
                return index
            index, depth = self.parents[index], depth + 1
        return ROOT

    def lookup(self, name: str, scope: int) -> tuple[int, Declaration] | None:
        """The declaration a name refers to from a scope, and the scope that declares it."""
        depth = 0
        while depth < MAX_SCOPE_DEPTH:
            self._declare_scope(scope)
            if scope != ROOT and scope not in self._params_read:
                self._params_read.add(scope)
                _declare_params(self, scope, self.functions[scope])
            found = self._declarations.get((scope, name))
            if found is not None:
                return scope, found
            if scope == ROOT:
                return None
            scope, depth = self.parents[scope], depth + 1
        return None


_MODULES: weakref.WeakKeyDictionary[Parsed, JsModule] = weakref.WeakKeyDictionary()


def module(path: str, parsed: Parsed, *, keep: bool = True) -> JsModule:
    """The index of a parsed file, built once per parse (every adapter shares it).

    Args:
        path: Repository-relative path.
        parsed: Its parse.
        keep: Keep the index for the next caller; False for a parse read once (a kept index holds its tree, so
            the tree would live as long as the cache).
    """
    found = _MODULES.get(parsed)
    if found is None or found.path != path:
        found = _build(path, parsed)
        if keep:
            _MODULES[parsed] = found
    return found


def string(parsed: Parsed, node: Any) -> str | None:
    """The value of a string literal (a template string only when it has no substitution)."""
    return parsed.literal(node) if node is not None and node.type in ("string", "template_string") else None


def _build(path: str, parsed: Parsed) -> JsModule:
    mod = JsModule(path=path, parsed=parsed)
    grammar = "javascript" if parsed.grammar == "javascript" else "typescript"
    captures = parsed.captures(file_query(grammar, parsed.source))
    mod.captured = {name: captures.get(name, []) for name in _KEPT}
    _scopes(mod, captures.get("function", []))
    _modules(mod, captures)
    classes = [c for c in captures.get("class", []) if c.type != "class" and c.child_by_field_name("name")]
    declarators = captures.get("declarator", []) + classes
    declarators.sort(key=lambda n: n.start_byte)
    for node, scope in zip(declarators, mod.scopes_of(declarators), strict=True):
        mod._undeclared.setdefault(scope, []).append(node)
    for node in captures.get("assign", []):
        _read_commonjs(mod, node)
    _environment(mod, captures)
    return mod


def _scopes(mod: JsModule, functions: list[Any]) -> None:
    """Number the functions in source order and find each one's enclosing function, in one sweep."""
    mod.functions = functions
    mod._function_index = {fn.id: i for i, fn in enumerate(functions)}
    mod._starts = [fn.start_byte for fn in functions]
    mod.parents = [ROOT] * len(functions)
    stack: list[int] = []
    for i, fn in enumerate(functions):
        while stack and functions[stack[-1]].end_byte <= fn.start_byte:
            stack.pop()
        mod.parents[i] = stack[-1] if stack else ROOT
        stack.append(i)
    for i, fn in enumerate(functions):
        name = fn.child_by_field_name("name") if fn.type.endswith("function_declaration") else None
        if name is not None:
            mod._declarations.setdefault((mod.parents[i], mod.text(name)), Declaration(kind="function", node=fn))


def _modules(mod: JsModule, captures: dict[str, list[Any]]) -> None:
    """Imports, requires and exports, in source order."""
    for node in sorted(captures.get("import", []) + captures.get("require", []) + captures.get("export", []),
                       key=lambda n: n.start_byte):
        source = node.child_by_field_name("source") if node.type != "call_expression" else (
            node.child_by_field_name("arguments").named_children[0])
        value = string(mod.parsed, source)
        if value is not None:
            mod.imports.append((value, node.start_point[0] + 1))
        if node.type == "import_statement" and value is not None:
            mod._undeclared.setdefault(ROOT, []).append(node)
        elif node.type == "export_statement":
            _read_export(mod, node, value)


def _environment(mod: JsModule, captures: dict[str, list[Any]]) -> None:
    for node in captures.get("env", []):
        name = string(mod.parsed, node) if node.type == "string" else mod.text(node)
        if name:
            mod.env_reads.append((name, node.start_point[0] + 1))
    for pattern in captures.get("env_pattern", []):  # const { A, B: b } = process.env
        for child in pattern.named_children:
            key = child.child_by_field_name("key") if child.type == "pair_pattern" else child
            if key is not None and child.type in ("pair_pattern", "shorthand_property_identifier_pattern"):
                mod.env_reads.append((mod.text(key), key.start_point[0] + 1))
    mod.env_reads.sort(key=lambda read: read[1])


def _declare_params(mod: JsModule, index: int, fn: Any) -> None:
    """A function's named parameters (read when a name is first looked up in its scope)."""
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return
    items = [params] if params.type == "identifier" else params.named_children
    for position, param in enumerate(items):
        pattern = param.child_by_field_name("pattern") if param.type.endswith("_parameter") else param
        if pattern is not None and pattern.type == "identifier":
            mod._declarations.setdefault((index, mod.text(pattern)), Declaration(kind="param", position=position))


def _declare_imports(mod: JsModule, node: Any, source: str) -> None:
    clause = next((c for c in node.named_children if c.type == "import_clause"), None)
    for child in clause.named_children if clause is not None else ():
        if child.type == "identifier":
            _bind(mod, ROOT, mod.text(child), Declaration(kind="import", key="default", source=source))
        elif child.type == "namespace_import":
            name = next((c for c in child.named_children if c.type == "identifier"), None)
            if name is not None:
                _bind(mod, ROOT, mod.text(name), Declaration(kind="import", key="*", source=source))
        elif child.type == "named_imports":
            for spec in child.named_children:
                imported, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                if imported is not None:
                    key = string(mod.parsed, imported) or mod.text(imported)
                    _bind(mod, ROOT, mod.text(alias or imported), Declaration(kind="import", key=key, source=source))


def _bind(mod: JsModule, scope: int, name: str, declaration: Declaration) -> None:
    mod._declarations.setdefault((scope, name), declaration)


def _read_export(mod: JsModule, node: Any, source: str | None) -> None:
    clause = next((c for c in node.named_children if c.type in ("export_clause", "namespace_export")), None)
    if source is not None:
        _read_reexport(mod, clause, source)
        return
    is_default = any(not c.is_named and c.type == "default" for c in node.children)
    declaration, value = node.child_by_field_name("declaration"), node.child_by_field_name("value")
    if value is not None:
        mod.exports["default"] = Export(node=value)
    elif declaration is not None:
        names = [d.child_by_field_name("name") for d in declaration.named_children
                 if d.type == "variable_declarator"] or [declaration.child_by_field_name("name")]
        for name in names:
            if name is not None and name.type in ("identifier", "type_identifier"):
                mod.exports["default" if is_default else mod.text(name)] = Export(local=mod.text(name))
        if is_default and names == [None]:
            mod.exports["default"] = Export(node=declaration)
    elif clause is not None:
        for spec in clause.named_children:
            name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
            if name is not None:
                mod.exports[mod.text(alias) if alias is not None else mod.text(name)] = Export(local=mod.text(name))
    else:  # TypeScript `export = router;`
        target = next((c for c in node.named_children if c.type not in ("decorator", "comment")), None)
        if target is not None and mod.commonjs is None:
            mod.commonjs = target


def _read_reexport(mod: JsModule, clause: Any | None, source: str) -> None:
    """`export * from`, `export * as ns from` and `export { a as b } from`."""
    if clause is None:
        mod.star_exports.append(source)
    elif clause.type == "namespace_export":
        name = clause.named_children[-1] if clause.named_children else None
        if name is not None:
            mod.exports[mod.text(name)] = Export(source=source, imported="*")
    else:
        for spec in clause.named_children:
            name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
            if name is not None:
                mod.exports[mod.text(alias or name)] = Export(source=source, imported=mod.text(name))


def _declare(mod: JsModule, node: Any, scope: int) -> None:
    if node.type == "import_statement":
        _declare_imports(mod, node, str(string(mod.parsed, node.child_by_field_name("source"))))
        return
    name = node.child_by_field_name("name")
    if node.type == "class_declaration":
        _bind(mod, scope, mod.text(name), Declaration(kind="class", node=node))
        return
    value = node.child_by_field_name("value")
    if name is None or value is None:
        return
    if name.type == "identifier":
        _bind(mod, scope, mod.text(name), Declaration(kind="value", node=value))
    elif name.type == "object_pattern":  # const { Router } = require('express')
        for child in name.named_children:
            if child.type == "shorthand_property_identifier_pattern":
                _bind(mod, scope, mod.text(child), Declaration(kind="member", node=value, key=mod.text(child)))
            elif child.type == "pair_pattern":
                key, target = child.child_by_field_name("key"), child.child_by_field_name("value")
                if key is not None and target is not None and target.type == "identifier":
                    key_text = string(mod.parsed, key) or mod.text(key)
                    _bind(mod, scope, mod.text(target), Declaration(kind="member", node=value, key=key_text))


def _read_commonjs(mod: JsModule, node: Any) -> None:
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    target = mod.text(left)
    if target == "module.exports":
        mod.commonjs = mod.commonjs or right
        return
    obj, prop = left.child_by_field_name("object"), left.child_by_field_name("property")
    if obj is not None and prop is not None and mod.text(obj) in ("exports", "module.exports"):
        mod.exports.setdefault(mod.text(prop), Export(node=right))
