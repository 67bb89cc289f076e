# Eloquent: model classes (`extends Model`, `Authenticatable`, `Pivot`, or another model) with their `$table` and
# the relations their methods return (`hasMany`, `hasOne`, `belongsTo`, `belongsToMany` with its pivot table and
# keys), joined by `relational` with the tables of the migrations. Key and table defaults follow Eloquent's
# conventions: `belongsTo` reads `<method>_id`, `hasMany` `<owner>_id`, a pivot is both singular names in
# alphabetical order. The database comes from `.env.example` and `config/database.php`.
from __future__ import annotations

from typing import Any

from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.datamodel import db_config, laravel_migrations
from autodevhub_docs.analysis.datamodel.relational import Association, Model, assemble
from autodevhub_docs.analysis.endpoints import php_values as php
from autodevhub_docs.analysis.endpoints.inflect import tableize, underscore
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.treesitter import Parsed

ORM = "Eloquent"
_BASES = frozenset({"Illuminate\\Database\\Eloquent\\Model", "Illuminate\\Foundation\\Auth\\User",
                    "Illuminate\\Database\\Eloquent\\Relations\\Pivot",
                    "Illuminate\\Database\\Eloquent\\Relations\\MorphPivot"})
_RELATIONS = frozenset({"hasMany", "hasOne", "belongsTo", "belongsToMany"})
_THIS_RELATIONS = frozenset(("$this", name) for name in _RELATIONS)


def _imports(parsed: Parsed) -> dict[str, str]:
    """Imported class names: the short name or alias of each `use` clause -> the full name."""
    found: dict[str, str] = {}
    uses = [d for d in php.declarations(parsed) if d.type == "namespace_use_declaration"]
    for clause in (c for use in uses for c in use.named_children if c.type == "namespace_use_clause"):
        names = [c for c in clause.named_children if c.type in ("qualified_name", "name")]
        if not names:
            continue
        full = parsed.text(names[0]).lstrip("\\")
        alias = parsed.text(names[1]) if len(names) > 1 else full.rsplit("\\", 1)[-1]
        found[alias] = full
    return found


class _Class:
    """A class declaration as read, before inheritance tells whether it is a model."""

    def __init__(self, path: str, parsed: Parsed, node: Any, imports: dict[str, str]) -> None:
        self.path, self.parsed, self.node = path, parsed, node
        name = node.child_by_field_name("name")
        self.name = parsed.text(name) if name is not None else ""
        base = next((c for c in node.named_children if c.type == "base_clause"), None)
        written = parsed.text(base.named_children[0]).lstrip("\\") if base is not None and base.named_children else ""
        self.base = imports.get(written, written)
        self.table = ""
        elements = [e for p in php.members(node, "property_declaration") for e in p.named_children
                    if e.type == "property_element"]
        for element in elements:
            variable = element.child_by_field_name("name")
            default = element.child_by_field_name("default_value")
            if variable is not None and parsed.text(variable) == "$table" and default is not None:
                value = php.value(parsed, default)
                self.table = value if isinstance(value, str) else ""

    @property
    def line(self) -> int:
        """1-based line of the declaration."""
        return int(self.node.start_point[0]) + 1


def _models(code: Codebase, app: str) -> tuple[list[_Class], list[str]]:
    found: dict[str, _Class] = {}
    read: list[str] = []
    for path in code.source_files(".php"):
        if not path.startswith(f"{app}app/") or path.startswith(f"{app}app/Http/"):
            continue
        parsed = code.parse(path)
        if parsed is None:
            continue
        imports = _imports(parsed)
        for node in (d for d in php.declarations(parsed) if d.type == "class_declaration"):
            cls = _Class(path, parsed, node, imports)
            if cls.name and cls.base:
                found.setdefault(cls.name, cls)
                read.append(path)
    models: dict[str, _Class] = {}
    changed = True
    while changed:  # a model may extend another model
        changed = False
        for name, cls in found.items():
            short = cls.base.rsplit("\\", 1)[-1]
            if name not in models and (cls.base in _BASES or cls.base == "Model" or short in models):
                models[name] = cls
                changed = True
    return list(models.values()), sorted(set(read) & {m.path for m in models.values()})


def _returned_calls(cls: _Class) -> list[tuple[str, Any]]:
    """(method name, returned call chain) of the methods that return a call (`return $this->hasMany(...)`)."""
    found = []
    for method in php.members(cls.node, "method_declaration"):
        name, body = method.child_by_field_name("name"), method.child_by_field_name("body")
        if name is None or body is None:
            continue
        returned = next((s.named_children[0] for s in body.named_children
                         if s.type == "return_statement" and s.named_children), None)
        if returned is not None and returned.type == "member_call_expression":
            found.append((cls.parsed.text(name), returned))
    return found


def _associations(cls: _Class, tables: dict[str, str]) -> list[Association]:
    found: list[Association] = []
    owner_key = f"{underscore(cls.name)}_id"
    for name, returned in _returned_calls(cls):
        if php.innermost(cls.parsed, returned) not in _THIS_RELATIONS:
            continue
        root, links = php.chain(cls.parsed, returned)
        if root != "$this" or not links or links[0].name not in _RELATIONS:
            continue
        relation = _association(cls, name, links[0], owner_key, tables)
        if relation is not None:
            found.append(relation)
    return found


def _association(cls: _Class, name: str, link: php.Link, owner_key: str,
                 tables: dict[str, str]) -> Association | None:
    args = link.args
    target = args[0].short if args and isinstance(args[0], php.ClassRef) else ""
    if not target:
        return None
    strings = [a if isinstance(a, str) else "" for a in args[1:]]
    source = SourceRef(path=cls.path, line=link.line)

    def given(index: int) -> str:
        return strings[index] if len(strings) > index else ""

    if link.name == "belongsTo":
        return Association(owner=cls.name, kind="belongs_to", name=name, target=target, source=source,
                           foreign_key=given(0) or f"{underscore(name)}_id")
    if link.name in ("hasMany", "hasOne"):
        return Association(owner=cls.name, kind="has_many" if link.name == "hasMany" else "has_one", name=name,
                           target=target, source=source, foreign_key=given(0) or owner_key)
    pivot = given(0) or "_".join(sorted((underscore(cls.name), underscore(target))))
    return Association(owner=cls.name, kind="join", name=name, target=target, source=source, join_table=pivot,
                       owner_key=given(1) or owner_key, target_key=given(2) or f"{underscore(target)}_id")


class Eloquent:
    """Eloquent models and Laravel migrations."""

    name = ORM

    def run(self, code: Codebase) -> Found | None:
        """Read the data model of every Laravel application in the repository."""
        dependency = code.dependency("composer", ["laravel/framework", "illuminate/database"])
        migration_files = sorted(p for p in code.source_files(".php") if laravel_migrations.MIGRATIONS in f"/{p}")
        apps = sorted({p.split(laravel_migrations.MIGRATIONS, 1)[0] for p in migration_files}
                      | ({""} if dependency is not None else set()))
        entities, relations, files, techs = [], [], [], []
        evidence = [Codebase.ref(dependency)] if dependency is not None else []
        for app in apps:
            classes, model_files = _models(code, app)
            mine = [p for p in migration_files if p.startswith(app)]
            parsed = [(p, tree) for p in mine if (tree := code.parse(p)) is not None]
            tables = laravel_migrations.read(parsed)
            models = [Model(name=c.name, table=c.table or tableize(c.name), source=SourceRef(path=c.path, line=c.line))
                      for c in classes]
            table_of = {m.name: m.table for m in models}
            associations = [a for c in classes for a in _associations(c, table_of)]
            made, linked = assemble(tables, models, associations, orm=ORM)
            entities += made
            relations += linked
            files += [p for p, _ in parsed] + model_files
            evidence += [m.source for m in models[:1]]
            techs += db_config.env_connection(f"{app}.env.example", code.text(f"{app}.env.example"))
            techs += db_config.laravel_default(f"{app}config/database.php", code.parse(f"{app}config/database.php"))
        if dependency is None and not entities:
            return None
        return Found(framework=ORM, evidence=tuple(evidence), files_read=tuple(files), entities=tuple(entities),
                     relations=tuple(relations), technologies=tuple(techs))


ADAPTERS = (Eloquent(),)
