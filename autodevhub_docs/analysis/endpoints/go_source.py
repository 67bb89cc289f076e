# A Go program as the route and model readers see it: the application's `.go` files (tests, vendored and example
# code left out) grouped into packages, one per folder as the Go toolchain does, with each file's imports and
# every package's functions, methods, package-level variables and constants, and type declarations. Import paths
# of the repository's own packages are resolved through the `module` line of each go.mod.
from __future__ import annotations

import re
import weakref
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.analysis.codebase import Codebase, is_test_file
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.treesitter import Parsed
from autodevhub_docs.sources.manifests import read_manifest

_VERSION_SUFFIX = re.compile(r"^v\d+$")


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
    """Every application Go file of a repository, indexed by package.

    Args:
        code: The codebase to read.
    """

    def __init__(self, code: Codebase) -> None:
        self.files: list[GoFile] = []
        """Files parsed, in path order."""
        self.problems: list[str] = []
        """Files that could not be read, with the reason."""
        self.functions: dict[tuple[str, str], GoDecl] = {}
        """(package, name) -> function."""
        self.methods: dict[str, list[GoDecl]] = defaultdict(list)
        """Method name -> every method of that name, whatever its package or receiver."""
        self.values: dict[tuple[str, str], GoDecl] = {}
        """(package, name) -> package-level variable or constant (node: its value expression)."""
        self.types: dict[tuple[str, str], GoDecl] = {}
        """(package, name) -> type declaration."""
        self.entry_points: list[GoDecl] = []
        """`main` functions and every `init` (a package may have one per file)."""
        self.derived: dict[str, Any] = {}
        """Facts other readers derive from the program, computed once (the databases it opens...)."""
        self._modules = self._read_modules(code)
        packages: dict[str, str] = {}
        pending: list[tuple[str, Parsed, str, list[tuple[str | None, str, int]]]] = []
        for path in sorted(p for p in code.source_files(".go") if is_go_source(p)):
            parsed = code.parse(path, "go")
            if parsed is None:
                self.problems.append(f"{path}: unreadable or too large to parse")
                continue
            folder = Codebase.folder(path)
            clause = next((c for c in parsed.root.named_children if c.type == "package_clause"), None)
            if clause is not None and clause.named_child_count:
                packages.setdefault(folder, parsed.text(clause.named_children[0]))
            pending.append((path, parsed, folder, self._import_specs(parsed)))
        for path, parsed, folder, specs in pending:
            imports: dict[str, str] = {}
            for alias, import_path, _line in specs:
                if alias in ("_", "."):
                    continue
                target = self.package_of(import_path)
                name = alias or (packages.get(target, "") if target is not None else "")
                imports[name or default_import_name(import_path)] = import_path
            file = GoFile(path=path, parsed=parsed, package=folder, imports=imports,
                          import_lines={spec[1]: spec[2] for spec in reversed(specs)})
            self.files.append(file)
            self._index(file)

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

    def _index(self, file: GoFile) -> None:
        parsed = file.parsed
        for node in parsed.root.named_children:
            name = node.child_by_field_name("name")
            if node.type == "function_declaration" and name is not None:
                decl = GoDecl(parsed.text(name), node, file)
                self.functions.setdefault((file.package, decl.name), decl)
                if decl.name in ("main", "init"):
                    self.entry_points.append(decl)
            elif node.type == "method_declaration" and name is not None:
                receiver = receiver_type(parsed, node)
                self.methods[parsed.text(name)].append(GoDecl(parsed.text(name), node, file, receiver))
            elif node.type in ("var_declaration", "const_declaration"):
                self._index_values(file, node)
            elif node.type == "type_declaration":
                for spec in node.named_children:
                    spec_name = spec.child_by_field_name("name")
                    if spec.type in ("type_spec", "type_alias") and spec_name is not None:
                        key = (file.package, parsed.text(spec_name))
                        self.types.setdefault(key, GoDecl(key[1], spec, file))

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
            for index, name in enumerate(names):
                if index < len(values):
                    key = (file.package, parsed.text(name))
                    self.values.setdefault(key, GoDecl(key[1], values[index], file))

    def declarations(self) -> list[GoDecl]:
        """Every function and method, in file order."""
        found = list(self.functions.values()) + [m for ms in self.methods.values() for m in ms]
        return sorted(found, key=lambda d: (d.file.path, d.node.start_byte))

    def methods_of(self, package: str, type_name: str, name: str) -> list[GoDecl]:
        """Methods called `name` of a type (of any type of the package when the type is not known)."""
        found = [m for m in self.methods.get(name, []) if m.file.package == package]
        typed = [m for m in found if m.receiver == type_name]
        return typed if type_name and typed else found


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
