# The one place that names the default Claude model and what models cost. Prices are US dollars per million
# tokens at list price; cache writes (5-minute TTL) cost 1.25x input, cache reads 0.1x input, and the Message
# Batches API halves everything.
from __future__ import annotations

from dataclasses import dataclass

from autodevhub_docs.settings import DEFAULT_MODEL

CACHE_WRITE_FACTOR = 1.25
"""A 5-minute prompt-cache write costs this multiple of the base input price."""
CACHE_READ_FACTOR = 0.1
"""A prompt-cache read costs this multiple of the base input price."""
BATCH_FACTOR = 0.5
"""The Message Batches API charges half of the standard price."""


@dataclass(frozen=True)
class ModelPrice:
    """List price of one model in US dollars per million tokens."""

    input_per_mtok: float
    """Base input tokens."""
    output_per_mtok: float
    """Output tokens."""


_SONNET = ModelPrice(3.0, 15.0)
_OPUS = ModelPrice(5.0, 25.0)
_HAIKU = ModelPrice(1.0, 5.0)

PRICES: dict[str, ModelPrice] = {
    DEFAULT_MODEL: _SONNET,
    "claude-sonnet-5": _SONNET,
    "claude-sonnet-4-6": _SONNET,
    "claude-sonnet-4-5": _SONNET,
    "claude-opus-5-5": _OPUS,
    "claude-opus-5": _OPUS,
    "claude-opus-4-8": _OPUS,
    "claude-opus-4-7": _OPUS,
    "claude-opus-4-6": _OPUS,
    "claude-opus-4-5": _OPUS,
    "claude-haiku-5-5": _HAIKU,
    "claude-haiku-4-5": _HAIKU,
}
"""Known models; a name not listed (a local or proxy model) is priced by its family, else as the default."""


def price_of(model: str) -> ModelPrice:
    """Return the price of a model, guessing from its family name when it is not in the table."""
    if model in PRICES:
        return PRICES[model]
    for family, price in (("opus", _OPUS), ("haiku", _HAIKU), ("sonnet", _SONNET)):
        if family in model:
            return price
    return PRICES[DEFAULT_MODEL]


def cost_usd(model: str, *, input_tokens: int = 0, output_tokens: int = 0, cache_read_tokens: int = 0,
             cache_write_tokens: int = 0, batch: bool = False) -> float:
    """Return the estimated cost of one call.

    Args:
        model: Model name.
        input_tokens: Uncached input tokens.
        output_tokens: Output tokens.
        cache_read_tokens: Input tokens read from the prompt cache.
        cache_write_tokens: Input tokens written to the prompt cache.
        batch: Whether the call went through the Message Batches API.

    Returns:
        Dollars.
    """
    price = price_of(model)
    dollars = (input_tokens * price.input_per_mtok
               + cache_write_tokens * price.input_per_mtok * CACHE_WRITE_FACTOR
               + cache_read_tokens * price.input_per_mtok * CACHE_READ_FACTOR
               + output_tokens * price.output_per_mtok) / 1_000_000
    return dollars * (BATCH_FACTOR if batch else 1.0)
