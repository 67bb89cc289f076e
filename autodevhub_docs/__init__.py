"""AutoDevHub Docs: architecture pages, ADRs and user stories generated from a repository.

The package is a pipeline with two thin front ends:

- `autodevhub_docs.pipeline.run_build` turns `Settings` into pages (``{uri: markdown}``) and report.json;
- `autodevhub_docs.plugin.AutodevhubPlugin` adds those pages to an MkDocs build;
- `autodevhub_docs.cli` writes them to a folder (`autodevhub-docs generate --out DIR`).

Data flows one way: ``sources -> model -> analysis.analyse(facts) -> Analysis -> generators -> rendering ->
changes -> plugin/cli``.
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"

__all__ = ["__version__", "builtin_templates"]


def builtin_templates() -> Path:
    """Return the folder of the built-in templates (inside the wheel, or `templates/` in a source checkout)."""
    packaged = Path(__file__).resolve().parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[1] / "templates"
