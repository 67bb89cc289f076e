"""The analysis stage: `analyse(facts)` returns one frozen `Analysis` holding everything the generators need."""

from __future__ import annotations

from autodevhub_docs.analysis.stage import analyse

__all__ = ["analyse"]
