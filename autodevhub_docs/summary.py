# The GitHub Actions job summary: report.json's figures as Markdown.
# Usage in a workflow: `python -m autodevhub_docs.summary .cache/autodevhub/report.json >> "$GITHUB_STEP_SUMMARY"`.
from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from autodevhub_docs.rendering.markdown import cell


def summary_markdown(report: Mapping[str, Any]) -> str:
    """Render the figures of one build report as a Markdown job summary.

    Args:
        report: The content of report.json.

    Returns:
        Markdown: a figures table, the warnings and what changed since the previous build.
    """
    llm = report.get("llm") or {}
    github = report.get("github") or {}
    warnings = [str(w) for w in report.get("warnings") or []]
    commit = str(report.get("commit") or "")
    rows = [
        ("Mode", str(report.get("mode", "?"))),
        ("Commit", f"`{commit[:7]}`" if commit else "none"),
        ("Pages", str(len(report.get("pages") or []))),
        ("LLM calls", str(llm.get("calls", 0))),
        ("Cache hits", str(llm.get("cache_hits", 0))),
        ("LLM failures", str(llm.get("failures", 0))),
        ("Tokens in / out", f"{llm.get('input_tokens', 0):,} / {llm.get('output_tokens', 0):,}"),
        ("Cost", f"${float(llm.get('cost_usd', 0.0)):.4f}"),
        ("GitHub requests (not modified)", f"{github.get('requests', 0)} ({github.get('not_modified', 0)})"),
        ("Warnings", str(len(warnings))),
        ("Duration", f"{(report.get('durations_s') or {}).get('total', 0)} s"),
    ]
    lines = ["## AutoDevHub Docs build", "", "| Figure | Value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    lines += ["", "### What changed", ""]
    lines += _changes_lines(report.get("changes"))
    if warnings:
        lines += ["", "### Warnings", ""]
        lines += [f"- {cell(w, 300)}" for w in warnings[:50]]
        if len(warnings) > 50:
            lines.append(f"- …and {len(warnings) - 50} more (see report.json)")
    return "\n".join(lines) + "\n"


def _changes_lines(changes: Any) -> list[str]:
    if not isinstance(changes, Mapping):
        return ["No record of changes in this report."]
    if not changes.get("previous_commit"):
        return ["First build recorded in the cache: nothing to compare with yet."]
    counts: Sequence[Any] = changes.get("counts") or []
    head = f"Compared with the build of `{str(changes['previous_commit'])[:7]}`: "
    head += f"{changes.get('commits', 0)} new commit(s)."
    if not counts:
        return [head, "", "No new or removed stories, ADRs, endpoints, services or entities."]
    return [head, "", *(f"- {cell(str(line), 200)}" for line in counts)]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the summary of the report.json named on the command line (a missing file is reported, not fatal)."""
    args = list(sys.argv[1:] if argv is None else argv)
    path = Path(args[0]) if args else Path(".cache/autodevhub/report.json")
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        sys.stdout.write(f"## AutoDevHub Docs build\n\nNo readable report at `{path}` ({type(error).__name__}): "
                         "the build failed before writing it; see the build step's log.\n")
        return 0
    sys.stdout.write(summary_markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
