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


def test_sigkill_mid_sync_loses_no_stored_page(tmp_path, monkeypatch):
    import os
    import subprocess
    import sys
    import threading
    import time

    with GitHubFake(repo="o/r") as fake:
        for n in range(1, 251):
            fake.add_issue(f"Issue {n}")
        held = threading.Event()
        fake.fail_next("/repos/o/r/issues", 502, query={"page": "3"}, hold=held)
        path = config(tmp_path, fake)
        proc = subprocess.Popen([sys.executable, "-m", "autodevhub_docs", "sync", "-f", str(path)],
                                env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while fake.count("/repos/o/r/issues", page="3") == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert fake.count("/repos/o/r/issues", page="3") == 1, "the sync never asked for page 3"
            proc.kill()  # SIGKILL while page 3 is in flight
            proc.wait()
        finally:
            held.set()
        store = open_store(tmp_path / ".cache/autodevhub")
        snapshot = Snapshot(store, "o/r")
        assert snapshot.item_count() == 200 and snapshot.state("issues_since") == "2024-01-01T03:20:00Z"
        store.close()
        fake.clear_requests()
        result = CliRunner().invoke(main, ["sync", "-f", str(path)])
        assert result.exit_code == 0, result.output
        assert "50 new or changed, 250 issues" in result.output
        assert [r.query.get("since") for r in fake.requests if r.path == "/repos/o/r/issues"] == ["2024-01-01T03:20:00Z"]


def test_github_app_installation_auth(tmp_path, monkeypatch):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    monkeypatch.setenv("GITHUB_APP_ID", "1234")
    monkeypatch.setenv("GITHUB_APP_PRIVATE_KEY", pem)
    with GitHubFake(repo="o/r") as fake:
        fake.add_issue("Via the app")
        result = CliRunner().invoke(main, ["sync", "-f", str(config(tmp_path, fake))])
        assert result.exit_code == 0, result.output
        assert "1 issues" in result.output
        first, second = fake.requests[:2]
        assert first.path == "/repos/o/r/installation" and first.headers["authorization"].startswith("Bearer ey")
        assert second.method == "POST" and second.path == "/app/installations/42/access_tokens"
        assert all(r.headers["authorization"] == "token inst_42" for r in fake.requests[2:])
        assert pem not in result.output


def test_sync_without_a_repository_says_how_to_set_one(tmp_path):
    path = write_mkdocs_yml(tmp_path, {})
    result = CliRunner().invoke(main, ["sync", "-f", str(path)])
    assert result.exit_code == 1 and "No GitHub repository to sync" in result.output
    assert "--> Set 'github_repo: owner/name'" in result.output
