# Facts from GitHub (or an offline `gh` export): issues, pull requests, milestones, releases.
# Raw API JSON never leaves `sources/`; these records are what the rest of the pipeline sees.
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True, slots=True)
class Milestone:
    """A GitHub milestone."""

    number: int
    """Milestone number."""
    title: str
    """Milestone title."""
    state: str = "open"
    """open or closed."""
    description: str = ""
    """Milestone description (untrusted text)."""
    due_on: str | None = None
    """Due date, ISO 8601."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Issue:
    """A GitHub issue (never a pull request)."""

    number: int
    """Issue number."""
    title: str
    """Title (untrusted text)."""
    body: str
    """Body (untrusted text)."""
    state: str
    """open or closed."""
    labels: tuple[str, ...] = ()
    """Label names."""
    author: str | None = None
    """Login of the author."""
    created_at: str = ""
    """Creation time, ISO 8601."""
    updated_at: str = ""
    """Last update time, ISO 8601."""
    closed_at: str | None = None
    """Close time, ISO 8601."""
    milestone: str | None = None
    """Milestone title."""
    assignees: tuple[str, ...] = ()
    """Logins of the assignees."""
    comments: int = 0
    """Number of comments."""
    reactions: int = 0
    """Total reactions."""
    state_reason: str | None = None
    """completed, not_planned, duplicate, reopened, or None."""
    url: str = ""
    """HTML URL of the issue."""
    comment_bodies: tuple[str, ...] = ()
    """Bodies of the first comments fetched for this issue (untrusted text, bounded)."""
    closed_by: tuple[int, ...] = ()
    """Numbers of the pull requests that say they close this issue (`closes #N`)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class PullRequest:
    """A GitHub pull request."""

    number: int
    """PR number."""
    title: str
    """Title (untrusted text)."""
    body: str
    """Description (untrusted text)."""
    state: str
    """open or closed."""
    labels: tuple[str, ...] = ()
    """Label names."""
    author: str | None = None
    """Login of the author."""
    created_at: str = ""
    """Creation time, ISO 8601."""
    updated_at: str = ""
    """Last update time, ISO 8601."""
    closed_at: str | None = None
    """Close time, ISO 8601."""
    merged_at: str | None = None
    """Merge time, ISO 8601, or None when not merged."""
    merge_sha: str | None = None
    """Merge commit sha."""
    milestone: str | None = None
    """Milestone title."""
    draft: bool = False
    """Whether the PR is a draft."""
    closes: tuple[int, ...] = ()
    """Issue numbers the PR closes (from `closes #N` and similar keywords)."""
    changed_files: tuple[str, ...] = ()
    """Paths changed, when known."""
    review_state: str | None = None
    """Outcome of reviews: approved, changes_requested, commented, or None."""
    url: str = ""
    """HTML URL of the PR."""
    additions: int = 0
    """Lines added, when the changed files are known."""
    deletions: int = 0
    """Lines deleted, when the changed files are known."""
    assignees: tuple[str, ...] = ()
    """Logins of the assignees."""
    comments: int = 0
    """Number of conversation comments."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Release:
    """A GitHub release."""

    tag: str
    """Tag name."""
    name: str
    """Release title."""
    body: str = ""
    """Release notes (untrusted text)."""
    published_at: str | None = None
    """Publication time, ISO 8601."""
    prerelease: bool = False
    """Whether it is a pre-release."""
    url: str = ""
    """HTML URL."""


@dataclass(frozen=True, kw_only=True, slots=True)
class GitHubFacts:
    """Everything known about the repository's GitHub side."""

    repo: str
    """`owner/name`."""
    private: bool = False
    """Whether the repository is private."""
    description: str = ""
    """Repository description."""
    html_url: str = ""
    """Repository URL on GitHub."""
    issues: tuple[Issue, ...] = ()
    """Issues (pull requests excluded), after `exclude_labels` filtering."""
    pulls: tuple[PullRequest, ...] = ()
    """Pull requests."""
    milestones: tuple[Milestone, ...] = ()
    """Milestones."""
    releases: tuple[Release, ...] = ()
    """Releases."""
    source: str = "github"
    """Where the data came from: github, snapshot or export."""
    labels: tuple[str, ...] = ()
    """Names of the repository's labels."""
    tags: tuple[str, ...] = ()
    """Tag names as GitHub lists them (newest first)."""
    contributors: tuple[str, ...] = ()
    """Logins of the contributors, most contributions first."""
    fetched_at: str | None = None
    """When the data was last refreshed from GitHub, ISO 8601."""
