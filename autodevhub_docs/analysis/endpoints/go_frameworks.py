# The routing APIs of the Go web frameworks, as their documentation describes them: which constructors make a
# router, which methods declare a route (and where the path, method and handler are among the arguments), which
# make a group or sub-router, and which mount one router under another.
#   net/http     HandleFunc/Handle (Go 1.22 patterns "GET /items/{id}"), NewServeMux, StripPrefix
#   Gin          GET/POST/..., Any, Handle(method, path), Match(methods, path), Group
#   Echo         GET/POST/..., Any, Add(method, path), Match(methods, path), Group
#   Fiber        Get/Post/..., All, Add(method(s), path), Group, Route(prefix, func), Mount/Use(prefix, app)
#   chi          Get/Post/..., Handle/HandleFunc, Method/MethodFunc, Route(prefix, func), Mount, Group(func), With
#   gorilla/mux  HandleFunc/Handle/Path/PathPrefix(...).Methods(...).Handler[Func](...), Subrouter
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from autodevhub_docs.analysis.endpoints.go_values import External, Func, MuxRoute, Router, Str, Stripped, wrapped
from autodevhub_docs.model import SourceRef

if TYPE_CHECKING:
    from autodevhub_docs.analysis.endpoints.go_site import Runner, Site

PACKAGES = {
    "net/http": "net/http", "github.com/gin-gonic/gin": "Gin", "github.com/labstack/echo": "Echo",
    "github.com/gofiber/fiber": "Fiber", "github.com/go-chi/chi": "chi", "github.com/gorilla/mux": "gorilla/mux",
}
"""Import path (without its `/vN` major-version suffix) -> framework."""
_CONSTRUCTORS = {"net/http": {"NewServeMux"}, "Gin": {"Default", "New"}, "Echo": {"New"}, "Fiber": {"New"},
                 "chi": {"NewRouter", "NewMux"}, "gorilla/mux": {"NewRouter"}}
_ROUTER_TYPES = {"net/http": {"ServeMux"}, "Gin": {"Engine", "RouterGroup", "IRouter", "IRoutes"},
                 "Echo": {"Echo", "Group"}, "Fiber": {"App", "Router", "Group"}, "chi": {"Router", "Mux"},
                 "gorilla/mux": {"Router"}}
_UPPER_VERBS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE"})
_TITLE_VERBS = {verb.title(): verb for verb in _UPPER_VERBS}
_GIN_VERBS = _UPPER_VERBS - {"CONNECT", "TRACE"}
_MUX_ROUTE_KEEPS = frozenset({"Name", "Host", "Headers", "HeadersRegexp", "Queries", "Schemes", "MatcherFunc",
                              "BuildOnly", "BuildVarsFunc"})
"""gorilla/mux matchers that narrow a route without changing its path or methods."""
_METHOD_PATTERN = re.compile(r"^([A-Z]+)\s+(.*)$")


def framework_of(import_path: str) -> str | None:
    """The framework of an import path (`github.com/labstack/echo/v4` is Echo), or None."""
    base = re.sub(r"/v\d+$", "", import_path)
    return PACKAGES.get(base)


def router_type(import_path: str, name: str) -> str | None:
    """The framework whose router type this is (`*gin.RouterGroup`, `chi.Router`...), or None."""
    framework = framework_of(import_path)
    return framework if framework and name in _ROUTER_TYPES[framework] else None


def go_pattern(path: str) -> str:
    """A Go route path before normalisation: `{$}` (end of path) dropped, `{name...}` (rest of path) as `{name}`."""
    return re.sub(r"\{(\w+)\.\.\.\}", r"{\1}", path.replace("{$}", ""))


def external_value(interpreter: Runner, import_path: str, name: str, source: SourceRef) -> Any:
    """A name of an outside package used as a value: `http.MethodGet` is "GET", `http.DefaultServeMux`."""
    if import_path == "net/http":
        if name.startswith("Method") and name[6:].upper() in _UPPER_VERBS:
            return Str(name[6:].upper())
        if name == "DefaultServeMux":
            return _default_mux(interpreter, source)
    return External(import_path, name)


def _default_mux(interpreter: Runner, source: SourceRef) -> Router:
    """The mux `http.HandleFunc` registers on (one per program)."""
    if interpreter.default_mux is None:
        interpreter.default_mux = interpreter.new_router("net/http", source)
    return interpreter.default_mux


def external_call(site: Site, import_path: str, name: str) -> Any:
    """A call of a function of an outside package: router constructors, `http.HandleFunc`, `http.StripPrefix`."""
    framework = framework_of(import_path)
    interpreter = site.runner
    if framework and name in _CONSTRUCTORS[framework]:
        return interpreter.new_router(framework, site.ref)
    if framework == "net/http":
        if name in ("HandleFunc", "Handle"):
            return _serve_mux(site, _default_mux(interpreter, site.ref), name)
        if name == "StripPrefix":
            prefix = site.value(0)
            return Stripped(prefix.value if isinstance(prefix, Str) else "", site.value(1))
        if name == "HandlerFunc":
            return site.value(0)
    values = [site.value(index) for index in range(len(site.args))]
    for value in values:
        if isinstance(value, Func) and value.node.type == "func_literal":
            interpreter.call(value, [])
    return wrapped(None, values)


def method_call(site: Site, receiver: Router | MuxRoute, name: str) -> Any:
    """A method call on a router or a gorilla/mux route."""
    if isinstance(receiver, MuxRoute):
        return _mux_route(site, receiver, name)
    framework = receiver.framework
    if framework == "net/http":
        return _serve_mux(site, receiver, name) if name in ("HandleFunc", "Handle") else None
    if framework == "gorilla/mux":
        return _gorilla(site, receiver, name)
    if framework == "chi":
        return _chi(site, receiver, name)
    return _grouping(site, receiver, name)


def _route(site: Site, router: Router, method: str, path_index: int, handler_index: int) -> Router:
    path = site.string(path_index, router.framework)
    if path is not None:
        source = site.ref
        router.add(method, path, site.handler(handler_index), source)
        site.runner.registered(router.framework, source)
    return router


def _serve_mux(site: Site, mux: Router, name: str) -> None:
    pattern = site.string(0, "net/http")
    if pattern is None:
        return
    target = site.value(1) if name == "Handle" else None
    inner = target.inner if isinstance(target, Stripped) else target
    if isinstance(inner, Router):
        mux.mount(target.prefix if isinstance(target, Stripped) else "", inner)
        return
    method, path = "ANY", pattern.strip()
    matched = _METHOD_PATTERN.match(path)
    if matched:
        method, path = matched.group(1), matched.group(2).strip()
    if not path.startswith("/"):
        path = "/" + path.partition("/")[2]  # a pattern may start with a host: "example.com/items"
    mux.add(method, path, site.handler(1), site.ref)
    site.runner.registered("net/http", site.ref)


def _grouping(site: Site, router: Router, name: str) -> Any:  # noqa: PLR0911, PLR0912 - one branch per API
    """Gin, Echo and Fiber: verbs, Any/All, Handle/Add, Match, Group, Route, Mount and Use."""
    framework = router.framework
    last = -1 if framework in ("Gin", "Fiber") else 1  # Echo takes middleware after the handler
    verb = _TITLE_VERBS.get(name) if framework == "Fiber" else name if name in _UPPER_VERBS else None
    if verb and (framework != "Gin" or verb in _GIN_VERBS):
        return _route(site, router, verb, 0, last)
    if name == ("All" if framework == "Fiber" else "Any"):
        return _route(site, router, "ANY", 0, last)
    if name in ("Handle", "Add") and (framework == "Gin") == (name == "Handle"):
        methods = site.strings(0)
        for method in methods:
            _route(site, router, method, 1, -1 if framework != "Echo" else 2)
        return router
    if name == "Match":
        for method in site.strings(0):
            _route(site, router, method, 1, -1 if framework != "Echo" else 2)
        return router
    interpreter = site.runner
    if name == "Group":
        prefix = site.string(0, framework)
        return interpreter.child(router, prefix or "", site.ref) if prefix is not None else None
    if framework == "Fiber" and name == "Route":
        prefix = site.string(0, framework)
        sub = interpreter.child(router, prefix or "", site.ref)
        function = site.value(1)
        if isinstance(function, Func):
            interpreter.call(function, [sub])
        return sub
    if framework == "Fiber" and name in ("Mount", "Use"):
        values = [site.value(i) for i in range(len(site.args))]
        prefix = next((v.value for v in values if isinstance(v, Str)), "")
        for value in values:
            if isinstance(value, Router):
                router.mount(prefix, value)
                interpreter.registered(framework, site.ref)
        return router
    if framework == "Gin" and name == "Use":
        return router
    return None


def _chi(site: Site, router: Router, name: str) -> Any:  # noqa: PLR0911 - one return per API
    interpreter = site.runner
    if name in _TITLE_VERBS:
        return _route(site, router, _TITLE_VERBS[name], 0, 1)
    if name in ("Handle", "HandleFunc"):
        return _route(site, router, "ANY", 0, 1)
    if name in ("Method", "MethodFunc"):
        for method in site.strings(0):
            _route(site, router, method, 1, 2)
        return None
    if name in ("Route", "Group"):
        prefix = site.string(0, "chi") if name == "Route" else ""
        sub = interpreter.child(router, prefix or "", site.ref)
        function = site.value(1 if name == "Route" else 0)
        if isinstance(function, Func):
            interpreter.call(function, [sub])
        return sub
    if name == "With":
        return interpreter.child(router, "", site.ref)
    if name == "Mount":
        prefix, target = site.string(0, "chi"), site.value(1)
        inner = target.inner if isinstance(target, Stripped) else target
        if prefix is not None and isinstance(inner, Router):
            router.mount(prefix, inner)
            interpreter.registered("chi", site.ref)
        return None
    return None


def _gorilla(site: Site, router: Router, name: str) -> Any:
    if name in ("HandleFunc", "Handle", "Path", "PathPrefix", "NewRoute", "Methods") or name in _MUX_ROUTE_KEEPS:
        route = MuxRoute(source=site.ref, owner=router)
        router.pending.append(route)
        site.runner.registered("gorilla/mux", site.ref)
        return _mux_route(site, route, name)
    if name in ("StrictSlash", "SkipClean", "UseEncodedPath"):
        return router
    return None


def _mux_route(site: Site, route: MuxRoute, name: str) -> Any:
    if name in ("HandleFunc", "Handle", "Path", "PathPrefix"):
        path = site.string(0, "gorilla/mux")
        if path is None:
            route.done = True  # its path is unknown: it declares nothing
            return route
        route.path += path
        if name in ("HandleFunc", "Handle"):
            route.handler, route.target = site.handler(1), site.value(1) if name == "Handle" else None
        return route
    if name == "Methods":
        route.methods = tuple(m.upper() for i in range(len(site.args)) for m in site.strings(i))
        return route
    if name in ("Handler", "HandlerFunc"):
        route.handler, route.target = site.handler(0), site.value(0) if name == "Handler" else None
        return route
    if name == "Subrouter":
        sub = site.runner.child(route.owner, route.path, site.ref)
        sub.methods = route.methods
        route.subrouter = sub
        return sub
    return route if name in _MUX_ROUTE_KEEPS else None
