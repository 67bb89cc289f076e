# Decorated TypeScript classes, as NestJS controllers and TypeORM entities write them: each class with its
# decorators (on the class or on the `export` in front of it), each member with the decorators written before it,
# and which package a decorator name comes from. The classes come from the file's index, then one pass over each
# class body.
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from autodevhub_docs.analysis.jsmodule import ROOT, JsModule


def classes(mod: JsModule) -> Iterator[tuple[Any, list[Any]]]:
    """Every class of a file with its decorators, in source order."""
    declared = ((e.child_by_field_name("declaration"), e) for e in mod.nodes("export"))
    outer = {declaration.id: e for declaration, e in declared if declaration is not None}
    for cls in mod.nodes("class"):
        decorators = [c for c in cls.children if c.type == "decorator"]
        if cls.id in outer:
            decorators = [c for c in outer[cls.id].children if c.type == "decorator"] + decorators
        yield cls, decorators


def members(cls: Any, kinds: frozenset[str] | None = None) -> Iterator[tuple[Any, list[Any]]]:
    """Each member of a class body (of these node types, when given) with the decorators written before or on it."""
    body = cls.child_by_field_name("body")
    pending: list[Any] = []
    for member in body.named_children if body is not None else ():
        kind = member.type
        if kind == "decorator":
            pending.append(member)
            continue
        if kinds is None or kind in kinds:  # the decorators of a member no caller reads are not gathered
            # the grammars give a member's own decorators (`@Column() name`, JS methods') as its `decorator` field
            yield member, pending + member.children_by_field_name("decorator")
        pending = []


def heritage(mod: JsModule, cls: Any) -> str:
    """The name of the class a class extends ('' when none)."""
    for child in cls.named_children:
        if child.type == "class_heritage":
            clause = next((c for c in child.named_children if c.type == "extends_clause"), child)
            value = clause.child_by_field_name("value") or (clause.named_children[0] if clause.named_children
                                                            else None)
            return mod.text(value).split("<", 1)[0].rsplit(".", 1)[-1] if value is not None else ""
    return ""


def origin(mod: JsModule, name: str, package: str) -> str:
    """The name a decorator has in `package` ('' when another package provides it).

    That is an import's original name, or the name itself when it is local or comes through a file of the
    repository (a barrel).
    """
    found = mod.lookup(name, ROOT)
    if found is None or found[1].kind != "import":
        return name
    decl = found[1]
    return decl.key if decl.source == package or decl.source.startswith(".") else ""


def decorator(mod: JsModule, node: Any, package: str) -> tuple[str, list[Any]] | None:
    """(name in the package, argument nodes) of a decorator written as a call (`@Get(':id')`)."""
    call = node.named_child(0)
    if call is None or call.type != "call_expression":
        return None
    callee = call.child_by_field_name("function")
    name = origin(mod, mod.text(callee), package) if callee is not None and callee.type == "identifier" else ""
    if not name:
        return None
    arguments = call.child_by_field_name("arguments")
    return name, [a for a in arguments.named_children if a.type != "comment"] if arguments is not None else []


def pair(mod: JsModule, obj: Any | None, key: str) -> Any | None:
    """The value node of a key in an object literal."""
    for child in obj.named_children if obj is not None and obj.type == "object" else ():
        name = child.child_by_field_name("key") if child.type == "pair" else None
        if name is not None and mod.text(name).strip("'\"") == key:
            return child.child_by_field_name("value")
    return None


def pairs(mod: JsModule, obj: Any | None) -> dict[str, Any]:
    """The value node of every key of an object literal, the first of a repeated key (as `pair` finds it)."""
    found: dict[str, Any] = {}
    for child in obj.named_children if obj is not None and obj.type == "object" else ():
        name = child.child_by_field_name("key") if child.type == "pair" else None
        if name is not None:
            found.setdefault(mod.text(name).strip("'\""), child.child_by_field_name("value"))
    return found
