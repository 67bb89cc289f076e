# Facts derived by static analysis of the code (see `autodevhub_docs.analysis`).
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True, slots=True)
class Component:
    """A top-level part of the repository (a folder, package or deployable unit)."""

    name: str
    """Display name."""
    path: str
    """Folder relative to the repository root ('.' for the root)."""
    kind: str
    """package, service, docs, tests, config, or folder."""
    files: int
    """Number of tracked files under it."""
    lines: int
    """Number of text lines under it."""
    language: str | None
    """Dominant language by lines."""


@dataclass(frozen=True, kw_only=True, slots=True)
class LanguageStat:
    """Lines and files of one language."""

    language: str
    """Language name."""
    files: int
    """Number of files."""
    lines: int
    """Number of lines."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ArchitectureFacts:
    """What static analysis found; later analyses add fields with empty defaults."""

    languages: tuple[LanguageStat, ...] = ()
    """Languages by lines, largest first."""
    components: tuple[Component, ...] = ()
    """Top-level components."""
    manifests: tuple[str, ...] = ()
    """Dependency manifests found (pyproject.toml, package.json, ...)."""
    test_files: tuple[str, ...] = ()
    """Files that look like tests."""
    ci_workflows: tuple[str, ...] = ()
    """CI workflow files."""
    docker_files: tuple[str, ...] = ()
    """Dockerfiles and compose files."""
    quality_configs: tuple[str, ...] = ()
    """Lint, format and type-check configuration files."""
