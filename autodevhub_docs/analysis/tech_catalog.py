# What decision mining knows about technologies: which package, image or file means which technology, and the
# category in which one choice replaces another (one HTTP client, one database, one CI system...).
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePosixPath


@dataclass(frozen=True)
class Category:
    """A slot in the architecture that normally holds one technology at a time."""

    name: str
    """Display name, e.g. `HTTP client`."""
    role: str
    """How a title names the role: `Use X {role}`."""


CATEGORIES = {c.name: c for c in (
    Category("HTTP client", "as the HTTP client"),
    Category("database", "as the database"),
    Category("cache", "as the cache"),
    Category("message broker", "as the message broker"),
    Category("web framework", "as the web framework"),
    Category("ORM", "as the ORM"),
    Category("task queue", "for background tasks"),
    Category("test runner", "as the test runner"),
    Category("linter", "as the linter"),
    Category("formatter", "as the code formatter"),
    Category("type checker", "as the type checker"),
    Category("frontend framework", "as the frontend framework"),
    Category("bundler", "as the bundler"),
    Category("Python package manager", "to manage Python dependencies"),
    Category("JavaScript package manager", "to manage JavaScript dependencies"),
    Category("CI", "for continuous integration"),
    Category("reverse proxy", "as the reverse proxy"),
    Category("search engine", "as the search engine"),
)}
"""Known categories by name."""

LANGUAGE_SPECIFIC = frozenset({"HTTP client", "web framework", "ORM", "task queue", "test runner", "linter",
                               "formatter", "type checker"})
"""Categories a polyglot repository fills once per language (pytest and Jest do not replace each other)."""

_PACKAGES: dict[str, tuple[str, str]] = {}


def scoped(category: str, ecosystem: str | None) -> str:
    """Qualify a language-specific category with the manifest's ecosystem: `Python test runner`."""
    return f"{ecosystem} {category}" if ecosystem and category in LANGUAGE_SPECIFIC else category


def base_category(category: str) -> str:
    """Undo `scoped`: `JavaScript linter` -> `linter`."""
    for prefix in ("Python ", "JavaScript "):
        if category.startswith(prefix) and category[len(prefix):] in LANGUAGE_SPECIFIC:
            return category[len(prefix):]
    return category


def _add(category: str, technology: str, *names: str) -> None:
    for name in names:
        _PACKAGES[name] = (technology, category)


_add("HTTP client", "requests", "requests")
_add("HTTP client", "HTTPX", "httpx")
_add("HTTP client", "aiohttp", "aiohttp")
_add("HTTP client", "axios", "axios")
_add("HTTP client", "node-fetch", "node-fetch")
_add("HTTP client", "got", "got")
_add("HTTP client", "ky", "ky")
_add("HTTP client", "superagent", "superagent")
_add("database", "PostgreSQL", "psycopg2", "psycopg2-binary", "psycopg", "psycopg-binary", "asyncpg", "pg",
     "postgres", "postgresql")
_add("database", "MySQL", "pymysql", "mysqlclient", "mysql-connector-python", "aiomysql", "mysql", "mysql2")
_add("database", "MariaDB", "mariadb")
_add("database", "MongoDB", "pymongo", "motor", "mongodb", "mongoose", "mongo")
_add("database", "SQLite", "better-sqlite3", "sqlite3", "aiosqlite")
_add("database", "CockroachDB", "cockroachdb")
_add("cache", "Redis", "redis", "ioredis", "aioredis", "redis-py")
_add("cache", "Memcached", "memcached", "pymemcache", "python-memcached", "memjs")
_add("cache", "Valkey", "valkey")
_add("message broker", "RabbitMQ", "rabbitmq", "pika", "amqplib", "aio-pika")
_add("message broker", "Kafka", "kafka", "kafka-python", "confluent-kafka", "kafkajs", "cp-kafka")
_add("message broker", "NATS", "nats", "nats-py")
_add("web framework", "Flask", "flask")
_add("web framework", "Django", "django")
_add("web framework", "FastAPI", "fastapi")
_add("web framework", "Tornado", "tornado")
_add("web framework", "Bottle", "bottle")
_add("web framework", "Pyramid", "pyramid")
_add("web framework", "Sanic", "sanic")
_add("web framework", "Express", "express")
_add("web framework", "Koa", "koa")
_add("web framework", "Fastify", "fastify")
_add("web framework", "hapi", "@hapi/hapi", "hapi")
_add("web framework", "NestJS", "@nestjs/core")
_add("ORM", "SQLAlchemy", "sqlalchemy")
_add("ORM", "Peewee", "peewee")
_add("ORM", "Tortoise ORM", "tortoise-orm")
_add("ORM", "Prisma", "prisma", "@prisma/client")
_add("ORM", "TypeORM", "typeorm")
_add("ORM", "Sequelize", "sequelize")
_add("ORM", "Drizzle", "drizzle-orm")
_add("task queue", "Celery", "celery")
_add("task queue", "RQ", "rq")
_add("task queue", "Dramatiq", "dramatiq")
_add("task queue", "Huey", "huey")
_add("task queue", "BullMQ", "bullmq", "bull")
_add("test runner", "pytest", "pytest")
_add("test runner", "nose", "nose", "nose2")
_add("test runner", "Jest", "jest")
_add("test runner", "Mocha", "mocha")
_add("test runner", "Vitest", "vitest")
_add("test runner", "Jasmine", "jasmine")
_add("test runner", "AVA", "ava")
_add("linter", "flake8", "flake8")
_add("linter", "Pylint", "pylint")
_add("linter", "Ruff", "ruff")
_add("linter", "ESLint", "eslint")
_add("linter", "TSLint", "tslint")
_add("linter", "Biome", "@biomejs/biome")
_add("formatter", "Black", "black")
_add("formatter", "YAPF", "yapf")
_add("formatter", "autopep8", "autopep8")
_add("formatter", "Prettier", "prettier")
_add("type checker", "mypy", "mypy")
_add("type checker", "Pyright", "pyright")
_add("type checker", "pytype", "pytype")
_add("frontend framework", "React", "react")
_add("frontend framework", "Vue", "vue")
_add("frontend framework", "Svelte", "svelte")
_add("frontend framework", "Angular", "@angular/core")
_add("frontend framework", "Preact", "preact")
_add("frontend framework", "SolidJS", "solid-js")
_add("bundler", "webpack", "webpack")
_add("bundler", "Vite", "vite")
_add("bundler", "Parcel", "parcel", "parcel-bundler")
_add("bundler", "Rollup", "rollup")
_add("bundler", "esbuild", "esbuild")
_add("bundler", "Browserify", "browserify")
_add("reverse proxy", "nginx", "nginx")
_add("reverse proxy", "Traefik", "traefik")
_add("reverse proxy", "Caddy", "caddy")
_add("reverse proxy", "HAProxy", "haproxy")
_add("search engine", "Elasticsearch", "elasticsearch")
_add("search engine", "OpenSearch", "opensearch", "opensearch-py")
_add("search engine", "Meilisearch", "meilisearch")

_FILES: tuple[tuple[str, str, str], ...] = (
    ("requirements*.txt", "pip", "Python package manager"),
    ("poetry.lock", "Poetry", "Python package manager"),
    ("uv.lock", "uv", "Python package manager"),
    ("Pipfile", "Pipenv", "Python package manager"),
    ("Pipfile.lock", "Pipenv", "Python package manager"),
    ("pdm.lock", "PDM", "Python package manager"),
    ("package-lock.json", "npm", "JavaScript package manager"),
    ("yarn.lock", "Yarn", "JavaScript package manager"),
    ("pnpm-lock.yaml", "pnpm", "JavaScript package manager"),
    ("bun.lockb", "Bun", "JavaScript package manager"),
    (".travis.yml", "Travis CI", "CI"),
    (".gitlab-ci.yml", "GitLab CI", "CI"),
    ("Jenkinsfile", "Jenkins", "CI"),
    ("azure-pipelines.yml", "Azure Pipelines", "CI"),
    ("appveyor.yml", "AppVeyor", "CI"),
    ("bitbucket-pipelines.yml", "Bitbucket Pipelines", "CI"),
    (".circleci/config.yml", "CircleCI", "CI"),
    (".github/workflows/*", "GitHub Actions", "CI"),
)

PRACTICES = (
    "conventional commits", "semantic versioning", "semver", "trunk-based development", "monorepo", "microservices",
    "event sourcing", "cqrs", "hexagonal architecture", "clean architecture", "repository pattern",
    "dependency injection", "feature flags", "codeowners", "pre-commit", "type hints", "async", "graphql", "grpc",
    "rest api", "openapi", "terraform", "serverless", "typescript",
)
"""Patterns and processes a commit or PR can adopt (matched only together with a decision cue)."""


def normalise(name: str) -> str:
    """Normalise a package name the way PyPI and npm compare them (lowercase, `_`/`.` as `-`)."""
    name = name.strip().lower()
    return name if name.startswith("@") else re.sub(r"[-_.]+", "-", name)


@lru_cache(maxsize=16384)
def technology_of_package(name: str) -> tuple[str, str] | None:
    """Return (technology, category) for a package or image name, or None when it is not catalogued."""
    return _PACKAGES.get(normalise(name))


def technology_of_file(path: str) -> tuple[str, str] | None:
    """Return (technology, category) that the presence of a lockfile or CI file means, or None."""
    from fnmatch import fnmatchcase

    name = PurePosixPath(path).name
    for pattern, technology, category in _FILES:
        if ("/" in pattern and fnmatchcase(path, pattern)) or ("/" not in pattern and fnmatchcase(name, pattern)):
            return technology, category
    return None


_AMBIGUOUS = frozenset({"requests", "got", "ky", "nose", "bull", "express", "black", "koa", "rollup", "parcel", "react",
                        "mocha", "ava", "caddy", "postgres", "mongo", "vite", "pip", "uv", "npm", "rq", "pg"})
"""Words that name a technology only when another technology of the same category is named next to them."""


def technologies_named_in(text: str) -> list[tuple[str, str]]:
    """Return the catalogued technologies a sentence names (by package or display name), in catalogue order.

    Ordinary words that are also package names (`requests`, `express`, `black`) count only when the sentence
    names another technology of the same category (`replace requests with httpx`).
    """
    lowered = f" {text.lower()} "
    found: dict[str, tuple[str, str]] = {}
    names = [(n, t) for n, t in _PACKAGES.items() if len(n) > 2]
    names += [(t.lower(), (t, c)) for t, c in set(_PACKAGES.values())]
    names += [(t.lower(), (t, c)) for _, t, c in _FILES]
    for name, tech in names:
        if tech[0] in found:
            continue
        if re.search(rf"(?<![\w@/.-]){re.escape(name)}(?![\w/-])", lowered):
            found[tech[0]] = tech
    sure = {c for t, c in found.values() if t.lower() not in _AMBIGUOUS}
    return [(t, c) for t, c in found.values() if t.lower() not in _AMBIGUOUS or c in sure]
