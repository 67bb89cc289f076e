# Mongoose models, read with tree-sitter: `new Schema({...})` definitions (from mongoose, as `Schema` or
# `mongoose.Schema`) registered with `model('Name', schema[, collection])`. Each path becomes a field (`String`,
# `{ type, required, unique, ref }`, arrays, embedded schemas), `_id` is the primary key Mongoose adds, and every
# `ref: 'Model'` is a relation: a single reference is many-to-one (one-to-one when unique), an array of references
# many-to-many (nothing stops a document from appearing in many arrays). Collections are named as Mongoose names
# them: the `collection` argument or option, else the model name in lower case and plural.
# A script's registrations are read as the summary pass parses it (no tree is kept for them), or in the run when a
# schema is declared in another file.
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from autodevhub_docs.analysis import javascript, jsclasses
from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.datamodel.sequelize import pluralise
from autodevhub_docs.analysis.jslocal import FileEvaluator
from autodevhub_docs.analysis.jsmodule import JsModule, string
from autodevhub_docs.analysis.jsvalues import Evaluator, Package
from autodevhub_docs.model import Entity, EntityField, Relation, SourceRef

PACKAGES = ("mongoose", "@nestjs/mongoose")
MAX_NESTING = 8
"""Deepest nested path object read."""
_GLOBAL_TYPES = frozenset({"String", "Number", "Boolean", "Date", "Buffer", "Map", "Array", "Object", "BigInt"})
"""JavaScript's global constructors, which Mongoose takes as schema types: a path typed with one is not an embedded
schema, and is not looked up as one."""


@dataclass(frozen=True, slots=True)
class _Path:
    field: EntityField
    ref: str
    many: bool
    line: int


_Model = tuple[str, Entity, tuple[Relation, ...]]
"""A registered model: its name, its entity, its references."""


class MongooseAdapter:
    """Entities and relations of Mongoose models."""

    name = "Mongoose"
    script_packages = PACKAGES

    def run(self, code: Codebase) -> Found | None:
        """Read every `model()` registration and its schema; None when Mongoose is absent."""
        evidence = javascript.presence(code, PACKAGES)
        if not evidence:
            return None
        evaluator = Evaluator(code)
        entities: dict[str, Entity] = {}
        relations: list[Relation] = []
        files, registering = javascript.calling(code, ("model",))
        for path in registering:
            models: tuple[_Model, ...] | None = javascript.read_ahead(code, self.name, path)
            if models is None:
                mod = evaluator.module(path)
                if mod is None:
                    continue
                models = _models(evaluator, mod)
            for name, entity, references in models:
                if name not in entities:  # the first registration of a name is the model
                    entities[name] = entity
                    relations += references
        names = set(entities)
        return Found(framework=self.name, evidence=evidence, files_read=tuple(files),
                     entities=tuple(entities.values()),
                     relations=tuple(r for r in relations if r.right in names),
                     problems=tuple(javascript.unparsed(code)))

    def read_script(self, code: Codebase, module: JsModule) -> tuple[_Model, ...] | None:
        """The models a script registers, read as the summary pass parses it; None when a schema is elsewhere."""
        evaluator = FileEvaluator(code, module)
        models = _models(evaluator, module)
        return None if evaluator.elsewhere else models


def _models(evaluator: Evaluator, mod: JsModule) -> tuple[_Model, ...]:
    """The models a file registers with `model(...)` calls, in source order."""
    calls = sorted(mod.calls(("model",)) + mod.named_calls("model"), key=lambda n: n.start_byte)
    found = (_model(evaluator, mod, call) for call in calls)
    return tuple(model for model in found if model is not None)


def _args(call: Any) -> list[Any]:
    arguments = call.child_by_field_name("arguments")
    return [a for a in arguments.named_children if a.type != "comment"] if arguments is not None else []


def _schema(evaluator: Evaluator, path: str, node: Any, scope: int) -> tuple[JsModule, Any] | None:
    """The `new Schema(...)` expression a node is or names, with its file."""
    path, node, scope = evaluator.definition(path, node, scope)
    mod = evaluator.module(path)
    if mod is None or node.type != "new_expression":
        return None
    constructor = evaluator.value(path, node.child_by_field_name("constructor"), scope)
    if not (isinstance(constructor, Package) and constructor.spec == "mongoose" and constructor.name == "Schema"):
        return None
    return mod, node


def _model(evaluator: Evaluator, mod: JsModule, call: Any) -> _Model | None:
    args = _args(call)
    name = string(mod.parsed, args[0]) if len(args) >= 2 else None
    found = _schema(evaluator, mod.path, args[1], mod.scope_of(call)) if name else None
    if name is None or found is None:
        return None
    owner, schema = found
    schema_args = _args(schema)
    definition = schema_args[0] if schema_args else None
    options = schema_args[1] if len(schema_args) > 1 else None
    collection = (string(mod.parsed, args[2]) if len(args) > 2 else None) or string(
        owner.parsed, jsclasses.pair(owner, options, "collection")) or pluralise(name.lower())
    paths = [_Path(field=EntityField(name="_id", type="ObjectId", key="PK"), ref="", many=False,
                   line=schema.start_point[0] + 1)]
    if definition is not None and definition.type == "object":
        paths += _paths(evaluator, owner, definition, "", 0)
    entity = Entity(name=name, table=collection, orm="Mongoose",
                    source=SourceRef(path=owner.path, line=schema.start_point[0] + 1),
                    fields=tuple(p.field for p in paths))
    references = []
    for item in paths:
        if item.ref:
            cardinality = "many-to-many" if item.many else ("one-to-one" if item.field.unique else "many-to-one")
            references.append(Relation(left=name, right=item.ref, cardinality=cardinality, label=item.field.name,
                                       source=SourceRef(path=owner.path, line=item.line)))
    return name, entity, tuple(references)


def _paths(evaluator: Evaluator, mod: JsModule, obj: Any, prefix: str, depth: int) -> list[_Path]:
    found = []
    for child in obj.named_children:
        if child.type != "pair":
            continue
        key, value = child.child_by_field_name("key"), child.child_by_field_name("value")
        name = prefix + (string(mod.parsed, key) or mod.text(key))
        options = jsclasses.pairs(mod, value) if value is not None and value.type == "object" else None
        if options is not None and options.get("type") is None and depth < MAX_NESTING:
            found += _paths(evaluator, mod, value, name + ".", depth + 1)  # a nested path: `address: { city: String }`
            continue
        found.append(_path(evaluator, mod, name, value, line=child.start_point[0] + 1, options=options))
    return found


def _path(evaluator: Evaluator, mod: JsModule, name: str, value: Any | None, *, line: int,
          options: dict[str, Any] | None) -> _Path:
    """One path; `options` are the keys of its value when that is an object (`{ type, ref }`), each read once."""
    many = False
    if value is not None and value.type == "array":
        many = True
        value = value.named_children[0] if value.named_children else None
        options = jsclasses.pairs(mod, value) if value is not None and value.type == "object" else None
    if value is None:
        return _Path(field=EntityField(name=name, type="Array"), ref="", many=False, line=line)
    kind_node = options.get("type") if options is not None else value
    kind = _type(evaluator, mod, kind_node)
    ref = string(mod.parsed, options.get("ref")) or "" if options is not None else ""
    required = options.get("required") if options is not None else None
    if required is not None and required.type == "array" and required.named_children:
        required = required.named_children[0]
    unique = options is not None and _true(mod, options.get("unique"))
    field = EntityField(name=name, type=kind + ("[]" if many else ""), key="FK" if ref else ("UK" if unique else None),
                        nullable=False if required is not None and _true(mod, required) else None, unique=unique,
                        references=ref or None)
    return _Path(field=field, ref=ref, many=many, line=line)


def _true(mod: JsModule, node: Any | None) -> bool:
    return node is not None and mod.text(node) == "true"


def _type(evaluator: Evaluator, mod: JsModule, node: Any | None) -> str:
    """`String`, `Schema.Types.ObjectId`, `'String'`, an embedded schema's name, `Object` for a literal."""
    if node is None:
        return "?"
    if node.type == "object":
        return "Object"
    if node.type == "identifier" and mod.text(node) not in _GLOBAL_TYPES \
            and _schema(evaluator, mod.path, node, mod.scope_of(node)) is not None:
        return mod.text(node)  # an embedded sub-document schema
    return string(mod.parsed, node) or mod.text(node).rsplit(".", 1)[-1]


ADAPTERS = (MongooseAdapter(),)
