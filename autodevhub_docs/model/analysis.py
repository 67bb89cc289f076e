# The analysis stage's one record: everything the generators need, computed once per build by
# `analysis.analyse(facts)`. Generators read it and nothing else (plus the prose answers).
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from autodevhub_docs.model.architecture import ArchitectureFacts
from autodevhub_docs.model.decisions import Decision
from autodevhub_docs.model.facts import RepoFacts
from autodevhub_docs.model.manifests import Manifest
from autodevhub_docs.model.stories import Triage


@dataclass(frozen=True, kw_only=True, slots=True)
class CommandBlock:
    """A shell code block from the README or CONTRIBUTING, under a heading that says what it is for."""

    heading: str
    """The heading it sits under (untrusted text)."""
    code: str
    """The commands (untrusted text)."""
    source: str
    """The file it comes from."""


@dataclass(frozen=True, kw_only=True, slots=True)
class SetupStep:
    """The standard install command of one manifest's ecosystem, run in the manifest's folder."""

    manifest: str
    """Manifest path."""
    folder: str
    """Folder to run it in ('.' for the root)."""
    ecosystem: str
    """Python, Node.js, Go..."""
    command: str
    """The command."""


@dataclass(frozen=True, kw_only=True, slots=True)
class DevelopmentFacts:
    """How to set up and ship, from the repository's own files."""

    setup_blocks: tuple[CommandBlock, ...] = ()
    """Setup, build and test commands the README and CONTRIBUTING give."""
    deploy_blocks: tuple[CommandBlock, ...] = ()
    """Deployment commands the README gives."""
    steps: tuple[SetupStep, ...] = ()
    """One install step per manifest."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Analysis:
    """What the analysis stage found: the facts, and everything derived from them."""

    facts: RepoFacts
    """What the sources read."""
    architecture: ArchitectureFacts
    """Technologies, components, endpoints, data model, deployment."""
    manifests: tuple[Manifest, ...] = ()
    """Every dependency manifest, read by the one manifest reader."""
    development: DevelopmentFacts = DevelopmentFacts()
    """Setup and shipping facts."""
    decisions: tuple[Decision, ...] = ()
    """Decisions mined from history, oldest first (those a hand-written record covers included)."""
    covered_decisions: Mapping[str, int] = field(default_factory=dict)
    """Mined decision id -> number of the hand-written record that documents it (it gets no generated page)."""
    decision_numbers: Mapping[str, int] = field(default_factory=dict)
    """Mined decision id -> record number; filled by the numbering step, which keeps numbers stable across builds."""
    triage: Triage | None = None
    """Issues sorted into stories and known issues; None when there is no usable GitHub data (none, or private
    without `allow_private`)."""
    github_usable: bool = False
    """Whether issue and PR data may reach pages and prompts."""
    warnings: tuple[str, ...] = ()
    """Problems the analysis found that a user should act on (each also logged as a warning)."""
