# Architecture decisions mined from history. Three signals, strongest first:
#   1. manifest diffs: a catalogued technology appears in, disappears from, or is swapped in a manifest,
#      lockfile, compose file or CI configuration (read at every version by `sources/manifest_history.py`);
#   2. commits, merged PRs and issues whose title carries a decision cue ("switch to", "migrate", "replace"...)
#      and names a technology or practice;
#   3. PRs and issues labelled `decision`, `adr` or `architecture`.
# Evidence for the same decision (several commits, the PR that merged them, the issue it closed) is grouped
# into one record; a later record that drops what an earlier one chose supersedes it.
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date as Date
from functools import lru_cache

from autodevhub_docs.analysis.manifest_deps import packages_in
from autodevhub_docs.analysis.tech_catalog import (
    CATEGORIES,
    PRACTICES,
    base_category,
    scoped,
    technologies_named_in,
    technology_of_file,
    technology_of_package,
)
from autodevhub_docs.model import Commit, GitHubFacts, ManifestChange, RepoFacts

DECISION_LABELS = frozenset({"decision", "adr", "architecture", "architecture-decision", "architectural-decision"})
"""Labels that make a PR or issue a decision on their own."""
MERGE_WINDOW_DAYS = 180
"""Steps of one migration (add the new library, later drop the old one) merge when this close in time."""
ATTACH_WINDOW_DAYS = 120
"""A PR, commit or issue that names a decision's technology joins it when this close in time."""
MAX_BODY = 2000
"""Longest PR/commit/issue text kept per piece of evidence (it is untrusted and goes into prompts)."""
MAX_FILES = 40
"""Most changed paths kept per piece of evidence."""

_CUE = re.compile(
    r"\b(?P<verb>switch(?:ed|es|ing)?\s+(?:to|from)|migrat(?:e|ed|es|ing|ion)|replac(?:e|ed|es|ing)|"
    r"adopt(?:s|ed|ing)?|introduc(?:e|ed|es|ing)|mov(?:e|ed|es|ing)\s+(?:to|from)|drop(?:s|ped|ping)?|"
    r"remov(?:e|ed|es|ing)|deprecat(?:e|ed|es|ing)|port(?:ed|ing)?\s+to|rewr(?:ite|ote|itten)\s+in|"
    r"instead\s+of|in\s+favou?r\s+of)\b", re.I)
_REMOVING = re.compile(r"^(drop|remov|deprecat)", re.I)


@dataclass(frozen=True, kw_only=True)
class Evidence:
    """One commit, pull request or issue that took part in a decision."""

    kind: str
    """`commit`, `pr` or `issue`."""
    ref: str
    """Full sha for a commit, `#N` for a PR or issue."""
    date: str
    """YYYY-MM-DD: commit date, PR merge (else creation) date, issue creation date."""
    title: str
    """Subject or title (untrusted text)."""
    author: str | None = None
    """Author name or login."""
    url: str = ""
    """Web URL, when known."""
    body: str = ""
    """Commit body, PR description or issue body, bounded (untrusted text)."""
    changes: tuple[str, ...] = ()
    """What this evidence changed in manifests, e.g. `requirements.txt: removed requests; added httpx`."""
    state: str = ""
    """For PRs: merged, open or closed; for issues: open, completed or not_planned; for commits ''."""
    files: tuple[str, ...] = ()
    """Paths the commit or PR changed (bounded), for the diff summary."""
    discussion: tuple[str, ...] = ()
    """First comments of an issue (untrusted text, bounded)."""


@dataclass(frozen=True, kw_only=True)
class Decision:
    """One architecture decision, with everything that shows it."""

    id: str
    """Stable identifier (slug of the subject plus the evidence that first showed it)."""
    title: str
    """Title (built by us from catalogued names, or an untrusted PR/issue title for labelled decisions)."""
    category: str
    """Catalogue category (`HTTP client`, `CI`...), `practice`, or `other`."""
    kind: str
    """`adopt`, `replace`, `remove`, `practice` or `labelled`."""
    chosen: tuple[str, ...]
    """Technologies adopted."""
    replaced: tuple[str, ...]
    """Technologies dropped."""
    date: str
    """First seen, YYYY-MM-DD."""
    last_date: str
    """Latest evidence, YYYY-MM-DD."""
    status: str
    """`accepted`, `proposed` or `rejected` (superseding is expressed by `superseded_by`)."""
    decision_makers: tuple[str, ...]
    """Authors of the evidence (names or logins), most involved first."""
    evidence: tuple[Evidence, ...]
    """Evidence, oldest first."""
    supersedes: tuple[str, ...] = ()
    """Ids of the decisions this one supersedes."""
    superseded_by: str | None = None
    """Id of the decision that supersedes this one."""

    def refs(self) -> frozenset[str]:
        """References this record may cite: `#N` for PRs/issues, full and short shas for commits."""
        refs = set()
        for item in self.evidence:
            refs.add(item.ref)
            if item.kind == "commit":
                refs.update((item.ref[:7], item.ref[:12]))
        return frozenset(refs)


@dataclass
class _Draft:
    seed: str
    category: str
    kind: str
    chosen: list[str]
    replaced: list[str]
    pending: set[str] = field(default_factory=set)
    evidence: list[Evidence] = field(default_factory=list)
    title: str = ""
    key: str = ""

    @property
    def first(self) -> str:
        return min(e.date for e in self.evidence)

    @property
    def last(self) -> str:
        return max(e.date for e in self.evidence)

    def add(self, item: Evidence) -> None:
        for i, known in enumerate(self.evidence):
            if known.kind == item.kind and known.ref == item.ref:
                if item.changes and not known.changes:
                    self.evidence[i] = replace(known, changes=item.changes)
                return
        self.evidence.append(item)


def _days(a: str, b: str) -> int:
    try:
        return abs((Date.fromisoformat(a[:10]) - Date.fromisoformat(b[:10])).days)
    except ValueError:
        return 10**6


def _bounded(text: str | None) -> str:
    text = (text or "").strip()
    return text if len(text) <= MAX_BODY else text[: MAX_BODY - 1] + "…"


def _join(names: Iterable[str]) -> str:
    items = list(names)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# ---- signal 1: manifest diffs -------------------------------------------------------------------------------


def _ecosystem(path: str) -> str | None:
    name = path.rsplit("/", 1)[-1]
    if name == "package.json":
        return "JavaScript"
    if name.startswith("requirements") or name in ("pyproject.toml", "Pipfile", "setup.cfg") or \
            "/requirements/" in f"/{path}":
        return "Python"
    return None


@lru_cache(maxsize=8192)
def _techs_of(path: str, text: str | None) -> frozenset[tuple[str, str]]:
    """(category, technology) pairs one version of one file shows; cached, as most versions repeat."""
    found: set[tuple[str, str]] = set()
    file_tech = technology_of_file(path)
    if file_tech:
        found.add((file_tech[1], file_tech[0]))
    ecosystem = _ecosystem(path)
    for package in packages_in(path, text):
        tech = technology_of_package(package)
        if tech:
            found.add((scoped(tech[1], ecosystem), tech[0]))
    if path.endswith("pyproject.toml") and text and re.search(r"^\[tool\.poetry", text, re.M):
        found.add(("Python package manager", "Poetry"))
    return frozenset(found)


def _state(texts: dict[str, str | None]) -> dict[str, set[str]]:
    state: dict[str, set[str]] = {}
    for path, text in texts.items():
        for category, technology in _techs_of(path, text):
            state.setdefault(category, set()).add(technology)
    return state


def _describe(change: ManifestChange, before: str | None) -> str:
    if before is None and change.after is None:
        return f"{change.path}: " + {"A": "added", "D": "deleted"}.get(change.status, "changed")
    old, new = packages_in(change.path, before), packages_in(change.path, change.after)
    parts = []
    if change.status == "A":
        parts.append("added the file")
    elif change.status == "D":
        parts.append("deleted the file")
    if old - new:
        parts.append("removed " + ", ".join(sorted(old - new)[:8]))
    if new - old and change.status != "A":
        parts.append("added " + ", ".join(sorted(new - old)[:8]))
    return f"{change.path}: " + ("; ".join(parts) or "changed")


def _commit_evidence(commit: Commit | None, change: ManifestChange, lines: Sequence[str], web_url: str | None
                     ) -> Evidence:
    return Evidence(kind="commit", ref=change.sha, date=change.date[:10], title=change.subject,
                    author=change.author, url=f"{web_url}/commit/{change.sha}" if web_url else "",
                    body=_bounded(commit.body if commit else ""), changes=tuple(lines),
                    files=commit.files[:MAX_FILES] if commit else ())


def _manifest_drafts(changes: Sequence[ManifestChange], commits: dict[str, Commit], web_url: str | None
                     ) -> list[_Draft]:
    drafts: list[_Draft] = []
    by_category: dict[str, list[_Draft]] = {}
    texts: dict[str, str | None] = {}
    groups: list[list[ManifestChange]] = []
    for change in changes:
        if groups and groups[-1][0].sha == change.sha:
            groups[-1].append(change)
        else:
            groups.append([change])
    for group in groups:
        for change in group:  # history may start mid-way (capped): seed unknown files from their old version
            if change.path not in texts and change.status != "A":
                texts[change.path] = change.before
        before = _state(texts)
        lines = [_describe(c, texts.get(c.path)) for c in group]
        for change in group:
            if change.status == "D":
                texts.pop(change.path, None)
            else:
                texts[change.path] = change.after
        after = _state(texts)
        evidence = _commit_evidence(commits.get(group[0].sha), group[0], lines, web_url)
        for category in sorted(set(before) | set(after)):
            added = after.get(category, set()) - before.get(category, set())
            removed = before.get(category, set()) - after.get(category, set())
            if added or removed:
                _place(drafts, by_category.setdefault(category, []), category, added=added, removed=removed,
                       present=before.get(category, set()), evidence=evidence)
    return drafts


def _place(drafts: list[_Draft], same: list[_Draft], category: str, *, added: set[str], removed: set[str],
           present: set[str], evidence: Evidence) -> None:
    last = same[-1] if same else None
    near = last is not None and _days(last.last, evidence.date) <= MERGE_WINDOW_DAYS
    if last and near and added and added <= set(last.chosen) and not removed:
        last.add(evidence)  # the same library added again (e.g. to a second manifest)
        return
    if last and near and removed and not added and (removed & last.pending or removed <= set(last.replaced)):
        last.kind = "replace"  # second step of a migration: the old library goes after the new one came
        last.replaced = sorted(set(last.replaced) | removed)
        last.pending -= removed
        last.add(evidence)
        return
    if last and near and added and removed and set(last.chosen) == added:
        last.replaced = sorted(set(last.replaced) | removed)
        last.add(evidence)
        return
    kind = "replace" if added and removed else ("adopt" if added else "remove")
    draft = _Draft(seed=evidence.ref[:7], category=category, kind=kind, chosen=sorted(added),
                   replaced=sorted(removed), pending=(present - removed) if added and not removed else set())
    draft.add(evidence)
    drafts.append(draft)
    same.append(draft)


# ---- signals 2 and 3: cues and labels --------------------------------------------------------------------------


def _roles(text: str, techs: list[tuple[str, str]], verb: str) -> tuple[list[str], list[str]]:
    """Split the technologies a title names into (chosen, replaced) from its wording."""
    names = [t for t, _ in techs]
    lowered = text.lower()
    if _REMOVING.match(verb):
        return [], names
    if len(names) < 2:
        return names, []
    positions = sorted(names, key=lambda n: lowered.find(n.lower()))
    if verb.lower().startswith("replac"):
        return positions[1:], positions[:1]
    if re.search(r"instead of|in favou?r of", lowered):
        marker = re.search(r"instead of|in favou?r of", lowered)
        assert marker is not None  # noqa: S101 - checked by the condition above
        after = [n for n in names if lowered.find(n.lower()) > marker.start()]
        chosen = [n for n in names if n not in after]
        return (chosen, after) if "instead" in marker.group(0) else (after, chosen)
    match = re.search(r"\bfrom\s+(\S+)", lowered)
    if match:
        replaced = [n for n in names if match.group(1).startswith(n.lower())]
        return [n for n in names if n not in replaced], replaced
    return names, []


def _find(drafts: Sequence[_Draft], techs: Iterable[tuple[str, str]], when: str) -> _Draft | None:
    best: tuple[int, _Draft] | None = None
    wanted = set(techs)
    for draft in drafts:
        subjects = {(t, base_category(draft.category)) for t in [*draft.chosen, *draft.replaced]}
        if subjects & wanted:
            distance = min(_days(e.date, when) for e in draft.evidence)
            if distance <= ATTACH_WINDOW_DAYS and (best is None or distance < best[0]):
                best = (distance, draft)
    return best[1] if best else None


def _linked(drafts: Sequence[_Draft], merge_sha: str | None, closes: Iterable[int]) -> _Draft | None:
    """The decision holding the commit a PR merged, or an issue it closed."""
    closed = {f"#{n}" for n in closes}
    for draft in drafts:
        if any((e.kind == "commit" and merge_sha and e.ref == merge_sha) or (e.kind == "issue" and e.ref in closed)
               for e in draft.evidence):
            return draft
    return None


def _cue_item(drafts: list[_Draft], item: Evidence, labels: Iterable[str], *, merge_sha: str | None = None,
              closes: Iterable[int] = ()) -> None:
    linked = _linked(drafts, merge_sha, closes)
    cue = _CUE.search(item.title)
    labelled = bool({label.lower() for label in labels} & DECISION_LABELS)
    if linked or not (cue or labelled):
        if linked:
            linked.add(item)
        return
    techs = technologies_named_in(item.title)
    practice = next((p for p in PRACTICES if re.search(rf"\b{re.escape(p)}\b", item.title.lower())), None)
    if item.kind == "commit" and any(e.kind == "commit" and e.ref == item.ref for d in drafts for e in d.evidence):
        return  # the manifest diff already made this commit part of a decision
    found = _find(drafts, techs, item.date) if techs else None
    adopting = cue is not None and not _REMOVING.match(cue.group("verb"))
    if found:
        found.add(item)
    elif labelled or (adopting and practice and not techs):
        # a title alone ("remove the redis warm-up") is too weak to found a decision: without a label it only
        # joins a decision the manifests already show; a practice needs an adopting verb
        _found_draft(drafts, item, cue, techs, practice)


def _found_draft(drafts: list[_Draft], item: Evidence, cue: re.Match[str] | None, techs: list[tuple[str, str]],
                 practice: str | None) -> None:
    if techs and cue:
        category = techs[0][1]
        chosen, replaced = _roles(item.title, [t for t in techs if t[1] == category], cue.group("verb"))
        kind = "replace" if chosen and replaced else ("adopt" if chosen else "remove")
        draft = _Draft(seed=_seed(item), category=category, kind=kind, chosen=chosen, replaced=replaced)
    elif practice and cue:
        key = f"practice:{practice}"
        same = next((d for d in drafts if d.key == key), None)
        if same:
            same.add(item)
            return
        draft = _Draft(seed=_seed(item), category="practice", kind="practice", chosen=[], replaced=[],
                       title=item.title, key=key)
    else:
        draft = _Draft(seed=_seed(item), category="other", kind="labelled", chosen=[], replaced=[], title=item.title)
    draft.add(item)
    drafts.append(draft)


def _seed(item: Evidence) -> str:
    return item.ref[:7] if item.kind == "commit" else f"{item.kind}{item.ref.lstrip('#')}"


def _github_items(drafts: list[_Draft], github: GitHubFacts) -> None:
    base = github.html_url.rstrip("/")
    for issue in sorted(github.issues, key=lambda i: (i.created_at, i.number)):
        state = "open" if issue.state == "open" else (issue.state_reason or "completed")
        item = Evidence(kind="issue", ref=f"#{issue.number}", date=issue.created_at[:10], title=issue.title,
                        author=issue.author, url=issue.url or (f"{base}/issues/{issue.number}" if base else ""),
                        body=_bounded(issue.body), state=state,
                        discussion=tuple(_bounded(c)[:1000] for c in issue.comment_bodies[:5]))
        _cue_item(drafts, item, issue.labels)
    for pr in sorted(github.pulls, key=lambda p: (p.merged_at or p.created_at, p.number)):
        state = "merged" if pr.merged_at else pr.state
        item = Evidence(kind="pr", ref=f"#{pr.number}", date=(pr.merged_at or pr.created_at)[:10], title=pr.title,
                        author=pr.author, url=pr.url or (f"{base}/pull/{pr.number}" if base else ""),
                        body=_bounded(pr.body), state=state, files=pr.changed_files[:MAX_FILES])
        _cue_item(drafts, item, pr.labels, merge_sha=pr.merge_sha if pr.merged_at else None, closes=pr.closes)


# ---- assembly -----------------------------------------------------------------------------------------------------


def _title(draft: _Draft) -> str:
    if draft.kind in ("practice", "labelled"):
        return draft.title
    category = base_category(draft.category)
    role = CATEGORIES[category].role if category in CATEGORIES else ""
    if draft.kind == "replace":
        return f"Replace {_join(draft.replaced)} with {_join(draft.chosen)}"
    if draft.kind == "remove":
        return f"Stop using {_join(draft.replaced)}"
    return f"Use {_join(draft.chosen)} {role}".strip()


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
    drafts = _manifest_drafts(facts.manifest_changes, commits, facts.web_url)
    for commit in reversed(facts.commits):  # oldest first
        item = Evidence(kind="commit", ref=commit.sha, date=commit.date[:10], title=commit.subject,
                        author=commit.author, url=f"{facts.web_url}/commit/{commit.sha}" if facts.web_url else "",
                        body=_bounded(commit.body), files=commit.files[:MAX_FILES])
        _cue_item(drafts, item, ())
    if facts.github and include_github:
        _github_items(drafts, facts.github)
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
