# Rails endpoints from `config/routes.rb` and the files it `draw`s, read with the tree-sitter Ruby grammar and
# evaluated by the Mapper (`rails_mapper`): resources, namespaces, scopes, member/collection routes, verb routes,
# concerns, `devise_for`. Blocks that only constrain or default (`constraints`, `defaults`, `devise_scope`,
# `authenticated`) pass their routes through.
from __future__ import annotations

from typing import Any

from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.endpoints.rails_devise import Devise
from autodevhub_docs.analysis.endpoints.rails_mapper import Body, Mapper, Scope
from autodevhub_docs.analysis.endpoints.ruby_values import Call, assignments, call, classes, statements, words
from autodevhub_docs.model import Endpoint, SourceRef
from autodevhub_docs.parsing.treesitter import Parsed

ROUTES_FILE = "config/routes.rb"
MAX_BLOCK_DEPTH = 64
"""Deepest nesting of routing blocks followed (real route files nest a handful of levels)."""
_VERBS = frozenset({"get", "post", "put", "patch", "delete", "options", "head"})
_PASS_THROUGH = frozenset({"constraints", "defaults", "devise_scope", "as", "authenticate", "authenticated",
                           "unauthenticated", "with_options", "format"})
"""Blocks that add conditions or defaults but no path: their routes are the enclosing scope's."""
_NOT_ROUTES = frozenset({"mount", "direct", "resolve", "use", "require", "require_relative"})
"""Calls that declare no endpoint the code shows (a mounted Rack app's routes live in that app)."""


def api_only(code: Codebase, app: str) -> bool:
    """Whether `config/application.rb` sets `config.api_only = true` (resources then have no new/edit)."""
    parsed = code.parse(f"{app}config/application.rb")
    if parsed is None:
        return False
    return any(assignments(parsed, cls.body, "config").get("api_only", (False, 0))[0] is True
               for cls in classes(parsed))


class _Walker:
    """Evaluates the statements of route files in scopes."""

    def __init__(self, code: Codebase, app: str, mapper: Mapper) -> None:
        self.code = code
        self.app = app
        self.mapper = mapper
        self.tracked = frozenset(code.paths)
        self.devise = Devise(mapper, code, app)
        self.files_read: list[str] = []
        self._drawing: list[str] = []
        self._depth = 0

    def file(self, path: str, scope: Scope) -> None:
        if path in self._drawing:
            self.mapper.problems.append(f"{path}: draws itself (through {' -> '.join(self._drawing)}); read once")
            return
        parsed = self.code.parse(path) if path in self.tracked else None  # only the repository's own files
        if parsed is None:
            reason = "missing" if path not in self.tracked else "unreadable or too large to parse"
            self.mapper.problems.append(f"{path}: {reason}")
            return
        self.files_read.append(path)
        self._drawing.append(path)
        try:
            self.block(parsed, path, parsed.root, scope)
        finally:
            self._drawing.pop()

    def block(self, parsed: Parsed, path: str, node: Any, scope: Scope) -> None:
        if self._depth >= MAX_BLOCK_DEPTH:
            self.mapper.problems.append(f"{path}:{node.start_point[0] + 1}: blocks nested deeper than "
                                        f"{MAX_BLOCK_DEPTH} levels are not read")
            return
        self._depth += 1
        try:
            for statement in statements(node):
                found = call(parsed, statement)
                if found is not None:
                    self.statement(parsed, path, found, scope)
        finally:
            self._depth -= 1

    def statement(self, parsed: Parsed, path: str, c: Call, scope: Scope) -> None:  # noqa: PLR0912 - one per DSL call
        at = SourceRef(path=path, line=c.line)
        block = c.block
        body: Body | None = (lambda s: self.block(parsed, path, block, s)) if block is not None else None
        m = self.mapper
        name = c.name
        if c.receiver:
            if name == "draw" and c.receiver.endswith("routes") and body is not None:
                body(scope)  # Rails.application.routes.draw do ... end
            return
        if name in ("resources", "resource"):
            m.resources(scope, c.args, c.options, body, at, singleton=name == "resource")
        elif name in _VERBS:
            m.verb(scope, name, c.args, c.options, at)
        elif name == "match":
            m.match(scope, c.args, c.options, at)
        elif name == "root":
            m.root(scope, c.args, c.options, at)
        elif name == "devise_for":
            self.devise.devise_for(scope, c.args, c.options, at)
        elif name == "draw" and c.args:
            self.file(f"{self.app}config/routes/{c.args[0]}.rb", scope)
        elif name == "concerns":
            m.concern_calls(scope, words(c.args), at)
        elif body is None or name in _NOT_ROUTES:
            return
        elif name == "namespace" and c.args:
            m.namespace(scope, c.args[0], c.options, body)
        elif name == "scope":
            m.scope(scope, c.args, c.options, body)
        elif name == "controller" and c.args:
            m.scope(scope, [], {**c.options, "controller": c.args[0]}, body)
        elif name == "concern" and c.args:
            m.concerns[str(c.args[0])] = body
        elif name in ("member", "collection", "new", "nested", "shallow"):
            getattr(m, name)(scope, body)
        else:
            body(scope)  # constraints, defaults, devise_scope, authenticated... add no path


class RailsRoutes:
    """Rails: `config/routes.rb` and the files it draws."""

    name = "Rails"

    def run(self, code: Codebase) -> Found | None:
        """Read the routes of every Rails application in the repository."""
        dependency = code.dependency("rubygems", ["rails", "railties", "actionpack"])
        roots = [p for p in code.source_files(ROUTES_FILE) if p == ROUTES_FILE or p.endswith(f"/{ROUTES_FILE}")]
        drawn = [p for p in roots if _draws_routes(code, p)]
        if dependency is None and not drawn:
            return None
        evidence = ([Codebase.ref(dependency)] if dependency is not None else []) + [SourceRef(path=p) for p in drawn]
        endpoints: dict[tuple[str, str], Endpoint] = {}
        problems: list[str] = []
        files_read: list[str] = []
        for root in roots if dependency is not None else drawn:
            app = root.removesuffix(ROUTES_FILE)
            mapper = Mapper(api_only=api_only(code, app))
            walker = _Walker(code, app, mapper)
            walker.file(root, Scope())
            files_read += walker.files_read
            problems += mapper.problems
            for route in mapper.routes:  # Rails answers with the first route that matches
                endpoints.setdefault((route.method, route.path), Endpoint(
                    method=route.method, path=route.path, handler=route.handler, framework="Rails",
                    source=route.source))
        return Found(framework="Rails", evidence=tuple(evidence), files_read=tuple(files_read),
                     endpoints=tuple(endpoints.values()), problems=tuple(problems))


def _draws_routes(code: Codebase, path: str) -> bool:
    """Whether a routes file holds `<App>.routes.draw do ... end` (Hanami's `config/routes.rb` does not)."""
    parsed = code.parse(path)
    if parsed is None:
        return False
    for node in statements(parsed.root):
        found = call(parsed, node)
        if found is not None and found.name == "draw" and found.receiver.endswith("routes"):
            return True
    return False


ADAPTERS = (RailsRoutes(),)
