"""Architecture decisions mined from history, from three signals, strongest first.

1. manifest diffs (`manifest_signal`): a catalogued technology appears in, disappears from, or is swapped in a
   manifest, lockfile, compose file or CI configuration;
2. commits, merged PRs and issues whose title carries a decision cue and names a technology or practice
   (`cue_signal`);
3. PRs and issues labelled `decision`, `adr` or `architecture` (`cue_signal`).

Evidence for the same decision (several commits, the PR that merged them, the issue it closed) is grouped into one
record; a later record that drops what an earlier one chose supersedes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from autodevhub_docs.analysis.catalog import technologies_named_in
from autodevhub_docs.analysis.decisions.cue_signal import cue_item, github_items
from autodevhub_docs.analysis.decisions.drafts import MAX_FILES, Draft, bounded, join_names
from autodevhub_docs.analysis.decisions.manifest_signal import manifest_drafts
from autodevhub_docs.analysis.decisions.vocabulary import CATEGORIES, base_category
from autodevhub_docs.model import HandWrittenAdr, RepoFacts
from autodevhub_docs.model.decisions import Decision, Evidence

__all__ = ["covered_by_hand", "mine_decisions"]


def _title(draft: Draft) -> str:
    if draft.kind in ("practice", "labelled"):
        return draft.title
    category = base_category(draft.category)
    role = CATEGORIES[category].role if category in CATEGORIES else ""
    if draft.kind == "replace":
        return f"Replace {join_names(draft.replaced)} with {join_names(draft.chosen)}"
    if draft.kind == "remove":
        return f"Stop using {join_names(draft.replaced)}"
    return f"Use {join_names(draft.chosen)} {role}".strip()


def _status(evidence: Sequence[Evidence]) -> str:
    if any(e.kind == "commit" or e.state in ("merged", "completed") for e in evidence):
        return "accepted"
    if any(e.state == "open" for e in evidence):
        return "proposed"
    return "rejected"


def _makers(evidence: Sequence[Evidence]) -> tuple[str, ...]:
    counts: dict[str, int] = {}
    for item in evidence:
        if item.author:
            counts[item.author] = counts.get(item.author, 0) + 1
    return tuple(sorted(counts, key=lambda a: (-counts[a], a))[:5])


def _chronological(item: Evidence) -> tuple[str, int, str]:
    return item.date, {"issue": 0, "commit": 1, "pr": 2}.get(item.kind, 3), item.ref


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50].rstrip("-") or "decision"


def mine_decisions(facts: RepoFacts, *, include_github: bool = True) -> tuple[Decision, ...]:
    """Find the architecture decisions the history shows.

    Args:
        facts: Repository facts (`manifest_changes`, `commits`, and `github` when present).
        include_github: False to leave PRs and issues out (a private repository without `allow_private`).

    Returns:
        Decisions oldest first (ties by id), with supersede links filled in.
    """
    commits = {c.sha: c for c in facts.commits}
    drafts = manifest_drafts(facts.manifest_changes, commits, facts.web_url)
    for commit in reversed(facts.commits):  # oldest first
        item = Evidence(kind="commit", ref=commit.sha, date=commit.date[:10], title=commit.subject,
                        author=commit.author, url=f"{facts.web_url}/commit/{commit.sha}" if facts.web_url else "",
                        body=bounded(commit.body), files=commit.files[:MAX_FILES])
        cue_item(drafts, item, ())
    if facts.github and include_github:
        github_items(drafts, facts.github)
    drafts = [d for d in drafts if d.chosen or d.replaced or d.kind in ("practice", "labelled")]
    ids: dict[int, str] = {}
    for draft in drafts:
        subject = " ".join(sorted(draft.chosen or draft.replaced)) or draft.title
        ids[id(draft)] = f"{_slug(f'{draft.category} {subject}')}-{draft.seed}"
    ordered = sorted(drafts, key=lambda d: (d.first, ids[id(d)]))
    superseded_by: dict[str, str] = {}
    supersedes: dict[str, list[str]] = {}
    for later_index, later in enumerate(ordered):
        if later.category in ("practice", "other") or _status(later.evidence) != "accepted":
            continue
        for earlier in reversed(ordered[:later_index]):
            earlier_id = ids[id(earlier)]
            if earlier.category == later.category and set(later.replaced) & set(earlier.chosen) and \
                    earlier_id not in superseded_by:
                superseded_by[earlier_id] = ids[id(later)]
                supersedes.setdefault(ids[id(later)], []).append(earlier_id)
    return tuple(
        Decision(id=ids[id(d)], title=_title(d), category=d.category, kind=d.kind, chosen=tuple(d.chosen),
                 replaced=tuple(d.replaced), date=d.first, last_date=d.last, status=_status(d.evidence),
                 decision_makers=_makers(d.evidence), evidence=tuple(sorted(d.evidence, key=_chronological)),
                 supersedes=tuple(supersedes.get(ids[id(d)], ())), superseded_by=superseded_by.get(ids[id(d)]))
        for d in ordered
    )


def covered_by_hand(decisions: Sequence[Decision], records: Sequence[HandWrittenAdr]) -> dict[str, int]:
    """Mined decisions that a numbered hand-written record already documents (its title names what was chosen).

    Such a decision gets no generated record: the person's record stands for it, so one decision has one record.

    Returns:
        Decision id -> number of the hand-written record.
    """
    covered: dict[str, int] = {}
    for decision in decisions:
        if not decision.chosen or decision.kind not in ("adopt", "replace"):
            continue
        for record in records:
            named = {t.name for t in technologies_named_in(record.title) if t.role == base_category(decision.category)}
            if record.number is not None and set(decision.chosen) <= named and \
                    (decision.kind == "adopt" or set(decision.replaced) & named):
                covered[decision.id] = record.number
                break
    return covered
