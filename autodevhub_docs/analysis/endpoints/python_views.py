# Which HTTP methods a Python view serves, read from its class hierarchy and decorators: DRF `APIView` subclasses
# (the get/post/put/patch/delete handlers they and their repository bases define), DRF generic views, viewsets and
# their mixins, `@action` extra routes, `@api_view([...])`, Django class-based and generic views, Django's
# `require_http_methods` family, and Flask `MethodView`/`View`. `http_method_names` restricts all of them.
from __future__ import annotations

from dataclasses import dataclass

from autodevhub_docs.analysis.pysymbols import NOT_LITERAL, ClassInfo, Decorator, Symbols, strings

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
"""Handlers a class-based view may define (HEAD and OPTIONS are implied by the frameworks, never listed)."""
ANY = "ANY"

# Documented method sets of the frameworks' own classes (DRF generics, Django generic views), by class name.
_DRF_GENERICS: dict[str, tuple[str, ...]] = {
    "APIView": (), "GenericAPIView": (), "CreateAPIView": ("post",), "ListAPIView": ("get",),
    "RetrieveAPIView": ("get",), "DestroyAPIView": ("delete",), "UpdateAPIView": ("put", "patch"),
    "ListCreateAPIView": ("get", "post"), "RetrieveUpdateAPIView": ("get", "put", "patch"),
    "RetrieveDestroyAPIView": ("get", "delete"), "RetrieveUpdateDestroyAPIView": ("get", "put", "patch", "delete"),
}
_DRF_VIEWSETS: dict[str, tuple[str, ...]] = {
    "ViewSetMixin": (), "ViewSet": (), "GenericViewSet": (),
    "ModelViewSet": ("list", "create", "retrieve", "update", "partial_update", "destroy"),
    "ReadOnlyModelViewSet": ("list", "retrieve"),
}
_DRF_MIXINS: dict[str, tuple[str, ...]] = {
    "CreateModelMixin": ("create",), "ListModelMixin": ("list",), "RetrieveModelMixin": ("retrieve",),
    "UpdateModelMixin": ("update", "partial_update"), "DestroyModelMixin": ("destroy",),
}
VIEWSET_ACTIONS = ("list", "create", "retrieve", "update", "partial_update", "destroy")
_DJANGO_VIEWS: dict[str, tuple[str, ...]] = {
    "View": (), "TemplateView": ("get",), "RedirectView": (ANY,), "ListView": ("get",), "DetailView": ("get",),
    "FormView": ("get", "post"), "CreateView": ("get", "post"), "UpdateView": ("get", "post"),
    "DeleteView": ("get", "post", "delete"), "ArchiveIndexView": ("get",), "YearArchiveView": ("get",),
    "MonthArchiveView": ("get",), "WeekArchiveView": ("get",), "DayArchiveView": ("get",),
    "TodayArchiveView": ("get",), "DateDetailView": ("get",),
}
_FLASK_VIEWS = ("View", "MethodView")
_DJANGO_DECORATORS = {"require_GET": ("GET",), "require_POST": ("POST",), "require_safe": ("GET", "HEAD")}


@dataclass(frozen=True)
class Action:
    """A viewset's extra route (`@action`, or the older `@detail_route`/`@list_route`)."""

    name: str
    """Method that serves it."""
    detail: bool
    """Whether the route is under the lookup (`/articles/{slug}/favorite`)."""
    url_path: str
    """Path segment (the method name unless `url_path` is given)."""
    methods: tuple[tuple[str, str], ...]
    """(HTTP method, handler method) pairs, `@favorite.mapping.delete` ones included."""
    line: int
    """Line of the decorated method."""
    path: str
    """File of the decorated method."""


def _framework_name(qualname: str) -> tuple[str, str]:
    """(framework family, class name) of a class outside the repository, '' when not a known view base."""
    module, _, name = qualname.rpartition(".")
    if module.startswith("rest_framework") or (not module and name in {**_DRF_GENERICS, **_DRF_VIEWSETS}):
        return "drf", name
    if module.startswith("django.views") or (not module and name in _DJANGO_VIEWS and name != "View"):
        return "django", name
    if module.startswith("flask.views"):
        return "flask", name
    return "", name


def _lineage(symbols: Symbols, cls: ClassInfo | str) -> list[ClassInfo | str]:
    """A class and its ancestors; a class outside the repository (`django.views.generic.TemplateView`) alone."""
    return [cls] if isinstance(cls, str) else list(symbols.ancestors(cls))


def framework(symbols: Symbols, cls: ClassInfo | str) -> str:
    """`drf`, `django` or `flask` for a view class, by the first framework class it inherits from; '' for none."""
    for base in (a for a in _lineage(symbols, cls) if isinstance(a, str)):
        family, _ = _framework_name(base)
        if family:
            return family
    return ""


def is_viewset(symbols: Symbols, cls: ClassInfo) -> bool:
    """Whether a class is a DRF viewset (it inherits `ViewSetMixin` through one of DRF's viewset classes)."""
    return any(_framework_name(b)[0] == "drf" and _framework_name(b)[1] in _DRF_VIEWSETS
               for b in symbols.external_bases(cls))


def _attr(symbols: Symbols, cls: ClassInfo, name: str) -> object:
    for ancestor in symbols.ancestors(cls):
        if isinstance(ancestor, ClassInfo) and name in ancestor.attrs:
            return ancestor.attrs[name]
    return NOT_LITERAL


def allowed(symbols: Symbols, cls: ClassInfo | str) -> set[str] | None:
    """`http_method_names` of a view class (lower case), when it sets one."""
    if isinstance(cls, str):
        return None
    value = _attr(symbols, cls, "http_method_names")
    return {m.lower() for m in strings(value)} if isinstance(value, tuple) else None


def lookup(symbols: Symbols, cls: ClassInfo) -> str:
    """The URL keyword of a viewset's detail routes: `lookup_url_kwarg`, else `lookup_field`, else `pk`."""
    for name in ("lookup_url_kwarg", "lookup_field"):
        value = _attr(symbols, cls, name)
        if isinstance(value, str) and value:
            return value
    return "pk"


def handlers(symbols: Symbols, cls: ClassInfo | str) -> dict[str, str] | None:
    """HTTP method -> handler method of a class-based view; None when no framework view class is inherited.

    `{"ANY": ...}` when the view really accepts every method (Django's `RedirectView`).
    """
    found: dict[str, str] = {}
    family = ""
    flask_methods: tuple[str, ...] = ()
    for ancestor in _lineage(symbols, cls):
        if isinstance(ancestor, ClassInfo):
            for method in HTTP_METHODS:
                if method in ancestor.methods:
                    found.setdefault(method.upper(), method)
            if "methods" in ancestor.attrs and not flask_methods:
                flask_methods = strings(ancestor.attrs["methods"])
            continue
        kind, name = _framework_name(ancestor)
        table = {"drf": _DRF_GENERICS, "django": _DJANGO_VIEWS}.get(kind, {})
        if kind == "flask" and name in _FLASK_VIEWS:
            family = family or kind
            if name == "View" and not found:
                for method in flask_methods or ("GET",):
                    found.setdefault(method.upper(), "dispatch_request")
        elif name in table:
            family = family or kind
            for method in table[name]:
                found.setdefault(method.upper(), method)
    if not family:
        return None
    if ANY in found:
        return {ANY: "dispatch"}
    names = allowed(symbols, cls)
    return {m: h for m, h in found.items() if names is None or m.lower() in names}


def viewset_actions(symbols: Symbols, cls: ClassInfo) -> set[str]:
    """The standard actions (`list`, `retrieve`...) a viewset defines, itself, by its bases or by mixins."""
    actions: set[str] = set()
    for ancestor in symbols.ancestors(cls):
        if isinstance(ancestor, ClassInfo):
            actions.update(a for a in VIEWSET_ACTIONS if a in ancestor.methods)
            continue
        kind, name = _framework_name(ancestor)
        if kind == "drf":
            actions.update(_DRF_VIEWSETS.get(name, ()) + _DRF_MIXINS.get(name, ()))
    return actions


def _action(decorator: Decorator) -> tuple[bool, tuple[str, ...], str | None] | None:
    """(detail, methods, url_path) of an extra-action decorator."""
    name = decorator.name.rsplit(".", 1)[-1]
    if name not in {"action", "detail_route", "list_route"}:
        return None
    detail = decorator.kwargs.get("detail", name == "detail_route")
    methods = strings(decorator.kwargs.get("methods", ("get",))) or ("get",)
    url_path = decorator.kwargs.get("url_path")
    return detail is True, methods, url_path if isinstance(url_path, str) else None


def extra_actions(symbols: Symbols, cls: ClassInfo) -> list[Action]:
    """A viewset's `@action` routes, with the methods `@<action>.mapping.<method>` adds to them."""
    actions: dict[str, Action] = {}
    mappings: list[tuple[str, str, str]] = []
    for ancestor in symbols.ancestors(cls):
        if not isinstance(ancestor, ClassInfo):
            continue
        for function in ancestor.decorated.values():
            for decorator in function.decorators:
                parts = decorator.name.split(".")
                if len(parts) == 3 and parts[1] == "mapping" and parts[2] in HTTP_METHODS:
                    mappings.append((parts[0], parts[2].upper(), function.name))
                spec = _action(decorator)
                if spec is not None and function.name not in actions:
                    detail, methods, url_path = spec
                    actions[function.name] = Action(
                        name=function.name, detail=detail, url_path=url_path or function.name,
                        methods=tuple((m.upper(), function.name) for m in methods), line=function.line,
                        path=ancestor.path)
    for target, method, handler in mappings:
        if target in actions and method not in {m for m, _ in actions[target].methods}:
            action = actions[target]
            actions[target] = Action(name=action.name, detail=action.detail, url_path=action.url_path,
                                     methods=(*action.methods, (method, handler)), line=action.line, path=action.path)
    names = allowed(symbols, cls)
    return [Action(name=a.name, detail=a.detail, url_path=a.url_path, line=a.line, path=a.path,
                   methods=tuple((m, h) for m, h in a.methods if names is None or m.lower() in names))
            for a in actions.values()]


def function_view(decorators: tuple[Decorator, ...]) -> tuple[str, tuple[str, ...]] | None:
    """(family, methods) of a function view from its decorators: DRF `@api_view`, Django `@require_*`."""
    for decorator in decorators:
        name = decorator.name.rsplit(".", 1)[-1]
        if name == "api_view":
            given = decorator.args[0] if decorator.args else decorator.kwargs.get("http_method_names", ("GET",))
            return "drf", tuple(m.upper() for m in strings(given)) or ("GET",)
        if name == "require_http_methods" and decorator.args:
            methods = tuple(m.upper() for m in strings(decorator.args[0]))
            if methods:
                return "django", methods
        if name in _DJANGO_DECORATORS:
            return "django", _DJANGO_DECORATORS[name]
    return None
