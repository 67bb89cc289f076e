# Gin with GORM: a realworld-like API whose groups are made in one package and filled by registration functions
# in others, read through the real analysis; its GORM models (gorm.Model, tags, many2many with a self relation,
# has one, belongs to / has many on one foreign key, TableName, AutoMigrate) and the database it opens.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis.datamodel.gorm import Gorm
from autodevhub_docs.analysis.datamodel.gorm_naming import db_name, gorm_settings, plural, struct_tag, table_name
from autodevhub_docs.analysis.endpoints.go_routes import ADAPTERS
from autodevhub_docs.model import SourceRef
from tests.stack_apps import analysed, app_files, pairs, repository, run_adapter

GIN = next(a for a in ADAPTERS if a.name == "Gin")


@pytest.fixture(scope="module")
def realworld(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return repository(tmp_path_factory.mktemp("gin") / "conduit", app_files("gin_realworld"))


@pytest.fixture(scope="module")
def realworld_arch(realworld: Path):
    return analysed(realworld)


REALWORLD_ENDPOINTS = {
    ("POST", "/api/users"), ("POST", "/api/users/login"),
    ("GET", "/api/user"), ("PUT", "/api/user"),
    ("GET", "/api/profiles/{username}"), ("POST", "/api/profiles/{username}/follow"),
    ("DELETE", "/api/profiles/{username}/follow"),
    ("GET", "/api/articles"), ("POST", "/api/articles"), ("GET", "/api/articles/feed"),
    ("GET", "/api/articles/{slug}"), ("PUT", "/api/articles/{slug}"), ("DELETE", "/api/articles/{slug}"),
    ("POST", "/api/articles/{slug}/favorite"), ("DELETE", "/api/articles/{slug}/favorite"),
    ("GET", "/api/articles/{slug}/comments"), ("POST", "/api/articles/{slug}/comments"),
    ("DELETE", "/api/articles/{slug}/comments/{id}"),
    ("GET", "/api/tags"),
    ("ANY", "/api/ping"), ("GET", "/healthz"), ("GET", "/readyz"),
}


def test_realworld_lists_every_route_with_the_prefixes_of_groups_made_in_other_packages(realworld_arch) -> None:
    assert pairs(realworld_arch, "Gin") == REALWORLD_ENDPOINTS
    assert {e.framework for e in realworld_arch.endpoints} == {"Gin"}


def test_realworld_handlers_and_lines_are_the_registration_calls(realworld_arch) -> None:
    by_route = {(e.method, e.path): e for e in realworld_arch.endpoints}
    feed = by_route[("GET", "/api/articles/feed")]
    assert (feed.handler, feed.source) == ("ArticleFeed", SourceRef(path="articles/routers.go", line=7))
    delete = by_route[("DELETE", "/api/articles/{slug}/comments/{id}")]
    assert (delete.handler, delete.source) == ("ArticleCommentDelete", SourceRef(path="articles/routers.go", line=15))
    # A method of a value returned by a constructor in another package: `health.NewHandler(db).Register(r)`.
    assert by_route[("GET", "/readyz")].handler == "h.Ready"
    assert by_route[("ANY", "/api/ping")].handler == "anonymous function"


def test_routes_declared_only_in_test_files_are_left_out(realworld_arch) -> None:
    assert all("only-in-tests" not in e.path for e in realworld_arch.endpoints)
    assert not [p for r in realworld_arch.framework_reports for p in r.files_read if p.endswith("_test.go")]


def test_evidence_is_the_dependency_and_the_imports(realworld: Path) -> None:
    found = run_adapter(GIN, realworld)
    assert found is not None
    assert found.evidence[0] == SourceRef(path="go.mod", line=6)
    assert SourceRef(path="internal/server/server.go", line=6) in found.evidence


REALWORLD_ENTITIES = {
    ("User", "users"), ("Settings", "user_settings"), ("AuditEvent", "audit_events"),
    ("Article", "articles"), ("Tag", "tags"), ("Comment", "article_comments"),
}
REALWORLD_RELATIONS = {
    ("User", "User", "many-to-many", "Follows", "", "follows", False),
    ("Settings", "User", "one-to-one", "user_id", "Settings", None, False),
    ("Article", "User", "many-to-one", "Author", "", None, False),
    ("Article", "Tag", "many-to-many", "Tags", "Articles", "article_tags", False),
    ("Comment", "Article", "many-to-one", "Article", "Comments", None, False),
    ("Article", "User", "many-to-many", "FavoritedBy", "", "favorites", False),
    ("Comment", "User", "many-to-one", "Author", "", None, False),
    ("AuditEvent", "User", "many-to-one", "user_id", "", None, True),
}


def test_gorm_models_are_the_structs_gorm_maps_and_nothing_else(realworld_arch) -> None:
    assert {(e.name, e.table) for e in realworld_arch.entities} == REALWORLD_ENTITIES
    assert {e.orm for e in realworld_arch.entities} == {"GORM"}


def test_gorm_relations_have_cardinality_both_ends_and_join_tables(realworld_arch) -> None:
    found = {(r.left, r.right, r.cardinality, r.label, r.right_label, r.through, r.inferred)
             for r in realworld_arch.relations}
    assert found == REALWORLD_RELATIONS


def test_gorm_columns_follow_the_naming_strategy_and_tags(realworld_arch) -> None:
    entities = {e.name: e for e in realworld_arch.entities}
    article = {f.name: (f.type, f.key, f.references, f.nullable) for f in entities["Article"].fields}
    assert article == {
        "id": ("uint", "PK", None, False), "created_at": ("time.Time", None, None, None),
        "updated_at": ("time.Time", None, None, None), "deleted_at": ("gorm.DeletedAt", None, None, True),
        "slug": ("string", "UK", None, None), "title": ("string", None, None, None),
        "description": ("string", None, None, None), "body": ("string", None, None, None),
        "author_id": ("uint", "FK", "users.id", None),
    }
    user = {f.name: (f.type, f.key, f.nullable) for f in entities["User"].fields}
    assert user == {"id": ("uint", "PK", False), "username": ("string", "UK", None), "email": ("string", "UK", False),
                    "bio": ("string", None, None), "image": ("*string", None, True),
                    "password": ("string", None, False), "created_at": ("time.Time", None, None)}
    comment = {f.name: f.references for f in entities["Comment"].fields if f.key == "FK"}
    assert comment == {"article_id": "articles.id", "author_id": "users.id"}


def test_the_database_is_the_one_the_code_opens_not_an_indirect_driver(realworld: Path) -> None:
    found = run_adapter(Gorm(), realworld)
    assert found is not None
    assert found.technologies == (("SQLite", SourceRef(path="common/database.go", line=12)),)
    assert found.evidence[0] == SourceRef(path="go.mod", line=9)
    gin = run_adapter(GIN, realworld)
    assert gin is not None and "PostgreSQL" not in {name for name, _ in gin.technologies}


def test_the_architecture_names_gin_gorm_and_sqlite_and_not_the_indirect_postgres_driver(realworld_arch) -> None:
    assert {t.name for t in realworld_arch.technologies} == {"Gin", "GORM", "SQLite"}
    sqlite = next(t for t in realworld_arch.technologies if t.name == "SQLite")
    assert SourceRef(path="common/database.go", line=12) in sqlite.evidence


def test_mixins_query_results_and_self_references(tmp_path: Path) -> None:
    root = repository(tmp_path / "app", {
        "go.mod": "module example.com/hr\n\ngo 1.22\n\nrequire gorm.io/gorm v1.25.5\n",
        "models.go": (
            'package models\n\nimport (\n\t"time"\n\n\t"gorm.io/gorm"\n)\n\n'
            "type Base struct {\n\tID        string `gorm:\"type:uuid;primaryKey\"`\n\tCreatedAt time.Time\n}\n\n"
            "type Employee struct {\n\tBase\n\tName      string\n\tManagerID *string\n\tManager   *Employee\n"
            "\tReports   []Employee `gorm:\"foreignKey:ManagerID\"`\n"
            "\tAddress   Address `gorm:\"embedded;embeddedPrefix:addr_\"`\n\tSecret    string `gorm:\"-\"`\n}\n\n"
            "type Address struct {\n\tStreet string\n\tCity   string\n}\n\n"
            "type Team struct {\n\tgorm.Model\n\tName    string `gorm:\"uniqueIndex:idx_team_org\"`\n"
            "\tOrgName string `gorm:\"uniqueIndex:idx_team_org\"`\n\tMembers []*Employee `gorm:\"many2many:team_members\"`\n}\n\n"
            "type EmployeeRow struct {\n\tEmployee\n\tTeamCount int\n}\n\n"
            "func Open(dsn string) *gorm.DB {\n\tdb, _ := gorm.Open(nil)\n\treturn db\n}\n"),
    })
    found = run_adapter(Gorm(), root)
    assert found is not None
    assert {(e.name, e.table) for e in found.entities} == {("Employee", "employees"), ("Team", "teams")}
    employee = {f.name: (f.type, f.key, f.references) for f in found.entities[0].fields}
    assert employee == {"id": ("string", "PK", None), "created_at": ("time.Time", None, None),
                        "name": ("string", None, None), "manager_id": ("*string", "FK", "employees.id"),
                        "addr_street": ("string", None, None), "addr_city": ("string", None, None)}
    team = {f.name: f.unique for f in found.entities[1].fields}
    assert team["name"] is False and team["org_name"] is False  # one composite unique index, not two
    assert {(r.left, r.right, r.cardinality, r.label, r.right_label, r.through) for r in found.relations} == {
        ("Employee", "Employee", "many-to-one", "Manager", "Reports", None),
        ("Team", "Employee", "many-to-many", "Members", "", "team_members"),
    }
    assert found.technologies == ()


@pytest.mark.parametrize(("driver", "call", "database"), [
    ("gorm.io/driver/postgres", "postgres.Open(dsn)", "PostgreSQL"),
    ("gorm.io/driver/mysql", "mysql.New(mysql.Config{DSN: dsn})", "MySQL"),
    ("github.com/glebarez/sqlite", "sqlite.Open(dsn)", "SQLite"),
])
def test_the_gorm_driver_opened_names_the_database(driver: str, call: str, database: str, tmp_path: Path) -> None:
    root = repository(tmp_path / "app", {
        "go.mod": f"module example.com/x\n\ngo 1.22\n\nrequire (\n\tgorm.io/gorm v1.25.5\n\t{driver} v1.5.0\n)\n",
        "db.go": (f'package main\n\nimport (\n\t"{driver}"\n\t"gorm.io/gorm"\n)\n\n'
                  f"func open(dsn string) (*gorm.DB, error) {{\n\treturn gorm.Open({call}, &gorm.Config{{}})\n}}\n"),
    })
    found = run_adapter(Gorm(), root)
    assert found is not None
    assert found.technologies == ((database, SourceRef(path="db.go", line=9)),)


def test_gorm_dependency_without_models_is_reported_with_what_was_read(tmp_path: Path) -> None:
    root = repository(tmp_path / "app", {
        "go.mod": "module example.com/x\n\ngo 1.22\n\nrequire gorm.io/gorm v1.25.5\n",
        "main.go": "package main\n\nfunc main() {}\n",
    })
    found = run_adapter(Gorm(), root)
    assert found is not None
    assert (found.entities, found.files_read, found.evidence) == ((), ("main.go",), (SourceRef(path="go.mod", line=5),))


def test_no_gorm_no_adapter_result(tmp_path: Path) -> None:
    root = repository(tmp_path / "app", {"go.mod": "module example.com/x\n\ngo 1.22\n",
                                         "main.go": "package main\n\ntype User struct {\n\tID uint\n}\n"})
    assert run_adapter(Gorm(), root) is None


@pytest.mark.parametrize(("name", "column", "table"), [
    ("User", "user", "users"), ("UserID", "user_id", "user_ids"), ("APIKey", "api_key", "api_keys"),
    ("CreatedAt", "created_at", "created_ats"), ("ArticleTag", "article_tag", "article_tags"),
    ("Category", "category", "categories"), ("Person", "person", "people"), ("Status", "status", "statuses"),
    ("UserSettings", "user_settings", "user_settings"), ("HTTPServer", "http_server", "http_servers"),
    ("Box", "box", "boxes"), ("Quiz", "quiz", "quizzes"), ("Wolf", "wolf", "wolves"), ("Knife", "knife", "knives"), ("Fish", "fish", "fish"),
])
def test_gorm_naming_strategy(name: str, column: str, table: str) -> None:
    assert (db_name(name), table_name(name)) == (column, table)
    assert plural(db_name(name)) == table


def test_struct_tags_are_read_like_reflect_and_gorm() -> None:
    tag = 'json:"user_name,omitempty" gorm:"column:user_name;not null;many2many:article_tags;"'
    assert struct_tag(tag, "json") == "user_name,omitempty"
    assert gorm_settings(tag) == {"COLUMN": "user_name", "NOT NULL": "", "MANY2MANY": "article_tags"}
    assert gorm_settings('json:"x"') == {}
