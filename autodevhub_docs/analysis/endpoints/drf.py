# The Django REST framework adapter. Routers (`DefaultRouter`/`SimpleRouter`, their subclasses, and
# drf-nested-routers) expand each `register(prefix, viewset)` into the routes DRF documents: the list route
# (GET list, POST create), the detail route under the viewset's lookup (GET retrieve, PUT update, PATCH
# partial_update, DELETE destroy) and every `@action`, keeping only the actions the viewset really has. URL patterns
# naming an `APIView`, a generic view, a viewset with an explicit mapping or an `@api_view` function come from the
# Django URL tree. DefaultRouter's format-suffix duplicates (`/articles.json`) are not listed.
from __future__ import annotations

from collections.abc import Sequence

from autodevhub_docs.analysis import pyevidence, pysymbols
from autodevhub_docs.analysis.adapters import Found, PythonVisitor
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.endpoints import django_urls, python_views
from autodevhub_docs.analysis.endpoints.django_urls import DRF, DrfRouter, RouterMount, UrlConf
from autodevhub_docs.analysis.endpoints.paths import normalise_path
from autodevhub_docs.analysis.pysymbols import Symbols
from autodevhub_docs.model import Endpoint, SourceRef

_ROUTER_MODULES = ("rest_framework.routers", "rest_framework_nested.routers")
_ROUTER_NAMES = frozenset({"SimpleRouter", "DefaultRouter", "NestedSimpleRouter", "NestedDefaultRouter"})
_LIST = (("GET", "list"), ("POST", "create"))
_DETAIL = (("GET", "retrieve"), ("PUT", "update"), ("PATCH", "partial_update"), ("DELETE", "destroy"))
_MAX_NESTING = 6


class DrfAdapter:
    """Django REST framework routers and views."""

    name = DRF

    @staticmethod
    def visitors() -> Sequence[PythonVisitor]:
        """URL patterns and routers, and the symbols of the view classes."""
        return (django_urls.VISITOR, pysymbols.VISITOR)

    def run(self, code: Codebase) -> Found | None:
        """DRF's endpoints, or None when DRF is not used."""
        dependency = code.dependency("pypi", ("djangorestframework",))
        evidence = ([code.ref(dependency)] if dependency else []) + pyevidence.import_evidence(
            code.python, "rest_framework")
        if not evidence:
            return None
        leaves, mounts = django_urls.resolve(code)
        symbols = Symbols(code.python)
        endpoints = [e for leaf in leaves for e in django_urls.leaf_endpoints(symbols, leaf) if e.framework == DRF]
        confs = django_urls.confs(code)
        expander = _Expander(symbols, confs, code)
        for mount in mounts:
            endpoints.extend(expander.expand(mount))
        files = {e.source.path for e in endpoints} | {m.router[0] for m in mounts}
        return Found(framework=self.name, evidence=tuple(evidence), files_read=tuple(sorted(files)),
                     endpoints=tuple(endpoints), problems=pyevidence.unparsed(
                         code.paths, code.python, lambda p: p.endswith(("urls.py", "views.py", "viewsets.py"))))


ADAPTERS = (DrfAdapter(),)


class _Expander:
    def __init__(self, symbols: Symbols, confs: dict[str, UrlConf], code: Codebase) -> None:
        self.symbols, self.confs, self.code = symbols, confs, code

    def _kind(self, path: str, router: DrfRouter) -> str | None:
        """`default` or `simple` for a DRF router class (a repository subclass too), None for other routers."""
        qualname = self.symbols.qualify(router.constructor, self.code.python[path].module)
        cls = self.symbols.cls(qualname)
        names = self.symbols.external_bases(cls) if cls is not None else [qualname]
        for name in names:
            module, _, last = name.rpartition(".")
            if (module in _ROUTER_MODULES or (not module and last in _ROUTER_NAMES)) and last.endswith("Router"):
                return "default" if "Default" in last else "simple"
        return None

    def _viewset(self, path: str, name: str) -> pysymbols.ClassInfo | None:
        cls = self.symbols.cls(self.symbols.qualify(name, self.code.python[path].module))
        return cls if cls is not None and python_views.is_viewset(self.symbols, cls) else None

    def _parent_route(self, path: str, router: DrfRouter, depth: int = 0) -> str:
        """The route a nested router's registrations hang under: `articles/(?P<article_slug>[^/.]+)/`."""
        if router.parent is None or depth > _MAX_NESTING:
            return ""
        located = django_urls.locate(router.parent, self.code.python[path], dict(self.code.python), self.confs)
        if located is None:
            return ""
        parent = self.confs[located[0]].routers[located[1]]
        registration = next((r for r in parent.registrations if r[0].strip("^/") == router.parent_prefix.strip("^/")),
                            None)
        viewset = self._viewset(located[0], registration[1]) if registration else None
        lookup = python_views.lookup(self.symbols, viewset) if viewset is not None else "pk"
        prefix = router.kwargs.get("lookup", "nested_1")
        return (self._parent_route(located[0], parent, depth + 1) + router.parent_prefix.strip("^/")
                + f"/(?P<{prefix}_{lookup}>[^/.]+)/")

    def expand(self, mount: RouterMount) -> list[Endpoint]:
        """Every route a mounted router serves."""
        path, var = mount.router
        router = self.confs[path].routers[var]
        kind = self._kind(path, router)
        if kind is None:
            return []
        slash = router.kwargs.get("trailing_slash", True)
        trailing = "/" if slash is True else (slash if isinstance(slash, str) else "")
        base = mount.route + self._parent_route(path, router)
        found: list[Endpoint] = []
        if kind == "default" and router.parent is None and router.kwargs.get("include_root_view", True) is not False:
            found.append(Endpoint(method="GET", path=normalise_path(mount.route), handler=f"{var} (API root)",
                                  framework=DRF, source=SourceRef(path=path, line=router.line)))
        for prefix, name, line in router.registrations:
            found.extend(self._registration(base + prefix.strip("^/"), trailing, name, SourceRef(path=path, line=line),
                                            path))
        return found

    def _registration(self, route: str, trailing: str, name: str, source: SourceRef, path: str) -> list[Endpoint]:
        viewset = self._viewset(path, name)
        if viewset is None:  # a viewset outside the repository: its methods cannot be read
            return [Endpoint(method=python_views.ANY, path=normalise_path(route + suffix), handler=f"{name} ({kind})",
                             framework=DRF, source=source)
                    for suffix, kind in ((trailing, "list"), ("/(?P<pk>[^/.]+)" + trailing, "detail"))]
        actions = python_views.viewset_actions(self.symbols, viewset)
        allowed = python_views.allowed(self.symbols, viewset)
        detail = f"{route}/(?P<{python_views.lookup(self.symbols, viewset)}>[^/.]+)"
        found = []

        def add(method: str, full: str, handler: str, where: SourceRef) -> None:
            if allowed is None or method.lower() in allowed:
                found.append(Endpoint(method=method, path=normalise_path(full), handler=f"{name}.{handler}",
                                      framework=DRF, source=where))

        for method, action in _LIST:
            if action in actions:
                add(method, route + trailing, action, source)
        for method, action in _DETAIL:
            if action in actions:
                add(method, detail + trailing, action, source)
        for extra in python_views.extra_actions(self.symbols, viewset):
            full = f"{detail if extra.detail else route}/{extra.url_path.strip('/')}{trailing}"
            for method, handler in extra.methods:
                add(method, full, handler, SourceRef(path=extra.path, line=extra.line))
        return found
