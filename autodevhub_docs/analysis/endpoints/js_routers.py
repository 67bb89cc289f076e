# Routers of the JS/TS web frameworks that build their routes in code (Express, Fastify, Koa, Hono), resolved across
# files. The value evaluator follows routers through declarations, scopes, imports and exports; a framework dialect
# says what calls on them mean (a route, a mount under a prefix). Routers form a graph, walked from the routers that
# nothing mounts to give every route its full paths.
#
# Linear by construction: each file's route-building calls come from the file's one index query and are visited
# innermost first (a chain never recurses through itself), every call is evaluated once, and mount fan-out and
# nesting are capped.
from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from autodevhub_docs.analysis import javascript
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.endpoints.paths import join, normalise_path
from autodevhub_docs.analysis.jsmodule import JsModule
from autodevhub_docs.analysis.jsvalues import (
    Call,
    Evaluator,
    Function,
    Module,
    Package,
    Router,
    Text,
    Value,
)
from autodevhub_docs.model import Endpoint, SourceRef

MAX_MOUNTS = 32
"""Most distinct prefixes one router is mounted under."""
MAX_NESTING = 16
"""Deepest router nesting followed."""
INLINE = "(inline handler)"
_PARAMETER_PATTERN = re.compile(r"(:\w+\??)(?:\([^()]*\)|\{[^{}]*\})")
"""A parameter's pattern (`:id(\\d+)` in Express and Fastify, `:id{[0-9]+}` in Hono): the name is what shows."""


@dataclass
class Group:
    """A router object (or a plugin's context)."""

    created: bool
    """Made by a framework factory (`express()`, `Router()`, `new Hono()`): a root when nothing mounts it."""
    prefix: str = ""
    """Its own prefix, applied wherever it is mounted (koa-router's `prefix`)."""


@dataclass(frozen=True, slots=True)
class Route:
    """One route registration."""

    group: int
    methods: tuple[str, ...]
    path: str
    handler: str
    source: SourceRef


class Dialect(Protocol):
    """What a framework means by its calls."""

    framework: str
    """Catalog name of the framework."""
    methods: frozenset[str]
    """Method names whose calls register or mount routes (`get`, `use`, `register`...), each one of the index's
    CALLED_METHODS."""

    def create(self, routers: Routers, callee: Package, call: Call, *, new: bool) -> Value:
        """The value of calling (or `new`-ing) something imported from a package."""
        ...

    def method(self, routers: Routers, receiver: Router, name: str, call: Call) -> Value:
        """Record what `receiver.name(...)` does and return its value."""
        ...


class Routers(Evaluator):
    """Evaluates a codebase's JS/TS files for one dialect and collects its routers, routes and mounts.

    Args:
        code: The codebase.
        dialect: The framework's meaning of calls.
    """

    def __init__(self, code: Codebase, dialect: Dialect) -> None:
        super().__init__(code)
        self.dialect = dialect
        self.groups: list[Group] = []
        self.routes: list[Route] = []
        self.mounts: list[tuple[int, str, int]] = []
        """(parent group, prefix, child group)."""
        self.files_read: list[str] = []
        self.shared: set[Function] = set()
        """Plugin functions that run in their parent's context (fastify-plugin): no prefix of their own applies."""
        self._group_of: dict[tuple[str, Any], int] = {}
        self._pending: deque[str] = deque()
        self._done: set[str] = set()

    def run(self, files: list[str]) -> list[Endpoint]:
        """The endpoints the files build, with full paths.

        The route-building calls of the files are evaluated, then those of every file their values lead to.
        """
        self._pending.extend(files)
        while self._pending:
            path = self._pending.popleft()
            if path in self._done:
                continue
            self._done.add(path)
            mod = self.module(path)
            if mod is None:
                continue  # the adapter reports the files that could not be parsed
            self.files_read.append(path)
            found = mod.calls(self.dialect.methods) + mod.nodes("plain_call")
            calls = sorted({n.id: n for n in found}.values(), key=lambda n: (n.start_byte, n.end_byte))
            for node, scope in zip(calls, mod.scopes_of(calls), strict=True):
                self.value(path, node, scope)
        return self.endpoints()

    def module(self, path: str) -> JsModule | None:
        """A file's index; a file first reached through a value (an import, a plugin folder) is read in turn."""
        if path in self._modules:
            return self._modules[path]
        if path not in self._done and javascript.is_script(path):
            self._pending.append(path)
        mod = super().module(path)
        if mod is not None:  # every file reached is read whole (`run`): its names are looked up in its index at once
            mod.read_whole()
        return mod

    def method(self, receiver: Router, name: str, call: Call) -> Value:
        """Hand a call on a router to the dialect."""
        return self.dialect.method(self, receiver, name, call)

    def create(self, callee: Package, call: Call, *, new: bool) -> Value:
        """Hand a call of a package's export to the dialect (a router factory, a plugin wrapper)."""
        return self.dialect.create(self, callee, call, new=new)

    def parameter(self, path: str, scope: int, position: int) -> Value:
        """A parameter is a router context of its own, mounted wherever a router is passed in."""
        return Router(self.group(path, ("param", scope, position), created=False))

    def invoke(self, function: Function, call: Call) -> Value:
        """Calling a function of the repository: a router passed in is what its parameter is inside."""
        for position, arg in enumerate(call.args):
            passed = self.value(call.path, arg, call.scope)
            if isinstance(passed, Router):
                self.mount(passed, "", Router(self.group(function.path, ("param", function.scope, position),
                                                         created=False)))
        return self.returned(function)

    def route_path(self, call: Call, node: Any) -> str | None:
        """A route or prefix argument: its string, `{name}` for a name that cannot be resolved, None otherwise."""
        text = self.text(call.path, node, call.scope)
        if text is not None:
            return text
        mod = self.module(call.path)
        if mod is not None and node.type in ("identifier", "member_expression"):
            return "{" + mod.text(node)[:60] + "}"
        return None

    def paths(self, call: Call, node: Any) -> list[str]:
        """The path (or every path of an array of paths) a route or prefix argument gives.

        A name that cannot be resolved is shown as `{name}`.
        """
        if node.type == "array":
            found = [self.route_path(call, item) for item in node.named_children]
            return [p for p in found if p is not None]
        text = self.route_path(call, node)
        return [text] if text is not None else []

    def prefixes(self, call: Call) -> tuple[list[str], tuple[Any, ...]]:
        """A mount call's prefixes (a leading string, template or array of strings) and the arguments after them."""
        if not call.args:
            return [""], ()
        first = call.args[0]
        if first.type == "array" or isinstance(self.value(call.path, first, call.scope), Text):
            return self.paths(call, first), call.args[1:]
        return [""], call.args

    def handler(self, call: Call, node: Any | None) -> str:
        """A handler's name (`controller.list`), or `(inline handler)` for a function written in place."""
        mod = self.module(call.path)
        depth = 0
        while mod is not None and node is not None and node.type == "call_expression" and depth < 8:
            callee = node.child_by_field_name("function")
            if callee is not None and callee.type == "member_expression" and mod.text(
                    callee.child_by_field_name("property")) == "bind":  # controller.list.bind(controller)
                node = callee.child_by_field_name("object")
                break
            args = [a for a in node.child_by_field_name("arguments").named_children if a.type != "comment"]
            node, depth = (args[-1] if args else None), depth + 1  # asyncHandler(controller.list)
        if mod is None or node is None or node.type not in ("identifier", "member_expression"):
            return INLINE
        return mod.text(node)[:80]

    def as_router(self, value: Value) -> Value:
        """A module's default export stands for the module where a router is expected (`require('./routes')`)."""
        return self.export(value.path, "default") if isinstance(value, Module) else value

    def group(self, path: str, key: Any, *, created: bool, prefix: str = "") -> int:
        """The router group made at a place (a call node's id, or a function parameter), made once."""
        found = self._group_of.get((path, key))
        if found is None:
            found = len(self.groups)
            self.groups.append(Group(created=created, prefix=prefix))
            self._group_of[(path, key)] = found
        return found

    def route(self, router: Router, methods: tuple[str, ...], path: str, handler: str, call: Call) -> None:
        """Record a route on a router (a Hono clone's base path comes first)."""
        if ":" in path:  # only a parameter has a pattern
            path = _PARAMETER_PATTERN.sub(r"\1", path)
        self.routes.append(Route(group=router.group, methods=methods, path=join(router.base, path) if router.base
                                 else path, handler=handler, source=SourceRef(path=call.path, line=call.line)))

    def mount(self, parent: Router, prefix: str, child: Value) -> None:
        """Record that a parent serves a child router's routes under a prefix."""
        child = self.as_router(child)
        if isinstance(child, Router) and child.group != parent.group:
            self.mounts.append((parent.group, join(parent.base, prefix) if parent.base else prefix, child.group))

    def endpoints(self) -> list[Endpoint]:
        """Every route under every prefix its router is reachable at, from the routers nothing mounts."""
        children: dict[int, list[tuple[str, int]]] = {}
        mounted = set()
        for parent, prefix, child in self.mounts:
            children.setdefault(parent, []).append((prefix, child))
            mounted.add(child)
        prefixes: dict[int, set[str]] = {}
        for root, group in enumerate(self.groups):
            if group.created and root not in mounted:
                for where, at in self._walk(root, children):
                    prefixes.setdefault(where, set()).add(at)
        found = []
        for route in self.routes:
            for mount in sorted(prefixes.get(route.group, ())):
                for method in route.methods:
                    found.append(Endpoint(method=method, path=normalise_path(join(mount, route.path)),
                                          handler=route.handler, framework=self.dialect.framework,
                                          source=route.source))
        return found

    def _walk(self, root: int, children: dict[int, list[tuple[str, int]]]) -> Iterator[tuple[int, str]]:
        seen: dict[int, set[str]] = {}
        stack = [(root, join(self.groups[root].prefix), 0)]
        while stack:
            group, at, depth = stack.pop()
            known = seen.setdefault(group, set())
            if at in known or len(known) >= MAX_MOUNTS or depth > MAX_NESTING:
                continue
            known.add(at)
            yield group, at
            for prefix, child in children.get(group, ()):
                stack.append((child, join(at, prefix, self.groups[child].prefix), depth + 1))
