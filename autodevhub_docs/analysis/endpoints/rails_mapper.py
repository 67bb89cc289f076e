# The Rails routing DSL evaluated as ActionDispatch's Mapper evaluates it (Rails guide "Rails Routing from the
# Outside In", and `action_dispatch/routing/mapper.rb`): a chain of scopes carrying the path, the shallow path,
# the controller module and the scope level, resources that expand to the seven documented actions (five in an
# API-only app), member/collection/new/nested scopes, shallow nesting and verb routes. It works on plain values
# (see `ruby_values`), so the routes file walker and the Devise expansion drive the same code.
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from autodevhub_docs.analysis.endpoints.inflect import pluralize, singularize
from autodevhub_docs.analysis.endpoints.paths import normalise_path
from autodevhub_docs.analysis.endpoints.ruby_values import Code, Sym, words
from autodevhub_docs.model import SourceRef

RESOURCE_OPTIONS = frozenset({"as", "controller", "path", "only", "except", "param", "concerns"})
"""Options `resources` keeps for itself; every other option opens a scope around it (`module:`, `shallow:`...)."""
CANONICAL_ACTIONS = frozenset({"index", "create", "new", "show", "update", "destroy"})
"""Actions that add no segment to their scope's path."""
_RESOURCE_SCOPES = frozenset({"resources", "resource"})
_METHOD_SCOPES = frozenset({"collection", "member", "new"})
_VERBS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE", "options": "OPTIONS",
          "head": "HEAD"}
_SLASHES = re.compile(r"/{2,}")
_SHORTHAND = re.compile(r"/?[-\w]+/[-\w/]+")
_LAST_SEGMENT = re.compile(r"/([^/]*)$")
_ACTION = re.compile(r"[\w\-]+")
MAX_OPTIONAL_VARIANTS = 8
"""Most paths one route with optional segments (`photos(/:page)`) expands to."""


@dataclass(frozen=True)
class Route:
    """One route the DSL declared: method, full path, `controller#action`, and where it was declared."""

    method: str
    path: str
    handler: str
    source: SourceRef


@dataclass(frozen=True)
class Resource:
    """A `resources` (plural) or `resource` (singular) declaration."""

    name: str
    singleton: bool
    path: str
    controller: str
    param: str
    shallow: bool
    actions: tuple[str, ...]

    @property
    def singular(self) -> str:
        """Member name (`article` for `resources :articles`)."""
        return self.name if self.singleton else singularize(self.name)

    @property
    def member_scope(self) -> str:
        """Path of the member routes."""
        return self.path if self.singleton else f"{self.path}/:{self.param}"

    @property
    def nested_scope(self) -> str:
        """Path under which nested routes live (`articles/:article_id`)."""
        return self.path if self.singleton else f"{self.path}/:{self.singular}_{self.param}"


@dataclass(frozen=True)
class Scope:
    """One frame of the Mapper's scope chain, with every inherited value resolved."""

    path: str = ""
    shallow_path: str = ""
    module: str = ""
    controller: str = ""
    action: str = ""
    path_names: Mapping[str, str] = field(default_factory=dict)
    shallow: bool = False
    level: str = ""
    resource: Resource | None = None
    shallow_depth: int = 0
    """Enclosing resources that are shallow (Rails' `shallow_nesting_depth`)."""
    via: tuple[str, ...] = ()
    action_options: Mapping[str, Any] = field(default_factory=dict)


Body = Callable[[Scope], None]
"""The statements of a block, evaluated in a scope."""


def _with(scope: Scope, **changes: Any) -> Scope:
    """A copy of a scope with some values changed.

    This is `dataclasses.replace` without its per-call introspection: the Mapper makes scopes for every route.
    """
    new = object.__new__(Scope)
    new.__dict__.update(scope.__dict__, **changes)
    return new


def _merge_path(parent: str, child: Any) -> str:
    text = f"{parent}/{child}" if child not in (None, "") else parent
    return _SLASHES.sub("/", text).rstrip("/")


class Mapper:
    """Evaluates routing calls and collects the routes they declare.

    Args:
        api_only: The application sets `config.api_only = true` (resources have no `new` and `edit`).
    """

    def __init__(self, *, api_only: bool) -> None:
        self.api_only = api_only
        self.routes: list[Route] = []
        self.problems: list[str] = []
        self.concerns: dict[str, Body] = {}
        self._active_concerns: set[str] = set()

    def scope(self, scope: Scope, args: list[Any], options: Mapping[str, Any], body: Body) -> None:
        """`scope 'path', module: 'x', ... do ... end`."""
        opts = dict(options)
        if args:
            opts["path"] = "/".join(str(a) for a in args if isinstance(a, str))
        if scope.level != "nested" and "path" in opts:
            opts.setdefault("shallow_path", opts["path"])
        changes: dict[str, Any] = {}
        if isinstance(opts.get("path"), str):
            changes["path"] = _merge_path(scope.path, opts["path"])
        if isinstance(opts.get("shallow_path"), str):
            changes["shallow_path"] = _merge_path(scope.shallow_path, opts["shallow_path"])
        if isinstance(opts.get("module"), str):
            changes["module"] = f"{scope.module}/{opts['module']}" if scope.module else str(opts["module"])
        for key in ("controller", "action"):
            if isinstance(opts.get(key), str):
                changes[key] = str(opts[key])
        if isinstance(opts.get("path_names"), dict):
            changes["path_names"] = {**scope.path_names, **{k: str(v) for k, v in opts["path_names"].items()}}
        if "shallow" in opts:
            changes["shallow"] = opts["shallow"] is True
        if "via" in opts:
            changes["via"] = tuple(words(opts["via"]))
        if "only" in opts or "except" in opts:
            changes["action_options"] = {k: opts[k] for k in ("only", "except") if k in opts}
        body(_with(scope, **changes))

    def namespace(self, scope: Scope, name: Any, options: Mapping[str, Any], body: Body) -> None:
        """`namespace :admin do ... end`: path, controller module and shallow path all take the name."""
        if scope.level in _RESOURCE_SCOPES:
            self.nested(scope, lambda s: self.namespace(s, name, options, body))
            return
        opts = dict(options)
        path = str(name)
        inner = {"module": path, "shallow_path": opts.get("path", path), **opts}
        at = _with(scope, path=_merge_path(scope.path, inner.pop("path", path)))
        self.scope(at, [], inner, body)

    def shallow(self, scope: Scope, body: Body) -> None:
        """`shallow do ... end`."""
        body(_with(scope, shallow=True))

    def resources(self, scope: Scope, names: list[Any], options: Mapping[str, Any], body: Body | None,
                  at: SourceRef, *, singleton: bool) -> None:
        """`resources :articles, ...` (or `resource :profile` when `singleton`)."""
        names = [n for n in names if isinstance(n, str)]
        if not names:
            return

        def again(inner: Scope, opts: Mapping[str, Any] = options) -> None:
            self.resources(inner, names, opts, body, at, singleton=singleton)

        if len(names) > 1:
            for one in names:
                self.resources(scope, [one], options, body, at, singleton=singleton)
            return
        if options.get("shallow") is True:
            rest = {k: v for k, v in options.items() if k != "shallow"}
            self.shallow(scope, lambda s: again(s, rest))
            return
        if scope.level in _RESOURCE_SCOPES:
            self.nested(scope, again)
            return
        outer = {k: v for k, v in options.items() if k not in RESOURCE_OPTIONS}
        if outer:
            own = {k: v for k, v in options.items() if k in RESOURCE_OPTIONS}
            self.scope(scope, [], outer, lambda s: again(s, own))
            return
        resource = self._resource(scope, str(names[0]), options, singleton=singleton)
        inner = _with(scope, level="resource" if singleton else "resources", resource=resource,
                        controller=resource.controller, shallow_depth=scope.shallow_depth + resource.shallow)
        if body is not None:
            body(inner)
        self.concern_calls(inner, words(options.get("concerns", [])), at)
        self._default_routes(inner, resource, at)

    def _resource(self, scope: Scope, name: str, options: Mapping[str, Any], *, singleton: bool) -> Resource:
        if singleton:
            defaults = ("show", "create", "update", "destroy") + (() if self.api_only else ("new", "edit"))
        else:
            defaults = ("index", "create", "show", "update", "destroy") + (() if self.api_only else ("new", "edit"))
        chosen = options if ("only" in options or "except" in options) else scope.action_options
        actions = tuple(words(chosen["only"])) if "only" in chosen else defaults
        if "except" in chosen:
            excluded = set(words(chosen["except"]))
            actions = tuple(a for a in actions if a not in excluded)
        controller = options.get("controller")
        path = options.get("path")
        return Resource(name=name, singleton=singleton, path=str(path) if isinstance(path, str) else name,
                        controller=str(controller) if isinstance(controller, str) else (
                            pluralize(name) if singleton else name),
                        param=str(options.get("param") or "id"), shallow=scope.shallow, actions=actions)

    def _default_routes(self, scope: Scope, resource: Resource, at: SourceRef) -> None:
        def routes(pairs: tuple[tuple[str, str], ...]) -> Body:
            def add(inner: Scope) -> None:
                for verb, action in pairs:
                    if action in resource.actions:  # `get :index` in a collection scope, without `match`'s parsing
                        self._add(inner, action, None, {"via": verb}, at)
            return add

        if not resource.singleton:
            self.collection(scope, routes((("get", "index"), ("post", "create"))))
        self.new(scope, routes((("get", "new"),)))
        self.member(scope, routes((("get", "edit"), ("get", "show"), ("patch", "update"), ("put", "update"),
                                   ("delete", "destroy"))))
        if resource.singleton:
            self.collection(scope, routes((("post", "create"),)))

    def _shallow_scope(self, scope: Scope) -> Scope:
        return _with(scope, path=scope.shallow_path)

    def _is_shallow(self, scope: Scope) -> bool:
        return scope.resource is not None and not scope.resource.singleton and scope.shallow

    def collection(self, scope: Scope, body: Body) -> None:
        """`collection do ... end` (or `on: :collection`)."""
        if scope.resource is not None:
            body(_with(scope, level="collection", path=_merge_path(scope.path, scope.resource.path)))

    def member(self, scope: Scope, body: Body) -> None:
        """`member do ... end` (or `on: :member`); shallow resources put members under the shallow path."""
        if scope.resource is not None:
            base = self._shallow_scope(scope) if self._is_shallow(scope) else scope
            body(_with(base, level="member", path=_merge_path(base.path, scope.resource.member_scope)))

    def new(self, scope: Scope, body: Body) -> None:
        """`new do ... end` (or `on: :new`)."""
        if scope.resource is not None:
            segment = f"{scope.resource.path}/{scope.path_names.get('new', 'new')}"
            body(_with(scope, level="new", path=_merge_path(scope.path, segment)))

    def nested(self, scope: Scope, body: Body) -> None:
        """Routes nested in a resource (`/articles/:article_id/...`)."""
        if scope.resource is not None:
            shallow = self._is_shallow(scope) and scope.shallow_depth >= 1
            base = self._shallow_scope(scope) if shallow else scope
            body(_with(base, level="nested", path=_merge_path(base.path, scope.resource.nested_scope)))

    def concern_calls(self, scope: Scope, names: list[str], at: SourceRef) -> None:
        """`concerns :commentable` (or `concerns:` on a resource): the concern's routes, here."""
        for name in names:
            body = self.concerns.get(name)
            if body is None:
                self.problems.append(f"{at.path}:{at.line}: concern '{name}' is not defined before it is used")
            elif name not in self._active_concerns:  # a concern that uses itself would never end
                self._active_concerns.add(name)
                try:
                    body(scope)
                finally:
                    self._active_concerns.discard(name)

    def root(self, scope: Scope, args: list[Any], options: Mapping[str, Any], at: SourceRef) -> None:
        """`root 'pages#home'` or `root to: 'pages#home'`: GET at the scope's path."""
        opts = {"via": Sym("get"), **options}
        if args and isinstance(args[0], str):
            opts["to"] = args[0]
        if scope.level in _RESOURCE_SCOPES and scope.resource is not None:
            scope = _with(scope, level="root", path=_merge_path(scope.path, scope.resource.path))
        self.match(scope, ["/"], opts, at)

    def verb(self, scope: Scope, verb: str, args: list[Any], options: Mapping[str, Any], at: SourceRef) -> None:
        """`get 'x', to: 'c#a'` and the other verb helpers."""
        self.match(scope, args, {**options, "via": Sym(verb)}, at)

    def match(self, scope: Scope, args: list[Any], options: Mapping[str, Any], at: SourceRef) -> None:
        """`match 'x', to: 'c#a', via: [...]`, also the `'x' => 'c#a'` form."""
        opts = dict(options)
        paths = list(args)
        if not paths:
            key = next((k for k in opts if not isinstance(k, Sym)), None)  # `'path' => 'c#a'`
            if key is None:
                return
            target = opts.pop(key)
            paths = [key]
            if isinstance(target, Sym):
                opts["action"] = target
            elif isinstance(target, str):
                opts["to" if "#" in target else "controller"] = target
            else:
                opts["to"] = target
        for path in paths:
            if isinstance(path, Sym):
                self._decomposed(scope, str(path), opts.get("path"), opts, at)
            elif isinstance(path, str):
                self._decomposed(scope, path, path, opts, at)

    def _decomposed(self, scope: Scope, action: str, path: Any, opts: dict[str, Any], at: SourceRef) -> None:
        on = opts.get("on")
        rest = {k: v for k, v in opts.items() if k != "on"}
        again: Body = lambda s: self._decomposed(s, action, path, rest, at)  # noqa: E731
        if on in ("member", "collection", "new"):
            getattr(self, str(on))(scope, again)
        elif scope.level == "resources":
            self.nested(scope, again)
        elif scope.level == "resource":
            self.member(scope, again)
        else:
            self._add(scope, action, path, opts, at)

    def _add(self, scope: Scope, action: str, path: Any, opts: dict[str, Any], at: SourceRef) -> None:
        if isinstance(path, str):
            full = f"{scope.path}/{path}"
        elif scope.level in _METHOD_SCOPES and action in CANONICAL_ACTIONS:
            full = scope.path
        else:
            full = f"{scope.path}/{scope.path_names.get(action, action)}"
        methods = [_VERBS.get(v.lower(), v.upper()) for v in words(opts.get("via", list(scope.via)))]
        if not methods:
            self.problems.append(f"{at.path}:{at.line}: route '{full or '/'}' gives no `via:` (Rails refuses it)")
            return
        if "all" in (m.lower() for m in methods):
            methods = ["ANY"]
        handler = self._handler(scope, action, path, opts)
        for variant in _optional_variants(full) if "(" in full else [full]:
            normalised = normalise_path(variant)
            self.routes += [Route(method=method, path=normalised, handler=handler, source=at) for method in methods]

    def _handler(self, scope: Scope, action: str, path: Any, opts: dict[str, Any]) -> str:
        to = opts.get("to")
        if isinstance(to, Code):
            return to.text
        if to is None and isinstance(path, str) and "action" not in opts:
            bare = path.removesuffix("(.:format)")
            if _SHORTHAND.fullmatch(bare):  # Rails' `get 'photos/search'` shorthand
                to = _LAST_SEGMENT.sub(r"#\1", bare.lstrip("/")).replace("-", "_")
        controller = str(opts.get("controller") or scope.controller or "")
        chosen = str(opts.get("action") or scope.action or "")
        if not chosen and _ACTION.fullmatch(action):
            chosen = action.replace("-", "_")
        if isinstance(to, str) and "#" in to:
            controller, chosen = to.split("#", 1)
        elif isinstance(to, str):
            controller = to
        if scope.module and controller:
            controller = controller[1:] if controller.startswith("/") else f"{scope.module}/{controller}"
        controller = controller.lstrip("/")
        return f"{controller}#{chosen}" if controller and chosen else (controller or chosen or "(unknown)")


def _optional_variants(path: str) -> list[str]:
    """Every path an optional segment allows (`photos(/:page)` is `/photos` and `/photos/:page`)."""
    text = path.replace("(.:format)", "")
    variants = _expand(text, 0)
    return variants[:MAX_OPTIONAL_VARIANTS] if variants else [text]


def _expand(text: str, depth: int) -> list[str]:
    start = text.find("(")
    if start < 0 or depth > 4:
        return [text.replace("(", "").replace(")", "")]
    level, end = 0, -1
    for index in range(start, len(text)):
        level += {"(": 1, ")": -1}.get(text[index], 0)
        if level == 0:
            end = index
            break
    if end < 0:
        return [text.replace("(", "")]
    head, inner, tail = text[:start], text[start + 1:end], text[end + 1:]
    found: list[str] = []
    for middle in ["", *_expand(inner, depth + 1)]:
        for rest in _expand(tail, depth + 1):
            found.append(head + middle + rest)
            if len(found) >= MAX_OPTIONAL_VARIANTS:
                return found
    return found
