# JavaScript and TypeScript files, read with tree-sitter: the modules each file imports (for the module graph and the
# technologies) and the environment variables it reads, plus the resolution of relative specifiers that the import
# graph and the framework adapters share. Each file is parsed once, through the codebase's cache.
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from autodevhub_docs.analysis import jsmodule
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.model import SourceRef

JS_SUFFIXES = (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts")
"""Files read as JavaScript or TypeScript."""
_RESOLVE_SUFFIXES = (*JS_SUFFIXES, ".vue", ".svelte")


@dataclass
class JsScan:
    """What the JS/TS files show."""

    imports: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    """File -> imported specifiers with line."""
    env_reads: list[tuple[str, str, int]] = field(default_factory=list)
    """(variable, file, line) for each environment read."""


def is_script(path: str) -> bool:
    """Whether a path is hand-written JS/TS (not a declaration file, a minified bundle or an installed package)."""
    return (path.endswith(JS_SUFFIXES) and not path.endswith((".min.js", ".d.ts", ".d.mts", ".d.cts"))
            and "node_modules/" not in f"/{path}")


def scripts(code: Codebase, *, samples: bool = False) -> list[str]:
    """The JS/TS files of a codebase, sample folders (tests, examples, fixtures) left out unless asked for."""
    return [p for p in code.source_files(*JS_SUFFIXES, samples=samples) if is_script(p)]


def module(code: Codebase, path: str) -> jsmodule.JsModule | None:
    """The index of one JS/TS file (None when it cannot be read or is too large to parse)."""
    parsed = code.parse(path)
    return jsmodule.module(path, parsed) if parsed is not None else None


def scan(code: Codebase) -> JsScan:
    """Read every JS/TS file once and collect its imports and environment reads."""
    result = JsScan()
    for path in scripts(code, samples=True):
        found = module(code, path)
        if found is None:
            continue
        result.imports[path] = list(found.imports)
        result.env_reads.extend((name, path, line) for name, line in found.env_reads)
    return result


def resolve_relative(importer: str, spec: str, paths: set[str] | frozenset[str]) -> str | None:
    """Resolve a relative import specifier to a tracked file (trying extensions and index files)."""
    if not spec.startswith("."):
        return None
    base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))
    candidates = [base] + [base + s for s in _RESOLVE_SUFFIXES] + [f"{base}/index{s}" for s in _RESOLVE_SUFFIXES]
    if base.endswith((".js", ".jsx", ".mjs", ".cjs")):  # TypeScript ESM imports name the compiled file: './a.js'
        stem = base.rsplit(".", 1)[0]
        candidates += [stem + ".ts", stem + ".tsx", stem + ".mts", stem + ".cts"]
    return next((c for c in candidates if c in paths), None)


def presence(code: Codebase, packages: tuple[str, ...]) -> tuple[SourceRef, ...]:
    """Why a JS/TS framework or ORM is present (empty when it is not).

    The evidence is a runtime dependency on one of its packages, and the first application file that imports one.
    """
    evidence = []
    dependency = code.dependency("npm", packages)
    if dependency is not None:
        evidence.append(code.ref(dependency))
    wanted = set(packages)
    for path in scripts(code):
        mod = module(code, path)
        line = next((line for spec, line in mod.imports if _package(spec) in wanted), None) if mod else None
        if line is not None:
            evidence.append(SourceRef(path=path, line=line))
            break
    return tuple(evidence)


def _package(spec: str) -> str:
    parts = spec.split("/")
    return "/".join(parts[:2]) if spec.startswith("@") else parts[0]


DATABASES = {"postgres": "PostgreSQL", "postgresql": "PostgreSQL", "mysql": "MySQL", "mariadb": "MariaDB",
             "sqlite": "SQLite", "better-sqlite3": "SQLite", "mssql": "SQL Server", "mongodb": "MongoDB",
             "cockroachdb": "CockroachDB"}
"""Database names as ORMs' connection options spell them (`dialect: 'postgres'`, `type: 'sqlite'`), by catalog name."""
_OPTION_QUERY = """
(call_expression function: (_) @callee
  arguments: (arguments (object (pair key: (property_identifier) @key value: (string) @value))) (#eq? @key "{key}"))
(new_expression constructor: (_) @callee
  arguments: (arguments (object (pair key: (property_identifier) @key value: (string) @value))) (#eq? @key "{key}"))
"""


def database_options(code: Codebase, key: str, callees: tuple[str, ...]) -> list[tuple[str, SourceRef]]:
    """Databases named by a connection option, with the line, as technology evidence.

    The option (`dialect: 'sqlite'`) is read from an object passed to one of the callees (`Sequelize`,
    `DataSource`, `forRoot`).
    """
    found = []
    query = _OPTION_QUERY.replace("{key}", key)
    for path in scripts(code):
        mod = module(code, path)
        if mod is None:
            continue
        for match in mod.parsed.matches(query):
            callee = mod.text(match["callee"][0]).rsplit(".", 1)[-1]
            value = jsmodule.string(mod.parsed, match["value"][0])
            if callee in callees and value in DATABASES:
                found.append((DATABASES[value], SourceRef(path=path, line=match["value"][0].start_point[0] + 1)))
    return found
