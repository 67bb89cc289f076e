# A Go program as the route and model readers see it: the application's `.go` files (tests, vendored and example
# code left out) grouped into packages, one per folder as the Go toolchain does, with each file's imports and
# every package's functions, methods, package-level variables and constants, and type declarations. Import paths
# of the repository's own packages are resolved through the `module` line of each go.mod. Files are parsed when a
# reader needs them (`lazy_sources`): those a reader scans up front (`_SCANNED`), the others when a name they write is
# looked up, so the program reads as if every file were parsed.
from __future__ import annotations

import re
import weakref
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.analysis.catalog import catalog
from autodevhub_docs.analysis.codebase import Codebase, is_test_file
from autodevhub_docs.analysis.endpoints.lazy_sources import LazySources
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.treesitter import Parsed
from autodevhub_docs.sources.manifests import read_manifest

_VERSION_SUFFIX = re.compile(r"^v\d+$")
_SCANNED = ("net/http", "github.com/gin-gonic/gin", "github.com/labstack/echo", "github.com/gofiber/fiber",
            "github.com/go-chi/chi", "github.com/gorilla/mux", "gorm", "main", "init")
"""What a file that a reader scans holds (the readers scan no other file, they only look names up in them).

- the import path of a web framework (`go_frameworks.PACKAGES`): the route reader starts from the router
  functions of the files importing one and reports those imports as evidence;
- `gorm`: a GORM import (`gorm.io/gorm`, `github.com/jinzhu/gorm`), thus every `gorm.Model` embedding, and every
  `gorm:"..."` tag, which is what makes a struct a model on its own;
- `main`, `init`: the entry points (a function is declared with its name);
- in any case, the import path of a database package (`_store_packages`), for `go_databases`."""


STORE_LAYERS = frozenset({"database", "cache"})
"""Catalog layers of the packages whose calls `go_databases` reads (its `_STORES`)."""
SQL_PACKAGES = ("database/sql", "github.com/jmoiron/sqlx")
"""Packages opened with a driver name that `go_databases` reads (its `_SQL_OPENERS`; a test keeps them equal)."""


def _store_packages() -> tuple[str, ...]:
    """The import paths (or path prefixes) whose calls `go_databases` reads, in lower case as the catalog has them.

    A file imports one only when its text, in lower case, holds it.
    """
    data = catalog()
    exact = [name for (ecosystem, name), tech in data.exact.items() if ecosystem == "go" and tech.layer in STORE_LAYERS]
    prefixes = [prefix for prefix, tech in data.prefixes.get("go", ()) if tech.layer in STORE_LAYERS]
    return (*(p.lower() for p in SQL_PACKAGES), *exact, *prefixes)


@dataclass(frozen=True, eq=False)
class GoFile:
    """One parsed Go file."""

    path: str
    """Repository-relative path."""
    parsed: Parsed
    """Its tree."""
    package: str
    """Folder of the file: the package's identity."""
    imports: dict[str, str]
    """Name the file uses for each import (alias or package name) -> import path."""
    import_lines: dict[str, int]
    """Import path -> line of its import (blank and dot imports included)."""

    def ref(self, node: Any) -> SourceRef:
        """Where a node of this file is."""
        return SourceRef(path=self.path, line=node.start_point[0] + 1)


@dataclass(frozen=True, eq=False)
class GoDecl:
    """A function, method, variable, constant or type declared at package level."""

    name: str
    """Declared name."""
    node: Any
    """`function_declaration`, `method_declaration`, the value expression of a `var`/`const` spec, or `type_spec`."""
    file: GoFile
    """File it is declared in."""
    receiver: str = ""
    """Receiver type name of a method ('' otherwise)."""


def default_import_name(import_path: str) -> str:
    """The name a package is used under when imported without an alias (its usual package clause).

    `github.com/labstack/echo/v4` is `echo`, `gopkg.in/yaml.v3` is `yaml`, `github.com/mattn/go-sqlite3` is `sqlite3`.
    """
    parts = [p for p in import_path.split("/") if p]
    if len(parts) > 1 and _VERSION_SUFFIX.match(parts[-1]):
        parts.pop()
    last = parts[-1] if parts else import_path
    last = re.sub(r"\.v\d+$", "", last)
    last = last.removeprefix("go-").removesuffix("-go").removesuffix(".go")
    return last.replace("-", "_").replace(".", "_")


def is_go_source(path: str) -> bool:
    """Whether a `.go` path is application code (`_test.go` files describe tests, not the program)."""
    return path.endswith(".go") and not is_test_file(path)


class GoProgram:
    """The application Go files of a repository, indexed by package, parsed as readers need them.

    Files that a reader scans (those importing a web framework, GORM or a database driver, and those that could
    declare `main` or `init`) are parsed up front and are `files`; any other file is parsed the first time a
    reader looks up a name it writes (`lazy_sources`): a declaration's name is always a word of its file.

    Args:
        code: The codebase to read.
    """

    def __init__(self, code: Codebase) -> None:
        self.files: list[GoFile] = []
        """Files a reader scans, in path order (every file that imports a framework, GORM or a database
        package, or could declare `main` or `init`)."""
        self.entry_points: list[GoDecl] = []
        """`main` functions and every `init` (a package may have one per file)."""
        self.derived: dict[str, Any] = {}
        """Facts other readers derive from the program, computed once (the databases it opens...)."""
        self._modules = self._read_modules(code)
        self._functions: dict[tuple[str, str], GoDecl] = {}
        self._methods: dict[str, list[GoDecl]] = defaultdict(list)
        self._values: dict[tuple[str, str], GoDecl] = {}
        self._types: dict[tuple[str, str], GoDecl] = {}
        self._declared: dict[str, list[GoDecl]] = {}
        self._file_types: dict[str, list[GoDecl]] = {}
        self._go_files: dict[str, GoFile] = {}
        self._clauses: dict[str, str | None] = {}
        self._package_names: dict[str, str] = {}
        paths = sorted(p for p in code.source_files(".go") if is_go_source(p))
        self._folders: dict[str, list[str]] = defaultdict(list)
        for path in paths:
            self._folders[Codebase.folder(path)].append(path)
        self.sources = LazySources(code, paths, "go", _SCANNED, self._add, folded_markers=_store_packages())
        """The files, read up front and parsed on demand."""
        self.problems: list[str] = self.sources.problems
        """Files that could not be read, with the reason."""
        self.sources.start()
        self.files = [self._go_files[p] for p in self.sources.eager if p in self._go_files]
        for file in self.files:
            self.entry_points += [d for d in self._declared[file.path]
                                  if d.name in ("main", "init") and d.node.type == "function_declaration"]

    @staticmethod
    def _read_modules(code: Codebase) -> list[tuple[str, str]]:
        modules = []
        for path in code.paths:
            if path.rsplit("/", 1)[-1] != "go.mod":
                continue
            manifest = read_manifest(path, code.text(path))
            if manifest is not None and manifest.name:
                modules.append((manifest.name, Codebase.folder(path)))
        return sorted(modules, key=lambda m: -len(m[0]))  # the longest module path owns nested modules

    def package_of(self, import_path: str) -> str | None:
        """The folder of one of the repository's own packages, or None for a package from elsewhere."""
        for module, folder in self._modules:
            if import_path == module or import_path.startswith(module + "/"):
                rest = import_path[len(module):].strip("/")
                return "/".join(p for p in (folder, rest) if p)
        return None

    def _clause(self, path: str, parsed: Parsed | None) -> str | None:
        if path not in self._clauses:
            clause = None if parsed is None else next(
                (c for c in parsed.root.named_children if c.type == "package_clause"), None)
            self._clauses[path] = parsed.text(clause.named_children[0]) \
                if parsed is not None and clause is not None and clause.named_child_count else None
        return self._clauses[path]

    def _package_name(self, folder: str) -> str:
        """The package clause of a folder's first file that has one (the name its importers use)."""
        if folder not in self._package_names:
            self._package_names[folder] = next(
                (name for path in self._folders.get(folder, []) if path in self.sources.texts
                 and (name := self._clause(path, self.sources.parse(path))) is not None), "")
        return self._package_names[folder]

    def _add(self, path: str, parsed: Parsed) -> None:
        """Index a file just parsed (its imports name the packages it uses by their package clause)."""
        folder = Codebase.folder(path)
        specs = self._import_specs(parsed)
        imports: dict[str, str] = {}
        for alias, import_path, _line in specs:
            if alias in ("_", "."):
                continue
            target = self.package_of(import_path)
            name = alias or (self._package_name(target) if target is not None else "")
            imports[name or default_import_name(import_path)] = import_path
        file = GoFile(path=path, parsed=parsed, package=folder, imports=imports,
                      import_lines={spec[1]: spec[2] for spec in reversed(specs)})
        self._go_files[path] = file
        self._index(file)

    @staticmethod
    def _import_specs(parsed: Parsed) -> list[tuple[str | None, str, int]]:
        specs = []
        for declaration in parsed.root.named_children:
            if declaration.type != "import_declaration":
                continue
            nodes = [declaration, *declaration.named_children]
            for node in nodes:
                for spec in (node.named_children if node.type == "import_spec_list" else [node]):
                    if spec.type != "import_spec":
                        continue
                    path_node, name_node = spec.child_by_field_name("path"), spec.child_by_field_name("name")
                    value = parsed.literal(path_node) if path_node is not None else None
                    if value:
                        specs.append((parsed.text(name_node) if name_node is not None else None, value,
                                      spec.start_point[0] + 1))
        return specs

    def _first(self, index: dict[tuple[str, str], GoDecl], decl: GoDecl) -> None:
        """Keep the declaration of a name that comes first in path order (files are parsed in any order)."""
        key = (decl.file.package, decl.name)
        known = index.get(key)
        if known is None or self.sources.order[decl.file.path] < self.sources.order[known.file.path]:
            index[key] = decl

    def _index(self, file: GoFile) -> None:
        parsed = file.parsed
        declared = self._declared[file.path] = []
        for node in parsed.root.named_children:
            kind = node.type
            if kind in ("function_declaration", "method_declaration"):
                name = node.child_by_field_name("name")
                if name is None:
                    continue
                if kind == "function_declaration":
                    decl = GoDecl(parsed.text(name), node, file)
                    self._first(self._functions, decl)
                else:
                    decl = GoDecl(parsed.text(name), node, file, receiver_type(parsed, node))
                    self._methods[decl.name].append(decl)
                declared.append(decl)
            elif kind in ("var_declaration", "const_declaration"):
                self._index_values(file, node)
            elif kind == "type_declaration":
                for spec in node.named_children:
                    spec_name = spec.child_by_field_name("name")
                    if spec.type in ("type_spec", "type_alias") and spec_name is not None:
                        type_decl = GoDecl(parsed.text(spec_name), spec, file)
                        self._file_types.setdefault(file.path, []).append(type_decl)
                        self._first(self._types, type_decl)

    def _index_values(self, file: GoFile, declaration: Any) -> None:
        parsed = file.parsed
        specs = [n for n in declaration.named_children if n.type in ("var_spec", "const_spec")]
        for group in declaration.named_children:
            if group.type in ("var_spec_list", "const_spec_list"):
                specs.extend(n for n in group.named_children if n.type in ("var_spec", "const_spec"))
        for spec in specs:
            names = list(spec.children_by_field_name("name"))
            value = spec.child_by_field_name("value")
            values = value.named_children if value is not None else []
            for index, name in enumerate(names[:len(values)]):
                self._first(self._values, GoDecl(parsed.text(name), values[index], file))

    def function(self, package: str, name: str) -> GoDecl | None:
        """The function of a package with that name."""
        self.sources.need(name, package, "func")
        return self._functions.get((package, name))

    def value(self, package: str, name: str) -> GoDecl | None:
        """The package-level variable or constant of a package with that name (node: its value expression)."""
        self.sources.need(name, package, None)  # `var`, `const`
        return self._values.get((package, name))

    def type_decl(self, key: tuple[str, str]) -> GoDecl | None:
        """The type declaration of (package, name)."""
        self.sources.need(key[1], key[0], "type")
        return self._types.get(key)

    def declared_in(self, file: GoFile) -> list[GoDecl]:
        """The functions and methods a file declares, in file order.

        A function is left out when an earlier file of its package declares the same name (a build-tag variant):
        the package's name refers to the first.
        """
        return [d for d in self._declared[file.path] if d.node.type == "method_declaration"
                or self.function(file.package, d.name) is d]

    def methods_named(self, name: str, package: str | None = None) -> list[GoDecl]:
        """Every method of that name (of one package when given), in path order."""
        self.sources.need(name, package, "func")
        found = self._methods.get(name, [])
        if package is not None:
            found = [m for m in found if m.file.package == package]
        return sorted(found, key=lambda d: (self.sources.order[d.file.path], d.node.start_byte))

    def methods_of(self, package: str, type_name: str, name: str) -> list[GoDecl]:
        """Methods called `name` of a type (of any type of the package when the type is not known)."""
        found = self.methods_named(name, package)
        typed = [m for m in found if m.receiver == type_name]
        return typed if type_name and typed else found

    def parsed_files(self) -> list[GoFile]:
        """Every file parsed so far, in path order."""
        return sorted(self._go_files.values(), key=lambda f: self.sources.order[f.path])

    def parsed_types(self) -> list[GoDecl]:
        """The type declarations of the files parsed so far (each the one its package's name refers to)."""
        return list(self._types.values())

    def types_in(self, path: str) -> list[GoDecl]:
        """The type declarations of a parsed file that are the ones their package's names refer to."""
        return [d for d in self._file_types.get(path, []) if self._types.get((d.file.package, d.name)) is d]


def receiver_type(parsed: Parsed, method: Any) -> str:
    """The receiver type name of a method declaration (`Server` for `func (s *Server) routes()`)."""
    receiver = method.child_by_field_name("receiver")
    if receiver is None:
        return ""
    for declaration in receiver.named_children:
        type_node = declaration.child_by_field_name("type")
        while type_node is not None and type_node.type in ("pointer_type", "generic_type"):
            type_node = type_node.named_children[0] if type_node.named_child_count else None
        if type_node is not None:
            return parsed.text(type_node)
    return ""


def struct_fields(parsed: Parsed, type_spec: Any) -> list[Any]:
    """The `field_declaration` nodes of a struct type declaration ([] when it is not a struct)."""
    struct = type_spec.child_by_field_name("type")
    if struct is None or struct.type != "struct_type":
        return []
    body = next((c for c in struct.named_children if c.type == "field_declaration_list"), None)
    return [] if body is None else [c for c in body.named_children if c.type == "field_declaration"]


_last: tuple[weakref.ref[Codebase], GoProgram] | None = None


def go_program(code: Codebase) -> GoProgram:
    """The Go program of a codebase, read once however many adapters ask for it."""
    global _last  # noqa: PLW0603 - a one-entry cache: the adapters of one analysis share one reading
    if _last is not None and _last[0]() is code:
        return _last[1]
    program = GoProgram(code)
    _last = (weakref.ref(code), program)
    return program


def arity(decl: GoDecl) -> int:
    """The number of parameters of a function or method."""
    parameters = decl.node.child_by_field_name("parameters")
    return sum(max(1, len(d.children_by_field_name("name"))) for d in parameters.named_children) \
        if parameters is not None else 0
