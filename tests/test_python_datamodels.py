# Python data models from the fixture apps: the exact entities (with their ORM label and columns) and the exact
# relations (cardinality, both ends, join table) of a Flask-SQLAlchemy app, of a FastAPI app whose schema lives only
# in Alembic migrations, and of a Django app; plus the wrong claims each used to make, which must not come back.
from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes import arch_repos as fx
from tests.test_python_endpoints import analysed_app


@pytest.fixture(scope="module")
def flask_app(tmp_path_factory: pytest.TempPathFactory):
    return analysed_app("flask_sqlalchemy", tmp_path_factory.mktemp("apps"))


@pytest.fixture(scope="module")
def alembic_app(tmp_path_factory: pytest.TempPathFactory):
    return analysed_app("fastapi_alembic", tmp_path_factory.mktemp("apps"))


@pytest.fixture(scope="module")
def django_app(tmp_path_factory: pytest.TempPathFactory):
    return analysed_app("django_drf", tmp_path_factory.mktemp("apps"))


def _entities(arch) -> dict[str, tuple[str, str]]:
    return {e.name: (e.table, e.orm) for e in arch.entities}


def _fields(arch, name: str) -> list[tuple[str, str | None, str | None]]:
    entity = next(e for e in arch.entities if e.name == name)
    return [(f.name, f.key, f.references) for f in entity.fields]


def _relations(arch) -> set[tuple[str, str, str, str, str, str | None]]:
    return {(r.left, r.cardinality, r.right, r.label, r.right_label, r.through) for r in arch.relations}


def test_flask_sqlalchemy_entities_are_labelled_flask_sqlalchemy(flask_app) -> None:
    assert _entities(flask_app) == {
        "User": ("users", "Flask-SQLAlchemy"), "UserProfile": ("userprofile", "Flask-SQLAlchemy"),
        "Article": ("article", "Flask-SQLAlchemy"), "Comment": ("comment", "Flask-SQLAlchemy"),
        "Tags": ("tags", "Flask-SQLAlchemy"),  # Flask-SQLAlchemy names the table after the class
        "followers_assoc": ("followers_assoc", "Flask-SQLAlchemy"),
        "favoritor_assoc": ("favoritor_assoc", "Flask-SQLAlchemy"), "tag_assoc": ("tag_assoc", "Flask-SQLAlchemy"),
    }
    assert "Django ORM" not in {e.orm for e in flask_app.entities}
    assert "Scratch" not in _entities(flask_app)  # a model under tests/ is not the app's


def test_columns_from_mixins_and_helpers_but_not_plain_attributes(flask_app) -> None:
    assert _fields(flask_app, "User") == [
        ("id", "PK", None), ("username", "UK", None), ("email", "UK", None), ("password", None, None),
        ("created_at", None, None), ("bio", None, None), ("image", None, None)]  # `token: str = ""` is no column
    # reference_col("userprofile") is read from the helper's body: Column(db.ForeignKey("{0}.{1}".format(...)))
    assert _fields(flask_app, "Comment") == [
        ("id", "PK", None), ("body", None, None), ("created_at", None, None), ("author_id", "FK", "userprofile.id"),
        ("article_id", "FK", "article.id")]
    user_id = next(f for f in next(e for e in flask_app.entities if e.name == "UserProfile").fields
                   if f.name == "user_id")
    assert (user_id.unique, user_id.nullable) == (True, False)  # keyword arguments passed through **kwargs


def test_flask_sqlalchemy_relations_have_direction_cardinality_and_both_ends(flask_app) -> None:
    assert _relations(flask_app) == {
        ("UserProfile", "one-to-one", "User", "user_id", "profile", None),  # unique FK, backref(uselist=False)
        ("UserProfile", "many-to-many", "UserProfile", "follows", "followed_by", "followers_assoc"),
        ("Comment", "many-to-one", "UserProfile", "author_id", "comments", None),
        ("Comment", "many-to-one", "Article", "article_id", "comments", None),  # Article.comments names this end
        ("Article", "many-to-one", "UserProfile", "author_id", "articles", None),
        ("Article", "many-to-many", "UserProfile", "favoriters", "favorites", "favoritor_assoc"),
        ("Article", "many-to-many", "Tags", "tagList", "articles", "tag_assoc"),
        ("followers_assoc", "many-to-one", "UserProfile", "follower", "", None),
        ("followers_assoc", "many-to-one", "UserProfile", "followed_by", "", None),
        ("favoritor_assoc", "many-to-one", "UserProfile", "favoriter", "", None),
        ("favoritor_assoc", "many-to-one", "Article", "favorited_article", "", None),
        ("tag_assoc", "many-to-one", "Tags", "tag", "", None),
        ("tag_assoc", "many-to-one", "Article", "article", "", None),
    }
    assert not [r for r in flask_app.relations if (r.left, r.right) == ("Article", "Comment")]
    report = next(r for r in flask_app.framework_reports if r.kind == "entities")
    assert (report.framework, report.found) == ("Flask-SQLAlchemy", 8)


def test_alembic_migrations_are_the_schema_when_no_orm_model_exists(alembic_app) -> None:
    assert _entities(alembic_app) == {name: (name, "Alembic migration") for name in (
        "users", "followers_to_followings", "articles", "tags", "articles_to_tags", "favorites", "commentaries")}
    # `sessions` was created by the first revision and dropped by the second, whose file name sorts first
    assert _fields(alembic_app, "articles") == [
        ("id", "PK", None), ("slug", "UK", None), ("title", None, None), ("description", None, None),
        ("body", None, None), ("author_id", "FK", "users.id"), ("created_at", None, None),
        ("updated_at", None, None), ("cover", None, None)]  # *timestamps(), then batch_op.add_column
    assert _fields(alembic_app, "commentaries")[2:4] == [("author_id", "FK", "users.id"),  # op.create_foreign_key
                                                         ("article_id", "FK", "articles.id")]  # ForeignKeyConstraint
    assert _fields(alembic_app, "favorites") == [("user_id", "PK", "users.id"), ("article_id", "PK", "articles.id")]


def test_alembic_relations_with_join_tables(alembic_app) -> None:
    assert _relations(alembic_app) == {
        ("followers_to_followings", "many-to-one", "users", "follower_id", "", None),
        ("followers_to_followings", "many-to-one", "users", "following_id", "", None),
        ("users", "many-to-many", "users", "followers_to_followings", "", "followers_to_followings"),
        ("articles", "many-to-one", "users", "author_id", "", None),
        ("articles_to_tags", "many-to-one", "articles", "article_id", "", None),
        ("articles_to_tags", "many-to-one", "tags", "tag", "", None),
        ("articles", "many-to-many", "tags", "articles_to_tags", "", "articles_to_tags"),
        ("favorites", "many-to-one", "users", "user_id", "", None),
        ("favorites", "many-to-one", "articles", "article_id", "", None),
        ("users", "many-to-many", "articles", "favorites", "", "favorites"),
        ("commentaries", "many-to-one", "users", "author_id", "", None),
        ("commentaries", "many-to-one", "articles", "article_id", "", None),
    }


def test_an_orm_used_only_in_migrations_is_not_reported(alembic_app) -> None:
    reports = {r.framework: r for r in alembic_app.framework_reports if r.kind == "entities"}
    assert set(reports) == {"Alembic"}  # sqlalchemy is imported by migrations only: no SQLAlchemy adapter ran
    assert reports["Alembic"].found == 7


def test_django_models_fields_and_inherited_columns(django_app) -> None:
    assert _entities(django_app) == {
        "User": ("authentication_user", "Django ORM"), "Profile": ("profiles_profile", "Django ORM"),
        "Article": ("articles_article", "Django ORM"), "Comment": ("articles_comment", "Django ORM"),
        "Tag": ("articles_tag", "Django ORM"), "Tagging": ("articles_tagging", "Django ORM"),
    }  # TimestampedModel is abstract
    assert _fields(django_app, "User") == [
        ("id", "PK", None), ("password", None, None), ("last_login", None, None),  # AbstractBaseUser
        ("is_superuser", None, None),  # PermissionsMixin
        ("created_at", None, None), ("updated_at", None, None),  # the repository's abstract TimestampedModel
        ("username", "UK", None), ("email", "UK", None), ("is_active", None, None), ("is_staff", None, None)]
    assert next(e for e in django_app.entities if e.name == "User").fields[0].type == "BigAutoField"
    assert _fields(django_app, "Profile")[3] == ("user", "FK", "User")  # settings.AUTH_USER_MODEL


def test_django_relations_with_reverse_names_and_join_tables(django_app) -> None:
    assert _relations(django_app) == {
        ("Profile", "one-to-one", "User", "user", "profile", None),
        ("Profile", "many-to-many", "Profile", "follows", "followed_by", "profiles_profile_follows"),
        ("Profile", "many-to-many", "Article", "favorites", "favorited_by", "profiles_profile_favorites"),
        ("Article", "many-to-one", "Profile", "author", "articles", None),
        ("Article", "many-to-many", "Tag", "tags", "articles", "Tagging"),  # through= model
        ("Comment", "many-to-one", "Article", "article", "comments", None),
        ("Comment", "many-to-one", "Profile", "author", "comments", None),
        ("Tagging", "many-to-one", "Article", "article", "tagging_set", None),
        ("Tagging", "many-to-one", "Tag", "tag", "tagging_set", None),
    }


def test_sqlalchemy_2_mapped_style_self_reference_and_joined_inheritance(tmp_path: Path) -> None:
    repo = fx.make(tmp_path / "orm2", {
        "app/__init__.py": "",
        "app/base.py": "from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n",
        "app/models.py": (
            "from sqlalchemy import ForeignKey, String\n"
            "from sqlalchemy.orm import Mapped, mapped_column, relationship\n\n"
            "from app.base import Base\n\n\n"
            "class Node(Base):\n"
            "    __tablename__ = 'nodes'\n"
            "    id: Mapped[int] = mapped_column(primary_key=True)\n"
            "    parent_id: Mapped[int | None] = mapped_column(ForeignKey('nodes.id'))\n"
            "    parent: Mapped['Node | None'] = relationship(back_populates='children', remote_side=[id])\n"
            "    children: Mapped[list['Node']] = relationship(back_populates='parent')\n"
            "    cache_key: str = ''\n\n\n"
            "class Document(Node):\n"
            "    __tablename__ = 'documents'\n"
            "    id: Mapped[int] = mapped_column(ForeignKey('nodes.id'), primary_key=True)\n"
            "    title: Mapped[str] = mapped_column(String(80))\n\n\n"
            "class Folder(Node):\n"
            "    color: Mapped[str | None]\n"),
    })
    arch = fx.analysed(repo.root)[1]
    assert {e.name: [(f.name, f.type, f.key) for f in e.fields] for e in arch.entities} == {
        "Node": [("id", "int", "PK"), ("parent_id", "int", "FK")],  # `cache_key: str` is not Mapped
        "Document": [("id", "int", "PK"), ("title", "String", None)],  # joined inheritance: its own table
    }  # Folder has no table of its own (single-table inheritance on nodes)
    assert _relations(arch) == {
        ("Node", "many-to-one", "Node", "parent_id", "children", None),
        ("Document", "one-to-one", "Node", "id", "", None),
    }
    assert {e.orm for e in arch.entities} == {"SQLAlchemy"}


def test_django_multi_table_inheritance_and_symmetrical_self_relations(tmp_path: Path) -> None:
    repo = fx.make(tmp_path / "shop", {
        "shop/__init__.py": "",
        "shop/models.py": ("from django.db import models\n\n\nclass Place(models.Model):\n"
                           "    name = models.CharField(max_length=50)\n"
                           "    neighbours = models.ManyToManyField('self')\n\n\n"
                           "class Restaurant(Place):\n    serves_pizza = models.BooleanField(default=False)\n\n\n"
                           "class Menu(models.Model):\n    code = models.CharField(primary_key=True, max_length=8)\n"
                           "    restaurant = models.ForeignKey(Restaurant, on_delete=models.CASCADE, "
                           "related_name='+')\n\n    class Meta:\n        db_table = 'menus'\n"),
        "shop/migrations/0001_initial.py": "from django.db import migrations, models\n",
    })
    arch = fx.analysed(repo.root)[1]
    assert {e.name: (e.table, [(f.name, f.type, f.key) for f in e.fields]) for e in arch.entities} == {
        "Place": ("shop_place", [("id", "AutoField", "PK"), ("name", "CharField", None)]),
        "Restaurant": ("shop_restaurant", [("place_ptr", "OneToOneField", "PK"),
                                           ("serves_pizza", "BooleanField", None)]),
        "Menu": ("menus", [("code", "CharField", "PK"), ("restaurant", "ForeignKey", "FK")]),
    }
    assert _relations(arch) == {
        ("Place", "many-to-many", "Place", "neighbours", "", "shop_place_neighbours"),  # symmetrical: one name
        ("Restaurant", "one-to-one", "Place", "place_ptr", "restaurant", None),
        ("Menu", "many-to-one", "Restaurant", "restaurant", "", None),  # related_name='+': no reverse accessor
    }


def test_technologies_name_the_orm_the_app_runs_on(flask_app, alembic_app, django_app) -> None:
    def names(arch) -> set[str]:
        return {t.name for t in arch.technologies}

    assert {"Flask", "Flask-SQLAlchemy"} <= names(flask_app) and "Django ORM" not in names(flask_app)
    # the FastAPI app runs on asyncpg and aiosql; SQLAlchemy is imported by its migrations only
    assert {"FastAPI", "aiosql", "PostgreSQL", "Alembic"} <= names(alembic_app)
    assert "SQLAlchemy" not in names(alembic_app)
    assert {"Django", "Django REST framework", "Django ORM"} <= names(django_app)
