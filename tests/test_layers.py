# The import rules that keep the data flow one-directional (DESIGN.md).
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "autodevhub_docs"

# Stage of each module or package, in data-flow order; infrastructure (errors, log, settings, store) is stage 0.
STAGES = {
    "errors": 0, "log": 0, "settings": 0, "store": 0, "redact": 0, "slug": 0, "code_identity": 0,
    "sources": 1, "model": 1, "parsing": 1,
    "collect": 2, "analysis": 2,
    "llm": 3,
    "generators": 4,
    "rendering": 5,
    "pipeline": 6, "increments": 6, "pages": 6, "changes": 6, "reuse": 6, "report": 6, "doctor": 6, "scaffold": 6, "summary": 6,
    "engines": 6,
    "config": 7, "plugin": 8, "cli": 8, "__main__": 9, "__init__": 0,
}
ONLY = {"mkdocs": {"plugin", "config"}, "click": {"cli"}, "anthropic": {"llm.anthropic"},
        "github": {"sources.github_client"}}


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


def violations(name: str, tree: ast.Module) -> list[str]:
    """Every import rule a module breaks: a library only some modules may use, or a later stage of ours.

    Args:
        name: The module's dotted name inside the package (`sources.git`, `plugin`...).
        tree: Its parsed source.
    """
    found = []
    imports = _imports(tree)
    for library, allowed in ONLY.items():
        users = {i for i in imports if i == library or i.startswith(library + ".")}
        if users and name not in allowed:
            found.append(f"{name} imports {library}; only {sorted(allowed)} may")
    own = {i.removeprefix("autodevhub_docs.") for i in imports if i.startswith("autodevhub_docs.")}
    for target in sorted(own):
        if target.split(".")[0] in STAGES and target.split(".")[0] != name.split(".", maxsplit=1)[0]:
            if _stage(target) > _stage(name):
                found.append(f"{name} (stage {_stage(name)}) imports later stage {target}")
    return found


@pytest.mark.parametrize(("name", "tree"), _modules(), ids=lambda v: v if isinstance(v, str) else "")
def test_module_respects_layers(name: str, tree: ast.Module) -> None:
    assert violations(name, tree) == []


@pytest.mark.parametrize(("name", "source", "expected"), [
    ("sources.git", "from autodevhub_docs.plugin import AutodevhubPlugin\n",
     ["sources.git (stage 1) imports later stage plugin",
      "sources.git (stage 1) imports later stage plugin.AutodevhubPlugin"]),
    ("analysis.inventory", "from autodevhub_docs import pipeline\n",  # `from package import module`
     ["analysis.inventory (stage 2) imports later stage pipeline"]),
    ("store", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from autodevhub_docs.llm.cache import X\n",
     ["store (stage 0) imports later stage llm.cache", "store (stage 0) imports later stage llm.cache.X"]),
    ("generators.adrs", "import mkdocs.plugins\n", ["generators.adrs imports mkdocs; only ['config', 'plugin'] may"]),
    ("sources.github", "from github import Github\n",
     ["sources.github imports github; only ['sources.github_client'] may"]),
    ("llm.batches", "def later():\n    import anthropic\n", ["llm.batches imports anthropic; only ['llm.anthropic'] may"]),
    ("plugin", "import mkdocs\nfrom autodevhub_docs.sources.git import read_repository\n", []),
])
def test_the_checker_catches_a_bad_module(name: str, source: str, expected: list[str]) -> None:
    assert violations(name, ast.parse(source)) == expected
