# Architectural principles the repository demonstrably follows. Each one is stated only when the facts show it,
# and carries the files that show it; nothing here is a guess about intent.
from __future__ import annotations

from collections import Counter

from autodevhub_docs.model import ArchitectureFacts, ImportGraph, Principle, SourceRef


def _refs(paths: list[str], limit: int = 5) -> tuple[SourceRef, ...]:
    return tuple(SourceRef(path=p) for p in list(dict.fromkeys(paths))[:limit])


def _count(n: int, noun: str) -> str:
    return "" if not n else f"{n} {noun}{'s' if n != 1 else ''}"


def has_cycle(graph: ImportGraph) -> bool:
    """True when the (internal) import graph has a cycle."""
    adjacency: dict[str, list[str]] = {}
    for edge in graph.edges:
        adjacency.setdefault(edge.source, []).append(edge.target)
    state: dict[str, int] = {}
    for start in adjacency:
        if state.get(start):
            continue
        stack = [(start, iter(adjacency.get(start, [])))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                return True
            elif not state.get(child):
                state[child] = 1
                stack.append((child, iter(adjacency.get(child, []))))
    return False


def derive(arch: ArchitectureFacts, package_inits: dict[str, str]) -> tuple[Principle, ...]:
    """Principles supported by the facts, strongest evidence first.

    Args:
        arch: The analysed facts.
        package_inits: Module or package name -> the file that defines it, to cite them.
    """
    found: list[Principle] = []
    if arch.endpoints:
        files = Counter(e.source.path for e in arch.endpoints)
        if len(files) > 1:
            found.append(Principle(
                name="Routes grouped by module",
                evidence=f"The {len(arch.endpoints)} HTTP endpoints are declared in {len(files)} separate modules "
                "and composed with router prefixes.",
                sources=_refs([p for p, _ in files.most_common()])))
    if arch.entities:
        orms = sorted({e.orm for e in arch.entities})
        found.append(Principle(
            name="Declared data model",
            evidence=f"{len(arch.entities)} entities are declared in code ({', '.join(orms)}) rather than only in "
            "the database.",
            sources=_refs([e.source.path for e in arch.entities])))
    if arch.migrations:
        total = sum(m.count for m in arch.migrations)
        found.append(Principle(
            name="Versioned schema migrations",
            evidence=f"{total} migration file{'s' if total != 1 else ''} "
            f"({', '.join(sorted({m.tool for m in arch.migrations}))}) record how the schema evolves.",
            sources=_refs([m.path for m in arch.migrations])))
    settings = [v for v in arch.env_vars if v.origin in {"settings-class", "env-example"}]
    if settings:
        found.append(Principle(
            name="Configuration from the environment",
            evidence=f"{len(settings)} settings are read from environment variables"
            + (" through a settings class" if any(v.origin == "settings-class" for v in settings) else "") + ".",
            sources=_refs([v.source.path for v in settings])))
    container_files = [c.path for c in arch.containers] + [f for s in arch.services if s.kind == "compose"
                                                           for f in s.files]
    if container_files:
        compose = [s for s in arch.services if s.kind == "compose"]
        found.append(Principle(
            name="Containerised deployment",
            evidence=f"{len(arch.containers)} Dockerfile{'s' if len(arch.containers) != 1 else ''}"
            + (f" and {len(compose)} compose service{'s' if len(compose) != 1 else ''}" if compose else "")
            + " define how the system runs.",
            sources=_refs(container_files)))
    if arch.k8s_manifests or arch.helm_charts:
        found.append(Principle(
            name="Infrastructure as code",
            evidence="The cluster deployment is written down as code: " + " and ".join(part for part in (
                _count(len(arch.k8s_manifests), "Kubernetes manifest"), _count(len(arch.helm_charts), "Helm chart"))
                if part) + ".",
            sources=_refs(list(arch.k8s_manifests) + [h.path for h in arch.helm_charts])))
    tested = [w for w in arch.workflows if any("test" in j.purposes for j in w.jobs)]
    if arch.test_files and tested:
        found.append(Principle(
            name="Automated tests in CI",
            evidence=f"CI runs the tests ({_count(len(arch.test_files), 'test file')}) in the workflow"
            f"{'s' if len(tested) != 1 else ''} {', '.join(w.name for w in tested[:3])}.",
            sources=_refs([w.path for w in tested] + list(arch.test_files[:2]))))
    checks = [w for w in arch.workflows if any(p in {"lint", "type-check"} for j in w.jobs for p in j.purposes)]
    if arch.quality_configs and checks:
        found.append(Principle(
            name="Static quality gates",
            evidence="Lint and type-check configuration is enforced by CI.",
            sources=_refs(list(arch.quality_configs) + [w.path for w in checks])))
    graph = arch.import_graph
    if len(graph.nodes) >= 3 and graph.edges and not has_cycle(graph):
        degree: Counter[str] = Counter()
        for edge in graph.edges:
            degree[edge.source] += edge.count
            degree[edge.target] += edge.count
        cited = [package_inits[n] for n, _ in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))
                 if n in package_inits]
        if cited:
            found.append(Principle(
                name=f"Acyclic {graph.level} dependencies",
                evidence=f"The {len(graph.nodes)} {graph.level}s of the import graph import each other without "
                "cycles (the most connected are cited).",
                sources=_refs(cited)))
    return tuple(found)
