# Routes of the Python frameworks that declare them on router objects (FastAPI, Starlette, Flask, Quart), with
# prefixes resolved across files: APIRouter(prefix=), include_router(prefix=), Blueprint(url_prefix=),
# register_blueprint(url_prefix=), mount(), Starlette Route/Mount lists, and prefixes taken from string constants
# defined literally in the repository. The visitor keeps each file's declarations; `endpoints` resolves them.
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from autodevhub_docs.analysis.codebase import Codebase, is_sample_path
from autodevhub_docs.analysis.endpoints import python_views
from autodevhub_docs.analysis.endpoints.paths import normalise_path
from autodevhub_docs.analysis.pyconstants import Constants
from autodevhub_docs.analysis.pyscan import PyFile, call_name, dotted, keyword, statements
from autodevhub_docs.analysis.pysymbols import Symbols
from autodevhub_docs.model import Endpoint, SourceRef

KEY = "routers"
"""Key of this visitor's facts in `PyFile.facts`."""
_FRAMEWORK_OF_MODULE = {"fastapi": "FastAPI", "flask": "Flask", "apiflask": "Flask", "starlette": "Starlette",
                        "quart": "Quart"}
_ROUTER_CLASSES = {"APIRouter": "FastAPI", "FastAPI": "FastAPI", "Flask": "Flask", "Blueprint": "Flask",
                   "APIBlueprint": "Flask", "APIFlask": "Flask", "Starlette": "Starlette", "Router": "Starlette",
                   "Quart": "Quart"}
_UNAMBIGUOUS = frozenset(_ROUTER_CLASSES) - {"Router", "Blueprint"}
"""Router classes recognised by name alone when their import cannot be followed (a `Router` may be anyone's)."""
_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
_MARKERS = ("APIRouter", "FastAPI(", "Flask(", "Blueprint", "Starlette", "Quart(", "include_router",
            "add_url_rule", "add_api_route", "register_blueprint", "Router(")
_DECORATOR = re.compile(r"@\w+(?:\.\w+)*\.(?:get|post|put|patch|delete|head|options|trace|route|api_route|websocket)\(")
MAX_DEPTH = 12


def wants(text: str) -> bool:
    """Cheap test: could this file declare routers, routes or includes?"""
    return any(marker in text for marker in _MARKERS) or _DECORATOR.search(text) is not None


@dataclass
class _Router:
    framework: str
    prefix: ast.expr | None
    line: int


@dataclass
class _Route:
    owner: str
    methods: tuple[str, ...]
    path: ast.expr | None
    handler: str
    line: int
    view_class: str | None = None
    """A class-based view (`UserAPI.as_view('users')`) whose handlers give the methods."""


@dataclass
class _Include:
    parent: str
    child: ast.expr
    prefix: ast.expr | None
    kind: str  # include_router, register_blueprint, mount
    line: int


@dataclass
class FileRoutes:
    """The routers, routes and includes one file declares."""

    routers: dict[str, _Router] = field(default_factory=dict)
    routes: list[_Route] = field(default_factory=list)
    includes: list[_Include] = field(default_factory=list)


def _framework(name: str, info: PyFile) -> str | None:
    """The framework of a router constructor, from its import (`fastapi.APIRouter`) or its unambiguous name."""
    head = name.split(".", 1)[0]
    last = name.rsplit(".", 1)[-1]
    target = info.aliases.get(head)
    if target is None:
        return _ROUTER_CLASSES.get(last) if last in _UNAMBIGUOUS and head == last else None
    full = target + name[len(head):]
    root = full.split(".", 1)[0]
    return _FRAMEWORK_OF_MODULE.get(root) if last in _ROUTER_CLASSES else None


def visit(info: PyFile, tree: ast.Module, text: str) -> None:
    """Collect the routers, routes and includes of one file."""
    del text
    found = FileRoutes()
    # Routers, routes and includes are all statements (assignments, decorated functions, bare calls), so walking
    # statements is enough and far cheaper than visiting every expression node.
    for node in statements(tree.body):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else getattr(
                node, "target", None)
            if isinstance(target, ast.Name) and isinstance(node.value, ast.Call):
                _assign(target.id, node.value, info, found)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for deco in node.decorator_list:
                route = _decorator_route(deco, node.name, node.lineno)
                if route:
                    found.routes.append(route)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) \
                and isinstance(node.value.func, ast.Attribute):
            _call(node.value, node.value.func, found)
    if found.routers or found.routes or found.includes:
        info.facts[KEY] = found


VISITOR = (wants, visit)


def _assign(name: str, call: ast.Call, info: PyFile, found: FileRoutes) -> None:
    constructor = dotted(call.func)
    framework = _framework(constructor, info) if constructor else None
    if framework is None:
        return
    found.routers[name] = _Router(framework, keyword(call, "prefix") or keyword(call, "url_prefix"), call.lineno)
    routes = keyword(call, "routes")
    if isinstance(routes, (ast.List, ast.Tuple)):
        _starlette_routes(routes, name, "", found)


def _call(node: ast.Call, func: ast.Attribute, found: FileRoutes) -> None:
    owner = dotted(func.value)
    if owner is None:
        return
    args = node.args
    if func.attr in {"include_router", "register_blueprint"} and args:
        prefix = keyword(node, "prefix") if func.attr == "include_router" else keyword(node, "url_prefix")
        found.includes.append(_Include(owner, args[0], prefix, func.attr, node.lineno))
    elif func.attr == "mount" and len(args) >= 2:
        found.includes.append(_Include(owner, args[1], args[0], "mount", node.lineno))
    elif func.attr in {"add_api_route", "add_route"} and len(args) >= 2:
        found.routes.append(_Route(owner, _methods(keyword(node, "methods"), ("GET",)), args[0],
                                   dotted(args[1]) or "?", node.lineno))
    elif func.attr == "add_url_rule" and args:
        view = keyword(node, "view_func") or (args[2] if len(args) > 2 else None)
        view_class = None
        if isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute) and view.func.attr == "as_view":
            view_class = dotted(view.func.value)
        handler = view_class or (dotted(view) if view is not None else None) or "?"
        methods = keyword(node, "methods")
        found.routes.append(_Route(owner, _methods(methods, ("GET",)), args[0], handler, node.lineno,
                                   view_class=view_class if methods is None else None))


def _methods(node: ast.expr | None, default: tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        found = tuple(e.value.upper() for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
        return found or default
    return default


def _decorator_route(deco: ast.expr, handler: str, line: int) -> _Route | None:
    if not isinstance(deco, ast.Call) or not isinstance(deco.func, ast.Attribute):
        return None
    owner = dotted(deco.func.value)
    attr = deco.func.attr
    path = deco.args[0] if deco.args else keyword(deco, "path") or keyword(deco, "rule")
    if owner is None or path is None:
        return None
    if attr in _METHODS:
        return _Route(owner, (attr.upper(),), path, handler, line)
    if attr == "websocket":
        return _Route(owner, ("WEBSOCKET",), path, handler, line)
    if attr in {"route", "api_route"}:
        return _Route(owner, _methods(keyword(deco, "methods"), ("GET",)), path, handler, line)
    return None


def _starlette_routes(routes: ast.List | ast.Tuple, owner: str, prefix: str, found: FileRoutes) -> None:
    for item in routes.elts:
        name = call_name(item)
        if not isinstance(item, ast.Call) or not item.args:
            continue
        path = item.args[0]
        literal = path.value if isinstance(path, ast.Constant) and isinstance(path.value, str) else None
        if name in {"Route", "WebSocketRoute"} and literal is not None:
            endpoint = item.args[1] if len(item.args) > 1 else keyword(item, "endpoint")
            handler = (dotted(endpoint) if endpoint is not None else None) or "?"
            methods = ("WEBSOCKET",) if name == "WebSocketRoute" else _methods(keyword(item, "methods"), ("GET",))
            found.routes.append(_Route(owner, methods, ast.Constant(prefix + literal), handler, item.lineno))
        elif name == "Mount" and literal is not None:
            sub = keyword(item, "routes")
            if isinstance(sub, (ast.List, ast.Tuple)):
                _starlette_routes(sub, owner, prefix + literal, found)


def _declared(code: Codebase) -> dict[str, FileRoutes]:
    return {path: info.facts[KEY] for path, info in code.python.items()
            if KEY in info.facts and not is_sample_path(path)}


def routers(code: Codebase, framework: str) -> list[SourceRef]:
    """Where routers or apps of a framework are constructed (`APIRouter(...)`, `Blueprint(...)`)."""
    return [SourceRef(path=path, line=router.line) for path, found in sorted(_declared(code).items())
            for router in found.routers.values() if router.framework == framework]


def endpoints(code: Codebase) -> list[Endpoint]:
    """Resolve every collected route into endpoints with full paths, each tagged with its framework."""
    return _Resolver(_declared(code), dict(code.python)).endpoints()


class _Resolver:
    def __init__(self, by_path: dict[str, FileRoutes], files: dict[str, PyFile]) -> None:
        self.by_path, self.files = by_path, files
        self.modules = {info.module: info for info in files.values()}
        self.constants = Constants(files)
        self.symbols = Symbols(files)

    def _router_key(self, name: str, info: PyFile) -> tuple[str, str] | None:
        """Which file and variable a router name refers to (local, or imported from another module)."""
        local = self.by_path.get(info.path)
        if local and name in local.routers:
            return info.path, name
        head, _, rest = name.partition(".")
        target = info.aliases.get(head)
        if not target:
            return None
        module, _, var = (f"{target}.{rest}" if rest else target).rpartition(".")
        other = self.modules.get(module)
        if other and other.path in self.by_path and var in self.by_path[other.path].routers:
            return other.path, var
        return None

    def _own(self, key: tuple[str, str]) -> str:
        router = self.by_path[key[0]].routers[key[1]]
        return self.constants.evaluate(router.prefix, self.files[key[0]]) if router.prefix is not None else ""

    def _mounts(self) -> dict[tuple[str, str], set[str]]:
        """Every full prefix each router is reachable under, from the routers nothing includes."""
        children: dict[tuple[str, str], list[tuple[tuple[str, str], str | None, str]]] = {}
        included: set[tuple[str, str]] = set()
        for path, found in self.by_path.items():
            info = self.files[path]
            for inc in found.includes:
                parent = self._router_key(inc.parent, info)
                child_name = dotted(inc.child)
                child = self._router_key(child_name, info) if child_name else None
                if parent is None or child is None:
                    continue
                prefix = self.constants.evaluate(inc.prefix, info) if inc.prefix is not None else None
                children.setdefault(parent, []).append((child, prefix, inc.kind))
                included.add(child)
        mounts: dict[tuple[str, str], set[str]] = {}

        def walk(key: tuple[str, str], mount: str, depth: int) -> None:
            if depth > MAX_DEPTH or mount in mounts.get(key, set()):
                return
            mounts.setdefault(key, set()).add(mount)
            for child, prefix, kind in children.get(key, []):
                if kind == "register_blueprint" and prefix is not None:
                    walk(child, mount + prefix, depth + 1)  # Flask: url_prefix replaces the blueprint's own
                else:
                    walk(child, mount + (prefix or "") + self._own(child), depth + 1)

        for path, found in self.by_path.items():
            for var in found.routers:
                if (path, var) not in included:
                    walk((path, var), self._own((path, var)), 0)
        return mounts

    def endpoints(self) -> list[Endpoint]:
        mounts = self._mounts()
        found_endpoints = []
        for path, found in self.by_path.items():
            info = self.files[path]
            for route in found.routes:
                key = self._router_key(route.owner, info)
                if key is None:
                    continue
                framework = self.by_path[key[0]].routers[key[1]].framework
                route_path = self.constants.evaluate(route.path, info)
                for mount in sorted(mounts.get(key, {""})):
                    for method, handler in self._methods(route, info):
                        found_endpoints.append(Endpoint(
                            method=method, path=normalise_path(mount + route_path), handler=handler,
                            framework=framework, source=SourceRef(path=path, line=route.line)))
        return found_endpoints

    def _methods(self, route: _Route, info: PyFile) -> list[tuple[str, str]]:
        """(method, handler) pairs of a route; a class-based view's come from the handlers it defines."""
        if route.view_class is not None:
            cls = self.symbols.cls(self.symbols.qualify(route.view_class, info.module))
            served = python_views.handlers(self.symbols, cls) if cls is not None else None
            if served:
                return [(m, f"{route.handler}.{h}") for m, h in served.items()]
        return [(m, route.handler) for m in route.methods]
