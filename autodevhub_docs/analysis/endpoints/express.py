# Express: `app.get/post/...(path, ...handlers)`, `app.all` (every method), `router.route(path).get().post()`,
# `express()` apps and `Router()` instances, and `use([prefix,] ...routers)` mounts, followed across files through
# require/import/module.exports/export default, including chained routers with no prefix
# (`Router().use(tags).use(articles)`). A `router.get('/')` mounted at `/api/users` serves `/api/users`.
from __future__ import annotations

from autodevhub_docs.analysis.endpoints.js_adapter import RouterAdapter
from autodevhub_docs.analysis.endpoints.js_routers import Routers
from autodevhub_docs.analysis.jsvalues import UNKNOWN, Call, Package, Router, Value

VERBS = frozenset({"get", "post", "put", "patch", "delete", "options", "head", "all"})
"""Route methods of an app, a router and a `route(path)` chain; `all` accepts every method."""


def method_of(verb: str) -> str:
    """The HTTP method a route verb registers (`all` is every method)."""
    return "ANY" if verb == "all" else verb.upper()


class ExpressDialect:
    """What Express calls mean."""

    framework = "Express"
    methods = VERBS | {"use", "route"}

    def create(self, routers: Routers, callee: Package, call: Call, *, new: bool) -> Value:
        """`express()` makes an app, `express.Router()` and `Router()` make routers."""
        del new
        if callee.spec == "express" and callee.name in ("default", "*", "Router"):
            return Router(routers.group(call.path, call.node.id, created=True))
        return UNKNOWN

    def method(self, routers: Routers, receiver: Router, name: str, call: Call) -> Value:
        """Routes, `route(path)` chains and `use` mounts; every one returns its receiver, so calls chain."""
        if receiver.chain is not None:
            if name in VERBS and call.args:
                routers.route(receiver, (method_of(name),), receiver.chain, routers.handler(call, call.args[-1]),
                              call)
            return receiver
        if name == "route" and call.args:
            paths = routers.paths(call, call.args[0])
            return Router(receiver.group, chain=paths[0]) if paths else UNKNOWN
        if name in VERBS and len(call.args) >= 2:  # app.get('setting') reads a setting
            handler = routers.handler(call, call.args[-1])
            for path in routers.paths(call, call.args[0]):
                routers.route(receiver, (method_of(name),), path, handler, call)
            return receiver
        if name == "use":
            prefixes, rest = routers.prefixes(call)
            for arg in rest:
                child = routers.value(call.path, arg, call.scope)
                for prefix in prefixes:
                    routers.mount(receiver, prefix, child)
            return receiver
        return UNKNOWN


ADAPTERS = (RouterAdapter(name="Express", packages=("express",), dialect=ExpressDialect()),)
