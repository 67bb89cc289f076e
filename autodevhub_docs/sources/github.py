# Syncs one GitHub repository into the snapshot (sources/snapshot.py) page by page, asking only for what changed
# since the last sync. The requests themselves (auth, retries, rate limits, pagination, errors) are
# sources/github_client.py's.
from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

from autodevhub_docs.errors import GitHubNotFoundError
from autodevhub_docs.log import get_logger
from autodevhub_docs.settings import Settings
from autodevhub_docs.sources.github_client import PER_PAGE, RETRIES, GitHubApi, Progress, SyncStats
from autodevhub_docs.sources.github_json import (
    normalise_comment,
    normalise_item,
    normalise_list_entry,
    normalise_pull,
    review_outcome,
)
from autodevhub_docs.sources.snapshot import Snapshot

log = get_logger(__name__)

PR_DETAIL_LIMIT = 20
"""Most recently merged PRs whose changed files and reviews are fetched (two requests each, once per PR update)."""
COMMENT_PAGES_FIRST = 3
"""On the first sync, newest comment pages read (the rest of history is not worth the requests)."""
COMMENT_PAGES = 10
"""On later syncs, comment pages read at most (the cursor continues next time)."""
LIST_PAGES = 5
"""Pages read at most for milestones, labels, releases, tags and contributors."""
LIST_REFRESH_S = 6 * 3600
"""Milestones, labels, releases, tags and contributors are re-checked at most this often."""
FULL_LISTING_S = 7 * 24 * 3600
"""With an authenticated rate limit, a complete listing runs this often to notice deleted/transferred issues."""
RATE_RESERVE = 5
"""Requests left untouched for optional extras (PR details, comments), so a build never drains the limit."""
LISTS = {"milestones": {"state": "all"}, "labels": {}, "releases": {}, "tags": {}, "contributors": {}}
"""Small lists read with the repository, and their query parameters."""



class GitHubSource:
    """Reads one repository through PyGithub into the snapshot.

    Args:
        settings: Build options (`github_api_url`, `github_token_env`, `github_max_wait_s`).
        repo: `owner/name`.
        snapshot: Where pages are stored.
        environ: Environment to read credentials from (default: `os.environ`).
        progress: Called after each page.
        retries: Attempts after the first for 5xx, timeouts and connection errors.
    """

    def __init__(self, settings: Settings, repo: str, snapshot: Snapshot, *,
                 environ: Mapping[str, str] | None = None, progress: Progress | None = None,
                 retries: int = RETRIES) -> None:
        self.repo = repo
        self.snap = snapshot
        """The snapshot being synced."""
        self.api = GitHubApi(settings, repo, environ=environ, progress=progress, retries=retries)
        self.stats = self.api.stats
        """What this sync did so far."""

    # --- the sync ---------------------------------------------------------------------------------------------------

    def sync(self, *, full: bool = False) -> SyncStats:
        """Refresh the snapshot: repository, changed issues/PRs, new comments, lists, merged PR details.

        Args:
            full: List every issue again (notices deleted and transferred ones), ignoring the cursor.

        Raises:
            GitHubAuthError: 401/403/404 (wrong token, no access, unknown repository).
            GitHubUnavailableError: Network errors or 5xx after retries; what was stored so far stays stored.
            GitHubRateLimitError: A rate limit would need a longer wait than allowed.
        """
        snap = self.snap
        self._sync_repo()
        changed_with_comments = self._sync_items(full=full)
        if changed_with_comments or snap.state("comments_since") is None:
            self._sync_comments()
        refreshed = float(snap.state("lists_at") or 0)
        if full or time.time() - refreshed > LIST_REFRESH_S:
            for name, params in LISTS.items():
                self._sync_list(name, params)
            snap.set_state(lists_at=str(time.time()))
        self._sync_pull_details()
        snap.set_state(synced_at=str(time.time()))
        self.stats.stored = snap.item_count()
        return self.stats

    def _sync_repo(self) -> None:
        etag = self.snap.state("meta_etag") if self.snap.meta() else None
        status, headers, data = self.api.get(self.api.url(""), etag=etag)
        if status == 304 or not isinstance(data, dict):
            return
        meta = {"full_name": data.get("full_name") or self.repo, "private": bool(data.get("private")),
                "description": data.get("description") or "", "html_url": data.get("html_url") or "",
                "default_branch": data.get("default_branch") or "", "has_issues": data.get("has_issues", True)}
        self.snap.set_state(meta=json.dumps(meta), meta_etag=headers.get("etag"))

    def _sync_items(self, *, full: bool, prime: bool = True) -> bool:
        """Page through issues+PRs updated since the anchor (oldest first, so the cursor can follow each page).

        The query asks `since` a fixed anchor rather than the newest update seen, so an unchanged repository gets the
        same query, with the ETag stored from the last time, and answers 304. The anchor moves up to the cursor after
        a complete listing, and when the answer has outgrown one page.

        Args:
            full: List every issue, ignoring the cursor.
            prime: After a complete listing, ask the new anchor's page once to store its ETag.

        Returns:
            Whether a changed issue or PR has comments to read.
        """
        snap = self.snap
        since = snap.state("issues_since")
        last_full = float(snap.state("full_listing_at") or 0)
        limit = self.api.requester.rate_limiting[1]
        periodic = limit > 60 and time.time() - last_full > FULL_LISTING_S and since is not None
        listing_all = full or since is None or periodic
        params: dict[str, Any] = {"state": "all", "sort": "updated", "direction": "asc"}
        anchor = snap.state("issues_anchor") or since
        if not listing_all and anchor:
            params["since"] = anchor
        gen = int(snap.state("gen") or 0) + 1
        cursor = since or ""
        comments_needed = False
        pages = 0
        try:
            # A complete listing is never conditional: a 304 would tell nothing about which issues are gone.
            for page, data, state in self.api.pages("issues", "/issues", params,
                                                    etag_of=None if listing_all else snap.state):
                pages = page
                items = [normalise_item(raw, self.repo) for raw in data if isinstance(raw, dict) and "number" in raw]
                changed = snap.save_items(items, gen=gen, state={
                    **state, "gen": str(gen),
                    "issues_since": max([cursor, *(i["updated_at"] for i in items)]) or None})
                cursor = max([cursor, *(i["updated_at"] for i in items)])
                self.stats.changed += len(changed)
                comments_needed = comments_needed or any(i["comments"] for i in changed)
        except GitHubNotFoundError:
            # Issues are disabled on this repository (410), so /issues lists no PRs either: read /pulls.
            return self._sync_pulls_only(gen)
        if listing_all or pages > 1:
            snap.set_state(issues_anchor=cursor or None)
        if listing_all:
            gone = snap.mark_unseen_gone(gen)
            if gone:
                log.info("%d issue(s) of %s are no longer listed (deleted or transferred)", gone, self.repo)
            snap.set_state(full_listing_at=str(time.time()))
            if prime and cursor:
                # The new anchor's page has no ETag yet: ask it once now, so that the next sync of an unchanged
                # repository is answered 304 (and a warm build is reused without a plain request).
                return self._sync_items(full=False, prime=False) or comments_needed
        return comments_needed

    def _sync_pulls_only(self, gen: int) -> bool:
        """List PRs newest-updated first and stop at the first page that reaches the last pass's cursor.

        `/pulls` has no `since`, so the cursor moves only once a pass completes; an interrupted pass is simply
        repeated (its pages are already stored).
        """
        snap = self.snap
        since = snap.state("pulls_since") or ""
        newest = since
        params = {"state": "all", "sort": "updated", "direction": "desc"}
        for _page, data, state in self.api.pages("pull requests", "/pulls", params, etag_of=snap.state):
            items = [normalise_pull(raw, self.repo) for raw in data if isinstance(raw, dict) and "number" in raw]
            self.stats.changed += len(snap.save_items(items, gen=gen, state=state))
            newest = max([newest, *(i["updated_at"] for i in items)])
            if any(i["updated_at"] < since for i in items):
                break
        snap.set_state(pulls_since=newest or None)
        return True

    def _sync_comments(self) -> None:
        snap = self.snap
        since = snap.state("comments_since")
        first = since is None
        params: dict[str, Any] = {"sort": "updated", "direction": "desc" if first else "asc"}
        if since:
            params["since"] = since
        cursor = since or ""
        pages = COMMENT_PAGES_FIRST if first else COMMENT_PAGES
        for _page, data, state in self.api.pages("comments", "/issues/comments", params, max_pages=pages,
                                                 etag_of=None if first else snap.state):
            comments = [c for raw in data if isinstance(raw, dict) and (c := normalise_comment(raw))]
            cursor = max([cursor, *(c["updated_at"] for c in comments)])
            snap.save_comments(comments, state={**state, "comments_since": cursor or None})
            if self._low_on_requests():
                break
        if not cursor:  # no comments at all: a new comment bumps its issue, so the issue cursor is a safe start
            snap.set_state(comments_since=snap.state("issues_since") or "1970-01-01T00:00:00Z")

    def _sync_list(self, name: str, params: Mapping[str, Any]) -> None:
        for page, data, state in self.api.pages(name, f"/{name}", params, max_pages=LIST_PAGES,
                                                   etag_of=self.snap.state):
            entries = [normalise_list_entry(name, raw) for raw in data if isinstance(raw, dict)]
            self.snap.save_list_page(name, page, entries, state)

    def _low_on_requests(self) -> bool:
        remaining = self.api.remaining()
        return remaining is not None and remaining < RATE_RESERVE

    def _sync_pull_details(self) -> None:
        """Changed files and review outcome of the most recently merged PRs (bounded, once per PR update)."""
        snap = self.snap
        known = snap.pull_details()
        merged = sorted((p for p in snap.items(kind="pull") if p.get("merged_at")),
                        key=lambda p: p["merged_at"], reverse=True)[:PR_DETAIL_LIMIT]
        gone: list[int] = []
        for pull in merged:
            number = pull["number"]
            if known.get(number, {}).get("for_updated_at") == pull["updated_at"]:
                continue
            if self._low_on_requests():
                log.info("skipping PR details for %s: fewer than %d requests left", self.repo, RATE_RESERVE)
                break
            try:
                _, _, files = self.api.get(self.api.url(f"/pulls/{number}/files"), {"per_page": PER_PAGE},
                                       what=f" (PR #{number})")
                _, _, reviews = self.api.get(self.api.url(f"/pulls/{number}/reviews"), {"per_page": PER_PAGE},
                                         what=f" (PR #{number})")
            except GitHubNotFoundError:
                gone.append(number)  # deleted, or no longer visible
                continue
            files = files if isinstance(files, list) else []
            snap.save_pull_details(number, pull["updated_at"], {
                "files": [str(f.get("filename")) for f in files if isinstance(f, dict)],
                "additions": sum(int(f.get("additions") or 0) for f in files if isinstance(f, dict)),
                "deletions": sum(int(f.get("deletions") or 0) for f in files if isinstance(f, dict)),
                "review_state": review_outcome(reviews if isinstance(reviews, list) else []),
            })
        if gone:
            snap.mark_gone(gone, "missing")

def sync(settings: Settings, repo: str, snapshot: Snapshot, *, full: bool = False,
         progress: Progress | None = None, environ: Mapping[str, str] | None = None,
         retries: int = RETRIES) -> SyncStats:
    """Sync one repository into its snapshot and record the request stats for report.json.

    The stats are stored even when the sync fails half-way, so report.json shows what was spent.

    Args:
        settings: Build options.
        repo: `owner/name`.
        snapshot: The snapshot to refresh.
        full: List every issue again, ignoring the cursor.
        progress: Called after each page.
        environ: Environment to read credentials from (default: `os.environ`).
        retries: Attempts after the first for 5xx, timeouts and connection errors (0 when a snapshot is there to
            fall back on: a warm build does not wait for GitHub).
    """
    source = GitHubSource(settings, repo, snapshot, environ=environ, progress=progress, retries=retries)
    try:
        return source.sync(full=full)
    finally:
        snapshot.store.put_json("github", "last_sync_stats", source.stats.report())
        source.api.close()


def rate_limit(settings: Settings, repo: str, environ: Mapping[str, str] | None = None) -> tuple[int, int, int]:
    """(remaining, limit, reset epoch) of the core rate limit, from exactly one `GET /rate_limit`."""
    api = GitHubApi(settings, repo, environ=environ)
    try:
        return api.rate_limit()
    finally:
        api.close()
