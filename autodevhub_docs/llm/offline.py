# The deterministic writer: answers every request with the fallback its generator built from facts.
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from autodevhub_docs.llm.client import ProseRequest, ProseResult, Usage


class OfflineWriter:
    """Writes pages from facts alone: no network, no key, same output every time."""

    mode = "offline"

    def __init__(self) -> None:
        self.usage = Usage()
        """Always zero calls and zero cost."""

    def write(self, requests: Sequence[ProseRequest], shared_context: Mapping[str, Any]) -> dict[str, ProseResult]:
        """Return each request's fallback answer.

        Args:
            requests: What the generators need.
            shared_context: Unused offline.
        """
        del shared_context
        return {r.key: ProseResult(key=r.key, data=r.fallback, origin="offline") for r in requests}
