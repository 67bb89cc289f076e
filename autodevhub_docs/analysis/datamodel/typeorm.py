# TypeORM entities, read with tree-sitter: `@Entity(name | { name })` classes, their `@Column`/`@PrimaryColumn`/
# `@PrimaryGeneratedColumn`/date and version columns (with columns inherited from base classes), and relations from
# `@ManyToOne`, `@OneToMany`, `@OneToOne` + `@JoinColumn` and `@ManyToMany` + `@JoinTable`. A relation declared on
# both sides is one relation: it is told from the side that owns it (the many-to-one side, the `@JoinColumn` side,
# the `@JoinTable` side), with the other side's property as its far end. Tables are named as TypeORM's default
# naming strategy names them (snake case; join tables `owner_property_target`). A script's classes are read as the
# summary pass parses it (no tree is kept for them).
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from autodevhub_docs.analysis import javascript, jsclasses
from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.jsmodule import JsModule, string
from autodevhub_docs.model import Entity, EntityField, Relation, SourceRef

PACKAGE = "typeorm"
_COLUMNS = frozenset({"Column", "PrimaryColumn", "PrimaryGeneratedColumn", "CreateDateColumn", "UpdateDateColumn",
                      "DeleteDateColumn", "VersionColumn", "ObjectIdColumn", "ViewColumn"})
_PRIMARY = frozenset({"PrimaryColumn", "PrimaryGeneratedColumn", "ObjectIdColumn"})
_RELATIONS = {"ManyToOne": "many-to-one", "OneToMany": "one-to-many", "OneToOne": "one-to-one",
              "ManyToMany": "many-to-many"}
DATA_SOURCES = ("DataSource", "forRoot", "createConnection")
"""Calls whose options name the database (`new DataSource({ type: 'sqlite' })`, `TypeOrmModule.forRoot(...)`)."""
_WORDS = ("Entity", "Column")
"""What a file declaring an entity or a class with columns holds: every column decorator's name ends in `Column`
(a class with relations only and no column is not kept), as imported (an alias is imported by the name)."""
_FIELDS = frozenset({"public_field_definition", "property_definition", "field_definition"})
"""Class members that can be columns or relations."""
MAX_INHERITANCE = 8
"""Deepest chain of base classes whose columns are inherited."""


@dataclass(frozen=True, slots=True)
class _Member:
    kind: str
    name: str
    target: str
    inverse: str
    line: int
    owner: bool = False
    """Has @JoinColumn (one-to-one) or @JoinTable (many-to-many)."""
    join_table: str | None = None


@dataclass(frozen=True, slots=True)
class _Class:
    name: str
    path: str
    line: int
    base: str
    entity: bool
    table: str
    fields: tuple[EntityField, ...] = ()
    relations: tuple[_Member, ...] = ()


class TypeOrmAdapter:
    """Entities and relations of TypeORM entity classes."""

    name = "TypeORM"
    script_packages = (PACKAGE,)
    script_words = _WORDS

    def run(self, code: Codebase) -> Found | None:
        """Read every decorated class; None when TypeORM is neither a dependency nor imported."""
        evidence = javascript.presence(code, (PACKAGE, "@nestjs/typeorm"))
        if not evidence:
            return None
        classes: dict[str, _Class] = {}
        files: list[str] = []
        for path in javascript.users(code, (PACKAGE,), _WORDS):
            declared: tuple[_Class, ...] | None = javascript.read_ahead(code, self.name, path)
            if declared is None:
                mod = javascript.module(code, path)
                if mod is None:
                    continue
                declared = _classes(mod)
            files.append(path)
            for found in declared:
                classes.setdefault(found.name, found)
        entities = [_entity(c, classes) for c in classes.values() if c.entity]
        return Found(framework=self.name, evidence=evidence, files_read=tuple(files), entities=tuple(entities),
                     relations=tuple(_relations(classes)), problems=tuple(javascript.unparsed(code)),
                     technologies=tuple(javascript.database_options(code, "type", DATA_SOURCES)))

    def read_script(self, code: Codebase, module: JsModule) -> tuple[_Class, ...]:
        """The decorated classes of a script, read as the summary pass parses it (a script alone tells them)."""
        del code
        return _classes(module)


def snake_case(name: str) -> str:
    """TypeORM's default table name for a class (`ArticleEntity` -> `article_entity`)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _classes(mod: JsModule) -> tuple[_Class, ...]:
    """The entities and the classes with columns (an entity's bases) a file declares, in source order."""
    found = (_class(mod, cls, decorators) for cls, decorators in jsclasses.classes(mod))
    return tuple(c for c in found if c is not None)


def _class(mod: JsModule, cls: Any, decorators: list[Any]) -> _Class | None:
    name_node = cls.child_by_field_name("name")
    if name_node is None:
        return None
    name = mod.text(name_node)
    entity = next((d for d in (jsclasses.decorator(mod, deco, PACKAGE) for deco in decorators)
                   if d is not None and d[0] == "Entity"), None)
    table = None
    if entity is not None and entity[1]:
        first = entity[1][0]
        table = string(mod.parsed, first) or string(mod.parsed, jsclasses.pair(mod, first, "name"))
    fields: list[EntityField] = []
    relations: list[_Member] = []
    for member, member_decorators in jsclasses.members(cls, _FIELDS):
        _member(mod, member, member_decorators, fields, relations)
    if entity is None and not fields:
        return None
    return _Class(name=name, path=mod.path, line=cls.start_point[0] + 1, base=jsclasses.heritage(mod, cls),
                  entity=entity is not None, table=table or snake_case(name), fields=tuple(fields),
                  relations=tuple(relations))


def _member(mod: JsModule, member: Any, decorators: list[Any], fields: list[EntityField],
            relations: list[_Member]) -> None:
    name_node = member.child_by_field_name("name") or member.child_by_field_name("property")
    if name_node is None:
        return
    name = mod.text(name_node)
    found = [d for d in (jsclasses.decorator(mod, deco, PACKAGE) for deco in decorators) if d is not None]
    for kind, args in found:
        if kind in _COLUMNS:
            fields.append(_column(mod, name, member, kind, args))
        elif kind in _RELATIONS and args:
            names = {d[0] for d in found}
            join = next((a for k, a in found if k == "JoinTable"), None)
            relations.append(_Member(
                kind=kind, name=name, target=_target(mod, args[0]), inverse=_inverse(mod, args[1:]),
                line=member.start_point[0] + 1, owner=("JoinColumn" in names) or ("JoinTable" in names),
                join_table=string(mod.parsed, jsclasses.pair(mod, join[0], "name")) if join else None))


def _column(mod: JsModule, name: str, member: Any, kind: str, args: list[Any]) -> EntityField:
    options = next((a for a in args if a.type == "object"), None) if args else None
    annotation = member.child_by_field_name("type")
    written = mod.text(annotation).lstrip(":").strip() if annotation is not None else ""
    parts = [p.strip() for p in written.split("|") if p.strip() not in ("null", "undefined", "")] if written else []
    given = jsclasses.pairs(mod, options)  # each key of the options read once
    if parts:
        column_type = parts[0]  # the property's type, as written, comes before the database's
    else:  # `@Column({ type: 'text' })`, `@Column('text')`, `@PrimaryGeneratedColumn('uuid')`
        column_type = string(mod.parsed, given.get("type")) or (string(mod.parsed, args[0]) if args else None) or "?"
    unique = given.get("unique")
    is_unique = unique is not None and mod.text(unique) == "true"
    key = "PK" if kind in _PRIMARY or _true(mod, given.get("primary")) else (
        "UK" if is_unique else None)
    nullable = True if _true(mod, given.get("nullable")) else None
    return EntityField(name=name, type=column_type, key=key, nullable=nullable, unique=is_unique)


def _true(mod: JsModule, node: Any | None) -> bool:
    return node is not None and mod.text(node) == "true"


def _target(mod: JsModule, node: Any) -> str:
    """The entity a relation points at: `() => User`, `type => User`, `'User'` or `User`."""
    if node.type == "arrow_function":
        node = node.child_by_field_name("body")
    if node is None:
        return ""
    return string(mod.parsed, node) or mod.text(node).rsplit(".", 1)[-1]


def _inverse(mod: JsModule, args: list[Any]) -> str:
    """The property on the other side: `(user) => user.photos` or `'photos'`."""
    first = args[0] if args else None
    if first is None or first.type == "object":
        return ""
    if first.type == "arrow_function":
        body = first.child_by_field_name("body")
        prop = body.child_by_field_name("property") if body is not None and body.type == "member_expression" else None
        return mod.text(prop) if prop is not None else ""
    return string(mod.parsed, first) or ""


def _entity(cls: _Class, classes: dict[str, _Class]) -> Entity:
    inherited: list[EntityField] = []
    base, depth = classes.get(cls.base), 0
    chain = []
    while base is not None and depth < MAX_INHERITANCE:
        chain.append(base)
        base, depth = classes.get(base.base), depth + 1
    for parent in reversed(chain):
        inherited += [f for f in parent.fields if f.name not in {g.name for g in inherited}]
    own = {f.name for f in cls.fields}
    fields = [f for f in inherited if f.name not in own] + list(cls.fields)
    return Entity(name=cls.name, table=cls.table, orm="TypeORM", source=SourceRef(path=cls.path, line=cls.line),
                  fields=tuple(fields))


def _counterpart(member: _Member, owner: str, classes: dict[str, _Class]) -> _Member | None:
    """The declaration of the same relation on the other entity, if there is one."""
    other = classes.get(member.target)
    for candidate in other.relations if other is not None else ():
        if candidate.target != owner or candidate is member:
            continue
        if candidate.name == member.inverse or candidate.inverse == member.name:
            return candidate
    return None


def _relations(classes: dict[str, _Class]) -> list[Relation]:
    entities = {name for name, cls in classes.items() if cls.entity}
    found = []
    for cls in classes.values():
        if not cls.entity:
            continue
        for member in cls.relations:
            if member.target not in entities:
                continue
            other = _counterpart(member, cls.name, classes)
            if not _owns(member, other, cls.name):
                continue
            through = None
            if member.kind == "ManyToMany":
                through = member.join_table or (
                    f"{cls.table}_{member.name}_{classes[member.target].table}" if member.owner else None)
            found.append(Relation(left=cls.name, right=member.target, cardinality=_RELATIONS[member.kind],
                                  label=member.name, right_label=other.name if other else member.inverse,
                                  through=through, source=SourceRef(path=cls.path, line=member.line)))
    return found


def _owns(member: _Member, other: _Member | None, name: str) -> bool:
    """Whether a relation is told from this side (each relation declared on both sides is told once)."""
    if other is None:
        return True
    if member.kind == "OneToMany":
        return other.kind != "ManyToOne"
    if member.kind == "ManyToOne":
        return True
    if member.owner != other.owner:
        return member.owner
    return (name, member.name) <= (member.target, other.name)  # neither or both own it: tell it from one side


ADAPTERS = (TypeOrmAdapter(),)
