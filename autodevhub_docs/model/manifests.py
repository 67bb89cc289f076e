# Facts read from dependency manifests by the one manifest reader (`sources/manifests.py`).
from __future__ import annotations

from dataclasses import dataclass

SCOPES = ("runtime", "dev", "test", "build", "indirect")
"""What a dependency is for: shipped with the app, a developer tool, tests only, the build only, or pulled in by
another dependency (go.mod `// indirect`)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Dependency:
    """One dependency a manifest declares."""

    ecosystem: str
    """pypi, npm, go, rubygems, maven, composer, nuget or cargo."""
    name: str
    """Name as the ecosystem compares it: PyPI names normalised (`GitPython` -> `gitpython`), Maven as
    `group:artifact`, others as written."""
    spec: str
    """Version specifier as written ('' when none)."""
    scope: str
    """One of `SCOPES`."""
    path: str
    """Manifest path, relative to the repository root."""
    line: int
    """1-based line of the declaration (the section's line when the exact line cannot be told)."""
    group: str = ""
    """The group, extra, environment or configuration that declares it (`dev`, `test`, `testImplementation`...)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Manifest:
    """One dependency manifest, read with the parser of its format."""

    path: str
    """Repository-relative path."""
    ecosystem: str
    """Ecosystem of its dependencies (see `Dependency.ecosystem`)."""
    name: str = ""
    """The package or project name it declares ('' when none)."""
    description: str = ""
    """The package description it declares ('' when none)."""
    dependencies: tuple[Dependency, ...] = ()
    """Declared dependencies, in file order."""
    scripts: tuple[tuple[str, str], ...] = ()
    """Named commands it defines (package.json and composer.json `scripts`): `(name, command)`."""
    workspaces: tuple[str, ...] = ()
    """Workspace globs (package.json `workspaces`, Cargo `[workspace] members`)."""
    problem: str = ""
    """Why the file could not be read fully ('' when it was): the dependencies are what could be read."""
