# Liquibase changelogs in XML, YAML or JSON: createTable (with column constraints), addColumn, addPrimaryKey,
# addUniqueConstraint, addForeignKeyConstraint, renameTable, renameColumn, dropColumn, dropTable, and raw `sql`
# changes, applied to the same schema as SQL scripts. YAML and JSON changelogs are turned into the element shape of
# the XML form (`createTable` with `column` children holding `constraints`), so one reader serves all three.
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from autodevhub_docs.analysis.datamodel.sql_ddl import read_sql
from autodevhub_docs.analysis.datamodel.sql_schema import Column, Reference, Schema
from autodevhub_docs.parsing.formats import load_yaml
from autodevhub_docs.parsing.xml_lines import Element, parse_xml


def is_changelog(path: str, text: str) -> bool:
    """Whether a file is a Liquibase changelog in XML, YAML or JSON."""
    return path.endswith((".xml", ".yaml", ".yml", ".json")) and "databaseChangeLog" in text


def _sequence(name: str, node: Any) -> Iterator[tuple[str, Any]]:
    """The entries of a YAML list: `- column: {...}` is an element named `column`, other entries take `name`."""
    for entry in node.value:
        if isinstance(entry, yaml.MappingNode) and len(entry.value) == 1 and not isinstance(
                entry.value[0][1], yaml.ScalarNode):
            yield str(entry.value[0][0].value), entry.value[0][1]
        elif not isinstance(entry, yaml.ScalarNode):
            yield name, entry


def _entries(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(value, yaml.SequenceNode):
                yield from _sequence(str(key.value), value)
            else:
                yield str(key.value), value
    elif isinstance(node, yaml.SequenceNode):
        yield from _sequence("", node)


def _element(tag: str, node: Any) -> Element:
    """A YAML node as the element the XML form would have: scalars become attributes, the rest children."""
    root = Element(tag=tag, attributes={}, line=node.start_mark.line + 1)
    stack: list[tuple[Element, Any]] = [(root, node)]
    while stack:
        element, current = stack.pop()
        for name, value in _entries(current):
            if isinstance(value, yaml.ScalarNode):
                element.attributes[name] = str(value.value)
                continue
            child = Element(tag=name, attributes={}, line=value.start_mark.line + 1)
            element.content.append(child)
            stack.append((child, value))
    return root


def changelog(path: str, text: str) -> tuple[Element | None, str]:
    """The changelog as elements, or the reason it could not be read."""
    if path.endswith(".xml"):
        return parse_xml(text)
    loaded = load_yaml(text)
    if loaded.problem:
        return None, loaded.problem
    node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(node, yaml.MappingNode):
        return None, "not a Liquibase changelog"
    value = next((v for k, v in node.value if k.value == "databaseChangeLog"), None)
    return (_element("databaseChangeLog", value), "") if value is not None else (None, "not a Liquibase changelog")


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def _names(value: str | None) -> list[str]:
    return [n.strip() for n in (value or "").split(",") if n.strip()]


def _first(value: str | None) -> str | None:
    names = _names(value)
    return names[0] if names else None


def _column(element: Element) -> Column | None:
    name = element.attributes.get("name")
    if not name:
        return None
    column = Column(name=name, type=element.attributes.get("type", "?"), line=element.line)
    for constraints in (c for c in element.children if c.tag == "constraints"):
        attrs = constraints.attributes
        column.primary = column.primary or _true(attrs.get("primaryKey"))
        column.unique = column.unique or _true(attrs.get("unique"))
        if "nullable" in attrs:
            column.nullable = _true(attrs["nullable"])
        target = attrs.get("referencedTableName")
        referenced_column = _first(attrs.get("referencedColumnNames"))
        if not target and attrs.get("references"):  # references="users(id)"
            target, _, rest = str(attrs["references"]).partition("(")
            referenced_column = rest.rstrip(")").strip() or None
        if target:
            column.reference = Reference(table=target.strip().rsplit(".", 1)[-1], column=referenced_column,
                                         line=constraints.line)
    return column


def apply_changelog(schema: Schema, path: str, root: Element) -> None:  # noqa: PLR0912 - one branch per change
    """Apply every change of a changelog, in document order.

    Args:
        schema: The schema being built.
        path: The changelog's path.
        root: Its `databaseChangeLog` element.
    """
    for change in root.iter():
        attrs = change.attributes
        table = attrs.get("tableName", "")
        if change.tag == "createTable" and table:
            key = schema.create_table(table, path, change.line)
            for element in change.children:
                if element.tag == "column" and (column := _column(element)) is not None:
                    schema.add_column(key, column)
        elif change.tag == "addColumn" and table:
            for element in change.children:
                if element.tag == "column" and (column := _column(element)) is not None:
                    schema.later(table, schema.add_column, column)
        elif change.tag == "addPrimaryKey" and table:
            schema.later(table, schema.primary_key, _names(attrs.get("columnNames")))
        elif change.tag == "addUniqueConstraint" and table:
            schema.later(table, schema.unique, _names(attrs.get("columnNames")))
        elif change.tag == "addForeignKeyConstraint" and attrs.get("baseTableName"):
            reference = Reference(table=attrs.get("referencedTableName", ""),
                                  column=_first(attrs.get("referencedColumnNames")), line=change.line)
            schema.later(attrs["baseTableName"], schema.foreign_key, _names(attrs.get("baseColumnNames")), reference)
        elif change.tag == "dropColumn" and table and attrs.get("columnName"):
            schema.later(table, schema.drop_column, attrs["columnName"])
        elif change.tag == "renameColumn" and table:
            schema.later(table, schema.rename_column, attrs.get("oldColumnName", ""), attrs.get("newColumnName", ""))
        elif change.tag == "renameTable" and attrs.get("oldTableName") and attrs.get("newTableName"):
            schema.later(attrs["oldTableName"], schema.rename_table, attrs["newTableName"])
        elif change.tag == "dropTable" and table:
            schema.drop_table(table)
        elif change.tag == "sql":
            read_sql(schema, path, change.text() or attrs.get("sql", ""))
