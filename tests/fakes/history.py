# A repository whose history holds real-looking architecture decisions, and GitHub-style facts about it.
from __future__ import annotations

from pathlib import Path

from autodevhub_docs.model import GitHubFacts, Issue, Milestone, PullRequest
from tests.helpers import Repo

NYGARD_ADR = """# 1. Record architecture decisions

Date: 2022-11-02

## Status

Accepted

## Context

We need to record the architectural decisions made on this project.

## Decision

We will use Architecture Decision Records, as described by Michael Nygard.

## Consequences

See Michael Nygard's article.
"""

MADR_ADR = """---
status: "accepted"
date: 2022-11-20
decision-makers: Ada Lovelace
---

# Use Flask for the web layer

## Context and Problem Statement

We need a small HTTP framework.

## Decision Outcome

Chosen option: "Flask", because the team knows it.
"""


def _pyproject(deps: list[str], dev: list[str]) -> str:
    lines = ["[tool.poetry]", 'name = "shop"', "", "[tool.poetry.dependencies]", 'python = "^3.11"']
    lines += [f'{d} = "*"' for d in deps]
    lines += ["", "[tool.poetry.group.dev.dependencies]"] + [f'{d} = "*"' for d in dev]
    return "\n".join(lines) + "\n"


def compose(db_image: str) -> str:
    return f"services:\n  web:\n    build: .\n    ports: ['8000:8000']\n  db:\n    image: {db_image}\n"


def migration_repo(root: Path, *, with_adrs: bool = True) -> Repo:
    """Build the history: requests -> httpx -> aiohttp, mysql -> postgres, pip -> poetry, npm -> pnpm."""
    r = Repo(root)
    files: dict[str, str] = {
        "README.md": "# Shop\n\nA small web shop.\n",
        "requirements.txt": "flask==3.0.0\nrequests>=2.31\npymysql\npytest\n",
        "shop/app.py": "from flask import Flask\napp = Flask(__name__)\n\n\n@app.get('/')\ndef index():\n    return 'ok'\n",
        "docker-compose.yml": compose("mysql:8.0"),
        "web/package.json": '{"name": "web", "dependencies": {"react": "^18"}, "devDependencies": {"jest": "^29"}}\n',
        "web/package-lock.json": "{}\n",
    }
    if with_adrs:
        files["docs/adr/0001-record-architecture-decisions.md"] = NYGARD_ADR
    r.commit("Initial commit", files, date="2022-11-01T09:00:00+00:00")
    if with_adrs:
        r.commit("docs: record the web framework decision", {"docs/adr/0002-use-flask.md": MADR_ADR},
                 date="2022-11-20T09:00:00+00:00")
    r.commit("Switch the HTTP client from requests to httpx\n\nhttpx gives us async support and HTTP/2.",
             {"requirements.txt": "flask==3.0.0\nhttpx>=0.27\npymysql\npytest\n"},
             date="2023-02-14T10:00:00+00:00", author=("Grace Hopper", "grace@example.com"))
    r.commit("Remove unused helpers", {"shop/app.py": "from flask import Flask\napp = Flask('shop')\n\n\n@app.get('/')\n"
                                                "def index():\n    return 'ok'\n"},
             date="2023-03-01T10:00:00+00:00")
    r.commit("Migrate the database from MySQL to PostgreSQL",
             {"docker-compose.yml": compose("postgres:16-alpine"),
              "requirements.txt": "flask==3.0.0\nhttpx>=0.27\npsycopg[binary]>=3.1\npytest\n"},
             date="2023-05-10T10:00:00+00:00")
    r.commit("Move dependency management to Poetry",
             {"pyproject.toml": _pyproject(["flask", "httpx", "psycopg"], ["pytest"]), "poetry.lock": "# lock\n"},
             remove=("requirements.txt",), date="2023-08-01T10:00:00+00:00")
    r.commit("web: use pnpm", {"web/pnpm-lock.yaml": "lockfileVersion: '9.0'\n"}, remove=("web/package-lock.json",),
             date="2023-09-15T10:00:00+00:00")
    r.commit("Add aiohttp for the streaming client",
             {"pyproject.toml": _pyproject(["flask", "httpx", "aiohttp", "psycopg"], ["pytest"])},
             date="2024-01-10T10:00:00+00:00", author=("Grace Hopper", "grace@example.com"))
    r.commit("Drop httpx in favour of aiohttp",
             {"pyproject.toml": _pyproject(["flask", "aiohttp", "psycopg"], ["pytest"])},
             date="2024-02-01T10:00:00+00:00", author=("Grace Hopper", "grace@example.com"))
    return r


def land_new_decision(r: Repo) -> str:
    """A later commit that replaces Jest with Vitest (a new decision landing after the first builds)."""
    return r.commit("web: replace Jest with Vitest",
                    {"web/package.json": '{"name": "web", "dependencies": {"react": "^18"}, '
                                         '"devDependencies": {"vitest": "^1"}}\n'},
                    date="2024-04-01T10:00:00+00:00")


def github_facts(*, httpx_sha: str = "", base: str = "https://github.com/acme/shop") -> GitHubFacts:
    """Issues, PRs and milestones as issue 4's sources would produce them."""
    def issue(number: int, title: str, body: str = "", **kw: object) -> Issue:
        return Issue(number=number, title=title, body=body, url=f"{base}/issues/{number}",
                     created_at=str(kw.pop("created_at", "2023-01-05T10:00:00Z")), **kw)  # type: ignore[arg-type]

    def pr(number: int, title: str, **kw: object) -> PullRequest:
        return PullRequest(number=number, title=title, body=str(kw.pop("body", "")), url=f"{base}/pull/{number}",
                           created_at=str(kw.pop("created_at", "2023-02-01T10:00:00Z")), **kw)  # type: ignore[arg-type]

    issues = (
        issue(1, "As a shopper I want to save my cart",
              "As a shopper, I want to save my cart, so that I can finish buying later.\n\n"
              "- [x] cart survives a reload\n- [ ] cart is shared between devices\n",
              state="closed", labels=("enhancement",), milestone="v1.0", reactions=7, comments=3,
              state_reason="completed", author="alice"),
        issue(2, "Add support for gift cards", "Shops want gift cards.\n\nGiven a gift card with 10 EUR\n"
              "When I pay 8 EUR with it\nThen 2 EUR remain on the card\n", state="open",
              labels=("feature", "payments"), reactions=2, comments=1, author="bob"),
        issue(3, "[Feature] Export orders as CSV", "### Feature description\n\nAccountants need a CSV export.\n",
              state="open", milestone="v1.0", author="carol"),
        issue(4, "Checkout crashes with an empty cart", "### Steps to reproduce\n\n1. empty cart\n2. pay\n",
              state="open", labels=("bug",), milestone="v1.0", reactions=4, comments=2),
        issue(5, "Save cart (duplicate)", "same as #1", state="closed", labels=("duplicate",),
              state_reason="not_planned"),
        issue(6, "Dark mode", "It would be nice.", state="open", labels=("wontfix",)),
        issue(7, "Wishlist for products", "Users keep asking for a wishlist.", state="open",
              labels=("enhancement",)),
        issue(8, "Evaluate switching to PostgreSQL", "MySQL JSON support is too weak for us.", state="closed",
              labels=("decision",), state_reason="completed", created_at="2023-04-20T10:00:00Z"),
        issue(9, "<script>alert(1)</script> @everyone --8<-- /etc/passwd", "As a hacker I want {{ 7*7 }}",
              state="open", labels=("enhancement",)),
    )
    pulls = (
        pr(10, "Save carts in local storage", state="closed", merged_at="2023-03-01T10:00:00Z", closes=(1,),
           author="alice"),
        pr(11, "Gift card payments", state="open", closes=(2,), author="bob"),
        pr(12, "Use httpx instead of requests", state="closed", merged_at="2023-02-14T10:00:00Z",
           merge_sha=httpx_sha or None, body="requests has no async API; httpx does.", author="grace"),
        pr(13, "Move to PostgreSQL", state="closed", merged_at="2023-05-10T10:00:00Z", closes=(8,),
           body="Closes #8.", author="ada"),
        pr(14, "Adopt trunk-based development", state="open", labels=("adr",), created_at="2024-03-01T10:00:00Z",
           body="Short-lived branches only."),
    )
    milestones = (Milestone(number=1, title="v1.0", state="open", description="First public release.",
                            due_on="2024-06-01T00:00:00Z"),)
    return GitHubFacts(repo="acme/shop", html_url=base, issues=issues, pulls=pulls, milestones=milestones)
