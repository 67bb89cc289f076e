# The changes step, run by the pipeline after every section is generated and rendered: what differs from the
# previous build whose content was different, as a page (`changes/index.md`) and as an Atom feed
# (`changes/feed.xml`) people can subscribe to. It reads only the inventories the generators fill
# (`Document.inventory`: kind -> id -> description), the commits, and the recorded builds.
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from autodevhub_docs.generators.base import Document
from autodevhub_docs.model import RepoFacts

KINDS: dict[str, tuple[str, str, str]] = {
    # kind: (section title, singular, plural) for the page, the feed and the job summary
    "story": ("User stories", "story", "stories"),
    "adr": ("Decisions", "ADR", "ADRs"),
    "endpoint": ("Endpoints", "endpoint", "endpoints"),
    "service": ("Services", "service", "services"),
    "entity": ("Entities", "entity", "entities"),
    "page": ("Pages", "page", "pages"),
}
"""Known kinds in display order; other kinds follow in alphabetical order with their own name."""

_STATUS_WORDS = {"story": ("closed", "closed"), "adr": ("supersed", "superseded")}
"""Per kind, a word that, newly present in an item's description, means the item reached that status."""

_REMOVED = {"story": "closed", "adr": "removed"}
"""What an item leaving the inventory means (a story that is no longer open was closed)."""

_STATUS_ORDER = ("new", "closed", "superseded", "removed", "changed")

_XML_INVALID = re.compile(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 20
"""Builds listed in the Atom feed."""


def inventory_of(documents: Sequence[Document]) -> dict[str, dict[str, str]]:
    """Merge the inventories of all documents: kind -> item id -> description."""
    merged: dict[str, dict[str, str]] = {"page": {}}
    for doc in documents:
        if doc.uri.endswith(".md"):
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


def _kind_order(kind: str) -> tuple[int, str]:
    order = list(KINDS)
    return (order.index(kind), kind) if kind in order else (len(order), kind)


def describe_changes(before: Mapping[str, Mapping[str, str]], after: Mapping[str, Mapping[str, str]]
                     ) -> list[dict[str, Any]]:
    """Name what changed, kind by kind: new, closed or superseded, removed or changed items.

    Args:
        before: The previous build's inventory.
        after: This build's inventory.

    Returns:
        One group per kind with changes: `{"kind", "title", "items": [{"status", "id", "text", "before"}],
        "counts": {status: n}}`, known kinds first.
    """
    groups = []
    for change in sorted(diff_inventories(before, after), key=lambda c: _kind_order(c["kind"])):
        kind = change["kind"]
        items = [{"status": "new", "id": i["id"], "text": i["text"], "before": ""} for i in change["added"]]
        for item in change["changed"]:
            word, status = _STATUS_WORDS.get(kind, ("", "changed"))
            reached = bool(word) and word in item["text"].lower() and word not in item["before"].lower()
            items.append({"status": status if reached else "changed", **item})
        items += [{"status": _REMOVED.get(kind, "removed"), "id": i["id"], "text": i["text"], "before": ""}
                  for i in change["removed"]]
        counts: dict[str, int] = {}
        for status in _STATUS_ORDER:
            n = sum(1 for item in items if item["status"] == status)
            if n:
                counts[status] = n
        groups.append({"kind": kind, "title": KINDS.get(kind, (kind.capitalize(), kind, kind))[0],
                       "items": items, "counts": counts})
    return groups


def count_lines(groups: Sequence[Mapping[str, Any]]) -> list[str]:
    """Short phrases for the job summary and feed titles, e.g. `2 new stories`, `1 superseded ADR`."""
    lines = []
    for group in groups:
        _, singular, plural = KINDS.get(group["kind"], ("", group["kind"], group["kind"]))
        for status, n in group["counts"].items():
            lines.append(f"{n} {status} {singular if n == 1 else plural}")
    return lines


def changes_documents(facts: RepoFacts, documents: Sequence[Document], previous: Mapping[str, Any] | None,
                      history: Sequence[Mapping[str, Any]]) -> list[Document]:
    """The changes page (and the feed once builds are recorded), comparing this build with the previous one.

    Args:
        facts: The repository facts (commits since the previous build, the name for the feed).
        documents: This build's other documents, whose inventories are compared.
        previous: The latest earlier build with different content (`commit`, `date`, `inventory`), or None.
        history: Recorded builds whose content changed, newest first (this one included).
    """
    current = inventory_of(documents)
    commits: list[dict[str, str]] = []
    if previous:
        for commit in facts.commits:
            if commit.sha == previous.get("commit"):
                break
            commits.append({"sha": commit.sha, "subject": commit.subject, "date": commit.date[:10],
                            "author": commit.author})
    groups = describe_changes(previous.get("inventory", {}), current) if previous else []
    summary = {"previous_commit": previous.get("commit") if previous else None, "commits": len(commits),
               "counts": [line for line in count_lines(groups) if not line.endswith(("page", "pages"))]}
    page = Document(
        uri="changes/index.md", title="Changes", template="changes/index.md.jinja",
        context={"previous": previous, "commits": commits[:100], "more_commits": max(0, len(commits) - 100),
                 "diff": diff_inventories(previous.get("inventory", {}), current) if previous else [],
                 "groups": groups, "summary": summary, "feed": bool(history),
                 "recent": [{"sha": c.sha, "subject": c.subject, "date": c.date[:10]} for c in facts.commits[:10]]},
    )
    if not history:
        return [page]
    feed = Document(uri="changes/feed.xml", title="Changes feed", template="",
                    verbatim=atom_feed(facts.name, facts.web_url, history))
    return [page, feed]


def _xml_text(text: object) -> str:
    return _XML_INVALID.sub("", str(text))


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(name: str, web_url: str | None, history: Sequence[Mapping[str, Any]]) -> str:
    """Build an Atom 1.0 feed with one entry per recorded build whose content changed (newest first).

    Args:
        name: Repository name (the feed title).
        web_url: The repository's web address, if known (the feed id and author link).
        history: Builds, newest first: `{"id", "commit", "digest", "created", "inventory"}`.

    Returns:
        The feed as XML text; every value is escaped by the XML serializer, and entry ids are stable
        (derived from the build's row id and content digest).
    """
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = _xml_text(text)
        return element

    add(feed, "title", f"{name}: documentation changes")
    add(feed, "subtitle", "What changed in the generated documentation, build by build (AutoDevHub Docs).")
    add(feed, "id", f"urn:autodevhub-docs:changes:{_xml_text(web_url or name)}")
    add(feed, "updated", _iso(float(history[0]["created"])))
    add(feed, "link", rel="self", href="feed.xml", type="application/atom+xml")
    add(feed, "link", rel="alternate", href="./", type="text/html")
    author = add(feed, "author")
    add(author, "name", "AutoDevHub Docs")
    add(feed, "generator", "AutoDevHub Docs")
    shown = history[:FEED_ENTRIES]
    for index, build in enumerate(shown):
        older = history[index + 1] if index + 1 < len(history) else None
        groups = describe_changes(older["inventory"] if older else {}, build["inventory"])
        counts = [line for line in count_lines(groups) if not line.endswith(("page", "pages"))]
        short = str(build["commit"])[:7] or "no commit"
        entry = add(feed, "entry")
        title = f"Build of {short}: " + (", ".join(counts) if counts else "pages updated")
        add(entry, "title", title if older else f"First recorded build of {short}")
        add(entry, "id", f"urn:autodevhub-docs:build:{build['id']}:{str(build['digest'])[:16]}")
        add(entry, "updated", _iso(float(build["created"])))
        add(entry, "link", rel="alternate", href="./", type="text/html")
        lines = [f"{g['title']}: " + "; ".join(f"{i['status']} {i['id']} {i['text']}" for i in g["items"][:30])
                 for g in groups]
        add(entry, "content", "\n".join(lines) or "No listed items changed.", type="text")
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"
