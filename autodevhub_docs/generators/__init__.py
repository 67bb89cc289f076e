"""Generators: facts in, Documents out. Each section is one generator; `changes` runs last."""

from __future__ import annotations

from autodevhub_docs.generators.adrs import AdrGenerator
from autodevhub_docs.generators.architecture import ArchitectureGenerator
from autodevhub_docs.generators.base import Document, GenContext, Generator
from autodevhub_docs.generators.changes import ChangesGenerator
from autodevhub_docs.generators.development import DevelopmentGenerator
from autodevhub_docs.generators.stories import StoryGenerator

REGISTRY: dict[str, type[Generator]] = {
    "architecture": ArchitectureGenerator,
    "adr": AdrGenerator,
    "stories": StoryGenerator,
    "development": DevelopmentGenerator,
    "changes": ChangesGenerator,
}
"""Section name to generator class, in build order (`changes` must stay last)."""

__all__ = ["REGISTRY", "Document", "GenContext", "Generator"]
