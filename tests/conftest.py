from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import Repo


@pytest.fixture(autouse=True)
def _hermetic_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's keys, tokens or proxies."""
    for var in ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_PROFILE", "GITHUB_TOKEN",
                "GITHUB_REPOSITORY", "GITHUB_API_URL", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """An empty git repository."""
    return Repo(tmp_path / "repo")


@pytest.fixture
def sample_repo(tmp_path: Path) -> Repo:
    """A small Python project with history, tags, two contributors and two hand-written ADRs."""
    r = Repo(tmp_path / "sample")
    r.commit("Initial commit", {
        "README.md": "# Sample\n\n[![ci](https://img.shields.io/x.svg)](https://x)\n\n"
                     "Sample is a tiny service that stores notes and serves them over HTTP.\n\n"
                     "## Installation\n\n```bash\npip install -e .\n```\n",
        "pyproject.toml": "[project]\nname = 'sample'\n\n[tool.ruff]\nline-length = 100\n",
    }, date="2024-01-05T10:00:00+00:00")
    r.commit("Add the notes package", {
        "sample/__init__.py": "",
        "sample/notes.py": "def add(a, b):\n    return a + b\n",
        "tests/test_notes.py": "from sample.notes import add\n\ndef test_add():\n    assert add(1, 2) == 3\n",
    }, date="2024-02-10T10:00:00+00:00", author=("Grace Hopper", "grace@example.com"))
    r.tag("v0.1.0")
    r.commit("docs: record decisions", {
        "docs/adr/0001-record-architecture-decisions.md":
            "# 1. Record architecture decisions\n\nDate: 2024-03-01\n\n## Status\n\nAccepted\n\n## Context\n\n"
            "We need to record decisions.\n\n## Decision\n\nWe will use ADRs.\n\n## Consequences\n\nMore writing.\n",
        "docs/adr/0002-use-sqlite.md":
            "---\nstatus: accepted\ndate: 2024-03-15\ndecision-makers: Ada\n---\n\n# Use SQLite for storage\n\n"
            "## Context and Problem Statement\n\nNotes need to persist.\n\n## Decision Outcome\n\n"
            "Chosen option: SQLite, because it is embedded.\n",
    }, date="2024-03-15T10:00:00+00:00")
    r.commit("ci: add workflow", {
        ".github/workflows/ci.yml": "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
                                    "    steps:\n      - run: pytest\n",
        "Dockerfile": "FROM python:3.12-slim\nEXPOSE 8000\n",
    }, date="2024-04-01T10:00:00+00:00")
    r.tag("v0.2.0", "Second release")
    return r
