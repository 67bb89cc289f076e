# Deployment, technologies and development facts: compose with overrides, Kubernetes, Dockerfiles, workflows,
# Procfile, technologies with evidence, environment variables (no secret values) and scripts.
from __future__ import annotations

import pytest

from autodevhub_docs.analysis.development import safe_default
from tests.fakes import arch_repos as fx


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory):
    return fx.analysed(fx.make(tmp_path_factory.mktemp("r") / "shop", fx.FASTAPI_FILES).root)[1]


def test_compose_services_merged_with_override_and_kubernetes(shop) -> None:
    services = {(s.kind, s.name): s for s in shop.services}
    assert set(services) == {("compose", "backend"), ("compose", "frontend"), ("compose", "db"), ("compose", "cache"),
                             ("compose", "proxy"), ("kubernetes Deployment", "backend"),
                             ("kubernetes Service", "backend-svc")}
    backend = services[("compose", "backend")]
    assert backend.build == "./backend"
    assert backend.ports == ("8000:8000", "5678:5678")  # the override adds the debugger port
    assert backend.depends_on == ("db", "cache")
    assert backend.volumes == ("./backend:/app",)
    assert backend.files == ("docker-compose.yml", "docker-compose.override.yml")
    assert services[("compose", "db")].image == "postgres:16"
    assert services[("compose", "db")].networks == ("internal",)
    assert services[("compose", "proxy")].files == ("docker-compose.override.yml",)
    assert services[("kubernetes Deployment", "backend")].image == "ghcr.io/acme/shop-backend:1.0"
    assert services[("kubernetes Deployment", "backend")].ports == ("8000",)
    assert services[("kubernetes Service", "backend-svc")].ports == ("80:8000",)
    assert shop.k8s_manifests == ("k8s/backend.yaml",)


def test_dockerfiles_base_images_without_stage_aliases(shop) -> None:
    assert {(c.path, c.bases, c.ports) for c in shop.containers} == {
        ("backend/Dockerfile", ("python:3.12-slim",), ("8000",)),
        ("frontend/Dockerfile", ("node:20", "nginx:1.27-alpine"), ("80",)),
    }


def test_workflows_triggers_and_job_purposes(shop) -> None:
    flows = {w.path: w for w in shop.workflows}
    ci = flows[".github/workflows/ci.yml"]
    assert ci.name == "CI" and ci.triggers == ("push", "pull_request")
    assert [(j.name, j.purposes) for j in ci.jobs] == [("test", ("test", "lint", "type-check")),
                                                       ("image", ("build",))]
    deploy = flows[".github/workflows/deploy.yml"]
    assert deploy.triggers == ("push", "workflow_dispatch")
    assert [(j.name, j.purposes) for j in deploy.jobs] == [("deploy", ("deploy",))]


def test_technologies_each_with_evidence(shop) -> None:
    tech = {t.name: t for t in shop.technologies}
    assert {"FastAPI", "SQLModel", "SQLAlchemy", "PostgreSQL", "Redis", "React", "Vite", "Anthropic Claude",
            "Traefik", "nginx", "Docker", "Docker Compose", "Kubernetes", "GitHub Actions", "pytest", "Ruff",
            "mypy", "Alembic"} <= set(tech)
    assert not {"Django", "Flask", "Express", "MySQL", "MongoDB"} & set(tech)
    assert all(t.evidence for t in shop.technologies)
    assert (tech["FastAPI"].evidence[0].path, tech["FastAPI"].evidence[0].line) == ("backend/pyproject.toml", 4)
    assert {e.path for e in tech["PostgreSQL"].evidence} >= {"backend/pyproject.toml", "docker-compose.yml"}
    assert tech["Redis"].layer == "cache" and tech["Anthropic Claude"].layer == "ai"


def test_environment_variables_never_keep_secret_values(shop) -> None:
    env = {v.name: v for v in shop.env_vars}
    assert set(env) == {"APP_API_V1_STR", "APP_PROJECT_NAME", "APP_SECRET_KEY", "APP_REDIS_URL", "DATABASE_URL",
                        "VITE_API_URL"}
    assert env["APP_PROJECT_NAME"].default == "Shop" and env["APP_PROJECT_NAME"].origin == "env-example"
    assert env["APP_API_V1_STR"].origin == "settings-class"
    assert env["APP_SECRET_KEY"].default is None
    assert env["DATABASE_URL"].default is None  # credentials in the URL
    assert env["VITE_API_URL"].origin == "code"
    assert safe_default("LOG_LEVEL", "info") == "info"
    assert safe_default("API_TOKEN", "x") is None
    assert safe_default("URL", "https://user:pw@host/") is None


def test_scripts_from_make_and_npm(shop) -> None:
    assert {(s.runner, s.name, s.command, s.source.path) for s in shop.scripts} == {
        ("make", "test", "pytest backend/tests", "Makefile"), ("make", "up", "docker compose up -d", "Makefile"),
        ("npm", "dev", "vite", "frontend/package.json"), ("npm", "build", "vite build", "frontend/package.json"),
    }


def test_procfile_and_principles(tmp_path) -> None:
    arch = fx.analysed(fx.make(tmp_path / "polls", fx.DJANGO_FILES).root)[1]
    assert {(s.name, s.kind, s.command) for s in arch.services} == {
        ("web", "procfile", "gunicorn mysite.wsgi"), ("worker", "procfile", "python manage.py qcluster")}
    names = [p.name for p in arch.principles]
    assert "Declared data model" in names and "Versioned schema migrations" in names
    assert "Containerised deployment" not in names  # no Dockerfile or compose file: not claimed
    assert all(p.sources for p in arch.principles)


def test_helm_charts_and_templates_are_not_parsed_as_yaml(tmp_path) -> None:
    repo = fx.make(tmp_path / "chart", {
        "charts/api/Chart.yaml": "apiVersion: v2\nname: api\nversion: 1.2.3\n",
        "charts/api/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                                                "  name: {{ .Release.Name }}\n",
        "deploy/job.yaml": "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\nspec:\n  jobTemplate:\n"
                           "    spec:\n      template:\n        spec:\n          containers:\n"
                           "            - name: run\n              image: busybox:1.36\n",
    })
    arch = fx.analysed(repo.root)[1]
    assert [(h.name, h.path, h.version) for h in arch.helm_charts] == [("api", "charts/api/Chart.yaml", "1.2.3")]
    assert arch.k8s_manifests == ("deploy/job.yaml",)
    assert [(s.name, s.kind, s.image) for s in arch.services] == [("nightly", "kubernetes CronJob", "busybox:1.36")]
    assert any(p.name == "Infrastructure as code" for p in arch.principles)


def test_django_orm_and_engine_are_technologies(tmp_path) -> None:
    arch = fx.analysed(fx.make(tmp_path / "polls", fx.DJANGO_FILES).root)[1]
    tech = {t.name: t for t in arch.technologies}
    assert (tech["Django ORM"].evidence[0].path, tech["Django ORM"].evidence[0].line) == ("polls/models.py", 4)
    assert ("mysite/settings.py", 2) in {(e.path, e.line) for e in tech["PostgreSQL"].evidence}
    assert tech["Django ORM"].layer == "backend" and tech["PostgreSQL"].layer == "database"
