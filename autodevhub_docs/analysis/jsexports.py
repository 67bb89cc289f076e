# What a JavaScript or TypeScript file exports, read from its export statements (ESM: named, default, `export =`,
# re-exports) and its CommonJS assignments (`module.exports =`, `exports.x =`). A file's index reads them when an
# adapter first asks (`JsModule.exports`): a script's summary, made of every script by every build, never needs
# them.
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autodevhub_docs.analysis import jsanchors
from autodevhub_docs.analysis.jsnames import Export, string
from autodevhub_docs.parsing.treesitter import Parsed


@dataclass
class _Read:
    parsed: Parsed
    exports: dict[str, Export] = field(default_factory=dict)
    star_exports: list[str] = field(default_factory=list)
    commonjs: Any = None


def read_exports(parsed: Parsed, statements: list[Any]) -> tuple[dict[str, Export], list[str], Any]:
    """(exports by name, modules re-exported whole, the `module.exports` expression or None) of a file.

    Args:
        parsed: The file.
        statements: Its import, require and export statements, in source order (`jsanchors.module_statements`).
    """
    out = _Read(parsed=parsed)
    for node in statements:
        if node.type == "export_statement":
            _read_export(out, node, string(parsed, node.child_by_field_name("source")))
    for node in jsanchors.commonjs_assignments(parsed):
        _read_commonjs(out, node)
    return out.exports, out.star_exports, out.commonjs


def _read_export(out: _Read, node: Any, source: str | None) -> None:
    text = out.parsed.text
    clause = next((c for c in node.named_children if c.type in ("export_clause", "namespace_export")), None)
    if source is not None:
        _read_reexport(out, clause, source)
        return
    is_default = any(not c.is_named and c.type == "default" for c in node.children)
    declaration, value = node.child_by_field_name("declaration"), node.child_by_field_name("value")
    if value is not None:
        out.exports["default"] = Export(node=value)
    elif declaration is not None:
        names = [d.child_by_field_name("name") for d in declaration.named_children
                 if d.type == "variable_declarator"] or [declaration.child_by_field_name("name")]
        for name in names:
            if name is not None and name.type in ("identifier", "type_identifier"):
                out.exports["default" if is_default else text(name)] = Export(local=text(name))
        if is_default and names == [None]:
            out.exports["default"] = Export(node=declaration)
    elif clause is not None:
        for spec in clause.named_children:
            name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
            if name is not None:
                out.exports[text(alias) if alias is not None else text(name)] = Export(local=text(name))
    else:  # TypeScript `export = router;`
        target = next((c for c in node.named_children if c.type not in ("decorator", "comment")), None)
        if target is not None and out.commonjs is None:
            out.commonjs = target


def _read_reexport(out: _Read, clause: Any | None, source: str) -> None:
    """`export * from`, `export * as ns from` and `export { a as b } from`."""
    text = out.parsed.text
    if clause is None:
        out.star_exports.append(source)
    elif clause.type == "namespace_export":
        name = clause.named_children[-1] if clause.named_children else None
        if name is not None:
            out.exports[text(name)] = Export(source=source, imported="*")
    else:
        for spec in clause.named_children:
            name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
            if name is not None:
                out.exports[text(alias or name)] = Export(source=source, imported=text(name))


def _read_commonjs(out: _Read, node: Any) -> None:
    text = out.parsed.text
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    target = text(left)
    if target == "module.exports":
        out.commonjs = out.commonjs or right
        return
    obj, prop = left.child_by_field_name("object"), left.child_by_field_name("property")
    if obj is not None and prop is not None and text(obj) in ("exports", "module.exports"):
        out.exports.setdefault(text(prop), Export(node=right))
