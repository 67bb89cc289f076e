# The offline export (`issues_file`): JSON from `gh issue list --json ...` / `gh pr list --json ...`.
from __future__ import annotations

import json
from pathlib import Path

import pytest

from autodevhub_docs.errors import ConfigError
from autodevhub_docs.settings import from_options
from autodevhub_docs.sources.issues import load_github_facts
from autodevhub_docs.store import open_store

# Shapes as `gh` 2.x prints them.
GH_ISSUES = [
    {"author": {"id": "MDQ6", "is_bot": False, "login": "ada", "name": "Ada"}, "body": "As a user I want to log in.",
     "closedAt": None, "createdAt": "2024-01-02T10:00:00Z",
     "labels": [{"id": "LA_1", "name": "enhancement", "description": "New feature", "color": "a2eeef"}],
     "milestone": {"number": 1, "title": "v1.0", "description": "First", "dueOn": None}, "number": 1,
     "state": "OPEN", "title": "Log in with email", "updatedAt": "2024-01-03T10:00:00Z",
     "url": "https://github.com/acme/shop/issues/1"},
    {"author": {"login": "bob"}, "body": "Crash on save", "closedAt": "2024-02-01T00:00:00Z",
     "createdAt": "2024-01-05T00:00:00Z", "labels": [{"name": "bug"}], "milestone": None, "number": 2,
     "state": "CLOSED", "title": "Crash", "updatedAt": "2024-02-01T00:00:00Z",
     "url": "https://github.com/acme/shop/issues/2"},
    {"author": {"login": "eve"}, "body": "CVE details", "closedAt": None, "createdAt": "2024-01-05T00:00:00Z",
     "labels": [{"name": "SECURITY"}], "milestone": None, "number": 3, "state": "OPEN", "title": "Hole",
     "updatedAt": "2024-01-06T00:00:00Z", "url": "https://github.com/acme/shop/issues/3"},
]
GH_PULLS = [
    {"author": {"login": "ada"}, "body": "Implements login. Closes #1", "closedAt": "2024-03-01T00:00:00Z",
     "createdAt": "2024-02-20T00:00:00Z", "labels": [], "mergedAt": "2024-03-01T00:00:00Z", "milestone": None,
     "number": 4, "state": "MERGED", "title": "Login form", "updatedAt": "2024-03-01T00:00:00Z",
     "url": "https://github.com/acme/shop/pull/4", "isDraft": False,
     "closingIssuesReferences": [{"id": "I_1", "number": 1, "repository": {"name": "shop", "owner": {"login": "acme"}},
                                  "url": "https://github.com/acme/shop/issues/1"}],
     "files": [{"path": "app/login.py", "additions": 40, "deletions": 2}], "reviewDecision": "APPROVED"},
    {"author": {"login": "bob"}, "body": "", "closedAt": None, "createdAt": "2024-03-02T00:00:00Z", "labels": [],
     "mergedAt": None, "milestone": None, "number": 5, "state": "OPEN", "title": "WIP", "isDraft": True,
     "updatedAt": "2024-03-02T00:00:00Z", "url": "https://github.com/acme/shop/pull/5"},
]


def facts_from(tmp_path: Path, data: object, repo: str | None = None):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    settings = from_options({"issues_file": "export.json"}, base_dir=tmp_path)
    store = open_store(tmp_path / "cache")
    try:
        return load_github_facts(settings, repo, store, [])
    finally:
        store.close()


@pytest.mark.parametrize("shape", ["mixed list", "object", "issues only"])
def test_export_shapes(tmp_path, shape):
    data = {"mixed list": GH_ISSUES + GH_PULLS, "object": {"issues": GH_ISSUES, "pulls": GH_PULLS},
            "issues only": GH_ISSUES}[shape]
    facts = facts_from(tmp_path, data)
    assert facts is not None and facts.source == "export" and facts.repo == "acme/shop"
    assert [i.number for i in facts.issues] == [1, 2]  # #3 carries the excluded label SECURITY
    login = facts.issues[0]
    assert (login.title, login.state, login.labels, login.author, login.milestone) == (
        "Log in with email", "open", ("enhancement",), "ada", "v1.0")
    assert facts.issues[1].state == "closed" and facts.issues[1].closed_at == "2024-02-01T00:00:00Z"
    if shape == "issues only":
        assert facts.pulls == ()
        return
    merged, draft = facts.pulls
    assert merged.merged_at == "2024-03-01T00:00:00Z" and merged.state == "closed" and merged.closes == (1,)
    assert merged.changed_files == ("app/login.py",) and merged.additions == 40 and merged.review_state == "approved"
    assert draft.draft and draft.merged_at is None
    assert login.closed_by == (4,)


def test_pulls_only_file_is_recognised_by_pr_fields(tmp_path):
    bare = [{k: v for k, v in GH_PULLS[0].items() if k not in ("url", "state")}]  # still has mergedAt etc.
    facts = facts_from(tmp_path, bare, repo="acme/shop")
    assert facts is not None and facts.issues == () and [p.number for p in facts.pulls] == [4]


@pytest.mark.parametrize(("content", "expected"), [
    ("[{", "is not valid JSON (line 1"),
    ('{"nodes": []}', "unexpected keys (nodes)"),
    ('[{"title": "no number"}]', "without a whole 'number' (position 0)"),
    ('"text"', "holds a JSON str"),
])
def test_bad_export_is_a_clear_config_error(tmp_path, content, expected):
    with pytest.raises(ConfigError) as raised:
        facts_from(tmp_path, content)
    message = str(raised.value)
    assert "export.json" in message and expected in message and "--> Write it with: gh issue list --state all" in message


def test_missing_export_names_the_file(tmp_path):
    settings = from_options({"issues_file": "nope.json"}, base_dir=tmp_path)
    store = open_store(tmp_path / "cache")
    with pytest.raises(ConfigError, match="nope.json' does not exist"):
        load_github_facts(settings, None, store, [])
    store.close()


def test_build_with_export_and_no_network(sample_repo, tmp_path):
    from autodevhub_docs.pipeline import run_build

    (sample_repo.root / "issues.json").write_text(json.dumps(GH_ISSUES + GH_PULLS))
    settings = from_options({"issues_file": "issues.json", "cache_dir": str(tmp_path / "c")}, base_dir=sample_repo.root)
    result = run_build(settings)
    assert result.facts.github is not None and len(result.facts.github.issues) == 2
    assert "acme/shop" in result.pages["stories/index.md"] and "CVE" not in "".join(result.pages.values())
    assert result.report["github"] == {"requests": 0, "not_modified": 0}
