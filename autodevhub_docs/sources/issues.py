# Where GitHub facts come from: an offline `gh ... --json` export given as `issues_file`, else the GitHub API
# (through `sources/github.py`) into the SQLite snapshot, else the snapshot alone when GitHub cannot be reached.
# The refresh itself, which a warm build runs without this module, is sources/refresh.py's.
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from autodevhub_docs.errors import ConfigError
from autodevhub_docs.log import get_logger
from autodevhub_docs.model import GitHubFacts
from autodevhub_docs.settings import Settings
from autodevhub_docs.sources.export import read_export
from autodevhub_docs.sources.github_facts import build_facts
from autodevhub_docs.sources.refresh import SnapshotRefresh, refresh_snapshot, resolve_repo, stamp
from autodevhub_docs.sources.snapshot import Snapshot
from autodevhub_docs.store import Store

__all__ = ["SnapshotRefresh", "load_github_facts", "rate_limit", "refresh_snapshot", "resolve_repo", "snapshot_age",
           "snapshot_facts", "sync_snapshot"]

log = get_logger(__name__)


def snapshot_facts(settings: Settings, snapshot: Snapshot, source: str, *, with_items: bool = True) -> GitHubFacts:
    """Build facts from what the snapshot holds (excluded labels left out; no issues/PRs unless `with_items`)."""
    return build_facts(
        repo=snapshot.repo, meta=snapshot.meta(), items=snapshot.items() if with_items else (),
        comments=snapshot.comments(),
        details=snapshot.pull_details(),
        lists={name: snapshot.list(name) for name in ("milestones", "labels", "releases", "tags", "contributors")
               if with_items or name != "milestones"},
        exclude_labels=settings.exclude_labels, source=source, fetched_at=stamp(snapshot.last_sync()),
    )


def load_github_facts(settings: Settings, github_repo: str | None, store: Store, warnings: list[str],
                      refreshed: SnapshotRefresh | None = None) -> GitHubFacts | None:
    """Return GitHub facts for the build, or None when no repository or export is configured.

    `issues_file` wins when set. Otherwise the snapshot is refreshed from GitHub (`refresh_snapshot`, unless the
    build already did) and read back; when GitHub cannot be reached or rate-limits us past `github_max_wait_s`, the
    last snapshot is used with a warning. Issues and PRs with an `exclude_labels` label never reach the facts; for a
    private repository without `allow_private`, none do.

    Args:
        settings: Build options (`github_*`, `issues_file`, `exclude_labels`, `allow_private`).
        github_repo: Resolved `owner/name`, or None.
        store: The SQLite store holding the snapshot.
        warnings: Collects warnings for report.json.
        refreshed: The refresh this build already made of `github_repo` (it is not synced twice).

    Raises:
        GitHubAuthError: GitHub refused the credentials or cannot see a repository the user asked for.
        ConfigError: `issues_file` is missing or not a `gh` export.
    """
    if settings.issues_file is not None:
        store.put_json("github", "last_sync_stats", {"requests": 0, "not_modified": 0})
        repo, items, comments = read_export(settings.issues_file, github_repo)
        return build_facts(repo=repo, meta=None, items=items, comments=comments,
                           exclude_labels=settings.exclude_labels, source="export")
    if not github_repo:
        store.put_json("github", "last_sync_stats", {"requests": 0, "not_modified": 0})
        return None
    refresh = refreshed if refreshed is not None and refreshed.repo == github_repo else \
        refresh_snapshot(settings, github_repo, store)
    warnings.extend(refresh.warnings)  # logged when the refresh was made
    if refresh.source is None:
        return None
    snapshot = Snapshot(store, github_repo)
    public = not (snapshot.meta() or {}).get("private") or settings.allow_private
    return snapshot_facts(settings, snapshot, refresh.source, with_items=public)


@dataclass(frozen=True)
class SyncSummary:
    """What `autodevhub-docs sync` did."""

    repo: str
    requests: int
    not_modified: int
    changed: int
    issues: int
    pulls: int
    rate_remaining: int | None


def sync_snapshot(settings: Settings, store: Store, *, full: bool = False,
                  progress: Callable[[str, int, int | None], None] | None = None) -> SyncSummary:
    """Refresh the snapshot only (the `sync` command).

    Raises:
        ConfigError: No GitHub repository is configured or detectable.
        GitHubAuthError: GitHub refused the credentials.
        GitHubUnavailableError: GitHub cannot be reached or rate-limits past `github_max_wait_s` (pages already
            stored are kept; the next sync continues from there).
    """
    repo = resolve_repo(settings)
    if not repo:
        raise ConfigError("No GitHub repository to sync: 'github_repo' is not set, $GITHUB_REPOSITORY is empty and "
                          "the origin remote is not on github.com.",
                          "Set 'github_repo: owner/name' under the autodevhub plugin in mkdocs.yml.")
    from autodevhub_docs.sources.github import sync

    snapshot = Snapshot(store, repo)
    stats = sync(settings, repo, snapshot, full=full, progress=progress)
    return SyncSummary(repo=repo, requests=stats.requests, not_modified=stats.not_modified, changed=stats.changed,
                       issues=len(snapshot.items(kind="issue")), pulls=len(snapshot.items(kind="pull")),
                       rate_remaining=stats.rate_remaining)


def snapshot_age(store: Store, repo: str) -> float | None:
    """Seconds since the snapshot of `repo` was last synced completely, or None when it never was."""
    last = Snapshot(store, repo).last_sync()
    return time.time() - last if last else None


def rate_limit(settings: Settings, repo: str) -> tuple[int, int, int]:
    """(remaining, limit, reset epoch) from exactly one `GET /rate_limit` (for `doctor`)."""
    from autodevhub_docs.sources.github import rate_limit as github_rate_limit

    return github_rate_limit(settings, repo)
