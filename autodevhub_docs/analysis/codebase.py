# The view of the repository that framework and ORM adapters read: the tracked paths, a safe reader, the declared
# dependencies from the one manifest reader, and tree-sitter parses cached per file (each file is parsed once,
# whatever the number of adapters that look at it).
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath
from typing import Any

from autodevhub_docs.model import Dependency, SourceRef
from autodevhub_docs.parsing.treesitter import Parsed, grammar_for, parse
from autodevhub_docs.sources.paths import SAMPLE_PARTS, is_sample_path

__all__ = ["SAMPLE_PARTS", "Codebase", "is_application_code", "is_migration_path", "is_sample_path", "is_test_file"]

ReadText = Callable[[str], "str | None"]
"""Reads a tracked file's text (None for binary, huge or unsafe files)."""

@dataclass
class Codebase:
    """What adapters read.

    Args:
        paths: Every tracked path (after `exclude`).
        read_text: Safe reader of the checkout.
        dependencies: Every dependency every manifest declares.
        python: Python files summarised by the shared `ast` pass, by path (see `pyscan.PyFile`).
        js_summaries: What every build reads of each JS/TS file, by path (`javascript.JsSummary`): those an
            earlier build kept for unchanged files, and those this build works out.
    """

    paths: tuple[str, ...]
    read_text: ReadText
    dependencies: tuple[Dependency, ...] = ()
    python: Mapping[str, Any] = field(default_factory=dict)
    js_summaries: dict[str, Any] = field(default_factory=dict)
    js_made: dict[str, Any] = field(default_factory=dict)
    """The JS/TS summaries this build worked out (parsing their files), for the next build to keep."""
    js_modules: dict[str, Any] = field(default_factory=dict, repr=False)
    """The index (`jsmodule.JsModule`) of each kept JS/TS parse, by path: held here, not on the parse it holds, so
    that no parse and its index hold each other (a cycle that only the cyclic collector would free, at a cost)."""
    js_bindings: dict[tuple[str, bytes], Any] = field(default_factory=dict, repr=False)
    """What each JS/TS import statement binds, by its text (`jsnames.import_bindings`): read once per build."""
    js_read: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    """What adapters read of JS/TS scripts as the summary pass parsed them, by (adapter name, path)
    (`adapters.ScriptReader`): those scripts' trees are not kept for them."""
    _parsed: dict[str, Parsed | None] = field(default_factory=dict, repr=False)
    _samples: dict[str, bool] = field(default_factory=dict, repr=False)

    @cached_property
    def tracked(self) -> frozenset[str]:
        """Every tracked path, as a set (for the readers that resolve imports to files)."""
        return frozenset(self.paths)

    def source_files(self, *suffixes: str, samples: bool = False) -> list[str]:
        """Tracked files with one of the suffixes, sample folders left out unless asked for.

        Args:
            suffixes: File-name endings such as `.rb` or `routes.rb`.
            samples: Include test, fixture, example and vendored folders.
        """
        return [p for p in self.paths if p.endswith(suffixes) and (samples or not self.is_sample(p))]

    def is_sample(self, path: str) -> bool:
        """Whether a path is left out as a sample (`is_sample_path`), worked out once per path.

        A codebase is read within one analysis, under one `include` option.
        """
        found = self._samples.get(path)
        if found is None:
            found = self._samples[path] = is_sample_path(path)
        return found

    def text(self, path: str) -> str | None:
        """A tracked file's text (None when binary, huge, missing or outside the repository)."""
        return self.read_text(path)

    def parse(self, path: str, grammar: str | None = None, *, keep: bool = True) -> Parsed | None:
        """The tree-sitter parse of a file, cached; None when it cannot be read or is too large.

        Args:
            path: Repository-relative path.
            grammar: Grammar to use; by default chosen from the file name.
            keep: Cache a new parse (a caller that reads a file once and keeps what it needs passes False: a big
                code base's trees would otherwise all stay in memory until the analysis ends).
        """
        key = f"{grammar or ''}:{path}"
        if key in self._parsed:
            return self._parsed[key]
        chosen = grammar or grammar_for(path)
        text = self.read_text(path) if chosen else None
        parsed = parse(chosen, text) if chosen and text is not None else None
        if keep:
            self._parsed[key] = parsed
        return parsed

    def keep(self, path: str, parsed: Parsed) -> None:
        """Cache a parse made with `keep=False` after all (its reader found that an adapter will read it whole)."""
        self._parsed.setdefault(f":{path}", parsed)

    def dependency(self, ecosystem: str, names: Iterable[str], *, scopes: Iterable[str] = ("runtime",)
                   ) -> Dependency | None:
        """The first declared dependency of an ecosystem with one of these names (a trailing `*` is a prefix).

        Args:
            ecosystem: `pypi`, `npm`, `go`, `rubygems`, `maven`, `composer`, `nuget`, `cargo`...
            names: Package names; Maven names are `group:artifact`.
            scopes: Scopes that count (runtime only by default: a test or `// indirect` dependency is not use).
                Manifests in sample folders (tests, fixtures, examples) never count.
        """
        wanted = [n.lower() for n in names]
        allowed = set(scopes)
        for dep in self.dependencies:
            if dep.ecosystem != ecosystem or dep.scope not in allowed or is_sample_path(dep.path):
                continue  # a sample app's manifest says nothing about this repository
            name = dep.name.lower()
            if any(name.startswith(w[:-1]) if w.endswith("*") else name == w for w in wanted):
                return dep
        return None

    @staticmethod
    def ref(dependency: Dependency) -> SourceRef:
        """Where a dependency is declared, as evidence."""
        return SourceRef(path=dependency.path, line=dependency.line)

    @staticmethod
    def folder(path: str) -> str:
        """The folder of a path ('' at the root)."""
        parent = str(PurePosixPath(path).parent)
        return "" if parent == "." else parent


_TEST_PARTS = frozenset({"tests", "test", "__tests__", "spec", "specs", "testing"})
_CODE_SUFFIXES = (".py", ".js", ".ts", ".go", ".rb", ".tsx", ".jsx", ".mjs", ".cjs", ".java", ".kt", ".kts", ".rs",
                  ".php", ".cs", ".fs", ".scala", ".swift", ".ex", ".exs", ".c", ".cc", ".cpp", ".dart")
_TEST_NAME_SUFFIXES = ("_test.py", "_test.go", "_test.rb", "_spec.rb", "_test.exs", "Test.java", "Tests.java",
                       "IT.java", "Test.kt", "Tests.kt", "Test.php", "Tests.cs", "Test.cs", "_test.dart")
_TEST_PROJECT_SUFFIXES = (".tests", ".test", ".unittests", ".integrationtests", ".specs")


def is_test_file(path: str) -> bool:
    """Whether a path is a test by its language's conventions.

    Folders `tests/`, `test/` (so `src/test/java`), `spec/`, `__tests__/`, .NET test projects (`App.Tests/`),
    and names `test_*.py`, `*_test.go`, `*_spec.rb`, `*Test.java`, `*Test.php`, `*Tests.cs`, `*.test.ts`,
    `*.spec.js`...
    """
    lowered = path.lower()
    if "test" not in lowered and "spec" not in lowered:
        return False  # most paths: answered without splitting
    parts = path.split("/")
    name = parts[-1]
    if not name.endswith(_CODE_SUFFIXES):
        return False
    folders = [p.lower() for p in parts[:-1]]
    if any(f in _TEST_PARTS or f.endswith(_TEST_PROJECT_SUFFIXES) for f in folders):
        return True
    if name.startswith("test_") and name.endswith(".py"):
        return True
    if name.endswith(_TEST_NAME_SUFFIXES):
        return True
    stem, _, _ = name.rpartition(".")
    return stem.endswith((".test", ".spec"))


def is_migration_path(path: str) -> bool:
    """Whether a path holds schema migrations (Alembic, Django, Rails, Flyway, Laravel...)."""
    folders = [p.lower() for p in path.split("/")[:-1]]
    return any(f in ("migrations", "migration", "alembic", "migrate") for f in folders)


def is_application_code(path: str) -> bool:
    """Code the application runs: not a test, a migration, a sample, a vendored or a generated file."""
    return not (is_test_file(path) or is_migration_path(path) or is_sample_path(path))
