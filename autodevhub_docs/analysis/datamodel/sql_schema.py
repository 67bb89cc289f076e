# A database schema built statement by statement from SQL scripts and Liquibase changelogs, then turned into
# entities and relations. Relations come from declared foreign keys; a column named `x_id` or `xId` that names
# another table, with no constraint, gives a relation marked `inferred`. A table made only of two such references
# (plus an `id` or timestamps) is a join table: it gives one many-to-many relation `through` it.
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from autodevhub_docs.model import Entity, EntityField, Relation, SourceRef

_JOIN_EXTRAS = frozenset({"id", "created_at", "updated_at", "created", "updated", "createdat", "updatedat",
                          "inserted_at", "created_on", "updated_on"})
"""Columns a join table may have besides its two references."""


@dataclass(frozen=True)
class Reference:
    """A foreign key's target, where it is declared."""

    table: str
    """Referenced table (unqualified)."""
    column: str | None
    """Referenced column, when written (else the table's primary key)."""
    line: int
    """Line of the declaration."""
    path: str = ""
    """Script of the declaration (filled in by the schema)."""


@dataclass
class Column:
    """A column while the schema is being built."""

    name: str
    type: str
    line: int
    primary: bool = False
    unique: bool = False
    nullable: bool | None = None
    reference: Reference | None = None


@dataclass
class _Table:
    name: str
    path: str
    line: int
    columns: dict[str, Column] = field(default_factory=dict)


@dataclass(frozen=True)
class _Link:
    column: Column
    target: str
    inferred: bool
    source: SourceRef


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _stems(column: str) -> list[str]:
    """Table names an `x_id`/`xId` column may point to, best first (`user_id` -> user, users)."""
    lower = column.lower()
    if lower.endswith("_id") and len(lower) > 3:
        stems = [lower[:-3]]
    elif column.endswith("Id") and len(column) > 2 and column[-3].islower():
        stems = list(dict.fromkeys([column[:-2].lower(), _snake(column[:-2])]))
    else:
        return []
    found = []
    for stem in stems:
        found += [stem, stem + "s", stem + "es"] + ([stem[:-1] + "ies"] if stem.endswith("y") else [])
    return found


class Schema:
    """Tables built from DDL in the order the scripts run; operations on a table not created yet wait for it."""

    def __init__(self) -> None:
        self.tables: dict[str, _Table] = {}
        self.problems: list[str] = []
        self.current = ""
        """Script being read (where references are declared)."""
        self._later: list[tuple[str, Callable[..., None], tuple[Any, ...], str]] = []

    # ---- statements ----------------------------------------------------------------------------------------------
    def create_table(self, name: str, path: str, line: int) -> str:
        """Start a table (a later definition replaces an earlier one) and return its key."""
        key = name.lower()
        self.tables[key] = _Table(name=name, path=path, line=line)
        return key

    def add_column(self, table: str, column: Column) -> None:
        """Add a column to a table."""
        if column.reference is not None and not column.reference.path:
            column.reference = replace(column.reference, path=self.current)
        self.tables[table].columns[column.name.lower()] = column

    def primary_key(self, table: str, columns: list[str]) -> None:
        """Mark the columns of a PRIMARY KEY constraint."""
        for name in columns:
            if (column := self.tables[table].columns.get(name.lower())) is not None:
                column.primary = True

    def unique(self, table: str, columns: list[str]) -> None:
        """A UNIQUE constraint: a single column becomes unique (a composite one says nothing of each column)."""
        if len(columns) == 1 and (column := self.tables[table].columns.get(columns[0].lower())) is not None:
            column.unique = True

    def foreign_key(self, table: str, columns: list[str], reference: Reference) -> None:
        """A FOREIGN KEY constraint: its first column carries the reference."""
        if columns and (column := self.tables[table].columns.get(columns[0].lower())) is not None:
            column.reference = replace(reference, path=reference.path or self.current)

    def drop_column(self, table: str, name: str) -> None:
        """ALTER TABLE ... DROP COLUMN."""
        self.tables[table].columns.pop(name.lower(), None)

    def rename_column(self, table: str, old: str, new: str) -> None:
        """ALTER TABLE ... RENAME [COLUMN] old TO new."""
        columns = self.tables[table].columns
        if old.lower() in columns:
            columns[old.lower()].name = new
            self.tables[table].columns = {(new.lower() if key == old.lower() else key): column  # keeps its place
                                          for key, column in columns.items()}

    def rename_table(self, table: str, new: str) -> None:
        """ALTER TABLE ... RENAME TO new."""
        moved = self.tables.pop(table)
        moved.name = new
        self.tables[new.lower()] = moved

    def drop_table(self, name: str) -> None:
        """DROP TABLE."""
        self.tables.pop(name.lower(), None)

    def later(self, table: str, operation: Callable[..., None], *args: Any) -> None:
        """Apply `operation(table key, *args)` now, or once the table exists (scripts may alter before they create).

        Args:
            table: Table name.
            operation: A method of the schema (or a function) taking the table key first.
            args: Its other arguments.
        """
        key = table.lower()
        if key in self.tables:
            operation(key, *args)
        else:
            self._later.append((key, operation, args, self.current))

    # ---- result --------------------------------------------------------------------------------------------------
    def build(self, orm_of: Callable[[str], str]) -> tuple[list[Entity], list[Relation]]:
        """The entities and relations of the schema.

        Args:
            orm_of: The ORM label of a table, by table name (`SQL`, or `MyBatis` for tables its mappers use).
        """
        waiting, self._later = self._later, []
        for key, operation, args, path in waiting:
            if key in self.tables:
                self.current = path
                operation(key, *args)
        entities: list[Entity] = []
        relations: list[Relation] = []
        for table in self.tables.values():
            links = self._links(table)
            fields = tuple(self._field(c) for c in table.columns.values())
            entities.append(Entity(name=table.name, table=table.name, orm=orm_of(table.name),
                                   source=SourceRef(path=table.path, line=table.line), fields=fields))
            relations.extend(self._relations(table, links))
        return entities, relations

    def _links(self, table: _Table) -> list[_Link]:
        links = []
        for column in table.columns.values():
            if column.reference is not None:
                target = self.tables.get(column.reference.table.lower())
                if target is not None:
                    links.append(_Link(column=column, target=target.name, inferred=False, source=SourceRef(
                        path=column.reference.path or table.path, line=column.reference.line)))
                continue
            target_key = next((s for s in _stems(column.name) if s in self.tables and s != table.name.lower()), None)
            if target_key is not None:
                links.append(_Link(column=column, target=self.tables[target_key].name, inferred=True,
                                   source=SourceRef(path=table.path, line=column.line)))
        return links

    def _field(self, column: Column) -> EntityField:
        references = None
        if column.reference is not None:
            target = self.tables.get(column.reference.table.lower())
            primary = [c.name for c in target.columns.values() if c.primary] if target is not None else []
            name = target.name if target is not None else column.reference.table
            references = f"{name}.{column.reference.column or (primary[0] if len(primary) == 1 else 'id')}"
        key = "PK" if column.primary else ("FK" if references else ("UK" if column.unique else None))
        return EntityField(name=column.name, type=column.type, key=key, nullable=column.nullable,
                           references=references, unique=column.unique)

    @staticmethod
    def _relations(table: _Table, links: list[_Link]) -> list[Relation]:
        others = [c for c in table.columns.values() if all(c is not link.column for link in links)]
        if len(links) == 2 and all(c.name.lower() in _JOIN_EXTRAS for c in others):
            first, second = links
            return [Relation(left=first.target, right=second.target, cardinality="many-to-many", label=table.name,
                             source=SourceRef(path=table.path, line=table.line), through=table.name,
                             inferred=first.inferred or second.inferred)]
        primary = [c for c in table.columns.values() if c.primary]
        return [Relation(left=table.name, right=link.target,
                         cardinality="one-to-one" if link.column.unique or primary == [link.column] else
                         "many-to-one", label=link.column.name, source=link.source, inferred=link.inferred)
                for link in links]
