# The SQL DDL reader: CREATE TABLE (IF NOT EXISTS, quoted and schema-qualified names), columns with their types,
# PRIMARY KEY, UNIQUE, NOT NULL and REFERENCES inline or as table constraints, ALTER TABLE ... ADD [CONSTRAINT]
# FOREIGN KEY / PRIMARY KEY / UNIQUE / [COLUMN], DROP COLUMN, RENAME, CREATE UNIQUE INDEX, and DROP TABLE. It works
# on the tokens of `sql_tokens` in one pass per statement (no regular expression runs over the file), so its cost is
# linear in the size of the script. Statements it does not know are skipped whole.
from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial

from autodevhub_docs.analysis.datamodel.sql_schema import Column, Reference, Schema
from autodevhub_docs.analysis.datamodel.sql_tokens import Token, tokens

_COLUMN_STOPS = frozenset({
    "CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "REFERENCES", "DEFAULT", "CHECK", "COLLATE", "GENERATED",
    "AUTO_INCREMENT", "AUTOINCREMENT", "IDENTITY", "COMMENT", "ON", "AS", "KEY",
})
"""Words that end a column's type and start its constraints."""
_TABLE_CONSTRAINTS = frozenset({"CONSTRAINT", "PRIMARY", "FOREIGN", "UNIQUE", "CHECK", "EXCLUDE", "LIKE", "PERIOD"})
_INDEXES = frozenset({"KEY", "INDEX", "FULLTEXT", "SPATIAL"})
_TABLE_WORDS = frozenset({"GLOBAL", "LOCAL", "TEMPORARY", "TEMP", "UNLOGGED", "VIRTUAL", "EXTERNAL", "TRANSIENT"})


def statements(items: Iterator[Token]) -> Iterator[tuple[list[Token], bool]]:
    """Statements split at `;` outside parentheses, each with whether its parentheses are all closed."""
    current: list[Token] = []
    depth = 0
    for token in items:
        if token.kind == "punct":
            if token.text == "(":
                depth += 1
            elif token.text == ")":
                depth = max(depth - 1, 0)
            elif token.text == ";" and depth == 0:
                if current:
                    yield current, True
                current = []
                continue
        current.append(token)
    if current:
        yield current, depth == 0


def _group(items: Sequence[Token], start: int) -> tuple[list[Token], int]:
    """The tokens inside the parentheses opening at `start`, and the index just past the closing one."""
    depth, index = 0, start
    while index < len(items):
        text = items[index].text if items[index].kind == "punct" else ""
        depth += {"(": 1, ")": -1}.get(text, 0)
        if depth == 0:
            return list(items[start + 1:index]), index + 1
        index += 1
    return list(items[start + 1:]), len(items)


def _split(items: Sequence[Token]) -> list[list[Token]]:
    """Tokens split at commas outside parentheses."""
    parts: list[list[Token]] = [[]]
    depth = 0
    for token in items:
        if token.kind == "punct" and token.text in "()":
            depth += 1 if token.text == "(" else -1
        if token.kind == "punct" and token.text == "," and depth == 0:
            parts.append([])
        else:
            parts[-1].append(token)
    return [p for p in parts if p]


def name_at(items: Sequence[Token], start: int) -> tuple[str | None, int]:
    """A possibly schema-qualified name at `start` (its last part), and the index after it."""
    index, name = start, None
    while index < len(items) and items[index].is_name:
        name = items[index].text
        index += 1
        if index < len(items) and items[index].text == "." and items[index].kind == "punct":
            index += 1
            continue
        break
    return name, index


def _skip_words(items: Sequence[Token], index: int, *words: str) -> int:
    while index < len(items) and items[index].is_word(*words):
        index += 1
    return index


def _names_in(group: Sequence[Token]) -> list[str]:
    return [part[0].text for part in _split(group) if part[0].is_name]


def _reference(items: Sequence[Token], index: int) -> tuple[Reference | None, int]:
    """`REFERENCES table [(columns)]` starting just after the REFERENCES word."""
    table, index = name_at(items, index)
    columns: list[str] = []
    if index < len(items) and items[index].text == "(" and items[index].kind == "punct":
        group, index = _group(items, index)
        columns = _names_in(group)
    return (Reference(table=table, column=columns[0] if columns else None, line=items[index - 1].line)
            if table else None), index


def _type_text(items: Sequence[Token]) -> str:
    text = ""
    for token in items:
        value = token.text if token.kind != "string" else f"'{token.text}'"
        glue = token.kind == "punct" or text.endswith(("(", ",", "[")) or not text
        text += value if glue else " " + value
    return text or "?"


def column(items: Sequence[Token]) -> Column | None:
    """A column definition (`name type [constraints]`), or None when it does not start with a name."""
    if not items or not items[0].is_name:
        return None
    index = 1
    depth = 0
    while index < len(items):
        token = items[index]
        if token.kind == "punct" and token.text in "()":
            depth += 1 if token.text == "(" else -1
        elif depth == 0 and token.kind == "word" and token.text.upper() in _COLUMN_STOPS:
            break
        index += 1
    result = Column(name=items[0].text, type=_type_text(items[1:index]), line=items[0].line)
    while index < len(items):
        token = items[index]
        if token.kind == "punct" and token.text == "(":
            index = _group(items, index)[1]  # DEFAULT (...), CHECK (...): nothing to read inside
            continue
        if token.is_word("PRIMARY"):
            result.primary = True
        elif token.is_word("UNIQUE"):
            result.unique = True
        elif token.is_word("NOT") and index + 1 < len(items) and items[index + 1].is_word("NULL"):
            result.nullable = False
            index += 1
        elif token.is_word("NULL") and result.nullable is None:
            result.nullable = True
        elif token.is_word("REFERENCES"):
            result.reference, index = _reference(items, index + 1)
            continue
        index += 1
    return result


def _constraint(schema: Schema, table: str, items: Sequence[Token]) -> None:
    """A table constraint (PRIMARY KEY, UNIQUE, FOREIGN KEY ... REFERENCES); CHECK and the like are skipped."""
    index = 0
    if items[0].is_word("CONSTRAINT"):
        index = name_at(items, 1)[1]
    if index >= len(items):
        return
    head = items[index]
    opening = next((i for i in range(index, len(items)) if items[i].text == "(" and items[i].kind == "punct"), None)
    if opening is None:
        return
    group, after = _group(items, opening)
    columns = _names_in(group)
    if head.is_word("PRIMARY"):
        schema.primary_key(table, columns)
    elif head.is_word("UNIQUE"):
        schema.unique(table, columns)
    elif head.is_word("FOREIGN") and after < len(items) and items[after].is_word("REFERENCES"):
        reference, _ = _reference(items, after + 1)
        if reference is not None:
            schema.foreign_key(table, columns, reference)


def _create_table(schema: Schema, path: str, items: Sequence[Token], closed: bool) -> None:
    index = _skip_words(items, 1, "OR", "REPLACE", *_TABLE_WORDS) + 1  # past TABLE
    if index + 2 < len(items) and items[index].is_word("IF") and items[index + 2].is_word("EXISTS"):
        index += 3
    name, index = name_at(items, index)
    if name is None or index >= len(items) or items[index].text != "(" or items[index].kind != "punct":
        return  # CREATE TABLE ... AS SELECT, LIKE, PARTITION OF: no column list to read
    if not closed:
        schema.problems.append(f"{path}:{items[0].line}: CREATE TABLE {name} is never closed, not read")
        return
    body, _ = _group(items, index)
    table = schema.create_table(name, path, items[0].line)
    for part in _split(body):
        first = part[0]
        if first.is_word(*_TABLE_CONSTRAINTS):
            _constraint(schema, table, part)
            continue
        if _is_index(part):
            continue  # MySQL `KEY idx (col)`, `INDEX (col)`: not part of the data model
        parsed = column(part)
        if parsed is not None:
            schema.add_column(table, parsed)


def _is_index(part: Sequence[Token]) -> bool:
    """Whether a CREATE TABLE item is an index (`KEY idx (a)`) rather than a column named like one."""
    if not part[0].is_word(*_INDEXES):
        return False
    opening = next((i for i, t in enumerate(part) if t.kind == "punct" and t.text == "("), None)
    return opening is not None and any(t.is_name for t in _group(part, opening)[0])


def _alter_table(schema: Schema, items: Sequence[Token]) -> None:
    index = _skip_words(items, 2, "ONLY")
    if index + 1 < len(items) and items[index].is_word("IF") and items[index + 1].is_word("EXISTS"):
        index += 2
    name, index = name_at(items, index)
    if name is None:
        return
    for action in _split(items[index:]):
        verb = action[0]
        if verb.is_word("ADD"):
            rest = action[_skip_words(action, 1, "COLUMN"):]
            if len(rest) > 3 and rest[0].is_word("IF") and rest[1].is_word("NOT"):
                rest = rest[3:]
            if rest and rest[0].is_word(*_TABLE_CONSTRAINTS):
                schema.later(name, partial(_constraint, schema), rest)
            elif rest and (parsed := column(rest)) is not None:
                schema.later(name, schema.add_column, parsed)
        elif verb.is_word("DROP") and not (len(action) > 1 and action[1].is_word("CONSTRAINT", "INDEX")):
            position = _skip_words(action, 1, "COLUMN", "IF", "EXISTS")
            if position < len(action) and action[position].is_name:
                schema.later(name, schema.drop_column, action[position].text)
        elif verb.is_word("RENAME"):
            words = [t.text for t in action[1:] if t.is_name and not t.is_word("COLUMN", "TO")]
            if len(action) > 1 and action[1].is_word("TO") and words:
                schema.later(name, schema.rename_table, words[0])
            elif len(words) == 2:
                schema.later(name, schema.rename_column, words[0], words[1])


def _create_index(schema: Schema, items: Sequence[Token]) -> None:
    """`CREATE UNIQUE INDEX ... ON table (column)` makes a single column unique."""
    on = next((i for i, t in enumerate(items) if t.is_word("ON")), None)
    if on is None:
        return
    name, index = name_at(items, _skip_words(items, on + 1, "ONLY"))
    while index < len(items) and not (items[index].text == "(" and items[index].kind == "punct"):
        index += 1
    if name is None or index >= len(items):
        return
    columns = _names_in(_group(items, index)[0])
    schema.later(name, schema.unique, columns)


def _drop_table(schema: Schema, items: Sequence[Token]) -> None:
    index = _skip_words(items, 2, "IF", "EXISTS")
    for part in _split(items[index:]):
        name, _ = name_at(part, 0)
        if name is not None:
            schema.drop_table(name)


def read_sql(schema: Schema, path: str, text: str) -> None:
    """Apply the DDL statements of one SQL script to a schema, in order.

    Args:
        schema: The schema being built (tables from earlier scripts are known).
        path: Repository-relative path of the script.
        text: Its text.
    """
    for items, closed in statements(tokens(text)):
        first = items[0]
        second = next((t for t in items[1:6] if t.kind == "word" and t.text.upper() not in (
            "OR", "REPLACE", *_TABLE_WORDS)), None)
        if first.is_word("CREATE") and second is not None and second.is_word("TABLE"):
            _create_table(schema, path, items, closed)
        elif first.is_word("CREATE") and second is not None and second.is_word("UNIQUE"):
            _create_index(schema, items)
        elif first.is_word("ALTER") and len(items) > 1 and items[1].is_word("TABLE"):
            _alter_table(schema, items)
        elif first.is_word("DROP") and len(items) > 1 and items[1].is_word("TABLE"):
            _drop_table(schema, items)
