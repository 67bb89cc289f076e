"""Prose writers behind one protocol: Claude (`llm/anthropic.py`) or the deterministic offline writer."""

from __future__ import annotations

from autodevhub_docs.llm.client import LLMClient, ProseRequest, ProseResult, Usage
from autodevhub_docs.llm.offline import OfflineWriter

__all__ = ["LLMClient", "OfflineWriter", "ProseRequest", "ProseResult", "Usage"]
