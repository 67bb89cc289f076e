# Commit activity and contributors, shared by the architecture and changes pages.
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from autodevhub_docs.model import Commit, Contributor, Tag


def monthly_commits(commits: Sequence[Commit], months: int = 12) -> list[dict[str, Any]]:
    """Count commits per calendar month for the most recent `months` months that have commits, oldest first."""
    counts = Counter(c.date[:7] for c in commits if len(c.date) >= 7)
    recent = sorted(counts)[-months:]
    return [{"month": m, "commits": counts[m]} for m in recent]


def activity(commits: Sequence[Commit], contributors: Sequence[Contributor], tags: Sequence[Tag]) -> dict[str, Any]:
    """Summarise history for templates (no email addresses: pages never publish them)."""
    if not commits:
        return {"commits": 0}
    return {
        "commits": len(commits),
        "first": commits[-1].date[:10],
        "last": commits[0].date[:10],
        "contributors": len(contributors),
        "top_contributors": [{"name": c.name, "commits": c.commits, "first": c.first[:10], "last": c.last[:10]}
                             for c in contributors[:10]],
        "months": monthly_commits(commits),
        "tags": [{"name": t.name, "sha": t.sha, "date": t.date[:10]} for t in tags[:10]],
        "recent": [{"sha": c.sha, "subject": c.subject, "date": c.date[:10], "author": c.author}
                   for c in commits[:10]],
    }
