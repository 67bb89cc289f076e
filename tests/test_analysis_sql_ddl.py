# The SQL schema reader: DDL forms, Flyway order, Liquibase changelogs, relations declared and inferred from
# `x_id` columns, join tables, and hostile scripts that must stay linear (no timing is asserted).
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis.datamodel.mybatis_mappers import tables_in
from autodevhub_docs.analysis.datamodel.schema_files import SqlSchema
from autodevhub_docs.model import SourceRef
from tests.fixture_apps import analysed, codebase


def _found(tmp_path: Path, files: dict[str, str]):  # noqa: ANN202 - the adapter's Found
    found = SqlSchema().run(codebase(tmp_path / "r", files))
    assert found is not None
    return found


def _tables(found) -> dict[str, tuple[tuple[str, str, str | None], ...]]:
    return {e.name: tuple((f.name, f.type, f.key) for f in e.fields) for e in found.entities}


def _relations(found) -> set[tuple[str, str, str, str, str | None, bool]]:
    return {(r.left, r.cardinality, r.right, r.label, r.through, r.inferred) for r in found.relations}


def test_quoted_qualified_names_types_and_column_constraints(tmp_path: Path) -> None:
    found = _found(tmp_path, {"db/schema.sql": (
        'CREATE TABLE IF NOT EXISTS "public"."Users" (\n  "Id" SERIAL PRIMARY KEY,\n  [Name] NVARCHAR(50) NOT NULL,\n'
        "  `email` varchar(255) UNIQUE,\n  price numeric(10, 2) DEFAULT 0 CHECK (price >= 0),\n"
        "  seen timestamp with time zone default now(),\n  tags text[],\n  ratio double precision NULL\n);\n")})
    assert _tables(found) == {"Users": (
        ("Id", "SERIAL", "PK"), ("Name", "NVARCHAR(50)", None), ("email", "varchar(255)", "UK"),
        ("price", "numeric(10,2)", None), ("seen", "timestamp with time zone", None), ("tags", "text[]", None),
        ("ratio", "double precision", None))}
    users = found.entities[0]
    assert [f.nullable for f in users.fields] == [None, False, None, None, None, None, True]
    assert users.source == SourceRef(path="db/schema.sql", line=1)


def test_table_constraints_inline_references_and_one_to_one(tmp_path: Path) -> None:
    found = _found(tmp_path, {"schema.sql": (
        "create table authors (author_no int, name text, constraint pk_authors primary key (author_no));\n"
        "create table books (\n  id int primary key,\n  author int references authors,\n  isbn char(13),\n"
        "  UNIQUE (isbn),\n  KEY idx_author (author),\n  CHECK (id > 0)\n);\n"
        "create table covers (book_id int primary key references books(id), url text);\n"
        "create table reviews (id int primary key, book int not null, reviewer int,\n"
        "  constraint fk_book foreign key (book) references books (id) on delete cascade);\n")})
    assert _tables(found) == {
        "authors": (("author_no", "int", "PK"), ("name", "text", None)),
        "books": (("id", "int", "PK"), ("author", "int", "FK"), ("isbn", "char(13)", "UK")),
        "covers": (("book_id", "int", "PK"), ("url", "text", None)),
        "reviews": (("id", "int", "PK"), ("book", "int", "FK"), ("reviewer", "int", None)),
    }
    books = next(e for e in found.entities if e.name == "books")
    assert books.fields[1].references == "authors.author_no"  # the referenced table's primary key
    assert _relations(found) == {
        ("books", "many-to-one", "authors", "author", None, False),
        ("covers", "one-to-one", "books", "book_id", None, False),  # its only primary-key column
        ("reviews", "many-to-one", "books", "book", None, False),
    }
    review = next(r for r in found.relations if r.left == "reviews")
    assert review.source == SourceRef(path="schema.sql", line=12)  # where the constraint is written


def test_relations_inferred_from_id_columns_and_join_tables(tmp_path: Path) -> None:
    found = _found(tmp_path, {"schema.sql": (
        "create table users (id int primary key);\ncreate table categories (id int primary key);\n"
        "create table posts (id int primary key, userId int, category_id int, parent_id int, external_id text);\n"
        "create table post_likes (post_id int, user_id int, created_at timestamp);\n"
        "create table profiles (user_id int primary key, bio text);\n"
        "create table follows (follower_id int references users(id), followed_id int references users(id));\n")})
    assert _relations(found) == {
        ("posts", "many-to-one", "users", "userId", None, True),
        ("posts", "many-to-one", "categories", "category_id", None, True),  # y -> ies
        ("posts", "many-to-many", "users", "post_likes", "post_likes", True),  # two references and a timestamp
        ("profiles", "one-to-one", "users", "user_id", None, True),
        ("users", "many-to-many", "users", "follows", "follows", False),  # a declared self join table
    }
    posts = next(e for e in found.entities if e.name == "posts")
    assert {f.name: f.key for f in posts.fields}["userId"] is None  # inferred, not a declared foreign key


def test_alter_table_drop_rename_and_unique_index(tmp_path: Path) -> None:
    found = _found(tmp_path, {"schema.sql": (
        "ALTER TABLE ONLY public.orders ADD CONSTRAINT fk_customer FOREIGN KEY (customer) REFERENCES customers(id);\n"
        "CREATE TABLE customers (id bigint PRIMARY KEY, email text);\n"
        "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint, note text, old text);\n"
        "ALTER TABLE orders ADD COLUMN IF NOT EXISTS total numeric(8,2) NOT NULL, DROP COLUMN old;\n"
        "ALTER TABLE orders RENAME COLUMN note TO remark;\n"
        "CREATE UNIQUE INDEX customers_email ON customers USING btree (email);\n"
        "CREATE TABLE scratch (id int);\nDROP TABLE IF EXISTS scratch, nothing CASCADE;\n"
        "CREATE TABLE tmp_x (id int);\nALTER TABLE tmp_x RENAME TO kept;\n")})
    assert _tables(found) == {
        "customers": (("id", "bigint", "PK"), ("email", "text", "UK")),
        "orders": (("id", "bigint", "PK"), ("customer", "bigint", "FK"), ("remark", "text", None),
                   ("total", "numeric(8,2)", None)),
        "kept": (("id", "int", None),),
    }
    assert _relations(found) == {("orders", "many-to-one", "customers", "customer", None, False)}


def test_comments_strings_and_function_bodies_are_not_read_as_tables(tmp_path: Path) -> None:
    found = _found(tmp_path, {"schema.sql": (
        "-- create table fake (x int);\n/* create table ghost (x int); */\n"
        "insert into real_one values ('create table nope (a int);');\n"
        "create function f() returns void as $$ begin create table inner_t (a int); end $$ language plpgsql;\n"
        "create table real_one (a int, note text default 'it''s; (fine');\n")})
    assert _tables(found) == {"real_one": (("a", "int", None), ("note", "text", None))}


def test_a_hundred_kilobytes_of_unclosed_create_table_is_read_linearly(tmp_path: Path) -> None:
    hostile = "create table a(" * 7000  # about 100 KB; the old regex reader took minutes on this
    found = _found(tmp_path, {"schema.sql": hostile + "\n", "ok.sql": "create table fine (id int);\n"})
    assert _tables(found) == {"fine": (("id", "int", None),)}
    assert found.problems == ("schema.sql:1: CREATE TABLE a is never closed, not read",)


@pytest.mark.parametrize("hostile", ["'" * 100_000, "/*" * 50_000, "(" * 100_000, "$a$" + "x" * 100_000,
                                     "create table t (a int references " * 3000])
def test_other_hostile_scripts_give_no_table_and_no_traceback(tmp_path: Path, hostile: str) -> None:
    found = SqlSchema().run(codebase(tmp_path / "s", {"schema.sql": "table " + hostile,
                                                      "ok.sql": "create table fine (id int);\n"}))
    assert found is not None and [e.name for e in found.entities] == ["fine"]


def test_flyway_scripts_run_in_version_order_without_undo_and_down_scripts(tmp_path: Path) -> None:
    found = _found(tmp_path, {
        "src/main/resources/db/migration/V1__init.sql": "create table users (id int primary key);\n",
        "src/main/resources/db/migration/V2__legacy.sql": "create table legacy (id int);\n",
        "src/main/resources/db/migration/V10__drop_legacy.sql": "drop table legacy;\n",
        "src/main/resources/db/migration/V2_1__posts.sql": "create table posts (id int, author_id int);\n",
        "src/main/resources/db/migration/V11__fk.sql": (
            "alter table posts add constraint fk_author foreign key (author_id) references users (id);\n"),
        "src/main/resources/db/migration/U11__undo_fk.sql": "create table undo_only (id int);\n",
        "db/migrate/001_init.down.sql": "create table down_only (id int);\n",
        "prisma/migrations/1_init/migration.sql": "create table \"User\" (id int);\n",
    })
    assert set(_tables(found)) == {"users", "posts"}
    assert _relations(found) == {("posts", "many-to-one", "users", "author_id", None, False)}
    fk = next(iter(found.relations))
    assert fk.source == SourceRef(path="src/main/resources/db/migration/V11__fk.sql", line=1)


def test_liquibase_xml_yaml_and_sql_changelogs(tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">\n'
        '  <changeSet id="1" author="a">\n'
        '    <createTable tableName="authors">\n'
        '      <column name="id" type="BIGINT"><constraints primaryKey="true" nullable="false"/></column>\n'
        '      <column name="email" type="VARCHAR(255)"><constraints unique="true"/></column>\n'
        '    </createTable>\n'
        '  </changeSet>\n'
        '  <changeSet id="2" author="a">\n'
        '    <createTable tableName="books">\n'
        '      <column name="id" type="BIGINT"><constraints primaryKey="true"/></column>\n'
        '      <column name="writer" type="BIGINT"/>\n'
        '    </createTable>\n'
        '    <addForeignKeyConstraint baseTableName="books" baseColumnNames="writer" constraintName="fk"\n'
        '                             referencedTableName="authors" referencedColumnNames="id"/>\n'
        '    <sql>create table audit (id int primary key, book_id int)</sql>\n'
        '  </changeSet>\n'
        '</databaseChangeLog>\n')
    yaml_log = (
        "databaseChangeLog:\n  - changeSet:\n      id: 3\n      author: a\n      changes:\n"
        "        - createTable:\n            tableName: reviews\n            columns:\n"
        "              - column:\n                  name: id\n                  type: int\n"
        "                  constraints:\n                    primaryKey: true\n"
        "              - column:\n                  name: book\n                  type: bigint\n"
        "                  constraints:\n                    references: books(id)\n"
        "                    foreignKeyName: fk_review_book\n"
        "        - addColumn:\n            tableName: authors\n            columns:\n"
        "              - column:\n                  name: bio\n                  type: text\n")
    found = _found(tmp_path, {"src/main/resources/db/changelog/db.changelog-1.xml": xml,
                              "src/main/resources/db/changelog/db.changelog-2.yaml": yaml_log,
                              "src/main/resources/db/changelog/broken.xml": "<databaseChangeLog><oops>"})
    assert _tables(found) == {
        "authors": (("id", "BIGINT", "PK"), ("email", "VARCHAR(255)", "UK"), ("bio", "text", None)),
        "books": (("id", "BIGINT", "PK"), ("writer", "BIGINT", "FK")),
        "audit": (("id", "int", "PK"), ("book_id", "int", None)),
        "reviews": (("id", "int", "PK"), ("book", "bigint", "FK")),
    }
    assert _relations(found) == {("books", "many-to-one", "authors", "writer", None, False),
                                 ("audit", "many-to-one", "books", "book_id", None, True),
                                 ("reviews", "many-to-one", "books", "book", None, False)}
    reviews = next(e for e in found.entities if e.name == "reviews")
    assert reviews.source == SourceRef(path="src/main/resources/db/changelog/db.changelog-2.yaml", line=7)
    assert found.problems == ("src/main/resources/db/changelog/broken.xml: not valid XML (no element found at "
                              "line 1)",)


def test_liquibase_entities_are_refused(tmp_path: Path) -> None:
    found = SqlSchema().run(codebase(tmp_path / "r", {"db/changelog/master.xml": (
        '<!DOCTYPE x [<!ENTITY a "aaaa">]><databaseChangeLog>&a;</databaseChangeLog>')}))
    assert found is not None
    assert found.problems == ("db/changelog/master.xml: declares XML entities, not read",)


def test_no_schema_means_no_sql_adapter(tmp_path: Path) -> None:
    assert SqlSchema().run(codebase(tmp_path / "r", {"data.sql": "insert into t values (1);\n",
                                                     "README.md": "# x\n"})) is None


@pytest.mark.parametrize(("sql", "tables"), [
    ("select * from users u where u.id = #{id}", ["users"]),
    ("select a.x from articles a left join article_tags at on a.id = at.article_id join tags t on t.id = at.tag_id",
     ["articles", "article_tags", "tags"]),
    ("select * from a, b x, public.c where 1 = 1", ["a", "b", "c"]),
    ("insert into follows(user_id, follow_id) values (#{a}, #{b})", ["follows"]),
    ("update articles set title = #{t} where id = #{id}", ["articles"]),
    ("delete from comments where id = #{id}", ["comments"]),
    ("insert into t (a) values (1) on duplicate key update a = 2", ["t"]),
    ("with recent as (select * from posts) select extract(year from created_at) from recent", ["posts"]),
    ("select * from generate_series(1, 3) g join (select * from inner_t) s on true", ["inner_t"]),
    ("select * from ${tableName}", []),
    ("truncate table sessions", ["sessions"]),
])
def test_tables_a_mapper_statement_uses(sql: str, tables: list[str]) -> None:
    assert [name for name, _ in tables_in(sql)] == tables


def test_the_express_fixture_schema_still_reads_through_the_whole_analysis(tmp_path: Path) -> None:
    arch = analysed(tmp_path / "r", {"db/schema.sql": (
        "CREATE TABLE IF NOT EXISTS audit_log (\n  id BIGSERIAL PRIMARY KEY,\n  user_id INTEGER NOT NULL,\n"
        "  FOREIGN KEY (user_id) REFERENCES accounts(id)\n);\nCREATE TABLE accounts (id INTEGER PRIMARY KEY);\n")})
    assert {(e.name, e.orm) for e in arch.entities} == {("audit_log", "SQL"), ("accounts", "SQL")}
    assert [(r.framework, r.found) for r in arch.framework_reports] == [("SQL", 2)]
