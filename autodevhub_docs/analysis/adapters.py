# The contract of a framework or ORM adapter. Each adapter declares how it knows its framework is present
# (a dependency from the manifest reader, an import, a config file) and how it extracts endpoints or entities,
# each with the file and line it was read from. Adapters live one per module under `analysis/endpoints/` and
# `analysis/datamodel/`; each module lists its adapters in `ADAPTERS`, and they are found by module scan, so
# adding a framework is adding a module.
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol, cast

from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.pyscan import Visitor
from autodevhub_docs.model import Endpoint, Entity, FrameworkReport, Relation, SourceRef


@dataclass(frozen=True, kw_only=True)
class Found:
    """What one adapter found in a repository where its framework is present."""

    framework: str
    """Framework or ORM name, as the catalog spells it (`Rails`, `Spring Boot`, `GORM`...)."""
    evidence: tuple[SourceRef, ...]
    """Why the framework is considered present."""
    files_read: tuple[str, ...] = ()
    """Files it parsed."""
    endpoints: tuple[Endpoint, ...] = ()
    """HTTP endpoints (endpoint adapters)."""
    entities: tuple[Entity, ...] = ()
    """Persistent entities (data-model adapters)."""
    relations: tuple[Relation, ...] = ()
    """Relations between entities (data-model adapters)."""
    problems: tuple[str, ...] = ()
    """Files it could not read, each with the reason."""
    technologies: tuple[tuple[str, SourceRef], ...] = ()
    """Runtime evidence of other catalogued technologies read from code or configuration, by catalog name:
    the database the app opens (`UseSqlite(...)`, `sqlite3.Open`, `jdbc:postgresql:` in application.properties),
    a driver call, a client constructed. Shown on the architecture pages as evidence."""
    environments: tuple[tuple[str, str], ...] = ()
    """(technology, hosting environment) for the ones the code picks per environment (`UseSqlite` under
    `IsDevelopment()`, `UseNpgsql` in the else branch: `Development`, `not Development`), so that development
    and production databases are told apart."""

    def report(self, kind: str) -> FrameworkReport:
        """The summary shown when the adapter found nothing (and counted when it did)."""
        found = len(self.endpoints) if kind == "endpoints" else len(self.entities)
        return FrameworkReport(framework=self.framework, kind=kind, evidence=self.evidence[:6],
                               files_read=self.files_read, found=found, problems=self.problems)


PythonVisitor = tuple[Callable[[str], bool], Visitor]
"""A (text test, visitor) pair run in the single `pyscan.scan` pass; the visitor keeps what it needs of a file in
`PyFile.facts` (never the AST), and the adapter's `run` reads it back from `Codebase.python`."""


class Adapter(Protocol):
    """A framework (endpoints) or ORM (entities) adapter.

    A Python adapter may also define `visitors() -> Sequence[PythonVisitor]`: those visitors are registered in the
    one `pyscan.scan` pass before `run` is called, so each Python file is still parsed once. A JS/TS adapter may
    define `script_packages`, the npm packages whose importing scripts it reads whole: the summary pass keeps
    those scripts' trees for it (see `script_packages()`), so they are still parsed once. With `script_words` as
    well, it reads only the importing scripts whose text holds one of those words (a NestJS controller holds
    `Controller`: the name it is imported by), and only their trees are kept. With `read_script(code, module)`
    as well (see `ScriptReader`), it reads each of those scripts while the summary pass holds the tree, and the
    tree is not kept for it.
    """

    name: str
    """Framework or ORM name."""

    def run(self, code: Codebase) -> Found | None:
        """Return what the adapter found, or None when its framework is not present."""
        ...


def python_visitors(found: Iterable[Adapter]) -> list[PythonVisitor]:
    """The visitors of every adapter that has some, each once (adapters of one family share their visitors).

    Args:
        found: Adapters, in the order they run.
    """
    pairs: list[PythonVisitor] = []
    seen: set[int] = set()
    for adapter in found:
        visitors = getattr(adapter, "visitors", None)
        for pair in visitors() if callable(visitors) else ():
            if id(pair[1]) not in seen:
                seen.add(id(pair[1]))
                pairs.append(pair)
    return pairs


@lru_cache(maxsize=2)
def adapters(package: str) -> tuple[Adapter, ...]:
    """Every adapter of an adapter package (`endpoints` or `datamodel`), in module-name order.

    Args:
        package: Sub-package of `autodevhub_docs.analysis`.
    """
    base = importlib.import_module(f"autodevhub_docs.analysis.{package}")
    found: list[Adapter] = []
    for info in sorted(pkgutil.iter_modules(base.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{base.__name__}.{info.name}")
        found.extend(getattr(module, "ADAPTERS", ()))
    return tuple(found)


class ScriptReader(Protocol):
    """A JS/TS adapter that reads the scripts it reads whole as the summary pass parses them."""

    name: str

    def read_script(self, code: Codebase, module: Any) -> object | None:
        """What the adapter needs of one script (`jsmodule.JsModule`), holding no tree node.

        None when the script alone does not tell (a name it uses is declared in another file): the tree is then
        kept, and the adapter reads the script in `run` as it reads the scripts nothing read ahead.
        """
        ...


@dataclass(frozen=True)
class ScriptAdapter:
    """A JS/TS adapter that reads the scripts importing its packages whole."""

    adapter: Adapter
    packages: frozenset[str]
    """The npm packages it declares in `script_packages`."""
    words: frozenset[str] | None
    """The words such a script must hold for the adapter to read it (`script_words`); None: whatever it holds."""
    reader: ScriptReader | None
    """The adapter, when it reads each script as the summary pass parses it (`read_script`)."""


@lru_cache(maxsize=1)
def script_adapters() -> tuple[ScriptAdapter, ...]:
    """The adapters that declare `script_packages`, in the order they run."""
    found = []
    for adapter in (*adapters("endpoints"), *adapters("datamodel")):
        packages = frozenset(getattr(adapter, "script_packages", ()))
        if packages:
            words: tuple[str, ...] | None = getattr(adapter, "script_words", None)
            reader = cast(ScriptReader, adapter) if callable(getattr(adapter, "read_script", None)) else None
            found.append(ScriptAdapter(adapter=adapter, packages=packages,
                                       words=frozenset(words) if words is not None else None, reader=reader))
    return tuple(found)


@lru_cache(maxsize=1)
def script_packages() -> dict[str, frozenset[str] | None]:
    """The npm packages some adapter declares in `script_packages`, with the words their importers must hold.

    A script importing one is read whole when it holds one of the words (None: whatever it holds): by the adapter
    as the summary pass parses it (`ScriptReader`), or from its tree, kept for the adapter's run. Every other script
    is parsed for its summary and let go (2,600 scripts' trees would hold 220 MB).
    """
    found: dict[str, frozenset[str] | None] = {}
    for entry in script_adapters():
        for name in entry.packages:
            known = found.get(name, frozenset())
            found[name] = None if entry.words is None or known is None else known | entry.words
    return found


@lru_cache(maxsize=1)
def script_words() -> tuple[str, ...]:
    """Every word some adapter's `script_words` names: each script's summary records which of them it holds."""
    return tuple(sorted({word for words in script_packages().values() for word in words or ()}))


def run_all(package: str, code: Codebase) -> list[Found]:
    """Run every adapter of a package over the codebase; the ones whose framework is absent return nothing."""
    results = []
    for adapter in adapters(package):
        found = adapter.run(code)
        if found is not None:
            results.append(found)
    return results


def reports(kind: str, results: Sequence[Found]) -> tuple[FrameworkReport, ...]:
    """Reports of the adapters that ran, in the order they ran."""
    return tuple(found.report(kind) for found in results)
