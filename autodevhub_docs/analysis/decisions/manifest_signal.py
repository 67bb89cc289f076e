# Signal 1: the usage timeline. A catalogued technology is adopted, dropped or swapped in a role; a framework moves to
# a new major version when the commit says it migrates; a new service of the project's own gets its container;
# configuration variables are consolidated when the commit says so. Every change is attributed to the first-parent
# commit (or merge) that brought it to the default branch.
from __future__ import annotations

import re
from collections.abc import Sequence

from autodevhub_docs.analysis.decisions.drafts import MAX_FILES, Draft, bounded, days_between, join_names, place
from autodevhub_docs.analysis.decisions.timeline import Step, events, steps
from autodevhub_docs.analysis.decisions.usage import use_of
from autodevhub_docs.analysis.decisions.vocabulary import CONSOLIDATION_CUE, FLAP_DAYS, MIGRATION_CUE
from autodevhub_docs.model import Commit, ManifestChange
from autodevhub_docs.model.decisions import Evidence

_MERGE_SUBJECT = re.compile(r"^Merge (?:pull request|branch)\b", re.I)


def packages_in(path: str, text: str | None) -> frozenset[str]:
    """Names one version of a file lists: its dependencies (not `// indirect` ones), images, hooks or variables."""
    use = use_of(path, text)
    return use.names | use.env


def _describe(step: Step) -> list[str]:
    lines = []
    for change in step.changes:
        old = use_of(change.path, step.texts_before.get(change.path))
        new = use_of(change.path, change.after) if change.status != "D" else use_of(change.path, None)
        old_names = old.names | old.env or {t for _, t in old.techs}
        new_names = new.names | new.env or {t for _, t in new.techs}
        parts = []
        if change.status == "A":
            parts.append("added the file")
        elif change.status == "D":
            parts.append("deleted the file")
        if old_names - new_names:
            parts.append("removed " + ", ".join(sorted(old_names - new_names)[:8]))
        if new_names - old_names and change.status != "A":
            parts.append("added " + ", ".join(sorted(new_names - old_names)[:8]))
        lines.append(f"{change.path}: " + ("; ".join(parts) or "changed"))
    return lines


def _evidence(commit: Commit | None, step: Step, web_url: str | None) -> Evidence:
    first = step.changes[0]
    title = first.subject
    body = commit.body if commit else ""
    if _MERGE_SUBJECT.match(title) and body.strip():  # a merged PR: its title is the merge commit's first body line
        title, _, body = body.strip().partition("\n")
    return Evidence(kind="commit", ref=first.sha, date=step.date, title=title, author=first.author,
                    url=f"{web_url}/commit/{first.sha}" if web_url else "", body=bounded(body),
                    changes=tuple(_describe(step)), files=commit.files[:MAX_FILES] if commit else ())


def _text_of(evidence: Evidence) -> str:
    return f"{evidence.title}\n{evidence.body}"


def manifest_drafts(changes: Sequence[ManifestChange], commits: dict[str, Commit], web_url: str | None) -> list[Draft]:
    """Drafts from the usage timeline of the first-parent history.

    Args:
        changes: `ManifestChange`s along the first-parent history, oldest first.
        commits: Commits by sha (for bodies and changed files).
        web_url: The repository's web address, for evidence links.
    """
    history = steps(changes)
    evidence_of = {s.index: _evidence(commits.get(s.sha), s, web_url) for s in history}
    drafts: list[Draft] = []
    by_role: dict[str, list[Draft]] = {}
    grouped: dict[tuple[int, str], tuple[set[str], set[str]]] = {}
    for event in events(history):
        added, removed = grouped.setdefault((event.step, event.role), (set(), set()))
        (added if event.adopted else removed).add(event.technology)
    for (index, role), (added, removed) in sorted(grouped.items()):
        present = set(history[index].before.techs.get(role, frozenset()))
        place(drafts, by_role.setdefault(role, []), role, added=added, removed=removed, present=present,
              evidence=evidence_of[index])
    for step in history:
        drafts += _migrations(step, evidence_of[step.index])
        drafts += _containers(step, history, evidence_of[step.index])
        drafts += _configuration(step, evidence_of[step.index])
    return drafts


def _role_of(step: Step, technology: str) -> str:
    return next((role for role, names in step.after.techs.items() if technology in names), "other")


def _migrations(step: Step, evidence: Evidence) -> list[Draft]:
    """A major-version change of a technology, when the commit says it migrates or upgrades."""
    found: list[Draft] = []
    if not MIGRATION_CUE.search(_text_of(evidence)):
        return found
    for technology, new in sorted(step.after.versions.items()):
        old = step.before.versions.get(technology)
        if old is not None and old != new and step.before.uses(technology):
            draft = Draft(seed=evidence.ref[:7], category=_role_of(step, technology), kind="migrate",
                          chosen=[technology], replaced=[], title=f"Migrate {technology} from v{old} to v{new}",
                          details={"from_version": old, "to_version": new})
            draft.add(evidence)
            found.append(draft)
    return found


def _containers(step: Step, history: Sequence[Step], evidence: Evidence) -> list[Draft]:
    """A service of the project's own added to a compose setup that already existed, and kept."""
    if not step.before.services:
        return []  # the first compose file: its services are the setup, not a decision each
    found = []
    for service in sorted(step.after.services - step.before.services):
        gone = next((later for later in history[step.index + 1:] if service not in later.after.services), None)
        if gone is not None and days_between(step.date, gone.date) <= FLAP_DAYS:
            continue
        draft = Draft(seed=evidence.ref[:7], category="container", kind="container", chosen=[], replaced=[],
                      title=f"Run {service} in its own container", details={"service": service})
        draft.add(evidence)
        found.append(draft)
    return found


def _configuration(step: Step, evidence: Evidence) -> list[Draft]:
    """Several configuration variables replaced by fewer, when the commit says it consolidates them."""
    removed, added = step.before.env - step.after.env, step.after.env - step.before.env
    if len(removed) < 2 or not added or len(added) >= len(removed) or not CONSOLIDATION_CUE.search(
            _text_of(evidence)):
        return []
    names = sorted(removed)
    shown = join_names(names) if len(names) <= 3 else f"{', '.join(names[:2])} and {len(names) - 2} more"
    draft = Draft(seed=evidence.ref[:7], category="configuration", kind="configure", chosen=[], replaced=[],
                  title=f"Use {join_names(sorted(added))} instead of {shown}",
                  details={"removed_env": ",".join(names), "added_env": ",".join(sorted(added))})
    draft.add(evidence)
    return [draft]
