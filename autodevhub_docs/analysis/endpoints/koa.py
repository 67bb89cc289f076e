# Koa with @koa/router or koa-router: `new Router({ prefix })`, `router.prefix(p)`, `router.get/post/put/patch/
# delete/del/head/options/all([name,] path, ...middleware)`, nesting with `router.use([path,] sub.routes())`, and
# koa-mount's `mount(prefix, middleware)`. A nested router's own prefix applies under the path it is used at.
from __future__ import annotations

from autodevhub_docs.analysis.endpoints.express import method_of
from autodevhub_docs.analysis.endpoints.js_adapter import RouterAdapter
from autodevhub_docs.analysis.endpoints.js_routers import Routers
from autodevhub_docs.analysis.jsvalues import UNKNOWN, Call, Package, Router, Text, Value

ROUTER_PACKAGES = frozenset({"@koa/router", "koa-router"})
VERBS = frozenset({"get", "post", "put", "patch", "delete", "del", "options", "head", "all"})


class KoaDialect:
    """What Koa and its router's calls mean."""

    framework = "Koa"
    methods = VERBS | {"use", "prefix", "routes", "middleware"}

    def create(self, routers: Routers, callee: Package, call: Call, *, new: bool) -> Value:
        """`new Router({ prefix })`, `new Koa()`, and koa-mount's `mount(prefix, middleware)`."""
        del new
        if callee.spec in ROUTER_PACKAGES and callee.name in ("default", "*", "Router"):
            options = routers.value(call.path, call.args[0], call.scope) if call.args else UNKNOWN
            own = routers.member(options, "prefix") if not isinstance(options, Text) else UNKNOWN
            return Router(routers.group(call.path, call.node.id, created=True,
                                        prefix=own.value if isinstance(own, Text) else ""))
        if callee.spec == "koa" and callee.name in ("default", "*", "Koa"):
            return Router(routers.group(call.path, call.node.id, created=True))
        if callee.spec == "koa-mount" and callee.name in ("default", "*") and call.args:
            prefixes, rest = routers.prefixes(call)
            mounted = Router(routers.group(call.path, call.node.id, created=False))
            for arg in rest:
                for prefix in prefixes:
                    routers.mount(mounted, prefix, routers.value(call.path, arg, call.scope))
            return mounted
        return UNKNOWN

    def method(self, routers: Routers, receiver: Router, name: str, call: Call) -> Value:
        """Routes, prefixes and nesting; route methods and `use` return the router, `routes()` stands for it."""
        if name in ("routes", "middleware"):
            return receiver
        if name == "prefix" and call.args:
            prefix = routers.text(call.path, call.args[0], call.scope)
            if prefix is not None:
                routers.groups[receiver.group].prefix = prefix
            return receiver
        if name in VERBS and len(call.args) >= 2:
            named = len(call.args) >= 3 and all(
                isinstance(routers.value(call.path, a, call.scope), Text) for a in call.args[:2])
            where = call.args[1] if named else call.args[0]  # router.get('user', '/users/:id', ...)
            handler = routers.handler(call, call.args[-1])
            verb = "delete" if name == "del" else name
            for path in routers.paths(call, where):
                routers.route(receiver, (method_of(verb),), path, handler, call)
            return receiver
        if name == "use":
            prefixes, rest = routers.prefixes(call)
            for arg in rest:
                child = routers.value(call.path, arg, call.scope)
                for prefix in prefixes:
                    routers.mount(receiver, prefix, child)
            return receiver
        return UNKNOWN


ADAPTERS = (RouterAdapter(name="Koa", packages=("koa", "@koa/router", "koa-router"), dialect=KoaDialect()),)
