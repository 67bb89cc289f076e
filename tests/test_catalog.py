# The one technology catalog: well-formed data, one line per technology, and the lookups every consumer uses.
from __future__ import annotations

from importlib import resources

import pytest

from autodevhub_docs.analysis import catalog
from autodevhub_docs.model import Dependency

SHOWN_OR_KNOWN = {*catalog.SHOWN_LAYERS, "library", "tooling", "language"}


def test_every_technology_is_one_well_formed_line() -> None:
    text = resources.files("autodevhub_docs.analysis").joinpath("catalog.toml").read_text(encoding="utf-8")
    rows = [line for line in text.split("\n") if line and not line.startswith(("#", "["))]
    assert len(rows) == len(catalog.technologies())  # adding a technology is one line in one place
    allowed = {"layer", "role", "import", "image", "url", "file", "ambiguous", "implies", *catalog.ECOSYSTEM_KEYS}
    for tech in catalog.technologies():
        assert tech.layer in SHOWN_OR_KNOWN, tech
        assert tech.role, tech
        assert all(catalog.technology(name) is not None for name in tech.implies), tech
    data = catalog._load()
    assert set(data.techs) == {t.name for t in catalog.technologies()}
    import tomllib

    for name, row in tomllib.loads(text)["technologies"].items():
        assert set(row) <= allowed, name


@pytest.mark.parametrize(("ecosystem", "name", "expected"), [
    ("pypi", "FastAPI", "FastAPI"), ("pypi", "Flask_SQLAlchemy", "Flask-SQLAlchemy"), ("pypi", "pytest-cov", "pytest"),
    ("pypi", "GitPython", None), ("npm", "@nestjs/core", "NestJS"), ("npm", "@langchain/openai", "LangChain"),
    ("go", "github.com/labstack/echo/v4", "Echo"), ("go", "gorm.io/gorm", "GORM"), ("rubygems", "rails", "Rails"),
    ("maven", "org.hibernate.orm:hibernate-core", "JPA/Hibernate"), ("maven", "org.mybatis.spring.boot:x", "MyBatis"),
    ("composer", "laravel/framework", "Laravel"), ("nuget", "Microsoft.EntityFrameworkCore.Sqlite", "SQLite"),
    ("nuget", "Microsoft.AspNetCore.OpenApi", "ASP.NET Core"), ("cargo", "axum", "Axum"),
    ("gradle-plugin", "org.springframework.boot", "Spring Boot"),
])
def test_packages_of_every_ecosystem(ecosystem: str, name: str, expected: str | None) -> None:
    tech = catalog.technology_of_dependency(Dependency(ecosystem=ecosystem, name=name, spec="", scope="runtime",
                                                       path="m", line=1))
    assert (tech.name if tech else None) == expected


@pytest.mark.parametrize(("image", "name", "expected"), [
    ("postgres:16-alpine", "postgres", "PostgreSQL"), ("docker.io/library/postgres:16", "postgres", "PostgreSQL"),
    ("docker.io/bitnami/postgresql:16", "bitnami/postgresql", "PostgreSQL"),
    ("mcr.microsoft.com/mssql/server:2022-latest", "mssql/server", "SQL Server"),
    ("localhost:5000/team/api@sha256:abc", "team/api", None), ("traefik:v3.0", "traefik", "Traefik"),
    ("ghcr.io/acme/redis", "acme/redis", "Redis"),
])
def test_images(image: str, name: str, expected: str | None) -> None:
    assert catalog.image_name(image) == name
    tech = catalog.technology_of_image(image)
    assert (tech.name if tech else None) == expected


def test_schemes_files_and_imports() -> None:
    assert catalog.technology_of_scheme("postgresql+asyncpg").name == "PostgreSQL"  # type: ignore[union-attr]
    assert catalog.technology_of_scheme("jdbc:sqlite").name == "SQLite"  # type: ignore[union-attr]
    assert catalog.technology_of_scheme("https") is None
    assert [t.name for t in catalog.technologies_of_file(".github/workflows/ci.yml")] == ["GitHub Actions"]
    assert [t.name for t in catalog.technologies_of_file("web/yarn.lock")] == ["Yarn"]
    assert catalog.technology_of_import("flask_sqlalchemy").name == "Flask-SQLAlchemy"  # type: ignore[union-attr]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Replace requests with httpx", ["requests", "HTTPX"]),
    ("Removed flake8 exclusion", ["Flake8"]),
    ("black magic in the parser", []),  # an ordinary word alone is not a technology
    ("Switch from Black to YAPF", ["Black", "YAPF"]),
    ("Switch from Black to Ruff format", ["Ruff"]),  # Black is a formatter, Ruff a linter: Black stays a word
    ("Move to PostgreSQL", ["PostgreSQL"]),
    ("Migrate from python-jose to PyJWT", ["PyJWT", "python-jose"]),
])
def test_sentences_name_technologies(sentence: str, expected: list[str]) -> None:
    assert catalog.names(catalog.technologies_named_in(sentence)) == expected
