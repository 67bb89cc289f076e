# Budgets: the build's calls and cost (`CallBudget`), and each page's input. A prompt is estimated at ~3.5
# characters per token; when its data is over budget it is
# condensed hierarchically, never cut mid-item: first long texts are shortened at a word boundary, then long
# lists keep their first items in full and only the headlines (number, title, name, path...) of the rest, and
# finally the rest is reduced to a count.
from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_INPUT_CAP = 8000
"""Default cap on estimated input tokens per page (system, shared context, instructions and data)."""
DEFAULT_OUTPUT_ESTIMATE = 700
"""Output tokens assumed for an answer never generated before (budgets and `plan`)."""
CHARS_PER_TOKEN = 3.5
"""Conservative average for English prose mixed with JSON."""
HEADLINE_KEYS = ("number", "id", "key", "title", "name", "path", "sha", "state", "kind", "labels", "date")
"""Fields an item keeps when it is reduced to a headline."""

_STRING_LIMITS = (4000, 2000, 1000, 500, 250, 120)
_LIST_KEEPS = (100, 50, 25, 12, 6, 3, 1)


def estimate_tokens(value: Any) -> int:
    """Estimate the tokens of a text or of JSON data."""
    if isinstance(value, str):
        return math.ceil(len(value) / CHARS_PER_TOKEN)
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def shorten(text: str, limit: int) -> str:
    """Shorten a text to about `limit` characters at a word boundary, saying how much was left out."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return f"{cut.rstrip()} … [{len(text) - len(cut)} more characters left out]"


def _shorten_to(limit: int, text: str) -> str:
    return shorten(text, limit)


def _map_strings(value: Any, func: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return func(value)
    if isinstance(value, Mapping):
        return {k: _map_strings(v, func) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_map_strings(v, func) for v in value]
    return value


def _headline(item: Any) -> Any:
    if isinstance(item, Mapping):
        kept = {k: (shorten(v, 120) if isinstance(v, str) else v) for k, v in item.items() if k in HEADLINE_KEYS}
        return kept or shorten(json.dumps(item, ensure_ascii=False), 120)
    if isinstance(item, str):
        return shorten(item, 120)
    return item


def _condense_lists(value: Any, keep: int, headlines: bool) -> Any:
    if isinstance(value, Mapping):
        return {k: _condense_lists(v, keep, headlines) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        items = [_condense_lists(v, keep, headlines) for v in value]
        if len(items) <= keep:
            return items
        rest = items[keep:]
        summary: dict[str, Any] = {"more_items_left_out": len(rest)}
        if headlines:
            summary["their_headlines"] = [_headline(item) for item in rest]
        return [*items[:keep], summary]
    return value


def fit(data: Any, budget_tokens: int) -> tuple[Any, bool]:
    """Condense data until its estimate fits the budget.

    Args:
        data: JSON-like data for one prompt.
        budget_tokens: Tokens the data may use.

    Returns:
        The (possibly condensed) data and whether anything was condensed. Data that cannot fit even as counts is
        returned in its smallest form.
    """
    if estimate_tokens(data) <= budget_tokens:
        return data, False
    current = data
    for limit in _STRING_LIMITS:
        current = _map_strings(data, functools.partial(_shorten_to, limit))
        if estimate_tokens(current) <= budget_tokens:
            return current, True
    shortened = current
    for headlines in (True, False):
        for keep in _LIST_KEEPS:
            current = _condense_lists(shortened, keep, headlines)
            if estimate_tokens(current) <= budget_tokens:
                return current, True
    return current, True


@dataclass
class CallBudget:
    """Per-build limits on calls and cost, reserved before each call so that concurrent pages cannot overshoot."""

    max_calls: int | None
    """Calls allowed (None: unlimited)."""
    max_cost: float | None
    """Dollars allowed (None: unlimited)."""
    calls: int = 0
    """Calls reserved so far."""
    reserved_cost: float = 0.0
    """Estimated cost of the calls in flight."""
    refused: int = 0
    """Calls refused because a limit was reached."""

    def reserve(self, spent: float, estimate: float) -> bool:
        """Reserve one call of about `estimate` dollars on top of `spent`; False when a limit would be passed."""
        if self.max_calls is not None and self.calls >= self.max_calls:
            self.refused += 1
            return False
        if self.max_cost is not None and spent + self.reserved_cost + estimate > self.max_cost:
            self.refused += 1
            return False
        self.calls += 1
        self.reserved_cost += estimate
        return True

    def release(self, estimate: float) -> None:
        """Give back a reservation once its call is over (its real cost is in the usage by then)."""
        self.reserved_cost = max(0.0, self.reserved_cost - estimate)
