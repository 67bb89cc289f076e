# Claude through the official `anthropic` SDK (the only module that imports it, and only when a call is needed,
# so a warm build never pays for importing the SDK). Every answer is structured (a forced tool whose input schema
# is the request's schema), validated, repaired once, and otherwise replaced by an earlier answer or the
# request's fallback, with a visible note and a warning. Retries and the circuit breaker are in `llm/retry.py`,
# Message Batches in `llm/batches.py`, reading answers in `llm/answers.py`.
from __future__ import annotations

import json
import os
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from autodevhub_docs.errors import LLMError
from autodevhub_docs.llm.answers import extract, repair_turns, usage_field
from autodevhub_docs.llm.budget import DEFAULT_INPUT_CAP, DEFAULT_OUTPUT_ESTIMATE, CallBudget, estimate_tokens
from autodevhub_docs.llm.cache import LLMCache
from autodevhub_docs.llm.client import ProseRequest, ProseResult, Usage
from autodevhub_docs.llm.pricing import cost_usd
from autodevhub_docs.llm.prompts import TOOL_NAME, Prompt, build_prompt
from autodevhub_docs.llm.provenance import drop_unknown_refs
from autodevhub_docs.llm.retry import FATAL_STATUS, Failure, PageFailed, Retrier, retry_wait
from autodevhub_docs.llm.schema import strict_schema, validate
from autodevhub_docs.log import get_logger
from autodevhub_docs.redact import Redactor
from autodevhub_docs.settings import Settings
from autodevhub_docs.store import Store, open_store

if TYPE_CHECKING:
    import asyncio

log = get_logger(__name__)
T = TypeVar("T")

MIN_CACHEABLE_TOKENS = 1024
"""Below this prefix size the API caches nothing, so pages sharing a prefix need not wait for a first one."""


def run_sync(factory: Callable[[], Awaitable[T]]) -> T:
    """Run async work to completion from sync code, in a worker thread when a loop is already running here."""
    import asyncio  # imported on first use: a warm build (all cache hits) never pays for asyncio or the SDK
    from concurrent.futures import ThreadPoolExecutor

    async def main() -> T:
        return await factory()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(main())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()


class AnthropicClient:
    """Writes structured prose with Claude, with a SQLite cache, budgets, bounded retries and batches.

    Args:
        settings: Build options (model, per-section models, concurrency, budgets, batch mode, serve, cache_dir).
        store: Store holding the cache; opened under `settings.cache_dir` for each `write` when omitted.
        max_retries: Retries per call for 408/409/429/5xx/529 and connection errors.
        max_retry_wait: Longest wait in seconds between two attempts, whatever retry-after asks for.
        timeout: Seconds one HTTP request may take.
        input_cap: Cap on the estimated input tokens per page.
        output_mode: `tool` (forced tool use) or `json_schema` (`output_config` with a JSON schema).
        batch: Use the Message Batches API; defaults to `settings.llm_batch`.
        poll_interval: Seconds between two batch status checks.
        batch_timeout: Seconds to wait for a batch before leaving it to the next build.
    """

    mode = "anthropic"

    def __init__(self, settings: Settings, *, store: Store | None = None, max_retries: int = 2,
                 max_retry_wait: float = 30.0, timeout: float = 120.0, input_cap: int = DEFAULT_INPUT_CAP,
                 output_mode: str = "tool", batch: bool | None = None, poll_interval: float = 10.0,
                 batch_timeout: float = 3600.0) -> None:
        if output_mode not in ("tool", "json_schema"):
            raise ValueError(f"unknown output_mode {output_mode!r}")
        self.settings = settings
        self.usage = Usage()
        """Running totals for this build (report.json's `llm` block)."""
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait
        self.timeout = timeout
        self.input_cap = input_cap
        self.output_mode = output_mode
        self.batch = settings.llm_batch if batch is None else batch
        self.poll_interval = poll_interval
        self.batch_timeout = batch_timeout
        self.redactor = Redactor([settings.api_key_env, settings.github_token_env])
        self._store = store
        self.budget = CallBudget(settings.max_llm_calls, settings.max_cost_usd)
        """The build's call and cost limits."""
        self._retrier = Retrier(classify=_classify, usage=self.usage)

    # ----------------------------------------------------------------------------------------------- public API

    def prompts(self, requests: Sequence[ProseRequest], shared_context: Mapping[str, Any]) -> dict[str, Prompt]:
        """Assemble the prompt of every request (also used by `plan`)."""
        return {r.key: build_prompt(r, shared_context, self.settings.model_for(r.section), self.redactor,
                                    input_cap=self.input_cap) for r in requests}

    def write(self, requests: Sequence[ProseRequest], shared_context: Mapping[str, Any]) -> dict[str, ProseResult]:
        """Answer every request from the cache, Claude, an earlier answer or the fallback.

        Raises:
            LLMError: The endpoint refused the key (401/403) or does not know the model (404).
        """
        store = self._store or open_store(self.settings.cache_dir)
        try:
            cache = LLMCache(store)
            prompts = self.prompts(requests, shared_context)
            results: dict[str, ProseResult] = {}
            misses: list[ProseRequest] = []
            for request in requests:
                hit = cache.get(prompts[request.key].cache_key)
                if hit is not None and not validate(hit.answer, request.schema):
                    self.usage.cache_hits += 1
                    results[request.key] = self.result(request, hit.answer, "cache")
                else:
                    misses.append(request)
            if misses and self.settings.serve:
                for request in misses:  # `mkdocs serve` reloads never call Claude
                    results[request.key] = self._serve_result(request, cache)
                log.info("serve: %d section(s) not in the cache were written offline; run 'mkdocs build' to let "
                         "Claude write them", len(misses))
            elif misses:
                results.update(run_sync(lambda: self._write_misses(misses, prompts, cache)))
            if self.budget.refused:
                self.warn(f"the LLM budget (max_llm_calls={self.settings.max_llm_calls}, max_cost_usd="
                          f"{self.settings.max_cost_usd}) was reached: {self.budget.refused} section(s) show an "
                          "earlier answer or the offline text instead")
            return {r.key: results[r.key] for r in requests}
        finally:
            if self._store is None:
                store.close()

    # ------------------------------------------------------------------------------------------------ results

    def result(self, request: ProseRequest, answer: Mapping[str, Any], origin: str,
               note: str | None = None) -> ProseResult:
        """The result of an answer, without references to issues, PRs or files that do not exist."""
        data, dropped = drop_unknown_refs(answer, request.known_refs)
        self.usage.dropped_refs += dropped
        return ProseResult(key=request.key, data=data, origin=origin, note=note)

    def _serve_result(self, request: ProseRequest, cache: LLMCache) -> ProseResult:
        stale = cache.latest(request.key)
        if stale is not None and not validate(stale.answer, request.schema):
            return self.result(request, stale.answer, "cache", "Written by Claude for an earlier version.")
        return ProseResult(key=request.key, data=request.fallback, origin="offline")

    def degrade(self, request: ProseRequest, cache: LLMCache, reason: str) -> ProseResult:
        """An earlier answer for the same section if there is one, else the fallback; always with a note."""
        stale = cache.latest(request.key)
        if stale is not None and not validate(stale.answer, request.schema):
            note = (f"Claude could not update this section ({reason}), so it shows the text Claude wrote for an "
                    "earlier version of the repository.")
            result = self.result(request, stale.answer, "fallback", note)
        else:
            note = f"Claude could not write this section ({reason}), so it shows text built from the facts alone."
            result = ProseResult(key=request.key, data=request.fallback, origin="fallback", note=note)
        self.warn(f"{request.key}: {note}")
        return result

    def warn(self, message: str) -> None:
        """Record a warning for report.json and log it (so `mkdocs build --strict` fails)."""
        self.usage.warnings.append(message)
        log.warning("%s", message)

    # ------------------------------------------------------------------------------------------------- calls

    async def _write_misses(self, misses: Sequence[ProseRequest], prompts: Mapping[str, Prompt],
                            cache: LLMCache) -> dict[str, ProseResult]:
        import asyncio

        import anthropic

        self._retrier.semaphore = asyncio.Semaphore(self.settings.concurrency)  # one per event loop
        key = os.environ.get(self.settings.api_key_env, "").strip()
        async with anthropic.AsyncAnthropic(api_key=key or None, max_retries=0, timeout=self.timeout) as client:
            if self.batch:
                from autodevhub_docs.llm.batches import BatchRunner

                return await BatchRunner(self, client, cache, _progress_writer()).run(misses, prompts)
            groups = _prefix_groups(misses, prompts)
            tasks = [asyncio.ensure_future(self._page(client, r, prompts[r.key], cache, groups)) for r in misses]
            try:
                done = await asyncio.gather(*tasks)
            except BaseException:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                raise
        return {result.key: result for result in done}

    async def _page(self, client: Any, request: ProseRequest, prompt: Prompt, cache: LLMCache,
                    groups: dict[str, _Group]) -> ProseResult:
        group = groups.get(request.key)
        if group is not None and group.leader != request.key:
            await group.ready.wait()  # let the first page of this prefix write the prompt cache
        try:
            answer = await self.ask(client, request, prompt, cache)
        except PageFailed as failure:
            return self.degrade(request, cache, str(failure))
        finally:
            if group is not None and group.leader == request.key:
                group.ready.set()
        return self.result(request, answer, "model")

    def estimate_cost(self, prompt: Prompt, *, batch: bool = False) -> float:
        """Estimated cost of one call for this prompt (used to reserve budget)."""
        return cost_usd(prompt.model, input_tokens=prompt.estimated_input_tokens,
                        output_tokens=min(prompt.max_tokens, DEFAULT_OUTPUT_ESTIMATE), batch=batch)

    async def ask(self, client: Any, request: ProseRequest, prompt: Prompt, cache: LLMCache,
                  first: Any = None) -> Mapping[str, Any]:
        """Get a valid answer (one repair attempt), store it in the cache and return it.

        Args:
            client: The AsyncAnthropic client.
            request: The request.
            prompt: Its prompt.
            cache: Where the answer is stored.
            first: A message already received (from a batch); when None the first call is made here.

        Raises:
            PageFailed: No valid answer could be had.
        """
        message = first
        if message is None:
            message = await self._call(client, prompt, prompt.messages, "the build's LLM budget is spent")
        answer, problems = extract(message, prompt.schema)
        if problems:
            log.info("%s: the answer did not match its schema (%s); asking once more", request.key, problems[0])
            message = await self._call(client, prompt, [*prompt.messages, *repair_turns(message, problems)],
                                       "the answer did not match its schema and the LLM budget is spent")
            answer, problems = extract(message, prompt.schema)
            if problems:
                self.usage.failures += 1
                raise PageFailed(f"the answer did not match its schema twice: {problems[0]}")
        assert answer is not None  # noqa: S101 - extract returns an answer whenever it reports no problem
        cache.put(prompt.cache_key, request.key, prompt.model, answer,
                  {"output_tokens": usage_field(message, "output_tokens")})
        return answer

    async def _call(self, client: Any, prompt: Prompt, messages: list[dict[str, Any]], refused: str) -> Any:
        """Reserve budget for one logical call, make it, and release the reservation."""
        estimate = self.estimate_cost(prompt)
        if not self.budget.reserve(self.usage.cost_usd, estimate):
            raise PageFailed(refused)
        try:
            return await self._create(client, prompt, messages)
        finally:
            self.budget.release(estimate)

    def params(self, prompt: Prompt, messages: list[dict[str, Any]]) -> dict[str, Any]:
        """The Messages API parameters of one call (also one entry of a batch)."""
        params: dict[str, Any] = {"model": prompt.model, "max_tokens": prompt.max_tokens, "system": prompt.system,
                                  "messages": messages}
        if self.output_mode == "tool":
            params.update(tools=[prompt.tool()], tool_choice={"type": "tool", "name": TOOL_NAME})
        else:
            params["output_config"] = {"format": {"type": "json_schema", "schema": strict_schema(prompt.schema)}}
        return params

    async def _create(self, client: Any, prompt: Prompt, messages: list[dict[str, Any]]) -> Any:
        """One logical Messages call with bounded retries; records usage and cost."""
        params = self.params(prompt, messages)
        message = await self.with_retries(lambda: client.messages.create(**params), prompt.model, count=True)
        self.record(message, prompt.model, batch=False)
        return message

    async def with_retries(self, call: Callable[[], Awaitable[T]], model: str, *, count: bool = False) -> T:
        """Run one API call under the concurrency limit, retrying 408/409/429/5xx/529 and connection errors.

        Args:
            call: Makes the request (a fresh coroutine per attempt).
            model: Model named in error messages.
            count: Count each attempt in `usage.calls`.

        Raises:
            LLMError: 401/403 (the key) or 404 (the model or endpoint).
            PageFailed: Retries are exhausted, the error is not retryable, or the endpoint looks down.
        """
        return await self._retrier.run(call, concurrency=self.settings.concurrency, max_retries=self.max_retries,
                                       wait=self.retry_wait, fatal=lambda failure: self._fatal(failure, model),
                                       count=count)

    def retry_wait(self, headers: Mapping[str, str], attempt: int) -> float:
        """Seconds to wait before the next attempt: retry-after(-ms) when given, else backoff; never above the cap."""
        return retry_wait(headers, attempt, self.max_retry_wait)

    def _fatal(self, failure: Failure, model: str) -> LLMError:
        base = os.environ.get("ANTHROPIC_BASE_URL") or "https://api.anthropic.com"
        detail = getattr(failure.error, "message", "") or str(failure.error)
        if failure.status == 404:
            return LLMError(f"The Anthropic endpoint {base} does not know the model '{model}' ({detail}).",
                            "Set 'model' (or 'section_models') in mkdocs.yml to a model your endpoint serves, or "
                            "check ANTHROPIC_BASE_URL.")
        return LLMError(f"The Anthropic API refused the key in ${self.settings.api_key_env} "
                        f"(HTTP {failure.status} {FATAL_STATUS[failure.status]} error from {base}).",
                        f"Put a valid Anthropic API key in ${self.settings.api_key_env} (or set 'api_key_env' to the "
                        "variable that holds it), or set 'llm: offline'.")

    def record(self, message: Any, model: str, *, batch: bool) -> None:
        """Add one answer's tokens and cost to the build's usage."""
        tokens = {name: usage_field(message, name) for name in
                  ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")}
        self.usage.input_tokens += tokens["input_tokens"]
        self.usage.output_tokens += tokens["output_tokens"]
        self.usage.cache_read_tokens += tokens["cache_read_input_tokens"]
        self.usage.cache_write_tokens += tokens["cache_creation_input_tokens"]
        self.usage.cost_usd += cost_usd(model, input_tokens=tokens["input_tokens"],
                                        output_tokens=tokens["output_tokens"],
                                        cache_read_tokens=tokens["cache_read_input_tokens"],
                                        cache_write_tokens=tokens["cache_creation_input_tokens"], batch=batch)


def _classify(error: Exception) -> Failure | None:
    """What an SDK exception means for the retry loop; None for anything that is not an API error."""
    import anthropic

    if isinstance(error, anthropic.APIStatusError):
        return Failure(error.status_code, error.response.headers, error)
    if isinstance(error, anthropic.APIConnectionError):
        return Failure(0, {}, error)
    return None


@dataclass
class _Group:
    leader: str
    ready: asyncio.Event


def _prefix_groups(misses: Sequence[ProseRequest], prompts: Mapping[str, Prompt]) -> dict[str, _Group]:
    """Pages sharing a cacheable prefix (model, tool schema, system): the first goes alone, the rest follow it."""
    import asyncio

    by_prefix: dict[str, list[str]] = {}
    for request in misses:
        prompt = prompts[request.key]
        prefix_tokens = estimate_tokens(json.dumps(prompt.system)) + estimate_tokens(dict(prompt.schema))
        if prefix_tokens >= MIN_CACHEABLE_TOKENS:
            prefix = json.dumps([prompt.model, prompt.system, prompt.schema], sort_keys=True)
            by_prefix.setdefault(prefix, []).append(request.key)
    groups: dict[str, _Group] = {}
    for keys in by_prefix.values():
        if len(keys) > 1:
            group = _Group(keys[0], asyncio.Event())
            groups.update(dict.fromkeys(keys, group))
    return groups


def count_tokens(settings: Settings, prompts: Sequence[Prompt]) -> dict[str, int]:
    """Exact input token counts from the `count_tokens` endpoint (used by `plan --exact`).

    Raises:
        LLMError: No key, or the endpoint refused it.
    """
    import anthropic

    key = os.environ.get(settings.api_key_env, "").strip()
    if not key:
        raise LLMError(f"'plan --exact' asks the API to count tokens, but ${settings.api_key_env} is empty.",
                       f"Export your Anthropic key in ${settings.api_key_env}, or run 'plan' without --exact.")
    counts: dict[str, int] = {}
    with anthropic.Anthropic(api_key=key, max_retries=2, timeout=60.0) as client:
        for prompt in prompts:
            try:
                answer = client.messages.count_tokens(
                    model=prompt.model, system=prompt.system, messages=prompt.messages,  # type: ignore[arg-type]
                    tools=[prompt.tool()], tool_choice={"type": "tool", "name": TOOL_NAME})  # type: ignore[list-item]
            except anthropic.APIStatusError as error:
                if error.status_code in (401, 403):
                    raise LLMError(f"The Anthropic API refused the key in ${settings.api_key_env}.",
                                   f"Put a valid key in ${settings.api_key_env}.") from None
                raise LLMError(f"Counting tokens failed: HTTP {error.status_code}.",
                               "Run 'plan' without --exact for an estimate.") from None
            except anthropic.APIConnectionError as error:
                raise LLMError(f"Counting tokens failed: cannot reach the API ({error}).",
                               "Check ANTHROPIC_BASE_URL and the network, or run 'plan' without --exact.") from None
            counts[prompt.request_key] = int(answer.input_tokens)
    return counts


def _progress_writer() -> Callable[[str], None]:
    """A one-line progress display on a terminal, log lines otherwise."""
    if sys.stderr.isatty():
        return lambda line: print(f"\r{line}", end="", file=sys.stderr, flush=True)
    return lambda line: log.info("%s", line.strip())
