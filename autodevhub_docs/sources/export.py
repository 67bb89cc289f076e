# The offline export: JSON written by `gh issue list --json ...` and `gh pr list --json ...`, turned into the same
# normalised records the snapshot stores, so a user with no network still gets stories and ADRs.
from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from autodevhub_docs.errors import ConfigError
from autodevhub_docs.sources.github_refs import closing_references

ISSUE_FIELDS = "number,title,body,labels,state,author,createdAt,updatedAt,closedAt,milestone,url"
"""Fields to ask `gh issue list` for (assignees, comments and stateReason are used too when present)."""
PR_FIELDS = ("number,title,body,labels,state,author,createdAt,updatedAt,closedAt,mergedAt,milestone,url,isDraft,"
             "closingIssuesReferences,files,reviewDecision")
"""Fields to ask `gh pr list` for."""
PR_ONLY_FIELDS = frozenset({"mergedAt", "isDraft", "closingIssuesReferences", "files", "reviewDecision", "headRefName",
                            "baseRefName", "mergeCommit", "changedFiles", "additions", "deletions", "reviews",
                            "mergeable", "mergedBy", "reviewRequests", "statusCheckRollup"})
"""Fields only `gh pr list` emits: an entry with any of them is a pull request."""
HOW_TO = (f"Write it with: gh issue list --state all --limit 10000 --json {ISSUE_FIELDS} > issues.json "
          f"(and/or gh pr list --state all --limit 10000 --json {PR_FIELDS}); the file may hold one list, "
          'or {"issues": [...], "pulls": [...]}.')


def _bad(path: Path, problem: str) -> ConfigError:
    return ConfigError(f"The issues_file '{path}' {problem}.", HOW_TO)


def _entries(path: Path, data: Any) -> list[Mapping[str, Any]]:
    if isinstance(data, Mapping):
        unknown = set(data) - {"issues", "pulls", "prs", "pull_requests"}
        if unknown or not data:
            raise _bad(path, f"is an object with unexpected keys ({', '.join(sorted(map(str, unknown))) or 'none'})")
        lists = [data[key] for key in ("issues", "pulls", "prs", "pull_requests") if key in data]
        if not all(isinstance(x, list) for x in lists):
            raise _bad(path, "has an 'issues' or 'pulls' entry that is not a list")
        entries = [e for lst in lists for e in lst]
    elif isinstance(data, list):
        entries = data
    else:
        raise _bad(path, f"holds a JSON {type(data).__name__}, not a list of issues or pull requests")
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("number"), int):
            raise _bad(path, f"has an entry without a whole 'number' (position {index})")
    return entries


def is_pull(entry: Mapping[str, Any]) -> bool:
    """Whether a `gh ... --json` entry is a pull request (it carries a PR-only field, or a /pull/ URL)."""
    url = str(entry.get("url") or "")
    return bool(PR_ONLY_FIELDS & set(entry)) or "/pull/" in url or entry.get("state") == "MERGED"


def _login(value: Any) -> str | None:
    return value.get("login") if isinstance(value, Mapping) else None


def _milestone(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, Mapping) or not value.get("title"):
        return None
    return {"number": value.get("number"), "title": value["title"], "state": str(value.get("state") or "open").lower(),
            "description": value.get("description") or "", "due_on": value.get("dueOn")}


def _comments(value: Any) -> tuple[int, list[dict[str, Any]]]:
    if isinstance(value, list):
        bodies = [{"created_at": c.get("createdAt") or "", "author": _login(c.get("author")),
                   "body": c.get("body") or ""} for c in value if isinstance(c, Mapping)]
        return len(bodies), bodies
    if isinstance(value, Mapping) and isinstance(value.get("totalCount"), int):
        return value["totalCount"], []
    return (value if isinstance(value, int) else 0), []


def _review_state(decision: Any) -> str | None:
    return {"APPROVED": "approved", "CHANGES_REQUESTED": "changes_requested",
            "REVIEW_REQUIRED": "review_required"}.get(str(decision or "").upper())


def normalise(entry: Mapping[str, Any], repo: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One export entry as a snapshot record, plus its comments."""
    pull = is_pull(entry)
    state = str(entry.get("state") or "open").lower()
    count, comments = _comments(entry.get("comments"))
    reactions = entry.get("reactionGroups")
    item: dict[str, Any] = {
        "number": int(entry["number"]), "kind": "pull" if pull else "issue", "title": entry.get("title") or "",
        "body": entry.get("body") or "", "state": "closed" if state == "merged" else state,
        "state_reason": (str(entry["stateReason"]).lower() or None) if entry.get("stateReason") else None,
        "labels": [lb.get("name", "") if isinstance(lb, Mapping) else str(lb) for lb in entry.get("labels") or ()],
        "author": _login(entry.get("author")),
        "assignees": [a.get("login") for a in entry.get("assignees") or () if isinstance(a, Mapping)],
        "created_at": entry.get("createdAt") or "", "updated_at": entry.get("updatedAt") or "",
        "closed_at": entry.get("closedAt"), "milestone": _milestone(entry.get("milestone")), "comments": count,
        "reactions": sum(int((g.get("users") or {}).get("totalCount") or 0) for g in reactions
                         if isinstance(g, Mapping)) if isinstance(reactions, list) else 0,
        "url": entry.get("url") or "",
    }
    if pull:
        refs = {int(r["number"]) for r in entry.get("closingIssuesReferences") or ()
                if isinstance(r, Mapping) and isinstance(r.get("number"), int)}
        refs |= set(closing_references(f"{item['title']}\n{item['body']}", repo))
        files = [f for f in entry.get("files") or () if isinstance(f, Mapping)]
        merge = entry.get("mergeCommit")
        item.update(merged_at=entry.get("mergedAt"), draft=bool(entry.get("isDraft")), closes=sorted(refs),
                    merge_sha=merge.get("oid") if isinstance(merge, Mapping) else None,
                    files=[str(f.get("path")) for f in files],
                    additions=int(entry.get("additions") or sum(int(f.get("additions") or 0) for f in files)),
                    deletions=int(entry.get("deletions") or sum(int(f.get("deletions") or 0) for f in files)),
                    review_state=_review_state(entry.get("reviewDecision")))
    return item, comments


def repo_from_urls(entries: Sequence[Mapping[str, Any]]) -> str | None:
    """`owner/name` from the first entry whose URL is a GitHub issue or PR URL."""
    for entry in entries:
        match = re.match(r"https?://[^/]+/([^/]+/[^/]+)/(?:issues|pull)/\d+", str(entry.get("url") or ""))
        if match:
            return match.group(1)
    return None


def read_export(path: Path, repo: str | None) -> tuple[str, list[dict[str, Any]], dict[int, list[dict[str, Any]]]]:
    """Read an `issues_file`.

    Args:
        path: The JSON file.
        repo: `owner/name` when known; else taken from the entries' URLs, else the file name.

    Returns:
        (repo, normalised issues and PRs, comments per number).

    Raises:
        ConfigError: The file is missing or is not an export of `gh issue list` / `gh pr list`.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _bad(path, "does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise _bad(path, f"cannot be read ({error})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _bad(path, f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})") from None
    entries = _entries(path, data)
    repo = repo or repo_from_urls(entries) or path.stem
    items: dict[int, dict[str, Any]] = {}
    comments: dict[int, list[dict[str, Any]]] = {}
    for entry in entries:
        item, bodies = normalise(entry, repo)
        items[item["number"]] = item  # the same number twice (issue and PR export overlap): last one wins
        if bodies:
            comments[item["number"]] = bodies
    return repo, [items[n] for n in sorted(items)], comments
