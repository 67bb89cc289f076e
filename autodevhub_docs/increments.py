# The incremental steps of a build: what earlier builds worked out is loaded from the store before the analysis and
# the new results saved after it, so a build after one commit reads and works out only what that commit changed.
#   - the usage timeline of decision mining is resumed from the last build's first-parent HEAD: one record per new
#     first-parent commit of the log, from the followed files' texts the last build ended with; only the eventful
#     records are kept (the ones mining reads), with an outline of every step for the window;
#   - a commit's practice verdict, the usage state of a tree at a cited revision and a Python or JS/TS file's summary
#     (by blob sha) never change, so they are kept;
#   - the decisions mined are kept with the digest of what they were mined from (`decisions.mining_key`): when the
#     new commits add no eventful record (a lockfile refreshed, a minor bump and a code change are not), adopt no
#     practice and GitHub's items are the same, they are taken, and the stored records are never read
#     (`KeptTimeline` reads them when first used).
# Limits: past `MAX_CHANGES` changes or `MAX_TOTAL_BYTES` of followed-file texts, a full read keeps a window that a
# resumed timeline may not match exactly (both are bounded views of a history too long to read whole).
# Everything kept is forgotten when this package's code or the options that shape the analysis change. The history
# and the files themselves are kept by `sources.history`, which says which commits are new.
from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autodevhub_docs.analysis.decisions.records import StepRecord, record_from_json, record_json, step_records
from autodevhub_docs.analysis.decisions.timeline import state_from_json, state_json
from autodevhub_docs.analysis.memo import AnalysisMemo, EarlyScan, KeptTimeline, StoredMining
from autodevhub_docs.analysis.memo_codec import Unencodable, decode, encode
from autodevhub_docs.code_identity import code_digest
from autodevhub_docs.log import get_logger
from autodevhub_docs.settings import Settings
from autodevhub_docs.sources.git import GitData
from autodevhub_docs.sources.git_log import GitLog
from autodevhub_docs.sources.history import Continued
from autodevhub_docs.sources.manifest_history import (
    MAX_CHANGES,
    RawChange,
    first_parent_changes,
    read_changes,
    read_tree,
)
from autodevhub_docs.store import Store

log = get_logger(__name__)

CONTEXT = "memo"
"""Where the digest of what every memo was made with is kept (outside the `memo:*` namespaces it guards)."""
TIMELINE = "memo:timeline"
"""`state`: the first-parent HEAD the timeline was read up to, the texts after it, and its outline (`_Outline`)."""
STEPS = "memo:steps"
"""The timeline's eventful records (the ones mining reads), by commit."""
PRACTICES = "memo:practices"
"""`state`: the HEAD it was worked out for, and the practice of each commit that adopts one."""
TREES = "memo:trees"
"""The usage state at a revision, by revision."""
PYTHON = "memo:python"
"""A Python file's summary, by path, with its mode and blob sha (files that do not parse are not kept)."""
JS = "memo:js"
"""A JS/TS file's summary (`javascript.JsSummary`), by path, with its blob sha."""
MINED = "memo:mined"
"""`state`: the decisions the last build mined, with the digest of their inputs and the revisions verified at."""


def check_context(settings: Settings, store: Store, root: Path) -> None:
    """Forget every memo when what they were made with changed: this package, the checkout, or the options.

    Args:
        settings: Build options (`exclude`, `include` and `sections` shape what the analysis keeps).
        store: The store holding the memos.
        root: The checkout's top folder.
    """
    context = hashlib.sha256(json.dumps([code_digest(), str(root), list(settings.exclude), list(settings.include),
                                         sorted(settings.sections)]).encode()).hexdigest()
    if store.get_json(CONTEXT, "context") != context:
        store.clear_memos()
        store.put_json(CONTEXT, "context", context)


@dataclass
class Memos:
    """The memos of one build: what the analysis is handed, and which keys the store held before it ran."""

    analysis: AnalysisMemo
    """Handed to the analysis, which adds what it works out."""
    stored_python: set[str] = field(default_factory=set)
    """Paths whose summary the store holds."""
    stored_js: set[str] = field(default_factory=set)
    """Paths whose JS/TS summary the store holds."""
    stored_trees: set[str] = field(default_factory=set)
    """Revisions whose state the store holds."""

    def counts(self) -> dict[str, int | str]:
        """What this build took from the memos and what it worked out again, for report.json."""
        memo = self.analysis
        return {"python_parsed": len(memo.parsed_python), "python_reused": memo.reused_python,
                "js_parsed": len(memo.parsed_js), "js_reused": memo.reused_js,
                "timeline_steps": memo.timeline_steps, "timeline_steps_new": memo.new_steps,
                "decisions": "reused" if memo.mined is not None and memo.mined is memo.last_mining else "mined"}


@dataclass(frozen=True)
class StoredPython:
    """The Python summaries the store holds."""

    rows: dict[str, Any]
    """As stored, by path."""
    unchanged: dict[str, Any]
    """Decoded, for the files whose blob is the one they were made from."""


def stored_python(store: Store, blobs: Mapping[str, str]) -> StoredPython:
    """The stored Python summaries, those of unchanged files decoded (the Python pass takes them).

    Args:
        store: The store holding the memos.
        blobs: Path -> blob sha of the checkout.
    """
    rows = store.memo(PYTHON)
    return StoredPython(rows=rows, unchanged=_unchanged(rows, blobs))


def load(settings: Settings, store: Store, data: GitData, continued: Continued | None, *,
         early: tuple[StoredPython, EarlyScan] | None = None) -> Memos:
    """What earlier builds stored for the analysis of this checkout (the timeline is brought up to HEAD here).

    Args:
        settings: Build options (`sections`, `exclude`).
        store: The store holding the memos.
        data: The checkout as this build read it.
        continued: How this build's history continued the last build's; None when it was read in full.
        early: The stored Python summaries and the Python pass made with them, when the build made that pass
            while git read the history.
    """
    practices = store.get_json(PRACTICES, "state") or {}
    resumable = continued is not None and practices.get("head") == continued.since
    python = early[0] if early is not None else stored_python(store, data.blobs)
    stored_js = store.memo(JS)
    trees = store.memo(TREES)
    memo = AnalysisMemo(
        new_commits=continued.new if continued is not None and resumable else None,
        practices=dict(practices.get("found", {})) if resumable else {},
        tree_states={rev: state_from_json(value) for rev, value in trees.items()},
        python=python.unchanged, js=_unchanged(stored_js, data.blobs), early=early[1] if early is not None else None,
        last_mining=_stored_mining(store.get_json(MINED, "state")))
    if data.head and "adr" in settings.sections:
        memo.timeline = kept_timeline(data.root, data.log, data.head, settings.exclude, store, memo=memo)
    return Memos(analysis=memo, stored_python=set(python.rows), stored_js=set(stored_js), stored_trees=set(trees))


def _stored_mining(row: Any) -> StoredMining | None:
    """The last build's mined decisions, decoded (None when there are none, or they are of an older version)."""
    if not isinstance(row, dict) or not isinstance(row.get("key"), str) or not isinstance(row.get("trees"), list):
        return None
    try:
        return StoredMining(key=row["key"], mined=decode(row["mined"]), trees=tuple(str(t) for t in row["trees"]))
    except (Unencodable, TypeError, ValueError, KeyError, RecursionError):
        return None  # mined again


def _unchanged(rows: dict[str, Any], blobs: Mapping[str, str]) -> dict[str, Any]:
    """The stored summaries of files whose blob is the one they were made from, decoded."""
    found: dict[str, Any] = {}
    for path, row in rows.items():
        if isinstance(row, list) and len(row) == 2 and blobs.get(path) == row[0]:
            try:
                found[path] = decode(row[1])
            except (Unencodable, TypeError, ValueError, KeyError, RecursionError):
                continue  # written by an older version (or damaged): the file is parsed again
    return found


def keep(store: Store, memos: Memos, data: GitData) -> None:
    """Store what this build's analysis worked out, for the next one.

    Args:
        store: The store holding the memos.
        memos: The memos the analysis filled in.
        data: The checkout as this build read it.
    """
    memo = memos.analysis
    store.put_json(PRACTICES, "state", {"head": data.head, "found": memo.practices})
    store.put_memo(TREES, {rev: state_json(memo.tree_states[rev]) for rev in memo.used_trees
                           if rev not in memos.stored_trees},
                   drop=[rev for rev in memos.stored_trees if rev not in memo.used_trees])
    if memo.mined is not None and memo.mined is not memo.last_mining:
        with contextlib.suppress(Unencodable, RecursionError):  # unencodable: mined again next time
            store.put_json(MINED, "state", {"key": memo.mined.key, "mined": encode(memo.mined.mined),
                                            "trees": list(memo.mined.trees)})
    encoded = memo.early.encoded if memo.early is not None else {}
    for namespace, made, stored, forms in ((PYTHON, memo.parsed_python, memos.stored_python, encoded),
                                           (JS, memo.parsed_js, memos.stored_js, {})):
        rows = _rows(made, data, forms)
        store.put_memo(namespace, rows, drop=[p for p in stored if p not in data.blobs and p not in rows])


def _rows(made: dict[str, Any], data: GitData, encoded: Mapping[str, Any]) -> dict[str, Any]:
    """The summaries this build made, as stored rows with their blob sha (`encoded`: JSON forms made already)."""
    rows: dict[str, Any] = {}
    for path, info in made.items():
        blob = data.blobs.get(path)
        if blob is None:
            continue  # changed in the working tree: its summary is not kept
        try:
            rows[path] = [blob, encoded[path] if path in encoded else encode(info)]
        except (Unencodable, RecursionError):  # a syntax tree near the depth limit nests too deep to encode
            continue  # parsed again next time
    return rows


def kept_timeline(root: Path, history: GitLog, head: str, exclude: Sequence[str], store: Store, *,
                  memo: AnalysisMemo | None = None) -> Sequence[StepRecord]:
    """The usage timeline up to HEAD, as the records mining reads: the stored ones and those of the new commits.

    Only the eventful records (`StepRecord.eventful`) are kept and handed back: the others give the same drafts
    without them. The outline of the whole timeline (each step's commit and how many followed files it changed) is
    kept beside them, for the window.

    A first-parent history that does not continue the stored one (force-push, reset, another branch) is read in
    full again. Past `MAX_CHANGES` changes, the oldest commits are dropped whole; the records left keep the states
    they were worked out with, which are the repository's own: a full read seeds from the tree where it starts.

    Args:
        root: Repository root.
        history: The log of HEAD (its first-parent line is what the timeline follows).
        head: HEAD sha.
        exclude: Globs of paths left out of analysis.
        store: The store holding the timeline.
        memo: Counts the records worked out this time (`new_steps`) and the steps (`timeline_steps`).
    """
    state = store.get_json(TIMELINE, "state") or {}
    outline = _Outline.of(state)
    stored = set(store.memo_keys(STEPS))  # (all dropped on a full read, whatever wrote them)
    complete = outline is not None and all(sha in stored for sha in outline.eventful)
    if outline is not None and complete and state.get("head") == head:
        return _kept(store, outline, memo)
    line = history.first_parent()
    if outline is not None and complete and state.get("head"):
        shas = [record.sha for record in line]
        if state["head"] in shas:
            changes = first_parent_changes(line[shas.index(state["head"]) + 1:], exclude)
            if not changes:  # no followed file changed since: the records are the stored ones
                store.put_json(TIMELINE, "state", {**state, "head": head})
                return _kept(store, outline, memo)
            new, texts = step_records(read_changes(root, changes), dict(state["texts"]))
            if memo is not None:
                memo.new_steps = len(new)
            return _save_timeline(store, outline, new, texts, head, stored=stored, memo=memo)
        log.info("the first-parent history does not continue the last build's (%s is not on it), so its decisions "
                 "are mined again in full", state["head"][:12])
    whole = first_parent_changes(line, exclude)
    window = _window(whole)
    seed = read_tree(root, f"{window[0][0]}^1", exclude) if len(window) < len(whole) else {}
    records, texts = step_records(read_changes(root, window), dict(seed))
    if memo is not None:
        memo.new_steps = len(records)
    return _save_timeline(store, _Outline((), (), ()), records, texts, head, stored=stored, memo=memo)


def _window(changes: Sequence[RawChange]) -> list[RawChange]:
    """The changes of the newest whole commits that hold at most `MAX_CHANGES` of them (at least one commit)."""
    start = len(changes)
    while start > 0:
        first = start - 1  # changes[first:start] is one commit's
        while first > 0 and changes[first - 1][0] == changes[start - 1][0]:
            first -= 1
        if len(changes) - first > MAX_CHANGES and start < len(changes):
            break  # it would pass the cap (the newest commit is always kept)
        start = first
    return list(changes[start:])


@dataclass(frozen=True)
class _Outline:
    """The stored timeline's steps, without their records."""

    shas: tuple[str, ...]
    """Every step's commit, oldest first."""
    changes: tuple[int, ...]
    """How many followed files each step changed (the window is counted in them)."""
    eventful: tuple[str, ...]
    """The commits of the eventful steps, oldest first: the records kept."""

    @classmethod
    def of(cls, state: Mapping[str, Any]) -> _Outline | None:
        """The outline a stored state holds (None when there is none, or it is of an older form)."""
        shas, changes, eventful = state.get("order"), state.get("changes"), state.get("eventful")
        if not (isinstance(shas, list) and isinstance(changes, list) and isinstance(eventful, list)) or \
                len(shas) != len(changes):
            return None
        return cls(tuple(shas), tuple(changes), tuple(eventful))


def _kept(store: Store, outline: _Outline, memo: AnalysisMemo | None,
          made: Sequence[StepRecord] = ()) -> KeptTimeline:
    """The eventful records, read from the store when first used (`made`: those this build worked out)."""
    if memo is not None:
        memo.timeline_key = _order_key(outline.eventful)
        memo.timeline_steps = len(outline.shas)
    fresh = {record.sha: record for record in made}

    def load() -> tuple[StepRecord, ...]:
        rows = store.memo(STEPS) if len(fresh) < len(outline.eventful) else {}
        return tuple(fresh[sha] if sha in fresh else record_from_json(rows[sha]) for sha in outline.eventful)

    return KeptTimeline(len(outline.eventful), load)


def _order_key(shas: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(shas).encode()).hexdigest()


def _save_timeline(store: Store, outline: _Outline, new: Sequence[StepRecord], texts: dict[str, str | None],
                   head: str, *, stored: set[str], memo: AnalysisMemo | None) -> KeptTimeline:
    """Add the new steps to the stored timeline, drop its oldest past the window, and keep it."""
    shas = [*outline.shas, *(record.sha for record in new)]
    changes = [*outline.changes, *(record.changes for record in new)]
    total, start = sum(changes), 0
    while total > MAX_CHANGES and start < len(shas) - 1:  # the same window a full read keeps
        total -= changes[start]
        start += 1
    gone = set(shas[:start])
    eventful = tuple(sha for sha in (*outline.eventful, *(r.sha for r in new if r.eventful)) if sha not in gone)
    wanted = set(eventful)
    made = [record for record in new if record.sha in wanted]
    store.put_memo(STEPS, {r.sha: record_json(r) for r in made if r.sha not in stored},
                   drop=[sha for sha in stored if sha not in wanted])
    kept = _Outline(tuple(shas[start:]), tuple(changes[start:]), eventful)
    store.put_json(TIMELINE, "state", {"head": head, "texts": list(texts.items()), "order": list(kept.shas),
                                       "changes": list(kept.changes), "eventful": list(kept.eventful)})
    return _kept(store, kept, memo, made)
