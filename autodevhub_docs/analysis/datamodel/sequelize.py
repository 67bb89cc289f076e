# Sequelize models, read with tree-sitter: `sequelize.define('Name', attributes, options)` and
# `class Name extends Model` + `Name.init(attributes, { modelName, tableName })`, their attributes (`DataTypes.X`,
# `{ type, primaryKey, allowNull, unique, references }`), table names as Sequelize derives them (`tableName`, else
# the model name, pluralised unless `freezeTableName`), the `id` primary key Sequelize adds when none is declared,
# and associations: `belongsTo` / `hasMany` / `hasOne` / `belongsToMany({ through })`. The two calls that declare
# one relation from both sides (`hasMany` + `belongsTo`, two `belongsToMany` through one table) make one relation.
from __future__ import annotations

import bisect
from collections import deque
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from autodevhub_docs.analysis import javascript, jsclasses
from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.jsmodule import JsModule, string
from autodevhub_docs.analysis.jsvalues import Evaluator
from autodevhub_docs.model import Entity, EntityField, Relation, SourceRef

PACKAGES = ("sequelize", "sequelize-typescript")
_ASSOCIATIONS = ("belongsTo", "hasMany", "hasOne", "belongsToMany")
MAX_NESTED_CLASSES = 8
"""Classes looked back through to find the one around an association call."""
MAX_PARTNERS = 8
"""Association calls between the same two models tried as the other end of one relation."""
@dataclass
class _Model:
    name: str
    path: str
    line: int
    options: Any
    fields: list[EntityField] = field(default_factory=list)
    table: str = ""


@dataclass(frozen=True, slots=True)
class _Association:
    kind: str
    source: str
    target: str
    alias: str
    foreign_key: str
    through: str
    ref: SourceRef


@dataclass
class _Schema:
    models: dict[str, _Model] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    """Variable or class name -> model name."""
    associations: list[tuple[JsModule, Any, Any]] = field(default_factory=list)
    """(file, call, enclosing class name) of each association call, resolved once every model is known."""


class SequelizeAdapter:
    """Entities and relations of Sequelize models."""

    name = "Sequelize"
    script_packages = PACKAGES

    def run(self, code: Codebase) -> Found | None:
        """Read every model definition and association; None when Sequelize is absent."""
        evidence = javascript.presence(code, PACKAGES)
        if not evidence:
            return None
        evaluator = Evaluator(code)
        schema = _Schema()
        files, defining = javascript.calling(code, ("define", "init", *_ASSOCIATIONS))
        for path in defining:  # _read only starts from these calls
            mod = evaluator.module(path)
            if mod is not None:
                _read(evaluator, mod, schema)
        associations = [a for a in (_association(mod, call, owner, schema) for mod, call, owner in
                                    schema.associations) if a is not None]
        through = {a.through for a in associations if a.through}
        entities = [_entity(m, through) for m in schema.models.values()]
        entities = [_with_keys(e, associations, schema) for e in entities]
        return Found(framework=self.name, evidence=evidence, files_read=tuple(files), entities=tuple(entities),
                     relations=tuple(_relations(associations)), problems=tuple(javascript.unparsed(code)),
                     technologies=tuple(javascript.database_options(code, "dialect", ("Sequelize",))))


def pluralise(name: str) -> str:
    """English plural of a model name, the way Sequelize names tables (`Category` -> `Categories`)."""
    if name.endswith("y") and name[-2:-1] not in ("a", "e", "i", "o", "u"):
        return name[:-1] + "ies"
    if name.endswith(("s", "x", "z", "ch", "sh")):
        return name + "es"
    return name + "s"


def _args(call: Any) -> list[Any]:
    arguments = call.child_by_field_name("arguments")
    return [a for a in arguments.named_children if a.type != "comment"] if arguments is not None else []


def _read(evaluator: Evaluator, mod: JsModule, schema: _Schema) -> None:
    declared = {decl.node.id: name for (_, name), decl in mod.declarations.items()
                if decl.kind == "value" and decl.node is not None}
    classes = [(cls, decorators) for cls, decorators in jsclasses.classes(mod)]
    spans = sorted((cls.start_byte, cls.end_byte, mod.text(cls.child_by_field_name("name"))) for cls, _ in classes
                   if cls.child_by_field_name("name") is not None)
    for call in mod.calls(("define", "init", *_ASSOCIATIONS)):
        callee = call.child_by_field_name("function")
        method = mod.text(callee.child_by_field_name("property"))
        receiver = callee.child_by_field_name("object")
        args = _args(call)
        if method == "define" and len(args) >= 2 and string(mod.parsed, args[0]):
            name = str(string(mod.parsed, args[0]))
            _define(evaluator, mod, schema, name=name, call=call, attributes=args[1],
                    options=args[2] if len(args) > 2 else None)
            if call.id in declared:
                schema.names[declared[call.id]] = name
        elif method == "init" and args and receiver is not None and receiver.type == "identifier":
            options = args[1] if len(args) > 1 else None
            class_name = mod.text(receiver)
            name = string(mod.parsed, jsclasses.pair(mod, options, "modelName")) or class_name
            _define(evaluator, mod, schema, name=name, call=call, attributes=args[0], options=options)
            schema.names[class_name] = name
        elif method in _ASSOCIATIONS and args:
            owner = _enclosing(spans, call)
            schema.associations.append((mod, call, owner))


def _enclosing(spans: list[tuple[int, int, str]], node: Any) -> str:
    """The class a node is written in (the nearest few classes before it are enough: classes rarely nest)."""
    index = bisect.bisect_right(spans, (node.start_byte, float("inf"), "")) - 1
    for start, end, name in reversed(spans[max(0, index - MAX_NESTED_CLASSES):index + 1]):
        if start <= node.start_byte and node.end_byte <= end:
            return name
    return ""


def _define(evaluator: Evaluator, mod: JsModule, schema: _Schema, *, name: str, call: Any, attributes: Any,
            options: Any | None) -> None:
    if name in schema.models:
        return
    path, node, _ = evaluator.definition(mod.path, attributes, mod.scope_of(attributes))
    owner = evaluator.module(path) or mod
    model = _Model(name=name, path=mod.path, line=call.start_point[0] + 1, options=options)
    for child in node.named_children if node.type == "object" else ():
        if child.type == "pair":
            key = child.child_by_field_name("key")
            model.fields.append(_attribute(owner, string(owner.parsed, key) or owner.text(key),
                                           child.child_by_field_name("value")))
    table = string(mod.parsed, jsclasses.pair(mod, options, "tableName"))
    frozen = jsclasses.pair(mod, options, "freezeTableName")
    model.table = table or (name if frozen is not None and mod.text(frozen) == "true" else pluralise(name))
    schema.models[name] = model
    schema.names.setdefault(name, name)


def _type(mod: JsModule, node: Any | None) -> str:
    """`DataTypes.STRING`, `DataTypes.STRING(200)`, `Sequelize.INTEGER` -> `STRING`, `STRING`, `INTEGER`."""
    if node is None:
        return "?"
    if node.type == "call_expression":
        node = node.child_by_field_name("function")
    return mod.text(node).rsplit(".", 1)[-1] if node is not None else "?"


def _attribute(mod: JsModule, name: str, value: Any) -> EntityField:
    if value is None or value.type != "object":
        return EntityField(name=name, type=_type(mod, value))

    def flag(key: str) -> bool | None:
        found = jsclasses.pair(mod, value, key)
        return None if found is None else mod.text(found) == "true"

    references = jsclasses.pair(mod, value, "references")
    target = string(mod.parsed, jsclasses.pair(mod, references, "model")) if references is not None else None
    column = string(mod.parsed, jsclasses.pair(mod, references, "key")) if references is not None else None
    unique = bool(flag("unique"))
    key = "PK" if flag("primaryKey") else ("FK" if target else ("UK" if unique else None))
    allow_null = flag("allowNull")
    return EntityField(name=name, type=_type(mod, jsclasses.pair(mod, value, "type")), key=key,
                       nullable=allow_null, unique=unique,
                       references=f"{target}.{column or 'id'}" if target else None)


def _entity(model: _Model, through: set[str]) -> Entity:
    fields = model.fields
    if not any(f.key == "PK" for f in fields) and model.name not in through:  # Sequelize's implicit `id`
        fields = [EntityField(name="id", type="INTEGER", key="PK"), *fields]
    return Entity(name=model.name, table=model.table, orm="Sequelize",
                  source=SourceRef(path=model.path, line=model.line), fields=tuple(fields))


def _model_name(mod: JsModule, node: Any | None, owner: str, schema: _Schema) -> str:
    """The model an association argument names: `User`, `models.User`, `db['User']`, `this` (the class)."""
    if node is None:
        return ""
    if node.type == "this":
        return schema.names.get(owner, "")
    text = string(mod.parsed, node.child_by_field_name("index")) if node.type == "subscript_expression" else None
    text = text or string(mod.parsed, node) or mod.text(node).rsplit(".", 1)[-1]
    return schema.names.get(text, "")


def _association(mod: JsModule, call: Any, owner: str, schema: _Schema) -> _Association | None:
    callee = call.child_by_field_name("function")
    args = _args(call)
    source = _model_name(mod, callee.child_by_field_name("object"), owner, schema)
    target = _model_name(mod, args[0], owner, schema)
    if not source or not target:
        return None
    options = args[1] if len(args) > 1 else None
    foreign = jsclasses.pair(mod, options, "foreignKey")
    if foreign is not None and foreign.type == "object":
        foreign = jsclasses.pair(mod, foreign, "name")
    through = jsclasses.pair(mod, options, "through")
    if through is not None and through.type == "object":
        through = jsclasses.pair(mod, through, "model")
    through_name = (string(mod.parsed, through) or _model_name(mod, through, owner, schema)
                    or mod.text(through)) if through is not None else ""
    return _Association(kind=mod.text(callee.child_by_field_name("property")), source=source, target=target,
                        alias=string(mod.parsed, jsclasses.pair(mod, options, "as")) or "",
                        foreign_key=string(mod.parsed, foreign) or "" if foreign is not None else "",
                        through=through_name, ref=SourceRef(path=mod.path, line=call.start_point[0] + 1))


def _with_keys(entity: Entity, associations: list[_Association], schema: _Schema) -> Entity:
    """Mark the attributes that associations name as foreign keys."""
    keys = {}
    for a in associations:
        holder, target = (a.source, a.target) if a.kind == "belongsTo" else (a.target, a.source)
        if a.kind != "belongsToMany" and holder == entity.name and a.foreign_key:
            keys[a.foreign_key] = f"{schema.models[target].table}.id" if target in schema.models else target
    fields = tuple(EntityField(name=f.name, type=f.type, key="FK", nullable=f.nullable, unique=f.unique,
                               references=f.references or keys[f.name])
                   if f.name in keys and f.key != "PK" else f for f in entity.fields)
    return Entity(name=entity.name, table=entity.table, orm=entity.orm, source=entity.source, fields=fields)


def _relations(associations: list[_Association]) -> list[Relation]:
    by_ends: dict[tuple[str, str], deque[int]] = {}
    for index, a in enumerate(associations):
        by_ends.setdefault((a.source, a.target), deque()).append(index)
    found: list[Relation] = []
    used: set[int] = set()
    for index, a in enumerate(associations):
        if index in used:
            continue
        used.add(index)
        queue = by_ends.get((a.target, a.source), deque())
        while queue and queue[0] in used:  # calls already told drop out once, so the scan stays linear
            queue.popleft()
        partner = next((j for j in islice(queue, MAX_PARTNERS) if j not in used and _pairs(a, associations[j])),
                       None)
        if partner is not None:
            used.add(partner)
        found.append(_relation(a, associations[partner] if partner is not None else None))
    return found


def _pairs(a: _Association, b: _Association) -> bool:
    """Whether two association calls describe one relation from its two ends."""
    if (a.source, a.target) != (b.target, b.source) or a.source == a.target:
        return False
    if a.kind == "belongsToMany" or b.kind == "belongsToMany":
        return a.kind == b.kind and a.through == b.through
    kinds = {a.kind, b.kind}
    if kinds not in ({"belongsTo", "hasMany"}, {"belongsTo", "hasOne"}):
        return False
    return not (a.foreign_key and b.foreign_key and a.foreign_key != b.foreign_key)


def _relation(a: _Association, b: _Association | None) -> Relation:
    if a.kind == "belongsToMany":
        return Relation(left=a.source, right=a.target, cardinality="many-to-many", label=a.alias or a.target,
                        right_label=b.alias if b else "", through=a.through or None, source=a.ref)
    if b is not None and a.kind != "belongsTo":
        a, b = b, a  # tell it from the belongsTo side, which holds the key
    if a.kind == "belongsTo":
        one = b is not None and b.kind == "hasOne"
        return Relation(left=a.source, right=a.target, cardinality="one-to-one" if one else "many-to-one",
                        label=a.alias or a.target, right_label=(b.alias or b.source) if b else "", source=a.ref)
    cardinality = "one-to-many" if a.kind == "hasMany" else "one-to-one"
    return Relation(left=a.source, right=a.target, cardinality=cardinality, label=a.alias or a.target,
                    source=a.ref)


ADAPTERS = (SequelizeAdapter(),)
