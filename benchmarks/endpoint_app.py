"""What every generated application of the endpoint benchmark is: its files, manifest dependencies and counts."""

from __future__ import annotations

from dataclasses import dataclass

from autodevhub_docs.model import Dependency


@dataclass(frozen=True)
class App:
    """A generated application and what its adapters must find in it."""

    language: str
    """Row label (`JavaScript`, `Go`...)."""
    stack: str
    """Frameworks it is written for, as shown in the report."""
    files: dict[str, str]
    """Repository-relative path -> text."""
    dependencies: tuple[Dependency, ...]
    """What its manifests declare (as the manifest reader would give them)."""
    endpoints: int
    """Endpoints generated: the adapters must find exactly this many."""
    entities: int
    """Entities generated: the data-model adapters must find exactly this many."""


def deps(ecosystem: str, manifest: str, *names: str) -> tuple[Dependency, ...]:
    """Runtime dependencies declared by one manifest."""
    return tuple(Dependency(ecosystem=ecosystem, name=n, spec="", scope="runtime", path=manifest, line=1)
                 for n in names)
