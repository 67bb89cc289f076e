# The generated architecture and development pages, from fixture repositories through the real pipeline:
# exact facts on the pages, links to files and lines, honest sentences when there is nothing, no template
# debris, every Mermaid block parses with mermaid 11, and a real `mkdocs build --strict` passes.
from __future__ import annotations

import re
from pathlib import Path

import pytest

from autodevhub_docs import pipeline
from autodevhub_docs.analysis import analyse
from autodevhub_docs.generators.architecture import ArchitectureGenerator
from autodevhub_docs.generators.base import GenContext
from autodevhub_docs.generators.development import DevelopmentGenerator
from autodevhub_docs.llm.offline import OfflineWriter
from autodevhub_docs.rendering.env import SourceLinker, make_env, render
from autodevhub_docs.settings import from_options
from tests import mermaid as checker
from tests.fakes import arch_repos as fx
from tests.helpers import Repo, mkdocs_build, write_mkdocs_yml

ARCH_PAGES = ("architecture/index.md", "architecture/system-overview.md", "architecture/api-specification.md",
              "architecture/database-schema.md", "architecture/deployment-architecture.md")
DEV_PAGES = ("development/setup-guide.md", "development/deployment.md")


def _build(root: Path) -> dict[str, str]:
    settings = from_options({"repo_path": str(root), "cache_dir": str(root.parent / "cache"), "llm": "offline"},
                            base_dir=root.parent)
    return pipeline.run_build(settings).pages


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    pages = {}
    for name, files in (("shop", fx.FASTAPI_FILES), ("polls", fx.DJANGO_FILES), ("blog", fx.EXPRESS_FILES)):
        pages[name] = _build(fx.make(tmp_path_factory.mktemp("r") / name, files).root)
    return pages


def _no_debris(text: str) -> None:
    assert "None" not in text and "{{" not in text and "{%" not in text
    assert not re.search(r"^\|(\s*\|)+\s*$", text, re.M), "empty table row"
    assert "\n\n\n\n" not in text
    lines, in_fence = text.split("\n"), False
    for before, line in zip(lines, lines[1:]):
        opens_fence = line.startswith("```") and not in_fence
        opens_table = line.startswith("|") and not before.startswith("|") and not in_fence
        if opens_fence or opens_table:
            assert not before.strip(), f"a block must follow a blank line: {before!r} / {line!r}"
        if line.startswith("```"):
            in_fence = not in_fence


def test_all_pages_are_built_without_debris(built) -> None:
    for pages in built.values():
        for uri in ARCH_PAGES + DEV_PAGES:
            assert uri in pages
            _no_debris(pages[uri])


@pytest.mark.mermaid
def test_every_mermaid_block_of_every_page_parses(built) -> None:
    diagrams = checker.diagrams_in(text for pages in built.values() for text in pages.values())
    kinds = {d.split("\n", 1)[0].split()[0] for d in diagrams}
    assert {"flowchart", "erDiagram", "sequenceDiagram"} <= kinds
    checker.assert_all_parse(diagrams)


def test_api_page_lists_full_paths(built) -> None:
    api = built["shop"]["architecture/api-specification.md"]
    rows = [line for line in api.split("\n") if line.startswith("| `")]
    assert len(rows) == len(fx.FASTAPI_ENDPOINTS)
    assert "| `GET` | /api/v1/users/&#123;user\\_id&#125; | `read_user` | FastAPI |" in api
    assert "| `GET` | `/api/v1/admin/reports/daily` | `daily_report` |" in api
    polls = built["polls"]["architecture/api-specification.md"]
    assert "/polls/&#123;question\\_id&#125;" in polls and "(Django, Flask)" in polls
    blog = built["blog"]["architecture/api-specification.md"]
    assert "| `DELETE` | /api/users/&#123;id&#125; | `controller.remove` | Express |" in blog


def test_database_page_shows_entities_relations_and_er_diagram(built) -> None:
    db = built["shop"]["architecture/database-schema.md"]
    assert "7 entities (SQLAlchemy, SQLModel) and 6 relations" in db
    assert "| Profile | one-to-one | Customer | `customer_id` |" in db
    assert "### Hero" in db and "| `team_id` | `int` | FK | yes | team.id |" in db
    assert "Hero }o--|| Team" in db and "Order }o--o{ Tag" in db
    assert "| Alembic |" in db


def test_deployment_page_shows_services_images_and_workflows(built) -> None:
    page = built["shop"]["architecture/deployment-architecture.md"]
    assert "| `backend` | compose | build `./backend` | 8000:8000, 5678:5678 | db, cache |" in page
    assert "`docker-compose.yml`, `docker-compose.override.yml`" in page
    assert "| `frontend/Dockerfile` | `node:20`, `nginx:1.27-alpine` | 80 |" in page
    assert "### CI" in page and "triggered by `push`, `pull_request`" in page
    assert "| `test` | ubuntu-latest | test, lint, type-check |" in page


def test_index_page_layers_principles_and_quality(built) -> None:
    index = built["shop"]["architecture/index.md"]
    for layer in ("**Frontend**: React", "**Backend**: FastAPI", "**Database**:", "**Cache**: Redis",
                  "**AI and external services**: Anthropic Claude", "**Deployment**:"):
        assert layer in index
    assert "subgraph" in index and "## Key architectural principles" in index
    assert "**Routes grouped by module**" in index and "**Containerised deployment**" in index
    assert "| CI jobs that run tests | 1 |" in index
    assert "| Lint and type-check configuration | `backend/pyproject.toml` |" in index
    blog = built["blog"]["architecture/index.md"]
    assert "**Frontend**" not in blog and "**Cache**" not in blog  # only layers with evidence


def test_development_pages(built) -> None:
    setup = built["shop"]["development/setup-guide.md"]
    assert "| `backend` | Python | `backend/pyproject.toml` | `pip install -e .` |" in setup
    assert "| `APP_PROJECT_NAME` | `Shop` |" in setup
    assert "| `APP_SECRET_KEY` | — |" in setup and "not-for-pages" not in setup and "pw@" not in setup
    assert "| `test` | `pytest backend/tests` | `Makefile` |" in setup
    deploy = built["shop"]["development/deployment.md"]
    assert "docker compose up -d" in deploy
    assert "| `.github/workflows/deploy.yml` | `deploy` | push, workflow\\_dispatch | deploy |" in deploy


def test_facts_link_to_files_and_lines(tmp_path: Path) -> None:
    repo = fx.make(tmp_path / "shop", fx.FASTAPI_FILES)
    facts, _ = fx.analysed(repo.root)
    settings = from_options({"repo_path": str(repo.root), "cache_dir": str(tmp_path / "c")}, base_dir=tmp_path)
    ctx = GenContext(settings=settings, analysis=analyse(facts))
    generator = ArchitectureGenerator()
    prose = OfflineWriter().write(generator.plan(ctx), {})
    docs = generator.build(ctx, prose) + DevelopmentGenerator().build(ctx, {})
    env, linker = make_env(), SourceLinker(facts.web_url, facts.head)
    pages = {d.uri: render(env, d.template, {**d.context, "src": linker}) for d in docs}
    base = f"https://github.com/acme/shop/blob/{facts.head}/"
    api = pages["architecture/api-specification.md"]
    assert f"[`backend/app/api/routes/users.py`](<{base}backend/app/api/routes/users.py#L14>)" in api
    db = pages["architecture/database-schema.md"]
    assert f"(<{base}backend/app/orders.py#L24>)" in db  # the foreign key's line
    index = pages["architecture/index.md"]
    assert f"(<{base}backend/pyproject.toml#L4>)" in index  # FastAPI's dependency line
    setup = pages["development/setup-guide.md"]
    assert f"(<{base}.env.example#L1>)" in setup


def test_honest_sentences_when_there_is_no_api_or_database(sample_repo: Repo) -> None:
    pages = _build(sample_repo.root)
    assert "No HTTP endpoints were found in the code." in pages["architecture/api-specification.md"]
    assert "No data model (ORM models, Prisma or SQL schema files) was found in the code." in pages[
        "architecture/database-schema.md"]
    for uri in ARCH_PAGES + DEV_PAGES:
        _no_debris(pages[uri])
    assert "```mermaid" not in pages["architecture/api-specification.md"]


@pytest.mark.slow
def test_real_mkdocs_strict_build(tmp_path: Path) -> None:
    repo = fx.make(tmp_path / "shop", fx.FASTAPI_FILES)
    config = write_mkdocs_yml(tmp_path / "site", {"repo_path": str(repo.root)})
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr[-3000:]
    html = (tmp_path / "site" / "site" / "architecture" / "api-specification" / "index.html").read_text()
    assert "/api/v1/users/&#123;user_id&#125;" in html and "daily_report" in html  # entities display as braces
    schema = (tmp_path / "site" / "site" / "architecture" / "database-schema" / "index.html").read_text()
    assert '<pre class="mermaid">' in schema and "erDiagram" in schema


HOSTILE_FILES = {
    "app.py": (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        "@app.get('/x|y/<script>alert(1)</script>/`tick`/{{ config }}/[link](javascript:alert(1))')\n"
        "def evil():\n    return 1\n\n\n"
        "@app.post('/ok')\ndef ok():\n    return 1\n"),
    "models.py": (
        "from sqlalchemy import Column, Integer\nfrom sqlalchemy.orm import declarative_base\n\n"
        "Base = declarative_base()\n\n\n"
        "class Evil(Base):\n    __tablename__ = '<img src=x onerror=alert(1)>|%%{init}%%'\n"
        "    id = Column(Integer, primary_key=True)\n"),
    "docker-compose.yml": (
        "services:\n  'web|<b>bold</b>':\n    image: 'nginx:1 --> click n0 call alert(1)'\n"
        "    ports: ['80:80 | `x`']\n    depends_on: ['db; style n0 fill:url(x)']\n"
        "  'db; style n0 fill:url(x)':\n    image: postgres:16\n"),
    ".env.example": "EVIL_<script>=1\nGREETING=<b>hi</b> {{ x }}\n",
    "package.json": '{"scripts": {"x|y": "echo `rm -rf /` <script>"}}',
}


@pytest.mark.mermaid
def test_hostile_repository_content_stays_text(tmp_path: Path) -> None:
    pages = _build(fx.make(tmp_path / "evil", HOSTILE_FILES).root)
    for uri in ARCH_PAGES + DEV_PAGES:
        text = pages[uri]
        outside_fences = re.sub(r"```mermaid\n.*?```", "", text, flags=re.S)
        assert "<script" not in outside_fences and "<img" not in outside_fences and "<b>" not in outside_fences
        assert "{{" not in text and "](javascript" not in text
    api = pages["architecture/api-specification.md"]
    assert "| `POST` | `/ok` | `ok` |" in api
    rows = [line for line in api.split("\n") if line.startswith("| `GET`")]
    assert len(rows) == 1 and rows[0].count(" | ") == 4  # the pipe in the path did not add a column
    diagrams = checker.diagrams_in(pages.values())
    for diagram in diagrams:
        assert not re.search(r"^\s*(click|style|classDef .*url)", diagram, re.M | re.I), diagram
        assert "<script" not in diagram and "%%{" not in diagram
    checker.assert_all_parse(diagrams)


@pytest.mark.mermaid
def test_large_import_graph_is_aggregated_and_collapsed(tmp_path: Path) -> None:
    files = {"README.md": "# Big\n\nA repository with many packages.\n"}
    for n in range(45):
        files[f"pkg{n}/__init__.py"] = ""
        files[f"pkg{n}/a.py"] = f"from pkg{(n + 1) % 45} import b\n"
        files[f"pkg{n}/b.py"] = "VALUE = 1\n"
    pages = _build(fx.make(tmp_path / "big", files).root)
    overview = pages["architecture/system-overview.md"]
    _no_debris(overview)
    assert "aggregated to 45 packages because the repository is large" in overview
    assert "The diagram shows 30 nodes (the 29 most connected kept, the rest merged into (other))" in overview
    graph_section = overview.split("## Module dependency graph", 1)[1]
    assert graph_section.count("\n| `pkg") == 45  # the table keeps every edge
    diagram = next(d for d in checker.diagrams_in([overview]) if "(other)" in d or "#40;other#41;" in d)
    assert diagram.count('["') <= 40 + 2  # nodes plus subgraph titles
    checker.assert_all_parse([diagram])


def test_other_ci_systems_are_listed(tmp_path: Path) -> None:
    pages = _build(fx.make(tmp_path / "gl", {".gitlab-ci.yml": "test:\n  script: pytest\n", "a.py": "x = 1\n"}).root)
    page = pages["architecture/deployment-architecture.md"]
    assert "Other CI configuration: `.gitlab-ci.yml`." in page
    assert "No container, orchestration or CI/CD configuration" not in page
    _no_debris(page)
