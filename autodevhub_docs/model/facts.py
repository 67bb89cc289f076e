# RepoFacts: everything the sources found, in one frozen record.
from __future__ import annotations

from dataclasses import dataclass

from autodevhub_docs.model.github import GitHubFacts
from autodevhub_docs.model.repo import Commit, Contributor, FileInfo, HandWrittenAdr, ManifestChange, Tag


@dataclass(frozen=True, kw_only=True, slots=True)
class RepoFacts:
    """What the sources know about the repository being documented."""

    name: str
    """Repository name (GitHub name, else the folder name)."""
    root: str
    """Absolute path of the checkout."""
    head: str
    """Commit sha of HEAD ('' for a repository with no commits)."""
    branch: str | None = None
    """Current branch, or None when detached."""
    remote_url: str | None = None
    """URL of the `origin` remote, credentials removed."""
    web_url: str | None = None
    """Browsable URL of the repository (for source links), if known."""
    shallow: bool = False
    """True for a shallow clone (history is incomplete)."""
    readme: str = ""
    """README text ('' when there is none)."""
    readme_path: str | None = None
    """Path of the README."""
    contributing: str = ""
    """CONTRIBUTING text."""
    contributing_path: str | None = None
    """Path of the CONTRIBUTING file."""
    files: tuple[FileInfo, ...] = ()
    """Tracked files after `exclude`."""
    commits: tuple[Commit, ...] = ()
    """History, newest first."""
    tags: tuple[Tag, ...] = ()
    """Tags, newest first."""
    contributors: tuple[Contributor, ...] = ()
    """Authors by number of commits."""
    adrs: tuple[HandWrittenAdr, ...] = ()
    """Hand-written ADRs under `adr_dir`."""
    adr_dir: str | None = None
    """The `adr_dir` in use, relative to the repository root."""
    github: GitHubFacts | None = None
    """GitHub data, when a repository or export was available."""
    manifest_changes: tuple[ManifestChange, ...] = ()
    """Changes to manifests, lockfiles, compose and CI files over the history, oldest first (decision mining)."""
