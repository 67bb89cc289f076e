# JavaScript and TypeScript files, read with tree-sitter: the modules each file imports (for the module graph and the
# technologies) and the environment variables it reads, plus the resolution of relative specifiers that the import
# graph and the framework adapters share. Each file is parsed once, through the codebase's cache. The <script>
# blocks of Vue and Svelte components are read the same way.
# What every build reads of every script (its imports, environment reads, connection options, whether it parses) is
# its `JsSummary`, kept by blob sha between builds (`increments`): after one commit only the changed scripts, and
# those an adapter reads whole (a router's users, an ORM's entities), are parsed again.
from __future__ import annotations

import posixpath
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from autodevhub_docs.analysis import jsmodule
from autodevhub_docs.analysis.adapters import ScriptAdapter, script_adapters, script_words
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.treesitter import MAX_PARSE_BYTES, parse

JS_SUFFIXES = (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts")
"""Files read as JavaScript or TypeScript."""
COMPONENT_SUFFIXES = (".vue", ".svelte")
"""Single-file components whose <script> blocks are read for imports and environment reads."""
_RESOLVE_SUFFIXES = (*JS_SUFFIXES, *COMPONENT_SUFFIXES)


@dataclass(frozen=True, slots=True)
class JsSummary:
    """What every build reads of one script, the same for the same text (kept by blob sha between builds)."""

    parsed: bool
    """False when the file could not be read or was too large to parse (then the rest is empty)."""
    imports: tuple[tuple[str, int], ...] = ()
    """Every module specifier imported, with its line."""
    env_reads: tuple[tuple[str, int], ...] = ()
    """Environment variables read, with line."""
    options: tuple[tuple[str, str, str, int], ...] = ()
    """Connection options naming a database (`DATABASES`), as (callee's last name, option, database, line), among
    the first `MAX_OPTION_CALLS` calls passing options."""
    calls: tuple[str, ...] = ()
    """The names of `SUMMARY_CALLS` the script calls, as `x.name(...)` or `name(...)`: an ORM adapter that reads
    every script for its model registrations parses only the scripts that make one."""
    words: tuple[str, ...] = ()
    """Of the words adapters read scripts for (`adapters.script_words`), those the script's text holds: an adapter
    that reads only the scripts holding its words (NestJS's `Controller`, TypeORM's `Entity`) picks them from here.
    Empty for a script that imports nothing (it is no adapter's user: a user imports the package, or a user)."""


SUMMARY_CALLS = ("model", "define", "init", "belongsTo", "hasMany", "hasOne", "belongsToMany")
"""Calls that register a model or an association (Mongoose, Sequelize), looked for in every script's summary."""


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
    """The index of one JS/TS file (None when it cannot be read or is too large to parse), built once per codebase."""
    found: jsmodule.JsModule | None = code.js_modules.get(path)
    if found is None:
        parsed = code.parse(path)
        if parsed is None:
            return None
        found = code.js_modules[path] = jsmodule.module(path, parsed, keep=False, known=code.js_bindings)
    return found


def summary(code: Codebase, path: str) -> JsSummary:
    """The summary of one script: the one an earlier build kept for the same blob, else read from its parse."""
    found: JsSummary | None = code.js_summaries.get(path)
    if found is None:
        # The trees are let go: the summary is what every build reads of a script (2,600 scripts' trees held 220 MB
        # at the end of a cold build of 820k lines). An adapter that reads the script whole reads it now, while the
        # tree is at hand, or has it kept (it would parse the script again otherwise).
        parsed = code.parse(path, keep=False)
        mod = jsmodule.module(path, parsed, keep=False, known=code.js_bindings) if parsed is not None else None
        found = _summarise(mod) if mod is not None else JsSummary(parsed=False)
        code.js_summaries[path] = found
        code.js_made[path] = found
        if mod is not None:
            _read_ahead(code, mod, found)
    return found


def read_ahead(code: Codebase, adapter: str, path: str) -> Any | None:
    """What an adapter read of a script as the summary pass parsed it; None when it did not (it reads it now)."""
    return code.js_read.get((adapter, path))


def _read_ahead(code: Codebase, mod: jsmodule.JsModule, found: JsSummary) -> None:
    """Hand a script to the adapters that will read it whole; keep its tree for those that read it later."""
    keep = False
    sample: bool | None = None
    for entry in _reading(found):
        if sample is None:  # no adapter reads a test or an example whole (their trees are kept, as any)
            sample = code.is_sample(mod.path)
        read = entry.reader.read_script(code, mod) if entry.reader is not None and not sample else None
        if read is None:
            keep = True
        else:
            code.js_read[(entry.adapter.name, mod.path)] = read
    if keep:
        code.keep(mod.path, mod.parsed)
        code.js_modules[mod.path] = mod  # as `module` would have kept it


_SUMMARY_WORDS = tuple((name, next((i for i, inner in enumerate(SUMMARY_CALLS[:at]) if inner in name), None))
                       for at, name in enumerate(SUMMARY_CALLS))
"""Each call's name, and the call before it whose name is inside it (`belongsTo` in `belongsToMany`): the longer
name is not looked for in a script that does not hold the shorter one."""


def _reading(found: JsSummary) -> list[ScriptAdapter]:
    """The adapters that will read a script whole: it imports one of their packages and holds one of their words."""
    by_package = _script_adapters_by_package()
    wanted: set[int] = set()
    for spec, _ in found.imports:  # most imports are of no such package (a sibling, a utility)
        if not spec.startswith("."):
            wanted.update(by_package.get(_package(spec), ()))
    if not wanted:
        return []
    every = script_adapters()
    entries = [every[i] for i in sorted(wanted)]
    return [e for e in entries if e.words is None or not e.words.isdisjoint(found.words)]


@lru_cache(maxsize=1)
def _script_adapters_by_package() -> dict[str, tuple[int, ...]]:
    """The positions in `script_adapters()` of the adapters reading each package's importers."""
    found: dict[str, list[int]] = {}
    for position, entry in enumerate(script_adapters()):
        for package in entry.packages:
            found.setdefault(package, []).append(position)
    return {package: tuple(positions) for package, positions in found.items()}


def _summarise(mod: jsmodule.JsModule) -> JsSummary:
    options = []
    # The words are looked for in the decoded text: CPython finds a substring in a str faster than in bytes, and an
    # ASCII word is in the UTF-8 bytes exactly where it is in their text.
    text = mod.parsed.source.decode("utf-8", "replace")
    # an option names a database in the file's own words (looked for only where a part they share occurs)
    named = any(part in text and (not words or any(word in text for word in words)) for part, words in _DATABASE_PARTS)
    for arguments in mod.nodes("options")[:MAX_OPTION_CALLS] if named else ():
        call = arguments.parent
        callee = call.child_by_field_name("function") or call.child_by_field_name("constructor")
        if callee is None:
            continue
        called = mod.text(callee).rsplit(".", 1)[-1]
        for arg in arguments.named_children:
            for pair in arg.named_children if arg.type == "object" else ():
                name, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
                database = jsmodule.string(mod.parsed, value) if pair.type == "pair" else None
                if name is not None and database in DATABASES:
                    options.append((called, mod.text(name), database, pair.start_point[0] + 1))
    held: list[bool] = []
    for name, inside in _SUMMARY_WORDS:  # most scripts hold none of these words: no look-up then
        held.append((inside is None or held[inside]) and name in text)
    calls = tuple(name for (name, _), holds in zip(_SUMMARY_WORDS, held, strict=True)
                  if holds and (mod.calls((name,)) or mod.named_calls(name)))
    # a script that imports nothing is no adapter's user (`users`): its words are not looked for
    words = tuple([word for word in script_words() if word in text]) if mod.imports else ()
    env_reads = tuple(mod.env_reads) if "env" in text else ()  # every read names `env` (`process.env.X`)
    return JsSummary(parsed=True, imports=tuple(mod.imports), env_reads=env_reads, options=tuple(options),
                     calls=calls, words=words)


def scan(code: Codebase) -> JsScan:
    """Read every JS/TS file once and collect its imports and environment reads."""
    result = JsScan()
    for path in scripts(code, samples=True):
        kept = summary(code, path)
        if not kept.parsed:
            continue
        result.imports[path] = list(kept.imports)
        result.env_reads.extend((name, path, line) for name, line in kept.env_reads)
    for path in code.source_files(*COMPONENT_SUFFIXES, samples=True):
        text = code.text(path) if "node_modules/" not in f"/{path}" else None
        for first_line, grammar, script in _component_scripts(text or ""):
            parsed = parse(grammar, script)
            if parsed is None:
                continue
            found = jsmodule.module(path, parsed)
            result.imports.setdefault(path, []).extend((spec, first_line + line - 1) for spec, line in found.imports)
            result.env_reads.extend((name, path, first_line + line - 1) for name, line in found.env_reads)
    return result


def _component_scripts(text: str) -> Iterator[tuple[int, str, str]]:
    """Each <script> block of a component: the line it starts on, its grammar (`lang="ts"`) and its code."""
    start, line, counted = 0, 1, 0
    while (opening := text.find("<script", start)) >= 0:
        body = text.find(">", opening)
        closing = text.find("</script>", body) if body >= 0 else -1
        if closing < 0:
            return
        line += text.count("\n", counted, body)
        counted = body
        tag = text[opening:body]
        grammar = "typescript" if 'lang="ts"' in tag or "lang='ts'" in tag else "javascript"
        yield line, grammar, text[body + 1:closing]
        start = closing + len("</script>")


def calling(code: Codebase, names: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The application's parsed scripts, and those among them that call one of `names` (of `SUMMARY_CALLS`).

    Read from the summaries, so a script that makes none of these calls is not parsed again.
    """
    parsed, calling_one = [], []
    for path in _graph(code).files:
        found = summary(code, path)
        if found.parsed:
            parsed.append(path)
            if any(name in found.calls for name in names):
                calling_one.append(path)
    return parsed, calling_one


def unparsed(code: Codebase) -> list[str]:
    """The application's JS/TS files that could not be parsed, each with the reason (for an adapter's problems)."""
    return [f"{path}: not parsed (unreadable, or larger than {MAX_PARSE_BYTES:,} bytes)" for path in _graph(code).files
            if not summary(code, path).parsed]


def resolve_relative(importer: str, spec: str, paths: set[str] | frozenset[str]) -> str | None:
    """Resolve a relative import specifier to a tracked file (trying extensions and index files)."""
    if not spec.startswith("."):
        return None
    base = posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))
    if base in paths:
        return base
    for suffix in _RESOLVE_SUFFIXES:  # the candidates in order, each made only when the ones before are not files
        if base + suffix in paths:
            return base + suffix
    for suffix in _RESOLVE_SUFFIXES:
        if f"{base}/index{suffix}" in paths:
            return f"{base}/index{suffix}"
    if base.endswith((".js", ".jsx", ".mjs", ".cjs")):  # TypeScript ESM imports name the compiled file: './a.js'
        stem = base.rsplit(".", 1)[0]
        return next((stem + s for s in (".ts", ".tsx", ".mts", ".cts") if stem + s in paths), None)
    return None


@dataclass
class _ImportGraph:
    """What the application's JS/TS files import, read once per codebase for every adapter's presence and users."""

    files: list[str]
    """The application's scripts, in order."""
    first_import: dict[str, tuple[int, int, int]]
    """Package -> (file index, import index, line) of its first import: the first file, then the first import."""
    importing: dict[str, list[str]]
    """Package -> the files that import it, in order."""
    importers: dict[str, list[str]]
    """File -> the files that import it by a relative specifier."""


_GRAPHS: dict[int, tuple[weakref.ref[Codebase], _ImportGraph]] = {}
"""Import graph by codebase (Codebase is not hashable; an entry goes when its codebase is collected)."""


def _graph(code: Codebase) -> _ImportGraph:
    cached = _GRAPHS.get(id(code))
    if cached is not None and cached[0]() is code:
        return cached[1]
    graph = _ImportGraph(files=scripts(code), first_import={}, importing={}, importers={})
    tracked = code.tracked
    resolved: dict[tuple[str, str], str | None] = {}  # files of one folder import the same few siblings
    first_import, importing = graph.first_import, graph.importing
    for index, path in enumerate(graph.files):
        folder = ""
        for position, (spec, line) in enumerate(summary(code, path).imports):
            if not spec.startswith("."):
                package = _package(spec)
                if package not in first_import:
                    first_import[package] = (index, position, line)
                    importing[package] = [path]
                else:
                    importing[package].append(path)
            else:  # a relative specifier never names a package
                folder = folder or path.rpartition("/")[0] or "."  # the folder, as a key of the resolutions
                key = (folder, spec)
                if key not in resolved:
                    resolved[key] = resolve_relative(path, spec, tracked)
                target = resolved[key]
                if target is not None:
                    graph.importers.setdefault(target, []).append(path)
    _GRAPHS[id(code)] = (weakref.ref(code), graph)
    weakref.finalize(code, _GRAPHS.pop, id(code), None)
    return graph


def presence(code: Codebase, packages: tuple[str, ...]) -> tuple[SourceRef, ...]:
    """Why a JS/TS framework or ORM is present (empty when it is not).

    The evidence is a runtime dependency on one of its packages, and the first application file that imports one.
    """
    evidence = []
    dependency = code.dependency("npm", packages)
    if dependency is not None:
        evidence.append(code.ref(dependency))
    graph = _graph(code)
    first = min((graph.first_import[p] for p in set(packages) if p in graph.first_import), default=None)
    if first is not None:
        evidence.append(SourceRef(path=graph.files[first[0]], line=first[2]))
    return tuple(evidence)


def users(code: Codebase, packages: tuple[str, ...], words: tuple[str, ...] = ()) -> list[str]:
    """The application files that import one of the packages, directly or through files of the repository.

    A file counts when it imports a package (`@nestjs/common`) or imports a file that counts (a barrel that
    re-exports the package's decorators, a wrapper around its router): the files an adapter needs to read.

    Args:
        code: The codebase.
        packages: npm packages (and import specifiers).
        words: When given, only the files whose text holds one of them (each of `adapters.script_words`, read
            from the summaries): a decorator is named in the file that applies it, by its name or its import.
    """
    graph = _graph(code)
    seen = {path for package in set(packages) for path in graph.importing.get(package, ())}
    queue = list(seen)
    while queue:
        for importer in graph.importers.get(queue.pop(), ()):
            if importer not in seen:
                seen.add(importer)
                queue.append(importer)
    if words:
        wanted = set(words)
        return [p for p in graph.files if p in seen and not wanted.isdisjoint(summary(code, p).words)]
    return [p for p in graph.files if p in seen]


@lru_cache(maxsize=4096)
def _package(spec: str) -> str:
    """The npm package a specifier names (`@scope/name/x` -> `@scope/name`); every script imports the same few."""
    parts = spec.split("/")
    return "/".join(parts[:2]) if spec.startswith("@") else parts[0]


DATABASES = {"postgres": "PostgreSQL", "postgresql": "PostgreSQL", "mysql": "MySQL", "mariadb": "MariaDB",
             "sqlite": "SQLite", "better-sqlite3": "SQLite", "mssql": "SQL Server", "mongodb": "MongoDB",
             "cockroachdb": "CockroachDB"}
"""Database names as ORMs' connection options spell them (`dialect: 'postgres'`, `type: 'sqlite'`), by catalog name."""
_DATABASE_WORDS = tuple(sorted({name for name in DATABASES if not any(
    other != name and other in name for other in DATABASES)}))
"""The database names an option can hold, none inside another (`postgres` stands for `postgresql` too)."""
_DATABASE_PARTS = (*((part, tuple(w for w in _DATABASE_WORDS if part in w)) for part in ("sql", "db")),
                   *((word, ()) for word in _DATABASE_WORDS if "sql" not in word and "db" not in word))
"""The database names by a part several share (`sql`, `db`), each name with no such part on its own: a script that
holds none of the parts holds none of the names, found with three scans of its text instead of seven."""
MAX_OPTION_CALLS = 64
"""Calls passing connection options read per file (an app opens its database in a few places)."""


def database_options(code: Codebase, key: str, callees: tuple[str, ...]) -> list[tuple[str, SourceRef]]:
    """Databases named by a connection option, with the line, as technology evidence.

    The option (`dialect: 'sqlite'`) is read from an object passed to one of the callees (`Sequelize`,
    `DataSource`, `forRoot`).
    """
    return [(DATABASES[database], SourceRef(path=path, line=line)) for path in _graph(code).files
            for called, option, database, line in summary(code, path).options if option == key and called in callees]
