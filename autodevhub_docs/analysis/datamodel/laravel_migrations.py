# Tables from Laravel migrations (`database/migrations/*.php`, applied in file-name order), read with the
# tree-sitter PHP grammar: the `up()` method's `Schema::create`/`Schema::table`/`Schema::drop*`/`Schema::rename`
# calls and the Blueprint column chains in their closures (`$table->id()`, `$table->foreignId('user_id')
# ->constrained()`, `$table->foreign('x')->references('id')->on('users')`, `timestamps()`, `softDeletes()`,
# `morphs()`, `->nullable()`, `->unique()`, `->primary()`), as the schema builder documents them.
from __future__ import annotations

from typing import Any

from autodevhub_docs.analysis.datamodel.relational import Column, ForeignKey, Table
from autodevhub_docs.analysis.endpoints import php_values as php
from autodevhub_docs.analysis.endpoints.inflect import pluralize, underscore
from autodevhub_docs.parsing.treesitter import Parsed

MIGRATIONS = "database/migrations/"
_NOT_COLUMNS = frozenset({
    "index", "unique", "primary", "foreign", "fullText", "spatialIndex", "rawIndex", "engine", "charset",
    "collation", "comment", "temporary", "rename", "renameColumn", "renameIndex", "dropColumn", "dropColumns",
    "dropForeign", "dropIndex", "dropUnique", "dropPrimary", "dropTimestamps", "dropSoftDeletes", "dropMorphs",
    "dropRememberToken", "dropConstrainedForeignId", "dropForeignIdFor", "dropIfExists", "after", "first",
})
"""Blueprint methods whose first argument is not a new column."""
_KEYS = {"id": "bigint", "bigIncrements": "bigint", "increments": "integer", "mediumIncrements": "integer",
         "smallIncrements": "integer", "tinyIncrements": "integer"}
_FOREIGN_IDS = {"foreignId": "bigint", "foreignUuid": "uuid", "foreignUlid": "ulid"}


def read(migrations: list[tuple[str, Parsed]]) -> list[Table]:
    """The tables the migrations leave, in order (a later `Schema::table` adds to an earlier `Schema::create`)."""
    tables: dict[str, Table] = {}
    for path, parsed in migrations:
        for method in (m for c in php.classes(parsed) for m in php.members(c, "method_declaration")):
            name = method.child_by_field_name("name")
            body = method.child_by_field_name("body")
            if name is None or body is None or parsed.text(name) != "up":
                continue  # `down()` undoes `up()`: only `up()` says what the schema is
            for expression in php.statements(body):
                _schema_call(path, parsed, expression, tables)
    return list(tables.values())


def _schema_call(path: str, parsed: Parsed, node: Any, tables: dict[str, Table]) -> None:
    root, links = php.chain(parsed, node)
    if root not in ("Schema", "Illuminate\\Support\\Facades\\Schema") or not links:
        return
    call = links[0]
    name = str(call.args[0]) if call.args and isinstance(call.args[0], str) else ""
    if not name:
        return
    if call.name == "create":
        tables[name] = Table(name=name, path=path, line=call.line)
    elif call.name in ("drop", "dropIfExists"):
        tables.pop(name, None)
        return
    elif call.name == "rename" and len(call.args) > 1 and isinstance(call.args[1], str) and name in tables:
        table = tables.pop(name)
        table.name = str(call.args[1])
        tables[table.name] = table
        return
    if call.name not in ("create", "table") or name not in tables:
        return
    closure = next((a for a in call.args if isinstance(a, php.Closure)), None)
    if closure is not None:
        _blueprint(parsed, closure.node, tables[name])


def _blueprint(parsed: Parsed, closure: Any, table: Table) -> None:
    parameters = closure.child_by_field_name("parameters")
    variables = [parsed.text(v) for p in (parameters.named_children if parameters is not None else [])
                 if (v := p.child_by_field_name("name")) is not None]
    builder = variables[0] if variables else "$table"
    for expression in php.statements(closure):
        root, links = php.chain(parsed, expression)
        if root == builder and links:
            _column(table, links)


def _column(table: Table, links: list[php.Link]) -> None:  # noqa: PLR0912 - one branch per Blueprint shorthand
    first, modifiers = links[0], links[1:]
    names = [str(a) for a in first.args[:1] if isinstance(a, str)]
    line = first.line
    method = first.name
    flags = {m.name for m in modifiers}
    nullable = True if "nullable" in flags else False  # noqa: SIM210 - Laravel columns are NOT NULL unless nullable()
    if method in _KEYS:
        _add(table, Column(name=names[0] if names else "id", type=_KEYS[method], primary=True, line=line))
    elif method in ("timestamps", "timestampsTz", "nullableTimestamps"):
        for name in ("created_at", "updated_at"):
            _add(table, Column(name=name, type="timestamp", nullable=True, line=line))
    elif method in ("softDeletes", "softDeletesTz"):
        _add(table, Column(name=names[0] if names else "deleted_at", type="timestamp", nullable=True, line=line))
    elif method == "rememberToken":
        _add(table, Column(name="remember_token", type="string", nullable=True, line=line))
    elif method in ("morphs", "nullableMorphs", "uuidMorphs", "ulidMorphs") and names:
        for suffix, kind in (("_type", "string"), ("_id", "bigint")):
            _add(table, Column(name=f"{names[0]}{suffix}", type=kind, nullable=method == "nullableMorphs",
                               line=line))
    elif method == "foreignIdFor" and first.args:
        target = first.args[0]
        column = str(first.args[1]) if len(first.args) > 1 and isinstance(first.args[1], str) else (
            f"{underscore(target.short)}_id" if isinstance(target, php.ClassRef) else "")
        if column:
            _add(table, Column(name=column, type="bigint", nullable=nullable, unique="unique" in flags, line=line))
            _constraint(table, column, modifiers, line,
                        default=pluralize(underscore(target.short)) if isinstance(target, php.ClassRef) else "")
    elif method == "foreign":
        for column in (first.args[0] if first.args and isinstance(first.args[0], list) else names):
            _constraint(table, str(column), modifiers, line, default="")
    elif method in ("primary", "unique") and first.args:
        columns = first.args[0] if isinstance(first.args[0], list) else names
        _mark(table, [str(c) for c in columns], primary=method == "primary")
    elif method in ("dropColumn", "dropColumns"):
        dropped = {str(a) for arg in first.args for a in (arg if isinstance(arg, list) else [arg])}
        table.columns = [c for c in table.columns if c.name not in dropped]
    elif names and method not in _NOT_COLUMNS:
        column = names[0]
        kind = _FOREIGN_IDS.get(method, method)
        _add(table, Column(name=column, type=kind, nullable=nullable, unique="unique" in flags,
                           primary="primary" in flags, line=line))
        if method in _FOREIGN_IDS:
            _constraint(table, column, modifiers, line, default=pluralize(column.removesuffix("_id")))


def _add(table: Table, column: Column) -> None:
    table.columns = [c for c in table.columns if c.name != column.name] + [column]


def _constraint(table: Table, column: str, modifiers: list[php.Link], line: int, *, default: str) -> None:
    """`->constrained('users')` (or the table the column names), or `->references('id')->on('users')`."""
    target, key = "", "id"
    for link in modifiers:
        first = link.args[0] if link.args and isinstance(link.args[0], str) else ""
        if link.name == "constrained":
            target = first or default
            key = str(link.args[1]) if len(link.args) > 1 and isinstance(link.args[1], str) else key
        elif link.name == "references" and first:
            key = first
        elif link.name == "on" and first:
            target = first
    if target:
        table.foreign_keys = [fk for fk in table.foreign_keys if fk.column != column] + [
            ForeignKey(column=column, table=target, target=key, line=line)]


def _mark(table: Table, columns: list[str], *, primary: bool) -> None:
    """`$table->primary([...])` makes its columns the key; `$table->unique('x')` makes one column unique."""
    if not primary and len(columns) != 1:
        return  # a unique index on several columns makes no one of them unique
    table.columns = [Column(name=c.name, type=c.type, line=c.line, nullable=False if primary else c.nullable,
                            unique=c.unique or not primary, primary=c.primary or primary)
                     if c.name in columns else c for c in table.columns]
