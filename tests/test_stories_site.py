# The story section end to end: GitHub-style facts -> story map and epic pages, offline and with a model answering,
# with untrusted issue text kept as text and invented references removed.
from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest

from autodevhub_docs.analysis.stage import github_usable
from autodevhub_docs.analysis.stories import triage
from autodevhub_docs.generators.base import GenContext
from autodevhub_docs.generators.stories import StoryGenerator
from autodevhub_docs.llm.client import LLMClient, ProseRequest
from autodevhub_docs.llm.offline import OfflineWriter
from autodevhub_docs.model import ArchitectureFacts, RepoFacts
from autodevhub_docs.model.analysis import Analysis
from autodevhub_docs.pipeline import run_build
from autodevhub_docs.rendering.env import SourceLinker, make_env, render
from autodevhub_docs.settings import Settings
from tests import mermaid
from tests.fakes.history import github_facts
from tests.fakes.writer import ScriptedWriter
from tests.helpers import Repo


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> RepoFacts:
    r = Repo(tmp_path_factory.mktemp("stories") / "shop")
    r.commit("Initial commit", {"README.md": "# Shop\n"})
    settings = Settings(repo_path=r.root, cache_dir=r.root.parent / "cache", sections=("stories",), llm="offline")
    return dataclasses.replace(run_build(settings).facts, github=github_facts())


def build(facts: RepoFacts, writer: LLMClient | None = None, **settings: Any) -> tuple[dict[str, str], list[Any]]:
    options = Settings(repo_path=Path(facts.root), sections=("stories",), **settings)
    ctx = GenContext(settings=options, analysis=Analysis(
        facts=facts, architecture=ArchitectureFacts(), github_usable=github_usable(facts, allow_private=options.allow_private),
        triage=triage(facts.github) if facts.github and github_usable(facts, allow_private=options.allow_private) else None))
    generator = StoryGenerator()
    requests = generator.plan(ctx)
    prose = (writer or OfflineWriter()).write(requests, {})
    docs = generator.build(ctx, prose)
    env = make_env()
    linker = SourceLinker(facts.web_url, facts.head)
    return {d.uri: render(env, d.template, {**d.context, "src": linker}) for d in docs}, docs


def test_offline_story_map_and_epic_pages(facts: RepoFacts) -> None:
    pages, docs = build(facts)
    assert set(pages) == {"stories/index.md", "stories/v1-0.md", "stories/payments.md", "stories/unplanned.md"}
    index = pages["stories/index.md"]
    assert "5 stories" in index and "3 open, 1 in progress, 1 done" in index
    assert "| [v1.0](<v1-0.md>) | 1 | 0 | 1 | 2 | 1 | milestone |" in index
    assert "| [payments](<payments.md>) | 0 | 1 | 0 | 1 | 0 | label |" in index
    assert "| [Unplanned](<unplanned.md>) | 2 | 0 | 0 | 2 | 0 | no milestone or area label |" in index
    assert "2 issues closed as duplicate, won't fix or not planned" in index
    milestone = pages["stories/v1-0.md"]
    assert "First public release." in milestone
    assert "**As a shopper**, **I want** to save my cart, **so that** I can finish buying later." in milestone
    assert "done, closed by [PR \\#10](<https://github.com/acme/shop/pull/10>)" in milestone
    assert "* [x] cart survives a reload" in milestone and "* [ ] cart is shared between devices" in milestone
    assert "**Demand:** 7 reactions, 3 comments" in milestone
    assert "## Known issues" in milestone and "Checkout crashes with an empty cart | bug" in milestone
    assert "*(derived: the issue names no role)*" in milestone  # issue 3 states no role
    payments = pages["stories/payments.md"]
    assert "in progress: [PR \\#11](<https://github.com/acme/shop/pull/11>) (open)" in payments
    assert "**Given** a gift card with 10 EUR **when** I pay 8 EUR with it **then** 2 EUR remain" in payments
    assert "Save cart (duplicate)" not in "".join(pages.values())
    inventory = next(d for d in docs if d.uri == "stories/index.md").inventory
    assert inventory["story"]["#2"] == "Add support for gift cards (in progress)"


def test_untrusted_issue_text_stays_text(facts: RepoFacts) -> None:
    pages, _ = build(facts)
    text = "".join(pages.values())
    assert "<script>" not in text and "@everyone" not in text and "{{" not in text
    assert not any(line.lstrip().startswith("--8<--") or ";--8<--" in line for line in text.splitlines())


@pytest.mark.mermaid
def test_story_map_diagram_parses(facts: RepoFacts) -> None:
    pages, _ = build(facts)
    diagrams = mermaid.diagrams_in(pages.values())
    assert len(diagrams) == 1
    mermaid.assert_all_parse(diagrams)


def _fake_claude(request: ProseRequest) -> dict[str, Any]:
    if request.key == "stories/epics":
        return {"epics": [{"name": "Wishlists", "numbers": [7, 999]}, {"name": "Security", "numbers": [9, 7]}]}
    number = request.data["number"]
    return {"role": "power user" if number == 7 else "", "role_stated": number == 7,
            "capability": f"to do thing {number} as agreed in #4242", "benefit": "it saves time (see #1)",
            "criteria": [{"given": "a cart", "when": "I reload", "then": "it is still there, per commit cafe1234"}],
            "refs": [f"#{number}", "#4242"]}


def test_claude_clusters_and_writes_stories_with_references_checked(facts: RepoFacts) -> None:
    writer = ScriptedWriter(_fake_claude)
    pages, _ = build(facts, writer)
    keys = {r.key for r in writer.requests}
    assert keys == {"stories/story-1", "stories/story-2", "stories/story-3", "stories/story-7", "stories/story-9",
                    "stories/epics"}
    cluster = next(r for r in writer.requests if r.key == "stories/epics")
    assert {i["number"] for i in cluster.data["issues"]} == {7, 9}  # only issues with no milestone or label
    assert set(pages) == {"stories/index.md", "stories/v1-0.md", "stories/payments.md", "stories/wishlists.md",
                          "stories/security.md"}
    assert "Claude's grouping" in pages["stories/index.md"]
    wishlists = pages["stories/wishlists.md"]
    assert "**As a power user**, **I want** to do thing 7 as agreed" in wishlists
    assert "4242" not in wishlists and "cafe1234" not in wishlists
    assert "**Given** a cart **when** I reload **then** it is still there" in wishlists
    assert "removed from Claude's text" in wishlists
    security = pages["stories/security.md"]
    assert "**As a user** *(derived: the issue names no role)*" in security
    assert "without Claude" not in security


def test_private_repository_is_not_published(facts: RepoFacts) -> None:
    private = dataclasses.replace(facts, github=dataclasses.replace(facts.github, private=True))  # type: ignore[arg-type]
    pages, _ = build(private)
    assert set(pages) == {"stories/index.md"}
    assert "private repository" in pages["stories/index.md"] and "gift" not in pages["stories/index.md"]
    allowed, _ = build(private, allow_private=True)
    assert "stories/payments.md" in allowed


def test_no_github_says_so(tmp_path: Path) -> None:
    r = Repo(tmp_path / "plain")
    r.commit("Initial commit", {"README.md": "# Plain\n"})
    pages = run_build(Settings(repo_path=r.root, cache_dir=tmp_path / "cache", sections=("stories",),
                               llm="offline")).pages
    assert list(pages) == ["stories/index.md", "llms.txt"]
    assert "No issues were available" in pages["stories/index.md"]


def _gh_issue(number: int, title: str, body: str, state: str, labels: list[str], milestone: str | None) -> dict:
    return {"number": number, "title": title, "body": body, "state": state.upper(),
            "labels": [{"id": f"L{n}", "name": n, "description": "", "color": "ededed"} for n in labels],
            "author": {"id": "U1", "is_bot": False, "login": "alice", "name": "Alice"},
            "createdAt": "2024-01-02T10:00:00Z", "updatedAt": "2024-01-03T10:00:00Z",
            "closedAt": "2024-01-03T10:00:00Z" if state == "closed" else None,
            "milestone": {"number": 1, "title": milestone, "description": "First release", "dueOn": None}
            if milestone else None,
            "url": f"https://github.com/acme/shop/issues/{number}"}


@pytest.mark.needs_issue4
@pytest.mark.skipif(importlib.util.find_spec("autodevhub_docs.sources.export") is None,
                    reason="the gh export reader (issue 4) is not merged yet")
def test_stories_from_a_gh_issue_export(tmp_path: Path) -> None:
    r = Repo(tmp_path / "shop")
    r.commit("Initial commit", {"README.md": "# Shop\n"})
    export = tmp_path / "issues.json"
    export.write_text(json.dumps([
        _gh_issue(1, "As a shopper I want to save my cart", "As a shopper, I want to save my cart.\n\n- [ ] reload",
                  "closed", ["enhancement"], "v1.0"),
        _gh_issue(2, "Add support for gift cards", "Shops want gift cards.", "open", ["feature", "payments"], None),
        _gh_issue(3, "Checkout crashes", "### Steps to reproduce\n\n1. pay", "open", ["bug"], "v1.0"),
        _gh_issue(4, "Save cart again", "dup", "closed", ["duplicate"], None),
    ]), encoding="utf-8")
    pages = run_build(Settings(repo_path=r.root, cache_dir=tmp_path / "cache", sections=("stories",), llm="offline",
                               issues_file=export)).pages
    assert {"stories/index.md", "stories/v1-0.md", "stories/payments.md"} <= set(pages)
    assert "**As a shopper**, **I want** to save my cart" in pages["stories/v1-0.md"]
    assert "Checkout crashes | bug" in pages["stories/v1-0.md"]
    assert "Save cart again" not in "".join(pages.values())


def test_story_links_to_the_decisions_and_components_its_pull_request_touched(tmp_path: Path) -> None:
    from tests.helpers import mkdocs_build, write_mkdocs_yml

    repo = Repo(tmp_path / "shop")
    toml = '[project]\nname = "shop"\ndependencies = ["{dep}"]\n'
    repo.commit("Initial commit", {"README.md": "# Shop\n", "pyproject.toml": toml.format(dep="requests"),
                                   "app/__init__.py": "", "app/login.py": "import requests\n",
                                   "web/__init__.py": "", "web/page.py": "X = 1\n"}, date="2024-01-01T10:00:00")
    merge = repo.commit("Switch from requests to httpx (#4)", {"pyproject.toml": toml.format(dep="httpx"),
                                                                "app/login.py": "import httpx\n"},
                        date="2024-03-01T10:00:00")
    issue = {"author": {"login": "ada"}, "body": "As a user, I want to log in, so that my cart is kept.",
             "closedAt": "2024-03-01T00:00:00Z", "createdAt": "2024-01-02T10:00:00Z",
             "labels": [{"name": "enhancement"}], "milestone": None, "number": 1, "state": "CLOSED",
             "title": "Log in with email", "updatedAt": "2024-03-01T00:00:00Z",
             "url": "https://github.com/acme/shop/issues/1"}
    pull = {"author": {"login": "ada"}, "body": "Closes #1", "closedAt": "2024-03-01T00:00:00Z",
            "createdAt": "2024-02-20T00:00:00Z", "labels": [], "mergedAt": "2024-03-01T10:00:00Z", "milestone": None,
            "number": 4, "state": "MERGED", "title": "Switch from requests to httpx for login",
            "updatedAt": "2024-03-01T00:00:00Z", "url": "https://github.com/acme/shop/pull/4", "isDraft": False,
            "mergeCommit": {"oid": merge}, "closingIssuesReferences": [{"number": 1}],
            "files": [{"path": "app/login.py"}, {"path": "pyproject.toml"}]}
    (repo.root / "issues.json").write_text(json.dumps([issue, pull]), encoding="utf-8")
    config = write_mkdocs_yml(repo.root, {"issues_file": "issues.json", "llm": "offline"})

    result = mkdocs_build(config)

    assert result.returncode == 0, result.stderr
    epic = (repo.root / "site/stories/unplanned/index.html").read_text(encoding="utf-8")
    records = sorted(p.parent.name for p in (repo.root / "site/adr").glob("0*/index.html"))
    assert records == ["0001-use-requests-as-the-http-client", "0002-replace-requests-with-httpx"]
    decisions = re.search(r"Decisions:</strong>(.*?)</li>", epic)
    assert decisions is not None
    links = re.findall(r'href="\.\./\.\./adr/([^"/]+)/"', decisions.group(1))
    assert links == ["0002-replace-requests-with-httpx"]  # the ADR its PR is evidence of, not the older one
    assert "<code>app</code>" in epic and "<code>web</code>" not in epic  # only the component the PR changed
