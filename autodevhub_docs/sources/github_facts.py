# GitHub facts from the snapshot's normalised records (or an export's): issues, pull requests, milestones and
# releases, with every issue/PR carrying an excluded label left out.
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from autodevhub_docs.model import GitHubFacts, Issue, Milestone, PullRequest, Release

COMMENTS_PER_ISSUE = 5
"""Comment bodies attached to one issue in the facts (the first ones, oldest first)."""


def _excluded(labels: Iterable[str], exclude: frozenset[str]) -> bool:
    return any(label.casefold() in exclude for label in labels)


def build_facts(*, repo: str, meta: Mapping[str, Any] | None, items: Sequence[Mapping[str, Any]],
                comments: Mapping[int, Sequence[Mapping[str, Any]]] | None = None,
                details: Mapping[int, Mapping[str, Any]] | None = None,
                lists: Mapping[str, Sequence[Mapping[str, Any]] | None] | None = None,
                exclude_labels: Iterable[str] = (), source: str = "github", fetched_at: str | None = None,
                ) -> GitHubFacts:
    """Turn normalised records into `GitHubFacts`, leaving out every issue/PR with an excluded label.

    Args:
        repo: `owner/name`.
        meta: Normalised repository metadata (private, description, html_url), or None.
        items: Normalised issues and PRs (`kind` is `issue` or `pull`).
        comments: Comment dicts per issue number.
        details: Changed files and review outcome per merged PR number.
        lists: Normalised `milestones`, `labels`, `releases`, `tags` and `contributors`.
        exclude_labels: Labels whose issues/PRs never reach the facts (compared case-insensitively).
        source: github, snapshot or export.
        fetched_at: When the data was refreshed, ISO 8601.
    """
    exclude = frozenset(label.casefold() for label in exclude_labels)
    comments, details, lists = comments or {}, details or {}, lists or {}
    kept = [i for i in items if not _excluded(i.get("labels", ()), exclude)]
    hidden = {int(i["number"]) for i in items if i not in kept}
    pulls = tuple(_pull(p, details.get(int(p["number"])), hidden) for p in kept if p["kind"] == "pull")
    closed_by: dict[int, list[int]] = {}
    for pull in pulls:
        for number in pull.closes:
            closed_by.setdefault(number, []).append(pull.number)
    issues = tuple(_issue(i, comments.get(int(i["number"]), ()), closed_by.get(int(i["number"]), []))
                   for i in kept if i["kind"] == "issue")
    meta = meta or {}
    return GitHubFacts(
        repo=repo,
        private=bool(meta.get("private", False)),
        description=str(meta.get("description") or ""),
        html_url=str(meta.get("html_url") or ""),
        issues=issues,
        pulls=pulls,
        milestones=_milestones(lists.get("milestones"), kept),
        releases=tuple(_release(r) for r in lists.get("releases") or () if not r.get("draft")),
        labels=tuple(sorted({str(x["name"]) for x in lists.get("labels") or ()} or
                            {label for i in kept for label in i.get("labels", ())})),
        tags=tuple(str(t["name"]) for t in lists.get("tags") or ()),
        contributors=tuple(str(c["login"]) for c in lists.get("contributors") or () if c.get("login")),
        source=source,
        fetched_at=fetched_at,
    )


def _issue(i: Mapping[str, Any], comments: Sequence[Mapping[str, Any]], closed_by: list[int]) -> Issue:
    return Issue(
        number=int(i["number"]), title=str(i.get("title") or ""), body=str(i.get("body") or ""),
        state=str(i.get("state") or "open"), labels=tuple(i.get("labels", ())), author=i.get("author"),
        created_at=str(i.get("created_at") or ""), updated_at=str(i.get("updated_at") or ""),
        closed_at=i.get("closed_at"), milestone=(i.get("milestone") or {}).get("title"),
        assignees=tuple(i.get("assignees", ())), comments=int(i.get("comments") or 0),
        reactions=int(i.get("reactions") or 0), state_reason=i.get("state_reason"), url=str(i.get("url") or ""),
        comment_bodies=tuple(str(c["body"]) for c in comments[:COMMENTS_PER_ISSUE]),
        closed_by=tuple(sorted(closed_by)),
    )


def _pull(p: Mapping[str, Any], details: Mapping[str, Any] | None, hidden: set[int]) -> PullRequest:
    details = details or {}
    return PullRequest(
        number=int(p["number"]), title=str(p.get("title") or ""), body=str(p.get("body") or ""),
        state=str(p.get("state") or "open"), labels=tuple(p.get("labels", ())), author=p.get("author"),
        created_at=str(p.get("created_at") or ""), updated_at=str(p.get("updated_at") or ""),
        closed_at=p.get("closed_at"), merged_at=p.get("merged_at"), merge_sha=p.get("merge_sha"),
        milestone=(p.get("milestone") or {}).get("title"), draft=bool(p.get("draft")),
        closes=tuple(n for n in p.get("closes", ()) if n not in hidden),
        changed_files=tuple(details.get("files", p.get("files", ()))),
        additions=int(details.get("additions", p.get("additions", 0)) or 0),
        deletions=int(details.get("deletions", p.get("deletions", 0)) or 0),
        review_state=details.get("review_state", p.get("review_state")),
        assignees=tuple(p.get("assignees", ())), comments=int(p.get("comments") or 0),
        url=str(p.get("url") or ""),
    )


def _milestones(listed: Sequence[Mapping[str, Any]] | None,
                items: Sequence[Mapping[str, Any]]) -> tuple[Milestone, ...]:
    # The issues list carries each issue's milestone, so milestones are known even before the list is fetched.
    by_title: dict[str, Mapping[str, Any]] = {}
    for i in items:
        if i.get("milestone"):
            by_title.setdefault(str(i["milestone"]["title"]), i["milestone"])
    for m in listed or ():
        by_title[str(m["title"])] = m
    return tuple(sorted((Milestone(number=int(m.get("number") or 0), title=title, state=str(m.get("state") or "open"),
                                   description=str(m.get("description") or ""), due_on=m.get("due_on"))
                         for title, m in by_title.items()), key=lambda m: (m.number, m.title)))


def _release(r: Mapping[str, Any]) -> Release:
    return Release(tag=str(r.get("tag") or ""), name=str(r.get("name") or r.get("tag") or ""),
                   body=str(r.get("body") or ""), published_at=r.get("published_at"),
                   prerelease=bool(r.get("prerelease")), url=str(r.get("url") or ""))
