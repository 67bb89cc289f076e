# Technology detection from runtime evidence, named by the one catalog. Evidence is a direct dependency, an import in
# application code, a connection string, a driver call or a container image, or a tool's own config file. These do
# not count: `// indirect` requirements, packages declared only for tests or development when the technology is
# something the app runs on (a database, a framework), manifests of sample apps, packages only in a lockfile.
from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from fnmatch import fnmatchcase
from functools import lru_cache

from autodevhub_docs.analysis import catalog
from autodevhub_docs.analysis.catalog import Tech
from autodevhub_docs.analysis.codebase import is_sample_path
from autodevhub_docs.analysis.pyscan import walk
from autodevhub_docs.model import Manifest, SourceRef, Technology

ReadText = Callable[[str], "str | None"]

RUNTIME_LAYERS = frozenset({"backend", "database", "cache", "queue", "ai"})
"""Layers a technology is in only when the app runs with it: a test-only or dev-only dependency does not count."""
MAX_EVIDENCE = 6
"""References kept per technology, best first."""

_CONN = re.compile(r"\b([a-z][a-z0-9+.-]*)://|\bjdbc:([a-z0-9]+):")
_DJANGO_ENGINE = re.compile(r"django\.db\.backends\.(postgresql|mysql|sqlite3|oracle)")
_ENGINES = {"postgresql": "PostgreSQL", "mysql": "MySQL", "sqlite3": "SQLite"}
_DOCS_PARTS = frozenset({"docs", "doc", "documentation", "site", "site_src"})


def _counts(dependency_scope: str, tech: Tech) -> bool:
    if dependency_scope == "indirect":
        return False
    return dependency_scope == "runtime" or tech.layer not in RUNTIME_LAYERS


def connection_strings(tree: ast.Module) -> tuple[tuple[int, str], ...]:
    """The string literals of a parsed Python file that hold a connection string or a Django engine, with their line.

    The single Python pass keeps these for the files `detect` searches, so they are not parsed a second time; the
    order is that of `ast.walk`, as `detect` would find them.
    """
    return tuple((node.lineno, node.value) for node in walk(tree)
                 if isinstance(node, ast.Constant) and isinstance(node.value, str)
                 and (_CONN.search(node.value) or _DJANGO_ENGINE.search(node.value)))


def _strings(path: str, text: str) -> Iterator[tuple[int, str]]:
    """The strings of a file that may hold a connection string: literals of Python code, lines of other files."""
    if path.endswith(".py"):
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError):
            return
        for node in walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield node.lineno, node.value
        return
    yield from enumerate(text.split("\n"), start=1)


def _has_frontend(found: Mapping[str, list[SourceRef]], paths: Iterable[str]) -> bool:
    """A UI framework, or an HTML page served to browsers (not documentation, not a sample)."""
    if any((tech := catalog.technology(name)) is not None and tech.role == "frontend framework" for name in found):
        return True
    return any(p.rsplit("/", 1)[-1] == "index.html" and not is_sample_path(p)
               and not _DOCS_PARTS & set(p.split("/")[:-1]) for p in paths)


def detect(  # noqa: PLR0912 - one evidence kind per branch
        manifests: Sequence[Manifest], read_text: ReadText, *, paths: Iterable[str],
        python_imports: Mapping[str, tuple[str, int]], js_imports: Mapping[str, tuple[str, int]],
        images: Iterable[tuple[str, SourceRef]], texts_with_urls: Iterable[str],
        extra: Mapping[str, list[SourceRef]],
        python_strings: Mapping[str, tuple[tuple[int, str], ...]] | None = None) -> list[Technology]:
    """Find every technology the evidence supports.

    Args:
        manifests: Every manifest, read by the manifest reader.
        read_text: Safe reader of the checkout.
        paths: Every tracked path.
        python_imports: Top-level module imported by application code -> first (file, line).
        js_imports: Bare package specifier imported by application code -> first (file, line).
        images: Container images with where they appear.
        texts_with_urls: Files to search for connection strings (env examples, compose, settings).
        extra: Evidence other analyses found, by catalog name (adapters, Kubernetes manifests, workflows...).
        python_strings: `connection_strings` of Python files the single pass kept, by path; the others in
            `texts_with_urls` are read and parsed here.

    Returns:
        Technologies in catalog order, each with its evidence.
    """
    evidence: dict[str, list[SourceRef]] = {}

    def add(tech: Tech | None, ref: SourceRef) -> None:
        if tech is None or tech.layer in ("library", "tooling"):
            return
        refs = evidence.setdefault(tech.name, [])
        if ref not in refs:
            refs.append(ref)

    by_tech: dict[str, list[SourceRef]] = {}
    for manifest in sorted(manifests, key=lambda m: m.path):
        if is_sample_path(manifest.path):
            continue
        for dependency in manifest.dependencies:
            tech = catalog.technology_of_dependency(dependency)
            if tech is not None and _counts(dependency.scope, tech):
                by_tech.setdefault(tech.name, []).append(SourceRef(path=dependency.path, line=dependency.line))
    for module, (path, line) in python_imports.items():
        by_tech.setdefault(_name(catalog.technology_of_import(module)), []).append(SourceRef(path=path, line=line))
    for module, (path, line) in js_imports.items():
        by_tech.setdefault(_name(catalog.technology_of_import(module)), []).append(SourceRef(path=path, line=line))
    for image, ref in images:
        if not is_sample_path(ref.path):
            by_tech.setdefault(_name(catalog.technology_of_image(image)), []).append(ref)
    names: dict[str, list[str]] = {}
    for path in paths:
        if not is_sample_path(path):
            names.setdefault(path.rsplit("/", 1)[-1], []).append(path)
    for tech in catalog.technologies():
        for ref in by_tech.get(tech.name, ()):
            add(tech, ref)
        for glob in _file_globs(tech):
            if "/" in glob:
                matched = [p for ps in names.values() for p in ps if fnmatchcase(p, glob)]
            elif not any(char in glob for char in "*?["):  # a plain file name: one look-up, not one test per name
                matched = list(names.get(glob, ()))
            else:
                fits = _glob_matcher(glob)
                matched = [p for name in names if fits(name) for p in names[name]]
            for path in matched:
                add(tech, SourceRef(path=path))
        for ref in extra.get(tech.name, []):
            add(tech, ref)
    kept = python_strings or {}
    for path in texts_with_urls:
        found = kept.get(path)
        for number, text in found if found is not None else _strings(path, read_text(path) or ""):
            for match in _CONN.finditer(text):
                scheme = match.group(1) or f"jdbc:{match.group(2)}"
                add(catalog.technology_of_scheme(scheme), SourceRef(path=path, line=number))
            engine = _DJANGO_ENGINE.search(text)
            if engine and engine.group(1) in _ENGINES:
                add(catalog.technology(_ENGINES[engine.group(1)]), SourceRef(path=path, line=number))
    if not _has_frontend(evidence, names_paths(names)):
        evidence = {n: refs for n, refs in evidence.items() if _layer(n) != "frontend"}
    ordered = sorted(evidence.items(), key=lambda kv: _order(kv[0]))
    return [Technology(name=name, category=_role(name), layer=_layer(name), evidence=tuple(refs[:MAX_EVIDENCE]))
            for name, refs in ordered if refs]


def names_paths(names: Mapping[str, list[str]]) -> Iterator[str]:
    """Every path of a by-file-name index."""
    for paths in names.values():
        yield from paths


@lru_cache(maxsize=1024)
def _glob_matcher(glob: str) -> Callable[[str], re.Match[str] | None]:
    """`fnmatchcase(name, glob)` as one compiled pattern's `match` (fnmatchcase looks its pattern up at every call)."""
    return re.compile(fnmatch.translate(glob)).match


def _file_globs(tech: Tech) -> tuple[str, ...]:
    return _globs_by_name().get(tech.name, ())


def _globs_by_name() -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for glob, tech in catalog.catalog().files:
        found.setdefault(tech.name, []).append(glob)
    return {name: tuple(globs) for name, globs in found.items()}


def _name(tech: Tech | None) -> str:
    return tech.name if tech is not None else ""


def _layer(name: str) -> str:
    tech = catalog.technology(name)
    return tech.layer if tech is not None else ""


def _role(name: str) -> str:
    tech = catalog.technology(name)
    return tech.role if tech is not None else ""


def _order(name: str) -> int:
    tech = catalog.technology(name)
    return tech.order if tech is not None else 10**6
