# Self-verification: before a record is written, each claim it makes is re-checked against the repository as it is
# at the cited commits, read afresh from git (not from the timeline it was mined from). A claim that does not hold
# ("Stop using pytest" while pytest is still declared) is never written; the build reports how many were rejected.
from __future__ import annotations

from collections.abc import Callable, Mapping

from autodevhub_docs.analysis.decisions.timeline import State, state_of
from autodevhub_docs.model.decisions import Decision

TreeReader = Callable[[str], Mapping[str, str | None]]
"""Reads every followed file at a revision (`abc123`, `abc123^1`): path -> text."""


class Verifier:
    """Checks decisions against the repository at their cited commits.

    Args:
        read_tree: Reads the followed files at a revision.
        known: States already worked out, by revision (a tree never changes); the new ones are added to it.
        used: Collects the revisions read.
    """

    def __init__(self, read_tree: TreeReader, known: dict[str, State] | None = None,
                 used: set[str] | None = None) -> None:
        self._read_tree = read_tree
        self._known = known if known is not None else {}
        self._used = used if used is not None else set()

    def _state(self, rev: str) -> State:
        self._used.add(rev)
        if rev not in self._known:
            self._known[rev] = state_of(self._read_tree(rev))
        return self._known[rev]

    def holds(self, decision: Decision) -> bool:
        """Whether every claim of the decision holds before its first and after its last cited change."""
        cited = [e.ref for e in decision.evidence if e.kind == "commit" and e.changes]
        if not cited:
            return True  # practices and labelled decisions claim nothing about files
        before: State = self._state(f"{cited[0]}^1")
        after: State = self._state(cited[-1])
        details = dict(decision.details)
        if decision.kind == "migrate":
            technology = decision.chosen[0]
            return (before.versions.get(technology) == details.get("from_version")
                    and after.versions.get(technology) == details.get("to_version"))
        if decision.kind == "container":
            service = details.get("service", "")
            return service not in before.services and service in after.services
        if decision.kind == "configure":
            removed = set(details.get("removed_env", "").split(","))
            added = set(details.get("added_env", "").split(","))
            return removed <= before.env - after.env and added <= after.env - before.env
        adopted_ok = all(not before.uses(t) and after.uses(t) for t in decision.chosen)
        dropped_ok = all(before.uses(t) and not after.uses(t) for t in decision.replaced)
        return adopted_ok and dropped_ok
