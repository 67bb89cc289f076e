"""Generators: (settings, analysis, prose) in, Documents out; one per section. `changes` is a pipeline step."""

from __future__ import annotations

from autodevhub_docs.generators.adrs import AdrGenerator
from autodevhub_docs.generators.architecture import ArchitectureGenerator
from autodevhub_docs.generators.base import Document, GenContext, Generator
from autodevhub_docs.generators.development import DevelopmentGenerator
from autodevhub_docs.generators.stories import StoryGenerator

REGISTRY: dict[str, type[Generator]] = {
    "architecture": ArchitectureGenerator,
    "adr": AdrGenerator,
    "stories": StoryGenerator,
    "development": DevelopmentGenerator,
}
"""Section name to generator class, in build order (the `changes` section is the pipeline's last step)."""

__all__ = ["REGISTRY", "Document", "GenContext", "Generator"]
