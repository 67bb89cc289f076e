# report.json: what a build did (mode, pages, LLM calls and cost, GitHub requests, durations, warnings), and the
# one console line that sums it up. Kept light: a reused build writes its report without loading the pipeline.
from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from autodevhub_docs.redact import redact_data

__all__ = ["summary_line", "write_report"]

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
