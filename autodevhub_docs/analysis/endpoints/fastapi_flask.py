# Adapters of the Python frameworks that declare routes on router objects: FastAPI, Flask, Starlette and Quart.
# One resolver (`python_routers`) reads every router of every file; each adapter keeps its framework's endpoints.
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from autodevhub_docs.analysis import pyevidence, pysymbols
from autodevhub_docs.analysis.adapters import Found, PythonVisitor
from autodevhub_docs.analysis.codebase import Codebase, is_application_code
from autodevhub_docs.analysis.endpoints import python_routers
from autodevhub_docs.model import SourceRef


@dataclass(frozen=True)
class RouterFramework:
    """A framework whose routes hang on router objects, present by its dependency, import or router objects."""

    name: str
    """Catalog name."""
    packages: tuple[str, ...]
    """PyPI names."""
    modules: tuple[str, ...]
    """Import names."""
    built_on_by: tuple[str, ...] = ()
    """Packages built on this one: when one of them is used, importing this one is no evidence (a FastAPI app
    imports `starlette.requests`); only its own router objects are."""

    def visitors(self) -> Sequence[PythonVisitor]:
        """The router and symbol visitors (class-based views need the symbols)."""
        return (python_routers.VISITOR, pysymbols.VISITOR)

    def run(self, code: Codebase) -> Found | None:
        """The framework's endpoints, or None when it is not used."""
        evidence = self._evidence(code)
        if not evidence:
            return None
        endpoints = tuple(e for e in python_routers.endpoints(code) if e.framework == self.name)
        files = {r.path for r in python_routers.routers(code, self.name)} | {e.source.path for e in endpoints}
        return Found(framework=self.name, evidence=tuple(evidence), files_read=tuple(sorted(files)),
                     endpoints=endpoints,
                     problems=pyevidence.unparsed(code.paths, code.python, is_application_code))

    def _evidence(self, code: Codebase) -> list[SourceRef]:
        evidence = python_routers.routers(code, self.name)[:3]
        if self.built_on_by and (code.dependency("pypi", self.built_on_by)
                                 or pyevidence.import_evidence(code.python, *self.built_on_by, limit=1)):
            return evidence
        dependency = code.dependency("pypi", self.packages)
        imports = pyevidence.import_evidence(code.python, *self.modules)
        return ([code.ref(dependency)] if dependency else []) + imports + evidence


ADAPTERS = (
    RouterFramework(name="FastAPI", packages=("fastapi",), modules=("fastapi",)),
    RouterFramework(name="Flask", packages=("flask", "apiflask"), modules=("flask", "apiflask")),
    RouterFramework(name="Starlette", packages=("starlette",), modules=("starlette",), built_on_by=("fastapi",)),
    RouterFramework(name="Quart", packages=("quart",), modules=("quart",)),
)
