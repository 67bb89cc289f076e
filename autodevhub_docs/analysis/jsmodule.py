# What one JavaScript or TypeScript file declares, read from its tree-sitter tree: the modules it imports (import,
# export-from, require(), import()), what it exports (ESM and CommonJS, read by `jsexports` when first asked), its
# classes, member calls and connection options, and its top-level names are read from the places their words occur
# (`jsanchors`, `jsnames`), which most files need alone (every file's imports make the import graph). The file's one
# query (it walks the whole tree) runs when an adapter first asks for what only it gives: function scopes, the names
# inner scopes declare, plain calls, method checks, environment reads. A scope's names are bound when a name is first
# looked up in it.
from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from autodevhub_docs.analysis import jsanchors, jsexports
from autodevhub_docs.analysis.jsnames import (
    Declaration,
    Export,
    Imported,
    bindings,
    import_bindings,
    imported,
    string,
    top_level,
)
from autodevhub_docs.analysis.jsquery import CALLED_METHODS, OPTION_KEYS, file_query
from autodevhub_docs.parsing.treesitter import Parsed

__all__ = ["CALLED_METHODS", "ROOT", "Declaration", "Export", "JsModule", "module", "string"]

ROOT = -1
"""Scope index of the module's top level."""
MAX_SCOPE_DEPTH = 64
"""Deepest function nesting a name is looked up through (deeper code is machine-written)."""

_KEPT = ("plain_call", "method_check")
"""Captures of the file's query kept for the adapters (exports, classes, member calls and options are anchored)."""
_START = operator.attrgetter("start_byte")


@dataclass
class _Index:
    """What the file's one query gives, built when an adapter first needs it.

    Most files are only asked for their imports, exports, classes, top-level names and a few named calls, which
    the anchors give without walking the tree.
    """

    functions: list[Any] = field(default_factory=list)
    """Function nodes in source order; a scope is an index in this list."""
    parents: list[int] = field(default_factory=list)
    """Enclosing function of each function (ROOT at the top level)."""
    captured: dict[str, list[Any]] = field(default_factory=dict)
    function_index: dict[int, int] = field(default_factory=dict)
    starts: list[int] = field(default_factory=list)
    params_read: set[int] = field(default_factory=set)
    undeclared: dict[int, list[Any]] = field(default_factory=dict)
    """Per scope, the imports, declarators and classes not yet bound (bound at the first look-up in the scope)."""


@dataclass
class JsModule:
    """The index of one file."""

    path: str
    parsed: Parsed
    imports: list[tuple[str, int]] = field(default_factory=list)
    """Every module specifier imported, with its line."""
    _exports: dict[str, Export] = field(default_factory=dict)
    _star_exports: list[str] = field(default_factory=list)
    _commonjs: Any = None
    _exports_read: bool = False
    """Whether the exports are read (when an adapter first asks: a script's summary never needs them)."""
    _statements: list[Any] = field(default_factory=list)
    """Import statements, require and import() calls, export statements, in source order."""
    _imported: list[Imported] = field(default_factory=list)
    """Import statements with a source, with it (bound in the top-level scope)."""
    _index: _Index | None = None
    _declarations: dict[tuple[int, str], Declaration] = field(default_factory=dict)
    _calls: dict[str, list[Any]] = field(default_factory=dict)
    """Member calls by method, plain calls by `name()`."""
    _anchored: dict[str, list[Any]] = field(default_factory=dict)
    _top_level: dict[str, Declaration | None] = field(default_factory=dict)
    _import_bindings: dict[str, Declaration] | None = None
    _known_imports: dict[tuple[str, bytes], Any] | None = field(default=None, repr=False)
    """What import statements bind, by their text (`jsnames.import_bindings`): the build's, shared by its files, or
    the file's own."""
    _env_reads: list[tuple[str, int]] | None = None

    @property
    def exports(self) -> dict[str, Export]:
        """What the file exports by name (ESM exports and CommonJS `exports.x =` assignments)."""
        self._read_exports()
        return self._exports

    @property
    def star_exports(self) -> list[str]:
        """Modules re-exported whole (`export * from './x'`)."""
        self._read_exports()
        return self._star_exports

    @property
    def commonjs(self) -> Any:
        """The expression assigned to `module.exports` (or TypeScript's `export =`), if any."""
        self._read_exports()
        return self._commonjs

    def _read_exports(self) -> None:
        if self._exports_read:
            return
        self._exports_read = True
        self._exports, self._star_exports, self._commonjs = jsexports.exports(self.parsed, self._statements)

    @property
    def functions(self) -> list[Any]:
        """Function nodes in source order; a scope is an index in this list."""
        return self._full().functions

    @property
    def parents(self) -> list[int]:
        """Enclosing function of each function (ROOT at the top level)."""
        return self._full().parents

    @property
    def env_reads(self) -> list[tuple[str, int]]:
        """Environment variables read (`process.env.X`, `process.env["X"]`, `import.meta.env.X`), with line.

        Read from the places the word `env` occurs, so a file's summary needs no query over its tree.
        """
        if self._env_reads is None:
            self._env_reads = _environment(self)
        return self._env_reads

    @property
    def declarations(self) -> dict[tuple[int, str], Declaration]:
        """What each name is bound to, by (scope, name), the declarators of every scope bound."""
        index = self._full()
        for scope in list(index.undeclared):
            self._declare_scope(index, scope)
        return self._declarations

    def _declare_scope(self, index: _Index, scope: int) -> None:
        for node in index.undeclared.pop(scope, ()):
            _declare(self, node, scope)

    def read_whole(self) -> None:
        """Run the file's query now.

        A reader that will ask for what only the query gives (scopes, plain calls) then has every name it looks up
        read from the index, not first from the places the name occurs.
        """
        self._full()

    def _full(self) -> _Index:
        if self._index is None:
            self._index = _full_index(self)
        return self._index

    def nodes(self, name: str) -> list[Any]:
        """The nodes of a kind, in source order.

        `export`, `class`, `plain_call`, `method_check`, `options` (the arguments of a call passing a connection
        option).
        """
        if name == "export":
            return [node for node in self._statements if node.type == "export_statement"]
        if name in ("class", "options"):
            if name not in self._anchored:
                self._anchored[name] = jsanchors.classes(self.parsed) if name == "class" else (
                    jsanchors.option_arguments(self.parsed, OPTION_KEYS))
            return self._anchored[name]
        return self._full().captured.get(name, [])

    def calls(self, methods: Iterable[str]) -> list[Any]:
        """The `x.method(...)` calls of some methods (each one of CALLED_METHODS), in source order."""
        found = []
        for method in methods:
            if method not in self._calls:
                self._calls[method] = jsanchors.member_calls(self.parsed, method) if method in CALLED_METHODS \
                    else []
            found += self._calls[method]
        return sorted(found, key=_SPAN)

    def named_calls(self, name: str) -> list[Any]:
        """The calls of a plain name (`model(...)`), in source order (found once: the summary asks, then an ORM)."""
        found = self._calls.get(f"{name}()")
        if found is None:
            found = self._calls[f"{name}()"] = jsanchors.named_calls(self.parsed, name)
        return found

    def text(self, node: Any) -> str:
        """Source text of a node."""
        return self.parsed.text(node)

    def function_scope(self, node: Any) -> int:
        """The scope a function node opens."""
        return self._full().function_index.get(node.id, ROOT)

    def scopes_of(self, nodes: Iterable[Any]) -> list[int]:
        """The innermost function around each node (nodes in source order), in one sweep."""
        functions = self._full().functions
        result = []
        stack: list[int] = []
        next_fn = 0
        for node in nodes:
            start = node.start_byte
            while next_fn < len(functions) and functions[next_fn].start_byte <= start:
                while stack and functions[stack[-1]].end_byte <= functions[next_fn].start_byte:
                    stack.pop()
                stack.append(next_fn)
                next_fn += 1
            while stack and functions[stack[-1]].end_byte <= start:
                stack.pop()
            result.append(stack[-1] if stack else ROOT)
        return result

    def scope_of(self, node: Any) -> int:
        """The innermost function around one node (a binary search, then up the nesting).

        A node no function holds is at the top level, which its ancestors tell without the file's query.
        """
        if self._index is None and jsanchors.outside_functions(node):
            return ROOT
        index = self._full()
        found = bisect.bisect_right(index.starts, node.start_byte) - 1
        depth = 0
        while found != ROOT and depth < MAX_SCOPE_DEPTH:
            if index.functions[found].end_byte >= node.end_byte:
                return found
            found, depth = index.parents[found], depth + 1
        return ROOT

    def lookup(self, name: str, scope: int) -> tuple[int, Declaration] | None:
        """The declaration a name refers to from a scope, and the scope that declares it.

        A top-level name of a file whose query has not run is looked up from the places the name occurs.
        """
        if scope == ROOT and self._index is None:
            if name not in self._top_level:
                self._top_level[name] = imported(self.parsed, self._imported, name, self._known_imports) or top_level(
                    self.parsed, name)
            found = self._top_level[name]
            return (ROOT, found) if found is not None else None
        index = self._full()
        depth = 0
        while depth < MAX_SCOPE_DEPTH:
            self._declare_scope(index, scope)
            if scope != ROOT and scope not in index.params_read:
                index.params_read.add(scope)
                _declare_params(self, scope, index.functions[scope])
            found = self._declarations.get((scope, name))
            if found is not None:
                return scope, found
            if scope == ROOT:
                return None
            scope, depth = index.parents[scope], depth + 1
        return None


_SPAN = operator.attrgetter("start_byte", "end_byte")


def module(path: str, parsed: Parsed, *, keep: bool = True, known: dict[tuple[str, bytes], Any] | None = None
           ) -> JsModule:
    """The index of a parsed file, built once per parse (every adapter shares it).

    Its imports and exports are read at once (every file's imports make the import graph); the file's query runs
    when an adapter first asks for what only it gives (scopes, declarations, plain calls, environment reads).

    Args:
        path: Repository-relative path.
        parsed: Its parse.
        keep: Keep the index for the next caller; False for a parse read once (a kept index holds its tree, so
            the tree would live as long as the cache).
        known: What the import statements of other files bind, by their text, kept by the caller for a build.
    """
    found = parsed.derived.get("jsmodule")
    if found is None or found.path != path:
        found = _build(path, parsed, known)
        if keep:
            parsed.derived["jsmodule"] = found
    return found


def _build(path: str, parsed: Parsed, known: dict[tuple[str, bytes], Any] | None = None) -> JsModule:
    statements = jsanchors.module_sources(parsed)
    mod = JsModule(path=path, parsed=parsed, _statements=[node for node, _ in statements],
                   _known_imports=known if known is not None else {})
    _modules(mod, statements)
    return mod


def _full_index(mod: JsModule) -> _Index:
    captures = mod.parsed.captures(file_query(mod.parsed.source))
    index = _Index(captured={name: captures.get(name, []) for name in _KEPT})
    _scopes(mod, index, captures.get("function", []))
    mod._index = index  # the scopes below are read from it
    classes = [c for c in mod.nodes("class") if c.type != "class" and c.child_by_field_name("name")]
    declarators = captures.get("declarator", []) + classes
    declarators.sort(key=_START)
    if mod._import_bindings is None:
        mod._import_bindings = import_bindings(mod.parsed, mod._imported, mod._known_imports)
    for name, declaration in mod._import_bindings.items():  # an import binds a name before any declaration does
        mod._declarations[(ROOT, name)] = declaration
    for node, scope in zip(declarators, mod.scopes_of(declarators), strict=True):
        index.undeclared.setdefault(scope, []).append(node)
    return index


def _scopes(mod: JsModule, index: _Index, functions: list[Any]) -> None:
    """Number the functions in source order and find each one's enclosing function, in one sweep."""
    index.functions = functions
    index.function_index = {fn.id: i for i, fn in enumerate(functions)}
    index.starts = [fn.start_byte for fn in functions]
    index.parents = [ROOT] * len(functions)
    stack: list[int] = []
    for i, fn in enumerate(functions):
        while stack and functions[stack[-1]].end_byte <= fn.start_byte:
            stack.pop()
        index.parents[i] = stack[-1] if stack else ROOT
        stack.append(i)
    for i, fn in enumerate(functions):
        name = fn.child_by_field_name("name") if fn.type.endswith("function_declaration") else None
        if name is not None:
            mod._declarations.setdefault((index.parents[i], mod.text(name)), Declaration(kind="function", node=fn))


def _modules(mod: JsModule, statements: list[tuple[Any, Any | None]]) -> None:
    """Imports and requires (export-from statements among them), in source order."""
    for node, source in statements:
        value = string(mod.parsed, source)
        if value is not None:
            mod.imports.append((value, node.start_point[0] + 1))
        if node.type == "import_statement" and value is not None:
            mod._imported.append((node, value, node.start_byte, node.end_byte))


def _environment(mod: JsModule) -> list[tuple[str, int]]:
    reads = []
    for node in jsanchors.environment(mod.parsed):
        if node.type == "object_pattern":  # const { A, B: b } = process.env
            for child in node.named_children:
                key = child.child_by_field_name("key") if child.type == "pair_pattern" else child
                if key is not None and child.type in ("pair_pattern", "shorthand_property_identifier_pattern"):
                    reads.append((mod.text(key), key.start_point[0] + 1))
            continue
        name = string(mod.parsed, node) if node.type == "string" else mod.text(node)
        if name:
            reads.append((name, node.start_point[0] + 1))
    reads.sort(key=lambda read: read[1])
    return reads


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


def _bind(mod: JsModule, scope: int, name: str, declaration: Declaration) -> None:
    mod._declarations.setdefault((scope, name), declaration)


def _declare(mod: JsModule, node: Any, scope: int) -> None:
    for name, declaration in bindings(mod.parsed, node):
        _bind(mod, scope, name, declaration)
