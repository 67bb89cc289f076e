# Gradle build scripts, Groovy (build.gradle) and Kotlin (build.gradle.kts) DSL, read with their tree-sitter
# grammars: configuration calls inside `dependencies { }` (`implementation 'g:a:v'`, `testImplementation("g:a")`,
# the `group:, name:, version:` map form, Kotlin's `kotlin("x")` shorthand) and plugin ids inside `plugins { }`.
from __future__ import annotations

from typing import Any

from autodevhub_docs.model.manifests import Dependency, Manifest
from autodevhub_docs.parsing.treesitter import Parsed, parse, walk

_CALLS = frozenset({"juxt_function_call", "method_invocation", "call_expression"})
_SCOPES = {
    "implementation": "runtime", "api": "runtime", "compile": "runtime", "runtimeOnly": "runtime",
    "runtime": "runtime", "compileOnly": "build", "annotationProcessor": "build", "kapt": "build", "ksp": "build",
    "developmentOnly": "dev", "testImplementation": "test", "testRuntimeOnly": "test", "testCompileOnly": "test",
    "testCompile": "test", "testAnnotationProcessor": "test", "androidTestImplementation": "test",
    "integrationTestImplementation": "test",
}


def _name(parsed: Parsed, call: Any) -> str:
    first = call.children[0] if call.children else None
    return parsed.text(first) if first is not None and first.type == "identifier" else ""


def _inside(parsed: Parsed, node: Any, block: str) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type in _CALLS and _name(parsed, parent) == block:
            return True
        parent = parent.parent
    return False


def _coordinate(parsed: Parsed, call: Any) -> str | None:
    """`group:artifact[:version]` of a configuration call's argument, in any of the DSL's forms."""
    args = next((c for c in call.children if c.type in ("argument_list", "value_arguments")), None)
    if args is None:
        return None
    items: dict[str, str] = {}
    for node in walk(args):
        if node.type == "map_item" and len(node.named_children) >= 2:
            key, value = parsed.text(node.named_children[0]), parsed.literal(node.named_children[-1])
            if value is not None:
                items[key] = value
        elif node.type in _CALLS and _name(parsed, node) == "kotlin":
            inner = next((parsed.literal(n) for n in walk(node) if parsed.literal(n)), None)
            return f"org.jetbrains.kotlin:kotlin-{inner}" if inner else None
        elif node.type in _CALLS and node is not call:
            return None  # project(":lib"), platform(...), files(...): not a published package
    if "name" in items:
        return ":".join(v for v in (items.get("group", ""), items["name"], items.get("version", "")) if v)
    return next((value for node in walk(args) if (value := parsed.literal(node)) and ":" in value), None)


def gradle(path: str, text: str) -> Manifest:
    """Read the dependencies and plugins of a Gradle build script."""
    parsed = parse("kotlin" if path.endswith(".kts") else "groovy", text)
    if parsed is None:
        return Manifest(path=path, ecosystem="maven", problem="too large to read")
    found = []
    for call in walk(parsed.root, _CALLS):
        name = _name(parsed, call)
        line = call.start_point[0] + 1
        if name in _SCOPES and _inside(parsed, call, "dependencies"):
            coordinate = _coordinate(parsed, call)
            if coordinate:
                parts = coordinate.split(":")
                found.append(Dependency(ecosystem="maven", name=":".join(parts[:2]),
                                        spec=parts[2] if len(parts) > 2 else "", scope=_SCOPES[name], path=path,
                                        line=line, group=name))
        elif name == "id" and _inside(parsed, call, "plugins"):
            plugin = next((parsed.literal(n) for n in walk(call) if parsed.literal(n)), None)
            if plugin:
                found.append(Dependency(ecosystem="gradle-plugin", name=plugin, spec="", scope="build", path=path,
                                        line=line, group="plugins"))
    return Manifest(path=path, ecosystem="maven", dependencies=tuple(found))
