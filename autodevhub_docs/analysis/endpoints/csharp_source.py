# A C# program as the ASP.NET Core and EF Core readers see it: the application's `.cs` files (test projects,
# vendored and example code left out) parsed with tree-sitter, every class with its attributes and base types,
# every method by name, and the string constants attributes and calls refer to (`const string`, `nameof(X)`,
# concatenations and interpolations of constants).
from __future__ import annotations

import bisect
import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.analysis.codebase import Codebase, is_test_file
from autodevhub_docs.analysis.endpoints.aspnet_syntax import (
    CLASS_TYPES,
    CsAttribute,
    attributes_of,
    declarations,
    has_modifier,
    modifiers,
    simple_name,
    type_arguments,
)
from autodevhub_docs.analysis.endpoints.lazy_sources import LazySources
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.treesitter import Parsed, walk

__all__ = ["CLASS_TYPES", "CsAttribute", "CsClass", "CsFile", "CsProgram", "attributes_of", "cs_program",
           "has_modifier", "is_application_source", "modifiers", "simple_name", "type_arguments"]
MAX_CONSTANT_DEPTH = 16
"""Deepest chain of constants referring to constants that is followed."""


def is_application_source(path: str) -> bool:
    """Whether a `.cs` path is application code (not a test, nor in a test project such as `Conduit.Tests/`)."""
    return path.endswith(".cs") and not is_test_file(path)


@dataclass(frozen=True, eq=False)
class CsFile:
    """One parsed C# file."""

    path: str
    """Repository-relative path."""
    parsed: Parsed
    """Its tree."""
    usings: tuple[tuple[str, int, bool], ...] = ()
    """(namespace, line, global) of each `using` directive."""

    def ref(self, node: Any) -> SourceRef:
        """Where a node of this file is."""
        return SourceRef(path=self.path, line=node.start_point[0] + 1)


@dataclass(frozen=True, eq=False)
class CsClass:
    """A class, record, struct or interface declaration."""

    name: str
    """Simple name."""
    node: Any
    """The declaration."""
    file: CsFile
    """File it is declared in."""
    attributes: tuple[CsAttribute, ...]
    """Its attributes."""
    bases: tuple[Any, ...]
    """Type nodes of its base list."""
    base_names: tuple[str, ...] = ()
    """Simple names of the base types (`IdentityDbContext` for `IdentityDbContext<User>`)."""

    def attribute(self, name: str) -> CsAttribute | None:
        """Its attribute of that name."""
        return next((a for a in self.attributes if a.name == name), None)

    def members(self, *types: str) -> Iterator[Any]:
        """Member declarations of these node types, in order."""
        body = self.node.child_by_field_name("body")
        for member in body.named_children if body is not None else []:
            if member.type in types:
                yield member


_SCANNED = ("Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "Controller", "Map", "WebApplication",
            "IEndpointRouteBuilder", "RouteGroupBuilder", "IApplicationBuilder", "DbContext", "IdentityUserContext",
            "IEntityTypeConfiguration", "UseSqlite", "UseNpgsql", "UseSqlServer", "UseAzureSql", "UseMySql",
            "UseMySQL")
"""What a file that a reader scans holds (the readers scan no other file, they only look names up in them).

- `Microsoft.AspNetCore`, `Microsoft.EntityFrameworkCore`: the `using` directives given as evidence (and a global
  `using` of EF Core, which `dotnet_databases` reads);
- `Controller`: a controller's name, its `[Controller]` attribute or a base class named so (`is_controller`);
- `Map`: every minimal-API call (`MapGet`, `MapGroup`, `MapMethods`...);
- the route builder types (`aspnet_minimal.BUILDER_TYPES`): the methods run on their own take or return one;
- `DbContext`, `IdentityUserContext`: the base classes of a DbContext (`efcore.CONTEXT_BASES`);
- `IEntityTypeConfiguration`: the fluent configuration classes;
- the EF Core provider calls (`dotnet_databases.PROVIDERS`).
A class that derives from one of these classes through classes of the program writes the name of its base:
`derived` finds it by that name."""
_KEYWORDS = frozenset({"bool", "byte", "sbyte", "char", "decimal", "double", "float", "int", "uint", "long", "ulong",
                       "short", "ushort", "object", "string", "void", ""})
"""Names no class or enum can have (a keyword is not an identifier): no file need be parsed to look them up."""


def _insert(items: list[Any], item: Any, rank: tuple[int, int], key: Any) -> None:
    """Insert an item in a list kept in program order (files mostly come in path order: appended)."""
    if not items or key(items[-1]) < rank:
        items.append(item)
    else:
        bisect.insort(items, item, key=key)


class CsProgram:
    """The application C# files of a repository, with their classes, methods and constants, parsed on demand.

    Files that a reader scans (`_SCANNED`) are parsed up front and are `files`; any other file is parsed the
    first time a name it writes is looked up (`lazy_sources`): a class, method or constant is declared with its name,
    and a class derived from another writes the base's name.

    Args:
        code: The codebase to read.
    """

    def __init__(self, code: Codebase) -> None:
        self.derived: dict[str, Any] = {}
        """Facts other readers derive from the program, computed once (the databases it configures...)."""
        self._classes: dict[str, list[CsClass]] = defaultdict(list)
        self._methods: dict[str, list[tuple[Any, CsClass]]] = defaultdict(list)
        self._enums: set[str] = set()
        self._constants: dict[tuple[str, str], tuple[tuple[int, int], Any, CsFile]] = {}
        self._by_base: dict[str, list[CsClass]] = defaultdict(list)
        self._file_classes: dict[str, list[CsClass]] = {}
        self._file_methods: dict[str, list[tuple[Any, CsClass]]] = {}
        self._file_method_names: dict[str, list[str]] = {}
        self._ancestry: dict[int, list[str]] = {}
        self._cs_files: dict[str, CsFile] = {}
        paths = sorted(p for p in code.source_files(".cs") if is_application_source(p))
        self.sources = LazySources(code, paths, "csharp", _SCANNED, self._add)
        """The files, read up front and parsed on demand."""
        self.problems: list[str] = self.sources.problems
        """Files that could not be read, with the reason."""
        self.sources.start()
        self.files: list[CsFile] = [self._cs_files[p] for p in self.sources.eager if p in self._cs_files]
        """Files a reader scans, in path order."""

    def rank(self, file: CsFile, node: Any) -> tuple[int, int]:
        """Where a node is in the order of the program: its file's rank in path order, then its offset."""
        return self.sources.order[file.path], node.start_byte

    def _add(self, path: str, parsed: Parsed) -> None:
        usings: list[tuple[str, int, bool]] = []
        types = []
        for node in declarations(parsed.root):
            if node.type == "using_directive":
                name = next((c for c in node.named_children if c.type in ("qualified_name", "identifier")), None)
                if name is not None:
                    usings.append((parsed.text(name), node.start_point[0] + 1,
                                   parsed.text(node).lstrip().startswith("global")))
            elif node.type == "enum_declaration" and node.child_by_field_name("name") is not None:
                self._enums.add(parsed.text(node.child_by_field_name("name")))
            elif node.type in CLASS_TYPES:
                types.append(node)
        file = CsFile(path=path, parsed=parsed, usings=tuple(usings))
        self._cs_files[path] = file
        self._file_methods[path] = []
        self._file_method_names[path] = []
        self._file_classes[path] = [cls for node in types if (cls := self._index(file, node)) is not None]

    def _index(self, file: CsFile, node: Any) -> CsClass | None:
        parsed = file.parsed
        name = node.child_by_field_name("name")
        if name is None:
            return None
        base_list = next((c for c in node.named_children if c.type == "base_list"), None)
        bases = tuple(c for c in base_list.named_children if c.type != "argument_list") if base_list else ()
        cls = CsClass(name=parsed.text(name), node=node, file=file, attributes=attributes_of(parsed, node),
                      bases=bases, base_names=tuple(simple_name(parsed, b) for b in bases))
        rank = self.rank
        _insert(self._classes[cls.name], cls, rank(file, node), lambda c: rank(c.file, c.node))
        for base in set(cls.base_names):
            self._by_base[base].append(cls)
        for member in cls.members("method_declaration", "field_declaration"):
            if member.type == "method_declaration":
                method_name = member.child_by_field_name("name")
                if method_name is not None:
                    text = parsed.text(method_name)
                    _insert(self._methods[text], (member, cls), rank(file, member), lambda mc: rank(mc[1].file, mc[0]))
                    self._file_methods[file.path].append((member, cls))
                    self._file_method_names[file.path].append(text)
            elif has_modifier(parsed, member, "const"):
                for declarator in walk(member, frozenset({"variable_declarator"})):
                    const_name = declarator.child_by_field_name("name")
                    value = next((c for c in reversed(declarator.named_children) if c is not const_name), None)
                    key = (cls.name, parsed.text(const_name)) if const_name is not None else None
                    # The last declaration in path order wins, as when every file is read in order.
                    if key is not None and value is not None and (
                            key not in self._constants or self._constants[key][0] < rank(file, declarator)):
                        self._constants[key] = (rank(file, declarator), value, file)
        return cls

    def classes_named(self, name: str) -> list[CsClass]:
        """The classes of that simple name, in program order."""
        if name in _KEYWORDS:
            return []
        self.sources.need(name)
        return self._classes.get(name, [])

    def class_named(self, name: str) -> CsClass | None:
        """The (first) class of that simple name."""
        found = self.classes_named(name)
        return found[0] if found else None

    def methods_named(self, name: str) -> list[tuple[Any, CsClass]]:
        """(declaration, class) of every method of that name, in program order."""
        if name in _KEYWORDS:
            return []
        self.sources.need(name)
        return self._methods.get(name, [])

    def is_enum(self, name: str) -> bool:
        """Whether an enum type of the program has that name."""
        if name in _KEYWORDS:
            return False
        self.sources.need(name)
        return name in self._enums

    def parsed_files(self) -> list[CsFile]:
        """Every file parsed so far, in path order."""
        return sorted(self._cs_files.values(), key=lambda f: self.sources.order[f.path])

    def files_with_word(self, name: str) -> list[CsFile]:
        """The parsed files not read up front where a name is written."""
        return [self._cs_files[p] for p in self.sources.with_word(name) if p in self._cs_files]

    def methods_in(self, files: Iterable[CsFile]) -> list[tuple[Any, CsClass]]:
        """(declaration, class) of the named methods of some parsed files, in file order."""
        return [mc for f in files for mc in self._file_methods[f.path]]

    def method_names_in(self, file: CsFile) -> list[str]:
        """The names of the methods of a parsed file, in file order."""
        return self._file_method_names[file.path]

    def classes_in(self, files: Iterable[CsFile]) -> list[CsClass]:
        """The classes of some parsed files."""
        return [c for f in files for c in self._file_classes[f.path]]

    def derived_from(self, markers: tuple[str, ...]) -> list[CsClass]:
        """The classes a reader scanning every class for a name, attribute or ancestor holding a marker must see.

        They are the classes of the files holding a marker (a class named so, or with such an attribute or base,
        is in one), and the classes deriving from those that show one, through the program's classes: a derived
        class writes its base's name, so the files writing it are parsed. In program order (that of the first
        class of each name, then of the classes of a name), as when every file is read.
        """
        texts = self.sources.texts
        found = {id(c): c for c in self.classes_in(f for f in self.files if any(m in texts[f.path] for m in markers))}
        pending = [c for c in found.values() if any(m in n for m in markers for n in (
            c.name, *c.base_names, *(a.name for a in c.attributes)))]
        expanded: set[str] = set()
        while pending:
            cls = pending.pop()
            if cls.name in expanded:
                continue
            expanded.add(cls.name)
            if not any(m in cls.name for m in markers):  # else every file writing it holds a marker
                self.sources.need(cls.name)
            for sub in self._by_base.get(cls.name, []):
                if id(sub) not in found:
                    found[id(sub)] = sub
                    pending.append(sub)
        first = {name: self.rank(c.file, c.node) for name in {c.name for c in found.values()}
                 if (c := self.class_named(name)) is not None}
        return sorted(found.values(), key=lambda c: (first[c.name], self.rank(c.file, c.node)))

    def ancestry(self, cls: CsClass) -> list[str]:
        """Simple names of every base type, nearest first, through the program's own classes."""
        known = self._ancestry.get(id(cls))
        if known is not None:  # final once read: looking a base up parses every file that could declare it
            return known
        names: list[str] = []
        pending = list(cls.base_names)
        while pending and len(names) < MAX_CONSTANT_DEPTH:
            name = pending.pop(0)
            if name in names:
                continue
            names.append(name)
            base = self.class_named(name)
            if base is not None:
                pending.extend(base.base_names)
        self._ancestry[id(cls)] = names
        return names

    def string(self, node: Any, file: CsFile, owner: str = "", depth: int = 0) -> str | None:  # noqa: PLR0911 - per kind
        """The value of a constant string expression, or None when it is not one.

        Args:
            node: The expression.
            file: File it is written in.
            owner: Class whose constants a bare name refers to.
            depth: Constants followed so far.
        """
        if node is None or depth > MAX_CONSTANT_DEPTH:
            return None
        parsed = file.parsed
        kind = node.type
        if kind in ("string_literal", "verbatim_string_literal", "raw_string_literal"):
            return parsed.literal(node)
        if kind == "parenthesized_expression" and node.named_child_count:
            return self.string(node.named_children[0], file, owner, depth)
        if kind == "binary_expression":
            left = self.string(node.child_by_field_name("left"), file, owner, depth)
            right = self.string(node.child_by_field_name("right"), file, owner, depth)
            return left + right if left is not None and right is not None else None
        if kind == "interpolated_string_expression":
            return self._interpolated(node, file, owner, depth)
        if kind == "invocation_expression":
            return _nameof(parsed, node)
        if kind in ("identifier", "member_access_expression"):
            holder = owner
            if kind == "member_access_expression":
                holder = simple_name(parsed, node.child_by_field_name("expression"))
            found = self._constant(holder, simple_name(parsed, node))
            if found is not None:
                value, declared_in, declaring_class = found
                return self.string(value, declared_in, declaring_class, depth + 1)
        return None

    def _constant(self, holder: str, name: str) -> tuple[Any, CsFile, str] | None:
        """A constant of a class or of one of its base classes (a controller uses its base's route constants)."""
        cls = self.class_named(holder)  # looking a class up parses every file that could declare its constants
        for candidate in [holder, *(self.ancestry(cls) if cls is not None else [])]:
            constant = self._constants.get((candidate, name))
            if constant is not None:
                return constant[1], constant[2], candidate
        return None

    def _interpolated(self, node: Any, file: CsFile, owner: str, depth: int) -> str | None:
        """`$"{Prefix}/items"` when every interpolated part is a constant."""
        parts = []
        for child in node.named_children:
            if child.type == "string_content":  # `{{` and `}}` are escaped braces
                parts.append(file.parsed.text(child).replace("{{", "{").replace("}}", "}"))
            elif child.type == "interpolation":
                inner = next((c for c in child.named_children if c.type != "interpolation_brace"), None)
                value = self.string(inner, file, owner, depth)
                if value is None:
                    return None
                parts.append(value)
        return "".join(parts)


def _nameof(parsed: Parsed, node: Any) -> str | None:
    """`nameof(Article.Slug)` is `Slug`."""
    function, arguments = node.child_by_field_name("function"), node.child_by_field_name("arguments")
    if function is None or parsed.text(function) != "nameof" or arguments is None or not arguments.named_child_count:
        return None
    argument = arguments.named_children[0]
    return simple_name(parsed, argument.named_children[0]) if argument.named_child_count else None


_last: tuple[weakref.ref[Codebase], CsProgram] | None = None


def cs_program(code: Codebase) -> CsProgram:
    """The C# program of a codebase, read once however many adapters ask for it."""
    global _last  # noqa: PLW0603 - a one-entry cache: the adapters of one analysis share one reading
    if _last is not None and _last[0]() is code:
        return _last[1]
    program = CsProgram(code)
    _last = (weakref.ref(code), program)
    return program
