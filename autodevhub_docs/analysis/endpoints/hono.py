# Hono: `app.get/post/put/delete/patch/options/all(path, ...handlers)`, `app.on(method | [methods], path | [paths],
# handler)`, chained routes that reuse the last path (`app.get('/x', a).post(b)`), sub-apps mounted with
# `app.route('/x', sub)`, and `basePath('/api')` clones, whose routes carry the base path wherever they are mounted.
from __future__ import annotations

from autodevhub_docs.analysis.endpoints.express import method_of
from autodevhub_docs.analysis.endpoints.js_adapter import RouterAdapter
from autodevhub_docs.analysis.endpoints.js_routers import Routers
from autodevhub_docs.analysis.endpoints.paths import join
from autodevhub_docs.analysis.jsvalues import UNKNOWN, Call, Package, Router, Text, Value

VERBS = frozenset({"get", "post", "put", "delete", "patch", "options", "all"})


class HonoDialect:
    """What Hono calls mean."""

    framework = "Hono"
    methods = VERBS | {"on", "route", "basePath"}

    def create(self, routers: Routers, callee: Package, call: Call, *, new: bool) -> Value:
        """`new Hono()` (from `hono` or its `hono/*` presets) makes an app."""
        if new and (callee.spec == "hono" or callee.spec.startswith("hono/")) and callee.name == "Hono":
            return Router(routers.group(call.path, call.node.id, created=True))
        return UNKNOWN

    def method(self, routers: Routers, receiver: Router, name: str, call: Call) -> Value:
        """Routes, sub-apps and base paths; route methods return the app with the path they used."""
        if name == "basePath" and call.args:
            base = routers.text(call.path, call.args[0], call.scope)
            return Router(receiver.group, base=join(receiver.base, base)) if base is not None else UNKNOWN
        if name == "route" and len(call.args) >= 2:
            for prefix in routers.paths(call, call.args[0]):
                routers.mount(receiver, prefix, routers.value(call.path, call.args[1], call.scope))
            return Router(receiver.group, base=receiver.base)
        if name == "on" and len(call.args) >= 3:
            methods = tuple(m.upper() for m in routers.paths(call, call.args[0]) if not m.startswith("{"))
            paths = routers.paths(call, call.args[1])
            self._routes(routers, receiver, methods, paths, call)
            return Router(receiver.group, base=receiver.base, chain=paths[0] if paths else None)
        if name in VERBS and call.args:
            if isinstance(routers.value(call.path, call.args[0], call.scope), Text) and len(call.args) >= 2:
                paths = routers.paths(call, call.args[0])
            else:  # a chained route (`.post(handler)`): the last path again
                paths = [receiver.chain] if receiver.chain is not None else []
            self._routes(routers, receiver, (method_of(name),), paths, call)
            return Router(receiver.group, base=receiver.base, chain=paths[0] if paths else None)
        return UNKNOWN

    @staticmethod
    def _routes(routers: Routers, receiver: Router, methods: tuple[str, ...], paths: list[str], call: Call) -> None:
        handler = routers.handler(call, call.args[-1])
        for path in paths:
            routers.route(Router(receiver.group, base=receiver.base), methods, path, handler, call)


ADAPTERS = (RouterAdapter(name="Hono", packages=("hono",), dialect=HonoDialect()),)
