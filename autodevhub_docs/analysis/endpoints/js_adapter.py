# The adapter every router-building JS/TS framework shares: present when a manifest declares one of its packages or
# application code imports one; then its dialect is evaluated over the files that use those packages (directly or
# through files of the repository) and the files their values lead to.
from __future__ import annotations

from dataclasses import dataclass

from autodevhub_docs.analysis import javascript
from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.endpoints.js_routers import Dialect, Routers


@dataclass(frozen=True)
class RouterAdapter:
    """An endpoint adapter for a framework whose routes are built by calls on router objects."""

    name: str
    """Framework name, as the catalog spells it."""
    packages: tuple[str, ...]
    """npm packages (and import specifiers) that bring the framework."""
    dialect: Dialect
    """What its calls mean."""

    @property
    def script_packages(self) -> tuple[str, ...]:
        """The framework's packages: the adapter reads their importers whole (`adapters.script_packages`)."""
        return self.packages

    def run(self, code: Codebase) -> Found | None:
        """Every route the application's JS/TS files build, with its full path.

        The files read are those that use the framework's packages and those their values lead to.
        """
        evidence = javascript.presence(code, self.packages)
        if not evidence:
            return None
        routers = Routers(code, self.dialect)
        endpoints = routers.run(javascript.users(code, self.packages))
        return Found(framework=self.name, evidence=evidence, files_read=tuple(routers.files_read),
                     endpoints=tuple(endpoints), problems=tuple(javascript.unparsed(code)))
