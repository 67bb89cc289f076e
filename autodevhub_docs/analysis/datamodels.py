# The data model of the non-Python sources still read here: Prisma schemas and TypeORM entities, plus migration
# folders. SQL DDL is `datamodel/sql_ddl`; Python ORMs (SQLAlchemy, Flask-SQLAlchemy, SQLModel, Django, Alembic
# migrations) are adapters under `datamodel/`.
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

from autodevhub_docs.analysis.javascript import line_at, line_starts
from autodevhub_docs.model import Entity, EntityField, MigrationSet, Relation, SourceRef

# ---- Prisma -------------------------------------------------------------------------------------------------------
_PRISMA_MODEL = re.compile(r"^model\s+(\w+)\s*\{(.*?)^\}", re.M | re.S)
_PRISMA_FIELD = re.compile(r"^\s*(\w+)\s+(\w+)(\[\])?(\?)?(.*)$")


def prisma(path: str, text: str) -> tuple[list[Entity], list[Relation]]:
    """Parse the models of a Prisma schema."""
    starts = line_starts(text)
    models = {m.group(1): m for m in _PRISMA_MODEL.finditer(text)}
    entities, relations = [], []
    back: dict[str, dict[str, bool]] = {}
    pending = []
    for name, m in models.items():
        fields: list[EntityField] = []
        table = name
        fk_cols: dict[str, str] = {}
        body_start = m.start(2)
        for offset, raw in _lines_with_offsets(m.group(2), body_start):
            code = raw.split("//", 1)[0]
            if code.strip().startswith("@@map"):
                mapped = re.search(r"\"([^\"]+)\"", code)
                table = mapped.group(1) if mapped else table
                continue
            fm = _PRISMA_FIELD.match(code)
            if not fm or code.strip().startswith("@@"):
                continue
            fname, ftype, is_list, optional, rest = fm.groups()
            if ftype in models:
                back.setdefault(name, {})[ftype] = bool(is_list)
                rel = re.search(r"fields:\s*\[([^\]]*)\]", rest)
                if rel:
                    for col in rel.group(1).split(","):
                        fk_cols[col.strip()] = ftype
                    pending.append((name, ftype, fname, line_at(starts, offset)))
                continue
            key = "PK" if "@id" in rest else ("UK" if "@unique" in rest else None)
            fields.append(EntityField(name=fname, type=ftype + ("[]" if is_list else ""), key=key,
                                      nullable=True if optional else None, unique="@unique" in rest))
        fields = [EntityField(name=f.name, type=f.type, key="FK", nullable=f.nullable, unique=f.unique,
                              references=f"{fk_cols[f.name]}") if f.name in fk_cols and f.key != "PK" else f
                  for f in fields]
        entities.append(Entity(name=name, table=table, orm="Prisma", source=SourceRef(path=path, line=line_at(
            starts, m.start())), fields=tuple(fields)))
    for left, right, label, line in pending:
        one = back.get(right, {}).get(left) is False
        relations.append(Relation(left=left, right=right, cardinality="one-to-one" if one else "many-to-one",
                                  label=label, source=SourceRef(path=path, line=line)))
    return entities, relations


def _lines_with_offsets(text: str, base: int) -> Iterable[tuple[int, str]]:
    offset = base
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


# ---- TypeORM ------------------------------------------------------------------------------------------------------
_TYPEORM_ENTITY = re.compile(r"@Entity\(([^)]*)\)\s*(?:export\s+)?(?:default\s+)?class\s+(\w+)")
_TYPEORM_MEMBER = re.compile(
    r"@(PrimaryGeneratedColumn|PrimaryColumn|Column|CreateDateColumn|UpdateDateColumn|ManyToOne|OneToMany|OneToOne|"
    r"ManyToMany)\(([^@]*?)\)\s*(?:@\w+\([^)]*\)\s*)*(?:public\s+|private\s+|readonly\s+)*(\w+)[?!]?\s*:\s*([\w\[\]<>]+)")


def typeorm(path: str, text: str) -> tuple[list[Entity], list[Relation]]:
    """Parse TypeORM entity classes."""
    starts = line_starts(text)
    entities, relations = [], []
    matches = list(_TYPEORM_ENTITY.finditer(text))
    for index, m in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        name = m.group(2)
        table = re.search(r"['\"]([^'\"]+)['\"]", m.group(1))
        fields = []
        for member in _TYPEORM_MEMBER.finditer(text, m.end(), end):
            deco, args, attr, kind = member.groups()
            line = line_at(starts, member.start())
            if deco in {"ManyToOne", "OneToOne", "ManyToMany"}:
                target = re.search(r"=>\s*(\w+)", args)
                if target:
                    card = {"ManyToOne": "many-to-one", "OneToOne": "one-to-one", "ManyToMany": "many-to-many"}[deco]
                    relations.append(Relation(left=name, right=target.group(1), cardinality=card, label=attr,
                                              source=SourceRef(path=path, line=line)))
                continue
            if deco == "OneToMany":
                continue
            fields.append(EntityField(name=attr, type=kind, key="PK" if deco.startswith("Primary") else None))
        entities.append(Entity(name=name, table=table.group(1) if table else name.lower(), orm="TypeORM",
                               source=SourceRef(path=path, line=line_at(starts, m.start())), fields=tuple(fields)))
    return entities, relations


def other_models(paths: list[str], read_text: Callable[[str], str | None]) -> tuple[list[Entity], list[Relation]]:
    """Entities from Prisma schemas and TypeORM classes (SQL schemas are read by `datamodel/schema_files`)."""
    entities: list[Entity] = []
    relations: list[Relation] = []
    for path in paths:
        parser = None
        if path.endswith(".prisma"):
            parser = prisma
        elif path.endswith(".ts") and "node_modules/" not in path:
            parser = typeorm
        if parser is None:
            continue
        text = read_text(path)
        if not text or (parser is typeorm and "@Entity" not in text):
            continue
        found, rels = parser(path, text)
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
