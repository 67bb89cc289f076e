# A real `mkdocs build --strict` with the plugin reading the GitHub fake through PyGithub.
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.fakes import GitHubFake
from tests.helpers import mkdocs_build, write_mkdocs_yml


def test_strict_build_reads_issues_from_github(sample_repo, monkeypatch):
    monkeypatch.setenv("DOCS_GH_TOKEN", "ghp_site_secret_42")
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")  # the venv's mkdocs
    with GitHubFake(repo="o/r") as fake:
        for n in range(1, 13):
            fake.add_issue(f"Feature {n}", labels=["enhancement"])
        fake.add_issue("Leak", labels=["confidential"])
        config = write_mkdocs_yml(sample_repo.root, {"github_repo": "o/r", "github_api_url": fake.api_url,
                                                     "github_token_env": "DOCS_GH_TOKEN", "github_max_wait_s": 5})
        result = mkdocs_build(config)
        assert result.returncode == 0, result.stderr
        page = (sample_repo.root / "site/stories/index.html").read_text()
        assert "12 stories" in page and "Leak" not in page
        report = json.loads((sample_repo.root / ".cache/autodevhub/report.json").read_text())
        assert report["github"] == {"requests": len(fake.requests), "not_modified": 0}
        assert all(r.headers.get("authorization") == "token ghp_site_secret_42" for r in fake.requests)
        api_url = fake.api_url
    # GitHub gone: the build uses the snapshot, and --strict fails on the warning that says so
    # (not through mkdocs_build: its -q hides warnings from --strict's counter)
    result = subprocess.run(["mkdocs", "build", "--strict", "-f", str(config)], capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, cwd=config.parent, check=False)
    assert result.returncode == 1
    assert "could not be reached" in result.stderr and "Using the GitHub snapshot from" in result.stderr
    assert "ghp_site_secret_42" not in result.stderr + result.stdout and api_url in result.stderr
    result = mkdocs_build(config, strict=False)
    assert result.returncode == 0
    assert "12 stories" in (sample_repo.root / "site/stories/index.html").read_text()
