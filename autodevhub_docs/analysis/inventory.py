# The inventory every repository has (languages, top-level components, quality tooling), and the single pass over
# the code that every analysis shares: Python ASTs parsed once, JS/TS parsed once.
from __future__ import annotations

import ast
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from autodevhub_docs.analysis import (
    development,
    imports,
    javascript,
    pyscan,
    technologies,
)
from autodevhub_docs.analysis.adapters import Found, adapters, python_visitors
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.pyscan import PyFile
from autodevhub_docs.model import (
    Component,
    Endpoint,
    Entity,
    FileInfo,
    ImportEdge,
    ImportGraph,
    LanguageStat,
    Relation,
    RepoFacts,
)
from autodevhub_docs.sources.languages import PROSE_AND_DATA

if TYPE_CHECKING:  # the memo's module brings in decision mining, which the Python pass's child never runs
    from autodevhub_docs.analysis.memo import AnalysisMemo

ReadText = Callable[[str], "str | None"]
"""Reads a tracked file's text (None for binary, huge or unsafe files)."""

QUALITY_FILES = (
    "ruff.toml", ".ruff.toml", ".flake8", "mypy.ini", ".mypy.ini", ".pylintrc", "pylintrc", "tox.ini",
    ".pre-commit-config.yaml", ".eslintrc*", "eslint.config.*", ".prettierrc*", "prettier.config.*",
    "tsconfig.json", ".editorconfig", "biome.json", ".golangci.yml", ".golangci.yaml", "rustfmt.toml",
    "clippy.toml", ".rubocop.yml", "phpstan.neon", "pyrightconfig.json",
)
"""Lint, format and type-check configuration files (globs)."""
QUALITY_TOOL_KEYS = ("[tool.ruff", "[tool.mypy", "[tool.black", "[tool.pylint", "[tool.isort", "[tool.pyright")
"""pyproject.toml tables that configure a quality tool."""
_TEST_PARTS = frozenset({"tests", "test", "__tests__", "spec", "specs"})
_DOCS_PARTS = frozenset({"docs", "doc", "documentation", "site_src"})


def language_stats(files: tuple[FileInfo, ...]) -> tuple[LanguageStat, ...]:
    """Count files and lines per language, code first (largest first), then prose and data."""
    count: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    for info in files:
        if info.language and not info.binary:
            count[info.language] += 1
            lines[info.language] += info.lines
    stats = [LanguageStat(language=lang, files=count[lang], lines=lines[lang]) for lang in count]
    return tuple(sorted(stats, key=lambda s: (s.language in PROSE_AND_DATA, -s.lines, s.language)))


def _component_kind(name: str, paths: list[str], manifests: set[str]) -> str:
    lowered = name.lower()
    if lowered in _TEST_PARTS:
        return "tests"
    if lowered in _DOCS_PARTS:
        return "docs"
    if lowered in {".github", ".gitlab", ".circleci", "deploy", "deployment", "k8s", "helm", "infra", "ops",
                   "charts", "terraform"}:
        return "config"
    if any(p.rsplit("/", 1)[-1] in {"Dockerfile"} for p in paths) or any(m.startswith(name + "/") for m in manifests):
        return "service"
    if f"{name}/__init__.py" in paths or any(p.endswith("/__init__.py") for p in paths[:50]):
        return "package"
    return "folder"


def components(files: tuple[FileInfo, ...], manifests: set[str]) -> tuple[Component, ...]:
    """Group files by top-level folder; files at the root form one 'root files' component."""
    groups: dict[str, list[FileInfo]] = defaultdict(list)
    for info in files:
        top = info.path.split("/", 1)[0] if "/" in info.path else "."
        groups[top].append(info)
    result = []
    for name, items in groups.items():
        code_lines: Counter[str] = Counter()
        for info in items:
            if info.language and not info.binary:
                code_lines[info.language] += info.lines
        dominant = next((lang for lang, _ in code_lines.most_common() if lang not in PROSE_AND_DATA), None)
        dominant = dominant or (code_lines.most_common(1)[0][0] if code_lines else None)
        paths = [i.path for i in items]
        result.append(
            Component(
                name="root files" if name == "." else name,
                path=name,
                kind="folder" if name == "." else _component_kind(name, paths, manifests),
                files=len(items),
                lines=sum(i.lines for i in items if i.language),
                language=dominant,
            )
        )
    return tuple(sorted(result, key=lambda c: (c.path == ".", -c.lines, c.name)))


@dataclass
class CodePass:
    """What the single pass over the code found."""

    files: dict[str, PyFile]
    js: javascript.JsScan
    env: development.PythonEnv
    graph: ImportGraph
    module_edges: Counter[tuple[str, str]]
    module_paths: dict[str, str]
    defining_files: dict[str, str]
    py_external: dict[str, tuple[str, int]]
    js_external: dict[str, tuple[str, int]]
    endpoints: list[Endpoint]
    entities: list[Entity]
    relations: list[Relation]


ENV_KEY = "environment"
"""Key of the environment variables a Python file reads, in `PyFile.facts`."""


def _environment(info: PyFile, tree: ast.Module, text: str) -> None:
    """Keep the environment variables one file reads in its facts (so a stored summary carries them too)."""
    found = development.PythonEnv()
    found.visit(info, tree, text)
    if found.found:
        info.facts[ENV_KEY] = found.found


STRINGS_KEY = "connection_strings"
"""Key of the connection strings of a Python file `technologies.detect` searches, in `PyFile.facts`."""
_URL_FILES = ("settings.py", "config.py")
"""Python files searched for connection strings whatever they read (those that read the environment are too)."""


def _any_file(text: str) -> bool:
    del text
    return True


def _connection_strings(info: PyFile, tree: ast.Module, text: str) -> None:
    """Keep the connection strings of a file `detect` will search (after `_environment`, whose facts tell)."""
    del text
    if info.path.endswith(_URL_FILES) or ENV_KEY in info.facts:
        info.facts[STRINGS_KEY] = technologies.connection_strings(tree)


def python_pass(paths: Sequence[str], read_text: ReadText, known: Mapping[str, PyFile], *,
                then: pyscan.Visitor | None = None) -> pyscan.PyScan:
    """Every Python file read and parsed once, with every visitor of the analysis (see `code_pass`).

    The pipeline may make it before the analysis, while git produces the history (`AnalysisMemo.early`).

    Args:
        paths: Every tracked path.
        read_text: Safe reader of the checkout.
        known: Summaries stored for unchanged files (taken instead of parsing them).
        then: Called with each file parsed, once every visitor has filled in its summary.
    """
    adapter_visitors = python_visitors(adapters("endpoints") + adapters("datamodel"))
    last = [(_any_file, then)] if then is not None else []
    return pyscan.scan(paths, read_text, [*adapter_visitors, (development.PythonEnv.wants, _environment),
                                          (_any_file, _connection_strings), *last], known)


def code_pass(facts: RepoFacts, paths: list[str], read_text: ReadText, codebase: Codebase,
              memo: AnalysisMemo | None = None) -> CodePass:
    """The single pass over the code: Python ASTs shared by every analysis, JS/TS parsed once (in the codebase).

    Args:
        facts: What the sources found.
        paths: Every tracked path.
        read_text: Safe reader of the checkout.
        codebase: The code base the adapters read (it holds the JS/TS parses).
        memo: Python summaries stored for unchanged files (taken instead of parsing them); the files this build
            parses are added to it.
    """
    known = memo.python if memo is not None else {}
    early = memo.early if memo is not None else None
    js = javascript.scan(codebase)  # first: a Python pass made in a child process goes on meanwhile
    result = early.finish() if early is not None and early.paths == tuple(paths) else python_pass(paths, read_text,
                                                                                                 known)
    if memo is not None:
        parsed = {path: info for path, info in result.files.items() if known.get(path) is not info}
        memo.parsed_python.update(parsed)
        memo.reused_python = len(result.files) - len(parsed)
    py_env = development.PythonEnv()
    py_env.found = [var for info in result.files.values() for var in info.facts.get(ENV_KEY, ())]
    py_edges, py_external = imports.python_edges(result.files)
    js_edges, js_external = imports.js_edges(js.imports)
    modules = {info.module for info in result.files.values()} | {n for edge in js_edges for n in edge}
    modules |= {imports._js_node(p) for p in js.imports}
    module_paths = {info.module: path for path, info in result.files.items()}
    module_paths.update({imports._js_node(p): p for p in js.imports})
    defining = dict(module_paths)
    for module, path in module_paths.items():
        defining.setdefault(imports.package_of(module), path)
    return CodePass(files=result.files, js=js, env=py_env, graph=imports.build(
                     py_edges, js_edges, modules, frozenset(i.module for i in result.files.values() if i.is_package)
                     | frozenset(imports._js_node(p) for p in js.imports if "/index." in f"/{p}")),
                 module_edges=py_edges + js_edges, module_paths=module_paths, defining_files=defining,
                 py_external=py_external, js_external=js_external,
                 endpoints=[], entities=[], relations=[])


def merge_adapters(code: CodePass, endpoint_results: list[Found], model_results: list[Found]) -> None:
    """Add what the framework and ORM adapters found to the single pass's results."""
    for found in endpoint_results:
        code.endpoints.extend(found.endpoints)
    known = {e.name for e in code.entities}
    for found in model_results:
        code.entities.extend(e for e in found.entities if e.name not in known)
        known.update(e.name for e in found.entities)
        code.relations.extend(found.relations)
    # A schema script that repeats an ORM's tables (Flyway beside JPA entities) describes the same tables.
    owners = {e.table.lower(): e.name for e in code.entities if e.orm != "SQL"}
    repeated = {e.name: owners[e.table.lower()] for e in code.entities if e.orm == "SQL" and e.table.lower() in owners}
    if repeated:
        code.entities[:] = [e for e in code.entities if not (e.orm == "SQL" and e.name in repeated)]
        code.relations[:] = [replace(r, right=repeated.get(r.right, r.right)) for r in code.relations
                             if r.left not in repeated]


def component_edges(code: CodePass, comps: tuple[Component, ...]) -> tuple[ImportEdge, ...]:
    """Import dependencies between top-level components, counted."""
    names = {c.path for c in comps}

    def top(module: str) -> str:
        path = code.module_paths.get(module, "")
        first = path.split("/", 1)[0] if "/" in path else "."
        return first if first in names else "."

    counts: Counter[tuple[str, str]] = Counter()
    for (a, b), n in code.module_edges.items():
        x, y = top(a), top(b)
        if x != y:
            counts[(x, y)] += n
    return tuple(ImportEdge(source=a, target=b, count=n) for (a, b), n in sorted(counts.items()))
