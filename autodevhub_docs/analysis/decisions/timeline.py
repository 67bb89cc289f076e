# The usage timeline along the default branch: the state after every first-parent change (which technologies are
# declared or run, their major versions, the project's own compose services, the configuration variables), and the
# events between states. Flapping is removed here: a technology dropped and adopted again within `FLAP_DAYS`
# (a manifest or lockfile that moved, a file deleted and restored) was never dropped.
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from autodevhub_docs.analysis import catalog
from autodevhub_docs.analysis.decisions.drafts import days_between
from autodevhub_docs.analysis.decisions.usage import FileUse, use_of
from autodevhub_docs.analysis.decisions.vocabulary import FLAP_DAYS
from autodevhub_docs.model import ManifestChange


@dataclass(frozen=True)
class State:
    """What the repository uses at one point of its history."""

    techs: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Scoped role -> technologies declared or run."""
    implied: frozenset[str] = frozenset()
    """Technologies something in use is built on (SQLModel -> SQLAlchemy): still in use, though not declared."""
    versions: Mapping[str, str] = field(default_factory=dict)
    """Technology -> highest major version pinned."""
    services: frozenset[str] = frozenset()
    """The project's own compose services."""
    env: frozenset[str] = frozenset()
    """Configuration variable names."""

    def uses(self, technology: str) -> bool:
        """Whether a technology is declared, run, or implied by something that is."""
        return technology in self.implied or any(technology in names for names in self.techs.values())


def state_of(texts: Mapping[str, str | None]) -> State:
    """The state the followed files show (path -> text at one version)."""
    uses: list[FileUse] = [use_of(path, text) for path, text in texts.items()]
    techs: dict[str, set[str]] = {}
    versions: dict[str, str] = {}
    for use in uses:
        for role, name in use.techs:
            techs.setdefault(role, set()).add(name)
        for name, major in use.versions:
            if name not in versions or int(major) > int(versions[name]):
                versions[name] = major
    declared = {n for names in techs.values() for n in names}
    implied: set[str] = set()
    frontier = list(declared)
    while frontier:
        tech = catalog.technology(frontier.pop())
        for base in tech.implies if tech else ():
            if base not in implied:
                implied.add(base)
                frontier.append(base)
    return State(techs={r: frozenset(n) for r, n in techs.items()}, implied=frozenset(implied - declared),
                 versions=versions, services=frozenset(s for u in uses for s in u.services),
                 env=frozenset(e for u in uses for e in u.env))


@dataclass(frozen=True)
class Step:
    """One first-parent commit that changed followed files."""

    index: int
    """Position along the history."""
    changes: tuple[ManifestChange, ...]
    """Its changes to followed files."""
    before: State
    """The state before it."""
    after: State
    """The state after it."""
    texts_before: Mapping[str, str | None]
    """The followed files it changed, as they were before it (for describing the change)."""

    @property
    def sha(self) -> str:
        """The commit."""
        return self.changes[0].sha

    @property
    def date(self) -> str:
        """Its author date, YYYY-MM-DD."""
        return self.changes[0].date[:10]


@dataclass(frozen=True)
class Event:
    """A technology adopted or dropped in one role at one step."""

    step: int
    """Index of the step."""
    role: str
    """Scoped role."""
    technology: str
    """Technology name."""
    adopted: bool
    """True for an adoption, False for a drop."""


def steps(changes: Sequence[ManifestChange]) -> list[Step]:
    """The history as steps, each with the state before and after it.

    Args:
        changes: Changes to followed files along the first-parent history, oldest first.
    """
    groups: list[list[ManifestChange]] = []
    for change in changes:
        if groups and groups[-1][0].sha == change.sha:
            groups[-1].append(change)
        else:
            groups.append([change])
    texts: dict[str, str | None] = {}
    found = []
    state = State()
    for index, group in enumerate(groups):
        seeded = False
        for change in group:  # history may start mid-way (capped): seed unknown files from their old version
            if change.path not in texts and change.status != "A":
                texts[change.path] = change.before
                seeded = True
        before_texts = {c.path: texts.get(c.path) for c in group}
        state_before = state_of(texts) if seeded else state
        for change in group:
            if change.status == "D":
                texts.pop(change.path, None)
            else:
                texts[change.path] = change.after
        state = state_of(texts)
        found.append(Step(index=index, changes=tuple(group), before=state_before, after=state,
                          texts_before=before_texts))
    return found


def events(history: Sequence[Step]) -> list[Event]:
    """Adoptions and drops along the history, with flapping removed."""
    found: list[Event] = []
    for step in history:
        for role in sorted(set(step.before.techs) | set(step.after.techs)):
            old, new = step.before.techs.get(role, frozenset()), step.after.techs.get(role, frozenset())
            found += [Event(step.index, role, t, True) for t in sorted(new - old) if t not in step.before.implied]
            found += [Event(step.index, role, t, False) for t in sorted(old - new) if not step.after.uses(t)]
    return _without_flaps(found, history)


def _without_flaps(found: Sequence[Event], history: Sequence[Step]) -> list[Event]:
    """Drop every (drop, adoption again within FLAP_DAYS) pair of the same technology."""
    by_technology: dict[str, list[int]] = {}
    for i, event in enumerate(found):
        by_technology.setdefault(event.technology, []).append(i)
    dropped: set[int] = set()
    for indices in by_technology.values():
        for position, i in enumerate(indices[:-1]):
            j = indices[position + 1]
            if i in dropped or found[i].adopted or not found[j].adopted:
                continue
            if days_between(history[found[i].step].date, history[found[j].step].date) <= FLAP_DAYS:
                dropped.update((i, j))
    return [e for i, e in enumerate(found) if i not in dropped]
