# A C# program as the ASP.NET Core and EF Core readers see it: the application's `.cs` files (test projects,
# vendored and example code left out) parsed with tree-sitter, every class with its attributes and base types,
# every method by name, and the string constants attributes and calls refer to (`const string`, `nameof(X)`,
# concatenations and interpolations of constants).
from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.analysis.codebase import Codebase, is_test_file
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.treesitter import Parsed, walk

MAX_CONSTANT_DEPTH = 16
"""Deepest chain of constants referring to constants that is followed."""
CLASS_TYPES = frozenset({"class_declaration", "record_declaration", "struct_declaration", "interface_declaration"})


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


@dataclass(frozen=True)
class CsAttribute:
    """An attribute such as `[HttpGet("{slug}", Name = "x")]`."""

    name: str
    """Simple name without namespace or `Attribute` suffix (`HttpGet`)."""
    args: tuple[Any, ...]
    """Positional argument expressions."""
    named: dict[str, Any]
    """Named arguments (`Name = "x"`, `template: "x"`) -> expression."""
    node: Any
    """The attribute node."""


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

    @property
    def base_names(self) -> list[str]:
        """Simple names of the base types (`IdentityDbContext` for `IdentityDbContext<User>`)."""
        return [simple_name(self.file.parsed, b) for b in self.bases]

    def attribute(self, name: str) -> CsAttribute | None:
        """Its attribute of that name."""
        return next((a for a in self.attributes if a.name == name), None)

    def members(self, *types: str) -> Iterator[Any]:
        """Member declarations of these node types, in order."""
        body = self.node.child_by_field_name("body")
        for member in body.named_children if body is not None else []:
            if member.type in types:
                yield member


def _declarations(root: Any) -> Iterator[Any]:
    """`using` directives and type declarations, at any depth of namespaces and nested types.

    Bodies of methods are not entered: a walk of every node of every file would cost more than parsing it.
    """
    stack = list(reversed(root.named_children))
    while stack:
        node = stack.pop()
        if node.type in ("namespace_declaration", "file_scoped_namespace_declaration"):
            body = node.child_by_field_name("body")
            stack.extend(reversed(body.named_children if body is not None else node.named_children))
        elif node.type in CLASS_TYPES or node.type in ("using_directive", "enum_declaration"):
            yield node
            body = node.child_by_field_name("body") if node.type in CLASS_TYPES else None
            if body is not None:
                stack.extend(reversed([c for c in body.named_children if c.type in CLASS_TYPES
                                       or c.type == "enum_declaration"]))
        elif node.type == "declaration_list":
            stack.extend(reversed(node.named_children))


def simple_name(parsed: Parsed, node: Any) -> str:
    """The simple name of a type or name node (`Conduit.Models.User` -> `User`, `List<T>` -> `List`)."""
    while node is not None:
        if node.type == "identifier":
            return parsed.text(node)
        if node.type == "generic_name":
            node = node.named_children[0] if node.named_child_count else None
        elif node.type in ("qualified_name", "member_access_expression", "alias_qualified_name"):
            node = node.child_by_field_name("name")
        elif node.type == "nullable_type":
            node = node.child_by_field_name("type")
        elif node.type == "predefined_type":
            return parsed.text(node)
        else:
            return parsed.text(node)
    return ""


def type_arguments(node: Any) -> list[Any]:
    """The type arguments of a generic name (`DbSet<Article>` -> [Article]); [] otherwise."""
    while node is not None and node.type in ("nullable_type", "qualified_name"):
        node = node.child_by_field_name("type") if node.type == "nullable_type" else node.child_by_field_name("name")
    if node is None or node.type != "generic_name":
        return []
    arguments = next((c for c in node.named_children if c.type == "type_argument_list"), None)
    return list(arguments.named_children) if arguments is not None else []


def attributes_of(parsed: Parsed, node: Any) -> tuple[CsAttribute, ...]:
    """The attributes written on a declaration (or parameter)."""
    found = []
    for attribute_list in (c for c in node.named_children if c.type == "attribute_list"):
        for attribute in (c for c in attribute_list.named_children if c.type == "attribute"):
            name = simple_name(parsed, attribute.child_by_field_name("name")).removesuffix("Attribute")
            args, named = [], {}
            argument_list = next((c for c in attribute.named_children if c.type == "attribute_argument_list"), None)
            for argument in argument_list.named_children if argument_list is not None else []:
                label = argument.child_by_field_name("name")
                value = next((c for c in reversed(argument.named_children) if c is not label), None)
                if value is None:
                    continue
                if label is not None:
                    named[parsed.text(label)] = value
                else:
                    args.append(value)
            found.append(CsAttribute(name=name, args=tuple(args), named=named, node=attribute))
    return tuple(found)


def modifiers(parsed: Parsed, node: Any) -> set[str]:
    """The modifiers of a declaration (`public`, `static`, `abstract`...)."""
    return {parsed.text(c) for c in node.named_children if c.type == "modifier"}


class CsProgram:
    """Every application C# file of a repository, with its classes, methods and constants.

    Args:
        code: The codebase to read.
    """

    def __init__(self, code: Codebase) -> None:
        self.files: list[CsFile] = []
        """Files parsed, in path order."""
        self.problems: list[str] = []
        """Files that could not be read, with the reason."""
        self.classes: dict[str, list[CsClass]] = defaultdict(list)
        """Simple name -> the classes of that name."""
        self.methods: dict[str, list[tuple[Any, CsClass]]] = defaultdict(list)
        """Method name -> (declaration, class) of every method of that name."""
        self.enums: set[str] = set()
        """Names of the enum types."""
        self.derived: dict[str, Any] = {}
        """Facts other readers derive from the program, computed once (the databases it configures...)."""
        self._constants: dict[tuple[str, str], tuple[Any, CsFile]] = {}
        for path in sorted(p for p in code.source_files(".cs") if is_application_source(p)):
            parsed = code.parse(path, "csharp")
            if parsed is None:
                self.problems.append(f"{path}: unreadable or too large to parse")
                continue
            usings: list[tuple[str, int, bool]] = []
            types = []
            for node in _declarations(parsed.root):
                if node.type == "using_directive":
                    name = next((c for c in node.named_children if c.type in ("qualified_name", "identifier")), None)
                    if name is not None:
                        usings.append((parsed.text(name), node.start_point[0] + 1,
                                       parsed.text(node).lstrip().startswith("global")))
                elif node.type == "enum_declaration" and node.child_by_field_name("name") is not None:
                    self.enums.add(parsed.text(node.child_by_field_name("name")))
                elif node.type in CLASS_TYPES:
                    types.append(node)
            file = CsFile(path=path, parsed=parsed, usings=tuple(usings))
            self.files.append(file)
            for node in types:
                self._index(file, node)

    def _index(self, file: CsFile, node: Any) -> None:
        parsed = file.parsed
        name = node.child_by_field_name("name")
        if name is None:
            return
        base_list = next((c for c in node.named_children if c.type == "base_list"), None)
        bases = tuple(c for c in base_list.named_children if c.type != "argument_list") if base_list else ()
        cls = CsClass(name=parsed.text(name), node=node, file=file, attributes=attributes_of(parsed, node),
                      bases=bases)
        self.classes[cls.name].append(cls)
        for method in cls.members("method_declaration"):
            method_name = method.child_by_field_name("name")
            if method_name is not None:
                self.methods[parsed.text(method_name)].append((method, cls))
        for member in cls.members("field_declaration"):
            if "const" not in modifiers(parsed, member):
                continue
            for declarator in walk(member, frozenset({"variable_declarator"})):
                const_name = declarator.child_by_field_name("name")
                value = next((c for c in reversed(declarator.named_children) if c is not const_name), None)
                if const_name is not None and value is not None:
                    self._constants[(cls.name, parsed.text(const_name))] = (value, file)

    def class_named(self, name: str) -> CsClass | None:
        """The (first) class of that simple name."""
        found = self.classes.get(name)
        return found[0] if found else None

    def ancestry(self, cls: CsClass) -> list[str]:
        """Simple names of every base type, nearest first, through the program's own classes."""
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
        cls = self.class_named(holder)
        for candidate in [holder, *(self.ancestry(cls) if cls is not None else [])]:
            constant = self._constants.get((candidate, name))
            if constant is not None:
                return constant[0], constant[1], candidate
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
