# Which tables a MyBatis application uses: the SQL of its mappers, in XML mapper files (`<select>`, `<insert>`,
# `<update>`, `<delete>`, `<sql>` fragments, dynamic tags included) and in `@Select`/`@Insert`/`@Update`/`@Delete`
# annotations on mapper interfaces (Java or Kotlin). Table names are read from the tokens that follow FROM, JOIN,
# INTO, UPDATE and TRUNCATE in query context, leaving out common-table-expression names and function calls.
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from autodevhub_docs.analysis.codebase import Codebase
from autodevhub_docs.analysis.datamodel.sql_ddl import name_at
from autodevhub_docs.analysis.datamodel.sql_tokens import Token, tokens
from autodevhub_docs.analysis.endpoints.jvm_code import dependency_evidence, read_jvm
from autodevhub_docs.model import SourceRef
from autodevhub_docs.parsing.jvm_values import Scope
from autodevhub_docs.parsing.xml_lines import parse_xml

_STATEMENTS = frozenset({"select", "insert", "update", "delete", "sql"})
_ANNOTATIONS = ("Select", "Insert", "Update", "Delete")
_NOT_ALIASES = frozenset({
    "WHERE", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "NATURAL", "ON", "USING", "GROUP",
    "ORDER", "HAVING", "LIMIT", "OFFSET", "UNION", "INTERSECT", "EXCEPT", "SET", "VALUES", "FOR", "WINDOW",
    "FETCH", "RETURNING", "SELECT", "LATERAL", "STRAIGHT_JOIN", "WITH",
})
_NOT_TABLES = frozenset({"SELECT", "LATERAL", "UNNEST", "DUAL", "ONLY", "TABLE"})
_DEPENDENCIES = ("org.mybatis*",)
_IMPORTS = ("org.apache.ibatis",)


@dataclass
class MapperUse:
    """What the mappers of a codebase read."""

    tables: dict[str, SourceRef] = field(default_factory=dict)
    """Lower-case table name -> first statement that uses it."""
    files: list[str] = field(default_factory=list)
    """Mapper files read."""
    problems: list[str] = field(default_factory=list)
    """Mapper files that could not be read, with the reason."""
    evidence: SourceRef | None = None
    """Why MyBatis is considered present (a dependency, an import, a mapper file)."""


def _table_list(items: Sequence[Token], index: int, *, several: bool, calls: bool) -> tuple[list[str], int]:
    """Table names from `index` on: `a`, `s.a x`, `a AS x, b` (several), and the index after them.

    A name followed by `(` is a function call, unless `calls` is False (`INSERT INTO t (cols)`).
    """
    found: list[str] = []
    while index < len(items) and items[index].is_name and not items[index].is_word(*_NOT_TABLES):
        name, index = name_at(items, index)
        if index < len(items) and items[index].kind == "punct" and items[index].text == "(" and calls:
            return found, index
        if name:
            found.append(name)
        if index < len(items) and items[index].is_word("AS"):
            index += 1
        if index < len(items) and items[index].is_name and not items[index].is_word(*_NOT_ALIASES):
            index += 1
        if not (several and index < len(items) and items[index].kind == "punct" and items[index].text == ","):
            break
        index += 1
    return found, index


def tables_in(sql: str) -> list[tuple[str, int]]:
    """The tables a statement reads or writes, with the line (within the text) where each is named.

    Args:
        sql: One statement or fragment, as a mapper holds it.
    """
    items = list(tokens(sql))
    ctes = {items[i - 1].text.lower() for i in range(1, len(items) - 1)
            if items[i].is_word("AS") and items[i + 1].text == "(" and items[i - 1].is_name
            and (i < 2 or items[i - 2].text == "," or items[i - 2].is_word("WITH", "RECURSIVE"))}
    found: list[tuple[str, int]] = []
    query = [True]  # whether each open parenthesis holds a query (a FROM in `extract(year FROM x)` is no table)
    for index, token in enumerate(items):
        if token.kind == "punct" and token.text == "(":
            query.append(index + 1 < len(items) and items[index + 1].is_word("SELECT", "WITH"))
            continue
        if token.kind == "punct" and token.text == ")":
            if len(query) > 1:
                query.pop()
            continue
        if not query[-1] or token.kind != "word":
            continue
        previous = items[index - 1] if index else None
        names: list[str] = []
        if token.is_word("FROM"):
            names, _ = _table_list(items, index + 1, several=True, calls=True)
        elif token.is_word("JOIN"):
            names, _ = _table_list(items, index + 1, several=False, calls=True)
        elif token.is_word("INTO") or (token.is_word("TRUNCATE")):
            start = index + 2 if index + 1 < len(items) and items[index + 1].is_word("TABLE") else index + 1
            names, _ = _table_list(items, start, several=False, calls=False)
        elif token.is_word("UPDATE") and not (previous is not None and previous.is_word("KEY", "DO", "FOR")):
            names, _ = _table_list(items, index + 1, several=False, calls=False)
        found.extend((n, token.line) for n in names if n.lower() not in ctes)
    return found


def _add(use: MapperUse, sql: str, path: str, line: int) -> None:
    for table, offset in tables_in(sql):
        use.tables.setdefault(table.lower(), SourceRef(path=path, line=line + offset - 1))


def mapper_use(code: Codebase) -> MapperUse:
    """Read every XML mapper and annotated mapper interface of the codebase.

    Args:
        code: The codebase.
    """
    use = MapperUse(evidence=dependency_evidence(code, _DEPENDENCIES))
    for path in code.source_files(".xml"):
        text = code.text(path)
        if text is None or "<mapper" not in text:
            continue
        root, problem = parse_xml(text)
        if root is None:
            use.problems.append(f"{path}: {problem}")
            continue
        if root.tag != "mapper":
            continue
        use.files.append(path)
        use.evidence = use.evidence or SourceRef(path=path, line=root.line)
        for element in root.iter():
            if element.tag in _STATEMENTS:
                _add(use, element.text(), path, element.line)
    jvm_code = read_jvm(code)
    use.evidence = use.evidence or jvm_code.import_of(_IMPORTS)
    for jvm, declaration in jvm_code.declarations(*(prefix.rstrip(".*") for prefix in _IMPORTS)):
        if jvm.imports_any(*_IMPORTS) is None:
            continue  # a mapper interface imports its annotations
        scope = Scope(path=jvm.path, owners=(declaration.name, declaration.owner))
        for member in declaration.members:
            for annotation in (a for a in member.annotations if a.name in _ANNOTATIONS):
                parts = [jvm_code.constants.string(jvm.parsed, node, scope) for node in annotation.values("value")]
                if jvm.path not in use.files:
                    use.files.append(jvm.path)
                _add(use, " ".join(p for p in parts if p), jvm.path, annotation.line)
    return use
