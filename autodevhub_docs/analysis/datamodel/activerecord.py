# ActiveRecord: the tables of `db/schema.rb` and the associations of the model classes under `app/models`
# (`belongs_to`, `has_many`, `has_one`, `has_and_belongs_to_many`, `has_many :through`, with `class_name:`,
# `foreign_key:`, `source:`, `join_table:`), read with the tree-sitter Ruby grammar and joined by `relational`.
# The database comes from `config/database.yml`, per environment.
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.datamodel import db_config, rails_schema
from autodevhub_docs.analysis.datamodel.relational import Association, Model, Table, assemble
from autodevhub_docs.analysis.endpoints.inflect import camelize, classify, singularize, tableize, underscore
from autodevhub_docs.analysis.endpoints.ruby_values import RubyClass, assignments, call, call_name, classes, statements
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.treesitter import Parsed

ORM = "ActiveRecord"
SCHEMA = "db/schema.rb"
DATABASE_YML = "config/database.yml"
_BASES = frozenset({"ActiveRecord::Base", "::ActiveRecord::Base"})
_ASSOCIATIONS = frozenset({"belongs_to", "has_many", "has_one", "has_and_belongs_to_many"})


class _Class:
    """A model class as read, before inheritance tells whether it is a model."""

    def __init__(self, path: str, parsed: Parsed, cls: RubyClass) -> None:
        self.path = path
        self.parsed = parsed
        self.cls = cls
        values = assignments(parsed, cls.body, "self")
        self.table = values["table_name"][0] if isinstance(values.get("table_name", (None,))[0], str) else ""
        self.abstract = values.get("abstract_class", (False,))[0] is True or any(
            call_name(parsed, n) == "primary_abstract_class" for n in statements(cls.body))


def _models(code: Codebase, app: str) -> tuple[list[_Class], list[str]]:
    """Model classes (those descending from ActiveRecord::Base) and the files read."""
    found: dict[str, _Class] = {}
    read: list[str] = []
    for path in code.source_files(".rb"):
        if not path.startswith(f"{app}app/models/"):
            continue
        parsed = code.parse(path)
        if parsed is None:
            continue
        read.append(path)
        for cls in classes(parsed):
            found.setdefault(cls.name, _Class(path, parsed, cls))
    models: dict[str, _Class] = {}
    resolve = _Resolver(found)
    changed = True
    while changed:  # ApplicationRecord < ActiveRecord::Base, then Article < ApplicationRecord, and so on
        changed = False
        for name, item in found.items():
            parent = item.cls.superclass
            if name not in models and (parent in _BASES or resolve(parent) in models):
                models[name] = item
                changed = True
    return list(models.values()), read


class _Resolver:
    """Class names as written to known class names (`::User` and `User` inside `Admin` both find `User`)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = set(names)
        self.by_short: dict[str, list[str]] = {}
        for name in sorted(self.names):
            self.by_short.setdefault(name.rsplit("::", 1)[-1], []).append(name)

    def __call__(self, name: str) -> str | None:
        bare = name.removeprefix("::")
        if bare in self.names:
            return bare
        matches = self.by_short.get(bare.rsplit("::", 1)[-1], [])
        return matches[0] if len(matches) == 1 else None


def _associations(item: _Class, owner: str, owner_table: str, tables: dict[str, str]) -> list[Association]:
    parsed = item.parsed
    found: list[Association] = []
    for node in statements(item.cls.body):
        c = call(parsed, node) if call_name(parsed, node) in _ASSOCIATIONS else None
        if c is None or c.receiver or c.name not in _ASSOCIATIONS or not c.args or not isinstance(c.args[0], str):
            continue
        name, opts = str(c.args[0]), c.options
        if opts.get("polymorphic") or "as" in opts:
            continue  # a polymorphic end reaches no one table
        source = SourceRef(path=item.path, line=c.line)
        class_name = str(opts["class_name"]) if isinstance(opts.get("class_name"), str) else ""
        own_key = str(opts["foreign_key"]) if isinstance(opts.get("foreign_key"), str) else ""
        owner_key = f"{underscore(owner.rsplit('::', 1)[-1])}_id"
        if c.name == "belongs_to":
            found.append(Association(owner=owner, kind="belongs_to", name=name, target=class_name or camelize(name),
                                     foreign_key=own_key or f"{name}_id", source=source))
        elif "through" in opts:
            found.append(Association(owner=owner, kind="through", name=name, target=class_name,
                                     through=str(opts["through"]), source=source,
                                     source_name=str(opts.get("source") or "")))
        elif c.name in ("has_many", "has_one"):
            target = class_name or (classify(name) if c.name == "has_many" else camelize(name))
            found.append(Association(owner=owner, kind=c.name, name=name, target=target,
                                     foreign_key=own_key or owner_key, source=source))
        else:
            target = class_name or classify(name)
            join = opts.get("join_table")
            other_key = opts.get("association_foreign_key")
            found.append(Association(
                owner=owner, kind="join", name=name, target=target, source=source,
                join_table=str(join) if isinstance(join, str) else rails_schema.join_table_name(
                    owner_table, tables.get(target, tableize(target))),
                owner_key=own_key or owner_key,
                target_key=str(other_key) if isinstance(other_key, str) else f"{singularize(underscore(target))}_id"))
    return found


def _resolved(associations: Sequence[Association], names: dict[str, str]) -> list[Association]:
    """Targets as model names, and `through` associations resolved to their target and source association."""
    resolve = _Resolver(names)
    fixed = [replace(a, target=resolve(a.target) or a.target) for a in associations]
    by_owner = {(a.owner, a.name): a for a in fixed}
    done = []
    for assoc in fixed:
        if assoc.kind == "through":
            via = by_owner.get((assoc.owner, assoc.through))
            middle = via.target if via is not None else ""
            candidates = [assoc.source_name] if assoc.source_name else [assoc.name, singularize(assoc.name)]
            reach = next((by_owner[(middle, n)] for n in candidates if (middle, n) in by_owner), None)
            if reach is None:
                continue
            target = resolve(assoc.target) if assoc.target else reach.target
            done.append(replace(assoc, target=target or reach.target, source_name=reach.name))
        else:
            done.append(assoc)
    return done


class ActiveRecord:
    """ActiveRecord models, `db/schema.rb` and `config/database.yml`."""

    name = ORM

    def run(self, code: Codebase) -> Found | None:
        """Read the data model of every Rails application in the repository."""
        dependency = code.dependency("rubygems", ["activerecord", "rails"])
        schemas = [p for p in code.source_files(SCHEMA) if p == SCHEMA or p.endswith(f"/{SCHEMA}")]
        configs = [p for p in code.source_files(DATABASE_YML) if p == DATABASE_YML or p.endswith(f"/{DATABASE_YML}")]
        apps = sorted({p.removesuffix(SCHEMA) for p in schemas} | {p.removesuffix(DATABASE_YML) for p in configs}
                      | ({""} if dependency is not None else set()))
        found = {app: self._app(code, app) for app in apps}
        model_refs = [m.source for _, models, _, _ in found.values() for m in models]
        explicit = dependency is not None and dependency.name.lower() == "activerecord"
        if not (schemas or configs or model_refs or explicit):
            return None  # Rails without a database (or with Mongoid): nothing shows ActiveRecord in use
        evidence = ([Codebase.ref(dependency)] if dependency is not None else []) + [
            SourceRef(path=p) for p in schemas + configs] + model_refs[:1]
        entities, relations, files, problems, techs = [], [], [], [], []
        for tables, models, associations, app_read in found.values():
            made, linked = assemble(tables, models, associations, orm=ORM)
            entities += made
            relations += linked
            files += app_read
        for path in configs:
            databases, problem = db_config.rails_databases(path, code.text(path))
            techs += databases
            problems += [problem] if problem else []
            files.append(path)
        return Found(framework=ORM, evidence=tuple(evidence), files_read=tuple(files), entities=tuple(entities),
                     relations=tuple(relations), problems=tuple(problems), technologies=tuple(techs))

    @staticmethod
    def _app(code: Codebase, app: str) -> tuple[list[Table], list[Model], list[Association], list[str]]:
        tables: list[Table] = []
        read: list[str] = []
        parsed = code.parse(f"{app}{SCHEMA}")
        if parsed is not None:
            tables = rails_schema.read(f"{app}{SCHEMA}", parsed)
            read.append(f"{app}{SCHEMA}")
        classes_found, model_files = _models(code, app)
        read += model_files
        concrete = [c for c in classes_found if not c.abstract]
        table_of = {c.cls.name: c.table or tableize(c.cls.name) for c in concrete}
        parents = _Resolver(table_of)
        shared = {c.cls.name for c in concrete if not c.table and parents(c.cls.superclass)}
        models = [Model(name=c.cls.name, table=table_of[c.cls.name], source=SourceRef(path=c.path, line=c.cls.line))
                  for c in concrete if c.cls.name not in shared]  # single-table inheritance shares its parent's table
        names = {m.name: m.table for m in models}
        associations = [a for c in concrete if c.cls.name in names
                        for a in _associations(c, c.cls.name, names[c.cls.name], names)]
        return tables, models, _resolved(associations, names), read


ADAPTERS = (ActiveRecord(),)
