# The built site in a real browser: Debian's headless chromium through playwright, the site served on 127.0.0.1,
# mermaid self-hosted from the npm package through the `mermaid_js` option, every other host blocked.
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autodevhub_docs.rendering.llms import page_url
from tests.browser_tools import (
    DIAGRAM_SVGS,
    DIAGRAMS_RENDERED,
    ERROR_PROBE,
    MERMAID_JS,
    OPEN_SHADOW_ROOTS,
    guard_requests,
    launch,
    require_browser_tools,
    serve_folder,
)
from tests.helpers import Repo, mkdocs_build, write_mkdocs_yml

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STORY_TITLE = "Export my notes as a Zeppelin archive"
# The JSON of `gh issue list --state all --json number,title,body,labels,state,author,createdAt,updatedAt,closedAt,
# milestone,url` (the `issues_file` format).
ISSUES = [
    {"number": 1, "title": STORY_TITLE, "state": "OPEN", "body": "As a writer I want to export my notes.",
     "labels": [{"id": "LA_1", "name": "enhancement", "description": "New feature or request", "color": "a2eeef"}],
     "author": {"id": "U_1", "is_bot": False, "login": "ada", "name": "Ada"}, "createdAt": "2024-02-01T10:00:00Z",
     "updatedAt": "2024-02-02T10:00:00Z", "closedAt": None, "milestone": None,
     "url": "https://github.com/example/notes/issues/1"},
    {"number": 2, "title": "Search notes by tag", "state": "CLOSED", "body": "As a reader I want to find notes.",
     "labels": [{"id": "LA_2", "name": "feature", "description": "", "color": "a2eeef"}],
     "author": {"id": "U_2", "is_bot": False, "login": "grace", "name": "Grace"}, "createdAt": "2024-02-03T10:00:00Z",
     "updatedAt": "2024-02-05T10:00:00Z", "closedAt": "2024-02-05T10:00:00Z", "milestone": None,
     "url": "https://github.com/example/notes/issues/2"},
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_browser_tools()
    repo = Repo(tmp_path_factory.mktemp("browser") / "notes")
    repo.commit("Initial commit", {
        "README.md": "# Notes\n\nNotes stores notes and serves them over HTTP.\n",
        "pyproject.toml": "[project]\nname = 'notes'\ndependencies = ['fastapi']\n",
        "notes/__init__.py": "", "notes/api.py": "from fastapi import FastAPI\napp = FastAPI()\n\n\n@app.get('/notes')\n"
                                                      "def list_notes():\n    return []\n",
        "Dockerfile": "FROM python:3.12-slim\nEXPOSE 8000\n",
        "docs/adr/0001-use-sqlite.md": "# 1. Use SQLite\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n\n"
                                       "c\n\n## Decision\n\nd\n\n## Consequences\n\ne\n",
    })
    (repo.root / "issues.json").write_text(json.dumps(ISSUES), encoding="utf-8")
    options: dict[str, Any] = {"llm": "offline", "mermaid_js": str(MERMAID_JS), "issues_file": "issues.json"}
    broken = "# Broken diagram\n\n```mermaid\nflowchart LR\n  A[Web (React)] --> B\n```\n"  # unquoted parentheses
    config = write_mkdocs_yml(repo.root, options, docs={"index.md": "# Notes\n\nWelcome.\n",
                                                        "broken-diagram.md": broken}, extra={"theme": {"name": "material", "font": False,
                                                                    "features": ["navigation.sections"]}})
    done = mkdocs_build(config)
    assert done.returncode == 0, done.stderr
    return repo.root / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_browser_tools()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def visit(site: Path, browser: Any) -> Iterator[Any]:
    """Open site pages in a fresh context; afterwards, assert nothing tried to leave 127.0.0.1."""
    with serve_folder(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(OPEN_SHADOW_ROOTS)
        context.add_init_script(ERROR_PROBE)
        blocked = guard_requests(context)
        problems: list[str] = []

        def open_page(url: str) -> Any:
            page = context.new_page()
            page.on("console", lambda m: problems.append(f"{url}: console {m.type}: {m.text}")
                    if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"{url}: page error: {e}"))
            page.on("response", lambda r: problems.append(f"{url}: HTTP {r.status} for {r.url}")
                    if r.status >= 400 else None)
            page.goto(base + url, wait_until="load")
            return page

        open_page.problems = problems  # type: ignore[attr-defined]
        yield open_page
        context.close()
        assert blocked == [], f"requests to other hosts: {blocked}"


def generated_pages(site: Path) -> list[str]:
    report = json.loads((site.parent / ".cache" / "autodevhub" / "report.json").read_text(encoding="utf-8"))
    return report["pages"]


def test_every_generated_page_loads_cleanly_and_renders_its_diagrams(site: Path, visit: Any) -> None:
    pages = generated_pages(site)
    assert len(pages) >= 8
    diagrams = 0
    for uri in pages:
        url = page_url(uri).removeprefix("./")
        html = (site / url / "index.html").read_text(encoding="utf-8")
        expected = len(re.findall(r'<pre class="mermaid">', html))
        page = visit(url)
        assert page.title(), uri
        if expected:
            page.wait_for_function(DIAGRAMS_RENDERED, arg=expected, timeout=30_000)
            assert visit.problems == []
            svgs = page.evaluate(DIAGRAM_SVGS)
            assert len(svgs) == expected
            for svg in svgs:
                assert svg is not None and svg["role"] != "error" and "Syntax error" not in svg["text"], (uri, svg)
            diagrams += expected
        page.close()
    assert diagrams >= 1
    assert visit.problems == []


def test_the_diagram_check_catches_a_diagram_mermaid_rejects(visit: Any) -> None:
    # The same check on a hand-written page with a broken diagram: proof that the check above can fail.
    page = visit("broken-diagram/")
    page.wait_for_function(DIAGRAMS_RENDERED, arg=1, timeout=30_000)
    assert page.evaluate(DIAGRAM_SVGS) == []
    assert any("Parse error" in problem for problem in visit.problems), visit.problems


def test_search_finds_a_generated_page_by_its_title(visit: Any) -> None:
    page = visit("")
    _search(page, "Deployment Architecture")
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
    assert any(link.rstrip("/").endswith("architecture/deployment-architecture") for link in links), links
    assert visit.problems == []


def test_search_finds_a_story_by_its_title(visit: Any) -> None:
    page = visit("")
    _search(page, STORY_TITLE)
    results = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => [e.href, e.innerText])")
    assert any("/stories/" in href and "Zeppelin" in text for href, text in results), results


def _search(page: Any, query: str) -> None:
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=5)  # material searches on key events, as a person types
    page.wait_for_selector(".md-search-result__item", timeout=30_000)
