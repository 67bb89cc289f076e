# The system model: who talks to whom, from evidence only. Exact edges with protocols on a compose full-stack app,
# a Kubernetes app and a library; every edge has a file and line; the diagram parses.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.analysis.system.components import cli_tools
from autodevhub_docs.model import SystemModel
from autodevhub_docs.sources.checkout import Checkout
from tests import mermaid
from tests.fakes import arch_repos as fx

COMPOSE_APP = {
    "docker-compose.yml": (
        "services:\n"
        "  db:\n    image: postgres:17\n    environment:\n      POSTGRES_PASSWORD: changethis\n"
        "  adminer:\n    image: adminer\n    depends_on: [db]\n    labels:\n"
        "      - traefik.http.routers.adminer.rule=Host(`adminer.example.com`)\n"
        "  mailpit:\n    image: axllent/mailpit\n"
        "  prestart:\n    build: ./backend\n    command: bash scripts/prestart.sh\n    depends_on: [db]\n"
        "    environment:\n      DATABASE_URL: postgresql+psycopg://app:secret@db:5432/app\n"
        "  backend:\n    build: ./backend\n    depends_on: [db, prestart]\n    environment:\n"
        "      DATABASE_URL: postgresql+psycopg://app:secret@db:5432/app\n      SMTP_HOST: mailpit\n"
        "      SENTRY_DSN: ''\n    labels:\n      - traefik.http.routers.backend.rule=Host(`api.example.com`)\n"
        "  frontend:\n    build: ./frontend\n    labels:\n"
        "      - traefik.http.routers.frontend.rule=Host(`dashboard.example.com`)\n"),
    "docker-compose.traefik.yml": "services:\n  traefik:\n    image: traefik:3.0\n    ports: ['80:80', '443:443']\n",
    "backend/pyproject.toml": '[project]\nname = "app"\ndependencies = ["fastapi", "sqlmodel", "psycopg", '
                              '"sentry-sdk"]\n',
    "backend/app/main.py": "import sentry_sdk\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
                           "@app.get('/api/v1/items')\ndef items():\n    return []\n",
    "frontend/package.json": '{"name": "frontend", "dependencies": {"react": "^18"}, '
                             '"devDependencies": {"@hey-api/openapi-ts": "^0.5", "vite": "^5"}}',
    "frontend/.env": "VITE_API_URL=http://localhost:8000\n",
}

K8S_APP = {
    "k8s/api.yaml": ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n"
                     "    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n"
                     "        - name: api\n          image: ghcr.io/acme/api:1\n          env:\n"
                     "            - name: REDIS_URL\n              value: redis://cache-svc:6379/0\n"
                     "            - name: DATABASE_URL\n              value: postgres://u@pg:5432/app\n"),
    "k8s/cache.yaml": ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cache\nspec:\n  template:\n"
                       "    metadata:\n      labels:\n        app: cache\n    spec:\n      containers:\n"
                       "        - name: redis\n          image: redis:7\n---\n"
                       "apiVersion: v1\nkind: Service\nmetadata:\n  name: cache-svc\nspec:\n  selector:\n"
                       "    app: cache\n  ports:\n    - port: 6379\n"),
    "k8s/pg.yaml": ("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: pg\nspec:\n  template:\n"
                    "    metadata:\n      labels:\n        app: pg\n    spec:\n      containers:\n"
                    "        - name: postgres\n          image: postgres:16\n"),
}

LIBRARY = {
    "pyproject.toml": '[project]\nname = "lib"\ndescription = "Reads feeds and stores them."\n'
                      'dependencies = ["openai"]\n',
    "lib/__init__.py": "",
    "lib/sources/__init__.py": "", "lib/sources/fetch.py": "import subprocess\n\n\ndef fetch():\n"
                                                          "    return subprocess.run(['git', 'pull'], check=False)\n",
    "lib/store.py": "import sqlite3\n\nfrom lib.sources import fetch\n",
    "lib/summarise/__init__.py": "", "lib/summarise/ai.py": "import openai\n\nfrom lib import store\n",
    "lib/cli.py": "from lib.summarise import ai\nfrom lib import store\n",
    "README.md": "# lib\n\nClick the Use this template button to start.\n",
}


def model_of(tmp_path: Path, files: dict[str, str]) -> SystemModel:
    return fx.analysed(fx.make(tmp_path / "r", files).root)[1].system


def edges(system: SystemModel) -> set[tuple[str, str, str]]:
    names = {c.key: c.name for c in system.containers}
    return {(names[c.source], names[c.target], c.protocol) for c in system.connections}


def test_a_compose_full_stack_app_shows_who_talks_to_whom(tmp_path: Path) -> None:
    system = model_of(tmp_path, COMPOSE_APP)
    assert system.level == "containers"
    kinds = {c.name: c.kind for c in system.containers}
    assert kinds == {"User (browser)": "person", "traefik": "proxy", "frontend": "frontend", "backend": "service",
                     "prestart": "worker", "adminer": "admin", "db": "database", "mailpit": "mail",
                     "Sentry": "external"}
    assert edges(system) == {
        ("User (browser)", "traefik", "HTTPS"),
        ("traefik", "backend", "HTTP"), ("traefik", "adminer", "HTTP"), ("traefik", "frontend", "HTTP"),
        ("backend", "db", "SQL"), ("backend", "prestart", "HTTP"), ("backend", "mailpit", "SMTP"),
        ("prestart", "db", "SQL"), ("adminer", "db", "SQL"),
        ("frontend", "backend", "HTTP"),
        ("backend", "Sentry", "HTTPS"),
    }
    for connection in system.connections:  # no edge without a file and a line
        assert connection.evidence.path and connection.evidence.line
    assert "secret" not in repr(system)  # credentials in URLs are never kept


def test_kubernetes_services_route_to_the_workloads_they_select(tmp_path: Path) -> None:
    system = model_of(tmp_path, K8S_APP)
    assert edges(system) == {("api", "cache", "Redis"), ("api", "pg", "SQL"), ("User (browser)", "api", "HTTP")}


def test_a_library_shows_its_packages_in_data_flow_order_and_what_it_calls(tmp_path: Path) -> None:
    system = model_of(tmp_path, LIBRARY)
    assert system.level == "components"
    assert edges(system) == {("sources", "store", "import"), ("store", "summarise", "import"),
                             ("store", "cli", "import"), ("summarise", "cli", "import"),
                             ("sources", "git", "CLI"), ("store", "SQLite", "SQL"), ("summarise", "OpenAI", "HTTPS")}


def test_no_edge_without_evidence_on_an_app_with_nothing_to_connect(tmp_path: Path) -> None:
    system = model_of(tmp_path, {"docker-compose.yml": "services:\n  web:\n    build: .\n  db:\n    image: redis\n",
                                 "app.py": "print(1)\n"})
    assert edges(system) == {("User (browser)", "web", "HTTP")}  # redis is declared but nothing names it


@pytest.mark.mermaid
def test_the_diagrams_parse(tmp_path: Path) -> None:
    from autodevhub_docs.generators.system_view import system_diagram
    from autodevhub_docs.rendering.diagrams import from_spec

    texts = [from_spec(system_diagram(model_of(tmp_path / name, files)))  # type: ignore[arg-type]
             for name, files in (("a", COMPOSE_APP), ("b", K8S_APP), ("c", LIBRARY))]
    mermaid.assert_all_parse(texts)


def test_the_first_paragraph_describes_the_project_not_the_template(tmp_path: Path) -> None:
    from autodevhub_docs.pipeline import run_build
    from autodevhub_docs.settings import Settings

    repo = fx.make(tmp_path / "lib", LIBRARY)
    pages = run_build(Settings(repo_path=repo.root, cache_dir=tmp_path / "c", llm="offline",
                               sections=("architecture",))).pages
    first = pages["architecture/index.md"].split("\n\n")[1]
    assert first == "Reads feeds and stores them."
    assert "Use this template" not in pages["architecture/index.md"]


def test_no_table_cell_holds_more_than_six_links(tmp_path: Path) -> None:
    import re

    from autodevhub_docs.pipeline import run_build
    from autodevhub_docs.settings import Settings

    many = {f".github/workflows/w{i}.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
                                           "      - run: pytest\n" for i in range(15)}
    for name, files in (("compose", COMPOSE_APP), ("library", LIBRARY), ("ci", {**LIBRARY, **many})):
        repo = fx.make(tmp_path / name, files)
        repo.git("remote", "add", "origin", "https://git.example.com/acme/app.git")  # links, and no GitHub sync
        pages = run_build(Settings(repo_path=repo.root, cache_dir=tmp_path / f"c-{name}", llm="offline")).pages
        for uri, text in pages.items():
            for row in (line for line in text.split("\n") if line.startswith("|")):
                for cell in row.split(" | "):
                    assert len(re.findall(r"\]\(<", cell)) <= 6, (uri, row)
        index = pages["architecture/index.md"]
        assert "](<https://git.example.com/acme/app/blob/" in index  # the pages do link: the check is not vacuous
        if name == "ci":
            assert "and 10 more" in index and "<details><summary>" in index


def test_only_the_files_that_import_subprocess_are_read_again_for_the_tools_they_run(tmp_path: Path) -> None:
    # The tools a component runs are read from `subprocess.run([...])` calls: a call needs the name bound by an
    # import, so the other files (most of a code base) are not read a second time after the single pass.
    files = {**LIBRARY, "lib/notes.py": "# subprocess.run(['git', 'push']) is only mentioned here\n",
             "lib/alias.py": "import subprocess as sp\n\n\ndef push():\n    return sp.run(['git', 'push'])\n"}
    root = fx.make(tmp_path / "r", files).root
    reads: list[str] = []
    checkout = Checkout(root)

    def read_text(path: str) -> str | None:
        reads.append(path)
        return checkout.read_text(path)

    code = {"lib.sources.fetch": "lib/sources/fetch.py", "lib.notes": "lib/notes.py", "lib.alias": "lib/alias.py",
            "lib.store": "lib/store.py"}
    tools = cli_tools(code, read_text, {"lib/sources/fetch.py"})
    assert [(module, tool, ref.path, ref.line) for module, tool, ref in tools] == [
        ("lib.sources.fetch", "git", "lib/sources/fetch.py", 5)]
    assert reads == ["lib/sources/fetch.py"]
    system = model_of(tmp_path / "whole", files)  # the whole analysis passes the files that bind the name
    assert ("sources", "git", "CLI") in edges(system)
    assert {c.name for c in system.containers if c.kind == "tool"} == {"git"}
