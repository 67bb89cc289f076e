# Signals 2 and 3: commits, merged PRs and issues whose title carries a decision cue ("switch to", "migrate",
# "replace"...) and names a technology or practice, and PRs and issues labelled `decision`, `adr` or `architecture`.
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from autodevhub_docs.analysis.catalog import technologies_named_in
from autodevhub_docs.analysis.decisions.drafts import ATTACH_WINDOW_DAYS, MAX_FILES, Draft, bounded, days_between
from autodevhub_docs.analysis.decisions.vocabulary import (
    CATEGORIES,
    CUE,
    DECISION_LABELS,
    PRACTICES,
    REMOVING,
    base_category,
)
from autodevhub_docs.model import GitHubFacts
from autodevhub_docs.model.decisions import Evidence


def named_technologies(text: str) -> list[tuple[str, str]]:
    """(technology, role) pairs a sentence names, for the roles decision mining follows."""
    return [(t.name, t.role) for t in technologies_named_in(text) if t.role in CATEGORIES]


def _roles(text: str, techs: list[tuple[str, str]], verb: str) -> tuple[list[str], list[str]]:
    """Split the technologies a title names into (chosen, replaced) from its wording."""
    names = [t for t, _ in techs]
    lowered = text.lower()
    if REMOVING.match(verb):
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


def _find(drafts: Sequence[Draft], techs: Iterable[tuple[str, str]], when: str) -> Draft | None:
    best: tuple[int, Draft] | None = None
    wanted = set(techs)
    for draft in drafts:
        subjects = {(t, base_category(draft.category)) for t in [*draft.chosen, *draft.replaced]}
        if subjects & wanted:
            distance = min(days_between(e.date, when) for e in draft.evidence)
            if distance <= ATTACH_WINDOW_DAYS and (best is None or distance < best[0]):
                best = (distance, draft)
    return best[1] if best else None


def _linked(drafts: Sequence[Draft], merge_sha: str | None, closes: Iterable[int]) -> Draft | None:
    """The decision holding the commit a PR merged, or an issue it closed."""
    closed = {f"#{n}" for n in closes}
    if not merge_sha and not closed:
        return None  # a plain commit links to nothing: skip scanning every draft's evidence for each commit
    for draft in drafts:
        if any((e.kind == "commit" and merge_sha and e.ref == merge_sha) or (e.kind == "issue" and e.ref in closed)
               for e in draft.evidence):
            return draft
    return None


def cue_item(drafts: list[Draft], item: Evidence, labels: Iterable[str], *, merge_sha: str | None = None,
             closes: Iterable[int] = ()) -> None:
    """Add one PR or issue to the decision it belongs to, or found a decision when it is one on its own.

    Commits go through `commit_practice` instead: a commit the timeline did not see change anything supports no
    technology claim ("Removed flake8 exclusion"); only pull requests and issues, which discuss changes made
    elsewhere, join a decision by the names they use.
    """
    linked = _linked(drafts, merge_sha, closes)
    cue = CUE.search(item.title)
    labelled = bool({label.lower() for label in labels} & DECISION_LABELS)
    if linked or not (cue or labelled):
        if linked:
            linked.add(item)
        return
    techs = named_technologies(item.title)
    practice = next((p for p in PRACTICES if re.search(rf"\b{re.escape(p)}\b", item.title.lower())), None)
    found = _find(drafts, techs, item.date) if techs else None
    adopting = cue is not None and not REMOVING.match(cue.group("verb"))
    if found:
        found.add(item)
    elif labelled or (adopting and practice and not techs):
        # a title alone ("remove the redis warm-up") is too weak to found a decision: without a label it only
        # joins a decision the manifests already show; a practice needs an adopting verb
        _found_draft(drafts, item, cue, techs, practice)


def commit_practice(subject: str) -> str:
    """The practice a commit's subject adopts, or '' (what `cue_item` can make of a commit).

    A commit is never linked to a decision and joins none by the names it uses (only pull requests and issues do),
    so all its subject can do is found or join a practice's decision: an adopting cue, a practice, no technology.
    """
    cue = CUE.search(subject)
    if cue is None or REMOVING.match(cue.group("verb")):
        return ""
    lowered = subject.lower()
    practice = next((p for p in PRACTICES if re.search(rf"\b{re.escape(p)}\b", lowered)), None)
    return practice if practice is not None and not named_technologies(subject) else ""


def add_commit_practice(drafts: list[Draft], item: Evidence, practice: str) -> None:
    """Put a commit into the decision of the practice its subject adopts (see `commit_practice`), founding it."""
    key = f"practice:{practice}"
    same = next((d for d in drafts if d.key == key), None)
    if same:
        same.add(item)
        return
    draft = Draft(seed=_seed(item), category="practice", kind="practice", chosen=[], replaced=[], title=item.title,
                  key=key)
    draft.add(item)
    drafts.append(draft)


def _found_draft(drafts: list[Draft], item: Evidence, cue: re.Match[str] | None, techs: list[tuple[str, str]],
                 practice: str | None) -> None:
    if techs and cue:
        category = techs[0][1]
        chosen, replaced = _roles(item.title, [t for t in techs if t[1] == category], cue.group("verb"))
        kind = "replace" if chosen and replaced else ("adopt" if chosen else "remove")
        draft = Draft(seed=_seed(item), category=category, kind=kind, chosen=chosen, replaced=replaced)
    elif practice and cue:
        key = f"practice:{practice}"
        same = next((d for d in drafts if d.key == key), None)
        if same:
            same.add(item)
            return
        draft = Draft(seed=_seed(item), category="practice", kind="practice", chosen=[], replaced=[],
                       title=item.title, key=key)
    else:
        draft = Draft(seed=_seed(item), category="other", kind="labelled", chosen=[], replaced=[], title=item.title)
    draft.add(item)
    drafts.append(draft)


def _seed(item: Evidence) -> str:
    return item.ref[:7] if item.kind == "commit" else f"{item.kind}{item.ref.lstrip('#')}"


def github_items(drafts: list[Draft], github: GitHubFacts) -> None:
    """Run every issue and pull request through `cue_item`, oldest first."""
    base = github.html_url.rstrip("/")
    for issue in sorted(github.issues, key=lambda i: (i.created_at, i.number)):
        state = "open" if issue.state == "open" else (issue.state_reason or "completed")
        item = Evidence(kind="issue", ref=f"#{issue.number}", date=issue.created_at[:10], title=issue.title,
                        author=issue.author, url=issue.url or (f"{base}/issues/{issue.number}" if base else ""),
                        body=bounded(issue.body), state=state,
                        discussion=tuple(bounded(c)[:1000] for c in issue.comment_bodies[:5]))
        cue_item(drafts, item, issue.labels)
    for pr in sorted(github.pulls, key=lambda p: (p.merged_at or p.created_at, p.number)):
        state = "merged" if pr.merged_at else pr.state
        item = Evidence(kind="pr", ref=f"#{pr.number}", date=(pr.merged_at or pr.created_at)[:10], title=pr.title,
                        author=pr.author, url=pr.url or (f"{base}/pull/{pr.number}" if base else ""),
                        body=bounded(pr.body), state=state, files=pr.changed_files[:MAX_FILES])
        cue_item(drafts, item, pr.labels, merge_sha=pr.merge_sha if pr.merged_at else None, closes=pr.closes)


# ---- assembly -----------------------------------------------------------------------------------------------------
