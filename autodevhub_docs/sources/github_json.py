# GitHub REST JSON -> the normalised records the snapshot stores. Raw API JSON stops here: nothing outside
# `sources/` ever sees it. Pure functions over dicts; PyGithub objects are never built from list JSON, so reading
# a field can never fire a lazy completion request.
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from autodevhub_docs.sources.github_refs import closing_references


def _login(user: Any) -> str | None:
    return user.get("login") if isinstance(user, dict) else None


def _milestone(m: Any) -> dict[str, Any] | None:
    if not isinstance(m, dict):
        return None
    return {"number": m.get("number"), "title": m.get("title") or "", "state": m.get("state") or "open",
            "description": m.get("description") or "", "due_on": m.get("due_on")}


def normalise_item(raw: Mapping[str, Any], repo: str) -> dict[str, Any]:
    """One element of `GET /repos/{repo}/issues` as the snapshot stores it (issues and PRs alike)."""
    pull = raw.get("pull_request")  # present only on PRs: no completion request needed to tell them apart
    body = raw.get("body") or ""
    reactions = raw.get("reactions")
    item: dict[str, Any] = {
        "number": int(raw["number"]), "kind": "pull" if isinstance(pull, dict) else "issue",
        "title": raw.get("title") or "", "body": body, "state": raw.get("state") or "open",
        "state_reason": raw.get("state_reason"),
        "labels": [lb["name"] if isinstance(lb, dict) else str(lb) for lb in raw.get("labels") or ()],
        "author": _login(raw.get("user")), "assignees": [a["login"] for a in raw.get("assignees") or () if a],
        "created_at": raw.get("created_at") or "", "updated_at": raw.get("updated_at") or "",
        "closed_at": raw.get("closed_at"), "milestone": _milestone(raw.get("milestone")),
        "comments": int(raw.get("comments") or 0),
        "reactions": int(reactions.get("total_count") or 0) if isinstance(reactions, dict) else 0,
        "url": raw.get("html_url") or "",
    }
    if isinstance(pull, dict):
        item.update(merged_at=pull.get("merged_at"), draft=bool(raw.get("draft")),
                    closes=list(closing_references(f"{item['title']}\n{body}", repo)))
    return item


def normalise_comment(raw: Mapping[str, Any]) -> dict[str, Any] | None:
    """One element of `GET /repos/{repo}/issues/comments`; None when it names no issue."""
    match = re.search(r"/issues/(\d+)$", str(raw.get("issue_url") or ""))
    if not match:
        return None
    return {"id": int(raw["id"]), "number": int(match.group(1)), "created_at": raw.get("created_at") or "",
            "updated_at": raw.get("updated_at") or "", "author": _login(raw.get("user")), "body": raw.get("body") or ""}


def normalise_list_entry(name: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """One element of the milestones, labels, releases, tags or contributors lists."""
    if name == "milestones":
        return _milestone(raw) or {}
    if name == "labels":
        return {"name": raw.get("name") or "", "description": raw.get("description") or ""}
    if name == "releases":
        return {"tag": raw.get("tag_name") or "", "name": raw.get("name") or "", "body": raw.get("body") or "",
                "published_at": raw.get("published_at"), "prerelease": bool(raw.get("prerelease")),
                "draft": bool(raw.get("draft")), "url": raw.get("html_url") or ""}
    if name == "tags":
        return {"name": raw.get("name") or "", "sha": (raw.get("commit") or {}).get("sha")}
    return {"login": raw.get("login"), "contributions": int(raw.get("contributions") or 0)}


def review_outcome(reviews: list[Mapping[str, Any]]) -> str | None:
    """Approved / changes_requested / commented from a PR's reviews (each reviewer's latest decisive review)."""
    latest: dict[str, str] = {}
    for review in reviews:
        state = str(review.get("state") or "").upper()
        who = _login(review.get("user")) or str(review.get("id"))
        if state in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
            latest[who] = state
        elif state == "COMMENTED":
            latest.setdefault(who, state)
    states = set(latest.values())
    if "CHANGES_REQUESTED" in states:
        return "changes_requested"
    if "APPROVED" in states:
        return "approved"
    return "commented" if states else None


def normalise_pull(raw: Mapping[str, Any], repo: str) -> dict[str, Any]:
    """One element of `GET /repos/{repo}/pulls` (used when issues are disabled, so /issues lists nothing)."""
    item = normalise_item({**raw, "pull_request": {"merged_at": raw.get("merged_at")}}, repo)
    item["merge_sha"] = raw.get("merge_commit_sha") if raw.get("merged_at") else None
    return item
