# The data model: SQLAlchemy (declarative and 2.0 Mapped style), SQLModel (table=True), Django models and SQL DDL,
# plus migration folders. Relations come from foreign keys first; an ORM
# `relationship()` adds a relation only when no foreign key already describes that pair.
from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from autodevhub_docs.analysis.pyscan import PyFile, call_name, dotted, keyword, statements
from autodevhub_docs.model import Entity, EntityField, MigrationSet, Relation, SourceRef

_MARKERS = ("Column", "mapped_column", "SQLModel", "models.Model", "__tablename__", "relationship", "Relationship",
            "declarative_base", "DeclarativeBase", "db.Model", "Model)")
_DECL_BASES = {"DeclarativeBase", "DeclarativeBaseNoMeta"}
_COLLECTIONS = {"list", "List", "set", "Set", "Sequence", "tuple", "Tuple", "Collection"}


def wants(text: str) -> bool:
    """Cheap test: could this file declare ORM models?"""
    return any(marker in text for marker in _MARKERS)


@dataclass
class _Rel:
    attr: str
    target: str
    collection: bool
    secondary: bool
    line: int


@dataclass
class _Class:
    path: str
    name: str
    line: int
    bases: list[str]
    table_kw: bool
    tablename: str | None = None
    abstract: bool = False
    fields: list[EntityField] = field(default_factory=list)
    field_lines: dict[str, int] = field(default_factory=dict)
    rels: list[_Rel] = field(default_factory=list)
    django_targets: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (target class, kind)


def _annotation(node: ast.expr | None) -> tuple[str, bool, bool, str | None]:  # noqa: PLR0911 - one per form
    """(type name, nullable, collection, related class name) of an annotation."""
    if node is None:
        return "", False, False, None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return _annotation(ast.parse(node.value, mode="eval").body)
        except SyntaxError:
            return node.value, False, False, node.value
    if isinstance(node, ast.Subscript):
        outer = (dotted(node.value) or "").rsplit(".", 1)[-1]
        inner = node.slice
        if outer == "Mapped":
            return _annotation(inner)
        if outer == "Optional":
            kind, _, coll, rel = _annotation(inner)
            return kind, True, coll, rel
        if outer in _COLLECTIONS:
            kind, _, _, rel = _annotation(inner.elts[0] if isinstance(inner, ast.Tuple) and inner.elts else inner)
            return kind, False, True, rel
        return outer, False, False, None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _annotation(node.left), _annotation(node.right)
        if right[0] == "None":
            return left[0], True, left[2], left[3]
        if left[0] == "None":
            return right[0], True, right[2], right[3]
        return left
    if isinstance(node, ast.Constant) and node.value is None:
        return "None", True, False, None
    name = (dotted(node) or ast.unparse(node)).rsplit(".", 1)[-1]
    return name, False, False, name


def _type_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Call):
        return call_name(node) or None
    name = dotted(node)
    return name.rsplit(".", 1)[-1] if name else None


def _true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _str(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


class PythonModels:
    """Visitor for `pyscan.scan` collecting model classes, then deciding which are entities."""

    def __init__(self) -> None:
        self.classes: list[_Class] = []
        self.declarative: set[str] = set(_DECL_BASES)

    def visit(self, info: PyFile, tree: ast.Module, text: str) -> None:
        """Collect the classes of one file that could be models."""
        del text
        for node in statements(tree.body):
            if isinstance(node, ast.Assign) and call_name(node.value) in {"declarative_base", "generate_base"}:
                self.declarative.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.ClassDef):
                self.classes.append(self._class(info.path, node))
            elif isinstance(node, ast.Assign) and call_name(node.value) == "Table" and isinstance(node.value, ast.Call):
                table = _core_table(info.path, node.value)
                if table is not None:
                    self.classes.append(table)

    def _class(self, path: str, node: ast.ClassDef) -> _Class:
        bases = [dotted(b) or "" for b in node.bases]
        record = _Class(path=path, name=node.name, line=node.lineno, bases=bases,
                        table_kw=_true(next((k.value for k in node.keywords if k.arg == "table"), None)))
        for stmt in node.body:
            if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
                for item in stmt.body:
                    if isinstance(item, ast.Assign) and isinstance(item.targets[0], ast.Name):
                        if item.targets[0].id == "db_table" and _str(item.value):
                            record.tablename = _str(item.value)
                        if item.targets[0].id == "abstract" and _true(item.value):
                            record.abstract = True
                continue
            target, annotation, value = None, None, None
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                target, value = stmt.targets[0].id, stmt.value
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                target, annotation, value = stmt.target.id, stmt.annotation, stmt.value
            if target is None:
                continue
            if target == "__tablename__":
                record.tablename = _str(value)
            elif target == "__abstract__":
                record.abstract = _true(value)
            elif not target.startswith("__"):
                self._member(record, target, annotation, value, stmt.lineno)
        return record

    @staticmethod
    def _member(record: _Class, name: str, annotation: ast.expr | None, value: ast.expr | None, line: int) -> None:
        kind, nullable, collection, related = _annotation(annotation)
        if kind == "ClassVar":
            return
        call = value if isinstance(value, ast.Call) else None
        func = call_name(call) if call is not None else ""
        if call is not None and func in {"relationship", "Relationship", "relation"}:
            target = _str(call.args[0]) if call.args else None
            target = target or (dotted(call.args[0]) if call.args else None) or related or ""
            uselist = keyword(call, "uselist")
            is_coll = collection or (isinstance(uselist, ast.Constant) and uselist.value is True)
            if isinstance(uselist, ast.Constant) and uselist.value is False:
                is_coll = False
            secondary = keyword(call, "secondary") is not None or keyword(call, "link_model") is not None
            record.rels.append(_Rel(name, target.rsplit(".", 1)[-1], is_coll, secondary, line))
            return
        if call is not None and func in {"Column", "mapped_column", "Field"}:
            record.fields.append(_column(name, kind, nullable, call))
            record.field_lines[name] = line
            return
        if call is not None and (func.endswith("Field") or func in {"ForeignKey", "OneToOneField", "ManyToManyField"}) \
                and isinstance(call.func, ast.Attribute):
            _django_field(record, name, func, call)
            record.field_lines[name] = line
            return
        if (annotation is not None and value is None) or (annotation is not None and isinstance(value, ast.Constant)):
            if collection or (related and related[:1].isupper() and related not in _SCALARS):
                return  # a relationship-like annotation without a column (SQLModel back-references, mixins)
            record.fields.append(EntityField(name=name, type=kind or "?", nullable=nullable or None))
            record.field_lines[name] = line

    def entities(self) -> tuple[list[Entity], list[Relation]]:  # noqa: PLR0912 - fields, then FKs, then relationships
        """Decide which classes are entities and build their fields and relations."""
        by_name: dict[str, list[_Class]] = {}
        for cls in self.classes:
            by_name.setdefault(cls.name, []).append(cls)
        django_bases = {"models.Model", "Model"}
        kinds: dict[int, str] = {}
        changed = True
        while changed:  # entities and abstract parents propagate through inheritance
            changed = False
            for cls in self.classes:
                if id(cls) in kinds:
                    continue
                kind = self._kind(cls, kinds, by_name, django_bases)
                if kind:
                    kinds[id(cls)] = kind
                    changed = True
        entities: list[Entity] = []
        tables: dict[str, str] = {}
        chosen: list[tuple[_Class, str, list[EntityField]]] = []
        for cls in self.classes:
            kind = kinds.get(id(cls), "")
            if not kind or kind.endswith(":base") or cls.abstract:
                continue
            fields = self._inherited(cls, by_name, 0) + cls.fields
            if kind == "Django ORM" and not any(f.key == "PK" for f in fields):
                fields = [EntityField(name="id", type="AutoField", key="PK"), *fields]
            table = cls.tablename or _default_table(cls, kind)
            tables[table] = cls.name
            chosen.append((cls, kind, fields))
        names = {cls.name for cls, _, _ in chosen}
        relations: list[Relation] = []
        for cls, kind, fields in chosen:
            entities.append(Entity(name=cls.name, table=cls.tablename or _default_table(cls, kind), orm=kind,
                                   source=SourceRef(path=cls.path, line=cls.line), fields=tuple(fields)))
            for f in fields:
                if f.key in {"FK", "UK"} and f.references:
                    target = tables.get(f.references.split(".", 1)[0]) or (
                        f.references if f.references in names else None)
                    if target:
                        unique = f.unique or f.type == "OneToOneField"
                        relations.append(Relation(left=cls.name, right=target,
                                                  cardinality="one-to-one" if unique else "many-to-one", label=f.name,
                                                  source=SourceRef(path=cls.path, line=cls.field_lines.get(f.name))))
            for name, (raw_target, rel_kind) in cls.django_targets.items():
                target = cls.name if raw_target == "self" else raw_target.rsplit(".", 1)[-1]
                if rel_kind == "many-to-many" and target in names:
                    relations.append(Relation(left=cls.name, right=target, cardinality="many-to-many", label=name,
                                              source=SourceRef(path=cls.path, line=cls.field_lines.get(name))))
        for cls, _, _ in chosen:
            for rel in cls.rels:
                if rel.target not in names:
                    continue
                pair = {cls.name, rel.target}
                if any({r.left, r.right} == pair for r in relations):
                    continue
                cardinality = "many-to-many" if rel.secondary else ("one-to-many" if rel.collection else "many-to-one")
                relations.append(Relation(left=cls.name, right=rel.target, cardinality=cardinality, label=rel.attr,
                                          source=SourceRef(path=cls.path, line=rel.line)))
        return entities, relations

    def _kind(self, cls: _Class, kinds: dict[int, str], by_name: dict[str, list[_Class]],  # noqa: PLR0911
              django_bases: set[str]) -> str:
        parents = [kinds.get(id(p), "") for b in cls.bases for p in by_name.get(b.rsplit(".", 1)[-1], [])
                   if p is not cls]
        if cls.bases == ["<Table>"]:
            return "SQLAlchemy"
        if any(b in django_bases and (b == "models.Model" or "models" in cls.path) for b in cls.bases):
            return "Django ORM"
        if any(p.startswith("Django ORM") for p in parents):
            return "Django ORM"
        if "SQLModel" in [b.rsplit(".", 1)[-1] for b in cls.bases] or any(p.startswith("SQLModel") for p in parents):
            return "SQLModel" if cls.table_kw else "SQLModel:base"
        if any(b.rsplit(".", 1)[-1] in _DECL_BASES for b in cls.bases) and not cls.fields:
            return "SQLAlchemy:base"
        declarative = any(b in self.declarative or b.rsplit(".", 1)[-1] in self.declarative or b.endswith("db.Model")
                          for b in cls.bases)
        if declarative or any(p.startswith("SQLAlchemy") for p in parents) or cls.tablename:
            if cls.fields or cls.tablename or cls.rels:
                return "SQLAlchemy"
            return "SQLAlchemy:base"
        return ""

    def _inherited(self, cls: _Class, by_name: dict[str, list[_Class]], depth: int) -> list[EntityField]:
        if depth > 5:
            return []
        inherited: list[EntityField] = []
        own = {f.name for f in cls.fields}
        for base in cls.bases:
            for parent in by_name.get(base.rsplit(".", 1)[-1], []):
                if parent is cls:
                    continue
                for f in self._inherited(parent, by_name, depth + 1) + parent.fields:
                    if f.name not in own and f.name not in {g.name for g in inherited}:
                        inherited.append(f)
        return inherited


_SCALARS = {"str", "int", "float", "bool", "bytes", "Decimal", "UUID", "Any", "datetime", "date", "time", "dict",
            "Dict", "None", "JSON", "Enum"}


def _core_table(path: str, call: ast.Call) -> _Class | None:
    """A SQLAlchemy Core `Table("name", metadata, Column("col", Type, ...), ...)`, as a pseudo-class."""
    name = _str(call.args[0]) if call.args else None
    if not name:
        return None
    record = _Class(path=path, name=name, line=call.lineno, bases=["<Table>"], table_kw=False, tablename=name)
    for arg in call.args[1:]:
        if call_name(arg) == "Column" and isinstance(arg, ast.Call) and arg.args and _str(arg.args[0]):
            column = _column(str(_str(arg.args[0])), "", nullable=False, call=arg)
            if column.type == "?" and column.key == "FK":
                column = EntityField(name=column.name, type="ForeignKey", key="FK", nullable=column.nullable,
                                     references=column.references, unique=column.unique)
            record.fields.append(column)
            record.field_lines[column.name] = arg.lineno
    return record


def _column(name: str, annotated: str, nullable: bool, call: ast.Call) -> EntityField:
    kind, key, references = annotated or "", None, None
    for arg in call.args:
        if call_name(arg) == "ForeignKey" and isinstance(arg, ast.Call) and arg.args:
            references = _str(arg.args[0]) or dotted(arg.args[0])
            key = "FK"
        elif not _str(arg):
            kind = _type_of(arg) or kind
    foreign = _str(keyword(call, "foreign_key"))
    if foreign:
        references, key = foreign, "FK"
    if _true(keyword(call, "primary_key")):
        key = "PK"
    elif _true(keyword(call, "unique")) and key is None:
        key = "UK"
    null_kw = keyword(call, "nullable")
    null = null_kw.value if isinstance(null_kw, ast.Constant) and isinstance(null_kw.value, bool) else (
        True if nullable else None)
    return EntityField(name=name, type=kind or "?", key=key, nullable=null, references=references,
                       unique=_true(keyword(call, "unique")))


def _django_field(record: _Class, name: str, func: str, call: ast.Call) -> None:
    key = "PK" if _true(keyword(call, "primary_key")) else ("UK" if _true(keyword(call, "unique")) else None)
    null = keyword(call, "null")
    nullable = null.value if isinstance(null, ast.Constant) and isinstance(null.value, bool) else None
    if func in {"ForeignKey", "OneToOneField", "ManyToManyField"}:
        target = (call.args and (_str(call.args[0]) or dotted(call.args[0]))) or _str(keyword(call, "to")) or ""
        target = str(target)
        if func == "ManyToManyField":
            record.django_targets[name] = (target, "many-to-many")
            return
        record.fields.append(EntityField(name=name, type=func, key="FK", unique=func == "OneToOneField",
                                         nullable=nullable, references=target.rsplit(".", 1)[-1] if target != "self"
                                         else record.name))
        return
    record.fields.append(EntityField(name=name, type=func, key=key, nullable=nullable, unique=key == "UK"))


def _default_table(cls: _Class, kind: str) -> str:
    if kind == "Django ORM":
        parts = PurePosixPath(cls.path).parts
        app = parts[-2] if parts[-1] == "models.py" and len(parts) > 1 else (parts[-3] if len(parts) > 2 else "app")
        return f"{app}_{cls.name.lower()}"
    if kind == "SQLModel":
        return cls.name.lower()
    return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.name).lower()


def line_starts(text: str) -> list[int]:
    """Offsets where each line starts."""
    return [0] + [m.end() for m in re.finditer("\n", text)]


def line_at(starts: list[int], offset: int) -> int:
    """1-based line of a character offset, given the offsets where lines start."""
    return bisect.bisect_right(starts, offset)


# ---- SQL DDL ------------------------------------------------------------------------------------------------------
_CREATE = re.compile(r"create\s+table\s+(?:if\s+not\s+exists\s+)?([`\"\[]?[\w.]+[`\"\]]?)\s*\(", re.I)
_REFERENCES = re.compile(r"references\s+([`\"\[]?[\w.]+[`\"\]]?)\s*(?:\(\s*([`\"\w]+)\s*\))?", re.I)


def _unquote(name: str) -> str:
    return name.strip("`\"[]").rsplit(".", 1)[-1]


def _split_top(body: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in body:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _target(ref: re.Match[str]) -> str:
    return f"{_unquote(ref.group(1))}.{_unquote(ref.group(2) or 'id')}"


def sql_ddl(path: str, text: str) -> tuple[list[Entity], list[Relation]]:
    """Parse CREATE TABLE statements."""
    starts = line_starts(text)
    entities, relations = [], []
    for m in _CREATE.finditer(text):
        depth, end = 1, m.end()
        while end < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        table = _unquote(m.group(1))
        line = line_at(starts, m.start())
        columns: dict[str, EntityField] = {}
        for part in _split_top(text[m.end(): end - 1]):
            words = part.split()
            head = words[0].lower()
            if head in {"primary", "foreign", "unique", "constraint", "check", "index", "key"}:
                cols = re.search(r"\(([^)]*)\)", part)
                names = [_unquote(c.strip()) for c in cols.group(1).split(",")] if cols else []
                ref = _REFERENCES.search(part)
                for col in names:
                    if col in columns:
                        old = columns[col]
                        if "primary" in part.lower().split("(")[0]:
                            columns[col] = EntityField(name=col, type=old.type, key="PK", nullable=old.nullable)
                        elif ref and "foreign" in part.lower():
                            columns[col] = EntityField(name=col, type=old.type, key="FK", nullable=old.nullable,
                                                       references=_target(ref))
                continue
            name = _unquote(words[0])
            kind = re.sub(r"\s+", "", words[1]) if len(words) > 1 else "?"
            lowered = part.lower()
            ref = _REFERENCES.search(part)
            key = "PK" if "primary key" in lowered else ("FK" if ref else ("UK" if " unique" in lowered else None))
            columns[name] = EntityField(name=name, type=kind, key=key,
                                        nullable=False if "not null" in lowered else None,
                                        unique=" unique" in lowered,
                                        references=_target(ref) if ref else None)
        entities.append(Entity(name=table, table=table, orm="SQL", source=SourceRef(path=path, line=line),
                               fields=tuple(columns.values())))
        for column in columns.values():
            if column.references:
                relations.append(Relation(left=table, right=column.references.split(".", 1)[0],
                                          cardinality="many-to-one", label=column.name,
                                          source=SourceRef(path=path, line=line)))
    return entities, relations


def other_models(paths: list[str], read_text: Callable[[str], str | None]) -> tuple[list[Entity], list[Relation]]:
    """Entities from SQL schema files (Prisma, TypeORM and the other JS/TS ORMs are adapters in `datamodel/`)."""
    entities: list[Entity] = []
    relations: list[Relation] = []
    for path in paths:
        if not path.endswith(".sql") or "/migrations/" in f"/{path}":
            continue
        text = read_text(path)
        if not text:
            continue
        found, rels = sql_ddl(path, text)
        known = {e.name for e in entities}
        entities.extend(e for e in found if e.name not in known)
        relations.extend(rels)
    names = {e.name for e in entities}
    return entities, [r for r in relations if r.left in names and r.right in names]


def migrations(paths: list[str]) -> list[MigrationSet]:
    """Folders of schema migrations and the number of migration files in each."""
    path_set = set(paths)
    counts: dict[tuple[str, str], int] = {}
    for path in paths:
        if not path.endswith((".py", ".sql")):
            continue
        pure = PurePosixPath(path)
        folder = str(pure.parent)
        if pure.parent.name == "versions" and pure.suffix == ".py" and (
                str(pure.parent.parent / "env.py") in path_set
                or str(pure.parent.parent / "script.py.mako") in path_set):
            counts[("Alembic", folder)] = counts.get(("Alembic", folder), 0) + 1
        elif pure.parent.name == "migrations" and pure.suffix == ".py" and re.match(r"\d{4}_", pure.name):
            counts[("Django", folder)] = counts.get(("Django", folder), 0) + 1
        elif pure.name == "migration.sql" and pure.parent.parent.name == "migrations":
            key = ("Prisma", str(pure.parent.parent))
            counts[key] = counts.get(key, 0) + 1
        elif pure.suffix == ".sql" and "migrations" in pure.parts[:-1]:
            counts[("SQL", folder)] = counts.get(("SQL", folder), 0) + 1
    return [MigrationSet(tool=tool, path=folder, count=n) for (tool, folder), n in sorted(counts.items(),
                                                                                           key=lambda kv: kv[0][1])]
