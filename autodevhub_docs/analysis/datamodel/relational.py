# Entities and relations from two sources that ActiveRecord and Eloquent apps both have: the tables their schema
# or migrations create (columns, foreign-key constraints), and the associations their model classes declare
# (`belongs_to`/`belongsTo`, `has_many`/`hasMany`, `has_one`/`hasOne`, many-to-many through a join table or a join
# model). One relation per foreign key, named from both ends; a many-to-many relation per pair of reciprocal
# associations; a relation backed only by an `x_id` column naming another table is marked inferred.
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from autodevhub_docs.analysis.endpoints.inflect import pluralize
from autodevhub_docs.model import Entity, EntityField, Relation, SourceRef


@dataclass(frozen=True)
class Column:
    """A table column."""

    name: str
    type: str
    line: int
    nullable: bool | None = None
    unique: bool = False
    primary: bool = False


@dataclass(frozen=True)
class ForeignKey:
    """A foreign-key constraint: `column` of the table references `table`.`target`."""

    column: str
    table: str
    line: int
    target: str = "id"


@dataclass
class Table:
    """A table the schema or the migrations create."""

    name: str
    path: str
    line: int
    columns: list[Column] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)


@dataclass(frozen=True)
class Model:
    """A model class and the table it maps."""

    name: str
    table: str
    source: SourceRef


@dataclass(frozen=True)
class Association:
    """One association a model declares.

    `kind` is `belongs_to` (the key is on the owner), `has_many`/`has_one` (the key is on the target), `join`
    (many-to-many through `join_table`, keys `owner_key`/`target_key`), or `through` (many-to-many through the
    owner's association `through`, whose model's association `source` reaches the target).
    """

    owner: str
    kind: str
    name: str
    target: str
    source: SourceRef
    foreign_key: str = ""
    join_table: str = ""
    owner_key: str = ""
    target_key: str = ""
    through: str = ""
    source_name: str = ""


def _fields(table: Table) -> tuple[EntityField, ...]:
    keys = {fk.column: f"{fk.table}.{fk.target}" for fk in table.foreign_keys}
    return tuple(EntityField(
        name=c.name, type=c.type, nullable=c.nullable, unique=c.unique, references=keys.get(c.name),
        key="PK" if c.primary else ("FK" if c.name in keys else ("UK" if c.unique else None)))
        for c in table.columns)


def assemble(tables: Sequence[Table], models: Sequence[Model], associations: Sequence[Association], *,
             orm: str) -> tuple[list[Entity], list[Relation]]:
    """Entities (models, and tables no model maps) and the relations between them.

    Args:
        tables: Tables from the schema or migrations (empty when there is none).
        models: Model classes.
        associations: What the models declare.
        orm: ORM name written on every entity.
    """
    by_table = {t.name: t for t in tables}
    joins = {a.join_table for a in associations if a.kind == "join"}
    mapped = {m.table for m in models}
    entity_of: dict[str, str] = {}
    entities: list[Entity] = []
    for model in models:
        table = by_table.get(model.table)
        entity_of[model.table] = model.name
        entities.append(Entity(name=model.name, table=model.table, orm=orm, source=model.source,
                               fields=_fields(table) if table is not None else ()))
    for table in tables:
        if table.name not in mapped and table.name not in joins:
            entity_of[table.name] = table.name  # a table with no model is shown under its own name
            entities.append(Entity(name=table.name, table=table.name, orm=orm,
                                   source=SourceRef(path=table.path, line=table.line), fields=_fields(table)))
    table_of = {name: table for table, name in entity_of.items()}
    relations = _key_relations(tables, entity_of)
    _apply_key_associations(relations, associations, table_of, by_table)
    names = {e.name for e in entities}
    found = [r for r in relations.values() if r.left in names and r.right in names]
    found += [r for r in _many_to_many(associations, table_of) if r.left in names and r.right in names]
    return entities, _unique(found)


def _key_relations(tables: Iterable[Table], entity_of: dict[str, str]) -> dict[tuple[str, str], Relation]:
    """One many-to-one (or one-to-one, when the key is unique) relation per foreign key, declared or inferred."""
    relations: dict[tuple[str, str], Relation] = {}
    for table in tables:
        left = entity_of.get(table.name)
        if left is None:
            continue
        unique = {c.name for c in table.columns if c.unique}
        declared = {fk.column: fk for fk in table.foreign_keys}
        for column in table.columns:
            fk = declared.get(column.name)
            target = fk.table if fk is not None else (
                pluralize(column.name.removesuffix("_id")) if column.name.endswith("_id") else "")
            if target not in entity_of:
                continue
            relations[(left, column.name)] = Relation(
                left=left, right=entity_of[target], label=column.name, inferred=fk is None,
                cardinality="one-to-one" if column.name in unique else "many-to-one",
                source=SourceRef(path=table.path, line=fk.line if fk is not None else column.line))
    return relations


def _apply_key_associations(relations: dict[tuple[str, str], Relation], associations: Sequence[Association],
                            table_of: dict[str, str], tables: dict[str, Table]) -> None:
    """Name key relations from the associations that use them (creating them when no schema shows the key)."""
    for assoc in sorted(associations, key=lambda a: a.kind != "belongs_to"):  # the owning end names it first
        if assoc.kind == "belongs_to":
            key, holder, other = (assoc.owner, assoc.foreign_key), assoc.owner, assoc.target
        elif assoc.kind in ("has_many", "has_one"):
            key, holder, other = (assoc.target, assoc.foreign_key), assoc.target, assoc.owner
        else:
            continue
        if assoc.foreign_key and table_of.get(holder) in tables and not any(
                c.name == assoc.foreign_key for c in tables[table_of[holder]].columns):
            continue  # the schema has no such column: the association names a key that does not exist
        current = relations.get(key)
        if current is None:
            current = Relation(left=holder, right=other, cardinality="many-to-one", label=assoc.foreign_key,
                               source=assoc.source)
        if current.right != other:
            continue
        if assoc.kind == "belongs_to":
            current = replace(current, label=assoc.name, source=assoc.source, inferred=False)
        else:
            current = replace(current, right_label=current.right_label or assoc.name, inferred=False,
                              cardinality="one-to-one" if assoc.kind == "has_one" else current.cardinality)
        relations[key] = current


def _many_to_many(associations: Sequence[Association], table_of: dict[str, str]) -> list[Relation]:
    """One relation per pair of reciprocal many-to-many associations (or per association left alone)."""
    by_owner: dict[tuple[str, str], Association] = {(a.owner, a.name): a for a in associations}
    ends: list[tuple[Association, str, str]] = []  # (association, join table, key that reaches the target)
    for assoc in associations:
        if assoc.kind == "join":
            ends.append((assoc, assoc.join_table, assoc.target_key))
        elif assoc.kind == "through":
            via = by_owner.get((assoc.owner, assoc.through))
            if via is not None and via.target in table_of:
                ends.append((assoc, table_of[via.target], assoc.source_name))
    relations: list[Relation] = []
    paired: set[int] = set()
    by_end: dict[tuple[str, str, str], list[int]] = {}
    for index, (assoc, join, _) in enumerate(ends):
        by_end.setdefault((join, assoc.owner, assoc.target), []).append(index)
    for index, (assoc, join, reach) in enumerate(ends):
        if index in paired:
            continue
        partner = next((j for j in by_end.get((join, assoc.target, assoc.owner), [])
                        if j != index and j not in paired and (assoc.owner != assoc.target or ends[j][2] != reach)),
                       None)
        paired.add(index)
        right_label = ""
        if partner is not None:
            paired.add(partner)
            right_label = ends[partner][0].name
        relations.append(Relation(left=assoc.owner, right=assoc.target, cardinality="many-to-many", label=assoc.name,
                                  right_label=right_label, through=join, source=assoc.source))
    return relations


def _unique(relations: list[Relation]) -> list[Relation]:
    seen: set[tuple[str, str, str, str]] = set()
    found = []
    for relation in relations:
        key = (relation.left, relation.right, relation.label, relation.cardinality)
        if key not in seen:
            seen.add(key)
            found.append(relation)
    return found
