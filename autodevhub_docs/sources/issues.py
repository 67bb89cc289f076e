# Where GitHub facts come from: an offline `gh ... --json` export given as `issues_file`, else the GitHub API
# (through `sources/github.py`) into the SQLite snapshot, else the snapshot alone when GitHub cannot be reached.
from __future__ import annotations

import os
import time

from autodevhub_docs.errors import GitHubAuthError, GitHubNotFoundError, GitHubUnavailableError
from autodevhub_docs.log import get_logger
from autodevhub_docs.model import GitHubFacts
from autodevhub_docs.settings import Settings
from autodevhub_docs.sources.export import read_export
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


def load_github_facts(settings: Settings, github_repo: str | None, store: Store, warnings: list[str]) -> \
        GitHubFacts | None:
    """Return GitHub facts for the build, or None when no repository or export is configured.

    `issues_file` wins when set. Otherwise the snapshot is refreshed from GitHub and read back; when GitHub cannot
    be reached or rate-limits us past `github_max_wait_s`, the last snapshot is used with a warning. Issues and PRs
    with an `exclude_labels` label never reach the facts; for a private repository without `allow_private`, none
    do.

    Args:
        settings: Build options (`github_*`, `issues_file`, `exclude_labels`, `allow_private`).
        github_repo: Resolved `owner/name`, or None.
        store: The SQLite store holding the snapshot.
        warnings: Collects warnings for report.json.

    Raises:
        GitHubAuthError: GitHub refused the credentials or cannot see a repository the user asked for.
        ConfigError: `issues_file` is missing or not a `gh` export.
    """
    store.put_json("github", "last_sync_stats", {"requests": 0, "not_modified": 0})
    if settings.issues_file is not None:
        repo, items, comments = read_export(settings.issues_file, github_repo)
        return build_facts(repo=repo, meta=None, items=items, comments=comments,
                           exclude_labels=settings.exclude_labels, source="export")
    if not github_repo:
        return None
    snapshot = Snapshot(store, github_repo)
    source = "github"
    try:
        from autodevhub_docs.sources import github  # PyGithub is imported only when GitHub is used

        github.sync(settings, github_repo, snapshot)
    except GitHubAuthError as error:
        if _explicit(settings, os.environ) or not isinstance(error, GitHubNotFoundError):
            raise
        # Only guessed from the origin remote, no token: a private or renamed repository is not worth failing for.
        _warn(warnings, f"GitHub issues were skipped: {error.problem} Set 'github_repo' and a token in "
                        f"${settings.github_token_env} to read them.")
        return None
    except GitHubUnavailableError as error:
        source = "snapshot"
        when = _stamp(snapshot.last_sync())
        if snapshot.has_data():
            _warn(warnings, f"{error.problem} Using the GitHub snapshot from {when or 'an interrupted sync'}. "
                            f"{error.fix}")
        else:
            _warn(warnings, f"{error.problem} There is no snapshot yet, so the pages have no GitHub data. "
                            f"{error.fix}")
            return None
    if (snapshot.meta() or {}).get("private") and not settings.allow_private:
        _warn(warnings, f"{github_repo} is private, so its issues, pull requests and milestones were left out of "
                        "the docs. Set 'allow_private: true' under the autodevhub plugin in mkdocs.yml to publish "
                        "them.")
        return snapshot_facts(settings, snapshot, source, with_items=False)
    return snapshot_facts(settings, snapshot, source)
