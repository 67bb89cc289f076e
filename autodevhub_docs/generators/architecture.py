# The architecture section: System Architecture index plus four sub-pages, from static analysis.
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from autodevhub_docs.generators.activity import activity
from autodevhub_docs.generators.base import Document, GenContext, degraded_notes
from autodevhub_docs.generators.intros import (
    api_intro,
    deployment_intro,
    index_intro,
    overview_intro,
    project_summary,
    schema_intro,
)
from autodevhub_docs.generators.schema_view import ER_LIMIT as ER_ENTITY_LIMIT
from autodevhub_docs.generators.schema_view import schema_view
from autodevhub_docs.generators.system_view import connection_rows, container_rows, flow_sentences, system_diagram
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
FLOWS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "properties": {"sentences": {"type": "array", "items": {"type": "object", "properties": {
        "text": {"type": "string"}, "refs": {"type": "array", "items": {"type": "string"}}},
        "required": ["text", "refs"]}}},
    "required": ["sentences"],
}


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
        summary = project_summary(ctx.analysis.manifests, facts.readme, facts.name)
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
            ),
            *self._flows_request(arch),
        ]

    @staticmethod
    def _flows_request(arch: ArchitectureFacts) -> list[ProseRequest]:
        """Ask for the narrative of the main flows: every sentence must cite connection ids from the data."""
        if arch.system.level == "none":
            return []
        ids = {f"c{i}": c for i, c in enumerate(arch.system.connections, start=1)}
        names = {c.key: c.name for c in arch.system.containers}
        data = {"level": arch.system.level,
                "containers": [{"name": c.name, "kind": c.kind, "technology": c.technology, "external": c.external}
                               for c in arch.system.containers],
                "connections": [{"id": i, "from": names[c.source], "to": names[c.target], "protocol": c.protocol,
                                 "via": c.via, "file": c.evidence.path} for i, c in ids.items()]}
        reverse = {id(c): i for i, c in ids.items()}
        fallback = [{"text": s["text"], "refs": [reverse[id(c)] for c in s["refs"]]}
                    for s in flow_sentences(arch.system)]
        return [ProseRequest(
            key="architecture/index.md#flows", section="architecture", prompt="architecture_flows", prompt_version=1,
            instructions="Describe how a request or a run travels through the system and what each data store "
            "holds, in 3 to 8 short sentences. Every sentence cites in `refs` the ids of the connections it rests "
            "on; say nothing the connections do not show.",
            data=data, schema=FLOWS_SCHEMA, fallback={"sentences": fallback}, known_refs=frozenset(ids))]

    def build(self, ctx: GenContext, prose: Mapping[str, ProseResult]) -> list[Document]:
        """Build the five architecture pages."""
        facts, arch = ctx.facts, ctx.arch
        overview = prose["architecture/index.md#overview"]
        flows_result = prose.get("architecture/index.md#flows")
        flows = _flows(flows_result, arch)
        base: dict[str, Any] = {"arch": arch, "facts": facts}
        layers = [{"key": key, "title": title, "technologies": [t for t in arch.technologies if t.layer == key]}
                  for key, title in LAYERS]
        layers = [layer for layer in layers if layer["technologies"]]
        index_ctx = {**base, "overview": overview.data, "overview_origin": overview.origin, "layers": layers,
                     "quality_tech": [t for t in arch.technologies if t.layer in QUALITY_LAYERS],
                     "test_jobs": sum(1 for w in arch.workflows for j in w.jobs if "test" in j.purposes),
                     "sections": tuple(ctx.settings.sections),
                     "high_level_diagram": system_diagram(arch.system) or high_level_diagram(arch),
                     "system": arch.system, "containers": container_rows(arch.system),
                     "connections": connection_rows(arch.system), "flows": flows, "intro": index_intro(arch),
                     "component_diagram": component_diagram(arch),
                     "activity": activity(facts.commits, facts.contributors, facts.tags)}
        nodes, edges, note = list(arch.import_view.nodes), list(arch.import_view.edges), arch.import_view_note
        overview_ctx = {**base, "component_diagram": component_diagram(arch), "intro": overview_intro(arch),
                        "runtime": [r for r in connection_rows(arch.system) if arch.system.level == "containers"],
                        "runtime_diagram": system_diagram(arch.system) if arch.system.level == "containers" else None,
                        "import_diagram": import_diagram(nodes, edges) if edges else None, "import_note": note,
                        "import_nodes": len(nodes), "edge_limit": EDGE_TABLE_LIMIT}
        api_ctx = {**base, "intro": api_intro(arch), "endpoint_groups": _endpoint_groups(arch),
                   "empty_reports": [r for r in arch.framework_reports if r.kind == "endpoints" and not r.found],
                   "frameworks": sorted({e.framework for e in arch.endpoints}),
                   "unresolved": any(_UNRESOLVED.search(e.path) for e in arch.endpoints),
                   "request_diagram": request_diagram(arch) if arch.endpoints else None}
        db_ctx = {**base, "intro": schema_intro(arch), "schema": schema_view(arch.entities, arch.relations),
                  "empty_reports": [r for r in arch.framework_reports if r.kind == "entities" and not r.found],
                  "entity_limit": ER_ENTITY_LIMIT}
        deploy_ctx = {**base, "intro": deployment_intro(arch, arch.system),
                      "service_diagram": service_diagram(arch) if arch.services else None,
                      "ci_diagram": ci_diagram(arch) if arch.workflows else None}
        pages = [
            ("architecture/index.md", "System Architecture", "architecture/index.md.jinja", index_ctx,
             degraded_notes([overview, *([flows_result] if flows_result else [])])),
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


def _endpoint_groups(arch: ArchitectureFacts) -> list[tuple[str, list[Any]]]:
    """Endpoints by the first part of their path (`/api`), for pages with too many to list in one table."""
    groups: dict[str, list[Any]] = {}
    for endpoint in arch.endpoints:
        groups.setdefault("/" + endpoint.path.strip("/").split("/", 1)[0], []).append(endpoint)
    return sorted(groups.items())


def _flows(result: ProseResult | None, arch: ArchitectureFacts) -> list[dict[str, Any]]:
    """The flow sentences to show, each with the connections it cites (a model sentence citing none is dropped)."""
    if result is None:
        return []
    ids = {f"c{i}": c for i, c in enumerate(arch.system.connections, start=1)}
    sentences = []
    for item in result.data.get("sentences") or []:
        if not isinstance(item, Mapping):
            continue
        refs = [ids[r] for r in item.get("refs") or [] if isinstance(r, str) and r in ids]
        if refs or (result.origin in ("offline", "fallback") and item.get("text")):
            sentences.append({"text": str(item.get("text", "")), "refs": refs})
    return sentences


EDGE_TABLE_LIMIT = 400
"""Rows of the import table; larger graphs link to the aggregated view instead of listing every edge."""
MAX_DIAGRAM_NODES = 30
"""Most nodes any diagram draws; the rest are grouped or listed in the tables beside it."""
_LAYER_TITLES = {"service": "Services", "package": "Packages", "folder": "Other code", "config": "Configuration and CI",
                 "docs": "Documentation", "tests": "Tests"}
_LAYER_STYLES = {"frontend": "fill:#e1f5fe", "backend": "fill:#e8f5e8", "database": "fill:#fce4ec",
                 "cache": "fill:#fce4ec", "ai": "fill:#fff3e0", "deployment": "fill:#f3e5f5"}
"""Colours per layer, as in the System Architecture page this project started from."""
_LAYER_SHAPES = {"database": "db", "cache": "db", "ai": "cloud", "frontend": "round"}


def component_diagram(arch: ArchitectureFacts) -> dict[str, Any]:
    """A flowchart spec of the top-level components grouped by kind (at most 30 nodes), with import edges."""
    kinds = [k for k in _LAYER_TITLES if any(c.kind == k for c in arch.components[:MAX_DIAGRAM_NODES])]
    nodes = [
        {"key": c.path, "label": f"{c.name} ({c.language})" if c.language else c.name, "group": c.kind}
        for c in arch.components[:MAX_DIAGRAM_NODES]
    ]
    drawn = {n["key"] for n in nodes}
    edges = [{"from": e.source, "to": e.target, "label": f"{e.count} import{'s' if e.count != 1 else ''}"}
             for e in arch.component_edges if e.source in drawn and e.target in drawn]
    return {"kind": "flowchart", "direction": "TB", "groups": {k: _LAYER_TITLES[k] for k in kinds},
            "nodes": nodes, "edges": edges}


def high_level_diagram(arch: ArchitectureFacts) -> dict[str, Any] | None:
    """Technologies in subgraphs by layer; dotted arrows join adjacent layers that both exist."""
    groups = {key: title for key, title in LAYERS if any(t.layer == key for t in arch.technologies)}
    if not groups:
        return None
    nodes = [{"key": t.name, "label": t.name, "group": t.layer, "shape": _LAYER_SHAPES.get(t.layer, "box"),
              "class": t.layer} for t in arch.technologies if t.layer in groups][:MAX_DIAGRAM_NODES]
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


def service_diagram(arch: ArchitectureFacts) -> dict[str, Any]:
    """Services grouped by how they are deployed, with depends_on arrows."""
    kinds = sorted({s.kind.split(" ", 1)[0] for s in arch.services})
    titles = {"compose": "Docker Compose", "kubernetes": "Kubernetes", "procfile": "Procfile", "helm": "Helm"}
    nodes = []
    for s in arch.services[:MAX_DIAGRAM_NODES]:
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
    unique_nodes = list({n["key"]: n for n in nodes}.values())[:MAX_DIAGRAM_NODES]
    return {"kind": "flowchart", "direction": "LR", "groups": groups, "nodes": unique_nodes,
            "edges": [e for e in edges if e["from"] != e["to"]]}
