# User stories read from issues (see `analysis/stories.py`): frozen records the story generator renders.
from __future__ import annotations

from dataclasses import dataclass

from autodevhub_docs.model.github import Issue, PullRequest


@dataclass(frozen=True, kw_only=True)
class Criterion:
    """One acceptance criterion."""

    text: str
    """The criterion as written (untrusted), or a Given/When/Then sentence."""
    done: bool | None = None
    """For a task-list item: whether it is ticked."""
    given: str = ""
    """Given part, when the source writes it that way."""
    when: str = ""
    """When part."""
    then: str = ""
    """Then part."""


@dataclass(frozen=True, kw_only=True)
class Story:
    """A feature request read as a user story."""

    issue: Issue
    """The issue."""
    role: str
    """The role the issue states, else `user`."""
    role_derived: bool
    """True when the issue states no role and `user` was used."""
    capability: str
    """What is wanted (from the story sentence, e.g. `to save my cart`, else the title)."""
    capability_stated: bool
    """False when the capability is just the issue title."""
    benefit: str | None
    """Why, only when the issue says it."""
    summary: str
    """First paragraph of the body (untrusted)."""
    criteria: tuple[Criterion, ...]
    """Acceptance criteria from task lists and Given/When/Then lines of the body and discussion."""
    status: str
    """`open`, `in progress` or `done`."""
    closed_by: tuple[PullRequest, ...]
    """Merged PRs that closed it (for `done`)."""
    open_prs: tuple[PullRequest, ...]
    """Open PRs that will close it (for `in progress`)."""
    demand: int
    """Reactions plus comments."""
    epic: tuple[str, str] | None = None
    """(epic name, `milestone` or `label`) from the issue's own data, or None."""


@dataclass(frozen=True, kw_only=True)
class KnownIssue:
    """A bug, chore or question listed on its epic's page."""

    issue: Issue
    """The issue."""
    kind: str
    """`bug`, `chore` or `question`."""
    epic: tuple[str, str] | None = None
    """(epic name, `milestone` or `label`) from the issue's own data, or None."""


@dataclass(frozen=True, kw_only=True)
class Triage:
    """How the issues were sorted."""

    stories: tuple[Story, ...]
    """Feature requests, by number."""
    known: tuple[KnownIssue, ...]
    """Bugs, chores and questions, by number."""
    skipped: tuple[Issue, ...]
    """Duplicates and won't-fix issues."""
    unclassified: tuple[Issue, ...]
    """Issues with no story or known-issue signal."""
