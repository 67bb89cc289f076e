# go.mod (read by its line grammar: directives, `( ... )` blocks, `// indirect` comments) and Cargo.toml (tomllib).
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from autodevhub_docs.model.manifests import Dependency, Manifest
from autodevhub_docs.parsing.formats import load_toml
from autodevhub_docs.sources.manifests.lines import LineFinder


def go_mod(path: str, text: str) -> Manifest:
    """Read the `require` directives of a go.mod; `// indirect` requirements get the `indirect` scope."""
    found: list[Dependency] = []
    module = ""
    block = ""
    for number, raw in enumerate(text.split("\n"), start=1):
        code, _, comment = raw.partition("//")
        words = code.split()
        if block:
            if words[:1] == [")"]:
                block = ""
                continue
            directive = block
        else:
            if not words:
                continue
            directive, words = words[0], words[1:]
            if words[:1] == ["("]:
                block = directive
                continue
        if directive == "module" and words:
            module = words[0].strip('"')
        if directive == "require" and len(words) >= 2:
            indirect = "indirect" in comment.split()
            found.append(Dependency(ecosystem="go", name=words[0].strip('"'), spec=words[1],
                                    scope="indirect" if indirect else "runtime", path=path, line=number))
    return Manifest(path=path, ecosystem="go", name=module, dependencies=tuple(found))


def _tables(data: Mapping[str, Any]) -> list[tuple[str, str, Mapping[str, Any]]]:
    tables: list[tuple[str, str, Mapping[str, Any]]] = []
    for key, scope in (("dependencies", "runtime"), ("dev-dependencies", "dev"), ("build-dependencies", "build")):
        table = data.get(key)
        if isinstance(table, Mapping):
            tables.append((key, scope, table))
    return tables


def cargo_toml(path: str, text: str) -> Manifest:
    """Read `[dependencies]`, `[dev-dependencies]`, `[build-dependencies]`, per-target and workspace tables."""
    loaded = load_toml(text)
    if loaded.problem or not isinstance(loaded.data, Mapping):
        return Manifest(path=path, ecosystem="cargo", problem=loaded.problem or "not a TOML table")
    data = loaded.data
    finder = LineFinder(text)
    sources = [("", data)]
    targets = data.get("target")
    if isinstance(targets, Mapping):
        sources += [(f"target.{name}.", table) for name, table in targets.items() if isinstance(table, Mapping)]
    workspace = data.get("workspace")
    if isinstance(workspace, Mapping):
        sources.append(("workspace.", workspace))
    found = []
    for prefix, table in sources:
        for key, scope, deps in _tables(table):
            start = finder.header(f"[{prefix}{key}]")
            for name, spec in deps.items():
                version = spec if isinstance(spec, str) else (spec.get("version", "") if isinstance(spec, Mapping)
                                                              else "")
                found.append(Dependency(ecosystem="cargo", name=str(name), spec=str(version), scope=scope, path=path,
                                        line=finder.line_of(str(name), start), group=key))
    package_table = data.get("package")
    package: Mapping[str, Any] = package_table if isinstance(package_table, Mapping) else {}
    members = workspace.get("members") if isinstance(workspace, Mapping) else None
    return Manifest(path=path, ecosystem="cargo", name=str(package.get("name") or ""),
                    description=str(package.get("description") or ""), dependencies=tuple(found),
                    workspaces=tuple(str(m) for m in members if isinstance(m, str)) if isinstance(members, list)
                    else ())
