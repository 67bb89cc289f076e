# The internal import graph (Python from the AST summaries, JS/TS from import/require), aggregated to packages
# when the repository is large, and collapsed further for a diagram of at most ~40 nodes.
from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Mapping

from autodevhub_docs.analysis.javascript import resolve_relative
from autodevhub_docs.analysis.pyscan import PyFile
from autodevhub_docs.model import ImportEdge, ImportGraph

MODULE_LEVEL_LIMIT = 60
"""Above this many modules the graph is shown per package."""
DIAGRAM_NODES = 30
"""Most nodes a readable diagram shows."""


def python_edges(files: Mapping[str, PyFile]) -> tuple[Counter[tuple[str, str]], dict[str, tuple[str, int]]]:
    """Internal module-to-module imports, and the first import site of each external top-level name."""
    modules = {info.module for info in files.values()}
    edges: Counter[tuple[str, str]] = Counter()
    external: dict[str, tuple[str, int]] = {}
    for path in sorted(files):
        info = files[path]
        for name, line in info.imports:
            target = name
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target:
                if target != info.module:
                    edges[(info.module, target)] += 1
            else:
                external.setdefault(name.split(".", 1)[0], (path, line))
    return edges, external


def js_edges(imports: Mapping[str, list[tuple[str, int]]]) -> tuple[Counter[tuple[str, str]],
                                                                     dict[str, tuple[str, int]]]:
    """Internal file-to-file imports (relative specifiers) and the first site of each external package."""
    paths = set(imports)
    edges: Counter[tuple[str, str]] = Counter()
    external: dict[str, tuple[str, int]] = {}
    for path in sorted(imports):
        for spec, line in imports[path]:
            if spec.startswith("."):
                target = resolve_relative(path, spec, paths)
                if target and target != path:
                    edges[(_js_node(path), _js_node(target))] += 1
            else:
                parts = spec.split("/")
                package = "/".join(parts[:2]) if spec.startswith("@") else parts[0]
                external.setdefault(package, (path, line))
    return edges, external


def _js_node(path: str) -> str:
    stem, _ = posixpath.splitext(path)
    return stem[:-6] if stem.endswith("/index") else stem


def package_of(node: str) -> str:
    """Parent package of a module (`a.b.c` -> `a.b`; `web/src/app` -> `web/src`)."""
    sep = "/" if "/" in node else "."
    parent = node.rpartition(sep)[0]
    return parent or node


def collapse(node: str, depth: int) -> str:
    """Keep the first `depth` parts of a module or path name."""
    sep = "/" if "/" in node else "."
    return sep.join(node.split(sep)[:depth])


def aggregate(edges: Counter[tuple[str, str]], mapper: object) -> Counter[tuple[str, str]]:
    """Map both ends of every edge and sum the counts (self-edges dropped)."""
    assert callable(mapper)  # noqa: S101 - internal helper
    out: Counter[tuple[str, str]] = Counter()
    for (a, b), n in edges.items():
        x, y = mapper(a), mapper(b)
        if x != y:
            out[(x, y)] += n
    return out


def build(python: Counter[tuple[str, str]], js: Counter[tuple[str, str]], modules: set[str],
          packages: frozenset[str] = frozenset()) -> ImportGraph:
    """The graph at module level for small repositories, else at package level.

    Args:
        python: Python module edges.
        js: JS/TS file edges.
        modules: Every module.
        packages: Modules that are packages themselves (`__init__.py`, `index.js`): they stay their own package.
    """
    edges = python + js

    def package(module: str) -> str:
        return module if module in packages else package_of(module)

    if len(modules) > MODULE_LEVEL_LIMIT:
        nodes = {package(m) for m in modules}
        edges = aggregate(edges, package)
        level = "package"
    else:
        nodes = set(modules)
        level = "module"
    return ImportGraph(level=level, nodes=tuple(sorted(nodes)),
                       edges=tuple(ImportEdge(source=a, target=b, count=n) for (a, b), n in sorted(edges.items())),
                       modules=len(modules))


def readable(graph: ImportGraph, limit: int = DIAGRAM_NODES) -> tuple[list[str], list[ImportEdge], str]:
    """Nodes and edges of a diagram of at most `limit` nodes, and how the graph was reduced ('' when it was not).

    Nodes are collapsed to shorter package prefixes until they fit; if even the top level is too large, the
    most connected nodes are kept and the rest are merged into one `(other)` node.
    """
    nodes = list(graph.nodes)
    edges: Counter[tuple[str, str]] = Counter({(e.source, e.target): e.count for e in graph.edges})
    note = ""
    depth = max((len(n.replace("/", ".").split(".")) for n in nodes), default=1)
    while len(set(nodes)) > limit and depth > 1:
        depth -= 1
        nodes = sorted({collapse(n, depth) for n in nodes})
        edges = aggregate(edges, lambda n, d=depth: collapse(n, d))
        note = f"collapsed to the first {depth} name part{'s' if depth != 1 else ''}"
    nodes = sorted(set(nodes))
    if len(nodes) > limit:
        degree: Counter[str] = Counter()
        for (a, b), n in edges.items():
            degree[a] += n
            degree[b] += n
        keep = {n for n, _ in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[: limit - 1]}
        nodes = [*sorted(keep), "(other)"]
        edges = aggregate(edges, lambda n: n if n in keep else "(other)")
        note = f"the {limit - 1} most connected kept, the rest merged into (other)"
    return nodes, [ImportEdge(source=a, target=b, count=n) for (a, b), n in sorted(edges.items())], note
