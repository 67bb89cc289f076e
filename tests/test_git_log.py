# One `git log` pass feeds both the history and the manifest history (issue 18). Each reader's result is compared with
# what git itself lists for the question it answers, asked the old way in a separate process: `git log --name-only`
# for the history, `git log --first-parent --reverse --no-renames --name-status` for the manifest history. The
# repository has what makes the two questions differ: merges (one whose branch changed a manifest), a manifest moved
# (a rename git detects), a lockfile deleted and restored, and a root commit.
from __future__ import annotations

from pathlib import Path

import pytest

from autodevhub_docs.sources import git
from autodevhub_docs.sources.manifest_history import is_tracked_kind, read_manifest_history
from tests.helpers import Repo

_REQUIREMENTS = "flask>=2.0\nrequests>=2.31\nsqlalchemy>=2.0\npytest>=8\n"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    repo = Repo(tmp_path_factory.mktemp("log") / "app")
    repo.commit("Start", {"requirements.txt": _REQUIREMENTS, "web/package.json": '{"dependencies": {"react": "^18"}}',
                          "web/package-lock.json": "{}", "app.py": "print(1)\n"})
    repo.commit("Work", {"app.py": "print(2)\n", "docs/a.md": "# A\n"})
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("Switch the HTTP client to httpx", {"requirements.txt": _REQUIREMENTS.replace("requests", "httpx")})
    repo.commit("Use ky", {"web/package.json": '{"dependencies": {"react": "^18", "ky": "^1"}}', "b.py": "x = 1\n"})
    repo.git("checkout", "-q", "main")
    repo.commit("Meanwhile on main", {"app.py": "print(3)\n"}, remove=("web/package-lock.json",))
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'feature'", "feature")
    repo.git("mv", "requirements.txt", "requirements-base.txt")
    repo.commit("Move the requirements", {"web/package-lock.json": "{}"})
    repo.git("checkout", "-q", "-b", "docs")
    repo.commit("Docs only", {"docs/b.md": "# B\n"})
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'docs'", "docs")
    return repo


def _records(output: str) -> list[list[str]]:
    return [record.strip("\n").split("\n") for record in output.split("\x1e")[1:]]


def test_the_history_lists_what_git_log_name_only_lists(repo: Repo) -> None:
    expected = [(lines[0], tuple(line for line in lines[1:] if line))
                for lines in _records(repo.git("log", "--name-only", "--format=%x1e%H"))]
    commits = git.read_history(repo.root)
    assert [(c.sha, c.files) for c in commits] == expected
    assert len(commits) == 9 and sum(1 for c in commits if not c.files) == 2  # the merges list no paths
    moved = next(c for c in commits if c.subject == "Move the requirements")
    assert moved.files == ("requirements-base.txt", "web/package-lock.json")  # a rename lists its new path


def test_the_manifest_history_is_the_first_parent_line_without_renames(repo: Repo) -> None:
    expected = []
    for lines in _records(repo.git("log", "--first-parent", "--reverse", "--no-renames", "--name-status",
                                   "--format=%x1e%H%x1f%s")):
        sha, subject = lines[0].split("\x1f")
        for line in lines[1:]:
            status, _, path = line.partition("\t")
            if path and is_tracked_kind(path):
                expected.append((sha, subject, status, path))
    changes = read_manifest_history(repo.root)
    assert [(c.sha, c.subject, c.status, c.path) for c in changes] == expected
    # what that means here: the merge brings the branch's manifest edits, the move is a deletion and an addition
    assert [(c.subject, c.status, c.path) for c in changes] == [
        ("Start", "A", "requirements.txt"), ("Start", "A", "web/package-lock.json"),
        ("Start", "A", "web/package.json"), ("Meanwhile on main", "D", "web/package-lock.json"),
        ("Merge branch 'feature'", "M", "requirements.txt"), ("Merge branch 'feature'", "M", "web/package.json"),
        ("Move the requirements", "A", "requirements-base.txt"), ("Move the requirements", "D", "requirements.txt"),
        ("Move the requirements", "A", "web/package-lock.json"),
    ]
    moved = next(c for c in changes if c.path == "requirements-base.txt")
    assert moved.before is None and moved.after is not None and "httpx" in moved.after


def test_one_git_log_process_feeds_both(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trace = tmp_path / "trace.txt"
    monkeypatch.setenv("GIT_TRACE", str(trace))  # git itself writes down every command it runs
    data = git.read_repository(repo.root)
    changes = read_manifest_history(data.root, (), data.log)
    logs = [line for line in trace.read_text().splitlines() if "built-in: git" in line and " log " in line]
    assert len(logs) == 1, logs
    monkeypatch.delenv("GIT_TRACE")
    assert changes == read_manifest_history(repo.root)  # the same as reading it on its own
    assert data.commits == git.read_history(repo.root)


def test_excluded_manifests_stay_out(repo: Repo) -> None:
    changes = read_manifest_history(repo.root, ("web/**",))
    assert {c.path for c in changes} == {"requirements.txt", "requirements-base.txt"}
