# The LLM cache, in the shared SQLite store. An answer is stored under hash(model, prompt versions, system,
# messages, schema): a hit makes no call. The latest answer per request key is kept too, so that a page whose
# inputs changed can still show its previous text (marked stale) when Claude cannot be called. Message Batches
# in flight are recorded here, so an interrupted build resumes the same batch next time.
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.store import Store


@dataclass(frozen=True)
class CachedAnswer:
    """One stored answer."""

    answer: Mapping[str, Any]
    """The validated answer (before provenance filtering, which is re-applied on every use)."""
    cache_key: str
    """Key it was stored under."""
    output_tokens: int = 0
    """Output tokens it took (used by `plan` to estimate a regeneration)."""


class LLMCache:
    """LLM answers and batches in the project's SQLite store (the statements themselves live in `Store`).

    Args:
        store: The open store.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, cache_key: str) -> CachedAnswer | None:
        """Return the answer stored under an exact key."""
        found = self.store.llm_answer(cache_key)
        return CachedAnswer(found[0], cache_key, found[1]) if found else None

    def latest(self, request_key: str) -> CachedAnswer | None:
        """Return the most recent answer for a request key, whatever its inputs were (a stale fallback)."""
        found = self.store.llm_latest(request_key)
        return CachedAnswer(*found) if found else None

    def put(self, cache_key: str, request_key: str, model: str, answer: Mapping[str, Any],
            usage: Mapping[str, Any]) -> None:
        """Store a fresh answer and make it the latest for its request key (one transaction)."""
        self.store.put_llm_answer(cache_key, request_key, model, answer, usage)

    def pending_batches(self) -> list[tuple[str, dict[str, str]]]:
        """Batches created but not yet collected: `(batch_id, {custom_id: cache_key})`, oldest first."""
        return self.store.pending_llm_batches()

    def add_batch(self, batch_id: str, entries: Mapping[str, str]) -> None:
        """Record a batch just created, before polling it (so an interrupted build can resume it)."""
        self.store.add_llm_batch(batch_id, entries)

    def finish_batch(self, batch_id: str, status: str = "collected") -> None:
        """Mark a batch as collected (or abandoned)."""
        self.store.set_llm_batch_status(batch_id, status)
