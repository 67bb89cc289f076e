# The LLM cache, in the shared SQLite store. An answer is stored under hash(model, prompt versions, system,
# messages, schema): a hit makes no call. The latest answer per request key is kept too, so that a page whose
# inputs changed can still show its previous text (marked stale) when Claude cannot be called. Message Batches
# in flight are recorded here, so an interrupted build resumes the same batch next time.
from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS llm_answers (cache_key TEXT PRIMARY KEY, request_key TEXT NOT NULL, model TEXT NOT NULL,
                                        answer TEXT NOT NULL, usage TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS llm_latest (request_key TEXT PRIMARY KEY, cache_key TEXT NOT NULL, answer TEXT NOT NULL,
                                       output_tokens INTEGER NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS llm_batches (batch_id TEXT PRIMARY KEY, created REAL NOT NULL, status TEXT NOT NULL,
                                        entries TEXT NOT NULL);
"""


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
    """LLM answers and batches in the project's SQLite store.

    Args:
        store: The open store.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        store.conn.executescript(SCHEMA)

    def get(self, cache_key: str) -> CachedAnswer | None:
        """Return the answer stored under an exact key."""
        row = self.store.conn.execute("SELECT answer, usage FROM llm_answers WHERE cache_key=?",
                                      (cache_key,)).fetchone()
        if row is None:
            return None
        return CachedAnswer(json.loads(row[0]), cache_key, int(json.loads(row[1]).get("output_tokens", 0)))

    def latest(self, request_key: str) -> CachedAnswer | None:
        """Return the most recent answer for a request key, whatever its inputs were (a stale fallback)."""
        row = self.store.conn.execute("SELECT answer, cache_key, output_tokens FROM llm_latest WHERE request_key=?",
                                      (request_key,)).fetchone()
        return CachedAnswer(json.loads(row[0]), row[1], int(row[2])) if row else None

    def put(self, cache_key: str, request_key: str, model: str, answer: Mapping[str, Any],
            usage: Mapping[str, Any]) -> None:
        """Store a fresh answer and make it the latest for its request key (one transaction)."""
        now = time.time()
        text = json.dumps(answer, sort_keys=True, ensure_ascii=False)
        with self.store.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO llm_answers VALUES (?, ?, ?, ?, ?, ?)",
                         (cache_key, request_key, model, text, json.dumps(dict(usage), sort_keys=True), now))
            conn.execute("INSERT OR REPLACE INTO llm_latest VALUES (?, ?, ?, ?, ?)",
                         (request_key, cache_key, text, int(usage.get("output_tokens", 0)), now))

    def pending_batches(self) -> list[tuple[str, dict[str, str]]]:
        """Batches created but not yet collected: `(batch_id, {custom_id: cache_key})`, oldest first."""
        rows = self.store.conn.execute(
            "SELECT batch_id, entries FROM llm_batches WHERE status='pending' ORDER BY created").fetchall()
        return [(row[0], json.loads(row[1])) for row in rows]

    def add_batch(self, batch_id: str, entries: Mapping[str, str]) -> None:
        """Record a batch just created, before polling it (so an interrupted build can resume it)."""
        self.store.conn.execute("INSERT OR REPLACE INTO llm_batches VALUES (?, ?, 'pending', ?)",
                                (batch_id, time.time(), json.dumps(dict(entries), sort_keys=True)))

    def finish_batch(self, batch_id: str, status: str = "collected") -> None:
        """Mark a batch as collected (or abandoned)."""
        self.store.conn.execute("UPDATE llm_batches SET status=? WHERE batch_id=?", (status, batch_id))

    def count(self) -> int:
        """Number of stored answers."""
        return int(self.store.conn.execute("SELECT count(*) FROM llm_answers").fetchone()[0])
