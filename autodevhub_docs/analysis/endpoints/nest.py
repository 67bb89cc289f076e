# NestJS: `@Controller(path | [paths] | { path })` classes with `@Get/@Post/@Put/@Patch/@Delete/@Options/@Head/@All`
# methods (imported from @nestjs/common, aliases followed), `app.setGlobalPrefix(prefix, { exclude })`, and the
# module paths of `RouterModule.register([{ path, module, children }])` applied to the controllers each `@Module`
# declares. Each class body is read once, decorator by decorator: as the summary pass parses the script (no tree is
# kept for it), or in the run when a value it needs is declared in another file.
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from autodevhub_docs.analysis import javascript, jsclasses
from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.endpoints.paths import join, normalise_path
from autodevhub_docs.analysis.jslocal import FileEvaluator
from autodevhub_docs.analysis.jsmodule import ROOT, JsModule, string
from autodevhub_docs.analysis.jsvalues import Evaluator, Object
from autodevhub_docs.model import Endpoint, SourceRef

_COMMON = "@nestjs/common"
_PACKAGES = ("@nestjs/core", _COMMON)
_VERBS = {"Get": "GET", "Post": "POST", "Put": "PUT", "Patch": "PATCH", "Delete": "DELETE", "Options": "OPTIONS",
          "Head": "HEAD", "All": "ANY", "Search": "SEARCH"}
_METHODS = frozenset({"method_definition"})
_WORDS = ("Controller", "Module", "setGlobalPrefix")
"""What a file that declares controllers, modules (`RouterModule` among them) or the global prefix holds: the
decorator names as imported (an alias is imported by the name), and the call."""
MAX_MODULE_NESTING = 8
"""Deepest nesting read in RouterModule `children` and in decorator path arguments."""


@dataclass(frozen=True, slots=True)
class _Controller:
    name: str
    paths: tuple[str, ...]
    routes: tuple[tuple[str, tuple[str, ...], str, int], ...]  # method, paths, handler, line
    path: str


@dataclass(frozen=True, slots=True)
class _Declared:
    """What one script declares: its controllers, modules' controllers, RouterModule paths and global prefix."""

    controllers: tuple[_Controller, ...]
    module_paths: tuple[tuple[str, str], ...]
    """(module class, path), the first of a class first."""
    module_controllers: tuple[tuple[str, tuple[str, ...]], ...]
    global_prefix: str
    """The last one the script sets ('' when none)."""
    excluded: tuple[tuple[str, str | None], ...]


@dataclass
class _App:
    controllers: list[_Controller] = field(default_factory=list)
    module_paths: dict[str, str] = field(default_factory=dict)
    """Module class -> path given by RouterModule.register."""
    module_controllers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    global_prefix: str = ""
    excluded: list[tuple[str, str | None]] = field(default_factory=list)
    """(path pattern, method or None) left out of the global prefix."""

    def add(self, declared: _Declared) -> None:
        """What one more script declares (scripts in order: the first path of a module, the last prefix win)."""
        self.controllers += declared.controllers
        for module, path in declared.module_paths:
            self.module_paths.setdefault(module, path)
        self.module_controllers.update(declared.module_controllers)
        self.global_prefix = declared.global_prefix or self.global_prefix
        self.excluded += declared.excluded


class NestAdapter:
    """Endpoints of a NestJS application."""

    name = "NestJS"
    script_packages = _PACKAGES
    script_words = _WORDS

    def run(self, code: Codebase) -> Found | None:
        """Controllers and their routes, under the global prefix and RouterModule paths."""
        evidence = javascript.presence(code, _PACKAGES)
        if not evidence:
            return None
        evaluator = Evaluator(code)
        app = _App()
        files: list[str] = []
        for path in javascript.users(code, _PACKAGES, _WORDS):
            declared: _Declared | None = javascript.read_ahead(code, self.name, path)
            if declared is None:
                mod = evaluator.module(path)
                if mod is None:
                    continue
                declared = _read(evaluator, mod, javascript.summary(code, path).words)
            files.append(path)
            app.add(declared)
        return Found(framework=self.name, evidence=evidence, files_read=tuple(files),
                     endpoints=tuple(_endpoints(app)), problems=tuple(javascript.unparsed(code)))

    def read_script(self, code: Codebase, module: JsModule) -> _Declared | None:
        """What a script declares, read as the summary pass parses it; None when a value is in another file."""
        evaluator = FileEvaluator(code, module)
        declared = _read(evaluator, module, javascript.summary(code, module.path).words)
        return None if evaluator.elsewhere else declared


def _read(evaluator: Evaluator, mod: JsModule, words: tuple[str, ...]) -> _Declared:
    """What a script declares; `words` are those of `_WORDS` it holds (from its summary)."""
    app = _App()
    for cls, decorators in jsclasses.classes(mod):
        _class(evaluator, mod, cls, decorators, app)
    # a script that does not hold `setGlobalPrefix` calls it nowhere; one without `Module` names no RouterModule
    called = tuple(m for m, word in (("setGlobalPrefix", "setGlobalPrefix"), ("register", "Module")) if word in words)
    for call in mod.calls(called):
        _configure(evaluator, mod, call, app)
    return _Declared(controllers=tuple(app.controllers), module_paths=tuple(app.module_paths.items()),
                     module_controllers=tuple(app.module_controllers.items()), global_prefix=app.global_prefix,
                     excluded=tuple(app.excluded))


def _paths(evaluator: Evaluator, mod: JsModule, node: Any | None, scope: int = ROOT, depth: int = 0) -> list[str]:
    """A decorator path argument: a string, an array of strings, `{ path }`, or a constant naming one."""
    if node is None:
        return [""]
    if depth > MAX_MODULE_NESTING:
        return []  # nested deeper than any real path list: no path rather than a wrong one
    literal = string(mod.parsed, node) if node.type == "string" else None
    if literal is not None:  # most paths: a literal is its own value
        return [literal]
    path, node, scope = evaluator.definition(mod.path, node, scope)
    owner = evaluator.module(path) or mod
    if node.type == "array":
        return [p for item in node.named_children for p in _paths(evaluator, owner, item, scope, depth + 1)]
    if isinstance(evaluator.value(path, node, scope), Object):
        inner = jsclasses.pair(owner, node, "path")
        return _paths(evaluator, owner, inner, scope, depth + 1) if inner is not None else [""]
    text = evaluator.text(path, node, scope)
    return [text] if text is not None else ["{" + owner.text(node)[:60] + "}"]


def _class(evaluator: Evaluator, mod: JsModule, cls: Any, decorators: list[Any], app: _App) -> None:
    name = mod.text(cls.child_by_field_name("name")) if cls.child_by_field_name("name") is not None else ""
    for deco in decorators:
        found = jsclasses.decorator(mod, deco, _COMMON)
        if found and found[0] == "Module" and found[1]:
            controllers = jsclasses.pair(mod, found[1][0], "controllers")
            if controllers is not None and controllers.type == "array":
                app.module_controllers[name] = tuple(mod.text(c) for c in controllers.named_children)
        if found and found[0] == "Controller":
            args = found[1]
            paths = tuple(_paths(evaluator, mod, args[0] if args else None))
            app.controllers.append(_Controller(name=name, paths=paths, routes=_methods(evaluator, mod, cls, name),
                                               path=mod.path))


def _methods(evaluator: Evaluator, mod: JsModule, cls: Any, controller: str
             ) -> tuple[tuple[str, tuple[str, ...], str, int], ...]:
    routes = []
    for member, decorators in jsclasses.members(cls, _METHODS):
        handler = ""
        for deco in decorators:
            found = jsclasses.decorator(mod, deco, _COMMON)
            if found and found[0] in _VERBS:
                args = found[1]
                handler = handler or f"{controller}.{mod.text(member.child_by_field_name('name'))}"
                routes.append((_VERBS[found[0]], tuple(_paths(evaluator, mod, args[0] if args else None)), handler,
                               deco.start_point[0] + 1))
    return tuple(routes)


def _configure(evaluator: Evaluator, mod: JsModule, call: Any, app: _App) -> None:
    callee = call.child_by_field_name("function")
    method = mod.text(callee.child_by_field_name("property"))
    arguments = call.child_by_field_name("arguments")
    args = [a for a in arguments.named_children if a.type != "comment"] if arguments is not None else []
    scope = mod.scope_of(call)
    if method == "setGlobalPrefix" and args:
        app.global_prefix = evaluator.text(mod.path, args[0], scope) or app.global_prefix
        exclude = jsclasses.pair(mod, args[1], "exclude") if len(args) > 1 else None
        for item in exclude.named_children if exclude is not None and exclude.type == "array" else ():
            pattern = jsclasses.pair(mod, item, "path") if item.type == "object" else item
            verb = jsclasses.pair(mod, item, "method") if item.type == "object" else None
            text = evaluator.text(mod.path, pattern, scope) if pattern is not None else None
            verb_name = mod.text(verb).rsplit(".", 1)[-1] if verb is not None else None
            if text is not None:
                app.excluded.append((text, None if verb_name in (None, "ALL") else verb_name))
    elif method == "register" and mod.text(callee.child_by_field_name("object")) == "RouterModule" and args:
        _route_tree(evaluator, mod, args[0], app, prefix="", depth=0)


def _route_tree(evaluator: Evaluator, mod: JsModule, node: Any, app: _App, *, prefix: str, depth: int) -> None:
    path, node, scope = evaluator.definition(mod.path, node, mod.scope_of(node))
    owner = evaluator.module(path)
    if owner is None or node.type != "array" or depth > MAX_MODULE_NESTING:
        return
    for item in node.named_children:
        if item.type == "identifier":  # a child module listed without a path of its own
            app.module_paths.setdefault(owner.text(item), prefix)
            continue
        here = jsclasses.pair(owner, item, "path")
        full = join(prefix, evaluator.text(path, here, scope) or "") if here is not None else prefix
        target = jsclasses.pair(owner, item, "module")
        if target is not None:
            app.module_paths.setdefault(owner.text(target), full)
        children = jsclasses.pair(owner, item, "children")
        if children is not None:
            _route_tree(evaluator, owner, children, app, prefix=full, depth=depth + 1)


def _excluded(app: _App, method: str, path: str) -> bool:
    bare = path.strip("/")
    for pattern, verb in app.excluded:
        if verb is not None and verb != method:
            continue
        wanted = pattern.strip("/")
        if wanted.endswith(("(.*)", "*")):  # `cats/(.*)` and `cats/*` exclude the whole subtree
            stem = re.sub(r"/?(\(\.\*\)|\*)$", "", wanted)
            if bare == stem or bare.startswith(stem + "/") or not stem:
                return True
        elif normalise_path(wanted) == normalise_path(bare):
            return True
    return False


def _endpoints(app: _App) -> list[Endpoint]:
    module_of = {c: m for m, names in app.module_controllers.items() for c in names}
    found = []
    shown: dict[tuple[str, str], str] = {}  # a controller's methods share their paths (`':id'` for GET, PUT, DELETE)
    for controller in app.controllers:
        module_path = app.module_paths.get(module_of.get(controller.name, ""), "")
        bases = [join(module_path, base) for base in controller.paths]  # joined once for every route
        for method, paths, handler, line in controller.routes:
            source = SourceRef(path=controller.path, line=line)
            for base in bases:
                for route in paths:
                    local = join(base, route)
                    prefix = "" if app.excluded and _excluded(app, method, local) else app.global_prefix
                    path = shown.get((prefix, local))
                    if path is None:
                        path = shown[(prefix, local)] = normalise_path(join(prefix, local))
                    found.append(Endpoint(method=method, path=path, handler=handler, framework="NestJS",
                                          source=source))
    return found


ADAPTERS = (NestAdapter(),)
