# The import graph: internal edges only, package level for large repositories, and a diagram of at most 30 nodes.
from __future__ import annotations

from collections import Counter
from pathlib import Path

from autodevhub_docs.analysis import imports
from autodevhub_docs.model import ImportEdge, ImportGraph
from tests.fakes import arch_repos as fx


def test_python_and_js_edges_are_internal_only(tmp_path: Path) -> None:
    repo = fx.make(tmp_path / "shop", fx.FASTAPI_FILES)
    arch = fx.analysed(repo.root)[1]
    edges = {(e.source, e.target) for e in arch.import_graph.edges}
    assert ("app.main", "app.api.main") in edges
    assert ("app.api.main", "app.api.routes.admin") in edges  # relative import resolved
    assert ("frontend/src/main", "frontend/src/App") in edges
    assert not any(t.startswith(("fastapi", "sqlmodel", "react")) for _, t in edges)
    assert arch.import_graph.level == "module"


def test_large_repositories_are_aggregated_to_packages() -> None:
    modules = {f"pkg{p}.sub{s}.mod{m}" for p in range(4) for s in range(4) for m in range(5)}
    edges = Counter({(f"pkg{p}.sub{s}.mod0", f"pkg{(p + 1) % 4}.sub0.mod1"): 1 for p in range(4) for s in range(4)})
    graph = imports.build(edges, Counter(), modules)
    assert graph.level == "package" and graph.modules == 80
    assert len(graph.nodes) == 16
    assert ImportEdge(source="pkg0.sub1", target="pkg1.sub0", count=1) in graph.edges


def test_readable_diagram_collapses_then_merges_the_rest() -> None:
    nodes = tuple(f"a{i}.b{j}" for i in range(30) for j in range(3))
    edges = tuple(ImportEdge(source=f"a{i}.b0", target=f"a{(i + 1) % 30}.b1", count=1) for i in range(30))
    kept, kept_edges, note = imports.readable(ImportGraph(level="package", nodes=nodes, edges=edges))
    assert len(kept) == 30 and note.startswith("collapsed")
    assert len(kept_edges) == 30
    wide = tuple(f"top{i}" for i in range(100))
    star = tuple(ImportEdge(source=f"top{i}", target="top0", count=i) for i in range(1, 100))
    kept, kept_edges, note = imports.readable(ImportGraph(nodes=wide, edges=star))
    assert len(kept) == 30 and "(other)" in kept and "merged" in note
    assert all(e.source in kept and e.target in kept for e in kept_edges)


def test_typescript_esm_imports_resolve_to_ts_files(tmp_path: Path) -> None:
    repo = fx.make(tmp_path / "esm", {
        "src/index.ts": "import { a } from './lib/a.js';\nimport b from './lib';\nimport express from 'express';\n",
        "src/lib/a.ts": "export const a = 1;\n",
        "src/lib/index.ts": "export default 2;\n",
    })
    arch = fx.analysed(repo.root)[1]
    # an index file stands for its folder
    assert {(e.source, e.target) for e in arch.import_graph.edges} == {("src", "src/lib/a"), ("src", "src/lib")}
