# Claude through the official `anthropic` SDK (the only module that imports it, and only when a call is needed,
# so a warm build never pays for importing the SDK). Every answer is structured (a forced tool whose input schema
# is the request's schema), validated, repaired once, and otherwise replaced by an earlier answer or the
# request's fallback, with a visible note and a warning. Retries honour retry-after, but never longer than
# `max_retry_wait` (the SDK itself has no cap).
from __future__ import annotations

import json
import os
import random
import re
import sys
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from autodevhub_docs.errors import LLMError
from autodevhub_docs.llm.budget import DEFAULT_INPUT_CAP, DEFAULT_OUTPUT_ESTIMATE, estimate_tokens
from autodevhub_docs.llm.cache import LLMCache
from autodevhub_docs.llm.client import ProseRequest, ProseResult, Usage
from autodevhub_docs.llm.pricing import cost_usd
from autodevhub_docs.llm.prompts import TOOL_NAME, Prompt, build_prompt
from autodevhub_docs.llm.provenance import drop_unknown_refs
from autodevhub_docs.llm.schema import strict_schema, validate
from autodevhub_docs.log import get_logger
from autodevhub_docs.redact import Redactor
from autodevhub_docs.settings import Settings
from autodevhub_docs.store import Store, open_store

if TYPE_CHECKING:
    import asyncio

log = get_logger(__name__)
T = TypeVar("T")

BREAKER_LIMIT = 3
"""After this many calls in a row fail despite retries, the rest of the build stops calling (the endpoint is down)."""
MIN_CACHEABLE_TOKENS = 1024
"""Below this prefix size the API caches nothing, so pages sharing a prefix need not wait for a first one."""
_FATAL_STATUS = {401: "authentication", 403: "permission", 404: "not found"}


class _PageFailed(Exception):
    """One page could not be written by the model (retries exhausted, invalid twice, budget)."""


@dataclass
class _Budget:
    """Per-build limits, reserved before each call so that concurrent pages cannot overshoot."""

    max_calls: int | None
    max_cost: float | None
    calls: int = 0
    reserved_cost: float = 0.0
    refused: int = 0

    def reserve(self, usage: Usage, estimate: float) -> bool:
        if self.max_calls is not None and self.calls >= self.max_calls:
            self.refused += 1
            return False
        if self.max_cost is not None and usage.cost_usd + self.reserved_cost + estimate > self.max_cost:
            self.refused += 1
            return False
        self.calls += 1
        self.reserved_cost += estimate
        return True


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
        self._budget = _Budget(settings.max_llm_calls, settings.max_cost_usd)
        self._sem: asyncio.Semaphore | None = None
        self._endpoint_failures = 0
        """Calls in a row that failed after all their retries; at BREAKER_LIMIT the build stops calling."""

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
                    results[request.key] = self._result(request, hit.answer, "cache")
                else:
                    misses.append(request)
            if misses and self.settings.serve:
                for request in misses:  # `mkdocs serve` reloads never call Claude
                    results[request.key] = self._serve_result(request, cache)
                log.info("serve: %d section(s) not in the cache were written offline; run 'mkdocs build' to let "
                         "Claude write them", len(misses))
            elif misses:
                results.update(run_sync(lambda: self._write_misses(misses, prompts, cache)))
            if self._budget.refused:
                self._warn(f"the LLM budget (max_llm_calls={self.settings.max_llm_calls}, max_cost_usd="
                           f"{self.settings.max_cost_usd}) was reached: {self._budget.refused} section(s) show an "
                           "earlier answer or the offline text instead")
            return {r.key: results[r.key] for r in requests}
        finally:
            if self._store is None:
                store.close()

    # ------------------------------------------------------------------------------------------------ results

    def _result(self, request: ProseRequest, answer: Mapping[str, Any], origin: str,
                note: str | None = None) -> ProseResult:
        data, dropped = drop_unknown_refs(answer, request.known_refs)
        self.usage.dropped_refs += dropped
        return ProseResult(key=request.key, data=data, origin=origin, note=note)

    def _serve_result(self, request: ProseRequest, cache: LLMCache) -> ProseResult:
        stale = cache.latest(request.key)
        if stale is not None and not validate(stale.answer, request.schema):
            return self._result(request, stale.answer, "cache", "Written by Claude for an earlier version.")
        return ProseResult(key=request.key, data=request.fallback, origin="offline")

    def _degrade(self, request: ProseRequest, cache: LLMCache, reason: str, *, warn: bool = True) -> ProseResult:
        """An earlier answer for the same section if there is one, else the fallback; always with a note."""
        stale = cache.latest(request.key)
        if stale is not None and not validate(stale.answer, request.schema):
            note = (f"Claude could not update this section ({reason}), so it shows the text Claude wrote for an "
                    "earlier version of the repository.")
            result = self._result(request, stale.answer, "fallback", note)
        else:
            note = f"Claude could not write this section ({reason}), so it shows text built from the facts alone."
            result = ProseResult(key=request.key, data=request.fallback, origin="fallback", note=note)
        if warn:
            self._warn(f"{request.key}: {note}")
        return result

    def _warn(self, message: str) -> None:
        self.usage.warnings.append(message)
        log.warning("%s", message)

    # ------------------------------------------------------------------------------------------------- calls

    async def _write_misses(self, misses: Sequence[ProseRequest], prompts: Mapping[str, Prompt],
                            cache: LLMCache) -> dict[str, ProseResult]:
        import asyncio

        import anthropic

        self._sem = asyncio.Semaphore(self.settings.concurrency)
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
        except _PageFailed as failure:
            return self._degrade(request, cache, str(failure))
        finally:
            if group is not None and group.leader == request.key:
                group.ready.set()
        return self._result(request, answer, "model")

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
            _PageFailed: No valid answer could be had.
        """
        message = first
        if message is None:
            message = await self._call(client, prompt, prompt.messages, "the build's LLM budget is spent")
        answer, problems = _extract(message, prompt.schema)
        if problems:
            log.info("%s: the answer did not match its schema (%s); asking once more", request.key, problems[0])
            message = await self._call(client, prompt, [*prompt.messages, *_repair_turns(message, problems)],
                                       "the answer did not match its schema and the LLM budget is spent")
            answer, problems = _extract(message, prompt.schema)
            if problems:
                self.usage.failures += 1
                raise _PageFailed(f"the answer did not match its schema twice: {problems[0]}")
        assert answer is not None  # noqa: S101 - _extract returns an answer whenever it reports no problem
        cache.put(prompt.cache_key, request.key, prompt.model, answer,
                  {"output_tokens": _usage_field(message, "output_tokens")})
        return answer

    async def _call(self, client: Any, prompt: Prompt, messages: list[dict[str, Any]], refused: str) -> Any:
        """Reserve budget for one logical call, make it, and release the reservation."""
        estimate = self.estimate_cost(prompt)
        if not self._budget.reserve(self.usage, estimate):
            raise _PageFailed(refused)
        try:
            return await self._create(client, prompt, messages)
        finally:
            self._budget.reserved_cost = max(0.0, self._budget.reserved_cost - estimate)

    def _params(self, prompt: Prompt, messages: list[dict[str, Any]]) -> dict[str, Any]:
        params: dict[str, Any] = {"model": prompt.model, "max_tokens": prompt.max_tokens, "system": prompt.system,
                                  "messages": messages}
        if self.output_mode == "tool":
            params.update(tools=[prompt.tool()], tool_choice={"type": "tool", "name": TOOL_NAME})
        else:
            params["output_config"] = {"format": {"type": "json_schema", "schema": strict_schema(prompt.schema)}}
        return params

    async def _create(self, client: Any, prompt: Prompt, messages: list[dict[str, Any]]) -> Any:
        """One logical Messages call with bounded retries; records usage and cost."""
        params = self._params(prompt, messages)
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
            _PageFailed: Retries are exhausted or the error is not retryable.
        """
        import asyncio

        import anthropic

        if self._sem is None:
            self._sem = asyncio.Semaphore(self.settings.concurrency)
        attempt = 0
        while True:
            async with self._sem:
                if self._endpoint_failures >= BREAKER_LIMIT:
                    raise _PageFailed(f"not tried: {BREAKER_LIMIT} calls in a row failed, so the endpoint looks down")
                if count:
                    self.usage.calls += 1
                try:
                    result = await call()
                except anthropic.APIStatusError as error:
                    failure: Exception = error
                    status = error.status_code
                    headers: Mapping[str, str] = error.response.headers
                except anthropic.APIConnectionError as error:
                    failure, status, headers = error, 0, {}
                else:
                    self._endpoint_failures = 0
                    return result
            if status in _FATAL_STATUS:
                raise self._fatal(status, model, failure)
            should = (headers.get("x-should-retry") or "").lower()
            retryable = should == "true" or (should != "false" and (status in (0, 408, 409, 429) or status >= 500))
            if not retryable or attempt >= self.max_retries:
                self.usage.failures += 1
                self._endpoint_failures += 1
                raise _PageFailed(_describe(status, failure, attempt + 1))
            wait = self.retry_wait(headers, attempt)
            log.info("HTTP %s from the Anthropic API; retrying in %.1f s", status or "connection error", wait)
            await asyncio.sleep(wait)
            attempt += 1

    def retry_wait(self, headers: Mapping[str, str], attempt: int) -> float:
        """Seconds to wait before the next attempt: retry-after(-ms) when given, else backoff; never above the cap."""
        wait: float | None = None
        try:
            if headers.get("retry-after-ms"):
                wait = float(headers["retry-after-ms"]) / 1000
            elif headers.get("retry-after"):
                raw = headers["retry-after"]
                try:
                    wait = float(raw)
                except ValueError:
                    import email.utils

                    when = email.utils.parsedate_to_datetime(raw)
                    wait = when.timestamp() - time.time()
        except (TypeError, ValueError):
            wait = None
        if wait is None or wait <= 0:
            wait = min(0.5 * 2**attempt, 8.0) * (1 - 0.25 * random.random())  # noqa: S311 - jitter, not crypto
        return min(wait, self.max_retry_wait)

    def _fatal(self, status: int, model: str, error: Exception) -> LLMError:
        base = os.environ.get("ANTHROPIC_BASE_URL") or "https://api.anthropic.com"
        detail = getattr(error, "message", "") or str(error)
        if status == 404:
            return LLMError(f"The Anthropic endpoint {base} does not know the model '{model}' ({detail}).",
                            "Set 'model' (or 'section_models') in mkdocs.yml to a model your endpoint serves, or "
                            "check ANTHROPIC_BASE_URL.")
        return LLMError(f"The Anthropic API refused the key in ${self.settings.api_key_env} "
                        f"(HTTP {status} {_FATAL_STATUS[status]} error from {base}).",
                        f"Put a valid Anthropic API key in ${self.settings.api_key_env} (or set 'api_key_env' to the "
                        "variable that holds it), or set 'llm: offline'.")

    def record(self, message: Any, model: str, *, batch: bool) -> None:
        """Add one answer's tokens and cost to the build's usage."""
        tokens = {name: _usage_field(message, name) for name in
                  ("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")}
        self.usage.input_tokens += tokens["input_tokens"]
        self.usage.output_tokens += tokens["output_tokens"]
        self.usage.cache_read_tokens += tokens["cache_read_input_tokens"]
        self.usage.cache_write_tokens += tokens["cache_creation_input_tokens"]
        self.usage.cost_usd += cost_usd(model, input_tokens=tokens["input_tokens"],
                                        output_tokens=tokens["output_tokens"],
                                        cache_read_tokens=tokens["cache_read_input_tokens"],
                                        cache_write_tokens=tokens["cache_creation_input_tokens"], batch=batch)


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


def _usage_field(message: Any, name: str) -> int:
    usage = getattr(message, "usage", None)
    value = getattr(usage, name, None) if usage is not None else None
    return int(value) if isinstance(value, (int, float)) else 0


_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")


def _extract(message: Any, schema: Mapping[str, Any]) -> tuple[Mapping[str, Any] | None, list[str]]:
    """The answer of a message (the forced tool's input, else JSON text) and what is wrong with it."""
    candidate: Any = None
    found = False
    for block in getattr(message, "content", None) or []:
        if getattr(block, "type", None) == "tool_use" and getattr(block, "name", None) == TOOL_NAME:
            candidate, found = block.input, True
            break
    if not found:
        text = "".join(getattr(b, "text", "") for b in getattr(message, "content", None) or []
                       if getattr(b, "type", None) == "text")
        try:
            candidate, found = json.loads(_FENCE.sub("", text)), True
        except ValueError:
            return None, [f"no call of the {TOOL_NAME} tool and no JSON answer (got {text[:80]!r})"]
    problems = validate(candidate, schema)
    if getattr(message, "stop_reason", None) == "max_tokens":
        problems.append("the answer was cut off at max_tokens")
    return (candidate if not problems else None), problems


def _repair_turns(message: Any, problems: list[str]) -> list[dict[str, Any]]:
    """The assistant's invalid answer and a user turn naming what to fix."""
    feedback = ("Your answer did not match the schema: " + "; ".join(problems[:10])
                + f". Call the {TOOL_NAME} tool again with a corrected, complete answer.")
    content: list[dict[str, Any]] = []
    tool_id = None
    for block in getattr(message, "content", None) or []:
        kind = getattr(block, "type", None)
        if kind == "tool_use":
            tool_id = block.id
            content.append({"type": "tool_use", "id": block.id, "name": block.name, "input": block.input})
        elif kind == "text" and block.text:
            content.append({"type": "text", "text": block.text})
    if not content:
        content = [{"type": "text", "text": "(no answer)"}]
    reply: list[dict[str, Any]] = ([{"type": "tool_result", "tool_use_id": tool_id, "is_error": True,
                                     "content": feedback}] if tool_id else [{"type": "text", "text": feedback}])
    return [{"role": "assistant", "content": content}, {"role": "user", "content": reply}]


def _describe(status: int, error: Exception, attempts: int) -> str:
    what = f"HTTP {status}" if status else type(error).__name__.replace("Error", " error").strip()
    return f"{what} after {attempts} attempt{'s' if attempts > 1 else ''}"


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
