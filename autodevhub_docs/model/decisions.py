# Architecture decisions mined from history (see `analysis/decisions/`): frozen records the ADR generator renders.
from __future__ import annotations

from dataclasses import dataclass


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
