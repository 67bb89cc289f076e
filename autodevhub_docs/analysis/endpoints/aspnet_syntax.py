# C# syntax as the ASP.NET Core and EF Core readers use it: the declarations of a file (`using` directives and
# types at any depth of namespaces), simple names and type arguments of type nodes, attributes and modifiers.
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.parsing.treesitter import Parsed

CLASS_TYPES = frozenset({"class_declaration", "record_declaration", "struct_declaration", "interface_declaration"})
"""Declarations read as classes."""
_BEFORE_MODIFIERS = frozenset({"attribute_list", "comment", "ERROR"})
"""What a declaration may hold before or among its modifiers (with preprocessor directives)."""


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


def declarations(root: Any) -> Iterator[Any]:
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
    name_node = node.child_by_field_name("name")
    if parsed.source.find(b"[", node.start_byte, node.end_byte if name_node is None else name_node.start_byte) < 0:
        return ()  # attribute lists open with `[` and come before the declared name: most declarations have none
    found = []
    for attribute_list in (c for c in node.named_children if c.type == "attribute_list"):
        for attribute in (c for c in attribute_list.named_children if c.type == "attribute"):
            name = simple_name(parsed, attribute.child_by_field_name("name")).removesuffix("Attribute")
            args, named = [], {}
            count = attribute.named_child_count  # the name, then the argument list when there is one
            last = attribute.named_child(count - 1) if count > 1 else None
            argument_list = last if last is None or last.type == "attribute_argument_list" else next(
                (c for c in attribute.named_children if c.type == "attribute_argument_list"), None)
            for argument in argument_list.named_children if argument_list is not None else []:
                label = argument.child_by_field_name("name")
                count = argument.named_child_count  # the value is the last named child (after its label)
                value = argument.named_child(count - 1) if count else None
                if value is None:
                    continue
                if label is not None:
                    named[parsed.text(label)] = value
                else:
                    args.append(value)
            found.append(CsAttribute(name=name, args=tuple(args), named=named, node=attribute))
    return tuple(found)


def has_modifier(parsed: Parsed, node: Any, modifier: str) -> bool:
    """Whether a declaration has a modifier (`static`...): written before its name, when it has one."""
    name = node.child_by_field_name("name")
    end = node.end_byte if name is None else name.start_byte
    return parsed.source.find(modifier.encode(), node.start_byte, end) >= 0 and modifier in modifiers(parsed, node)


def modifiers(parsed: Parsed, node: Any) -> set[str]:
    """The modifiers of a declaration (`public`, `static`, `abstract`...)."""
    found = set()
    for child in node.named_children:
        kind = child.type
        if kind == "modifier":
            found.add(parsed.text(child))
        elif kind not in _BEFORE_MODIFIERS and not kind.startswith("preproc"):
            break  # modifiers come first (after attributes): a declaration's type or name ends them
    return found
