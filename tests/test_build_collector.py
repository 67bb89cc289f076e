# A build runs with Python's cyclic collector paused and collects once at the end: at 62k commits the collections
# the collector would start on its own while the memos are encoded rescanned the analysis again and again (about
# 0.5 s of a one-commit rebuild). The collector must be as it was afterwards, with nothing left frozen, whether the
# build succeeds or fails (`mkdocs serve` builds again in the same process).
from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autodevhub_docs.errors import NotAGitRepositoryError
from autodevhub_docs.pipeline import run_build
from autodevhub_docs.settings import Settings
from tests.helpers import Repo
from tests.stack_apps import app_files


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of every collection that starts while the test runs."""
    started: list[int] = []

    def count(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        yield started
    finally:
        gc.callbacks.remove(count)


def test_a_build_collects_once_at_its_end_and_leaves_the_collector_as_it_was(tmp_path: Path,
                                                                            collections: list[int]) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit("Initial import of the conduit API", app_files("flask_sqlalchemy"))
    assert gc.isenabled()

    result = run_build(Settings(repo_path=repo.root, cache_dir=tmp_path / "cache", llm="offline"))

    assert result.report["incremental"]["history"] == "full" and result.pages  # the whole pipeline ran
    assert collections == [2]  # the one full collection at the end, none started by the collector itself
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # what loading froze was handed back


def test_a_failed_build_leaves_the_collector_as_it_was(tmp_path: Path, collections: list[int]) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(NotAGitRepositoryError):
        run_build(Settings(repo_path=tmp_path / "plain", cache_dir=tmp_path / "cache", llm="offline"))
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    gc.disable()  # and a collector paused by the caller stays paused
    try:
        with pytest.raises(NotAGitRepositoryError):
            run_build(Settings(repo_path=tmp_path / "plain", cache_dir=tmp_path / "cache", llm="offline"))
        assert not gc.isenabled()
    finally:
        gc.enable()
