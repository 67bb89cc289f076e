# The changes section: what differs from the previous build whose content was different.
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from autodevhub_docs.generators.base import Document, GenContext
from autodevhub_docs.llm.client import ProseRequest, ProseResult


def inventory_of(documents: Sequence[Document]) -> dict[str, dict[str, str]]:
    """Merge the inventories of all documents: kind -> item id -> description."""
    merged: dict[str, dict[str, str]] = {"page": {}}
    for doc in documents:
        merged["page"][doc.uri] = doc.title
        for kind, items in doc.inventory.items():
            merged.setdefault(kind, {}).update(items)
    return merged


def diff_inventories(before: Mapping[str, Mapping[str, str]], after: Mapping[str, Mapping[str, str]]
                     ) -> list[dict[str, Any]]:
    """Return, per kind, the items added, removed and changed between two inventories."""
    kinds = sorted(set(before) | set(after))
    result = []
    for kind in kinds:
        old, new = before.get(kind, {}), after.get(kind, {})
        added = [{"id": k, "text": new[k]} for k in sorted(set(new) - set(old))]
        removed = [{"id": k, "text": old[k]} for k in sorted(set(old) - set(new))]
        changed = [{"id": k, "before": old[k], "text": new[k]} for k in sorted(set(old) & set(new)) if old[k] != new[k]]
        if added or removed or changed:
            result.append({"kind": kind, "added": added, "removed": removed, "changed": changed})
    return result


class ChangesGenerator:
    """Writes `changes/index.md`; runs after every other section so it can compare their inventories."""

    section = "changes"

    def plan(self, ctx: GenContext) -> list[ProseRequest]:
        """The changes page is built from facts only."""
        del ctx
        return []

    def build(self, ctx: GenContext, prose: Mapping[str, ProseResult]) -> list[Document]:
        """Compare this build's inventory and history with the previous build."""
        del prose
        previous = ctx.previous
        current = inventory_of(ctx.documents)
        commits: list[dict[str, str]] = []
        if previous:
            for commit in ctx.facts.commits:
                if commit.sha == previous.get("commit"):
                    break
                commits.append({"sha": commit.sha, "subject": commit.subject, "date": commit.date[:10],
                                "author": commit.author})
        return [Document(
            uri="changes/index.md", title="Changes", template="changes/index.md.jinja",
            context={"previous": previous, "commits": commits[:100], "more_commits": max(0, len(commits) - 100),
                     "diff": diff_inventories(previous.get("inventory", {}), current) if previous else [],
                     "recent": [{"sha": c.sha, "subject": c.subject, "date": c.date[:10]}
                                for c in ctx.facts.commits[:10]]},
        )]
