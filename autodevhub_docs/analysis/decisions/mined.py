# What decision mining hands back, and what a build keeps of it for the next (`AnalysisMemo.last_mining`).
from __future__ import annotations

from dataclasses import dataclass

from autodevhub_docs.model.decisions import Decision


@dataclass(frozen=True)
class Mined:
    """The decisions kept, and how many candidates the history proposed and verification rejected."""

    decisions: tuple[Decision, ...]
    """Decisions oldest first, with supersede links."""
    candidates: int
    """Drafts the signals proposed."""
    rejected: int
    """Candidates whose claims did not hold at their cited commits."""


@dataclass(frozen=True)
class StoredMining:
    """What the last build mined, with the digest of what it was mined from."""

    key: str
    """`decisions.mining_key` of its inputs."""
    mined: Mined
    """The result."""
    trees: tuple[str, ...]
    """The revisions its verification read (their states stay kept)."""
