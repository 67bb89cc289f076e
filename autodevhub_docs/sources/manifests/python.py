# Python manifests: pyproject.toml (PEP 621, PEP 735 dependency groups, Poetry groups, uv, PDM, Hatch environments,
# build-system), requirements files, setup.cfg, setup.py and Pipfile. Requirement strings are read with
# `packaging.requirements`, TOML with tomllib, setup.py with `ast`: no regular expressions.
from __future__ import annotations

import ast
import configparser
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from autodevhub_docs.model.manifests import Dependency, Manifest
from autodevhub_docs.parsing.formats import load_toml
from autodevhub_docs.sources.manifests.lines import LineFinder

ECOSYSTEM = "pypi"
_TEST_WORDS = ("test", "tests", "testing", "pytest", "coverage", "cov")
_DEV_WORDS = ("dev", "develop", "development", "lint", "linting", "typing", "types", "mypy", "docs", "doc", "style",
              "format", "quality", "check", "pre-commit", "release")


def scope_of_group(group: str, default: str = "dev") -> str:
    """The scope a named group, extra or environment gives its dependencies (`tests` -> test, `lint` -> dev)."""
    words = group.lower().replace("_", "-").split("-")
    if any(word in _TEST_WORDS for word in words):
        return "test"
    if any(word in _DEV_WORDS for word in words):
        return "dev"
    return default


@lru_cache(maxsize=8192)
def requirement(text: str) -> tuple[str, str] | None:
    """Name and version spec of one PEP 508 requirement string, or None when it is not one.

    Cached: a manifest's history repeats the same lines from version to version (one line changes per bump), and
    `packaging` parses each string in Python, which is most of the cost of reading a manifest version.
    """
    try:
        parsed = Requirement(text.strip())
    except InvalidRequirement:
        return None
    return canonicalize_name(parsed.name), str(parsed.specifier)


class _Collector:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.finder = LineFinder(text)
        self.found: list[Dependency] = []

    def add(self, raw: str, scope: str, group: str, start: int) -> None:
        parsed = requirement(raw) if isinstance(raw, str) else None
        if parsed is None:
            return
        name, spec = parsed
        line = self.finder.line_of(raw.strip()[:40], start)
        self.found.append(Dependency(ecosystem=ECOSYSTEM, name=name, spec=spec, scope=scope, path=self.path,
                                     line=line, group=group))

    def add_named(self, name: str, spec: Any, scope: str, group: str, start: int) -> None:
        """A `name = "spec"` / `name = {version = ...}` entry (Poetry, Pipfile)."""
        if not isinstance(name, str) or name.lower() == "python":
            return
        version = spec if isinstance(spec, str) else (spec.get("version", "") if isinstance(spec, Mapping) else "")
        line = self.finder.line_of(name, start)
        self.found.append(Dependency(ecosystem=ECOSYSTEM, name=canonicalize_name(name), spec=str(version or ""),
                                     scope=scope, path=self.path, line=line, group=group))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, str))


def _table(data: Any, *keys: str) -> Mapping[str, Any]:
    for key in keys:
        data = data.get(key) if isinstance(data, Mapping) else None
    return data if isinstance(data, Mapping) else {}


def pyproject(path: str, text: str) -> Manifest:  # noqa: PLR0912 - one branch per dependency table
    """Read every dependency list of a pyproject.toml."""
    loaded = load_toml(text)
    if loaded.problem:
        return Manifest(path=path, ecosystem=ECOSYSTEM, problem=loaded.problem)
    data = loaded.data
    out = _Collector(path, text)
    project = _table(data, "project")
    start = out.finder.header("[project]")
    for raw in _strings(project.get("dependencies")):
        out.add(raw, "runtime", "", start)
    for extra, items in _table(project, "optional-dependencies").items():
        for raw in _strings(items):
            out.add(raw, scope_of_group(extra, "runtime"), extra, out.finder.header("[project.optional-dependencies]"))
    for group, items in _table(data, "dependency-groups").items():
        for raw in _strings(items):  # `{include-group = ...}` entries name other groups, not packages
            out.add(raw, scope_of_group(group), group, out.finder.header("[dependency-groups]"))
    poetry = _table(data, "tool", "poetry")
    for name, spec in _table(poetry, "dependencies").items():
        out.add_named(name, spec, "runtime", "", out.finder.header("[tool.poetry.dependencies]"))
    for name, spec in _table(poetry, "dev-dependencies").items():
        out.add_named(name, spec, "dev", "dev", out.finder.header("[tool.poetry.dev-dependencies]"))
    for group, table in _table(poetry, "group").items():
        header = out.finder.header(f"[tool.poetry.group.{group}.dependencies]")
        for name, spec in _table(table, "dependencies").items():
            out.add_named(name, spec, scope_of_group(group), group, header)
    for raw in _strings(_table(data, "tool", "uv").get("dev-dependencies")):
        out.add(raw, "dev", "dev", out.finder.header("[tool.uv]"))
    for group, items in _table(data, "tool", "pdm", "dev-dependencies").items():
        for raw in _strings(items):
            out.add(raw, scope_of_group(group), group, out.finder.header("[tool.pdm.dev-dependencies]"))
    for env, table in _table(data, "tool", "hatch", "envs").items():
        header = out.finder.header(f"[tool.hatch.envs.{env}]")
        for key in ("dependencies", "extra-dependencies"):
            for raw in _strings(_table(table).get(key) if isinstance(table, Mapping) else None):
                out.add(raw, scope_of_group(env, "dev"), env, header)
    for raw in _strings(_table(data, "build-system").get("requires")):
        out.add(raw, "build", "build-system", out.finder.header("[build-system]"))
    name = project.get("name") or poetry.get("name") or ""
    description = project.get("description") or poetry.get("description") or ""
    return Manifest(path=path, ecosystem=ECOSYSTEM, name=str(name), description=str(description),
                    dependencies=tuple(out.found))


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    r"""Requirement-file lines with `\` continuations joined and comments removed, with their first line number."""
    pending, first = "", 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.split(" #", 1)[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not pending:
            first = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        yield first, (pending + line).strip()
        pending = ""
    if pending:
        yield first, pending.strip()


@lru_cache(maxsize=1024)
def _requirements_scope(path: str) -> str:
    """The scope a requirements file's name gives its lines (`requirements-dev.txt` -> dev)."""
    pure = PurePosixPath(path)
    name = pure.stem.lower()
    if pure.parent.name == "requirements":
        return scope_of_group(name, "runtime")
    return scope_of_group(name.removeprefix("requirements").strip("-_.") or "runtime", "runtime")


def requirements_txt(path: str, text: str) -> Manifest:
    """Read a pip requirements file (options, includes and URLs are skipped; `-e ...#egg=name` is read)."""
    scope = _requirements_scope(path)
    found = []
    for number, logical in _logical_lines(text):
        line = logical
        if not line:
            continue
        if line.startswith(("-e ", "--editable ")) and "#egg=" in line:
            line = line.rsplit("#egg=", 1)[1]
        elif line.startswith("-") or ("://" in line.split(";", 1)[0] and " @ " not in line):
            continue
        parsed = requirement(line.split(" --", 1)[0])
        if parsed:
            found.append(Dependency(ecosystem=ECOSYSTEM, name=parsed[0], spec=parsed[1], scope=scope, path=path,
                                    line=number))
    return Manifest(path=path, ecosystem=ECOSYSTEM, dependencies=tuple(found))


def setup_cfg(path: str, text: str) -> Manifest:
    """Read `install_requires` and `extras_require` of a setup.cfg."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error as error:
        return Manifest(path=path, ecosystem=ECOSYSTEM, problem=f"not a valid setup.cfg ({type(error).__name__})")
    out = _Collector(path, text)
    if parser.has_option("options", "install_requires"):
        for raw in parser.get("options", "install_requires").split("\n"):
            out.add(raw, "runtime", "", out.finder.header("[options]"))
    if parser.has_section("options.extras_require"):
        for extra, value in parser.items("options.extras_require"):
            for raw in value.split("\n"):
                out.add(raw, scope_of_group(extra, "runtime"), extra, out.finder.header("[options.extras_require]"))
    metadata = dict(parser.items("metadata")) if parser.has_section("metadata") else {}
    return Manifest(path=path, ecosystem=ECOSYSTEM, name=metadata.get("name", ""),
                    description=metadata.get("description", ""), dependencies=tuple(out.found))


def _literal_strings(node: ast.expr | None) -> Iterable[str]:
    if isinstance(node, (ast.List, ast.Tuple)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def setup_py(path: str, text: str) -> Manifest:  # noqa: PLR0912 - one branch per setup() keyword
    """Read the literal `install_requires`, `extras_require` and `tests_require` of a `setup()` call."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return Manifest(path=path, ecosystem=ECOSYSTEM, problem="not valid Python")
    out = _Collector(path, text)
    name = description = ""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "setup"):
            continue
        for kw in node.keywords:
            if kw.arg == "install_requires":
                for raw in _literal_strings(kw.value):
                    out.add(raw, "runtime", "", kw.value.lineno)
            elif kw.arg == "tests_require":
                for raw in _literal_strings(kw.value):
                    out.add(raw, "test", "tests_require", kw.value.lineno)
            elif kw.arg == "extras_require" and isinstance(kw.value, ast.Dict):
                for key, value in zip(kw.value.keys, kw.value.values, strict=True):
                    extra = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else ""
                    for raw in _literal_strings(value):
                        out.add(raw, scope_of_group(extra, "runtime"), extra, value.lineno)
            elif kw.arg in ("name", "description") and isinstance(kw.value, ast.Constant):
                if kw.arg == "name":
                    name = str(kw.value.value)
                else:
                    description = str(kw.value.value)
    return Manifest(path=path, ecosystem=ECOSYSTEM, name=name, description=description,
                    dependencies=tuple(out.found))


def pipfile(path: str, text: str) -> Manifest:
    """Read `[packages]` and `[dev-packages]` of a Pipfile."""
    loaded = load_toml(text)
    if loaded.problem:
        return Manifest(path=path, ecosystem=ECOSYSTEM, problem=loaded.problem)
    out = _Collector(path, text)
    for table, scope in (("packages", "runtime"), ("dev-packages", "dev")):
        for name, spec in _table(loaded.data, table).items():
            out.add_named(name, spec, scope, "" if scope == "runtime" else "dev", out.finder.header(f"[{table}]"))
    return Manifest(path=path, ecosystem=ECOSYSTEM, dependencies=tuple(out.found))
