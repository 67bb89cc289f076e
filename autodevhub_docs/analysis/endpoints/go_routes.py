# Go endpoints: one adapter per web framework (net/http, Gin, Echo, Fiber, chi, gorilla/mux). The program is
# followed once (`go_interpreter`) and each adapter reports the routes of its framework's routers, with every
# prefix of the groups, sub-routers and mounts above them, across functions, files and packages.
from __future__ import annotations

import weakref
from dataclasses import dataclass

from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.datamodel.go_databases import opened_databases
from autodevhub_docs.analysis.endpoints.go_frameworks import PACKAGES, framework_of, go_pattern
from autodevhub_docs.analysis.endpoints.go_interpreter import GoInterpreter
from autodevhub_docs.analysis.endpoints.go_site import Site
from autodevhub_docs.analysis.endpoints.go_source import go_program, is_go_source
from autodevhub_docs.analysis.endpoints.paths import normalise_path
from autodevhub_docs.model import Endpoint, SourceRef

MAX_EVIDENCE = 6
OBSERVED_CALLS = frozenset({"AutoMigrate", "CreateTable"})
"""Calls the data-model readers look at, kept while the program is followed (GORM's migrations)."""


@dataclass(frozen=True)
class GoRoutes:
    """What following a Go program found."""

    endpoints: tuple[Endpoint, ...]
    """Every route of every router, with its full path."""
    files_read: tuple[str, ...]
    """Go files parsed."""
    problems: dict[str, list[str]]
    """Framework ('' for all) -> files and routes that could not be read."""
    registrations: dict[str, list[SourceRef]]
    """Framework -> calls that registered routes."""
    imports: dict[str, list[SourceRef]]
    """Framework -> files that import it."""
    databases: tuple[tuple[str, SourceRef], ...]
    """Databases the program opens."""
    observed: dict[str, list[Site]]
    """`OBSERVED_CALLS` met while following the program."""


_last: tuple[weakref.ref[Codebase], GoRoutes] | None = None


def go_routes(code: Codebase) -> GoRoutes:
    """Follow the Go program of a codebase once (the six adapters share the result)."""
    global _last  # noqa: PLW0603 - a one-entry cache shared by the adapters of one analysis
    if _last is not None and _last[0]() is code:
        return _last[1]
    program = go_program(code)
    interpreter = GoInterpreter(program, observe=OBSERVED_CALLS)
    interpreter.run()
    for router in interpreter.routers:
        router.finish()
    found: dict[tuple[str, str, str, SourceRef], Endpoint] = {}
    for root in (r for r in interpreter.routers if not r.mounted):
        for path, route, framework in root.resolved():
            endpoint = Endpoint(method=route.method, path=normalise_path(go_pattern(path)), handler=route.handler,
                                framework=framework, source=route.source)
            found.setdefault((endpoint.method, endpoint.path, endpoint.handler, endpoint.source), endpoint)
    imports: dict[str, list[SourceRef]] = {}
    for file in program.files:
        for import_path, line in file.import_lines.items():
            imported = framework_of(import_path)
            if imported is not None:
                imports.setdefault(imported, []).append(SourceRef(path=file.path, line=line))
    result = GoRoutes(endpoints=tuple(found.values()), files_read=tuple(f.path for f in program.parsed_files()),
                      problems=interpreter.problems, registrations=interpreter.registrations,
                      imports=imports, databases=opened_databases(program), observed=interpreter.observed)
    _last = (weakref.ref(code), result)
    return result


@dataclass(frozen=True)
class GoFramework:
    """Endpoints of one Go web framework."""

    name: str
    """Catalog name."""
    module: str | None
    """Go module that provides it (None for the standard library)."""

    def run(self, code: Codebase) -> Found | None:
        """Routes of this framework, or None when the program does not use it."""
        if not any(is_go_source(p) for p in code.paths):
            return None
        evidence: list[SourceRef] = []
        if self.module is not None:
            dependency = code.dependency("go", [self.module, self.module + "/*"])
            if dependency is not None:
                evidence.append(Codebase.ref(dependency))
        routes = go_routes(code)
        if self.module is not None:
            evidence += routes.imports.get(self.name, [])
        else:
            # Every Go program may import net/http (clients too): the standard mux is in use when routes are
            # registered on it.
            evidence += routes.registrations.get(self.name, [])
        if not evidence:
            return None
        return Found(framework=self.name, evidence=tuple(dict.fromkeys(evidence))[:MAX_EVIDENCE],
                     files_read=routes.files_read,
                     endpoints=tuple(e for e in routes.endpoints if e.framework == self.name),
                     problems=tuple(routes.problems.get("", []) + routes.problems.get(self.name, [])),
                     technologies=routes.databases)


ADAPTERS = tuple(GoFramework(name=framework, module=None if package == "net/http" else package)
                 for package, framework in PACKAGES.items())
