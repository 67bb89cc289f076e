# report.json: what a build did (mode, pages, LLM calls and cost, GitHub requests, durations, warnings), and the
# one console line that sums it up. Both kinds of build assemble their report here: the pipeline from its own
# numbers (`build_report`) and a reused build from the stored one (`reused_report`). Kept light: a reused build
# writes its report without loading the pipeline.
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autodevhub_docs import __version__
from autodevhub_docs.redact import redact_data

if TYPE_CHECKING:
    from autodevhub_docs.generators import Document
    from autodevhub_docs.model import RepoFacts
    from autodevhub_docs.model.analysis import Analysis

__all__ = ["BuildResult", "build_report", "reused_report", "summary_line", "write_report"]

NO_GITHUB_REQUESTS = {"requests": 0, "not_modified": 0}
"""The `github` part of a build that asked GitHub nothing."""


@dataclass(frozen=True)
class BuildResult:
    """The pages of one build, whether the pipeline ran or the last build was reused."""

    pages: dict[str, str]
    """Docs-relative URI to text (Markdown pages, `changes/feed.xml`, `llms.txt`)."""
    report: dict[str, Any]
    """The content of report.json."""
    facts: RepoFacts | None = None
    """The facts the pages were built from; None when the pages were reused without running the pipeline."""
    analysis: Analysis | None = None
    """What the analysis stage found (None when reused)."""
    documents: Sequence[Document] = ()
    """The documents before rendering (empty when reused); rendered again under serve when a template changes."""


def build_report(*, mode: str, commit: str, pages: Mapping[str, str], changes: Mapping[str, Any] | None,
                 llm: Mapping[str, Any], github: Mapping[str, Any] | None, marks: Sequence[float],
                 warnings: Sequence[str], decisions: Mapping[str, int] | None = None,
                 incremental: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The report of a build that ran the pipeline.

    Args:
        mode: `offline` or `anthropic`.
        commit: HEAD sha of the documented repository.
        pages: Every generated file by URI (Markdown pages and the others).
        changes: What the changes page found, or None.
        llm: The prose writer's usage (`Usage.as_report()`).
        github: The last sync's request counts, or None when nothing was synced.
        marks: `time.perf_counter()` at the start and after sources, analysis and generation.
        warnings: Every warning of the build.
        decisions: Decision-mining counts (`candidates`, `rejected`, `records`, `minor`).
        incremental: What the build took from earlier builds and read again (`history`: `continued` or `full`;
            `files_read`, `python_parsed`, `python_reused`, `timeline_steps`, `timeline_steps_new`).
    """
    started, sources, analysis, generation = marks
    return {
        "version": __version__,
        "mode": mode,
        "commit": commit,
        "pages": sorted(u for u in pages if u.endswith(".md")),
        "files": sorted(u for u in pages if not u.endswith(".md")),
        "changes": dict(changes) if changes is not None else None,
        "decisions": dict(decisions or {}),
        "llm": dict(llm),
        "github": dict(github) if isinstance(github, Mapping) else dict(NO_GITHUB_REQUESTS),
        "durations_s": {"sources": round(sources - started, 3), "analysis": round(analysis - sources, 3),
                        "generation": round(generation - analysis, 3), "total": round(generation - started, 3)},
        "warnings": list(warnings),
        "incremental": dict(incremental or {}),
    }


def reused_report(stored: Mapping[str, Any], seconds: float) -> dict[str, Any]:
    """The report of a build that reused the last build's pages: no call, no request, every answer a hit.

    Args:
        stored: The report of the build whose pages are reused.
        seconds: How long deciding and loading took.
    """
    llm = dict(stored.get("llm", {}))
    answers = int(llm.get("calls", 0)) + int(llm.get("cache_hits", 0))
    llm.update(calls=0, cache_hits=answers, failures=0, degraded=0, input_tokens=0, output_tokens=0,
               cache_read_tokens=0, cache_write_tokens=0, cost_usd=0.0)
    total = round(seconds, 3)
    return {**stored, "llm": llm, "github": dict(NO_GITHUB_REQUESTS), "reused": True,
            "incremental": {"history": "reused"},  # nothing was read: the counts of the reused build do not apply
            "durations_s": {"sources": total, "analysis": 0.0, "generation": 0.0, "total": total}}


def write_report(cache_dir: Path, report: Mapping[str, Any]) -> Path:
    """Write report.json atomically (a killed build never leaves half a file), with every secret masked."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / "report.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(redact_data(report), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def summary_line(report: Mapping[str, Any]) -> str:
    """One line for the console: pages, calls, cache hits, cost, warnings."""
    llm = report.get("llm", {})
    reused = ", reused: nothing changed since the last build" if report.get("reused") else ""
    return (f"{len(report.get('pages', []))} pages ({report.get('mode')}{reused}), {llm.get('calls', 0)} LLM calls, "
            f"{llm.get('cache_hits', 0)} cache hits, ${llm.get('cost_usd', 0.0):.4f}, "
            f"{len(report.get('warnings', []))} warnings, {report.get('durations_s', {}).get('total', 0)} s")
