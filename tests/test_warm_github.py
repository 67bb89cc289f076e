# Warm builds of a clone whose origin is on github.com: the real `mkdocs build` (in a child process), the real
# PyGithub, and the GitHub fake over HTTP on 127.0.0.1. With nothing new on GitHub, a build asks with ETags only,
# gets 304s, and reuses the last pages without importing the pipeline; without a token, or with GitHub down, it keeps
# the snapshot it has, says so once, and still runs no pipeline.
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.fakes import GitHubFake
from tests.helpers import Repo, write_mkdocs_yml

TOKEN = "ghp_warm_build_secret_7"

# Builds the site as `mkdocs build` does, in this child process, then says whether the pipeline was ever imported.
_DRIVER = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(sys.argv[1], strict=sys.argv[2] == "strict")
config.plugins.on_startup(command="build", dirty=False)
build(config)
config.plugins.on_shutdown()
print("PIPELINE-IMPORTED" if "autodevhub_docs.pipeline" in sys.modules else "PIPELINE-NOT-IMPORTED")
print("FACTS-IMPORTED" if "autodevhub_docs.model" in sys.modules else "FACTS-NOT-IMPORTED")
"""


def _build(config: Path, *, token: str | None = TOKEN, strict: bool = True) -> tuple[dict[str, Any], bool, str]:
    """Build once; return report.json, whether the pipeline was imported, and the log (then what was imported)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GITHUB_TOKEN": token or "", "GITHUB_REPOSITORY": "",
           "ANTHROPIC_API_KEY": ""}
    done = subprocess.run([sys.executable, "-c", _DRIVER, str(config), "strict" if strict else "lax"],
                          capture_output=True, text=True, env=env, cwd=config.parent, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads((config.parent / ".cache/autodevhub/report.json").read_text(encoding="utf-8"))
    return report, "PIPELINE-IMPORTED" in done.stdout, done.stderr + done.stdout


def _site(repo: Repo, fake: GitHubFake, **options: Any) -> Path:
    for n in range(1, 4):
        fake.add_issue(f"Export notes as PDF {n}", labels=["enhancement"])
    repo.git("remote", "add", "origin", "https://github.com/o/r.git")  # the repository comes from the origin remote
    (repo.root / ".git/info/exclude").write_text("site/\n.cache/\n", encoding="utf-8")  # commits leave them out
    return write_mkdocs_yml(repo.root, {"github_api_url": fake.api_url, "github_max_wait_s": 5, **options})


def test_a_warm_build_asks_github_with_etags_and_reuses_the_pages_on_304s(sample_repo: Repo) -> None:
    with GitHubFake(repo="o/r") as fake:
        config = _site(sample_repo, fake)
        cold, cold_pipeline, _ = _build(config)
        assert not cold.get("reused") and cold_pipeline and cold["github"]["requests"] == len(fake.requests) > 0
        assert cold["warnings"] == []
        page = (sample_repo.root / "site/stories/unplanned/index.html").read_text(encoding="utf-8")

        fake.clear_requests()
        warm, warm_pipeline, warm_log = _build(config)
        assert warm["reused"] is True and not warm_pipeline
        assert "FACTS-NOT-IMPORTED" in warm_log  # the refresh reads the snapshot's state and digest, not its facts
        assert [r.status for r in fake.requests] == [304, 304]  # the repository and the issues list, nothing else
        assert all(r.headers.get("if-none-match") for r in fake.requests)
        assert all(r.headers.get("authorization") == f"token {TOKEN}" for r in fake.requests)
        assert warm["github"] == {"requests": 2, "not_modified": 2} and warm["warnings"] == []
        assert (sample_repo.root / "site/stories/unplanned/index.html").read_text(encoding="utf-8") == page

        # something new on GitHub: the answer is a 200, the pipeline runs once, and GitHub is not asked twice
        fake.update_issue(2, title="Export notes as EPUB")
        fake.clear_requests()
        changed, changed_pipeline, _ = _build(config)
        assert not changed.get("reused") and changed_pipeline
        assert changed["github"]["requests"] == len(fake.requests) and changed["github"]["not_modified"] < len(
            fake.requests)
        assert sum(1 for r in fake.requests if r.path == "/repos/o/r") == 1
        assert "Export notes as EPUB" in (sample_repo.root / "site/stories/unplanned/index.html").read_text(encoding="utf-8")

        fake.clear_requests()
        again, again_pipeline, _ = _build(config)
        assert again["reused"] is True and not again_pipeline
        assert {r.status for r in fake.requests} == {304}


def test_without_a_token_the_snapshot_stands_with_one_warning_and_no_request(sample_repo: Repo) -> None:
    with GitHubFake(repo="o/r") as fake:
        config = _site(sample_repo, fake, github_repo="o/r")
        cold, _, _ = _build(config, token=None)  # no snapshot yet: the first sync is anonymous
        assert not cold.get("reused") and cold["github"]["requests"] > 0 and cold["warnings"] == []
        fake.clear_requests()
        fake.update_issue(1, title="Changed on GitHub, not seen")

        warm, pipeline_ran, log = _build(config, token=None, strict=False)
        assert fake.requests == [] and warm["github"] == {"requests": 0, "not_modified": 0}
        assert warm["reused"] is True and not pipeline_ran
        assert len(warm["warnings"]) == 1 and "$GITHUB_TOKEN is empty" in warm["warnings"][0]
        assert log.count("GitHub was not asked for changes to o/r") == 1
        assert "Changed on GitHub" not in (sample_repo.root / "site/stories/unplanned/index.html").read_text(encoding="utf-8")


def test_a_repository_only_guessed_from_origin_keeps_its_snapshot_quietly_without_a_token(sample_repo: Repo) -> None:
    with GitHubFake(repo="o/r") as fake:
        config = _site(sample_repo, fake)
        _build(config, token=None)
        fake.clear_requests()
        warm, pipeline_ran, _ = _build(config, token=None)  # --strict: no warning for the offline default
        assert fake.requests == [] and warm["reused"] is True and not pipeline_ran and warm["warnings"] == []


def test_github_failing_or_gone_keeps_the_snapshot_without_retries_or_pipeline(sample_repo: Repo) -> None:
    with GitHubFake(repo="o/r") as fake:
        config = _site(sample_repo, fake)
        _build(config)
        fake.clear_requests()
        fake.fail_next("/repos/o/r", 502, times=10)
        failing, pipeline_ran, log = _build(config, strict=False)
        assert [r.status for r in fake.requests] == [502]  # one request: no retry loop
        assert failing["reused"] is True and not pipeline_ran
        assert len(failing["warnings"]) == 1 and "Using the GitHub snapshot from" in failing["warnings"][0]
        assert log.count("Using the GitHub snapshot from") == 1
    # the fake has stopped: nobody listens on its port any more
    gone, pipeline_ran, _ = _build(config, strict=False)
    assert gone["reused"] is True and not pipeline_ran
    assert len(gone["warnings"]) == 1 and "could not be reached" in gone["warnings"][0]
    assert "after 0 retries" in gone["warnings"][0]


def test_a_local_change_with_github_unchanged_runs_the_pipeline_once_and_stores_again(sample_repo: Repo) -> None:
    with GitHubFake(repo="o/r") as fake:
        config = _site(sample_repo, fake)
        _build(config)
        sample_repo.commit("Add a store module", {"sample/store.py": "def save(note):\n    return note\n"})
        fake.clear_requests()
        rebuilt, pipeline_ran, _ = _build(config)
        assert not rebuilt.get("reused") and pipeline_ran
        assert {r.status for r in fake.requests} == {304} and rebuilt["github"]["not_modified"] == len(fake.requests)
        reused, pipeline_ran, _ = _build(config)
        assert reused["reused"] is True and not pipeline_ran and reused["commit"] == rebuilt["commit"]
