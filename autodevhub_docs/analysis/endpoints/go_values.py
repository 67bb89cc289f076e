# The values the Go route reader tracks while it follows a program: routers (engines, groups, sub-routers,
# muxes) arranged in a tree of mounts, gorilla/mux routes being built, handlers wrapped in `http.StripPrefix`,
# objects whose methods can be found, functions and closures, and constant strings. Routes are kept relative to
# their router; full paths are only computed at the end, so a group that is mounted after its routes were
# declared, or a router returned by a function, still gets every prefix.
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from autodevhub_docs.analysis.endpoints.go_source import GoDecl, GoFile
from autodevhub_docs.analysis.endpoints.paths import join
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.treesitter import Parsed

MAX_MOUNT_DEPTH = 32
"""Deepest chain of routers mounted in one another that is followed (real apps nest a handful)."""


@dataclass(frozen=True)
class RouteDecl:
    """A route as declared on one router, its path relative to that router."""

    method: str
    """HTTP method in capitals, or `ANY`."""
    path: str
    """Path as written (parameters not yet normalised)."""
    handler: str
    """Handler expression."""
    source: SourceRef
    """The registration call."""


@dataclass(eq=False)
class Router:
    """A router of one framework: an engine, a group, a sub-router or a mux."""

    framework: str
    """Catalog name of the framework (`Gin`, `chi`, `net/http`...)."""
    source: SourceRef
    """Where it was created."""
    routes: list[RouteDecl] = field(default_factory=list)
    """Routes declared on it."""
    mounts: list[tuple[str, Router]] = field(default_factory=list)
    """Routers mounted under it, each with its prefix."""
    pending: list[MuxRoute] = field(default_factory=list)
    """gorilla/mux routes started on it (complete once a handler is set)."""
    methods: tuple[str, ...] = ()
    """Methods every route of a gorilla/mux sub-router is restricted to (`r.Methods("GET").Subrouter()`)."""
    mounted: bool = False
    """Whether it is mounted under another router (so it is not a root)."""

    def child(self, prefix: str, source: SourceRef, framework: str | None = None) -> Router:
        """A group or sub-router under this router."""
        sub = Router(framework=framework or self.framework, source=source)
        self.mount(prefix, sub)
        return sub

    def mount(self, prefix: str, sub: Router) -> None:
        """Mount a router under a prefix."""
        if sub is not self:
            sub.mounted = True
            self.mounts.append((prefix, sub))

    def add(self, method: str, path: str, handler: str, source: SourceRef) -> None:
        """Declare a route."""
        self.routes.append(RouteDecl(method=method.upper(), path=path, handler=handler, source=source))

    def finish(self) -> None:
        """Declare the gorilla/mux routes started on this router that got a handler."""
        for pending in self.pending:
            pending.finish(self)
        self.pending.clear()

    def resolved(self) -> Iterator[tuple[str, RouteDecl, str]]:
        """Every route under this router as (full path before normalisation, route, framework).

        Call `finish` on every router first: a finished gorilla/mux route may mount one router in another.
        """
        stack: list[tuple[Router, str, tuple[int, ...], tuple[str, ...]]] = [(self, "", (), ())]
        while stack:
            router, prefix, seen, methods = stack.pop()
            methods = router.methods or methods
            for route in router.routes:
                for method in (methods if route.method == "ANY" and methods else (route.method,)):
                    yield join(prefix, route.path), RouteDecl(method, route.path, route.handler,
                                                               route.source), router.framework
            if len(seen) >= MAX_MOUNT_DEPTH:
                continue
            for sub_prefix, sub in reversed(router.mounts):
                if id(sub) not in seen:
                    stack.append((sub, join(prefix, sub_prefix), (*seen, id(router)), methods))


@dataclass(eq=False)
class MuxRoute:
    """A gorilla/mux route being built: `r.HandleFunc(p, h).Methods("GET")`, `r.PathPrefix("/api")`..."""

    source: SourceRef
    """The call that started it."""
    owner: Router
    """Router it was started on."""
    path: str = ""
    """Path template (`Path`, `HandleFunc`, `Handle`) or prefix (`PathPrefix`)."""
    methods: tuple[str, ...] = ()
    """Methods it matches (none: every method)."""
    handler: str | None = None
    """Handler, once one is set."""
    target: Any = None
    """Value of the handler (a router or a StripPrefix wrapper mounts it)."""
    subrouter: Router | None = None
    """Sub-router made from it."""
    done: bool = False

    def finish(self, router: Router) -> None:
        """Turn the finished route into a declared route of its router (a mount when its handler is a router)."""
        if self.done or self.handler is None or self.subrouter is not None:
            return
        self.done = True
        inner = self.target.inner if isinstance(self.target, Stripped) else self.target
        if isinstance(inner, Router):
            prefix = self.target.prefix if isinstance(self.target, Stripped) else ""
            router.mount(prefix, inner)
            return
        for method in self.methods or ("ANY",):
            router.add(method, self.path, self.handler, self.source)


@dataclass(frozen=True, eq=False)
class Stripped:
    """`http.StripPrefix(prefix, handler)`: the handler sees paths without the prefix."""

    prefix: str
    """Prefix removed from the request path."""
    inner: Any
    """Value of the wrapped handler."""


@dataclass(eq=False)
class Obj:
    """A value of a known type of the program, whose methods and fields can be looked up."""

    package: str
    """Package (folder) of its type."""
    type_name: str
    """Type name ('' when unknown)."""
    fields: dict[str, Any] = field(default_factory=dict)
    """Fields assigned so far."""


@dataclass(frozen=True, eq=False)
class Func:
    """A function: a declaration, or a literal with the variables it closes over."""

    node: Any
    """`function_declaration`, `method_declaration` or `func_literal`."""
    file: GoFile
    """Where it is written."""
    closure: tuple[dict[str, Any], ...] = ()
    """Scopes a literal closes over (innermost last)."""
    decl: GoDecl | None = None
    """The declaration, for declared functions."""


@dataclass(frozen=True)
class Str:
    """A constant string."""

    value: str
    """Its value."""


@dataclass(frozen=True)
class Strs:
    """A constant list of strings (`[]string{"GET", "POST"}`)."""

    values: tuple[str, ...]
    """The strings."""


@dataclass(frozen=True)
class External:
    """A name from a package outside the repository (`gin.Default`, `http.MethodGet`)."""

    import_path: str
    """Import path of its package."""
    name: str
    """Exported name."""


def wrapped(result: Any, values: list[Any]) -> Any:
    """What a call gives when it is handed one router and returns none of its own: the router.

    Such a call wraps the router in middleware (`cors.Handler(r)`, `logging(next)`); the requests still reach
    the router's routes, so a mount of the result mounts the router.
    """
    if isinstance(result, (Router, Stripped)):
        return result
    routers = [v for v in values if isinstance(v, (Router, Stripped))]
    return routers[0] if len(routers) == 1 else result


def routers_in(values: list[Any]) -> bool:
    """Whether any of the values is a router (a call that passes one may register routes)."""
    return any(isinstance(v, Router) for v in values)


def string_literal(parsed: Parsed, node: Any) -> Str | None:
    """A Go string literal's value (a raw string, or one with no escape, is the text between its quotes)."""
    text = parsed.text(node)
    if len(text) >= 2 and (node.type == "raw_string_literal" or "\\" not in text):
        return Str(text[1:-1])
    value = parsed.literal(node)
    return Str(value) if value is not None else None


def element_value(item: Any) -> Any:
    """The expression of a composite literal element (`literal_element` wraps it)."""
    return item.named_children[0] if item.type == "literal_element" and item.named_child_count else item
