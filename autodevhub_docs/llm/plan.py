# `autodevhub-docs plan`: which prose requests would go to Claude (cache misses), with estimated tokens and cost.
# It calls nothing, except the count_tokens endpoint when asked for exact input counts.
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.llm.budget import DEFAULT_INPUT_CAP, DEFAULT_OUTPUT_ESTIMATE
from autodevhub_docs.llm.cache import LLMCache
from autodevhub_docs.llm.client import ProseRequest
from autodevhub_docs.llm.pricing import cost_usd
from autodevhub_docs.llm.prompts import Prompt, build_prompt
from autodevhub_docs.redact import Redactor
from autodevhub_docs.settings import Settings
from autodevhub_docs.store import Store


@dataclass(frozen=True)
class PlanRow:
    """One prose request and what regenerating it would cost."""

    key: str
    """Request key (page and part)."""
    section: str
    """Section of the page."""
    model: str
    """Model that would be asked."""
    cached: bool
    """True when the cache already holds the answer (nothing would be sent)."""
    input_tokens: int
    """Estimated (or, with `exact`, counted) input tokens."""
    output_tokens: int
    """Estimated output tokens (the previous answer's size, else a default)."""
    cost_usd: float
    """Estimated cost of regenerating it (0 when cached)."""
    exact: bool = False
    """True when `input_tokens` came from the count_tokens endpoint."""


def plan(settings: Settings, requests: Sequence[ProseRequest], shared_context: Mapping[str, Any], store: Store, *,
         exact: bool = False, input_cap: int = DEFAULT_INPUT_CAP) -> list[PlanRow]:
    """Say what a build would send to Claude.

    Args:
        settings: Build options (models, batch mode).
        requests: The prose requests of the enabled sections.
        shared_context: Repository context shared by every prompt.
        store: The store holding the LLM cache.
        exact: Count input tokens with the API's count_tokens endpoint (for cache misses only).
        input_cap: Cap on the estimated input tokens per page.

    Returns:
        One row per request, in request order.

    Raises:
        LLMError: `exact` was asked for but the API cannot be used.
    """
    cache = LLMCache(store)
    redactor = Redactor([settings.api_key_env, settings.github_token_env])
    prompts: dict[str, Prompt] = {r.key: build_prompt(r, shared_context, settings.model_for(r.section), redactor,
                                                      input_cap=input_cap) for r in requests}
    cached = {key for key, prompt in prompts.items() if cache.get(prompt.cache_key) is not None}
    counts: dict[str, int] = {}
    misses = [prompts[r.key] for r in requests if r.key not in cached]
    if exact and misses:
        from autodevhub_docs.llm.anthropic import count_tokens

        counts = count_tokens(settings, misses)
    rows = []
    for request in requests:
        prompt = prompts[request.key]
        latest = cache.latest(request.key)
        output = latest.output_tokens if latest is not None and latest.output_tokens else DEFAULT_OUTPUT_ESTIMATE
        output = min(output, prompt.max_tokens)
        tokens = counts.get(request.key, prompt.estimated_input_tokens)
        hit = request.key in cached
        cost = 0.0 if hit else cost_usd(prompt.model, input_tokens=tokens, output_tokens=output,
                                        batch=settings.llm_batch)
        rows.append(PlanRow(key=request.key, section=request.section, model=prompt.model, cached=hit,
                            input_tokens=tokens, output_tokens=output, cost_usd=cost, exact=request.key in counts))
    return rows
