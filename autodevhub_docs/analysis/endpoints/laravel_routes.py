# Laravel endpoints from its route files, read with the tree-sitter PHP grammar. Which files are loaded, and
# under which prefix, comes from `bootstrap/app.php` `withRouting(web:, api:, apiPrefix:, health:)` (Laravel 11),
# else from the route groups of `app/Providers/RouteServiceProvider.php`, else from the skeleton's convention
# (`routes/web.php`, and `routes/api.php` under `/api`). In a file: `Route::get/post/put/patch/delete/options/any/
# match/view/redirect`, resources, and groups (`prefix()`, `controller()`, `middleware()`, `group([...])`) nested
# in closures or in other files (`require __DIR__.'/auth.php'`, `->group(base_path('routes/x.php'))`).
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.endpoints import php_values as php
from autodevhub_docs.analysis.endpoints.laravel_resources import ResourceSpec
from autodevhub_docs.analysis.endpoints.paths import join, normalise_path
from autodevhub_docs.model import Endpoint, SourceRef
from autodevhub_docs.parsing.treesitter import Parsed

MAX_FILE_DEPTH = 16
"""Deepest chain of route files loading route files."""
_ROOTS = frozenset({"Route", "Illuminate\\Support\\Facades\\Route", "$router", "$route"})
_VERBS = {"get": ("GET",), "post": ("POST",), "put": ("PUT",), "patch": ("PATCH",), "delete": ("DELETE",),
          "options": ("OPTIONS",), "any": ("ANY",)}
_RESOURCES = {"resource": (False, False), "apiResource": (True, False), "singleton": (False, True),
              "apiSingleton": (True, True)}
_MANY = {"resources": False, "apiResources": True}
_INCLUDES = frozenset({"require_expression", "require_once_expression", "include_expression",
                       "include_once_expression"})


@dataclass(frozen=True)
class _Group:
    """The attributes routes inherit from their enclosing groups."""

    prefix: str = ""
    controller: str = ""


def _class_name(value: Any) -> str:
    if isinstance(value, php.ClassRef):
        return value.name
    return str(value) if isinstance(value, str) else ""


class _Walker:
    """Reads route files in their groups and collects the endpoints."""

    def __init__(self, code: Codebase, app: str) -> None:
        self.code = code
        self.app = app
        self.tracked = frozenset(code.paths)
        self.endpoints: list[Endpoint] = []
        self.problems: list[str] = []
        self.files_read: list[str] = []
        self._loading: list[str] = []

    def file(self, path: str, group: _Group) -> None:
        if path in self._loading or len(self._loading) >= MAX_FILE_DEPTH:
            self.problems.append(f"{path}: loaded again from itself ({' -> '.join(self._loading)}); read once")
            return
        parsed = self.code.parse(path) if path in self.tracked else None  # only the repository's own files
        if parsed is None:
            self.problems.append(f"{path}: {'missing' if path not in self.tracked else 'unreadable'}")
            return
        self.files_read.append(path)
        self._loading.append(path)
        try:
            self.body(parsed, path, parsed.root, group)
        finally:
            self._loading.pop()

    def provider(self, path: str) -> None:
        """The route groups of a service provider, wherever its methods hold them.

        `Route::prefix('api')->group(base_path('routes/api.php'))` loads a file under a prefix.
        """
        parsed = self.code.parse(path)
        if parsed is None:
            self.problems.append(f"{path}: unreadable")
            return
        self.files_read.append(path)
        for statement in php.nodes(parsed, "expression_statement"):
            if statement.named_children and not _inside_route_chain(parsed, statement):
                self.chain(parsed, path, statement.named_children[0], _Group())

    def body(self, parsed: Parsed, path: str, node: Any, group: _Group) -> None:
        for expression in php.statements(node):
            if expression.type in _INCLUDES and expression.named_children:
                target = self.path_of(parsed, path, expression.named_children[0])
                if target:
                    self.file(target, group)
            else:
                self.chain(parsed, path, expression, group)

    def path_of(self, parsed: Parsed, path: str, node: Any) -> str:
        """A route file named by `__DIR__.'/x.php'`, `base_path('routes/x.php')` or a literal."""
        if node.type == "binary_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            tail = php.value(parsed, right) if right is not None else None
            if left is not None and parsed.text(left) == "__DIR__" and isinstance(tail, str):
                return posixpath.normpath(posixpath.join(posixpath.dirname(path), tail.lstrip("/")))
        if node.type == "function_call_expression":
            function = node.child_by_field_name("function")
            args, _ = php.arguments(parsed, node.child_by_field_name("arguments"))
            if function is not None and parsed.text(function) == "base_path" and args and isinstance(args[0], str):
                return posixpath.normpath(f"{self.app}{args[0].lstrip('/')}")
        literal = php.value(parsed, node)
        return posixpath.normpath(f"{self.app}{literal.lstrip('/')}") if isinstance(literal, str) else ""

    def chain(self, parsed: Parsed, path: str, node: Any, group: _Group) -> None:  # noqa: PLR0912 - one per call
        root, links = php.chain(parsed, node)
        if root not in _ROOTS:
            return
        attributes = group
        resources: list[ResourceSpec] = []
        resource_line = 0
        for link in links:
            name, args = link.name, link.args
            if resources:
                for spec in resources:
                    spec.apply(name, args)
            elif name == "prefix" and args and isinstance(args[0], str):
                attributes = _Group(prefix=join(attributes.prefix, args[0]), controller=attributes.controller)
            elif name == "controller" and args:
                attributes = _Group(prefix=attributes.prefix, controller=_class_name(args[0]))
            elif name == "group":
                self.group(parsed, path, link, attributes)
                return
            elif name in _VERBS or name in ("match", "view", "redirect", "permanentRedirect"):
                self.route(path, link, attributes)
                return
            elif name in _RESOURCES and len(args) >= 2:
                api, singleton = _RESOURCES[name]
                resources = [ResourceSpec(name=str(args[0]), controller=_class_name(args[1]), api=api,
                                          singleton=singleton)] if isinstance(args[0], str) else []
                for spec in resources:
                    spec.options(args[2] if len(args) > 2 and isinstance(args[2], dict) else {})
                resource_line = link.line
            elif name in _MANY and args and isinstance(args[0], dict):
                options = args[1] if len(args) > 1 and isinstance(args[1], dict) else {}
                resources = [ResourceSpec(name=key, controller=_class_name(value), api=_MANY[name])
                             for key, value in args[0].items()]
                for spec in resources:
                    spec.options(options)
                resource_line = link.line
        for spec in resources:
            for method, uri, action in spec.routes():
                self.add(method, join(attributes.prefix, uri), f"{spec.controller}@{action}", path, resource_line)

    def group(self, parsed: Parsed, path: str, link: php.Link, attributes: _Group) -> None:
        """`->group(fn)`, `->group('routes/x.php')` and `Route::group([...], fn)`."""
        callback = link.args[-1] if link.args else None
        if link.args and isinstance(link.args[0], dict):
            given = link.args[0]
            prefix = given.get("prefix")
            attributes = _Group(
                prefix=join(attributes.prefix, prefix) if isinstance(prefix, str) else attributes.prefix,
                controller=_class_name(given.get("controller")) or attributes.controller)
        if isinstance(callback, php.Closure):
            self.body(parsed, path, callback.node, attributes)
            return
        arguments = link.node.child_by_field_name("arguments")
        last = [a for a in (arguments.named_children if arguments is not None else []) if a.type == "argument"]
        target = self.path_of(parsed, path, last[-1].named_children[-1]) if last and last[-1].named_children else ""
        if target:
            self.file(target, attributes)

    def route(self, path: str, link: php.Link, attributes: _Group) -> None:
        name, args = link.name, list(link.args)
        if name == "match":
            methods = tuple(str(m).upper() for m in (args[0] if args and isinstance(args[0], list) else [args[0]]
                                                     if args else []) if isinstance(m, str))
            args = args[1:]
        elif name in ("view", "redirect", "permanentRedirect"):
            methods = ("GET",) if name == "view" else ("ANY",)  # redirect() registers `any`
        else:
            methods = _VERBS[name]
        if not args or not isinstance(args[0], str):
            return
        uri = args[0]
        target = args[1] if len(args) > 1 else link.named.get("action")
        if name == "view":
            handler = f"view {target}" if isinstance(target, str) else "view"
        elif name in ("redirect", "permanentRedirect"):
            handler = f"redirect to {target}" if isinstance(target, str) else "redirect"
        else:
            handler = _handler(target, attributes.controller)
        for method in methods:
            self.add(method, join(attributes.prefix, uri), handler, path, link.line)

    def add(self, method: str, path: str, handler: str, source: str, line: int) -> None:
        self.endpoints.append(Endpoint(method=method, path=normalise_path(path), handler=handler,
                                       framework="Laravel", source=SourceRef(path=source, line=line)))


def _inside_route_chain(parsed: Parsed, node: Any) -> bool:
    """Whether a statement lies in a closure given to a route call (its group reads it already)."""
    parent = node.parent
    while parent is not None:
        if parent.type == "expression_statement" and parent.named_children and php.chain(
                parsed, parent.named_children[0])[0] in _ROOTS:
            return True
        parent = parent.parent
    return False


def _handler(target: Any, controller: str) -> str:
    """`[C::class, 'show']` and `'C@show'` -> `C@show`; `C::class` -> `C` (invokable); a closure -> `closure`."""
    if isinstance(target, list) and len(target) == 2 and isinstance(target[1], str):
        return f"{_class_name(target[0])}@{target[1]}"
    if isinstance(target, php.ClassRef):
        return target.name
    if isinstance(target, str):
        return f"{controller}@{target}" if controller and "@" not in target else target
    if isinstance(target, php.Closure):
        return "closure"
    if isinstance(target, dict) and "uses" in target:
        return _handler(target["uses"], controller)
    return controller or "(unknown)"


def route_files(code: Codebase, app: str) -> tuple[list[tuple[str, str]], list[tuple[str, int, str]], bool]:
    """Route files with their prefix, `health:` routes `(path, line, file)`, and whether they are configured.

    Configured means `bootstrap/app.php` names them in `withRouting`; otherwise they are the skeleton's convention.
    """
    path = f"{app}bootstrap/app.php"
    parsed = code.parse(path)
    for node in php.nodes(parsed, "member_call_expression") if parsed is not None else []:
        name = node.child_by_field_name("name")
        if parsed is None or name is None or parsed.text(name) != "withRouting":
            continue
        _, named = php.arguments(parsed, node.child_by_field_name("arguments"))
        arguments = {arg.child_by_field_name("name"): arg for arg in node.child_by_field_name(
            "arguments").named_children if arg.type == "argument"}
        by_name = {parsed.text(k): v.named_children[-1] for k, v in arguments.items() if k is not None}
        walker = _Walker(code, app)
        prefix = named.get("apiPrefix") if isinstance(named.get("apiPrefix"), str) else "api"
        files = [(walker.path_of(parsed, path, by_name[key]), "" if key == "web" else str(prefix))
                 for key in ("web", "api") if key in by_name]
        health = named.get("health")
        return [(f, p) for f, p in files if f], ([(health, by_name["health"].start_point[0] + 1, path)]
                                                if isinstance(health, str) else []), True
    return [(f"{app}routes/web.php", ""), (f"{app}routes/api.php", "api")], [], False


class LaravelRoutes:
    """Laravel: `routes/*.php` in the groups that load them."""

    name = "Laravel"

    def run(self, code: Codebase) -> Found | None:
        """Read the routes of every Laravel application in the repository."""
        dependency = code.dependency("composer", ["laravel/framework", "laravel/lumen-framework"])
        route_dirs = {p.rsplit("routes/", 1)[0] for p in code.source_files("routes/web.php", "routes/api.php")}
        apps = sorted(route_dirs | ({""} if dependency is not None else set()))
        artisan = [f"{app}artisan" for app in apps if f"{app}artisan" in code.paths]
        if dependency is None and not artisan:
            return None
        evidence = ([Codebase.ref(dependency)] if dependency is not None else []) + [SourceRef(path=p) for p in artisan]
        endpoints: dict[tuple[str, str], Endpoint] = {}
        problems: list[str] = []
        files_read: list[str] = []
        for app in apps:
            walker = _Walker(code, app)
            files, health, configured = route_files(code, app)
            provider = f"{app}app/Providers/RouteServiceProvider.php"
            if not configured and provider in code.paths:
                walker.provider(provider)  # its groups load the route files, with their prefixes
            for path, prefix in files:
                if path not in walker.files_read and (configured or path in code.paths):
                    walker.file(path, _Group(prefix=prefix))
            for uri, line, source in health:
                walker.add("GET", uri, "health check", source, line)
            files_read += walker.files_read
            problems += walker.problems
            for endpoint in walker.endpoints:  # Laravel keeps the last route registered for a method and path
                endpoints[(endpoint.method, endpoint.path)] = endpoint
        return Found(framework="Laravel", evidence=tuple(evidence), files_read=tuple(files_read),
                     endpoints=tuple(endpoints.values()), problems=tuple(problems))


ADAPTERS = (LaravelRoutes(),)
