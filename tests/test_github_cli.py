# `autodevhub-docs sync` and `doctor` against the GitHub fake, through click's runner (real PyGithub, real HTTP).
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from autodevhub_docs.cli import main
from autodevhub_docs.sources.snapshot import Snapshot
from autodevhub_docs.store import open_store
from tests.fakes import GitHubFake
from tests.helpers import write_mkdocs_yml

TOKEN = "ghp_cli_secret_value_987"


@pytest.fixture
def fake():
    with GitHubFake(repo="o/r") as f:
        for n in range(1, 131):
            f.add_issue(f"Issue {n}")
        yield f


def config(tmp_path: Path, fake: GitHubFake) -> Path:
    return write_mkdocs_yml(tmp_path, {"github_repo": "o/r", "github_api_url": fake.api_url})


def test_sync_command_fills_the_snapshot_and_prints_a_summary(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    result = CliRunner().invoke(main, ["sync", "-f", str(config(tmp_path, fake))])
    assert result.exit_code == 0, result.output
    assert "synced o/r: 130 new or changed, 130 issues and 0 pull requests stored" in result.output
    assert f"{len(fake.requests)} requests (0 not modified)" in result.output
    store = open_store(tmp_path / ".cache/autodevhub")
    assert len(Snapshot(store, "o/r").items()) == 130
    store.close()
    assert TOKEN not in result.output


def test_sync_command_401_is_a_friendly_error(fake, tmp_path, monkeypatch):
    fake.token = "another"
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    result = CliRunner().invoke(main, ["sync", "-f", str(config(tmp_path, fake))])
    assert result.exit_code == 1
    assert "GitHub refused the credentials in $GITHUB_TOKEN for o/r" in result.output and "--> " in result.output
    assert TOKEN not in result.output and "Traceback" not in result.output


def test_doctor_reports_token_rate_limit_and_snapshot_age(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    path = config(tmp_path, fake)
    CliRunner().invoke(main, ["sync", "-f", str(path)])
    fake.clear_requests()
    result = CliRunner().invoke(main, ["doctor", "-f", str(path)])
    assert "$GITHUB_TOKEN is set" in result.output and TOKEN not in result.output
    assert "github rate limit: " in result.output and "of 5000 requests left" in result.output
    assert "snapshot of o/r is 0.0 h old" in result.output
    assert [r.path for r in fake.requests] == ["/rate_limit"]  # exactly one request
