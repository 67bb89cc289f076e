# The architecture section: System Architecture index plus four sub-pages, from static analysis.
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from autodevhub_docs.generators.activity import activity
from autodevhub_docs.generators.base import Document, GenContext, degraded_notes
from autodevhub_docs.llm.client import ProseRequest, ProseResult
from autodevhub_docs.model import ArchitectureFacts, to_jsonable

OVERVIEW_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "properties": {
        "summary": {"type": "string", "description": "Two to four sentences: what the repository is and does."},
        "principles": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "evidence": {"type": "string"},
                               "sources": {"type": "array", "items": {"type": "string"}}},
                "required": ["name", "evidence", "sources"],
            },
        },
    },
    "required": ["summary", "principles"],
}

_BADGE_OR_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>")


def readme_summary(readme: str) -> str:
    """Return the README's first prose paragraph (no headings, badges, HTML, code or lists)."""
    paragraphs = re.split(r"\n\s*\n", readme)
    in_code = False
    for paragraph in paragraphs:
        stripped = paragraph.strip()
        if stripped.count("```") % 2 == 1:
            in_code = not in_code
            continue
        if in_code or not stripped or stripped.startswith(("#", "```", "|", "-", "*", ">", "<", "[!", "=", "1.")):
            continue
        text = " ".join(_BADGE_OR_IMAGE.sub("", stripped).split())
        text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
        if len(text) >= 20:
            return text
    return ""


class ArchitectureGenerator:
    """Writes `architecture/*.md`."""

    section = "architecture"

    def plan(self, ctx: GenContext) -> list[ProseRequest]:
        """Ask for the overview prose; the fallback states only what the README and the inventory show."""
        facts, arch = ctx.facts, ctx.arch
        summary = readme_summary(facts.readme)
        data = {
            "name": facts.name,
            "readme_excerpt": facts.readme[:3000],
            "languages": to_jsonable(arch.languages[:8]),
            "components": to_jsonable(arch.components[:20]),
            "manifests": list(arch.manifests[:20]),
        }
        return [
            ProseRequest(
                key="architecture/index.md#overview",
                section=self.section,
                prompt="architecture_overview",
                prompt_version=1,
                instructions="Summarise what this repository is and the architectural principles its code shows. "
                "Every principle must cite the files that show it.",
                data=data,
                schema=OVERVIEW_SCHEMA,
                fallback={"summary": summary, "principles": []},
                known_refs=frozenset(f.path for f in facts.files),
            )
        ]

    def build(self, ctx: GenContext, prose: Mapping[str, ProseResult]) -> list[Document]:
        """Build the five architecture pages."""
        facts, arch = ctx.facts, ctx.arch
        overview = prose["architecture/index.md#overview"]
        base: dict[str, Any] = {"arch": arch, "facts": facts}
        index_ctx = {**base, "overview": overview.data, "overview_origin": overview.origin,
                     "component_diagram": component_diagram(arch),
                     "activity": activity(facts.commits, facts.contributors, facts.tags)}
        pages = [
            ("architecture/index.md", "System Architecture", "architecture/index.md.jinja", index_ctx,
             degraded_notes([overview])),
            ("architecture/system-overview.md", "System Overview", "architecture/system-overview.md.jinja", base, ()),
            ("architecture/api-specification.md", "API Specification", "architecture/api-specification.md.jinja",
             base, ()),
            ("architecture/database-schema.md", "Database Schema", "architecture/database-schema.md.jinja", base, ()),
            ("architecture/deployment-architecture.md", "Deployment Architecture",
             "architecture/deployment-architecture.md.jinja", base, ()),
        ]
        return [Document(uri=uri, title=title, template=template, context=context, notes=notes)
                for uri, title, template, context, notes in pages]


_LAYER_TITLES = {"service": "Services", "package": "Packages", "folder": "Other code", "config": "Configuration and CI",
                 "docs": "Documentation", "tests": "Tests"}


def component_diagram(arch: ArchitectureFacts) -> dict[str, Any]:
    """A flowchart spec of the top-level components grouped by kind (at most 40 nodes)."""
    kinds = [k for k in _LAYER_TITLES if any(c.kind == k for c in arch.components)]
    nodes = [
        {"key": c.path, "label": f"{c.name} ({c.language})" if c.language else c.name, "group": c.kind}
        for c in arch.components[:40]
    ]
    return {"kind": "flowchart", "direction": "TB", "groups": {k: _LAYER_TITLES[k] for k in kinds},
            "nodes": nodes, "edges": []}
