# What every generator shares: the context it reads, the Document it returns, and the two-phase protocol
# (plan the prose it needs, then build documents once the prose is written). Generators are pure functions of
# (settings, analysis, prose answers): they never run analysis, open the store or read another page.
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from autodevhub_docs.llm.client import ProseRequest, ProseResult
from autodevhub_docs.model import ArchitectureFacts, RepoFacts
from autodevhub_docs.model.analysis import Analysis
from autodevhub_docs.settings import Settings


@dataclass(frozen=True, kw_only=True)
class Document:
    """A page to render: a template plus the data it shows."""

    uri: str
    """Docs-relative path, e.g. `architecture/index.md`."""
    title: str
    """Page title (trusted: built by us)."""
    template: str
    """Template name under `templates/`, e.g. `architecture/index.md.jinja`; '' for verbatim pages."""
    context: Mapping[str, Any] = field(default_factory=dict)
    """Data for the template."""
    verbatim: str | None = None
    """Text included as is (hand-written ADRs); the template is not used."""
    notes: tuple[str, ...] = ()
    """Visible notes about degraded content (shown as an admonition)."""
    inventory: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """What the page lists, by kind (`adr`, `story`, `endpoint`...), for the changes feed."""


@dataclass(frozen=True, kw_only=True)
class GenContext:
    """Everything a generator may read: the options and the analysis. Nothing else (no store, no other page)."""

    settings: Settings
    """Options of this build."""
    analysis: Analysis
    """What the analysis stage found."""

    @property
    def facts(self) -> RepoFacts:
        """What the sources read."""
        return self.analysis.facts

    @property
    def arch(self) -> ArchitectureFacts:
        """What static analysis found."""
        return self.analysis.architecture


def degraded_notes(results: Sequence[ProseResult]) -> tuple[str, ...]:
    """Collect the visible notes of answers that fell back."""
    return tuple(dict.fromkeys(r.note for r in results if r.origin == "fallback" and r.note))


class Generator(Protocol):
    """One section of the site."""

    section: str
    """Section name (`architecture`, `adr`, ...)."""

    def plan(self, ctx: GenContext) -> list[ProseRequest]:
        """Return the prose this section needs (possibly none)."""
        ...

    def build(self, ctx: GenContext, prose: Mapping[str, ProseResult]) -> list[Document]:
        """Return the section's documents, given the answers to `plan`."""
        ...
