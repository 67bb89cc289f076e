# The members of Java and Kotlin declarations read from their tree-sitter trees: annotations with their arguments
# by name (Java `@A(x = 1)` and Kotlin `@A(x = 1)`, `@field:A`, arrays flattened), fields, Kotlin properties
# (constructor ones too) and methods, and the small node helpers `parsing.jvm` shares.
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.parsing.treesitter import Parsed

BODIES = frozenset({"class_body", "interface_body", "enum_body", "enum_body_declarations",
                    "annotation_type_body"})
"""Node types that hold a declaration's members."""
_ARRAYS = frozenset({"element_value_array_initializer", "collection_literal"})
_HOLDERS = frozenset({"modifiers", "parameter_modifiers"})
_ANNOTATIONS = frozenset({"annotation", "marker_annotation"})


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
        arguments = self.arguments
        for name in names:  # plain loops in these helpers: they run for every member an adapter reads
            if name in arguments:
                return arguments[name]
        return ()

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
        for annotation in self.annotations:
            if annotation.name in names:
                return annotation
        return None


def line_of(node: Any) -> int:
    """The 1-based line a node starts on."""
    return int(node.start_point[0]) + 1


def child_of(node: Any, *types: str) -> Any | None:
    """The first child of one of these types."""
    for child in node.children:  # a plain loop: called for most declarations, it is faster than next(genexpr)
        if child.type in types:
            return child
    return None


def simple_name(name: str) -> str:
    """`a.b.C<D>` -> `C`; `Item?` -> `Item`."""
    return name.split("<", 1)[0].rstrip("?").rsplit(".", 1)[-1].strip()


# ---- annotations -------------------------------------------------------------------------------------------------
def _flatten(parsed: Parsed, node: Any) -> tuple[Any, ...]:
    if node.type in _ARRAYS:
        return tuple(c for c in node.named_children if c.type not in ("line_comment", "block_comment"))
    if node.type == "call_expression" and parsed.text(node.children[0]) in ("arrayOf", "listOf"):
        args = child_of(node, "value_arguments")
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
    return Annotation(name=simple_name(parsed.text(name)) if name is not None else "", line=line_of(node),
                      arguments=arguments)


def _kotlin_annotation(parsed: Parsed, node: Any) -> Annotation:
    target = child_of(node, "constructor_invocation", "user_type")
    if target is None:
        return Annotation(name="", line=line_of(node), arguments={})
    kind = child_of(target, "user_type") if target.type == "constructor_invocation" else target
    arguments: dict[str, tuple[Any, ...]] = {}
    args = child_of(target, "value_arguments")
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
    return Annotation(name=simple_name(parsed.text(kind)) if kind is not None else "", line=line_of(node),
                      arguments=arguments)


def annotations_of(parsed: Parsed, node: Any) -> tuple[Annotation, ...]:
    """The annotations of a declaration (from its `modifiers`).

    Args:
        parsed: The file's tree.
        node: A class, member or parameter node.
    """
    read = _kotlin_annotation if parsed.grammar == "kotlin" else _java_annotation
    found: list[Annotation] = []
    for holder in node.children:
        if holder.type in _HOLDERS:
            found.extend(read(parsed, item) for item in holder.children if item.type in _ANNOTATIONS)
    return tuple(found)


def modifier_words(parsed: Parsed, node: Any) -> set[str]:
    """The modifier keywords of a declaration (`static`, `final`, `const`, `abstract`...), annotations left out."""
    return modifiers_of(parsed, node, annotations=False)[0]


def modifiers_of(parsed: Parsed, node: Any, annotations: bool = True) -> tuple[set[str], tuple[Annotation, ...]]:
    """The modifier keywords and (when asked) the annotations of a declaration, in one pass over its modifiers.

    A keyword token's type is its text (`static`), so only named children (Kotlin's `visibility_modifier`...)
    are read from the source.
    """
    words: set[str] = set()
    found: list[Annotation] = []
    holder = child_of(node, "modifiers")
    for child in holder.children if holder is not None else ():
        kind = child.type
        if kind in _ANNOTATIONS:
            if annotations:
                found.append(_kotlin_annotation(parsed, child) if parsed.grammar == "kotlin"
                             else _java_annotation(parsed, child))
            continue
        if not child.is_named:
            words.add(kind)
            continue
        if kind.endswith("_modifier"):  # Kotlin: `visibility_modifier` holds the keyword
            words.update(k.type if not k.is_named else parsed.text(k) for k in child.children)
        words.add(parsed.text(child))
    return words, tuple(found)


# ---- members -----------------------------------------------------------------------------------------------------
def java_members(parsed: Parsed, body: Any, kind: str) -> Iterator[Member]:
    """The fields and methods of a Java class body (`kind` is the declaration's: interface fields are static)."""
    for node in body.children:
        kind_of = node.type
        if kind_of in ("field_declaration", "constant_declaration"):
            words, annotations = modifiers_of(parsed, node)  # one declaration's, shared by each of its declarators
            type_node = node.child_by_field_name("type")
            for declarator in (c for c in node.children if c.type == "variable_declarator"):
                name = declarator.child_by_field_name("name")
                yield Member(name=parsed.text(name) if name is not None else "", kind="field",
                             annotations=annotations,
                             type=parsed.text(type_node) if type_node is not None else "", line=line_of(node),
                             static="static" in words or kind == "interface", transient="transient" in words)
        elif kind_of == "method_declaration":
            name, type_node = node.child_by_field_name("name"), node.child_by_field_name("type")
            words, annotations = modifiers_of(parsed, node)
            yield Member(name=parsed.text(name) if name is not None else "", kind="method",
                         annotations=annotations,
                         type=parsed.text(type_node) if type_node is not None else "", line=line_of(node),
                         static="static" in words)
        elif kind_of in BODIES:
            yield from java_members(parsed, node, kind)


def _kotlin_type(parsed: Parsed, node: Any) -> str:
    kind = child_of(node, "user_type", "nullable_type", "function_type")
    return parsed.text(kind) if kind is not None else ""


def kotlin_members(parsed: Parsed, body: Any) -> Iterator[Member]:
    """The properties and functions of a Kotlin class body."""
    for node in body.children:
        if node.type == "property_declaration":
            variable = child_of(node, "variable_declaration")
            name = child_of(variable, "identifier") if variable is not None else None
            yield Member(name=parsed.text(name) if name is not None else "", kind="field",
                         annotations=annotations_of(parsed, node),
                         type=_kotlin_type(parsed, variable) if variable is not None else "", line=line_of(node))
        elif node.type == "function_declaration":
            name = child_of(node, "identifier")
            yield Member(name=parsed.text(name) if name is not None else "", kind="method",
                         annotations=annotations_of(parsed, node), type=_kotlin_type(parsed, node),
                         line=line_of(node))


def initializer(node: Any) -> Any | None:
    """The expression after `=` in a Kotlin property declaration."""
    seen = False
    for child in node.children:
        if seen and child.is_named:
            return child
        seen = seen or child.type == "="
    return None


def kotlin_constructor_properties(parsed: Parsed, node: Any) -> Iterator[Member]:
    """The `val`/`var` parameters of a Kotlin primary constructor, which are properties."""
    params = child_of(node, "primary_constructor")
    params = child_of(params, "class_parameters") if params is not None else None
    for param in params.children if params is not None else ():
        if param.type == "class_parameter" and any(c.type in ("val", "var") for c in param.children):
            name = child_of(param, "identifier")
            yield Member(name=parsed.text(name) if name is not None else "", kind="field",
                         annotations=annotations_of(parsed, param), type=_kotlin_type(parsed, param),
                         line=line_of(param))
