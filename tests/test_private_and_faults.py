# Private data (exclude_labels, allow_private) and faults (Claude 529/429/500/malformed at 10/50/100 %, GitHub
# 502 / 403 secondary limit / timeout). These need the GitHub sources and fake (issue 4) and the Anthropic client
# and fake (issue 5); each test is skipped until those modules exist, and is written against their fakes' APIs
# (tests/fakes/github_server.py GitHubFake, tests/fakes/anthropic_server.py FakeAnthropic).
from __future__ import annotations

import importlib.util
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
from autodevhub_docs.settings import from_options
from tests.helpers import Repo, write_mkdocs_yml


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


HAS_EXPORT = _exists("autodevhub_docs.sources.export")
HAS_GITHUB = _exists("autodevhub_docs.sources.github") and _exists("tests.fakes.github_server")
HAS_CLAUDE = _exists("autodevhub_docs.llm.anthropic") and _exists("tests.fakes.anthropic_server")

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


@pytest.mark.needs_issue4
@pytest.mark.skipif(not HAS_EXPORT, reason="needs sources/export.py (issue 4)")
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
    if not HAS_CLAUDE:
        pytest.skip("needs llm/anthropic.py and its fake (issue 5)")
    from tests.fakes.anthropic_server import FakeAnthropic

    with FakeAnthropic() as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "dummy-key")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        yield server


@pytest.mark.needs_issue4
@pytest.mark.needs_issue5
def test_excluded_issues_never_reach_a_prompt(sample_repo: Repo, tmp_path: Path, claude: Any) -> None:
    if not HAS_EXPORT:
        pytest.skip("needs sources/export.py (issue 4)")
    options = {"llm": "anthropic", "issues_file": str(gh_export(tmp_path / "issues.json"))}
    pipeline.run_build(from_options(options, base_dir=sample_repo.root))
    bodies = [json.dumps(r.body) for r in claude.messages()]
    assert bodies, "the build made no Claude call"
    assert not any(SECRET_ISSUE in b or CONFIDENTIAL_ISSUE in b for b in bodies)
    assert not any("dummy-key" in b for b in bodies)  # and no secret in a prompt


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not HAS_GITHUB:
        pytest.skip("needs sources/github.py and its fake (issue 4)")
    from tests.fakes.github_server import GitHubFake

    with GitHubFake(repo="o/r", private=True, token="ghp_faketoken000000000000000000000000") as fake:
        fake.add_issue(PUBLIC_ISSUE, labels=["enhancement"], body="Users asked for it.")
        fake.add_issue(f"Leak {SECRET_ISSUE}", labels=["security"], body=SECRET_ISSUE)
        monkeypatch.setenv("GITHUB_TOKEN", "ghp_faketoken000000000000000000000000")
        yield fake


def _github_options(fake: Any, **extra: Any) -> dict[str, Any]:
    return {"llm": "offline", "github_repo": "o/r", "github_api_url": fake.api_url, **extra}


@pytest.mark.needs_issue4
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


@pytest.mark.needs_issue4
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


def _claude_reply(kind: str) -> Any:
    from tests.fakes.anthropic_server import error, text

    if kind == "malformed":
        return text("Sure! Here is the page: <script>alert(1)</script> {{ not json", stop_reason="end_turn")
    return error(int(kind), retry_after_ms=1)


@pytest.mark.needs_issue5
@pytest.mark.parametrize("rate", [0.1, 0.5, 1.0])
@pytest.mark.parametrize("kind", CLAUDE_FAULTS)
def test_claude_faults_end_in_a_site_with_honest_notes(sample_repo: Repo, claude: Any, kind: str, rate: float) -> None:
    from tests.fakes.anthropic_server import Reply

    if rate == 1.0:
        claude.script_when("", _claude_reply(kind))
    else:
        every = round(1 / rate)
        claude.script(*[_claude_reply(kind) if i % every == 0 else Reply() for i in range(200)])
    result = pipeline.run_build(from_options({"llm": "anthropic"}, base_dir=sample_repo.root))
    assert "architecture/index.md" in result.pages
    failures = result.report["llm"]["failures"]
    if rate == 1.0:
        assert failures > 0
    if failures:
        assert result.report["warnings"], "a failed call must be a warning (so --strict fails)"
        assert any("could not" in page or "Note:" in page for page in result.pages.values())
    text = "\n".join(result.pages.values())
    assert "<script>alert(1)</script>" not in text and "{{ not json" not in text


@pytest.mark.needs_issue5
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


@pytest.mark.needs_issue5
def test_claude_timeouts_end_in_a_site_with_honest_notes(sample_repo: Repo, claude: Any) -> None:
    from autodevhub_docs.llm.anthropic import AnthropicClient
    from tests.fakes.anthropic_server import Reply

    claude.script_when("", Reply(delay=2.0))  # every answer comes after the client has given up
    settings = from_options({"llm": "anthropic", "sections": ["architecture"]}, base_dir=sample_repo.root)
    client = AnthropicClient(settings, timeout=0.3, max_retries=1, max_retry_wait=0.01)
    result = pipeline.run_build(settings, llm=client)
    assert "architecture/index.md" in result.pages
    assert result.report["llm"]["failures"] > 0 and result.report["warnings"]
    assert any("could not" in page or "Note:" in page for page in result.pages.values())
