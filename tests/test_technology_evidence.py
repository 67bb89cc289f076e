# A technology is named only with runtime evidence: precision tests for the wrong claims real apps used to get.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis.codebase import is_application_code, is_test_file
from tests.fakes import arch_repos as fx


def technologies(tmp_path: Path, files: dict[str, str]) -> dict[str, tuple[str, set[str]]]:
    arch = fx.analysed(fx.make(tmp_path / "r", files).root)[1]
    return {t.name: (t.layer, {e.path for e in t.evidence}) for t in arch.technologies}


def test_an_indirect_go_requirement_is_not_the_database(tmp_path: Path) -> None:
    found = technologies(tmp_path, {
        "go.mod": "module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n"
                  "\tgithub.com/lib/pq v1.10.9 // indirect\n\tgorm.io/gorm v1.25.0\n)\n",
        "main.go": "package main\n"})
    assert "PostgreSQL" not in found
    assert found["Gin"][0] == "backend" and found["GORM"][0] == "backend"  # GORM is named


def test_a_dev_only_driver_is_not_the_database_but_a_dev_test_tool_is_listed(tmp_path: Path) -> None:
    found = technologies(tmp_path, {
        "package.json": '{"dependencies": {"@nestjs/core": "10", "pg": "8"}, '
                        '"devDependencies": {"sqlite3": "5", "jest": "29", "typescript": "5", "eslint": "8"}}'})
    assert "SQLite" not in found and found["PostgreSQL"][0] == "database"
    assert found["Jest"][0] == "test" and found["ESLint"][0] == "lint"


def test_a_backend_only_typescript_app_has_no_frontend(tmp_path: Path) -> None:
    found = technologies(tmp_path, {
        "package.json": '{"dependencies": {"@nestjs/core": "10"}, "devDependencies": {"typescript": "5", '
                        '"tailwindcss": "3"}}', "tsconfig.json": "{}"})
    assert not [name for name, (layer, _) in found.items() if layer == "frontend"]
    assert "TypeScript" not in found or found["TypeScript"][0] == "language"


def test_a_frontend_is_listed_when_there_is_one(tmp_path: Path) -> None:
    found = technologies(tmp_path, {"web/package.json": '{"dependencies": {"react": "18"}, '
                                                         '"devDependencies": {"vite": "5", "tailwindcss": "3"}}'})
    assert {n for n, (layer, _) in found.items() if layer == "frontend"} == {"React", "Vite", "Tailwind CSS"}
    plain = technologies(tmp_path / "2", {"package.json": '{"devDependencies": {"vite": "5"}}',
                                          "index.html": "<script type=module src=/main.js></script>"})
    assert plain["Vite"][0] == "frontend"  # an HTML page served to browsers is a frontend


def test_sample_apps_and_test_fixtures_are_not_this_repository(tmp_path: Path) -> None:
    found = technologies(tmp_path, {
        "pyproject.toml": '[project]\nname = "tool"\ndependencies = ["click"]\n',
        "tests/fixtures/apps/rails/Gemfile": "gem 'rails'\ngem 'pg'\n",
        "examples/spring/pom.xml": "<project><dependencies><dependency><groupId>org.springframework.boot</groupId>"
                                   "<artifactId>spring-boot-starter-web</artifactId></dependency></dependencies>"
                                   "</project>",
        "tests/fixtures/apps/compose.yml": "services:\n  db:\n    image: postgres:16\n"})
    assert not {"Rails", "PostgreSQL", "Spring Boot"} & set(found)


def test_an_orm_used_only_in_migrations_is_not_what_the_app_runs_on(tmp_path: Path) -> None:
    found = technologies(tmp_path, {
        "pyproject.toml": '[project]\nname = "api"\ndependencies = ["fastapi", "asyncpg", "aiosql", "alembic"]\n',
        "app/main.py": "import aiosql\nimport asyncpg\nfrom fastapi import FastAPI\napp = FastAPI()\n",
        "app/db/migrations/versions/0001_init.py": "import sqlalchemy as sa\nfrom alembic import op\n",
        "alembic.ini": "[alembic]\n"})
    assert "SQLAlchemy" not in found
    assert {"FastAPI", "aiosql", "PostgreSQL", "Alembic"} <= set(found)
    assert found["PostgreSQL"][1] >= {"pyproject.toml", "app/main.py"}


def test_connection_strings_name_the_database(tmp_path: Path) -> None:
    found = technologies(tmp_path, {
        "app/config.py": 'import os\nDATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///./app.db")\n',
        "docker-compose.yml": "services:\n  api:\n    environment:\n      REDIS_URL: redis://cache:6379/0\n"})
    assert found["SQLite"] == ("database", {"app/config.py"})
    assert found["Redis"] == ("cache", {"docker-compose.yml"})


@pytest.mark.parametrize(("path", "is_test"), [
    ("tests/test_app.py", True), ("app/test_utils.py", True), ("pkg/handler_test.go", True),
    ("spec/models/user_spec.rb", True), ("test/models/user_test.rb", True),
    ("src/test/java/com/acme/ArticleControllerTest.java", True), ("src/main/java/com/acme/Article.java", False),
    ("App.Tests/ArticlesTests.cs", True), ("Conduit.IntegrationTests/Setup.cs", True), ("src/Conduit/Article.cs", False),
    ("tests/Feature/ArticleTest.php", True), ("app/Models/Article.php", False), ("web/src/__tests__/a.tsx", True),
    ("web/src/app.spec.ts", True), ("web/src/app.test.jsx", True), ("web/src/contest.ts", False),
    ("docs/testing.md", False), ("src/latest.py", False),
])
def test_test_files_follow_each_languages_conventions(path: str, is_test: bool) -> None:
    assert is_test_file(path) is is_test


def test_application_code_leaves_out_tests_migrations_and_samples() -> None:
    assert is_application_code("app/models.py")
    assert not is_application_code("app/migrations/0001_initial.py")
    assert not is_application_code("db/migrate/20240101_create_users.rb")
    assert not is_application_code("examples/demo/app.py")
    assert not is_application_code("tests/conftest.py")
