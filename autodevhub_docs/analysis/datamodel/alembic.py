# Alembic migrations as the data model of an app that declares no ORM models (it may run on asyncpg and raw SQL):
# the `upgrade()` steps of every revision, in revision order (`down_revision` chain), applied to an empty schema:
# `op.create_table` with `sa.Column`, `sa.ForeignKey`, `sa.PrimaryKeyConstraint`, `sa.ForeignKeyConstraint` and
# `sa.UniqueConstraint`, columns from local helpers (`*timestamps()`), `op.add_column`/`drop_column`,
# `op.create_foreign_key`/`create_primary_key`/`create_unique_constraint`, `op.rename_table`, `op.drop_table`, and
# the same operations on `op.batch_alter_table` contexts. The SQLAlchemy imports of migrations are no evidence that
# the app itself uses SQLAlchemy, so this adapter reports no technology.
from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from autodevhub_docs.analysis import pyevidence, pysymbols
from autodevhub_docs.analysis.adapters import Found, PythonVisitor
from autodevhub_docs.analysis.codebase import Codebase, is_sample_path
from autodevhub_docs.analysis.datamodel import python_relations, sqlalchemy_collect, sqlalchemy_models
from autodevhub_docs.analysis.datamodel.python_relations import Declared
from autodevhub_docs.analysis.pyscan import PyFile, call_name, dotted, keyword, statements
from autodevhub_docs.analysis.pysymbols import NOT_LITERAL, literal, strings
from autodevhub_docs.model import Entity, EntityField, SourceRef

KEY = "alembic"
"""Key of this visitor's facts in `PyFile.facts`."""
ORM = "Alembic migration"
"""The `orm` label of the tables read from migrations."""
_MAX_CALLS = 64


def wants(text: str) -> bool:
    """Cheap test: could this file be an Alembic revision?"""
    return "alembic" in text and "op." in text


@dataclass(frozen=True)
class Op:
    """One schema operation.

    `kind` is create_table, add_column, drop_column, drop_table, rename_table, foreign_key, primary_key or unique.
    """

    kind: str
    table: str
    line: int
    columns: tuple[EntityField, ...] = ()
    lines: tuple[int, ...] = ()
    """Line of each column."""
    names: tuple[str, ...] = ()
    """Column names (drop_column, keys) or the new name (rename_table)."""
    references: tuple[str, ...] = ()
    """`table.column` targets of a foreign key, one per column."""


@dataclass
class Revision:
    """One migration file."""

    revision: str | None
    parents: tuple[str, ...]
    ops: list[Op] = field(default_factory=list)


def _text(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _column(call: ast.Call) -> EntityField | None:
    name = _text(call.args[0]) if call.args else _text(keyword(call, "name"))
    if name is None:
        return None
    kind, references = "?", None
    for arg in call.args[1:]:
        if call_name(arg) == "ForeignKey" and isinstance(arg, ast.Call) and arg.args:
            references = _text(arg.args[0])
        elif isinstance(arg, ast.Call):
            kind = call_name(arg) or kind
        elif (named := dotted(arg)) is not None:
            kind = named.rsplit(".", 1)[-1]
    flags = {k.arg: literal(k.value) for k in call.keywords if k.arg}
    key = "PK" if flags.get("primary_key") is True else ("FK" if references else (
        "UK" if flags.get("unique") is True else None))
    nullable = flags.get("nullable")
    return EntityField(name=name, type=kind, key=key, nullable=nullable if isinstance(nullable, bool) else None,
                       references=references, unique=flags.get("unique") is True)


Columns = list[tuple[EntityField, int]]


def _columns_of(node: ast.expr, returns: dict[str, Columns]) -> Columns:
    if isinstance(node, ast.Starred) and isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name):
        return returns.get(node.value.func.id, [])
    if isinstance(node, ast.Call) and call_name(node) == "Column":
        column = _column(node)
        return [(column, node.lineno)] if column is not None else []
    return []


def _create_table(call: ast.Call, table: str, returns: dict[str, Columns]) -> list[Op]:
    columns: Columns = []
    ops: list[Op] = []
    for arg in call.args[1:]:
        columns.extend(_columns_of(arg, returns))
        name = call_name(arg)
        if not isinstance(arg, ast.Call):
            continue
        values = [literal(a) for a in arg.args]
        if name == "PrimaryKeyConstraint":
            ops.append(Op("primary_key", table, arg.lineno, names=tuple(v for v in values if isinstance(v, str))))
        elif name == "UniqueConstraint":
            ops.append(Op("unique", table, arg.lineno, names=tuple(v for v in values if isinstance(v, str))))
        elif name == "ForeignKeyConstraint" and len(values) >= 2:
            ops.append(Op("foreign_key", table, arg.lineno, names=strings(values[0]), references=strings(values[1])))
    return [Op("create_table", table, call.lineno, columns=tuple(c for c, _ in columns),
               lines=tuple(line for _, line in columns)), *ops]


def _operation(call: ast.Call, attr: str, batch: str | None,  # noqa: PLR0911 - one return per operation
               returns: dict[str, Columns]) -> list[Op]:
    """The operations of one `op.<attr>(...)` call (`batch` is the table of a batch_alter_table context)."""
    args = ([ast.Constant(batch)] if batch is not None else []) + list(call.args)
    values = [literal(a) for a in args]
    first = values[0] if values and isinstance(values[0], str) else None
    if attr == "create_table" and first:
        return _create_table(call, first, returns)
    if attr == "drop_table" and first:
        return [Op("drop_table", first, call.lineno)]
    if attr == "rename_table" and first and len(values) > 1 and isinstance(values[1], str):
        return [Op("rename_table", first, call.lineno, names=(values[1],))]
    if attr == "add_column" and first and len(args) > 1 and isinstance(args[1], ast.Call):
        column = _column(args[1])
        return [Op("add_column", first, call.lineno, columns=(column,), lines=(args[1].lineno,))] if column else []
    if attr == "drop_column" and first and len(values) > 1 and isinstance(values[1], str):
        return [Op("drop_column", first, call.lineno, names=(values[1],))]
    named = values[1:] if batch is None else [values[0], *values[2:]]  # the constraint name comes first
    if attr == "create_foreign_key" and len(named) >= 4 and isinstance(named[0], str) and isinstance(named[1], str):
        remote = strings(named[3])
        return [Op("foreign_key", named[0], call.lineno, names=strings(named[2]),
                   references=tuple(f"{named[1]}.{c}" for c in remote))]
    if attr in {"create_primary_key", "create_unique_constraint"} and len(named) >= 2 and isinstance(named[0], str):
        kind = "primary_key" if attr == "create_primary_key" else "unique"
        return [Op(kind, named[0], call.lineno, names=strings(named[1]))]
    return []


def _steps(body: list[ast.stmt], functions: set[str], returns: dict[str, Columns]) -> list[Op | str]:
    """The operations and local function calls of a function body, in order."""
    steps: list[Op | str] = []
    batches: dict[str, str] = {}
    for stmt in statements(body):
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and call_name(call) == "batch_alter_table" and call.args \
                        and isinstance(item.optional_vars, ast.Name) and (table := _text(call.args[0])):
                    batches[item.optional_vars.id] = table
        if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
            continue
        call = stmt.value
        if isinstance(call.func, ast.Name) and call.func.id in functions:
            steps.append(call.func.id)
        elif isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
            owner = call.func.value.id
            if owner == "op" or owner in batches:
                steps.extend(_operation(call, call.func.attr, batches.get(owner), returns))
    return steps


def visit(info: PyFile, tree: ast.Module, text: str) -> None:
    """Read the revision identifiers and the upgrade steps of one migration."""
    del text
    if not any(name.startswith("alembic") for name, _ in info.imports):
        return
    functions = {s.name: s for s in tree.body if isinstance(s, ast.FunctionDef)}
    returns: dict[str, Columns] = {}
    for name, function in functions.items():
        value = next((s.value for s in function.body if isinstance(s, ast.Return) and s.value is not None), None)
        if isinstance(value, (ast.Tuple, ast.List)):
            returns[name] = [c for e in value.elts for c in _columns_of(e, returns)]
    steps = {name: _steps(f.body, set(functions), returns) for name, f in functions.items()}
    revision: Any = NOT_LITERAL
    parents: Any = None
    for stmt in tree.body:
        pair = (stmt.targets[0], stmt.value) if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else (
            (stmt.target, stmt.value) if isinstance(stmt, ast.AnnAssign) and stmt.value is not None else None)
        if pair and isinstance(pair[0], ast.Name):
            if pair[0].id == "revision":
                revision = literal(pair[1])
            elif pair[0].id == "down_revision":
                parents = literal(pair[1])
    found = Revision(revision=revision if isinstance(revision, str) else None, parents=strings(parents)
                     if parents is not NOT_LITERAL else ())
    pending: list[Op | str] = list(steps.get("upgrade", []))
    calls = 0
    while pending and calls < _MAX_CALLS:  # expand local helpers called from upgrade(), in call order
        step = pending.pop(0)
        if isinstance(step, str):
            calls += 1
            pending[:0] = steps.get(step, [])
        else:
            found.ops.append(step)
    if found.ops:
        info.facts[KEY] = found


VISITOR = (wants, visit)


def _ordered(revisions: dict[str, Revision]) -> list[str]:
    """Paths in revision order: parents before children, ties by path."""
    by_id = {r.revision: p for p, r in revisions.items() if r.revision}
    done: list[str] = []
    placed: set[str] = set()
    remaining = sorted(revisions)
    while remaining:
        ready = [p for p in remaining if all(by_id.get(parent) in placed or parent not in by_id
                                             for parent in revisions[p].parents)]
        ready = ready or remaining[:1]  # a cycle in stranger's files: go on in path order
        for path in ready:
            done.append(path)
            placed.add(path)
        remaining = [p for p in remaining if p not in placed]
    return done


def schema(code: Codebase) -> tuple[list[Entity], list[Declared]]:
    """The tables the migrations leave, with the lines of their columns."""
    revisions = {p: i.facts[KEY] for p, i in code.python.items() if KEY in i.facts and not is_sample_path(p)}
    tables: dict[str, tuple[SourceRef, dict[str, EntityField], dict[str, int]]] = {}
    for path in _ordered(revisions):
        for op in revisions[path].ops:
            _apply(tables, op, path)
    entities = [Entity(name=name, table=name, orm=ORM, source=source, fields=tuple(columns.values()))
                for name, (source, columns, _) in tables.items()]
    declared = [Declared(entity=name, path=source.path, field_lines=lines)
                for name, (source, _, lines) in tables.items()]
    return entities, declared


def _apply(tables: dict[str, tuple[SourceRef, dict[str, EntityField], dict[str, int]]], op: Op, path: str) -> None:
    if op.kind == "create_table":
        tables[op.table] = (SourceRef(path=path, line=op.line), {c.name: c for c in op.columns},
                            {c.name: line for c, line in zip(op.columns, op.lines, strict=False)})
        return
    if op.table not in tables:
        return
    source, columns, lines = tables[op.table]
    if op.kind == "drop_table":
        del tables[op.table]
    elif op.kind == "rename_table":
        tables[op.names[0]] = tables.pop(op.table)
    elif op.kind == "add_column":
        columns.update({c.name: c for c in op.columns})
        lines.update({c.name: line for c, line in zip(op.columns, op.lines, strict=False)}
                     if path == source.path else {})
    elif op.kind == "drop_column":
        columns.pop(op.names[0], None)
    elif op.kind == "foreign_key":
        for name, target in zip(op.names, op.references, strict=False):
            if name in columns:
                key = columns[name].key if columns[name].key == "PK" else "FK"
                columns[name] = replace(columns[name], key=key, references=target)
    else:
        for name in op.names:
            if name in columns:
                key = "PK" if op.kind == "primary_key" else (columns[name].key or "UK")
                unique = columns[name].unique or (op.kind == "unique" and len(op.names) == 1)
                columns[name] = replace(columns[name], key=key, unique=unique)


class AlembicMigrations:
    """Alembic revisions, the schema source of apps without ORM models."""

    name = "Alembic"

    @staticmethod
    def visitors() -> Sequence[PythonVisitor]:
        """Revision steps; SQLAlchemy-family model declarations (to know whether an ORM declares the schema)."""
        return (VISITOR, sqlalchemy_collect.VISITOR, pysymbols.VISITOR)

    def run(self, code: Codebase) -> Found | None:
        """The tables of the migrations, or None when Alembic is absent or ORM models declare the schema."""
        dependency = code.dependency("pypi", ("alembic",), scopes=("runtime", "dev", "optional"))
        config = [SourceRef(path=p) for p in code.paths if p.rsplit("/", 1)[-1] == "alembic.ini"
                  and not is_sample_path(p)]
        files = sorted(p for p, i in code.python.items() if KEY in i.facts and not is_sample_path(p))
        evidence = ([code.ref(dependency)] if dependency else []) + config + [SourceRef(path=p) for p in files[:2]]
        if not evidence or sqlalchemy_models.model(code)[0]:
            return None
        entities, declared = schema(code)
        relations = python_relations.relations(entities, declared, lambda rel, path: rel.secondary)
        return Found(framework=self.name, evidence=tuple(evidence), files_read=tuple(files),
                     entities=tuple(entities), relations=tuple(relations),
                     problems=pyevidence.unparsed(code.paths, code.python, lambda p: "/versions/" in f"/{p}"))


ADAPTERS = (AlembicMigrations(),)
