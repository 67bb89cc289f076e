# Django URLconfs: `urlpatterns` (path/re_path/url, `+=`, `append`/`extend`, `+ router.urls`), `include()` of
# modules, module objects, inline lists and DRF `router.urls` across files, from the ROOT_URLCONF the settings name.
# The visitor keeps each file's patterns and router objects; `resolve` walks the include tree into leaves (a full
# path and a view) and router mounts (a full prefix and a DRF router), and `leaf_endpoints` gives a leaf's methods.
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from autodevhub_docs.analysis.codebase import Codebase, is_sample_path
from autodevhub_docs.analysis.endpoints import python_views
from autodevhub_docs.analysis.endpoints.paths import normalise_path
from autodevhub_docs.analysis.pyscan import PyFile, call_name, dotted, keyword, statements
from autodevhub_docs.analysis.pysymbols import NOT_LITERAL, Symbols, literal
from autodevhub_docs.model import Endpoint, SourceRef

KEY = "django_urls"
"""Key of this visitor's facts in `PyFile.facts`."""
DJANGO = "Django"
DRF = "Django REST framework"
MAX_DEPTH = 12
_PATTERN_CALLS = frozenset({"path", "re_path", "url"})


def wants(text: str) -> bool:
    """Cheap test: could this file declare URL patterns or DRF routers?"""
    return "urlpatterns" in text or "Router(" in text


@dataclass(frozen=True)
class View:
    """A view as a URL pattern names it."""

    text: str
    """As written, shown as the handler (`views.detail`, `views.IndexView`)."""
    name: str | None = None
    """Dotted name of the function or class, when it is one."""
    as_view: bool = False
    """Whether it is `Class.as_view(...)`."""
    actions: tuple[tuple[str, str], ...] = ()
    """A viewset's explicit `as_view({"get": "list"})` mapping, as (method, action) pairs."""


@dataclass
class _Pattern:
    route: str
    line: int
    view: View | None = None
    include: str | None = None
    """A module name (`polls.urls`), or `@dotted` for a module object or `router.urls`."""
    children: list[_Pattern] = field(default_factory=list)


@dataclass
class DrfRouter:
    """A router object (`DefaultRouter(trailing_slash=False)`) and what is registered on it."""

    constructor: str
    """Dotted name of its class as written."""
    kwargs: dict[str, Any]
    """Literal keyword arguments of the constructor."""
    line: int
    parent: str | None = None
    """Nested routers (drf-nested-routers): the router variable they nest under."""
    parent_prefix: str = ""
    """Nested routers: the parent registration they nest under."""
    registrations: list[tuple[str, str, int]] = field(default_factory=list)
    """(prefix, viewset as written, line) of each `register()` call."""


@dataclass
class UrlConf:
    """What one file declares."""

    patterns: list[_Pattern] | None = None
    """`urlpatterns`, when the file defines it."""
    routers: dict[str, DrfRouter] = field(default_factory=dict)


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _view(node: ast.expr) -> View:
    # Wrappers such as login_required(view) or csrf_exempt(View.as_view()) keep the wrapped view's methods.
    while isinstance(node, ast.Call) and not (isinstance(node.func, ast.Attribute) and node.func.attr == "as_view") \
            and node.args and isinstance(node.args[0], (ast.Name, ast.Attribute, ast.Call)):
        node = node.args[0]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "as_view":
        name = dotted(node.func.value)
        mapping = literal(node.args[0]) if node.args else NOT_LITERAL
        actions = tuple((str(k).upper(), str(v)) for k, v in mapping.items()) if isinstance(mapping, dict) else ()
        return View(text=name or ast.unparse(node)[:60], name=name, as_view=True, actions=actions)
    name = dotted(node)
    return View(text=name or ast.unparse(node)[:60], name=name)


def _include(node: ast.Call, route: str, line: int) -> _Pattern | None:
    target: ast.expr | None = node.args[0] if node.args else keyword(node, "arg")
    if isinstance(target, ast.Tuple) and target.elts:  # include((patterns, app_name))
        target = target.elts[0]
    if isinstance(target, (ast.List, ast.Tuple)):
        return _Pattern(route, line, children=_patterns(target))
    module = _string(target)
    if module is not None:
        return _Pattern(route, line, include=module)
    name = dotted(target) if target is not None else None
    return _Pattern(route, line, include="@" + name) if name else None


def _patterns(node: ast.expr) -> list[_Pattern]:
    """The patterns of an expression: a list, `a + b`, `router.urls`."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _patterns(node.left) + _patterns(node.right)
    if isinstance(node, ast.Attribute) and node.attr == "urls" and (name := dotted(node)):
        return [_Pattern("", node.lineno, include="@" + name)]
    if not isinstance(node, (ast.List, ast.Tuple)):
        return []
    found = []
    for item in node.elts:
        name = call_name(item)
        if name not in _PATTERN_CALLS or not isinstance(item, ast.Call) or len(item.args) < 2:
            continue
        route = _string(item.args[0])
        if route is None:
            continue
        if name != "path":  # re_path() and url() take regular expressions anchored per part
            route = route.removeprefix("^").removesuffix("$")
        view = item.args[1]
        if isinstance(view, ast.Call) and call_name(view) == "include":
            pattern = _include(view, route, item.lineno)
            if pattern is not None:
                found.append(pattern)
        else:
            found.append(_Pattern(route, item.lineno, view=_view(view)))
    return found


def visit(info: PyFile, tree: ast.Module, text: str) -> None:
    """Collect the URL patterns and DRF routers of one file."""
    del text
    conf = UrlConf()
    for node in statements(tree.body):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, value = node.targets[0].id, node.value
            if name == "urlpatterns" and not (isinstance(value, ast.Call) and value.args
                                              and dotted(value.args[0]) == "urlpatterns"):
                conf.patterns = _patterns(value)  # format_suffix_patterns(urlpatterns) keeps them
            elif isinstance(value, ast.Call) and call_name(value).endswith("Router"):
                _router(conf, name, value)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) \
                and node.target.id == "urlpatterns":
            conf.patterns = (conf.patterns or []) + _patterns(node.value)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) \
                and isinstance(node.value.func, ast.Attribute):
            _call(conf, node.value, node.value.func)
    if conf.patterns is not None or conf.routers:
        info.facts[KEY] = conf


VISITOR = (wants, visit)


def _router(conf: UrlConf, name: str, call: ast.Call) -> None:
    kwargs = {k.arg: literal(k.value) for k in call.keywords if k.arg}
    router = DrfRouter(constructor=dotted(call.func) or "", kwargs=kwargs, line=call.lineno)
    if len(call.args) >= 2 and (parent := dotted(call.args[0])) and (prefix := _string(call.args[1])) is not None:
        router.parent, router.parent_prefix = parent, prefix  # NestedSimpleRouter(router, r"articles", lookup=...)
    conf.routers[name] = router


def _call(conf: UrlConf, node: ast.Call, func: ast.Attribute) -> None:
    owner = dotted(func.value)
    if owner == "urlpatterns" and func.attr in {"append", "extend", "insert"} and node.args:
        item = node.args[-1]
        conf.patterns = (conf.patterns or []) + _patterns(ast.List(elts=[item]) if func.attr != "extend" else item)
    elif owner in conf.routers and func.attr == "register":
        prefix = node.args[0] if node.args else keyword(node, "prefix")
        viewset = node.args[1] if len(node.args) > 1 else keyword(node, "viewset")
        word, name = _string(prefix), dotted(viewset) if viewset is not None else None
        if word is not None and name:
            conf.routers[owner].registrations.append((word, name, node.lineno))


@dataclass(frozen=True)
class Leaf:
    """A URL pattern with a view, with every include prefix resolved."""

    route: str
    """Full route as Django concatenates it (not yet normalised)."""
    view: View
    path: str
    """File of the pattern."""
    line: int
    module: str
    """Module of the pattern (names in the view are resolved there)."""


@dataclass(frozen=True)
class RouterMount:
    """A DRF router included under a prefix."""

    route: str
    """Full prefix the router's URLs hang under."""
    router: tuple[str, str]
    """(file, variable) of the router."""


def confs(code: Codebase) -> dict[str, UrlConf]:
    """Every file's URL patterns and routers, by path (sample folders left out)."""
    return {path: info.facts[KEY] for path, info in code.python.items()
            if KEY in info.facts and not is_sample_path(path)}


def locate(name: str, info: PyFile, files: dict[str, PyFile], found: dict[str, UrlConf]) -> tuple[str, str] | None:
    """(file, variable) of a router a name refers to: defined in the file or imported from another."""
    local = found.get(info.path)
    if local and name in local.routers:
        return info.path, name
    head, _, rest = name.partition(".")
    target = info.aliases.get(head)
    if not target:
        return None
    module, _, var = (f"{target}.{rest}" if rest else target).rpartition(".")
    other = next((p for p, i in files.items() if i.module == module), None)
    return (other, var) if other in found and var in found[other].routers else None


def resolve(code: Codebase) -> tuple[list[Leaf], list[RouterMount]]:
    """Walk the include tree from the root URLconfs into leaves and router mounts."""
    found = confs(code)
    files = dict(code.python)
    by_module = {files[p].module: p for p, conf in found.items() if conf.patterns is not None}
    symbols = Symbols(files)
    leaves: list[Leaf] = []
    mounts: list[RouterMount] = []

    def walk(path: str, patterns: list[_Pattern], prefix: str, depth: int, seen: frozenset[str]) -> None:
        info = files[path]
        for pattern in patterns:
            route = prefix + pattern.route
            if pattern.view is not None:
                leaves.append(Leaf(route, pattern.view, path, pattern.line, info.module))
            elif pattern.children:
                walk(path, pattern.children, route, depth + 1, seen)
            elif pattern.include is not None and depth < MAX_DEPTH:
                target = pattern.include
                if target.startswith("@"):
                    router = locate(target[1:].removesuffix(".urls"), info, files, found) \
                        if target.endswith(".urls") else None
                    if router is not None:
                        mounts.append(RouterMount(route, router))
                        continue
                    target = symbols.qualify(target[1:], info.module)
                child = by_module.get(target)
                if child is not None and target not in seen:
                    walk(child, found[child].patterns or [], route, depth + 1, seen | {target})

    for module in _roots(by_module, found, files):
        path = by_module[module]
        walk(path, found[path].patterns or [], "", 0, frozenset({module}))
    return leaves, mounts


def _roots(by_module: dict[str, str], found: dict[str, UrlConf], files: dict[str, PyFile]) -> list[str]:
    """The URLconfs ROOT_URLCONF names; without that setting, the ones no other URLconf includes."""
    named = sorted({value for info in files.values() for name, value in info.constants.items()
                    if name == "ROOT_URLCONF" and value in by_module})
    if named:
        return named
    included: set[str] = set()

    def collect(path: str, patterns: list[_Pattern]) -> None:
        for pattern in patterns:
            if pattern.include and not pattern.include.startswith("@"):
                target = pattern.include
            else:
                target = files[path].aliases.get((pattern.include or "@")[1:].split(".", 1)[0], "")
            if target != files[path].module:  # a URLconf that includes itself is still a root
                included.add(target)
            collect(path, pattern.children)

    for path in by_module.values():
        collect(path, found[path].patterns or [])
    return sorted(m for m in by_module if m not in included)


def leaf_endpoints(symbols: Symbols, leaf: Leaf) -> list[Endpoint]:
    """The endpoints of one URL pattern: the methods its view serves, and whether DRF or Django serves it."""
    source = SourceRef(path=leaf.path, line=leaf.line)
    path = normalise_path(leaf.route)
    view = leaf.view

    def endpoint(method: str, handler: str, framework: str) -> Endpoint:
        return Endpoint(method=method, path=path, handler=handler, framework=framework, source=source)

    qualname = symbols.qualify(view.name, leaf.module) if view.name else ""
    cls = (symbols.cls(qualname) or qualname) if view.as_view and qualname else None
    if cls is not None:
        family = python_views.framework(symbols, cls)
        framework = DRF if family == "drf" else DJANGO
        if view.actions and not isinstance(cls, str) and python_views.is_viewset(symbols, cls):
            return [endpoint(method, f"{view.text}.{action}", DRF) for method, action in view.actions]
        served = python_views.handlers(symbols, cls)
        if served:
            return [endpoint(m, view.text if m == python_views.ANY else f"{view.text}.{h}", framework)
                    for m, h in served.items()]
    function = symbols.function(qualname) if qualname and not view.as_view else None
    decorated = python_views.function_view(function.decorators) if function is not None else None
    if decorated is not None:
        family, methods = decorated
        return [endpoint(m, view.text, DRF if family == "drf" else DJANGO) for m in methods]
    return [endpoint(python_views.ANY, view.text, DJANGO)]
