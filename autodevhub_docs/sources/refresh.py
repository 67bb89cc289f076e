# Asking GitHub what changed since the snapshot (ETags), once per build and before anything else: reuse.py decides on
# the result whether the last pages still hold. Kept apart from the facts (sources/issues.py), so that a warm build
# loads neither the model nor PyGithub until GitHub answers something new.
from __future__ import annotations

import os
import time
from dataclasses import dataclass

from autodevhub_docs.errors import GitHubAuthError, GitHubNotFoundError, GitHubUnavailableError, SourceError
from autodevhub_docs.log import get_logger
from autodevhub_docs.settings import Settings
from autodevhub_docs.sources.git_runner import git_text
from autodevhub_docs.sources.github_credentials import has_credentials
from autodevhub_docs.sources.remote import clean_remote, find_root, github_repo_from_remote
from autodevhub_docs.sources.snapshot import Snapshot
from autodevhub_docs.store import Store

log = get_logger(__name__)


def _warn(warnings: list[str], message: str) -> None:
    log.warning("%s", message)  # a warning, so `mkdocs build --strict` fails on it
    warnings.append(message)


def stamp(epoch: float | None) -> str | None:
    """A sync time as GitHub writes times (`2026-01-31T12:00:00Z`), or None for none."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch)) if epoch else None


def _explicit(settings: Settings, environ: dict[str, str] | os._Environ[str]) -> bool:
    """Whether the user asked for GitHub (a repo option, GitHub Actions, or a token), not just an origin remote."""
    return bool(settings.github_repo or environ.get("GITHUB_REPOSITORY")
                or environ.get(settings.github_token_env, "").strip())


def _use_snapshot(settings: Settings, snapshot: Snapshot, error: GitHubUnavailableError, warnings: list[str]) -> bool:
    """After GitHub could not be read: warn, and say whether a snapshot is there to build from."""
    if snapshot.has_data():
        when = stamp(snapshot.last_sync()) or "an interrupted sync"
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
        when = stamp(snapshot.last_sync()) or "an interrupted sync"
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


def resolve_repo(settings: Settings) -> str | None:
    """`github_repo`, else `$GITHUB_REPOSITORY`, else the origin remote when it is on GitHub (no history read)."""
    if settings.github_repo or os.environ.get("GITHUB_REPOSITORY"):
        return settings.github_repo or os.environ.get("GITHUB_REPOSITORY")
    try:
        root = find_root(settings.repo_path)
    except SourceError:
        return None
    remote = git_text(root, "config", "--get", "remote.origin.url", check=False).strip()
    return github_repo_from_remote(clean_remote(remote)) if remote else None
