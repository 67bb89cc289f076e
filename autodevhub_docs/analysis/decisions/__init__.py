"""Architecture decisions mined from history, from three signals, strongest first.

1. the usage timeline along the default branch's first-parent history (`timeline`, `manifest_signal`): a
   catalogued technology is adopted, dropped or swapped in a role by any manifest, lockfile, compose file, CI step,
   package.json script, Dockerfile line or pre-commit hook; a framework migrates to a new major version; a new
   service gets its container; configuration variables are consolidated;
2. merged PRs and issues whose title carries a decision cue and names a technology, and commits, PRs and issues
   that adopt a practice (`cue_signal`); a commit's cue alone never claims a technology change;
3. PRs and issues labelled `decision`, `adr` or `architecture` (`cue_signal`).

Evidence for the same decision (the commit, the PR that merged it, the issue it closed) is grouped into one record;
the same decision made twice is one record with both dates; a later record that drops what an earlier one chose
supersedes it. Every claim is re-checked at its cited commits before it is kept (`verify`), and a record that says
nothing beyond its diff is marked minor (a row in the index, not a page).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from autodevhub_docs.analysis.catalog import technologies_named_in
from autodevhub_docs.analysis.decisions.cue_signal import add_commit_practice, commit_practice, github_items
from autodevhub_docs.analysis.decisions.drafts import MAX_FILES, Draft, bounded, join_names
from autodevhub_docs.analysis.decisions.manifest_signal import manifest_drafts, record_drafts
from autodevhub_docs.analysis.decisions.mined import Mined, StoredMining
from autodevhub_docs.analysis.decisions.titles import clean_title
from autodevhub_docs.analysis.decisions.verify import TreeReader, Verifier
from autodevhub_docs.analysis.decisions.vocabulary import CATEGORIES, base_category
from autodevhub_docs.fact_pickle import digest as fact_digest
from autodevhub_docs.model import Commit, HandWrittenAdr, RepoFacts
from autodevhub_docs.model.decisions import Decision, Evidence
from autodevhub_docs.sources.manifest_history import read_tree

if TYPE_CHECKING:
    from autodevhub_docs.analysis.memo import AnalysisMemo

__all__ = ["Mined", "StoredMining", "covered_by_hand", "mine", "mine_decisions", "mining_key"]


def _title(draft: Draft) -> str:
    if draft.kind in ("practice", "labelled"):
        return clean_title(draft.title)  # a person's words: untrusted, normalised
    if draft.title:
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


def mine_decisions(facts: RepoFacts, *, include_github: bool = True, read_tree: TreeReader | None = None
                   ) -> tuple[Decision, ...]:
    """Find the architecture decisions the history shows (see `mine`)."""
    return mine(facts, include_github=include_github, read_tree=read_tree).decisions


def mine(facts: RepoFacts, *, include_github: bool = True, read_tree: TreeReader | None = None,
         memo: AnalysisMemo | None = None) -> Mined:
    """Find the architecture decisions the history shows, each claim verified at its cited commits.

    Args:
        facts: Repository facts (`manifest_changes` along the first-parent history, `commits`, and `github`).
        include_github: False to leave PRs and issues out (a private repository without `allow_private`).
        read_tree: Reads the followed files at a revision; by default with git from `facts.root`.
        memo: What earlier builds worked out (the timeline's records, commits' practices, states at revisions);
            what this build works out is added to it.

    Returns:
        Decisions oldest first (ties by id), with supersede links, and the verification counts.
    """
    practices = _practices(facts, memo)
    key = mining_key(facts, include_github, memo.timeline_key, practices) if memo is not None else None
    if memo is not None and memo.last_mining is not None and memo.last_mining.key == key:  # (a key of None: no)
        memo.used_trees.update(memo.last_mining.trees)  # the states its verification read stay kept
        memo.mined = memo.last_mining
        return memo.last_mining.mined
    commits = {c.sha: c for c in facts.commits}
    if memo is not None and memo.timeline is not None:
        drafts = record_drafts(memo.timeline, commits, facts.web_url)
    else:
        drafts = manifest_drafts(facts.manifest_changes, commits, facts.web_url)
    _add_practices(drafts, practices, facts)
    if facts.github and include_github:
        github_items(drafts, facts.github)
    drafts = [d for d in drafts if d.chosen or d.replaced or d.title]
    reader = read_tree or (lambda rev: _git_tree(facts.root, rev))
    candidates = [_decision(d) for d in drafts]
    verified: set[str] = set()
    verifier = Verifier(reader, memo.tree_states if memo else None, verified if memo else None)
    kept = [d for d in candidates if verifier.holds(d)]
    merged = _merge_repeats(kept)
    mined = Mined(decisions=_link_supersedes(merged), candidates=len(candidates), rejected=len(candidates) - len(kept))
    if memo is not None:
        memo.used_trees.update(verified)
        if key is not None:
            memo.mined = StoredMining(key=key, mined=mined, trees=tuple(sorted(verified)))
    return mined


def mining_key(facts: RepoFacts, include_github: bool, timeline_key: str | None,
               practices: Sequence[tuple[Commit, str]]) -> str | None:
    """The digest of everything mining reads, when it can be told (None: mine again).

    A commit's record in the timeline and a commit's own content never change, so the timeline is the commits of its
    eventful steps in order (`timeline_key`: mining reads no other step) and the practices their commits' shas;
    GitHub's issues and PRs are digested whole (their serial form holds no set, so equal items digest alike in every
    process).

    Args:
        facts: Repository facts.
        include_github: Whether PRs and issues are mined.
        timeline_key: `AnalysisMemo.timeline_key`; None when there is no stored timeline.
        practices: The commits that adopt a practice (`_practices`).
    """
    if timeline_key is None:
        return None
    github = facts.github
    github_key: bytes | None = b""
    if include_github and github:  # what `github_items` reads (not when the snapshot was fetched)
        github_key = fact_digest((github.html_url, github.issues, github.pulls))
    if github_key is None:
        return None
    parts = [timeline_key, github_key.hex(), str(include_github), facts.web_url or "",
             *(f"{commit.sha} {practice}" for commit, practice in practices)]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def _practices(facts: RepoFacts, memo: AnalysisMemo | None) -> list[tuple[Commit, str]]:
    """The commits whose subject adopts a practice, oldest first, with it.

    A commit's verdict depends on its subject alone, so with a memo only the commits it has not seen are read.
    """
    found = []
    known = memo.practices if memo is not None else {}
    seen = memo.new_commits if memo is not None else None
    for commit in reversed(facts.commits):  # oldest first
        if seen is not None and commit.sha not in seen:
            practice = known.get(commit.sha, "")
        else:
            practice = commit_practice(commit.subject)
            if practice and memo is not None:
                memo.practices[commit.sha] = practice
        if practice:
            found.append((commit, practice))
    return found


def _add_practices(drafts: list[Draft], practices: Sequence[tuple[Commit, str]], facts: RepoFacts) -> None:
    """Add the practice commits to the drafts; a commit the timeline already holds is left out."""
    in_timeline = {e.ref for d in drafts for e in d.evidence if e.kind == "commit"}
    for commit, practice in practices:
        if commit.sha in in_timeline:
            continue  # the manifest diff already made this commit part of a decision
        item = Evidence(kind="commit", ref=commit.sha, date=commit.date[:10], title=commit.subject,
                        author=commit.author, url=f"{facts.web_url}/commit/{commit.sha}" if facts.web_url else "",
                        body=bounded(commit.body), files=commit.files[:MAX_FILES])
        add_commit_practice(drafts, item, practice)


def _git_tree(root: str, rev: str) -> dict[str, str]:
    return read_tree(Path(root), rev) if root else {}


def _decision(draft: Draft) -> Decision:
    subject = " ".join(sorted(draft.chosen or draft.replaced)) or draft.title
    evidence = tuple(sorted(draft.evidence, key=_chronological))
    decision = Decision(id=f"{_slug(f'{draft.category} {subject}')}-{draft.seed}", title=_title(draft),
                        category=draft.category, kind=draft.kind, chosen=tuple(draft.chosen),
                        replaced=tuple(draft.replaced), date=draft.first, last_date=draft.last,
                        status=_status(draft.evidence), decision_makers=_makers(draft.evidence), evidence=evidence,
                        details=tuple(sorted(draft.details.items())), history=(draft.first,))
    return replace(decision, minor=_is_minor(decision))


def _is_minor(decision: Decision) -> bool:
    """An adoption or a drop whose sources say nothing beyond the diff.

    Something is said when a pull request or issue is part of the record, or a commit's subject or message names
    one of the technologies it adopts or drops (`Replace python-jose with PyJWT: python-jose is unmaintained`).
    """
    if decision.kind not in ("adopt", "remove"):
        return False
    names = {n.lower() for n in (*decision.chosen, *decision.replaced)}
    for item in decision.evidence:
        if item.kind in ("pr", "issue"):
            return False
        if {t.name.lower() for t in technologies_named_in(f"{item.title}\n{item.body}")} & names:
            return False
    return True


def _merge_repeats(decisions: list[Decision]) -> list[Decision]:
    """The same decision made twice (same title) is one record holding both dates and all the evidence."""
    by_title: dict[str, Decision] = {}
    for decision in sorted(decisions, key=lambda d: (d.date, d.id)):
        key = decision.title.lower()
        first = by_title.get(key)
        if first is None:
            by_title[key] = decision
            continue
        evidence = tuple(sorted({(e.kind, e.ref): e for e in (*first.evidence, *decision.evidence)}.values(),
                                key=_chronological))
        by_title[key] = replace(first, evidence=evidence, last_date=max(first.last_date, decision.last_date),
                                history=tuple(sorted({*first.history, *decision.history})),
                                status=_status(evidence), decision_makers=_makers(evidence),
                                minor=first.minor and decision.minor)
    return sorted(by_title.values(), key=lambda d: (d.date, d.id))


def _link_supersedes(ordered: list[Decision]) -> tuple[Decision, ...]:
    """A later accepted record that drops what an earlier one chose supersedes it (minor rows take no part)."""
    superseded_by: dict[str, str] = {}
    supersedes: dict[str, list[str]] = {}
    for later_index, later in enumerate(ordered):
        if later.minor or later.category in ("practice", "other") or later.status != "accepted":
            continue
        for earlier in reversed(ordered[:later_index]):
            if earlier.category == later.category and set(later.replaced) & set(earlier.chosen) and \
                    earlier.id not in superseded_by:
                superseded_by[earlier.id] = later.id
                supersedes.setdefault(later.id, []).append(earlier.id)
    return tuple(replace(d, supersedes=tuple(supersedes.get(d.id, ())), superseded_by=superseded_by.get(d.id))
                 for d in ordered)


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
