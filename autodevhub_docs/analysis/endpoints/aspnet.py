# ASP.NET Core endpoints: attribute-routed controllers (`aspnet_controllers`) and minimal APIs (`aspnet_minimal`),
# read from the application's C# files once the project shows ASP.NET Core (the `Microsoft.NET.Sdk.Web` SDK, a
# `Microsoft.AspNetCore.*` package, or a `using Microsoft.AspNetCore...` directive in application code).
from __future__ import annotations

from dataclasses import dataclass

from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.datamodel.dotnet_databases import configured_databases, environments
from autodevhub_docs.analysis.endpoints.aspnet_controllers import FRAMEWORK, controller_endpoints, is_controller
from autodevhub_docs.analysis.endpoints.aspnet_minimal import MinimalApis
from autodevhub_docs.analysis.endpoints.csharp_source import CsProgram, cs_program, is_application_source
from autodevhub_docs.analysis.endpoints.paths import normalise_path
from autodevhub_docs.model import Endpoint, SourceRef

PACKAGES = ("Microsoft.NET.Sdk.Web", "Microsoft.AspNetCore.*")
"""Project SDK and packages that bring ASP.NET Core."""


def using_directives(program: CsProgram, namespace: str) -> list[SourceRef]:
    """`using` directives of application code that import a namespace or one under it."""
    return [SourceRef(path=file.path, line=line) for file in program.files for name, line, _ in file.usings
            if name == namespace or name.startswith(namespace + ".")]


def endpoints(program: CsProgram) -> tuple[list[Endpoint], list[str]]:
    """Every controller and minimal-API endpoint of the program, and what could not be read."""
    problems: list[str] = list(program.problems)
    found: list[Endpoint] = []
    for cls in program.derived_from(("Controller",)):  # what `is_controller` looks for holds `Controller`
        if is_controller(program, cls):
            found.extend(controller_endpoints(program, cls, problems))
    minimal = MinimalApis(program)
    minimal.run()
    problems += minimal.problems
    for router in minimal.routers:
        if router.mounted:
            continue
        for path, route, framework in router.resolved():
            found.append(Endpoint(method=route.method, path=normalise_path(path), handler=route.handler,
                                  framework=framework, source=route.source))
    unique = {(e.method, e.path, e.handler, e.source.path, e.source.line): e for e in found}  # SourceRef's fields
    return list(unique.values()), problems


@dataclass(frozen=True)
class AspNetCore:
    """ASP.NET Core controllers and minimal APIs."""

    name: str = FRAMEWORK
    """Catalog name."""

    def run(self, code: Codebase) -> Found | None:
        """The endpoints of an ASP.NET Core application, or None when the repository has none."""
        if not any(is_application_source(p) for p in code.paths):
            return None
        evidence: list[SourceRef] = []
        dependency = code.dependency("nuget", PACKAGES)
        if dependency is not None:
            evidence.append(Codebase.ref(dependency))
        program = cs_program(code)
        evidence += using_directives(program, "Microsoft.AspNetCore")
        if not evidence:
            return None
        found, problems = endpoints(program)
        return Found(framework=self.name, evidence=tuple(dict.fromkeys(evidence))[:6],
                     files_read=tuple(f.path for f in program.parsed_files()), endpoints=tuple(found),
                     problems=tuple(problems), technologies=configured_databases(program),
                     environments=environments(program))


ADAPTERS = (AspNetCore(),)
