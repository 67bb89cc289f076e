# Batch mode: cache misses go through the Message Batches API at half price. The batch id is stored in the cache
# before polling, so a build that is interrupted (or gives up waiting) resumes the same batch next time instead of
# paying again. Invalid answers still get one (direct) repair call; failed ones fall back like any other failure.
from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from autodevhub_docs.llm.budget import CallBudget
from autodevhub_docs.llm.cache import LLMCache
from autodevhub_docs.llm.client import ProseRequest, ProseResult, Usage
from autodevhub_docs.llm.prompts import Prompt
from autodevhub_docs.llm.retry import PageFailed
from autodevhub_docs.settings import Settings

T = TypeVar("T")

STILL_RUNNING = "its batch is still running; the next build collects it"


class BatchOwner(Protocol):
    """What a batch needs from the client that owns it (`llm.anthropic.AnthropicClient`).

    Declared here so that this module never imports the client: the client imports batches, not the reverse.
    """

    settings: Settings
    usage: Usage
    budget: CallBudget
    poll_interval: float
    batch_timeout: float

    def estimate_cost(self, prompt: Prompt, *, batch: bool = False) -> float:
        """Estimated cost of one call."""

    def params(self, prompt: Prompt, messages: list[dict[str, Any]]) -> dict[str, Any]:
        """Messages API parameters of one call."""

    async def with_retries(self, call: Callable[[], Awaitable[T]], model: str, *, count: bool = False) -> T:
        """One API call with bounded retries."""

    async def ask(self, client: Any, request: ProseRequest, prompt: Prompt, cache: LLMCache,
                  first: Any = None) -> Mapping[str, Any]:
        """A valid answer from a received message (one repair call at most)."""

    def result(self, request: ProseRequest, answer: Mapping[str, Any], origin: str,
               note: str | None = None) -> ProseResult:
        """The result of an answer."""

    def degrade(self, request: ProseRequest, cache: LLMCache, reason: str) -> ProseResult:
        """An earlier answer or the fallback, with a note."""

    def record(self, message: Any, model: str, *, batch: bool) -> None:
        """Add one answer's tokens and cost to the usage."""

    def warn(self, message: str) -> None:
        """Record and log a warning."""


def custom_id(prompt: Prompt) -> str:
    """Batch custom id of a prompt (identical prompts share one entry)."""
    return f"s{prompt.cache_key[:48]}"


class BatchRunner:
    """Sends cache misses through one Message Batch, or resumes the batch an earlier build left pending.

    Args:
        owner: The client (budgets, retries, usage, fallbacks).
        client: The AsyncAnthropic client.
        cache: The LLM cache (answers and batch ids).
        progress: Shows one line of progress.
    """

    def __init__(self, owner: BatchOwner, client: Any, cache: LLMCache, progress: Callable[[str], None]) -> None:
        self.owner = owner
        self.client = client
        self.cache = cache
        self.progress = progress

    async def run(  # noqa: PLR0912 - budget, resume, create, collect and fall back in one readable pass
        self, misses: Sequence[ProseRequest], prompts: Mapping[str, Prompt]
    ) -> dict[str, ProseResult]:
        """Answer every miss (from a batch, an earlier answer or the fallback)."""
        owner = self.owner
        results: dict[str, ProseResult] = {}
        wanted: dict[str, list[ProseRequest]] = {}
        reserved = 0.0
        for request in misses:
            prompt = prompts[request.key]
            estimate = owner.estimate_cost(prompt, batch=True)
            cid = custom_id(prompt)
            if cid not in wanted:
                if not owner.budget.reserve(owner.usage.cost_usd, estimate):
                    results[request.key] = owner.degrade(request, self.cache, "the build's LLM budget is spent")
                    continue
                reserved += estimate
            wanted.setdefault(cid, []).append(request)
        messages: dict[str, Any] = {}
        try:
            for batch_id, entries in self.cache.pending_batches():
                if set(entries) & set(wanted):
                    log_resume(self.progress, batch_id)
                    messages.update(await self._finish(batch_id, wanted))
            remaining = [cid for cid in wanted if cid not in messages]
            if remaining:
                batch = await owner.with_retries(lambda: self.client.messages.batches.create(requests=[
                    {"custom_id": cid, "params": owner.params(prompts[wanted[cid][0].key],
                                                               prompts[wanted[cid][0].key].messages)}
                    for cid in remaining]), owner.settings.model)
                owner.usage.calls += len(remaining)
                self.cache.add_batch(batch.id, {cid: prompts[wanted[cid][0].key].cache_key for cid in remaining})
                messages.update(await self._finish(batch.id, wanted))
        except PageFailed as failure:
            for cid in wanted:
                messages.setdefault(cid, f"the batch request failed: {failure}")
        finally:
            owner.budget.release(reserved)
        for cid, requests in wanted.items():
            message = messages.get(cid, STILL_RUNNING)
            for request in requests:
                if isinstance(message, str):
                    results[request.key] = owner.degrade(request, self.cache, message)
                    continue
                try:
                    answer = await owner.ask(self.client, request, prompts[request.key], self.cache, first=message)
                except PageFailed as failure:
                    results[request.key] = owner.degrade(request, self.cache, str(failure))
                else:
                    results[request.key] = owner.result(request, answer, "model")
        return results

    async def _finish(self, batch_id: str, wanted: Mapping[str, Any]) -> dict[str, Any]:
        """Poll a batch until it ends (then collect it) or the wait runs out (then leave it pending)."""
        owner = self.owner
        started = time.monotonic()
        while True:
            batch = await owner.with_retries(lambda: self.client.messages.batches.retrieve(batch_id),
                                             owner.settings.model)
            counts = batch.request_counts
            done = counts.succeeded + counts.errored + counts.canceled + counts.expired
            total = done + counts.processing
            ended = batch.processing_status == "ended"
            self.progress(f"Claude batch {batch_id}: {_bar(done, total)} {done}/{total} answered" + ("\n" * ended))
            if ended:
                break
            if time.monotonic() - started > owner.batch_timeout:
                owner.warn(f"the Message Batch {batch_id} is still running after {owner.batch_timeout:.0f} s; "
                            "the next build resumes it")
                return {}
            await asyncio.sleep(owner.poll_interval)
        collected: dict[str, Any] = {}
        decoder = await owner.with_retries(lambda: self.client.messages.batches.results(batch_id),
                                           owner.settings.model)
        async for entry in decoder:
            result = entry.result
            if result.type == "succeeded":
                owner.record(result.message, getattr(result.message, "model", owner.settings.model), batch=True)
                collected[entry.custom_id] = result.message
            else:
                owner.usage.failures += 1
                collected[entry.custom_id] = f"the batch request {result.type}"
        self.cache.finish_batch(batch_id)
        return {cid: value for cid, value in collected.items() if cid in wanted}


def _bar(done: int, total: int, width: int = 20) -> str:
    filled = width * done // total if total else width
    return "[" + "#" * filled + "-" * (width - filled) + "]"


def log_resume(progress: Callable[[str], None], batch_id: str) -> None:
    """Say that an earlier build's batch is being resumed."""
    progress(f"resuming the Claude batch {batch_id} started by an earlier build")
