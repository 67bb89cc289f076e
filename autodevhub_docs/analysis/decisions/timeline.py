# The usage timeline's states: what the repository uses at one point of the default branch's first-parent history
# (which technologies are declared or run, their major versions, the project's own compose services, the
# configuration variables), read from the followed files' texts. `records` keeps what changed between states.
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from autodevhub_docs.analysis import catalog
from autodevhub_docs.analysis.decisions.usage import FileUse, use_of


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
    return state_of_uses(tuple(use_of(path, text) for path, text in texts.items()))


@lru_cache(maxsize=64)
def state_of_uses(uses: tuple[FileUse, ...]) -> State:
    """The state a set of files' uses show.

    Cached, the last few: a commit that changes a line no use depends on (a minor version, a comment) leaves the
    files' uses, and so the state, as the step before left them; it then looks the state up instead of merging every
    file's use again. Older states hardly come back (4,096 kept held 20 MB more at peak for no more hits).

    Args:
        uses: What each followed file shows, one per file (the order does not change the state).
    """
    techs: dict[str, set[str]] = {}
    versions: dict[str, str] = {}
    for use in uses:
        for role, name in use.techs:
            techs.setdefault(role, set()).add(name)
        for name, major in use.versions:
            if name not in versions or int(major) > int(versions[name]):
                versions[name] = major
    declared = frozenset(n for names in techs.values() for n in names)
    return State(techs={r: frozenset(n) for r, n in techs.items()}, implied=_implied(declared) - declared,
                 versions=versions, services=frozenset(s for u in uses for s in u.services),
                 env=frozenset(e for u in uses for e in u.env))


@lru_cache(maxsize=1024)
def _implied(declared: frozenset[str]) -> frozenset[str]:
    """Every technology the declared ones are built on, transitively (SQLModel -> SQLAlchemy)."""
    implied: set[str] = set()
    frontier = list(declared)
    while frontier:
        tech = catalog.technology(frontier.pop())
        for base in tech.implies if tech else ():
            if base not in implied:
                implied.add(base)
                frontier.append(base)
    return frozenset(implied)


def state_json(state: State) -> dict[str, Any]:
    """A state as JSON data (sets as sorted lists), for the store."""
    return {"techs": {role: sorted(names) for role, names in sorted(state.techs.items())},
            "implied": sorted(state.implied), "versions": dict(sorted(state.versions.items())),
            "services": sorted(state.services), "env": sorted(state.env)}


def state_from_json(data: Mapping[str, Any]) -> State:
    """The state `state_json` wrote."""
    return State(techs={role: frozenset(names) for role, names in data["techs"].items()},
                 implied=frozenset(data["implied"]), versions=dict(data["versions"]),
                 services=frozenset(data["services"]), env=frozenset(data["env"]))
