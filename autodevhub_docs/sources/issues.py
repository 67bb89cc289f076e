# Where GitHub facts come from: an offline `gh ... --json` export given as `issues_file`, else the GitHub API
# (through `sources/github.py`) into the SQLite snapshot, else the snapshot alone when GitHub cannot be reached.
from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from autodevhub_docs.errors import ConfigError, GitHubAuthError, GitHubNotFoundError, GitHubUnavailableError
from autodevhub_docs.log import get_logger
from autodevhub_docs.model import GitHubFacts
from autodevhub_docs.settings import Settings
from autodevhub_docs.sources.export import read_export
from autodevhub_docs.sources.github_credentials import has_credentials
from autodevhub_docs.sources.snapshot import Snapshot, build_facts
from autodevhub_docs.store import Store

log = get_logger(__name__)


def _warn(warnings: list[str], message: str) -> None:
    log.warning("%s", message)  # a warning, so `mkdocs build --strict` fails on it
    warnings.append(message)


def _stamp(epoch: float | None) -> str | None:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch)) if epoch else None


def snapshot_facts(settings: Settings, snapshot: Snapshot, source: str, *, with_items: bool = True) -> GitHubFacts:
    """Build facts from what the snapshot holds (excluded labels left out; no issues/PRs unless `with_items`)."""
    return build_facts(
        repo=snapshot.repo, meta=snapshot.meta(), items=snapshot.items() if with_items else (),
        comments=snapshot.comments(),
        details=snapshot.pull_details(),
        lists={name: snapshot.list(name) for name in ("milestones", "labels", "releases", "tags", "contributors")
               if with_items or name != "milestones"},
        exclude_labels=settings.exclude_labels, source=source, fetched_at=_stamp(snapshot.last_sync()),
    )


def _explicit(settings: Settings, environ: dict[str, str] | os._Environ[str]) -> bool:
    """Whether the user asked for GitHub (a repo option, GitHub Actions, or a token), not just an origin remote."""
    return bool(settings.github_repo or environ.get("GITHUB_REPOSITORY")
                or environ.get(settings.github_token_env, "").strip())


def _use_snapshot(settings: Settings, snapshot: Snapshot, error: GitHubUnavailableError, warnings: list[str]) -> bool:
    """After GitHub could not be read: warn, and say whether a snapshot is there to build from."""
    if snapshot.has_data():
        when = _stamp(snapshot.last_sync()) or "an interrupted sync"
        _warn(warnings, f"{error.problem} Using the GitHub snapshot from {when}. {error.fix}")
        return True
    if _explicit(settings, os.environ):
        _warn(warnings, f"{error.problem} There is no snapshot yet, so the pages have no GitHub data. {error.fix}")
    else:
        # Nobody asked for GitHub (the repo was only guessed from the origin remote) and there is no network:
        # the offline default must stay clean, so this is not a warning.
        log.info("GitHub issues of %s were not read (%s); set 'github_repo' to make this a warning.",
                 snapshot.repo, error.problem)
    return False


@dataclass(frozen=True)
class SnapshotRefresh:
    """What asking GitHub for changes did, before anything else of a build (reuse decides on `digest`)."""

    repo: str
    """`owner/name`."""
    source: str | None
    """`github` (synced), `snapshot` (GitHub not asked or unreachable: the stored data), or None (no GitHub data)."""
    digest: str
    """Digest of the snapshot the build reads (see `Snapshot.content_digest`)."""
    stats: dict[str, int]
    """Requests sent and answered 304, for report.json."""
    warnings: tuple[str, ...] = ()
    """Warnings already logged (a stale snapshot in use); they do not stop the pages from being reused."""


def refresh_snapshot(settings: Settings, repo: str, store: Store) -> SnapshotRefresh:
    """Bring the snapshot of `repo` up to date, asking GitHub only what changed (ETags), once per build.

    With a complete snapshot already stored, a build never waits for GitHub: without credentials it is not asked at
    all, and when it cannot be reached the first failure ends the sync (no retries). Either way the snapshot is used,
    with one warning (a log line only when GitHub was not asked for explicitly, so the offline default stays clean).

    Args:
        settings: Build options (`github_*`).
        repo: `owner/name`.
        store: The SQLite store holding the snapshot.

    Raises:
        GitHubAuthError: GitHub refused the credentials or cannot see a repository the user asked for.
    """
    store.put_json("github", "last_sync_stats", {"requests": 0, "not_modified": 0})
    snapshot = Snapshot(store, repo)
    warm = snapshot.last_sync() is not None  # a complete sync: an interrupted one is resumed as usual
    warnings: list[str] = []
    source: str | None = "github"
    if warm and not has_credentials(settings.github_token_env, os.environ):
        when = _stamp(snapshot.last_sync()) or "an interrupted sync"
        variable = settings.github_token_env
        message = (f"GitHub was not asked for changes to {repo}: ${variable} is empty, so the pages use the GitHub "
                   f"snapshot from {when}. Export a token in ${variable} to refresh it.")
        if _explicit(settings, os.environ):
            _warn(warnings, message)
        else:
            log.info("%s", message)
        source = "snapshot"
    else:
        source = _sync(settings, repo, snapshot, warnings, fail_fast=warm)
    if source and (snapshot.meta() or {}).get("private") and not settings.allow_private:
        _warn(warnings, f"{repo} is private, so its issues, pull requests and milestones were left out of the docs. "
                        "Set 'allow_private: true' under the autodevhub plugin in mkdocs.yml to publish them.")
    return SnapshotRefresh(repo=repo, source=source, digest=snapshot.content_digest() if source else "",
                           stats=dict(store.get_json("github", "last_sync_stats") or {}), warnings=tuple(warnings))


def _sync(settings: Settings, repo: str, snapshot: Snapshot, warnings: list[str], *, fail_fast: bool) -> str | None:
    """Sync, and say where the facts come from: `github`, `snapshot` (GitHub unreachable), or None (skipped)."""
    from autodevhub_docs.sources.github import RETRIES, sync  # PyGithub is imported only when GitHub is used

    try:
        sync(settings, repo, snapshot, retries=0 if fail_fast else RETRIES)
    except GitHubAuthError as error:
        if _explicit(settings, os.environ) or not isinstance(error, GitHubNotFoundError):
            raise
        # Only guessed from the origin remote, no token: a private or renamed repository is not worth failing for.
        _warn(warnings, f"GitHub issues were skipped: {error.problem} Set 'github_repo' and a token in "
                        f"${settings.github_token_env} to read them.")
        return None
    except GitHubUnavailableError as error:
        return "snapshot" if _use_snapshot(settings, snapshot, error, warnings) else None
    return "github"


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


def resolve_repo(settings: Settings) -> str | None:
    """`github_repo`, else `$GITHUB_REPOSITORY`, else the origin remote when it is on GitHub (no history read)."""
    if settings.github_repo or os.environ.get("GITHUB_REPOSITORY"):
        return settings.github_repo or os.environ.get("GITHUB_REPOSITORY")
    from autodevhub_docs.errors import SourceError
    from autodevhub_docs.sources import git
    from autodevhub_docs.sources.git_runner import git_text

    try:
        root = git.find_root(settings.repo_path)
    except SourceError:
        return None
    remote = git_text(root, "config", "--get", "remote.origin.url", check=False).strip()
    return git.github_repo_from_remote(git.clean_remote(remote)) if remote else None


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
