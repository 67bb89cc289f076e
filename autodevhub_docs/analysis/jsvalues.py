# Values of JavaScript and TypeScript expressions, followed across files: a small evaluator that resolves names
# through function scopes, declarations, destructuring, imports and exports (ESM and CommonJS), object literals and
# string building (literals, templates, `+`). Framework code decides what calls mean by overriding its hooks.
#
# Linear by construction: every expression is evaluated once (memoised by node), evaluation depth is capped, and an
# export being resolved is never re-entered (import cycles give an unknown value).
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from autodevhub_docs.analysis import javascript
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.jsmodule import ROOT, JsModule, string

MAX_DEPTH = 48
"""Deepest evaluation (nested expressions, import chains); deeper values are unknown."""

_UNWRAP = frozenset({"parenthesized_expression", "await_expression", "as_expression", "satisfies_expression",
                     "non_null_expression", "type_assertion"})
_FUNCTIONS = frozenset({"arrow_function", "function_expression", "function", "generator_function"})


@dataclass(frozen=True, slots=True)
class Package:
    """Something imported from an installed package: `name` is `default`, `*` or an exported name."""

    spec: str
    name: str


@dataclass(frozen=True, slots=True)
class Router:
    """A router, app or plugin context, as framework code gives them meaning.

    `base` is the base path of a Hono `basePath()` clone, `chain` the path of an Express `route(path)` chain.
    """

    group: int
    base: str = ""
    chain: str | None = None


@dataclass(frozen=True, slots=True)
class Function:
    """A function: its file and the scope it opens."""

    path: str
    scope: int


@dataclass(frozen=True, slots=True)
class Module:
    """The namespace of a module of the repository."""

    path: str


@dataclass(frozen=True, slots=True)
class Text:
    """A string known at analysis time."""

    value: str


@dataclass(frozen=True, slots=True, eq=False)
class Object:
    """An object literal."""

    path: str
    node: Any
    scope: int


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value the evaluator cannot follow."""


UNKNOWN = Unknown()
Value = Package | Router | Function | Module | Text | Object | Unknown


@dataclass(frozen=True, slots=True)
class Call:
    """A call being evaluated."""

    path: str
    node: Any
    scope: int
    args: tuple[Any, ...]
    line: int



class Evaluator:
    """Evaluates expressions of a codebase's JS/TS files.

    Args:
        code: The codebase (its cached parses are shared).
    """

    def __init__(self, code: Codebase) -> None:
        self.code = code
        self._paths = code.tracked
        self._modules: dict[str, JsModule | None] = {}
        self._memo: dict[tuple[str, int], Value] = {}
        self._active: set[tuple[str, str]] = set()
        self._depth = 0

    def module(self, path: str) -> JsModule | None:
        """The index of a file, read once."""
        if path not in self._modules:
            self._modules[path] = javascript.module(self.code, path) if javascript.is_script(path) else None
        return self._modules[path]

    def method(self, receiver: Router, name: str, call: Call) -> Value:
        """`receiver.name(...)` on a router; framework code records what it does."""
        del receiver, name, call
        return UNKNOWN

    def create(self, callee: Package, call: Call, *, new: bool) -> Value:
        """Calling (or `new`-ing) something imported from a package."""
        del callee, call, new
        return UNKNOWN

    def invoke(self, function: Function, call: Call) -> Value:
        """Calling a function of the repository (by default: what it returns)."""
        del call
        return self.returned(function)

    def parameter(self, path: str, scope: int, position: int) -> Value:
        """The value of a function parameter."""
        del path, scope, position
        return UNKNOWN

    def definition(self, path: str, node: Any, scope: int) -> tuple[str, Any, int]:
        """The expression or class a name stands for, with its file and scope.

        Names are followed through declarations and relative imports; the node itself comes back when it is not a
        name or cannot be followed.
        """
        last, name = (path, node, scope), None
        for _ in range(MAX_DEPTH):
            if name is None:
                while node.type in _UNWRAP and node.named_children:
                    node = node.named_children[0]
                last = (path, node, scope)
                if node.type != "identifier":
                    break
                name = node.text.decode("utf-8", "replace")
            mod = self.module(path)
            found = mod.lookup(name, scope) if mod is not None else None
            if found is None:
                break
            where, decl = found
            if decl.kind == "class":
                return path, decl.node, where
            if decl.kind == "value":
                node, scope, name = decl.node, where, None
                continue
            target = javascript.resolve_relative(path, decl.source, self._paths) if decl.kind == "import" else None
            exported = self.module(target) if target else None
            export = exported.exports.get(decl.key) if exported is not None else None
            if target is None or exported is None or export is None or export.source:
                break
            if export.local:
                path, scope, name = target, ROOT, export.local
            else:
                path, node, scope, name = target, export.node, exported.scope_of(export.node), None
        return last

    def value(self, path: str, node: Any, scope: int) -> Value:
        """The value of an expression node of a file, seen from a scope."""
        if node is None:
            return UNKNOWN
        key = (path, node.id)
        if key in self._memo:
            return self._memo[key]
        if self._depth >= MAX_DEPTH:
            return UNKNOWN
        self._depth += 1
        try:
            found = self._evaluate(path, node, scope)
        finally:
            self._depth -= 1
        self._memo[key] = found
        return found

    def _evaluate(self, path: str, node: Any, scope: int) -> Value:  # noqa: PLR0911 - one return per form
        kind = node.type
        mod = self.module(path)
        if mod is None:
            return UNKNOWN
        if kind in _UNWRAP:
            inner = node.named_children[0] if node.named_children else None
            return self.value(path, inner, scope) if inner is not None else UNKNOWN
        if kind in ("string", "template_string", "binary_expression"):
            text = self.text(path, node, scope)
            return Text(text) if text is not None else UNKNOWN
        if kind == "identifier":
            return self.name(path, mod.text(node), scope)
        if kind in ("member_expression", "subscript_expression"):
            key = self._key(mod, node)
            obj = node.child_by_field_name("object")
            return self.member(self.value(path, obj, scope), key) if key is not None and obj is not None else UNKNOWN
        if kind == "call_expression":
            return self._call(path, mod, node, scope)
        if kind == "new_expression":
            constructor, args = node.child_by_field_name("constructor"), node.child_by_field_name("arguments")
            callee = self.value(path, constructor, scope)
            return self.create(callee, self._context(path, node, scope, constructor, args), new=True) if isinstance(
                callee, Package) else UNKNOWN
        if kind in _FUNCTIONS:
            return Function(path, mod.function_scope(node))
        if kind == "object":
            return Object(path, node, scope)
        return UNKNOWN

    @staticmethod
    def _key(mod: JsModule, node: Any) -> str | None:
        if node.type == "member_expression":
            prop = node.child_by_field_name("property")
            return mod.text(prop) if prop is not None else None
        return string(mod.parsed, node.child_by_field_name("index"))

    def _call(self, path: str, mod: JsModule, node: Any, scope: int) -> Value:
        callee = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if callee is None or args is None:
            return UNKNOWN
        if callee.type == "import" or (callee.type == "identifier" and mod.text(callee) == "require"):
            first = args.named_children[0] if args.named_children else None
            spec = string(mod.parsed, first)
            return self.require(path, spec) if spec is not None else UNKNOWN
        context = self._context(path, node, scope, callee, args)
        if callee.type == "member_expression":
            receiver = self.value(path, callee.child_by_field_name("object"), scope)
            name = self._key(mod, callee) or ""
            if isinstance(receiver, Router):
                return self.method(receiver, name, context)
            target = self.member(receiver, name)
        else:
            target = self.value(path, callee, scope)
        if isinstance(target, Package):
            return self.create(target, context, new=False)
        if isinstance(target, Function):
            return self.invoke(target, context)
        return UNKNOWN

    @staticmethod
    def _context(path: str, node: Any, scope: int, callee: Any | None, args: Any | None) -> Call:
        """A call (or `new`) node with its callee and arguments, as a call being evaluated."""
        anchor = callee.child_by_field_name("property") if callee is not None and callee.type == "member_expression" \
            else node
        items = tuple(a for a in args.named_children if a.type != "comment") if args is not None else ()
        return Call(path=path, node=node, scope=scope, args=items, line=(anchor or node).start_point[0] + 1)

    def name(self, path: str, name: str, scope: int) -> Value:  # noqa: PLR0911 - one return per declaration kind
        """The value a name has in a scope of a file."""
        mod = self.module(path)
        found = mod.lookup(name, scope) if mod is not None else None
        if mod is None or found is None:
            return UNKNOWN
        where, decl = found
        if decl.kind == "value":
            return self.value(path, decl.node, where)
        if decl.kind == "member":
            return self.member(self.value(path, decl.node, where), decl.key)
        if decl.kind == "function":
            return Function(path, mod.function_scope(decl.node))
        if decl.kind == "import":
            return self.imported(path, decl.source, decl.key)
        if decl.kind == "param":
            return self.parameter(path, where, decl.position)
        return UNKNOWN

    def member(self, value: Value, key: str) -> Value:
        """`value.key`."""
        if isinstance(value, Package):
            return Package(value.spec, key) if value.name in ("default", "*") else UNKNOWN
        if isinstance(value, Module):
            return self.export(value.path, key)
        if isinstance(value, Object):
            return self._property(value, key)
        return UNKNOWN

    def _property(self, obj: Object, key: str) -> Value:
        mod = self.module(obj.path)
        if mod is None:
            return UNKNOWN
        for child in obj.node.named_children:
            if child.type == "pair":
                name = child.child_by_field_name("key")
                if name is not None and (string(mod.parsed, name) or mod.text(name)) == key:
                    return self.value(obj.path, child.child_by_field_name("value"), obj.scope)
            elif child.type == "shorthand_property_identifier" and mod.text(child) == key:
                return self.name(obj.path, key, obj.scope)
            elif child.type == "method_definition" and mod.text(child.child_by_field_name("name")) == key:
                return Function(obj.path, mod.function_scope(child))
        return UNKNOWN

    def require(self, importer: str, spec: str) -> Value:
        """What `require(spec)` or `import(spec)` gives in a file."""
        if not spec.startswith("."):
            return Package(spec, "default")
        target = javascript.resolve_relative(importer, spec, self._paths)
        return self.module_value(target) if target is not None else UNKNOWN

    def module_value(self, path: str) -> Value:
        """What requiring a file of the repository gives: its `module.exports`, else its namespace."""
        mod = self.module(path)
        if mod is None:
            return UNKNOWN
        if mod.commonjs is not None:
            return self.value(path, mod.commonjs, mod.scope_of(mod.commonjs))
        return Module(path)

    def imported(self, importer: str, spec: str, name: str) -> Value:
        """An ESM import binding."""
        if not spec.startswith("."):
            return Package(spec, name)
        target = javascript.resolve_relative(importer, spec, self._paths)
        if target is None:
            return UNKNOWN
        return Module(target) if name == "*" else self.export(target, name)

    def export(self, path: str, name: str) -> Value:
        """What a module exports under a name (CommonJS `module.exports` included)."""
        mod = self.module(path)
        if mod is None or (path, name) in self._active or self._depth >= MAX_DEPTH:
            return UNKNOWN
        self._active.add((path, name))
        self._depth += 1  # a chain of re-exports through many files is as deep as nested expressions
        try:
            return self._export(mod, path, name)
        finally:
            self._depth -= 1
            self._active.discard((path, name))

    def _export(self, mod: JsModule, path: str, name: str) -> Value:  # noqa: PLR0911 - one return per export form
        found = mod.exports.get(name)
        if found is not None:
            if found.source:
                return self.imported(path, found.source, found.imported)
            if found.local:
                return self.name(path, found.local, ROOT)
            if found.node.type in ("class_declaration", "function_declaration"):
                return Function(path, mod.function_scope(found.node)) if found.node.type != "class_declaration" \
                    else UNKNOWN
            return self.value(path, found.node, mod.scope_of(found.node))
        if mod.commonjs is not None:
            whole = self.value(path, mod.commonjs, mod.scope_of(mod.commonjs))
            return whole if name == "default" else self.member(whole, name)
        for source in mod.star_exports:
            value = self.imported(path, source, name)
            if not isinstance(value, Unknown):
                return value
        return UNKNOWN

    def returned(self, function: Function) -> Value:
        """What a function returns (an arrow's expression body, else its first top-level `return`)."""
        mod = self.module(function.path)
        if mod is None or function.scope == ROOT:
            return UNKNOWN
        body = mod.functions[function.scope].child_by_field_name("body")
        if body is None:
            return UNKNOWN
        if body.type != "statement_block":
            return self.value(function.path, body, function.scope)
        for statement in body.named_children:
            if statement.type == "return_statement" and statement.named_children:
                return self.value(function.path, statement.named_children[0], function.scope)
        return UNKNOWN

    def text(self, path: str, node: Any, scope: int) -> str | None:
        """A string value: a literal, a template or `+` of known strings, or a constant they name."""
        mod = self.module(path)
        if mod is None or node is None:
            return None
        if node.type == "string":
            return string(mod.parsed, node)
        if node.type == "template_string":
            parts = []
            for child in node.named_children:
                if child.type == "template_substitution":
                    value = self.value(path, child.named_children[0] if child.named_children else None, scope)
                    if not isinstance(value, Text):
                        return None
                    parts.append(value.value)
                else:
                    parts.append(mod.text(child))
            return "".join(parts)
        if node.type == "binary_expression" and mod.text(node.child_by_field_name("operator")) == "+":
            left = self.value(path, node.child_by_field_name("left"), scope)
            right = self.value(path, node.child_by_field_name("right"), scope)
            return left.value + right.value if isinstance(left, Text) and isinstance(right, Text) else None
        value = self.value(path, node, scope)
        return value.value if isinstance(value, Text) else None
