# The import rules that keep the data flow one-directional (DESIGN.md).
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "autodevhub_docs"

# Stage of each module or package, in data-flow order; infrastructure (errors, log, settings, store) is stage 0.
STAGES = {
    "errors": 0, "log": 0, "settings": 0, "store": 0, "redact": 0, "slug": 0, "report": 0,
    "sources": 1, "model": 1, "parsing": 1,
    "collect": 2, "analysis": 2,
    "llm": 3,
    "generators": 4,
    "rendering": 5,
    "pipeline": 6, "changes": 6, "reuse": 6, "doctor": 6, "scaffold": 6, "summary": 6,
    "config": 7, "plugin": 8, "cli": 8, "__main__": 9, "__init__": 0,
}
ONLY = {"mkdocs": {"plugin", "config"}, "click": {"cli"}, "anthropic": {"llm.anthropic"}, "github": {"sources.github"}}


def _modules() -> list[tuple[str, ast.Module]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        found.append((name, ast.parse(path.read_text(encoding="utf-8"))))
    return found


def _imports(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _stage(module: str) -> int:
    top = module.split(".", maxsplit=1)[0]
    assert top in STAGES, f"add {top} to STAGES in tests/test_layers.py"
    return STAGES[top]


@pytest.mark.parametrize(("name", "tree"), _modules(), ids=lambda v: v if isinstance(v, str) else "")
def test_module_respects_layers(name: str, tree: ast.Module) -> None:
    imports = _imports(tree)
    for library, allowed in ONLY.items():
        users = {i for i in imports if i == library or i.startswith(library + ".")}
        if users:
            assert name in allowed, f"{name} imports {library}; only {sorted(allowed)} may"
    own = {i.removeprefix("autodevhub_docs.") for i in imports if i.startswith("autodevhub_docs.")}
    for target in own:
        if target.split(".")[0] in STAGES and target.split(".")[0] != name.split(".", maxsplit=1)[0]:
            assert _stage(target) <= _stage(name), f"{name} (stage {_stage(name)}) imports later stage {target}"


def test_layer_rules_catch_a_violation() -> None:
    tree = ast.parse("from autodevhub_docs.plugin import AutodevhubPlugin\nimport mkdocs\n")
    imports = _imports(tree)
    assert "autodevhub_docs.plugin" in imports and "mkdocs" in imports
    assert _stage("plugin") > _stage("sources")
