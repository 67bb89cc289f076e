# The usage timeline as one small record per first-parent commit that changed followed files: what changed at that
# step alone (adoptions and drops, the roles' technologies before it, major versions, compose services, variables),
# worked out from the state before and after it. A record never changes once written, so the timeline can be
# stored and resumed from the texts after its last step: a build after one commit computes one record, not the
# whole history again. `manifest_signal` turns the records into drafts; it reads only the eventful ones, so only they
# are kept.
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.analysis.decisions.timeline import State, state_of_uses
from autodevhub_docs.analysis.decisions.usage import use_of
from autodevhub_docs.model import ManifestChange

Texts = dict[str, "str | None"]
"""The followed files' texts after a step, in the order they were first seen (the order `state_of` reads them)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class StepRecord:
    """What one first-parent commit changed in the usage timeline."""

    sha: str
    """The commit."""
    date: str
    """Its author date, YYYY-MM-DD."""
    author: str
    """Its author."""
    subject: str
    """Its subject (untrusted text)."""
    changes: int
    """How many followed files it changed."""
    describe: tuple[str, ...]
    """One line per changed file (`requirements.txt: removed requests; added httpx`)."""
    events: tuple[tuple[str, str, bool], ...] = ()
    """(scoped role, technology, adopted) for each technology adopted or dropped, before flaps are removed."""
    present: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """For each role with an event: the technologies it held before the step."""
    versions: tuple[tuple[str, str, str, str], ...] = ()
    """(technology, old major, new major, role) for each technology in use whose major version changed."""
    had_services: bool = False
    """Whether the project's own compose services existed before the step."""
    services_added: tuple[str, ...] = ()
    """Own compose services added by the step."""
    services: tuple[str, ...] = ()
    """Own compose services after the step."""
    services_removed: tuple[str, ...] = ()
    """Own compose services removed by the step."""
    env_removed: tuple[str, ...] = ()
    """Configuration variables the step removed."""
    env_added: tuple[str, ...] = ()
    """Configuration variables the step added."""

    @property
    def eventful(self) -> bool:
        """Whether mining reads anything of this step (`manifest_signal.record_drafts`).

        Most steps refresh a lockfile, bump a minor version or edit a comment: they adopt and drop nothing, move no
        major version, and leave the compose services and the variables as they were. Such a step gives no draft and
        joins none, and its services are the step before's, so no container is found gone there first: the drafts of
        the eventful steps alone are the drafts of them all.
        """
        return bool(self.events or self.versions or self.services_added or self.services_removed
                    or self.env_removed or self.env_added)


def _describe(group: Sequence[ManifestChange], before: Mapping[str, str | None]) -> tuple[str, ...]:
    lines = []
    for change in group:
        old = use_of(change.path, before.get(change.path))
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
    return tuple(lines)


def _events(before: State, after: State) -> list[tuple[str, str, bool]]:
    found: list[tuple[str, str, bool]] = []
    if before.techs == after.techs:  # most steps: nothing adopted, nothing dropped
        return found
    for role in sorted(set(before.techs) | set(after.techs)):
        old, new = before.techs.get(role, frozenset()), after.techs.get(role, frozenset())
        found += [(role, t, True) for t in sorted(new - old) if t not in before.implied]
        found += [(role, t, False) for t in sorted(old - new) if not after.uses(t)]
    return found


def _role_of(state: State, technology: str) -> str:
    return next((role for role in sorted(state.techs) if technology in state.techs[role]), "other")


def _record(group: Sequence[ManifestChange], before: State, after: State,
            texts_before: Mapping[str, str | None]) -> StepRecord:
    first = group[0]
    events = _events(before, after)
    roles = sorted({role for role, _, _ in events})
    versions = []
    for technology, new in sorted(after.versions.items()):
        old = before.versions.get(technology)
        if old is not None and old != new and before.uses(technology):
            versions.append((technology, old, new, _role_of(after, technology)))
    return StepRecord(
        sha=first.sha, date=first.date[:10], author=first.author, subject=first.subject, changes=len(group),
        describe=_describe(group, texts_before), events=tuple(events),
        present=tuple((role, tuple(sorted(before.techs.get(role, frozenset())))) for role in roles),
        versions=tuple(versions), had_services=bool(before.services),
        services_added=tuple(sorted(after.services - before.services)), services=tuple(sorted(after.services)),
        services_removed=tuple(sorted(before.services - after.services)),
        env_removed=tuple(sorted(before.env - after.env)), env_added=tuple(sorted(after.env - before.env)))


def step_records(changes: Sequence[ManifestChange], texts: Texts | None = None) -> tuple[list[StepRecord], Texts]:
    """The records of a stretch of history, and the texts after it (to resume from).

    Args:
        changes: Changes to followed files along the first-parent history, oldest first.
        texts: The followed files' texts before the first change (the texts a previous stretch ended with, or the
            tree the stretch starts from); none when the history starts here. A file not in them whose first change
            is not an addition is seeded from the change's `before` text (a history that starts mid-way).

    Returns:
        One record per commit, oldest first, and the texts after the last one.
    """
    texts = dict(texts or {})
    groups: list[list[ManifestChange]] = []
    for change in changes:
        if groups and groups[-1][0].sha == change.sha:
            groups[-1].append(change)
        else:
            groups.append([change])
    records = []
    # The followed files' uses, kept beside their texts and changed with them: a step reads only the files it
    # changed (`use_of` remembers the versions seen), not every followed file again.
    uses = {path: use_of(path, text) for path, text in texts.items()}
    state = state_of_uses(tuple(uses.values()))
    for group in groups:
        seeded = False
        for change in group:
            if change.path not in texts and change.status != "A":
                texts[change.path] = change.before
                uses[change.path] = use_of(change.path, change.before)
                seeded = True
        before_texts = {c.path: texts.get(c.path) for c in group}
        state_before = state_of_uses(tuple(uses.values())) if seeded else state
        for change in group:
            if change.status == "D":
                texts.pop(change.path, None)
                uses.pop(change.path, None)
            else:
                texts[change.path] = change.after
                uses[change.path] = use_of(change.path, change.after)
        state = state_of_uses(tuple(uses.values()))
        records.append(_record(group, state_before, state, before_texts))
    return records, texts


def record_json(record: StepRecord) -> dict[str, Any]:
    """A record as JSON data, for the store."""
    return {name: getattr(record, name) for name in StepRecord.__slots__}


def record_from_json(data: Mapping[str, Any]) -> StepRecord:
    """The record `record_json` wrote (JSON lists back to tuples)."""
    # A timeline holds tens of thousands of records, nearly all with no event: empty lists are not walked.
    events, present, versions = data["events"], data["present"], data["versions"]
    return StepRecord(
        sha=str(data["sha"]), date=str(data["date"]), author=str(data["author"]), subject=str(data["subject"]),
        changes=int(data["changes"]), describe=tuple(data["describe"]),
        events=tuple((str(role), str(tech), bool(adopted)) for role, tech, adopted in events) if events else (),
        present=tuple((str(role), tuple(names)) for role, names in present) if present else (),
        versions=tuple((str(t), str(old), str(new), str(role)) for t, old, new, role in versions) if versions else (),
        had_services=bool(data["had_services"]), services_added=tuple(data["services_added"]),
        services=tuple(data["services"]), services_removed=tuple(data["services_removed"]),
        env_removed=tuple(data["env_removed"]), env_added=tuple(data["env_added"]))
