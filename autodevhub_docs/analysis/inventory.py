# The inventory every repository has: languages, top-level components, manifests, tests, CI and quality tooling.
from __future__ import annotations

import fnmatch
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import PurePosixPath

from autodevhub_docs.model import ArchitectureFacts, Component, FileInfo, LanguageStat, RepoFacts
from autodevhub_docs.sources.languages import PROSE_AND_DATA

ReadText = Callable[[str], "str | None"]
"""Reads a tracked file's text (None for binary, huge or unsafe files)."""

MANIFEST_NAMES = frozenset({
    "pyproject.toml", "setup.py", "setup.cfg", "package.json", "go.mod", "Cargo.toml", "pom.xml",
    "build.gradle", "build.gradle.kts", "Gemfile", "composer.json", "Pipfile", "environment.yml",
})
_QUALITY = (
    "ruff.toml", ".ruff.toml", ".flake8", "mypy.ini", ".mypy.ini", ".pylintrc", "pylintrc", "tox.ini",
    ".pre-commit-config.yaml", ".eslintrc*", "eslint.config.*", ".prettierrc*", "prettier.config.*",
    "tsconfig.json", ".editorconfig", "biome.json", ".golangci.yml", ".golangci.yaml", "rustfmt.toml",
    "clippy.toml", ".rubocop.yml", "phpstan.neon", "pyrightconfig.json",
)
_QUALITY_TOOL_KEYS = ("[tool.ruff", "[tool.mypy", "[tool.black", "[tool.pylint", "[tool.isort", "[tool.pyright")
_TEST_PARTS = frozenset({"tests", "test", "__tests__", "spec", "specs"})
_DOCS_PARTS = frozenset({"docs", "doc", "documentation", "site_src"})


def is_test_file(path: str) -> bool:
    """Tell whether a path looks like a test by folder or file-name convention."""
    pure = PurePosixPath(path)
    name = pure.name
    if any(part in _TEST_PARTS for part in pure.parts[:-1]) and pure.suffix in {".py", ".js", ".ts", ".go", ".rb",
                                                                                  ".tsx", ".jsx", ".java", ".rs"}:
        return True
    return (
        fnmatch.fnmatch(name, "test_*.py") or fnmatch.fnmatch(name, "*_test.py") or fnmatch.fnmatch(name, "*_test.go")
        or any(fnmatch.fnmatch(name, f"*.{kind}.{ext}") for kind in ("test", "spec") for ext in ("js", "ts", "jsx",
                                                                                                  "tsx", "mjs"))
    )


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
                lines=sum(i.lines for i in items),
                language=dominant,
            )
        )
    return tuple(sorted(result, key=lambda c: (c.path == ".", -c.lines, c.name)))


def analyse(facts: RepoFacts, read_text: ReadText) -> ArchitectureFacts:
    """Build the architecture inventory of a repository.

    Args:
        facts: What the sources found.
        read_text: Reads a tracked file's text.

    Returns:
        Languages, components, manifests, tests, CI workflows, container files and quality configuration.
    """
    paths = [f.path for f in facts.files]
    manifests = {p for p in paths if PurePosixPath(p).name in MANIFEST_NAMES and "node_modules/" not in p}
    manifests |= {p for p in paths if fnmatch.fnmatch(PurePosixPath(p).name, "requirements*.txt")}
    quality = {p for p in paths if "/" not in p and any(fnmatch.fnmatch(p, pat) for pat in _QUALITY)}
    if "pyproject.toml" in paths:
        text = read_text("pyproject.toml") or ""
        if any(key in text for key in _QUALITY_TOOL_KEYS):
            quality.add("pyproject.toml")
    workflows = sorted(
        p for p in paths
        if (p.startswith(".github/workflows/") and p.endswith((".yml", ".yaml")))
        or p in (".gitlab-ci.yml", ".circleci/config.yml", "Jenkinsfile", "azure-pipelines.yml", ".travis.yml")
    )
    docker = sorted(
        p for p in paths
        if PurePosixPath(p).name.startswith("Dockerfile") or PurePosixPath(p).name.endswith(".dockerfile")
        or fnmatch.fnmatch(PurePosixPath(p).name, "*compose*.y*ml")
    )
    return ArchitectureFacts(
        languages=language_stats(facts.files),
        components=components(facts.files, manifests),
        manifests=tuple(sorted(manifests)),
        test_files=tuple(sorted(p for p in paths if is_test_file(p))),
        ci_workflows=tuple(workflows),
        docker_files=tuple(docker),
        quality_configs=tuple(sorted(quality)),
    )
