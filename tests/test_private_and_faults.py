# Private data (exclude_labels, allow_private) and faults (Claude 529/429/500/malformed on 10/50/100 % of the
# pages, GitHub 502 / 403 secondary limit / timeout), against the fakes in tests/fakes (GitHubFake, FakeAnthropic).
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autodevhub_docs import pipeline
from autodevhub_docs.errors import AutodevhubError
from autodevhub_docs.llm.anthropic import AnthropicClient
from autodevhub_docs.llm.retry import BREAKER_LIMIT
from autodevhub_docs.settings import from_options
from tests.fakes.anthropic_server import FakeAnthropic, Reply, error, text
from tests.fakes.github_server import GitHubFake
from tests.helpers import Repo, write_mkdocs_yml

SECRET_ISSUE = "SECURITY-VULN-3f9a"
CONFIDENTIAL_ISSUE = "CONFIDENTIAL-CUSTOMERS-51c0"
INTERNAL_ISSUE = "INTERNAL-ONLY-77b2"
PUBLIC_ISSUE = "Add dark mode to the settings page"


def gh_export(path: Path) -> Path:
    """An `issues_file` (gh issue list --json ...) with public, security-labelled and custom-labelled issues."""
    def issue(number: int, title: str, labels: list[str], body: str = "") -> dict[str, Any]:
        return {"number": number, "title": title, "body": body or f"Details of {title}", "state": "OPEN",
                "labels": [{"name": name} for name in labels], "author": {"login": "ada"},
                "createdAt": "2024-03-01T10:00:00Z", "updatedAt": "2024-03-02T10:00:00Z", "closedAt": None,
                "url": f"https://github.com/o/r/issues/{number}",
                "comments": [{"author": {"login": "bob"}, "body": f"Comment on {title}",
                              "createdAt": "2024-03-02T10:00:00Z"}]}
    path.write_text(json.dumps([
        issue(1, PUBLIC_ISSUE, ["enhancement"]),
        issue(2, f"SQL injection in login {SECRET_ISSUE}", ["bug", "Security"], f"exploit: {SECRET_ISSUE}"),
        issue(3, f"Customer list {CONFIDENTIAL_ISSUE}", ["confidential"]),
        issue(4, f"Reorg plan {INTERNAL_ISSUE}", ["internal"]),
    ]), encoding="utf-8")
    return path


def _everything(result: pipeline.BuildResult) -> str:
    return "\n".join(result.pages.values()) + json.dumps(result.report)


@pytest.mark.parametrize("labels", [None, ["security", "confidential", "internal"]])
def test_excluded_labels_never_reach_facts_or_pages(sample_repo: Repo, tmp_path: Path, labels: list[str] | None) -> None:
    options: dict[str, Any] = {"llm": "offline", "issues_file": str(gh_export(tmp_path / "issues.json"))}
    if labels is not None:
        options["exclude_labels"] = labels
    result = pipeline.run_build(from_options(options, base_dir=sample_repo.root))
    github = result.facts.github
    assert github is not None
    numbers = {i.number for i in github.issues}
    assert 1 in numbers and 2 not in numbers and 3 not in numbers  # label match ignores case ('Security')
    assert (4 in numbers) == (labels is None)
    text = _everything(result)
    assert SECRET_ISSUE not in text and CONFIDENTIAL_ISSUE not in text
    if labels is not None:
        assert INTERNAL_ISSUE not in text


@pytest.fixture
def claude(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with FakeAnthropic() as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "dummy-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        yield server


def test_excluded_issues_never_reach_a_prompt(sample_repo: Repo, tmp_path: Path, claude: Any) -> None:
    options = {"llm": "anthropic", "issues_file": str(gh_export(tmp_path / "issues.json"))}
    pipeline.run_build(from_options(options, base_dir=sample_repo.root))
    bodies = [json.dumps(r.body) for r in claude.messages()]
    assert bodies, "the build made no Claude call"
    assert not any(SECRET_ISSUE in b or CONFIDENTIAL_ISSUE in b for b in bodies)
    assert not any("dummy-key" in b for b in bodies)  # and no secret in a prompt


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with GitHubFake(repo="o/r", private=True, token="ghp_faketoken000000000000000000000000") as fake:
        fake.add_issue(PUBLIC_ISSUE, labels=["enhancement"], body="Users asked for it.")
        fake.add_issue(f"Leak {SECRET_ISSUE}", labels=["security"], body=SECRET_ISSUE)
        monkeypatch.setenv("GITHUB_TOKEN", "ghp_faketoken000000000000000000000000")
        yield fake


def _github_options(fake: Any, **extra: Any) -> dict[str, Any]:
    return {"llm": "offline", "github_repo": "o/r", "github_api_url": fake.api_url, **extra}


@pytest.mark.parametrize("allow", [False, True])
def test_private_repository_publishes_issues_only_when_allowed(sample_repo: Repo, github: Any, allow: bool) -> None:
    result = pipeline.run_build(from_options(_github_options(github, allow_private=allow), base_dir=sample_repo.root))
    issues = result.facts.github.issues if result.facts.github else ()
    text = _everything(result)
    assert SECRET_ISSUE not in text  # excluded label, private or not
    if allow:
        assert [i.title for i in issues] == [PUBLIC_ISSUE]
    else:
        assert not issues and PUBLIC_ISSUE not in text
        assert any("private" in w for w in result.report["warnings"])


@pytest.mark.parametrize("fault", ["502", "403-secondary", "timeout"])
def test_github_faults_end_in_a_site_with_notes_or_a_clear_error(sample_repo: Repo, github: Any, fault: str) -> None:
    path = "/repos/o/r/issues"
    release = threading.Event()
    if fault == "502":
        github.fail_next(path, 502, times=20)
    elif fault == "403-secondary":
        github.fail_next(path, 403, {"Retry-After": "0"}, times=20)
    else:
        github.fail_next(path, 200, hold=release, times=1)  # a request that hangs until released
        threading.Timer(5.0, release.set).start()  # released eventually; the client gives up earlier or waits
    try:
        result = pipeline.run_build(from_options(_github_options(github, allow_private=True),
                                                 base_dir=sample_repo.root))
    except AutodevhubError as error:
        assert "\n--> " in str(error)
        assert "ghp_faketoken" not in str(error)
        return
    finally:
        release.set()
    assert "architecture/index.md" in result.pages
    if fault != "timeout":
        assert any("GitHub" in w or "github" in w for w in result.report["warnings"]), result.report["warnings"]
    assert "ghp_faketoken" not in _everything(result)


CLAUDE_FAULTS = ["529", "429", "500", "malformed"]


def _claude_reply(kind: str) -> Reply:
    if kind == "malformed":
        return text("Sure! Here is the page: <script>alert(1)</script> {{ not json", stop_reason="end_turn")
    return error(int(kind), retry_after_ms=1)


def _failed_sections(warnings: list[str], keys: list[str]) -> set[str]:
    """The sections whose warning says Claude could not write or update them (the pipeline's degraded pages)."""
    return {key for key in keys for w in warnings if w.startswith(f"{key}: Claude could not")}


@pytest.mark.parametrize("rate", [0.1, 0.5, 1.0])
@pytest.mark.parametrize("kind", CLAUDE_FAULTS)
def test_claude_faults_end_in_a_site_with_honest_notes(sample_repo: Repo, claude: Any, kind: str, rate: float) -> None:
    settings = from_options({"llm": "anthropic"}, base_dir=sample_repo.root)
    keys = sorted(row.key for row in pipeline.plan_build(settings))
    faulty = keys[:max(1, round(rate * len(keys)))]
    for key in faulty:  # every call for these sections fails, retries and the repair call included
        claude.script_when(f'source=\\"section {key}\\"', _claude_reply(kind))
    result = pipeline.run_build(settings)

    assert "architecture/index.md" in result.pages
    report = result.report["llm"]
    degraded = _failed_sections(result.report["warnings"], keys)
    assert set(faulty) <= degraded, "a section whose calls failed must say so (a warning, so --strict fails)"
    assert any("> **Note:** Claude could not" in page for page in result.pages.values())
    if kind == "malformed":
        # an invalid answer gets exactly one repair call; nothing else fails and the breaker is not involved
        assert degraded == set(faulty) and report["failures"] == len(faulty)
    else:
        # each faulty section spends its retries; after BREAKER_LIMIT such failures in a row the build stops
        # calling, so more sections may then degrade, but never more failures than the breaker allows in a row
        assert 1 <= report["failures"] <= len(faulty)
        assert degraded == set(faulty) or report["failures"] >= BREAKER_LIMIT
    if rate == 1.0:
        assert degraded == set(keys)
    page_text = "\n".join(result.pages.values())
    assert "<script>alert(1)</script>" not in page_text and "{{ not json" not in page_text


def test_claude_total_outage_fails_strict_with_a_clear_message(sample_repo: Repo, claude: Any) -> None:
    claude.script_when("", _claude_reply("529"))
    config = write_mkdocs_yml(sample_repo.root, {"llm": "anthropic", "sections": ["architecture"]})
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    strict = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
                            capture_output=True, text=True, env=env, cwd=config.parent, check=False, timeout=300)
    assert strict.returncode != 0 and "Traceback" not in strict.stderr
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config)], capture_output=True, text=True,
                           env=env, cwd=config.parent, check=False, timeout=300)
    assert plain.returncode == 0, plain.stderr
    assert "dummy-key" not in strict.stderr + plain.stderr


def test_claude_timeouts_end_in_a_site_with_honest_notes(sample_repo: Repo, claude: Any) -> None:
    claude.script_when("", Reply(delay=2.0))  # every answer comes after the client has given up
    settings = from_options({"llm": "anthropic", "sections": ["architecture"]}, base_dir=sample_repo.root)
    client = AnthropicClient(settings, timeout=0.3, max_retries=1, max_retry_wait=0.01)
    result = pipeline.run_build(settings, llm=client)
    assert "architecture/index.md" in result.pages
    assert result.report["llm"]["failures"] > 0 and result.report["warnings"]
    assert any("could not" in page or "Note:" in page for page in result.pages.values())
