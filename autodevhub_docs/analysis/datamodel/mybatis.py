# MyBatis: the tables of the SQL schema that the application's mappers read or write are its entities (MyBatis
# maps statements, not classes, so the schema is where the columns and relations are; see `schema_files`).
from __future__ import annotations

from autodevhub_docs.analysis.adapters import Found
from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.datamodel.mybatis_mappers import mapper_use
from autodevhub_docs.analysis.datamodel.schema_files import owned, read_schema

FRAMEWORK = "MyBatis"


class MyBatis:
    """Tables used by MyBatis mappers."""

    name = FRAMEWORK

    def run(self, code: Codebase) -> Found | None:
        """The tables the mappers use, or None when MyBatis is absent."""
        use = mapper_use(code)
        if use.evidence is None:
            return None
        found = read_schema(code)
        entities, relations = found.schema.build(lambda table: FRAMEWORK if table.lower() in use.tables else "SQL")
        mine, links = owned(entities, relations, FRAMEWORK)
        return Found(framework=FRAMEWORK, evidence=(use.evidence,), files_read=(*use.files, *found.files),
                     entities=mine, relations=links, problems=tuple(use.problems))


ADAPTERS = (MyBatis(),)
