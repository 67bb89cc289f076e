# Drafts of decisions while history is read: evidence accumulates, and a migration's steps (add the new library,
# later drop the old one) merge into one draft when they are close in time.
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date as Date

from autodevhub_docs.model.decisions import Evidence

MERGE_WINDOW_DAYS = 180
"""Steps of one migration (add the new library, later drop the old one) merge when this close in time."""
ATTACH_WINDOW_DAYS = 120
"""A PR, commit or issue that names a decision's technology joins it when this close in time."""
MAX_BODY = 2000
"""Longest PR/commit/issue text kept per piece of evidence (it is untrusted and goes into prompts)."""
MAX_FILES = 40
"""Most changed paths kept per piece of evidence."""


@dataclass
class Draft:
    """A decision being assembled."""

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
        """Date of the oldest evidence."""
        return min(e.date for e in self.evidence)

    @property
    def last(self) -> str:
        """Date of the newest evidence."""
        return max(e.date for e in self.evidence)

    def add(self, item: Evidence) -> None:
        """Add evidence once (a repeat only fills in the manifest changes it lacked)."""
        for i, known in enumerate(self.evidence):
            if known.kind == item.kind and known.ref == item.ref:
                if item.changes and not known.changes:
                    self.evidence[i] = replace(known, changes=item.changes)
                return
        self.evidence.append(item)


def days_between(a: str, b: str) -> int:
    """Days between two ISO dates (a huge number when one cannot be read)."""
    try:
        return abs((Date.fromisoformat(a[:10]) - Date.fromisoformat(b[:10])).days)
    except ValueError:
        return 10**6


def bounded(text: str | None) -> str:
    """Untrusted text cut to `MAX_BODY` characters."""
    text = (text or "").strip()
    return text if len(text) <= MAX_BODY else text[: MAX_BODY - 1] + "…"


def join_names(names: Iterable[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    items = list(names)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def place(drafts: list[Draft], same: list[Draft], category: str, *, added: set[str], removed: set[str],
          present: set[str], evidence: Evidence) -> None:
    """Put one commit's change to one role into the draft it continues, or start a new draft."""
    last = same[-1] if same else None
    near = last is not None and days_between(last.last, evidence.date) <= MERGE_WINDOW_DAYS
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
    draft = Draft(seed=evidence.ref[:7], category=category, kind=kind, chosen=sorted(added),
                   replaced=sorted(removed), pending=(present - removed) if added and not removed else set())
    draft.add(evidence)
    drafts.append(draft)
    same.append(draft)


# ---- signals 2 and 3: cues and labels --------------------------------------------------------------------------
