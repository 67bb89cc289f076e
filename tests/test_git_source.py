from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest

from autodevhub_docs.errors import NotAGitRepositoryError, SourceError
from autodevhub_docs.sources import git
from tests.helpers import GIT_ENV, Repo


def test_reads_files_history_tags_and_contributors(sample_repo: Repo) -> None:
    data = git.read_repository(sample_repo.root)

    paths = {f.path: f for f in data.files}
    assert set(paths) == {
        "README.md", "pyproject.toml", "sample/__init__.py", "sample/notes.py", "tests/test_notes.py",
        "docs/adr/0001-record-architecture-decisions.md", "docs/adr/0002-use-sqlite.md", ".github/workflows/ci.yml",
        "Dockerfile",
    }
    assert paths["sample/notes.py"].language == "Python"
    assert paths["sample/notes.py"].lines == 2
    assert paths["sample/notes.py"].size == len("def add(a, b):\n    return a + b\n")
    assert paths["Dockerfile"].language == "Dockerfile"

    assert [c.subject for c in data.commits] == [
        "ci: add workflow", "docs: record decisions", "Add the notes package", "Initial commit"]
    assert data.commits[0].files == (".github/workflows/ci.yml", "Dockerfile")
    assert data.commits[-1].date.startswith("2024-01-05")
    assert data.head == data.commits[0].sha

    assert [(t.name, t.sha) for t in data.tags] == [("v0.2.0", data.commits[0].sha), ("v0.1.0", data.commits[2].sha)]
    assert [(c.name, c.commits) for c in data.contributors] == [("Ada Lovelace", 3), ("Grace Hopper", 1)]
    assert data.branch == "main" and not data.shallow


def test_commit_body_is_kept_apart_from_subject(repo: Repo) -> None:
    repo.commit("Switch to httpx\n\nrequests has no HTTP/2.\nSee #12.", {"a.txt": "a"})
    (commit,) = git.read_repository(repo.root).commits
    assert commit.subject == "Switch to httpx"
    assert commit.body == "requests has no HTTP/2.\nSee #12."


def test_exclude_globs_remove_files(sample_repo: Repo) -> None:
    data = git.read_repository(sample_repo.root, exclude=["tests/**", "*.md"])
    paths = {f.path for f in data.files}
    assert "tests/test_notes.py" not in paths
    assert "README.md" not in paths and "docs/adr/0002-use-sqlite.md" not in paths
    assert "sample/notes.py" in paths


def test_readme_and_contributing_are_found(repo: Repo) -> None:
    repo.commit("docs", {"README.md": "# X\n\nHello there, this is X.\n", "CONTRIBUTING.md": "Run the tests.\n"})
    data = git.read_repository(repo.root)
    assert git.find_readme(data.root, data.files) == ("README.md", "# X\n\nHello there, this is X.\n")
    assert git.find_contributing(data.root, data.files) == ("CONTRIBUTING.md", "Run the tests.\n")


def test_not_a_git_repository_names_the_fix(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    with pytest.raises(NotAGitRepositoryError) as info:
        git.read_repository(folder)
    assert "is not a git repository" in str(info.value)
    assert "--> " in str(info.value) and "git init" in str(info.value)


def test_missing_folder_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="does not exist"):
        git.read_repository(tmp_path / "nowhere")


def test_repository_without_commits(repo: Repo, caplog: pytest.LogCaptureFixture) -> None:
    repo.write({"draft.py": "x = 1\n"})
    repo.git("add", "draft.py")
    with caplog.at_level(logging.WARNING):
        data = git.read_repository(repo.root)
    assert data.head == "" and data.commits == () and data.tags == ()
    assert [f.path for f in data.files] == ["draft.py"]
    assert "no commits yet" in caplog.text


def test_shallow_clone_warns_with_fetch_depth_advice(sample_repo: Repo, tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{sample_repo.root}", str(clone)], check=True,
                   env={**GIT_ENV, "PATH": "/usr/bin:/bin"})
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.autodevhub_docs"):
        data = git.read_repository(clone)
    assert data.shallow
    assert len(data.commits) == 1
    assert "fetch-depth: 0" in caplog.text
    assert caplog.records[0].name == "mkdocs.plugins.autodevhub_docs.sources.git"


def test_binary_files_are_counted_but_not_read(repo: Repo) -> None:
    repo.commit("add files", {"logo.png": b"\x89PNG\r\n\x1a\n\x00\x00binary", "notes.txt": b"caf\xe9 latin-1\n"})
    files = {f.path: f for f in git.read_repository(repo.root).files}
    assert files["logo.png"].binary and files["logo.png"].lines == 0
    assert not files["notes.txt"].binary and files["notes.txt"].lines == 1


def test_remote_credentials_are_removed_and_github_detected(repo: Repo) -> None:
    repo.commit("init", {"a.txt": "a"})
    repo.git("remote", "add", "origin", "https://x-access-token:ghp_secret123@github.com/acme/widgets.git")
    data = git.read_repository(repo.root)
    assert data.remote_url == "https://github.com/acme/widgets.git"
    assert git.github_repo_from_remote(data.remote_url) == "acme/widgets"
    assert git.web_url_from_remote("git@github.com:acme/widgets.git") == "https://github.com/acme/widgets"
    assert git.web_url_from_remote("/srv/git/repo") is None


def test_ten_thousand_commits_are_read_in_one_pass(repo: Repo) -> None:
    # fast-import builds the history in one process; reading it back must see every commit.
    lines = []
    for i in range(10_000):
        message = f"change {i}"
        lines += [
            "commit refs/heads/main", f"mark :{i + 1}",
            f"author Dev {i % 7} <dev{i % 7}@example.com> {1_700_000_000 + i * 60} +0000",
            f"committer Dev <dev@example.com> {1_700_000_000 + i * 60} +0000",
            f"data {len(message)}", message,
        ]
        if i:
            lines.append(f"from :{i}")
        content = f"{i}\n"
        lines += [f"M 100644 inline file{i % 50}.txt", f"data {len(content)}", content.rstrip("\n"), ""]
    subprocess.run(["git", "-C", str(repo.root), "fast-import", "--quiet"], input="\n".join(lines) + "\n",
                   text=True, check=True, env={**GIT_ENV, "PATH": "/usr/bin:/bin"})
    repo.git("checkout", "-q", "main")
    data = git.read_repository(repo.root)
    assert len(data.commits) == 10_000
    assert data.commits[0].subject == "change 9999" and data.commits[-1].subject == "change 0"
    assert sum(c.commits for c in data.contributors) == 10_000 and len(data.contributors) == 7
    assert len(data.files) == 50


def test_lockfiles_stay_out_of_language_statistics(repo: Repo) -> None:
    repo.commit("Add the web client", {"web/app.js": "export const a = 1;\n", "web/package.json": "{}\n",
                                       "web/package-lock.json": "{\n" * 5000})
    data = git.read_repository(repo.root)

    languages = {f.path: f.language for f in data.files}
    assert languages == {"web/app.js": "JavaScript", "web/package.json": "JSON", "web/package-lock.json": None}


def test_extensionless_scripts_take_the_language_of_their_shebang(repo: Repo) -> None:
    repo.commit("Add scripts", {"scripts/test": "#!/usr/bin/env bash\nset -e\npytest\n",
                                "bin/serve": "#!/usr/bin/python3.12\nprint('hi')\n",
                                "LICENSE": "MIT License\n", "Makefile": "all:\n\ttrue\n"})
    data = git.read_repository(repo.root)

    languages = {f.path: f.language for f in data.files}
    assert languages == {"scripts/test": "Shell", "bin/serve": "Python", "LICENSE": None, "Makefile": "Makefile"}
