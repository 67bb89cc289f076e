# Sources -> RepoFacts: the "collect" half of the pipeline.
from __future__ import annotations

import os
from pathlib import Path

from autodevhub_docs.model import RepoFacts
from autodevhub_docs.settings import Settings
from autodevhub_docs.sources import git
from autodevhub_docs.sources.adr_files import read_adrs
from autodevhub_docs.sources.checkout import Checkout
from autodevhub_docs.sources.issues import SnapshotRefresh, load_github_facts
from autodevhub_docs.sources.manifest_history import read_manifest_history
from autodevhub_docs.sources.manifests import read_manifest
from autodevhub_docs.store import Store


def resolve_github_repo(settings: Settings, remote_url: str | None) -> str | None:
    """`github_repo` option, else `$GITHUB_REPOSITORY`, else the origin remote when it is on GitHub."""
    return settings.github_repo or os.environ.get("GITHUB_REPOSITORY") or git.github_repo_from_remote(remote_url)


def project_name(root: Path, folder_name: str) -> str:
    """Name declared in pyproject.toml or package.json (read by the manifest reader), else the folder name."""
    read_text = Checkout(root).read_text  # never follows a symlink out of the repository
    for manifest_path in ("pyproject.toml", "package.json"):
        manifest = read_manifest(manifest_path, read_text(manifest_path))
        if manifest is not None and manifest.name.strip():
            return manifest.name.strip()
    return folder_name


def collect(settings: Settings, store: Store, warnings: list[str], *, github: SnapshotRefresh | None = None,
            checkout: git.GitData | None = None, manifest_history: bool = True) -> RepoFacts:
    """Read every source and return the facts of the repository.

    Args:
        settings: Build options.
        store: SQLite store (GitHub snapshot).
        warnings: Collects warnings for report.json.
        github: The GitHub refresh this build already made (then GitHub is not asked again).
        checkout: The checkout as this build already read it (`sources.history` reads only what changed).
        manifest_history: Read the changes to followed files for decision mining (the pipeline reads its usage
            timeline incrementally instead, see `increments`).

    Raises:
        SourceError: The checkout cannot be read.
    """
    data = checkout or git.read_repository(settings.repo_path, settings.exclude)
    if data.shallow:
        warnings.append("shallow clone: history is incomplete; use 'fetch-depth: 0'")
    if not data.head:
        warnings.append("the repository has no commits yet; pages describe its files only")
    readme_path, readme = git.find_readme(data.root, data.files)
    contributing_path, contributing = git.find_contributing(data.root, data.files)
    adr_dir = settings.with_changes(repo_path=data.root).resolved_adr_dir()
    github_repo = resolve_github_repo(settings, data.remote_url)
    github_facts = load_github_facts(settings, github_repo, store, warnings, github)
    web_url = github_facts.html_url if github_facts and github_facts.html_url else None
    if not web_url and github_repo and git.github_repo_from_remote(data.remote_url) == github_repo:
        web_url = f"https://github.com/{github_repo}"
    return RepoFacts(
        name=github_repo.split("/", 1)[1] if github_repo else project_name(data.root, Path(data.root).name),
        root=str(data.root),
        head=data.head,
        branch=data.branch,
        remote_url=data.remote_url,
        web_url=web_url or git.web_url_from_remote(data.remote_url),
        shallow=data.shallow,
        readme=readme,
        readme_path=readme_path,
        contributing=contributing,
        contributing_path=contributing_path,
        files=data.files,
        commits=data.commits,
        tags=data.tags,
        contributors=data.contributors,
        adrs=read_adrs(data.root, adr_dir, data.files, data.commits),
        adr_dir=adr_dir,
        github=github_facts,
        manifest_changes=read_manifest_history(data.root, settings.exclude, data.log)
        if manifest_history and data.head and "adr" in settings.sections else (),
    )
