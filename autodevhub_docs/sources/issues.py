# Where GitHub facts come from: the GitHub API (through `sources/github.py`), its SQLite snapshot, or an
# offline `gh ... --json` export given as `issues_file`.
from __future__ import annotations

from autodevhub_docs.model import GitHubFacts
from autodevhub_docs.settings import Settings
from autodevhub_docs.store import Store


def load_github_facts(settings: Settings, github_repo: str | None, store: Store, warnings: list[str]) -> \
        GitHubFacts | None:
    """Return GitHub facts for the build, or None when no repository or export is configured.

    Args:
        settings: Build options (`github_*`, `issues_file`, `exclude_labels`, `allow_private`).
        github_repo: Resolved `owner/name`, or None.
        store: The SQLite store holding the snapshot.
        warnings: Collects warnings for report.json.
    """
    del settings, github_repo, store, warnings
    return None
