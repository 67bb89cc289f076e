# What earlier builds already worked out, handed to the analysis stage so that a build after one commit redoes only
# what that commit changed. The analysis reads it and adds what it computes; the pipeline loads it from the store
# and saves it back (`increments`), so the analysis itself never touches the store.
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from autodevhub_docs.analysis.decisions.mined import StoredMining
from autodevhub_docs.analysis.decisions.records import StepRecord
from autodevhub_docs.analysis.decisions.timeline import State
from autodevhub_docs.analysis.javascript import JsSummary
from autodevhub_docs.analysis.pyscan import PyFile, PyScan


@dataclass(frozen=True)
class EarlyScan:
    """The Python pass started before the analysis (`pyworker.early_python_pass`)."""

    paths: tuple[str, ...]
    """The tracked paths it is made over: the analysis takes it only for the same paths."""
    finish: Callable[[], PyScan]
    """Waits for the pass (made in a child process while the build went on, or made already) and returns it."""
    encoded: Mapping[str, Any] = field(default_factory=dict)
    """The memo's JSON form of the summaries a child process made (filled by `finish`), stored as they are."""


class KeptTimeline(Sequence[StepRecord]):
    """A timeline's stored records, read from the store when first used.

    A build that takes the decisions the last build mined from them never reads them.

    Args:
        count: How many records it holds.
        load: Reads them, oldest first.
    """

    def __init__(self, count: int, load: Callable[[], tuple[StepRecord, ...]]) -> None:
        self._count = count
        self._load: Callable[[], tuple[StepRecord, ...]] | None = load
        self._records: tuple[StepRecord, ...] = ()

    def _all(self) -> tuple[StepRecord, ...]:
        if self._load is not None:
            self._records, self._load = self._load(), None
        return self._records

    def __len__(self) -> int:
        return self._count if self._load is not None else len(self._records)

    @overload
    def __getitem__(self, index: int) -> StepRecord: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[StepRecord]: ...

    def __getitem__(self, index: int | slice) -> StepRecord | Sequence[StepRecord]:
        return self._all()[index]

    def __iter__(self) -> Iterator[StepRecord]:
        return iter(self._all())


@dataclass
class AnalysisMemo:
    """Results an earlier build stored, and the ones this build adds."""

    timeline: Sequence[StepRecord] | None = None
    """The usage timeline's eventful records (`StepRecord.eventful`: the ones mining reads), when the build read the
    timeline incrementally (else it is worked out from `facts.manifest_changes`)."""
    timeline_key: str | None = None
    """The digest of their commits in order (a commit's record never changes); None without a timeline."""
    timeline_steps: int = 0
    """How many steps the whole timeline has (eventful or not)."""
    last_mining: StoredMining | None = None
    """The decisions the last build mined (taken when what they are mined from is the same)."""
    mined: StoredMining | None = None
    """The decisions this build mined or took, for the next one."""
    new_steps: int = 0
    """How many of the timeline's records this build worked out (the others were stored)."""
    new_commits: frozenset[str] | None = None
    """Commits not seen by the build `practices` was stored by; None when every commit is new."""
    practices: dict[str, str] = field(default_factory=dict)
    """Commit sha -> the practice its subject adopts, for the commits that adopt one (see `commit_practice`)."""
    tree_states: dict[str, State] = field(default_factory=dict)
    """Revision (`sha`, `sha^1`) -> the usage state of the tree there (verification of cited commits)."""
    used_trees: set[str] = field(default_factory=set)
    """The revisions this build verified at (the others need not be kept)."""
    python: Mapping[str, PyFile] = field(default_factory=dict)
    """Python summaries stored for files that have not changed since, by path (their module name is checked)."""
    parsed_python: dict[str, PyFile] = field(default_factory=dict)
    """Python files this build parsed, by path (a file that does not parse is left out: it is parsed, and warned
    about, again by every build)."""
    reused_python: int = 0
    """How many stored summaries this build took instead of parsing."""
    early: EarlyScan | None = None
    """The Python pass, when the build made it while git read the history (with `python` as its stored summaries)."""
    js: Mapping[str, JsSummary] = field(default_factory=dict)
    """JS/TS summaries stored for files that have not changed since, by path."""
    parsed_js: dict[str, JsSummary] = field(default_factory=dict)
    """JS/TS summaries this build worked out, by path."""
    reused_js: int = 0
    """How many stored JS/TS summaries of unchanged files this build had at hand (instead of parsing them)."""
