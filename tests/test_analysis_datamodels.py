# Entities, fields, keys and relations from SQLModel, SQLAlchemy (declarative and 2.0), Django, Prisma and SQL.
from __future__ import annotations

import pytest

from autodevhub_docs.analysis.migrations import migrations
from autodevhub_docs.model import MigrationSet
from tests.fakes import arch_repos as fx


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory):
    return fx.analysed(fx.make(tmp_path_factory.mktemp("r") / "shop", fx.FASTAPI_FILES).root)[1]


@pytest.fixture(scope="module")
def polls(tmp_path_factory: pytest.TempPathFactory):
    return fx.analysed(fx.make(tmp_path_factory.mktemp("r") / "polls", fx.DJANGO_FILES).root)[1]


@pytest.fixture(scope="module")
def blog(tmp_path_factory: pytest.TempPathFactory):
    return fx.analysed(fx.make(tmp_path_factory.mktemp("r") / "blog", fx.EXPRESS_FILES).root)[1]


def _entities(arch):
    return {e.name: (e.table, e.orm, tuple((f.name, f.type, f.key) for f in e.fields)) for e in arch.entities}


def _relations(arch):
    return {(r.left, r.cardinality, r.right, r.label) for r in arch.relations}


def test_sqlmodel_and_sqlalchemy_entities(shop) -> None:
    assert _entities(shop) == {
        # TeamBase's `name` is inherited; HeroPublic (no table=True) is a schema, not an entity
        "Team": ("team", "SQLModel", (("name", "str", None), ("id", "int", "PK"))),
        "Hero": ("hero", "SQLModel", (("id", "int", "PK"), ("name", "str", None), ("age", "int", None),
                                      ("team_id", "int", "FK"))),
        "Customer": ("customers", "SQLAlchemy", (("id", "int", "PK"), ("email", "String", "UK"))),
        "Order": ("orders", "SQLAlchemy", (("id", "Integer", "PK"), ("customer_id", "Integer", "FK"))),
        "Tag": ("tags", "SQLAlchemy", (("id", "int", "PK"), ("label", "str", None))),
        "Profile": ("profiles", "SQLAlchemy", (("id", "int", "PK"), ("customer_id", "int", "FK"))),
        # a Core association table is a table of the schema too
        "order_tags": ("order_tags", "SQLAlchemy", (("order_id", "ForeignKey", "FK"), ("tag_id", "ForeignKey", "FK"))),
    }
    hero = next(e for e in shop.entities if e.name == "Hero")
    assert next(f for f in hero.fields if f.name == "team_id").references == "team.id"
    assert next(f for f in hero.fields if f.name == "age").nullable is True


def test_relations_come_from_foreign_keys_then_relationships(shop) -> None:
    assert _relations(shop) == {
        ("Hero", "many-to-one", "Team", "team_id"),
        ("Order", "many-to-one", "Customer", "customer_id"),
        ("Profile", "one-to-one", "Customer", "customer_id"),  # unique foreign key
        ("Order", "many-to-many", "Tag", "tags"),  # relationship(secondary=...)
        ("order_tags", "many-to-one", "Order", "order_id"),
        ("order_tags", "many-to-one", "Tag", "tag_id"),
    }
    order = next(r for r in shop.relations if r.left == "Order" and r.right == "Customer")
    assert (order.source.path, order.source.line) == ("backend/app/orders.py", 24)


def test_django_models(polls) -> None:
    assert _entities(polls) == {
        "Question": ("polls_question", "Django ORM", (("id", "AutoField", "PK"), ("question_text", "CharField", None),
                                                      ("pub_date", "DateTimeField", None))),
        "Choice": ("polls_choice", "Django ORM", (("id", "AutoField", "PK"), ("question", "ForeignKey", "FK"),
                                                  ("choice_text", "CharField", None), ("votes", "IntegerField", None))),
        "Tag": ("poll_tags", "Django ORM", (("id", "AutoField", "PK"), ("name", "SlugField", "UK"))),
    }
    assert _relations(polls) == {("Choice", "many-to-one", "Question", "question"),
                                 ("Tag", "many-to-many", "Question", "questions")}
    assert [(m.tool, m.path, m.count) for m in polls.migrations] == [("Django", "polls/migrations", 1)]


def test_prisma_and_sql_ddl(blog) -> None:
    assert _entities(blog) == {
        "audit_log": ("audit_log", "SQL", (("id", "BIGSERIAL", "PK"), ("user_id", "INTEGER", "FK"),
                                           ("action", "VARCHAR(40)", None))),
        "accounts": ("accounts", "SQL", (("id", "INTEGER", "PK"), ("email", "TEXT", "UK"))),
        "User": ("User", "Prisma", (("id", "Int", "PK"), ("email", "String", "UK"))),
        "Post": ("Post", "Prisma", (("id", "Int", "PK"), ("title", "String", None), ("authorId", "Int", "FK"))),
        "Profile": ("Profile", "Prisma", (("id", "Int", "PK"), ("userId", "Int", "FK"))),
    }
    assert _relations(blog) == {("audit_log", "many-to-one", "accounts", "user_id"),
                                ("Post", "many-to-one", "User", "author"),
                                ("Profile", "one-to-one", "User", "user")}
    assert [(m.tool, m.path, m.count) for m in blog.migrations] == [("Prisma", "prisma/migrations", 1)]


def test_alembic_migrations(shop) -> None:
    assert [(m.tool, m.path, m.count) for m in shop.migrations] == [("Alembic", "backend/migrations/versions", 2)]


def test_typeorm_entities(tmp_path) -> None:
    repo = fx.make(tmp_path / "orm", {"src/user.entity.ts": (
        "import { Column, Entity, ManyToOne, OneToMany, PrimaryGeneratedColumn } from 'typeorm';\n\n"
        "@Entity('users')\nexport class User {\n  @PrimaryGeneratedColumn()\n  id: number;\n\n  @Column()\n"
        "  name: string;\n\n  @OneToMany(() => Photo, (photo) => photo.user)\n  photos: Photo[];\n}\n\n"
        "@Entity()\nexport class Photo {\n  @PrimaryGeneratedColumn()\n  id: number;\n\n"
        "  @ManyToOne(() => User, (user) => user.photos)\n  user: User;\n}\n")})
    arch = fx.analysed(repo.root)[1]
    assert _entities(arch) == {"User": ("users", "TypeORM", (("id", "number", "PK"), ("name", "string", None))),
                               "Photo": ("photo", "TypeORM", (("id", "number", "PK"),))}
    assert _relations(arch) == {("Photo", "many-to-one", "User", "user")}


def test_migration_folders_of_each_tool_are_counted_from_the_paths_alone() -> None:
    paths = ["alembic/env.py", "alembic/versions/1a_init.py", "alembic/versions/2b_more.py",
             "versions/3c.py", "script.py.mako",  # an Alembic folder at the root of the repository
             "shop/migrations/0001_initial.py", "shop/migrations/0002_price.py", "shop/migrations/__init__.py",
             "prisma/migrations/20240101_init/migration.sql", "prisma/migrations/20240202_tags/migration.sql",
             "db/migrations/v1/001_schema.sql", "db/schema.sql", "lib/versions/notes.py", "migration.sql"]
    assert migrations(paths) == [  # by folder
        MigrationSet(tool="Alembic", path="alembic/versions", count=2),
        MigrationSet(tool="SQL", path="db/migrations/v1", count=1),
        MigrationSet(tool="Prisma", path="prisma/migrations", count=2),
        MigrationSet(tool="Django", path="shop/migrations", count=2),
        MigrationSet(tool="Alembic", path="versions", count=1),
    ]
