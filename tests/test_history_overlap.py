# A cold build of a big repository waits seconds on `git log` (1.5 s of git's CPU for 62k commits). The build now
# starts that log in a thread of its own, reads and parses the Python sources meanwhile (on the other core), and
# the analysis takes that pass. These tests hold the order with a `git` on PATH that reports when the whole
# history's log starts and holds it back until the meanwhile work has run, and work that waits (boundedly) for the
# log to have started: work done before the log starts, or after it ends, shows in the order of events, and neither
# side ever hangs.
from __future__ import annotations

import ast
import os
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest

from autodevhub_docs.pipeline import run_build
from autodevhub_docs.settings import Settings
from autodevhub_docs.sources import git
from autodevhub_docs.sources.git_log import LogPrefetch, read_log
from autodevhub_docs.sources.history import read_repository_kept
from autodevhub_docs.store import open_store
from tests.helpers import Repo

_SHIM = """#!/bin/sh
# The whole history's log (no `a..b` range): say it started, wait for the meanwhile work, then run it.
case " $* " in
  *" log "*--name-status*)
    case " $* " in *..HEAD*) ;; *)
      echo "log started" >> "{events}"
      n=0
      while [ ! -e "{marker}" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n+1)); done
      [ -e "{marker}" ] || echo "log gave up waiting" >> "{events}"
    ;; esac
  ;;
esac
exec "{git}" "$@"
"""


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "app")
    repo.commit("Start", {"app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
                                         "@app.get('/items')\ndef items():\n    return []\n",
                          "app/models.py": "VALUE = 1\n", "requirements.txt": "fastapi>=0.110\n"})
    repo.commit("More", {"app/util.py": "def helper():\n    return 2\n"})
    return repo


@pytest.fixture
def watched_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A `git` first on PATH that logs when the whole history's log starts; returns (events file, marker)."""
    real = shutil.which("git")
    assert real is not None
    folder = tmp_path / "bin"
    folder.mkdir()
    events, marker = tmp_path / "events.txt", tmp_path / "meanwhile-done"
    shim = folder / "git"
    shim.write_text(_SHIM.format(events=events, marker=marker, git=real), encoding="utf-8")
    shim.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return events, marker


def _events(events: Path) -> list[str]:
    return events.read_text(encoding="utf-8").splitlines() if events.exists() else []


def test_the_prefetched_log_is_the_log(repo: Repo) -> None:
    assert read_log(repo.root, prefetched=LogPrefetch(repo.root)) == read_log(repo.root)


def test_a_full_read_runs_the_meanwhile_work_while_git_writes_the_log(repo: Repo, tmp_path: Path,
                                                                       watched_git: tuple[Path, Path]) -> None:
    events, marker = watched_git
    seen: list[tuple[list[str], dict[str, str]]] = []

    def meanwhile(paths: tuple[str, ...], blobs: dict[str, str]) -> None:
        seen.append((list(paths), dict(blobs)))
        for _ in range(200):  # the log, started before this work, says so within moments (10 s at most)
            if "log started" in _events(events):
                break
            time.sleep(0.05)
        else:
            events.open("a", encoding="utf-8").write("meanwhile gave up waiting\n")
        with events.open("a", encoding="utf-8") as out:
            out.write("meanwhile\n")
        marker.touch()

    store = open_store(tmp_path / "cache")
    try:
        kept = read_repository_kept(repo.root, (), store, meanwhile=meanwhile)
    finally:
        store.close()
    assert _events(events) == ["log started", "meanwhile"]  # the log was running when the work ran
    assert len(seen) == 1 and seen[0][0] == [f.path for f in kept.data.files] and seen[0][1] == kept.data.blobs
    assert kept.continued is None and [c.subject for c in kept.data.commits] == ["More", "Start"]
    assert kept.data == git.read_repository(repo.root)  # the same checkout as a plain read


def test_a_continued_read_runs_the_meanwhile_work_once_and_reads_no_whole_log(repo: Repo, tmp_path: Path,
                                                                             watched_git: tuple[Path, Path]) -> None:
    events, marker = watched_git
    marker.touch()  # the first, full read does not wait
    store = open_store(tmp_path / "cache")
    try:
        read_repository_kept(repo.root, (), store)
        events.unlink()
        repo.commit("Third", {"app/util.py": "def helper():\n    return 3\n"})
        calls: list[int] = []
        kept = read_repository_kept(repo.root, (), store, meanwhile=lambda paths, blobs: calls.append(len(paths)))
    finally:
        store.close()
    assert calls == [4] and _events(events) == []  # only `last..HEAD` was asked of git
    assert kept.continued is not None and [c.subject for c in kept.data.commits] == ["Third", "More", "Start"]


def test_the_meanwhile_work_starts_before_any_file_is_read_for_its_lines(repo: Repo, tmp_path: Path) -> None:
    # The work needs only the paths: it starts first, and the files are read for their line counts while it runs.
    # A file the work changes in place (its size unchanged) is counted as the work left it.
    target = repo.root / "app" / "util.py"
    before = target.read_text(encoding="utf-8")

    def meanwhile(paths: tuple[str, ...], blobs: dict[str, str]) -> None:
        assert "app/util.py" in paths
        target.write_text(before.replace(" ", "\n"), encoding="utf-8")  # as many bytes, more lines

    store = open_store(tmp_path / "cache")
    try:
        kept = read_repository_kept(repo.root, (), store, meanwhile=meanwhile)
    finally:
        store.close()
    util = next(f for f in kept.data.files if f.path == "app/util.py")
    assert util.size == len(before.encode()) and util.lines == before.replace(" ", "\n").count("\n")


def test_a_cold_build_parses_each_python_file_once(repo: Repo, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: Counter[str] = Counter()
    real_parse = ast.parse

    def counting_parse(source: str, filename: str = "<unknown>", *args: object, **kwargs: object) -> ast.AST:
        parsed[filename] += 1
        return real_parse(source, filename, *args, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(ast, "parse", counting_parse)
    result = run_build(Settings(repo_path=repo.root, cache_dir=tmp_path / "cache", llm="offline"))
    sources = {"app/main.py", "app/models.py", "app/util.py"}
    assert {name: parsed[name] for name in sources} == dict.fromkeys(sources, 1)  # the early pass was taken
    api = next(text for uri, text in result.pages.items() if "api" in uri and uri.endswith(".md"))
    assert "/items" in api
