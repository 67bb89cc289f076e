# What one Python file declares for SQLAlchemy, Flask-SQLAlchemy and SQLModel: model classes with their columns
# (`Column`, `db.Column`, `mapped_column`, `Mapped[...]`, SQLModel fields), `relationship()` declarations, Core
# `Table()` objects, and column helper functions (`def reference_col(...): return Column(ForeignKey(...))`), whose
# calls are kept to be evaluated once the helper is found. Which classes are entities is decided across files.
from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from autodevhub_docs.analysis.pyscan import PyFile, call_name, dotted, keyword
from autodevhub_docs.analysis.pysymbols import top_level
from autodevhub_docs.model import EntityField

KEY = "sqlalchemy"
"""Key of this visitor's facts in `PyFile.facts`."""
_MARKERS = ("Column", "mapped_column", "SQLModel", "__tablename__", "relationship", "Relationship",
            "declarative_base", "DeclarativeBase", "db.Model", "Table(")
_COLLECTIONS = {"list", "List", "set", "Set", "Sequence", "tuple", "Tuple", "Collection", "DynamicMapped",
                "WriteOnlyMapped"}
SCALARS = frozenset({"str", "int", "float", "bool", "bytes", "Decimal", "UUID", "Any", "datetime", "date", "time",
                     "dict", "Dict", "None", "JSON", "Enum", "timedelta"})
COLUMN_CALLS = frozenset({"Column", "mapped_column"})
RELATIONSHIP_CALLS = frozenset({"relationship", "Relationship", "relation"})


def wants(text: str) -> bool:
    """Cheap test: could this file declare SQLAlchemy-family models or tables?"""
    return any(marker in text for marker in _MARKERS)


@dataclass(frozen=True)
class Annotation:
    """What an attribute annotation says."""

    type: str = ""
    nullable: bool = False
    collection: bool = False
    related: str | None = None
    """The class it names, when it may be a relationship target."""
    mapped: bool = False
    """Whether it is `Mapped[...]` (a mapped attribute in SQLAlchemy 2.0)."""


@dataclass(frozen=True)
class Rel:
    """A `relationship()` declaration."""

    attr: str
    target: str
    """Target class name (last part)."""
    line: int
    collection: bool | None
    """True/False when the annotation, `uselist` or `lazy="dynamic"` says; None when the foreign keys decide."""
    secondary: str | None = None
    """Association table, as written: a table name, or `@variable` for a `Table()` object or link model."""
    back_populates: str | None = None
    backref: str | None = None
    backref_scalar: bool = False
    """`backref(name, uselist=False)`: the other end holds one object."""
    foreign_keys: tuple[str, ...] = ()
    """Columns named by `foreign_keys=` (last part)."""
    remote_side: bool = False
    """`remote_side=` is given: on a self-referential relationship, this end is the many-to-one end."""


@dataclass
class Member:
    """A class attribute that may be a column."""

    name: str
    line: int
    annotation: Annotation
    call: ast.Call | None = None
    """Its value when it is a call (`Column(...)`, `Field(...)`, `reference_col("users")`)."""


@dataclass
class ModelClass:
    """A class of a file that declares columns, relationships or a table name."""

    name: str
    line: int
    keywords: dict[str, object]
    tablename: str | None = None
    tablename_declared: bool = False
    """`__tablename__` comes from a `@declared_attr` function."""
    abstract: bool = False
    members: list[Member] = field(default_factory=list)
    rels: list[Rel] = field(default_factory=list)


@dataclass
class CoreTable:
    """A Core `Table("name", metadata, Column(...), ...)` object."""

    variable: str
    name: str
    line: int
    columns: list[tuple[ast.Call, int]]
    """Its `Column("name", ...)` calls with their line."""
    constructor: str
    """The called name as written (`Table`, `db.Table`, `sa.Table`)."""


@dataclass(frozen=True)
class Helper:
    """A function that returns a column."""

    params: tuple[str, ...]
    defaults: dict[str, ast.expr]
    kwargs: str | None
    """Name of its `**kwargs` parameter."""
    returned: ast.Call


@dataclass
class OrmFile:
    """What one file declares."""

    models: dict[str, ModelClass] = field(default_factory=dict)
    tables: dict[str, CoreTable] = field(default_factory=dict)
    helpers: dict[str, Helper] = field(default_factory=dict)


def annotation(node: ast.expr | None) -> Annotation:  # noqa: PLR0911 - one return per annotation form
    """Read an annotation: `Mapped[int | None]`, `Optional[str]`, `list["Hero"]`, `"Team"`."""
    if node is None:
        return Annotation()
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return annotation(ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return Annotation(type=node.value, related=node.value)
    if isinstance(node, ast.Subscript):
        outer = (dotted(node.value) or "").rsplit(".", 1)[-1]
        inner = node.slice
        if outer == "Mapped":
            found = annotation(inner)
            return Annotation(found.type, found.nullable, found.collection, found.related, mapped=True)
        if outer == "Optional":
            found = annotation(inner)
            return Annotation(found.type, True, found.collection, found.related)
        if outer in _COLLECTIONS:
            first = inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner
            found = annotation(first)
            return Annotation(found.type, False, True, found.related, mapped=outer.endswith("Mapped"))
        return Annotation(type=outer)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = annotation(node.left), annotation(node.right)
        if right.type == "None":
            return Annotation(left.type, True, left.collection, left.related)
        if left.type == "None":
            return Annotation(right.type, True, right.collection, right.related)
        return left
    if isinstance(node, ast.Constant) and node.value is None:
        return Annotation(type="None", nullable=True)
    name = (dotted(node) or ast.unparse(node)).rsplit(".", 1)[-1]
    return Annotation(type=name, related=name)


def _str(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _names(node: ast.expr | None) -> tuple[str, ...]:
    items = node.elts if isinstance(node, (ast.List, ast.Tuple, ast.Set)) else [node] if node is not None else []
    found: list[str] = []
    for item in items:
        text = _str(item) or dotted(item)
        if text:
            found.extend(part.strip().rsplit(".", 1)[-1] for part in text.strip("[]").split(","))
    return tuple(f for f in found if f)


def _rel(attr: str, call: ast.Call, note: Annotation, line: int) -> Rel:
    first = call.args[0] if call.args else keyword(call, "argument")
    if isinstance(first, ast.Lambda):
        first = first.body
    target = (_str(first) or (dotted(first) if first is not None else None) or note.related or "").rsplit(".", 1)[-1]
    uselist = keyword(call, "uselist")
    lazy = _str(keyword(call, "lazy"))
    collection: bool | None = True if note.collection or lazy == "dynamic" else (
        False if note.related and note.mapped else None)
    if isinstance(uselist, ast.Constant) and isinstance(uselist.value, bool):
        collection = uselist.value
    secondary = keyword(call, "secondary") or keyword(call, "link_model")
    through = _str(secondary) or ("@" + name if secondary is not None and (name := dotted(secondary)) else None)
    backref_node = keyword(call, "backref")
    backref, scalar = _str(backref_node), False
    if isinstance(backref_node, ast.Call) and backref_node.args:
        backref = _str(backref_node.args[0])
        flag = keyword(backref_node, "uselist")
        scalar = isinstance(flag, ast.Constant) and flag.value is False
    return Rel(attr=attr, target=target, line=line, collection=collection, secondary=through,
               back_populates=_str(keyword(call, "back_populates")), backref=backref, backref_scalar=scalar,
               foreign_keys=_names(keyword(call, "foreign_keys")), remote_side=keyword(call, "remote_side") is not None)


def _model(node: ast.ClassDef) -> ModelClass:
    model = ModelClass(name=node.name, line=node.lineno,
                       keywords={k.arg: getattr(k.value, "value", None) for k in node.keywords if k.arg})
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == "__tablename__":
            model.tablename_declared = True
            continue
        target, note, value = None, Annotation(), None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            target, value = stmt.targets[0].id, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            target, note, value = stmt.target.id, annotation(stmt.annotation), stmt.value
        if target is None or note.type == "ClassVar":
            continue
        if target == "__tablename__":
            model.tablename = _str(value)
        elif target == "__abstract__":
            model.abstract = isinstance(value, ast.Constant) and value.value is True
        elif not target.startswith("__"):
            call = value if isinstance(value, ast.Call) else None
            if call is not None and call_name(call) in RELATIONSHIP_CALLS:
                model.rels.append(_rel(target, call, note, stmt.lineno))
            elif call is not None or (isinstance(stmt, ast.AnnAssign) and (value is None or isinstance(
                    value, ast.Constant))):
                model.members.append(Member(name=target, line=stmt.lineno, annotation=note, call=call))
    return model


def _helper(node: ast.FunctionDef) -> Helper | None:
    returned = next((s.value for s in node.body if isinstance(s, ast.Return) and s.value is not None), None)
    if not isinstance(returned, ast.Call) or call_name(returned) not in COLUMN_CALLS:
        return None
    args = node.args
    params = tuple(a.arg for a in args.posonlyargs + args.args + args.kwonlyargs)
    positional = args.posonlyargs + args.args
    defaults = {a.arg: d for a, d in zip(positional[len(positional) - len(args.defaults):], args.defaults,
                                         strict=True)}
    defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None})
    return Helper(params=params, defaults=defaults, kwargs=args.kwarg.arg if args.kwarg else None, returned=returned)


def visit(info: PyFile, tree: ast.Module, text: str) -> None:
    """Collect the model classes, Core tables and column helpers of one file."""
    del text
    found = OrmFile()
    for stmt in top_level(tree.body):
        if isinstance(stmt, ast.ClassDef):
            model = _model(stmt)
            if model.members or model.rels or model.tablename or model.abstract or model.tablename_declared:
                found.models[stmt.name] = model
        elif isinstance(stmt, ast.FunctionDef) and (helper := _helper(stmt)) is not None:
            found.helpers[stmt.name] = helper
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                and isinstance(stmt.value, ast.Call) and call_name(stmt.value) == "Table":
            table = _table(stmt.targets[0].id, stmt.value)
            if table is not None:
                found.tables[table.variable] = table
    if found.models or found.tables or found.helpers:
        info.facts[KEY] = found


VISITOR = (wants, visit)


def _table(variable: str, call: ast.Call) -> CoreTable | None:
    name = _str(call.args[0]) if call.args else None
    columns = [(arg, arg.lineno) for arg in call.args[1:] if isinstance(arg, ast.Call) and call_name(arg) == "Column"
               and arg.args and _str(arg.args[0])]
    if not name or not columns:
        return None
    return CoreTable(variable=variable, name=name, line=call.lineno, columns=columns,
                     constructor=dotted(call.func) or "Table")


def column(name: str, note: Annotation, call: ast.Call, *,
           evaluate: Callable[[ast.expr], str | None] | None = None) -> EntityField:
    """The field a `Column(...)`, `mapped_column(...)` or SQLModel `Field(...)` call declares.

    Args:
        name: Attribute name.
        note: The attribute's annotation (gives the type of `mapped_column()` and SQLModel fields).
        call: The call.
        evaluate: Turns a string expression into its value (used for helper bodies); literal strings only if None.
    """
    def text(node: ast.expr | None) -> str | None:
        if node is None:
            return None
        return evaluate(node) if evaluate is not None else _str(node)

    kind, key, references = note.type, None, None
    for arg in call.args:
        if call_name(arg) == "ForeignKey" and isinstance(arg, ast.Call) and arg.args:
            references = text(arg.args[0]) or dotted(arg.args[0])
            key = "FK"
        elif isinstance(arg, ast.Call) and call_name(arg) not in {"Sequence", "Identity", "Computed"}:
            kind = call_name(arg) or kind
        elif (named := dotted(arg)) is not None:
            kind = named.rsplit(".", 1)[-1]
    foreign = text(keyword(call, "foreign_key"))
    if foreign:
        references, key = foreign, "FK"
    primary = keyword(call, "primary_key")
    unique = keyword(call, "unique")
    if isinstance(primary, ast.Constant) and primary.value is True:
        key = "PK"
    elif isinstance(unique, ast.Constant) and unique.value is True and key is None:
        key = "UK"
    null_kw = keyword(call, "nullable")
    nullable = null_kw.value if isinstance(null_kw, ast.Constant) and isinstance(null_kw.value, bool) else (
        True if note.nullable else None)
    if not kind and references:
        kind = "ForeignKey"  # the type is the referenced column's
    return EntityField(name=name, type=kind or "?", key=key, nullable=nullable, references=references,
                       unique=isinstance(unique, ast.Constant) and unique.value is True)
