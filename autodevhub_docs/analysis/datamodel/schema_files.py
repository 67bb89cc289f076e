# The SQL schema of a repository: `schema.sql`-style scripts, Flyway migrations (`V1__init.sql`, run in version
# order; undo and down scripts left out), Liquibase SQL and XML/YAML/JSON changelogs, applied in order to one
# schema. The `SQL` adapter reports the tables no ORM adapter claims; tables MyBatis mappers use are MyBatis's.
# Folders named `migrations` are left out: ORMs with their own migration tool (Prisma, Django, Alembic) write SQL
# there that repeats their models.
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.datamodel import liquibase
from autodevhub_docs.analysis.datamodel.mybatis_mappers import mapper_use
from autodevhub_docs.analysis.datamodel.sql_ddl import read_sql
from autodevhub_docs.analysis.datamodel.sql_schema import Schema
from autodevhub_docs.model import Entity, Relation, SourceRef

_FLYWAY = re.compile(r"([VUR])(\d+(?:[._]\d+)*)?__.+\.sql", re.I)
_CHANGELOG_HINTS = ("changelog", "liquibase")


@dataclass(frozen=True)
class SchemaRead:
    """The schema of a codebase and what was read to build it."""

    schema: Schema
    """The tables."""
    files: tuple[str, ...]
    """Scripts and changelogs read, in the order they were applied."""
    tried: tuple[str, ...]
    """Every file that could hold schema, read or not."""


def _order(path: str) -> tuple[str, int, tuple[int, ...], str]:
    """Scripts of a folder in the order they run: Flyway versions numerically, then the rest by name."""
    pure = PurePosixPath(path)
    flyway = _FLYWAY.fullmatch(pure.name)
    if flyway and flyway.group(1).upper() == "V" and flyway.group(2):
        return str(pure.parent), 0, tuple(int(p) for p in re.split(r"[._]", flyway.group(2))), pure.name
    return str(pure.parent), 1, (), pure.name


def _is_script(path: str) -> bool:
    pure = PurePosixPath(path)
    flyway = _FLYWAY.fullmatch(pure.name)
    return "migrations" not in pure.parts[:-1] and not pure.name.endswith(".down.sql") and not (
        flyway and flyway.group(1).upper() == "U")


def read_schema(code: Codebase) -> SchemaRead:
    """Read every schema script and changelog of the codebase into one schema.

    Args:
        code: The codebase.
    """
    schema = Schema()
    candidates = [p for p in code.source_files(".sql") if _is_script(p)]
    candidates += [p for p in code.source_files(".xml", ".yaml", ".yml", ".json")
                   if any(hint in p.lower() for hint in _CHANGELOG_HINTS)]
    read: list[str] = []
    for path in sorted(candidates, key=_order):
        text = code.text(path)
        if text is None:
            schema.problems.append(f"{path}: could not be read")
            continue
        schema.current = path
        if path.endswith(".sql"):
            if "table" in text.lower():
                read_sql(schema, path, text)
                read.append(path)
            continue
        if not liquibase.is_changelog(path, text):
            continue
        root, problem = liquibase.changelog(path, text)
        if root is None:
            schema.problems.append(f"{path}: {problem}")
            continue
        liquibase.apply_changelog(schema, path, root)
        read.append(path)
    return SchemaRead(schema=schema, files=tuple(read), tried=tuple(sorted(candidates, key=_order)))


def owned(entities: list[Entity], relations: list[Relation], orm: str) -> tuple[tuple[Entity, ...],
                                                                                tuple[Relation, ...]]:
    """The entities labelled with an ORM, and the relations whose left end is one of them."""
    mine = tuple(e for e in entities if e.orm == orm)
    names = {e.name for e in mine}
    return mine, tuple(r for r in relations if r.left in names)


class SqlSchema:
    """Tables of the SQL schema that no ORM adapter claims."""

    name = "SQL"

    def run(self, code: Codebase) -> Found | None:
        """The schema's tables, or None when the repository has no schema (or an ORM claims every table)."""
        found = read_schema(code)
        if not found.files and not found.schema.problems:
            return None
        use = mapper_use(code)
        claimed = set(use.tables) if use.evidence is not None else set()
        entities, relations = found.schema.build(lambda table: "MyBatis" if table.lower() in claimed else "SQL")
        mine, links = owned(entities, relations, "SQL")
        if not mine and not found.schema.problems:
            return None
        evidence = (mine[0].source,) if mine else (SourceRef(path=(found.files or found.tried)[0]),)
        return Found(framework=self.name, evidence=evidence, files_read=found.files, entities=mine,
                     relations=links, problems=tuple(found.schema.problems))


ADAPTERS = (SqlSchema(),)
