"""Static analysis: pure functions from RepoFacts (and file text) to architecture facts."""

from __future__ import annotations

from autodevhub_docs.analysis.inventory import analyse

__all__ = ["analyse"]
