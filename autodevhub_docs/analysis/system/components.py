# For a library or CLI with nothing deployable, the system model is its packages: the main package's sub-packages
# and modules from the import graph, drawn in the direction data flows (a package feeds the ones that import it),
# plus the command-line tools its code runs (`git`, found in `subprocess` calls).
from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Set
from typing import Any

from autodevhub_docs.analysis import catalog
from autodevhub_docs.analysis.catalog import Tech
from autodevhub_docs.analysis.codebase import is_application_code
from autodevhub_docs.model import Connection, Container, SourceRef

ReadText = Callable[[str], "str | None"]
CLI_TOOLS = {"git": "git", "docker": "Docker", "kubectl": "kubectl", "helm": "Helm", "terraform": "Terraform",
             "gh": "GitHub CLI", "node": "Node.js", "npm": "npm"}
"""Programs whose use by the code makes them an external system of a library or CLI."""
_RUNNERS = frozenset({"run", "Popen", "check_output", "check_call", "call"})


def package_of(module: str, root: str) -> str:
    """The drawn node of a module: its sub-package of the main package (`pkg.sub.x` -> `pkg.sub`), or itself."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 and parts[0] == root else module


def main_package(modules: Mapping[str, str]) -> str | None:
    """The top-level package holding the most application modules (module -> path)."""
    counts = Counter(m.split(".", 1)[0] for m, path in modules.items() if "." in m and is_application_code(path))
    return counts.most_common(1)[0][0] if counts else None


def component_model(module_paths: Mapping[str, str], imports: Mapping[str, list[tuple[str, int]]],
                    keep: Set[str] = frozenset()
                    ) -> tuple[dict[str, Container], list[Connection], list[str], dict[str, set[str]]]:
    """Packages of the main package and the imports between them, reduced to what a reader can follow.

    Root modules that only feed one other node are folded into it (`config` into `plugin`); shared utilities
    (modules that import nothing but other utilities and feed three or more nodes: `errors`, `log`) are listed, not
    drawn, unless they hold a file in `keep` (one that talks to an external system).

    Args:
        module_paths: Module name -> file path, for every Python module.
        imports: File path -> absolute dotted names it imports, with their line.
        keep: Files that must stay drawn.

    Returns:
        Containers by key, connections (from the imported node to the importer, the way data flows), the names left
        out as shared utilities, and the files of each drawn node.
    """
    root = main_package(module_paths)
    if root is None:
        return {}, [], [], {}
    ours = {m: p for m, p in module_paths.items() if m.split(".", 1)[0] == root and is_application_code(p)
            and not m.endswith("__main__") and m != root}
    node_of = {m: package_of(m, root) for m in ours}
    members: dict[str, set[str]] = {}
    for module, node in node_of.items():
        members.setdefault(node, set()).add(ours[module])
    edges = _edges(ours, node_of, imports)
    subpackages = {n for m, n in node_of.items() if m.count(".") >= 2}
    shared = _utilities(edges, set(members) - subpackages, members, keep)
    for name in shared:
        members.pop(name, None)
    _fold(edges, members, subpackages, keep)
    containers = {n: Container(key=n, name=" + ".join(_short(x, root) for x in n.split("+")),
                               kind="package", source=SourceRef(path=sorted(members[n])[0]))
                  for n in sorted(members)}
    connections = [Connection(source=a, target=b, protocol="import", via=f"{len(refs)} import"
                              f"{'s' if len(refs) != 1 else ''}", evidence=refs[0])
                   for (a, b), refs in sorted(edges.items()) if a in containers and b in containers and a != b]
    return containers, connections, [_short(n, root) for n in sorted(shared)], members


def _short(node: str, root: str) -> str:
    return node.removeprefix(f"{root}.")


def _edges(ours: Mapping[str, str], node_of: Mapping[str, str], imports: Mapping[str, list[tuple[str, int]]]
           ) -> dict[tuple[str, str], list[SourceRef]]:
    """(imported node, importing node) -> one reference per import statement."""
    edges: dict[tuple[str, str], list[SourceRef]] = {}
    for module, path in ours.items():
        source = node_of[module]
        for name, line in imports.get(path, []):
            target = next((node_of[m] for m in _candidates(name) if m in node_of), None)
            if target and target != source:
                edges.setdefault((target, source), []).append(SourceRef(path=path, line=line))
    return edges


def _utilities(edges: Mapping[tuple[str, str], list[SourceRef]], candidates: set[str],
               members: Mapping[str, set[str]], keep: Set[str]) -> set[str]:
    """Root modules that import only other utilities and feed three or more nodes."""
    shared: set[str] = set()
    changed = True
    while changed:
        changed = False
        for node in sorted(candidates - shared):
            feeds = {b for (a, b) in edges if a == node}
            needs = {a for (a, b) in edges if b == node}
            if len(feeds) >= 3 and needs <= shared and not members.get(node, set()) & keep:
                shared.add(node)
                changed = True
    return shared


def _fold(edges: dict[tuple[str, str], list[SourceRef]], members: dict[str, set[str]], subpackages: set[str],
          keep: Set[str]) -> None:
    """Fold every root module that feeds exactly one node into that node (repeatedly)."""
    changed = True
    while changed:
        changed = False
        for node in sorted(members):
            if node in subpackages:
                continue
            feeds = {b for (a, b) in edges if a == node and b in members}
            if len(feeds) != 1:
                continue
            into = next(iter(feeds))
            merged = f"{into}+{node}"
            members[merged] = members.pop(into) | members.pop(node)
            renamed: dict[tuple[str, str], list[SourceRef]] = {}
            for (a, b), refs in edges.items():
                a2 = merged if a in (into, node) else a
                b2 = merged if b in (into, node) else b
                if a2 != b2:
                    renamed.setdefault((a2, b2), []).extend(refs)
            edges.clear()
            edges.update(renamed)
            if into in subpackages:
                subpackages.add(merged)
            changed = True
            break


def _candidates(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


def _subpackages(ours: Mapping[str, str], root: str) -> set[str]:
    return {package_of(m, root) for m in ours if m.count(".") >= 2}


def _first(ours: Mapping[str, str], node: str) -> str:
    return next((p for m, p in sorted(ours.items()) if m == node or m.startswith(node + ".")), "")


def cli_tools(module_paths: Mapping[str, str], read_text: ReadText, binding: Collection[str]
              ) -> list[tuple[str, str, SourceRef]]:
    """(module, tool, where) for every known command-line tool application code runs through `subprocess`.

    Args:
        module_paths: Python module name -> file.
        read_text: Safe reader of the checkout.
        binding: The files that bind the name `subprocess` by an import (only they can call `subprocess.run`):
            the others are not read again.
    """
    found = []
    for module, path in sorted(module_paths.items()):
        text = read_text(path) if path in binding and is_application_code(path) else None
        if not text or "subprocess" not in text:
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError):
            continue
        for node in ast.walk(tree):
            program = _program(node)
            if program in CLI_TOOLS:
                found.append((module, CLI_TOOLS[program], SourceRef(path=path, line=getattr(node, "lineno", None))))
    return found


def _program(node: Any) -> str | None:
    """`git` for `subprocess.run(["git", ...])` (or a list built from `["git", ...]`)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _RUNNERS
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "subprocess" and node.args):
        return None
    first = node.args[0]
    if isinstance(first, ast.BinOp):
        first = first.left
    if isinstance(first, ast.List) and first.elts and isinstance(first.elts[0], ast.Constant):
        value = first.elts[0].value
        return value if isinstance(value, str) else None
    return None


def imported_services(module_paths: Mapping[str, str], imports: Mapping[str, list[tuple[str, int]]]
                      ) -> list[tuple[str, Tech, SourceRef]]:
    """(file, technology, where) for every import of an external API client or a data-store driver.

    Only application code counts: `import anthropic`, `from github import Github`, `import sqlite3`.
    """
    found = []
    for path in sorted(set(module_paths.values())):
        if not is_application_code(path):
            continue
        for name, line in imports.get(path, []):
            tech = catalog.technology_of_import(name.split(".", 1)[0])
            if tech is not None and tech.layer in ("ai", "database", "cache"):
                found.append((path, tech, SourceRef(path=path, line=line)))
    return found
