# The architecture section: System Architecture index plus four sub-pages, from static analysis.
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from autodevhub_docs.generators.activity import activity
from autodevhub_docs.generators.base import Document, GenContext, degraded_notes
from autodevhub_docs.llm.client import ProseRequest, ProseResult
from autodevhub_docs.model import ArchitectureFacts, ImportEdge, to_jsonable

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

_UNRESOLVED = re.compile(r"\{[^}]*[.()][^}]*\}")
"""A path part the analysis could not resolve to a literal (shown as `{settings.PREFIX}`)."""
_BADGE_OR_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>")


_EMPHASIS = re.compile(r"(\*\*|__|`)(.+?)\1")


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
        text = _EMPHASIS.sub(r"\2", text)  # the summary is shown as plain text: drop bold and code marks
        if len(text) >= 20:
            return text
    return ""


LAYERS: tuple[tuple[str, str], ...] = (
    ("frontend", "Frontend"), ("backend", "Backend"), ("database", "Database"), ("cache", "Cache"),
    ("queue", "Messaging"), ("ai", "AI and external services"), ("deployment", "Deployment"),
)
"""Layers of the overview, in the order a reader meets them."""
QUALITY_LAYERS = ("test", "lint")
"""Catalog layers listed together as the test, lint and type-check tools."""


def principles_fallback(arch: ArchitectureFacts) -> list[dict[str, Any]]:
    """The principles the facts show, in the shape of the prose schema (sources are file paths)."""
    return [{"name": p.name, "evidence": p.evidence, "sources": [s.path for s in p.sources]} for p in arch.principles]


class ArchitectureGenerator:
    """Writes `architecture/*.md`."""

    section = "architecture"

    def plan(self, ctx: GenContext) -> list[ProseRequest]:
        """Ask for the overview prose; the fallback states only what the README and the analysis show."""
        facts, arch = ctx.facts, ctx.arch
        summary = readme_summary(facts.readme)
        data = {
            "name": facts.name,
            "readme_excerpt": facts.readme[:3000],
            "languages": to_jsonable(arch.languages[:8]),
            "components": to_jsonable(arch.components[:20]),
            "manifests": list(arch.manifests[:20]),
            "technologies": [{"name": t.name, "layer": t.layer, "evidence": [e.path for e in t.evidence[:2]]}
                             for t in arch.technologies],
            "principles": principles_fallback(arch),
            "endpoints": len(arch.endpoints),
            "entities": [e.name for e in arch.entities[:40]],
            "services": [s.name for s in arch.services[:30]],
        }
        known = frozenset(f.path for f in facts.files) | frozenset(
            s.path for p in arch.principles for s in p.sources)
        return [
            ProseRequest(
                key="architecture/index.md#overview",
                section=self.section,
                prompt="architecture_overview",
                prompt_version=2,
                instructions="Summarise what this repository is and the architectural principles its code shows. "
                "Every principle must cite the files that show it. Keep the given principles unless the data "
                "contradicts them.",
                data=data,
                schema=OVERVIEW_SCHEMA,
                fallback={"summary": summary, "principles": principles_fallback(arch)},
                known_refs=known,
            )
        ]

    def build(self, ctx: GenContext, prose: Mapping[str, ProseResult]) -> list[Document]:
        """Build the five architecture pages."""
        facts, arch = ctx.facts, ctx.arch
        overview = prose["architecture/index.md#overview"]
        base: dict[str, Any] = {"arch": arch, "facts": facts}
        layers = [{"key": key, "title": title, "technologies": [t for t in arch.technologies if t.layer == key]}
                  for key, title in LAYERS]
        layers = [layer for layer in layers if layer["technologies"]]
        index_ctx = {**base, "overview": overview.data, "overview_origin": overview.origin, "layers": layers,
                     "quality_tech": [t for t in arch.technologies if t.layer in QUALITY_LAYERS],
                     "test_jobs": sum(1 for w in arch.workflows for j in w.jobs if "test" in j.purposes),
                     "sections": tuple(ctx.settings.sections),
                     "high_level_diagram": high_level_diagram(arch),
                     "component_diagram": component_diagram(arch),
                     "activity": activity(facts.commits, facts.contributors, facts.tags)}
        nodes, edges, note = list(arch.import_view.nodes), list(arch.import_view.edges), arch.import_view_note
        overview_ctx = {**base, "component_diagram": component_diagram(arch),
                        "import_diagram": import_diagram(nodes, edges) if edges else None, "import_note": note,
                        "import_nodes": len(nodes), "edge_limit": EDGE_TABLE_LIMIT}
        api_ctx = {**base, "frameworks": sorted({e.framework for e in arch.endpoints}),
                   "unresolved": any(_UNRESOLVED.search(e.path) for e in arch.endpoints),
                   "request_diagram": request_diagram(arch) if arch.endpoints else None}
        db_ctx = {**base, "er_diagram": er_diagram(arch) if arch.entities else None,
                  "entity_limit": ER_ENTITY_LIMIT}
        deploy_ctx = {**base, "service_diagram": service_diagram(arch) if arch.services else None,
                      "ci_diagram": ci_diagram(arch) if arch.workflows else None}
        pages = [
            ("architecture/index.md", "System Architecture", "architecture/index.md.jinja", index_ctx,
             degraded_notes([overview])),
            ("architecture/system-overview.md", "System Overview", "architecture/system-overview.md.jinja",
             overview_ctx, ()),
            ("architecture/api-specification.md", "API Specification", "architecture/api-specification.md.jinja",
             api_ctx, ()),
            ("architecture/database-schema.md", "Database Schema", "architecture/database-schema.md.jinja", db_ctx,
             ()),
            ("architecture/deployment-architecture.md", "Deployment Architecture",
             "architecture/deployment-architecture.md.jinja", deploy_ctx, ()),
        ]
        inventories: dict[str, dict[str, dict[str, str]]] = {
            "architecture/api-specification.md": {"endpoint": {f"{e.method} {e.path}": f"{e.handler}"
                                                               for e in arch.endpoints}},
            "architecture/database-schema.md": {"entity": {e.name: e.table for e in arch.entities}},
            "architecture/deployment-architecture.md": {"service": {f"{s.kind}:{s.name}": s.image or s.build or ""
                                                                    for s in arch.services}},
        }
        return [Document(uri=uri, title=title, template=template, context=context, notes=notes,
                         inventory=inventories.get(uri, {}))
                for uri, title, template, context, notes in pages]


EDGE_TABLE_LIMIT = 400
"""Rows of the import table; larger graphs link to the aggregated view instead of listing every edge."""
ER_ENTITY_LIMIT = 40
"""Entities drawn in the erDiagram (all are listed in tables)."""
_LAYER_TITLES = {"service": "Services", "package": "Packages", "folder": "Other code", "config": "Configuration and CI",
                 "docs": "Documentation", "tests": "Tests"}
_LAYER_STYLES = {"frontend": "fill:#e1f5fe", "backend": "fill:#e8f5e8", "database": "fill:#fce4ec",
                 "cache": "fill:#fce4ec", "ai": "fill:#fff3e0", "deployment": "fill:#f3e5f5"}
"""Colours per layer, as in the System Architecture page this project started from."""
_LAYER_SHAPES = {"database": "db", "cache": "db", "ai": "cloud", "frontend": "round"}
_CARDINALITY = {"many-to-one": "}o--||", "one-to-many": "||--o{", "one-to-one": "|o--||", "many-to-many": "}o--o{"}


def component_diagram(arch: ArchitectureFacts) -> dict[str, Any]:
    """A flowchart spec of the top-level components grouped by kind (at most 40 nodes), with import edges."""
    kinds = [k for k in _LAYER_TITLES if any(c.kind == k for c in arch.components[:40])]
    nodes = [
        {"key": c.path, "label": f"{c.name} ({c.language})" if c.language else c.name, "group": c.kind}
        for c in arch.components[:40]
    ]
    edges = [{"from": e.source, "to": e.target, "label": f"{e.count} import{'s' if e.count != 1 else ''}"}
             for e in arch.component_edges]
    return {"kind": "flowchart", "direction": "TB", "groups": {k: _LAYER_TITLES[k] for k in kinds},
            "nodes": nodes, "edges": edges}


def high_level_diagram(arch: ArchitectureFacts) -> dict[str, Any] | None:
    """Technologies in subgraphs by layer; dotted arrows join adjacent layers that both exist."""
    groups = {key: title for key, title in LAYERS if any(t.layer == key for t in arch.technologies)}
    if not groups:
        return None
    nodes = [{"key": t.name, "label": t.name, "group": t.layer, "shape": _LAYER_SHAPES.get(t.layer, "box"),
              "class": t.layer} for t in arch.technologies if t.layer in groups][:40]
    heads = {layer: next(n["key"] for n in nodes if n["group"] == layer) for layer in groups
             if any(n["group"] == layer for n in nodes)}
    backend = [n["key"] for n in nodes if n["group"] == "backend"]
    edges = []
    if "frontend" in heads and backend:
        edges.append({"from": heads["frontend"], "to": backend[0], "dotted": True})
    for layer in ("database", "cache", "ai"):
        for node in (n for n in nodes if n["group"] == layer):
            if backend:
                edges.append({"from": backend[0], "to": node["key"], "dotted": True})
    return {"kind": "flowchart", "direction": "LR", "groups": groups, "nodes": nodes, "edges": edges,
            "classes": {layer: style for layer, style in _LAYER_STYLES.items() if layer in groups}}


def import_diagram(nodes: list[str], edges: list[ImportEdge]) -> dict[str, Any]:
    """A flowchart spec of the (reduced) import graph, clustered by top-level name."""
    def top(name: str) -> str:
        return name.replace("/", ".").split(".", 1)[0]

    linked = {n for e in edges for n in (e.source, e.target)}
    nodes = [n for n in nodes if n in linked] or nodes  # isolated modules stay in the table, not the drawing
    clusters = sorted({top(n) for n in nodes})
    grouped = 1 < len(clusters) < len(nodes)  # subgraphs only when they gather several nodes
    return {"kind": "flowchart", "direction": "LR",
            "groups": {c: c for c in clusters} if grouped else {},
            "nodes": [{"key": n, "label": n, "group": top(n) if grouped else None} for n in nodes],
            "edges": [{"from": e.source, "to": e.target} for e in edges][:150]}


def request_diagram(arch: ArchitectureFacts) -> dict[str, Any]:
    """How a request flows through the layers the analysis found (sequence diagram)."""
    web = next((t.name for t in arch.technologies if t.category == "web framework"), None) \
        or arch.endpoints[0].framework
    orm = next((t.name for t in arch.technologies if t.category == "ORM"), None) \
        or next((t.name for t in arch.technologies if t.category == "query builder"), None)
    database = next((t.name for t in arch.technologies if t.category == "database"), None)
    cache = next((t.name for t in arch.technologies if t.layer == "cache"), None)
    participants: list[dict[str, Any]] = [{"key": "client", "label": "Client", "actor": True},
                                          {"key": "web", "label": f"{web} handler"}]
    messages: list[dict[str, Any]] = [{"from": "client", "to": "web", "text": "HTTP request"}]
    if cache:
        participants.append({"key": "cache", "label": cache})
        messages += [{"from": "web", "to": "cache", "text": "read cached value"},
                     {"from": "cache", "to": "web", "text": "hit or miss", "reply": True}]
    if orm or database:
        store = database or "database"
        if orm:
            participants.append({"key": "orm", "label": orm})
            messages.append({"from": "web", "to": "orm", "text": "query models"})
        participants.append({"key": "db", "label": store})
        messages += [{"from": "orm" if orm else "web", "to": "db", "text": "SQL"},
                     {"from": "db", "to": "orm" if orm else "web", "text": "rows", "reply": True}]
        if orm:
            messages.append({"from": "orm", "to": "web", "text": "entities", "reply": True})
    messages.append({"from": "web", "to": "client", "text": "HTTP response", "reply": True})
    return {"kind": "sequence", "participants": participants, "messages": messages}


def er_diagram(arch: ArchitectureFacts) -> dict[str, Any]:
    """An erDiagram spec of the first entities and the relations between them."""
    entities = arch.entities[:ER_ENTITY_LIMIT]
    names = {e.name for e in entities}
    return {"kind": "er",
            "entities": [{"name": e.name, "fields": [{"name": f.name, "type": f.type, "key": f.key}
                                                     for f in e.fields[:25]]} for e in entities],
            "relations": [{"left": r.left, "right": r.right, "card": _CARDINALITY.get(r.cardinality, "||--o{"),
                           "label": r.label} for r in arch.relations if r.left in names and r.right in names]}


def service_diagram(arch: ArchitectureFacts) -> dict[str, Any]:
    """Services grouped by how they are deployed, with depends_on arrows."""
    kinds = sorted({s.kind.split(" ", 1)[0] for s in arch.services})
    titles = {"compose": "Docker Compose", "kubernetes": "Kubernetes", "procfile": "Procfile", "helm": "Helm"}
    nodes = []
    for s in arch.services[:40]:
        detail = s.image or (f"build {s.build}" if s.build else s.command or s.kind)
        nodes.append({"key": f"{s.kind}:{s.name}", "label": f"{s.name}: {detail}", "group": s.kind.split(" ", 1)[0],
                      "shape": "db" if s.image and any(t in s.image for t in ("postgres", "mysql", "mongo", "redis",
                                                                                  "mariadb")) else "box"})
    edges = [{"from": f"compose:{s.name}", "to": f"compose:{d}", "label": "depends on"}
             for s in arch.services if s.kind == "compose" for d in s.depends_on]
    return {"kind": "flowchart", "direction": "LR", "groups": {k: titles.get(k, k) for k in kinds}, "nodes": nodes,
            "edges": edges}


def ci_diagram(arch: ArchitectureFacts) -> dict[str, Any]:
    """Workflow triggers leading to workflows and their jobs."""
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    groups = {}
    for w in arch.workflows[:10]:
        groups[w.path] = w.name
        for trig in w.triggers:
            nodes.append({"key": f"on:{trig}", "label": f"on {trig}", "shape": "stadium"})
            edges.append({"from": f"on:{trig}", "to": f"{w.path}:{w.jobs[0].name}" if w.jobs else f"on:{trig}"})
        for job in w.jobs[:10]:
            purposes = ", ".join(job.purposes)
            nodes.append({"key": f"{w.path}:{job.name}", "label": f"{job.name} ({purposes})" if purposes else job.name,
                          "group": w.path})
    unique_nodes = list({n["key"]: n for n in nodes}.values())[:40]
    return {"kind": "flowchart", "direction": "LR", "groups": groups, "nodes": unique_nodes,
            "edges": [e for e in edges if e["from"] != e["to"]]}
