# Technologies, each with the evidence that shows it: a dependency line in a manifest, an import in the code, a
# container image, a connection string, or a tool's own config file. Nothing is listed without evidence.
from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from autodevhub_docs.model import SourceRef, Technology
from autodevhub_docs.parsing.formats import load_json

ReadText = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Rule:
    """How to recognise one technology."""

    name: str
    category: str
    layer: str
    packages: tuple[str, ...] = ()
    """Dependency names (any ecosystem), lowercase; a trailing `*` matches a prefix."""
    imports: tuple[str, ...] = ()
    """Top-level import names (Python) or package specifiers (JS)."""
    images: tuple[str, ...] = ()
    """Container image names (without registry and tag)."""
    urls: tuple[str, ...] = ()
    """Connection string schemes."""
    files: tuple[str, ...] = ()
    """File name globs that show it."""


RULES: tuple[Rule, ...] = (
    # backend web frameworks
    Rule("FastAPI", "web", "backend", ("fastapi",), ("fastapi",)),
    Rule("Flask", "web", "backend", ("flask",), ("flask",)),
    Rule("Django", "web", "backend", ("django",), ("django",), files=("manage.py",)),
    Rule("Starlette", "web", "backend", ("starlette",), ("starlette",)),
    Rule("Express", "web", "backend", ("express",), ("express",)),
    Rule("NestJS", "web", "backend", ("@nestjs/core",), ("@nestjs/core",)),
    Rule("Spring", "web", "backend", ("spring-boot*", "org.springframework*", "spring-web*")),
    Rule("Rails", "web", "backend", ("rails",)),
    Rule("Gin", "web", "backend", ("github.com/gin-gonic/gin",)),
    Rule("Actix Web", "web", "backend", ("actix-web",)),
    Rule("Laravel", "web", "backend", ("laravel/framework",)),
    Rule("Uvicorn", "server", "backend", ("uvicorn",)),
    Rule("Gunicorn", "server", "backend", ("gunicorn",)),
    # frontend
    Rule("Next.js", "frontend", "frontend", ("next",), files=("next.config.*",)),
    Rule("React", "frontend", "frontend", ("react",)),
    Rule("Vue", "frontend", "frontend", ("vue",)),
    Rule("Svelte", "frontend", "frontend", ("svelte", "@sveltejs/kit"), files=("svelte.config.*",)),
    Rule("Angular", "frontend", "frontend", ("@angular/core",), files=("angular.json",)),
    Rule("Vite", "build", "frontend", ("vite",), files=("vite.config.*",)),
    Rule("TypeScript", "language", "frontend", ("typescript",), files=("tsconfig.json",)),
    # ORMs
    Rule("SQLAlchemy", "orm", "backend", ("sqlalchemy", "flask-sqlalchemy"), ("sqlalchemy",)),
    Rule("SQLModel", "orm", "backend", ("sqlmodel",), ("sqlmodel",)),
    Rule("Django ORM", "orm", "backend"),
    Rule("Prisma", "orm", "backend", ("prisma", "@prisma/client"), files=("schema.prisma",)),
    Rule("TypeORM", "orm", "backend", ("typeorm",)),
    Rule("Alembic", "migrations", "database", ("alembic",), ("alembic",), files=("alembic.ini",)),
    # databases and caches
    Rule("PostgreSQL", "database", "database", ("psycopg*", "asyncpg", "pg", "postgres", "github.com/lib/pq",
                                                "org.postgresql*", "pg-promise"),
         ("psycopg", "psycopg2", "asyncpg"), ("postgres", "postgis/postgis", "bitnami/postgresql"),
         ("postgres", "postgresql")),
    Rule("MySQL", "database", "database", ("mysqlclient", "pymysql", "mysql", "mysql2", "aiomysql"), ("pymysql",),
         ("mysql", "mariadb"), ("mysql", "mariadb")),
    Rule("SQLite", "database", "database", ("better-sqlite3", "sqlite3", "aiosqlite"), ("sqlite3", "aiosqlite"),
         urls=("sqlite",)),
    Rule("MongoDB", "database", "database", ("pymongo", "motor", "mongoose", "mongodb"), ("pymongo", "motor"),
         ("mongo",), ("mongodb", "mongodb+srv")),
    Rule("Redis", "cache", "cache", ("redis", "ioredis", "aioredis", "django-redis"), ("redis",),
         ("redis", "bitnami/redis"), ("redis", "rediss")),
    Rule("Memcached", "cache", "cache", ("pymemcache", "memcached"), images=("memcached",)),
    Rule("Elasticsearch", "database", "database", ("elasticsearch",), images=("elasticsearch",)),
    # brokers
    Rule("RabbitMQ", "broker", "backend", ("pika", "amqplib", "aio-pika"), ("pika",), ("rabbitmq",), ("amqp",)),
    Rule("Kafka", "broker", "backend", ("kafka-python", "confluent-kafka", "kafkajs", "aiokafka"),
         images=("confluentinc/cp-kafka", "bitnami/kafka", "apache/kafka")),
    Rule("Celery", "broker", "backend", ("celery",), ("celery",)),
    Rule("NATS", "broker", "backend", ("nats-py", "nats"), images=("nats",), urls=("nats",)),
    # AI and external services
    Rule("Anthropic Claude", "ai", "ai", ("anthropic", "@anthropic-ai/sdk"), ("anthropic", "@anthropic-ai/sdk")),
    Rule("OpenAI", "ai", "ai", ("openai",), ("openai",)),
    Rule("LangChain", "ai", "ai", ("langchain*",), ("langchain",)),
    Rule("GitHub API", "external", "ai", ("pygithub", "@octokit/rest", "octokit"), ("github",)),
    Rule("Stripe", "external", "ai", ("stripe",), ("stripe",)),
    # reverse proxies
    Rule("nginx", "proxy", "deployment", images=("nginx",), files=("nginx.conf", "*.nginx.conf")),
    Rule("Traefik", "proxy", "deployment", images=("traefik",), files=("traefik.yml", "traefik.toml")),
    Rule("Caddy", "proxy", "deployment", images=("caddy",), files=("Caddyfile",)),
    # tests
    Rule("pytest", "test", "quality", ("pytest",), files=("pytest.ini", "conftest.py")),
    Rule("Jest", "test", "quality", ("jest",), files=("jest.config.*",)),
    Rule("Vitest", "test", "quality", ("vitest",), files=("vitest.config.*",)),
    Rule("Playwright", "test", "quality", ("playwright", "@playwright/test"), files=("playwright.config.*",)),
    Rule("Cypress", "test", "quality", ("cypress",), files=("cypress.config.*",)),
    Rule("Mocha", "test", "quality", ("mocha",)),
    # lint and type-check
    Rule("Ruff", "lint", "quality", ("ruff",), files=("ruff.toml", ".ruff.toml")),
    Rule("mypy", "type-check", "quality", ("mypy",), files=("mypy.ini", ".mypy.ini")),
    Rule("Flake8", "lint", "quality", ("flake8",), files=(".flake8",)),
    Rule("Pylint", "lint", "quality", ("pylint",), files=(".pylintrc", "pylintrc")),
    Rule("Black", "lint", "quality", ("black",)),
    Rule("ESLint", "lint", "quality", ("eslint",), files=(".eslintrc*", "eslint.config.*")),
    Rule("Prettier", "lint", "quality", ("prettier",), files=(".prettierrc*", "prettier.config.*")),
    Rule("pre-commit", "lint", "quality", ("pre-commit",), files=(".pre-commit-config.yaml",)),
    # deployment
    Rule("Docker", "container", "deployment", files=("Dockerfile", "Dockerfile.*", "*.dockerfile")),
    Rule("Docker Compose", "container", "deployment", files=("docker-compose*.y*ml", "compose*.y*ml")),
    Rule("Kubernetes", "orchestration", "deployment"),
    Rule("Helm", "orchestration", "deployment", files=("Chart.yaml",)),
    Rule("GitHub Actions", "ci", "deployment"),
    Rule("MkDocs", "docs", "deployment", ("mkdocs", "mkdocs-material"), files=("mkdocs.yml",)),
)

_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_QUOTED_REQ = re.compile(r"""["']([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:[<>=!~;@ ].*)?["']""")
_CONN = re.compile(r"\b([a-z][a-z0-9+]*)://")
_DJANGO_ENGINE = re.compile(r"django\.db\.backends\.(postgresql|mysql|sqlite3|oracle)")
_ENGINES = {"postgresql": "PostgreSQL", "mysql": "MySQL", "sqlite3": "SQLite"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.lower())


def dependencies(path: str, text: str) -> list[tuple[str, int]]:  # noqa: PLR0912 - one branch per manifest format
    """Dependency names declared by one manifest, with their line (best effort, no resolver)."""
    name = PurePosixPath(path).name
    found: list[tuple[str, int]] = []
    lines = text.split("\n")
    if name in {"package.json", "composer.json"}:
        data = load_json(text).data
        if data is None:
            return []
        keys = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies", "require",
                "require-dev")
        names = [str(k) for key in keys if isinstance(data, dict) and isinstance(data.get(key), dict)
                 for k in data[key]]
        return [(n.lower(), _find_line(lines, f'"{n}":') or _find_line(lines, f'"{n}"') or 1) for n in names]
    section = ""
    for number, line in enumerate(lines, start=1):
        stripped = line.split("#", 1)[0].strip() if not name.endswith(".xml") else line.strip()
        if not stripped:
            continue
        if stripped.startswith("[") and stripped.endswith("]") and "=" not in stripped:
            section = stripped.lower()
            continue
        if name.startswith("requirements") or name.endswith(".txt"):
            m = _REQ_NAME.match(stripped)
            if m and not stripped.startswith("-"):
                found.append((m.group(1), number))
        elif name in {"pyproject.toml", "Pipfile", "setup.py", "setup.cfg", "Cargo.toml"}:
            if "dependencies" in section or "packages" in section or name in {"setup.py", "setup.cfg"}:
                key = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*=", stripped)
                if key and name != "setup.cfg" and key.group(1) not in {"python", "requires-python"}:
                    found.append((key.group(1), number))
                if name == "setup.cfg" and not key and re.match(r"^[A-Za-z0-9]", stripped):
                    m = _REQ_NAME.match(stripped)
                    if m:
                        found.append((m.group(1), number))
            found.extend((m.group(1), number) for m in _QUOTED_REQ.finditer(stripped)
                         if name != "Cargo.toml" and ("dependencies" in section or "requires" in stripped
                                                      or section.startswith("[project") or name == "setup.py"))
        elif name == "go.mod":
            m = re.match(r"^(?:require\s+)?([\w.-]+\.[\w.-]+/[\w./-]+)\s+v", stripped)
            if m:
                found.append((m.group(1), number))
        elif name == "Gemfile":
            m = re.match(r"""^gem\s+['"]([\w-]+)['"]""", stripped)
            if m:
                found.append((m.group(1), number))
        elif name in {"pom.xml"}:
            m = re.search(r"<(?:artifactId|groupId)>([^<]+)</", stripped)
            if m:
                found.append((m.group(1), number))
        elif name.startswith("build.gradle"):
            m = re.search(r"""['"]([\w.-]+):([\w.-]+)(?::[^'"]*)?['"]""", stripped)
            if m:
                found.append((f"{m.group(1)}:{m.group(2)}", number))
                found.append((m.group(2), number))
    return [(n.lower(), line) for n, line in found]


def _find_line(lines: list[str], needle: str) -> int | None:
    return next((i for i, line in enumerate(lines, start=1) if needle in line), None)


def _matches(pattern: str, name: str) -> bool:
    if pattern.endswith("*"):
        return _norm(name).startswith(_norm(pattern[:-1]))
    return _norm(name) == _norm(pattern) or name.lower() == pattern


def _image_name(image: str) -> str:
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)
    # keep `owner/name` for org images, drop a registry host (it has a dot or a port)
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    name = "/".join(parts)
    del last
    return name.split(":", 1)[0].lower()


def detect(  # noqa: PLR0912 - one evidence kind per branch
        manifests: Iterable[str], read_text: ReadText, *, paths: Iterable[str],
           python_imports: Mapping[str, tuple[str, int]], js_imports: Mapping[str, tuple[str, int]],
           images: Iterable[tuple[str, SourceRef]], texts_with_urls: Iterable[str],
           extra: Mapping[str, list[SourceRef]]) -> list[Technology]:
    """Find every technology the evidence supports.

    Args:
        manifests: Dependency manifest paths.
        read_text: Safe reader of the checkout.
        paths: Every tracked path.
        python_imports: Top-level imported name -> first (file, line) that imports it.
        js_imports: Bare package specifier -> first (file, line).
        images: Container images with where they appear.
        texts_with_urls: Files to search for connection strings (env examples, compose, settings).
        extra: Evidence found by other analyses, by technology name (Kubernetes manifests, workflows, ...).
    """
    evidence: dict[str, list[SourceRef]] = {}

    def add(rule_name: str, ref: SourceRef) -> None:
        refs = evidence.setdefault(rule_name, [])
        if ref not in refs:
            refs.append(ref)

    deps = [(name, path, line) for path in sorted(manifests)
            for name, line in dependencies(path, read_text(path) or "")]
    images_list = list(images)
    by_name: dict[str, list[str]] = {}
    for path in paths:
        if "node_modules/" not in path:
            by_name.setdefault(path.rsplit("/", 1)[-1], []).append(path)
    for rule in RULES:
        for name, path, line in deps:
            if any(_matches(p, name) for p in rule.packages):
                add(rule.name, SourceRef(path=path, line=line))
        for mod in rule.imports:
            if mod in python_imports:
                add(rule.name, SourceRef(path=python_imports[mod][0], line=python_imports[mod][1]))
            if mod in js_imports:
                add(rule.name, SourceRef(path=js_imports[mod][0], line=js_imports[mod][1]))
        for image, ref in images_list:
            if rule.images and _image_name(image) in rule.images:
                add(rule.name, ref)
        for glob in rule.files:
            for name in fnmatch.filter(by_name, glob):
                for path in by_name[name]:
                    add(rule.name, SourceRef(path=path))
        for ref in extra.get(rule.name, []):
            add(rule.name, ref)
    schemes = {s: r for r in RULES for s in r.urls}
    for path in texts_with_urls:
        text = read_text(path) or ""
        for number, text_line in enumerate(text.split("\n"), start=1):
            for m in _CONN.finditer(text_line):
                scheme = m.group(1).split("+", 1)[0]
                if scheme in schemes:
                    add(schemes[scheme].name, SourceRef(path=path, line=number))
            engine = _DJANGO_ENGINE.search(text_line)
            if engine and engine.group(1) in _ENGINES:
                add(_ENGINES[engine.group(1)], SourceRef(path=path, line=number))
    order = {rule.name: index for index, rule in enumerate(RULES)}
    rules = {rule.name: rule for rule in RULES}
    return [Technology(name=name, category=rules[name].category, layer=rules[name].layer,
                       evidence=tuple(refs[:6]))
            for name, refs in sorted(evidence.items(), key=lambda kv: order[kv[0]]) if refs]
