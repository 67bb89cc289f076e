# A prose writer that answers like a model would, including references that do not exist. It implements the
# LLMClient protocol (the seam the pipeline takes as `llm=`), so generators run unchanged.
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from autodevhub_docs.llm.client import ProseRequest, ProseResult, Usage


class ScriptedWriter:
    """Answers each request with `answer(request)`, marked as coming from the model."""

    mode = "anthropic"

    def __init__(self, answer: Callable[[ProseRequest], Mapping[str, Any] | None]) -> None:
        self.usage = Usage()
        self.answer = answer
        self.requests: list[ProseRequest] = []

    def write(self, requests: Sequence[ProseRequest], shared_context: Mapping[str, Any]) -> dict[str, ProseResult]:
        del shared_context
        self.requests.extend(requests)
        results = {}
        for request in requests:
            data = self.answer(request)
            self.usage.calls += 1
            results[request.key] = ProseResult(key=request.key, data=data if data is not None else request.fallback,
                                               origin="model")
        return results
