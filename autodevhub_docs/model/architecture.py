# Facts derived by static analysis of the code (see `autodevhub_docs.analysis`).
from __future__ import annotations

from dataclasses import dataclass

from autodevhub_docs.model.base_refs import SourceRef
from autodevhub_docs.model.deployment import ContainerImage, HelmChart, Service, Workflow
from autodevhub_docs.model.system import SystemModel


@dataclass(frozen=True, kw_only=True, slots=True)
class Component:
    """A top-level part of the repository (a folder, package or deployable unit)."""

    name: str
    """Display name."""
    path: str
    """Folder relative to the repository root ('.' for the root)."""
    kind: str
    """package, service, docs, tests, config, or folder."""
    files: int
    """Number of tracked files under it."""
    lines: int
    """Lines of the files under it whose language is known (lockfiles and unknown formats are not counted)."""
    language: str | None
    """Dominant language by lines."""


@dataclass(frozen=True, kw_only=True, slots=True)
class LanguageStat:
    """Lines and files of one language."""

    language: str
    """Language name."""
    files: int
    """Number of files."""
    lines: int
    """Number of lines."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Technology:
    """A framework, library, datastore or tool the repository uses, with the evidence for it."""

    name: str
    """Display name (FastAPI, PostgreSQL, ...)."""
    category: str
    """web, frontend, orm, database, cache, broker, ai, test, lint, proxy, build, language-runtime."""
    layer: str
    """frontend, backend, database, cache, ai, deployment, or quality."""
    evidence: tuple[SourceRef, ...] = ()
    """Files (and lines) that show it, best first."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportEdge:
    """One dependency between two modules or packages of the repository."""

    source: str
    """Importing module or package (dotted for Python, path-like for JS/TS)."""
    target: str
    """Imported module or package."""
    count: int = 1
    """Number of import statements aggregated into this edge."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ImportGraph:
    """The internal import graph, aggregated to a readable level."""

    level: str = "module"
    """`module` or `package` (aggregated because the repository is large)."""
    nodes: tuple[str, ...] = ()
    """Modules or packages, sorted."""
    edges: tuple[ImportEdge, ...] = ()
    """Internal dependencies, sorted."""
    modules: int = 0
    """Number of modules analysed before aggregation."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Endpoint:
    """An HTTP endpoint found in the code."""

    method: str
    """HTTP method in capitals (`ANY` when the route accepts every method)."""
    path: str
    """Full path with every router prefix resolved."""
    handler: str
    """Handler function or view name."""
    framework: str
    """FastAPI, Starlette, Flask, Django, Express, ..."""
    source: SourceRef
    """Where the route is declared."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ApiDocument:
    """An OpenAPI or Swagger file in the repository."""

    path: str
    """Repository-relative path."""
    kind: str
    """`OpenAPI 3.x` or `Swagger 2.0`."""
    title: str = ""
    """info.title."""
    version: str = ""
    """info.version."""
    operations: int = 0
    """Number of operations (path + method) it declares."""


@dataclass(frozen=True, kw_only=True, slots=True)
class EntityField:
    """A column or attribute of an entity."""

    name: str
    """Column name."""
    type: str
    """Type as written (Integer, str, VARCHAR(20), ...)."""
    key: str | None = None
    """PK, FK or UK."""
    nullable: bool | None = None
    """Whether it may be null, when the code says."""
    references: str | None = None
    """Target of a foreign key (`users.id`), when known."""
    unique: bool = False
    """True when the column is unique (a unique foreign key makes a one-to-one relation)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Entity:
    """A persistent entity (ORM model, Prisma model or SQL table)."""

    name: str
    """Class or model name."""
    table: str
    """Table name, explicit or derived."""
    orm: str
    """SQLAlchemy, SQLModel, Django ORM, Prisma, TypeORM or SQL."""
    source: SourceRef
    """Where it is declared."""
    fields: tuple[EntityField, ...] = ()
    """Columns in declaration order."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Relation:
    """A relation between two entities."""

    left: str
    """Entity that holds the reference (or the `one` side for one-to-many)."""
    right: str
    """Related entity."""
    cardinality: str
    """one-to-one, one-to-many, many-to-one or many-to-many (seen from `left`)."""
    label: str
    """Attribute or foreign-key column that carries it."""
    source: SourceRef
    """Where it is declared."""
    right_label: str = ""
    """Name of the relation on the other end (`comments` for Article -> Comment), when declared."""
    through: str | None = None
    """Join table or entity of a many-to-many relation, when there is one."""
    inferred: bool = False
    """True when it is inferred only from an `x_id` column naming another table (no declared constraint)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class FrameworkReport:
    """What one framework or ORM adapter read, for honest pages when it found nothing."""

    framework: str
    """Framework or ORM name (Rails, Spring Boot, GORM...)."""
    kind: str
    """`endpoints` or `entities`."""
    evidence: tuple[SourceRef, ...] = ()
    """Why the framework is considered present (a dependency, an import, a config file)."""
    files_read: tuple[str, ...] = ()
    """Files the adapter parsed."""
    found: int = 0
    """Endpoints or entities it found."""
    problems: tuple[str, ...] = ()
    """Files it could not read, each with the reason (`config/routes.rb: too large to parse`)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class MigrationSet:
    """A folder of schema migrations."""

    tool: str
    """Alembic, Django, Prisma or SQL."""
    path: str
    """Folder."""
    count: int
    """Number of migration files."""


@dataclass(frozen=True, kw_only=True, slots=True)
class EnvVar:
    """An environment variable the application reads or documents."""

    name: str
    """Variable name."""
    source: SourceRef
    """Where it is declared or read."""
    origin: str
    """env-example, settings-class or code."""
    default: str | None = None
    """A non-secret default or example value (None when absent or secret-looking)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Script:
    """A developer command: an npm script, a make or just target."""

    runner: str
    """npm, make or just."""
    name: str
    """Script or target name."""
    command: str
    """What it runs (first recipe line for make/just)."""
    source: SourceRef
    """Where it is defined."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Principle:
    """An architectural principle the code shows, with its evidence."""

    name: str
    """Short name."""
    evidence: str
    """One sentence that states what the code shows."""
    sources: tuple[SourceRef, ...] = ()
    """Files that show it."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ArchitectureFacts:
    """What static analysis found; later analyses add fields with empty defaults."""

    languages: tuple[LanguageStat, ...] = ()
    """Languages by lines, largest first."""
    components: tuple[Component, ...] = ()
    """Top-level components (test, fixture, example, vendored and generated folders left out)."""
    left_out: tuple[Component, ...] = ()
    """Top-level folders left out as samples (tests, fixtures, examples...), unless the `include` option keeps them."""
    manifests: tuple[str, ...] = ()
    """Dependency manifests found (pyproject.toml, package.json, ...)."""
    test_files: tuple[str, ...] = ()
    """Files that look like tests."""
    ci_workflows: tuple[str, ...] = ()
    """CI workflow files."""
    docker_files: tuple[str, ...] = ()
    """Dockerfiles and compose files."""
    quality_configs: tuple[str, ...] = ()
    """Lint, format and type-check configuration files."""
    technologies: tuple[Technology, ...] = ()
    """Frameworks, datastores and tools, each with evidence."""
    component_edges: tuple[ImportEdge, ...] = ()
    """Dependencies between top-level components (from imports and compose depends_on)."""
    import_graph: ImportGraph = ImportGraph()
    """Internal import graph (Python and JS/TS)."""
    import_view: ImportGraph = ImportGraph()
    """The import graph reduced to a readable diagram (at most `imports.DIAGRAM_NODES` nodes)."""
    import_view_note: str = ""
    """How the graph was reduced for the diagram ('' when it was not)."""
    endpoints: tuple[Endpoint, ...] = ()
    """HTTP endpoints, sorted by path then method."""
    api_documents: tuple[ApiDocument, ...] = ()
    """OpenAPI/Swagger files."""
    entities: tuple[Entity, ...] = ()
    """Persistent entities."""
    relations: tuple[Relation, ...] = ()
    """Relations between entities."""
    migrations: tuple[MigrationSet, ...] = ()
    """Migration folders."""
    containers: tuple[ContainerImage, ...] = ()
    """Dockerfiles."""
    services: tuple[Service, ...] = ()
    """Compose services, Kubernetes workloads and Procfile processes."""
    helm_charts: tuple[HelmChart, ...] = ()
    """Helm charts."""
    k8s_manifests: tuple[str, ...] = ()
    """Kubernetes manifest files."""
    workflows: tuple[Workflow, ...] = ()
    """GitHub Actions workflows, parsed."""
    env_vars: tuple[EnvVar, ...] = ()
    """Environment variables."""
    scripts: tuple[Script, ...] = ()
    """npm scripts and make/just targets."""
    principles: tuple[Principle, ...] = ()
    """Architectural principles with evidence."""
    framework_reports: tuple[FrameworkReport, ...] = ()
    """What each detected web framework and ORM adapter read and found."""
    system: SystemModel = SystemModel()  # noqa: RUF009 - frozen: one shared default is safe
    """Containers and who talks to whom (or, for a library, its packages in dependency order)."""
    spec_only_endpoints: tuple[Endpoint, ...] = ()
    """Operations an OpenAPI/Swagger file in the repository declares that no code declares."""
