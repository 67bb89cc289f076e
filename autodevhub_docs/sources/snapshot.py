# The GitHub snapshot: normalised issues, pull requests, comments and lists, kept in the shared SQLite store so
# scheduled rebuilds ask GitHub only for what changed, and a build without network still has its data.
# Every write is one transaction per page of results, so a killed sync loses nothing it already stored.
# Turning the records into facts is sources/github_facts.py's: a warm build reads the snapshot's digest and
# state without loading the model.
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from autodevhub_docs.store import Store

COMMENT_CHARS = 2000
"""Longest comment body kept; longer ones are cut (they feed prompts, not archives)."""


class Snapshot:
    """The snapshot of one repository inside the store (the statements themselves live in `Store`).

    Args:
        store: The project's SQLite store.
        repo: `owner/name`.
    """

    def __init__(self, store: Store, repo: str) -> None:
        self.store = store
        """The SQLite store."""
        self.repo = repo
        """`owner/name` of the repository."""

    # --- state (cursors, ETags, timestamps) -------------------------------------------------------------------------

    def state(self, key: str) -> str | None:
        """Return one stored state value, or None."""
        return self.store.gh_state(self.repo, key)

    def set_state(self, **values: str | None) -> None:
        """Store state values in one transaction (None deletes a key)."""
        self.store.set_gh_state(self.repo, values)

    def last_sync(self) -> float | None:
        """Return when the last sync finished (epoch seconds), or None when there never was one."""
        value = self.state("synced_at")
        return float(value) if value else None

    # --- pages ------------------------------------------------------------------------------------------------------

    def save_items(self, items: Sequence[Mapping[str, Any]], *, gen: int,
                   state: Mapping[str, str | None]) -> list[Mapping[str, Any]]:
        """Store one page of issues/PRs and the cursor that follows it, in one transaction.

        Returns:
            The items that were new or changed.
        """
        return self.store.save_gh_items(self.repo, items, gen=gen, state=state)

    def save_comments(self, comments: Iterable[Mapping[str, Any]], *, state: Mapping[str, str | None]) -> None:
        """Store one page of comments and the cursor that follows it, in one transaction."""
        self.store.save_gh_comments(self.repo, [{**c, "body": c["body"][:COMMENT_CHARS]} for c in comments], state)

    def save_list_page(self, name: str, page: int, entries: Sequence[Mapping[str, Any]],
                       state: Mapping[str, str | None]) -> None:
        """Store one page of a list (milestones, labels, releases, tags, contributors); page 1 replaces the list."""
        self.store.save_gh_list_page(self.repo, name, page, entries, state)

    def save_pull_details(self, number: int, for_updated_at: str, details: Mapping[str, Any]) -> None:
        """Store the changed files and review outcome of one merged PR."""
        self.store.save_gh_pull_details(self.repo, number, for_updated_at, details)

    def mark_gone(self, numbers: Iterable[int], reason: str) -> None:
        """Mark issues/PRs as gone (deleted, transferred, or no longer visible)."""
        self.store.mark_gh_gone(self.repo, numbers, reason)

    def mark_unseen_gone(self, gen: int) -> int:
        """After a complete listing, mark every item it did not return as gone; return how many."""
        return self.store.mark_gh_unseen_gone(self.repo, gen)

    # --- reads ------------------------------------------------------------------------------------------------------

    def items(self, *, kind: str | None = None, include_gone: bool = False) -> list[dict[str, Any]]:
        """Return stored issues/PRs (normalised dicts), by number."""
        return self.store.gh_items(self.repo, kind=kind, include_gone=include_gone)

    def item_count(self) -> int:
        """Number of issues and PRs stored (gone ones included)."""
        return self.store.gh_item_count(self.repo)

    def comments(self) -> dict[int, list[dict[str, Any]]]:
        """Return stored comments per issue number, oldest first."""
        return self.store.gh_comments(self.repo)

    def pull_details(self) -> dict[int, dict[str, Any]]:
        """Return the stored details of merged PRs, with the `updated_at` they were fetched for."""
        return self.store.gh_pull_details(self.repo)

    def list(self, name: str) -> list[dict[str, Any]] | None:
        """Return a stored list, or None when it was never fetched."""
        return self.store.gh_list(self.repo, name)

    def meta(self) -> dict[str, Any] | None:
        """Return the stored repository metadata, or None."""
        value = self.state("meta")
        return json.loads(value) if value else None

    def content_digest(self) -> str:
        """A digest of what the snapshot holds for the facts: it changes exactly when a build would see new data."""
        return self.store.gh_content_digest(self.repo)

    def has_data(self) -> bool:
        """Whether anything was ever stored for this repository."""
        return self.meta() is not None or self.item_count() > 0
