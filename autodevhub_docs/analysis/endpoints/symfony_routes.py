# Symfony endpoints: `#[Route]` attributes on controller classes (the prefix) and methods (`path`, `methods`),
# read with the tree-sitter PHP grammar, from the folders `config/routes.yaml` and `config/routes/*.yaml` import
# (with their `prefix`), and the routes those files declare themselves (`path` + `controller`). Older
# controllers write the same as docblock annotations (`@Route("/x", methods={"GET"})`). A route that names no
# methods answers every method, as Symfony documents.
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.endpoints import php_values as php
from autodevhub_docs.analysis.endpoints.paths import join, normalise_path
from autodevhub_docs.model import Endpoint, SourceRef
from autodevhub_docs.parsing.formats import load_yaml
from autodevhub_docs.parsing.treesitter import Parsed

ROUTES_YAML = "config/routes.yaml"
MAX_IMPORT_DEPTH = 8
_ANNOTATION = re.compile(r"@Route\(\s*(?:path\s*=\s*)?\"([^\"]*)\"(?P<rest>[^)]*)\)")
_ANNOTATION_METHODS = re.compile(r"methods\s*=\s*\{([^}]*)\}|methods\s*=\s*\"([^\"]*)\"")


@dataclass(frozen=True)
class _Import:
    """A folder (or file) of attribute controllers imported under a prefix."""

    path: str
    prefix: str


@dataclass(frozen=True)
class _Declared:
    """A route that a routing attribute or annotation declares."""

    paths: tuple[str, ...]
    methods: tuple[str, ...]
    line: int


def _methods(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return tuple(m.strip().upper() for item in items if isinstance(item, str) for m in item.split("|") if m.strip())


def _paths(value: Any) -> tuple[str, ...]:
    """A path, or the paths of a localized route (`['en' => '/about', 'nl' => '/over']`)."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, dict):
        return tuple(v for v in value.values() if isinstance(v, str))
    return ()


def _attributes(parsed: Parsed, node: Any) -> list[_Declared]:
    """The `#[Route(...)]` attributes on a class or method, and `@Route(...)` in the docblock before it."""
    found: list[_Declared] = []
    attributes = node.child_by_field_name("attributes")
    groups = [g for g in attributes.named_children if g.type == "attribute_group"] if attributes is not None else []
    for attribute in (a for group in groups for a in group.named_children if a.type == "attribute"):
        name = attribute.named_children[0] if attribute.named_children else None
        if name is None or parsed.text(name).lstrip("\\").rsplit("\\", 1)[-1] != "Route":
            continue
        args, named = php.arguments(parsed, attribute.child_by_field_name("parameters"))
        path = named.get("path", args[0] if args else "")
        found.append(_Declared(paths=_paths(path) or ("",), methods=_methods(named.get("methods")),
                               line=attribute.start_point[0] + 1))
    comment = node.prev_named_sibling
    if comment is not None and comment.type == "comment" and "@Route" in parsed.text(comment):
        text = parsed.text(comment)
        for match in _ANNOTATION.finditer(text):
            listed = _ANNOTATION_METHODS.search(match.group("rest"))
            methods = re.findall(r"\"(\w+)\"", listed.group(1)) if listed and listed.group(1) else (
                [listed.group(2)] if listed else [])
            line = comment.start_point[0] + 1 + text[:match.start()].count("\n")
            found.append(_Declared(paths=(match.group(1),), methods=_methods(methods), line=line))
    return found


class _Reader:
    def __init__(self, code: Codebase) -> None:
        self.code = code
        self.endpoints: list[Endpoint] = []
        self.problems: list[str] = []
        self.files_read: list[str] = []

    def routing_file(self, path: str, prefix: str, imports: list[_Import], depth: int = 0) -> None:
        """Routes and imports of one routing YAML file."""
        text = self.code.text(path)
        if text is None or depth > MAX_IMPORT_DEPTH:
            self.problems.append(f"{path}: {'unreadable' if text is None else 'imports nested too deep'}")
            return
        loaded = load_yaml(text)
        if loaded.problem or not isinstance(loaded.data, dict):
            self.problems.append(f"{path}: {loaded.problem or 'not a mapping of routes'}")
            return
        self.files_read.append(path)
        lines = text.split("\n")
        folder = posixpath.dirname(path)
        for name, entry in loaded.data.items():
            if not isinstance(entry, dict) or str(name).startswith("when@"):
                continue  # `when@dev:` routes exist only in one environment
            line = next((n for n, raw in enumerate(lines, 1) if raw.startswith(f"{name}:")), None)
            own = str(entry["prefix"]) if isinstance(entry.get("prefix"), str) else ""
            resource = entry.get("resource")
            target = resource.get("path") if isinstance(resource, dict) else resource
            if isinstance(target, str) and not target.startswith("@"):
                resolved = posixpath.normpath(posixpath.join(folder, target))
                if resolved.endswith((".yaml", ".yml")):
                    self.routing_file(resolved, join(prefix, own), imports, depth + 1)
                else:
                    imports.append(_Import(path=resolved, prefix=join(prefix, own)))
            elif "path" in entry:
                controller = entry.get("controller") or (entry.get("defaults") or {}).get("_controller", "")
                for route_path in _paths(entry["path"]):
                    for method in _methods(entry.get("methods")) or ("ANY",):
                        self.add(method, join(prefix, route_path), str(controller), path, line)

    def controllers(self, path: str, prefix: str) -> None:
        """The routes of the controller classes of one PHP file."""
        parsed = self.code.parse(path)
        if parsed is None:
            self.problems.append(f"{path}: unreadable or too large to parse")
            return
        for cls in (d for d in php.declarations(parsed) if d.type == "class_declaration"):
            name_node = cls.child_by_field_name("name")
            if name_node is None:
                continue
            class_name = parsed.text(name_node)
            bases = _attributes(parsed, cls) or [_Declared(paths=("",), methods=(), line=0)]
            methods = php.members(cls, "method_declaration")
            routed = False
            for method in methods:
                method_name = parsed.text(method.child_by_field_name("name"))
                for declared in _attributes(parsed, method):
                    routed = True
                    self._declared(bases, declared, f"{class_name}::{method_name}", path, prefix)
            invoke = any(parsed.text(m.child_by_field_name("name")) == "__invoke" for m in methods)
            if invoke and bases[0].line and not routed:  # the class's route is its __invoke method's
                for base in bases:
                    self._declared([_Declared(paths=("",), methods=(), line=base.line)], base,
                                   f"{class_name}::__invoke", path, prefix)
            if routed or invoke:
                self.files_read.append(path)

    def _declared(self, bases: list[_Declared], declared: _Declared, handler: str, path: str, prefix: str) -> None:
        for base in bases:
            for method in declared.methods or base.methods or ("ANY",):
                for head in base.paths:
                    for tail in declared.paths:
                        self.add(method, join(prefix, head, tail), handler, path, declared.line)

    def add(self, method: str, path: str, handler: str, source: str, line: int | None) -> None:
        self.endpoints.append(Endpoint(method=method, path=normalise_path(path), handler=handler,
                                       framework="Symfony", source=SourceRef(path=source, line=line)))


class SymfonyRoutes:
    """Symfony: routing attributes and annotations, and `config/routes.yaml`."""

    name = "Symfony"

    def run(self, code: Codebase) -> Found | None:
        """Read the routes of every Symfony application in the repository."""
        dependency = code.dependency("composer", ["symfony/framework-bundle", "symfony/http-kernel"])
        if dependency is None:
            return None
        reader = _Reader(code)
        imports: list[_Import] = []
        yaml_files = [p for p in code.source_files(".yaml", ".yml")
                      if p == ROUTES_YAML or p.endswith(f"/{ROUTES_YAML}") or "config/routes/" in f"/{p}"]
        for path in sorted(yaml_files):
            reader.routing_file(path, "", imports)
        php_files = code.source_files(".php")
        for path in php_files:
            chosen = [i for i in imports if path == i.path or path.startswith(i.path.rstrip("/") + "/")]
            if (not imports and path.startswith("src/")) or chosen:  # no import file: every controller counts
                for found in chosen or [_Import(path="src", prefix="")]:
                    reader.controllers(path, found.prefix)
        evidence = (Codebase.ref(dependency), *(SourceRef(path=p) for p in yaml_files[:3]))
        unique = {(e.method, e.path): e for e in reversed(reader.endpoints)}  # the first route declared wins
        return Found(framework="Symfony", evidence=evidence, files_read=tuple(dict.fromkeys(reader.files_read)),
                     endpoints=tuple(reversed(list(unique.values()))), problems=tuple(reader.problems))


ADAPTERS = (SymfonyRoutes(),)
