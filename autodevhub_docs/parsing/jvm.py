# Java and Kotlin declarations in one shape, read from their tree-sitter trees: classes, interfaces, objects and
# enums (nested ones too), their annotations with arguments by name, their supertypes, fields (Kotlin constructor
# properties included) and methods, the imports, and the compile-time string constants (`static final String`,
# interface constants, Kotlin `const val`). Framework adapters read annotations from here without caring which of
# the two languages a file is written in.
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from autodevhub_docs.parsing.treesitter import Parsed, reparse, walk

_JAVA_TYPES = {"class_declaration": "class", "interface_declaration": "interface", "enum_declaration": "enum",
               "record_declaration": "record", "annotation_type_declaration": "annotation"}
_KOTLIN_TYPES = {"class_declaration": "class", "object_declaration": "object", "companion_object": "companion"}
_BODIES = frozenset({"class_body", "interface_body", "enum_body", "enum_body_declarations",
                     "annotation_type_body"})
_ARRAYS = frozenset({"element_value_array_initializer", "collection_literal"})
_COLLECTIONS = frozenset({
    "List", "Set", "Collection", "Iterable", "SortedSet", "NavigableSet", "LinkedHashSet", "HashSet", "ArrayList",
    "LinkedList", "TreeSet", "MutableList", "MutableSet", "MutableCollection", "Map", "MutableMap", "HashMap",
    "LinkedHashMap", "TreeMap", "SortedMap", "Flux", "Mono", "Optional", "Array",
})
"""Containers whose last type argument is the element type (`List<Item>`, `Map<String, Item>`)."""
_MAX_TYPE_NESTING = 8
"""Deepest nesting of containers read for an element type."""


@dataclass(frozen=True)
class Annotation:
    """One annotation: its simple name and its arguments by name (`value` for positional ones)."""

    name: str
    """Simple name (`GetMapping` for `@org.springframework...GetMapping`)."""
    line: int
    """1-based line."""
    arguments: Mapping[str, tuple[Any, ...]]
    """Argument name -> expression nodes; array arguments are flattened into their elements."""

    def values(self, *names: str) -> tuple[Any, ...]:
        """The expression nodes of the first of these arguments that is given (an empty tuple when none is)."""
        return next((self.arguments[n] for n in names if n in self.arguments), ())

    def has(self, name: str) -> bool:
        """Whether the argument is given."""
        return name in self.arguments


@dataclass(frozen=True)
class Member:
    """A field, a Kotlin property or a method."""

    name: str
    """Declared name."""
    kind: str
    """`field` or `method`."""
    annotations: tuple[Annotation, ...]
    """Its annotations, in source order."""
    type: str
    """Declared type (or return type) as written, '' when inferred."""
    line: int
    """1-based line of the declaration."""
    static: bool = False
    """Java `static` (Kotlin companion members are read from the companion object)."""
    transient: bool = False
    """Java `transient` modifier (not persisted)."""

    def annotation(self, *names: str) -> Annotation | None:
        """The first annotation with one of these simple names."""
        return next((a for a in self.annotations if a.name in names), None)


@dataclass(frozen=True)
class Declaration:
    """A class-like declaration."""

    name: str
    """Simple name."""
    kind: str
    """`class`, `interface`, `enum`, `record`, `annotation`, `object` or `companion`."""
    path: str
    """File it is declared in."""
    line: int
    """1-based line of the declaration."""
    owner: str
    """Simple name of the enclosing declaration ('' at top level)."""
    annotations: tuple[Annotation, ...]
    """Its annotations."""
    supertypes: tuple[str, ...]
    """Simple names of the classes and interfaces it extends or implements."""
    abstract: bool = False
    """Declared `abstract` (Java) or `abstract`/`sealed` (Kotlin)."""
    parsed: Parsed | None = field(default=None, compare=False, repr=False)
    """The file's tree (members are read from it when first asked for)."""
    node: Any = field(default=None, compare=False, repr=False)
    """The declaration's node."""

    @cached_property
    def members(self) -> tuple[Member, ...]:
        """Fields, properties and methods, in source order (read on first use: most classes are never asked)."""
        if self.parsed is None or self.node is None:
            return ()
        parsed, node = self.parsed, self.node
        body = _child(node, *_BODIES)
        if parsed.grammar == "kotlin":
            found = list(_kotlin_constructor_properties(parsed, node))
            return tuple(found + list(_kotlin_members(parsed, body)) if body is not None else found)
        return tuple(_java_members(parsed, body, self.kind)) if body is not None else ()

    def annotation(self, *names: str) -> Annotation | None:
        """The first annotation with one of these simple names."""
        return next((a for a in self.annotations if a.name in names), None)


@dataclass(frozen=True)
class JvmFile:
    """What one Java or Kotlin file declares."""

    path: str
    """Repository-relative path."""
    parsed: Parsed
    """Its tree."""
    imports: tuple[tuple[str, int], ...]
    """Imported names (`jakarta.persistence.Entity`, `org.x.*`) with their line."""
    declarations: tuple[Declaration, ...]
    """Every class-like declaration, nested ones included, in source order."""
    constants: tuple[tuple[str, str, Any], ...] = field(default=())
    """(owner simple name, constant name, initializer node) of each compile-time constant; owner '' for Kotlin
    top-level `const val`. A companion object's constants belong to its class."""
    problem_line: int | None = None
    """First line the grammar could not read (declarations after it may be missed), None when all was read."""

    def imports_any(self, *prefixes: str) -> tuple[str, int] | None:
        """The first import that starts with one of these prefixes."""
        return next(((name, line) for name, line in self.imports if name.startswith(prefixes)), None)


def _line(node: Any) -> int:
    return int(node.start_point[0]) + 1


def _child(node: Any, *types: str) -> Any | None:
    return next((c for c in node.children if c.type in types), None)


def _simple(name: str) -> str:
    """`a.b.C<D>` -> `C`; `Item?` -> `Item`."""
    return name.split("<", 1)[0].rstrip("?").rsplit(".", 1)[-1].strip()


def element_type(type_text: str) -> tuple[str, bool]:
    """The type a member holds and whether it is a collection.

    `List<Item>` gives (`Item`, True), `Item?` gives (`Item`, False), `Item[]` gives (`Item`, True).

    Args:
        type_text: A declared type as written.
    """
    text = type_text.strip().rstrip("?")
    if text.endswith("[]"):
        return _simple(text[:-2]), True
    collection: bool | None = None
    for _ in range(_MAX_TYPE_NESTING):  # `List<Set<Item>>`: the innermost type, the outermost container
        base = _simple(text)
        if "<" not in text or ">" not in text or base not in _COLLECTIONS:
            return base, bool(collection)
        if collection is None:
            collection = base not in {"Optional", "Mono"}
        inner = text[text.index("<") + 1: text.rindex(">")]
        depth, start = 0, 0
        for index, char in enumerate(inner):
            depth += {"<": 1, ">": -1}.get(char, 0)
            if char == "," and depth == 0:
                start = index + 1
        text = inner[start:].replace("out ", "").replace("in ", "").strip().rstrip("?")
    return _simple(text), bool(collection)


# ---- annotations -------------------------------------------------------------------------------------------------
def _flatten(parsed: Parsed, node: Any) -> tuple[Any, ...]:
    if node.type in _ARRAYS:
        return tuple(c for c in node.named_children if c.type not in ("line_comment", "block_comment"))
    if node.type == "call_expression" and parsed.text(node.children[0]) in ("arrayOf", "listOf"):
        args = _child(node, "value_arguments")
        return tuple(a.named_children[-1] for a in args.named_children if a.type == "value_argument") if args else ()
    return (node,)


def _java_annotation(parsed: Parsed, node: Any) -> Annotation:
    name = node.child_by_field_name("name")
    arguments: dict[str, tuple[Any, ...]] = {}
    args = node.child_by_field_name("arguments")
    for arg in args.named_children if args is not None else ():
        if arg.type == "element_value_pair":
            key, value = arg.child_by_field_name("key"), arg.child_by_field_name("value")
            if key is not None and value is not None:
                arguments[parsed.text(key)] = _flatten(parsed, value)
        elif arg.type not in ("line_comment", "block_comment"):
            arguments["value"] = _flatten(parsed, arg)
    return Annotation(name=_simple(parsed.text(name)) if name is not None else "", line=_line(node),
                      arguments=arguments)


def _kotlin_annotation(parsed: Parsed, node: Any) -> Annotation:
    target = _child(node, "constructor_invocation", "user_type")
    if target is None:
        return Annotation(name="", line=_line(node), arguments={})
    kind = _child(target, "user_type") if target.type == "constructor_invocation" else target
    arguments: dict[str, tuple[Any, ...]] = {}
    args = _child(target, "value_arguments")
    positional: list[Any] = []
    for arg in args.named_children if args is not None else ():
        if arg.type != "value_argument" or not arg.named_children:
            continue
        value = arg.named_children[-1]
        named = len(arg.named_children) > 1 and arg.named_children[0].type == "identifier" and any(
            c.type == "=" for c in arg.children)
        if named:
            arguments[parsed.text(arg.named_children[0])] = _flatten(parsed, value)
        else:
            positional.extend(_flatten(parsed, value))  # Java `value` arrays are varargs in Kotlin
    if positional:
        arguments["value"] = tuple(positional)
    return Annotation(name=_simple(parsed.text(kind)) if kind is not None else "", line=_line(node),
                      arguments=arguments)


def annotations_of(parsed: Parsed, node: Any) -> tuple[Annotation, ...]:
    """The annotations of a declaration (from its `modifiers`).

    Args:
        parsed: The file's tree.
        node: A class, member or parameter node.
    """
    found: list[Annotation] = []
    for holder in node.children:
        if holder.type not in ("modifiers", "parameter_modifiers"):
            continue
        for item in holder.children:
            if item.type in ("annotation", "marker_annotation"):
                found.append(_kotlin_annotation(parsed, item) if parsed.grammar == "kotlin"
                             else _java_annotation(parsed, item))
    return tuple(found)


def _modifier_words(parsed: Parsed, node: Any) -> set[str]:
    holder = _child(node, "modifiers")
    if holder is None:
        return set()
    return {parsed.text(c) for c in holder.children if c.type not in ("annotation", "marker_annotation")} | {
        parsed.text(g) for c in holder.children for g in c.children if c.type.endswith("_modifier")}


# ---- members -----------------------------------------------------------------------------------------------------
def _java_members(parsed: Parsed, body: Any, kind: str) -> Iterator[Member]:
    for node in body.children:
        if node.type in ("field_declaration", "constant_declaration"):
            words = _modifier_words(parsed, node)
            type_node = node.child_by_field_name("type")
            for declarator in (c for c in node.children if c.type == "variable_declarator"):
                name = declarator.child_by_field_name("name")
                yield Member(name=parsed.text(name) if name is not None else "", kind="field",
                             annotations=annotations_of(parsed, node),
                             type=parsed.text(type_node) if type_node is not None else "", line=_line(node),
                             static="static" in words or kind == "interface", transient="transient" in words)
        elif node.type == "method_declaration":
            name, type_node = node.child_by_field_name("name"), node.child_by_field_name("type")
            yield Member(name=parsed.text(name) if name is not None else "", kind="method",
                         annotations=annotations_of(parsed, node),
                         type=parsed.text(type_node) if type_node is not None else "", line=_line(node),
                         static="static" in _modifier_words(parsed, node))
        elif node.type in _BODIES:
            yield from _java_members(parsed, node, kind)


def _kotlin_type(parsed: Parsed, node: Any) -> str:
    kind = _child(node, "user_type", "nullable_type", "function_type")
    return parsed.text(kind) if kind is not None else ""


def _kotlin_members(parsed: Parsed, body: Any) -> Iterator[Member]:
    for node in body.children:
        if node.type == "property_declaration":
            variable = _child(node, "variable_declaration")
            name = _child(variable, "identifier") if variable is not None else None
            yield Member(name=parsed.text(name) if name is not None else "", kind="field",
                         annotations=annotations_of(parsed, node),
                         type=_kotlin_type(parsed, variable) if variable is not None else "", line=_line(node))
        elif node.type == "function_declaration":
            name = _child(node, "identifier")
            yield Member(name=parsed.text(name) if name is not None else "", kind="method",
                         annotations=annotations_of(parsed, node), type=_kotlin_type(parsed, node),
                         line=_line(node))


def _initializer(node: Any) -> Any | None:
    """The expression after `=` in a Kotlin property declaration."""
    seen = False
    for child in node.children:
        if seen and child.is_named:
            return child
        seen = seen or child.type == "="
    return None


def _kotlin_constructor_properties(parsed: Parsed, node: Any) -> Iterator[Member]:
    params = _child(node, "primary_constructor")
    params = _child(params, "class_parameters") if params is not None else None
    for param in params.children if params is not None else ():
        if param.type == "class_parameter" and any(c.type in ("val", "var") for c in param.children):
            name = _child(param, "identifier")
            yield Member(name=parsed.text(name) if name is not None else "", kind="field",
                         annotations=annotations_of(parsed, param), type=_kotlin_type(parsed, param),
                         line=_line(param))


def _supertypes(parsed: Parsed, node: Any) -> tuple[str, ...]:
    names: list[str] = []
    for child in node.children:
        if child.type in ("superclass", "super_interfaces", "extends_interfaces"):
            names.extend(_simple(parsed.text(t)) for t in _type_nodes(child))
        elif child.type == "delegation_specifiers":
            for spec in child.named_children:
                kind = _child(spec, "user_type", "constructor_invocation")
                kind = _child(kind, "user_type") if kind is not None and kind.type == "constructor_invocation" \
                    else kind
                if kind is not None:
                    names.append(_simple(parsed.text(kind)))
    return tuple(n for n in names if n)


def _type_nodes(node: Any) -> Iterator[Any]:
    for child in node.named_children:
        if child.type == "type_list":
            yield from _type_nodes(child)
        elif child.type in ("type_identifier", "scoped_type_identifier", "generic_type"):
            yield child


# ---- files -------------------------------------------------------------------------------------------------------
def _imports(parsed: Parsed, top: list[Any]) -> tuple[tuple[str, int], ...]:
    found = []
    for node in top:
        if node.type in ("import_declaration", "import"):
            name = _child(node, "scoped_identifier", "qualified_identifier", "identifier")
            if name is not None:
                star = any(c.type in ("asterisk", "*") for c in node.children)
                found.append((parsed.text(name) + (".*" if star else ""), _line(node)))
        elif node.type == "import_list":
            found.extend((parsed.text(_child(i, "identifier") or i), _line(i)) for i in node.named_children)
    return tuple(found)


_KOTLIN_TOP = frozenset({"package_header", "import", "import_list", "class_declaration", "object_declaration",
                         "function_declaration", "property_declaration", "type_alias", "line_comment",
                         "multiline_comment", "block_comment", "file_annotation", "shebang_line"})
"""What a Kotlin file holds at its top level; anything else there (an expression) is a misreading."""
_KOTLIN_DECLARATIONS = frozenset({"class_declaration", "object_declaration", "function_declaration",
                                  "property_declaration", "type_alias"})


def _kotlin_top_level(parsed: Parsed) -> list[Any]:
    """The top-level nodes of a Kotlin file, with misread spans parsed again on their own.

    The grammar sometimes reads a declaration as an expression (its annotations as `@A (args)`, `class X {...}` as
    an infix call), with or without an ERROR node. Such a span is parsed alone, then with the declaration after it;
    each span is parsed at most twice, so the cost stays linear.
    """
    kids = parsed.root.children
    found: list[Any] = []
    index = 0
    while index < len(kids):
        node = kids[index]
        if node.type in _KOTLIN_TOP:
            found.append(node)
            index += 1
            continue
        end = index
        while end + 1 < len(kids) and kids[end + 1].type not in _KOTLIN_TOP:
            end += 1
        attempts = [end] + ([end + 1] if end + 1 < len(kids) and kids[end + 1].type in _KOTLIN_DECLARATIONS else [])
        best: list[Any] = list(kids[index:end + 1])
        for last in attempts:
            again = reparse(parsed, node, kids[last]).children
            if again and all(k.type in _KOTLIN_TOP for k in again):
                best, end = list(again), last
                break
        found.extend(best)
        index = end + 1
    return found


def _problem_line(parsed: Parsed, top: list[Any]) -> int | None:
    """The first line the grammar could not read, if any."""
    for node in top:
        if node.type == "ERROR" or (parsed.grammar == "kotlin" and node.type not in _KOTLIN_TOP):
            return _line(node)
        if node.has_error:
            return next((_line(n) for n in walk(node) if n.type == "ERROR" or n.is_missing), _line(node))
    return None


def read_file(path: str, parsed: Parsed) -> JvmFile:
    """Read the declarations, imports and constants of a parsed Java or Kotlin file.

    The tree is walked without recursion: the nesting of a hostile file cannot exhaust the stack.

    Args:
        path: Repository-relative path.
        parsed: The file parsed with the `java` or `kotlin` grammar.
    """
    kotlin = parsed.grammar == "kotlin"
    kinds = _KOTLIN_TYPES if kotlin else _JAVA_TYPES
    top = _kotlin_top_level(parsed) if kotlin else list(parsed.root.children)
    declarations: list[Declaration] = []
    constants: list[tuple[str, str, Any]] = []
    stack: list[tuple[Any, str]] = [(node, "") for node in reversed(top)]
    while stack:
        node, owner = stack.pop()
        if node.type in kinds:
            declaration, values = _declaration(parsed, path, node, owner, kinds[node.type])
            declarations.append(declaration)
            constants.extend((owner if declaration.kind == "companion" else declaration.name, name, value)
                             for name, value in values)
            owner = owner if declaration.kind == "companion" else declaration.name
        stack.extend((child, owner) for child in reversed(node.children)
                     if child.type in kinds or child.type in _BODIES or child.type == "ERROR")
    if kotlin:
        constants.extend(("", name, value) for name, value in _constants(parsed, top, "file"))
    declarations.sort(key=lambda d: d.line)
    return JvmFile(path=path, parsed=parsed, imports=_imports(parsed, top), declarations=tuple(declarations),
                   constants=tuple(constants), problem_line=_problem_line(parsed, top))


def _declaration(parsed: Parsed, path: str, node: Any, owner: str, kind: str
                 ) -> tuple[Declaration, list[tuple[str, Any]]]:
    """A declaration (members left for later) and its compile-time constants as (name, initializer)."""
    kotlin = parsed.grammar == "kotlin"
    children = node.children
    if kotlin and kind == "class" and any(c.type == "interface" for c in children):
        kind = "interface"
    if kotlin and kind == "class" and any(c.type == "enum" for g in children if g.type == "modifiers"
                                          for m in g.children for c in m.children):
        kind = "enum"
    name = node.child_by_field_name("name") if not kotlin else _child(node, "identifier", "type_identifier")
    body = _child(node, *_BODIES)
    words = _modifier_words(parsed, node)
    declaration = Declaration(name=parsed.text(name) if name is not None else "Companion", kind=kind, path=path,
                              line=_line(node), owner=owner, annotations=annotations_of(parsed, node),
                              supertypes=_supertypes(parsed, node), abstract=bool(words & {"abstract", "sealed"}),
                              parsed=parsed, node=node)
    return declaration, list(_constants(parsed, body.children, kind)) if body is not None else []


def _constants(parsed: Parsed, nodes: list[Any], kind: str) -> Iterator[tuple[str, Any]]:
    """The compile-time string constants among a body's nodes, without reading its other members."""
    for node in nodes:
        if node.type in ("field_declaration", "constant_declaration"):
            words = _modifier_words(parsed, node) if node.type == "field_declaration" else {"static", "final"}
            type_node = node.child_by_field_name("type")
            constant = ("static" in words and "final" in words) or kind == "interface"
            if constant and type_node is not None and _simple(parsed.text(type_node)) == "String":
                for declarator in (c for c in node.children if c.type == "variable_declarator"):
                    name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
                    if name is not None and value is not None:
                        yield parsed.text(name), value
        elif node.type == "property_declaration" and "const" in _modifier_words(parsed, node):
            variable = _child(node, "variable_declaration")
            name = _child(variable, "identifier") if variable is not None else None
            value = _initializer(node)
            if name is not None and value is not None:
                yield parsed.text(name), value
        elif node.type == "enum_body_declarations":
            yield from _constants(parsed, node.children, kind)
