# Signal 1: the usage timeline. A catalogued technology is adopted, dropped or swapped in a role; a framework moves to
# a new major version when the commit says it migrates; a new service of the project's own gets its container;
# configuration variables are consolidated when the commit says so. Every change is attributed to the first-parent
# commit (or merge) that brought it to the default branch.
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from autodevhub_docs.analysis.decisions.drafts import MAX_FILES, Draft, bounded, days_between, join_names, place
from autodevhub_docs.analysis.decisions.records import StepRecord, step_records
from autodevhub_docs.analysis.decisions.usage import use_of
from autodevhub_docs.analysis.decisions.vocabulary import CONSOLIDATION_CUE, FLAP_DAYS, MIGRATION_CUE
from autodevhub_docs.model import Commit, ManifestChange
from autodevhub_docs.model.decisions import Evidence

_MERGE_SUBJECT = re.compile(r"^Merge (?:pull request|branch)\b", re.I)


def packages_in(path: str, text: str | None) -> frozenset[str]:
    """Names one version of a file lists: its dependencies (not `// indirect` ones), images, hooks or variables."""
    use = use_of(path, text)
    return use.names | use.env


def _evidence(commit: Commit | None, record: StepRecord, web_url: str | None) -> Evidence:
    title = record.subject
    body = commit.body if commit else ""
    if _MERGE_SUBJECT.match(title) and body.strip():  # a merged PR: its title is the merge commit's first body line
        title, _, body = body.strip().partition("\n")
    return Evidence(kind="commit", ref=record.sha, date=record.date, title=title, author=record.author,
                    url=f"{web_url}/commit/{record.sha}" if web_url else "", body=bounded(body),
                    changes=record.describe, files=commit.files[:MAX_FILES] if commit else ())


def _text_of(evidence: Evidence) -> str:
    return f"{evidence.title}\n{evidence.body}"


def manifest_drafts(changes: Sequence[ManifestChange], commits: dict[str, Commit], web_url: str | None) -> list[Draft]:
    """Drafts from the usage timeline of the first-parent history.

    Args:
        changes: `ManifestChange`s along the first-parent history, oldest first.
        commits: Commits by sha (for bodies and changed files).
        web_url: The repository's web address, for evidence links.
    """
    return record_drafts([r for r in step_records(changes)[0] if r.eventful], commits, web_url)


def record_drafts(records: Sequence[StepRecord], commits: Mapping[str, Commit], web_url: str | None) -> list[Draft]:
    """Drafts from the usage timeline's records (see `records.step_records`).

    Args:
        records: One record per first-parent commit that changed followed files, oldest first; or only the
            eventful ones (`StepRecord.eventful`), which give the same drafts.
        commits: Commits by sha (for bodies and changed files).
        web_url: The repository's web address, for evidence links.
    """
    evidence: dict[int, Evidence] = {}

    def evidence_of(index: int) -> Evidence:
        if index not in evidence:
            evidence[index] = _evidence(commits.get(records[index].sha), records[index], web_url)
        return evidence[index]

    drafts: list[Draft] = []
    by_role: dict[str, list[Draft]] = {}
    grouped: dict[tuple[int, str], tuple[set[str], set[str]]] = {}
    for index, role, technology, adopted in _without_flaps(records):
        added, removed = grouped.setdefault((index, role), (set(), set()))
        (added if adopted else removed).add(technology)
    for (index, role), (added, removed) in sorted(grouped.items()):
        present = set(dict(records[index].present).get(role, ()))
        place(drafts, by_role.setdefault(role, []), role, added=added, removed=removed, present=present,
              evidence=evidence_of(index))
    for index, record in enumerate(records):
        if record.versions:
            drafts += _migrations(record, evidence_of(index))
        if record.had_services and record.services_added:
            drafts += _containers(index, records, evidence_of(index))
        if len(record.env_removed) >= 2 and record.env_added and len(record.env_added) < len(record.env_removed):
            drafts += _configuration(record, evidence_of(index))
    return drafts


def _without_flaps(records: Sequence[StepRecord]) -> list[tuple[int, str, str, bool]]:
    """Every (step, role, technology, adopted) event, less each drop and adoption again within FLAP_DAYS.

    A technology dropped and adopted again that soon (a manifest or lockfile that moved, a file deleted and restored)
    was never dropped.
    """
    found = [(index, role, technology, adopted) for index, record in enumerate(records)
             for role, technology, adopted in record.events]
    by_technology: dict[str, list[int]] = {}
    for i, event in enumerate(found):
        by_technology.setdefault(event[2], []).append(i)
    dropped: set[int] = set()
    for indices in by_technology.values():
        for position, i in enumerate(indices[:-1]):
            j = indices[position + 1]
            if i in dropped or found[i][3] or not found[j][3]:
                continue
            if days_between(records[found[i][0]].date, records[found[j][0]].date) <= FLAP_DAYS:
                dropped.update((i, j))
    return [e for i, e in enumerate(found) if i not in dropped]


def _migrations(record: StepRecord, evidence: Evidence) -> list[Draft]:
    """A major-version change of a technology, when the commit says it migrates or upgrades."""
    found: list[Draft] = []
    if not MIGRATION_CUE.search(_text_of(evidence)):
        return found
    for technology, old, new, role in record.versions:
        draft = Draft(seed=evidence.ref[:7], category=role, kind="migrate", chosen=[technology], replaced=[],
                      title=f"Migrate {technology} from v{old} to v{new}",
                      details={"from_version": old, "to_version": new})
        draft.add(evidence)
        found.append(draft)
    return found


def _containers(index: int, records: Sequence[StepRecord], evidence: Evidence) -> list[Draft]:
    """A service of the project's own added to a compose setup that already existed, and kept.

    The first compose file's services are the setup, not a decision each (`had_services` is false there).
    """
    record = records[index]
    found = []
    for service in record.services_added:
        gone = next((later for later in records[index + 1:] if service not in later.services), None)
        if gone is not None and days_between(record.date, gone.date) <= FLAP_DAYS:
            continue
        draft = Draft(seed=evidence.ref[:7], category="container", kind="container", chosen=[], replaced=[],
                      title=f"Run {service} in its own container", details={"service": service})
        draft.add(evidence)
        found.append(draft)
    return found


def _configuration(record: StepRecord, evidence: Evidence) -> list[Draft]:
    """Several configuration variables replaced by fewer, when the commit says it consolidates them."""
    if not CONSOLIDATION_CUE.search(_text_of(evidence)):
        return []
    names = list(record.env_removed)
    added = list(record.env_added)
    shown = join_names(names) if len(names) <= 3 else f"{', '.join(names[:2])} and {len(names) - 2} more"
    draft = Draft(seed=evidence.ref[:7], category="configuration", kind="configure", chosen=[], replaced=[],
                  title=f"Use {join_names(added)} instead of {shown}",
                  details={"removed_env": ",".join(names), "added_env": ",".join(added)})
    draft.add(evidence)
    return [draft]
