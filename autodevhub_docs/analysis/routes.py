# HTTP endpoints of Python web apps (FastAPI, Starlette, Flask, Django), with router prefixes resolved across
# files: APIRouter(prefix=), include_router(prefix=), Blueprint(url_prefix=), register_blueprint(url_prefix=),
# mount(), Django include(), and prefixes taken from string constants defined literally in the repository.
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from autodevhub_docs.analysis.pyscan import PyFile, call_name, dotted, keyword, statements
from autodevhub_docs.model import Endpoint, SourceRef

_ROUTER_CALLS = {"APIRouter": "FastAPI", "FastAPI": "FastAPI", "Flask": "Flask", "Blueprint": "Flask",
                 "Starlette": "Starlette", "Router": "Starlette", "APIBlueprint": "Flask", "Quart": "Flask"}
_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
_MARKERS = ("APIRouter", "FastAPI(", "Flask(", "Blueprint", "Starlette", "urlpatterns", "include_router",
            "add_url_rule", "add_api_route", "register_blueprint", "Router(")
_DECORATOR = re.compile(r"@\w+(?:\.\w+)*\.(?:get|post|put|patch|delete|head|options|trace|route|api_route|websocket)\(")
MAX_DEPTH = 12


def wants(text: str) -> bool:
    """Cheap test: could this file declare routers, routes or URL patterns?"""
    return any(marker in text for marker in _MARKERS) or _DECORATOR.search(text) is not None


@dataclass
class _Router:
    framework: str
    prefix: ast.expr | None
    is_app: bool


@dataclass
class _Route:
    owner: str
    methods: tuple[str, ...]
    path: ast.expr | None
    handler: str
    line: int


@dataclass
class _Include:
    parent: str
    child: ast.expr
    prefix: ast.expr | None
    kind: str  # include_router, register_blueprint, mount
    line: int


@dataclass
class _DjangoPattern:
    route: str
    view: str
    include: str | None
    line: int
    children: list[_DjangoPattern] = field(default_factory=list)


@dataclass
class _FileRoutes:
    routers: dict[str, _Router] = field(default_factory=dict)
    routes: list[_Route] = field(default_factory=list)
    includes: list[_Include] = field(default_factory=list)
    django: list[_DjangoPattern] | None = None
    drf: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    """Django REST framework routers: variable -> (prefix, viewset, line) registrations."""


class PythonRoutes:
    """Visitor for `pyscan.scan` that collects route declarations, then resolves them into endpoints."""

    def __init__(self) -> None:
        self.by_path: dict[str, _FileRoutes] = {}

    def visit(self, info: PyFile, tree: ast.Module, text: str) -> None:
        """Collect the routers, routes, includes and URL patterns of one file."""
        del text
        found = _FileRoutes()
        # Routers, routes and includes are all statements (assignments, decorated functions, bare calls), so
        # walking statements is enough and far cheaper than visiting every expression node.
        for node in statements(tree.body):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                self._assign(node, found)
            elif isinstance(node, ast.AnnAssign) and node.value is not None:  # router: APIRouter = APIRouter(...)
                self._assign(ast.Assign(targets=[node.target], value=node.value, lineno=node.lineno), found)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for deco in node.decorator_list:
                    route = _decorator_route(deco, node.name, node.lineno)
                    if route:
                        found.routes.append(route)
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) \
                    and isinstance(node.value.func, ast.Attribute):
                self._call(node.value, found)
        if found.routers or found.routes or found.includes or found.django is not None or found.drf:
            self.by_path[info.path] = found

    @staticmethod
    def _assign(node: ast.Assign, found: _FileRoutes) -> None:
        target = node.targets[0]
        is_list = isinstance(node.value, (ast.List, ast.Tuple))
        if isinstance(target, ast.Name) and target.id == "urlpatterns" and is_list:
            found.django = (found.django or []) + _django_patterns(node.value)  # type: ignore[arg-type]
            return
        name = call_name(node.value)
        if isinstance(target, ast.Name) and name in {"DefaultRouter", "SimpleRouter"}:
            found.drf[target.id] = []
            return
        if isinstance(target, ast.Name) and name in _ROUTER_CALLS and isinstance(node.value, ast.Call):
            call = node.value
            prefix = keyword(call, "prefix") or keyword(call, "url_prefix")
            found.routers[target.id] = _Router(_ROUTER_CALLS[name], prefix, name in {"FastAPI", "Flask", "Starlette",
                                                                                       "Quart"})
            routes = keyword(call, "routes")
            if isinstance(routes, (ast.List, ast.Tuple)):
                _starlette_routes(routes, target.id, "", found, node.lineno)

    @staticmethod
    def _call(node: ast.Call, found: _FileRoutes) -> None:
        func = node.func
        assert isinstance(func, ast.Attribute)  # noqa: S101 - checked by the caller
        owner = dotted(func.value)
        if owner is None:
            return
        args = node.args
        if func.attr == "register" and owner in found.drf and len(args) >= 2:
            word = args[0].value if isinstance(args[0], ast.Constant) and isinstance(args[0].value, str) else None
            if word is not None:
                found.drf[owner].append((word.strip("^$/"), dotted(args[1]) or "?", node.lineno))
            return
        if func.attr in {"include_router", "register_blueprint"} and args:
            prefix = keyword(node, "prefix") if func.attr == "include_router" else keyword(node, "url_prefix")
            found.includes.append(_Include(owner, args[0], prefix, func.attr, node.lineno))
        elif func.attr == "mount" and len(args) >= 2:
            found.includes.append(_Include(owner, args[1], args[0], "mount", node.lineno))
        elif func.attr == "add_api_route" and len(args) >= 2:
            found.routes.append(_Route(owner, _methods(keyword(node, "methods"), ("GET",)), args[0],
                                       dotted(args[1]) or "?", node.lineno))
        elif func.attr == "add_url_rule" and args:
            view = keyword(node, "view_func") or (args[2] if len(args) > 2 else None)
            found.routes.append(_Route(owner, _methods(keyword(node, "methods"), ("GET",)), args[0],
                                       (dotted(view) if view is not None else None) or "?", node.lineno))
        elif func.attr == "add_route" and len(args) >= 2:
            found.routes.append(_Route(owner, _methods(keyword(node, "methods"), ("GET",)), args[0],
                                       dotted(args[1]) or "?", node.lineno))

    def endpoints(self, files: dict[str, PyFile], constants: Constants) -> list[Endpoint]:
        """Resolve every collected route into endpoints with full paths."""
        modules = {info.module: info for info in files.values()}
        resolver = _Resolver(self.by_path, files, modules, constants)
        return resolver.fastapi_flask() + resolver.django()


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


def _starlette_routes(routes: ast.List | ast.Tuple, owner: str, prefix: str, found: _FileRoutes, line: int) -> None:
    for item in routes.elts:
        name = call_name(item)
        if not isinstance(item, ast.Call) or not item.args:
            continue
        path = item.args[0]
        literal = path.value if isinstance(path, ast.Constant) and isinstance(path.value, str) else None
        if name in {"Route", "WebSocketRoute"} and literal is not None:
            handler = (dotted(item.args[1]) if len(item.args) > 1 else None) or dotted(
                keyword(item, "endpoint") or ast.Constant("?")) or "?"
            methods = ("WEBSOCKET",) if name == "WebSocketRoute" else _methods(keyword(item, "methods"), ("GET",))
            found.routes.append(_Route(owner, methods, ast.Constant(prefix + literal), handler, item.lineno))
        elif name == "Mount" and literal is not None:
            sub = keyword(item, "routes")
            if isinstance(sub, (ast.List, ast.Tuple)):
                _starlette_routes(sub, owner, prefix + literal, found, line)


def _django_patterns(node: ast.List | ast.Tuple) -> list[_DjangoPattern]:
    patterns = []
    for item in node.elts:
        name = call_name(item)
        if name not in {"path", "re_path", "url"} or not isinstance(item, ast.Call) or len(item.args) < 2:
            continue
        route = item.args[0]
        if not (isinstance(route, ast.Constant) and isinstance(route.value, str)):
            continue
        text = route.value if name == "path" else route.value.lstrip("^").rstrip("$")
        view = item.args[1]
        if call_name(view) == "include" and isinstance(view, ast.Call) and view.args:
            target = view.args[0]
            if isinstance(target, (ast.List, ast.Tuple)):
                patterns.append(_DjangoPattern(text, "", None, item.lineno, _django_patterns(target)))
            elif isinstance(target, ast.Tuple) or (isinstance(target, ast.Constant) and isinstance(target.value, str)):
                patterns.append(_DjangoPattern(text, "", str(getattr(target, "value", "")), item.lineno))
            else:
                patterns.append(_DjangoPattern(text, "", "@" + (dotted(target) or ""), item.lineno))
            continue
        if isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute) and view.func.attr == "as_view":
            handler = dotted(view.func.value) or "?"
        else:
            handler = dotted(view) or ast.unparse(view)[:60]
        patterns.append(_DjangoPattern(text, handler, None, item.lineno))
    return patterns


class Constants:
    """String constants defined literally anywhere in the repository, to resolve prefixes like settings.API_V1."""

    def __init__(self, files: dict[str, PyFile]) -> None:
        self.by_module = {info.module: info.constants for info in files.values()}
        by_attr: dict[str, set[str]] = {}
        for info in files.values():
            for name, value in info.constants.items():
                by_attr.setdefault(name.rsplit(".", 1)[-1], set()).add(value)
        self.unique = {name: next(iter(values)) for name, values in by_attr.items() if len(values) == 1}

    def evaluate(self, node: ast.expr | None, info: PyFile, depth: int = 0) -> str:
        """Evaluate a string expression; parts that cannot be resolved are shown as `{expression}`."""
        if node is None:
            return ""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            return "".join(self.evaluate(v.value if isinstance(v, ast.FormattedValue) else v, info, depth)
                           for v in node.values)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.evaluate(node.left, info, depth) + self.evaluate(node.right, info, depth)
        name = dotted(node)
        if name is not None and depth < 4:
            value = self._lookup(name, info)
            if value is not None:
                return value
        return "{" + ast.unparse(node)[:60] + "}"

    def _lookup(self, name: str, info: PyFile) -> str | None:
        if name in info.constants:
            return info.constants[name]
        head, _, rest = name.partition(".")
        target = info.aliases.get(head)
        if target:
            full = f"{target}.{rest}" if rest else target
            module, _, attr = full.rpartition(".")
            if attr in self.by_module.get(module, {}):
                return self.by_module[module][attr]
        return self.unique.get(name.rsplit(".", 1)[-1])


def join(*parts: str) -> str:
    """Join URL path parts the way routers concatenate prefixes (no doubled slashes, one leading slash)."""
    text = "".join(parts)
    text = re.sub(r"/{2,}", "/", text)
    return text if text.startswith("/") else "/" + text


class _Resolver:
    def __init__(self, by_path: dict[str, _FileRoutes], files: dict[str, PyFile], modules: dict[str, PyFile],
                 constants: Constants) -> None:
        self.by_path, self.files, self.modules, self.constants = by_path, files, modules, constants

    def _router_key(self, expr: ast.expr, info: PyFile) -> tuple[str, str] | None:
        """Find which file and variable a router expression refers to."""
        name = dotted(expr)
        if name is None:
            return None
        local = self.by_path.get(info.path)
        if local and name in local.routers:
            return info.path, name
        head, _, rest = name.partition(".")
        target = info.aliases.get(head)
        if not target:
            return None
        full = f"{target}.{rest}" if rest else target
        module, _, var = full.rpartition(".")
        other = self.modules.get(module)
        if other and other.path in self.by_path and var in self.by_path[other.path].routers:
            return other.path, var
        return None

    def fastapi_flask(self) -> list[Endpoint]:
        children: dict[tuple[str, str], list[tuple[tuple[str, str], str, str]]] = {}
        included: set[tuple[str, str]] = set()
        for path, found in self.by_path.items():
            info = self.files[path]
            for inc in found.includes:
                parent = self._router_key(ast.parse(inc.parent, mode="eval").body, info)
                child = self._router_key(inc.child, info)
                if parent is None or child is None:
                    continue
                prefix = self.constants.evaluate(inc.prefix, info) if inc.prefix is not None else None
                kind = inc.kind
                children.setdefault(parent, []).append((child, "" if prefix is None else prefix,
                                                        kind + ("" if prefix is not None else ":own")))
                included.add(child)
        mounts: dict[tuple[str, str], set[str]] = {}

        def own(key: tuple[str, str]) -> str:
            router = self.by_path[key[0]].routers[key[1]]
            return self.constants.evaluate(router.prefix, self.files[key[0]]) if router.prefix is not None else ""

        def walk(key: tuple[str, str], mount: str, depth: int) -> None:
            if depth > MAX_DEPTH or mount in mounts.get(key, set()):
                return
            mounts.setdefault(key, set()).add(mount)
            for child, prefix, kind in children.get(key, []):
                if kind.startswith("register_blueprint") and not kind.endswith(":own"):
                    walk(child, mount + prefix, depth + 1)  # Flask: url_prefix replaces the blueprint's own
                else:
                    walk(child, mount + prefix + own(child), depth + 1)

        for path, found in self.by_path.items():
            for var in found.routers:
                if (path, var) not in included:
                    walk((path, var), own((path, var)), 0)
        endpoints = []
        for path, found in self.by_path.items():
            info = self.files[path]
            for route in found.routes:
                key = self._router_key(ast.parse(route.owner, mode="eval").body, info)
                if key is None:
                    continue
                framework = self.by_path[key[0]].routers[key[1]].framework
                route_path = self.constants.evaluate(route.path, info)
                for mount in sorted(mounts.get(key, {""})):
                    for method in route.methods:
                        endpoints.append(Endpoint(method=method, path=join(mount, route_path), handler=route.handler,
                                                  framework=framework, source=SourceRef(path=path, line=route.line)))
        return endpoints

    def django(self) -> list[Endpoint]:
        confs = {self.files[p].module: (p, f.django) for p, f in self.by_path.items() if f.django is not None}
        included: set[str] = set()
        for path, patterns in confs.values():
            aliases = self.files[path].aliases
            for target in _include_targets(patterns or []):
                included.add(aliases.get(target[1:].split(".", 1)[0], "") if target.startswith("@") else target)
        endpoints: list[Endpoint] = []

        def walk(module: str, prefix: str, depth: int) -> None:
            path, patterns = confs[module]
            self._django_list(patterns or [], prefix, path, depth, walk=walk, out=endpoints)

        for module in sorted(confs):
            if module not in included:
                walk(module, "/", 0)
        return endpoints

    def _drf_router(self, target: str, path: str) -> tuple[str, list[tuple[str, str, int]]] | None:
        """The DRF router an `include(router.urls)` names, in this file or imported, with its file."""
        if not target.startswith("@") or not target.endswith(".urls"):
            return None
        name = target[1:-5]
        local = self.by_path.get(path)
        if local and name in local.drf:
            return path, local.drf[name]
        alias = self.files[path].aliases.get(name.split(".", 1)[0], "")
        module, _, var = (alias + name[len(name.split(".", 1)[0]):]).rpartition(".")
        other = next((p for p, info in self.files.items() if info.module == module), None)
        if other and other in self.by_path and var in self.by_path[other].drf:
            return other, self.by_path[other].drf[var]
        return None

    def _django_list(self, patterns: list[_DjangoPattern], prefix: str, path: str, depth: int, *, walk: object,
                     out: list[Endpoint]) -> None:
        for pattern in patterns:
            full = join(prefix, pattern.route)
            if pattern.children:
                self._django_list(pattern.children, full, path, depth + 1, walk=walk, out=out)
            elif pattern.include is not None:
                target = pattern.include
                drf = self._drf_router(target, path)
                if drf is not None:
                    for resource, viewset, line in drf[1]:
                        for suffix, kind in (("/", "list"), ("/<pk>/", "detail")):
                            out.append(Endpoint(method="ANY", path=join(full, "/" + resource, suffix),
                                                handler=f"{viewset} ({kind})", framework="Django REST framework",
                                                source=SourceRef(path=drf[0], line=line)))
                    continue
                if target.startswith("@"):
                    alias = self.files[path].aliases.get(target[1:].split(".", 1)[0], "")
                    target = alias
                confs = {self.files[p].module for p, f in self.by_path.items() if f.django is not None}
                if target in confs and depth < MAX_DEPTH and callable(walk):
                    walk(target, full, depth + 1)
            else:
                out.append(Endpoint(method="ANY", path=full, handler=pattern.view, framework="Django",
                                    source=SourceRef(path=path, line=pattern.line)))


def _include_targets(patterns: list[_DjangoPattern]) -> set[str]:
    found = set()
    for pattern in patterns:
        if pattern.include:
            found.add(pattern.include)
        found |= _include_targets(pattern.children)
    return found
