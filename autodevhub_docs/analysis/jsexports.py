# What a JavaScript or TypeScript file exports, read from its export statements (ESM: declarations, lists,
# re-exports, `export default`, TypeScript's `export =`) and its CommonJS assignments (`module.exports = x`,
# `exports.name = x`), when an adapter first asks a file's index (`jsmodule`) for them.
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from autodevhub_docs.analysis import jsanchors
from autodevhub_docs.analysis.jsnames import Export, string
from autodevhub_docs.parsing.treesitter import Parsed


@dataclass
class _Exports:
    parsed: Parsed
    named: dict[str, Export] = field(default_factory=dict)
    star: list[str] = field(default_factory=list)
    commonjs: Any = None

    def text(self, node: Any) -> str:
        return self.parsed.text(node)


def exports(parsed: Parsed, statements: list[Any]) -> tuple[dict[str, Export], list[str], Any]:
    """What a file exports by name, the modules it re-exports whole, and what it assigns to `module.exports`.

    Args:
        parsed: The file.
        statements: Its module statements (`jsanchors.module_statements`), of which the export statements are read.
    """
    found = _Exports(parsed)
    for node in statements:
        if node.type == "export_statement":
            _read_export(found, node, string(parsed, node.child_by_field_name("source")))
    for node in jsanchors.commonjs_assignments(parsed):
        _read_commonjs(found, node)
    return found.named, found.star, found.commonjs


def _read_export(mod: _Exports, node: Any, source: str | None) -> None:
    clause = next((c for c in node.named_children if c.type in ("export_clause", "namespace_export")), None)
    if source is not None:
        _read_reexport(mod, clause, source)
        return
    is_default = any(not c.is_named and c.type == "default" for c in node.children)
    declaration, value = node.child_by_field_name("declaration"), node.child_by_field_name("value")
    if value is not None:
        mod.named["default"] = Export(node=value)
    elif declaration is not None:
        names = [d.child_by_field_name("name") for d in declaration.named_children
                 if d.type == "variable_declarator"] or [declaration.child_by_field_name("name")]
        for name in names:
            if name is not None and name.type in ("identifier", "type_identifier"):
                mod.named["default" if is_default else mod.text(name)] = Export(local=mod.text(name))
        if is_default and names == [None]:
            mod.named["default"] = Export(node=declaration)
    elif clause is not None:
        for spec in clause.named_children:
            name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
            if name is not None:
                mod.named[mod.text(alias) if alias is not None else mod.text(name)] = Export(local=mod.text(name))
    else:  # TypeScript `export = router;`
        target = next((c for c in node.named_children if c.type not in ("decorator", "comment")), None)
        if target is not None and mod.commonjs is None:
            mod.commonjs = target


def _read_reexport(mod: _Exports, clause: Any | None, source: str) -> None:
    """`export * from`, `export * as ns from` and `export { a as b } from`."""
    if clause is None:
        mod.star.append(source)
    elif clause.type == "namespace_export":
        name = clause.named_children[-1] if clause.named_children else None
        if name is not None:
            mod.named[mod.text(name)] = Export(source=source, imported="*")
    else:
        for spec in clause.named_children:
            name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
            if name is not None:
                mod.named[mod.text(alias or name)] = Export(source=source, imported=mod.text(name))


def _read_commonjs(mod: _Exports, node: Any) -> None:
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    target = mod.text(left)
    if target == "module.exports":
        mod.commonjs = mod.commonjs or right
        return
    obj, prop = left.child_by_field_name("object"), left.child_by_field_name("property")
    if obj is not None and prop is not None and mod.text(obj) in ("exports", "module.exports"):
        mod.named.setdefault(mod.text(prop), Export(node=right))
