# Entities of SQLAlchemy (declarative 1.x `Column` and 2.0 `Mapped`/`mapped_column`), Flask-SQLAlchemy (`db.Model`,
# `db.Column`, `db.Table`) and SQLModel (`table=True`). A class's ORM is read from what its bases resolve to across
# files (`Model` -> `conduit.database.Model` -> `db.Model` with `db = SQLAlchemy()`), never from its file name.
# Columns are `Column`/`mapped_column`/`Mapped[...]` attributes (SQLModel: every annotated field), plus calls to
# repository helpers whose body returns a column; a plain annotated attribute of a declarative class is not one.
from __future__ import annotations

import ast
import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass

from autodevhub_docs.analysis import pyevidence, pysymbols
from autodevhub_docs.analysis.adapters import Found, PythonVisitor
from autodevhub_docs.analysis.codebase import Codebase, is_application_code, is_sample_path
from autodevhub_docs.analysis.datamodel import python_relations, sqlalchemy_collect
from autodevhub_docs.analysis.datamodel.python_relations import Declared
from autodevhub_docs.analysis.datamodel.sqlalchemy_collect import SCALARS, Annotation, Member, ModelClass, OrmFile
from autodevhub_docs.analysis.pyscan import PyFile, call_name, dotted
from autodevhub_docs.analysis.pysymbols import ClassInfo, Symbols
from autodevhub_docs.model import Entity, EntityField, Relation, SourceRef

SQLALCHEMY, FLASK_SQLALCHEMY, SQLMODEL = "SQLAlchemy", "Flask-SQLAlchemy", "SQLModel"
_DECLARATIVE = ("DeclarativeBase", "DeclarativeBaseNoMeta", "declarative_base()", "generate_base()", "Base")


def _orm_of_base(qualname: str) -> str:
    """The ORM a class outside the repository belongs to ('' when it is none of ours)."""
    root, _, last = qualname.rpartition(".")
    if last == "SQLModel" and root in {"sqlmodel", "sqlmodel.main", ""}:
        return SQLMODEL
    if qualname.endswith("SQLAlchemy().Model") or qualname == "db.Model":  # `db.Model` is Flask-SQLAlchemy's idiom
        return FLASK_SQLALCHEMY
    if qualname.startswith("sqlalchemy.") and last in _DECLARATIVE:
        return SQLALCHEMY
    return ""


@dataclass
class _Candidate:
    cls: ClassInfo
    model: ModelClass
    orm: str
    file: PyFile


class _Builder:
    def __init__(self, code: Codebase) -> None:
        self.files = dict(code.python)
        self.symbols = Symbols(self.files)
        self.orm_files: dict[str, OrmFile] = {p: i.facts[sqlalchemy_collect.KEY] for p, i in self.files.items()
                                              if sqlalchemy_collect.KEY in i.facts and not is_sample_path(p)}
        self.by_module = {self.files[p].module: p for p in self.orm_files}

    def _model(self, cls: ClassInfo) -> ModelClass | None:
        facts = self.orm_files.get(cls.path)
        return facts.models.get(cls.name) if facts else None

    def _orm(self, cls: ClassInfo, model: ModelClass, file: PyFile) -> str:
        for ancestor in self.symbols.ancestors(cls):
            if isinstance(ancestor, str):
                if orm := _orm_of_base(ancestor):
                    return orm
            elif any(d.name.rsplit(".", 1)[-1] == "as_declarative" for d in ancestor.decorators):
                return SQLALCHEMY
        has_columns = any(m.call is not None and call_name(m.call) in sqlalchemy_collect.COLUMN_CALLS
                          for m in model.members)
        imports_sqlalchemy = any(name.startswith(("sqlalchemy", "flask_sqlalchemy")) for name, _ in file.imports)
        return SQLALCHEMY if model.tablename and has_columns and imports_sqlalchemy else ""

    def candidates(self) -> list[_Candidate]:
        found = []
        for path, facts in self.orm_files.items():
            info = self.files[path]
            symbols = self.symbols.of(info.module)
            for name, model in facts.models.items():
                cls = symbols.classes.get(name)
                if cls is not None and (orm := self._orm(cls, model, info)):
                    found.append(_Candidate(cls, model, orm, info))
        return found

    def _is_entity(self, cand: _Candidate, entities: set[str]) -> bool:
        model = cand.model
        if cand.orm == SQLMODEL:
            return model.keywords.get("table") is True
        if model.abstract or not (model.members or model.rels or model.tablename):
            return False
        if model.tablename:
            return True
        parents = [a for a in self.symbols.ancestors(cand.cls) if isinstance(a, ClassInfo) and a is not cand.cls]
        if any(p.qualname in entities for p in parents):
            return False  # single-table inheritance: mapped onto its parent's table
        if any((m := self._model(p)) is not None and m.tablename_declared for p in parents):
            return True
        # Flask-SQLAlchemy names the table after a class that has a primary key (an abstract base has none)
        return cand.orm == FLASK_SQLALCHEMY and any(f.key == "PK" for f, _ in self._fields(cand, entities)[0])

    def build(self) -> tuple[list[tuple[Entity, str]], list[Declared], dict[str, str]]:
        """Entities (with their ORM), their relationship() declarations, and Core table variables by name."""
        candidates = self.candidates()
        chosen: dict[str, _Candidate] = {}
        changed = True
        while changed:  # a subclass of an entity is an entity only with its own table; parents first
            changed = False
            for cand in candidates:
                if cand.cls.qualname not in chosen and self._is_entity(cand, set(chosen)):
                    chosen[cand.cls.qualname] = cand
                    changed = True
        entities: list[tuple[Entity, str]] = []
        declared: list[Declared] = []
        for cand in chosen.values():
            fields, rels = self._fields(cand, set(chosen))
            table_name = cand.model.tablename or _default_table(cand.cls.name, cand.orm)
            entities.append((Entity(name=cand.cls.name, table=table_name, orm=cand.orm,
                                    source=SourceRef(path=cand.cls.path, line=cand.cls.line),
                                    fields=tuple(f for f, _ in fields)), cand.orm))
            declared.append(Declared(entity=cand.cls.name, path=cand.cls.path, rels=tuple(rels),
                                     field_lines={f.name: line for f, line in fields}))
        tables: dict[str, str] = {}
        for path, facts in self.orm_files.items():
            info = self.files[path]
            for table in facts.tables.values():
                tables[f"{info.module}.{table.variable}"] = table.name
                constructor = self.symbols.qualify(table.constructor, info.module)
                flask = constructor.endswith("SQLAlchemy().Table") or constructor == "db.Table"
                orm = FLASK_SQLALCHEMY if flask else SQLALCHEMY
                fields = [(sqlalchemy_collect.column(_column_name(call), Annotation(), call), line)
                          for call, line in table.columns]
                entities.append((Entity(name=table.name, table=table.name, orm=orm,
                                        source=SourceRef(path=path, line=table.line),
                                        fields=tuple(f for f, _ in fields)), orm))
                declared.append(Declared(entity=table.name, path=path, rels=(),
                                         field_lines={f.name: line for f, line in fields}))
        return entities, declared, tables

    def _fields(self, cand: _Candidate, entities: set[str]
                ) -> tuple[list[tuple[EntityField, int]], list[sqlalchemy_collect.Rel]]:
        """Own columns and relationships, after those of the mixins and abstract bases it inherits.

        Parent entities' columns are not inherited: they live in the parent's own table.
        """
        own: list[tuple[EntityField, int]] = self._columns(cand.model, cand.cls, cand.orm)
        names = {f.name for f, _ in own}
        inherited: list[tuple[EntityField, int]] = []
        rels = list(cand.model.rels)
        for ancestor in list(self.symbols.ancestors(cand.cls))[1:]:
            if isinstance(ancestor, str) or ancestor.qualname in entities:
                continue
            model = self._model(ancestor)
            if model is None:
                continue
            for f, line in self._columns(model, ancestor, cand.orm):
                if f.name not in names:
                    names.add(f.name)
                    inherited.append((f, line))
            rels.extend(r for r in model.rels if r.attr not in {x.attr for x in rels})
        return inherited + own, rels

    def _columns(self, model: ModelClass, cls: ClassInfo, orm: str) -> list[tuple[EntityField, int]]:
        found = []
        for member in model.members:
            field = self._column(member, cls, orm)
            if field is not None:
                found.append((field, member.line))
        return found

    def _column(self, member: Member, cls: ClassInfo, orm: str) -> EntityField | None:
        note, call = member.annotation, member.call
        name = call_name(call) if call is not None else ""
        if call is not None and name in sqlalchemy_collect.COLUMN_CALLS:
            return sqlalchemy_collect.column(member.name, note, call)
        if call is not None and name == "Field" and orm == SQLMODEL:
            return sqlalchemy_collect.column(member.name, note, call)
        if call is not None:
            return self._helper_column(member, cls)
        relationship_like = note.collection or (note.related is not None and note.related[:1].isupper()
                                                and note.related not in SCALARS)
        if relationship_like or not (note.mapped or orm == SQLMODEL):
            return None  # a plain attribute of a declarative class (`token: str = ""`) is not a column
        return EntityField(name=member.name, type=note.type or "?", nullable=note.nullable or None)

    def _helper_column(self, member: Member, cls: ClassInfo) -> EntityField | None:
        """A column made by a repository helper (`reference_col("users")`), read from the helper's body."""
        call = member.call
        callee = dotted(call.func) if call is not None else None
        if call is None or callee is None:
            return None
        qualname = self.symbols.qualify(callee, cls.module)
        module, _, function = qualname.rpartition(".")
        path = self.by_module.get(module)
        helper = self.orm_files[path].helpers.get(function) if path else None
        if helper is None:
            return None
        bound = dict(helper.defaults)
        extra = []
        for param, arg in zip(helper.params, call.args, strict=False):
            bound[param] = arg
        for kw in call.keywords:
            if kw.arg in helper.params:
                bound[kw.arg] = kw.value
            else:
                extra.append(kw)
        returned = _Substitute(bound, helper.kwargs, extra).visit(_copy(helper.returned))
        return sqlalchemy_collect.column(member.name, member.annotation, returned, evaluate=evaluate_string)


def _copy(node: ast.Call) -> ast.Call:
    return copy.deepcopy(node)  # the helper's own tree is shared by every call site


class _Substitute(ast.NodeTransformer):
    """Replaces a helper's parameters by the call's arguments, and `**kwargs` by the extra keywords."""

    def __init__(self, bound: dict[str, ast.expr], kwargs: str | None, extra: list[ast.keyword]) -> None:
        self.bound, self.kwargs, self.extra = bound, kwargs, extra

    def visit_Name(self, node: ast.Name) -> ast.expr:
        return self.bound.get(node.id, node)

    def visit_Call(self, node: ast.Call) -> ast.expr:
        self.generic_visit(node)
        keywords = [k for k in node.keywords if not (k.arg is None and dotted(k.value) == self.kwargs)]
        if len(keywords) != len(node.keywords):
            keywords += self.extra
        node.keywords = keywords
        return node


_FORMAT_FIELD = re.compile(r"\{(\w*)\}")


def evaluate_string(node: ast.expr) -> str | None:  # noqa: PLR0911 - one return per string form
    """The value of a string expression built from literals: f-strings, `+`, `"%s" %` and `str.format`.

    Only plain `%s` and `{}`/`{0}`/`{name}` fields are filled: a width such as `%0999999999d` in stranger's code
    must not build a gigabyte string.
    """
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        parts = [evaluate_string(v.value if isinstance(v, ast.FormattedValue) else v) for v in node.values]
        return None if None in parts else "".join(p for p in parts if p is not None)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = evaluate_string(node.left), evaluate_string(node.right)
        return left + right if left is not None and right is not None else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and (template := evaluate_string(node.left)):
        items = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        values = [evaluate_string(i) for i in items]
        pieces = template.split("%s")
        if None in values or len(pieces) != len(values) + 1 or "%" in "".join(pieces).replace("%%", ""):
            return None
        return "".join(p + (v or "") for p, v in zip(pieces, [*values, ""], strict=True)).replace("%%", "%")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
            and (template := evaluate_string(node.func.value)) is not None:
        args = [evaluate_string(a) for a in node.args]
        kwargs = {k.arg: evaluate_string(k.value) for k in node.keywords if k.arg}
        counter = iter(range(len(args)))

        def field(match: re.Match[str]) -> str:
            key = match.group(1)
            value = kwargs.get(key) if key and not key.isdigit() else (
                args[int(key)] if key.isdigit() and int(key) < len(args) else (
                    args[i] if (i := next(counter, len(args))) < len(args) else None))
            if value is None:
                raise LookupError(key)
            return value

        try:
            return _FORMAT_FIELD.sub(field, template)
        except LookupError:
            return None
    return None


def _column_name(call: ast.Call) -> str:
    first = call.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else "?"


def _default_table(name: str, orm: str) -> str:
    if orm == SQLMODEL:
        return name.lower()
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()  # Flask-SQLAlchemy's snake_case name


def model(code: Codebase) -> tuple[list[tuple[Entity, str]], list[Relation]]:
    """Every SQLAlchemy-family entity with its ORM, and the relations between them."""
    builder = _Builder(code)
    entities, declared, tables = builder.build()

    def through(rel: sqlalchemy_collect.Rel, path: str) -> str | None:
        """The table a `secondary=` names: a table name, a `Table()` variable (local or imported), a link model."""
        if rel.secondary is None or not rel.secondary.startswith("@"):
            return rel.secondary
        name = rel.secondary[1:]
        info = builder.files[path]
        target = info.aliases.get(name.split(".", 1)[0])
        qualname = f"{info.module}.{name}" if target is None else target + name[len(name.split(".", 1)[0]):]
        link = next((e for e, _ in entities if e.name == name.rsplit(".", 1)[-1]), None)
        return tables.get(qualname) or (link.table if link is not None else name.rsplit(".", 1)[-1])

    relations = python_relations.relations([e for e, _ in entities], declared, through)
    return entities, relations


@dataclass(frozen=True)
class SqlAlchemyFamily:
    """SQLAlchemy, Flask-SQLAlchemy or SQLModel: present when application code imports it."""

    name: str
    modules: tuple[str, ...]
    built_on_by: tuple[str, ...] = ()
    """Modules built on this ORM: when application code uses one of them and no entity is this ORM's own, its
    imports are that ORM's (a Flask-SQLAlchemy app imports `sqlalchemy.orm`)."""

    @staticmethod
    def visitors() -> Sequence[PythonVisitor]:
        """Model declarations, and the symbols their bases resolve through."""
        return (sqlalchemy_collect.VISITOR, pysymbols.VISITOR)

    def run(self, code: Codebase) -> Found | None:
        """This ORM's entities and the relations they hold, or None when application code does not use it."""
        # Imports in migrations or tests are no evidence: Alembic migrations import sqlalchemy in apps that run on
        # other drivers.
        evidence = pyevidence.import_evidence(code.python, *self.modules)
        if not evidence:
            return None
        entities, relations = model(code)
        own = tuple(e for e, orm in entities if orm == self.name)
        if not own and pyevidence.import_evidence(code.python, *self.built_on_by, limit=1):
            return None
        names = {e.name for e in own}
        files = sorted({e.source.path for e in own} | {p for p, i in code.python.items()
                                                       if sqlalchemy_collect.KEY in i.facts and not is_sample_path(p)})
        return Found(framework=self.name, evidence=tuple(evidence), files_read=tuple(files), entities=own,
                     relations=tuple(r for r in relations if r.left in names),
                     problems=pyevidence.unparsed(code.paths, code.python, is_application_code),
                     technologies=tuple((self.name, ref) for ref in evidence))


ADAPTERS = (
    SqlAlchemyFamily(name=SQLALCHEMY, modules=("sqlalchemy",), built_on_by=("flask_sqlalchemy", "sqlmodel")),
    SqlAlchemyFamily(name=FLASK_SQLALCHEMY, modules=("flask_sqlalchemy",)),
    SqlAlchemyFamily(name=SQLMODEL, modules=("sqlmodel",)),
)
