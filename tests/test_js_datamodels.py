# JS/TS data models read from the fixture apps with the real analysis: Prisma (implicit and named many-to-many,
# self relations, one-to-one, the datasource provider), TypeORM (owning sides, join tables, inherited columns),
# Sequelize (define and Model.init, associations paired from both ends) and Mongoose (refs, arrays of refs).
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis.datamodel.mongoose import ADAPTERS as MONGOOSE
from autodevhub_docs.analysis.datamodel.prisma import ADAPTERS as PRISMA
from autodevhub_docs.analysis.datamodel.sequelize import ADAPTERS as SEQUELIZE
from autodevhub_docs.analysis.datamodel.typeorm import ADAPTERS as TYPEORM
from autodevhub_docs.model import SourceRef
from tests.fixture_apps import analysed, app_files, codebase


def _entities(entities) -> dict[str, tuple[str, tuple[tuple[str, str, str | None], ...]]]:
    return {e.name: (e.table, tuple((f.name, f.type, f.key) for f in e.fields)) for e in entities}


def _relations(relations) -> set[tuple[str, str, str, str, str, str | None]]:
    return {(r.left, r.cardinality, r.right, r.label, r.right_label, r.through) for r in relations}


def _found(adapters, root: Path, app: str):
    found = adapters[0].run(codebase(root, app_files(app)))
    assert found is not None
    return found


@pytest.fixture(scope="module")
def conduit(tmp_path_factory: pytest.TempPathFactory):
    return analysed(tmp_path_factory.mktemp("r") / "conduit", app_files("express-prisma"))


def test_prisma_entities_keys_and_table_names(conduit) -> None:
    assert _entities(conduit.entities) == {
        "User": ("users", (("id", "Int", "PK"), ("email", "String", "UK"), ("username", "String", "UK"),
                           ("password", "String", None), ("image", "String", None), ("bio", "String", None),
                           ("role", "Role", None), ("demo", "Boolean", None))),
        "Article": ("Article", (("id", "Int", "PK"), ("slug", "String", "UK"), ("title", "String", None),
                                ("description", "String", None), ("body", "String", None),
                                ("createdAt", "DateTime", None), ("updatedAt", "DateTime", None),
                                ("authorId", "Int", "FK"))),
        "Comment": ("Comment", (("id", "Int", "PK"), ("createdAt", "DateTime", None), ("body", "String", None),
                                ("articleId", "Int", "FK"), ("authorId", "Int", "FK"))),
        "Tag": ("Tag", (("id", "Int", "PK"), ("name", "String", "UK"))),
        "Settings": ("Settings", (("userId", "Int", "PK"), ("theme", "String", None))),
    }
    user = next(e for e in conduit.entities if e.name == "User")
    assert next(f for f in user.fields if f.name == "bio").nullable is True
    assert user.source == SourceRef(path="prisma/schema.prisma", line=12)
    article = next(e for e in conduit.entities if e.name == "Article")
    assert next(f for f in article.fields if f.name == "authorId").references == "User.id"


def test_prisma_implicit_named_and_self_relations(conduit) -> None:
    assert _relations(conduit.relations) == {
        ("Article", "many-to-one", "User", "author", "articles", None),  # @relation("UserArticles", fields: ...)
        ("User", "many-to-many", "Article", "favorites", "favoritedBy", "_UserFavorites"),
        ("User", "many-to-many", "User", "followedBy", "following", "_UserFollows"),  # self, implicit
        ("Article", "many-to-many", "Tag", "tagList", "articles", "_ArticleToTag"),  # unnamed implicit m-n
        ("Comment", "many-to-one", "Article", "article", "comments", None),
        ("Comment", "many-to-one", "User", "author", "comments", None),
        ("Settings", "one-to-one", "User", "user", "settings", None),
    }
    follows = next(r for r in conduit.relations if r.label == "followedBy")
    assert follows.source == SourceRef(path="prisma/schema.prisma", line=22)


def test_prisma_datasource_is_technology_evidence(conduit) -> None:
    postgres = next(t for t in conduit.technologies if t.name == "PostgreSQL")
    assert SourceRef(path="prisma/schema.prisma", line=7) in postgres.evidence
    assert "Prisma" in {t.name for t in conduit.technologies}
    report = next(r for r in conduit.framework_reports if r.framework == "Prisma")
    assert (report.kind, report.found, report.files_read) == ("entities", 5, ("prisma/schema.prisma",))


def test_prisma_one_to_one_self_one_to_many_and_multi_file_schemas(tmp_path: Path) -> None:
    found = PRISMA[0].run(codebase(tmp_path / "r", {
        "prisma/schema/base.prisma": 'datasource db {\n  provider = "sqlite"\n  url = "file:dev.db"\n}\n',
        "prisma/schema/people.prisma": (
            "model Person {\n  id        String  @id @default(uuid())\n"
            '  managerId String?\n  manager   Person? @relation("Reports", fields: [managerId], references: [id])\n'
            '  reports   Person[] @relation("Reports")\n  passport  Passport?\n}\n'),
        "prisma/schema/passport.prisma": (
            "model Passport {\n  number   String @id\n  holder   Person @relation(fields: [holderId], references: [id])\n"
            "  holderId String @unique\n  @@map(\"passports\")\n}\n"),
    }))
    assert found is not None
    assert _entities(found.entities) == {
        "Person": ("Person", (("id", "String", "PK"), ("managerId", "String", "FK"))),
        "Passport": ("passports", (("number", "String", "PK"), ("holderId", "String", "FK"))),
    }
    assert _relations(found.relations) == {
        ("Person", "many-to-one", "Person", "manager", "reports", None),
        ("Passport", "one-to-one", "Person", "holder", "passport", None),
    }
    assert found.technologies == (("SQLite", SourceRef(path="prisma/schema/base.prisma", line=2)),)


def test_typeorm_owning_sides_join_tables_and_inherited_columns(tmp_path: Path) -> None:
    found = _found(TYPEORM, tmp_path / "r", "nest-typeorm")
    base = (("id", "number", "PK"), ("createdAt", "Date", None), ("updatedAt", "Date", None))
    assert _entities(found.entities) == {
        "UserEntity": ("user", (*base, ("username", "string", "UK"), ("email", "string", None),
                                ("bio", "string", None), ("image", "string", None), ("password", "string", None))),
        "ProfileEntity": ("profiles", (("id", "string", "PK"), ("about", "string", None))),
        "ArticleEntity": ("article", (*base, ("slug", "string", "UK"), ("title", "string", None),
                                      ("body", "string", None), ("tagList", "string[]", None))),
        "CommentEntity": ("comment_entity", (*base, ("body", "string", None))),  # the default naming strategy
        "TagEntity": ("tag", (("name", "string", "PK"), ("description", "string", None))),
    }
    assert _relations(found.relations) == {
        ("ArticleEntity", "many-to-one", "UserEntity", "author", "articles", None),
        ("CommentEntity", "many-to-one", "ArticleEntity", "article", "comments", None),
        ("CommentEntity", "many-to-one", "UserEntity", "author", "", None),
        ("UserEntity", "many-to-many", "ArticleEntity", "favorites", "favoritedBy", "user_favorites_article"),
        ("UserEntity", "many-to-many", "UserEntity", "following", "followers", "follows"),
        ("ArticleEntity", "many-to-many", "TagEntity", "tags", "articles", "article_tags"),
        ("UserEntity", "one-to-one", "ProfileEntity", "profile", "user", None),
    }
    assert found.technologies == (("PostgreSQL", SourceRef(path="src/app.module.ts", line=13)),)
    tag = next(e for e in found.entities if e.name == "TagEntity")
    assert next(f for f in tag.fields if f.name == "description").nullable is True


def test_sequelize_models_tables_and_associations(tmp_path: Path) -> None:
    found = _found(SEQUELIZE, tmp_path / "r", "sequelize")
    assert _entities(found.entities) == {
        "User": ("users", (("id", "INTEGER", "PK"), ("email", "STRING", "UK"), ("name", "STRING", None),
                           ("bio", "TEXT", None))),
        "Post": ("Posts", (("id", "UUID", "PK"), ("title", "STRING", None), ("body", "TEXT", None),
                           ("authorId", "INTEGER", "FK"))),
        "Tag": ("Tags", (("id", "INTEGER", "PK"), ("name", "STRING", "UK"))),
        "PostTag": ("post_tags", (("postId", "UUID", None), ("tagId", "INTEGER", None))),  # a join model
        "Profile": ("Profile", (("id", "INTEGER", "PK"), ("userId", "INTEGER", "FK"), ("website", "STRING", None))),
        "Group": ("Groups", (("id", "INTEGER", "PK"), ("title", "STRING", None))),
        "Category": ("Categories", (("id", "INTEGER", "PK"), ("label", "STRING", None))),
    }
    assert _relations(found.relations) == {
        ("Post", "many-to-one", "User", "author", "posts", None),  # hasMany + belongsTo
        ("Profile", "one-to-one", "User", "user", "profile", None),  # hasOne + belongsTo
        ("Group", "many-to-many", "User", "members", "groups", "user_groups"),
        ("User", "many-to-many", "User", "followers", "", "follows"),
        ("Post", "many-to-many", "Tag", "tags", "posts", "PostTag"),
    }
    profile = next(e for e in found.entities if e.name == "Profile")
    assert next(f for f in profile.fields if f.name == "userId").references == "users.id"
    assert found.technologies == (("PostgreSQL", SourceRef(path="models/index.js", line=7)),)


def test_mongoose_paths_refs_and_collections(tmp_path: Path) -> None:
    found = _found(MONGOOSE, tmp_path / "r", "mongoose")
    assert _entities(found.entities) == {
        "User": ("users", (("_id", "ObjectId", "PK"), ("username", "String", "UK"), ("email", "String", "UK"),
                           ("bio", "String", None), ("image", "String", None),
                           ("favourites", "ObjectId[]", "FK"), ("following", "ObjectId[]", "FK"))),
        "Article": ("articles", (("_id", "ObjectId", "PK"), ("slug", "String", "UK"), ("title", "String", None),
                                 ("body", "String", None), ("tagList", "String[]", None),
                                 ("favoritesCount", "Number", None), ("author", "ObjectId", "FK"),
                                 ("comments", "ObjectId[]", "FK"))),
        "Comment": ("article_comments", (("_id", "ObjectId", "PK"), ("body", "String", None),
                                         ("author", "ObjectId", "FK"), ("article", "ObjectId", "FK"))),
        "Session": ("sessions_v2", (("_id", "ObjectId", "PK"), ("user", "ObjectId", "FK"),
                                    ("device", "deviceSchema", None), ("expiresAt", "Date", None))),
    }
    assert _relations(found.relations) == {
        ("User", "many-to-many", "Article", "favourites", "", None),
        ("User", "many-to-many", "User", "following", "", None),
        ("Article", "many-to-one", "User", "author", "", None),
        ("Article", "many-to-many", "Comment", "comments", "", None),
        ("Comment", "many-to-one", "User", "author", "", None),
        ("Comment", "many-to-one", "Article", "article", "", None),
        ("Session", "one-to-one", "User", "user", "", None),  # a unique reference
    }
    user = next(e for e in found.entities if e.name == "User")
    assert next(f for f in user.fields if f.name == "email").nullable is False  # required: [true, msg]


@pytest.mark.parametrize(("adapters", "app"), [
    (TYPEORM, "express-prisma"), (SEQUELIZE, "mongoose"), (MONGOOSE, "sequelize"), (PRISMA, "hono"),
])
def test_an_absent_orm_finds_nothing(tmp_path: Path, adapters, app: str) -> None:
    assert adapters[0].run(codebase(tmp_path / "r", app_files(app))) is None


def test_the_analysis_shows_typeorm_entities_and_the_database_they_use(tmp_path: Path) -> None:
    arch = analysed(tmp_path / "nest", app_files("nest-typeorm"))
    assert {(e.name, e.orm) for e in arch.entities} == {
        ("UserEntity", "TypeORM"), ("ProfileEntity", "TypeORM"), ("ArticleEntity", "TypeORM"),
        ("CommentEntity", "TypeORM"), ("TagEntity", "TypeORM")}
    assert len(arch.relations) == 7
    technologies = {t.name: t.evidence for t in arch.technologies}
    assert SourceRef(path="src/app.module.ts", line=13) in technologies["PostgreSQL"]
    assert "Prisma" not in technologies and "Sequelize" not in technologies
