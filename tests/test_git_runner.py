# The one git runner: every git process gets the same environment and the same error path.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.errors import SourceError
from autodevhub_docs.sources.git_runner import git_text, head_of, run_git
from tests.helpers import Repo


def test_every_git_process_gets_the_same_environment(repo: Repo) -> None:
    repo.commit("Initial commit", {"README.md": "# x\n"})
    # a shell alias shows the environment git itself runs with
    env = git_text(repo.root, "-c", "alias.showenv=!env", "showenv").splitlines()
    assert {"GIT_TERMINAL_PROMPT=0", "LC_ALL=C", "GIT_OPTIONAL_LOCKS=0"} <= set(env)
    # stdin is closed unless data is sent, so nothing can wait for the keyboard
    assert run_git(repo.root, "-c", "alias.readin=!cat", "readin", timeout=20) == b""
    assert run_git(repo.root, "-c", "alias.readin=!cat", "readin", stdin=b"fed\n", timeout=20) == b"fed\n"


def test_paths_come_out_raw(repo: Repo) -> None:
    repo.commit("Add a file", {"café notes.txt": "x\n"})
    assert git_text(repo.root, "ls-files").splitlines() == ["café notes.txt"]


def test_one_error_path(repo: Repo, tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        run_git(repo.root, "rev-parse", "--verify", "no-such-branch")
    assert "git rev-parse failed" in str(caught.value) and "\n--> " in str(caught.value)
    assert run_git(repo.root, "rev-parse", "--verify", "no-such-branch", check=False) == b""

    with pytest.raises(SourceError, match="took longer than"):
        run_git(repo.root, "-c", "alias.wait=!sleep 5", "wait", timeout=0.5)
    assert run_git(repo.root, "-c", "alias.wait=!sleep 5", "wait", timeout=0.5, check=False) == b""

    assert head_of(repo.root) == ""  # no commits yet
    assert head_of(tmp_path / "missing") == ""
    sha = repo.commit("First", {"a.txt": "a\n"})
    assert head_of(repo.root) == sha


def test_git_missing_from_path_is_a_domain_error(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(SourceError, match="git is not installed"):
        run_git(repo.root, "status", check=False)
