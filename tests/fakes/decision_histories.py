# Histories that reproduce how mined decision records used to go wrong, and a full-stack template's history with the
# eight decisions its maintainers would name. Every history is a real git repository built commit by commit.
from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import Repo

FULLSTACK_DECISIONS = {
    "Replace Poetry with uv",
    "Replace npm with Bun",
    "Replace Chakra UI with shadcn/ui",
    "Replace python-jose with PyJWT",
    "Replace MailCatcher with Mailpit",
    "Use DATABASE_URL instead of POSTGRES_DB, POSTGRES_PASSWORD and 3 more",
    "Migrate Chakra UI from v2 to v3",
    "Run prestart in its own container",
}
"""The decisions a maintainer of the template names, as the records title them."""


def _poetry(deps: dict[str, str], dev: dict[str, str]) -> str:
    lines = ["[tool.poetry]", 'name = "app"', "", "[tool.poetry.dependencies]", 'python = "^3.10"']
    lines += [f'{k} = "{v}"' for k, v in deps.items()]
    lines += ["", "[tool.poetry.group.dev.dependencies]"] + [f'{k} = "{v}"' for k, v in dev.items()]
    return "\n".join(lines) + "\n"


def _pep621(deps: list[str], dev: list[str]) -> str:
    body = "".join(f'    "{d}",\n' for d in deps)
    return (f'[project]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n{body}]\n\n[tool.uv]\n'
            f"dev-dependencies = {json.dumps(dev)}\n")


def _package(deps: dict[str, str], dev: dict[str, str], scripts: dict[str, str] | None = None) -> str:
    return json.dumps({"name": "frontend", "scripts": scripts or {"build": "tsc && vite build"},
                       "dependencies": deps, "devDependencies": dev}, indent=2) + "\n"


def _compose(mail: str, *, prestart: bool = False) -> str:
    text = ("services:\n  db:\n    image: postgres:12\n  adminer:\n    image: adminer\n"
            f"  mailcatcher:\n    image: {mail}\n  backend:\n    build: ./backend\n"
            "    env_file: [.env]\n")
    if prestart:
        text += "  prestart:\n    build: ./backend\n    command: bash scripts/prestart.sh\n"
    return text


_ENV_SPLIT = "POSTGRES_SERVER=db\nPOSTGRES_PORT=5432\nPOSTGRES_DB=app\nPOSTGRES_USER=postgres\nPOSTGRES_PASSWORD=x\n"
_ENV_URL = "DATABASE_URL=postgresql+psycopg://postgres:x@db:5432/app\n"
_CI = ("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
       "      - run: {install}\n      - run: {test}\n")


def fullstack_template(root: Path) -> Repo:
    """A FastAPI + React template whose history holds eight real decisions and a lot of ordinary work."""
    r = Repo(root)
    backend = {"fastapi": "^0.109", "sqlmodel": "^0.0.16", "python-jose": "^3.3", "psycopg": "^3.1"}
    dev = {"pytest": "^7.4", "mypy": "^1.8", "ruff": "^0.2"}
    frontend = {"react": "^18.2", "@chakra-ui/react": "^2.8"}
    r.commit("Initial template", {
        "README.md": "# Full stack template\n", "backend/pyproject.toml": _poetry(backend, dev),
        "backend/poetry.lock": "# lock\n", "backend/app/main.py": "from fastapi import FastAPI\n",
        "frontend/package.json": _package(frontend, {"vite": "^5", "typescript": "^5"}),
        "frontend/package-lock.json": "{}\n", "docker-compose.yml": _compose("schickling/mailcatcher"),
        ".env": _ENV_SPLIT, ".github/workflows/test.yml": _CI.format(install="pipx install poetry && poetry install", test="poetry run pytest"),
    }, date="2024-01-10T10:00:00+00:00")
    r.commit("Fix typo in README", {"README.md": "# Full-stack template\n"}, date="2024-01-12T10:00:00+00:00")
    r.commit("Bump fastapi from 0.109 to 0.110", {"backend/pyproject.toml": _poetry(
        {**backend, "fastapi": "^0.110"}, dev)}, date="2024-02-01T10:00:00+00:00")
    backend["fastapi"] = "^0.110"
    r.commit("Replace python-jose with PyJWT\n\npython-jose is unmaintained and has open security advisories.",
             {"backend/pyproject.toml": _poetry({**{k: v for k, v in backend.items() if k != "python-jose"},
                                                 "pyjwt": "^2.8"}, dev)}, date="2024-03-05T10:00:00+00:00")
    backend = {**{k: v for k, v in backend.items() if k != "python-jose"}, "pyjwt": "^2.8"}
    r.commit("Use Mailpit instead of MailCatcher for local e-mail",
             {"docker-compose.yml": _compose("axllent/mailpit")}, date="2024-04-02T10:00:00+00:00")
    r.commit("Move migrations to a prestart container\n\nThe backend no longer runs alembic on start.",
             {"docker-compose.yml": _compose("axllent/mailpit", prestart=True)}, date="2024-05-06T10:00:00+00:00")
    r.commit("Use a single DATABASE_URL setting instead of separate variables", {".env": _ENV_URL},
             date="2024-06-10T10:00:00+00:00")
    r.commit("Migrate to Chakra UI v3", {"frontend/package.json": _package(
        {"react": "^18.2", "@chakra-ui/react": "^3.2"}, {"vite": "^5", "typescript": "^5"})},
        date="2024-07-15T10:00:00+00:00")
    r.commit("Use uv for the backend\n\nuv resolves and installs much faster than Poetry.", {
        "backend/pyproject.toml": _pep621([f"{k}{v.replace('^', '>=')}" for k, v in backend.items()],
                                          ["pytest>=7.4", "mypy>=1.8", "ruff>=0.2"]),
        "backend/uv.lock": "version = 1\n",
        ".github/workflows/test.yml": _CI.format(install="uv sync", test="uv run pytest")},
        remove=("backend/poetry.lock",), date="2024-08-20T10:00:00+00:00")
    r.commit("Use Bun for the frontend", {"frontend/bun.lockb": "bun\n", "frontend/package.json": _package(
        {"react": "^18.2", "@chakra-ui/react": "^3.2"}, {"vite": "^5", "typescript": "^5"},
        {"build": "tsc && vite build", "dev": "bunx vite"})}, remove=("frontend/package-lock.json",),
        date="2024-09-10T10:00:00+00:00")
    r.commit("Add an items page", {"frontend/src/items.tsx": "export const Items = () => null\n"},
             date="2024-09-20T10:00:00+00:00")
    r.commit("Replace Chakra UI with shadcn/ui\n\nshadcn/ui components live in the repository and use Tailwind.", {
        "frontend/package.json": _package({"react": "^18.2", "@radix-ui/react-dialog": "^1", "tailwind-merge": "^2"},
                                          {"vite": "^5", "typescript": "^5", "tailwindcss": "^3"},
                                          {"build": "tsc && vite build", "dev": "bunx vite"}),
        "frontend/components.json": '{"$schema": "https://ui.shadcn.com/schema.json", "style": "new-york"}\n'},
        date="2024-11-04T10:00:00+00:00")
    r.commit("Removed flake8 exclusion", {"backend/setup.cfg": "[flake8]\nmax-line-length = 100\n"},
             date="2024-11-10T10:00:00+00:00")
    return r


def feature_branch_merged_after_main_moved(root: Path) -> tuple[Repo, str]:
    """main adds requests after a feature branch forked; the branch (dated later) edits the manifest without it."""
    r = Repo(root)
    r.commit("Initial commit", {"requirements.txt": "flask\n"}, date="2024-01-01T10:00:00+00:00")
    r.git("checkout", "-q", "-b", "feature")
    branch = r.commit("Fixed wrong search result locations", {"requirements.txt": "flask\nwhoosh\n"},
                      date="2024-03-01T10:00:00+00:00")
    r.git("checkout", "-q", "main")
    r.commit("Add requests for the payment client", {"requirements.txt": "flask\nrequests\n"},
             date="2024-02-01T10:00:00+00:00")
    r.git("merge", "-q", "--no-ff", "feature", "-m", "Merge branch 'feature'", "--strategy-option", "theirs",
          env={"GIT_AUTHOR_DATE": "2024-03-05T10:00:00+00:00", "GIT_COMMITTER_DATE": "2024-03-05T10:00:00+00:00"})
    r.write({"requirements.txt": "flask\nrequests\nwhoosh\n"})  # the merge keeps both sides
    r.git("add", "-A")
    r.git("commit", "-q", "--amend", "--no-edit")
    return r, branch
