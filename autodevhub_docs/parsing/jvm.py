# Java and Kotlin declarations in one shape, read from their tree-sitter trees: classes, interfaces, objects and
# enums (nested ones too), their annotations and supertypes, their members (read on first use, see `jvm_members`),
# the imports, and the compile-time string constants (`static final String`, interface constants, Kotlin
# `const val`). Framework adapters read annotations from here without caring which of the two languages a file is
# written in.
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from autodevhub_docs.parsing.jvm_members import (
    BODIES,
    Annotation,
    Member,
    child_of,
    initializer,
    java_members,
    kotlin_constructor_properties,
    kotlin_members,
    line_of,
    modifier_words,
    modifiers_of,
    simple_name,
)
from autodevhub_docs.parsing.treesitter import Parsed, reparse, walk

_JAVA_TYPES = {"class_declaration": "class", "interface_declaration": "interface", "enum_declaration": "enum",
               "record_declaration": "record", "annotation_type_declaration": "annotation"}
_KOTLIN_TYPES = {"class_declaration": "class", "object_declaration": "object", "companion_object": "companion"}
_COLLECTIONS = frozenset({
    "List", "Set", "Collection", "Iterable", "SortedSet", "NavigableSet", "LinkedHashSet", "HashSet", "ArrayList",
    "LinkedList", "TreeSet", "MutableList", "MutableSet", "MutableCollection", "Map", "MutableMap", "HashMap",
    "LinkedHashMap", "TreeMap", "SortedMap", "Flux", "Mono", "Optional", "Array",
})
"""Containers whose last type argument is the element type (`List<Item>`, `Map<String, Item>`)."""
_MAX_TYPE_NESTING = 8
"""Deepest nesting of containers read for an element type."""


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
        body = child_of(node, *BODIES)
        if parsed.grammar == "kotlin":
            found = list(kotlin_constructor_properties(parsed, node))
            return tuple(found + list(kotlin_members(parsed, body)) if body is not None else found)
        return tuple(java_members(parsed, body, self.kind)) if body is not None else ()

    def annotation(self, *names: str) -> Annotation | None:
        """The first annotation with one of these simple names."""
        for annotation in self.annotations:
            if annotation.name in names:
                return annotation
        return None


@dataclass(frozen=True)
class JvmFile:
    """What one Java or Kotlin file declares."""

    path: str
    """Repository-relative path."""
    parsed: Parsed
    """Its tree."""
    declarations: tuple[Declaration, ...]
    """Every class-like declaration, nested ones included, in source order."""
    constants: tuple[tuple[str, str, Any], ...] = field(default=())
    """(owner simple name, constant name, initializer node) of each compile-time constant; owner '' for Kotlin
    top-level `const val`. A companion object's constants belong to its class."""
    problem_line: int | None = None
    """First line the grammar could not read (declarations after it may be missed), None when all was read."""
    top: tuple[Any, ...] = field(default=(), compare=False, repr=False)
    """The file's top-level nodes (its imports are read from them when first asked for)."""

    @cached_property
    def imports(self) -> tuple[tuple[str, int], ...]:
        """Imported names (`jakarta.persistence.Entity`, `org.x.*`) with their line.

        Read on first use: `imports_any` skips the files whose bytes do not hold the prefix asked for.
        """
        return _imports(self.parsed, self.top)

    def imports_any(self, *prefixes: str) -> tuple[str, int] | None:
        """The first import that starts with one of these prefixes."""
        source = self.parsed.source
        if not any(prefix.rstrip(".*").encode() in source for prefix in prefixes):
            return None  # an import's name is text of the file: without the prefix in its bytes, none can match
        return next(((name, line) for name, line in self.imports if name.startswith(prefixes)), None)


@lru_cache(maxsize=4096)  # the same few declared types come back for every entity
def element_type(type_text: str) -> tuple[str, bool]:
    """The type a member holds and whether it is a collection.

    `List<Item>` gives (`Item`, True), `Item?` gives (`Item`, False), `Item[]` gives (`Item`, True).

    Args:
        type_text: A declared type as written.
    """
    text = type_text.strip().rstrip("?")
    if text.endswith("[]"):
        return simple_name(text[:-2]), True
    collection: bool | None = None
    for _ in range(_MAX_TYPE_NESTING):  # `List<Set<Item>>`: the innermost type, the outermost container
        base = simple_name(text)
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
    return simple_name(text), bool(collection)


def _supertypes(parsed: Parsed, node: Any) -> tuple[str, ...]:
    names: list[str] = []
    for child in node.children:
        if child.type in ("superclass", "super_interfaces", "extends_interfaces"):
            names.extend(simple_name(parsed.text(t)) for t in _type_nodes(child))
        elif child.type == "delegation_specifiers":
            for spec in child.named_children:
                kind = child_of(spec, "user_type", "constructor_invocation")
                kind = child_of(kind, "user_type") if kind is not None and kind.type == "constructor_invocation" \
                    else kind
                if kind is not None:
                    names.append(simple_name(parsed.text(kind)))
    return tuple(n for n in names if n)


def _type_nodes(node: Any) -> Iterator[Any]:
    for child in node.named_children:
        if child.type == "type_list":
            yield from _type_nodes(child)
        elif child.type in ("type_identifier", "scoped_type_identifier", "generic_type"):
            yield child


# ---- files -------------------------------------------------------------------------------------------------------
def _imports(parsed: Parsed, top: Iterable[Any]) -> tuple[tuple[str, int], ...]:
    found = []
    for node in top:
        if node.type in ("import_declaration", "import"):
            name = child_of(node, "scoped_identifier", "qualified_identifier", "identifier")
            if name is not None:
                star = any(c.type in ("asterisk", "*") for c in node.children)
                found.append((parsed.text(name) + (".*" if star else ""), line_of(node)))
        elif node.type == "import_list":
            found.extend((parsed.text(child_of(i, "identifier") or i), line_of(i)) for i in node.named_children)
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
            return line_of(node)
        if node.has_error:
            return next((line_of(n) for n in walk(node) if n.type == "ERROR" or n.is_missing), line_of(node))
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
                     if child.type in kinds or child.type in BODIES or child.type == "ERROR")
    if kotlin:
        constants.extend(("", name, value) for name, value in _constants(parsed, top, "file"))
    declarations.sort(key=lambda d: d.line)
    return JvmFile(path=path, parsed=parsed, declarations=tuple(declarations), constants=tuple(constants),
                   problem_line=_problem_line(parsed, top), top=tuple(top))


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
    name = node.child_by_field_name("name") if not kotlin else child_of(node, "identifier", "type_identifier")
    body = child_of(node, *BODIES)
    words, annotations = modifiers_of(parsed, node)
    declaration = Declaration(name=parsed.text(name) if name is not None else "Companion", kind=kind, path=path,
                              line=line_of(node), owner=owner, annotations=annotations,
                              supertypes=_supertypes(parsed, node), abstract=bool(words & {"abstract", "sealed"}),
                              parsed=parsed, node=node)
    return declaration, list(_constants(parsed, body.children, kind)) if body is not None else []


def _constants(parsed: Parsed, nodes: list[Any], kind: str) -> Iterator[tuple[str, Any]]:
    """The compile-time string constants among a body's nodes, without reading its other members."""
    for node in nodes:
        if node.type in ("field_declaration", "constant_declaration"):
            type_node = node.child_by_field_name("type")
            if type_node is None or simple_name(parsed.text(type_node)) != "String":
                continue  # the type first: it rules out most fields without reading their modifiers
            words = modifier_words(parsed, node) if node.type == "field_declaration" else {"static", "final"}
            if ("static" in words and "final" in words) or kind == "interface":
                for declarator in (c for c in node.children if c.type == "variable_declarator"):
                    name, value = declarator.child_by_field_name("name"), declarator.child_by_field_name("value")
                    if name is not None and value is not None:
                        yield parsed.text(name), value
        elif node.type == "property_declaration" and "const" in modifier_words(parsed, node):
            variable = child_of(node, "variable_declaration")
            name = child_of(variable, "identifier") if variable is not None else None
            value = initializer(node)
            if name is not None and value is not None:
                yield parsed.text(name), value
        elif node.type == "enum_body_declarations":
            yield from _constants(parsed, node.children, kind)
