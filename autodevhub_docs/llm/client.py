# The seam between generators and whoever writes prose. Generators describe what they need as ProseRequests,
# each with a JSON schema and a deterministic `fallback` answer built from facts; a client returns ProseResults.
# Generators never branch on the mode: the offline writer simply answers with the fallback.
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, kw_only=True)
class ProseRequest:
    """One piece of structured prose a generator needs."""

    key: str
    """Unique id within a build, e.g. `architecture/index.md#overview`."""
    section: str
    """Section the page belongs to (selects a per-section model override)."""
    prompt: str
    """Name of the prompt template."""
    prompt_version: int
    """Bumped whenever the prompt's wording changes, so cached answers are not reused."""
    instructions: str
    """What to write (trusted text from our own templates)."""
    data: Mapping[str, Any]
    """JSON data the prose is written from; may contain untrusted text, sent only inside delimited data blocks."""
    schema: Mapping[str, Any]
    """JSON schema the answer must match."""
    fallback: Mapping[str, Any]
    """Answer built from facts alone; used offline and whenever the model fails."""
    known_refs: frozenset[str] = field(default_factory=frozenset)
    """References (`#12`, commit shas, paths) that exist; any other reference in an answer is dropped."""
    max_output_tokens: int = 2048
    """Cap on the answer's length in tokens (raise it for long structured answers such as full ADRs)."""


@dataclass(frozen=True, kw_only=True)
class ProseResult:
    """The answer to one request."""

    key: str
    """The request's key."""
    data: Mapping[str, Any]
    """Validated answer matching the request's schema."""
    origin: str
    """`model` (fresh), `cache`, `offline` (by choice) or `fallback` (the model failed or the budget ran out)."""
    note: str | None = None
    """A visible note for the page when the answer is degraded."""


@dataclass
class Usage:
    """What the writer spent during one build; copied into report.json."""

    calls: int = 0
    cache_hits: int = 0
    failures: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cost_usd: float = 0.0
    dropped_refs: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_report(self) -> dict[str, Any]:
        """Return the `llm` block of report.json."""
        return {
            "calls": self.calls, "cache_hits": self.cache_hits, "failures": self.failures,
            "input_tokens": self.input_tokens, "output_tokens": self.output_tokens,
            "cache_read_tokens": self.cache_read_tokens, "cache_write_tokens": self.cache_write_tokens,
            "cost_usd": round(self.cost_usd, 6), "dropped_refs": self.dropped_refs,
            "degraded": len(self.warnings),
        }


class LLMClient(Protocol):
    """Writes structured prose for a batch of requests."""

    mode: str
    """`offline` or `anthropic` (reported in report.json)."""
    usage: Usage
    """Running totals for this build."""

    def write(self, requests: Sequence[ProseRequest], shared_context: Mapping[str, Any]) -> dict[str, ProseResult]:
        """Answer every request (never raising for a single failed page).

        Args:
            requests: What the generators need.
            shared_context: Repository context common to all pages (sent once, as a cached prefix).

        Returns:
            One result per request key.
        """
        ...
