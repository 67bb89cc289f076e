# Tables from a Rails `db/schema.rb`, read with the tree-sitter Ruby grammar: `create_table` with its column calls
# (`t.string`, `t.references`/`t.belongs_to` with `foreign_key:` and `polymorphic:`, `t.timestamps`, `t.index`),
# `create_join_table`, `add_index` and `add_foreign_key`, as the schema DSL documents them.
from __future__ import annotations

import re
from typing import Any

from autodevhub_docs.analysis.datamodel.relational import Column, ForeignKey, Table
from autodevhub_docs.analysis.endpoints.inflect import pluralize, singularize
from autodevhub_docs.analysis.endpoints.ruby_values import Call, call, statements, words
from autodevhub_docs.parsing.treesitter import Parsed

_NOT_COLUMNS = frozenset({"index", "timestamps", "references", "belongs_to", "check_constraint", "foreign_key",
                          "column", "exclusion_constraint", "unique_constraint", "remove", "rename", "change"})
"""Methods of the table builder that do not add a column named by their arguments."""


def _table_name(value: Any) -> str:
    return str(value) if isinstance(value, str) else ""


def join_table_name(first: str, second: str) -> str:
    """The table `create_join_table` creates for two tables (`articles` + `categories` = `articles_categories`).

    A shared prefix is written once: `music_artists` + `music_records` = `music_artists_records`.
    """
    low, high = sorted((first, second))
    shared = re.match(r"^(.*_)(.+)\0\1(.+)$", f"{low}\0{high}")
    return f"{shared.group(1)}{shared.group(2)}_{shared.group(3)}" if shared else f"{low}_{high}"


def read(path: str, parsed: Parsed) -> list[Table]:
    """Every table the schema creates, with its columns, unique keys and foreign keys."""
    tables: dict[str, Table] = {}
    for node in statements(parsed.root):
        outer = call(parsed, node)
        if outer is None or outer.name != "define" or outer.block is None:
            continue
        for inner in statements(outer.block):
            statement = call(parsed, inner)
            if statement is not None:
                _statement(path, parsed, statement, tables)
    return list(tables.values())


def _statement(path: str, parsed: Parsed, c: Call, tables: dict[str, Table]) -> None:
    if c.receiver:
        return
    if c.name == "create_table" and c.args:
        table = _create_table(path, parsed, c)
        if table.name:
            tables[table.name] = table
    elif c.name == "create_join_table" and len(c.args) >= 2:
        first, second = _table_name(c.args[0]), _table_name(c.args[1])
        name = _table_name(c.options.get("table_name")) or join_table_name(first, second)
        table = Table(name=name, path=path, line=c.line)
        table.columns += [Column(name=f"{singularize(t)}_id", type="bigint", nullable=False, line=c.line)
                          for t in (first, second)]
        tables[name] = table
    elif c.name == "add_foreign_key" and len(c.args) >= 2:
        source, target = _table_name(c.args[0]), _table_name(c.args[1])
        column = c.options.get("column")
        if source in tables and target:
            tables[source].foreign_keys.append(ForeignKey(
                column=str(column) if isinstance(column, str) else f"{singularize(target)}_id", table=target,
                line=c.line, target=str(c.options.get("primary_key") or "id")))
    elif c.name == "add_index" and len(c.args) >= 2 and c.options.get("unique") is True:
        _unique(tables.get(_table_name(c.args[0])), words(c.args[1]))


def _create_table(path: str, parsed: Parsed, c: Call) -> Table:
    table = Table(name=_table_name(c.args[0]), path=path, line=c.line)
    id_option = c.options.get("id", True)
    if id_option is not False:
        key = c.options.get("primary_key")
        table.columns.append(Column(name=str(key) if isinstance(key, str) else "id", primary=True, line=c.line,
                                    type=str(id_option) if isinstance(id_option, str) else "bigint"))
    for node in statements(c.block):
        column = call(parsed, node)
        if column is None or not column.receiver:
            continue
        _column_call(table, column)
    return table


def _column_call(table: Table, c: Call) -> None:
    nullable = c.options.get("null") is not False  # Rails columns allow NULL unless `null: false`
    if c.name == "timestamps":
        table.columns += [Column(name=n, type="datetime", nullable=False, line=c.line)
                          for n in ("created_at", "updated_at")]
    elif c.name in ("references", "belongs_to"):
        for name in words(c.args):
            _reference(table, name, c, nullable)
    elif c.name == "index" and c.args and c.options.get("unique") is True:
        _unique(table, words(c.args[0]))
    elif c.name == "column" and len(c.args) >= 2:
        table.columns.append(Column(name=str(c.args[0]), type=str(c.args[1]), nullable=nullable, line=c.line))
    elif c.name not in _NOT_COLUMNS:
        table.columns += [Column(name=n, type=c.name, nullable=nullable, line=c.line) for n in words(c.args)]


def _reference(table: Table, name: str, c: Call, nullable: bool) -> None:
    index = c.options.get("index")
    unique = isinstance(index, dict) and index.get("unique") is True
    if c.options.get("polymorphic"):
        table.columns.append(Column(name=f"{name}_type", type="string", nullable=nullable, line=c.line))
    kind = c.options.get("type")
    table.columns.append(Column(name=f"{name}_id", type=str(kind) if isinstance(kind, str) else "bigint",
                                nullable=nullable, unique=unique, line=c.line))
    foreign = c.options.get("foreign_key")
    if foreign is True or isinstance(foreign, dict):
        target = foreign.get("to_table") if isinstance(foreign, dict) else None
        table.foreign_keys.append(ForeignKey(column=f"{name}_id", line=c.line,
                                             table=str(target) if isinstance(target, str) else pluralize(name)))


def _unique(table: Table | None, columns: list[str]) -> None:
    """A unique index on one column makes the column unique (on several, only the combination is)."""
    if table is None or len(columns) != 1:
        return
    table.columns = [Column(name=c.name, type=c.type, nullable=c.nullable, unique=True, primary=c.primary,
                            line=c.line) if c.name == columns[0] else c for c in table.columns]
