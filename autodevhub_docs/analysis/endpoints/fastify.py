# Fastify: `fastify.get/post/...(path, [options], handler)`, `all` (every method), `route({ method, url | path,
# handler })`, and plugins: `register(plugin, { prefix })` gives the plugin's instance parameter that prefix, nested
# plugins add theirs, across files (require, import, import()). A plugin wrapped in fastify-plugin shares its
# parent's context, so the prefix does not apply (Fastify documents that these options are then ignored).
# @fastify/autoload registers every file of a folder, each sub-folder's name being a prefix.
from __future__ import annotations

import posixpath
from typing import Any

from autodevhub_docs.analysis import javascript
from autodevhub_docs.analysis.endpoints.express import method_of
from autodevhub_docs.analysis.endpoints.js_adapter import RouterAdapter
from autodevhub_docs.analysis.endpoints.js_routers import Routers
from autodevhub_docs.analysis.endpoints.paths import join
from autodevhub_docs.analysis.jsvalues import UNKNOWN, Call, Function, Object, Package, Router, Text, Value

VERBS = frozenset({"get", "post", "put", "patch", "delete", "options", "head", "all"})
_AUTOLOAD = frozenset({"@fastify/autoload", "fastify-autoload"})


class FastifyDialect:
    """What Fastify calls mean."""

    framework = "Fastify"
    methods = VERBS | {"route", "register"}

    def create(self, routers: Routers, callee: Package, call: Call, *, new: bool) -> Value:
        """`Fastify()` makes an instance; `fp(plugin)` marks a plugin that shares its parent's context."""
        del new
        if callee.spec == "fastify" and callee.name in ("default", "*", "fastify", "Fastify"):
            return Router(routers.group(call.path, call.node.id, created=True))
        if callee.spec == "fastify-plugin" and call.args:
            plugin = routers.as_router(routers.value(call.path, call.args[0], call.scope))
            if isinstance(plugin, Function):
                routers.shared.add(plugin)
            return plugin
        return UNKNOWN

    def method(self, routers: Routers, receiver: Router, name: str, call: Call) -> Value:
        """Routes and plugin registrations; each returns the instance, so calls chain."""
        if name in VERBS and len(call.args) >= 2:
            last = call.args[-1]
            options = routers.value(call.path, last, call.scope)
            handler = _handler(routers, call, options) if isinstance(options, Object) else routers.handler(call, last)
            for path in routers.paths(call, call.args[0]):
                routers.route(receiver, (method_of(name),), path, handler, call)
            return receiver
        if name == "route" and call.args:
            options = routers.value(call.path, call.args[0], call.scope)
            if isinstance(options, Object):
                _full_route(routers, receiver, call, options)
            return receiver
        if name == "register" and call.args:
            self._register(routers, receiver, call)
            return receiver
        return UNKNOWN

    @staticmethod
    def _register(routers: Routers, receiver: Router, call: Call) -> None:
        plugin = routers.as_router(routers.value(call.path, call.args[0], call.scope))
        options = routers.value(call.path, call.args[1], call.scope) if len(call.args) > 1 else UNKNOWN
        prefix = _option_text(routers, options, "prefix")
        if isinstance(plugin, Package) and plugin.spec in _AUTOLOAD and isinstance(options, Object):
            _autoload(routers, receiver, call, options, _option_text(routers, _option(routers, options, "options"),
                                                                        "prefix"))
        elif isinstance(plugin, Function):
            routers.mount(receiver, "" if plugin in routers.shared else prefix, _context(routers, plugin))


def _context(routers: Routers, plugin: Function) -> Router:
    """The instance a plugin function receives (its first parameter)."""
    return Router(routers.group(plugin.path, ("param", plugin.scope, 0), created=False))


def _option(routers: Routers, options: Value, key: str) -> Value:
    return routers.member(options, key) if isinstance(options, Object) else UNKNOWN


def _option_text(routers: Routers, options: Value, key: str) -> str:
    found = _option(routers, options, key)
    return found.value if isinstance(found, Text) else ""


def _property_node(routers: Routers, options: Object, key: str) -> Any | None:
    mod = routers.module(options.path)
    if mod is None:
        return None
    for child in options.node.named_children:
        name = child.child_by_field_name("key") if child.type == "pair" else None
        if name is not None and mod.text(name).strip("'\"") == key:
            return child.child_by_field_name("value")
        if child.type in ("shorthand_property_identifier", "method_definition") and key == (
                mod.text(child) if child.type == "shorthand_property_identifier"
                else mod.text(child.child_by_field_name("name"))):
            return child
    return None


def _handler(routers: Routers, call: Call, options: Object) -> str:
    node = _property_node(routers, options, "handler")
    if node is None or node.type == "method_definition":
        return "(inline handler)"
    return routers.handler(Call(path=options.path, node=call.node, scope=options.scope, args=(), line=call.line),
                           node)


def _full_route(routers: Routers, receiver: Router, call: Call, options: Object) -> None:
    method_node = _property_node(routers, options, "method")
    url_node = _property_node(routers, options, "url") or _property_node(routers, options, "path")
    if method_node is None or url_node is None:
        return
    here = Call(path=options.path, node=call.node, scope=options.scope, args=(), line=call.line)
    methods = tuple(m.upper() for m in routers.paths(here, method_node) if not m.startswith("{"))
    handler = _handler(routers, call, options)
    for path in routers.paths(here, url_node):
        routers.route(receiver, methods, path, handler, call)


def _autoload(routers: Routers, receiver: Router, call: Call, options: Object, prefix: str) -> None:
    """Every script under the `dir` option is a plugin; each folder below it adds its name to the prefix."""
    folder = _folder(routers, call, _property_node(routers, options, "dir"))
    if folder is None:
        return
    for path in javascript.scripts(routers.code):
        if not path.startswith(folder + "/"):
            continue
        plugin = routers.as_router(routers.module_value(path))
        if isinstance(plugin, Function):
            here = posixpath.dirname(path)[len(folder):]
            routers.mount(receiver, "" if plugin in routers.shared else join(prefix, here), _context(routers, plugin))


def _folder(routers: Routers, call: Call, node: Any | None) -> str | None:
    """The folder `path.join(__dirname, 'routes')` (or a string relative to the file) names."""
    mod = routers.module(call.path)
    if mod is None or node is None:
        return None
    parts = node.child_by_field_name("arguments").named_children if node.type == "call_expression" else [node]
    words = [routers.text(call.path, p, call.scope) for p in parts
             if mod.text(p) not in ("__dirname", "import.meta.dirname")]
    if not words or any(w is None for w in words):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(call.path), *[w for w in words if w]))


ADAPTERS = (RouterAdapter(name="Fastify", packages=("fastify",), dialect=FastifyDialect()),)
